//! The model's error messages: where they place an offset (line and column) and how they
//! show what the user wrote (control characters escaped, long text cut).

use stakeshift_core::error::*;

/// Fault 7 of issue 6: control characters reached the terminal raw in error messages.
#[test]
fn regression_error_messages_escape_control_characters() {
    let e = Error::Model {
        file: "m\u{7}.toml".into(),
        location: None,
        field: "trajectories[0].name".into(),
        message: "unknown key `a\u{1b}]0;pwned\u{7}`".into(),
    };
    let text = e.to_string();
    assert!(!text.chars().any(char::is_control), "{text:?}");
    assert!(text.contains("a\\u{1b}]0;pwned\\u{7}"), "{text}");
    let usage = Error::Usage("no trajectory `x\u{0}\r`".into()).to_string();
    assert_eq!(usage, "no trajectory `x\\u{0}\\u{d}`");
    let io = Error::io("dir\u{1b}/f", std::io::Error::other("boom")).to_string();
    assert_eq!(io, "dir\\u{1b}/f: boom");
}

#[test]
fn location_counts_lines_and_characters() {
    let src = "a = 1\nbé = 2\n";
    assert_eq!(Location::of_offset(src, 0), Location { line: 1, column: 1 });
    let at_eq = src.find("= 2").unwrap();
    assert_eq!(
        Location::of_offset(src, at_eq),
        Location { line: 2, column: 4 }
    );
    // An offset inside a multi-byte character or past the end does not panic.
    assert_eq!(Location::of_offset(src, 8).line, 2);
    assert_eq!(Location::of_offset(src, 999).line, 3);
}

/// helper-50's review: each warning was placed by reading the model from its start (a model
/// of 22,000 warnings took 15 s to check); `LineStarts` reads it once. Held to the plain
/// count, line by line and character by character, at every offset of every text of up to
/// six characters from one-, two- and four-byte characters and both line ends.
#[test]
fn line_starts_place_every_offset_as_counting_does() {
    fn counted(source: &str, offset: usize) -> Location {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        Location {
            line,
            column: before[start..].chars().count() + 1,
        }
    }
    let alphabet = ['a', 'é', '\n', '\r', '🦀'];
    let mut texts = vec![String::new()];
    for _ in 0..6 {
        let longer: Vec<String> = texts
            .iter()
            .filter(|t| t.chars().count() == texts.last().unwrap().chars().count())
            .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
            .collect();
        texts.extend(longer);
    }
    assert_eq!(texts.len(), (0..=6).map(|k| 5usize.pow(k)).sum::<usize>());
    for text in &texts {
        let lines = LineStarts::new(text);
        for offset in 0..=text.len() + 1 {
            assert_eq!(
                lines.location(offset),
                counted(text, offset),
                "{text:?} at {offset}"
            );
        }
    }
}

/// helper-133, -140: a message is held to about 4,000 characters however it was written,
/// control characters (each escaped to six or more) included; it keeps its beginning and
/// its end (helper-266: the end says what is wrong).
#[test]
fn regression_a_message_of_megabytes_or_of_control_characters_is_cut() {
    for (raw, escaped) in [
        ("S".repeat(1_000_000) + " END", "S"),
        ("\u{1}".repeat(5000) + " END", "\\u{1}"),
    ] {
        let line = stakeshift_core::Error::Usage(raw).to_string();
        assert!(line.chars().count() < 3100, "{}", line.len());
        assert!(
            line.starts_with(escaped) && line.ends_with(" END"),
            "{line}"
        );
        assert!(line.contains(" characters left out) ..."), "{line}");
    }
    // Never cut inside an escape, wherever the cuts fall (helper-268: `\u{1b}\u` at the
    // head's end, `{1b}` at the tail's start).
    for k in 0..6 {
        // k letters before and after move both cuts through every place in an escape.
        let a = "a".repeat(k);
        let raw = format!("{a}{} END{a}", "\u{1b}".repeat(700));
        let line = stakeshift_core::Error::Usage(raw).to_string();
        let (head, rest) = line.split_once("... (").unwrap();
        let tail = rest.split_once(") ...").unwrap().1;
        assert_eq!(head.replace("\\u{1b}", ""), a, "{k}: {head}");
        assert_eq!(
            tail.replace("\\u{1b}", ""),
            format!(" END{a}"),
            "{k}: {tail}"
        );
    }
    // A backslash of the text itself by a cut is no escape (helper-269: the tail skipped to
    // the message's end, losing its reason).
    for k in 0..3 {
        let raw = format!("{}{} END", "a".repeat(k), "\\".repeat(5000));
        let line = stakeshift_core::Error::Usage(raw).to_string();
        let tail = line.split_once(") ...").unwrap().1;
        assert_eq!(tail, format!("{} END", "\\".repeat(996)), "{k}");
    }
}
