//! Unit tests of the chart module: sizes, the footer, and every chart drawn in memory.
use crate::io::LoadedModel;

use super::*;

/// The year labels under each panel, left then right, from a chart's SVG: the four-digit
/// texts after each panel's title.
pub(crate) fn panel_years(svg: &str, titles: [&str; 2]) -> [Vec<String>; 2] {
    let texts = svg_texts(svg.as_bytes());
    let is_year = |t: &String| t.len() == 4 && t.chars().all(|c| c.is_ascii_digit());
    titles.map(|title| {
        let at = texts.iter().position(|t| t == title).unwrap();
        texts[at + 1..]
            .iter()
            .skip_while(|t| !is_year(t))
            .take_while(|t| is_year(t))
            .cloned()
            .collect()
    })
}

/// value.png's close-up on the profit share's range, the narrower panel, had fewer years
/// labelled than the whole range beside it (as fan.png's had): it has the left panel's
/// years where they fit, and at the smallest size at least half as many.
#[test]
fn regression_the_value_close_up_has_as_many_year_ticks_as_the_left_panel() {
    let file = crate::io::read_model_file(None).unwrap();
    let tripled = crate::overrides::Override::parse("scale.valuation=3").unwrap();
    let loaded = file.load(&[tripled]).unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let titles = [
        "USD bn, whole range",
        "USD bn, close-up on the profit share&apos;s range",
    ];
    for size in [Size::DEFAULT, Size::MIN] {
        let ctx = loaded.chart_context(size, None);
        let svg = Chart::Value.svg(&loaded.model, &comparison, &ctx).unwrap();
        let [left, right] = panel_years(&String::from_utf8(svg).unwrap(), titles);
        assert!(left.len() >= 3, "{size}: {left:?}");
        if size == Size::DEFAULT {
            assert_eq!(left, right, "{size}");
        } else {
            assert!(2 * right.len() >= left.len(), "{size}: {left:?} {right:?}");
        }
    }
}

fn builtin() -> (LoadedModel, Comparison) {
    let loaded = crate::io::load_model(None).unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    (loaded, comparison)
}

#[test]
fn sizes_parse_and_are_checked() {
    assert_eq!("1600x900".parse::<Size>(), Ok(Size::DEFAULT));
    assert_eq!(
        "1280X720".parse::<Size>(),
        Ok(Size {
            width: 1280,
            height: 720
        })
    );
    assert!("1600".parse::<Size>().unwrap_err().contains("WIDTHxHEIGHT"));
    assert!("axb".parse::<Size>().is_err());
    assert!("100x100".parse::<Size>().unwrap_err().contains("960"));
    assert!("99999x900".parse::<Size>().is_err());
    assert_eq!(Size::DEFAULT.to_string(), "1600x900");
}

#[test]
fn footer_names_file_hash_and_version() {
    let f = footer("deal.toml", "name = \"x\"\n");
    assert!(f.starts_with("Model: deal.toml"));
    assert!(f.contains(&short_hash("name = \"x\"\n")));
    assert!(f.contains(env!("CARGO_PKG_VERSION")));
    assert_eq!(short_hash("").len(), 12);
    // SHA-256 of the empty string.
    assert_eq!(short_hash(""), "e3b0c44298fc");
}

#[test]
fn every_chart_renders_as_png_and_svg() {
    let (loaded, comparison) = builtin();
    let ctx = ChartContext::new(&loaded.label, &loaded.text, Size::MIN, None);
    for chart in Chart::ALL {
        let png = chart.png(&loaded.model, &comparison, &ctx).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{}", chart.name());
        let svg = String::from_utf8(chart.svg(&loaded.model, &comparison, &ctx).unwrap()).unwrap();
        assert!(svg.starts_with("<svg"), "{}", chart.name());
        assert!(
            svg.contains(&loaded.model.name),
            "{}: no title",
            chart.name()
        );
    }
}

#[test]
fn an_unknown_featured_trajectory_is_a_chart_error_naming_the_trajectories() {
    let (loaded, comparison) = builtin();
    let ctx = ChartContext::new(
        &loaded.label,
        &loaded.text,
        Size::DEFAULT,
        Some("nope".into()),
    );
    let err = render_files(&loaded.model, &comparison, &ctx, false).unwrap_err();
    // The library knows nothing of usage: the command line refuses the name first (exit 2).
    assert!(matches!(err, Error::Chart { .. }), "{err}");
    assert!(err.to_string().contains("base"));
}

/// Runs `f` on a 400 x 100 canvas with the legend's font, for tests of fitting text.
fn on_small_canvas(f: impl FnOnce(&Canvas<BitMapBackend<'_>>, &canvas::Font)) {
    fonts().unwrap();
    let (w, h) = (400u32, 100u32);
    let mut buf = vec![255u8; (w * h * 3) as usize];
    let area = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
    f(&Canvas::new(area, 1.0, 1, false), &frame::legend_font());
}

/// Measures what `f` costs in text measurement on this thread: (calls, characters).
fn measured(f: impl FnOnce()) -> (u64, u64) {
    canvas::MEASURED.with(|m| m.set((0, 0)));
    f();
    canvas::MEASURED.with(|m| m.get())
}

/// Issue 6, fault 4: fitting text dropped one character at a time and measured the whole
/// string again each time, O(n^2) in the text's length: a 20,000-character trajectory name
/// took 11 s of `chart`. Bisection measures O(log n) candidates.
#[test]
fn fitting_a_long_name_measures_it_a_logarithmic_number_of_times() {
    on_small_canvas(|c, font| {
        let n = 200_000usize;
        let name: String = "abcdefghij ".chars().cycle().take(n).collect();
        let mut fitted = String::new();
        let (calls, chars) = measured(|| fitted = c.fit(&name, font, 300.0));
        assert!(
            fitted.ends_with('\u{2026}') && fitted.chars().count() < 100,
            "{fitted}"
        );
        assert!(c.text_width(&fitted, font) <= 300.0);
        // One character more would not fit: the cut is the longest that does.
        let kept = fitted.chars().count() - 1;
        let longer: String = name.chars().take(kept + 1).collect::<String>();
        let longer = format!("{}\u{2026}", longer.trim_end());
        if longer != fitted {
            assert!(c.text_width(&longer, font) > 300.0, "{longer}");
        }
        // The whole text once, then at most 2 log2(n) candidates, each no longer than it.
        let log2 = (n as f64).log2().ceil() as u64;
        assert!(calls <= 2 + log2, "{calls} measurements for {n} characters");
        assert!(
            chars <= (2 + log2) * n as u64,
            "{chars} characters measured for {n}"
        );
        // Short text is measured once and kept whole.
        let (calls, _) = measured(|| assert_eq!(c.fit("base", font, 300.0), "base"));
        assert_eq!(calls, 1);
        // Nothing fits: empty, not a panic.
        assert_eq!(c.fit(&name, font, 1.0), "");
        assert_eq!(c.fit("", font, 0.0), "");
    });
}

/// helper-262: a note's word wider than its column (a 39-character name without a space,
/// shown whole as a name of 40 or fewer is) was cut with an ellipsis by the wrapping, its
/// end lost. It is broken between characters over the lines it needs, none wider than the
/// column; a hostile word is broken over at most three and the rest cut, in few
/// measurements.
#[test]
fn regression_a_word_wider_than_a_note_is_broken_not_cut() {
    on_small_canvas(|c, font| {
        let name = "W".repeat(39);
        let width = 0.6 * c.text_width(&name, font);
        let lines = frame::wrap(c, &format!("Cloud: {name} buys it."), font, width);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(
            lines.iter().all(|l| c.text_width(l, font) <= width),
            "{lines:?}"
        );
        assert_eq!(
            lines.concat().replace(' ', ""),
            format!("Cloud:{name}buys it.").replace(' ', "")
        );
        assert!(!lines.concat().contains('\u{2026}'), "{lines:?}");
        // A letter's accent and a flag stay with what they mark.
        let marked = "e\u{301}".repeat(30) + &"\u{1F1EB}\u{1F1F7}".repeat(10);
        let width = c.text_width(&marked, font) / 2.5;
        for line in frame::wrap(c, &marked, font, width) {
            let chars: Vec<char> = line.chars().collect();
            assert!(chars[0] != '\u{301}', "{line}");
            let flags = chars
                .iter()
                .filter(|ch| ('\u{1F1E6}'..='\u{1F1FF}').contains(*ch))
                .count();
            assert_eq!(flags % 2, 0, "{line}");
        }
        // Hostile: 200,000 characters without a space. Three lines, the last cut.
        let long = "x".repeat(200_000);
        let mut lines = Vec::new();
        let (calls, _) = measured(|| lines = frame::wrap(c, &long, font, 300.0));
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[2].ends_with('\u{2026}'), "{lines:?}");
        assert!(calls < 200, "{calls} measurements");
        // Nothing fits a line: a line a character, each then cut to nothing (not even an
        // ellipsis fits), in at most three lines: not a loop or a panic.
        assert_eq!(frame::wrap(c, "abc", font, 0.5), ["", "", ""]);
    });
}

/// helper-266: a tier's name of 4 million words was wrapped whole for the waterfall's legend
/// (49 s of `chart`), which then showed none of it. A note is wrapped to at most as many
/// lines as a chart's column holds, the last ending in an ellipsis, in work bounded by
/// those lines, not by the text.
#[test]
fn regression_a_note_of_millions_of_words_is_wrapped_to_what_a_chart_holds() {
    on_small_canvas(|c, font| {
        let text = "t ".repeat(1_000_000);
        let mut lines = Vec::new();
        let (calls, _) = measured(|| lines = frame::wrap(c, &text, font, 300.0));
        assert_eq!(lines.len(), 60);
        assert!(lines[59].ends_with('\u{2026}'), "{}", lines[59]);
        assert!(lines.iter().all(|l| c.text_width(l, font) <= 300.0));
        assert!(calls < 20_000, "{calls} measurements");
        // A note that fits whole is not marked.
        let short = frame::wrap(c, "two words", font, 300.0);
        assert_eq!(short, ["two words"]);
        // Exactly 60 lines' worth: all shown, no ellipsis.
        let word = "w".repeat(20);
        let width = c.text_width(&word, font) + 1.0;
        let sixty = vec![word.as_str(); 60].join(" ");
        let lines = frame::wrap(c, &sixty, font, width);
        assert_eq!(lines.len(), 60);
        assert!(!lines.concat().contains('\u{2026}'), "{lines:?}");
    });
}

/// The same fault through the charts: all four drawn for a trajectory with a 20,000-character
/// name measure a bounded multiple of the name's length (quadratic fitting measured about
/// 2 x 10^8 characters per label).
#[test]
fn charts_of_a_20000_character_trajectory_name_measure_it_a_few_times() {
    let loaded =
        crate::io::load_model(Some(std::path::Path::new("tests/charts/model.toml"))).unwrap();
    let mut comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let n = 20_000usize;
    comparison.trajectories[0].name = "x".repeat(n);
    let ctx = ChartContext::new(&loaded.label, &loaded.text, Size::DEFAULT, None);
    for chart in Chart::ALL {
        let (calls, chars) = measured(|| {
            chart.png(&loaded.model, &comparison, &ctx).unwrap();
        });
        assert!(
            chars <= 200 * n as u64,
            "{}: {chars} characters measured in {calls} calls",
            chart.name()
        );
    }
}

/// Two long trajectory names that differ only at their end were cut to the same beginning
/// in legends and under the NPV bars ("Scenario where the company grows steadily an…"), so
/// only colour told them apart: names are cut in the middle, their end kept.
#[test]
fn regression_long_names_cut_alike_stay_apart() {
    on_small_canvas(|c, font| {
        let a = "Scenario where the company grows steadily and then sells in a modest exit (A)";
        let b = "Scenario where the company grows steadily and then sells in a modest exit (B)";
        let (fa, fb) = (c.fit_name(a, font, 250.0), c.fit_name(b, font, 250.0));
        assert_ne!(fa, fb);
        for (fitted, end) in [(&fa, "exit (A)"), (&fb, "exit (B)")] {
            assert!(
                fitted.starts_with("Scenario") && fitted.ends_with(end),
                "{fitted}"
            );
            assert!(
                fitted.contains('\u{2026}') && c.text_width(fitted, font) <= 250.0,
                "{fitted}"
            );
        }
        // As long as fits: one character more of the beginning would not.
        let head = fa.split('\u{2026}').next().unwrap();
        let longer = format!(
            "{}\u{2026}{}",
            &a[..head.len() + 1],
            fa.split('\u{2026}').nth(1).unwrap()
        );
        assert!(
            c.text_width(&longer, font) > 250.0 || longer.trim() == fa,
            "{longer}"
        );
        // Short names whole; nothing fits: the end cut of `fit`, never a panic.
        assert_eq!(c.fit_name("base", font, 250.0), "base");
        assert_eq!(c.fit_name(a, font, 1.0), "");
        assert_eq!(c.fit_name("", font, 0.0), "");
    });
}

/// The texts of an SVG, in order.
pub(crate) fn svg_texts(svg: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(svg)
        .split("<text")
        .skip(1)
        .map(|t| {
            t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()]
                .trim()
                .to_string()
        })
        .collect()
}

/// The model at `path` (the built-in one for None), its comparison, and the texts of its
/// npv.png at the default size.
fn npv_texts(path: Option<&str>) -> (crate::compare::Comparison, Vec<String>) {
    let loaded = crate::io::load_model(path.map(std::path::Path::new)).unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let ctx = loaded.chart_context(Size::DEFAULT, None);
    let texts = svg_texts(&Chart::Npv.svg(&loaded.model, &comparison, &ctx).unwrap());
    (comparison, texts)
}

/// The audit's D3: waterfall.png's legend of a model with huge amounts shortened the
/// NUMBER in the middle, dropping its leading digits (`fund (investor):…,527,117,068` for
/// 3,184,888,527,117,068). The name is shortened instead, or the amount written short; the
/// amount is never cut.
#[test]
fn regression_a_legend_amount_is_never_cut() {
    let loaded =
        crate::io::load_model(Some(std::path::Path::new("tests/charts/audit/huge.toml"))).unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let base =
        featured_trajectory(&comparison, &loaded.chart_context(Size::DEFAULT, None)).unwrap();
    let investor = loaded.model.investor.party;
    let total: rust_decimal::Decimal = base.waterfall.by_party.iter().map(|s| s[investor]).sum();
    let (full, short) = (scale::amount(total), scale::compact(scale::f(total)));
    assert!(full.len() > 20, "{full}: the amount is huge");
    for size in [Size::DEFAULT, Size::MIN] {
        let ctx = loaded.chart_context(size, None);
        let svg = Chart::Waterfall
            .svg(&loaded.model, &comparison, &ctx)
            .unwrap();
        let texts = svg_texts(&svg);
        let entry = texts
            .iter()
            .find(|t| {
                t.contains("(investor)") || t.starts_with("fund") || t.starts_with('\u{2026}')
            })
            .unwrap_or_else(|| panic!("{size}: no investor entry in {texts:?}"));
        let (_, amount) = entry.rsplit_once(": ").unwrap_or_else(|| panic!("{entry}"));
        assert!(
            amount == full || amount == short,
            "{size}: {entry} does not end in {full} or {short}"
        );
    }
    // Whatever the width, the amount after the colon is whole.
    on_small_canvas(|c, font| {
        let name = "a party with a rather long name (investor)";
        for width in [400.0, 300.0, 200.0, 120.0, 60.0, 10.0] {
            let text = frame::name_and_amount(c, name, [&full, &short], font, width);
            let (_, amount) = text.rsplit_once(": ").unwrap();
            assert!(amount == full || amount == short, "{width}: {text}");
        }
    });
}

/// helper-186: npv.png labelled a pair's bars "6.985e14" and "2.319e14" (written short, for
/// their width) and the margin above them "by 466,662,127,833,608". Where a pair's bars are
/// written short, so is its margin.
#[test]
fn regression_an_npv_margin_is_written_as_its_bars_are() {
    let loaded =
        crate::io::load_model(Some(std::path::Path::new("tests/charts/audit/huge.toml"))).unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    for size in [Size::DEFAULT, Size::MIN] {
        let ctx = loaded.chart_context(size, None);
        let svg = Chart::Npv.svg(&loaded.model, &comparison, &ctx).unwrap();
        let texts = svg_texts(&svg);
        for t in &comparison.trajectories {
            let short = scale::compact(scale::f(t.npv_advantage.abs()));
            let full = scale::amount(t.npv_advantage.abs());
            assert_ne!(short, full, "the margins are huge");
            let bars_short = [t.profit_share.measures.npv, t.equity.measures.npv]
                .iter()
                .any(|npv| texts.contains(&scale::compact(scale::f(*npv))));
            let margin = texts
                .iter()
                .find(|m| m.ends_with(&short) || m.ends_with(&full))
                .unwrap_or_else(|| panic!("{size}: no margin of {} in {texts:?}", t.name));
            assert!(bars_short, "{size}: {texts:?}");
            assert!(
                margin.ends_with(&short),
                "{size}: {margin} beside bars written short"
            );
        }
    }
    // Bars written in full: so is the margin (the built-in model's "by 29.26").
    let (comparison, texts) = npv_texts(None);
    for t in &comparison.trajectories {
        let margin = format!("by {}", scale::amount(t.npv_advantage.abs()));
        assert!(texts.contains(&margin), "{margin}: {texts:?}");
    }
}

/// helper-303: npv.png of nine pairs of seven-digit NPVs wrote two bars' values and left
/// sixteen out without a word; and where "profit share ahead" was too wide, wrote the
/// margin "+5,332,007" under the deal's name, read as that deal's NPV. Every bar's value is
/// written or counted in the legend's note, and every margin is "by" or "ahead by" it.
#[test]
fn regression_npv_values_left_out_are_counted_and_margins_say_by() {
    let (comparison, texts) = npv_texts(Some("tests/charts/audit/nine_wide.toml"));
    let bars = 2 * comparison.trajectories.len();
    let written = comparison
        .trajectories
        .iter()
        .flat_map(|t| [t.profit_share.measures.npv, t.equity.measures.npv])
        .filter(|npv| {
            let f = scale::f(*npv);
            [
                scale::amount(*npv),
                scale::compact(f),
                scale::compact_to(f, 3),
            ]
            .iter()
            .any(|text| texts.contains(text))
        })
        .count();
    let left_out = bars - written;
    assert!(
        left_out > 1,
        "the bars are too narrow for most values: {texts:?}"
    );
    let note = format!(
        "{left_out} bars' values are too wide to write on them; they are in comparison.csv (compare --out)."
    );
    assert!(
        texts.join(" ").replace("&apos;", "'").contains(&note),
        "no note of the {left_out} values left out: {texts:?}"
    );
    for t in &comparison.trajectories {
        let full = scale::amount(t.npv_advantage.abs());
        let short = scale::compact(scale::f(t.npv_advantage.abs()));
        let margin = texts
            .iter()
            .find(|m| m.ends_with(&full) || m.ends_with(&short))
            .unwrap_or_else(|| panic!("no margin of {} in {texts:?}", t.name));
        assert!(
            margin.starts_with("by ") || margin.starts_with("ahead by "),
            "{margin}"
        );
    }
    // The built-in model's bars are all written: no such note.
    let (_, texts) = npv_texts(None);
    assert!(!texts.join(" ").contains("too wide to write"), "{texts:?}");
    // helper-306: whether the pairs are too many to label is decided on the margins as
    // drawn (short where "by" in full is too wide): seven pairs of 1e12 were unlabelled.
    let (comparison, texts) = npv_texts(Some("tests/charts/audit/seven_trillions.toml"));
    assert!(!texts.join(" ").contains("too many to label"), "{texts:?}");
    let margins = texts.iter().filter(|t| t.starts_with("by ")).count();
    assert_eq!(margins, comparison.trajectories.len(), "{texts:?}");
}

/// helper-303: npv.png's cloud note of a small deal said "without it, equity is ahead by
/// 0.027" beside the table's +0.0265 (two significant digits where the bars and the table
/// give the deal's places); and the investor `angel_investor_...` was written with a
/// capital, as a word would be.
#[test]
fn regression_npv_cloud_note_is_at_the_tables_places() {
    let (comparison, texts) = npv_texts(Some("tests/charts/audit/tiny_cloud_identifier.toml"));
    let t = &comparison.trajectories[0];
    let without = crate::report::table::advantage_without_cloud(t);
    // By the model's own table: 0.0265 (its amounts at 4 places).
    let places = crate::report::table::summary_places(&comparison);
    assert_eq!(places, 4);
    let said = format!(
        "equity is ahead by {}",
        crate::report::fixed(without, places)
    );
    let legend = texts.join(" ");
    assert!(legend.contains(&said), "{said}: {texts:?}");
    assert!(legend.contains("0.0265"), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("NPV to angel_investor_with")),
        "{texts:?}"
    );
}

/// helper-186: stake.png of a model of one trajectory said "The stake is the same in every
/// trajectory": said only where there are several.
#[test]
fn regression_one_trajectory_is_not_told_its_stake_is_the_same_in_every_one() {
    // The built-in model: six trajectories, one stake.
    for (file, trajectories) in [(Some("tests/charts/audit/single_cloud.toml"), 1), (None, 6)] {
        let loaded = crate::io::load_model(file.map(std::path::Path::new)).unwrap();
        assert_eq!(loaded.model.trajectories.len(), trajectories);
        let comparison = crate::compare::compare(&loaded.model, None).unwrap();
        let ctx = loaded.chart_context(Size::DEFAULT, None);
        let svg = Chart::Stake.svg(&loaded.model, &comparison, &ctx).unwrap();
        let said = svg_texts(&svg)
            .join(" ")
            .contains("the same in every trajectory");
        assert_eq!(said, trajectories > 1, "{file:?}");
    }
}

/// helper-226: the commitment's total was written to a whole number, so a take-or-pay of
/// 0.4 USD bn read "0 USD bn". It is written as the model writes it.
#[test]
fn regression_a_commitment_below_one_is_not_labelled_zero() {
    for (total, shown) in [
        ("0.4", "0.4"),
        ("123.456789", "123.456789"),
        ("2500", "2,500"),
    ] {
        let mut loaded = crate::io::load_model(None).unwrap();
        let cloud = loaded.model.cloud.as_mut().unwrap();
        let commitment = cloud.equity.as_mut().unwrap().commitment.as_mut().unwrap();
        commitment.total = total.parse().unwrap();
        let comparison = crate::compare::compare(&loaded.model, None).unwrap();
        let ctx = loaded.chart_context(Size::DEFAULT, None);
        let svg = Chart::Cloud.svg(&loaded.model, &comparison, &ctx).unwrap();
        let all = svg_texts(&svg).join(" ");
        let said = format!("under the equity stake, {shown} USD bn from 2026 to 2032");
        assert!(all.contains(&said), "{total}: {all}");
    }
}

/// helper-186: with 26 trajectories the 25th and 26th were drawn in the colours of the 1st
/// and 2nd, and nothing said so. Where two trajectories shown share a colour, the legend
/// says that colours repeat; where none do (the built-in model's six, or the 25th shown
/// without the 1st), it says nothing.
#[test]
fn regression_repeated_colours_are_said_to_repeat() {
    let note = "Colours repeat past 24 trajectories";
    let thirty =
        crate::io::load_model(Some(std::path::Path::new("tests/charts/audit/thirty.toml")))
            .unwrap();
    let builtin = crate::io::load_model(None).unwrap();
    for (loaded, chosen, said) in [
        (&thirty, None, true),
        (&builtin, None, false),
        (&thirty, Some(vec![1usize, 24]), false),
        (&thirty, Some(vec![1usize, 25]), true),
    ] {
        let chosen: Option<Vec<usize>> = chosen;
        let model = &loaded.model;
        let comparison = crate::compare::compare(model, chosen.as_deref()).unwrap();
        let ctx = loaded.chart_context(Size::DEFAULT, None);
        for chart in [Chart::Value, Chart::Npv, Chart::Stake] {
            let svg = chart.svg(model, &comparison, &ctx).unwrap();
            let all = svg_texts(&svg).join(" ");
            assert_eq!(all.contains(note), said, "{chart:?} {chosen:?}: {all}");
        }
    }
    assert!(frame::shared_colors_note([0, 24]).is_some());
    assert!(frame::shared_colors_note(0..24).is_none());
}

/// helper-186: npv.png of a deal small in its unit labelled its bars to two significant
/// digits ("0.00011", "0.000048") beside a margin of "by 0.000057", so that the labels did
/// not add up, where `compare`'s table showed 0.000105. The bars and margins take the
/// table's places.
#[test]
fn regression_a_small_deals_npv_labels_are_the_tables() {
    let (comparison, texts) = npv_texts(Some("tests/charts/audit/tiny.toml"));
    let places = crate::report::table::summary_places(&comparison);
    assert_eq!(places, 6);
    for t in &comparison.trajectories {
        for npv in [t.profit_share.measures.npv, t.equity.measures.npv] {
            let label = crate::report::table::money(npv, places);
            assert!(texts.contains(&label), "{label}: {texts:?}");
        }
        let margin = format!(
            "by {}",
            crate::report::table::money_apart(t.npv_advantage.abs(), places)
        );
        assert!(texts.contains(&margin), "{margin}: {texts:?}");
    }
    assert!(texts.contains(&"0.000105".to_string()), "{texts:?}");
    // A margin its places would print as 0 takes the places that show it, as the table's
    // advantage does (helper-188: "by 0.000" at 3 places, for 0.000009).
    let (comparison, texts) = npv_texts(Some("tests/charts/audit/tiny_close.toml"));
    assert_eq!(crate::report::table::summary_places(&comparison), 3);
    assert!(texts.contains(&"by 0.000009".to_string()), "{texts:?}");
    assert!(!texts.contains(&"by 0.000".to_string()), "{texts:?}");
    // The break-even scale as the table writes it: 1.0001, not 1.00 (helper-189).
    assert!(
        texts.contains(&"break-even 1.0001\u{d7}".to_string()),
        "{texts:?}"
    );
}

/// helper-190: a break-even scale written with the places that tell it from 1 ("break-even
/// 1.0001×") is wider than at 2, and made nine pairs "too many to label", every label gone.
/// Whether the pairs are labelled is decided as before; a label that does not fit is the
/// scale alone.
#[test]
fn regression_a_long_break_even_does_not_unlabel_every_pair() {
    let (comparison, texts) = npv_texts(Some("tests/charts/audit/tiny_close_nine.toml"));
    assert_eq!(comparison.trajectories.len(), 9);
    let all = texts.join(" ");
    assert!(!all.contains("too many to label"), "{all}");
    assert!(texts.contains(&"1.0001\u{d7}".to_string()), "{texts:?}");
    assert!(
        texts.contains(&"break-even 6.46\u{d7}".to_string()),
        "{texts:?}"
    );
}

/// The texts of an SVG with the baseline each is drawn on (its `y` plus the 0.76 em the
/// canvas puts the baseline below it), in order.
fn svg_texts_at(svg: &[u8]) -> Vec<(String, f64)> {
    svg_texts_xy(svg)
        .into_iter()
        .map(|(t, _, y)| (t, y))
        .collect()
}

/// The texts of an SVG with their anchor's x and baseline y, in order.
pub(crate) fn svg_texts_xy(svg: &[u8]) -> Vec<(String, f64, f64)> {
    let svg = String::from_utf8_lossy(svg);
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let attr = |name: &str| -> f64 {
                let v = t.split(&format!(" {name}=\"")).nth(1).unwrap();
                v[..v.find('"').unwrap()].parse().unwrap()
            };
            let text = t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim();
            (
                text.to_string(),
                attr("x"),
                attr("y") + 0.76 * attr("font-size"),
            )
        })
        .collect()
}

/// The labels under a chart's x axis: the texts that are numbers (digits, group commas,
/// a point, a minus sign, a power of ten) on the lowest baseline that has two or more of
/// them, by x.
pub(crate) fn x_tick_labels(svg: &[u8]) -> Vec<(String, f64)> {
    let numeric = |t: &str| {
        t.starts_with(|c: char| c.is_ascii_digit() || c == '\u{2212}')
            && t.chars().all(|c| {
                c.is_ascii_digit()
                    || c == ','
                    || c == '.'
                    || c == '\u{2212}'
                    || c == 'e'
                    || c == '-'
            })
    };
    let texts: Vec<(String, f64, f64)> = svg_texts_xy(svg)
        .into_iter()
        .filter(|(t, ..)| numeric(t))
        .collect();
    let mut rows: Vec<f64> = texts.iter().map(|t| t.2).collect();
    rows.sort_by(|a, b| b.total_cmp(a));
    rows.dedup();
    let row = rows
        .into_iter()
        .find(|y| texts.iter().filter(|t| t.2 == *y).count() >= 2)
        .expect("an axis of numbers");
    let mut labels: Vec<(String, f64)> = texts
        .into_iter()
        .filter(|t| t.2 == row)
        .map(|(t, x, _)| (t, x))
        .collect();
    labels.sort_by(|a, b| a.1.total_cmp(&b.1));
    labels
}

/// Whether centred labels at their x, measured in the tick font, keep apart.
fn labels_apart(labels: &[(String, f64)]) -> Result<(), String> {
    let mut result = Ok(());
    on_small_canvas(|c, _| {
        let tf = frame::tick_font();
        for w in labels.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let room = (c.text_width(&a.0, &tf) + c.text_width(&b.0, &tf)) / 2.0;
            if b.1 - a.1 < room + 4.0 {
                result = Err(format!("{} at {} and {} at {} overlap", a.0, a.1, b.0, b.1));
            }
        }
    });
    result
}

/// The labels of a test chart's model: its name and unit, the investor "the fund".
pub(crate) fn fund_labels(name: &str, unit: &str) -> ModelLabels {
    ModelLabels {
        name: name.into(),
        unit: unit.into(),
        investor: "the fund".into(),
        profit_share: "the profit share",
        terminal_note: None,
        cloud_note: None,
    }
}

/// The percentiles of a sorted sample at the ranks below (n - 1) q, for the charts' marks.
fn nearest_rank_percentiles(sorted: &[f64]) -> Percentiles {
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize];
    Percentiles {
        p5: at(0.05),
        p25: at(0.25),
        p50: at(0.5),
        p75: at(0.75),
        p95: at(0.95),
    }
}

/// The audit's D4: distribution.png's x-axis labels of huge amounts ran together
/// (`10,000,000,000,000,00012,500,...`). Where they would, only every 2nd, 5th, 10th...
/// tick is labelled (zero's among them); every tick keeps its mark.
#[test]
fn regression_axis_labels_of_huge_amounts_do_not_run_together() {
    let labels = fund_labels("Huge amounts", "USD");
    // 2,000 paths spread evenly from -1e15 to 1.7e16, about as the audit's huge.toml
    // simulated: ticks every 2.5e15, each label 22 characters.
    let advantages: Vec<f64> = (0..2000)
        .map(|i| -1e15 + 1.8e16 * (f64::from(i) + 0.5) / 2000.0)
        .collect();
    let chart = DistributionChart {
        around: None,
        labels: &labels,
        advantages: &advantages,
        p_equity_wins: 0.6,
        p_equity_wins_95: (0.58, 0.62),
        percentiles: nearest_rank_percentiles(&advantages),
    };
    for size in [Size::DEFAULT, Size::MIN] {
        let ctx = ChartContext::new("huge.toml", "", size, None);
        // In logical units, as the labels are measured.
        let ticks: Vec<(String, f64)> = x_tick_labels(&chart.svg(&ctx).unwrap())
            .into_iter()
            .map(|(t, x)| (t, x / size.design_scale()))
            .collect();
        assert!(ticks.len() >= 2, "{size}: {ticks:?}");
        // Written with a power of ten, no digit of a double's noise (helper-106).
        assert!(
            ticks.iter().all(|(t, _)| t.contains('e') || t == "0"),
            "{size}: {ticks:?}"
        );
        labels_apart(&ticks).unwrap_or_else(|e| panic!("{size}: {e}"));
    }
}

/// The audit's D5: with 30 trajectories the legend's last entry was drawn over the
/// "(+N more)" note, N counted every item left (notes, gaps, the Deal key: +10, +6, +8
/// where 4 trajectories were left), and value.png's Deal key (solid = equity, dashed =
/// profit share) was pushed off. The list of trajectories is cut short instead, N is the
/// number of trajectories left out, the note has its own row, and the key stays.
#[test]
fn regression_a_long_legend_cuts_its_list_and_counts_what_is_left() {
    let loaded =
        crate::io::load_model(Some(std::path::Path::new("tests/charts/audit/thirty.toml")))
            .unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let names: Vec<&str> = loaded
        .model
        .trajectories
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names.len(), 30);
    for size in [Size::DEFAULT, Size::MIN] {
        let ctx = loaded.chart_context(size, None);
        for chart in [Chart::Value, Chart::Stake] {
            let svg = chart.svg(&loaded.model, &comparison, &ctx).unwrap();
            let texts = svg_texts_at(&svg);
            let at = texts
                .iter()
                .position(|(t, _)| t == "Trajectory")
                .unwrap_or_else(|| panic!("{size} {}: no legend", chart.name()));
            let more = texts
                .iter()
                .position(|(t, _)| t.starts_with("(+") && t.ends_with(" more)"))
                .unwrap_or_else(|| panic!("{size} {}: no (+N more) in {texts:?}", chart.name()));
            let n: usize = texts[more].0[2..texts[more].0.len() - 6].parse().unwrap();
            let shown = &texts[at + 1..more];
            assert!(
                shown.iter().all(|(t, _)| names.contains(&t.as_str())),
                "{size} {}: {shown:?}",
                chart.name()
            );
            assert_eq!(shown.len() + n, 30, "{size} {}", chart.name());
            // The note has a row of its own: below the last entry shown, not on it.
            let last = shown.last().unwrap().1;
            assert!(
                texts[more].1 - last >= 15.0,
                "{size} {}: the note at {} is drawn over the entry at {last}",
                chart.name(),
                texts[more].1
            );
            if chart == Chart::Value {
                for key in ["Deal", "equity stake", "profit share"] {
                    assert!(
                        texts[more..].iter().any(|(t, _)| t == key),
                        "{size}: value.png has no `{key}` after the list"
                    );
                }
            }
        }
    }
}

fn tornado_row(input: &str, low: f64, high: f64, al: f64, ah: f64) -> TornadoRow {
    TornadoRow {
        input: input.into(),
        low,
        high,
        advantage_low: al,
        advantage_high: ah,
        swing: (ah - al).abs(),
    }
}

/// The audit's D10: a tornado whose advantages are all zero had five x ticks all reading
/// "0.000000" (an axis a billionth wide). It gets a usable range about zero, as the other
/// charts' all-zero axes do, its ticks distinct.
#[test]
fn regression_an_all_zero_tornado_has_distinct_ticks() {
    let labels = fund_labels("All zero", "USD m");
    // Advantages a trillionth from zero: rows exactly at the model's advantage at both
    // values are no longer drawn at all (the audit's L8).
    let rows = [
        tornado_row("equity.stake", 0.15, 0.25, -1e-12, 1e-12),
        tornado_row("discount_rate", 0.075, 0.125, 1e-12, -1e-12),
    ];
    let chart = TornadoChart {
        labels: &labels,
        trajectory: "zero",
        base_advantage: 0.0,
        rows: &rows,
    };
    let ctx = ChartContext::new("zero.toml", "", Size::DEFAULT, None);
    let ticks = x_tick_labels(&chart.svg(&ctx).unwrap());
    let mut distinct: Vec<&str> = ticks.iter().map(|(t, _)| t.as_str()).collect();
    distinct.dedup();
    assert!(
        distinct.len() == ticks.len() && ticks.len() >= 3,
        "{ticks:?}"
    );
    assert!(
        ticks.iter().any(|(t, _)| t == "0" || t == "0.0"),
        "{ticks:?}"
    );
}

/// The audit's D13: a tornado whose axis leaves zero out (15 to 35) did not say so, and
/// its left end read as zero. The legend says where zero lies, as distribution.png does.
#[test]
fn regression_a_tornado_without_zero_says_where_zero_lies() {
    let labels = fund_labels("Single year", "USD m");
    for (rows, base, side) in [
        (
            vec![tornado_row("equity.stake", 0.15, 0.25, 15.0, 35.0)],
            25.0,
            "left",
        ),
        (
            vec![tornado_row("equity.stake", 0.15, 0.25, -35.0, -15.0)],
            -25.0,
            "right",
        ),
    ] {
        let chart = TornadoChart {
            labels: &labels,
            trajectory: "base",
            base_advantage: base,
            rows: &rows,
        };
        let ctx = ChartContext::new("single.toml", "", Size::DEFAULT, None);
        let all = svg_texts(&chart.svg(&ctx).unwrap()).join(" ");
        assert!(
            all.contains(&format!("Zero lies to the {side} of the axis")),
            "{all}"
        );
    }
    // With zero on the axis, no such note.
    let rows = [tornado_row("equity.stake", 0.15, 0.25, -5.0, 35.0)];
    let chart = TornadoChart {
        labels: &labels,
        trajectory: "base",
        base_advantage: 25.0,
        rows: &rows,
    };
    let ctx = ChartContext::new("single.toml", "", Size::DEFAULT, None);
    let all = svg_texts(&chart.svg(&ctx).unwrap()).join(" ");
    assert!(!all.contains("Zero lies"), "{all}");
}

/// The circles of an SVG: (centre x, centre y, fill, stroke).
fn svg_circles(svg: &[u8]) -> Vec<(f64, f64, String, String)> {
    let svg = String::from_utf8_lossy(svg);
    svg.split("<circle")
        .skip(1)
        .map(|t| {
            let attr = |name: &str| {
                let v = t.split(&format!(" {name}=\"")).nth(1).unwrap();
                v[..v.find('"').unwrap()].to_string()
            };
            (
                attr("cx").parse().unwrap(),
                attr("cy").parse().unwrap(),
                attr("fill"),
                attr("stroke"),
            )
        })
        .collect()
}

/// The audit's D12: value.png of a single-year model drew every value as the same dot,
/// so a trajectory's equity value (base: 30) could not be told from its profit share's
/// (5), and the Deal key showed solid and dashed lines that were nowhere. Equity is a
/// filled disc, the profit share a ring, in the trajectory's colour, and the key shows
/// the two markers.
#[test]
fn regression_a_single_year_value_chart_marks_each_deal_apart() {
    let loaded =
        crate::io::load_model(Some(std::path::Path::new("tests/charts/audit/single.toml")))
            .unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let ctx = loaded.chart_context(Size::DEFAULT, None);
    let svg = Chart::Value.svg(&loaded.model, &comparison, &ctx).unwrap();
    // In the plot (left of the legend at 1294): per trajectory, one disc and one ring.
    let plot: Vec<_> = svg_circles(&svg)
        .into_iter()
        .filter(|c| c.0 < 1200.0)
        .collect();
    for colour in ["#0072B2", "#E69F00"] {
        let discs: Vec<_> = plot.iter().filter(|c| c.2 == colour).collect();
        let rings: Vec<_> = plot
            .iter()
            .filter(|c| c.3 == colour && c.2 == "none")
            .collect();
        assert_eq!((discs.len(), rings.len()), (1, 1), "{colour}: {plot:?}");
        assert!(discs[0].1 != rings[0].1, "{colour}: the deals differ");
    }
    // base: equity 30 above the profit share's 5 (y grows downwards).
    let at = |fill: &str| plot.iter().find(|c| c.2 == fill).unwrap().1;
    let ring = |stroke: &str| {
        plot.iter()
            .find(|c| c.3 == stroke && c.2 == "none")
            .unwrap()
            .1
    };
    assert!(at("#0072B2") < ring("#0072B2"));
    assert_key_marks_equity_with_a_disc_and_the_profit_share_with_a_ring(&svg);
}

/// The key of a single-year chart: a disc beside "equity stake", a ring beside "profit
/// share" (the legend right of x = 1294).
fn assert_key_marks_equity_with_a_disc_and_the_profit_share_with_a_ring(svg: &[u8]) {
    let texts = svg_texts_at(svg);
    let key: Vec<_> = svg_circles(svg)
        .into_iter()
        .filter(|c| c.0 > 1294.0 && c.2 != "#FFFFFF")
        .collect();
    for (name, filled) in [("equity stake", true), ("profit share", false)] {
        let y = texts.iter().find(|(t, _)| t == name).unwrap().1;
        assert!(
            key.iter()
                .any(|c| (c.1 - y).abs() < 12.0 && (c.2 != "none") == filled),
            "{name}: {key:?}"
        );
    }
}

/// The audit's L7: fixed notes described things not drawn: stake.png's "Dotted lines:
/// funding rounds" for a model without rounds, value.png's and cloud.png's "(dotted line)"
/// where the stake is held from the first year (no line is drawn there), and the
/// waterfall's "until the stake begins" where no year comes before it. Each says only what
/// the chart draws; the built-in model, with rounds and a stake from 2025, keeps them all.
#[test]
fn regression_notes_say_only_what_is_drawn() {
    let text_of = |loaded: &LoadedModel, chart: Chart| -> String {
        let comparison = crate::compare::compare(&loaded.model, None).unwrap();
        let ctx = loaded.chart_context(Size::DEFAULT, None);
        svg_texts(&chart.svg(&loaded.model, &comparison, &ctx).unwrap()).join(" ")
    };
    let single =
        crate::io::load_model(Some(std::path::Path::new("tests/charts/audit/single.toml")))
            .unwrap();
    assert!(single.model.equity.rounds.is_empty());
    let file = crate::io::read_model_file(None).unwrap();
    let from_first = file
        .load(&[crate::overrides::Override::parse("equity.from_year=2019").unwrap()])
        .unwrap();
    assert_eq!(from_first.model.start_year, 2019);
    let builtin = crate::io::load_model(None).unwrap();
    let rounds = "Dotted lines: funding rounds";
    let line = "(dotted line)";
    let before = "until the stake begins";
    for (loaded, chart, phrase) in [
        (&single, Chart::Stake, rounds),
        (&single, Chart::Value, line),
        (&single, Chart::Waterfall, before),
        (&from_first, Chart::Value, line),
        (&from_first, Chart::Cloud, line),
        (&from_first, Chart::Waterfall, before),
    ] {
        let text = text_of(loaded, chart);
        assert!(
            !text.contains(phrase),
            "{} of {}: {phrase}",
            chart.name(),
            loaded.model.name
        );
        assert!(
            text.contains("held from") || chart != Chart::Value,
            "{text}"
        );
    }
    for (chart, phrase) in [
        (Chart::Stake, rounds),
        (Chart::Value, line),
        (Chart::Cloud, line),
        (Chart::Waterfall, before),
    ] {
        assert!(
            text_of(&builtin, chart).contains(phrase),
            "{}: {phrase}",
            chart.name()
        );
    }
}

/// The audit's D6: npv.png of 30 trajectories cut every verdict to "p…" or "e…", every
/// margin to "+…" and every break-even to "br…", showed `base` as "…e", and no bar carried
/// its value. Where the pairs are too narrow for their labels, the bars go unlabelled, the
/// legend says so and where the numbers are, and every name is whole (alternating between
/// two rows where it needs the room); nothing is cut to an ellipsis.
#[test]
fn regression_thirty_npv_pairs_are_not_labelled_with_ellipses() {
    let loaded =
        crate::io::load_model(Some(std::path::Path::new("tests/charts/audit/thirty.toml")))
            .unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    for size in [Size::DEFAULT, Size::MIN] {
        let ctx = loaded.chart_context(size, None);
        let svg = Chart::Npv.svg(&loaded.model, &comparison, &ctx).unwrap();
        let texts = svg_texts(&svg);
        let cut: Vec<&String> = texts.iter().filter(|t| t.contains('\u{2026}')).collect();
        assert!(cut.is_empty(), "{size}: {cut:?}");
        for t in &loaded.model.trajectories {
            assert!(
                texts.contains(&t.name),
                "{size}: {} not shown whole",
                t.name
            );
        }
        let all = texts.join(" ");
        assert!(
            all.contains("30 pairs are too many to label"),
            "{size}: {all}"
        );
        assert!(
            !texts.iter().any(|t| t.starts_with("break-even")),
            "{size}: {all}"
        );
        assert!(
            !all.contains("above each pair, the deal worth more"),
            "{size}: {all}"
        );
    }
}

/// The audit's L8: a tornado drew rows whose input leaves the advantage as it is at both
/// values (the built-in model's `equity.rounds[0].participation`, 0..0; `discount_rate` in a
/// single-year model), empty rows with their values at the model's line. They are left
/// out of the chart (tornado.csv keeps them), and the legend says how many and which; where
/// no row is left, the chart says no input changes the advantage and keys nothing.
#[test]
fn regression_a_tornado_leaves_out_inputs_that_change_nothing() {
    let labels = fund_labels("Single year", "USD m");
    let rows = [
        tornado_row("equity.stake", 0.15, 0.25, 15.0, 35.0),
        tornado_row("discount_rate", 0.075, 0.125, 25.0, 25.0),
        tornado_row("equity.rounds[0].participation", 0.0, 0.0, 25.0, 25.0),
        // Swing 0, but both values move the advantage: drawn.
        tornado_row("shift.margin", -0.05, 0.05, 27.0, 27.0),
    ];
    let chart = TornadoChart {
        labels: &labels,
        trajectory: "base",
        base_advantage: 25.0,
        rows: &rows,
    };
    let ctx = ChartContext::new("single.toml", "", Size::DEFAULT, None);
    let texts = svg_texts(&chart.svg(&ctx).unwrap());
    assert!(texts.iter().any(|t| t == "equity.stake"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "shift.margin"), "{texts:?}");
    for left_out in ["discount_rate", "equity.rounds[0].participation"] {
        assert!(
            !texts.iter().any(|t| t == left_out),
            "{left_out}: {texts:?}"
        );
    }
    let all = texts.join(" ");
    assert!(
        all.contains("1 input not drawn, as it leaves the advantage as it is at both its values (tornado.csv has it): discount_rate."),
        "{all}"
    );
    // helper-257: an input whose low and high are one value was not varied at all (a
    // participation of 0 by +-25%), which is said, not that it leaves the advantage be.
    assert!(
        all.contains("1 input not varied, its low and high both 0 (as +-25% of 0 is; give it a range with --vary): equity.rounds[0].participation."),
        "{all}"
    );
    // helper-258: ranges given as one value each are the user's, not 25% of 0; several
    // are "their".
    let given = [
        rows[0].clone(),
        tornado_row("equity.stake", 0.27, 0.27, 25.0, 25.0),
        tornado_row("discount_rate", 0.09, 0.09, 25.0, 25.0),
    ];
    let all = svg_texts(
        &TornadoChart {
            rows: &given,
            ..chart
        }
        .svg(&ctx)
        .unwrap(),
    )
    .join(" ");
    assert!(
        all.contains("2 inputs not varied, their low and high the same (give them a range with --vary): equity.stake, discount_rate."),
        "{all}"
    );
    // Every input changes nothing: no bars, no key, a sentence saying so.
    let still = [rows[1].clone(), rows[2].clone()];
    let chart = TornadoChart {
        rows: &still,
        ..chart
    };
    let texts = svg_texts(&chart.svg(&ctx).unwrap());
    assert!(
        texts
            .iter()
            .any(|t| t == "No input changes the advantage at its low or high value."),
        "{texts:?}"
    );
    for key in [
        "low value",
        "high value",
        "the model&apos;s advantage",
        "zero: a tie",
    ] {
        assert!(!texts.iter().any(|t| t == key), "`{key}` in {texts:?}");
    }
}

/// The audit's single-year cloud.png (left over from session 19): both deals' income were
/// the same dot in the same colour, the key showed solid and dashed lines that were
/// nowhere, and a commitment window holding the only year was not shaded (half a year
/// either side of a year axis with no width mapped to nothing). Equity is a disc, the
/// profit share a ring, the key shows the two markers, and the window is the whole plot.
#[test]
fn regression_a_single_year_cloud_chart_marks_each_deal_and_shades_its_window() {
    let loaded = crate::io::load_model(Some(std::path::Path::new(
        "tests/charts/audit/single_cloud.toml",
    )))
    .unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let ctx = loaded.chart_context(Size::DEFAULT, None);
    let svg = Chart::Cloud.svg(&loaded.model, &comparison, &ctx).unwrap();
    let plot: Vec<_> = svg_circles(&svg)
        .into_iter()
        .filter(|c| c.0 < 1200.0 && c.2 != "#FFFFFF")
        .collect();
    let discs: Vec<_> = plot.iter().filter(|c| c.2 != "none").collect();
    let rings: Vec<_> = plot.iter().filter(|c| c.2 == "none").collect();
    assert_eq!((discs.len(), rings.len()), (1, 1), "{plot:?}");
    // Worked by hand: spend 0.4 x revenue 40 = 16 a year; equity buys 0.5 x 16 = 8 and
    // the shortfall of its 30 commitment, 22, so 30 at margin 0.35 = 10.5; the profit
    // share 0.9 x 16 = 14.4, at 0.35 = 5.04. Equity's disc is above the ring.
    assert!(discs[0].1 < rings[0].1, "{plot:?}");
    assert_key_marks_equity_with_a_disc_and_the_profit_share_with_a_ring(&svg);
    // The window's shade spans the plot: a rect of its tint wider than half the chart.
    let shade = frame::tint(frame::PALETTE[1], 0.85);
    let fill = format!("#{:02X}{:02X}{:02X}", shade.0, shade.1, shade.2);
    let text = String::from_utf8(svg).unwrap();
    let widths: Vec<f64> = text
        .split("<rect")
        .skip(1)
        .filter(|r| r.contains(&format!("fill=\"{fill}\"")))
        .filter_map(|r| {
            let w = r.split("width=\"").nth(1)?;
            w[..w.find('"')?].parse().ok()
        })
        .collect();
    assert!(widths.iter().any(|w| *w > 800.0), "{fill}: {widths:?}");
}

/// A legend too long for its area searched down from its longest list's length for the most
/// entries that fit, building every row's list again at each try: time in n squared (a tier
/// of 100,000 parties made `chart` take over a minute; helper-97). The tries are now by
/// halves, each stopping at the first row that does not fit. 200,000 entries took over 20 s
/// here; now a fraction of one (the timeout is generous for a busy machine).
#[test]
fn regression_a_long_legend_is_cut_in_less_than_quadratic_time() {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        on_small_canvas(|c, _| {
            let n = 200_000;
            let mut items = vec![frame::Item::Heading("parties".into())];
            items.extend(
                (0..n).map(|i| {
                    frame::Item::Swatch(plotters::style::RGBColor(0, 0, 0), format!("p{i}"))
                }),
            );
            items.push(frame::Item::Gap);
            items.push(frame::Item::Note("a note under the list".into()));
            let area = canvas::Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 400.0,
                y1: 300.0,
            };
            let _ = done.send(frame::legend(c, area, &items).is_ok());
        })
    });
    let drawn = finished
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("a legend of 200,000 entries drawn within 10 s");
    assert!(drawn);
}

/// helper-103: with 15 trajectories the palette's eight colours came round again, two
/// pairs alike. The first 24 series have 24 colours (the palette, darkened, lightened).
#[test]
fn regression_24_series_have_24_colours() {
    let colours: std::collections::HashSet<(u8, u8, u8)> = (0..24)
        .map(|i| {
            let c = frame::color(i);
            (c.0, c.1, c.2)
        })
        .collect();
    assert_eq!(colours.len(), 24);
    // None is a grey the charts use for marks and text (helper-104: the 23rd was FAINT).
    for grey in [frame::FAINT, frame::MUTED, frame::INK, frame::AXIS] {
        assert!(!colours.contains(&(grey.0, grey.1, grey.2)), "{grey:?}");
    }
    // The first eight are the palette itself.
    assert!((0..8).all(|i| frame::color(i) == frame::PALETTE[i]));
}

/// helper-103: fifteen names differing only in their middle were all shortened to
/// "Scenario with a lon…l suffix too" under the NPV bars and in the legends. Names shown
/// together are shortened around where they differ, and numbered where even that is alike.
#[test]
fn regression_names_shown_together_never_shorten_alike() {
    on_small_canvas(|c, font| {
        let names: Vec<String> = (1..=15)
            .map(|k| format!("Scenario with a long shared start, variant {k:02}, and a long shared suffix too"))
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let fitted = c.fit_names(&names, font, 200.0);
        let distinct: std::collections::HashSet<&String> = fitted.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{fitted:?}");
        for (f, k) in fitted.iter().zip(1..) {
            assert!(f.contains(&format!("{k:02}")), "{f}");
            assert!(c.text_width(f, font) <= 200.0, "{f}");
        }
        // Names that differ only past what any label can show: numbered.
        let tails = [
            "Same start, same middle, ends in A",
            "Same start, same middle, ends in B",
        ];
        let fitted = c.fit_names(&tails, font, 60.0);
        assert_ne!(fitted[0], fitted[1], "{fitted:?}");
        // A name given twice among alike names keeps one number.
        let twice = [tails[0], tails[0], tails[1]];
        let fitted = c.fit_names(&twice, font, 60.0);
        assert_eq!(fitted[0], fitted[1], "{fitted:?}");
        assert_ne!(fitted[0], fitted[2], "{fitted:?}");
        // helper-220: numbered by their places among all the names shown (the third
        // name "3."), not from 1 within the names alike, which read as places.
        let among = ["base", tails[0], tails[1], "bear"];
        let fitted = c.fit_names(&among, font, 60.0);
        assert!(fitted[1].starts_with("2. "), "{fitted:?}");
        assert!(fitted[2].starts_with("3. "), "{fitted:?}");
        assert_eq!((fitted[0].as_str(), fitted[3].as_str()), ("base", "bear"));
        // Names that fit, and a name given twice, are left as they are.
        assert_eq!(
            c.fit_names(&["base", "bull", "base"], font, 200.0),
            ["base", "bull", "base"]
        );
    });
}

/// Regression: a legend's `name: amount` rows were each shortened alone, so parties named
/// alike but for their middle read alike ("Investor fund…: 12.3" twice). They are now
/// shortened together, around where they differ, and the amount stays whole.
#[test]
fn regression_legend_amounts_of_names_alike_read_apart() {
    on_small_canvas(|c, font| {
        let rows = [
            ("Investor fund number one of 2019 vintage", ["12.3", "12.3"]),
            ("Investor fund number two of 2019 vintage", ["4.56", "4.56"]),
            ("nonprofit", ["0.78", "0.78"]),
        ];
        for width in [320.0, 240.0, 200.0] {
            let texts = frame::names_and_amounts(c, &rows, font, width);
            // Each alone, the two funds' names are cut to the same label.
            if width < 300.0 {
                let alone: Vec<String> = rows
                    .iter()
                    .map(|(n, a)| frame::name_and_amount(c, n, *a, font, width))
                    .collect();
                assert_eq!(
                    alone[0].rsplit_once(": ").unwrap().0,
                    alone[1].rsplit_once(": ").unwrap().0
                );
            }
            assert_eq!(texts.len(), 3);
            assert_ne!(
                texts[0].rsplit_once(": ").unwrap().0,
                texts[1].rsplit_once(": ").unwrap().0,
                "{width}: {texts:?}"
            );
            for ((_, [full, _]), text) in rows.iter().zip(&texts) {
                assert!(text.ends_with(&format!(": {full}")), "{width}: {text}");
                assert!(c.text_width(text, font) <= width, "{width}: {text}");
            }
            assert_eq!(texts[2], "nonprofit: 0.78");
        }
    });
}

/// helper-119: twelve yearly rounds stacked their names in twelve rows over the stake
/// panel, which left it no height: from ten rows its axis ran upside down (0% at the top)
/// and over the value panel's. Past three rows of names the rounds are numbered badges,
/// named in the legend, and the stake panel keeps its height.
#[test]
fn regression_many_rounds_leave_the_stake_panel_its_height() {
    let rounds: Vec<String> = (2026..2038)
        .map(|y| format!("{{ year = {y}, raise = 10.0 }}"))
        .collect();
    let set = format!("equity.rounds=[{}]", rounds.join(", "));
    let file = crate::io::read_model_file(None).unwrap();
    let loaded = file
        .load(&[crate::overrides::Override::parse(&set).unwrap()])
        .unwrap();
    assert_eq!(loaded.model.equity.rounds.len(), 12);
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let ctx = loaded.chart_context(Size::DEFAULT, None);
    let svg = Chart::Stake.svg(&loaded.model, &comparison, &ctx).unwrap();
    let texts = svg_texts_xy(&svg);
    let y_of = |label: &str| {
        texts
            .iter()
            .find(|(t, _, _)| t == label)
            .map(|(_, _, y)| *y)
            .unwrap_or_else(|| panic!("no `{label}`: {texts:?}"))
    };
    // The stake's axis: 0% at the bottom, and the panel at least 150 px high.
    let top = texts
        .iter()
        .filter(|(t, _, _)| t.ends_with('%') && !t.contains('.'))
        .map(|(_, _, y)| *y)
        .fold(f64::INFINITY, f64::min);
    assert!(y_of("0%") - top > 150.0, "{texts:?}");
    // Numbered badges, named in the legend.
    assert!(texts.iter().any(|(t, _, _)| t == "12"), "{texts:?}");
    assert!(
        texts.iter().any(|(t, _, _)| t.starts_with("1. 2026 round")),
        "{texts:?}"
    );
}

/// helper-119: eight capped tiers of long names made twelve numbered marks over the
/// waterfall, and the legend had room to name seven: 8 to 12 could not be read. A year's
/// events are one mark, and the list names tiers by index (the tiers' list gives their
/// names): every number drawn is named.
#[test]
fn regression_every_numbered_mark_of_the_waterfall_is_named() {
    let loaded = crate::io::load_model(Some(std::path::Path::new(
        "tests/charts/audit/eight_tiers.toml",
    )))
    .unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let ctx = loaded.chart_context(Size::DEFAULT, None);
    let svg = Chart::Waterfall
        .svg(&loaded.model, &comparison, &ctx)
        .unwrap();
    let texts = svg_texts(&svg);
    // The badges are 1, 2, ... (the axis' ticks are 0, 10, 20, ...).
    let drawn = |n: usize| texts.iter().any(|t| *t == n.to_string());
    let badges = (1..).take_while(|n| drawn(*n)).count();
    assert!(badges >= 6, "numbered marks: {texts:?}");
    for n in 1..=badges {
        assert!(
            texts.iter().any(|t| t.starts_with(&format!("{n}. 20"))),
            "mark {n} is not named: {texts:?}"
        );
    }
}

/// helper-119: npv.png of ten trajectories left the pairs unlabelled ("too many to
/// label") where npv.svg of the same run labelled them: the SVG's font was rounded to an
/// even size and measured at the chart's pixels, the PNG's to a whole one and measured at
/// twice them, so that widths, and the layout decided on them, differed. A PNG canvas and
/// an SVG canvas of one chart measure every text alike.
#[test]
fn regression_png_and_svg_measure_text_alike() {
    fonts().unwrap();
    let texts = [
        "profit share",
        "equity ahead by 299.8",
        "break-even 0.20x",
        "t9",
        "Microsoft and OpenAI: capped profit share vs equity stake",
    ];
    for design in [0.6, 1.0, 1.37, 2.4] {
        let (w, h) = (200u32, 100u32);
        let mut buf = vec![255u8; (4 * w * h * 3) as usize];
        let bitmap = BitMapBackend::with_buffer(&mut buf, (2 * w, 2 * h)).into_drawing_area();
        let png = Canvas::new(bitmap, design * 2.0, 2, false);
        let mut out = String::new();
        let svg_area = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let svg = Canvas::new(svg_area, design, 1, true);
        for size in [11.0, 12.5, 13.0, 15.0, 22.0] {
            for bold in [false, true] {
                let mut font = canvas::Font::new(size, frame::INK);
                if bold {
                    font = font.bold();
                }
                for t in texts {
                    assert_eq!(
                        png.text_width(t, &font),
                        svg.text_width(t, &font),
                        "{t} at {size} (bold {bold}), scale {design}"
                    );
                }
            }
        }
    }
}

/// helper-208: `Canvas::text` laid out every character of what it was given, so a label
/// left unfitted with a unit of a million characters took 23 s to draw. No more is drawn
/// than is measured: an SVG text holds the first `MEASURED_CHARS` characters.
#[test]
fn regression_no_more_of_a_text_is_drawn_than_is_measured() {
    fonts().unwrap();
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (200, 100)).into_drawing_area();
        let svg = Canvas::new(area, 1.0, 1, true);
        let font = canvas::Font::new(12.0, frame::INK);
        let long = "ab".repeat(50_000);
        svg.text(&long, 0.0, 20.0, &font, canvas::Align::Left)
            .unwrap();
    }
    let drawn = out.matches(['a', 'b']).count();
    assert!((4096..4200).contains(&drawn), "{drawn} characters drawn");
}

/// Regression: each character the font lacks was looked up in the list of those found
/// before, so a name of 200,000 CJK characters (600 KB) took 10 s to chart. 20,000
/// distinct ones, each given ten times: listed once each, in the order first seen.
#[test]
fn regression_many_characters_the_font_lacks_are_found_in_linear_time() {
    let distinct: Vec<char> = (0..20_000u32)
        .map(|i| char::from_u32(0x4E00 + i).unwrap())
        .collect();
    let text: String = (0..10).flat_map(|_| distinct.iter()).collect();
    assert_eq!(missing_glyphs(&text), distinct);
}

/// Regression: a text was measured whole however long (a 10 MB name: 2.3 s and 528 MB to
/// chart, 1.2 GB for 30 MB), and fitting it kept every character's offset. A text is
/// measured by its first `MEASURED_CHARS` characters; what fits is unchanged.
#[test]
fn regression_a_very_long_name_is_fitted_as_its_beginning_is() {
    on_small_canvas(|c, font| {
        let long = "Scenario ".repeat(1_000_000) + "(A)";
        let short = "Scenario ".repeat(600) + "(A)";
        assert_eq!(c.fit(&long, font, 300.0), c.fit(&short, font, 300.0));
        let name = c.fit_name(&long, font, 300.0);
        assert_eq!(name, c.fit_name(&short, font, 300.0));
        assert!(
            name.ends_with("\u{2026}Scenario (A)") && name.len() > 20,
            "{name}"
        );
        assert!(c.text_width(&name, font) <= 300.0);
    });
}

/// helper-220: a name with combining marks (`e\u{301}quipe`) drew each mark beside its
/// letter, without a word; the run now says so, and how to write such a letter.
#[test]
fn regression_combining_marks_are_said() {
    let file = crate::io::read_model_file(None).unwrap();
    let renamed = file
        .load(&[crate::overrides::Override::parse("name=\"e\u{301}quipe\"").unwrap()])
        .unwrap();
    let all: Vec<usize> = (0..renamed.model.trajectories.len()).collect();
    let drawn = Drawn {
        parties_and_tiers: true,
        trajectories: &all,
        svg: false,
    };
    let warning = glyph_warning(&renamed.model, drawn, "models/x.toml").unwrap();
    assert!(
        warning.starts_with("charts: the model's name holds combining marks"),
        "{warning}"
    );
    // The same letter written as one character: nothing to say.
    let precomposed = file
        .load(&[crate::overrides::Override::parse("name=\"\u{e9}quipe\"").unwrap()])
        .unwrap();
    assert_eq!(
        glyph_warning(&precomposed.model, drawn, "models/x.toml"),
        None
    );
}

/// helper-257: a Hebrew name was drawn with its letters reversed (`שלום` as `םולש`) without
/// a word, since the font has the letters; and a name with boxes hid the combining marks'
/// warning of another. Each is said, in one warning.
#[test]
fn regression_right_to_left_names_and_every_flaw_are_said() {
    let file = crate::io::read_model_file(None).unwrap();
    let load = |sets: &[&str]| {
        let sets: Vec<_> = sets
            .iter()
            .map(|s| crate::overrides::Override::parse(s).unwrap())
            .collect();
        file.load(&sets).unwrap().model
    };
    let all: Vec<usize> = (0..6).collect();
    let drawn = Drawn {
        parties_and_tiers: true,
        trajectories: &all,
        svg: false,
    };
    let hebrew = load(&["name=\"\u{5e9}\u{5dc}\u{5d5}\u{5dd}\""]);
    let warning = glyph_warning(&hebrew, drawn, "models/x.toml").unwrap();
    assert!(
        warning.starts_with(
            "charts: the model's name is written right to left, which the charts draw left to right"
        ),
        "{warning}"
    );
    let both = load(&["name=\"e\u{301}quipe\"", "unit=\"\u{6f22}\u{5b57}\""]);
    let warning = glyph_warning(&both, drawn, "models/x.toml").unwrap();
    assert!(
        warning.starts_with("charts: the charts' font (Liberation Sans) has no glyph for")
            && warning.contains("; the model's name holds combining marks"),
        "{warning}"
    );
    // The footer draws the model's path and the overrides as given: they are looked at too
    // (helper-257: a right-to-left value there was drawn reversed without a word).
    let builtin = load(&[]);
    assert_eq!(glyph_warning(&builtin, drawn, "models/x.toml"), None);
    let warning = glyph_warning(&builtin, drawn, "models/\u{5e9}\u{5dc}.toml").unwrap();
    assert!(
        warning.starts_with(
            "charts: the footer (the model's path, the overrides) is written right to left"
        ),
        "{warning}"
    );
    let warning = glyph_warning(&builtin, drawn, "models/\u{6f22}.toml").unwrap();
    assert!(
        warning.contains("no glyph for \u{6f22} (in the footer (the model's path, the overrides))"),
        "{warning}"
    );
}

/// helper-119: CJK and emoji names were rows of boxes in every PNG, and the run said
/// nothing. The characters the charts' font lacks are found, and said.
#[test]
fn regression_characters_the_font_cannot_draw_are_said() {
    assert_eq!(
        missing_glyphs("Ωmega-Δelta Ärzte 日本 🚀 x"),
        ['日', '本', '🚀']
    );
    assert!(missing_glyphs("Microsoft and OpenAI: 27% – “stake”").is_empty());
    assert!(missing_glyphs("“quoted” – — • · × … → ≥ € − ẞ Жж").is_empty());
    let builtin = crate::io::load_model(None).unwrap().model;
    let all: Vec<usize> = (0..builtin.trajectories.len()).collect();
    let everything = Drawn {
        parties_and_tiers: true,
        trajectories: &all,
        svg: true,
    };
    assert_eq!(glyph_warning(&builtin, everything, "models/x.toml"), None);
    let file = crate::io::read_model_file(None).unwrap();
    let set = |s: &str| {
        file.load(&[crate::overrides::Override::parse(s).unwrap()])
            .unwrap()
    };
    let renamed = set(r#"profit_share.tiers[0].name="日本""#);
    let warning = glyph_warning(&renamed.model, everything, "models/x.toml").unwrap();
    assert!(
        warning.contains("no glyph for 日 本 (in profit_share.tiers[0].name)")
            && warning.ends_with("keep the text, for a viewer's own fonts"),
        "{warning}"
    );
    // helper-122: a chart that draws no tier name (sweep's) is not warned of one, nor told
    // of an --svg it does not have; an ideographic space is a box too.
    let no_tiers = Drawn {
        parties_and_tiers: false,
        trajectories: &[0],
        svg: false,
    };
    assert_eq!(
        glyph_warning(&renamed.model, no_tiers, "models/x.toml"),
        None
    );
    let spaced = set("unit=\"USD\u{3000}bn\"");
    let warning = glyph_warning(&spaced.model, no_tiers, "models/x.toml").unwrap();
    assert!(
        warning.contains("U+3000") && !warning.contains("--svg"),
        "{warning}"
    );
}

/// helper-119: a legend row was cut to "fo…idual): 42,808,586,346,379", the name a
/// fragment beside the full amount, where the short amount left the name whole. The short
/// amount is taken where it keeps the name whole and the full one does not.
#[test]
fn regression_a_legend_name_stays_whole_beside_a_short_amount() {
    on_small_canvas(|c, font| {
        let name = "founders (residual)";
        let whole_short = c.text_width(&format!("{name}: 4.281e13"), font);
        let whole_full = c.text_width(&format!("{name}: 42,808,586,346,379"), font);
        assert!(whole_short < whole_full);
        let width = (whole_short + whole_full) / 2.0;
        let rows = [(name, ["42,808,586,346,379", "4.281e13"])];
        let shown = frame::names_and_amounts(c, &rows, font, width);
        assert_eq!(shown, [format!("{name}: 4.281e13")]);
        // Room for the whole row: the full amount.
        let shown = frame::names_and_amounts(c, &rows, font, whole_full + 1.0);
        assert_eq!(shown, [format!("{name}: 42,808,586,346,379")]);
    });
}

/// helper-186: one legend read "fund (investor): 6e14" beside "others:
/// 470,000,000,000,000", each row's amount written short or not by its own room. Where one
/// is written short, all are; where all fit, all are full.
#[test]
fn regression_one_legend_writes_its_amounts_alike() {
    on_small_canvas(|c, font| {
        let rows = [
            ("founders (residual)", ["1,364,000,000,000,000", "1.364e15"]),
            ("others", ["470,000,000,000,000", "4.7e14"]),
        ];
        let width = c.text_width("founders (residual): 1.364e15", font) + 2.0;
        assert!(c.text_width("others: 470,000,000,000,000", font) <= width);
        let shown = frame::names_and_amounts(c, &rows, font, width);
        assert_eq!(shown, ["founders (residual): 1.364e15", "others: 4.7e14"]);
        let wide = c.text_width("founders (residual): 1,364,000,000,000,000", font) + 1.0;
        let shown = frame::names_and_amounts(c, &rows, font, wide);
        assert_eq!(
            shown,
            [
                "founders (residual): 1,364,000,000,000,000",
                "others: 470,000,000,000,000"
            ]
        );
    });
}

/// helper-137: a tornado input that is a path into a long trajectory name was cut at its
/// end, "trajectories[Überdurchschnittlich-wachsende-Zuk…", losing the part that tells two
/// inputs apart; labels are cut in the middle, their ends kept, and stay distinct.
#[test]
fn regression_a_long_tornado_input_keeps_its_end() {
    let labels = fund_labels("Long names", "USD m");
    let name = "Überdurchschnittlich-wachsende-Zukunftsbranche mit Leerzeichen";
    let margin = format!("trajectories[\"{name}\"].margin.points[1][1]");
    let revenue = format!("trajectories[\"{name}\"].revenue.points[1][1]");
    let rows = [
        tornado_row(&margin, 0.1, 0.5, -5.0, 35.0),
        tornado_row(&revenue, 10.0, 50.0, -3.0, 20.0),
    ];
    let chart = TornadoChart {
        labels: &labels,
        trajectory: name,
        base_advantage: 10.0,
        rows: &rows,
    };
    let ctx = ChartContext::new("long.toml", "", Size::DEFAULT, None);
    let all = svg_texts(&chart.svg(&ctx).unwrap());
    let shown: Vec<&String> = all.iter().filter(|t| t.starts_with("trajec")).collect();
    assert_eq!(shown.len(), 2, "{all:?}");
    assert!(shown.iter().all(|t| t.contains('\u{2026}')), "{shown:?}");
    assert!(
        shown[0].ends_with("].margin.points[1][1]") && shown[1].ends_with("].revenue.points[1][1]"),
        "{shown:?}"
    );
}

/// helper-137: one path (or all far from zero) drew no zero line, said "Zero lies far to
/// the left of the axis", and still keyed "zero: a tie". The key lists only what is drawn.
#[test]
fn regression_distribution_keys_no_zero_line_where_none_is_drawn() {
    let labels = fund_labels("Far from zero", "USD m");
    let draw = |advantages: &[f64]| {
        let chart = DistributionChart {
            around: None,
            labels: &labels,
            advantages,
            p_equity_wins: 1.0,
            p_equity_wins_95: (0.9, 1.0),
            percentiles: nearest_rank_percentiles(advantages),
        };
        let ctx = ChartContext::new("far.toml", "", Size::DEFAULT, None);
        svg_texts(&chart.svg(&ctx).unwrap()).join(" ")
    };
    let far: Vec<f64> = (0..200).map(|i| 1000.0 + f64::from(i)).collect();
    let text = draw(&far);
    assert!(text.contains("Zero lies far to the left"), "{text}");
    assert!(!text.contains("zero: a tie"), "{text}");
    let one = draw(&[123.0]);
    assert!(
        !one.contains("zero: a tie") || !one.contains("Zero lies far"),
        "{one}"
    );
    // Near zero, keyed.
    let near: Vec<f64> = (0..200).map(|i| f64::from(i) - 100.0).collect();
    assert!(draw(&near).contains("zero: a tie"));
}

/// helper-137: a pair whose advantage rounds to 0 at 6 places but is not 0 (bars that can
/// differ where amounts are tiny) was captioned "a tie" as if equal; it says "a tie at 6
/// places". An exact tie still says "a tie".
#[test]
fn regression_a_tie_that_is_not_zero_says_at_6_places() {
    let file = crate::io::read_model_file(None).unwrap();
    let at_break_even = file
        .load(&[crate::overrides::Override::parse("equity.stake=0.303470152").unwrap()])
        .unwrap();
    let comparison = crate::compare::compare(&at_break_even.model, None).unwrap();
    let base = comparison
        .trajectories
        .iter()
        .find(|t| t.name == "base")
        .unwrap();
    assert_eq!(base.winner, crate::engine::Winner::Tie);
    assert!(!base.npv_advantage.is_zero());
    let ctx = at_break_even.chart_context(Size::DEFAULT, None);
    let text = svg_texts(
        &Chart::Npv
            .svg(&at_break_even.model, &comparison, &ctx)
            .unwrap(),
    )
    .join(" ");
    assert!(text.contains("a tie at 6 places"), "{text}");
}

/// helper-137: a round in the last year put its stake's label ("19.0%") right of the last
/// point, outside the plot and over the legend's first entry. A label that would leave the
/// plot goes left of its point.
#[test]
fn regression_the_last_years_stake_label_stays_in_the_plot() {
    let loaded = crate::io::load_model(Some(std::path::Path::new("docs/mini.toml"))).unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let ctx = loaded.chart_context(Size::DEFAULT, None);
    let texts = svg_texts_xy(&Chart::Stake.svg(&loaded.model, &comparison, &ctx).unwrap());
    let x_of = |wanted: &str| {
        texts
            .iter()
            .find(|(t, ..)| t == wanted)
            .map(|(_, x, _)| *x)
            .unwrap_or_else(|| panic!("{wanted}: {texts:?}"))
    };
    // The last year's tick label is centred on the round's year; the label ends left of it.
    assert!(x_of("19.0%") < x_of("2026"), "{texts:?}");
    // The first keeps its place right of its point.
    assert!(x_of("20.0%") > x_of("2025"), "{texts:?}");
}

/// helper-153: with two trajectories whose stakes a round in the last year took to 19.0% and
/// 19.5%, the steps lay on the plot's right edge under the round's dotted line, unlabelled,
/// and the panel read as 20% held to the end. Each such stake is now labelled in its
/// trajectory's colour, left of the edge; with many of them, none are (the dots alone).
#[test]
fn regression_stakes_a_last_year_round_changed_are_labelled_with_several_trajectories() {
    let mini = std::fs::read_to_string("docs/mini.toml").unwrap();
    // A second trajectory whose 2026 valuation is 400, not 200: its round dilutes less.
    // By SPEC 4 the stake after the round is s x pre / (pre + raise) + participation /
    // (pre + raise), the pre-money being the valuation less the raise (20; participation 2):
    // only: 0.2 x 180 / 200 + 2 / 200 = 0.19; high: 0.2 x 380 / 400 + 2 / 400 = 0.195.
    let second = "\n[[trajectories]]\nname = \"high\"\nrevenue   = { points = [[2024, 40.0], [2025, 80.0], [2026, 100.0]] }\nmargin    = { points = [[2024, -0.1], [2025, 0.3], [2026, 0.4]] }\nvaluation = { points = [[2024, 50.0], [2026, 400.0]] }\n";
    let text = format!("{mini}{second}");
    let texts = svg_texts_xy(&svg_of_model_text(&text, Chart::Stake));
    let found = |wanted: &str| {
        texts
            .iter()
            .find(|(t, ..)| t == wanted)
            .map(|(_, x, y)| (*x, *y))
    };
    // The two dots are drawn over each other (0.5 points apart): the lower's label goes
    // below them, the higher's above, where the 20% line both followed to the round leaves
    // no room (helper-156: labels of such dots read in their order, or not at all).
    let (x_low, y_low) = found("19.0%").expect("19.0%");
    let (x_last, _) = found("2026").unwrap();
    assert!(x_low < x_last, "{texts:?}");
    let (_, y_20) = found("20%").expect("the 20% tick");
    assert!(y_low > y_20 + 10.0, "{texts:?}");
    assert!(
        found("19.5%").is_none_or(|(_, y_high)| y_high < y_low),
        "{texts:?}"
    );
}

/// helper-220: with many parties the waterfall's legend listed, top of the stack first,
/// parties that receive nothing (entries of 0.00 no bar shows) until "(+4 more)" hid the
/// investor, whose colour fills most of every bar. Those that receive nothing are named in
/// one note after the parties that do.
#[test]
fn regression_the_waterfall_legend_names_idle_parties_together() {
    let path = std::path::Path::new("tests/charts/audit/idle_parties.toml");
    let loaded = crate::io::load_model(Some(path)).unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let ctx = loaded.chart_context(Size::DEFAULT, None);
    let texts = svg_texts(
        &Chart::Waterfall
            .svg(&loaded.model, &comparison, &ctx)
            .unwrap(),
    );
    let all = texts.join(" ");
    assert!(
        texts.iter().any(|t| t.starts_with("fund (investor): ")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.starts_with("founders (residual): ")),
        "{texts:?}"
    );
    assert!(
        all.contains("Receiving nothing (24): employee pool 23,"),
        "{all}"
    );
    assert!(all.contains("employee pool 16 and 16 more."), "{all}");
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("employee pool") && t.contains(": 0")),
        "{texts:?}"
    );
    assert!(!all.contains(" more)"), "{all}");
    // helper-221: 60 of them in one note left no room for the notes after it: at most 8
    // are named.
    let pools: Vec<String> = (0..60)
        .map(|i| format!("\"employee pool {i}\" = 0.01"))
        .collect();
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find("shares = { \"employee pool 0\"").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let text = format!(
        "{}shares = {{ {} }}{}",
        &text[..start],
        pools.join(", "),
        &text[end..]
    );
    let all = texts_of_model_text(&text, Chart::Waterfall).join(" ");
    assert!(
        all.contains("Receiving nothing (60): employee pool 59"),
        "{all}"
    );
    assert!(all.contains("and 52 more."), "{all}");
    assert!(
        all.contains("Distributable profit is profit after"),
        "{all}"
    );
}

/// helper-220: with the investor's party called `investor`, cloud.png's subtitle began "the
/// investor's yearly income" in lower case.
#[test]
fn regression_the_cloud_subtitle_begins_with_a_capital() {
    let text = std::fs::read_to_string("tests/charts/audit/single_cloud.toml")
        .unwrap()
        .replace("fund", "investor");
    let texts = texts_of_model_text(&text, Chart::Cloud);
    assert!(
        texts[1].starts_with("The investor&apos;s yearly income"),
        "{texts:?}"
    );
    // Only there: mid-sentence it stays "the investor" (helper-221).
    let all = texts.join(" ");
    assert!(all.contains("buys from the investor."), "{all}");
    assert!(!all.contains("from The investor"), "{all}");
}

/// helper-220: with 26 trajectories stake.png's legend listed them first and cut the rest:
/// the stake line's key, the value note and the numbered rounds' key were all lost; and
/// with few trajectories a 90-character investor's name in every round's label left room
/// for 4 of 12 rounds. The key and notes come first, the trajectories next, the rounds
/// last; a long investor's name is "the investor" in the rounds' labels.
#[test]
fn regression_the_stake_legend_keeps_its_key_with_many_trajectories() {
    let path = std::path::Path::new("tests/charts/audit/many_rounds.toml");
    let loaded = crate::io::load_model(Some(path)).unwrap();
    let comparison = crate::compare::compare(&loaded.model, None).unwrap();
    let ctx = loaded.chart_context(Size::DEFAULT, None);
    let texts = svg_texts(&Chart::Stake.svg(&loaded.model, &comparison, &ctx).unwrap());
    let all = texts.join(" ");
    assert!(texts.iter().any(|t| t == "stake"), "{texts:?}");
    assert!(all.contains("Value: the stake times"), "{all}");
    assert!(
        all.contains("the investor&apos;s stake is diluted"),
        "{all}"
    );
    assert!(texts.iter().any(|t| t == "scenario-00"), "{texts:?}");
    // helper-257: the rounds' list, too long beside 26 trajectories, was dropped with no
    // word of what the badges 1 to 12 number; one note says it, the trajectories cut for it.
    assert!(all.contains("Numbered: the 12 rounds in order"), "{all}");

    // Three trajectories: every round named, without the long name.
    let text = std::fs::read_to_string(path).unwrap();
    let cut = text
        .find("[[trajectories]]\nname = \"scenario-03\"")
        .unwrap();
    let text = &text[..cut];
    let all = texts_of_model_text(text, Chart::Stake).join(" ");
    assert!(all.contains("1. 2023 round: 10 raised at 200"), "{all}");
    assert!(all.contains("7. 2029 round"), "{all}");
    assert!(!all.contains("of it from A very long"), "{all}");
}

/// helper-221: every investor's name past 24 characters was "the investor" in the stake
/// chart's round labels, even where the label fitted over the stake with the name: the
/// short form is for the legend's list and note only.
#[test]
fn regression_a_round_label_that_fits_keeps_the_investors_name() {
    let text = crate::BUILTIN_MODEL.replace("microsoft", "SoftBankVisionFund2_Holdings");
    let all = texts_of_model_text(&text, Chart::Stake).join(" ");
    assert!(
        all.contains(
            "2026 round: 122 raised at 730 pre-money, none from SoftBankVisionFund2_Holdings"
        ),
        "{all}"
    );
}

/// The texts of `chart` drawn at the default size for the model written `text`.
fn texts_of_model_text(text: &str, chart: Chart) -> Vec<String> {
    svg_texts(&svg_of_model_text(text, chart))
}

/// `chart` drawn as SVG at the default size for the model written `text` (named
/// `model.toml` in its footer).
fn svg_of_model_text(text: &str, chart: Chart) -> Vec<u8> {
    let model = model_of_text(text);
    let comparison = crate::compare::compare(&model, None).unwrap();
    let ctx = ChartContext::new("model.toml", text, Size::DEFAULT, None);
    chart.svg(&model, &comparison, &ctx).unwrap()
}

/// The model written `text` (naming no other file), parsed and checked.
fn model_of_text(text: &str) -> crate::model::Model {
    crate::model::parse_model(crate::model::ModelSource {
        text,
        load: &mut |_| Err("no files".into()),
    })
    .unwrap()
}

/// docs/mini.toml with its text from `from` (a line that begins a section) up to `to` (the
/// next kept section) replaced by `with`: a model to draw built from the worked example.
fn mini_with(from: &str, to: &str, with: &str) -> String {
    let mini =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/mini.toml")).unwrap();
    let (head, rest) = mini.split_at(mini.find(from).expect("docs/mini.toml changed"));
    let tail = &rest[rest.find(to).expect("docs/mini.toml changed")..];
    format!("{head}{with}{tail}")
}

/// Thirty tiers finishing in one year are said in one mark, whose label was cut to the
/// plot's whole width and so ran from its year, mid-plot, across the legend. A label is now
/// cut to the room on the wider side of its mark: the texts right of the plot are the
/// legend's alone.
#[test]
fn regression_a_long_mark_label_stays_inside_the_plot() {
    let tiers: String = (0..30)
        .map(|k| {
            format!(
                "[[profit_share.tiers]]\nname = \"T{k}\"\nshares = {{ fund = 0.5, p{k} = 0.1 }}\nuntil = {{ fund = {} }}\n\n",
                0.01 * f64::from(k + 1)
            )
        })
        .collect();
    let text = mini_with("[[profit_share.tiers]]", "[equity]", &tiers);
    let texts = svg_texts_xy(&svg_of_model_text(&text, Chart::Waterfall));
    let legend_x = texts
        .iter()
        .find(|(t, _, _)| t == "Party")
        .map(|(_, x, _)| *x)
        .expect("the legend's heading");
    let (label, x, _) = texts
        .iter()
        .find(|(t, _, _)| t.starts_with("2025: tiers[0]"))
        .expect("the 2025 mark");
    // Its width as the canvas measures it, in the small font the marks use (the default
    // size is drawn at the design's scale, 1).
    let mut width = 0.0;
    on_small_canvas(|c, _| width = c.text_width(label, &frame::small_font()));
    assert!(
        label.ends_with('\u{2026}') && x + width < legend_x,
        "`{label}` from {x}, {width} wide; the legend at {legend_x}"
    );
}

/// helper-237: a round every year for 150 years left the stake chart's numbered badges no
/// place of their own within its three rows, and they were drawn over each other ("1111").
/// The dotted lines stay, the badges go, and the legend says where the rounds are listed.
#[test]
fn regression_rounds_too_many_to_number_are_said_not_piled_up() {
    let rounds_in = |years: std::ops::Range<i32>, end_year: &str| {
        let rounds: String = years
            .map(|year| {
                format!("[[equity.rounds]]\nyear = {year}\nraise = 1.0\nparticipation = 0.1\n\n")
            })
            .collect();
        mini_with("[[equity.rounds]]", "[[trajectories]]", &rounds)
            .replace("end_year = 2026", &format!("end_year = {end_year}"))
    };
    let text = rounds_in(2027..2180, "2180");
    assert!(text.contains("end_year = 2180"), "docs/mini.toml changed");
    let texts = texts_of_model_text(&text, Chart::Stake);
    let all = texts.join(" | ");
    assert!(
        all.contains("153 rounds in 153 years, too many to"),
        "{all}"
    );
    // No badge: no text that is a round's number alone.
    assert!(!texts.iter().any(|t| t == "1" || t == "153"), "{all}");
    // And no empty band above the stake (helper-242): its highest tick's label stands
    // just below the panel's title.
    let placed = svg_texts_xy(&svg_of_model_text(&text, Chart::Stake));
    let title = placed
        .iter()
        .find(|(t, _, _)| t.starts_with("stake after"))
        .map(|(_, _, y)| *y)
        .unwrap();
    let top_tick = placed
        .iter()
        .filter(|(t, _, _)| t.ends_with('%'))
        .map(|(_, _, y)| *y)
        .fold(f64::INFINITY, f64::min);
    assert!(
        top_tick - title < 50.0,
        "title at {title}, top tick at {top_tick}"
    );
    // helper-238: four rounds in four years side by side on a long axis (a badge each, one
    // row each) are no crowd: numbered and listed.
    let texts = texts_of_model_text(&rounds_in(2030..2034, "2170"), Chart::Stake);
    let all = texts.join(" | ");
    assert!(!all.contains("too many"), "{all}");
    for badge in ["1", "2", "3", "4"] {
        assert!(texts.iter().any(|t| t == badge), "badge {badge}: {all}");
    }
    assert!(texts.iter().any(|t| t == "Rounds"), "{all}");
    // helper-239: five rounds in five years side by side on a long axis were still past
    // the badge rows.
    for (years, end) in [(2030..2035, "2170"), (2030..2037, "2100")] {
        let n = years.len();
        let texts = texts_of_model_text(&rounds_in(years, end), Chart::Stake);
        let all = texts.join(" | ");
        assert!(!all.contains("too many"), "{n} rounds to {end}: {all}");
        for badge in 1..=n {
            assert!(
                texts.iter().any(|t| *t == badge.to_string()),
                "badge {badge}: {all}"
            );
        }
    }
}

/// helper-238: ninety tiers finishing a year apart stacked 31 rows of numbered badges over
/// the waterfall, which pushed its plot below the footer. The marks take at most half the
/// chart; past it the dotted lines alone, and a note.
#[test]
fn regression_many_marked_years_keep_the_waterfall_on_the_chart() {
    // Tier k pays the fund 0.5 of a profit of 40 a year (20) until 20 x (k + 1): one tier
    // finishes each year.
    let tiers: String = (0..90)
        .map(|k| {
            format!(
                "[[profit_share.tiers]]\nname = \"T{k}\"\nshares = {{ fund = 0.5 }}\nuntil = {{ fund = {} }}\n\n",
                20 * (k + 1)
            )
        })
        .collect();
    let text = mini_with("[[profit_share.tiers]]", "[equity]", &tiers)
        .replace("end_year = 2026", "end_year = 2120")
        .replace(
            "revenue   = { points = [[2024, 40.0], [2025, 80.0], [2026, 100.0]] }",
            "revenue   = { points = [[2024, 40.0]] }",
        )
        .replace(
            "margin    = { points = [[2024, -0.1], [2025, 0.3], [2026, 0.4]] }",
            "margin    = { points = [[2024, 1.0]] }",
        );
    assert!(
        text.contains("margin    = { points = [[2024, 1.0]] }"),
        "docs/mini.toml changed"
    );
    let svg = svg_of_model_text(&text, Chart::Waterfall);
    let texts = svg_texts_xy(&svg);
    let footer = texts
        .iter()
        .find(|(t, _, _)| t.starts_with("Model:"))
        .map(|(_, _, y)| *y)
        .unwrap();
    for (t, x, y) in &texts {
        assert!(
            *y <= footer && *x >= 0.0 && *x <= 1600.0,
            "`{t}` at ({x}, {y})"
        );
    }
    let all: Vec<&str> = texts.iter().map(|(t, _, _)| t.as_str()).collect();
    assert!(!all.contains(&"31") && !all.contains(&"90"), "{all:?}");
    // No empty band of rows above the plot where no label is drawn (helper-239): the
    // highest tick's label stands just below the axis title.
    let title = texts
        .iter()
        .find(|(t, _, _)| t == "USD m a year")
        .map(|(_, _, y)| *y)
        .unwrap();
    let top_tick = texts
        .iter()
        .filter(|(t, x, _)| *x < 200.0 && t.parse::<f64>().is_ok())
        .map(|(_, _, y)| *y)
        .fold(f64::INFINITY, f64::min);
    assert!(
        top_tick - title < 60.0,
        "title at {title}, top tick at {top_tick}: {texts:?}"
    );
    // The note comes first in the legend, however many parties follow (helper-239: with 20
    // it was cut off after them): here with a second party.
    let with_parties = text.replace(
        "shares = { fund = 0.5 }",
        "shares = { fund = 0.5, other = 0.1 }",
    );
    let joined = texts_of_model_text(&with_parties, Chart::Waterfall).join(" ");
    assert!(joined.contains("too many to number here"), "{joined}");
}

/// helper-257: rows rank by swing (SPEC 11), so AGI years 2031..2033, which took `base`
/// from -29.3 to +13.6 at both values (a swing of 0), sat below a stake whose bars moved
/// it by 9, under a title asking what moves it most. The legend says why; an input whose
/// bars point opposite ways is never named, however far one of them reaches.
#[test]
fn regression_a_tornado_says_why_long_bars_of_one_direction_rank_low() {
    let labels = fund_labels("Ranks", "USD bn");
    let rows = [
        tornado_row("equity.stake", 0.26, 0.28, -38.0, -20.5),
        tornado_row("trajectories[base].agi_year", 2031.0, 2033.0, 13.6, 13.6),
        // Opposite ways, one bar longer than any above: not named.
        tornado_row("discount_rate", 0.07, 0.11, 20.0, -30.0),
        // One value given as a range, away from the model's: its two bars are one, not
        // named (helper-260).
        tornado_row("equity.rounds[0].participation", 5.0, 5.0, 0.0, 0.0),
    ];
    let chart = TornadoChart {
        labels: &labels,
        trajectory: "base",
        base_advantage: -29.3,
        rows: &rows,
    };
    let ctx = ChartContext::new("m.toml", "", Size::DEFAULT, None);
    let all = svg_texts(&chart.svg(&ctx).unwrap()).join(" ");
    assert!(
        all.contains("Ranked by swing, |high - low|: trajectories[base].agi_year moves the advantage both ways alike and sits below shorter bars."),
        "{all}"
    );
    assert!(!all.contains("discount_rate moves"), "{all}");
    assert!(!all.contains("participation moves"), "{all}");
    // Ranked as the SPEC has it, nothing to say.
    let plain = [rows[0].clone(), rows[2].clone()];
    let chart = TornadoChart {
        rows: &plain,
        ..chart
    };
    let all = svg_texts(&chart.svg(&ctx).unwrap()).join(" ");
    assert!(!all.contains("Ranked by swing"), "{all}");
}

/// helper-257: a trajectory's name of 80 characters in tornado.png's subtitle cut the
/// sentence to "each i…"; the name is shortened in its middle and the sentence keeps its end.
#[test]
fn regression_a_long_trajectory_name_leaves_the_tornado_subtitle_its_end() {
    let labels = fund_labels("Long names", "USD bn");
    let name = "A very long trajectory name that goes on and on past sixty characters easily two";
    let rows = [tornado_row("equity.stake", 0.2, 0.3, 1.0, 3.0)];
    let chart = TornadoChart {
        labels: &labels,
        trajectory: name,
        base_advantage: 2.0,
        rows: &rows,
    };
    let ctx = ChartContext::new("m.toml", "", Size::MIN, None);
    let texts = svg_texts(&chart.svg(&ctx).unwrap());
    let subtitle = texts
        .iter()
        .find(|t| t.starts_with("What moves"))
        .unwrap_or_else(|| panic!("{texts:?}"));
    assert!(
        subtitle.ends_with("each input alone at its low and high value")
            && subtitle.contains("\u{2026}"),
        "{subtitle}"
    );
}

/// helper-261: an investor's name of 150 characters cut the subtitles of fan.png, sweep.png
/// and stake.png before their ends; the charts write a name past 40 characters as its first
/// 26 and last 12 about an ellipsis, and keep a shorter one whole.
#[test]
fn regression_a_long_investor_name_is_shortened_in_the_charts_sentences() {
    let long = "VeryLongInvestorHoldings".repeat(6);
    let text = crate::BUILTIN_MODEL.replace("microsoft", &long);
    let model = model_of_text(&text);
    let shown = super::investor_in_charts(&model);
    assert_eq!(shown.chars().count(), 39, "{shown}");
    assert!(
        shown.starts_with("VeryLongInvestorHoldingsVe\u{2026}")
            && shown.ends_with("\u{2026}storHoldings"),
        "{shown}"
    );
    let subtitle = texts_of_model_text(&text, Chart::Stake)
        .into_iter()
        .find(|t| t.starts_with("The stake"))
        .unwrap();
    assert!(subtitle.ends_with("from 2025"), "{subtitle}");
    let short = crate::BUILTIN_MODEL.replace("microsoft", "SoftBankVisionFund2_Holdings");
    let model = model_of_text(&short);
    assert_eq!(
        super::investor_in_charts(&model),
        "SoftBankVisionFund2_Holdings"
    );
}

/// helper-262: the shortened investor's name was cut by code points: an accent written as
/// a mark was lost or set on the ellipsis, a flag split, a joiner left dangling. Cuts fall
/// between characters as shown.
#[test]
fn regression_a_shortened_name_is_cut_between_characters_as_shown() {
    let chars = |s: &str| s.chars().collect::<Vec<char>>();
    // Before a combining acute: no; after it: yes.
    let accent = chars("Be\u{301}x");
    assert!(!super::cluster_boundary(&accent, 2));
    assert!(super::cluster_boundary(&accent, 3));
    // A family joined by zero-width joiners: not on either side of a joiner.
    let family = chars("a\u{1F468}\u{200D}\u{1F469}b");
    assert!(!super::cluster_boundary(&family, 2));
    assert!(!super::cluster_boundary(&family, 3));
    assert!(super::cluster_boundary(&family, 4));
    // Other scripts' marks (helper-263): a Cyrillic titlo, a Thai vowel sign, a
    // Devanagari vowel sign, a Hebrew point, Hangul's conjoining vowel.
    for joined in [
        "\u{438}\u{486}",
        "\u{E01}\u{E35}",
        "\u{915}\u{93F}",
        "\u{5E9}\u{5C1}",
        "\u{1100}\u{1161}",
    ] {
        assert!(!super::cluster_boundary(&chars(joined), 1), "{joined}");
    }
    // Two flags: between them, not inside either.
    let flags = chars("\u{1F1EF}\u{1F1F5}\u{1F1EB}\u{1F1F7}");
    assert!(!super::cluster_boundary(&flags, 1));
    assert!(super::cluster_boundary(&flags, 2));
    assert!(!super::cluster_boundary(&flags, 3));
}

/// helper-276: a model without `base` drew its first trajectory's waterfall, empty where
/// that one distributed nothing, without saying that another would show the split. The
/// chart now names the first that distributes something, and how to draw it; a trajectory
/// named for the chart is drawn as asked, with no such line.
#[test]
fn regression_an_empty_default_waterfall_names_a_trajectory_that_distributes() {
    let mini = std::fs::read_to_string("docs/mini.toml").unwrap();
    // `bust` first: a margin of -50% every year, nothing to distribute.
    let bust = mini.replace("name = \"only\"", "name = \"bust\"").replace(
        "margin    = { points = [[2024, -0.1], [2025, 0.3], [2026, 0.4]] }",
        "margin    = { points = [[2024, -0.5], [2026, -0.5]] }",
    );
    assert_ne!(bust, mini);
    let text = format!(
        "{bust}\n[[trajectories]]\nname = \"good one\"\nrevenue = {{ points = [[2024, 40.0], [2026, 100.0]] }}\nmargin = {{ points = [[2024, 0.3], [2026, 0.4]] }}\nvaluation = {{ points = [[2024, 50.0], [2026, 200.0]] }}\n"
    );
    let texts = texts_of_model_text(&text, Chart::Waterfall);
    assert!(texts[1].contains("trajectory `bust`"), "{texts:?}");
    assert!(
        texts.contains(&"no distributable profit in any year".to_string()),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t
            == "trajectory `good one` has some: `stakeshift chart MODEL -t &apos;good one&apos; --out DIR` draws it"),
        "{texts:?}"
    );
    // Named: drawn as asked, with no pointer elsewhere.
    let model = model_of_text(&text);
    let comparison = crate::compare::compare(&model, None).unwrap();
    let ctx = ChartContext::new("model.toml", &text, Size::DEFAULT, Some("bust".into()));
    let named = svg_texts(&Chart::Waterfall.svg(&model, &comparison, &ctx).unwrap());
    assert!(named.iter().all(|t| !t.contains("has some")), "{named:?}");
    // With nothing distributed in any trajectory, no line either.
    let none = texts_of_model_text(&bust, Chart::Waterfall);
    assert!(none.iter().all(|t| !t.contains("has some")), "{none:?}");
    // helper-282: a long name's command was too wide, and the line left out: NAME stands
    // for it; and a run with --sets says to give them again.
    let long = "a long trajectory name that goes on and on, and on again, past the plot";
    let text = text.replace("good one", long);
    let texts = texts_of_model_text(&text, Chart::Waterfall);
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("trajectory `a long trajectory name")
                && t.ends_with("has some: `stakeshift chart MODEL -t NAME --out DIR` draws it")),
        "{texts:?}"
    );
    let model = model_of_text(&text);
    let comparison = crate::compare::compare(&model, None).unwrap();
    let ctx = ChartContext::new("model.toml", &text, Size::DEFAULT, None)
        .with_overrides(&["discount_rate=0.1".to_string()]);
    let set = svg_texts(&Chart::Waterfall.svg(&model, &comparison, &ctx).unwrap());
    assert!(
        set.iter()
            .any(|t| t.ends_with("--out DIR` with this run&apos;s --set options draws it")),
        "{set:?}"
    );
}
