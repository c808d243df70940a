//! Series values (SPEC 2): interpolation between points, before the first and after the
//! last, against hand-calculated values.

use rust_decimal::Decimal;
use stakeshift_core::engine::series::*;
use stakeshift_core::model::{Series, Year};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn series(points: &[(Year, &str)], growth: &str) -> Series {
    Series {
        points: points.iter().map(|(y, v)| (*y, d(v))).collect(),
        growth: d(growth),
    }
}

#[test]
fn zero_before_the_first_point_and_exact_on_points() {
    let s = series(&[(2020, "3.7"), (2022, "13.1")], "0");
    assert_eq!(value_at(&s, Kind::Compounding, 2019), Some(Decimal::ZERO));
    assert_eq!(value_at(&s, Kind::Compounding, 2020), Some(d("3.7")));
    assert_eq!(value_at(&s, Kind::Compounding, 2022), Some(d("13.1")));
}

#[test]
fn geometric_between_positive_points_to_1e12() {
    // 100 -> 400 over two years: the middle year is the geometric mean, 200.
    let s = series(&[(2020, "100"), (2022, "400")], "0");
    let mid = value_at(&s, Kind::Compounding, 2021).unwrap();
    assert!((mid - d("200")).abs() < d("0.0000000001"), "{mid}");
    // 3 -> 5 over 3 years, one year in: 3 * (5/3)^(1/3) = 3.5568933044900626...
    let s = series(&[(2020, "3"), (2023, "5")], "0");
    let v = value_at(&s, Kind::Compounding, 2021).unwrap();
    assert!(
        (v - d("3.5568933044900626")).abs() < d("0.000000000001"),
        "{v}"
    );
}

/// Regression (helper-101): the ratio of two points was taken in decimals, so 2e-28 / 1e18
/// rounded to 0 (the year between valued 0, where 1e18 x (2e-46)^(1/2) = 1.41421356e-5 is
/// right) and 1e18 / 1e-28 overflowed (the model refused as too large); and a factor below
/// 1e-16 kept few digits in a decimal's 28 places.
#[test]
fn regression_geometric_between_points_far_apart_in_size() {
    let relative = |got: Decimal, want: f64| {
        let got = got.to_string().parse::<f64>().unwrap();
        ((got - want) / want).abs()
    };
    // Falling 46 orders of magnitude over two years.
    let s = series(
        &[
            (2020, "1000000000000000000"),
            (2022, "0.0000000000000000000000000002"),
        ],
        "0",
    );
    let mid = value_at(&s, Kind::Compounding, 2021).unwrap();
    assert!(relative(mid, 1.4142135623730951e-5) < 1e-12, "{mid}");
    // Rising 46 orders over five years: 1e-28 x 1e46^(1/5) = 10^-18.8 in 2021.
    let s = series(
        &[
            (2020, "0.0000000000000000000000000001"),
            (2025, "1000000000000000000"),
        ],
        "0",
    );
    let first = value_at(&s, Kind::Compounding, 2021).expect("a value between two that fit");
    // (28 decimal places hold 10 of its digits.)
    assert!(relative(first, 10f64.powf(-18.8)) < 1e-9, "{first}");
    let last = value_at(&s, Kind::Compounding, 2024).unwrap();
    assert!(relative(last, 10f64.powf(8.8)) < 1e-12, "{last}");
    // A factor of about 1e-20 (1e6 falling to 1e-34 is out of range; 1e10 to 1e-28 over 2
    // years gives 1e-9 between, a factor of 1e-19).
    let s = series(
        &[
            (2020, "10000000000"),
            (2022, "0.0000000000000000000000000001"),
        ],
        "0",
    );
    let mid = value_at(&s, Kind::Compounding, 2021).unwrap();
    assert!(relative(mid, 1e-9) < 1e-12, "{mid}");
}

#[test]
fn linear_where_an_end_is_zero_and_for_margins() {
    let s = series(&[(2020, "0"), (2024, "8")], "0");
    assert_eq!(value_at(&s, Kind::Compounding, 2021), Some(d("2")));
    let m = series(&[(2020, "-1.35"), (2023, "0.15")], "0");
    assert_eq!(value_at(&m, Kind::Linear, 2021), Some(d("-0.85")));
    assert_eq!(value_at(&m, Kind::Linear, 2030), Some(d("0.15")));
}

#[test]
fn compounds_after_the_last_point() {
    let s = series(&[(2020, "200")], "0.1");
    assert_eq!(value_at(&s, Kind::Compounding, 2022), Some(d("242.00")));
}

#[test]
fn overflow_is_none_not_a_panic() {
    let s = series(&[(2020, "1000")], "1000");
    assert_eq!(value_at(&s, Kind::Compounding, 2400), None);
}
