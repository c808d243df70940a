//! The measures of SPEC section 5, as pure functions of cash flows: NPV, IRR, MOIC, payback
//! year, and the root search behind the break-even scale.
//!
//! Generic over the engine's number type ([`Num`]): money stays in that type. IRR is a
//! statistic, not an amount: its search runs in `f64`, the boundary being [`irr`]'s input
//! (cash flows converted once) and output (a rate).

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
/// (1 + r)^-index): the root of NPV(r) nearest zero, searched for r in (-1, 10000].
/// None where NPV(r) never changes sign there, and for flows that are all zero.
///
/// NPV is written in u = ln(1 + r), stepped outward from u = 0 on both sides until it
/// changes sign; each bracket is then bisected to the limit of f64. Both sides are searched
/// and the smaller |r| wins, so the answer does not depend on a starting guess.
///
/// ```
/// use rust_decimal::Decimal;
/// // Pay 100, get 121 two years later: 10% a year.
/// let flows = [Decimal::from(-100), Decimal::ZERO, Decimal::from(121)];
/// let r = stakeshift::engine::measures::irr(&flows).unwrap();
/// assert!((r - 0.10).abs() < 1e-12);
/// ```
pub fn irr<N: Num>(flows: &[N]) -> Option<f64> {
    let c: Vec<f64> = flows.iter().map(|f| f.to_f64()).collect();
    // Leading zeros only multiply NPV by a positive power of 1/(1 + r), trailing ones add
    // nothing: dropping both keeps every root and keeps the sums below from underflowing to
    // a false zero far from r = 0.
    let first = c.iter().position(|x| *x != 0.0)?;
    let last = c.iter().rposition(|x| *x != 0.0)?;
    let c = &c[first..=last];
    let f0 = npv_sign_safe(c, 0.0);
    let (mut up, mut down) = if f0 == 0.0 {
        // A root at r = 0 counts only where NPV changes sign there; where it only touches
        // zero, look further out on each side from the first step.
        let (fu, fd) = (npv_sign_safe(c, FIRST_STEP), npv_sign_safe(c, -FIRST_STEP));
        if fu.signum() != fd.signum() {
            return Some(0.0);
        }
        (
            Scan::new(1.0, FIRST_STEP, fu),
            Scan::new(-1.0, FIRST_STEP, fd),
        )
    } else {
        (Scan::new(1.0, 0.0, f0), Scan::new(-1.0, 0.0, f0))
    };
    // Step both sides in turn, each no further than the nearest root found so far, so the
    // search ends soon after the root nearest zero.
    let mut best: Option<f64> = None;
    while !(up.done && down.done) {
        for scan in [&mut up, &mut down] {
            if let Some(u) = scan.step(c, best.map(f64::abs)) {
                let r = u.exp_m1();
                if best.is_none_or(|b| r.abs() < b.abs()) {
                    best = Some(r);
                }
            }
        }
    }
    best
}

/// The grid step in u = ln(1 + r) near zero.
const FIRST_STEP: f64 = 0.002;

/// A walk outward from r = 0 along one side, in u = ln(1 + r), looking for a sign change.
struct Scan {
    direction: f64,
    /// |u| reached so far.
    at: f64,
    prev_f: f64,
    done: bool,
}

impl Scan {
    const U_MAX: f64 = 9.210_440_366_976_517; // ln(10001): r = 10000
    const U_MIN: f64 = -30.0; // r = -1 + 9.4e-14

    fn new(direction: f64, at: f64, f_at: f64) -> Self {
        Scan {
            direction,
            at,
            prev_f: f_at,
            done: false,
        }
    }

    /// One step; the root's u where the step crosses zero. Stops at the end of the range,
    /// at a root, or once |r| passes `bound`.
    fn step(&mut self, c: &[f64], bound: Option<f64>) -> Option<f64> {
        if self.done {
            return None;
        }
        let limit = if self.direction > 0.0 {
            Self::U_MAX
        } else {
            -Self::U_MIN
        };
        let prev_u = self.direction * self.at;
        if self.at >= limit || bound.is_some_and(|b| prev_u.exp_m1().abs() >= b) {
            self.done = true;
            return None;
        }
        // Fine steps near zero, where rates live; coarser far out.
        self.at = (self.at + if self.at < 1.0 { FIRST_STEP } else { 0.01 }).min(limit);
        let u = self.direction * self.at;
        let f = npv_sign_safe(c, u);
        if f == 0.0 {
            self.done = true;
            return Some(u);
        }
        if f.signum() != self.prev_f.signum() {
            self.done = true;
            return Some(bisect(c, prev_u, self.prev_f, u));
        }
        self.prev_f = f;
        None
    }
}

fn bisect(c: &[f64], mut a: f64, fa: f64, mut b: f64) -> f64 {
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if m == a || m == b {
            break;
        }
        let fm = npv_sign_safe(c, m);
        if fm == 0.0 {
            return m;
        }
        if fm.signum() == fa.signum() {
            a = m;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
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

/// The root of a continuous `f` nearest 1 (smallest |ln k|) for k in (`lower`, 1000], where
/// `lower` >= 0 is where the domain ends (it is not included). `f(k)` returns None outside
/// the domain. Points are taken outward from 1, doubling the distance each step (up: k*2;
/// down: halfway to `lower`), and the first bracket is bisected.
pub fn root_nearest_one(
    lower: Decimal,
    f: &mut dyn FnMut(Decimal) -> Option<Decimal>,
) -> Option<Decimal> {
    const UPPER: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);
    let one = Decimal::ONE;
    let f1 = if one > lower { f(one) } else { None };
    match f1 {
        Some(v) if v.is_zero() => return Some(one),
        _ => {}
    }
    // Start from the lowest point of the domain at or above 1 when 1 itself is outside it.
    let (mut up_k, mut up_f) = match f1 {
        Some(v) => (one, v),
        None => {
            let mut k = lower * Decimal::TWO;
            loop {
                if k > UPPER {
                    return None;
                }
                if let Some(v) = f(k) {
                    break (k, v);
                }
                k *= Decimal::TWO;
            }
        }
    };
    let (mut down_k, mut down_f) = (up_k, up_f);
    let tiny = Decimal::new(1, 12);
    let mut up_open = up_k < UPPER;
    let mut down_open = true;
    while up_open || down_open {
        if up_open {
            let k = (up_k * Decimal::TWO).min(UPPER);
            match f(k) {
                Some(v) if v.is_zero() => return Some(k),
                Some(v) if v.is_sign_negative() != up_f.is_sign_negative() => {
                    return Some(solve_bracket(f, (up_k, up_f), (k, v)));
                }
                Some(v) => {
                    up_k = k;
                    up_f = v;
                }
                None => up_open = false,
            }
            if up_k >= UPPER {
                up_open = false;
            }
        }
        if down_open {
            let k = lower + (down_k - lower) / Decimal::TWO;
            if down_k - lower < tiny || k <= lower {
                down_open = false;
                continue;
            }
            match f(k) {
                Some(v) if v.is_zero() => return Some(k),
                Some(v) if v.is_sign_negative() != down_f.is_sign_negative() => {
                    return Some(solve_bracket(f, (k, v), (down_k, down_f)));
                }
                Some(v) => {
                    down_k = k;
                    down_f = v;
                }
                None => down_open = false,
            }
        }
    }
    None
}

/// The root of `f` in [a, b], where f(a) and f(b) have opposite signs: regula falsi with
/// the Illinois modification (exact in one step where `f` is linear, as NPV(equity) is in k
/// when no round takes its pre-money from the valuation), falling back to bisection where a
/// trial point is out of reach. Stops when a step moves the estimate by less than 1e-15 of it.
fn solve_bracket(
    f: &mut dyn FnMut(Decimal) -> Option<Decimal>,
    (mut a, mut fa): (Decimal, Decimal),
    (mut b, mut fb): (Decimal, Decimal),
) -> Decimal {
    let tolerance = Decimal::new(1, 15);
    let mut last = None;
    let mut kept = 0i8; // which end was kept last time: -1 a, 1 b
    for _ in 0..200 {
        let secant = fb
            .checked_sub(fa)
            .filter(|d| !d.is_zero())
            .and_then(|d| fb.checked_mul(b - a)?.checked_div(d))
            .map(|step| b - step)
            .filter(|m| *m > a && *m < b);
        let m = secant.unwrap_or((a + b) / Decimal::TWO);
        if last.is_some_and(|l: Decimal| (m - l).abs() <= tolerance * m.abs()) {
            return m;
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
        if fm.is_sign_negative() == fb.is_sign_negative() {
            b = m;
            fb = fm;
            if kept == -1 {
                fa /= Decimal::TWO;
            }
            kept = -1;
        } else {
            a = m;
            fa = fm;
            if kept == 1 {
                fb /= Decimal::TWO;
            }
            kept = 1;
        }
        if b - a <= tolerance * b {
            break;
        }
    }
    (a + b) / Decimal::TWO
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn flows(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| d(s)).collect()
    }

    #[test]
    fn irr_of_a_loan_at_ten_percent() {
        // -100 now, +121 two years later: (1.1)^2 = 1.21.
        let r = irr(&flows(&["-100", "0", "121"])).unwrap();
        assert!((r - 0.1).abs() < 1e-12, "{r}");
    }

    #[test]
    fn irr_negative_and_none() {
        let r = irr(&flows(&["-100", "50"])).unwrap();
        assert!((r + 0.5).abs() < 1e-12, "{r}");
        assert_eq!(irr(&flows(&["-1", "-2", "-3"])), None);
        assert_eq!(irr(&flows(&["0", "0"])), None);
        assert_eq!(irr(&flows(&["0", "0", "5"])), None);
    }

    #[test]
    fn irr_picks_the_root_nearest_zero() {
        // -1, +5, -6 has NPV zero at x = 1/(1+r) in {1/2, 1/3}: r = 1 and r = 2.
        let r = irr(&flows(&["-1", "5", "-6"])).unwrap();
        assert!((r - 1.0).abs() < 1e-12, "{r}");
        // -100, 230, -132: (1+r) in {1.1, 1.2}: 10% is nearer zero than 20%.
        let r = irr(&flows(&["-100", "230", "-132"])).unwrap();
        assert!((r - 0.1).abs() < 1e-12, "{r}");
    }

    #[test]
    fn irr_is_empty_when_nothing_comes_back() {
        // Regression: near r = -1 the sums underflowed to 0.0, read as a root at -100%.
        let mut f = vec![d("-1"), d("0"), d("-2")];
        f.extend(vec![d("0"); 40]);
        assert_eq!(irr(&f), None);
    }

    #[test]
    fn a_rate_where_npv_only_touches_zero_is_not_an_irr() {
        // -100, 200, -100 = -100 (1 - x)^2: zero at r = 0 without a change of sign.
        assert_eq!(irr(&flows(&["-100", "200", "-100"])), None);
        // -100, 100 crosses zero at r = 0.
        assert_eq!(irr(&flows(&["-100", "100"])), Some(0.0));
        // Leading and trailing zeros change nothing.
        let r = irr(&flows(&["0", "0", "-100", "0", "121", "0", "0"])).unwrap();
        assert!((r - 0.1).abs() < 1e-12, "{r}");
    }

    #[test]
    fn irr_does_not_overflow_on_long_horizons() {
        let mut f = vec![d("-1"); 499];
        f.push(d("1000000"));
        let r = irr(&f).unwrap();
        assert!(r.is_finite());
    }

    #[test]
    fn payback_needs_a_negative_first() {
        assert_eq!(
            payback_year(2020, &flows(&["-10", "5", "5", "1"])),
            Some(2022)
        );
        assert_eq!(payback_year(2020, &flows(&["1", "-1", "1"])), None);
        assert_eq!(payback_year(2020, &flows(&["-1", "-1"])), None);
    }

    #[test]
    fn moic_empty_without_contributions() {
        assert_eq!(moic(d("5"), d("5"), Decimal::ZERO), None);
        assert_eq!(moic(d("5"), d("10"), d("5")), Some(d("3")));
    }

    #[test]
    fn npv_discounts_terminal_from_the_last_year() {
        let df = flows(&["1", "0.5", "0.25"]);
        assert_eq!(npv(&flows(&["-4", "2", "4"]), &df, d("8")), Some(d("0")));
    }

    #[test]
    fn root_nearest_one_finds_linear_roots_and_respects_the_domain() {
        // f(k) = 10k - 4: root 0.4.
        let k = root_nearest_one(Decimal::ZERO, &mut |k| Some(d("10") * k - d("4"))).unwrap();
        assert!((k - d("0.4")).abs() < d("0.000000000001"), "{k}");
        // Root above 1: 3k - 600 -> 200.
        let k = root_nearest_one(Decimal::ZERO, &mut |k| Some(d("3") * k - d("600"))).unwrap();
        assert!((k - d("200")).abs() < d("0.0000000001"), "{k}");
        // No root in (0, 1000].
        assert_eq!(
            root_nearest_one(Decimal::ZERO, &mut |k| Some(k + Decimal::ONE)),
            None
        );
        // Domain k > 2 (1 is outside): root at 5.
        let k = root_nearest_one(d("2"), &mut |k| (k > d("2")).then(|| k - d("5"))).unwrap();
        assert!((k - d("5")).abs() < d("0.000000000001"), "{k}");
        // Zero everywhere: 1.
        assert_eq!(
            root_nearest_one(Decimal::ZERO, &mut |_| Some(Decimal::ZERO)),
            Some(Decimal::ONE)
        );
    }
}
