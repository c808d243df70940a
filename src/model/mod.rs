//! The model: the typed, validated values of `stakeshift_core::model` and the parser that
//! reads a model file into them (re-exported here), and [`schema`]: the JSON Schema of a
//! model file (`stakeshift schema`).

pub mod schema;

pub use stakeshift_core::model::*;
