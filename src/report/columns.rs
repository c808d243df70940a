//! The output columns, described once: each row type's columns in order, with how a value
//! is printed, and the value itself. The CSV files, the JSON and the workbook read these
//! lists, so a column is added or renamed in one place.
//!
//! - `yearly.csv`: [`YEARLY_KEYS`], then [`YEARLY`] (the JSON's yearly rows: `year`, then
//!   [`YEARLY`]; the workbook's trajectory sheets: all of them, [`YEARLY_HEADER`]);
//! - `summary.csv`: `trajectory`, `regime`, then [`summary`] (the JSON's regime objects);
//! - `comparison.csv`: `trajectory`, [`COMPARISON`], then [`SUMMARY_RETURNS`] once per
//!   regime ([`comparison_header`]); the JSON's trajectory objects hold [`COMPARISON`], the
//!   workbook's `Summary` sheet its columns through the winner.
//!
//! `sweep`, `solve` and `tornado` describe theirs with the same [`Column`] beside their rows
//! (`report::sensitivity`).
//!
//! ```
//! use stakeshift::report::columns::{YEARLY, Format};
//! assert_eq!(YEARLY[0].name, "revenue");
//! assert!(YEARLY.iter().any(|c| c.name == "stake" && c.format == Format::Ratio));
//! ```
//!
//! A column prints its value from a row by its format, and finds its place by name:
//!
//! ```
//! use stakeshift::report::columns::{self, YEARLY_HEADER};
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let base = &comparison.trajectories[2];
//! let moic = columns::summary().find(|c| c.name == "moic").unwrap();
//! assert_eq!(moic.text(&base.equity.measures).split('.').nth(1).unwrap().len(), 8);
//! assert_eq!(YEARLY_HEADER[columns::yearly_position("cash_flow")], "cash_flow");
//! # Ok::<(), stakeshift::Error>(())
//! ```

pub use crate::sensitivity::InputKind;
use rust_decimal::Decimal;

use crate::engine::{Measures, Regime, TrajectoryResult, Winner, YearRow};

/// How a value is printed (in CSV and JSON: amounts to 6 places, ratios to 8) and shown (the
/// workbook's number format).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A name from the model (a trajectory's): CSV neutralises it against formula injection.
    Name,
    /// stakeshift's own words (a regime, a winner, an input's path), as they are.
    Text,
    /// A year, as an integer.
    Year,
    /// An amount, to 6 places.
    Amount,
    /// An advantage (NPV(equity) - NPV(profit share), or a target for one): an amount, which
    /// the tables sign.
    Advantage,
    /// A ratio (a stake, an IRR, an input's value) to 8 places; the workbook shows it as a
    /// percentage.
    Ratio,
    /// A factor (a discount factor, a multiple, a scale) to 8 places; the workbook shows it
    /// plainly, to 6.
    Factor,
    /// An input's value (a grid value of `sweep`, `tornado`'s low and high, `solve`'s
    /// current value): its own digits, padded with zeros to the places of the kind its
    /// [`Value::Input`] says (SPEC 8: an amount 6, a rate, share, stake or factor 8), a
    /// year as written; a value without a kind as written.
    Input,
    /// A solution of `solve`: to the places of its kind of input (8 without one), or more
    /// to keep 9 significant digits ([`super::sensitivity::solution`]).
    Solution,
}

impl Format {
    /// The value as CSV and JSON print it, rounded once by the one rule; empty where there
    /// is none.
    pub fn text(self, value: Value) -> String {
        match value {
            Value::Text(s) => s.to_string(),
            Value::Winner(w) => w.as_str().to_string(),
            Value::Integer(n) => n.map(|n| n.to_string()).unwrap_or_default(),
            Value::Decimal(v) => v.map(|v| self.decimal(v)).unwrap_or_default(),
            Value::Input(v, kind) => v.map(|v| self.input(v, kind)).unwrap_or_default(),
            // From the f64's own exact value, rounded once by the one rule (through a
            // `Decimal` it was rounded twice: rust_decimal's from_f64 drops digits first;
            // helper-56), and in full however large (an IRR can reach e^700, DECISIONS 6).
            Value::Float(v) => v
                .map(|v| super::fixed_f64(v, self.places()))
                .unwrap_or_default(),
        }
    }

    fn decimal(self, v: Decimal) -> String {
        match self {
            Format::Amount | Format::Advantage => super::amount(v),
            Format::Ratio | Format::Factor => super::ratio(v),
            Format::Solution => super::sensitivity::solution(v, super::RATIO_DP),
            Format::Input | Format::Name | Format::Text | Format::Year => {
                super::sensitivity::exact(v)
            }
        }
    }

    /// An input's value `v` of `kind`, as this format prints it: a solution to its kind's
    /// places or 9 significant digits; another value with every digit it has (a third to
    /// 28) and at least its kind's places, so that no value is printed as another: SPEC
    /// 11's grid is exact, and 0.27 .. 0.27000001 in 5 steps printed two values each twice
    /// at 8 places (helper-213).
    fn input(self, v: Decimal, kind: InputKind) -> String {
        match (self, kind.places()) {
            (Format::Solution, places) => {
                super::sensitivity::solution(v, places.unwrap_or(super::RATIO_DP))
            }
            // The value's own digits, padded to its kind's places, never rounded: `fixed`
            // rounds at 24 significant digits, which a rate of 1e16 with 8 places passes.
            (_, Some(places)) => {
                let mut text = super::sensitivity::exact(v);
                let have = text.split_once('.').map_or(0, |(_, f)| f.len());
                if have == 0 && places > 0 {
                    text.push('.');
                }
                text.extend(std::iter::repeat_n(
                    '0',
                    (places as usize).saturating_sub(have),
                ));
                text
            }
            (_, None) => super::sensitivity::exact(v),
        }
    }

    fn places(self) -> u32 {
        match self {
            Format::Amount | Format::Advantage => super::AMOUNT_DP,
            _ => super::RATIO_DP,
        }
    }
}

/// A value as a row holds it, before it is printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Text(&'a str),
    Winner(Winner),
    Integer(Option<i64>),
    Decimal(Option<Decimal>),
    /// An f64 statistic (an IRR).
    Float(Option<f64>),
    /// An input's value, with the kind of number it is ([`Format::Input`]).
    Input(Option<Decimal>, InputKind),
}

impl Value<'_> {
    /// The number, for a view that prints it its own way (the tables).
    pub fn decimal(self) -> Option<Decimal> {
        match self {
            Value::Decimal(v) | Value::Input(v, _) => v,
            _ => None,
        }
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Text(s)
    }
}

impl From<Winner> for Value<'_> {
    fn from(w: Winner) -> Self {
        Value::Winner(w)
    }
}

impl From<Option<i32>> for Value<'_> {
    fn from(n: Option<i32>) -> Self {
        Value::Integer(n.map(i64::from))
    }
}

impl From<Decimal> for Value<'_> {
    fn from(v: Decimal) -> Self {
        Value::Decimal(Some(v))
    }
}

impl From<Option<Decimal>> for Value<'_> {
    fn from(v: Option<Decimal>) -> Self {
        Value::Decimal(v)
    }
}

impl From<Option<f64>> for Value<'_> {
    fn from(v: Option<f64>) -> Self {
        Value::Float(v)
    }
}

/// A column of an output whose rows are `R`: its name (the CSV header, the JSON key), how
/// its value is printed, and the value in a row.
pub struct Column<R> {
    pub name: &'static str,
    pub format: Format,
    pub value: fn(&R) -> Value<'_>,
}

impl<R> Column<R> {
    /// The value of `row`, printed as CSV and JSON print it.
    pub fn text(&self, row: &R) -> String {
        self.format.text((self.value)(row))
    }
}

/// The names of `columns`, in order (for a header that is a constant).
pub const fn names<R, const N: usize>(columns: &[Column<R>; N]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = columns[i].name;
        i += 1;
    }
    names
}

/// Whether two names are the same (`==` is not yet a `const fn` on `str`).
pub const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Where `name` is in `names`; a name that is not there is a mistake of the code (at
/// compile time where the result is a constant).
pub const fn position(names: &[&str], name: &str) -> usize {
    let mut i = 0;
    while i < names.len() {
        if same(names[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("no column of that name")
}

/// A column that locates a row (its trajectory, regime, year): its value comes from where
/// the row sits, not from the row.
pub struct Key {
    pub name: &'static str,
    pub format: Format,
}

/// The regimes in the order of every output.
pub const REGIMES: [Regime; 2] = [Regime::ProfitShare, Regime::Equity];

/// The trajectory's name, first in every output of `compare`.
pub const TRAJECTORY: Key = Key {
    name: "trajectory",
    format: Format::Name,
};
/// The regime.
pub const REGIME: Key = Key {
    name: "regime",
    format: Format::Text,
};
/// The year of a yearly row.
pub const YEAR: Key = Key {
    name: "year",
    format: Format::Year,
};

macro_rules! yearly {
    ($($name:ident: $format:ident),* $(,)?) => {
        [$(Column {
            name: stringify!($name),
            format: Format::$format,
            value: |r: &YearRow| Value::from(r.$name),
        }),*]
    };
}

/// The numeric columns of a yearly row, in the order of `yearly.csv` (SPEC 8, then the
/// cloud side's two of SPEC 13).
pub const YEARLY: [Column<YearRow>; 16] = yearly![
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
    discount_factor: Factor,
    present_value: Amount,
    cloud_purchases: Amount,
    cloud_income: Amount,
];

/// A column of `yearly.csv` after its keys.
pub type YearlyColumn = Column<YearRow>;

/// The columns that locate a yearly row, before [`YEARLY`]: [`yearly_keys`] gives their
/// values.
pub const YEARLY_KEYS: [Key; 3] = [TRAJECTORY, REGIME, YEAR];

/// The values of [`YEARLY_KEYS`] for `row` of `regime` of `trajectory`.
pub fn yearly_keys<'a>(trajectory: &'a str, regime: Regime, row: &YearRow) -> [Value<'a>; 3] {
    [
        Value::Text(trajectory),
        Value::Text(regime.as_str()),
        Value::Integer(Some(row.year.into())),
    ]
}

/// Every header of `yearly.csv` (and of the workbook's trajectory sheets): the keys, then
/// [`YEARLY`].
pub const YEARLY_HEADER: [&str; YEARLY_KEYS.len() + YEARLY.len()] = {
    let mut names = [""; YEARLY_KEYS.len() + YEARLY.len()];
    let mut i = 0;
    while i < YEARLY_KEYS.len() {
        names[i] = YEARLY_KEYS[i].name;
        i += 1;
    }
    let mut j = 0;
    while j < YEARLY.len() {
        names[i + j] = YEARLY[j].name;
        j += 1;
    }
    names
};

/// Where the column `name` is in [`YEARLY_HEADER`] (0-based): the workbook's formulas refer
/// to cells by it.
pub const fn yearly_position(name: &str) -> usize {
    position(&YEARLY_HEADER, name)
}

pub type SummaryColumn = Column<Measures>;

macro_rules! measures {
    ($($name:ident: $format:ident),* $(,)?) => {
        [$(Column {
            name: stringify!($name),
            format: Format::$format,
            value: |m: &Measures| Value::from(m.$name),
        }),*]
    };
}

/// The amount columns of `summary.csv` (SPEC 8), first after `trajectory` and `regime`.
pub const SUMMARY_AMOUNTS: [Column<Measures>; 4] = measures![
    contributions: Amount,
    inflows: Amount,
    terminal_value: Amount,
    npv: Amount,
];

/// The terminal value and the NPV of [`SUMMARY_AMOUNTS`]: the columns of the NPV block
/// beside each trajectory's sheet of the workbook.
pub const TERMINAL_VALUE: &str = SUMMARY_AMOUNTS[2].name;
pub const NPV: &str = SUMMARY_AMOUNTS[3].name;

/// The returns (SPEC 8), after [`SUMMARY_AMOUNTS`], each may be empty; `comparison.csv` has
/// them once per regime.
pub const SUMMARY_RETURNS: [Column<Measures>; 3] = measures![
    irr: Ratio,
    moic: Factor,
    payback_year: Year,
];

/// The cloud side's summary columns (SPEC 13), last in `summary.csv`.
pub const SUMMARY_CLOUD: [Column<Measures>; 2] = measures![
    cloud_income: Amount,
    npv_cloud: Amount,
];

/// The columns of `summary.csv` after `trajectory` and `regime`, in order (and the fields
/// of a regime's object in the JSON).
pub fn summary() -> impl Iterator<Item = &'static Column<Measures>> {
    let (amounts, returns, cloud): (&'static [_], &'static [_], &'static [_]) =
        (&SUMMARY_AMOUNTS, &SUMMARY_RETURNS, &SUMMARY_CLOUD);
    amounts.iter().chain(returns).chain(cloud)
}

/// The columns of `comparison.csv` after `trajectory`, before the returns per regime (and
/// the fields of a trajectory's object in the JSON after its name, description and AGI
/// year). The workbook's `Summary` sheet shows those through `winner`.
pub const COMPARISON: [Column<TrajectoryResult>; 5] = [
    Column {
        name: "npv_profit_share",
        format: Format::Amount,
        value: |t| t.profit_share.measures.npv.into(),
    },
    Column {
        name: "npv_equity",
        format: Format::Amount,
        value: |t| t.equity.measures.npv.into(),
    },
    Column {
        name: "npv_advantage",
        format: Format::Advantage,
        value: |t| t.npv_advantage.into(),
    },
    Column {
        name: "winner",
        format: Format::Text,
        value: |t| t.winner.into(),
    },
    Column {
        name: "breakeven_scale",
        format: Format::Factor,
        value: |t| t.breakeven_scale.into(),
    },
];

/// A return of [`SUMMARY_RETURNS`] as `comparison.csv` names it for `regime`:
/// `irr_profit_share`.
pub fn per_regime(column: &Column<Measures>, regime: Regime) -> String {
    format!("{}_{}", column.name, regime.as_str())
}

/// Every header of `comparison.csv`: `trajectory`, [`COMPARISON`], then each of
/// [`SUMMARY_RETURNS`] for each regime.
pub fn comparison_header() -> Vec<String> {
    let mut header = vec![TRAJECTORY.name.to_string()];
    header.extend(COMPARISON.iter().map(|c| c.name.to_string()));
    for c in &SUMMARY_RETURNS {
        header.extend(REGIMES.iter().map(|&regime| per_regime(c, regime)));
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_found_by_name() {
        assert_eq!(yearly_position("trajectory"), 0);
        assert_eq!(yearly_position("year"), 2);
        assert_eq!(yearly_position("revenue"), 3);
        for (i, name) in YEARLY_HEADER.iter().enumerate() {
            assert_eq!(yearly_position(name), i);
        }
        assert!(same("npv", "npv") && !same("npv", "npv_cloud") && !same("a", "b"));
        // Named by their place in SUMMARY_AMOUNTS.
        assert_eq!((TERMINAL_VALUE, NPV), ("terminal_value", "npv"));
    }

    #[test]
    fn names_are_unique() {
        let mut all: Vec<String> = YEARLY_HEADER.iter().map(|s| s.to_string()).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), YEARLY_HEADER.len());
        let mut all = comparison_header();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 1 + COMPARISON.len() + 2 * SUMMARY_RETURNS.len());
    }

    #[test]
    fn values_print_by_their_format() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(Format::Amount.text(d("1.0000005").into()), "1.000001");
        assert_eq!(Format::Ratio.text(d("0.27").into()), "0.27000000");
        assert_eq!(Format::Input.text(d("0.50").into()), "0.5");
        // By the input's kind (SPEC 8): a stake to 8 places, an amount to 6, a year whole.
        use InputKind::{Amount, AsWritten, Ratio};
        for (format, value, kind, printed) in [
            (Format::Input, "0.2025", Ratio, "0.20250000"),
            (Format::Input, "69", Amount, "69.000000"),
            (Format::Input, "2030", AsWritten, "2030"),
            (Format::Input, "-0", Amount, "0.000000"),
            // More places where the value has them: a grid value is never printed as
            // another.
            (
                Format::Input,
                "0.3333333333333333333333333333",
                Ratio,
                "0.3333333333333333333333333333",
            ),
            (Format::Input, "730.0000005", Amount, "730.0000005"),
            // Never rounded at 24 significant digits (helper-216: 1e16 + 1e-8 printed as
            // 1e16).
            (
                Format::Input,
                "10000000000000000.00000001",
                Ratio,
                "10000000000000000.00000001",
            ),
            // A solution keeps 9 significant digits past its kind's places.
            (Format::Solution, "37.5", Amount, "37.5000000"),
            (Format::Solution, "1234.5", Amount, "1234.500000"),
        ] {
            let text = format.text(Value::Input(Some(d(value)), kind));
            assert_eq!(text, printed, "{value} as {kind:?}");
        }
        assert_eq!(Format::Ratio.text(Some(0.1f64).into()), "0.10000000");
        assert_eq!(Format::Ratio.text(Some(1e300f64).into()).len(), 301 + 9);
        assert_eq!(Format::Ratio.text(None::<f64>.into()), "");
        assert_eq!(Format::Year.text(Some(2030).into()), "2030");
        assert_eq!(Format::Year.text(None::<i32>.into()), "");
        assert_eq!(
            Format::Text.text(Winner::ProfitShare.into()),
            "profit_share"
        );
    }
}
