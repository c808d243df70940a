//! The CSV files of SPEC section 8: `yearly.csv`, `summary.csv`, `comparison.csv`.
//! RFC 4180 (comma-separated, CRLF line ends, quotes only where needed), a header row, `.` as
//! the decimal point, no thousands separators or exponents, empty cells for empty values.
//!
//! Text cells (trajectory names, which come from the model) are neutralised against
//! spreadsheet formula injection as OWASP advises: a text cell that begins with `=`, `+`,
//! `-`, `@`, a tab or a carriage return gets a leading `'`, so that a spreadsheet shows it
//! as text instead of running it (`=cmd|' /C calc'!A0` is written `'=cmd|' /C calc'!A0`).
//! Number cells are never touched: `-1.500000` stays a number.
//!
//! `yearly.csv` of the built-in model, checked against MODEL.md (sections 10.1, 11, 12.2):
//!
//! ```
//! use stakeshift::report::csv;
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let text = String::from_utf8(csv::yearly(&comparison)).unwrap();
//! let rows: Vec<&str> = text.split("\r\n").collect(); // CRLF line ends
//! assert_eq!(rows[0], "trajectory,regime,year,revenue,profit,valuation,distributable,\
//!     contribution,distribution,revenue_share,dividend,stake,holding_value,cash_flow,\
//!     cumulative_cash_flow,discount_factor,present_value,cloud_purchases,cloud_income");
//! let cell = |row: &str, column: &str| {
//!     let at = rows[0].split(',').position(|c| c == column).unwrap();
//!     let row = rows.iter().find(|r| r.starts_with(row)).unwrap();
//!     row.split(',').nth(at).unwrap().to_string()
//! };
//! // After the 2026 round (122 bn at 730 pre-money, no participation): 0.27 x 730 / 852.
//! assert_eq!(cell("base,equity,2026,", "stake"), "0.23133803");
//! // DF_2019 = 1.09^6, to 8 places.
//! assert_eq!(cell("base,profit_share,2019,", "discount_factor"), "1.67710011");
//! assert_eq!(csv::text_cell("-high"), "'-high"); // a name, not a formula
//! # Ok::<(), stakeshift::Error>(())
//! ```

use crate::compare::Comparison;
use crate::engine::{Regime, TrajectoryResult};
use crate::report::{amount, columns, rate_f64, ratio};

/// The header of `yearly.csv` (described in [`super::columns`]).
pub const YEARLY_COLUMNS: [&str; 19] = {
    let mut names = [""; 19];
    let mut i = 0;
    while i < columns::YEARLY_KEYS.len() {
        names[i] = columns::YEARLY_KEYS[i];
        i += 1;
    }
    let mut j = 0;
    while j < columns::YEARLY.len() {
        names[i + j] = columns::YEARLY[j].name;
        j += 1;
    }
    names
};

pub const SUMMARY_COLUMNS: [&str; 11] = [
    "trajectory",
    "regime",
    columns::SUMMARY_AMOUNTS[0].name,
    columns::SUMMARY_AMOUNTS[1].name,
    columns::SUMMARY_AMOUNTS[2].name,
    columns::SUMMARY_AMOUNTS[3].name,
    "irr",
    "moic",
    "payback_year",
    columns::SUMMARY_CLOUD[0].name,
    columns::SUMMARY_CLOUD[1].name,
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
                let keys = [
                    text_cell(&t.name),
                    regime.as_str().to_string(),
                    r.year.to_string(),
                ];
                let values = columns::YEARLY.iter().map(|c| c.format.text((c.value)(r)));
                keys.into_iter().chain(values).collect()
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
            let amounts = |list: &[columns::SummaryColumn]| -> Vec<String> {
                list.iter().map(|c| amount((c.value)(m))).collect()
            };
            let mut row = vec![text_cell(&t.name), regime.as_str().to_string()];
            row.extend(amounts(&columns::SUMMARY_AMOUNTS));
            row.extend([
                rate_f64(m.irr),
                m.moic.map(ratio).unwrap_or_default(),
                year(m.payback_year),
            ]);
            row.extend(amounts(&columns::SUMMARY_CLOUD));
            row
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
