//! Fuzz target `overrides`: bytes -> `--set PATH=VALUE` overrides applied to a model
//! (`stakeshift::overrides::patch_and_parse`, what every command runs before it reads a
//! model) -> the patched model or the error the user would read; and, for a model the
//! overrides leave valid, `compare` on it. It must never panic, hang or blow up.
//!
//! An input is the overrides, one a line (at most 32 are read), then a NUL byte, then a
//! model input as the other targets read it (the model's bytes, optionally a NUL and a
//! CSV's). An input without a NUL sets its lines on the built-in model.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stakeshift::overrides::{Override, patch_and_parse};

#[allow(dead_code)] // (the model parser there is the other targets')
mod input;

fuzz_target!(|data: &[u8]| {
    let (sets, rest) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(sets) = std::str::from_utf8(sets) else {
        return;
    };
    let mut overrides = Vec::new();
    for line in sets.lines().take(32) {
        match Override::parse(line) {
            Ok(o) => overrides.push(o),
            // A refused override is an error with a message, as the command line shows it.
            Err(e) => {
                let message = stakeshift::Error::from(e).to_string();
                assert!(!message.is_empty(), "an empty override error");
                return;
            }
        }
    }
    let (model, csv) = match rest {
        Some(rest) => {
            let input = input::Input::split(rest);
            let Ok(model) = std::str::from_utf8(input.model) else {
                return;
            };
            (model, input.csv)
        }
        None => (stakeshift::BUILTIN_MODEL, None),
    };
    let csv = csv.map(|b| String::from_utf8_lossy(b).into_owned());
    let mut load = |relative: &str| -> Result<String, String> {
        csv.clone()
            .ok_or_else(|| format!("{relative} (no CSV part in this input)"))
    };
    match patch_and_parse(input::LABEL, model, &overrides, &mut load) {
        Ok(patched) => {
            for warning in &patched.warnings {
                assert!(!warning.is_empty(), "an empty warning");
            }
            if let Err(e) = stakeshift::compare::compare(&patched.model, None) {
                assert!(!e.to_string().is_empty(), "an empty engine error");
            }
        }
        Err(e) => assert!(!e.to_string().is_empty(), "an empty error message"),
    }
});
