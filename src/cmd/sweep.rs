//! `stakeshift sweep`: the comparison on a grid of one or two paths' values.

use super::{Format, SweepArgs, emit};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use stakeshift::error::Error;
use stakeshift::io;
use stakeshift::overrides::{OverridePath, Segment, Target};
use stakeshift::report::sensitivity as report;
use stakeshift::sensitivity::sweep::{
    Axis, chart_files as sweep_chart_files, sweep_steps, sweep_with_progress,
};

/// A row of the sweep without its trajectory's name and its varied paths' (JSON names each
/// value by its path): about 250 bytes in JSON on the built-in model.
const SWEEP_ROW_BYTES: u64 = 400;

pub fn run(
    args: &SweepArgs,
    stdout: &mut dyn std::io::Write,
    warnings: &mut super::Warnings,
) -> anyhow::Result<()> {
    args.charts.need_out(args.out.as_deref(), "")?;
    let overrides = args.overrides.parsed()?;
    let file = io::read_model_file(args.model.as_deref())?;
    let axes: Vec<Axis> = args
        .vary
        .iter()
        .map(|v| parse_axis(v))
        .collect::<Result<_, _>>()?;
    if axes.len() > 2 {
        return Err(Error::Usage(
            "sweep varies one or two paths; give --vary at most twice".into(),
        )
        .into());
    }
    let varied: Vec<_> = axes.iter().map(|a| (&a.path, vec![a.values[0]])).collect();
    let base = super::base_of_varied("sweep", &file, &overrides, &varied)?;
    warnings.of_model(&base.loaded);
    let selected = super::selected_or_all(base.model(), &args.trajectories)?;
    super::check_unchosen_trajectories(&base.loaded, Some(&selected))?;
    // A row a point and trajectory, its name on each, and in JSON each varied path's.
    let points = axes
        .iter()
        .map(|a| a.values.len() as u64)
        .fold(1, u64::saturating_mul);
    let paths: u64 = axes.iter().map(|a| a.path.text.len() as u64).sum();
    super::refuse_large_output(
        &format!("a sweep of {points} points"),
        points.saturating_mul(selected.len() as u64),
        SWEEP_ROW_BYTES + paths + super::longest_name(base.model(), Some(&selected)),
        "use fewer steps or trajectories, or give the trajectories shorter names",
    )?;
    let progress = super::LateProgress::new(sweep_steps(&axes), "sweeping", args.quiet);
    let result = sweep_with_progress(&base, &axes, &selected, &|n| progress.tell(n));
    progress.finish();
    let result = result?;
    // The files are rendered first; what is printed is written before them (helper-228: a
    // stdout that could not be written failed the run after its files had been replaced),
    // from the CSV's bytes once where both are the CSV: a 2,000,000-run sweep's CSV is 200 MB.
    let out = match &args.out {
        Some(dir) => {
            let drawn = stakeshift::chart::Drawn {
                parties_and_tiers: false,
                trajectories: &selected,
                svg: args.charts.svg,
            };
            let footer = base.loaded.chart_context(args.charts.size(), None).footer;
            super::warn_of_glyphs(base.model(), drawn, &footer, warnings);
            let mut files = vec![("sweep.csv".to_string(), report::sweep_csv(&result))];
            files.extend(sweep_chart_files(
                &base,
                &axes,
                &result,
                &selected,
                args.charts.size(),
                args.charts.svg,
            )?);
            Some((dir.as_path(), files))
        }
        None => None,
    };
    let printed = match args.format {
        Format::Table => Some(
            (report::table_header(
                base.model(),
                base.loaded.overridden_by(),
                result.paths.iter().map(String::as_str),
                true,
            ) + &report::sweep_table(
                &result,
                stakeshift::engine::Regime::ProfitShare.label_in(base.model()),
            ))
                .into_bytes(),
        ),
        Format::Csv if out.is_some() => None,
        Format::Csv => Some(report::sweep_csv(&result)),
        Format::Json => Some(report::sweep_json(&result, base.json_source())),
    };
    // Recorded, so that a later run without --svg removes this one's sweep.svg.
    let family = ["sweep.csv", "sweep.png", "sweep.svg"].map(String::from);
    super::print_then_write(stdout, out, Some(&family), |stdout, files| {
        match (printed, files) {
            (Some(bytes), _) => emit(stdout, &bytes),
            (None, Some(files)) => emit(stdout, &files[0].1),
            (None, None) => Ok(()),
        }
    })
}

/// The keys of the model that hold a year (SPEC 1), entries left out.
const YEAR_KEYS: &[&[&str]] = &[
    &["start_year"],
    &["end_year"],
    &["valuation_year"],
    &["trajectories", "agi_year"],
    &["equity", "from_year"],
    &["equity", "rounds", "year"],
    &["profit_share", "tiers", "cap_growth_from"],
    &["profit_share", "revenue_share", "from"],
    &["profit_share", "revenue_share", "until"],
    &["equity", "revenue_share", "from"],
    &["equity", "revenue_share", "until"],
    &["profit_share", "cloud", "commitment", "from"],
    &["profit_share", "cloud", "commitment", "until"],
    &["equity", "cloud", "commitment", "from"],
    &["equity", "cloud", "commitment", "until"],
];

/// For a path that holds a year, a grid that steps between years: said with the numbers of
/// steps that give whole years (helper-153: `agi_year=2026..2045:7` was refused at its
/// second value, 2029.1666..., "not a whole year", with no way out).
fn whole_years_hint(path: &OverridePath, values: &[Decimal]) -> Option<String> {
    let Target::Key(segments) = &path.target else {
        return None;
    };
    // The path's keys, entries left out: `equity.rounds[0].year` is equity.rounds.year.
    let keys: Vec<&str> = segments
        .iter()
        .filter_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            _ => None,
        })
        .collect();
    // (Each ends on a key, not an entry: `investor.contributions[0][0]`, a year in a pair,
    // is left to the model's own check; as is a path that does not pick an entry of an
    // array, `equity.rounds.year`, whose own error comes first.)
    let picks = |array: &str| {
        segments.windows(2).any(|w| {
            matches!((&w[0], &w[1]), (Segment::Key(k), Segment::Index(_) | Segment::Name(_)) if k == array)
        })
    };
    let arrays_picked = ["trajectories", "rounds", "tiers"]
        .iter()
        .all(|a| !keys.contains(a) || picks(a));
    if !matches!(segments.last(), Some(Segment::Key(_)))
        || !YEAR_KEYS.contains(&keys.as_slice())
        || !arrays_picked
    {
        return None;
    }
    let fractional = values.iter().find(|v| !v.fract().is_zero())?;
    let (first, last) = (values.first()?, values.last()?);
    let span = (*last - *first).abs();
    let shown = |v: &Decimal| v.normalize().to_string();
    if !first.fract().is_zero() || !last.fract().is_zero() {
        return Some(format!(
            "{} holds a year, and {} is not a whole year; give whole years FROM..TO",
            path.text,
            shown(if first.fract().is_zero() { last } else { first })
        ));
    }
    // STEPS whose step (TO - FROM) / (STEPS - 1) is whole: one more than each divisor of
    // the span's quotient; the few nearest to the steps asked for.
    let span = span.to_u64().unwrap_or(0);
    let asked = values.len() as u64;
    // (2, FROM and TO, always; divisors looked for up to 10,000.)
    let mut steps: Vec<u64> = (1..=span.min(10_000))
        .filter(|d| span % d == 0)
        .map(|d| span / d + 1)
        .chain([2])
        .filter(|s| *s as usize <= stakeshift::sensitivity::MAX_STEPS)
        .collect();
    steps.sort_by_key(|s| (s.abs_diff(asked), *s));
    steps.dedup();
    steps.truncate(3);
    steps.sort_unstable();
    let ways: Vec<String> = steps
        .iter()
        .map(|s| {
            format!(":{s} (every {} years)", span / (s - 1)).replace("every 1 years", "every year")
        })
        .collect();
    Some(format!(
        "{} holds a year, and {} steps from {} to {} give {}, not a whole year; steps that give whole years: {}",
        path.text,
        values.len(),
        shown(first),
        shown(last),
        shown(fractional),
        ways.join(", ")
    ))
}

/// `PATH=FROM..TO[:STEPS]`.
fn parse_axis(arg: &str) -> Result<Axis, Error> {
    let vary = super::Vary::parse(
        arg,
        "PATH=FROM..TO[:STEPS], such as equity.stake=0.1..0.5:9",
    )?;
    let values = vary.parsed_range()?.grid(11).map_err(|m| vary.error(m))?;
    if let Some(hint) = whole_years_hint(&vary.path, &values) {
        return Err(vary.error(hint));
    }
    Ok(Axis {
        path: vary.path,
        origin: vary.origin,
        values,
    })
}
