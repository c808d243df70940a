//! `stake.png`: the investor's stake after each funding round (top), and what the stake is
//! worth in every trajectory (bottom), from the year the stake is held. Both come from the
//! equity rows (`stake`, `holding_value`); the rounds are named from the model's terms.
//!
//! The built-in model: a 27% stake from 2025, diluted by the 2026 round (122 raised at 730
//! pre-money) to 0.27 x 730 / (730 + 122) = 23.1%, the same in every trajectory:
//!
//! ```
//! use stakeshift::chart::{Chart, ChartContext, Size};
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let ctx = ChartContext::new(&loaded.label, &loaded.text, Size::DEFAULT, None);
//! let svg = Chart::Stake.svg(&loaded.model, &comparison, &ctx)?;
//! let svg = String::from_utf8(svg).unwrap();
//! let texts: Vec<&str> = svg.split("<text").skip(1)
//!     .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect();
//! let at = texts.iter().position(|t| *t == "27.0%").unwrap();
//! assert_eq!(texts[at - 1..at + 2],
//!     ["2026 round: 122 raised at 730 pre-money, none from Microsoft", "27.0%", "23.1%"]);
//! assert!(texts.contains(&"The stake is the same in every trajectory."));
//! // The stake's axis: 0 to 27% in steps of 10%; the years from 2025, when it is held.
//! for tick in ["0%", "10%", "20%", "30%", "2025", "2030", "2045"] {
//!     assert!(texts.contains(&tick), "{tick}");
//! }
//! assert!(!texts.contains(&"2020"));
//! let png = Chart::Stake.png(&loaded.model, &comparison, &ctx)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! assert_eq!(png[16..24], [1600u32.to_be_bytes(), 900u32.to_be_bytes()].concat());
//! # Ok::<(), stakeshift::Error>(())
//! ```

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;
use rust_decimal::Decimal;

use super::ChartContext;
use super::canvas::{Align, Canvas, Draw, Rect};
use super::frame::{self, Item, Layout};
use super::scale::{self, Linear, Ticks, f};
use crate::compare::Comparison;
use crate::engine::TrajectoryResult;
use crate::model::{Model, Year};

const ROW: f64 = 24.0;

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    model: &Model,
    comparison: &Comparison,
    ctx: &ChartContext,
) -> Draw {
    let investor = super::investor_in_charts(model);
    let from = model.equity.from_year;
    let last = model.end_year;
    let Layout { content, legend } = frame::frame(
        c,
        &model.name,
        &format!(
            "The stake {investor} holds after each funding round (top), and what it is worth (bottom, in {}), from {from}",
            model.unit
        ),
        ctx,
    )?;
    let all = &comparison.trajectories;
    let held = |t: &TrajectoryResult| -> Vec<(Year, Decimal, Decimal)> {
        t.equity
            .rows
            .iter()
            .filter(|r| r.year >= from)
            .map(|r| (r.year, r.stake, r.holding_value))
            .collect()
    };
    let series: Vec<Vec<(Year, Decimal, Decimal)>> = all.iter().map(held).collect();
    let colors = frame::TrajectoryColors::of(model);
    let stakes: Vec<Vec<Decimal>> = series
        .iter()
        .map(|s| s.iter().map(|r| r.1).collect())
        .collect();
    let same = stakes.windows(2).all(|w| w[0] == w[1]);

    let gap = 40.0;
    let top_h = ((content.height() - gap) * 0.36).round();
    let top_area = Rect {
        y1: content.y0 + top_h,
        ..content
    };
    let bottom_area = Rect {
        y0: content.y0 + top_h + gap,
        ..content
    };

    // Both panels share the x axis and the left edge of the plot.
    let max_stake = stakes.iter().flatten().map(|s| f(*s)).fold(0.0, f64::max);
    let stake_ticks = scale::nice_ticks(0.0, max_stake, 4);
    let pct = |v: f64, t: &Ticks| scale::percent_tick(v, t.step);
    let max_value = series.iter().flatten().map(|r| f(r.2)).fold(0.0, f64::max);
    let target = ((bottom_area.height() / 80.0) as usize).clamp(3, 8);
    let value_ticks = scale::nice_ticks(0.0, max_value, target);
    let amt = |v: f64, t: &Ticks| scale::tick_label(v, t);
    let label_w = frame::y_label_width(c, &stake_ticks, &pct).max(frame::y_label_width(
        c,
        &value_ticks,
        &amt,
    ));
    let x0 = (content.x0 + label_w + 12.0).round();
    let x1 = content.x1.round();
    let x = Linear::new((f64::from(from), f64::from(last)), (x0, x1));

    // Top: the stake, with the rounds named above it.
    let rounds = round_labels(model, &investor);
    let sf = frame::small_font();
    let marks: Vec<(f64, String)> = rounds
        .iter()
        .map(|(y, t)| (x.map(f64::from(*y)), t.clone()))
        .collect();
    // Badges may take up to half the panel, and at least MAX_BADGE_ROWS rows (helper-239:
    // five rounds in five years side by side on a long axis, a row each, were four rows
    // too many for the full-size chart's room).
    let badge_rows = ((top_h / 2.0 / ROW).floor() as usize).max(MAX_BADGE_ROWS);
    let placed = frame::markers(c, &marks, x0, x1, &sf, MAX_ROUND_ROWS, badge_rows);
    // Rounds too many to number take no band of badges: their lines run the panel's height
    // (as the waterfall's; helper-242: the band, up to half the panel, stayed empty). One
    // row stays, for the stake's labels at the top of the panel (helper-243: they touched
    // the panel's title).
    let n_rows = if placed.overflow { 1 } else { placed.rows };
    let top_plot = Rect {
        x0,
        y0: (top_area.y0 + 30.0).round(),
        x1,
        y1: top_area.y1.round(),
    };
    let band = n_rows as f64 * ROW + 8.0;
    let sy = Linear::new(
        (stake_ticks.lo, stake_ticks.hi),
        (top_plot.y1, top_plot.y0 + band),
    );
    let data_rect = Rect {
        y0: top_plot.y0 + band,
        ..top_plot
    };
    frame::y_axis(c, data_rect, &sy, &stake_ticks, &pct)?;
    frame::y_axis_title(
        c,
        content.x0,
        top_plot.y0,
        x1,
        "stake after the year's rounds",
    )?;

    // Bottom: the stake's value.
    let bottom_plot = Rect {
        x0,
        y0: (bottom_area.y0 + 30.0).round(),
        x1,
        y1: (bottom_area.y1 - 34.0).round(),
    };
    let vy = Linear::new(
        (value_ticks.lo, value_ticks.hi),
        (bottom_plot.y1, bottom_plot.y0),
    );
    frame::y_axis(c, bottom_plot, &vy, &value_ticks, &amt)?;
    frame::y_axis_title(
        c,
        content.x0,
        bottom_plot.y0,
        x1,
        &format!("value of the stake, {}", model.unit),
    )?;
    frame::x_years(c, bottom_plot, &x, from, last)?;

    // Rounds: a dotted line through both panels, the label in the top band.
    for (i, l) in placed.labels.iter().enumerate() {
        let mid = if placed.overflow {
            data_rect.y0
        } else {
            top_plot.y0 + l.row as f64 * ROW + 4.0
        };
        c.dashed(
            &[(l.px, data_rect.y1), (l.px, mid)],
            frame::FAINT,
            1.5,
            4.0,
            3.0,
        )?;
        frame::marker(c, bottom_plot, l.px, frame::FAINT)?;
        // Badges that found no place of their own would be drawn over each other (150
        // rounds read "1111111": helper-237): the dotted lines alone, and a note.
        if !placed.overflow {
            placed.draw_label(c, i, mid, frame::MUTED, &sf)?;
        }
    }

    let clip = |r: Rect| Rect {
        x0: r.x0 - 3.0,
        y0: r.y0 - 3.0,
        x1: r.x1 + 3.0,
        y1: r.y1 + 3.0,
    };
    let step = |s: &[(Year, Decimal, Decimal)]| -> Vec<(f64, f64)> {
        let mut pts = Vec::new();
        for (i, r) in s.iter().enumerate() {
            let v = sy.map(f(r.1));
            if i > 0 {
                pts.push((x.map(f64::from(r.0)), sy.map(f(s[i - 1].1))));
            }
            pts.push((x.map(f64::from(r.0)), v));
        }
        pts
    };
    if same {
        if let Some(s) = series.first() {
            let ink: RGBColor = frame::INK;
            c.series(&step(s), clip(data_rect), ink, 3.0, None)?;
            // The stake's value at the start and after each change.
            for (i, r) in s.iter().enumerate() {
                if i == 0 || r.1 != s[i - 1].1 {
                    let px = x.map(f64::from(r.0));
                    let font = frame::label_font().bold();
                    let label = scale::percent(r.1);
                    // Right of its point where it fits in the plot, else left of it and
                    // under the line, clear of the step from the stake before (helper-137:
                    // a round in the last year put "19.0%" over the legend).
                    if px + 8.0 + c.text_width(&label, &font) <= data_rect.x1 {
                        c.text(&label, px + 8.0, sy.map(f(r.1)) - 9.0, &font, Align::Left)?;
                    } else {
                        let below = sy.map(f(r.1)) + 9.0 + font.cap_height();
                        c.text(&label, px - 8.0, below, &font, Align::Right)?;
                    }
                }
            }
        }
    } else {
        for (s, t) in series.iter().zip(all.iter()) {
            let color = colors.of_name(&t.name);
            c.series(&step(s), clip(data_rect), color, 2.5, None)?;
        }
        // A round in the last year draws its step on the plot's right edge, under the
        // round's dotted line, and the panel read as the stake before it held to the end
        // (helper-153). Each stake a round changed in the last year: a dot where it ends,
        // and its value left of the edge, next to its dot (below or above it, nearer it than
        // any other value's dot), clear of every line under the label's width, of the
        // rounds' dotted lines and of the other labels; one that finds no such place keeps
        // its dot alone (helper-155: labels pushed further sat beside other trajectories'
        // dots, and crossed the lines of the years before the last).
        let mut ends: Vec<(f64, String, Option<RGBColor>)> = Vec::new();
        for (s, t) in series.iter().zip(all.iter()) {
            let [.., before, last] = s.as_slice() else {
                continue;
            };
            if last.1 == before.1 {
                continue;
            }
            let color = colors.of_name(&t.name);
            let at = (x.map(f64::from(last.0)), sy.map(f(last.1)));
            c.circle(at, 4.0, color, true, 1.0)?;
            let label = scale::percent(last.1);
            // A value several trajectories end at is one label, in grey (ink is a
            // trajectory's colour among many).
            match ends.iter_mut().find(|(_, l, _)| *l == label) {
                Some(shared) => shared.2 = None,
                None => ends.push((at.1, label, Some(color))),
            }
        }
        let font = frame::label_font().bold();
        let cap = font.cap_height();
        let right = data_rect.x1 - 10.0;
        // The lines as horizontal and vertical runs: (x0, x1, y0, y1).
        let mut runs: Vec<(f64, f64, f64, f64)> = Vec::new();
        for s in &series {
            for w in s.windows(2) {
                let (xa, xb) = (x.map(f64::from(w[0].0)), x.map(f64::from(w[1].0)));
                let (ya, yb) = (sy.map(f(w[0].1)), sy.map(f(w[1].1)));
                runs.push((xa, xb, ya, ya));
                runs.push((xb, xb, ya.min(yb), ya.max(yb)));
            }
        }
        // The rounds' dotted lines, but the last year's at the edge.
        let round_xs: Vec<f64> = placed.labels.iter().map(|l| l.px).collect();
        let mut taken: Vec<(f64, f64)> = Vec::new();
        ends.sort_by(|a, b| a.0.total_cmp(&b.0));
        let dots: Vec<f64> = ends.iter().map(|(y, ..)| *y).collect();
        // Dots less than half a dot's width apart are drawn over each other: one place,
        // whose highest dot is labelled above it and lowest below it.
        const OVERLAP: f64 = 5.0;
        for (y, label, color) in &ends {
            let left = right - c.text_width(label, &font) - 2.0;
            let cluster = dots.iter().filter(|d| (*d - y).abs() < OVERLAP);
            let (highest, lowest) = cluster.fold((*y, *y), |(h, l), d| (h.min(*d), l.max(*d)));
            // A horizontal or vertical stretch under the label's width that a line crosses.
            let crossed = |from: f64, to: f64| {
                runs.iter().any(|(x0, x1, y0, y1)| {
                    *x1 >= left - 2.0 && *x0 <= right + 2.0 && *y1 >= from - 1.5 && *y0 <= to + 1.5
                })
            };
            let clear = |baseline: f64| {
                let (top, bottom) = (baseline - cap - 3.0, baseline + 3.0);
                // Nearer its own place than any other value's dot: else it reads as that
                // one's.
                let centre = baseline - cap / 2.0;
                let own = (centre - centre.clamp(highest, lowest)).abs();
                let nearest_other = dots
                    .iter()
                    .filter(|d| (*d - y).abs() >= OVERLAP)
                    .map(|d| (centre - d).abs())
                    .fold(f64::INFINITY, f64::min);
                // No line between the label and its dot either (helper-156: a label under
                // a bundle of lines read as theirs).
                let (from, to) = if centre > *y {
                    (lowest + 4.0, top)
                } else {
                    (bottom, highest - 4.0)
                };
                own < nearest_other
                    && top >= data_rect.y0
                    && bottom <= data_rect.y1
                    && !crossed(top, bottom)
                    && (from > to || !crossed(from, to))
                    && round_xs
                        .iter()
                        .all(|rx| *rx < left - 2.0 || *rx > right + 2.0)
                    && taken.iter().all(|(t, b)| bottom < *t || top > *b)
            };
            // Below its place, above it, then a line further each way (only where that is
            // still nearer its own place than any other value's dot); of dots drawn over
            // each other, the highest's label only above them and the lowest's only below,
            // so that they read in their order (helper-156: 22.0% stood above 22.9%).
            let further = cap + 8.0;
            let (below, above) = (lowest + 9.0 + cap, highest - 9.0);
            let several = lowest > highest;
            let candidates: Vec<f64> = if several && *y == highest {
                vec![above, above - further]
            } else if several && *y == lowest {
                vec![below, below + further]
            } else {
                vec![below, above, below + further, above - further]
            };
            if let Some(baseline) = candidates.into_iter().find(|b| clear(*b)) {
                let ink = color.map_or(frame::MUTED, readable);
                c.text(label, right, baseline, &font.with_color(ink), Align::Right)?;
                taken.push((baseline - cap - 3.0, baseline + 3.0));
            }
        }
    }
    for (s, t) in series.iter().zip(all.iter()) {
        let pts: Vec<(f64, f64)> = s
            .iter()
            .map(|r| (x.map(f64::from(r.0)), vy.map(f(r.2))))
            .collect();
        let color = colors.of_name(&t.name);
        c.series(&pts, clip(bottom_plot), color, 2.5, None)?;
    }

    // The stake line's key and the notes first, then the trajectories, then the numbered
    // rounds: with many trajectories the legend's "(+N more)" cuts the rounds' list (whose
    // badges the dotted lines' note explains), not the key to the stake line and the value
    // (helper-220: 26 trajectories dropped them, and the rounds' key with them).
    // In the legend a long name, which the subtitle gives, is "the investor" (helper-220: a
    // name of 90 characters in every round's entry left room for 4 of 12 rounds); over the
    // stake, where a round's label fits, the name as written (helper-221).
    let listed = match investor.chars().count() {
        n if n > 24 => "the investor".to_string(),
        _ => investor.clone(),
    };
    let mut items = Vec::new();
    if same {
        items.push(Item::Line(frame::INK, false, 3.0, "stake".into()));
        // (Of one trajectory there is nothing to compare it with: helper-186.)
        if all.len() > 1 {
            items.push(Item::Note(
                "The stake is the same in every trajectory.".into(),
            ));
        }
    }
    // The rounds' key only where there are rounds to draw.
    let rounds_note = if placed.labels.is_empty() {
        String::new()
    } else {
        format!(" Dotted lines: funding rounds; {listed}'s stake is diluted unless it takes part.")
    };
    items.push(Item::Note(format!(
        "Value: the stake times the trajectory's valuation that year, not discounted.{rounds_note}"
    )));
    items.push(Item::Gap);
    items.push(Item::Heading("Trajectory".into()));
    for t in all.iter() {
        let color = colors.of_name(&t.name);
        items.push(Item::Line(color, false, 3.0, t.name.clone()));
    }
    items.extend(colors.shared_note(all.iter().map(|t| t.name.as_str())));
    if placed.overflow {
        // Rounds, not the years marked (two a year were said as half as many: helper-238).
        let rounds = model.equity.rounds.len();
        items.push(Item::Gap);
        items.push(Item::Note(format!(
            "{rounds} rounds in {} years, too many to number here: `stakeshift check MODEL` lists them.",
            placed.labels.len()
        )));
    } else if placed.numbered {
        // The badges number the years with rounds (two rounds of a year share one).
        let labels = round_labels(model, &listed);
        let rounds = model.equity.rounds.len();
        let counted = if rounds == labels.len() {
            format!("the {rounds} rounds")
        } else {
            format!("the {} years with rounds ({rounds} rounds)", labels.len())
        };
        let with_list = |pointer: bool| {
            let mut listed_rounds = items.clone();
            listed_rounds.push(Item::Gap);
            listed_rounds.push(Item::Heading("Rounds".into()));
            if pointer {
                // (`check` lists rounds, from rounds[0]: helper-261.)
                listed_rounds.push(Item::Note(format!(
                    "Not all fit here: `stakeshift check MODEL` lists all {rounds} rounds."
                )));
            }
            for (i, (_, text)) in labels.iter().enumerate() {
                listed_rounds.push(Item::Note(format!("{}. {text}", i + 1)));
            }
            listed_rounds
        };
        let whole = with_list(false);
        let cut = with_list(true);
        // The first entry of the list, after the heading and the pointer.
        let first = items.len() + 3;
        if frame::legend_keeps(c, legend, &whole, whole.len() - 1) {
            items = whole;
        } else if frame::legend_keeps(c, legend, &cut, first) {
            // Cut short: said at its head, since the rows past the cut are lost (helper-260:
            // 3 of 12 rounds named, badges 4 to 12 unexplained).
            items = cut;
        } else {
            // No round of the list fits beside the trajectories: the badges are said in one
            // note, which the trajectories' list is cut for (helper-257: 26 trajectories
            // and 12 rounds dropped the rounds' key, its badges numbered 1 to 12 with no
            // word of what they number).
            items.push(Item::Gap);
            items.push(Item::Note(format!(
                "Numbered: {counted} in order, too many to name beside the trajectories: `stakeshift check MODEL` lists them."
            )));
        }
    }
    frame::legend(c, legend, &items)
}

/// A trajectory's colour as text on white: a light one (the palette's yellow) darkened
/// until it reads (helper-155: 18.6% in yellow was hard to read).
fn readable(color: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = color;
    let luminance = 0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b);
    if luminance <= 175.0 {
        return color;
    }
    let k = 175.0 / luminance;
    let dim = |v: u8| (f64::from(v) * k).round() as u8;
    RGBColor(dim(r), dim(g), dim(b))
}

/// The most rows of round names over the stake panel; more, and the rounds are numbered
/// badges named in the legend.
const MAX_ROUND_ROWS: usize = 3;

/// The fewest rows of numbered badges allowed (more where half the panel holds more): past
/// them the rounds are too many to number on the panel, and only their dotted lines are
/// drawn.
const MAX_BADGE_ROWS: usize = 4;

/// Each round year and its label: `2026 round: 122 raised at 730 pre-money, none from
/// Microsoft`.
fn round_labels(model: &Model, investor: &str) -> Vec<(Year, String)> {
    let mut out: Vec<(Year, String)> = Vec::new();
    for r in &model.equity.rounds {
        let pre = match r.pre_money {
            Some(p) => format!(" at {} pre-money", scale::plain(p)),
            None => " at the valuation less the raise".to_string(),
        };
        let part = if r.participation > Decimal::ZERO {
            format!(", {} of it from {investor}", scale::plain(r.participation),)
        } else {
            // Said, not left to the reader: a round the investor takes no part in dilutes
            // it, and whether it did is often the model's assumption (helper-169: the
            // built-in model's 23.1% read as a fact where Microsoft's filing says ~27%).
            format!(", none from {investor}")
        };
        let text = format!(
            "{} round: {} raised{pre}{part}",
            r.year,
            scale::plain(r.raise)
        );
        match out.iter_mut().find(|(y, _)| *y == r.year) {
            Some((_, t)) => {
                *t = format!("{} rounds", r.year);
            }
            None => out.push((r.year, text)),
        }
    }
    out.sort_by_key(|(y, _)| *y);
    out
}
