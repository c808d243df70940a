//! `stakeshift sweep`: the comparison on a grid of one or two paths' values.

use anyhow::Context;
use rust_decimal::Decimal;

use super::{Format, SweepArgs, emit};
use rayon::prelude::*;
use stakeshift::chart::{
    self, Bracket, Crossing, ModelLabels, SweepChart, SweepSeries, VariedPath,
};
use stakeshift::error::Error;
use stakeshift::io;
use stakeshift::overrides::OverridePath;
use stakeshift::report::sensitivity as report;
use stakeshift::sensitivity::solve::{SolveSpec, solve};
use stakeshift::sensitivity::sweep::{Axis, Sweep, sweep};
use stakeshift::sensitivity::{Base, Range, Route};

pub fn run(
    args: &SweepArgs,
    stdout: &mut dyn std::io::Write,
    warnings: &mut super::Warnings,
) -> anyhow::Result<()> {
    let overrides = args.overrides.parsed()?;
    let file = io::read_model_file(args.model.as_deref())?;
    let axes: Vec<Axis> = args
        .vary
        .iter()
        .map(|v| parse_axis(v))
        .collect::<Result<_, _>>()?;
    if axes.len() > 2 {
        return Err(Error::Usage(
            "sweep varies one or two paths; give --vary at most twice".into(),
        )
        .into());
    }
    let base = Base::new(&file, &overrides)?;
    warnings.of_model(&base.loaded);
    let selected = super::selected_or_all(base.model(), &args.trajectories)?;
    super::check_unchosen_trajectories(&base.loaded, Some(&selected))?;
    let result = sweep(&base, &axes, &selected)?;
    // The files first, and what is printed after (the CSV's bytes once where both are the
    // CSV): a 2,000,000-run sweep's CSV is 200 MB.
    let mut csv = None;
    if let Some(dir) = &args.out {
        let files = vec![
            ("sweep.csv".to_string(), report::sweep_csv(&result)),
            (
                "sweep.png".to_string(),
                chart_png(&base, &axes, &result, &selected)?,
            ),
        ];
        io::write_all(dir, &files)
            .with_context(|| format!("writing the results into {}", dir.display()))?;
        super::report_written(dir, &files);
        if matches!(args.format, Format::Csv) {
            csv = files.into_iter().next().map(|(_, bytes)| bytes);
        }
    }
    let printed = match args.format {
        Format::Table => report::sweep_table(&result).into_bytes(),
        Format::Csv => csv.unwrap_or_else(|| report::sweep_csv(&result)),
        Format::Json => report::sweep_json(&result, &base.loaded.label),
    };
    emit(stdout, &printed)?;
    Ok(())
}

/// An advantage as the chart draws it: the f64 nearest the exact one, except that a tie
/// (by the exact advantage, SPEC 5) is 0 and no other is drawn as one. The double nearest
/// an exact 0.0000005, which is no tie, lies below it and is a tie in f64 (a heatmap cell
/// drawn grey, "a tie", where sweep.csv said equity: helper-79).
fn chart_advantage(outcome: &stakeshift::sensitivity::Outcome) -> f64 {
    use stakeshift::engine::{Num, Winner};
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

/// `sweep.png`: the advantage against one path per trajectory, or a heatmap for two.
/// `selected`: the model's index of each trajectory of `result`, in its order.
fn chart_png(
    base: &Base,
    axes: &[Axis],
    result: &Sweep,
    selected: &[usize],
) -> anyhow::Result<Vec<u8>> {
    let model = base.model();
    let to_f64 = |v: &Decimal| stakeshift::engine::Num::to_f64(*v);
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
            use stakeshift::sensitivity::{MAX_WORK, SOLVE_RUNS, work};
            let per_solve = work(base, SOLVE_RUNS, SOLVE_RUNS, 1).max(1);
            // What the grid itself took (every trajectory at every point, a copy a point).
            let points = result.points() as u64;
            let grid = work(
                base,
                points.saturating_mul(model.trajectories.len() as u64),
                points,
                0,
            );
            let room = MAX_WORK.saturating_sub(grid) / per_solve;
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
    let ctx = base.loaded.chart_context(chart::Size::DEFAULT, None);
    Ok(SweepChart {
        labels: &labels,
        varied: &varied,
        series: &series,
        trajectory: None,
    }
    .png(&ctx)?)
}

/// The most crossings solved for one chart, over all its trajectories: each costs a root
/// search (tens of runs of the model); past this many the chart could not label them apart
/// anyway, and the rest are estimated between grid points (and labelled so).
const MAX_SOLVED: usize = 200;

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
                        value: stakeshift::engine::Num::to_f64(v),
                        exact: true,
                    },
                    None => b.estimated(values),
                }
            }
            _ => b.estimated(values),
        })
        .collect()
}

/// `PATH=FROM..TO[:STEPS]`.
fn parse_axis(arg: &str) -> Result<Axis, Error> {
    let origin = format!("--vary {arg}");
    let (path, range) = arg.rsplit_once('=').ok_or_else(|| {
        Error::Usage(format!(
            "{origin}: expected PATH=FROM..TO[:STEPS], such as equity.stake=0.1..0.5:9"
        ))
    })?;
    let path = OverridePath::parse(path).map_err(|m| Error::Usage(format!("{origin}: {m}")))?;
    let values = Range::parse(range)
        .and_then(|r| r.grid(11))
        .map_err(|m| Error::Usage(format!("{origin}: {m}")))?;
    Ok(Axis {
        path,
        origin,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// helper-79: an exact advantage of 0.0000005 (no tie: it prints 0.000001, equity) was
    /// drawn grey on the heatmap, "a tie", since its nearest double is one.
    #[test]
    fn regression_an_exact_non_tie_is_never_drawn_as_a_tie() {
        use stakeshift::engine::{Num, Winner};
        use stakeshift::sensitivity::Outcome;
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
        let file = io::read_model_file(None).unwrap();
        let base = Base::new(&file, &[]).unwrap();
        let axis = parse_axis(vary).unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let selected = super::super::selected_or_all(base.model(), &names).unwrap();
        let result = sweep(&base, std::slice::from_ref(&axis), &selected).unwrap();
        let values: Vec<f64> = axis
            .values
            .iter()
            .map(|v| stakeshift::engine::Num::to_f64(*v))
            .collect();
        result
            .outcomes
            .chunks(result.points())
            .zip(&selected)
            .map(|(c, &t)| {
                let a: Vec<f64> = c
                    .iter()
                    .map(|o| stakeshift::engine::Num::to_f64(o.npv_advantage))
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
        let file = io::read_model_file(None).unwrap();
        let base = Base::new(&file, &[]).unwrap();
        for (k, name) in ["base", "bull", "early-agi"].iter().enumerate() {
            let t = base
                .model()
                .trajectories
                .iter()
                .position(|t| t.name == *name)
                .unwrap();
            let spec = SolveSpec {
                path: stakeshift::overrides::OverridePath::parse("discount_rate").unwrap(),
                target: Decimal::ZERO,
                within: Some((Decimal::new(2, 2), Decimal::new(2, 1))),
            };
            let solved = solve(&base, &spec, &[t]).unwrap()[0].solution;
            match solved {
                Some(root) => {
                    let root = stakeshift::engine::Num::to_f64(root);
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
        let file = io::read_model_file(None).unwrap();
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
