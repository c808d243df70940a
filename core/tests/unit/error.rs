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
