//! The engine's one error: a model that cannot be computed for a trajectory.
//!
//! ```
//! use stakeshift_core::compare::compare;
//! use stakeshift_core::engine::EngineError;
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
//! rounds = [{ year = 2025, raise = 125.0 }]
//! [profit_share]
//! residual = "founders"
//! tiers = [{ name = "Half", shares = { fund = 0.5 } }]
//! [[trajectories]]
//! name = "only"
//! revenue = { points = [[2024, 100.0]] }
//! margin = { points = [[2024, 0.0], [2025, 0.25]] }
//! valuation = { points = [[2024, 100.0], [2025, 125.0]] }"#;
//! let source = ModelSource { text, load: &mut |_| Err("no files".into()) };
//! // The round raises all of 2025's valuation of 125: a pre-money value of 125 - 125 = 0.
//! let error = compare(&parse_model(source).unwrap(), None).unwrap_err();
//! assert_eq!((error.trajectory.as_str(), error.year), ("only", Some(2025)));
//! assert_eq!(error.field, "equity.rounds[0]");
//! // Numbers appear as the model writes them: 125.0, not 125.
//! assert!(error.message.contains("would be 0.0 (valuation 125.0 minus raise 125.0)"));
//! // Shown with the trajectory and the year before the message (the field is for callers).
//! let shown = error.to_string();
//! assert!(shown.starts_with("in trajectory `only`, year 2025: the round's pre-money value "));
//! // Without a trajectory or a year, the message alone.
//! let bare = EngineError { trajectory: String::new(), year: None, ..error };
//! assert_eq!(bare.to_string(), bare.message);
//! ```

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
            // A long name by its start and length, as every message quotes one (helper-271:
            // 5,000 characters quoted whole).
            (false, Some(y)) => write!(
                f,
                "in trajectory `{}`, year {y}: {}",
                crate::error::quoted(&self.trajectory),
                self.message
            ),
            (false, None) => write!(
                f,
                "in trajectory `{}`: {}",
                crate::error::quoted(&self.trajectory),
                self.message
            ),
            (true, Some(y)) => write!(f, "in year {y}: {}", self.message),
            (true, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for EngineError {}
