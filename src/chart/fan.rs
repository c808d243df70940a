//! `fan.png`: the investor's value each year across simulated futures, for both deals: a
//! pale band from the 5th to the 95th percentile, a deeper one from the 25th to the 75th,
//! the median as a solid line and the mean dashed. The value is the cumulative cash flow,
//! plus the stake's holding value under the equity deal, undiscounted (the rows of
//! `fan.csv`, SPEC section 10). Equity in blue, the profit share in vermillion (Okabe-Ito).
//! Two panels side by side, each with one deal's bands and both deals' lines, so that no
//! band is drawn over the other's (where they overlapped, their tints blended into a colour
//! no legend names): on one scale, or, when the equity bands dwarf the profit share's, the
//! second a close-up on the profit share's range, as in `value.png`. A single year has no
//! band to sweep along the years: its bands are a bar at that year, the median and mean
//! marks across it.
//!
//! Six years of made-up rows: the profit share's median rises by 20 a year to 100, its 5-95
//! band 10 either side; equity's five times as much. The profit share then spans 160 of
//! the 600 that the whole range spans (-50 to 550), under a third: a close-up is drawn.
//!
//! ```
//! use stakeshift::chart::{ChartContext, FanChart, FanRow, ModelLabels, Size};
//! use stakeshift::engine::Regime;
//!
//! let labels = ModelLabels::of(&stakeshift::io::load_model(None)?.model); // built in
//! let fan = |(regime, k): (Regime, f64)| (2025..=2030).map(move |year| {
//!     let m = k * 20.0 * f64::from(year - 2025);
//!     FanRow { regime, year, p5: m - 10.0 * k, p25: m - 5.0 * k, p50: m, p75: m + 5.0 * k,
//!         p95: m + 10.0 * k, mean: m + k }
//! });
//! let rows: Vec<FanRow> = [(Regime::Equity, 5.0), (Regime::ProfitShare, 1.0)]
//!     .into_iter().flat_map(fan).collect();
//! let chart = FanChart {
//!     labels: &labels, rows: &rows, paths: 10000, sample: Some(1000), around: None,
//! };
//! let ctx = ChartContext::new("m.toml", "", Size::DEFAULT, None);
//! let svg = String::from_utf8(chart.svg(&ctx)?).unwrap();
//! let texts: Vec<&str> = svg.split("<text").skip(1)
//!     .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect();
//! assert!(texts.contains(&"USD bn, bands: equity stake"));
//! assert!(texts.contains(&"USD bn, bands: profit share (close-up on its range)"));
//! let legend = texts.join(" ");
//! assert!(legend.contains("Equity stake median mean 25th to 75th percentile"));
//! assert!(legend.contains("a fixed sample of 1,000 of the 10,000 paths."));
//! assert!(svg.contains("#0072B2") && svg.contains("#D55E00")); // blue, vermillion
//! let png = chart.png(&ctx)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! assert_eq!(png[16..24], [1600u32.to_be_bytes(), 900u32.to_be_bytes()].concat());
//! # Ok::<(), stakeshift::Error>(())
//! ```

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};

use super::canvas::{Align, Canvas, Draw, clip_polygon};
use super::frame::{self, Item, Layout};
use super::scale;
use super::{ChartContext, Figure, ModelLabels};
use crate::engine::Regime;
use crate::error::Error;

/// One row of `fan.csv`: the percentiles and mean of the investor's value in `year` under
/// `regime`, over the simulated paths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FanRow {
    pub regime: Regime,
    pub year: i32,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub mean: f64,
}

/// The fan chart's input: `fan.csv`'s rows (any order; rows with a value that is not finite
/// are left out) and how many paths they describe.
#[derive(Debug, Clone, Copy)]
pub struct FanChart<'a> {
    pub labels: &'a ModelLabels,
    pub rows: &'a [FanRow],
    /// How many paths the simulation ran.
    pub paths: u64,
    /// How many of them the rows were computed from, when that is a sample (said on the chart).
    pub sample: Option<u64>,
    /// The centers drawn, where `--trajectory` chose fewer than the model would
    /// (`around `base``, [`crate::simulate::around`]): said in the subtitle.
    pub around: Option<&'a str>,
}

super::plain_data_chart!(FanChart<'_>, "fan");

pub(crate) const EQUITY: RGBColor = frame::PALETTE[0];
pub(crate) const PROFIT_SHARE: RGBColor = frame::PALETTE[4];
/// Opacity of the outer (5-95) and inner (25-75) bands.
const OUTER: f64 = 0.16;
const INNER: f64 = 0.30;
const LINE: f64 = 2.5;
const DASH: (f64, f64) = (8.0, 5.0);
/// A line's points, in pixels.
type Points = Vec<(f64, f64)>;
/// The width of a single year's bar and of its median and mean marks.
const SINGLE_YEAR: f64 = 42.0;

/// One regime's rows in year order.
struct Fan {
    regime: Regime,
    color: RGBColor,
    rows: Vec<FanRow>,
}

impl Fan {
    fn of(regime: Regime, color: RGBColor, rows: &[FanRow]) -> Fan {
        let mut rows: Vec<FanRow> = rows
            .iter()
            .filter(|r| r.regime == regime)
            .filter(|r| {
                [r.p5, r.p25, r.p50, r.p75, r.p95, r.mean]
                    .iter()
                    .all(|v| v.is_finite())
            })
            .copied()
            .collect();
        rows.sort_by_key(|r| r.year);
        rows.dedup_by_key(|r| r.year);
        Fan {
            regime,
            color,
            rows,
        }
    }

    /// The range the panels show of this deal: its bands, and its mean unless taking the
    /// mean in would make the range more than [`MEAN_ROOM`] times the bands' span (a mean
    /// pulled far above the 95th percentile by a few paths, as large vols make it, squashed
    /// every band and median to a flat line at 0; helper-186). Bands of no span (95% of
    /// paths at one value) keep their mean.
    fn range(&self) -> (f64, f64) {
        let bands = self.bands();
        let with_means = self
            .rows
            .iter()
            .fold(bands, |(lo, hi), r| (lo.min(r.mean), hi.max(r.mean)));
        let span = bands.1 - bands.0;
        if span > 0.0 && with_means.1 - with_means.0 > MEAN_ROOM * span {
            bands
        } else {
            with_means
        }
    }

    /// From the lowest 5th percentile to the highest 95th, and 0.
    fn bands(&self) -> (f64, f64) {
        self.rows.iter().fold((0.0f64, 0.0f64), |(lo, hi), r| {
            (lo.min(r.p5), hi.max(r.p95))
        })
    }

    /// The year and value of the mean farthest outside `(lo, hi)`, where one is.
    fn mean_outside(&self, (lo, hi): (f64, f64)) -> Option<(i32, f64)> {
        self.rows
            .iter()
            .map(|r| (r, (r.mean - hi).max(lo - r.mean)))
            .filter(|(_, beyond)| *beyond > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(r, _)| (r.year, r.mean))
    }
}

/// How many times its bands' span a deal's range may take to show its mean; beyond it the
/// mean is left to run off the chart (and the legend says so).
const MEAN_ROOM: f64 = 2.0;

impl Figure for FanChart<'_> {
    fn stem(&self) -> &'static str {
        "fan"
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>, ctx: &ChartContext) -> Draw {
        let l = self.labels;
        let around = self.around.map_or_else(String::new, |a| format!(" {a}"));
        let Layout { content, legend } = frame::frame(
            c,
            &l.name,
            &if self.one_path() {
                format!(
                    "Value to {} each year in the one simulated future{around}, in {}, not discounted",
                    l.investor, l.unit
                )
            } else {
                format!(
                    "Value to {} each year across the simulated futures{around}, in {}, not discounted: median, middle half and middle 90%",
                    l.investor, l.unit
                )
            },
            ctx,
        )?;
        let fans = [
            Fan::of(Regime::ProfitShare, PROFIT_SHARE, self.rows),
            Fan::of(Regime::Equity, EQUITY, self.rows),
        ];
        let years = fans.iter().flat_map(|f| f.rows.iter().map(|r| r.year));
        let (first, last) = match (years.clone().min(), years.max()) {
            (Some(a), Some(b)) => (a, b),
            _ => {
                let f = frame::label_font();
                c.text(
                    "No years to draw: the simulation gave no rows.",
                    content.x0,
                    content.y0 + 60.0,
                    &f,
                    Align::Left,
                )?;
                return frame::legend(c, legend, &self.legend_items(&fans, None));
            }
        };
        let (ps_lo, ps_hi) = fans[0].range();
        let (eq_lo, eq_hi) = fans[1].range();
        let (min, max) = (ps_lo.min(eq_lo), ps_hi.max(eq_hi));
        let close_up = !fans[0].rows.is_empty() && (ps_hi - min) * 3.0 < max - min;
        let unit = &l.unit;
        let one = self.one_path();
        if one && !close_up {
            // One path: no bands to keep apart, both deals' values in one panel (the two
            // panels were titled by bands that were not there).
            let whole = frame::YearPanel::new(c, content, (min, max), (first, last));
            panel(
                c,
                &whole,
                &[(&fans[0], false), (&fans[1], false)],
                unit,
                one,
            )?;
            return frame::legend(c, legend, &self.legend_items(&fans, Some(whole.values())));
        }
        let (left, right) = frame::two_panels(content, if close_up { 0.55 } else { 0.5 });
        // Left, the equity stake's bands; right, the profit share's; both deals' lines in
        // each. One path has no bands: the whole range, and the profit share's close up.
        let left = frame::YearPanel::new(c, left, (min, max), (first, last));
        panel(
            c,
            &left,
            &[(&fans[0], false), (&fans[1], !one)],
            &if one {
                format!("{unit}, whole range")
            } else {
                format!("{unit}, bands: equity stake")
            },
            one,
        )?;
        let (range, title) = if one {
            let span = (ps_hi - ps_lo).max(1e-9);
            (
                (ps_lo - span * 0.05, ps_hi + span * 0.15),
                format!("{unit}, close-up on the {}'s range", self.labels.regime_a()),
            )
        } else if close_up {
            let span = (ps_hi - ps_lo).max(1e-9);
            (
                (ps_lo - span * 0.05, ps_hi + span * 0.15),
                format!(
                    "{unit}, bands: {} (close-up on its range)",
                    self.labels.regime_a()
                ),
            )
        } else {
            (
                (min, max),
                format!("{unit}, bands: {}", self.labels.regime_a()),
            )
        };
        let mut right = frame::YearPanel::new(c, right, range, (first, last));
        right.share_years(c, &left);
        panel(
            c,
            &right,
            &[(&fans[0], !one), (&fans[1], false)],
            &title,
            one,
        )?;
        frame::legend(c, legend, &self.legend_items(&fans, Some(left.values())))
    }
}

impl FanChart<'_> {
    /// Whether the rows describe a single path: its value, with no spread, no bands and no
    /// mean apart from it.
    fn one_path(&self) -> bool {
        self.sample
            .filter(|n| *n < self.paths)
            .unwrap_or(self.paths)
            == 1
    }

    /// A regime's name in the legend: regime A by the deal's own
    /// ([`ModelLabels::regime_a`]).
    fn regime_name(&self, regime: Regime) -> &'static str {
        match regime {
            Regime::ProfitShare => self.labels.regime_a(),
            Regime::Equity => regime.label(),
        }
    }

    /// The legend; `whole`, the values the panel that shows both deals whole spans (to its
    /// ticks, beyond the data: helper-188), off which a mean can run.
    fn legend_items(&self, fans: &[Fan; 2], whole: Option<(f64, f64)>) -> Vec<Item> {
        let mut items = Vec::new();
        if self.one_path() {
            items.push(Item::Heading("Deal".into()));
            items.push(Item::Line(EQUITY, false, LINE, "equity stake".into()));
            items.push(Item::Line(
                PROFIT_SHARE,
                false,
                LINE,
                self.labels.regime_a().into(),
            ));
            items.push(Item::Gap);
            items.push(Item::Note(
                "Each year's value: cash received less cash paid in so far, plus the stake's value under the equity deal. A single path: no spread to show.".into(),
            ));
            items.extend(self.labels.terminal_note.clone().map(Item::Note));
            items.extend(self.labels.cloud_note.clone().map(Item::Note));
            items.extend(coinciding(fans, true));
            return items;
        }
        for (regime, col) in [
            (Regime::Equity, EQUITY),
            (Regime::ProfitShare, PROFIT_SHARE),
        ] {
            items.push(Item::Heading(super::capitalised(self.regime_name(regime))));
            items.push(Item::Line(col, false, LINE, "median".into()));
            items.push(Item::Line(col, true, 1.5, "mean".into()));
            items.push(Item::Swatch(
                frame::tint(col, (1.0 - OUTER) * (1.0 - INNER)),
                "25th to 75th percentile".into(),
            ));
            items.push(Item::Swatch(
                frame::tint(col, 1.0 - OUTER),
                "5th to 95th percentile".into(),
            ));
            items.push(Item::Gap);
        }
        let paths = scale::pretty(&self.paths.to_string());
        let over = match self.sample {
            Some(n) if n < self.paths => format!(
                "Percentiles and mean of a fixed sample of {} of the {paths} paths.",
                scale::pretty(&n.to_string())
            ),
            _ => format!("Percentiles and mean over all {paths} paths."),
        };
        items.push(Item::Note(format!(
            "Each year's value: cash received less cash paid in so far, plus the stake's value under the equity deal. {over}"
        )));
        items.extend(self.labels.terminal_note.clone().map(Item::Note));
        items.extend(self.labels.cloud_note.clone().map(Item::Note));
        items.extend(coinciding(fans, false));
        for fan in fans {
            if let Some((year, mean)) = whole.and_then(|whole| fan.mean_outside(whole)) {
                let side = if mean > 0.0 { "above" } else { "below" };
                items.push(Item::Note(format!(
                    "The {} mean runs off the chart {side} its bands: a few paths far from the rest pull it to {} in {year}.",
                    self.regime_name(fan.regime),
                    scale::number(mean)
                )));
            }
        }
        items
    }
}

/// Where both deals are worth the same every year (every path a tie), one deal's lines
/// lie under the other's, which would read as one deal missing (helper-257; with one path
/// too, helper-260): a note saying so.
fn coinciding(fans: &[Fan; 2], one_path: bool) -> Option<Item> {
    let values = |r: &FanRow| (r.year, [r.p5, r.p25, r.p50, r.p75, r.p95, r.mean]);
    (!fans[0].rows.is_empty()
        && fans[0].rows.iter().map(values).eq(fans[1].rows.iter().map(values)))
    .then(|| {
        // (One path has no bands to speak of: helper-261.)
        Item::Note(if one_path {
            "The two deals are worth the same in every year: their lines lie on each other.".into()
        } else {
            "The two deals are worth the same in every year: their lines lie on each other, and their bands are the same.".into()
        })
    })
}

fn panel<DB: DrawingBackend>(
    c: &Canvas<DB>,
    panel: &frame::YearPanel,
    fans: &[(&Fan, bool)],
    title: &str,
    one_path: bool,
) -> Draw {
    panel.axes(c, title)?;
    let (plot, x, y, clip) = (panel.plot, &panel.x, &panel.y, panel.clip);
    let pt = |year: i32, v: f64| (x.map(f64::from(year)), y.map(v));
    for (fan, _) in fans.iter().filter(|(_, bands)| *bands) {
        type Pick = fn(&FanRow) -> f64;
        let bands: [(Pick, Pick, f64); 2] =
            [(|r| r.p5, |r| r.p95, OUTER), (|r| r.p25, |r| r.p75, INNER)];
        for (lo, hi, alpha) in bands {
            let ring: Vec<(f64, f64)> = match fan.rows.as_slice() {
                // A single year has no band to sweep along the years: its percentiles are a
                // bar at that year, as wide as the median's and the mean's marks (D12: only
                // the median and mean were drawn, as dots, the legend listing the bands).
                [r] => {
                    let (cx, top, foot) = (x.map(f64::from(r.year)), y.map(hi(r)), y.map(lo(r)));
                    let (x0, x1) = (cx - SINGLE_YEAR / 2.0, cx + SINGLE_YEAR / 2.0);
                    vec![(x0, top), (x1, top), (x1, foot), (x0, foot)]
                }
                rows => {
                    let mut ring: Vec<(f64, f64)> =
                        rows.iter().map(|r| pt(r.year, hi(r))).collect();
                    ring.extend(rows.iter().rev().map(|r| pt(r.year, lo(r))));
                    ring
                }
            };
            let ring = clip_polygon(&ring, plot);
            if ring.len() >= 3 {
                c.polygon(&ring, fan.color.mix(alpha))?;
            }
        }
    }
    for (fan, _) in fans {
        let (median, mean): (Points, Points) = match fan.rows.as_slice() {
            // A single year has no line: the median and the mean are marks across its bar,
            // solid and dashed as the legend shows them (they were dots, told apart by size
            // alone).
            [r] => {
                let cx = x.map(f64::from(r.year));
                let across = |v: f64| {
                    vec![
                        (cx - SINGLE_YEAR / 2.0, y.map(v)),
                        (cx + SINGLE_YEAR / 2.0, y.map(v)),
                    ]
                };
                (across(r.p50), across(r.mean))
            }
            rows => (
                rows.iter().map(|r| pt(r.year, r.p50)).collect(),
                rows.iter().map(|r| pt(r.year, r.mean)).collect(),
            ),
        };
        // One path's mean is its value: not drawn apart from it.
        if !one_path {
            c.series(&mean, clip, fan.color, 1.5, Some(DASH))?;
        }
        c.series(&median, clip, fan.color, LINE, None)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Size;

    /// The close-up on the profit share's range, the narrower panel, had fewer years
    /// labelled than the panel beside it (2030, 2040, 2050 against every five years from
    /// 2025): it has the left panel's years where they fit, and at the smallest size, at
    /// least as many as half the left's.
    #[test]
    fn regression_the_close_up_has_as_many_year_ticks_as_the_left_panel() {
        let labels = ModelLabels {
            name: "m".into(),
            unit: "EUR m".into(),
            investor: "the fund".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        };
        let rows: Vec<FanRow> = (2025..=2050)
            .flat_map(|year| {
                let t = f64::from(year - 2025);
                let row = |regime, m: f64, k: f64| FanRow {
                    regime,
                    year,
                    p5: m - 2.0 * k,
                    p25: m - k,
                    p50: m,
                    p75: m + k,
                    p95: m + 2.0 * k,
                    mean: m,
                };
                [
                    row(Regime::Equity, 12.0 * 1.15f64.powf(t), 3.0 * t),
                    row(Regime::ProfitShare, 3.0 * t, 0.5 * t),
                ]
            })
            .collect();
        let chart = FanChart {
            around: None,
            labels: &labels,
            rows: &rows,
            paths: 1000,
            sample: None,
        };
        let titles = [
            "EUR m, bands: equity stake",
            "EUR m, bands: profit share (close-up on its range)",
        ];
        for size in [Size::DEFAULT, Size::MIN] {
            let ctx = ChartContext::new("m.toml", "", size, None);
            let svg = String::from_utf8(chart.svg(&ctx).unwrap()).unwrap();
            let [left, right] = crate::chart::tests::panel_years(&svg, titles);
            assert!(left.len() >= 3, "{size}: {left:?}");
            if size == Size::DEFAULT {
                assert_eq!(left, right, "{size}");
            } else {
                assert!(2 * right.len() >= left.len(), "{size}: {left:?} {right:?}");
            }
        }
    }

    /// helper-257: where every path ties, the profit share's lines and bands lay under the
    /// equity stake's, as if missing, without a word; the legend says they coincide, and
    /// only then.
    #[test]
    fn regression_two_deals_worth_the_same_are_said_to_coincide() {
        let labels = crate::chart::tests::fund_labels("m", "EUR m");
        let rows = |profit_share_shift: f64| -> Vec<FanRow> {
            (2025..=2030)
                .flat_map(|year| {
                    let t = f64::from(year - 2024);
                    let row = |regime, shift: f64| FanRow {
                        regime,
                        year,
                        p5: t + shift,
                        p25: 2.0 * t + shift,
                        p50: 3.0 * t + shift,
                        p75: 4.0 * t + shift,
                        p95: 5.0 * t + shift,
                        mean: 3.5 * t + shift,
                    };
                    [
                        row(Regime::Equity, 0.0),
                        row(Regime::ProfitShare, profit_share_shift),
                    ]
                })
                .collect()
        };
        let note = "The two deals are worth the same in every year";
        // One path too (helper-260: its legend returned before the note).
        for (shift, said, paths) in [(0.0, true, 1000), (0.5, false, 1000), (0.0, true, 1)] {
            let rows = rows(shift);
            let chart = FanChart {
                around: None,
                labels: &labels,
                rows: &rows,
                paths,
                sample: None,
            };
            let ctx = ChartContext::new("m.toml", "", Size::DEFAULT, None);
            let all = crate::chart::tests::svg_texts(&chart.svg(&ctx).unwrap()).join(" ");
            assert_eq!(all.contains(note), said, "{shift}: {all}");
            // One path has no bands to speak of (helper-261).
            assert_eq!(all.contains("their bands"), said && paths > 1, "{all}");
        }
    }

    /// helper-186: with large vols a few paths pull the mean far above the 95th percentile
    /// (3.9e44 against 6e23), and the axes, scaled to reach the mean, drew every band and
    /// median as a flat line at 0. The axes reach the bands; the mean runs off the chart,
    /// and the legend says so, with where it goes. A mean within the bands' reach is kept
    /// in range and not remarked on.
    #[test]
    fn regression_a_mean_far_beyond_the_bands_no_longer_flattens_them() {
        let labels = ModelLabels {
            name: "m".into(),
            unit: "EUR m".into(),
            investor: "the fund".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        };
        let rows = |equity_mean: f64| -> Vec<FanRow> {
            (2025..=2035)
                .flat_map(|year| {
                    let t = f64::from(year - 2025);
                    let row = |regime, k: f64, mean: f64| FanRow {
                        regime,
                        year,
                        p5: 0.0,
                        p25: 10.0 * k * t,
                        p50: 20.0 * k * t,
                        p75: 30.0 * k * t,
                        p95: 50.0 * k * t,
                        mean: mean * t,
                    };
                    [
                        row(Regime::Equity, 2.0, equity_mean),
                        row(Regime::ProfitShare, 1.0, 25.0),
                    ]
                })
                .collect()
        };
        let texts = |rows: &[FanRow]| -> Vec<String> {
            let chart = FanChart {
                around: None,
                labels: &labels,
                rows,
                paths: 1000,
                sample: None,
            };
            let ctx = ChartContext::new("m.toml", "", Size::DEFAULT, None);
            crate::chart::tests::svg_texts(&chart.svg(&ctx).unwrap())
        };
        // The largest number among the labels: the axes' reach.
        let reach = |texts: &[String]| {
            texts
                .iter()
                .filter_map(|t| t.replace(',', "").parse::<f64>().ok())
                .filter(|v| !(2000.0..=2100.0).contains(v))
                .fold(0.0f64, f64::max)
        };
        // Equity's bands reach 1,000 in 2035; its mean 1e12.
        let far = texts(&rows(1e11));
        assert!(reach(&far) <= 2000.0, "{far:?}");
        let note = far.join(" ");
        assert!(
            note.contains("The equity stake mean runs off the chart above its bands"),
            "{note}"
        );
        assert!(
            note.contains("1e12 in 2035") || note.contains("1,000,000,000,000 in 2035"),
            "{note}"
        );
        assert!(!note.contains("profit share mean runs off"), "{note}");
        // A mean of 1,500 in 2035, half the bands' span beyond them: in range, no note.
        let near = texts(&rows(150.0));
        assert!(reach(&near) >= 1500.0, "{near:?}");
        assert!(!near.join(" ").contains("runs off the chart"));

        // helper-187: a mean beyond its own deal's bands but inside the range the other deal
        // gives the panels is drawn, and was said to run off; bands of no span (95% of paths
        // at 0) lost a mean of 1e-6 off an axis of 0 to 1.
        let row = |regime, year, p95: f64, mean| FanRow {
            regime,
            year,
            p5: 0.0,
            p25: p95 * 0.2,
            p50: p95 * 0.4,
            p75: p95 * 0.6,
            p95,
            mean,
        };
        let visible: Vec<FanRow> = (2025..=2030)
            .flat_map(|y| {
                let mean = if y == 2030 { 250.0 } else { 40.0 };
                [
                    row(Regime::Equity, y, 100.0, mean),
                    row(Regime::ProfitShare, y, 300.0, 120.0),
                ]
            })
            .collect();
        let shown = texts(&visible);
        assert!(!shown.join(" ").contains("runs off the chart"), "{shown:?}");
        assert!(reach(&shown) >= 250.0, "{shown:?}");
        let flat: Vec<FanRow> = (2025..=2030)
            .flat_map(|y| {
                [
                    row(Regime::Equity, y, 0.0, 1e-6),
                    row(Regime::ProfitShare, y, 0.0, 0.0),
                ]
            })
            .collect();
        let shown = texts(&flat);
        assert!(!shown.join(" ").contains("runs off the chart"), "{shown:?}");
        assert!(
            reach(&shown) > 0.0,
            "the mean of 1e-6 is in range: {shown:?}"
        );
        // helper-188: a mean beyond the data but below the axis' top tick (220 under 225)
        // is drawn, and was said to run off.
        let below_the_top_tick: Vec<FanRow> = (2025..=2030)
            .flat_map(|y| {
                let mean = if y == 2030 { 220.0 } else { 40.0 };
                [
                    row(Regime::Equity, y, 205.0, 80.0),
                    row(Regime::ProfitShare, y, 100.0, mean),
                ]
            })
            .collect();
        let shown = texts(&below_the_top_tick);
        assert!(reach(&shown) >= 220.0, "{shown:?}");
        assert!(!shown.join(" ").contains("runs off the chart"), "{shown:?}");
    }

    /// The audit's D12: a single-year fan drew only two dots per deal (median and mean, told
    /// apart by size alone), its 5-95 and 25-75 bands nowhere though the legend listed them
    /// (equity's p5 of 6 was not drawn). The bands are a bar at the year, one per deal in its
    /// panel, and the median and mean are solid and dashed marks across it, as the legend's
    /// samples.
    #[test]
    fn regression_a_single_year_fan_draws_its_bands_as_a_bar() {
        let labels = ModelLabels {
            name: "Single year".into(),
            unit: "USD m".into(),
            investor: "the fund".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        };
        let row = |regime, p5, p25, p50, p75, p95, mean| FanRow {
            regime,
            year: 2025,
            p5,
            p25,
            p50,
            p75,
            p95,
            mean,
        };
        let rows = [
            row(Regime::Equity, 6.0, 12.0, 30.0, 30.0, 30.0, 18.5),
            row(Regime::ProfitShare, -7.5, -7.5, 5.0, 5.0, 8.0, -1.0),
        ];
        let chart = FanChart {
            around: None,
            labels: &labels,
            rows: &rows,
            paths: 2000,
            sample: None,
        };
        let ctx = ChartContext::new("single.toml", "", Size::DEFAULT, None);
        let svg = String::from_utf8(chart.svg(&ctx).unwrap()).unwrap();
        // Each deal's two bands, each a rectangle: (fill, opacity, top, bottom).
        let polygons: Vec<(String, String, f64, f64)> = svg
            .split("<polygon")
            .skip(1)
            .map(|p| {
                let attr = |name: &str| {
                    let v = p.split(&format!(" {name}=\"")).nth(1).unwrap();
                    v[..v.find('"').unwrap()].to_string()
                };
                let ys: Vec<f64> = attr("points")
                    .split_whitespace()
                    .map(|xy| xy.split_once(',').unwrap().1.parse().unwrap())
                    .collect();
                let top = ys.iter().copied().fold(f64::INFINITY, f64::min);
                let foot = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (attr("fill"), attr("opacity"), top, foot)
            })
            .collect();
        for colour in ["#0072B2", "#D55E00"] {
            let bands: Vec<_> = polygons.iter().filter(|p| p.0 == colour).collect();
            assert_eq!(bands.len(), 2, "{colour}: {polygons:?}");
            let (outer, inner) = (bands[0], bands[1]);
            assert_eq!((outer.1.as_str(), inner.1.as_str()), ("0.16", "0.3"));
            // The 5-95 band holds the 25-75 one and is tall (equity: 6 to 30 of -10 to 30; no close-up).
            assert!(
                outer.2 <= inner.2 && inner.3 <= outer.3,
                "{outer:?} {inner:?}"
            );
            assert!(outer.3 - outer.2 > 100.0, "{colour}: {outer:?}");
        }
        let equity = polygons.iter().find(|p| p.0 == "#0072B2").unwrap();
        let inner = polygons.iter().filter(|p| p.0 == "#0072B2").nth(1).unwrap();
        assert!(inner.3 < equity.3, "p25 (12) is above p5 (6)");
        // The median and the mean are marks across the bar, not dots.
        assert!(!svg.contains("<circle"), "dots drawn");
        // Horizontal strokes (colour, width, y, length) left of the legend.
        let strokes: Vec<(String, String, f64, f64)> = svg
            .split("<polyline")
            .skip(1)
            .filter_map(|p| {
                let attr = |name: &str| {
                    let v = p.split(&format!(" {name}=\"")).nth(1).unwrap();
                    v[..v.find('"').unwrap()].to_string()
                };
                let pts: Vec<(f64, f64)> = attr("points")
                    .split_whitespace()
                    .map(|xy| {
                        let (x, y) = xy.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect();
                let [a, b] = pts[..] else { return None };
                (a.1 == b.1 && b.0 < 1250.0)
                    .then(|| (attr("stroke"), attr("stroke-width"), a.1, b.0 - a.0))
            })
            .collect();
        for colour in ["#0072B2", "#D55E00"] {
            // In both panels: the median a solid mark as wide as the bar, the mean dashes
            // at one height.
            let median: Vec<_> = strokes
                .iter()
                .filter(|s| s.0 == colour && s.1 == "3" && s.3 == SINGLE_YEAR)
                .collect();
            assert_eq!(median.len(), 2, "{colour}: {strokes:?}");
            let dashes = strokes
                .iter()
                .filter(|s| s.0 == colour && s.1 == "2" && s.3 < SINGLE_YEAR / 2.0)
                .count();
            assert!(dashes >= 2 * 3, "{colour}: {dashes} dashes of the mean");
        }
    }

    /// The audit's L5: a fan of one path said "median, middle half and middle 90%", titled
    /// its panels by bands and listed percentiles and a mean in its legend, though one path
    /// has no spread. It says it is one path and draws each deal's value, keyed by deal.
    #[test]
    fn regression_a_one_path_fan_does_not_describe_bands() {
        let labels = ModelLabels {
            name: "One path".into(),
            unit: "USD m".into(),
            investor: "the fund".into(),
            profit_share: "the profit share",
            terminal_note: None,
            cloud_note: None,
        };
        let rows: Vec<FanRow> = (2025..=2030)
            .flat_map(|year| {
                let v = f64::from(year - 2024);
                [(Regime::Equity, 5.0 * v), (Regime::ProfitShare, 4.0 * v)].map(|(regime, m)| {
                    FanRow {
                        regime,
                        year,
                        p5: m,
                        p25: m,
                        p50: m,
                        p75: m,
                        p95: m,
                        mean: m,
                    }
                })
            })
            .collect();
        for (paths, sample) in [(1, None), (1000, Some(1))] {
            let chart = FanChart {
                around: None,
                labels: &labels,
                rows: &rows,
                paths,
                sample,
            };
            let ctx = ChartContext::new("one.toml", "", Size::DEFAULT, None);
            let svg = String::from_utf8(chart.svg(&ctx).unwrap()).unwrap();
            let texts = crate::chart::tests::svg_texts(svg.as_bytes()).join(" ");
            for word in ["median", "mean", "percentile", "bands", "middle"] {
                assert!(
                    !texts.contains(word),
                    "{paths} {sample:?}: `{word}` in {texts}"
                );
            }
            assert!(texts.contains("one simulated future"), "{texts}");
            assert!(texts.contains("equity stake") && texts.contains("profit share"));
            assert!(!svg.contains("<polygon"), "bands drawn");
        }
    }
}
