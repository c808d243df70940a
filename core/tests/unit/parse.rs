use rust_decimal::Decimal;
use stakeshift_core::model::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn exact_decimal_keeps_every_digit_or_refuses() {
    assert_eq!(exact_decimal("0.49"), Ok(d("0.49")));
    // The places as written are kept: 5.0 prints as 5.0.
    assert_eq!(
        exact_decimal("5.0").map(|v| v.to_string()),
        Ok("5.0".into())
    );
    assert_eq!(exact_decimal("-1.25e-3"), Ok(d("-0.00125")));
    assert_eq!(exact_decimal("1.5E2"), Ok(d("150")));
    assert_eq!(exact_decimal("0e-40"), Ok(Decimal::ZERO));
    assert_eq!(exact_decimal("1e18"), Ok(d("1000000000000000000")));
    // 28 significant digits are held exactly; 29 are refused, never rounded.
    assert_eq!(
        exact_decimal("0.1234567890123456789012345678"),
        Ok(d("0.1234567890123456789012345678"))
    );
    assert_eq!(
        exact_decimal("0.12345678901234567890123456789"),
        Err(NotExact::TooManyDigits)
    );
    assert_eq!(
        exact_decimal("1e-28"),
        Ok(d("0.0000000000000000000000000001"))
    );
    assert_eq!(exact_decimal("1e-29"), Err(NotExact::TooManyPlaces));
    assert_eq!(
        exact_decimal("1.0000000000000000001e18"),
        Err(NotExact::TooLarge)
    );
    assert_eq!(exact_decimal("1e400"), Err(NotExact::TooLarge));
    assert_eq!(
        exact_decimal("1e-99999999999999999999"),
        Err(NotExact::Unreadable)
    );
}
