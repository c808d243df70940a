//! The CSV files of SPEC section 8: `yearly.csv`, `summary.csv`, `comparison.csv`.
//! RFC 4180 (comma-separated, CRLF line ends, quotes only where needed), a header row, `.` as
//! the decimal point, no thousands separators or exponents, empty cells for empty values.
//!
//! Text cells (trajectory names, which come from the model) are neutralised against
//! spreadsheet formula injection as OWASP advises: a text cell that begins with `=`, `+`,
//! `-`, `@`, a tab or a carriage return gets a leading `'`, so that a spreadsheet shows it
//! as text instead of running it (`=cmd|' /C calc'!A0` is written `'=cmd|' /C calc'!A0`).
//! Number cells are never touched: `-1.500000` stays a number.

use crate::compare::Comparison;
use crate::engine::{Regime, TrajectoryResult};
use crate::report::{amount, rate_f64, ratio};

pub const YEARLY_COLUMNS: [&str; 17] = [
    "trajectory",
    "regime",
    "year",
    "revenue",
    "profit",
    "valuation",
    "distributable",
    "contribution",
    "distribution",
    "revenue_share",
    "dividend",
    "stake",
    "holding_value",
    "cash_flow",
    "cumulative_cash_flow",
    "discount_factor",
    "present_value",
];

pub const SUMMARY_COLUMNS: [&str; 9] = [
    "trajectory",
    "regime",
    "contributions",
    "inflows",
    "terminal_value",
    "npv",
    "irr",
    "moic",
    "payback_year",
];

/// The SPEC's columns, then extras that a spreadsheet user wants beside them.
pub const COMPARISON_COLUMNS: [&str; 12] = [
    "trajectory",
    "npv_profit_share",
    "npv_equity",
    "npv_advantage",
    "winner",
    "breakeven_scale",
    "irr_profit_share",
    "irr_equity",
    "moic_profit_share",
    "moic_equity",
    "payback_year_profit_share",
    "payback_year_equity",
];

const REGIMES: [Regime; 2] = [Regime::ProfitShare, Regime::Equity];

fn write(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
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

/// A text cell from the model, neutralised against formula injection (module docs).
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn year(y: Option<i32>) -> String {
    y.map(|y| y.to_string()).unwrap_or_default()
}

/// One row per trajectory, regime and year.
pub fn yearly(comparison: &Comparison) -> Vec<u8> {
    let rows = comparison.trajectories.iter().flat_map(|t| {
        REGIMES.iter().flat_map(move |&regime| {
            t.regime(regime).rows.iter().map(move |r| {
                vec![
                    text_cell(&t.name),
                    regime.as_str().to_string(),
                    r.year.to_string(),
                    amount(r.revenue),
                    amount(r.profit),
                    amount(r.valuation),
                    amount(r.distributable),
                    amount(r.contribution),
                    amount(r.distribution),
                    amount(r.revenue_share),
                    amount(r.dividend),
                    ratio(r.stake),
                    amount(r.holding_value),
                    amount(r.cash_flow),
                    amount(r.cumulative_cash_flow),
                    ratio(r.discount_factor),
                    amount(r.present_value),
                ]
            })
        })
    });
    write(&YEARLY_COLUMNS, rows)
}

/// One row per trajectory and regime.
pub fn summary(comparison: &Comparison) -> Vec<u8> {
    let rows = comparison.trajectories.iter().flat_map(|t| {
        REGIMES.iter().map(move |&regime| {
            let m = &t.regime(regime).measures;
            vec![
                text_cell(&t.name),
                regime.as_str().to_string(),
                amount(m.contributions),
                amount(m.inflows),
                amount(m.terminal_value),
                amount(m.npv),
                rate_f64(m.irr),
                m.moic.map(ratio).unwrap_or_default(),
                year(m.payback_year),
            ]
        })
    });
    write(&SUMMARY_COLUMNS, rows)
}

/// One row per trajectory.
pub fn comparison(comparison: &Comparison) -> Vec<u8> {
    write(
        &COMPARISON_COLUMNS,
        comparison.trajectories.iter().map(comparison_row),
    )
}

fn comparison_row(t: &TrajectoryResult) -> Vec<String> {
    let (a, b) = (&t.profit_share.measures, &t.equity.measures);
    vec![
        text_cell(&t.name),
        amount(a.npv),
        amount(b.npv),
        amount(t.npv_advantage),
        t.winner.as_str().to_string(),
        t.breakeven_scale.map(ratio).unwrap_or_default(),
        rate_f64(a.irr),
        rate_f64(b.irr),
        a.moic.map(ratio).unwrap_or_default(),
        b.moic.map(ratio).unwrap_or_default(),
        year(a.payback_year),
        year(b.payback_year),
    ]
}

#[cfg(test)]
mod tests {
    use super::text_cell;

    #[test]
    fn regression_formula_injection_text_cells_are_neutralised() {
        assert_eq!(text_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        for lead in ["+", "-", "@", "\t", "\r"] {
            assert_eq!(text_cell(&format!("{lead}x")), format!("'{lead}x"));
        }
        assert_eq!(text_cell("base"), "base");
        assert_eq!(text_cell("early-agi"), "early-agi");
        // A quote inside is kept; only the first character matters.
        assert_eq!(text_cell("a=b"), "a=b");
    }
}
