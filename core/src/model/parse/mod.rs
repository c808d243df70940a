//! Reading a model file: TOML text -> raw values that remember where they stand in the file
//! -> a valid [`Model`], or one [`ModelIssue`] that names the field, the place and what would
//! be valid.
//!
//! Numbers are read exactly as written: each number is deserialized with its byte span, and
//! the literal text at that span is parsed as a `Decimal`, so `0.49` is 0.49 and never the
//! nearest binary fraction.
//!
//! - [`raw`]: the raw shapes (serde), each value with its span, and exact numbers;
//! - [`messages`]: toml's and serde's errors rewritten for a reader (field paths, the
//!   nearest valid key, where a misplaced key belongs);
//! - [`validate`]: the checks of SPEC section 6, raw values to a [`Model`], and the warnings.
//!
//! Read exactly, a share of 0.1 and one of 0.2 add up to 0.3, as they do on paper (in f64,
//! 0.1 + 0.2 is 0.30000000000000004):
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::model::{ModelSource, parse_model};
//!
//! let text = r#"name = "Tiny"
//! unit = "USD m"
//! start_year = 2024
//! end_year = 2026
//! valuation_year = 2024
//! discount_rate = 0.1
//! investor = { party = "fund" }
//! equity = { from_year = 2025, stake = 0.49 }
//! [profit_share]
//! residual = "founders"
//! tiers = [{ name = "Split", shares = { fund = 0.1, staff = 0.2 } }]
//! [[trajectories]]
//! name = "base"
//! revenue = { points = [[2024, 10.0]] }
//! margin = { points = [[2024, 0.2]] }
//! valuation = { points = [[2024, 50.0]] }"#;
//! let model = parse_model(ModelSource { text, load: &mut |_| Err("none".into()) });
//! let model = model.unwrap();
//! assert_eq!(model.equity.stake, Decimal::new(49, 2)); // 49 hundredths, exactly
//! assert_eq!(model.discount_rate.to_string(), "0.1");
//! let shares = model.profit_share.tiers[0].shares.iter().map(|(_, s)| *s);
//! assert_eq!(shares.sum::<Decimal>(), Decimal::new(3, 1)); // the residual gets 0.7
//! ```

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use indexmap::IndexMap;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;
use toml::Spanned;

use super::{
    Cloud, CloudTerms, Commitment, Contribution, Equity, Investor, Model, PartyId, ProfitShare,
    RevenueShare, Round, Series, Simulation, Spend, Tier, Trajectory, TrajectorySource, Year,
};
use crate::error::ModelIssue;

/// The largest magnitude of a number in a model file. Far above any real amount, it keeps
/// every sum the engine forms (500 years of amounts) inside a 28-digit decimal.
pub const MAX_NUMBER: i64 = 1_000_000_000_000_000_000;

fn max_number() -> Decimal {
    Decimal::from(MAX_NUMBER)
}

/// The most years a model may project.
pub const MAX_YEARS: i32 = 500;

/// A year in a model file lies in -MAX_YEAR..=MAX_YEAR (any calendar year; the bound
/// catches an amount written where a year belongs).
pub const MAX_YEAR: i32 = 100_000;

/// `v` as a year, where it is one: a whole number within -MAX_YEAR..=MAX_YEAR (written
/// `2025` or `2025.0`). The model's reading of a year, which `--set`'s derived keys share.
///
/// ```
/// use rust_decimal::Decimal;
/// use stakeshift_core::model::whole_year;
/// assert_eq!(whole_year(Decimal::new(20250, 1)), Some(2025));
/// assert_eq!(whole_year(Decimal::new(20255, 1)), None);
/// assert_eq!(whole_year(Decimal::from(100_001)), None);
/// ```
pub fn whole_year(v: Decimal) -> Option<Year> {
    if !v.fract().is_zero() || v.abs() > Decimal::from(MAX_YEAR) {
        return None;
    }
    rust_decimal::prelude::ToPrimitive::to_i32(&v)
}

/// The most trajectory-years (trajectories times projected years) a model may hold. Each
/// becomes an engine step and two rows of results in exact decimals, a few hundred bytes:
/// at this bound `check` and `compare` stay near 200 MB and a few seconds, where a 50 MB
/// trajectories_csv of 400,000 trajectories took 1.7 GB. 200 trajectories over 500 years,
/// or 10,000 over 25, fit.
pub const MAX_TRAJECTORY_YEARS: usize = 250_000;

/// The most work the waterfall may do over a run: the sum over tiers of its slices (a fixed
/// cap closes once: `until` entries + years; with cap_growth a cap can close every year:
/// years x (`until` entries + 1)) times its parties. A real deal (a handful of parties) is
/// far below it; a thousand parties with fixed caps fit, or 400 with growing caps over 50
/// years. Beyond it a year's split grows with the square of the parties.
pub const MAX_WATERFALL_STEPS: usize = 10_000_000;

/// The most work the waterfall may do over all the model's trajectories (each command runs
/// them all, SPEC 6): the steps of [`MAX_WATERFALL_STEPS`] times the trajectories. A hundred
/// million: under a minute of one core for `check` (a step costs 0.1 to 0.6 us, a
/// trajectory run once and again by the break-even search; a billion let a 135 KB model of
/// 110 trajectories beside 3,000 capped parties check for some nine minutes: helper-236);
/// the built-in model takes 6 x a few hundred, 10,000 trajectories of a handful of parties
/// over 25 years about 1.3 million.
pub const MAX_WATERFALL_STEPS_ALL: usize = 100_000_000;

/// The most rounds times trajectories: every command runs every trajectory, and `compare`'s
/// break-even search runs a trajectory's stake through every round at each of the one to
/// two hundred scales it tries (about 8 us a round and trajectory: helper-175's 100,000
/// rounds beside 1,000 trajectories took 22 minutes to check). Half a million: about 4 s;
/// 10,000 trajectories with 50 rounds, or 250,000 with 2. A real deal has a handful.
pub const MAX_ROUND_RUNS_ALL: usize = 500_000;

/// The most party-years the waterfall's splits may hold over all the model's trajectories
/// (a run keeps each year's split by party, 16 bytes a party-year): the tiers' parties x the
/// years x the trajectories. 50 million: about 800 MB.
pub const MAX_PARTY_YEARS_ALL: usize = 50_000_000;

/// The most paths a simulation may draw: a few numbers are kept per path, so memory stays
/// near 50 bytes a path (0.5 GB at this bound).
pub const MAX_PATHS: u64 = 10_000_000;

/// Said of a seed past the file's range (TOML's integers stop at 2^63 - 1): where larger
/// ones go.
pub const SEED_NOTE: &str =
    " (TOML's largest integer; `--seed` takes any 64-bit seed, up to 18446744073709551615)";

/// The most value marks ([`value_marks`]) a model file may hold. A model of the most
/// trajectory-years, four series (revenue, margin, valuation and spend) with a point for
/// every year, one point a line, has about 5 million. Parsing TOML keeps about 200 bytes for
/// each value and 600 for each part of a dotted key, so the count bounds the memory a file
/// can take before it is validated (a hostile file of two million `[2024,1],` peaks at
/// 1.5 GB in `check`; docs/MODEL.md 12.5),
/// whatever its size.
pub const MAX_VALUE_MARKS: usize = 6_000_000;

/// The marks that come with each value, key and table of a TOML text: a bound, within a
/// small factor, on the memory parsing it takes. `,` `=` `[` and line ends count 1; `{`
/// counts 4 (an inline table); a `.` counts 5 unless it is a decimal point (between two
/// digits), for each part of a dotted key (`a.b.c = 1`) makes a table. (Nesting
/// `[[[...]]]` is bounded by the reader's depth limit.)
pub fn value_marks(text: &str) -> usize {
    let bytes = text.as_bytes();
    let digit = |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
    bytes
        .iter()
        .enumerate()
        .map(|(i, b)| match b {
            b',' | b'=' | b'[' | b'\n' => 1,
            // An inline table costs about as much as four values (a hostile file of
            // `{b={}}` elements, two marks each when `{` was not counted, took 1.96 GB at
            // 4 million marks; helper-95).
            b'{' => 4,
            b'.' if !(digit(i.checked_sub(1)) && digit(Some(i + 1))) => 5,
            _ => 0,
        })
        .sum()
}

/// A text with more than [`MAX_VALUE_MARKS`] value marks is refused before it is parsed.
pub fn check_value_marks(text: &str) -> Result<(), ModelIssue> {
    let marks = value_marks(text);
    if marks > MAX_VALUE_MARKS {
        return Err(ModelIssue::new(
            "",
            format!(
                "the file holds about {marks} values, keys and lines (counted by its `,` `=` `[` `{{`, line ends and the dots of dotted keys), more than the {MAX_VALUE_MARKS} a model can use (at most {MAX_TRAJECTORY_YEARS} trajectory-years, of four series each); put a large table of trajectories in a trajectories_csv file"
            ),
        ));
    }
    Ok(())
}

/// Where a model's text comes from, and how to load the files it names.
pub struct ModelSource<'a> {
    /// The TOML text.
    pub text: &'a str,
    /// Loads the text of a file the model names (`trajectories_csv`), given the path as
    /// written in the model; an `Err` holds a message saying why it could not be read.
    pub load: &'a mut dyn FnMut(&str) -> Result<String, String>,
}

/// Parses and validates a model file's text.
pub fn parse_model(source: ModelSource<'_>) -> Result<Model, ModelIssue> {
    let text = source.text;
    check_value_marks(text)?;
    // Nothing but blank lines and comments: said so, rather than "name: this required key
    // is missing" (helper-153).
    // (TOML's whitespace only, and a byte-order mark before it all; a carriage return not
    // followed by a line feed is TOML's error to tell, helper-155.)
    let text_after_mark = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lone_cr = text_after_mark
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'\r' && w[1] != b'\n')
        || text_after_mark.ends_with('\r');
    if !lone_cr
        && text_after_mark.lines().all(|l| {
            let l = l.trim_matches([' ', '\t']);
            l.is_empty() || l.starts_with('#')
        })
    {
        return Err(ModelIssue::new(
            "",
            "the file is empty (no keys: only blank lines or comments); a model file is TOML text with the keys of docs/MODEL.md (`stakeshift init model.toml` writes the built-in model to start from)",
        ));
    }
    let deserializer = toml::Deserializer::parse(text).map_err(|e| syntax_issue(text, &e))?;
    let raw: RawModel = serde_path_to_error::deserialize(deserializer)
        .map_err(|e| messages::dates_said_as_dates(text, serde_issue(text, &e)))?;
    Builder {
        text,
        warnings: Default::default(),
    }
    .build(raw, source.load)
}

mod messages;
mod raw;
mod validate;

/// For the trajectories CSV, whose names are refused as the model file's are.
pub(super) use validate::{not_plain, quoted, unplain_character};

use messages::*;
pub use messages::{
    CURLY_QUOTES, bare_word_spelling, grouped_value_in_a_pair, nearest, not_finite_spelling,
    not_finite_value, part_of_one, spreadsheet_habit, takes_text, text_in_quotes,
    too_long_to_be_a_slip, typed_as_a_document_shows_it,
};
use raw::*;
pub use raw::{NotExact, exact_decimal};
use validate::*;
