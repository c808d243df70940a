//! The charts: every chart drawn in memory, decoded and looked at (size, not blank); the
//! bytes of a small fixed model pinned in tests/charts/pinned.txt; the gallery in charts/
//! matching what the code draws for the built-in model; the same bytes on every run; and
//! the binary writing them with `chart` and `compare --out`.
//!
//! When a chart is meant to change, look at it, then regenerate the pins and the gallery:
//!     STAKESHIFT_BLESS=1 cargo test --test charts
//! (or the gallery alone: cargo run --release -- chart --out charts).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use stakeshift::chart::{self, Chart, ChartContext, Size};
use stakeshift::compare::{Comparison, compare};
use stakeshift::io::{LoadedModel, load_model};

const FIXTURE: &str = "tests/charts/model.toml";
const PINNED: &str = "tests/charts/pinned.txt";
const GALLERY: &str = "charts";
const BLESS_HINT: &str = "if the change is meant, look at the charts, then run `STAKESHIFT_BLESS=1 cargo test --test charts`";

fn bless() -> bool {
    std::env::var("STAKESHIFT_BLESS").is_ok_and(|v| v == "1")
}

fn load(path: Option<&str>) -> (LoadedModel, Comparison) {
    let loaded = load_model(path.map(Path::new)).expect("the model loads");
    let comparison = compare(&loaded.model, None).expect("the model runs");
    (loaded, comparison)
}

/// RGB pixels of a PNG, with its size.
struct Image {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Image {
    fn decode(bytes: &[u8]) -> Image {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
        let info = reader.next_frame(&mut buf).expect("PNG data");
        assert_eq!(info.color_type, png::ColorType::Rgb, "RGB");
        assert_eq!(info.bit_depth, png::BitDepth::Eight, "8 bits");
        buf.truncate(info.buffer_size());
        Image {
            width: info.width,
            height: info.height,
            rgb: buf,
        }
    }

    fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = ((y * self.width + x) * 3) as usize;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// Distinct colours, counted up to `enough`.
    fn colours(&self, enough: usize) -> usize {
        let mut seen = HashSet::new();
        for p in self.rgb.chunks_exact(3) {
            seen.insert([p[0], p[1], p[2]]);
            if seen.len() >= enough {
                break;
            }
        }
        seen.len()
    }

    /// Share of pixels that are not white in the region [x0, x1) x [y0, y1), as fractions of
    /// the image's size.
    fn ink(&self, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> f64 {
        let (w, h) = (f64::from(self.width), f64::from(self.height));
        let (xa, xb) = ((x0 * w) as u32, (x1 * w) as u32);
        let (ya, yb) = ((y0 * h) as u32, (y1 * h) as u32);
        let mut inked = 0u64;
        for y in ya..yb {
            for x in xa..xb {
                if self.pixel(x, y) != [255, 255, 255] {
                    inked += 1;
                }
            }
        }
        inked as f64 / (u64::from(xb - xa) * u64::from(yb - ya)) as f64
    }

    /// Pixels of exactly `colour`, counted up to `enough`.
    fn count(&self, colour: [u8; 3], enough: usize) -> usize {
        self.rgb
            .chunks_exact(3)
            .filter(|p| **p == colour)
            .take(enough)
            .count()
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks what a reader would notice first: the size, the white page with ink on it, the
/// first series colour (Okabe-Ito blue) drawn, and the title and footer bands not empty.
fn looks_like_a_chart(name: &str, png: &[u8], size: Size) {
    let img = Image::decode(png);
    assert_eq!(
        (img.width, img.height),
        (size.width, size.height),
        "{name}: size"
    );
    assert_eq!(img.pixel(0, 0), [255, 255, 255], "{name}: white background");
    let colours = img.colours(30);
    assert!(
        colours >= 30,
        "{name}: only {colours} distinct colours: blank or broken?"
    );
    let plot = img.ink((0.08, 0.2, 0.7, 0.85));
    assert!(
        plot > 0.02,
        "{name}: the plot area is {:.1}% inked: blank?",
        plot * 100.0
    );
    assert!(img.ink((0.02, 0.02, 0.5, 0.1)) > 0.01, "{name}: no title");
    assert!(
        img.ink((0.02, 0.96, 0.4, 0.99)) > 0.005,
        "{name}: no footer"
    );
    assert!(
        img.ink((0.74, 0.12, 0.99, 0.4)) > 0.005,
        "{name}: no legend"
    );
    let blue = img.count([0x00, 0x72, 0xB2], 51);
    assert!(
        blue > 50,
        "{name}: the first series colour is drawn on {blue} pixels only"
    );
}

#[test]
fn every_chart_decodes_at_its_size_and_is_not_blank() {
    for (name, bytes) in gallery_files().iter().chain(fixture_files()) {
        if name.ends_with(".png") {
            looks_like_a_chart(name, bytes, Size::DEFAULT);
        }
    }
    for (path, size) in [
        (Some(FIXTURE), Size::MIN),
        (
            None,
            Size {
                width: 1200,
                height: 1200,
            },
        ),
    ] {
        let (loaded, comparison) = load(path);
        let ctx = ChartContext::new(&loaded, size, None);
        for c in Chart::ALL {
            let png = c.png(&loaded.model, &comparison, &ctx).unwrap();
            looks_like_a_chart(
                &format!("{} of {} at {size}", c.name(), loaded.label),
                &png,
                size,
            );
        }
    }
}

/// The pinned charts: PNG and SVG of the fixture at the default size (drawn once for all
/// the tests).
fn fixture_files() -> &'static [(String, Vec<u8>)] {
    static FILES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let (loaded, comparison) = load(Some(FIXTURE));
        let ctx = ChartContext::new(&loaded, Size::DEFAULT, None);
        chart::render_files(&loaded.model, &comparison, &ctx, true).unwrap()
    })
}

#[test]
fn the_fixture_charts_are_the_pinned_bytes() {
    let files = fixture_files();
    let mut actual = String::from(
        "# SHA-256 of each chart of tests/charts/model.toml at 1600x900; regenerate with STAKESHIFT_BLESS=1 cargo test --test charts\n",
    );
    for (name, bytes) in files {
        let _ = writeln!(actual, "{name} {}", sha256(bytes));
    }
    if bless() {
        std::fs::write(PINNED, &actual).unwrap();
        return;
    }
    let pinned = std::fs::read_to_string(PINNED).unwrap_or_default();
    let pinned: Vec<(&str, &str)> = pinned
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(' '))
        .collect();
    let dir = std::env::temp_dir().join("stakeshift-charts-actual");
    let mut failures = Vec::new();
    for (name, bytes) in files {
        let hash = sha256(bytes);
        match pinned.iter().find(|(n, _)| n == name) {
            Some((_, h)) if *h == hash => {}
            found => {
                std::fs::create_dir_all(&dir).unwrap();
                let at = dir.join(name);
                std::fs::write(&at, bytes).unwrap();
                failures.push(format!(
                    "{name} of {FIXTURE} is not the pinned chart (sha256 {hash}, pinned {}); what it draws now is in {}",
                    found.map_or("nothing", |(_, h)| h),
                    at.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}\n{BLESS_HINT}", failures.join("\n"));
}

/// The gallery's charts, as the code draws them (drawn once for all the tests).
fn gallery_files() -> &'static [(String, Vec<u8>)] {
    static FILES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let (loaded, comparison) = load(None);
        let ctx = ChartContext::new(&loaded, Size::DEFAULT, None);
        chart::render_files(&loaded.model, &comparison, &ctx, false).unwrap()
    })
}

#[test]
fn the_gallery_matches_what_the_code_draws() {
    let files = gallery_files();
    if bless() {
        stakeshift::io::write_all(Path::new(GALLERY), files).unwrap();
        return;
    }
    for (name, bytes) in files {
        let path = PathBuf::from(GALLERY).join(name);
        let on_disk = std::fs::read(&path).unwrap_or_default();
        assert!(
            on_disk == *bytes,
            "{} no longer matches what the code draws for the built-in model; regenerate the gallery with `cargo run --release -- chart --out charts` and look at it ({BLESS_HINT})",
            path.display()
        );
    }
}

#[test]
fn the_same_inputs_draw_the_same_bytes() {
    let (loaded, comparison) = load(None);
    let ctx = ChartContext::new(&loaded, Size::MIN, Some("bull".into()));
    for c in Chart::ALL {
        let a = c.png(&loaded.model, &comparison, &ctx).unwrap();
        let b = c.png(&loaded.model, &comparison, &ctx).unwrap();
        assert!(a == b, "{}.png differs between two runs", c.name());
    }
    // Drawn on threads, as the command line does: the same bytes again.
    let a = chart::render_files(&loaded.model, &comparison, &ctx, true).unwrap();
    let b = chart::render_files(&loaded.model, &comparison, &ctx, true).unwrap();
    assert!(a == b, "render_files differs between two runs");
    assert_eq!(a.len(), 8);
}

#[test]
fn the_footer_traces_the_chart_to_its_model() {
    let (loaded, _) = load(Some(FIXTURE));
    let ctx = ChartContext::new(&loaded, Size::DEFAULT, None);
    assert!(ctx.footer.contains(FIXTURE), "{}", ctx.footer);
    assert!(
        ctx.footer.contains(&sha256(loaded.text.as_bytes())[..12]),
        "{}",
        ctx.footer
    );
    assert!(
        ctx.footer.contains(env!("CARGO_PKG_VERSION")),
        "{}",
        ctx.footer
    );
    let svg = String::from_utf8(
        Chart::Npv
            .svg(&loaded.model, &load(Some(FIXTURE)).1, &ctx)
            .unwrap(),
    )
    .unwrap();
    assert!(
        svg.contains(&sha256(loaded.text.as_bytes())[..12]),
        "the SVG's footer has the hash"
    );
}

#[test]
fn the_waterfall_follows_the_named_trajectory() {
    let (loaded, comparison) = load(Some(FIXTURE));
    let size = Size::MIN;
    let base = ChartContext::new(&loaded, size, None);
    let named = ChartContext::new(&loaded, size, Some("base".into()));
    let agi = ChartContext::new(&loaded, size, Some("agi".into()));
    let (m, c) = (&loaded.model, &comparison);
    assert_eq!(
        Chart::Waterfall.png(m, c, &base).unwrap(),
        Chart::Waterfall.png(m, c, &named).unwrap()
    );
    assert_ne!(
        Chart::Waterfall.png(m, c, &base).unwrap(),
        Chart::Waterfall.png(m, c, &agi).unwrap()
    );
    // The other charts show every trajectory whatever is named.
    assert_eq!(
        Chart::Npv.png(m, c, &base).unwrap(),
        Chart::Npv.png(m, c, &agi).unwrap()
    );
}

fn stakeshift() -> Command {
    Command::cargo_bin("stakeshift").unwrap()
}

/// Runs the binary with no environment at all (no HOME, no font configuration, no locale):
/// the charts need none.
#[test]
fn chart_writes_the_four_charts_and_their_svgs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("charts");
    stakeshift()
        .env_clear()
        .args(["chart", "--svg", "--out"])
        .arg(&out)
        .assert()
        .success();
    let gallery = gallery_files();
    for c in Chart::ALL {
        let png = std::fs::read(out.join(format!("{}.png", c.name()))).unwrap();
        looks_like_a_chart(c.name(), &png, Size::DEFAULT);
        // The binary draws what the library draws.
        let expected = &gallery
            .iter()
            .find(|(n, _)| *n == format!("{}.png", c.name()))
            .unwrap()
            .1;
        assert!(
            png == *expected,
            "{}.png from the binary differs from the library's",
            c.name()
        );
        let svg = std::fs::read_to_string(out.join(format!("{}.svg", c.name()))).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{}.svg",
            c.name()
        );
    }
}

#[test]
fn compare_out_writes_the_charts_beside_the_csvs() {
    let dir = tempfile::tempdir().unwrap();
    stakeshift()
        .args(["compare", FIXTURE, "--size", "1280x720", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for csv in ["summary.csv", "yearly.csv", "comparison.csv"] {
        assert!(dir.path().join(csv).exists(), "{csv}");
    }
    for c in Chart::ALL {
        let png = std::fs::read(dir.path().join(format!("{}.png", c.name()))).unwrap();
        looks_like_a_chart(
            c.name(),
            &png,
            Size {
                width: 1280,
                height: 720,
            },
        );
        assert!(
            !dir.path().join(format!("{}.svg", c.name())).exists(),
            "no SVG without --svg"
        );
    }
}

#[test]
fn compare_out_draws_the_selected_trajectories() {
    let dir = tempfile::tempdir().unwrap();
    stakeshift()
        .args([
            "compare",
            FIXTURE,
            "--trajectory",
            "agi",
            "--size",
            "960x540",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let (loaded, comparison) = load(Some(FIXTURE));
    let only = Comparison {
        trajectories: comparison
            .trajectories
            .into_iter()
            .filter(|t| t.name == "agi")
            .collect(),
    };
    let ctx = ChartContext::new(&loaded, Size::MIN, None);
    let expected = Chart::Waterfall.png(&loaded.model, &only, &ctx).unwrap();
    assert!(std::fs::read(dir.path().join("waterfall.png")).unwrap() == expected);
}

#[test]
fn a_bad_size_or_trajectory_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    for (args, says) in [
        (vec!["chart", "--size", "12x9"], "960"),
        (vec!["chart", "--size", "wide"], "WIDTHxHEIGHT"),
        (vec!["chart", "--size", "1600x0"], "540"),
        (
            vec!["compare", "--size", "1600", "--out", "x"],
            "WIDTHxHEIGHT",
        ),
        (vec!["chart", "--trajectory", "bse"], "did you mean `base`"),
        (vec!["compare", "--svg"], "add --out"),
    ] {
        let out = stakeshift()
            .current_dir(dir.path())
            .args(&args)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    // Nothing was written.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_default_directory_is_charts() {
    let dir = tempfile::tempdir().unwrap();
    stakeshift()
        .current_dir(dir.path())
        .args(["chart", "--size", "960x540"])
        .assert()
        .success();
    for c in Chart::ALL {
        assert!(
            dir.path()
                .join("charts")
                .join(format!("{}.png", c.name()))
                .exists()
        );
    }
}
