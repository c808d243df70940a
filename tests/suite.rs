//! Every integration test, in one test binary: one link of the library instead of one per
//! file, which was most of the time a first `cargo test` took after the release build. Each
//! file of `tests/` is a module here and reads as before; `tests/common` holds the helpers
//! they share. Run one file's tests with `cargo test --release --test suite cli::`.

mod common;

mod bad_models;
mod charts;
mod cli;
mod cloud;
mod conveniences;
mod doc_excerpts;
mod engine_f64;
mod explain;
mod facts;
mod hand_cases;
mod io_hardening;
mod model_hardening;
mod no_panic;
mod overrides;
mod properties;
mod reference_cases;
mod schema;
mod sensitivity;
mod sensitivity_reference;
mod simulate;
mod snapshots;
mod unit_scale;
mod workbook;
