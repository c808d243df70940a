//! `stakeshift schema`: the committed docs/stakeshift.schema.json is what the command prints,
//! and the schema agrees with the validator: every model in the repository passes it, and
//! every broken model in tests/bad that is TOML fails it, except those listed below as
//! breaking a rule that JSON Schema cannot state (a rule tying keys together), which the
//! validator alone catches. A new key in the parser without the schema, or a new broken
//! model the schema lets through, fails here.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Broken models the schema accepts, because what is wrong ties keys together (or lies in
/// the CSV file a model names); `stakeshift check` rejects each.
const BEYOND_THE_SCHEMA: &[&str] = &[
    "contribution_after_end.toml",
    "contribution_before_start.toml",
    "csv_duplicate_year.toml",
    "csv_gap.toml",
    "csv_missing_column.toml",
    "csv_missing_file.toml",
    "csv_not_a_number.toml",
    "equity_from_year_after_end.toml",
    "equity_from_year_before_start.toml",
    "overflow_revenue_growth.toml",
    "overflow_valuation_growth.toml",
    "revenue_share_from_after_until.toml",
    "round_default_pre_money_negative.toml",
    "round_default_pre_money_zero.toml",
    "round_participation_above_raise.toml",
    "round_year_after_end.toml",
    "round_year_before_from_year.toml",
    "series_years_decreasing.toml",
    "series_years_repeated.toml",
    "tier_shares_sum_over_one.toml",
    "tier_shares_sum_over_one_second_tier.toml",
    "tier_until_names_residual.toml",
    "tier_until_party_without_share.toml",
    "tier_until_party_zero_share.toml",
    "too_many_years.toml",
    "trajectory_names_duplicate.toml",
    "valuation_year_after_end.toml",
    "valuation_year_before_start.toml",
];

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn schema_text() -> String {
    let out = Command::cargo_bin("stakeshift")
        .unwrap()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&schema_text()).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema")
}

/// A model file as the JSON an editor checks: None where it is not TOML at all.
fn as_json(path: &Path) -> Option<serde_json::Value> {
    let text = String::from_utf8(std::fs::read(path).unwrap()).ok()?;
    let value: toml::Value = toml::from_str(&text).ok()?;
    Some(serde_json::to_value(value).unwrap())
}

fn tomls(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_committed_schema_is_what_the_command_prints() {
    let committed = std::fs::read_to_string(repo("docs/stakeshift.schema.json")).unwrap();
    assert!(
        committed == schema_text(),
        "docs/stakeshift.schema.json is stale: run `cargo run --release -- schema > docs/stakeshift.schema.json`"
    );
}

#[test]
fn the_builtin_model_names_the_committed_schema() {
    let first = stakeshift::BUILTIN_MODEL.lines().next().unwrap();
    assert_eq!(first, "#:schema ../docs/stakeshift.schema.json");
    assert!(
        repo("models")
            .join("../docs/stakeshift.schema.json")
            .exists()
    );
}

#[test]
fn every_model_in_the_repository_passes() {
    let validator = validator();
    let mut models = tomls("models");
    models.extend(tomls("tests/hand"));
    for case in std::fs::read_dir(repo("tests/reference/cases")).unwrap() {
        models.push(case.unwrap().path().join("model.toml"));
    }
    models.push(repo("tests/charts/model.toml"));
    models.extend(
        tomls("tests/bad")
            .into_iter()
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('_')),
    );
    // The expectations of the hand cases are not models.
    models.retain(|p| !p.to_string_lossy().ends_with(".expect.toml"));
    assert!(models.len() > 10, "{models:?}");
    for model in models {
        let json = as_json(&model).unwrap_or_else(|| panic!("{} is not TOML", model.display()));
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", model.display());
    }
}

#[test]
fn every_broken_model_it_can_express_fails() {
    let validator = validator();
    let mut rejected = 0;
    let mut wrong = Vec::new();
    for model in tomls("tests/bad") {
        let name = model.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with('_') {
            continue;
        }
        // Not TOML at all (syntax errors, not UTF-8): the editor's TOML parser reports it.
        let Some(json) = as_json(&model) else {
            continue;
        };
        let valid = validator.is_valid(&json);
        if BEYOND_THE_SCHEMA.contains(&name.as_str()) {
            if !valid {
                wrong.push(format!(
                    "{name} now fails the schema: take it off BEYOND_THE_SCHEMA"
                ));
            }
        } else if valid {
            wrong.push(format!("{name} is a broken model the schema accepts: tighten the schema, or list it in BEYOND_THE_SCHEMA if the rule it breaks ties keys together"));
        } else {
            rejected += 1;
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(rejected > 50, "{rejected}");
    // Each listed model exists and is refused by the validator.
    for name in BEYOND_THE_SCHEMA {
        let path = repo("tests/bad").join(name);
        assert!(path.exists(), "{name}");
        Command::cargo_bin("stakeshift")
            .unwrap()
            .arg("check")
            .arg(&path)
            .assert()
            .code(2);
    }
}
