//! `cloud.png` (SPEC 13): the investor's yearly cloud income under each deal on one
//! trajectory (`base`, or the one named with `--trajectory`), with the take-or-pay
//! commitment's window shaded. Drawn only for a model with a cloud side.
//!
//! The built-in model has a cloud side, and a take-or-pay commitment of 250 under the stake
//! from 2026 to 2032; its chart for `bull`, named as `--trajectory bull` would name it:
//!
//! ```
//! use stakeshift::chart::{Chart, ChartContext, Size};
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! assert!(Chart::for_model(&loaded.model).contains(&Chart::Cloud));
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let bull = Some("bull".to_string());
//! let ctx = ChartContext::new(&loaded.label, &loaded.text, Size::DEFAULT, bull);
//! let svg = Chart::Cloud.svg(&loaded.model, &comparison, &ctx)?;
//! let svg = String::from_utf8(svg).unwrap();
//! let texts: Vec<&str> = svg.split("<text").skip(1)
//!     .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect();
//! assert!(texts[1].starts_with("Microsoft&apos;s yearly income from compute sold to the \
//!     company, in USD bn, on `bull`: "));
//! let at = texts.iter().position(|t| *t == "Deal").unwrap();
//! assert_eq!(texts[at + 1..at + 4],
//!     ["equity stake", "profit share", "commitment window"]);
//! // The legend's note, its lines joined: the window as the model gives it.
//! assert!(texts.join(" ").contains("Take-or-pay: under the equity stake, 250 USD bn from \
//!     2026 to 2032, any shortfall bought in 2032."));
//! let png = Chart::Cloud.png(&loaded.model, &comparison, &ctx)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! assert_eq!(png[16..24], [1600u32.to_be_bytes(), 900u32.to_be_bytes()].concat());
//! # Ok::<(), stakeshift::Error>(())
//! ```

use plotters::prelude::DrawingBackend;
use plotters::style::Color;

use super::ChartContext;
use super::canvas::{Canvas, Draw, Rect};
use super::frame::{self, Item, Layout};
use super::scale::{self, f};
use crate::compare::Comparison;
use crate::engine::Regime;
use crate::model::Model;

const LINE: f64 = 2.5;
const DASH: (f64, f64) = (9.0, 5.0);

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    model: &Model,
    comparison: &Comparison,
    ctx: &ChartContext,
) -> Draw {
    let investor = super::investor_in_charts(model);
    // The subtitle's first word (helper-220: "the investor's yearly income" began the
    // sentence in lower case).
    let subject = super::investor_to_begin_a_sentence(model);
    let t = super::featured_trajectory(comparison, ctx).map_err(|e| e.to_string())?;
    let Layout { content, legend } = frame::frame(
        c,
        &model.name,
        &format!(
            "{subject}'s yearly income from compute sold to the company, in {}, on `{}`: its margin on what the company buys from it under each deal",
            model.unit, t.name
        ),
        ctx,
    )?;
    let line = |rows: &[crate::engine::YearRow]| -> Vec<(f64, f64)> {
        rows.iter()
            .map(|r| (f64::from(r.year), f(r.cloud_income)))
            .collect()
    };
    let equity = line(&t.equity.rows);
    let profit_share = line(&t.profit_share.rows);
    let (min, max) = equity
        .iter()
        .chain(&profit_share)
        .fold((0.0f64, 0.0f64), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));

    let (first, last) = (model.start_year, model.end_year);
    let panel = frame::YearPanel::new(c, content, (min, max), (first, last));
    let (plot, x) = (panel.plot, &panel.x);

    // The commitments' windows, shaded behind everything (half a year either side, so a
    // one-year window shows).
    let commitments: Vec<(&str, crate::model::Commitment)> = model
        .cloud
        .iter()
        .flat_map(|cloud| {
            [
                (
                    Regime::ProfitShare.label_in(model),
                    cloud.profit_share.as_ref(),
                ),
                ("equity stake", cloud.equity.as_ref()),
            ]
        })
        .filter_map(|(deal, terms)| Some((deal, terms?.commitment?)))
        .collect();
    let shade = frame::tint(frame::PALETTE[1], 0.85);
    // A single-year model's axis has no width in years: a window holding its year is the
    // whole plot (half a year either side mapped to nothing, so it was not shaded).
    let single = first == last;
    for (_, window) in &commitments {
        let (x0, x1) = if single {
            if window.from <= first && first <= window.until {
                (plot.x0, plot.x1)
            } else {
                continue;
            }
        } else {
            (
                x.map(f64::from(window.from) - 0.5).max(plot.x0),
                x.map(f64::from(window.until) + 0.5).min(plot.x1),
            )
        };
        if x1 > x0 {
            c.fill_rect(
                Rect {
                    x0,
                    y0: plot.y0,
                    x1,
                    y1: plot.y1,
                },
                shade.to_rgba(),
            )?;
        }
    }
    panel.axes(c, &format!("{} a year", model.unit))?;
    let from = model.equity.from_year;
    let marked = from > first && from <= last;
    if marked {
        frame::marker(c, plot, x.map(f64::from(from)), frame::FAINT)?;
    }
    let color = frame::TrajectoryColors::of(model).of_name(&t.name);
    // A single year has no lines: each deal's income is a point, equity a disc and the
    // profit share a ring (both were the same dot, and the legend showed lines).
    let clip = panel.clip;
    let profit_share = panel.map(&profit_share);
    frame::deal_series(c, &profit_share, clip, color, LINE, Some(DASH), false)?;
    frame::deal_series(c, &panel.map(&equity), clip, color, LINE, None, true)?;

    let mut items = vec![Item::Heading("Deal".into())];
    let regime_a = Regime::ProfitShare.label_in(model);
    if single {
        items.push(Item::Dot(color, true, "equity stake".into()));
        items.push(Item::Dot(color, false, regime_a.into()));
    } else {
        items.push(Item::Line(color, false, LINE, "equity stake".into()));
        items.push(Item::Line(color, true, LINE, regime_a.into()));
    }
    if !commitments.is_empty() {
        items.push(Item::Swatch(shade, "commitment window".into()));
    }
    items.push(Item::Gap);
    let windows: Vec<String> = commitments
        .iter()
        .map(|(deal, w)| {
            format!(
                "under the {deal}, {} {} from {} to {}, any shortfall bought in {}",
                // As written in the model (helper-226: 0.4 was labelled "0 USD bn").
                scale::plain(w.total),
                model.unit,
                w.from,
                w.until,
                w.until
            )
        })
        .collect();
    // Only a year marked on the chart is called a dotted line; held from the first year,
    // there is no "before it".
    let held = if marked {
        format!(
            "The stake is held from {from} (dotted line); before it both deals have the {regime_a}'s terms."
        )
    } else {
        format!("The stake is held from {from}.")
    };
    let mut note =
        format!("Cloud income = margin x the compute the company buys from {investor}. {held}");
    if !windows.is_empty() {
        note.push_str(&format!(" Take-or-pay: {}.", windows.join("; ")));
    }
    // A chart of nothing says so (helper-169: `--set cloud.margin=0` drew flat lines on an
    // axis of 0 to 1, unexplained).
    if min == 0.0 && max == 0.0 {
        let why = if model.cloud.as_ref().is_some_and(|c| c.margin.is_zero()) {
            ": the margin, cloud.margin, is 0"
        } else {
            ""
        };
        note.push_str(&format!(" The income is 0 in every year{why}."));
    }
    items.push(Item::Note(note));
    frame::legend(c, legend, &items)
}
