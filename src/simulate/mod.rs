//! `simulate` (SPEC section 10): the runs and their statistics are
//! `stakeshift_core::simulate` (re-exported here); this module turns them into bytes:
//! - [`charts`]: `fan.png` and `distribution.png`;
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

pub mod charts;
pub mod csv;
pub mod json;
pub mod replay;
pub mod table;

pub use stakeshift_core::simulate::*;

/// The percentiles' names in every output (columns, keys, headings), one per
/// [`stats::QUANTILES`], in its order: `p5` is the percentile at 0.05.
pub const PERCENTILES: [&str; stats::QUANTILES.len()] = ["p5", "p25", "p50", "p75", "p95"];

/// The most work one simulation may take: its paths times a run of the model's rules
/// ([`crate::sensitivity::run_work`] units a path; the center is found by bisection, so the
/// number of trajectories adds next to nothing). A path runs the rules in f64, NPVs only:
/// 0.35 to 1 ns a unit of one core for ordinary models (the built-in model's 501 units take
/// 0.47 us), 2.3 ns for a tier of 150,000 parties and 6.5 ns for one of 300 capped parties
/// whose caps close every year (1.0 million units, 6.6 ms a path). So one to two minutes on
/// two cores at the most a run may take (helper-106 measured 90 s for those 300 parties,
/// 97 s for 3,000 capped parties over 2 years, 130 s for 100,000 rounds in a year, whose
/// rounds count a unit each), and three for ten million paths of a 500-year model with a
/// round every year; the built-in model could run
/// 80 million paths, beyond the 10 million a run may ask for. Without it, 10 million paths
/// of the 300-party waterfall (valid) would have run for nine hours.
pub const MAX_SIMULATION_WORK: u64 = 40_000_000_000;

/// Refuses a simulation of `paths` paths whose work is more than [`MAX_SIMULATION_WORK`]:
/// the message says how many paths the model allows.
pub fn check_work(model: &crate::model::Model, paths: u64) -> Result<(), String> {
    let per_path = crate::sensitivity::run_work(model).max(1);
    let total = paths.saturating_mul(per_path);
    if total > MAX_SIMULATION_WORK {
        let most = MAX_SIMULATION_WORK / per_path;
        return Err(format!(
            "{paths} paths of this model would take {total} units of work ({per_path} a path: its years, its waterfall's tiers, parties and caps, its rounds); at most {MAX_SIMULATION_WORK} are allowed, which keeps a run to minutes: give at most {most} paths"
        ));
    }
    Ok(())
}

/// Where a simulation drew fewer centers than its model would (`--trajectory`), the
/// centers it drew, as every output that speaks of "the paths" must say (helper-169: a
/// chart of `-t base` read "Equity is worth more in 36.7% of the paths" beside the model's
/// 26.1%, with nothing to tell them apart): "around `base`", "around `base` and `bear`",
/// "around 4 of the model's 6 trajectories". None where every center that can be drawn was.
pub fn around(model: &crate::model::Model, results: &Results) -> Option<String> {
    let drawable = model
        .simulation
        .weights_of(model)
        .iter()
        .filter(|w| !w.is_zero() && w.is_sign_positive())
        .count();
    if results.centers.len() >= drawable {
        return None;
    }
    // The groups after `all` are the centers in the order asked for.
    let names: Vec<String> = results
        .groups
        .iter()
        .skip(1)
        .map(|g| format!("`{}`", g.name))
        .collect();
    Some(match names.as_slice() {
        [one] => format!("around {one}"),
        [first @ .., last] if names.len() <= 3 => {
            format!("around {} and {last}", first.join(", "))
        }
        _ => format!(
            "around {} of the model's {drawable} trajectories",
            names.len()
        ),
    })
}

/// The command that draws `results` again from `loaded`'s model, as a chart's footer gives
/// it (with the model's overrides after it): `simulate models/deal.toml --paths 10000 --seed
/// 7` (the model file as it was named; none for the built-in model: helper-202 ran the
/// footer's command of a file's chart and got the built-in model's), and the centers
/// chosen where they were (`-t base -t bear`).
pub fn rerun_command(loaded: &crate::io::LoadedModel, results: &Results) -> String {
    // Each word as a shell takes it (`-t` takes a name that starts with `-`, such as
    // `-t -bust`, as it does any other).
    let word = crate::error::shell_arg;
    let mut command = "simulate".to_string();
    if loaded.label == crate::io::STDIN_LABEL {
        command.push_str(" -");
    } else if loaded.label != crate::BUILTIN_MODEL_NAME {
        // A path that starts with `-` from where it is, so that it is not read as a flag.
        let path = if loaded.label.starts_with('-') {
            format!("./{}", loaded.label)
        } else {
            loaded.label.clone()
        };
        command.push(' ');
        command.push_str(&word(&path));
    }
    command.push_str(&format!(
        " --paths {} --seed {}",
        results.paths, results.seed
    ));
    if around(&loaded.model, results).is_some() {
        for g in results.groups.iter().skip(1) {
            command.push_str(&format!(" -t {}", word(&g.name)));
        }
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_model_may_run_the_most_paths_a_run_may_ask_for() {
        let model = crate::io::load_model(None).unwrap().model;
        assert_eq!(check_work(&model, crate::model::MAX_PATHS), Ok(()));
        // The bound itself: one path more than the message allows is refused.
        let per_path = crate::sensitivity::run_work(&model);
        let most = MAX_SIMULATION_WORK / per_path;
        assert_eq!(check_work(&model, most), Ok(()));
        let refused = check_work(&model, most + 1).unwrap_err();
        assert!(
            refused.ends_with(&format!("give at most {most} paths")),
            "{refused}"
        );
    }

    /// helper-202: the footer's command of a model file's charts named no model, so that it
    /// drew the built-in model's.
    #[test]
    fn regression_the_rerun_command_names_the_model_file() {
        let options = Options {
            paths: 20,
            seed: 3,
            selected: None,
            fan: false,
        };
        let builtin = crate::io::load_model(None).unwrap();
        let results = run(&builtin.model, &options, &|_| {}).unwrap();
        assert_eq!(
            rerun_command(&builtin, &results),
            "simulate --paths 20 --seed 3"
        );
        // (Tests run in the package's folder.)
        let mini = std::path::Path::new("docs/mini.toml");
        let mut file = crate::io::load_model(Some(mini)).unwrap();
        let results = run(&file.model, &options, &|_| {}).unwrap();
        assert_eq!(
            rerun_command(&file, &results),
            "simulate docs/mini.toml --paths 20 --seed 3"
        );
        // A path that starts with a dash, from where it is.
        file.label = "-deal.toml".into();
        assert!(rerun_command(&file, &results).starts_with("simulate ./-deal.toml --paths"));
        // A path a shell would split, as one word.
        file.label = "my models/deal.toml".into();
        assert!(
            rerun_command(&file, &results).starts_with("simulate 'my models/deal.toml' --paths"),
            "{}",
            rerun_command(&file, &results)
        );
    }

    #[test]
    fn the_percentiles_are_named_by_their_quantiles() {
        for (name, q) in PERCENTILES.iter().zip(stats::QUANTILES) {
            assert_eq!(*name, format!("p{}", (q * 100.0).round()));
        }
    }
}
