//! The output columns, described once: each row type's columns in order, with how a value
//! is printed, and the value itself. The CSV files, the JSON and the workbook read these
//! lists, so a column is added or renamed in one place.
//!
//! ```
//! use stakeshift::report::columns::{YEARLY, Format};
//! assert_eq!(YEARLY[0].name, "revenue");
//! assert!(YEARLY.iter().any(|c| c.name == "stake" && c.format == Format::Ratio));
//! ```

use rust_decimal::Decimal;

use crate::engine::{Measures, YearRow};

/// How a value is printed: amounts to 6 places, ratios (stakes, discount factors) to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Amount,
    Ratio,
}

impl Format {
    /// The value as CSV and JSON print it, rounded once by the one rule.
    pub fn text(self, value: Decimal) -> String {
        match self {
            Format::Amount => super::amount(value),
            Format::Ratio => super::ratio(value),
        }
    }
}

/// A numeric column of `yearly.csv` (after `trajectory`, `regime` and `year`).
pub struct YearlyColumn {
    pub name: &'static str,
    pub format: Format,
    pub value: fn(&YearRow) -> Decimal,
}

macro_rules! yearly {
    ($($name:ident: $format:ident),* $(,)?) => {
        [$(YearlyColumn {
            name: stringify!($name),
            format: Format::$format,
            value: |r: &YearRow| r.$name,
        }),*]
    };
}

/// The numeric columns of a yearly row, in the order of `yearly.csv` (SPEC 8, then the
/// cloud side's two of SPEC 13).
pub const YEARLY: [YearlyColumn; 16] = yearly![
    revenue: Amount,
    profit: Amount,
    valuation: Amount,
    distributable: Amount,
    contribution: Amount,
    distribution: Amount,
    revenue_share: Amount,
    dividend: Amount,
    stake: Ratio,
    holding_value: Amount,
    cash_flow: Amount,
    cumulative_cash_flow: Amount,
    discount_factor: Ratio,
    present_value: Amount,
    cloud_purchases: Amount,
    cloud_income: Amount,
];

/// The columns that locate a yearly row, before [`YEARLY`].
pub const YEARLY_KEYS: [&str; 3] = ["trajectory", "regime", "year"];

/// Every header of `yearly.csv`: the keys, then [`YEARLY`].
pub fn yearly_header() -> Vec<&'static str> {
    YEARLY_KEYS
        .iter()
        .copied()
        .chain(YEARLY.iter().map(|c| c.name))
        .collect()
}

/// The numeric value of a yearly column by name (`year` included), for the workbook.
pub fn yearly_value(row: &YearRow, name: &str) -> Option<Decimal> {
    if name == "year" {
        return Some(Decimal::from(row.year));
    }
    YEARLY
        .iter()
        .find(|c| c.name == name)
        .map(|c| (c.value)(row))
}

/// An amount column of `summary.csv` (after `trajectory` and `regime`, before `irr`,
/// `moic` and `payback_year`, which may be empty).
pub struct SummaryColumn {
    pub name: &'static str,
    pub value: fn(&Measures) -> Decimal,
}

/// The amount columns of `summary.csv`, in order; `cloud_income` and `npv_cloud` (SPEC 13)
/// follow the SPEC 8 columns, after `payback_year`.
pub const SUMMARY_AMOUNTS: [SummaryColumn; 4] = [
    SummaryColumn {
        name: "contributions",
        value: |m| m.contributions,
    },
    SummaryColumn {
        name: "inflows",
        value: |m| m.inflows,
    },
    SummaryColumn {
        name: "terminal_value",
        value: |m| m.terminal_value,
    },
    SummaryColumn {
        name: "npv",
        value: |m| m.npv,
    },
];

/// The cloud side's summary columns (SPEC 13), last in `summary.csv`.
pub const SUMMARY_CLOUD: [SummaryColumn; 2] = [
    SummaryColumn {
        name: "cloud_income",
        value: |m| m.cloud_income,
    },
    SummaryColumn {
        name: "npv_cloud",
        value: |m| m.npv_cloud,
    },
];
