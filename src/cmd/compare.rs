//! `stakeshift compare`: run the model and print (and with --out, write) the comparison.

use super::{CompareArgs, Format, emit, run_model};
use stakeshift::chart;
use stakeshift::io;
use stakeshift::report;

/// A row of yearly.csv without its trajectory's name, at most about (221 bytes on the
/// built-in model; room for long amounts and the cloud columns).
const YEARLY_ROW_BYTES: u64 = 500;

/// The table's rows padded to the longest name, a trajectory's at most (the NPVs', the
/// measures', the conclusion's), and a row's own bytes.
const TABLE_ROWS_A_TRAJECTORY: u64 = 4;
const TABLE_ROW_BYTES: u64 = 300;

/// The CSV files `compare --out` writes.
const CSV_FILES: [&str; 3] = ["summary.csv", "yearly.csv", "comparison.csv"];

pub fn run(
    args: &CompareArgs,
    stdout: &mut dyn std::io::Write,
    warnings: &mut super::Warnings,
) -> anyhow::Result<()> {
    args.charts
        .need_out(args.out.as_deref(), " (or use `stakeshift chart`)")?;
    let loaded = args.overrides.load(args.model.as_deref(), warnings)?;
    let model = &loaded.model;
    let selected =
        super::select_trajectories(model, &args.trajectories, super::TrajectoryFlag::Repeated)?;
    // The table pads each trajectory's rows to the longest name (helper-252: one name of
    // 500,000 characters among 1,000 made 1 GB of table); its yearly rows name none.
    let trajectories = selected.as_ref().map_or(model.trajectories.len(), Vec::len) as u64;
    if args.format == Format::Table {
        super::refuse_large_output(
            "the table",
            trajectories.saturating_mul(TABLE_ROWS_A_TRAJECTORY),
            TABLE_ROW_BYTES + super::longest_name(model, selected.as_deref()),
            "choose fewer trajectories with --trajectory, give them shorter names, or use --format json",
        )?;
    }
    // yearly.csv: a row a regime and year of each trajectory, its name on each (JSON is
    // written as it goes: helper-251).
    if (args.yearly && args.format == Format::Csv) || args.out.is_some() {
        super::refuse_large_output(
            "the yearly rows",
            trajectories.saturating_mul(2 * model.years() as u64),
            YEARLY_ROW_BYTES + super::longest_name(model, selected.as_deref()),
            "choose fewer trajectories with --trajectory, give them shorter names, or leave out the yearly rows (no --out; --yearly only with --format table or json)",
        )?;
    }
    let comparison = run_model(&loaded, selected.as_deref())?;

    // Render everything before writing anything; JSON alone is streamed to stdout at the
    // end, row by row, because with --yearly it can be far larger than the results.
    let printed = match args.format {
        Format::Table => Some(
            report::with_what_if(
                report::table::render(model, &comparison, args.yearly),
                loaded.overridden_by(),
            )
            .into_bytes(),
        ),
        Format::Csv if args.yearly => Some(report::csv::yearly(&comparison)),
        Format::Csv => Some(report::csv::comparison(&comparison)),
        Format::Json => None,
    };
    let out = match &args.out {
        Some(dir) => Some((
            dir.as_path(),
            out_files(args, &loaded, &comparison, warnings)?,
        )),
        None => None,
    };
    let mut family = super::chart_family();
    family.extend(CSV_FILES.map(String::from));
    family.push(report::xlsx::FILE_NAME.to_string());
    super::print_then_write(stdout, out, Some(&family), |stdout, _| match printed {
        Some(bytes) => emit(stdout, &bytes),
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
            let written = report::json::write(
                model,
                &loaded.label,
                loaded.overridden_by(),
                &comparison,
                args.yearly,
                &mut out,
            )
            .and_then(|()| std::io::Write::flush(&mut out));
            super::reader_gone_is_no_error(written)
        }
    })
}

/// The files `--out` writes, rendered before anything is written.
fn out_files(
    args: &CompareArgs,
    loaded: &io::LoadedModel,
    comparison: &stakeshift::compare::Comparison,
    warnings: &mut super::Warnings,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let model = &loaded.model;
    let mut files = vec![
        (CSV_FILES[0].to_string(), report::csv::summary(comparison)),
        (CSV_FILES[1].to_string(), report::csv::yearly(comparison)),
        (
            CSV_FILES[2].to_string(),
            report::csv::comparison(comparison),
        ),
        (
            report::xlsx::FILE_NAME.to_string(),
            report::xlsx::render(model, comparison, loaded.overridden_by())?,
        ),
    ];
    // The charts are drawn before any file is written, like the CSVs.
    let ctx = loaded.chart_context(args.charts.size(), None);
    files.extend(chart::render_files(
        model,
        comparison,
        &ctx,
        args.charts.svg,
    )?);
    let all: Vec<usize> = (0..model.trajectories.len()).collect();
    let drawn = chart::Drawn {
        parties_and_tiers: true,
        trajectories: &all,
        svg: true,
    };
    super::warn_of_glyphs(&loaded.model, drawn, &ctx.footer, warnings);
    let (cut, first) = report::xlsx::texts_cut(model);
    if let Some(first) = first {
        warnings.warn(format!(
            "{}: {cut} text{} longer than the 32,767 characters a cell holds {} cut there (the first: `{first}`)",
            report::xlsx::FILE_NAME,
            if cut == 1 { "" } else { "s" },
            if cut == 1 { "is" } else { "are" },
        ));
    }
    Ok(files)
}
