//! `stakeshift chart`: draw the charts of a model into a directory, and nothing else.

use anyhow::Context;

use super::{ChartArgs, emit, run_model};
use stakeshift::chart::{self, ChartContext};
use stakeshift::io;

pub fn run(args: &ChartArgs, stdout: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let loaded = io::load_model(args.model.as_deref())?;
    if let Some(name) = &args.trajectory {
        super::select_trajectories(&loaded.model, std::slice::from_ref(name))?;
    }
    let comparison = run_model(&loaded, None)?;
    let ctx = ChartContext::new(&loaded, args.charts.size, args.trajectory.clone());
    // Every chart is drawn before any file is written.
    let files = chart::render_files(&loaded.model, &comparison, &ctx, args.charts.svg)?;
    io::write_all(&args.out, &files)
        .with_context(|| format!("writing the charts into {}", args.out.display()))?;
    let mut msg = String::new();
    for (name, _) in &files {
        msg.push_str(&format!("wrote {}\n", args.out.join(name).display()));
    }
    emit(stdout, msg.as_bytes())?;
    Ok(())
}
