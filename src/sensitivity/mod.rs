//! Sensitivity (SPEC section 11): the exact engine run with one or two inputs changed.
//! - [`sweep`]: a grid of values of one or two paths;
//! - [`solve`]: the value of a path at which the NPV advantage is a target;
//! - [`tornado`]: each input alone at a low and a high value, sorted by the swing.
//!
//! Every value is checked through the model's document once ([`crate::overrides`]), so a
//! bad value gets the file's message; the runs then set the value on a copy of the typed
//! model where the path has a [`Knob`], which costs far less than reading the file again.
//!
//! A [`Base`] with one `--set`, run on every trajectory:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::overrides::Override;
//! use stakeshift::sensitivity::{Base, run};
//!
//! let file = stakeshift::io::read_model_file(None)?; // None: the built-in model
//! let set = [Override::parse("equity.stake=0.3")?];
//! let base = Base::new(&file, &set)?;
//! assert_eq!(base.model().equity.stake, Decimal::new(3, 1));
//! let all: Vec<usize> = (0..base.model().trajectories.len()).collect();
//! let before = run(&file.load(&[])?.model, &all).expect("it runs"); // the stake at 0.27
//! let after = run(base.model(), &all).expect("it runs");
//! for (b, a) in before.iter().zip(&after) {
//!     // The profit share does not depend on the stake; a larger stake is worth more.
//!     assert_eq!(a.npv_profit_share, b.npv_profit_share);
//!     assert!(a.npv_equity > b.npv_equity);
//!     // The advantage, summed year by year, is the NPVs' difference to their rounding.
//!     let difference = a.npv_equity - a.npv_profit_share;
//!     assert!((a.npv_advantage - difference).abs() < Decimal::new(1, 20));
//! }
//! # Ok::<(), stakeshift::Error>(())
//! ```

pub mod solve;
pub mod sweep;
pub mod tornado;

use rust_decimal::Decimal;

use crate::engine::{EngineError, Winner};
use crate::error::Error;
use crate::io::{LoadedModel, ModelFile};
use crate::model::Model;
use crate::overrides::document::canonical_number_path;
use crate::overrides::{Knob, Override, OverridePath, Segment, Target};
use crate::report::describe::plural;

/// What one run gives for one trajectory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub npv_profit_share: Decimal,
    pub npv_equity: Decimal,
    pub npv_advantage: Decimal,
    pub winner: Winner,
}

/// The size of a model's text above which [`Base::load_with`] loads it one at a time: 4 MiB,
/// about 0.5 GB a load.
const ONE_AT_A_TIME_BYTES: usize = 4 << 20;

/// A model with its `--set` overrides, ready for runs with one or two more values.
pub struct Base<'a> {
    pub file: &'a ModelFile,
    pub overrides: &'a [Override],
    /// The model with the overrides applied (its text is the patched text).
    pub loaded: LoadedModel,
}

impl<'a> Base<'a> {
    pub fn new(file: &'a ModelFile, overrides: &'a [Override]) -> Result<Base<'a>, Error> {
        let loaded = file.load(overrides)?;
        if loaded.text.len() > ONE_AT_A_TIME_BYTES {
            crate::io::give_back_freed_memory();
        }
        Ok(Base {
            file,
            overrides,
            loaded,
        })
    }

    pub fn model(&self) -> &Model {
        &self.loaded.model
    }

    /// What the JSON documents say of the model: it, its file and its `--set`s.
    pub fn json_source(&self) -> crate::report::sensitivity::Source<'_> {
        crate::report::sensitivity::Source {
            model: &self.loaded.model,
            file: &self.loaded.label,
            overridden_by: self.loaded.overridden_by(),
        }
    }

    /// The model with `extra` applied after the base overrides, through the document. A
    /// large document is loaded one at a time, whatever the threads (a load takes over a
    /// hundred times the text's size: helper-133's 17.9 MB file took 8.6 GB in `sweep`,
    /// two threads loading it at once).
    pub fn load_with(&self, extra: &[Override]) -> Result<Model, Error> {
        static ONE_LARGE_LOAD: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let alone = (self.loaded.text.len() > ONE_AT_A_TIME_BYTES)
            .then(|| ONE_LARGE_LOAD.lock().unwrap_or_else(|e| e.into_inner()));
        let mut all = self.overrides.to_vec();
        all.extend_from_slice(extra);
        let loaded = self.file.load(&all).map(|l| l.model);
        if alone.is_some() {
            // Each thread's allocator keeps what its loads freed for that thread; handed
            // back, the loads of two threads take one load's memory, not two.
            crate::io::give_back_freed_memory();
        }
        loaded
    }

    /// `path` as indexes (`trajectories[2].agi_year`), checked against the model; the error
    /// names the nearest valid path, or says a trajectory is the CSV's (helper-128, -129: as
    /// `--set` says it, in every command that takes a path).
    pub fn canonical(&self, origin: &str, path: &OverridePath) -> Result<String, Error> {
        // A derived key naming a trajectory the model lacks gets `--set`'s error (which
        // names the nearest trajectory), not a spelling that two such paths then share
        // (helper-136: "vary the same value" hid it).
        if let Target::Derived(derived, Some(name)) = &path.target
            && !self.model().trajectories.iter().any(|t| t.name == *name)
        {
            self.load_with(&[Override::number(
                origin.to_string(),
                path,
                derived.identity(),
            )])?;
        }
        Ok(
            canonical_number_path(&self.loaded.text, origin, path).map_err(|e| {
                let mut load = |p: &str| self.file.read_named(p);
                crate::overrides::document::csv_trajectory_error(
                    &self.loaded.text,
                    origin,
                    path,
                    &mut load,
                )
                .unwrap_or(e)
            })?,
        )
    }

    /// Refuses a path into `[simulation]`, which the exact run of sweep, solve and tornado
    /// never reads (a sweep of `simulation.seed` was a flat table without a word:
    /// helper-131), whether or not the file has the table; `doing` is the command and what
    /// it does ("solve searches"). A key the table cannot have is still named as wrong.
    pub fn refuse_simulation(
        &self,
        origin: &str,
        path: &OverridePath,
        doing: &str,
    ) -> Result<(), Error> {
        let simulation = Segment::Key("simulation".into());
        if !matches!(&path.target, Target::Key(s) if s.first() == Some(&simulation)) {
            return Ok(());
        }
        // Checked against the file with every key the schema gives `[simulation]` where the
        // file leaves it out (with or without the table: helper-129, -131): `weights`
        // (whose keys are trajectories' names) as a table, so that a path into it is not
        // told to add one, the rest as numbers, so that a path through one is told it is a
        // number (helper-130).
        if let Ok(mut doc) = self.loaded.text.parse::<toml_edit::DocumentMut>() {
            let schema = crate::model::schema::model_schema();
            let keys = schema["properties"]["simulation"]["properties"]
                .as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default();
            if !doc.contains_key("simulation") {
                doc.insert("simulation", toml_edit::table());
            }
            if let Some(table) = doc
                .get_mut("simulation")
                .and_then(toml_edit::Item::as_table_like_mut)
            {
                for key in &keys {
                    if table.contains_key(key) {
                        continue;
                    }
                    let item = if key == "weights" {
                        toml_edit::table()
                    } else {
                        toml_edit::value(0)
                    };
                    table.insert(key, item);
                }
            }
            canonical_number_path(&doc.to_string(), origin, path)?;
        }
        Err(Error::Usage(format!(
            "{}: `[simulation]` sets how `simulate` draws its futures; {doing} the exact run of the trajectories, which it does not enter, so the advantage does not move with it (see its effect with `simulate --set`)",
            crate::error::origin_shortened(origin)
        )))
    }

    /// The kind of number `path`'s values are, for the places they print to
    /// ([`Route::input_kind`]).
    pub fn input_kind(&self, origin: &str, path: &OverridePath) -> Result<InputKind, Error> {
        // (The path made canonical once: that reads the model's document.)
        let canonical = self.canonical(origin, path)?;
        Ok(self.route_of(path, &canonical).input_kind(&canonical))
    }

    /// How values of `path` are set: its knob, or the document route; the error names the
    /// nearest valid path.
    pub fn route(&self, origin: &str, path: &OverridePath) -> Result<Route, Error> {
        let canonical = self.canonical(origin, path)?;
        Ok(self.route_of(path, &canonical))
    }

    /// [`Base::route`] of a path already made canonical.
    fn route_of(&self, path: &OverridePath, canonical: &str) -> Route {
        match Knob::resolve(self.model(), path, canonical) {
            Some(knob) => Route::Knob(knob),
            None => Route::Document,
        }
    }
}

/// How a varied path's values reach the model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Route {
    Knob(Knob),
    /// Patch and read the document for every value (paths with no knob).
    Document,
}

impl Route {
    /// The kind of number the values of `path` (canonical, as [`Base::canonical`] gives it)
    /// are: a knob's by what it sets; a path without one by its key (a share or an `until`
    /// of a party a tier does not name yet, helper-213), else as written (years).
    pub fn input_kind(&self, canonical: &str) -> InputKind {
        match self {
            Route::Knob(knob) => knob_kind(*knob),
            Route::Document => {
                // By the path's keys, not its text: a party may be named `a.shares.b`.
                let Ok(OverridePath {
                    target: Target::Key(segments),
                    ..
                }) = OverridePath::parse(canonical)
                else {
                    return InputKind::AsWritten;
                };
                let keys: Vec<Option<&str>> = segments
                    .iter()
                    .map(|s| match s {
                        Segment::Key(k) => Some(k.as_str()),
                        _ => None,
                    })
                    .collect();
                match keys.as_slice() {
                    [
                        Some("profit_share"),
                        Some("tiers"),
                        None,
                        Some("shares"),
                        Some(_),
                    ] => InputKind::Ratio,
                    [
                        Some("profit_share"),
                        Some("tiers"),
                        None,
                        Some("until"),
                        Some(_),
                    ] => InputKind::Amount,
                    // A series' growth: the cloud's spend and shares have no knob.
                    [.., Some("growth")] => InputKind::Ratio,
                    _ => InputKind::AsWritten,
                }
            }
        }
    }
}

/// The kind of number an input is, for the places SPEC 8 prints it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// An amount in the model's unit: 6 places at least.
    Amount,
    /// A rate, a share, a stake, a margin, a spend per revenue or a factor on the model's
    /// series: 8 places at least.
    Ratio,
    /// A year (or a number of no known kind): as written.
    AsWritten,
}

impl InputKind {
    /// The places SPEC 8 prints this kind of number to (None: as written).
    pub fn places(self) -> Option<u32> {
        match self {
            InputKind::Amount => Some(crate::report::AMOUNT_DP),
            InputKind::Ratio => Some(crate::report::RATIO_DP),
            InputKind::AsWritten => None,
        }
    }
}

/// What a knob sets, as a kind of number: each knob named, since a valid range does not
/// say it (a spend per revenue is "0 or more", as an amount is: helper-213).
pub(crate) fn knob_kind(knob: Knob) -> InputKind {
    use crate::overrides::typed::{CloudSeries, SeriesKind};
    match knob {
        Knob::DiscountRate
        | Knob::TierShare { .. }
        | Knob::TierCapGrowth(_)
        | Knob::RevenueShareRate(_)
        | Knob::Stake
        | Knob::DividendPayout
        | Knob::TerminalDiscount
        | Knob::Growth { .. }
        | Knob::CloudMargin
        | Knob::Derived(..) => InputKind::Ratio,
        Knob::CloudPoint { series, .. } => match series {
            CloudSeries::Spend | CloudSeries::Share(_) | CloudSeries::TrajectorySpend(_) => {
                InputKind::Ratio
            }
        },
        Knob::Point { series, .. } => match series {
            SeriesKind::Margin => InputKind::Ratio,
            SeriesKind::Revenue | SeriesKind::Valuation => InputKind::Amount,
        },
        Knob::Contribution(_)
        | Knob::TierUntil { .. }
        | Knob::RevenueShareCap(_)
        | Knob::RoundRaise(_)
        | Knob::RoundPreMoney(_)
        | Knob::RoundParticipation(_)
        | Knob::CommitmentTotal(_) => InputKind::Amount,
        Knob::AgiYear(_) => InputKind::AsWritten,
    }
}

/// `FROM..TO` or `FROM..TO:STEPS`, exact decimals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub from: Decimal,
    pub to: Decimal,
    pub steps: Option<usize>,
}

/// A number given on the command line (a range's ends, `solve --target`), read as a number
/// of the model file is: exactly (`0e-50` is 0), never rounded, at most 1e18 in size (`1e400`
/// is too large, not "not a number"), with a leading `+` and `_` separators allowed.
pub fn read_number(text: &str) -> Result<Decimal, String> {
    let s = text.trim();
    let unsigned = s.strip_prefix('+').unwrap_or(s);
    let literal: String = unsigned.chars().filter(|c| *c != '_').collect();
    crate::model::exact_decimal(&literal).map_err(|problem| match problem {
        // (Quoted shortened: a value of 5,000 digits hid the reason: helper-173.)
        crate::model::NotExact::Unreadable => format!(
            "`{}` is not a number written in decimal digits (such as 0.25, -1.5e3 or 2031)",
            crate::error::quoted(s)
        ),
        _ => format!("`{}` {}", crate::error::quoted(s), problem.why()),
    })
}

/// A range's end, read as [`read_number`] reads a number; with `percents`, a percent (`10%`)
/// is told its fraction, exactly (session 46: `--vary equity.stake=10%..30%` was told only
/// that `10%` is no number). Not `--target`'s, an amount, nor a year's, where a percent is
/// more likely a slip or means nothing.
fn read_end(text: &str, percents: bool) -> Result<Decimal, String> {
    read_number(text).map_err(|why| {
        if !percents {
            return why;
        }
        let fraction = text
            .trim()
            .strip_suffix('%')
            .and_then(|number| read_number(number).ok())
            .and_then(|percent| {
                let fraction = percent.checked_div(Decimal::ONE_HUNDRED)?;
                (fraction * Decimal::ONE_HUNDRED == percent).then_some(fraction)
            });
        match fraction {
            Some(f) => format!(
                "{why}; a percent is written as its fraction: {} is {}",
                text.trim(),
                f.normalize()
            ),
            None => why,
        }
    })
}

impl Range {
    /// Parses the text after `PATH=`; the error says what is wrong (a percent told its
    /// fraction).
    pub fn parse(text: &str) -> Result<Range, String> {
        Range::parse_with(text, true)
    }

    /// [`Range::parse`], a percent told its fraction only with `percents` (not for a year:
    /// helper-291, `--vary end_year=10%..30%`).
    pub fn parse_with(text: &str, percents: bool) -> Result<Range, String> {
        let (span, steps) = match text.rsplit_once(':') {
            Some((span, steps)) => {
                let n: usize = steps.trim().parse().map_err(|_| {
                    format!(
                        "`{}` is not a number of steps; write FROM..TO:STEPS, such as 0.1..0.5:11",
                        crate::error::quoted(steps)
                    )
                })?;
                (span, Some(n))
            }
            None => (text, None),
        };
        // `0...1` would read as 0 to .1, which is hardly what was meant.
        if span.contains("...") {
            return Err(format!(
                "`{}` has three dots; write FROM..TO with two, such as 0..1 or 0..0.1",
                crate::error::quoted(span)
            ));
        }
        let (from, to) = span.split_once("..").ok_or_else(|| {
            format!(
                "`{}` is not a range; write FROM..TO, such as 0.1..0.5",
                crate::error::quoted(text)
            )
        })?;
        Ok(Range {
            from: read_end(from, percents)?,
            to: read_end(to, percents)?,
            steps,
        })
    }

    /// The grid: value i = FROM + i (TO - FROM) / (STEPS - 1), i = 0..STEPS, exact where a
    /// decimal can hold it (the product is formed before the division).
    pub fn grid(&self, default_steps: usize) -> Result<Vec<Decimal>, String> {
        let steps = self.steps.unwrap_or(default_steps);
        if steps < 2 {
            return Err(format!(
                "{steps} steps: a grid needs at least 2 (FROM and TO)"
            ));
        }
        if steps > MAX_STEPS {
            return Err(format!("{steps} steps: at most {MAX_STEPS} per path"));
        }
        let span = self
            .to
            .checked_sub(self.from)
            .ok_or("the range is too wide to hold")?;
        let last = Decimal::from(steps - 1);
        (0..steps)
            .map(|i| {
                // The ends are FROM and TO as given: FROM + (TO - FROM) is TO exactly, but
                // TO - FROM can need more digits than a decimal holds (1e18 ..
                // 0.1234567890123456789012345678 ended at 0.123456789: helper-111).
                if i == 0 {
                    return Ok(self.from.normalize());
                }
                if i + 1 == steps {
                    return Ok(self.to.normalize());
                }
                let offset = span
                    .checked_mul(Decimal::from(i))
                    .and_then(|x| x.checked_div(last))
                    .ok_or("the range is too wide to hold")?;
                let v = self
                    .from
                    .checked_add(offset)
                    .ok_or("the range is too wide to hold")?;
                // At most 28 significant digits, as a model's numbers are: a 29th (the
                // quotient's last, 333333333333.33333333333333333) printed a value that
                // `--set` and a file refuse (helper-76), and the run used the 28-digit one.
                Ok(crate::overrides::fit_model_digits(v).normalize())
            })
            .collect::<Result<Vec<_>, String>>()
            .and_then(|values| self.check_held(&values, span, last).map(|()| values))
    }

    /// Whether a decimal's 28 digits held the grid's steps: each step between neighbours,
    /// times the number of steps, is the span to 1% of it. (helper-208: 0..1e-28:3 made 0,
    /// 0, 1e-28, its middle value 5e-29 held as 0, and ran it twice.) A step rounded in its
    /// last digits, as in thirds or small steps on a large value (1e17 + 3.33e-7 held as
    /// ...0.0000003333, helper-211), passes.
    fn check_held(&self, values: &[Decimal], span: Decimal, last: Decimal) -> Result<(), String> {
        let tolerance = span.abs() / Decimal::ONE_HUNDRED;
        for (i, pair) in values.windows(2).enumerate() {
            // (Below 2e22 whatever the range: numbers are at most 1e18 and steps 10,000.)
            let off = (pair[1] - pair[0])
                .checked_mul(last)
                .and_then(|whole| whole.checked_sub(span))
                .unwrap_or(Decimal::MAX);
            if off.abs() > tolerance {
                // The first pair that is off: its first value was held (the pair before
                // was not off, or it is FROM), but where its second is TO, as written.
                let (k, held) = if i + 2 == values.len() {
                    (i, pair[0])
                } else {
                    (i + 1, pair[1])
                };
                return Err(format!(
                    "its steps of {} / {last} are finer than a value's 28 significant digits hold (value {k} is held as {held}); use fewer steps or a wider range",
                    span.normalize(),
                ));
            }
        }
        Ok(())
    }
}

/// The most values of one path in a sweep.
pub const MAX_STEPS: usize = 10_001;

/// Runs the trajectories `selected` (by index) of `model` in exact decimals, NPVs and
/// winner only (the engine's lightest detail level: no rows, no IRR, no break-even); an
/// engine error names the trajectory (and the caller says which values led to it).
///
/// # Panics
/// When an index is past the model's trajectories (as `compare::outcomes`).
pub fn run(model: &Model, selected: &[usize]) -> Result<Vec<Outcome>, EngineError> {
    // In stakeshift-core, so that the engine runs as built there (fully optimised).
    let outcomes = crate::compare::outcomes(model, selected)?;
    // By reference, not `into_iter`: collecting the engine's (much larger) outcomes into
    // these in place would keep each one's whole allocation, 832 bytes a run where 56 are
    // used (a 2,000,000-run sweep held 1.7 GB of them).
    Ok(outcomes
        .iter()
        .map(|o| Outcome {
            npv_profit_share: o.profit_share.npv,
            npv_equity: o.equity.npv,
            npv_advantage: o.npv_advantage,
            winner: o.winner,
        })
        .collect())
}

/// The most work one `sweep`, `tornado` or `solve` may take, in units: a trajectory's run
/// is [`run_work`] units, and a value checked through the model's document (read again
/// with it set) four units a byte of the document and the files it names. As measured, a
/// unit of a run is about 0.1 microseconds of one core (the built-in model's 501-unit run
/// takes 52 us; a run of a tier of 2,200 capped parties, 4.9 million units, 0.6 s) and a
/// byte read 0.3 to 0.4 (a 55 KB model read again, 15 ms; one of 1,000 tiers, 86 KB, 35
/// ms), so at most some minutes on two cores. The
/// built-in model's largest sweep (2,000,000 runs) is 1.0e9. A hostile tester's 10,000
/// tiers swept in 10,001 steps, and a tornado over a 5 MB model of 100,000 rounds (200,000
/// values each read through the document: 1e12 units, days), are refused before anything
/// runs.
pub const MAX_WORK: u64 = 2_000_000_000;

/// One trajectory's run in units of work: each year visits every tier, its shares and its
/// caps, and the waterfall pays every party of a tier in each slice, a slice for each cap
/// that closes: per tier (`until` entries + years) x parties, or years x (1 + `until`
/// entries) x parties with `cap_growth` (the bound SPEC 6's model limit takes; counting
/// shares once a year left a tier of 2,200 capped parties at 8,809 units where a run takes
/// 0.6 s: helper-82); each round and each contribution once.
pub fn run_work(model: &Model) -> u64 {
    let years = model.years() as u64;
    let mut work = years;
    for t in &model.profit_share.tiers {
        let (caps, parties) = (t.until.len() as u64, t.shares.len() as u64 + 1);
        let slices = if t.cap_growth.is_zero() {
            caps.saturating_add(years)
        } else {
            years.saturating_mul(caps + 1)
        };
        work = work
            .saturating_add(years.saturating_mul(1 + parties + caps))
            .saturating_add(slices.saturating_mul(parties));
    }
    work.saturating_add(model.equity.rounds.len() as u64)
        .saturating_add(model.investor.contributions.len() as u64)
}

/// The objective's runs one root search makes for a trajectory, as an estimate: ten doubling
/// steps a side in four parts, the walks on to the ends of the range, and the bracket's
/// solve (41 to 122 counted on the built-in and mini models, 12 keys and 4 targets each).
pub const SOLVE_RUNS: u64 = 150;

/// [`SOLVE_RUNS`] for a rate or a margin searched over its whole valid range (to 1e18, SPEC
/// 11 capping only amounts): some sixty doublings more a side, and a search again where the
/// advantage vanishes toward the end (helper-250 measured two to three times the time of the
/// range to 10 on 400 and 1,000 trajectories, helper-251 about the same on 100 of 500 years).
pub const SOLVE_RUNS_UNBOUNDED: u64 = 300;

/// [`SOLVE_RUNS`] for an amount whose value is 0: fifty doublings from 1e-15 of the range,
/// each looked at in four parts, and the bracket's solve.
pub const SOLVE_RUNS_FROM_ZERO: u64 = 250;

/// Work to copy the model once (a run on changed values works on a copy): its trajectories'
/// years (a copy of a model of 9,000 trajectories is milliseconds: helper-84).
pub fn copy_work(model: &Model) -> u64 {
    (model.trajectories.len() as u64).saturating_mul(model.years() as u64)
}

/// The work of `runs` trajectory runs, `copies` copies of the model and `loads` values read
/// through the document (see [`MAX_WORK`]).
pub fn work(base: &Base, runs: u64, copies: u64, loads: u64) -> u64 {
    let model = base.model();
    // A value read through the document (parsed with its spans, the override applied, the
    // model parsed and checked again) costs about 0.4 µs a byte of the text: four units
    // (a tornado of 1,000 tiers' inputs, 2,014 readings of 86 KB, took 72 s where one unit
    // a byte let it through as 17 s; helper-95's 2,400 tiers took 326 s).
    const UNITS_A_BYTE: u64 = 4;
    let per_load =
        UNITS_A_BYTE.saturating_mul((base.loaded.text.len() + base.loaded.named_bytes) as u64);
    runs.saturating_mul(run_work(model))
        .saturating_add(copies.saturating_mul(copy_work(model)))
        .saturating_add(loads.saturating_mul(per_load))
}

/// Refuses a command whose [`work`] is more than [`MAX_WORK`], saying how to make it
/// smaller.
pub fn check_work(
    base: &Base,
    (runs, copies, loads): (u64, u64, u64),
    what: &str,
    fewer: &str,
) -> Result<(), Error> {
    let total = work(base, runs, copies, loads);
    if total > MAX_WORK {
        let per_run = run_work(base.model());
        return Err(Error::Usage(format!(
            "{what} would take {} of {per_run} units of work each, {} of the model and {} of its {}-byte text ({total} units in all); at most {MAX_WORK} are allowed, which keeps a command to minutes: {fewer}",
            plural(runs as usize, "run"),
            plural(copies as usize, "copy"),
            plural(loads as usize, "reading"),
            base.loaded.text.len() + base.loaded.named_bytes
        )));
    }
    Ok(())
}

/// `path=value` as one writes it in a message.
pub fn assignment(path: &OverridePath, value: Decimal) -> String {
    format!("{}={}", path.text, value.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn grids_are_exact_decimals() {
        let r = Range::parse("0.1..0.5:5").unwrap();
        assert_eq!(
            r.grid(11).unwrap(),
            vec![d("0.1"), d("0.2"), d("0.3"), d("0.4"), d("0.5")]
        );
        let r = Range::parse("0..1").unwrap();
        assert_eq!(r.grid(11).unwrap()[3], d("0.3"));
        let r = Range::parse("2..1:3").unwrap();
        assert_eq!(r.grid(11).unwrap(), vec![d("2"), d("1.5"), d("1")]);
        assert!(Range::parse("0..1:1").unwrap().grid(11).is_err());
        assert!(Range::parse("0-1").is_err());
        assert!(Range::parse("a..1").is_err());
        assert!(Range::parse("0..1:x").is_err());
    }

    /// helper-208: a grid whose steps need more than 28 places was run with its values
    /// rounded (0..1e-28:3 ran 0 twice); refused, while thirds and large values with
    /// small steps, rounded in their last digit, are kept.
    #[test]
    fn regression_a_grid_finer_than_28_places_is_refused() {
        for range in [
            "0..0.0000000000000000000000000001:3",
            "0..0.000000000000000000000000001:4",
            "-0.0000000000000000000000000002..0:5",
        ] {
            let error = Range::parse(range).unwrap().grid(11).unwrap_err();
            assert!(
                error.contains("finer than a value's 28 significant digits"),
                "{range}: {error}"
            );
        }
        // The value told is the first one that was not held (helper-211: value 1, which is
        // 10 as it should be, was told).
        let error = Range::parse("9.999999999999999999999999999..10.00000000000000000000000001:12")
            .unwrap()
            .grid(11)
            .unwrap_err();
        assert!(error.contains("(value 2 is held as 10)"), "{error}");
        for range in [
            "0..1:4",
            "100000000000000000..100000000000000001:4",
            "0.1..0.1:3",
            "0..0.000000000000000000000000001:2",
            "0..0.00000000000000000000000001:11",
            // helper-211: distinct, evenly spaced values, each rounded in its last digits.
            "100000000000000000..100000000000000000.000001:4",
            "0.9999999999999999999999..1.0000000000000000000001:4",
        ] {
            assert!(Range::parse(range).unwrap().grid(11).is_ok(), "{range}");
        }
    }

    /// helper-76: 1e12 / 3 came out with 29 significant digits, which no model holds.
    #[test]
    fn regression_a_grid_value_has_at_most_28_significant_digits() {
        let values = Range::parse("0..1000000000000:4")
            .unwrap()
            .grid(11)
            .unwrap();
        assert_eq!(values[1], d("333333333333.3333333333333333"));
        assert_eq!(values[2], d("666666666666.6666666666666667"));
        for v in values {
            let digits = v.mantissa().unsigned_abs().to_string().len();
            assert!(digits <= 28, "{v}: {digits} digits");
        }
    }
}
