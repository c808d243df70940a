//! The shape of a fuzz input, shared by both targets: the model file's bytes, then
//! optionally a NUL byte and the bytes of the CSV that any `trajectories_csv` path reads.
//! (TOML text cannot hold a raw NUL, so the split loses nothing a model could say.)

use stakeshift::model::{Model, ModelSource, parse_model};

/// The label the model is reported under in errors and chart footers.
pub const LABEL: &str = "fuzz.toml";

pub struct Input<'a> {
    pub model: &'a [u8],
    pub csv: Option<&'a [u8]>,
}

impl<'a> Input<'a> {
    pub fn split(data: &'a [u8]) -> Input<'a> {
        match data.iter().position(|&b| b == 0) {
            Some(i) => Input {
                model: &data[..i],
                csv: Some(&data[i + 1..]),
            },
            None => Input {
                model: data,
                csv: None,
            },
        }
    }
}

/// Parses the model as `stakeshift::io::load_model` does, but from memory: non-UTF-8 text is
/// refused up front, the CSV is served from the input, and an issue becomes the error the
/// user would read (formatted, so the line/column arithmetic runs too).
/// Returns the model and its text, or None where the model is refused.
pub fn parse(data: &[u8]) -> Option<(Model, String)> {
    let input = Input::split(data);
    let text = std::str::from_utf8(input.model).ok()?.to_string();
    let csv = input.csv.map(|b| String::from_utf8_lossy(b).into_owned());
    let mut load = |relative: &str| -> Result<String, String> {
        csv.clone()
            .ok_or_else(|| format!("{relative} (no CSV part in this input)"))
    };
    let parsed = parse_model(ModelSource {
        text: &text,
        load: &mut load,
    });
    match parsed {
        Ok(model) => Some((model, text)),
        Err(issue) => {
            let message = stakeshift::Error::model(LABEL, &text, issue).to_string();
            assert!(!message.is_empty(), "an empty error message");
            None
        }
    }
}
