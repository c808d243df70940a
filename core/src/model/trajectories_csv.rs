//! Trajectories given as yearly rows in a CSV file (`trajectories_csv`): the columns
//! `trajectory,year,revenue,profit,valuation`, one row per trajectory and year, and
//! optionally `cloud_spend` (SPEC 13: the company's compute spend that year, in the model's
//! unit; with the column every row must have it).
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::model::{Spend, TrajectorySource, parse_trajectories_csv};
//!
//! // Any column order and case, spaces trimmed, rows in any order.
//! let csv = "Trajectory, Year, Profit, Revenue, Valuation, cloud_spend
//!            bull, 2025, 30, 120, 150, 12
//!            bull, 2024, -5, 100, 90, 10
//!            bear, 2024, -10, 80, 60, 8
//!            bear, 2025, -20, 60, 40, 6
//!            bear, 2026, -25, 50, 30, 5";
//! // For 2024..=2025: trajectories in the order first named, values in year order, and the
//! // 2026 row ignored.
//! let [bull, bear] = &parse_trajectories_csv(csv, 2024, 2025, 10).unwrap()[..] else {
//!     panic!("two trajectories")
//! };
//! assert_eq!((bull.name.as_str(), bear.name.as_str()), ("bull", "bear"));
//! let TrajectorySource::Table { revenue, profit, .. } = &bull.source else {
//!     panic!("a table")
//! };
//! assert_eq!(revenue, &[Decimal::ONE_HUNDRED, Decimal::from(120)]);
//! assert_eq!(profit, &[Decimal::from(-5), Decimal::from(30)]);
//! assert_eq!(bear.spend, Some(Spend::Amounts(vec![Decimal::from(8), Decimal::from(6)])));
//! // Every year must have its row; and an error in a row names its line (the header is 1).
//! let gap = parse_trajectories_csv(csv, 2024, 2026, 10).unwrap_err();
//! assert!(gap.starts_with("trajectory `bull` has no row for 2026"));
//! let one = parse_trajectories_csv(csv, 2024, 2025, 1).unwrap_err();
//! assert!(one.starts_with("line 4: trajectory `bear` is one more than the 1 this model"));
//! ```

use std::collections::{BTreeMap, HashSet};

use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::{NotExact, Spend, Trajectory, TrajectorySource, Year, exact_decimal};

const COLUMNS: [&str; 5] = ["trajectory", "year", "revenue", "profit", "valuation"];

/// The line numbers of records, from their byte offsets, counted once over the text. (The
/// csv reader's own line count is one short after a CRLF line end, Excel's: a record's
/// position is taken before the LF that ends the line before it.)
struct Lines<'a> {
    text: &'a [u8],
    /// Where counting has reached, and the line there (1-based).
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the record that starts at `byte` (records come in order).
    fn at(&mut self, byte: u64) -> u64 {
        let mut start = (byte as usize).min(self.text.len());
        // Past the line end (or blank lines) before the record's first byte.
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.at {
            // A line ends at LF, at CRLF (counted at its LF), or at a CR alone (old Mac
            // files, which the csv reader takes too).
            let text = self.text;
            let from = self.at;
            self.line += text[from..start]
                .iter()
                .enumerate()
                .filter(|&(i, &b)| {
                    b == b'\n' || (b == b'\r' && text.get(from + i + 1) != Some(&b'\n'))
                })
                .count() as u64;
            self.at = start;
        }
        self.line
    }
}

/// A record's error in words: a row with more or fewer cells than the header says so (the
/// csv reader's own words count "fields").
fn unequal_lengths(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "the row has {len} {}, the header {expected_len}; every row has one cell per column of the header ({} and, optionally, cloud_spend)",
            if *len == 1 { "cell" } else { "cells" },
            COLUMNS.join(",")
        ),
        _ => e.to_string(),
    }
}

/// The columns of a trajectories CSV's header that are not read (all but `trajectory`,
/// `year`, `revenue`, `profit`, `valuation` and `cloud_spend`, in any case), in order: for a
/// warning, since a misspelt `cloud_spnd` left the compute spend out without a word
/// (helper-95). Empty where the header cannot be read (reading the file says why).
pub fn unread_columns(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let Ok(headers) = reader.headers() else {
        return Vec::new();
    };
    // Each once; an unnamed column (a trailing comma, as spreadsheets write) is no slip.
    // Seen names in a set: a search of the list for each column made a header of 100,000
    // names (a 1.8 MB file) take 13 s, quadratic in the columns.
    let mut unread: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for h in headers.iter().map(|h| h.trim_start_matches('\u{feff}')) {
        let read = COLUMNS
            .iter()
            .chain(&["cloud_spend"])
            .any(|c| h.eq_ignore_ascii_case(c));
        if !read && !h.is_empty() && seen.insert(h) {
            unread.push(h.to_string());
        }
    }
    unread
}

/// Rows of a trajectories CSV for years outside the model's, which are ignored: how many,
/// and the first of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowsOutside {
    pub rows: usize,
    pub first_line: u64,
    pub first_year: Year,
}

/// Parses the CSV text into trajectories covering `start..=end`. Rows outside those years are
/// ignored; a repeated year or a missing one is an error. The error text names the line.
pub fn parse_trajectories_csv(
    text: &str,
    start: Year,
    end: Year,
    max_trajectories: usize,
) -> Result<Vec<Trajectory>, String> {
    read_trajectories_csv(text, start, end, max_trajectories, &HashSet::new())
        .map(|(table, _)| table)
}

/// [`parse_trajectories_csv`], and the rows it ignored for years outside `start..=end`
/// (for a warning: a year mistyped, or a file meant for another horizon). A trajectory
/// named as one of `taken` (the model file's) is refused on its first row.
pub fn read_trajectories_csv(
    text: &str,
    start: Year,
    end: Year,
    max_trajectories: usize,
    taken: &HashSet<String>,
) -> Result<(Vec<Trajectory>, Option<RowsOutside>), String> {
    let mut outside: Option<RowsOutside> = None;
    // An empty file (or one of blank lines) is said as such, not as a header without a
    // `trajectory` column (helper-236).
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(format!(
            "the file is empty; it needs a header row, {}, then a row per trajectory and year",
            COLUMNS.join(",")
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("line 1: cannot read the header row: {e}"))?
        .clone();
    // A column named twice is refused: which of the two was meant cannot be told, and the
    // second was ignored without a word (helper-95).
    let plain = |h: &str| h.trim_start_matches('\u{feff}').to_ascii_lowercase();
    for name in COLUMNS.iter().chain(&["cloud_spend"]) {
        let at: Vec<usize> = (headers.iter().enumerate())
            .filter(|(_, h)| plain(h) == *name)
            .map(|(i, _)| i + 1)
            .collect();
        if let [first, second, ..] = at[..] {
            return Err(format!(
                "line 1: the header names `{name}` twice (columns {first} and {second}); name each column once"
            ));
        }
    }
    let mut index = [0usize; 5];
    for (slot, name) in index.iter_mut().zip(COLUMNS) {
        *slot = headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                // A spreadsheet of a locale whose decimal mark is a comma saves its "CSV"
                // with semicolons (and decimal commas): one column, named with them all.
                let split_by = |mark: char| {
                    headers.len() == 1 && headers[0].split(mark).any(|h| plain(h.trim()) == *name)
                };
                let hint = if split_by(';') {
                    "; this header is separated by `;`: save the file as comma-separated values with decimal points (in Excel: CSV UTF-8 (Comma delimited), with `.` as the decimal separator)"
                } else if split_by('\t') {
                    // (helper-153: a tab-separated file had no hint.)
                    "; this header is separated by tabs: save the file as comma-separated values (in Excel: CSV UTF-8 (Comma delimited))"
                } else {
                    ""
                };
                format!(
                    "line 1: the header has no `{name}` column; the columns must be {}{hint}",
                    COLUMNS.join(",")
                )
            })?;
    }

    let cloud_spend = headers.iter().position(|h| {
        h.trim_start_matches('\u{feff}')
            .eq_ignore_ascii_case("cloud_spend")
    });

    // name -> year -> (revenue, profit, valuation, cloud_spend)
    let mut rows: IndexMap<String, BTreeMap<Year, [Decimal; 4]>> = IndexMap::new();
    let mut lines = Lines::new(text);
    for record in reader.records() {
        let record = record.map_err(|e| match e.position() {
            // A quote opened on the row and never closed reads the rest of the file as one
            // cell (helper-133: "the row has 1 cell"): said as such.
            Some(p)
                if text
                    .get(usize::try_from(p.byte()).unwrap_or(usize::MAX)..)
                    .is_some_and(|rest| rest.matches('"').count() % 2 == 1) =>
            {
                format!(
                    "line {}: a cell's opening quote `\"` is never closed, so the rest of the file was read as that cell; close the quote, or leave quotes out",
                    lines.at(p.byte())
                )
            }
            Some(p) => format!("line {}: {}", lines.at(p.byte()), unequal_lengths(&e)),
            None => e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        let cell = |i: usize| record.get(index[i]).unwrap_or("");
        let name = cell(0);
        if name.is_empty() {
            return Err(format!(
                "line {line}: the `trajectory` cell is empty; name the trajectory"
            ));
        }
        let year = year_of(cell(1)).ok_or_else(|| {
            format!(
                "line {line}: the year `{}` is not a whole year such as 2025",
                cell(1)
            )
        })?;
        if !(start..=end).contains(&year) {
            match &mut outside {
                Some(o) => o.rows += 1,
                None => {
                    outside = Some(RowsOutside {
                        rows: 1,
                        first_line: line,
                        first_year: year,
                    })
                }
            }
        }
        let mut values = [Decimal::ZERO; 4];
        for (k, value) in values.iter_mut().enumerate() {
            let (column, raw) = match k {
                3 => match cloud_spend {
                    Some(i) => ("cloud_spend", record.get(i).unwrap_or("")),
                    None => break,
                },
                _ => (COLUMNS[k + 2], cell(k + 2)),
            };
            *value = parse_csv_number(raw).map_err(|problem| match problem {
                NotExact::Unreadable => format!("line {line}: the {column} `{raw}` is not a number (write it like 12.5, with `.` as the decimal point)"),
                // As a number in the model file: never rounded, at most 1e18.
                _ => format!("line {line}: the {column} `{raw}` {}", problem.why()),
            })?;
            if column != "profit" && *value < Decimal::ZERO {
                return Err(format!(
                    "line {line}: the {column} {value} is negative; it must be 0 or more"
                ));
            }
        }
        // A name that is not plain text is refused on its line, before a gap in the years
        // of the name without it is found (helper-236: `c\0` on one row of `c` was "trajectory
        // `c` has no row for 2025").
        if !rows.contains_key(name)
            && let Some(c) = name.chars().find(|&c| super::parse::not_plain(c))
        {
            return Err(format!(
                "line {line}: the trajectory name {} holds {}; names must be plain text, without control, bidirectional formatting or line-separator characters",
                super::parse::quoted(&name.chars().take(60).collect::<String>()),
                super::parse::unplain_character(c)
            ));
        }
        // On its line (helper-266: the clash was found after the file was read, and said
        // without one).
        if !rows.contains_key(name) && taken.contains(name) {
            return Err(format!(
                "line {line}: trajectory `{}` has the name of a trajectory of the model file; names must be unique",
                crate::error::quoted(name)
            ));
        }
        if !rows.contains_key(name) && rows.len() == max_trajectories {
            // Refused as it is read: the rows of the trajectories past the bound are never
            // held.
            return Err(format!(
                "line {line}: trajectory `{name}` is one more than the {max_trajectories} this model can hold; a model may hold at most {} trajectory-years (trajectories times the years start_year..=end_year)",
                crate::model::MAX_TRAJECTORY_YEARS
            ));
        }
        let years = rows.entry(name.to_string()).or_default();
        if years.insert(year, values).is_some() {
            return Err(format!(
                "line {line}: trajectory `{name}` has year {year} twice"
            ));
        }
    }

    let mut out = Vec::with_capacity(rows.len());
    for (name, years) in rows {
        let mut revenue = Vec::new();
        let mut profit = Vec::new();
        let mut valuation = Vec::new();
        let mut spend = Vec::new();
        for year in start..=end {
            let [r, p, v, c] = years.get(&year).ok_or_else(|| {
                format!(
                    "trajectory `{}` has no row for {year}; its years must cover {start}..={end} without a gap",
                    crate::error::quoted(&name)
                )
            })?;
            revenue.push(*r);
            profit.push(*p);
            valuation.push(*v);
            spend.push(*c);
        }
        out.push(Trajectory {
            name,
            description: None,
            agi_year: None,
            spend: cloud_spend.map(|_| Spend::Amounts(spend)),
            source: TrajectorySource::Table {
                revenue,
                profit,
                valuation,
            },
        });
    }
    if out.is_empty() {
        return Err("it has no rows; give one row per trajectory and year".to_string());
    }
    Ok((out, outside))
}

/// A cell's number, exactly as the model file's numbers are read ([`exact_decimal`]: never
/// rounded; a leading `+` allowed).
///
/// ```
/// use stakeshift_core::model::parse_csv_number;
/// assert_eq!(parse_csv_number("+1.50").unwrap().to_string(), "1.50");
/// assert!(parse_csv_number("1_000").is_err()); // as in the file's check
/// assert!(parse_csv_number("2.12345678901234567890123456789").is_err()); // 29 digits
/// ```
pub fn parse_csv_number(raw: &str) -> Result<Decimal, NotExact> {
    let unsigned = raw.strip_prefix('+').unwrap_or(raw);
    if unsigned.len() < raw.len() && unsigned.starts_with(['+', '-']) {
        // `+-0.5`, `++1`: one sign only.
        return Err(NotExact::Unreadable);
    }
    exact_decimal(unsigned)
}

/// A year cell: a whole number, also written with a decimal point (`2025.0`: pandas writes
/// a column of years so where it holds an empty cell; helper-182), read exactly.
fn year_of(cell: &str) -> Option<Year> {
    cell.parse().ok().or_else(|| {
        let v = parse_csv_number(cell).ok()?;
        v.fract()
            .is_zero()
            .then(|| rust_decimal::prelude::ToPrimitive::to_i32(&v))
            .flatten()
    })
}
