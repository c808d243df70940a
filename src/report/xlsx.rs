//! `stakeshift.xlsx` (SPEC section 14): a workbook an analyst can audit and play with.
//!
//! Its sheets, in order:
//! - `Inputs`: the model's scalar inputs, one per row, named by the path `--set` would use
//!   (`equity.stake`, `profit_share.tiers[1].until.microsoft`); the cells of `discount_rate`
//!   and `valuation_year` carry workbook-wide defined names of the same spelling.
//! - `Summary` (the sheet it opens on): per trajectory the two NPVs, the advantage and the
//!   winner, all formulas on the trajectory sheets (the advantage summed from the yearly
//!   flows' differences, as the engine sums it), the winner by the SPEC's tie rule (the
//!   advantage rounds to zero at 6 places);
//! - one sheet per trajectory: the yearly rows of both regimes with the columns of
//!   `yearly.csv`, where `discount_factor` and `present_value` are formulas on those names,
//!   and beside them (columns U to W) each regime's terminal value and NPV, the NPV a formula.
//!
//! The columns, their number formats and the cells the formulas refer to come from the one
//! description of the outputs' columns ([`super::columns`]), found there by name.
//!
//! So changing `discount_rate` in a spreadsheet recomputes every discount factor, present
//! value, NPV, advantage and winner. The other inputs are shown for reference: they shape the
//! yearly flows, which the engine computed, so changing them needs a rerun.
//!
//! Every formula also stores the value the engine computed, so viewers that do not recalculate
//! still show the numbers. Numbers are written as numbers: the engine's `Decimal` becomes the
//! nearest `f64` here, at the file's boundary (an xlsx cell holds an IEEE double), through
//! its decimal text so the conversion is correctly rounded. Number formats only change how a
//! cell looks (amounts 2 places, rates and stakes as percentages), never the value.
//!
//! Text (a trajectory's or party's name) goes into string cells, which a spreadsheet never
//! evaluates, so a name such as `=HYPERLINK(...)` stays the text it is; text beyond Excel's
//! 32,767 characters for a cell is cut there (the CSV files keep it whole). Sheet names are
//! made legal for Excel (none of `[]:*?/\`, at most 31 characters, no apostrophe at either
//! end, unique ignoring case under either case mapping) and quoted wherever a formula names
//! them.
//!
//! The bytes depend only on the results: the document's creation time is fixed, and the zip
//! entries carry rust_xlsxwriter's fixed timestamp.
//!
//! The built-in model's workbook:
//!
//! ```
//! use stakeshift::report::xlsx;
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let comparison = stakeshift::compare::compare(&loaded.model, None).expect("it runs");
//! let bytes = xlsx::render(&loaded.model, &comparison, &[])?;
//! assert!(bytes.starts_with(b"PK\x03\x04")); // an xlsx file is a zip archive
//! // `Inputs`, `Summary` and one sheet per trajectory: 8 sheets for the 6 trajectories.
//! let has = |n: u32| {
//!     let name = format!("xl/worksheets/sheet{n}.xml");
//!     bytes.windows(name.len()).any(|w| w == name.as_bytes())
//! };
//! assert!(has(8) && !has(9));
//! // The same results give the same bytes: no clock in the file.
//! assert!(xlsx::render(&loaded.model, &comparison, &[])? == bytes);
//! // Sheet names legal for Excel, unique ignoring case (`Summary` is taken).
//! let names = xlsx::sheet_names(&["base", "a/b", "summary", "BASE"]);
//! assert_eq!(names, ["base", "a_b", "summary (2)", "BASE (2)"]);
//! # Ok::<(), stakeshift::Error>(())
//! ```

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
    XlsxError,
};

use crate::compare::Comparison;
use crate::engine::{Num, Regime, TrajectoryResult, YearRow};
use crate::error::Error;
use crate::model::{Model, RevenueShare, TrajectorySource};
use crate::overrides::{key_segment, name_segment};
use crate::report::columns::{self, COMPARISON, Column, REGIMES, Value};

/// The file name `compare --out` writes.
pub const FILE_NAME: &str = "stakeshift.xlsx";

/// The most trajectories a workbook holds, a sheet each beside Inputs and Summary: the xlsx
/// writer counts sheets in 16 bits, and a model of 65,534 trajectories or more made it
/// panic ("attempt to add with overflow", helper-151). (LibreOffice opens 10,000 sheets;
/// Excel as many as memory allows.)
pub const MAX_TRAJECTORY_SHEETS: usize = 65_000;

/// The sheets that are not trajectories.
pub const INPUTS_SHEET: &str = "Inputs";

/// Inputs in one block of `Inputs`' columns: a sheet's 1,048,576 rows less the header, an
/// empty row and the note below the first block.
const INPUTS_PER_BLOCK: usize = 1_048_576 - 3;
pub const SUMMARY_SHEET: &str = "Summary";

/// The columns of `Summary` after `trajectory`: those of `comparison.csv` through the winner
/// (the two NPVs, the advantage, the winner), described in [`columns::COMPARISON`].
const SUMMARY_SHOWN: &[Column<TrajectoryResult>] = COMPARISON
    .as_slice()
    .split_at(columns::position(&columns::names(&COMPARISON), "winner") + 1)
    .0;

/// The header of `Summary`.
pub const SUMMARY_COLUMNS: [&str; 1 + SUMMARY_SHOWN.len()] = {
    let mut names = [columns::TRAJECTORY.name; 1 + SUMMARY_SHOWN.len()];
    let mut i = 0;
    while i < SUMMARY_SHOWN.len() {
        names[1 + i] = SUMMARY_SHOWN[i].name;
        i += 1;
    }
    names
};

// Columns (0-based) that formulas refer to, found by name in the descriptions: on a
// trajectory sheet,
const COL_YEAR: u16 = columns::yearly_position("year") as u16;
const COL_CASH_FLOW: u16 = columns::yearly_position("cash_flow") as u16;
const COL_DISCOUNT_FACTOR: u16 = columns::yearly_position("discount_factor") as u16;
const COL_PRESENT_VALUE: u16 = columns::yearly_position("present_value") as u16;
// and on `Summary`.
const fn summary_position(name: &str) -> u16 {
    columns::position(&SUMMARY_COLUMNS, name) as u16
}
const SUMMARY_TRAJECTORY: u16 = summary_position(columns::TRAJECTORY.name);
const SUMMARY_NPV_PROFIT_SHARE: u16 = summary_position("npv_profit_share");
const SUMMARY_NPV_EQUITY: u16 = summary_position("npv_equity");
const SUMMARY_ADVANTAGE: u16 = summary_position("npv_advantage");
const SUMMARY_WINNER: u16 = summary_position("winner");
/// The NPV block sits right of the yearly rows, one blank column after them: regime,
/// terminal value, NPV, one row per regime under a header. Its regime column is headed
/// [`NPV_REGIME`], not `regime` as the yearly rows' is: a sheet made a table or a pivot
/// had the header twice (helper-193).
const NPV_REGIME: &str = "npv_regime";
const COL_NPV_REGIME: u16 = columns::YEARLY_HEADER.len() as u16 + 1;
const COL_TERMINAL_VALUE: u16 = COL_NPV_REGIME + 1;
const COL_NPV: u16 = COL_NPV_REGIME + 2;

/// Excel's limit on a sheet name's length.
const SHEET_NAME_MAX: usize = 31;

/// Excel's limit on a cell's text, in UTF-16 units (rust_xlsxwriter refuses longer text).
const CELL_TEXT_MAX: usize = 32_767;

/// The fixed creation time in the document properties (without it every run would stamp
/// the clock into the file and no two runs would be byte-identical).
const CREATED: (u16, u8, u8) = (2000, 1, 1);

/// How a value is shown: the kind decides the number format and the column width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Amount,
    /// A rate, share or stake: a fraction shown as a percentage.
    Rate,
    /// A discount factor: a plain ratio, shown to 6 places.
    Factor,
    Year,
    Text,
}

impl Kind {
    /// How a column of that format is shown.
    fn of(format: columns::Format) -> Kind {
        match format {
            columns::Format::Name | columns::Format::Text => Kind::Text,
            columns::Format::Year => Kind::Year,
            columns::Format::Amount | columns::Format::Advantage => Kind::Amount,
            columns::Format::Ratio => Kind::Rate,
            // (Inputs' values and solutions are not in the workbook.)
            columns::Format::Factor | columns::Format::Input | columns::Format::Solution => {
                Kind::Factor
            }
        }
    }
}

/// Each column of a trajectory sheet with its kind, in order.
fn yearly_kinds() -> impl Iterator<Item = (&'static str, Kind)> {
    let keys = columns::YEARLY_KEYS
        .iter()
        .map(|k| (k.name, Kind::of(k.format)));
    keys.chain(columns::YEARLY.iter().map(|c| (c.name, Kind::of(c.format))))
}

/// A number as the workbook holds it (NaN where there is none, which no column has).
fn number(value: Value) -> f64 {
    match value {
        Value::Decimal(Some(d)) => to_f64(d),
        Value::Integer(Some(n)) => n as f64,
        Value::Float(Some(f)) => f,
        _ => f64::NAN,
    }
}

/// The cell formats, one per kind, plus the header's.
struct Formats {
    /// The places amounts are shown to.
    places: u32,
    header: Format,
    amount: Format,
    rate: Format,
    factor: Format,
    year: Format,
    text: Format,
}

impl Formats {
    /// Amounts shown to `places` (the cells hold every digit; this is only their look).
    fn new(places: u32) -> Formats {
        let amount = format!("#,##0.{}", "0".repeat(places as usize));
        Formats {
            places,
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::Center),
            amount: Format::new().set_num_format(&amount),
            rate: Format::new().set_num_format("0.00%"),
            factor: Format::new().set_num_format("0.000000"),
            year: Format::new().set_num_format("0"),
            text: Format::new(),
        }
    }

    /// How many characters `value` takes shown in `kind`'s format: amounts to the places
    /// with thousands separators (`-1,234.56`), rates as percentages to 2 places, factors to
    /// 6 places, years as whole numbers. A column is sized to the widest of its cells
    /// (helper-234: NPVs of 3e12 and valuations of 1e12 showed as `###` in columns sized
    /// for 14 characters). The integer digits are counted from the value rounded up to the
    /// next place shown, so a carry (999.9999999 shown as 1,000.00) is counted; a count one
    /// too high costs a character of width, never a `###`.
    fn shown_chars(&self, value: f64, kind: Kind) -> usize {
        if !value.is_finite() {
            return 0;
        }
        let integer_digits = |v: f64, places: u32| {
            let v = v.abs() + 0.5 * 10f64.powi(-(places as i32));
            if v < 1.0 {
                1
            } else {
                v.log10().floor() as usize + 1
            }
        };
        let sign = usize::from(value < 0.0);
        let fraction = |places: u32| if places == 0 { 0 } else { places as usize + 1 };
        match kind {
            Kind::Amount => {
                let digits = integer_digits(value, self.places);
                sign + digits + (digits - 1) / 3 + fraction(self.places)
            }
            // "0.00%": the value times 100, two places and the sign.
            Kind::Rate => sign + integer_digits(value * 100.0, 2) + fraction(2) + 1,
            Kind::Factor => sign + integer_digits(value, 6) + fraction(6),
            Kind::Year => sign + integer_digits(value, 0),
            Kind::Text => 0,
        }
    }

    fn of(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Amount => &self.amount,
            Kind::Rate => &self.rate,
            Kind::Factor => &self.factor,
            Kind::Year => &self.year,
            Kind::Text => &self.text,
        }
    }
}

/// The engine's exact value as the nearest double ([`Num::to_f64`], correctly rounded).
pub fn to_f64(value: Decimal) -> f64 {
    Num::to_f64(value)
}

/// The discount factor of the year in cell `year`, (1+r)^-(year - valuation_year), as a
/// spreadsheet formula. The power itself where it is well inside a double, `^` being exact
/// where the factor is (2^10 = 1024: helper-259's flows of 2.56e20 that cancel came out
/// -65,535.999998 for an NPV of 0.000002 through EXP of the logarithm, whose rounding is
/// about |n ln(1+r)| units in the last place); beyond, EXP of its logarithm, which
/// underflows to 0 where the factor is below 1e-308 (a rate of 4 over 500 years; -0.9 with
/// the valuation year the last), while `1/(1+r)^n` overflows to #NUM! and, in LibreOffice,
/// so does `(1+r)^-n` (its `^` is an error on underflow). IF evaluates only the branch it
/// takes; `valuation_year-year` keeps the exponent free of a unary minus, which
/// spreadsheets bind differently.
fn discount_factor_formula(year: &str) -> String {
    let log = format!("(valuation_year-{year})*LN(1+discount_rate)");
    format!("IF(ABS({log})<700,(1+discount_rate)^(valuation_year-{year}),EXP({log}))")
}

/// A number as the text of a formula's stored result: the shortest text that reads back as
/// the same double, without an exponent.
fn result_text(value: f64) -> String {
    format!("{value}")
}

/// `stakeshift.xlsx` for `comparison` of `model`, as bytes.
/// `overridden_by`: the overrides the model was run with, each as given (`--set
/// cloud.margin=0`), said beside the Summary ([`crate::report::what_if_line`]).
pub fn render(
    model: &Model,
    comparison: &Comparison,
    overridden_by: &[String],
) -> Result<Vec<u8>, Error> {
    render_with(model, comparison, overridden_by, LOW_MEMORY_CELLS, None)
}

/// [`render`] with the size above which the trajectory sheets are written in low-memory
/// mode, and the directory for their temporary files (None: the system's): for the tests
/// that hold the two modes to the same cells and try the fallback.
#[doc(hidden)]
pub fn render_with(
    model: &Model,
    comparison: &Comparison,
    overridden_by: &[String],
    low_memory_cells: usize,
    tempdir: Option<&std::path::Path>,
) -> Result<Vec<u8>, Error> {
    let trajectories = comparison.trajectories.len();
    if trajectories > MAX_TRAJECTORY_SHEETS {
        return Err(Error::Usage(format!(
            "{FILE_NAME}: {trajectories} trajectories would make {trajectories} sheets; a workbook holds at most {MAX_TRAJECTORY_SHEETS} trajectories (a sheet each): choose fewer with --trajectory, or read every year of all of them from the CSV files (`compare --format csv --yearly`)"
        )));
    }
    let cells: usize = comparison
        .trajectories
        .iter()
        .map(|t| (t.profit_share.rows.len() + t.equity.rows.len()) * columns::YEARLY_HEADER.len())
        .sum();
    let built = if cells > low_memory_cells {
        // A large workbook's trajectory sheets keep one row in memory and the rest in
        // temporary files. Where none can be made (no writable temporary directory, no file
        // descriptor left), or a write to one fails (rust_xlsxwriter panics on a full
        // temporary directory), the workbook is built in memory after all.
        let low = through_expected_panics(|| {
            build(model, comparison, overridden_by, Sheets::LowMemory(tempdir))
        });
        match low {
            Ok(Err(XlsxError::TempFileError(..))) | Err(_) => {
                in_memory(model, comparison, overridden_by)?
            }
            Ok(built) => built,
        }
    } else {
        in_memory(model, comparison, overridden_by)?
    };
    built.map_err(|e| Error::Export {
        file: FILE_NAME.into(),
        message: e.to_string(),
    })
}

/// The workbook built in memory. rust_xlsxwriter assembles the sheets on threads of their
/// own and panics where the system gives none (a memory or process limit: helper-115);
/// that panic is an error here, said in one line, and any other panic goes on as it was
/// (its own payload, so that it is reported as what and where it was).
fn in_memory(
    model: &Model,
    comparison: &Comparison,
    overridden_by: &[String],
) -> Result<Result<Vec<u8>, XlsxError>, Error> {
    through_expected_panics(|| build(model, comparison, overridden_by, Sheets::InMemory)).map_err(
        |payload| {
            let said = crate::error::panic_message(&*payload).unwrap_or_default();
            if !said.contains("failed to spawn thread") {
                std::panic::resume_unwind(payload)
            }
            Error::Export {
                file: FILE_NAME.into(),
                message: "the threads the workbook writer needs could not be started (a memory or process limit: `ulimit -v`, `ulimit -u`)".into(),
            }
        },
    )
}

/// How many [`through_expected_panics`] are running, on any thread.
static EXPECTING_PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Whether a panic now may be one the workbook writer raises and this module handles (a
/// full temporary directory, a thread the system would not give): a panic hook that prints
/// Rust's report (the binary's, where RUST_BACKTRACE is set) leaves it out then, since the
/// run goes on or ends with its own one-line error. The hook is the binary's own; this
/// module never replaces it (helper-201: swapping the process's hook from a library
/// silenced every other thread's panics meanwhile).
pub fn panics_expected() -> bool {
    EXPECTING_PANICS.load(std::sync::atomic::Ordering::SeqCst) > 0
}

/// `run`, its panic caught, with [`panics_expected`] true meanwhile.
fn through_expected_panics<T>(run: impl FnOnce() -> T) -> std::thread::Result<T> {
    use std::sync::atomic::Ordering::SeqCst;
    EXPECTING_PANICS.fetch_add(1, SeqCst);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
    EXPECTING_PANICS.fetch_sub(1, SeqCst);
    result
}

/// The trajectory sheets' cells above which they are written in low-memory mode: 106
/// trajectories of 500 years (19 columns, two regimes), 400 MB held in memory (a workbook of 12.5 million cells, the
/// largest model's, took 2.3 GB). Below, the workbook is built in memory, and its bytes do
/// not depend on a temporary directory.
const LOW_MEMORY_CELLS: usize = 2_000_000;

/// How the trajectory sheets hold their cells until the workbook is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sheets<'a> {
    /// One row in memory, the rows before it in a temporary file (in this directory, or
    /// the system's): a 500-trajectory, 500-year model's workbook (12.5 million cells) took
    /// 2.3 GB in memory, 0.5 GB so.
    LowMemory(Option<&'a std::path::Path>),
    /// Every cell in memory.
    InMemory,
}

fn build(
    model: &Model,
    comparison: &Comparison,
    overridden_by: &[String],
    sheets: Sheets,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    if let Sheets::LowMemory(Some(dir)) = sheets {
        workbook.set_tempdir(dir)?;
    }
    // The places of `compare`'s table of NPVs: 2, or more for a deal small in its unit
    // (helper-153: its workbook showed 0.00 and 0.01 as the table did).
    let formats = Formats::new(crate::report::table::summary_places(comparison));
    let created = ExcelDateTime::from_ymd(CREATED.0, CREATED.1, CREATED.2)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(xml_legal(&model.name).as_ref())
            .set_comment("Written by stakeshift: discount factors, present values, NPVs, the advantage and the winner are formulas on the Inputs sheet's discount_rate and valuation_year.")
            .set_creation_datetime(&created),
    );

    let names: Vec<&str> = comparison
        .trajectories
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    let sheet_names = sheet_names(&names);

    let inputs = inputs(model);
    let sheet = workbook.add_worksheet();
    write_inputs(sheet, &inputs, &formats)?;
    for name in ["discount_rate", "valuation_year"] {
        let row = inputs
            .iter()
            .position(|i| i.path == name)
            .expect("both are always inputs");
        // Row + 2: one header row, and Excel counts from 1.
        workbook.define_name(name, &format!("={INPUTS_SHEET}!$B${}", row + 2))?;
    }

    let sheet = workbook.add_worksheet();
    write_summary(sheet, comparison, &sheet_names, &formats)?;
    // A what-if said beside the answer, right of its columns (helper-169: a workbook of
    // `--set cloud.margin=0` read as the sourced model's; the Inputs hold the values run).
    if let Some(line) = crate::report::what_if_line(overridden_by) {
        let col = SUMMARY_COLUMNS.len() as u16 + 1;
        write_text(sheet, 0, col, &line, None)?;
    }
    // The workbook opens on the answer.
    sheet.set_active(true);

    for (t, sheet_name) in comparison.trajectories.iter().zip(&sheet_names) {
        let sheet = match sheets {
            Sheets::LowMemory(_) => workbook.add_worksheet_with_low_memory()?,
            Sheets::InMemory => workbook.add_worksheet(),
        };
        sheet.set_name(sheet_name)?;
        write_trajectory(sheet, t, &formats)?;
    }

    workbook.save_to_buffer()
}

/// One row of `Inputs`.
struct Input {
    path: String,
    value: InputValue,
    /// What the number is in: the model's unit for amounts, "fraction" for rates, ...
    unit: String,
}

enum InputValue {
    Number(Decimal, Kind),
    Text(String),
    Bool(bool),
}

/// The texts the workbook cuts at the 32,767 characters a cell holds: names of `model` (its
/// own, its unit, its trajectories', parties' and tiers' names), each once, and the `Inputs` cells that a name of its own length would not fill
/// but whose path adds to it (helper-130: `trajectories[NAME].agi_year` of a 32,760-letter
/// name was cut with no word), for a warning (helper-126): how many, and the first,
/// shortened for a message.
pub fn texts_cut(model: &Model) -> (usize, Option<String>) {
    let too_long = |t: &&str| t.encode_utf16().count() > CELL_TEXT_MAX;
    // (Each text once: a unit equal to the model's name is one text. Descriptions are not
    // in the workbook; helper-131.)
    let mut seen = std::collections::HashSet::new();
    let names: Vec<&str> = [model.name.as_str(), model.unit.as_str()]
        .into_iter()
        .chain(model.trajectories.iter().map(|t| t.name.as_str()))
        .chain(model.parties.iter().map(String::as_str))
        .chain(model.profit_share.tiers.iter().map(|t| t.name.as_str()))
        .filter(too_long)
        .filter(|t| seen.insert(*t))
        .collect();
    let inputs = inputs(model);
    let cells = inputs
        .iter()
        .flat_map(|i| {
            let value = match &i.value {
                InputValue::Text(s) => Some(s.as_str()),
                _ => None,
            };
            [Some(i.path.as_str()), value, Some(i.unit.as_str())]
        })
        .flatten()
        .filter(too_long)
        // A cell that is a long name itself is counted as that name; each text once.
        .filter(|t| !names.contains(t))
        .filter(|t| seen.insert(*t));
    let mut cut = names.iter().copied().chain(cells);
    let first = cut
        .next()
        .map(|t| format!("{}...", t.chars().take(40).collect::<String>()));
    (first.iter().count() + cut.count(), first)
}

/// The model's scalar inputs, in the order of the model file, named as `--set` names them.
fn inputs(model: &Model) -> Vec<Input> {
    let unit = model.unit.as_str();
    let mut out = Vec::new();
    let text = |path: String, value: &str| Input {
        path,
        value: InputValue::Text(value.to_string()),
        unit: String::new(),
    };
    out.push(text("name".into(), &model.name));
    out.push(text("unit".into(), unit));
    let year = |path: &str, y: i32| Input {
        path: path.to_string(),
        value: InputValue::Number(Decimal::from(y), Kind::Year),
        unit: "year".into(),
    };
    let amount = |path: String, v: Decimal| Input {
        path,
        value: InputValue::Number(v, Kind::Amount),
        unit: unit.to_string(),
    };
    let rate = |path: String, v: Decimal| Input {
        path,
        value: InputValue::Number(v, Kind::Rate),
        unit: "fraction (shown as %)".into(),
    };
    let flag = |path: String, v: bool| Input {
        path,
        value: InputValue::Bool(v),
        unit: String::new(),
    };
    out.push(year("start_year", model.start_year));
    out.push(year("end_year", model.end_year));
    out.push(year("valuation_year", model.valuation_year));
    out.push(rate("discount_rate".into(), model.discount_rate));
    out.push(text(
        "investor.party".into(),
        model.party_name(model.investor.party),
    ));
    for (i, c) in model.investor.contributions.iter().enumerate() {
        // The amount's own path (a contribution is `[year, amount]`), so that the label is a
        // `--set` path for the value beside it; the year goes in the unit.
        let mut row = amount(format!("investor.contributions[{i}][1]"), c.amount);
        row.unit = format!("{unit}, paid in {}", c.year);
        out.push(row);
    }

    let ps = &model.profit_share;
    out.push(text(
        "profit_share.residual".into(),
        model.party_name(ps.residual),
    ));
    out.push(flag(
        "profit_share.loss_carryforward".into(),
        ps.loss_carryforward,
    ));
    out.push(flag(
        "profit_share.investor_rights_end_at_agi".into(),
        ps.investor_rights_end_at_agi,
    ));
    for (i, tier) in ps.tiers.iter().enumerate() {
        let at = format!("profit_share.tiers[{i}]");
        out.push(text(format!("{at}.name"), &tier.name));
        for (party, share) in &tier.shares {
            out.push(rate(
                format!("{at}.shares.{}", key_segment(model.party_name(*party))),
                *share,
            ));
        }
        for (party, until) in &tier.until {
            out.push(amount(
                format!("{at}.until.{}", key_segment(model.party_name(*party))),
                *until,
            ));
        }
        out.push(rate(format!("{at}.cap_growth"), tier.cap_growth));
        out.push(year(&format!("{at}.cap_growth_from"), tier.cap_growth_from));
    }
    let revenue_share = |out: &mut Vec<Input>, at: &str, rs: &RevenueShare| {
        out.push(rate(format!("{at}.rate"), rs.rate));
        out.push(year(&format!("{at}.from"), rs.from));
        out.push(year(&format!("{at}.until"), rs.until));
        if let Some(cap) = rs.total_cap {
            out.push(amount(format!("{at}.total_cap"), cap));
        }
        out.push(flag(format!("{at}.ends_at_agi"), rs.ends_at_agi));
    };
    if let Some(rs) = &ps.revenue_share {
        revenue_share(&mut out, "profit_share.revenue_share", rs);
    }

    let eq = &model.equity;
    out.push(year("equity.from_year", eq.from_year));
    out.push(rate("equity.stake".into(), eq.stake));
    out.push(rate("equity.dividend_payout".into(), eq.dividend_payout));
    out.push(rate(
        "equity.terminal_discount".into(),
        eq.terminal_discount,
    ));
    for (i, round) in eq.rounds.iter().enumerate() {
        let at = format!("equity.rounds[{i}]");
        out.push(year(&format!("{at}.year"), round.year));
        out.push(amount(format!("{at}.raise"), round.raise));
        if let Some(pre) = round.pre_money {
            out.push(amount(format!("{at}.pre_money"), pre));
        }
        out.push(amount(format!("{at}.participation"), round.participation));
    }
    if let Some(rs) = &eq.revenue_share {
        revenue_share(&mut out, "equity.revenue_share", rs);
    }
    // The cloud side's scalars (its series, like the trajectories', are not inputs here).
    if let Some(cloud) = &model.cloud {
        out.push(rate("cloud.margin".into(), cloud.margin));
        for (at, terms) in [
            ("profit_share.cloud", &cloud.profit_share),
            ("equity.cloud", &cloud.equity),
        ] {
            if let Some(c) = terms.as_ref().and_then(|t| t.commitment) {
                out.push(amount(format!("{at}.commitment.total"), c.total));
                out.push(year(&format!("{at}.commitment.from"), c.from));
                out.push(year(&format!("{at}.commitment.until"), c.until));
            }
        }
    }
    // The file the CSV trajectories were read from (helper-126: its name was nowhere in the
    // workbook), where the model names one, before the trajectories' own inputs.
    if let Some(file) = &model.trajectories_csv {
        out.push(text("trajectories_csv".into(), file));
    }
    for t in &model.trajectories {
        let at = format!("trajectories{}", name_segment(&t.name));
        if let Some(agi) = t.agi_year {
            out.push(year(&format!("{at}.agi_year"), agi));
        }
        // Revenue's and valuation's growth after their last point, 0 included (helper-126:
        // the growth assumptions were nowhere in the workbook; helper-169: a growth of 0
        // written in the file was left out, where "every scalar input" is listed; the
        // points are the yearly rows). A margin-like series' growth has no effect (SPEC 2), so it is not an input.
        if let TrajectorySource::Series {
            revenue, valuation, ..
        } = &t.source
        {
            for (key, s) in [("revenue", revenue), ("valuation", valuation)] {
                out.push(rate(format!("{at}.{key}.growth"), s.growth));
            }
        }
    }
    // `[simulation]`'s scalars, defaults included, where any differs from its default: what
    // `simulate` on it draws (helper-117: SPEC 14's "scalar inputs" had none of them). A
    // model that sets none is left without (each row is a `--set` path, and `--set` adds a
    // key only to a table the file has).
    let sim = &model.simulation;
    if *sim == crate::model::Simulation::default() {
        return out;
    }
    let whole = |path: &str, v: u64, unit: &str| Input {
        path: path.to_string(),
        // A double holds whole numbers exactly to 2^53; a seed beyond is text, not rounded.
        value: if v <= 1 << 53 {
            InputValue::Number(Decimal::from(v), Kind::Year)
        } else {
            InputValue::Text(v.to_string())
        },
        unit: unit.to_string(),
    };
    let ratio = |path: String, v: Decimal, unit: &str| Input {
        path,
        value: InputValue::Number(v, Kind::Factor),
        unit: unit.to_string(),
    };
    out.push(whole("simulation.paths", sim.paths, "paths"));
    out.push(whole("simulation.seed", sim.seed, "seed"));
    if let Some(from) = sim.from_year {
        out.push(year("simulation.from_year", from));
    }
    if let Some(weights) = &sim.weights {
        for (t, w) in model.trajectories.iter().zip(weights) {
            out.push(ratio(
                format!("simulation.weights.{}", key_segment(&t.name)),
                *w,
                "weight (relative)",
            ));
        }
    }
    for (key, v) in [
        ("revenue_vol", sim.revenue_vol),
        ("revenue_persistence", sim.revenue_persistence),
        ("margin_vol", sim.margin_vol),
        ("margin_persistence", sim.margin_persistence),
    ] {
        out.push(rate(format!("simulation.{key}"), v));
    }
    out.push(ratio(
        "simulation.valuation_beta".into(),
        sim.valuation_beta,
        "ratio",
    ));
    for (key, v) in [
        ("valuation_vol", sim.valuation_vol),
        ("valuation_persistence", sim.valuation_persistence),
        ("agi_hazard", sim.agi_hazard),
        ("failure_hazard", sim.failure_hazard),
    ] {
        out.push(rate(format!("simulation.{key}"), v));
    }
    out
}

fn write_header(
    sheet: &mut Worksheet,
    columns: &[&str],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (col, name) in columns.iter().enumerate() {
        write_text(sheet, 0, col as u16, name, Some(&formats.header))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A column wide enough for its header and for `content` columns of text.
fn set_width(
    sheet: &mut Worksheet,
    col: u16,
    header: &str,
    content: usize,
) -> Result<(), XlsxError> {
    let chars = super::display_width(header).max(content).clamp(8, 60);
    sheet.set_column_width(col, chars as f64 + 2.0)?;
    Ok(())
}

fn write_inputs(
    sheet: &mut Worksheet,
    inputs: &[Input],
    formats: &Formats,
) -> Result<(), XlsxError> {
    write_inputs_in_blocks(sheet, inputs, formats, INPUTS_PER_BLOCK)
}

/// [`write_inputs`], `per_block` inputs to a block of columns (a test's few).
fn write_inputs_in_blocks(
    sheet: &mut Worksheet,
    inputs: &[Input],
    formats: &Formats,
    per_block: usize,
) -> Result<(), XlsxError> {
    sheet.set_name(INPUTS_SHEET)?;
    // The header stays in view, as on the other sheets (helper-135: it scrolled away).
    sheet.set_freeze_panes(1, 0)?;
    let header = ["input", "value", "unit"];
    // More inputs than a sheet has rows (a tier of a million parties, which the model
    // allows) go on in the next columns, header and all: they failed the whole of
    // `compare --out` (helper-126). Three columns a block and one empty between blocks.
    let blocks = inputs.len().div_ceil(per_block).max(1);
    for block in 0..blocks {
        let first_col = (block * 4) as u16;
        for (k, name) in header.iter().enumerate() {
            sheet.write_string_with_format(0, first_col + k as u16, *name, &formats.header)?;
        }
    }
    for (i, input) in inputs.iter().enumerate() {
        let row = (i % per_block) as u32 + 1;
        let col = ((i / per_block) * 4) as u16;
        write_text(sheet, row, col, &input.path, None)?;
        match &input.value {
            InputValue::Number(v, kind) => {
                sheet.write_number_with_format(row, col + 1, to_f64(*v), formats.of(*kind))?;
            }
            InputValue::Text(s) => {
                write_text(sheet, row, col + 1, s, None)?;
            }
            InputValue::Bool(b) => {
                sheet.write_boolean(row, col + 1, *b)?;
            }
        }
        write_text(sheet, row, col + 2, &input.unit, None)?;
    }
    let note_row = inputs.len().min(per_block) as u32 + 2;
    write_text(
        sheet,
        note_row,
        0,
        "discount_rate and valuation_year drive every discount factor, present value, NPV, advantage and winner in this workbook: change them here and the workbook recomputes. The other inputs shape the yearly flows the engine computed; to change those, rerun stakeshift (compare --out).",
        None,
    )?;
    let widest = |f: &dyn Fn(&Input) -> usize| inputs.iter().map(f).max().unwrap_or(0);
    let widths = [
        widest(&|i| super::display_width(&i.path)),
        widest(&|i| match &i.value {
            InputValue::Text(s) => super::display_width(s),
            InputValue::Number(v, kind) => formats.shown_chars(to_f64(*v), *kind).max(14),
            InputValue::Bool(_) => 14,
        }),
        widest(&|i| super::display_width(&i.unit)),
    ];
    for block in 0..blocks {
        for (k, width) in widths.iter().enumerate() {
            set_width(sheet, (block * 4 + k) as u16, header[k], *width)?;
        }
    }
    Ok(())
}

/// Every text cell of the workbook is written here: cut to Excel's limit for a cell's text,
/// 32,767 UTF-16 units as rust_xlsxwriter counts them (an emoji is two), never inside a
/// character. Only the workbook is cut: a model's names have no limit, and the CSV and JSON
/// files keep them whole; without the cut a longer name failed the whole of `compare --out`.
fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let text = cut_utf16(text, CELL_TEXT_MAX);
    match format {
        Some(format) => sheet.write_string_with_format(row, col, text, format)?,
        None => sheet.write_string(row, col, text)?,
    };
    Ok(())
}

/// The longest start of `s` that is at most `units` UTF-16 units long (Excel counts text in
/// those: an emoji is two), never cut inside a character.
fn cut_utf16(s: &str, units: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &s[..i];
        }
    }
    s
}

/// `s` with the characters XML 1.0 does not allow in a document, U+FFFE and U+FFFF, as
/// U+FFFD (the replacement character). The model refuses control characters in its text but
/// not these two; rust_xlsxwriter escapes them in cells (`_xFFFF_`) but writes text in XML
/// attributes (a sheet's name in `xl/workbook.xml`) as it is, which made the file malformed.
fn xml_legal(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(is_xml_illegal) {
        s.chars()
            .map(|c| if is_xml_illegal(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// A character XML 1.0 forbids that a model's text may hold (it refuses control characters).
fn is_xml_illegal(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// A cell's A1 name, relative (`P2`).
fn cell(row: u32, col: u16) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

fn column_letters(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// The row of a regime's line in a trajectory sheet's NPV block.
fn npv_row(regime: Regime) -> u32 {
    match regime {
        Regime::ProfitShare => 1,
        Regime::Equity => 2,
    }
}

fn write_trajectory(
    sheet: &mut Worksheet,
    t: &TrajectoryResult,
    formats: &Formats,
) -> Result<(), XlsxError> {
    // The sheet keeps one row in memory (`add_worksheet_with_low_memory`: a 500-trajectory,
    // 500-year model's workbook held 12.5 million cells, 2 GB), so everything is written in
    // row order: the header row, then each yearly row with the NPV block's line that sits
    // beside it (rows 1 and 2, one per regime).
    write_header(sheet, &columns::YEARLY_HEADER, formats)?;
    let npv_block = [
        (COL_NPV_REGIME, NPV_REGIME),
        (COL_TERMINAL_VALUE, columns::TERMINAL_VALUE),
        (COL_NPV, columns::NPV),
    ];
    for (col, name) in npv_block {
        write_text(sheet, 0, col, name, Some(&formats.header))?;
    }
    // Keep the trajectory, regime and year in view when scrolling right.
    sheet.set_freeze_panes(1, columns::YEARLY_KEYS.len() as u16)?;
    // Each column's number format is the column's, which its cells written without a format
    // take (rust_xlsxwriter writes it into each cell): looking a cell's format up by value
    // hashed the whole `Format` once a cell, a third of the time of a large workbook (500
    // trajectories of 500 years).
    for (col, (_, kind)) in yearly_kinds().enumerate() {
        if kind != Kind::Text {
            sheet.set_column_format(col as u16, formats.of(kind))?;
        }
    }
    let spans = regime_spans(t);
    let kinds: Vec<Kind> = yearly_kinds().map(|(_, kind)| kind).collect();
    // The widest number of each column, in characters (the columns are sized once the rows
    // are written: the widths go into the file when it is saved).
    let mut widths = vec![14; usize::from(COL_NPV) + 1];
    let mut row = 1u32;
    for regime in REGIMES {
        for r in &t.regime(regime).rows {
            write_yearly_row(sheet, row, &t.name, regime, r, &kinds, formats, &mut widths)?;
            if let Some(&(block, first, last)) = spans.iter().find(|(g, _, _)| npv_row(*g) == row) {
                write_npv_line(sheet, t, block, first, last, formats, &mut widths)?;
            }
            row += 1;
        }
    }
    for (col, (name, kind)) in yearly_kinds().enumerate() {
        let content = match kind {
            Kind::Text => super::display_width(&t.name).max("profit_share".len()),
            Kind::Year => 4,
            _ => widths[col],
        };
        set_width(sheet, col as u16, name, content)?;
    }
    for (col, name) in npv_block {
        set_width(sheet, col, name, widths[usize::from(col)])?;
    }
    Ok(())
}

/// Each regime's first and last row on a trajectory sheet (0-based; every regime has a row
/// for every year, at least one), in [`REGIMES`]' order.
fn regime_spans(t: &TrajectoryResult) -> Vec<(Regime, u32, u32)> {
    let mut spans = Vec::with_capacity(REGIMES.len());
    let mut next = 1u32;
    for regime in REGIMES {
        let rows = t.regime(regime).rows.len() as u32;
        spans.push((regime, next, next + rows.max(1) - 1));
        next += rows;
    }
    spans
}

/// `Summary`'s advantage of trajectory `t` (sheet `sheet`, quoted), as the engine computes
/// it: the yearly cash flows' differences, discounted, plus the terminal values'
/// difference at the last year's factor. Where both regimes' NPVs are huge beside their
/// difference (flows common to both, such as contributions at a discount factor of 1e15),
/// the difference of the NPVs (`C2-B2`) keeps nothing of it in doubles, and LibreOffice
/// makes it 0 and a tie (helper-159); a flow's difference is 0 wherever the two regimes
/// agree, exactly. `None` where the regimes' rows are not year for year alike.
fn advantage_formula(t: &TrajectoryResult, sheet: &str) -> Option<String> {
    let spans = regime_spans(t);
    let span = |regime: Regime| spans.iter().find(|(r, _, _)| *r == regime).copied();
    let (_, first_a, last_a) = span(Regime::ProfitShare)?;
    let (_, first_b, last_b) = span(Regime::Equity)?;
    let years = |r: Regime| t.regime(r).rows.iter().map(|row| row.year);
    if last_a - first_a != last_b - first_b || !years(Regime::ProfitShare).eq(years(Regime::Equity))
    {
        return None;
    }
    let range = |col: u16, first: u32, last: u32| {
        format!("{sheet}!{}:{}", cell(first, col), cell(last, col))
    };
    let terminal =
        |regime: Regime| format!("{sheet}!{}", cell(npv_row(regime), COL_TERMINAL_VALUE));
    Some(format!(
        "=SUMPRODUCT({}-{},{})+({}-{})*{sheet}!{}",
        range(COL_CASH_FLOW, first_b, last_b),
        range(COL_CASH_FLOW, first_a, last_a),
        range(COL_DISCOUNT_FACTOR, first_b, last_b),
        terminal(Regime::Equity),
        terminal(Regime::ProfitShare),
        cell(last_b, COL_DISCOUNT_FACTOR),
    ))
}

/// One yearly row of a trajectory sheet: the columns of `yearly.csv`, with the discount
/// factor and the present value as formulas. `widths` keeps each column's widest number
/// shown (`kinds`: each column's kind).
#[allow(clippy::too_many_arguments)]
fn write_yearly_row(
    sheet: &mut Worksheet,
    row: u32,
    trajectory: &str,
    regime: Regime,
    r: &YearRow,
    kinds: &[Kind],
    formats: &Formats,
    widths: &mut [usize],
) -> Result<(), XlsxError> {
    let keys = columns::yearly_keys(trajectory, regime, r);
    let values = columns::YEARLY.iter().map(|c| (c.value)(r));
    for (col, value) in keys.into_iter().chain(values).enumerate() {
        if !matches!(value, Value::Text(_)) {
            let shown = formats.shown_chars(number(value), kinds[col]);
            widths[col] = widths[col].max(shown);
        }
        let col = col as u16;
        match (col, value) {
            (_, Value::Text(text)) => {
                write_text(sheet, row, col, text, None)?;
            }
            (COL_DISCOUNT_FACTOR, value) => {
                let formula = format!("={}", discount_factor_formula(&cell(row, COL_YEAR)));
                let value = Formula::new(formula).set_result(result_text(number(value)));
                sheet.write_formula(row, col, value)?;
            }
            (COL_PRESENT_VALUE, value) => {
                let formula = format!(
                    "={}*{}",
                    cell(row, COL_CASH_FLOW),
                    cell(row, COL_DISCOUNT_FACTOR)
                );
                let value = Formula::new(formula).set_result(result_text(number(value)));
                sheet.write_formula(row, col, value)?;
            }
            (_, value) => {
                sheet.write_number(row, col, number(value))?;
            }
        }
    }
    Ok(())
}

/// A regime's line of the NPV block, right of the yearly rows: the regime, its terminal
/// value, and its NPV as the sum of its rows' present values (rows `first..=last`) plus the
/// terminal value discounted with the last row's factor.
fn write_npv_line(
    sheet: &mut Worksheet,
    t: &TrajectoryResult,
    regime: Regime,
    first: u32,
    last: u32,
    formats: &Formats,
    widths: &mut [usize],
) -> Result<(), XlsxError> {
    let result = t.regime(regime);
    let row = npv_row(regime);
    for (col, value) in [
        (COL_TERMINAL_VALUE, result.measures.terminal_value),
        (COL_NPV, result.measures.npv),
    ] {
        let col = usize::from(col);
        widths[col] = widths[col].max(formats.shown_chars(to_f64(value), Kind::Amount));
    }
    write_text(sheet, row, COL_NPV_REGIME, regime.as_str(), None)?;
    sheet.write_number_with_format(
        row,
        COL_TERMINAL_VALUE,
        to_f64(result.measures.terminal_value),
        &formats.amount,
    )?;
    let formula = format!(
        "=SUM({}:{})+{}*{}",
        cell(first, COL_PRESENT_VALUE),
        cell(last, COL_PRESENT_VALUE),
        cell(row, COL_TERMINAL_VALUE),
        cell(last, COL_DISCOUNT_FACTOR),
    );
    let value = Formula::new(formula).set_result(result_text(to_f64(result.measures.npv)));
    sheet.write_formula_with_format(row, COL_NPV, value, &formats.amount)?;
    Ok(())
}

/// A sheet name quoted for a formula: `'it''s'`.
fn quoted(sheet: &str) -> String {
    format!("'{}'", sheet.replace('\'', "''"))
}

fn write_summary(
    sheet: &mut Worksheet,
    comparison: &Comparison,
    sheet_names: &[String],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(SUMMARY_SHEET)?;
    write_header(sheet, &SUMMARY_COLUMNS, formats)?;
    let mut widths = vec![14; SUMMARY_COLUMNS.len()];
    for (i, (t, name)) in comparison.trajectories.iter().zip(sheet_names).enumerate() {
        let row = i as u32 + 1;
        let npv = |regime| format!("={}!{}", quoted(name), cell(npv_row(regime), COL_NPV));
        write_text(sheet, row, SUMMARY_TRAJECTORY, &t.name, None)?;
        for c in SUMMARY_SHOWN {
            let col = summary_position(c.name);
            let value = number((c.value)(t));
            let shown = formats.shown_chars(value, Kind::of(c.format));
            widths[usize::from(col)] = widths[usize::from(col)].max(shown);
            let result = result_text(value);
            let format = formats.of(Kind::of(c.format));
            match col {
                SUMMARY_NPV_PROFIT_SHARE => {
                    let npv_a = Formula::new(npv(Regime::ProfitShare)).set_result(result);
                    sheet.write_formula_with_format(row, col, npv_a, format)?;
                }
                SUMMARY_NPV_EQUITY => {
                    let npv_b = Formula::new(npv(Regime::Equity)).set_result(result);
                    sheet.write_formula_with_format(row, col, npv_b, format)?;
                }
                SUMMARY_ADVANTAGE => {
                    let formula = advantage_formula(t, &quoted(name)).unwrap_or_else(|| {
                        format!(
                            "={}-{}",
                            cell(row, SUMMARY_NPV_EQUITY),
                            cell(row, SUMMARY_NPV_PROFIT_SHARE)
                        )
                    });
                    let advantage = Formula::new(formula).set_result(result);
                    sheet.write_formula_with_format(row, col, advantage, format)?;
                }
                SUMMARY_WINNER => {
                    // The SPEC's tie: the advantage rounds to zero at 6 places (ROUND rounds
                    // half away from zero, as the engine does).
                    let d = cell(row, SUMMARY_ADVANTAGE);
                    let winner = Formula::new(format!(
                        "=IF(ROUND({d},6)=0,\"tie\",IF({d}>0,\"equity\",\"profit_share\"))"
                    ))
                    .set_result(c.text(t));
                    sheet.write_formula(row, col, winner)?;
                }
                _ => unreachable!("a column of Summary without a formula: {}", c.name),
            }
        }
    }
    let longest = comparison
        .trajectories
        .iter()
        .map(|t| super::display_width(&t.name))
        .max()
        .unwrap_or(0);
    set_width(
        sheet,
        SUMMARY_TRAJECTORY,
        SUMMARY_COLUMNS[usize::from(SUMMARY_TRAJECTORY)],
        longest,
    )?;
    for c in SUMMARY_SHOWN {
        let col = summary_position(c.name);
        set_width(sheet, col, c.name, widths[usize::from(col)])?;
    }
    Ok(())
}

/// Legal, unique sheet names for the trajectories, in their order: Excel's forbidden
/// characters `[]:*?/\` (and control characters, and U+FFFE and U+FFFF, which XML forbids)
/// become `_`, apostrophes at either end are dropped and any other becomes `’`, names are cut to 31 characters (as
/// Excel counts them, in UTF-16 units: an emoji is two), and a name the same ignoring case
/// as an earlier one, as `Inputs`, `Summary` or Excel's reserved `History` gets ` (2)`,
/// ` (3)`...
///
/// "The same ignoring case" is either case mapping: two names are the same when they agree
/// lower-cased then upper-cased, or upper-cased then lower-cased (`case_keys`). Lower-casing
/// alone kept `YILDIZ` and `Yıldız` (also `Σ` and `ς`, `ﬀ` and `FF`) apart, which
/// LibreOffice, comparing upper-cased, takes for one sheet: it renamed one on load and
/// `Summary`'s formulas read the other trajectory's NPVs. The lunate sigma `ϲ` (and its
/// capital) is taken for `σ`, as LibreOffice takes it (helper-109).
///
/// Three more changes keep `Summary`'s formulas (`='NAME'!W2`) and the sheet's own name
/// true to the trajectory's (helper-109; the workbook writer's formula parser knows nothing
/// of quoted sheet names): `"` becomes `_` (a `"` after a capital letter moved the letters
/// before it to after it: `'A"b'!W2` was written `'"b'!W2A"b'!W2`); a `(` right after a
/// capital letter, a digit or a dot gets a space before it (`BASE(2030)` was taken for
/// Excel's BASE function and written `'_xlfn.BASE(2030)'!W2`); and `_xHHHH_`, which the
/// workbook's XML reads as an escaped character (a sheet `_x0041_` opened as `A`), has its
/// first `_` written `-`.
pub fn sheet_names(trajectories: &[&str]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    for reserved in [INPUTS_SHEET, SUMMARY_SHEET, "History"] {
        taken.extend(case_keys(reserved));
    }
    let mut out = Vec::with_capacity(trajectories.len());
    for name in trajectories {
        let cleaned: String = name
            .chars()
            .map(|c| {
                if "[]:*?/\\\"".contains(c) || c.is_control() || is_xml_illegal(c) {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let cleaned = without_xml_escapes(&apart_from_functions(&cleaned));
        // Apostrophes at either end dropped, one inside the typographic ’ (U+2019):
        // Gnumeric reads no doubled apostrophe in a quoted sheet name (`'O''Neil'!W2`,
        // valid OOXML, which Excel and LibreOffice read), and the Summary's row of such a
        // trajectory lost its NPVs there (helper-290); `_` took the sheet name of another
        // trajectory, `a_b` beside `a'b` (helper-292).
        let mut base = cleaned.trim_matches('\'').replace('\'', "\u{2019}");
        if base.trim().is_empty() {
            base = "trajectory".into();
        }
        // The name cut to `room` units (it holds no apostrophe, which cutting could leave
        // at its end).
        let fit = |room: usize| {
            let cut = cut_utf16(&base, room);
            if cut.is_empty() { "trajectory" } else { cut }.to_string()
        };
        let mut candidate = fit(SHEET_NAME_MAX);
        let mut n = 2;
        while case_keys(&candidate).iter().any(|k| taken.contains(k)) {
            let suffix = format!(" ({n})");
            candidate = format!("{}{suffix}", fit(SHEET_NAME_MAX - suffix.len()));
            n += 1;
        }
        taken.extend(case_keys(&candidate));
        out.push(candidate);
    }
    out
}

/// `name` with a space before each `(` that follows a capital letter, a digit or a dot, so
/// that no part of it reads as a function's name to the workbook writer's formula parser.
fn apart_from_functions(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut previous = None;
    for c in name.chars() {
        if c == '('
            && previous
                .is_some_and(|p: char| p.is_ascii_uppercase() || p.is_ascii_digit() || p == '.')
        {
            out.push(' ');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// `name` with the first `_` of each `_xHHHH_` (or `_XHHHH_`) written `-`: the workbook's
/// XML reads `_xHHHH_` in a sheet's name as the character HHHH.
fn without_xml_escapes(name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    for i in 0..chars.len() {
        let escape = chars.get(i..i + 7).is_some_and(|w| {
            w[0] == '_'
                && (w[1] == 'x' || w[1] == 'X')
                && w[2..6].iter().all(char::is_ascii_hexdigit)
                && w[6] == '_'
        });
        if escape {
            chars[i] = '-';
        }
    }
    chars.into_iter().collect()
}

/// The two keys under which a sheet name is taken: lower-cased then upper-cased, and
/// upper-cased then lower-cased. Two names clash when either key is the same (`Yıldız` and
/// `YILDIZ` upper-case alike; so do `ς` and `Σ`, `ﬀ` and `FF`). The keys are kept apart by
/// a tag, so that one name's first key never meets another's second.
fn case_keys(name: &str) -> [(bool, String); 2] {
    // The lunate sigma and its capital, which LibreOffice takes for sigma.
    let name: String = name
        .chars()
        .map(|c| match c {
            '\u{03F2}' => '\u{03C3}',
            '\u{03F9}' => '\u{03A3}',
            c => c,
        })
        .collect();
    [
        (false, name.to_lowercase().to_uppercase()),
        (true, name.to_uppercase().to_lowercase()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// helper-126: a tier of 1.1 million parties (a valid model) has more inputs than a
    /// sheet has rows, and `compare --out` failed ("Row or column exceeds Excel's allowed
    /// limits") with no file written. The inputs go on in the next columns, header and all;
    /// here with three to a block.
    #[test]
    fn regression_more_inputs_than_rows_go_on_in_the_next_columns() {
        use calamine::{Data, Reader};
        let inputs: Vec<Input> = (0..8)
            .map(|k| Input {
                path: format!("p{k}"),
                value: InputValue::Number(Decimal::from(k), Kind::Amount),
                unit: "u".into(),
            })
            .collect();
        let mut workbook = Workbook::new();
        let formats = Formats::new(2);
        let sheet = workbook.add_worksheet();
        write_inputs_in_blocks(sheet, &inputs, &formats, 3).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let mut read: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = read.worksheet_range(INPUTS_SHEET).unwrap();
        let at = |row: u32, col: u32| range.get_value((row, col)).cloned().unwrap_or(Data::Empty);
        for block in 0..3u32 {
            assert_eq!(at(0, 4 * block), Data::String("input".into()));
            assert_eq!(at(0, 4 * block + 2), Data::String("unit".into()));
        }
        for k in 0..8u32 {
            let (row, col) = (k % 3 + 1, (k / 3) * 4);
            assert_eq!(at(row, col), Data::String(format!("p{k}")), "input {k}");
            assert_eq!(at(row, col + 1), Data::Float(f64::from(k)), "input {k}");
        }
        // The note below the first block.
        assert!(
            matches!(at(5, 0), Data::String(s) if s.starts_with("discount_rate and valuation_year"))
        );
    }

    /// The characters a value takes in its column's format, counted by hand from how
    /// Excel shows it.
    #[test]
    fn shown_chars_count_what_the_format_shows() {
        let two = Formats::new(2);
        for (value, kind, shown) in [
            (1234.5, Kind::Amount, "1,234.50"),
            (-1234567.891, Kind::Amount, "-1,234,567.89"),
            (0.004, Kind::Amount, "0.00"),
            (999.999, Kind::Amount, "1,000.00"),
            (3.3e12, Kind::Amount, "3,300,000,000,000.00"),
            (0.2712, Kind::Rate, "27.12%"),
            (-0.05, Kind::Rate, "-5.00%"),
            (12345.6, Kind::Factor, "12345.600000"),
            (0.5, Kind::Factor, "0.500000"),
            (2026.0, Kind::Year, "2026"),
        ] {
            assert_eq!(
                two.shown_chars(value, kind),
                shown.len(),
                "{value} as {shown}"
            );
        }
        // Amounts to no places, and to six.
        assert_eq!(
            Formats::new(0).shown_chars(1234.4, Kind::Amount),
            "1,234".len()
        );
        assert_eq!(
            Formats::new(6).shown_chars(-12.5, Kind::Amount),
            "-12.500000".len()
        );
        assert_eq!(two.shown_chars(f64::NAN, Kind::Amount), 0);
    }

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let long = "a-very-long-trajectory-name-beyond-excel-limits";
        let names = sheet_names(&[
            "base",
            "BASE",
            "a/b:c[d]*?\\",
            "'quoted'",
            long,
            long,
            "summary",
            "history",
            "",
            "it's",
        ]);
        assert_eq!(names[0], "base");
        assert_eq!(names[1], "BASE (2)");
        assert_eq!(names[2], "a_b_c_d____");
        assert_eq!(names[3], "quoted");
        assert_eq!(names[4], "a-very-long-trajectory-name-bey");
        assert_eq!(names[5], "a-very-long-trajectory-name (2)");
        assert_eq!(names[6], "summary (2)");
        assert_eq!(names[7], "history (2)");
        assert_eq!(names[8], "trajectory");
        assert_eq!(names[9], "it\u{2019}s");
        for n in &names {
            assert!(n.encode_utf16().count() <= 31, "{n}");
            assert!(!n.starts_with('\'') && !n.ends_with('\''), "{n}");
        }
        let mut lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        lower.sort();
        lower.dedup();
        assert_eq!(lower.len(), names.len());
    }

    /// helper-43's find: a name with an emoji among its first 31 characters was cut to 31
    /// characters, 32 of Excel's UTF-16 units, and the workbook (and with it `compare
    /// --out`'s every file) failed to build.
    #[test]
    fn regression_a_name_with_an_emoji_is_cut_in_utf16_units() {
        let name = format!("{}\u{1F600}tail", "a".repeat(30));
        let names = sheet_names(&[&name, &name, "\u{1F600}".repeat(20).as_str()]);
        assert_eq!(names[0], "a".repeat(30));
        assert_eq!(names[1], format!("{} (2)", "a".repeat(27)));
        assert_eq!(names[2], "\u{1F600}".repeat(15));
        for n in &names {
            assert!(n.encode_utf16().count() <= 31, "{n}");
        }
        // And the workbook builds.
        let mut book = rust_xlsxwriter::Workbook::new();
        for n in &names {
            book.add_worksheet().set_name(n).unwrap();
        }
    }

    #[test]
    fn a_cut_name_does_not_end_in_an_apostrophe() {
        let name = format!("{}'xyz", "a".repeat(30));
        assert_eq!(
            sheet_names(&[&name]),
            vec![format!("{}\u{2019}", "a".repeat(30))]
        );
        // helper-290: none inside either (Gnumeric reads no doubled one in a formula); nor
        // `_` in its place, which is another name's (helper-292).
        assert_eq!(
            sheet_names(&["'O'Neil's case'"]),
            vec!["O\u{2019}Neil\u{2019}s case"]
        );
        assert_eq!(sheet_names(&["a'b", "a_b"]), vec!["a\u{2019}b", "a_b"]);
    }

    #[test]
    fn column_letters_count_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(16), "Q");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(cell(0, 20), "U1");
    }

    #[test]
    fn the_formula_columns_are_found_by_name_in_the_description() {
        assert_eq!(columns::YEARLY_HEADER[usize::from(COL_YEAR)], "year");
        assert_eq!(
            columns::YEARLY_HEADER[usize::from(COL_CASH_FLOW)],
            "cash_flow"
        );
        assert_eq!(
            columns::YEARLY_HEADER[usize::from(COL_DISCOUNT_FACTOR)],
            "discount_factor"
        );
        assert_eq!(
            columns::YEARLY_HEADER[usize::from(COL_PRESENT_VALUE)],
            "present_value"
        );
        let summary = |col: u16| SUMMARY_COLUMNS[usize::from(col)];
        assert_eq!(summary(SUMMARY_TRAJECTORY), "trajectory");
        assert_eq!(summary(SUMMARY_NPV_PROFIT_SHARE), "npv_profit_share");
        assert_eq!(summary(SUMMARY_NPV_EQUITY), "npv_equity");
        assert_eq!(summary(SUMMARY_ADVANTAGE), "npv_advantage");
        assert_eq!(summary(SUMMARY_WINNER), "winner");
        // `Summary` shows comparison.csv's first columns, through the winner.
        let comparison = columns::comparison_header();
        assert_eq!(SUMMARY_COLUMNS, comparison[..SUMMARY_COLUMNS.len()]);
    }

    /// Regression (helper-151): a model of 65,534 trajectories or more made the xlsx writer
    /// panic on its 16-bit sheet count; more than [`MAX_TRAJECTORY_SHEETS`] are refused as
    /// bad usage (exit 2), saying what to do, before anything is built.
    #[test]
    fn regression_more_trajectories_than_a_workbook_holds_are_refused_not_a_panic() {
        let loaded = crate::io::load_model(None).unwrap();
        let mut comparison = crate::compare::compare(&loaded.model, None).expect("it runs");
        let one = comparison.trajectories[0].clone();
        comparison.trajectories = vec![one; MAX_TRAJECTORY_SHEETS + 1];
        let e = render(&loaded.model, &comparison, &[]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let said = e.to_string();
        assert!(
            said.contains("65001 trajectories") && said.contains("--trajectory"),
            "{said}"
        );
    }

    /// Every formula of the built-in model's workbook, read back, refers to the cells of the
    /// columns whose headers name what it needs: were a column moved in the description and
    /// a position not follow it, a formula would point at the wrong cells.
    #[test]
    fn the_workbook_formulas_refer_to_the_columns_they_name() {
        use calamine::{Data, Reader, Xlsx};

        let loaded = crate::io::load_model(None).unwrap();
        let comparison = crate::compare::compare(&loaded.model, None).expect("it runs");
        let bytes = render(&loaded.model, &comparison, &[]).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        // The letter of the column whose header (row 1) is `name`.
        let letter = |values: &calamine::Range<Data>, name: &str| {
            let width = values.end().unwrap().1 + 1;
            let col = (0..width)
                .find(|&c| values.get_value((0, c)) == Some(&Data::String(name.into())))
                .unwrap_or_else(|| panic!("no column {name}"));
            column_letters(col as u16)
        };

        let names: Vec<&str> = comparison
            .trajectories
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        let sheet = &sheet_names(&names)[0];
        let values = book.worksheet_range(sheet).unwrap();
        let formulas = book.worksheet_formula(sheet).unwrap();
        let formula = |row: u32, name: &str| {
            let col = columns::YEARLY_HEADER
                .iter()
                .position(|c| *c == name)
                .unwrap();
            formulas
                .get_value((row, col as u32))
                .cloned()
                .unwrap_or_default()
        };
        let (year, cash_flow, discount_factor, present_value) = (
            letter(&values, "year"),
            letter(&values, "cash_flow"),
            letter(&values, "discount_factor"),
            letter(&values, "present_value"),
        );
        let rows = t_rows(&comparison.trajectories[0]);
        for row in 1..=rows {
            let excel = row + 1;
            assert_eq!(
                formula(row, "discount_factor"),
                discount_factor_formula(&format!("{year}{excel}"))
            );
            assert_eq!(
                formula(row, "present_value"),
                format!("{cash_flow}{excel}*{discount_factor}{excel}")
            );
            for name in ["cash_flow", "year", "stake", "revenue"] {
                assert_eq!(formula(row, name), "", "{name} is a number");
            }
        }
        // The NPV block sums the present values and discounts the terminal value by the last
        // discount factor.
        let npv = formulas
            .get_value((1, u32::from(COL_NPV)))
            .cloned()
            .unwrap();
        let last = comparison.trajectories[0].profit_share.rows.len() + 1;
        let tv = column_letters(COL_TERMINAL_VALUE);
        assert_eq!(
            npv,
            format!("SUM({present_value}2:{present_value}{last})+{tv}2*{discount_factor}{last}")
        );

        let values = book.worksheet_range(SUMMARY_SHEET).unwrap();
        let formulas = book.worksheet_formula(SUMMARY_SHEET).unwrap();
        let d = letter(&values, "npv_advantage");
        let at = |name: &str| {
            let col = SUMMARY_COLUMNS.iter().position(|c| *c == name).unwrap();
            formulas.get_value((1, col as u32)).cloned().unwrap()
        };
        // The advantage: equity's cash flows less the profit share's, year for year, at
        // equity's discount factors, and the terminal values' difference.
        let (sheet, last_b) = (quoted(sheet), 2 * (last - 1) + 1);
        assert_eq!(
            at("npv_advantage"),
            format!(
                "SUMPRODUCT({sheet}!{cash_flow}{}:{cash_flow}{last_b}-{sheet}!{cash_flow}2:{cash_flow}{last},{sheet}!{discount_factor}{}:{discount_factor}{last_b})+({sheet}!{tv}3-{sheet}!{tv}2)*{sheet}!{discount_factor}{last_b}",
                last + 1,
                last + 1
            )
        );
        assert!(at("winner").starts_with(&format!("IF(ROUND({d}2,6)=0,")));
    }

    /// The yearly rows of both regimes of `t`: a trajectory sheet's rows below its header.
    fn t_rows(t: &TrajectoryResult) -> u32 {
        (t.profit_share.rows.len() + t.equity.rows.len()) as u32
    }

    #[test]
    fn the_f64_boundary_is_correctly_rounded() {
        let d: Decimal = "0.1".parse().unwrap();
        assert_eq!(to_f64(d), 0.1);
        let d: Decimal = "12345678901234567.890123456789".parse().unwrap();
        assert_eq!(to_f64(d), 12345678901234567.890123456789_f64);
        assert_eq!(result_text(1e-20), "0.00000000000000000001");
        assert_eq!(result_text(-2.5), "-2.5");
    }
}
