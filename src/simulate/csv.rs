//! The simulation's CSV files (SPEC sections 8 and 10): `simulation.csv`, `fan.csv` and
//! `paths.csv`. Amounts to 6 decimal places, shares to 8, as the other CSV files.

use super::{Group, Results};
use crate::report::csv::text_cell;
use crate::report::{AMOUNT_DP, RATIO_DP};

/// An f64 to `dp` places, no exponent, no negative zero; empty where it is not a number.
/// (f64's own fixed formatting rounds the exact binary value, which is never a tie at 6 or
/// 8 places, so it agrees with the reports' half-away-from-zero rule.)
pub fn fixed_f64(v: f64, dp: u32) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let text = format!("{v:.prec$}", prec = dp as usize);
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => text,
    }
}

pub fn amount(v: f64) -> String {
    fixed_f64(v, AMOUNT_DP)
}

pub fn ratio(v: f64) -> String {
    fixed_f64(v, RATIO_DP)
}

fn write(header: &[String], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    w.write_record(header).expect("write to memory");
    for row in rows {
        w.write_record(&row).expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}

/// The quantities summarized per group, as named in the columns.
pub const QUANTITIES: [&str; 3] = ["npv_profit_share", "npv_equity", "npv_advantage"];
/// The statistics of each quantity, as named in the columns.
pub const STATISTICS: [&str; 7] = ["mean", "sd", "p5", "p25", "p50", "p75", "p95"];

/// `simulation.csv`: one row for all paths, then one per center.
pub fn simulation(results: &Results) -> Vec<u8> {
    let mut header: Vec<String> = [
        "group",
        "paths",
        "p_equity_wins",
        "p_equity_wins_se",
        "p_tie",
    ]
    .map(String::from)
    .to_vec();
    for q in QUANTITIES {
        for s in STATISTICS {
            header.push(format!("{q}_{s}"));
        }
    }
    write(&header, results.groups.iter().map(group_row))
}

fn group_row(g: &Group) -> Vec<String> {
    let mut row = vec![text_cell(&g.name), g.paths.to_string()];
    if g.paths == 0 {
        row.extend(std::iter::repeat_n(String::new(), 3 + 21));
        return row;
    }
    row.push(ratio(g.p_equity_wins()));
    row.push(ratio(g.p_equity_wins_se()));
    row.push(ratio(g.p_tie()));
    for s in [&g.npv_profit_share, &g.npv_equity, &g.npv_advantage] {
        match s {
            Some(s) => {
                row.push(amount(s.mean));
                row.push(amount(s.sd));
                row.extend(s.percentiles.iter().map(|p| amount(*p)));
            }
            None => row.extend(std::iter::repeat_n(String::new(), 7)),
        }
    }
    row
}

/// `fan.csv`: the investor's value by regime and year over the fan sample.
pub fn fan(results: &Results) -> Vec<u8> {
    let header = ["regime", "year", "p5", "p25", "p50", "p75", "p95", "mean"].map(String::from);
    write(
        &header,
        results.fan.iter().map(|r| {
            let mut row = vec![r.regime.as_str().to_string(), r.year.to_string()];
            row.extend(r.percentiles.iter().map(|p| amount(*p)));
            row.push(amount(r.mean));
            row
        }),
    )
}

/// `paths.csv`: one row per path.
pub fn paths(results: &Results) -> Vec<u8> {
    let header = [
        "path",
        "center",
        "agi_year",
        "failure_year",
        "npv_profit_share",
        "npv_equity",
        "npv_advantage",
        "winner",
    ]
    .map(String::from);
    let centers: Vec<String> = results.centers.iter().map(|c| text_cell(c)).collect();
    let year = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
    write(
        &header,
        results.per_path.iter().enumerate().map(|(i, p)| {
            vec![
                i.to_string(),
                centers[p.center as usize].clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_has_no_exponent_and_no_negative_zero() {
        assert_eq!(fixed_f64(-0.0000001, 6), "0.000000");
        assert_eq!(fixed_f64(1e20, 6), "100000000000000000000.000000");
        assert_eq!(fixed_f64(-1.5, 6), "-1.500000");
        assert_eq!(fixed_f64(f64::NAN, 6), "");
    }
}
