//! `stakeshift compare`: run the model and print (and with --out, write) the comparison.

use anyhow::Context;

use super::{CompareArgs, Format, emit, run_model};
use stakeshift::chart;
use stakeshift::error::Error;
use stakeshift::io;
use stakeshift::report;

pub fn run(args: &CompareArgs, stdout: &mut dyn std::io::Write) -> anyhow::Result<()> {
    if args.out.is_none() && (args.charts.svg || args.charts.size != chart::Size::DEFAULT) {
        return Err(Error::Usage(
            "--svg and --size shape the charts that --out writes; add --out DIR (or use `stakeshift chart`)".into(),
        )
        .into());
    }
    let loaded = io::load_model(args.model.as_deref())?;
    let model = &loaded.model;
    let selected = super::select_trajectories(model, &args.trajectories)?;
    let comparison = run_model(&loaded, selected.as_deref())?;

    // Render everything before writing anything.
    let printed = match args.format {
        Format::Table => report::table::render(model, &comparison, args.yearly).into_bytes(),
        Format::Csv if args.yearly => report::csv::yearly(&comparison),
        Format::Csv => report::csv::comparison(&comparison),
        Format::Json => report::json::render(model, &loaded.label, &comparison, args.yearly),
    };
    if let Some(dir) = &args.out {
        let mut files = vec![
            ("summary.csv".to_string(), report::csv::summary(&comparison)),
            ("yearly.csv".to_string(), report::csv::yearly(&comparison)),
            (
                "comparison.csv".to_string(),
                report::csv::comparison(&comparison),
            ),
        ];
        // The charts are drawn before any file is written, like the CSVs.
        let ctx = chart::ChartContext::new(&loaded, args.charts.size, None);
        files.extend(chart::render_files(
            model,
            &comparison,
            &ctx,
            args.charts.svg,
        )?);
        io::write_all(dir, &files)
            .with_context(|| format!("writing the results into {}", dir.display()))?;
    }
    emit(stdout, &printed)?;
    if let Some(dir) = &args.out {
        let svg = if args.charts.svg { " (and as SVG)" } else { "" };
        eprintln!(
            "wrote summary.csv, yearly.csv, comparison.csv and the charts value.png, npv.png, waterfall.png, stake.png{svg} to {}",
            dir.display()
        );
    }
    Ok(())
}
