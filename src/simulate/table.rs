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
//!     "In 100.0% of 8 simulated futures around `bull` (95% interval 67.6% to 100.0%) the \
//!      equity stake is worth more to microsoft than the capped profit share; the median \
//!      advantage is 7.5 USD bn (5th to 95th percentile 7.5 to 7.5)."
//! );
//! let text = table::render(&model, &results);
//! assert!(text.starts_with(&format!("{}\n8 simulated futures around `bull` (seed 0), random from 2026: \
//!     revenue vol 0, margin vol 0, valuation vol 0, AGI hazard 0", model.name)));
//! assert!(text.contains("\nPaths: 0 failed (0.0%); AGI was declared on 0 by 2045 (0.0%); \
//!     0 funding rounds did not happen (on 0 paths).\n"));
//! assert!(text.ends_with(&format!("{}\n", table::conclusion(&model, &results))));
//! # Ok::<(), stakeshift::Error>(())
//! ```

use super::csv::{QUANTITIES, STATISTICS, Stat};
use super::stats::Summary;
use super::{PERCENTILES, Results};
use crate::engine::Regime::ProfitShare;
use crate::model::Model;
use crate::report::{display_width, fixed_f64, fixed_f64_apart, group_thousands, places_for};

/// The percentile table's label of one of [`QUANTITIES`], regime A by `regime_a`, its name
/// in the model's labels.
fn heading(quantity: &'static str, regime_a: &'static str) -> &'static str {
    match quantity {
        "npv_profit_share" => regime_a,
        "npv_equity" => "equity stake",
        "npv_advantage" => "advantage",
        other => other,
    }
}

/// The places of the table's amounts where they are not small (see [`places`]).
const TABLE_PLACES: u32 = 1;

/// The places of the table's amounts, and of the sentence's: one, or more where every
/// statistic is small ([`crate::report::places_for`]: a deal in USD bn whose NPVs are
/// thousandths printed 0.0 throughout, its signs lost; helper-153).
fn places(results: &Results) -> u32 {
    let statistics = results.groups.iter().flat_map(|g| {
        [&g.npv_profit_share, &g.npv_equity, &g.npv_advantage]
            .into_iter()
            .flatten()
            .flat_map(|summary| STATISTICS.iter().map(move |s| (s.value)(summary)))
    });
    places_for(TABLE_PLACES, statistics)
}

/// An amount to `places`, thousands grouped; from 1e15 on (beyond f64's exact integers,
/// reached only with extreme `[simulation]` values) in scientific notation to four
/// significant digits, rather than a hundred digits of which only the first 16 mean
/// anything. CSV and JSON keep every value in full.
fn money(v: f64, places: u32) -> String {
    if v.is_finite() && v.abs() >= 1e15 {
        format!("{v:.3e}")
    } else {
        group_thousands(&fixed_f64(v, places))
    }
}

/// A share as a percentage to one place, with more where one would show 0.0% or 100.0% for
/// a share that is neither (helper-127: 19,999 of 20,000 read "100.0%, 95% interval
/// 100.0% to 100.0%").
fn percent(v: f64) -> String {
    format!("{}%", fixed_f64_apart(100.0 * v, 1, 6, &[0.0, 100.0]))
}

/// [`money`] for a sentence: with more places where `places` would print a value that is
/// not 0 as 0 (a median advantage of 0.0049 beside "the equity stake is worth more in
/// 100.0%").
fn money_apart(v: f64, places: u32) -> String {
    // A tie's size (SPEC 5: it prints as 0 at 6 places) is 0 here too.
    if v.is_finite() && (v.abs() >= 1e15 || v.abs() <= 5e-7) {
        money(v, places)
    } else {
        group_thousands(&fixed_f64_apart(v, places, 6, &[0.0]))
    }
}

/// "1 simulated future", "10,000 simulated futures".
fn futures(n: u64) -> String {
    format!(
        "{} simulated future{}",
        count(n),
        if n == 1 { "" } else { "s" }
    )
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
    let first = s.first_random_year(model);
    // A first random year past end_year draws nothing: every path is its center (the
    // vols were listed as if they moved it; helper-127).
    let process = if first > model.end_year {
        format!(
            "nothing random: the first random year, {first}, is after the last, {}, so every path is its center",
            model.end_year
        )
    } else {
        format!(
            "random from {first}: revenue vol {}, margin vol {}, valuation vol {}, AGI hazard {} and failure hazard {} a year",
            s.revenue_vol, s.margin_vol, s.valuation_vol, s.agi_hazard, s.failure_hazard,
        )
    };
    out.push_str(&format!(
        "{}{} (seed {}), {process}.\nNPVs in {} as of the end of {}; advantage = NPV(equity stake) - NPV({}).{}\n\n",
        futures(results.paths),
        around_phrase(model, results),
        results.seed,
        model.unit,
        model.valuation_year,
        ProfitShare.label_in(model),
        crate::report::table::npvs_count_the_cloud(model)
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
            // (With more where two would print a standard error that is not 0 as 0.00%.)
            format!(
                "{}%",
                fixed_f64_apart(100.0 * g.p_equity_wins_se(), 2, 6, &[0.0])
            ),
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
    let places = places(results);
    for g in &results.groups {
        for (k, quantity) in QUANTITIES.iter().enumerate() {
            let Some(summary) = &(quantity.summary)(g) else {
                continue;
            };
            let mut row = vec![
                if k == 0 {
                    g.name.clone()
                } else {
                    String::new()
                },
                heading(quantity.name, ProfitShare.label_in(model)).to_string(),
            ];
            // A value that is not 0 never prints as 0.0 (helper-169: a center's advantages
            // of 0.02 printed 0.0 throughout beside its 99.7% P(equity wins), where others'
            // were in the tens): it takes the places that show it, as `compare`'s do; and a
            // row whose values are all below 1 takes the places that show its largest to
            // three digits, so that its cells read alike.
            let values = statistics.iter().map(|s| (s.value)(summary));
            let largest = values.clone().fold(0.0f64, |m, v| m.max(v.abs()));
            let row_places = if largest < 1.0 {
                places_for(places, values)
            } else {
                places
            };
            row.extend(
                statistics
                    .iter()
                    .map(|s| money_apart((s.value)(summary), row_places)),
            );
            rows.push(row);
        }
    }
    out.push_str(&format!("NPV percentiles, {}:\n", model.unit));
    out.push_str(&align(&rows));
    out.push('\n');

    let share = |n: u64| percent(n as f64 / results.paths as f64);
    // SPEC 10.4's AGI year is drawn whether or not the company has failed; a path whose
    // company had failed by then did not "reach" AGI (helper-127), so those are told apart.
    let end = model.end_year;
    let events = results.events();
    let after_failure = match events.agi_after_failure {
        0 => String::new(),
        n => format!(
            ", on {} of them in or after the year the company failed",
            count(n)
        ),
    };
    // Said in every model, one without AGI too: SPEC 10 lists the count among the results
    // (helper-141; helper-139 found "AGI was declared on 0" odd in a film deal, but the
    // count is the SPEC's).
    let agi = format!(
        "; AGI was declared on {} by {} ({}){after_failure}",
        count(events.reached_agi),
        end,
        share(events.reached_agi)
    );
    out.push_str(&format!(
        "Paths: {} failed ({}){agi}; {} funding round{} did not happen (on {} path{}).\n\n",
        count(events.failed),
        share(events.failed),
        count(events.skipped_rounds),
        if events.skipped_rounds == 1 { "" } else { "s" },
        count(events.paths_with_skipped_rounds),
        if events.paths_with_skipped_rounds == 1 {
            ""
        } else {
            "s"
        },
    ));
    out.push_str(&conclusion(model, results));
    out.push('\n');
    out
}

/// " around `base`" where `--trajectory` drew fewer centers than the model would
/// ([`super::around`]), else nothing.
fn around_phrase(model: &Model, results: &Results) -> String {
    super::around(model, results).map_or_else(String::new, |around| format!(" {around}"))
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
    let places = places(results);
    // Ties said where there are any (helper-127: every path a tie read "In 0.0% ... the
    // equity stake is worth more", as if the profit share had won them all).
    let ties = match all.ties {
        0 => String::new(),
        _ => format!(
            ", and in {} the two are worth the same",
            percent(all.p_tie())
        ),
    };
    // The 5th and 95th percentiles named as such: "90% of paths between" them was false for
    // a few paths (of 2, neither lies between them).
    format!(
        "In {} of {}{} (95% interval {} to {}) the equity stake is worth more to {} than {}{ties}; the median advantage is {} {} (5th to 95th percentile {} to {}).",
        percent(all.p_equity_wins()),
        futures(all.paths),
        around_phrase(model, results),
        percent(lo),
        percent(hi),
        investor,
        model.profit_share_phrase(),
        money_apart(median, places),
        model.unit,
        money_apart(p5, places),
        money_apart(p95, places)
    )
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn amounts_beyond_1e15_are_printed_in_scientific_notation_not_in_a_hundred_digits() {
        assert_eq!(money(38.14, 1), "38.1");
        assert_eq!(money(-1_747_705.0, 1), "-1,747,705.0");
        assert_eq!(money(999_999_999_999_999.0, 1), "999,999,999,999,999.0");
        assert_eq!(money(1.582_432_692e122, 1), "1.582e122");
        assert_eq!(money(-2.5e15, 1), "-2.500e15");
    }
}
