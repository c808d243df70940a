//! Charts: the engine's results drawn as PNG (and SVG) bytes. Like [`crate::report`], each
//! chart is a pure function, results in and bytes out; it does no modelling of its own, it
//! only draws what [`crate::compare`] computed.
//!
//! - `value`: the investor's value over time, every trajectory, both regimes;
//! - `npv`: NPV under each regime, side by side, with the advantage and break-even scale;
//! - `waterfall`: where each year's distributable profit goes, party by party;
//! - `stake`: the investor's stake after each round, and its value;
//! - `cloud`: the investor's yearly income from compute it sells the company, under each
//!   deal (a model with a cloud side only).
//!
//! The charts of the newer commands are drawn from plain data (numbers and names, no engine
//! types but [`Regime`](crate::engine::Regime)); the library's results are turned into
//! them next to where they are computed (`sensitivity::sweep::chart_png`,
//! `sensitivity::tornado::chart_png`, `simulate::charts::files`), which call `png`, `svg`
//! or `files` on the input struct:
//!
//! - [`FanChart`] (`fan.png`, `simulate`): the investor's value each year over the simulated
//!   futures, both deals: 5-95 and 25-75 percentile bands, median and mean (`fan.csv` rows);
//! - [`DistributionChart`] (`distribution.png`, `simulate`): a histogram of the NPV advantage
//!   (Freedman-Diaconis bins, zero on a bin edge), zero and the percentiles marked,
//!   P(equity wins) and its 95% interval written above;
//! - [`SweepChart`] (`sweep.png`, `sweep`): one varied path, the advantage against it per
//!   trajectory with the zero crossings ringed and labelled; two, a heatmap for one trajectory
//!   in a diverging palette symmetric about zero, with the break-even contour (marching
//!   squares), the model's own point and a colour bar;
//! - [`TornadoChart`] (`tornado.png`, `tornado`): one row per input, largest swing on top,
//!   bars from the model's advantage to the advantage at the input's low and high values.
//!
//! Every chart takes a [`ChartContext`] (size and footer; build the footer with [`footer`]
//! from the model file's label and text) and [`ModelLabels`] (title, unit, investor).
//!
//! Text is drawn with Liberation Sans, compiled into the binary (`assets/fonts/`, SIL Open
//! Font License), so a chart looks the same on a machine without any fonts. A PNG is drawn at
//! twice its size and averaged down (plotters draws without anti-aliasing), and encoded in
//! memory with fixed settings and no timestamp: the same inputs give the same bytes. Long
//! text is shortened with an ellipsis by bisection on the cut point (O(n log n) in its
//! length).
//!
//! The built-in model's charts, one drawn as a PNG of the size asked for:
//!
//! ```
//! use stakeshift::chart::{Chart, ChartContext, Size};
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! // The four charts, and `cloud`: the built-in model has a cloud side.
//! let charts = Chart::for_model(&loaded.model);
//! let names: Vec<&str> = charts.iter().map(|c| c.name()).collect();
//! assert_eq!(names, ["value", "npv", "waterfall", "stake", "cloud"]);
//! let size: Size = "960x540".parse().unwrap();
//! let ctx = ChartContext::new(&loaded.label, &loaded.text, size, None);
//! let png = Chart::Npv.png(&loaded.model, &comparison, &ctx)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! // The header chunk (IHDR) holds the width and height, big-endian, at bytes 16 to 24.
//! assert_eq!(png[16..24], [960u32.to_be_bytes(), 540u32.to_be_bytes()].concat());
//! // The footer traces the chart to the model: its SHA-256, first 12 hex digits.
//! assert!(ctx.footer.contains(&stakeshift::chart::short_hash(stakeshift::BUILTIN_MODEL)));
//! # Ok::<(), stakeshift::Error>(())
//! ```

mod canvas;
mod cloud;
mod distribution;
mod fan;
mod frame;
mod npv;
mod scale;
mod stake;
mod sweep;
mod tornado;
mod value;
mod waterfall;

pub use distribution::{DistributionChart, Percentiles};
pub use fan::{FanChart, FanRow};
pub use sweep::{
    Bracket, Crossing, SweepChart, SweepSeries, VariedPath, ties_everywhere, zero_brackets,
};
pub use tornado::{TornadoChart, TornadoRow};

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use plotters::prelude::{BitMapBackend, DrawingBackend, IntoDrawingArea, SVGBackend};
use plotters::style::FontStyle;
use sha2::{Digest, Sha256};

use crate::compare::Comparison;
use crate::engine::TrajectoryResult;
use crate::error::Error;
use crate::model::Model;

use canvas::{Canvas, Draw};
// Per pixel of a 2x supersampled image: in stakeshift-core, which is built fully optimised.
use stakeshift_core::raster::downsample;

const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

/// PNGs are drawn at this multiple of their size and averaged down.
const SUPERSAMPLE: u32 = 2;

/// The size of a chart in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

impl Size {
    pub const DEFAULT: Size = Size {
        width: 1600,
        height: 900,
    };
    pub const MIN: Size = Size {
        width: 960,
        height: 540,
    };
    pub const MAX: Size = Size {
        width: 3840,
        height: 2160,
    };

    /// How much larger than the 1600x900 design the chart's type and lines are drawn:
    /// the chart scales as a whole, so a 3200x1800 chart is the 1600x900 one, sharper.
    fn design_scale(self) -> f64 {
        let k = (f64::from(self.width) / 1600.0).min(f64::from(self.height) / 900.0);
        k.clamp(0.6, 2.4)
    }
}

impl Default for Size {
    fn default() -> Self {
        Size::DEFAULT
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl FromStr for Size {
    type Err = String;

    /// `WIDTHxHEIGHT` in pixels, each within [`Size::MIN`] and [`Size::MAX`].
    fn from_str(s: &str) -> Result<Size, String> {
        let bad = || format!("`{s}` is not a size: write WIDTHxHEIGHT in pixels, e.g. 1600x900");
        let (w, h) = s.trim().split_once(['x', 'X']).ok_or_else(bad)?;
        let w: u32 = w.trim().parse().map_err(|_| bad())?;
        let h: u32 = h.trim().parse().map_err(|_| bad())?;
        let (lo, hi) = (Size::MIN, Size::MAX);
        if !(lo.width..=hi.width).contains(&w) || !(lo.height..=hi.height).contains(&h) {
            return Err(format!(
                "{w}x{h} is outside the sizes charts are drawn at: the width must be {} to {} pixels and the height {} to {}",
                lo.width, hi.width, lo.height, hi.height
            ));
        }
        Ok(Size {
            width: w,
            height: h,
        })
    }
}

/// What a chart needs besides the results: its size, the footer that traces it to its model,
/// and the trajectory the waterfall is drawn for.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartContext {
    pub size: Size,
    /// Drawn at the bottom of every chart: the model file, its hash, stakeshift's version,
    /// then the overrides it was run with ([`ChartContext::with_overrides`]).
    pub footer: String,
    /// The trajectory of `waterfall.png` and `cloud.png`; None: `base` if there is one, else
    /// the first.
    pub trajectory: Option<String>,
    /// The overrides at the footer's end (`--set PATH=VALUE`, as given): where the footer is
    /// too long for the chart, the last of them give way to how many more there are. Set
    /// only by [`ChartContext::with_overrides`], which writes them into the footer too.
    pub(crate) overrides: Vec<String>,
}

/// What separates the footer's parts.
const FOOTER_SEPARATOR: &str = "\u{a0}\u{a0} \u{b7} \u{a0}\u{a0}";

impl ChartContext {
    /// The context of the charts of the model named `label` (a path, or the built-in
    /// model's name) whose file's text is `text`: the footer traces each chart to both.
    pub fn new(label: &str, text: &str, size: Size, trajectory: Option<String>) -> ChartContext {
        ChartContext {
            size,
            footer: footer(label, text),
            trajectory,
            overrides: Vec::new(),
        }
    }

    /// The same, run with `overrides` (each `--set PATH=VALUE`): the footer names them
    /// last, so that a footer too long for the chart loses them before the file, its hash
    /// and the version.
    pub fn with_overrides(mut self, overrides: &[String]) -> ChartContext {
        // As plain text: a CR or a right-to-left override in a `--set` is written as an
        // escape, not drawn (helper-170).
        let overrides: Vec<String> = overrides
            .iter()
            .map(|o| crate::error::plain_text(o).into_owned())
            .collect();
        if !overrides.is_empty() {
            self.footer
                .push_str(&format!("{FOOTER_SEPARATOR}with {}", overrides.join(", ")));
            self.overrides = overrides;
        }
        self
    }

    /// The same, with `command` (the command that drew it, such as `simulate --paths
    /// 10000 --seed 7`) after the version and before any overrides: a chart whose numbers
    /// depend on more than the model (a simulation's seed and paths) can be drawn again
    /// only with it (helper-169).
    pub fn with_command(mut self, command: &str) -> ChartContext {
        let overrides = if self.overrides.is_empty() {
            String::new()
        } else {
            format!("{FOOTER_SEPARATOR}with {}", self.overrides.join(", "))
        };
        let base = self
            .footer
            .strip_suffix(&overrides)
            .unwrap_or(&self.footer)
            .to_string();
        self.footer = format!("{base}{FOOTER_SEPARATOR}{command}{overrides}");
        self
    }

    /// The same, with `command`, which names the model file `label` was loaded from, in
    /// place of the footer's "Model: ..." (helper-203: the path twice, once in the command,
    /// pushed the overrides off a footer; a path's control characters are escaped in both).
    pub fn with_command_naming_the_model(mut self, command: &str, label: &str) -> ChartContext {
        let model = format!("Model: {}", crate::error::plain_text(label));
        match self.footer.strip_prefix(&model) {
            Some(rest) => {
                self.footer = format!("{}{rest}", crate::error::plain_text(command));
                self
            }
            None => self.with_command(command),
        }
    }

    /// The footer with only the first `shown` overrides, and how many more there are.
    pub(crate) fn footer_with_first(&self, shown: usize) -> String {
        let all = format!("{FOOTER_SEPARATOR}with {}", self.overrides.join(", "));
        let base = self.footer.strip_suffix(&all).unwrap_or(&self.footer);
        let more = self.overrides.len().saturating_sub(shown);
        let first = &self.overrides[..shown.min(self.overrides.len())];
        match (first.is_empty(), more) {
            (_, 0) => self.footer.clone(),
            (true, _) => {
                format!("{base}{FOOTER_SEPARATOR}with {more} overrides (--set), not shown")
            }
            (false, _) => format!(
                "{base}{FOOTER_SEPARATOR}with {} and {more} more",
                first.join(", ")
            ),
        }
    }
}

/// What the charts of plain results say about their model besides the numbers: the title
/// (the model's name), the unit of amounts, and the investor as it reads in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelLabels {
    pub name: String,
    pub unit: String,
    /// "Microsoft", "the investor".
    pub investor: String,
    /// Regime A as a clause names it: "the profit share", or "the revenue share" where that
    /// is all the investor gets under it ([`Model::profit_share_short`]).
    pub profit_share: &'static str,
    /// Where `equity.terminal_discount` is not 0, the note that the charts of the value
    /// each year show the stake in end_year whole, which the NPVs count less the haircut
    /// (helper-275: value.png's equity line ended at 28.9 against the profit share's 10
    /// where, with a haircut of 50%, the profit share won).
    pub terminal_note: Option<String>,
    /// Where the model sells compute (SPEC 13), the note that the values count the cloud
    /// income ([`cloud_note`]).
    pub cloud_note: Option<String>,
}

/// The investor's name as the charts write it in their sentences: past 40 characters, its
/// first 26 and last 12 about an ellipsis, so that a subtitle keeps its end (helper-261:
/// a name of 150 characters cut fan.png's to "...not discounted: me…" and a sweep's before
/// the path it varies).
pub(crate) fn investor_in_charts(model: &Model) -> String {
    name_in_charts(&model.investor_title())
}

/// A name as the charts write it in a sentence or note: past 40 characters, its first 26
/// and last 12 about an ellipsis ([`investor_in_charts`]; a party's name in the
/// waterfall's notes the same way).
pub(crate) fn name_in_charts(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= 40 {
        return name.to_string();
    }
    // Cut between whole characters as shown (helper-262: an accent lost or set on the
    // ellipsis, a flag split, a joiner left dangling).
    let mut head = 26;
    while head > 0 && !cluster_boundary(&chars, head) {
        head -= 1;
    }
    let mut tail = chars.len() - 12;
    while tail < chars.len() && !cluster_boundary(&chars, tail) {
        tail += 1;
    }
    let head: String = chars[..head].iter().collect();
    let tail: String = chars[tail..].iter().collect();
    format!("{}\u{2026}{}", head.trim_end(), tail.trim_start())
}

/// Whether `chars` may be cut before `chars[at]` without splitting what is shown as one
/// character: not before a mark that joins the character before it (a combining mark, a
/// variation selector, a skin tone, a tag, a zero-width joiner), not after a joiner, and
/// not inside a pair of regional indicators (a flag).
pub(crate) fn cluster_boundary(chars: &[char], at: usize) -> bool {
    // Marks of the scripts a name is likely written in, beyond Latin's (helper-263: a
    // Cyrillic titlo, Thai and Devanagari vowel signs, Hebrew points and Hangul's
    // conjoining vowels were cut from their letters). The Indic blocks share one layout:
    // their signs sit at the same offsets in each block of 128.
    let indic_sign = |c: char| {
        let u = u32::from(c);
        (0x0900..0x0E00).contains(&u)
            && matches!(u % 0x80, 0x00..=0x03 | 0x3A..=0x4F | 0x51..=0x57 | 0x62..=0x63)
    };
    let joins_previous = |c: char| {
        is_combining_mark(c)
            || indic_sign(c)
            || matches!(
                c,
                '\u{0483}'..='\u{0489}'
                    | '\u{0591}'..='\u{05BD}'
                    | '\u{05BF}'
                    | '\u{05C1}'..='\u{05C2}'
                    | '\u{05C4}'..='\u{05C5}'
                    | '\u{05C7}'
                    | '\u{0610}'..='\u{061A}'
                    | '\u{064B}'..='\u{065F}'
                    | '\u{0670}'
                    | '\u{06D6}'..='\u{06ED}'
                    | '\u{0E31}'
                    | '\u{0E34}'..='\u{0E3A}'
                    | '\u{0E47}'..='\u{0E4E}'
                    | '\u{0EB1}'
                    | '\u{0EB4}'..='\u{0EBC}'
                    | '\u{0EC8}'..='\u{0ECD}'
                    | '\u{1160}'..='\u{11FF}'
                    | '\u{D7B0}'..='\u{D7FF}'
                    | '\u{3099}'..='\u{309A}'
                    | '\u{200C}'..='\u{200D}'
                    | '\u{FE00}'..='\u{FE0F}'
                    | '\u{1F3FB}'..='\u{1F3FF}'
                    | '\u{E0020}'..='\u{E007F}'
                    | '\u{E0100}'..='\u{E01EF}'
            )
    };
    let regional = |c: char| matches!(c, '\u{1F1E6}'..='\u{1F1FF}');
    if at == 0 || at >= chars.len() {
        return true;
    }
    if joins_previous(chars[at]) || chars[at - 1] == '\u{200D}' {
        return false;
    }
    if regional(chars[at]) && regional(chars[at - 1]) {
        // Inside a flag where an odd number of indicators comes before `at`.
        let run = chars[..at]
            .iter()
            .rev()
            .take_while(|c| regional(**c))
            .count();
        return run % 2 == 0;
    }
    true
}

impl ModelLabels {
    pub fn of(model: &Model) -> ModelLabels {
        ModelLabels {
            name: model.name.clone(),
            unit: model.unit.clone(),
            investor: investor_in_charts(model),
            profit_share: model.profit_share_short(),
            terminal_note: terminal_note(model),
            cloud_note: cloud_note(model),
        }
    }

    /// Regime A's name in a label or legend, without the article: "profit share", or
    /// "revenue share" ([`crate::engine::Regime::label_in`]).
    pub(crate) fn regime_a(&self) -> &'static str {
        self.profit_share
            .strip_prefix("the ")
            .unwrap_or(self.profit_share)
    }
}

/// The charts' note where the model sells compute (SPEC 13): the values they draw count
/// the investor's margin on it, which can decide the answer (helper-276: value.png and
/// npv.png said "cash received" of the built-in model's profit share, 455.6 of whose NPV
/// of 554.1 in `base` is cloud income, and nothing of it).
pub(crate) fn cloud_note(model: &Model) -> Option<String> {
    model.sells_compute().then(|| {
        format!(
            "The values count {}'s margin on the compute the company buys from it (the cloud side).",
            investor_in_charts(model)
        )
    })
}

/// The charts' note on the stake in end_year where a terminal_discount applies: the value
/// they draw is the holding value (SPEC 4, as `fan.csv` holds it), the NPVs' terminal value
/// that less the haircut.
pub(crate) fn terminal_note(model: &Model) -> Option<String> {
    let haircut = model.equity.terminal_discount;
    (!haircut.is_zero()).then(|| {
        format!(
            "The stake's value in {} is drawn in full: the NPVs, MOIC and IRR count it less the terminal_discount of {}%.",
            model.end_year,
            scale::plain(haircut * rust_decimal::Decimal::ONE_HUNDRED)
        )
    })
}

/// The first 12 hex digits of the SHA-256 of the model's text.
pub fn short_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The footer line: `Model: <file> · SHA-256 <12 hex> · stakeshift <version>` (the
/// separators padded with no-break spaces, which an SVG viewer keeps).
pub fn footer(label: &str, text: &str) -> String {
    footer_of(label, &short_hash(text))
}

/// The footer line of a model whose text's [`short_hash`] is `hash`.
pub fn footer_of(label: &str, hash: &str) -> String {
    // The path as plain text: a CR or a U+202E in a file's name is written as an escape,
    // not drawn (helper-171).
    format!(
        "Model: {}{FOOTER_SEPARATOR}SHA-256 {hash}{FOOTER_SEPARATOR}stakeshift {}",
        crate::error::plain_text(label),
        env!("CARGO_PKG_VERSION")
    )
}

/// The charts of a comparison: four, and `cloud` for a model with a cloud side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chart {
    Value,
    Npv,
    Waterfall,
    Stake,
    /// Only for a model with a cloud side.
    Cloud,
}

impl Chart {
    pub const ALL: [Chart; 5] = [
        Chart::Value,
        Chart::Npv,
        Chart::Waterfall,
        Chart::Stake,
        Chart::Cloud,
    ];

    /// The charts drawn for `model`: `cloud` only where it has a cloud side.
    pub fn for_model(model: &Model) -> Vec<Chart> {
        Chart::ALL
            .into_iter()
            // (Without a regime's cloud terms the side sells nothing: no flat chart of it.)
            .filter(|c| *c != Chart::Cloud || model.sells_compute())
            .collect()
    }

    /// The file name without extension: `value`, `npv`, `waterfall`, `stake`.
    pub fn name(self) -> &'static str {
        match self {
            Chart::Value => "value",
            Chart::Npv => "npv",
            Chart::Waterfall => "waterfall",
            Chart::Stake => "stake",
            Chart::Cloud => "cloud",
        }
    }

    /// The chart as PNG bytes.
    pub fn png(
        self,
        model: &Model,
        comparison: &Comparison,
        ctx: &ChartContext,
    ) -> Result<Vec<u8>, Error> {
        let figure = ModelChart {
            chart: self,
            model,
            comparison,
        };
        render_png(&figure, ctx)
    }

    /// The chart as SVG bytes. Its text names the font family; a viewer without Liberation
    /// Sans substitutes a similar one.
    pub fn svg(
        self,
        model: &Model,
        comparison: &Comparison,
        ctx: &ChartContext,
    ) -> Result<Vec<u8>, Error> {
        let figure = ModelChart {
            chart: self,
            model,
            comparison,
        };
        render_svg(&figure, ctx)
    }
}

/// Anything drawn on the chart frame: the four charts of a comparison, and the charts of
/// plain results ([`FanChart`], [`DistributionChart`], [`SweepChart`], [`TornadoChart`]).
pub(crate) trait Figure {
    /// The file name without its extension, for error messages: `fan`.
    fn stem(&self) -> &'static str;
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>, ctx: &ChartContext) -> Draw;
    /// Whether the input can be drawn at all, before anything is: an error naming what
    /// is wrong with it (by default every input can).
    fn check(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// The public `png`, `svg` and `files` of a chart drawn from plain data (a [`Figure`]
/// named `$stem`), each checking its input first ([`Figure::check`]).
macro_rules! plain_data_chart {
    ($chart:ty, $stem:literal) => {
        impl $chart {
            #[doc = concat!("The chart as PNG bytes (`", $stem, ".png`).")]
            pub fn png(&self, ctx: &ChartContext) -> Result<Vec<u8>, Error> {
                super::render_png(self, ctx)
            }

            #[doc = concat!("The chart as SVG bytes (`", $stem, ".svg`).")]
            pub fn svg(&self, ctx: &ChartContext) -> Result<Vec<u8>, Error> {
                super::render_svg(self, ctx)
            }

            #[doc = concat!("`", $stem, ".png`, and with `svg` `", $stem, ".svg`, as `(file name, bytes)` for [`crate::io::write_all`].")]
            pub fn files(
                &self,
                ctx: &ChartContext,
                svg: bool,
            ) -> Result<Vec<(String, Vec<u8>)>, Error> {
                super::render_files_of(self, ctx, svg)
            }
        }
    };
}
pub(crate) use plain_data_chart;

/// One of the four charts of a comparison, with what it draws.
struct ModelChart<'a> {
    chart: Chart,
    model: &'a Model,
    comparison: &'a Comparison,
}

impl Figure for ModelChart<'_> {
    fn stem(&self) -> &'static str {
        self.chart.name()
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>, ctx: &ChartContext) -> Draw {
        let (model, comparison) = (self.model, self.comparison);
        match self.chart {
            Chart::Value => value::draw(c, model, comparison, ctx),
            Chart::Npv => npv::draw(c, model, comparison, ctx),
            Chart::Waterfall => waterfall::draw(c, model, comparison, ctx),
            Chart::Stake => stake::draw(c, model, comparison, ctx),
            Chart::Cloud => cloud::draw(c, model, comparison, ctx),
        }
    }
}

/// The characters of `text` the charts' font (Liberation Sans, embedded) has no glyph for:
/// a PNG draws each as a box (CJK, emoji); an SVG keeps the text for its viewer's fonts.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    use ab_glyph::Font as _;
    static FONT: std::sync::OnceLock<Option<ab_glyph::FontRef<'static>>> =
        std::sync::OnceLock::new();
    let Some(font) = FONT.get_or_init(|| ab_glyph::FontRef::try_from_slice(FONT_REGULAR).ok())
    else {
        return Vec::new();
    };
    // In order, each once; those seen in a set: a search of the list for each character
    // made a name of 200,000 CJK characters (600 KB) take 10 s to chart.
    let mut missing: Vec<char> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for c in text.chars() {
        // (A space other than the plain one, U+3000 say, is drawn as a box too.)
        if c != ' ' && font.glyph_id(c).0 == 0 && seen.insert(c) {
            missing.push(c);
        }
    }
    missing
}

/// Whether `c` is a combining mark of the blocks a Latin, Greek or Cyrillic name takes
/// them from (diacritical marks, their extensions and supplement, marks for symbols, half
/// marks).
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Whether `c` is written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko, and their
/// presentation forms).
fn is_right_to_left(c: char) -> bool {
    matches!(
        c,
        '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'
    )
}

/// Which of a model's names a command's charts draw, for [`glyph_warning`].
#[derive(Debug, Clone, Copy)]
pub struct Drawn<'a> {
    /// Every party and tier name (the waterfall's legend and marks), or only the investor.
    pub parties_and_tiers: bool,
    /// The trajectories drawn, by index.
    pub trajectories: &'a [usize],
    /// Whether the command writes SVGs (`--svg`), which keep the text.
    pub svg: bool,
}

/// A warning for a model whose names, as the command's charts draw them, hold characters
/// the charts' font cannot draw (helper-119: CJK names came out as rows of boxes in every
/// PNG, without a word); None where every character has its glyph. Only the names drawn
/// are looked at (helper-122: a tier's name was warned of by `sweep`, whose chart has none).
///
/// `footer` is what the footer draws besides them: the model's path and the overrides, as
/// given (helper-257: a right-to-left value there was drawn reversed without a word).
pub fn glyph_warning(model: &Model, drawn: Drawn<'_>, footer: &str) -> Option<String> {
    let mut places: Vec<(String, Vec<char>)> = Vec::new();
    // Where a combining mark is: the font has their glyphs, but the charts set each
    // character after the one before, so that a mark stands beside its letter, not on it
    // (helper-220: the acute of `e\u{301}quipe` between the e and the q).
    let mut marked: Option<String> = None;
    // Where letters written right to left are that the font draws: the charts set them left
    // to right, so that a Hebrew name reads backwards (helper-257: `שלום` drawn `םולש`).
    let mut reversed: Option<String> = None;
    let mut look = |what: String, text: &str| {
        let missing = missing_glyphs(text);
        if reversed.is_none()
            && text
                .chars()
                .any(|c| is_right_to_left(c) && !missing.contains(&c))
        {
            reversed = Some(what.clone());
        }
        if !missing.is_empty() {
            places.push((what.clone(), missing));
        }
        if marked.is_none() && text.chars().any(is_combining_mark) {
            marked = Some(what);
        }
    };
    look("the model's name".into(), &model.name);
    look("the unit".into(), &model.unit);
    if drawn.parties_and_tiers {
        for party in &model.parties {
            look(format!("party `{party}`"), party);
        }
        for (i, tier) in model.profit_share.tiers.iter().enumerate() {
            look(format!("profit_share.tiers[{i}].name"), &tier.name);
        }
    } else {
        let investor = model.party_name(model.investor.party);
        look(format!("party `{investor}`"), investor);
    }
    for t in drawn
        .trajectories
        .iter()
        .filter_map(|&i| model.trajectories.get(i))
    {
        look(format!("trajectory `{}`", t.name), &t.name);
    }
    look(
        "the footer (the model's path, the overrides)".into(),
        footer,
    );
    // Each thing the charts draw wrongly is said, in one warning (helper-257: the boxes'
    // warning hid the combining marks').
    let mut said: Vec<String> = Vec::new();
    if let Some(what) = marked {
        said.push(format!(
            "{what} holds combining marks (accents written as a letter and a mark), which the charts draw beside their letters, not on them: write such letters as one character (é, not e and U+0301)"
        ));
    }
    if let Some(what) = reversed {
        // (The SVGs' word once: the boxes' warning gives it where they are written.)
        let svg = if places.is_empty() || !drawn.svg {
            "; the SVGs (--svg) keep the text, for a viewer that sets it"
        } else {
            ""
        };
        said.push(format!(
            "{what} is written right to left, which the charts draw left to right, its letters reversed{svg}"
        ));
    }
    let Some((first, _)) = places.first() else {
        return (!said.is_empty()).then(|| format!("charts: {}", said.join("; ")));
    };
    let mut chars: Vec<char> = Vec::new();
    for (_, missing) in &places {
        for c in missing {
            if !chars.contains(c) {
                chars.push(*c);
            }
        }
    }
    let shown = chars
        .iter()
        .take(8)
        .map(|c| {
            // (And what a terminal shows as nothing by its number: U+FFFE, U+FEFF,
            // helper-293, helper-294.)
            if c.is_whitespace() || crate::error::invisible(*c) {
                format!("U+{:04X}", u32::from(*c))
            } else {
                c.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let more = if chars.len() > 8 { ", ..." } else { "" };
    let elsewhere = match places.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    let svg = match (
        drawn.svg,
        chars.iter().any(|c| matches!(c, '\u{FFFE}' | '\u{FFFF}')),
    ) {
        (false, _) => "",
        (true, false) => "; the SVGs (--svg) keep the text, for a viewer's own fonts",
        // (An SVG shows U+FFFD for them, which XML may not hold: helper-293.)
        (true, true) => {
            "; the SVGs (--svg) keep the text, for a viewer's own fonts (U+FFFE and U+FFFF as U+FFFD, which XML may not hold)"
        }
    };
    said.insert(
        0,
        format!(
            "the charts' font (Liberation Sans) has no glyph for {shown}{more} (in {first}{elsewhere}): the PNGs draw each as a box{svg}"
        ),
    );
    Some(format!("charts: {}", said.join("; ")))
}

/// Every chart as `(file name, bytes)`: the PNGs, and with `svg` the SVGs too. The charts are
/// drawn on parallel threads; the bytes do not depend on it.
pub fn render_files(
    model: &Model,
    comparison: &Comparison,
    ctx: &ChartContext,
    svg: bool,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    // Checked here so that an unknown name is reported once, before anything is drawn.
    featured_trajectory(comparison, ctx)?;
    type Files = Vec<(String, Vec<u8>)>;
    let charts = Chart::for_model(model);
    let results: Vec<Result<Files, Error>> = std::thread::scope(|s| {
        let handles: Vec<_> = charts
            .iter()
            .map(|&chart| {
                let draw = move || {
                    let mut files = vec![(
                        format!("{}.png", chart.name()),
                        chart.png(model, comparison, ctx)?,
                    )];
                    if svg {
                        files.push((
                            format!("{}.svg", chart.name()),
                            chart.svg(model, comparison, ctx)?,
                        ));
                    }
                    Ok(files)
                };
                // Where the system gives no thread (a memory or process limit), the chart
                // is drawn here, in turn (helper-115: `spawn` panicked).
                std::thread::Builder::new()
                    .spawn_scoped(s, draw)
                    .map_err(|_| draw())
            })
            .collect();
        handles
            .into_iter()
            .zip(charts.iter().copied())
            .map(|(h, chart)| match h {
                Ok(thread) => thread.join().unwrap_or_else(|_| {
                    Err(Error::Chart {
                        chart: format!("{}.png", chart.name()),
                        message: "the drawing code panicked (a bug in stakeshift)".into(),
                    })
                }),
                Err(drawn_here) => drawn_here,
            })
            .collect()
    });
    let mut files = Vec::new();
    for r in results {
        files.extend(r?);
    }
    Ok(files)
}

/// `s` with a capital first letter, to begin a sentence or a heading (words of
/// stakeshift's own, not a party's name: [`investor_to_begin_a_sentence`]).
pub(crate) fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The investor as the first word of a sentence: "The investor" where the party is called
/// that (helper-220), else its name as every chart gives it (`Model::investor_title`:
/// `xAI` and `eBay` as written, `microsoft` as `Microsoft`; session 47: the waterfall's
/// note capitalised that again, writing "EBay").
pub(crate) fn investor_to_begin_a_sentence(model: &Model) -> String {
    let investor = investor_in_charts(model);
    if investor == "the investor" {
        capitalised(&investor)
    } else {
        investor
    }
}

/// The trajectory drawn on its own (`waterfall.png`, `cloud.png`): the one named in `ctx`,
/// else `base`, else the first.
pub(crate) fn featured_trajectory<'a>(
    comparison: &'a Comparison,
    ctx: &ChartContext,
) -> Result<&'a TrajectoryResult, Error> {
    let all = &comparison.trajectories;
    match &ctx.trajectory {
        // The command line checks the name against the model first (a usage error there);
        // here it is a chart that cannot be drawn.
        Some(name) => all.iter().find(|t| &t.name == name).ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
            Error::Chart {
                chart: "waterfall.png".into(),
                message: format!(
                    "the results have no trajectory `{}` to draw waterfall.png and cloud.png for; they have: {}",
                    crate::error::quoted(name),
                    crate::error::listed(&names)
                ),
            }
        }),
        None => crate::model::headline(all, |t| &t.name).ok_or_else(|| Error::Chart {
                chart: "waterfall.png".into(),
                message: "there is no trajectory to draw".into(),
            }),
    }
}

fn fonts() -> Result<(), Error> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            for (style, bytes) in [
                (FontStyle::Normal, FONT_REGULAR),
                (FontStyle::Bold, FONT_BOLD),
            ] {
                plotters::style::register_font(canvas::FONT_FAMILY, style, bytes)
                    .map_err(|_| "the built-in font could not be read".to_string())?;
            }
            Ok(())
        })
        .clone()
        .map_err(|message| Error::Chart {
            chart: "fonts".into(),
            message,
        })
}

fn chart_error(stem: &'static str, ext: &'static str) -> impl Fn(String) -> Error {
    move |message| Error::Chart {
        chart: format!("{stem}.{ext}"),
        message,
    }
}

pub(crate) fn render_png(figure: &impl Figure, ctx: &ChartContext) -> Result<Vec<u8>, Error> {
    figure.check()?;
    fonts()?;
    let fail = chart_error(figure.stem(), "png");
    let Size { width, height } = ctx.size;
    let (sw, sh) = (width * SUPERSAMPLE, height * SUPERSAMPLE);
    let mut big = vec![255u8; sw as usize * sh as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut big, (sw, sh)).into_drawing_area();
        let c = Canvas::new(
            area,
            ctx.size.design_scale() * f64::from(SUPERSAMPLE),
            SUPERSAMPLE,
            false,
        );
        figure.draw(&c, ctx).map_err(&fail)?;
        c.present().map_err(&fail)?;
    }
    let small = downsample(&big, width as usize, height as usize);
    encode_png(&small, width, height).map_err(fail)
}

/// A figure's PNG, and with `svg` its SVG, named after it.
pub(crate) fn render_files_of(
    figure: &impl Figure,
    ctx: &ChartContext,
    svg: bool,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut files = vec![(format!("{}.png", figure.stem()), render_png(figure, ctx)?)];
    if svg {
        files.push((format!("{}.svg", figure.stem()), render_svg(figure, ctx)?));
    }
    Ok(files)
}

pub(crate) fn render_svg(figure: &impl Figure, ctx: &ChartContext) -> Result<Vec<u8>, Error> {
    figure.check()?;
    fonts()?;
    let fail = chart_error(figure.stem(), "svg");
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (ctx.size.width, ctx.size.height))
            .into_drawing_area();
        let c = Canvas::new(area, ctx.size.design_scale(), 1, true);
        figure.draw(&c, ctx).map_err(&fail)?;
        c.present().map_err(&fail)?;
    }
    // XML may not hold U+FFFE or U+FFFF, which a name may (the workbook escapes them in its
    // cells, `_xFFFF_`): the SVG shows U+FFFD, the replacement character, in their place
    // (helper-289: such a name made every SVG chart ill-formed, and rsvg-convert refused it).
    const NOT_IN_XML: [char; 2] = ['\u{FFFE}', '\u{FFFF}'];
    let out = if out.contains(NOT_IN_XML) {
        out.replace(NOT_IN_XML, "\u{FFFD}")
    } else {
        out
    };
    Ok(out.into_bytes())
}

/// RGB8 pixels as a PNG: fixed compression and filter, no timestamp or other metadata but
/// the sRGB chunk.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    enc.set_deflate_compression(png::DeflateCompression::Level(2));
    enc.set_filter(png::Filter::Adaptive);
    let mut writer = enc.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests;
