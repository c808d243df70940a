//! `stakeshift tornado`: each input alone at a low and a high value, sorted by the swing.

use super::{Format, TornadoArgs, emit};
use stakeshift::error::Error;
use stakeshift::io;
use stakeshift::report::sensitivity as report;
use stakeshift::sensitivity::tornado::{
    Input, chart_files as tornado_chart_files, default_inputs, tornado_with_progress,
};

/// A row of the tornado without its trajectory's name and its input's path.
const TORNADO_ROW_BYTES: u64 = 400;

pub fn run(
    args: &TornadoArgs,
    stdout: &mut dyn std::io::Write,
    warnings: &mut super::Warnings,
) -> anyhow::Result<()> {
    args.charts.need_out(args.out.as_deref(), "")?;
    if let (Some(name), None) = (&args.chart_trajectory, &args.out) {
        // Said, rather than ignored (it was: a misspelt name passed silently).
        return Err(Error::Usage(format!(
            "--chart-trajectory {name}: it picks the trajectory of tornado.png, which --out writes; add --out DIR"
        ))
        .into());
    }
    let overrides = args.overrides.parsed()?;
    let file = io::read_model_file(args.model.as_deref())?;
    let asked: Vec<_> = args
        .vary
        .iter()
        .map(|v| parse_input(v))
        .collect::<Result<_, _>>()?;
    let varied: Vec<_> = asked
        .iter()
        .map(|i| (&i.path, vec![i.low, i.high]))
        .collect();
    let base = super::base_of_varied("tornado", &file, &overrides, &varied)?;
    warnings.of_model(&base.loaded);
    let inputs = if asked.is_empty() {
        default_inputs(base.model())
    } else {
        asked
    };
    let selected = super::selected_or_all(base.model(), &args.trajectories)?;
    super::check_unchosen_trajectories(&base.loaded, Some(&selected))?;
    // A row an input and trajectory, its name and the input's path on each.
    let longest_input = inputs
        .iter()
        .map(|i| i.path.text.len() as u64)
        .max()
        .unwrap_or(0);
    super::refuse_large_output(
        &format!("a tornado of {} inputs", inputs.len()),
        (inputs.len() as u64).saturating_mul(selected.len() as u64),
        TORNADO_ROW_BYTES + longest_input + super::longest_name(base.model(), Some(&selected)),
        "choose fewer inputs or trajectories, or give the trajectories shorter names",
    )?;
    let progress = super::LateProgress::new(
        stakeshift::sensitivity::tornado::value_runs(&inputs, &selected),
        "tornado",
        args.quiet,
    );
    let rows = tornado_with_progress(&base, &inputs, &selected, &|n| progress.tell(n));
    progress.finish();
    let rows = rows?;
    // A value at which a trajectory cannot run leaves its cells empty (DECISIONS S7): say
    // which, and how to see why, rather than leave a blank to be read as nothing.
    for row in &rows {
        for (value, advantage) in [(row.low, row.advantage_low), (row.high, row.advantage_high)] {
            if advantage.is_none() {
                let set = format!("{}={}", row.input, value.normalize());
                warnings.warn(format!(
                    "tornado: trajectory `{}` cannot run with {set}, so its advantage at that value and the swing are empty (`compare` with this command's model and --set options and `--set {}` says why)",
                    row.trajectory,
                    stakeshift::error::shell_word(&set),
                ));
            }
        }
    }
    let printed = match args.format {
        Format::Table => (report::table_header(
            base.model(),
            base.loaded.overridden_by(),
            rows.iter().map(|r| r.input.as_str()),
            false,
        ) + &report::tornado_table(&rows)
            + &stakeshift::sensitivity::tornado::cloud_side_left_out(
                base.model().sells_compute(),
                rows.iter().map(|r| r.input.as_str()),
            )
            .map(|note| format!("\n{note}\n"))
            .unwrap_or_default()
            + &stakeshift::sensitivity::tornado::defaulted_pre_money(&inputs)
                .map(|note| format!("\n{note}\n"))
                .unwrap_or_default())
            .into_bytes(),
        Format::Csv => report::tornado_csv(&rows),
        Format::Json => report::tornado_json(&rows, base.json_source()),
    };
    let out = match &args.out {
        Some(dir) => {
            let drawn = stakeshift::chart::Drawn {
                parties_and_tiers: false,
                trajectories: &selected,
                svg: args.charts.svg,
            };
            let footer = base.loaded.chart_context(args.charts.size(), None).footer;
            super::warn_of_glyphs(base.model(), drawn, &footer, warnings);
            let mut files = vec![("tornado.csv".to_string(), report::tornado_csv(&rows))];
            files.extend(tornado_chart_files(
                &base,
                &rows,
                chart_trajectory(base.model(), &selected, args.chart_trajectory.as_deref())?,
                args.charts.size(),
                args.charts.svg,
            )?);
            Some((dir.as_path(), files))
        }
        None => None,
    };
    // Recorded, so that a later run without --svg removes this one's tornado.svg.
    let family = ["tornado.csv", "tornado.png", "tornado.svg"].map(String::from);
    super::print_then_write(stdout, out, Some(&family), |stdout, _| {
        emit(stdout, &printed)
    })
}

/// The trajectory of `tornado.png`: the one named with --chart-trajectory (which must be
/// among those chosen), else `base`, else the first.
fn chart_trajectory<'a>(
    model: &'a stakeshift::model::Model,
    selected: &[usize],
    name: Option<&'a str>,
) -> Result<&'a str, Error> {
    let names: Vec<&str> = selected
        .iter()
        .map(|t| model.trajectories[*t].name.as_str())
        .collect();
    Ok(match name {
        Some(n) => {
            // Named as given, as `-t` is not (helper-240: the message did not say which
            // option named the trajectory).
            super::select_trajectories(
                model,
                &[n.to_string()],
                super::TrajectoryFlag::One("--chart-trajectory", selected),
            )
            .map_err(|e| match e {
                Error::Usage(m) => Error::Usage(format!("--chart-trajectory {n}: {m}")),
                other => other,
            })?;
            if !names.contains(&n) {
                return Err(Error::Usage(format!(
                    "--chart-trajectory {n}: not among the trajectories chosen with -t"
                )));
            }
            n
        }
        None => stakeshift::model::headline(&names, |n| n)
            .copied()
            .unwrap_or_default(),
    })
}

/// `PATH=LOW..HIGH`.
fn parse_input(arg: &str) -> Result<Input, Error> {
    let vary = super::Vary::parse(arg, "PATH=LOW..HIGH, such as equity.stake=0.2..0.35")?;
    let r = vary.parsed_range()?;
    if r.steps.is_some() {
        return Err(vary.error("a tornado input takes LOW..HIGH, without steps"));
    }
    // Low first, as `solve --within` asks (helper-240: 0.4..0.1 ran, its 0.4 drawn and
    // listed as the low value).
    if r.from > r.to {
        return Err(vary.error(format!("LOW is above HIGH: write {}..{}", r.to, r.from)));
    }
    Ok(Input {
        path: vary.path,
        origin: vary.origin,
        low: r.from,
        high: r.to,
        by_trajectory: None,
        default: false,
    })
}
