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
