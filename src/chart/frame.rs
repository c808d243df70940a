//! What every chart shares: the palette, the type sizes, the title and footer, the legend
//! column to the right of the plot, and the axes.
//!
//! Seen in the built-in model's `value.svg` at its default size, 1600 x 900 (its text
//! elements, each with its x):
//!
//! ```
//! use stakeshift::chart::{Chart, ChartContext, Size};
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let ctx = ChartContext::new(&loaded.label, &loaded.text, Size::DEFAULT, None);
//! let svg = Chart::Value.svg(&loaded.model, &comparison, &ctx)?;
//! let svg = String::from_utf8(svg).unwrap();
//! let texts: Vec<(&str, &str)> = svg.split("<text x=\"").skip(1).map(|t| {
//!     let (x, rest) = t.split_once('"').unwrap();
//!     (x, rest[rest.find('>').unwrap() + 1..rest.find("</text>").unwrap()].trim())
//! }).collect();
//! // The title (the model's name) and the footer start at the 36 px margin.
//! assert_eq!(texts[0], ("36", loaded.model.name.as_str()));
//! assert!(texts.contains(&("36", ctx.footer.as_str())));
//! // The legend column, 270 px wide inside the right margin, starts at 1600 - 36 - 270.
//! assert!(texts.contains(&("1294", "Trajectory")));
//! // 2019 to 2045 in at most 8 ticks: every 5 years (26 / 5 = 5 steps), on round years.
//! let years: Vec<&str> = texts.iter().map(|t| t.1).filter(|t| t.starts_with("20"))
//!     .collect();
//! assert_eq!(years, ["2020", "2025", "2030", "2035", "2040", "2045"]);
//! // Six trajectories take the palette's first six colours: not its wine nor yellow.
//! assert!(svg.contains("#0072B2") && svg.contains("#56B4E9")); // blue .. sky blue
//! assert!(!svg.contains("#882255") && !svg.contains("#F0E442"));
//! # Ok::<(), stakeshift::Error>(())
//! ```

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};

use super::canvas::{Align, Canvas, Draw, Font, Rect};
use super::scale::{self, Linear, Ticks};
use crate::model::Year;

/// Okabe and Ito's colour-blind-safe palette, its black replaced, in the order series take
/// it (yellow last: it is hard to see as a line on white).
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    // Okabe-Ito's black gives way to Paul Tol's wine: a trajectory drawn in black read as
    // the charts' own black marks (stake.png's stake line, npv.png's key; helper-169).
    RGBColor(0x88, 0x22, 0x55), // wine
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// Series `i`'s colour: the palette, then (from the ninth series) the palette darkened, then
/// lightened, so that no two of [`COLORS`] (24) series share a colour (helper-103: with 15 trajectories
/// two pairs were drawn alike).
pub(crate) fn color(i: usize) -> RGBColor {
    let c = PALETTE[i % PALETTE.len()];
    match (i / PALETTE.len()) % 3 {
        0 => c,
        1 => shade(c, 0.45),
        // Lightened less than halfway: half a tint of black was FAINT, the markers' grey,
        // and pale colours vanish on white (helper-104).
        _ => tint(c, 0.38),
    }
}

/// How many series [`color`] tells apart; from then on the colours repeat.
pub(crate) const COLORS: usize = 3 * PALETTE.len();

/// A legend's note where two of the series shown (by their places, as [`color`] takes
/// them) share a colour, past [`COLORS`] (helper-186: with 26 trajectories the 25th and
/// 26th were drawn as the 1st and 2nd, and nothing said so).
pub(crate) fn shared_colors_note(places: impl IntoIterator<Item = usize>) -> Option<Item> {
    let mut seen = [false; COLORS];
    let shared = places
        .into_iter()
        .any(|i| std::mem::replace(&mut seen[i % COLORS], true));
    shared.then(|| {
        Item::Note(format!(
            "Colours repeat past {COLORS} trajectories: two lines of one colour are told apart in the CSV files."
        ))
    })
}

/// The colours of the model's trajectories: each its place in the model's, so that a
/// trajectory has the same colour in every chart, whichever trajectories a chart shows
/// (helper-103: `-t bull -t bear` drew bull in the colour of bust). By a map: a chart of
/// 20,000 trajectories asks 20,000 times.
pub(crate) struct TrajectoryColors<'a>(std::collections::HashMap<&'a str, usize>);

impl<'a> TrajectoryColors<'a> {
    pub(crate) fn of(model: &'a crate::model::Model) -> Self {
        TrajectoryColors(
            (model.trajectories.iter().enumerate())
                .map(|(i, t)| (t.name.as_str(), i))
                .collect(),
        )
    }

    /// Trajectory `name`'s colour (the first colour for a name the model does not have).
    pub(crate) fn of_name(&self, name: &str) -> RGBColor {
        color(self.place(name))
    }

    /// Trajectory `name`'s place in the model (0 for a name the model does not have).
    pub(crate) fn place(&self, name: &str) -> usize {
        self.0.get(name).copied().unwrap_or(0)
    }

    /// [`shared_colors_note`] of the trajectories `names`.
    pub(crate) fn shared_note<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> Option<Item> {
        shared_colors_note(names.into_iter().map(|n| self.place(n)))
    }
}

/// Mixes `c` with black: `t` = 0 is `c`, 1 is black.
pub(crate) fn shade(c: RGBColor, t: f64) -> RGBColor {
    let m = |v: u8| (f64::from(v) * (1.0 - t)).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

pub(crate) const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
pub(crate) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(crate) const FAINT: RGBColor = RGBColor(0x80, 0x80, 0x80);
pub(crate) const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
pub(crate) const AXIS: RGBColor = RGBColor(0x90, 0x90, 0x90);
pub(crate) const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

/// Mixes `c` with white: `t` = 0 is `c`, 1 is white.
pub(crate) fn tint(c: RGBColor, t: f64) -> RGBColor {
    let m = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * t).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

pub(crate) fn title_font() -> Font {
    Font::new(34.0, INK).bold()
}
pub(crate) fn subtitle_font() -> Font {
    Font::new(20.0, MUTED)
}
pub(crate) fn tick_font() -> Font {
    Font::new(17.0, MUTED)
}
pub(crate) fn label_font() -> Font {
    Font::new(18.0, INK)
}
pub(crate) fn legend_font() -> Font {
    Font::new(18.0, INK)
}
pub(crate) fn small_font() -> Font {
    Font::new(16.0, MUTED)
}
pub(crate) fn footer_font() -> Font {
    Font::new(15.0, FAINT)
}

const MARGIN: f64 = 36.0;
const LEGEND_WIDTH: f64 = 270.0;
const LEGEND_GAP: f64 = 28.0;

/// Where a chart draws: the plot region (axes and labels included) and the legend column.
pub(crate) struct Layout {
    pub content: Rect,
    pub legend: Rect,
}

/// The footer as drawn in `width`: whole where it fits; else with as many of its overrides
/// as fit and how many more there are (a reader must know the list is cut, or the chart
/// cannot be made again from it); else cut.
fn footer_line<DB: DrawingBackend>(
    c: &Canvas<DB>,
    ctx: &super::ChartContext,
    font: &Font,
    width: f64,
) -> String {
    let fits = |text: &str| c.text_width(text, font) <= width;
    if fits(&ctx.footer) {
        return ctx.footer.clone();
    }
    (0..ctx.overrides.len())
        .rev()
        .map(|shown| ctx.footer_with_first(shown))
        .find(|line| fits(line))
        .unwrap_or_else(|| c.fit(&ctx.footer_with_first(0), font, width))
}

/// Draws the title, subtitle and footer; returns the regions left for the plot and legend.
pub(crate) fn frame<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    subtitle: &str,
    ctx: &super::ChartContext,
) -> Result<Layout, String> {
    let (w, h) = (c.width, c.height);
    c.clear()?;
    let inner = w - 2.0 * MARGIN;
    let tf = shrink_to_fit(c, title, title_font(), 26.0, inner);
    c.text(&c.fit(title, &tf, inner), MARGIN, 52.0, &tf, Align::Left)?;
    let sf = shrink_to_fit(c, subtitle, subtitle_font(), 16.0, inner);
    c.text(&c.fit(subtitle, &sf, inner), MARGIN, 84.0, &sf, Align::Left)?;

    let rule_y = (h - 40.0).round();
    c.line(&[(MARGIN, rule_y), (w - MARGIN, rule_y)], GRID, 1.0)?;
    let ff = footer_font();
    c.text(
        &footer_line(c, ctx, &ff, inner),
        MARGIN,
        h - 16.0,
        &ff,
        Align::Left,
    )?;

    Ok(layout(c))
}

/// The regions [`frame`] leaves for the plot and the legend, without drawing anything: for
/// a chart whose subtitle depends on what fits in them.
pub(crate) fn layout<DB: DrawingBackend>(c: &Canvas<DB>) -> Layout {
    let (w, h) = (c.width, c.height);
    let legend_x0 = w - MARGIN - LEGEND_WIDTH;
    Layout {
        content: Rect {
            x0: MARGIN,
            y0: 112.0,
            x1: legend_x0 - LEGEND_GAP,
            y1: h - 56.0,
        },
        legend: Rect {
            x0: legend_x0,
            y0: 128.0,
            x1: w - MARGIN,
            y1: h - 56.0,
        },
    }
}

/// `font`, made smaller (down to `min`) until `text` fits `width`.
fn shrink_to_fit<DB: DrawingBackend>(
    c: &Canvas<DB>,
    text: &str,
    font: Font,
    min: f64,
    width: f64,
) -> Font {
    let mut f = font;
    while f.size > min && c.text_width(text, &f) > width {
        f.size -= 2.0;
    }
    f
}

/// One line of a legend.
#[derive(Clone)]
pub(crate) enum Item {
    /// A section heading.
    Heading(String),
    /// A line sample: colour, dashed, width, label.
    Line(RGBColor, bool, f64, String),
    /// A filled square: fill colour, label.
    Swatch(RGBColor, String),
    /// A filled square labelled `name: amount`: fill colour, name, the amount in full, the
    /// amount written short ([`scale::compact`]). Where the label does not fit, the name is
    /// shortened, never the amount; where the amount in full leaves too little room for the
    /// name, it is written short.
    Amount(RGBColor, String, String, String),
    /// A point marker: colour, filled (else a ring), label.
    Dot(RGBColor, bool, String),
    /// A bar sample drawn as the NPV chart draws a regime: fill, outline, label.
    Bar(RGBColor, RGBColor, bool, String),
    /// Explanatory text, wrapped to the column.
    Note(String),
    /// Vertical space.
    Gap,
}

const ROW: f64 = 27.0;
const SAMPLE: f64 = 34.0;

impl Item {
    /// An entry of a list (a trajectory, a party, a deal): what "(+N more)" counts.
    fn is_entry(&self) -> bool {
        matches!(
            self,
            Item::Line(..) | Item::Swatch(..) | Item::Amount(..) | Item::Dot(..) | Item::Bar(..)
        )
    }
}

/// A row of a legend as drawn: an item, or the note of how many entries of a list are left
/// out.
#[derive(Clone, Copy)]
enum Row<'a> {
    Item(&'a Item),
    More(usize),
}

/// The height a legend row takes, from its baseline to the next one's.
fn row_height<DB: DrawingBackend>(c: &Canvas<DB>, row: &Row<'_>, width: f64) -> f64 {
    match row {
        Row::Item(Item::Heading(_)) => ROW + 2.0,
        Row::Item(Item::Note(t)) => {
            wrap(c, t, &small_font(), width).len() as f64 * (ROW - 5.0) + 3.0
        }
        Row::Item(Item::Gap) => ROW * 0.6,
        Row::Item(_) => ROW,
        Row::More(_) => ROW - 2.0,
    }
}

/// Whether the legend [`legend`] draws in `area` keeps `items[index]` (a list too long for
/// its column is cut, and past it the items from the top that fit are kept).
pub(crate) fn legend_keeps<DB: DrawingBackend>(
    c: &Canvas<DB>,
    area: Rect,
    items: &[Item],
    index: usize,
) -> bool {
    let Some(wanted) = items.get(index) else {
        return false;
    };
    legend_rows(c, area, items)
        .iter()
        .any(|r| matches!(r, Row::Item(item) if std::ptr::eq(*item, wanted)))
}

/// The rows of a legend that fit `area`: every item where they all fit; else the longest
/// list of entries (the trajectories) cut short, with a row saying how many are left out,
/// so that what follows it (the key to line styles, the notes) stays in view; else, where
/// even one entry of that list leaves too little room, the items from the top that fit and
/// a last row for how many entries are left out.
fn legend_rows<'a, DB: DrawingBackend>(
    c: &Canvas<DB>,
    area: Rect,
    items: &'a [Item],
) -> Vec<Row<'a>> {
    let top = area.y0 + legend_font().cap_height();
    // Whether a row of height `h` whose baseline is at `y` has its last baseline (a note's
    // last line's) below the area.
    let overflows = |r: &Row<'_>, y: f64, h: f64| {
        let last = match r {
            Row::Item(Item::Note(_)) => y + h - 3.0 - (ROW - 5.0),
            _ => y,
        };
        last > area.y1
    };
    // Whether each row fits, the rows laid out from the top.
    let fits = |rows: &mut dyn Iterator<Item = Row<'_>>| {
        let mut y = top;
        for r in rows {
            let h = row_height(c, &r, area.width());
            if overflows(&r, y, h) {
                return false;
            }
            y += h;
        }
        true
    };
    if fits(&mut items.iter().map(Row::Item)) {
        return items.iter().map(Row::Item).collect();
    }
    // The longest run of entries.
    let mut best = (0, 0);
    let mut i = 0;
    while i < items.len() {
        let j = (i..items.len())
            .find(|&j| !items[j].is_entry())
            .unwrap_or(items.len());
        if j - i > best.1 - best.0 {
            best = (i, j);
        }
        i = j.max(i + 1);
    }
    let (start, end) = best;
    let cut = |keep: usize| {
        items[..start + keep]
            .iter()
            .map(Row::Item)
            .chain(std::iter::once(Row::More(end - start - keep)))
            .chain(items[end..].iter().map(Row::Item))
    };
    if end - start >= 2 && fits(&mut cut(1)) {
        // The most entries that fit with the rest. Keeping one more entry moves every row
        // after it down (in floating point too: adding the same height to a greater y never
        // gives less), so what fits is a range from 1 and is searched by halves: a search
        // down from the most, each try laying out every row, took time in n squared (a tier
        // of 100,000 parties: minutes per chart; helper-97).
        let (mut fit, mut unfit) = (1, end - start);
        while unfit - fit > 1 {
            let mid = fit + (unfit - fit) / 2;
            if fits(&mut cut(mid)) {
                fit = mid;
            } else {
                unfit = mid;
            }
        }
        return cut(fit).collect();
    }
    // From the top, as many as fit with a last row for the entries left out. The rows kept
    // so far fit where they are, so each item is tried at the next place with the "more"
    // row under it, not with the whole legend laid out again.
    let mut left = items.iter().filter(|it| it.is_entry()).count();
    let mut rows: Vec<Row<'a>> = Vec::new();
    let mut y = top;
    for item in items {
        let row = Row::Item(item);
        let h = row_height(c, &row, area.width());
        let after = left - usize::from(item.is_entry());
        let more = Row::More(after);
        if overflows(&row, y, h) || overflows(&more, y + h, row_height(c, &more, area.width())) {
            rows.push(Row::More(left));
            return rows;
        }
        rows.push(row);
        y += h;
        left = after;
    }
    rows
}

/// Draws a legend from the top of `area`; text that does not fit is shortened; where the
/// rows do not all fit, the longest list of entries is cut short with a row saying how many
/// of it are left out ([`legend_rows`]).
pub(crate) fn legend<DB: DrawingBackend>(c: &Canvas<DB>, area: Rect, items: &[Item]) -> Draw {
    let lf = legend_font();
    let hf = legend_font().bold();
    let nf = small_font();
    let mut y = area.y0 + lf.cap_height();
    let text_x = area.x0 + SAMPLE + 10.0;
    let text_w = area.x1 - text_x;
    let rows = legend_rows(c, area, items);
    // The names of the rows shown, fitted together so that no two read alike.
    fn named(item: &Item) -> Option<&str> {
        match item {
            Item::Line(.., t) | Item::Swatch(_, t) | Item::Dot(_, _, t) | Item::Bar(.., t) => {
                Some(t.as_str())
            }
            _ => None,
        }
    }
    let names: Vec<&str> = rows
        .iter()
        .filter_map(|r| match r {
            Row::Item(item) => named(item),
            Row::More(_) => None,
        })
        .collect();
    let mut fitted = c.fit_names(&names, &lf, text_w).into_iter();
    let mut fitted_name = || fitted.next().unwrap_or_default();
    // The rows of names with amounts, fitted together too.
    let amounts: Vec<(&str, [&str; 2])> = rows
        .iter()
        .filter_map(|r| match r {
            Row::Item(Item::Amount(_, name, full, short)) => {
                Some((name.as_str(), [full.as_str(), short.as_str()]))
            }
            _ => None,
        })
        .collect();
    let mut amount_texts = names_and_amounts(c, &amounts, &lf, text_w).into_iter();
    for row in rows {
        let item = match row {
            Row::Item(item) => item,
            Row::More(n) => {
                let text = match n {
                    0 => "(more not shown)".to_string(),
                    n => format!("(+{n} more)"),
                };
                c.text(&text, area.x0, y, &nf, Align::Left)?;
                y += row_height(c, &Row::More(n), area.width());
                continue;
            }
        };
        let mid = y - lf.cap_height() / 2.0;
        match item {
            Item::Heading(t) => {
                c.text(&c.fit(t, &hf, area.width()), area.x0, y, &hf, Align::Left)?;
                y += ROW + 2.0;
            }
            Item::Line(col, dashed, width, _) => {
                let pts = [(area.x0, mid), (area.x0 + SAMPLE, mid)];
                if *dashed {
                    c.dashed(&pts, *col, *width, 7.0, 4.0)?;
                } else {
                    c.line(&pts, *col, *width)?;
                }
                c.text(&fitted_name(), text_x, y, &lf, Align::Left)?;
                y += ROW;
            }
            Item::Swatch(col, _) | Item::Amount(col, ..) => {
                let s = 16.0;
                c.fill_rect(
                    Rect {
                        x0: area.x0 + (SAMPLE - s) / 2.0,
                        y0: mid - s / 2.0,
                        x1: area.x0 + (SAMPLE + s) / 2.0,
                        y1: mid + s / 2.0,
                    },
                    col.to_rgba(),
                )?;
                let text = match item {
                    Item::Amount(..) => amount_texts.next().unwrap_or_default(),
                    Item::Swatch(..) => fitted_name(),
                    _ => unreachable!("a swatch"),
                };
                c.text(&text, text_x, y, &lf, Align::Left)?;
                y += ROW;
            }
            Item::Dot(col, filled, _) => {
                dot(c, (area.x0 + SAMPLE / 2.0, mid), *col, *filled)?;
                c.text(&fitted_name(), text_x, y, &lf, Align::Left)?;
                y += ROW;
            }
            Item::Bar(fill, outline, dashed, _) => {
                let r = Rect {
                    x0: area.x0 + 8.0,
                    y0: mid - 9.0,
                    x1: area.x0 + SAMPLE - 8.0,
                    y1: mid + 9.0,
                };
                c.fill_rect(r, fill.to_rgba())?;
                outline_rect(c, r, *outline, 1.5, *dashed)?;
                c.text(&fitted_name(), text_x, y, &lf, Align::Left)?;
                y += ROW;
            }
            Item::Note(t) => {
                for line in wrap(c, t, &nf, area.width()) {
                    c.text(&line, area.x0, y, &nf, Align::Left)?;
                    y += ROW - 5.0;
                }
                y += 3.0;
            }
            Item::Gap => y += ROW * 0.6,
        }
    }
    Ok(())
}

/// A deal's series: its line, or where it has a single point (a single-year model), that
/// point's marker, a disc (`filled`, equity) or a ring (the profit share); nothing where
/// the one point is off the plot.
pub(crate) fn deal_series<DB: DrawingBackend>(
    c: &Canvas<DB>,
    points: &[(f64, f64)],
    clip: Rect,
    col: RGBColor,
    width: f64,
    dash: Option<(f64, f64)>,
    filled: bool,
) -> Draw {
    match points {
        [p] if clip.holds(*p) => dot(c, *p, col, filled),
        [_] => Ok(()),
        points => c.series(points, clip, col, width, dash),
    }
}

/// A point's marker where a series has a single point: a filled disc, or a ring (the
/// other deal's point, told apart by its shape as well as by the legend).
pub(crate) fn dot<DB: DrawingBackend>(
    c: &Canvas<DB>,
    at: (f64, f64),
    col: RGBColor,
    filled: bool,
) -> Draw {
    if filled {
        c.circle(at, 6.0, col, true, 0.0)
    } else {
        c.circle(at, 6.5, WHITE, true, 0.0)?;
        c.circle(at, 6.5, col, false, 2.5)
    }
}

/// The least room a shortened name is given beside its amount before the amount is written
/// short: a name cut to one letter and an ellipsis tells nothing.
const NAME_ROOM: f64 = 70.0;

/// `name: amount` in `width`: whole where it fits; else the name shortened beside the amount
/// in full, or, where that leaves the name less than [`NAME_ROOM`], beside the amount
/// written short; else the short amount alone after an ellipsis. The amount is never cut
/// (helper: `fund (investor):…,527,117,068` for 3,184,888,527,117,068).
#[cfg(test)]
pub(crate) fn name_and_amount<DB: DrawingBackend>(
    c: &Canvas<DB>,
    name: &str,
    amounts: [&str; 2],
    font: &Font,
    width: f64,
) -> String {
    names_and_amounts(c, &[(name, amounts)], font, width).remove(0)
}

/// `name_and_amount` for the rows of one legend: the names that must be shortened are
/// shortened together ([`Canvas::fit_names`]), in the least room any of them has, so that
/// two names alike but for their middle or end do not read alike; and where one amount is
/// written short, all are.
pub(crate) fn names_and_amounts<DB: DrawingBackend>(
    c: &Canvas<DB>,
    rows: &[(&str, [&str; 2])],
    font: &Font,
    width: f64,
) -> Vec<String> {
    // Each row's amount and the room its name has beside it; None: the row is whole.
    let plans: Vec<Option<(String, f64)>> = rows
        .iter()
        .map(|(name, [full, short])| {
            if c.text_width(&format!("{name}: {full}"), font) <= width {
                return None;
            }
            let name_width = c.text_width(name, font);
            let plans: Vec<(String, f64)> = [full, short]
                .iter()
                .map(|amount| {
                    let suffix = format!(": {amount}");
                    let room = width - c.text_width(&suffix, font);
                    (suffix, room)
                })
                .collect();
            // The full amount where the name stays whole beside it, else the short one
            // where that keeps the name whole, else whichever leaves the name more room
            // (helper-119: "fo…idual): 42,808,586,346,379", the name cut to a fragment
            // beside a full amount where the short one left it whole).
            plans
                .iter()
                .find(|(_, room)| *room >= name_width)
                .or_else(|| {
                    plans
                        .iter()
                        .filter(|(_, room)| *room >= NAME_ROOM.min(name_width))
                        .max_by(|a, b| a.1.total_cmp(&b.1))
                })
                .cloned()
                .or_else(|| Some((format!(": {short}"), 0.0)))
        })
        .collect();
    // One row's amount written short: every row's is, so that one legend does not read
    // "6e14" beside "470,000,000,000,000" (helper-186).
    let written_short = rows.iter().zip(&plans).any(|((_, [full, short]), plan)| {
        full != short
            && plan
                .as_ref()
                .is_some_and(|(suffix, _)| *suffix == format!(": {short}"))
    });
    if written_short {
        let short: Vec<(&str, [&str; 2])> = rows
            .iter()
            .map(|(name, [_, short])| (*name, [*short, *short]))
            .collect();
        return names_and_amounts(c, &short, font, width);
    }
    let cut: Vec<usize> = (0..rows.len())
        .filter(|&i| plans[i].as_ref().is_some_and(|(_, room)| *room > 0.0))
        .collect();
    let room = cut
        .iter()
        .filter_map(|&i| plans[i].as_ref().map(|(_, room)| *room))
        .fold(f64::INFINITY, f64::min);
    let names: Vec<&str> = cut.iter().map(|&i| rows[i].0).collect();
    let mut fitted = if cut.is_empty() {
        Vec::new()
    } else {
        c.fit_names(&names, font, room)
    }
    .into_iter();
    rows.iter()
        .zip(&plans)
        .map(|((name, [full, _]), plan)| match plan {
            None => format!("{name}: {full}"),
            Some((suffix, room)) if *room > 0.0 => {
                let name = fitted.next().unwrap_or_default();
                if name.is_empty() {
                    format!("\u{2026}{suffix}")
                } else {
                    format!("{name}{suffix}")
                }
            }
            Some((suffix, _)) => format!("\u{2026}{suffix}"),
        })
        .collect()
}

/// Splits `text` into lines that fit `width`: between words, and a word wider than a line
/// (a name without a space, a path) between its characters as shown, over at most
/// [`WORD_LINES`] lines, the last cut with an ellipsis if it still does not fit
/// (helper-262: a 39-character name without a space, wider than the legend's column, lost
/// its end to an ellipsis).
pub(crate) fn wrap<DB: DrawingBackend>(
    c: &Canvas<DB>,
    text: &str,
    font: &Font,
    width: f64,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut words = text.split_whitespace();
    for word in words.by_ref() {
        // No more lines than any chart has room for (helper-266: a tier's name of 4 million
        // words was wrapped whole, 49 s, before the legend found it did not fit).
        if lines.len() >= WRAPPED_LINES {
            break;
        }
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if c.text_width(&candidate, font) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word;
        for _ in 1..WORD_LINES {
            let (head, tail) = c.split_to_fit(rest, font, width);
            if tail.is_empty() {
                break;
            }
            lines.push(head.to_string());
            rest = tail;
        }
        line = rest.to_string();
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let cut = lines.len() > WRAPPED_LINES || words.next().is_some();
    lines.truncate(WRAPPED_LINES);
    if cut && let Some(last) = lines.last_mut() {
        // Said, as a cut name is: an ellipsis where the text goes on.
        *last = c.fit(&format!("{last}\u{2026}"), font, width);
    }
    lines.into_iter().map(|l| c.fit(&l, font, width)).collect()
}

/// The most lines [`wrap`] gives: more than the tallest chart's column holds (60 of a
/// note's 15-pixel lines fill 900).
const WRAPPED_LINES: usize = 60;

/// The most lines one word is broken over by [`wrap`]: enough for any name a chart shows
/// (a long one is shortened first: [`super::name_in_charts`]), and a bound on the work a
/// hostile one makes.
const WORD_LINES: usize = 3;

pub(crate) fn outline_rect<DB: DrawingBackend>(
    c: &Canvas<DB>,
    r: Rect,
    col: RGBColor,
    width: f64,
    dashed: bool,
) -> Draw {
    let pts = [
        (r.x0, r.y0),
        (r.x1, r.y0),
        (r.x1, r.y1),
        (r.x0, r.y1),
        (r.x0, r.y0),
    ];
    if dashed {
        c.dashed(&pts, col, width, 5.0, 3.0)
    } else {
        c.line(&pts, col, width)
    }
}

/// The width the labels of `ticks` need on the y axis.
pub(crate) fn y_label_width<DB: DrawingBackend>(
    c: &Canvas<DB>,
    ticks: &Ticks,
    label: &dyn Fn(f64, &Ticks) -> String,
) -> f64 {
    let tf = tick_font();
    ticks
        .values
        .iter()
        .map(|v| c.text_width(&label(*v, ticks), &tf))
        .fold(0.0, f64::max)
}

/// Horizontal grid lines with their labels left of `plot`, a darker line at zero.
pub(crate) fn y_axis<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    y: &Linear,
    ticks: &Ticks,
    label: &dyn Fn(f64, &Ticks) -> String,
) -> Draw {
    let tf = tick_font();
    for v in &ticks.values {
        let py = y.map(*v).round();
        let zero = v.abs() < ticks.step * 1e-6;
        c.line(
            &[(plot.x0, py), (plot.x1, py)],
            if zero { AXIS } else { GRID },
            1.0,
        )?;
        c.text(
            &label(*v, ticks),
            plot.x0 - 10.0,
            py + tf.cap_height() / 2.0,
            &tf,
            Align::Right,
        )?;
    }
    Ok(())
}

/// An axis title: above the plot's top edge `top`, from `left` (the left edge of the axis
/// labels), no wider than up to `right`.
pub(crate) fn y_axis_title<DB: DrawingBackend>(
    c: &Canvas<DB>,
    left: f64,
    top: f64,
    right: f64,
    title: &str,
) -> Draw {
    let lf = small_font();
    c.text(
        &c.fit(title, &lf, right - left),
        left,
        top - 16.0,
        &lf,
        Align::Left,
    )
}

/// The x axis's title, centred under the tick labels of `plot` (fitted to its width).
pub(crate) fn x_axis_title<DB: DrawingBackend>(c: &Canvas<DB>, plot: Rect, title: &str) -> Draw {
    let sf = small_font();
    c.text(
        &c.fit(title, &sf, plot.width()),
        (plot.x0 + plot.x1) / 2.0,
        plot.y1 + 38.0 + tick_font().cap_height(),
        &sf,
        Align::Center,
    )
}

/// The years labelled under a plot `width` px wide over `first..=last`: round years, about
/// one per 110 px.
pub(crate) fn year_ticks(width: f64, first: Year, last: Year) -> Vec<Year> {
    let target = (width / 110.0).clamp(2.0, 8.0) as usize;
    scale::year_ticks(first, last, target)
}

/// Year labels under `plot`, with short tick marks: [`year_ticks`] for its width.
pub(crate) fn x_years<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    x: &Linear,
    first: Year,
    last: Year,
) -> Draw {
    x_years_at(c, plot, x, &year_ticks(plot.width(), first, last))
}

/// Labels under `plot` for the years `years`, with short tick marks.
pub(crate) fn x_years_at<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    x: &Linear,
    years: &[Year],
) -> Draw {
    let tf = tick_font();
    c.line(&[(plot.x0, plot.y1), (plot.x1, plot.y1)], AXIS, 1.0)?;
    for &year in years {
        let px = x.map(f64::from(year)).round();
        c.line(&[(px, plot.y1), (px, plot.y1 + 6.0)], AXIS, 1.0)?;
        c.text(
            &year.to_string(),
            px,
            plot.y1 + 8.0 + tf.cap_height(),
            &tf,
            Align::Center,
        )?;
    }
    Ok(())
}

/// Value labels under `plot` at `ticks`, with short tick marks and the axis line.
pub(crate) fn x_axis<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    x: &Linear,
    ticks: &Ticks,
    label: &dyn Fn(f64, &Ticks) -> String,
) -> Draw {
    let tf = tick_font();
    c.line(&[(plot.x0, plot.y1), (plot.x1, plot.y1)], AXIS, 1.0)?;
    let every = label_every(c, x, ticks, label);
    for v in &ticks.values {
        let px = x.map(*v).round();
        c.line(&[(px, plot.y1), (px, plot.y1 + 6.0)], AXIS, 1.0)?;
        if ((v / ticks.step).round() as i64).rem_euclid(every) != 0 {
            continue;
        }
        c.text(
            &label(*v, ticks),
            px,
            plot.y1 + 8.0 + tf.cap_height(),
            &tf,
            Align::Center,
        )?;
    }
    Ok(())
}

/// The least gap between two value labels under an axis.
const LABEL_GAP: f64 = 16.0;

/// Which ticks' labels fit side by side: every `k`-th step (1, 2, 5, 10, ...: ticks at
/// multiples of `k` steps, so zero keeps its label), the least `k` whose labels stay
/// [`LABEL_GAP`] apart. Huge amounts' labels ran together
/// (`10,000,000,000,000,00012,500,...`, the audit's D4); every tick keeps its mark.
pub(crate) fn label_every<DB: DrawingBackend>(
    c: &Canvas<DB>,
    x: &Linear,
    ticks: &Ticks,
    label: &dyn Fn(f64, &Ticks) -> String,
) -> i64 {
    let tf = tick_font();
    let widest = ticks
        .values
        .iter()
        .map(|v| c.text_width(&label(*v, ticks), &tf))
        .fold(0.0, f64::max);
    let spacing = (x.map(ticks.step) - x.map(0.0)).abs();
    if spacing.is_nan() || spacing <= 0.0 {
        return 1;
    }
    (0..7)
        .flat_map(|p| [1, 2, 5].map(|m| m * 10i64.pow(p)))
        .find(|k| spacing * *k as f64 >= widest + LABEL_GAP)
        // Where even every 5,000,000th would overlap (ticks a hair apart), the fewest labels
        // (a review: it fell back to labelling every tick).
        .unwrap_or(5_000_000)
}

/// A vertical marker across `plot` at `px`, dotted.
pub(crate) fn marker<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    px: f64,
    col: RGBColor,
) -> Draw {
    let px = px.round();
    c.dashed(&[(px, plot.y1), (px, plot.y0)], col, 1.0, 4.0, 4.0)
}

/// A label for a vertical marker line at `px`, placed in a row above the plot.
pub(crate) struct Label {
    pub px: f64,
    pub text: String,
    /// Text to the right of the line (else to its left).
    pub right: bool,
    pub row: usize,
    x0: f64,
    x1: f64,
}

impl Label {
    /// Where the text starts, and its alignment.
    pub fn anchor(&self) -> (f64, Align) {
        if self.right {
            (self.px + 8.0, Align::Left)
        } else {
            (self.px - 8.0, Align::Right)
        }
    }
}

/// Rows for marker labels, so that no label overlaps another and, as far as it can be
/// helped, no marker line (which runs down from its label's row) crosses a label. Text goes
/// right of its line where it fits before `hi`, else left of it. Labels to the left of their
/// line take the top rows, latest first; the others follow, earliest first: that way no line
/// crosses a label of its own kind. Returns the labels in the order of `marks`.
/// None where a clean placement cannot be found in `max_rows` rows (given up at the first
/// label that needs another: helper-236's thousands of break-evens were placed whole, in
/// seconds, before the placement was found too tall).
fn place_labels<DB: DrawingBackend>(
    c: &Canvas<DB>,
    marks: &[(f64, String)],
    lo: f64,
    hi: f64,
    font: &Font,
    max_rows: usize,
) -> Option<Vec<Label>> {
    let mut labels: Vec<Label> = marks
        .iter()
        .map(|(px, text)| {
            let px = px.round();
            // Cut to the room on the wider side of its mark, not the plot's whole width: a
            // label as wide as the plot ran from a mark in its middle across the legend
            // (thirty tiers finished in one year, said in one label).
            let room = (hi - px - 8.0).max(px - 8.0 - lo).max(40.0);
            let text = c.fit(text, font, room);
            let w = c.text_width(&text, font);
            let right = px + 8.0 + w <= hi || px - 8.0 - w < lo;
            let (x0, x1) = if right {
                (px + 8.0, px + 8.0 + w)
            } else {
                (px - 8.0 - w, px - 8.0)
            };
            Label {
                px,
                text,
                right,
                row: 0,
                x0,
                x1,
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| {
        let (la, lb) = (&labels[a], &labels[b]);
        match (la.right, lb.right) {
            (false, true) => std::cmp::Ordering::Less,
            (true, false) => std::cmp::Ordering::Greater,
            (false, false) => lb.px.total_cmp(&la.px).then(a.cmp(&b)),
            (true, true) => la.px.total_cmp(&lb.px).then(a.cmp(&b)),
        }
    });
    let mut done: Vec<usize> = Vec::new();
    for &i in &order {
        let l = &labels[i];
        let free = |row: usize| {
            done.iter().all(|&j| {
                let p = &labels[j];
                let clash = if p.row == row {
                    p.x0 < l.x1 + 14.0 && l.x0 < p.x1 + 14.0
                        || (p.px > l.x0 - 4.0 && p.px < l.x1 + 4.0)
                        || (l.px > p.x0 - 4.0 && l.px < p.x1 + 4.0)
                } else if p.row < row {
                    p.px > l.x0 - 4.0 && p.px < l.x1 + 4.0
                } else {
                    l.px > p.x0 - 4.0 && l.px < p.x1 + 4.0
                };
                !clash
            })
        };
        let first = done.iter().map(|&j| labels[j].row).max().unwrap_or(0);
        let last = done.iter().map(|&j| labels[j].row + 1).max().unwrap_or(0);
        // Rows at or below the last one used, so that the order above holds.
        let row = (first..=last)
            .find(|r| free(*r))
            .filter(|r| *r < max_rows)?;
        labels[i].row = row;
        done.push(i);
    }
    Some(labels)
}

/// Marker labels: the named text beside each line where it can be placed cleanly, else
/// numbered badges on the lines (`numbered`), the texts then going in the legend.
pub(crate) struct Markers {
    pub labels: Vec<Label>,
    pub numbered: bool,
    pub rows: usize,
    /// Numbered badges that found no free place, nor a new row, in the rows allowed, put in
    /// the last row over others: too many marks to tell apart (the chart draws none then).
    pub overflow: bool,
}

pub(crate) const BADGE: f64 = 10.0;

/// Marks with named labels where they fit in at most `max_rows` rows, else numbered badges
/// in at most `max_badge_rows` (a badge is a row's height but far narrower than a name, so
/// a chart may allow it more rows: three close rounds and a fourth beside them are no
/// crowd; helper-238).
pub(crate) fn markers<DB: DrawingBackend>(
    c: &Canvas<DB>,
    marks: &[(f64, String)],
    lo: f64,
    hi: f64,
    font: &Font,
    max_rows: usize,
    max_badge_rows: usize,
) -> Markers {
    // (helper-119: twelve yearly rounds stacked twelve rows of names over the stake,
    // which squeezed its panel until the axis ran upside down.)
    let named = place_labels(c, marks, lo, hi, font, max_rows);
    let mut overflow = false;
    let (labels, numbered) = match named {
        Some(labels) => (labels, false),
        None => {
            let mut labels: Vec<Label> = Vec::new();
            for (i, (px, _)) in marks.iter().enumerate() {
                let px = px.round();
                // Badges stay clear of each other in their row, and off other badges' lines.
                let free = |row: usize| {
                    labels.iter().all(|p| {
                        let d = (p.px - px).abs();
                        !(p.row == row && d < 2.0 * BADGE + 6.0
                            || p.row != row && d > 0.0 && d < BADGE + 3.0)
                    })
                };
                // Only the rows allowed are searched (a search of a row more than there are
                // badges, for each, was cubic: helper-236, a sweep.png of 4,000
                // trajectories took a minute).
                // A badge that clashes in every row (within a badge of another's line) goes
                // in a row of its own below the others, as long as one is allowed: a pair
                // of marks a few pixels apart (the model's value beside a break-even) is
                // no reason to give up (helper-237).
                let limit = max_badge_rows.min(labels.len() + 1).max(1);
                let used = labels.iter().map(|l| l.row + 1).max().unwrap_or(0);
                let row = (0..limit).find(|r| free(*r)).unwrap_or_else(|| {
                    if used < limit {
                        used
                    } else {
                        overflow = true;
                        limit - 1
                    }
                });
                labels.push(Label {
                    px,
                    text: (i + 1).to_string(),
                    right: true,
                    row,
                    x0: px - BADGE,
                    x1: px + BADGE,
                });
            }
            (labels, true)
        }
    };
    let rows = labels.iter().map(|l| l.row + 1).max().unwrap_or(0);
    Markers {
        labels,
        numbered,
        rows,
        overflow,
    }
}

impl Markers {
    /// Draws label `i` (its line drawn by the caller) with its row's middle at `mid`.
    pub fn draw_label<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        i: usize,
        mid: f64,
        col: RGBColor,
        font: &Font,
    ) -> Draw {
        let l = &self.labels[i];
        if self.numbered {
            c.circle((l.px, mid), BADGE, col, true, 1.0)?;
            let bf = Font::new(font.size * 0.9, WHITE).bold();
            c.text(
                &l.text,
                l.px,
                mid + bf.cap_height() / 2.0,
                &bf,
                Align::Center,
            )
        } else {
            c.circle((l.px, mid), 2.5, col, true, 1.0)?;
            let (tx, align) = l.anchor();
            c.text(
                &l.text,
                tx,
                mid + font.cap_height() / 2.0,
                &font.with_color(INK),
                align,
            )
        }
    }
}

/// A panel of values over the years (the value, fan and cloud charts): the plot inside
/// `area` with room for the value labels on its left, a title row above and the years
/// below; its scales; and the clip rectangle a little outside it, so that lines at the
/// edge keep their full width.
pub(crate) struct YearPanel {
    pub plot: Rect,
    pub clip: Rect,
    pub x: Linear,
    pub y: Linear,
    ticks: Ticks,
    area: Rect,
    /// The years labelled under the plot: [`year_ticks`] for its width, unless set.
    pub years: Vec<Year>,
}

impl YearPanel {
    /// The panel's geometry for values in `min..=max` over `first..=last`; draws nothing.
    pub fn new<DB: DrawingBackend>(
        c: &Canvas<DB>,
        area: Rect,
        (min, max): (f64, f64),
        (first, last): (Year, Year),
    ) -> YearPanel {
        let target = ((area.height() / 80.0) as usize).clamp(3, 10);
        let ticks = scale::nice_ticks(min, max, target);
        let label_w = y_label_width(c, &ticks, &scale::tick_label);
        let plot = Rect {
            x0: (area.x0 + label_w + 12.0).round(),
            y0: (area.y0 + 30.0).round(),
            x1: area.x1.round(),
            y1: (area.y1 - 34.0).round(),
        };
        YearPanel {
            plot,
            clip: Rect {
                x0: plot.x0 - 3.0,
                y0: plot.y0 - 3.0,
                x1: plot.x1 + 3.0,
                y1: plot.y1 + 3.0,
            },
            x: Linear::new((f64::from(first), f64::from(last)), (plot.x0, plot.x1)),
            y: Linear::new((ticks.lo, ticks.hi), (plot.y1, plot.y0)),
            ticks,
            area,
            years: year_ticks(plot.width(), first, last),
        }
    }

    /// The values the panel spans, from its lowest tick to its highest.
    pub fn values(&self) -> (f64, f64) {
        (self.ticks.lo, self.ticks.hi)
    }

    /// The value axis with its grid and `title`, and the years below.
    pub fn axes<DB: DrawingBackend>(&self, c: &Canvas<DB>, title: &str) -> Draw {
        let p = self.plot;
        y_axis(c, p, &self.y, &self.ticks, &scale::tick_label)?;
        y_axis_title(c, self.area.x0, p.y0, p.x1, title)?;
        x_years_at(c, p, &self.x, &self.years)
    }

    /// Labels the years of `other` (the panel beside it) where their labels stay at least
    /// two labels' widths apart on this panel's axis, else keeps its own: a close-up,
    /// narrower than the panel beside it, had fewer years labelled (2030, 2040, 2050
    /// against every five years).
    pub fn share_years<DB: DrawingBackend>(&mut self, c: &Canvas<DB>, other: &YearPanel) {
        let tf = tick_font();
        let widest = other
            .years
            .iter()
            .map(|y| c.text_width(&y.to_string(), &tf))
            .fold(0.0, f64::max);
        let apart = other
            .years
            .windows(2)
            .all(|w| self.x.map(f64::from(w[1])) - self.x.map(f64::from(w[0])) >= 2.0 * widest);
        if apart {
            self.years = other.years.clone();
        }
    }

    /// (year, value) points in pixels.
    pub fn map(&self, points: &[(f64, f64)]) -> Vec<(f64, f64)> {
        points
            .iter()
            .map(|(a, b)| (self.x.map(*a), self.y.map(*b)))
            .collect()
    }
}

/// `content` cut into two panels side by side, the left taking `left_share` of the width
/// that the 56 px gap between them leaves (a chart's whole range and its close-up, or one
/// deal's bands and the other's).
pub(crate) fn two_panels(content: Rect, left_share: f64) -> (Rect, Rect) {
    const GAP: f64 = 56.0;
    let split = content.x0 + (content.width() - GAP) * left_share;
    (
        Rect {
            x1: split,
            ..content
        },
        Rect {
            x0: split + GAP,
            ..content
        },
    )
}
