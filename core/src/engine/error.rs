//! The engine's one error: a model that cannot be computed for a trajectory.

use crate::model::Year;

/// A model that cannot be computed for a trajectory: an amount too large to hold, or a
/// round left without a positive pre-money value. Names the trajectory and the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    /// Empty for errors that do not depend on a trajectory (discount factors).
    pub trajectory: String,
    pub year: Option<Year>,
    /// The model field at fault, where one is (`equity.rounds[0]`).
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.trajectory.is_empty(), self.year) {
            (false, Some(y)) => write!(
                f,
                "in trajectory `{}`, {y}: {}",
                self.trajectory, self.message
            ),
            (false, None) => write!(f, "in trajectory `{}`: {}", self.trajectory, self.message),
            (true, Some(y)) => write!(f, "in {y}: {}", self.message),
            (true, None) => f.write_str(&self.message),
        }
    }
}
