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
    /// The sample standard deviation (divisor n - 1); NaN for a single path, which has
    /// none (the outputs leave it empty; helper-193: 0 was printed, as if measured).
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
    /// Adds `x`: (larger - t) + smaller goes to the compensation, where t is the new sum. The
    /// larger of the two is picked by a select, not a branch (the same numbers), so that
    /// sums of interleaved groups ([`summaries`]) run without mispredictions.
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        let sum_is_larger = self.sum.abs() >= x.abs();
        let larger = if sum_is_larger { self.sum } else { x };
        let smaller = if sum_is_larger { x } else { self.sum };
        self.compensation += (larger - t) + smaller;
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
        return (mean, f64::NAN);
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

/// The q-quantiles of `values` (which may be reordered): linear between the order
/// statistics at rank h = (n - 1) q, 0-based: x_floor(h) + (h - floor(h)) (x_floor(h)+1 -
/// x_floor(h)), in `f64::total_cmp`'s order.
///
/// Many values (from 32,768: a fan chart's sample) go through a histogram of their keys
/// ([`percentiles_by_buckets`]: two passes that leave the values in place, and a selection
/// among the few that share a bucket with a rank wanted). Fewer are found by selection, so
/// the values need not be sorted: the middle one of the ranks wanted over all the values,
/// then the ranks below it among the values below it and those above among those above
/// (for the five percentiles about 2.5 passes over the values, where selecting from the
/// highest rank down took 3.45). Once every rank is in place, the values between two of
/// them lie between them, so x_floor(h)+1 is the least of those just above x_floor(h).
/// Both give the same numbers (exact order statistics).
pub fn percentiles<const K: usize>(values: &mut [f64], quantiles: [f64; K]) -> [f64; K] {
    let n = values.len();
    let mut out = [f64::NAN; K];
    if n == 0 {
        return out;
    }
    if n >= BUCKETS_FROM && u32::try_from(n).is_ok() {
        return percentiles_by_buckets(values, quantiles, BUCKET_BITS);
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

/// From this many values on, [`percentiles`] goes through a histogram (below, its own
/// size would weigh).
const BUCKETS_FROM: usize = 1 << 15;

/// The histograms' finest resolution: 65,536 buckets (256 KB of counts a group).
pub const BUCKET_BITS: u32 = 16;

/// Mean, sd and percentiles of `values` over all of them (the first summary) and over
/// each of `subsets` subsets (the others, in order), value i belonging to subset
/// `subset_of(i)` (below `subsets`) if any: a simulation's quantity over all paths and
/// over each center's. None for a group without values. The same numbers as
/// [`mean_sd`] and [`percentiles`] of each group's values gathered in their order (a
/// test holds them to it), in two passes over `values` and no copy of them:
///
/// 1. each group's [`Sum`] (in the values' order) and histogram of the values' keys;
/// 2. each group's squared deviations from its mean, and the keys of the buckets that
///    hold an order statistic wanted, among which each is then selected (see
///    [`percentiles_by_buckets`]).
///
/// Gathering a million values into each center's columns first touched 24 MB of new
/// memory and read them twice more; the page faults alone cost more than these passes.
/// `bits` (1 to [`BUCKET_BITS`]) bounds the histograms' buckets (fewer in tests, so that
/// many values share one); more subsets get fewer, the counts kept to about 8 MB down to
/// one bit a group (past about a million subsets, 8 bytes a group).
///
/// # Panics
/// If a value's subset is not below `subsets`, or there are more than `u32::MAX` values
/// (or subsets than memory can count).
pub fn summaries(
    values: &[f64],
    subsets: usize,
    subset_of: impl Fn(usize) -> Option<usize>,
    bits: u32,
) -> Vec<Option<Summary>> {
    let groups = subsets + 1;
    let member = |i: usize| subset_of(i).map(|s| s + 1);
    assert!(u32::try_from(values.len()).is_ok(), "too many values");
    // No more buckets than values (a run of few paths allocated 16 MB of counts).
    let bits = bits.min(usize::BITS - values.len().leading_zeros());
    let mut histograms = Histograms::new(groups, bits);
    // All values' sums in locals, apart from the subsets' (which a subset's index could
    // alias for all the compiler knows): kept in registers, not stored and loaded again.
    let mut sums = vec![Sum::default(); groups];
    let mut sum = Sum::default();
    for (i, &v) in values.iter().enumerate() {
        histograms.add(0, v);
        sum.add(v);
        if let Some(g) = member(i) {
            histograms.add(g, v);
            sums[g].add(v);
        }
    }
    sums[0] = sum;
    let lens: Vec<usize> = (0..groups).map(|g| histograms.len(g)).collect();
    let means: Vec<f64> = sums
        .iter()
        .zip(&lens)
        .map(|(s, &n)| s.value() / n as f64)
        .collect();
    // The squared deviations, and the keys of the buckets that hold a rank wanted, in one
    // pass.
    let wanted: Vec<Vec<usize>> = lens.iter().map(|&n| wanted_ranks(n, &QUANTILES)).collect();
    let mut gathering = Gathering::new(&histograms, &wanted);
    let mut squares = vec![Sum::default(); groups];
    let mut square = Sum::default();
    for (i, &v) in values.iter().enumerate() {
        let deviation = v - means[0];
        square.add(deviation * deviation);
        let g = member(i);
        if let Some(g) = g {
            let deviation = v - means[g];
            squares[g].add(deviation * deviation);
        }
        gathering.put(v, g);
    }
    squares[0] = square;
    let found = gathering.select();
    let mut moments: Vec<(f64, f64)> = (0..groups)
        .map(|g| match lens[g] {
            // mean_sd's own result for one value.
            0 | 1 => (means[g], f64::NAN),
            n => (means[g], (squares[g].value() / (n - 1) as f64).sqrt()),
        })
        .collect();
    // A sum or a square past the largest double: mean_sd of the group's values, with its
    // remedies (rare; the groups that need them gathered in one pass, however many).
    let remedied: Vec<usize> = (0..groups)
        .filter(|&g| lens[g] > 1 && !(moments[g].0.is_finite() && moments[g].1.is_finite()))
        .collect();
    if !remedied.is_empty() {
        let mut slot = vec![usize::MAX; groups];
        remedied.iter().enumerate().for_each(|(k, &g)| slot[g] = k);
        let mut gathered: Vec<Vec<f64>> = remedied
            .iter()
            .map(|&g| Vec::with_capacity(lens[g]))
            .collect();
        for (i, &v) in values.iter().enumerate() {
            for g in [Some(0), member(i)].into_iter().flatten() {
                if slot[g] != usize::MAX {
                    gathered[slot[g]].push(v);
                }
            }
        }
        for (&g, values) in remedied.iter().zip(&gathered) {
            moments[g] = mean_sd(values);
        }
    }
    (0..groups)
        .map(|g| {
            (lens[g] > 0).then(|| Summary {
                mean: moments[g].0,
                sd: moments[g].1,
                percentiles: interpolate(lens[g], QUANTILES, &wanted[g], &found[g]),
            })
        })
        .collect()
}

/// The order statistics the quantiles of n > 0 values need, ascending: x_floor(h) of each,
/// and x_floor(h)+1 where the quantile lies between two.
fn wanted_ranks(n: usize, quantiles: &[f64]) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let mut wanted = Vec::with_capacity(2 * quantiles.len());
    for &q in quantiles {
        let (lo, fraction) = rank(n, q);
        wanted.push(lo);
        if fraction != 0.0 && lo + 1 < n {
            wanted.push(lo + 1);
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

/// The quantiles of n > 0 values from their order statistics `found` at `wanted` (as
/// [`wanted_ranks`] gives them).
fn interpolate<const K: usize>(
    n: usize,
    quantiles: [f64; K],
    wanted: &[usize],
    found: &[f64],
) -> [f64; K] {
    let at = |r: usize| found[wanted.partition_point(|&w| w < r)];
    quantiles.map(|q| {
        let (lo, fraction) = rank(n, q);
        let x_lo = at(lo);
        let x_hi = if fraction == 0.0 || lo + 1 == n {
            x_lo
        } else {
            at(lo + 1)
        };
        between(x_lo, x_hi, fraction)
    })
}

/// Counts of each group's values by the top bits of their keys (the values' bits, ordered
/// as `f64::total_cmp` orders the values): the sign, the exponent and the first mantissa
/// bits, so that each power of two is cut into equal ranges (16 of them with 16 bits).
#[derive(Debug, Clone)]
struct Histograms {
    /// Group g's counts at `g << bits` and the `1 << bits` after it.
    counts: Vec<u32>,
    bits: u32,
}

impl Histograms {
    /// `groups` histograms of at most 2^`bits` buckets each (`bits` clamped to 1..=16), and
    /// fewer where there are many groups: the counts kept to about 8 MB, down to two
    /// buckets a group.
    fn new(groups: usize, bits: u32) -> Self {
        let mut bits = bits.clamp(1, BUCKET_BITS);
        while bits > 1 && (groups << bits) > 1 << 21 {
            bits -= 1;
        }
        Histograms {
            counts: vec![0; groups << bits],
            bits,
        }
    }

    /// The bucket of a key.
    #[inline(always)]
    fn bucket(&self, key: u64) -> usize {
        (key >> (u64::BITS - self.bits)) as usize
    }

    /// Counts `v` in group `g`.
    #[inline(always)]
    fn add(&mut self, g: usize, v: f64) {
        let b = (g << self.bits) + self.bucket(unsigned_key(v));
        self.counts[b] += 1;
    }

    /// Group g's counts.
    fn of(&self, g: usize) -> &[u32] {
        &self.counts[g << self.bits..(g + 1) << self.bits]
    }

    /// The number of values counted in group `g`.
    fn len(&self, g: usize) -> usize {
        self.of(g).iter().map(|&c| c as usize).sum()
    }
}

/// `v`'s key as an unsigned integer: ordered as `f64::total_cmp` orders the values.
#[inline(always)]
fn unsigned_key(v: f64) -> u64 {
    (order_key(v) as u64) ^ (1 << 63)
}

/// The value of an [`unsigned_key`].
#[inline(always)]
fn from_unsigned_key(key: u64) -> f64 {
    from_key(f64::from_bits(key ^ (1 << 63)))
}

/// Each group's order statistics at its ranks wanted, through the groups' histograms of
/// the values (group 0 holding every value, a value group g too if its member says so):
/// the histograms tell in which bucket each order statistic lies and how many of the
/// group's values lie below that bucket; one pass gathers the keys of those buckets only
/// ([`Gathering::put`], a few percent of a simulation's values, in a pass the caller may
/// share with other work), and the order statistics are selected among them
/// ([`Gathering::select`]). The values are not moved. For a million values about a third
/// of the time of selection over all of them, whose passes move every value.
struct Gathering<'a> {
    histograms: &'a Histograms,
    wanted: &'a [Vec<usize>],
    /// Each group's bucket's target, a number in the order of the groups and, within each,
    /// of the buckets (NONE where the bucket holds no rank wanted).
    target_of_bucket: Vec<u32>,
    /// Where each target's keys start in `keys` (and, last, their total).
    starts: Vec<usize>,
    /// The number of the group's values below each target bucket.
    below_of: Vec<usize>,
    /// For each group and rank wanted, its target.
    target_of: Vec<Vec<usize>>,
    keys: Vec<u64>,
    cursor: Vec<usize>,
}

const NONE: u32 = u32::MAX;

impl<'a> Gathering<'a> {
    /// For each group's ranks `wanted` (ascending, 0-based, each below the group's count).
    ///
    /// # Panics
    /// If a rank wanted is not below the group's count.
    fn new(histograms: &'a Histograms, wanted: &'a [Vec<usize>]) -> Self {
        let mut target_of_bucket = vec![NONE; histograms.counts.len()];
        let mut starts: Vec<usize> = Vec::new();
        let mut below_of: Vec<usize> = Vec::new();
        let mut target_of: Vec<Vec<usize>> = Vec::with_capacity(wanted.len());
        let mut total = 0;
        for (g, wanted) in wanted.iter().enumerate() {
            let mut targets = Vec::with_capacity(wanted.len());
            let mut below = 0;
            for (b, &count) in histograms.of(g).iter().enumerate() {
                let count = count as usize;
                while targets.len() < wanted.len() && wanted[targets.len()] < below + count {
                    let at = (g << histograms.bits) + b;
                    if target_of_bucket[at] == NONE {
                        target_of_bucket[at] = starts.len() as u32;
                        starts.push(total);
                        below_of.push(below);
                        total += count;
                    }
                    targets.push(target_of_bucket[at] as usize);
                }
                if targets.len() == wanted.len() {
                    break;
                }
                below += count;
            }
            assert_eq!(targets.len(), wanted.len(), "a histogram of other values");
            target_of.push(targets);
        }
        starts.push(total);
        let cursor = starts.clone();
        Gathering {
            histograms,
            wanted,
            target_of_bucket,
            starts,
            below_of,
            target_of,
            keys: vec![0; total],
            cursor,
        }
    }

    /// Gathers `v`, of group 0 and of group `g` if any, where it lies in a target bucket.
    /// (A branch: a store to a cursor for every value, even one that stays put, chains each
    /// value to the last through memory, which took twice the time of the few
    /// mispredictions.)
    #[inline(always)]
    fn put(&mut self, v: f64, g: Option<usize>) {
        let key = unsigned_key(v);
        let b = self.histograms.bucket(key);
        self.put_at(b, key);
        if let Some(g) = g {
            self.put_at((g << self.histograms.bits) + b, key);
        }
    }

    #[inline(always)]
    fn put_at(&mut self, at: usize, key: u64) {
        let t = self.target_of_bucket[at];
        if t != NONE {
            let t = t as usize;
            self.keys[self.cursor[t]] = key;
            self.cursor[t] += 1;
        }
    }

    /// Each group's order statistics, in its ranks' order, once every value was put.
    ///
    /// # Panics
    /// If the values put are not those the histograms counted.
    fn select(mut self) -> Vec<Vec<f64>> {
        let starts = &self.starts;
        assert_eq!(
            self.cursor[..self.cursor.len() - 1],
            starts[1..],
            "a histogram of other values"
        );
        // Within each target bucket, the ranks counted from its first value.
        let mut ranks_in: Vec<Vec<usize>> = vec![Vec::new(); starts.len() - 1];
        for (wanted, targets) in self.wanted.iter().zip(&self.target_of) {
            for (&r, &t) in wanted.iter().zip(targets) {
                ranks_in[t].push(r - self.below_of[t]);
            }
        }
        for (t, ranks) in ranks_in.iter_mut().enumerate() {
            ranks.sort_unstable();
            ranks.dedup();
            select_ranks_by(&mut self.keys[starts[t]..starts[t + 1]], 0, ranks, |k| *k);
        }
        self.wanted
            .iter()
            .zip(&self.target_of)
            .map(|(wanted, targets)| {
                wanted
                    .iter()
                    .zip(targets)
                    .map(|(&r, &t)| from_unsigned_key(self.keys[starts[t] + r - self.below_of[t]]))
                    .collect()
            })
            .collect()
    }
}

/// [`percentiles`] through a histogram of at most 2^`bits` buckets (1 to [`BUCKET_BITS`]),
/// the values left in place. Public for the tests, which ask for few buckets so that many
/// values share one.
///
/// The keys (the values' bits, ordered as `f64::total_cmp` orders the values) are counted
/// by their top bits: the sign, the exponent and the first bits of the mantissa, so that
/// each power of two is cut into equal ranges (16 of them with 16 bits). The counts tell
/// in which bucket each order statistic lies and how many values lie below that bucket;
/// one pass gathers the keys of those buckets only (a few percent of a simulation's
/// values), and the order statistics are selected among them. For a million values about
/// a third of the time of selection over all of them, whose passes move every value.
///
/// # Panics
/// If there are more than `u32::MAX` values.
pub fn percentiles_by_buckets<const K: usize>(
    values: &[f64],
    quantiles: [f64; K],
    bits: u32,
) -> [f64; K] {
    let n = values.len();
    if n == 0 {
        return [f64::NAN; K];
    }
    let mut histograms = Histograms::new(1, bits);
    values.iter().for_each(|v| histograms.add(0, *v));
    let wanted = [wanted_ranks(n, &quantiles)];
    let mut gathering = Gathering::new(&histograms, &wanted);
    values.iter().for_each(|v| gathering.put(*v, None));
    let found = gathering.select();
    interpolate(n, quantiles, &wanted[0], &found[0])
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

/// Linear between the order statistics x_floor(h) and x_floor(h)+1; on a rank exactly,
/// x_floor(h) itself (x + 0 (y - x) made an infinite order statistic NaN, and -0 +0).
fn between(x_lo: f64, x_hi: f64, fraction: f64) -> f64 {
    if fraction == 0.0 {
        x_lo
    } else {
        x_lo + fraction * (x_hi - x_lo)
    }
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
    select_ranks_by(values, offset, ranks, key_of);
}

/// [`select_ranks`] of any values, by `key`.
fn select_ranks_by<T, K: Ord>(
    values: &mut [T],
    offset: usize,
    ranks: &[usize],
    key: impl Fn(&T) -> K + Copy,
) {
    if ranks.is_empty() {
        return;
    }
    let middle = ranks.len() / 2;
    let at = ranks[middle] - offset;
    let (below, _, above) = values.select_nth_unstable_by_key(at, key);
    select_ranks_by(below, offset, &ranks[..middle], key);
    select_ranks_by(above, offset + at + 1, &ranks[middle + 1..], key);
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
