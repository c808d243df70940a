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
use crate::engine::TrajectoryResult;
use crate::report::columns::{self, Column, Format, REGIMES, Value};

/// A CSV file of `header` and `rows` (CRLF line ends, as every CSV file here).
pub(crate) fn write<H: AsRef<[u8]>>(
    header: &[H],
    rows: impl Iterator<Item = Vec<String>>,
) -> Vec<u8> {
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

/// A text cell from the model, neutralised against formula injection (module docs). A name
/// that itself begins with `'` gets one more, so that every cell reads back one way: drop
/// its first `'` if it has one (helper-109: `-x` and `'-x` were both written `'-x`).
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A value as a CSV cell: printed by its format, a name from the model neutralised.
pub fn cell(format: Format, value: Value) -> String {
    match (format, value) {
        (Format::Name, Value::Text(text)) => text_cell(text),
        (format, value) => format.text(value),
    }
}

/// The cell of `column` in `row`.
pub fn column_cell<R>(column: &Column<R>, row: &R) -> String {
    cell(column.format, (column.value)(row))
}

/// One row per trajectory, regime and year.
pub fn yearly(comparison: &Comparison) -> Vec<u8> {
    let rows = comparison.trajectories.iter().flat_map(|t| {
        REGIMES.iter().flat_map(move |&regime| {
            t.regime(regime).rows.iter().map(move |r| {
                let keys = columns::YEARLY_KEYS
                    .iter()
                    .zip(columns::yearly_keys(&t.name, regime, r))
                    .map(|(k, v)| cell(k.format, v));
                let values = columns::YEARLY.iter().map(|c| column_cell(c, r));
                keys.chain(values).collect()
            })
        })
    });
    write(&columns::YEARLY_HEADER, rows)
}

/// The header of `summary.csv`: `trajectory`, `regime`, then [`columns::summary`].
pub fn summary_header() -> Vec<&'static str> {
    [columns::TRAJECTORY.name, columns::REGIME.name]
        .into_iter()
        .chain(columns::summary().map(|c| c.name))
        .collect()
}

/// One row per trajectory and regime.
pub fn summary(comparison: &Comparison) -> Vec<u8> {
    let rows = comparison.trajectories.iter().flat_map(|t| {
        REGIMES.iter().map(move |&regime| {
            let m = &t.regime(regime).measures;
            let keys = [
                cell(columns::TRAJECTORY.format, Value::Text(&t.name)),
                cell(columns::REGIME.format, Value::Text(regime.as_str())),
            ];
            keys.into_iter()
                .chain(columns::summary().map(|c| column_cell(c, m)))
                .collect()
        })
    });
    write(&summary_header(), rows)
}

/// One row per trajectory.
pub fn comparison(comparison: &Comparison) -> Vec<u8> {
    write(
        &columns::comparison_header(),
        comparison.trajectories.iter().map(comparison_row),
    )
}

fn comparison_row(t: &TrajectoryResult) -> Vec<String> {
    let mut row = vec![cell(columns::TRAJECTORY.format, Value::Text(&t.name))];
    row.extend(columns::COMPARISON.iter().map(|c| column_cell(c, t)));
    for c in &columns::SUMMARY_RETURNS {
        row.extend(
            REGIMES
                .iter()
                .map(|&regime| column_cell(c, &t.regime(regime).measures)),
        );
    }
    row
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

    /// Regression (helper-109): `-x` and `'-x` were both written `'-x`, two trajectories
    /// one cell. A leading `'` gets one more, so a cell reads back by dropping its first `'`.
    #[test]
    fn regression_a_name_beginning_with_an_apostrophe_reads_back_apart() {
        let names = ["-x", "'-x", "''-x", "'x", "x", "it's", "'"];
        let cells: Vec<String> = names.iter().map(|n| text_cell(n)).collect();
        assert_eq!(cells, ["'-x", "''-x", "'''-x", "''x", "x", "it's", "''"]);
        for (name, cell) in names.iter().zip(&cells) {
            assert_eq!(cell.strip_prefix('\'').unwrap_or(cell), *name);
        }
    }
}
