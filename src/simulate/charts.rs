//! `simulate`'s charts, `fan.png` and `distribution.png`, drawn from its results on the
//! charts' frame ([`crate::chart`]).
//!
//! ```
//! use stakeshift::simulate::{Options, charts, run};
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let options = Options { paths: 300, seed: 1, selected: None, fan: true };
//! let results = run(&loaded.model, &options, &|_| {}).expect("it runs");
//! let ctx = charts::context(&loaded, &results, stakeshift::chart::Size::DEFAULT);
//! let files = charts::files(&loaded, &results, &ctx, false)?;
//! let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
//! assert_eq!(names, ["fan.png", "distribution.png"]);
//! assert!(files.iter().all(|(_, png)| png.starts_with(b"\x89PNG")));
//! # Ok::<(), stakeshift::Error>(())
//! ```

use super::Results;
use crate::chart::{self, Size};
use crate::error::Error;
use crate::io::LoadedModel;

/// The context of a simulation's charts: its footer gives the command that reruns it.
pub fn context(loaded: &LoadedModel, results: &Results, size: Size) -> chart::ChartContext {
    let command = super::rerun_command(loaded, results);
    let ctx = loaded.chart_context(size, None);
    if loaded.label == crate::BUILTIN_MODEL_NAME {
        ctx.with_command(&command)
    } else {
        ctx.with_command_naming_the_model(&command, &loaded.label)
    }
}

/// `fan.png` and `distribution.png` (and, with `svg`, `fan.svg` and `distribution.svg`),
/// as `(file name, bytes)`, of `results`, a simulation of `loaded`'s model, drawn in `ctx`
/// ([`context`]).
pub fn files(
    loaded: &LoadedModel,
    results: &Results,
    ctx: &chart::ChartContext,
    svg: bool,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let around = super::around(&loaded.model, results);
    let labels = chart::ModelLabels::of(&loaded.model);
    let rows: Vec<chart::FanRow> = results
        .fan
        .iter()
        .map(|r| {
            // The percentiles at QUANTILES, in its order (super::PERCENTILES names them).
            let [p5, p25, p50, p75, p95] = r.percentiles;
            chart::FanRow {
                regime: r.regime,
                year: r.year,
                p5,
                p25,
                p50,
                p75,
                p95,
                mean: r.mean,
            }
        })
        .collect();
    let fan = chart::FanChart {
        labels: &labels,
        rows: &rows,
        paths: results.paths,
        sample: (results.fan_paths < results.paths).then_some(results.fan_paths),
        around: around.as_deref(),
    };
    let all = &results.groups[0];
    let [p5, p25, p50, p75, p95] = all
        .npv_advantage
        .map_or([f64::NAN; super::PERCENTILES.len()], |s| s.percentiles);
    let advantages = results.sorted_advantages();
    let distribution = chart::DistributionChart {
        labels: &labels,
        advantages: &advantages,
        p_equity_wins: all.p_equity_wins(),
        p_equity_wins_95: all.p_equity_wins_95(),
        percentiles: chart::Percentiles {
            p5,
            p25,
            p50,
            p75,
            p95,
        },
        around: around.as_deref(),
    };
    let mut files = vec![
        ("fan.png".to_string(), fan.png(ctx)?),
        ("distribution.png".to_string(), distribution.png(ctx)?),
    ];
    if svg {
        files.push(("fan.svg".to_string(), fan.svg(ctx)?));
        files.push(("distribution.svg".to_string(), distribution.svg(ctx)?));
    }
    Ok(files)
}
