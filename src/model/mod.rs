//! The model: the typed, validated values of `stakeshift_core::model` (re-exported here),
//! and reading a model file into them:
//! - `parse`: the raw serde types, the rewriting of serde's messages, and the validation;
//! - [`schema`]: the JSON Schema of a model file (`stakeshift schema`);
//! - `trajectories_csv`: the yearly values a trajectory reads from a CSV file.

mod parse;
pub mod schema;
mod trajectories_csv;

pub use parse::{MAX_PATHS, ModelSource, nearest as nearest_name, parse_model};
pub use stakeshift_core::model::*;
pub use trajectories_csv::parse_trajectories_csv;
