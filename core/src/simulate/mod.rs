//! `simulate` (SPEC section 10): many random futures around the model's trajectories, both
//! regimes on each, and the distribution of the answer.
//!
//! - [`draw`]: one path: its center, its yearly values, its AGI and failure years, from its
//!   own counter-based random stream;
//! - [`stats`]: shares, means, standard deviations and percentiles;
//! - [`run`]: all paths in parallel (rayon) through the engine in `f64`, NPVs and winner
//!   only, and their statistics; [`replay()`]: one path again, for `--replay` (which the
//!   `stakeshift` crate writes out as a `[[trajectories]]` table).
//!
//! Deterministic: path p's draws depend only on the seed and p, results are kept in path
//! order and summed in that order, and percentiles are exact order statistics; so the same
//! model, seed and path count give the same bytes whatever the number of threads (and a
//! run that fails names the same, lowest, failing path).
//! Memory is bounded by a few numbers per path (a million paths: about 60 MB at the peak;
//! the results are kept a column per field, [`paths::PathColumns`], and the statistics
//! read them where they lie), never per path and year, except for the fan chart's fixed
//! sample of at most [`FAN_SAMPLE`] paths and [`FAN_PATH_YEARS`] path-years
//! ([`fan_sample`]).
//!
//! ```
//! use stakeshift_core::compare::compare;
//! use stakeshift_core::engine::Num;
//! use stakeshift_core::model::{ModelSource, parse_model};
//! use stakeshift_core::simulate::{Options, run};
//!
//! let text = r#"name = "Tiny"
//! unit = "USD m"
//! start_year = 2024
//! end_year = 2025
//! valuation_year = 2024
//! discount_rate = 0.25
//! investor = { party = "fund", contributions = [[2024, 10.0]] }
//! equity = { from_year = 2025, stake = 0.2 }
//! simulation = { revenue_vol = 0.0, margin_vol = 0.0, valuation_vol = 0.0 }
//! [profit_share]
//! residual = "founders"
//! tiers = [{ name = "Half", shares = { fund = 0.5 } }]
//! [[trajectories]]
//! name = "only"
//! revenue = { points = [[2024, 100.0]] }
//! margin = { points = [[2024, 0.0], [2025, 0.25]] }
//! valuation = { points = [[2024, 100.0], [2025, 125.0]] }"#;
//! let source = ModelSource { text, load: &mut |_| Err("no files".into()) };
//! let model = parse_model(source).unwrap();
//! let options = Options { paths: 100, seed: 7, selected: None, fan: false };
//! let results = run(&model, &options, &|_paths_done| {}).unwrap();
//! // Every vol is 0 (the hazards are 0 by default): each path is its center, and gives the
//! // advantage compare gives, in f64.
//! // 10 paid in 2024; 2025's profit of 100 x 0.25 = 25 is discounted by 1/1.25 = 0.8.
//! // Profit share, half the profit:    -10 + 12.5 x 0.8 = 0.
//! // Equity, 20% of the 125 valuation: -10 + 25 x 0.8 = 10.
//! let center = compare(&model, None).unwrap().trajectories[0].npv_advantage.to_f64();
//! assert_eq!(center, 10.0);
//! assert!(results.per_path.iter().all(|p| (p.npv_advantage - center).abs() < 1e-12));
//! let all = &results.groups[0];
//! assert_eq!((all.name.as_str(), all.paths, all.equity_wins), ("all", 100, 100));
//! ```

pub mod draw;
pub mod normal;
pub mod paths;
pub mod stats;
pub mod words;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rand::RngCore;
use rayon::prelude::*;

use crate::engine::waterfall::Observer;
use crate::engine::{
    self, Deal, EngineError, NpvOnly, Num, Outcome, PathRef, Progress, Recorder, Regime,
    RoundPolicy, Scratch, Winner, YearRow,
};
use crate::model::{Model, Year};
use draw::{Center, Drawn, PathValues, Process, Streams, draw_path};
use paths::PathColumns;
use stats::{QUANTILES, Summary};
use words::{ChunkWords, PathStream};

/// The fan chart's percentiles come from the first this many paths at most (issue 7: at
/// most 100,000); everything else covers all paths.
pub const FAN_SAMPLE: u64 = 100_000;

/// The most path-years the fan sample holds: 100,000 paths of the built-in model's 27 years
/// (two values a path-year, 43 MB). A longer model's sample has fewer paths, at least
/// [`FAN_SAMPLE_LEAST`] (helper-175: 100,000 paths of a 500-year model held 800 MB).
pub const FAN_PATH_YEARS: u64 = 2_700_000;

/// The fewest paths a fan sample of [`FAN_PATH_YEARS`] keeps (a 500-year model: 5,400).
pub const FAN_SAMPLE_LEAST: u64 = 5_000;

/// How many of `paths` the fan's sample holds for a model of `years` years: all of them up
/// to [`FAN_SAMPLE`] and [`FAN_PATH_YEARS`], never fewer than [`FAN_SAMPLE_LEAST`] (nor
/// than the paths).
///
/// ```
/// use stakeshift_core::simulate::fan_sample;
/// assert_eq!(fan_sample(1_000_000, 27), 100_000); // the built-in model
/// assert_eq!(fan_sample(1_000_000, 500), 5_400);
/// assert_eq!(fan_sample(3_000, 500), 3_000);
/// ```
pub fn fan_sample(paths: u64, years: u64) -> u64 {
    let by_years = (FAN_PATH_YEARS / years.max(1)).clamp(FAN_SAMPLE_LEAST, FAN_SAMPLE);
    paths.min(by_years)
}

/// Paths are handed to the threads in runs of at least this many, and progress is told a
/// block at a time.
const BLOCK: usize = 1024;

/// What to simulate: `[simulation]` with the command line's overrides applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub paths: u64,
    pub seed: u64,
    /// Trajectory indexes allowed as centers (`--trajectory`); None for all.
    pub selected: Option<Vec<usize>>,
    /// Keep each year's investor value for the fan chart (costs time on the sample).
    pub fan: bool,
}

/// One path's result: what `paths.csv` has for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathResult {
    /// Index into [`Results::centers`].
    pub center: u32,
    pub skipped_rounds: u32,
    pub agi_year: Option<Year>,
    pub failure_year: Option<Year>,
    pub npv_profit_share: f64,
    pub npv_equity: f64,
    pub npv_advantage: f64,
    pub winner: Winner,
}

impl PathResult {
    /// The result of a path not run because an earlier one failed (never reported).
    const SKIPPED: PathResult = PathResult {
        center: 0,
        skipped_rounds: 0,
        agi_year: None,
        failure_year: None,
        npv_profit_share: 0.0,
        npv_equity: 0.0,
        npv_advantage: 0.0,
        winner: Winner::Tie,
    };
}

/// The statistics of a group of paths (all, or one center's): a row of `simulation.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// `all` or the center's name.
    pub name: String,
    pub paths: u64,
    pub equity_wins: u64,
    pub ties: u64,
    /// None for a group without paths.
    pub npv_profit_share: Option<Summary>,
    pub npv_equity: Option<Summary>,
    pub npv_advantage: Option<Summary>,
    /// Its paths' failures, AGI declarations and rounds that did not happen.
    pub events: paths::Events,
}

impl Group {
    /// P(equity wins).
    pub fn p_equity_wins(&self) -> f64 {
        self.equity_wins as f64 / self.paths as f64
    }
    /// Its standard error sqrt(p (1 - p) / n).
    pub fn p_equity_wins_se(&self) -> f64 {
        let p = self.p_equity_wins();
        (p * (1.0 - p) / self.paths as f64).sqrt()
    }
    /// Its 95% interval, Wilson's ([`stats::interval_95`]): the one the table, the JSON and
    /// `distribution.png` give.
    pub fn p_equity_wins_95(&self) -> (f64, f64) {
        stats::interval_95(self.p_equity_wins(), self.paths)
    }
    pub fn p_tie(&self) -> f64 {
        self.ties as f64 / self.paths as f64
    }
}

/// One row of `fan.csv`: the investor's value in a year (cumulative cash flow, plus the
/// holding value under the stake), undiscounted, over the fan sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FanRow {
    pub regime: Regime,
    pub year: Year,
    /// At [`QUANTILES`].
    pub percentiles: [f64; 5],
    pub mean: f64,
}

/// A whole simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub paths: u64,
    pub seed: u64,
    /// The centers that can be drawn (weight > 0), in the model's order.
    pub centers: Vec<String>,
    /// `all` first, then each center.
    pub groups: Vec<Group>,
    /// Empty unless asked for.
    pub fan: Vec<FanRow>,
    /// Paths in the fan sample.
    pub fan_paths: u64,
    /// Every path, in order.
    pub per_path: PathColumns,
}

impl Results {
    /// What happened on all paths: the `all` group's (none for results without groups).
    pub fn events(&self) -> paths::Events {
        self.groups
            .first()
            .map_or_else(paths::Events::default, |all| all.events)
    }

    /// The NPV advantages of all paths, sorted (for the distribution chart).
    pub fn sorted_advantages(&self) -> Vec<f64> {
        let mut v: Vec<f64> = self.per_path.npv_advantage().to_vec();
        v.par_sort_unstable_by(f64::total_cmp);
        v
    }
}

/// A simulation that cannot run: a `[simulation]` field, a count of paths, or a path the
/// engine cannot compute. (How a caller's options are named, the command line's flags, is
/// the caller's to say.)
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimulateError {
    /// Names the offending `[simulation]` field.
    #[error("{message}")]
    Field { field: String, message: String },
    /// More paths than this machine can index.
    #[error("too many paths for this machine")]
    TooManyPaths,
    /// A path asked for again that the simulation does not have.
    #[error("there is no path {path}: paths are numbered 0 to {}", .paths.saturating_sub(1))]
    NoSuchPath { path: u64, paths: u64 },
    /// A center the engine cannot compute (an amount too large to hold).
    #[error(transparent)]
    Engine(EngineError),
    /// A simulated path the engine cannot compute: in practice an amount too large to
    /// hold, which the shocks made (the note says how; `compare`'s errors do not).
    #[error("on simulated path {path} (center `{center}`){}: {} (a path's amounts are its center's times e^(shocks): large vols and valuation_beta compound them year after year)", .error.year.map(|y| format!(", year {y}")).unwrap_or_default(), .error.message)]
    Path {
        path: u64,
        center: String,
        error: EngineError,
    },
}

/// Everything a path needs that does not change from path to path.
struct Setup {
    deal: Deal<f64>,
    centers: Vec<Center>,
    /// Each center's run up to the first random year: every path of that center starts
    /// from it, since those years are the center's own (SPEC 10 step 2).
    starts: Vec<Progress<f64>>,
    cumulative: Vec<f64>,
    process: Process,
    streams: Streams,
    start_year: Year,
    end_year: Year,
    from: usize,
    /// ChaCha blocks made in advance for each path (its draws without a rejection).
    blocks: usize,
    /// Whether to run the paths with AVX2 ([`Setup::run_one_avx2`]): where the CPU has it,
    /// unless a test asks for the portable code ([`run_portable`]).
    avx2: bool,
}

/// Where the paths of each center that can be drawn start from, in the order of
/// [`Results::centers`] (the model's trajectories with a weight above 0, among those
/// `options` selects): the index of the year the run resumes at (the first random year, or
/// the number of years when there is none), and what the waterfall had paid out by then,
/// to every party, on the center's own fixed years. For tests and diagnostics: a model
/// whose fixed years carry no state makes resuming there trivially right.
pub fn starts(model: &Model, options: &Options) -> Result<Vec<(usize, f64)>, SimulateError> {
    let setup = setup(model, options)?;
    Ok(setup
        .starts
        .iter()
        .map(|s| (s.next_year_index(), s.paid_out()))
        .collect())
}

/// The centers that can be drawn (the trajectories `options` selects with a weight above
/// 0, in the model's order), with their weights.
fn centers(model: &Model, options: &Options) -> Result<(Vec<Center>, Vec<f64>), SimulateError> {
    let spec = &model.simulation;
    let weights: Vec<f64> = spec.weights_of(model).iter().map(|w| w.to_f64()).collect();
    let mut centers = Vec::new();
    let mut chosen = Vec::new();
    for (i, w) in weights.iter().enumerate() {
        let allowed = options.selected.as_ref().is_none_or(|s| s.contains(&i));
        if allowed && *w > 0.0 {
            centers.push(Center::of(model, i).map_err(SimulateError::Engine)?);
            chosen.push(*w);
        }
    }
    if centers.is_empty() {
        return Err(SimulateError::Field {
            field: "simulation.weights".into(),
            message: "no trajectory can be drawn: every chosen trajectory has weight 0 in `simulation.weights`".into(),
        });
    }
    Ok((centers, chosen))
}

/// Where a center's paths part from it whatever the vols, because SPEC 10 step 3 says so:
/// the random years in which its margin is above 1 (a path's margin is held at 1), and,
/// for a trajectories_csv center, those with a profit but no revenue (its margin is 0
/// there, and so is a path's profit). With every vol 0 such paths are not the trajectory
/// `compare` runs (docs/MODEL.md, section 15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure {
    pub center: String,
    pub margin_above_one: Vec<Year>,
    pub profit_without_revenue: Vec<Year>,
}

/// The [`Departure`]s of the centers `options` can draw (those with none left out).
pub fn departures(model: &Model, options: &Options) -> Result<Vec<Departure>, SimulateError> {
    let (centers, _) = centers(model, options)?;
    let from = (model.simulation.first_random_year(model) - model.start_year).max(0) as usize;
    let year = |i: usize| model.start_year + i as Year;
    Ok(centers
        .iter()
        .map(|c| Departure {
            center: c.name.clone(),
            margin_above_one: (from..c.margin.len())
                .filter(|&i| c.margin[i] > 1.0)
                .map(year)
                .collect(),
            profit_without_revenue: (from..c.revenue.len())
                .filter(|&i| c.revenue[i] == 0.0 && c.profit[i] != 0.0)
                .map(year)
                .collect(),
        })
        .filter(|d| !d.margin_above_one.is_empty() || !d.profit_without_revenue.is_empty())
        .collect())
}

fn setup(model: &Model, options: &Options) -> Result<Setup, SimulateError> {
    let spec = &model.simulation;
    let (centers, chosen) = centers(model, options)?;
    let cumulative = draw::cumulative_weights(&chosen);
    let discount = engine::discount_factors(model).map_err(SimulateError::Engine)?;
    // Each trajectory run once in exact decimals, as `compare` runs it: an amount too large
    // to hold there makes the model invalid (SPEC 6), for a simulation too, though f64
    // would hold it (helper-195: a discount rate of -0.95, or caps grown over 380 years,
    // ran here and nowhere else); every trajectory, drawn or not, as every command asks of
    // a model (helper-196). A round that cannot happen is skipped, as on a path (SPEC
    // 10.6).
    let exact: Deal<rust_decimal::Decimal> = Deal::of(model, &discount);
    // (The first trajectory's error in the model's order, whatever the threads.)
    let runs: Vec<Result<(), EngineError>> = model
        .trajectories
        .par_iter()
        .map(|t| engine::run_outcome_with(model, &exact, t, RoundPolicy::Skip).map(|_| ()))
        .collect();
    runs.into_iter()
        .collect::<Result<(), EngineError>>()
        .map_err(SimulateError::Engine)?;
    let from_year = spec.first_random_year(model);
    let deal = Deal::of(model, &discount);
    let from = (from_year - model.start_year).max(0) as usize;
    let mut scratch = Scratch::new(&deal);
    let starts = centers
        .iter()
        .map(|c| {
            let mut progress = Progress::start(&deal);
            engine::run_years(
                &deal,
                PathRef {
                    revenue: &c.revenue,
                    profit: &c.profit,
                    valuation: &c.valuation,
                    spend: &c.spend,
                    agi_year: c.agi_year,
                    failure_year: None,
                },
                from,
                RoundPolicy::Skip,
                &mut scratch,
                &mut progress,
                &mut (),
            )
            .map_err(|mut e| {
                e.trajectory = c.name.clone();
                SimulateError::Engine(e)
            })?;
            Ok(progress)
        })
        .collect::<Result<Vec<_>, SimulateError>>()?;
    Ok(Setup {
        deal,
        starts,
        centers,
        cumulative,
        process: Process::of(spec),
        streams: Streams::new(options.seed),
        start_year: model.start_year,
        end_year: model.end_year,
        from,
        // A center word, then each random year's three normals and two hazards' word.
        blocks: ChunkWords::blocks_for(1 + 4 * (model.years() - from.min(model.years()))),
        avx2: avx2_detected(),
    })
}

/// Whether this CPU has AVX2.
fn avx2_detected() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// What a thread reuses from one path to the next, so that a path allocates nothing.
struct Work {
    /// The random words of the chunk of paths last drawn (with AVX2).
    words: ChunkWords,
    path: PathWork,
}

/// A path's values and the engine's state.
struct PathWork {
    values: PathValues,
    scratch: Scratch<f64>,
    progress: Progress<f64>,
}

impl Work {
    fn new(setup: &Setup) -> Self {
        let deal = &setup.deal;
        Work {
            words: ChunkWords::new(setup.blocks),
            path: PathWork {
                values: PathValues::new(deal.years()),
                scratch: Scratch::new(deal),
                progress: Progress::start(deal),
            },
        }
    }
}

/// Records the investor's value each year (cumulative cash flow, plus the holding value
/// under the stake) into one path's places in its block's part of the fan sample, which
/// holds each quantity's values of the block's paths together: [regime][year index][path
/// in the block] (so that `fan_rows` reads each quantity's values in runs, not one value
/// in every path's slot).
struct FanRecorder<'a> {
    start: Year,
    years: usize,
    /// The block's part of the sample.
    out: &'a mut [f64],
    /// The path's index in its block, and the number of the block's paths in the sample.
    path: usize,
    paths: usize,
}

impl Observer<f64> for FanRecorder<'_> {}

impl Recorder<f64> for FanRecorder<'_> {
    fn row(&mut self, regime: Regime, row: &YearRow<f64>) {
        let offset = match regime {
            Regime::ProfitShare => 0,
            Regime::Equity => self.years,
        };
        let quantity = offset + (row.year - self.start) as usize;
        self.out[quantity * self.paths + self.path] = row.cumulative_cash_flow + row.holding_value;
    }
}

/// The first year in which a row of either regime holds an amount that is not finite: where
/// a path's totals could not be held, the year the error names (a simulation checks its
/// totals once, at the end of the path, so the year is found by running the path again).
#[derive(Default)]
struct FirstNotFinite {
    year: Option<Year>,
    /// Each regime's present values so far: finite rows can still sum past f64's range.
    npv: [f64; 2],
}

impl Observer<f64> for FirstNotFinite {}

impl Recorder<f64> for FirstNotFinite {
    fn row(&mut self, regime: Regime, row: &YearRow<f64>) {
        let npv = &mut self.npv[usize::from(regime == Regime::Equity)];
        *npv += row.present_value;
        let amounts = [
            row.cash_flow,
            row.present_value,
            row.cumulative_cash_flow,
            row.holding_value,
            *npv,
        ];
        if self.year.is_none() && !amounts.iter().all(|v| v.is_finite()) {
            self.year = Some(row.year);
        }
    }
}

impl Setup {
    /// `e` with the year named where it has none: an error of a path's totals (checked once,
    /// at its end) is given the first year an amount of path `p` could not be held, or,
    /// where every year's could, end_year (the terminal value's) (helper-132, -140).
    fn with_year(&self, p: u64, mut e: SimulateError) -> SimulateError {
        if let SimulateError::Path { error, .. } = &mut e
            && error.year.is_none()
        {
            let mut first = FirstNotFinite::default();
            let _ = self.run_one(p, &mut Work::new(self), false, &mut first);
            error.year = Some(first.year.unwrap_or(self.end_year));
        }
        e
    }
}

impl Setup {
    /// Draws path `p` and runs both regimes on it, NPVs and winner only. With `resume`, the
    /// run starts from its center's run up to the first random year (the same result, with
    /// less work), and `recorder` hears of the random years only.
    fn run_one<R: Recorder<f64>>(
        &self,
        p: u64,
        work: &mut Work,
        resume: bool,
        recorder: &mut R,
    ) -> Result<(Drawn, Outcome<f64>), SimulateError> {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: the CPU has AVX2 (`avx2` is only true where `avx2_detected` said so).
            return unsafe { self.run_one_avx2(p, work, resume, recorder) };
        }
        // Without AVX2, the path's own generator: making its words with other paths' in
        // narrow vectors is slower than `rand_chacha`'s own code (see `words`).
        let mut rng = self.streams.path(p);
        self.run_one_here(&mut rng, p, &mut work.path, resume, recorder)
    }

    /// [`Setup::run_one`] compiled for AVX2, where the CPU has it: the same operations on
    /// wider vectors (Rust never fuses a multiply and an add unless asked to), so the same
    /// numbers, bit for bit, in about 5% fewer instructions and time per path (the
    /// exponentials and the path's values run four to a vector instead of two); and the
    /// path's random words read from those made for its chunk of paths ([`words`]), the
    /// same words as its own generator's.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn run_one_avx2<R: Recorder<f64>>(
        &self,
        p: u64,
        work: &mut Work,
        resume: bool,
        recorder: &mut R,
    ) -> Result<(Drawn, Outcome<f64>), SimulateError> {
        let Work { words, path } = work;
        let mut rng = PathStream::new(&self.streams, p, words.path(&self.streams, p));
        self.run_one_here(&mut rng, p, path, resume, recorder)
    }

    /// Path `p` drawn from `rng`, its stream.
    #[inline(always)]
    fn run_one_here<G: RngCore, R: Recorder<f64>>(
        &self,
        rng: &mut G,
        p: u64,
        work: &mut PathWork,
        resume: bool,
        recorder: &mut R,
    ) -> Result<(Drawn, Outcome<f64>), SimulateError> {
        let PathWork {
            values,
            scratch,
            progress,
        } = work;
        let drawn = draw_path(
            rng,
            &self.centers,
            &self.cumulative,
            &self.process,
            self.start_year,
            self.from,
            !resume,
            values,
        );
        let path = PathRef {
            revenue: &values.revenue,
            profit: &values.profit,
            valuation: &values.valuation,
            spend: &values.spend,
            agi_year: drawn.agi_year,
            failure_year: drawn.failure_year,
        };
        let outcome = if resume {
            engine::run_path_from(
                &self.deal,
                path,
                RoundPolicy::Skip,
                scratch,
                &self.starts[drawn.center],
                progress,
                recorder,
            )
        } else {
            engine::run_path(&self.deal, path, RoundPolicy::Skip, scratch, recorder)
        }
        .map_err(|error| SimulateError::Path {
            path: p,
            center: self.centers[drawn.center].name.clone(),
            error,
        })?;
        Ok((drawn, outcome))
    }
}

/// Runs `options.paths` paths of `model` and their statistics. `progress` is told how many
/// more paths are done, a block at a time, from any thread.
pub fn run(
    model: &Model,
    options: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Results, SimulateError> {
    run_setup(setup(model, options)?, options, progress)
}

/// [`run`] with the portable code only, never the AVX2 build of the paths' loop: for the
/// test that holds the two to the same bytes.
#[doc(hidden)]
pub fn run_portable(
    model: &Model,
    options: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Results, SimulateError> {
    let mut setup = setup(model, options)?;
    setup.avx2 = false;
    run_setup(setup, options, progress)
}

fn run_setup(
    setup: Setup,
    options: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Results, SimulateError> {
    // (The statistics count a group's values in 32 bits: far more than memory holds.)
    let n = usize::try_from(options.paths)
        .ok()
        .filter(|&n| u32::try_from(n).is_ok())
        .ok_or(SimulateError::TooManyPaths)?;
    let years = setup.deal.years();
    let slot = 2 * years;
    // (A model has at least one year; without, there would be no fan to sample.)
    let fan_paths = if options.fan && slot > 0 {
        // (At most `n`, which fits a usize.)
        fan_sample(n as u64, years as u64) as usize
    } else {
        0
    };
    // The results are written by the threads straight into their places in the columns
    // (allocated zeroed: the system gives zeroed pages as they are first written, so the
    // pages of a million results are touched in parallel, by the threads). A path the
    // engine cannot compute stops the run with an error naming
    // the lowest failing path, whatever the number of threads: once a path has failed,
    // only the paths above it are skipped, so every path below it still runs.
    let first_error: Mutex<Option<(u64, SimulateError)>> = Mutex::new(None);
    let lowest_failure = AtomicU64::new(u64::MAX);
    let skip = |p: u64| p > lowest_failure.load(Ordering::Relaxed);
    let record = |p: u64, outcome: Result<(Drawn, Outcome<f64>), SimulateError>| {
        // Progress a block at a time: one call per BLOCK paths, and the last partial block.
        let done = p + 1;
        if done.is_multiple_of(BLOCK as u64) {
            progress(BLOCK as u64);
        } else if done == n as u64 {
            progress(done % BLOCK as u64);
        }
        match outcome {
            Ok((drawn, outcome)) => PathResult {
                center: drawn.center as u32,
                skipped_rounds: outcome.skipped_rounds,
                agi_year: drawn.agi_year,
                failure_year: drawn.failure_year,
                npv_profit_share: outcome.profit_share.npv,
                npv_equity: outcome.equity.npv,
                npv_advantage: outcome.npv_advantage,
                winner: outcome.winner,
            },
            Err(e) => {
                lowest_failure.fetch_min(p, Ordering::Relaxed);
                let mut first = first_error.lock().unwrap_or_else(|e| e.into_inner());
                if first.as_ref().is_none_or(|(q, _)| p < *q) {
                    *first = Some((p, e));
                }
                PathResult::SKIPPED
            }
        }
    };

    // Each block of paths with its part of the fan's sample (the first paths: full runs,
    // each year's values kept), where it has one; the others resumed at the first random
    // year.
    let mut fan_values = vec![0.0f64; fan_paths * slot];
    let mut per_path = PathColumns::with_len(n);
    let blocks = n.div_ceil(BLOCK);
    let fan_blocks = fan_paths.div_ceil(BLOCK);
    let fan_parts = fan_values
        .par_chunks_mut((BLOCK * slot).max(1))
        .map(Some)
        .chain((fan_blocks..blocks).into_par_iter().map(|_| None));
    per_path
        .blocks_mut(BLOCK)
        .zip(fan_parts)
        .enumerate()
        .for_each_init(
            || Work::new(&setup),
            |work, (b, (mut block, mut fan))| {
                for j in 0..block.len() {
                    let p = (b * BLOCK + j) as u64;
                    let fan_out = fan.as_deref_mut().filter(|part| j < part.len() / slot);
                    let result = if skip(p) {
                        PathResult::SKIPPED
                    } else if let Some(out) = fan_out {
                        let paths = out.len() / slot;
                        let mut recorder = FanRecorder {
                            start: setup.start_year,
                            years,
                            out,
                            path: j,
                            paths,
                        };
                        record(p, setup.run_one(p, work, false, &mut recorder))
                    } else {
                        record(p, setup.run_one(p, work, true, &mut NpvOnly))
                    };
                    block.set(j, result);
                }
            },
        );
    if let Some((p, e)) = first_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(setup.with_year(p, e));
    }

    let centers: Vec<String> = setup.centers.iter().map(|c| c.name.clone()).collect();
    let end = setup.end_year;
    let (groups, fan) = rayon::join(
        || groups(&per_path, &centers, end),
        || fan_rows(&fan_values, fan_paths, setup.start_year, years),
    );
    let groups = in_order_asked(groups, &setup.centers, options.selected.as_deref());
    Ok(Results {
        paths: options.paths,
        seed: options.seed,
        groups,
        centers,
        fan,
        fan_paths: fan_paths as u64,
        per_path,
    })
}

/// `groups` (all paths, then one per center in `centers`' order, the model's) with the
/// centers' in the order `selected` (`--trajectory`) asks for them, as every command reports
/// trajectories (DECISIONS; helper-153: `simulate -t base -t bear` listed bear first). The
/// draws keep the model's order, so the futures are the same whatever the order asked.
fn in_order_asked(
    mut groups: Vec<Group>,
    centers: &[Center],
    selected: Option<&[usize]>,
) -> Vec<Group> {
    let Some(selected) = selected else {
        return groups;
    };
    let mut rank: HashMap<usize, usize> = HashMap::with_capacity(selected.len());
    for (r, t) in selected.iter().enumerate() {
        rank.entry(*t).or_insert(r);
    }
    let mut per_center: Vec<(usize, Group)> = groups
        .drain(1..)
        .zip(centers)
        .map(|(g, c)| (rank.get(&c.trajectory).copied().unwrap_or(usize::MAX), g))
        .collect();
    // (Stable: ties, which `select_trajectories` never makes, keep the model's order.)
    per_center.sort_by_key(|(r, _)| *r);
    groups.extend(per_center.into_iter().map(|(_, g)| g));
    groups
}

/// The statistics of all paths and of each center's: each quantity's summaries
/// ([`stats::summaries`], two passes over its column) in parallel with the others' and
/// with the counts of winners.
fn groups(paths: &PathColumns, centers: &[String], end: Year) -> Vec<Group> {
    let center = paths.center();
    let subset_of = |i: usize| Some(center[i] as usize);
    let ((counts, events), summaries) = rayon::join(
        || {
            // [paths, equity wins, ties] of all paths, then of each center.
            let mut counts = vec![[0u64; 3]; centers.len() + 1];
            for (&c, &winner) in center.iter().zip(paths.winner()) {
                for g in [0, c as usize + 1] {
                    counts[g][0] += 1;
                    match winner {
                        Winner::Equity => counts[g][1] += 1,
                        Winner::Tie => counts[g][2] += 1,
                        Winner::ProfitShare => {}
                    }
                }
            }
            (counts, paths.events(end, centers.len()))
        },
        || {
            paths
                .quantities()
                .par_iter()
                .map(|values| {
                    stats::summaries(values, centers.len(), subset_of, stats::BUCKET_BITS)
                })
                .collect::<Vec<_>>()
        },
    );
    counts
        .iter()
        .enumerate()
        .map(|(g, &[paths, equity_wins, ties])| Group {
            name: if g == 0 {
                "all".to_string()
            } else {
                centers[g - 1].clone()
            },
            paths,
            equity_wins,
            ties,
            npv_profit_share: summaries[0][g],
            npv_equity: summaries[1][g],
            npv_advantage: summaries[2][g],
            events: events[g],
        })
        .collect()
}

/// `fan.csv`'s rows from the sample: blocks of [`BLOCK`] paths (the last one shorter), each
/// [regime][year index][path in the block] (see [`FanRecorder`]).
fn fan_rows(sample: &[f64], paths: usize, start: Year, years: usize) -> Vec<FanRow> {
    if paths == 0 {
        return Vec::new();
    }
    let slot = 2 * years;
    let parts: Vec<(&[f64], usize)> = sample
        .chunks(BLOCK * slot)
        .map(|part| (part, part.len() / slot))
        .collect();
    let keys: Vec<(Regime, usize)> = [Regime::ProfitShare, Regime::Equity]
        .into_iter()
        .flat_map(|r| (0..years).map(move |i| (r, i)))
        .collect();
    keys.into_par_iter()
        .map(|(regime, i)| {
            let quantity = if regime == Regime::Equity { years } else { 0 } + i;
            let mut v: Vec<f64> = Vec::with_capacity(paths);
            for &(part, paths) in &parts {
                v.extend_from_slice(&part[quantity * paths..(quantity + 1) * paths]);
            }
            let (mean, _) = stats::mean_sd(&v);
            FanRow {
                regime,
                year: start + i as Year,
                percentiles: stats::percentiles(&mut v, QUANTILES),
                mean,
            }
        })
        .collect()
}

/// One path drawn again, with its yearly values: what `--replay` prints.
#[derive(Debug, Clone)]
pub struct Replay {
    pub path: u64,
    pub seed: u64,
    pub center: String,
    pub start_year: Year,
    pub agi_year: Option<Year>,
    pub failure_year: Option<Year>,
    pub revenue: Vec<f64>,
    pub margin: Vec<f64>,
    /// The path's profit: revenue x margin, except in a fixed year of a trajectories_csv
    /// center with a profit and no revenue, which a revenue-and-margin table cannot carry.
    pub profit: Vec<f64>,
    pub valuation: Vec<f64>,
    /// Compute spend / revenue each year (0 where revenue is 0); empty without a cloud side.
    pub spend_ratio: Vec<f64>,
    /// The compute spend itself; empty without a cloud side.
    pub spend: Vec<f64>,
    pub outcome: Outcome<f64>,
    /// The rounds that did not happen on the path (SPEC 10.6), as indexes into
    /// `equity.rounds`, in the order of the rounds.
    pub skipped_rounds: Vec<usize>,
    /// The model's own trajectories that `compare` refuses (a round without a positive
    /// pre-money value, which `simulate` skips), with the engine's message: the table
    /// cannot be rerun in a model that holds them.
    pub refused_trajectories: Vec<(String, String)>,
}

/// Hears which rounds a path applied (the others in its years did not happen).
#[derive(Default)]
struct AppliedRounds(Vec<usize>);

impl Observer<f64> for AppliedRounds {}

impl Recorder<f64> for AppliedRounds {
    fn round(&mut self, round: &engine::deal::RoundApplied<f64>) {
        self.0.push(round.index);
    }
}

/// Path `p` of the simulation `options` describes, drawn and run again on its own.
pub fn replay(model: &Model, options: &Options, p: u64) -> Result<Replay, SimulateError> {
    if p >= options.paths {
        return Err(SimulateError::NoSuchPath {
            path: p,
            paths: options.paths,
        });
    }
    let setup = setup(model, options)?;
    let mut work = Work::new(&setup);
    let mut applied = AppliedRounds::default();
    let (drawn, outcome) = setup
        .run_one(p, &mut work, false, &mut applied)
        .map_err(|e| setup.with_year(p, e))?;
    // Every round falls in the stake's years, which the path runs through: those not
    // applied did not happen.
    let skipped_rounds: Vec<usize> = (0..model.equity.rounds.len())
        .filter(|k| !applied.0.contains(k))
        .collect();
    let values = work.path.values;
    let discount = engine::discount_factors(model).map_err(SimulateError::Engine)?;
    let exact = Deal::<rust_decimal::Decimal>::of(model, &discount);
    let refused_trajectories = model
        .trajectories
        .iter()
        .filter_map(|t| {
            engine::run_outcome(model, &exact, t).err().map(|e| {
                let message = if e.field.is_empty() {
                    e.to_string()
                } else {
                    format!("{}: {e}", e.field)
                };
                (t.name.clone(), message)
            })
        })
        .collect();
    Ok(Replay {
        path: p,
        seed: options.seed,
        center: setup.centers[drawn.center].name.clone(),
        start_year: setup.start_year,
        agi_year: drawn.agi_year,
        failure_year: drawn.failure_year,
        spend_ratio: values
            .spend
            .iter()
            .zip(&values.revenue)
            .map(|(s, r)| if *r == 0.0 { 0.0 } else { s / r })
            .collect(),
        spend: values.spend,
        revenue: values.revenue,
        margin: values.margin,
        profit: values.profit,
        valuation: values.valuation,
        outcome,
        skipped_rounds,
        refused_trajectories,
    })
}
