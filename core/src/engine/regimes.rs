//! Both regimes, year by year, on one path (SPEC sections 3 and 4), and their measures
//! (section 5). Pure computation: no I/O, no printing.
//!
//! One loop, [`run_years`], holds the rules; [`run_path`] runs it over a whole path and
//! [`run_path_from`] from a saved [`Progress`]. It is generic over the number type ([`Num`]:
//! `Decimal` for exact money, `f64` for simulations) and over a [`Recorder`], which is the
//! detail level: `()` asks for the NPVs and the winner only (the loop then allocates
//! nothing and builds no rows; `run_path` allocates one small per-party vector for its
//! state, `run_path_from` none), [`FullRecord`] keeps every year's rows and the waterfall,
//! and later ledgers (explain) can listen to each slice, round and revenue-share payment.
//! [`run_trajectory`] is the exact run behind `compare`: the path of a trajectory, every row,
//! and the measures that need the rows (IRR, MOIC, payback, break-even scale).
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::engine::{discount_factors, run_trajectory};
//! use stakeshift_core::model::{ModelSource, parse_model};
//!
//! let text = r#"name = "Tiny"
//! unit = "USD m"
//! start_year = 2024
//! end_year = 2025
//! valuation_year = 2024
//! discount_rate = 0.25
//! investor = { party = "fund", contributions = [[2024, 10.0]] }
//! equity = { from_year = 2025, stake = 0.2 }
//! [profit_share]
//! residual = "founders"
//! tiers = [{ name = "Half", shares = { fund = 0.5 } }]
//! [[trajectories]]
//! name = "only"
//! revenue = { points = [[2024, 100.0]] }
//! margin = { points = [[2024, 0.0], [2025, 0.25]] }
//! valuation = { points = [[2024, 100.0], [2025, 125.0]] }"#;
//! let source = ModelSource { text, load: &mut |_| Err("no files".into()) };
//! let model = parse_model(source).unwrap();
//! let discount = discount_factors(&model).unwrap();
//! let result = run_trajectory(&model, &discount, &model.trajectories[0]).unwrap();
//! // Profit share: -10 in 2024, then half of 2025's profit of 100 x 0.25, 12.5. Its IRR
//! // solves -10 + 12.5 / (1 + r) = 0: r = 25%; MOIC 12.5 / 10 = 1.25; payback in 2025.
//! let a = &result.profit_share.measures;
//! assert!((a.irr.unwrap() - 0.25).abs() < 1e-12);
//! assert_eq!((a.moic, a.payback_year), (Some(Decimal::new(125, 2)), Some(2025)));
//! // Equity: no cash, but a terminal value of 20% of the 125 valuation, 25. Its IRR solves
//! // -10 + 25 / (1 + r) = 0: r = 150%.
//! let b = &result.equity.measures;
//! assert!(b.terminal_value == Decimal::from(25) && (b.irr.unwrap() - 1.5).abs() < 1e-12);
//! ```

use rust_decimal::prelude::*;

use super::deal::{
    CloudDeal, Deal, MAX_COMMITMENTS, PreMoneyError, RevenueShareTerms, RoundApplied, RoundPolicy,
    apply_rounds_with, stake_path,
};
use super::error::EngineError;
use super::measures::{self, Search, magnitude};
use super::number::Num;
use super::series::Path;
use super::waterfall::{Event, Observer, Waterfall, WaterfallError};
use crate::model::{Model, Trajectory, Year};

/// Which deal a result is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Regime {
    /// Regime A: the capped profit share.
    ProfitShare,
    /// Regime B: the equity stake.
    Equity,
}

impl Regime {
    /// The name used in CSV and JSON: `profit_share` or `equity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::ProfitShare => "profit_share",
            Regime::Equity => "equity",
        }
    }

    /// The name used in prose.
    pub fn label(self) -> &'static str {
        match self {
            Regime::ProfitShare => "profit share",
            Regime::Equity => "equity stake",
        }
    }

    /// The name used in a model's tables and charts: regime A is "revenue share" where that
    /// is all the investor gets under it ([`Model::profit_share_short`]; helper-281: a deal
    /// of a revenue share alone was "the revenue share" in its conclusion and "profit share"
    /// in every column, row and legend beside it).
    pub fn label_in(self, model: &Model) -> &'static str {
        match self {
            Regime::ProfitShare => model
                .profit_share_short()
                .strip_prefix("the ")
                .unwrap_or("profit share"),
            Regime::Equity => self.label(),
        }
    }
}

/// One year of one regime: the columns of `yearly.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRow<N = Decimal> {
    pub year: Year,
    pub revenue: N,
    pub profit: N,
    pub valuation: N,
    pub distributable: N,
    /// Paid in this year, as a positive amount.
    pub contribution: N,
    pub distribution: N,
    pub revenue_share: N,
    pub dividend: N,
    pub stake: N,
    pub holding_value: N,
    pub cash_flow: N,
    pub cumulative_cash_flow: N,
    pub discount_factor: N,
    pub present_value: N,
    /// Compute the company bought from the investor this year, a take-or-pay shortfall
    /// included (SPEC 13); 0 without a cloud side.
    pub cloud_purchases: N,
    /// The investor's margin on those purchases, part of the cash flow.
    pub cloud_income: N,
}

/// The measures of one regime on one trajectory: the columns of `summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Measures {
    pub contributions: Decimal,
    pub inflows: Decimal,
    pub terminal_value: Decimal,
    pub npv: Decimal,
    /// Cloud income over all years, and its present value (part of `inflows` and `npv`).
    pub cloud_income: Decimal,
    pub npv_cloud: Decimal,
    pub irr: Option<f64>,
    pub moic: Option<Decimal>,
    pub payback_year: Option<Year>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegimeResult {
    pub regime: Regime,
    pub rows: Vec<YearRow>,
    pub measures: Measures,
}

/// Which regime is worth more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Winner {
    Equity,
    ProfitShare,
    Tie,
}

impl Winner {
    /// The winner an NPV advantage (equity less profit share) gives (SPEC 5): a tie where
    /// it rounds to 0 at 6 decimal places, else the regime it favours.
    pub fn of<N: Num>(npv_advantage: N) -> Winner {
        if npv_advantage.is_tie() {
            Winner::Tie
        } else if npv_advantage > N::ZERO {
            Winner::Equity
        } else {
            Winner::ProfitShare
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Winner::Equity => "equity",
            Winner::ProfitShare => "profit_share",
            Winner::Tie => "tie",
        }
    }
}

/// Where regime A's distributable profit went, party by party, for charts.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallRecord {
    /// `by_party[year index][party]`.
    pub by_party: Vec<Vec<Decimal>>,
    pub events: Vec<Event>,
}

/// Both regimes on one trajectory, and how they compare.
#[derive(Debug, Clone, PartialEq)]
pub struct TrajectoryResult {
    pub name: String,
    pub description: Option<String>,
    pub agi_year: Option<Year>,
    pub profit_share: RegimeResult,
    pub equity: RegimeResult,
    pub waterfall: WaterfallRecord,
    /// NPV(equity) - NPV(profit share).
    pub npv_advantage: Decimal,
    pub winner: Winner,
    /// The factor on every valuation at which the two NPVs are equal, if any in (0, 1000].
    pub breakeven_scale: Option<Decimal>,
}

impl TrajectoryResult {
    pub fn regime(&self, regime: Regime) -> &RegimeResult {
        match regime {
            Regime::ProfitShare => &self.profit_share,
            Regime::Equity => &self.equity,
        }
    }
}

/// `(1 + r)` as a formula reads: `(1 - 0.9)` for a rate of -0.9, not `(1 + -0.9)`
/// (helper-153).
pub fn one_plus(rate: Decimal) -> String {
    let rate = rate.normalize();
    if rate.is_sign_negative() && !rate.is_zero() {
        format!("(1 - {})", -rate)
    } else {
        format!("(1 + {rate})")
    }
}

/// DF_t = (1 + discount_rate)^-(t - valuation_year) for every year of the model.
pub fn discount_factors(model: &Model) -> Result<Vec<Decimal>, EngineError> {
    let base = Decimal::ONE + model.discount_rate;
    (model.start_year..=model.end_year)
        .map(|year| {
            let n = i64::from(year - model.valuation_year);
            // After the valuation year, power the reciprocal: a factor that shrinks past the
            // 28th decimal becomes 0 instead of overflowing as 1 / (1 + r)^n would.
            let df = if n <= 0 {
                base.checked_powi(-n)
            } else {
                Decimal::ONE.checked_div(base).and_then(|inv| inv.checked_powi(n))
            };
            df.ok_or_else(|| EngineError {
                trajectory: String::new(),
                year: Some(year),
                field: "discount_rate".into(),
                message: format!("the discount factor {}^{} is too large to hold; use a discount rate nearer 0 or fewer years", one_plus(model.discount_rate), -n),
            })
        })
        .collect()
}

/// A ready path for the engine: the company's yearly values (index 0 is start_year) and the
/// years AGI is declared and the company fails, where they are.
#[derive(Debug, Clone, Copy)]
pub struct PathRef<'a, N> {
    pub revenue: &'a [N],
    pub profit: &'a [N],
    pub valuation: &'a [N],
    /// The company's compute spend each year (SPEC 13); may be empty when the deal has no
    /// cloud side.
    pub spend: &'a [N],
    pub agi_year: Option<Year>,
    /// From this year on the path's values are 0 (the caller zeroes them) and no round happens.
    pub failure_year: Option<Year>,
}

/// What [`run_path`] reports to its caller as it goes: the detail level. Every method does
/// nothing by default, and `()` is the recorder that wants nothing (NPVs and winner only).
pub trait Recorder<N>: Observer<N> {
    /// A regime's year, with its running totals (cumulative cash flow, present value).
    fn row(&mut self, _regime: Regime, _row: &YearRow<N>) {}
    /// Regime A's split of the year's distributable profit, by party.
    fn split(&mut self, _year: Year, _by_party: &[N]) {}
    /// The carried loss before and after the year's profit (with loss carryforward).
    fn carried_loss(&mut self, _year: Year, _before: N, _after: N) {}
    /// A regime's revenue share for the year, with the receipts so far after it.
    fn revenue_share(&mut self, _regime: Regime, _year: Year, _amount: N, _paid_so_far: N) {}
    /// The stake before and after the year's rounds, and how many rounds were left out.
    fn rounds(&mut self, _year: Year, _stake_before: N, _stake_after: N, _skipped: u32) {}
    /// A year begins (before anything else of it is told): whether AGI has been declared
    /// by it.
    fn year(&mut self, _year: Year, _agi_declared: bool) {}
    /// One round applied to the stake, in the order applied (before [`Recorder::rounds`]).
    fn round(&mut self, _round: &RoundApplied<N>) {}
    /// A regime's take-or-pay shortfall added to the year's cloud purchases (SPEC 13), in a
    /// year that has one.
    fn cloud_shortfall(&mut self, _regime: Regime, _year: Year, _shortfall: N) {}

    /// Whether the run keeps every total of [`Totals`] (and the rows' cumulative cash
    /// flow): a const, so that a recorder that wants the NPVs only ([`NpvOnly`]) runs
    /// without the other running sums.
    const TOTALS: bool = true;

    /// Whether the run splits regime A's distributable profit in a year in which the
    /// investor can receive nothing more from the waterfall
    /// ([`Waterfall::investor_receives_nothing_more`]). Where false such years are not
    /// split (the investor's receipt is 0, as the split would give), [`Recorder::split`]
    /// is not told of them and the other parties' receipts stop being counted, so the run
    /// must not be resumed from: a recorder of NPVs ([`NpvOnly`]) needs nothing more.
    const SPLITS: bool = true;
}

impl<N> Recorder<N> for () {}

/// The recorder of a simulation's paths: the NPVs, the winner and the rounds left out, and
/// nothing else. Of the [`Totals`] it keeps `npv` and `terminal_value`; the others are 0
/// (not summed: a seventh of a path's work; nor checked for being finite, which the NPV is
/// wherever a cash flow is), and the rows' `cumulative_cash_flow` is 0.
#[derive(Debug, Clone, Copy, Default)]
pub struct NpvOnly;

impl<N> Observer<N> for NpvOnly {}

impl<N> Recorder<N> for NpvOnly {
    const TOTALS: bool = false;
    const SPLITS: bool = false;
}

/// Sums over one regime on one path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Totals<N> {
    pub contributions: N,
    pub inflows: N,
    pub terminal_value: N,
    pub npv: N,
    /// Cloud income over all years, and its present value.
    pub cloud_income: N,
    pub npv_cloud: N,
}

/// Both regimes on one path: what a simulation keeps of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome<N> {
    pub profit_share: Totals<N>,
    pub equity: Totals<N>,
    /// NPV(equity) - NPV(profit share).
    pub npv_advantage: N,
    /// What rounding can have left in `npv_advantage` (see [`measures::resolved`]): in
    /// exact decimals, 1e-26 of the years in which the two deals' flows differ and of the
    /// terminal value, and what the stake's own rounding reaches, discounted; else 1e-26 of
    /// the two NPVs. A decimal's largest where it could not be held.
    pub advantage_noise: N,
    pub winner: Winner,
    /// Rounds that did not happen (only under [`RoundPolicy::Skip`]).
    pub skipped_rounds: u32,
}

/// What [`run_path`] reuses from one path to the next: the waterfall's state and the
/// per-party split, so that a path costs no allocation in the loop.
#[derive(Debug, Clone)]
pub struct Scratch<N> {
    waterfall: Waterfall<N>,
    split: Vec<N>,
    /// Whether `split` is all zeros (so that a year without a split need not clear it).
    split_zero: bool,
}

impl<N: Num> Scratch<N> {
    pub fn new(deal: &Deal<N>) -> Self {
        Scratch {
            waterfall: deal.waterfall(),
            split: vec![N::ZERO; deal.parties],
            split_zero: true,
        }
    }

    /// The waterfall counts in units of `dp` decimal places on the next paths
    /// ([`super::deal::waterfall_dp`]; only `Decimal` rounds to it).
    pub fn set_waterfall_unit(&mut self, dp: u32) {
        self.waterfall.set_unit(dp);
    }
}

/// A running total of one regime, with the row it builds.
#[derive(Debug, Clone, Copy)]
struct Running<N> {
    cumulative: N,
    npv: N,
    contributions: N,
    inflows: N,
    cloud_income: N,
    npv_cloud: N,
    /// Purchases so far inside each take-or-pay commitment's window.
    committed: [N; MAX_COMMITMENTS],
}

impl<N: Num> Running<N> {
    fn new() -> Self {
        Running {
            cumulative: N::ZERO,
            npv: N::ZERO,
            contributions: N::ZERO,
            inflows: N::ZERO,
            cloud_income: N::ZERO,
            npv_cloud: N::ZERO,
            committed: [N::ZERO; MAX_COMMITMENTS],
        }
    }

    /// The year's cloud purchases and income (SPEC 13): share * spend, and in a
    /// commitment's last year the shortfall of the window's purchases below its total,
    /// unless the company has failed (an unmet commitment then lapses); `recorder` hears of
    /// a shortfall. Inlined, with the commitments' bookkeeping out of line and skipped in
    /// the years no commitment holds (a million paths of the built-in model: a call of 48
    /// instructions on average, twice a year, was an eighth of a simulation's).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn cloud<R: Recorder<N>>(
        &mut self,
        cloud: &CloudDeal<N>,
        regime: Regime,
        i: usize,
        year: Year,
        spend: N,
        failed: bool,
        recorder: &mut R,
    ) -> Option<(N, N)> {
        let (share, commitments, bound) = match regime {
            Regime::ProfitShare => (cloud.share_a[i], &cloud.commitments_a, cloud.bound_a[i]),
            Regime::Equity => (cloud.share_b[i], &cloud.commitments_b, cloud.bound_b[i]),
        };
        let bought = share.total_mul(spend)?;
        let purchases = if bound {
            self.commit(commitments, regime, year, bought, failed, recorder)?
        } else {
            bought
        };
        Some((purchases, cloud.margin.total_mul(purchases)?))
    }

    /// The year's purchases, `bought` and any shortfall, counted towards the commitments
    /// whose windows hold `year` (see [`Running::cloud`]).
    #[inline(never)]
    fn commit<R: Recorder<N>>(
        &mut self,
        commitments: &[super::deal::CommitmentTerms<N>],
        regime: Regime,
        year: Year,
        bought: N,
        failed: bool,
        recorder: &mut R,
    ) -> Option<N> {
        let mut purchases = bought;
        let holds = |c: &super::deal::CommitmentTerms<N>| c.from <= year && year <= c.until;
        for (k, c) in commitments.iter().enumerate() {
            if !holds(c) {
                continue;
            }
            self.committed[k] = self.committed[k].total_add(bought)?;
            let so_far = self.committed[k];
            if year == c.until && !failed && so_far < c.total {
                let shortfall = c.total - so_far;
                recorder.cloud_shortfall(regime, year, shortfall);
                purchases = purchases.total_add(shortfall)?;
                // The shortfall is a purchase of the year (SPEC 13: added to that year's
                // purchases), so it counts towards the regime's other commitments whose
                // windows hold the year: regime B's own, where regime A's (which B also
                // owes, ending before from_year) ends inside it, or A's, where B's own ends
                // first. (They are listed by when they settle, so a later one sees it before
                // its own last year.)
                for (j, other) in commitments.iter().enumerate().skip(k + 1) {
                    if holds(other) {
                        self.committed[j] = self.committed[j].total_add(shortfall)?;
                    }
                }
            }
        }
        Some(purchases)
    }

    /// [`Running::cloud`] for the deal's cloud side, if it has one ((0, 0) without); an
    /// amount too large to hold is an error naming the year. (Kept apart from `cloud`,
    /// whose body stays a plain `Option` function: the two merged into one, errors built
    /// inside the loop, made a million paths 3-4% slower, `bench/alternate.py`, 16 runs,
    /// 2026-12-05. What stays out of line is the commitments' bookkeeping,
    /// [`Running::commit`].)
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn cloud_flows<R: Recorder<N>>(
        &mut self,
        deal: &Deal<N>,
        regime: Regime,
        i: usize,
        year: Year,
        spend: N,
        failed: bool,
        recorder: &mut R,
    ) -> Result<(N, N), EngineError> {
        match &deal.cloud {
            Some(cloud) => self
                .cloud(cloud, regime, i, year, spend, failed, recorder)
                .ok_or_else(|| cloud_too_large(year)),
            None => Ok((N::ZERO, N::ZERO)),
        }
    }

    /// Adds the flows of the year of index `i` (with `all` false, to the NPV only); None
    /// where a total cannot be held.
    #[inline(always)]
    fn add(&mut self, deal: &Deal<N>, i: usize, row: &mut YearRow<N>, all: bool) -> Option<()> {
        row.discount_factor = deal.discount[i];
        row.present_value = deal.present(i, row.cash_flow)?;
        self.npv = self.npv.total_add(row.present_value)?;
        if all {
            self.cumulative = self.cumulative.total_add(row.cash_flow)?;
            row.cumulative_cash_flow = self.cumulative;
            self.contributions += row.contribution;
            self.inflows += row.distribution + row.revenue_share + row.dividend + row.cloud_income;
            self.cloud_income = self.cloud_income.total_add(row.cloud_income)?;
            self.npv_cloud = self
                .npv_cloud
                .total_add(deal.present(i, row.cloud_income)?)?;
        }
        Some(())
    }

    /// The regime's totals; None where one cannot be held (for `f64`, where one is not
    /// finite: the once-a-path check of [`Num::total_add`]). With `all` false, only the NPV
    /// and the terminal value (the others, not summed by [`Running::add`], are 0).
    /// `terminal_present`: the terminal value's present value, at end_year.
    fn totals(&self, terminal_value: N, terminal_present: N, all: bool) -> Option<Totals<N>> {
        let kept = |v: N| if all { v } else { N::ZERO };
        let totals = Totals {
            contributions: kept(self.contributions),
            inflows: kept(self.inflows),
            terminal_value,
            npv: self.npv.total_add(terminal_present)?,
            cloud_income: kept(self.cloud_income),
            npv_cloud: kept(self.npv_cloud),
        };
        // Every running total of the regime flows into one of these (a cash flow that is
        // not finite makes the NPV so, the discount factors being finite and > 0).
        [
            totals.contributions,
            totals.inflows,
            totals.terminal_value,
            totals.npv,
            totals.cloud_income,
            totals.npv_cloud,
        ]
        .iter()
        .all(|v| v.is_finite())
        .then_some(totals)
    }
}

/// What both regimes' rows of a year share: the path's values and D_t.
#[derive(Clone, Copy)]
struct YearBasis<N> {
    year: Year,
    revenue: N,
    profit: N,
    valuation: N,
    distributable: N,
}

/// A regime's flows in a year (SPEC 3 and 4; regime A's dividend, stake and holding value
/// are 0); `cloud` is (purchases, income).
struct Flows<N> {
    contribution: N,
    distribution: N,
    revenue_share: N,
    dividend: N,
    stake: N,
    holding_value: N,
    cloud: (N, N),
}

impl<N: Num> YearBasis<N> {
    /// The regime's row of the year: its cash flow, written once for both regimes, is what
    /// comes in (distribution, revenue share, dividend, cloud income) less what is paid in.
    /// The running totals are filled in by [`Running::add`].
    #[inline(always)]
    fn row(self, f: Flows<N>) -> YearRow<N> {
        let (cloud_purchases, cloud_income) = f.cloud;
        YearRow {
            year: self.year,
            revenue: self.revenue,
            profit: self.profit,
            valuation: self.valuation,
            distributable: self.distributable,
            contribution: f.contribution,
            distribution: f.distribution,
            revenue_share: f.revenue_share,
            dividend: f.dividend,
            stake: f.stake,
            holding_value: f.holding_value,
            cash_flow: -f.contribution
                + f.distribution
                + f.revenue_share
                + f.dividend
                + cloud_income,
            cumulative_cash_flow: N::ZERO,
            discount_factor: N::ZERO,
            present_value: N::ZERO,
            cloud_purchases,
            cloud_income,
        }
    }
}

/// A regime's revenue share of the year (SPEC 3.4), told to `recorder`; 0 without one.
#[inline(always)]
fn take_revenue_share<N: Num, R: Recorder<N>>(
    terms: Option<&RevenueShareTerms<N>>,
    regime: Regime,
    year: Year,
    revenue: N,
    agi: bool,
    paid: &mut N,
    recorder: &mut R,
) -> N {
    match terms {
        Some(t) => {
            let amount = t.take(year, revenue, agi, paid);
            recorder.revenue_share(regime, year, amount, *paid);
            amount
        }
        None => N::ZERO,
    }
}

/// An error of [`run_path`], before it is given the trajectory's name.
fn path_error(year: Option<Year>, field: &str, message: impl Into<String>) -> EngineError {
    EngineError {
        trajectory: String::new(),
        year,
        field: field.to_string(),
        message: message.into(),
    }
}

/// A regime's running totals (present values, sums) past what the number type holds: in
/// exact decimals usually a discount factor grown huge (a rate near -1 far from the
/// valuation year), or amounts near 7.9e28.
#[cold]
#[inline(never)]
fn totals_too_large(regime: Regime, year: Option<Year>) -> EngineError {
    path_error(
        year,
        "",
        format!(
            "the {}'s totals (its present values and sums) are too large to hold: the amounts are too large, or the discount factor (1 + discount_rate)^-(t - valuation_year) is too large (a rate near -1, far from valuation_year)",
            regime.label()
        ),
    )
}

fn cloud_too_large(year: Year) -> EngineError {
    path_error(
        Some(year),
        "cloud",
        "the cloud purchases are too large to hold",
    )
}

/// The message for a round that cannot happen.
fn pre_money_error<N: Num>(e: PreMoneyError<N>) -> EngineError {
    let message = if e.pre_money > N::ZERO {
        "the round's post-money value is too large to hold".to_string()
    } else {
        format!(
            "the round's pre-money value would be {} (valuation {} minus raise {}); it must be greater than 0: give the round a `pre_money` or raise the trajectory's valuation",
            fmt_num(e.pre_money),
            fmt_num(e.valuation),
            fmt_num(e.raise)
        )
    };
    path_error(
        Some(e.year),
        &format!("equity.rounds[{}]", e.round),
        message,
    )
}

/// A number in an error message: as the model writes it (125.0) where it has at most 6
/// places; else rounded as the outputs print an amount, to 6 places without trailing zeros
/// (an interpolated valuation carries 16: 643.5259006574430000 is said 643.525901); beyond
/// what a Decimal holds (an f64 only), or too small for 6 places to show, in scientific
/// notation.
fn fmt_num<N: Num>(v: N) -> String {
    let f = v.to_f64();
    if !f.is_finite() || f.abs() >= 1e27 {
        return format!("{f:e}");
    }
    let d = v.to_decimal();
    if d.scale() <= 6 {
        return d.to_string();
    }
    let shown = super::number::printed(d, 6).normalize();
    if shown.is_zero() && !d.is_zero() {
        // Below what 6 places show (a valuation of 1e-28 was said "0"): its own digits.
        format!("{f:e}")
    } else {
        shown.to_string()
    }
}

/// Where a run on one path stands after its first years: everything the later years
/// depend on. A simulation runs the years before its first random year once per center
/// ([`run_years`]) and starts each of the center's paths from there ([`run_path_from`]):
/// those years are the center's own on every path, so the result is the same as a run
/// from the start, and their work is done once instead of once per path.
#[derive(Debug, Clone)]
pub struct Progress<N> {
    /// The next year to run, as an index (0 is start_year).
    next: usize,
    carried: N,
    paid_a: N,
    paid_b: N,
    stake: N,
    next_round: usize,
    skipped_rounds: u32,
    a: Running<N>,
    b: Running<N>,
    holding_end: N,
    /// In exact decimals, the NPV advantage so far summed year by year, sum (cash flow
    /// under the stake - cash flow under the profit share) x discount factor: the
    /// difference of the two NPVs without their size (NPVs of 7.6e25 hold 2 decimals, and
    /// their difference printed -0.001000 for -0.00125; helper-87). None where a partial
    /// sum could not be held (the NPVs' difference is then used); 0 and unused in f64.
    advantage: Option<N>,
    /// What rounding can have left in `advantage`: sum over years in which the two deals'
    /// cash flows differ of 1e-26 (|one| + |the other|) x discount factor (years they share,
    /// such as those before from_year, cancel exactly and carry no rounding into it), and
    /// of what the stake's own rounding reaches ([`measures::stake_rounding`]). None where
    /// it could not be held (then nothing near it is resolved).
    advantage_noise: Option<N>,
    /// The waterfall's cumulative receipts by party.
    received: Vec<N>,
}

impl<N: Num> Progress<N> {
    /// Before the first year.
    pub fn start(deal: &Deal<N>) -> Self {
        Progress {
            next: 0,
            carried: N::ZERO,
            paid_a: N::ZERO,
            paid_b: N::ZERO,
            stake: deal.stake,
            next_round: 0,
            skipped_rounds: 0,
            a: Running::new(),
            b: Running::new(),
            holding_end: N::ZERO,
            advantage: Some(N::ZERO),
            advantage_noise: Some(N::ZERO),
            received: vec![N::ZERO; deal.parties],
        }
    }

    /// The next year to run, as an index (0 is start_year).
    pub fn next_year_index(&self) -> usize {
        self.next
    }

    /// What the waterfall has paid so far, all parties together.
    pub fn paid_out(&self) -> N {
        self.received.iter().fold(N::ZERO, |sum, r| sum + *r)
    }

    /// Becomes `other` except for the waterfall's receipts (once per simulated path: a run
    /// resumed for the last time reads them from where it resumes, see [`Receipts`]).
    fn set_all_but_receipts_to(&mut self, other: &Progress<N>) {
        let Progress {
            next,
            carried,
            paid_a,
            paid_b,
            stake,
            next_round,
            skipped_rounds,
            a,
            b,
            holding_end,
            advantage,
            advantage_noise,
            received: _,
        } = other;
        self.next = *next;
        self.carried = *carried;
        self.paid_a = *paid_a;
        self.paid_b = *paid_b;
        self.stake = *stake;
        self.next_round = *next_round;
        self.skipped_rounds = *skipped_rounds;
        self.a = *a;
        self.b = *b;
        self.holding_end = *holding_end;
        self.advantage = *advantage;
        self.advantage_noise = *advantage_noise;
    }
}

/// Where [`run_years`] finds the waterfall's receipts so far, and whether it keeps them in
/// the progress at the end: a run resumed for the last time ([`run_path_from`]) reads them
/// from the progress it resumes from and keeps nothing (two copies a path fewer).
#[derive(Clone, Copy)]
enum Receipts<'a, N> {
    /// In the progress itself, kept there at the end.
    Kept,
    /// These, not kept at the end.
    From(&'a [N]),
}

/// Runs both regimes on `path` (SPEC sections 3 to 5), telling `recorder` what it asks for.
/// Errors name the year and field but not the trajectory (the caller knows it).
#[inline(always)]
pub fn run_path<N: Num, R: Recorder<N>>(
    deal: &Deal<N>,
    path: PathRef<'_, N>,
    policy: RoundPolicy,
    scratch: &mut Scratch<N>,
    recorder: &mut R,
) -> Result<Outcome<N>, EngineError> {
    let mut progress = Progress::start(deal);
    run_years(
        deal,
        path,
        deal.years(),
        policy,
        scratch,
        &mut progress,
        recorder,
    )?;
    finish(deal, &progress, R::TOTALS)
}

/// As [`run_path`], from where `from` stands: a [`Progress`] of the same deal that
/// [`run_years`] made on a path whose years before `from`'s next year are this path's.
/// `progress` is where the run's state is kept (reused from path to path); it ends at the
/// path's end except for the waterfall's receipts, which it does not keep (so it is not a
/// progress to resume from).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub fn run_path_from<N: Num, R: Recorder<N>>(
    deal: &Deal<N>,
    path: PathRef<'_, N>,
    policy: RoundPolicy,
    scratch: &mut Scratch<N>,
    from: &Progress<N>,
    progress: &mut Progress<N>,
    recorder: &mut R,
) -> Result<Outcome<N>, EngineError> {
    progress.set_all_but_receipts_to(from);
    years(
        deal,
        path,
        deal.years(),
        policy,
        scratch,
        progress,
        Receipts::From(&from.received),
        recorder,
    )?;
    finish(deal, progress, R::TOTALS)
}

/// Runs both regimes on `path` from `progress`'s next year up to (not including) the year
/// index `until`, and leaves `progress` there. After an error `progress` is left part-way
/// through a year and must not be resumed.
#[inline(always)]
pub fn run_years<N: Num, R: Recorder<N>>(
    deal: &Deal<N>,
    path: PathRef<'_, N>,
    until: usize,
    policy: RoundPolicy,
    scratch: &mut Scratch<N>,
    progress: &mut Progress<N>,
    recorder: &mut R,
) -> Result<(), EngineError> {
    years(
        deal,
        path,
        until,
        policy,
        scratch,
        progress,
        Receipts::Kept,
        recorder,
    )
}

/// [`run_years`], with the waterfall's receipts where `receipts` says.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn years<N: Num, R: Recorder<N>>(
    deal: &Deal<N>,
    path: PathRef<'_, N>,
    until: usize,
    policy: RoundPolicy,
    scratch: &mut Scratch<N>,
    progress: &mut Progress<N>,
    receipts: Receipts<'_, N>,
    recorder: &mut R,
) -> Result<(), EngineError> {
    let n = until.min(deal.years());
    let start = deal.start_year;
    if N::BOUNDED {
        check_sums_fit(start, &path)
    } else {
        Ok(())
    }
    .map_err(|(year, what)| {
        path_error(
            Some(year),
            "",
            format!("the running total of {what} is too large to hold in a 28-digit decimal"),
        )
    })?;
    let waterfall = &mut scratch.waterfall;
    match receipts {
        Receipts::Kept => waterfall.restore(&progress.received),
        Receipts::From(received) => waterfall.restore(received),
    }
    let split = &mut scratch.split;
    let split_zero = &mut scratch.split_zero;

    let Progress {
        next,
        carried,
        paid_a,
        paid_b,
        stake,
        next_round,
        skipped_rounds,
        a,
        b,
        holding_end,
        advantage,
        advantage_noise,
        received,
    } = progress;
    let too_large = |regime: Regime, year: Year| totals_too_large(regime, Some(year));
    let (rounding, stake_rounding) = (deal.noise.rounding, deal.noise.stake_rounding);

    // Sliced to the years run, so that the loop's indexing needs no bounds checks.
    let (revenues, profits, valuations) =
        (&path.revenue[..n], &path.profit[..n], &path.valuation[..n]);
    let contributions = &deal.contributions[..n];
    for i in *next..n {
        let year = start + i as Year;
        let agi = path.agi_year.is_some_and(|a| year >= a);
        let failed = path.failure_year.is_some_and(|f| year >= f);
        let (revenue, profit, valuation) = (revenues[i], profits[i], valuations[i]);
        recorder.year(year, agi);

        // D_t: with loss carryforward, losses are earned back before anything is
        // distributable. D_t is exactly profit less what it paid down (not rounded to the
        // waterfall's unit: the digits below it went to nobody, and profit less the
        // carried loss paid down missed D_t by them in the ledger; helper-112): the
        // waterfall's payments are whole units and the residual takes the rest of each
        // slice, digits and all, so the split is still exact.
        let distributable = if deal.loss_carryforward {
            let before = *carried;
            let d = if profit < N::ZERO {
                *carried -= profit;
                N::ZERO
            } else {
                let paid_down = profit.min_of(*carried);
                *carried -= paid_down;
                profit - paid_down
            };
            recorder.carried_loss(year, before, *carried);
            d
        } else {
            profit.max_of(N::ZERO)
        };

        // Regime A's waterfall, which regime B also follows before from_year. A year with
        // nothing to distribute splits nothing: the waterfall is run only where it has work
        // (and, for a recorder that does not want the split, only while the investor can
        // still receive something from it).
        let has_work = distributable > N::ZERO || waterfall.works_on_nothing();
        let receipt = if has_work && !R::SPLITS && waterfall.investor_receives_nothing_more(agi) {
            N::ZERO
        } else {
            if has_work {
                split.fill(N::ZERO);
                *split_zero = false;
                waterfall
                    .distribute(year, distributable, agi, split, recorder)
                    .map_err(|e| match e {
                        WaterfallError::CapOverflow { tier } => path_error(
                            Some(year),
                            &format!("profit_share.tiers[{tier}].cap_growth"),
                            "the grown `until` amounts are too large to hold",
                        ),
                        WaterfallError::NoProgress { tier } => path_error(
                            Some(year),
                            &format!("profit_share.tiers[{tier}]"),
                            "the waterfall made a slice that closed no cap (a party named twice in the tier, or shares adding up to more than 1); the split was stopped",
                        ),
                    })?;
            } else if !*split_zero {
                split.fill(N::ZERO);
                *split_zero = true;
            }
            recorder.split(year, split);
            split[deal.investor]
        };
        let contribution = contributions[i];

        // What both regimes' rows of the year share.
        let the_year = YearBasis {
            year,
            revenue,
            profit,
            valuation,
            distributable,
        };
        let spend = path.spend.get(i).copied().unwrap_or(N::ZERO);

        // Regime A.
        let revenue_share = take_revenue_share(
            deal.revenue_share_a.as_ref(),
            Regime::ProfitShare,
            year,
            revenue,
            agi,
            paid_a,
            recorder,
        );
        let cloud = a.cloud_flows(deal, Regime::ProfitShare, i, year, spend, failed, recorder)?;
        let mut row = the_year.row(Flows {
            contribution,
            distribution: receipt,
            revenue_share,
            dividend: N::ZERO,
            stake: N::ZERO,
            holding_value: N::ZERO,
            cloud,
        });
        a.add(deal, i, &mut row, R::TOTALS)
            .ok_or_else(|| too_large(Regime::ProfitShare, year))?;
        recorder.row(Regime::ProfitShare, &row);
        let (cash_flow_a, present_a) = (row.cash_flow, row.present_value);

        // Regime B.
        let held = i >= deal.equity_from;
        let mut participation = N::ZERO;
        if held {
            let before = *stake;
            let rounds = apply_rounds_with(
                &deal.rounds,
                next_round,
                year,
                valuation,
                failed,
                policy,
                stake,
                |round| recorder.round(round),
            )
            .map_err(pre_money_error)?;
            participation = rounds.participation;
            *skipped_rounds += rounds.skipped;
            recorder.rounds(year, before, *stake, rounds.skipped);
        }
        let revenue_share = take_revenue_share(
            deal.revenue_share_b.as_ref(),
            Regime::Equity,
            year,
            revenue,
            agi,
            paid_b,
            recorder,
        );
        let (distribution, dividend, held_stake, holding_value) = if held {
            let dividend = dividend_of(deal, distributable, *stake)
                .ok_or_else(|| path_error(Some(year), "", "the dividend is too large to hold"))?;
            let holding = stake_value(*stake, valuation).ok_or_else(|| {
                path_error(Some(year), "", "the stake's value is too large to hold")
            })?;
            (N::ZERO, dividend, *stake, holding)
        } else {
            (receipt, N::ZERO, N::ZERO, N::ZERO)
        };
        let cloud = b.cloud_flows(deal, Regime::Equity, i, year, spend, failed, recorder)?;
        let mut row = the_year.row(Flows {
            contribution: contribution + participation,
            distribution,
            revenue_share,
            dividend,
            stake: held_stake,
            holding_value,
            cloud,
        });
        b.add(deal, i, &mut row, R::TOTALS)
            .ok_or_else(|| too_large(Regime::Equity, year))?;
        recorder.row(Regime::Equity, &row);
        *holding_end = holding_value;
        if N::EXACT {
            if row.cash_flow != cash_flow_a {
                *advantage = advantage.and_then(|sum| {
                    let larger = magnitude(row.cash_flow).max_of(magnitude(cash_flow_a));
                    let difference = row.cash_flow.checked_sub(cash_flow_a)?;
                    sum.checked_add(deal.present_sized(i, difference, larger)?)
                });
                // 1e-26 of each flow at its present value, as the rows hold them (a factor
                // that rounds to 0 is no bound: Deal::present).
                *advantage_noise = advantage_noise.and_then(|sum| {
                    let year = magnitude(row.present_value).checked_add(magnitude(present_a))?;
                    sum.checked_add(year.checked_mul(rounding)?)
                });
            }
            // What the stake's own rounding reaches: a dividend carries payout x D of it and
            // the terminal value the valuation (x what is kept) (helper-91: a stake of 1e-17
            // at a discount factor of 1e10 made a "root" of its rounding).
            if held {
                let dividends = deal.dividend_payout * magnitude(distributable);
                let terminal = if i + 1 == deal.years() {
                    magnitude(valuation) * deal.terminal_keep
                } else {
                    N::ZERO
                };
                *advantage_noise = advantage_noise.and_then(|sum| {
                    let reach = dividends
                        .checked_add(terminal)?
                        .checked_mul(stake_rounding)?;
                    sum.checked_add(deal.present(i, reach)?)
                });
            }
        }
    }

    if let Receipts::Kept = receipts {
        received.clear();
        received.extend_from_slice(waterfall.received());
    }
    *next = (*next).max(n);
    Ok(())
}

/// The totals, NPVs and winner of a run that has reached its last year.
/// `all`: whether to report every total ([`Recorder::TOTALS`]).
fn finish<N: Num>(
    deal: &Deal<N>,
    progress: &Progress<N>,
    all: bool,
) -> Result<Outcome<N>, EngineError> {
    // In exact decimals every yearly total was checked as it was added, so only the
    // terminal value's present value, at end_year, is new here; in f64 a total that left
    // the finite range may have done so in any year.
    let end_year = deal.start_year + deal.years() as Year - 1;
    let too_large = |regime: Regime| totals_too_large(regime, N::BOUNDED.then_some(end_year));
    let profit_share = progress
        .a
        .totals(N::ZERO, N::ZERO, all)
        .ok_or_else(|| too_large(Regime::ProfitShare))?;
    let terminal = terminal_value(deal, progress.holding_end);
    // At end_year's discount (as it is, where a deal of no years has none).
    let terminal_present = match deal.years().checked_sub(1) {
        Some(last) => deal.present(last, terminal),
        None => Some(terminal),
    };
    let equity = terminal_present
        .and_then(|present| progress.b.totals(terminal, present, all))
        .ok_or_else(|| too_large(Regime::Equity))?;
    // In exact decimals, summed year by year (see `Progress::advantage`), where it could be
    // held; else the NPVs' difference.
    let by_years = progress
        .advantage
        .filter(|_| N::EXACT)
        .and_then(|sum| sum.checked_add(terminal_present?));
    let rounding = deal.noise.rounding;
    // Noise that cannot be held leaves nothing near it resolved.
    let unbounded = deal.noise.unbounded;
    let by_years_noise = progress
        .advantage_noise
        .zip(terminal_present)
        .and_then(|(sum, present)| sum.checked_add(magnitude(present).checked_mul(rounding)?))
        .unwrap_or(unbounded);
    let npv_noise = || {
        let noise = |npv: N| magnitude(npv).checked_mul(rounding);
        noise(equity.npv)
            .zip(noise(profit_share.npv))
            .and_then(|(a, b)| a.checked_add(b))
            .unwrap_or(unbounded)
    };
    let (npv_advantage, advantage_noise) = match by_years {
        Some(advantage) => (advantage, by_years_noise),
        None => (
            equity
                .npv
                .checked_sub(profit_share.npv)
                .ok_or_else(|| path_error(None, "", "the NPV advantage is too large to hold"))?,
            npv_noise(),
        ),
    };
    let winner = Winner::of(npv_advantage);
    Ok(Outcome {
        profit_share,
        equity,
        npv_advantage,
        advantage_noise,
        winner,
        skipped_rounds: progress.skipped_rounds,
    })
}

/// Both regimes on `trajectory`'s own path in the number type of `deal`, NPVs and winner
/// only (no rows): the fast run, and the exact one's twin for checking it.
pub fn run_outcome<N: Num>(
    model: &Model,
    deal: &Deal<N>,
    trajectory: &Trajectory,
) -> Result<Outcome<N>, EngineError> {
    run_outcome_with(model, deal, trajectory, RoundPolicy::Error)
}

/// [`run_outcome`], a round that cannot happen handled as `policy` says.
pub fn run_outcome_with<N: Num>(
    model: &Model,
    deal: &Deal<N>,
    trajectory: &Trajectory,
    policy: RoundPolicy,
) -> Result<Outcome<N>, EngineError> {
    let exact = Path::of(model, trajectory)?;
    let path: Path<N> = exact.convert();
    let mut scratch = Scratch::new(deal);
    scratch.set_waterfall_unit(super::deal::waterfall_dp(model, &exact));
    run_path(
        deal,
        path.as_ref(trajectory.agi_year),
        policy,
        &mut scratch,
        &mut (),
    )
    .map_err(|mut e| {
        e.trajectory = trajectory.name.clone();
        e
    })
}

/// Every year's rows of both regimes and regime A's waterfall: the recorder behind
/// [`run_trajectory`].
#[derive(Debug, Clone, Default)]
pub struct FullRecord<N = Decimal> {
    pub profit_share: Vec<YearRow<N>>,
    pub equity: Vec<YearRow<N>>,
    /// `by_party[year index][party]`.
    pub by_party: Vec<Vec<N>>,
    pub events: Vec<Event>,
}

impl<N> Observer<N> for FullRecord<N> {
    fn event(&mut self, event: Event) {
        self.events.push(event);
    }
}

impl<N: Num> Recorder<N> for FullRecord<N> {
    fn row(&mut self, regime: Regime, row: &YearRow<N>) {
        match regime {
            Regime::ProfitShare => self.profit_share.push(row.clone()),
            Regime::Equity => self.equity.push(row.clone()),
        }
    }
    fn split(&mut self, _year: Year, by_party: &[N]) {
        self.by_party.push(by_party.to_vec());
    }
}

/// Runs both regimes on `trajectory` in exact decimals, with every row and measure.
/// `discount` comes from [`discount_factors`].
pub fn run_trajectory(
    model: &Model,
    discount: &[Decimal],
    trajectory: &Trajectory,
) -> Result<TrajectoryResult, EngineError> {
    let named = |mut e: EngineError| {
        e.trajectory = trajectory.name.clone();
        e
    };
    let path = Path::of(model, trajectory)?;
    let deal = Deal::<Decimal>::of(model, discount);
    let mut scratch = Scratch::new(&deal);
    scratch.set_waterfall_unit(super::deal::waterfall_dp(model, &path));
    let n = model.years();
    let mut record = FullRecord {
        profit_share: Vec::with_capacity(n),
        equity: Vec::with_capacity(n),
        by_party: Vec::with_capacity(n),
        events: Vec::new(),
    };
    let outcome = run_path(
        &deal,
        path.as_ref(trajectory.agi_year),
        RoundPolicy::Error,
        &mut scratch,
        &mut record,
    )
    .map_err(named)?;
    let start = model.start_year;
    let profit_share = regime_result(
        Regime::ProfitShare,
        record.profit_share,
        outcome.profit_share,
        start,
    )
    .ok_or_else(|| {
        named(path_error(
            None,
            "",
            "the profit share's totals are too large to hold",
        ))
    })?;
    let equity =
        regime_result(Regime::Equity, record.equity, outcome.equity, start).ok_or_else(|| {
            named(path_error(
                None,
                "",
                "the equity stake's totals are too large to hold",
            ))
        })?;
    let breakeven_scale = breakeven_scale(&deal, &path, &equity, &profit_share);
    Ok(TrajectoryResult {
        name: trajectory.name.clone(),
        description: trajectory.description.clone(),
        agi_year: trajectory.agi_year,
        profit_share,
        equity,
        waterfall: WaterfallRecord {
            by_party: record.by_party,
            events: record.events,
        },
        npv_advantage: outcome.npv_advantage,
        winner: outcome.winner,
        breakeven_scale,
    })
}

/// A regime's rows with the measures that need them (IRR, MOIC, payback).
fn regime_result(
    regime: Regime,
    rows: Vec<YearRow>,
    totals: Totals<Decimal>,
    start: Year,
) -> Option<RegimeResult> {
    let flows: Vec<Decimal> = rows.iter().map(|r| r.cash_flow).collect();
    let last = rows.len().checked_sub(1);
    let irr_flows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let terminal = if Some(i) == last {
                totals.terminal_value
            } else {
                Decimal::ZERO
            };
            irr_flow(r, terminal)
        })
        .collect::<Option<Vec<Decimal>>>()?;
    Some(RegimeResult {
        regime,
        measures: Measures {
            contributions: totals.contributions,
            inflows: totals.inflows,
            terminal_value: totals.terminal_value,
            npv: totals.npv,
            cloud_income: totals.cloud_income,
            npv_cloud: totals.npv_cloud,
            irr: measures::irr(&irr_flows),
            moic: measures::moic(totals.inflows, totals.terminal_value, totals.contributions),
            payback_year: measures::payback_year(start, &flows),
        },
        rows,
    })
}

/// A year's flow for the IRR: its cash flow plus `terminal` (the terminal value, in the
/// last year), taken as 0 where it is no more than what 28-digit rounding can leave of
/// amounts that cancel exactly: 1e-24 of the amounts it nets, and 1e-27 of the year's
/// valuation and distributable profit (a stake is held to its 28th decimal place, an
/// absolute 1e-28, and multiplied by them: a stake of 2/300000 at a valuation of 300000
/// left 1e-23 beside its 2; helper-89). A stake of 3/7 held at a valuation of 7 is worth
/// 3 less 1e-27, against a participation of 3, and a root of such dust is no rate: -1,
/// then a flow of 1e-27, "solve" at r = -1 + 1e-27, and over a 500-year horizon at -12%
/// (helper-86: IRRs of -1.00000000 and -0.99999983 printed where the exact flows have
/// none).
fn irr_flow(row: &YearRow, terminal: Decimal) -> Option<Decimal> {
    let flow = row.cash_flow.checked_add(terminal)?;
    let sum_of = |amounts: &[Decimal]| {
        amounts
            .iter()
            .try_fold(Decimal::ZERO, |sum, a| sum.checked_add(a.abs()))
    };
    let netted = sum_of(&[
        row.contribution,
        row.distribution,
        row.revenue_share,
        row.dividend,
        row.cloud_income,
        terminal,
    ])?;
    // The stake's rounding reaches a flow through the terminal value (the valuation) and a
    // dividend (the distributable profit) only (helper-90: counted in every row, a flow of
    // 1e-9 beside a valuation of 1e18 was taken as dust).
    let valuation = if terminal.is_zero() {
        Decimal::ZERO
    } else {
        row.valuation
    };
    let distributable = if row.dividend.is_zero() {
        Decimal::ZERO
    } else {
        row.distributable
    };
    let held_against = sum_of(&[valuation, distributable])?;
    // Without a product that could overflow: both factors are below 1.
    let dust = (netted * Decimal::from_i128_with_scale(1, 24))
        .checked_add(held_against * Decimal::from_i128_with_scale(1, 27))?;
    Some(if flow.abs() <= dust {
        Decimal::ZERO
    } else {
        flow
    })
}

/// Sums of the path's magnitudes must fit, so that running totals cannot overflow.
fn check_sums_fit<N: Num>(start: Year, path: &PathRef<'_, N>) -> Result<(), (Year, &'static str)> {
    let ten = N::from_decimal(Decimal::TEN);
    let mut totals = [N::ZERO; 3];
    for i in 0..path.revenue.len() {
        let year = start + i as Year;
        let profit = path.profit[i];
        let abs_profit = if profit < N::ZERO { -profit } else { profit };
        for (k, (v, what)) in [
            (path.revenue[i], "revenue"),
            (abs_profit, "profit"),
            (path.valuation[i], "valuation"),
        ]
        .into_iter()
        .enumerate()
        {
            // Headroom of 10x: receipts, contributions and stakes are sums of parts of these.
            totals[k] = totals[k]
                .checked_add(v)
                .filter(|t| t.checked_mul(ten).is_some())
                .ok_or((year, what))?;
        }
    }
    Ok(())
}

/// The scale k on every valuation at which NPV(equity) = NPV(profit share).
///
/// Only the stake's value, its dividends and any default pre-money depend on k, so the
/// k-independent part of the equity NPV is taken from the computed rows once and each trial
/// k costs one pass over the years.
fn breakeven_scale(
    deal: &Deal,
    path: &Path,
    equity: &RegimeResult,
    profit_share: &RegimeResult,
) -> Option<Decimal> {
    scale_root(deal, path, equity, profit_share, Decimal::ZERO, None)
}

/// The factor k on every valuation of trajectory `index` at which NPV(equity) -
/// NPV(profit share) = `target`, inside `search`'s range: the break-even scale's own search
/// (`solve scale.valuation`). With `target` 0 and [`Search::scale`]'s range it is exactly
/// [`TrajectoryResult::breakeven_scale`].
pub fn valuation_scale_root(
    model: &Model,
    index: usize,
    target: Decimal,
    search: &Search,
) -> Result<Option<Decimal>, EngineError> {
    let discount = discount_factors(model)?;
    let trajectory = &model.trajectories[index];
    let result = run_trajectory(model, &discount, trajectory)?;
    let path = Path::of(model, trajectory)?;
    let deal = Deal::<Decimal>::of(model, &discount);
    Ok(scale_root(
        &deal,
        &path,
        &result.equity,
        &result.profit_share,
        target,
        Some(search),
    ))
}

// Regime B's amounts that move with the valuations (SPEC 4), in one place: the yearly run
// and the break-even search, which reruns only these, both compute them here.

/// A year's dividend: the payout share of the year's distributable profit, times the stake.
#[inline(always)]
fn dividend_of<N: Num>(deal: &Deal<N>, distributable: N, stake: N) -> Option<N> {
    (deal.dividend_payout * distributable).total_mul(stake)
}

/// What the stake is worth: stake times the valuation.
#[inline(always)]
fn stake_value<N: Num>(stake: N, valuation: N) -> Option<N> {
    stake.total_mul(valuation)
}

/// The terminal value: the holding value at end_year less the terminal discount (a keep of
/// at most 1, so the product cannot grow).
#[inline(always)]
fn terminal_value<N: Num>(deal: &Deal<N>, holding_end: N) -> N {
    holding_end * deal.terminal_keep
}

/// The root search behind [`breakeven_scale`] and [`valuation_scale_root`]: `search` None is
/// the break-even scale's own range, (lowest valid k, 1000].
fn scale_root(
    deal: &Deal,
    path: &Path,
    equity: &RegimeResult,
    profit_share: &RegimeResult,
    target: Decimal,
    search: Option<&Search>,
) -> Option<Decimal> {
    let from = deal.equity_from;
    // sum over years of (cash flow - dividend - the profit share's cash flow) * DF: the
    // stake's contributions, distributions before from_year and revenue share, none of
    // which move with k, less the profit share's flows, year by year as the advantage is
    // summed (`Progress::advantage`: NPVs of 7.6e25 hold 2 decimals, their difference
    // less); with what rounding can have left in it (`measures::resolved`; saturating: a
    // decimal's largest leaves nothing near it resolved).
    let rounding = measures::ROUNDING;
    let stake_rounding = measures::stake_rounding(deal.rounds.len());
    let mut fixed = Decimal::ZERO;
    let mut fixed_noise = Decimal::ZERO;
    for (i, (row, row_a)) in equity.rows.iter().zip(&profit_share.rows).enumerate() {
        let own = row.cash_flow - row.dividend;
        if own == row_a.cash_flow {
            // The same flow under both deals (before from_year, a contribution alone):
            // nothing to sum, and no rounding (its size made real roots "unresolved";
            // helper-90).
            continue;
        }
        let larger = own.abs().max(row_a.cash_flow.abs());
        let difference = own.checked_sub(row_a.cash_flow)?;
        fixed = fixed.checked_add(deal.present_sized(i, difference, larger)?)?;
        // (The small factor first, so that what is summed stays small; helper-92.)
        let year = (own.abs().saturating_add(row_a.cash_flow.abs())) * rounding;
        // (At its present value as the flows are: a factor that rounds to 0 is no bound.)
        fixed_noise = fixed_noise.saturating_add(deal.present(i, year).unwrap_or(Decimal::MAX));
    }
    let last = path.valuation.len() - 1;
    // What the stake's own rounding reaches, at its present value: in each year's dividend
    // (payout x D of it) and, per unit of k, in the terminal value (the valuation x what is
    // kept); made once, not at every k (a present value may be a division: Deal::present).
    let dividend_reach: Vec<Decimal> = if deal.dividend_payout.is_zero() {
        Vec::new()
    } else {
        equity
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let reach = deal.dividend_payout * row.distributable.abs() * stake_rounding;
                deal.present(i, reach).unwrap_or(Decimal::MAX)
            })
            .collect()
    };
    // (The stake's rounding, a small factor, first, so that what is discounted stays small:
    // the valuation kept at a factor of 1e14 passes what a decimal holds, helper-92. Its 28
    // places cost at most 5e-29 k.)
    let terminal_reach_per_k = path.valuation[last]
        .abs()
        .checked_mul(deal.terminal_keep)
        .and_then(|v| v.checked_mul(stake_rounding))
        .and_then(|reach| deal.present(last, reach));
    let mut f = |k: Decimal| -> Option<Decimal> {
        let stakes = stake_path(deal, &path.valuation, k).ok()?;
        // The advantage at k, from the fixed part, the dividends and the terminal value.
        let mut advantage = fixed;
        // What rounding can have left in it: 1e-26 of each term, and what the stake's own
        // rounding reaches in the dividends and the terminal value (helper-91, helper-92).
        let mut noise = fixed_noise.saturating_add(target.abs() * rounding);
        if !deal.dividend_payout.is_zero() {
            for (i, row) in equity.rows.iter().enumerate().skip(from) {
                let dividend = dividend_of(deal, row.distributable, stakes[i])?;
                let present = deal.present(i, dividend)?;
                advantage = advantage.checked_add(present)?;
                noise = noise
                    .saturating_add(present.abs() * rounding)
                    .saturating_add(dividend_reach[i]);
            }
        }
        let valuation = path.valuation[last].checked_mul(k)?;
        let holding = stake_value(stakes[last], valuation)?;
        let terminal = deal.present(last, terminal_value(deal, holding))?;
        noise = noise
            .saturating_add(terminal.abs() * rounding)
            .saturating_add(
                terminal_reach_per_k.map_or(Decimal::MAX, |reach| reach.saturating_mul(k.abs())),
            );
        let difference = advantage.checked_add(terminal)?.checked_sub(target)?;
        // At the model's own valuations only (k = 1; not at a start that `--within` moved
        // to an end of its range, helper-211), and not at the range's ends as `solve`
        // takes them: a tie within the noise at k = 1000 came and went with the model's
        // unit (unit_scale's irr_beside_a_huge_valuation x 1e3 gained a break-even of
        // 1000 the model in its own unit does not have).
        measures::resolved(difference, noise, k == Decimal::ONE)
    };
    // The domain: k above which every default pre-money value is positive.
    let mut lower = Decimal::ZERO;
    for round in deal.rounds.iter().filter(|r| r.pre_money.is_none()) {
        let v = path.valuation[(round.year - deal.start_year) as usize];
        if v.is_zero() {
            return None;
        }
        lower = lower.max(round.raise / v);
    }
    let search = match search {
        None => Search::scale(lower),
        Some(s) if s.lower > lower || (s.lower == lower && !s.lower_open) => *s,
        Some(s) => Search {
            lower,
            lower_open: true,
            ..*s
        },
    };
    measures::root_nearest(&search, &mut f)
}
