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
