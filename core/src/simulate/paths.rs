//! Every path's results, a column per field ([`PathColumns`]): what `paths.csv` has, in
//! path order.
//!
//! Columns rather than a row per path: the statistics read each quantity over all paths
//! (two passes over 8 MB for a million paths, where a row per path made each pass read
//! 56 MB), and the threads write a block of paths' results straight into their places.
//!
//! ```
//! use stakeshift_core::engine::Winner;
//! use stakeshift_core::simulate::PathResult;
//! use stakeshift_core::simulate::paths::PathColumns;
//!
//! let path = PathResult {
//!     center: 1,
//!     skipped_rounds: 0,
//!     agi_year: Some(2031),
//!     failure_year: None,
//!     npv_profit_share: 2.5,
//!     npv_equity: 4.0,
//!     npv_advantage: 1.5,
//!     winner: Winner::Equity,
//! };
//! let columns: PathColumns = [path, PathResult { agi_year: None, ..path }].into_iter().collect();
//! assert_eq!(columns.len(), 2);
//! assert_eq!(columns.get(0), path);
//! assert_eq!(columns.get(1).agi_year, None);
//! assert_eq!(columns.npv_advantage(), &[1.5, 1.5]);
//! ```

use rayon::prelude::*;

use super::PathResult;
use crate::engine::Winner;
use crate::model::Year;

/// A year column's "none" (a model's years are far from it: see `MAX_YEAR`).
const NO_YEAR: Year = Year::MIN;

/// What happened on a group's paths beside their NPVs (SPEC 10: failures, AGI, rounds that
/// did not happen).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Events {
    /// Paths whose company failed.
    pub failed: u64,
    /// Paths on which AGI was declared within the horizon.
    pub reached_agi: u64,
    /// Of those, the paths whose company had failed by then (in or before the AGI year):
    /// SPEC 10.4 draws the AGI year whatever a failure, and a failed company reaches
    /// nothing, which the table says (helper-127).
    pub agi_after_failure: u64,
    /// Rounds that did not happen (SPEC 10.6).
    pub skipped_rounds: u64,
    /// Paths that lost at least one round.
    pub paths_with_skipped_rounds: u64,
}

/// Every path's [`PathResult`], a column per field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PathColumns {
    center: Vec<u32>,
    skipped_rounds: Vec<u32>,
    agi_year: Vec<Year>,
    failure_year: Vec<Year>,
    npv_profit_share: Vec<f64>,
    npv_equity: Vec<f64>,
    npv_advantage: Vec<f64>,
    winner: Vec<Winner>,
}

fn year(y: Year) -> Option<Year> {
    (y != NO_YEAR).then_some(y)
}

impl PathColumns {
    /// `n` paths' places, to be written by [`PathColumns::blocks_mut`]. The numbers' and
    /// years' columns are allocated zeroed, which the system does page by page as they are
    /// first written (by the threads that write them), not here.
    pub(super) fn with_len(n: usize) -> Self {
        PathColumns {
            center: vec![0; n],
            skipped_rounds: vec![0; n],
            agi_year: vec![0; n],
            failure_year: vec![0; n],
            npv_profit_share: vec![0.0; n],
            npv_equity: vec![0.0; n],
            npv_advantage: vec![0.0; n],
            winner: vec![Winner::Tie; n],
        }
    }

    pub fn len(&self) -> usize {
        self.winner.len()
    }

    pub fn is_empty(&self) -> bool {
        self.winner.is_empty()
    }

    /// Path `p`'s result.
    ///
    /// # Panics
    /// If there is no path `p`.
    pub fn get(&self, p: usize) -> PathResult {
        PathResult {
            center: self.center[p],
            skipped_rounds: self.skipped_rounds[p],
            agi_year: year(self.agi_year[p]),
            failure_year: year(self.failure_year[p]),
            npv_profit_share: self.npv_profit_share[p],
            npv_equity: self.npv_equity[p],
            npv_advantage: self.npv_advantage[p],
            winner: self.winner[p],
        }
    }

    /// Every path's result, in path order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = PathResult> + '_ {
        (0..self.len()).map(|p| self.get(p))
    }

    /// Each path's center, an index into the simulation's centers.
    pub fn center(&self) -> &[u32] {
        &self.center
    }

    pub fn winner(&self) -> &[Winner] {
        &self.winner
    }

    pub fn npv_profit_share(&self) -> &[f64] {
        &self.npv_profit_share
    }

    pub fn npv_equity(&self) -> &[f64] {
        &self.npv_equity
    }

    pub fn npv_advantage(&self) -> &[f64] {
        &self.npv_advantage
    }

    /// The three quantities the statistics summarize, in the order of a group's summaries:
    /// the NPV of the profit share, of the stake, and the advantage.
    pub fn quantities(&self) -> [&[f64]; 3] {
        [
            &self.npv_profit_share,
            &self.npv_equity,
            &self.npv_advantage,
        ]
    }

    /// How many paths failed, declared AGI by `end` (the last year), and of those had
    /// failed by then (in or before the AGI year); the rounds left out, and the paths that
    /// left one out: of all paths (first), then of each of `centers` centers' paths.
    pub(super) fn events(&self, end: Year, centers: usize) -> Vec<Events> {
        let mut counts = vec![Events::default(); centers + 1];
        for (((&agi, &failure), &skipped), &center) in self
            .agi_year
            .iter()
            .zip(&self.failure_year)
            .zip(&self.skipped_rounds)
            .zip(&self.center)
        {
            let failed = failure != NO_YEAR;
            let reached = agi != NO_YEAR && agi <= end;
            for g in [0, center as usize + 1] {
                let events = &mut counts[g];
                events.failed += u64::from(failed);
                events.reached_agi += u64::from(reached);
                events.agi_after_failure += u64::from(reached && failed && failure <= agi);
                events.skipped_rounds += u64::from(skipped);
                events.paths_with_skipped_rounds += u64::from(skipped > 0);
            }
        }
        counts
    }

    /// The paths in blocks of `block` (the last one shorter), in parallel, each block's
    /// places in every column.
    pub(super) fn blocks_mut(
        &mut self,
        block: usize,
    ) -> impl IndexedParallelIterator<Item = PathsMut<'_>> {
        self.center
            .par_chunks_mut(block)
            .zip(self.skipped_rounds.par_chunks_mut(block))
            .zip(self.agi_year.par_chunks_mut(block))
            .zip(self.failure_year.par_chunks_mut(block))
            .zip(self.npv_profit_share.par_chunks_mut(block))
            .zip(self.npv_equity.par_chunks_mut(block))
            .zip(self.npv_advantage.par_chunks_mut(block))
            .zip(self.winner.par_chunks_mut(block))
            .map(
                |(
                    (
                        (
                            ((((center, skipped_rounds), agi_year), failure_year), profit_share),
                            equity,
                        ),
                        advantage,
                    ),
                    winner,
                )| PathsMut {
                    center,
                    skipped_rounds,
                    agi_year,
                    failure_year,
                    npv_profit_share: profit_share,
                    npv_equity: equity,
                    npv_advantage: advantage,
                    winner,
                },
            )
    }
}

impl FromIterator<PathResult> for PathColumns {
    fn from_iter<I: IntoIterator<Item = PathResult>>(paths: I) -> Self {
        let mut columns = PathColumns::default();
        for p in paths {
            columns.center.push(p.center);
            columns.skipped_rounds.push(p.skipped_rounds);
            columns.agi_year.push(p.agi_year.unwrap_or(NO_YEAR));
            columns.failure_year.push(p.failure_year.unwrap_or(NO_YEAR));
            columns.npv_profit_share.push(p.npv_profit_share);
            columns.npv_equity.push(p.npv_equity);
            columns.npv_advantage.push(p.npv_advantage);
            columns.winner.push(p.winner);
        }
        columns
    }
}

/// A block of paths' places in every column.
pub(super) struct PathsMut<'a> {
    center: &'a mut [u32],
    skipped_rounds: &'a mut [u32],
    agi_year: &'a mut [Year],
    failure_year: &'a mut [Year],
    npv_profit_share: &'a mut [f64],
    npv_equity: &'a mut [f64],
    npv_advantage: &'a mut [f64],
    winner: &'a mut [Winner],
}

impl PathsMut<'_> {
    pub(super) fn len(&self) -> usize {
        self.winner.len()
    }

    /// Puts the block's `j`-th path's result in place.
    #[inline(always)]
    pub(super) fn set(&mut self, j: usize, p: PathResult) {
        self.center[j] = p.center;
        self.skipped_rounds[j] = p.skipped_rounds;
        self.agi_year[j] = p.agi_year.unwrap_or(NO_YEAR);
        self.failure_year[j] = p.failure_year.unwrap_or(NO_YEAR);
        self.npv_profit_share[j] = p.npv_profit_share;
        self.npv_equity[j] = p.npv_equity;
        self.npv_advantage[j] = p.npv_advantage;
        self.winner[j] = p.winner;
    }
}
