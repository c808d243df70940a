//! `stakeshift tornado`: each input alone at a low and a high value, sorted by the swing.

use anyhow::Context;

use super::{Format, TornadoArgs, emit};
use stakeshift::chart::{self, ModelLabels, TornadoChart};
use stakeshift::error::Error;
use stakeshift::io;
use stakeshift::overrides::OverridePath;
use stakeshift::report::sensitivity as report;
use stakeshift::sensitivity::tornado::{Input, TornadoRow, default_inputs, tornado};
use stakeshift::sensitivity::{Base, Range};

pub fn run(
    args: &TornadoArgs,
    stdout: &mut dyn std::io::Write,
    warnings: &mut super::Warnings,
) -> anyhow::Result<()> {
    if let (Some(name), None) = (&args.chart_trajectory, &args.out) {
        // Said, rather than ignored (it was: a misspelt name passed silently).
        return Err(Error::Usage(format!(
            "--chart-trajectory {name}: it picks the trajectory of tornado.png, which --out writes; add --out DIR"
        ))
        .into());
    }
    let overrides = args.overrides.parsed()?;
    let file = io::read_model_file(args.model.as_deref())?;
    let base = Base::new(&file, &overrides)?;
    warnings.of_model(&base.loaded);
    let inputs = if args.vary.is_empty() {
        let model = base.model();
        let investor = model.party_name(model.investor.party);
        if investor.contains('"') {
            warnings.warn(format!(
                "tornado: the investor `{investor}` holds a `\"`, which a PATH cannot quote, so its `until` in each tier is left out of the default inputs; rename the party to vary it"
            ));
        }
        default_inputs(model)
    } else {
        args.vary
            .iter()
            .map(|v| parse_input(v))
            .collect::<Result<_, _>>()?
    };
    let selected = super::selected_or_all(base.model(), &args.trajectories)?;
    super::check_unchosen_trajectories(&base.loaded, Some(&selected))?;
    let rows = tornado(&base, &inputs, &selected)?;
    // A value at which a trajectory cannot run leaves its cells empty (DECISIONS S7): say
    // which, and how to see why, rather than leave a blank to be read as nothing.
    for row in &rows {
        for (value, advantage) in [(row.low, row.advantage_low), (row.high, row.advantage_high)] {
            if advantage.is_none() {
                let set = format!("{}={}", row.input, value.normalize());
                warnings.warn(format!(
                    "tornado: trajectory `{}` cannot run with {set}, so its cells are empty (`compare` with this command's model and --set options and `--set '{set}'` says why)",
                    row.trajectory,
                ));
            }
        }
    }
    let printed = match args.format {
        Format::Table => report::tornado_table(&rows).into_bytes(),
        Format::Csv => report::tornado_csv(&rows),
        Format::Json => report::tornado_json(&rows, &base.loaded.label),
    };
    if let Some(dir) = &args.out {
        let files = vec![
            ("tornado.csv".to_string(), report::tornado_csv(&rows)),
            (
                "tornado.png".to_string(),
                chart_png(&base, &rows, &selected, args.chart_trajectory.as_deref())?,
            ),
        ];
        io::write_all(dir, &files)
            .with_context(|| format!("writing the results into {}", dir.display()))?;
        super::report_written(dir, &files);
    }
    emit(stdout, &printed)?;
    Ok(())
}

/// `tornado.png`: the bars of one trajectory (the one named, else `base`, else the first).
fn chart_png(
    base: &Base,
    rows: &[TornadoRow],
    selected: &[usize],
    name: Option<&str>,
) -> anyhow::Result<Vec<u8>> {
    let model = base.model();
    let names: Vec<&str> = selected
        .iter()
        .map(|t| model.trajectories[*t].name.as_str())
        .collect();
    let chosen = match name {
        Some(n) => {
            super::select_trajectories(model, &[n.to_string()])?;
            if !names.contains(&n) {
                return Err(Error::Usage(format!(
                    "--chart-trajectory {n}: not among the trajectories chosen with -t"
                ))
                .into());
            }
            n
        }
        None => stakeshift::model::headline(&names, |n| n)
            .copied()
            .unwrap_or_default(),
    };
    let index = model
        .trajectories
        .iter()
        .position(|t| t.name == chosen)
        .unwrap_or_default();
    let own = stakeshift::sensitivity::run(model, &[index])
        .map_err(|e| base.loaded.engine_error(&e))?[0]
        .npv_advantage;
    let f = stakeshift::engine::Num::to_f64;
    let bars: Vec<chart::TornadoRow> = rows
        .iter()
        .filter(|r| r.trajectory == chosen)
        // An end the model cannot run is NaN: the chart draws the other end and says so.
        .map(|r| chart::TornadoRow {
            input: r.input.clone(),
            low: f(r.low),
            high: f(r.high),
            advantage_low: r.advantage_low.map_or(f64::NAN, f),
            advantage_high: r.advantage_high.map_or(f64::NAN, f),
            swing: r.swing.map_or(f64::NAN, f),
        })
        .collect();
    let labels = ModelLabels::of(model);
    let ctx = base
        .loaded
        .chart_context(chart::Size::DEFAULT, Some(chosen.to_string()));
    Ok(TornadoChart {
        labels: &labels,
        trajectory: chosen,
        base_advantage: f(own),
        rows: &bars,
    }
    .png(&ctx)?)
}

/// `PATH=LOW..HIGH`.
fn parse_input(arg: &str) -> Result<Input, Error> {
    let origin = format!("--vary {arg}");
    let (path, range) = arg.rsplit_once('=').ok_or_else(|| {
        Error::Usage(format!(
            "{origin}: expected PATH=LOW..HIGH, such as equity.stake=0.2..0.35"
        ))
    })?;
    let path = OverridePath::parse(path).map_err(|m| Error::Usage(format!("{origin}: {m}")))?;
    let r = Range::parse(range).map_err(|m| Error::Usage(format!("{origin}: {m}")))?;
    if r.steps.is_some() {
        return Err(Error::Usage(format!(
            "{origin}: a tornado input takes LOW..HIGH, without steps"
        )));
    }
    Ok(Input {
        path,
        origin,
        low: r.from,
        high: r.to,
    })
}
