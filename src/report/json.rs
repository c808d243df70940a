//! JSON output: the same numbers as the CSV files (rounded by the same rule, written as JSON
//! numbers with their fixed decimals), with the model's context, in one document.

use serde_json::{Map, Number, Value, json};

use crate::compare::Comparison;
use crate::engine::{Measures, Regime, TrajectoryResult};
use crate::model::Model;
use crate::report::{amount, rate_f64, ratio, table};

/// A number from its printed form, or null for an empty value.
fn num(text: String) -> Value {
    if text.is_empty() {
        return Value::Null;
    }
    text.parse::<Number>().map_or(Value::Null, Value::Number)
}

pub fn render(model: &Model, source: &str, comparison: &Comparison, yearly: bool) -> Vec<u8> {
    let trajectories: Vec<Value> = comparison
        .trajectories
        .iter()
        .map(|t| trajectory(t, yearly))
        .collect();
    let doc = json!({
        "model": {
            "name": model.name,
            "file": source,
            "unit": model.unit,
            "investor": model.party_name(model.investor.party),
            "start_year": model.start_year,
            "end_year": model.end_year,
            "valuation_year": model.valuation_year,
            "discount_rate": num(ratio(model.discount_rate)),
        },
        "trajectories": trajectories,
        "conclusion": table::conclusion(model, comparison),
        "version": env!("CARGO_PKG_VERSION"),
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("JSON of plain values");
    bytes.push(b'\n');
    bytes
}

fn trajectory(t: &TrajectoryResult, yearly: bool) -> Value {
    let mut obj = Map::new();
    obj.insert("name".into(), json!(t.name));
    obj.insert("description".into(), json!(t.description));
    obj.insert("agi_year".into(), json!(t.agi_year));
    obj.insert(
        "npv_profit_share".into(),
        num(amount(t.profit_share.measures.npv)),
    );
    obj.insert("npv_equity".into(), num(amount(t.equity.measures.npv)));
    obj.insert("npv_advantage".into(), num(amount(t.npv_advantage)));
    obj.insert("winner".into(), json!(t.winner.as_str()));
    obj.insert(
        "breakeven_scale".into(),
        num(t.breakeven_scale.map(ratio).unwrap_or_default()),
    );
    for regime in [Regime::ProfitShare, Regime::Equity] {
        let result = t.regime(regime);
        let mut r = measures(&result.measures);
        if yearly {
            let rows: Vec<Value> = result
                .rows
                .iter()
                .map(|row| {
                    json!({
                        "year": row.year,
                        "revenue": num(amount(row.revenue)),
                        "profit": num(amount(row.profit)),
                        "valuation": num(amount(row.valuation)),
                        "distributable": num(amount(row.distributable)),
                        "contribution": num(amount(row.contribution)),
                        "distribution": num(amount(row.distribution)),
                        "revenue_share": num(amount(row.revenue_share)),
                        "dividend": num(amount(row.dividend)),
                        "stake": num(ratio(row.stake)),
                        "holding_value": num(amount(row.holding_value)),
                        "cash_flow": num(amount(row.cash_flow)),
                        "cumulative_cash_flow": num(amount(row.cumulative_cash_flow)),
                        "discount_factor": num(ratio(row.discount_factor)),
                        "present_value": num(amount(row.present_value)),
                    })
                })
                .collect();
            r.insert("yearly".into(), Value::Array(rows));
        }
        obj.insert(regime.as_str().into(), Value::Object(r));
    }
    Value::Object(obj)
}

fn measures(m: &Measures) -> Map<String, Value> {
    let mut r = Map::new();
    r.insert("contributions".into(), num(amount(m.contributions)));
    r.insert("inflows".into(), num(amount(m.inflows)));
    r.insert("terminal_value".into(), num(amount(m.terminal_value)));
    r.insert("npv".into(), num(amount(m.npv)));
    r.insert("irr".into(), num(rate_f64(m.irr)));
    r.insert("moic".into(), num(m.moic.map(ratio).unwrap_or_default()));
    r.insert("payback_year".into(), json!(m.payback_year));
    r
}
