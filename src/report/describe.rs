//! `stakeshift check`'s account of a model: what it holds, in plain words, a line or a few
//! per part (the years and discounting, the investor, each tier, the rounds, the cloud side,
//! the trajectories, and what `simulate` would draw). Rates print as percentages with no
//! needless zeros (9%, 7.5%), amounts as written.
//!
//! ```
//! use stakeshift::report::describe::describe;
//!
//! let model = stakeshift::io::load_model(None)?.model; // the built-in model
//! let text = describe(&model);
//! assert!(text.contains("  investor `microsoft`: 13.75 paid in (4 contributions)\n"));
//! assert!(text.contains("    tiers[0] `Microsoft recoups its investment`: microsoft 75%; until microsoft 13\n"));
//! assert!(text.contains("  trajectories (6):\n"));
//! # Ok::<(), stakeshift::Error>(())
//! ```

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::model::{CloudTerms, Model, RevenueShare, Series, Spend, TrajectorySource};

/// "1 trajectory", "3 trajectories".
pub fn plural(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// A rate or share as a percentage, exactly as written and without needless zeros: 9%,
/// 7.5%, 12.3456789%, 0.00000001%. (Rounded to 4 places, a share of 0.123456789 read
/// 12.3457% beside amounts printed as written, and one of 1e-7 read 0%.) A value whose
/// hundredfold cannot be held (past 7.9e26, which no valid model has) prints as a share.
pub fn percent(v: Decimal) -> String {
    match v.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", plain(p)),
        None => format!("{} (as a share)", plain(v)),
    }
}

fn plain(v: Decimal) -> String {
    v.normalize().to_string()
}

fn revenue_share(r: &RevenueShare) -> String {
    format!(
        "revenue share {} of revenue {}-{}{}{}",
        percent(r.rate),
        r.from,
        r.until,
        r.total_cap
            .map(|c| format!(", capped at {} in all", plain(c)))
            .unwrap_or_default(),
        if r.ends_at_agi { ", ending at AGI" } else { "" }
    )
}

/// What the model holds, in plain words: a line or a few per part, each indented by two
/// spaces.
pub fn describe(m: &Model) -> String {
    let mut text = String::new();
    let out = &mut text;
    let _ = writeln!(out, "  name: {}", m.name);
    let _ = writeln!(
        out,
        "  years {}-{} ({}), amounts in {}, NPV as of {} at {} a year",
        m.start_year,
        m.end_year,
        plural(m.years(), "year"),
        m.unit,
        m.valuation_year,
        percent(m.discount_rate)
    );
    let paid: Decimal = m.investor.contributions.iter().map(|c| c.amount).sum();
    let _ = writeln!(
        out,
        "  investor `{}`: {} paid in ({})",
        m.party_name(m.investor.party),
        plain(paid),
        plural(m.investor.contributions.len(), "contribution")
    );
    let ps = &m.profit_share;
    let _ = writeln!(
        out,
        "  profit share: residual `{}`; loss carryforward {}; investor rights end at AGI: {}",
        m.party_name(ps.residual),
        if ps.loss_carryforward { "on" } else { "off" },
        if ps.investor_rights_end_at_agi {
            "yes"
        } else {
            "no"
        }
    );
    for (i, t) in ps.tiers.iter().enumerate().take(MAX_LISTED) {
        let shares: Vec<String> = t
            .shares
            .iter()
            .map(|(p, s)| format!("{} {}", m.party_name(*p), percent(*s)))
            .collect();
        let until = if t.until.is_empty() {
            "never done".to_string()
        } else {
            let caps: Vec<String> = t
                .until
                .iter()
                .map(|(p, a)| format!("{} {}", m.party_name(*p), plain(*a)))
                .collect();
            let growth = if t.cap_growth.is_zero() {
                String::new()
            } else {
                format!(
                    ", growing {} a year from {}",
                    percent(t.cap_growth),
                    t.cap_growth_from
                )
            };
            format!("until {}{growth}", caps.join(", "))
        };
        // A tier of no shares (a deal of a revenue share alone) says so (helper-139:
        // "tiers[0] `no profit share`: ; never done").
        let shares = if shares.is_empty() {
            "no shares (the residual takes all of it)".to_string()
        } else {
            shares.join(", ")
        };
        let _ = writeln!(out, "    tiers[{}] `{}`: {}; {}", i, t.name, shares, until);
    }
    more(out, ps.tiers.len(), "tier");
    if let Some(r) = &ps.revenue_share {
        let _ = writeln!(out, "    {}", revenue_share(r));
    }
    let eq = &m.equity;
    let _ = writeln!(
        out,
        "  equity: stake {} from {}, dividend payout {}, terminal discount {}",
        percent(eq.stake),
        eq.from_year,
        percent(eq.dividend_payout),
        percent(eq.terminal_discount)
    );
    for (i, r) in eq.rounds.iter().enumerate().take(MAX_LISTED) {
        let pre = r
            .pre_money
            .map(|p| format!("pre-money {}", plain(p)))
            .unwrap_or_else(|| "pre-money = valuation - raise".into());
        let _ = writeln!(
            out,
            "    rounds[{}]: {} raise {}, {}, investor puts in {}",
            i,
            r.year,
            plain(r.raise),
            pre,
            plain(r.participation)
        );
    }
    more(out, eq.rounds.len(), "round");
    if let Some(r) = &eq.revenue_share {
        let _ = writeln!(out, "    {}", revenue_share(r));
    }
    if let Some(c) = &m.cloud {
        let _ = writeln!(
            out,
            "  cloud: the investor's margin {} on the compute it sells; spend / revenue {}",
            percent(c.margin),
            points(&c.spend)
        );
        for (regime, terms) in [("profit share", &c.profit_share), ("equity", &c.equity)] {
            let _ = writeln!(out, "    {regime}: {}", cloud_terms(terms.as_ref()));
        }
    }
    let _ = writeln!(out, "  trajectories ({}):", m.trajectories.len());
    for t in m.trajectories.iter().take(MAX_LISTED) {
        let source = match t.source {
            TrajectorySource::Series { .. } => "series",
            TrajectorySource::Table { .. } => "CSV",
        };
        let agi = t
            .agi_year
            .map(|y| format!(", AGI in {y}"))
            .unwrap_or_default();
        let desc = t
            .description
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        let spend = match &t.spend {
            Some(Spend::Ratio(_)) => ", its own cloud spend",
            Some(Spend::Amounts(_)) => ", its own cloud_spend column",
            None => "",
        };
        let _ = writeln!(out, "    {} ({source}{agi}{spend}){desc}", t.name);
    }
    more(out, m.trajectories.len(), "trajectory");
    simulation(m, out);
    text
}

/// The most tiers, rounds and trajectories listed one by one: a model of 100,000 tiers
/// printed 100,000 lines (helper-78); the rest are counted.
const MAX_LISTED: usize = 100;

/// "... and N more" for a list of `count` of which [`MAX_LISTED`] were shown.
fn more(out: &mut String, count: usize, what: &str) {
    if count > MAX_LISTED {
        let counted = plural(count - MAX_LISTED, what);
        let (n, noun) = counted.split_once(' ').unwrap_or((&counted, what));
        let _ = writeln!(
            out,
            "    ... and {n} more {noun} (the first {MAX_LISTED} are listed)"
        );
    }
}

/// What `simulate` draws: `[simulation]`, or its defaults.
fn simulation(m: &Model, out: &mut String) {
    let s = &m.simulation;
    // Exact: a hazard of 0.0000001 is not 0%.
    let exact_pct = |v: Decimal| format!("{}%", plain(v * Decimal::ONE_HUNDRED));
    let centers = match &s.weights {
        None => "1 each (the default)".to_string(),
        Some(weights) => m
            .trajectories
            .iter()
            .zip(weights)
            .filter(|(_, w)| !w.is_zero())
            .map(|(t, w)| format!("{} {}", t.name, plain(*w)))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let first = s.first_random_year(m);
    let random = if first > m.end_year {
        format!("no random year (the first would be {first}, after end_year)")
    } else {
        format!("first random year {first}")
    };
    let _ = writeln!(
        out,
        "  simulation: {} paths, seed {}, {random}; centers weighted {centers}",
        s.paths, s.seed
    );
    let _ = writeln!(
        out,
        "    yearly shocks (sd): revenue {} (persistence {}), margin {} (persistence {}), valuation {} (persistence {}) plus {} x revenue's; yearly hazards: AGI {}, failure {}",
        exact_pct(s.revenue_vol),
        plain(s.revenue_persistence),
        exact_pct(s.margin_vol),
        plain(s.margin_persistence),
        exact_pct(s.valuation_vol),
        plain(s.valuation_persistence),
        plain(s.valuation_beta),
        exact_pct(s.agi_hazard),
        exact_pct(s.failure_hazard)
    );
}

/// A margin-like series as its points (`2023: 150%, 2027: 90%`), held after the last.
fn points(s: &Series) -> String {
    let items: Vec<String> = s
        .points
        .iter()
        .map(|(y, v)| format!("{y}: {}", percent(*v)))
        .collect();
    items.join(", ")
}

/// A regime's cloud terms: its share of the spend and any take-or-pay commitment.
fn cloud_terms(terms: Option<&CloudTerms>) -> String {
    let Some(t) = terms else {
        return "buys nothing from the investor".into();
    };
    let commitment = t
        .commitment
        .as_ref()
        .map(|c| {
            format!(
                "; commitment {} over {}-{} (take-or-pay)",
                plain(c.total),
                c.from,
                c.until
            )
        })
        .unwrap_or_default();
    format!(
        "investor's share of the spend {}{commitment}",
        points(&t.share)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regression_check_rounded_a_share_to_four_places() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(percent(d("0.123456789")), "12.3456789%");
        assert_eq!(percent(d("0.0000001")), "0.00001%");
        assert_eq!(percent(d("0.75")), "75%");
        assert_eq!(percent(d("0.075")), "7.5%");
        assert_eq!(percent(d("0")), "0%");
        assert_eq!(percent(d("-0.02")), "-2%");
        assert_eq!(
            percent(d("0.1234567890123456789012345678")),
            "12.34567890123456789012345678%"
        );
        assert_eq!(
            percent(Decimal::MAX),
            "79228162514264337593543950335 (as a share)"
        );
    }
}
