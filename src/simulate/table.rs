//! The simulation as a table for reading: P(equity wins) with its standard error and 95%
//! interval per center and in all, the percentiles of both NPVs and of the advantage, what
//! happened on the paths, and a one-sentence conclusion.
//!
//! 8 paths of the built-in model's `bull` with every vol and hazard 0: each path is `bull`
//! itself, where the stake wins by 7.507322 (`compare`), so the sentence is exact:
//!
//! ```
//! use stakeshift::overrides::Override;
//! use stakeshift::simulate::{Options, run, table};
//!
//! let zero = ["revenue_vol", "margin_vol", "valuation_vol", "agi_hazard",
//!     "failure_hazard"].map(|k| Override::parse(&format!("simulation.{k}=0")).unwrap());
//! let model = stakeshift::io::read_model_file(None)?.load(&zero)?.model; // built in
//! let options = Options { paths: 8, seed: 0, selected: Some(vec![3]), fan: false };
//! let results = run(&model, &options, &|_| {}).expect("it runs");
//! // Wilson's interval of 8 of 8: from 8 / (8 + z²) = 0.676, z = 1.959964.
//! assert_eq!(
//!     table::conclusion(&model, &results),
//!     "In 100.0% of 8 simulated futures (95% interval 67.6% to 100.0%) the equity stake \
//!      is worth more to microsoft than the capped profit share; the median advantage is \
//!      7.5 USD bn (90% of paths between 7.5 and 7.5)."
//! );
//! let text = table::render(&model, &results);
//! assert!(text.starts_with(&format!("{}\n8 simulated futures (seed 0), random from 2026: \
//!     revenue vol 0, margin vol 0, valuation vol 0, AGI hazard 0", model.name)));
//! assert!(text.contains("\nPaths: 0 failed (0.0%), 0 reached AGI by 2045 (0.0%); \
//!     0 funding rounds did not happen (on 0 paths).\n"));
//! assert!(text.ends_with(&format!("{}\n", table::conclusion(&model, &results))));
//! # Ok::<(), stakeshift::Error>(())
//! ```

use super::csv::{STATISTICS, Stat};
use super::stats::Summary;
use super::{PERCENTILES, Results};
use crate::model::Model;
use crate::report::{display_width, fixed_f64, group_thousands};

/// An amount to one decimal, thousands grouped; from 1e15 on (beyond f64's exact integers,
/// reached only with extreme `[simulation]` values) in scientific notation to four
/// significant digits, rather than a hundred digits of which only the first 16 mean
/// anything. CSV and JSON keep every value in full.
fn money(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e15 {
        format!("{v:.3e}")
    } else {
        group_thousands(&fixed_f64(v, 1))
    }
}

fn percent(v: f64) -> String {
    format!("{}%", fixed_f64(100.0 * v, 1))
}

fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// Columns left-aligned (first) and right-aligned (the rest), two spaces apart.
fn align(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| display_width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = width[c] - display_width(cell);
            if c == 0 {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            } else {
                line.push_str("  ");
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The whole table.
pub fn render(model: &Model, results: &Results) -> String {
    let s = &model.simulation;
    let mut out = String::new();
    out.push_str(&format!("{}\n", model.name));
    out.push_str(&format!(
        "{} simulated futures (seed {}), random from {}: revenue vol {}, margin vol {}, valuation vol {}, AGI hazard {} and failure hazard {} a year.\nNPVs in {} as of the end of {}; advantage = NPV(equity stake) - NPV(profit share).\n\n",
        count(results.paths),
        results.seed,
        s.first_random_year(model),
        s.revenue_vol,
        s.margin_vol,
        s.valuation_vol,
        s.agi_hazard,
        s.failure_hazard,
        model.unit,
        model.valuation_year
    ));

    let mut rows = vec![
        [
            "",
            "paths",
            "P(equity wins)",
            "se",
            "95% interval",
            "P(tie)",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for g in &results.groups {
        if g.paths == 0 {
            rows.push(vec![g.name.clone(), "0".into()]);
            continue;
        }
        let (lo, hi) = g.p_equity_wins_95();
        rows.push(vec![
            g.name.clone(),
            count(g.paths),
            percent(g.p_equity_wins()),
            // SPEC 10's standard error, in points to two places (a million paths' is 0.04).
            format!("{}%", fixed_f64(100.0 * g.p_equity_wins_se(), 2)),
            format!("{} to {}", percent(lo), percent(hi)),
            percent(g.p_tie()),
        ]);
    }
    out.push_str(&align(&rows));
    out.push('\n');

    // The columns of simulation.csv's statistics, the percentiles first.
    let (moments, percentiles) = STATISTICS.split_at(STATISTICS.len() - PERCENTILES.len());
    let statistics: Vec<&Stat<Summary>> = percentiles.iter().chain(moments).collect();
    let mut header = vec![String::new(), String::new()];
    header.extend(statistics.iter().map(|s| s.name.to_string()));
    let mut rows = vec![header];
    for g in &results.groups {
        for (label, summary) in [
            ("profit share", &g.npv_profit_share),
            ("equity stake", &g.npv_equity),
            ("advantage", &g.npv_advantage),
        ] {
            let Some(summary) = summary else { continue };
            let mut row = vec![
                if label == "profit share" {
                    g.name.clone()
                } else {
                    String::new()
                },
                label.to_string(),
            ];
            row.extend(statistics.iter().map(|s| money((s.value)(summary))));
            rows.push(row);
        }
    }
    out.push_str(&format!("NPV percentiles, {}:\n", model.unit));
    out.push_str(&align(&rows));
    out.push('\n');

    let share = |n: u64| percent(n as f64 / results.paths as f64);
    out.push_str(&format!(
        "Paths: {} failed ({}), {} reached AGI by {} ({}); {} funding round{} did not happen (on {} path{}).\n\n",
        count(results.failed),
        share(results.failed),
        count(results.reached_agi),
        model.end_year,
        share(results.reached_agi),
        count(results.skipped_rounds),
        if results.skipped_rounds == 1 { "" } else { "s" },
        count(results.paths_with_skipped_rounds),
        if results.paths_with_skipped_rounds == 1 { "" } else { "s" },
    ));
    out.push_str(&conclusion(model, results));
    out.push('\n');
    out
}

/// One sentence: how likely the stake is to be worth more, and by how much at the median.
pub fn conclusion(model: &Model, results: &Results) -> String {
    let all = &results.groups[0];
    let (lo, hi) = all.p_equity_wins_95();
    let median = all.npv_advantage.map_or(f64::NAN, |s| s.at(0.5));
    let (p5, p95) = all
        .npv_advantage
        .map_or((f64::NAN, f64::NAN), |s| (s.at(0.05), s.at(0.95)));
    // As `compare`'s conclusion names it: as written in the model (charts capitalise it).
    let investor = model.investor_as_written();
    format!(
        "In {} of {} simulated futures (95% interval {} to {}) the equity stake is worth more to {} than the capped profit share; the median advantage is {} {} (90% of paths between {} and {}).",
        percent(all.p_equity_wins()),
        count(all.paths),
        percent(lo),
        percent(hi),
        investor,
        money(median),
        model.unit,
        money(p5),
        money(p95)
    )
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn amounts_beyond_1e15_are_printed_in_scientific_notation_not_in_a_hundred_digits() {
        assert_eq!(money(38.14), "38.1");
        assert_eq!(money(-1_747_705.0), "-1,747,705.0");
        assert_eq!(money(999_999_999_999_999.0), "999,999,999,999,999.0");
        assert_eq!(money(1.582_432_692e122), "1.582e122");
        assert_eq!(money(-2.5e15), "-2.500e15");
    }
}
