//! The simulation as JSON: the rows of `simulation.csv` (with each share's 95% interval),
//! the counts, the conclusion and, when it was computed, the fan.
//!
//! 8 paths of the built-in model's `base` and `bull`, every vol and hazard 0, so that each
//! path is its center and has `compare`'s winner (SPEC 10): `base` loses, `bull` wins.
//!
//! ```
//! use serde_json::Value;
//! use stakeshift::overrides::Override;
//! use stakeshift::simulate::{Options, json, run, table};
//!
//! let zero = ["revenue_vol", "margin_vol", "valuation_vol", "agi_hazard",
//!     "failure_hazard"].map(|k| Override::parse(&format!("simulation.{k}=0")).unwrap());
//! let model = stakeshift::io::read_model_file(None)?.load(&zero)?.model; // built in
//! let options = Options { paths: 8, seed: 0, selected: Some(vec![2, 3]), fan: false };
//! let results = run(&model, &options, &|_| {}).expect("it runs");
//! let doc: Value = serde_json::from_slice(&json::render(&model, "m", &[], &results)).unwrap();
//! assert_eq!((doc["paths"].as_u64(), doc["from_year"].as_i64()), (Some(8), Some(2026)));
//! assert_eq!(doc["conclusion"], table::conclusion(&model, &results));
//! assert!(doc.get("fan").is_none()); // not asked for
//! let groups = doc["groups"].as_array().unwrap();
//! let names: Vec<&str> = groups.iter().map(|g| g["group"].as_str().unwrap()).collect();
//! assert_eq!(names, ["all", "base", "bull"]);
//! let paths: Vec<u64> = groups.iter().map(|g| g["paths"].as_u64().unwrap()).collect();
//! assert_eq!(paths[1] + paths[2], 8);
//! // Equity wins on exactly the `bull` paths. Wilson's 95% interval of a share of 0 of n
//! // is [0, z²/(n + z²)], of n of n [n/(n + z²), 1] (z = 1.959964), to 8 places.
//! let p = groups[0]["p_equity_wins"].as_f64().unwrap();
//! assert_eq!(p, paths[2] as f64 / 8.0);
//! let z2 = 1.959_963_984_540_054_f64.powi(2);
//! let ends = |g: usize| -> Vec<f64> {
//!     let e = groups[g]["p_equity_wins_95"].as_array().unwrap();
//!     e.iter().map(|v| v.as_f64().unwrap()).collect()
//! };
//! let (base, bull) = (paths[1] as f64, paths[2] as f64);
//! assert_eq!(ends(1)[0], 0.0);
//! assert!((ends(1)[1] - z2 / (base + z2)).abs() < 1e-8);
//! assert!((ends(2)[0] - bull / (bull + z2)).abs() < 1e-8);
//! assert_eq!(ends(2)[1], 1.0);
//! # Ok::<(), stakeshift::Error>(())
//! ```

use serde_json::{Map, Value, json};

use super::csv::{
    COUNTS, FAN, FAN_KEYS, GROUP, PATHS, QUANTITIES, SHARES, STATISTICS, amount, ratio,
};
use super::{Results, table};
use crate::model::Model;
use crate::report::json::{VERSION, model_object, num};

/// The document, pretty-printed, with a final newline.
pub fn render(model: &Model, source: &str, overridden_by: &[String], results: &Results) -> Vec<u8> {
    let groups: Vec<Value> = results
        .groups
        .iter()
        .map(|g| {
            let mut o = Map::new();
            o.insert(GROUP.into(), json!(g.name));
            o.insert(PATHS.into(), json!(g.paths));
            // A center drawn on no path has every key, each null (as compare's JSON has
            // null for an empty value), so that every group has the same shape.
            for share in &SHARES {
                let value = (g.paths > 0).then(|| num(ratio((share.value)(g))));
                o.insert(share.name.into(), value.unwrap_or(Value::Null));
                // The JSON alone also gives P(equity wins)'s 95% interval, after its
                // standard error.
                if share.name == "p_equity_wins_se" {
                    let interval = (g.paths > 0).then(|| {
                        let (lo, hi) = g.p_equity_wins_95();
                        json!([num(ratio(lo)), num(ratio(hi))])
                    });
                    o.insert("p_equity_wins_95".into(), interval.unwrap_or(Value::Null));
                }
            }
            for q in &QUANTITIES {
                let summary = (q.summary)(g);
                let stats: Map<String, Value> = STATISTICS
                    .iter()
                    .map(|s| {
                        let value = summary.map(|m| num(amount((s.value)(&m))));
                        (s.name.to_string(), value.unwrap_or(Value::Null))
                    })
                    .collect();
                o.insert(q.name.to_string(), Value::Object(stats));
            }
            for count in &COUNTS {
                o.insert(count.name.into(), json!((count.value)(&g.events)));
            }
            Value::Object(o)
        })
        .collect();
    let fan: Vec<Value> = results
        .fan
        .iter()
        .map(|r| {
            let mut o = Map::new();
            o.insert(FAN_KEYS[0].into(), json!(r.regime.as_str()));
            o.insert(FAN_KEYS[1].into(), json!(r.year));
            for s in &FAN {
                o.insert(s.name.into(), num(amount((s.value)(r))));
            }
            Value::Object(o)
        })
        .collect();
    let mut doc = json!({
        "model": model_object(model, source, overridden_by),
        "paths": results.paths,
        "seed": results.seed,
        "from_year": model.simulation.first_random_year(model),
        "groups": groups,
    });
    // All paths' counts, the `all` group's, by the same description as each group's.
    let events = results.events();
    for count in &COUNTS {
        doc[count.name] = json!((count.value)(&events));
    }
    doc["conclusion"] = json!(table::conclusion(model, results));
    if !fan.is_empty() {
        doc["fan_paths"] = json!(results.fan_paths);
        doc["fan"] = Value::Array(fan);
    }
    doc["version"] = json!(VERSION);
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("JSON of plain values");
    bytes.push(b'\n');
    bytes
}
