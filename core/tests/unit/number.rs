//! The engine's number trait, `Decimal` and `f64` side by side: the tie rule, overflow as
//! None, the waterfall unit's rounding (decimals only) and the conversions between them.

use rust_decimal::Decimal;
use stakeshift_core::engine::number::*;

#[test]
fn a_tie_is_what_rounds_to_zero_at_six_places_in_both_types() {
    // (text, tie as a Decimal, tie as the nearest f64). 0.0000005's nearest double is
    // 4.99999999999999977e-7, which itself rounds to 0.000000: a tie in f64, as its
    // printed advantage says.
    for (text, tie_decimal, tie_f64) in [
        ("0.00000049", true, true),
        ("-0.00000049", true, true),
        ("0.0000005", false, true),
        ("-0.0000005", false, true),
        ("0.0000005000000000001", false, false),
        ("0.000001", false, false),
        ("0", true, true),
    ] {
        let d: Decimal = text.parse().unwrap();
        assert_eq!(Num::is_tie(d), tie_decimal, "{text} as Decimal");
        assert_eq!(Num::is_tie(Num::to_f64(d)), tie_f64, "{text} as f64");
    }
    let above = f64::from_bits(5e-7_f64.to_bits() + 1);
    assert!(!above.is_tie() && !(-above).is_tie());
}

/// helper-75: the double nearest 0.0000005 printed as an advantage of 0.000000 (from its
/// exact value) beside the winner `equity`; a tie is now decided on that same value.
#[test]
fn regression_an_advantage_printed_as_zero_was_not_a_tie() {
    for v in [5e-7_f64, -5e-7, 4.999_999_999_999_999e-7] {
        assert!(v.is_tie(), "{v:e}");
        let exact = rust_decimal::Decimal::from_f64_retain(v).unwrap();
        assert!(exact.abs() < "0.0000005".parse().unwrap(), "{exact}");
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

/// Found by a tester working from the SPEC alone: an exact half reached through a
/// non-terminating quotient printed one unit low (a cloud purchase of exactly 13.1688375
/// held as 13.168837499999999999999999999 printed 13.168837). 1/3 x 3 is
/// 0.9999999999999999999999999999 in 28 digits, so (1/3 x 3) x 13.1688375 lands just
/// below the half; half away from zero it prints 13.168838.
#[test]
fn regression_a_half_reached_through_a_quotient_rounds_as_the_half() {
    use stakeshift_core::engine::number::printed;
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let one = Decimal::ONE / Decimal::from(3) * Decimal::from(3);
    let v = one * d("13.1688375");
    assert!(
        v < d("13.1688375"),
        "the arithmetic's own rounding is what is tested: {v}"
    );
    assert_eq!(printed(v, 6), d("13.168838"));
    // A value really below the half, by more than the guard digits, stays below.
    assert_eq!(printed(d("13.16883749999999999999"), 6), d("13.168837"));
    // A tie (SPEC 5) is decided on the same rule.
    assert!(d("0.00000049999999999999").is_tie());
    assert!(!(one * d("0.000000500000001")).is_tie());
}

/// helper-50's and helper-54's reviews: `Decimal`'s `Num::to_f64` and `f64`'s
/// `from_decimal` (the simulation's centers and deal terms, IRR's flows, interpolation's
/// ratios) were rust_decimal's, which divides the mantissa by a power of ten in floating
/// point, two roundings; the workbook and the charts had their own correctly rounded copies.
/// Now the one conversion is the nearest double, checked against Rust's own (correctly
/// rounded) reading of the digits as written.
#[test]
fn regression_decimal_to_f64_is_the_nearest_double() {
    let cases = [
        "0.1",
        "3.23262253720278124",
        "3401635334.77240795",
        "12345678901234567.890123456789",
        "0.0000000000000000000000000001",
        "79228162514264337593543950335",
        "-2.675",
    ];
    for text in cases {
        // Every case has at most 28 significant digits, so the Decimal holds the text
        // exactly, and Rust's reading of the text is the nearest double.
        let d: Decimal = text.parse().unwrap();
        let nearest: f64 = text.parse().unwrap();
        assert_eq!(Num::to_f64(d), nearest, "{text}");
        assert_eq!(<f64 as Num>::from_decimal(d), nearest, "{text}");
    }
    // One the two-rounding division misses (by an ulp; such values are common among those
    // with 17 or more significant digits): its mantissa exceeds 2^53, so turning it into a
    // double rounds once before the division rounds again.
    let d: Decimal = "3.23262253720278124".parse().unwrap();
    assert_eq!(Num::to_f64(d), 3.232622537202781);
    let two_roundings = rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap();
    assert_eq!(two_roundings, 3.2326225372027806);
}

/// `to_f64_pair` (the IRR's flows to about 30 digits): hi is the nearest double and
/// hi + lo is the decimal to within its last place or 1e-27 of it, from the smallest
/// decimal to the largest; f64's pair is itself and 0.
#[test]
fn a_decimal_as_a_pair_of_doubles_holds_about_30_digits() {
    for text in [
        "0.0000000000000000000000000001",
        "0.0000000000000000000000012345",
        "0.1",
        "1.0000015",
        "2.2",
        "-1.210000000001",
        "3.1415926535897932384626433833",
        "123456789.123456789123456789",
        "-98765432109876543210.12345678",
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
    ] {
        let d: Decimal = text.parse().unwrap();
        let (hi, lo) = Num::to_f64_pair(d);
        assert_eq!(hi, Num::to_f64(d), "{text}");
        assert!(
            lo.abs() <= hi.abs() * 1.2e-16,
            "{text}: lo {lo} beside {hi}"
        );
        // What is left after both, in decimals, taken in halves (the nearest double to the
        // largest decimal lies past it): d/2 less hi/2 and lo/2 back as decimals.
        let half = |x: f64| Decimal::from_f64_retain(x / 2.0).unwrap();
        let left = ((d / Decimal::TWO - half(hi) - half(lo)) * Decimal::TWO).abs();
        // (Two units of the last place: halving a 28th-place digit rounds.)
        let unit = Decimal::new(2, d.scale());
        assert!(
            left <= unit.max(d.abs() * Decimal::new(1, 27)),
            "{text}: {hi} + {lo} leaves {left}"
        );
    }
    assert_eq!(Num::to_f64_pair(2.2f64), (2.2, 0.0));
}
