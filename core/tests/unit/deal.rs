//! The deal's discounting and the waterfall's unit: which years divide by (1 + r)^n, and
//! when a large discount factor makes the unit finer.

use rust_decimal::Decimal;
use stakeshift_core::engine::deal::waterfall_dp;
use stakeshift_core::engine::series::Path;
use stakeshift_core::model::{Model, ModelSource, parse_model};

fn builtin() -> Model {
    parse_model(ModelSource {
        text: include_str!("../../../models/msft-openai.toml"),
        load: &mut |_| Err("no files".into()),
    })
    .unwrap()
}

/// The units of every trajectory of `model`.
fn units(model: &Model) -> Vec<u32> {
    model
        .trajectories
        .iter()
        .map(|t| waterfall_dp(model, &Path::of(model, t).unwrap()))
        .collect()
}

/// helper-206: a largest discount factor of 13.8 (30% a year, 10 years before the valuation
/// year) made the built-in model's unit a place finer, moving its slices at 1e-15, which no
/// printed digit shows. Only a factor that would carry a unit past 1e-10 does (helper-204:
/// 4^25 = 1.1e15).
#[test]
fn regression_a_modest_discount_factor_leaves_the_unit_as_it_is() {
    let mut model = builtin();
    model.valuation_year = 2029;
    model.discount_rate = Decimal::ZERO;
    let flat = units(&model);
    model.discount_rate = Decimal::new(3, 1);
    assert_eq!(units(&model), flat);
    // A factor of 4^10 = 1e6 before 2029 from 2019: units of 1e-14 times it reach 1e-8,
    // so the unit is finer, by two places (to 1e-16 x 1e6 = 1e-10).
    model.discount_rate = Decimal::from(3);
    let finer = units(&model);
    for (f, u) in finer.iter().zip(&flat) {
        assert_eq!(*f, u + 2, "{finer:?} against {flat:?}");
    }
}
