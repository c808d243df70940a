//! `distribution.png`: how the NPV advantage (NPV of the equity stake less NPV of the profit
//! share) is spread over the simulated paths, as a histogram of the share of paths in each
//! bin: blue where equity is worth more, vermillion where the profit share is, and the ties
//! (an advantage that rounds to 0 at 6 decimal places, as the simulation counts them) a
//! grey spike centred on zero, in no bar, so that the blue bars add up to P(equity wins).
//! Where every path ties, the headline says so. Zero is a solid line; the 5th, 25th, 50th,
//! 75th and 95th percentiles are dashed lines labelled with their values; P(equity wins)
//! and its 95% interval (Wilson's score interval) are written above the plot.
//!
//! The bins follow the Freedman-Diaconis rule (width 2 IQR / n^(1/3)), rounded to a 1-2-2.5-5
//! step and clamped to 10..120 bins, with zero on a bin edge so that no bar mixes winners.
//! The axis shows the middle 99% of paths (and zero, when that does not squeeze the bars
//! into less than half the width), or, where tails so long would make the 120-bar cap more
//! than double the rule's width, the middle 95% or 90% (the percentiles marked stay on
//! it); the paths beyond it are counted in the legend, and a width the cap set is said to
//! be. Tails far heavier still (vols of 0.9) leave most paths in a few bars even so: a
//! linear axis cannot show them, and the percentiles are the figures to read. The values
//! are binned in one pass, so a million paths cost milliseconds.
//!
//! 1,001 paths with advantages -100, -99, ..., 900: 900 of them above zero, one a tie. The
//! percentiles at rank 1,000 q are -50, 150, 400, 650 and 850, and 2 IQR / n^(1/3) = 1,000 /
//! 10.0 gives bars 100 wide: one below zero, nine above it (the last one takes 900), and
//! the tie a spike on zero:
//!
//! ```
//! use stakeshift::chart::{ChartContext, DistributionChart, ModelLabels, Size};
//!
//! let labels = ModelLabels::of(&stakeshift::io::load_model(None)?.model); // built in
//! let advantages: Vec<f64> = (0..=1000).map(|i| f64::from(i) - 100.0).collect();
//! let p = 900.0 / 1001.0; // 89.9%
//! let interval = stakeshift::simulate::stats::interval_95(p, 1001); // Wilson's
//! let percentiles = stakeshift::chart::Percentiles { p5: -50.0, p25: 150.0, p50: 400.0,
//!     p75: 650.0, p95: 850.0 };
//! let chart = DistributionChart { around: None, labels: &labels, advantages: &advantages,
//!     p_equity_wins: p, p_equity_wins_95: interval, percentiles };
//! let ctx = ChartContext::new("m.toml", "", Size::DEFAULT, None);
//! let svg = String::from_utf8(chart.svg(&ctx)?).unwrap();
//! let texts: Vec<&str> = svg.split("<text").skip(1)
//!     .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect();
//! assert!(texts.contains(&"Equity is worth more in 89.9% of the paths (95% interval \
//!     87.9% to 91.6%)")); // worked by hand: 0.878890 to 0.916260
//! let marks = "p5 \u{2212}50.0 p25 150.0 median 400.0 p75 650.0 p95 850.0 0"; // 0: a tie
//! assert!(texts.join(" ").contains(marks));
//! assert!(texts.join(" ").contains("Bars 100 USD bn wide (Freedman-Diaconis rule)."));
//! // Bars tinted: blue above zero, vermillion below, grey for the tie; a legend swatch each.
//! let count = |colour: &str| svg.matches(colour).count();
//! assert_eq!((count("#4095C5"), count("#E08640"), count("#A0A0A0")), (10, 2, 2));
//! assert!(texts.contains(&"they are worth the same"));
//! let png = chart.png(&ctx)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! assert_eq!(png[16..24], [1600u32.to_be_bytes(), 900u32.to_be_bytes()].concat());
//! # Ok::<(), stakeshift::Error>(())
//! ```

use std::borrow::Cow;

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};

use super::canvas::{Align, Canvas, Draw, Rect};
use super::fan::{EQUITY, PROFIT_SHARE};
use super::frame::{self, Item, Layout};
use super::scale::{self, Linear, Ticks};
use super::{ChartContext, Figure, ModelLabels};
use crate::engine::Winner;
use crate::error::Error;

/// Percentiles of the NPV advantage, as SPEC 10 computes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percentiles {
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// The distribution chart's input.
#[derive(Debug, Clone, Copy)]
pub struct DistributionChart<'a> {
    pub labels: &'a ModelLabels,
    /// Every path's NPV advantage, in ascending order (values that are not finite are left
    /// out; an unsorted slice is sorted in a copy).
    pub advantages: &'a [f64],
    /// The share of paths where equity is worth more, and its 95% interval (Wilson's, as
    /// the table gives it: [`stakeshift_core::simulate::Group::p_equity_wins_95`]).
    pub p_equity_wins: f64,
    pub p_equity_wins_95: (f64, f64),
    pub percentiles: Percentiles,
    /// The centers drawn, where `--trajectory` chose fewer than the model would
    /// (`around `base``, [`crate::simulate::around`]): said in the subtitle.
    pub around: Option<&'a str>,
}

super::plain_data_chart!(DistributionChart<'_>, "distribution");

/// The parts of bars that are ties: neutral, neither regime's colour.
const TIE: RGBColor = frame::FAINT;
const MIN_BINS: f64 = 10.0;
const MAX_BINS: f64 = 120.0;
/// The shares of paths left off the axis on each side, tried in turn: the first whose
/// middle the rule's bars cover in at most twice [`MAX_BINS`], so that the cap at most
/// doubles their width (heavy tails, vols of 0.9, made the middle 99% 5,000,000 wide with
/// an IQR of 700: bars 80,000 times the rule's, and two of them held 96% of the paths).
/// The last keeps p5 and p95, which are marked, on the axis.
const TAILS: [f64; 3] = [0.005, 0.025, 0.05];
const ROW: f64 = 24.0;

use crate::simulate::stats::quantile_of_sorted as quantile;

/// A 1, 2, 2.5 or 5 times a power of ten, at least `raw` (> 0).
fn nice_width(raw: f64) -> f64 {
    let t = scale::span_ticks(0.0, raw, 1);
    if t.step >= raw { t.step } else { t.step * 2.0 }
}

/// A bin's paths by winner (decided as the simulation decides it, [`Winner::of`]): a bar is
/// drawn in these parts, so that its colours say who won and a tie, a spike at zero, is not
/// counted for either regime.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct BinCounts {
    pub profit_share: u64,
    pub tie: u64,
    pub equity: u64,
}

impl BinCounts {
    #[cfg(test)]
    pub fn total(&self) -> u64 {
        self.profit_share + self.tie + self.equity
    }
}

/// The histogram: bin edges `first + i * width`, the paths in each bin, and the paths below
/// and above the drawn range.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Histogram {
    pub first: f64,
    pub width: f64,
    pub counts: Vec<BinCounts>,
    pub below: u64,
    pub above: u64,
    /// Whether zero lies on the axis.
    pub zero_shown: bool,
    /// The rule the bin count came from: Freedman-Diaconis, or Sturges' where the
    /// interquartile range is zero; said to be capped where it wanted more bars.
    pub rule: &'static str,
}

impl Histogram {
    pub fn edge(&self, i: usize) -> f64 {
        self.first + self.width * i as f64
    }

    pub fn last(&self) -> f64 {
        self.edge(self.counts.len())
    }

    /// Bins `sorted` (ascending, finite, not empty).
    pub fn of(sorted: &[f64]) -> Histogram {
        let n = sorted.len();
        let iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
        // Freedman-Diaconis' bar width (0 where the IQR is: Sturges' rule is used then).
        let fd_width = 2.0 * iqr / (n as f64).cbrt();
        let tail = TAILS
            .into_iter()
            .find(|&t| {
                let span = quantile(sorted, 1.0 - t) - quantile(sorted, t);
                fd_width <= 0.0 || span / fd_width <= 2.0 * MAX_BINS
            })
            .unwrap_or(TAILS[TAILS.len() - 1]);
        // At most a `tail` share of the paths left off each side, and none where that is
        // less than one path (helper-276: of 5 paths the interpolated 0.5th percentile,
        // -198.8, left off one of the profit share's two wins, -200.9, so that the bars
        // showed 20% where it won 40%).
        let kept = ((tail * n as f64).floor() as usize).min(n - 1);
        let lo = quantile(sorted, tail).min(sorted[kept]);
        let hi = quantile(sorted, 1.0 - tail).max(sorted[n - 1 - kept]);
        let (mut lo, mut hi) = (lo, hi);
        // Closer than a millionth (the 6 decimal places of the CSV files, the ties'
        // tolerance) is alike too: an axis of ties a ten-millionth wide read 0.000000 at
        // every tick.
        if hi - lo <= (hi.abs().max(lo.abs()) * 1e-12).max(1e-6) {
            // All (or nearly all) paths alike: one bar in a range around the value.
            let pad = (lo.abs() * 0.01).max(1.0);
            lo -= pad;
            hi += pad;
        }
        // Zero on the axis, unless that would squeeze the bars into less than half of it.
        let span = hi - lo;
        let zero_shown = if lo > 0.0 && hi <= 2.0 * span {
            lo = 0.0;
            true
        } else if hi < 0.0 && -lo <= 2.0 * span {
            hi = 0.0;
            true
        } else {
            lo <= 0.0 && hi >= 0.0
        };
        let (target, rule) = if fd_width > 0.0 {
            ((hi - lo) / fd_width, "Freedman-Diaconis rule")
        } else {
            ((n as f64).log2() + 1.0, "Sturges' rule")
        };
        let raw = (hi - lo) / target.clamp(MIN_BINS, MAX_BINS);
        let mut width = nice_width(raw);
        // Said where the cap made the bars wider than the rule's own, once both are rounded
        // to a 1-2-2.5-5 step.
        let rule = if target > MAX_BINS && width > nice_width(fd_width) {
            "Freedman-Diaconis rule, capped at 120 bars"
        } else {
            rule
        };
        let mut first = (lo / width).floor() * width;
        let mut bins = ((hi - first) / width).ceil().max(1.0);
        // Far from zero a bin can be narrower than the values' own precision: widen it.
        if !(bins.is_finite() && bins <= 2.0 * MAX_BINS + 2.0) {
            width = (hi - lo) / MAX_BINS;
            first = lo;
            bins = MAX_BINS;
        }
        let bins = bins as usize;
        let mut hist = Histogram {
            first,
            width,
            counts: vec![BinCounts::default(); bins],
            below: 0,
            above: 0,
            zero_shown,
            rule,
        };
        let end = hist.last();
        // The bin whose left edge is zero, where zero is an edge: a path's side of zero
        // decides its side of that edge, whatever (v - first) / width rounds to (helper-119:
        // bars 2.5e21 wide put advantages of -1e9 in the bar right of zero, so that losing
        // paths were drawn on the winning side).
        let zero_edge = (first <= 0.0 && end >= 0.0).then(|| (-first / width).round() as usize);
        for &v in sorted {
            if v < first {
                hist.below += 1;
            } else if v > end {
                hist.above += 1;
            } else {
                let mut at = (((v - first) / width) as usize).min(bins - 1);
                if let Some(z) = zero_edge {
                    if v < 0.0 && z > 0 {
                        at = at.min(z - 1);
                    } else if v > 0.0 {
                        at = at.max(z.min(bins - 1));
                    }
                }
                let bin = &mut hist.counts[at];
                match Winner::of(v) {
                    Winner::ProfitShare => bin.profit_share += 1,
                    Winner::Tie => bin.tie += 1,
                    Winner::Equity => bin.equity += 1,
                }
            }
        }
        hist
    }
}

/// A probability as a percentage: one decimal, two where the interval is narrower than that.
/// A value on the advantage's axis, with at least the decimals that tell one bar of `width`
/// from the next (with bars 0.005 wide, a median of 0.0044 printed "0.00" read as a tie, and
/// an axis that ends at 0.095 was said to end at 0.10).
fn on_axis(v: f64, width: f64) -> String {
    if v.abs() >= 1e15 {
        return scale::number(v);
    }
    let dp = if width > 0.0 && width.is_finite() {
        ((-width.log10()).ceil().max(0.0) as usize).min(8)
    } else {
        0
    };
    scale::pretty(&format!("{v:.*}", scale::number_places(v).max(dp)))
}

/// `k` paths of `n` with their share: `87 paths (0.9%)`.
fn share_of(k: u64, n: usize) -> String {
    let paths = if k == 1 { "path" } else { "paths" };
    let share = k as f64 / n as f64;
    let share = if share > 0.0 && share < 0.001 {
        "<0.1%".to_string()
    } else {
        pct(share, 1)
    };
    format!("{} {paths} ({share})", scale::pretty(&k.to_string()))
}

fn pct(p: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, p * 100.0)
}

impl Figure for DistributionChart<'_> {
    fn stem(&self) -> &'static str {
        "distribution"
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>, ctx: &ChartContext) -> Draw {
        let l = self.labels;
        let sorted: Cow<[f64]> = if self.advantages.iter().all(|v| v.is_finite())
            && self.advantages.windows(2).all(|w| w[0] <= w[1])
        {
            Cow::Borrowed(self.advantages)
        } else {
            let mut v: Vec<f64> = self
                .advantages
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            v.sort_by(f64::total_cmp);
            Cow::Owned(v)
        };
        let n = sorted.len();
        let Layout { content, legend } = frame::frame(
            c,
            &l.name,
            &format!(
                "How much more the equity stake is worth to {} than {} (NPV, in {}), over {} simulated {}{}",
                l.investor,
                l.profit_share,
                l.unit,
                scale::pretty(&n.to_string()),
                if n == 1 { "future" } else { "futures" },
                self.around.map_or_else(String::new, |a| format!(" {a}")),
            ),
            ctx,
        )?;

        // Every path a tie: said so, not "Equity is worth more in 0.00% of the paths".
        let all_tie = n > 0 && sorted.iter().all(|v| Winner::of(*v) == Winner::Tie);
        // The headline: P(equity wins) and its 95% interval.
        let p = self.p_equity_wins.clamp(0.0, 1.0);
        let (lo, hi) = self.p_equity_wins_95;
        let (lo, hi) = (lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0));
        let dp = if hi - lo < 0.002 { 2 } else { 1 };
        let headline = match n {
            1 if all_tie => "The one path is a tie: the two deals are worth the same".to_string(),
            _ if all_tie => format!(
                "Every path is a tie: the two deals are worth the same in all {} paths",
                scale::pretty(&n.to_string())
            ),
            _ => format!(
                "Equity is worth more in {} of the paths (95% interval {} to {})",
                pct(p, dp),
                pct(lo, dp),
                pct(hi, dp)
            ),
        };
        let hf = frame::label_font().bold();
        c.text(
            &c.fit(&headline, &hf, content.width()),
            content.x0,
            content.y0 + 14.0,
            &hf,
            Align::Left,
        )?;

        let mut items = vec![
            Item::Heading("Paths where".into()),
            Item::Swatch(frame::tint(EQUITY, 0.25), "equity is worth more".into()),
            Item::Swatch(
                frame::tint(PROFIT_SHARE, 0.25),
                format!("{} is", l.profit_share),
            ),
            Item::Gap,
            Item::Heading("Marks".into()),
            Item::Line(frame::INK, false, 2.0, "zero: a tie".into()),
            Item::Line(frame::MUTED, true, 1.5, "percentiles".into()),
            Item::Gap,
        ];
        if n == 0 {
            let f = frame::label_font();
            c.text(
                "No paths to draw.",
                content.x0,
                content.y0 + 80.0,
                &f,
                Align::Left,
            )?;
            return frame::legend(c, legend, &items);
        }
        let hist = Histogram::of(&sorted);
        let ties: u64 = hist.counts.iter().map(|bin| bin.tie).sum();
        let tie_swatch = Item::Swatch(frame::tint(TIE, 0.25), "they are worth the same".into());
        if all_tie {
            // Nothing but the ties and zero is drawn: the legend lists nothing else.
            items = vec![
                Item::Heading("Paths where".into()),
                tie_swatch,
                Item::Gap,
                Item::Heading("Marks".into()),
                Item::Line(frame::INK, false, 2.0, "zero: a tie".into()),
                Item::Gap,
            ];
        } else {
            if ties > 0 {
                items.insert(3, tie_swatch);
            }
            // Only the colours a bar is drawn in (helper-119: "the profit share is" beside
            // bars all blue, where equity won every path).
            let drawn = |side: fn(&BinCounts) -> u64| hist.counts.iter().map(side).sum::<u64>() > 0;
            if !drawn(|b| b.profit_share) {
                items.remove(2);
            }
            if !drawn(|b| b.equity) {
                items.remove(1);
            }
        }

        // Percentile and zero marks, labelled in rows above the plot.
        let pc = self.percentiles;
        let mut marks: Vec<(f64, String, bool)> = [
            ("p5", pc.p5),
            ("p25", pc.p25),
            ("median", pc.p50),
            ("p75", pc.p75),
            ("p95", pc.p95),
        ]
        .into_iter()
        // Where every path ties, every percentile is the zero mark.
        .filter(|_| !all_tie)
        .filter(|(_, v)| v.is_finite() && *v >= hist.first && *v <= hist.last())
        .map(|(name, v)| (v, format!("{name} {}", on_axis(v, hist.width)), false))
        .collect();
        if hist.zero_shown {
            marks.push((0.0, "0".into(), true));
        }
        let ticks = scale::span_ticks(hist.first, hist.last(), 8);
        // The ties are a spike of their own at zero; the bars hold the winners.
        let share_max = hist
            .counts
            .iter()
            .map(|bin| bin.profit_share + bin.equity)
            .chain([ties])
            .max()
            .unwrap_or(0) as f64
            / n as f64;
        let y_ticks = scale::nice_ticks(0.0, share_max, 6);
        let ylab = |v: f64, t: &Ticks| scale::percent_tick(v, t.step);
        let label_w = frame::y_label_width(c, &y_ticks, &ylab);
        let plot = Rect {
            x0: (content.x0 + label_w + 12.0).round(),
            y0: (content.y0 + 64.0).round(),
            x1: content.x1.round(),
            y1: (content.y1 - 62.0).round(),
        };
        let x = Linear::new((hist.first, hist.last()), (plot.x0, plot.x1));
        let sf = frame::small_font();
        let mark_px: Vec<(f64, String)> = marks
            .iter()
            .map(|(v, t, _)| (x.map(*v), t.clone()))
            .collect();
        let placed = frame::markers(c, &mark_px, plot.x0, plot.x1, &sf, usize::MAX, usize::MAX);
        let band = placed.rows as f64 * ROW + 8.0;
        let data = Rect {
            y0: plot.y0 + band,
            ..plot
        };
        let y = Linear::new((y_ticks.lo, y_ticks.hi), (data.y1, data.y0));
        frame::y_axis(c, data, &y, &y_ticks, &ylab)?;
        frame::y_axis_title(c, content.x0, plot.y0, plot.x1, "share of paths")?;
        let tick = |v: f64, t: &Ticks| scale::tick_label(v, t);
        frame::x_axis(c, data, &x, &ticks, &tick)?;
        let tf = frame::tick_font();
        // Fitted to the plot, as every axis title is (helper-208: drawn whole, a unit of a
        // million characters had every glyph laid out off the canvas, 23 s).
        c.text(
            &c.fit(
                &format!(
                    "NPV advantage of the equity stake over {}, {}",
                    l.profit_share, l.unit
                ),
                &sf,
                plot.width(),
            ),
            (plot.x0 + plot.x1) / 2.0,
            data.y1 + 8.0 + tf.cap_height() + 30.0,
            &sf,
            Align::Center,
        )?;

        // The bars, each in parts by winner (a bar holds one regime's winners but where a
        // value rounds across zero). Each part's top is its cumulative share rounded to a
        // pixel, so the parts meet exactly. The ties are not in them: they were the grey
        // foot of the bar from 0, drawn as if their advantage lay between 0 and a bar's
        // width; they are a spike on the zero line, drawn after the bars.
        for (i, bin) in hist.counts.iter().enumerate() {
            let (a, b) = (hist.edge(i), hist.edge(i + 1));
            let (x0, x1) = (
                x.map(a).round(),
                x.map(b).round().max(x.map(a).round() + 1.0),
            );
            let mut below = 0;
            for (count, colour) in [(bin.profit_share, PROFIT_SHARE), (bin.equity, EQUITY)] {
                if count == 0 {
                    continue;
                }
                let top = below + count;
                let r = Rect {
                    x0,
                    x1,
                    y0: y.map(top as f64 / n as f64).round().min(data.y1 - 1.0),
                    y1: if below == 0 {
                        data.y1
                    } else {
                        y.map(below as f64 / n as f64).round().min(data.y1 - 1.0)
                    },
                };
                if r.y1 > r.y0 {
                    c.fill_rect(r, frame::tint(colour, 0.25).to_rgba())?;
                }
                below = top;
            }
        }

        // The zero line stands on the ties' spike, not through it.
        let mut zero_foot = data.y1;
        if ties > 0 {
            // A narrow spike centred on zero, a white edge keeping it apart from the bars
            // either side.
            let px = x.map(0.0).round();
            let bar_px = (x.map(hist.width) - x.map(0.0)).abs();
            let half = (bar_px * 0.35).clamp(4.0, 8.0).round();
            let top = y.map(ties as f64 / n as f64).round().min(data.y1 - 1.0);
            // Zero at an end of the axis: the spike stays within the plot.
            let spike = Rect {
                x0: (px - half).max(data.x0),
                y0: top,
                x1: (px + half).min(data.x1),
                y1: data.y1,
            };
            let edge = Rect {
                x0: (spike.x0 - 2.0).max(data.x0),
                y0: spike.y0 - 2.0,
                x1: (spike.x1 + 2.0).min(data.x1),
                y1: spike.y1,
            };
            c.fill_rect(edge, frame::WHITE.to_rgba())?;
            c.fill_rect(spike, frame::tint(TIE, 0.25).to_rgba())?;
            zero_foot = edge.y0;
        }

        // The marks over the bars.
        for (i, label) in placed.labels.iter().enumerate() {
            let mid = plot.y0 + label.row as f64 * ROW + 4.0;
            let zero = marks[i].2;
            if zero {
                c.line(&[(label.px, zero_foot), (label.px, mid)], frame::INK, 2.0)?;
            } else {
                c.dashed(
                    &[(label.px, data.y1), (label.px, mid)],
                    frame::MUTED,
                    1.5,
                    5.0,
                    4.0,
                )?;
            }
            placed.draw_label(c, i, mid, frame::INK, &sf)?;
        }
        if placed.numbered {
            for (i, (_, t, _)) in marks.iter().enumerate() {
                items.push(Item::Note(format!("{}: {t}", i + 1)));
            }
            items.push(Item::Gap);
        }

        let mut notes = if all_tie {
            "Every path's advantage rounds to 0 at 6 decimal places, and so does every percentile."
                .to_string()
        } else {
            format!(
                "Bars {} {} wide ({}).",
                scale::input_value(hist.width),
                l.unit,
                hist.rule
            )
        };
        if ties > 0 && !all_tie {
            notes.push_str(&format!(
                " Ties: the grey spike at zero, {}.",
                share_of(ties, n)
            ));
        }
        let share = |k: u64| share_of(k, n);
        if hist.below + hist.above > 0 {
            notes.push_str(&format!(
                " Beyond the axis: {} below {} and {} above {}.",
                share(hist.below),
                on_axis(hist.first, hist.width),
                share(hist.above),
                on_axis(hist.last(), hist.width)
            ));
        }
        if !hist.zero_shown {
            notes.push_str(if hist.first > 0.0 {
                " Zero lies far to the left of the axis."
            } else {
                " Zero lies far to the right of the axis."
            });
            // No zero line is drawn: none is keyed (helper-137, as the tornado does).
            items
                .retain(|item| !matches!(item, Item::Line(_, _, _, text) if text == "zero: a tie"));
        }
        items.push(Item::Note(notes));
        items.extend(l.cloud_note.clone().map(Item::Note));
        frame::legend(c, legend, &items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With bars 0.005 wide a median of 0.004372 was labelled "median 0.00" (a tie, to a
    /// reader), and an axis ending at 0.095 was said to end at "0.10": labels carry the
    /// decimals of the bar width, and keep the usual ones where bars are wide.
    #[test]
    fn regression_small_amounts_are_labelled_to_the_bar_width() {
        // (Below 0.01, at least two significant digits: helper-103.)
        assert_eq!(on_axis(0.004372, 0.005), "0.0044");
        assert_eq!(on_axis(0.095, 0.005), "0.095");
        assert_eq!(on_axis(0.0000123, 0.00001), "0.000012");
        // A p25 of -5e-6 beside bars 1e-5 wide was "0.00000": its sign and digits kept.
        assert_eq!(on_axis(-0.000005, 0.00001), "\u{2212}0.000005");
        // Wide bars: as every chart's numbers (2 places below 10, 1 below 1000, else 0).
        assert_eq!(on_axis(7.25481, 0.5), "7.25");
        assert_eq!(on_axis(401.34, 20.0), "401.3");
        assert_eq!(on_axis(2392.4, 100.0), "2,392");
    }

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.25), 2.0);
        assert_eq!(quantile(&v, 0.1), 1.4);
        assert_eq!(quantile(&[7.0], 0.9), 7.0);
    }

    #[test]
    fn bins_put_zero_on_an_edge_and_count_every_path() {
        // 1000 values from -2 to 7.99.
        let v: Vec<f64> = (0..1000).map(|i| -2.0 + f64::from(i) / 100.0).collect();
        let h = Histogram::of(&v);
        let total: u64 = h.counts.iter().map(BinCounts::total).sum::<u64>() + h.below + h.above;
        assert_eq!(total, 1000);
        // Zero is an edge: first is a whole number of widths below it.
        let k = -h.first / h.width;
        assert!((k - k.round()).abs() < 1e-9, "{h:?}");
        assert!(h.zero_shown);
        assert!(
            h.counts.len() >= 10 && h.counts.len() <= 242,
            "{}",
            h.counts.len()
        );
        // The middle 99% are on the axis: at most 0.5% (5 paths) and a bin's width each side.
        assert!(h.below <= 5 && h.above <= 5, "{h:?}");
    }

    /// helper-276: of 5 paths, the interpolated 0.5th percentile (-198.8) put one of the
    /// profit share's two wins (-200.9) off the axis, and the bars said it won 20% of the
    /// paths, not 40%. A side now leaves off at most its tail's share of the paths, and no
    /// path where that share is less than one.
    #[test]
    fn regression_a_few_paths_are_all_on_the_axis() {
        let mut few = vec![-95.45496, 285.995309, 6.661997, 8.19399, -200.858122];
        few.sort_by(f64::total_cmp);
        let h = Histogram::of(&few);
        assert_eq!((h.below, h.above), (0, 0), "{h:?}");
        // Heavy tails among fewer than 20 paths (a twentieth of them less than one path).
        for n in 2..20 {
            let mut v: Vec<f64> = (0..n).map(|i| f64::from(i) - f64::from(n) / 2.0).collect();
            v[0] = -1e6;
            v[n as usize - 1] = 3e7;
            let h = Histogram::of(&v);
            assert_eq!((h.below, h.above), (0, 0), "{n} paths: {h:?}");
        }
        // Of 1,000 paths with a far tail, at most 5% each side (the widest tail tried).
        let mut v: Vec<f64> = (0..1000).map(|i| f64::from(i % 100)).collect();
        v.extend([-1e9; 30]);
        v.sort_by(f64::total_cmp);
        let h = Histogram::of(&v);
        assert!(h.below <= 51 && h.above <= 51, "{h:?}");
    }

    /// helper-220: advantages with tails thousands of times their IQR (vols of 0.9) drew
    /// the middle 99% in bars 5,000,000 wide, and two bars held 96% of the paths, "by the
    /// Freedman-Diaconis rule" (which gave 65). The axis narrows to the middle 95% or 90%
    /// where that lets the rule's bars show the middle, and a width the cap set says so.
    #[test]
    fn regression_heavy_tails_do_not_squeeze_the_paths_into_two_bars() {
        // 10,000 values: the middle 96% evenly from -480 to 480 (IQR 500), the rest on
        // 200-step geometric tails out to 1e8 each side.
        let mut v: Vec<f64> = (0..9600).map(|i| -480.0 + f64::from(i) * 0.1).collect();
        for i in 0..200 {
            let far = 500.0 * (1e8_f64 / 500.0).powf(f64::from(i) / 199.0);
            v.push(-far);
            v.push(far);
        }
        v.sort_by(f64::total_cmp);
        let h = Histogram::of(&v);
        // FD: 2 x 500 / 10,000^(1/3) = 46.4 wide; the middle 95% (-480 .. 480 and a little)
        // takes about 21 of those: bars of 50, no cap.
        assert_eq!(h.width, 50.0, "{h:?}");
        assert_eq!(h.rule, "Freedman-Diaconis rule");
        let (p5, p95) = (quantile(&v, 0.05), quantile(&v, 0.95));
        assert!(h.first <= p5 && h.last() >= p95, "{h:?}");
        // No bar holds more than a tenth of the paths.
        let most = h.counts.iter().map(BinCounts::total).max().unwrap();
        assert!(most <= 1000, "{most}: {h:?}");

        // Tails so long that even the middle 90% needs more than 120 of the rule's bars:
        // the cap sets the width, and the note says so.
        // (The middle half evenly within +-350, then out to +-3.5e6 at p5 and p95: FD's
        // bars, 65 wide, would need 100,000 for the middle 90%.)
        let wide: Vec<f64> = (0..10_000)
            .map(|i| {
                let d = (f64::from(i) + 0.5) / 10_000.0 - 0.5;
                let far = if d.abs() <= 0.25 {
                    1400.0 * d.abs()
                } else {
                    350.0 * 1e4_f64.powf((d.abs() - 0.25) / 0.2)
                };
                far.copysign(d)
            })
            .collect();
        let h = Histogram::of(&wide);
        assert_eq!(
            h.rule, "Freedman-Diaconis rule, capped at 120 bars",
            "{h:?}"
        );
        assert!(h.counts.len() <= 2 * MAX_BINS as usize + 2);
        assert!(h.first <= quantile(&wide, 0.05) && h.last() >= quantile(&wide, 0.95));
    }

    /// helper-119: with bars 2.5e21 wide, (v - first) / width rounded advantages of -1e9
    /// into the bar right of zero: losing paths drawn on the winning side. No bar left of
    /// zero holds a path the equity stake wins, and none right of it one it loses.
    #[test]
    fn regression_no_bar_holds_a_path_on_the_other_side_of_zero() {
        let mut v: Vec<f64> = Vec::new();
        for i in 0..2000 {
            let x = f64::from(i) / 1000.0 - 1.0;
            v.push(x * 1e22);
        }
        v.extend([-1e9, -1.0, -1e-3, 1e-3, 1.0, 1e9]);
        v.sort_by(f64::total_cmp);
        let h = Histogram::of(&v);
        assert!(h.zero_shown && h.width > 1e20, "{h:?}");
        let total: u64 = h.counts.iter().map(BinCounts::total).sum::<u64>() + h.below + h.above;
        assert_eq!(total, v.len() as u64);
        let left: u64 = v.iter().filter(|x| **x < -5e-7 && **x >= h.first).count() as u64;
        for (i, c) in h.counts.iter().enumerate() {
            let right_edge = h.first + h.width * (i + 1) as f64;
            if right_edge <= 0.0 {
                assert_eq!(c.equity, 0, "bar {i}: {c:?}");
            } else {
                assert_eq!(c.profit_share, 0, "bar {i}: {c:?}");
            }
        }
        let drawn_left: u64 = h.counts.iter().map(|c| c.profit_share).sum();
        assert_eq!(drawn_left, left);
    }

    #[test]
    fn equal_values_make_one_bar() {
        let v = vec![1e15; 1000];
        let h = Histogram::of(&v);
        assert_eq!(h.counts.iter().filter(|c| c.total() > 0).count(), 1);
        assert_eq!(h.counts.iter().map(|c| c.equity).sum::<u64>(), 1000);
        assert!(!h.zero_shown, "zero is 1e15 away: not on the axis");
        let h = Histogram::of(&[0.0; 3]);
        assert_eq!(h.counts.iter().map(|c| c.tie).sum::<u64>(), 3, "0 is a tie");
        assert!(h.zero_shown);
    }

    /// Regression (helper-51): a tie, advantage 0 on the edge of the bar from 0, was drawn
    /// blue with that bar, so the blue bars added up to more than P(equity wins).
    #[test]
    fn regression_ties_are_not_counted_as_equity_wins() {
        // 40 ties (0 and within 5e-7 either side), 60 paths where equity wins by 1..60, 100
        // where the profit share wins by 1..100.
        let mut v: Vec<f64> = (0..40).map(|i| f64::from(i - 20) * 2e-8).collect();
        v.extend((1..=60).map(f64::from));
        v.extend((1..=100).map(|i| -f64::from(i)));
        v.sort_by(f64::total_cmp);
        let h = Histogram::of(&v);
        let sum = |f: fn(&BinCounts) -> u64| h.counts.iter().map(f).sum::<u64>();
        assert_eq!((h.below, h.above), (0, 0), "{h:?}");
        assert_eq!(
            (sum(|c| c.equity), sum(|c| c.tie), sum(|c| c.profit_share)),
            (60, 40, 100)
        );
        // Every bar holds one regime's winners: ties beside zero only.
        for (i, c) in h.counts.iter().enumerate() {
            assert!(c.equity == 0 || c.profit_share == 0, "bar {i}: {c:?}");
            if c.tie > 0 {
                assert!(h.edge(i) == 0.0 || h.edge(i + 1) == 0.0, "bar {i}: {c:?}");
            }
        }
    }

    #[test]
    fn a_range_far_from_zero_with_fine_spread_still_bins() {
        let v: Vec<f64> = (0..100).map(|i| 1e15 + f64::from(i)).collect();
        let h = Histogram::of(&v);
        assert!(h.counts.len() <= 242);
        assert_eq!(
            h.counts.iter().map(BinCounts::total).sum::<u64>() + h.below + h.above,
            100
        );
    }

    /// The grey rectangles of a chart's SVG left of the legend: (x, width, height).
    fn tie_rects(svg: &[u8]) -> Vec<(f64, f64, f64)> {
        let svg = String::from_utf8_lossy(svg);
        svg.split("<rect")
            .skip(1)
            .filter(|r| r.contains("fill=\"#A0A0A0\""))
            .map(|r| {
                let attr = |name: &str| -> f64 {
                    let v = r.split(&format!(" {name}=\"")).nth(1).unwrap();
                    v[..v.find('"').unwrap()].parse().unwrap()
                };
                (attr("x"), attr("width"), attr("height"))
            })
            .filter(|r| r.0 < 1250.0)
            .collect()
    }

    /// Where the x axis puts zero: its tick label's x.
    fn zero_x(svg: &[u8]) -> f64 {
        crate::chart::tests::x_tick_labels(svg)
            .into_iter()
            .find(|(t, _)| t.trim_start_matches(['0', '.']).is_empty())
            .expect("a zero tick")
            .1
    }

    fn labels() -> ModelLabels {
        ModelLabels {
            name: "All zero".into(),
            unit: "USD m".into(),
            investor: "the fund".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        }
    }

    /// helper-119: the legend listed "the profit share is" beside bars all blue (equity won
    /// every path). It lists the colours drawn.
    #[test]
    fn regression_the_legend_lists_only_the_colours_drawn() {
        let advantages: Vec<f64> = (1..=2000).map(f64::from).collect();
        let chart = DistributionChart {
            around: None,
            labels: &labels(),
            advantages: &advantages,
            p_equity_wins: 1.0,
            p_equity_wins_95: (0.998, 1.0),
            percentiles: Percentiles {
                p5: 100.95,
                p25: 500.75,
                p50: 1000.5,
                p75: 1500.25,
                p95: 1900.05,
            },
        };
        let ctx = ChartContext::new("won.toml", "", crate::chart::Size::DEFAULT, None);
        let texts = crate::chart::tests::svg_texts(&chart.svg(&ctx).unwrap()).join(" ");
        assert!(texts.contains("equity is worth more"), "{texts}");
        assert!(!texts.contains("the profit share is"), "{texts}");
        assert!(!texts.contains("they are worth the same"), "{texts}");
        let lost: Vec<f64> = advantages.iter().map(|a| -a).collect();
        let chart = DistributionChart {
            around: None,
            advantages: &lost,
            p_equity_wins: 0.0,
            p_equity_wins_95: (0.0, 0.002),
            ..chart
        };
        let texts = crate::chart::tests::svg_texts(&chart.svg(&ctx).unwrap()).join(" ");
        assert!(texts.contains("the profit share is"), "{texts}");
        assert!(!texts.contains("equity is worth more"), "{texts}");
        // helper-154: a regime A of a revenue share alone is named so in the subtitle, the
        // axis and the legend alike.
        let revenue_share = ModelLabels {
            profit_share: "the revenue share",
            ..labels()
        };
        let chart = DistributionChart {
            around: None,
            labels: &revenue_share,
            ..chart
        };
        let texts = crate::chart::tests::svg_texts(&chart.svg(&ctx).unwrap()).join(" ");
        assert!(!texts.contains("profit share"), "{texts}");
        for said in [
            "than the revenue share",
            "over the revenue share",
            "the revenue share is",
        ] {
            assert!(texts.contains(said), "{said}: {texts}");
        }
    }

    /// The audit's L4: where every path ties, the ties were drawn as a bar from 0 to 0.2
    /// (the equity side) under the headline "Equity is worth more in 0.00% of the paths
    /// (95% interval 0.00% to 0.00%)". The headline says every path ties, the ties are a
    /// spike on zero, and nothing else (no percentiles, no regimes) is listed.
    #[test]
    fn regression_when_every_path_ties_the_chart_says_so() {
        let advantages: Vec<f64> = (0..2000).map(|i| f64::from(i - 1000) * 1e-10).collect();
        let chart = DistributionChart {
            around: None,
            labels: &labels(),
            advantages: &advantages,
            p_equity_wins: 0.0,
            p_equity_wins_95: (0.0, 0.0018),
            percentiles: Percentiles {
                p5: 0.0,
                p25: 0.0,
                p50: 0.0,
                p75: 0.0,
                p95: 0.0,
            },
        };
        let ctx = ChartContext::new("zero.toml", "", crate::chart::Size::DEFAULT, None);
        let svg = chart.svg(&ctx).unwrap();
        let texts = crate::chart::tests::svg_texts(&svg).join(" ");
        assert!(
            texts.contains(
                "Every path is a tie: the two deals are worth the same in all 2,000 paths"
            ),
            "{texts}"
        );
        for not_drawn in [
            "Equity is worth more",
            "equity is worth more",
            "the profit share is",
            "median",
            "percentiles",
            "Bars ",
        ] {
            assert!(!texts.contains(not_drawn), "`{not_drawn}` in {texts}");
        }
        let ties = tie_rects(&svg);
        assert_eq!(ties.len(), 1, "{ties:?}");
        let (x, w, _) = ties[0];
        assert!(
            (x + w / 2.0 - zero_x(&svg)).abs() <= 1.0,
            "{ties:?} about {}",
            zero_x(&svg)
        );
    }

    /// The audit's L4 on the built-in model: its 87 ties of 10,000 paths (paths.csv, all
    /// 0.000000) were the grey foot of the bar from 0 to 20, drawn as if their advantage
    /// lay on the equity side. They are a spike centred on zero, narrower than a bar, and
    /// the bar from 0 holds only equity's wins.
    #[test]
    fn regression_ties_are_drawn_on_zero_not_in_the_first_equity_bar() {
        let mut v: Vec<f64> = vec![0.0; 40];
        v.extend((1..=60).map(f64::from));
        v.extend((1..=100).map(|i| -f64::from(i)));
        v.sort_by(f64::total_cmp);
        let chart = DistributionChart {
            around: None,
            labels: &labels(),
            advantages: &v,
            p_equity_wins: 0.3,
            p_equity_wins_95: (0.24, 0.36),
            percentiles: Percentiles {
                p5: -90.0,
                p25: -50.0,
                p50: -10.0,
                p75: 10.0,
                p95: 50.0,
            },
        };
        let ctx = ChartContext::new("ties.toml", "", crate::chart::Size::DEFAULT, None);
        let svg = chart.svg(&ctx).unwrap();
        let ties = tie_rects(&svg);
        assert_eq!(ties.len(), 1, "{ties:?}");
        let (x, w, _) = ties[0];
        let zero = zero_x(&svg);
        assert!((x + w / 2.0 - zero).abs() <= 1.0, "{ties:?} about {zero}");
        let texts = crate::chart::tests::svg_texts(&svg).join(" ");
        assert!(
            texts.contains("Ties: the grey spike at zero, 40 paths (20.0%)."),
            "{texts}"
        );
    }
}
