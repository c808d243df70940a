//! `npv.png`: the NPV of each deal, side by side for every trajectory: the profit share pale
//! with a dashed edge, the equity stake solid, both in the trajectory's colour. Above each
//! pair, the deal worth more and by how much; under it, the break-even scale. Where the
//! pairs are too narrow for those labels (thirty trajectories), the bars go unlabelled,
//! the legend says where the numbers are, and names too wide for their pair alternate
//! between two rows.
//!
//! The built-in model's chart: NPVs as of the end of its valuation_year at its discount
//! rate, and for `base` the pair's labels as `stakeshift compare` gives its numbers:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::chart::{Chart, ChartContext, Size};
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let ctx = ChartContext::new(&loaded.label, &loaded.text, Size::DEFAULT, None);
//! let svg = String::from_utf8(Chart::Npv.svg(&loaded.model, &comparison, &ctx)?).unwrap();
//! let texts: Vec<&str> = svg.split("<text").skip(1)
//!     .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect();
//! assert!(texts[1].contains("as of the end of 2025 at 9% a year")); // 2025, 0.09
//! let base = comparison.trajectories.iter().find(|t| t.name == "base").unwrap();
//! let round = |d: Decimal| d.round_dp(1).to_string();
//! let (ps, eq) = (&base.profit_share.measures.npv, &base.equity.measures.npv);
//! assert_eq!((round(*ps), round(*eq), round(base.npv_advantage)), ("554.1".into(),
//!     "524.9".into(), "-29.3".into()));
//! // Under the pair's name: the profit share's bar, then equity's, the verdict; under it,
//! // the break-even scale, above 1 as the profit share is ahead.
//! let at = texts.iter().position(|t| *t == "base").unwrap();
//! assert_eq!(texts[at - 4..at + 2], ["554.1", "524.9", "profit share ahead", "by 29.3",
//!     "base", "break-even 1.12\u{d7}"]);
//! let png = Chart::Npv.png(&loaded.model, &comparison, &ctx)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! assert_eq!(png[16..24], [1600u32.to_be_bytes(), 900u32.to_be_bytes()].concat());
//! # Ok::<(), stakeshift::Error>(())
//! ```

use plotters::prelude::DrawingBackend;
use plotters::style::Color;
use rust_decimal::Decimal;

use super::ChartContext;
use super::canvas::{Align, Canvas, Draw, Rect};
use super::frame::{self, Item, Layout};
use super::scale::{self, Linear, Ticks, f};
use crate::compare::Comparison;
use crate::engine::Winner;
use crate::model::Model;
use crate::report::fixed;

/// How pale the profit share's bar is.
const PALE: f64 = 0.62;

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    model: &Model,
    comparison: &Comparison,
    ctx: &ChartContext,
) -> Draw {
    let investor = super::investor_in_charts(model);
    let regime_a = crate::engine::Regime::ProfitShare.label_in(model);
    let all = &comparison.trajectories;
    let Layout { content, legend } = frame::layout(c);

    // Room under the plot for the names and break-even scales, above it for the labels.
    let lf = frame::label_font().bold();
    let sf = frame::small_font();
    let vf = frame::label_font().bold();
    let vf2 = frame::label_font();
    let bottom = lf.size + sf.size + 26.0;
    let values = all
        .iter()
        .flat_map(|t| [f(t.profit_share.measures.npv), f(t.equity.measures.npv)]);
    let (min, max) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let label = |v: f64, t: &Ticks| scale::tick_label(v, t);
    // The value axis and the plot, with `label_room` above the bars for their labels.
    let axis = |label_room: f64| {
        let approx_h = content.height() - 30.0 - bottom;
        let span = (max - min).max(1e-9);
        let top = max + span * label_room / (approx_h - label_room).max(1.0);
        let low = if min < 0.0 {
            min - span * 28.0 / approx_h.max(1.0)
        } else {
            min
        };
        let target = ((approx_h / 80.0) as usize).clamp(3, 10);
        let ticks = scale::nice_ticks(low, top, target);
        let label_w = frame::y_label_width(c, &ticks, &label);
        let plot = Rect {
            x0: (content.x0 + label_w + 12.0).round(),
            y0: (content.y0 + 30.0).round(),
            x1: content.x1.round(),
            y1: (content.y1 - bottom).round(),
        };
        (ticks, plot)
    };
    let (mut ticks, mut plot) = axis(78.0);
    let n = all.len().max(1) as f64;
    let w = plot.width() / n - 8.0;
    // Too many pairs for their labels (the audit's D6: 30 trajectories, every verdict cut to
    // "p…" or "e…", every break-even to "br…", no bar with its value): the bars go
    // unlabelled and the legend says where the numbers are, rather than cut every label.
    let crowded = all.iter().any(|t| {
        // The margin as drawn: in full where "by" it fits, else written short (helper-306:
        // measured in full, seven pairs of 1e12 went unlabelled that fit "by 1.271e12").
        let margin = || {
            let full = format!("by {}", scale::amount(t.npv_advantage.abs()));
            if c.text_width(&full, &vf2) <= w {
                full
            } else {
                format!("by {}", scale::compact(f(t.npv_advantage.abs())))
            }
        };
        let (verdict, margin) = match t.winner {
            Winner::Tie => ("a tie", String::new()),
            Winner::Equity => ("equity", margin()),
            Winner::ProfitShare => (regime_a, margin()),
        };
        c.text_width(verdict, &vf) > w
            || c.text_width(&margin, &vf2) > w
            || c.text_width(&break_even_at_two_places(t.breakeven_scale), &sf) > w
            // (The scale alone, with all its places, must fit: cut, "1.0000000000…" read as 1
            // again; helper-191.)
            || t
                .breakeven_scale
                .is_some_and(|k| c.text_width(&format!("{}\u{d7}", scale_places(k)), &sf) > w)
    });
    if crowded {
        (ticks, plot) = axis(12.0);
    }
    let subtitle = if crowded {
        format!(
            "NPV to {investor} under each deal, in {}, as of the end of {} at {} a year",
            model.unit,
            model.valuation_year,
            rate(model.discount_rate)
        )
    } else {
        format!(
            "NPV to {investor} under each deal, in {}, as of the end of {} at {} a year; above each pair, the deal worth more and by how much",
            model.unit,
            model.valuation_year,
            rate(model.discount_rate)
        )
    };
    frame::frame(c, &model.name, &subtitle, ctx)?;

    let y = Linear::new((ticks.lo, ticks.hi), (plot.y1, plot.y0));
    frame::y_axis(c, plot, &y, &ticks, &label)?;
    frame::y_axis_title(
        c,
        content.x0,
        plot.y0,
        plot.x1,
        &format!("NPV, {}", model.unit),
    )?;

    let group = plot.width() / n;
    let w = group - 8.0;
    let bar = (group * 0.3).min(110.0);
    let zero = y.map(0.0).round();
    // Names that do not fit under their pair alternate between two rows, each with the
    // room of two pairs.
    let staggered = all.iter().any(|t| c.text_width(&t.name, &lf) > w);
    // The names under the pairs, fitted together so that no two read alike.
    let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
    let name_room = if crowded && staggered {
        2.0 * group - 8.0
    } else {
        w
    };
    let fitted = c.fit_names(&names, &lf, name_room);
    let colors = frame::TrajectoryColors::of(model);
    // A deal small in its unit is labelled at the places `compare`'s table gives it (three
    // significant digits of its largest amount, up to 6): two digits a label made bars of
    // "0.00011" and "0.000048" beside a margin "by 0.000057", the table's 0.000105 and
    // 0.000048 (helper-186).
    let table_places = crate::report::table::summary_places(comparison);
    let amount = |v: Decimal| {
        if table_places > 2 {
            scale::pretty(&crate::report::fixed(v, table_places))
        } else {
            scale::amount(v)
        }
    };
    // The bars whose value is too wide to write (the legend says where they are).
    let mut values_left_out = 0usize;
    for (i, t) in all.iter().enumerate() {
        let col = colors.of_name(&t.name);
        let cx = plot.x0 + group * (i as f64 + 0.5);
        let bars = [
            (
                t.profit_share.measures.npv,
                cx - bar - 2.0,
                frame::tint(col, PALE),
                true,
            ),
            (t.equity.measures.npv, cx + 2.0, col, false),
        ];
        let mut highest = zero;
        // Whether a bar's value was written short: the margin above the pair is then too,
        // so that one pair does not read 6.985e14 beside "by 466,662,127,833,608"
        // (helper-186).
        let mut written_short = false;
        for (npv, x0, fill, dashed) in bars {
            let end = y.map(f(npv)).round();
            let r = Rect {
                x0: x0.round(),
                y0: end.min(zero),
                x1: (x0 + bar).round(),
                y1: end.max(zero),
            };
            if r.height() > 0.0 {
                c.fill_rect(r, fill.to_rgba())?;
                frame::outline_rect(c, r, col, 1.5, dashed)?;
            }
            // A value wider than its bar is written short (3.353e16), and where even that is
            // wider, left to the CSV rather than run into its neighbour.
            let fits = |text: &String| !crowded && c.text_width(text, &sf) <= bar + 2.0;
            let text = [
                amount(npv),
                scale::compact(f(npv)),
                scale::compact_to(f(npv), 3),
            ]
            .into_iter()
            .enumerate()
            .find(|(_, text)| fits(text));
            written_short |= text.as_ref().is_some_and(|(k, _)| *k > 0);
            let fits = text.is_some();
            let text = text.map(|(_, text)| text);
            let text = text.unwrap_or_default();
            let ty = if npv < Decimal::ZERO {
                r.y1 + 6.0 + sf.cap_height()
            } else {
                r.y0 - 7.0
            };
            if fits {
                c.text(&text, (r.x0 + r.x1) / 2.0, ty, &sf, Align::Center)?;
            } else if !crowded {
                values_left_out += 1;
            }
            highest = highest.min(r.y0);
        }
        let name_y = plot.y1 + 12.0 + lf.cap_height();
        if crowded {
            // The name alone under the pair, in one of two rows where names are wide (each
            // with the room of two pairs: `name_room`).
            let row = if staggered {
                (i % 2) as f64 * 24.0
            } else {
                0.0
            };
            c.text(&fitted[i], cx, name_y + row, &lf, Align::Center)?;
            continue;
        }
        // The verdict above the pair, shortened where the pair is narrow.
        // (At the table's places, with more where they would print a margin that is not 0
        // as 0, as the table's advantage: helper-188, "by 0.000" read as a tie.)
        let full = if table_places > 2 {
            crate::report::table::money_apart(t.npv_advantage.abs(), table_places)
        } else {
            amount(t.npv_advantage.abs())
        };
        let margin = if written_short || c.text_width(&format!("by {full}"), &vf2) > w {
            scale::compact(f(t.npv_advantage.abs()))
        } else {
            full
        };
        let (winner, long) = match t.winner {
            Winner::Tie => ("a tie", "a tie".to_string()),
            Winner::Equity => ("equity", "equity ahead".to_string()),
            Winner::ProfitShare => (regime_a, format!("{regime_a} ahead")),
        };
        let base = highest - 14.0 - sf.cap_height();
        if t.winner == Winner::Tie {
            // A tie whose bars still differ (amounts near the 6th place, where the tie rule
            // rounds): said to be a tie at those places (helper-137: "a tie" over bars 17%
            // apart).
            let tie = if t.npv_advantage.is_zero() || c.text_width("a tie at 6 places", &vf) > w {
                winner
            } else {
                "a tie at 6 places"
            };
            c.text(&c.fit(tie, &vf, w), cx, base, &vf, Align::Center)?;
        } else {
            // Where "profit share ahead" is too wide, the deal alone over "ahead by" the
            // margin, or "by" it: a margin written "+5,332,007" under the deal's name read
            // as that deal's NPV (helper-303).
            let (line1, line2) = if c.text_width(&long, &vf) <= w {
                (long, format!("by {margin}"))
            } else if c.text_width(&format!("ahead by {margin}"), &vf2) <= w {
                (winner.to_string(), format!("ahead by {margin}"))
            } else {
                (winner.to_string(), format!("by {margin}"))
            };
            c.text(&c.fit(&line1, &vf, w), cx, base - 24.0, &vf, Align::Center)?;
            c.text(&c.fit(&line2, &vf2, w), cx, base, &vf2, Align::Center)?;
        }
        // Name and break-even scale under the pair.
        c.text(&fitted[i], cx, name_y, &lf, Align::Center)?;
        // The scale alone where the label with its places does not fit (the legend says what
        // a break-even is): a scale of 1.0000000003 made 7 pairs "too many to label"
        // (helper-190).
        let be = break_even(t.breakeven_scale);
        let be = match t.breakeven_scale {
            Some(k) if c.text_width(&be, &sf) > w => format!("{}\u{d7}", scale_places(k)),
            _ => be,
        };
        c.text(&c.fit(&be, &sf, w), cx, name_y + 24.0, &sf, Align::Center)?;
    }
    c.line(&[(plot.x0, zero), (plot.x1, zero)], frame::AXIS, 1.0)?;

    let mut items = vec![
        Item::Heading("Deal".into()),
        Item::Bar(
            frame::tint(frame::INK, PALE),
            frame::INK,
            true,
            regime_a.into(),
        ),
        Item::Bar(frame::INK, frame::INK, false, "equity stake".into()),
        Item::Note("Each pair takes its trajectory's colour.".into()),
    ];
    items.extend(colors.shared_note(all.iter().map(|t| t.name.as_str())));
    // What the cloud side weighs in the featured pair: it can decide the answer (the
    // built-in `base`: the profit share ahead by 29.3 with it, equity by 151.9 without).
    // At the table's places, as the bars (helper-303: "ahead by 0.027" where the table
    // printed 0.0265).
    if let Some(note) = super::cloud_note(model) {
        // (The trajectory waterfall.png and cloud.png feature: `-t`'s, else the headline.)
        let featured = super::featured_trajectory(comparison, ctx).ok();
        let weight = featured.map(|t| {
            let without = crate::report::table::advantage_without_cloud(t);
            let side = match crate::engine::Winner::of(without) {
                crate::engine::Winner::Equity => {
                    format!("equity is ahead by {}", amount(without))
                }
                crate::engine::Winner::ProfitShare => format!(
                    "{} is ahead by {}",
                    model.profit_share_short(),
                    amount(-without)
                ),
                crate::engine::Winner::Tie => "the two are equal".to_string(),
            };
            format!(
                " In `{}` it is {} of {}'s NPV and {} of the equity stake's; without it, {side}.",
                super::name_in_charts(&t.name),
                amount(t.profit_share.measures.npv_cloud),
                model.profit_share_short(),
                amount(t.equity.measures.npv_cloud)
            )
        });
        items.push(Item::Gap);
        items.push(Item::Note(format!("{note}{}", weight.unwrap_or_default())));
    }
    items.push(Item::Gap);
    if crowded {
        items.push(Item::Note(format!(
            "{} pairs are too many to label: each pair's NPVs, the deal worth more and by how much, and the break-even scale are in comparison.csv (compare --out).",
            all.len()
        )));
    } else {
        if values_left_out > 0 {
            // (helper-303: nine pairs of seven-digit NPVs showed two values, and nothing
            // said where the other sixteen were.)
            items.push(Item::Note(match values_left_out {
                1 => "1 bar's value is too wide to write on it; it is in comparison.csv (compare --out).".to_string(),
                n => format!("{n} bars' values are too wide to write on them; they are in comparison.csv (compare --out)."),
            }));
            items.push(Item::Gap);
        }
        items.push(Item::Heading("Break-even".into()));
        items.push(Item::Note(
            "The factor on every valuation of the trajectory at which the two NPVs are equal; none where no factor, down or up to 1000\u{d7}, does it."
                .into(),
        ));
    }
    frame::legend(c, legend, &items)
}

/// The break-even scale as written under a pair: as the table writes it, with more places
/// where 2 would show 1.00 (or 0.00) for a scale that is not (helper-189: "1.00x" under a
/// pair the table gives 1.0001x).
fn break_even(scale: Option<Decimal>) -> String {
    match scale {
        Some(k) => format!("break-even {}\u{d7}", scale_places(k)),
        None => "break-even: none".to_string(),
    }
}

/// The break-even label at 2 places: what decides whether the pairs are too many to label
/// (with its places a scale near 1 is wider, and is written alone where it does not fit).
fn break_even_at_two_places(scale: Option<Decimal>) -> String {
    match scale {
        Some(k) => format!("break-even {}\u{d7}", fixed(k, 2)),
        None => break_even(None),
    }
}

/// A scale as the table writes it, without its `x`.
fn scale_places(k: Decimal) -> String {
    crate::report::table::times(k)
        .trim_end_matches('x')
        .to_string()
}

/// A rate as a percentage without needless zeros: 9%, 7.5%.
fn rate(r: Decimal) -> String {
    let s = fixed(r * Decimal::ONE_HUNDRED, 4);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{}%", scale::pretty(s))
}
