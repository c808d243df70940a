//! `sweep`, `solve` and `tornado`: properties that know the answer without a reference
//! (a solution gives the target; a grid point is `compare` with the same `--set`; `solve
//! scale.valuation` is the break-even scale), SPEC 11's default tornado inputs by hand, and
//! the errors of bad grids and paths.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use proptest::prelude::*;
use rust_decimal::Decimal;

use stakeshift::io::{ModelFile, read_model_file};
use stakeshift::overrides::{Override, OverridePath};
use stakeshift::sensitivity::Base;
use stakeshift::sensitivity::solve::{SolveSpec, solve};
use stakeshift::sensitivity::sweep::{Axis, sweep};
use stakeshift::sensitivity::tornado::default_inputs;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tornado MODEL --format csv` (and `extra`): the row whose text holds `needle`, and the
/// warnings.
fn tornado_row(model: &std::path::Path, extra: &[&str], needle: &str) -> (String, String) {
    let (csv, err) = crate::common::succeeds(
        stakeshift()
            .arg("tornado")
            .arg(model)
            .args(["--format", "csv"])
            .args(extra),
    );
    let row = csv
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle}: {csv}"));
    (row.to_string(), err)
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Every valid model in the repository: the shipped ones, the reference cases and the
/// corpus's valid models (one with a trajectories_csv).
fn repository_models() -> Vec<PathBuf> {
    let mut out = vec![
        root().join("models/msft-openai.toml"),
        root().join("models/revenue-note-vs-safe.toml"),
        root().join("tests/bad/_valid.toml"),
        root().join("tests/bad/_valid_csv.toml"),
    ];
    let cases = root().join("tests/reference/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases)
        .unwrap()
        .map(|e| e.unwrap().path().join("model.toml"))
        .filter(|p| p.exists())
        .collect();
    dirs.sort();
    out.extend(dirs);
    out
}

fn all(file: &ModelFile) -> Vec<usize> {
    (0..file.load(&[]).unwrap().model.trajectories.len()).collect()
}

/// `solve scale.valuation` is the very break-even scale that `compare` reports, on every
/// trajectory of every model in the repository.
#[test]
fn solving_scale_valuation_gives_the_break_even_scale_exactly() {
    let mut checked = 0;
    for path in repository_models() {
        let file = read_model_file(Some(&path)).unwrap();
        let base = Base::new(&file, &[]).unwrap();
        let selected = all(&file);
        let spec = SolveSpec {
            path: OverridePath::parse("scale.valuation").unwrap(),
            target: Decimal::ZERO,
            within: None,
        };
        let rows = solve(&base, &spec, &selected).unwrap();
        let comparison = stakeshift::compare::compare(base.model(), None).unwrap();
        for (row, t) in rows.iter().zip(&comparison.trajectories) {
            assert_eq!(row.trajectory, t.name);
            assert_eq!(
                row.solution,
                t.breakeven_scale,
                "{} {}",
                path.display(),
                t.name
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
}

/// The NPV advantage with `path` set to the solution is the target (to 1e-6 of the unit).
fn assert_solution_gives_target(model: Option<&Path>, path: &str, target: Decimal) {
    let file = read_model_file(model).unwrap();
    let base = Base::new(&file, &[]).unwrap();
    let selected = all(&file);
    let spec = SolveSpec {
        path: OverridePath::parse(path).unwrap(),
        target,
        within: None,
    };
    let rows = solve(&base, &spec, &selected).unwrap();
    for row in rows {
        let Some(x) = row.solution else { continue };
        let o = Override::number("test", &spec.path, x);
        let model = file.load(&[o]).unwrap().model;
        let c = stakeshift::compare::compare(&model, None).unwrap();
        let t = c
            .trajectories
            .iter()
            .find(|t| t.name == row.trajectory)
            .unwrap();
        let miss = (t.npv_advantage - target).abs();
        assert!(
            miss <= d("0.000001").max(target.abs() * d("0.000000001")),
            "{path} = {x} on {}: advantage {} for target {target}",
            row.trajectory,
            t.npv_advantage
        );
    }
}

#[test]
fn a_solution_gives_the_target_advantage_on_the_builtin_model() {
    for path in [
        "equity.stake",
        "discount_rate",
        "scale.valuation",
        "scale.revenue",
        "shift.margin",
        "profit_share.tiers[1].until.microsoft",
        "equity.rounds[0].pre_money",
        "trajectories[base].valuation.growth",
        "profit_share.cloud.share.points[2][1]",
        "equity.cloud.share.points[1][1]",
        "cloud.spend.points[1][1]",
    ] {
        assert_solution_gives_target(None, path, Decimal::ZERO);
    }
}

/// helper-76: solve refused the cloud side's series points ("not a number that solve can
/// vary"), which `--set`, `sweep` and `tornado` take. Which trajectories have a root is the
/// auditor's own search (bisection on `compare` of edited files): base, bull and bust for
/// regime A's share in 2027, bust and bull for regime B's in 2027.
#[test]
fn regression_solve_varies_the_cloud_series_points() {
    let file = read_model_file(None).unwrap();
    let base = Base::new(&file, &[]).unwrap();
    let selected = all(&file);
    for (path, solved) in [
        (
            "profit_share.cloud.share.points[2][1]",
            vec!["bust", "base", "bull"],
        ),
        ("equity.cloud.share.points[1][1]", vec!["bust", "bull"]),
    ] {
        let spec = SolveSpec {
            path: OverridePath::parse(path).unwrap(),
            target: Decimal::ZERO,
            within: None,
        };
        let rows = solve(&base, &spec, &selected).unwrap();
        let with_root: Vec<&str> = rows
            .iter()
            .filter(|r| r.solution.is_some())
            .map(|r| r.trajectory.as_str())
            .collect();
        assert_eq!(with_root, solved, "{path}");
        assert!(rows.iter().all(|r| r.current_value.is_some()), "{path}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any target, any of these paths: where solve finds a value, it gives the target.
    #[test]
    fn any_solution_gives_its_target(
        path in prop::sample::select(vec![
            "equity.stake", "discount_rate", "scale.valuation", "shift.margin",
            "equity.terminal_discount", "profit_share.revenue_share.rate",
        ]),
        target in -200i64..200,
    ) {
        assert_solution_gives_target(None, path, Decimal::from(target));
    }
}

/// Each grid point is exactly what `compare` gives with the same overrides, on models with
/// series, with a trajectories_csv, and with default pre-money rounds.
#[test]
fn a_grid_point_is_compare_with_the_same_set() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "models/msft-openai.toml",
            "equity.stake=0.1..0.4:4",
            "scale.valuation[base]=0.8..1.2:3",
        ),
        (
            "models/revenue-note-vs-safe.toml",
            "equity.rounds[0].pre_money=10..40:3",
            "shift.margin=-0.1..0.1:3",
        ),
        (
            "tests/bad/_valid_csv.toml",
            "scale.revenue=0.5..1.5:3",
            "equity.rounds[0].participation=0..2:3",
        ),
        (
            "tests/reference/cases/case_004/model.toml",
            "equity.stake=0.2..0.6:3",
            "discount_rate=0.05..0.15:3",
        ),
    ];
    for (model, a, b) in cases {
        let file = read_model_file(Some(&root().join(model))).unwrap();
        let base = Base::new(&file, &[]).unwrap();
        let selected = all(&file);
        let axis = |s: &str| {
            let (p, r) = s.split_once('=').unwrap();
            Axis {
                path: OverridePath::parse(p).unwrap(),
                origin: format!("--vary {s}"),
                values: stakeshift::sensitivity::Range::parse(r)
                    .unwrap()
                    .grid(11)
                    .unwrap(),
            }
        };
        let axes = [axis(a), axis(b)];
        let result = sweep(&base, &axes, &selected).unwrap();
        assert_eq!(
            result.rows().len(),
            axes[0].values.len() * axes[1].values.len() * selected.len()
        );
        for row in result.rows() {
            let overrides: Vec<Override> = axes
                .iter()
                .zip(&row.values)
                .map(|(a, v)| Override::number("test", &a.path, *v))
                .collect();
            let m = file.load(&overrides).unwrap().model;
            let c = stakeshift::compare::compare(&m, None).unwrap();
            let t = c
                .trajectories
                .iter()
                .find(|t| t.name == row.trajectory)
                .unwrap();
            assert_eq!(
                row.outcome.npv_profit_share, t.profit_share.measures.npv,
                "{model} {row:?}"
            );
            assert_eq!(
                row.outcome.npv_equity, t.equity.measures.npv,
                "{model} {row:?}"
            );
            assert_eq!(row.outcome.winner, t.winner);
        }
    }
}

/// SPEC 11's default inputs on the built-in model, with their low and high values by hand
/// (+-25% of the file's values; 0 fractions by +-0.05, kept in [0, 1]; regime A's revenue
/// share has no total_cap in the file, so it is not an input), then the cloud side's.
#[test]
fn default_tornado_inputs_follow_spec_11() {
    let model = stakeshift::io::load_model(None).unwrap().model;
    let inputs: Vec<(String, String, String)> = default_inputs(&model)
        .iter()
        .map(|i| (i.path.text.clone(), i.low.to_string(), i.high.to_string()))
        .collect();
    let expected: Vec<(&str, &str, &str)> = vec![
        ("discount_rate", "0.0675", "0.1125"),
        ("equity.stake", "0.2025", "0.3375"),
        ("profit_share.tiers[0].until.microsoft", "9.75", "16.25"),
        ("profit_share.tiers[1].until.microsoft", "69", "115"),
        ("profit_share.revenue_share.rate", "0.15", "0.25"),
        ("equity.revenue_share.rate", "0.15", "0.25"),
        ("equity.revenue_share.total_cap", "28.5", "47.5"),
        ("equity.rounds[0].pre_money", "547.5", "912.5"),
        ("equity.rounds[0].participation", "0", "0"),
        ("equity.dividend_payout", "0", "0.05"),
        ("equity.terminal_discount", "0", "0.05"),
        // The built-in model has a cloud side; SPEC 11's list has none of its inputs (SPEC
        // 13 adds none), so cloud.margin and the commitment are not among the defaults.
        ("scale.valuation", "0.75", "1.25"),
        ("scale.revenue", "0.75", "1.25"),
        ("shift.margin", "-0.05", "0.05"),
    ];
    let got: Vec<(&str, &str, &str)> = inputs
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got, expected);
}

fn stakeshift() -> Command {
    Command::cargo_bin("stakeshift").unwrap()
}

fn failing(args: &[&str]) -> String {
    failing_run(stakeshift().args(args))
}

/// What `cmd`, a run that must fail as bad usage (exit 2, nothing on stdout, no panic),
/// printed on stderr.
fn failing_run(cmd: &mut Command) -> String {
    let out = cmd.assert().code(2).get_output().clone();
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn bad_grids_and_paths_exit_2_naming_the_path() {
    // A grid value that makes the model invalid: before anything runs, naming the value.
    let e = failing(&["sweep", "--vary", "equity.stake=0.5..1.5:3"]);
    assert!(
        e.contains("--vary equity.stake=0.5..1.5:3 at equity.stake=1.5"),
        "{e}"
    );
    assert!(e.contains("between 0 and 1"), "{e}");
    let e = failing(&[
        "sweep",
        "--vary",
        "trajectories[base].agi_year=2030..2031:3",
    ]);
    // (Said before the grid runs, with the steps that give whole years: helper-153.)
    assert!(
        e.contains("trajectories[base].agi_year holds a year, and 3 steps from 2030 to 2031 give 2030.5, not a whole year; steps that give whole years: :2 (every year)"),
        "{e}"
    );
    // Unknown path: the nearest valid one.
    let e = failing(&["sweep", "--vary", "equity.stak=0.1..0.2"]);
    assert!(e.contains("nearest valid path is `equity.stake`"), "{e}");
    let e = failing(&["solve", "equity.stak"]);
    assert!(e.contains("nearest valid path is `equity.stake`"), "{e}");
    let e = failing(&["tornado", "--vary", "discount_rat=0.05..0.1"]);
    assert!(e.contains("discount_rate"), "{e}");
    // Three dots (a black-box audit: `0...1` ran as 0..0.1) are refused.
    for args in [
        ["sweep", "--vary", "equity.stake=0...1"],
        ["tornado", "--vary", "equity.stake=0...1"],
        ["solve", "equity.stake", "--within=0...1"],
    ] {
        let e = failing(&args);
        assert!(e.contains("has three dots"), "{e}");
    }
    // Bad grid syntax, too few steps, three paths.
    let e = failing(&["sweep", "--vary", "equity.stake=0.1-0.2"]);
    assert!(e.contains("--vary equity.stake=0.1-0.2"), "{e}");
    let e = failing(&["sweep", "--vary", "equity.stake=0.1..0.2:1"]);
    assert!(e.contains("at least 2"), "{e}");
    // Steps finer than a decimal's 28 places (helper-208: run with 0 twice).
    let e = failing(&[
        "sweep",
        "--vary",
        "equity.stake=0..0.0000000000000000000000000001:3",
    ]);
    assert!(
        e.contains("finer than a value's 28 significant digits"),
        "{e}"
    );
    failing(&[
        "sweep",
        "--vary",
        "equity.stake=0.1..0.2",
        "--vary",
        "discount_rate=0.1..0.2",
        "--vary",
        "shift.margin=0..0.1",
    ]);
    // A model file without a PATH is said to be that (it was read as a path of the
    // built-in model: "the top level has no key `m1`").
    let e = failing(&["solve", "models/msft-openai.toml"]);
    assert!(e.contains("no PATH to solve for"), "{e}");
    assert!(!e.contains("no such file"), "{e}");
    // One that is not there is said so (helper-236).
    let e = failing(&["solve", "nothere.toml"]);
    assert!(
        e.contains("solve nothere.toml: no such model file, and no PATH to solve for"),
        "{e}"
    );
    // And PATH before MODEL (helper-40: "`models/msft-openai` is not a key").
    let e = failing(&["solve", "equity.stake", "models/msft-openai.toml"]);
    assert!(
        e.contains(
            "the model comes first; write `stakeshift solve models/msft-openai.toml equity.stake`"
        ),
        "{e}"
    );
    // solve on a year or a text value.
    let e = failing(&["solve", "trajectories[base].agi_year"]);
    assert!(e.contains("whole steps"), "{e}");
    let e = failing(&["solve", "profit_share.residual"]);
    assert!(e.contains("not a number that solve can vary"), "{e}");
    // A bad --set reaches the new commands too.
    let e = failing(&["tornado", "--set", "equity.stake=2"]);
    assert!(e.contains("--set equity.stake=2"), "{e}");
    // A derived key of a trajectory the model lacks: named as `--set` names it (it said
    // "not a number that solve can vary").
    let e = failing(&["solve", "scale.valuation[nope]"]);
    assert!(e.contains("no trajectory `nope`"), "{e}");
    // A derived key's number too large, or too fine, for an exact decimal is that, not "not
    // a number" (as 1e30 was said to be).
    let e = failing(&["compare", "--set", "scale.valuation=1e30"]);
    assert!(e.contains("1e30 is too large"), "{e}");
    let e = failing(&["compare", "--set", "equity.stake=1e400"]);
    assert!(
        e.contains("`1e400` is too large; numbers in a model must be at most 1e18"),
        "{e}"
    );
    let e = failing(&["compare", "--set", "shift.margin=1e-40"]);
    assert!(e.contains("beyond the 28th decimal place"), "{e}");
    // The same for a range's ends (helper-36: `-1e30`, `1e-30` were "not a number").
    let e = failing(&["sweep", "--vary", "discount_rate=-1e30..1e30:3"]);
    assert!(
        e.contains("`-1e30` is too large; numbers in a model must be at most 1e18"),
        "{e}"
    );
    let e = failing(&["sweep", "--vary", "discount_rate=0..1e400:3"]);
    assert!(e.contains("`1e400` is too large"), "{e}");
    let e = failing(&[
        "solve",
        "equity.stake",
        "--within",
        "0.00000000000000000000000000001..0.5",
    ]);
    assert!(e.contains("beyond the 28th decimal place"), "{e}");
    // 0e-50 is 0, exactly (it was "beyond the 28th decimal place").
    let out = stakeshift()
        .args(["sweep", "--vary", "equity.stake=0e-50..0.5:2", "-t", "base"])
        .args(["--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("\nbase,0.00000000,")
    );
    let e = failing(&["solve", "equity.stake", "--within", "1e-30..0.5"]);
    assert!(
        e.contains("`1e-30` has digits beyond the 28th decimal place"),
        "{e}"
    );
    let e = failing(&["tornado", "--vary", "equity.stake=nan..0.5"]);
    assert!(e.contains("`nan` is not a number"), "{e}");
    // --chart-trajectory shapes what --out writes: without it, said (helper-39: a
    // misspelt name passed in silence).
    let e = failing(&["tornado", "--chart-trajectory", "nope"]);
    assert!(e.contains("add --out DIR"), "{e}");
    // tornado, as sweep, takes each path once.
    let e = failing(&[
        "tornado",
        "--vary",
        "equity.stake=0.2..0.3",
        "--vary",
        "equity.stake=0.1..0.4",
    ]);
    assert!(e.contains("vary the same value (equity.stake)"), "{e}");
}

/// helper-131: a derived key spelt bare, quoted or in single quotes is one input, refused
/// twice by tornado and sweep as `equity.stake` twice is (it ran as two rows, or a grid
/// whose two axes were one value).
#[test]
fn regression_a_derived_key_spelt_two_ways_is_one_input() {
    let mini = root().join("docs/mini.toml");
    let mini = mini.to_str().unwrap();
    for (a, b) in [
        ("scale.valuation[only]", "scale.valuation[\"only\"]"),
        ("shift.margin['only']", "shift.margin[only]"),
    ] {
        for (command, range) in [("sweep", "=1..2:2"), ("tornado", "=1..2")] {
            let (a, b) = (format!("{a}{range}"), format!("{b}{range}"));
            let e = failing(&[command, mini, "--vary", &a, "--vary", &b]);
            assert!(e.contains("vary the same value"), "{command} {a} {b}: {e}");
        }
    }
    // The key on every trajectory and on one are still two inputs.
    stakeshift()
        .args(["tornado", mini])
        .args([
            "--vary",
            "scale.valuation=1..2",
            "--vary",
            "scale.valuation[only]=1..2",
        ])
        .assert()
        .success();
}

/// helper-136: with derived keys spelt one way, two spellings of a trajectory the model
/// lacks were told "vary the same value"; each is told the trajectory is not there, as
/// `--set` tells it. And tornado answers a `[simulation]` path before a base run that fails.
#[test]
fn regression_a_missing_trajectory_in_a_derived_key_is_named_before_duplicates() {
    let mini = root().join("docs/mini.toml");
    let mini = mini.to_str().unwrap();
    for (command, range) in [("sweep", "=1..2:2"), ("tornado", "=1..2")] {
        let (a, b) = (
            format!("scale.valuation[nope]{range}"),
            format!("scale.valuation[\"nope\"]{range}"),
        );
        let e = failing(&[command, mini, "--vary", &a, "--vary", &b]);
        assert!(
            e.contains("the model has no trajectory `nope`; did you mean `only`?"),
            "{command}: {e}"
        );
    }
    let e = failing(&[
        "tornado",
        mini,
        "--set",
        "equity.rounds=[{year=2026, raise=1000}]",
        "--vary",
        "simulation.seed=1..2",
    ]);
    assert!(e.contains("`[simulation]` sets how"), "{e}");
}

/// helper-131: `sweep --vary simulation.seed=...` ran a flat table of the exact run, which
/// never reads `[simulation]`, without a word: sweep and tornado refuse such a path as solve
/// does, and still name a key the table cannot have.
#[test]
fn regression_sweep_and_tornado_refuse_a_simulation_path() {
    for args in [
        ["sweep", "--vary", "simulation.seed=1..3:3"],
        ["tornado", "--vary", "simulation.revenue_vol=0.1..0.2"],
    ] {
        let e = failing(&args);
        assert!(
            e.contains("`[simulation]` sets how `simulate` draws")
                && e.contains(&format!("{} varies the exact run", args[0])),
            "{args:?}: {e}"
        );
    }
    // Also where the file has no `[simulation]`; a key it cannot have is named.
    let mini = root().join("docs/mini.toml");
    let mini = mini.to_str().unwrap();
    let e = failing(&["sweep", mini, "--vary", "simulation.paths=1..9:3"]);
    assert!(e.contains("`[simulation]` sets how"), "{e}");
    let e = failing(&["tornado", mini, "--vary", "simulation.bogus=1..2"]);
    assert!(e.contains("`simulation` has no key `bogus`"), "{e}");
}

/// The grid runs in parallel; its output does not depend on the number of threads.
#[test]
fn sweep_output_is_the_same_whatever_the_threads() {
    let run = |threads: &str| {
        let out = stakeshift()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "sweep",
                "--vary",
                "equity.stake=0.1..0.5:9",
                "--vary",
                "scale.valuation=0.5..1.5:5",
                "--format",
                "csv",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
    assert_eq!(one.lines().count(), 1 + 9 * 5 * 6);
    assert!(one.starts_with(
        "trajectory,equity.stake,scale.valuation,npv_profit_share,npv_equity,npv_advantage,winner\r\n"
    ));
}

#[test]
fn out_writes_the_csv_files() {
    let dir = std::env::temp_dir().join(format!("stakeshift-sens-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (cmd, file) in [
        (
            vec!["sweep", "--vary", "equity.stake=0.2..0.3:3"],
            "sweep.csv",
        ),
        (vec!["solve", "equity.stake"], "solve.csv"),
        (vec!["tornado"], "tornado.csv"),
    ] {
        stakeshift()
            .args(&cmd)
            .arg("--out")
            .arg(&dir)
            .assert()
            .success();
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(text.lines().count() > 1, "{file}");
    }
    let solve = std::fs::read_to_string(dir.join("solve.csv")).unwrap();
    assert!(
        solve.starts_with("trajectory,path,target,current_value,current_advantage,solution\r\n")
    );
    let tornado = std::fs::read_to_string(dir.join("tornado.csv")).unwrap();
    assert!(
        tornado.starts_with("trajectory,input,low,high,advantage_low,advantage_high,swing\r\n")
    );
}

/// Regression (found by a tester working from the SPEC alone): the grid's values are
/// checked in parallel, and the error named whichever invalid value a thread reached first
/// (1.1 or 1.5 of 0.9..1.9:6, by the run). It is now the first in grid order, every time,
/// on any number of threads.
#[test]
fn regression_sweep_names_the_first_invalid_grid_value_every_time() {
    for threads in ["1", "2", "4"] {
        for _ in 0..6 {
            let out = stakeshift()
                .env("RAYON_NUM_THREADS", threads)
                .args(["sweep", "--vary", "equity.stake=0.9..1.9:6"])
                .assert()
                .code(2)
                .get_output()
                .clone();
            let err = String::from_utf8(out.stderr).unwrap();
            assert!(err.contains("at equity.stake=1.1"), "{threads}: {err}");
        }
    }
}

/// Regression (found by a tester working from the SPEC alone): `--within` was still cut at
/// 1000 times the key's current value, the default search's cap (SPEC 11: the cap applies
/// to the default range only), so a root inside the range given was missed when the model's
/// own value was small. The roots below are the tester's, from its own implementation (exact
/// decimals, bisection): 27.17260138 and 3177.11563075.
#[test]
fn regression_solve_within_is_not_capped_at_1000_times_the_current_value() {
    let cases = [
        (
            "profit_share.tiers[1].until.microsoft",
            "0.02",
            "10..50",
            d("27.17260138"),
        ),
        (
            "equity.rounds[0].pre_money",
            "1",
            "1000..5000",
            d("3177.11563075"),
        ),
    ];
    for (path, small, within, root) in cases {
        let set = format!("{path}={small}");
        let out = stakeshift()
            .args(["solve", path, "--set", &set, "--within", within])
            .args(["-t", "base", "--format", "csv"])
            .assert()
            .success()
            .get_output()
            .clone();
        let text = String::from_utf8(out.stdout).unwrap();
        let row = text.lines().nth(1).unwrap();
        let found: Decimal = row.rsplit(',').next().unwrap().parse().unwrap_or_else(|e| {
            panic!("{path}: no root in `{row}`: {e}");
        });
        assert!(
            ((found - root) / root).abs() < d("0.00000001"),
            "{path}: {found} vs {root}"
        );
    }
}

/// A value at which a trajectory cannot run leaves its tornado cells empty (DECISIONS S7),
/// and stderr says which and how to see why, after the table (exit 0). Here a 700 bn round in
/// 2026 runs at `base`'s own valuation (852 bn) but not at 0.75 of it (639 bn).
#[test]
fn tornado_warns_of_the_cells_it_leaves_empty() {
    let out = stakeshift()
        .args(["tornado", "-t", "base", "--format", "csv"])
        .args(["--set", "equity.rounds=[{year=2026, raise=700.0}]"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let row = stdout
        .lines()
        .find(|l| l.starts_with("base,scale.valuation,"))
        .unwrap();
    assert!(
        row.starts_with("base,scale.valuation,0.75000000,1.25000000,,"),
        "{row}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "warning: tornado: trajectory `base` cannot run with scale.valuation=0.75"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("`--set 'scale.valuation=0.75'`"),
        "{stderr}"
    );
}

/// Regression (found in review): a `--within` range on a key without bounds (margin points,
/// `shift.margin`) as wide as the valid range (+-1e18) made the search's first step 2e15 and
/// its tolerance 200: roots were missed or wrong (`shift.margin` gave -5.12, where the
/// advantage is +13.6). The steps now start on the scale of the default range. So a wide
/// range finds the same roots as the default search where those are inside it, and every
/// root found gives the target (checked by `compare` at the printed root).
#[test]
fn regression_solve_within_a_huge_range_finds_the_same_roots() {
    let solutions = |extra: &[&str]| -> Vec<String> {
        let out = stakeshift()
            .args(["solve", "shift.margin", "--format", "csv"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.rsplit(',').next().unwrap().to_string())
            .collect()
    };
    let default = solutions(&[]);
    let huge = solutions(&["--within=-1000000000000000000..1000000000000000000"]);
    let wide = solutions(&["--within=-1000000..1000000"]);
    assert_eq!(default.len(), 6);
    assert!(
        default.iter().filter(|s| !s.is_empty()).count() >= 3,
        "{default:?}"
    );
    for (k, d) in default.iter().enumerate() {
        if !d.is_empty() {
            assert_eq!(&huge[k], d, "trajectory {k}");
            assert_eq!(&wide[k], d, "trajectory {k}");
        }
    }
    for s in huge.iter().filter(|s| !s.is_empty()) {
        let out = stakeshift()
            .args(["compare", "--format", "csv", "--set"])
            .arg(format!("shift.margin={s}"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        // Some trajectory has its tie there: |advantage| within the 8-place rounding's reach.
        let nearest = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(3).unwrap().parse::<f64>().unwrap().abs())
            .fold(f64::INFINITY, f64::min);
        assert!(nearest < 1e-4, "shift.margin={s}: {text}");
    }
    // A rate's default search stops at 10; a range given above it is searched (no error).
    stakeshift()
        .args(["solve", "discount_rate", "--within", "11..20", "-t", "base"])
        .assert()
        .success();
}

/// helper-213: inputs printed to SPEC 8's places alone lost digits (0.27 .. 0.27000001 in
/// five steps printed 0.27000000 twice and 0.27000001 three times); a spend per revenue
/// printed as an amount (1.400000); a share or an `until` of a party its tier does not
/// name printed as written (0.1, 10.5). Each kind's places at least, every digit a value
/// has beyond them.
#[test]
fn regression_inputs_print_every_digit_and_by_their_kind() {
    let run = |args: &[&str]| crate::common::succeeds(stakeshift().args(args)).0;
    let csv = run(&[
        "sweep",
        "--vary",
        "equity.stake=0.27..0.27000001:5",
        "-t",
        "base",
        "--format",
        "csv",
    ]);
    let values: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(
        values,
        [
            "0.27000000",
            "0.2700000025",
            "0.270000005",
            "0.2700000075",
            "0.27000001"
        ]
    );
    let csv = run(&[
        "solve",
        "cloud.spend.points[2][1]",
        "-t",
        "base",
        "--format",
        "csv",
    ]);
    assert!(
        csv.lines().nth(1).unwrap().contains(",1.40000000,"),
        "{csv}"
    );
    // A series' growth without a knob is a rate (helper-216: printed as written).
    let csv = run(&[
        "tornado",
        "--vary",
        "cloud.spend.growth=0.01..0.02",
        "-t",
        "base",
        "--format",
        "csv",
    ]);
    assert!(csv.contains(",0.01000000,0.02000000,"), "{csv}");
    let mini = root().join("docs/mini.toml");
    let mini = mini.to_str().unwrap();
    let csv = run(&[
        "tornado",
        mini,
        "--vary",
        "profit_share.tiers[1].until.others=10.5..20",
        "--vary",
        "profit_share.tiers[0].shares.others=0.1..0.2",
        "--vary",
        "equity.rounds[0].year=2025..2026",
        "--vary",
        "discount_rate=10000000000000000..10000000000000000.00000001",
        "--format",
        "csv",
    ]);
    for expected in [
        "profit_share.tiers[1].until.others,10.500000,20.000000,",
        "profit_share.tiers[0].shares.others,0.10000000,0.20000000,",
        "equity.rounds[0].year,2025,2026,",
        // helper-216: not rounded at 24 significant digits (both printed as 1e16).
        "discount_rate,10000000000000000.00000000,10000000000000000.00000001,",
    ] {
        assert!(csv.contains(expected), "{expected}: {csv}");
    }
}

/// helper-209: a tie at an end of solve's range was missed. By hand: no profit and no
/// revenue share, so the profit share is worth 0; the investor pays 5 into the 2029 round
/// (raise 10 at the 2029 valuation V, so post-money V) for 5 / V, plus its stake s diluted
/// by 10 / V: a terminal value in 2029 of (s (1 - 10 / V) + 5 / V) V = s (V - 10) + 5,
/// against the 5 paid, so the advantage is s (V - 10) discounted: exactly 0 at s = 0, the
/// lower end of the stake's range, and positive above it. Solve said "none" (28 digits
/// held the advantage at 0 as 1e-25); the engine calls that point a tie.
#[test]
fn regression_solve_finds_a_tie_at_an_end_of_its_range() {
    let dir = crate::common::ScratchDir::new("tie-at-end");
    let model = crate::common::write_file(
        &dir,
        "end.toml",
        r#"name = "Tie at the end"
unit = "bn"
start_year = 2020
end_year = 2029
valuation_year = 2020
discount_rate = 0.1
investor = { party = "inv" }
equity = { from_year = 2023, stake = 0.3, rounds = [{ year = 2029, raise = 10.0, participation = 5.0 }] }
[profit_share]
residual = "np"
tiers = [{ name = "a", shares = { inv = 0.5 } }]
[[trajectories]]
name = "base"
revenue = { points = [[2020, 10.0]] }
margin = { points = [[2020, 0.0]] }
valuation = { points = [[2020, 100.0], [2030, 1000.0]] }
"#,
    );
    for within in [
        &[][..],
        &["--within", "0..1"][..],
        &["--within", "0..0.5"][..],
    ] {
        let row = first_row(&["solve", "equity.stake"], &model, within);
        assert_eq!(
            row.split(',').nth(5),
            Some("0.00000000"),
            "{within:?}: {row}"
        );
    }
    // An end within the rounding's bound of the target that the advantage only passes on
    // its way elsewhere is no root (helper-211): with a stake of 0 the advantage of the
    // hand case below is -2e-9 / 1.1 at every valuation scale and -1.8e-9 k in the revenue
    // scale k, with no root in (0, 1000]; narrowing the range made its end one.
    let flat = root().join("tests/hand/irr_beside_a_huge_valuation.toml");
    for (path, within) in [
        ("scale.revenue", "0.01..1"),
        ("scale.revenue", "0.001..1"),
        // helper-216: the line's shift underflowed to 0 (1.8e-21 x 1e-12), and a tolerance
        // of the step took a line through 0, outside the range, for a tie at 1e-6.
        ("scale.revenue", "0.000000000001..1"),
        ("scale.revenue", "0.000001..1000000"),
        ("scale.valuation", "20..1000"),
        ("scale.valuation", "100..1000"),
    ] {
        let row = first_row(&["solve", path], &flat, &["--within", within]);
        assert!(row.ends_with(','), "{path} {within}: {row}");
    }
    // The sweep calls it a tie there too.
    let row = first_row(&["sweep"], &model, &["--vary", "equity.stake=0..0.1:2"]);
    assert!(row.ends_with(",tie"), "{row}");
}

/// helper-225: where the advantage only vanishes toward an end of the range, a decimal's
/// 28 places made it an exact 0 short of the end, which solve gave as a root. By hand: no
/// profit, no revenue share, so the profit share is worth 0; the stake 0.4 of a valuation
/// of 10 growing at g, held to end_year, discounted at r from 2020: an advantage of
/// 4 (1 + g)^n / (1 + r)^n, above 0 for every g > -1 and r > -1, so no root anywhere. Solve
/// gave a growth of -1 (which the model refuses) for n = 3, -0.999997813 for n = 5, and
/// discount rates of 4.3e9 and 775.8 inside wide `--within` ranges.
#[test]
fn regression_solve_takes_no_vanishing_advantage_for_a_root() {
    let dir = crate::common::ScratchDir::new("vanishing");
    let model = crate::common::write_file(
        &dir,
        "vanishing.toml",
        r#"name = "An advantage that vanishes only at the ends"
unit = "USD m"
start_year = 2020
end_year = 2023
valuation_year = 2020
discount_rate = 0.0
[investor]
party = "inv"
[profit_share]
residual = "np"
[[profit_share.tiers]]
name = "t0"
shares = { inv = 0.5 }
[equity]
from_year = 2020
stake = 0.4
[[trajectories]]
name = "base"
revenue = { points = [[2020, 0.0]] }
margin = { points = [[2020, 0.0]] }
valuation = { points = [[2020, 10.0]] }
"#,
    );
    let growth = "trajectories[base].valuation.growth";
    for (path, args) in [
        (growth, &["--set", "end_year=2021"][..]),
        (growth, &["--set", "end_year=2023"][..]),
        (growth, &["--set", "end_year=2025"][..]),
        (growth, &["--within", "-1..0"][..]),
        ("discount_rate", &["--within", "0..1000000000000000000"][..]),
        ("discount_rate", &["--within", "0..1000000000000"][..]),
        (
            "discount_rate",
            &["--set", "end_year=2030", "--within", "0..1000000"][..],
        ),
    ] {
        let row = first_row(&["solve", path], &model, args);
        assert!(row.ends_with(','), "{path} {args:?}: {row}");
    }
    // A root that is there is still found on such a side: the advantage less 1 ties at
    // (1 + g)^3 = 1/4, g = 4^(-1/3) - 1 = -0.370039475...
    let row = first_row(&["solve", growth], &model, &["--target", "1"]);
    assert!(row.ends_with(",-0.370039475"), "{row}");
    // helper-249: SPEC 11 caps only amounts' default range, so a rate is searched past 10:
    // 4 (1 + g)^3 = 4e9 at g = 999; 4 x 1.5^3 / (1 + r)^3 = 0.0004 at (1 + r)^3 = 33750,
    // r = 31.316520... And a range that wide keeps "just inside" its open end of -1 beside
    // it (a growth's range to 1e18 gave -1, which the model refuses, as a root).
    let row = first_row(&["solve", growth], &model, &["--target", "4000000000"]);
    assert!(row.ends_with(",999.00000000"), "{row}");
    let row = first_row(
        &["solve", "discount_rate"],
        &model,
        &["--set", &format!("{growth}=0.5"), "--target", "0.0004"],
    );
    assert!(row.ends_with(",31.31652035"), "{row}");
    let row = first_row(
        &["solve", growth],
        &model,
        &["--within", "-1..1000000000000000000"],
    );
    assert!(row.ends_with(','), "{row}");
    // helper-250: a small stake's advantage, 1e-4 / (1 + r)^20, vanishes at large rates
    // below a decimal's last digit, and 15.4 was given as a root; the target 1e-6 is met at
    // (1 + r)^20 = 100, r = 100^(1/20) - 1 = 0.258925412.
    // helper-251: with years before the valuation year, the model cannot run at a rate of
    // 1e18 (their factors (1 + r)^k pass what a decimal holds), and the root where 4 / (1 +
    // r)^15 comes out 0 was kept; 4 / (1 + r)^15 = 0.004 at r = 10^(3/15) - 1 = 0.584893192.
    for (sets, target, root) in [
        (
            ["--set", "equity.stake=0.00001", "--set", "end_year=2040"],
            "0.000001",
            ",0.258925412",
        ),
        (
            ["--set", "end_year=2040", "--set", "valuation_year=2025"],
            "0.004",
            ",0.584893192",
        ),
    ] {
        let row = first_row(&["solve", "discount_rate"], &model, &sets);
        assert!(row.ends_with(','), "{sets:?}: {row}");
        let row = first_row(
            &["solve", "discount_rate"],
            &model,
            &[&sets[..], &["--target", target]].concat(),
        );
        assert!(row.ends_with(root), "{sets:?}: {row}");
    }
    // helper-230: at other sizes (the rounding is relative: a valuation of 1e5 rounds
    // (1 + g)^n to 28 places, then multiplies) and over two years there is no root either...
    let valuation = "trajectories[base].valuation.points[0][1]";
    for (size, end_year) in [
        ("1000", "2023"),
        ("100000", "2025"),
        ("100000", "2030"),
        ("1", "2022"),
    ] {
        let args = [
            "--set",
            &format!("{valuation}={size}"),
            "--set",
            &format!("end_year={end_year}"),
        ];
        let row = first_row(&["solve", growth], &model, &args);
        assert!(row.ends_with(','), "{size} {end_year}: {row}");
    }
    // ...while a deal small in its unit keeps its roots: 0.4 x 1e-13 x stake / 0.4 ties at
    // a stake of 0, and 1e-15 x stake meets 2.5e-16 at 0.25.
    for (size, target, root) in [
        ("0.0000000000001", "0", ",0.00000000"),
        ("0.000000000000001", "2.5E-16", ",0.250000000"),
    ] {
        let args = ["--set", &format!("{valuation}={size}"), "--target", target];
        let row = first_row(&["solve", "equity.stake"], &model, &args);
        assert!(row.ends_with(root), "{size} {target}: {row}");
    }
    // helper-231: a crossing of tiny values is a root, however flat: the stake's 4 / (1 +
    // r)^3 against the profit share's 4e-14 / (1 + r), paid in 2021, cross at (1 + r)^2 =
    // 1e14, r = 9,999,999, where both are 4e-21 (it was moved to 10,005,005); and a target
    // of 4e-24 for 4 (1 + g)^3 is met at 1 + g = 1e-8 (it was lost).
    let crossing = crate::common::write_file(
        &dir,
        "crossing.toml",
        r#"name = "A crossing of tiny values"
unit = "USD m"
start_year = 2020
end_year = 2023
valuation_year = 2020
discount_rate = 0.0
trajectories_csv = "crossing.csv"
[investor]
party = "inv"
[profit_share]
residual = "np"
[[profit_share.tiers]]
name = "t0"
shares = { inv = 1.0 }
[equity]
from_year = 2020
stake = 0.4
"#,
    );
    crate::common::write_file(
        &dir,
        "crossing.csv",
        "trajectory,year,revenue,profit,valuation\nbase,2020,0,0,0\nbase,2021,0,4e-14,0\nbase,2022,0,0,0\nbase,2023,0,0,10\n",
    );
    let row = first_row(
        &["solve", "discount_rate"],
        &crossing,
        &["--within", "0..1000000000000000"],
    );
    let root: f64 = row.rsplit(',').next().unwrap().parse().unwrap();
    assert!((root / 9_999_999.0 - 1.0).abs() < 1e-7, "{row}");
    let row = first_row(
        &["solve", growth],
        &model,
        &["--target", "0.000000000000000000000004"],
    );
    // (To 1e-8 of the root, as SPEC 11 asks: 1 + g itself is held only so far.)
    let root: f64 = row.rsplit(',').next().unwrap().parse().unwrap();
    assert!((root + 0.99999999).abs() < 1e-8, "{row}");
}

/// The first row after the header of `COMMAND... MODEL ARGS... --format csv`, which must
/// succeed.
fn first_row(command: &[&str], model: &Path, args: &[&str]) -> String {
    let mut run = stakeshift();
    run.arg(command[0])
        .arg(model)
        .args(&command[1..])
        .args(args);
    let csv = crate::common::succeeds(run.args(["--format", "csv"])).0;
    csv.lines().nth(1).unwrap_or_default().to_string()
}

/// helper-36's find: a solution printed to 8 places only (0.00002341 for a root of
/// 2.3409829e-5; 0.00000000 for one of 7.8e-10) is not SPEC 11's "to 1e-8 relative".
/// By hand: 10 paid in 2024; in 2025 half the profit of 25, 12.5, discounted by 1/1.25 =
/// 0.8, gives the profit share an NPV of 0; a stake s of the 2025 valuation V gives -10 +
/// s V 0.8. They tie at s = 12.5 / V: at V = 3e8, s = 4.1666...e-8, which 8 places print as
/// 0.00000004 (4% off) and 9 significant digits as 0.0000000416666667.
#[test]
fn regression_solve_prints_a_small_root_to_9_significant_digits() {
    let dir = crate::common::ScratchDir::new("small-root");
    let model = crate::common::write_file(
        &dir,
        "small.toml",
        r#"name = "Small root"
unit = "USD m"
start_year = 2024
end_year = 2025
valuation_year = 2024
discount_rate = 0.25
investor = { party = "fund", contributions = [[2024, 10.0]] }
equity = { from_year = 2025, stake = 0.2 }
[profit_share]
residual = "founders"
tiers = [{ name = "Half", shares = { fund = 0.5 } }]
[[trajectories]]
name = "only"
revenue = { points = [[2024, 100.0]] }
margin = { points = [[2024, 0.0], [2025, 0.25]] }
valuation = { points = [[2024, 100.0], [2025, 300000000.0]] }
"#,
    );
    let run = |format: &str| -> String {
        let mut solve = stakeshift();
        solve.arg("solve").arg(&model);
        crate::common::succeeds(solve.args(["equity.stake", "--format", format])).0
    };
    let csv = run("csv");
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[5], "0.0000000416666667", "{csv}");
    // The current value, the model's own, to 8 places as a stake (SPEC 8).
    assert_eq!(row[3], "0.20000000", "{csv}");
    let exact = 12.5 / 3e8;
    let got: f64 = row[5].parse().unwrap();
    assert!((got - exact).abs() <= 1e-8 * exact, "{got} vs {exact}");
    let json = run("json");
    assert!(json.contains("\"solution\": 0.0000000416666667"), "{json}");
    assert!(run("table").contains("0.0000000416666667"));
}

/// helper-300's find: a round's default pre-money (the valuation that year less the raise)
/// was printed as `solve`'s current value with an interpolated valuation's digits
/// (`208.7558026894283`), where SPEC 8 prints an amount to 6 places and `tornado` printed
/// the same value so. By hand: the valuation grows geometrically from 300 (2020) to 400
/// (2030), so 2021's is 300 (4/3)^0.1 = 308.7558026894...; less the raise of 100, the
/// default pre-money is 208.755803 to 6 places. A pre-money the file gives is printed as
/// given.
#[test]
fn regression_solve_prints_a_default_pre_money_to_six_places() {
    let dir = crate::common::ScratchDir::new("default-pre-money");
    let text = r#"name = "Default pre-money"
unit = "USD m"
start_year = 2020
end_year = 2030
valuation_year = 2020
discount_rate = 0.05
investor = { party = "inv" }
profit_share = { residual = "co", tiers = [{ name = "all", shares = { inv = 0.6 } }] }
[equity]
from_year = 2021
stake = 0.05
dividend_payout = 1.0
rounds = [{ year = 2021, raise = 100.0, participation = 100.0 }]
[[trajectories]]
name = "base"
revenue = { points = [[2020, 100.0]] }
margin = { points = [[2020, 0.5]] }
valuation = { points = [[2020, 300.0], [2030, 400.0]] }
"#;
    let model = crate::common::write_file(&dir, "default.toml", text);
    let path = "equity.rounds[0].pre_money";
    let row = first_row(&["solve", path], &model, &[]);
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[3], "208.755803", "{row}");
    let json = {
        let mut solve = stakeshift();
        solve.arg("solve").arg(&model);
        crate::common::succeeds(solve.args([path, "--format", "json"])).0
    };
    assert!(json.contains("\"current_value\": 208.755803,"), "{json}");
    // Given in the file, its own digits, padded to an amount's places.
    let given = crate::common::write_file(
        &dir,
        "given.toml",
        &text.replace(
            "raise = 100.0,",
            "raise = 100.0, pre_money = 208.7558026894,",
        ),
    );
    let row = first_row(&["solve", path], &given, &[]);
    assert_eq!(row.split(',').nth(3), Some("208.7558026894"), "{row}");
    // helper-306: in a unit where it is 2.0875580268942...e-7 (the same model in units a
    // billion times larger), 6 places would print it as 0.000000: its own digits then.
    let tiny = crate::common::write_file(
        &dir,
        "tiny.toml",
        &text
            .replace("raise = 100.0", "raise = 0.0000001")
            .replace("participation = 100.0", "participation = 0.0000001")
            .replace(
                "[[2020, 300.0], [2030, 400.0]]",
                "[[2020, 0.0000003], [2030, 0.0000004]]",
            ),
    );
    let row = first_row(&["solve", path], &tiny, &[]);
    let current = row.split(',').nth(3).unwrap_or_default();
    assert!(current.starts_with("0.00000020875580268942"), "{row}");
}

/// helper-305's find: where rounding leaves the advantage unresolved near the target (NPVs
/// of -1e25, from a contribution of 1e18 at a discount rate of -0.9, beside an advantage of
/// -0.01 (1 + v) in `shift.margin` = v), `solve` narrowed the bracket from below past every
/// unresolved point and gave its upper edge, 518.99999999, where `compare --set` gives
/// -5.2; with `--within 400..600` it walked towards the band as towards a point the model
/// cannot run at, and found none. By hand: before 2030 both regimes are the one waterfall;
/// in 2030 the profit share pays half of a profit of 2e-12 (1 + v) at a discount factor of
/// 10^10, 0.01 (1 + v), and the stake (1e-17 bought for 1, worth 1) nets 0: the advantage
/// -0.01 (1 + v) meets -5 at v = 499, and -3 at 299.
#[test]
fn regression_solve_finds_a_root_inside_a_band_rounding_leaves_unresolved() {
    let dir = crate::common::ScratchDir::new("unresolved-band");
    let model = crate::common::write_file(
        &dir,
        "band.toml",
        r#"name = "Unresolved band"
unit = "u"
start_year = 2020
end_year = 2030
valuation_year = 2020
discount_rate = -0.9
investor = { party = "inv", contributions = [[2027, 1000000000000000000]] }
profit_share = { residual = "res", tiers = [{ name = "t", shares = { inv = 0.5 } }] }
[equity]
from_year = 2030
stake = 0
rounds = [{ year = 2030, raise = 1, participation = 1 }]
[[trajectories]]
name = "a"
revenue = { points = [[2020, 0], [2030, 0.000000000002]] }
margin = { points = [[2020, 1]] }
valuation = { points = [[2020, 100000000000000000]] }
"#,
    );
    for (target, within, root) in [
        ("-5", None, 499.0),
        ("-3", None, 299.0),
        ("-5", Some("400..600"), 499.0),
    ] {
        let mut args = vec!["--target", target];
        if let Some(within) = within {
            args.extend(["--within", within]);
        }
        let row = first_row(&["solve", "shift.margin"], &model, &args);
        let solution: f64 = row.rsplit(',').next().unwrap().parse().unwrap_or(f64::NAN);
        assert!(
            (solution - root).abs() <= 1e-8 * root,
            "target {target}, within {within:?}: {row}"
        );
    }
}

/// helper-307's find: a root near an open end of its range printed onto the end: a
/// discount rate of about -0.99999999999859 as -1.00000000, which `compare --set` refuses
/// (a rate must be above -1). It is given rounded toward the inside at the places printed,
/// -0.999999999, which reruns.
#[test]
fn regression_solve_never_prints_a_root_onto_an_open_end() {
    let model = root().join("tests/hand/agi_before_start.toml");
    for target in ["0", "-4.9"] {
        let row = first_row(
            &["solve", "discount_rate"],
            &model,
            &[
                "--set",
                "equity.stake=0.0000000000000000000000001",
                "--target",
                target,
            ],
        );
        let solution = row.rsplit(',').next().unwrap().to_string();
        let value = d(&solution);
        assert!(value > d("-1") && value < d("-0.99999999"), "{row}");
        crate::common::succeeds(stakeshift().arg("compare").arg(&model).args([
            "--set",
            "equity.stake=0.0000000000000000000000001",
            "--set",
            &format!("discount_rate={solution}"),
        ]));
    }
}

/// helper-40's find: tornado's default inputs left out the investor's `until` where the
/// party's name is not a bare key ("Big Corp"): its path did not parse unquoted. By hand
/// (one year, discount factor 1, 10 paid in by both regimes, profit 30): the investor gets
/// half the profit up to its `until`, so the profit share's NPV is until - 10 while the
/// stake's is 0.2 x 50 - 10 = 0; at until 7.5 and 12.5 the advantage is +2.5 and -2.5.
#[test]
fn regression_tornado_defaults_include_a_quoted_investors_until() {
    let dir = crate::common::ScratchDir::new("quoted-party");
    let model = crate::common::write_file(
        &dir,
        "big.toml",
        r#"name = "one year"
unit = "USD"
start_year = 2020
end_year = 2020
valuation_year = 2020
discount_rate = 0.10
investor = { party = "Big Corp", contributions = [[2020, 10.0]] }
equity = { from_year = 2020, stake = 0.2 }
[profit_share]
residual = "rest"
tiers = [{ name = "t1", shares = { "Big Corp" = 0.5 }, until = { "Big Corp" = 10.0 } }]
[[trajectories]]
name = "only"
revenue = { points = [[2020, 100.0]] }
margin = { points = [[2020, 0.3]] }
valuation = { points = [[2020, 50.0]] }
"#,
    );
    let (row, _) = tornado_row(&model, &[], "until");
    assert_eq!(
        row,
        r#"only,"profit_share.tiers[0].until.""Big Corp""",7.500000,12.500000,2.500000,-2.500000,5.000000"#
    );
    // A name with a `"`, written with TOML's escape (helper-115: it was left out, with a
    // warning that no PATH could quote it): the same row, and a PATH --vary reads back.
    let text = std::fs::read_to_string(&model).unwrap();
    std::fs::write(&model, text.replace("\"Big Corp\"", "'Big\"Corp'")).unwrap();
    let (row, err) = tornado_row(&model, &[], "until");
    assert!(err.is_empty(), "{err}");
    assert_eq!(
        row,
        r#"only,"profit_share.tiers[0].until.""Big\""Corp""",7.500000,12.500000,2.500000,-2.500000,5.000000"#
    );
    let vary = r#"profit_share.tiers[0].until."Big\"Corp"=7.5..12.5"#;
    let (again, _) = tornado_row(&model, &["--vary", vary], "until");
    assert_eq!(again, row);
}

/// helper-42's review: `solve equity.stake` was taken for a model without a PATH wherever a
/// file of that name was in the folder. A PATH that parses is a PATH.
#[test]
fn regression_solve_path_beside_a_file_of_that_name_is_a_path() {
    let dir = crate::common::ScratchDir::new("path-file");
    std::fs::write(dir.join("equity.stake"), "not a model").unwrap();
    stakeshift()
        .current_dir(&*dir)
        .args(["solve", "equity.stake", "-t", "base"])
        .assert()
        .success();
}

/// helper-47's find: compare's and simulate's CSVs neutralise a name that a spreadsheet
/// would read as a formula (`=1+2` is written `'=1+2`, docs/DECISIONS.md), but sweep.csv,
/// tornado.csv and solve.csv wrote it raw, so a join on trajectory between them failed.
#[test]
fn regression_sensitivity_csvs_neutralise_formula_names_as_compare_does() {
    let set = [
        "--set",
        "trajectories[bust].name=\"=1+2\"",
        "--set",
        "simulation.weights={ base = 1 }",
        "-t",
        "=1+2",
        "--format",
        "csv",
    ];
    let first_cell = |args: &[&str]| -> String {
        let (text, _) = crate::common::succeeds(stakeshift().args(args).args(set));
        let row = text.lines().nth(1).unwrap_or_default().to_string();
        row.split(',').next().unwrap_or_default().to_string()
    };
    for args in [
        &["compare"][..],
        &["sweep", "--vary", "equity.stake=0.2..0.3:2"][..],
        &["tornado", "--vary", "equity.stake=0.2..0.3"][..],
        &["solve", "equity.stake"][..],
    ] {
        assert_eq!(first_cell(args), "'=1+2", "{args:?}");
    }
}

/// Regression (helper-50's review): `solve equity.rounds[0].raise` searched every raise above
/// 0 and reported a root below the round's participation, a raise the model refuses
/// (`--set` to it is an error). By hand: 10 paid in 2024; in 2025 a round of R at a
/// pre-money of 100 in which the fund puts in 2, so its stake becomes
/// (0.2 x 100 + 2) / (100 + R) = 22 / (100 + R) of a company worth 125; the profit share's
/// NPV is -10 + 12.5 x 0.8 = 0, so the advantage is 0.8 (2750 / (100 + R) - 2) - 10, and
/// target T is met at R = 2750 / ((T + 10) / 0.8 + 2) - 100: for T = 10.2 at R = 0.917
/// (below the participation: no valid root), for T = 5 at R = 32.530120...
#[test]
fn regression_solve_never_reports_a_raise_below_the_participation() {
    let dir = crate::common::ScratchDir::new("raise-root");
    let model = crate::common::write_file(
        &dir,
        "raise.toml",
        r#"name = "Raise"
unit = "USD m"
start_year = 2024
end_year = 2025
valuation_year = 2024
discount_rate = 0.25
investor = { party = "fund", contributions = [[2024, 10.0]] }
equity = { from_year = 2025, stake = 0.2, rounds = [{ year = 2025, raise = 50.0, pre_money = 100.0, participation = 2.0 }] }
[profit_share]
residual = "founders"
tiers = [{ name = "Half", shares = { fund = 0.5 } }]
[[trajectories]]
name = "only"
revenue = { points = [[2024, 100.0]] }
margin = { points = [[2024, 0.0], [2025, 0.25]] }
valuation = { points = [[2024, 100.0], [2025, 125.0]] }
"#,
    );
    let solution =
        |target: &str| first_solution(&model, &["equity.rounds[0].raise", "--target", target]);
    assert_eq!(
        solution("10.2"),
        "",
        "the only root, 0.917, is below the participation"
    );
    let exact = 2750.0 / (15.0 / 0.8 + 2.0) - 100.0;
    let got: f64 = solution("5").parse().unwrap();
    assert!((got - exact).abs() <= 1e-8 * exact, "{got} vs {exact}");
}

/// Found by helper-56 reviewing the session's change: once solve stopped reading the model
/// again for every root, it reported roots the model refuses for keys whose search ran past
/// the largest number a model holds (1e18): an amount's default range (1000 times its value)
/// and a derived scale whose products pass it. Neither has a valid root here: a pre-money of
/// 6.2e18, and points of 2,017 x 1e15.
#[test]
fn regression_solve_never_reports_a_root_beyond_what_a_model_holds() {
    let mini = crate::common::repo_path("docs/mini.toml");
    let solution = |args: &[&str]| first_solution(&mini, args);
    assert_eq!(
        solution(&[
            "equity.rounds[0].pre_money",
            "--set",
            "equity.rounds[0].raise=1e16",
            "--set",
            "equity.rounds[0].pre_money=1e16",
            "--target",
            "16.2",
        ]),
        ""
    );
    assert_eq!(
        solution(&[
            "scale.revenue",
            "--set",
            "trajectories[only].revenue.points=[[2024,4e14],[2025,8e14],[2026,1e15]]",
            "--target",
            "5e16",
            "--within",
            "1..10000",
        ]),
        ""
    );
}

/// helper-264: a file whose only fault is the value a sweep or tornado replaces was refused
/// without a word of the way round it, though every value varied is valid. The error says
/// how to run anyway, and that way runs; an error about another key gets no such advice.
#[test]
fn regression_a_fault_in_the_varied_key_says_how_to_vary_it_anyway() {
    let dir = crate::common::ScratchDir::new("varied-fault");
    let text = std::fs::read_to_string(crate::common::repo_path("docs/mini.toml")).unwrap();
    let bad = text.replacen("stake = 0.20", "stake = 1.5", 1);
    assert_ne!(bad, text);
    let model = crate::common::write_file(dir.path(), "bad.toml", &bad);
    for (command, vary) in [
        ("sweep", "equity.stake=0.1..0.2:2"),
        ("tornado", "equity.stake=0.1..0.2"),
    ] {
        let err = crate::common::fails_with_2(
            stakeshift().arg(command).arg(&model).args(["--vary", vary]),
        );
        assert!(
            err.contains("equity.stake: 1.5 is out of range")
                && err.contains(&format!(
                    "({command} loads the model with its --sets before varying equity.stake: with `--set equity.stake=0.1`, the first value varied, given last, it loads)"
                )),
            "{err}"
        );
        crate::common::succeeds(stakeshift().arg(command).arg(&model).args([
            "--set",
            "equity.stake=0.1",
            "--vary",
            vary,
        ]));
        // Varying another key: the fault is the file's, as before.
        let err = crate::common::fails_with_2(
            stakeshift()
                .arg(command)
                .arg(&model)
                .args(["--vary", &vary.replace("equity.stake", "discount_rate")]),
        );
        assert!(
            err.contains("out of range") && !err.contains("loads the model"),
            "{err}"
        );
    }
    // A path written by name where the error names it by place (helper-267: no word); no
    // value offered where the run would refuse one it gives (helper-267, -268: `raise=50`
    // offered for a sweep from 0, which then stopped at 0).
    let bad = text.replacen("raise = 20.0", "raise = -5.0", 1);
    assert_ne!(bad, text);
    let model = crate::common::write_file(dir.path(), "bad_raise.toml", &bad);
    let err = crate::common::fails_with_2(
        stakeshift()
            .arg("sweep")
            .arg(&model)
            .args(["--vary", "equity.rounds[0].raise=0..100:3"]),
    );
    assert!(
        err.contains("must be greater than 0") && !err.contains("loads the model"),
        "{err}"
    );
    for (command, vary, set) in [
        (
            "sweep",
            "equity.rounds[0].raise=10..100:3",
            "'equity.rounds[0].raise=10'",
        ),
        (
            "tornado",
            "equity.rounds[0].raise=10..100",
            "'equity.rounds[0].raise=10'",
        ),
    ] {
        let err = crate::common::fails_with_2(
            stakeshift().arg(command).arg(&model).args(["--vary", vary]),
        );
        assert!(
            err.contains(&format!(
                "with `--set {set}`, the first value varied, given last, it loads)"
            )),
            "{err}"
        );
        crate::common::succeeds(stakeshift().arg(command).arg(&model).args([
            "--set",
            &set.replace('\'', ""),
            "--vary",
            vary,
        ]));
    }
    // A path with a quoted key is the same path (helper-269: `"equity".stake` got no word).
    let err = crate::common::fails_with_2(
        stakeshift()
            .arg("sweep")
            .arg(dir.path().join("bad.toml"))
            .args(["--vary", "\"equity\".stake=0.1..0.2:2"]),
    );
    assert!(
        err.contains(
            "with `--set '\"equity\".stake=0.1'`, the first value varied, given last, it loads)"
        ),
        "{err}"
    );
    // A tornado whose high the model refuses: no value offered.
    let err = crate::common::fails_with_2(
        stakeshift()
            .arg("tornado")
            .arg(dir.path().join("bad.toml"))
            .args(["--vary", "equity.stake=0.5..1.2"]),
    );
    assert!(
        err.contains("equity.stake: 1.5 is out of range") && !err.contains("loads the model"),
        "{err}"
    );
    let growth = text.replacen(
        "valuation = { points = [[2024, 50.0], [2026, 200.0]] }",
        "valuation = { points = [[2024, 50.0], [2026, 200.0]], growth = -2.0 }",
        1,
    );
    assert_ne!(growth, text);
    let model = crate::common::write_file(dir.path(), "bad_growth.toml", &growth);
    let err = crate::common::fails_with_2(
        stakeshift()
            .arg("tornado")
            .arg(&model)
            .args(["--vary", "trajectories[only].valuation.growth=0..0.1"]),
    );
    assert!(
        err.contains("trajectories[0].valuation.growth: -2.0 must be greater than -1")
            && err.contains(
                "with `--set 'trajectories[only].valuation.growth=0'`, the first value varied, given last, it loads)"
            ),
        "{err}"
    );
}

/// helper-264: `solve shift.margin` searched to 1e18 and reported roots that `--set` and
/// `--vary` refuse (a derived key is at most 1e9 in size): 2.3e9 here, where a stake's
/// dividends of 1e-9 of the profit move the advantage by 1.6e-8 a unit of margin. It keeps
/// to 1e9: none there, and a root inside it that `compare --set` takes and ties at.
#[test]
fn regression_solve_keeps_a_shift_of_margins_within_what_set_takes() {
    let mini = crate::common::repo_path("docs/mini.toml");
    let tiny_payout = ["--set", "equity.dividend_payout=0.000000001"];
    let solution = |target: &str| {
        let mut args = vec!["shift.margin", "--target", target];
        args.extend(tiny_payout);
        first_solution(&mini, &args)
    };
    assert_eq!(solution("100"), "");
    let root = solution("50");
    let value: f64 = root.parse().unwrap();
    assert!((1e8..=1e9).contains(&value), "{root}");
    let mut compare = stakeshift();
    compare.arg("compare").arg(&mini).args(tiny_payout).args([
        "--set",
        &format!("shift.margin={root}"),
        "--format",
        "csv",
    ]);
    let csv = crate::common::succeeds(&mut compare).0;
    let table = crate::common::parse_csv(csv.as_bytes()).unwrap();
    let advantage: f64 = table.rows[0][table.column("npv_advantage").unwrap()]
        .parse()
        .unwrap();
    assert!((advantage - 50.0).abs() < 1e-5, "{advantage}");
}

/// Regression (black-box audit): a root between the search's last valid point and the end
/// of the values the model allows was missed. On tests/sensitivity/domain_end.toml the
/// second round's raise is valid only below 300 (its default pre-money, valuation - raise,
/// must stay above 0); the walk went from 240 to 480, found the model invalid there and
/// gave up, though the advantage changes sign at 262.98951049 (worked out independently
/// from the SPEC: +3.26 at 240, -5.11 at 299). The same downward: the last valuation point
/// solved for an advantage of -4 (valid above 30, root 36.25855502). The walk now halves
/// its way towards the point where the model stopped being valid.
#[test]
fn regression_solve_finds_a_root_near_the_end_of_the_valid_values() {
    let model = root().join("tests/sensitivity/domain_end.toml");
    let solve = |args: &[&str]| -> String {
        let out = stakeshift()
            .arg("solve")
            .arg(&model)
            .args(args)
            .args(["-t", "base", "--format", "csv"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        let row = text.lines().nth(1).unwrap().to_string();
        row.rsplit(',').next().unwrap().to_string()
    };
    // An amount: 6 places, 9 significant digits (SPEC 8, SPEC 11). The trajectory `bear`,
    // worth 100 in 2027, bounds the raise below 100 for the model as a whole (helper-249:
    // a root at which another trajectory cannot run is none), so it is worth 400 here, and
    // base's own end of 300 is the one the walk halves towards.
    let bear_above = "--set=trajectories[bear].valuation.points[3][1]=400";
    assert_eq!(solve(&["equity.rounds[1].raise", bear_above]), "262.989510");
    assert_eq!(solve(&["equity.rounds[1].raise"]), "");
    assert_eq!(
        solve(&["trajectories[base].valuation.points[3][1]", "--target=-4.0"]),
        "36.2585550"
    );
    // Where the model stops being valid because an amount grows too large to hold (a
    // discount rate near -1), the last digits are rounding, and a review found the walk reporting -0.999999940 for case_027's
    // `bull`, where the advantage is about -5e-8 and only rounds to 0. No root there.
    // Nor with another range, whose steps land elsewhere (a review found -0.999999936 with
    // `--within -1..0.1`: the NPVs there are -8.5e21, and an advantage of about -6e-8 came
    // out 0, which is rounding, not a root).
    for within in [None, Some("-1..0.1"), Some("-1..0.11"), Some("-1..0.5")] {
        let mut args = vec!["discount_rate", "-t", "bull", "--format", "csv"];
        args.extend(within.iter().flat_map(|w| ["--within", *w]));
        let out = stakeshift()
            .arg("solve")
            .arg(root().join("tests/reference/cases/case_027/model.toml"))
            .args(&args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        let line = text.lines().nth(1).unwrap();
        assert!(line.ends_with(','), "{within:?}: {text}");
    }
}

/// Regressions (a review, 2026-12-05), on tests/hand/breakeven_amounts_of_1e18.toml, whose
/// advantage is 4e17 - 6 x revenue (worked there: NPV(profit share) 30 r, NPV(equity)
/// 24 r + 4e17): the advantage 4e17 is reached at a revenue of 0.
/// - The search's measure of distance, the ratio of the larger value to the smaller,
///   divided by a ratio that rounded to 0 for a value below 1e-28 of the start: "internal
///   error ... Division by zero".
/// - A walk down to a closed lower end (an amount of 0 or more) stopped 1e-12 above it, so a
///   root at 0 itself was not found (here with the revenue at 100: advantage 4e17 - 600).
#[test]
fn regression_solve_reaches_an_amount_of_0_without_dividing_by_0() {
    let path = "trajectories[0].revenue.points[0][1]";
    // The solution `solve` prints for `path` on `model`, which must run (exit 0).
    let solution = |model: &Path, target: &str| -> String {
        let target = format!("--target={target}");
        solution_of(model.to_str().unwrap(), path, &[&target])
    };
    let model = root().join("tests/hand/breakeven_amounts_of_1e18.toml");
    // 0, or a revenue so small that the advantage is 4e17 to every digit a decimal holds.
    let found = solution(&model, "400000000000000000");
    assert!(d(&found) < d("0.000000001"), "{found}");

    let dir = std::env::temp_dir().join(format!("stakeshift-zero-end-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let small = dir.join("model.toml");
    let text = std::fs::read_to_string(&model).unwrap();
    std::fs::write(&small, text.replace("1000000000000000000", "100")).unwrap();
    assert_eq!(solution(&small, "40"), "0.000000");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Regression (black-box audit): `sweep --format json` built the whole document before
/// writing it, 8.5 GB for the largest grid a sweep takes; its rows are now written one at a
/// time. The bytes must be those of the whole document pretty-printed, which serde_json
/// gives back from the output read in (keys in order, numbers as printed).
#[test]
fn regression_sweep_json_written_row_by_row_is_the_whole_document() {
    for args in [
        vec!["--vary", "equity.stake=0.1..0.4:4"],
        vec![
            "--vary",
            "equity.stake=0.1..0.4:3",
            "--vary",
            "discount_rate=0.05..0.1:3",
            "-t",
            "base",
            "-t",
            "bear",
        ],
    ] {
        let out = stakeshift()
            .arg("sweep")
            .args(&args)
            .args(["--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(doc["rows"].as_array().is_some_and(|r| !r.is_empty()));
        let mut whole = serde_json::to_vec_pretty(&doc).unwrap();
        whole.push(b'\n');
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(whole).unwrap()
        );
    }
}

/// Regression (a property test, 2026-12-05): `solve discount_rate --target=-50` walked down
/// towards -1, where both NPVs approach a decimal's largest, and the size of the two (for
/// what is rounding in their difference) overflowed: "internal error ... Addition
/// overflowed". The size saturates; the answers are those of before that size existed.
#[test]
fn regression_solve_towards_a_rate_of_minus_one_does_not_overflow() {
    let out = stakeshift()
        .args(["solve", "discount_rate", "--target=-50", "--format", "csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let text = String::from_utf8(out.stdout).unwrap();
    // (Each checked against compare --set by any_solution_gives_its_target's helper.)
    assert!(
        text.lines()
            .any(|l| l == "base,discount_rate,-50.000000,0.09000000,-29.260083,0.101553032"),
        "{text}"
    );
    assert_solution_gives_target(None, "discount_rate", Decimal::from(-50));
}

/// Regression (a review, 2026-12-05): `cap_growth = -1` is valid (caps of 0 after the first
/// year of growth), but `solve` searched it in (-1, 10], so from -1 itself it started a
/// step above and, on the flat stretch there, answered -0.989 for a target the model's own
/// value gives. Worked by hand in tests/hand/cap_growth_minus_one.expect.toml: advantage
/// 10 at -1.
#[test]
fn regression_solve_searches_cap_growth_from_minus_one_itself() {
    let out = stakeshift()
        .arg("solve")
        .arg(root().join("tests/hand/cap_growth_minus_one.toml"))
        .args(["profit_share.tiers[0].cap_growth", "--target", "10"])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.lines().any(|l| l.ends_with(",10.000000,-1.00000000")),
        "{text}"
    );
}

/// helper-76: of two roots on either side of the current value, solve gave the one a
/// smaller ratio away (1.98 of the scale, 1980 of the valuation), not the nearer (0.45,
/// 45). Roots worked by hand in `tests/hand/breakeven_nearest_root_below.expect.toml`:
/// k^2 - 2.43 k + 0.891 = 0 at k = 0.45 and 1.98 (of a valuation of 100).
#[test]
fn regression_solve_gives_the_nearest_root_not_the_nearest_ratio() {
    let model = crate::common::repo_path("tests/hand/breakeven_nearest_root_below.toml");
    let solution = |args: &[&str]| -> f64 { first_solution(&model, args).parse().unwrap() };
    let near = |got: f64, want: f64| assert!((got - want).abs() <= 1e-8 * want, "{got} vs {want}");
    near(solution(&["scale.valuation"]), 0.45);
    near(solution(&["trajectories[a].valuation.points[0][1]"]), 45.0);
    // Above the lower root the upper is nearer: from a valuation of 160 (k = 1.6), 1.98
    // is 0.38 away and 0.45 is 1.15 away.
    near(
        solution(&[
            "trajectories[a].valuation.points[0][1]",
            "--set",
            "trajectories[a].valuation.points[0][1]=160",
        ]),
        198.0,
    );
    // Either side of their midpoint, 121.5: from 122 the upper (76 away against 77), from
    // 121 the lower.
    for (from, want) in [("122", 198.0), ("121", 45.0)] {
        let set = format!("trajectories[a].valuation.points[0][1]={from}");
        near(
            solution(&["trajectories[a].valuation.points[0][1]", "--set", &set]),
            want,
        );
    }
}

/// helper-76: `sweep -t hi` ran a raise of 50, which leaves trajectory `lo` (valuation 40,
/// no pre_money) a pre-money of -10, a model SPEC 6 makes invalid and `compare -t hi --set`
/// refuses; SPEC 11: "A grid value that makes the model invalid is an error before anything
/// runs". Now exit 2 naming the grid point and the trajectory, and nothing written.
#[test]
fn regression_sweep_of_one_trajectory_refuses_a_value_another_cannot_run() {
    let dir = tempfile::tempdir().unwrap();
    let model = crate::common::write_file(
        dir.path(),
        "two.toml",
        r#"name = "two valuations"
unit = "m"
start_year = 2020
end_year = 2022
valuation_year = 2020
discount_rate = 0.1
[investor]
party = "inv"
[profit_share]
residual = "co"
[[profit_share.tiers]]
name = "all"
shares = { inv = 0.25 }
[equity]
from_year = 2020
stake = 0.1
[[equity.rounds]]
year = 2021
raise = 10.0
[[trajectories]]
name = "hi"
revenue = { points = [[2020, 100.0]] }
margin = { points = [[2020, 0.1]] }
valuation = { points = [[2020, 100.0]] }
[[trajectories]]
name = "lo"
revenue = { points = [[2020, 100.0]] }
margin = { points = [[2020, 0.1]] }
valuation = { points = [[2020, 40.0]] }
"#,
    );
    let out_dir = dir.path().join("out");
    let out = stakeshift()
        .arg("sweep")
        .arg(&model)
        .args([
            "-t",
            "hi",
            "--vary",
            "equity.rounds[0].raise=10..50:5",
            "--out",
        ])
        .arg(&out_dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // 40 leaves a pre-money of 0 in `lo`: the first grid value it cannot run.
    assert!(
        stderr.contains("at the grid point equity.rounds[0].raise=40: in trajectory `lo`"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty() && !out_dir.exists());
    // Up to 30 both run, and `hi` alone is shown.
    let csv = crate::common::succeeds(stakeshift().arg("sweep").arg(&model).args([
        "-t",
        "hi",
        "--vary",
        "equity.rounds[0].raise=10..30:3",
        "--format",
        "csv",
    ]))
    .0;
    let table = crate::common::parse_csv(csv.as_bytes()).unwrap();
    assert_eq!(table.rows.len(), 3);
    assert!(table.rows.iter().all(|r| r[0] == "hi"));
}

/// helper-76: a year written with a point in a range (`2030.0..2032.0`) was the year 2030
/// to `sweep` but "not a whole year" to `tornado`; both now write the value without
/// trailing zeros.
#[test]
fn regression_tornado_takes_a_year_written_with_a_point_as_sweep_does() {
    for (command, range) in [("tornado", "2030.0..2032.0"), ("sweep", "2030.0..2032.0:3")] {
        let vary = format!("trajectories[base].agi_year={range}");
        let csv = crate::common::succeeds(
            stakeshift().args([command, "-t", "base", "--vary", &vary, "--format", "csv"]),
        )
        .0;
        assert!(
            csv.lines().nth(1).unwrap().contains(",2030,"),
            "{command}: {csv}"
        );
    }
}

/// The first row's `solution` cell of `stakeshift solve MODEL ARGS --format csv` (which
/// must succeed).
fn first_solution(model: &Path, args: &[&str]) -> String {
    let mut solve = stakeshift();
    solve
        .arg("solve")
        .arg(model)
        .args(args)
        .args(["--format", "csv"]);
    let csv = crate::common::succeeds(&mut solve).0;
    let table = crate::common::parse_csv(csv.as_bytes()).unwrap();
    table.rows[0][table.column("solution").unwrap()].clone()
}

/// docs/mini.toml with `extra` inserted before its trajectory.
fn mini_with(extra: &str) -> String {
    let text = std::fs::read_to_string(crate::common::repo_path("docs/mini.toml")).unwrap();
    let at = text.find("[[trajectories]]").unwrap();
    format!("{}{extra}\n{}", &text[..at], &text[at..])
}

/// helper-78: nothing bounded the time of `sweep` and `tornado` but the number of runs:
/// a model of 10,000 tiers swept in 10,001 steps would have run for hours, and a tornado
/// over a 5 MB model of 100,000 rounds (two inputs a round, each value read through the
/// whole document) for days. Now refused before anything runs, naming the work and the fix;
/// the same commands at a size that takes seconds still run.
#[test]
fn regression_sweep_and_tornado_refuse_work_of_hours_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let tiers: String = (0..6000)
        .map(|i| {
            format!(
                "[[profit_share.tiers]]\nname = \"x{i}\"\nshares = {{ fund = 0.1 }}\nuntil = {{ fund = {} }}\n",
                100 + i
            )
        })
        .collect();
    let many_tiers = crate::common::write_file(dir.path(), "tiers.toml", &mini_with(&tiers));
    let rounds: String = (0..20_000)
        .map(|_| "[[equity.rounds]]\nyear = 2026\nraise = 1.0\npre_money = 100.0\n".to_string())
        .collect();
    let many_rounds = crate::common::write_file(dir.path(), "rounds.toml", &mini_with(&rounds));
    for (args, fewer) in [
        (
            vec!["sweep", "--vary", "equity.stake=0..1:10001"],
            "use fewer steps",
        ),
        (
            vec!["tornado"],
            "name fewer inputs with --vary, or fewer trajectories with --trajectory",
        ),
    ] {
        let model = if args[0] == "sweep" {
            &many_tiers
        } else {
            &many_rounds
        };
        let started = std::time::Instant::now();
        let out = stakeshift()
            .arg(args[0])
            .arg(model)
            .args(&args[1..])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("units in all); at most 2000000000 are allowed")
                && stderr.contains(fewer),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
        // Refused up front: reading the model is all it did (a generous bound).
        assert!(started.elapsed().as_secs() < 30, "{args:?}");
    }
    // Three steps of the same sweep run.
    crate::common::succeeds(stakeshift().arg("sweep").arg(&many_tiers).args([
        "--vary",
        "equity.stake=0..1:3",
        "--format",
        "csv",
    ]));
    // With -t, the trajectories not chosen run too, for their errors: the advice says so
    // (helper-160: "2295427 runs ... use fewer steps" for a sweep of one trajectory).
    let text = std::fs::read_to_string(&many_tiers).unwrap();
    let at = text.find("[[trajectories]]").unwrap();
    let others = text[at..].replace("name = \"only\"", "name = \"other\"");
    let three = crate::common::write_file(
        dir.path(),
        "three.toml",
        &format!("{text}\n{others}\n{}", others.replace("other", "third")),
    );
    let out = stakeshift()
        .arg("sweep")
        .arg(&three)
        .args(["-t", "only", "--vary", "equity.stake=0..1:5001"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("use fewer steps (each point also runs the 2 trajectories not chosen with --trajectory, for their errors"),
        "{stderr}"
    );
}

/// helper-82, helper-84: `solve` had no bound on its time (hours on models of thousands of
/// trajectories or of thousands of capped parties), and a run's work counted each tier's
/// parties once a year where the waterfall pays every party in each of its slices. A tier
/// of 3,000 capped parties over 3 years: (3,000 caps + 3 years) x 3,001 parties = 9.0e6
/// units a run, 1.35e9 for a root search's 150; on ten trajectories 1.35e10, refused before
/// it starts, while one of them (`-t`) is searched. The limit is checked after the path and
/// the range are (helper-84: it hid their errors).
#[test]
fn regression_solve_refuses_a_search_of_hours_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let shares: Vec<String> = (0..3000).map(|i| format!("p{i} = 0.0001")).collect();
    let until: Vec<String> = (0..3000).map(|i| format!("p{i} = 0.5")).collect();
    let tier = format!(
        "[[profit_share.tiers]]\nname = \"wide\"\nshares = {{ {} }}\nuntil = {{ {} }}\n",
        shares.join(", "),
        until.join(", ")
    );
    let mut text = mini_with(&tier);
    let at = text.find("[[trajectories]]").unwrap();
    let one = text[at..].to_string();
    for i in 1..10 {
        text.push_str(&one.replace("name = \"only\"", &format!("name = \"only{i}\"")));
    }
    let model = crate::common::write_file(dir.path(), "wide.toml", &text);
    let solve = |args: &[&str]| {
        stakeshift()
            .arg("solve")
            .arg(&model)
            .args(args)
            .output()
            .unwrap()
    };
    let out = solve(&["equity.stake"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("solving on 10 trajectories would take 1500 runs")
            && stderr.contains("choose fewer trajectories with --trajectory"),
        "{stderr}"
    );
    // A path that is no key is told so, not the work.
    let out = solve(&["equity.nonsense"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("units in all"), "{stderr}");
    // One trajectory is searched.
    let out = solve(&["equity.stake", "-t", "only", "--format", "csv"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// helper-91: the noise test of `solve` was sized by the years the deals' flows differ in,
/// and a tiny stake's own rounding (held to its 28th decimal place, times a valuation of
/// 1e17 and a discount factor of 1e10) made "roots" of a participation and a scale where
/// the advantage is the same at every value (worked by hand in
/// tests/hand/breakeven_with_a_tiny_stake_at_a_large_discount_factor.expect.toml); and
/// helper-92: at a discount factor of 1e14 the size of that rounding passed what a decimal
/// holds, and saturated it allowed too little (tests/sensitivity/tiny_stake_at_a_discount_
/// factor_of_1e14.toml: years 2020-2027, rate -0.99, DF 1e14 in 2027; the 2027 round's
/// stake 1/(1e17 k) times the valuation 1e17 k is 1, netting the participation of 1 at
/// every k; the profit share's receipts, about 100, move with no valuation: no root, and
/// compare's break-even is empty too).
#[test]
fn regression_solve_finds_no_root_in_a_tiny_stakes_rounding() {
    for (model, path) in [
        "tests/hand/breakeven_with_a_tiny_stake_at_a_large_discount_factor.toml",
        "tests/sensitivity/tiny_stake_at_a_discount_factor_of_1e14.toml",
    ]
    .into_iter()
    .flat_map(|m| {
        [
            (m, "equity.rounds[0].participation"),
            (m, "scale.valuation"),
        ]
    }) {
        let out = stakeshift()
            .args(["solve", model, path, "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{path}");
        let text = String::from_utf8(out.stdout).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(row.ends_with(','), "{path}: a solution in {row}");
        let out = stakeshift()
            .args(["compare", model, "--format", "csv"])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let breakeven = text.lines().nth(1).unwrap().split(',').nth(5).unwrap();
        assert_eq!(breakeven, "", "{model}");
    }
}

/// Regression (helper-94, a tester working from the SPEC with an exact implementation of
/// its own): docs/mini.toml with every amount x 1e-8 has an advantage of 1.45e-7 at its
/// current values, which prints as 0, and `solve` gave the current value as the root (and
/// `compare` a break-even scale of 1). A restated unit moves no root: the roots are the
/// unscaled model's, which the tester's implementation found too (stake 0.109669237,
/// scale 0.562709457, rate 1.42034068).
#[test]
fn regression_solve_does_not_take_an_advantage_that_prints_as_0_for_a_root() {
    let model = "tests/sensitivity/mini_in_a_unit_1e8_times_larger.toml";
    for (path, root) in [
        ("equity.stake", "0.109669237"),
        ("scale.valuation", "0.562709457"),
        ("discount_rate", "1.42034068"),
    ] {
        for file in [model, "docs/mini.toml"] {
            assert_eq!(solution_of(file, path, &[]), root, "{file} {path}");
        }
    }
}

/// Regression (helper-94): an advantage that touches zero without crossing it (a double
/// root) was found only from some starts. Worked by hand: no profit (margin 0), so regime
/// A gets nothing; regime B pays 1 in 2020 and 1.21 in 2022 (round participations, stake 0,
/// valuation 0) and gets the 2021 revenue of 2.2 (a revenue share of 1 in 2021 alone):
/// with x = 1 / (1 + r), the advantage is -1 + 2.2 x - 1.21 x² = -(1.1 x - 1)², zero at r
/// = 0.1 only. From every start, solve finds 0.1.
#[test]
fn regression_solve_finds_a_root_where_the_advantage_touches_zero() {
    let model = "tests/sensitivity/advantage_touches_zero_at_a_rate_of_10_percent.toml";
    for start in [
        "0", "0.02", "0.05", "0.08", "0.095", "0.105", "0.15", "0.5", "1", "1.5", "3", "5", "8",
        "10",
    ] {
        let set = format!("discount_rate={start}");
        let solution = solution_of(model, "discount_rate", &["--set", &set]);
        let root: f64 = solution.parse().unwrap_or(f64::NAN);
        assert!((root - 0.1).abs() < 1e-9, "from {start}: {solution}");
    }
}

/// The solution `solve MODEL PATH` prints (empty for none), with `extra` arguments.
fn solution_of(model: &str, path: &str, extra: &[&str]) -> String {
    let out = stakeshift()
        .args(["solve", model, path, "--format", "csv"])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{model} {path}: {stderr}");
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .nth(1)
        .unwrap()
        .rsplit(',')
        .next()
        .unwrap()
        .to_string()
}

/// Regressions of the root search (helper-96, a review that checked each case exactly in
/// fractions: with stake, margin and valuation 0 the advantage is a polynomial in u = 1 + r):
/// - a shallow turn spent the side's runs for dips, and the roots beyond it were lost:
///   ((u - 1.088)² + 1e-18)(u - 3.5)(u - 3.500001), roots r = 2.5 and 2.500001 only;
/// - a turn 1e-18 short of zero was taken for a double root: -(100 (u - 2.8604)² + 1e-18)
///   has none;
/// - the touch of -(1.1 x - 1)², restated x 1e-3, was lost in the last digits of a decimal
///   (0.1 in every other unit);
/// - where the advantage is the same beyond a point (a cap of 10 on what the profit share
///   pays, with nothing under the stake: -min(cap, 10)), the root nearest 3 for a target of
///   -10 is where that begins, 10, not a point inside (10.5).
#[test]
fn regression_the_root_search_between_turns_and_flat_stretches() {
    let dir = "tests/sensitivity/";
    let rate = |m: &str| solution_of(&format!("{dir}{m}"), "discount_rate", &[]);
    assert_eq!(
        rate("shallow_turn_before_two_close_roots.toml"),
        "2.50000000"
    );
    assert_eq!(rate("turn_short_of_zero_by_1e-18.toml"), "");
    assert_eq!(
        rate("advantage_touches_zero_restated_x_1e-3.toml"),
        "0.100000000"
    );
    let cap = solution_of(
        &format!("{dir}advantage_flat_beyond_a_cap.toml"),
        "profit_share.tiers[0].until.inv",
        &["--target", "-10"],
    );
    assert_eq!(cap, "10.0000000");
}

/// Regressions of the root search (helper-111), each worked by hand:
/// - a cap beyond the revenue share's reach (0.1 of revenue 10, 20, ..., 70 comes to 28):
///   from 28 on the advantage is flat, -13.749953289782288049917558582...; below, the
///   2026 payment is x - 21, so the advantage is the flat value + (28 - x) 1.1^-6. A target
///   1e-12 above the flat value is met at 28 - 1.77e-12 (28.00000000), 1e-6 above at
///   27.99999823. Illinois's steps crawled along the flat side and ran out: 27.99899643.
/// - a revenue point of 0 interpolates linearly, one just above it geometrically: the
///   advantage leaps from -10.73 at 0 to 1.65 at 1e-10, which the bracket closed on as a
///   "root" 0; the root is 0.0288937302 (the same from the file's value, 10), and none
///   inside 0..0.005.
#[test]
fn regression_a_flat_side_and_a_jump_are_not_roots_helper_111() {
    let dir = "tests/sensitivity/";
    let cap = |target: &str, from: &str| {
        solution_of(
            &format!("{dir}revenue_share_cap_beyond_its_reach.toml"),
            "profit_share.revenue_share.total_cap",
            &[
                &format!("--target={target}"),
                "--set",
                &format!("profit_share.revenue_share.total_cap={from}"),
            ],
        )
    };
    for from in ["50", "5"] {
        assert_eq!(cap("-13.74995328978128804991755858", from), "28.0000000");
        assert_eq!(cap("-13.74995228978228804991755858", from), "27.9999982");
    }
    let point = "trajectories[base].revenue.points[0][1]";
    let jump = |extra: &[&str]| {
        solution_of(
            &format!("{dir}revenue_point_of_zero_jumps.toml"),
            point,
            extra,
        )
    };
    for from in ["0.01", "0.001"] {
        let set = format!("{point}={from}");
        assert_eq!(jump(&["--set", &set]), "0.0288937302");
        assert_eq!(jump(&["--set", &set, "--within", "0..0.005"]), "");
    }
    assert_eq!(jump(&[]), "0.0288937302");
}

/// Regressions (helper-111): a grid's last value was FROM + (TO - FROM), which a decimal
/// cannot hold for 1e18 .. 0.1234567890123456789012345678 (it ended at 0.123456789): the
/// ends are FROM and TO as given. And of two values invalid together in a two-path grid,
/// the error named one (`oth=0.7`, valid beside the model's `inv`); it names the point.
#[test]
fn regression_a_grid_ends_at_to_and_names_an_invalid_point_whole() {
    let model = "tests/sensitivity/revenue_share_cap_beyond_its_reach.toml";
    let out = stakeshift()
        .args(["sweep", model, "--format", "csv", "--vary"])
        .arg("profit_share.revenue_share.total_cap=1000000000000000000..0.1234567890123456789012345678:4")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let values: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    // An amount, printed to 6 places (SPEC 8) or to every digit it has; run as given.
    assert_eq!(values.first(), Some(&"1000000000000000000.000000"));
    assert_eq!(values.last(), Some(&"0.1234567890123456789012345678"));
    let grid = stakeshift::sensitivity::Range::parse(
        "1000000000000000000..0.1234567890123456789012345678:4",
    )
    .unwrap()
    .grid(11)
    .unwrap();
    assert_eq!(grid.last(), Some(&d("0.1234567890123456789012345678")));

    let share = |party: &str| format!("profit_share.tiers[0].shares.{party}");
    let out = stakeshift()
        .args(["sweep", model])
        .args(["--set", &format!("{}=0.3", share("inv"))])
        .args(["--set", &format!("{}=0.3", share("oth"))])
        .args(["--vary", &format!("{}=0.3..0.7:3", share("inv"))])
        .args(["--vary", &format!("{}=0.3..0.7:3", share("oth"))])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "at the grid point {}=0.5, {}=0.7",
            share("inv"),
            share("oth")
        )) && err.contains("add up to 1.2"),
        "{err}"
    );
}

/// helper-249: a grid of two coupled paths was refused for a value invalid at the other
/// path's model value, which is no grid point: a raise of 200..800 with a participation of
/// 0..150 (150 above the model's raise of 122.0), and a tier's two shares whose largest pair
/// adds up to 1 exactly. Every pair is valid, so the grid runs (SPEC 11: "a grid value that
/// makes the model invalid is an error"); a grid with one invalid pair is still refused.
#[test]
fn regression_a_grid_valid_at_every_point_runs_though_a_value_alone_is_not() {
    let rows = |args: &[&str]| {
        let out = stakeshift()
            .args(["sweep", "-t", "base", "--format", "csv"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().lines().count() - 1
    };
    let raise = "--vary=equity.rounds[0].raise=200..800:3";
    let participation = "--vary=equity.rounds[0].participation=0..150:3";
    assert_eq!(rows(&[raise, participation]), 9);
    // The built-in tier [1] has shares microsoft 0.49, others 0.49 and nonprofit 0.02: the
    // pair 0.5 + 0.48 leaves exactly 1, and 0.5 alone (with others at 0.49) is above it.
    let microsoft = "--vary=profit_share.tiers[1].shares.microsoft=0.3..0.5:3";
    let others = "--vary=profit_share.tiers[1].shares.others=0.3..0.48:3";
    assert_eq!(rows(&[microsoft, others]), 9);

    let out = stakeshift()
        .args(["sweep", "-t", "base"])
        .args(["--vary=equity.rounds[0].raise=100..800:3", participation])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "at the grid point equity.rounds[0].raise=100, equity.rounds[0].participation=150:"
        ) && err.contains("between 0 and the raise, 100"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // helper-252: a value invalid whatever the other path is (a raise of -100) is refused
    // before anything runs, at its first grid point.
    let err = crate::common::fails_with_2(stakeshift().args([
        "sweep",
        "-t",
        "base",
        "--vary=equity.rounds[0].raise=-100..800:10",
        "--vary=equity.rounds[0].participation=0..50:10",
    ]));
    assert!(
        err.contains(
            "at the grid point equity.rounds[0].raise=-100, equity.rounds[0].participation=0:"
        ),
        "{err}"
    );
    // helper-253: the first invalid point in grid order, though each of its values is
    // valid alone (a participation of 60 above a raise of 50), not a later one with a value
    // refused alone (135, above the model's raise of 122): both where the points with such
    // a value are few and read first (6 x 17), and where they are most of the grid (2 x 2).
    for (participation, raise) in [("60..135:6", "50..850:17"), ("60..135:2", "50..100:2")] {
        let err = crate::common::fails_with_2(stakeshift().args([
            "sweep".to_string(),
            "-t".into(),
            "base".into(),
            format!("--vary=equity.rounds[0].participation={participation}"),
            format!("--vary=equity.rounds[0].raise={raise}"),
        ]));
        assert!(
            err.contains(
                "at the grid point equity.rounds[0].participation=60, equity.rounds[0].raise=50:"
            ),
            "{participation} {raise}: {err}"
        );
    }
}

/// helper-249: `solve equity.rounds[1].raise` gave `breakout` a root of 88.9 on the note
/// model, where the Series B takes the default pre-money and `fails` is worth 35.0 in 2028:
/// at a raise of 35 or more `fails` cannot run, so the model is invalid there and `compare
/// --set` refused the solution. The search keeps to raises below 35 on every trajectory.
#[test]
fn regression_solve_keeps_a_raise_where_every_trajectory_runs() {
    let model = "models/revenue-note-vs-safe.toml";
    let raise = "equity.rounds[1].raise";
    assert_eq!(solution_of(model, raise, &["-t", "breakout"]), "");
    assert_eq!(
        solution_of(model, raise, &["-t", "breakout", "--within", "30..100"]),
        ""
    );
    // A target the advantage meets below 35 is still found, and is the model's own answer.
    let found = solution_of(model, raise, &["-t", "breakout", "--target", "5.5"]);
    let value: f64 = found.parse().unwrap();
    assert!(value > 25.0 && value < 35.0, "{found}");
    let (text, _) = crate::common::succeeds(
        stakeshift()
            .args(["compare", model, "-t", "breakout", "--format", "csv"])
            .arg(format!("--set={raise}={found}")),
    );
    let advantage = text.lines().nth(1).unwrap().split(',').nth(3).unwrap();
    assert_eq!(advantage, "5.500000");

    // helper-250: a root within 5e-7 below the limit (bear worth 262.9189979 in 2027) was
    // printed rounded up to 262.918998, which `compare --set` refuses; it prints rounded
    // toward zero, and reruns to the target.
    let model = root().join("tests/sensitivity/domain_end.toml");
    let model = model.to_str().unwrap();
    let bear = "--set=trajectories[bear].valuation.points=[[2024,50.0],[2025,60.0],[2026,80.0],[2027,262.9189979]]";
    let raise = "equity.rounds[1].raise";
    let found = solution_of(model, raise, &["-t", "base", "--target", "0.01", bear]);
    assert!(found.as_str() < "262.9189979", "{found}");
    let (text, _) = crate::common::succeeds(
        stakeshift()
            .args(["compare", model, "-t", "base", "--format", "csv", bear])
            .arg(format!("--set={raise}={found}")),
    );
    let advantage = text.lines().nth(1).unwrap().split(',').nth(3).unwrap();
    assert_eq!(advantage, "0.010000");
}

/// Regressions (helper-113) of the jump test above, which took roots for jumps: a root
/// where the advantage moves in the waterfall's units (the flat-stretch case through a
/// tier's `until`: f of 1.6e-14 beside bracket values of 1e-12 and 1.69; the root is
/// 28 - 1.77e-12, worked as in the revenue-share case above), and one whose value the
/// arithmetic cannot resolve (NPVs of 7e20: the root 0.373355129, where 0.366 was given,
/// an advantage of 4.4e19).
#[test]
fn regression_roots_are_not_taken_for_jumps_helper_113() {
    let dir = "tests/sensitivity/";
    let cap = solution_of(
        &format!("{dir}waterfall_cap_beyond_its_reach.toml"),
        "profit_share.tiers[0].until.inv",
        &["--target=-13.74995328978128804991755858"],
    );
    assert_eq!(cap, "28.0000000");
    let rate = solution_of(&format!("{dir}npvs_of_1e20.toml"), "discount_rate", &[]);
    assert_eq!(rate, "0.373355129");
}

/// helper-120: a default tornado of a valid model with an amount near 1e18 stopped: the
/// `until` of 1e18 was varied to 1.25e18 and `scale.valuation=1.25` took a valuation past
/// 1e18, both numbers a model cannot hold. A default input's end is kept within 1e18, and
/// one that leaves the model invalid leaves its cells empty, with the warning that says
/// how to see why; a value asked for with --vary is still an error.
#[test]
fn regression_default_inputs_near_1e18_keep_to_what_a_model_holds() {
    let dir = crate::common::ScratchDir::new("tornado-1e18");
    let text = std::fs::read_to_string(root().join("docs/mini.toml")).unwrap();
    let text = text.replace("until = { fund = 20.0 }", "until = { fund = 1e18 }");
    assert!(text.contains("1e18"));
    let model = dir.join("m.toml");
    std::fs::write(&model, text).unwrap();
    let (row, _) = tornado_row(&model, &[], "tiers[1].until.fund");
    assert!(
        row.starts_with(
            "only,profit_share.tiers[1].until.fund,750000000000000000.000000,1000000000000000000.000000,"
        ),
        "{row}"
    );
    let huge = root().join("tests/hand/breakeven_amounts_of_1e18.toml");
    let (scaled, err) = tornado_row(&huge, &[], ",scale.valuation,");
    assert!(scaled.ends_with(",,"), "the high end cannot run: {scaled}");
    assert!(
        err.contains("cannot run with scale.valuation=1.25"),
        "{err}"
    );
    stakeshift()
        .arg("tornado")
        .arg(&huge)
        .args(["--vary", "scale.valuation=0.75..1.25"])
        .assert()
        .code(2);
}

/// helper-111 (D5): `solve` of a share the tier does not name (`shares.oth`, which `--set`
/// would add) said the path was "not a number that solve can vary". It says the model
/// leaves the value out and how to give it one; given one, solve runs.
#[test]
fn regression_solve_of_a_value_the_model_leaves_out_says_so() {
    let model = root().join("docs/mini.toml");
    let path = "profit_share.tiers[0].shares.oth";
    let out = stakeshift()
        .arg("solve")
        .arg(&model)
        .arg(path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the model leaves this value out")
            && err.contains(&format!("--set '{path}=VALUE'")),
        "{err}"
    );
    stakeshift()
        .arg("solve")
        .arg(&model)
        .arg(path)
        .args(["--set", &format!("{path}=0.1")])
        .assert()
        .success();
    // A path that holds no number is still told so.
    let out = stakeshift()
        .arg("solve")
        .arg(&model)
        .arg("name")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a number that solve can vary"));
}

/// helper-124: `solve` of a year the file holds (a revenue share's `from`, a point's year)
/// said "the model leaves this value out ... give it one first", though the file has it;
/// a `[simulation]` key, which the exact run never reads, was a year or "not a number".
#[test]
fn regression_solve_of_a_year_the_file_holds_says_it_moves_in_whole_steps() {
    let error = |path: &str| -> String {
        let out = stakeshift().args(["solve", path]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{path}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    for path in [
        "profit_share.revenue_share.from",
        "profit_share.revenue_share.until",
        "trajectories[base].valuation.points[0][0]",
    ] {
        let e = error(path);
        assert!(
            e.contains("whole number (a year)") && e.contains("use `sweep`"),
            "{path}: {e}"
        );
        assert!(!e.contains("leaves this value out"), "{path}: {e}");
    }
    for path in [
        "simulation.seed",
        "simulation.revenue_vol",
        "simulation.weights.base",
    ] {
        let e = error(path);
        assert!(
            e.contains("`[simulation]` sets how `simulate` draws"),
            "{path}: {e}"
        );
    }
    // Where the file has no `[simulation]` too (helper-128: it was told to add the table,
    // then refused for this reason); a key it cannot have is named as wrong there too
    // (helper-129).
    let on_mini = |path: &str| -> String {
        let out = stakeshift()
            .arg("solve")
            .arg(root().join("docs/mini.toml"))
            .arg(path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{path}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = on_mini("simulation.paths");
    assert!(
        e.contains("`[simulation]` sets how `simulate` draws"),
        "{e}"
    );
    let e = on_mini("simulation.bogus");
    assert!(e.contains("`simulation` has no key `bogus`"), "{e}");
    // Into `weights`, or through a number (helper-130: told to add the table, or to set a
    // seed as a table).
    let e = on_mini("simulation.weights.only");
    assert!(
        e.contains("`[simulation]` sets how `simulate` draws"),
        "{e}"
    );
    let e = on_mini("simulation.seed.x");
    assert!(
        e.contains("`simulation.seed` is a number, not a table"),
        "{e}"
    );
    // The same with a table that leaves the key out (helper-131).
    let out = stakeshift()
        .arg("solve")
        .arg(root().join("docs/mini.toml"))
        .args(["simulation.seed.x", "--set", "simulation={paths=100}"])
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("`simulation.seed` is a number, not a table"),
        "{e}"
    );
    // A point's value is still solved.
    stakeshift()
        .args([
            "solve",
            "trajectories[base].valuation.points[0][1]",
            "-t",
            "base",
        ])
        .assert()
        .success();
}

/// helper-124: a root 1.3e-6 below the raise at which a default pre-money reaches 0 (200 on
/// docs/mini.toml with the raise at 150, worked out independently from the SPEC in 60-digit
/// decimals: 199.99999868253968...) was answered "none": the walk towards the values the
/// model cannot run with stopped a millionth of the value short of them (2e-4 here). It now
/// goes to 1e-10 of the value (SPEC 11 asks for roots to 1e-8), `resolved` keeping the
/// rounding near an overflow from passing for a root (case_027 above).
#[test]
fn regression_solve_finds_a_root_a_millionth_from_the_end_of_the_valid_values() {
    let (text, _) = crate::common::succeeds(
        stakeshift()
            .arg("solve")
            .arg(root().join("docs/mini.toml"))
            .args(["equity.rounds[0].raise", "--target=-16.719559"])
            .args(["--format", "csv", "--set", "equity.rounds[0].raise=150"]),
    );
    assert!(
        text.lines().nth(1).unwrap().ends_with(",199.999999"),
        "{text}"
    );
}

/// helper-137: sweep.png and tornado.png were drawn at one size only and never as SVG,
/// where compare's, chart's and simulate's take `--size` and `--svg`. They take both, and
/// a later run without `--svg` removes the earlier SVG (the set is recorded); without
/// `--out` either is bad usage.
#[test]
fn regression_sweep_and_tornado_charts_take_size_and_svg() {
    let width_height = |png: &[u8]| {
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        (be(&png[16..20]), be(&png[20..24]))
    };
    for (command, vary, stem) in [
        ("sweep", "equity.stake=0.1..0.5:5", "sweep"),
        ("tornado", "equity.stake=0.1..0.5", "tornado"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        stakeshift()
            .args([
                command, "--vary", vary, "--svg", "--size", "960x540", "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        let png = std::fs::read(out.join(format!("{stem}.png"))).unwrap();
        assert_eq!(width_height(&png), (960, 540), "{command}");
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{command}");
        stakeshift()
            .args([command, "--vary", vary, "--out"])
            .arg(&out)
            .assert()
            .success();
        assert!(!out.join(format!("{stem}.svg")).exists(), "{command}");
        let png = std::fs::read(out.join(format!("{stem}.png"))).unwrap();
        assert_eq!(width_height(&png), (1600, 900), "{command}");
        let e = failing(&[command, "--vary", vary, "--svg"]);
        assert!(e.contains("add --out DIR"), "{command}: {e}");
    }
}

/// Regression (helper-147): an amount whose current value is 0 was searched in additive
/// steps of a thousandth of its range (0..1e9), each looked at in parts of 250,000, so a
/// root a few units from 0 was missed wherever the advantage came back to its sign within
/// the first part. Hand cases, one year at the valuation year (discount factor 1), revenue R
/// with margin 1 (profit R):
/// - `v_shape`: the investor takes all profit up to 10 (A: min(R, 10)) against half the
///   company, all of its profit paid as dividends, worth 4 (B: 0.5 R + 0.5 x 4): the
///   advantage is 2 - R / 2 up to R = 10 and R / 2 - 8 beyond, roots 4 and 16; from 0 the
///   nearest is 4.
/// - `jump`: revenue points 2019 x and 2021 100 interpolate geometrically to 10 sqrt(x) in
///   2020, but linearly from a point of 0 (to 50); A takes half the profit (margin 0.1),
///   B is a tenth of a company worth 30: 3 - sqrt(x) / 2 for x > 0 (0.5 at x = 0). For a
///   target of 2 the advantage leaps past it at 0, which is no root, and reaches it at 4.
#[test]
fn regression_solve_from_an_amount_of_0_finds_a_root_a_few_units_away() {
    let dir = std::env::temp_dir().join(format!("stakeshift-solve-zero-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let head = "unit = \"m\"\nstart_year = 2020\nend_year = 2020\nvaluation_year = 2020\n\
                discount_rate = 0.1\n[investor]\nparty = \"inv\"\n[profit_share]\n\
                residual = \"np\"\n[[profit_share.tiers]]\nname = \"T\"\n";
    // A model of one year (2020) with the tier `T` opened by `head` and `rest` after it.
    let write_model = |file: &str, rest: &str| {
        let path = dir.join(file);
        std::fs::write(&path, format!("name = \"{file}\"\n{head}{rest}")).unwrap();
        path
    };
    let v_shape = write_model(
        "v_shape.toml",
        "shares = { inv = 1.0 }\nuntil = { inv = 10.0 }\n\
             [equity]\nfrom_year = 2020\nstake = 0.5\ndividend_payout = 1.0\n\
             [[trajectories]]\nname = \"base\"\nrevenue = { points = [[2020, 0.0]] }\n\
             margin = { points = [[2020, 1.0]] }\nvaluation = { points = [[2020, 4.0]] }\n",
    );
    let path = "trajectories[base].revenue.points[0][1]";
    assert_eq!(
        solution_of(v_shape.to_str().unwrap(), path, &[]),
        "4.00000000"
    );
    // The other root, from a value beyond both: the nearest is 16.
    let from_20 = format!("--set={path}=20");
    assert_eq!(
        solution_of(v_shape.to_str().unwrap(), path, &[&from_20]),
        "16.0000000"
    );

    let jump = write_model(
        "jump.toml",
        "shares = { inv = 0.5 }\n[equity]\nfrom_year = 2020\n\
             stake = 0.1\n[[trajectories]]\nname = \"base\"\n\
             revenue = { points = [[2019, 0.0], [2021, 100.0]] }\n\
             margin = { points = [[2020, 0.1]] }\nvaluation = { points = [[2020, 30.0]] }\n",
    );
    assert_eq!(
        solution_of(jump.to_str().unwrap(), path, &["--target=2"]),
        "4.00000000"
    );

    // helper-150, on the walk from 0: its first ten doublings lie within 1e-12 of the range,
    // so every doubling is looked at in parts. `notch`: tiers of 0.6 until 24, 1.0 until 30,
    // 0.01 until 30.06, then 0.52, against half the company (dividends of all profit, worth
    // 12): the advantage is 6 - R / 10 up to 40, 22 - R / 2 to 46, 0.49 R - 23.54 to 52,
    // 2.98 - R / 50 beyond; roots 44, 48.04... and 149, below zero only between the first
    // two (the walk looked at 17.6, 35.2, 70.4 and 100, all above zero, and gave none).
    let notch = write_model(
        "notch.toml",
        "shares = { inv = 0.6 }\nuntil = { inv = 24.0 }\n\
             [[profit_share.tiers]]\nname = \"T2\"\nshares = { inv = 1.0 }\n\
             until = { inv = 30.0 }\n[[profit_share.tiers]]\nname = \"T3\"\n\
             shares = { inv = 0.01 }\nuntil = { inv = 30.06 }\n\
             [[profit_share.tiers]]\nname = \"T4\"\nshares = { inv = 0.52 }\n\
             [equity]\nfrom_year = 2020\nstake = 0.5\ndividend_payout = 1.0\n\
             [[trajectories]]\nname = \"base\"\nrevenue = { points = [[2020, 0.0]] }\n\
             margin = { points = [[2020, 1.0]] }\nvaluation = { points = [[2020, 12.0]] }\n",
    );
    let notch = notch.to_str().unwrap();
    assert_eq!(solution_of(notch, path, &[]), "44.0000000");
    assert_eq!(solution_of(notch, path, &["--within=0..100"]), "44.0000000");
    // A range of 0 alone, where the model cannot run (a round's default pre-money, the
    // valuation less the raise, is below 0): no root, at once (it looped at 0).
    let round = write_model(
        "round.toml",
        "shares = { inv = 0.5 }\nuntil = { inv = 10.0 }\n\
             [equity]\nfrom_year = 2020\nstake = 0.2\n[[equity.rounds]]\nyear = 2020\n\
             raise = 10.0\n[[trajectories]]\nname = \"base\"\n\
             revenue = { points = [[2020, 10.0]] }\nmargin = { points = [[2020, 0.5]] }\n\
             valuation = { points = [[2020, 100.0]] }\n",
    );
    let out = stakeshift()
        .args([
            "solve",
            round.to_str().unwrap(),
            "trajectories[base].valuation.points[0][1]",
        ])
        .args(["--within=-5..0", "--format", "csv"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.lines().nth(1).is_some_and(|row| row.ends_with(',')),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// helper-160: a sweep of minutes said nothing while it ran (`simulate` has a progress
/// bar). On a terminal a sweep draws one once it has taken a second; `--quiet` and a pipe
/// draw nothing. (A terminal through `script`, where util-linux has it.)
#[test]
fn a_long_sweep_draws_a_progress_bar_on_a_terminal_only() {
    let bin = assert_cmd::cargo::cargo_bin("stakeshift");
    // About four seconds on two cores: 6,001 points of the built-in model's 6 trajectories.
    // stdout is a file: the bar goes where stderr goes.
    let sweep = format!(
        "{} sweep --vary equity.stake=0..1:6001 --format csv > /dev/null",
        bin.display()
    );
    let on_terminal = |extra: &str| {
        std::process::Command::new("script")
            .args(["-qec", &format!("{sweep} {extra}"), "/dev/null"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let started = std::time::Instant::now();
    let Some(drawn) = on_terminal("") else {
        println!("skipped: no `script` (util-linux) to run the sweep on a terminal");
        return;
    };
    // (Drawn a second after the sweep starts, after the model is read: a machine that
    // finishes soon after that may draw none; on the 2-core machines of CI it takes 4 s.)
    if started.elapsed() > std::time::Duration::from_millis(2500) {
        assert!(drawn.contains("sweeping"), "{drawn:?}");
    }
    let quiet = on_terminal("--quiet").unwrap();
    assert!(!quiet.contains("sweeping"), "{quiet:?}");
    // In a pipe: nothing on stderr.
    let out = stakeshift()
        .args([
            "sweep",
            "--vary",
            "equity.stake=0..1:3001",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// helper-195: SPEC 11 lists each round's pre_money among tornado's inputs, but a round
/// whose pre_money the model leaves to its default (the trajectory's valuation that year
/// less the raise) was left out, its swing ranking above four inputs shown. Each
/// trajectory varies its own default +-25%. By hand, for docs/mini.toml with a second
/// trajectory of twice the valuation: the 2026 round raises 20 at valuations 200 and 400,
/// so 180 (135..225) and 380 (285..475); the advantages are `compare`'s at those values.
#[test]
fn regression_a_default_pre_money_is_a_tornado_input_on_each_trajectory() {
    let mini = std::fs::read_to_string(root().join("docs/mini.toml")).unwrap();
    let only = "[[trajectories]]\nname = \"only\"";
    assert!(mini.contains(only) && !mini.contains("pre_money ="));
    let second = mini[mini.find(only).unwrap()..]
        .replace("name = \"only\"", "name = \"double\"")
        .replace(
            "valuation = { points = [[2024, 50.0], [2026, 200.0]] }",
            "valuation = { points = [[2024, 100.0], [2026, 400.0]] }",
        );
    assert!(second.contains("[2026, 400.0]"));
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("two.toml");
    std::fs::write(&model, format!("{mini}\n{second}")).unwrap();
    let (csv, _) = crate::common::succeeds(
        stakeshift()
            .arg("tornado")
            .arg(&model)
            .args(["-q", "--format", "csv"]),
    );
    let advantage_at = |trajectory: &str, value: &str| -> String {
        let set = format!("equity.rounds[0].pre_money={value}");
        let (text, _) = crate::common::succeeds(
            stakeshift()
                .arg("compare")
                .arg(&model)
                .args(["--format", "csv", "-t", trajectory, "--set", &set]),
        );
        text.lines()
            .nth(1)
            .unwrap()
            .split(',')
            .nth(3)
            .unwrap()
            .to_string()
    };
    for (trajectory, low, high) in [
        ("only", "135.000000", "225.000000"),
        ("double", "285.000000", "475.000000"),
    ] {
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("{trajectory},equity.rounds[0].pre_money,")))
            .unwrap_or_else(|| panic!("no row for {trajectory}:\n{csv}"));
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!((cells[2], cells[3]), (low, high), "{row}");
        assert_eq!(cells[4], advantage_at(trajectory, low), "{row}");
        assert_eq!(cells[5], advantage_at(trajectory, high), "{row}");
    }
}

/// helper-197: a default pre-money whose -25% is still past the 1e18 no number may pass
/// (a valuation grown past it) was run at a low above its high, a value `compare` refuses:
/// that trajectory has no such row.
#[test]
fn regression_a_default_pre_money_past_the_bound_has_no_row() {
    let mini = std::fs::read_to_string(root().join("docs/mini.toml")).unwrap();
    let grown = mini.replacen(
        "valuation = { points = [[2024, 50.0], [2026, 200.0]] }",
        "valuation = { points = [[2024, 1e18]], growth = 0.5 }",
        1,
    );
    assert_ne!(grown, mini);
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("grown.toml");
    std::fs::write(&model, grown).unwrap();
    let (csv, _) = crate::common::succeeds(
        stakeshift()
            .arg("tornado")
            .arg(&model)
            .args(["-q", "--format", "csv"]),
    );
    assert!(csv.contains(",equity.stake,"), "{csv}");
    assert!(!csv.contains("pre_money"), "{csv}");
}

/// `--target 0.000000001` was printed as an advantage, to 6 places: 0.000000 in the CSV and
/// 0.00 in the table, as if no target had been given. It is the user's own number.
#[test]
fn regression_solve_prints_its_target_with_every_digit() {
    let run = |target: &str, format: &str| {
        let args = [
            "solve",
            "equity.stake",
            "--target",
            target,
            "--format",
            format,
        ];
        crate::common::succeeds(stakeshift().args(args)).0
    };
    let csv = run("0.000000001", "csv");
    let base = csv.lines().find(|l| l.starts_with("base,")).unwrap();
    assert_eq!(base.split(',').nth(2), Some("0.000000001"), "{base}");
    // An amount's 6 places at least (SPEC 8), as the current value has its kind's.
    let csv = run("-2.5", "csv");
    let base = csv.lines().find(|l| l.starts_with("base,")).unwrap();
    assert_eq!(base.split(',').nth(2), Some("-2.500000"), "{base}");
    let table = run("0.000000001", "table");
    let base = table.lines().find(|l| l.starts_with("base ")).unwrap();
    assert!(base.contains(" 0.000000001 "), "{base}");
}

/// helper-220: in a model of millionths, tornado.csv sorted by the swing rounded to its 6
/// places, so a swing of 0 (a `until` that moves nothing) came above swings of 4e-7 that
/// printed as 0.000000 too, in another order than tornado.png's bars. The rows are sorted by
/// the exact swing, as the chart's bars.
#[test]
fn regression_tornado_rows_sort_by_the_exact_swing_below_the_printed_places() {
    let dir = std::env::temp_dir().join(format!("stakeshift-tiny-tornado-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("tiny.toml");
    std::fs::write(
        &path,
        "name = \"tiny\"\nunit = \"USD\"\nstart_year = 2030\nend_year = 2031\n\
         valuation_year = 2030\ndiscount_rate = 0.05\n[investor]\nparty = \"fund\"\n\
         contributions = [[2030, 0.000001]]\n[profit_share]\nresidual = \"founders\"\n\
         [[profit_share.tiers]]\nname = \"Split\"\nshares = { fund = 0.5 }\n\
         until = { fund = 0.000002 }\n[equity]\nfrom_year = 2031\nstake = 0.3\n\
         [[trajectories]]\nname = \"only\"\n\
         revenue = { points = [[2030, 0.000004], [2031, 0.000006]] }\n\
         margin = { points = [[2030, 0.25], [2031, 0.3]] }\n\
         valuation = { points = [[2030, 0.00001], [2031, 0.000012]] }\n",
    )
    .unwrap();
    let file = read_model_file(Some(&path)).unwrap();
    let base = Base::new(&file, &[]).unwrap();
    let inputs = default_inputs(base.model());
    let rows = stakeshift::sensitivity::tornado::tornado(&base, &inputs, &all(&file)).unwrap();
    let swings: Vec<Decimal> = rows.iter().filter_map(|r| r.swing).collect();
    assert!(swings.len() > 5, "{rows:?}");
    assert!(
        swings.windows(2).all(|w| w[0] >= w[1]),
        "not sorted by the exact swing: {swings:?}"
    );
    // The case that was out of order: a swing of 0 and smaller nonzero ones alike as printed.
    assert!(swings.contains(&Decimal::ZERO));
    assert!(
        swings
            .iter()
            .any(|s| *s > Decimal::ZERO && *s < Decimal::new(5, 7)),
        "{swings:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// helper-236: `sweep --out` on a model of thousands of trajectories spent most of a
/// minute solving its chart's 200 crossings exactly (each root search copies the whole
/// model a run), beside a grid of under a second. The chart's solves now share a budget of
/// a second or two: the built-in model's crossings are all still solved (as the chart's
/// tests hold), while 180 trajectories of 27 years, whose 180 crossings were all solved
/// (under the 200), now get a few dozen solved and the rest estimated, which the chart
/// says.
#[test]
fn regression_a_large_models_sweep_chart_estimates_its_crossings() {
    let dir = tempfile::tempdir().unwrap();
    let mini = std::fs::read_to_string(root().join("docs/mini.toml")).unwrap();
    let head = &mini[..mini.find("[[trajectories]]").unwrap()];
    let model = head.replace("end_year = 2026", "end_year = 2050").replace(
        "[investor]",
        "trajectories_csv = \"many.csv\"\n\n[investor]",
    );
    assert!(
        model.contains("end_year = 2050"),
        "docs/mini.toml changed: {model}"
    );
    let mut csv = String::from("trajectory,year,revenue,profit,valuation\n");
    for k in 0..180 {
        for year in 2024..=2050 {
            let step = year - 2024;
            csv.push_str(&format!(
                "t{k},{year},{},{},{}\n",
                40 + 10 * step,
                -4 + 4 * step,
                50 + k + 20 * step
            ));
        }
    }
    crate::common::write_file(dir.path(), "many.csv", &csv);
    let model = crate::common::write_file(dir.path(), "many.toml", &model);
    let out = dir.path().join("out");
    crate::common::succeeds(
        stakeshift()
            .arg("sweep")
            .arg(&model)
            .args(["--vary", "equity.stake=0..1:2", "--svg", "-q", "--out"])
            .arg(&out),
    );
    let svg = std::fs::read_to_string(out.join("sweep.svg")).unwrap();
    assert!(svg.contains("180 break-evens, too many to label"), "{svg}");
    assert!(svg.contains("estimated on a straight line"), "{svg}");
}

/// helper-276: the default tornado of a model that sells compute ranked its inputs without
/// the cloud side (the built-in `base`'s cloud.margin at +-25% would rank 5th) and said
/// nothing of it; the table now says so under its rows, where no input varied is of the
/// cloud side.
#[test]
fn regression_a_tornado_says_where_the_cloud_side_is_not_varied() {
    let note = "The cloud side is not varied here (it is not among the default inputs): add it with --vary, as --vary cloud.margin=LOW..HIGH.";
    let table = |args: &[&str]| {
        let out = stakeshift().arg("tornado").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(table(&["-t", "base"]).ends_with(&format!("\n\n{note}\n")));
    assert!(!table(&["-t", "base", "--vary", "cloud.margin=0.2..0.4"]).contains(note));
    // A model without a cloud side: nothing to say.
    assert!(!table(&["docs/mini.toml"]).contains("cloud side"));
    // The CSV holds the rows alone.
    assert!(!table(&["-t", "base", "--format", "csv"]).contains("cloud side"));
}

/// helper-281: a round's pre-money value left to its default was varied about each
/// trajectory's own (`477.002314  795.003857` beside the file's round numbers) with no word
/// of where those came from; the table says so, and says nothing where the round's value
/// is the file's or the input was asked for with --vary.
#[test]
fn regression_a_tornado_table_says_a_default_pre_money_is_each_trajectorys_own() {
    let note = "`equity.rounds[0].pre_money` has no value in the file: each trajectory's low and high are 75% and 125% of its own default, its valuation that year less the raise.";
    let mini = root().join("docs/mini.toml");
    let (table, _) = crate::common::succeeds(stakeshift().arg("tornado").arg(&mini).arg("-q"));
    assert!(table.contains(note), "{table}");
    let (given, _) = crate::common::succeeds(stakeshift().arg("tornado").arg(&mini).args([
        "-q",
        "--set",
        "equity.rounds[0].pre_money=150",
    ]));
    assert!(!given.contains("has no value in the file"), "{given}");
    let (asked, _) = crate::common::succeeds(stakeshift().arg("tornado").arg(&mini).args([
        "-q",
        "--vary",
        "equity.rounds[0].pre_money=100..200",
    ]));
    assert!(!asked.contains("has no value in the file"), "{asked}");
}

/// What a run of `args` in `dir` that must fail as bad usage printed on stderr.
fn failing_in(dir: &std::path::Path, args: &[&str]) -> String {
    failing_run(stakeshift().current_dir(dir).args(args))
}

/// A scratch folder holding docs/mini.toml under the names a misuse's hints must quote
/// (`-x.toml`, `my model.toml`), and `ab.toml`, the same with its trajectory called `a=b`
/// and a second called `a b`.
fn models_with_awkward_names(tag: &str) -> crate::common::ScratchDir {
    let dir = crate::common::ScratchDir::new(tag);
    let mini = std::fs::read_to_string(crate::common::repo_path("docs/mini.toml")).unwrap();
    for name in ["-x.toml", "my model.toml"] {
        std::fs::write(dir.path().join(name), &mini).unwrap();
    }
    let start = mini.find("[[trajectories]]").unwrap();
    let only = &mini[start..];
    let ab = format!(
        "{}{}\n{}",
        &mini[..start],
        only.replace("name = \"only\"", "name = \"a=b\""),
        only.replace("name = \"only\"", "name = \"a b\"")
    );
    std::fs::write(dir.path().join("ab.toml"), ab).unwrap();
    dir
}

/// Session 46: `solve equity.stake=0.3`, PATH=VALUE as `--set` and `--vary` take it, was told
/// "`stake=0` is not a key". solve finds the value itself: it is told to give the PATH
/// alone, a range as `--within`, with the model where one was given; each command it
/// offers runs.
#[test]
fn regression_solve_given_path_equals_value_is_told_to_give_the_path_alone() {
    let e = failing(&["solve", "equity.stake=0.3"]);
    assert!(
        e.contains("solve equity.stake=0.3: solve takes the PATH alone and finds its value; write `stakeshift solve equity.stake` for the value at which the deals tie"),
        "{e}"
    );
    assert!(!e.contains("is not a key"), "{e}");
    let e = failing(&[
        "solve",
        "models/msft-openai.toml",
        "equity.stake = 0.1..0.9",
    ]);
    assert!(
        e.contains("to look for it in 0.1..0.9, write `stakeshift solve models/msft-openai.toml equity.stake --within 0.1..0.9`"),
        "{e}"
    );
    // Followed, both run.
    for args in [
        &["solve", "equity.stake", "--format", "csv"][..],
        &[
            "solve",
            "models/msft-openai.toml",
            "equity.stake",
            "--within",
            "0.1..0.9",
            "--format",
            "csv",
        ],
    ] {
        let out = stakeshift().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let dir = models_with_awkward_names("solve-path-alone");
    // A key with `=` inside its brackets is read to the last `=`; written as a shell reads it.
    let e = failing_in(
        dir.path(),
        &["solve", "ab.toml", "scale.valuation[a=b]=1.5"],
    );
    assert!(
        e.contains("write `stakeshift solve ab.toml 'scale.valuation[a=b]'`"),
        "{e}"
    );
    // helper-292: a model named as an option is given as `./-x.toml`.
    // A model without a PATH: the model as a shell reads it.
    let e = failing_in(dir.path(), &["solve", "my model.toml"]);
    assert!(
        e.contains("write `stakeshift solve 'my model.toml' PATH`"),
        "{e}"
    );
    let e = failing_in(dir.path(), &["solve", "--", "-x.toml"]);
    assert!(e.contains("write `stakeshift solve ./-x.toml PATH`"), "{e}");
    let e = failing_in(dir.path(), &["solve", "--", "-x.toml", "equity.stake=0.3"]);
    assert!(
        e.contains("write `stakeshift solve ./-x.toml equity.stake`"),
        "{e}"
    );
    // helper-291: a model's path with a space quoted; `--within` given no steps.
    let e = failing_in(
        dir.path(),
        &["solve", "my model.toml", "equity.stake=0.1..0.4:4"],
    );
    assert!(
        e.contains("to look for it in 0.1..0.4, write `stakeshift solve 'my model.toml' equity.stake --within 0.1..0.4`"),
        "{e}"
    );
}

/// Session 47: the command offered to `solve equity.stake=0.3` dropped the options given
/// beside it (`-t`, `--target`, `--within`), so following it solved another question. It
/// keeps them, quoted as a shell reads them, and runs.
#[test]
fn regression_solve_path_equals_value_hint_keeps_the_options_given() {
    let e = failing(&[
        "solve",
        "equity.stake=0.3",
        "-t",
        "base",
        "-t",
        "bear",
        "--target",
        "-5",
        "--within",
        "0.01..0.9",
    ]);
    let offered = "stakeshift solve equity.stake -t base -t bear --target -5 --within 0.01..0.9";
    assert!(
        e.contains(&format!(
            "write `{offered}` for the value at which the advantage is the target"
        )),
        "{e}"
    );
    // A range in the value is the `--within` offered, the user's other options kept.
    let dir = models_with_awkward_names("solve-options-kept");
    let e = failing_in(
        dir.path(),
        &[
            "solve",
            "ab.toml",
            "equity.stake=0.1..0.5",
            "-t",
            "a b",
            "--target",
            "2",
        ],
    );
    assert!(
        e.contains(
            "write `stakeshift solve ab.toml equity.stake -t 'a b' --target 2 --within 0.1..0.5`"
        ),
        "{e}"
    );
    // Followed (as a shell splits it), it runs and solves the question asked.
    let args: Vec<&str> = offered
        .split(' ')
        .skip(1)
        .chain(["--format", "csv"])
        .collect();
    let out = stakeshift().args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    // helper-295: the `--set`s, `--format` and `--out` given are kept too (a `--set` dropped
    // solved another model: 0.3035 for 0.1908).
    let e = failing(&[
        "solve",
        "equity.stake=0.3",
        "-t",
        "base",
        "--set",
        "trajectories[base].agi_year=2028",
        "--format",
        "json",
        "--out",
        "my out",
    ]);
    assert!(
        e.contains("write `stakeshift solve equity.stake --set 'trajectories[base].agi_year=2028' -t base --format json --out 'my out'`"),
        "{e}"
    );
    // helper-295: options the offered command would fail on are refused first, each as
    // itself: `--within` with steps, a bad `--target`, a percent range in the value.
    for (args, said) in [
        (
            &["solve", "equity.stake=0.3", "--within", "0.1..0.4:4"][..],
            "--within 0.1..0.4:4: a range FROM..TO, without steps",
        ),
        (
            &["solve", "equity.stake=0.3", "--target", "abc"],
            "--target abc: `abc` is not a number",
        ),
        (
            &["solve", "equity.stake=10%..40%"],
            "a percent is written as its fraction: 10% is 0.1",
        ),
        // helper-296: each checked before a command is offered with it.
        (
            &["solve", "equity.stake=0.5..0.1"],
            "0.5..0.1: FROM must be below TO",
        ),
        (
            &["solve", "equity.stake=0.3", "--within", "0.5..0.1"],
            "--within 0.5..0.1: FROM must be below TO",
        ),
        (
            &["solve", "equity.stake=0.3", "--set", "bogus"],
            "--set bogus: expected PATH=VALUE",
        ),
        // helper-297: the rest is checked as for a run before a command is offered: a
        // `--set` of no key, a trajectory the model lacks, a year, a `[simulation]` key.
        (
            &["solve", "equity.stake=0.3", "--set", "nosuch=1"][..],
            "the top level has no key `nosuch`",
        ),
        (
            &["solve", "equity.stake=0.3", "-t", "nosuch"],
            "the model has no trajectory `nosuch`",
        ),
        (
            &["solve", "trajectories[base].agi_year=2031"],
            "a year moves the answer in whole steps",
        ),
        (&["solve", "simulation.seed=3"], "`[simulation]` sets how"),
    ] {
        let e = failing(args);
        assert!(e.contains(said) && !e.contains("write `"), "{args:?}: {e}");
    }
    // helper-298: and what the search itself would refuse first: a range outside the key's
    // valid range, a trajectory that cannot run (chosen or not).
    let e = failing(&["solve", "models/msft-openai.toml", "equity.stake=2..3"]);
    assert!(
        // (Said of the range as given, not of a `--within` not written: helper-299.)
        e.contains("solve equity.stake=2..3: 2..3: equity.stake is searched only inside its valid range [0, 1]")
            && !e.contains("write `"),
        "{e}"
    );
    let dir = crate::common::ScratchDir::new("solve-misuse-cannot-run");
    let mini = std::fs::read_to_string(crate::common::repo_path("docs/mini.toml")).unwrap();
    let only = &mini[mini.find("[[trajectories]]").unwrap()..];
    let low = only.replace("name = \"only\"", "name = \"low\"").replace(
        "valuation = { points = [[2024, 50.0], [2026, 200.0]] }",
        "valuation = { points = [[2024, 50.0], [2026, 10.0]] }",
    );
    std::fs::write(dir.path().join("fail.toml"), format!("{mini}\n{low}")).unwrap();
    for chosen in [&[][..], &["-t", "low"]] {
        let mut args = vec!["solve", "fail.toml", "equity.stake=0.3"];
        args.extend(chosen);
        let e = failing_in(dir.path(), &args);
        assert!(
            e.contains("the round's pre-money value would be -10.0") && !e.contains("write `"),
            "{args:?}: {e}"
        );
    }
    // helper-298: `solve -`, the model on standard input without a PATH.
    let e = failing_run(stakeshift().args(["solve", "-"]).write_stdin(mini.clone()));
    assert!(
        e.contains("solve -: a model file, but no PATH to solve for"),
        "{e}"
    );
    // helper-297: a hint that offers no command is not hidden behind an option's error.
    let e = failing(&[
        "solve",
        "equity.stake",
        "scale.valuation",
        "--target",
        "abc",
    ]);
    assert!(e.contains("two paths, and no model file"), "{e}");
    // helper-296: a value beginning with `-` joined to an option that takes none such;
    // a word no shell gives back as printed (a tab) offers no command, only the PATH.
    let e = failing(&["solve", "equity.stake=0.3", "--out=-o1"]);
    assert!(
        e.contains("write `stakeshift solve equity.stake --out=-o1`"),
        "{e}"
    );
    let e = failing(&["solve", "equity.stake=0.3", "--out", "o\tt"]);
    assert!(
        e.contains("give `equity.stake` in place of `equity.stake=0.3`") && !e.contains("write `"),
        "{e}"
    );
    // helper-296: the PATH before the model: each word as a shell reads it, the options
    // kept, a PATH=VALUE given as its PATH.
    let dir = models_with_awkward_names("solve-model-first");
    for (args, said) in [
        (
            &["solve", "equity.stake", "my model.toml"][..],
            "the model comes first; write `stakeshift solve 'my model.toml' equity.stake`",
        ),
        (
            &["solve", "equity.stake", "--", "-x.toml"],
            "the model comes first; write `stakeshift solve ./-x.toml equity.stake`",
        ),
        (
            &[
                "solve",
                "equity.stake=0.3",
                "ab.toml",
                "--set",
                "discount_rate=0.1",
            ],
            "the model comes first, and solve takes the PATH alone and finds its value; write `stakeshift solve ab.toml equity.stake --set discount_rate=0.1`",
        ),
    ] {
        let e = failing_in(dir.path(), args);
        assert!(e.contains(said), "{args:?}: {e}");
    }
}

/// Session 46: a range's end written as a percent (`--vary equity.stake=10%..30%`) was told
/// only that it is no number; it is told its fraction, exactly, which followed runs.
/// `--target`, an amount, is not offered one.
#[test]
fn regression_a_percent_in_a_range_is_told_its_fraction() {
    let e = failing(&["sweep", "--vary", "equity.stake=10%..30%:3"]);
    assert!(
        e.contains("a percent is written as its fraction: 10% is 0.1"),
        "{e}"
    );
    let e = failing(&["tornado", "--vary", "equity.stake=0.1..-2.5 %"]);
    assert!(
        e.contains("a percent is written as its fraction: -2.5 % is -0.025"),
        "{e}"
    );
    let e = failing(&["solve", "equity.stake", "--within", "5%..50%"]);
    assert!(e.contains("5% is 0.05"), "{e}");
    let e = failing(&["solve", "equity.stake", "--target", "5%"]);
    assert!(!e.contains("fraction"), "{e}");
    // Nor a year (helper-291: `--vary end_year=10%..30%` was told 10% is 0.1).
    for vary in ["end_year=10%..30%", "trajectories[base].agi_year=10%..30%"] {
        let e = failing(&["sweep", "--vary", vary]);
        assert!(
            e.contains("is not a number") && !e.contains("fraction"),
            "{e}"
        );
    }
    // A percent whose fraction a decimal cannot hold exactly is offered none.
    let e = failing(&["sweep", "--vary", "equity.stake=1e-27%..0.3"]);
    assert!(!e.contains("fraction"), "{e}");
    let out = stakeshift()
        .args([
            "sweep",
            "--vary",
            "equity.stake=0.1..0.3:3",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
}
