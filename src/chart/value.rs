//! `value.png`: what the investor's position is worth each year under each deal, for every
//! trajectory. Profit share: the cumulative cash flow. Equity: the cumulative cash flow plus
//! the stake's value that year. One colour per trajectory; equity solid, profit share dashed.
//! When the equity lines dwarf the profit share's, a second panel shows the profit share's
//! range close up, so that the crossings stay visible.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::ChartContext;
use super::canvas::{Canvas, Draw, Rect};
use super::frame::{self, Item, Layout};
use super::scale::{self, Linear, f};
use crate::compare::Comparison;
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
    let investor = model.investor_in_prose();
    let Layout { content, legend } = frame::frame(
        c,
        &model.name,
        &format!(
            "Value to {investor} over time, in {}: cash received less cash paid in, plus the stake's value under the equity deal",
            model.unit
        ),
        &ctx.footer,
    )?;

    let lines: Vec<Lines> = comparison
        .trajectories
        .iter()
        .enumerate()
        .map(|(i, t)| Lines {
            color: frame::color(i),
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
    let unit = &model.unit;
    if close_up {
        let gap = 56.0;
        let split = content.x0 + (content.width() - gap) * 0.55;
        let left = Rect {
            x1: split,
            ..content
        };
        let right = Rect {
            x0: split + gap,
            ..content
        };
        panel(
            c,
            left,
            &lines,
            min,
            max,
            first,
            last,
            from,
            &format!("{unit}, whole range"),
        )?;
        let hi = ps_max * 1.15;
        panel(
            c,
            right,
            &lines,
            min,
            hi,
            first,
            last,
            from,
            &format!("{unit}, close-up on the profit share's range"),
        )?;
    } else {
        panel(c, content, &lines, min, max, first, last, from, unit)?;
    }

    let mut items = vec![Item::Heading("Trajectory".into())];
    for (t, l) in comparison.trajectories.iter().zip(&lines) {
        items.push(Item::Line(l.color, false, 3.0, t.name.clone()));
    }
    items.push(Item::Gap);
    items.push(Item::Heading("Deal".into()));
    items.push(Item::Line(frame::INK, false, LINE, "equity stake".into()));
    items.push(Item::Line(frame::INK, true, LINE, "profit share".into()));
    items.push(Item::Gap);
    items.push(Item::Note(format!(
        "Equity: cumulative cash flow plus the stake's value that year. Profit share: cumulative cash flow. Not discounted. The stake is held from {from} (dotted line)."
    )));
    frame::legend(c, legend, &items)
}

#[allow(clippy::too_many_arguments)]
fn panel<DB: DrawingBackend>(
    c: &Canvas<DB>,
    area: Rect,
    lines: &[Lines],
    min: f64,
    max: f64,
    first: i32,
    last: i32,
    from: i32,
    title: &str,
) -> Draw {
    let target = ((area.height() / 80.0) as usize).clamp(3, 10);
    let ticks = scale::nice_ticks(min, max, target);
    let label = |v: f64, step: f64| scale::tick_label(v, step);
    let label_w = frame::y_label_width(c, &ticks, &label);
    let plot = Rect {
        x0: (area.x0 + label_w + 12.0).round(),
        y0: (area.y0 + 30.0).round(),
        x1: area.x1.round(),
        y1: (area.y1 - 34.0).round(),
    };
    let x = Linear::new((f64::from(first), f64::from(last)), (plot.x0, plot.x1));
    let y = Linear::new((ticks.lo, ticks.hi), (plot.y1, plot.y0));
    frame::y_axis(c, plot, &y, &ticks, &label)?;
    frame::y_axis_title(c, area.x0, plot.y0, plot.x1, title)?;
    frame::x_years(c, plot, &x, first, last)?;
    if from > first && from <= last {
        frame::marker(c, plot, x.map(f64::from(from)), frame::FAINT)?;
    }
    let map = |pts: &[(f64, f64)]| -> Vec<(f64, f64)> {
        pts.iter().map(|(a, b)| (x.map(*a), y.map(*b))).collect()
    };
    // Clip a little outside the plot so that lines at the edge keep their full width.
    let clip = Rect {
        x0: plot.x0 - 3.0,
        y0: plot.y0 - 3.0,
        x1: plot.x1 + 3.0,
        y1: plot.y1 + 3.0,
    };
    // Profit share first, so that where the lines meet (before the stake is held) the solid
    // equity line is on top.
    for l in lines {
        c.series(&map(&l.profit_share), clip, l.color, LINE, Some(DASH))?;
    }
    for l in lines {
        c.series(&map(&l.equity), clip, l.color, LINE, None)?;
    }
    Ok(())
}
