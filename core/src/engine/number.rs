//! The number type the engine computes in: [`Num`], implemented by `Decimal` (exact money,
//! for `compare` and everything that reports amounts) and `f64` (for `simulate`, where a
//! million paths must run in a fraction of a second).
//!
//! The rules of the deal are written once, generic over `Num`; what differs between the two
//! types is declared here, as the trait's operations and its two constants, `BOUNDED` and
//! `EXACT`, which the rules consult in the few places where counting in whole units changes
//! the work rather than the answer (the waterfall lets caps within a few units close
//! together, `waterfall.rs`; the NPV advantage is also summed year by year with what
//! rounding left in it, `regimes.rs`; the IRR's search knows the flows to 28 digits or to a
//! double's rounding, `measures.rs`: each within 1e-9 of the other type's answer, as
//! tests/engine_f64.rs holds them). The differences:
//! - overflow: `Decimal`'s checked operations return None past 7.9e28, which the engine turns
//!   into an error naming the trajectory and year; `f64`'s return None only where the result
//!   is not finite, and its running totals are checked once, at the end of a path;
//! - the waterfall's unit: `Decimal` rounds to whole units of 1e-12 of the model's unit (finer
//!   on a path whose amounts are all below 1: [`super::deal::waterfall_dp`]) so that the
//!   waterfall's split is exact (see [`super::waterfall`]); `f64` does not round;
//! - a tie: an advantage that rounds to zero at 6 decimal places (SPEC section 5).
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::engine::Num;
//!
//! // A rule written once: an amount compounded at `rate` for `years`.
//! fn grown<N: Num>(amount: N, rate: N, years: i64) -> Option<N> {
//!     amount.checked_mul((N::ONE + rate).checked_powi(years)?)
//! }
//! // 100 x 1.1^2 = 121: exact in Decimal; in f64 to rounding (1.1 is no binary fraction).
//! let exact = grown(Decimal::ONE_HUNDRED, Decimal::new(1, 1), 2);
//! assert_eq!(exact, Some(Decimal::from(121)));
//! assert!((grown(100.0, 0.1, 2).unwrap() - 121.0).abs() < 1e-12);
//! // Decimal stops past 7.9e28 with None; f64 goes on while the result is finite.
//! let big = Decimal::from(10_u64.pow(15));
//! assert_eq!(Num::checked_mul(big, big), None);
//! assert_eq!(Num::checked_mul(1e15, 1e15), Some(1e30));
//! // A tie: an advantage that rounds to 0 at 6 places; 0.0000004 does, 0.0000005 does not
//! // (half away from zero). The double nearest 0.0000005 lies just below it, so it does.
//! assert!(Decimal::new(4, 7).is_tie() && !Decimal::new(5, 7).is_tie());
//! assert!(4e-7_f64.is_tie() && 5e-7_f64.is_tie() && !6e-7_f64.is_tie());
//! // The waterfall's unit, 1e-12: 2/3 rounds to 0.666666666667, or down to 0.666666666666.
//! let two_thirds = Decimal::TWO / Decimal::from(3);
//! assert_eq!(two_thirds.to_unit(12), Decimal::new(666_666_666_667, 12));
//! assert_eq!(two_thirds.unit_down(12), Decimal::new(666_666_666_666, 12));
//! ```

use std::fmt::Debug;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

use rust_decimal::prelude::*;

/// Decimal places the waterfall counts in at the least (amounts below 1e16 of the model's
/// unit are then exact); a path whose amounts are all below 1 counts in more, one place for
/// each power of ten (at 12 + k places, amounts below 1e16 x 10^-k are exact:
/// [`super::deal::waterfall_dp`]).
pub const WATERFALL_DP: u32 = 12;

/// Significant digits a value keeps before it is rounded to the places printed: the last
/// digits of a 28-digit result carry the rounding of its quotients (13.1688375, an exact
/// half, comes out of 0.68 - 0.17 x 8/15 as 13.168837499999999999999999999), so a value
/// within 1e-24 of itself of a half is taken for that half. A model's own numbers have
/// fewer digits than this.
pub const PRINTED_SIGNIFICANT_DIGITS: u32 = 24;

/// `value` rounded as printed: to [`PRINTED_SIGNIFICANT_DIGITS`], then to `dp` places, both
/// half away from zero (the one rounding rule, DECISIONS 4).
pub fn printed(value: Decimal, dp: u32) -> Decimal {
    without_noise(value).round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// `value` to [`PRINTED_SIGNIFICANT_DIGITS`], half away from zero: the last digits of a
/// 28-digit result, which carry the rounding of its quotients, rounded away.
fn without_noise(value: Decimal) -> Decimal {
    value
        .round_sf_with_strategy(
            PRINTED_SIGNIFICANT_DIGITS,
            RoundingStrategy::MidpointAwayFromZero,
        )
        .unwrap_or(value)
}

/// A number the engine can run in. Plain operators are for sums whose size is bounded in
/// advance (see `check_sums_fit` in [`super::regimes`]); products and quotients that can grow
/// use the checked forms.
pub trait Num:
    Copy
    + PartialOrd
    + Debug
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
{
    const ZERO: Self;
    const ONE: Self;
    /// Whether plain sums can overflow silently (`Decimal` panics past 7.9e28, so the engine
    /// checks a path's totals first); `f64`'s checked operations catch what matters.
    const BOUNDED: bool;
    /// Whether sums and differences of whole units are exact (`Decimal`, counting in the
    /// waterfall's unit), so that rounding is the waterfall's own, by the unit; not `f64`.
    const EXACT: bool;

    /// A model value in this type (every `Decimal` is a finite `f64`).
    fn from_decimal(value: Decimal) -> Self;
    /// The value as an `f64` (for statistics such as the IRR, and for charts).
    fn to_f64(self) -> f64;
    /// The value as two doubles, `hi + lo`: `hi` the nearest double, `lo` what is left of
    /// the value beside `hi` held as a decimal (to its 28th decimal place): the value to
    /// about 30 significant digits, or to 1e-28 where it is small, for the IRR's search
    /// where f64 alone cannot tell two close roots from none. `f64`: the value, 0.
    fn to_f64_pair(self) -> (f64, f64);
    /// The value as a `Decimal` (an `f64` to its shortest round-tripping digits; 0 where it
    /// is out of range or not finite).
    fn to_decimal(self) -> Decimal;

    fn checked_add(self, other: Self) -> Option<Self>;
    fn checked_sub(self, other: Self) -> Option<Self>;
    fn checked_mul(self, other: Self) -> Option<Self>;
    fn checked_div(self, other: Self) -> Option<Self>;
    /// `self` to a whole power; None where it cannot be held.
    fn checked_powi(self, exponent: i64) -> Option<Self>;

    /// `self + other` for a running total of a path. `Decimal`: [`Num::checked_add`].
    /// `f64`: never None; a total that leaves the finite range stays infinite or NaN to the
    /// end of the path, where the engine checks the path's totals once with
    /// [`Num::is_finite`] (a check at every step was a sixth of a simulation's time).
    fn total_add(self, other: Self) -> Option<Self>;
    /// `self * other` for an amount that goes into a path's totals: as
    /// [`Num::total_add`].
    fn total_mul(self, other: Self) -> Option<Self>;
    /// Whether the value is finite (`Decimal`: always).
    fn is_finite(self) -> bool;

    /// Rounded to the waterfall's unit, `dp` decimal places, half away from zero (`f64`:
    /// unchanged).
    fn to_unit(self, dp: u32) -> Self;
    /// Rounded to the waterfall's unit, `dp` decimal places, towards zero (`f64`: unchanged).
    fn unit_down(self, dp: u32) -> Self;
    /// A party's share of a slice rounded to the unit towards zero, after the last digits
    /// of 28-digit arithmetic are rounded away (to [`PRINTED_SIGNIFICANT_DIGITS`], as for
    /// printing): 0.29 x 4.06725 whose margin was interpolated to 28 digits came out as
    /// 1.1795024999...99855, was paid 1.179502499999 and printed 1.179502, where the exact
    /// 1.1795025 prints 1.179503 (helper-142). (`f64`: unchanged.)
    fn share_unit_down(self, dp: u32) -> Self;
    /// `count` of the waterfall's units of `dp` decimal places (`f64`, which counts in no
    /// unit: 0).
    fn units(count: u32, dp: u32) -> Self;

    /// Whether an NPV advantage counts as a tie: it rounds to zero at 6 decimal places.
    fn is_tie(self) -> bool;

    /// SPEC 4's stake after a round, (stake x pre + participation) / post, `post` = pre +
    /// raise > 0. `Decimal`: with `pre`, `participation` and `post` first multiplied by
    /// 10^(pre's decimal places), pre written as a whole number, so that stake x pre does
    /// not fall below 28 decimal places (helper-305: a raise and pre-money of 1e-28 took a
    /// stake of 0.4 to 0 and 0.6 to 0.5; at 1e-20 the stake kept 9 digits); as written where
    /// that would not fit. Within a unit of the 28th place of the exact quotient, not always
    /// the nearest (a product or sum past 96 bits is rounded, and a participation too large
    /// to move takes the plain form: 50 of 1,389 random rounds a unit off, against 319 of the
    /// plain form's; helper-307; the quotients taken apart, s (pre / post) + participation /
    /// post, did worse: helper-306). `f64`: as written.
    fn diluted(stake: Self, pre: Self, participation: Self, post: Self) -> Self;

    fn is_zero(self) -> bool {
        self == Self::ZERO
    }
    fn max_of(self, other: Self) -> Self {
        if other > self { other } else { self }
    }
    fn min_of(self, other: Self) -> Self {
        if other < self { other } else { self }
    }
}

impl Num for Decimal {
    const ZERO: Self = Decimal::ZERO;
    const ONE: Self = Decimal::ONE;
    const BOUNDED: bool = true;
    const EXACT: bool = true;

    fn from_decimal(value: Decimal) -> Self {
        value
    }
    /// The nearest double, parsed from the exact decimal text (which Rust's parser rounds
    /// correctly; rust_decimal's own `to_f64` divides by a power of ten in floating point
    /// and can be off in the last place).
    fn to_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(0.0)
    }
    fn to_f64_pair(self) -> (f64, f64) {
        let hi = Num::to_f64(self);
        let lo = match Decimal::from_f64_retain(hi) {
            Some(h) => self.checked_sub(h).map_or(0.0, Num::to_f64),
            // The nearest double to a decimal near the largest can lie just past it: the
            // difference taken in halves (each exact as a decimal but for the 29th digit).
            None => Decimal::from_f64_retain(hi / 2.0)
                .and_then(|h| (self / Decimal::TWO).checked_sub(h))
                .map_or(0.0, |r| 2.0 * Num::to_f64(r)),
        };
        (hi, lo)
    }
    fn to_decimal(self) -> Decimal {
        self
    }
    fn checked_add(self, other: Self) -> Option<Self> {
        Decimal::checked_add(self, other)
    }
    fn checked_sub(self, other: Self) -> Option<Self> {
        Decimal::checked_sub(self, other)
    }
    fn checked_mul(self, other: Self) -> Option<Self> {
        Decimal::checked_mul(self, other)
    }
    fn checked_div(self, other: Self) -> Option<Self> {
        Decimal::checked_div(self, other)
    }
    fn checked_powi(self, exponent: i64) -> Option<Self> {
        MathematicalOps::checked_powi(&self, exponent)
    }
    fn total_add(self, other: Self) -> Option<Self> {
        Decimal::checked_add(self, other)
    }
    fn total_mul(self, other: Self) -> Option<Self> {
        Decimal::checked_mul(self, other)
    }
    fn is_finite(self) -> bool {
        true
    }
    fn to_unit(self, dp: u32) -> Self {
        self.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
    }
    fn unit_down(self, dp: u32) -> Self {
        self.round_dp_with_strategy(dp, RoundingStrategy::ToZero)
    }
    fn share_unit_down(self, dp: u32) -> Self {
        without_noise(self).round_dp_with_strategy(dp, RoundingStrategy::ToZero)
    }
    fn units(count: u32, dp: u32) -> Self {
        Decimal::new(i64::from(count), dp.min(28))
    }
    fn is_tie(self) -> bool {
        printed(self, 6).is_zero()
    }
    fn diluted(stake: Self, pre: Self, participation: Self, post: Self) -> Self {
        // pre x 10^k as the whole number of its digits (scale 0: a product's decimal places
        // are the sum of its factors', so stake x pre keeps the stake's, at most 28, where
        // pre's own would take it past 28 and round); participation and post times 10^k.
        // (A product past 96 bits is rounded by `checked_mul`, not refused: the trait's
        // "within a unit of the 28th place".)
        let moved = (|| {
            let shift = Decimal::from_i128_with_scale(10i128.checked_pow(pre.scale())?, 0);
            let whole_pre = Decimal::try_from_i128_with_scale(pre.mantissa(), 0).ok()?;
            let numerator = stake
                .checked_mul(whole_pre)?
                .checked_add(participation.checked_mul(shift)?)?;
            numerator.checked_div(post.checked_mul(shift)?)
        })();
        moved.unwrap_or_else(|| (stake * pre + participation) / post)
    }
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

impl Num for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const BOUNDED: bool = false;
    const EXACT: bool = false;

    fn from_decimal(value: Decimal) -> Self {
        // The nearest double (the one conversion, `Decimal`'s `to_f64`); |value| <= 7.9e28,
        // so always finite.
        Num::to_f64(value)
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn to_f64_pair(self) -> (f64, f64) {
        (self, 0.0)
    }
    fn to_decimal(self) -> Decimal {
        // Decimal's own conversion keeps the shortest digits that read back as this f64.
        Decimal::from_f64(self).unwrap_or(Decimal::ZERO)
    }
    fn checked_add(self, other: Self) -> Option<Self> {
        finite(self + other)
    }
    fn checked_sub(self, other: Self) -> Option<Self> {
        finite(self - other)
    }
    fn checked_mul(self, other: Self) -> Option<Self> {
        finite(self * other)
    }
    fn checked_div(self, other: Self) -> Option<Self> {
        finite(self / other)
    }
    fn checked_powi(self, exponent: i64) -> Option<Self> {
        let exponent = i32::try_from(exponent).ok()?;
        finite(self.powi(exponent))
    }
    fn total_add(self, other: Self) -> Option<Self> {
        Some(self + other)
    }
    fn total_mul(self, other: Self) -> Option<Self> {
        Some(self * other)
    }
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }
    fn to_unit(self, _dp: u32) -> Self {
        self
    }
    fn unit_down(self, _dp: u32) -> Self {
        self
    }
    fn share_unit_down(self, _dp: u32) -> Self {
        self
    }
    fn units(_count: u32, _dp: u32) -> Self {
        0.0
    }
    fn is_tie(self) -> bool {
        // |x| < 0.0000005 rounds to 0.000000 (half away from zero). The literal 5e-7 is
        // the double just below 0.0000005, so `<=`: that double itself prints 0.000000 (its
        // exact value, as the amounts are printed) and is a tie; with `<` a path printed an
        // advantage of 0.000000 beside the winner `equity` (helper-75).
        self.abs() <= 5e-7
    }
    fn diluted(stake: Self, pre: Self, participation: Self, post: Self) -> Self {
        (stake * pre + participation) / post
    }
}
