//! The comparison: every chosen trajectory of a model run through both regimes.

use crate::engine::{self, EngineError, TrajectoryResult};
use crate::model::Model;

/// The results for a model, in the order of its trajectories.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub trajectories: Vec<TrajectoryResult>,
}

/// Runs the trajectories whose index is in `selected` (all of them when it is None).
pub fn compare(model: &Model, selected: Option<&[usize]>) -> Result<Comparison, EngineError> {
    let discount = engine::discount_factors(model)?;
    let trajectories = model
        .trajectories
        .iter()
        .enumerate()
        .filter(|(i, _)| selected.is_none_or(|s| s.contains(i)))
        .map(|(_, t)| engine::run_trajectory(model, &discount, t))
        .collect::<Result<_, _>>()?;
    Ok(Comparison { trajectories })
}
