//! `stakeshift simulate`: many random futures of the deal (SPEC section 10), their
//! statistics printed (table, CSV or JSON) and, with --out, written as files.

use std::io::IsTerminal;

use super::{Format, SimulateArgs, emit};
use stakeshift::chart;
use stakeshift::error::Error;
use stakeshift::io::{self, LoadedModel};
use stakeshift::report;
use stakeshift::simulate::{self, Options, SimulateError};

/// Warns of a chosen trajectory that cannot be drawn (weight 0), and of the centers whose
/// paths part from them whatever the vols (SPEC 10 step 3 to
/// the letter: a margin held at 1, a profit without revenue dropped), so that a user who
/// sets every vol to 0 expecting `compare`'s numbers learns why they differ. (A model the
/// simulation refuses is said so by the run itself.)
fn warn_of_departures(
    model: &stakeshift::model::Model,
    options: &Options,
    warnings: &mut super::Warnings,
) {
    // simulation.csv's group column says `all` for every path: a center of that name (one
    // chosen, with a weight above 0) would make two rows alike.
    let weights = model.simulation.weights_of(model);
    if model.trajectories.iter().enumerate().any(|(i, t)| {
        t.name == "all"
            && weights.get(i).is_some_and(|w| !w.is_zero())
            && options.selected.as_ref().is_none_or(|s| s.contains(&i))
    }) {
        warnings.warn(
            "simulate: a trajectory is named `all`, as simulation.csv's group of every path is: its row and that group's both say `all` (the first is every path's); rename it to tell them apart".to_string(),
        );
    }
    // A trajectory chosen by --trajectory but weighted 0 is never drawn: without a word,
    // it is missing from simulation.csv, as if the name had been ignored (helper-158).
    // (Where every chosen one is weighted 0 the run fails and says so.)
    let unweighted = |i: &usize| weights.get(*i).is_none_or(|w| w.is_zero());
    if let Some(selected) = &options.selected
        && !selected.iter().all(unweighted)
    {
        for i in selected.iter().filter(|i| unweighted(i)) {
            let name = &model.trajectories[*i].name;
            warnings.warn(format!(
                "simulate: --trajectory `{}`: its weight in `simulation.weights` is 0, so no path is drawn around it and simulation.csv has no row for it; give it a weight to simulate it (--set {})",
                stakeshift::error::quoted(name),
                stakeshift::error::shell_word(&format!(
                    "simulation.weights.{}=1",
                    stakeshift::overrides::key_segment(name)
                ))
            ));
        }
    }
    let Ok(departures) = simulate::departures(model, options) else {
        return;
    };
    for d in departures {
        if !d.margin_above_one.is_empty() {
            warnings.warn(format!(
                "simulate: center `{}` has a margin above 1 in {}: a simulated path holds its margin at 1 there (docs/MODEL.md section 15, step 3), so its paths differ from the trajectory `compare` runs, even with every vol 0",
                d.center,
                years(&d.margin_above_one)
            ));
        }
        if !d.profit_without_revenue.is_empty() {
            warnings.warn(format!(
                "simulate: center `{}` has a profit without revenue in {}: a simulated path's margin is 0 where revenue is 0 (docs/MODEL.md section 15, step 3), so its profit there is 0, not the trajectory's",
                d.center,
                years(&d.profit_without_revenue)
            ));
        }
    }
}

/// "2030", "2030 and 2031", "2030, 2031, 2032 and 5 more years".
fn years(years: &[stakeshift::model::Year]) -> String {
    let shown: Vec<String> = years.iter().take(3).map(|y| y.to_string()).collect();
    match (years.len(), shown.as_slice()) {
        (1, [a]) => a.clone(),
        (2, [a, b]) => format!("{a} and {b}"),
        (3, [a, b, c]) => format!("{a}, {b} and {c}"),
        (n, [a, b, c]) => format!("{a}, {b}, {c} and {} more years", n - 3),
        _ => String::new(),
    }
}

/// The files `simulate --out` can write.
const FILES: [&str; 7] = [
    "simulation.csv",
    "fan.csv",
    "paths.csv",
    "fan.png",
    "distribution.png",
    "fan.svg",
    "distribution.svg",
];

/// A row of paths.csv without its center's name: the path, years, three amounts, winner
/// (65 bytes on the built-in model; room for long amounts).
const ROW_BYTES: u64 = 100;

/// The largest paths.csv a run may build, by the estimate of [`ROW_BYTES`] a row (about 1.5
/// times a real row: 10 million paths of the built-in model, 650 MB, peak at 1.2 GB).
const MAX_PATHS_CSV_BYTES: u64 = 2_000_000_000;

/// Below this many path-years a run takes well under a second: no progress bar.
const LONG_RUN: u64 = 20_000_000;

pub fn run(
    args: &SimulateArgs,
    stdout: &mut dyn std::io::Write,
    warnings: &mut super::Warnings,
) -> anyhow::Result<()> {
    args.charts.need_out(args.out.as_deref(), "")?;
    let loaded = args.overrides.load(args.model.as_deref(), warnings)?;
    let model = &loaded.model;
    let selected =
        super::select_trajectories(model, &args.trajectories, super::TrajectoryFlag::Repeated)?;
    super::warn_if_nothing_random(&loaded, warnings);
    let options = Options {
        paths: args.paths.unwrap_or(model.simulation.paths),
        seed: args.seed.unwrap_or(model.simulation.seed),
        selected,
        fan: args.out.is_some(),
    };
    warn_of_departures(model, &options, warnings);

    if let Some(p) = args.replay {
        let replay =
            simulate::replay(model, &options, p).map_err(|e| model_error(&loaded, &options, e))?;
        return Ok(emit(
            stdout,
            simulate::replay::render(model, &replay, loaded.overrides()).as_bytes(),
        )?);
    }

    // Bounded before it runs (a valid waterfall of many capped parties takes milliseconds a
    // path: ten million paths were hours).
    simulate::check_work(model, options.paths).map_err(|message| match args.paths {
        Some(n) => Error::Usage(format!("--paths {n}: {message}")),
        None => {
            let note = super::default_paths_note(options.paths);
            Error::Model {
                file: loaded.label.clone(),
                location: None,
                field: "simulation.paths".to_string(),
                message: loaded.with_overrides(format!(
                    "{message}{note}; set `simulation.paths`, or give `--paths N`"
                )),
            }
        }
    })?;

    // paths.csv is built in memory (the set is written all or nothing): a row a path, each
    // naming its center, so long names make it large (helper-106: a 4,000-character name
    // made a million paths 4 GB).
    if args.paths_csv && args.out.is_some() {
        super::refuse_output_past(
            MAX_PATHS_CSV_BYTES,
            &format!("--paths-csv: paths.csv of {} paths", options.paths),
            options.paths,
            ROW_BYTES + super::longest_name(model, None),
            "give fewer paths, or shorter trajectory names",
        )?;
    }

    let total = options.paths;
    let bar = (!args.quiet
        && std::io::stderr().is_terminal()
        && total.saturating_mul(model.years() as u64) >= LONG_RUN)
        .then(|| {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "simulating {bar:40} {human_pos}/{human_len} paths, {eta} left",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
    let progress = |done: u64| {
        if let Some(bar) = &bar {
            bar.inc(done);
        }
    };
    let results =
        simulate::run(model, &options, &progress).map_err(|e| model_error(&loaded, &options, e))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }

    let printed = match args.format {
        Format::Table => report::with_what_if(
            simulate::table::render(model, &results),
            loaded.overridden_by(),
        )
        .into_bytes(),
        Format::Csv => simulate::csv::simulation(&results),
        Format::Json => {
            simulate::json::render(model, &loaded.label, loaded.overridden_by(), &results)
        }
    };
    let out = match &args.out {
        Some(dir) => Some((dir.as_path(), out_files(args, &loaded, &results, warnings)?)),
        None => None,
    };
    let family: Vec<String> = FILES.map(String::from).to_vec();
    super::print_then_write(stdout, out, Some(&family), |stdout, _| {
        emit(stdout, &printed)
    })
}

/// The files `--out` writes, rendered before anything is written.
fn out_files(
    args: &SimulateArgs,
    loaded: &io::LoadedModel,
    results: &simulate::Results,
    warnings: &mut super::Warnings,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files = vec![
        (FILES[0].to_string(), simulate::csv::simulation(results)),
        (FILES[1].to_string(), simulate::csv::fan(results)),
    ];
    if args.paths_csv {
        files.push((FILES[2].to_string(), simulate::csv::paths(results)));
    }
    // The charts are drawn before any file is written, like the CSVs. fan.png and
    // distribution.png name the centers only where the run drew fewer than the model would
    // ("around `base`"), and their footer gives the command, `-t`s and all (helper-267: a
    // CJK center's boxes there went unwarned).
    let named: Vec<usize> = if simulate::around(&loaded.model, results).is_some() {
        let centers: std::collections::HashSet<&str> =
            results.centers.iter().map(String::as_str).collect();
        (0..loaded.model.trajectories.len())
            .filter(|&i| centers.contains(loaded.model.trajectories[i].name.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    let drawn = chart::Drawn {
        parties_and_tiers: false,
        trajectories: &named,
        svg: true,
    };
    let ctx = simulate::charts::context(loaded, results, args.charts.size());
    super::warn_of_glyphs(&loaded.model, drawn, &ctx.footer, warnings);
    files.extend(simulate::charts::files(
        loaded,
        results,
        &ctx,
        args.charts.svg,
    )?);
    Ok(files)
}

/// A simulation that cannot run is a problem of the model (or of an option): exit 2, naming
/// the file and the field.
fn model_error(loaded: &LoadedModel, options: &Options, e: SimulateError) -> Error {
    match e {
        SimulateError::TooManyPaths => Error::Usage(format!("--paths: {e}")),
        SimulateError::NoSuchPath { paths, .. } => {
            Error::Usage(format!("--replay: {e} (--paths {paths})"))
        }
        SimulateError::Field { field, message } => {
            // No center left to draw: the weights of the chosen trajectories are what the
            // error is about, so a --set of another's is not blamed (helper-170, -172).
            let keys: Vec<String> = if field == "simulation.weights" {
                let model = &loaded.model;
                // (A mask, not a search of the chosen for each trajectory: 20,000 chosen
                // took 3 s so; helper-173.)
                let mut chosen = vec![options.selected.is_none(); model.trajectories.len()];
                for &i in options.selected.iter().flatten() {
                    if let Some(c) = chosen.get_mut(i) {
                        *c = true;
                    }
                }
                (0..model.trajectories.len())
                    .filter(|&i| chosen[i])
                    .map(|i| {
                        format!(
                            "simulation.weights.{}",
                            stakeshift::overrides::key_segment(&model.trajectories[i].name)
                        )
                    })
                    .collect()
            } else {
                vec![field.clone()]
            };
            let at: Vec<&str> = keys.iter().map(String::as_str).collect();
            loaded.place_error(&field, &at, message)
        }
        SimulateError::Engine(e) => {
            // A trajectory that is no center still has to run, as in every command; said so
            // as `compare -t` says it (helper-197).
            let model = &loaded.model;
            let index = model
                .trajectories
                .iter()
                .position(|t| t.name == e.trajectory);
            let note = index.and_then(|i| {
                if options.selected.as_ref().is_some_and(|s| !s.contains(&i)) {
                    Some(" (a trajectory not chosen with --trajectory: every trajectory of a model must run)")
                } else if model.simulation.weights_of(model)[i].is_zero() {
                    Some(" (a trajectory of weight 0 in simulation.weights, never drawn: every trajectory of a model must run)")
                } else {
                    None
                }
            });
            let mut error = loaded.engine_error(&e);
            if let (Some(note), Error::Model { message, .. }) = (note, &mut error) {
                message.push_str(note);
            }
            error
        }
        e @ SimulateError::Path { .. } => Error::Model {
            file: loaded.label.clone(),
            location: None,
            field: "simulation".into(),
            message: loaded.with_overrides(e.to_string()),
        },
    }
}
