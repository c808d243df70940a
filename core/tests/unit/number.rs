use rust_decimal::Decimal;
use stakeshift_core::engine::number::*;

#[test]
fn a_tie_is_what_rounds_to_zero_at_six_places_in_both_types() {
    for (text, tie) in [
        ("0.00000049", true),
        ("-0.00000049", true),
        ("0.0000005", false),
        ("-0.0000005", false),
        ("0.000001", false),
        ("0", true),
    ] {
        let d: Decimal = text.parse().unwrap();
        assert_eq!(Num::is_tie(d), tie, "{text} as Decimal");
        assert_eq!(Num::is_tie(Num::to_f64(d)), tie, "{text} as f64");
    }
}

#[test]
fn overflow_is_none_in_both_types() {
    assert_eq!(Num::checked_mul(Decimal::MAX, Decimal::TWO), None);
    assert_eq!(Num::checked_mul(f64::MAX, 2.0), None);
    assert_eq!(Num::checked_div(1.0, 0.0), None);
    assert_eq!(
        <f64 as Num>::from_decimal(Decimal::MAX),
        7.922816251426434e28
    );
}

#[test]
fn only_decimal_rounds_to_the_waterfall_unit() {
    let third = Decimal::ONE / Decimal::from(3);
    assert_eq!(third.unit_down(12).to_string(), "0.333333333333");
    assert_eq!(third.unit_down(14).to_string(), "0.33333333333333");
    assert_eq!(
        Num::to_unit(Decimal::new(5, 13), 12).to_string(),
        "0.000000000001"
    );
    assert_eq!((1.0f64 / 3.0).unit_down(12), 1.0 / 3.0);
}
