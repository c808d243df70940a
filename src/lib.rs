//! stakeshift: what an investor gets from a capped profit-sharing deal against an equity
//! stake diluted by later rounds, year by year, across trajectories for the company.
//!
//! The library does the work, charts and files included; the binary parses the command
//! line, picks what a flag asks for, and says what happened (errors, warnings, exit codes). The rules
//! themselves (the model and its parser, engine, compare, simulate's runs, errors, and the
//! charts' pixel averaging) are the crate `stakeshift-core` (core/), fully optimised, and
//! re-exported here under the same names; the rest is built for a quick first build.
//! - [`model`]: the model file, read exactly and validated (SPEC sections 1 and 6);
//! - [`engine`]: the computation (sections 2 to 5), free of I/O;
//! - [`compare`]: every trajectory through both regimes;
//! - [`report`]: results turned into bytes (table, CSV, JSON, the workbook);
//! - [`simulate`]: many random futures through the engine in f64, and their statistics;
//! - [`chart`]: results drawn as PNG and SVG bytes;
//! - [`io`]: reading model files and writing output files atomically;
//! - [`sensitivity`]: `sweep`, `solve` and `tornado` (SPEC section 11);
//! - [`overrides`]: `--set PATH=VALUE`, applied to the model's TOML before it is validated.
//!
//! Running a model from code:
//!
//! ```
//! use rust_decimal::Decimal;
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let base = comparison.trajectories.iter().find(|t| t.name == "base").unwrap();
//! // The stake's 2025 value: 27% of 500 bn.
//! let row = base.equity.rows.iter().find(|r| r.year == 2025).unwrap();
//! assert_eq!(row.holding_value, Decimal::from(135));
//! # Ok::<(), stakeshift::Error>(())
//! ```

// The library never prints: the binary decides what reaches the terminal.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

// The rules (and the types they work on) are a crate of their own, built fully optimised
// while this one is built for a quick first build: see Cargo.toml. Re-exported here, so
// that `stakeshift::engine` is the one path to them.
pub use stakeshift_core::{compare, engine, error};

pub mod chart;
pub mod io;
pub mod model;
pub mod overrides;
pub mod report;
pub mod sensitivity;
pub mod simulate;

pub use error::{Error, Result};

/// The built-in Microsoft-OpenAI model, compiled into the binary.
pub const BUILTIN_MODEL: &str = include_str!("../models/msft-openai.toml");
/// The built-in model as `init` writes it out: without its first line, the `#:schema`
/// directive that points editors at `docs/` from `models/` in this repository, where a
/// copy elsewhere would point at nothing (`stakeshift schema` prints the schema to use).
pub fn model_to_edit() -> &'static str {
    match BUILTIN_MODEL.split_once('\n') {
        Some((first, rest)) if first.starts_with("#:schema ") => rest,
        _ => BUILTIN_MODEL,
    }
}

/// The name the built-in model is reported under.
pub const BUILTIN_MODEL_NAME: &str = "models/msft-openai.toml (built in)";
