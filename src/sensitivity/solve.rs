//! `solve`: per trajectory, the value of a path at which the NPV advantage is a target (0:
//! the tie), the root nearest the model's own value, found by the engine's one root finder
//! ([`measures::root_nearest`]). `scale.valuation` uses the break-even scale's own search,
//! so `solve scale.valuation` is the break-even scale that `compare` reports, to the digit.
//!
//! The stake at which the built-in model's `base` trajectory ties, set back to check it:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::overrides::{Override, OverridePath};
//! use stakeshift::sensitivity::solve::{SolveSpec, solve};
//! use stakeshift::sensitivity::{Base, run};
//!
//! let file = stakeshift::io::read_model_file(None)?; // None: the built-in model
//! let base = Base::new(&file, &[])?;
//! let path = OverridePath::parse("equity.stake").unwrap();
//! let spec = SolveSpec { path, target: Decimal::ZERO, within: None };
//! let rows = solve(&base, &spec, &[2])?; // [2]: `base`
//! assert_eq!(rows[0].current_value, Some(Decimal::new(27, 2)));
//! let stake = rows[0].solution.expect("a root in [0, 1]");
//! // At that stake the two NPVs are equal: the advantage rounds to 0 at 6 places.
//! let tied = base.load_with(&[Override::number("--set", &spec.path, stake)])?;
//! let advantage = run(&tied, &[2]).expect("it runs")[0].npv_advantage;
//! assert!(advantage.abs() < Decimal::new(5, 7));
//! // `solve scale.valuation` is `compare`'s break-even scale, to the digit.
//! let path = OverridePath::parse("scale.valuation").unwrap();
//! let scale = solve(&base, &SolveSpec { path, ..spec }, &[2])?[0].solution;
//! let compared = stakeshift::compare::compare(base.model(), None).expect("it runs");
//! assert_eq!(scale, compared.trajectories[2].breakeven_scale);
//! # Ok::<(), stakeshift::Error>(())
//! ```

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::{Base, Route, run};
use crate::engine::measures::{self, Search, Steps};
use crate::error::Error;
use crate::model::{Model, Year};
use crate::overrides::document::value_in_document;
use crate::overrides::typed::Domain;
use crate::overrides::{Derived, Knob, Override, OverridePath, Target};
use crate::report::describe::plural;

/// What to solve for.
#[derive(Debug, Clone)]
pub struct SolveSpec {
    pub path: OverridePath,
    /// The NPV advantage wanted (0: the tie).
    pub target: Decimal,
    /// Where to look (default: the key's valid range, amounts up to 1000 times the current
    /// value).
    pub within: Option<(Decimal, Decimal)>,
}

/// One trajectory's answer: the columns of `solve.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveRow {
    pub trajectory: String,
    pub path: String,
    pub target: Decimal,
    /// The model's own value (a default pre-money: the trajectory's; empty for a key the
    /// model leaves out).
    pub current_value: Option<Decimal>,
    pub current_advantage: Decimal,
    pub solution: Option<Decimal>,
    /// The kind of number PATH is, for the places its values print to.
    pub kind: super::InputKind,
}

/// The largest amount searched when the model has no value of its own (a `total_cap` it
/// leaves out): 1e9 units.
const OPEN_AMOUNT_LIMIT: i64 = 1_000_000_000;

/// Solves on each trajectory of `selected` (indexes), a row each in that order.
pub fn solve(base: &Base, spec: &SolveSpec, selected: &[usize]) -> Result<Vec<SolveRow>, Error> {
    let checked = check(base, spec, selected)?;
    search(base, spec, selected, checked)
}

/// What [`check`] found: the knob to turn, and the selected trajectories' runs at the
/// model's own values.
pub struct Checked {
    knob: Knob,
    current: Vec<super::Outcome>,
    /// How many trajectories were selected: [`search`] must be given the same.
    searched: usize,
}

/// Everything [`solve`] refuses before it searches, each said: a `[simulation]` key, a path
/// that is no number it can vary, a year, `--within` the wrong way round or outside the
/// key's valid range, more work than allowed, a selected trajectory that cannot run. For a
/// misuse's offered command too, checked before it is offered (helper-297, helper-298:
/// `solve 'trajectories[base].agi_year=2031'` was offered a year, `equity.stake=2..3` a
/// range outside [0, 1]).
pub fn check(base: &Base, spec: &SolveSpec, selected: &[usize]) -> Result<Checked, Error> {
    let knob = check_path(base, spec)?;
    let model = base.model();
    // A root search runs a copy of the model a hundred times or so a trajectory it searches
    // (a key of one trajectory searches that one only), and a key tied to another reads the
    // model again for each root (helper-82, helper-84: hours on models of thousands of
    // trajectories or of thousands of capped parties).
    let searched = match knob.trajectory() {
        Some(t) => u64::from(selected.contains(&t)),
        None => selected.len() as u64,
    };
    // (By the range's width, the default's or `--within`'s: helper-251 found the same
    // search refused by default and run with `--within 0..1e18`.)
    let unbounded = matches!(
        knob.domain(model),
        Domain::Rate | Domain::RateFromMinusOne | Domain::Any | Domain::Shift
    ) && spec
        .within
        .is_none_or(|(lo, hi)| hi - lo > Decimal::from(WIDE_RANGE));
    let per_search = if unbounded {
        super::SOLVE_RUNS_UNBOUNDED
    } else if knob.current(model).is_some_and(|v| v.is_zero()) {
        super::SOLVE_RUNS_FROM_ZERO
    } else {
        super::SOLVE_RUNS
    };
    let runs = per_search.saturating_mul(searched);
    let loads = if knob.tied_to_another_key() {
        searched
    } else {
        0
    };
    super::check_work(
        base,
        // (A run copies one trajectory and the model's terms: a whole model's copy in
        // the work's units per as many runs as the model has trajectories.)
        (
            runs,
            runs.div_ceil((model.trajectories.len() as u64).max(1)),
            loads,
        ),
        &format!("solving on {}", plural(searched as usize, "trajectory")),
        "choose fewer trajectories with --trajectory",
    )?;
    let current = run(model, selected).map_err(|e| engine_error(base, &e))?;
    // `--within` outside the key's valid range. Once: the valid range is the key's, not a
    // trajectory's, and only `--within` can miss it (the current value only sets where a
    // search without one starts and stops); for a key of one trajectory, where that one is
    // searched.
    let searched_somewhere = knob.trajectory().is_none_or(|one| selected.contains(&one));
    if spec.within.is_some() && searched_somewhere {
        search_for(model, knob, None, spec.within).map_err(|r| r.error(spec))?;
    }
    Ok(Checked {
        knob,
        current,
        searched: selected.len(),
    })
}

/// [`check`]'s first part: the PATH itself, and the knob it turns.
fn check_path(base: &Base, spec: &SolveSpec) -> Result<Knob, Error> {
    let origin = format!("solve {}", spec.path.text);
    // `[simulation]` first: whether or not the file has the table, the exact run does not
    // read it (helper-128: a model without it was told to add the table, then refused).
    base.refuse_simulation(&origin, &spec.path, "solve searches")?;
    let knob = match base.route(&origin, &spec.path)? {
        Route::Knob(k) => k,
        Route::Document => {
            // A derived key with no knob names a trajectory the model lacks: the error the
            // same path gets from `--set` says so (and names the nearest trajectory).
            if let Target::Derived(derived, _) = &spec.path.target {
                base.load_with(&[Override::number(
                    origin.clone(),
                    &spec.path,
                    derived.identity(),
                )])?;
            }
            let takes = |v: Decimal| {
                base.load_with(&[Override::number(origin.clone(), &spec.path, v)])
                    .is_ok()
            };
            // A value the file holds is never "left out" (helper-124: a revenue share's
            // `from` and a point's year were said to be). A whole number the file holds that
            // refuses a half is a year (or a count): it moves the answer in whole steps.
            let held = value_in_document(&base.loaded.text, &spec.path);
            if let Some(held) = &held
                && let Some(whole) = held.as_integer()
                && !takes(Decimal::from(whole) + Decimal::new(5, 1))
            {
                return Err(Error::Usage(format!(
                    "solve {}: this value is a whole number (a year), which moves the answer in whole steps, so it has no exact root; use `sweep` to see the answer step by step",
                    spec.path.text
                )));
            }
            // A number the model leaves out (a share of a party its tier does not name):
            // solve starts from the model's value, and there is none; said so, with the
            // way to give it one (it was called "not a number": helper-111's D5).
            let takes_a_number =
                held.is_none() && [Decimal::ZERO, Decimal::ONE].into_iter().any(takes);
            if takes_a_number {
                return Err(Error::Usage(format!(
                    "solve {}: the model leaves this value out, so there is no current value to start the search from; give it one first (`--set {}`) and solve again",
                    spec.path.text,
                    crate::error::shell_word(&format!("{}=VALUE", spec.path.text))
                )));
            }
            return Err(Error::Usage(format!(
                "solve {}: this path is not a number that solve can vary; solve takes a number of the model (a rate, share, stake, amount, growth, point value) or a derived key (see docs/MODEL.md)",
                spec.path.text
            )));
        }
    };
    if knob.domain(base.model()) == Domain::Year {
        return Err(Error::Usage(format!(
            "solve {}: a year moves the answer in whole steps, so it has no exact root; use `sweep` to see the answer year by year",
            spec.path.text
        )));
    }
    if let Some((lo, hi)) = spec.within
        && lo >= hi
    {
        return Err(Error::Usage(format!(
            "--within {lo}..{hi}: FROM must be below TO"
        )));
    }
    Ok(knob)
}

/// [`solve`]'s search, once [`check`] has passed.
pub fn search(
    base: &Base,
    spec: &SolveSpec,
    selected: &[usize],
    checked: Checked,
) -> Result<Vec<SolveRow>, Error> {
    let model = base.model();
    let origin = format!("solve {}", spec.path.text);
    let Checked {
        knob,
        current,
        searched,
    } = checked;
    assert_eq!(
        searched,
        selected.len(),
        "solve::search given other trajectories than solve::check"
    );
    // (Once for every trajectory searched: each would build every trajectory's path.)
    let shared = Shared {
        raise_below: raise_every_trajectory_takes(model, knob),
        skeleton: Model {
            trajectories: Vec::new(),
            warnings: Vec::new(),
            ..model.clone()
        },
    };
    let raise_below = shared.raise_below;
    selected
        .par_iter()
        .zip(current.par_iter())
        .map(|(&t, now)| {
            let trajectory = &model.trajectories[t];
            let current_value = current_value(model, knob, t);
            let mut solution = solve_one(
                base,
                knob,
                t,
                current_value,
                spec,
                now.npv_advantage,
                &shared,
            )?;
            // A root just below the raise at which another trajectory cannot run may print
            // rounded up to it, a value `compare --set` refuses (helper-250: 262.918998 for
            // a limit of 262.9189979): such a root is given rounded toward zero at the places
            // printed, within SPEC 11's 1e-8 of it still.
            if let (Some(v), Some(below)) = (solution, raise_below) {
                let places = crate::report::sensitivity::solution_places(v, crate::report::AMOUNT_DP);
                if stakeshift_core::engine::number::printed(v, places) >= below {
                    solution = Some(v.round_dp_with_strategy(
                        places,
                        rust_decimal::RoundingStrategy::ToZero,
                    ));
                }
            }
            // The search sets the value on the model read, past the file's checks. Where a
            // rule ties the key to another (a round's raise and participation, a tier's
            // shares), a root those checks refuse is reported as such, never as a
            // solution; the key's range is meant to keep it inside, and this holds it to
            // that (reading the model again, so only for such keys: on thousands of
            // trajectories, once a root for every key was minutes).
            if let Some(v) = solution
                && knob.tied_to_another_key()
            {
                base.load_with(&[Override::number(origin.clone(), &spec.path, v)])
                    .map_err(|e| {
                        Error::Usage(format!(
                            "solve {}: the root found on `{}`, {}, is not a valid value: {e:#}; narrow the search with --within",
                            spec.path.text,
                            trajectory.name,
                            v.normalize()
                        ))
                    })?;
            }
            // A round's default pre-money (the valuation less the raise), an amount the
            // model computes, is printed to an amount's 6 places, as `tornado` varies it
            // (helper-300: `208.7558026894283`, an interpolated valuation's digits), and as
            // it is where those would print it as 0 (helper-306: 2.087e-7 as 0.000000); a
            // value the model gives is printed as written.
            let computed = matches!(knob, Knob::RoundPreMoney(_)) && knob.current(model).is_none();
            let current_value = match current_value {
                Some(v) if computed => {
                    let six = stakeshift_core::engine::number::printed(v, crate::report::AMOUNT_DP);
                    Some(if six.is_zero() { v } else { six })
                }
                other => other,
            };
            Ok(SolveRow {
                trajectory: trajectory.name.clone(),
                path: spec.path.text.clone(),
                target: spec.target,
                current_value,
                current_advantage: now.npv_advantage,
                solution,
                kind: super::knob_kind(knob),
            })
        })
        .collect()
}

pub(super) fn engine_error(base: &Base, e: &crate::engine::EngineError) -> Error {
    base.loaded.engine_error(e)
}

/// The knob's value on trajectory `t`: a default pre-money value is the trajectory's
/// valuation that year minus the raise.
fn current_value(model: &Model, knob: Knob, t: usize) -> Option<Decimal> {
    if let Some(v) = knob.current(model) {
        return Some(v);
    }
    if let Knob::RoundPreMoney(r) = knob {
        let round = &model.equity.rounds[r];
        let path = crate::engine::series::Path::of(model, &model.trajectories[t]).ok()?;
        let v = path.valuation[(round.year - model.start_year) as usize];
        return Some(v - round.raise);
    }
    None
}

/// What every trajectory's search shares, found once.
struct Shared {
    /// Where the key is a round's raise, the value from which some trajectory cannot run
    /// ([`raise_every_trajectory_takes`]).
    raise_below: Option<Decimal>,
    /// The model without its trajectories (nor its warnings), to which a search adds the
    /// one it runs: a copy of the whole model a run made solve quadratic in the
    /// trajectories (helper-250: 400 trajectories took 44 s, 1,000 past two minutes).
    skeleton: Model,
}

/// The root for trajectory `t`.
fn solve_one(
    base: &Base,
    knob: Knob,
    t: usize,
    current: Option<Decimal>,
    spec: &SolveSpec,
    advantage_now: Decimal,
    shared: &Shared,
) -> Result<Option<Decimal>, Error> {
    let model = base.model();
    let raise_below = shared.raise_below;
    // A key of another trajectory leaves this one as it is.
    if let Some(one) = knob.trajectory()
        && one != t
    {
        return Ok((advantage_now == spec.target)
            .then(|| knob.current(model))
            .flatten());
    }
    if let Knob::Derived(Derived::ScaleValuation, _) = knob {
        let search =
            search_for(model, knob, Some(Decimal::ONE), spec.within).map_err(|r| r.error(spec))?;
        return crate::engine::valuation_scale_root(model, t, spec.target, &search)
            .map(|root| root.map(|v| inside_as_printed(&search, knob, v)))
            .map_err(|e| engine_error(base, &e));
    }
    let search = search_for(model, knob, current, spec.within).map_err(|r| r.error(spec))?;
    // The advantage less the target at v, and what rounding can have left in it (from the
    // years the deals differ in and the stake's own rounding; not the NPVs: NPVs of 7.6e25
    // made every advantage under 0.76 "unresolved", helper-90, helper-92).
    let mut single = shared.skeleton.clone();
    single.trajectories.push(model.trajectories[t].clone());
    let single_knob = knob.on_trajectory(0);
    let difference_at = |v: Decimal| -> Option<(Decimal, Decimal)> {
        if raise_below.is_some_and(|below| v >= below) {
            return None;
        }
        let mut m = single.clone();
        single_knob.set(&mut m, v)?;
        let out = crate::compare::outcomes(&m, &[0]).ok()?;
        let noise = out[0]
            .advantage_noise
            .saturating_add(spec.target.abs() * measures::ROUNDING);
        Some((out[0].npv_advantage.checked_sub(spec.target)?, noise))
    };
    // A tie within the rounding is a root at the start, and, with `at_ends`, at an end of
    // the range too, where no point beyond can show a crossing (helper-209: the advantage
    // exactly 0 at a stake of 0, held as 1e-25, had no root). With `vanishing` (the side
    // above the start, or below it, and a bound), a difference within the bound of 0 on that
    // side ends the search there, as a point where the model cannot run does.
    let root = |at_ends: bool, vanishing: Option<(bool, Decimal)>| {
        let mut f = |v: Decimal| -> measures::Point {
            let Some((difference, noise)) = difference_at(v) else {
                return measures::Point::Outside;
            };
            if let Some((above, vanished)) = vanishing
                && v != search.start
                && above == (v > search.start)
                && difference.abs() < vanished
            {
                return measures::Point::Outside;
            }
            let tie_counts = v == search.start || (at_ends && search.at_start_or_end(v));
            measures::resolved_point(difference, noise, tie_counts)
        };
        measures::root_nearest_of_points(&search, &mut f)
    };
    let search_from = |vanishing: Option<(bool, Decimal)>| match root(true, vanishing) {
        // An end taken for a tie must be where the advantage meets the target, not one it
        // merely passes within the rounding's bound on its way elsewhere (helper-211: -1.8e-9
        // k, no root, gave 0.01 as one in 0.01..1): else the search without ends.
        Some(end)
            if end != search.start
                && search.at_start_or_end(end)
                && !meets_target_at(&search, end, &difference_at) =>
        {
            root(false, vanishing)
        }
        found => found,
    };
    // Where the advantage only vanishes toward an end of the range (a valuation's growth
    // toward -1, a discount rate toward 1e18: 4 (1 + g)^3, 4 / (1 + r)^3), a decimal's 28
    // places hold it as 0, or as a last digit of either sign, short of the end, which is no
    // root (helper-225: a growth of -1, which the model refuses, and discount rates of 4.3e9
    // and 775.8 whose advantages are 5e-29, were given as roots, and which depended on how
    // wide the range was). A root whose difference, and the difference just short of it
    // towards the start, are both within [`VANISHED`] of the difference at the start is
    // such a point: the search runs again with that side ending where the difference
    // vanishes. Relative, as the rounding is (a valuation of 1e5 rounds (1 + g)^n to 28
    // places and then multiplies: steps of 1e-23; helper-230), so that a deal small in its
    // unit keeps its roots (a root at 0 of 1e-13 x stake: helper-230). (A difference that is
    // 0 from a point on, with larger values just short of it, is a root: the start of a
    // stretch where a cap no longer binds.)
    // (The bound from the difference at the start: one more run of the model, only where a
    // root away from the start was found.)
    let found = search_from(None);
    let vanishing = found
        .filter(|&found| found != search.start)
        .and_then(|found| {
            // (Inside the range, at least a decimal's last digits, 1e-27: of a difference of
            // 1.5e-5 at the start, 1e-24 is below what a decimal holds, and a stake's value
            // vanishing at large rates left a last digit's 0 taken for a root at 15.4,
            // helper-250. Not at an end, beyond which nothing vanishes: a stake of 0 ties a
            // deal of 1e-13, whose differences beside it are in its last digits.)
            let relative = difference_at(search.start)?.0.abs() * VANISHED;
            let vanished = if search.at_start_or_end(found) {
                relative
            } else {
                relative.max(LAST_DIGITS)
            };
            (vanishes_at(&search, found, vanished, &difference_at)
                && !crosses_at(&search, found, &difference_at))
            .then_some((found > search.start, vanished))
        });
    let root = match vanishing {
        Some(side) => search_from(Some(side)),
        None => found,
    };
    Ok(root.map(|v| inside_as_printed(&search, knob, v)))
}

/// A root that prints onto an end of its range it is not at (a discount rate of
/// -0.99999999999859 as -1.00000000, which `compare --set` refuses: helper-307), rounded
/// toward the inside at the places printed, within SPEC 11's 1e-8 of it still; else the root.
fn inside_as_printed(search: &measures::Search, knob: Knob, v: Decimal) -> Decimal {
    let least = super::knob_kind(knob)
        .places()
        .unwrap_or(crate::report::RATIO_DP);
    let places = crate::report::sensitivity::solution_places(v, least);
    let shown = stakeshift_core::engine::number::printed(v, places);
    if shown < search.lower || (search.lower_open && shown <= search.lower) {
        v.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::ToPositiveInfinity)
    } else if shown > search.upper {
        v.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::ToNegativeInfinity)
    } else {
        v
    }
}

/// A rate's or a margin's range wider than this is searched in about
/// [`super::SOLVE_RUNS_UNBOUNDED`] runs: past the doublings of the range to 10 the walk goes on
/// doubling to its end.
const WIDE_RANGE: i64 = 1000;

/// For a round's raise where the round takes the default pre-money (the valuation that year
/// less the raise, SPEC 4), the raise at and above which some trajectory's pre-money is not
/// above 0: a value the model cannot run with, though the trajectory searched can. A model
/// is valid only if every trajectory runs (SPEC 6), as `sweep` holds its grid to
/// (helper-249: a raise of 88.9 was given as `breakout`'s root, at which `fails` cannot
/// run, so `compare --set` refused the solution).
fn raise_every_trajectory_takes(model: &Model, knob: Knob) -> Option<Decimal> {
    let Knob::RoundRaise(r) = knob else {
        return None;
    };
    let round = &model.equity.rounds[r];
    if round.pre_money.is_some() {
        return None;
    }
    let at = usize::try_from(round.year - model.start_year).ok()?;
    model
        .trajectories
        .iter()
        .filter_map(|trajectory| {
            let path = crate::engine::series::Path::of(model, trajectory).ok()?;
            path.valuation.get(at).copied()
        })
        .min()
}

/// A decimal's last digits for a value below 1 (ten units of its 28th place): a difference
/// within it of the target is no evidence of a root.
const LAST_DIGITS: Decimal = Decimal::from_parts(1, 0, 0, false, 27);

/// Below this fraction of the difference at the start, a difference from the target is
/// where a decimal's 28 places run out rather than where the advantage meets it (see
/// [`vanishes_at`]): far above the 1e-28 of it a decimal holds.
const VANISHED: Decimal = Decimal::from_parts(1, 0, 0, false, 24);

/// Whether the difference from the target is below `vanished` at `root`, just short of it
/// towards the start (1e-13 of it or 1e-15 of the range, at most half the way back: a root
/// at 0 of an advantage in proportion to the value is larger than that beside it, and is
/// kept), and at the end of the range beyond it.
fn vanishes_at(
    search: &measures::Search,
    root: Decimal,
    vanished: Decimal,
    difference_at: &dyn Fn(Decimal) -> Option<(Decimal, Decimal)>,
) -> bool {
    let back = (root.abs() * Decimal::new(1, 13))
        .max(search.value_scale() * Decimal::new(1, 15))
        .max(Decimal::new(1, 26))
        .min((root - search.start).abs() / Decimal::TWO);
    let short = if root > search.start {
        root - back
    } else {
        root + back
    };
    // The end of the range on the root's side (just inside an open one): the advantage
    // must vanish all the way there. A root where it touches the target and turns back
    // (-(1.1 x - 1)^2) is as flat beside it, but not at the end.
    let end = if root > search.start {
        search.upper
    } else if search.lower_open {
        search.lower + (search.value_scale() * Decimal::new(1, 20)).max(Decimal::new(1, 27))
    } else {
        search.lower
    };
    // Where the model cannot run at the end (a discount factor of years before the
    // valuation year, (1 + r)^k, past what a decimal holds at r = 1e18), the farthest point
    // toward it that runs stands for it: a tenth of the way there, a hundredth, ...
    // (helper-251: a stake's 0.5 / (1 + r)^n, with years before the valuation year, kept a
    // root at 72.6 where it comes out 0, the end giving no answer.)
    let end_difference = std::iter::successors(Some(end - root), |way| {
        let next = *way / Decimal::TEN;
        (!next.is_zero()).then_some(next)
    })
    .take(30)
    .find_map(|way| difference_at(root + way));
    [root, short]
        .into_iter()
        .map(difference_at)
        .chain(std::iter::once(end_difference))
        .all(|d| d.is_some_and(|(d, _)| d.abs() < vanished))
}

/// Whether the difference from the target changes sign across `root`, each side beyond the
/// last digits a decimal holds (1e-27), at some distance from 1e-4 to 1e-12 of it inside
/// the range: a crossing, however small the values, which [`vanishes_at`] must not take
/// away (helper-231: 4 / (1 + r)^3 against 4e-14 / (1 + r) cross at r = 1e7, where both are
/// 4e-21, and the root was lost or moved).
fn crosses_at(
    search: &measures::Search,
    root: Decimal,
    difference_at: &dyn Fn(Decimal) -> Option<(Decimal, Decimal)>,
) -> bool {
    let last_digits = Decimal::new(1, 27);
    let size = root.abs().max(Decimal::ONE);
    (4..=12).step_by(2).any(|places| {
        let step = size * Decimal::new(1, places);
        let (below, above) = (root - step, root + step);
        let inside = |v: Decimal| {
            v <= search.upper && (v > search.lower || (v == search.lower && !search.lower_open))
        };
        if !inside(below) || !inside(above) {
            return false;
        }
        match (difference_at(below), difference_at(above)) {
            (Some((a, _)), Some((b, _))) => {
                a.abs() > last_digits
                    && b.abs() > last_digits
                    && a.is_sign_negative() != b.is_sign_negative()
            }
            _ => false,
        }
    })
}

/// Whether the advantage, a tie with the target at `end` (an end of the search's range),
/// meets it there: the line through `end` and a point just inside the range crosses the
/// target within 1e-8 of `end`, relative (SPEC 11's resolution), or, for an end at 0,
/// within that point's distance. A flat advantage meets it; one the model cannot give just
/// inside does not.
fn meets_target_at(
    search: &measures::Search,
    end: Decimal,
    difference_at: &dyn Fn(Decimal) -> Option<(Decimal, Decimal)>,
) -> bool {
    // (At most half the range, so that the point inside is inside: helper-216.)
    let span = search.value_scale();
    let step = (end.abs() * Decimal::new(1, 9))
        .max(span * Decimal::new(1, 12))
        .max(Decimal::new(1, 20))
        .min(span / Decimal::TWO);
    let inside = if end == search.upper {
        end - step
    } else {
        end + step
    };
    let (Some((at_end, _)), Some((near, _))) = (difference_at(end), difference_at(inside)) else {
        return false;
    };
    if near == at_end {
        return true;
    }
    // The ratio first: the product of two small numbers (1.8e-21 x 1e-12) is below a
    // decimal's 28 places, and a shift of 0 took any line for one crossing at the end.
    let Some(crossing) = at_end
        .checked_div(near - at_end)
        .and_then(|x| x.checked_mul(inside - end))
        .map(|shift| end - shift)
    else {
        return false;
    };
    // Relative to the end, as SPEC 11's resolution is; the step's own distance only for an
    // end at 0, where a relative bound is 0 (for an end near 0 in a wide range, the step
    // reached 0 and took a line through 0, outside the range, for a tie at the end).
    let tolerance = if end.is_zero() {
        step
    } else {
        end.abs() * Decimal::new(1, 8)
    };
    (crossing - end).abs() <= tolerance
}

/// The valid range of a knob that `--within` lies wholly outside of.
#[derive(Debug, Clone, Copy)]
pub struct OutsideRange {
    lower: Decimal,
    lower_open: bool,
    upper: Decimal,
}

impl OutsideRange {
    fn error(self, spec: &SolveSpec) -> Error {
        let (lo, hi) = spec.within.unwrap_or_default();
        let bracket = if self.lower_open { "(" } else { "[" };
        Error::Usage(format!(
            "--within {}..{}: {} is searched only inside its valid range {bracket}{}, {}], which this range does not meet",
            lo.normalize(),
            hi.normalize(),
            spec.path.text,
            self.lower.normalize(),
            self.upper.normalize()
        ))
    }
}

/// The search for a knob: its valid range (or `within`, kept inside it), from its current
/// value, geometric for amounts and factors, additive for rates, fractions and shifts.
/// Err: `within` and the valid range, which is given, do not meet.
pub fn search_for(
    model: &Model,
    knob: Knob,
    current: Option<Decimal>,
    within: Option<(Decimal, Decimal)>,
) -> Result<Search, OutsideRange> {
    let thousand = Decimal::from(1000);
    // The caps of the default search (1000 times an amount's current value, a scale up to
    // 1000) bound where solve looks on its own; a `--within` range replaces them and is kept
    // inside the valid range only.
    let largest = Decimal::from(stakeshift_core::model::MAX_NUMBER);
    let range = |capped: bool| match knob.domain(model) {
        Domain::Fraction => {
            let (lower_open, upper) = match knob {
                // A tier's shares add up to at most 1; a party with an `until` needs a share.
                Knob::TierShare { tier, party } => {
                    let tier = &model.profit_share.tiers[tier];
                    let others: Decimal = tier
                        .shares
                        .iter()
                        .filter(|(p, _)| *p != party)
                        .map(|(_, s)| *s)
                        .sum();
                    let capped = tier.until.iter().any(|(p, _)| *p == party);
                    (capped, Decimal::ONE - others)
                }
                _ => (false, Decimal::ONE),
            };
            (Decimal::ZERO, lower_open, upper, false)
        }
        // SPEC 11 caps only amounts: a rate is searched to the largest number a model holds,
        // by steps on the scale of -1..10 (`step_width`), doubling outward (helper-249: a
        // discount rate's root at 28.5 was none by default, the search stopping at 10).
        Domain::Rate => (-Decimal::ONE, true, largest, false),
        Domain::RateFromMinusOne => (-Decimal::ONE, false, largest, false),
        domain @ (Domain::Positive | Domain::NonNegative | Domain::AtLeast(_)) => {
            let (lower, open) = match domain {
                Domain::AtLeast(least) => (least, false),
                _ => (Decimal::ZERO, domain == Domain::Positive),
            };
            // Never past the largest number a model may hold (a root there is one the model
            // refuses; helper-56).
            let upper = match current {
                _ if !capped => largest,
                Some(c) if c > Decimal::ZERO => c.saturating_mul(thousand).min(largest),
                _ => Decimal::from(OPEN_AMOUNT_LIMIT),
            };
            (lower, open, upper.max(lower), true)
        }
        Domain::UpTo(most) => (Decimal::ZERO, false, most, true),
        // A margin has no bound in SPEC 6 (one far out of the usual is warned of).
        Domain::Any => (-largest, false, largest, false),
        // A derived key's bound, which `--set` and `--vary` keep (helper-264: a root of
        // `shift.margin` at 5.7e9 that neither would take).
        Domain::Shift => {
            let limit = Decimal::from(crate::overrides::document::DERIVED_LIMIT);
            (-limit, false, limit, false)
        }
        Domain::Scale if !capped => (
            Decimal::ZERO,
            true,
            Decimal::from(crate::overrides::document::DERIVED_LIMIT),
            true,
        ),
        Domain::Scale => (Decimal::ZERO, true, thousand, true),
        Domain::Margin => (-Decimal::ONE, false, Decimal::ONE, false),
        Domain::Year => (
            Decimal::from(Year::MIN),
            false,
            Decimal::from(Year::MAX),
            false,
        ),
    };
    let (mut lower, mut lower_open, mut upper, geometric) = range(within.is_none());
    // An additive search steps by a thousandth of the default range at most, however wide
    // the range given: its steps double outward, so a wide range is still crossed in a few
    // dozen steps, while the first steps (and the bracket's tolerance, a fraction of the
    // step) stay on the scale of the key's own values.
    let default_width = match knob.domain(model) {
        // The scale of a rate's and a margin's values, where their range is unbounded.
        Domain::Rate | Domain::RateFromMinusOne => Decimal::from(11),
        Domain::Any | Domain::Shift => Decimal::from(20),
        _ => {
            let (default_lower, _, default_upper, _) = range(true);
            default_upper - default_lower
        }
    };
    if let Some((lo, hi)) = within {
        let valid = OutsideRange {
            lower,
            lower_open,
            upper,
        };
        if lo > lower || (lo == lower && !lower_open) {
            lower = lo;
            lower_open = false;
        }
        upper = upper.min(hi);
        if lower > upper || (lower == upper && lower_open) {
            return Err(valid);
        }
    }
    let start = current.unwrap_or(if lower_open { upper } else { lower });
    let start = start.clamp(lower, upper);
    // An amount of 0 (a closed lower end of 0) is walked up geometrically too, from a first
    // point far below any amount a model holds (`Search::first_above_zero`).
    let steps = if geometric
        && lower >= Decimal::ZERO
        && (start > Decimal::ZERO || (start.is_zero() && !lower_open && upper > start))
    {
        Steps::Geometric
    } else {
        Steps::Additive(((upper - lower).min(default_width) / thousand).max(Decimal::new(1, 9)))
    };
    Ok(Search {
        start,
        lower,
        lower_open,
        upper,
        steps,
    })
}
