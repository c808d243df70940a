//! `sweep`: the exact engine on a grid of one or two paths' values.
//!
//! Every value of each path is first checked through the model's document (with the other
//! path at the model's value), so an invalid value is an error before the grid runs. The
//! grid then runs in parallel (rayon), each point on a copy of the model with the values
//! set through their knobs; the rows come out in a fixed order (trajectory, then the first
//! path's values, then the second's) whatever the number of threads. Two paths in the same
//! tier or the same round can break a rule together (shares adding up to more than 1, a
//! participation above the raise): such a grid takes the document route at every point.
//!
//! `equity.stake` from 0.2 to 0.3 in 5 steps on the built-in model's `base` trajectory:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::overrides::OverridePath;
//! use stakeshift::sensitivity::sweep::{Axis, sweep};
//! use stakeshift::sensitivity::{Base, Range};
//!
//! let file = stakeshift::io::read_model_file(None)?; // None: the built-in model
//! let base = Base::new(&file, &[])?;
//! // Value i = FROM + i (TO - FROM) / (STEPS - 1), exact: 0.2 + i x 0.025.
//! let values = Range::parse("0.2..0.3:5").unwrap().grid(11).unwrap();
//! let d = |s: &str| s.parse::<Decimal>().unwrap();
//! assert_eq!(values, ["0.2", "0.225", "0.25", "0.275", "0.3"].map(d));
//! let path = OverridePath::parse("equity.stake").unwrap();
//! let origin = "--vary equity.stake=0.2..0.3:5".to_string();
//! let grid = sweep(&base, &[Axis { path, origin, values }], &[2])?; // [2]: `base`
//! let rows: Vec<_> = grid.rows().collect();
//! assert_eq!(rows.len(), 5);
//! assert!(rows.iter().all(|r| r.trajectory == "base"));
//! assert_eq!(rows[1].values, [d("0.225")]);
//! // The profit share does not depend on the stake; the stake is worth more as it grows.
//! for w in rows.windows(2) {
//!     assert_eq!(w[0].outcome.npv_profit_share, w[1].outcome.npv_profit_share);
//!     assert!(w[0].outcome.npv_equity < w[1].outcome.npv_equity);
//! }
//! # Ok::<(), stakeshift::Error>(())
//! ```

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::{Base, Outcome, Route, assignment};
use crate::error::Error;
use crate::model::Model;
use crate::overrides::{Knob, Override, OverridePath};

/// One varied path and its values.
#[derive(Debug, Clone)]
pub struct Axis {
    pub path: OverridePath,
    /// How the axis is named in messages: `--vary equity.stake=0.1..0.5:5`.
    pub origin: String,
    pub values: Vec<Decimal>,
}

/// The grid's results, held as their values once and their outcomes (56 bytes a run);
/// [`Sweep::rows`] gives them as the rows of `sweep.csv`.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The varied paths as written.
    pub paths: Vec<String>,
    /// The names of the trajectories run, in order.
    pub trajectories: Vec<String>,
    /// Each varied path's values, in order.
    pub values: Vec<Vec<Decimal>>,
    /// Trajectory k at grid point i: `outcomes[k * points + i]`, the points in grid order
    /// (the first path's values, then the second's).
    pub outcomes: Vec<Outcome>,
}

/// One trajectory at one grid point: a row of `sweep.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow<'a> {
    pub trajectory: &'a str,
    /// One value per varied path.
    pub values: Vec<Decimal>,
    pub outcome: Outcome,
}

impl Sweep {
    /// The number of grid points.
    pub fn points(&self) -> usize {
        self.values.iter().map(Vec::len).product()
    }

    /// The grid's values at point `i` (in grid order), one per varied path.
    pub fn point(&self, i: usize) -> Vec<Decimal> {
        match &self.values[..] {
            [a] => vec![a[i]],
            [a, b] => vec![a[i / b.len()], b[i % b.len()]],
            _ => Vec::new(),
        }
    }

    /// The rows in order: trajectory, then the first path's values, then the second's.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = SweepRow<'_>> + '_ {
        let points = self.points();
        self.outcomes
            .iter()
            .enumerate()
            .map(move |(n, outcome)| SweepRow {
                trajectory: &self.trajectories[n / points],
                values: self.point(n % points),
                outcome: *outcome,
            })
    }
}

/// The most runs one sweep may make (grid points times trajectories).
pub const MAX_RUNS: usize = 2_000_000;

/// Runs the grid of `axes` (one or two) on the trajectories `selected`.
pub fn sweep(base: &Base, axes: &[Axis], selected: &[usize]) -> Result<Sweep, Error> {
    if axes.is_empty() || axes.len() > 2 {
        return Err(Error::Usage(
            "sweep varies one or two paths: give --vary PATH=FROM..TO[:STEPS] once or twice".into(),
        ));
    }
    if let [a, b] = axes {
        let same = |x: &Axis| {
            crate::overrides::document::canonical_path(&base.loaded.text, &x.origin, &x.path)
        };
        let (path_a, path_b) = (same(a)?, same(b)?);
        if path_a == path_b {
            return Err(Error::Usage(format!(
                "{} and {} vary the same value ({path_a}); give each path once",
                a.origin, b.origin
            )));
        }
    }
    let points: usize = axes
        .iter()
        .map(|a| a.values.len())
        .fold(1, usize::saturating_mul);
    let routes: Vec<Route> = axes
        .iter()
        .map(|a| base.route(&a.origin, &a.path))
        .collect::<Result<_, _>>()?;
    let knobs: Option<Vec<Knob>> = routes
        .iter()
        .map(|r| match r {
            Route::Knob(k) => Some(*k),
            Route::Document => None,
        })
        .collect();
    let knobs = knobs.filter(|k| !(k.len() == 2 && coupled(k[0], k[1])));
    // The trajectories not asked about run too, for their errors only (a grid value that
    // makes the model invalid in any trajectory is an error, SPEC 11, as `compare -t`
    // refuses a model invalid in a trajectory it does not show: helper-76); not where every
    // varied key acts on one chosen trajectory alone, which cannot break another.
    let model = base.model();
    let one_trajectory = knobs.as_ref().is_some_and(|k| {
        k.iter()
            .all(|k| k.trajectory().is_some_and(|t| selected.contains(&t)))
    });
    let others: Vec<usize> = if one_trajectory {
        Vec::new()
    } else {
        (0..model.trajectories.len())
            .filter(|t| !selected.contains(t))
            .collect()
    };
    // MAX_RUNS bounds the results held (those of the chosen trajectories); the others' runs,
    // kept for their errors only, count towards the work (helper-82: `-t t0` on a model of
    // 10,000 trajectories was refused "on 10000 trajectories", advice no one could follow).
    if points.saturating_mul(selected.len()) > MAX_RUNS {
        return Err(Error::Usage(format!(
            "{points} grid points on {} trajectories is more than {MAX_RUNS} runs; use fewer steps or trajectories",
            selected.len()
        )));
    }
    let runs = points.saturating_mul(selected.len() + others.len());
    let checks: usize = axes.iter().map(|a| a.values.len()).sum();
    let loads = if knobs.is_some() {
        checks
    } else {
        checks + points
    };
    // A point on the fast route works on a copy of the model.
    let copies = if knobs.is_some() { points } else { 0 };
    super::check_work(
        base,
        (runs as u64, copies as u64, loads as u64),
        &format!("a grid of {points} points"),
        "use fewer steps",
    )?;

    // Every value of every axis, checked through the document before anything runs.
    let checks: Vec<(usize, Decimal)> = axes
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.values.iter().map(move |v| (i, *v)))
        .collect();
    // In parallel, but the error reported is the first in grid order, whichever thread
    // finds one first (rayon's collect into a Result keeps whichever error came first).
    let checked: Vec<Result<(), Error>> = checks
        .par_iter()
        .map(|(i, v)| {
            let a = &axes[*i];
            base.load_with(&[value_override(a, *v)]).map(|_| ())
        })
        .collect();
    checked.into_iter().collect::<Result<Vec<()>, Error>>()?;

    let values: Vec<Vec<Decimal>> = axes.iter().map(|a| a.values.clone()).collect();
    let mut result = Sweep {
        paths: axes.iter().map(|a| a.path.text.clone()).collect(),
        trajectories: Vec::new(),
        values,
        outcomes: Vec::new(),
    };
    let results: Vec<Result<Vec<Outcome>, Error>> = (0..result.points())
        .into_par_iter()
        .map(|i| {
            let values = result.point(i);
            let cell: Model = match &knobs {
                Some(knobs) => {
                    let mut m = model.clone();
                    for (k, v) in knobs.iter().zip(&values) {
                        k.set(&mut m, *v).ok_or_else(|| {
                            point_error(base, axes, &values, "a value is too large to hold")
                        })?;
                    }
                    m
                }
                None => {
                    let extra: Vec<Override> = axes
                        .iter()
                        .zip(&values)
                        .map(|(a, v)| value_override(a, *v))
                        .collect();
                    base.load_with(&extra)?
                }
            };
            let at_point = |e: crate::engine::EngineError| {
                point_error(base, axes, &values, &e.to_string())
            };
            let outcomes = super::run(&cell, selected).map_err(at_point)?;
            if !others.is_empty() {
                super::run(&cell, &others).map_err(|e| {
                    point_error(
                        base,
                        axes,
                        &values,
                        &format!("{e} (a trajectory not chosen with --trajectory: every trajectory of a model must run)"),
                    )
                })?;
            }
            Ok(outcomes)
        })
        .collect();
    let mut outcomes = Vec::with_capacity(results.len());
    for r in results {
        outcomes.push(r?);
    }
    result.outcomes = (0..selected.len())
        .flat_map(|k| outcomes.iter().map(move |out| out[k]))
        .collect();
    result.trajectories = selected
        .iter()
        .map(|&t| model.trajectories[t].name.clone())
        .collect();
    Ok(result)
}

/// The override that sets an axis to one of its values, named after the `--vary` and value.
fn value_override(axis: &Axis, value: Decimal) -> Override {
    Override::number(
        format!("{} at {}", axis.origin, assignment(&axis.path, value)),
        &axis.path,
        value,
    )
}

fn point_error(base: &Base, axes: &[Axis], values: &[Decimal], message: &str) -> Error {
    let at: Vec<String> = axes
        .iter()
        .zip(values)
        .map(|(a, v)| assignment(&a.path, *v))
        .collect();
    Error::Model {
        file: base.loaded.label.clone(),
        location: None,
        field: String::new(),
        message: base
            .loaded
            .with_overrides(format!("at the grid point {}: {message}", at.join(", "))),
    }
}

/// Whether two knobs share a rule of SPEC 6 (a tier's shares and `until`s; a round's raise
/// and participation), so that values valid alone may be invalid together.
fn coupled(a: Knob, b: Knob) -> bool {
    let tier = |k: Knob| match k {
        Knob::TierShare { tier, .. } | Knob::TierUntil { tier, .. } => Some(tier),
        _ => None,
    };
    let round = |k: Knob| match k {
        Knob::RoundRaise(r) | Knob::RoundParticipation(r) => Some(r),
        _ => None,
    };
    (tier(a).is_some() && tier(a) == tier(b)) || (round(a).is_some() && round(a) == round(b))
}
