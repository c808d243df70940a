//! The measures of SPEC section 5, as pure functions of cash flows: NPV, IRR, MOIC, payback
//! year, and the root search behind the break-even scale and `solve` ([`root_nearest`]).
//!
//! Generic over the engine's number type ([`Num`]): money stays in that type. IRR is a
//! statistic, not an amount: its search runs in `f64`, the boundary being [`irr`]'s input
//! (cash flows converted once) and output (a rate).
//!
//! Every root is found in two layers: a scan outward from a start that brackets a sign
//! change ([`irr`]'s in u = ln(1 + r), [`root_nearest`]'s in the value searched), then one
//! bracket solver, shared by both and generic over [`Num`], that closes in on the root.
//! Beside the scan stand steps for what a sign change cannot show, none a solver of roots
//! between signs: a step in which f turns back towards zero is searched for a touch (a
//! double root: `root_in_turning_step`, and a golden-section search on |f|,
//! `look_into_dip`); where the scan lands on a stretch of exact zeros, `nearest_zero`
//! halves its way to the stretch's edge until it sees a sign change, which the bracket
//! solver then solves; and a root of an IRR's polynomial far out is polished by one Newton
//! step (`polish_large_root`).
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::engine::measures::{irr, moic, npv, payback_year};
//!
//! // Pay 100 in 2024, get 25 in 2025 and 125 in 2026 (a 25% coupon, then the principal).
//! let flows = [Decimal::from(-100), Decimal::from(25), Decimal::from(125)];
//! // At 25% a year the factors are 1, 1/1.25 = 0.8 and 0.8^2 = 0.64: -100 + 20 + 80 = 0.
//! let factors = [Decimal::ONE, Decimal::new(8, 1), Decimal::new(64, 2)];
//! assert_eq!(npv(&flows, &factors, Decimal::ZERO), Some(Decimal::ZERO));
//! // A terminal value is discounted from the last year: 50 x 0.64 = 32.
//! assert_eq!(npv(&flows, &factors, Decimal::from(50)), Some(Decimal::from(32)));
//! // So the rate at which the flows are worth 0 is 25%.
//! assert!((irr(&flows).unwrap() - 0.25).abs() < 1e-12);
//! // (25 + 125) / 100 = 1.5 times the money paid in; no multiple without money paid in.
//! let (inflows, paid_in) = (Decimal::from(150), Decimal::from(100));
//! assert_eq!(moic(inflows, Decimal::ZERO, paid_in), Some(Decimal::new(15, 1)));
//! assert_eq!(moic(inflows, Decimal::ZERO, Decimal::ZERO), None);
//! // Cumulative cash -100, -75, +50: the money is back in 2026.
//! assert_eq!(payback_year(2024, &flows), Some(2026));
//! ```

use rust_decimal::prelude::*;

use super::number::Num;
use crate::model::Year;

/// Net present value: sum of flow * discount factor, plus the terminal value discounted
/// from the last year. None where it cannot be held.
pub fn npv<N: Num>(flows: &[N], discount: &[N], terminal: N) -> Option<N> {
    let mut total = N::ZERO;
    for (cf, df) in flows.iter().zip(discount) {
        total = total.checked_add(cf.checked_mul(*df)?)?;
    }
    let last = *discount.last()?;
    total.checked_add(terminal.checked_mul(last)?)
}

/// Multiple on invested capital: (inflows + terminal) / contributions; None when nothing was
/// paid in.
pub fn moic<N: Num>(inflows: N, terminal: N, contributions: N) -> Option<N> {
    if contributions.is_zero() {
        return None;
    }
    inflows.checked_add(terminal)?.checked_div(contributions)
}

/// The first year whose cumulative cash flow is >= 0 after having been < 0 in an earlier year.
pub fn payback_year<N: Num>(first_year: Year, flows: &[N]) -> Option<Year> {
    let mut cumulative = N::ZERO;
    let mut was_negative = false;
    for (i, cf) in flows.iter().enumerate() {
        cumulative += *cf;
        if cumulative < N::ZERO {
            was_negative = true;
        } else if was_negative {
            return Some(first_year + i as Year);
        }
    }
    None
}

/// The internal rate of return of yearly `flows` (index 0 is the first year, discounted by
/// (1 + r)^-index): the root of NPV(r) nearest zero, searched for r in
/// (-1 + e^-700, e^700 - 1], as far as the flows allow a root (see `root_bounds`).
/// None where NPV(r) has no root there, and for flows that are all zero.
///
/// NPV is written in u = ln(1 + r), stepped outward from u = 0 on both sides until it
/// changes sign; each bracket is then solved to the limit of f64 by the bracket solver that
/// [`root_nearest`] uses too (Illinois regula falsi). Where NPV's slope changes sign inside
/// a step, the turn is looked into first: a root where NPV only touches zero (-1, 2.2,
/// -1.21 at 10%, a double root), or two roots closer together than a step.
/// Both sides are searched and the smaller |r| wins, so the answer does not depend on a
/// starting guess.
///
/// ```
/// use rust_decimal::Decimal;
/// // Pay 100, get 121 two years later: 10% a year.
/// let flows = [Decimal::from(-100), Decimal::ZERO, Decimal::from(121)];
/// let r = stakeshift_core::engine::measures::irr(&flows).unwrap();
/// assert!((r - 0.10).abs() < 1e-12);
/// ```
pub fn irr<N: Num>(flows: &[N]) -> Option<f64> {
    // Leading zeros only multiply NPV by a positive power of 1/(1 + r), trailing ones add
    // nothing: dropping both keeps every root and keeps the sums below from underflowing to
    // a false zero far from r = 0.
    let first = flows.iter().position(|x| !x.is_zero())?;
    let last = flows.iter().rposition(|x| !x.is_zero())?;
    let flows = &flows[first..=last];
    // A root at r = 0, crossed or touched: none is nearer zero. (Decided on the flows
    // themselves: their sum in doubles can miss an exact 0, or make one.)
    let sum = flows.iter().try_fold(N::ZERO, |sum, f| sum.checked_add(*f));
    if sum.is_some_and(|s| s.is_zero()) {
        return Some(0.0);
    }
    // Each flow as a pair of doubles (about 30 digits), for the sums where f64 cannot
    // resolve the sign (near a turn, and closing in on a root); the scan's steps use the
    // nearest doubles.
    let pairs: Vec<Pair> = flows.iter().map(|f| f.to_f64_pair()).collect();
    let c: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let c = &c[..];
    // d/du sum c_k e^(-k u) = sum -k c_k e^(-k u): the same sum with these terms, scaled
    // by the same positive factor, so its sign is the slope's.
    let slope_pairs: Vec<Pair> = pairs
        .iter()
        .enumerate()
        .map(|(k, &(hi, lo))| {
            let (p, e) = two_product(-(k as f64), hi);
            (p, e - (k as f64) * lo)
        })
        .collect();
    let slope: Vec<f64> = slope_pairs.iter().map(|p| p.0).collect();
    let sums = Sums {
        c,
        slope: &slope,
        c_pairs: &pairs,
        slope_pairs: &slope_pairs,
        // How closely the flows are known, as a share of their size: 28-digit decimals
        // (with what their own rounding left, see `touch` in `root_in_turning_step`), or
        // doubles, each rounded by up to 1.1e-16 (Horner's bound on what that moves the
        // sum by, with room).
        known_to: if N::EXACT {
            1e-24
        } else {
            8.0 * c.len() as f64 * f64::EPSILON
        },
        exact: N::EXACT,
    };
    let f0 = npv_precise(&pairs, 0.0);
    let s0 = npv_precise(&slope_pairs, 0.0);
    let (above, below) = root_bounds(c);
    let mut up = Scan::new(1.0, above, f0, s0);
    let mut down = Scan::new(-1.0, below, f0, s0);
    // Step both sides in turn, each no further than the nearest root found so far, so the
    // search ends soon after the root nearest zero.
    let mut best: Option<f64> = None;
    while !(up.done && down.done) {
        for scan in [&mut up, &mut down] {
            if let Some(u) = scan.step(&sums, best.map(f64::abs)) {
                let r = u.exp_m1();
                if best.is_none_or(|b| r.abs() < b.abs()) {
                    best = Some(r);
                }
            }
        }
    }
    best.map(|r| polish_large_root(&pairs, r))
}

/// Rates from here up are refined by [`polish_large_root`].
const LARGE_RATE: f64 = 1e6;

/// A root r of at least [`LARGE_RATE`], found in u = ln(1 + r), refined where x = 1/(1 + r)
/// is the unknown: e^u - 1 turns u's last bit into a thirtieth of a million of r, printed
/// as noise in the 8th decimal (helper-117: -1, 123456789.123 gave 123456788.12299980 for
/// .123); one Newton step on sum c_k x^k (the sum in pairs of doubles, well conditioned
/// at a simple root) brings r to about its last bit. Taken only as a refinement: within a
/// billionth of r, and where the sum is no further from zero.
fn polish_large_root(pairs: &[Pair], r: f64) -> f64 {
    if !(r.is_finite() && r >= LARGE_RATE) {
        return r;
    }
    let x0 = 1.0 / (1.0 + r);
    let derivative = |x: f64| {
        pairs
            .iter()
            .enumerate()
            .skip(1)
            .rev()
            .fold(0.0, |d, (k, &(c, _))| d * x + k as f64 * c)
    };
    let (f0, d0) = (poly_precise(pairs, x0), derivative(x0));
    if !(f0.is_finite() && d0.is_finite()) || d0 == 0.0 {
        return r;
    }
    let x1 = x0 - f0 / d0;
    if !(x1 > 0.0 && x1.is_finite()) {
        return r;
    }
    let r1 = 1.0 / x1 - 1.0;
    let near = (r1 - r).abs() <= 1e-9 * r;
    if near && poly_precise(pairs, x1).abs() <= f0.abs() {
        r1
    } else {
        r
    }
}

/// sum c_k x^k, the flows as pairs of doubles, by Horner's rule in pairs (as
/// [`npv_precise`], at x itself).
fn poly_precise(c: &[Pair], x: f64) -> f64 {
    let (hi, lo) = c
        .iter()
        .rev()
        .fold((0.0, 0.0), |(hi, lo): Pair, &(c_hi, c_lo)| {
            let (p, p_err) = two_product(hi, x);
            let (s, s_err) = two_sum(p, c_hi);
            let low = lo * x + p_err + s_err + c_lo;
            let top = s + low;
            (top, low - (top - s))
        });
    hi + lo
}

/// The grid step in u = ln(1 + r) near zero.
const FIRST_STEP: f64 = 0.002;

/// NPV's terms and its slope's, in u = ln(1 + r): as doubles for the scan, and as pairs
/// of doubles for [`npv_precise`].
struct Sums<'a> {
    c: &'a [f64],
    slope: &'a [f64],
    c_pairs: &'a [Pair],
    slope_pairs: &'a [Pair],
    /// How closely the flows are known, relative to the size of NPV's terms: a turn of NPV
    /// nearer zero than that touches it.
    known_to: f64,
    /// Whether the flows are decimals, each also known only to its 28th decimal place.
    exact: bool,
}

impl Sums<'_> {
    /// NPV and its slope at u, as [`npv_sign_safe`] computes each (the same operations, in
    /// one pass: the scan's cost is in these sums).
    fn at(&self, u: f64) -> (f64, f64) {
        let pairs = self.c.iter().zip(self.slope);
        if u >= 0.0 {
            let x = (-u).exp();
            pairs
                .rev()
                .fold((0.0, 0.0), |(f, s), (ck, sk)| (f * x + ck, s * x + sk))
        } else {
            let y = u.exp();
            pairs.fold((0.0, 0.0), |(f, s), (ck, sk)| (f * y + ck, s * y + sk))
        }
    }
}

/// A walk outward from r = 0 along one side, in u = ln(1 + r), looking for a root.
struct Scan {
    direction: f64,
    /// How far it goes, as |u| ([`root_bounds`]).
    limit: f64,
    /// |u| reached so far.
    at: f64,
    /// NPV and its slope there.
    prev_f: f64,
    prev_slope: f64,
    done: bool,
}

/// How far from u = 0 the roots of NPV(u) = sum c_k e^(-k u) can lie, upward and downward
/// (as distances, each at most [`U_LIMIT`]). In x = e^-u = 1/(1 + r), NPV is the
/// polynomial sum c_k x^k with c_0 and c_n not 0. Where every term but c_0's is below
/// |c_0| / n in size, they cannot cancel c_0: so no root has x below
/// min_k (|c_0| / (n |c_k|))^(1/k), that is u above max_k (ln(n |c_k|) - ln|c_0|) / k;
/// likewise, with c_n leading, no root has u below -max_k (ln(n |c_k|) - ln|c_n|) / (n - k).
/// The scan stops at these bounds (with a margin) instead of at fixed limits: it finds a
/// root however far out (an IRR of 99,999 for -1 then 100,000; r = -1 + 1e-14), in fine
/// steps throughout, and ends early for flows whose roots are all near zero.
fn root_bounds(c: &[f64]) -> (f64, f64) {
    let n = c.len() - 1;
    if n == 0 {
        return (0.0, 0.0);
    }
    let ln_n = (n as f64).ln();
    let (ln_first, ln_last) = (c[0].abs().ln(), c[n].abs().ln());
    let mut above = 0.0f64;
    let mut below = 0.0f64;
    for (k, ck) in c.iter().enumerate().filter(|(_, ck)| **ck != 0.0) {
        let ln_ck = ck.abs().ln();
        if k > 0 {
            above = above.max((ln_n + ln_ck - ln_first) / k as f64);
        }
        if k < n {
            below = below.max((ln_n + ln_ck - ln_last) / (n - k) as f64);
        }
    }
    let margin = |u: f64| (u + 0.01 + 1e-9 * u.abs()).clamp(0.0, U_LIMIT);
    (margin(above), margin(below))
}

/// The farthest the scan goes from u = 0 either way: r = e^700 - 1 (about 1e304) upward,
/// and r = -1 + e^-700 downward, all an f64 holds.
const U_LIMIT: f64 = 700.0;

impl Scan {
    /// The fine step beyond |u| = 1.
    const STEP: f64 = 0.01;

    /// A scan in `direction` (1 up, -1 down) to |u| = `limit`, from NPV `f_at` and slope
    /// `slope_at` at u = 0.
    fn new(direction: f64, limit: f64, f_at: f64, slope_at: f64) -> Self {
        Scan {
            direction,
            limit,
            at: 0.0,
            prev_f: f_at,
            prev_slope: slope_at,
            done: false,
        }
    }

    /// One step; the u of the step's root nearest zero, if it has one. Stops at the end of
    /// the range, at a root, or once |r| passes `bound`.
    fn step(&mut self, sums: &Sums, bound: Option<f64>) -> Option<f64> {
        if self.done {
            return None;
        }
        let prev_u = self.direction * self.at;
        if self.at >= self.limit || bound.is_some_and(|b| prev_u.exp_m1().abs() >= b) {
            self.done = true;
            return None;
        }
        // Fine steps near zero, where rates live; 0.01 in u beyond.
        let step = if self.at < 1.0 {
            FIRST_STEP
        } else {
            Self::STEP
        };
        let to = (self.at + step).min(self.limit);
        self.at = to;
        let u = self.direction * to;
        let (f, slope) = sums.at(u);
        let root = if f == 0.0 {
            Some(u)
        } else if self.prev_slope != 0.0 && slope.signum() != self.prev_slope.signum() {
            // NPV turns inside the step: a root where it only touches zero, or two
            // crossings, may hide between two points of one sign.
            root_in_turning_step(sums, (prev_u, self.prev_f, self.prev_slope), (u, f, slope))
        } else if f.signum() != self.prev_f.signum() {
            Some(root_between(sums.c_pairs, (prev_u, self.prev_f), (u, f)))
        } else {
            None
        };
        self.prev_f = f;
        self.prev_slope = slope;
        if root.is_some() {
            self.done = true;
        }
        root
    }
}

/// The root nearest `a` in a step from `a` (NPV `fa`, slope `slope_a`) to `b` (NPV `fb`,
/// slope `slope_b`) in which NPV's slope changes sign. The turn is where it does (solved
/// for, as a root is). NPV past zero there, by more than the flows are known to (see
/// `touch` below), puts a root between `a` and the turn; within that of zero, the turn is
/// a root (a double one); else a root lies between the turn and `b` where NPV changes
/// sign there.
fn root_in_turning_step(
    sums: &Sums,
    (a, fa, slope_a): (f64, f64, f64),
    (b, fb, slope_b): (f64, f64, f64),
) -> Option<f64> {
    let c = sums.c_pairs;
    let turn = root_between(sums.slope_pairs, (a, slope_a), (b, slope_b));
    let f_turn = npv_precise(c, turn);
    let size = terms_size(sums.c, turn);
    // NPV at the turn as near zero as the flows are known touches zero: for decimal flows
    // within 1e-24 of its terms (28 significant digits, and what their own rounding left)
    // and 1e-27 of each flow's place in the sum (a decimal is held to its 28th decimal
    // place, an absolute 1e-28: flows of 9.3e-6 x (-1, 2.2, -1.21) lost their double root
    // at 10% without it; helper-89); far closer than the 1e-12 this was until helper-86
    // (-1, 2.2, -1.210000000001 "touched" at 10%, where no rate solves them; two roots
    // 1e-7 apart gave the turn between them).
    let places = if sums.exact {
        terms_size(&vec![1e-27; sums.c.len()], turn)
    } else {
        0.0
    };
    let touch = sums.known_to * size + places;
    if f_turn.signum() != fa.signum() && f_turn.abs() > touch {
        Some(root_between(c, (a, fa), (turn, f_turn)))
    } else if f_turn.abs() <= touch {
        Some(turn)
    } else if fb.signum() != f_turn.signum() {
        Some(root_between(c, (turn, f_turn), (b, fb)))
    } else {
        None
    }
}

/// The size of NPV's terms at u, scaled as [`npv_sign_safe`] scales them: the sum of
/// their magnitudes.
fn terms_size(c: &[f64], u: f64) -> f64 {
    let magnitudes: Vec<f64> = c.iter().map(|ck| ck.abs()).collect();
    npv_sign_safe(&magnitudes, u)
}

/// The root in u of the sum with terms `c` (NPV or its slope, as [`npv_sign_safe`] scales
/// it) between two points of opposite signs, in either order (a downward scan meets them
/// from above): [`solve_bracket`] to the limit of f64, on the sum in pairs of doubles.
fn root_between(c: &[Pair], (a, fa): (f64, f64), (b, fb): (f64, f64)) -> f64 {
    let (low, high) = if a < b {
        ((a, fa), (b, fb))
    } else {
        ((b, fb), (a, fa))
    };
    solve_bracket(&mut |u| Some(npv_precise(c, u)), low, high, 0.0, 0.0)
}

/// A number as the unevaluated sum of two doubles, `hi + lo` ([`Num::to_f64_pair`]).
type Pair = (f64, f64);

/// `a * b` as a pair: the rounded product and its rounding error, exactly (by a fused
/// multiply-add).
fn two_product(a: f64, b: f64) -> Pair {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// `a + b` as a pair: the rounded sum and its rounding error, exactly (Knuth).
fn two_sum(a: f64, b: f64) -> Pair {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// [`npv_sign_safe`] with terms given as pairs and Horner's steps carried in pairs
/// (compensated: each product's and sum's rounding error kept), so that the sum is as good
/// as about 30 digits of arithmetic make it: right in sign where the terms cancel to
/// 1e-16 of their size and beyond, as beside two close roots or a double one.
fn npv_precise(c: &[Pair], u: f64) -> f64 {
    let step = |(hi, lo): Pair, x: f64, &(c_hi, c_lo): &Pair| -> Pair {
        let (p, p_err) = two_product(hi, x);
        let (s, s_err) = two_sum(p, c_hi);
        let low = lo * x + p_err + s_err + c_lo;
        let top = s + low;
        (top, low - (top - s))
    };
    let (hi, lo) = if u >= 0.0 {
        let x = (-u).exp();
        c.iter().rev().fold((0.0, 0.0), |acc, ck| step(acc, x, ck))
    } else {
        let y = u.exp();
        c.iter().fold((0.0, 0.0), |acc, ck| step(acc, y, ck))
    };
    hi + lo
}

/// NPV at rate e^u - 1, scaled by a positive factor so that it cannot overflow: for u < 0
/// the terms grow with the index, so the sum is divided by its largest factor.
fn npv_sign_safe(c: &[f64], u: f64) -> f64 {
    if u >= 0.0 {
        // sum c_k x^k with x = e^-u <= 1, by Horner from the last term.
        let x = (-u).exp();
        c.iter().rev().fold(0.0, |acc, ck| acc * x + ck)
    } else {
        // divide by e^(-u (n-1)): sum c_k y^(n-1-k) with y = e^u < 1.
        let y = u.exp();
        c.iter().fold(0.0, |acc, ck| acc * y + ck)
    }
}

/// How a root search steps outward from its start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Steps {
    /// For a factor or an amount (start >= 0, lower end >= 0): up by doubling, down halfway
    /// to the lower end each step. From a start of 0 the first point up is
    /// [`Search::first_above_zero`], and the walk doubles from there.
    Geometric,
    /// For a rate, a fraction or a shift: steps of this size, doubling each time, both
    /// ways.
    Additive(Decimal),
}

/// Where [`root_nearest`] looks: from `start` outward, inside the domain from `lower`
/// (excluded when `lower_open`) to `upper` (included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Search {
    pub start: Decimal,
    pub lower: Decimal,
    pub lower_open: bool,
    pub upper: Decimal,
    pub steps: Steps,
}

impl Search {
    /// The break-even scale's search: from 1 in (lower, 1000], geometric.
    pub fn scale(lower: Decimal) -> Search {
        Search {
            start: Decimal::ONE,
            lower,
            lower_open: true,
            upper: Decimal::from(1000),
            steps: Steps::Geometric,
        }
    }

    /// How far `x` is from the start: |x - start| (SPEC 11, "the root nearest the model's
    /// current value"; a geometric search took ratios, so that of the break-even scales
    /// 0.45 and 1.89 it gave 1.89, helper-76).
    fn distance(&self, x: Decimal) -> Decimal {
        x.checked_sub(self.start).map_or(Decimal::MAX, |d| d.abs())
    }

    /// The width on which the range's values lie: the range's own, but for an additive
    /// search of a range wider than its steps' scale (a rate to 1e18, stepped on the scale
    /// of -1..10), that scale, a thousand first steps. Distances "relative to the range"
    /// are taken on it, so that a point "just inside" an end stays beside it.
    pub fn value_scale(&self) -> Decimal {
        let width = self.upper - self.lower;
        match self.steps {
            Steps::Additive(step) => width.min(step.saturating_mul(Decimal::from(1000))),
            Steps::Geometric => width,
        }
    }

    /// Whether `x` is the search's start or an end of its range that belongs to it: where
    /// `solve` has [`resolved`] take a difference within the rounding noise as 0.
    pub fn at_start_or_end(&self, x: Decimal) -> bool {
        x == self.start || x == self.upper || (!self.lower_open && x == self.lower)
    }

    fn inside(&self, x: Decimal) -> bool {
        x <= self.upper
            && if self.lower_open {
                x > self.lower
            } else {
                x >= self.lower
            }
    }

    /// How close to the lower end the downward walk gets, and how far above an open lower
    /// end of a geometric search the first point lies.
    fn tiny(&self) -> Decimal {
        match self.steps {
            Steps::Geometric => Decimal::new(1, 12),
            Steps::Additive(step) => (step * Decimal::new(1, 12)).max(Decimal::new(1, 26)),
        }
    }

    /// How near a bracket's root is close enough besides 1e-15 of it: for additive steps a
    /// fraction of the step, since a rate or a shift can be 0 (a geometric search's values
    /// are above 0).
    fn absolute_tolerance(&self) -> Decimal {
        match self.steps {
            Steps::Geometric => Decimal::ZERO,
            Steps::Additive(step) => step * Decimal::new(1, 13),
        }
    }

    /// A geometric walk's first point up from a start of 0 (where doubling stays at 0):
    /// 1e-15 of the upper end (1e-6 of an amount searched up to 1e9), at least the search's
    /// resolution (0 where the upper end is 0). An amount of 0 was searched in additive steps
    /// of a thousandth of the range, looked at in parts of 250,000 for a range up to 1e9, so
    /// that an advantage that falls from 2 by R / 2 up to R = 10 and then rises by R / 2
    /// (roots 4 and 16) had none (helper-147). Doubling from here reaches the upper end in
    /// 50 steps, each looked at in four parts (a quarter of the way at every scale), and a
    /// root below this point lies between it and 0, which the walk brackets first.
    pub fn first_above_zero(&self) -> Decimal {
        (self.upper * Decimal::new(1, 15))
            .max(self.tiny())
            .min(self.upper)
    }

    /// The first additive step (0 for a geometric search, which doubles and halves instead).
    fn first_step(&self) -> Decimal {
        match self.steps {
            Steps::Additive(step) => step,
            Steps::Geometric => Decimal::ZERO,
        }
    }
}

/// What 28-digit decimals can leave of rounding in a sum of terms: 1e-26 of their size.
pub const ROUNDING: Decimal = Decimal::from_parts(1, 0, 0, false, 26);

/// What a stake's own rounding can leave in an amount it multiplies, for each unit of that
/// amount (a valuation, a dividend's distributable profit): a stake is held to its 28th
/// decimal place, 5e-29 at most for each round and once more for the stake itself; taken
/// as 1e-28 each (the least a decimal holds).
pub fn stake_rounding(rounds: usize) -> Decimal {
    Decimal::from_parts(1, 0, 0, false, 28).saturating_mul(Decimal::from(rounds as u64 + 1))
}

/// A value of the function whose root is sought, as [`resolved`] tells it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Point {
    /// Resolved: its sign is known.
    Value(Decimal),
    /// Within what rounding can have left in it: its sign is not known; the value as
    /// computed, which a bracket's inside is solved on (see [`root_nearest_of_points`]).
    Unresolved(Decimal),
    /// Outside the function's domain (the model cannot run there).
    Outside,
}

impl Point {
    /// The value where it is resolved.
    fn known(self) -> Option<Decimal> {
        match self {
            Point::Value(v) => Some(v),
            Point::Unresolved(_) | Point::Outside => None,
        }
    }

    /// The value as computed, resolved or not.
    fn computed(self) -> Option<Decimal> {
        match self {
            Point::Value(v) | Point::Unresolved(v) => Some(v),
            Point::Outside => None,
        }
    }
}

/// A root search's objective at one point: `value`, a difference of amounts that rounding
/// can have moved by up to `noise` (the sum, over the terms it was made from, of each
/// term's [`ROUNDING`] and of what a stake's rounding reaches in it, [`stake_rounding`]),
/// as far as 28-digit decimals and the places printed resolve it.
/// - At the search's `start`, a difference within `noise` that prints as 0 (below
///   0.0000005, SPEC 5's tie) is 0: the start is the answer. Two NPVs equal in exact
///   arithmetic differ in their last digits (a stake of 1 / (V k) is rounded at the 28th
///   decimal place and multiplied back by V k), and a search that followed the sign of that
///   rounding found "roots" wherever it changed: a break-even scale of 0.527 where the NPVs
///   are equal at every scale. A difference beyond the noise is no root, though it print as
///   0: amounts scaled by 1e-8 made the start "the root" where the advantage was 1.45e-7
///   (helper-94), so that the answer depended on the unit. `solve` asks the same at an end
///   of its range ([`Search::at_start_or_end`]): there is no point beyond it to show a sign
///   change, so a tie there was missed (helper-209: `solve equity.stake` in 0..1, the
///   advantage exactly 0 at a stake of 0 and held as 1e-25, gave none). The break-even
///   scale does not: see `scale_root`.
/// - Elsewhere, where that rounding passes half a printed unit (terms from 5e19, or a tiny
///   stake times a large valuation and discount factor), a difference within it is
///   unresolved: None, as a point where the model cannot run. case_027's `bull` at a
///   discount rate of -0.99999994 has NPVs of -8.5e21 and an advantage of about -6e-8 that
///   came out 0, a "root" with no sign change around it. The noise is carried as such, not
///   as a size: a size of the valuation times the discount factor passed what a decimal
///   holds and, saturated, allowed too little (helper-92).
pub fn resolved(value: Decimal, noise: Decimal, at_start_or_end: bool) -> Option<Decimal> {
    resolved_point(value, noise, at_start_or_end).known()
}

/// [`resolved`], an unresolved value kept as [`Point::Unresolved`].
pub fn resolved_point(value: Decimal, noise: Decimal, at_start_or_end: bool) -> Point {
    const HALF_UNIT: Decimal = Decimal::from_parts(5, 0, 0, false, 7); // 0.0000005
    if at_start_or_end && value.abs() <= noise.min(HALF_UNIT) {
        return Point::Value(Decimal::ZERO);
    }
    if noise > HALF_UNIT && value.abs() <= noise {
        return Point::Unresolved(value);
    }
    Point::Value(value)
}

/// The root of a continuous `f` nearest `search.start` inside the search's domain: the one
/// public root finder, behind both the break-even scale and `solve`.
///
/// Points are taken outward from the start on both sides in turn (see [`Steps`]); `f`
/// returns None outside its domain, which ends the search on that side. The first sign
/// change on a side brackets that side's nearest root, solved by `solve_bracket` to about
/// 1e-15 relative. Once one side has a root, the other walks on while its points are nearer
/// the start than that root (the sides' steps differ: a geometric search doubles up but
/// halves down), and the nearer of the two is the answer (the upper where they are as
/// near). None where no sign change is found, and where `f` is never defined.
pub fn root_nearest(
    search: &Search,
    f: &mut dyn FnMut(Decimal) -> Option<Decimal>,
) -> Option<Decimal> {
    root_nearest_of_points(search, &mut |x| f(x).map_or(Point::Outside, Point::Value))
}

/// [`root_nearest`] of an `f` that tells a value rounding leaves unresolved apart
/// ([`Point::Unresolved`]): taken as no value while the search walks (so that no crossing is
/// read into rounding), and by the value computed inside a bracket whose ends are resolved
/// and of opposite signs, where the root lies (helper-305: `solve` narrowed such a bracket
/// from below past every unresolved point, and gave the band's upper edge, 519, where the
/// advantage of -0.01 (v + 1) meets -5 at 499).
pub fn root_nearest_of_points(
    search: &Search,
    f: &mut dyn FnMut(Decimal) -> Point,
) -> Option<Decimal> {
    if let Steps::Additive(step) = search.steps
        && step <= Decimal::ZERO
    {
        return None;
    }
    let (start, f_start) = first_defined(search, f)?;
    if f_start.is_zero() {
        return Some(start);
    }
    let mut sides = [
        Side::new(true, start, f_start, search),
        Side::new(false, start, f_start, search),
    ];
    let mut roots: [Option<Decimal>; 2] = [None, None];
    let mut start_budget = Some(DipBudget::FULL);
    while roots == [None, None] && sides.iter().any(|s| s.open) {
        // Up first: of two roots as near, the upper wins.
        for (side, root) in sides.iter_mut().zip(&mut roots) {
            *root = side.walk(search, f);
        }
        // The start itself nearer zero than the first points either side: a dip there is
        // looked into once (helper-89: roots 1.01 and 1.02 of the break-even scale, the
        // advantage at 1 of one sign with both, were given none), whatever the first step
        // found further out: a root in the dip lies between the first points, nearer than
        // any the walk finds past them on its side (helper-90: 1.6 was given for 1.01).
        if let Some(mut budget) = start_budget
            && let (Some(up), Some(down)) = (sides[0].first, sides[1].first)
        {
            if turns(down.1, f_start, up.1) {
                let three = [down, (start, f_start), up];
                if let Some(root) = look_into_dip(search, f, start, three, &mut budget) {
                    roots[usize::from(root < start)] = Some(root);
                }
            }
            start_budget = None;
        }
    }
    // Of two roots as near (to the precision they are solved to, 1e-15 of them, with room),
    // the upper: each solved only so far, the lower came out a hair nearer where they lie
    // symmetrically about the start (helper-79).
    let nearest = |roots: &[Option<Decimal>; 2]| match *roots {
        [Some(up), Some(down)] => {
            let slack =
                up.abs().max(down.abs()) * Decimal::new(1, 12) + search.absolute_tolerance();
            Some(if search.distance(down) + slack < search.distance(up) {
                down
            } else {
                up
            })
        }
        [one, None] | [None, one] => one,
    };
    let found = nearest(&roots)?;
    // The side without a root walks on while its last point is nearer than the root found;
    // a root it then finds may still lie beyond, so the nearer of the two is taken.
    for (side, root) in sides.iter_mut().zip(&mut roots) {
        while root.is_none() && side.open && search.distance(side.x) < search.distance(found) {
            *root = side.walk(search, f);
        }
    }
    nearest(&roots)
}

/// Where [`root_nearest`] starts: the start, or the first point above it inside the domain,
/// stepped up until `f` is defined there; with f's value. None where it never is in range.
fn first_defined(
    search: &Search,
    f: &mut dyn FnMut(Decimal) -> Point,
) -> Option<(Decimal, Decimal)> {
    let two = Decimal::TWO;
    let mut x = search.start;
    if !search.inside(x) {
        x = if x > search.upper {
            search.upper
        } else {
            match search.steps {
                Steps::Geometric if search.lower > Decimal::ZERO => search.lower * two,
                Steps::Geometric => search.lower + search.tiny(),
                Steps::Additive(step) if search.lower_open => search.lower + step,
                Steps::Additive(_) => search.lower,
            }
        };
    }
    let mut step = search.first_step();
    loop {
        if x > search.upper || (search.steps == Steps::Geometric && x < Decimal::ZERO) {
            return None;
        }
        if let Some(v) = f(x).known() {
            return Some((x, v));
        }
        match search.steps {
            // (Only a closed lower end of 0 is a start of 0: see `Steps::Geometric`.)
            Steps::Geometric if x.is_zero() => {
                // (A range of 0 alone has no point above 0: f undefined at 0 looped there,
                // helper-150.)
                let above = search.first_above_zero();
                if above <= x {
                    return None;
                }
                x = above;
            }
            Steps::Geometric => x *= two,
            Steps::Additive(_) => {
                x += step;
                step *= two;
            }
        }
    }
}

/// The parts each of the first [`FINE_STEPS`] doubling steps of [`root_nearest`]'s walk is
/// looked at in: two roots of the break-even scale between 2 and 4 (2.09 and 3.79, a round
/// with participation and dividends) were not seen when only the step's ends were.
const SUBSTEPS: u32 = 4;

/// The steps looked at in parts: ten doublings reach a factor of 1024 from the start (a
/// geometric search's whole range up, 1000) and 1023 first steps from it (an additive
/// search's whole default range); beyond, towards a lower end of 0 (a scale of 1e-12), each
/// step is looked at at its end only, as the search costs an objective's run per point.
const FINE_STEPS: u32 = 10;

/// The most runs of the objective a side of the walk spends looking into dips of |f|
/// between points of one sign ([`look_into_dip`]), and the start's dip as much again:
/// golden-section search narrows a dip by 0.618 a run, to a millionth of it in 30, and a
/// wavy objective dips at every step (a review counted 471 runs for 111 without a bound).
const DIP_RUNS: u32 = 60;

/// The most runs spent on shallow turns (|f| lower than beside it, not by half), kept
/// apart from [`DIP_RUNS`] so that a turn that comes to nothing leaves the deep dips their
/// runs (helper-96: a near-touch at r = 0.088 took 34 runs, and the roots 2.5 and 2.500001
/// beyond it, found before, were lost); enough to narrow a turn from a third of the start
/// to where a touch shows (golden-section search gains a factor of 1e10 in 48 runs).
const SHALLOW_RUNS: u32 = 120;

/// The runs of f one part of the walk may still spend looking into turns of |f|.
#[derive(Debug, Clone, Copy)]
struct DipBudget {
    /// For dips under half their neighbours ([`dips`]).
    deep: u32,
    /// For shallower turns ([`turns`]).
    shallow: u32,
}

impl DipBudget {
    const FULL: DipBudget = DipBudget {
        deep: DIP_RUNS,
        shallow: SHALLOW_RUNS,
    };
}

/// How near zero, against the values beside a turn, |f| must come for the turn to touch
/// zero: a quadratic touch narrowed to 1e-10 of its first width comes to 1e-20 of them; a
/// turn that stops short of zero by 1e-18 of them is not a root (helper-96: 1e-16 took one
/// for a double root).
const TOUCH: Decimal = Decimal::from_parts(1, 0, 0, false, 20);

/// Below this a value is the last digits of a decimal of size 1, whatever the turn's size
/// (a turn narrowed in a model restated x 1e-3 ended at -6e-28, -1e-28, -6e-28; helper-96).
const ROUNDED_TO_ZERO: Decimal = Decimal::from_parts(1, 0, 0, false, 26);

/// Whether a turn whose values beside it reach `outer` touches zero at a value of `v`.
fn touches(v: Decimal, outer: Decimal) -> bool {
    let v = v.abs();
    v <= ROUNDED_TO_ZERO || outer.checked_mul(TOUCH).is_some_and(|t| v <= t)
}

/// Looks for where f turns between `low` and `high`, with `mid` between them nearer zero
/// than either (all three of one sign, `low < mid < high`), by golden-section search on
/// |f|; where f crosses zero there, gives the crossing nearest `start`, solved (between the
/// crossing point and the point of f's first sign next to it towards `start`). Spends at
/// most `budget`'s runs of f, taking them from it; None where f keeps its sign, is not
/// defined, or the budget runs out.
fn look_into_dip(
    search: &Search,
    f: &mut dyn FnMut(Decimal) -> Point,
    start: Decimal,
    [mut low, mut mid, mut high]: [(Decimal, Decimal); 3],
    budget: &mut DipBudget,
) -> Option<Decimal> {
    let negative = mid.1.is_sign_negative();
    let ratio = Decimal::new(381_966_011_250_105, 15); // (3 - sqrt 5) / 2
    // How near zero f came at the dip's first points: a turn that reaches zero to within a
    // TOUCH of it is a double root.
    let outer = low.1.abs().max(high.1.abs());
    let strong = dips(low.1, mid.1, high.1);
    let budget = if strong {
        &mut budget.deep
    } else {
        &mut budget.shallow
    };
    // (A shallow turn is followed to the end: the parabola through its three points was
    // tried as a sign that f levels off short of zero, and misread a touch of -(1.1 x - 1)²
    // in r, far from a parabola, as one; a turn that comes to nothing spends only the
    // shallow turns' own runs.)
    while *budget > 0 {
        if touches(mid.1, outer) {
            return Some(mid.0);
        }
        // Probe the larger of the two parts, at the golden ratio from `mid`.
        let (up, down) = (high.0.checked_sub(mid.0)?, mid.0.checked_sub(low.0)?);
        let (probe, above) = if up > down {
            (mid.0.checked_add(up.checked_mul(ratio)?)?, true)
        } else {
            (mid.0.checked_sub(down.checked_mul(ratio)?)?, false)
        };
        if probe == mid.0 || probe == low.0 || probe == high.0 {
            return None;
        }
        *budget -= 1;
        let fp = f(probe).known()?;
        if fp.is_zero() {
            return Some(probe);
        }
        if fp.is_sign_negative() != negative {
            // Crossed: the root nearest `start` lies between `probe` and the point of the
            // first sign next to it on `start`'s side (f keeps one sign from `start` to
            // there: the walk found no crossing before it).
            let towards_start = |x: Decimal| {
                if start <= probe {
                    x >= start.min(probe) && x < probe
                } else {
                    x > probe && x <= start
                }
            };
            // (Checked: two ends of a search over the whole range of a decimal are further
            // apart than a decimal holds.)
            let distance =
                |p: &(Decimal, Decimal)| p.0.checked_sub(probe).map_or(Decimal::MAX, |d| d.abs());
            let side = [low, mid, high]
                .into_iter()
                .filter(|p| towards_start(p.0))
                .min_by_key(distance)
                .or_else(|| [low, mid, high].into_iter().min_by_key(distance))?;
            let (a, b) = if side.0 < probe {
                (side, (probe, fp))
            } else {
                ((probe, fp), side)
            };
            let absolute = search.absolute_tolerance();
            return Some(solve_bracket(
                &mut |x| f(x).computed(),
                a,
                b,
                Decimal::new(1, 15),
                absolute,
            ));
        }
        // Keep the three points around the smallest |f|.
        if fp.abs() < mid.1.abs() {
            if above {
                low = mid;
            } else {
                high = mid;
            }
            mid = (probe, fp);
        } else if above {
            high = (probe, fp);
        } else {
            low = (probe, fp);
        }
        let width = high.0.checked_sub(low.0)?;
        if width <= mid.0.abs() * Decimal::new(1, 12) + search.absolute_tolerance() {
            // Narrowed to the search's resolution: where f came to within TOUCH of zero
            // against the dip's first points, it touches zero there, a double root
            // (helper-94: an advantage of -(1.1 x - 1)², x = 1 / (1 + r), 0 at r = 0.1
            // only, was given none); a turn short of zero stays at its own depth.
            return touches(mid.1, outer).then_some(mid.0);
        }
    }
    None
}

/// Where f first reaches zero going from the point `near` (f not 0 there) to `zero` (f
/// exactly 0 there): `zero` itself where f is 0 there only, the edge of a stretch where f is 0
/// throughout (helper-96: a cap beyond which the advantage is 0 gave 10.5, a point inside
/// the stretch, where its edge, 10, is the root nearest the start), or, where f changes
/// sign on the way, that crossing, solved. Bisection, to the search's resolution and at
/// most [`DIP_RUNS`] runs of f.
fn nearest_zero(
    search: &Search,
    f: &mut dyn FnMut(Decimal) -> Point,
    (mut near, mut f_near): (Decimal, Decimal),
    zero: Decimal,
) -> Decimal {
    let mut far = zero;
    // To the search's resolution, not nearer: by a closed lower end (an amount of 0), the
    // advantage of amounts below 1e-27 rounds to exactly 0 beside larger ones, a "stretch"
    // of rounding whose edge is no root (tests/hand/breakeven_amounts_of_1e18.toml at a
    // revenue of 100: the root is 0, and 2e-28 was given).
    let resolution =
        (far.abs() * Decimal::new(1, 12) + search.absolute_tolerance()).max(search.tiny());
    // Most often `zero` is a root alone (a round number on the walk's grid): once the first
    // halving has found no crossing and no zero, f not 0 a resolution short of it says so
    // in one run (bisecting the whole step took some 37 more; helper-98). Not before the
    // first halving: two crossings before a root on the grid ((k - 1.1)(k - 1.2)(k - 1.25)
    // from 1) are seen there, and were lost when the shortcut came first (helper-99).
    let mut shortcut = true;
    for _ in 0..DIP_RUNS {
        let gap = (far - near).abs();
        if gap <= resolution {
            break;
        }
        let Some(mid) = near.checked_add(far).map(|s| s / Decimal::TWO) else {
            break;
        };
        if mid == near || mid == far {
            break;
        }
        match f(mid).known() {
            Some(v) if v.is_zero() => far = mid,
            Some(v) if v.is_sign_negative() != f_near.is_sign_negative() => {
                return solve_between(search, f, (near, f_near), (mid, v));
            }
            Some(v) => (near, f_near) = (mid, v),
            // Outside f's domain: no nearer zero there.
            None => break,
        }
        if std::mem::take(&mut shortcut) && far == zero {
            let short = if near < zero {
                zero - resolution
            } else {
                zero + resolution
            };
            if (short - near).abs() < (zero - near).abs() {
                match f(short).known() {
                    Some(v) if v.is_zero() => {}
                    Some(v) if v.is_sign_negative() != f_near.is_sign_negative() => {
                        return solve_between(search, f, (near, f_near), (short, v));
                    }
                    _ => return zero,
                }
            }
        }
    }
    far
}

/// The root between two points where f has opposite signs, in either order, solved as
/// the search solves its brackets.
fn solve_between(
    search: &Search,
    f: &mut dyn FnMut(Decimal) -> Point,
    p: (Decimal, Decimal),
    q: (Decimal, Decimal),
) -> Decimal {
    let (low, high) = if p.0 < q.0 { (p, q) } else { (q, p) };
    solve_bracket(
        &mut |x| f(x).computed(),
        low,
        high,
        Decimal::new(1, 15),
        search.absolute_tolerance(),
    )
}

/// Whether the point a bracket between values `fa` and `fb` closed on is a jump of `f`
/// across zero rather than a root: f there is further from zero than half a printed unit
/// (0.0000005) and than a thousandth of the larger of the bracket's values. At a root of a
/// continuous f, solved to 1e-15, f is many orders of magnitude nearer; f in the waterfall's
/// units, or a value the arithmetic cannot resolve (None), is no jump (helper-113: roots
/// were rejected for an f of 1.6e-14 beside ends of 1e-12, and for an unresolved one).
fn is_jump(f: &mut dyn FnMut(Decimal) -> Point, root: Decimal, fa: Decimal, fb: Decimal) -> bool {
    const HALF_UNIT: Decimal = Decimal::from_parts(5, 0, 0, false, 7); // 0.0000005
    let larger = fa.abs().max(fb.abs());
    let bound = (larger * Decimal::new(1, 3)).max(HALF_UNIT);
    f(root).known().is_some_and(|v| v.abs() > bound)
}

/// Whether `mid` is nearer zero than `a` and `b`, by half at least (all of one sign): a
/// dip worth looking into.
fn dips(a: Decimal, mid: Decimal, b: Decimal) -> bool {
    mid.abs()
        .checked_mul(Decimal::TWO)
        .is_some_and(|twice| twice < a.abs() && twice < b.abs())
}

/// Whether `mid` is nearer zero than `a` and `b` at all (all of one sign): f turns between
/// them, and may touch zero there ([`dips`] for a deep turn; a touch whose points fall
/// evenly either side of it is not deep).
fn turns(a: Decimal, mid: Decimal, b: Decimal) -> bool {
    mid.abs() < a.abs() && mid.abs() < b.abs()
}

/// One side of [`root_nearest`]'s walk outward from the start.
struct Side {
    upward: bool,
    /// The last point reached, and f at the last point it was resolved at, `known_x` (never
    /// 0: a zero ends the search): `x` itself, or one before it where f was not resolved
    /// since ([`Point::Unresolved`], which the walk steps past).
    x: Decimal,
    fx: Decimal,
    known_x: Decimal,
    /// The next additive step (doubled at each).
    step: Decimal,
    open: bool,
    /// A point beyond `x` where `f` is not defined (a default pre-money no longer above 0):
    /// the side then halves its way towards it, so that a root between its last point and
    /// the end of `f`'s domain is found (it ended at the first such point, and a root
    /// between 240 and 300 was missed when the step went from 240 to 480).
    undefined_at: Option<Decimal>,
    /// The doubling steps taken so far.
    steps_taken: u32,
    /// The point before `x` on this side, of the same sign (None at the start).
    before: Option<(Decimal, Decimal)>,
    /// The first point after the start, and f there (for a dip at the start itself).
    first: Option<(Decimal, Decimal)>,
    /// The runs of f this side may still spend looking into dips.
    dip_runs: DipBudget,
}

impl Side {
    fn new(upward: bool, start: Decimal, f_start: Decimal, search: &Search) -> Side {
        Side {
            upward,
            x: start,
            fx: f_start,
            known_x: start,
            step: search.first_step(),
            open: !upward || start < search.upper,
            undefined_at: None,
            steps_taken: 0,
            before: None,
            first: None,
            dip_runs: DipBudget::FULL,
        }
    }

    /// Halfway from the last point to where `f` is not defined, while they are apart by
    /// more than 1e-10 of the point (or the search's resolution): SPEC 11's roots are to
    /// 1e-8, and a millionth missed one 1.3e-6 below where a default pre-money reaches 0
    /// (helper-124). Where the model stops being valid because an amount grows past what it
    /// can hold (a discount rate near -1), its last digits are rounding: an advantage within
    /// that rounding is no root but a point where `f` is not defined ([`resolved`];
    /// case_027 `bull`: -0.999999940, where the advantage is about -5e-8).
    fn towards_undefined(&self, search: &Search, undefined: Decimal) -> Option<Decimal> {
        let gap = (undefined - self.x).abs();
        let resolution = search
            .tiny()
            .max(search.absolute_tolerance())
            .max(self.x.abs() * Decimal::new(1, 10));
        let halfway = self.x + (undefined - self.x) / Decimal::TWO;
        (gap > resolution && halfway != self.x && halfway != undefined).then_some(halfway)
    }

    /// The next point outward, None where this side ends: up by doubling or by the step,
    /// capped at the upper end; down halfway to the lower end or by the step, halfway
    /// where the step would leave the domain (to the lower end itself where it is closed).
    /// A geometric walk down to a closed lower end (an amount of 0 or more) takes the end
    /// itself once it is as near as it resolves (it stopped 1e-12 short, so a root at the
    /// end, an amount of 0, was never found).
    fn next(&self, search: &Search) -> Option<Decimal> {
        if self.upward {
            let next = match search.steps {
                Steps::Geometric if self.x.is_zero() => Some(search.first_above_zero()),
                Steps::Geometric => self.x.checked_mul(Decimal::TWO),
                Steps::Additive(_) => self.x.checked_add(self.step),
            };
            return next.map(|x| x.min(search.upper));
        }
        let near_the_end = self.x - search.lower < search.tiny();
        if search.steps == Steps::Geometric
            && !search.lower_open
            && near_the_end
            && self.x != search.lower
        {
            return Some(search.lower);
        }
        let halfway = search.lower + (self.x - search.lower) / Decimal::TWO;
        let next = match search.steps {
            Steps::Geometric => halfway,
            Steps::Additive(_) => {
                let x = self.x - self.step;
                if search.inside(x) {
                    x
                } else if search.lower_open {
                    halfway
                } else {
                    search.lower
                }
            }
        };
        let ended = next >= self.x || near_the_end || !search.inside(next);
        (!ended).then_some(next)
    }

    /// f at `point`, the next point outward: the root where f is 0 there or changes sign
    /// between the last point and it (solved); else `point` becomes the last point. Where
    /// f is not defined there, the side notes it (`undefined_at`); where its sign is not
    /// known ([`Point::Unresolved`]), the walk goes on past it from the last point it could
    /// tell (helper-305: taken as undefined, `solve --within 400..600` halved its way
    /// towards the band around the root, 479 to 519, and found none).
    fn look_at(
        &mut self,
        search: &Search,
        f: &mut dyn FnMut(Decimal) -> Point,
        point: Decimal,
    ) -> Option<Decimal> {
        let fx = match f(point) {
            Point::Value(fx) => fx,
            Point::Unresolved(_) => {
                // (Moved on, so that the walk's next point is beyond it: geometric steps
                // double `x`, and stayed at one unresolved point for good.)
                self.x = point;
                return None;
            }
            Point::Outside => {
                self.undefined_at = Some(point);
                return None;
            }
        };
        if fx.is_zero() {
            return Some(nearest_zero(search, f, (self.known_x, self.fx), point));
        }
        if fx.is_sign_negative() != self.fx.is_sign_negative() {
            let root = solve_between(search, f, (self.known_x, self.fx), (point, fx));
            // A sign change can be a jump (helper-111: a revenue point of 0 interpolates
            // linearly, one just above it geometrically, and the advantage leaps from -10.7
            // to 1.6 there): the bracket closes on the jump, where f is as far from zero as
            // at the walk's points, and that is no root; the walk goes on past it.
            if !is_jump(f, root, self.fx, fx) {
                return Some(root);
            }
        }
        // f came nearer zero at the last point than on either side of it, by half at least:
        // it may cross zero and back between points of one sign (helper-86: -63 + 10k +
        // 99.2/k, below zero only between 3.1 and 3.2, was missed between 3 and 3.5).
        if let Some(before) = self.before
            && turns(before.1, self.fx, fx)
        {
            let (low, high) = if before.0 < point {
                (before, (point, fx))
            } else {
                ((point, fx), before)
            };
            let three = [low, (self.known_x, self.fx), high];
            if let Some(root) = look_into_dip(search, f, search.start, three, &mut self.dip_runs) {
                return Some(root);
            }
        }
        if self.before.is_none() {
            self.first = Some((point, fx));
        }
        self.before = Some((self.known_x, self.fx));
        (self.x, self.fx) = (point, fx);
        self.known_x = point;
        None
    }

    /// One step outward: the root, solved, where `f` is zero at the new point or changes
    /// sign on the way to it. Past a point where `f` is not defined, the side halves its
    /// way towards that point, and ends when it is as near as the search resolves.
    fn walk(&mut self, search: &Search, f: &mut dyn FnMut(Decimal) -> Point) -> Option<Decimal> {
        if !self.open {
            return None;
        }
        let (next, substeps) = match self.undefined_at {
            Some(undefined) => (self.towards_undefined(search, undefined), 1),
            None => {
                let next = self.next(search);
                self.step = self.step.saturating_mul(Decimal::TWO);
                self.steps_taken += 1;
                // From a start of 0 every doubling is looked at in parts: its first ten lie
                // within 1e-12 of the range, so the steps where roots lie would have been
                // looked at at their ends only (helper-150: a notch below zero between 44
                // and 48 on 0..100, which the additive walk found, was missed).
                let from_zero = search.steps == Steps::Geometric && search.start.is_zero();
                let parts = if self.steps_taken <= FINE_STEPS || from_zero {
                    SUBSTEPS
                } else {
                    1
                };
                (next, parts)
            }
        };
        let Some(x) = next else {
            self.open = false;
            return None;
        };
        // The step is looked at in `substeps` equal parts, nearest first, so that two roots
        // inside one doubling step (an even number of sign changes between its ends) are
        // seen unless they are within one part of each other.
        let (from, span) = (self.x, x - self.x);
        for i in 1..=substeps {
            let point = if i == substeps {
                x
            } else {
                from + span * Decimal::from(i) / Decimal::from(substeps)
            };
            if let Some(root) = self.look_at(search, f, point) {
                return Some(root);
            }
            if self.undefined_at == Some(point) {
                return None;
            }
        }
        self.open = if self.undefined_at.is_some() {
            true
        } else if self.upward {
            x < search.upper
        } else {
            x != search.lower
        };
        None
    }
}

/// The one bracket solver, shared by [`irr`] (in f64) and [`root_nearest`] (in Decimal): the
/// root of `f` in [a, b], a < b, where f(a) and f(b) have opposite signs. Regula falsi with
/// the Illinois modification (exact in one step where `f` is linear, as NPV(equity) is in k
/// when no round takes its pre-money from the valuation; superlinear near a simple root),
/// falling back to bisection where a trial point is out of reach. Stops when a step moves
/// the estimate, or the bracket has shrunk, to within `relative` of the estimate or
/// `absolute`, whichever is larger (both 0: to the limit of the arithmetic, where a
/// secant step no longer moves an end).
fn solve_bracket<N: Num>(
    f: &mut dyn FnMut(N) -> Option<N>,
    (mut a, mut fa): (N, N),
    (mut b, mut fb): (N, N),
    relative: N,
    absolute: N,
) -> N {
    let two = N::ONE + N::ONE;
    let within =
        |distance: N, of: N| magnitude(distance) <= (relative * magnitude(of)).max_of(absolute);
    // The signs at the ends are kept apart from the values: the Illinois step halves a value,
    // and a halved tiny value can round to zero and lose its sign.
    let loose = N::from_decimal(Decimal::from(LOOSE));
    let negative_b = fb < N::ZERO;
    let mut last = None;
    let mut kept = 0i8; // which end was kept last time: -1 a, 1 b
    // How many times in a row that end was kept: Illinois halves the kept end's value each
    // time, which crawls where the moving end lies on a flat stretch (a cap that stops
    // binding, with a target 1e-12 from the flat value: 200 steps moved it 0.0000x, and
    // helper-111 was given 27.99899643 for about 28). From the fifth, a bisection step (from
    // the third, a root among values near the arithmetic's noise came out 2e-7 off where
    // the secant found it: helper-113).
    let mut streak = 0u32;
    for _ in 0..300 {
        let secant = fb
            .checked_sub(fa)
            .filter(|d| !d.is_zero())
            .and_then(|d| fb.checked_mul(b - a)?.checked_div(d))
            .map(|step| b - step);
        // A secant step too small to move an end: that end is the root, to the precision
        // of the arithmetic.
        if let Some(m) = secant
            && (m == a || m == b)
        {
            return m;
        }
        let mut m = secant
            .filter(|m| *m > a && *m < b && streak < BISECT_AFTER)
            .unwrap_or((a + b) / two);
        // Two steps as close as the tolerance: the root, where the bracket has closed in
        // to about it too. Where it has not, the secant is crawling along a flat side (a
        // cap that stops binding: helper-111 was given 27.99899643 for about 28, 3.6e-5 off,
        // a target 1e-12 above the flat value), and the step is a bisection instead.
        if last.is_some_and(|l: N| within(m - l, m)) {
            if within((b - a) / loose, b) {
                return m;
            }
            m = (a + b) / two;
        }
        last = Some(m);
        let Some(fm) = f(m) else {
            // Outside the domain (never for a bracket inside it): narrow from below.
            a = m;
            continue;
        };
        if fm.is_zero() {
            return m;
        }
        if (fm < N::ZERO) == negative_b {
            b = m;
            fb = fm;
            if kept == -1 {
                fa = fa / two;
                streak += 1;
            } else {
                streak = 1;
            }
            kept = -1;
        } else {
            a = m;
            fa = fm;
            if kept == 1 {
                fb = fb / two;
                streak += 1;
            } else {
                streak = 1;
            }
            kept = 1;
        }
        if streak > BISECT_AFTER {
            streak = 0;
        }
        if within(b - a, b) {
            break;
        }
    }
    (a + b) / two
}

/// After how many steps in a row that keep the same end of the bracket the next step
/// bisects it ([`solve_bracket`]).
const BISECT_AFTER: u32 = 5;

/// How much wider than the tolerance a bracket may be and still count as closed in on a
/// root whose last two steps were within it: Illinois's steps converge faster than the
/// bracket does, so its steps settle first; a bracket 1e6 times the tolerance (1e-9 of the
/// root, where the tolerance is 1e-15) still holds the root to far below the 1e-8 `solve`
/// promises.
const LOOSE: u32 = 1_000_000;

/// |x|, for any number type.
pub(crate) fn magnitude<N: Num>(x: N) -> N {
    if x < N::ZERO { -x } else { x }
}
