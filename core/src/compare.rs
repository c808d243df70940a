//! The comparison: every chosen trajectory of a model run through both regimes.
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::compare::compare;
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
//! let only = &compare(&parse_model(source).unwrap(), None).unwrap().trajectories[0];
//! // 10 paid in 2024; 2025's profit of 100 x 0.25 = 25 is discounted by 1/1.25 = 0.8.
//! // Profit share, half the profit:    -10 + 12.5 x 0.8 = 0.
//! // Equity, 20% of the 125 valuation: -10 + 25 x 0.8 = 10.
//! assert_eq!(only.profit_share.measures.npv, Decimal::ZERO);
//! assert_eq!(only.equity.measures.npv, Decimal::TEN);
//! assert_eq!(only.winner.as_str(), "equity");
//! // The NPVs are equal with every valuation halved: -10 + (0.2 x 125 x 0.5) x 0.8 = 0.
//! assert_eq!(only.breakeven_scale, Some(Decimal::new(5, 1)));
//! ```

use rust_decimal::Decimal;

use crate::engine::{self, EngineError, Outcome, TrajectoryResult};
use crate::model::Model;

/// The results for a model, in the order its trajectories were selected.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub trajectories: Vec<TrajectoryResult>,
}

/// Runs the trajectories whose index is in `selected`, in that order (all of them, in the
/// model's order, when it is None).
pub fn compare(model: &Model, selected: Option<&[usize]>) -> Result<Comparison, EngineError> {
    let discount = engine::discount_factors(model)?;
    // The trajectories in the order they were selected (the order asked for on the
    // command line), else the model's; an index past the model's names none.
    let chosen: Vec<&crate::model::Trajectory> = match selected {
        None => model.trajectories.iter().collect(),
        Some(s) => s
            .iter()
            .filter_map(|&i| model.trajectories.get(i))
            .collect(),
    };
    let trajectories = chosen
        .into_iter()
        .map(|t| engine::run_trajectory(model, &discount, t))
        .collect::<Result<_, _>>()?;
    Ok(Comparison { trajectories })
}

/// Runs the trajectories `selected` (by index) in exact decimals, NPVs and winner only: the
/// engine's lightest detail level (no rows, no IRR, no break-even search), for the many runs
/// of a sweep, a tornado or a solve; one outcome per index, in that order. An engine error
/// names the trajectory.
///
/// # Panics
/// When an index is past the model's trajectories (the callers' indices come from looking
/// names up in this model).
pub fn outcomes(model: &Model, selected: &[usize]) -> Result<Vec<Outcome<Decimal>>, EngineError> {
    let discount = engine::discount_factors(model)?;
    let deal = engine::Deal::<Decimal>::of(model, &discount);
    selected
        .iter()
        .map(|&t| engine::run_outcome(model, &deal, &model.trajectories[t]))
        .collect()
}
