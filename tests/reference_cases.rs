//! Checks `stakeshift compare` number by number against an independent reference.
//!
//! Every `tests/reference/cases/*/model.toml` has the CSVs that the Python reference
//! implementation (`tests/reference/ref.py`, 60-digit decimals) wrote for it next to it.
//! This test runs `stakeshift compare <model.toml> --out <tempdir>` on each and compares
//! `yearly.csv`, `summary.csv` and `comparison.csv` with them:
//! - the header starts with the reference's columns (more columns may follow; they are not
//!   compared), and there are as many rows;
//! - key columns (`trajectory`, `regime`, `year`), text columns and whole numbers are equal;
//! - amounts (6 decimals) agree within 2e-6 absolute or 1e-9 relative, whichever is larger;
//!   `stake`, `discount_factor`, `moic` and `breakeven_scale` (8 decimals) within 2e-8
//!   absolute or 1e-9 relative; `irr` within 1e-7;
//! - an empty cell is expected exactly where the reference has one.
//!
//! All mismatches of all cases are collected and reported together.
//! To regenerate the cases: `python3 tests/reference/gen.py` (see tests/reference/README.md).

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use assert_cmd::Command;
use common::{INTEGER_COLUMNS, ScratchDir, TEXT_COLUMNS, Table, read_csv};
use rust_decimal::Decimal;

const FILES: [&str; 3] = ["yearly.csv", "summary.csv", "comparison.csv"];
const KEY_COLUMNS: [&str; 3] = ["trajectory", "regime", "year"];
const EIGHT_DECIMAL_COLUMNS: [&str; 4] = ["stake", "discount_factor", "moic", "breakeven_scale"];
const IRR_COLUMN: &str = "irr";
const MAX_LINES: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Integer,
    Amount,
    EightDecimals,
    Irr,
}

fn kind_of(column: &str) -> Kind {
    if TEXT_COLUMNS.contains(&column) {
        Kind::Text
    } else if INTEGER_COLUMNS.contains(&column) {
        Kind::Integer
    } else if EIGHT_DECIMAL_COLUMNS.contains(&column) {
        Kind::EightDecimals
    } else if column == IRR_COLUMN {
        Kind::Irr
    } else {
        Kind::Amount
    }
}

/// Whether `got` is close enough to `expected` for a cell of this kind; both non-empty.
fn cells_agree(kind: Kind, expected: &str, got: &str) -> Result<bool, String> {
    match kind {
        Kind::Text => Ok(expected == got),
        Kind::Integer => {
            let e: i64 = expected
                .parse()
                .map_err(|_| format!("reference value {expected:?} is not a whole number"))?;
            match got.parse::<i64>() {
                Ok(g) => Ok(e == g),
                Err(_) => Err(format!("not a whole number: {got:?}")),
            }
        }
        Kind::Amount | Kind::EightDecimals | Kind::Irr => {
            let e = Decimal::from_str(expected)
                .map_err(|err| format!("reference value {expected:?} is not a decimal: {err}"))?;
            let g = match Decimal::from_str(got) {
                Ok(g) if is_plain_decimal(got) => g,
                _ => return Err(format!("not a plain decimal number: {got:?}")),
            };
            let diff = match e.checked_sub(g) {
                Some(d) => d.abs(),
                None => return Ok(false),
            };
            let relative = e.abs() * Decimal::new(1, 9); // 1e-9
            let tolerance = match kind {
                Kind::Amount => Decimal::new(2, 6).max(relative), // 2e-6
                Kind::EightDecimals => Decimal::new(2, 8).max(relative), // 2e-8
                _ => Decimal::new(1, 7),                          // irr: 1e-7
            };
            Ok(diff <= tolerance)
        }
    }
}

/// `-?digits(.digits)?`: no exponent, no sign other than a leading minus, no separators
/// (SPEC section 8).
fn is_plain_decimal(s: &str) -> bool {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let mut parts = unsigned.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(whole)
        && match fraction {
            None => true,
            Some(f) => digits(f),
        }
}

fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/cases");
    let entries =
        fs::read_dir(&root).unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()));
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.join("model.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn row_label(header: &[String], row: &[String]) -> String {
    let parts: Vec<&str> = KEY_COLUMNS
        .iter()
        .filter_map(|key| header.iter().position(|h| h == key))
        .filter_map(|i| row.get(i).map(String::as_str))
        .collect();
    parts.join("/")
}

/// Compares one produced file with the reference's, pushing one line per mismatch.
fn compare_file(case: &str, file: &str, expected: &Table, got: &Table, out: &mut Vec<String>) {
    let n = expected.header.len();
    if got.header.len() < n || got.header[..n] != expected.header[..] {
        out.push(format!(
            "{case} {file}: header is {:?}, expected it to start with {:?}",
            got.header, expected.header
        ));
        return;
    }
    if got.rows.len() != expected.rows.len() {
        out.push(format!(
            "{case} {file}: {} rows, expected {}",
            got.rows.len(),
            expected.rows.len()
        ));
        return;
    }
    let kinds: Vec<Kind> = expected.header.iter().map(|c| kind_of(c)).collect();
    let keys: Vec<usize> = (0..n)
        .filter(|&i| KEY_COLUMNS.contains(&expected.header[i].as_str()))
        .collect();
    for (index, (e_row, g_row)) in expected.rows.iter().zip(&got.rows).enumerate() {
        let row_no = index + 1; // data rows, counted from 1 after the header
        if g_row.len() < n {
            out.push(format!(
                "{case} {file} row {row_no}: {} cells, expected at least {n}",
                g_row.len()
            ));
            continue;
        }
        let e_key: Vec<&str> = keys.iter().map(|&i| e_row[i].as_str()).collect();
        let g_key: Vec<&str> = keys.iter().map(|&i| g_row[i].as_str()).collect();
        if e_key != g_key {
            out.push(format!(
                "{case} {file} row {row_no}: key is {}, expected {} (rows out of order or missing; \
                 the rest of this file is not compared)",
                g_key.join("/"),
                e_key.join("/")
            ));
            return;
        }
        let label = row_label(&expected.header, e_row);
        for col in 0..n {
            if keys.contains(&col) {
                continue;
            }
            let (e, g) = (e_row[col].as_str(), g_row[col].as_str());
            let column = &expected.header[col];
            let problem = if e.is_empty() || g.is_empty() {
                if e == g { None } else { Some(String::new()) }
            } else {
                match cells_agree(kinds[col], e, g) {
                    Ok(true) => None,
                    Ok(false) => Some(String::new()),
                    Err(why) => Some(format!(" ({why})")),
                }
            };
            if let Some(why) = problem {
                out.push(format!(
                    "{case} {file} row {row_no} [{label}] column {column}: expected {e:?}, got {g:?}{why}"
                ));
            }
        }
    }
}

#[test]
fn compare_matches_the_reference_implementation() {
    let cases = case_dirs();
    assert!(
        !cases.is_empty(),
        "no cases found under tests/reference/cases (run python3 tests/reference/gen.py)"
    );
    let per_case = common::in_parallel(&cases, |dir| {
        let mut mismatches: Vec<String> = Vec::new();
        let case = dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.display().to_string());
        let out_dir = ScratchDir::new(&format!("reference-{case}"));
        let output = Command::cargo_bin("stakeshift")
            .expect("the stakeshift binary is not built")
            .arg("compare")
            .arg(dir.join("model.toml"))
            .arg("--out")
            .arg(out_dir.path())
            // Only the CSVs are checked: the smallest charts cost the least time.
            .args(["--size", "960x540"])
            .output()
            .expect("cannot run stakeshift");
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().next().unwrap_or("").trim();
            mismatches.push(format!(
                "{case}: `stakeshift compare` failed ({}): {first}",
                output.status
            ));
            return mismatches;
        }
        for file in FILES {
            let expected = match read_csv(&dir.join(file)) {
                Ok(table) => table,
                Err(e) => {
                    mismatches.push(format!("{case} {file}: reference file: {e}"));
                    continue;
                }
            };
            let got = match read_csv(&out_dir.path().join(file)) {
                Ok(table) => table,
                Err(e) => {
                    mismatches.push(format!("{case} {file}: {e}"));
                    continue;
                }
            };
            compare_file(&case, file, &expected, &got, &mut mismatches);
        }
        mismatches
    });
    let mismatches: Vec<String> = per_case.into_iter().flatten().collect();
    if !mismatches.is_empty() {
        let total = mismatches.len();
        // at most MAX_LINES lines in all: a heading, then the mismatches
        let room = MAX_LINES - 1;
        let mut lines: Vec<String> = mismatches;
        if total > room {
            lines.truncate(room - 1);
            lines.push(format!("... and {} more", total - (room - 1)));
        }
        panic!(
            "{total} mismatch(es) with the reference implementation over {} case(s):\n{}",
            cases.len(),
            lines.join("\n")
        );
    }
}

#[cfg(test)]
mod tolerance {
    use super::*;

    #[test]
    fn amounts_allow_two_units_in_the_last_place_or_one_part_per_billion() {
        assert!(cells_agree(Kind::Amount, "1.000000", "1.000002").unwrap());
        assert!(!cells_agree(Kind::Amount, "1.000000", "1.000003").unwrap());
        assert!(cells_agree(Kind::Amount, "10000000.000000", "10000000.009000").unwrap());
        assert!(!cells_agree(Kind::Amount, "10000000.000000", "10000000.011000").unwrap());
        assert!(cells_agree(Kind::EightDecimals, "0.12345678", "0.12345680").unwrap());
        assert!(!cells_agree(Kind::EightDecimals, "0.12345678", "0.12345681").unwrap());
        assert!(cells_agree(Kind::Irr, "0.10000000", "0.10000010").unwrap());
        assert!(!cells_agree(Kind::Irr, "0.10000000", "0.10000011").unwrap());
        assert!(cells_agree(Kind::Integer, "2030", "2030").unwrap());
        assert!(cells_agree(Kind::Amount, "1.5", "1e0").is_err());
        assert!(cells_agree(Kind::Amount, "-1.5", "-1.500001").unwrap());
        assert!(cells_agree(Kind::Amount, "1.5", "+1.5").is_err());
        assert!(cells_agree(Kind::Amount, "1000.5", "1,000.5").is_err());
    }
}
