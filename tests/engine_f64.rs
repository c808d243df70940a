//! One engine in two number types: the fast `f64` run (NPVs and winner only, as a
//! simulation asks for them) agrees with the exact `Decimal` run on every reference case,
//! on the shipped models and on the hand cases, to 1e-9 relative or 1e-6 absolute
//! (SPEC 10: "Arithmetic may be f64 for speed"). Random models: tests/properties.rs.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use stakeshift::engine::series::Path as EnginePath;
use stakeshift::engine::{
    Deal, NpvOnly, Outcome, RoundPolicy, Scratch, discount_factors, run_outcome, run_path,
    run_trajectory,
};
use stakeshift::model::Model;

/// |fast - exact| within 1e-6 absolute or 1e-9 of `scale` (the larger NPV's size: an
/// advantage is a difference of two NPVs and is only as precise as they are).
fn close(fast: f64, exact: Decimal, scale: f64) -> bool {
    let exact = exact.to_f64().unwrap();
    (fast - exact).abs() <= 1e-6_f64.max(1e-9 * scale.max(exact.abs()))
}

/// Checks every trajectory of `model`; returns the mismatches.
fn check(label: &str, model: &Model) -> Vec<String> {
    let mut bad = Vec::new();
    let discount = discount_factors(model).unwrap();
    let exact_deal = Deal::<Decimal>::of(model, &discount);
    let fast_deal = Deal::<f64>::of(model, &discount);
    for t in &model.trajectories {
        let Ok(exact) = run_trajectory(model, &discount, t) else {
            // A model that the exact engine refuses (a round without a positive pre-money
            // value) must be refused by the fast run too.
            assert!(
                run_outcome(model, &fast_deal, t).is_err(),
                "{label} {}",
                t.name
            );
            continue;
        };
        // The exact NPV-only run is the full run's own numbers.
        let lean = run_outcome(model, &exact_deal, t).unwrap();
        assert_eq!(lean.profit_share.npv, exact.profit_share.measures.npv);
        assert_eq!(lean.equity.npv, exact.equity.measures.npv);
        assert_eq!(lean.winner, exact.winner);

        let fast = run_outcome(model, &fast_deal, t).unwrap();
        let (a, b) = (exact.profit_share.measures.npv, exact.equity.measures.npv);
        let scale = a.to_f64().unwrap().abs().max(b.to_f64().unwrap().abs());
        for (what, f, e) in [
            ("npv_profit_share", fast.profit_share.npv, a),
            ("npv_equity", fast.equity.npv, b),
            ("npv_advantage", fast.npv_advantage, exact.npv_advantage),
            (
                "terminal_value",
                fast.equity.terminal_value,
                exact.equity.measures.terminal_value,
            ),
            (
                "inflows A",
                fast.profit_share.inflows,
                exact.profit_share.measures.inflows,
            ),
            (
                "inflows B",
                fast.equity.inflows,
                exact.equity.measures.inflows,
            ),
        ] {
            if !close(f, e, scale) {
                bad.push(format!("{label} `{}` {what}: f64 {f} vs exact {e}", t.name));
            }
        }
        // The simulation's recorder, NpvOnly, skips the other running sums: the same NPVs,
        // bit for bit, in both number types, and the totals it does not keep are 0.
        let path = EnginePath::of(model, t).unwrap();
        // In the unit the exact engine counts this path's waterfall in (as `compare` does).
        let dp = stakeshift::engine::deal::waterfall_dp(model, &path);
        let lean_exact = npv_only(&exact_deal, path.clone(), t.agi_year, dp);
        same_npvs(&lean_exact, &lean, &format!("{label} `{}` Decimal", t.name));
        let lean_fast = npv_only(&fast_deal, path.convert(), t.agi_year, dp);
        same_npvs(&lean_fast, &fast, &format!("{label} `{}` f64", t.name));
        // The winner agrees unless the advantage is within the two runs' agreement (1e-6,
        // or 1e-9 of the NPVs) of the tie line: an advantage of 0.3 beside NPVs of 2e19
        // (tests/hand/breakeven_advantage_that_prints.toml) is below what an f64 resolves.
        let tolerance = 1e-6f64.max(1e-9 * scale);
        let near_tie = (exact.npv_advantage.abs().to_f64().unwrap() - 5e-7).abs() < tolerance;
        if fast.winner != exact.winner && !near_tie {
            bad.push(format!(
                "{label} `{}` winner: f64 {:?} vs exact {:?}",
                t.name, fast.winner, exact.winner
            ));
        }
    }
    bad
}

/// A run with the simulation's recorder, the waterfall counting in units of `dp` places
/// (`f64` counts in none).
fn npv_only<N: stakeshift::engine::Num>(
    deal: &Deal<N>,
    path: EnginePath<N>,
    agi_year: Option<stakeshift::model::Year>,
    dp: u32,
) -> Outcome<N> {
    let mut scratch = Scratch::new(deal);
    scratch.set_waterfall_unit(dp);
    run_path(
        deal,
        path.as_ref(agi_year),
        RoundPolicy::Error,
        &mut scratch,
        &mut NpvOnly,
    )
    .unwrap()
}

/// `lean` (an [`NpvOnly`] run) has `full`'s NPVs, winner and terminal value exactly, and 0
/// for the totals it does not keep.
fn same_npvs<N: stakeshift::engine::Num>(lean: &Outcome<N>, full: &Outcome<N>, what: &str) {
    assert_eq!(lean.profit_share.npv, full.profit_share.npv, "{what}");
    assert_eq!(lean.equity.npv, full.equity.npv, "{what}");
    assert_eq!(lean.npv_advantage, full.npv_advantage, "{what}");
    assert_eq!(lean.winner, full.winner, "{what}");
    assert_eq!(lean.skipped_rounds, full.skipped_rounds, "{what}");
    assert_eq!(
        lean.equity.terminal_value, full.equity.terminal_value,
        "{what}"
    );
    for totals in [&lean.profit_share, &lean.equity] {
        for v in [
            totals.contributions,
            totals.inflows,
            totals.cloud_income,
            totals.npv_cloud,
        ] {
            assert!(
                N::is_zero(v),
                "{what}: a total NpvOnly does not keep is {v:?}"
            );
        }
    }
}

fn models_in(dir: &Path, name: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .flat_map(|p| {
            if p.is_dir() {
                vec![p.join(name)]
            } else {
                vec![p]
            }
        })
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    found.sort();
    found
}

#[test]
fn f64_agrees_with_decimal_on_every_reference_case_and_model() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = models_in(&root.join("tests/reference/cases"), "model.toml");
    files.extend(models_in(&root.join("models"), ""));
    files.extend(models_in(&root.join("tests/hand"), ""));
    assert!(files.len() >= 44, "found only {} models", files.len());
    let mut bad = Vec::new();
    let mut checked = 0;
    for file in &files {
        let Ok(loaded) = stakeshift::io::load_model(Some(file)) else {
            continue;
        };
        checked += 1;
        bad.extend(check(&file.display().to_string(), &loaded.model));
    }
    assert!(checked >= 44, "only {checked} models loaded");
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// The f64 run checks its totals once a path instead of at every step: a path whose
/// amounts leave f64's range (an infinite revenue, an infinite or NaN valuation, in any
/// year) must still be an error naming the regime, never an infinite or NaN NPV.
#[test]
fn a_path_whose_amounts_are_not_finite_is_an_error_not_an_infinite_npv() {
    use stakeshift::engine::{PathRef, RoundPolicy, Scratch, run_path};
    let model = stakeshift::model::parse_model(stakeshift::model::ModelSource {
        text: stakeshift::BUILTIN_MODEL,
        load: &mut |_| Err("no files".into()),
    })
    .unwrap();
    let discount = discount_factors(&model).unwrap();
    let deal = Deal::<f64>::of(&model, &discount);
    let n = deal.years();
    let finite = vec![1.0f64; n];
    for bad in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN, f64::MAX] {
        for year in [0, n / 2, n - 1] {
            for field in ["revenue", "profit", "valuation", "spend"] {
                let mut values: Vec<Vec<f64>> = vec![finite.clone(); 4];
                let k = ["revenue", "profit", "valuation", "spend"]
                    .iter()
                    .position(|f| *f == field)
                    .unwrap();
                values[k][year] = bad;
                // f64::MAX is finite, but a product or sum with it is not.
                if bad == f64::MAX {
                    values[k][year.saturating_sub(1)] = bad;
                }
                let path = PathRef {
                    revenue: &values[0],
                    profit: &values[1],
                    valuation: &values[2],
                    spend: &values[3],
                    agi_year: None,
                    failure_year: None,
                };
                let mut scratch = Scratch::new(&deal);
                match run_path(&deal, path, RoundPolicy::Skip, &mut scratch, &mut ()) {
                    Err(e) => assert!(
                        e.message.contains("too large to hold"),
                        "{field} {bad} in year {year}: {}",
                        e.message
                    ),
                    Ok(o) => {
                        // A value no rule uses in that year (revenue outside the revenue
                        // shares' years, say) may leave the NPVs finite: then they must be.
                        assert!(
                            o.profit_share.npv.is_finite()
                                && o.equity.npv.is_finite()
                                && o.npv_advantage.is_finite(),
                            "{field} {bad} in year {year}: {o:?}"
                        );
                    }
                }
            }
        }
    }
}
