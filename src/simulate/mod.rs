//! `simulate` (SPEC section 10): the runs and their statistics are
//! `stakeshift_core::simulate` (re-exported here); this module turns them into bytes:
//! - [`csv`]: `simulation.csv`, `fan.csv` and `paths.csv`, their columns described once
//!   (which [`json`] and [`table`] read too; the percentiles named by [`PERCENTILES`]);
//! - [`json`]: the same as one JSON document;
//! - [`table`]: the table and the one-sentence conclusion;
//! - [`replay`](mod@replay): one path as a `[[trajectories]]` table for `compare` (`--replay N`).
//!
//! 500 paths of the built-in model, whose `[simulation]` weighs all 6 trajectories:
//!
//! ```
//! use stakeshift::simulate::{Options, csv, run};
//!
//! let model = stakeshift::io::load_model(None)?.model; // None: the built-in model
//! let options = Options { paths: 500, seed: 7, selected: None, fan: false };
//! let results = run(&model, &options, &|_| {}).expect("it runs");
//! assert_eq!(results.per_path.len(), 500);
//! // `all` first, then one group per center; each path has exactly one center.
//! assert_eq!(results.groups.len(), 1 + 6);
//! assert_eq!((results.groups[0].name.as_str(), results.groups[0].paths), ("all", 500));
//! assert_eq!(results.groups[1..].iter().map(|g| g.paths).sum::<u64>(), 500);
//! // The same model, seed and paths give the same results.
//! assert_eq!(run(&model, &options, &|_| {}).expect("it runs"), results);
//! let text = String::from_utf8(csv::simulation(&results)).unwrap();
//! assert!(text.starts_with("group,paths,p_equity_wins,p_equity_wins_se,p_tie,"));
//! assert_eq!(text.lines().count(), 1 + 7); // the header, then a row per group
//! # Ok::<(), stakeshift::Error>(())
//! ```

pub mod csv;
pub mod json;
pub mod replay;
pub mod table;

pub use stakeshift_core::simulate::*;

/// The percentiles' names in every output (columns, keys, headings), one per
/// [`stats::QUANTILES`], in its order: `p5` is the percentile at 0.05.
pub const PERCENTILES: [&str; stats::QUANTILES.len()] = ["p5", "p25", "p50", "p75", "p95"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_percentiles_are_named_by_their_quantiles() {
        for (name, q) in PERCENTILES.iter().zip(stats::QUANTILES) {
            assert_eq!(*name, format!("p{}", (q * 100.0).round()));
        }
    }
}
