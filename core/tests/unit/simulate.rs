//! The simulation's driver (SPEC 10) through its public API, on the built-in model and the
//! reference models: a path resumed after its center's fixed years equals its full run, the
//! AVX2 and portable builds give the same bits, and the fan is each path's percentiles.

use stakeshift_core::model::Model;
use stakeshift_core::model::{ModelSource, parse_model};
use stakeshift_core::simulate::*;

fn builtin() -> Model {
    parse_model(ModelSource {
        text: include_str!("../../../models/msft-openai.toml"),
        load: &mut |_| Err("no files".into()),
    })
    .unwrap()
}

/// A model of tests/reference/sim, with the files it names read beside it.
fn reference_model(path: &std::path::Path) -> Model {
    let text = std::fs::read_to_string(path).unwrap();
    let dir = path.parent().unwrap().to_path_buf();
    parse_model(ModelSource {
        text: &text,
        load: &mut |name| std::fs::read_to_string(dir.join(name)).map_err(|e| e.to_string()),
    })
    .unwrap()
}

/// Models whose fixed years (before the first random one) carry state into the random
/// ones: the built-in model as it is, and with the first random year moved to 2029 (its
/// cloud commitment of 2026-2032 straddles it) and to 2035 (the waterfall has paid out
/// and the commitment has closed); and the small models of tests/reference/sim (a cap
/// that grows, rounds before and after, hazards, a trajectories_csv center).
fn models_with_fixed_years() -> Vec<(String, Model)> {
    let mut out = vec![("built-in".to_string(), builtin())];
    for year in [2029, 2035] {
        let mut m = builtin();
        m.simulation.from_year = Some(year);
        out.push((format!("built-in from {year}"), m));
    }
    // The repository's root, above this crate's folder.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for name in ["hazards", "margin_cap", "skipped_round", "weights"] {
        let path = root.join(format!("tests/reference/sim/{name}.toml"));
        out.push((name.to_string(), reference_model(&path)));
    }
    out
}

/// A path that starts from its center's run up to the first random year gives the bits
/// a run from the start gives: the fan sample's paths (full runs) and `--replay` (a full
/// run) agree with the rest.
#[test]
fn a_path_resumed_after_the_fixed_years_equals_its_full_run_bit_for_bit() {
    for (name, model) in models_with_fixed_years() {
        let options = Options {
            paths: 2000,
            seed: 7,
            selected: None,
            fan: false,
        };
        let resumed = run(&model, &options, &|_| {}).unwrap();
        let full = run(
            &model,
            &Options {
                fan: true,
                ..options.clone()
            },
            &|_| {},
        )
        .unwrap();
        assert_eq!(resumed.per_path, full.per_path, "{name}");
        for p in [0, 1, 17, 999, 1999] {
            let again = replay(&model, &options, p).unwrap();
            let r = &resumed.per_path.get(p as usize);
            assert_eq!(
                again.outcome.profit_share.npv.to_bits(),
                r.npv_profit_share.to_bits(),
                "{name} path {p}"
            );
            assert_eq!(
                again.outcome.equity.npv.to_bits(),
                r.npv_equity.to_bits(),
                "{name} path {p}"
            );
        }
    }
}

/// The fixed years must carry state for the test above to mean anything: money paid by
/// the waterfall before the first random year, and a commitment window across it.
#[test]
fn the_fixed_years_of_those_models_carry_state() {
    let models = models_with_fixed_years();
    let (_, late) = &models[2];
    let options = Options {
        paths: 1,
        seed: 0,
        selected: None,
        fan: false,
    };
    let starts = starts(late, &options).unwrap();
    assert!(
        starts
            .iter()
            .any(|&(next_year, paid_out)| next_year > 0 && paid_out > 0.0),
        "no waterfall receipts before 2035"
    );
}

/// The paths' loop compiled for AVX2 (where the CPU has it: every machine this project is
/// tested on, where this test means something) and the portable build give the same
/// results, bit for bit: the same IEEE operations on wider vectors.
#[test]
fn avx2_and_portable_builds_give_the_same_bits() {
    // With `fan` every path is a full run from the start (the fan sample); without, every
    // path is resumed after the fixed years with the simulation's own recorder: both kinds.
    for ((name, model), fan) in models_with_fixed_years()
        .into_iter()
        .flat_map(|m| [(m.clone(), true), (m, false)])
    {
        let options = Options {
            paths: 3000,
            seed: 11,
            selected: None,
            fan,
        };
        let detected = run(&model, &options, &|_| {}).unwrap();
        let portable = run_portable(&model, &options, &|_| {}).unwrap();
        let bits = |r: &Results| -> Vec<[u64; 3]> {
            r.per_path
                .iter()
                .map(|p| {
                    [
                        p.npv_profit_share.to_bits(),
                        p.npv_equity.to_bits(),
                        p.npv_advantage.to_bits(),
                    ]
                })
                .collect()
        };
        assert_eq!(bits(&detected), bits(&portable), "{name}");
        assert_eq!(detected, portable, "{name}");
    }
}

/// Hears each year's investor value (cumulative cash flow plus holding value) of a path.
struct YearlyValues {
    start: stakeshift_core::model::Year,
    years: usize,
    values: Vec<f64>,
}

impl stakeshift_core::engine::waterfall::Observer<f64> for YearlyValues {}

impl stakeshift_core::engine::Recorder<f64> for YearlyValues {
    fn row(
        &mut self,
        regime: stakeshift_core::engine::Regime,
        row: &stakeshift_core::engine::YearRow<f64>,
    ) {
        let offset = match regime {
            stakeshift_core::engine::Regime::ProfitShare => 0,
            stakeshift_core::engine::Regime::Equity => self.years,
        };
        self.values[offset + (row.year - self.start) as usize] =
            row.cumulative_cash_flow + row.holding_value;
    }
}

/// Regression (helper-143): nothing held `fan.csv`'s values to anything but themselves,
/// so a sample written in one layout and read in another passed every test. Here each
/// sampled path is drawn again (`replay`) and run through the engine alone, its yearly
/// values heard by a recorder of the test's own; each year's percentiles (by sorting) and
/// mean over those must be the fan's, for runs shorter than a block of paths, just past
/// one, and ending in a partial block. Past the sample's 100,000 paths, the block that
/// holds the 100,000th path holds paths outside the sample too: the fan must be the
/// 100,000 paths' own.
#[test]
fn fan_rows_are_the_percentiles_of_each_path_run_alone() {
    use stakeshift_core::engine::{self, Deal, PathRef, Regime, RoundPolicy, Scratch};
    let model = builtin();
    let discount = engine::discount_factors(&model).unwrap();
    let deal: Deal<f64> = Deal::of(&model, &discount);
    let years = (model.end_year - model.start_year + 1) as usize;
    let mut scratch = Scratch::new(&deal);
    let options_of = |paths: u64| Options {
        paths,
        seed: 5,
        selected: None,
        fan: true,
    };
    let fan_of = |paths: u64| {
        let results = run(&model, &options_of(paths), &|_| {}).unwrap();
        (results.fan_paths, results.fan)
    };
    assert_eq!(fan_of(FAN_SAMPLE + 1), fan_of(FAN_SAMPLE));
    assert_eq!(fan_of(FAN_SAMPLE + 1).0, FAN_SAMPLE);
    for paths in [1u64, 1023, 1025, 3000] {
        let options = options_of(paths);
        let results = run(&model, &options, &|_| {}).unwrap();
        let sampled = paths.min(FAN_SAMPLE);
        assert_eq!(results.fan_paths, sampled);
        let sample: Vec<Vec<f64>> = (0..sampled)
            .map(|p| {
                let r = replay(&model, &options, p).unwrap();
                let path = PathRef {
                    revenue: &r.revenue,
                    profit: &r.profit,
                    valuation: &r.valuation,
                    spend: &r.spend,
                    agi_year: r.agi_year,
                    failure_year: r.failure_year,
                };
                let mut recorder = YearlyValues {
                    start: model.start_year,
                    years,
                    values: vec![f64::NAN; 2 * years],
                };
                engine::run_path(&deal, path, RoundPolicy::Skip, &mut scratch, &mut recorder)
                    .unwrap();
                recorder.values
            })
            .collect();
        assert_eq!(results.fan.len(), 2 * years);
        for (quantity, row) in results.fan.iter().enumerate() {
            let (regime, i) = if quantity < years {
                (Regime::ProfitShare, quantity)
            } else {
                (Regime::Equity, quantity - years)
            };
            assert_eq!(
                (row.regime, row.year),
                (regime, model.start_year + i as i32)
            );
            let values: Vec<f64> = sample.iter().map(|s| s[quantity]).collect();
            assert_eq!(row.mean.to_bits(), stats::mean_sd(&values).0.to_bits());
            let mut sorted = values;
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len();
            for (got, q) in row.percentiles.iter().zip(stats::QUANTILES) {
                let h = (n - 1) as f64 * q;
                let lo = h.floor() as usize;
                let want = if h == lo as f64 {
                    sorted[lo]
                } else {
                    sorted[lo] + (h - lo as f64) * (sorted[lo + 1] - sorted[lo])
                };
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{paths} paths, {regime:?} {}, q {q}",
                    row.year
                );
            }
        }
    }
}
