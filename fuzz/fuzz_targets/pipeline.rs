//! Fuzz target `pipeline`: bytes -> model -> both regimes for every trajectory -> every
//! report the command line writes (the tables with and without `--yearly`, the conclusion,
//! the three CSVs, the JSON with and without yearly rows) and the four charts as SVG; and
//! `simulate` on 64 paths of the model's own `[simulation]`, with its table, CSVs and JSON.
//! PNGs are left out: rasterising 960x540 four times would cut the executions per second
//! by a large factor, and the SVG path runs the same layout and text-fitting code.
//!
//! Beyond "no panic", it checks what any reader of the outputs relies on: the JSON parses,
//! and every CSV is rectangular (each row as many fields as the header).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stakeshift::chart::{Chart, ChartContext, Size};
use stakeshift::report;

mod input;

fn assert_rectangular_csv(name: &str, bytes: &[u8]) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let width = reader.headers().expect("a CSV header").len();
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("{name}: not a rectangular CSV: {e}"));
        assert_eq!(record.len(), width, "{name}: a row of another width");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((model, text)) = input::parse(data) else {
        return;
    };
    let comparison = match stakeshift::compare::compare(&model, None) {
        Ok(c) => c,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an empty engine error");
            return;
        }
    };

    for yearly in [false, true] {
        let _ = report::table::render(&model, &comparison, yearly);
        let json = report::json::render(&model, &text, &[], &comparison, yearly);
        serde_json::from_slice::<serde_json::Value>(&json)
            .unwrap_or_else(|e| panic!("JSON (yearly {yearly}) does not parse: {e}"));
    }
    let _ = report::table::conclusion(&model, &comparison);
    assert_rectangular_csv("yearly.csv", &report::csv::yearly(&comparison));
    assert_rectangular_csv("summary.csv", &report::csv::summary(&comparison));
    assert_rectangular_csv("comparison.csv", &report::csv::comparison(&comparison));

    let ctx = ChartContext::new(input::LABEL, &text, Size::MIN, None);
    for chart in Chart::ALL {
        // A chart may refuse a model (an error, not a panic); both are fine here.
        let _ = chart.svg(&model, &comparison, &ctx);
    }

    // The simulation, on a few paths (the model's own count could be millions).
    let options = stakeshift::simulate::Options {
        paths: 64,
        seed: model.simulation.seed,
        selected: None,
        fan: true,
    };
    match stakeshift::simulate::run(&model, &options, &|_| {}) {
        Ok(results) => {
            let _ = stakeshift::simulate::table::render(&model, &results);
            let json = stakeshift::simulate::json::render(&model, &text, &[], &results);
            serde_json::from_slice::<serde_json::Value>(&json)
                .unwrap_or_else(|e| panic!("simulate JSON does not parse: {e}"));
            assert_rectangular_csv("simulation.csv", &stakeshift::simulate::csv::simulation(&results));
            assert_rectangular_csv("fan.csv", &stakeshift::simulate::csv::fan(&results));
            assert_rectangular_csv("paths.csv", &stakeshift::simulate::csv::paths(&results));
            let _ = stakeshift::simulate::replay(&model, &options, 63);
        }
        Err(e) => assert!(!e.to_string().is_empty(), "an empty simulation error"),
    }
});
