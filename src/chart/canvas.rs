//! A drawing surface in logical units over a plotters drawing area, the same for the PNG
//! (bitmap, drawn at twice the size and averaged down for anti-aliasing) and the SVG.
//!
//! Everything the charts draw goes through here: lines (solid or dashed, clipped to a
//! rectangle), filled polygons and rectangles, and text placed by its baseline. Only `+ - * /`
//! and `sqrt` are used on coordinates, so that the pixels come out the same on every machine.
//!
//! Seen in the built-in model's `npv.svg` at 1600 x 900 and at 3200 x 1800: the title, in
//! logical units at the 36 margin with its baseline 52 down, in a 34-unit font, lands on
//! twice the pixels in the larger chart; and the PNG comes out the same, byte for byte:
//!
//! ```
//! use stakeshift::chart::{Chart, ChartContext, Size};
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! for (size, k) in [(Size::DEFAULT, 1.0), (Size { width: 3200, height: 1800 }, 2.0)] {
//!     let ctx = ChartContext::new(&loaded.label, &loaded.text, size, None);
//!     let svg = Chart::Npv.svg(&loaded.model, &comparison, &ctx)?;
//!     let svg = String::from_utf8(svg).unwrap();
//!     let title = &svg[svg.find("<text").unwrap()..];
//!     let attr = |name: &str| -> f64 {
//!         let v = title.split(&format!(" {name}=\"")).nth(1).unwrap();
//!         v[..v.find('"').unwrap()].parse().unwrap()
//!     };
//!     // Liberation Sans' em is 2048 / 2288 of the font's size (ascender to descender),
//!     // and the baseline sits 0.76 em below the y written (`dy="0.76em"`).
//!     assert_eq!(attr("x"), 36.0 * k);
//!     assert!((attr("font-size") - 34.0 * k * 2048.0 / 2288.0).abs() < 1e-9);
//!     assert!((attr("y") + 0.76 * attr("font-size") - 52.0 * k).abs() < 0.5);
//! }
//! let ctx = ChartContext::new(&loaded.label, &loaded.text, Size::MIN, None);
//! let png = Chart::Npv.png(&loaded.model, &comparison, &ctx)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! assert_eq!(png[16..24], [960u32.to_be_bytes(), 540u32.to_be_bytes()].concat());
//! assert_eq!(png, Chart::Npv.png(&loaded.model, &comparison, &ctx)?); // the same bytes
//! # Ok::<(), stakeshift::Error>(())
//! ```

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::{Circle, PathElement, Polygon, Rectangle};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBAColor, RGBColor, ShapeStyle};

/// The most characters of a text that are measured ([`Canvas::text_width`]): a chart is
/// laid out on 1,600 units of width (a larger one is the same layout, scaled), where no
/// line of visible glyphs reaches a thousand characters.
const MEASURED_CHARS: usize = 4096;

/// The family the vendored font is registered under. The name doubles as the SVG
/// `font-family` list, so that an SVG viewer without Liberation Sans falls back gracefully.
pub(crate) const FONT_FAMILY: &str = "Liberation Sans, Arial, Helvetica, sans-serif";

/// Liberation Sans: units per em over (ascender - descender) of its `hhea` table,
/// 2048 / (1854 + 434). ab_glyph scales a font so that ascender - descender is the pixel
/// size; the SVG's `font-size` is an em.
const EM_PER_SIZE: f64 = 2048.0 / 2288.0;

#[cfg(test)]
thread_local! {
    /// Text measurements made on this thread: (calls, characters measured). Tests use it to
    /// check that fitting text costs O(n log n), not O(n^2).
    pub(crate) static MEASURED: std::cell::Cell<(u64, u64)> = const { std::cell::Cell::new((0, 0)) };
}

/// What a drawing step returns: plotters' errors as text.
pub(crate) type Draw = Result<(), String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// A font: size (ab_glyph's pixel size: ascender to descender), weight and colour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Font {
    pub size: f64,
    pub bold: bool,
    pub color: RGBColor,
}

impl Font {
    pub fn new(size: f64, color: RGBColor) -> Font {
        Font {
            size,
            bold: false,
            color,
        }
    }

    pub fn with_color(mut self, color: RGBColor) -> Font {
        self.color = color;
        self
    }

    pub fn bold(mut self) -> Font {
        self.bold = true;
        self
    }

    /// Height of a capital letter above the baseline.
    pub fn cap_height(&self) -> f64 {
        self.size * EM_PER_SIZE * 1409.0 / 2048.0
    }
}

/// A rectangle in logical units: x0 < x1, y0 < y1 (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    /// Whether `p` lies inside (edges included; never for a point not finite).
    pub fn holds(&self, p: (f64, f64)) -> bool {
        self.x0 <= p.0 && p.0 <= self.x1 && self.y0 <= p.1 && p.1 <= self.y1
    }

    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
}

pub(crate) struct Canvas<DB: DrawingBackend> {
    area: DrawingArea<DB, Shift>,
    /// Backend pixels per logical unit.
    scale: f64,
    /// Backend pixels per pixel of the chart as delivered: 2 for a PNG drawn at twice its
    /// size and averaged down, 1 for an SVG.
    supersample: f64,
    svg: bool,
    /// Size in logical units.
    pub width: f64,
    pub height: f64,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl<DB: DrawingBackend> Canvas<DB> {
    /// A canvas over `area`, `scale` backend pixels to a logical unit, of which
    /// `supersample` backend pixels make one of the delivered chart.
    pub fn new(area: DrawingArea<DB, Shift>, scale: f64, supersample: u32, svg: bool) -> Self {
        let (w, h) = area.dim_in_pixel();
        Canvas {
            area,
            scale,
            supersample: f64::from(supersample.max(1)),
            svg,
            width: f64::from(w) / scale,
            height: f64::from(h) / scale,
        }
    }

    /// Paints the whole canvas white (the bitmap's buffer starts white: nothing to do).
    pub fn clear(&self) -> Draw {
        if !self.svg {
            return Ok(());
        }
        let white = plotters::style::RGBColor(255, 255, 255).to_rgba();
        self.fill_rect(
            Rect {
                x0: 0.0,
                y0: 0.0,
                x1: self.width,
                y1: self.height,
            },
            white,
        )
    }

    pub fn present(&self) -> Draw {
        self.area.present().map_err(err)
    }

    fn px(&self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    fn pt(&self, (x, y): (f64, f64)) -> (i32, i32) {
        (self.px(x), self.px(y))
    }

    fn stroke(&self, width: f64) -> u32 {
        ((width * self.scale).round() as u32).max(1)
    }

    pub fn fill_rect(&self, r: Rect, color: RGBAColor) -> Draw {
        let style = ShapeStyle {
            color,
            filled: true,
            stroke_width: 0,
        };
        self.area
            .draw(&Rectangle::new(
                [self.pt((r.x0, r.y0)), self.pt((r.x1, r.y1))],
                style,
            ))
            .map_err(err)
    }

    /// A polyline of `width` logical units.
    pub fn line(&self, points: &[(f64, f64)], color: RGBColor, width: f64) -> Draw {
        if points.len() < 2 {
            return Ok(());
        }
        let mut pts: Vec<(i32, i32)> = points.iter().map(|p| self.pt(*p)).collect();
        pts.dedup();
        if pts.len() < 2 {
            return Ok(());
        }
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: self.stroke(width),
        };
        self.area.draw(&PathElement::new(pts, style)).map_err(err)
    }

    /// A polyline drawn as dashes of `dash` with gaps of `gap` (logical units), restarting
    /// the pattern at the first point.
    pub fn dashed(
        &self,
        points: &[(f64, f64)],
        color: RGBColor,
        width: f64,
        dash: f64,
        gap: f64,
    ) -> Draw {
        for piece in dashes(points, dash, gap) {
            self.line(&piece, color, width)?;
        }
        Ok(())
    }

    /// A polyline clipped to `clip`, solid or dashed.
    pub fn series(
        &self,
        points: &[(f64, f64)],
        clip: Rect,
        color: RGBColor,
        width: f64,
        dash: Option<(f64, f64)>,
    ) -> Draw {
        // A series of one point (a stake held for one year only) is a dot, not nothing.
        if let [p] = points {
            if clip.holds(*p) {
                return self.circle(*p, 1.5 * width, color, true, 0.0);
            }
            return Ok(());
        }
        match dash {
            // Dash the whole line first, so that the pattern does not restart at the clip edge;
            // but only within a margin around the clip (helper-47: a simulated mean far off
            // the axis, 1e18 pixels long, was cut into more dashes than memory holds). Inside
            // that margin, where every ordinary chart's lines are, nothing changes.
            Some((d, g)) => {
                let (w, h) = (clip.x1 - clip.x0, clip.y1 - clip.y0);
                let around = Rect {
                    x0: clip.x0 - 2.0 * (w + h),
                    y0: clip.y0 - 2.0 * (w + h),
                    x1: clip.x1 + 2.0 * (w + h),
                    y1: clip.y1 + 2.0 * (w + h),
                };
                let near: Vec<Vec<(f64, f64)>> = if points.iter().all(|p| around.holds(*p)) {
                    vec![points.to_vec()]
                } else {
                    clip_polyline(points, around)
                };
                for piece in near.iter().flat_map(|part| dashes(part, d, g)) {
                    for part in clip_polyline(&piece, clip) {
                        self.line(&part, color, width)?;
                    }
                }
                Ok(())
            }
            None => {
                for part in clip_polyline(points, clip) {
                    self.line(&part, color, width)?;
                }
                Ok(())
            }
        }
    }

    pub fn polygon(&self, points: &[(f64, f64)], color: RGBAColor) -> Draw {
        let pts: Vec<(i32, i32)> = points.iter().map(|p| self.pt(*p)).collect();
        let style = ShapeStyle {
            color,
            filled: true,
            stroke_width: 0,
        };
        self.area.draw(&Polygon::new(pts, style)).map_err(err)
    }

    pub fn circle(
        &self,
        center: (f64, f64),
        radius: f64,
        color: RGBColor,
        filled: bool,
        width: f64,
    ) -> Draw {
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled,
            stroke_width: self.stroke(width),
        };
        let r = (radius * self.scale).round().max(1.0) as u32;
        self.area
            .draw(&Circle::new(self.pt(center), r, style))
            .map_err(err)
    }

    /// The font's size in pixels of the delivered chart: a whole number, the same for the
    /// PNG and the SVG of one chart (the SVG's was rounded to an even number, the PNG's to a
    /// whole one, so that their text differed in width and a layout decided on it could
    /// differ: helper-119's npv.png left ten pairs unlabelled that npv.svg labelled).
    fn chart_size(&self, font: &Font) -> f64 {
        (font.size * self.scale / self.supersample).round().max(1.0)
    }

    /// The font's size in backend pixels: for a PNG drawn at twice its size an even whole
    /// number, so that plotters' ab_glyph drawing (which places the baseline at half the
    /// size) puts every glyph on one baseline.
    fn backend_size(&self, font: &Font) -> f64 {
        self.chart_size(font) * self.supersample
    }

    fn desc(&self, font: &Font, size: f64) -> FontDesc<'static> {
        let style = if font.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        FontDesc::new(FontFamily::Name(FONT_FAMILY), size, style)
    }

    /// The width of `text` in logical units (the same for PNG and SVG: measured with the
    /// vendored font).
    pub fn text_width(&self, text: &str, font: &Font) -> f64 {
        #[cfg(test)]
        MEASURED.with(|m| {
            let (calls, chars) = m.get();
            m.set((calls + 1, chars + text.chars().count() as u64));
        });
        // A text of more characters than any chart holds is measured by its first
        // [`MEASURED_CHARS`]: already wider than the widest chart, and a lower bound of the
        // whole (helper-133's 30 MB model name took 1.2 GB and seconds to lay out, once
        // for every step of fitting it).
        let text = measured_prefix(text);
        // Measured at one resolution whatever the backend (eight times the chart's pixels),
        // so that the PNG and the SVG of a chart are laid out alike.
        const MEASURE: f64 = 8.0;
        let size = self.chart_size(font) * MEASURE;
        let desc = self.desc(font, size);
        match desc.box_size(text) {
            Ok((w, _)) => f64::from(w) / (self.scale / self.supersample * MEASURE),
            // A font that cannot be measured fails when drawn, with the error reported there.
            Err(_) => 0.0,
        }
    }

    /// Draws `text` with its baseline at `y`, aligned at `x`.
    pub fn text(&self, text: &str, x: f64, y: f64, font: &Font, align: Align) -> Draw {
        if text.is_empty() {
            return Ok(());
        }
        // No more is drawn than is measured: laying out the rest costs ~20 us a character
        // (a label a chart forgot to fit, with a unit of a million characters, took 23 s:
        // helper-208). What is lost is past the widest chart's edge, but where thousands
        // of characters draw nothing (zero-width spaces): then a label's end is not drawn,
        // as it is not measured (helper-211); bounded time comes first.
        let text = measured_prefix(text);
        let size = self.backend_size(font);
        let h = match align {
            Align::Left => HPos::Left,
            Align::Center => HPos::Center,
            Align::Right => HPos::Right,
        };
        let (desc, top) = if self.svg {
            // SVG: font-size is size / 1.24 (plotters) and the baseline sits 0.76 em below
            // the anchor; scale the size so that the em matches the PNG's.
            let em = size * EM_PER_SIZE;
            (self.desc(font, em * 1.24), y * self.scale - 0.76 * em)
        } else {
            // ab_glyph in plotters: the baseline sits half the size below the anchor.
            (self.desc(font, size), y * self.scale - size / 2.0)
        };
        let style = desc.color(&font.color).pos(Pos::new(h, VPos::Top));
        self.area
            .draw_text(text, &style, (self.px(x), top.round() as i32))
            .map_err(err)
    }

    /// `text` shortened with an ellipsis to fit `max_width`: the longest prefix (trailing
    /// spaces dropped) that fits with its "…", found by bisection on the cut point.
    ///
    /// A prefix is never narrower than a shorter one (advances are positive and dwarf any
    /// kerning), so bisection finds what trying every cut from the end would find, with
    /// O(log n) measurements instead of O(n) of them, each O(n) long: a 20,000-character
    /// name took seconds per label before (issue 6, fault 4).
    pub fn fit(&self, text: &str, font: &Font, max_width: f64) -> String {
        if self.text_width(text, font) <= max_width {
            return text.to_string();
        }
        // Byte offset where each character starts: the prefix of n characters is text[..cuts[n]].
        // No more of them than are measured: a longer prefix is no narrower (a 30 MB name
        // kept 240 MB of offsets).
        let cuts: Vec<usize> = (text.char_indices().map(|(i, _)| i))
            .take(MEASURED_CHARS + 1)
            .collect();
        let candidate = |n: usize| format!("{}\u{2026}", text[..cuts[n]].trim_end());
        let fits = |n: usize| self.text_width(&candidate(n), font) <= max_width;
        if cuts.is_empty() || !fits(0) {
            return String::new();
        }
        // n = cuts.len() (the whole text and an ellipsis) would not fit.
        candidate(longest(cuts.len(), fits))
    }
}

impl<DB: DrawingBackend> Canvas<DB> {
    /// `text` split where the longest start that fits `max_width` ends, between characters
    /// as shown (a letter and its marks, a flag, a joined emoji stay whole), and never
    /// before the first of them: the start and the rest, empty when all of `text` fits.
    pub fn split_to_fit<'t>(
        &self,
        text: &'t str,
        font: &Font,
        max_width: f64,
    ) -> (&'t str, &'t str) {
        if self.text_width(text, font) <= max_width {
            return (text, "");
        }
        // As in `fit`: no more cut points than are measured.
        let chars: Vec<char> = text.chars().take(MEASURED_CHARS + 1).collect();
        let cuts: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .take(chars.len())
            .collect();
        let fits = |n: usize| self.text_width(&text[..cuts[n]], font) <= max_width;
        let mut n = longest(cuts.len(), fits);
        while n > 0 && !super::cluster_boundary(&chars, n) {
            n -= 1;
        }
        if n == 0 {
            // Not even the first character fits: it goes on a line of its own, whole.
            n = (1..chars.len())
                .find(|&k| super::cluster_boundary(&chars, k))
                .unwrap_or(chars.len());
        }
        let at = cuts.get(n).copied().unwrap_or(text.len());
        (&text[..at], &text[at..])
    }
}

/// The first [`MEASURED_CHARS`] characters of `text`, all that is measured or drawn of it.
fn measured_prefix(text: &str) -> &str {
    match text.char_indices().nth(MEASURED_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The largest n below `end` for which `fits(n)` holds, by bisection, given that `fits(0)`
/// holds and that `fits` holds up to some n and not after it.
fn longest(end: usize, fits: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, end);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

impl<DB: DrawingBackend> Canvas<DB> {
    /// A name cut to fit `max_width` in its middle, its end kept: two long names that differ
    /// only at the end ("... modest exit (A)", "(B)") stay apart, where [`Canvas::fit`]
    /// would cut both to the same beginning. The end kept is the last 12 characters, or a
    /// third of the name if shorter; where not even that fits, the name is cut at its end.
    pub fn fit_name(&self, text: &str, font: &Font, max_width: f64) -> String {
        if self.text_width(text, font) <= max_width {
            return text.to_string();
        }
        let total = text.chars().count();
        let tail_len = (total / 3).min(12);
        if tail_len == 0 {
            return self.fit(text, font, max_width);
        }
        let head_cuts = total - tail_len;
        let tail_start = text
            .char_indices()
            .nth(head_cuts)
            .map_or(text.len(), |(i, _)| i);
        let tail = text[tail_start..].trim_start();
        // The head's cut points, no more of them than are measured (see `fit`).
        let end = head_cuts.min(MEASURED_CHARS + 1);
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).take(end).collect();
        let candidate = |n: usize| {
            let head = &text[..cuts.get(n).copied().unwrap_or(tail_start)];
            format!("{}\u{2026}{tail}", head.trim_end())
        };
        let fits = |n: usize| self.text_width(&candidate(n), font) <= max_width;
        if !fits(0) {
            return self.fit(text, font, max_width);
        }
        // head_cuts would be the whole name with an ellipsis inside.
        candidate(longest(end, fits))
    }

    /// [`Canvas::fit_name`] for names shown side by side (a legend, the labels under bars):
    /// names that shorten alike (they differ only in their middle) are shortened around
    /// where they differ instead, `Scenar…ium growth, high marg…`, and where that still
    /// gives one label twice, numbered by their places among the names shown, `2. Scenario…`
    /// (helper-103: fifteen names cut to the same "Scenario with a lon…l suffix too").
    pub fn fit_names(&self, names: &[&str], font: &Font, max_width: f64) -> Vec<String> {
        let mut fitted: Vec<String> = names
            .iter()
            .map(|n| self.fit_name(n, font, max_width))
            .collect();
        for group in alike(names, &fitted) {
            let members: Vec<&str> = group.iter().map(|&i| names[i]).collect();
            // Characters the group's names share from their start.
            let shared = common_prefix_chars(&members);
            for &i in &group {
                let chars: Vec<(usize, char)> = names[i].char_indices().collect();
                let head_len = shared.min(6);
                let from = shared.saturating_sub(2).max(head_len).min(chars.len());
                if from <= head_len {
                    // Nothing to cut before where they differ: the end is cut instead.
                    fitted[i] = self.fit(names[i], font, max_width);
                    continue;
                }
                let head = &names[i][..chars.get(head_len).map_or(names[i].len(), |c| c.0)];
                let rest = &names[i][chars.get(from).map_or(names[i].len(), |c| c.0)..];
                let candidate = format!("{}\u{2026}{}", head.trim_end(), rest.trim_start());
                fitted[i] = self.fit(&candidate, font, max_width);
            }
        }
        // Numbered by place among all the names shown (a name given twice by its first):
        // "4." under the fourth bar. Numbered within the group, "1." stood under the third
        // of 26 bars and "4." under the eighth, read as their places (helper-220).
        let mut first_place: std::collections::HashMap<&str, usize> = Default::default();
        for (i, name) in names.iter().enumerate() {
            first_place.entry(name).or_insert(i);
        }
        for group in alike(names, &fitted) {
            for &i in &group {
                let k = first_place.get(names[i]).copied().unwrap_or(i);
                fitted[i] = self.fit(&format!("{}. {}", k + 1, names[i]), font, max_width);
            }
        }
        fitted
    }
}

/// Groups (by index, in order) of different names whose labels are the same.
fn alike(names: &[&str], labels: &[String]) -> Vec<Vec<usize>> {
    let mut by_label: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, label) in labels.iter().enumerate() {
        by_label.entry(label.as_str()).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = by_label
        .into_values()
        .filter(|g| g.iter().any(|&i| names[i] != names[g[0]]))
        .collect();
    groups.sort();
    groups
}

/// How many characters all of `names` share from their start.
fn common_prefix_chars(names: &[&str]) -> usize {
    let mut iters: Vec<std::str::Chars> = names.iter().map(|n| n.chars()).collect();
    let mut n = 0;
    loop {
        let mut next = iters.iter_mut().map(Iterator::next);
        let Some(Some(first)) = next.next() else {
            return n;
        };
        if !next.all(|c| c == Some(first)) {
            return n;
        }
        n += 1;
    }
}

/// Splits a polyline into dashes.
pub(crate) fn dashes(points: &[(f64, f64)], dash: f64, gap: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    if points.len() < 2 || dash <= 0.0 {
        return out;
    }
    let mut on = true;
    let mut left = dash;
    let mut current = vec![points[0]];
    for w in points.windows(2) {
        let (mut a, b) = (w[0], w[1]);
        loop {
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len = (dx * dx + dy * dy).sqrt();
            // A point not finite ends the dashing (it would never be walked past).
            if !len.is_finite() {
                return out;
            }
            if len <= left {
                left -= len;
                if on {
                    current.push(b);
                }
                break;
            }
            let t = left / len;
            let p = (a.0 + dx * t, a.1 + dy * t);
            if on {
                current.push(p);
                out.push(std::mem::take(&mut current));
                left = gap;
            } else {
                current = vec![p];
                left = dash;
            }
            on = !on;
            a = p;
        }
    }
    if on && current.len() > 1 {
        out.push(current);
    }
    out
}

/// The parts of a polyline inside `clip` (Liang-Barsky on each segment).
pub(crate) fn clip_polyline(points: &[(f64, f64)], clip: Rect) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for w in points.windows(2) {
        match clip_segment(w[0], w[1], clip) {
            Some((p, q)) => {
                if current.last() != Some(&p) {
                    if current.len() > 1 {
                        out.push(std::mem::take(&mut current));
                    }
                    current = vec![p];
                }
                current.push(q);
                if q != w[1] {
                    out.push(std::mem::take(&mut current));
                }
            }
            None => {
                if current.len() > 1 {
                    out.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

/// The part of a polygon inside `clip` (Sutherland-Hodgman, one edge of `clip` at a time).
pub(crate) fn clip_polygon(points: &[(f64, f64)], clip: Rect) -> Vec<(f64, f64)> {
    type Inside = fn((f64, f64), Rect) -> bool;
    type Cross = fn((f64, f64), (f64, f64), Rect) -> (f64, f64);
    let edges: [(Inside, Cross); 4] = [
        (
            |p, r| p.0 >= r.x0,
            |a, b, r| {
                let t = (r.x0 - a.0) / (b.0 - a.0);
                (r.x0, a.1 + (b.1 - a.1) * t)
            },
        ),
        (
            |p, r| p.0 <= r.x1,
            |a, b, r| {
                let t = (r.x1 - a.0) / (b.0 - a.0);
                (r.x1, a.1 + (b.1 - a.1) * t)
            },
        ),
        (
            |p, r| p.1 >= r.y0,
            |a, b, r| {
                let t = (r.y0 - a.1) / (b.1 - a.1);
                (a.0 + (b.0 - a.0) * t, r.y0)
            },
        ),
        (
            |p, r| p.1 <= r.y1,
            |a, b, r| {
                let t = (r.y1 - a.1) / (b.1 - a.1);
                (a.0 + (b.0 - a.0) * t, r.y1)
            },
        ),
    ];
    let mut poly = points.to_vec();
    for (inside, cross) in edges {
        if poly.is_empty() {
            break;
        }
        let input = std::mem::take(&mut poly);
        let mut prev = input[input.len() - 1];
        for &p in &input {
            match (inside(p, clip), inside(prev, clip)) {
                (true, true) => poly.push(p),
                (true, false) => {
                    poly.push(cross(prev, p, clip));
                    poly.push(p);
                }
                (false, true) => poly.push(cross(prev, p, clip)),
                (false, false) => {}
            }
            prev = p;
        }
    }
    poly
}

fn clip_segment(a: (f64, f64), b: (f64, f64), r: Rect) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - r.x0),
        (dx, r.x1 - a.0),
        (-dy, a.1 - r.y0),
        (dy, r.y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + dx * t, a.1 + dy * t)
        }
    };
    Some((at(t0), at(t1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_alternate_and_cover_the_line() {
        let d = dashes(&[(0.0, 0.0), (10.0, 0.0)], 3.0, 2.0);
        assert_eq!(
            d,
            vec![vec![(0.0, 0.0), (3.0, 0.0)], vec![(5.0, 0.0), (8.0, 0.0)]]
        );
        // A dash goes round a corner.
        let d = dashes(&[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0)], 3.0, 1.0);
        assert_eq!(d[0], vec![(0.0, 0.0), (2.0, 0.0), (2.0, 1.0)]);
    }

    #[test]
    fn clipping_keeps_the_inside() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        let parts = clip_polyline(&[(-5.0, 5.0), (5.0, 5.0), (5.0, 20.0)], r);
        assert_eq!(parts, vec![vec![(0.0, 5.0), (5.0, 5.0), (5.0, 10.0)]]);
        let parts = clip_polyline(&[(1.0, 1.0), (1.0, 20.0), (2.0, 20.0), (2.0, 1.0)], r);
        assert_eq!(
            parts,
            vec![vec![(1.0, 1.0), (1.0, 10.0)], vec![(2.0, 10.0), (2.0, 1.0)]]
        );
        assert!(clip_polyline(&[(20.0, 20.0), (30.0, 30.0)], r).is_empty());
    }

    #[test]
    fn polygon_clipping_keeps_the_inside() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        // A square overhanging the right edge.
        let clipped = clip_polygon(&[(5.0, 2.0), (15.0, 2.0), (15.0, 8.0), (5.0, 8.0)], r);
        assert_eq!(
            clipped,
            vec![(5.0, 2.0), (10.0, 2.0), (10.0, 8.0), (5.0, 8.0)]
        );
        // Wholly outside: nothing.
        assert!(clip_polygon(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], r).is_empty());
        // Wholly inside: unchanged.
        let inside = [(1.0, 1.0), (9.0, 1.0), (5.0, 9.0)];
        assert_eq!(clip_polygon(&inside, r), inside.to_vec());
    }
}
