//! A JSON Schema (draft 7) of the model file, for editors: taplo and Even Better TOML
//! check a TOML file against the schema its `#:schema` directive names, as it is typed.
//! Draft 7, not 2020-12: taplo's validator knows drafts 4, 6 and 7 only, and read a
//! 2020-12 schema as draft 7, where `prefixItems` means nothing and `items: false` refused
//! every `[year, value]` pair of every model (helper-287; `taplo check` said so).
//!
//! The schema says what a single key may hold: its type, its valid range (SPEC section 6),
//! whether it is required, and what it means. Rules that tie keys together (the years in
//! order, a tier's shares adding up to at most 1, a round inside the equity years, unique
//! trajectory names) are beyond JSON Schema and stay with the validator in `model::parse`,
//! which reports them when the model is read.
//!
//! It is written by hand beside the parser's raw types; tests/schema.rs keeps the two from
//! drifting apart: every model in the repository must pass it, and every broken model in
//! tests/bad must fail it unless it is listed there as breaking a rule the schema cannot say.
//!
//! The schema is JSON, and names what the built-in model writes:
//!
//! ```
//! use serde_json::Value;
//! use stakeshift::model::schema::model_schema_text;
//!
//! let schema: Value = serde_json::from_str(&model_schema_text()).expect("valid JSON");
//! assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
//! let required = schema["required"].as_array().unwrap();
//! assert!(required.iter().any(|k| k == "discount_rate"));
//! // SPEC 6: a discount rate above -1.
//! assert_eq!(schema["properties"]["discount_rate"]["exclusiveMinimum"], -1.0);
//! // Every top-level key of the built-in model is one the schema knows.
//! let model: toml::Table = toml::from_str(stakeshift::BUILTIN_MODEL).unwrap();
//! assert!(model.keys().all(|k| schema["properties"].get(k).is_some()));
//! ```

use serde_json::{Value, json};

use super::{MAX_PATHS, MAX_YEAR, MAX_YEARS};

/// The validator's largest number, as JSON Schema states it (1e18 is exact in f64).
const MAX_NUMBER: f64 = super::MAX_NUMBER as f64;

/// A year: a whole number (2025.0 is read as 2025), -MAX_YEAR to MAX_YEAR.
fn year(description: &str) -> Value {
    json!({
        "type": "integer",
        "description": description,
        "minimum": -MAX_YEAR,
        "maximum": MAX_YEAR,
    })
}

/// A number in [min, max] (both optional, inclusive).
fn number(description: &str, min: Option<f64>, max: Option<f64>) -> Value {
    let mut v = json!({ "type": "number", "description": description });
    let min = min.unwrap_or(-MAX_NUMBER);
    let max = max.unwrap_or(MAX_NUMBER);
    v["minimum"] = json!(min);
    v["maximum"] = json!(max);
    v
}

/// A number above `above` (exclusive) and at most the validator's largest.
fn number_above(description: &str, above: f64) -> Value {
    json!({
        "type": "number",
        "description": description,
        "exclusiveMinimum": above,
        "maximum": MAX_NUMBER,
    })
}

fn fraction(description: &str) -> Value {
    number(description, Some(0.0), Some(1.0))
}

fn boolean(description: &str) -> Value {
    json!({ "type": "boolean", "description": description })
}

fn text(description: &str) -> Value {
    json!({ "type": "string", "minLength": 1, "description": description })
}

/// The characters the validator refuses in names and descriptions (`not_plain`): control
/// characters, the line and paragraph separators (helper-287: `"a\u2028b"` passed), and
/// the bidirectional marks, embeddings, overrides and isolates, as a regular expression's
/// class body.
const NOT_PLAIN: &str =
    "\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u2028-\\u202E\\u2066-\\u2069";

/// The white space the validator trims (Rust's `char::is_whitespace` beyond the control
/// characters): written out, as `\s` differs between regular-expression dialects
/// (ECMA-262's, which JSON Schema names, takes U+FEFF too: helper-120).
const SPACES: &str = "\\u0020\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

/// A name (of the model, a party, a tier, a trajectory) or the unit: plain text with at
/// least one character that is neither space nor control.
fn name_pattern() -> String {
    format!("^[^{NOT_PLAIN}]*[^{NOT_PLAIN}{SPACES}][^{NOT_PLAIN}]*$")
}

fn name(description: &str) -> Value {
    json!({
        "type": "string",
        "minLength": 1,
        "pattern": name_pattern(),
        "description": description,
    })
}

/// `[[year, value], ...]` with each value checked by `value`.
fn pairs(description: &str, value: Value) -> Value {
    json!({
        "type": "array",
        "description": description,
        "items": {
            "type": "array",
            "items": [year("the year"), value],
            "minItems": 2,
            "additionalItems": false,
        },
    })
}

/// A series: points and the growth after the last one. `value` checks each point's value.
fn series(description: &str, value: Value, has_growth: &str) -> Value {
    let mut points = pairs(
        "[year, value] pairs, years strictly increasing; values interpolate between points (docs/MODEL.md section 8)",
        value,
    );
    points["minItems"] = json!(1);
    json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "required": ["points"],
        "properties": {
            "points": points,
            "growth": number_above(has_growth, -1.0),
        },
    })
}

fn revenue_share(description: &str) -> Value {
    json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        // An empty table is none, as if left out (SPEC 1's example writes one).
        "anyOf": [
            { "required": ["rate", "from", "until"] },
            { "additionalProperties": false },
        ],
        "properties": {
            "rate": fraction("share of the year's revenue paid to the investor"),
            "from": year("first year of the revenue share"),
            "until": year("last year of the revenue share (inclusive, at least `from`)"),
            "total_cap": number(
                "cap on cumulative revenue-share receipts, in the model's unit (default: none)",
                Some(0.0),
                None,
            ),
            "ends_at_agi": boolean("the revenue share stops in the AGI year (default false)"),
        },
    })
}

/// `{ party = amount, ... }` with each amount checked by `value`.
fn by_party(description: &str, value: Value) -> Value {
    json!({
        "type": "object",
        "description": description,
        "propertyNames": { "pattern": name_pattern() },
        "additionalProperties": value,
    })
}

/// A margin-like series of fractions (SPEC 13): points, and a growth accepted and ignored
/// (as a margin's: the series holds its last value).
fn share_series(description: &str, max: Option<f64>) -> Value {
    let mut points = pairs(
        "[year, value] pairs, years strictly increasing; linear between points, held after the last, 0 before the first",
        number(
            if max.is_some() {
                "a fraction"
            } else {
                "a share of revenue, 0 or more"
            },
            Some(0.0),
            max,
        ),
    );
    points["minItems"] = json!(1);
    json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "required": ["points"],
        "properties": {
            "points": points,
            "growth": number_above("accepted and ignored: the series holds its last value", -1.0),
        },
    })
}

/// `[profit_share.cloud]` or `[equity.cloud]`.
fn cloud_terms(description: &str) -> Value {
    json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "required": ["share"],
        "properties": {
            "share": share_series("the investor's share of the company's compute spend, 0 to 1", Some(1.0)),
            "commitment": {
                "type": "object",
                "description": "a take-or-pay commitment: in its `until` year, purchases of from..=until below `total` are topped up to it",
                "additionalProperties": false,
                "required": ["total", "from", "until"],
                "properties": {
                    "total": number("the committed total, in the model's unit", Some(0.0), None),
                    "from": year("the commitment's first year, inside the model's years"),
                    "until": year("its last year (inclusive, at least `from`), inside the model's years"),
                },
            },
        },
    })
}

/// The schema, as a JSON value.
pub fn model_schema() -> Value {
    let tier = json!({
        "type": "object",
        "description": "one step of the waterfall, in order; the active tier is the first that is not done",
        "additionalProperties": false,
        "required": ["name", "shares"],
        "properties": {
            "name": name("the tier's name, for reports"),
            "shares": by_party(
                "each party's share of what flows through this tier; they add up to at most 1 and the residual gets the rest",
                fraction("the party's share"),
            ),
            "until": by_party(
                "the cumulative receipts (all years and tiers) at which each party is done in this tier (default: the tier is never done); every party named has a share > 0 here, and the residual is never named",
                number_above("amount in the model's unit", 0.0),
            ),
            "cap_growth": number(
                "the `until` amounts grow by this rate a year (default 0); -1 or more (-1: caps of 0 after the first year of growth)",
                Some(-1.0),
                None,
            ),
            "cap_growth_from": year("the year the growth starts (default: start_year)"),
        },
    });
    let round = json!({
        "type": "object",
        "description": "a later funding round that dilutes the stake, applied in file order",
        "additionalProperties": false,
        "required": ["year", "raise"],
        "properties": {
            "year": year("the round's year, in equity.from_year..=end_year"),
            "raise": number_above("the amount raised, in the model's unit", 0.0),
            "pre_money": number_above(
                "pre-money value (default: the trajectory's valuation that year minus the raise)",
                0.0,
            ),
            "participation": number(
                "what the investor itself puts into the round, at most `raise` (default 0)",
                Some(0.0),
                None,
            ),
        },
    });
    let trajectory = json!({
        "type": "object",
        "description": "one possible future for the company",
        "additionalProperties": false,
        "required": ["name", "revenue", "margin", "valuation"],
        "properties": {
            "name": name("the trajectory's name, unique in the model"),
            "description": {
                "type": "string",
                "pattern": format!("^[^{NOT_PLAIN}]*$"),
                "description": "a line saying what this future is (no control characters)",
            },
            "agi_year": year("the year AGI is declared (default: never)"),
            "revenue": series(
                "the company's revenue, in the model's unit: geometric between positive points, compounding at `growth` after the last",
                number("revenue", Some(0.0), None),
                "yearly growth after the last point (default 0), above -1",
            ),
            "margin": series(
                "profit / revenue: linear between points, held after the last",
                number("margin, a fraction", None, None),
                "accepted and ignored: a margin holds its last value",
            ),
            "valuation": series(
                "the company's valuation, in the model's unit: geometric between positive points, compounding at `growth` after the last",
                number("valuation", Some(0.0), None),
                "yearly growth after the last point (default 0), above -1",
            ),
            "spend": share_series("this trajectory's compute spend as a share of revenue (0 or more; 1.5 is spend of 1.5 times revenue), replacing [cloud].spend (needs [cloud])", None),
        },
    });
    let vol = "a yearly standard deviation, 0 to 3: 0.2 for 20%";
    let persistence = "a persistence, 0 to 1: 0 forgets last year's shock, 1 keeps all of it";
    let hazard = "a yearly probability, 0 to 1, from simulation.from_year: 0.02 for 2%";
    // At least one weight above 0: not every weight at most 0 (which `{}` also is).
    let mut weights = by_party(
        "each trajectory's weight as a center, by name (default 1 each); at least one above 0",
        number("the trajectory's weight", Some(0.0), None),
    );
    weights["not"] = json!({ "additionalProperties": { "maximum": 0 } });
    let simulation = json!({
        "type": "object",
        "description": "how `stakeshift simulate` draws random futures around the trajectories (docs/MODEL.md section 15); every key optional",
        "additionalProperties": false,
        "properties": {
            "paths": {
                "type": "integer",
                "description": "the number of simulated futures (default 10000)",
                "minimum": 1,
                "maximum": MAX_PATHS,
            },
            "seed": {
                "type": "integer",
                "description": "the random seed (default 0); the same seed gives the same output",
                "minimum": 0,
                "maximum": i64::MAX,
            },
            "from_year": year("the first random year, in start_year..=end_year + 1 (end_year + 1: nothing random; default valuation_year + 1)"),
            "weights": weights,
            "revenue_vol": number(&format!("sd of the yearly log-revenue shock (default 0.2); {vol}"), Some(0.0), Some(3.0)),
            "revenue_persistence": fraction(&format!("how much of last year's revenue shock stays (default 1); {persistence}")),
            "margin_vol": number(&format!("sd of the yearly additive margin shock (default 0.05); {vol}"), Some(0.0), Some(3.0)),
            "margin_persistence": fraction(&format!("how much of last year's margin shock stays (default 0.8); {persistence}")),
            "valuation_beta": number("how much of the revenue shock the valuation takes, in log terms (default 1), -10 to 10", Some(-10.0), Some(10.0)),
            "valuation_vol": number(&format!("sd of the valuation's own yearly log shock (default 0.15); {vol}"), Some(0.0), Some(3.0)),
            "valuation_persistence": fraction(&format!("how much of last year's valuation shock stays (default 1); {persistence}")),
            "agi_hazard": fraction(&format!("the yearly probability that AGI is declared (default 0); {hazard}")),
            "failure_hazard": fraction(&format!("the yearly probability that the company fails (default 0); {hazard}")),
        },
    });
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "stakeshift model",
        "description": "A stakeshift model file: a capped profit share against an equity stake, and the futures they are compared on. Amounts are in `unit`; rates, shares, margins and stakes are fractions (0.27, not 27). Rules tying keys together (years in order, shares adding up to at most 1, unique names) are checked by `stakeshift check`, as are rules on numbers that JSON Schema cannot state: every number finite (no nan or inf) and exact in 28 significant digits, with no digit beyond the 28th decimal place, and every year a whole number (2025; 2025.0 is read as 2025). See docs/MODEL.md.",
        "type": "object",
        "additionalProperties": false,
        "required": [
            "name", "unit", "start_year", "end_year", "valuation_year", "discount_rate",
            "investor", "profit_share", "equity",
        ],
        // Trajectories in the file (at least one), or from a CSV (the file's list may then
        // be empty).
        "anyOf": [
            { "required": ["trajectories"], "properties": { "trajectories": { "minItems": 1 } } },
            { "required": ["trajectories_csv"] },
        ],
        "properties": {
            "name": name("the model's name, for reports"),
            "unit": name("the unit of every amount, such as \"USD bn\""),
            "start_year": year("the first year projected"),
            "end_year": year(&format!(
                "the last year projected (the horizon), inclusive; start_year..=end_year is at most {MAX_YEARS} years in all"
            )),
            "valuation_year": year("NPVs are stated as of the end of this year, in start_year..=end_year"),
            "discount_rate": number_above("the yearly discount rate, above -1", -1.0),
            "trajectories_csv": text(
                "a CSV file (path relative to the model) with columns trajectory,year,revenue,profit,valuation covering start_year..=end_year, and optionally cloud_spend (the compute spend itself, in the model's unit)",
            ),
            "investor": {
                "type": "object",
                "description": "who the investor is in the waterfall, and what it pays in",
                "additionalProperties": false,
                "required": ["party"],
                "properties": {
                    "party": name("the waterfall party whose receipts are the investor's"),
                    "contributions": pairs(
                        "cash paid in: [year, amount] pairs, years inside the model (default: none)",
                        number("amount paid in, in the model's unit", Some(0.0), None),
                    ),
                },
            },
            "profit_share": {
                "type": "object",
                "description": "regime A: the capped profit-sharing waterfall",
                "additionalProperties": false,
                "required": ["residual", "tiers"],
                "properties": {
                    "residual": name("the party that receives whatever no tier assigns"),
                    "loss_carryforward": boolean(
                        "losses must be earned back before anything is distributed (default false)",
                    ),
                    "investor_rights_end_at_agi": boolean(
                        "from the AGI year the investor's shares go to the residual (default false)",
                    ),
                    "tiers": {
                        "type": "array",
                        "description": "the waterfall's tiers, in order; at least one",
                        "minItems": 1,
                        "items": tier,
                    },
                    "revenue_share": revenue_share("regime A's share of revenue (optional)"),
                    "cloud": cloud_terms("regime A's cloud terms (needs [cloud]; default: the company buys nothing from the investor)"),
                },
            },
            "equity": {
                "type": "object",
                "description": "regime B: an equity stake that replaces the profit share",
                "additionalProperties": false,
                "required": ["from_year", "stake"],
                "properties": {
                    "from_year": year("the first year of the stake, inside the model's years; before it regime B follows regime A's waterfall"),
                    "stake": fraction("the stake held from from_year"),
                    "dividend_payout": fraction(
                        "share of distributable profit paid out as dividends (default 0)",
                    ),
                    "terminal_discount": fraction(
                        "haircut on the stake's value at the horizon (default 0)",
                    ),
                    "rounds": {
                        "type": "array",
                        "description": "later funding rounds (default: none)",
                        "items": round,
                    },
                    "revenue_share": revenue_share("regime B's share of revenue (optional)"),
                    "cloud": cloud_terms("regime B's cloud terms from equity.from_year, regime A's before (needs [cloud]; default: nothing bought from from_year)"),
                },
            },
            "simulation": simulation,
            "cloud": {
                "type": "object",
                "description": "the cloud side (docs/MODEL.md section 16): compute the company buys from the investor, and the investor's margin on it; without it nothing changes",
                "additionalProperties": false,
                "required": ["margin", "spend"],
                "properties": {
                    "margin": number("the investor's operating margin on the compute it sells, -1 to 1", Some(-1.0), Some(1.0)),
                    "spend": share_series("the company's compute spend as a share of its revenue (0 or more; 1.5 is spend of 1.5 times revenue)", None),
                },
            },
            "trajectories": {
                "type": "array",
                "description": "the futures both regimes are run on; names unique; at least one unless trajectories_csv gives them",
                "items": trajectory,
            },
        },
    })
}

/// The schema as the text `stakeshift schema` prints and docs/stakeshift.schema.json holds.
pub fn model_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&model_schema()).expect("JSON of plain values");
    text.push('\n');
    text
}
