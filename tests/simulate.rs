//! `stakeshift simulate` (SPEC section 10): tests that know the answer.
//! - With every vol and hazard 0, each path is its center: its NPVs equal the exact
//!   engine's for that trajectory (every reference case and shipped model).
//! - Statistics against cases computable by hand, with distribution-free bounds (Hoeffding)
//!   at a stated false-alarm rate.
//! - The same bytes for 1 and 2 threads; different results for another seed.
//! - `--replay N` reruns in exact decimals through `compare` to the path's own NPVs.
//! - Bad `[simulation]` values exit 2 naming the field; `--paths 0` is bad usage.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use stakeshift::engine::{Winner, discount_factors, run_trajectory};
use stakeshift::model::{Model, Simulation};
use stakeshift::simulate::{self, Options, Results};

/// False-alarm rate of each statistical check.
const FALSE_ALARM: f64 = 1e-6;

/// Hoeffding: |share - p| < t with probability at least 1 - FALSE_ALARM for n draws.
fn hoeffding(n: u64) -> f64 {
    ((2.0 / FALSE_ALARM).ln() / (2.0 * n as f64)).sqrt()
}

fn stakeshift() -> Command {
    Command::cargo_bin("stakeshift").unwrap()
}

/// Runs `command`, which must succeed (its stderr shown where it does not), and returns
/// its stdout.
fn stdout_of(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn quiet() -> Simulation {
    Simulation {
        revenue_vol: Decimal::ZERO,
        margin_vol: Decimal::ZERO,
        valuation_vol: Decimal::ZERO,
        agi_hazard: Decimal::ZERO,
        failure_hazard: Decimal::ZERO,
        ..Simulation::default()
    }
}

fn run(model: &Model, paths: u64, seed: u64) -> Results {
    let options = Options {
        paths,
        seed,
        selected: None,
        fan: true,
    };
    simulate::run(model, &options, &|_| {}).unwrap()
}

fn models() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/reference/cases"))
        .unwrap()
        .map(|e| e.unwrap().path().join("model.toml"))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.push(root.join("models/msft-openai.toml"));
    files.push(root.join("models/revenue-note-vs-safe.toml"));
    files
}

#[test]
fn with_every_vol_and_hazard_zero_each_path_is_its_center() {
    let mut checked = 0;
    for file in models() {
        let mut model = stakeshift::io::load_model(Some(&file)).unwrap().model;
        model.simulation = quiet();
        let df = discount_factors(&model).unwrap();
        let exact: Vec<_> = model
            .trajectories
            .iter()
            .map(|t| run_trajectory(&model, &df, t).unwrap())
            .collect();
        let results = run(&model, 64, 7);
        for (i, p) in results.per_path.iter().enumerate() {
            let center = &results.centers[p.center as usize];
            let e = exact.iter().find(|t| &t.name == center).unwrap();
            for (what, got, want) in [
                (
                    "profit share",
                    p.npv_profit_share,
                    e.profit_share.measures.npv,
                ),
                ("equity", p.npv_equity, e.equity.measures.npv),
                ("advantage", p.npv_advantage, e.npv_advantage),
            ] {
                let want = want.to_f64().unwrap();
                let scale = e
                    .profit_share
                    .measures
                    .npv
                    .abs()
                    .max(e.equity.measures.npv.abs());
                let tolerance = 1e-6_f64.max(1e-9 * scale.to_f64().unwrap());
                assert!(
                    (got - want).abs() <= tolerance,
                    "{} path {i} ({center}) {what}: {got} vs compare's {want}",
                    file.display()
                );
            }
            if p.winner != e.winner {
                assert!(
                    e.npv_advantage.abs() < Decimal::new(1, 5),
                    "{}",
                    file.display()
                );
            }
            assert_eq!(p.agi_year, e.agi_year);
            assert_eq!(p.failure_year, None);
        }
        checked += 1;
    }
    assert!(checked >= 46);
}

/// A model where the profit share is worth a fixed amount and the stake is a lognormal:
/// equity wins when exp(w_T) > threshold, w_T ~ N(0, sigma^2 k) over k random years.
fn lognormal_model(sigma: &str, agi_hazard: &str, failure_hazard: &str) -> Model {
    let text = format!(
        r#"
name = "lognormal"
unit = "USD"
start_year = 2020
end_year = 2029
valuation_year = 2020
discount_rate = 0.0

[investor]
party = "investor"
contributions = [[2020, 10.0]]

[profit_share]
residual = "rest"
[[profit_share.tiers]]
name = "all"
shares = {{ investor = 0.5 }}

[equity]
from_year = 2021
stake = 0.1

[simulation]
from_year = 2021
revenue_vol = 0.0
margin_vol = 0.0
valuation_vol = {sigma}
valuation_persistence = 1.0
agi_hazard = {agi_hazard}
failure_hazard = {failure_hazard}

[[trajectories]]
name = "flat"
revenue = {{ points = [[2020, 0.0]] }}
margin = {{ points = [[2020, 0.0]] }}
valuation = {{ points = [[2020, 100.0]] }}
"#
    );
    let mut load = |_: &str| Err("no files".to_string());
    stakeshift::model::parse_model(stakeshift::model::ModelSource {
        text: &text,
        load: &mut load,
    })
    .unwrap()
}

/// Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9).
#[allow(clippy::excessive_precision)] // the published coefficients, as published
fn normal_quantile(p: f64) -> f64 {
    let a = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383577518672690e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    let b = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    let c = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    let d = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let tail = |q: f64| {
        (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0)
    }
}

#[test]
fn p_equity_wins_and_percentiles_match_the_lognormal_case() {
    // Profit share: -10 paid in, nothing back: NPV -10. Equity: -10, then 0.1 x 100 x
    // exp(w_T) at 2029 (discount rate 0): advantage = 10 exp(w_T), w_T ~ N(0, 0.3^2 x 9).
    // Every path: equity wins (advantage > 0). The advantage's q-quantile is
    // 10 exp(0.9 z_q).
    let model = lognormal_model("0.3", "0.0", "0.0");
    let n = 20_000;
    let results = run(&model, n, 11);
    let all = &results.groups[0];
    assert_eq!(all.paths, n);
    assert_eq!(all.equity_wins, n);
    let s = 0.3 * 3.0;
    let quantile = |q: f64| 10.0 * (s * normal_quantile(q)).exp();
    let adv = all.npv_advantage.unwrap();
    // Distribution-free: the sample q-quantile lies between the true (q - t)- and
    // (q + t)-quantiles unless the empirical CDF misses by t at one of those two points.
    let t = hoeffding(n) + 1.0 / n as f64;
    for (k, q) in simulate::stats::QUANTILES.iter().enumerate() {
        let (lo, hi) = (quantile(q - t), quantile(q + t));
        assert!(
            adv.percentiles[k] >= lo && adv.percentiles[k] <= hi,
            "p{}: {} outside [{lo}, {hi}]",
            q * 100.0,
            adv.percentiles[k]
        );
    }
    // The mean of 10 exp(0.9 Z) is 10 exp(0.405); Chebyshev at the false-alarm rate.
    let mean = 10.0 * (s * s / 2.0).exp();
    let sd = 10.0 * ((s * s).exp() * ((s * s).exp() - 1.0)).sqrt();
    let band = sd / (n as f64 * FALSE_ALARM).sqrt();
    assert!((adv.mean - mean).abs() < band, "{} vs {mean}", adv.mean);
}

#[test]
fn p_equity_wins_is_one_half_where_the_median_path_ties() {
    // A profit share worth exactly the stake's median value: revenue 20 a year from 2021,
    // margin 1, half to the investor (10 a year for 9 years = 90); the stake is worth
    // 0.1 x 900 = 90 at the median. With only the valuation random, equity wins on exactly
    // the paths where w_T > 0: P = 1/2.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/simulate_half.toml"),
    )
    .unwrap();
    let mut load = |_: &str| Err("no files".to_string());
    let model = stakeshift::model::parse_model(stakeshift::model::ModelSource {
        text: &text,
        load: &mut load,
    })
    .unwrap();
    let n = 20_000;
    let results = run(&model, n, 3);
    let all = &results.groups[0];
    let p = all.p_equity_wins();
    assert!((p - 0.5).abs() < hoeffding(n), "P(equity wins) {p}");
    // The median advantage is 0 in theory; the sample median lies between the true
    // (1/2 -+ t)-quantiles of 90 (exp(0.6 Z) - 1).
    let t = hoeffding(n) + 1.0 / n as f64;
    let q = |p: f64| 90.0 * ((0.2 * 3.0 * normal_quantile(p)).exp() - 1.0);
    let median = all.npv_advantage.unwrap().percentiles[2];
    assert!(
        median >= q(0.5 - t) && median <= q(0.5 + t),
        "median {median}"
    );
}

#[test]
fn agi_and_failure_counts_follow_their_hazards() {
    // 9 random years (2021..=2029): P(AGI by 2029) = 1 - 0.9^9, P(failure) = 1 - 0.95^9.
    let model = lognormal_model("0.1", "0.1", "0.05");
    let n = 20_000;
    let results = run(&model, n, 5);
    let t = hoeffding(n);
    let agi = results.events().reached_agi as f64 / n as f64;
    let failed = results.events().failed as f64 / n as f64;
    assert!((agi - (1.0 - 0.9f64.powi(9))).abs() < t, "AGI {agi}");
    assert!(
        (failed - (1.0 - 0.95f64.powi(9))).abs() < t,
        "failed {failed}"
    );
    // A failed company's stake is worth nothing at the horizon: those paths lose 10.
    for p in results.per_path.iter().filter(|p| p.failure_year.is_some()) {
        assert!((p.npv_equity + 10.0).abs() < 1e-9, "{p:?}");
        assert_eq!(p.winner, Winner::Tie);
    }
}

fn simulate_bytes(threads: &str, seed: &str, dir: &Path) -> Vec<u8> {
    let out = stakeshift()
        .env("RAYON_NUM_THREADS", threads)
        .args([
            "simulate",
            "--paths",
            "3000",
            "--seed",
            seed,
            "--format",
            "json",
            "--paths-csv",
            "--quiet",
            "--out",
        ])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut bytes = out.stdout;
    for f in ["simulation.csv", "fan.csv", "paths.csv"] {
        bytes.extend(std::fs::read(dir.join(f)).unwrap());
    }
    bytes
}

#[test]
fn same_seed_same_bytes_for_one_and_two_threads_and_another_seed_differs() {
    let tmp = tempfile::tempdir().unwrap();
    let one = simulate_bytes("1", "42", &tmp.path().join("one"));
    let two = simulate_bytes("2", "42", &tmp.path().join("two"));
    assert!(one == two, "1 and 2 threads gave different bytes");
    let other = simulate_bytes("2", "43", &tmp.path().join("other"));
    assert!(one != other, "another seed gave the same bytes");
}

/// helper-212: SPEC 10's counts (paths that failed, that reached AGI, rounds that did not
/// happen) were in the table and the JSON, for all paths only, and in no file `--out`
/// writes. simulation.csv has them per group; recounted here from paths.csv (a failure
/// year given; an AGI year by the last year, 2045), the centers' add up to `all`'s, and
/// the JSON's groups and totals say the same.
#[test]
fn regression_simulation_csv_counts_failures_agi_and_skipped_rounds_per_group() {
    let tmp = tempfile::tempdir().unwrap();
    simulate_bytes("2", "7", tmp.path());
    let read = |name: &str| -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(tmp.path().join(name)).unwrap();
        text.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    };
    let simulation = read("simulation.csv");
    let header = &simulation[0];
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let paths = read("paths.csv");
    let (center, agi, failure) = (1, 2, 3);
    assert_eq!(
        (
            &paths[0][center][..],
            &paths[0][agi][..],
            &paths[0][failure][..]
        ),
        ("center", "agi_year", "failure_year")
    );
    let mut skipped_total = 0;
    for row in &simulation[1..] {
        let group = &row[0];
        let mine: Vec<&Vec<String>> = paths[1..]
            .iter()
            .filter(|p| group == "all" || p[center] == *group)
            .collect();
        let failed = mine.iter().filter(|p| !p[failure].is_empty()).count();
        let reached = mine
            .iter()
            .filter(|p| p[agi].parse::<i32>().is_ok_and(|y| y <= 2045))
            .count();
        assert_eq!(row[column("paths")], mine.len().to_string(), "{group}");
        assert_eq!(row[column("failed")], failed.to_string(), "{group}");
        assert_eq!(row[column("reached_agi")], reached.to_string(), "{group}");
        let skipped: u64 = row[column("skipped_rounds")].parse().unwrap();
        let with: u64 = row[column("paths_with_skipped_rounds")].parse().unwrap();
        assert!(with <= skipped && with <= mine.len() as u64, "{group}");
        if group != "all" {
            skipped_total += skipped;
        }
    }
    let all = &simulation[1];
    assert_eq!(all[0], "all");
    assert_eq!(all[column("skipped_rounds")], skipped_total.to_string());
    // A known answer for the rounds (helper-213): a company that fails in its first random
    // year raises no round after it, so every path skips the built-in model's one round.
    let out = stakeshift()
        .args(["simulate", "--paths", "500", "--format", "csv"])
        .args(["--set", "simulation.failure_hazard=1"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(
        (row[column("failed")], row[column("skipped_rounds")]),
        ("500", "500"),
        "{text}"
    );
    assert!(failed_somewhere(&simulation, column("failed")));
    // The JSON of the same run: each group's counts, and the totals as `all`'s.
    let out = stakeshift()
        .args([
            "simulate", "--paths", "3000", "--seed", "7", "--format", "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (row, group) in simulation[1..]
        .iter()
        .zip(json["groups"].as_array().unwrap())
    {
        assert_eq!(group["group"], row[0].as_str());
        for name in [
            "failed",
            "reached_agi",
            "skipped_rounds",
            "paths_with_skipped_rounds",
        ] {
            assert_eq!(group[name].to_string(), row[column(name)], "{name}");
            if row[0] == "all" {
                assert_eq!(json[name], group[name], "{name}");
            }
        }
    }
}

/// Whether some group of simulation.csv counts a failure (the test above is not vacuous).
fn failed_somewhere(simulation: &[Vec<String>], column: usize) -> bool {
    simulation[1..].iter().any(|r| r[column] != "0")
}

/// A run whose paths can leave f64's range (a valuation that follows revenue shocks tenfold,
/// for a century) fails naming the lowest failing path, whatever the number of threads:
/// once a path fails only the paths above it are skipped.
#[test]
fn a_failing_run_names_the_same_lowest_path_on_any_number_of_threads() {
    let stderr_with = |threads: &str| {
        let out = stakeshift()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "simulate",
                "--paths",
                "60000",
                "--quiet",
                "--set",
                "end_year=2120",
                "--set",
                "simulation.valuation_beta=10",
                "--set",
                "simulation.revenue_vol=3",
                "--set",
                "simulation.revenue_persistence=1",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "threads {threads}");
        String::from_utf8(out.stderr).unwrap()
    };
    let one = stderr_with("1");
    assert!(
        one.contains("on simulated path ") && one.contains("too large to hold"),
        "{one}"
    );
    for threads in ["2", "3", "4"] {
        assert_eq!(stderr_with(threads), one, "threads {threads}");
    }
}

/// The full-precision NPVs in a replay's comment: profit share, equity, advantage.
fn replay_npvs(text: &str) -> [f64; 3] {
    let line = text.lines().find(|l| l.starts_with("# Its NPVs")).unwrap();
    let grab = |key: &str| -> f64 {
        let rest = &line[line.find(key).unwrap() + key.len()..];
        rest.split([',', ';'])
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    [grab("profit share "), grab("equity "), grab("advantage ")]
}

/// A replay's table appended to `model_text` and rerun by `compare` (in exact decimals):
/// its npv_profit_share, npv_equity and npv_advantage as printed (6 places).
fn rerun_replay(
    dir: &Path,
    model_text: &str,
    replay: &str,
    path: impl std::fmt::Display,
) -> [f64; 3] {
    let file = dir.join(format!("replay_{path}.toml"));
    std::fs::write(&file, format!("{model_text}\n{replay}")).unwrap();
    let out = stakeshift()
        .args([
            "compare",
            "--format",
            "csv",
            "--trajectory",
            &format!("path_{path}"),
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    first_row_npvs(&String::from_utf8(out.stdout).unwrap())
}

/// The npv_profit_share, npv_equity and npv_advantage of the first row of `compare`'s CSV.
fn first_row_npvs(csv: &str) -> [f64; 3] {
    let row = csv.lines().nth(1).expect("a row for the replayed path");
    let mut cells = row.split(',').skip(1).map(|c| c.parse::<f64>().unwrap());
    [(); 3].map(|()| cells.next().unwrap())
}

#[test]
fn replay_reruns_in_exact_decimals_to_the_paths_npvs() {
    let builtin = builtin_without_simulation();
    let tmp = tempfile::tempdir().unwrap();
    // With an AGI hazard, so that some paths have a drawn AGI year.
    let base = tmp.path().join("model.toml");
    let model_text = format!("{builtin}\n[simulation]\nagi_hazard = 0.05\nfailure_hazard = 0.02\n");
    std::fs::write(&base, &model_text).unwrap();
    let mut replayed = 0;
    for path in ["0", "1", "17", "123", "499"] {
        let out = stakeshift()
            .args([
                "simulate", "--paths", "500", "--seed", "9", "--replay", path,
            ])
            .arg(&base)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let replay = String::from_utf8(out.stdout).unwrap();
        if replay.contains("did not happen") || replay.contains("lapses (a failed company") {
            // compare runs every round and charges every commitment's shortfall: not
            // comparable by design (the replay says so).
            continue;
        }
        let want = replay_npvs(&replay);
        let got = rerun_replay(tmp.path(), &model_text, &replay, path);
        assert_npvs_agree(got, want, &format!("path {path}"));
        replayed += 1;
    }
    assert!(replayed >= 3, "only {replayed} paths could be replayed");
}

/// helper-265: a replay of a run with `--set`s said nothing of them, so that the rerun its
/// comment gave (`compare MODEL --trajectory path_0`) ran the file's stake, 56.5 bn off the
/// path's advantage; and giving `compare` every `--set` scales the table's valuations a
/// second time. The comment's command, run as a shell reads it, reruns the path to its
/// NPVs; the file's terms alone do not.
#[test]
fn regression_a_replay_gives_compare_the_runs_overrides_that_the_table_does_not_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("model.toml");
    let model_text = stakeshift::BUILTIN_MODEL;
    std::fs::write(&file, model_text).unwrap();
    let sets = [
        "equity.stake=0.4",
        "scale.valuation=1.5",
        "simulation.revenue_vol=0.3",
        "name=\"it's a what-if\"",
        "trajectories[base].agi_year=2031",
        // Over two lines, as TOML allows an array (helper-267: the second line fell
        // outside the comment).
        "investor.contributions=[ # as paid\n[2019, 1.0],\n [2021, 2.0], [2023, 10.0]]",
        // A renamed trajectory and the weights that name it (helper-268: the weights, left
        // out, named a trajectory the model no longer had).
        "trajectories[bull].name=\"b u l l\"",
        "simulation.weights={ base = 1.0, \"b u l l\" = 1.0 }",
    ];
    let (mut replayed, mut differed) = (0, 0);
    for path in ["0", "3", "11", "40"] {
        let mut simulate = stakeshift();
        simulate.args(["simulate", "--paths", "50", "--replay", path]);
        for set in sets {
            simulate.args(["--set", set]);
        }
        let out = simulate.arg(&file).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let replay = String::from_utf8(out.stdout).unwrap();
        assert!(
            replay.contains(
                "# Not given to `compare`, as it would act on the table too: `--set scale.valuation=1.5` (the table holds the path as the run drew it). A trajectory of the model that runs only with it takes it by name, `--set 'scale.valuation[NAME]=1.5'`.\n"
            ) && replay.contains(
                "# Simulated with `--set equity.stake=0.4`, `--set simulation.revenue_vol=0.3`, `--set name=\"it's a what-if\"`, `--set trajectories[base].agi_year=2031`, `--set investor.contributions=[[2019, 1.0], [2021, 2.0], [2023, 10.0]]`, `--set trajectories[bull].name=\"b u l l\"` and `--set simulation.weights={ base = 1.0, \"b u l l\" = 1.0 }`: `compare` needs them too (those of [simulation] change none of its NPVs, and are given so that the model reads as simulated).\n"
            ),
            "{replay}"
        );
        if replay.contains("did not happen") || replay.contains("lapses (a failed company") {
            continue; // not comparable by design (the replay says so)
        }
        let table = tmp.path().join(format!("replay_{path}.toml"));
        std::fs::write(&table, format!("{model_text}\n{replay}")).unwrap();
        let got = run_the_replays_command(&table, &replay);
        let want = replay_npvs(&replay);
        assert_npvs_agree(got, want, &format!("path {path}"));
        // Without the run's terms, another answer (on a path where the stake is worth
        // something): the overrides matter to this check.
        let plain = rerun_replay(tmp.path(), model_text, &replay, path);
        differed += usize::from((plain[1] - want[1]).abs() > 1.0);
        replayed += 1;
    }
    assert!(replayed >= 2, "only {replayed} paths could be replayed");
    assert!(differed >= 1, "no path's rerun needed the run's terms");

    // A derived key on every trajectory, which a trajectory needed to run (its round's
    // default pre-money below 0 unscaled): the comment says to give it by name, and so
    // given the command reruns the path (helper-271; given for every trajectory by name
    // in the command itself, it was placed wrongly past later `--set`s: helper-272).
    let raised = std::fs::read_to_string(crate::common::repo_path("docs/mini.toml"))
        .unwrap()
        .replacen("raise = 20.0", "raise = 300.0", 1);
    let raised_file = tmp.path().join("raised.toml");
    std::fs::write(&raised_file, &raised).unwrap();
    let replay = replay_of(
        &raised_file,
        &[
            "--paths",
            "20",
            "--replay",
            "0",
            "--set",
            "scale.valuation=2",
        ],
    );
    assert!(
        replay.contains("takes it by name, `--set 'scale.valuation[NAME]=2'`.\n")
            && replay.contains("stakeshift compare MODEL --trajectory path_0 --yearly\n"),
        "{replay}"
    );
    let both = tmp.path().join("raised_replay.toml");
    std::fs::write(&both, format!("{raised}\n{replay}")).unwrap();
    let by_name = replay.replace(
        "compare MODEL --trajectory",
        "compare MODEL --set 'scale.valuation[only]=2' --trajectory",
    );
    assert_npvs_agree(
        run_the_replays_command(&both, &by_name),
        replay_npvs(&replay),
        "raised",
    );

    // A derived key before `--set`s of the trajectories (values, a rename): left out, the
    // rest given in the run's order, and the command reruns the path (helper-272: given by
    // name at the end, it scaled a valuation set after it and a round could not run).
    let replay = replay_of(
        &mini_file_path(&tmp),
        &[
            "--paths",
            "8",
            "--replay",
            "0",
            "--set",
            "scale.valuation=0.5",
            "--set",
            "trajectories[only].valuation={ points = [[2024, 5.0], [2026, 30.0]] }",
            "--set",
            "trajectories[only].name=\"z\"",
        ],
    );
    let both = tmp.path().join("ordered_replay.toml");
    std::fs::write(
        &both,
        format!(
            "{}\n{replay}",
            std::fs::read_to_string(mini_file_path(&tmp)).unwrap()
        ),
    )
    .unwrap();
    assert_npvs_agree(
        run_the_replays_command(&both, &replay),
        replay_npvs(&replay),
        "ordered",
    );

    // A whole `trajectories` array would replace the table: not given, and said so.
    let replaced = replay_of(
        &mini_file_path(&tmp),
        &[
            "--paths",
            "5",
            "--replay",
            "0",
            "--set",
            "trajectories=[{ name = \"n1\", revenue = { points = [[2024, 40.0]] }, margin = { points = [[2024, 0.1]] }, valuation = { points = [[2024, 50.0]] } }]",
            "--set",
            "scale.revenue[n1]=1.5",
        ],
    );
    assert!(
        replaced.contains("# The run replaced the model's trajectories (`--set trajectories=...`), which given to `compare` would replace the table too: write them into the model in place of its own, then add the table.\n")
            && replaced.contains("stakeshift compare MODEL --set 'scale.revenue[n1]=1.5' --trajectory path_0 --yearly\n"),
        "{replaced}"
    );

    // A derived key of one trajectory by name is given again (helper-267: left out, the
    // round `bust` can run only so scaled refused the model `compare` was told to run).
    let rounded = tmp.path().join("rounded.toml");
    let text = format!("{model_text}\n[[equity.rounds]]\nyear = 2030\nraise = 200.0\n");
    std::fs::write(&rounded, &text).unwrap();
    let replay = replay_of(
        &rounded,
        &[
            "--paths",
            "20",
            "--replay",
            "3",
            "--set",
            "scale.valuation[bust]=3",
            "--set",
            "simulation.weights={ base = 1.0 }",
        ],
    );
    assert!(
        replay.contains("# Add this table to the model and run: stakeshift compare MODEL --set 'scale.valuation[bust]=3' --set 'simulation.weights={ base = 1.0 }' --trajectory path_3 --yearly\n"),
        "{replay}"
    );
    let both = tmp.path().join("rounded_replay.toml");
    std::fs::write(&both, format!("{text}\n{replay}")).unwrap();
    crate::common::succeeds(stakeshift().arg("compare").arg(&both).args([
        "--set",
        "scale.valuation[bust]=3",
        "--trajectory",
        "path_3",
    ]));
}

/// helper-269, -270: a `--set` whose value is a string holding a line break (a CSV file's
/// name) was written in the replay's command with `\u{a}`, no TOML escape, and one whose
/// path held a line break in its brackets broke the comment over lines. Both are written
/// on one line as TOML reads them: the comment stays comments, and its command reruns the
/// path.
#[test]
fn regression_a_replay_writes_line_breaks_in_a_set_on_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let model = std::fs::read_to_string(crate::common::repo_path("tests/bad/_valid_csv.toml"))
        .unwrap()
        .replacen(
            "until = { investor = 10.0 }",
            "until = { investor = 9.0 }",
            1,
        );
    let csv = std::fs::read(crate::common::repo_path("tests/bad/_valid_csv.csv")).unwrap();
    std::fs::write(tmp.path().join("p\nq.csv"), csv).unwrap();
    let file = tmp.path().join("m.toml");
    std::fs::write(&file, &model).unwrap();
    let replay = crate::common::succeeds(stakeshift().arg("simulate").arg(&file).args([
        "--paths",
        "5",
        "--replay",
        "0",
        "--set",
        "trajectories_csv=\"\"\"p\nq.csv\"\"\"",
        "--set",
        "profit_share.tiers[\nRecoup].until.investor=10.0",
    ]))
    .0;
    let (comments, table) = replay.split_at(replay.find("[[trajectories]]").unwrap());
    assert!(comments.lines().all(|l| l.starts_with('#')), "{comments}");
    assert!(
        comments.contains(
            "stakeshift compare MODEL --set 'trajectories_csv=\"p\\nq.csv\"' --set 'profit_share.tiers[ Recoup].until.investor=10.0' --trajectory path_0 --yearly\n"
        ),
        "{comments}"
    );
    let both = tmp.path().join("replay.toml");
    std::fs::write(&both, format!("{model}\n{table}")).unwrap();
    assert_npvs_agree(
        run_the_replays_command(&both, &replay),
        replay_npvs(&replay),
        "path 0",
    );
}

/// What `simulate MODEL ARGS` prints (a replay, with `--replay`).
fn replay_of(model: &Path, args: &[&str]) -> String {
    crate::common::succeeds(stakeshift().arg("simulate").arg(model).args(args)).0
}

/// docs/mini.toml written into `tmp` (once), for a test's runs.
fn mini_file_path(tmp: &tempfile::TempDir) -> PathBuf {
    let path = tmp.path().join("mini_copy.toml");
    if !path.exists() {
        std::fs::copy(crate::common::repo_path("docs/mini.toml"), &path).unwrap();
    }
    path
}

/// The command a replay's comment gives, run as a shell runs it with MODEL `model` (the
/// model with the table added) and `--format csv`: the NPVs of its first row.
fn run_the_replays_command(model: &Path, replay: &str) -> [f64; 3] {
    let line = replay
        .lines()
        .find_map(|l| {
            l.strip_prefix("# Add this table to the model and run: stakeshift compare MODEL")
        })
        .expect("the comment gives a command");
    let args = line.strip_suffix(" --yearly").unwrap();
    let run = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("\"$0\" compare \"$1\" {args} --format csv"))
        .arg(assert_cmd::cargo::cargo_bin("stakeshift"))
        .arg(model)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{args}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    first_row_npvs(&String::from_utf8(run.stdout).unwrap())
}

/// `got` (as `compare` prints them, to 6 places) and `want` (a replay's f64s) agree to
/// 1e-9 relative or 1e-6 absolute (SPEC 10).
fn assert_npvs_agree(got: [f64; 3], want: [f64; 3], what: &str) {
    let tolerance = 1e-6_f64.max(1e-9 * want[0].abs().max(want[1].abs()));
    for k in 0..3 {
        assert!(
            (got[k] - want[k]).abs() <= tolerance,
            "{what}: {got:?} vs {want:?}"
        );
    }
}

/// The built-in model's text up to its `[simulation]` section (its last), so that a test can
/// write its own.
fn builtin_without_simulation() -> String {
    let text = stakeshift::BUILTIN_MODEL;
    let end = text.find("\n[simulation]").unwrap_or(text.len());
    text[..end].to_string()
}

fn with_simulation(section: &str) -> PathBuf {
    let builtin = builtin_without_simulation();
    let dir = tempfile::tempdir().unwrap().keep();
    let file = dir.join("model.toml");
    std::fs::write(&file, format!("{builtin}\n[simulation]\n{section}\n")).unwrap();
    file
}

#[test]
fn bad_simulation_values_exit_2_naming_the_field() {
    for (section, field, hint) in [
        ("revnue_vol = 0.2", "revnue_vol", "revenue_vol"),
        (
            "revenue_vol = -0.1",
            "simulation.revenue_vol",
            "between 0 and 3",
        ),
        (
            "margin_persistence = 1.5",
            "simulation.margin_persistence",
            "between 0 and 1",
        ),
        (
            "failure_hazard = 2",
            "simulation.failure_hazard",
            "between 0 and 1",
        ),
        ("paths = 0", "simulation.paths", "whole number"),
        ("paths = 2.5", "simulation.paths", "whole number"),
        ("from_year = 1990", "simulation.from_year", "2019"),
        (
            "weights = { baes = 1.0 }",
            "simulation.weights.baes",
            "did you mean `base`",
        ),
        (
            "weights = { base = -1.0 }",
            "simulation.weights.base",
            "0 or more",
        ),
        (
            "weights = { base = 0.0 }",
            "simulation.weights",
            "greater than 0",
        ),
    ] {
        let file = with_simulation(section);
        let out = stakeshift()
            .args(["simulate", "--quiet"])
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{section}: {stderr}");
        assert!(stderr.contains(field), "{section}: {stderr}");
        assert!(stderr.contains(hint), "{section}: {stderr}");
    }
}

#[test]
fn paths_zero_and_a_replay_past_the_end_are_bad_usage() {
    let out = stakeshift()
        .args(["simulate", "--paths", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = stakeshift()
        .args(["simulate", "--paths", "10", "--replay", "10"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no path 10"));
    let out = stakeshift()
        .args(["simulate", "--paths-csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn trajectory_restricts_the_centers() {
    let out = stakeshift()
        .args([
            "simulate", "--paths", "200", "--format", "csv", "-t", "base", "-t", "bear",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let groups: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    // In the order asked (helper-153; it was the model's, bear before base).
    assert_eq!(groups, ["all", "base", "bear"]);
}

/// DKW: sup |F_n - F| < t with probability at least 1 - FALSE_ALARM for n draws (with
/// Massart's constant, the same bound as Hoeffding's for one share).
fn dkw(n: u64) -> f64 {
    hoeffding(n)
}

/// stakeshift against an independent vectorized numpy implementation of SPEC 10
/// (tests/reference/sim.py, written from the SPEC without reading src/; its results for a
/// million paths are in tests/reference/sim/*.json, made by gen_sim.py with numpy's own
/// random numbers). Two samples of the same distribution, compared without assuming its
/// shape: for each of stakeshift's percentiles x at level q, the reference's empirical CDF at
/// x (bracketed by its 1001 stored quantiles) must lie within the two samples' DKW bands of q;
/// P(equity wins), P(tie) and the shares of failed, AGI and round-losing paths within the
/// two Hoeffding bands. The means are held within Chebyshev's bound with the samples' own
/// sds (a coarse check: it catches a gross error, nothing finer).
#[test]
fn agrees_in_distribution_with_the_independent_numpy_simulation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let paths = 200_000u64;
    let mut checks = 0;
    for name in [
        "msft-openai",
        "hazards",
        "margin_cap",
        "weights",
        "skipped_round",
    ] {
        let reference: serde_json::Value = serde_json::from_slice(
            &std::fs::read(root.join(format!("tests/reference/sim/{name}.json"))).unwrap(),
        )
        .unwrap();
        let file = if name == "msft-openai" {
            root.join("models/msft-openai.toml")
        } else {
            root.join(format!("tests/reference/sim/{name}.toml"))
        };
        let model = stakeshift::io::load_model(Some(&file)).unwrap().model;
        // Without the fan sample, every path starts from its center's fixed years (the fast
        // path); with it, the first 100,000 would be full runs.
        let options = Options {
            paths,
            seed: 11,
            selected: None,
            fan: false,
        };
        let ours = simulate::run(&model, &options, &|_| {}).unwrap();
        let n_ref = reference["paths"].as_u64().unwrap();
        let share = |count: u64, total: u64| count as f64 / total as f64;
        let band = hoeffding(paths) + hoeffding(n_ref);
        for (what, mine, theirs) in [
            (
                "failed",
                share(ours.events().failed, paths),
                share(reference["failed"].as_u64().unwrap(), n_ref),
            ),
            (
                "reached AGI",
                share(ours.events().reached_agi, paths),
                share(reference["reached_agi"].as_u64().unwrap(), n_ref),
            ),
            (
                "lost a round",
                share(ours.events().paths_with_skipped_rounds, paths),
                share(
                    reference["paths_with_rounds_skipped"].as_u64().unwrap(),
                    n_ref,
                ),
            ),
        ] {
            assert!(
                (mine - theirs).abs() < band,
                "{name}: share of paths that {what}: {mine} vs the reference's {theirs}"
            );
            checks += 1;
        }
        for group in &ours.groups {
            let theirs = &reference["groups"][&group.name];
            let n_theirs = theirs["paths"].as_u64().unwrap();
            // A center's share of the paths is itself a draw.
            assert!(
                (share(group.paths, paths) - share(n_theirs, n_ref)).abs() < band,
                "{name}/{}: {} paths of {paths} vs {n_theirs} of {n_ref}",
                group.name,
                group.paths
            );
            let band = hoeffding(group.paths) + hoeffding(n_theirs);
            for (what, mine, theirs) in [
                (
                    "P(equity wins)",
                    group.p_equity_wins(),
                    theirs["p_equity_wins"].as_f64().unwrap(),
                ),
                ("P(tie)", group.p_tie(), theirs["p_tie"].as_f64().unwrap()),
            ] {
                assert!(
                    (mine - theirs).abs() < band,
                    "{name}/{}: {what} {mine} vs the reference's {theirs}",
                    group.name
                );
                checks += 1;
            }
            let cdf_band = dkw(group.paths) + dkw(n_theirs) + 1.0 / group.paths as f64;
            for (quantity, summary) in [
                ("npv_profit_share", group.npv_profit_share),
                ("npv_equity", group.npv_equity),
                ("npv_advantage", group.npv_advantage),
            ] {
                let summary = summary.unwrap();
                let grid: Vec<f64> = theirs[quantity]["quantiles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect();
                assert_eq!(grid.len(), 1001);
                let steps = (grid.len() - 1) as f64;
                for (q, x) in stats_quantiles().into_iter().zip(summary.percentiles) {
                    // The reference's quantile at level j / 1000 below x puts F(x) at or
                    // above j / 1000 (less one path); one above x puts it at or below.
                    // Values equal but for rounding (an atom of the distribution, such as
                    // every failed path's NPV, computed in another order) count as equal.
                    let tol = 1e-9 * x.abs().max(1.0);
                    let below = grid
                        .iter()
                        .rposition(|g| *g < x - tol)
                        .map_or(0.0, |j| j as f64 / steps);
                    let above = grid
                        .iter()
                        .position(|g| *g > x + tol)
                        .map_or(1.0, |j| j as f64 / steps);
                    let slack = cdf_band + 1.0 / n_theirs as f64;
                    assert!(
                        below - slack <= q && q <= above + slack,
                        "{name}/{}: {quantity} p{}: stakeshift's {x} is at the reference's \
                         levels {below}..{above}, not within {slack:.4} of {q}",
                        group.name,
                        q * 100.0
                    );
                    checks += 1;
                }
                // Chebyshev on the difference of two independent means, whose variance is
                // sd^2 (1/n + 1/m): |difference| < sd sqrt((1/n + 1/m) / alpha) with
                // probability 1 - alpha. The sd is the larger of the two samples' (an
                // assumption, as no bound on a mean can be had without one on the spread:
                // hence the percentiles above are the test, this a check for gross errors).
                let sd = summary.sd.max(theirs[quantity]["sd"].as_f64().unwrap());
                let mean_band =
                    sd * ((1.0 / group.paths as f64 + 1.0 / n_theirs as f64) / FALSE_ALARM).sqrt();
                let their_mean = theirs[quantity]["mean"].as_f64().unwrap();
                assert!(
                    (summary.mean - their_mean).abs() <= mean_band + 1e-9,
                    "{name}/{}: {quantity} mean {} vs the reference's {their_mean}",
                    group.name,
                    summary.mean
                );
            }
        }
    }
    assert!(checks > 300, "{checks}");
}

fn stats_quantiles() -> [f64; 5] {
    simulate::stats::QUANTILES
}

/// A trajectories_csv center with a loss in a year without revenue (2023), the first random
/// year 2021, loss carryforward on.
const ZERO_REVENUE_CSV: &str = "trajectory,year,revenue,profit,valuation\n\
t,2020,100,10,50\nt,2021,80,-12.5,50\nt,2022,90,9,60\nt,2023,0,-5,40\nt,2024,120,30,70\n";

fn zero_revenue_model(revenue_vol: &str, margin_vol: &str) -> String {
    format!(
        "trajectories_csv = \"t.csv\"\nname = \"tiny\"\nunit = \"X\"\nstart_year = 2020\n\
         end_year = 2024\nvaluation_year = 2022\ndiscount_rate = 0.1\n\n\
         [investor]\nparty = \"inv\"\ncontributions = [[2020, 10.0]]\n\n\
         [profit_share]\nresidual = \"np\"\nloss_carryforward = true\n\n\
         [[profit_share.tiers]]\nname = \"t1\"\nshares = {{ inv = 0.5 }}\n\n\
         [equity]\nfrom_year = 2022\nstake = 0.2\n\n\
         [simulation]\nfrom_year = 2021\nrevenue_vol = {revenue_vol}\nmargin_vol = {margin_vol}\n\
         valuation_vol = 0.0\n"
    )
}

/// Regression (found by a tester working from the SPEC alone): for a trajectories_csv center,
/// SPEC 10.3 takes margin^c = profit^c / revenue^c, 0 where revenue is 0, and profit =
/// revenue * margin; the simulation kept the center's own profit there instead (a loss
/// without revenue), so `--replay`'s table (revenue and margin) reran in `compare` to other
/// NPVs than the path's. By hand, every vol 0: profits 10 (2020, the center's own), -12.5,
/// 9, 0 (not -5), 30; the carried loss 12.5 - 9 = 3.5 leaves 26.5 distributable in 2024;
/// the investor's half: 5 in 2020 (less 10 paid in) and 13.25 in 2024, so npv_profit_share
/// = -5 * 1.21 + 13.25 / 1.21 = 4.900413. (`compare` of the center itself keeps its -5, as
/// its file says: here the path parts from its center, as with a center margin above 1.)
#[test]
fn regression_a_csv_centers_year_without_revenue_has_no_profit_on_its_paths() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("t.csv"), ZERO_REVENUE_CSV).unwrap();
    let still = tmp.path().join("still.toml");
    std::fs::write(&still, zero_revenue_model("0.0", "0.0")).unwrap();
    let out = stakeshift()
        .args(["simulate", "--paths", "3", "--format", "csv"])
        .arg(&still)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let all = csv.lines().find(|l| l.starts_with("all,")).unwrap();
    let cells: Vec<&str> = all.split(',').collect();
    // npv_profit_share mean and p50.
    assert_eq!((cells[5], cells[9]), ("4.900413", "4.900413"), "{csv}");

    // With vols, each path's replay reruns in `compare` to the path's NPVs.
    let moving = tmp.path().join("moving.toml");
    let model_text = zero_revenue_model("0.2", "0.05");
    std::fs::write(&moving, &model_text).unwrap();
    for path in 0..6 {
        let replay = replay_text(&moving, "6", &path.to_string());
        let want = replay_npvs(&replay);
        let row = rerun_replay(tmp.path(), &model_text, &replay, path);
        for k in 0..3 {
            // compare prints 6 places.
            assert!(
                (row[k] - want[k]).abs() <= 5.1e-7 + 1e-9 * want[k].abs(),
                "path {path}: compare {row:?}, the path {want:?}"
            );
        }
    }
}

/// Regression (found by a tester working from the SPEC alone): a path whose company fails
/// before its cloud commitment ends lets the commitment's unmet part lapse (SPEC 13), which
/// `compare` of the replayed table cannot know (it charges the shortfall), and the replay
/// said nothing. It now says so, as it does for rounds that did not happen.
#[test]
fn regression_a_replay_says_when_a_cloud_commitment_lapsed_on_its_path() {
    let tmp = tempfile::tempdir().unwrap();
    let model_text = |simulation: &str| {
        format!(
            "{}\n[simulation]\n{simulation}\n",
            builtin_without_simulation()
        )
    };
    let replay_of = |simulation: &str| -> String {
        let file = tmp.path().join("model.toml");
        std::fs::write(&file, model_text(simulation)).unwrap();
        replay_text(&file, "10", "0")
    };
    // The built-in model's commitment runs 2026-2032 (equity.cloud).
    let failing = replay_of("failure_hazard = 0.9");
    let failed: i32 = failing
        .lines()
        .find_map(|l| l.strip_prefix("# The company fails in "))
        .and_then(|rest| rest.get(..4))
        .and_then(|y| y.parse().ok())
        .expect("path 0 fails");
    assert!(failed <= 2032, "{failing}");
    assert!(
        failing.contains("last year of the equity stake's (2032) cloud commitment")
            && failing.contains("what is left of it lapses"),
        "{failing}"
    );
    // helper-281: and how to rerun the path as drawn; followed, `compare` gives its NPVs.
    let set = "--set equity.cloud.commitment.total=0";
    assert!(
        failing.contains(&format!("(with `{set}` it charges none, as the path did)")),
        "{failing}"
    );
    let file = tmp.path().join("with_path.toml");
    std::fs::write(
        &file,
        format!("{}\n{failing}", model_text("failure_hazard = 0.9")),
    )
    .unwrap();
    let (csv, _) = crate::common::succeeds(
        stakeshift()
            .args(["compare", "--format", "csv", "--trajectory", "path_0"])
            .args(set.split(' '))
            .arg(&file),
    );
    let (rerun, drawn) = (first_row_npvs(&csv), replay_npvs(&failing));
    for (a, b) in rerun.iter().zip(drawn) {
        assert!(
            (a - b).abs() <= 1e-6 * (1.0 + b.abs()),
            "{rerun:?} {drawn:?}"
        );
    }
    let lasting = replay_of("failure_hazard = 0.0");
    assert!(!lasting.contains("commitment"), "{lasting}");
}

/// Found by a tester from the SPEC: a seed above 1e18 in the file ("a 64-bit seed") was
/// refused by the bound on a model's amounts, while the error for a negative one said
/// "from 0 to 9223372036854775807". Whole numbers are now taken whatever their size, within
/// the field's own range; the file's seed runs as the same seed on the command line.
#[test]
fn regression_a_seed_above_1e18_in_the_file_is_taken() {
    let seed = "9223372036854775807";
    let file = with_simulation(&format!("paths = 50\nseed = {seed}"));
    let from_file = stakeshift()
        .args(["simulate", "--quiet", "--format", "csv"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        from_file.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_file.stderr)
    );
    let from_flag = stakeshift()
        .args(["simulate", "--quiet", "--format", "csv", "--seed", seed])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(from_file.stdout, from_flag.stdout);
    // Outside the range, the message gives the range the file takes.
    let file = with_simulation("seed = -3");
    let out = stakeshift()
        .args(["simulate", "--quiet"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("simulation.seed") && stderr.contains("from 0 to 9223372036854775807"),
        "{stderr}"
    );
    // Where a larger seed goes (helper-160: `--seed` takes up to 2^64 - 1, unsaid), said of
    // a larger seed only (helper-161: not of -3).
    let note =
        "(TOML's largest integer; `--seed` takes any 64-bit seed, up to 18446744073709551615)";
    assert!(!stderr.contains(note), "{stderr}");
    for larger in ["seed = 9223372036854775808", "seed = 1e19"] {
        let out = stakeshift()
            .args(["simulate", "--quiet"])
            .arg(with_simulation(larger))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(note), "{larger}: {stderr}");
    }
}

/// Runs `simulate --replay PATH` on `file` and returns the table, asserting success.
fn replay_text(file: &Path, paths: &str, path: &str) -> String {
    let out = stakeshift()
        .args(["simulate", "--paths", paths, "--replay", path])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Regression (found by a tester working from the SPEC alone): a trajectories_csv center's
/// loss in a year without revenue, before the first random year, is the path's own (SPEC 10
/// step 2: those years are the center's values, exactly), but the replay's table of revenue
/// and margin cannot carry it; `compare` reran the table to other NPVs and the replay said
/// nothing. It now names the year and the profit. By hand, every vol 0 and 2024 the first
/// random year, the path is its center: profits 10, -12.5, 9, -5, 30; the carried loss
/// 12.5 - 9 + 5 = 8.5 leaves 21.5 in 2024, the investor's half 10.75; 5 in 2020 less 10
/// paid in: npv_profit_share = -5 * 1.21 + 10.75 / 1.21 = 2.834298. The table has no
/// profit in 2023: carried 3.5, 26.5 in 2024, -6.05 + 13.25 / 1.21 = 4.900413.
#[test]
fn regression_a_replay_names_a_profit_without_revenue_that_its_table_cannot_carry() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("t.csv"), ZERO_REVENUE_CSV).unwrap();
    let model_text =
        zero_revenue_model("0.0", "0.0").replace("from_year = 2021", "from_year = 2024");
    let file = tmp.path().join("fixed.toml");
    std::fs::write(&file, &model_text).unwrap();
    let replay = replay_text(&file, "3", "1");
    assert!(
        replay.contains("# The path has amounts without revenue in 2023 (profit -5.0):"),
        "{replay}"
    );
    let want = replay_npvs(&replay);
    assert!((want[0] - 2.834298).abs() < 1e-6, "{want:?}");
    let rerun = rerun_replay(tmp.path(), &model_text, &replay, 1);
    assert_eq!(rerun[0], 4.900413);

    // From the first year on the path's own values are drawn (SPEC 10 step 3: no profit
    // where there is no revenue): nothing to say.
    let model_text = zero_revenue_model("0.2", "0.05");
    std::fs::write(&file, &model_text).unwrap();
    let replay = replay_text(&file, "3", "1");
    assert!(!replay.contains("without revenue"), "{replay}");
}

/// A small model with two rounds: 2023's pre-money the valuation minus the raise, 2024's
/// given; the company worth 5 in 2023, less than that round's raise of 10.
fn rounds_model(simulation: &str) -> String {
    format!(
        "name = \"rounds\"\nunit = \"X\"\nstart_year = 2020\nend_year = 2024\n\
         valuation_year = 2021\ndiscount_rate = 0.1\n\n\
         [investor]\nparty = \"inv\"\ncontributions = [[2020, 10.0]]\n\n\
         [profit_share]\nresidual = \"np\"\n\n\
         [[profit_share.tiers]]\nname = \"t1\"\nshares = {{ inv = 0.5 }}\n\n\
         [equity]\nfrom_year = 2022\nstake = 0.2\n\n\
         [[equity.rounds]]\nyear = 2023\nraise = 10.0\n\n\
         [[equity.rounds]]\nyear = 2024\nraise = 5.0\npre_money = 100.0\nparticipation = 1.0\n\n\
         [[trajectories]]\nname = \"c\"\n\
         revenue = {{ points = [[2020, 50.0]] }}\nmargin = {{ points = [[2020, 0.2]] }}\n\
         valuation = {{ points = [[2020, 40.0], [2022, 40.0], [2023, 5.0], [2024, 60.0]] }}\n\n\
         [simulation]\nrevenue_vol = 0.0\nmargin_vol = 0.0\nvaluation_vol = 0.0\n{simulation}\n"
    )
}

/// Regression (helper-272): the replay's note on a trajectory `compare` refuses quoted a
/// long name whole, and then shortened inside the error it gave in parentheses.
#[test]
fn regression_a_refused_trajectorys_long_name_is_quoted_shortened_in_the_replay() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("rounds.toml");
    let long = "c".repeat(150);
    let model = rounds_model("").replace("name = \"c\"", &format!("name = \"{long}\""));
    std::fs::write(&file, &model).unwrap();
    let replay = replay_text(&file, "2", "0");
    let short = format!("{}... (150 characters)", "c".repeat(60));
    let note = replay
        .lines()
        .find(|l| l.starts_with("# `compare` refuses this model"))
        .unwrap_or_else(|| panic!("{replay}"));
    assert!(
        note.starts_with(&format!(
            "# `compare` refuses this model as it is, whichever trajectories it is asked for: trajectory `{short}` cannot run ("
        )),
        "{note}"
    );
    assert!(!note.contains(&long), "{note}");
}

/// Found by a tester working from the SPEC alone: a replayed path that lost a round said
/// `compare` "will differ", but where the round's pre-money is the valuation minus the raise
/// `compare` refuses the table (SPEC 6's error), and the replay did not say which rounds.
/// It now names them, why each did not happen, and what `compare` does with each; and
/// without them the table reruns to the path's NPVs.
#[test]
fn a_replay_names_the_rounds_that_did_not_happen_and_what_compare_does_with_them() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("rounds.toml");
    // Every path fails in 2023, its first random year: neither round happens.
    let failing = rounds_model("from_year = 2023\nfailure_hazard = 1.0");
    std::fs::write(&file, &failing).unwrap();
    let replay = replay_text(&file, "2", "0");
    assert!(
        replay.contains(
            "# Funding rounds that did not happen on this path: equity.rounds[0] (2023, the company had failed), equity.rounds[1] (2024, the company had failed). `compare` runs every round: on this table it stops with an error at those whose pre-money is the valuation minus the raise. To rerun the path as simulated, remove them from a copy of the model."
        ),
        "{replay}"
    );
    // What it says `compare` does: it stops at round 0...
    let with_rounds = tmp.path().join("with_rounds.toml");
    std::fs::write(&with_rounds, format!("{failing}\n{replay}")).unwrap();
    let out = stakeshift()
        .args(["compare", "--trajectory", "path_0"])
        .arg(&with_rounds)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("equity.rounds[0]: in trajectory `path_0`, year 2023"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The center itself (worth 5 in 2023 against a raise of 10) is one `compare` refuses,
    // which `simulate` runs (SPEC 10.6): the replay says the table needs a model without it.
    assert!(
        replay.contains("# `compare` refuses this model as it is, whichever trajectories it is asked for: trajectory `c` cannot run (equity.rounds[0]: in trajectory `c`, year 2023:"),
        "{replay}"
    );
    // ...and without the rounds it gives the path's NPVs.
    let start = failing.find("[[equity.rounds]]").unwrap();
    let end = failing.find("[[trajectories]]").unwrap();
    let without = format!("{}{}", &failing[..start], &failing[end..]);
    let want = replay_npvs(&replay);
    let got = rerun_replay(tmp.path(), &without, &replay, 0);
    for k in 0..3 {
        assert!((got[k] - want[k]).abs() <= 5.1e-7, "{got:?} vs {want:?}");
    }

    // Without failures, the 2023 round has no positive pre-money (5 - 10) and the 2024 one
    // happens: one round named, and `compare` stops at it.
    std::fs::write(&file, rounds_model("from_year = 2023")).unwrap();
    let replay = replay_text(&file, "2", "0");
    assert!(
        replay.contains(
            "# Funding rounds that did not happen on this path: equity.rounds[0] (2023, no positive pre-money value). `compare` runs every round: on this table it stops with an error at it (its pre-money, the valuation minus the raise, is not positive). To rerun the path as simulated, remove it from a copy of the model."
        ),
        "{replay}"
    );
    // The built-in model's paths without failures keep their 2026 round: nothing to say.
    let file = with_simulation("failure_hazard = 0.0");
    assert!(!replay_text(&file, "5", "3").contains("did not happen"));
}

/// Found by a tester working from the SPEC alone: with valuation_year = end_year the default
/// first random year (valuation_year + 1) lies past the horizon, and the run silently had
/// nothing random (a from_year given outside the model's years is an error).
#[test]
fn simulate_and_check_warn_when_the_default_first_random_year_is_past_the_horizon() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("late.toml");
    let text = rounds_model("")
        .replace("valuation_year = 2021", "valuation_year = 2024")
        .replace("revenue_vol = 0.0", "revenue_vol = 0.3");
    std::fs::write(&file, &text).unwrap();
    let out = stakeshift()
        .args(["simulate", "--paths", "20", "--quiet"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".toml, line ") && stderr.contains(": simulation.from_year: the first random year defaults to valuation_year + 1 = 2025, after end_year 2024: no year is random"),
        "{stderr}"
    );
    // With a first random year inside the model, no warning.
    let out = stakeshift()
        .args([
            "simulate",
            "--paths",
            "20",
            "--quiet",
            "--set",
            "simulation.from_year=2024",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("from_year"));
    // `check` says it too (found by a review: it was simulate's only), and describes it;
    // on the model with its 2023 round given a pre-money value (else `check` refuses it).
    let checked = tmp.path().join("checked.toml");
    std::fs::write(
        &checked,
        text.replace("raise = 10.0\n", "raise = 10.0\npre_money = 50.0\n"),
    )
    .unwrap();
    let out = stakeshift().arg("check").arg(&checked).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".toml, line ") && stderr.contains(": simulation.from_year: the first random year defaults to valuation_year + 1 = 2025, after end_year 2024"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("seed 0, no random year (the first would be 2025, after end_year)"),
        "{stdout}"
    );
}

/// Found by a review: a trajectories_csv compute spend in a year without revenue (before the
/// first random year) is the path's own, but the replay's spend ratio there is 0, so
/// `compare` of the table loses those purchases; the replay now names it too.
#[test]
fn a_replay_names_a_compute_spend_without_revenue() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = ZERO_REVENUE_CSV
        .replace("valuation\n", "valuation,cloud_spend\n")
        .replace(",50\nt,2021", ",50,5\nt,2021")
        .replace(",50\nt,2022", ",50,4\nt,2022")
        .replace(",60\nt,2023", ",60,4\nt,2023")
        .replace(",40\nt,2024", ",40,2\nt,2024")
        .replace(",70\n", ",70,6\n");
    std::fs::write(tmp.path().join("t.csv"), csv).unwrap();
    let text = zero_revenue_model("0.0", "0.0").replace("from_year = 2021", "from_year = 2024")
        + "\n[cloud]\nmargin = 0.3\nspend = { points = [[2020, 0.1]] }\n\
           [profit_share.cloud]\nshare = { points = [[2020, 1.0]] }\n";
    let file = tmp.path().join("cloud.toml");
    std::fs::write(&file, &text).unwrap();
    let replay = replay_text(&file, "2", "0");
    assert!(
        replay.contains(
            "# The path has amounts without revenue in 2023 (profit -5.0, compute spend 2.0):"
        ),
        "{replay}"
    );
}

/// helper-37's note: where SPEC 10 step 3 makes a center's paths part from it whatever the
/// vols (a margin above 1 held at 1; a trajectories_csv profit without revenue dropped), a
/// user who sets every vol to 0 to see `compare`'s numbers got different ones silently.
/// `simulate` now says which center and years; a model without either says nothing.
#[test]
fn simulate_warns_where_spec_10_parts_a_path_from_its_center() {
    let stderr = |args: &[&str]| crate::common::succeeds(stakeshift().args(args)).1;
    let quiet = ["simulate", "--paths", "20", "--quiet"];
    assert!(!stderr(&quiet).contains("warning"));
    // base's margin 1.5 in every year: the 20 random years 2026 to 2045.
    let set = ["--set", "trajectories[base].margin.points=[[2020, 1.5]]"];
    let e = stderr(&[&quiet[..], &set[..]].concat());
    assert!(
        e.contains("center `base` has a margin above 1 in 2026, 2027, 2028 and 17 more years"),
        "{e}"
    );
    // A center named `all`, as simulation.csv's group of every path (helper-40).
    let e = stderr(
        &[
            &quiet[..],
            &[
                "--set",
                "trajectories[bust].name=\"all\"",
                "--set",
                "simulation.weights={ all = 1, base = 1 }",
            ][..],
        ]
        .concat(),
    );
    assert!(e.contains("a trajectory is named `all`"), "{e}");
    // A trajectory chosen by -t but weighted 0 is never drawn and has no row: said, with the
    // way to draw it (helper-158); not where it is weighted, nor where every chosen one is 0
    // (the run fails and says that).
    let zero = ["--set", "simulation.weights={ base = 1, bear = 0 }"];
    let (out, e) = crate::common::succeeds(
        stakeshift().args(
            [
                &quiet[..],
                &zero[..],
                &["-t", "base", "-t", "bear", "--format", "csv"][..],
            ]
            .concat(),
        ),
    );
    assert!(
        e.contains("--trajectory `bear`: its weight in `simulation.weights` is 0, so no path is drawn around it and simulation.csv has no row for it; give it a weight to simulate it (--set 'simulation.weights.bear=1')"),
        "{e}"
    );
    assert!(!out.contains("\nbear,"), "{out}");
    assert!(!e.contains("--trajectory `base`"), "{e}");
    assert!(!stderr(&[&quiet[..], &zero[..], &["-t", "base"][..]].concat()).contains("warning"));
    let e = crate::common::fails_with_2(
        stakeshift().args([&quiet[..], &zero[..], &["-t", "bear"][..]].concat()),
    );
    assert!(
        e.contains("every chosen trajectory has weight 0") && !e.contains("--trajectory `bear`:"),
        "{e}"
    );
    // Not a center when --trajectory leaves it out.
    let e = stderr(&[&quiet[..], &set[..], &["-t", "bear"][..]].concat());
    assert!(!e.contains("margin above 1"), "{e}");

    // A trajectories_csv center with a profit of 0.4 and no revenue in 2027 (a random
    // year: from_year defaults to valuation_year + 1 = 2023), and profit above revenue in
    // 2029 and 2030.
    let dir = std::env::temp_dir().join(format!("stakeshift-departures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model =
        std::fs::read_to_string(crate::common::repo_path("tests/bad/_valid_csv.toml")).unwrap();
    std::fs::write(dir.join("m.toml"), model.replace("_valid_csv.csv", "m.csv")).unwrap();
    let mut csv = String::from("trajectory,year,revenue,profit,valuation\n");
    for (year, revenue, profit) in [
        (2020, 1.0, 0.0),
        (2021, 2.0, 0.1),
        (2022, 3.0, 0.2),
        (2023, 4.0, 0.3),
        (2024, 5.0, 0.4),
        (2025, 6.0, 0.5),
        (2026, 7.0, 0.6),
        (2027, 0.0, 0.4),
        (2028, 9.0, 0.8),
        (2029, 1.0, 2.0),
        (2030, 1.0, 3.0),
    ] {
        csv.push_str(&format!("fromcsv,{year},{revenue},{profit},100.0\n"));
    }
    std::fs::write(dir.join("m.csv"), csv).unwrap();
    let m = dir.join("m.toml");
    let e = stderr(&[&quiet[..], &[m.to_str().unwrap()][..]].concat());
    assert!(
        e.contains("center `fromcsv` has a profit without revenue in 2027"),
        "{e}"
    );
    assert!(
        e.contains("center `fromcsv` has a margin above 1 in 2029 and 2030"),
        "{e}"
    );
    assert!(!e.contains("center `base`"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// helper-47's find: paths of 500 years with yearly shocks of sd 3 take values near 1e300;
/// the fan chart's dashed mean, far off its axis, was cut into more dashes than memory
/// holds (an abort, or the OS killing the run after a minute). Lines are now dashed only
/// within a margin around the plot.
#[test]
fn regression_a_fan_far_off_its_axis_is_drawn_in_bounded_memory() {
    let dir = crate::common::ScratchDir::new("fan-far");
    let model = crate::common::write_file(
        &dir,
        "far.toml",
        r#"name = "far"
unit = "X"
start_year = 1600
end_year = 2099
valuation_year = 2099
discount_rate = 0.0
investor = { party = "inv", contributions = [[1600, 1.0]] }
equity = { from_year = 1600, stake = 0.2 }
simulation = { revenue_vol = 3, valuation_vol = 3, margin_vol = 3, from_year = 1601 }
[profit_share]
residual = "res"
tiers = [{ name = "t1", shares = { inv = 0.5 } }]
[[trajectories]]
name = "one"
revenue = { points = [[1600, 100.0]] }
margin = { points = [[1600, 0.1]] }
valuation = { points = [[1600, 1000.0]] }
"#,
    );
    let out = dir.join("out");
    let started = std::time::Instant::now();
    stakeshift()
        .arg("simulate")
        .arg(&model)
        .args(["--paths", "5", "--quiet", "--out"])
        .arg(&out)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    assert!(out.join("fan.png").exists() && out.join("simulation.csv").exists());
    // Well under the minute the unbounded dashing ran before it was killed.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

/// Found by a tester with an independent simulation (helper-49): when a failed path lapsed
/// the cloud commitments of both regimes, `--replay`'s note named only the later one, so a
/// reader comparing `compare`'s rerun with the path could not tell why the profit share's
/// NPV differed too. Every path fails in 2024 here (a hazard of 1), before both commitments'
/// last years.
#[test]
fn regression_replay_names_every_lapsed_commitment() {
    let dir = crate::common::ScratchDir::new("lapsed");
    let model = |profit_share_commitment: &str| {
        format!(
            r#"name = "Lapses"
unit = "USD bn"
start_year = 2020
end_year = 2036
valuation_year = 2023
discount_rate = 0.09
investor = {{ party = "cl", contributions = [[2020, 3.0]] }}
[profit_share]
residual = "np"
tiers = [{{ name = "only", shares = {{ cl = 0.4 }} }}]
[profit_share.cloud]
share = {{ points = [[2020, 1.0]] }}
{profit_share_commitment}
[equity]
from_year = 2024
stake = 0.25
[equity.cloud]
share = {{ points = [[2024, 0.6]] }}
commitment = {{ total = 80.0, from = 2025, until = 2031 }}
[cloud]
margin = 0.3
spend = {{ points = [[2020, 0.8]] }}
[simulation]
failure_hazard = 1.0
[[trajectories]]
name = "only"
revenue = {{ points = [[2020, 1.0], [2030, 15.0]] }}
margin = {{ points = [[2020, -1.0], [2030, 0.1]] }}
valuation = {{ points = [[2020, 20.0], [2030, 80.0]] }}
"#
        )
    };
    let replay = |text: &str| {
        let path = crate::common::write_file(dir.path(), "m.toml", text);
        let mut cmd = stakeshift();
        crate::common::succeeds(
            cmd.arg("simulate")
                .arg(&path)
                .args(["--paths", "3", "--replay", "1"]),
        )
        .0
    };
    let both = replay(&model(
        "commitment = { total = 40.0, from = 2026, until = 2029 }",
    ));
    assert!(
        both.contains("# The company fails by the last year of the profit share's (2029) and the equity stake's (2031) cloud commitments: on this path what is left of each lapses"),
        "{both}"
    );
    let one = replay(&model(""));
    assert!(
        one.contains("# The company fails by the last year of the equity stake's (2031) cloud commitment: on this path what is left of it lapses"),
        "{one}"
    );
}

/// helper-266: the replay's `description` dropped the quotes and backslashes of its
/// center's name (`q"uo\te` became `quote`, another name). It is written as TOML needs it,
/// and reads back as the name.
#[test]
fn regression_a_replay_describes_its_center_by_its_name_as_it_is() {
    let dir = crate::common::ScratchDir::new("replay-quoted-center");
    let mini = std::fs::read_to_string(crate::common::repo_path("docs/mini.toml")).unwrap();
    for name in [r#"q"uo\te"#, "it's", r#"both ' and ""#, "plain"] {
        let text = mini.replacen(
            "name = \"only\"",
            &format!("name = {}", toml_edit::Value::from(name)),
            1,
        );
        assert_ne!(text, mini);
        let model = crate::common::write_file(dir.path(), "m.toml", &text);
        let replay = crate::common::succeeds(
            stakeshift()
                .arg("simulate")
                .arg(&model)
                .args(["--paths", "3", "--replay", "0"]),
        )
        .0;
        let table = &replay[replay.find("[[trajectories]]").unwrap()..];
        let read: toml::Table = toml::from_str(table).unwrap();
        let description = read["trajectories"][0]["description"].as_str().unwrap();
        assert_eq!(
            description,
            format!("simulated path 0 (seed 0) around `{name}`"),
            "{replay}"
        );
    }
}

/// The replayed trajectory was always named `path_N`: appended to a model that has a
/// trajectory of that name, `compare` refused the file (two trajectories of one name). It
/// takes the next free name, `path_N_replay`.
#[test]
fn regression_a_replay_does_not_take_a_name_the_model_has() {
    let builtin = builtin_without_simulation();
    assert!(builtin.contains("name = \"bust\""));
    let model_text = format!(
        "{}\n[simulation]\nrevenue_vol = 0.2\n",
        builtin.replacen("name = \"bust\"", "name = \"path_3\"", 1)
    );
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("model.toml");
    std::fs::write(&base, &model_text).unwrap();
    let replay = stdout_of(
        stakeshift()
            .args(["simulate", "--paths", "10", "--replay", "3"])
            .arg(&base),
    );
    assert!(replay.contains("name = \"path_3_replay\""), "{replay}");
    let file = tmp.path().join("with_replay.toml");
    std::fs::write(&file, format!("{model_text}\n{replay}")).unwrap();
    stdout_of(
        stakeshift()
            .args([
                "compare",
                "--trajectory",
                "path_3_replay",
                "--format",
                "csv",
            ])
            .arg(&file),
    );
}

/// A center drawn on no path left every statistics key out of its JSON group
/// (`{"group": "bust", "paths": 0}`), so the keys of a group depended on the draws; it has
/// them all, each null, as compare's JSON has null for an empty value (a black-box audit).
#[test]
fn regression_a_center_on_no_path_has_every_json_key_null() {
    let out = stakeshift()
        .args(["simulate", "--paths", "1", "--format", "json", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = doc["groups"].as_array().unwrap();
    let keys =
        |g: &serde_json::Value| -> Vec<String> { g.as_object().unwrap().keys().cloned().collect() };
    let drawn = groups
        .iter()
        .find(|g| g["paths"] == 1 && g["group"] != "all");
    let empty: Vec<_> = groups.iter().filter(|g| g["paths"] == 0).collect();
    assert!(!empty.is_empty() && drawn.is_some(), "{doc}");
    for g in empty {
        assert_eq!(keys(g), keys(drawn.unwrap()), "{g}");
        assert!(
            g["p_equity_wins"].is_null() && g["p_equity_wins_95"].is_null(),
            "{g}"
        );
        let stats = g["npv_advantage"].as_object().unwrap();
        assert_eq!(stats.len(), 7, "{g}");
        assert!(stats.values().all(|v| v.is_null()), "{g}");
    }
}

/// helper-75: a path whose f64 advantage is the double nearest 0.0000005 (just below it)
/// printed an advantage of 0.000000 beside the winner `equity`, and was no tie in
/// `simulation.csv`. Every path here is its center (from_year is after end_year): stake 1
/// of a valuation of 0.0000005 against a profit share of nothing.
#[test]
fn regression_a_path_printed_with_an_advantage_of_zero_is_a_tie() {
    let tmp = tempfile::tempdir().unwrap();
    let model = crate::common::write_file(
        tmp.path(),
        "tie.toml",
        r#"name = "tie"
unit = "USD"
start_year = 2020
end_year = 2021
valuation_year = 2021
discount_rate = 0.0
[investor]
party = "inv"
[profit_share]
residual = "r"
[[profit_share.tiers]]
name = "t"
shares = { inv = 0.5 }
[equity]
from_year = 2020
stake = 1.0
[[trajectories]]
name = "a"
revenue = { points = [[2020, 1.0]] }
margin = { points = [[2020, 0.0]] }
valuation = { points = [[2020, 0.0000005]] }
"#,
    );
    let out = tmp.path().join("out");
    stakeshift()
        .arg("simulate")
        .arg(&model)
        .args(["--paths", "2", "--paths-csv", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let paths = crate::common::read_csv(&out.join("paths.csv")).unwrap();
    let (advantage, winner) = (
        paths.column("npv_advantage").unwrap(),
        paths.column("winner").unwrap(),
    );
    for row in &paths.rows {
        assert_eq!((&*row[advantage], &*row[winner]), ("0.000000", "tie"));
    }
    let groups = crate::common::read_csv(&out.join("simulation.csv")).unwrap();
    let all = &groups.rows[0];
    let column = |name: &str| &all[groups.column(name).unwrap()];
    assert_eq!(column("group"), "all");
    assert_eq!(column("p_tie").parse::<f64>().unwrap(), 1.0);
    assert_eq!(column("p_equity_wins").parse::<f64>().unwrap(), 0.0);
}

/// helper-78: `--paths` or `--seed` past 2^64 - 1 was told "number too large to fit in
/// target type", with no range; now every bad value says what would be valid (exit 2).
#[test]
fn regression_paths_and_seed_out_of_range_say_what_is_valid() {
    for (args, said) in [
        (
            ["--paths", "18446744073709551616"],
            "is too large; give a whole number of paths from 1 to 10000000",
        ),
        (
            ["--paths", "0"],
            "0 is outside 1..=10000000; give a whole number of paths from 1 to 10000000",
        ),
        // helper-160: "`1e12` is not a number".
        (
            ["--paths", "1e12"],
            "`1e12` is 1000000000000, outside 1..=10000000; give a whole number of paths from 1 to 10000000",
        ),
        (
            ["--seed", "18446744073709551616"],
            "give a whole number from 0 to 18446744073709551615",
        ),
        (
            ["--seed", "1.5"],
            "`1.5` is not a whole number; give a whole number from 0 to 18446744073709551615",
        ),
        // helper-192: a negative number was "unexpected argument '-5' found" with the tip
        // `-- -5`, which fails too; `--replay` said "invalid digit found in string".
        (
            ["--paths", "-5"],
            "-5 is outside 1..=10000000; give a whole number of paths from 1 to 10000000",
        ),
        (["--seed", "-1"], "-1 is outside 0..=18446744073709551615"),
        (
            ["--replay", "-1"],
            "-1 is below 0; give a path's index, a whole number from 0 (the first path) to one less than --paths",
        ),
        (
            ["--replay", "abc"],
            "`abc` is not a whole number written in digits; give a path's index",
        ),
        (
            ["--replay", "99999999999999999999999"],
            "99999999999999999999999 is too large; give a path's index",
        ),
    ] {
        let out = stakeshift().arg("simulate").args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
    // Zero written with a minus sign is zero (helper-194: "-0 is outside 0..=").
    let run = |seed: &str, replay: &str| {
        stdout_of(stakeshift().args([
            "simulate", "--paths", "3", "--seed", seed, "--replay", replay,
        ]))
    };
    assert_eq!(run("-0", "-0"), run("0", "0"));
}

/// Regression (a tester working from the SPEC, 2026-12-05): distribution.png's headline
/// gave p +- 1.96 standard errors (which collapses to a point at p = 0 or 1) while the table
/// and the JSON gave Wilson's interval, though DECISIONS R6 says all three give Wilson's.
/// One path: p is 0 or 1 and, by hand, Wilson's interval at z = 1.959964 is [0, z²/(1 +
/// z²)] = 0.0% to 79.3%, or [1/(1 + z²), 1] = 20.7% to 100.0%.
#[test]
fn regression_the_distribution_charts_interval_is_the_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let table = stdout_of(
        stakeshift()
            .args(["simulate", "--paths", "1", "--svg", "--out"])
            .arg(tmp.path()),
    );
    let svg = std::fs::read_to_string(tmp.path().join("distribution.svg")).unwrap();
    let interval = if table.contains("20.7% to 100.0%") {
        "20.7% to 100.0%"
    } else {
        "0.0% to 79.3%"
    };
    let all = table.lines().find(|l| l.starts_with("all ")).unwrap();
    assert!(all.contains(interval), "{table}");
    assert!(svg.contains(&format!("(95% interval {interval})")), "{svg}");
}

/// Regression (helper-95): with extreme `[simulation]` values (each within its range) a
/// path's valuations pass the 1e18 a model file holds, and `--replay` printed a table that
/// `compare` refuses without a word. It says so, naming the first such amount.
#[test]
fn regression_a_replay_beyond_what_a_model_holds_says_so() {
    let text = stdout_of(stakeshift().args([
        "simulate",
        "--set",
        "simulation.revenue_vol=3",
        "--set",
        "simulation.valuation_beta=10",
        "--set",
        "simulation.valuation_vol=3",
        "--paths",
        "1000",
        "--replay",
        "7",
    ]));
    assert!(
        text.contains("# `compare` cannot read this table as it is: its valuation in "),
        "{text}"
    );
    assert!(
        text.contains("beyond the 1e18 a model file holds"),
        "{text}"
    );
}

/// Regression (helper-101): a trajectories_csv center whose margin, profit / revenue, is
/// past what a decimal holds (a profit of 1e17 on a revenue of 1e-12) panicked `simulate`
/// ("Division overflowed", exit 1) though `compare` ran it. The margin is taken in f64 (and
/// held at 1 by step 3, with the warning that says so).
#[test]
fn regression_a_csv_margin_past_a_decimal_does_not_panic_simulate() {
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let dir = tempfile::tempdir().unwrap();
    let model = std::fs::read_to_string(bad.join("_valid_csv.toml")).unwrap();
    std::fs::write(dir.path().join("_valid_csv.toml"), model).unwrap();
    let csv = std::fs::read_to_string(bad.join("_valid_csv.csv")).unwrap();
    let row = csv
        .lines()
        .find(|l| l.contains(",2023,"))
        .expect("the csv has a 2023 row")
        .to_string();
    let name = row.split(',').next().unwrap();
    let csv = csv.replace(
        &row,
        &format!("{name},2023,0.000000000001,100000000000000000,80.0"),
    );
    std::fs::write(dir.path().join("_valid_csv.csv"), csv).unwrap();
    let out = stakeshift()
        .current_dir(dir.path())
        .args([
            "simulate",
            "_valid_csv.toml",
            "--paths",
            "50",
            "--trajectory",
            name,
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("has a margin above 1 in 2023"), "{err}");
}

/// Regression (helper-106): paths.csv is built in memory, a row a path naming its center,
/// and a 4,000-character trajectory name made a million paths 4 GB (ten million asked for
/// 50 GB at once). Its size is bounded before the run, with what would do.
#[test]
fn regression_a_paths_csv_too_large_to_build_is_refused_before_the_run() {
    let long = "L".repeat(4000);
    let text =
        builtin_without_simulation().replace("name = \"base\"", &format!("name = \"{long}\""));
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("long.toml");
    std::fs::write(&model, text).unwrap();
    let out_dir = dir.path().join("out");
    let out = stakeshift()
        .arg("simulate")
        .arg(&model)
        .args(["--paths", "1000000", "--paths-csv", "--quiet", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--paths-csv: paths.csv of 1000000 paths would take about")
            && err.contains("give fewer paths, or shorter trajectory names"),
        "{err}"
    );
    assert!(!out_dir.exists(), "nothing is written");
}

/// helper-131: a `--set` that wrote the value the file already holds (`end_year=2024` on a
/// file of 2024) took the nothing-random warning, as though it had made the years so; the
/// warning stays at the file's line, as without it, and an earlier `--set` that a later one
/// undid is not named either.
#[test]
fn regression_a_set_that_restates_the_file_does_not_own_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let late = rounds_model("")
        .replace("valuation_year = 2021", "valuation_year = 2024")
        .replace("revenue_vol = 0.0", "revenue_vol = 0.3");
    assert!(late.contains("\nend_year = 2024\n"));
    let file = tmp.path().join("late.toml");
    std::fs::write(&file, &late).unwrap();
    // The warning a run on `file` with `set` prints.
    let warning_on = |file: &std::path::Path, set: &[&str]| {
        let out = stakeshift()
            .args(["simulate", "--paths", "5", "--format", "csv", "--quiet"])
            .args(set)
            .arg(file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let warning = |set: &[&str]| warning_on(&file, set);
    let by_file = warning(&[]);
    assert!(
        by_file.contains("no year is random") && by_file.contains("late.toml, line"),
        "{by_file}"
    );
    for set in [
        &["--set", "end_year=2024"][..],
        &["--set", "end_year=2030", "--set", "end_year=2024"],
    ] {
        assert_eq!(warning(set), by_file, "{set:?}");
    }
    // Spelt otherwise, the same (helper-136).
    for set in [
        &["--set", "end_year=2_024"][..],
        &["--set", "end_year=0x7E8"],
    ] {
        assert_eq!(warning(set), by_file, "{set:?}");
    }
    let in_table = tmp.path().join("in-table.toml");
    std::fs::write(&in_table, format!("{late}from_year = 2025\n")).unwrap();
    let at_file = |set: &[&str]| warning_on(&in_table, set);
    let by_file = at_file(&[]);
    assert!(by_file.contains("in-table.toml, line"), "{by_file}");
    // A table written whole is not taken for a restatement, even where the value the
    // warning is about comes out the same (helper-140: it can change what is compared).
    let table = "simulation={revenue_vol=0.3, from_year=2025}";
    assert!(
        at_file(&["--set", table]).contains(&format!("warning: --set {table}")),
        "{by_file}"
    );
    // One that changed a value the warning is about still owns it, also after one that
    // restates another.
    let moved = warning(&[
        "--set",
        "simulation.from_year=2025",
        "--set",
        "end_year=2024",
    ]);
    assert!(
        moved.contains("warning: --set simulation.from_year=2025"),
        "{moved}"
    );
}

/// Regression (helper-110): with valuation_year = end_year the default first random year is
/// end_year + 1 (nothing random, with a warning), but the same year written out,
/// `from_year = 2025`, was refused as outside the model's years. Written or by default it is
/// now the same run, with the same warning naming it; a year further out is still an error,
/// saying end_year + 1 is allowed.
#[test]
fn regression_the_default_first_random_year_written_out_is_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let late = rounds_model("")
        .replace("valuation_year = 2021", "valuation_year = 2024")
        .replace("revenue_vol = 0.0", "revenue_vol = 0.3");
    let default = tmp.path().join("default.toml");
    std::fs::write(&default, &late).unwrap();
    let run = |file: &std::path::Path, set: &[&str]| {
        stakeshift()
            .args(["simulate", "--paths", "50", "--format", "csv", "--quiet"])
            .args(set)
            .arg(file)
            .output()
            .unwrap()
    };
    let by_default = run(&default, &[]);
    assert_eq!(by_default.status.code(), Some(0));
    let written = run(&default, &["--set", "simulation.from_year=2025"]);
    let stderr = String::from_utf8_lossy(&written.stderr);
    assert_eq!(written.status.code(), Some(0), "{stderr}");
    assert_eq!(written.stdout, by_default.stdout);
    assert!(
        // Placed against the `--set` that wrote it (helper-128), not at a line of the file.
        stderr.contains("warning: --set simulation.from_year=2025: simulation.from_year: the first random year is 2025, after end_year 2024: no year is random"),
        "{stderr}"
    );
    let beyond = run(&default, &["--set", "simulation.from_year=2026"]);
    let stderr = String::from_utf8_lossy(&beyond.stderr);
    assert_eq!(beyond.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("simulation.from_year")
            && stderr.contains("or end_year + 1 = 2025 for no random year"),
        "{stderr}"
    );
}

/// helper-127: the table's words against its own numbers. 19,999 of 20,000 paths printed
/// "100.0%, 95% interval 100.0% to 100.0%"; every path a tie read "In 0.0% ... the equity
/// stake is worth more" without a word of ties; "90% of paths between" p5 and p95 was false
/// for 2 paths; "1 simulated futures"; "reached AGI" counted companies already failed.
#[test]
fn regression_the_simulate_sentences_say_what_the_numbers_say() {
    let mini = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/mini.toml");
    let table_and_csv = |args: &[&str]| -> (String, crate::common::Table) {
        let table = stdout_of(stakeshift().arg("simulate").arg(&mini).args(args));
        let csv = stdout_of(
            stakeshift()
                .arg("simulate")
                .arg(&mini)
                .args(args)
                .args(["--format", "csv"]),
        );
        (table, crate::common::parse_csv(csv.as_bytes()).unwrap())
    };
    // No share that is neither 0 nor 1 prints as 0.0% or 100.0%, in the table or sentence.
    let (table, csv) = table_and_csv(&["--paths", "20000", "--set", "equity.stake=0.5"]);
    let p = csv.column("p_equity_wins").unwrap();
    let share: f64 = csv.rows[0][p].parse().unwrap();
    assert!(
        share > 0.0 && share < 1.0,
        "the case needs a share inside (0, 1)"
    );
    for line in table
        .lines()
        .filter(|l| l.starts_with("all") || l.starts_with("In "))
    {
        // (P(tie), exactly 0 here, is 0.0%.)
        assert!(!line.contains("100.0%"), "{line}\n{table}");
    }
    // Ties said; the median is not 0.0 where it is not 0.
    let (table, _) = table_and_csv(&[
        "--paths",
        "50",
        "--set",
        "equity.stake=0.10967",
        "--set",
        "simulation={revenue_vol=0, margin_vol=0, valuation_vol=0}",
    ]);
    let sentence = table.lines().last().unwrap();
    assert!(
        sentence.contains("the median advantage is 0.00012 USD m"),
        "{sentence}"
    );
    let (table, _) = table_and_csv(&["--paths", "50", "--set", "simulation={failure_hazard=1}"]);
    let sentence = table.lines().last().unwrap();
    assert!(
        sentence.contains("and in 100.0% the two are worth the same"),
        "{sentence}"
    );
    // The percentiles named as such; one future is one, and has no sample sd (helper-193:
    // 0 was printed, as if measured): empty in the CSV and the table, null in JSON.
    let (table, csv) = table_and_csv(&["--paths", "1"]);
    for quantity in ["npv_profit_share", "npv_equity", "npv_advantage"] {
        let sd = csv.column(&format!("{quantity}_sd")).unwrap();
        let mean = csv.column(&format!("{quantity}_mean")).unwrap();
        assert_eq!(csv.rows[0][sd], "", "{quantity}");
        assert_ne!(csv.rows[0][mean], "", "{quantity}");
    }
    let json = stdout_of(
        stakeshift()
            .arg("simulate")
            .arg(&mini)
            .args(["--paths", "1", "--format", "json"]),
    );
    assert_eq!(json.matches("\"sd\": null").count(), 3 * 2, "{json}");
    let two = stdout_of(
        stakeshift()
            .arg("simulate")
            .arg(&mini)
            .args(["--paths", "2", "--format", "json"]),
    );
    assert!(!two.contains("\"sd\": null"), "{two}");
    assert!(table.contains("\n1 simulated future (seed 0)"), "{table}");
    assert!(
        table.contains("In 100.0% of 1 simulated future ")
            || table.contains("In 0.0% of 1 simulated future "),
        "{table}"
    );
    assert!(table.contains("(5th to 95th percentile "), "{table}");
    // Nothing random said so.
    let (table, _) = table_and_csv(&["--paths", "2", "--set", "simulation={from_year=2027}"]);
    assert!(
        table.contains("nothing random: the first random year, 2027, is after the last, 2026"),
        "{table}"
    );
    // AGI declared after a failure counted apart, against paths.csv.
    let dir = crate::common::ScratchDir::new("agi-after-failure");
    let table = stdout_of(
        stakeshift()
            .args(["simulate", "--paths", "2000", "--paths-csv", "--out"])
            .arg(dir.path()),
    );
    let paths = crate::common::read_csv(&dir.path().join("paths.csv")).unwrap();
    let (agi, failure) = (
        paths.column("agi_year").unwrap(),
        paths.column("failure_year").unwrap(),
    );
    let after = paths
        .rows
        .iter()
        .filter(|r| {
            let year = |c: usize| r[c].parse::<i32>().ok();
            matches!((year(agi), year(failure)), (Some(a), Some(f)) if a <= 2045 && f <= a)
        })
        .count();
    assert!(after > 0, "the case needs such paths");
    assert!(
        table.contains(&format!(
            ", on {after} of them in or after the year the company failed;"
        )),
        "{after}: {table}"
    );
}

/// helper-132: a center's valuation of 0 under valuation_beta 10 and revenue_vol 3, where
/// e^(beta x) overflows to infinity on some paths, made 0 x inf = NaN and failed the whole
/// run as "too large to hold"; the valuation is 0 on every path (SPEC 10: the center's
/// times the factor), so the run succeeds. The same model with a valuation of 1 does have
/// amounts past f64's range: its error now names the year they first are.
#[test]
fn regression_a_zero_valuation_times_an_overflowing_shock_failed_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let model = |valuation: &str| {
        format!(
            "name = \"overflow\"\nunit = \"u\"\nstart_year = 2000\nend_year = 2099\n\
             valuation_year = 2000\ndiscount_rate = 0.1\n\
             [investor]\nparty = \"inv\"\ncontributions = [[2000, 1.0]]\n\
             [profit_share]\nresidual = \"res\"\n\
             [[profit_share.tiers]]\nname = \"t\"\nshares = {{ inv = 0.5 }}\nuntil = {{ inv = 10.0 }}\n\
             [equity]\nfrom_year = 2000\nstake = 0.1\n\
             [[trajectories]]\nname = \"x\"\nrevenue = {{ points = [[2000, 1.0]] }}\n\
             margin = {{ points = [[2000, 0.1]] }}\nvaluation = {{ points = [[2000, {valuation}]] }}\n\
             [simulation]\nrevenue_vol = 3\nvaluation_beta = 10\nvaluation_vol = 0\n\
             margin_vol = 0\nfrom_year = 2001\n"
        )
    };
    let zero = tmp.path().join("zero.toml");
    std::fs::write(&zero, model("0.0")).unwrap();
    let run = |file: &std::path::Path| {
        stakeshift()
            .args(["simulate", "--paths", "2000", "--format", "csv", "--quiet"])
            .arg(file)
            .output()
            .unwrap()
    };
    let out = run(&zero);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let one = tmp.path().join("one.toml");
    std::fs::write(&one, model("1.0")).unwrap();
    let out = run(&one);
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    // ", year YYYY: " with a random year of the model (2001 to 2500), as the message writes
    // it.
    let names_a_year = |text: &str| {
        text.split("on simulated path 92 (center `x`), year ")
            .nth(1)
            .and_then(|rest| rest.split_once(": "))
            .and_then(|(year, _)| year.parse::<i32>().ok())
            .is_some_and(|y| (2001..=2500).contains(&y))
    };
    assert!(
        names_a_year(&e)
            && e.contains("too large to hold")
            && e.contains("large vols and valuation_beta compound them year after year"),
        "{e}"
    );
    // `--replay` of that path names the year too (helper-140).
    let out = stakeshift()
        .args(["simulate", "--replay", "92"])
        .arg(&one)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let replayed = String::from_utf8_lossy(&out.stderr);
    assert!(names_a_year(&replayed), "{replayed}");
}

/// helper-153: `simulate -t base -t bear` listed bear first (the model's order), where every
/// other command reports trajectories in the order `-t` asks (DECISIONS). The groups now
/// follow it; the futures drawn do not depend on it (the same rows, reordered).
#[test]
fn regression_the_centers_are_reported_in_the_order_asked() {
    let csv = |names: &[&str]| -> Vec<String> {
        let mut cmd = stakeshift();
        cmd.args(["simulate", "--paths", "2000", "--format", "csv", "--quiet"]);
        for n in names {
            cmd.args(["-t", n]);
        }
        let out = cmd.assert().success().get_output().stdout.clone();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    };
    let asked = csv(&["early-agi", "base", "bear"]);
    let group = |row: &String| row.split(',').next().unwrap().to_string();
    let groups: Vec<String> = asked.iter().skip(1).map(group).collect();
    assert_eq!(groups, ["all", "early-agi", "base", "bear"]);
    let other = csv(&["bear", "early-agi", "base"]);
    let groups: Vec<String> = other.iter().skip(1).map(group).collect();
    assert_eq!(groups, ["all", "bear", "early-agi", "base"]);
    let mut a = asked.clone();
    let mut b = other.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

/// helper-169: `simulate -t base` gave a share of paths that differs from the model's
/// answer (36.7% against 26.1%), and neither its table, its sentence nor its charts said
/// the centers had been chosen; nor did the charts give the seed. They now say "around
/// `base`", and each chart's footer gives the command that draws it again.
#[test]
fn regression_a_simulation_of_chosen_centers_says_which_on_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let table = stdout_of(
        stakeshift()
            .args([
                "simulate", "--paths", "300", "--seed", "7", "-t", "base", "-q", "--svg", "--out",
            ])
            .arg(&out),
    );
    assert!(
        table.lines().nth(1).is_some_and(
            |l| l.starts_with("300 simulated futures around `base` (seed 7), random from 2026")
        ),
        "{table}"
    );
    assert!(
        table.contains("\nIn ")
            && table.contains("of 300 simulated futures around `base` (95% interval"),
        "{table}"
    );
    for chart in ["fan.svg", "distribution.svg"] {
        let svg = std::fs::read_to_string(out.join(chart)).unwrap();
        assert!(svg.contains("simulated futures around `base`"), "{chart}");
        assert!(
            svg.contains("simulate --paths 300 --seed 7 -t base"),
            "{chart}"
        );
    }
    // Every center of the model drawn: no such words, and the footer without `-t`.
    let all = dir.path().join("all");
    let table = stdout_of(
        stakeshift()
            .args([
                "simulate", "--paths", "300", "--seed", "7", "-q", "--svg", "--out",
            ])
            .arg(&all),
    );
    assert!(!table.contains("around"), "{table}");
    let svg = std::fs::read_to_string(all.join("distribution.svg")).unwrap();
    assert!(
        svg.contains("simulate --paths 300 --seed 7") && !svg.contains(" -t "),
        "footer"
    );
    assert!(!svg.contains("around"));
}

/// helper-170: the command in a simulate chart's footer named a trajectory that starts with
/// `-` as `-t -only`, which the command line took for a flag. `-t` takes such a name now
/// (helper-167), and the footer's command runs as it reads.
#[test]
fn regression_a_footer_command_names_a_dash_trajectory_so_that_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mini = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/mini.toml"),
    )
    .unwrap()
    .replace("name = \"only\"", "name = \"-only\"")
    .replace("[[trajectories]]", "[[trajectories]]\nname = \"other\"\nrevenue = { points = [[2024, 1.0]] }\nmargin = { points = [[2024, 0.1]] }\nvaluation = { points = [[2024, 10.0]] }\n\n[[trajectories]]");
    let model = dir.path().join("m.toml");
    std::fs::write(&model, &mini).unwrap();
    let out = dir.path().join("out");
    stdout_of(
        stakeshift()
            .arg("simulate")
            .arg(&model)
            .args([
                "--paths",
                "20",
                "--trajectory=-only",
                "-q",
                "--svg",
                "--out",
            ])
            .arg(&out),
    );
    let svg = std::fs::read_to_string(out.join("distribution.svg")).unwrap();
    // (The model file as it was named: helper-202.)
    let command = format!("simulate {} --paths 20 --seed 0 -t -only", model.display());
    assert!(svg.contains(&command), "footer: {command}");
    // The footer's words run as they read.
    stdout_of(
        stakeshift()
            .arg("simulate")
            .arg(&model)
            .args(["--paths", "20", "--seed", "0", "-t", "-only", "-q"]),
    );
}

/// helper-169: a center whose advantages are small beside the other centers' printed 0.0
/// throughout its row, beside a P(equity wins) far from a tie; the `all` row's median
/// too. A value that is not 0 at 6 places now takes the places that show it, and a row of
/// values all below 1 the places that show its largest.
#[test]
fn regression_small_percentiles_never_print_as_zero() {
    let dir = tempfile::tempdir().unwrap();
    let mini = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/mini.toml"),
    )
    .unwrap();
    let only = &mini[mini.find("[[trajectories]]").unwrap()..];
    let two = format!(
        "{mini}\n{}",
        only.replace("name = \"only\"", "name = \"tiny\"")
    );
    let model = dir.path().join("two.toml");
    std::fs::write(&model, two).unwrap();
    let run = |format: &str| {
        stdout_of(stakeshift().arg("simulate").arg(&model).args([
            "--paths",
            "500",
            "--set",
            "scale.revenue[tiny]=0.0001",
            "--set",
            "scale.valuation[tiny]=0.0001",
            "--format",
            format,
        ]))
    };
    let csv = run("csv");
    let tiny: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("tiny,"))
        .unwrap()
        .split(',')
        .collect();
    // npv_advantage's mean, sd, p5 .. p95: the seven columns before the counts, none 0 at 6
    // places.
    let counts = stakeshift::simulate::csv::COUNTS.len();
    let advantage = &tiny[tiny.len() - 7 - counts..tiny.len() - counts];
    assert!(
        advantage
            .iter()
            .all(|v| v.parse::<f64>().unwrap().abs() >= 5e-7),
        "{tiny:?}"
    );
    let table = run("table");
    let mut lines = table
        .lines()
        .skip_while(|l| !l.starts_with("tiny  profit share"));
    let advantage = lines.nth(2).unwrap();
    assert!(advantage.trim_start().starts_with("advantage"), "{table}");
    for cell in advantage.split_whitespace().skip(1) {
        assert!(cell.parse::<f64>().unwrap() != 0.0, "{cell} in {advantage}");
        // Each to three significant digits at least (the row's largest below 1).
        let digits = cell.trim_start_matches(['-', '0', '.']).len();
        assert!(digits >= 2, "{cell} in {advantage}");
    }
}

/// helper-175: the fan's sample was 100,000 paths whatever the years: a 500-year model's
/// `simulate --out` held 800 MB. The sample holds at most 2.7 million path-years (100,000
/// paths of 27 years): 5,400 paths of 500 years, said on the chart.
#[test]
fn regression_the_fan_sample_is_bounded_by_path_years() {
    let dir = tempfile::tempdir().unwrap();
    let long = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/mini.toml"),
    )
    .unwrap()
    .replace("end_year = 2026", "end_year = 2523");
    assert!(long.contains("end_year = 2523"));
    let model = dir.path().join("m.toml");
    std::fs::write(&model, &long).unwrap();
    let model = stakeshift::io::load_model(Some(&model)).unwrap().model;
    let options = Options {
        paths: 6_000,
        seed: 0,
        selected: None,
        fan: true,
    };
    let results = simulate::run(&model, &options, &|_| {}).unwrap();
    assert_eq!(results.fan_paths, 5_400);
    assert_eq!(results.per_path.len(), 6_000); // everything else covers every path
    // The chart says so.
    let out = dir.path().join("out");
    stdout_of(
        stakeshift()
            .arg("simulate")
            .arg(dir.path().join("m.toml"))
            .args(["--paths", "6000", "-q", "--svg", "--out"])
            .arg(&out),
    );
    let svg = std::fs::read_to_string(out.join("fan.svg")).unwrap();
    assert!(svg.contains("a fixed sample of 5,400 of the"), "fan.svg");
    // The built-in model's 27 years keep the sample of 100,000 paths.
    assert_eq!(simulate::fan_sample(1_000_000, 27), 100_000);
}

/// helper-195: `simulate` ran models every other command refuses, their exact totals too
/// large to hold (a discount rate of -0.95; an `until` grown at 20% a year for 380 years):
/// f64 held them. SPEC 6 makes such a model invalid: exit 2, the same error as `check`
/// (the first center in the model's order). And `--replay` with `--paths-csv`, which it
/// cannot write, was run without a word.
#[test]
fn regression_simulate_refuses_a_model_whose_exact_totals_cannot_be_held() {
    for sets in [
        vec!["discount_rate=-0.95"],
        vec!["profit_share.tiers[1].cap_growth=0.2", "end_year=2400"],
        // A trajectory not drawn (helper-196): `-t base` below, or weight 0.
        vec!["trajectories[bull].valuation={points=[[2019, 1e15]], growth=9.0}"],
        vec![
            "trajectories[bull].valuation={points=[[2019, 1e15]], growth=9.0}",
            "simulation.weights={bull=0, base=1}",
        ],
    ] {
        let with = |command: &str| {
            let mut c = stakeshift();
            c.arg(command);
            for s in &sets {
                c.args(["--set", s]);
            }
            c
        };
        let checked = crate::common::fails_with_2(&mut with("check"));
        let mut simulate = with("simulate");
        simulate.args(["--paths", "50", "-q", "-t", "base", "-t", "bear"]);
        let simulated = crate::common::fails_with_2(&mut simulate);
        // `check`'s error, and for a trajectory not drawn, why it must run all the same.
        let drawn = ["in trajectory `base`", "in trajectory `bear`"];
        let note = if drawn.iter().any(|t| checked.contains(t)) {
            ""
        } else {
            " (a trajectory not chosen with --trajectory: every trajectory of a model must run)"
        };
        assert_eq!(
            simulated,
            format!("{}{note}\n", checked.trim_end()),
            "{sets:?}"
        );
        assert!(simulated.contains("too large to hold"), "{simulated}");
    }
    // Without --trajectory, a trajectory of weight 0 is not drawn either.
    let sets = [
        "trajectories[bull].valuation={points=[[2019, 1e15]], growth=9.0}",
        "simulation.weights={bull=0, base=1}",
    ];
    let mut simulate = stakeshift();
    simulate.args(["simulate", "--paths", "50", "-q"]);
    for s in sets {
        simulate.args(["--set", s]);
    }
    let simulated = crate::common::fails_with_2(&mut simulate);
    assert!(
        simulated.contains("in trajectory `bull`")
            && simulated.trim_end().ends_with(
                "(a trajectory of weight 0 in simulation.weights, never drawn: every trajectory of a model must run)"
            ),
        "{simulated}"
    );
    let err = crate::common::fails_with_2(stakeshift().args([
        "simulate",
        "--replay",
        "1",
        "--paths-csv",
        "--paths",
        "5",
    ]));
    assert!(
        err.contains("'--replay <N>' cannot be used with '--paths-csv'"),
        "{err}"
    );
}

/// helper-248: RAYON_NUM_THREADS=99999999999 ended "out of memory" (2.4 TB asked for the
/// threads' handles); a run starts at most 1,024 threads, with the same bytes.
#[test]
fn regression_an_absurd_thread_count_runs_on_fewer_threads() {
    let run = |threads: &str| {
        let out = stakeshift()
            .args(["simulate", "--paths", "200", "--quiet", "--format", "csv"])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{threads}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    assert_eq!(run("99999999999"), run("1"));
}

/// helper-276: the tables of a model that sells compute (simulate's, as sweep's, solve's
/// and tornado's) printed NPVs with nothing to say they count the cloud income, which
/// decides the built-in model's answer; the header now says so, and only where it applies.
#[test]
fn regression_the_header_says_the_npvs_count_the_cloud_income() {
    let said = "The NPVs count the cloud income (the investor's margin on the compute the company buys from it).";
    let header = |args: &[&str]| {
        let out = stakeshift().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        // (The lines before the table's.)
        text.lines()
            .take_while(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(header(&["simulate", "--paths", "50"]).ends_with(said));
    assert!(header(&["sweep", "--vary", "equity.stake=0.2..0.3:2"]).ends_with(said));
    assert!(!header(&["simulate", "--paths", "50", "docs/mini.toml"]).contains("cloud"));
    assert!(
        !header(&[
            "sweep",
            "docs/mini.toml",
            "--vary",
            "equity.stake=0.2..0.3:2"
        ])
        .contains("cloud")
    );
}

/// helper-281: a replay of a run with only `[simulation]` `--set`s said "`compare` needs it
/// too", where `[simulation]` changes none of compare's NPVs; it now says why they are
/// given, and the command still gives them.
#[test]
fn regression_a_replay_says_simulation_sets_change_no_npv_of_compare() {
    let out = stakeshift()
        .args([
            "simulate",
            "--paths",
            "50",
            "--replay",
            "3",
            "--quiet",
            "--set",
            "simulation.revenue_vol=0.3",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "# Simulated with `--set simulation.revenue_vol=0.3`: `compare` takes it too, so that the model reads as simulated; [simulation] changes none of its NPVs.\n"
        ) && text.contains("stakeshift compare MODEL --set simulation.revenue_vol=0.3 --trajectory"),
        "{text}"
    );
}
