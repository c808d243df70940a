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

use super::solve::{SolveSpec, solve};
use super::{Base, Outcome, Route, assignment};
use crate::chart::{self, Bracket, Crossing, ModelLabels, SweepChart, SweepSeries, VariedPath};
use crate::error::Error;
use crate::model::Model;
use crate::overrides::{Knob, Override, OverridePath};
use crate::report::describe::plural;

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
    /// The kind of number each varied path is, for the places its values print to.
    pub kinds: Vec<super::InputKind>,
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
        grid_point(&self.values, i)
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
    sweep_with_progress(base, axes, selected, &|_| {})
}

/// [`sweep`], telling `progress` of each value checked and each grid point run, from any
/// thread, as they are done: [`sweep_steps`] of them in all.
pub fn sweep_with_progress(
    base: &Base,
    axes: &[Axis],
    selected: &[usize],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sweep, Error> {
    if axes.is_empty() || axes.len() > 2 {
        return Err(Error::Usage(
            "sweep varies one or two paths: give --vary PATH=FROM..TO[:STEPS] once or twice".into(),
        ));
    }
    for axis in axes {
        base.refuse_simulation(&axis.origin, &axis.path, "sweep varies")?;
    }
    if let [a, b] = axes {
        let same = |x: &Axis| base.canonical(&x.origin, &x.path);
        let (path_a, path_b) = (same(a)?, same(b)?);
        if path_a == path_b {
            return Err(Error::Usage(format!(
                "{} and {} vary the same value ({path_a}); give each path once",
                crate::error::origin_shortened(&a.origin),
                crate::error::origin_shortened(&b.origin)
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
    // Where most of the runs are the others', the count would puzzle a user who chose one
    // trajectory (helper-160): say why they run.
    let fewer = if others.is_empty() {
        "use fewer steps".to_string()
    } else {
        format!(
            "use fewer steps (each point also runs the {} not chosen with --trajectory, for their errors: a grid value must leave every trajectory valid; varying a key of a chosen trajectory alone, such as `trajectories[NAME].agi_year` or `scale.valuation[NAME]`, runs the chosen ones only)",
            plural(others.len(), "trajectory")
        )
    };
    super::check_work(
        base,
        (runs as u64, copies as u64, loads as u64),
        &format!("a grid of {points} points"),
        &fewer,
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
            let checked = base.load_with(&[value_override(a, *v)]).map(|_| ());
            progress(1);
            checked
        })
        .collect();
    // Each value's place on its axis, where it was refused alone.
    let refused: Vec<(usize, usize)> = checks
        .iter()
        .zip(&checked)
        .scan(vec![0usize; axes.len()], |next, ((axis, _), result)| {
            let at = next[*axis];
            next[*axis] += 1;
            Some((*axis, at, result.is_err()))
        })
        .filter(|(_, _, refused)| *refused)
        .map(|(axis, at, _)| (axis, at))
        .collect();
    if let Err(alone) = checked.into_iter().collect::<Result<Vec<()>, Error>>() {
        // A value is checked with the other path at the model's value, which need not be a
        // grid point: where the two are read through the document (a round's raise and
        // participation, a tier's shares: values valid together that are not alone), the
        // grid's own points decide (helper-249: a raise of 200..800 with a participation of
        // 0..150 was refused for 150 above the model's raise of 122, though every pair is
        // valid). The points with a value refused alone are read before anything runs, and
        // the first invalid one in grid order is the error (SPEC 11); the rest of the grid is
        // read as it runs (a pass over the whole grid first doubled its work: helper-250,
        // helper-251; none left an invalid grid to be found after every point had run, 38 s
        // where 0.4 s had done: helper-252).
        if axes.len() != 2 || knobs.is_some() {
            return Err(alone);
        }
        let lists: Vec<&[Decimal]> = axes.iter().map(|a| a.values.as_slice()).collect();
        let (first, second) = (lists[0].len(), lists[1].len());
        let mut with_refused: Vec<usize> = refused
            .iter()
            .flat_map(|&(axis, at)| -> Box<dyn Iterator<Item = usize>> {
                if axis == 0 {
                    Box::new((0..second).map(move |other| at * second + other))
                } else {
                    Box::new((0..first).map(move |other| other * second + at))
                }
            })
            .collect();
        with_refused.sort_unstable();
        with_refused.dedup();
        let invalid_at = |i: usize| {
            let values = grid_point(&lists, i);
            let extra: Vec<Override> = axes
                .iter()
                .zip(&values)
                .map(|(a, v)| value_override(a, *v))
                .collect();
            base.load_with(&extra)
                .err()
                .map(|e| (i, point_error(base, axes, &values, &e.to_string())))
        };
        // Where those points are most of the grid (every value of one path refused alone,
        // as a participation of 130..150 beside the model's raise of 122), reading them
        // first would read the grid twice (helper-253: 21.5 -> 44.5 s); the run reads them.
        let invalid_point = (with_refused.len().saturating_mul(4) <= points)
            .then(|| with_refused.par_iter().find_map_first(|&i| invalid_at(i)))
            .flatten();
        if let Some((at, invalid)) = invalid_point {
            // The first invalid point in grid order may be one valid in each value alone,
            // before it (helper-253: raise 50 with participation 75, before 150).
            let before = (0..at)
                .into_par_iter()
                .filter(|i| with_refused.binary_search(i).is_err())
                .find_map_first(invalid_at);
            return Err(before.map_or(invalid, |(_, first)| first));
        }
    }

    let values: Vec<Vec<Decimal>> = axes.iter().map(|a| a.values.clone()).collect();
    let mut result = Sweep {
        paths: axes.iter().map(|a| a.path.text.clone()).collect(),
        trajectories: Vec::new(),
        values,
        kinds: axes
            .iter()
            .map(|a| base.input_kind(&a.origin, &a.path))
            .collect::<Result<_, _>>()?,
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
                    // Of two values invalid together, the error names the one whose
                    // override it is about; the grid point names both (helper-111: `oth=0.7`
                    // alone is valid, with `inv=0.5` the shares pass 1).
                    base.load_with(&extra).map_err(|e| {
                        if axes.len() > 1 {
                            point_error(base, axes, &values, &e.to_string())
                        } else {
                            e
                        }
                    })?
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
            progress(1);
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

/// The values at grid point `i` of the grid of `values` (one list a path), in grid order:
/// the first path's values, then the second's.
fn grid_point<V: AsRef<[Decimal]>>(values: &[V], i: usize) -> Vec<Decimal> {
    match values {
        [a] => vec![a.as_ref()[i]],
        [a, b] => {
            let (a, b) = (a.as_ref(), b.as_ref());
            vec![a[i / b.len()], b[i % b.len()]]
        }
        _ => Vec::new(),
    }
}

/// The steps [`sweep_with_progress`] tells of: each value of each axis checked, then each
/// grid point run.
pub fn sweep_steps(axes: &[Axis]) -> u64 {
    let checks: usize = axes.iter().map(|a| a.values.len()).sum();
    let points = axes
        .iter()
        .fold(1usize, |n, a| n.saturating_mul(a.values.len()));
    (checks as u64).saturating_add(points as u64)
}

/// An advantage as the chart draws it: the f64 nearest the exact one, except that a tie
/// (by the exact advantage, SPEC 5) is 0 and no other is drawn as one. The double nearest
/// an exact 0.0000005, which is no tie, lies below it and is a tie in f64 (a heatmap cell
/// drawn grey, "a tie", where sweep.csv said equity: helper-79).
fn chart_advantage(outcome: &crate::sensitivity::Outcome) -> f64 {
    use crate::engine::{Num, Winner};
    let v = Num::to_f64(outcome.npv_advantage);
    match outcome.winner {
        Winner::Tie => 0.0,
        _ if v.is_tie() => {
            // The first double beyond the tie's edge, on the advantage's side.
            let edge = f64::from_bits(5e-7_f64.to_bits() + 1);
            if outcome.npv_advantage.is_sign_negative() {
                -edge
            } else {
                edge
            }
        }
        _ => v,
    }
}

/// `sweep.png` (and, with `svg`, `sweep.svg`) at `size`: the advantage against one path per
/// trajectory, or a heatmap for two. `selected`: the model's index of each trajectory of
/// `result`, in its order.
pub fn chart_files(
    base: &Base,
    axes: &[Axis],
    result: &Sweep,
    selected: &[usize],
    size: chart::Size,
    svg: bool,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let model = base.model();
    let to_f64 = |v: &Decimal| crate::engine::Num::to_f64(*v);
    let values: Vec<Vec<f64>> = axes
        .iter()
        .map(|a| a.values.iter().map(to_f64).collect())
        .collect();
    let mut currents = Vec::new();
    for a in axes {
        let current = match base.route(&a.origin, &a.path)? {
            Route::Knob(k) => k.current(model).map(|v| to_f64(&v)),
            Route::Document => None,
        };
        currents.push(current);
    }
    let varied: Vec<VariedPath> = axes
        .iter()
        .zip(&values)
        .zip(&currents)
        .map(|((a, v), c)| VariedPath {
            path: &a.path.text,
            values: v,
            current: *c,
        })
        .collect();
    let cells = result.points();
    let names = &result.trajectories;
    let advantages: Vec<Vec<f64>> = result
        .outcomes
        .chunks(cells.max(1))
        .map(|c| c.iter().map(chart_advantage).collect())
        .collect();
    // One varied path: each crossing solved exactly where it can be.
    let crossings: Vec<Option<Vec<Crossing>>> = match axes {
        [axis] => {
            // The first MAX_SOLVED changes of sign in all, in the series' order, and no
            // more than the work limit allows beside the grid's own (each solve is a root
            // search and a reading of the model: helper-82, 9 minutes of solves on a model
            // of 30,000 trajectories whose grid took 17 s).
            use crate::sensitivity::{MAX_WORK, SOLVE_RUNS, work};
            let per_solve = work(base, SOLVE_RUNS, SOLVE_RUNS, 1).max(1);
            // What the grid itself took (every trajectory at every point, a copy a point).
            let points = result.points() as u64;
            let grid = work(
                base,
                points.saturating_mul(model.trajectories.len() as u64),
                points,
                0,
            );
            let room = MAX_WORK.saturating_sub(grid).min(CHART_SOLVES_WORK) / per_solve;
            let mut left = MAX_SOLVED.min(room.min(usize::MAX as u64) as usize);
            let budgets: Vec<usize> = advantages
                .iter()
                .map(|a| {
                    let between = chart::zero_brackets(&values[0], a)
                        .iter()
                        .filter(|b| matches!(b, Bracket::Between { .. }))
                        .count();
                    let solved = between.min(left);
                    left -= solved;
                    solved
                })
                .collect();
            advantages
                .par_iter()
                .zip(selected)
                .zip(&budgets)
                .map(|((a, &t), &solved)| {
                    Some(exact_crossings(base, axis, &values[0], a, t, solved))
                })
                .collect()
        }
        _ => vec![None; advantages.len()],
    };
    let series: Vec<SweepSeries> = names
        .iter()
        .zip(&advantages)
        .zip(selected)
        .zip(&crossings)
        .map(|(((n, a), &index), c)| SweepSeries {
            trajectory: n,
            advantages: a,
            index,
            crossings: c.as_deref(),
        })
        .collect();
    let labels = ModelLabels::of(model);
    let ctx = base.loaded.chart_context(size, None);
    SweepChart {
        labels: &labels,
        varied: &varied,
        series: &series,
        trajectory: None,
    }
    .files(&ctx, svg)
}

/// The most crossings solved for one chart, over all its trajectories: each costs a root
/// search (tens of runs of the model); past this many the chart could not label them apart
/// anyway, and the rest are estimated between grid points (and labelled so).
const MAX_SOLVED: usize = 200;

/// The most work the chart's solved crossings may take (units of [`MAX_WORK`], about 0.1 us
/// of a core each: a second or two): a nicety beside the grid, which a large model's chart
/// spent most of a minute on (helper-236: 200 root searches, each copying a model of 4,000
/// trajectories a run, 55 s beside the grid's 0.4 s). The built-in model's 200 fit in it
/// many times over; past it crossings are estimated between grid points, and marked so.
const CHART_SOLVES_WORK: u64 = 20_000_000;

/// Where trajectory `t`'s advantage is zero along `axis`: at a grid value where the deals
/// tie; between two where it changes sign, the root `solve` finds there (the project's one
/// root finder, `--within` the two grid values), or where solve cannot be used for the path
/// (a year, a key it does not vary) or finds none, the straight-line estimate, marked as
/// such. Only the first `solved` changes of sign are solved; the rest are estimates.
fn exact_crossings(
    base: &Base,
    axis: &Axis,
    values: &[f64],
    advantages: &[f64],
    t: usize,
    solved: usize,
) -> Vec<Crossing> {
    let mut between = 0;
    let brackets: Vec<(Bracket, bool)> = chart::zero_brackets(values, advantages)
        .into_iter()
        .map(|b| {
            let solve_it = matches!(b, Bracket::Between { .. }) && between < solved;
            between += usize::from(matches!(b, Bracket::Between { .. }));
            (b, solve_it)
        })
        .collect();
    brackets
        .par_iter()
        .map(|&(b, solve_it)| match b {
            Bracket::Between { lo, hi, .. } if solve_it => {
                let (from, to) = (axis.values[lo], axis.values[hi]);
                let spec = SolveSpec {
                    path: axis.path.clone(),
                    target: Decimal::ZERO,
                    within: Some((from.min(to), from.max(to))),
                };
                let root = solve(base, &spec, &[t])
                    .ok()
                    .and_then(|rows| rows.into_iter().next())
                    .and_then(|row| row.solution)
                    .filter(|v| *v >= from.min(to) && *v <= from.max(to));
                match root {
                    Some(v) => Crossing {
                        value: crate::engine::Num::to_f64(v),
                        exact: true,
                    },
                    None => b.estimated(values),
                }
            }
            _ => b.estimated(values),
        })
        .collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::Range;

    /// The axis of `--vary PATH=FROM..TO[:STEPS]`.
    fn parse_axis(vary: &str) -> Result<Axis, String> {
        let (path, range) = vary.rsplit_once('=').ok_or("no =")?;
        Ok(Axis {
            path: OverridePath::parse(path)?,
            origin: format!("--vary {vary}"),
            values: Range::parse(range)?.grid(11)?,
        })
    }

    /// helper-79: an exact advantage of 0.0000005 (no tie: it prints 0.000001, equity) was
    /// drawn grey on the heatmap, "a tie", since its nearest double is one.
    #[test]
    fn regression_an_exact_non_tie_is_never_drawn_as_a_tie() {
        use crate::engine::{Num, Winner};
        use crate::sensitivity::Outcome;
        let outcome = |advantage: &str, winner| Outcome {
            npv_profit_share: Decimal::ZERO,
            npv_equity: Decimal::ZERO,
            npv_advantage: advantage.parse().unwrap(),
            winner,
        };
        let up = chart_advantage(&outcome("0.0000005", Winner::Equity));
        let down = chart_advantage(&outcome("-0.0000005", Winner::ProfitShare));
        assert!(up > 5e-7 && !up.is_tie(), "{up:e}");
        assert!(down < -5e-7 && !down.is_tie(), "{down:e}");
        assert_eq!(chart_advantage(&outcome("0.0000004", Winner::Tie)), 0.0);
        assert_eq!(chart_advantage(&outcome("2.5", Winner::Equity)), 2.5);
    }

    /// The crossings `sweep.png` is drawn with, for the built-in model's trajectories
    /// `names`, along `vary`.
    fn crossings(vary: &str, names: &[&str]) -> Vec<Vec<Crossing>> {
        let file = crate::io::read_model_file(None).unwrap();
        let base = Base::new(&file, &[]).unwrap();
        let axis = parse_axis(vary).unwrap();
        let selected: Vec<usize> = names
            .iter()
            .map(|n| {
                base.model()
                    .trajectories
                    .iter()
                    .position(|t| t.name == *n)
                    .unwrap()
            })
            .collect();
        let result = sweep(&base, std::slice::from_ref(&axis), &selected).unwrap();
        let values: Vec<f64> = axis
            .values
            .iter()
            .map(|v| crate::engine::Num::to_f64(*v))
            .collect();
        result
            .outcomes
            .chunks(result.points())
            .zip(&selected)
            .map(|(c, &t)| {
                let a: Vec<f64> = c
                    .iter()
                    .map(|o| crate::engine::Num::to_f64(o.npv_advantage))
                    .collect();
                exact_crossings(&base, &axis, &values, &a, t, MAX_SOLVED)
            })
            .collect()
    }

    /// The audit's D8: `sweep --vary discount_rate=0.02..0.2:4 -t base -t bull -t
    /// early-agi` labelled bull's crossing 0.1004 and early-agi's 0.1203, straight-line
    /// estimates between grid points 0.06 apart, where `solve` finds 0.0918 and 0.1092.
    /// Each crossing is now solved between its grid points with solve's root finder.
    #[test]
    fn regression_sweep_crossings_are_the_roots_solve_finds() {
        let found = crossings("discount_rate=0.02..0.2:4", &["base", "bull", "early-agi"]);
        let file = crate::io::read_model_file(None).unwrap();
        let base = Base::new(&file, &[]).unwrap();
        for (k, name) in ["base", "bull", "early-agi"].iter().enumerate() {
            let t = base
                .model()
                .trajectories
                .iter()
                .position(|t| t.name == *name)
                .unwrap();
            let spec = SolveSpec {
                path: crate::overrides::OverridePath::parse("discount_rate").unwrap(),
                target: Decimal::ZERO,
                within: Some((Decimal::new(2, 2), Decimal::new(2, 1))),
            };
            let solved = solve(&base, &spec, &[t]).unwrap()[0].solution;
            match solved {
                Some(root) => {
                    let root = crate::engine::Num::to_f64(root);
                    assert_eq!(found[k].len(), 1, "{name}: {:?}", found[k]);
                    let c = found[k][0];
                    assert!(c.exact, "{name}: {c:?}");
                    assert!((c.value - root).abs() < 1e-6, "{name}: {c:?}, solve {root}");
                }
                None => assert!(found[k].is_empty(), "{name}: {:?}", found[k]),
            }
        }
        // bull and early-agi cross, near where `solve` puts them.
        assert!((found[1][0].value - 0.0918).abs() < 1e-3, "{:?}", found[1]);
        assert!((found[2][0].value - 0.1092).abs() < 1e-3, "{:?}", found[2]);
    }

    /// Where solve cannot vary the path (a year), the crossing is the straight-line
    /// estimate, marked as one.
    #[test]
    fn regression_a_crossing_solve_cannot_find_is_an_estimate() {
        // early-agi's advantage: +20.93 in 2032, -8.81 in 2033.
        let found = crossings(
            "trajectories[early-agi].agi_year=2026..2040:15",
            &["early-agi"],
        );
        let [c] = found[0][..] else {
            panic!("{found:?}")
        };
        assert!(!c.exact && c.value > 2032.0 && c.value < 2033.0, "{c:?}");
    }

    /// Past the budget of root searches, a change of sign is estimated, and says so.
    #[test]
    fn crossings_past_the_budget_are_estimates() {
        let file = crate::io::read_model_file(None).unwrap();
        let base = Base::new(&file, &[]).unwrap();
        let axis = parse_axis("discount_rate=0.02..0.2:4").unwrap();
        let values = [0.02, 0.08, 0.14, 0.2];
        let bull = base
            .model()
            .trajectories
            .iter()
            .position(|t| t.name == "bull")
            .unwrap();
        let advantages = [790.0, 55.0, -110.0, -130.0];
        let [c] = exact_crossings(&base, &axis, &values, &advantages, bull, 0)[..] else {
            panic!()
        };
        assert!(!c.exact, "{c:?}");
        let [c] = exact_crossings(&base, &axis, &values, &advantages, bull, 1)[..] else {
            panic!()
        };
        assert!(c.exact && (c.value - 0.0918).abs() < 1e-3, "{c:?}");
    }
}
