//! stakeshift-core's unit tests: one module per module of the crate, through its public
//! API. They live here rather than beside the code because a crate's own test harness
//! compiles the whole crate a second time, at opt-level 3, which was the longest step of
//! the first `cargo test --release` (Cargo.toml says why the library has `test = false`).

mod draw;
mod error;
mod measures;
mod number;
mod parse;
mod raster;
mod series;
mod simulate;
mod stats;
mod trajectories_csv;
mod waterfall;
