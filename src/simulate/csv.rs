//! The simulation's CSV files (SPEC sections 8 and 10): `simulation.csv`, `fan.csv` and
//! `paths.csv`. Amounts to 6 decimal places, shares to 8, as the other CSV files; counts
//! whole.
//!
//! With every vol and hazard 0 each path is its center, and its NPVs are `compare`'s
//! (SPEC 10): 4 paths of the built-in model's `base`.
//!
//! ```
//! use stakeshift::overrides::Override;
//! use stakeshift::simulate::{Options, csv, run};
//!
//! let zero = ["revenue_vol", "margin_vol", "valuation_vol", "agi_hazard",
//!     "failure_hazard"].map(|k| Override::parse(&format!("simulation.{k}=0")).unwrap());
//! let model = stakeshift::io::read_model_file(None)?.load(&zero)?.model; // built in
//! let options = Options { paths: 4, seed: 0, selected: Some(vec![2]), fan: false };
//! let results = run(&model, &options, &|_| {}).expect("it runs");
//! let text = String::from_utf8(csv::simulation(&results)).unwrap();
//! let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
//! // SPEC 10: five columns, then {npv_profit_share, ...}_{mean, sd, p5, ..., p95}; then
//! // its counts of failures, AGI and rounds that did not happen (SPEC 8: more may follow).
//! let mut columns = ["group", "paths", "p_equity_wins", "p_equity_wins_se", "p_tie"]
//!     .map(String::from).to_vec();
//! for q in ["npv_profit_share", "npv_equity", "npv_advantage"] {
//!     let stats = ["mean", "sd", "p5", "p25", "p50", "p75", "p95"];
//!     columns.extend(stats.map(|s| format!("{q}_{s}")));
//! }
//! let counts = ["failed", "reached_agi", "skipped_rounds", "paths_with_skipped_rounds"];
//! columns.extend(counts.map(String::from));
//! assert_eq!(rows[0], columns);
//! // `base` loses to the profit share (`compare`): P(equity wins) 0 on every path.
//! assert_eq!(rows[1][..5], ["all", "4", "0.00000000", "0.00000000", "0.00000000"]);
//! assert_eq!(rows[2][1..], rows[1][1..]); // one center: `base` is all of them
//! let at = |c: &str| columns.iter().position(|x| x == c).unwrap();
//! let cell = |c: &str| rows[1][at(c)].parse::<f64>();
//! let base = stakeshift::compare::compare(&model, Some(&[2])).expect("it runs");
//! let advantage: f64 = base.trajectories[0].npv_advantage.to_string().parse().unwrap();
//! assert!((cell("npv_advantage_p50").unwrap() - advantage).abs() <= 1e-6);
//! assert_eq!(cell("npv_advantage_sd"), Ok(0.0)); // the same on every path
//! # Ok::<(), stakeshift::Error>(())
//! ```

use std::io::Write as _;

use rayon::prelude::*;

use super::paths::Events;
use super::stats::Summary;
use super::{FanRow, Group, PERCENTILES, PathResult, Results};
use crate::model::Year;
use crate::report::columns;
use crate::report::csv::{text_cell, write};
use crate::report::{AMOUNT_DP, RATIO_DP, fixed_f64};

pub fn amount(v: f64) -> String {
    fixed_f64(v, AMOUNT_DP)
}

pub fn ratio(v: f64) -> String {
    fixed_f64(v, RATIO_DP)
}

/// A number column of the simulation's outputs: its name and its value in a row `R`.
pub struct Stat<R> {
    pub name: &'static str,
    pub value: fn(&R) -> f64,
}

/// The column naming a group: `all`, or a center (a trajectory's name).
pub const GROUP: &str = "group";
/// The column of a group's count of paths.
pub const PATHS: &str = "paths";

/// The shares of a group's paths, after [`GROUP`] and [`PATHS`] (ratios, to 8 places);
/// empty for a group without paths.
pub const SHARES: [Stat<Group>; 3] = [
    Stat {
        name: "p_equity_wins",
        value: Group::p_equity_wins,
    },
    Stat {
        name: "p_equity_wins_se",
        value: Group::p_equity_wins_se,
    },
    Stat {
        name: "p_tie",
        value: Group::p_tie,
    },
];

/// A quantity summarized per group: the columns `{quantity}_{statistic}` of
/// `simulation.csv`, an object of the JSON.
pub struct Quantity {
    pub name: &'static str,
    pub summary: fn(&Group) -> Option<Summary>,
}

/// The quantities summarized per group, after [`SHARES`].
pub const QUANTITIES: [Quantity; 3] = [
    Quantity {
        name: "npv_profit_share",
        summary: |g| g.npv_profit_share,
    },
    Quantity {
        name: "npv_equity",
        summary: |g| g.npv_equity,
    },
    Quantity {
        name: "npv_advantage",
        summary: |g| g.npv_advantage,
    },
];

/// The percentile `K` of a summary, named by [`PERCENTILES`].
const fn summary_percentile<const K: usize>() -> Stat<Summary> {
    Stat {
        name: PERCENTILES[K],
        value: |s| s.percentiles[K],
    }
}

/// The statistics of each quantity (amounts, to 6 places): the mean, the standard deviation,
/// then the percentiles.
pub const STATISTICS: [Stat<Summary>; 2 + PERCENTILES.len()] = [
    Stat {
        name: "mean",
        value: |s| s.mean,
    },
    Stat {
        name: "sd",
        value: |s| s.sd,
    },
    summary_percentile::<0>(),
    summary_percentile::<1>(),
    summary_percentile::<2>(),
    summary_percentile::<3>(),
    summary_percentile::<4>(),
];

/// A count of what happened on a group's paths: a column of `simulation.csv` after SPEC
/// 10's (SPEC 8: "more columns may follow"), a key of a group in the JSON.
pub struct Count {
    pub name: &'static str,
    pub value: fn(&Events) -> u64,
}

/// SPEC 10's counts of failures, AGI declarations and rounds that did not happen, for each
/// group (helper-212: with `--out` no file held them, only the table and the JSON, and
/// those for all paths only). 0, not empty, for a group without paths.
pub const COUNTS: [Count; 4] = [
    Count {
        name: "failed",
        value: |e| e.failed,
    },
    Count {
        name: "reached_agi",
        value: |e| e.reached_agi,
    },
    Count {
        name: "skipped_rounds",
        value: |e| e.skipped_rounds,
    },
    Count {
        name: "paths_with_skipped_rounds",
        value: |e| e.paths_with_skipped_rounds,
    },
];

/// The header of `simulation.csv`: [`GROUP`], [`PATHS`], [`SHARES`], each of
/// [`STATISTICS`] of each of [`QUANTITIES`], then [`COUNTS`].
pub fn simulation_header() -> Vec<String> {
    let mut header = vec![GROUP.to_string(), PATHS.to_string()];
    header.extend(SHARES.iter().map(|s| s.name.to_string()));
    for q in &QUANTITIES {
        for s in &STATISTICS {
            header.push(format!("{}_{}", q.name, s.name));
        }
    }
    header.extend(COUNTS.iter().map(|c| c.name.to_string()));
    header
}

/// `simulation.csv`: one row for all paths, then one per center.
pub fn simulation(results: &Results) -> Vec<u8> {
    write(&simulation_header(), results.groups.iter().map(group_row))
}

fn group_row(g: &Group) -> Vec<String> {
    let mut row = vec![text_cell(&g.name), g.paths.to_string()];
    if g.paths == 0 {
        let numbers = SHARES.len() + QUANTITIES.len() * STATISTICS.len();
        row.extend(std::iter::repeat_n(String::new(), numbers));
    } else {
        row.extend(SHARES.iter().map(|s| ratio((s.value)(g))));
        for q in &QUANTITIES {
            match (q.summary)(g) {
                Some(summary) => row.extend(STATISTICS.iter().map(|s| amount((s.value)(&summary)))),
                None => row.extend(std::iter::repeat_n(String::new(), STATISTICS.len())),
            }
        }
    }
    row.extend(COUNTS.iter().map(|c| (c.value)(&g.events).to_string()));
    row
}

/// The columns of `fan.csv` that say where a row is: the regime and the year.
pub const FAN_KEYS: [&str; 2] = [columns::REGIME.name, columns::YEAR.name];

/// The percentile `K` of a fan row, named by [`PERCENTILES`].
const fn fan_percentile<const K: usize>() -> Stat<FanRow> {
    Stat {
        name: PERCENTILES[K],
        value: |r| r.percentiles[K],
    }
}

/// The columns of `fan.csv` after [`FAN_KEYS`] (amounts, to 6 places): the percentiles,
/// then the mean.
pub const FAN: [Stat<FanRow>; PERCENTILES.len() + 1] = [
    fan_percentile::<0>(),
    fan_percentile::<1>(),
    fan_percentile::<2>(),
    fan_percentile::<3>(),
    fan_percentile::<4>(),
    Stat {
        name: "mean",
        value: |r| r.mean,
    },
];

/// `fan.csv`: the investor's value by regime and year over the fan sample.
pub fn fan(results: &Results) -> Vec<u8> {
    let header: Vec<&str> = FAN_KEYS
        .iter()
        .chain(FAN.iter().map(|s| &s.name))
        .copied()
        .collect();
    write(
        &header,
        results.fan.iter().map(|r| {
            let mut row = vec![r.regime.as_str().to_string(), r.year.to_string()];
            row.extend(FAN.iter().map(|s| amount((s.value)(r))));
            row
        }),
    )
}

/// Paths formatted per task in `paths.csv`: rows are formatted in parallel, in blocks of this
/// many, and joined in path order.
const PATHS_PER_BLOCK: usize = 16_384;

/// What a cell of `paths.csv` holds of its path.
#[derive(Clone, Copy)]
pub enum PathCell {
    /// The path's index.
    Index,
    /// Its center's name.
    Center,
    /// A year, empty for none.
    Year(fn(&PathResult) -> Option<Year>),
    /// An amount, to 6 places.
    Amount(fn(&PathResult) -> f64),
    /// The winner's name.
    Winner,
}

/// The columns of `paths.csv`, in order: the one description both its fast writer and its
/// header read.
pub const PATHS_COLUMNS: [(&str, PathCell); 8] = [
    ("path", PathCell::Index),
    ("center", PathCell::Center),
    ("agi_year", PathCell::Year(|p| p.agi_year)),
    ("failure_year", PathCell::Year(|p| p.failure_year)),
    ("npv_profit_share", PathCell::Amount(|p| p.npv_profit_share)),
    ("npv_equity", PathCell::Amount(|p| p.npv_equity)),
    ("npv_advantage", PathCell::Amount(|p| p.npv_advantage)),
    ("winner", PathCell::Winner),
];

/// `paths.csv`: one row per path. A million rows: the rows are written straight into bytes,
/// blocks of them in parallel, not as a record of strings each, and give the bytes the csv
/// writer would (the text fields are quoted by it, once; numbers never need quoting).
pub fn paths(results: &Results) -> Vec<u8> {
    let header = PATHS_COLUMNS.map(|(name, _)| name);
    let centers: Vec<Vec<u8>> = results
        .centers
        .iter()
        .map(|c| csv_field(&text_cell(c)))
        .collect();
    let head = write(&header, std::iter::empty());
    // Blocks are formatted in parallel a group at a time and each group appended to the
    // file's bytes and dropped: the file and one group in memory, not the file twice
    // (10 million paths held 1.85 GB).
    let mut out = head;
    let n = results.per_path.len();
    let group_len = PATHS_PER_BLOCK * BLOCKS_PER_GROUP;
    for first in (0..n).step_by(group_len) {
        let paths = first..(first + group_len).min(n);
        let len = paths.len();
        let blocks = format_blocks(&results.per_path, paths, &centers);
        if first == 0 {
            // Room for the whole file at once, from the first group's bytes a path with a
            // quarter more and the longer path numbers to come: growing it would copy it
            // into twice its size (10 million paths peaked at 1.9 GB).
            let bytes: usize = blocks.iter().map(Vec::len).sum();
            let per_path = bytes / len.max(1) * 5 / 4 + 4;
            out.reserve(per_path.saturating_mul(n));
        }
        for block in blocks {
            out.extend_from_slice(&block);
        }
    }
    out
}

/// The blocks formatted in parallel at a time: a group, appended to the file's bytes.
const BLOCKS_PER_GROUP: usize = 32;

/// `paths.csv`'s rows of the paths in `range`, in blocks of [`PATHS_PER_BLOCK`] formatted
/// in parallel.
fn format_blocks(
    per_path: &crate::simulate::paths::PathColumns,
    range: std::ops::Range<usize>,
    centers: &[Vec<u8>],
) -> Vec<Vec<u8>> {
    let end = range.end;
    let starts: Vec<usize> = range.step_by(PATHS_PER_BLOCK).collect();
    starts
        .into_par_iter()
        .map(|start| {
            let block = start..(start + PATHS_PER_BLOCK).min(end);
            let mut bytes = Vec::with_capacity(block.len() * 96);
            let mut number = String::new();
            for path in block {
                let p = per_path.get(path);
                for (k, (_, cell)) in PATHS_COLUMNS.iter().enumerate() {
                    if k > 0 {
                        bytes.push(b',');
                    }
                    // Writing to a Vec cannot fail.
                    match cell {
                        PathCell::Index => {
                            let _ = write!(bytes, "{path}");
                        }
                        PathCell::Center => bytes.extend_from_slice(&centers[p.center as usize]),
                        PathCell::Year(year) => {
                            if let Some(y) = year(&p) {
                                let _ = write!(bytes, "{y}");
                            }
                        }
                        PathCell::Amount(v) => {
                            push_fixed(&mut bytes, &mut number, v(&p), AMOUNT_DP)
                        }
                        PathCell::Winner => bytes.extend_from_slice(p.winner.as_str().as_bytes()),
                    }
                }
                bytes.extend_from_slice(b"\r\n");
            }
            bytes
        })
        .collect()
}

/// A text field as the csv writer writes it inside a record (quoted where it must be).
fn csv_field(text: &str) -> Vec<u8> {
    // A record of the field and an empty one: `<field>,\r\n`. (Alone, an empty field would
    // be quoted, which inside a record it is not.)
    let mut record = write(&[text.to_string(), String::new()], std::iter::empty());
    record.truncate(record.len() - ",\r\n".len());
    record
}

/// [`fixed_f64`] appended to `out`, through a reused buffer.
fn push_fixed(out: &mut Vec<u8>, buffer: &mut String, v: f64, dp: u32) {
    crate::report::write_fixed_f64(buffer, v, dp);
    out.extend_from_slice(buffer.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Winner;
    use crate::simulate::PathResult;

    /// `paths.csv` as it was written before it was written in blocks: a record of strings
    /// per path through the csv writer.
    fn paths_record_by_record(results: &Results) -> Vec<u8> {
        let header = PATHS_COLUMNS.map(|(name, _)| name);
        let year = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
        write(
            &header,
            results.per_path.iter().enumerate().map(|(i, p)| {
                vec![
                    i.to_string(),
                    text_cell(&results.centers[p.center as usize]),
                    year(p.agi_year),
                    year(p.failure_year),
                    amount(p.npv_profit_share),
                    amount(p.npv_equity),
                    amount(p.npv_advantage),
                    p.winner.as_str().to_string(),
                ]
            }),
        )
    }

    #[test]
    fn paths_in_blocks_are_the_csv_writers_bytes() {
        let centers = [
            "base",
            "=cmd|' /C calc'!A0",
            "a,b",
            "say \"hi\"",
            "-bear",
            " lead",
            "x\u{e9}",
            "",
            "two\r\nlines",
            "\ttab",
            "trailing ",
        ];
        let values = [
            0.0,
            -0.0,
            -0.0000001,
            1.5,
            -2.25,
            1e20,
            f64::NAN,
            f64::INFINITY,
            123456.7890125,
        ];
        let winners = [Winner::Equity, Winner::ProfitShare, Winner::Tie];
        // More than two groups of blocks, so that the blocks' and groups' order and
        // numbering show.
        let n = 2 * PATHS_PER_BLOCK * BLOCKS_PER_GROUP + 17;
        let per_path: Vec<PathResult> = (0..n)
            .map(|i| PathResult {
                center: (i % centers.len()) as u32,
                skipped_rounds: 0,
                agi_year: (i % 3 == 0).then_some(2030 + (i % 20) as i32),
                failure_year: (i % 5 == 0).then_some(-5 + (i % 7) as i32),
                npv_profit_share: values[i % values.len()],
                npv_equity: values[(i / 2) % values.len()],
                npv_advantage: values[(i / 3) % values.len()] * (i as f64),
                winner: winners[i % winners.len()],
            })
            .collect();
        let results = Results {
            paths: n as u64,
            seed: 0,
            centers: centers.iter().map(|c| c.to_string()).collect(),
            groups: Vec::new(),
            fan: Vec::new(),
            fan_paths: 0,
            per_path: per_path.into_iter().collect(),
        };
        assert_eq!(
            String::from_utf8(paths(&results)).unwrap(),
            String::from_utf8(paths_record_by_record(&results)).unwrap()
        );
    }

    #[test]
    fn a_group_row_has_a_cell_per_column_with_or_without_paths() {
        let summary = Summary {
            mean: 1.0,
            sd: 0.5,
            percentiles: [0.0, 0.5, 1.0, 1.5, 2.0],
        };
        let group = |paths| Group {
            name: "all".into(),
            paths,
            equity_wins: paths / 2,
            ties: 0,
            npv_profit_share: (paths > 0).then_some(summary),
            npv_equity: (paths > 0).then_some(summary),
            npv_advantage: None,
            events: Events {
                failed: paths / 4,
                ..Events::default()
            },
        };
        let header = simulation_header();
        for paths in [0, 4] {
            assert_eq!(
                group_row(&group(paths)).len(),
                header.len(),
                "{paths} paths"
            );
        }
        let row = group_row(&group(4));
        let at = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
        assert_eq!(at("npv_equity_p75"), "1.500000");
        assert_eq!(at("npv_equity_mean"), "1.000000");
        assert_eq!(at("p_equity_wins"), "0.50000000");
        assert_eq!(at("npv_advantage_p5"), "");
        // The counts, whole, and 0 for a group without paths (a count, not an empty value).
        assert_eq!(at("failed"), "1");
        assert_eq!(at("skipped_rounds"), "0");
        let empty = group_row(&group(0));
        assert_eq!(
            empty[header.iter().position(|h| h == "failed").unwrap()],
            "0"
        );
    }

    #[test]
    fn fixed_has_no_exponent_and_no_negative_zero() {
        assert_eq!(fixed_f64(-0.0000001, 6), "0.000000");
        assert_eq!(fixed_f64(1e20, 6), "100000000000000000000.000000");
        assert_eq!(fixed_f64(-1.5, 6), "-1.500000");
        assert_eq!(fixed_f64(f64::NAN, 6), "");
    }
}
