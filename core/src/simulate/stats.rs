//! The statistics of a simulation (SPEC 10): shares with their standard errors, means,
//! standard deviations and percentiles, computed the same way whatever the number of
//! threads (sums in path order, percentiles from exact order statistics).
//!
//! ```
//! use stakeshift_core::simulate::stats::{QUANTILES, mean_sd, percentiles};
//!
//! let mut values = [4.0, 1.0, 3.0, 5.0, 2.0];
//! // Mean 3; squared deviations 1 + 4 + 0 + 4 + 1 = 10, over n - 1 = 4: sd = sqrt(2.5).
//! assert_eq!(mean_sd(&values), (3.0, 2.5_f64.sqrt()));
//! // Percentiles at rank h = (n - 1) q = 4q (0-based) in the sorted 1, 2, 3, 4, 5:
//! // p5 at h = 0.2 is 1 + 0.2 x (2 - 1) = 1.2; p25, p50, p75 at h = 1, 2, 3 are 2, 3, 4;
//! // p95 at h = 3.8 is 4 + 0.8 x (5 - 4) = 4.8.
//! let p = percentiles(&mut values, QUANTILES);
//! let expected = [1.2, 2.0, 3.0, 4.0, 4.8];
//! assert!(p.iter().zip(expected).all(|(got, want)| (got - want).abs() < 1e-12));
//! ```

/// The percentiles reported: p5, p25, p50, p75, p95.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// Mean, standard deviation and percentiles of one quantity over a group of paths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub mean: f64,
    /// The sample standard deviation (divisor n - 1; 0 for a single path).
    pub sd: f64,
    /// At [`QUANTILES`].
    pub percentiles: [f64; 5],
}

impl Summary {
    /// The percentile at `q`, one of [`QUANTILES`] (NaN for another q).
    pub fn at(&self, q: f64) -> f64 {
        QUANTILES
            .iter()
            .position(|&x| x == q)
            .map_or(f64::NAN, |i| self.percentiles[i])
    }
}

/// Sum with Neumaier's compensation: the mean of a million values stays accurate to the
/// last digits printed, and the order (path order) is fixed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum {
    sum: f64,
    compensation: f64,
}

impl Sum {
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    pub fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// Mean and sample sd of `values` (two passes: the mean, then squared deviations).
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mut sum = Sum::default();
    values.iter().for_each(|v| sum.add(*v));
    let mut mean = sum.value() / n as f64;
    if !mean.is_finite() && values.iter().all(|v| v.is_finite()) {
        // The sum passed the largest double though each value is finite: each value's
        // share of the mean is summed instead (only then, so that the usual digits stay).
        let mut shares = Sum::default();
        values.iter().for_each(|v| shares.add(v / n as f64));
        mean = shares.value();
    }
    if n == 1 {
        return (mean, 0.0);
    }
    let mut squares = Sum::default();
    values
        .iter()
        .for_each(|v| squares.add((v - mean) * (v - mean)));
    let sd = (squares.value() / (n - 1) as f64).sqrt();
    if sd.is_finite() || !mean.is_finite() {
        return (mean, sd);
    }
    // Deviations past 1.3e154 square past the largest double (helper-106: a simulation's sd
    // was left empty): the values are scaled by the largest first (so that no deviation
    // overflows either: helper-107), and the sd scaled back.
    let scale = values.iter().map(|v| v.abs()).fold(0.0, f64::max);
    if !scale.is_finite() || scale == 0.0 {
        return (mean, sd);
    }
    let scaled: Vec<f64> = values.iter().map(|v| v / scale).collect();
    let (_, scaled_sd) = mean_sd(&scaled);
    (mean, scale * scaled_sd)
}

/// The q-quantiles of `values` (reordered in place): linear between the order statistics
/// at rank h = (n - 1) q, 0-based: x_floor(h) + (h - floor(h)) (x_floor(h)+1 - x_floor(h)),
/// in `f64::total_cmp`'s order.
///
/// Each order statistic x_floor(h) is found by selection, so the values need not be
/// sorted: the middle one of the ranks wanted over all the values, then the ranks below it
/// among the values below it and those above among those above (for the five percentiles
/// about 2.5 passes over the values, where selecting from the highest rank down took 3.45).
/// Once every rank is in place, the values between two of them lie between them, so
/// x_floor(h)+1 is the least of those just above x_floor(h).
pub fn percentiles<const K: usize>(values: &mut [f64], quantiles: [f64; K]) -> [f64; K] {
    let n = values.len();
    let mut out = [f64::NAN; K];
    if n == 0 {
        return out;
    }
    let rank = |q: f64| rank(n, q);
    let mut ranks: Vec<usize> = quantiles.iter().map(|&q| rank(q).0).collect();
    ranks.sort_unstable();
    ranks.dedup();
    // Selected as integers whose order is total_cmp's (comparing integers is cheaper than
    // total_cmp): each value's bits are replaced by its key, and put back at the end.
    values
        .iter_mut()
        .for_each(|v| *v = f64::from_bits(order_key(*v) as u64));
    select_ranks(values, 0, &ranks);
    for (k, &q) in quantiles.iter().enumerate() {
        let (lo, fraction) = rank(q);
        let x_lo = from_key(values[lo]);
        let x_hi = if fraction == 0.0 || lo + 1 == n {
            x_lo
        } else {
            // Up to and including the next rank in place (or the end).
            let next = ranks.iter().copied().find(|&r| r > lo).map_or(n, |r| r + 1);
            from_key(least(&values[lo + 1..next]))
        };
        out[k] = between(x_lo, x_hi, fraction);
    }
    values.iter_mut().for_each(|v| *v = from_key(*v));
    out
}

/// The q-quantile of `sorted` (ascending, as `f64::total_cmp` orders), by the rule of
/// [`percentiles`], which needs no sorting; NaN for no values. For the charts, which have
/// the values sorted already.
pub fn quantile_of_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let (lo, fraction) = rank(n, q);
    let x_hi = if fraction == 0.0 || lo + 1 == n {
        sorted[lo]
    } else {
        sorted[lo + 1]
    };
    between(sorted[lo], x_hi, fraction)
}

/// SPEC 10's rank h = (n - 1) q of n > 0 values, 0-based: floor(h) (at most n - 1) and
/// h - floor(h).
fn rank(n: usize, q: f64) -> (usize, f64) {
    let h = (n - 1) as f64 * q;
    let lo = (h.floor() as usize).min(n - 1);
    (lo, h - lo as f64)
}

/// Linear between the order statistics x_floor(h) and x_floor(h)+1.
fn between(x_lo: f64, x_hi: f64, fraction: f64) -> f64 {
    x_lo + fraction * (x_hi - x_lo)
}

/// `v`'s bits as an integer ordered as `f64::total_cmp` orders the values: negative values
/// have their magnitude bits flipped (an involution: applied twice it gives `v` back).
#[inline(always)]
fn order_key(v: f64) -> i64 {
    let bits = v.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// The value whose [`order_key`] `key` holds in its bits.
#[inline(always)]
fn from_key(key: f64) -> f64 {
    f64::from_bits(order_key(key) as u64)
}

/// The key a value's bits hold.
#[inline(always)]
fn key_of(v: &f64) -> i64 {
    v.to_bits() as i64
}

/// Puts the keys of the ascending `ranks` (offsets from `offset`, the position of
/// `values[0]` in the whole) in place, middle rank first.
fn select_ranks(values: &mut [f64], offset: usize, ranks: &[usize]) {
    if ranks.is_empty() {
        return;
    }
    let middle = ranks.len() / 2;
    let at = ranks[middle] - offset;
    let (below, _, above) = values.select_nth_unstable_by_key(at, key_of);
    select_ranks(below, offset, &ranks[..middle]);
    select_ranks(above, offset + at + 1, &ranks[middle + 1..]);
}

/// The least key held in `values` (as a value holds it: see [`order_key`]; for none, the
/// key of NaN with every bit set, the greatest).
fn least(values: &[f64]) -> f64 {
    f64::from_bits(values.iter().map(key_of).min().unwrap_or(i64::MAX) as u64)
}

/// The 95% interval of a share `p` of `n`: Wilson's score interval, (p + z²/2n ± z
/// sqrt(p (1 - p) / n + z²/4n²)) / (1 + z²/n) with z = 1.959964 (the normal's 97.5th
/// percentile); the interval the table, the JSON and `distribution.png` give. Not p ± 1.96 standard errors (SPEC 10's sqrt(p (1 - p) / n), reported beside
/// it): that collapses to a point where p is 0 or 1 (1 path of 1: "0.00% to 0.00%", a
/// chart audit) and leaves [0, 1] for few paths; Wilson's stays inside and is wide where
/// the paths are few.
pub fn interval_95(p: f64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    const Z: f64 = 1.959_963_984_540_054;
    let n = n as f64;
    let z2 = Z * Z;
    let denominator = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denominator;
    let half = Z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At p = 0 the lower end is 0 exactly, and at p = 1 the upper end 1 (center and half
    // are then equal, but their roundings left 3e-18 that a share's places printed as
    // "0.0000000000000003%": helper-132).
    let low = if p == 0.0 {
        0.0
    } else {
        (center - half).max(0.0)
    };
    let high = if p == 1.0 {
        1.0
    } else {
        (center + half).min(1.0)
    };
    (low, high)
}
