//! `stakeshift chart`: draw the charts of a model into a directory, and nothing else.

use anyhow::Context;

use super::{ChartArgs, run_model};
use stakeshift::chart;
use stakeshift::io;

pub fn run(args: &ChartArgs, warnings: &mut super::Warnings) -> anyhow::Result<()> {
    super::check_out(Some(&args.out))?;
    let loaded = args.overrides.load(args.model.as_deref(), warnings)?;
    if let Some(name) = &args.trajectory {
        super::select_trajectories(
            &loaded.model,
            std::slice::from_ref(name),
            super::TrajectoryFlag::One("-t", &[]),
        )?;
    }
    let comparison = run_model(&loaded, None)?;
    let ctx = loaded.chart_context(args.charts.size(), args.trajectory.clone());
    // Every chart is drawn before any file is written; then the set is put in place as one
    // (an earlier run's SVGs go when this run writes none).
    let files = chart::render_files(&loaded.model, &comparison, &ctx, args.charts.svg)?;
    let all: Vec<usize> = (0..loaded.model.trajectories.len()).collect();
    let drawn = chart::Drawn {
        parties_and_tiers: true,
        trajectories: &all,
        svg: true,
    };
    super::warn_of_glyphs(&loaded.model, drawn, &ctx.footer, warnings);
    let removed = io::write_set(&args.out, &files, &super::chart_family())
        .with_context(|| format!("writing the charts into {}", super::shown(&args.out)))?;
    super::report_written(&args.out, &files, &removed);
    Ok(())
}
