//! `sweep.png`: the NPV advantage (equity less profit share) across a grid of input values
//! (SPEC section 11).
//!
//! - One varied path: the advantage against the value, one line per trajectory (markers at
//!   the grid points), zero drawn solid, and each zero crossing (the root `solve` finds
//!   between the grid points where the advantage changes sign, or the straight-line
//!   estimate, marked `≈`, where it cannot be solved) ringed and labelled with its value:
//!   where the deal flips. The model's own value, where it sets one, is a dashed line.
//! - Two varied paths: a heatmap of the advantage for one trajectory, the first path across
//!   and the second up, in a diverging palette symmetric about zero (vermillion where the
//!   profit share is worth more, blue where equity is, a neutral grey only for a tie: an
//!   advantage that rounds to 0 at 6 places); any other cell is tinted at least a fifth of
//!   the way to its deal's colour, so that a small win's sign shows. The break-even
//!   contour is traced by marching squares over the grid, the model's own point ringed,
//!   and a colour bar in the unit.
//!
//! A heatmap from plain numbers: stake 0.2, 0.3, 0.4 across and a valuation scale of 0.5,
//! 1, 1.5 up; the advantage 400 a stake step plus 200 a scale step, 0 in the middle, where
//! the break-even line passes (the grid is row-major: stake 0.2 at each scale first):
//!
//! ```
//! use stakeshift::chart::{ChartContext, ModelLabels, Size};
//! use stakeshift::chart::{SweepChart, SweepSeries, VariedPath};
//!
//! let labels = ModelLabels::of(&stakeshift::io::load_model(None)?.model); // built in
//! let (stakes, scales) = ([0.2, 0.3, 0.4], [0.5, 1.0, 1.5]);
//! let varied = [VariedPath { path: "equity.stake", values: &stakes, current: Some(0.27) },
//!     VariedPath { path: "scale.valuation", values: &scales, current: Some(1.0) }];
//! let grid = [-600.0, -400.0, -200.0, -200.0, 0.0, 200.0, 200.0, 400.0, 600.0];
//! let series = [SweepSeries { trajectory: "bear", advantages: &[1.0; 9], index: 0,
//!     crossings: None },
//!     SweepSeries { trajectory: "base", advantages: &grid, index: 1, crossings: None }];
//! let chart = SweepChart { labels: &labels, varied: &varied, series: &series,
//!     trajectory: None };
//! let svg = chart.svg(&ChartContext::new("m.toml", "", Size::DEFAULT, None))?;
//! let svg = String::from_utf8(svg).unwrap();
//! let texts: Vec<&str> = svg.split("<text").skip(1)
//!     .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect();
//! assert!(texts[1].contains("in `base`")); // none named: `base`, not the first series
//! assert!(texts.contains(&"model")); // the model's own point, ringed
//! // The colour bar, symmetric about zero up to the largest |advantage|, 600:
//! assert!(texts.join(" ").contains("NPV advantage, USD bn \u{2212}600 \u{2212}400 \
//!     \u{2212}200 0 200 400 600"));
//! // 600 is full blue, -600 full vermillion, 0 (a tie) the neutral grey; each also a
//! // legend swatch.
//! let count = |c| svg.matches(c).count();
//! assert_eq!([count("#0072B2"), count("#D55E00"), count("#F2F2F2")], [2, 2, 2]);
//! # Ok::<(), stakeshift::Error>(())
//! ```

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};

use super::canvas::{Align, Canvas, Draw, Rect};
use super::fan::{EQUITY, PROFIT_SHARE};
use super::frame::{self, Item, Layout};
use super::scale::{self, Linear, Ticks};
use super::{ChartContext, Figure, ModelLabels};
use crate::engine::Num;
use crate::error::Error;

/// A varied input: its path (`equity.stake`), the grid's values in order, and the model's own
/// value of it (None where it has none, e.g. a key the file leaves out).
#[derive(Debug, Clone, Copy)]
pub struct VariedPath<'a> {
    pub path: &'a str,
    pub values: &'a [f64],
    pub current: Option<f64>,
}

/// One trajectory's NPV advantage at each grid point. With two varied paths the grid is
/// row-major, the first path's index the row: `advantages[i * second.values.len() + j]`.
#[derive(Debug, Clone, Copy)]
pub struct SweepSeries<'a> {
    pub trajectory: &'a str,
    pub advantages: &'a [f64],
    /// The trajectory's index in the model: its colour, as in `value.png`, `npv.png` and
    /// `stake.png` (not its place among the series drawn, which depends on `-t`).
    pub index: usize,
    /// Where the advantage is zero (one varied path), found by the caller (`sweep` solves
    /// each [`zero_brackets`] pair with the root finder `solve` uses). None: the chart
    /// estimates each linearly between grid points, and labels it so (≈).
    pub crossings: Option<&'a [Crossing]>,
}

/// Where a series' advantage is zero: the value, and whether it is exact (a grid value
/// where the deals tie, or a root found by the root finder) or a straight-line estimate
/// between grid points, labelled "≈" with the digits the grid's spacing supports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    pub value: f64,
    pub exact: bool,
}

/// Where a series' advantage is zero on a one-path grid, by index into its values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bracket {
    /// The deals tie at this grid value (an advantage that rounds to 0 at 6 places).
    At(usize),
    /// The advantage changes sign between these neighbouring grid values (neither a tie):
    /// `estimate` is the straight line's zero between them.
    Between { lo: usize, hi: usize, estimate: f64 },
}

/// Where the advantage crosses or touches zero along a one-path grid: a tie at a grid
/// value beside one that is not (the edges of a run of ties, where a deal starts or stops
/// winning: helper-202 found every grid value of a run ringed, the grid's first among
/// them), or a change of sign between neighbours (non-finite points skipped). None where
/// the deals tie at every grid value: every point a "break-even" tells nothing (the audit's
/// D7).
pub fn zero_brackets(values: &[f64], advantages: &[f64]) -> Vec<Bracket> {
    let pts: Vec<usize> = (0..values.len().min(advantages.len()))
        .filter(|&i| values[i].is_finite() && advantages[i].is_finite())
        .collect();
    if ties_everywhere(values, advantages) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (k, &i) in pts.iter().enumerate() {
        let a = advantages[i];
        if a.is_tie() {
            let before = k.checked_sub(1).map(|k| pts[k]);
            let after = pts.get(k + 1).copied();
            if [before, after]
                .into_iter()
                .flatten()
                .any(|j| !advantages[j].is_tie())
            {
                out.push(Bracket::At(i));
            }
            continue;
        }
        if let Some(&j) = pts.get(k + 1) {
            let b = advantages[j];
            if !b.is_tie() && ((a < 0.0 && b > 0.0) || (a > 0.0 && b < 0.0)) {
                let (x, x2) = (values[i], values[j]);
                out.push(Bracket::Between {
                    lo: i,
                    hi: j,
                    estimate: x + (x2 - x) * a / (a - b),
                });
            }
        }
    }
    out
}

/// Whether the deals tie at every (finite) grid value, of which there is at least one.
pub fn ties_everywhere(values: &[f64], advantages: &[f64]) -> bool {
    let mut finite = values
        .iter()
        .zip(advantages)
        .filter(|(x, a)| x.is_finite() && a.is_finite())
        .peekable();
    finite.peek().is_some() && finite.all(|(_, a)| a.is_tie())
}

impl Bracket {
    /// The crossing as estimated from the grid alone: a tie at a grid value is exact, a
    /// change of sign between two is linear.
    pub fn estimated(self, values: &[f64]) -> Crossing {
        match self {
            Bracket::At(i) => Crossing {
                value: values[i],
                exact: true,
            },
            Bracket::Between { estimate, .. } => Crossing {
                value: estimate,
                exact: false,
            },
        }
    }
}

/// The sweep chart's input: one or two varied paths and a series per trajectory. Its `png`,
/// `svg` and `files` are an error if there are not one or two varied paths, if a series has
/// not one advantage per grid point, or if the named trajectory is missing.
#[derive(Debug, Clone, Copy)]
pub struct SweepChart<'a> {
    pub labels: &'a ModelLabels,
    pub varied: &'a [VariedPath<'a>],
    pub series: &'a [SweepSeries<'a>],
    /// The heatmap's trajectory (two varied paths): None: `base` if there is one, else the first.
    pub trajectory: Option<&'a str>,
}

super::plain_data_chart!(SweepChart<'_>, "sweep");

impl SweepChart<'_> {
    fn heatmap_series(&self) -> Option<&SweepSeries<'_>> {
        match self.trajectory {
            Some(name) => self.series.iter().find(|s| s.trajectory == name),
            None => crate::model::headline(self.series, |s| s.trajectory),
        }
    }
}

impl Figure for SweepChart<'_> {
    fn stem(&self) -> &'static str {
        "sweep"
    }

    /// An error if there are not one or two varied paths, if a series has not one
    /// advantage per grid point, or if the named trajectory is missing.
    fn check(&self) -> Result<(), Error> {
        let fail = |message: String| {
            Err(Error::Chart {
                chart: "sweep.png".into(),
                message,
            })
        };
        let cells: usize = match self.varied {
            [a] => a.values.len(),
            [a, b] => a.values.len() * b.values.len(),
            other => {
                return fail(format!(
                    "{} varied paths: one or two are drawn",
                    other.len()
                ));
            }
        };
        if let Some(s) = self.series.iter().find(|s| s.advantages.len() != cells) {
            return fail(format!(
                "trajectory `{}` has {} advantages for {cells} grid points",
                s.trajectory,
                s.advantages.len()
            ));
        }
        if self.varied.len() == 2 && self.heatmap_series().is_none() {
            return fail(match self.trajectory {
                Some(name) => format!("there is no trajectory `{name}` to draw"),
                None => "there is no trajectory to draw".into(),
            });
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>, ctx: &ChartContext) -> Draw {
        match self.varied {
            [a] => self.draw_lines(c, ctx, a),
            [a, b] => self.draw_heatmap(c, ctx, a, b),
            _ => Err("one or two varied paths are drawn".into()),
        }
    }
}

const ROW: f64 = 24.0;

/// The most break-evens labelled as numbered badges, each then a line of the legend, which
/// must leave room for the trajectories' names (twelve pushed four of them out: helper-237).
const MAX_NUMBERED: usize = 6;
/// The break-even contour and the model's point.
const CONTOUR: RGBColor = frame::INK;

/// Where a series crosses zero: the caller's crossings, else [`zero_brackets`] estimated
/// from the grid.
fn crossings_of(values: &[f64], s: &SweepSeries<'_>) -> Vec<Crossing> {
    match s.crossings {
        Some(c) => c.to_vec(),
        None => zero_brackets(values, s.advantages)
            .into_iter()
            .map(|b| b.estimated(values))
            .collect(),
    }
}

/// The grid values on either side of `value` (infinite where there is none).
fn grid_values_around(value: f64, values: &[f64]) -> (f64, f64) {
    let below = values
        .iter()
        .filter(|v| v.is_finite() && **v <= value)
        .fold(f64::NEG_INFINITY, |a, v| a.max(*v));
    let above = values
        .iter()
        .filter(|v| v.is_finite() && **v >= value)
        .fold(f64::INFINITY, |a, v| a.min(*v));
    (below, above)
}

/// The two whole grid values an estimated crossing lies between, where both are whole.
fn whole_bracket(c: Crossing, values: &[f64]) -> Option<(f64, f64)> {
    let (below, above) = grid_values_around(c.value, values);
    (!c.exact
        && below.is_finite()
        && above.is_finite()
        && below < above
        && below.fract() == 0.0
        && above.fract() == 0.0)
        .then_some((below, above))
}

/// A crossing's value as labelled: an exact one as [`scale::input_value`] writes an input;
/// an estimate "≈" and rounded to the power of ten below half the grid's spacing there (a straight
/// line between grid points is good to about that, not to four digits).
/// Between two whole grid values (years: an AGI year of 2033 against 2034) an estimate is
/// no point at all, and is labelled by the two values, `2033–2034` (helper-257: `≈2034`
/// read as a tie in 2034, where the profit share already wins).
fn crossing_label(c: Crossing, values: &[f64]) -> String {
    if c.exact {
        return scale::input_value(c.value);
    }
    let (below, above) = grid_values_around(c.value, values);
    if let Some((a, b)) = whole_bracket(c, values) {
        return format!("{}\u{2013}{}", scale::input_value(a), scale::input_value(b));
    }
    let gap = above - below;
    let rounded = if gap.is_finite() && gap > 0.0 {
        // The power of ten at or below half the spacing.
        let half = gap / 2.0;
        let mut p = 1.0;
        while p > half {
            p /= 10.0;
        }
        while p * 10.0 <= half {
            p *= 10.0;
        }
        let r = (c.value / p).round() * p;
        // Printed with the decimals of p, so that 0.1 + float dust reads 0.1.
        let dp = (0..10)
            .find(|d| (p * 10f64.powi(*d) - (p * 10f64.powi(*d)).round()).abs() < 1e-9)
            .unwrap_or(9) as usize;
        format!("{r:.dp$}").parse::<f64>().unwrap_or(r)
    } else {
        c.value
    };
    format!("\u{2248}{}", scale::input_value(rounded))
}

impl SweepChart<'_> {
    fn draw_lines<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        ctx: &ChartContext,
        varied: &VariedPath<'_>,
    ) -> Draw {
        let l = self.labels;
        let Layout { content, legend } = frame::frame(
            c,
            &l.name,
            &format!(
                "NPV advantage of the equity stake over {} to {}, in {}, as {} varies; the rings mark where the deals break even",
                l.profit_share, l.investor, l.unit, varied.path
            ),
            ctx,
        )?;
        let xs = varied.values;
        let finite = |v: &&f64| v.is_finite();
        let (xmin, xmax) = xs
            .iter()
            .filter(finite)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            });
        let x_ticks = scale::grid_ticks(xmin, xmax, 8, xs);
        let (amin, amax) = self
            .series
            .iter()
            .flat_map(|s| s.advantages.iter())
            .filter(finite)
            .fold((0.0f64, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
        let y_ticks = scale::nice_ticks(amin, amax, 7);
        let ylab = |v: f64, t: &Ticks| scale::tick_label(v, t);
        let label_w = frame::y_label_width(c, &y_ticks, &ylab);
        let plot = Rect {
            x0: (content.x0 + label_w + 12.0).round(),
            y0: (content.y0 + 30.0).round(),
            x1: (content.x1 - 8.0).round(),
            y1: (content.y1 - 62.0).round(),
        };
        let x = Linear::new((x_ticks.lo, x_ticks.hi), (plot.x0, plot.x1));

        // Marks above the plot: each crossing, and the model's value.
        let mut marks: Vec<(f64, String)> = Vec::new();
        let mut rings: Vec<(f64, RGBColor)> = Vec::new();
        let mut estimated = false;
        let mut bracketed = false;
        let sf = frame::small_font();
        // A long name is shortened (in its middle) so that the label keeps its value: cut at
        // its end with the label, a 200-character name lost the number and ran off the chart
        // (the audit's D2).
        let name_w = (plot.width() / 4.0).max(80.0);
        let names: Vec<&str> = self.series.iter().map(|s| s.trajectory).collect();
        let fitted = c.fit_names(&names, &sf, name_w);
        for (s, name) in self.series.iter().zip(&fitted) {
            for cr in crossings_of(xs, s) {
                if whole_bracket(cr, xs).is_some() {
                    bracketed = true;
                } else {
                    estimated |= !cr.exact;
                }
                marks.push((
                    x.map(cr.value),
                    format!("{name} {}", crossing_label(cr, xs)),
                ));
                rings.push((x.map(cr.value), frame::color(s.index)));
            }
        }
        let tied: Vec<&str> = self
            .series
            .iter()
            .filter(|s| ties_everywhere(xs, s.advantages))
            .map(|s| s.trajectory)
            .collect();
        let crossings = marks.len();
        let current = varied
            .current
            .filter(|v| v.is_finite() && *v >= x_ticks.lo && *v <= x_ticks.hi);
        if let Some(v) = current {
            marks.push((x.map(v), format!("model {}", scale::input_value(v))));
        }
        // The labels take at most half the plot's height: beyond it (helper-236: 40
        // trajectories' break-evens stacked 40 rows of names, which pushed the plot below
        // the chart and turned its axis upside down), and where more than a legend can
        // list beside its trajectories as numbered badges, the rings alone mark the
        // break-evens and the legend says how each is found. (A third left twelve evenly
        // spaced names, which climb a row each, to numbered badges: helper-237.)
        let max_rows = ((plot.height() / 2.0 / ROW).floor() as usize).max(1);
        let mut placed = frame::markers(c, &marks, plot.x0, plot.x1, &sf, max_rows, max_rows);
        let unlabelled = placed.overflow || (placed.numbered && crossings > MAX_NUMBERED);
        if unlabelled {
            marks.drain(..crossings);
            placed = frame::markers(c, &marks, plot.x0, plot.x1, &sf, max_rows, max_rows);
        }
        let labelled = if unlabelled { 0 } else { crossings };
        let band = placed.rows as f64 * ROW + 8.0;
        let data = Rect {
            y0: plot.y0 + band,
            ..plot
        };
        let y = Linear::new((y_ticks.lo, y_ticks.hi), (data.y1, data.y0));
        frame::y_axis(c, data, &y, &y_ticks, &ylab)?;
        frame::y_axis_title(
            c,
            content.x0,
            plot.y0,
            plot.x1,
            &format!("NPV advantage, {}", l.unit),
        )?;
        let xlab = |v: f64, _: &Ticks| scale::input_value(v);
        frame::x_axis(c, data, &x, &x_ticks, &xlab)?;
        frame::x_axis_title(c, data, varied.path)?;
        // Zero in the axis grey, under the series: a trajectory whose advantage runs along
        // it stays visible (in ink it hid one).
        let zero = y.map(0.0).round();
        c.line(&[(data.x0, zero), (data.x1, zero)], frame::AXIS, 1.5)?;

        for (i, label) in placed.labels.iter().enumerate() {
            let mid = plot.y0 + label.row as f64 * ROW + 4.0;
            let foot = if i < labelled { zero } else { data.y1 };
            c.dashed(
                &[(label.px, foot), (label.px, mid)],
                frame::FAINT,
                1.0,
                4.0,
                4.0,
            )?;
            placed.draw_label(c, i, mid, frame::MUTED, &sf)?;
        }

        let clip = Rect {
            x0: data.x0 - 3.0,
            y0: data.y0 - 3.0,
            x1: data.x1 + 3.0,
            y1: data.y1 + 3.0,
        };
        let dots = xs.len() <= 60;
        let mut items = vec![Item::Heading("Trajectory".into())];
        for s in self.series {
            let col = frame::color(s.index);
            let grid: Vec<(f64, f64)> = xs
                .iter()
                .zip(s.advantages)
                .filter(|(v, a)| v.is_finite() && a.is_finite())
                .map(|(v, a)| (*v, *a))
                .collect();
            // The line runs through the grid's points and the exact crossings, the roots
            // `solve` finds (advantage 0 there): straight segments between grid points
            // alone crossed zero away from the rings (helper-169: base's ring sat 25 bn
            // below its line on a grid of 4).
            let mut through = grid.clone();
            through.extend(
                crossings_of(xs, s)
                    .into_iter()
                    .filter(|cr| cr.exact && cr.value.is_finite())
                    .map(|cr| (cr.value, 0.0)),
            );
            through.sort_by(|a, b| a.0.total_cmp(&b.0));
            through.dedup_by(|a, b| a.0 == b.0);
            let line: Vec<(f64, f64)> = through
                .iter()
                .map(|(v, a)| (x.map(*v), y.map(*a)))
                .collect();
            let pts: Vec<(f64, f64)> = grid.iter().map(|(v, a)| (x.map(*v), y.map(*a))).collect();
            c.series(&line, clip, col, 2.5, None)?;
            if dots || pts.len() == 1 {
                for p in &pts {
                    c.circle(*p, 3.5, col, true, 1.0)?;
                }
            }
            items.push(Item::Line(col, false, 3.0, s.trajectory.to_string()));
        }
        items.extend(frame::shared_colors_note(
            self.series.iter().map(|s| s.index),
        ));
        for (px, col) in rings {
            c.circle((px, zero), 7.0, frame::WHITE, true, 1.0)?;
            c.circle((px, zero), 7.0, col, false, 2.5)?;
        }
        items.push(Item::Gap);
        items.push(Item::Heading("Marks".into()));
        // Only where the model's value is marked (a year the model does not set, such as
        // an agi_year left out, has none: helper-103).
        if current.is_some() {
            items.push(Item::Line(
                frame::FAINT,
                true,
                1.0,
                "the model's value".into(),
            ));
        } else if let Some(v) = varied.current.filter(|v| v.is_finite()) {
            // Off the axis: said, as the heatmap says it (helper-202: nothing told where
            // the model stands).
            items.push(Item::Note(format!(
                "The model's value, {}, lies outside the grid.",
                scale::input_value(v)
            )));
        }
        if unlabelled {
            // Not a command line: the chart knows neither the model's file nor its `--set`,
            // and solve gives the root nearest the model's value, one per trajectory
            // (helper-237).
            items.push(Item::Note(format!(
                "{crossings} break-evens, too many to label: `solve {}` finds a trajectory's (-t), in a range (--within).",
                varied.path
            )));
        }
        let mut rings_note = String::from("Rings: where a trajectory's advantage is zero");
        if unlabelled && (estimated || bracketed) {
            rings_note.push_str(" (some estimated on a straight line between grid points).");
        } else {
            rings_note.push('.');
            if estimated {
                rings_note.push_str(
                    " \u{2248}: estimated on a straight line between grid points, to the grid's spacing.",
                );
            }
            if bracketed {
                rings_note.push_str(
                    " a\u{2013}b: the deals flip between the grid values a and b (the ring on a straight line between them).",
                );
            }
        }
        items.push(Item::Note(rings_note));
        if !tied.is_empty() && tied.len() == self.series.len() {
            items.push(Item::Note(
                "The deals tie at every grid value: no break-even to mark.".into(),
            ));
        } else {
            for t in &tied {
                items.push(Item::Note(format!(
                    "`{t}`: the deals tie at every grid value."
                )));
            }
            if crossings == 0 {
                items.push(Item::Note(
                    "No trajectory's advantage changes sign on this grid.".into(),
                ));
            }
        }
        if placed.numbered {
            for (i, (_, t)) in marks.iter().enumerate() {
                items.push(Item::Note(format!("{}: {t}", i + 1)));
            }
        }
        frame::legend(c, legend, &items)
    }

    fn draw_heatmap<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        ctx: &ChartContext,
        across: &VariedPath<'_>,
        up: &VariedPath<'_>,
    ) -> Draw {
        let l = self.labels;
        let series = self
            .heatmap_series()
            .ok_or_else(|| "there is no trajectory to draw".to_string())?;
        // Every cell a tie: no line to speak of (helper-137: the subtitle named a black line
        // that was not drawn, and the note said "no break-even" of a grid that is all one).
        // (Every cell: one left blank, where the model could not run, is not a tie.)
        let all_tie = !series.advantages.is_empty()
            && series
                .advantages
                .iter()
                .all(|a| a.is_finite() && a.is_tie());
        // The break-even contour, before the subtitle that names it: a grid where the
        // advantage keeps one sign has none (helper-220: the subtitle named a black line
        // that the note then said was not there).
        let segments = contour(across.values, up.values, series.advantages);
        let line = if all_tie || segments.is_empty() {
            ""
        } else {
            "; the black line is the break-even"
        };
        let Layout { content, legend } = frame::frame(
            c,
            &l.name,
            &format!(
                "NPV advantage of the equity stake over {} to {} in `{}`, in {}, as {} and {} vary{line}",
                l.profit_share,
                l.investor,
                c.fit_name(series.trajectory, &frame::subtitle_font(), 360.0),
                l.unit,
                // (A path may hold the trajectory's long name too: helper-260.)
                c.fit_name(across.path, &frame::subtitle_font(), 300.0),
                c.fit_name(up.path, &frame::subtitle_font(), 300.0)
            ),
            ctx,
        )?;
        let (nx, ny) = (across.values.len(), up.values.len());
        let xe = cell_edges(across.values);
        let ye = cell_edges(up.values);
        let span = |e: &[(f64, f64)]| {
            e.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (lo, hi)| {
                    (a.min(*lo), b.max(*hi))
                })
        };
        let (x_lo, x_hi) = span(&xe);
        let (y_lo, y_hi) = span(&ye);
        let x_ticks = scale::grid_ticks(x_lo, x_hi, 8, across.values);
        let y_ticks = scale::grid_ticks(y_lo, y_hi, 7, up.values);
        let vlab = |v: f64, _: &Ticks| scale::input_value(v);
        let label_w = frame::y_label_width(c, &y_ticks, &vlab);
        let plot = Rect {
            x0: (content.x0 + label_w + 12.0).round(),
            y0: (content.y0 + 30.0).round(),
            x1: (content.x1 - 8.0).round(),
            y1: (content.y1 - 62.0).round(),
        };
        let x = Linear::new((x_ticks.lo, x_ticks.hi), (plot.x0, plot.x1));
        let y = Linear::new((y_ticks.lo, y_ticks.hi), (plot.y1, plot.y0));
        let adv = |i: usize, j: usize| series.advantages[i * ny + j];
        let max_abs = series
            .advantages
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |m, v| m.max(v.abs()));

        // Cells.
        for (i, (x0, x1)) in xe.iter().enumerate() {
            for (j, (y0, y1)) in ye.iter().enumerate() {
                let r = Rect {
                    x0: x.map(*x0).round(),
                    x1: x.map(*x1).round(),
                    y0: y.map(*y1).round(),
                    y1: y.map(*y0).round(),
                };
                c.fill_rect(r, diverging(adv(i, j), max_abs).to_rgba())?;
            }
        }
        frame::outline_rect(c, plot, frame::AXIS, 1.0, false)?;
        let tf = frame::tick_font();
        for v in &y_ticks.values {
            let py = y.map(*v).round();
            c.line(&[(plot.x0 - 6.0, py), (plot.x0, py)], frame::AXIS, 1.0)?;
            c.text(
                &vlab(*v, &y_ticks),
                plot.x0 - 10.0,
                py + tf.cap_height() / 2.0,
                &tf,
                Align::Right,
            )?;
        }
        frame::y_axis_title(c, content.x0, plot.y0, plot.x1, up.path)?;
        frame::x_axis(c, plot, &x, &x_ticks, &vlab)?;
        frame::x_axis_title(c, plot, across.path)?;

        // The break-even contour.
        let to_px = |(u, v): (f64, f64)| (x.map(u), y.map(v));
        for (a, b) in &segments {
            c.line(&[to_px(*a), to_px(*b)], CONTOUR, 3.0)?;
        }

        // The model's own point.
        let mut notes = Vec::new();
        match (across.current, up.current) {
            (Some(u), Some(v))
                if u.is_finite()
                    && v.is_finite()
                    && (x_lo..=x_hi).contains(&u)
                    && (y_lo..=y_hi).contains(&v) =>
            {
                let p = to_px((u, v));
                c.circle(p, 9.0, frame::WHITE, true, 1.0)?;
                c.circle(p, 9.0, CONTOUR, false, 2.5)?;
                c.circle(p, 3.0, CONTOUR, true, 1.0)?;
                let lf = frame::label_font().bold();
                c.text(
                    "model",
                    p.0 + 14.0,
                    p.1 - 10.0,
                    &lf.with_color(CONTOUR),
                    Align::Left,
                )?;
            }
            (Some(u), Some(v)) => notes.push(format!(
                "The model's point ({}, {}) lies outside the grid.",
                scale::input_value(u),
                scale::input_value(v)
            )),
            // Said, not left out in silence (helper-119: a sweep of an agi_year the
            // trajectory does not set drew no point and said nothing).
            (u, v) => {
                let unset: Vec<&str> = [(u, across.path), (v, up.path)]
                    .into_iter()
                    .filter(|(value, _)| value.is_none())
                    .map(|(_, path)| path)
                    .collect();
                notes.push(format!(
                    "The model sets no value of {}, so it has no point on this grid.",
                    unset.join(" or ")
                ));
            }
        }
        if all_tie {
            notes.push(
                "The deals tie at every grid point: the break-even is the whole grid.".into(),
            );
        } else if segments.is_empty() {
            notes.push("The advantage does not change sign on this grid: no break-even.".into());
        }
        if nx < 2 || ny < 2 {
            notes.push(
                "A single value along an axis: the break-even line needs two on each.".into(),
            );
        }

        // The colour bar, then the legend under it.
        let bar_top = legend.y0 + 34.0;
        let bar = Rect {
            x0: legend.x0 + 4.0,
            y0: bar_top,
            x1: legend.x0 + 30.0,
            y1: (bar_top + 300.0).min(legend.y1 - 150.0).max(bar_top + 80.0),
        };
        let hf = frame::legend_font().bold();
        c.text(
            &c.fit(&format!("NPV advantage, {}", l.unit), &hf, legend.width()),
            legend.x0,
            legend.y0 + hf.cap_height(),
            &hf,
            Align::Left,
        )?;
        let m = if max_abs > 0.0 { max_abs } else { 1.0 };
        let by = Linear::new((-m, m), (bar.y1, bar.y0));
        let steps = (bar.height() as usize).max(2);
        for k in 0..steps {
            let t0 = bar.y0 + bar.height() * k as f64 / steps as f64;
            let t1 = bar.y0 + bar.height() * (k + 1) as f64 / steps as f64;
            let v = m - 2.0 * m * (k as f64 + 0.5) / steps as f64;
            c.fill_rect(
                Rect {
                    y0: t0.floor(),
                    y1: t1.ceil(),
                    ..bar
                },
                diverging(v, m).to_rgba(),
            )?;
        }
        frame::outline_rect(c, bar, frame::AXIS, 1.0, false)?;
        let ticks = scale::nice_ticks(-m, m, 6);
        for v in ticks.values.iter().filter(|v| v.abs() <= m * (1.0 + 1e-9)) {
            let py = by.map(*v).round();
            c.line(&[(bar.x1, py), (bar.x1 + 6.0, py)], frame::AXIS, 1.0)?;
            c.text(
                &scale::tick_label(*v, &ticks),
                bar.x1 + 10.0,
                py + tf.cap_height() / 2.0,
                &tf,
                Align::Left,
            )?;
        }
        // The key lists what the cells and the contour draw (helper-119: "equity worth
        // more" and "break-even" were keyed on a grid the profit share won throughout).
        let cells = series.advantages.iter().filter(|a| a.is_finite());
        let (mut equity, mut profit_share, mut tie) = (false, false, false);
        for a in cells {
            if a.is_tie() {
                tie = true;
            } else if *a > 0.0 {
                equity = true;
            } else {
                profit_share = true;
            }
        }
        let mut items = Vec::new();
        if equity {
            items.push(Item::Swatch(EQUITY, "equity worth more".into()));
        }
        if profit_share {
            items.push(Item::Swatch(
                PROFIT_SHARE,
                format!("{} worth more", self.labels.regime_a()),
            ));
        }
        if tie {
            items.push(Item::Swatch(NEUTRAL, "a tie".into()));
        }
        if !segments.is_empty() {
            items.push(Item::Line(CONTOUR, false, 3.0, "break-even".into()));
        }
        items.extend([
            Item::Note(format!(
                "A tie: an advantage that rounds to 0 at 6 decimal places. Any other cell is at least {:.0}% of the way to its deal's colour, so that the sign of a small advantage shows.",
                MIN_TINT * 100.0
            )),
        ]);
        for n in notes {
            items.push(Item::Note(n));
        }
        frame::legend(
            c,
            Rect {
                y0: bar.y1 + 24.0,
                ..legend
            },
            &items,
        )
    }
}

/// The span of each grid value's cell: halfway to its neighbours; a single value gets a cell
/// of 10% of its size (at least 1) on each side.
fn cell_edges(values: &[f64]) -> Vec<(f64, f64)> {
    let n = values.len();
    // A grid of one value (FROM = TO, its STEPS all the same) has cells of no width between
    // neighbours: each is drawn as a lone value's, half a step of a whole value (a year) or
    // a tenth of it either way (helper-258: `equity.stake=0..0` drew no cell at all).
    let one_value = values.iter().all(|v| *v == values[0]);
    let lone = |v: f64| {
        if v.fract() == 0.0 {
            0.5
        } else {
            (v.abs() * 0.1).max(1e-9)
        }
    };
    (0..n)
        .map(|i| {
            let v = values[i];
            if one_value {
                return (v - lone(v), v + lone(v));
            }
            let half = |a: f64, b: f64| (b - a).abs() / 2.0;
            let left = if i > 0 {
                half(values[i - 1], v)
            } else {
                half(v, values[1])
            };
            let right = if i + 1 < n {
                half(v, values[i + 1])
            } else {
                half(values[n - 2], v)
            };
            (v - left, v + right)
        })
        .collect()
}

/// A tie's colour on the heatmap: neither deal's.
pub(crate) const NEUTRAL: RGBColor = RGBColor(0xF2, 0xF2, 0xF2);
/// The least tint of a cell that is not a tie, as a share of the way from the neutral grey
/// to its deal's colour: a win by 0.6 on a scale of 1,187 is still plainly blue or
/// vermillion (it was drawn all but white, and which deal won could not be told).
pub(crate) const MIN_TINT: f64 = 0.2;

/// The diverging colour of `v` on a scale symmetric about zero (`max` = |largest value|):
/// the neutral grey for a tie (an advantage that rounds to 0 at 6 places, SPEC 11's rule)
/// or a value that is not finite, else blue for equity and vermillion for the profit share,
/// from [`MIN_TINT`] of the way there just off a tie to the full colour at |v| = `max`,
/// deepening in step with |v| in between (so that small advantages still differ).
pub(crate) fn diverging(v: f64, max: f64) -> RGBColor {
    if !v.is_finite() || v.is_tie() {
        return NEUTRAL;
    }
    let share = if max > 0.0 {
        (v.abs() / max).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let t = MIN_TINT + (1.0 - MIN_TINT) * share;
    let end = if v > 0.0 { EQUITY } else { PROFIT_SHARE };
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(
        mix(NEUTRAL.0, end.0),
        mix(NEUTRAL.1, end.1),
        mix(NEUTRAL.2, end.2),
    )
}

/// A line segment in value space.
type Segment = ((f64, f64), (f64, f64));

/// The break-even contour of a row-major grid (`adv[i * ys.len() + j]` at `(xs[i], ys[j])`)
/// as line segments in value space: the edges of where the stake wins and of where the
/// profit share wins. Where the two meet these are one line, the advantage's zero; a
/// region of ties (advantages of exactly 0) between them, or beside either, is outlined on
/// every side it has (helper-202: a tie was taken for a win of the profit share, so the
/// line ran along a tied region's edge beside the stake's wins and not beside the profit
/// share's).
pub(crate) fn contour(xs: &[f64], ys: &[f64], adv: &[f64]) -> Vec<Segment> {
    // A saddle's centre is on the stake's side where the cell's mean is above 0, else on
    // the profit share's, in both passes alike: a mean of exactly 0 joined the cuts one way
    // in one pass and the other in the other, a diamond (helper-203).
    let mut out = edges_of(xs, ys, adv, |v| v > 0.0, |mean| mean > 0.0);
    let bits = |((a, b), (c, d)): &Segment| [a, b, c, d].map(|v| v.to_bits());
    let mut seen: std::collections::HashSet<[u64; 4]> = out.iter().map(bits).collect();
    for segment in edges_of(xs, ys, adv, |v| v < 0.0, |mean| mean <= 0.0) {
        // Where the deals meet without a tie between them, the same cut, bit for bit.
        if seen.insert(bits(&segment)) {
            out.push(segment);
        }
    }
    out
}

/// The edge of the region where `inside` holds of the advantage, by marching squares: each
/// cell's edges are cut where it stops holding (linearly between the corners' advantages),
/// and a saddle is resolved by whether `centre_inside` holds of the cell's mean.
fn edges_of(
    xs: &[f64],
    ys: &[f64],
    adv: &[f64],
    inside: impl Fn(f64) -> bool,
    centre_inside: impl Fn(f64) -> bool,
) -> Vec<Segment> {
    let (nx, ny) = (xs.len(), ys.len());
    let mut out = Vec::new();
    if nx < 2 || ny < 2 || adv.len() != nx * ny {
        return out;
    }
    let at = |i: usize, j: usize| adv[i * ny + j];
    for i in 0..nx - 1 {
        for j in 0..ny - 1 {
            // Corners counter-clockwise from (i, j): bottom-left, bottom-right, top-right, top-left.
            let corners = [
                (xs[i], ys[j], at(i, j)),
                (xs[i + 1], ys[j], at(i + 1, j)),
                (xs[i + 1], ys[j + 1], at(i + 1, j + 1)),
                (xs[i], ys[j + 1], at(i, j + 1)),
            ];
            if corners.iter().any(|c| !c.2.is_finite()) {
                continue;
            }
            let above: Vec<bool> = corners.iter().map(|c| inside(c.2)).collect();
            // The point where edge k (corner k to corner k+1) crosses zero, if it does.
            let cut = |k: usize| -> Option<(f64, f64)> {
                let (a, b) = (corners[k], corners[(k + 1) % 4]);
                if above[k] == above[(k + 1) % 4] {
                    return None;
                }
                let t = a.2 / (a.2 - b.2);
                Some((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t))
            };
            let cuts: Vec<(usize, (f64, f64))> =
                (0..4).filter_map(|k| cut(k).map(|p| (k, p))).collect();
            match cuts.as_slice() {
                [(_, p), (_, q)] => out.push((*p, *q)),
                [(_, p0), (_, p1), (_, p2), (_, p3)] => {
                    // A saddle: corners 0 and 2 on one side, 1 and 3 on the other. Join the
                    // cuts so that the centre (the mean) lies on the side it belongs to.
                    let centre_above =
                        centre_inside(corners.iter().map(|c| c.2).sum::<f64>() / 4.0);
                    if centre_above == above[0] {
                        // Corner 0's side connects through the centre: cut off corners 1 and 3.
                        out.push((*p0, *p1));
                        out.push((*p2, *p3));
                    } else {
                        out.push((*p3, *p0));
                        out.push((*p1, *p2));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zero_crossings(xs: &[f64], a: &[f64]) -> Vec<f64> {
        zero_brackets(xs, a)
            .into_iter()
            .map(|b| b.estimated(xs).value)
            .collect()
    }

    #[test]
    fn crossings_are_linear_between_grid_points() {
        let xs = [0.0, 1.0, 2.0, 3.0];
        // -1 at 0, +1 at 1: crosses at 0.5; 1 -> -3 between 2 and 3: at 2.25.
        let a = [-1.0, 1.0, 1.0, -3.0];
        assert_eq!(zero_crossings(&xs, &a), vec![0.5, 2.25]);
        assert_eq!(
            zero_brackets(&xs, &a)[1],
            Bracket::Between {
                lo: 2,
                hi: 3,
                estimate: 2.25
            }
        );
        // Touching zero at a grid point counts once.
        assert_eq!(zero_crossings(&xs, &[-1.0, 0.0, 1.0, 2.0]), vec![1.0]);
        assert!(zero_crossings(&xs, &[1.0, 2.0, 3.0, 4.0]).is_empty());
        assert!(zero_crossings(&[5.0], &[1.0]).is_empty());
    }

    /// The audit's D7: where the advantage is exactly 0 at every grid value (all ties),
    /// every grid point was ringed and labelled as a break-even. None is; the chart says
    /// the deals tie at every grid value (as the heatmap says "no break-even").
    #[test]
    fn regression_all_ties_mark_no_break_even() {
        let xs = [0.5, 0.75, 1.0, 1.25];
        assert!(zero_brackets(&xs, &[0.0; 4]).is_empty());
        assert!(zero_brackets(&xs, &[0.0, -0.0, 4e-7, f64::NAN]).is_empty());
        assert!(ties_everywhere(&xs, &[0.0; 4]));
        // A tie at some grid values only is still marked there.
        assert_eq!(zero_brackets(&xs, &[-1.0, 0.0, 0.0, 1.0]).len(), 2);
        assert!(!ties_everywhere(&xs, &[f64::NAN; 4]));
        // The chart: no ring's label, and the note.
        let labels = ModelLabels {
            name: "All zero".into(),
            unit: "USD m".into(),
            investor: "the investor".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        };
        let zeros = [0.0; 4];
        let series = [
            SweepSeries {
                trajectory: "zero",
                advantages: &zeros,
                index: 0,
                crossings: None,
            },
            SweepSeries {
                trajectory: "zero2",
                advantages: &zeros,
                index: 1,
                crossings: None,
            },
        ];
        let chart = SweepChart {
            labels: &labels,
            varied: &[VariedPath {
                path: "scale.valuation",
                values: &xs,
                current: Some(1.0),
            }],
            series: &series,
            trajectory: None,
        };
        let ctx = ChartContext::new("zero.toml", "", crate::chart::Size::DEFAULT, None);
        let texts = crate::chart::tests::svg_texts(&chart.svg(&ctx).unwrap());
        assert!(
            !texts
                .iter()
                .any(|t| t.starts_with("zero ") || t.starts_with("zero2 ")),
            "{texts:?}"
        );
        let all = texts.join(" ");
        assert!(all.contains("tie at every grid value"), "{all}");
    }

    /// The audit's D2: a 200-character trajectory name was not shortened in the sweep's
    /// break-even label: cut at the label's end, it lost its value and ran off the chart.
    /// The name is shortened in its middle; the value stays whole.
    #[test]
    fn regression_a_long_name_is_shortened_in_the_break_even_label() {
        let labels = ModelLabels {
            name: "Long names".into(),
            unit: "USD m".into(),
            investor: "the investor".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        };
        let long = "Trajectory_with_a_very_long_name_".repeat(6) + "Tr";
        let xs = [0.8, 1.0, 1.2, 1.4];
        let adv = [-30.0, -10.0, 10.0, 30.0];
        let exact = [Crossing {
            value: 1.1,
            exact: true,
        }];
        for crossings in [None, Some(&exact[..])] {
            let series = [SweepSeries {
                trajectory: &long,
                advantages: &adv,
                index: 0,
                crossings,
            }];
            let chart = SweepChart {
                labels: &labels,
                varied: &[VariedPath {
                    path: "scale.valuation",
                    values: &xs,
                    current: None,
                }],
                series: &series,
                trajectory: None,
            };
            for size in [crate::chart::Size::DEFAULT, crate::chart::Size::MIN] {
                let ctx = ChartContext::new("names.toml", "", size, None);
                let texts = crate::chart::tests::svg_texts(&chart.svg(&ctx).unwrap());
                let value = if crossings.is_some() {
                    "1.1"
                } else {
                    "\u{2248}1.1"
                };
                let label = texts
                    .iter()
                    .find(|t| t.starts_with("Trajectory_with") && t.ends_with(&format!(" {value}")))
                    .unwrap_or_else(|| panic!("{size}: no label ending in {value}: {texts:?}"));
                assert!(
                    label.contains('\u{2026}') && label.chars().count() < 80,
                    "{label}"
                );
            }
        }
    }

    /// helper-103: a sweep of a path the model does not set (an agi_year left out) drew no
    /// mark of the model's value, but its legend still named one.
    #[test]
    fn regression_the_legend_names_the_models_value_only_where_it_is_marked() {
        let labels = ModelLabels {
            name: "Marks".into(),
            unit: "USD m".into(),
            investor: "the investor".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        };
        let xs = [2028.0, 2030.0, 2032.0];
        let adv = [-3.0, 1.0, 4.0];
        let series = [SweepSeries {
            trajectory: "base",
            advantages: &adv,
            index: 0,
            crossings: None,
        }];
        // helper-202: a value off the grid is said to be.
        for (current, named) in [(None, false), (Some(2030.0), true), (Some(2040.0), false)] {
            let chart = SweepChart {
                labels: &labels,
                varied: &[VariedPath {
                    path: "trajectories[base].agi_year",
                    values: &xs,
                    current,
                }],
                series: &series,
                trajectory: None,
            };
            let ctx = ChartContext::new("marks.toml", "", crate::chart::Size::DEFAULT, None);
            let texts = crate::chart::tests::svg_texts(&chart.svg(&ctx).unwrap());
            assert_eq!(
                // (The SVG writes the apostrophe as an entity.)
                texts.iter().any(|t| t == "the model&apos;s value"),
                named,
                "{texts:?}"
            );
            assert_eq!(texts.iter().any(|t| t == "model 2030"), named, "{texts:?}");
            let outside = texts.join(" ").contains("2040, lies outside the grid");
            assert_eq!(outside, current == Some(2040.0), "{texts:?}");
        }
    }

    /// The audit's D8: a crossing estimated linearly between grid points was labelled to
    /// four digits (`bull 0.1004` where the root is 0.0918). An estimate is labelled "≈"
    /// and rounded to the grid's spacing; an exact crossing keeps its digits.
    #[test]
    fn regression_an_estimated_crossing_says_so_with_fewer_digits() {
        let xs = [0.02, 0.08, 0.14, 0.2];
        let estimate = Crossing {
            value: 0.100_4,
            exact: false,
        };
        assert_eq!(crossing_label(estimate, &xs), "\u{2248}0.1");
        let exact = Crossing {
            value: 0.091_83,
            exact: true,
        };
        assert_eq!(crossing_label(exact, &xs), "0.09183");
        // Years two apart: the two years, ungrouped (helper-257: `≈2034` between AGI years
        // 2033 and 2034 read as a tie in 2034).
        let years = [2028.0, 2030.0, 2032.0];
        let c = Crossing {
            value: 2030.6,
            exact: false,
        };
        assert_eq!(crossing_label(c, &years), "2030\u{2013}2032");
    }

    #[test]
    fn the_contour_of_a_plane_is_its_zero_line() {
        // adv = x + y - 1 on a 3x3 grid over [0, 1]^2: the line x + y = 1.
        let xs = [0.0, 0.5, 1.0];
        let ys = [0.0, 0.5, 1.0];
        let mut adv = Vec::new();
        for x in xs {
            for y in ys {
                adv.push(x + y - 1.0);
            }
        }
        let segs = contour(&xs, &ys, &adv);
        assert!(!segs.is_empty());
        for (a, b) in &segs {
            assert!((a.0 + a.1 - 1.0).abs() < 1e-12, "{a:?}");
            assert!((b.0 + b.1 - 1.0).abs() < 1e-12, "{b:?}");
        }
        // No sign change: no contour.
        assert!(contour(&xs, &ys, &[1.0; 9]).is_empty());
        // One value along an axis: nothing to trace, no panic.
        assert!(contour(&[1.0], &ys, &[1.0, -1.0, 1.0]).is_empty());
    }

    /// helper-202: a tie (exactly 0) was taken for a win of the profit share, so a tied
    /// block beside the stake's wins had a break-even line along its edge and the same block
    /// beside the profit share's none ("no break-even"). Now each side is outlined, and the
    /// contour of -adv is the contour of adv.
    #[test]
    fn regression_a_tied_region_is_outlined_beside_either_deal() {
        // 4 x 2 grid: x = 0, 1 tie; x = 2, 3 one deal's wins (2 and 3, or -2 and -3).
        let (xs, ys) = ([0.0, 1.0, 2.0, 3.0], [0.0, 1.0]);
        let grid = |win: f64| -> Vec<f64> {
            xs.iter()
                .flat_map(|&x| [if x < 1.5 { 0.0 } else { win * x }; 2])
                .collect()
        };
        for win in [1.0, -1.0] {
            let segs = contour(&xs, &ys, &grid(win));
            // The one edge of the tied block, x = 1 from y = 0 to 1, in either direction.
            assert_eq!(segs.len(), 1, "{win}: {segs:?}");
            let ((x0, _), (x1, _)) = segs[0];
            assert_eq!((x0, x1), (1.0, 1.0), "{win}");
        }
        // Ties between the two deals: both edges.
        let both: Vec<f64> = [-2.0, 0.0, 0.0, 3.0].iter().flat_map(|&a| [a; 2]).collect();
        let mut xs_cut: Vec<f64> = contour(&xs, &ys, &both)
            .iter()
            .flat_map(|((a, _), (b, _))| [*a, *b])
            .collect();
        xs_cut.sort_by(f64::total_cmp);
        xs_cut.dedup();
        assert_eq!(xs_cut, [1.0, 2.0]);
        // A saddle whose mean is 0: two segments, as one pass draws them, not a diamond.
        assert_eq!(
            contour(&[0.0, 1.0], &[0.0, 1.0], &[1.0, -1.0, -1.0, 1.0]).len(),
            2
        );
        // Where the deals meet with no tie between them, one line, not two.
        let direct: Vec<f64> = [-2.0, -1.0, 1.0, 2.0]
            .iter()
            .flat_map(|&a| [a; 2])
            .collect();
        assert_eq!(contour(&xs, &ys, &direct).len(), 1);
    }

    /// helper-202: every grid value of a run of ties was ringed as a break-even, the grid's
    /// first among them; only a run's edges beside a winner are.
    #[test]
    fn regression_only_the_edges_of_a_run_of_ties_are_break_evens() {
        let xs = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let at = |a: &[f64]| -> Vec<Bracket> { zero_brackets(&xs, a) };
        assert_eq!(at(&[0.0, 0.0, 0.0, 1.0, 2.0, 3.0]), [Bracket::At(2)]);
        assert_eq!(
            at(&[-1.0, 0.0, 0.0, 0.0, 1.0, 2.0]),
            [Bracket::At(1), Bracket::At(3)]
        );
        assert_eq!(at(&[1.0, 2.0, 0.0, 0.0, 0.0, 0.0]), [Bracket::At(2)]);
        // One tie between two wins, and at the grid's edge beside a win: each a break-even.
        assert_eq!(
            at(&[0.0, 1.0, 0.0, -1.0, -1.0, -1.0]),
            [Bracket::At(0), Bracket::At(2)]
        );
    }

    #[test]
    fn the_palette_is_symmetric_and_neutral_at_zero() {
        assert_eq!(diverging(0.0, 5.0), NEUTRAL);
        assert_eq!(diverging(5.0, 5.0), EQUITY);
        assert_eq!(diverging(-5.0, 5.0), PROFIT_SHARE);
        // Equal distances from white-ish neutral at +x and -x.
        let (p, n) = (diverging(2.0, 5.0), diverging(-2.0, 5.0));
        let dist = |c: RGBColor| {
            let d = |a: u8| (f64::from(a) - 242.0).powi(2);
            (d(c.0) + d(c.1) + d(c.2)).sqrt()
        };
        let (dp, dn) = (dist(p), dist(n));
        let (fp, fn_) = (dist(EQUITY), dist(PROFIT_SHARE));
        assert!((dp / fp - dn / fn_).abs() < 0.01, "{dp} {fp} {dn} {fn_}");
    }

    /// A cell where the profit share won by 0.6 on a colour scale of +-1,187 was drawn
    /// 0.05% of the way from the neutral grey to vermillion: near-white, and which deal won
    /// could not be told. Any cell that is not a tie is tinted at least `MIN_TINT` of the
    /// way to its deal's colour; only a tie (|advantage| < 0.0000005) is the neutral grey.
    #[test]
    fn regression_a_small_win_on_the_heatmap_is_not_near_white() {
        // How far a colour is from the neutral grey, as a share of the way to `end`.
        let share = |c: RGBColor, end: RGBColor| {
            let d = |a: RGBColor, b: RGBColor| {
                let sq = |x: u8, y: u8| (f64::from(x) - f64::from(y)).powi(2);
                (sq(a.0, b.0) + sq(a.1, b.1) + sq(a.2, b.2)).sqrt()
            };
            d(c, NEUTRAL) / d(end, NEUTRAL)
        };
        // -5.000000000000001e-7: the first double beyond -0.0000005 (the double nearest
        // -0.0000005 lies inside it and is a tie, as it prints -0.000000).
        for (v, end) in [
            (-0.6, PROFIT_SHARE),
            (0.6, EQUITY),
            (-5.000_000_000_000_001e-7, PROFIT_SHARE),
        ] {
            let c = diverging(v, 1187.0);
            // About a fifth of the way, less the rounding to whole levels (it was 0.0005
            // of the way for 0.6).
            assert!(
                share(c, end) >= 0.18,
                "{v}: {c:?} is only {:.3} of the way to {end:?}",
                share(c, end)
            );
            // The deal's own hue: blue has more blue than red, vermillion more red.
            assert_eq!(c.2 > c.0, v > 0.0, "{v}: {c:?}");
        }
        // Ties, by the SPEC's rule, and only they, are neutral.
        for v in [0.0, -0.0, 4.9e-7, -4.9e-7, -5e-7] {
            assert_eq!(diverging(v, 1187.0), NEUTRAL, "{v}");
        }
        assert_eq!(diverging(f64::NAN, 1187.0), NEUTRAL);
        // Beyond that the scale still deepens with |advantage|, to the full colour at the
        // scale's end: a larger advantage is never paler.
        let shares: Vec<f64> = [1.0, 100.0, 300.0, 600.0, 1187.0]
            .iter()
            .map(|v| share(diverging(-v, 1187.0), PROFIT_SHARE))
            .collect();
        assert!(shares.windows(2).all(|w| w[0] < w[1]), "{shares:?}");
        assert_eq!(diverging(1187.0, 1187.0), EQUITY);
        assert_eq!(diverging(-1187.0, 1187.0), PROFIT_SHARE);
    }

    #[test]
    fn cells_meet_halfway() {
        assert_eq!(
            cell_edges(&[1.0, 2.0, 4.0]),
            vec![(0.5, 1.5), (1.5, 3.0), (3.0, 5.0)]
        );
        // One value, alone or as a grid of it (helper-258: cells of no width, nothing drawn):
        // half a step of a whole value, a tenth of another either way.
        assert_eq!(cell_edges(&[10.0]), vec![(9.5, 10.5)]);
        assert_eq!(cell_edges(&[2030.0; 3]), vec![(2029.5, 2030.5); 3]);
        let [(a, b), _] = cell_edges(&[0.5, 0.5])[..] else {
            panic!()
        };
        assert!((a - 0.45).abs() < 1e-12 && (b - 0.55).abs() < 1e-12);
    }

    /// The texts of `base`'s heatmap over `varied` (a 3 x 3 grid) with `advantages`.
    fn heatmap_texts(varied: &[VariedPath<'_>; 2], advantages: &[f64; 9]) -> Vec<String> {
        let labels = ModelLabels::of(&crate::io::load_model(None).unwrap().model);
        let series = [SweepSeries {
            trajectory: "base",
            advantages,
            index: 0,
            crossings: None,
        }];
        let chart = SweepChart {
            labels: &labels,
            varied,
            series: &series,
            trajectory: None,
        };
        let ctx = ChartContext::new("m.toml", "", crate::chart::Size::DEFAULT, None);
        crate::chart::tests::svg_texts(&chart.svg(&ctx).unwrap())
    }

    /// helper-119: a heatmap over a value the model does not set (an agi_year left out)
    /// drew no point for the model and said nothing: it says so.
    #[test]
    fn regression_a_heatmap_without_the_models_point_says_why() {
        let (years, stakes) = ([2030.0, 2035.0, 2040.0], [0.2, 0.3, 0.4]);
        let grid = [
            -600.0, -400.0, -200.0, -200.0, 0.0, 200.0, 200.0, 400.0, 600.0,
        ];
        for (current, said) in [(None, true), (Some(2035.0), false)] {
            let varied = [
                VariedPath {
                    path: "trajectories[base].agi_year",
                    values: &years,
                    current,
                },
                VariedPath {
                    path: "equity.stake",
                    values: &stakes,
                    current: Some(0.27),
                },
            ];
            let text = heatmap_texts(&varied, &grid).join(" ");
            assert_eq!(
                text.contains("The model sets no value of trajectories[base].agi_year"),
                said,
                "{text}"
            );
        }
    }

    /// `equity.stake` (at 0.27) across and `scale.valuation` (at 1) up.
    fn stake_and_scale<'a>(stakes: &'a [f64], scales: &'a [f64]) -> [VariedPath<'a>; 2] {
        [
            VariedPath {
                path: "equity.stake",
                values: stakes,
                current: Some(0.27),
            },
            VariedPath {
                path: "scale.valuation",
                values: scales,
                current: Some(1.0),
            },
        ]
    }

    /// helper-119: a heatmap the profit share won throughout keyed "equity worth more" and
    /// "break-even", neither drawn. The key lists what is drawn.
    #[test]
    fn regression_the_heatmaps_key_lists_only_what_is_drawn() {
        let (stakes, scales) = ([0.2, 0.3, 0.4], [0.5, 1.0, 1.5]);
        let lost = [-9.0, -8.0, -7.0, -6.0, -5.0, -4.0, -3.0, -2.0, -1.0];
        let varied = stake_and_scale(&stakes, &scales);
        let texts = heatmap_texts(&varied, &lost);
        assert!(
            texts.iter().any(|t| t == "profit share worth more"),
            "{texts:?}"
        );
        for absent in ["equity worth more", "a tie", "break-even"] {
            assert!(!texts.iter().any(|t| t == absent), "{absent}: {texts:?}");
        }
    }

    /// helper-137: a heatmap on which every cell is a tie said "the black line is the
    /// break-even" (none drawn) and "no break-even"; it says the deals tie everywhere.
    #[test]
    fn regression_an_all_tie_heatmap_names_no_line() {
        let (stakes, scales) = ([0.2, 0.3, 0.4], [0.5, 1.0, 1.5]);
        let varied = stake_and_scale(&stakes, &scales);
        let text =
            heatmap_texts(&varied, &[0.0, 1e-7, -1e-7, 0.0, 0.0, 0.0, 2e-7, 0.0, 0.0]).join(" ");
        assert!(!text.contains("black line"), "{text}");
        assert!(!text.contains("no break-even"), "{text}");
        assert!(text.contains("The deals tie at every grid point"), "{text}");
        // A cell left blank (the model could not run there) is no tie (helper-140).
        let text =
            heatmap_texts(&varied, &[0.0, f64::NAN, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]).join(" ");
        assert!(
            !text.contains("The deals tie at every grid point"),
            "{text}"
        );
        // One cell apart from a tie: the line is named again.
        let text =
            heatmap_texts(&varied, &[0.0, 1e-7, -1e-7, 0.0, 5.0, 0.0, 2e-7, 0.0, 0.0]).join(" ");
        assert!(text.contains("the black line is the break-even"), "{text}");
        assert!(
            !text.contains("The deals tie at every grid point"),
            "{text}"
        );
    }

    /// The SVG of a sweep chart of `equity.stake` over `xs`, the model at `current`: a line
    /// for each of `names` with its `advantages`, crossings estimated between grid points.
    fn stake_lines_svg(
        labels: &ModelLabels,
        names: &[String],
        advantages: &[Vec<f64>],
        xs: &[f64],
        current: Option<f64>,
        size: crate::chart::Size,
    ) -> Vec<u8> {
        let series: Vec<SweepSeries<'_>> = names
            .iter()
            .zip(advantages)
            .enumerate()
            .map(|(index, (name, advantages))| SweepSeries {
                trajectory: name,
                advantages,
                index,
                crossings: None,
            })
            .collect();
        let chart = SweepChart {
            labels,
            varied: &[VariedPath {
                path: "equity.stake",
                values: xs,
                current,
            }],
            series: &series,
            trajectory: None,
        };
        chart
            .svg(&ChartContext::new("sweep.toml", "", size, None))
            .unwrap()
    }

    /// helper-236: forty trajectories crossing zero near one another stacked forty rows of
    /// break-even labels above the plot, which pushed it below the chart's foot (its axis
    /// upside down, labels over the footer). The labels now take at most half the
    /// plot: named where they fit, numbered badges for a few more, and beyond that the rings
    /// alone with a note saying where each break-even is found. Every text stays on the
    /// canvas and above the footer, at every size, whatever the number of crossings.
    #[test]
    fn regression_many_break_evens_keep_the_plot_on_the_chart() {
        let labels = ModelLabels {
            name: "Many".into(),
            unit: "USD m".into(),
            investor: "the investor".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        };
        let xs = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5];
        for n in [3usize, 10, 40] {
            let names: Vec<String> = (0..n).map(|k| format!("s{k}")).collect();
            // Trajectory k: -10 at 0, rising by 100 + 5k per unit, zero near 0.1 - k / 2000.
            let advantages: Vec<Vec<f64>> = (0..n)
                .map(|k| {
                    xs.iter()
                        .map(|x| -10.0 + (100.0 + 5.0 * k as f64) * x)
                        .collect()
                })
                .collect();
            for size in [crate::chart::Size::DEFAULT, crate::chart::Size::MIN] {
                let svg = stake_lines_svg(&labels, &names, &advantages, &xs, Some(0.2), size);
                let texts = crate::chart::tests::svg_texts_xy(&svg);
                let footer = texts
                    .iter()
                    .find(|(t, _, _)| t.starts_with("Model:"))
                    .map(|(_, _, y)| *y)
                    .unwrap_or_else(|| panic!("{n} at {size}: no footer: {texts:?}"));
                for (text, x, y) in &texts {
                    assert!(
                        *x >= 0.0 && *x <= f64::from(size.width) && *y <= footer,
                        "{n} at {size}: `{text}` at ({x}, {y}), the footer at {footer}"
                    );
                }
                // The y axis runs upwards: its labels (the numbers anchored at one x, right
                // of the axis title) have baselines that fall as their values rise.
                let numbers: Vec<(f64, f64, f64)> = texts
                    .iter()
                    .filter_map(|(t, x, y)| {
                        let v: f64 = t.replace('\u{2212}', "-").replace(',', "").parse().ok()?;
                        Some((v, *x, *y))
                    })
                    .collect();
                let axis_x = numbers
                    .iter()
                    .map(|(_, x, _)| *x)
                    .max_by_key(|x| numbers.iter().filter(|(_, o, _)| o == x).count())
                    .unwrap();
                let ticks: Vec<(f64, f64)> = numbers
                    .iter()
                    .filter(|(_, x, _)| *x == axis_x)
                    .map(|(v, _, y)| (*v, *y))
                    .collect();
                assert!(ticks.len() >= 3, "{n} at {size}: {ticks:?}");
                assert!(
                    ticks
                        .windows(2)
                        .all(|w| (w[0].0 < w[1].0) == (w[0].1 > w[1].1)),
                    "{n} at {size}: {ticks:?}"
                );
                let all: String = texts
                    .iter()
                    .map(|(t, _, _)| t.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ");
                // Three are labelled; forty are not (ten, within a few pixels of one
                // another, may go either way).
                match n {
                    3 => assert!(
                        all.contains("s2 \u{2248}0.09") && !all.contains("too many"),
                        "{all}"
                    ),
                    40 => assert!(all.contains("40 break-evens, too many to label"), "{all}"),
                    _ => {}
                }
            }
        }
    }

    /// helper-237, on the change above: twelve break-evens spread along the axis, with the
    /// model's value marked a few pixels from one of them, lost every label ("too many to
    /// label"), and twelve numbered badges pushed four trajectories' names out of the
    /// legend. Twelve spread names are labelled beside their rings, at both ends of the
    /// sizes, and the legend names every trajectory.
    #[test]
    fn regression_twelve_spread_break_evens_keep_their_names() {
        let labels = ModelLabels {
            name: "Twelve".into(),
            unit: "USD m".into(),
            investor: "the investor".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        };
        let xs: Vec<f64> = (0..=20).map(|i| f64::from(i) * 0.02).collect();
        let names: Vec<String> = (0..12).map(|k| format!("s{k}")).collect();
        // Trajectory k crosses zero at 0.03 + k x 0.0264 (0.2076 for k = 7), on a line.
        let advantages: Vec<Vec<f64>> = (0..12)
            .map(|k| {
                let root = 0.03 + f64::from(k) * 0.0264;
                xs.iter().map(|x| 10.0 * (x - root) / root).collect()
            })
            .collect();
        for size in [crate::chart::Size::DEFAULT, crate::chart::Size::MAX] {
            let svg = stake_lines_svg(&labels, &names, &advantages, &xs, Some(0.205), size);
            let texts = crate::chart::tests::svg_texts(&svg);
            let all = texts.join(" | ");
            assert!(!all.contains("too many"), "{size}: {all}");
            for name in &names {
                assert!(
                    texts.iter().any(|t| t.starts_with(&format!("{name} "))),
                    "{size}: no label of {name}: {all}"
                );
                assert!(
                    texts.iter().any(|t| t == name),
                    "{size}: {name} not in the legend: {all}"
                );
            }
            assert!(texts.iter().any(|t| t == "model 0.205"), "{size}: {all}");
        }
    }

    /// helper-220: a grid the equity stake wins throughout named "the black line is the
    /// break-even" in its subtitle, and said "no break-even" in its note.
    #[test]
    fn regression_a_heatmap_of_one_sign_names_no_line() {
        let (stakes, scales) = ([0.2, 0.3, 0.4], [0.5, 1.0, 1.5]);
        let varied = stake_and_scale(&stakes, &scales);
        let text = heatmap_texts(&varied, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]).join(" ");
        assert!(!text.contains("black line"), "{text}");
        assert!(text.contains("no break-even"), "{text}");
    }
}
