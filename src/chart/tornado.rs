//! `tornado.png`: which inputs move the answer most, for one trajectory (SPEC section 11).
//! One row per input, largest swing at the top: a bar from the model's NPV advantage to the
//! advantage with the input at its low value (upper half of the row) and one to the
//! advantage at its high value (lower half), each labelled past its end with the input's
//! value, clear of the bar and of the lines (past the zero line where it would sit on it).
//! The model's own advantage is a vertical line; zero, where on the axis, a grey one.
//! Inputs are named by their path (`equity.stake`). An input that leaves the advantage as
//! it is at both values (a participation of 0..0) has no bar: it is left out, and the
//! legend says how many are and which.
//!
//! Three inputs, given in no order: the rows are drawn by swing, its sign ignored:
//!
//! ```
//! use stakeshift::chart::{ChartContext, ModelLabels, Size, TornadoChart, TornadoRow};
//!
//! let labels = ModelLabels::of(&stakeshift::io::load_model(None)?.model); // built in
//! let row = |input: &str, low, high, advantage_low, advantage_high: f64| TornadoRow {
//!     input: input.into(), low, high, advantage_low, advantage_high,
//!     swing: advantage_high - advantage_low };
//! let rows = [
//!     row("equity.stake", 0.2025, 0.3375, 10.0, 70.0), // 0.27 +- 25%: swing 60
//!     row("scale.valuation", 0.75, 1.25, -20.0, 100.0), // swing 120
//!     row("discount_rate", 0.0675, 0.1125, 90.0, 5.0), // swing -85
//! ];
//! let chart = TornadoChart { labels: &labels, trajectory: "base", base_advantage: 40.0,
//!     rows: &rows };
//! let ctx = ChartContext::new("m.toml", "", Size::DEFAULT, None);
//! let svg = String::from_utf8(chart.svg(&ctx)?).unwrap();
//! let texts: Vec<&str> = svg.split("<text").skip(1)
//!     .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect();
//! // Each input's name, then its low and high value at the ends of its bars.
//! let at = texts.iter().position(|t| *t == "scale.valuation").unwrap();
//! assert_eq!(texts[at..at + 10], ["scale.valuation", "0.75", "1.25", "discount_rate",
//!     "0.0675", "0.1125", "equity.stake", "0.2025", "0.3375", "model: 40.0"]);
//! let png = chart.png(&ctx)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! assert_eq!(png[16..24], [1600u32.to_be_bytes(), 900u32.to_be_bytes()].concat());
//! # Ok::<(), stakeshift::Error>(())
//! ```

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};

use super::canvas::{Align, Canvas, Draw, Rect};
use super::frame::{self, Item, Layout};
use super::scale::{self, Linear, Ticks};
use super::{ChartContext, Figure, ModelLabels};
use crate::error::Error;

/// One row of `tornado.csv` for the chart's trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoRow {
    /// The input's path: `equity.stake`, `scale.valuation`.
    pub input: String,
    pub low: f64,
    pub high: f64,
    pub advantage_low: f64,
    pub advantage_high: f64,
    pub swing: f64,
}

/// The tornado chart's input: the rows (drawn largest swing first, whatever their order)
/// and the model's own NPV advantage for the trajectory.
#[derive(Debug, Clone, Copy)]
pub struct TornadoChart<'a> {
    pub labels: &'a ModelLabels,
    pub trajectory: &'a str,
    pub base_advantage: f64,
    pub rows: &'a [TornadoRow],
}

super::plain_data_chart!(TornadoChart<'_>, "tornado");

/// The input at its low value, and at its high value.
/// The legend's name for the zero line.
const ZERO_LABEL: &str = "zero: a tie";
// Light and dark grey, low and high: no hue, so that a bar does not read as a deal (blue is
// the equity stake's and orange the profit share's in fan.png, distribution.png and the
// heatmap: helper-303, a blue "high value" bar pointing left read as the equity stake).
const LOW: RGBColor = RGBColor(0xB8, 0xB8, 0xB8);
const HIGH: RGBColor = RGBColor(0x4A, 0x4A, 0x4A);
const MIN_ROW: f64 = 26.0;
const MAX_ROW: f64 = 84.0;

impl Figure for TornadoChart<'_> {
    fn stem(&self) -> &'static str {
        "tornado"
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>, ctx: &ChartContext) -> Draw {
        let l = self.labels;
        let Layout { content, legend } = frame::frame(
            c,
            &l.name,
            &format!(
                "What moves the NPV advantage of the equity stake over {} to {} most, in `{}`, in {}: each input alone at its low and high value",
                l.profit_share,
                // Long names shortened in their middle, so that the sentence keeps its end
                // (helper-257: a trajectory's name of 60 characters cut it to "each i…";
                // helper-260: an investor's of 90).
                // (The investor's name comes shortened: `investor_in_charts`; cut again, it
                // showed two ellipses: helper-263.)
                l.investor,
                c.fit_name(self.trajectory, &frame::subtitle_font(), 360.0),
                l.unit
            ),
            ctx,
        )?;
        let base = if self.base_advantage.is_finite() {
            self.base_advantage
        } else {
            0.0
        };
        // An input with a value the model cannot run (its advantage is empty in
        // tornado.csv) is drawn on its other side; one with neither is left out, and the
        // legend says so (such a row vanished without a word, though its one side could be
        // the largest effect of all).
        let (rows, unrun): (Vec<&TornadoRow>, Vec<&TornadoRow>) = self
            .rows
            .iter()
            .partition(|r| r.advantage_low.is_finite() || r.advantage_high.is_finite());
        // An input that moves nothing (the advantage at both its values is the model's, as
        // for a participation of 0..0) has no bar: it was drawn as an empty row, with
        // its values at the model's line. It is left out, and counted in the legend; it
        // stays in tornado.csv.
        let (mut rows, still): (Vec<&TornadoRow>, Vec<&TornadoRow>) = rows
            .into_iter()
            .partition(|r| !(r.advantage_low == base && r.advantage_high == base));
        // Among them, one whose low and high are the same value was not varied at all (a
        // participation of 0 by +-25%): said so, with the way to vary it, rather than that
        // it leaves the advantage as it is (helper-257: a participation of 0..20 moves
        // `base` by 5.60).
        let (unvaried, still): (Vec<&TornadoRow>, Vec<&TornadoRow>) =
            still.into_iter().partition(|r| r.low == r.high);
        let one_sided = rows
            .iter()
            .filter(|r| !(r.advantage_low.is_finite() && r.advantage_high.is_finite()))
            .count();
        // Largest swing first; a row drawn on one side by how far that side reaches.
        rows.sort_by(|a, b| {
            let key = |r: &TornadoRow| {
                if r.swing.is_finite() {
                    r.swing.abs()
                } else {
                    [r.advantage_low, r.advantage_high]
                        .iter()
                        .filter(|a| a.is_finite())
                        .map(|a| (a - base).abs())
                        .fold(-1.0, f64::max)
                }
            };
            key(b).total_cmp(&key(a))
        });
        let mut items = vec![
            Item::Heading("Input at its".into()),
            Item::Swatch(frame::tint(LOW, 0.15), "low value".into()),
            Item::Swatch(frame::tint(HIGH, 0.15), "high value".into()),
            Item::Gap,
            Item::Line(frame::INK, false, 2.0, "the model's advantage".into()),
            Item::Line(frame::AXIS, false, 1.5, ZERO_LABEL.into()),
            Item::Gap,
        ];
        if one_sided > 0 {
            items.push(Item::Note(format!(
                "{one_sided} {} at a value the model cannot run (\"no result\"): drawn on the other side only.",
                if one_sided == 1 { "input" } else { "inputs" }
            )));
        }
        if !still.is_empty() {
            let names: Vec<&str> = still.iter().map(|r| r.input.as_str()).collect();
            items.push(Item::Note(match names.len() {
                1 => format!(
                    "1 input not drawn, as it leaves the advantage as it is at both its values (tornado.csv has it): {}.",
                    names[0]
                ),
                k if k <= 3 => format!(
                    "{k} inputs not drawn, as they leave the advantage as it is at both their values (tornado.csv has them): {}.",
                    names.join(", ")
                ),
                k => format!(
                    "{k} inputs not drawn, as they leave the advantage as it is at both their values (tornado.csv has them)."
                ),
            }));
        }
        if !unvaried.is_empty() {
            let names: Vec<&str> = unvaried.iter().map(|r| r.input.as_str()).collect();
            let (count, these) = match names.len() {
                1 => ("1 input".to_string(), format!(": {}", names[0])),
                k if k <= 3 => (format!("{k} inputs"), format!(": {}", names.join(", "))),
                k => (format!("{k} inputs"), " (tornado.csv has them)".to_string()),
            };
            let (its, it) = if names.len() == 1 {
                ("its", "it")
            } else {
                ("their", "them")
            };
            // Why, where it is the default range of a 0 (+-25% of 0); a range given as one
            // value is the user's own (helper-258: `--vary equity.stake=0.27..0.27` was
            // told "25% of 0 is 0").
            // Said as what it is, both 0, which +-25% of 0 gives too: the chart does not
            // know whether the range was the default or given (helper-261: `--vary
            // equity.terminal_discount=0..0` was blamed on 25% of 0).
            let same = if unvaried.iter().all(|r| r.low == 0.0) {
                "both 0 (as +-25% of 0 is; "
            } else {
                "the same ("
            };
            items.push(Item::Note(format!(
                "{count} not varied, {its} low and high {same}give {it} a range with --vary){these}."
            )));
        }
        if !unrun.is_empty() {
            items.push(Item::Note(format!(
                "Not drawn, the model cannot run at either value: {}.",
                unrun
                    .iter()
                    .map(|r| r.input.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if rows.is_empty() {
            // No bar and no line is drawn: the legend keeps only its notes.
            items.retain(|item| matches!(item, Item::Note(_)));
            let f = frame::label_font();
            c.text(
                if still.is_empty() {
                    "No inputs to vary."
                } else {
                    "No input changes the advantage at its low or high value."
                },
                content.x0,
                content.y0 + 60.0,
                &f,
                Align::Left,
            )?;
            return frame::legend(c, legend, &items);
        }

        let lf = frame::label_font();
        let sf = frame::small_font();
        let names_w = rows
            .iter()
            .map(|r| c.text_width(&r.input, &lf))
            .fold(0.0, f64::max)
            .min(content.width() * 0.3);
        let area = Rect {
            x0: (content.x0 + names_w + 16.0).round(),
            y0: (content.y0 + 44.0).round(),
            x1: content.x1.round(),
            y1: (content.y1 - 62.0).round(),
        };
        let fit_rows = ((area.height() / MIN_ROW) as usize).max(1);
        let shown = rows.len().min(fit_rows);
        if shown < rows.len() {
            items.push(Item::Note(format!(
                "{} inputs with smaller swings are not drawn.",
                rows.len() - shown
            )));
        }
        let rows = &rows[..shown];
        // Rows rank by swing, |high - low| (SPEC 11), among the rows drawn: an input whose two
        // values move the advantage the same way has a small swing and long bars, and can sit
        // below every shorter bar (helper-257: AGI years 2031..2033 took `base` from -29.3 to
        // +13.6 either way, a swing of 0, ranked under a stake whose bars move it by 9).
        let reach = |r: &TornadoRow| {
            [r.advantage_low, r.advantage_high]
                .iter()
                .filter(|a| a.is_finite())
                .map(|a| (a - base).abs())
                .fold(0.0, f64::max)
        };
        let mut shortest_above = f64::INFINITY;
        let mut below_shorter: Vec<&str> = Vec::new();
        for r in rows {
            // (Two values, not one value given as a range, and both run: helper-260.)
            let alike =
                r.low != r.high && (r.advantage_low - base) * (r.advantage_high - base) > 0.0;
            if alike && reach(r) > shortest_above * (1.0 + 1e-9) {
                below_shorter.push(r.input.as_str());
            }
            shortest_above = shortest_above.min(reach(r));
        }
        if !below_shorter.is_empty() {
            let named = if below_shorter.len() <= 4 { 4 } else { 3 };
            let shown = below_shorter.len().min(named);
            let more = match below_shorter.len() - shown {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            items.push(Item::Note(format!(
                "Ranked by swing, |high - low|: {}{more} {} both ways alike and {} below shorter bars.",
                below_shorter[..shown].join(", "),
                if below_shorter.len() == 1 { "moves the advantage" } else { "move the advantage" },
                if below_shorter.len() == 1 { "sits" } else { "sit" },
            )));
        }
        let row_h = (area.height() / shown as f64).min(MAX_ROW);

        let (lo, hi) = rows.iter().fold((base, base), |(a, b), r| {
            (
                a.min(r.advantage_low).min(r.advantage_high),
                b.max(r.advantage_low).max(r.advantage_high),
            )
        });
        // Every advantage the same (all zero, say): a range around it, as the other charts
        // give an all-zero axis, not one a billionth wide whose ticks all read the same.
        let (lo, hi) = if hi - lo <= 1e-9 * hi.abs().max(lo.abs()).max(1.0) {
            let d = (hi.abs().max(lo.abs()) * 0.05).max(1.0);
            (lo - d, hi + d)
        } else {
            (lo, hi)
        };
        // Room at either end for the value labels.
        let span = (hi - lo).max(hi.abs().max(lo.abs()) * 1e-9).max(1e-9);
        let value_w = rows
            .iter()
            .flat_map(|r| [r.low, r.high])
            .map(|v| c.text_width(&scale::input_value(v), &sf))
            .fold(0.0, f64::max)
            + 12.0;
        let pad = span * value_w / (area.width() - 2.0 * value_w).max(100.0);
        let ticks = scale::span_ticks(lo - pad, hi + pad, 7);
        let x = Linear::new((ticks.lo, ticks.hi), (area.x0, area.x1));
        let plot = Rect {
            y1: area.y0 + row_h * shown as f64,
            ..area
        };

        // Grid, axis and the zero and model lines.
        for v in &ticks.values {
            let px = x.map(*v).round();
            c.line(&[(px, plot.y0), (px, plot.y1)], frame::GRID, 1.0)?;
        }
        let amt = |v: f64, t: &Ticks| scale::tick_label(v, t);
        frame::x_axis(c, plot, &x, &ticks, &amt)?;
        frame::x_axis_title(c, plot, &format!("NPV advantage, {}", l.unit))?;
        // The vertical lines a value label keeps clear of: the model's, and zero's.
        let mut lines = vec![x.map(base).round()];
        // Value labels stay on the chart, out of the names' column.
        let bounds = (area.x0 - 8.0, content.x1);
        if (ticks.lo..=ticks.hi).contains(&0.0) {
            let px = x.map(0.0).round();
            c.line(&[(px, plot.y0), (px, plot.y1)], frame::AXIS, 1.5)?;
            lines.push(px);
        } else {
            // No zero line on this axis: the legend names none (helper-51), and says where
            // zero is, as distribution.png does (the audit's D13: a reader took the axis's
            // left end for zero).
            items.retain(|item| !matches!(item, Item::Line(_, _, _, t) if t == ZERO_LABEL));
            items.push(Item::Note(
                if ticks.lo > 0.0 {
                    "Zero lies to the left of the axis, off the chart."
                } else {
                    "Zero lies to the right of the axis, off the chart."
                }
                .into(),
            ));
        }

        // Cut in the middle where too long, the end kept (helper-137: a path into a long
        // trajectory name lost its `.margin.points[1][1]`, the part that tells inputs apart).
        let inputs: Vec<&str> = rows.iter().map(|r| r.input.as_str()).collect();
        let labels = c.fit_names(&inputs, &lf, names_w);
        for (k, r) in rows.iter().enumerate() {
            let top = plot.y0 + row_h * k as f64;
            let mid = top + row_h / 2.0;
            let bar_h = (row_h * 0.36).min(20.0);
            c.text(
                &labels[k],
                area.x0 - 16.0,
                mid + lf.cap_height() / 2.0,
                &lf,
                Align::Right,
            )?;
            for (adv, value, col, y0, left) in [
                (r.advantage_low, r.low, LOW, mid - bar_h, true),
                (r.advantage_high, r.high, HIGH, mid, false),
            ] {
                if !adv.is_finite() {
                    // No bar: the value, and that it has no result, beside the model's line.
                    let text = format!("{}: no result", scale::input_value(value));
                    let ty = y0 + bar_h / 2.0 + sf.cap_height() / 2.0;
                    let bx = x.map(base);
                    let (tx, align) =
                        value_label((bx, bx), !left, c.text_width(&text, &sf), &lines, bounds);
                    c.text(&text, tx, ty, &sf, align)?;
                    continue;
                }
                let (a, b) = (x.map(base), x.map(adv));
                let rect = Rect {
                    x0: a.min(b).round(),
                    x1: a.max(b).round().max(a.min(b).round() + 1.0),
                    y0: y0.round(),
                    y1: (y0 + bar_h).round(),
                };
                c.fill_rect(rect, frame::tint(col, 0.15).to_rgba())?;
                let text = scale::input_value(value);
                let ty = y0 + bar_h / 2.0 + sf.cap_height() / 2.0;
                let (tx, align) = value_label(
                    (rect.x0, rect.x1),
                    adv >= base,
                    c.text_width(&text, &sf),
                    &lines,
                    bounds,
                );
                c.text(&text, tx, ty, &sf, align)?;
            }
        }
        let bx = x.map(base).round();
        c.line(&[(bx, plot.y0 - 8.0), (bx, plot.y1)], frame::INK, 2.0)?;
        let bf = frame::label_font().bold();
        let label = format!("model: {}", scale::number(base));
        let w = c.text_width(&label, &bf);
        let (tx, align) = if bx + 8.0 + w <= plot.x1 {
            (bx + 8.0, Align::Left)
        } else {
            (bx - 8.0, Align::Right)
        };
        c.text(&label, tx, plot.y0 - 16.0, &bf, align)?;
        items.push(Item::Note(
            "Each bar runs from the model's advantage to the advantage with that input alone changed; the input's value is written at the bar's end."
                .into(),
        ));
        // The default inputs are SPEC 11's, which leave the cloud side out: said where the
        // model sells compute and no bar varies it (helper-276: "what moves the advantage
        // most" ranked 13 inputs without cloud.margin, whose swing of +-25% in `base`,
        // 90.6, would rank 5th).
        let inputs = self.rows.iter().map(|r| r.input.as_str());
        let left_out =
            crate::sensitivity::tornado::cloud_side_left_out(l.cloud_note.is_some(), inputs);
        items.extend(left_out.map(|note| Item::Note(note.into())));
        frame::legend(c, legend, &items)
    }
}

/// The room between a value label and its bar.
const LABEL_GAP: f64 = 6.0;
/// How near a value label may come to the centre of the zero or the model's line: the line
/// is 1.5 or 2 px wide, and a label this near is clear of it.
const LINE_CLEAR: f64 = 4.0;

/// Where a bar's value label goes, `width` px wide: its x and alignment (`Left`: x is its
/// left edge; `Right`: its right edge). The bar spans `x0..x1` from the model's advantage
/// (its inner end) to the input's (its outer end, on the right when `right`). The label
/// goes past the outer end, clear of the bar; where that puts it on one of `lines` (the
/// zero and the model's line; it sat on the zero line and the line ran through its
/// digits), it moves on past the line. Where that would take it out of `bounds`, it goes on
/// the inner side of the model's line instead, the half-row's other side, which is empty
/// (each row's low bar is in its upper half and its high bar in the lower).
pub(crate) fn value_label(
    (x0, x1): (f64, f64),
    right: bool,
    width: f64,
    lines: &[f64],
    (lo, hi): (f64, f64),
) -> (f64, Align) {
    // The label's left edge past `from` (or its right edge before it), stepped past any line
    // it would sit on; None if it leaves `lo..hi`.
    let place = |right: bool, from: f64| -> Option<f64> {
        let mut left = if right {
            from + LABEL_GAP
        } else {
            from - LABEL_GAP - width
        };
        for _ in 0..=lines.len() {
            let on = lines
                .iter()
                .filter(|l| left < **l + LINE_CLEAR && left + width > **l - LINE_CLEAR)
                .fold(None, |far: Option<f64>, l| {
                    Some(match far {
                        Some(f) if right => f.max(*l),
                        Some(f) => f.min(*l),
                        None => *l,
                    })
                });
            match on {
                None => break,
                Some(l) if right => left = l + LINE_CLEAR + 2.0,
                Some(l) => left = l - LINE_CLEAR - 2.0 - width,
            }
        }
        (left >= lo && left + width <= hi).then_some(left)
    };
    let at = |left: f64, right: bool| {
        if right {
            (left, Align::Left)
        } else {
            (left + width, Align::Right)
        }
    };
    let (outer, inner) = if right { (x1, x0) } else { (x0, x1) };
    if let Some(left) = place(right, outer) {
        at(left, right)
    } else if let Some(left) = place(!right, inner) {
        at(left, !right)
    } else {
        // No room anywhere clear: past the bar's end, as it always was.
        at(
            if right {
                outer + LABEL_GAP
            } else {
                outer - LABEL_GAP - width
            },
            right,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Size;

    /// A bar whose end came just short of the zero line had its value label set across
    /// the line, which ran through the digits: the label is moved past the line, and
    /// where that leaves the chart, to the model's side of the bar; never on a line or on
    /// its own bar.
    #[test]
    fn regression_a_value_label_is_clear_of_the_zero_line_and_its_bar() {
        let clear = |(x, align): (f64, Align), width: f64, bar: (f64, f64), lines: &[f64]| {
            let left = if align == Align::Left { x } else { x - width };
            let right = left + width;
            for l in lines {
                assert!(
                    right <= l - 3.0 || left >= l + 3.0,
                    "label {left}..{right} on the line at {l}"
                );
            }
            assert!(
                right <= bar.0 || left >= bar.1,
                "label {left}..{right} on its bar {bar:?}"
            );
            (left, right)
        };
        let bounds = (0.0, 1000.0);
        // Model at 100, zero at 320; a bar to the right ending at 300, a label 40 wide: at
        // 306..346 it sat across zero. It goes past zero, on the same side.
        let lines = [100.0, 320.0];
        let bar = (100.0, 300.0);
        let placed = value_label(bar, true, 40.0, &lines, bounds);
        let (left, _) = clear(placed, 40.0, bar, &lines);
        assert!(left > 320.0 && left < 340.0, "{placed:?}");
        // The mirror image: a bar to the left ending at 340, zero at 320.
        let lines = [600.0, 320.0];
        let bar = (340.0, 600.0);
        let placed = value_label(bar, false, 40.0, &lines, bounds);
        let (_, right) = clear(placed, 40.0, bar, &lines);
        assert!(right < 320.0 && right > 300.0, "{placed:?}");
        // Past zero is off the chart: the label goes on the model's side of the bar.
        let lines = [500.0, 970.0];
        let bar = (500.0, 950.0);
        let placed = value_label(bar, true, 40.0, &lines, bounds);
        let (_, right) = clear(placed, 40.0, bar, &lines);
        assert!(right < 500.0, "{placed:?}");
        // A bar of no length at the model's line (an input that changes nothing), and a
        // label with no line near: where they always were, 6 px past the bar's end.
        let lines = [500.0, 320.0];
        assert_eq!(
            value_label((500.0, 501.0), true, 40.0, &lines, bounds),
            (507.0, Align::Left)
        );
        assert_eq!(
            value_label((400.0, 500.0), false, 40.0, &lines, bounds),
            (394.0, Align::Right)
        );
        // Two lines in a row: past both.
        let lines = [100.0, 310.0, 330.0];
        let bar = (100.0, 300.0);
        let placed = value_label(bar, true, 40.0, &lines, bounds);
        clear(placed, 40.0, bar, &lines);
    }

    /// An input the model could not run at one of its values (an empty cell in
    /// tornado.csv) vanished from the chart without a word, though its other side was the
    /// largest effect of all: it is drawn on that side, ranked by how far it reaches, its
    /// missing value marked "no result"; an input with neither side is named in the legend.
    #[test]
    fn regression_an_input_that_cannot_run_at_one_value_is_still_drawn() {
        let labels = ModelLabels {
            name: "m".into(),
            unit: "EUR m".into(),
            investor: "the fund".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        };
        let row = |input: &str, advantage_low: f64, advantage_high: f64| TornadoRow {
            input: input.into(),
            low: 0.75,
            high: 1.25,
            advantage_low,
            advantage_high,
            swing: advantage_high - advantage_low,
        };
        let rows = [
            row("equity.stake", 0.0, 2.0),
            row("scale.valuation", f64::NAN, 5.1),
            row("scale.revenue", f64::NAN, f64::NAN),
        ];
        let chart = TornadoChart {
            labels: &labels,
            trajectory: "flop",
            base_advantage: 1.0,
            rows: &rows,
        };
        let ctx = ChartContext::new("m.toml", "", Size::DEFAULT, None);
        let texts = crate::chart::tests::svg_texts(&chart.svg(&ctx).unwrap());
        // Largest first: scale.valuation reaches 4.1 from the model's 1.0, the stake 1.0.
        let at = texts.iter().position(|t| t == "scale.valuation").unwrap();
        assert_eq!(
            texts[at..at + 6],
            [
                "scale.valuation",
                "0.75: no result",
                "1.25",
                "equity.stake",
                "0.75",
                "1.25"
            ]
        );
        let all = texts.join(" ");
        assert!(
            all.contains("cannot run at either value: scale.revenue"),
            "{all}"
        );
        assert!(
            all.contains("1 input at a value the model cannot run"),
            "{all}"
        );
    }
}
