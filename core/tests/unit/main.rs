//! stakeshift-core's unit tests: one module per module of the crate that has them, through
//! its public API. They live here rather than beside the code because a crate's own test
//! harness compiles the whole crate a second time, at opt-level 3: 12 s, the longest step of
//! the first `cargo test --release` on two cores. Hence `test = false` for the library in
//! core/Cargo.toml.

mod allocations;
mod deal;
mod draw;
mod error;
mod measures;
mod normal;
mod number;
mod parse;
mod raster;
mod series;
mod simulate;
mod stats;
mod trajectories_csv;
mod waterfall;
mod words;
