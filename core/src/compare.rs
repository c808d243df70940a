//! The comparison: every chosen trajectory of a model run through both regimes.

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
