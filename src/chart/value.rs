//! `value.png`: what the investor's position is worth each year under each deal, for every
//! trajectory. Profit share: the cumulative cash flow. Equity: the cumulative cash flow plus
//! the stake's value that year. One colour per trajectory; equity solid, profit share dashed.
//! When the equity lines dwarf the profit share's, a second panel shows the profit share's
//! range close up, so that the crossings stay visible. A single-year model has no lines:
//! equity is a disc and the profit share a ring, in the trajectory's colour.
//!
//! The built-in model with every valuation tripled (`--set scale.valuation=3`): equity then
//! reaches 8,394 (`bull`, 2045) and the profit share 2,239, which from the lowest value,
//! -12.45, is under a third of the range, so the profit share gets a close-up:
//!
//! ```
//! use stakeshift::chart::{Chart, Size, short_hash};
//! use stakeshift::overrides::Override;
//!
//! let file = stakeshift::io::read_model_file(None)?; // None: the built-in model
//! let loaded = file.load(&[Override::parse("scale.valuation=3")?])?;
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let ctx = loaded.chart_context(Size::DEFAULT, None);
//! let svg = Chart::Value.svg(&loaded.model, &comparison, &ctx)?;
//! let svg = String::from_utf8(svg).unwrap();
//! let texts: Vec<&str> = svg.split("<text").skip(1)
//!     .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect();
//! assert!(texts.contains(&"USD bn, whole range"));
//! assert!(texts.contains(&"USD bn, close-up on the profit share&apos;s range"));
//! let at = texts.iter().position(|t| *t == "Trajectory").unwrap();
//! assert_eq!(texts[at + 1..at + 10], ["bust", "bear", "base", "bull", "early-agi",
//!     "commoditized", "Deal", "equity stake", "profit share"]);
//! // The footer traces the chart to the file and the change: its hash, and the --set.
//! assert!(ctx.footer.contains(&short_hash(stakeshift::BUILTIN_MODEL)));
//! assert!(ctx.footer.ends_with("with --set scale.valuation=3"));
//! let png = Chart::Value.png(&loaded.model, &comparison, &ctx)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! assert_eq!(png[16..24], [1600u32.to_be_bytes(), 900u32.to_be_bytes()].concat());
//! # Ok::<(), stakeshift::Error>(())
//! ```

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::ChartContext;
use super::canvas::{Canvas, Draw};
use super::frame::{self, Item, Layout};
use super::scale::f;
use crate::compare::Comparison;
use crate::engine::Regime;
use crate::model::Model;

const LINE: f64 = 2.5;
const DASH: (f64, f64) = (9.0, 5.0);

/// One trajectory's two lines, as (year, value) points.
struct Lines {
    color: RGBColor,
    equity: Vec<(f64, f64)>,
    profit_share: Vec<(f64, f64)>,
}

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    model: &Model,
    comparison: &Comparison,
    ctx: &ChartContext,
) -> Draw {
    let investor = super::investor_in_charts(model);
    let Layout { content, legend } = frame::frame(
        c,
        &model.name,
        &format!(
            // "Not discounted" in the subtitle, not only the legend's note: an equity line
            // ending above the profit share's beside an NPV the other way round read as a
            // contradiction (helper-169).
            "Value to {investor} over time, in {}, not discounted: cash received less cash paid in, plus the stake's value under the equity deal",
            model.unit
        ),
        ctx,
    )?;

    let colors = frame::TrajectoryColors::of(model);
    let lines: Vec<Lines> = comparison
        .trajectories
        .iter()
        .map(|t| Lines {
            color: colors.of_name(&t.name),
            equity: t
                .equity
                .rows
                .iter()
                .map(|r| {
                    (
                        f64::from(r.year),
                        f(r.cumulative_cash_flow + r.holding_value),
                    )
                })
                .collect(),
            profit_share: t
                .profit_share
                .rows
                .iter()
                .map(|r| (f64::from(r.year), f(r.cumulative_cash_flow)))
                .collect(),
        })
        .collect();

    let all = lines
        .iter()
        .flat_map(|l| l.equity.iter().chain(&l.profit_share))
        .map(|p| p.1);
    let (min, max) = all.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let ps_max = lines
        .iter()
        .flat_map(|l| l.profit_share.iter().map(|p| p.1))
        .fold(0.0f64, f64::max);
    // A close-up when the profit share's lines would fill less than a third of the plot.
    let close_up = ps_max > 0.0 && (ps_max - min) * 3.0 < max - min;

    let (first, last) = (model.start_year, model.end_year);
    let from = model.equity.from_year;
    // The year the stake is held from, marked where it falls after the first year.
    let marked = (from > first && from <= last).then_some(from);
    let unit = &model.unit;
    if close_up {
        let (left, right) = frame::two_panels(content, 0.55);
        let left = frame::YearPanel::new(c, left, (min, max), (first, last));
        panel(c, &left, &lines, marked, &format!("{unit}, whole range"))?;
        let hi = ps_max * 1.15;
        let mut right = frame::YearPanel::new(c, right, (min, hi), (first, last));
        right.share_years(c, &left);
        let title = format!(
            "{unit}, close-up on the {}'s range",
            Regime::ProfitShare.label_in(model)
        );
        panel(c, &right, &lines, marked, &title)?;
    } else {
        let whole = frame::YearPanel::new(c, content, (min, max), (first, last));
        panel(c, &whole, &lines, marked, unit)?;
    }

    // A single year has no lines: each deal's value is a point, equity a disc and the
    // profit share a ring (D12: both were the same dot, so a trajectory's equity value
    // could not be told from its profit share).
    let single = first == last;
    let mut items = vec![Item::Heading("Trajectory".into())];
    for (t, l) in comparison.trajectories.iter().zip(&lines) {
        items.push(if single {
            Item::Dot(l.color, true, t.name.clone())
        } else {
            Item::Line(l.color, false, 3.0, t.name.clone())
        });
    }
    items.extend(colors.shared_note(comparison.trajectories.iter().map(|t| t.name.as_str())));
    items.push(Item::Gap);
    items.push(Item::Heading("Deal".into()));
    let regime_a = Regime::ProfitShare.label_in(model);
    if single {
        items.push(Item::Dot(frame::INK, true, "equity stake".into()));
        items.push(Item::Dot(frame::INK, false, regime_a.into()));
    } else {
        items.push(Item::Line(frame::INK, false, LINE, "equity stake".into()));
        items.push(Item::Line(frame::INK, true, LINE, regime_a.into()));
    }
    items.push(Item::Gap);
    // The year the stake is held from is a dotted line only where it is marked.
    let held = match marked {
        Some(_) => format!("The stake is held from {from} (dotted line)."),
        None => format!("The stake is held from {from}."),
    };
    items.push(Item::Note(format!(
        "Equity: cumulative cash flow plus the stake's value that year. {}: cumulative cash flow. Not discounted. {held}",
        super::capitalised(regime_a)
    )));
    items.extend(super::terminal_note(model).map(Item::Note));
    items.extend(super::cloud_note(model).map(Item::Note));
    frame::legend(c, legend, &items)
}

fn panel<DB: DrawingBackend>(
    c: &Canvas<DB>,
    panel: &frame::YearPanel,
    lines: &[Lines],
    from: Option<i32>,
    title: &str,
) -> Draw {
    panel.axes(c, title)?;
    let (plot, x) = (panel.plot, &panel.x);
    if let Some(from) = from {
        frame::marker(c, plot, x.map(f64::from(from)), frame::FAINT)?;
    }
    let (map, clip) = (|pts: &[(f64, f64)]| panel.map(pts), panel.clip);
    // Profit share first, so that where the lines meet (before the stake is held) the solid
    // equity line is on top.
    for l in lines {
        frame::deal_series(
            c,
            &map(&l.profit_share),
            clip,
            l.color,
            LINE,
            Some(DASH),
            false,
        )?;
    }
    for l in lines {
        frame::deal_series(c, &map(&l.equity), clip, l.color, LINE, None, true)?;
    }
    Ok(())
}
