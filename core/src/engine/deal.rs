//! The deal's terms in the engine's number type ([`Deal`]), converted once from the model
//! and shared by every path run on it, and the two yearly rules that carry state from year
//! to year besides the waterfall: the revenue share's cap (SPEC 3.4) and the stake's
//! dilution by rounds (SPEC section 4).
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::engine::deal::{Deal, stake_path};
//! use stakeshift_core::engine::discount_factors;
//! use stakeshift_core::model::{ModelSource, parse_model};
//!
//! let text = r#"name = "Tiny"
//! unit = "USD m"
//! start_year = 2024
//! end_year = 2025
//! valuation_year = 2024
//! discount_rate = 0.25
//! investor = { party = "fund", contributions = [[2024, 10.0]] }
//! [equity]
//! from_year = 2025
//! stake = 0.2
//! rounds = [{ year = 2025, raise = 25.0, participation = 2.5 }]
//! [profit_share]
//! residual = "founders"
//! tiers = [{ name = "Half", shares = { fund = 0.5 } }]
//! revenue_share = { rate = 0.1, from = 2024, until = 2025, total_cap = 15.0 }
//! [[trajectories]]
//! name = "only"
//! revenue = { points = [[2024, 100.0]] }
//! margin = { points = [[2024, 0.0], [2025, 0.25]] }
//! valuation = { points = [[2024, 100.0], [2025, 125.0]] }"#;
//! let source = ModelSource { text, load: &mut |_| Err("no files".into()) };
//! let model = parse_model(source).unwrap();
//! let deal = Deal::<Decimal>::of(&model, &discount_factors(&model).unwrap());
//! // 2024 is the valuation year; 2025 is discounted by 1 / 1.25 = 0.8.
//! assert_eq!(deal.discount, [Decimal::ONE, Decimal::new(8, 1)]);
//! // 10% of a revenue of 100 is 10 in 2024; the cap of 15 leaves only 5 of 2025's 10.
//! let (terms, mut paid) = (deal.revenue_share_a.unwrap(), Decimal::ZERO);
//! let hundred = Decimal::ONE_HUNDRED;
//! assert_eq!(terms.take(2024, hundred, false, &mut paid), Decimal::TEN);
//! assert_eq!(terms.take(2025, hundred, false, &mut paid), Decimal::from(5));
//! assert_eq!(paid, Decimal::from(15));
//! // The 2025 round raises 25 at a valuation of 125: pre-money 125 - 25 = 100, and the
//! // fund puts in 2.5, so its stake becomes (0.2 x 100 + 2.5) / (100 + 25) = 0.18.
//! let valuation = [hundred, Decimal::from(125)];
//! let stakes = stake_path(&deal, &valuation, Decimal::ONE).unwrap();
//! assert_eq!(stakes, [Decimal::ZERO, Decimal::new(18, 2)]);
//! // Valuations scaled by 0.2 leave the round a pre-money of 25 - 25 = 0: an error.
//! let err = stake_path(&deal, &valuation, Decimal::new(2, 1)).err().unwrap();
//! assert_eq!((err.round, err.year, err.pre_money), (0, 2025, Decimal::ZERO));
//! ```

use rust_decimal::Decimal;

use super::measures;
use super::number::{Num, WATERFALL_DP};
use super::series::{Kind, Path, value_at};
use super::waterfall::Waterfall;
use crate::model::{Model, PartyId, ProfitShare, RevenueShare, Year};

/// Everything about the deal that does not depend on the path, in the number type `N`.
#[derive(Debug, Clone)]
pub struct Deal<N = Decimal> {
    pub start_year: Year,
    pub end_year: Year,
    /// DF_t by year index (index 0 is start_year).
    pub discount: Vec<N>,
    /// In decimals, 1 / DF_t for the years whose DF_t is below 1, in parts that can be held
    /// ([`Divisor`]): a present value there is the amount divided by it where DF_t times
    /// the amount would lose digits ([`Deal::present`]). None in every other year, and in
    /// every year in f64, whose DF_t keeps its 16 digits however small it is.
    pub discount_divisor: Vec<Option<Divisor<N>>>,
    /// What the investor pays in each year (index 0 is start_year), as a positive amount.
    pub contributions: Vec<N>,
    pub investor: PartyId,
    pub parties: usize,
    pub loss_carryforward: bool,
    pub profit_share: ProfitShare,
    pub revenue_share_a: Option<RevenueShareTerms<N>>,
    pub revenue_share_b: Option<RevenueShareTerms<N>>,
    /// Index of equity.from_year.
    pub equity_from: usize,
    pub stake: N,
    pub dividend_payout: N,
    /// 1 - terminal_discount.
    pub terminal_keep: N,
    /// The rounds, ordered by year and within a year in file order.
    pub rounds: Vec<RoundTerms<N>>,
    /// The cloud side (SPEC 13), where the model has one.
    pub cloud: Option<CloudDeal<N>>,
    /// What rounding can leave in the advantage, in `N` (see [`Noise`]).
    pub noise: Noise<N>,
}

/// The sizes of what rounding can leave in an advantage ([`super::measures::ROUNDING`],
/// [`super::measures::stake_rounding`], and the noise that leaves nothing resolved), in
/// `N` once for the deal: a `Decimal`'s conversion to `f64` goes through its text, and done
/// for every path of a simulation it took 40% of the run's instructions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Noise<N> {
    /// Of each term summed: [`super::measures::ROUNDING`].
    pub rounding: N,
    /// Of each unit a stake multiplies: [`super::measures::stake_rounding`] of the rounds.
    pub stake_rounding: N,
    /// Noise that cannot be held: `Decimal::MAX`.
    pub unbounded: N,
}

/// The cloud side's terms by year (index 0 is start_year), resolved for each regime:
/// regime B's share is regime A's before equity.from_year.
#[derive(Debug, Clone)]
pub struct CloudDeal<N> {
    pub margin: N,
    /// The investor's share of the company's compute spend under regime A, by year.
    pub share_a: Vec<N>,
    /// The same under regime B.
    pub share_b: Vec<N>,
    /// Regime A's take-or-pay commitment, if any.
    pub commitments_a: Vec<CommitmentTerms<N>>,
    /// Regime B's: regime A's where it ends before equity.from_year (those years follow
    /// regime A's terms), and its own; in the order they settle.
    pub commitments_b: Vec<CommitmentTerms<N>>,
    /// By year: whether any of regime A's commitments holds it (most years, none does, and
    /// the engine then skips the commitments altogether).
    pub bound_a: Vec<bool>,
    /// The same for regime B.
    pub bound_b: Vec<bool>,
}

/// The most commitments a regime can be bound by: its own, and (regime B) regime A's where
/// it ends before equity.from_year. The engine keeps one running sum per commitment.
pub const MAX_COMMITMENTS: usize = 2;

/// A take-or-pay commitment in `N`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommitmentTerms<N> {
    pub total: N,
    pub from: Year,
    pub until: Year,
}

impl<N: Num> CloudDeal<N> {
    fn of(model: &Model) -> Option<CloudDeal<N>> {
        let cloud = model.cloud.as_ref()?;
        let share = |terms: Option<&crate::model::CloudTerms>| -> Vec<N> {
            (model.start_year..=model.end_year)
                .map(|year| {
                    terms
                        .and_then(|t| value_at(&t.share, Kind::Linear, year))
                        .map_or(N::ZERO, N::from_decimal)
                })
                .collect()
        };
        // Without `[equity.cloud]` regime B buys nothing from the investor from from_year
        // on, as a regime without a revenue share gets none.
        let share_a = share(cloud.profit_share.as_ref());
        let from = (model.equity.from_year - model.start_year) as usize;
        let own = share(cloud.equity.as_ref());
        let share_b = share_a[..from]
            .iter()
            .chain(&own[from..])
            .copied()
            .collect();
        let commitment = |terms: Option<&crate::model::CloudTerms>| {
            terms.and_then(|t| t.commitment).map(|c| CommitmentTerms {
                total: N::from_decimal(c.total),
                from: c.from,
                until: c.until,
            })
        };
        let commitments_a: Vec<_> = commitment(cloud.profit_share.as_ref())
            .into_iter()
            .collect();
        let mut commitments_b: Vec<_> = commitments_a
            .iter()
            .filter(|c| c.until < model.equity.from_year)
            .copied()
            .chain(commitment(cloud.equity.as_ref()))
            .collect();
        // By the year they settle (stably: regime A's first in the same year), so that a
        // shortfall counts towards the other commitment whose window holds its year
        // whichever ends first ([`super::regimes`]); B's own ending first was paid twice
        // (helper-77).
        commitments_b.sort_by_key(|c| c.until);
        debug_assert!(commitments_a.len() <= MAX_COMMITMENTS);
        debug_assert!(commitments_b.len() <= MAX_COMMITMENTS);
        let bound = |commitments: &[CommitmentTerms<N>]| -> Vec<bool> {
            (model.start_year..=model.end_year)
                .map(|year| {
                    commitments
                        .iter()
                        .any(|c| c.from <= year && year <= c.until)
                })
                .collect()
        };
        Some(CloudDeal {
            margin: N::from_decimal(cloud.margin),
            bound_a: bound(&commitments_a),
            bound_b: bound(&commitments_b),
            share_a,
            share_b,
            commitments_a,
            commitments_b,
        })
    }
}

/// A revenue share's terms in `N`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RevenueShareTerms<N> {
    pub rate: N,
    pub from: Year,
    pub until: Year,
    pub total_cap: Option<N>,
    pub ends_at_agi: bool,
}

/// A funding round's terms in `N`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoundTerms<N> {
    /// Its index in `equity.rounds` (for errors: `equity.rounds[i]`).
    pub index: usize,
    pub year: Year,
    pub raise: N,
    pub pre_money: Option<N>,
    pub participation: N,
}

impl<N: Num> Deal<N> {
    /// The model's deal in `N`; `discount` comes from [`super::discount_factors`].
    pub fn of(model: &Model, discount: &[Decimal]) -> Deal<N> {
        let (discount, discount_divisor) = discounting(model, discount);
        let n = model.years();
        let start = model.start_year;
        let mut contributions = vec![Decimal::ZERO; n];
        for c in &model.investor.contributions {
            contributions[(c.year - start) as usize] += c.amount;
        }
        let equity = &model.equity;
        // A stable sort by year keeps file order within a year.
        let mut rounds: Vec<RoundTerms<N>> = equity
            .rounds
            .iter()
            .enumerate()
            .map(|(index, r)| RoundTerms {
                index,
                year: r.year,
                raise: N::from_decimal(r.raise),
                pre_money: r.pre_money.map(N::from_decimal),
                participation: N::from_decimal(r.participation),
            })
            .collect();
        rounds.sort_by_key(|r| r.year);
        Deal {
            start_year: start,
            end_year: model.end_year,
            discount,
            discount_divisor,
            contributions: contributions.into_iter().map(N::from_decimal).collect(),
            investor: model.investor.party,
            parties: model.parties.len(),
            loss_carryforward: model.profit_share.loss_carryforward,
            profit_share: model.profit_share.clone(),
            revenue_share_a: model.profit_share.revenue_share.as_ref().map(terms),
            revenue_share_b: equity.revenue_share.as_ref().map(terms),
            equity_from: (equity.from_year - start) as usize,
            stake: N::from_decimal(equity.stake),
            dividend_payout: N::from_decimal(equity.dividend_payout),
            terminal_keep: N::from_decimal(Decimal::ONE - equity.terminal_discount),
            noise: Noise {
                rounding: N::from_decimal(measures::ROUNDING),
                stake_rounding: N::from_decimal(measures::stake_rounding(rounds.len())),
                unbounded: N::from_decimal(Decimal::MAX),
            },
            rounds,
            cloud: CloudDeal::of(model),
        }
    }

    /// Number of years, start_year..=end_year.
    pub fn years(&self) -> usize {
        self.discount.len()
    }

    /// `amount` of the year of index `i` at its present value: times DF_t, or, in decimals
    /// where that product would lose digits ([`Divisor::divides`]), divided by (1 + r)^(t -
    /// valuation_year) (see [`Deal::discount_divisor`]). None where it cannot be held.
    #[inline(always)]
    pub fn present(&self, i: usize, amount: N) -> Option<N> {
        self.present_sized(i, amount, amount)
    }

    /// [`Deal::present`] of `amount`, made as that of an amount of `size` would be: a
    /// difference of two flows as the larger of them (helper-206: two flows divided and
    /// their difference multiplied parted by more than the rounding bound allows).
    #[inline(always)]
    pub fn present_sized(&self, i: usize, amount: N, size: N) -> Option<N> {
        if N::EXACT
            && let Some(divisor) = self.discount_divisor[i]
            && divisor.divides(size)
        {
            return divisor.divide(amount);
        }
        amount.total_mul(self.discount[i])
    }

    /// A fresh waterfall for this deal's terms, counting in units of 1e-12 (a run in
    /// `Decimal` sets its path's own unit: [`super::Scratch::set_waterfall_unit`]).
    pub fn waterfall(&self) -> Waterfall<N> {
        Waterfall::new(
            &self.profit_share,
            self.investor,
            self.parties,
            WATERFALL_DP,
        )
    }
}

/// Below this a discount factor (DF_t < 1e-12: a rate of 1 past 40 years) is not
/// multiplied by in decimals: at 28 places it carries fewer than 17 digits, down to 3 at
/// 2^-80, so that amount x DF_t lost the amount's digits (helper-199: an NPV of 1.786899
/// printed 1.786941). The present value is the amount divided by (1 + r)^n instead, which
/// keeps them; above it the factor's 28 places hold it to 5e-17 of itself.
pub const TINY_DISCOUNT: Decimal = Decimal::from_parts(1, 0, 0, false, 12);

/// Above this an amount is not multiplied by a discount factor below 1 in decimals either:
/// the factor's 28 places are 5e-29 from it, which such an amount turns into more than
/// 5e-14 (helper-204: a cash flow of 9.7e26 x 2^-39 was 0.02 off).
pub const LARGE_AMOUNT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0); // 1e15

/// 1 / DF_t = (1 + discount_rate)^(t - valuation_year) for a year whose DF_t is below 1, as
/// a present value in decimals divides by it: by `rest`, then `chunks` times by `chunk`, a
/// power of (1 + r) (or of 1 / (1 + r) at a negative rate) below 1e27, so that a power too
/// large to hold is divided by in pieces (helper-203: 1.62^138 passed 7.9e28, and an NPV of
/// 0.009597 printed 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Divisor<N = Decimal> {
    pub rest: N,
    pub chunk: N,
    pub chunks: u32,
    /// Whether every amount of the year is divided (its factor is below [`TINY_DISCOUNT`]),
    /// else only those above [`LARGE_AMOUNT`] ([`Divisor::divides`]; the factor's test made
    /// once a year rather than once an amount).
    pub always: bool,
}

impl<N: Num> Divisor<N> {
    /// Whether a present value of `amount` in decimals is it divided by (1 + r)^n rather
    /// than times its discount factor: a tiny factor, or a large amount.
    #[inline(always)]
    pub fn divides(&self, amount: N) -> bool {
        self.always || super::measures::magnitude(amount) > N::from_decimal(LARGE_AMOUNT)
    }

    /// `amount` / (1 + r)^n; None where it cannot be held.
    pub fn divide(self, amount: N) -> Option<N> {
        let mut v = amount.checked_div(self.rest)?;
        for _ in 0..self.chunks {
            if v.is_zero() {
                break;
            }
            v = v.checked_div(self.chunk)?;
        }
        Some(v)
    }
}

/// The [`Divisor`] of `year`, whose discount factor is `factor`: where that is below 1
/// (after the valuation year at a positive rate, before it at a negative one); None
/// elsewhere, or where its parts cannot be held.
///
/// ```
/// use rust_decimal::Decimal;
/// use stakeshift_core::engine::deal::discount_divisor;
/// use stakeshift_core::model::{ModelSource, parse_model};
///
/// let text = std::fs::read_to_string("../docs/mini.toml").unwrap();
/// let mut model = parse_model(ModelSource { text: &text, load: &mut |_| Err("none".into()) }).unwrap();
/// model.discount_rate = Decimal::ONE; // (1 + r) = 2
/// let vy = model.valuation_year;
/// let two_to = |n: u32| Decimal::from_i128_with_scale(1 << n, 0);
/// // 2^80 in pieces below 1e27: 2^89 is the largest such power, so 2^80 is one piece.
/// let tiny = Decimal::new(8272, 28); // 2^-80, as 28 places hold it
/// let d = discount_divisor(&model, vy + 80, tiny).unwrap();
/// assert_eq!((d.rest, d.chunks, d.always), (two_to(80), 0, true));
/// assert_eq!(d.divide(two_to(81)), Some(Decimal::TWO));
/// // 2^200 passes what a decimal holds: 2^22 x (2^89)^2.
/// let d = discount_divisor(&model, vy + 200, Decimal::ZERO).unwrap();
/// assert_eq!((d.rest, d.chunk, d.chunks), (two_to(22), two_to(89), 2));
/// // The valuation year and before it, at a positive rate: no division.
/// assert_eq!(discount_divisor(&model, vy, Decimal::ONE), None);
/// assert_eq!(discount_divisor(&model, vy - 3, Decimal::from(8)), None);
/// // A factor that keeps its digits: only a large amount is divided.
/// let half = discount_divisor(&model, vy + 1, Decimal::new(5, 1)).unwrap();
/// assert!(!half.divides(Decimal::from(1000)) && half.divides(Decimal::from(10_i64.pow(16))));
/// // At -50% a year, 80 years before the valuation year: 0.5^80, divided by 2^80 too.
/// model.discount_rate = Decimal::new(-5, 1);
/// assert_eq!(discount_divisor(&model, vy - 80, tiny).unwrap().rest, two_to(80));
/// ```
pub fn discount_divisor(model: &Model, year: Year, factor: Decimal) -> Option<Divisor> {
    let base = Decimal::ONE + model.discount_rate;
    let n = i64::from(year - model.valuation_year);
    // The number whose n-th power DF_t is the reciprocal of, above 1; n counted up.
    let (grows, n) = match (base > Decimal::ONE, n) {
        (true, n) if n > 0 => (base, n),
        (false, n) if n < 0 && base < Decimal::ONE => (Decimal::ONE.checked_div(base)?, -n),
        _ => return None,
    };
    // The most factors of `grows` a piece takes: its power stays below 1e27.
    let per_chunk = (27.0 / grows.to_f64().log10()).floor().max(1.0) as i64;
    let (chunks, rest) = (n / per_chunk, n % per_chunk);
    Some(Divisor {
        rest: grows.checked_powi(rest)?,
        chunk: grows.checked_powi(per_chunk.min(n))?,
        chunks: u32::try_from(chunks).ok()?,
        always: factor < TINY_DISCOUNT,
    })
}

/// [`Deal::discount`] and [`Deal::discount_divisor`] in `N` from the model's factors: in
/// decimals a factor below 1 keeps the power it is the reciprocal of (its [`Divisor`]); in
/// f64 a tiny one is that reciprocal, to a double's 16 digits, and the others the factors.
fn discounting<N: Num>(model: &Model, discount: &[Decimal]) -> (Vec<N>, Vec<Option<Divisor<N>>>) {
    discount
        .iter()
        .zip(model.start_year..)
        .map(
            |(&factor, year)| match discount_divisor(model, year, factor) {
                Some(d) if N::EXACT => (
                    N::from_decimal(factor),
                    Some(Divisor {
                        rest: N::from_decimal(d.rest),
                        chunk: N::from_decimal(d.chunk),
                        chunks: d.chunks,
                        always: d.always,
                    }),
                ),
                Some(d) if factor < TINY_DISCOUNT => {
                    // 1 / (rest x chunk^chunks), each reciprocal to a double's 16 digits (0 past
                    // its range).
                    let piece = N::ONE / N::from_decimal(d.chunk);
                    let pieces = piece.checked_powi(i64::from(d.chunks)).unwrap_or(N::ZERO);
                    (N::ONE / N::from_decimal(d.rest) * pieces, None)
                }
                _ => (N::from_decimal(factor), None),
            },
        )
        .unzip()
}

fn terms<N: Num>(r: &RevenueShare) -> RevenueShareTerms<N> {
    RevenueShareTerms {
        rate: N::from_decimal(r.rate),
        from: r.from,
        until: r.until,
        total_cap: r.total_cap.map(N::from_decimal),
        ends_at_agi: r.ends_at_agi,
    }
}

impl<N: Num> RevenueShareTerms<N> {
    /// Revenue share_t (SPEC 3.4): rate * revenue in from..=until (before agi_year when it
    /// ends at AGI), never taking `paid` (the receipts so far, updated) past total_cap.
    pub fn take(&self, year: Year, revenue: N, agi_declared: bool, paid: &mut N) -> N {
        if year < self.from || year > self.until || (self.ends_at_agi && agi_declared) {
            return N::ZERO;
        }
        let mut amount = self.rate * revenue;
        if let Some(cap) = self.total_cap {
            amount = amount.min_of(cap - *paid).max_of(N::ZERO);
        }
        *paid += amount;
        amount
    }
}

/// A round whose pre-money value is not > 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PreMoneyError<N = Decimal> {
    pub round: usize,
    pub year: Year,
    pub valuation: N,
    pub raise: N,
    pub pre_money: N,
}

/// Whether a round that cannot happen is an error (`compare`: the model is wrong for that
/// trajectory) or is left out and counted (`simulate`, SPEC 10.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundPolicy {
    Error,
    Skip,
}

/// What a year's rounds did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoundsOutcome<N> {
    /// What the investor put in.
    pub participation: N,
    /// Rounds left out (only under [`RoundPolicy::Skip`]).
    pub skipped: u32,
}

/// One round as it was applied to the stake: its terms, the pre-money value it used and
/// the stake before and after it (for the ledger of `explain`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoundApplied<N = Decimal> {
    /// Its index in `equity.rounds`.
    pub index: usize,
    pub year: Year,
    /// The pre-money value used: `pre_money`, or else valuation - raise.
    pub pre_money: N,
    /// Whether `pre_money` was given in the model (else it is valuation - raise).
    pub pre_money_given: bool,
    pub raise: N,
    pub participation: N,
    pub stake_before: N,
    pub stake_after: N,
}

/// Applies the rounds of `year` to the stake `s` (SPEC section 4): each in turn, with
/// pre = pre_money, or else valuation - raise, s = (s * pre + participation) / (pre + raise).
/// `rounds[*next..]` are the rounds not yet applied, ordered by year; `*next` moves past
/// this year's. `valuation` is the year's valuation (times the break-even scale where one
/// is tried). In a `failed` year no round happens (SPEC 10.5-10.6).
#[allow(clippy::too_many_arguments)]
pub fn apply_rounds<N: Num>(
    rounds: &[RoundTerms<N>],
    next: &mut usize,
    year: Year,
    valuation: N,
    failed: bool,
    policy: RoundPolicy,
    s: &mut N,
) -> Result<RoundsOutcome<N>, PreMoneyError<N>> {
    apply_rounds_with(rounds, next, year, valuation, failed, policy, s, |_| {})
}

/// [`apply_rounds`], telling `on_round` about each round applied (rounds left out under
/// [`RoundPolicy::Skip`] are not told).
#[allow(clippy::too_many_arguments)]
// Inlined: called every year of every path, and most years have no round (an outlined
// call cost 4% of a simulation's instructions once the crate was split).
#[inline]
pub fn apply_rounds_with<N: Num>(
    rounds: &[RoundTerms<N>],
    next: &mut usize,
    year: Year,
    valuation: N,
    failed: bool,
    policy: RoundPolicy,
    s: &mut N,
    mut on_round: impl FnMut(&RoundApplied<N>),
) -> Result<RoundsOutcome<N>, PreMoneyError<N>> {
    let mut outcome = RoundsOutcome {
        participation: N::ZERO,
        skipped: 0,
    };
    while let Some(round) = rounds.get(*next).filter(|r| r.year == year) {
        *next += 1;
        let pre = match round.pre_money {
            Some(p) => p,
            None => valuation - round.raise,
        };
        let too_large = PreMoneyError {
            round: round.index,
            year,
            valuation,
            raise: round.raise,
            pre_money: pre,
        };
        if failed || pre <= N::ZERO {
            match policy {
                RoundPolicy::Skip => {
                    outcome.skipped += 1;
                    continue;
                }
                RoundPolicy::Error => return Err(too_large),
            }
        }
        let post = pre.checked_add(round.raise).ok_or(too_large)?;
        let stake_before = *s;
        *s = N::diluted(*s, pre, round.participation, post);
        outcome.participation += round.participation;
        on_round(&RoundApplied {
            index: round.index,
            year,
            pre_money: pre,
            pre_money_given: round.pre_money.is_some(),
            raise: round.raise,
            participation: round.participation,
            stake_before,
            stake_after: *s,
        });
    }
    Ok(outcome)
}

/// s_t from from_year on (SPEC section 4), with every valuation multiplied by `scale`
/// (1 for the trajectory itself; other values for the break-even search).
pub fn stake_path<N: Num>(
    deal: &Deal<N>,
    valuation: &[N],
    scale: N,
) -> Result<Vec<N>, PreMoneyError<N>> {
    let n = valuation.len();
    let mut stake = vec![N::ZERO; n];
    let mut s = deal.stake;
    let mut next = 0;
    for i in deal.equity_from..n {
        let year = deal.start_year + i as Year;
        let scaled = if deal.rounds.get(next).is_some_and(|r| r.year == year) {
            valuation[i].checked_mul(scale).ok_or(PreMoneyError {
                round: deal.rounds[next].index,
                year,
                valuation: valuation[i],
                raise: deal.rounds[next].raise,
                pre_money: valuation[i],
            })?
        } else {
            valuation[i]
        };
        apply_rounds(
            &deal.rounds,
            &mut next,
            year,
            scaled,
            false,
            RoundPolicy::Error,
            &mut s,
        )?;
        stake[i] = s;
    }
    Ok(stake)
}

/// The decimal places of the unit the waterfall counts in on `path` (a run in `Decimal`):
/// [`WATERFALL_DP`] (1e-12 of the model's unit), and one more for each power of ten by
/// which the largest amount the waterfall is sized by on this path (its yearly revenue and
/// profit, the model's `until` amounts) lies below 1, up to 28. So the unit stays within
/// 1e-12 of those amounts, and a model restated in a unit 10^k times larger (USD tn for USD
/// m) splits its small amounts to the same digits; a path whose amounts reach 1 counts in
/// 1e-12 of the unit, as before.
///
/// Where the path's revenue and profit are much smaller than its `until` amounts, or a
/// share is small, the unit follows the flows and the smallest share instead (one more
/// place for each power of ten the largest flow lies below 1, and for each the smallest
/// share does), as far as every amount the waterfall holds (the caps, grown over the
/// horizon by cap_growth, and what the years' flows can add up to) still fits a decimal's
/// 28 digits at it, with two to spare: a fund's yearly receipts of 6e-8 beside a cap of
/// 1.2e6 were counted in 1e-12 and lost 2 in 10^5 of themselves (helper-108: a break-even
/// scale of 38.88864004 for 38.88888857).
///
/// Before the valuation year at a positive rate (or after it at a negative one) a discount
/// factor is above 1 and multiplies what a unit leaves in a year's split: a place more for
/// each power of ten by which a unit times the largest factor would pass 1e-10, as far as
/// the amounts held still fit (helper-204: a receipt cut to 1e-15 at a factor of 4^25 =
/// 1.1e15 moved an NPV by 8 and gave the other deal the win).
pub fn waterfall_dp(model: &Model, path: &Path) -> u32 {
    let dp = waterfall_dp_by_amounts(model, path);
    // Only where a unit times the largest factor could reach 1e-10 (helper-206: a factor of
    // 14 made the built-in model's unit finer at 1e-15, which no printed digit shows).
    let extra = (largest_discount_power(model) - (i64::from(dp) - UNIT_TIMES_FACTOR_PLACES)).max(0);
    if extra == 0 {
        return dp;
    }
    match room_for_places(model, largest_flow(path)) {
        Some(room) => dp.max((i64::from(dp) + extra).min(room).min(28) as u32),
        None => dp,
    }
}

/// The places below the unit a unit times the largest discount factor is kept to: 1e-10
/// of the model's unit, four places below what is printed.
const UNIT_TIMES_FACTOR_PLACES: i64 = 10;

/// The largest revenue or profit of the path, in size (None where all are 0).
fn largest_flow(path: &Path) -> Option<Decimal> {
    path.revenue
        .iter()
        .chain(&path.profit)
        .map(|v| v.abs())
        .filter(|v| !v.is_zero())
        .max()
}

/// floor(log10) of the largest discount factor of the model's years, 0 where none reaches
/// 10: (1 + r)^(valuation_year - start_year) at a positive rate, (1 + r)^-(end_year -
/// valuation_year) at a negative one.
fn largest_discount_power(model: &Model) -> i64 {
    let base = (Decimal::ONE + model.discount_rate).to_f64();
    let log = base.log10();
    let before = f64::from((model.valuation_year - model.start_year).max(0)) * log;
    let after = -f64::from((model.end_year - model.valuation_year).max(0)) * log;
    let largest = before.max(after);
    if largest.is_finite() && largest > 0.0 {
        largest.floor().min(28.0) as i64
    } else {
        0
    }
}

/// The most places a unit can have with every amount the waterfall holds (the caps, grown
/// over the horizon by cap_growth, and what the years' flows can add up to) within a
/// decimal's 28 digits, two to spare; None where it holds nothing.
fn room_for_places(model: &Model, flows: Option<Decimal>) -> Option<i64> {
    // The power of ten of the largest amount held: a cap grown over the horizon, or the
    // flows of every year added up (an uncapped party's receipts).
    let years = f64::from((model.end_year - model.start_year).max(0) + 1);
    let flows_f = flows.map_or(0.0, |f| f.to_f64());
    let mut largest_held = (years * flows_f).log10();
    for t in &model.profit_share.tiers {
        let growth = t.cap_growth.to_f64().max(0.0);
        let grown_years = f64::from((model.end_year - t.cap_growth_from).max(0));
        for (_, amount) in &t.until {
            let amount = amount.abs().to_f64();
            if amount > 0.0 {
                let held = amount.log10() + grown_years * (1.0 + growth).log10();
                largest_held = largest_held.max(held);
            }
        }
    }
    if !largest_held.is_finite() {
        return None;
    }
    // Digits before the point, at least one; two more to spare for a year's sums.
    let whole_digits = (largest_held.floor() + 1.0).max(1.0);
    Some((28.0 - whole_digits - 2.0).max(0.0) as i64)
}

/// [`waterfall_dp`] by the path's amounts and shares alone.
fn waterfall_dp_by_amounts(model: &Model, path: &Path) -> u32 {
    let until: Vec<Decimal> = model
        .profit_share
        .tiers
        .iter()
        .flat_map(|t| t.until.iter().map(|(_, amount)| amount.abs()))
        .collect();
    let flows = largest_flow(path);
    let largest = flows
        .into_iter()
        .chain(until.iter().copied())
        .filter(|v| !v.is_zero())
        .max();
    let below_one = |v: Option<Decimal>| v.map_or(0, |m| (-decimal_exponent(m)).max(0));
    let sized_by_all = (i64::from(WATERFALL_DP) + below_one(largest)).min(28);
    // A slice that ends at a cap ends at room / share: a unit of room is 1 / share units of
    // profit, so the places follow the smallest share too (helper-112: rooms over shares of
    // 3e-7 ended slices 3e-6 apart where the caps, counted exactly, close at one point).
    let smallest_share = model
        .profit_share
        .tiers
        .iter()
        .flat_map(|t| t.shares.iter().map(|(_, share)| share.abs()))
        .filter(|s| !s.is_zero())
        .min();
    let sized_by_flows =
        (i64::from(WATERFALL_DP) + below_one(flows) + below_one(smallest_share)).min(28);
    if sized_by_flows <= sized_by_all {
        return sized_by_all as u32;
    }
    match room_for_places(model, flows) {
        Some(room) => sized_by_flows.min(room).max(sized_by_all) as u32,
        None => sized_by_all as u32,
    }
}

/// floor(log10(|v|)) for v other than 0: the power of ten of its leading digit.
fn decimal_exponent(v: Decimal) -> i64 {
    let digits = i64::from(v.mantissa().unsigned_abs().ilog10()) + 1;
    digits - 1 - i64::from(v.scale())
}
