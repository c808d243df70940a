//! `sweep`, `solve` and `tornado` results as bytes: CSV (SPEC 8's rules), JSON and a table.
//! Grid values and solutions print as exact decimals where they are the inputs (`sweep`'s
//! varied values, `tornado`'s low and high), amounts to 6 places, solutions to 8, or to 9
//! significant digits where that takes more places ([`solution`]), `solve`'s current value
//! (the model's own) to 8.
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
//! assert_eq!(rows[2][..2], ["base", "0.5"]); // the value as an exact decimal: 0.50 is 0.5
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
use serde_json::{Map, Number, Value, json};

use crate::report::csv::text_cell;
use crate::report::table::{money, signed_money};
use crate::report::{amount, fixed, ratio};
use crate::sensitivity::solve::SolveRow;
use crate::sensitivity::sweep::Sweep;
use crate::sensitivity::tornado::TornadoRow;

pub const SOLVE_COLUMNS: [&str; 6] = [
    "trajectory",
    "path",
    "target",
    "current_value",
    "current_advantage",
    "solution",
];

pub const TORNADO_COLUMNS: [&str; 7] = [
    "trajectory",
    "input",
    "low",
    "high",
    "advantage_low",
    "advantage_high",
    "swing",
];

/// An input value as written: the exact decimal, without trailing zeros.
fn exact(v: Decimal) -> String {
    let mut v = v.normalize();
    if v.is_zero() {
        v.set_sign_positive(true);
    }
    v.to_string()
}

/// Significant digits a solution keeps at the least: SPEC 11 finds it to 1e-8 relative
/// (the search itself to 1e-15), and 9 digits round it by at most 5e-9 of itself.
pub const SOLUTION_DIGITS: i64 = 9;

/// A solution as printed: to 8 places like a rate or stake (SPEC 8), or to more where 8 would
/// keep fewer than [`SOLUTION_DIGITS`] significant digits (a root of 2.3409829e-5 is
/// 0.0000234098290, not 0.00002341, 4e-5 of itself off; one of 7.8e-10 is not 0.00000000).
///
/// ```
/// use rust_decimal::Decimal;
/// use stakeshift::report::sensitivity::solution;
///
/// assert_eq!(solution(Decimal::new(23409829, 12)), "0.0000234098290"); // 2.3409829e-5
/// assert_eq!(solution(Decimal::new(-30347015, 8)), "-0.303470150"); // 9 places below 1
/// assert_eq!(solution(Decimal::new(272, 1)), "27.20000000"); // 8 places from 1 up
/// assert_eq!(solution(Decimal::ZERO), "0.00000000");
/// ```
pub fn solution(value: Decimal) -> String {
    fixed(value, solution_places(value))
}

/// The places that keep [`SOLUTION_DIGITS`] significant digits of `value`, at least 8 (at
/// most 28, all a `Decimal` has).
fn solution_places(value: Decimal) -> u32 {
    let mantissa = value.mantissa().unsigned_abs();
    if mantissa == 0 {
        return crate::report::RATIO_DP;
    }
    // value = mantissa x 10^-scale, so its leading digit is at 10^(digits - 1 - scale).
    let digits = i64::from(mantissa.ilog10()) + 1;
    let leading = digits - 1 - i64::from(value.scale());
    (SOLUTION_DIGITS - 1 - leading).clamp(i64::from(crate::report::RATIO_DP), 28) as u32
}

fn opt(v: Option<Decimal>, f: fn(Decimal) -> String) -> String {
    v.map(f).unwrap_or_default()
}

fn csv_bytes(header: &[String], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for row in rows {
        w.write_record(&row).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

fn num(text: String) -> Value {
    if text.is_empty() {
        return Value::Null;
    }
    text.parse::<Number>().map_or(Value::Null, Value::Number)
}

/// `sweep.csv`: trajectory, one column per varied path, npv_profit_share, npv_equity,
/// npv_advantage, winner.
pub fn sweep_csv(sweep: &Sweep) -> Vec<u8> {
    let mut header = vec!["trajectory".to_string()];
    header.extend(sweep.paths.iter().cloned());
    header.extend(["npv_profit_share", "npv_equity", "npv_advantage", "winner"].map(String::from));
    csv_bytes(
        &header,
        sweep.rows.iter().map(|r| {
            let mut row = vec![text_cell(&r.trajectory)];
            row.extend(r.values.iter().map(|v| exact(*v)));
            row.extend([
                amount(r.outcome.npv_profit_share),
                amount(r.outcome.npv_equity),
                amount(r.outcome.npv_advantage),
                r.outcome.winner.as_str().to_string(),
            ]);
            row
        }),
    )
}

pub fn sweep_json(sweep: &Sweep, model_file: &str) -> Vec<u8> {
    let rows: Vec<Value> = sweep
        .rows
        .iter()
        .map(|r| {
            let mut values = Map::new();
            for (p, v) in sweep.paths.iter().zip(&r.values) {
                values.insert(p.clone(), num(exact(*v)));
            }
            json!({
                "trajectory": r.trajectory,
                "values": values,
                "npv_profit_share": num(amount(r.outcome.npv_profit_share)),
                "npv_equity": num(amount(r.outcome.npv_equity)),
                "npv_advantage": num(amount(r.outcome.npv_advantage)),
                "winner": r.outcome.winner.as_str(),
            })
        })
        .collect();
    pretty(json!({ "model": model_file, "varied": sweep.paths, "rows": rows }))
}

pub fn sweep_table(sweep: &Sweep) -> String {
    let mut header: Vec<String> = vec!["trajectory".into()];
    header.extend(sweep.paths.iter().cloned());
    header.extend(
        [
            "NPV profit share",
            "NPV equity",
            "equity advantage",
            "winner",
        ]
        .map(String::from),
    );
    let rows = sweep
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![r.trajectory.clone()];
            row.extend(r.values.iter().map(|v| exact(*v)));
            row.extend([
                money(r.outcome.npv_profit_share),
                money(r.outcome.npv_equity),
                signed_money(r.outcome.npv_advantage),
                r.outcome.winner.as_str().replace('_', " "),
            ]);
            row
        })
        .collect();
    table(&header, rows, 1 + sweep.paths.len())
}

/// `solve.csv`: trajectory, path, target, current_value, current_advantage, solution.
pub fn solve_csv(rows: &[SolveRow]) -> Vec<u8> {
    let header: Vec<String> = SOLVE_COLUMNS.iter().map(|s| s.to_string()).collect();
    csv_bytes(
        &header,
        rows.iter().map(|r| {
            vec![
                text_cell(&r.trajectory),
                r.path.clone(),
                amount(r.target),
                opt(r.current_value, ratio),
                amount(r.current_advantage),
                opt(r.solution, solution),
            ]
        }),
    )
}

pub fn solve_json(rows: &[SolveRow], model_file: &str) -> Vec<u8> {
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "trajectory": r.trajectory,
                "path": r.path,
                "target": num(amount(r.target)),
                "current_value": num(opt(r.current_value, ratio)),
                "current_advantage": num(amount(r.current_advantage)),
                "solution": num(opt(r.solution, solution)),
            })
        })
        .collect();
    pretty(json!({ "model": model_file, "rows": rows }))
}

pub fn solve_table(rows: &[SolveRow]) -> String {
    let header: Vec<String> = [
        "trajectory",
        "path",
        "target advantage",
        "current value",
        "current advantage",
        "solution",
    ]
    .map(String::from)
    .to_vec();
    let body = rows
        .iter()
        .map(|r| {
            vec![
                r.trajectory.clone(),
                r.path.clone(),
                signed_money(r.target),
                opt(r.current_value, ratio),
                signed_money(r.current_advantage),
                r.solution.map(solution).unwrap_or_else(|| "none".into()),
            ]
        })
        .collect();
    table(&header, body, 2)
}

/// `tornado.csv`: trajectory, input, low, high, advantage_low, advantage_high, swing.
pub fn tornado_csv(rows: &[TornadoRow]) -> Vec<u8> {
    let header: Vec<String> = TORNADO_COLUMNS.iter().map(|s| s.to_string()).collect();
    csv_bytes(
        &header,
        rows.iter().map(|r| {
            vec![
                text_cell(&r.trajectory),
                r.input.clone(),
                exact(r.low),
                exact(r.high),
                opt(r.advantage_low, amount),
                opt(r.advantage_high, amount),
                opt(r.swing, amount),
            ]
        }),
    )
}

pub fn tornado_json(rows: &[TornadoRow], model_file: &str) -> Vec<u8> {
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "trajectory": r.trajectory,
                "input": r.input,
                "low": num(exact(r.low)),
                "high": num(exact(r.high)),
                "advantage_low": num(opt(r.advantage_low, amount)),
                "advantage_high": num(opt(r.advantage_high, amount)),
                "swing": num(opt(r.swing, amount)),
            })
        })
        .collect();
    pretty(json!({ "model": model_file, "rows": rows }))
}

pub fn tornado_table(rows: &[TornadoRow]) -> String {
    let header: Vec<String> = [
        "trajectory",
        "input",
        "low",
        "high",
        "advantage at low",
        "advantage at high",
        "swing",
    ]
    .map(String::from)
    .to_vec();
    let body = rows
        .iter()
        .map(|r| {
            vec![
                r.trajectory.clone(),
                r.input.clone(),
                exact(r.low),
                exact(r.high),
                r.advantage_low.map(signed_money).unwrap_or_default(),
                r.advantage_high.map(signed_money).unwrap_or_default(),
                r.swing.map(money).unwrap_or_default(),
            ]
        })
        .collect();
    table(&header, body, 2)
}

fn pretty(doc: Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("JSON of plain values");
    bytes.push(b'\n');
    bytes
}

/// Columns aligned, the first `left` to the left, the rest to the right.
fn table(header: &[String], rows: Vec<Vec<String>>, left: usize) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| super::display_width(h)).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(super::display_width(cell));
        }
    }
    let line = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
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
    let mut out = line(header);
    out.push('\n');
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&rule.join("  "));
    out.push('\n');
    for row in &rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}
