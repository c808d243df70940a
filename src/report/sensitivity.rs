//! `sweep`, `solve` and `tornado` results as bytes: CSV (SPEC 8's rules), JSON and a table.
//! An input's values (`sweep`'s varied values, `tornado`'s low and high, `solve`'s current
//! value) print to SPEC 8's places for the kind of number the path is (amounts 6, ratios
//! 8, years as written: [`columns::InputKind`]) and every digit they have beyond; solutions
//! to those places or to 9 significant digits where that takes more ([`solution`]); the
//! tables show inputs as they are.
//!
//! Each output's columns are described once ([`SWEEP`], [`SOLVE`], [`TORNADO`], as
//! [`super::columns::Column`]s) and the CSV, the JSON and the table read them; the tables
//! keep their own headings where those read better than the names.
//!
//! `sweep.csv` of the built-in model's `base` over three stakes:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::overrides::OverridePath;
//! use stakeshift::report::sensitivity::sweep_csv;
//! use stakeshift::sensitivity::Base;
//! use stakeshift::sensitivity::sweep::{Axis, sweep};
//!
//! let file = stakeshift::io::read_model_file(None)?; // None: the built-in model
//! let base = Base::new(&file, &[])?;
//! let path = OverridePath::parse("equity.stake").unwrap();
//! let values = vec![Decimal::ZERO, Decimal::new(50, 2), Decimal::ONE]; // 0, 0.50, 1
//! let axis = Axis { path, origin: "--vary equity.stake=0..1:3".into(), values };
//! let text = String::from_utf8(sweep_csv(&sweep(&base, &[axis], &[2])?)).unwrap();
//! let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
//! // SPEC 11: the trajectory, one column per varied path (named by it), then the outcome.
//! let header = ["trajectory", "equity.stake", "npv_profit_share", "npv_equity"];
//! assert_eq!(rows[0], [&header[..], &["npv_advantage", "winner"]].concat());
//! assert_eq!(rows[2][..2], ["base", "0.50000000"]); // a stake, to 8 places (SPEC 8)
//! // The stake changes regime B only: the profit share's NPV is the same in every row.
//! assert!(rows.iter().skip(2).all(|r| r[2] == rows[1][2]));
//! // With no stake, regime B keeps a capped revenue share and a smaller cloud share than
//! // regime A's (and no distributions): it loses. With all of it, it wins.
//! assert_eq!((rows[1][5], rows[3][5]), ("profit_share", "equity"));
//! // With no participation the stake enters linearly (SPEC 4): 0.5 is halfway, to 1e-6.
//! let npv = |r: usize| rows[r][3].parse::<f64>().unwrap();
//! assert!((npv(2) - (npv(1) + npv(3)) / 2.0).abs() <= 1e-6);
//! # Ok::<(), stakeshift::Error>(())
//! ```

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::engine::Num;
use crate::report::columns::{self, Column, Format, names};
use crate::report::csv::{cell, column_cell, write as write_csv};
use crate::report::fixed;
use crate::report::json::{VERSION, column_value, model_object, num};
use crate::report::places_for;
use crate::report::table::{TABLE_PLACES, money_apart, signed_money};
use crate::sensitivity::Outcome;
use crate::sensitivity::solve::SolveRow;
use crate::sensitivity::sweep::Sweep;
use crate::sensitivity::tornado::TornadoRow;

/// The columns of `sweep.csv` after `trajectory` and the varied paths (one column each,
/// named by the path, the value [`Format::Input`]).
pub const SWEEP: [Column<Outcome>; 4] = [
    Column {
        name: "npv_profit_share",
        format: Format::Amount,
        value: |o| o.npv_profit_share.into(),
    },
    Column {
        name: "npv_equity",
        format: Format::Amount,
        value: |o| o.npv_equity.into(),
    },
    Column {
        name: "npv_advantage",
        format: Format::Advantage,
        value: |o| o.npv_advantage.into(),
    },
    Column {
        name: "winner",
        format: Format::Text,
        value: |o| o.winner.into(),
    },
];

/// The table's headings where they are not the column's name (`npv_profit_share`'s by the
/// deal: [`sweep_table`]).
const SWEEP_HEADINGS: [(&str, &str); 2] = [
    ("npv_equity", "NPV equity"),
    ("npv_advantage", "equity advantage"),
];

/// The columns of `solve.csv`.
pub const SOLVE: [Column<SolveRow>; 6] = [
    Column {
        name: "trajectory",
        format: Format::Name,
        value: |r| r.trajectory.as_str().into(),
    },
    Column {
        name: "path",
        format: Format::Text,
        value: |r| r.path.as_str().into(),
    },
    Column {
        name: "target",
        // The user's own number (`--target`): every digit it has, not an advantage's
        // places (a target of 1e-9 printed 0.000000).
        format: Format::Input,
        value: |r| columns::Value::Input(Some(r.target), columns::InputKind::Amount),
    },
    Column {
        name: "current_value",
        format: Format::Input,
        value: |r| columns::Value::Input(r.current_value, r.kind),
    },
    Column {
        name: "current_advantage",
        format: Format::Advantage,
        value: |r| r.current_advantage.into(),
    },
    Column {
        name: "solution",
        format: Format::Solution,
        value: |r| columns::Value::Input(r.solution, r.kind),
    },
];

pub const SOLVE_COLUMNS: [&str; 6] = names(&SOLVE);

/// The table's headings where they are not the column's name.
const SOLVE_HEADINGS: [(&str, &str); 3] = [
    ("target", "target advantage"),
    ("current_value", "current value"),
    ("current_advantage", "current advantage"),
];

/// The columns of `tornado.csv`.
pub const TORNADO: [Column<TornadoRow>; 7] = [
    Column {
        name: "trajectory",
        format: Format::Name,
        value: |r| r.trajectory.as_str().into(),
    },
    Column {
        name: "input",
        format: Format::Text,
        value: |r| r.input.as_str().into(),
    },
    Column {
        name: "low",
        format: Format::Input,
        value: |r| columns::Value::Input(Some(r.low), r.kind),
    },
    Column {
        name: "high",
        format: Format::Input,
        value: |r| columns::Value::Input(Some(r.high), r.kind),
    },
    Column {
        name: "advantage_low",
        format: Format::Advantage,
        value: |r| r.advantage_low.into(),
    },
    Column {
        name: "advantage_high",
        format: Format::Advantage,
        value: |r| r.advantage_high.into(),
    },
    Column {
        name: "swing",
        format: Format::Amount,
        value: |r| r.swing.into(),
    },
];

pub const TORNADO_COLUMNS: [&str; 7] = names(&TORNADO);

/// The table's headings where they are not the column's name.
const TORNADO_HEADINGS: [(&str, &str); 2] = [
    ("advantage_low", "advantage at low"),
    ("advantage_high", "advantage at high"),
];

/// A table's heading of the column `name`: its own where `headings` gives one, else the name.
fn heading(name: &'static str, headings: &[(&str, &'static str)]) -> String {
    headings
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(name, |(_, h)| *h)
        .to_string()
}

/// A value as the tables show it: amounts for reading, advantages signed as `compare` signs
/// them, a winner in words (regime A as `regime_a`, its name in the model's labels), "none"
/// where `solve` found no solution.
fn table_cell<R>(column: &Column<R>, row: &R, places: u32, regime_a: &'static str) -> String {
    match ((column.value)(row), column.format) {
        // (Not shown as 0 where it is not: a swing beside two advantages that differ.)
        (columns::Value::Decimal(Some(v)), Format::Amount) => money_apart(v, places),
        (columns::Value::Decimal(Some(v)), Format::Advantage) => signed_money(v, places),
        (columns::Value::Input(None, _), Format::Solution) => "none".into(),
        // Inputs' values as they are, for reading (0.27, not 0.27000000; rounded, two
        // values of a fine range showed alike, helper-216); the files pad them to SPEC 8's
        // places.
        (columns::Value::Input(Some(v), _), Format::Input) => exact(v),
        (columns::Value::Winner(w), _) => super::table::winner_label(w, regime_a).into(),
        (value, format) => format.text(value),
    }
}

/// The largest in magnitude of a row's amounts and advantages: what the table's places are
/// chosen by (2, or more where all are small: [`crate::report::places_for`]).
fn largest_amount<R>(columns: &[Column<R>], row: &R) -> f64 {
    columns
        .iter()
        .filter(|c| matches!(c.format, Format::Amount | Format::Advantage))
        .filter_map(|c| match (c.value)(row) {
            columns::Value::Decimal(Some(v)) => Some(Num::to_f64(v).abs()),
            _ => None,
        })
        .fold(0.0, f64::max)
}

/// How many columns of `columns` a table aligns to the left: the text before the numbers.
fn text_columns<R>(columns: &[Column<R>]) -> usize {
    columns
        .iter()
        .take_while(|c| matches!(c.format, Format::Name | Format::Text))
        .count()
}

/// A CSV file of `columns`, one row per row.
fn csv_of<R>(columns: &[Column<R>], rows: &[R]) -> Vec<u8> {
    let header: Vec<String> = columns.iter().map(|c| c.name.to_string()).collect();
    write_csv(
        &header,
        rows.iter()
            .map(|r| columns.iter().map(|c| column_cell(c, r)).collect()),
    )
}

/// Where a sensitivity's numbers come from: the model (after any `--set`), the file it was
/// read from, and the `--set`s: the `model` object of its JSON ([`model_object`]).
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub model: &'a crate::model::Model,
    pub file: &'a str,
    pub overridden_by: &'a [String],
}

impl Source<'_> {
    fn model_object(&self) -> Value {
        model_object(self.model, self.file, self.overridden_by)
    }
}

/// The JSON document of `columns`: the `model` object and one object per row.
fn json_of<R>(columns: &[Column<R>], rows: &[R], source: Source<'_>) -> Vec<u8> {
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let object: Map<String, serde_json::Value> = columns
                .iter()
                .map(|c| (c.name.to_string(), column_value(c, r)))
                .collect();
            serde_json::Value::Object(object)
        })
        .collect();
    pretty(json!({
        "model": source.model_object(),
        "rows": rows,
        "version": VERSION,
    }))
}

/// The table of `columns`, with `headings` where the table's differ from the names.
fn table_of<R>(columns: &[Column<R>], headings: &[(&str, &'static str)], rows: &[R]) -> String {
    let header: Vec<String> = columns.iter().map(|c| heading(c.name, headings)).collect();
    let places = places_for(
        TABLE_PLACES,
        rows.iter().map(|r| largest_amount(columns, r)),
    );
    let body = rows
        .iter()
        // (No winner column in these tables: regime A's own name is not needed.)
        .map(|r| {
            columns
                .iter()
                .map(|c| table_cell(c, r, places, crate::engine::Regime::ProfitShare.label()))
                .collect()
        })
        .collect();
    table(&header, body, text_columns(columns))
}

/// An input value as written: the exact decimal, without trailing zeros.
pub(crate) fn exact(v: Decimal) -> String {
    let mut v = v.normalize();
    if v.is_zero() {
        v.set_sign_positive(true);
    }
    v.to_string()
}

/// Significant digits a solution keeps at the least: SPEC 11 finds it to 1e-8 relative
/// (the search itself to 1e-15), and 9 digits round it by at most 5e-9 of itself.
pub const SOLUTION_DIGITS: i64 = 9;

/// A solution as printed: to `least` places, those of its kind of input (SPEC 8: 8 for a
/// rate or stake, 6 for an amount), or to more where those would keep fewer than
/// [`SOLUTION_DIGITS`] significant digits (a root of 2.3409829e-5 is 0.0000234098290, not
/// 0.00002341, 4e-5 of itself off; one of 7.8e-10 is not 0.00000000).
///
/// ```
/// use rust_decimal::Decimal;
/// use stakeshift::report::sensitivity::solution;
///
/// let stake = |v| solution(v, 8);
/// assert_eq!(stake(Decimal::new(23409829, 12)), "0.0000234098290"); // 2.3409829e-5
/// assert_eq!(stake(Decimal::new(-30347015, 8)), "-0.303470150"); // 9 places below 1
/// assert_eq!(stake(Decimal::new(272, 1)), "27.20000000"); // 8 places from 1 up
/// assert_eq!(stake(Decimal::ZERO), "0.00000000");
/// // Rounded up to a new leading digit, 9 digits still: 0.0999999999996 is 0.100000000.
/// assert_eq!(stake(Decimal::new(999999999996, 13)), "0.100000000");
/// // An amount: 6 places from 1,000 up, 9 significant digits below.
/// assert_eq!(solution(Decimal::new(12345, 1), 6), "1234.500000");
/// assert_eq!(solution(Decimal::new(375, 1), 6), "37.5000000");
/// ```
pub fn solution(value: Decimal, least: u32) -> String {
    // The places of the value as rounded: rounding can carry into a new leading digit
    // (0.0999999999996 to 10 places is 0.1000000000, ten digits; helper-94's touch at a
    // rate of 0.1 printed so).
    let places = solution_places(value, least);
    let rounded = stakeshift_core::engine::number::printed(value, places);
    fixed(value, solution_places(rounded, least).min(places))
}

/// The places that keep [`SOLUTION_DIGITS`] significant digits of `value`, at least
/// `least` (at most 28, all a `Decimal` has).
pub fn solution_places(value: Decimal, least: u32) -> u32 {
    let mantissa = value.mantissa().unsigned_abs();
    if mantissa == 0 {
        return least;
    }
    // value = mantissa x 10^-scale, so its leading digit is at 10^(digits - 1 - scale).
    let digits = i64::from(mantissa.ilog10()) + 1;
    let leading = digits - 1 - i64::from(value.scale());
    (SOLUTION_DIGITS - 1 - leading).clamp(i64::from(least), 28) as u32
}

/// `sweep.csv`: trajectory, one column per varied path, then [`SWEEP`].
pub fn sweep_csv(sweep: &Sweep) -> Vec<u8> {
    let mut header = vec![columns::TRAJECTORY.name.to_string()];
    header.extend(sweep.paths.iter().cloned());
    header.extend(SWEEP.iter().map(|c| c.name.to_string()));
    write_csv(
        &header,
        sweep.rows().map(|r| {
            let trajectory = columns::Value::Text(r.trajectory);
            let mut row = vec![cell(columns::TRAJECTORY.format, trajectory)];
            row.extend(
                r.values
                    .iter()
                    .zip(&sweep.kinds)
                    .map(|(v, kind)| cell(Format::Input, columns::Value::Input(Some(*v), *kind))),
            );
            row.extend(SWEEP.iter().map(|c| column_cell(c, &r.outcome)));
            row
        }),
    )
}

/// The sweep as JSON: `{ "model", "varied", "rows": [...], "version" }`, pretty-printed.
/// The rows are serialized one at a time as they are reached, never gathered into one
/// document: a grid of 2,000,000 runs (the most a sweep takes) held as one took 8.5 GB.
pub fn sweep_json(sweep: &Sweep, source: Source<'_>) -> Vec<u8> {
    struct Rows<'a>(&'a Sweep);
    impl serde::Serialize for Rows<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let sweep = self.0;
            s.collect_seq(sweep.rows().map(|r| {
                let values: Map<String, Value> = sweep
                    .paths
                    .iter()
                    .zip(&r.values)
                    .zip(&sweep.kinds)
                    .map(|((p, v), kind)| {
                        let value = columns::Value::Input(Some(*v), *kind);
                        (p.clone(), num(Format::Input.text(value)))
                    })
                    .collect();
                let mut row = Map::new();
                row.insert(columns::TRAJECTORY.name.into(), json!(r.trajectory));
                row.insert("values".into(), Value::Object(values));
                for c in &SWEEP {
                    row.insert(c.name.into(), column_value(c, &r.outcome));
                }
                Value::Object(row)
            }))
        }
    }
    struct Document<'a> {
        sweep: &'a Sweep,
        source: Source<'a>,
    }
    impl serde::Serialize for Document<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(Some(4))?;
            map.serialize_entry("model", &self.source.model_object())?;
            map.serialize_entry("varied", &self.sweep.paths)?;
            map.serialize_entry("rows", &Rows(self.sweep))?;
            map.serialize_entry("version", VERSION)?;
            map.end()
        }
    }
    let mut bytes =
        serde_json::to_vec_pretty(&Document { sweep, source }).expect("JSON of plain values");
    bytes.push(b'\n');
    bytes
}

/// The lines above a sweep's, a solve's or a tornado's table: the model's name, the unit and
/// date of the amounts, and the what-if line where the model was run with overrides
/// ([`super::what_if_line`]): the tables printed bare numbers, whose unit a reader of a
/// model in USD m could not tell (helper-169).
/// `varied`: the paths the table varies; where `valuation_year` is one, each row's NPVs are
/// as of its own (helper-170: the header gave the model's year above rows of 2024 to 2030).
/// `each_row_sets_all`: whether every row sets every varied path (a sweep's grid, a solve),
/// or each one (a tornado's rows, one input each).
pub fn table_header<'a>(
    model: &crate::model::Model,
    overridden_by: &[String],
    varied: impl IntoIterator<Item = &'a str>,
    each_row_sets_all: bool,
) -> String {
    // The what-if line right under the title, as in every table.
    let mut out = format!("{}\n", model.name);
    if let Some(line) = super::what_if_line(overridden_by) {
        out.push_str(&line);
        out.push('\n');
    }
    // The path as `--set` reads it, in any spelling (`"valuation_year"`: helper-171).
    let is_valuation_year = |p: &str| {
        crate::overrides::OverridePath::parse(p).is_ok_and(|p| {
            matches!(&p.target, crate::overrides::Target::Key(s)
                if matches!(s.as_slice(), [crate::overrides::Segment::Key(k)] if k == "valuation_year"))
        })
    };
    let (mut some, mut all) = (false, true);
    for p in varied {
        let v = is_valuation_year(p);
        some |= v;
        all &= v;
    }
    let date = match (some, all || each_row_sets_all) {
        (true, true) => "each row's valuation_year".to_string(),
        // (A tornado of several inputs, valuation_year among them.)
        (true, false) => format!(
            "{} (where valuation_year is the input varied, as of the year it is set to)",
            model.valuation_year
        ),
        _ => model.valuation_year.to_string(),
    };
    out.push_str(&format!(
        "Amounts in {}: NPVs as of the end of {date}; advantage = NPV(equity stake) - NPV({}).{}\n\n",
        model.unit,
        crate::engine::Regime::ProfitShare.label_in(model),
        super::table::npvs_count_the_cloud(model)
    ));
    out
}

/// The sweep's table; `regime_a`: regime A's name in the model's labels
/// ([`crate::engine::Regime::label_in`]), in its NPV's heading and the winner.
pub fn sweep_table(sweep: &Sweep, regime_a: &'static str) -> String {
    let mut header: Vec<String> = vec![columns::TRAJECTORY.name.into()];
    header.extend(sweep.paths.iter().cloned());
    header.extend(SWEEP.iter().map(|c| match c.name {
        "npv_profit_share" => format!("NPV {regime_a}"),
        name => heading(name, &SWEEP_HEADINGS),
    }));
    // (The rows are made twice rather than held: see `table_with`.)
    let places = places_for(
        TABLE_PLACES,
        sweep.rows().map(|r| largest_amount(&SWEEP, &r.outcome)),
    );
    let rows = sweep.rows().map(|r| {
        let mut row = vec![r.trajectory.to_string()];
        row.extend(r.values.iter().map(|v| exact(*v)));
        row.extend(
            SWEEP
                .iter()
                .map(|c| table_cell(c, &r.outcome, places, regime_a)),
        );
        row
    });
    table_with(&header, rows, 1 + sweep.paths.len())
}

/// `solve.csv`: [`SOLVE`].
pub fn solve_csv(rows: &[SolveRow]) -> Vec<u8> {
    csv_of(&SOLVE, rows)
}

pub fn solve_json(rows: &[SolveRow], source: Source<'_>) -> Vec<u8> {
    json_of(&SOLVE, rows, source)
}

pub fn solve_table(rows: &[SolveRow]) -> String {
    table_of(&SOLVE, &SOLVE_HEADINGS, rows)
}

/// `tornado.csv`: [`TORNADO`].
pub fn tornado_csv(rows: &[TornadoRow]) -> Vec<u8> {
    csv_of(&TORNADO, rows)
}

pub fn tornado_json(rows: &[TornadoRow], source: Source<'_>) -> Vec<u8> {
    json_of(&TORNADO, rows, source)
}

pub fn tornado_table(rows: &[TornadoRow]) -> String {
    table_of(&TORNADO, &TORNADO_HEADINGS, rows)
}

fn pretty(doc: Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("JSON of plain values");
    bytes.push(b'\n');
    bytes
}

/// Columns aligned, the first `left` to the left, the rest to the right.
fn table(header: &[String], rows: Vec<Vec<String>>, left: usize) -> String {
    table_with(header, rows, left)
}

/// [`table`] of rows as they are made, each packed into one text as it comes (a sweep of
/// 2,000,000 runs held as cells, a `String` each, took 1.4 GB; made twice instead of held,
/// twice the time).
fn table_with(
    header: &[String],
    rows: impl IntoIterator<Item = Vec<String>>,
    left: usize,
) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| super::display_width(h)).collect();
    // Every cell's text one after another, and where each ends.
    let (mut text, mut ends) = (String::new(), Vec::new());
    for row in rows {
        debug_assert_eq!(row.len(), columns);
        for (w, cell) in widths.iter_mut().zip(&row) {
            *w = (*w).max(super::display_width(cell));
            text.push_str(cell);
            ends.push(text.len());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let parts: Vec<String> = cells
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                // Padded by hand: `{:<w$}` panics past a width of 65,535 (a long name).
                let pad = " ".repeat(w - super::display_width(c));
                if i < left {
                    format!("{c}{pad}")
                } else {
                    format!("{pad}{c}")
                }
            })
            .collect();
        parts.join("  ").trim_end().to_string()
    };
    let mut out = line(&mut header.iter().map(String::as_str));
    out.push('\n');
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&rule.join("  "));
    out.push('\n');
    let mut start = 0;
    for row_ends in ends.chunks(columns.max(1)) {
        let mut cells = row_ends.iter().map(|&end| {
            let cell = &text[start..end];
            start = end;
            cell
        });
        out.push_str(&line(&mut cells));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sweep's outcome columns are compare's (`comparison.csv`), by name, order and
    /// rounding: the two describe one result for different rows, and must not drift apart.
    #[test]
    fn the_sweep_columns_are_comparisons() {
        let sweep: Vec<(&str, Format)> = SWEEP.iter().map(|c| (c.name, c.format)).collect();
        let compare: Vec<(&str, Format)> = columns::COMPARISON[..SWEEP.len()]
            .iter()
            .map(|c| (c.name, c.format))
            .collect();
        assert_eq!(sweep, compare);
    }

    #[test]
    fn the_tables_own_headings_name_columns_of_the_description() {
        let sweep = names(&SWEEP);
        for (lists, headings) in [
            (&sweep[..], &SWEEP_HEADINGS[..]),
            (&SOLVE_COLUMNS[..], &SOLVE_HEADINGS[..]),
            (&TORNADO_COLUMNS[..], &TORNADO_HEADINGS[..]),
        ] {
            for (name, _) in headings {
                assert!(lists.contains(name), "{name}");
            }
        }
        assert_eq!(heading("target", &SOLVE_HEADINGS), "target advantage");
        assert_eq!(heading("solution", &SOLVE_HEADINGS), "solution");
        // The text columns come first, aligned left.
        assert_eq!((text_columns(&SOLVE), text_columns(&TORNADO)), (2, 2));
    }
}
