//! One engine in two number types: the fast `f64` run (NPVs and winner only, as a
//! simulation asks for them) agrees with the exact `Decimal` run on every reference case,
//! on the shipped models and on the hand cases, to 1e-9 relative or 1e-6 absolute
//! (SPEC 10: "Arithmetic may be f64 for speed"). Random models: tests/properties.rs.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use stakeshift::engine::{Deal, discount_factors, run_outcome, run_trajectory};
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
        // The winner agrees unless the advantage is within rounding of the tie line.
        let near_tie = (exact.npv_advantage.abs().to_f64().unwrap() - 5e-7).abs() < 1e-6;
        if fast.winner != exact.winner && !near_tie {
            bad.push(format!(
                "{label} `{}` winner: f64 {:?} vs exact {:?}",
                t.name, fast.winner, exact.winner
            ));
        }
    }
    bad
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
