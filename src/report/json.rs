//! JSON output: the same numbers as the CSV files (rounded by the same rule, written as JSON
//! numbers with their fixed decimals), with the model's context, in one document.
//!
//! The document is streamed: each trajectory and each yearly row is serialized as it is
//! reached, never gathered into one tree, so memory stays near that of the results
//! themselves however many rows there are (200 trajectories x 500 years is 200,000 rows).
//!
//! The built-in model's document, checked against the model file and MODEL.md (12.2, 12.3):
//!
//! ```
//! use stakeshift::report::json;
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let bytes = json::render(&loaded.model, &loaded.label, &[], &comparison, false);
//! let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
//! assert_eq!(doc["model"]["investor"], "microsoft");
//! // Numbers keep their fixed decimals: a rate to 8 places, amounts to 6.
//! assert_eq!(doc["model"]["discount_rate"].to_string(), "0.09000000");
//! let base = &doc["trajectories"][2];
//! assert_eq!(base["name"], "base");
//! // 1 + 2 + 10 + 0.75 paid in; the profit share has no terminal value.
//! assert_eq!(base["profit_share"]["contributions"].to_string(), "13.750000");
//! assert_eq!(base["profit_share"]["terminal_value"].to_string(), "0.000000");
//! assert!(base["equity"].get("yearly").is_none()); // yearly rows only when asked for
//! assert_eq!(doc["version"], env!("CARGO_PKG_VERSION"));
//! # Ok::<(), stakeshift::Error>(())
//! ```

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value, json};

use crate::compare::Comparison;
use crate::engine::{Measures, RegimeResult, TrajectoryResult, YearRow};
use crate::model::Model;
use crate::report::columns::{self, Column, Format, REGIMES};
use crate::report::{ratio, table};

/// A number from its printed form, or null for an empty value.
pub(crate) fn num(text: String) -> Value {
    if text.is_empty() {
        return Value::Null;
    }
    text.parse::<Number>().map_or(Value::Null, Value::Number)
}

/// A value as JSON: text as a string, a number as printed (its fixed decimals kept), null
/// where there is none.
pub fn to_json(format: Format, value: columns::Value) -> Value {
    match value {
        columns::Value::Text(text) => Value::String(text.to_string()),
        columns::Value::Winner(w) => Value::String(w.as_str().to_string()),
        number => num(format.text(number)),
    }
}

/// The value of `column` in `row`, as JSON.
pub fn column_value<R>(column: &Column<R>, row: &R) -> Value {
    to_json(column.format, (column.value)(row))
}

/// Writes the document to `out`, pretty-printed, with a final newline.
pub fn write(
    model: &Model,
    source: &str,
    overridden_by: &[String],
    comparison: &Comparison,
    yearly: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let doc = Document {
        model,
        source,
        overridden_by,
        comparison,
        yearly,
    };
    doc.serialize(&mut serde_json::Serializer::pretty(&mut *out))
        .map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// The document as bytes (for tests and small outputs).
pub fn render(
    model: &Model,
    source: &str,
    overridden_by: &[String],
    comparison: &Comparison,
    yearly: bool,
) -> Vec<u8> {
    let mut bytes = Vec::new();
    write(model, source, overridden_by, comparison, yearly, &mut bytes).expect("write to memory");
    bytes
}

/// The `model` object every JSON document of stakeshift opens with (compare, simulate,
/// sweep, solve, tornado): the model's name, the file it was read from, the `--set`s applied
/// (`PATH=VALUE`), the unit of its amounts, the investor, its years and its discount rate.
/// (Each document ends with `version`, [`VERSION`].)
pub fn model_object(model: &Model, file: &str, overridden_by: &[String]) -> Value {
    json!({
        "name": model.name,
        "file": file,
        "overrides": super::overrides_json(overridden_by),
        "unit": model.unit,
        "investor": model.party_name(model.investor.party),
        "start_year": model.start_year,
        "end_year": model.end_year,
        "valuation_year": model.valuation_year,
        "discount_rate": num(ratio(model.discount_rate)),
    })
}

/// The program's version, the last field of every JSON document.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

struct Document<'a> {
    model: &'a Model,
    source: &'a str,
    overridden_by: &'a [String],
    comparison: &'a Comparison,
    yearly: bool,
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let model = self.model;
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry(
            "model",
            &model_object(model, self.source, self.overridden_by),
        )?;
        map.serialize_entry(
            "trajectories",
            &Trajectories {
                all: &self.comparison.trajectories,
                yearly: self.yearly,
            },
        )?;
        map.serialize_entry(
            "conclusion",
            &table::conclusion_sentence(model, self.comparison),
        )?;
        map.serialize_entry("version", VERSION)?;
        map.end()
    }
}

struct Trajectories<'a> {
    all: &'a [TrajectoryResult],
    yearly: bool,
}

impl Serialize for Trajectories<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.all.len()))?;
        for t in self.all {
            seq.serialize_element(&Trajectory {
                t,
                yearly: self.yearly,
            })?;
        }
        seq.end()
    }
}

struct Trajectory<'a> {
    t: &'a TrajectoryResult,
    yearly: bool,
}

impl Serialize for Trajectory<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.t;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("name", &t.name)?;
        map.serialize_entry("description", &t.description)?;
        map.serialize_entry("agi_year", &t.agi_year)?;
        for c in &columns::COMPARISON {
            map.serialize_entry(c.name, &column_value(c, t))?;
        }
        for regime in REGIMES {
            map.serialize_entry(
                regime.as_str(),
                &RegimeJson {
                    result: t.regime(regime),
                    yearly: self.yearly,
                },
            )?;
        }
        map.end()
    }
}

struct RegimeJson<'a> {
    result: &'a RegimeResult,
    yearly: bool,
}

impl Serialize for RegimeJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m: &Measures = &self.result.measures;
        let mut map = s.serialize_map(None)?;
        for c in columns::summary() {
            map.serialize_entry(c.name, &column_value(c, m))?;
        }
        if self.yearly {
            map.serialize_entry("yearly", &Rows(&self.result.rows))?;
        }
        map.end()
    }
}

struct Rows<'a>(&'a [YearRow]);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for row in self.0 {
            seq.serialize_element(&Row(row))?;
        }
        seq.end()
    }
}

struct Row<'a>(&'a YearRow);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let row = self.0;
        let mut map = s.serialize_map(Some(1 + columns::YEARLY.len()))?;
        map.serialize_entry(columns::YEAR.name, &row.year)?;
        for c in &columns::YEARLY {
            map.serialize_entry(c.name, &column_value(c, row))?;
        }
        map.end()
    }
}
