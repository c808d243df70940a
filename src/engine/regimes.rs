//! Both regimes, year by year, for one trajectory (SPEC sections 3 and 4), and
//! their measures (section 5). Pure computation on a [`Model`]: no I/O, no printing, no
//! allocation that grows faster than years times parties, so that a simulation can call it
//! in a tight loop.

use rust_decimal::prelude::*;

use super::error::EngineError;
use super::measures;
use super::series::Path;
use super::waterfall::{self, Event, Waterfall};
use crate::model::{Equity, Model, RevenueShare, Trajectory, Year};

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
}

/// One year of one regime: the columns of `yearly.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRow {
    pub year: Year,
    pub revenue: Decimal,
    pub profit: Decimal,
    pub valuation: Decimal,
    pub distributable: Decimal,
    /// Paid in this year, as a positive amount.
    pub contribution: Decimal,
    pub distribution: Decimal,
    pub revenue_share: Decimal,
    pub dividend: Decimal,
    pub stake: Decimal,
    pub holding_value: Decimal,
    pub cash_flow: Decimal,
    pub cumulative_cash_flow: Decimal,
    pub discount_factor: Decimal,
    pub present_value: Decimal,
}

/// The measures of one regime on one trajectory: the columns of `summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Measures {
    pub contributions: Decimal,
    pub inflows: Decimal,
    pub terminal_value: Decimal,
    pub npv: Decimal,
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
                message: format!("the discount factor (1 + {})^{} is too large to hold; use a discount rate nearer 0 or fewer years", model.discount_rate, -n),
            })
        })
        .collect()
}

/// Runs both regimes on `trajectory`. `discount` comes from [`discount_factors`].
pub fn run_trajectory(
    model: &Model,
    discount: &[Decimal],
    trajectory: &Trajectory,
) -> Result<TrajectoryResult, EngineError> {
    let err = |year: Option<Year>, field: &str, message: String| EngineError {
        trajectory: trajectory.name.clone(),
        year,
        field: field.to_string(),
        message,
    };
    let path = Path::of(model, trajectory)?;
    check_sums_fit(model, &path).map_err(|(year, what)| {
        err(
            Some(year),
            "",
            format!("the running total of {what} is too large to hold in a 28-digit decimal"),
        )
    })?;
    let n = model.years();
    let start = model.start_year;
    let agi = trajectory.agi_year;

    let distributable = distributable(&path.profit, model.profit_share.loss_carryforward);

    // Regime A's waterfall, which regime B also follows before from_year.
    let mut waterfall = Waterfall::new(
        &model.profit_share,
        model.investor.party,
        model.parties.len(),
    );
    let mut record = WaterfallRecord {
        by_party: Vec::with_capacity(n),
        events: Vec::new(),
    };
    for (i, d) in distributable.iter().enumerate() {
        let year = start + i as Year;
        let mut split = vec![Decimal::ZERO; model.parties.len()];
        let declared = agi.is_some_and(|a| year >= a);
        waterfall
            .distribute(year, *d, declared, &mut split, &mut record.events)
            .map_err(|o| {
                err(
                    Some(year),
                    &format!("profit_share.tiers[{}].cap_growth", o.tier),
                    "the grown `until` amounts are too large to hold".to_string(),
                )
            })?;
        record.by_party.push(split);
    }
    let investor_receipts: Vec<Decimal> = record
        .by_party
        .iter()
        .map(|s| s[model.investor.party])
        .collect();

    let mut contributions = vec![Decimal::ZERO; n];
    for c in &model.investor.contributions {
        contributions[(c.year - start) as usize] += c.amount;
    }

    // Regime A.
    let revenue_share_a = revenue_share(
        model.profit_share.revenue_share.as_ref(),
        &path.revenue,
        start,
        agi,
    );
    let rows_a: Vec<YearRow> = (0..n)
        .map(|i| {
            let flows = Flows {
                contribution: contributions[i],
                distribution: investor_receipts[i],
                revenue_share: revenue_share_a[i],
                ..Flows::default()
            };
            flows.row(start + i as Year, &path, &distributable, i)
        })
        .collect();
    let profit_share = finish(Regime::ProfitShare, rows_a, Decimal::ZERO, discount, start)
        .ok_or_else(|| {
            err(
                None,
                "",
                "the profit share's totals are too large to hold".into(),
            )
        })?;

    // Regime B.
    let equity_terms = &model.equity;
    let stakes = stake_path(equity_terms, start, &path.valuation, Decimal::ONE).map_err(|e| {
        err(Some(e.year), &format!("equity.rounds[{}]", e.round), format!(
            "the round's pre-money value would be {} (valuation {} minus raise {}); it must be greater than 0: give the round a `pre_money` or raise the trajectory's valuation",
            e.pre_money, e.valuation, e.raise
        ))
    })?;
    let revenue_share_b = revenue_share(
        equity_terms.revenue_share.as_ref(),
        &path.revenue,
        start,
        agi,
    );
    let from = (equity_terms.from_year - start) as usize;
    let mut rows_b = Vec::with_capacity(n);
    for i in 0..n {
        let year = start + i as Year;
        let held = i >= from;
        let stake = if held { stakes.stake[i] } else { Decimal::ZERO };
        let flows = Flows {
            contribution: contributions[i] + stakes.participation[i],
            distribution: if held {
                Decimal::ZERO
            } else {
                investor_receipts[i]
            },
            revenue_share: revenue_share_b[i],
            dividend: if held {
                (equity_terms.dividend_payout * distributable[i])
                    .checked_mul(stake)
                    .ok_or_else(|| {
                        err(Some(year), "", "the dividend is too large to hold".into())
                    })?
            } else {
                Decimal::ZERO
            },
            stake,
            holding_value: stake.checked_mul(path.valuation[i]).ok_or_else(|| {
                err(
                    Some(year),
                    "",
                    "the stake's value is too large to hold".into(),
                )
            })?,
        };
        rows_b.push(flows.row(year, &path, &distributable, i));
    }
    let holding_end = rows_b.last().map_or(Decimal::ZERO, |r| r.holding_value);
    let terminal = holding_end * (Decimal::ONE - equity_terms.terminal_discount);
    let equity = finish(Regime::Equity, rows_b, terminal, discount, start).ok_or_else(|| {
        err(
            None,
            "",
            "the equity stake's totals are too large to hold".into(),
        )
    })?;

    let npv_advantage = equity.measures.npv - profit_share.measures.npv;
    let winner = if npv_advantage
        .round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero)
        .is_zero()
    {
        Winner::Tie
    } else if npv_advantage > Decimal::ZERO {
        Winner::Equity
    } else {
        Winner::ProfitShare
    };

    let breakeven_scale = breakeven_scale(
        model,
        discount,
        &path,
        &distributable,
        &equity,
        profit_share.measures.npv,
    );

    Ok(TrajectoryResult {
        name: trajectory.name.clone(),
        description: trajectory.description.clone(),
        agi_year: trajectory.agi_year,
        profit_share,
        equity,
        waterfall: record,
        npv_advantage,
        winner,
        breakeven_scale,
    })
}

/// One year's flows to the investor, before the running totals.
#[derive(Default)]
struct Flows {
    contribution: Decimal,
    distribution: Decimal,
    revenue_share: Decimal,
    dividend: Decimal,
    stake: Decimal,
    holding_value: Decimal,
}

impl Flows {
    fn row(self, year: Year, path: &Path, distributable: &[Decimal], i: usize) -> YearRow {
        YearRow {
            year,
            revenue: path.revenue[i],
            profit: path.profit[i],
            valuation: path.valuation[i],
            distributable: distributable[i],
            contribution: self.contribution,
            distribution: self.distribution,
            revenue_share: self.revenue_share,
            dividend: self.dividend,
            stake: self.stake,
            holding_value: self.holding_value,
            cash_flow: -self.contribution + self.distribution + self.revenue_share + self.dividend,
            // Filled in by `finish`.
            cumulative_cash_flow: Decimal::ZERO,
            discount_factor: Decimal::ZERO,
            present_value: Decimal::ZERO,
        }
    }
}

/// Running totals, discounting and measures of a regime's rows.
fn finish(
    regime: Regime,
    mut rows: Vec<YearRow>,
    terminal_value: Decimal,
    discount: &[Decimal],
    start: Year,
) -> Option<RegimeResult> {
    let mut cumulative = Decimal::ZERO;
    let mut contributions = Decimal::ZERO;
    let mut inflows = Decimal::ZERO;
    for (row, df) in rows.iter_mut().zip(discount) {
        cumulative = cumulative.checked_add(row.cash_flow)?;
        row.cumulative_cash_flow = cumulative;
        row.discount_factor = *df;
        row.present_value = row.cash_flow.checked_mul(*df)?;
        contributions += row.contribution;
        inflows += row.distribution + row.revenue_share + row.dividend;
    }
    let flows: Vec<Decimal> = rows.iter().map(|r| r.cash_flow).collect();
    let npv = measures::npv(&flows, discount, terminal_value)?;
    let mut irr_flows = flows.clone();
    if let Some(last) = irr_flows.last_mut() {
        *last = last.checked_add(terminal_value)?;
    }
    Some(RegimeResult {
        regime,
        measures: Measures {
            contributions,
            inflows,
            terminal_value,
            npv,
            irr: measures::irr(&irr_flows),
            moic: measures::moic(inflows, terminal_value, contributions),
            payback_year: measures::payback_year(start, &flows),
        },
        rows,
    })
}

/// Sums of the path's magnitudes must fit, so that running totals below cannot overflow.
fn check_sums_fit(model: &Model, path: &Path) -> Result<(), (Year, &'static str)> {
    let mut totals = [Decimal::ZERO; 3];
    for i in 0..path.revenue.len() {
        let year = model.start_year + i as Year;
        for (k, (v, what)) in [
            (path.revenue[i], "revenue"),
            (path.profit[i].abs(), "profit"),
            (path.valuation[i], "valuation"),
        ]
        .into_iter()
        .enumerate()
        {
            // Headroom of 10x: receipts, contributions and stakes are sums of parts of these.
            totals[k] = totals[k]
                .checked_add(v)
                .filter(|t| t.checked_mul(Decimal::TEN).is_some())
                .ok_or((year, what))?;
        }
    }
    Ok(())
}

/// D_t: with loss carryforward, losses are earned back before anything is distributable.
/// D_t is counted in the waterfall's unit (12 places, see [`waterfall::WATERFALL_DP`])
/// so that its split is exact.
pub fn distributable(profit: &[Decimal], loss_carryforward: bool) -> Vec<Decimal> {
    let mut carried = Decimal::ZERO;
    profit
        .iter()
        .map(|p| {
            if !loss_carryforward {
                return (*p).max(Decimal::ZERO);
            }
            if *p < Decimal::ZERO {
                carried -= *p;
                Decimal::ZERO
            } else {
                let paid_down = (*p).min(carried);
                carried -= paid_down;
                *p - paid_down
            }
        })
        .map(waterfall::to_unit)
        .collect()
}

/// Revenue share_t (SPEC 3.4): rate * revenue in from..=until (before agi_year when it ends
/// at AGI), never past total_cap in all.
pub fn revenue_share(
    terms: Option<&RevenueShare>,
    revenue: &[Decimal],
    start: Year,
    agi_year: Option<Year>,
) -> Vec<Decimal> {
    let mut out = vec![Decimal::ZERO; revenue.len()];
    let Some(terms) = terms else {
        return out;
    };
    let mut paid = Decimal::ZERO;
    for (i, r) in revenue.iter().enumerate() {
        let year = start + i as Year;
        if year < terms.from || year > terms.until {
            continue;
        }
        if terms.ends_at_agi && agi_year.is_some_and(|a| year >= a) {
            continue;
        }
        let mut amount = terms.rate * *r;
        if let Some(cap) = terms.total_cap {
            amount = amount.min(cap - paid).max(Decimal::ZERO);
        }
        paid += amount;
        out[i] = amount;
    }
    out
}

/// The investor's stake after each year's rounds, and its participations, by year index.
pub struct StakePath {
    pub stake: Vec<Decimal>,
    pub participation: Vec<Decimal>,
}

/// A round whose pre-money value is not > 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PreMoneyError {
    pub round: usize,
    pub year: Year,
    pub valuation: Decimal,
    pub raise: Decimal,
    pub pre_money: Decimal,
}

/// s_t from from_year on (SPEC section 4), with every valuation multiplied by `scale`
/// (1 for the trajectory itself; other values for the break-even search).
pub fn stake_path(
    terms: &Equity,
    start: Year,
    valuation: &[Decimal],
    scale: Decimal,
) -> Result<StakePath, PreMoneyError> {
    let n = valuation.len();
    let mut stake = vec![Decimal::ZERO; n];
    let mut participation = vec![Decimal::ZERO; n];
    let from = (terms.from_year - start) as usize;
    let mut s = terms.stake;
    // Rounds lie in from_year..=end_year (checked when the model is read); a stable sort by
    // year keeps file order within a year.
    let mut by_year: Vec<(usize, &crate::model::Round)> = terms.rounds.iter().enumerate().collect();
    by_year.sort_by_key(|(_, r)| r.year);
    let mut next = 0;
    for i in from..n {
        let year = start + i as Year;
        while next < by_year.len() && by_year[next].1.year == year {
            let (index, round) = by_year[next];
            let too_large = PreMoneyError {
                round: index,
                year,
                valuation: Decimal::MAX,
                raise: round.raise,
                pre_money: Decimal::MAX,
            };
            let scaled = valuation[i].checked_mul(scale).ok_or(too_large)?;
            let pre = match round.pre_money {
                Some(p) => p,
                None => scaled - round.raise,
            };
            if pre <= Decimal::ZERO {
                return Err(PreMoneyError {
                    round: index,
                    year,
                    valuation: scaled,
                    raise: round.raise,
                    pre_money: pre,
                });
            }
            let post = pre.checked_add(round.raise).ok_or(too_large)?;
            s = (s * pre + round.participation) / post;
            participation[i] += round.participation;
            next += 1;
        }
        stake[i] = s;
    }
    Ok(StakePath {
        stake,
        participation,
    })
}

/// The scale k on every valuation at which NPV(equity) = NPV(profit share).
///
/// Only the stake's value, its dividends and any default pre-money depend on k, so the
/// k-independent part of the equity NPV is taken from the computed rows once and each trial
/// k costs one pass over the years.
fn breakeven_scale(
    model: &Model,
    discount: &[Decimal],
    path: &Path,
    distributable: &[Decimal],
    equity: &RegimeResult,
    npv_profit_share: Decimal,
) -> Option<Decimal> {
    let terms = &model.equity;
    let start = model.start_year;
    let from = (terms.from_year - start) as usize;
    // sum over years of (cash flow - dividend) * DF: contributions, distributions before
    // from_year and revenue share, none of which move with k.
    let mut fixed = Decimal::ZERO;
    for (row, df) in equity.rows.iter().zip(discount) {
        fixed = fixed.checked_add((row.cash_flow - row.dividend).checked_mul(*df)?)?;
    }
    let last = path.valuation.len() - 1;
    let keep = Decimal::ONE - terms.terminal_discount;
    let mut f = |k: Decimal| -> Option<Decimal> {
        let stakes = stake_path(terms, start, &path.valuation, k).ok()?;
        let mut npv = fixed;
        if !terms.dividend_payout.is_zero() {
            for i in from..path.valuation.len() {
                let dividend =
                    (terms.dividend_payout * distributable[i]).checked_mul(stakes.stake[i])?;
                npv = npv.checked_add(dividend.checked_mul(discount[i])?)?;
            }
        }
        let terminal = stakes.stake[last]
            .checked_mul(path.valuation[last].checked_mul(k)?)?
            .checked_mul(keep)?;
        npv.checked_add(terminal.checked_mul(discount[last])?)?
            .checked_sub(npv_profit_share)
    };
    // The domain: k above which every default pre-money value is positive.
    let mut lower = Decimal::ZERO;
    for round in terms.rounds.iter().filter(|r| r.pre_money.is_none()) {
        let v = path.valuation[(round.year - start) as usize];
        if v.is_zero() {
            return None;
        }
        lower = lower.max(round.raise / v);
    }
    measures::root_nearest_one(lower, &mut f)
}
