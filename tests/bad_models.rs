//! The bad-input corpus, `tests/bad/` (see `tests/bad/README.md`).
//!
//! Every `tests/bad/*.toml` whose name does not start with `_valid` is a model with
//! one thing broken. Its first line says what the error message must name:
//!
//! ```text
//! # expect: field=<path> [line=<n>] [suggest=<key>] [trajectory=<name>] [year=<y>] [file=<name>]
//! ```
//!
//! Each is run as `stakeshift check <file>` and as `stakeshift compare <file> --out <dir>`;
//! both must exit 2 with one clear line on stderr (DECISIONS.md items 2 and 3), no panic, and
//! the compare must leave no CSV file behind. All failures are collected and reported at once.
//! The `_valid*.toml` files are the models the others were made from: they must pass `check`.

use crate::common;

use assert_cmd::Command;
use common::ScratchDir;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// Longest a single run may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(120);
/// A one-line message has no business being longer than this (the long-line model must
/// not be echoed back).
const MAX_STDERR_BYTES: usize = 4096;
/// The brief asks for at least this many bad models.
const MIN_BAD_FILES: usize = 45;

fn bad_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("bad")
}

/// What a bad model's message must contain, from its first line.
#[derive(Debug, Default)]
struct Expect {
    /// Field path the message must name; empty: none in particular (syntax errors, garbage).
    field: String,
    /// 1-based line the message must give as `line <n>`.
    line: Option<u64>,
    /// The nearest valid key, for unknown keys.
    suggest: Option<String>,
    /// Trajectory the message must name.
    trajectory: Option<String>,
    /// Year the message must name.
    year: Option<String>,
    /// File the message must name, where it is not the model itself (a trajectories CSV).
    file: Option<String>,
}

impl Expect {
    fn describe(&self) -> String {
        let mut s = format!("field={:?}", self.field);
        if let Some(l) = self.line {
            s.push_str(&format!(" line={l}"));
        }
        if let Some(v) = &self.suggest {
            s.push_str(&format!(" suggest={v}"));
        }
        if let Some(v) = &self.trajectory {
            s.push_str(&format!(" trajectory={v}"));
        }
        if let Some(v) = &self.year {
            s.push_str(&format!(" year={v}"));
        }
        if let Some(v) = &self.file {
            s.push_str(&format!(" file={v}"));
        }
        s
    }
}

fn parse_expect_line(first_line: &str) -> Result<Expect, String> {
    let first_line = first_line.trim_end_matches('\r');
    let rest = first_line
        .strip_prefix("# expect:")
        .ok_or_else(|| format!("first line is not `# expect: ...`: {first_line:?}"))?;
    let mut expect = Expect::default();
    let mut has_field = false;
    for token in rest.split_whitespace() {
        let (key, value) = token
            .split_once('=')
            .ok_or_else(|| format!("expect token {token:?} is not key=value"))?;
        let non_empty = |v: &str| -> Result<String, String> {
            if v.is_empty() {
                Err(format!("expect key `{key}` has an empty value"))
            } else {
                Ok(v.to_string())
            }
        };
        match key {
            "field" => {
                expect.field = value.to_string();
                has_field = true;
            }
            "line" => {
                let n: u64 = value
                    .parse()
                    .map_err(|_| format!("expect line={value:?} is not a number"))?;
                expect.line = Some(n);
            }
            "suggest" => expect.suggest = Some(non_empty(value)?),
            "trajectory" => expect.trajectory = Some(non_empty(value)?),
            "year" => expect.year = Some(non_empty(value)?),
            "file" => expect.file = Some(non_empty(value)?),
            other => return Err(format!("unknown expect key `{other}`")),
        }
    }
    if !has_field {
        return Err("expect line has no `field=`".to_string());
    }
    Ok(expect)
}

/// Reads the expectation from a model's first line (which may be followed by anything,
/// not UTF-8 included). A zero-byte file has none: it gets the general checks only.
fn read_expect(path: &Path) -> Result<Expect, String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.is_empty() {
        return Ok(Expect::default());
    }
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    parse_expect_line(&String::from_utf8_lossy(&bytes[..end]))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The corpus files, sorted: (`_valid*` models, bad models).
fn corpus() -> (Vec<PathBuf>, Vec<PathBuf>) {
    let dir = bad_dir();
    let mut valid = Vec::new();
    let mut bad = Vec::new();
    let entries =
        fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.extension().and_then(|x| x.to_str()) != Some("toml") || !path.is_file() {
            continue;
        }
        if file_name(&path).starts_with("_valid") {
            valid.push(path);
        } else {
            bad.push(path);
        }
    }
    valid.sort();
    bad.sort();
    (valid, bad)
}

fn run(args: &[OsString]) -> Result<Output, String> {
    let mut cmd =
        Command::cargo_bin("stakeshift").map_err(|e| format!("no stakeshift binary: {e}"))?;
    cmd.args(args)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .write_stdin(Vec::<u8>::new())
        .timeout(TIMEOUT);
    cmd.output()
        .map_err(|e| format!("cannot run stakeshift: {e}"))
}

fn describe_status(output: &Output) -> String {
    match output.status.code() {
        Some(c) => format!("exit code {c}"),
        None => format!(
            "no exit code ({}; killed after {}s, or crashed on a signal)",
            output.status,
            TIMEOUT.as_secs()
        ),
    }
}

/// Whether `hay` holds `needle` with no ASCII digit right before or right after it,
/// so that `line 2` is not found in `line 20` nor `2024` in `20245`.
fn contains_number_token(hay: &str, needle: &str) -> bool {
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let start = from + i;
        let end = start + needle.len();
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_digit();
        let after_ok = end >= bytes.len() || !bytes[end].is_ascii_digit();
        if before_ok && after_ok {
            return true;
        }
        from = start + 1;
        while !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// All `*.csv` files under `dir`, recursively.
fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x.to_string_lossy().eq_ignore_ascii_case("csv"))
            {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

/// Checks one failed run's stderr against the general rules and the file's expectation.
/// Returns what is wrong, empty when all is well.
fn check_failure_output(model: &Path, expect: &Expect, output: &Output) -> Vec<String> {
    let mut problems = Vec::new();
    if output.status.code() != Some(2) {
        problems.push(format!(
            "expected exit code 2, got {}",
            describe_status(output)
        ));
    }
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let message = stderr.trim_end();
    if message.is_empty() {
        problems.push("stderr is empty".to_string());
        return problems;
    }
    if stderr.contains("panicked") {
        problems.push("stderr says `panicked`".to_string());
    }
    if stderr.contains("RUST_BACKTRACE") {
        problems.push("stderr mentions RUST_BACKTRACE".to_string());
    }
    if output.stderr.len() > MAX_STDERR_BYTES {
        problems.push(format!(
            "stderr is {} bytes, more than {MAX_STDERR_BYTES}",
            output.stderr.len()
        ));
    }
    // DECISIONS.md item 3: one line, `error: <file>, line <L>, column <C>: <path>: ...`.
    if !message.starts_with("error: ") {
        problems.push("stderr does not start with `error: `".to_string());
    }
    if message.lines().count() != 1 {
        problems.push(format!(
            "stderr is {} lines, not one",
            message.lines().count()
        ));
    }

    // The file the message must name: the model, or the CSV the error is in.
    let named_file = expect.file.clone().unwrap_or_else(|| file_name(model));
    if !stderr.contains(&named_file) {
        problems.push(format!("stderr does not name the file `{named_file}`"));
    }

    // The rest is looked for with the file's path and name taken out, so that a
    // file name like `missing_unit.toml` does not pass for the field `unit`.
    let mut rest = stderr.clone();
    let dir = model
        .parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    let mut scrub: Vec<String> = vec![model.display().to_string()];
    if let Some(f) = &expect.file {
        scrub.push(Path::new(&dir).join(f).display().to_string());
        scrub.push(f.clone());
    }
    if !dir.is_empty() {
        scrub.push(dir);
    }
    scrub.push(file_name(model));
    for s in scrub.iter().filter(|s| !s.is_empty()) {
        rest = rest.replace(s.as_str(), "<file>");
    }

    if !expect.field.is_empty() && !rest.contains(&expect.field) {
        problems.push(format!("stderr does not name the field `{}`", expect.field));
    }
    if let Some(line) = expect
        .line
        .filter(|l| !contains_number_token(&rest, &format!("line {l}")))
    {
        problems.push(format!("stderr does not say `line {line}`"));
    }
    if let Some(suggest) = expect
        .suggest
        .as_ref()
        .filter(|s| !rest.contains(s.as_str()))
    {
        problems.push(format!(
            "stderr does not suggest the nearest valid key `{suggest}`"
        ));
    }
    if let Some(trajectory) = expect
        .trajectory
        .as_ref()
        .filter(|t| !rest.contains(t.as_str()))
    {
        problems.push(format!(
            "stderr does not name the trajectory `{trajectory}`"
        ));
    }
    if let Some(year) = expect
        .year
        .as_ref()
        .filter(|y| !contains_number_token(&rest, y))
    {
        problems.push(format!("stderr does not name the year {year}"));
    }
    problems
}

fn report(
    file: &str,
    command: &str,
    expect: &str,
    problems: &[String],
    output: Option<&Output>,
) -> String {
    let mut s = format!("--- {file}: `{command}`\n    expected: exit 2, {expect}\n");
    for p in problems {
        s.push_str(&format!("    problem:  {p}\n"));
    }
    if let Some(o) = output {
        let stderr = String::from_utf8_lossy(&o.stderr);
        let shown: String = stderr.chars().take(1500).collect();
        let more = if stderr.chars().count() > 1500 {
            " [...]"
        } else {
            ""
        };
        s.push_str(&format!(
            "    actual:   {}, stderr: {:?}{more}\n",
            describe_status(o),
            shown
        ));
    }
    s
}

#[test]
fn valid_corpus_models_pass_check() {
    let (valid, _) = corpus();
    assert!(
        valid.iter().any(|p| file_name(p) == "_valid.toml"),
        "tests/bad/_valid.toml is missing"
    );
    let mut failures = Vec::new();
    for model in &valid {
        let name = file_name(model);
        match run(&["check".into(), model.clone().into_os_string()]) {
            Err(e) => failures.push(format!("--- {name}: `stakeshift check`: {e}\n")),
            Ok(o) if o.status.code() == Some(0) => {}
            Ok(o) => failures.push(report(
                &name,
                "stakeshift check",
                "exit 0 (a valid model)",
                &[format!("expected exit code 0, got {}", describe_status(&o))],
                Some(&o),
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} valid corpus model(s) failed `check`:\n\n{}",
        failures.len(),
        failures.concat()
    );
}

#[test]
fn bad_models_fail_cleanly() {
    let (_, bad) = corpus();
    assert!(
        bad.len() >= MIN_BAD_FILES,
        "tests/bad holds {} bad models, fewer than {MIN_BAD_FILES}",
        bad.len()
    );

    let mut failures: Vec<String> = Vec::new();
    let mut runs = 0usize;
    for model in &bad {
        let name = file_name(model);
        let expect = match read_expect(model) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!(
                    "--- {name}: corpus file has a bad expect line: {e}\n"
                ));
                continue;
            }
        };
        let expected = expect.describe();

        // stakeshift check <file>
        runs += 1;
        match run(&["check".into(), model.clone().into_os_string()]) {
            Err(e) => failures.push(format!("--- {name}: `stakeshift check`: {e}\n")),
            Ok(o) => {
                let problems = check_failure_output(model, &expect, &o);
                if !problems.is_empty() {
                    failures.push(report(
                        &name,
                        "stakeshift check",
                        &expected,
                        &problems,
                        Some(&o),
                    ));
                }
            }
        }

        // stakeshift compare <file> --out <dir>
        runs += 1;
        let out = ScratchDir::new("bad-compare");
        let args: Vec<OsString> = vec![
            "compare".into(),
            model.clone().into_os_string(),
            "--out".into(),
            out.path().as_os_str().to_owned(),
        ];
        match run(&args) {
            Err(e) => failures.push(format!("--- {name}: `stakeshift compare --out`: {e}\n")),
            Ok(o) => {
                let mut problems = check_failure_output(model, &expect, &o);
                let left = csv_files(out.path());
                if !left.is_empty() {
                    let names: Vec<String> = left
                        .iter()
                        .map(|p| {
                            p.strip_prefix(out.path())
                                .unwrap_or(p)
                                .display()
                                .to_string()
                        })
                        .collect();
                    problems.push(format!(
                        "the failed compare left CSV files in --out: {}",
                        names.join(", ")
                    ));
                }
                if !problems.is_empty() {
                    failures.push(report(
                        &name,
                        "stakeshift compare --out DIR",
                        &expected,
                        &problems,
                        Some(&o),
                    ));
                }
            }
        }
    }

    assert!(
        failures.is_empty(),
        "{} of {runs} runs over {} bad models failed:\n\n{}",
        failures.len(),
        bad.len(),
        failures.join("\n")
    );
}

#[test]
fn failed_compare_leaves_earlier_output_intact() {
    let dir = bad_dir();
    let tmp = ScratchDir::new("bad-intact");
    let out = tmp.path().join("out");

    let good = run(&[
        "compare".into(),
        dir.join("_valid.toml").into_os_string(),
        "--out".into(),
        out.clone().into_os_string(),
    ])
    .expect("run stakeshift");
    assert_eq!(
        good.status.code(),
        Some(0),
        "compare of _valid.toml failed ({}): {}",
        describe_status(&good),
        String::from_utf8_lossy(&good.stderr)
    );
    let summary = out.join("summary.csv");
    assert!(
        summary.is_file(),
        "compare --out did not write {}",
        summary.display()
    );

    // Every CSV the good run wrote, summary.csv among them, byte for byte.
    let before: Vec<(PathBuf, Vec<u8>)> = csv_files(&out)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).expect("read a CSV the good run wrote");
            (p, bytes)
        })
        .collect();
    let summary_before = fs::read(&summary).expect("read summary.csv");

    // Bad models that fail at different stages: parsing, validation, a trajectory's
    // data, the computation, a trajectories CSV.
    let bad_models = [
        "syntax_missing_equals.toml",
        "tier_shares_sum_over_one.toml",
        "round_default_pre_money_negative.toml",
        "overflow_revenue_growth.toml",
        "csv_gap.toml",
    ];
    let mut failures = Vec::new();
    for bad in bad_models {
        let model = dir.join(bad);
        assert!(model.is_file(), "corpus file {bad} is missing");
        let o = run(&[
            "compare".into(),
            model.into_os_string(),
            "--out".into(),
            out.clone().into_os_string(),
        ])
        .expect("run stakeshift");
        if o.status.code() != Some(2) {
            failures.push(format!(
                "{bad}: expected exit code 2, got {}; stderr: {}",
                describe_status(&o),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        match fs::read(&summary) {
            Ok(now) if now == summary_before => {}
            Ok(_) => failures.push(format!("{bad}: summary.csv changed")),
            Err(e) => failures.push(format!("{bad}: summary.csv is gone ({e})")),
        }
        for (path, bytes) in &before {
            let shown = path
                .strip_prefix(&out)
                .unwrap_or(path)
                .display()
                .to_string();
            match fs::read(path) {
                Ok(now) if &now == bytes => {}
                Ok(_) => failures.push(format!("{bad}: {shown} changed")),
                Err(e) => failures.push(format!("{bad}: {shown} is gone ({e})")),
            }
        }
        let known: Vec<&PathBuf> = before.iter().map(|(p, _)| p).collect();
        for p in csv_files(&out) {
            if !known.contains(&&p) {
                failures.push(format!("{bad}: a new CSV file appeared: {}", p.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "a failed compare disturbed the earlier output in --out:\n{}",
        failures.join("\n")
    );
}

#[test]
fn expect_line_parsing() {
    let e = parse_expect_line(
        "# expect: field=profit_share.tiers[1].shares line=24 suggest=until trajectory=bust year=2024 file=x.csv",
    )
    .unwrap();
    assert_eq!(e.field, "profit_share.tiers[1].shares");
    assert_eq!(e.line, Some(24));
    assert_eq!(e.suggest.as_deref(), Some("until"));
    assert_eq!(e.trajectory.as_deref(), Some("bust"));
    assert_eq!(e.year.as_deref(), Some("2024"));
    assert_eq!(e.file.as_deref(), Some("x.csv"));
    let e = parse_expect_line("# expect: field=\r").unwrap();
    assert_eq!(e.field, "");
    assert_eq!(e.line, None);
    assert!(parse_expect_line("# expect: line=3").is_err());
    assert!(parse_expect_line("# expect: field=a lin=3").is_err());
    assert!(parse_expect_line("name = \"x\"").is_err());

    assert!(contains_number_token(
        "error: f.toml, line 2, column 5: x",
        "line 2"
    ));
    assert!(!contains_number_token(
        "error: f.toml, line 20, column 5: x",
        "line 2"
    ));
    assert!(contains_number_token(
        "trajectory bust, year 2024: x",
        "2024"
    ));
    assert!(!contains_number_token("year 120245", "2024"));
}

/// Regression (helper-100, reading the SPEC literally): SPEC 1's example model writes
/// `[equity.revenue_share]` with no keys for "optional", and was refused ("rate: this
/// required key is missing"). An empty revenue-share table is none, as if left out, with a
/// warning; one with some keys but not all still names the first one missing.
#[test]
fn regression_spec_1s_example_with_an_empty_revenue_share_table_is_accepted() {
    let dir = bad_dir();
    let example = dir.join("_valid_spec1_example.toml");
    let text = fs::read_to_string(&example).unwrap();
    let header =
        "[equity.revenue_share]     # optional, same fields as profit_share.revenue_share\n";
    assert!(text.contains(header), "the example has changed");
    let scratch = ScratchDir::new("empty-revenue-share");
    let without = scratch.path().join("without.toml");
    fs::write(&without, text.replace(header, "")).unwrap();
    let compare = |model: &Path| {
        Command::cargo_bin("stakeshift")
            .unwrap()
            .args(["compare", "--format", "csv"])
            .arg(model)
            .output()
            .unwrap()
    };
    let (with_table, left_out) = (compare(&example), compare(&without));
    assert!(with_table.status.success(), "{with_table:?}");
    assert_eq!(with_table.stdout, left_out.stdout);
    let warning = String::from_utf8_lossy(&with_table.stderr);
    assert!(
        warning.contains("line 49")
            && warning.contains("equity.revenue_share")
            && warning.contains("is empty"),
        "{warning}"
    );
    assert!(left_out.stderr.is_empty(), "{left_out:?}");

    // Some keys but not all: the first missing one is named, at the table's line.
    for (keys, missing) in [
        ("ends_at_agi = true\n", "rate"),
        ("rate = 0.1\nuntil = 2030\n", "from"),
    ] {
        let partial = scratch.path().join("partial.toml");
        fs::write(
            &partial,
            text.replace(header, &format!("[equity.revenue_share]\n{keys}")),
        )
        .unwrap();
        let out = compare(&partial);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!(
                "line 49, column 1: equity.revenue_share.{missing}: this required key is missing"
            )),
            "{err}"
        );
    }
}

/// A spreadsheet of a locale whose decimal mark is a comma saves "CSV" with semicolons: the
/// error says so, and how to save it, rather than only that no `trajectory` column exists.
#[test]
fn a_csv_separated_by_semicolons_is_named_as_such() {
    let out = Command::cargo_bin("stakeshift")
        .unwrap()
        .arg("check")
        .arg(bad_dir().join("csv_semicolons.toml"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("this header is separated by `;`")
            && err.contains("CSV UTF-8 (Comma delimited)"),
        "{err}"
    );
}
