//! Yearly values of a trajectory: series interpolation (SPEC section 2) and the [`Path`] of
//! revenue, profit and valuation that the engine runs on.
//!
//! Geometric interpolation needs a fractional power, which `Decimal` cannot take to the
//! accuracy the SPEC asks (1e-12 relative). It is the one place the engine leaves decimals:
//! the ratio and the exponent go to `f64`, `powf` takes the power (accurate to about 1e-16),
//! and the factor comes back as a `Decimal` that multiplies the exact starting value (or,
//! for points so far apart in size that a decimal's 28 places cannot hold the ratio or the
//! factor to 1e-12, the value itself is taken in `f64`).
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::engine::series::{Kind, value_at};
//! use stakeshift_core::model::Series;
//!
//! // A valuation of 50 in 2024 and 200 in 2026, growing 10% a year after.
//! let points = vec![(2024, Decimal::from(50)), (2026, Decimal::from(200))];
//! let valuation = Series { points, growth: Decimal::new(1, 1) };
//! let at = |year| value_at(&valuation, Kind::Compounding, year).unwrap();
//! // Geometric between points, 50 x (200/50)^(1/2) = 100 (not the 125 of a straight line);
//! // compounding after the last, 200 x 1.1 = 220; 0 before the first.
//! assert_eq!(at(2025), Decimal::from(100));
//! assert_eq!(at(2027), Decimal::from(220));
//! assert_eq!(at(2023), Decimal::ZERO);
//! // A margin of -0.1 in 2024 and 0.3 in 2026: a straight line, held after the last point.
//! let points = vec![(2024, Decimal::new(-1, 1)), (2026, Decimal::new(3, 1))];
//! let margin = Series { points, growth: Decimal::ZERO };
//! assert_eq!(value_at(&margin, Kind::Linear, 2025), Some(Decimal::new(1, 1)));
//! assert_eq!(value_at(&margin, Kind::Linear, 2030), Some(Decimal::new(3, 1)));
//! ```

use rust_decimal::prelude::*;

use super::error::EngineError;
use super::number::Num;
use super::regimes::PathRef;
use crate::model::{Model, Series, Spend, Trajectory, TrajectorySource, Year};

/// A trajectory's values for each year start_year..=end_year (index 0 is start_year), in
/// the engine's number type (exact decimals unless converted).
#[derive(Debug, Clone, PartialEq)]
pub struct Path<N = Decimal> {
    pub revenue: Vec<N>,
    pub profit: Vec<N>,
    pub valuation: Vec<N>,
    /// The company's compute spend each year, in the model's unit (SPEC 13); empty when the
    /// model has no cloud side.
    pub spend: Vec<N>,
}

impl<N: Num> Path<N> {
    /// The same path in another number type.
    pub fn convert<M: Num>(&self) -> Path<M> {
        let convert = |v: &[N]| v.iter().map(|x| M::from_decimal(x.to_decimal())).collect();
        Path {
            revenue: convert(&self.revenue),
            profit: convert(&self.profit),
            valuation: convert(&self.valuation),
            spend: convert(&self.spend),
        }
    }

    /// The path as the engine takes it, with its AGI year (and no failure).
    pub fn as_ref(&self, agi_year: Option<Year>) -> PathRef<'_, N> {
        PathRef {
            revenue: &self.revenue,
            profit: &self.profit,
            valuation: &self.valuation,
            spend: &self.spend,
            agi_year,
            failure_year: None,
        }
    }
}

/// How a series behaves between and after its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Revenue and valuation: geometric between positive points, compounding after the last.
    Compounding,
    /// Margin: linear between points, held after the last.
    Linear,
}

impl Path {
    /// The path of `trajectory` over the model's years, in exact decimals.
    pub fn of(model: &Model, trajectory: &Trajectory) -> Result<Path, EngineError> {
        let overflow = |year: Year, what: &str| EngineError {
            trajectory: trajectory.name.clone(),
            year: Some(year),
            field: String::new(),
            message: format!(
                "the {what} is too large to hold in a 28-digit decimal; check the series' points and growth"
            ),
        };
        let mut path = match &trajectory.source {
            TrajectorySource::Table {
                revenue,
                profit,
                valuation,
            } => Path {
                revenue: revenue.clone(),
                profit: profit.clone(),
                valuation: valuation.clone(),
                spend: Vec::new(),
            },
            TrajectorySource::Series {
                revenue,
                margin,
                valuation,
            } => {
                let n = model.years();
                let mut path = Path {
                    revenue: Vec::with_capacity(n),
                    profit: Vec::with_capacity(n),
                    valuation: Vec::with_capacity(n),
                    spend: Vec::new(),
                };
                for year in model.start_year..=model.end_year {
                    let r = value_at(revenue, Kind::Compounding, year)
                        .ok_or_else(|| overflow(year, "revenue"))?;
                    let m = value_at(margin, Kind::Linear, year)
                        .ok_or_else(|| overflow(year, "margin"))?;
                    let v = value_at(valuation, Kind::Compounding, year)
                        .ok_or_else(|| overflow(year, "valuation"))?;
                    let p = r.checked_mul(m).ok_or_else(|| overflow(year, "profit"))?;
                    path.revenue.push(r);
                    path.profit.push(p);
                    path.valuation.push(v);
                }
                path
            }
        };
        if let Some(cloud) = &model.cloud {
            // Compute spend: the trajectory's own amounts, or a fraction of revenue.
            path.spend = match &trajectory.spend {
                Some(Spend::Amounts(amounts)) => amounts.clone(),
                own => {
                    let ratio = match own {
                        Some(Spend::Ratio(series)) => series,
                        _ => &cloud.spend,
                    };
                    let mut spend = Vec::with_capacity(path.revenue.len());
                    for (year, revenue) in (model.start_year..).zip(&path.revenue) {
                        let share = value_at(ratio, Kind::Linear, year)
                            .ok_or_else(|| overflow(year, "compute spend"))?;
                        let amount = revenue
                            .checked_mul(share)
                            .ok_or_else(|| overflow(year, "compute spend"))?;
                        spend.push(amount);
                    }
                    spend
                }
            };
        }
        Ok(path)
    }
}

/// The ratio and factors below this keep fewer than 16 significant digits in a decimal's
/// 28 places.
const SMALLEST_DECIMAL_FACTOR: f64 = 1e-12;

/// vi x (vj / vi)^t for positive vi and vj and t in (0, 1): geometric interpolation. The
/// value lies between vi and vj, so it always fits. Where the ratio or the factor is too
/// small for a decimal's 28 places to hold to 1e-12 (or, the ratio, to hold at all), they
/// are taken in f64 (helper-101: 1e18 to 2e-28 over two years gave 0 between, where
/// 1.4e-5 is right, and 1e-28 to 1e18 was refused as too large).
fn geometric_between(vi: Decimal, vj: Decimal, t: f64) -> Option<Decimal> {
    // SMALLEST_DECIMAL_FACTOR as a decimal: 1e-12.
    const PRECISE: Decimal = Decimal::from_parts(1, 0, 0, false, 12);
    let ratio = match vj.checked_div(vi) {
        Some(ratio) if ratio >= PRECISE => Num::to_f64(ratio),
        _ => Num::to_f64(vj) / Num::to_f64(vi),
    };
    let factor = ratio.powf(t);
    if factor >= SMALLEST_DECIMAL_FACTOR
        && let Some(factor) = Decimal::from_f64(factor)
    {
        return vi.checked_mul(factor);
    }
    Decimal::from_f64(Num::to_f64(vi) * factor)
}

/// The value of `series` in `year` (SPEC section 2); None where it is too large to hold.
pub fn value_at(series: &Series, kind: Kind, year: Year) -> Option<Decimal> {
    let points = &series.points;
    let (first_year, _) = *points.first()?;
    if year < first_year {
        return Some(Decimal::ZERO);
    }
    // The last point at or before `year`.
    let i = points.partition_point(|(y, _)| *y <= year) - 1;
    let (yi, vi) = points[i];
    if yi == year {
        return Some(vi);
    }
    match points.get(i + 1) {
        Some(&(yj, vj)) => {
            let dt = Decimal::from(year - yi);
            let span = Decimal::from(yj - yi);
            if kind == Kind::Compounding && vi > Decimal::ZERO && vj > Decimal::ZERO {
                geometric_between(vi, vj, f64::from(year - yi) / f64::from(yj - yi))
            } else {
                vi.checked_add(vj.checked_sub(vi)?.checked_mul(dt)?.checked_div(span)?)
            }
        }
        None => match kind {
            Kind::Linear => Some(vi),
            Kind::Compounding => {
                if series.growth.is_zero() {
                    return Some(vi);
                }
                let factor = (Decimal::ONE + series.growth).checked_powi(i64::from(year - yi))?;
                vi.checked_mul(factor)
            }
        },
    }
}
