//! `stakeshift explain`: one year of one trajectory taken apart (SPEC section 12).

use super::{ExplainArgs, ExplainFormat, RegimeArg, emit};
use stakeshift::engine::Regime;
use stakeshift::engine::ledger::{self, ExplainError};
use stakeshift::error::Error;
use stakeshift::report;

/// The most slices, payments, cap rooms and events an explanation writes out, over the
/// regimes it shows (a line each in the text, an object each in the JSON: about 10 MB of
/// text, 200 MB of memory to build the JSON). A year's waterfall is recorded up to
/// [`ledger::MAX_ENTRIES`] whichever regime is asked for (helper-113: `--regime equity`,
/// which shows no waterfall after from_year, was refused for regime A's).
const MAX_WRITTEN: usize = 100_000;

pub fn run(
    args: &ExplainArgs,
    stdout: &mut dyn std::io::Write,
    warnings: &mut super::Warnings,
) -> anyhow::Result<()> {
    let loaded = args.overrides.load(args.model.as_deref(), warnings)?;
    let model = &loaded.model;
    let selected = super::select_trajectories(
        model,
        std::slice::from_ref(&args.trajectory),
        super::TrajectoryFlag::One("-t", &[]),
    )?;
    let Some(&index) = selected.as_deref().and_then(|s| s.first()) else {
        return Err(
            Error::Usage(format!("the model has no trajectory `{}`", args.trajectory)).into(),
        );
    };
    // Every payment and cap room of every slice is written out: a waterfall of thousands
    // of capped parties has millions (helper-106: 3,000 parties, 686 MB of text, the JSON
    // past 8 GB). Past a bound the ledger is refused as it is recorded, saying where the
    // totals are.
    let ledgers =
        ledger::explain(model, &model.trajectories[index], args.year).map_err(|e| match e {
            ExplainError::YearOutside { .. } => Error::Usage(e.to_string()),
            ExplainError::Engine(e) => loaded.engine_error(&e),
            ExplainError::TooManyEntries { year, limit } => Error::Usage(format!(
                "explain: the {year} split of `{}` has more than {limit} slices, payments, cap rooms and events; at most {MAX_WRITTEN} are written out (`compare --yearly` gives the year's totals; fewer parties with their own `until` give fewer slices)",
                stakeshift::error::quoted(&args.trajectory),
            )),
        })?;
    super::check_unchosen_trajectories(&loaded, Some(&[index]))?;
    let regimes: &[Regime] = match args.regime {
        None => &[Regime::ProfitShare, Regime::Equity],
        Some(RegimeArg::ProfitShare) => &[Regime::ProfitShare],
        Some(RegimeArg::Equity) => &[Regime::Equity],
    };
    let chosen: Vec<_> = regimes.iter().map(|r| ledgers.get(*r)).collect();
    // The bound holds for what is written: the two regimes' ledgers share the waterfall's
    // slices where both show them (helper-112: 963,000 entries a regime passed the bound on
    // recording, and both regimes' JSON took 2.1 GB and 12 s).
    let written: usize = (chosen.iter())
        .flat_map(|l| &l.slices)
        .map(|s| 1 + s.parties.len() + s.rooms.len() + s.events.len())
        .sum();
    if written > MAX_WRITTEN {
        let regime_hint = if chosen.len() > 1 {
            "; `--regime` shows one regime's"
        } else {
            ""
        };
        return Err(Error::Usage(format!(
            "explain: the {} split of `{}` would write {written} slices, payments, cap rooms and events; at most {} are written out (`compare --yearly` gives the year's totals{regime_hint})",
            args.year,
            stakeshift::error::quoted(&args.trajectory),
            MAX_WRITTEN,
        ))
        .into());
    }
    let bytes = match args.format {
        ExplainFormat::Text => report::with_what_if(
            report::explain::text(model, &chosen),
            loaded.overridden_by(),
        )
        .into_bytes(),
        ExplainFormat::Json => report::explain::json(model, &chosen, loaded.overridden_by()),
    };
    emit(stdout, &bytes)?;
    Ok(())
}
