//! Regression tests for the model-reading faults of issue 6: each test is named for the bug
//! it pins down, and runs the binary as a user would.

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;

/// A run that takes longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

fn stakeshift() -> Command {
    let mut cmd = Command::cargo_bin("stakeshift").unwrap();
    cmd.timeout(TIMEOUT);
    cmd
}

/// The corpus's small valid model (tests/bad/_valid.toml), without its comment line.
fn valid_model() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/bad/_valid.toml");
    std::fs::read_to_string(path).unwrap()
}

/// The valid model with `from` replaced by `to` (which must occur).
fn model_with(from: &str, to: &str) -> String {
    let text = valid_model();
    assert!(text.contains(from), "the base model has no {from:?}");
    text.replacen(from, to, 1)
}

/// Writes `text` to a fresh file and returns its path.
fn write_model(tag: &str, text: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("stakeshift-hardening-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `check` on `text`: (exit code, stderr).
fn check(tag: &str, text: &str) -> (i32, String) {
    let path = write_model(tag, text);
    let out = stakeshift().arg("check").arg(&path).output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    (code, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Fault 1: `a` and `" a"` in one `until` were one party with two caps, and the waterfall
/// moved 1e-12 a slice to the residual for ever. Now the second spelling is refused.
#[test]
fn regression_party_names_colliding_after_trimming_are_refused_not_looped() {
    let text = model_with(
        "shares = { investor = 0.5, others = 0.3 }\nuntil = { investor = 10.0 }",
        "shares = { investor = 0.5, a = 0.3 }\nuntil = { a = 1, \" a\" = 1.000000000001 }",
    );
    let (code, err) = check("until-collision", &text);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("\"a\"") && err.contains("\" a\""), "{err}");
    assert!(err.contains("profit_share.tiers[0].until"), "{err}");
}

/// The same collision across tables: the investor and a share, the residual and a share.
#[test]
fn regression_party_spelled_two_ways_in_different_tables_is_refused() {
    for (from, to, field) in [
        (
            "party = \"investor\"",
            "party = \"investor \"",
            "profit_share.tiers[0].shares.investor",
        ),
        (
            "others = 0.3 }",
            "others = 0.3, \"investor \" = 0.1 }",
            "profit_share.tiers[0].shares.\"investor \"",
        ),
    ] {
        let (code, err) = check("cross-table", &model_with(from, to));
        assert_eq!(code, 2, "{to}: {err}");
        assert!(err.contains(field), "{to}: {err}");
    }
}
