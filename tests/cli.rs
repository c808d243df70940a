//! End-to-end tests of the binary: what a new user types, what comes back, exit codes.

use crate::common;

use common::{ScratchDir, stakeshift};
use predicates::prelude::*;

const TRAJECTORIES: [&str; 5] = ["bust", "bear", "base", "bull", "early-agi"];

#[test]
fn compare_on_the_builtin_model_prints_a_table_with_unit_winners_and_conclusion() {
    let out = stakeshift()
        .arg("compare")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("USD bn"), "{text}");
    for name in TRAJECTORIES {
        assert!(
            text.lines().any(|l| l.starts_with(name)),
            "no row for {name}:\n{text}"
        );
    }
    let last = text.trim_end().lines().last().unwrap();
    assert!(last.starts_with("Conclusion: "), "{last}");
    assert!(last.contains("in `base`"), "{last}");
}

#[test]
fn version_and_help_with_examples() {
    stakeshift()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
    stakeshift().arg("--help").assert().success().stdout(
        predicate::str::contains("Examples:").and(predicate::str::contains("stakeshift compare")),
    );
    stakeshift().arg("compare").arg("--help").assert().success();
}

/// Every example the top-level help gives runs as written, in order, in an empty folder
/// (`init deal.toml` makes the file the later ones read): an example that has drifted from
/// the command line fails here.
#[test]
fn every_example_in_the_help_runs_as_written() {
    let help = stakeshift().arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let examples: Vec<Vec<&str>> = help
        .split("Examples:\n")
        .nth(1)
        .expect("an Examples block")
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(|line| {
            // The command, then its description after a run of two spaces or more.
            let command = line.trim().split("  ").next().unwrap();
            command.split_whitespace().collect()
        })
        .collect();
    assert!(examples.len() >= 10, "{examples:?}");
    // Within 72 columns, the help's examples and notes fit an 80-column terminal, and the
    // man page's, indented 7 more (helper-289: up to 97 there).
    for line in help.split("Examples:\n").nth(1).unwrap().lines() {
        assert!(
            line.chars().count() <= 72,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    let folder = tempfile::tempdir().unwrap();
    // `init` first, wherever the help puts it, as a user following along would.
    let init = examples.iter().position(|e| e.get(1) == Some(&"init"));
    let order = init
        .into_iter()
        .chain((0..examples.len()).filter(|&i| Some(i) != init));
    for i in order {
        let example = &examples[i];
        assert_eq!(example[0], "stakeshift", "{example:?}");
        let run = stakeshift()
            .current_dir(folder.path())
            .args(&example[1..])
            .output()
            .unwrap();
        // (`init` says what it wrote on stderr: its output is the file.)
        assert!(
            run.status.success() && (Some(i) == init || !run.stdout.is_empty()),
            "{example:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

#[test]
fn bad_usage_exits_2() {
    stakeshift().arg("frobnicate").assert().code(2);
    stakeshift()
        .args(["compare", "--format", "xml"])
        .assert()
        .code(2);
    stakeshift()
        .args(["compare", "--trajectory", "bsae"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `base`"));
    stakeshift()
        .args(["check", "no-such-model.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-model.toml"));
}

#[test]
fn out_dir_gets_three_csvs_with_the_spec_columns() {
    let dir = ScratchDir::new("cli-out");
    let nested = dir.join("a/b");
    stakeshift()
        .args(["compare", "--out"])
        .arg(&nested)
        .assert()
        .success();
    // SPEC 8's columns in its order, then SPEC 13's (the cloud side), then, in
    // comparison.csv, the measures per regime that docs/MODEL.md section 12 adds.
    let expect = [
        (
            "yearly.csv",
            "trajectory,regime,year,revenue,profit,valuation,distributable,contribution,distribution,revenue_share,dividend,stake,holding_value,cash_flow,cumulative_cash_flow,discount_factor,present_value",
            ",cloud_purchases,cloud_income",
        ),
        (
            "summary.csv",
            "trajectory,regime,contributions,inflows,terminal_value,npv,irr,moic,payback_year",
            ",cloud_income,npv_cloud",
        ),
        (
            "comparison.csv",
            "trajectory,npv_profit_share,npv_equity,npv_advantage,winner,breakeven_scale",
            ",irr_profit_share,irr_equity,moic_profit_share,moic_equity,payback_year_profit_share,payback_year_equity",
        ),
    ];
    for (file, spec, more) in expect {
        let text = std::fs::read_to_string(nested.join(file)).unwrap();
        assert_eq!(
            text.lines().next().unwrap(),
            format!("{spec}{more}"),
            "{file} header"
        );
        // RFC 4180 line ends, no exponents, no thousands separators inside numbers.
        assert!(text.contains("\r\n"));
        for cell in text
            .split(['\r', '\n', ','])
            .filter(|c| c.parse::<f64>().is_ok())
        {
            assert!(!cell.contains(['e', 'E']), "{file}: exponent in {cell}");
        }
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let width = reader.headers().unwrap().len();
        let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| r.len() == width));
    }
    // 27 years x 2 regimes x 6 trajectories of the built-in model.
    let yearly = std::fs::read_to_string(nested.join("yearly.csv")).unwrap();
    let trajectories = csv::Reader::from_reader(yearly.as_bytes())
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(yearly.lines().count() - 1, 27 * 2 * trajectories.len());
}

#[test]
fn csv_and_json_formats_parse() {
    let out = stakeshift()
        .args(["compare", "--format", "csv", "-t", "base", "-t", "bust"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    // The order asked for on the command line (issue 6), not the model's.
    assert_eq!(names, ["base", "bust"]);

    let out = stakeshift()
        .args(["compare", "--format", "json", "--yearly"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let base = doc["trajectories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "base")
        .unwrap();
    assert_eq!(base["equity"]["yearly"].as_array().unwrap().len(), 27);
    // The JSON field is the sentence itself, without the table's "Conclusion: " label.
    let conclusion = doc["conclusion"].as_str().unwrap();
    assert!(conclusion.starts_with("The equity stake"), "{conclusion}");

    let out = stakeshift()
        .args(["compare", "--format", "csv", "--yearly", "-t", "base"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1 + 27 * 2);
}

#[test]
fn regression_init_of_a_path_ending_in_a_slash_wrote_a_file_of_the_folders_name() {
    // helper-160: `init newdir/` wrote a file `newdir`, then advised `compare newdir/`, which
    // failed with "Not a directory".
    let dir = ScratchDir::new("cli-init-slash");
    let named = format!("{}/", dir.join("newdir").display());
    stakeshift()
        .args(["init", &named])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{named} names a folder (it ends in `/`); init writes a file (in a folder that exists: create {} first): give its path, such as {}/model.toml",
            dir.join("newdir").display(),
            dir.join("newdir").display()
        )));
    assert!(!dir.join("newdir").exists());
    // helper-240: the advice, followed, works where the folder exists (and is said to need
    // one where it does not, above).
    std::fs::create_dir(dir.join("there")).unwrap();
    let there = format!("{}/", dir.join("there").display());
    let advised = format!("{}/model.toml", dir.join("there").display());
    stakeshift()
        .args(["init", &there])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{there} names a folder (it ends in `/`); init writes a file: give its path, such as {advised}"
        )));
    stakeshift().args(["init", &advised]).assert().success();
    // helper-242: what stands in the folder's place is said, not to be created.
    std::fs::write(dir.join("afile"), "x").unwrap();
    let err = common::fails_with_2(
        stakeshift()
            .arg("init")
            .arg(format!("{}/", dir.join("afile").display())),
    );
    assert!(
        err.contains("but ") && err.contains("afile is a file; init writes a file"),
        "{err}"
    );
    let err = common::fails_with_2(
        stakeshift()
            .arg("init")
            .arg(format!("{}/..", dir.join("none").display())),
    );
    assert!(
        err.contains("and one that is not there") && !err.contains("create"),
        "{err}"
    );
    // helper-243: a file or a link to nothing anywhere on the way is said, however the path
    // ends.
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dang")).unwrap();
    for (named, said) in [
        ("afile/.", "afile is a file"),
        ("afile/x/", "afile is a file"),
        ("dang/.", "dang is a symbolic link to no folder"),
    ] {
        let err = common::fails_with_2(
            stakeshift()
                .arg("init")
                .arg(format!("{}/{named}", dir.path().display())),
        );
        assert!(
            err.contains(said) && !err.contains("create"),
            "{named}: {err}"
        );
    }
    let err = common::fails_with_2(stakeshift().arg("init").arg(dir.join("dang/x.toml")));
    assert!(err.contains("dang is a link to nothing"), "{err}");
    // Through `..`, the folder that can be made is named, not `nodir/..`.
    let err = common::fails_with_2(stakeshift().arg("init").arg(dir.join("nodir/../m.toml")));
    assert!(
        err.contains(&format!(
            "the folder {} does not exist; create it first",
            dir.join("nodir").display()
        )),
        "{err}"
    );
    // Nor through a last part `.` or `..` (helper-161: `nodir/.` wrote `nodir`).
    for last in [".", ".."] {
        let named = format!("{}/{last}", dir.join("nodir").display());
        stakeshift()
            .args(["init", &named])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{named} names a folder (it ends in `{last}`)"
            )));
    }
    assert!(!dir.join("nodir").exists());
}

#[test]
fn regression_compare_overflow_gave_simulation_advice_and_a_bare_year() {
    // helper-160: a compare whose discount factors outgrow a decimal was told about a
    // simulation's vols, and "in trajectory `base`, 2461:" did not say 2461 was a year.
    let dir = ScratchDir::new("cli-overflow-year");
    let model = std::fs::read_to_string("tests/bad/_valid.toml")
        .unwrap()
        .replace("end_year = 2030", "end_year = 2519");
    let path = dir.join("long.toml");
    std::fs::write(&path, model).unwrap();
    let out = stakeshift()
        .arg("compare")
        .arg(&path)
        .args(["--set", "discount_rate=-0.1"])
        .assert()
        .code(2);
    let e = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(e.contains(", year 2"), "{e}");
    assert!(e.contains("too large to hold"), "{e}");
    assert!(!e.contains("simulation") && !e.contains("vols"), "{e}");
}

#[test]
fn regression_an_out_that_cannot_be_a_folder_was_refused_only_after_the_run() {
    // helper-160: `simulate --paths 2000000 --out afile` ran every path, then was refused.
    // Now each command with --out refuses it first: before a model that fails to run
    // (the overflow above) says so.
    let dir = ScratchDir::new("cli-out-first");
    let model = std::fs::read_to_string("tests/bad/_valid.toml")
        .unwrap()
        .replace("end_year = 2030", "end_year = 2519");
    let path = dir.join("long.toml");
    std::fs::write(&path, model).unwrap();
    let file = dir.join("afile");
    std::fs::write(&file, "keep").unwrap();
    let nested = dir.join("afile").join("sub");
    for args in [
        vec!["compare"],
        vec!["chart"],
        vec!["simulate", "--quiet"],
        vec!["sweep", "--vary", "equity.stake=0..1:3"],
        vec!["tornado"],
        vec!["solve"],
    ] {
        for out in [&file, &nested] {
            let mut cmd = stakeshift();
            cmd.arg(args[0]).arg(&path);
            if args[0] == "solve" {
                cmd.arg("equity.stake");
            }
            let e = String::from_utf8_lossy(
                &cmd.args(&args[1..])
                    .args(["--set", "discount_rate=-0.1", "--out"])
                    .arg(out)
                    .assert()
                    .code(2)
                    .get_output()
                    .stderr,
            )
            .into_owned();
            assert!(
                e.contains("is a file, not a folder") && !e.contains("too large"),
                "{args:?} {}: {e}",
                out.display()
            );
        }
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn init_writes_the_builtin_model_and_refuses_to_overwrite() {
    let dir = ScratchDir::new("cli-init");
    let path = dir.join("model.toml");
    stakeshift().arg("init").arg(&path).assert().success();
    // The built-in model, less its `#:schema` line (which points from models/ to docs/ in
    // this repository, and at nothing from a copy elsewhere).
    let builtin_text = std::fs::read_to_string("models/msft-openai.toml").unwrap();
    let (schema_line, rest) = builtin_text.split_once('\n').unwrap();
    assert!(schema_line.starts_with("#:schema "), "{schema_line}");
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, rest);
    assert!(!written.contains("#:schema"));
    // `-` is standard output, and writes no file named `-`.
    let out = stakeshift()
        .current_dir(dir.path())
        .args(["init", "-"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8(out.get_output().stdout.clone()).unwrap(),
        rest
    );
    assert!(!dir.join("-").exists());
    stakeshift()
        .arg("init")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    stakeshift()
        .arg("init")
        .arg(&path)
        .arg("--force")
        .assert()
        .success();
    stakeshift()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("valid"));
    // The written file gives the same numbers as the built-in model.
    let builtin = stakeshift()
        .args(["compare", "--format", "csv"])
        .assert()
        .success();
    let from_file = stakeshift()
        .args(["compare", "--format", "csv"])
        .arg(&path)
        .assert()
        .success();
    assert_eq!(builtin.get_output().stdout, from_file.get_output().stdout);
}

#[test]
fn every_model_in_the_repo_checks_and_compares() {
    for entry in std::fs::read_dir("models").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            stakeshift().arg("check").arg(&path).assert().success();
            stakeshift().arg("compare").arg(&path).assert().success();
        }
    }
}

#[test]
fn trajectories_from_a_csv_file_run() {
    let dir = ScratchDir::new("cli-csv");
    let csv = "trajectory,year,revenue,profit,valuation\n\
               flat,2020,10,2,100\nflat,2021,10,2,100\nflat,2022,10,2,100\n";
    std::fs::write(dir.join("t.csv"), csv).unwrap();
    let model = r#"
name = "csv trajectories"
unit = "USD m"
start_year = 2020
end_year = 2022
valuation_year = 2020
discount_rate = 0
trajectories_csv = "t.csv"
[investor]
party = "inv"
contributions = [[2020, 1]]
[profit_share]
residual = "founders"
[[profit_share.tiers]]
name = "half"
shares = { inv = 0.5 }
[equity]
from_year = 2020
stake = 0.1
"#;
    std::fs::write(dir.join("m.toml"), model).unwrap();
    let out = stakeshift()
        .args(["compare", "--format", "csv"])
        .arg(dir.join("m.toml"))
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // Profit share: -1 + 3 x 1 = 2 at 0%. Equity: -1 + 0.1 x 100 terminal = 9.
    let row = text.lines().nth(1).unwrap();
    assert!(
        row.starts_with("flat,2.000000,9.000000,7.000000,equity,"),
        "{row}"
    );
}

/// An I/O failure (here stdout on a full device) is exit 1 with its cause printed once. (A
/// path through a file, `notes.txt/sub`, was this test's example until it became bad usage:
/// tests/model_hardening.rs.)
#[cfg(target_os = "linux")]
#[test]
fn regression_io_errors_print_their_cause_once_and_exit_1() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("stakeshift"))
        .args(["compare", "--format", "csv"])
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(err.matches("(os error").count(), 1, "{err}");
}

#[cfg(unix)]
#[test]
fn regression_output_files_are_readable_not_private_temp_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = ScratchDir::new("cli-perm");
    stakeshift()
        .args(["compare", "--out"])
        .arg(&dir)
        .assert()
        .success();
    for name in ["summary.csv", "yearly.csv", "comparison.csv", "value.png"] {
        let mode = std::fs::metadata(dir.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode & 0o044, 0o044, "{name} has mode {mode:o}");
    }
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".stakeshift-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Issue 6: `discount_rate = 9` ran silently at 900% a year. A rate of 100% or more (and a
/// hazard of 1) is valid but warned about on stderr, naming the file, line and field; the
/// output and exit code do not change, and a model without such values warns of nothing.
#[test]
fn regression_a_percent_written_for_a_rate_is_warned_about_with_its_line() {
    let dir = ScratchDir::new("percent-warning");
    let builtin = std::fs::read_to_string(common::repo_path("models/msft-openai.toml")).unwrap();
    let line = builtin
        .lines()
        .position(|l| l.starts_with("discount_rate"))
        .unwrap()
        + 1;
    let cases = [
        ("discount_rate", "9", "900%", "write 0.09"),
        ("discount_rate", "1.5", "150%", "write 0.015"),
    ];
    for (key, value, percent, advice) in cases {
        let text: String = builtin
            .lines()
            .map(|l| {
                if l.starts_with(key) {
                    format!("{key} = {value}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        let model = dir.path().join("model.toml");
        std::fs::write(&model, text).unwrap();
        let out = stakeshift()
            .args(["compare", "-t", "base"])
            .arg(&model)
            .assert()
            .success()
            .get_output()
            .clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.starts_with("warning: ")
                && stderr.contains(&format!("model.toml, line {line}, column"))
                && stderr.contains(&format!("{key}: {value} is a yearly rate of {percent}"))
                && stderr.contains(advice),
            "{stderr}"
        );
        assert!(!out.stdout.is_empty());
    }
    // Through --set as well, and for a series' growth and a hazard of 1.
    for (set, field) in [
        (
            "discount_rate=12",
            "discount_rate: 12 is a yearly rate of 1200%",
        ),
        (
            "trajectories[bust].revenue.growth=7",
            ".revenue.growth: 7 is a yearly rate of 700%",
        ),
        (
            "simulation.failure_hazard=1",
            "simulation.failure_hazard: 1 is a yearly probability",
        ),
    ] {
        let stderr = check_with_set_warns(set);
        assert!(stderr.contains(field), "--set {set}: {stderr}");
    }
    // No warning without such values.
    stakeshift()
        .args(["compare", "-t", "base"])
        .assert()
        .success()
        .stderr("");
    stakeshift()
        .args(["check", "--set", "discount_rate=0.99"])
        .assert()
        .success()
        .stderr("");
}

/// `check --set SET` on the built-in model, which succeeds: its stderr.
fn check_with_set_warns(set: &str) -> String {
    let out = stakeshift()
        .args(["check", "--set", set])
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(out.stderr).unwrap()
}

/// Found by a tester working from the SPEC alone: a `growth` on a margin (or on the cloud
/// side's spend and share, margin-like series) is valid (SPEC 2 allows it on every series)
/// but changes nothing, since such a series holds its last value; it was taken silently.
#[test]
fn a_growth_on_a_margin_like_series_is_warned_about() {
    for (set, field) in [
        (
            "trajectories[base].margin.growth=0.05",
            "trajectories[2].margin.growth: has no effect: a margin-like series holds its last value",
        ),
        (
            "cloud.spend.growth=0.1",
            "cloud.spend.growth: has no effect",
        ),
        (
            "equity.cloud.share.growth=0.1",
            "equity.cloud.share.growth: has no effect",
        ),
    ] {
        let stderr = check_with_set_warns(set);
        assert!(stderr.contains(field), "--set {set}: {stderr}");
        // The results are those without it.
        let with = stakeshift()
            .args(["compare", "--format", "csv", "--set", set])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let without = stakeshift()
            .args(["compare", "--format", "csv"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert_eq!(with, without, "--set {set}");
    }
    // A growth of 0 says nothing.
    stakeshift()
        .args(["check", "--set", "trajectories[base].margin.growth=0"])
        .assert()
        .success()
        .stderr("");
}

/// Many slips make ten warning lines and a count, not one line each.
#[test]
fn many_warnings_are_cut_to_ten_and_a_count() {
    let mut args = vec!["check".to_string()];
    for t in ["bust", "bear", "base", "bull", "early-agi", "commoditized"] {
        for series in ["revenue", "valuation"] {
            args.push("--set".into());
            args.push(format!("trajectories[{t}].{series}.growth=2"));
        }
    }
    let out = stakeshift()
        .args(&args)
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 11, "{stderr}");
    assert!(lines.iter().all(|l| l.starts_with("warning: ")), "{stderr}");
    assert_eq!(lines[10], "warning: 2 more warnings like these", "{stderr}");
}

/// A warning is placed where its value was written: against the `--set` that wrote it, or
/// at its line in the file as the user has it, even when an override inserted a line above
/// it (the patched text's lines are not the file's).
#[test]
fn warnings_name_the_set_that_wrote_the_value_or_its_line_in_the_file() {
    let dir = ScratchDir::new("warning-place");
    let text = std::fs::read_to_string(common::repo_path("tests/bad/_valid.toml"))
        .unwrap()
        .replace(
            "revenue = { points = [[2020, 1.0], [2025, 10.0]], growth = 0.05 }",
            "revenue = { points = [[2020, 1.0], [2025, 10.0]], growth = 1.5 }",
        );
    let line = text
        .lines()
        .position(|l| l.contains("growth = 1.5"))
        .unwrap()
        + 1;
    let column = text.lines().nth(line - 1).unwrap().find("1.5").unwrap() + 1;
    let model = dir.path().join("model.toml");
    std::fs::write(&model, &text).unwrap();
    let out = stakeshift()
        .arg("check")
        .arg(&model)
        .args(["--set", "profit_share.investor_rights_end_at_agi=true"])
        .args(["--set", "discount_rate=2"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "model.toml, line {line}, column {column}: trajectories[0].revenue.growth: 1.5 is a yearly rate of 150%"
        )),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("warning: --set discount_rate=2: discount_rate: 2 is a yearly rate of 200%"),
        "{stderr}"
    );
    // The file's own warning lists no `--set`: the file alone has it. Nor does a scale take
    // it, which leaves a growth rate as it is (helper-244: placed at the `--set`, its "if
    // you meant" dropped).
    assert!(!stderr.contains("(with --set"), "{stderr}");
    let scaled = stakeshift()
        .arg("check")
        .arg(&model)
        .args(["--set", "scale.revenue=2"])
        .output()
        .unwrap();
    let scaled = String::from_utf8_lossy(&scaled.stderr);
    assert!(
        scaled.contains(&format!(
            "model.toml, line {line}, column {column}: trajectories[0].revenue.growth: 1.5 is a yearly rate of 150%"
        )) && scaled.contains("if you meant 1.5%"),
        "{scaled}"
    );
}

/// Regression: the text tables padded cells by their count of chars, so a name in a wide
/// script (each CJK character takes two columns on a terminal) pushed its row's columns out
/// of line. Every line of a table, from its rule down, now ends at the same column.
#[test]
fn regression_tables_align_names_in_wide_scripts() {
    use unicode_width::UnicodeWidthStr;
    let dir = ScratchDir::new("cli-wide-names");
    let builtin = std::fs::read_to_string(common::repo_path("models/msft-openai.toml")).unwrap();
    let wide = "基本ケース";
    let text = builtin
        .replace("name = \"base\"", &format!("name = \"{wide}\""))
        .replace("weights = { base =", &format!("weights = {{ \"{wide}\" ="));
    assert_ne!(text, builtin);
    let model = dir.join("wide.toml");
    std::fs::write(&model, text).unwrap();
    let model = model.to_str().unwrap();
    let runs: [&[&str]; 3] = [
        &["compare", model],
        &["tornado", model, "--trajectory", wide],
        &["simulate", model, "--paths", "300", "--quiet"],
    ];
    for args in runs {
        let out = stakeshift().args(args).assert().success();
        let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(stdout.contains(wide), "{args:?}:\n{stdout}");
        // The first table: from its rule (a line of dashes and spaces) to the first blank line.
        let lines: Vec<&str> = stdout
            .lines()
            .skip_while(|l| !l.starts_with("--"))
            .take_while(|l| !l.is_empty())
            .collect();
        // simulate's first table has no rule: its lines run from the header to a blank line.
        let lines = if lines.is_empty() {
            stdout
                .lines()
                .skip_while(|l| !l.contains("P(equity wins)"))
                .take_while(|l| !l.is_empty())
                .collect()
        } else {
            lines
        };
        assert!(lines.len() > 2, "{args:?}:\n{stdout}");
        assert!(
            lines.iter().any(|l| l.contains(wide)),
            "{args:?}:\n{stdout}"
        );
        let width = lines[0].width();
        for line in &lines {
            assert_eq!(line.width(), width, "{args:?}: `{line}` in\n{stdout}");
        }
    }
}

/// Found by a tester working from the SPEC alone: SPEC 6 makes a model whose round has no
/// positive pre-money value in *some* trajectory a bad model, and SPEC 7 gives a bad model
/// exit 2; `compare -t x` (and `explain`, `sweep`, `solve`, `tornado` with `-t x`) ran the
/// chosen trajectory only and exited 0 on a file that `check` and `compare` refuse.
/// `--trajectory` now chooses what is shown, not what is checked.
#[test]
fn a_choice_of_trajectories_does_not_hide_an_invalid_one() {
    let dir = ScratchDir::new("unchosen");
    let model = dir.path().join("model.toml");
    // `y` is worth 0 in 2030, so the 2030 round's default pre-money there is 0 - 7.
    std::fs::write(
        &model,
        "name = \"two\"\nunit = \"u\"\nstart_year = 2030\nend_year = 2031\nvaluation_year = 2030\n\
         discount_rate = 0.1\n\n[investor]\nparty = \"inv\"\ncontributions = [[2030, 3.0]]\n\n\
         [profit_share]\nresidual = \"r\"\n\n[[profit_share.tiers]]\nname = \"only\"\n\
         shares = { inv = 0.5 }\n\n[equity]\nfrom_year = 2030\nstake = 0.2\n\n\
         [[equity.rounds]]\nyear = 2030\nraise = 7.0\n\n\
         [[trajectories]]\nname = \"x\"\nrevenue = { points = [[2030, 10.0]] }\n\
         margin = { points = [[2030, 0.5]] }\nvaluation = { points = [[2030, 14.0]] }\n\n\
         [[trajectories]]\nname = \"y\"\nrevenue = { points = [[2030, 10.0]] }\n\
         margin = { points = [[2030, 0.5]] }\nvaluation = { points = [[2030, 0.0]] }\n",
    )
    .unwrap();
    let refused = "in trajectory `y`, year 2030: the round's pre-money value would be -7.0 (valuation 0 minus raise 7.0)";
    // The subcommand, the model, then the options (solve's PATH follows the model).
    let run = |args: &[&str]| {
        stakeshift()
            .arg(args[0])
            .arg(&model)
            .args(&args[1..])
            .assert()
    };
    for args in [
        vec!["compare", "-t", "x"],
        vec!["compare", "-t", "x", "--format", "csv"],
        vec!["compare", "-t", "y"],
        vec!["compare"],
        vec!["check"],
        vec!["explain", "-t", "x", "--year", "2031"],
        vec!["sweep", "-t", "x", "--vary", "discount_rate=0..0.2:3"],
        vec!["solve", "-t", "x", "discount_rate"],
        vec!["tornado", "-t", "x"],
    ] {
        run(&args)
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(refused));
    }
    // With `y`'s round given a pre-money, both run, chosen or not.
    let text = std::fs::read_to_string(&model)
        .unwrap()
        .replace("raise = 7.0\n", "raise = 7.0\npre_money = 10.0\n");
    std::fs::write(&model, text).unwrap();
    for args in [
        vec!["compare", "-t", "x"],
        vec!["explain", "-t", "x", "--year", "2031"],
        vec!["sweep", "-t", "x", "--vary", "discount_rate=0..0.2:3"],
        vec!["tornado", "-t", "x"],
    ] {
        run(&args).success();
    }
}

/// helper-39: a trajectories_csv row for a year outside the model's was ignored in silence
/// (a mistyped 2301 for 2031 would vanish). It is still ignored, and warned about with the
/// file, the line and the year; the results are those without the row.
#[test]
fn trajectories_csv_rows_outside_the_models_years_are_warned_about() {
    let dir = crate::common::ScratchDir::new("csv-outside");
    let model =
        std::fs::read_to_string(crate::common::repo_path("tests/bad/_valid_csv.toml")).unwrap();
    std::fs::write(dir.join("m.toml"), &model).unwrap();
    let csv =
        std::fs::read_to_string(crate::common::repo_path("tests/bad/_valid_csv.csv")).unwrap();
    std::fs::write(dir.join("_valid_csv.csv"), &csv).unwrap();
    let run = |args: &[&str]| crate::common::succeeds(stakeshift().current_dir(&*dir).args(args));
    let (clean, quiet) = run(&["compare", "m.toml", "--format", "csv"]);
    assert!(!quiet.contains("warning"), "{quiet}");
    let lines = csv.lines().count();
    std::fs::write(
        dir.join("_valid_csv.csv"),
        format!("{csv}fromcsv,2301,1.0,0.1,1.0\n"),
    )
    .unwrap();
    let (with, warned) = run(&["compare", "m.toml", "--format", "csv"]);
    assert!(
        warned.contains(&format!(
            "in `_valid_csv.csv`, the row for 2301 (line {}) lies outside the model's years 2020..=2030 and is ignored; remove it, or widen",
            lines + 1
        )),
        "{warned}"
    );
    assert_eq!(with, clean);
}

/// Regression (helper-50's review): an IRR beyond what `Decimal` holds (as a percentage, or
/// at all) made `compare`'s table panic ("Multiplication overflowed", exit 1) and the CSV
/// print an empty cell, which says "no rate solves it". One year of 1e-12 paid in, then a
/// stake of 1 in a company worth V: the equity IRR solves -1e-12 + V / (1 + r) = 0, r = V /
/// 1e-12 - 1.
#[test]
fn regression_an_irr_beyond_decimal_prints_instead_of_panicking() {
    let dir = ScratchDir::new("huge-irr");
    for (valuation, irr) in [("1e15", 1e27), ("1e17", 1e29)] {
        let model = common::write_file(
            dir.path(),
            &format!("m{valuation}.toml"),
            &format!(
                r#"name = "Huge IRR"
unit = "USD m"
start_year = 2024
end_year = 2025
valuation_year = 2024
discount_rate = 0.1
investor = {{ party = "fund", contributions = [[2024, 1e-12]] }}
equity = {{ from_year = 2025, stake = 1.0 }}
[profit_share]
residual = "founders"
tiers = [{{ name = "Half", shares = {{ fund = 0.5 }} }}]
[[trajectories]]
name = "only"
revenue = {{ points = [[2024, 100.0]] }}
margin = {{ points = [[2024, 0.0], [2025, 0.1]] }}
valuation = {{ points = [[2024, 100.0], [2025, {valuation}]] }}
"#
            ),
        );
        let (table, _) = common::succeeds(stakeshift().arg("compare").arg(&model));
        // The IRR column as a percentage: 100 r, in full.
        let percent = table
            .split_whitespace()
            .filter_map(|w| w.strip_suffix('%'))
            .filter_map(|w| w.replace(',', "").parse::<f64>().ok())
            .find(|p| *p > 1e20)
            .unwrap_or_else(|| panic!("no IRR of {irr:e} in:\n{table}"));
        assert!(
            (percent / (100.0 * irr) - 1.0).abs() < 1e-9,
            "{percent} in:\n{table}"
        );
        let (csv, _) = common::succeeds(
            stakeshift()
                .args(["compare", "--format", "csv"])
                .arg(&model),
        );
        let table = common::parse_csv(csv.as_bytes()).unwrap();
        let cell = &table.rows[0][table.column("irr_equity").unwrap()];
        let r: f64 = cell
            .parse()
            .unwrap_or_else(|_| panic!("irr_equity {cell:?}"));
        assert!((r / irr - 1.0).abs() < 1e-9, "irr_equity {cell}");
        assert!(!cell.contains('e'), "no exponent: {cell}");
    }
}

/// Found by a tester trying the tool as an analyst: slips that change the answer a lot were
/// accepted without a word (helper-51): an investor spelt otherwise than in the tiers, a
/// margin or spend written as a percent, a year mistyped far outside the model, a tier
/// `until` below the same party's in an earlier tier. Each is valid by the SPEC, so each is
/// a warning, naming the field and what to write; the built-in model has none of them.
#[test]
fn likely_slips_in_a_model_are_warned_about() {
    for (set, expected) in [
        (
            "investor.party=\"Microsoft\"",
            "investor.party: \"Microsoft\" has no share in any tier of the profit share and is not its residual, so the waterfall pays it nothing (a revenue share still would); did you mean \"microsoft\"?",
        ),
        (
            "trajectories[base].margin.points=[[2023, -0.1], [2030, 25]]",
            "trajectories[2].margin.points[1]: a margin of 25 in 2030 is a profit of 2500% of revenue; margins are fractions: if you meant 25%, write 0.25",
        ),
        (
            "trajectories[base].margin.points=[[2023, -40]]",
            "a margin of -40 in 2023 is a loss of 4000% of revenue",
        ),
        // Past any percent a user would write, no "if you meant" (helper-236: "if you meant
        // 1000000000000000000%, write 10000000000000000").
        (
            "trajectories[base].margin.points=[[2023, -0.1], [2030, 1e18]]",
            "a margin of 1000000000000000000 in 2030 is a profit of 100000000000000000000% of revenue; margins are fractions\n",
        ),
        (
            "discount_rate=5000",
            "discount_rate: 5000 is a yearly rate of 500000%\n",
        ),
        (
            "discount_rate=9",
            "discount_rate: 9 is a yearly rate of 900%; if you meant 9%, write 0.09\n",
        ),
        (
            "cloud.spend.points=[[2023, 140]]",
            "cloud.spend.points[0]: a compute spend of 140 is 14000% of revenue; spend is a fraction of revenue: if you meant 140%, write 1.4",
        ),
        (
            "trajectories[base].valuation.points=[[2023, 29.0], [2300, 900.0]]",
            "trajectories[2].valuation.points[1]: the point for 2300 lies 255 years after end_year 2045",
        ),
        (
            "trajectories[base].agi_year=20300",
            "trajectories[2].agi_year: 20300 lies 18255 years after end_year 2045: AGI is then never declared within the model",
        ),
        (
            "trajectories[base].agi_year=1930",
            "trajectories[2].agi_year: 1930 lies 89 years before start_year 2019: AGI is then declared from start_year on",
        ),
        (
            "profit_share.tiers[1].until.microsoft=13",
            "profit_share.tiers[1].until.microsoft: 13 is not above the 13 that tiers[0] gives \"microsoft\" as its `until`",
        ),
    ] {
        let stderr = check_with_set_warns(set);
        assert!(stderr.contains(expected), "--set {set}: {stderr}");
    }
    // The nearest name is suggested only where it is near (helper-54): `ms` is no slip for
    // `others` or `nonprofit`, `microsft` is one for `microsoft`.
    let far = check_with_set_warns("investor.party=\"ms\"");
    assert!(
        far.contains("has no share in any tier") && !far.contains("did you mean"),
        "{far}"
    );
    let near = check_with_set_warns("investor.party=\"microsft\"");
    assert!(near.contains("did you mean \"microsoft\"?"), "{near}");
    // Not for what is usual: a loss of 1.35 times revenue, a spend of 1.4 times it, a point
    // a few years past the end, a tier's `until` above the earlier one.
    for set in [
        "trajectories[base].margin.points=[[2023, -1.35], [2030, 0.2]]",
        "cloud.spend.points=[[2023, 1.4]]",
        "trajectories[base].valuation.points=[[2023, 29.0], [2060, 9000.0]]",
        "profit_share.tiers[1].until.microsoft=13.5",
    ] {
        assert_eq!(check_with_set_warns(set), "", "--set {set}");
    }
}

/// helper-218: three slips on a key's line got the reader's words with no key: `stake 0.3`
/// ("key with no value, expected `=`"), `stake =` ("string values must be quoted, expected
/// literal string", of a value that is missing) and a dotted key adding to an inline table
/// written above ("cannot extend value of type inline table with a dotted key"). Each now
/// names the key's path and what to write.
#[test]
fn regression_a_key_line_without_its_value_names_the_key() {
    let dir = ScratchDir::new("key-without-value");
    let builtin = stakeshift::BUILTIN_MODEL;
    let stake_line = 1 + builtin
        .lines()
        .position(|l| l.starts_with("stake = "))
        .unwrap();
    for (to, line, column, field, expected) in [
        (
            "stake 0.3",
            stake_line,
            7,
            "equity.stake",
            "`stake` is not followed by `=`: a line holds a `key = value`",
        ),
        (
            "this is not toml",
            stake_line,
            6,
            "equity.this",
            "`this` is not followed by `=`",
        ),
        (
            "stake =   # to come",
            stake_line,
            11,
            "equity.stake",
            "`stake =` has no value: write it after the `=`",
        ),
    ] {
        let text = builtin
            .lines()
            .map(|l| if l.starts_with("stake = ") { to } else { l })
            .collect::<Vec<_>>()
            .join("\n");
        let model = common::write_file(dir.path(), "m.toml", &text);
        let stderr = common::fails_with_2(stakeshift().arg("check").arg(&model));
        assert!(
            stderr.contains(&format!("m.toml, line {line}, column {column}: {field}: the file is not valid TOML: {expected}")),
            "{to}: {stderr}"
        );
    }
    let inline = "name = \"m\"\n[[trajectories]]\nname = \"a\"\n\
                  revenue = { points = [[2020, 1.0]] }\nrevenue.growth = 0.02\n";
    let stderr = common::fails_with_2(stakeshift().args(["check", "-"]).write_stdin(inline));
    assert!(
        stderr.contains("line 5, column 1: trajectories[0].revenue.growth: the file is not valid TOML: `revenue.growth` adds to a table written above inline"),
        "{stderr}"
    );
}

/// helper-223: a model saved as Windows-1252 or Latin-1 was "not UTF-8 text", with no
/// word of which byte or what to do. The byte is named, with what it likely is.
#[test]
fn regression_a_model_not_in_utf8_names_its_byte() {
    for (bytes, expected) in [
        (
            &b"name = \"caf\xe9\"\n"[..],
            "line 1, column 12: the file is not UTF-8 text: byte 0xE9 (an accented letter in Latin-1 or Windows-1252) stands here; save the file as UTF-8",
        ),
        (
            &b"name = \x93x\x94\n"[..],
            "line 1, column 8: the file is not UTF-8 text: byte 0x93 (a curly quote in Windows-1252) stands here",
        ),
        // helper-224: a character cut off by the file's end is no accented letter.
        (
            &b"unit = \"\xe2\x82"[..],
            "byte 0xE2 (the start of a character the file ends inside: cut off?)",
        ),
        (
            &b"unit = \"\x80\"\n"[..],
            "byte 0x80 (the euro sign in Windows-1252)",
        ),
    ] {
        let stderr = common::fails_with_2(
            stakeshift()
                .args(["check", "-"])
                .write_stdin(bytes.to_vec()),
        );
        assert!(stderr.contains(expected), "{stderr}");
    }
}

/// helper-223: in the built-in model, whose trajectories have `[trajectories.revenue]`
/// sub-tables, a first `[[trajectories]]` misspelt or written with one bracket was told as
/// "duplicate key `trajectories`" at the next, correct header, 39 lines on; one bracket on
/// a later entry, with no word of what to write. Each is told at the slip.
#[test]
fn regression_a_list_header_slip_is_told_where_it_is() {
    let dir = ScratchDir::new("list-header");
    let builtin = stakeshift::BUILTIN_MODEL;
    let headers: Vec<usize> = builtin
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "[[trajectories]]")
        .map(|(i, _)| i + 1)
        .collect();
    let (first, second) = (headers[0], headers[1]);
    let with = |line: usize, to: &str| {
        builtin
            .lines()
            .enumerate()
            .map(|(i, l)| if i + 1 == line { to } else { l })
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (line, to, expected) in [
        (
            first,
            "[[trajectory]]",
            format!(
                "line {first}, column 1: trajectories: the file is not valid TOML: `[trajectories.revenue]` at line {} belongs to an entry of the list `trajectories`, but no `[[trajectories]]` begins that entry: the header above it, `[[trajectory]]` at line {first}, is a misspelt `[[trajectories]]`, or one is missing before line {} (so the `[[trajectories]]` at line {second} was refused as a key given twice)",
                first + 4,
                first + 4
            ),
        ),
        // (helper-224: with the header deleted, the table above was blamed: `[cloud]`.)
        (
            first,
            "",
            format!(
                "line {}, column 1: trajectories: the file is not valid TOML: `[trajectories.revenue]` at line {} belongs to an entry of the list `trajectories`, but no `[[trajectories]]` begins that entry: the header above it, `[cloud]`",
                first + 4,
                first + 4
            ),
        ),
        (
            first,
            "[trajectories]",
            format!(
                "line {first}, column 1: trajectories: the file is not valid TOML: `[trajectories]` at line {first} should be `[[trajectories]]`: with one bracket it makes `trajectories` one table"
            ),
        ),
        (
            second,
            "[trajectories]",
            format!(
                "line {second}, column 1: trajectories: the file is not valid TOML: `[trajectories]` should be `[[trajectories]]`: `trajectories` is a list of tables (`[[trajectories]]` at line {first})"
            ),
        ),
    ] {
        let model = common::write_file(dir.path(), "m.toml", &with(line, to));
        let stderr = common::fails_with_2(stakeshift().arg("check").arg(&model));
        assert!(stderr.contains(&expected), "{to} at {line}: {stderr}");
    }
}

/// helper-224: the search for a misspelt `[[list]]` header read every line that begins
/// with `[` and built two strings of the name for each: 200,000 such lines (inside a
/// string) before names of 1,000,000 characters took 11 s, 6 MB 57 s. It reads the file
/// once, bounded as the other searches are.
#[test]
fn regression_a_list_header_search_is_bounded() {
    let name = "a".repeat(1_000_000);
    let text = format!(
        "x = \"\"\"\n{}\"\"\"\n[{name}]\n[{name}.x]\n[[{name}]]\n[{name}.x]\n",
        "[\n".repeat(600_000)
    );
    let stderr = common::fails_with_2(
        stakeshift()
            .args(["check", "-"])
            .timeout(std::time::Duration::from_secs(20))
            .write_stdin(text),
    );
    assert!(
        stderr.contains("the file is not valid TOML"),
        "{}",
        &stderr[..stderr.len().min(300)]
    );
}

/// helper-223: slips of people used to spreadsheets, word processors, YAML or JSON got
/// the TOML reader's words ("string values must be quoted, expected literal string", "key
/// with no value", "unclosed table", "invalid literal string", or no word at all for a
/// no-break space), which name no fix (quoting `122bn` or `True` fails next). Each now
/// says what to write.
#[test]
fn regression_slips_from_other_formats_say_what_to_write() {
    for (text, expected) in [
        (
            "discount_rate = 0,09\n",
            "discount_rate: the file is not valid TOML: `0,09`: TOML's decimal separator is a point: write 0.09",
        ),
        // (A unit is converted by the reader, not dropped: `20m` in a model in USD bn is
        // 0.02, helper-224.)
        (
            "x = 122bn\n",
            "x: the file is not valid TOML: `122bn`: a number here has no unit: write the amount as a plain number in the model's `unit` (converted: 20m in a model in USD bn is 0.02)",
        ),
        (
            "x = $13.5\n",
            "`$13.5`: a number here has no currency sign (amounts are in the model's `unit`): write 13.5",
        ),
        // helper-224: advice where it does not apply, or that would not parse, is no
        // longer given: a `$13bn` inside an unclosed string, `(-5)`, a fiscal year, a
        // broken exponent, a `:` that is no key's; a `0,270` is a decimal comma.
        ("description = \"Revenue, $13bn\n", "invalid basic string"),
        ("x = (-5)\n", "string values must be quoted"),
        ("end_year = 2026/27\n", "string values must be quoted"),
        ("x = 1e\n", "invalid exponent"),
        (
            "x = { url \"http://a\" }\n",
            "missing assignment between key-value pairs",
        ),
        (
            "x = 0,270\n",
            "`0,270`: TOML's decimal separator is a point: write 0.270",
        ),
        (
            "tags = [\u{201c}a\u{201d}, \u{201c}b\u{201d}]\n",
            "`\u{201c}a\u{201d}` is in curly quotes (as a word processor types them): TOML reads straight ones, \"a\"",
        ),
        ("label: Microsoft\n", "write `label = \"Microsoft\"`"),
        (
            "equity:\n  stake: 0.27\n",
            "equity: the file is not valid TOML: TOML writes a table as a header, `[equity]`, with its keys on the lines after it",
        ),
        ("[a # c]\n", "unclosed table"),
        ("x = 122 bn\n", "after `x = 122` the line goes on with `bn`"),
        (
            "x = 27/100\n",
            "`27/100` is a fraction, which TOML does not compute: write it as a decimal, 0.27",
        ),
        // (A quotient past 28 digits, or by 0, is no fraction to offer: the reader's words;
        // the first panicked, "Division overflowed".)
        (
            "x = 79228162514264337593543950335/0.1\n",
            "the file is not valid TOML",
        ),
        ("x = 1/0\n", "the file is not valid TOML"),
        (
            "x = [[2024, \u{2212}1.5]]\n",
            "`\u{2212}1.5` begins with a typographic dash (U+2212): write -1.5, with the plain minus sign",
        ),
        (
            "x = (1.35)\n",
            "`(1.35)`: a negative number is written with a minus sign, -1.35",
        ),
        (
            "unit = \u{201c}USD bn\u{201d}\n",
            "unit: the file is not valid TOML: `\u{201c}USD bn\u{201d}` is in curly quotes (as a word processor types them): TOML reads straight ones, \"USD bn\"",
        ),
        (
            "[equity]\nstake: 0.27\n",
            "line 3, column 8: equity.stake: the file is not valid TOML: TOML writes a key and its value with `=`, not `:` (as YAML or JSON do): write `stake = 0.27`",
        ),
        (
            "x = { \"a\": 1 }\n",
            "inside `{ ... }` TOML writes each key and its value with `=`, not `:`",
        ),
        (
            "x = { a = }\n",
            "`a =` has no value: write it after the `=`",
        ),
        (
            "[profit share]\n",
            "line 2, column 8: the file is not valid TOML: `[profit share]` has a space in its name: a table's name is one word, or words joined by `_` or `.`; did you mean [profit_share]?",
        ),
        (
            "x = True\n",
            "`True`: TOML writes true and false in lower case: write true",
        ),
        (
            "x = yes\n",
            "`yes` is neither a number nor quoted text: a yes or no is written true or false",
        ),
        // helper-278: in an inline table, a number grouped past the reader's first comma
        // was told a decimal comma (`+1,234,567．30`: "write 1.234").
        (
            "x = { a = +1,234,567\u{ff0e}30 }\n",
            "the file is not valid TOML: extra comma in inline table",
        ),
        // helper-279: in an inline table, a negative decimal comma keeps its sign, and a
        // number in curly quotes is told to lose them.
        (
            "x = { a = -0,05 }\n",
            "`-0,05`: TOML's decimal separator is a point: write -0.05",
        ),
        (
            "discount_rate = \u{201c}0.2\u{201d}\n",
            "is a number in curly quotes: write it without quotes, 0.2",
        ),
        // helper-278: a key that takes text is offered no number's fix (`unit = 50%` was
        // told to write 0.5, which it then refuses).
        (
            "unit = 50%\n",
            "unit: the file is not valid TOML: string values must be quoted",
        ),
        // helper-266: full-width digits were told "string values must be quoted", a line
        // separator after a value "invalid float, expected nothing".
        (
            "discount_rate = \u{ff10}\u{ff0e}\u{ff11}\u{ff10}\n",
            "discount_rate: the file is not valid TOML: `\u{ff10}\u{ff0e}\u{ff11}\u{ff10}` is written in full-width characters (as an East Asian input method types them): write 0.10",
        ),
        (
            "x = [[2024, \u{ff0d}\u{ff11}]]\n",
            "is written in full-width characters (as an East Asian input method types them): write -1",
        ),
        (
            "x = 0.10\u{2028}\n",
            "an invisible character stands here, a line separator, which TOML does not read as a line's end (U+2028); replace it with a line break",
        ),
        // Between two keys (helper-277: "delete it" joined them).
        (
            "x = 0.10\u{2029}y = 1\n",
            "a paragraph separator, which TOML does not read as a line's end (U+2029): replace it with a line break",
        ),
        (
            "x\u{a0}= 1\n",
            "an invisible character stands here, a no-break space, which TOML does not read as a space (U+00A0)",
        ),
    ] {
        slip_is_told(text, expected);
    }
}

/// A model of `name = "m"` and then `text`, read from standard input: exit 2, and stderr
/// holds `expected`.
fn slip_is_told(text: &str, expected: &str) {
    let stderr = common::fails_with_2(
        stakeshift()
            .args(["check", "-"])
            .write_stdin(format!("name = \"m\"\n{text}")),
    );
    assert!(stderr.contains(expected), "{text:?}: {stderr}");
}

/// helper-236: a Cyrillic `а` in a key (`stаke`, which reads as `stake`) was "invalid
/// unquoted key, expected letters, numbers, `-`, `_`", and a NUL byte "key with no value";
/// each character is named with its code point.
#[test]
fn regression_a_lookalike_letter_or_a_nul_in_the_file_is_named() {
    slip_is_told(
        "st\u{430}ke = 0.2\n",
        "`\u{430}` (U+0430) is not one of them: a bare key holds only the ASCII letters",
    );
    slip_is_told(
        "\0\n",
        "line 2, column 2: the file is not valid TOML: a control character (U+0000) stands just before here",
    );
    slip_is_told(
        "unit = \"USD\u{1}\"\n",
        "a control character (U+0001) stands here, which no TOML key or value holds",
    );
    // helper-238: a name with an accent is no slip: quoted, it is valid, and the message
    // says so; a C1 control (allowed in a string) is not blamed for an unclosed string.
    slip_is_told(
        "[profit_share]\nshares = { soci\u{e9}t\u{e9} = 0.49 }\n",
        "a name of your own may be put in quotes, \"soci\u{e9}t\u{e9}\"; if a letter only looks Latin",
    );
    // helper-239: the quoted form is offered only where a name of one's own stands (a
    // party, a trajectory in `weights`), not for the model's own keys.
    slip_is_told(
        "[x]\nsoci\u{e9}t\u{e9} = 0.49\n",
        "`-` and `_`, as every key the model reads is written; if a letter only looks Latin",
    );
    for own in [
        "[simulation.weights]\nb\u{e4}se = 1\n",
        "[simulation]\nweights.b\u{e4}se = 1\n",
        "[[profit_share.tiers]]\nuntil = { a = 1, \"b\" = 2, b\u{e4}se = 1 }\n",
    ] {
        slip_is_told(
            own,
            "a name of your own may be put in quotes, \"b\u{e4}se\"",
        );
    }
    // helper-242: an inline table over several lines (TOML 1.1), braces in a quoted name,
    // and a `[` line in a multi-line string are read as they are.
    for own in [
        "[[profit_share.tiers]]\nshares = {\n  fund = 0.75,\n  b\u{e4}se = 0.1,\n}\n",
        "[[profit_share.tiers]]\nshares = { \"a}\" = 0.5, b\u{e4}se = 0.1 }\n",
        "[[profit_share.tiers]]\nshares = { \"a{\" = 0.5, b\u{e4}se = 0.1 }\n",
    ] {
        slip_is_told(
            own,
            "a name of your own may be put in quotes, \"b\u{e4}se\"",
        );
    }
    for model_key in [
        "[[trajectories]]\ndescription = \"\"\"\n[until] notes\n\"\"\"\nb\u{e4}se = 1\n",
        "[x]\na = [ { weights = 1 }, [ { b\u{e4}se = 1 } ] ]\n",
    ] {
        slip_is_told(model_key, "as every key the model reads is written");
    }
    // helper-243: inline tables in an array (the second too), a dotted key inside an inline
    // table.
    for own in [
        "[profit_share]\ntiers = [ { name = \"R\", shares = { fund = 0.75, b\u{e4}se = 0.01 } } ]\n",
        "[profit_share]\ntiers = [ { name = \"R\" }, { shares = { b\u{e4}se = 0.01 } } ]\n",
        "simulation = { weights.b\u{e4}se = 1 }\n",
        "[x]\nuntil = [ [ { a = 7 } ], [ { b\u{e4}se = 1 } ] ]\n",
    ] {
        slip_is_told(
            own,
            "a name of your own may be put in quotes, \"b\u{e4}se\"",
        );
    }
    // helper-239: a C1 control in a key is a control (it may stand in a string, not a key);
    // a soft hyphen is invisible, to be deleted; an emoji is no letter.
    slip_is_told(
        "[x]\na\u{85}b = 1\n",
        "a control character (U+0085) stands here, which no TOML key or value holds",
    );
    slip_is_told(
        "[x]\nst\u{ad}ake = 1\n",
        "an invisible character (U+00AD) stands here, in a key; delete it",
    );
    slip_is_told(
        "[x]\nfund\u{1f680} = 1\n",
        "U+1F680 is not one of them: a bare key holds only the ASCII letters a-z and A-Z, digits, `-` and `_`, as every key the model reads is written\n",
    );
    // Found by fuzzing: an inline table's item without `=` after a value ending in digits
    // that follow a two-byte letter panicked (the digits' start taken one byte past the
    // letter's first).
    slip_is_told(
        "weights = { coe = ss0.27_77\u{6cf}775, dow,1.5 }\n",
        "`dow` inside `{ ... }` has no value: write `dow = value`",
    );
    slip_is_told(
        "unit = \"USD m\u{85}\n",
        "the file is not valid TOML: invalid basic string, expected `\"`",
    );
}

/// helper-223's smaller items: `.27` and `27.` were told "invalid mantissa" and "invalid
/// fraction", `2023-01` "expected `-` (MM-DD)", an item of an inline table without its
/// `=` (or after a decimal comma) "invalid literal string, expected `'`"; the field of a
/// stop inside an inline table stopped at the table; "given twice" named only the second
/// place.
#[test]
fn regression_small_slips_are_told_with_the_fix_and_the_first_place() {
    for (text, expected) in [
        (
            "discount_rate = .09\n",
            "line 2, column 17: discount_rate: the file is not valid TOML: `.09`: a TOML number begins with a digit: write 0.09",
        ),
        (
            "x = [[2024, -.5]]\n",
            "`-.5`: a TOML number begins with a digit: write -0.5",
        ),
        (
            "stake = 27.\n",
            "stake: the file is not valid TOML: `27.`: a TOML number's point has digits after it: write 27.0 (or 27)",
        ),
        (
            "end_year = 2045-1\n",
            "end_year: the file is not valid TOML: `2045-1` is a year and a month, which TOML reads as a date cut short: a year is a whole number: write 2045",
        ),
        (
            "[x]\nshares = { a = 0.5, b = .25 }\n",
            "x.shares.b: the file is not valid TOML: `.25`",
        ),
        (
            "[x]\nshares = { \"a,{=\" = 0.5, b = { c = (1) } }\n",
            "x.shares.b.c: the file is not valid TOML: `(1)`",
        ),
        (
            "shares = { microsoft }\n",
            "shares: the file is not valid TOML: `microsoft` inside `{ ... }` has no value: write `microsoft = value`",
        ),
        (
            "shares = { a = 0.5, microsoft = 0,75, b = 1 }\n",
            "`0,75`: TOML's decimal separator is a point: write 0.75",
        ),
        (
            "shares = { a = 0,75 }\n",
            "`0,75`: TOML's decimal separator is a point: write 0.75",
        ),
        // helper-230: groups of three are thousands inside an inline table too (`13,000`
        // was told to write 13.000); an item's path keeps the array's index; `1.5,25` is
        // no decimal comma.
        (
            "until = { microsoft = 13,000 }\n",
            "`13,000`: TOML numbers have no thousands separator; write 13000",
        ),
        (
            "x = { a = 1,000,000 }\n",
            "`1,000,000`: TOML numbers have no thousands separator; write 1000000",
        ),
        (
            "[equity]\nrounds = [{ year = 2026, raise = 1.0 }, { year = 2027, raise = .5 }]\n",
            "equity.rounds[1].raise: the file is not valid TOML: `.5`",
        ),
        (
            "[equity]\nrounds = [{ year = 2026, raise }]\n",
            "equity.rounds[0]: the file is not valid TOML: `raise` inside `{ ... }` has no value",
        ),
        ("x = { a = 1.5,25 }\n", "`25` inside `{ ... }` has no value"),
        // An escaped quote, or an apostrophe in a basic string, earlier on the line left
        // no hint (helper-230).
        (
            "x = { s = \"a\\\"b\", v = .5 }\n",
            "x.v: the file is not valid TOML: `.5`: a TOML number begins with a digit",
        ),
        (
            "x = { s = \"it's\", v = 27. }\n",
            "x.v: the file is not valid TOML: `27.`: a TOML number's point has digits after it",
        ),
        // A quoted key holding `=` named no field; a key put inside one given as a value
        // was the reader's words, with no field (helper-230).
        (
            "\"a=b\" = .5\n",
            "\"a=b\": the file is not valid TOML: `.5`",
        ),
        (
            "a.b = 1\na.b.c = 2\n",
            "line 3, column 3: a.b.c: the file is not valid TOML: `a.b` is given above as a number, so `a.b.c` cannot put a key inside it",
        ),
        (
            "[a]\nb = 1\n[a.b.c]\n",
            "a.b.c: the file is not valid TOML: `a.b` is given above as a number, so `a.b.c` cannot put a key inside it",
        ),
        (
            "[[t]]\nx = 1\n[[t]]\nx = \"s\"\nx.y = 2\n",
            "t[1].x.y: the file is not valid TOML: `x` is given above as a text",
        ),
        // A header under a list of tables' entry takes its index; a `#` inside a quoted
        // part is no comment (helper-232).
        (
            "[[t]]\nx = 1\n[[t]]\na = 1\n[t.a.b]\n",
            "t[1].a.b: the file is not valid TOML: `t.a` is given above as a number",
        ),
        (
            "[equity]\n\"a#b\" = 1\n[equity.\"a#b\".c]\n",
            "equity.\"a#b\".c: the file is not valid TOML: `equity.\"a#b\"` is given above",
        ),
        // The table as the reader reads it, not from header lines alone (helper-231).
        (
            "[equity]\nnote = \"\"\"\n[fake]\n\"\"\"\nx = 1\nx.y = 2\n",
            "equity.x.y: the file is not valid TOML: `x` is given above as a number",
        ),
        (
            "[[t]]\nname = \"a\"\n[t.extra]\na = 1\na.b = 2\n",
            "t[0].extra.a.b: the file is not valid TOML: `a` is given above as a number",
        ),
        // Escaped quotes and a `]` inside quoted parts (helper-231).
        (
            "\"a\\\"b\" = 1\n\"a\\\"b\".c = 2\n",
            "\"a\\\"b\".c: the file is not valid TOML: `\"a\\\"b\"` is given above as a number",
        ),
        (
            "[equity]\n\"st]ake\" = 1\n[equity.\"st]ake\".c]\n",
            "equity.\"st]ake\".c: the file is not valid TOML: `equity.\"st]ake\"` is given above as a number",
        ),
        (
            "[x]\nb = { c = 1 }\n[x.b.d]\n",
            "x.b.d: the file is not valid TOML: `x.b` is written above inline (`{ ... }`), which is whole where it is written, so `x.b.d` cannot add to it",
        ),
        (
            "discount_rate = 0.09\n# a comment\ndiscount_rate = 0.1\n",
            "line 4, column 1: discount_rate: the file is not valid TOML: this key is given twice (first given on line 2;",
        ),
        (
            "[equity]\nstake = 0.2\n[investor]\n[equity]\n",
            "line 5, column 2: equity: the file is not valid TOML: this key is given twice (first given on line 2;",
        ),
        (
            "[x]\ns = { a = 1, b = 2, a = 3 }\n",
            "x.s.a: the file is not valid TOML: this key is given twice (first given on this line, column 7;",
        ),
        (
            "[x.y]\nz = 1\n[x]\ny.z = 2\n",
            "line 5, column 1: x.y: the file is not valid TOML: this key is given twice (first given on line 2;",
        ),
    ] {
        slip_is_told(text, expected);
    }
}

/// helper-169: `discount_rate = 0.15 0` (a stray number after a value) got "string values
/// must be quoted, expected literal string", which names neither the key nor what is
/// wrong. The message now names the key's path, the value and what follows it, at the
/// place it follows.
#[test]
fn regression_a_value_followed_by_more_on_its_line_names_the_key() {
    let dir = ScratchDir::new("after-a-value");
    let builtin = stakeshift::BUILTIN_MODEL;
    for (from, to, field, expected, column) in [
        (
            "discount_rate = 0.09",
            "discount_rate = 0.15 0",
            "discount_rate",
            "after `discount_rate = 0.15` the line goes on with `0`",
            22,
        ),
        (
            "stake = 0.27 ",
            "stake = 0.27 0.3 ",
            "equity.stake",
            "after `stake = 0.27` the line goes on with `0.3`",
            14,
        ),
        (
            "residual = \"nonprofit\"",
            "residual = \"nonprofit\" others",
            "profit_share.residual",
            "after `residual = \"nonprofit\"` the line goes on with `others`",
            24,
        ),
    ] {
        let number = 1 + builtin.lines().position(|l| l.starts_with(from)).unwrap();
        let model = common::write_file(dir.path(), "m.toml", &builtin.replacen(from, to, 1));
        let stderr = common::fails_with_2(stakeshift().arg("check").arg(&model));
        assert!(
            stderr.contains(&format!("m.toml, line {number}, column {column}: {field}: the file is not valid TOML: {expected}: a value may be followed only by a comment")),
            "{to}: {stderr}"
        );
    }
    // A line of a million spaces before its stray word is not read again and again (the
    // reader's own message then); nor one of 2,000 words, whose first ends the value.
    let spaces = format!("x = 1{}2\n", " ".repeat(1_000_000));
    let stderr = common::fails_with_2(stakeshift().args(["check", "-"]).write_stdin(spaces));
    assert!(stderr.contains("the file is not valid TOML"), "{stderr}");
    let words = format!("x = 1{}\n", " 2".repeat(2_000));
    let stderr = common::fails_with_2(stakeshift().args(["check", "-"]).write_stdin(words));
    assert!(
        stderr.contains("after `x = 1` the line goes on with `2 2 2"),
        "{stderr}"
    );
    // helper-170: where the reader stopped for another reason, that reason is said: an
    // array left open above (not the stray word on this line), an invisible character
    // (named, not quoted), a run of dashes after the key placeholder's old text (found in
    // one pass: it took 16 s for 100,000 dashes).
    for (text, expected) in [
        (
            "x = [\n  1,\na = 1 b\n",
            // (helper-192: the key whose array is open, and where it opened.)
            "line 3, column 3: x: the file is not valid TOML: unexpected `=` in array, expected value, `]`; the `[` of an array opened at line 1 is still open here, so this line's key was read as part of it: is a `]` missing?",
        ),
        ("a = 1 \u{200b}\n", "a zero-width space (U+200B)"),
        (
            &format!(
                "# stakeshift-duplicate-key{}\na = 1 x\n",
                "-".repeat(100_000)
            ),
            "line 2, column 7: a: the file is not valid TOML: after `a = 1` the line goes on with `x`",
        ),
    ] {
        let stderr = common::fails_with_2(
            stakeshift()
                .args(["check", "-"])
                .write_stdin(text.to_string()),
        );
        assert!(stderr.contains(expected), "{text:?}: {stderr}");
    }
    // helper-171: nothing that cannot be seen or that reorders text is quoted as what
    // follows a value (a word joiner, a right-to-left override, a lone CR: the reader's
    // own words then), and a CRLF file's line ends before its CR.
    for text in [
        "a = 1 \u{200b}\n",
        "a = 1 \u{2060}\n",
        "a = 1 \u{202e}evil\n",
        "a = 1\rjunk\n",
        // helper-172: a tag character, a filler, a variation selector, a combining grapheme
        // joiner, a line separator.
        "a = 1 \u{e0020}\n",
        "a = 1 \u{3164}\n",
        "a = 1 \u{fe0f}\n",
        "a = 1 \u{34f}\n",
        "a = 1 \u{2028}\n",
    ] {
        let stderr = common::fails_with_2(
            stakeshift()
                .args(["check", "-"])
                .write_stdin(text.to_string()),
        );
        assert!(
            !stderr.contains("the line goes on with") && !stderr.contains('\u{202e}'),
            "{text:?}: {stderr}"
        );
    }
    let stderr = common::fails_with_2(
        stakeshift()
            .args(["check", "-"])
            .write_stdin("a = 1 junk\r\nb = 2\r\n"),
    );
    assert!(stderr.contains("the line goes on with `junk`:"), "{stderr}");
    // A duplicate key after a run of 300,000 `-` (the placeholder's old text before it):
    // the key's path is found in one pass, not one pass a dash (minutes before).
    let dashes = format!(
        "# stakeshift-duplicate-key{}\na = 1\na = 2\n",
        "-".repeat(300_000)
    );
    let out = stakeshift()
        .args(["check", "-"])
        .write_stdin(dashes)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("a: the file is not valid TOML: this key is given twice"),
        "{stderr}"
    );
}

/// Found by a tester trying the tool as an analyst (helper-51): a number written as a
/// spreadsheet shows it, `15%` or `1,250.0`, got the TOML reader's words ("string values
/// must be quoted", "expected newline"), which name neither the mistake nor the fix.
#[test]
fn regression_a_percent_sign_or_thousands_separator_gets_its_fix() {
    let dir = ScratchDir::new("spreadsheet-habits");
    let builtin = stakeshift::BUILTIN_MODEL;
    for (from, to, line, expected) in [
        (
            "stake = 0.27 ",
            "stake = 27% ",
            "stake = 0.27 ",
            "`27%`: TOML has no percent sign; write the fraction, 0.27",
        ),
        (
            "shares = { microsoft = 0.75 }",
            "shares = { microsoft = 75% }",
            "shares = { microsoft = 0.75 }",
            "`75%`: TOML has no percent sign; write the fraction, 0.75",
        ),
        (
            "raise = 122.0 ",
            "raise = 1,122.0 ",
            "raise = 122.0 ",
            "`1,122.0`: TOML numbers have no thousands separator; write 1122.0 (or 1_122.0)",
        ),
    ] {
        let number = 1 + builtin.lines().position(|l| l.starts_with(line)).unwrap();
        let model = common::write_file(dir.path(), "m.toml", &builtin.replacen(from, to, 1));
        let stderr = common::fails_with_2(stakeshift().arg("check").arg(&model));
        assert!(
            stderr.contains(&format!("m.toml, line {number}, column")) && stderr.contains(expected),
            "{to}: {stderr}"
        );
    }
    for (set, expected) in [
        (
            "equity.stake=15%",
            "`15%`: TOML has no percent sign; write the fraction, 0.15",
        ),
        (
            "trajectories[base].margin.points=[[2030, 25%]]",
            "`25%`: TOML has no percent sign; write the fraction, 0.25",
        ),
        (
            "equity.rounds[0].raise=1,250.0",
            "`1,250.0`: TOML numbers have no thousands separator; write 1250.0 (or 1_250.0)",
        ),
    ] {
        let stderr = check_refuses_set(set);
        assert!(stderr.contains(expected), "--set {set}: {stderr}");
    }
}

/// helper-275: `--set PATH VALUE` with a MODEL named was only "unexpected argument '0.3'
/// found"; the value apart from its path is now told with the fix, for `--vary` too, and
/// where the value took the model's place.
#[test]
fn regression_a_set_value_apart_from_its_path_is_told_to_join_them() {
    for (args, expected) in [
        (
            &["compare", "docs/mini.toml", "--set", "equity.stake", "0.3"][..],
            "error: unexpected argument '0.3' found (see --help) (`--set equity.stake` has no `=`: write `--set equity.stake=0.3`, one word)",
        ),
        (
            &["compare", "--set", "equity.stake", "0.3", "docs/mini.toml"][..],
            "(`--set equity.stake` has no `=`: write `--set equity.stake=0.3`, one word)",
        ),
        (
            &["sweep", "docs/mini.toml", "--vary", "equity.stake", "0..1"][..],
            "(`--vary equity.stake` has no `=`: write `--vary equity.stake=0..1`, one word)",
        ),
    ] {
        let stderr = common::fails_with_2(stakeshift().args(args));
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    // helper-277: the forms the hint missed or got wrong.
    for (args, expected) in [
        (
            &["compare", "docs/mini.toml", "--set", "equity.stake", "=0.3"][..],
            "write `--set equity.stake=0.3`, one word)",
        ),
        (
            &["compare", "docs/mini.toml", "--set=discount_rate", "0.1"][..],
            "(`--set discount_rate` has no `=`: write `--set discount_rate=0.1`, one word)",
        ),
        (
            &[
                "compare",
                "docs/mini.toml",
                "--set",
                "investor.party",
                "Big Co",
            ][..],
            "write `--set 'investor.party=\"Big Co\"'`, one word)",
        ),
        (
            &[
                "compare",
                "docs/mini.toml",
                "--set",
                "shift.margin",
                "-0.05",
            ][..],
            "write `--set shift.margin=-0.05`, one word)",
        ),
        (
            &["solve", "equity.stake", "--set", "discount_rate", "0.1"][..],
            "error: solve takes [MODEL] PATH and --set PATH=VALUE (`--set discount_rate` has no `=`: write `--set discount_rate=0.1`, one word)",
        ),
        (
            &[
                "solve",
                "docs/mini.toml",
                "equity.stake",
                "--set",
                "discount_rate",
                "0.1",
            ][..],
            "(`--set discount_rate` has no `=`: write `--set discount_rate=0.1`, one word)",
        ),
        // helper-278: a number key's value joined as typed, not quoted as text; a word
        // that is the run's model or PATH is no value.
        (
            &["compare", "docs/mini.toml", "--set", "equity.stake", "30%"][..],
            "write `--set equity.stake=30%`, one word)",
        ),
        (
            &[
                "solve",
                "docs/mini.toml",
                "--set",
                "discount_rate",
                "equity.stake",
            ][..],
            "(`--set discount_rate` has no `=VALUE`: write `--set discount_rate=VALUE`, one word)",
        ),
        (
            &[
                "solve",
                "--set",
                "discount_rate",
                "docs/mini.toml",
                "equity.stake",
            ][..],
            "(`--set discount_rate` has no `=VALUE`: write `--set discount_rate=VALUE`, one word)",
        ),
    ] {
        let stderr = common::fails_with_2(stakeshift().args(args));
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    // A value with its `=` and a stray word after it: no such note.
    let stderr = common::fails_with_2(stakeshift().args([
        "compare",
        "docs/mini.toml",
        "--set",
        "equity.stake=0.3",
        "0.4",
    ]));
    assert!(!stderr.contains("has no `=`"), "{stderr}");
}

/// helper-279: the join hint quoted a text key's curly-quoted or numeric value wrongly,
/// took a file named as a text key's value for a missing value, missed a range from a
/// negative number, and, with `--set` before solve's operands, was not given.
#[test]
fn regression_the_join_hint_quotes_text_and_reads_ranges_and_solve() {
    for (args, expected) in [
        (
            &[
                "compare",
                "docs/mini.toml",
                "--set",
                "investor.party",
                "\u{201c}fund\u{201d}",
            ][..],
            "write `--set 'investor.party=\"fund\"'`, one word)",
        ),
        (
            &[
                "compare",
                "docs/mini.toml",
                "--set",
                "investor.party",
                "123",
            ][..],
            "write `--set 'investor.party=\"123\"'`, one word)",
        ),
        (
            &[
                "check",
                "docs/mini.toml",
                "--set",
                "trajectories_csv",
                "README.md",
            ][..],
            "write `--set 'trajectories_csv=\"README.md\"'`, one word)",
        ),
        (
            &[
                "sweep",
                "docs/mini.toml",
                "--vary",
                "shift.margin",
                "-0.1..0.1",
            ][..],
            "write `--vary shift.margin=-0.1..0.1`, one word)",
        ),
        (
            &[
                "sweep",
                "docs/mini.toml",
                "--vary",
                "equity.stake",
                "lo..hi",
            ][..],
            "(`--vary equity.stake` has no `=FROM..TO`: write `--vary equity.stake=FROM..TO`, one word)",
        ),
        (
            &[
                "solve",
                "--set",
                "discount_rate",
                "0.1",
                "docs/mini.toml",
                "equity.stake",
            ][..],
            "(`--set discount_rate` has no `=`: write `--set discount_rate=0.1`, one word)",
        ),
    ] {
        let stderr = common::fails_with_2(stakeshift().args(args));
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

/// A `--set` value typed as a document shows it (a fraction, an accountant's negative, a
/// typographic minus, curly quotes, full-width digits) got the TOML reader's "string values
/// must be quoted", where the same value in the model file is told its fix.
#[test]
fn regression_a_set_value_typed_as_a_document_shows_it_gets_its_fix() {
    for (set, expected) in [
        (
            "discount_rate=27/100",
            "`27/100` is a fraction, which TOML does not compute: write it as a decimal, 0.27",
        ),
        (
            "equity.stake=(0.3)",
            "`(0.3)`: a negative number is written with a minus sign, -0.3",
        ),
        (
            "trajectories[base].margin.points=[[2030, \u{2212}0.1]]",
            "`\u{2212}0.1` begins with a typographic dash (U+2212): write -0.1, with the plain minus sign",
        ),
        (
            "investor.party=\u{201c}ms\u{201d}",
            "`\u{201c}ms\u{201d}` is in curly quotes (as a word processor types them): TOML reads straight ones, \"ms\"",
        ),
        (
            "discount_rate=\u{ff10}\u{ff0e}\u{ff11}",
            "`\u{ff10}\u{ff0e}\u{ff11}` is written in full-width characters (as an East Asian input method types them): write 0.1",
        ),
        // helper-277: an apostrophe inside curly double quotes is a letter; a negative
        // with thousands separators keeps its minus.
        (
            "name=\u{201c}O\u{2019}Brien\u{201d}",
            "TOML reads straight ones, \"O\u{2019}Brien\"",
        ),
        (
            "discount_rate=\u{2212}1,000",
            "`\u{2212}1,000`: TOML numbers have no thousands separator; write -1000 (or -1_000)",
        ),
        (
            "discount_rate=(1,000)",
            "`(1,000)`: TOML numbers have no thousands separator; write -1000 (or -1_000)",
        ),
        // helper-279: a percent after a document's minus or in parentheses.
        (
            "discount_rate=\u{2212}20%",
            "`\u{2212}20%`: TOML has no percent sign; write the fraction, -0.2",
        ),
        (
            "discount_rate=(20%)",
            "`(20%)`: TOML has no percent sign; write the fraction, -0.2",
        ),
    ] {
        let stderr = check_refuses_set(set);
        assert!(
            stderr.contains(&format!("--set {set}: ")) && stderr.contains(expected),
            "--set {set}: {stderr}"
        );
    }
    // helper-277: no fix that TOML would refuse or that changes the value: full-width
    // digits that are no TOML number as written, the first group of a grouped number, and
    // a number's fixes for a key that takes text.
    for set in [
        "discount_rate=\u{ff10}\u{ff11}",
        "discount_rate=\u{ff11}\u{ff0e}",
        "discount_rate=\u{ff0e}\u{ff15}",
        "discount_rate=\u{ff11}__\u{ff10}",
        "discount_rate=\u{ff11},\u{ff10}\u{ff10}\u{ff10}",
        "name=1/2",
        "name=(2)",
        // helper-278: more of the same, and a thousands separator's fix where the number
        // is only part of the value (each told a fix that changed it).
        "name=(1,000)",
        "investor.party=1,000",
        "unit=50%",
        "discount_rate=\u{ff0d}1,000",
        "discount_rate=-\u{a5}1,234",
        "discount_rate=12,345\u{ff0e}64",
        "discount_rate=1,000e3",
        "discount_rate=(1,000\u{ff05})",
        "discount_rate=\u{2212}12,\u{ff13}\u{ff14}5",
        "investor.contributions=[[2024, 1,2\u{ff13}\u{ff14}.9]]",
        // helper-279: fixes TOML would refuse, or of part of a number.
        "equity.stake=1,000.",
        "equity.stake=00,5",
        "equity.stake=\u{ff11}\u{ff12},\u{ff15}",
        "equity.stake=\u{ff10},\u{ff12}\u{ff17}",
        "investor={contributions=[[2024,10.0]], party=1/2}",
        "investor={contributions=[[2024,10.0]], party=15%}",
    ] {
        let stderr = check_refuses_set(set);
        assert!(
            // (TOML's own words and the general advice: no fix.)
            stderr.contains("is not a TOML value"),
            "--set {set}: {stderr}"
        );
    }
}

/// A window whose `from` is a typo far outside the model's years (2205 for 2025) was
/// blamed on its `until` ("until 2030 is before from 2205"): the error now names the year
/// further outside the model's years (2019..=2045 here), and `until` where neither is.
#[test]
fn regression_a_window_blames_the_year_outside_the_model() {
    let dir = ScratchDir::new("window-blame");
    let builtin = stakeshift::BUILTIN_MODEL;
    for (section, from, until, field, expected) in [
        (
            "[profit_share.revenue_share]",
            "from = 2203 ",
            "until = 2030 ",
            "profit_share.revenue_share.from",
            "from 2203 is after until 2030 and after end_year 2045",
        ),
        (
            // `until` may lie past the model too: 2205 is still the further out.
            "[equity.revenue_share]",
            "from = 2205 ",
            "until = 2050 ",
            "equity.revenue_share.from",
            "from 2205 is after until 2050 and after end_year 2045",
        ),
        (
            "[profit_share.revenue_share]",
            "from = 2023 ",
            "until = 2020 ",
            "profit_share.revenue_share.until",
            "until 2020 is before from 2023",
        ),
        (
            // Both before the model: `until` is the further out.
            "[profit_share.revenue_share]",
            "from = 2018 ",
            "until = 2010 ",
            "profit_share.revenue_share.until",
            "until 2010 is before from 2018",
        ),
    ] {
        let (head, tail) = builtin.split_at(builtin.find(section).unwrap());
        let tail = tail
            .replacen("from = 2023 ", from, 1)
            .replacen("until = 2030 ", until, 1);
        let text = format!("{head}{tail}");
        let named = if field.ends_with("from") { from } else { until };
        let number = 1 + text.lines().position(|l| l.starts_with(named)).unwrap();
        let model = common::write_file(dir.path(), "m.toml", &text);
        let stderr = common::fails_with_2(stakeshift().arg("check").arg(&model));
        assert!(
            stderr.contains(&format!("m.toml, line {number}, column"))
                && stderr.contains(&format!("{field}: {expected}")),
            "{from}/{until}: {stderr}"
        );
    }
    // A commitment's years must lie inside the model's, so there the `until` is named.
    let text = builtin.replacen("from = 2026, until = 2032", "from = 2030, until = 2026", 1);
    let model = common::write_file(dir.path(), "m.toml", &text);
    let stderr = common::fails_with_2(stakeshift().arg("check").arg(&model));
    assert!(
        stderr.contains("equity.cloud.commitment.until: until 2026 is before from 2030"),
        "{stderr}"
    );
}

/// A stderr that cannot be written (`2>/dev/full`; a pipe whose reader has gone) made every
/// message panic (`eprintln!`): exit 101, even after the files of `--out` were written. The
/// message is lost; the exit code is the run's. And `man --out` said what it wrote on
/// stdout, where every other command says it on stderr.
#[cfg(target_os = "linux")]
#[test]
fn regression_an_unwritable_stderr_does_not_change_the_exit_code() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let dir = ScratchDir::new("stderr-full");
    let cases: [(Vec<String>, i32); 4] = [
        (vec!["compare".into(), "-t".into(), "nope".into()], 2),
        (
            vec!["check".into(), "--set".into(), "discount_rate=9".into()],
            0,
        ),
        (
            vec![
                "compare".into(),
                "--out".into(),
                dir.path().join("out").display().to_string(),
            ],
            0,
        ),
        (vec!["check".into(), "does-not-exist.toml".into()], 2),
    ];
    for (args, code) in cases {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("stakeshift"))
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(full())
            .status()
            .unwrap();
        assert_eq!(out.code(), Some(code), "{args:?}");
    }
    assert!(dir.path().join("out/stakeshift.xlsx").is_file());
    // `--help` whose text is lost did not do its job.
    let help = std::process::Command::new(assert_cmd::cargo::cargo_bin("stakeshift"))
        .arg("--help")
        .stdout(full())
        .status()
        .unwrap();
    assert_eq!(help.code(), Some(1));
    let man = stakeshift()
        .args(["man", "--out"])
        .arg(dir.path().join("man"))
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(
        man.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&man.stdout)
    );
    assert!(String::from_utf8_lossy(&man.stderr).starts_with("wrote stakeshift.1"));
}

/// helper-88: bad usage was clap's report over several lines (the message, a blank, a tip,
/// the usage, "For more information"), against the rule that an error is one line on
/// stderr. It is one line now, with what clap lists below its message and its tip.
#[test]
fn regression_bad_usage_is_one_line_on_stderr() {
    for (args, wanted) in [
        (
            &["compare", "--bogus"][..],
            "error: unexpected argument '--bogus' found; tip: ",
        ),
        (
            &["explain", "-t", "base"][..],
            "error: the following required arguments were not provided: --year <YEAR> (see --help)",
        ),
        (
            &["compare", "--sett", "x"][..],
            "error: unexpected argument '--sett' found; tip: a similar argument exists: '--set' (see --help)",
        ),
        (
            &["compare", "--format", "csv", "--format", "json"][..],
            "error: the argument '--format <FORMAT>' cannot be used multiple times (see --help)",
        ),
    ] {
        let out = stakeshift().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with(wanted), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    // Help asked for, or a bare `stakeshift`, is still the help.
    let out = stakeshift().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("Usage: stakeshift <COMMAND>")
    );
}

/// Session 33: an empty path (`init ''`, `compare ''`, `--out=`) was told "a value is
/// required ... but none was supplied", as if nothing had been given.
#[test]
fn regression_an_empty_path_is_said_to_be_empty() {
    for (args, wanted) in [
        (
            &["init", ""][..],
            "error: a value is required for '[PATH]', and the one given is empty (see --help)",
        ),
        (
            &["compare", ""][..],
            "error: a value is required for '[MODEL]', and the one given is empty (see --help)",
        ),
        (
            &["simulate", "--out="][..],
            "error: a value is required for '--out <DIR>', and the one given is empty (see --help)",
        ),
        (
            &["compare", "-t", "x", "--out", ""][..],
            "error: a value is required for '--out <DIR>', and the one given is empty (see --help)",
        ),
        // Nothing given at all is still "none was supplied", also beside another flag's
        // empty value (helper-187: that was said of `--out` too).
        (
            &["compare", "--out"][..],
            "error: a value is required for '--out <DIR>' but none was supplied (see --help)",
        ),
        (
            &["compare", "--set=", "--out"][..],
            "error: a value is required for '--out <DIR>' but none was supplied (see --help)",
        ),
        (
            &["compare", "--trajectory", "", "--out"][..],
            "error: a value is required for '--out <DIR>' but none was supplied (see --help)",
        ),
        // Words read as clap reads them (helper-188): `-t` takes `--out` as its name, so the
        // empty word is [MODEL]; and `--out=` as its name, so `--out` has none.
        (
            &["compare", "-t", "--out", ""][..],
            "error: a value is required for '[MODEL]', and the one given is empty (see --help) (`--out` was taken as the trajectory's name after -t, which takes the next word whatever it starts with: was the name left out?)",
        ),
        (
            &["compare", "-t", "--out=", "--out"][..],
            "error: a value is required for '--out <DIR>' but none was supplied (see --help) (`--out=` was taken as the trajectory's name after -t, which takes the next word whatever it starts with: was the name left out?)",
        ),
        // `--vary` takes any word too; after `--`, `--out=` is [MODEL] (helper-189).
        (
            &["sweep", "--vary", "--out=", "--out"][..],
            "error: a value is required for '--out <DIR>' but none was supplied (see --help)",
        ),
        (
            &["sweep", "--vary", "--out", ""][..],
            "error: a value is required for '[MODEL]', and the one given is empty (see --help)",
        ),
        (
            &["compare", "--out", "--", "--out="][..],
            "error: a value is required for '--out <DIR>' but none was supplied (see --help)",
        ),
        // A cluster's last short flag takes the next word, `--` too (helper-190).
        (
            &["sweep", "-qt", "--", "--out="][..],
            "error: a value is required for '--out <DIR>', and the one given is empty (see --help)",
        ),
    ] {
        let out = stakeshift().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8(out.stderr).unwrap().trim_end(), wanted);
        assert!(out.stdout.is_empty());
    }
}

/// helper-88: help that could not be written (`--help > /dev/full`) exited 1 saying
/// nothing; it says why, as a command's output that cannot be written does.
#[cfg(target_os = "linux")]
#[test]
fn regression_help_into_a_full_disk_says_so() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("stakeshift"))
        .arg("--help")
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: <stdout>: No space left on device (os error 28)\n"
    );
}

/// helper-88: a model file that may not be read exited 1 (the system's failure), while a
/// missing one and an unreadable trajectories_csv exit 2 (a bad model file, SPEC 7). It is
/// exit 2, saying what would do. Run as an unprivileged user where the tests run as root
/// (root reads any file), through setpriv.
#[cfg(target_os = "linux")]
#[test]
fn regression_an_unreadable_model_file_is_exit_2() {
    let _nobody = common::as_nobody_lock();
    use std::os::unix::fs::PermissionsExt;
    let path =
        std::env::temp_dir().join(format!("stakeshift-unreadable-{}.toml", std::process::id()));
    std::fs::write(&path, include_str!("../docs/mini.toml")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut binary = assert_cmd::cargo::cargo_bin("stakeshift");
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        // A copy the unprivileged user can reach (the build may be under a private home).
        let copy =
            std::env::temp_dir().join(format!("stakeshift-unreadable-{}", std::process::id()));
        std::fs::copy(&binary, &copy).unwrap();
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
        binary = copy;
    }
    let mut command = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary);
        c
    } else {
        std::process::Command::new(&binary)
    };
    let out = command.arg("check").arg(&path).output();
    std::fs::remove_file(&path).unwrap();
    if root {
        std::fs::remove_file(&binary).unwrap();
    }
    // Without util-linux's setpriv, or where the unprivileged user cannot run the copy,
    // there is no unprivileged run to make: said, not failed.
    let out = match out {
        Ok(out) if !(root && matches!(out.status.code(), Some(126 | 127))) => out,
        other => {
            eprintln!("skipped: no unprivileged run could be made ({other:?})");
            return;
        }
    };
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Permission denied") && stderr.contains("must be readable"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// helper-288: run from a folder this user may not enter (mode 000), `compare --out charts`
/// was told to `chmod u+r` a folder that is not there, `init m.toml` "Permission denied"
/// alone, and `check m.toml` to make the model readable. Each says the current folder may
/// not be entered, and names it. Made as `nobody` through setpriv, where the tests run as
/// root (who may enter any folder); skipped elsewhere.
#[cfg(target_os = "linux")]
#[test]
fn regression_a_current_folder_that_may_not_be_entered_is_named() {
    let Some(nobody) = common::AsNobody::new("unenterable") else {
        return;
    };
    let dir = &nobody.dir;
    let locked = dir.join("locked");
    std::fs::create_dir_all(&locked).unwrap();
    nobody.mode(&locked, 0o000);
    let said = format!(
        "this user may not enter the current folder, {}, where it is: run stakeshift from a folder this user may enter, or give a full path",
        locked.display()
    );
    for (args, code) in [
        (&["compare", "--out", "charts"][..], 1),
        (&["init", "m.toml"], 1),
        (&["check", "m.toml"], 2),
    ] {
        let Some(out) = nobody.run(args, &locked) else {
            return;
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&said) && !stderr.contains("chmod"),
            "{args:?}: {stderr}"
        );
    }
    // helper-292: a model under a folder that may not be entered, from an enterable one,
    // was told to `chmod u+r` the file: the folder is named; helper-294: also through a
    // link to it.
    let model = locked.join("m.toml");
    let link = dir.join("link.toml");
    std::os::unix::fs::symlink(&model, &link).unwrap();
    for given in [&model, &link] {
        let Some(out) = nobody.run(&["check", &given.to_string_lossy()], dir) else {
            return;
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "this user may not enter {}, a folder on the way to it",
                locked.display()
            )) && !stderr.contains("chmod"),
            "{stderr}"
        );
    }
}

/// Session 47: under a folder this user may not enter, two levels down, `init
/// locked/sub/m.toml` said "Permission denied" alone, `--out locked/sub/out` that it "may
/// not write into locked" (where `sub` is, hidden), and a model's trajectories CSV there
/// "Permission denied" alone. Each names the folder that may not be entered; a CSV that may
/// not be read says so of itself. Made as `nobody` through setpriv (the tests run as root);
/// skipped elsewhere.
#[cfg(target_os = "linux")]
#[test]
fn regression_a_folder_on_the_way_that_may_not_be_entered_is_named_when_writing_and_reading_a_csv()
{
    let Some(nobody) = common::AsNobody::new("on-the-way") else {
        return;
    };
    let dir = &nobody.dir;
    let (locked, sub) = (dir.join("locked"), dir.join("locked/sub"));
    std::fs::create_dir_all(&sub).unwrap();
    let csv = sub.join("tail.csv");
    std::fs::copy(
        common::repo_path("tests/reference/sim/weights_tail.csv"),
        &csv,
    )
    .unwrap();
    let model = std::fs::read_to_string(common::repo_path("tests/reference/sim/weights.toml"))
        .unwrap()
        .replace(
            "trajectories_csv = \"weights_tail.csv\"",
            "trajectories_csv = \"locked/sub/tail.csv\"",
        );
    assert!(model.contains("locked/sub/tail.csv"));
    std::fs::write(dir.join("w.toml"), model).unwrap();
    nobody.mode(&dir.join("w.toml"), 0o644);
    nobody.mode(&csv, 0o644);
    // `locked` shut (mode 700, root's), then `locked` open and `sub` shut.
    for (locked_mode, sub_mode, shut) in [(0o700, 0o755, "locked"), (0o711, 0o700, "locked/sub")] {
        nobody.mode(&locked, locked_mode);
        nobody.mode(&sub, sub_mode);
        let said = format!(
            "this user may not enter {shut}, a folder on the way to it (`ls -ld -- '{shut}'` shows its owner and permissions)"
        );
        for (args, code) in [
            (&["init", "locked/sub/m.toml"][..], 1),
            (&["compare", "--out", "locked/sub/out"], 1),
            (&["check", "w.toml"], 2),
        ] {
            let Some(out) = nobody.run(args, dir) else {
                return;
            };
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
            assert!(stderr.contains(&said), "{args:?}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        }
    }
    // Every folder open, the CSV itself unreadable: said of the CSV.
    nobody.mode(&locked, 0o755);
    nobody.mode(&sub, 0o755);
    nobody.mode(&csv, 0o000);
    let Some(out) = nobody.run(&["check", "w.toml"], dir) else {
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "locked/sub/tail.csv: Permission denied (os error 13); a trajectories CSV must be readable by this user (`ls -l -- 'locked/sub/tail.csv'` shows its owner and permissions)"
        ),
        "{stderr}"
    );
}

/// helper-295, on the commit above: (1) `--out a/b` from a current folder that may not be
/// entered named `a`, not the current folder; (2) a trajectories CSV that is a link into a
/// locked folder was told its own permissions, and through a folder link `via -> locked/sub`
/// the link was named (`ls -ld via` shows the link); (3) `--out via/out` was told `via`
/// leads nowhere; (4) `init` into a folder of mode 500 said "Permission denied" alone, of
/// mode 100 that it "may write into the folder but not list it" (here 555 and 111, root's).
/// As `nobody` through setpriv where the tests run as root; skipped elsewhere.
#[cfg(target_os = "linux")]
#[test]
fn regression_links_into_locked_folders_and_unwritable_folders_are_named() {
    let Some(nobody) = common::AsNobody::new("links-locked") else {
        return;
    };
    let dir = &nobody.dir;
    let (locked, sub, here) = (dir.join("locked"), dir.join("locked/sub"), dir.join("here"));
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::create_dir_all(here.join("a")).unwrap();
    std::fs::copy(
        common::repo_path("tests/reference/sim/weights_tail.csv"),
        sub.join("tail.csv"),
    )
    .unwrap();
    let model =
        std::fs::read_to_string(common::repo_path("tests/reference/sim/weights.toml")).unwrap();
    for (name, csv) in [
        ("file-link.toml", "link.csv"),
        ("folder-link.toml", "via/tail.csv"),
    ] {
        let text = model.replace(
            "trajectories_csv = \"weights_tail.csv\"",
            &format!("trajectories_csv = \"{csv}\""),
        );
        assert!(text.contains(csv));
        std::fs::write(dir.join(name), text).unwrap();
        nobody.mode(&dir.join(name), 0o644);
    }
    std::os::unix::fs::symlink("locked/sub/tail.csv", dir.join("link.csv")).unwrap();
    // helper-296, helper-297: a chain of links to that link, `linkN.csv` to `linkN-1.csv`
    // (the eighth's target was not checked), read by `file-linkN.toml`.
    std::os::unix::fs::symlink("link.csv", dir.join("link2.csv")).unwrap();
    for i in 3..=10 {
        std::os::unix::fs::symlink(
            format!("link{}.csv", i - 1),
            dir.join(format!("link{i}.csv")),
        )
        .unwrap();
    }
    let file_link = std::fs::read_to_string(dir.join("file-link.toml")).unwrap();
    for i in [2, 10] {
        let name = dir.join(format!("file-link{i}.toml"));
        std::fs::write(
            &name,
            file_link.replace("\"link.csv\"", &format!("\"link{i}.csv\"")),
        )
        .unwrap();
        nobody.mode(&name, 0o644);
    }
    std::os::unix::fs::symlink("locked/sub", dir.join("via")).unwrap();
    std::os::unix::fs::symlink("m555", dir.join("m555l")).unwrap();
    let (m111, m555) = (dir.join("m111"), dir.join("m555"));
    std::fs::create_dir_all(&m111).unwrap();
    std::fs::create_dir_all(&m555).unwrap();
    for (path, mode) in [
        (&locked, 0o700),
        (&here, 0o000),
        (&m111, 0o111),
        (&m555, 0o555),
    ] {
        nobody.mode(path, mode);
    }
    let locked_said = "this user may not enter locked, a folder on the way to it";
    for (args, from, code, said) in [
        (
            &["compare", "--out", "a/b"][..],
            &here,
            1,
            format!(
                "this user may not enter the current folder, {}",
                here.display()
            ),
        ),
        (
            &["check", "file-link.toml"],
            dir,
            2,
            format!("{locked_said} (through the link link.csv) (`ls -ld -- 'locked'`"),
        ),
        (
            &["check", "folder-link.toml"],
            dir,
            2,
            format!("{locked_said} (through the link via) (`ls -ld -- 'locked'`"),
        ),
        (
            &["check", "file-link2.toml"],
            dir,
            2,
            format!("{locked_said} (through the link link2.csv) (`ls -ld -- 'locked'`"),
        ),
        (
            &["init", "m555l/m.toml"],
            dir,
            1,
            "this user may not write into m555 (through the link m555l) (`ls -ld -- 'm555'`"
                .to_string(),
        ),
        (
            &["compare", "--out", "m555l"],
            dir,
            1,
            "this user may not write into m555 (through the link m555l) (`ls -ld -- 'm555'`"
                .to_string(),
        ),
        (
            &["init", "new.toml"],
            &m555,
            1,
            format!(
                "this user may not write into the current folder, {} (`ls -ld -- '.'`",
                m555.display()
            ),
        ),
        (
            &["check", "file-link10.toml"],
            dir,
            2,
            format!("{locked_said} (through the link link10.csv) (`ls -ld -- 'locked'`"),
        ),
        (
            &["compare", "--out", "."],
            &m555,
            1,
            format!(
                "this user may not write into the current folder, {} (`ls -ld -- '.'`",
                m555.display()
            ),
        ),
        (
            &["compare", "--out", "via/out"],
            dir,
            1,
            format!("{locked_said} (through the link via)"),
        ),
        (
            &["init", "m111/m.toml"],
            dir,
            1,
            "this user may not write into m111 (`ls -ld -- 'm111'`".to_string(),
        ),
        (
            &["init", "m555/m.toml"],
            dir,
            1,
            "this user may not write into m555 (`ls -ld -- 'm555'`".to_string(),
        ),
    ] {
        let Some(out) = nobody.run(args, from) else {
            return;
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(&said), "{args:?}: {stderr}");
        assert!(!stderr.contains("link to nothing"), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
}

/// helper-127: the conclusion said "the stake is worth 0.00 USD m more" beside two NPVs that
/// differ, "flips at 1.00x" for 0.9997 and "0.00x" for a break-even scale of 0.00056 (a
/// valuation of nothing), and counted wins only ("in 0 of 3 trajectories, the capped
/// profit share in 0" where all three tied).
#[test]
fn regression_the_conclusion_never_rounds_a_difference_away() {
    let mini = common::repo_path("docs/mini.toml");
    let conclusion = |sets: &[&str]| -> String {
        let mut cmd = stakeshift();
        cmd.arg("compare").arg(&mini);
        for s in sets {
            cmd.args(["--set", s]);
        }
        let (text, _) = common::succeeds(&mut cmd);
        text.lines().last().unwrap().to_string()
    };
    let c = conclusion(&["equity.stake=0.1097"]);
    assert!(
        c.contains("the stake is worth 0.0049 USD m more") && c.contains("were 0.99972x of"),
        "{c}"
    );
    let c = conclusion(&["trajectories[only].valuation.points=[[2024,50000.0],[2026,200000.0]]"]);
    assert!(c.contains("were 0.000562x of this path"), "{c}");
    // helper-241: 0.00562709 (comparison.csv) was "0.01x ... or less", false between the two;
    // helper-242: rounded down at a place more, so that "or less" holds (0.0056x in the
    // table).
    let c = conclusion(&["trajectories[only].valuation.points=[[2024,5000.0],[2026,20000.0]]"]);
    assert!(c.contains("were 0.00562x of this path or less"), "{c}");
    // Within 1e-8 of 1: more places than the CSV's 8 (helper-129: "1.00000000x").
    let c = conclusion(&[
        "scale.revenue=1000",
        "profit_share.tiers[1].until.fund=1e6",
        "scale.valuation=1000",
        "equity.stake=0.141010759",
    ]);
    assert!(c.contains("were 0.99999999981x of this path"), "{c}");
    // A second trajectory that ties (nothing earned, nothing held: -10 under both deals).
    let dir = ScratchDir::new("tally-with-ties");
    let text = std::fs::read_to_string(&mini).unwrap().replace(
        "participation = 2.0",
        "participation = 0.0\npre_money = 100.0",
    ) + "\n[[trajectories]]\nname = \"flat\"\nrevenue = { points = [[2024, 0.0]] }\nmargin = { points = [[2024, 0.0]] }\nvaluation = { points = [[2024, 0.0]] }\n";
    let model = common::write_file(dir.path(), "ties.toml", &text);
    let (out, _) = common::succeeds(stakeshift().arg("compare").arg(&model));
    let c = out.lines().last().unwrap();
    assert!(
        c.contains(
            "in 1 of 2 trajectories, the capped profit share in 0, and the two are worth the same in 1;"
        ),
        "{out}"
    );
}

/// helper-139, an analyst modelling other deals: a revenue-based note (tiers that pay
/// nobody but the residual, and a revenue share) was warned on every command that the
/// investor "has no share in any tier", `check` listed its tier as "`none`: ; never done",
/// the conclusions called it "the capped profit share", and a model without AGI anywhere
/// read "AGI never declared" in its ledger. An uncapped royalty is "the profit share".
#[test]
fn regression_a_deal_of_another_shape_is_described_in_its_own_terms() {
    let tmp = tempfile::tempdir().unwrap();
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    let tiers_at = mini.find("[[profit_share.tiers]]").unwrap();
    let equity_at = mini.find("[equity]").unwrap();
    let note = format!(
        "{}[[profit_share.tiers]]\nname = \"none\"\nshares = {{}}\n\n\
         [profit_share.revenue_share]\nrate = 0.05\nfrom = 2024\nuntil = 2026\ntotal_cap = 15.0\n\n{}",
        &mini[..tiers_at],
        &mini[equity_at..]
    );
    let note_file = tmp.path().join("note.toml");
    std::fs::write(&note_file, &note).unwrap();
    let run = |args: &[&str], file: &std::path::Path| {
        let out = stakeshift().args(args).arg(file).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (check, warnings) = run(&["check"], &note_file);
    assert!(!warnings.contains("has no share in any tier"), "{warnings}");
    assert!(
        check.contains("tiers[0] `none`: no shares (the residual takes all of it); never done"),
        "{check}"
    );
    let (table, _) = run(&["compare"], &note_file);
    assert!(!table.contains("capped"), "{table}");
    let (ledger, _) = run(&["explain", "-t", "only", "-y", "2025"], &note_file);
    assert!(!ledger.contains("AGI"), "{ledger}");
    let (simulated, _) = run(&["simulate", "--paths", "20", "--quiet"], &note_file);
    // (SPEC 10's count of paths that reached AGI stays in the table, 0 here.)
    assert!(
        simulated.contains("AGI was declared on 0") && simulated.contains("than the revenue share"),
        "{simulated}"
    );
    // helper-153: where regime A won, the same sentence said "the revenue share" in its
    // tally and "the profit share is worth ... more" after it.
    let notes = common::repo_path("models/revenue-note-vs-safe.toml");
    for only in [&[][..], &["-t", "steady"]] {
        let out = stakeshift()
            .arg("compare")
            .arg(&notes)
            .args(["--set", "profit_share.tiers=[{name=\"none\", shares={}}]"])
            .args(only)
            .output()
            .unwrap();
        let table = String::from_utf8(out.stdout).unwrap();
        let conclusion = table.lines().find(|l| l.starts_with("Conclusion")).unwrap();
        assert!(
            conclusion.contains("the revenue share is worth"),
            "{conclusion}"
        );
        assert!(!conclusion.contains("profit share"), "{conclusion}");
    }
    // A royalty without a cap: "the profit share".
    let uncapped = mini
        .replace("until = { fund = 13.0 }\n", "")
        .replace("until = { fund = 20.0 }\n", "");
    let royalty = tmp.path().join("royalty.toml");
    std::fs::write(&royalty, uncapped).unwrap();
    let (simulated, _) = run(&["simulate", "--paths", "20", "--quiet"], &royalty);
    assert!(simulated.contains("than the profit share"), "{simulated}");
    // The built-in deal keeps its words.
    let (simulated, _) = run(
        &["simulate", "--paths", "20", "--quiet"],
        &common::repo_path("models/msft-openai.toml"),
    );
    assert!(
        simulated.contains("than the capped profit share")
            && simulated.contains("AGI was declared"),
        "{simulated}"
    );
}

/// helper-142 (checking SPEC 1-8 against exact fractions): a waterfall payment whose exact
/// value ends in a half at the 6th place printed a unit low. A margin interpolated over six
/// years is held to 28 digits, so 0.29 x 14.355 x 17/60 (exactly 1.1795025) came out as
/// 1.17950249999...99855 and the waterfall, paying whole units of 1e-12 rounded down, paid
/// 1.179502499999: printed 1.179502. Each share is now rounded down to the unit after the
/// last digits of 28-digit arithmetic are rounded away, as printing rounds them.
#[test]
fn regression_a_waterfall_payment_on_a_half_prints_as_the_half() {
    let tmp = tempfile::tempdir().unwrap();
    let model = |share: &str, revenue: &str, margin: &str| {
        format!(
            "name = \"t\"\nunit = \"u\"\nstart_year = 2020\nend_year = 2022\nvaluation_year = 2020\n\
             discount_rate = 0.1\n[investor]\nparty = \"inv\"\ncontributions = [[2020, 10.0]]\n\
             [profit_share]\nresidual = \"res\"\n[[profit_share.tiers]]\nname = \"t0\"\nshares = {{ inv = {share} }}\n\
             [equity]\nfrom_year = 2022\nstake = 0.2\n[[trajectories]]\nname = \"a\"\n\
             revenue = {{ points = [[2020, {revenue}]] }}\nmargin = {{ points = {margin} }}\n\
             valuation = {{ points = [[2020, 100.0]] }}\n"
        )
    };
    let csv_of = |text: &str, args: &[&str]| {
        let file = tmp.path().join("m.toml");
        std::fs::write(&file, text).unwrap();
        let (out, _) = common::succeeds(stakeshift().arg("compare").arg(&file).args(args));
        common::parse_csv(out.as_bytes()).unwrap()
    };
    let cell = |table: &common::Table, row: &dyn Fn(&[String]) -> bool, column: &str| {
        let r = table.rows.iter().find(|r| row(r)).unwrap();
        r[table.column(column).unwrap()].clone()
    };
    // 2022: margin 0.14 + 0.43 x 2/6 = 17/60, profit 14.355 x 17/60 = 4.06725, the
    // investor's 29% of it 1.1795025.
    let yearly = csv_of(
        &model("0.29", "14.355", "[[2020, 0.14], [2026, 0.57]]"),
        &["--format", "csv", "--yearly"],
    );
    let ps_2022 = |r: &[String]| r[1] == "profit_share" && r[2] == "2022";
    assert_eq!(cell(&yearly, &ps_2022, "distribution"), "1.179503");
    // 2021: margin 0.1/3, profit 30.000003/30 = 1.0000001, half of it 0.50000005, present
    // value 0.50000005/1.1 = 0.4545455; MOIC (0.50000005 + 1.0000001)/10 = 0.150000015.
    let text = model("0.5", "30.000003", "[[2020, 0.0], [2023, 0.1]]");
    let yearly = csv_of(&text, &["--format", "csv", "--yearly"]);
    let ps_2021 = |r: &[String]| r[1] == "profit_share" && r[2] == "2021";
    assert_eq!(cell(&yearly, &ps_2021, "present_value"), "0.454546");
    let comparison = csv_of(&text, &["--format", "csv"]);
    assert_eq!(
        cell(&comparison, &|_| true, "moic_profit_share"),
        "0.15000002"
    );
}

/// docs/mini.toml with its one trajectory read from `<name>.csv` (holding `csv`), in `dir`.
fn mini_with_csv(dir: &std::path::Path, name: &str, csv: &[u8]) -> std::path::PathBuf {
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    let at = mini.find("[[trajectories]]").unwrap();
    std::fs::write(dir.join(format!("{name}.csv")), csv).unwrap();
    let text = format!("trajectories_csv = \"{name}.csv\"\n{}", &mini[..at]);
    common::write_file(dir, &format!("{name}.toml"), &text)
}

/// helper-153, a newcomer's mistakes whose messages named the problem but not the way out
/// (each now says what to write): a tab-separated or Windows-1252 trajectories CSV, a
/// `[trajectories]` of one bracket, a tier's `until` written as a number, two paths to
/// `solve`, a sweep of years in steps between years, a model piped in as `-`, an empty
/// file, and a negative discount rate's factor written `(1 + -0.9)`.
#[test]
fn regression_a_newcomers_mistakes_are_told_the_way_out() {
    let dir = ScratchDir::new("newcomer");
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    let with_csv = |name: &str, csv: &[u8]| mini_with_csv(dir.path(), name, csv);
    let fails = |args: &[&std::ffi::OsStr]| common::fails_with_2(stakeshift().args(args));
    let check = |file: &std::path::Path| fails(&["check".as_ref(), file.as_os_str()]);

    let tabs = with_csv(
        "tabs",
        b"trajectory\tyear\trevenue\tprofit\tvaluation\nx\t2024\t1\t0.1\t5\n",
    );
    assert!(
        check(&tabs)
            .contains("this header is separated by tabs: save the file as comma-separated values")
    );
    // `caf\xe9`: an e-acute in Windows-1252, on the second line, fourth character.
    let latin = with_csv(
        "latin",
        b"trajectory,year,revenue,profit,valuation\ncaf\xe9,2024,1,0.1,5\n",
    );
    let err = check(&latin);
    assert!(
        err.contains("latin.csv, line 2, column 4: not UTF-8 text (byte 0xe9"),
        "{err}"
    );
    assert!(err.contains("save the file as CSV UTF-8"), "{err}");

    let one_bracket = mini.replace("[[trajectories]]", "[trajectories]");
    let err = check(&common::write_file(dir.path(), "one.toml", &one_bracket));
    assert!(
        err.contains("write each entry under a header of two brackets, `[[trajectories]]`"),
        "{err}"
    );
    let number = mini.replace("until = { fund = 13.0 }", "until = 13.0");
    let err = check(&common::write_file(dir.path(), "until.toml", &number));
    assert!(
        err.contains("line 19, column 9: profit_share.tiers[0].until: found the number 13.0"),
        "{err}"
    );
    assert!(err.contains("`until = { <party> = 13.0 }`"), "{err}");

    let err = fails(&[
        "solve".as_ref(),
        "equity.stake".as_ref(),
        "discount_rate".as_ref(),
    ]);
    assert!(err.contains("solve finds one PATH at a time"), "{err}");
    // 2026..2045 is 19 years: whole at 2 steps (every 19 years) or 20 (every year).
    let err = fails(&[
        "sweep".as_ref(),
        "--vary".as_ref(),
        "trajectories[early-agi].agi_year=2026..2045:7".as_ref(),
    ]);
    assert!(err.contains("2029.1666"), "{err}");
    assert!(
        err.contains(":2 (every 19 years), :20 (every year)"),
        "{err}"
    );

    // `-`: the model on standard input, as `init -` writes it.
    let piped = stakeshift()
        .args(["check", "-"])
        .write_stdin(mini.clone())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(piped)
            .unwrap()
            .starts_with("<stdin>: valid")
    );
    // A folder on standard input is bad usage, said as such (helper-160: exit 1, "Is a
    // directory").
    let folder = std::fs::File::open(dir.path()).unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("stakeshift"))
        .args(["check", "-"])
        .stdin(std::process::Stdio::from(folder))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("<stdin>: standard input is a folder, not a model file"),
        "{err}"
    );

    for (name, text) in [
        ("empty", ""),
        ("comments", "# a model, one day\n\n"),
        // (helper-154: a byte-order mark alone, or before comments.)
        ("bom", "\u{feff}"),
        ("bom-comment", "\u{feff}# soon\n"),
    ] {
        let err = check(&common::write_file(
            dir.path(),
            &format!("{name}.toml"),
            text,
        ));
        assert!(err.contains("the file is empty"), "{err}");
    }
    // An invisible character where a key or value goes: said, as nothing on screen shows it
    // (helper-160: a doubled byte-order mark was "invalid unquoted key").
    for (name, text, said) in [
        (
            "two-boms",
            format!("\u{feff}\u{feff}{mini}"),
            "line 1, column 2: the file is not valid TOML: an invisible character stands here, a byte-order mark (U+FEFF); delete it (a file may begin with one byte-order mark, no more)",
        ),
        (
            "zero-width",
            format!("\u{200b}{mini}"),
            "line 1, column 1: the file is not valid TOML: an invisible character stands here, a zero-width space (U+200B); delete it",
        ),
        // Where the parser stops after it, on its line (helper-161): two marks before a
        // comment, as in a file `init` wrote saved again; a space after a value.
        (
            "two-boms-comment",
            format!("\u{feff}\u{feff}# my deal\n{mini}"),
            "line 1, column 3: the file is not valid TOML: key with no value, expected `=`; this line holds an invisible character at column 2, a byte-order mark (U+FEFF): delete it unless it stands inside a string",
        ),
        (
            "zero-width-after",
            mini.replacen("start_year = 2024", "start_year = 2024\u{200b}", 1),
            "this line holds an invisible character at column 18, a zero-width space (U+200B): delete it",
        ),
    ] {
        let err = check(&common::write_file(
            dir.path(),
            &format!("{name}.toml"),
            &text,
        ));
        assert!(err.contains(said), "{err}");
    }

    // (1 - 0.9)^-29: 2053 is 29 years after 2024, and 0.1^-29 = 1e29 is past Decimal.
    let far = mini
        .replace("end_year = 2026", "end_year = 2500")
        .replace("discount_rate = 0.10", "discount_rate = -0.9");
    let err = check(&common::write_file(dir.path(), "far.toml", &far));
    assert!(
        err.contains("the discount factor (1 - 0.9)^-29 is too large"),
        "{err}"
    );
}

/// helper-154, on the messages above: `solve - PATH` was refused as "two paths"; a mistyped
/// model name (`msft-openai`) was told it was a path; a key named like a year
/// (`shares.next_year`) was refused as a year; a CR-only CSV's line was 1; a UTF-16 CSV was
/// "Windows-1252"; a file of a byte-order mark alone was not "empty"; `until = nan` gave the
/// example `{ <party> = NaN }`; and a cloud side that sells nothing still drew `cloud.png`.
#[test]
fn regression_the_way_out_is_told_only_where_it_leads_out() {
    let dir = ScratchDir::new("way-out");
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    let ok = |cmd: &mut assert_cmd::Command| common::succeeds(cmd).0;
    let solved = ok(stakeshift()
        .args(["solve", "-", "equity.stake"])
        .write_stdin(mini.clone()));
    // docs/mini.toml's stake for a tie (MODEL.md's worked example: 0.109669237).
    assert!(solved.contains("0.109669237"), "{solved}");
    let err = common::fails_with_2(stakeshift().args(["solve", "msft-openai", "equity.stake"]));
    assert!(err.contains("msft-openai: no such model file"), "{err}");

    let renamed = mini.replace("others", "next_year");
    let file = common::write_file(dir.path(), "renamed.toml", &renamed);
    let swept = ok(stakeshift().arg("sweep").arg(&file).args([
        "--vary",
        "profit_share.tiers[1].shares.next_year=0.1..0.4:4",
    ]));
    // The header (the model, the unit, a blank line), the table's two, and a row a value.
    assert_eq!(swept.lines().count(), 3 + 2 + 4, "{swept}");

    let with_csv = |name: &str, csv: &[u8]| mini_with_csv(dir.path(), name, csv);
    let check = |file: &std::path::Path| common::fails_with_2(stakeshift().arg("check").arg(file));
    let cr = with_csv(
        "cr",
        b"trajectory,year,revenue,profit,valuation\rx,2024,1,0.1,5\rcaf\xe9,2024,1,0.1,5\r",
    );
    assert!(check(&cr).contains("cr.csv, line 3, column 4: not UTF-8 text"));
    let utf16 = with_csv("utf16", b"\xff\xfet\x00r\x00");
    assert!(check(&utf16).contains("utf16.csv is UTF-16 text"));

    let nan = mini.replace("until = { fund = 13.0 }", "until = nan");
    let err = check(&common::write_file(dir.path(), "nan.toml", &nan));
    assert!(err.contains("`until = { <party> = <amount> }`"), "{err}");

    // helper-155: a model second, standard input or a file without `.toml`, is the model
    // put second; lone carriage returns are TOML's error, not an empty file; UTF-32 is
    // named; a tornado's swing of 4e-28 is the table's 0, not all its digits.
    for model in ["-", "noext"] {
        std::fs::write(dir.path().join("noext"), &mini).unwrap();
        let err = common::fails_with_2(
            stakeshift()
                .current_dir(dir.path())
                .args(["solve", "equity.stake", model])
                .write_stdin(mini.clone()),
        );
        assert!(
            err.contains(&format!(
                "the model comes first; write `stakeshift solve {model} equity.stake`"
            )),
            "{err}"
        );
    }
    let err = check(&common::write_file(dir.path(), "cr.toml", "# c\r# d\r"));
    assert!(!err.contains("empty") && err.contains("line 1"), "{err}");
    let utf32 = with_csv("utf32", b"\xff\xfe\x00\x00t\x00\x00\x00");
    assert!(check(&utf32).contains("utf32.csv is UTF-32 text"));
    let tornado = ok(stakeshift().arg("tornado").arg(common::repo_path(
        "tests/hand/breakeven_equal_at_every_scale.toml",
    )));
    let numbers = tornado
        .split_whitespace()
        .filter(|cell| cell.replace([',', '+'], "").parse::<f64>().is_ok());
    for cell in numbers {
        let places = cell.split_once('.').map_or(0, |(_, f)| f.len());
        assert!(places <= 6, "{cell} in\n{tornado}");
    }

    let cloud = format!("{mini}\n[cloud]\nmargin = 0.35\nspend = {{ points = [[2025, 0.5]] }}\n");
    let file = common::write_file(dir.path(), "cloud.toml", &cloud);
    let out = dir.path().join("charts");
    ok(stakeshift().arg("chart").arg(&file).arg("--out").arg(&out));
    assert!(out.join("stake.png").exists() && !out.join("cloud.png").exists());
}

/// helper-169, checked by helper-170: `solve nosuch.key` was sent to `name`, a text that
/// cannot be solved for. sweep, solve and tornado suggest only paths that hold numbers,
/// an element of a pair among them (`investor.contributions[0][1]`).
#[test]
fn regression_a_sensitivity_path_suggestion_holds_a_number() {
    for (path, not, nearest) in [
        ("nam", Some("`name`"), None),
        ("unitt", Some("`unit`"), None),
        (
            "investor.contributons[0][1]",
            None,
            Some("the nearest valid path is `investor.contributions[0][1]`"),
        ),
        (
            "trajectories[base].revenue.point[3][1]",
            None,
            Some("the nearest valid path is `trajectories[base].revenue.points[3][1]`"),
        ),
        (
            "equity.stak",
            None,
            Some("the nearest valid path is `equity.stake`"),
        ),
    ] {
        let err = common::fails_with_2(stakeshift().args(["solve", path, "-t", "base"]));
        if let Some(not) = not {
            assert!(!err.contains(not), "{path}: {err}");
        }
        if let Some(nearest) = nearest {
            assert!(err.contains(nearest), "{path}: {err}");
        }
    }
}

/// helper-168: an error of a table's values (shares past 1) was blamed on the last `--set`
/// of the table, one that wrote the file's own value; a 5,000-digit `--set` left only
/// itself in the error, its reason cut; a model without contributions was told to set
/// them as tables.
#[test]
fn regression_errors_of_overrides_name_the_set_that_changed_it_and_keep_their_reason() {
    let err = common::fails_with_2(stakeshift().args([
        "check",
        "--set",
        "profit_share.tiers[1].shares.others=0.6",
        "--set",
        "profit_share.tiers[1].shares.nonprofit=0.02",
    ]));
    assert!(
        err.starts_with("error: --set profit_share.tiers[1].shares.others=0.6: ")
            && err.contains("the shares add up to 1.11"),
        "{err}"
    );
    let long = format!("discount_rate=0.{}", "1".repeat(5000));
    let err = check_refuses_set(&long);
    assert!(err.contains("has more than 28 significant digits"), "{err}");
    assert!(err.len() < 1_000, "{} characters", err.len());
    let dir = ScratchDir::new("no-contributions");
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    let without: String = mini
        .lines()
        .filter(|l| !l.starts_with("contributions"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, mini);
    let model = common::write_file(dir.path(), "m.toml", &without);
    let err = common::fails_with_2(
        stakeshift()
            .arg("check")
            .arg(&model)
            .args(["--set", "investor.contributions[0][1]=0.5"]),
    );
    assert!(
        err.contains("set the whole array (`investor.contributions=[[YEAR, VALUE], ...]`)"),
        "{err}"
    );
}

/// helper-240: a tornado's `--vary PATH=0.4..0.1` ran, its 0.4 listed and drawn as the low
/// value (`solve --within` refuses FROM above TO); and `--chart-trajectory nope` was told
/// without the option that named it.
#[test]
fn regression_a_tornado_range_high_to_low_and_its_chart_trajectory_are_told() {
    let err = common::fails_with_2(stakeshift().args([
        "tornado",
        "-t",
        "base",
        "--vary",
        "equity.stake=0.4..0.1",
    ]));
    assert!(
        err.contains("--vary equity.stake=0.4..0.1: LOW is above HIGH: write 0.1..0.4"),
        "{err}"
    );
    // Equal ends are an input that changes nothing: its swing 0.
    stakeshift()
        .args(["tornado", "-t", "base", "--vary", "equity.stake=0.2..0.2"])
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let err = common::fails_with_2(
        stakeshift()
            .args([
                "tornado",
                "-t",
                "base",
                "--chart-trajectory",
                "nope",
                "--out",
            ])
            .arg(dir.path().join("out")),
    );
    assert!(!dir.path().join("out").exists());
    assert!(
        err.contains("--chart-trajectory nope: the model has no trajectory `nope`"),
        "{err}"
    );
}

/// A `--vary` whose range parses but is not one the command takes (steps for a tornado, a
/// fraction of a year for a sweep) or that has no `=` was quoted whole: a value of 4,000
/// digits made a 3,000-character error (shortened only where the range did not parse).
#[test]
fn regression_every_vary_error_shortens_the_vary() {
    let zeros = "0".repeat(4000);
    for (command, vary, reason) in [
        (
            "tornado",
            format!("equity.stake=0.1{zeros}..0.2:3"),
            "a tornado input takes LOW..HIGH, without steps",
        ),
        (
            "sweep",
            format!("valuation_year=2020.5{zeros}..2030"),
            "is not a whole year",
        ),
        (
            "sweep",
            format!("equity.stake{zeros}"),
            "expected PATH=FROM..TO[:STEPS]",
        ),
    ] {
        let err = common::fails_with_2(stakeshift().args([command, "--vary", &vary]));
        assert!(err.contains(reason), "{command} {}: {err}", &vary[..20]);
        assert!(err.len() < 600, "{command}: {} characters", err.len());
    }
    // Errors of a valid --vary against the model or another --vary (helper-176).
    for (command, steps) in [("sweep", ":2"), ("tornado", "")] {
        let long = format!("equity.stake=0.1{zeros}..0.2{steps}");
        let again = format!("equity.stake=0.1..0.3{steps}");
        let err = common::fails_with_2(
            stakeshift().args([command, "-q", "--vary", &long, "--vary", &again]),
        );
        assert!(err.contains("vary the same value"), "{command}: {err}");
        assert!(err.len() < 800, "{command}: {} characters", err.len());
        let simulation = format!("simulation.revenue_vol=0.1{zeros}..0.2{steps}");
        let err = common::fails_with_2(stakeshift().args([command, "-q", "--vary", &simulation]));
        assert!(
            err.contains("sets how `simulate` draws"),
            "{command}: {err}"
        );
        assert!(err.len() < 800, "{command}: {} characters", err.len());
    }
}

/// A trajectory named with a leading `-` needed `--trajectory=-high`: `-t -high` was read as
/// flags (helper-167). `-t` now takes the next word whatever it starts with; a flag given by
/// mistake in its place is an unknown trajectory, and the error says the flag was taken as
/// a name (helper-176), as does clap's where the word taken leaves another flag's value.
#[test]
fn regression_t_takes_a_name_that_starts_with_a_dash() {
    let dir = ScratchDir::new("dash-name");
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    // Two trajectories, `-high` and `zweite`, so that choosing one shows.
    let renamed = mini.replace("name = \"only\"", "name = \"-high\"").replace(
        "[[trajectories]]",
        "[[trajectories]]\nname = \"zweite\"\nrevenue = { points = [[2024, 1.0]] }\nmargin = { points = [[2024, 0.1]] }\nvaluation = { points = [[2024, 100.0]] }\n\n[[trajectories]]",
    );
    assert!(renamed.contains("\"-high\"") && renamed.contains("\"zweite\""));
    let model = common::write_file(dir.path(), "m.toml", &renamed);
    for args in [
        vec!["compare", "-t", "-high"],
        vec!["explain", "-t", "-high", "-y", "2025"],
        vec!["simulate", "-t", "-high", "--paths", "10", "-q"],
        vec![
            "sweep",
            "-t",
            "-high",
            "--vary",
            "equity.stake=0.1..0.2:2",
            "-q",
        ],
        vec!["solve", "-t", "-high", "equity.stake"],
        vec!["tornado", "-t", "-high", "-q"],
    ] {
        let mut command = stakeshift();
        command.arg(args[0]).arg(&model).args(&args[1..]);
        let (out, _) = common::succeeds(&mut command);
        assert!(out.contains("-high"), "{args:?}:\n{out}");
        assert!(
            !out.contains("zweite"),
            "{args:?} ran more than `-high`:\n{out}"
        );
    }
    let taken = |flag: &str, by: &str| {
        format!(
            "(`{flag}` was taken as the trajectory's name after {by}, which takes the next word"
        )
    };
    let err = common::fails_with_2(
        stakeshift()
            .arg("compare")
            .arg(&model)
            .args(["-t", "--yearly"]),
    );
    assert!(
        err.contains("the model has no trajectory `--yearly`; it has"),
        "{err}"
    );
    assert!(err.contains(&taken("--yearly", "-t")), "{err}");
    let err = common::fails_with_2(stakeshift().args(["explain", "-t", "-y", "2030"]));
    assert!(err.contains(&taken("-y", "-t")), "{err}");
    // An empty name is said to be empty (helper-192: "no trajectory ``; did you mean
    // `bust`?").
    for args in [
        vec!["compare", "--trajectory="],
        vec!["explain", "-t", "", "-y", "2030"],
        vec!["simulate", "-t", " ", "--paths", "2"],
    ] {
        let err = common::fails_with_2(stakeshift().args(&args));
        assert!(
            err.contains("the trajectory's name given is empty; the model has: bust, bear"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("did you mean"), "{args:?}: {err}");
    }
    // A cluster of short flags taken as the name is a flag too (it had no note).
    let err = common::fails_with_2(stakeshift().args([
        "sweep",
        "-qt",
        "-qt",
        "--vary",
        "equity.stake=0.1..0.2:2",
    ]));
    assert!(err.contains(&taken("-qt", "-t")), "{err}");
    let err =
        common::fails_with_2(stakeshift().args(["tornado", "--chart-trajectory", "--out", "d"]));
    assert!(err.contains(&taken("--out", "--chart-trajectory")), "{err}");
    // helper-177: where the flag's value became the model's path, the error is that file's.
    let err = common::fails_with_2(stakeshift().args(["compare", "-t", "--format", "csv"]));
    assert!(
        err.contains("csv: no such model file") && err.contains(&taken("--format", "-t")),
        "{err}"
    );
    // Nothing after `--` is a flag (helper-178), unless that `--` was itself taken as a
    // name (helper-179).
    let err = common::fails_with_2(stakeshift().args(["compare", "--", "-t", "--yearly"]));
    assert!(!err.contains("was taken"), "{err}");
    let err = common::fails_with_2(stakeshift().args(["compare", "-t", "--", "-t", "--yearly"]));
    assert!(err.contains(&taken("--yearly", "-t")), "{err}");
    // A `-t` that was itself another flag's value names nothing (helper-190: `--vary` takes
    // any word too); a `-t` at the end of a cluster of short flags does.
    let err = common::fails_with_2(stakeshift().args(["sweep", "--vary", "-t", "--yearly"]));
    assert!(!err.contains("was taken"), "{err}");
    let err = common::fails_with_2(stakeshift().args(["sweep", "-qt", "--yearly"]));
    assert!(err.contains(&taken("--yearly", "-t")), "{err}");
    // A command's words are read with its own flags: `compare` has no `-q`, and clap stops
    // there (helper-191: the note said what `-t` took).
    for args in [
        &["compare", "-qt", "--yearly"][..],
        &["check", "-t", "--yearly"],
        &["help", "-qt", "--yearly"],
    ] {
        let err = common::fails_with_2(stakeshift().args(args));
        assert!(!err.contains("was taken"), "{args:?}: {err}");
    }
    // A name that is no flag gets no note, whatever the error.
    let err = common::fails_with_2(stakeshift().arg("compare").arg(&model).args([
        "-t",
        "-high",
        "--yearlyy",
    ]));
    assert!(
        err.contains("--yearlyy") && !err.contains("was taken"),
        "{err}"
    );
}

/// helper-170 and -171 on this session's fixes: simulate's weights error is placed by the
/// chosen trajectories' weights (a `--set` of another's, or the file's own value restated,
/// is not blamed; a key written with spaces is the trimmed one's); a long model path is
/// shortened to its end, keeping the file's name, and a long `solve PATH` to its start; the
/// sensitivity header reads `valuation_year` in any spelling; the what-if line writes a CR
/// as an escape.
#[test]
fn regression_this_sessions_fixes_hold_in_their_corners() {
    let err = common::fails_with_2(stakeshift().args([
        "simulate",
        "--paths",
        "10",
        "-q",
        "-t",
        "base",
        "--set",
        "simulation.weights.\"base \"=0",
    ]));
    assert!(
        err.starts_with("error: --set simulation.weights.\"base \"=0: simulation.weights: no trajectory can be drawn"),
        "{err}"
    );
    let dir = ScratchDir::new("corners");
    let zero_base = stakeshift::BUILTIN_MODEL.replacen("base = 0.30,", "base = 0,", 1);
    assert_ne!(zero_base, stakeshift::BUILTIN_MODEL);
    let model = common::write_file(dir.path(), "w.toml", &zero_base);
    let err = common::fails_with_2(stakeshift().args(["simulate"]).arg(&model).args([
        "-t",
        "base",
        "--set",
        "simulation.weights.bear=0.5",
    ]));
    assert!(
        err.contains("w.toml, line ") && !err.contains("--set"),
        "{err}"
    );

    let deep: std::path::PathBuf = (0..20)
        .map(|i| format!("deep_directory_level_{i:02}"))
        .collect();
    let folder = dir.path().join(&deep);
    std::fs::create_dir_all(&folder).unwrap();
    let bad = stakeshift::BUILTIN_MODEL.replacen("discount_rate = 0.09", "discount_rate = -2", 1);
    let model = common::write_file(&folder, "my-deal.toml", &bad);
    let err = common::fails_with_2(stakeshift().arg("check").arg(&model));
    assert!(
        err.starts_with("error: (a path of ") && err.contains("/my-deal.toml, line "),
        "{err}"
    );
    let long = format!("equity.{}", "s".repeat(600));
    let err = common::fails_with_2(stakeshift().args(["solve", &long]));
    assert!(err.starts_with("error: solve equity.sss"), "{err}");

    let swept = String::from_utf8(
        stakeshift()
            .args([
                "sweep",
                "--vary",
                "\"valuation_year\"=2025..2027:3",
                "-t",
                "base",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        swept.contains("NPVs as of the end of each row's valuation_year;"),
        "{swept}"
    );
    // helper-172: a grid of two paths, one of them valuation_year: each row sets it.
    let grid = String::from_utf8(
        stakeshift()
            .args([
                "sweep",
                "-q",
                "-t",
                "base",
                "--vary",
                "valuation_year=2024..2026:3",
            ])
            .args(["--vary", "equity.stake=0.2..0.3:2"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        grid.contains("NPVs as of the end of each row's valuation_year;"),
        "{grid}"
    );
    // helper-173: a line separator in the unit is refused as a control character is; a
    // U+202E inside a quoted value is written as an escape in any error; a long `--vary`
    // keeps its reason.
    let err = check_refuses_set("unit=\"a\u{2029}b\"");
    assert!(err.contains("U+2029"), "{err}");
    let err = common::fails_with_2(
        stakeshift()
            .args(["check", "-"])
            .write_stdin("name = \"Corpus \u{202e} base\" junk\n"),
    );
    assert!(
        !err.contains('\u{202e}') && err.contains("\\u{202e}"),
        "{err}"
    );
    let long = format!("--vary=discount_rate=0.{}..0.2:2", "1".repeat(5000));
    let err = common::fails_with_2(stakeshift().args(["sweep", "-q", &long]));
    assert!(err.len() < 1_500, "{} characters: {err}", err.len());
    assert!(!err.contains("characters left out"), "{err}");
    // helper-172: a model path whose first folder reads `solve x` is a path: its end kept.
    let odd = dir
        .path()
        .join("solve x")
        .join("a".repeat(200))
        .join("b".repeat(200));
    std::fs::create_dir_all(&odd).unwrap();
    let model = common::write_file(&odd, "odd-deal.toml", &bad);
    let err = common::fails_with_2(stakeshift().arg("check").arg(&model));
    assert!(err.contains("/odd-deal.toml, line "), "{err}");

    let table = String::from_utf8(
        stakeshift()
            .args(["compare", "--set", "cloud.margin=0\r"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        table.contains("What-if: run with --set cloud.margin=0\\u{d}; every other value"),
        "{table}"
    );
}

/// helper-172: with more than 64 trajectories chosen, simulate's weights error was placed
/// by the weights table as a whole, so a `--set` of a weight not chosen was blamed, and one
/// of a chosen weight missed behind a later one that restated the file. Each chosen
/// trajectory's weight is looked for now, however many.
#[test]
fn regression_the_weights_error_of_many_chosen_trajectories_names_the_right_set() {
    let dir = ScratchDir::new("many-weights");
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    let only = &mini[mini.find("[[trajectories]]").unwrap()..];
    let mut text = mini.clone();
    for i in 0..70 {
        text.push('\n');
        text.push_str(&only.replace("name = \"only\"", &format!("name = \"t{i}\"")));
    }
    let weights: Vec<String> = std::iter::once("only = 1".to_string())
        .chain((0..70).map(|i| format!("t{i} = {}", if i < 65 { 0 } else { 1 })))
        .collect();
    text.push_str(&format!(
        "\n[simulation]\nweights = {{ {} }}\n",
        weights.join(", ")
    ));
    let model = common::write_file(dir.path(), "m70.toml", &text);
    let run = |chosen: &[String], sets: &[&str]| {
        let mut c = stakeshift();
        c.arg("simulate")
            .arg(&model)
            .args(["--paths", "10", "-q"])
            .args(chosen);
        for s in sets {
            c.args(["--set", s]);
        }
        common::fails_with_2(&mut c)
    };
    let t = |i: usize| ["-t".to_string(), format!("t{i}")];
    // 65 chosen, each 0 in the file; a weight not chosen set: the file's zeros are to blame.
    let zeros: Vec<String> = (0..65).flat_map(t).collect();
    let err = run(&zeros, &["simulation.weights.t69=5"]);
    assert!(
        err.contains("m70.toml, line ") && !err.contains("--set"),
        "{err}"
    );
    // `only` (1 in the file) and 64 zeros chosen; `only` zeroed by a set, then a later set
    // of a weight not chosen: the first set is to blame.
    let mut with_only: Vec<String> = vec!["-t".into(), "only".into()];
    with_only.extend((1..65).flat_map(t));
    let err = run(
        &with_only,
        &["simulation.weights.only=0", "simulation.weights.t66=1"],
    );
    assert!(
        err.starts_with("error: --set simulation.weights.only=0: simulation.weights:"),
        "{err}"
    );
}

/// helper-175: messages that named an invalid fix or contradicted the valid range: `NaN`
/// was told "expected `nan`", which is refused in turn (in a `--set` and in a file); a
/// seed of 1e19 was told numbers stop at 1e18, where whole seeds go to 9.2e18; a path past
/// a pair's amount was sent to another pair's year; `--year 2030.0` got Rust's "invalid
/// digit found in string"; a hexadecimal range end, "not a number".
#[test]
fn regression_messages_name_a_valid_fix() {
    let err = check_refuses_set("equity.stake=NaN");
    assert!(
        err.contains("`NaN` is neither a finite number nor quoted text"),
        "{err}"
    );
    // helper-177: a text field's value, or a word that is not a whole value, is not told
    // it is no finite number only.
    let err = check_refuses_set("investor.party=Nan");
    assert!(err.contains("or text in quotes"), "{err}");
    let err = check_refuses_set("equity.stake=0.3nan");
    assert!(!err.contains("finite"), "{err}");
    let dir = ScratchDir::new("nan-in-file");
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    let with_nan = mini.replacen("discount_rate = 0.10", "discount_rate = Infinity", 1);
    assert_ne!(with_nan, mini);
    let model = common::write_file(dir.path(), "m.toml", &with_nan);
    let err = common::fails_with_2(stakeshift().arg("check").arg(&model));
    assert!(
        err.contains("`Infinity` is neither a finite number nor quoted text"),
        "{err}"
    );
    let header = mini.replacen("[equity]", "[nan\n[equity]", 1);
    let model = common::write_file(dir.path(), "h.toml", &header);
    let err = common::fails_with_2(stakeshift().arg("check").arg(&model));
    assert!(
        err.contains("unclosed table") && !err.contains("finite"),
        "{err}"
    );
    let err = check_refuses_set("simulation.seed=1e19");
    assert!(
        err.contains(
            "1e19 is out of range; it must be a whole number from 0 to 9223372036854775807"
        ),
        "{err}"
    );
    let err = common::fails_with_2(stakeshift().args([
        "check",
        "--set",
        "investor.contributions[0][1][0]=1",
    ]));
    assert!(
        err.ends_with("the nearest valid path is `investor.contributions[0][1]`\n"),
        "{err}"
    );
    // helper-177: a whole seed written as a float, past 1e18 and within the range, is taken;
    // helper-178: as written, not as its f64 (1234567890123456789.0 ran as ...768).
    common::succeeds(stakeshift().args(["check", "--set", "simulation.seed=2e18"]));
    let (table, _) = common::succeeds(stakeshift().args([
        "simulate",
        "--paths",
        "10",
        "-q",
        "--set",
        "simulation.seed=1234567890123456789.0",
    ]));
    assert!(table.contains("(seed 1234567890123456789)"), "{table}");
    // helper-178: NaN as an array's first element on its own line (the rows of the model
    // files, with their comments), in a `--set` array; a table named nan keeps its error.
    let built_in = std::fs::read_to_string(common::repo_path("models/msft-openai.toml")).unwrap();
    let with_nan = built_in.replacen("  [2024, 3.7],", "  [NaN, 3.7],", 1);
    assert_ne!(with_nan, built_in);
    let model = common::write_file(dir.path(), "rows.toml", &with_nan);
    let err = common::fails_with_2(stakeshift().arg("check").arg(&model));
    assert!(err.contains("`NaN` is neither a finite number"), "{err}");
    let err = common::fails_with_2(stakeshift().args([
        "check",
        "--set",
        "trajectories[0].revenue.points=[[2024, NaN], [2026, 1.0]]",
    ]));
    assert!(err.contains("`NaN` is neither a finite number"), "{err}");
    let twice = mini.replacen("[equity]", "[nan]\nx = 1\n[[nan]]\n[equity]", 1);
    let model = common::write_file(dir.path(), "twice.toml", &twice);
    let err = common::fails_with_2(stakeshift().arg("check").arg(&model));
    assert!(
        err.contains("this key is given twice") && !err.contains("finite"),
        "{err}"
    );
    // helper-179: quoted `#` and `]` before the value; a value after `=` on the next line
    // (no value begins there); a seed in e-notation of more than 28 digits is not rounded.
    for (line, finite) in [
        ("x = [\"a#b\", NaN]", true),
        ("x = { a = \"]#\", b = NaN }", true),
        ("x =\nNaN", false),
        ("a = \"=#\"\n[NaN", false),
        // helper-180: a multi-line string's closing quotes may follow two of its own, and
        // its escapes are skipped.
        ("x = [\"\"\"a\"\"\"\", NaN]", true),
        ("x = \"\"\"a\\\"\"\"b\"\"\"\ny = NaN", true),
        ("x = [\"\"\"a\"\"\"\"]\n[nan", false),
    ] {
        let text = mini.replacen("[equity]", &format!("{line}\n[equity]"), 1);
        let model = common::write_file(dir.path(), "strings.toml", &text);
        let err = common::fails_with_2(stakeshift().arg("check").arg(&model));
        assert_eq!(
            err.contains("is neither a finite number"),
            finite,
            "{line}: {err}"
        );
    }
    // helper-180: trailing zeros are no digits of a seed's value.
    common::succeeds(stakeshift().args([
        "check",
        "--set",
        "simulation.seed=5000000000000000000.0000000000",
    ]));
    let err = common::fails_with_2(stakeshift().args([
        "check",
        "--set",
        "simulation.seed=9.99999999999999999999999999999e0",
    ]));
    assert!(err.contains("more than 28 significant digits"), "{err}");
    let err = common::fails_with_2(stakeshift().args(["explain", "-t", "base", "--year=--2030"]));
    assert!(err.contains("`--2030` is not a year"), "{err}");
    // helper-177: a missing model's long path and a long unknown key are shortened.
    let deep = format!("{}/nope.toml", vec!["q".repeat(250); 14].join("/"));
    let err = common::fails_with_2(stakeshift().args(["compare", &deep]));
    assert!(
        err.contains("no such model file") && err.len() < 1_000,
        "{err}"
    );
    let key = format!("equity.{}=1", "k".repeat(3000));
    let err = check_refuses_set(&key);
    assert!(err.contains("has no key") && err.len() < 1_000, "{err}");
    let err = common::fails_with_2(stakeshift().args(["explain", "-t", "base", "-y", "2030.0"]));
    assert!(
        err.contains("`2030.0` is not a year; give a whole year"),
        "{err}"
    );
    let err = common::fails_with_2(stakeshift().args(["sweep", "--vary", "equity.stake=0x0..0x1"]));
    assert!(
        err.contains("`0x0` is not a number written in decimal digits"),
        "{err}"
    );
}

/// helper-240: a model without `[profit_share]` was told to "add an `[profit_share]`
/// table"; the article is the one its name is read with.
#[test]
fn regression_a_missing_table_is_asked_for_with_its_article() {
    for (file, asked) in [
        ("missing_profit_share.toml", "add a `[profit_share]` table"),
        ("missing_equity.toml", "add an `[equity]` table"),
        ("missing_investor.toml", "add an `[investor]` table"),
    ] {
        let err = common::fails_with_2(
            stakeshift()
                .arg("check")
                .arg(common::repo_path(&format!("tests/bad/{file}"))),
        );
        assert!(err.contains(asked), "{file}: {err}");
    }
}

/// helper-288: the note that a `--set` lacks its `=VALUE` printed the argument raw beside an
/// error that escaped it: a newline split the error over lines, an ESC sequence reached the
/// terminal, and `solve` said the note twice (escaped, then raw). A path with a space was
/// offered `--set a b=VALUE`, which a shell splits again.
#[test]
fn regression_the_set_notes_escape_what_they_quote_once() {
    for (args, said) in [
        (
            &["compare", "--svg", "--set", "a\nb", "docs/mini.toml"][..],
            "(`--set a\\u{a}b` has no `=VALUE`: write `--set 'a\\u{a}b=VALUE'`, one word)",
        ),
        (
            &["compare", "--set", "a\u{1b}[2Jb", "docs/mini.toml"],
            "write `--set 'a\\u{1b}[2Jb=VALUE'`, one word)",
        ),
        (
            &["solve", "--set", "a\tb", "equity.stake"],
            "(`--set a\\u{9}b` has no `=VALUE`: write `--set 'a\\u{9}b=VALUE'`, one word)",
        ),
        (
            &["solve", "--set", "a b", "equity.stake"],
            "write `--set 'a b=VALUE'`, one word)",
        ),
        (
            &["schema", "x\u{2028}y"],
            "unexpected argument 'x\\u{2028}y'",
        ),
    ] {
        let err = common::fails_with_2(stakeshift().args(args));
        assert!(err.contains(said), "{args:?}: {err}");
        assert!(err.matches("has no `=VALUE`").count() <= 1, "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(
            !err.trim_end()
                .contains(|c: char| c.is_control() || c == '\u{2028}'),
            "{err:?}"
        );
    }
    let err = common::fails_with_2(stakeshift().args(["solve", "--set", "a\nb", "equity.stake"]));
    assert_eq!(err.matches("has no `=VALUE`").count(), 1, "{err}");
    // helper-294: the unexpected-argument note not for a command without `--set`, nor beside
    // a `--set` whose value the word is; `--vary`'s long form names FROM..TO.
    let err = common::fails_with_2(stakeshift().args(["init", "x.toml", "equity.stake=0.3"]));
    assert!(!err.contains("reads as"), "{err}");
    let err = common::fails_with_2(stakeshift().args([
        "compare",
        "docs/mini.toml",
        "--set",
        "discount_rate",
        "equity.stake",
    ]));
    assert!(
        !err.contains("reads as") && err.contains("has no `=VALUE`"),
        "{err}"
    );
    let long_vary = format!("trajectories[{}].agi_year", "x".repeat(120));
    let err = common::fails_with_2(stakeshift().args([
        "sweep",
        "docs/mini.toml",
        "--vary",
        &long_vary,
        "2030..2035",
    ]));
    assert!(
        err.contains("write `--vary PATH=FROM..TO` as one word)"),
        "{err}"
    );
    // helper-291: a path too long to quote whole was offered shortened, its quote unclosed.
    let long = format!("trajectories[{}].agi_year", "x".repeat(120));
    let err = common::fails_with_2(stakeshift().args(["compare", "--set", &long, "2031"]));
    assert!(
        err.contains("has no `=`: write `--set PATH=VALUE` as one word)"),
        "{err}"
    );
}

/// Session 46: `--paths 1e6`, `--paths 1,000,000` (and `--seed`, `--replay` so written) were
/// told only that they are not whole numbers in digits; each is told the number in digits,
/// or that it is outside the range; a decimal comma (`1,5`) and a fraction are offered none.
#[test]
fn regression_a_count_in_exponent_form_or_grouped_is_told_its_digits() {
    for (given, digits) in [
        ("1e6", "1000000"),
        ("2.5E5", "250000"),
        ("1,000,000", "1000000"),
        ("1_000", "1000"),
        ("1 000", "1000"),
    ] {
        let err = common::fails_with_2(stakeshift().args(["simulate", "--paths", given]));
        assert!(err.contains(&format!("`{given}` is not a whole number written in digits; write it {digits}, as a whole number of paths")), "{err}");
        common::succeeds(stakeshift().args([
            "simulate", "--paths", "20", "--seed", digits, "--replay", "3", "--quiet",
        ]));
    }
    let err = common::fails_with_2(stakeshift().args(["simulate", "--paths", "1e8"]));
    assert!(
        err.contains("`1e8` is 100000000, outside 1..=10000000"),
        "{err}"
    );
    let err = common::fails_with_2(stakeshift().args(["simulate", "--seed", "1e3"]));
    assert!(
        err.contains("`1e3` is not a whole number written in digits; write it 1000"),
        "{err}"
    );
    let err = common::fails_with_2(stakeshift().args(["simulate", "--replay", "1,000"]));
    assert!(err.contains("write it 1000, as a path's index"), "{err}");
    // (helper-291: `0,500` and `0,001` are decimal commas, not groupings.)
    for given in [
        "1,5", "1,0000", "1.25e1", "1e-3", "10,000.5", "0,500", "0,001",
    ] {
        let err = common::fails_with_2(stakeshift().args(["simulate", "--paths", given]));
        assert!(!err.contains("write it"), "{given}: {err}");
    }
}

/// Session 46: a change to the model given where MODEL goes (`compare equity.stake=0.3`,
/// `tornado equity.stake`, `sweep --vary ... equity.stake=0..1`) was told only "no such
/// model file". It is told how such a change is given; each offered form, followed, runs.
/// A name that is a file's (`equity.toml`, `foo.toml`) is told nothing more.
#[test]
fn regression_a_change_given_as_the_model_is_told_its_flag() {
    let cases: [(&[&str], &str, &[&str]); 4] = [
        (
            &["compare", "equity.stake=0.3"],
            "`equity.stake=0.3` reads as a change to the model, not a file: give it as `--set equity.stake=0.3`",
            &["compare", "--set", "equity.stake=0.3"],
        ),
        (
            &["compare", "trajectories[base].agi_year = 2031"],
            "give it as `--set 'trajectories[base].agi_year=2031'`",
            &["compare", "--set", "trajectories[base].agi_year=2031"],
        ),
        (
            &[
                "sweep",
                "--vary",
                "discount_rate=0.05..0.1:2",
                "equity.stake=0.1..0.5",
            ],
            "`equity.stake=0.1..0.5` reads as a range of an input, not a file: `sweep` and `tornado` take it as `--vary equity.stake=0.1..0.5`",
            &["tornado", "--vary", "equity.stake=0.1..0.5"],
        ),
        (
            &["tornado", "equity.stake"],
            "`equity.stake` reads as a PATH of the model, not a file: a value is changed with `--set equity.stake=VALUE`, and varied with `--vary equity.stake=FROM..TO` (`sweep`, `tornado`)",
            &["tornado", "--vary", "equity.stake=0.2..0.3"],
        ),
    ];
    for (args, said, followed) in cases {
        let err = common::fails_with_2(stakeshift().args(args));
        assert!(
            err.contains("no such model file") && err.contains(said),
            "{args:?}: {err}"
        );
        let out = stakeshift().args(followed).output().unwrap();
        assert!(
            out.status.success(),
            "{followed:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for name in ["equity.toml", "foo.toml", "EQUITY.stake", "equity"] {
        let err = common::fails_with_2(stakeshift().args(["check", name]));
        assert!(
            err.contains("no such model file") && !err.contains("reads as"),
            "{name}: {err}"
        );
    }
    // helper-291: the offered flag written as a shell reads it (`;` ran a second command,
    // a space split it); a text key's value quoted; sweep's steps kept from tornado; a top
    // level key before an `=`; and nothing for a file's name or a path the schema lacks.
    for (name, said) in [
        (
            "equity.stake=0.3;rm",
            "give it as `--set 'equity.stake=0.3;rm'`",
        ),
        ("equity.stake=a b", "give it as `--set 'equity.stake=a b'`"),
        (
            "profit_share.residual=fund",
            "give it as `--set 'profit_share.residual=\"fund\"'`",
        ),
        ("discount_rate=0.1", "give it as `--set discount_rate=0.1`"),
        (
            "equity.stake=0.1..0.4:4",
            "take it as `--vary equity.stake=0.1..0.4` (and `--vary equity.stake=0.1..0.4:4` for sweep)",
        ),
    ] {
        let err = common::fails_with_2(stakeshift().args(["compare", name]));
        assert!(err.contains(said), "{name}: {err}");
    }
    // helper-291: after the model, clap's "unexpected argument" is told the same.
    let err =
        common::fails_with_2(stakeshift().args(["compare", "docs/mini.toml", "equity.stake=0.3"]));
    assert!(
        err.contains("unexpected argument 'equity.stake=0.3' found (see --help) (`equity.stake=0.3` reads as a change to the model: give it as `--set equity.stake=0.3`)"),
        "{err}"
    );
    let err = common::fails_with_2(stakeshift().args(["compare", "docs/mini.toml", "extra"]));
    assert!(!err.contains("reads as"), "{err}");
    // helper-292: the PATH alone written as a shell reads it; varied only where a number; a
    // text key's range is a text value.
    let err =
        common::fails_with_2(stakeshift().args(["tornado", "trajectories[it's].valuation.growth"]));
    assert!(
        err.contains("a value is changed with `--set 'trajectories[it'\\''s].valuation.growth=VALUE'`, and varied with `--vary 'trajectories[it'\\''s].valuation.growth=FROM..TO'`"),
        "{err}"
    );
    let err = common::fails_with_2(stakeshift().args(["tornado", "profit_share.tiers"]));
    assert!(
        err.contains("changed with `--set profit_share.tiers=VALUE`") && !err.contains("--vary"),
        "{err}"
    );
    let err = common::fails_with_2(stakeshift().args(["compare", "name=a..b"]));
    assert!(err.contains("give it as `--set 'name=\"a..b\"'`"), "{err}");
    for name in [
        "equity.stake=0.3.toml",
        "equity.stake=0.3/m.toml",
        "cloud.backup",
        "simulation.v2",
        "equity.stake=",
        "notes",
    ] {
        let err = common::fails_with_2(stakeshift().args(["compare", name]));
        assert!(
            err.contains("no such model file") && !err.contains("reads as"),
            "{name}: {err}"
        );
    }
}

/// helper-256: `compare base` said only "no such model file", where the user meant the
/// built-in model's trajectory; `-t base,bear` was sent to `bear`, where each name takes
/// its own flag.
#[test]
fn regression_a_trajectory_named_as_a_model_or_a_list_is_pointed_to_its_flag() {
    // helper-258: every command taking MODEL, `check` (which has no `-t`) and `explain`
    // given `-t base` too among them.
    for args in [
        &["compare", "base"][..],
        &["check", "base"],
        &["explain", "base", "-t", "base", "-y", "2030"],
    ] {
        let err = common::fails_with_2(stakeshift().args(args));
        assert!(
            err.contains("no such model file")
                && err.contains("`base` is a trajectory of the built-in model, not a file: leave MODEL out to run the built-in model")
                && !err.contains("-t base"),
            "{args:?}: {err}"
        );
    }
    // A name that is no trajectory of the built-in model gets no such advice.
    let err = common::fails_with_2(stakeshift().args(["compare", "bases"]));
    assert!(
        err.contains("no such model file") && !err.contains("built-in"),
        "{err}"
    );
    // Empty parts and `;` too (helper-258: `base,,bear` was sent to `bear`).
    for list in ["base, bear", "base,,bear", "base;bear"] {
        let err = common::fails_with_2(stakeshift().args(["compare", "-t", list]));
        assert!(
            err.contains("give each trajectory its own flag, `-t base -t bear`")
                && !err.contains("did you mean"),
            "{list}: {err}"
        );
    }
    // A command that takes one trajectory is not told to repeat a flag it refuses twice.
    for args in [
        &["explain", "-y", "2030", "-t", "base,bear"][..],
        &["chart", "-t", "base,bear", "--out", "unwritten"],
    ] {
        let err = common::fails_with_2(stakeshift().args(args));
        assert!(
            err.contains("this takes one trajectory, such as `-t base`")
                && !err.contains("own flag"),
            "{args:?}: {err}"
        );
    }
    // tornado's `--chart-trajectory` takes one, and its `-t` is another flag (helper-261).
    let out = ScratchDir::new("chart-trajectory-list");
    let err = common::fails_with_2(
        stakeshift()
            .args(["tornado", "--chart-trajectory", "base,bear", "--out"])
            .arg(out.path().join("unwritten")),
    );
    assert!(
        err.contains("this takes one trajectory, such as `--chart-trajectory base`"),
        "{err}"
    );
    // The one offered is one tornado draws: among those given with `-t` (helper-262:
    // `-t bear --chart-trajectory base,bear` was offered `base`), or where none of the
    // list is, the first of those given (helper-267).
    for list in ["base,bear", "base,bull"] {
        let err = common::fails_with_2(
            stakeshift()
                .args(["tornado", "-t", "bear", "--chart-trajectory", list, "--out"])
                .arg(out.path().join("unwritten")),
        );
        assert!(
            err.contains("this takes one trajectory, such as `--chart-trajectory bear`"),
            "{list}: {err}"
        );
    }
    // A name a shell would split or end is quoted as a shell reads it.
    let dir = ScratchDir::new("list-of-odd-names");
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    let renamed = mini.replacen("name = \"only\"", "name = \"it's mine\"", 1);
    assert_ne!(renamed, mini);
    let two = format!(
        "{renamed}\n{}",
        &mini[mini.find("[[trajectories]]").unwrap()..]
    );
    let model = common::write_file(dir.path(), "names.toml", &two);
    let err = common::fails_with_2(
        stakeshift()
            .arg("compare")
            .arg(&model)
            .args(["-t", "it's mine,only"]),
    );
    assert!(
        err.contains(r"give each trajectory its own flag, `-t 'it'\''s mine' -t only`"),
        "{err}"
    );
    // One misspelt name of the list: the nearest name, as for any misspelling.
    let err = common::fails_with_2(stakeshift().args(["compare", "-t", "base,beer"]));
    assert!(
        err.contains("did you mean") && !err.contains("own flag"),
        "{err}"
    );
}

/// helper-279: a percent after digits with TOML's `_` (`1_0%`) is read by TOML as a number
/// that overflowed, and was told "too large; numbers in a model must be at most 1e18", in
/// the file and in --set; it is told its fraction as `10%` is. A number that does overflow
/// is still told so.
#[test]
fn regression_a_percent_with_underscores_is_told_its_fraction_not_too_large() {
    let dir = common::ScratchDir::new("underscore-percent");
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    for (written, fraction) in [("1_0%", "0.1"), ("1_000%", "10"), ("-2_5%", "-0.25")] {
        let text = mini.replace(
            "discount_rate = 0.10",
            &format!("discount_rate = {written}"),
        );
        assert_ne!(text, mini);
        let model = common::write_file(dir.path(), "model.toml", &text);
        let said = format!("`{written}`: TOML has no percent sign; write the fraction, {fraction}");
        let stderr = common::fails_with_2(stakeshift().arg("check").arg(&model));
        assert!(
            stderr.contains("line 6") && stderr.contains(&said) && !stderr.contains("too large"),
            "{written}: {stderr}"
        );
        let set = format!("discount_rate={written}");
        let stderr = check_refuses_set(&set);
        assert!(
            stderr.contains(&said) && !stderr.contains("too large"),
            "--set {set}: {stderr}"
        );
    }
    for set in ["discount_rate=99999999999999999999", "discount_rate=1e400"] {
        let stderr = check_refuses_set(set);
        assert!(stderr.contains("is too large"), "--set {set}: {stderr}");
    }
}

/// helper-279: `--set equity.stake = 0.3` (three words) got no hint, and neither did a space
/// on one side of the `=` where the error was not clap's (`--set equity.stake= 0.3` with no
/// model: the empty value's error; `sweep --vary equity.stake= 0..1`: no model file `0..1`).
/// Each is now told to write one word, once; an empty value before the model is left as it
/// is (`--set name= model.toml` is no value apart).
#[test]
fn regression_a_set_with_spaces_by_its_equals_is_told_to_join_them() {
    let join = "write `--set equity.stake=0.3`, one word)";
    for args in [
        &[
            "compare",
            "docs/mini.toml",
            "--set",
            "equity.stake",
            "=",
            "0.3",
        ][..],
        &["compare", "--set", "equity.stake", "=", "0.3"][..],
        &["compare", "--set", "equity.stake=", "0.3"][..],
        &["compare", "--set", "equity.stake=", "0.3", "docs/mini.toml"][..],
        &["compare", "--set", "equity.stake", "=0.3"][..],
        &["solve", "--set", "equity.stake=", "0.3"][..],
    ] {
        let stderr = common::fails_with_2(stakeshift().args(args));
        assert!(
            stderr.contains("has a space by its `=`") && stderr.matches(join).count() == 1,
            "{args:?}: {stderr}"
        );
    }
    let stderr =
        common::fails_with_2(stakeshift().args(["sweep", "--vary", "equity.stake=", "0..1"]));
    assert!(
        stderr.contains("no such model file")
            && stderr.contains("write `--vary equity.stake=0..1`, one word)"),
        "{stderr}"
    );
    let stderr =
        common::fails_with_2(stakeshift().args(["compare", "--set", "name=", "docs/mini.toml"]));
    assert!(
        stderr.contains("the VALUE after `=` is empty") && !stderr.contains("one word"),
        "{stderr}"
    );
}

/// helper-279: a key that takes text given a number TOML cannot hold (`--set name=1_0%`,
/// `unit=1e400`) was told a number's limit, and one given a number (`name = 12`) "must be
/// a string"; each is told to write the text in quotes.
#[test]
fn regression_a_text_key_given_a_number_is_told_to_quote_it() {
    for (set, expected) in [
        ("name=1_0%", "this key takes text, in quotes (\"1_0%\")"),
        ("unit=1e400", "this key takes text, in quotes (\"1e400\")"),
        (
            "name=12",
            "found the number 12, but this must be text, in quotes",
        ),
    ] {
        let stderr = check_refuses_set(set);
        assert!(
            stderr.contains(expected) && !stderr.contains("too large"),
            "--set {set}: {stderr}"
        );
    }
}

/// models/revenue-note-vs-safe.toml with its two tiers replaced by one that shares nothing:
/// a deal of a revenue share alone, the investor in no tier of the split.
fn revenue_share_alone() -> String {
    let notes =
        std::fs::read_to_string(common::repo_path("models/revenue-note-vs-safe.toml")).unwrap();
    let start = notes.find("[[profit_share.tiers]]").unwrap();
    let end = notes.find("[profit_share.revenue_share]").unwrap();
    format!(
        "{}[[profit_share.tiers]]\nname = \"none\"\nshares = {{}}\n\n{}",
        &notes[..start],
        &notes[end..]
    )
}

/// helper-281: a deal of a revenue share alone (the investor in no tier of the split) was
/// "the revenue share" in its conclusions and "profit share" in every column, row, heading
/// and legend beside them: compare's columns, winner and yearly section, explain's ledger,
/// sweep's, solve's, tornado's and simulate's tables, the replay's comment, and the charts.
/// Each now names it as the conclusion does; the CSV and JSON keep SPEC 8's names; a deal
/// with a profit share keeps "profit share" (the built-in's snapshots).
#[test]
fn regression_a_revenue_share_deal_is_called_a_revenue_share_in_every_label() {
    let dir = common::ScratchDir::new("revenue-share-labels");
    let model = common::write_file(dir.path(), "note.toml", &revenue_share_alone());
    // The command, the model, then the rest.
    let run = |args: &[&str]| {
        let (stdout, _) = common::succeeds(stakeshift().arg(args[0]).arg(&model).args(&args[1..]));
        stdout
    };
    let said = |what: &str, out: &str| {
        assert!(out.contains("revenue share"), "{what}: {out}");
        assert!(!out.contains("profit share"), "{what}: {out}");
    };
    said("compare", &run(&["compare", "--yearly"]));
    said("explain", &run(&["explain", "-t", "steady", "-y", "2030"]));
    said(
        "sweep",
        &run(&["sweep", "--vary", "equity.stake=0.05..0.5:4"]),
    );
    said("solve", &run(&["solve", "equity.stake"]));
    said("tornado", &run(&["tornado"]));
    said("simulate", &run(&["simulate", "--paths", "200", "--quiet"]));
    said(
        "replay",
        &run(&["simulate", "--paths", "200", "--replay", "3", "--quiet"]),
    );
    // The files keep SPEC 8's names.
    let csv = run(&["compare", "--format", "csv"]);
    assert!(csv.contains("profit_share"), "{csv}");
    // The charts: every text drawn.
    let out = dir.path().join("charts");
    common::succeeds(
        stakeshift()
            .args(["compare", "--svg", "--out"])
            .arg(&out)
            .arg(&model),
    );
    common::succeeds(
        stakeshift()
            .args(["simulate", "--paths", "500", "--quiet", "--svg", "--out"])
            .arg(dir.path().join("sim"))
            .arg(&model),
    );
    common::succeeds(
        stakeshift()
            .args([
                "sweep",
                "--vary",
                "equity.stake=0.05..0.5:4",
                "--svg",
                "--out",
            ])
            .arg(dir.path().join("sweep"))
            .arg(&model),
    );
    for (folder, chart) in [
        ("charts", "npv.svg"),
        ("charts", "value.svg"),
        ("charts", "waterfall.svg"),
        ("sim", "fan.svg"),
        ("sim", "distribution.svg"),
        ("sweep", "sweep.svg"),
    ] {
        let svg = std::fs::read_to_string(dir.path().join(folder).join(chart)).unwrap();
        assert!(!svg.contains("profit share"), "{chart}: {svg}");
    }
}

/// Session 47: the waterfall chart's note began with the investor's name capitalised, so a
/// party called `eBay` was written "EBay" (the cloud chart kept names as written; only
/// "the investor" is capitalised, as the first words of a sentence).
#[test]
fn regression_the_waterfall_note_keeps_a_lowercase_investor_name_as_written() {
    let dir = common::ScratchDir::new("waterfall-lowercase-investor");
    // A revenue share alone (the investor in no tier of the split), the investor `eBay`.
    let text = revenue_share_alone().replace("party = \"investor\"", "party = \"eBay\"");
    assert!(text.contains("party = \"eBay\""));
    let model = common::write_file(dir.path(), "note.toml", &text);
    let out = dir.path().join("charts");
    common::succeeds(
        stakeshift()
            .args(["compare", "--svg", "--out"])
            .arg(&out)
            .arg(&model),
    );
    let svg = std::fs::read_to_string(out.join("waterfall.svg")).unwrap();
    assert!(svg.contains("eBay has no share"), "{svg}");
    assert!(!svg.contains("EBay"), "{svg}");
}

/// helper-281: a model without `[profit_share]`, or without its tiers, was told to add them
/// with no word of how a deal with no share of profit (a revenue share alone) writes them.
#[test]
fn regression_a_missing_profit_share_says_how_a_deal_without_one_writes_it() {
    let dir = common::ScratchDir::new("no-profit-share");
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    let (table, tiers, equity) = (
        mini.find("[profit_share]").unwrap(),
        mini.find("[[profit_share.tiers]]").unwrap(),
        mini.find("[equity]").unwrap(),
    );
    for (name, text) in [
        ("no-table", format!("{}{}", &mini[..table], &mini[equity..])),
        ("no-tiers", format!("{}{}", &mini[..tiers], &mini[equity..])),
        (
            "empty-tiers",
            format!("{}tiers = []\n\n{}", &mini[..tiers], &mini[equity..]),
        ),
    ] {
        let model = common::write_file(dir.path(), &format!("{name}.toml"), &text);
        let stderr = common::fails_with_2(stakeshift().arg("check").arg(&model));
        assert!(
            stderr.contains(
                "for a deal with no share of profit, one tier that shares nothing, `[[profit_share.tiers]]` with `name = \"none\"` and `shares = {}`"
            ),
            "{name}: {stderr}"
        );
    }
}

/// helper-282, on the day's hints: (1) a key that takes text given a number TOML cannot
/// hold in the file (`unit = 1e400`) was still told the number's limit, and one past i64
/// "as i128"; (2) a percent or grouped number whose value is past 1e18 was offered a fix
/// the model then refused as too large; (3) a percent after a comma with no space in an
/// array (`[2024,1_0%]`, `[2024,10%]`) got no fix.
#[test]
fn regression_hints_for_text_keys_huge_fixes_and_array_items() {
    let dir = common::ScratchDir::new("hints-282");
    let mini = std::fs::read_to_string(common::repo_path("docs/mini.toml")).unwrap();
    let check_file = |from: &str, to: &str| {
        assert!(mini.contains(from), "{from}");
        let model = common::write_file(dir.path(), "model.toml", &mini.replacen(from, to, 1));
        common::fails_with_2(stakeshift().arg("check").arg(&model))
    };
    let stderr = check_file("unit = \"USD m\"", "unit = 1e400");
    assert!(
        stderr.contains("`1e400` is neither a number TOML reads nor quoted text; this key takes text, in quotes (\"1e400\")"),
        "{stderr}"
    );
    let stderr = check_file(
        "name = \"Mini: a 3-year deal\"",
        "name = 99999999999999999999",
    );
    assert!(
        stderr.contains("found the number 99999999999999999999, but this must be text")
            && !stderr.contains("i128"),
        "{stderr}"
    );
    for (set, said) in [
        (
            "equity.stake=1_000_000_000_000_000_000_000%",
            "the fraction, 10000000000000000000, is more than 1e18 in size",
        ),
        (
            "equity.stake=100000000000000000000000%",
            "the fraction, 1000000000000000000000, is more than 1e18 in size",
        ),
        (
            "discount_rate=1,000,000,000,000,000,000,000",
            "and 1000000000000000000000 is more than 1e18 in size",
        ),
        (
            "trajectories[only].margin={points=[[2024,1_0%]]}",
            "`1_0%`: TOML has no percent sign; write the fraction, 0.1",
        ),
        (
            "trajectories[only].margin.points[0]=[2024,10%]",
            "`10%`: TOML has no percent sign; write the fraction, 0.1",
        ),
    ] {
        let stderr = check_refuses_set(set);
        assert!(
            stderr.contains(said) && !stderr.contains("write the fraction, 1000"),
            "--set {set}: {stderr}"
        );
    }
    let stderr = check_file(
        "margin    = { points = [[2024, -0.1], [2025, 0.3], [2026, 0.4]] }",
        "margin    = { points = [[2024,1_0%]] }",
    );
    assert!(
        stderr.contains("`1_0%`: TOML has no percent sign; write the fraction, 0.1"),
        "{stderr}"
    );
}

/// helper-282, on the join hint: `--set name = MODEL` was offered the name "MODEL" (the
/// run then drew the built-in model), `--set equity.stake == 0.3` a fix with `==`, and
/// clap's tip to write `-- -0` stood before the hint for a negative value apart.
#[test]
fn regression_the_join_hint_offers_no_model_file_as_a_value_nor_a_second_equals() {
    let stderr = common::fails_with_2(stakeshift().args([
        "compare",
        "--set",
        "name",
        "=",
        "docs/mini.toml",
    ]));
    assert!(
        stderr.contains("(`--set name` has no `=VALUE`: write `--set name=VALUE`, one word)"),
        "{stderr}"
    );
    for args in [
        &[
            "compare",
            "docs/mini.toml",
            "--set",
            "equity.stake",
            "==",
            "0.3",
        ][..],
        &["compare", "--set", "equity.stake=", "=0.3"][..],
    ] {
        let stderr = common::fails_with_2(stakeshift().args(args));
        assert!(!stderr.contains("one word"), "{args:?}: {stderr}");
    }
    let stderr =
        common::fails_with_2(stakeshift().args(["compare", "--set", "equity.stake=", "-0.3"]));
    assert!(
        stderr.contains("write `--set equity.stake=-0.3`, one word") && !stderr.contains("tip:"),
        "{stderr}"
    );
}

/// helper-283, on the day's hints once more: a decimal comma in an array or inline table
/// (`[2024, 12,5%]`, `{ fund = 0,75% }`) was told a fix of its last part, `[[24,100%]]`
/// the fraction 241 (a pair of one item), a percent of 30 places the fraction 0, and
/// clap's tip naming a similar flag was dropped beside the join hint; a negative value
/// written as a document writes it (`-10%`) got no join hint.
#[test]
fn regression_array_commas_exact_fractions_and_clap_tips_in_the_hints() {
    for set in [
        "investor.contributions=[[2024, 12,5%]]",
        "investor.contributions=[[2024,12,5%]]",
        "profit_share.tiers[0].shares={ fund = 0,75% }",
        "discount_rate=0.000000000000000000000000000001%",
        "discount_rate=1,000,000,000,000,000,000.000000000000000000001",
    ] {
        let stderr = check_refuses_set(set);
        assert!(
            !stderr.contains("write the fraction") && !stderr.contains("separator; write"),
            "--set {set}: {stderr}"
        );
    }
    let stderr = common::fails_with_2(stakeshift().args([
        "check",
        "--set",
        "investor.contributions=[[24,100%]]",
    ]));
    assert!(
        stderr.contains("`100%`: TOML has no percent sign; write the fraction, 1")
            && !stderr.contains("241"),
        "{stderr}"
    );
    let stderr = common::fails_with_2(stakeshift().args([
        "compare",
        "docs/mini.toml",
        "--yearl",
        "--set",
        "equity.stake",
        "=",
        "0.3",
    ]));
    assert!(
        stderr.contains("tip: a similar argument exists: '--yearly'")
            && stderr.contains("write `--set equity.stake=0.3`, one word"),
        "{stderr}"
    );
    let stderr =
        common::fails_with_2(stakeshift().args(["compare", "--set", "equity.stake=", "-10%"]));
    assert!(
        stderr.contains("write `--set equity.stake=-10%`, one word") && !stderr.contains("tip:"),
        "{stderr}"
    );
}

/// helper-285: after de226e6, a percent in an inline table with no spaces
/// (`{fund=75%,others=1%}`) lost its fix, a grouped number or percent past what a decimal
/// holds lost its "more than 1e18", and clap's tip about another argument (`-x`) was
/// dropped beside the join hint.
#[test]
fn regression_inline_percents_huge_numbers_and_other_arguments_tips() {
    for (set, said) in [
        (
            "profit_share.tiers[0].shares={fund=75%,others=1%}",
            "`75%`: TOML has no percent sign; write the fraction, 0.75",
        ),
        (
            "profit_share.tiers[0].shares={fund=0.49,others=49%,founders=0.02}",
            "`49%`: TOML has no percent sign; write the fraction, 0.49",
        ),
        (
            "discount_rate=1,000,000,000,000,000,000,000,000,000,000",
            "the number is more than 1e18 in size",
        ),
        (
            "discount_rate=123456789012345678901234567890%",
            "the fraction is more than 1e18 in size",
        ),
    ] {
        let stderr = check_refuses_set(set);
        assert!(stderr.contains(said), "--set {set}: {stderr}");
    }
    let stderr = common::fails_with_2(stakeshift().args([
        "compare",
        "docs/mini.toml",
        "-x",
        "--set",
        "equity.stake",
        "0.3",
    ]));
    assert!(
        stderr.contains("tip: to pass '-x' as a value")
            && stderr.contains("write `--set equity.stake=0.3`, one word"),
        "{stderr}"
    );
}

/// The stderr of `check --set SET` on the built-in model, which must refuse it (exit 2).
fn check_refuses_set(set: &str) -> String {
    common::fails_with_2(stakeshift().args(["check", "--set", set]))
}
