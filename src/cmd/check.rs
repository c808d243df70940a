//! `stakeshift check MODEL`: validate a model (including everything that can only fail
//! when its trajectories are run) and say what it holds.

use std::fmt::Write as _;

use super::{CheckArgs, emit, run_model};
use stakeshift::report::describe::{describe, plural};

pub fn run(
    args: &CheckArgs,
    stdout: &mut dyn std::io::Write,
    warnings: &mut super::Warnings,
) -> anyhow::Result<()> {
    let loaded = args.overrides.load(args.model.as_deref(), warnings)?;
    let comparison = run_model(&loaded, None)?;
    super::warn_if_nothing_random(&loaded, warnings);
    // What `simulate` would refuse of the file's number of paths (or the default), said
    // here too.
    let paths = loaded.model.simulation.paths;
    if let Err(message) = stakeshift::simulate::check_work(&loaded.model, paths) {
        warnings.warn(super::placed_warning(
            &loaded,
            "simulation.paths",
            &["simulation.paths"],
            format!(
                "`simulate` would refuse this model's paths: {message}{}",
                super::default_paths_note(paths)
            ),
        ));
    }
    let mut out = format!("{}: valid\n", loaded.label);
    out.push_str(&describe(&loaded.model));
    let _ = writeln!(
        out,
        "{} run in both regimes without error.",
        plural(comparison.trajectories.len(), "trajectory")
    );
    // A what-if says so under its first line, as every table does (helper-240: `check
    // --set equity.stake=0.3` described a stake of 30% as the model file's).
    let out = stakeshift::report::with_what_if(out, loaded.overridden_by());
    emit(stdout, out.as_bytes())?;
    Ok(())
}
