//! stakeshift-core: the rules of stakeshift, free of I/O, in exact decimals or in `f64`.
//!
//! This crate is the part of stakeshift whose speed a user notices: reading a model's text
//! (a sweep reads it once per point), the engine that runs a capped profit share and a
//! diluted equity stake year by year, and the simulation that runs it a million times. It is
//! built fully optimised; the `stakeshift` crate around it (files, overrides, tables, CSV,
//! JSON, workbooks, drawing the charts, the command line) is built for a quick first build,
//! and offers these modules under the same names (all but [`raster`], which only its charts
//! use).
//! - [`model`]: the model (a deal's terms and its trajectories) as typed values, and
//!   `parse_model`, which reads a model's text into them exactly and validates it;
//! - [`engine`]: the computation (SPEC sections 2 to 5), generic over the number type;
//! - [`compare`]: every trajectory through both regimes, in exact decimals;
//! - [`simulate`]: many random futures through the engine in `f64`, and their statistics;
//! - [`raster`]: the charts' one per-pixel loop of our own (averaging the supersampled image;
//!   the drawing itself, generic over plotters' backends, is compiled in `stakeshift`);
//! - [`error`]: the error type and its exit codes.
//!
//! The rules live once, generic over [`engine::Num`]: the same function gives the exact
//! answer in `Decimal` and the fast one in `f64`.
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::engine::measures::npv;
//!
//! // 10 a year for two years and a terminal value of 100, discounted at 10% a year.
//! let factors = [Decimal::new(10, 0) / Decimal::new(11, 0), Decimal::new(100, 0) / Decimal::new(121, 0)];
//! let exact = npv(&[Decimal::TEN, Decimal::TEN], &factors, Decimal::ONE_HUNDRED).unwrap();
//! let fast = npv(&[10.0, 10.0], &[1.0 / 1.1, 1.0 / 1.21], 100.0).unwrap();
//! // 10/1.1 + 10/1.21 + 100/1.21 = 100
//! assert_eq!(exact.round_dp(20), Decimal::ONE_HUNDRED);
//! assert!((fast - 100.0).abs() < 1e-12);
//! ```

// The library never prints: the binary decides what reaches the terminal.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

pub mod compare;
pub mod engine;
pub mod error;
pub mod model;
pub mod raster;
pub mod simulate;

pub use error::{Error, Result};
