//! Axes: mapping values to positions, choosing round tick values, and writing numbers as a
//! reader expects them (thousands grouped, a true minus sign, no needless decimals).
//!
//! Seen in a sweep chart drawn from plain numbers: a stake from 0.1 to 0.4 against an
//! advantage from -1,200 to 2,300 (the text of its SVG):
//!
//! ```
//! use stakeshift::chart::{ChartContext, ModelLabels, Size};
//! use stakeshift::chart::{SweepChart, SweepSeries, VariedPath};
//!
//! let labels = ModelLabels::of(&stakeshift::io::load_model(None)?.model); // built in
//! let values = [0.1, 0.2, 0.3, 0.4];
//! let stake = VariedPath { path: "equity.stake", values: &values, current: Some(0.27) };
//! let advantages = [-1200.0, -200.0, 800.0, 2300.0];
//! let series = [SweepSeries { trajectory: "base", advantages: &advantages, index: 0,
//!     crossings: None }];
//! let chart = SweepChart { labels: &labels, varied: &[stake], series: &series,
//!     trajectory: None };
//! let svg = chart.svg(&ChartContext::new("m.toml", "", Size::DEFAULT, None))?;
//! let svg = String::from_utf8(svg).unwrap();
//! let texts: Vec<&str> = svg.split("<text").skip(1)
//!     .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect();
//! // 3,500 / about 7 ticks: 500 a step, thousands grouped, a true minus sign (U+2212).
//! for tick in ["\u{2212}1,000", "\u{2212}500", "0", "500", "1,000", "2,500"] {
//!     assert!(texts.contains(&tick), "{tick}");
//! }
//! // The axis ends a little under -1,200 (4% of the range), not a whole step on.
//! assert!(!texts.contains(&"\u{2212}1,500"));
//! // 0.3 / about 8 ticks: 0.05 a step, inside the range; no needless zeros.
//! for tick in ["0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4"] {
//!     assert!(texts.contains(&tick), "{tick}");
//! }
//! // -200 at 0.2 and 800 at 0.3: zero is crossed at about 0.2 + 0.1 x 200 / 1,000 = 0.22,
//! // on a straight line between grid values 0.1 apart: written to 0.01, and said to be near.
//! assert!(texts.contains(&"base \u{2248}0.22") && texts.contains(&"model 0.27"));
//! # Ok::<(), stakeshift::Error>(())
//! ```

use rust_decimal::Decimal;

use crate::model::Year;
use crate::report::fixed;

/// A linear map from the domain [d0, d1] onto the range [r0, r1].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Linear {
    pub fn new((d0, d1): (f64, f64), (r0, r1): (f64, f64)) -> Linear {
        Linear { d0, d1, r0, r1 }
    }

    pub fn map(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// Round ticks covering a range: the axis runs from `lo` to `hi`, both multiples of `step`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub values: Vec<f64>,
}

/// A power of ten near `x` > 0 (the largest not above it), by multiplication only.
fn pow10_below(x: f64) -> f64 {
    let mut p = 1.0;
    if x >= 1.0 {
        while p * 10.0 <= x {
            p *= 10.0;
        }
    } else {
        while p > x && p > 1e-12 {
            p /= 10.0;
        }
    }
    p
}

/// About `target` round ticks over [min, max] (zero always included), the axis extended to
/// the ticks on either side.
pub(crate) fn nice_ticks(min: f64, max: f64, target: usize) -> Ticks {
    let (mut lo, mut hi) = (min.min(0.0), max.max(0.0));
    if !(lo.is_finite() && hi.is_finite()) {
        lo = 0.0;
        hi = 1.0;
    }
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let p = pow10_below(raw);
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|s| *s >= raw * 0.999_999)
        .unwrap_or(10.0 * p);
    let mut first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    // A lowest value below zero on a tick (or just above one) would be drawn on the axis's
    // foot, half hidden by it (helper-220: a fan's floor of -100, value.png's -1000): the
    // axis goes on a step, and ends a little under the value, as below.
    // (Not for a leftover of -1e-12 beside 0, which is 0 to the eye.)
    if lo < -1e-9 * (hi - lo) && first as f64 * step > lo - 0.02 * (hi - lo) {
        first -= 1;
    }
    // Below zero, the axis ends a little under the lowest value rather than a whole step on.
    let snapped = first as f64 * step;
    let lo = if lo < 0.0 {
        snapped.max(lo - 0.04 * (hi - lo))
    } else {
        snapped
    };
    let values = (first..=last)
        .map(|i| i as f64 * step)
        .filter(|v| *v >= lo - step * 1e-9)
        .collect();
    Ticks {
        lo,
        hi: last as f64 * step,
        step,
        values,
    }
}

/// About `target` round ticks inside [min, max], zero not forced in: for an axis of input
/// values (a stake from 0.1 to 0.4), which runs exactly from `min` to `max`.
pub(crate) fn span_ticks(min: f64, max: f64, target: usize) -> Ticks {
    let (lo, hi) = if min.is_finite() && max.is_finite() && max > min {
        (min, max)
    } else if min.is_finite() {
        let pad = (min.abs() * 0.05).max(0.5);
        (min - pad, min + pad)
    } else {
        (0.0, 1.0)
    };
    let raw = (hi - lo) / target.max(1) as f64;
    let p = pow10_below(raw);
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|s| *s >= raw * 0.999_999)
        .unwrap_or(10.0 * p);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let values = (first..=last).map(|i| i as f64 * step).collect();
    Ticks {
        lo,
        hi,
        step,
        values,
    }
}

/// `ticks` for an axis of whole values only (years): no tick between two of them (a tick
/// at 2023.5 was labelled 2024), so a step of at least 1, on whole numbers.
/// The ticks of an axis of grid `values` over `min..max` ([`span_ticks`] in whole steps
/// where the values are whole, [`whole_steps`]); a grid of one whole value past 1 (a year:
/// `agi_year=2030..2030`) is set among its neighbours, 2028 to 2032, where a span of 5% of
/// it either way put the axis at 1950 to 2100 with no tick at 2030 (helper-258).
pub(crate) fn grid_ticks(min: f64, max: f64, target: usize, values: &[f64]) -> Ticks {
    let mut finite = values.iter().filter(|v| v.is_finite());
    if let Some(&v) = finite.next()
        && finite.all(|w| *w == v)
        && v.fract() == 0.0
        && v.abs() >= 2.0
        && min >= v - 2.0
        && max <= v + 2.0
    {
        return Ticks {
            lo: v - 2.0,
            hi: v + 2.0,
            step: 1.0,
            values: (-2..=2).map(|k| v + f64::from(k)).collect(),
        };
    }
    whole_steps(span_ticks(min, max, target), values)
}

/// One value alone says nothing of its kind (a stake of 0 is whole too: a grid of
/// `equity.stake=0..0` had one tick, at 0, on an axis from -0.5 to 0.5), so its ticks stay.
pub(crate) fn whole_steps(ticks: Ticks, values: &[f64]) -> Ticks {
    let mut finite = values.iter().filter(|v| v.is_finite());
    let first = finite.next();
    let several = first.is_some_and(|a| finite.any(|b| b != a));
    let whole = values.iter().all(|v| !v.is_finite() || v.fract() == 0.0);
    if !several || !whole || (ticks.step >= 1.0 && ticks.step.fract() == 0.0) {
        return ticks;
    }
    // A step below 1, or of 2.5 (twenty years on eight ticks put them at 2027.5, labelled
    // 2028: helper-119), becomes the whole step just below it: 1, or 2.
    let step = ticks.step.floor().max(1.0);
    let first = ((ticks.lo - 1e-9) / step).ceil() as i64;
    let last = ((ticks.hi + 1e-9) / step).floor() as i64;
    Ticks {
        step,
        values: (first..=last).map(|i| i as f64 * step).collect(),
        ..ticks
    }
}

/// An amount computed in f64 (a simulation or a sweep), written as [`amount`] writes a
/// Decimal: 2,392 / 441.6 / 12.8 / 2.70 (and from 1e15 as [`compact`]: 2.293e17).
pub(crate) fn number(v: f64) -> String {
    // An f64 holds 15 to 17 significant digits: from 1e15 its last printed digits would be
    // noise (helper-103: a p95 labelled 229,330,276,402,259,552), so four and a power of ten.
    if v.abs() >= 1e15 && v.is_finite() {
        return compact(v);
    }
    let dp = number_places(v);
    pretty(&format!("{v:.dp$}"))
}

/// The decimal places [`number`] prints `v` with: 0 from 1,000, 1 from 10, 2 from 0.1 (and
/// for 0), and below that as many as show two significant digits (0.022, 0.000034,
/// -0.000005), up to the 6 places the CSV files print amounts with: a small amount is never
/// printed 0.00 (helper-103: NPVs of 3.4e-5 were labelled "0.00", and a p25 of -5e-6
/// "0.00000"), nor one of two digits as one (helper-153: 0.0222 beside 0.0077 was "0.02",
/// and a margin of 0.0145 "0.01"), and a chart shows no digit the files do not (a
/// decimals' leftover of 1.7e-27 is 0.000000, as in the CSV: helper-104).
pub(crate) fn number_places(v: f64) -> usize {
    let a = v.abs();
    if a >= 1000.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 0.1 || a == 0.0 || !a.is_finite() {
        2
    } else {
        ((-a.log10()).ceil() as usize + 1).min(6)
    }
}

/// An input's value (a stake, a rate, a year, a scale) with four significant digits and no
/// trailing zeros: 0.2713, 1.25, 2031, 12,500 (and from 1e15 as [`compact`]: 2e35).
/// Four-digit whole numbers stay ungrouped, so that a year reads as a year.
pub(crate) fn input_value(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let a = v.abs();
    // From 1e15 a double's last printed digits are noise (helper-186: bars
    // "199,999,999,999,999,993,726,732,215 USD m wide"): four digits and a power of ten.
    if a >= HUGE {
        return compact(v);
    }
    let mut dp = 0usize;
    let mut scaled = a;
    while dp < 8 && scaled < 1000.0 && scaled != 0.0 {
        scaled *= 10.0;
        dp += 1;
    }
    let s = format!("{v:.dp$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if (1000.0..10_000.0).contains(&a) && !s.contains('.') {
        return match s.strip_prefix('-') {
            Some(body) => format!("\u{2212}{body}"),
            None => s,
        };
    }
    pretty(&s)
}

/// Year ticks over [first, last]: every 1, 2, 5, 10, ... years, about `target` of them.
pub(crate) fn year_ticks(first: Year, last: Year, target: usize) -> Vec<Year> {
    let span = (last - first).max(1);
    let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500]
        .into_iter()
        .find(|s| span / s <= target as i32)
        .unwrap_or(1000);
    let start = first.div_euclid(step) * step;
    (0..)
        .map(|i| start + i * step)
        .take_while(|y| *y <= last)
        .filter(|y| *y >= first)
        .collect()
}

/// Decimal places needed to write multiples of `step` (at most 12: ticks 5e-7 apart, in a
/// model of millionths, read 0.000004, 0.000003, 0.000003 at 6; helper-220).
fn decimals_for(step: f64) -> usize {
    let mut d = 0;
    let mut s = step;
    while d < 12 && (s - s.round()).abs() > 1e-6 * s.abs().max(1e-12) {
        s *= 10.0;
        d += 1;
    }
    d
}

/// The label of an axis's tick `v`: [`step_label`], except that on an axis reaching 1e15
/// every tick but zero is written with a power of ten, so that one axis does not show
/// "900,000,000,000,000" beside "1e15" (helper-107).
pub(crate) fn tick_label(v: f64, ticks: &Ticks) -> String {
    let reach = ticks.values.iter().fold(0.0f64, |m, t| m.max(t.abs()));
    let step = ticks.step;
    let zero = v.abs() < step * 1e-6;
    if reach >= HUGE && !zero && v.is_finite() && step > 0.0 && step.is_finite() {
        return powers_of_ten(v, step);
    }
    step_label(v, step)
}

/// Where an f64 amount's printed digits would show its noise: from here on it is written
/// with a power of ten (an f64 holds 15 to 17 significant digits).
const HUGE: f64 = 1e15;

/// A label of `v` among values `step` apart: as many decimals as the step needs; from 1e15,
/// as many significant digits as tell the ticks apart and a power of ten, 3.5e24 (a
/// double's digits past the 16th are noise: helper-106 saw
/// 3,500,000,000,000,000,000,209,715,200).
pub(crate) fn step_label(v: f64, step: f64) -> String {
    if v.abs() >= HUGE && v.is_finite() && step > 0.0 && step.is_finite() {
        return powers_of_ten(v, step);
    }
    let d = decimals_for(step);
    let s = format!("{:.*}", d, v);
    pretty(&s)
}

/// `v` with the significant digits that tell values `step` apart, and a power of ten.
fn powers_of_ten(v: f64, step: f64) -> String {
    let place = |x: f64| x.abs().log10().floor();
    // 1, 2 and 5 times a power of ten have one significant digit; 2.5 two.
    let mantissa = step / 10f64.powf(place(step));
    let step_digits = if (mantissa - 2.5).abs() < 1e-9 {
        2.0
    } else {
        1.0
    };
    let digits = (place(v) - place(step) + step_digits).clamp(1.0, 17.0);
    compact_to(v, digits as usize)
}

/// A percentage tick label (v is a fraction).
pub(crate) fn percent_tick(v: f64, step: f64) -> String {
    let d = decimals_for(step * 100.0);
    format!("{}%", pretty(&format!("{:.*}", d, v * 100.0)))
}

/// Thousands grouped with commas, and a true minus sign; "-0" is written "0".
pub(crate) fn pretty(s: &str) -> String {
    let grouped = crate::report::group_thousands(s);
    match grouped.strip_prefix('-') {
        Some(body) if !body.chars().all(|c| c == '0' || c == '.' || c == ',') => {
            format!("\u{2212}{body}")
        }
        Some(body) => body.to_string(),
        None => grouped,
    }
}

/// An amount for a label, rounded as the table rounds (half away from zero), to a precision
/// that suits its size: 2,392 / 441.6 / 12.8 / 2.70 / 0.35 / 0.000034.
pub(crate) fn amount(v: Decimal) -> String {
    // The places [`number`] takes, by the nearest double (a decimal just below 0.01 whose
    // double is 0.01 takes 2 places, and rounds to 0.01 at them all the same).
    let dp = number_places(f(v)) as u32;
    pretty(&fixed(v, dp))
}

/// An amount written short, for where its full digits do not fit: four significant digits
/// and a power of ten, 3.185e18 / \u{2212}1.2e15; as [`number`] writes it below a million.
/// Never cut: a number with its leading digits dropped reads as another number.
pub(crate) fn compact(v: f64) -> String {
    compact_to(v, 4)
}

/// [`compact`] with `digits` significant digits (at least 1) from a million on.
pub(crate) fn compact_to(v: f64, digits: usize) -> String {
    if !v.is_finite() || v.abs() < 1e6 {
        return number(v);
    }
    let places = digits.max(1) - 1;
    let s = format!("{v:.places$e}");
    let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0').trim_end_matches('.')
    } else {
        mantissa
    };
    format!("{}e{exponent}", pretty(mantissa))
}

/// A number from the model as written there, thousands grouped: 122, 730, 32.94.
pub(crate) fn plain(v: Decimal) -> String {
    pretty(&v.normalize().to_string())
}

/// A stake or share as a percentage with one decimal: 23.1%.
pub(crate) fn percent(v: Decimal) -> String {
    format!("{}%", pretty(&fixed(v * Decimal::ONE_HUNDRED, 1)))
}

/// A Decimal as the nearest f64 ([`crate::engine::Num::to_f64`], correctly rounded).
pub(crate) fn f(v: Decimal) -> f64 {
    crate::engine::Num::to_f64(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// helper-103: a model of amounts near 1e-5 had every NPV bar, the waterfall's legend
    /// and the tornado's base labelled "0.00". Below 0.1, two significant digits.
    #[test]
    fn regression_small_amounts_keep_two_significant_digits() {
        assert_eq!(amount(d("0.000034")), "0.000034");
        assert_eq!(amount(d("0.0000267")), "0.000027");
        assert_eq!(amount(d("-0.0099")), "\u{2212}0.0099");
        assert_eq!(number(-0.000005), "\u{2212}0.000005");
        // No more places than the CSV files print (6): a leftover of the decimals is 0.
        assert_eq!(number(3.4e-13), "0.000000");
        assert_eq!(amount(d("-0.0000000000000000000000000017")), "0.000000");
        assert_eq!(amount(d("0.0000004")), "0.000000");
        assert_eq!(amount(d("0.0000006")), "0.000001");
        // From 0.1 up, two places; below, two digits (helper-153: from 0.01 it was two
        // places, so that 0.0222 read 0.02).
        assert_eq!(amount(d("0.05")), "0.050");
        assert_eq!(amount(d("0.35")), "0.35");
        assert_eq!(amount(d("12.84")), "12.8");
        assert_eq!(number(0.0), "0.00");
    }

    /// helper-106: an axis of huge amounts read 3,500,000,000,000,000,000,209,715,200, a
    /// double's noise in its last digits. From 1e15, the digits the step needs.
    #[test]
    fn regression_huge_ticks_print_no_false_digits() {
        assert_eq!(step_label(3.5e24, 5e23), "3.5e24");
        // A tick a double's rounding puts just below 3e24 (6 x 5e23, computed).
        let just_below = f64::from_bits(3e24_f64.to_bits() - 1);
        assert_eq!(step_label(just_below, 5e23), "3e24");
        assert_eq!(step_label(2.5e15, 2.5e15), "2.5e15");
        assert_eq!(step_label(-1.25e16, 2.5e15), "\u{2212}1.25e16");
        assert_eq!(step_label(1e15, 1e14), "1e15");
        // Below 1e15, the digits as before.
        assert_eq!(step_label(1_500.0, 500.0), "1,500");
        assert_eq!(
            step_label(999_000_000_000_000.0, 1e12),
            "999,000,000,000,000"
        );
    }

    /// helper-107: an axis crossing 1e15 mixed "900,000,000,000,000" and "1e15". On an axis
    /// that reaches 1e15 every tick but zero is written with a power of ten; an axis that
    /// stays below keeps its digits.
    #[test]
    fn regression_an_axis_crossing_1e15_writes_its_ticks_one_way() {
        let labels =
            |t: &Ticks| -> Vec<String> { t.values.iter().map(|v| tick_label(*v, t)).collect() };
        let t = nice_ticks(0.0, 1.4e15, 6);
        assert!(t.values.iter().any(|v| *v < 1e15 && *v > 0.0), "{t:?}");
        for (v, label) in t.values.iter().zip(labels(&t)) {
            if *v == 0.0 {
                assert_eq!(label, "0");
            } else {
                assert!(label.contains('e') && !label.contains(','), "{v}: {label}");
            }
        }
        let t = nice_ticks(0.0, 1.2e15, 6);
        assert_eq!(
            labels(&t),
            ["0", "2e14", "4e14", "6e14", "8e14", "1e15", "1.2e15"]
        );
        // Ticks near 1e15 a small step apart keep the digits that tell them apart.
        // (nice_ticks always takes in zero; an axis of its own, as a caller could make.)
        let t = Ticks {
            lo: 0.999e15,
            hi: 1.001e15,
            step: 5e11,
            values: (0..5).map(|k| 0.999e15 + 5e11 * f64::from(k)).collect(),
        };
        let written = labels(&t);
        let distinct: std::collections::BTreeSet<&String> = written.iter().collect();
        assert_eq!(distinct.len(), written.len(), "{written:?}");
        assert!(written.iter().all(|l| l.contains('e')), "{written:?}");
        // Below 1e15, digits as before.
        let t = nice_ticks(0.0, 7e14, 6);
        assert!(t.values.iter().all(|v| *v < 1e15), "{t:?}");
        assert!(
            labels(&t).iter().all(|l| !l.contains('e')),
            "{:?}",
            labels(&t)
        );
    }

    /// helper-103: a simulation's p95 of 2.3e17 was labelled 229,330,276,402,259,552, its
    /// last digits an f64's noise. From 1e15, four significant digits and a power of ten.
    #[test]
    fn regression_huge_f64_amounts_print_no_false_digits() {
        assert_eq!(number(229_330_276_402_259_552.0), "2.293e17");
        assert_eq!(number(-4_535_000_000_000_000.0), "\u{2212}4.535e15");
        assert_eq!(number(999_999_999_999_999.0), "999,999,999,999,999");
    }

    /// helper-220: ticks 5e-7 apart were written to 6 places, so that neighbours read
    /// alike (0.000003, 0.000003, 0.000004).
    #[test]
    fn regression_ticks_finer_than_a_millionth_read_apart() {
        let t = span_ticks(0.0000021, 0.0000042, 5);
        assert!((t.step - 0.0000005).abs() < 1e-20, "{}", t.step);
        let labels: Vec<String> = t.values.iter().map(|&v| tick_label(v, &t)).collect();
        assert_eq!(labels, ["0.0000025", "0.0000030", "0.0000035", "0.0000040"]);
        // Steps of 1e-7 either side of zero: each label its own.
        let t = nice_ticks(-0.0000003, 0.0000003, 6);
        assert!((t.step - 0.0000001).abs() < 1e-20, "{}", t.step);
        let labels: Vec<String> = t.values.iter().map(|&v| tick_label(v, &t)).collect();
        assert_eq!(
            labels,
            [
                "\u{2212}0.0000003",
                "\u{2212}0.0000002",
                "\u{2212}0.0000001",
                "0.0000000",
                "0.0000001",
                "0.0000002",
                "0.0000003"
            ]
        );
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let t = nice_ticks(-12.8, 2392.4, 6);
        assert_eq!(t.step, 500.0);
        assert!(t.lo < -12.8 && t.lo > -500.0, "{t:?}");
        assert_eq!(t.hi, 2500.0);
        assert_eq!(t.values, vec![0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0]);
        let t = nice_ticks(0.0, 441.6, 6);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 500.0, 100.0));
        // A lowest value on a tick: the axis ends 4% of the span under it, not on it
        // (helper-220: lines drawn along the axis foot, half hidden).
        let t = nice_ticks(-300.0, 100.0, 4);
        assert_eq!((t.lo, t.hi), (-316.0, 100.0));
        assert_eq!(t.values, vec![-300.0, -200.0, -100.0, 0.0, 100.0]);
        let t = nice_ticks(0.0, 0.27, 5);
        assert_eq!(t.step, 0.1);
        assert_eq!(step_label(0.3, t.step), "0.3");
        let t = nice_ticks(0.0, 0.0, 5);
        assert!(t.hi > t.lo);
    }

    #[test]
    fn whole_values_get_whole_ticks() {
        // helper-48: years 2022..2026 got ticks every half year, labelled 2022, 2022,
        // 2023, 2024, 2024, ...
        let years = [2022.0, 2023.0, 2024.0, 2025.0, 2026.0];
        let t = whole_steps(span_ticks(2022.0, 2026.0, 8), &years);
        assert_eq!(t.values, years.to_vec());
        assert_eq!(t.step, 1.0);
        // Values that are not whole keep their ticks.
        let t = whole_steps(span_ticks(0.1, 0.5, 8), &[0.1, 0.3, 0.5]);
        assert!(t.step < 1.0);
        // Wide whole ranges keep their coarser steps.
        let t = whole_steps(span_ticks(2000.0, 2400.0, 8), &[2000.0, 2400.0]);
        assert_eq!(t.step, 50.0);
    }

    /// helper-119: a sweep of agi_year over 2026..2045 had ticks every 2.5 years,
    /// labelled 2028 at 2027.5 and 2032 at 2032.5. Ticks of whole values are whole.
    #[test]
    fn regression_ticks_of_years_are_whole_years() {
        let years: Vec<f64> = (2026..=2045).map(f64::from).collect();
        let ticks = whole_steps(span_ticks(2026.0, 2045.0, 8), &years);
        assert!(ticks.values.len() >= 5, "{ticks:?}");
        assert!(ticks.values.iter().all(|v| v.fract() == 0.0), "{ticks:?}");
        assert!(ticks.values.iter().all(|v| (2026.0..=2045.0).contains(v)));
        assert_eq!(ticks.step, 2.0);
    }

    #[test]
    fn regression_a_grid_of_one_year_is_set_among_its_neighbours() {
        let t = grid_ticks(2030.0, 2030.0, 8, &[2030.0, 2030.0]);
        assert_eq!(t.values, vec![2028.0, 2029.0, 2030.0, 2031.0, 2032.0]);
        // A heat map's cell about it, half a year either way, is inside.
        let t = grid_ticks(2029.5, 2030.5, 8, &[2030.0; 11]);
        assert_eq!((t.lo, t.hi), (2028.0, 2032.0));
        // A stake of 0: the span's ticks.
        let t = grid_ticks(0.0, 0.0, 8, &[0.0, 0.0]);
        assert_eq!(t.values, vec![-0.4, -0.2, 0.0, 0.2, 0.4]);
    }

    #[test]
    fn regression_one_whole_value_keeps_the_ticks_of_its_span() {
        // helper-248: `sweep --vary equity.stake=0..0:2` drew one tick, at 0.
        let t = whole_steps(span_ticks(0.0, 0.0, 8), &[0.0, 0.0]);
        assert_eq!(t.values, vec![-0.4, -0.2, 0.0, 0.2, 0.4]);
        // Two whole values still step by whole numbers.
        let t = whole_steps(span_ticks(0.0, 2.0, 8), &[0.0, 2.0]);
        assert_eq!(t.values, vec![0.0, 1.0, 2.0]);
    }

    #[test]
    fn span_ticks_stay_inside_the_range() {
        let t = span_ticks(0.1, 0.4, 6);
        assert_eq!(t.step, 0.05);
        assert_eq!((t.lo, t.hi), (0.1, 0.4));
        assert_eq!(t.values.len(), 7);
        assert!(
            t.values
                .iter()
                .all(|v| *v >= 0.1 - 1e-12 && *v <= 0.4 + 1e-12)
        );
        // One value: a small range around it.
        let t = span_ticks(2.0, 2.0, 5);
        assert!(t.lo < 2.0 && t.hi > 2.0);
    }

    #[test]
    fn year_ticks_step_in_round_years() {
        assert_eq!(
            year_ticks(2019, 2045, 8),
            vec![2020, 2025, 2030, 2035, 2040, 2045]
        );
        assert_eq!(
            year_ticks(2020, 2024, 8),
            vec![2020, 2021, 2022, 2023, 2024]
        );
    }

    #[test]
    fn numbers_read_as_a_person_writes_them() {
        assert_eq!(step_label(1500.0, 500.0), "1,500");
        assert_eq!(step_label(-500.0, 500.0), "\u{2212}500");
        assert_eq!(step_label(-0.0, 0.5), "0.0");
        assert_eq!(amount(d("2392.393709")), "2,392");
        assert_eq!(amount(d("151.85")), "151.9");
        assert_eq!(amount(d("2.7")), "2.70");
        assert_eq!(amount(d("-43.67")), "\u{2212}43.7");
        assert_eq!(percent(d("0.23133803")), "23.1%");
        assert_eq!(percent_tick(0.25, 0.05), "25%");
        assert_eq!(f(d("0.1")), 0.1);
        assert_eq!(plain(d("122.0")), "122");
        assert_eq!(plain(d("1234.50")), "1,234.5");
        assert_eq!(number(2392.4), "2,392");
        assert_eq!(number(-43.67), "\u{2212}43.7");
        assert_eq!(number(2.7), "2.70");
        assert_eq!(number(0.35), "0.35");
        // Two significant digits below 0.1 (helper-153: 0.0222 was "0.02" beside 0.0077).
        assert_eq!(number(0.0222), "0.022");
        assert_eq!(number(0.0077), "0.0077");
        assert_eq!(number(-0.05), "\u{2212}0.050");
        assert_eq!(amount(d("0.0145")), "0.015");
        assert_eq!(input_value(0.271349), "0.2713");
        assert_eq!(input_value(1.25), "1.25");
        assert_eq!(input_value(2031.0), "2031");
        assert_eq!(input_value(12500.0), "12,500");
        assert_eq!(input_value(-0.05), "\u{2212}0.05");
        assert_eq!(input_value(0.0), "0");
        // helper-186: a bar width of 2e35 was printed with 36 digits, the last 20 noise.
        assert_eq!(input_value(2e35), "2e35");
        assert_eq!(input_value(-3.14159e17), "\u{2212}3.142e17");
        assert_eq!(
            input_value(999_999_999_999_999.0 - 1.0),
            "999,999,999,999,998"
        );
        assert_eq!(compact(3_184_888_527_117_068.0), "3.185e15");
        assert_eq!(compact(-1.2e18), "\u{2212}1.2e18");
        assert_eq!(compact(2392.4), "2,392");
        assert_eq!(compact(1e18), "1e18");
        assert_eq!(compact_to(112_923_003_963.5, 3), "1.13e11");
        assert_eq!(compact_to(-58_019_109_450.9, 2), "\u{2212}5.8e10");
    }
}
