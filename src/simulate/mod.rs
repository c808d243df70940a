//! `simulate` (SPEC section 10): the runs and their statistics are
//! `stakeshift_core::simulate` (re-exported here); this module turns them into bytes:
//! - [`csv`]: `simulation.csv`, `fan.csv` and `paths.csv`, their columns described once;
//! - [`json`]: the same as one JSON document;
//! - [`table`]: the table and the one-sentence conclusion.

pub mod csv;
pub mod json;
pub mod table;

pub use stakeshift_core::simulate::*;
