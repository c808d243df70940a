//! `sweep`, `solve` and `tornado` checked number by number against the independent
//! reference (tests/reference/ref.py, 60-digit decimals, overrides applied to its own parsed
//! model, derived keys applied to every year's value rather than to the points).
//!
//! Each `tests/reference/sensitivity/*/args.txt` holds a command; the CSV beside it is what
//! ref.py wrote for it (`python3 tests/reference/gen_sensitivity.py` regenerates them). This
//! test runs `stakeshift <args> --out <tempdir>` and compares: text cells exactly; varied
//! values, low and high as numbers, exactly; amounts within 2e-6 or 1e-9 relative; solutions
//! and current values within 2e-8 or 1e-8 relative; an empty cell exactly where the
//! reference has one.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use assert_cmd::Command;
use rust_decimal::Decimal;

const TEXT: [&str; 4] = ["trajectory", "winner", "path", "input"];
const EXACT: [&str; 2] = ["low", "high"];
const EIGHT: [&str; 2] = ["solution", "current_value"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn agree(column: &str, varied: bool, expected: &str, got: &str) -> bool {
    if TEXT.contains(&column) {
        return expected == got;
    }
    if expected.is_empty() || got.is_empty() {
        return expected == got;
    }
    let (e, g) = (
        Decimal::from_str(expected).unwrap(),
        Decimal::from_str(got).unwrap(),
    );
    let diff = (e - g).abs();
    if EXACT.contains(&column) {
        return diff.is_zero();
    }
    if varied {
        // Grid values: exact, except that a value like 1/3 has 60 digits in the reference
        // and 28 in stakeshift.
        return diff <= Decimal::new(1, 25);
    }
    if EIGHT.contains(&column) {
        return diff <= Decimal::new(2, 8).max(e.abs() * Decimal::new(1, 8));
    }
    diff <= Decimal::new(2, 6).max(e.abs() * Decimal::new(1, 9))
}

#[test]
fn sensitivity_commands_agree_with_the_reference() {
    let cases = root().join("tests/reference/sensitivity");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("args.txt").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "too few cases in {}", cases.display());
    let mut failures = Vec::new();
    for dir in &dirs {
        let args: Vec<String> = std::fs::read_to_string(dir.join("args.txt"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        let command = args[0].clone();
        let file = format!("{command}.csv");
        let out = std::env::temp_dir().join(format!(
            "stakeshift-sens-ref-{}-{}",
            std::process::id(),
            dir.file_name().unwrap().to_string_lossy()
        ));
        let _ = std::fs::remove_dir_all(&out);
        let mut cmd = Command::cargo_bin("stakeshift").unwrap();
        cmd.current_dir(root()).args(&args).arg("--out").arg(&out);
        let output = cmd.output().unwrap();
        assert!(
            output.status.success(),
            "{}: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let expected = read_csv(&dir.join(&file));
        let got = read_csv(&out.join(&file));
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if expected.len() != got.len() {
            failures.push(format!(
                "{name}: {} rows, expected {}",
                got.len(),
                expected.len()
            ));
            continue;
        }
        let header = &expected[0];
        if &got[0] != header {
            failures.push(format!("{name}: header {:?}, expected {header:?}", got[0]));
            continue;
        }
        // In sweep.csv the varied paths' columns follow `trajectory`.
        let varied_columns = if command == "sweep" {
            1..header.len() - 4
        } else {
            0..0
        };
        for (row, (e, g)) in expected.iter().zip(&got).enumerate().skip(1) {
            for (c, column) in header.iter().enumerate() {
                if !agree(column, varied_columns.contains(&c), &e[c], &g[c]) {
                    failures.push(format!(
                        "{name} row {row} {column}: got {}, expected {}",
                        g[c], e[c]
                    ));
                }
            }
        }
        let _ = std::fs::remove_dir_all(&out);
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
