//! `stakeshift schema`: the committed docs/stakeshift.schema.json is what the command prints,
//! and the schema agrees with the validator: every model in the repository passes it, and
//! every broken model in tests/bad that is TOML fails it, except those listed below as
//! breaking a rule that JSON Schema cannot state (a rule tying keys together), which the
//! validator alone catches. A new key in the parser without the schema, or a new broken
//! model the schema lets through, fails here.
//!
//! The schema is checked by [`Schema`], a validator for the draft 7 keywords the
//! schema uses, written here from the JSON Schema specification (not from the code that
//! writes the schema). It refuses any keyword it does not know, so a schema that grows a
//! new keyword fails here until the validator learns it. (A general validator crate did
//! this before; it was more than a quarter of the test build's compile time.)

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
    "csv_name_clash.toml",
    "csv_not_a_number.toml",
    "csv_semicolons.toml",
    "csv_unclosed_quote.toml",
    "equity_from_year_after_end.toml",
    "equity_from_year_before_start.toml",
    "overflow_present_value.toml",
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
    "tier_until_party_misspelt.toml",
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

fn validator() -> Schema {
    let schema: serde_json::Value = serde_json::from_str(&schema_text()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    Schema::new(schema)
}

/// A JSON Schema (draft 7) validator for the keywords the model schema uses: `type`,
/// `properties`, `additionalProperties`, `required`, `anyOf`, `items` (a schema for every
/// item, or a list of schemas for the first items), `additionalItems` (after such a list),
/// `minItems`, `minLength`, `minimum`, `maximum`, `exclusiveMinimum`, and the annotations
/// `$schema`, `title`, `description`. Any other keyword is refused when the schema is read.
struct Schema(serde_json::Value);

impl Schema {
    fn new(schema: serde_json::Value) -> Schema {
        Schema::check_keywords(&schema, "#");
        Schema(schema)
    }

    /// Every keyword known, with a value of the right kind, in every subschema.
    fn check_keywords(schema: &serde_json::Value, at: &str) {
        use serde_json::Value;
        let Value::Object(map) = schema else {
            assert!(
                schema.is_boolean(),
                "{at}: a schema is an object or a boolean"
            );
            return;
        };
        for (key, value) in map {
            let here = format!("{at}/{key}");
            match key.as_str() {
                "$schema" | "title" | "description" => assert!(value.is_string(), "{here}"),
                "type" => assert!(
                    value.is_string()
                        || value
                            .as_array()
                            .is_some_and(|a| a.iter().all(Value::is_string)),
                    "{here}"
                ),
                "properties" => {
                    for (name, sub) in value.as_object().expect("properties is an object") {
                        Schema::check_keywords(sub, &format!("{here}/{name}"));
                    }
                }
                "additionalProperties" | "additionalItems" => Schema::check_keywords(value, &here),
                "items" if !value.is_array() => Schema::check_keywords(value, &here),
                "anyOf" | "items" => {
                    let list = value.as_array().expect("a list of schemas");
                    assert!(!list.is_empty(), "{here}");
                    for (i, sub) in list.iter().enumerate() {
                        Schema::check_keywords(sub, &format!("{here}/{i}"));
                    }
                }
                "required" => assert!(
                    value
                        .as_array()
                        .is_some_and(|a| a.iter().all(Value::is_string)),
                    "{here}"
                ),
                "minItems" | "minLength" => assert!(value.is_u64(), "{here}"),
                "not" | "propertyNames" => Schema::check_keywords(value, &here),
                // Only the shapes `Pattern` reads.
                "pattern" => {
                    Pattern::of(value.as_str().expect("a pattern is a string"));
                }
                "minimum" | "maximum" | "exclusiveMinimum" => assert!(value.is_number(), "{here}"),
                other => panic!("{here}: the test's validator does not know the keyword `{other}`"),
            }
        }
    }

    fn is_valid(&self, instance: &serde_json::Value) -> bool {
        self.errors(instance).is_empty()
    }

    /// Every failure, with the instance's path.
    fn errors(&self, instance: &serde_json::Value) -> Vec<String> {
        let mut out = Vec::new();
        validate(&self.0, instance, "", &mut out);
        out
    }
}

/// Numbers compare mathematically (draft 7): as exact decimals where both can be held in
/// one (every number of a model file is), else as f64.
fn compare(a: &serde_json::Value, b: &serde_json::Value) -> Option<std::cmp::Ordering> {
    use rust_decimal::Decimal;
    let exact = |v: &serde_json::Value| {
        let text = v.to_string();
        text.parse::<Decimal>()
            .ok()
            .or_else(|| Decimal::from_scientific(&text).ok())
    };
    match (exact(a), exact(b)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

fn has_type(instance: &serde_json::Value, name: &str) -> bool {
    use serde_json::Value;
    match name {
        "object" => instance.is_object(),
        "array" => instance.is_array(),
        "string" => instance.is_string(),
        "boolean" => instance.is_boolean(),
        "null" => instance.is_null(),
        "number" => instance.is_number(),
        // Draft 7 (as 6): any number with a zero fractional part.
        "integer" => match instance {
            Value::Number(n) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        },
        other => panic!("unknown type `{other}`"),
    }
}

fn validate(
    schema: &serde_json::Value,
    instance: &serde_json::Value,
    at: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value;
    let map = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => {
            out.push(format!("{at}: no value is allowed here"));
            return;
        }
        Value::Object(map) => map,
        _ => unreachable!("checked by Schema::new"),
    };
    if let Some(t) = map.get("type") {
        let names: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => unreachable!(),
        };
        if !names.iter().any(|n| has_type(instance, n)) {
            out.push(format!("{at}: {instance} is not of type {t}"));
        }
    }
    if let Some(Value::Array(options)) = map.get("anyOf")
        && !options.iter().any(|o| {
            let mut ignored = Vec::new();
            validate(o, instance, at, &mut ignored);
            ignored.is_empty()
        })
    {
        out.push(format!("{at}: {instance} matches none of anyOf"));
    }
    if let Value::Object(object) = instance {
        let properties = map.get("properties").and_then(Value::as_object);
        for (key, value) in object {
            let here = format!("{at}/{key}");
            match properties.and_then(|p| p.get(key)) {
                Some(sub) => validate(sub, value, &here, out),
                None => {
                    if let Some(extra) = map.get("additionalProperties") {
                        validate(extra, value, &here, out);
                    }
                }
            }
        }
        if let Some(Value::Array(required)) = map.get("required") {
            for key in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(key) {
                    out.push(format!("{at}: the required property `{key}` is missing"));
                }
            }
        }
    }
    if let Value::Array(items) = instance {
        // `items` as a list: the first items' schemas, and `additionalItems` for the rest;
        // as a schema: every item's (`additionalItems` is then not read).
        let (listed, rest) = match map.get("items") {
            Some(Value::Array(list)) => (list.as_slice(), map.get("additionalItems")),
            every => (&[][..], every),
        };
        for (i, item) in items.iter().enumerate() {
            let here = format!("{at}/{i}");
            match listed.get(i) {
                Some(sub) => validate(sub, item, &here, out),
                None => {
                    if let Some(sub) = rest {
                        validate(sub, item, &here, out);
                    }
                }
            }
        }
        if let Some(min) = map.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            out.push(format!("{at}: fewer than {min} items"));
        }
    }
    if let Value::String(text) = instance
        && let Some(min) = map.get("minLength").and_then(Value::as_u64)
        && (text.chars().count() as u64) < min
    {
        out.push(format!("{at}: shorter than {min} characters"));
    }
    if let Value::String(text) = instance
        && let Some(pattern) = map.get("pattern").and_then(Value::as_str)
        && !Pattern::of(pattern).matches(text)
    {
        out.push(format!("{at}: {instance} does not match {pattern}"));
    }
    if let Some(sub) = map.get("not") {
        let mut errors = Vec::new();
        validate(sub, instance, at, &mut errors);
        if errors.is_empty() {
            out.push(format!("{at}: {instance} matches what `not` forbids"));
        }
    }
    if let (Value::Object(object), Some(sub)) = (instance, map.get("propertyNames")) {
        for key in object.keys() {
            validate(
                sub,
                &Value::String(key.clone()),
                &format!("{at}/{key}"),
                out,
            );
        }
    }
    if instance.is_number() {
        if let Some(m) = map.get("minimum")
            && compare(instance, m).is_none_or(|o| o.is_lt())
        {
            out.push(format!("{at}: {instance} is less than the minimum {m}"));
        }
        if let Some(m) = map.get("maximum")
            && compare(instance, m).is_none_or(|o| o.is_gt())
        {
            out.push(format!("{at}: {instance} is more than the maximum {m}"));
        }
        if let Some(m) = map.get("exclusiveMinimum")
            && compare(instance, m).is_none_or(|o| o.is_le())
        {
            out.push(format!("{at}: {instance} is not more than {m}"));
        }
    }
}

/// A `pattern` of the two shapes the schema writes, read as ECMA-262 reads them: `^[^C]*$`
/// (no character of the class C) and `^[^C]*[^M][^C]*$` (also one character outside the
/// class M, which is C and the white space written out), each class a list of `\uXXXX` and
/// `\uXXXX-\uXXXX`. Any other pattern is refused, as an unknown keyword is.
struct Pattern {
    excluded: Vec<(char, char)>,
    /// M: where present, at least one character must lie outside it.
    one_outside: Option<Vec<(char, char)>>,
}

impl Pattern {
    fn of(pattern: &str) -> Pattern {
        let refuse = || -> ! { panic!("the test's validator cannot read the pattern {pattern:?}") };
        let rest = pattern.strip_prefix("^[^").unwrap_or_else(|| refuse());
        let (class, rest) = rest.split_once("]*").unwrap_or_else(|| refuse());
        let one_outside = match rest {
            "$" => None,
            _ => {
                let middle = rest
                    .strip_prefix("[^")
                    .and_then(|r| r.strip_suffix(&format!("][^{class}]*$")))
                    .filter(|m| m.starts_with(class))
                    .unwrap_or_else(|| refuse());
                Some(Self::ranges(middle).unwrap_or_else(|| refuse()))
            }
        };
        Pattern {
            excluded: Self::ranges(class).unwrap_or_else(|| refuse()),
            one_outside,
        }
    }

    /// A class body's `\uXXXX` and `\uXXXX-\uXXXX` as ranges; None for anything else.
    fn ranges(class: &str) -> Option<Vec<(char, char)>> {
        let code = |hex: &str| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
        if !class.starts_with("\\u") {
            return None;
        }
        let mut ranges = Vec::new();
        let mut units = class.split("\\u").skip(1);
        while let Some(unit) = units.next() {
            match unit.split_once('-') {
                Some((low, "")) => ranges.push((code(low)?, code(units.next()?)?)),
                None if unit.len() == 4 => {
                    let c = code(unit)?;
                    ranges.push((c, c));
                }
                _ => return None,
            }
        }
        Some(ranges)
    }

    fn matches(&self, text: &str) -> bool {
        let within =
            |ranges: &[(char, char)], c: char| ranges.iter().any(|&(a, b)| (a..=b).contains(&c));
        !text.chars().any(|c| within(&self.excluded, c))
            && self
                .one_outside
                .as_ref()
                .is_none_or(|m| text.chars().any(|c| !within(m, c)))
    }
}

/// The validator itself, on cases from the JSON Schema specification's keywords.
#[test]
fn the_validator_knows_its_keywords() {
    use serde_json::json;
    let schema = Schema::new(json!({
        "type": "object",
        "required": ["a"],
        "additionalProperties": false,
        "properties": {
            "a": {"type": "integer", "minimum": 1, "maximum": 3},
            "b": {"type": "array", "minItems": 1, "items": [{"type": "string", "minLength": 2}], "additionalItems": {"type": "number", "exclusiveMinimum": 0}},
            "d": {"type": "array", "items": {"type": "integer"}, "additionalItems": false},
            "e": {"type": "array", "items": [{"type": "integer"}], "additionalItems": false},
            "c": {"anyOf": [{"type": "boolean"}, {"type": "null"}]}
        }
    }));
    for (instance, valid) in [
        (json!({"a": 1}), true),
        (json!({"a": 3.0}), true),
        (json!({"a": 2.5}), false),
        (json!({"a": 0}), false),
        (json!({"a": 4}), false),
        (json!({}), false),
        (json!({"a": 1, "z": 1}), false),
        (json!({"a": 1, "b": ["ab", 0.5, 2]}), true),
        (json!({"a": 1, "b": []}), false),
        (json!({"a": 1, "b": ["a"]}), false),
        (json!({"a": 1, "b": ["ab", 0]}), false),
        (
            serde_json::from_str(r#"{"a": 1, "b": ["ab", 0.00000000000000000001]}"#).unwrap(),
            true,
        ),
        (
            serde_json::from_str(r#"{"a": 3.00000000000000000001}"#).unwrap(),
            false,
        ),
        (json!({"a": 1, "b": [1]}), false),
        // `items` a schema: every item; `additionalItems` then unread.
        (json!({"a": 1, "d": [1, 2, 3]}), true),
        (json!({"a": 1, "d": [1, 2.5]}), false),
        // `items` a list: `additionalItems: false` refuses any item past it.
        (json!({"a": 1, "e": [1]}), true),
        (json!({"a": 1, "e": []}), true),
        (json!({"a": 1, "e": [1, 2]}), false),
        (json!({"a": 1, "e": ["x"]}), false),
        (json!({"a": 1, "c": true}), true),
        (json!({"a": 1, "c": null}), true),
        (json!({"a": 1, "c": 1}), false),
        (json!([1]), false),
    ] {
        assert_eq!(schema.is_valid(&instance), valid, "{instance}");
    }
    // `not`, `propertyNames` and the patterns the schema writes.
    let names = Schema::new(json!({
        "type": "object",
        "propertyNames": {"pattern": "^[^\\u0000-\\u001F\\u202E]*[^\\u0000-\\u001F\\u202E\\u0020\\u3000][^\\u0000-\\u001F\\u202E]*$"},
        "not": {"additionalProperties": {"maximum": 0}},
        "additionalProperties": {"type": "number"},
    }));
    for (instance, valid) in [
        (json!({"a b": 1}), true),
        (json!({"a": 0, "b": 2}), true),
        (json!({"a": 0}), false),
        (json!({}), false),
        (json!({" ": 1}), false),
        (json!({"": 1}), false),
        (json!({"a\u{1b}": 1}), false),
        (json!({"a\u{202e}b": 1}), false),
        (json!({"caf\u{e9}": 1}), true),
        // The white space is the class's, written out: U+3000 alone is blank, and U+FEFF
        // (which ECMA-262's `\s` would take, and the validator does not) is not.
        (json!({"\u{3000}": 1}), false),
        (json!({"\u{feff}": 1}), true),
    ] {
        assert_eq!(names.is_valid(&instance), valid, "{instance}");
    }
    let plain = Schema::new(json!({"pattern": "^[^\\u0000-\\u001F]*$"}));
    assert!(plain.is_valid(&json!("")) && plain.is_valid(&json!(" x ")));
    assert!(!plain.is_valid(&json!("x\ny")));
    let unknown = std::panic::catch_unwind(|| Schema::new(json!({"format": "x"})));
    assert!(unknown.is_err(), "an unknown keyword must be refused");
    let unread = std::panic::catch_unwind(|| Schema::new(json!({"pattern": "x"})));
    assert!(unread.is_err(), "a pattern it cannot read must be refused");
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

/// Every model in the repository: models/, the hand cases, the reference cases, the charts'
/// model and the bad corpus's valid bases.
fn repository_models() -> Vec<PathBuf> {
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
    models
}

#[test]
fn every_model_in_the_repository_passes() {
    let validator = validator();
    for model in repository_models() {
        let json = as_json(&model).unwrap_or_else(|| panic!("{} is not TOML", model.display()));
        let errors = validator.errors(&json);
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

/// taplo, the validator of the editors MODEL 12.7 names (its command line, and Even Better
/// TOML), where one is on PATH (`.ci/run` installs it with npm where it can; `npm install
/// @taplo/cli`): every model of the repository passes the printed schema, named by a
/// `#:schema` line as the built-in model names it, and a model with a value out of range, a
/// pair of three and a misspelt key fails. helper-287: the schema was draft 2020-12, which
/// taplo reads as draft 7, and it refused every `[year, value]` pair of every model.
#[test]
fn taplo_checks_the_models_against_the_schema() {
    let taplo = std::env::var("STAKESHIFT_TAPLO").unwrap_or_else(|_| "taplo".into());
    let runs = std::process::Command::new(&taplo)
        .arg("--version")
        .output()
        // (npm's taplo says its version and exits 1.)
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).starts_with("taplo "));
    if !runs {
        println!(
            "skipped: no taplo on PATH (or at STAKESHIFT_TAPLO), so no editor's validator reads the schema (`npm install @taplo/cli` to run this test)"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("stakeshift-taplo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("stakeshift.schema.json");
    std::fs::write(&schema, schema_text()).unwrap();
    let directive = format!("#:schema {}\n", schema.display());
    let named = |i: usize, text: &str| {
        let text = text
            .strip_prefix("#:schema ../docs/stakeshift.schema.json\n")
            .unwrap_or(text);
        let path = dir.join(format!("model-{i}.toml"));
        std::fs::write(&path, format!("{directive}{text}")).unwrap();
        path
    };
    let check = |files: &[PathBuf]| {
        let out = std::process::Command::new(&taplo)
            .arg("check")
            .args(files)
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let models: Vec<PathBuf> = repository_models()
        .iter()
        .enumerate()
        .map(|(i, model)| named(i, &std::fs::read_to_string(model).unwrap()))
        .collect();
    let (passed, said) = check(&models);
    assert!(passed, "taplo refused a model of the repository:\n{said}");
    let base = stakeshift::BUILTIN_MODEL;
    for (i, (from, to)) in [
        ("stake = 0.27", "stake = 1.5"),
        ("[2019, 1.0],", "[2019, 1.0, 3],"),
        ("stake = 0.27", "stak = 0.27"),
    ]
    .into_iter()
    .enumerate()
    {
        assert!(base.contains(from), "the built-in model has no {from:?}");
        let broken = named(1000 + i, &base.replacen(from, to, 1));
        let (passed, said) = check(&[broken]);
        assert!(!passed, "taplo let `{to}` through:\n{said}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
