//! Reports: results turned into bytes (table, CSV, JSON, the xlsx workbook). Each format is its own module with pure functions
//! (results in, bytes out), so each can be tested without touching the disk.
//!
//! The one rounding rule lives here: a value is rounded once, when it is printed, half away
//! from zero (as a spreadsheet's ROUND), to 6 decimal places for amounts and 8 for rates,
//! ratios, stakes and discount factors; a value that rounds to zero prints without a sign.
//!
//! The rule, on the values of MODEL.md section 12.4, and the table's grouping:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::report::{amount, group_thousands, ratio};
//!
//! let d = |s: &str| s.parse::<Decimal>().unwrap();
//! assert_eq!(amount(d("1.0000005")), "1.000001"); // half away from zero
//! assert_eq!(amount(d("-1.0000005")), "-1.000001");
//! assert_eq!(amount(d("-0.0000001")), "0.000000"); // no negative zero
//! assert_eq!(ratio(d("0.27")), "0.27000000"); // a stake: 8 places
//! assert_eq!(group_thousands("-1234567.89"), "-1,234,567.89");
//! ```

pub mod columns;
pub mod csv;
pub mod describe;
pub mod explain;
pub mod json;
pub mod sensitivity;
pub mod table;
pub mod xlsx;

use rust_decimal::prelude::*;

/// Decimal places of amounts in CSV and JSON.
pub const AMOUNT_DP: u32 = 6;
/// Decimal places of rates, ratios, stakes and discount factors in CSV and JSON.
pub const RATIO_DP: u32 = 8;

/// `value` rounded to `dp` places by the one rule, as plain text (no exponent, no thousands
/// separator, `.` as the decimal point, exactly `dp` decimals).
pub fn fixed(value: Decimal, dp: u32) -> String {
    let mut r = stakeshift_core::engine::number::printed(value, dp);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    // Pad with zeros by hand: rust_decimal's `{:.N}` formatting overflows an internal buffer
    // (a panic) on 29-digit values. The value is already rounded, so only padding is left.
    let mut text = r.to_string();
    let have = text.split_once('.').map_or(0, |(_, frac)| frac.len());
    if dp > 0 && have == 0 {
        text.push('.');
    }
    text.extend(std::iter::repeat_n('0', (dp as usize).saturating_sub(have)));
    text
}

/// Digits before the decimal point grouped in thousands with commas, for reading (the table
/// and chart labels; never CSV): "-1234567.89" -> "-1,234,567.89".
pub fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// An amount to 6 places.
pub fn amount(value: Decimal) -> String {
    fixed(value, AMOUNT_DP)
}

/// A rate, ratio, stake or discount factor to 8 places.
pub fn ratio(value: Decimal) -> String {
    fixed(value, RATIO_DP)
}

/// An f64 statistic (IRR) to 8 places, or empty where there is none. Through `Decimal`
/// (the one rounding rule) where it fits one; an IRR can reach e^700 (DECISIONS 6), far
/// beyond, and is then printed from the f64 itself.
pub fn rate_f64(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| {
        Decimal::from_f64(v).map_or_else(|| fixed_f64(v, RATIO_DP), ratio)
    })
}

/// An f64 to `dp` places, no exponent, no negative zero; empty where it is not a number.
/// (f64's own fixed formatting rounds the exact binary value, which is never a tie at 6 or
/// 8 places, so it agrees with the reports' half-away-from-zero rule.)
pub fn fixed_f64(v: f64, dp: u32) -> String {
    if !v.is_finite() {
        return String::new();
    }
    without_negative_zero(&format!("{v:.prec$}", prec = dp as usize)).to_string()
}

/// `text`, a number, without its minus sign where every digit is 0.
pub fn without_negative_zero(text: &str) -> &str {
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest,
        _ => text,
    }
}

/// How many columns `text` takes on a terminal: a wide (CJK) character two, a combining
/// mark none; what the text tables pad by, so that a name in any script keeps the columns
/// aligned (a count of chars does not).
pub fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rounds_half_away_from_zero_with_fixed_places() {
        assert_eq!(amount(d("1.0000005")), "1.000001");
        assert_eq!(amount(d("-1.0000005")), "-1.000001");
        assert_eq!(amount(d("2.5")), "2.500000");
        assert_eq!(ratio(d("0.27")), "0.27000000");
        assert_eq!(amount(d("12345678901.1234564")), "12345678901.123456");
    }

    #[test]
    fn no_negative_zero() {
        assert_eq!(amount(d("-0.0000001")), "0.000000");
        assert_eq!(ratio(d("-0")), "0.00000000");
    }

    #[test]
    fn tiny_and_huge_values_print_without_exponent() {
        assert_eq!(amount(d("1e-20")), "0.000000");
        assert_eq!(
            amount(d("79228162514264337593543950335")),
            "79228162514264337593543950335.000000"
        );
        assert_eq!(rate_f64(Some(1e-12)), "0.00000000");
        assert_eq!(rate_f64(None), "");
    }
}
