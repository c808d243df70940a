//! `waterfall.png`: where each year's distributable profit goes under the profit share,
//! party by party (a stacked bar a year, since each year's split is its own amount: the
//! investor at the bottom, the residual on top), for one trajectory, with the years in which
//! a tier is finished or a cap is reached marked and named. Tiers are named as `check`,
//! `explain` and the error messages name them, counting from 0: ``tiers[0] `Recoup` ``.
//! The data is the engine's waterfall record; nothing is recomputed.
//!
//! The built-in model's `base`, drawn when no trajectory is named. Microsoft's caps are met
//! exactly: 13 in `tiers[0]`, 92 in all (SPEC 3.2). In `tiers[1]` `others` takes 49% of each slice
//! as Microsoft does, so Microsoft, with 79 to go, is capped before `others` reaches 150;
//! then the nonprofit, the residual, takes the rest:
//!
//! ```
//! use stakeshift::chart::{Chart, ChartContext, Size};
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let ctx = ChartContext::new(&loaded.label, &loaded.text, Size::DEFAULT, None);
//! let svg = Chart::Waterfall.svg(&loaded.model, &comparison, &ctx)?;
//! let svg = String::from_utf8(svg).unwrap();
//! let texts: Vec<&str> = svg.split("<text").skip(1)
//!     .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect();
//! assert!(texts[1].ends_with("profit share, trajectory `base`, in USD bn a year"));
//! // Losses carried forward (SPEC 3.1) are earned back in 2033, and tiers[0] ends then.
//! let named = texts.iter().position(|t| t.starts_with("no distributable")).unwrap();
//! assert_eq!(texts[named..named + 4], ["no distributable profit before 2033",
//!     "2033: tiers[0] `Microsoft recoups its investment` finished",
//!     "2035: tiers[1] cap reached by microsoft",
//!     "2036: tiers[1] `Capped split` finished: the rest goes to nonprofit"]);
//! // The legend's list of tiers, named the same way.
//! let at = texts.iter().position(|t| *t == "Tiers").unwrap();
//! assert_eq!(texts[at + 1..at + 3], ["tiers[0] `Microsoft recoups its investment`",
//!     "tiers[1] `Capped split`"]);
//! // The parties, top of the stack first, with what each receives in 2019-2045.
//! let at = texts.iter().position(|t| *t == "Party").unwrap();
//! assert!(texts[at + 1].starts_with("nonprofit (residual): "));
//! assert_eq!(texts[at + 2..at + 4], ["others: 150.0", "microsoft (investor): 92.0"]);
//! let png = Chart::Waterfall.png(&loaded.model, &comparison, &ctx)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! assert_eq!(png[16..24], [1600u32.to_be_bytes(), 900u32.to_be_bytes()].concat());
//! # Ok::<(), stakeshift::Error>(())
//! ```

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};
use rust_decimal::Decimal;

use super::canvas::{Align, Canvas, Draw, Rect};
use super::frame::{self, Item, Layout};
use super::scale::{self, Linear, Ticks, f};
use super::{ChartContext, featured_trajectory};
use crate::compare::Comparison;
use crate::engine::waterfall::Event;
use crate::model::{Model, PartyId, Year};

const ROW: f64 = 25.0;

/// The first trajectory with distributable profit in some year, if any.
fn distributing(comparison: &Comparison) -> Option<&crate::engine::TrajectoryResult> {
    comparison.trajectories.iter().find(|t| {
        t.waterfall
            .by_party
            .iter()
            .any(|split| split.iter().any(|v| *v > Decimal::ZERO))
    })
}

/// A named year on the chart.
struct Mark {
    year: Year,
    text: String,
    /// The text with tiers named by index alone (`tiers[1]`), for the legend's numbered
    /// list, which the list of tiers below it names (helper-119: eight tiers of long names
    /// left room to name four of eight marked years).
    short: String,
    color: RGBColor,
}

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    model: &Model,
    comparison: &Comparison,
    ctx: &ChartContext,
) -> Draw {
    let t = featured_trajectory(comparison, ctx).map_err(|e| e.to_string())?;
    // A deal of a revenue share alone: the investor has no share of the split drawn
    // (helper-281).
    let revenue_share_alone = crate::engine::Regime::ProfitShare.label_in(model) == "revenue share";
    let Layout { content, legend } = frame::frame(
        c,
        &model.name,
        &format!(
            "Where each year's distributable profit goes{}, trajectory `{}`, in {} a year",
            if revenue_share_alone {
                ""
            } else {
                " under the profit share"
            },
            t.name,
            model.unit
        ),
        ctx,
    )?;

    let investor = model.investor.party;
    let residual = model.profit_share.residual;
    // Stacking order: the investor at the bottom, the residual on top.
    let mut order: Vec<PartyId> = vec![investor];
    order.extend((0..model.parties.len()).filter(|p| *p != investor && *p != residual));
    if residual != investor {
        order.push(residual);
    }
    let party_color = |k: usize| frame::color(k);

    let first = model.start_year;
    let years: Vec<Year> = (0..t.waterfall.by_party.len())
        .map(|i| first + i as Year)
        .collect();
    let last = *years.last().unwrap_or(&first);
    // stacks[k][i]: the top of party order[k]'s band in year i.
    let mut stacks: Vec<Vec<f64>> = Vec::with_capacity(order.len());
    let mut running = vec![Decimal::ZERO; years.len()];
    for &p in &order {
        for (i, split) in t.waterfall.by_party.iter().enumerate() {
            running[i] += split[p];
        }
        stacks.push(running.iter().map(|v| f(*v)).collect());
    }
    let max = stacks
        .last()
        .map_or(0.0, |s| s.iter().cloned().fold(0.0, f64::max));

    let marks = marks(model, t);

    // Vertical layout: axis title, then the rows of named years, then the plot.
    let target = ((content.height() / 80.0) as usize).clamp(3, 10);
    let ticks = scale::nice_ticks(0.0, max, target);
    let label = |v: f64, t: &Ticks| scale::tick_label(v, t);
    let label_w = frame::y_label_width(c, &ticks, &label);
    let x0 = (content.x0 + label_w + 12.0).round();
    let x1 = content.x1.round();
    // Half a year of room either side, so that the first and last years' bars fit.
    let x = Linear::new((f64::from(first) - 0.5, f64::from(last) + 0.5), (x0, x1));
    let mf = frame::small_font();
    let labelled: Vec<(f64, String)> = marks
        .iter()
        .map(|m| (x.map(f64::from(m.year)), m.text.clone()))
        .collect();
    // At most half the chart's height of marks (helper-238: 90 tiers finishing a
    // year apart stacked 31 rows of badges, which pushed the plot below the footer); past
    // it the dotted lines alone, and a note.
    let max_rows = ((content.height() / 2.0 / ROW).floor() as usize).max(3);
    let placed = frame::markers(c, &labelled, x0, x1, &mf, max_rows, max_rows);
    // Marks too many to number take no band of rows: their dotted lines run the plot's
    // height (helper-239: the band stayed, empty, half the chart).
    let rows = if placed.overflow { 0 } else { placed.rows };
    let band_top = content.y0 + 34.0;
    let plot = Rect {
        x0,
        y0: (band_top + rows as f64 * ROW + 10.0).round(),
        x1,
        y1: (content.y1 - 34.0).round(),
    };
    let y = Linear::new((ticks.lo, ticks.hi), (plot.y1, plot.y0));
    frame::y_axis(c, plot, &y, &ticks, &label)?;
    frame::y_axis_title(
        c,
        content.x0,
        band_top - 2.0,
        plot.x1,
        &format!("{} a year", model.unit),
    )?;
    frame::x_years(c, plot, &x, first, last)?;

    // A bar a year, 0.8 of a year wide, each party's band from the top of the one below
    // (tops rounded to the pixel, so that the bands meet exactly).
    for (i, year) in years.iter().enumerate() {
        let (left, right) = (
            x.map(f64::from(*year) - 0.4).round(),
            x.map(f64::from(*year) + 0.4).round(),
        );
        let mut below = y.map(0.0).round();
        for (k, stack) in stacks.iter().enumerate() {
            let top = y.map(stack[i]).round();
            if top < below {
                let band = Rect {
                    x0: left,
                    y0: top,
                    x1: right.max(left + 1.0),
                    y1: below,
                };
                c.fill_rect(band, party_color(k).to_rgba())?;
                below = top;
            }
        }
    }
    c.line(
        &[(plot.x0, y.map(0.0).round()), (plot.x1, y.map(0.0).round())],
        frame::AXIS,
        1.0,
    )?;

    // Nothing distributable at the start: say so in the empty space.
    let total = stacks.last().cloned().unwrap_or_default();
    let lead = total.iter().take_while(|v| **v <= 0.0).count();
    if lead == years.len() {
        let middle = (plot.y0 + plot.y1) / 2.0;
        c.text(
            "no distributable profit in any year",
            (plot.x0 + plot.x1) / 2.0,
            middle,
            &frame::label_font(),
            Align::Center,
        )?;
        // Drawn by default (no trajectory named) and empty: name one that has some
        // (helper-276: a model without `base` featured its first trajectory, which
        // distributed nothing, and did not say that another would show the split).
        if let Some(other) = ctx
            .trajectory
            .is_none()
            .then(|| distributing(comparison))
            .flatten()
        {
            // The command with the name in full where it fits, else with NAME (helper-282:
            // a long name's line was too wide and left out); with the run's --sets, which
            // the footer lists, where there are any.
            let options = if ctx.overrides.is_empty() {
                ""
            } else {
                " with this run's --set options"
            };
            let lf = frame::label_font().with_color(frame::FAINT);
            let short = super::name_in_charts(&other.name);
            // (Then without the options' words: helper-283, a name of 40 wide characters
            // left no room for them.)
            let name = crate::error::shell_arg(&other.name);
            let fitting = [(name.as_str(), options), ("NAME", options), ("NAME", "")]
                .into_iter()
                .map(|(name, options)| {
                    format!(
                        "trajectory `{short}` has some: `stakeshift chart MODEL -t {name} --out DIR`{options} draws it"
                    )
                })
                .find(|text| c.text_width(text, &lf) < plot.width() - 20.0);
            if let Some(text) = fitting {
                c.text(
                    &text,
                    (plot.x0 + plot.x1) / 2.0,
                    middle + ROW,
                    &lf,
                    Align::Center,
                )?;
            }
        }
    } else if lead >= 2 {
        let (a, b) = (x.map(f64::from(first)), x.map(f64::from(years[lead - 1])));
        let text = format!("no distributable profit before {}", years[lead]);
        let lf = frame::label_font();
        if c.text_width(&text, &lf) < b - a - 20.0 {
            c.text(
                &text,
                (a + b) / 2.0,
                y.map(ticks.hi / 2.0),
                &lf.with_color(frame::FAINT),
                Align::Center,
            )?;
        }
    }

    // Named years: a dotted line from the plot's foot up to the label's row.
    for (i, (p, m)) in placed.labels.iter().zip(&marks).enumerate() {
        if placed.overflow {
            c.dashed(&[(p.px, plot.y1), (p.px, plot.y0)], m.color, 1.5, 4.0, 3.0)?;
        } else {
            let mid = band_top + p.row as f64 * ROW + 5.0;
            c.dashed(&[(p.px, plot.y1), (p.px, mid)], m.color, 1.5, 4.0, 3.0)?;
            placed.draw_label(c, i, mid, m.color, &mf)?;
        }
    }

    // Legend: the parties, top of the stack first, with what each receives in all; those
    // that receive nothing, which no bar shows, named together after them (helper-220:
    // with many parties the legend's "(+4 more)" hid the investor behind three entries of
    // 0.00).
    let mut items = Vec::new();
    // First, so that a long list of parties cannot push it out of the legend (helper-239).
    if placed.overflow {
        items.push(Item::Note(format!(
            "Dotted lines: {} years in which a tier finished, a cap was reached or AGI was declared, too many to number here: `stakeshift explain MODEL -t TRAJECTORY --year YEAR` takes one apart.",
            marks.len()
        )));
        items.push(Item::Gap);
    }
    items.push(Item::Heading("Party".into()));
    let total_of = |p: usize| -> Decimal { t.waterfall.by_party.iter().map(|s| s[p]).sum() };
    let listed = order
        .iter()
        .enumerate()
        .rev()
        .filter(|&(_, &p)| p == investor || !total_of(p).is_zero());
    for (k, &p) in listed {
        let role = if p == investor {
            " (investor)"
        } else if p == residual {
            " (residual)"
        } else {
            ""
        };
        let total = total_of(p);
        items.push(Item::Amount(
            party_color(k),
            format!("{}{role}", model.party_name(p)),
            scale::amount(total),
            scale::compact(f(total)),
        ));
    }
    // At most a few named, so that the note never crowds out the notes after it (helper-
    // 221: 60 such parties left no room for the tiers' key).
    const NAMED_IDLE: usize = 8;
    let nothing: Vec<&str> = order
        .iter()
        .rev()
        .filter(|&&p| p != investor && total_of(p).is_zero())
        .map(|&p| model.party_name(p))
        .collect();
    let shown = nothing
        .iter()
        .take(NAMED_IDLE)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    match nothing.len() {
        0 => {}
        n if n <= NAMED_IDLE => items.push(Item::Note(format!("Receiving nothing: {shown}."))),
        n => items.push(Item::Note(format!(
            "Receiving nothing ({n}): {shown} and {} more.",
            n - NAMED_IDLE
        ))),
    }
    // What else the investor receives under the profit share, which the split leaves out
    // (helper-276: "received in all" of microsoft's 92.0 read as all it got, beside a
    // revenue share of 99.6 and cloud income).
    let rows = &t.profit_share.rows;
    let revenue_share: Decimal = rows.iter().map(|r| r.revenue_share).sum();
    let cloud_income: Decimal = rows.iter().map(|r| r.cloud_income).sum();
    let besides: Vec<String> = [
        (revenue_share, "a revenue share"),
        (cloud_income, "cloud income"),
    ]
    .iter()
    .filter(|(v, _)| !v.is_zero())
    .map(|(v, what)| format!("{what} of {}", scale::amount(*v)))
    .collect();
    let investor_name = super::investor_in_charts(model);
    let besides = if besides.is_empty() {
        String::new()
    } else if revenue_share_alone {
        // (helper-281: "under the profit share ... also has" of an investor this split
        // pays nothing.)
        format!(
            " {} has no share of this split: its deal is {}, not drawn here.",
            super::investor_to_begin_a_sentence(model),
            besides.join(" and ")
        )
    } else {
        format!(
            " Under the profit share {investor_name} also has {}, not drawn here.",
            besides.join(" and ")
        )
    };
    items.push(Item::Note(format!(
        "Amounts after the colon: received from the split in all, {first}\u{2013}{last}.{besides}"
    )));
    if placed.numbered && !placed.overflow {
        items.push(Item::Gap);
        items.push(Item::Heading("Marked years".into()));
        for (i, m) in marks.iter().enumerate() {
            items.push(Item::Note(format!("{}. {}", i + 1, m.short)));
        }
    }
    items.push(Item::Gap);
    items.push(Item::Heading("Tiers".into()));
    for (i, tier) in model.profit_share.tiers.iter().enumerate() {
        items.push(Item::Note(tier_ref(i, &tier.name)));
    }
    items.push(Item::Gap);
    // Where the stake is held from the first year, no year has the split under the equity
    // deal: the sentence about it would describe nothing.
    // ("until the stake is held" read as "while"; helper-137.)
    let before_stake = if model.equity.from_year > first {
        format!(
            " Under the equity deal the same split applies until the stake begins, in {}.",
            model.equity.from_year
        )
    } else {
        String::new()
    };
    items.push(Item::Note(format!(
        "Distributable profit is profit after any losses carried forward are earned back.{before_stake}"
    )));
    frame::legend(c, legend, &items)
}

/// A tier as `check`, `explain` and the error messages name it, counting from 0:
/// ``tiers[0] `Recoup` ``. (The chart numbered tiers from 1, so that its "tier 1" was the
/// rest of the tool's `tiers[0]`.)
fn tier_ref(index: usize, name: &str) -> String {
    format!("tiers[{index}] `{name}`")
}

/// The named years of trajectory `t`: tiers finished, caps reached, AGI declared.
fn marks(model: &Model, t: &crate::engine::TrajectoryResult) -> Vec<Mark> {
    let tiers = &model.profit_share.tiers;
    let mut events: Vec<Event> = Vec::new();
    for e in &t.waterfall.events {
        if !events.contains(e) {
            events.push(*e);
        }
    }
    let mut out = Vec::new();
    for e in &events {
        match *e {
            Event::TierDone { year, tier } => {
                let next = if tier + 1 < tiers.len() {
                    String::new()
                } else {
                    format!(
                        ": the rest goes to {}",
                        super::name_in_charts(model.party_name(model.profit_share.residual))
                    )
                };
                out.push(Mark {
                    year,
                    text: format!(
                        "{year}: {} finished{next}",
                        tier_ref(tier, &tiers[tier].name)
                    ),
                    short: format!("{year}: tiers[{tier}] finished{next}"),
                    color: frame::INK,
                });
            }
            Event::CapReached { year, tier, party } => {
                // A cap reached in the year its tier finishes is said by the tier's end.
                if !events.contains(&Event::TierDone { year, tier }) {
                    let text = format!(
                        "{year}: tiers[{tier}] cap reached by {}",
                        super::name_in_charts(model.party_name(party))
                    );
                    out.push(Mark {
                        year,
                        short: text.clone(),
                        text,
                        color: frame::MUTED,
                    });
                }
            }
        }
    }
    if let Some(agi) = t.agi_year
        && (model.start_year..=model.end_year).contains(&agi)
    {
        let rights = if model.profit_share.investor_rights_end_at_agi {
            format!(": {}'s rights end", super::investor_in_charts(model))
        } else {
            String::new()
        };
        let text = format!("{agi}: AGI declared{rights}");
        out.push(Mark {
            year: agi,
            short: text.clone(),
            text,
            color: frame::color(4),
        });
    }
    out.sort_by_key(|m| m.year);
    // One mark a year, its events said together (helper-119: eight capped tiers made twelve
    // numbered marks in four years, and the legend had room to name seven of them).
    let mut merged: Vec<Mark> = Vec::with_capacity(out.len());
    for m in out {
        match merged.last_mut() {
            Some(last) if last.year == m.year => {
                let rest = |t: &str| t.split_once(": ").map_or(t, |(_, r)| r).to_string();
                last.text = format!("{}; {}", last.text, rest(&m.text));
                last.short = format!("{}; {}", last.short, rest(&m.short));
                if m.color == frame::INK {
                    last.color = frame::INK;
                }
            }
            _ => merged.push(m),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chart numbered tiers from 1 ("tier 1 … finished", "1. Microsoft recoups its
    /// investment") while `check`, `explain` and the error messages call the same tier
    /// `tiers[0]`: a reader could not match them. The marks and the legend name each tier
    /// as `check` does.
    #[test]
    fn regression_tiers_are_named_as_check_names_them() {
        let loaded = crate::io::load_model(None).unwrap();
        let model = &loaded.model;
        let comparison = crate::compare::compare(model, None).unwrap();
        let base = comparison
            .trajectories
            .iter()
            .find(|t| t.name == "base")
            .unwrap();
        let texts: Vec<String> = marks(model, base).into_iter().map(|m| m.text).collect();
        assert_eq!(
            texts,
            [
                "2033: tiers[0] `Microsoft recoups its investment` finished",
                "2035: tiers[1] cap reached by microsoft",
                "2036: tiers[1] `Capped split` finished: the rest goes to nonprofit",
            ]
        );
        // A long party's name is shortened in the notes as the investor's is in the
        // subtitles (helper-262: the notes named it whole, 60 characters and more).
        let long_investor = format!("microsoft_{}", "m".repeat(50));
        let long_residual = format!("nonprofit_{}", "n".repeat(50));
        let renamed = crate::BUILTIN_MODEL
            .replace("microsoft", &long_investor)
            .replace("nonprofit", &long_residual);
        let long_model = crate::model::parse_model(crate::model::ModelSource {
            text: &renamed,
            load: &mut |_| Err("no files".into()),
        })
        .unwrap();
        let comparison = crate::compare::compare(&long_model, None).unwrap();
        let base = comparison
            .trajectories
            .iter()
            .find(|t| t.name == "base")
            .unwrap();
        let texts: Vec<String> = marks(&long_model, base)
            .into_iter()
            .map(|m| m.text)
            .collect();
        assert_eq!(
            texts,
            [
                "2033: tiers[0] `Microsoft recoups its investment` finished".to_string(),
                // The first 26 characters and the last 12.
                format!(
                    "2035: tiers[1] cap reached by microsoft_{}\u{2026}{}",
                    "m".repeat(16),
                    "m".repeat(12)
                ),
                format!(
                    "2036: tiers[1] `Capped split` finished: the rest goes to nonprofit_{}\u{2026}{}",
                    "n".repeat(16),
                    "n".repeat(12)
                ),
            ]
        );
        // Each tier as the chart's legend names it is in `check`'s description.
        let check = crate::report::describe::describe(model);
        for (i, tier) in model.profit_share.tiers.iter().enumerate() {
            let named = tier_ref(i, &tier.name);
            assert!(check.contains(&format!("{named}:")), "{named}\n{check}");
        }
    }
}
