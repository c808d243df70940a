//! The checks that the public facts (docs/SOURCES.md) ask of the built-in model, run on the model compiled into the binary.

use rust_decimal::Decimal;
use stakeshift::compare::compare;
use stakeshift::engine::TrajectoryResult;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn results() -> Vec<TrajectoryResult> {
    let loaded = stakeshift::io::load_model(None).expect("the built-in model is valid");
    compare(&loaded.model, None)
        .expect("the built-in model runs")
        .trajectories
}

#[test]
fn twenty_seven_percent_of_500_bn_is_135_bn() {
    let loaded = stakeshift::io::load_model(None).unwrap();
    assert_eq!(loaded.model.equity.stake, d("0.27"));
    assert_eq!(loaded.model.equity.from_year, 2025);
    for t in results() {
        let row = t.equity.rows.iter().find(|r| r.year == 2025).unwrap();
        // Every trajectory is valued at the Oct 2025 500 bn in 2025, when the stake is held.
        if row.valuation == d("500") {
            assert_eq!(row.stake, d("0.27"), "{}", t.name);
            assert_eq!(row.holding_value, d("135"), "{}", t.name);
        }
    }
    let base = results().into_iter().find(|t| t.name == "base").unwrap();
    let row = base.equity.rows.iter().find(|r| r.year == 2025).unwrap();
    assert_eq!(row.holding_value, d("135"));
}

#[test]
fn profit_share_receipts_never_pass_92_bn() {
    for t in results() {
        let total: Decimal = t.profit_share.rows.iter().map(|r| r.distribution).sum();
        assert!(total <= d("92"), "{}: {total}", t.name);
    }
}

#[test]
fn revenue_share_through_2030_far_exceeds_the_38_bn_cap_on_the_base_path() {
    let base = results().into_iter().find(|t| t.name == "base").unwrap();
    let uncapped: Decimal = base.profit_share.rows.iter().map(|r| r.revenue_share).sum();
    let capped: Decimal = base.equity.rows.iter().map(|r| r.revenue_share).sum();
    assert!(uncapped > d("76"), "old terms' revenue share {uncapped}");
    assert_eq!(capped, d("38"));
}

#[test]
fn the_2026_round_dilutes_the_stake_to_730_over_852() {
    for t in results() {
        let row = t.equity.rows.iter().find(|r| r.year == 2026).unwrap();
        // 0.27 * 730 / (730 + 122), participation 0.
        assert_eq!(row.stake, d("0.27") * d("730") / d("852"), "{}", t.name);
    }
}
