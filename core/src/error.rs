//! The one error type of stakeshift, and how each kind maps to an exit code.
//!
//! Inside the library errors are typed; the binary adds context at the top and turns them
//! into the SPEC's exit codes (2 for bad usage or a bad model file, 1 for anything else).
//!
//! ```
//! use stakeshift_core::Error;
//! use stakeshift_core::model::{ModelSource, parse_model};
//!
//! // `USD m` is not quoted: the bad value is on line 2, after `unit = `, at column 8.
//! let text = "name = \"Tiny\"\nunit = USD m\n";
//! let issue = parse_model(ModelSource { text, load: &mut |_| Err("no files".into()) });
//! let error = Error::model("tiny.toml", text, issue.unwrap_err());
//! assert!(error.to_string().starts_with("tiny.toml, line 2, column 8: "));
//! // A bad model file or bad usage exits with 2, anything else with 1.
//! assert_eq!(error.exit_code(), 2);
//! assert_eq!(Error::Usage("no trajectory `baes`".into()).exit_code(), 2);
//! let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
//! assert_eq!(Error::io("out/summary.csv", denied).exit_code(), 1);
//! ```

use std::fmt;
use std::path::PathBuf;

/// A place in a model file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The line and column of a byte offset in `source` (for many offsets into one text,
    /// [`LineStarts`] finds each without reading the text again).
    pub fn of_offset(source: &str, offset: usize) -> Location {
        LineStarts::new(source).location(offset)
    }
}

/// Where each line of a text starts: the text read once, then any number of byte offsets
/// turned into lines and columns, each by a binary search (a model's warnings, one per
/// trajectory of a 40,000-trajectory file, were each placed by reading the file from its
/// start: minutes).
#[derive(Debug, Clone)]
pub struct LineStarts<'a> {
    source: &'a str,
    /// The byte offset of each line's first character; the first is 0.
    starts: Vec<usize>,
}

impl<'a> LineStarts<'a> {
    pub fn new(source: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineStarts { source, starts }
    }

    /// The line and column (in characters) of byte `offset`.
    pub fn location(&self, offset: usize) -> Location {
        let source = self.source;
        // Step back to a char boundary so a span inside a multi-byte character cannot panic.
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        // The last line starting at or before the offset (a line starts after a '\n', so
        // an offset on a '\n' is the end of the line before).
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let column = source[line_start..offset].chars().count() + 1;
        Location { line, column }
    }
}

/// What is wrong with a model, before it is tied to a file: the field path
/// (`profit_share.tiers[1].shares`), the byte span where known, and the message, which says
/// what is wrong and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelIssue {
    pub field: String,
    pub span: Option<std::ops::Range<usize>>,
    pub message: String,
}

impl ModelIssue {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ModelIssue {
            field: field.into(),
            span: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, span: std::ops::Range<usize>) -> Self {
        self.span = Some(span);
        self
    }
}

/// Every error stakeshift reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model file that does not follow the SPEC, or that cannot be computed (a round
    /// without a positive pre-money value, an amount too large to hold).
    #[error("{}", render_model_error(file, location, field, message))]
    Model {
        file: String,
        location: Option<Location>,
        field: String,
        message: String,
    },
    /// Bad usage of the command line that clap cannot see (an unknown trajectory name).
    #[error("{}", capped(&plain_text(.0)))]
    Usage(String),
    /// Reading or writing a file failed.
    // The cause is part of the message, not a `#[source]` (thiserror would make a field
    // named `source` one), so that `{:#}` prints it once.
    #[error("{}: {}", plain_text(&path_shortened(&path.display().to_string())), capped(&plain_text(&cause.to_string())))]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// Drawing a chart failed.
    #[error("drawing {}: {}", plain_text(chart), plain_text(message))]
    Chart { chart: String, message: String },
    /// Building an export file (the workbook) failed.
    #[error("building {file}: {message}")]
    Export { file: String, message: String },
}

fn render_model_error(
    file: &str,
    location: &Option<Location>,
    field: &str,
    message: &str,
) -> String {
    // Where the model's text came from: a `--set` with its value, which can be a series of
    // thousands of points, shortened to its start, so that the field and the message after
    // it are never the part cut (helper-168: a 5,000-digit `--set` left only itself); a
    // path to its end, which names the file (helper-170: a deep folder's path lost it).
    // (What wrote the text, a `--set` or `solve PATH`, comes here already shortened to its
    // start, by `origin_shortened`; anything longer is the model's path.)
    let mut out = path_shortened(file).into_owned();
    if let Some(loc) = location {
        out.push_str(&format!(", line {}, column {}", loc.line, loc.column));
    }
    out.push_str(": ");
    if !field.is_empty() {
        // A field is a path with the user's keys and names in it, of any length.
        out.push_str(&quoted(field));
        out.push_str(": ");
    }
    out.push_str(message);
    // Cut after escaping, so that a message of control characters (each written as six or
    // more) is held to the limit too (helper-140).
    capped(&plain_text(&out)).into_owned()
}

/// The most characters of a message an error or warning line gives; a longer one keeps its
/// first [`MESSAGE_HEAD`] and last [`MESSAGE_TAIL`] and says how much was left out between
/// them. Names, keys and lists are shortened where they are quoted ([`quoted`],
/// [`listed`]); this bounds what quotes a value whole (a text of 10 MB where a number
/// belongs, a CSV cell of 60 MB, a series of 10,000 points given to `--set`: lines of
/// megabytes, helper-133). The end is kept because that is where a message says what is
/// wrong and what would be valid (helper-266: a name of 4,000 characters quoted whole left
/// only the name).
const MESSAGE_MAX: usize = 4000;
const MESSAGE_HEAD: usize = 2000;
const MESSAGE_TAIL: usize = 1000;
/// The most characters of where a model error's text came from (a file's path, a `--set`);
/// a longer one keeps its first [`SOURCE_HEAD`].
const SOURCE_MAX: usize = 400;
const SOURCE_HEAD: usize = 300;

/// `message`, where it is longer than 4,000 characters, as its first 2,000 and its last
/// 1,000 about a note of how many were left out.
///
/// ```
/// use stakeshift_core::error::capped;
/// let long = format!("trajectory `{}`: the pre-money value is not above 0", "y".repeat(5000));
/// let shown = capped(&long);
/// assert!(shown.starts_with("trajectory `yyy") && shown.ends_with("is not above 0"));
/// assert!(shown.contains("... (2049 of a message's 5049 characters left out) ..."));
/// ```
pub fn capped(message: &str) -> std::borrow::Cow<'_, str> {
    if message.char_indices().nth(MESSAGE_MAX).is_none() {
        return std::borrow::Cow::Borrowed(message);
    }
    let count = message.chars().count();
    let byte_at = |chars: usize| {
        message
            .char_indices()
            .nth(chars)
            .map_or(message.len(), |(i, _)| i)
    };
    let (mut head_end, mut tail_start) = (byte_at(MESSAGE_HEAD), byte_at(count - MESSAGE_TAIL));
    // Not inside an escape (`\u{1b}`, as control characters are written): the head ends
    // before it, the tail starts after it (helper-268: `\u{1b}\u` ... `{1b}`).
    if let Some((start, _)) = escape_around(message, head_end) {
        head_end = start;
    }
    if let Some((_, end)) = escape_around(message, tail_start) {
        tail_start = end;
    }
    let (head, tail) = (&message[..head_end], &message[tail_start..]);
    let left_out = count - head.chars().count() - tail.chars().count();
    std::borrow::Cow::Owned(format!(
        "{head}... ({left_out} of a message's {count} characters left out) ...{tail}"
    ))
}

/// The escape `\u{...}` (of 1 to 6 hex digits) that `at` falls strictly inside, as byte
/// offsets of its backslash and of the byte after its `}`; None at its edges, or where the
/// backslash begins no such escape (a backslash of the text itself: helper-269, a `\` by
/// the tail's cut made it skip to the end).
fn escape_around(text: &str, at: usize) -> Option<(usize, usize)> {
    const LONGEST: usize = "\\u{10ffff}".len();
    let from = (at.saturating_sub(LONGEST - 1)..=at).find(|&i| text.is_char_boundary(i))?;
    let start = from + text[from..at].rfind('\\')?;
    let rest = &text[start..];
    let digits = rest.strip_prefix("\\u{")?;
    let close = digits.find('}')?;
    let end = start + 3 + close + 1;
    let escape = (1..=6).contains(&close) && digits[..close].chars().all(|c| c.is_ascii_hexdigit());
    (escape && start < at && at < end).then_some((start, end))
}

/// `text` whole up to `most` characters, else its first `head` and `(what it was)`.
fn shortened(
    text: &str,
    most: usize,
    head: usize,
    said: impl Fn(usize) -> String,
) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(most) {
        None => std::borrow::Cow::Borrowed(text),
        Some(_) => {
            let count = text.chars().count();
            let kept: String = text.chars().take(head).collect();
            std::borrow::Cow::Owned(format!("{kept}... ({})", said(count)))
        }
    }
}

/// A panic's message, where its payload is text (as `panic!` and `expect` make it).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// `text` with every control character (Unicode category Cc: ESC, BEL, NUL, CR, newline,
/// tab...) written as a Rust-style escape, `\u{1b}`. Error messages quote what the user
/// wrote (names, keys, paths); raw, an ESC sequence could retitle or rewrite the terminal.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `text` with every character that plain text refuses written as an escape, `\u{202e}`:
/// the control characters [`escape_controls`] escapes, and the bidirectional formatting
/// characters (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), which make what
/// follows display in another order than it is written. For the user's own text printed
/// beside numbers where the model's rules do not reach it (a `--set` in a table's what-if
/// line: helper-170, a CR in it hid the line in a terminal, a U+202E reversed it).
///
/// ```
/// use stakeshift_core::error::plain_text;
/// assert_eq!(plain_text("a=1\r"), "a=1\\u{d}");
/// assert_eq!(plain_text("x \u{202e} y"), "x \\u{202e} y");
/// assert_eq!(plain_text("café"), "café");
/// ```
pub fn plain_text(text: &str) -> std::borrow::Cow<'_, str> {
    // (And the line and paragraph separators, which break a line as a newline does; and
    // the characters a terminal shows as nothing, which a name may hold: helper-293,
    // helper-294.)
    let escaped = |c: char| {
        matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        ) || invisible(c)
    };
    if !text.chars().any(|c| c.is_control() || escaped(c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() || escaped(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `c` shows as nothing (or not at all) where it is printed: Unicode's
/// Default_Ignorable_Code_Point characters (the soft hyphen, the zero-width space and
/// joiners, the word joiner, the Hangul fillers, variation selectors, the byte-order mark,
/// the tag characters...: helper-297, helper-299, a name holding one was offered in a
/// command as if it could be typed) and its noncharacters (U+FDD0-U+FDEF, and the last two
/// of every plane, U+FFFE, U+FFFF, U+1FFFE...). A message names such a character by its
/// number.
///
/// ```
/// use stakeshift_core::error::invisible;
/// assert!(invisible('\u{FEFF}') && invisible('\u{FFFF}') && invisible('\u{1FFFE}'));
/// assert!(invisible('\u{AD}') && invisible('\u{E0041}') && invisible('\u{3164}'));
/// assert!(!invisible('a') && !invisible('é') && !invisible(' '));
/// ```
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
            | '\u{FDD0}'..='\u{FDEF}'
    ) || u32::from(c) & 0xFFFE == 0xFFFE
}

/// A file's or folder's path as an error names it: whole up to 400 characters, else how
/// many there are and its last 300, which name the file (helper-170: a deep folder's path
/// lost it; helper-175: an output folder's path of 5,000 characters was quoted whole,
/// twice).
///
/// ```
/// use stakeshift_core::error::path_shortened;
/// let deep = format!("{}/m.toml", "a".repeat(1000));
/// let short = path_shortened(&deep);
/// assert!(short.starts_with("(a path of 1007 characters) ...") && short.ends_with("aaa/m.toml"));
/// assert_eq!(path_shortened("models/m.toml"), "models/m.toml");
/// ```
pub fn path_shortened(path: &str) -> std::borrow::Cow<'_, str> {
    let count = path.chars().count();
    if count <= SOURCE_MAX {
        std::borrow::Cow::Borrowed(path)
    } else {
        let tail: String = path.chars().skip(count - SOURCE_HEAD).collect();
        std::borrow::Cow::Owned(format!("(a path of {count} characters) ...{tail}"))
    }
}

/// What wrote a model's text other than its file (`--set PATH=VALUE`, `--vary ...`, `solve
/// PATH`), as an error names it in the file's place: whole up to 400 characters, else its
/// first 300 and how many there are (helper-168: a 5,000-digit `--set` left only itself in
/// its error, the reason cut).
///
/// ```
/// use stakeshift_core::error::origin_shortened;
/// let long = format!("--set discount_rate=0.{}", "1".repeat(5000));
/// let short = origin_shortened(&long);
/// assert!(short.starts_with("--set discount_rate=0.111") && short.ends_with("(5022 characters)"));
/// assert_eq!(origin_shortened("--set a=1"), "--set a=1");
/// ```
pub fn origin_shortened(origin: &str) -> String {
    shortened(origin, SOURCE_MAX, SOURCE_HEAD, |count| {
        format!("{count} characters")
    })
    .into_owned()
}

/// How many characters of a name, key or path a message quotes; and how many it keeps of
/// a longer one.
const QUOTED: usize = 100;
const QUOTED_HEAD: usize = 60;

/// `text` as a message quotes it: whole up to 100 characters, else its first 60 and how
/// many there are, as a number of a thousand digits is quoted (helper-78). A name, key or
/// path is the user's, of any length: a 1 MB key was echoed whole, twice (helper-97).
///
/// ```
/// use stakeshift_core::error::quoted;
/// assert_eq!(quoted("base"), "base");
/// let long = "x".repeat(1000);
/// assert_eq!(quoted(&long), format!("{}... (1000 characters)", "x".repeat(60)));
/// ```
pub fn quoted(text: &str) -> std::borrow::Cow<'_, str> {
    shortened(text, QUOTED, QUOTED_HEAD, |count| {
        format!("{count} characters")
    })
}

/// `word` as one word for a POSIX shell, for a command a message suggests: in single
/// quotes, a quote inside written `'\''` (a trajectory named `it's` made `'...it's...'`, a
/// quote never closed: helper-161).
///
/// ```
/// use stakeshift_core::error::shell_word;
/// assert_eq!(shell_word("a=1"), "'a=1'");
/// assert_eq!(shell_word("it's"), r"'it'\''s'");
/// ```
pub fn shell_word(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// `word` as a command line would take it: as it is where a shell leaves it so, else in
/// single quotes ([`shell_word`]).
///
/// ```
/// use stakeshift_core::error::shell_arg;
/// assert_eq!(shell_arg("equity.stake=0.4"), "equity.stake=0.4");
/// assert_eq!(shell_arg("name=\"a b\""), r#"'name="a b"'"#);
/// ```
pub fn shell_arg(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.,+:@%/=-".contains(c));
    if plain {
        word.to_string()
    } else {
        shell_word(word)
    }
}

/// How many names of a list a message gives.
pub const LISTED: usize = 20;

/// `names` as a message lists them: `a, b, c`, each [`quoted`], the first 20 of a longer
/// list and how many more there are. A list of 20,000 trajectories of long names made one
/// error line of 60 MB (helper-97).
///
/// ```
/// use stakeshift_core::error::listed;
/// assert_eq!(listed(["base", "bull"]), "base, bull");
/// let many: Vec<String> = (0..25).map(|i| format!("t{i}")).collect();
/// assert!(listed(&many).ends_with("t18, t19 and 5 more"));
/// ```
pub fn listed<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> String {
    let mut out = String::new();
    let mut more = 0usize;
    for (i, name) in names.into_iter().enumerate() {
        if i >= LISTED {
            more += 1;
            continue;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&quoted(name.as_ref()));
    }
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

/// Edit distances to many candidates, within a budget. Every distance took time in the
/// product of the two lengths, so 20,000 trajectory names of 1,000 characters took 14 s to
/// tell a name is unknown, and 576,000 paths of a 192,000-point series 30 s (helper-97).
/// A candidate whose length differs from the key's by more than the best distance so far
/// cannot be nearer (the distance is at least that difference) and is not measured; and
/// once the measuring has taken about a second's work, the nearest found so far is the
/// answer. A model of ordinary size is far within it, so its suggestions are unchanged.
#[derive(Default)]
pub struct BoundedSearch {
    /// The cells of the distances' tables filled so far.
    work: usize,
}

impl BoundedSearch {
    /// About a second's worth of the distance's table cells.
    const BUDGET: usize = 10_000_000;

    /// The Damerau-Levenshtein distance between `key` and `candidate` (their lengths in
    /// characters given), or None where it must be greater than `best`.
    pub fn distance(
        &mut self,
        key: &str,
        key_length: usize,
        candidate: &str,
        length: usize,
        best: Option<usize>,
    ) -> Option<usize> {
        if best.is_some_and(|b| key_length.abs_diff(length) > b) {
            return None;
        }
        self.work += (key_length + 2) * (length + 2);
        Some(strsim::damerau_levenshtein(key, candidate))
    }

    /// Whether the budget is spent: the caller keeps what it has found.
    pub fn spent(&self) -> bool {
        self.work > Self::BUDGET
    }
}

impl Error {
    /// Ties a [`ModelIssue`] to the file it came from, turning its span into a line and column.
    pub fn model(file: &str, source: &str, issue: ModelIssue) -> Error {
        Error::model_in(file, &LineStarts::new(source), issue)
    }

    /// [`Error::model`] for one of many issues of the same text.
    pub fn model_in(file: &str, lines: &LineStarts<'_>, issue: ModelIssue) -> Error {
        Error::Model {
            file: file.to_string(),
            location: issue.span.as_ref().map(|s| lines.location(s.start)),
            field: issue.field,
            message: issue.message,
        }
    }

    /// The SPEC's exit code for this error: 2 for bad usage or a bad model file, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Model { .. } | Error::Usage(_) => 2,
            Error::Io { .. } | Error::Chart { .. } | Error::Export { .. } => 1,
        }
    }

    pub fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            cause,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
