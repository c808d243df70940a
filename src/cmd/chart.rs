//! `stakeshift chart`: draw the charts of a model into a directory, and nothing else.

use anyhow::Context;

use super::{ChartArgs, emit, run_model};
use crate::chart::{self, ChartContext};
use crate::error::Error;
use crate::io;

pub fn run(args: &ChartArgs, stdout: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let loaded = io::load_model(args.model.as_deref())?;
    if let Some(name) = &args.trajectory {
        let all: Vec<&str> = loaded
            .model
            .trajectories
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        if !all.contains(&name.as_str()) {
            let hint = crate::model::nearest_name(name, &all)
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "the model has no trajectory `{name}`; {hint}it has: {}",
                all.join(", ")
            ))
            .into());
        }
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
