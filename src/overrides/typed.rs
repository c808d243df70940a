//! Typed overrides: a path resolved once to a field of the [`Model`], set directly.
//!
//! A sweep of 101 x 101 values cannot re-read the model file for each (reading it costs
//! about as much as running it). Each value is checked once through the document
//! ([`super::patch_and_parse`]), which gives it the file's checks and messages; then each run
//! sets the field on a copy of the model. A knob sets exactly what the document route would
//! have produced (the tests compare the two models), so both routes give the same numbers.
//! Paths that name no knob (text, booleans, arrays, years other than `agi_year`) take the
//! document route every time.
//!
//! Knobs of the built-in model, resolved once; one set on a copy as `--set` would set it:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::overrides::document::canonical_path;
//! use stakeshift::overrides::typed::Domain;
//! use stakeshift::overrides::{Knob, Override, OverridePath};
//!
//! let file = stakeshift::io::read_model_file(None)?; // None: the built-in model
//! let model = file.load(&[])?.model;
//! let resolve = |text: &str| {
//!     let path = OverridePath::parse(text).unwrap();
//!     let canonical = canonical_path(&file.text, "--vary", &path).unwrap();
//!     (Knob::resolve(&model, &path, &canonical), path)
//! };
//! // `[base]` is trajectory 2, which declares no AGI: the knob has no current value.
//! let agi = resolve("trajectories[base].agi_year").0.unwrap();
//! assert_eq!((agi, agi.current(&model)), (Knob::AgiYear(2), None));
//! // SPEC 6: 0 <= participation <= raise, and the 2026 round raises 122.
//! let (Some(part), path) = resolve("equity.rounds[0].participation") else { panic!() };
//! assert_eq!(part.domain(&model), Domain::UpTo(Decimal::from(122)));
//! // 0.27 x 122 = 32.94 keeps the stake at (0.27 x 730 + 32.94) / 852 = 0.27. Set on a
//! // copy, it gives exactly the model that `--set` gives.
//! let (mut typed, value) = (model.clone(), Decimal::new(3294, 2));
//! part.set(&mut typed, value).expect("a number");
//! assert_eq!(typed, file.load(&[Override::number("--set", &path, value)])?.model);
//! let run = stakeshift::compare::compare(&typed, Some(&[2])).expect("it runs");
//! let row = run.trajectories[0].equity.rows.iter().find(|r| r.year == 2026).unwrap();
//! assert_eq!(row.stake, Decimal::new(27, 2));
//! # Ok::<(), stakeshift::Error>(())
//! ```

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Derived, OverridePath, Segment, Target, document::derive_series, fit_model_digits};
use crate::model::{Model, Series, TrajectorySource};

/// Which regime's revenue share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    ProfitShare,
    Equity,
}

/// One of a trajectory's series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    Revenue,
    Margin,
    Valuation,
}

/// A margin-like series of the cloud side (SPEC 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudSeries {
    /// `cloud.spend`.
    Spend,
    /// A regime's `share`: `profit_share.cloud.share` or `equity.cloud.share`.
    Share(Side),
    /// A trajectory's own `spend` series (by index).
    TrajectorySpend(usize),
}

/// A number in the model that a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    DiscountRate,
    /// The amount of `investor.contributions[i]`.
    Contribution(usize),
    TierShare {
        tier: usize,
        party: usize,
    },
    TierUntil {
        tier: usize,
        party: usize,
    },
    TierCapGrowth(usize),
    RevenueShareRate(Side),
    RevenueShareCap(Side),
    Stake,
    DividendPayout,
    TerminalDiscount,
    RoundRaise(usize),
    RoundPreMoney(usize),
    RoundParticipation(usize),
    Growth {
        trajectory: usize,
        series: SeriesKind,
    },
    /// The value of `points[point]`.
    Point {
        trajectory: usize,
        series: SeriesKind,
        point: usize,
    },
    AgiYear(usize),
    /// `cloud.margin` (SPEC 13).
    CloudMargin,
    /// `profit_share.cloud.commitment.total` or `equity.cloud.commitment.total`.
    CommitmentTotal(Side),
    /// The value of `points[point]` of a cloud series (SPEC 13).
    CloudPoint {
        series: CloudSeries,
        point: usize,
    },
    /// A derived key on one trajectory (by index) or all.
    Derived(Derived, Option<usize>),
}

/// The values a knob may take (SPEC section 6), for `solve`'s default range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Domain {
    /// A fraction in [0, 1].
    Fraction,
    /// A yearly rate above -1.
    Rate,
    /// A yearly rate of -1 or more (a tier's `cap_growth`: -1 leaves caps of 0).
    RateFromMinusOne,
    /// An amount above 0.
    Positive,
    /// An amount of 0 or more.
    NonNegative,
    /// An amount from 0 to the given most.
    UpTo(Decimal),
    /// An amount of at least the given least, which is above 0 (a round's raise, which
    /// must cover the investor's participation).
    AtLeast(Decimal),
    /// Any number (a margin).
    Any,
    /// Any number at most 1e9 in size, the bound of a derived key (a shift of margins).
    Shift,
    /// A factor of 0 or more (scale.valuation, scale.revenue).
    Scale,
    /// A whole year.
    Year,
    /// A margin in [-1, 1] (`cloud.margin`).
    Margin,
}

impl Knob {
    /// The knob of a canonical path (names resolved to indexes, as
    /// [`super::document::canonical_path`] gives), or None where the path names no number
    /// this module knows how to set.
    pub fn resolve(model: &Model, path: &OverridePath, canonical: &str) -> Option<Knob> {
        if let Target::Derived(kind, name) = &path.target {
            let index = match name {
                None => None,
                Some(n) => Some(model.trajectories.iter().position(|t| t.name == *n)?),
            };
            return Some(Knob::Derived(*kind, index));
        }
        let parsed = OverridePath::parse(canonical).ok()?;
        let Target::Key(segments) = parsed.target else {
            return None;
        };
        let keys: Vec<KeyOrIndex> = segments
            .iter()
            .map(|s| match s {
                Segment::Key(k) => Some(KeyOrIndex::Key(k.as_str())),
                Segment::Index(i) => Some(KeyOrIndex::Index(*i)),
                Segment::Name(_) => None,
            })
            .collect::<Option<_>>()?;
        use KeyOrIndex::{Index as I, Key as K};
        let party = |name: &str| model.parties.iter().position(|p| p == name);
        let series_kind = |s: &str| match s {
            "revenue" => Some(SeriesKind::Revenue),
            "margin" => Some(SeriesKind::Margin),
            "valuation" => Some(SeriesKind::Valuation),
            _ => None,
        };
        let side = |s: &str| match s {
            "profit_share" => Some(Side::ProfitShare),
            "equity" => Some(Side::Equity),
            _ => None,
        };
        let knob = match keys.as_slice() {
            [K("discount_rate")] => Knob::DiscountRate,
            [K("investor"), K("contributions"), I(i), I(1)]
                if *i < model.investor.contributions.len() =>
            {
                Knob::Contribution(*i)
            }
            [K("profit_share"), K("tiers"), I(t), K("shares"), K(p)] => {
                let party = party(p)?;
                let tier = model.profit_share.tiers.get(*t)?;
                tier.shares.iter().find(|(q, _)| *q == party)?;
                Knob::TierShare { tier: *t, party }
            }
            [K("profit_share"), K("tiers"), I(t), K("until"), K(p)] => {
                let party = party(p)?;
                let tier = model.profit_share.tiers.get(*t)?;
                tier.until.iter().find(|(q, _)| *q == party)?;
                Knob::TierUntil { tier: *t, party }
            }
            [K("profit_share"), K("tiers"), I(t), K("cap_growth")]
                if *t < model.profit_share.tiers.len() =>
            {
                Knob::TierCapGrowth(*t)
            }
            [K(s), K("revenue_share"), K(field)] => {
                let side = side(s)?;
                revenue_share(model, side).as_ref()?;
                match *field {
                    "rate" => Knob::RevenueShareRate(side),
                    "total_cap" => Knob::RevenueShareCap(side),
                    _ => return None,
                }
            }
            [K("cloud"), K("margin")] if model.cloud.is_some() => Knob::CloudMargin,
            [K("cloud"), K("spend"), K("points"), I(p), I(1)] => {
                cloud_point(model, CloudSeries::Spend, *p)?
            }
            [K(s), K("cloud"), K("share"), K("points"), I(p), I(1)] => {
                cloud_point(model, CloudSeries::Share(side(s)?), *p)?
            }
            [K("trajectories"), I(t), K("spend"), K("points"), I(p), I(1)] => {
                cloud_point(model, CloudSeries::TrajectorySpend(*t), *p)?
            }
            [K(s), K("cloud"), K("commitment"), K("total")] => {
                let side = side(s)?;
                cloud_terms(model, side)?.commitment?;
                Knob::CommitmentTotal(side)
            }
            [K("equity"), K("stake")] => Knob::Stake,
            [K("equity"), K("dividend_payout")] => Knob::DividendPayout,
            [K("equity"), K("terminal_discount")] => Knob::TerminalDiscount,
            [K("equity"), K("rounds"), I(r), K(field)] if *r < model.equity.rounds.len() => {
                match *field {
                    "raise" => Knob::RoundRaise(*r),
                    "pre_money" => Knob::RoundPreMoney(*r),
                    "participation" => Knob::RoundParticipation(*r),
                    _ => return None,
                }
            }
            [K("trajectories"), I(t), rest @ ..] => {
                let TrajectorySource::Series { .. } = &model.trajectories.get(*t)?.source else {
                    return None;
                };
                match rest {
                    [K("agi_year")] => Knob::AgiYear(*t),
                    [K(s), K("growth")] => Knob::Growth {
                        trajectory: *t,
                        series: series_kind(s)?,
                    },
                    [K(s), K("points"), I(p), I(1)] => {
                        let series = series_kind(s)?;
                        if *p >= series_of(model, *t, series)?.points.len() {
                            return None;
                        }
                        Knob::Point {
                            trajectory: *t,
                            series,
                            point: *p,
                        }
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
        Some(knob)
    }

    /// The same knob on trajectory `index` where it acts on one trajectory only (for a model
    /// of that trajectory alone, `index` 0); any other knob as it is.
    pub fn on_trajectory(self, index: usize) -> Knob {
        match self {
            Knob::Growth { series, .. } => Knob::Growth {
                trajectory: index,
                series,
            },
            Knob::Point { series, point, .. } => Knob::Point {
                trajectory: index,
                series,
                point,
            },
            Knob::AgiYear(_) => Knob::AgiYear(index),
            Knob::CloudPoint {
                series: CloudSeries::TrajectorySpend(_),
                point,
            } => Knob::CloudPoint {
                series: CloudSeries::TrajectorySpend(index),
                point,
            },
            Knob::Derived(derived, Some(_)) => Knob::Derived(derived, Some(index)),
            other => other,
        }
    }

    /// The one trajectory (its index) the knob acts on, where it acts on one only: a value
    /// of its series, its `agi_year`, its own spend, a derived key on it. Such a value
    /// cannot make another trajectory fail to run.
    pub fn trajectory(&self) -> Option<usize> {
        match *self {
            Knob::Growth { trajectory, .. }
            | Knob::Point { trajectory, .. }
            | Knob::AgiYear(trajectory)
            | Knob::CloudPoint {
                series: CloudSeries::TrajectorySpend(trajectory),
                ..
            }
            | Knob::Derived(_, Some(trajectory)) => Some(trajectory),
            _ => None,
        }
    }

    /// The knob's value in `model`; None for an optional value the model leaves out (a
    /// default pre-money, no agi_year), or for a derived key, which has no value of its own
    /// (its identity: 1 for a scale, 0 for a shift, is the model's own point).
    pub fn current(&self, model: &Model) -> Option<Decimal> {
        Some(match *self {
            Knob::DiscountRate => model.discount_rate,
            Knob::Contribution(i) => model.investor.contributions[i].amount,
            Knob::TierShare { tier, party } => model.profit_share.tiers[tier].share_of(party),
            Knob::TierUntil { tier, party } => {
                model.profit_share.tiers[tier]
                    .until
                    .iter()
                    .find(|(p, _)| *p == party)?
                    .1
            }
            Knob::TierCapGrowth(t) => model.profit_share.tiers[t].cap_growth,
            Knob::RevenueShareRate(s) => revenue_share(model, s).as_ref()?.rate,
            Knob::RevenueShareCap(s) => revenue_share(model, s).as_ref()?.total_cap?,
            Knob::Stake => model.equity.stake,
            Knob::DividendPayout => model.equity.dividend_payout,
            Knob::TerminalDiscount => model.equity.terminal_discount,
            Knob::RoundRaise(r) => model.equity.rounds[r].raise,
            Knob::RoundPreMoney(r) => model.equity.rounds[r].pre_money?,
            Knob::RoundParticipation(r) => model.equity.rounds[r].participation,
            Knob::Growth { trajectory, series } => series_of(model, trajectory, series)?.growth,
            Knob::Point {
                trajectory,
                series,
                point,
            } => series_of(model, trajectory, series)?.points[point].1,
            Knob::AgiYear(t) => Decimal::from(model.trajectories[t].agi_year?),
            Knob::CloudMargin => model.cloud.as_ref()?.margin,
            Knob::CommitmentTotal(s) => cloud_terms(model, s)?.commitment?.total,
            Knob::CloudPoint { series, point } => cloud_series(model, series)?.points[point].1,
            Knob::Derived(kind, _) => kind.identity(),
        })
    }

    /// Whether a rule of the model ties this key's valid values to another key's (a
    /// round's raise covers its participation; a tier's shares add up to at most 1): its
    /// valid range then depends on the other key as the model has it (`solve`'s search
    /// range follows it).
    pub fn tied_to_another_key(&self) -> bool {
        matches!(
            self,
            Knob::RoundRaise(_) | Knob::RoundParticipation(_) | Knob::TierShare { .. }
        )
    }

    /// The values the knob may take.
    pub fn domain(&self, model: &Model) -> Domain {
        match *self {
            Knob::DiscountRate | Knob::Growth { .. } => Domain::Rate,
            Knob::TierCapGrowth(_) => Domain::RateFromMinusOne,
            Knob::Contribution(_) | Knob::RevenueShareCap(_) | Knob::CommitmentTotal(_) => {
                Domain::NonNegative
            }
            Knob::CloudMargin => Domain::Margin,
            Knob::CloudPoint {
                series: CloudSeries::Share(_),
                ..
            } => Domain::Fraction,
            Knob::CloudPoint { .. } => Domain::NonNegative,
            Knob::TierShare { .. }
            | Knob::RevenueShareRate(_)
            | Knob::Stake
            | Knob::DividendPayout
            | Knob::TerminalDiscount => Domain::Fraction,
            Knob::RoundRaise(r) if model.equity.rounds[r].participation > Decimal::ZERO => {
                Domain::AtLeast(model.equity.rounds[r].participation)
            }
            Knob::TierUntil { .. } | Knob::RoundRaise(_) | Knob::RoundPreMoney(_) => {
                Domain::Positive
            }
            Knob::RoundParticipation(r) => Domain::UpTo(model.equity.rounds[r].raise),
            Knob::Point { series, .. } => match series {
                SeriesKind::Margin => Domain::Any,
                _ => Domain::NonNegative,
            },
            Knob::AgiYear(_) => Domain::Year,
            Knob::Derived(Derived::ShiftMargin, _) => Domain::Shift,
            Knob::Derived(..) => Domain::Scale,
        }
    }

    /// Sets the knob to `value` in `model`; None where a derived product is too large to
    /// hold or a year is not whole (values checked through the document never are).
    pub fn set(&self, model: &mut Model, value: Decimal) -> Option<()> {
        match *self {
            Knob::DiscountRate => model.discount_rate = value,
            Knob::Contribution(i) => model.investor.contributions[i].amount = value,
            Knob::TierShare { tier, party } => {
                for (p, s) in &mut model.profit_share.tiers[tier].shares {
                    if *p == party {
                        *s = value;
                    }
                }
            }
            Knob::TierUntil { tier, party } => {
                for (p, s) in &mut model.profit_share.tiers[tier].until {
                    if *p == party {
                        *s = value;
                    }
                }
            }
            Knob::TierCapGrowth(t) => model.profit_share.tiers[t].cap_growth = value,
            Knob::RevenueShareRate(s) => revenue_share_mut(model, s).as_mut()?.rate = value,
            Knob::RevenueShareCap(s) => {
                revenue_share_mut(model, s).as_mut()?.total_cap = Some(value)
            }
            Knob::Stake => model.equity.stake = value,
            Knob::DividendPayout => model.equity.dividend_payout = value,
            Knob::TerminalDiscount => model.equity.terminal_discount = value,
            Knob::CloudMargin => model.cloud.as_mut()?.margin = value,
            Knob::CloudPoint { series, point } => {
                cloud_series_mut(model, series)?.points[point].1 = value
            }
            Knob::CommitmentTotal(s) => {
                let cloud = model.cloud.as_mut()?;
                let terms = match s {
                    Side::ProfitShare => cloud.profit_share.as_mut(),
                    Side::Equity => cloud.equity.as_mut(),
                };
                terms?.commitment.as_mut()?.total = value
            }
            Knob::RoundRaise(r) => model.equity.rounds[r].raise = value,
            Knob::RoundPreMoney(r) => model.equity.rounds[r].pre_money = Some(value),
            Knob::RoundParticipation(r) => model.equity.rounds[r].participation = value,
            Knob::Growth { trajectory, series } => {
                series_of_mut(model, trajectory, series)?.growth = value
            }
            Knob::Point {
                trajectory,
                series,
                point,
            } => series_of_mut(model, trajectory, series)?.points[point].1 = value,
            Knob::AgiYear(t) => {
                if !value.fract().is_zero() {
                    return None;
                }
                model.trajectories[t].agi_year = Some(value.to_i32()?);
            }
            Knob::Derived(kind, one) => {
                let start = model.start_year;
                for (i, t) in model.trajectories.iter_mut().enumerate() {
                    if one.is_some_and(|o| o != i) {
                        continue;
                    }
                    derive_trajectory(&mut t.source, kind, value, start)?;
                    // A compute spend given as amounts (a `cloud_spend` column) follows
                    // revenue, as the document route scales the column.
                    if let (Derived::ScaleRevenue, Some(crate::model::Spend::Amounts(spend))) =
                        (kind, t.spend.as_mut())
                    {
                        for s in spend.iter_mut() {
                            *s = in_model(fit_model_digits(s.checked_mul(value)?))?;
                        }
                    }
                }
            }
        }
        Some(())
    }
}

#[derive(Clone, Copy)]
enum KeyOrIndex<'a> {
    Key(&'a str),
    Index(usize),
}

fn revenue_share(model: &Model, side: Side) -> &Option<crate::model::RevenueShare> {
    match side {
        Side::ProfitShare => &model.profit_share.revenue_share,
        Side::Equity => &model.equity.revenue_share,
    }
}

fn revenue_share_mut(model: &mut Model, side: Side) -> &mut Option<crate::model::RevenueShare> {
    match side {
        Side::ProfitShare => &mut model.profit_share.revenue_share,
        Side::Equity => &mut model.equity.revenue_share,
    }
}

fn series_of(model: &Model, t: usize, kind: SeriesKind) -> Option<&Series> {
    match &model.trajectories.get(t)?.source {
        TrajectorySource::Series {
            revenue,
            margin,
            valuation,
        } => Some(match kind {
            SeriesKind::Revenue => revenue,
            SeriesKind::Margin => margin,
            SeriesKind::Valuation => valuation,
        }),
        TrajectorySource::Table { .. } => None,
    }
}

fn series_of_mut(model: &mut Model, t: usize, kind: SeriesKind) -> Option<&mut Series> {
    match &mut model.trajectories.get_mut(t)?.source {
        TrajectorySource::Series {
            revenue,
            margin,
            valuation,
        } => Some(match kind {
            SeriesKind::Revenue => revenue,
            SeriesKind::Margin => margin,
            SeriesKind::Valuation => valuation,
        }),
        TrajectorySource::Table { .. } => None,
    }
}

/// A derived key on one trajectory, as the document route does it (the same arithmetic).
fn derive_trajectory(
    source: &mut TrajectorySource,
    kind: Derived,
    amount: Decimal,
    start: crate::model::Year,
) -> Option<()> {
    match source {
        TrajectorySource::Series {
            revenue,
            margin,
            valuation,
        } => {
            let series = match kind {
                Derived::ScaleValuation => valuation,
                Derived::ScaleRevenue => revenue,
                Derived::ShiftMargin => margin,
            };
            let points = derive_series(kind, &series.points, amount, Some(start))?;
            if points.iter().any(|(_, v)| !within_model(*v)) {
                return None;
            }
            series.points = points;
        }
        TrajectorySource::Table {
            revenue,
            profit,
            valuation,
        } => match kind {
            Derived::ScaleValuation => {
                for v in valuation.iter_mut() {
                    *v = in_model(fit_model_digits(v.checked_mul(amount)?))?;
                }
            }
            Derived::ScaleRevenue => {
                for (r, p) in revenue.iter_mut().zip(profit.iter_mut()) {
                    *r = in_model(fit_model_digits(r.checked_mul(amount)?))?;
                    *p = in_model(fit_model_digits(p.checked_mul(amount)?))?;
                }
            }
            Derived::ShiftMargin => {
                for (r, p) in revenue.iter().zip(profit.iter_mut()) {
                    *p = in_model(fit_model_digits(p.checked_add(r.checked_mul(amount)?)?))?;
                }
            }
        },
    }
    Some(())
}

/// Whether a value a derived key writes is one a model may hold (at most 1e18 in size):
/// beyond, the model's reader refuses it, so a search must not count it (helper-56: solve
/// reported a `scale.revenue` whose points the model refuses).
fn within_model(v: Decimal) -> bool {
    v.abs() <= Decimal::from(crate::model::MAX_NUMBER)
}

/// `v` where [`within_model`], else None.
fn in_model(v: Decimal) -> Option<Decimal> {
    within_model(v).then_some(v)
}

/// The knob of a cloud series' point, where the model has that series and point.
fn cloud_point(model: &Model, series: CloudSeries, point: usize) -> Option<Knob> {
    (point < cloud_series(model, series)?.points.len())
        .then_some(Knob::CloudPoint { series, point })
}

fn cloud_series(model: &Model, series: CloudSeries) -> Option<&crate::model::Series> {
    let cloud = model.cloud.as_ref()?;
    match series {
        CloudSeries::Spend => Some(&cloud.spend),
        CloudSeries::Share(side) => Some(&cloud_terms(model, side)?.share),
        CloudSeries::TrajectorySpend(t) => match model.trajectories.get(t)?.spend.as_ref()? {
            crate::model::Spend::Ratio(series) => Some(series),
            crate::model::Spend::Amounts(_) => None,
        },
    }
}

fn cloud_series_mut(model: &mut Model, series: CloudSeries) -> Option<&mut crate::model::Series> {
    let cloud = model.cloud.as_mut()?;
    match series {
        CloudSeries::Spend => Some(&mut cloud.spend),
        CloudSeries::Share(side) => {
            let terms = match side {
                Side::ProfitShare => cloud.profit_share.as_mut(),
                Side::Equity => cloud.equity.as_mut(),
            };
            Some(&mut terms?.share)
        }
        CloudSeries::TrajectorySpend(t) => match model.trajectories.get_mut(t)?.spend.as_mut()? {
            crate::model::Spend::Ratio(series) => Some(series),
            crate::model::Spend::Amounts(_) => None,
        },
    }
}

fn cloud_terms(model: &Model, side: Side) -> Option<&crate::model::CloudTerms> {
    let cloud = model.cloud.as_ref()?;
    match side {
        Side::ProfitShare => cloud.profit_share.as_ref(),
        Side::Equity => cloud.equity.as_ref(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Override, document::canonical_path, patch_and_parse};
    use super::*;

    /// Setting a knob gives the very model that the document route gives.
    #[test]
    fn a_knob_sets_what_the_document_would() {
        let text = crate::BUILTIN_MODEL;
        let mut no_files = |_: &str| -> Result<String, String> { Err("none".into()) };
        let base = patch_and_parse("m", text, &[], &mut no_files)
            .unwrap()
            .model;
        let cases = [
            ("discount_rate", "0.12"),
            ("investor.contributions[1][1]", "2.5"),
            ("profit_share.tiers[1].shares.microsoft", "0.4"),
            ("profit_share.tiers[1].until.microsoft", "120.5"),
            ("profit_share.tiers[0].cap_growth", "0.02"),
            ("equity.stake", "0.31"),
            ("equity.dividend_payout", "0.2"),
            ("equity.terminal_discount", "0.1"),
            ("equity.rounds[0].pre_money", "650"),
            ("equity.rounds[0].raise", "100"),
            ("trajectories[base].valuation.growth", "0.05"),
            ("trajectories[bull].revenue.points[1][1]", "20"),
            ("trajectories[base].agi_year", "2031"),
            ("scale.valuation", "1.25"),
            ("scale.revenue[base]", "0.8"),
            ("shift.margin", "-0.05"),
            ("cloud.margin", "0.3"),
            ("cloud.spend.points[1][1]", "0.7"),
            ("profit_share.cloud.share.points[0][1]", "0.9"),
            ("equity.cloud.share.points[2][1]", "0.25"),
            ("equity.cloud.commitment.total", "200"),
        ];
        for (path, value) in cases {
            let o = Override::parse(&format!("{path}={value}")).unwrap();
            let via_document = patch_and_parse("m", text, std::slice::from_ref(&o), &mut no_files)
                .unwrap_or_else(|e| panic!("{path}: {e}"))
                .model;
            let canonical = canonical_path(text, &o.origin, &o.path).unwrap();
            let knob = Knob::resolve(&base, &o.path, &canonical)
                .unwrap_or_else(|| panic!("{path} has no knob"));
            let mut typed = base.clone();
            knob.set(&mut typed, value.parse().unwrap()).unwrap();
            assert_eq!(typed, via_document, "{path}");
        }
    }
}
