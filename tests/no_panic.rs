//! Whatever the bytes, reading and running a model never panics: random text, random bytes,
//! and valid models with numbers swapped for extreme ones.

use proptest::prelude::*;
use stakeshift::model::{ModelSource, parse_model};

const VALID: &str = include_str!("bad/_valid.toml");

/// Parses and, when valid, runs every trajectory; panics only if the library does.
fn read_and_run(text: &str) {
    let mut load = |_: &str| -> Result<String, String> {
        Ok("trajectory,year,revenue,profit,valuation\nx,2020,1,1,1\n".into())
    };
    if let Ok(model) = parse_model(ModelSource {
        text,
        load: &mut load,
    }) {
        let _ = stakeshift::compare::compare(&model, None);
    }
}

/// The byte ranges of the numbers in `text`.
fn number_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit()
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'_')
        {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            spans.push(start..i);
        } else {
            i += 1;
        }
    }
    spans
}

const EXTREMES: &[&str] = &[
    "0",
    "0.0",
    "-0.0",
    "1",
    "-1",
    "-1.0000001",
    "0.999999999",
    "1000000000000000000",
    "-1000000000000000000",
    "99999999999",
    "1e18",
    "1e-30",
    "1e300",
    "-1e300",
    "inf",
    "nan",
    "0.0000000000000000000000000001",
    "2147483648",
    "-2147483649",
    "79228162514264337593543950335",
    "1000",
    "500",
    "2019",
    "1970",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in ".{0,400}") {
        read_and_run(&text);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        read_and_run(&String::from_utf8_lossy(&bytes));
    }

    /// Up to four numbers of a valid model replaced by extreme values.
    #[test]
    fn extreme_numbers_never_panic(picks in prop::collection::vec((any::<prop::sample::Index>(), 0..EXTREMES.len()), 1..=4)) {
        let spans = number_spans(VALID);
        let mut chosen: Vec<(std::ops::Range<usize>, &str)> = picks
            .iter()
            .map(|(i, e)| (spans[i.index(spans.len())].clone(), EXTREMES[*e]))
            .collect();
        chosen.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        chosen.dedup_by_key(|(r, _)| r.start);
        let mut text = VALID.to_string();
        for (range, value) in chosen {
            text.replace_range(range, value);
        }
        read_and_run(&text);
    }

    /// Random cuts of a valid model.
    #[test]
    fn truncated_models_never_panic(cut in 0usize..VALID.len()) {
        let mut cut = cut;
        while !VALID.is_char_boundary(cut) {
            cut -= 1;
        }
        read_and_run(&VALID[..cut]);
    }
}

#[test]
fn the_valid_model_is_valid() {
    let mut load = |_: &str| -> Result<String, String> { Err("none".into()) };
    let model = parse_model(ModelSource {
        text: VALID,
        load: &mut load,
    })
    .unwrap();
    stakeshift::compare::compare(&model, None).unwrap();
}
