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

/// The line that marks a what-if in a table: the overrides the model was run with
/// (`overridden_by`, each as given: `--set cloud.margin=0`), or None without any. Every
/// table a reader could quote says so, as every chart's footer does (helper-169: a table of
/// `--set cloud.margin=0` read exactly as the sourced model's, its winner flipped).
///
/// ```
/// use stakeshift::report::{what_if_line, with_what_if};
///
/// assert_eq!(what_if_line(&[]), None);
/// // Thousands are counted, not listed.
/// let many: Vec<String> = (0..2000).map(|i| format!("--set equity.stake=0.{i}")).collect();
/// let line = what_if_line(&many).unwrap();
/// assert!(line.len() < 600 && line.ends_with(" more `--set`; every other value is the model file's."));
/// let set = ["--set cloud.margin=0".to_string()];
/// assert_eq!(
///     what_if_line(&set).as_deref(),
///     Some("What-if: run with --set cloud.margin=0; every other value is the model file's.")
/// );
/// // After the table's first line, its title.
/// assert_eq!(
///     with_what_if("Title\nrest\n".into(), &set),
///     "Title\nWhat-if: run with --set cloud.margin=0; every other value is the model file's.\nrest\n"
/// );
/// ```
pub fn what_if_line(overridden_by: &[String]) -> Option<String> {
    if overridden_by.is_empty() {
        return None;
    }
    // The first overrides, as many as fit in a few lines, and how many more there are: a
    // run of 4,000 `--set` (each to its own trajectory) printed them all above its table.
    // Each as plain text (a CR or a right-to-left override escaped), and shortened.
    let mut listed: Vec<String> = Vec::new();
    let mut width = 0;
    for o in overridden_by {
        let shown = crate::error::quoted(&crate::error::plain_text(o)).into_owned();
        if !listed.is_empty() && width + shown.len() > WHAT_IF_WIDTH {
            break;
        }
        width += shown.len() + 2;
        listed.push(shown);
    }
    let more = match overridden_by.len() - listed.len() {
        0 => String::new(),
        n => format!(" and {n} more `--set`"),
    };
    Some(format!(
        "What-if: run with {}{more}; every other value is the model file's.",
        listed.join(", ")
    ))
}

/// About how many characters of overrides [`what_if_line`] lists before it counts the rest.
const WHAT_IF_WIDTH: usize = 400;

/// `text` with [`what_if_line`] after its first line (the title), where there is one.
pub fn with_what_if(text: String, overridden_by: &[String]) -> String {
    let Some(line) = what_if_line(overridden_by) else {
        return text;
    };
    match text.split_once('\n') {
        Some((title, rest)) => format!("{title}\n{line}\n{rest}"),
        None => format!("{text}\n{line}\n"),
    }
}

/// The overrides as JSON gives them: each `PATH=VALUE`, without the `--set` it was given
/// with.
pub fn overrides_json(overridden_by: &[String]) -> Vec<String> {
    overridden_by
        .iter()
        .map(|o| o.strip_prefix("--set ").unwrap_or(o).to_string())
        .collect()
}

/// Decimal places of amounts in CSV and JSON.
pub const AMOUNT_DP: u32 = 6;
/// Decimal places of rates, ratios, stakes and discount factors in CSV and JSON.
pub const RATIO_DP: u32 = 8;

/// The places a table shows its amounts to: `base` (the tables' 2, the simulation's 1), or
/// more where the largest of `amounts` in magnitude would show fewer than three significant
/// digits at `base`, up to [`AMOUNT_DP`]: a deal in USD bn whose amounts are thousandths
/// printed 0.00 throughout, its ranking and its signs lost (helper-153). Values that are not
/// finite are passed over.
///
/// ```
/// use stakeshift::report::places_for;
///
/// assert_eq!(places_for(2, [7.7, -22.2]), 2); // 22.20
/// assert_eq!(places_for(2, [0.0077, 0.0222]), 4); // 0.0222: three digits
/// assert_eq!(places_for(2, [0.5]), 3); // 0.500
/// assert_eq!(places_for(2, [-0.9999995]), 2); // -1.00
/// assert_eq!(places_for(2, [0.0999]), 4); // 0.0999
/// assert_eq!(places_for(1, [3.2, 12.0]), 1); // 12.0
/// assert_eq!(places_for(1, [3.2]), 2); // 3.20
/// assert_eq!(places_for(2, [3e-6]), 6); // 0.000003: at most an amount's 6 places
/// assert_eq!(places_for(2, [0.0, f64::NAN]), 2); // nothing to show: the table's own
/// assert_eq!(places_for(2, [4e-7, -1e-27]), 2); // 0.000000 at 6 places: the same
/// ```
pub fn places_for(base: u32, amounts: impl IntoIterator<Item = f64>) -> u32 {
    let largest = amounts
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    // Nothing that shows at an amount's 6 places (a tie's leftover of 1e-27): the table's
    // own places, not 0.000000 throughout.
    if largest < 0.5 * 10f64.powi(-(AMOUNT_DP as i32)) {
        return base;
    }
    // Three significant digits at p places: 10^(2 - p) <= largest, the largest as rounded to
    // three digits (0.9999995 is 1.00, not 1.000).
    let mut exponent = largest.log10().floor();
    if (largest / 10f64.powf(exponent - 2.0)).round() >= 1000.0 {
        exponent += 1.0;
    }
    let wanted = (2.0 - exponent).clamp(0.0, f64::from(AMOUNT_DP)) as u32;
    wanted.max(base).min(AMOUNT_DP.max(base))
}

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

/// An f64 to `dp` places, no exponent, no negative zero; empty where it is not a number;
/// rounded by the reports' one rule, half away from zero. (f64's own fixed formatting
/// rounds the exact binary value half to even: the two differ only where that value lies
/// exactly half-way, 0.0078125 at 6 places, which is then rounded again from its exact
/// digits.)
pub fn fixed_f64(v: f64, dp: u32) -> String {
    let mut text = String::new();
    write_fixed_f64(&mut text, v, dp);
    text
}

/// `value` to `dp` places, or with more where `dp` places would show one of `landmarks`
/// (0, or 1 for a scale) that the value is not: a sentence's "worth 0.00 more" beside a
/// winner, or "flips at 1.00x" for 0.9997 (helper-127). Then it takes the places that first
/// show the value apart, and one more where that is a second significant digit (0.004945
/// is 0.0049, 0.00056271 is 0.00056, 0.9997 is 0.9997), up to `max_dp`; past them, only the
/// first places that show it apart, else every digit.
pub fn fixed_apart(value: Decimal, dp: u32, max_dp: u32, landmarks: &[Decimal]) -> String {
    fixed_apart_by(
        dp,
        max_dp,
        |places| {
            let text = fixed(value, places);
            let shown: Decimal = text.parse().unwrap_or(value);
            (text, landmarks.contains(&shown) && shown != value)
        },
        || value.normalize().to_string(),
    )
}

/// [`fixed_apart`] for a double (the simulation's figures).
pub fn fixed_f64_apart(v: f64, dp: u32, max_dp: u32, landmarks: &[f64]) -> String {
    fixed_apart_by(
        dp,
        max_dp,
        |places| {
            let text = fixed_f64(v, places);
            let shown: f64 = text.parse().unwrap_or(v);
            (text, landmarks.contains(&shown) && shown != v)
        },
        || format!("{v}"),
    )
}

/// The places search of [`fixed_apart`]: `at(places)` is the text at those places and
/// whether it shows a landmark the value is not; `all` the value's every digit, for one
/// still a landmark at `max_dp` places (helper-130: a break-even scale 1e-13 from 1 read
/// "1.000000000000x" beside "the answer flips").
fn fixed_apart_by(
    dp: u32,
    max_dp: u32,
    at: impl Fn(u32) -> (String, bool),
    all: impl Fn() -> String,
) -> String {
    let max_dp = max_dp.max(dp);
    let (first, hidden) = at(dp);
    if !hidden {
        return first;
    }
    let Some(apart) = (dp + 1..=max_dp).find(|&places| !at(places).1) else {
        // Past the most places, the first that shows it apart (helper-131: every digit
        // printed 28, far past what the value is known to), else every digit.
        return (max_dp + 1..=28)
            .map(&at)
            .find(|(_, hidden)| !hidden)
            .map_or_else(all, |(text, _)| text);
    };
    // From there, the places that give two significant digits (0.005 -> 0.0049; 0.9997
    // has four already), without trailing zeros (an exact 0.005 stays 0.005).
    let mut text = String::new();
    for places in apart..=max_dp {
        text = at(places).0;
        let kept = text.trim_end_matches('0').trim_end_matches('.').to_string();
        if significant_digits(&kept) >= 2 || places == max_dp {
            return kept;
        }
    }
    text
}

/// The significant digits of a number's text: its digits after any leading zeros.
fn significant_digits(text: &str) -> usize {
    text.bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0')
        .count()
}

/// [`fixed_f64`] into `buffer` (cleared first; left empty where `v` is not a number), for
/// a writer of many figures that reuses one buffer.
pub(crate) fn write_fixed_f64(buffer: &mut String, v: f64, dp: u32) {
    use std::fmt::Write as _;
    buffer.clear();
    if !v.is_finite() {
        return;
    }
    match exact_half_way(v, dp) {
        Some(half) => buffer.push_str(&fixed(half, dp)),
        None => {
            let _ = write!(buffer, "{v:.prec$}", prec = dp as usize);
            if without_negative_zero(buffer).len() < buffer.len() {
                buffer.remove(0);
            }
        }
    }
}

/// `v` as a decimal where its exact binary value lies exactly half-way between two numbers
/// of `dp` places; else None. With v = m 2^e, m odd, v 2 10^dp = m 5^dp 2^(e + dp + 1) is
/// an odd whole number, which is what half-way means, exactly when e = -(dp + 1); v then
/// has exactly dp + 1 decimals, which its fixed formatting at dp + 1 places gives as they
/// are.
pub(crate) fn exact_half_way(v: f64, dp: u32) -> Option<Decimal> {
    if !v.is_finite() || v == 0.0 {
        return None;
    }
    let bits = v.to_bits();
    let (biased, fraction) = ((bits >> 52) & 0x7ff, bits & ((1 << 52) - 1));
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased as i32 - 1075)
    };
    let e = e + m.trailing_zeros() as i32;
    (e == -(dp as i32 + 1))
        .then(|| format!("{v:.prec$}", prec = dp as usize + 1).parse().ok())
        .flatten()
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

    /// helper-54's review: f64 figures (the simulation's, an IRR beyond Decimal) were
    /// rounded by Rust's formatting, half to even, where the binary value lies exactly
    /// half-way: 0.0078125 printed 0.007812, while the one rule gives 0.007813.
    #[test]
    fn regression_an_f64_exactly_half_way_rounds_away_from_zero() {
        assert_eq!(fixed_f64(0.0078125, 6), "0.007813");
        assert_eq!(fixed_f64(-0.0078125, 6), "-0.007813");
        assert_eq!(fixed_f64(0.0000005, 6), "0.000000"); // just below half-way in binary
        assert_eq!(fixed_f64(1.5, 0), "2");
        assert_eq!(fixed_f64(2.5, 0), "3");
        assert_eq!(fixed_f64(0.125, 2), "0.13");
        assert_eq!(fixed_f64(0.375, 2), "0.38");
        // Not half-way: as Rust prints it.
        assert_eq!(fixed_f64(0.1, 6), "0.100000");
        assert_eq!(fixed_f64(0.0078126, 6), "0.007813");
        // Ties far from zero too (helper-56: a cheap test stopped at 4.5e9).
        assert_eq!(fixed_f64(4500000000.0078125, 6), "4500000000.007813");
        let far = -(2f64.powi(39) + 2f64.powi(-7)); // -549755813888.0078125, exact
        assert_eq!(fixed_f64(far, 6), "-549755813888.007813");
        assert_eq!(fixed_f64(45000000.001953125, 8), "45000000.00195313");
        // Beyond 2^53 every f64 is whole: no tie at any places.
        assert_eq!(fixed_f64(1e20, 6), "100000000000000000000.000000");
    }

    #[test]
    fn tiny_and_huge_values_print_without_exponent() {
        assert_eq!(amount(d("1e-20")), "0.000000");
        assert_eq!(
            amount(d("79228162514264337593543950335")),
            "79228162514264337593543950335.000000"
        );
    }
    /// helper-127: sentences and cells printed 0.00 beside a winner, 0.00x for a break-even
    /// scale of 0.00056 and 1.00x for 0.9997, 100.0% for 19,999 of 20,000.
    #[test]
    fn regression_a_value_is_never_printed_as_a_landmark_it_is_not() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let zero_one = [Decimal::ZERO, Decimal::ONE];
        assert_eq!(fixed_apart(d("0.004945"), 2, 6, &[Decimal::ZERO]), "0.0049");
        assert_eq!(
            fixed_apart(d("-0.004945"), 2, 6, &[Decimal::ZERO]),
            "-0.0049"
        );
        assert_eq!(fixed_apart(d("0.005"), 2, 6, &[Decimal::ZERO]), "0.01");
        assert_eq!(fixed_apart(d("0.0005"), 2, 6, &[Decimal::ZERO]), "0.0005");
        assert_eq!(fixed_apart(d("0.00056271"), 2, 8, &zero_one), "0.00056");
        assert_eq!(fixed_apart(d("0.99973"), 2, 8, &zero_one), "0.9997");
        assert_eq!(fixed_apart(d("1.004"), 2, 8, &zero_one), "1.004");
        assert_eq!(fixed_apart(d("1"), 2, 8, &zero_one), "1.00");
        assert_eq!(fixed_apart(d("0"), 2, 8, &zero_one), "0.00");
        assert_eq!(fixed_apart(d("1.5"), 2, 8, &zero_one), "1.50");
        // Nothing to show at the most places: every digit (helper-130).
        assert_eq!(
            fixed_apart(d("1e-9"), 2, 6, &[Decimal::ZERO]),
            "0.000000001"
        );
        assert_eq!(
            fixed_apart(d("0.99999999999999"), 2, 12, &zero_one),
            "0.99999999999999"
        );
        assert_eq!(fixed_f64_apart(99.995, 1, 6, &[0.0, 100.0]), "99.995");
        assert_eq!(fixed_f64_apart(0.01, 1, 6, &[0.0, 100.0]), "0.01");
        assert_eq!(fixed_f64_apart(26.1, 1, 6, &[0.0, 100.0]), "26.1");
        assert_eq!(fixed_f64_apart(100.0, 1, 6, &[0.0, 100.0]), "100.0");
    }
}
