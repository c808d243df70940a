//! The simulation as JSON: the rows of `simulation.csv` (with each share's 95% interval),
//! the counts, the conclusion and, when it was computed, the fan.

use serde_json::{Map, Number, Value, json};

use super::csv::{QUANTITIES, STATISTICS, amount, ratio};
use super::stats::interval_95;
use super::{Results, table};
use crate::model::Model;

/// A number from its printed form (exact digits), or null.
fn num(text: String) -> Value {
    text.parse::<Number>().map_or(Value::Null, Value::Number)
}

/// The document, pretty-printed, with a final newline.
pub fn render(model: &Model, source: &str, results: &Results) -> Vec<u8> {
    let groups: Vec<Value> = results
        .groups
        .iter()
        .map(|g| {
            let mut o = Map::new();
            o.insert("group".into(), json!(g.name));
            o.insert("paths".into(), json!(g.paths));
            if g.paths > 0 {
                let (lo, hi) = interval_95(g.p_equity_wins(), g.paths);
                o.insert("p_equity_wins".into(), num(ratio(g.p_equity_wins())));
                o.insert("p_equity_wins_se".into(), num(ratio(g.p_equity_wins_se())));
                o.insert(
                    "p_equity_wins_95".into(),
                    json!([num(ratio(lo)), num(ratio(hi))]),
                );
                o.insert("p_tie".into(), num(ratio(g.p_tie())));
            }
            for (q, s) in
                QUANTITIES
                    .iter()
                    .zip([&g.npv_profit_share, &g.npv_equity, &g.npv_advantage])
            {
                let Some(s) = s else { continue };
                let values = [s.mean, s.sd]
                    .into_iter()
                    .chain(s.percentiles)
                    .map(|v| num(amount(v)));
                let stats: Map<String, Value> = STATISTICS
                    .iter()
                    .map(|k| k.to_string())
                    .zip(values)
                    .collect();
                o.insert(q.to_string(), Value::Object(stats));
            }
            Value::Object(o)
        })
        .collect();
    let fan: Vec<Value> = results
        .fan
        .iter()
        .map(|r| {
            json!({
                "regime": r.regime.as_str(),
                "year": r.year,
                "p5": num(amount(r.percentiles[0])),
                "p25": num(amount(r.percentiles[1])),
                "p50": num(amount(r.percentiles[2])),
                "p75": num(amount(r.percentiles[3])),
                "p95": num(amount(r.percentiles[4])),
                "mean": num(amount(r.mean)),
            })
        })
        .collect();
    let mut doc = json!({
        "model": model.name,
        "source": source,
        "unit": model.unit,
        "valuation_year": model.valuation_year,
        "paths": results.paths,
        "seed": results.seed,
        "from_year": model.simulation.first_random_year(model),
        "groups": groups,
        "failed": results.failed,
        "reached_agi": results.reached_agi,
        "skipped_rounds": results.skipped_rounds,
        "paths_with_skipped_rounds": results.paths_with_skipped_rounds,
        "conclusion": table::conclusion(model, results),
    });
    if !fan.is_empty() {
        doc["fan_paths"] = json!(results.fan_paths);
        doc["fan"] = Value::Array(fan);
    }
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("JSON of plain values");
    bytes.push(b'\n');
    bytes
}
