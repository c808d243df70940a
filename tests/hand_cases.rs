//! Hand-calculated cases: for every `tests/hand/<case>.toml` (other than the
//! `.expect.toml` files) run `stakeshift compare <case>.toml --out <dir>` (a fresh
//! directory under `CARGO_TARGET_TMPDIR`, so no `tempfile` dependency is needed) and
//! check the three CSV files it writes against `tests/hand/<case>.expect.toml`.
//!
//! An expectation file holds arrays of tables named after the CSV files:
//!
//! ```toml
//! [[yearly]]                 # row located by trajectory, regime and year
//! trajectory = "t"
//! regime = "equity"
//! year = 2023
//! stake = "0.1496"           # any other key is a column of yearly.csv
//! [[summary]]                # row located by trajectory and regime
//! trajectory = "t"
//! regime = "equity"
//! irr = ""                   # empty string: the cell must be empty
//! [[comparison]]             # row located by trajectory
//! trajectory = "t"
//! winner = "equity"          # compared as text
//! breakeven_scale = "0.5"
//! ```
//!
//! Numbers are compared as `rust_decimal::Decimal`s. The tolerance is 1.5 units in the
//! last decimal place that the cell itself prints (6 decimals: 0.0000015; 8 decimals:
//! 0.000000015). A cell printed without decimals (a year) must match exactly.
//! `winner`, and any expected value that is not a plain decimal, is compared as text.
//! Every problem in every case is collected; the test fails once, listing them all.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use assert_cmd::Command;
use common::{ScratchDir, TEXT_COLUMNS, read_csv};
use rust_decimal::Decimal;

/// (section in the expectation file, CSV file name, columns that locate a row)
const SECTIONS: [(&str, &str, &[&str]); 3] = [
    ("yearly", "yearly.csv", &["trajectory", "regime", "year"]),
    ("summary", "summary.csv", &["trajectory", "regime"]),
    ("comparison", "comparison.csv", &["trajectory"]),
];

fn hand_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("hand")
}

/// The text of an expected value: strings as they are, integers (years) written out.
fn value_text(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

/// Number of digits after the decimal point in a cell's text.
fn decimals_of(cell: &str) -> u32 {
    match cell.split_once('.') {
        Some((_, frac)) => frac.len() as u32,
        None => 0,
    }
}

/// Compares one cell with its expected text; `None` when they agree, else what is wrong.
fn compare_cell(column: &str, expected: &str, cell: &str) -> Option<String> {
    if expected.is_empty() {
        return if cell.is_empty() {
            None
        } else {
            Some(format!("expected an empty cell, got `{}`", cell))
        };
    }
    if cell.is_empty() {
        return Some(format!("expected `{}`, got an empty cell", expected));
    }
    let expected_number = if TEXT_COLUMNS.contains(&column) {
        None
    } else {
        Decimal::from_str(expected).ok()
    };
    let expected_number = match expected_number {
        Some(n) => n,
        None => {
            return if cell == expected {
                None
            } else {
                Some(format!("expected `{}`, got `{}`", expected, cell))
            };
        }
    };
    let cell_number = match Decimal::from_str(cell) {
        Ok(n) => n,
        Err(_) => {
            return Some(format!(
                "expected {}, got `{}`, which is not a plain decimal number",
                expected, cell
            ));
        }
    };
    let places = decimals_of(cell);
    if places == 0 {
        return if cell_number == expected_number {
            None
        } else {
            Some(format!(
                "expected {}, got {} (compared exactly)",
                expected, cell
            ))
        };
    }
    if places > 27 {
        return Some(format!(
            "expected {}, got `{}` with too many decimals",
            expected, cell
        ));
    }
    // 1.5 units in the cell's last decimal place: 15 * 10^-(places + 1).
    let tolerance = Decimal::new(15, places + 1);
    let difference = (cell_number - expected_number).abs();
    if difference <= tolerance {
        None
    } else {
        Some(format!(
            "expected {}, got {} (off by {}, tolerance {})",
            expected, cell, difference, tolerance
        ))
    }
}

/// Runs one case and checks it; every problem found is pushed onto `problems`.
/// Returns the number of cells compared.
fn check_case(case: &str, model: &Path, expect: &Path, problems: &mut Vec<String>) -> usize {
    let text = match fs::read_to_string(expect) {
        Ok(t) => t,
        Err(e) => {
            problems.push(format!(
                "case `{}`: cannot read {}: {}",
                case,
                expect.display(),
                e
            ));
            return 0;
        }
    };
    let expected: toml::Value = match toml::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            problems.push(format!(
                "case `{}`: {} is not valid TOML: {}",
                case,
                expect.display(),
                e
            ));
            return 0;
        }
    };
    let expected = match expected.as_table() {
        Some(t) => t.clone(),
        None => {
            problems.push(format!(
                "case `{}`: {} is not a table",
                case,
                expect.display()
            ));
            return 0;
        }
    };
    for key in expected.keys() {
        if !SECTIONS.iter().any(|(section, _, _)| section == key) {
            problems.push(format!(
                "case `{}`: {} has an unknown section `{}` (valid: yearly, summary, comparison)",
                case,
                expect.display(),
                key
            ));
        }
    }

    let out = ScratchDir::new(&format!("hand-{case}"));
    #[allow(deprecated)]
    let command = Command::cargo_bin("stakeshift");
    let mut command = match command {
        Ok(c) => c,
        Err(e) => {
            problems.push(format!(
                "case `{}`: cannot find the stakeshift binary: {}",
                case, e
            ));
            return 0;
        }
    };
    let output = command
        .arg("compare")
        .arg(model)
        .arg("--out")
        .arg(out.path())
        // Only the CSVs are checked: the smallest charts cost the least time.
        .args(["--size", "960x540"])
        .output();
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            problems.push(format!("case `{}`: cannot run stakeshift: {}", case, e));
            return 0;
        }
    };
    if !output.status.success() {
        problems.push(format!(
            "case `{}`: `stakeshift compare {} --out DIR` exited with {} (expected 0); stderr: {}",
            case,
            model.display(),
            output
                .status
                .code()
                .map(|c| c.to_string())
                .unwrap_or_else(|| "a signal".to_string()),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
        return 0;
    }

    let mut compared = 0;
    for (section, file, locators) in SECTIONS.iter() {
        let entries = match expected.get(*section) {
            None => continue,
            Some(toml::Value::Array(a)) => a.clone(),
            Some(_) => {
                problems.push(format!(
                    "case `{}`: `{}` in {} must be an array of tables ([[{}]])",
                    case,
                    section,
                    expect.display(),
                    section
                ));
                continue;
            }
        };
        let table = match read_csv(&out.path().join(file)) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("case `{}`: {}", case, e));
                continue;
            }
        };
        for (index, entry) in entries.iter().enumerate() {
            let entry = match entry.as_table() {
                Some(t) => t,
                None => {
                    problems.push(format!(
                        "case `{}`: {}[{}] in {} is not a table",
                        case,
                        section,
                        index,
                        expect.display()
                    ));
                    continue;
                }
            };
            // Locate the row.
            let mut wanted: Vec<(String, String)> = Vec::new();
            let mut usable = true;
            for locator in locators.iter() {
                match entry.get(*locator).and_then(value_text) {
                    Some(v) => wanted.push((locator.to_string(), v)),
                    None => {
                        problems.push(format!(
                            "case `{}`: {}[{}] in {} has no `{}` to locate its row",
                            case,
                            section,
                            index,
                            expect.display(),
                            locator
                        ));
                        usable = false;
                    }
                }
            }
            if !usable {
                continue;
            }
            let row_name = format!(
                "{} row {}",
                file,
                wanted
                    .iter()
                    .map(|(k, v)| format!("{}={}", k, v))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            let mut locator_columns = Vec::new();
            for (name, value) in wanted.iter() {
                match table.column(name) {
                    Some(i) => locator_columns.push((i, value.clone())),
                    None => {
                        problems.push(format!(
                            "case `{}`, {}: column `{}` is missing from {}",
                            case, row_name, name, file
                        ));
                        usable = false;
                    }
                }
            }
            if !usable {
                continue;
            }
            let matching: Vec<&Vec<String>> = table
                .rows
                .iter()
                .filter(|row| {
                    locator_columns
                        .iter()
                        .all(|(i, value)| row.get(*i).map(|c| c == value).unwrap_or(false))
                })
                .collect();
            let row = match matching.len() {
                1 => matching[0],
                0 => {
                    problems.push(format!("case `{}`, {}: row is missing", case, row_name));
                    continue;
                }
                n => {
                    problems.push(format!(
                        "case `{}`, {}: {} rows match, expected exactly one",
                        case, row_name, n
                    ));
                    continue;
                }
            };
            // Check every other key as a column.
            for (column, value) in entry.iter() {
                if locators.contains(&column.as_str()) {
                    continue;
                }
                let expected_text = match value_text(value) {
                    Some(t) => t,
                    None => {
                        problems.push(format!(
                            "case `{}`, {}, column `{}`: the expected value must be a string, not a {}",
                            case,
                            row_name,
                            column,
                            value.type_str()
                        ));
                        continue;
                    }
                };
                let cell = match table.column(column) {
                    Some(i) => match row.get(i) {
                        Some(c) => c.as_str(),
                        None => {
                            problems.push(format!(
                                "case `{}`, {}, column `{}`: the row has no cell in that column",
                                case, row_name, column
                            ));
                            continue;
                        }
                    },
                    None => {
                        problems.push(format!(
                            "case `{}`, {}, column `{}`: column is missing from {}",
                            case, row_name, column, file
                        ));
                        continue;
                    }
                };
                compared += 1;
                if let Some(what) = compare_cell(column, &expected_text, cell) {
                    problems.push(format!(
                        "case `{}`, {}, column `{}`: {}",
                        case, row_name, column, what
                    ));
                }
            }
        }
    }
    compared
}

#[test]
fn hand_calculated_cases() {
    let dir = hand_dir();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => panic!("cannot read the hand cases in {}: {}", dir.display(), e),
    };
    let mut models: Vec<String> = Vec::new();
    let mut expects: Vec<String> = Vec::new();
    for entry in entries {
        let entry = entry.expect("cannot read an entry of tests/hand");
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(case) = name.strip_suffix(".expect.toml") {
            expects.push(case.to_string());
        } else if let Some(case) = name.strip_suffix(".toml") {
            models.push(case.to_string());
        }
    }
    models.sort();
    expects.sort();

    let mut problems: Vec<String> = Vec::new();
    if models.is_empty() {
        problems.push(format!("no hand cases (*.toml) in {}", dir.display()));
    }
    for case in expects.iter() {
        if !models.contains(case) {
            problems.push(format!(
                "case `{}`: {}.expect.toml has no model file {}.toml",
                case, case, case
            ));
        }
    }
    let results = common::in_parallel(&models, |case| {
        let mut problems: Vec<String> = Vec::new();
        let model = dir.join(format!("{}.toml", case));
        let expect = dir.join(format!("{}.expect.toml", case));
        if !expect.is_file() {
            problems.push(format!(
                "case `{}`: the expectation file {} is missing",
                case,
                expect.display()
            ));
            return (0, problems);
        }
        let n = check_case(case, &model, &expect, &mut problems);
        if n == 0 && problems.is_empty() {
            problems.push(format!(
                "case `{}`: {} checks nothing",
                case,
                expect.display()
            ));
        }
        (n, problems)
    });
    let mut compared = 0;
    for (n, case_problems) in results {
        compared += n;
        problems.extend(case_problems);
    }
    println!(
        "hand cases: {} case(s), {} cell(s) compared, {} problem(s)",
        models.len(),
        compared,
        problems.len()
    );
    if !problems.is_empty() {
        panic!(
            "{} problem(s) in the hand-calculated cases (tests/hand):\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
}

/// Regression (a black-box audit, 2026-12-05): a party paid its half of D = 4.000001 over
/// two slices (another party's cap closing between them) got each slice's half rounded down
/// to the waterfall's 1e-12 on its own, 2.000000499999 in all, which printed 2.000000 for
/// the 2.0000005 owed (2.000001, half away from zero). The hand case's comparison allows
/// 1.5 units of the last place, so the printed text is held here exactly.
#[test]
fn regression_a_share_paid_over_two_slices_prints_as_its_exact_value() {
    let model = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hand/waterfall_share_over_two_slices.toml");
    for (args, wanted) in [
        (
            vec!["--format", "csv"],
            "a,2.000001,0.000000,-2.000001,profit_share,",
        ),
        (
            vec!["--format", "csv", "--yearly"],
            "a,profit_share,2020,4.000001,4.000001,1.000000,4.000001,0.000000,2.000001,",
        ),
    ] {
        let out = Command::cargo_bin("stakeshift")
            .unwrap()
            .arg("compare")
            .arg(&model)
            .args(&args)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.lines().any(|l| l.starts_with(wanted)),
            "{args:?}:\n{text}"
        );
    }
}
