//! Turning toml and serde errors into a [`ModelIssue`] a reader can act on: the field
//! path as the file writes it, the nearest valid key, where a misplaced key belongs.
//!
//! A misspelt key, a key under the wrong header, and a key given twice (the parse stops at
//! the first problem, so these fragments of a model are enough):
//!
//! ```
//! use stakeshift_core::error::Location;
//! use stakeshift_core::model::{ModelSource, parse_model};
//!
//! let issue = |text| parse_model(ModelSource { text, load: &mut |_| Err("none".into()) });
//! // Misspelt: named by its path, with the valid key nearest to it.
//! let misspelt = issue("[equity]\nstak = 0.27\n").unwrap_err();
//! assert_eq!(misspelt.field, "equity.stak");
//! assert!(misspelt.message.starts_with("unknown key `stak`; did you mean `stake`? "));
//! // After `[equity]`, TOML puts a key in [equity]: a top-level key is told where it goes.
//! let misplaced = issue("[equity]\ndiscount_rate = 0.09\n").unwrap_err();
//! assert_eq!(misplaced.field, "equity.discount_rate");
//! assert!(misplaced.message.starts_with("`discount_rate` does not belong here but in the \
//!     top level (before any [table])"));
//! // Given twice: TOML says only "duplicate key"; the message adds the path, and the span
//! // is the second one, on line 3.
//! let text = "[equity]\nstake = 0.27\nstake = 0.3\n";
//! let twice = issue(text).unwrap_err();
//! assert_eq!(twice.field, "equity.stake");
//! assert!(twice.message.contains("this key is given twice"));
//! assert_eq!(Location::of_offset(text, twice.span.unwrap().start).line, 3);
//! ```

use super::*;
use crate::error::Location;

pub(super) fn syntax_issue(text: &str, e: &toml::de::Error) -> ModelIssue {
    let mut message = e.message().trim().to_string();
    let mut field = String::new();
    let mut span = e.span();
    if message == "duplicate key"
        && let Some(stop) = e.span()
        && let Some(key) = text.get(stop.clone())
    {
        match renamed_key(text, stop.clone()) {
            Some(renamed) => {
                let first = renamed.first_given_at();
                let path = renamed.path;
                // (helper-223: "given twice" named the second place only; a user then
                // hunts for the first in a long file.)
                let first = first.map_or(String::new(), |at| {
                    let first = Location::of_offset(text, at);
                    if first.line == Location::of_offset(text, stop.start).line {
                        format!("first given on this line, column {}; ", first.column)
                    } else {
                        format!("first given on line {}; ", first.line)
                    }
                });
                message = format!(
                    "this key is given twice ({first}a key, or a [table], may appear once in its table; a list of tables is written [[name]])"
                );
                field = path;
            }
            None => match list_header_after_a_table(text, stop.start) {
                Some((name, said, slip)) => {
                    message = said;
                    field = name;
                    span = Some(slip);
                }
                None => message = format!("duplicate key `{}`", key.trim()),
            },
        }
    }
    if let Some(span) = e.span()
        && field.is_empty()
        && let Some((path, said)) = key_line_without_its_value(text, span.start, &message)
    {
        message = said;
        field = path;
    } else if let Some(span) = e.span()
        && field.is_empty()
        && let Some(said) = not_finite_spelling(text, span.start)
    {
        // (Not where the key was found given twice, `field` named: helper-178.)
        message = said;
    } else if let Some(span) = e.span()
        && field.is_empty()
        && let Some(said) = bare_word_spelling(text, span.start, value_takes_text(text, span.start))
    {
        message = said;
    } else if let Some(span) = e.span()
        && !value_takes_text(text, span.start)
        && let Some(habit) = spreadsheet_habit(text, span.start)
    {
        message = habit;
    } else if let Some(span) = e.span()
        && let Some(said) = grouped_value_in_a_pair(text, span.start)
    {
        message = said;
    } else if let Some(span) = e.span()
        && let Some(said) =
            typed_as_a_document_shows_it(text, span.start, value_takes_text(text, span.start))
    {
        message = said;
    } else if let Some(at) = e.span()
        && let Some((path, said, rest)) = after_a_value(text, at.start)
    {
        message = said;
        field = path;
        // At what follows the value, where the reader may have stopped at the value.
        span = Some(rest);
    }
    // An invisible character where TOML wants a key or value: a second byte-order mark (a
    // file saved twice with one) or a zero-width space, which no message could show
    // (helper-160: "invalid unquoted key" at a place that looks empty). Where the parser
    // stops on one it is the error; where it stops elsewhere on a line that holds one
    // (after it: helper-161), the message says where it is too.
    if let Some(span) = e.span() {
        message = invisible_on_the_line(text, span.start, message);
        message = odd_character_here(text, span.start, message);
    }
    if field.is_empty()
        && let Some(span) = e.span()
        && let Some(path) = key_of_the_line(text, span.start)
    {
        field = path;
    }
    // A stop inside a value begun on a line above (a multi-line array, string or an
    // inline table left open): the key whose value it is, and where what is still open
    // began (helper-192: an unclosed `"""` was told at the file's end, with no key).
    if field.is_empty()
        && let Some(stop) = span.clone()
        && let Some(open) = open_value(text, stop.start)
    {
        field = key_of_the_line(text, open.equals + 1).unwrap_or_default();
        let at_the_end = text
            .get(stop.start..)
            .is_some_and(|rest| rest.trim().is_empty());
        if let Some(note) = still_open_note(text, stop.start, &open, at_the_end) {
            message = format!("{message}; {note}");
        }
        if at_the_end {
            span = Some(open.opened..open.opened + 1);
        }
    }
    // The reader names no place for nesting past its limit (helper-192: a dotted key of
    // 200 parts was told with no line): the first line that nests that deep.
    if span.is_none() && parser_words(&message).contains("nested too deeply") {
        span = nested_deepest(text);
    }
    let issue = ModelIssue::new(
        field,
        format!("the file is not valid TOML: {}", parser_words(&message)),
    );
    match span {
        Some(span) => issue.at(span),
        None => issue,
    }
}

/// A `[[name]]` header the reader refused as "duplicate key" because a header above made
/// `name` one table (helper-223: `[[trajectory]]` misspelt, or `[trajectories]` with one
/// bracket, before `[trajectories.revenue]`, was told at the next, correct `[[trajectories]]`
/// 40 lines on, as a key given twice), or a `[name]` on a later entry of a list: the name,
/// what to write, and where the slip is. Headers are lines that read as a header by
/// themselves (not a row of an array); one inside a multi-line string may be taken for one.
/// Bounded as [`key_of_the_line`] is (helper-224: a scan of every `[` line, with strings
/// built for each, took 57 s for 6 MB).
fn list_header_after_a_table(
    text: &str,
    at: usize,
) -> Option<(String, String, std::ops::Range<usize>)> {
    let at = at.min(text.len());
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    if line_start > KEY_OF_THE_LINE_ABOVE {
        return None;
    }
    let line = text.get(line_start..)?.lines().next()?.trim();
    if line.len() > AFTER_A_VALUE_LINE {
        return None;
    }
    let here_line = text.get(..line_start)?.matches('\n').count() + 1;
    // The headers above: (start, header without its comment, is a list's header, name).
    let mut headers: Vec<(usize, &str, bool, String)> = Vec::new();
    let mut offset = 0;
    for l in text.get(..line_start)?.split_inclusive('\n') {
        let trimmed = l.trim();
        if trimmed.starts_with('[') && trimmed.len() <= AFTER_A_VALUE_LINE {
            let header = trimmed.split('#').next().unwrap_or(trimmed).trim_end();
            if let Some((list, name)) = header_name(header) {
                headers.push((
                    offset + (l.len() - l.trim_start().len()),
                    header,
                    list,
                    name,
                ));
            }
        }
        offset += l.len();
    }
    let (list_here, name) = header_name(line.split('#').next().unwrap_or(line).trim_end())?;
    let dotted = format!("{name}.");
    let of_name = |n: &str| n == name || n.starts_with(&dotted);
    if !list_here {
        // `[trajectories]` on a later entry of the list: one bracket where two go.
        let &(first, ..) = headers.iter().find(|(_, _, list, n)| *list && *n == name)?;
        return Some((
            name.clone(),
            format!(
                "`[{name}]` should be `[[{name}]]`: `{name}` is a list of tables (`[[{name}]]` at line {}), and each entry's header has two brackets",
                text.get(..first)?.matches('\n').count() + 1
            ),
            line_start..line_start + 1,
        ));
    }
    let (i, (table_at, table, _, table_name)) = headers
        .iter()
        .enumerate()
        .find(|(_, (_, _, list, n))| !*list && of_name(n))?;
    let table_line = text.get(..*table_at)?.matches('\n').count() + 1;
    let shown_table = crate::error::quoted(table);
    if *table_name == name {
        return Some((
            name.clone(),
            format!(
                "`{shown_table}` at line {table_line} should be `[[{name}]]`: with one bracket it makes `{name}` one table, and the `[[{name}]]` at line {here_line} was refused as a key given twice"
            ),
            *table_at..*table_at + 1,
        ));
    }
    // `[name.sub]` belongs to the list's entry begun by the header above it: misspelt, or
    // missing (helper-224: where it is missing, the header above is another table's).
    let (above_at, above, above_list, above_name) = headers.get(i.checked_sub(1)?)?;
    if *above_list && *above_name == name {
        return None;
    }
    let above_line = text.get(..*above_at)?.matches('\n').count() + 1;
    // Told at the header above where it is a list's (a misspelt one), else at the table.
    let slip_at = if *above_list { *above_at } else { *table_at };
    Some((
        name.clone(),
        format!(
            "`{shown_table}` at line {table_line} belongs to an entry of the list `{name}`, but no `[[{name}]]` begins that entry: the header above it, `{}` at line {above_line}, is a misspelt `[[{name}]]`, or one is missing before line {table_line} (so the `[[{name}]]` at line {here_line} was refused as a key given twice)",
            crate::error::quoted(above)
        ),
        slip_at..slip_at + 1,
    ))
}

/// A header line's name, as its parts joined by `.`, and whether it is a list's (`[[...]]`);
/// None where the line does not read as a header by itself (a row of an array).
fn header_name(header: &str) -> Option<(bool, String)> {
    header_parts(header).map(|(list, parts)| (list, parts.join(".")))
}

/// [`header_name`]'s parts, each as TOML reads it (`[a."b.c"]`: `a` and `b.c`).
fn header_parts(header: &str) -> Option<(bool, Vec<String>)> {
    let list = header.starts_with("[[");
    let table: toml::Table = format!("{header}\n").parse().ok()?;
    let parts = only_path(&table, |value| match value {
        toml::Value::Table(inner) => inner.is_empty(),
        toml::Value::Array(rows) => list && rows.len() == 1,
        _ => false,
    })?;
    Some((list, parts))
}

/// The keys down to the one value of `table`, where each level holds one entry, to the
/// first value `leaf` takes; None where a level holds more, or a value is neither.
fn only_path(table: &toml::Table, leaf: impl Fn(&toml::Value) -> bool) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut level = table;
    loop {
        let mut entries = level.iter();
        let (name, value) = entries.next()?;
        if entries.next().is_some() {
            return None;
        }
        parts.push(name.clone());
        match value {
            v if leaf(v) => return Some(parts),
            toml::Value::Table(inner) => level = inner,
            _ => return None,
        }
    }
}

/// Where the TOML reader stopped after a whole `key = value` on the line (`discount_rate =
/// 0.15 0`): the key's path (found as [`duplicate_key_path`] finds one, in the file without
/// what follows the value; the key as written where the file does not parse so either) and
/// the message, which names the key and what follows its value (helper-169: "string values
/// must be quoted, expected literal string" named neither).
fn after_a_value(text: &str, at: usize) -> Option<(String, String, std::ops::Range<usize>)> {
    let at = at.min(text.len());
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
    // A CRLF line ends before its CR.
    let line_end = if line_end > at && text.get(..line_end)?.ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    // Each try reads the line again: bounded, so that a hostile line of a million spaces
    // costs no more than a few (the message is then the reader's own).
    if line_end - line_start > AFTER_A_VALUE_LINE {
        return None;
    }
    // Where the whole value ends: at the stop (`a = [1, 2] 3` stops at the 3), or, where the
    // reader took the words after `=` for one bare text (`x = 0.15 0` stops at the 0.15), at
    // the first space after which the line up to it is one whole `key = value`.
    // TOML's whitespace: a lone CR, a form feed are none (helper-171).
    let toml_space: &[char] = &[' ', '\t'];
    let whole = |end: usize| {
        text.get(line_start..end)
            .and_then(|line| {
                line.trim_end_matches(toml_space)
                    .parse::<toml::Table>()
                    .ok()
            })
            .is_some_and(|t| t.len() == 1)
    };
    let end = std::iter::once(at)
        .chain(
            text.get(at..line_end)?
                .char_indices()
                .filter(|(_, c)| toml_space.contains(c))
                .map(|(i, _)| at + i),
        )
        .take(AFTER_A_VALUE_TRIES)
        .find(|&end| whole(end))?;
    let before = text.get(line_start..end)?.trim_end_matches(toml_space);
    // What follows the value, without the line's comment, trimmed of TOML's whitespace.
    let line_rest = text.get(end..line_end)?;
    let rest = line_rest
        .split('#')
        .next()
        .unwrap_or(line_rest)
        .trim_matches(toml_space);
    let rest_at = end + (line_rest.len() - line_rest.trim_start_matches(toml_space).len());
    // A character that cannot be seen or that reorders or breaks text (a control
    // character, a zero-width, filler, variation-selector, tag or bidirectional formatting
    // one, a line or paragraph separator: helper-172) is never quoted: the reader's own words
    // then, and `invisible_on_the_line`'s (helper-171: a word joiner was quoted as nothing,
    // a U+202E written raw to the terminal, a lone CR hidden).
    let unseen = |c: char| {
        c.is_control()
            || matches!(
                c,
                '\u{00AD}'
                    | '\u{034F}'
                    | '\u{061C}'
                    | '\u{115F}'
                    | '\u{1160}'
                    | '\u{180E}'
                    | '\u{200B}'..='\u{200F}'
                    | '\u{2028}'..='\u{202E}'
                    | '\u{2060}'..='\u{2064}'
                    | '\u{2066}'..='\u{206F}'
                    | '\u{3164}'
                    | '\u{FE00}'..='\u{FE0F}'
                    | '\u{FEFF}'
                    | '\u{FFA0}'
                    | '\u{FFF9}'..='\u{FFFB}'
                    | '\u{E0000}'..='\u{E007F}'
                    | '\u{E0100}'..='\u{E01EF}'
            )
    };
    if rest.is_empty() || !before.contains('=') || rest.contains(unseen) {
        return None;
    }
    let indent = before.len() - before.trim_start().len();
    let key_end = {
        // The key is what `=` ends, outside quotes: the first `=` whose left part is a key.
        let mut end = None;
        for (i, c) in before.char_indices() {
            if c == '='
                && format!("{} = 0", &before[..i])
                    .parse::<toml::Table>()
                    .is_ok()
            {
                end = Some(i);
                break;
            }
        }
        end?
    };
    let key = before.get(indent..key_end)?.trim_end();
    let key_span = line_start + indent..line_start + indent + key.len();
    let mut without = String::with_capacity(text.len());
    without.push_str(text.get(..end)?);
    without.push_str(text.get(line_end..)?);
    // What follows the value is the error only where the file without it reads up to the
    // line's end (helper-170: an array left open lines above stopped the reader on this
    // line, and the message blamed a word that was no error).
    if let Err(e) = without.parse::<toml::Table>()
        && e.span().is_none_or(|s| s.start <= end)
    {
        return None;
    }
    let path = duplicate_key_path(&without, key_span).unwrap_or_else(|| key.to_string());
    let value = before.get(key_end + 1..)?.trim();
    Some((
        path,
        format!(
            "after `{key} = {}` the line goes on with `{}`: a value may be followed only by a comment (`# ...`); a key takes one value (a list is written [a, b], a text in quotes)",
            crate::error::quoted(value),
            crate::error::quoted(rest)
        ),
        rest_at..rest_at + rest.len(),
    ))
}

/// The longest line [`after_a_value`] reads, and the most places on it where it tries the
/// value's end.
const AFTER_A_VALUE_LINE: usize = 4096;
const AFTER_A_VALUE_TRIES: usize = 32;

/// The most bytes above a stop that [`key_of_the_line`] reads again to name its key (a model
/// of a few trajectories is a few kB; at this bound the second reading takes about 0.4 s).
const KEY_OF_THE_LINE_ABOVE: usize = 4 << 20;

/// Where the reader stops at a character no bare key or value can hold, one that looks
/// like what belongs there or cannot be seen: a control character (a NUL byte from a
/// binary copy: helper-236, "key with no value"), or a letter outside ASCII in a bare key,
/// such as a Cyrillic `а` among Latin letters (helper-236: "invalid unquoted key, expected
/// letters, numbers" of what reads as `stake`). Said with its code point.
fn odd_character_here(text: &str, at: usize, message: String) -> String {
    // The controls TOML refuses everywhere (C0 but tab and line ends, and DEL); C1 controls
    // (U+0080..U+009F) may stand in a string, so one is no cause (helper-238: an unclosed
    // string ending in U+0085 was blamed on it).
    // In a key, where the reader wants a bare key, C1 controls are refused too (helper-239).
    let in_a_key = parser_words(&message).contains("unquoted key");
    let control = |c: &char| {
        matches!(*c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}')
            || (in_a_key && ('\u{80}'..='\u{9f}').contains(c))
    };
    let here = text.get(at..).and_then(|rest| rest.chars().next());
    // (The reader may stop just past it: a NUL before a line's end is told at the end.)
    let before = text.get(..at).and_then(|rest| rest.chars().next_back());
    let (c, place) = match (here.filter(control), before.filter(control)) {
        (Some(c), _) => (c, "here"),
        (None, Some(c)) => (c, "just before here"),
        _ => match here {
            Some(c) => (c, "here"),
            None => return message,
        },
    };
    if control(&c) {
        return format!(
            "a control character (U+{:04X}) stands {place}, which no TOML key or value holds \
             (a binary file, or text copied with one); delete it",
            u32::from(c)
        );
    }
    // Characters that cannot be seen (a soft hyphen, zero-width and joining characters):
    // said as such, to be deleted (helper-239: a soft hyphen was told to be a letter).
    if in_a_key
        && matches!(c, '\u{ad}' | '\u{34f}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{fe00}'..='\u{fe0f}')
    {
        return format!(
            "an invisible character (U+{:04X}) stands here, in a key; delete it",
            u32::from(c)
        );
    }
    if !c.is_ascii() && !c.is_whitespace() && in_a_key {
        // The key as written around it, for the quoted form (helper-238: `société` is a
        // name, not a slip: quoted it is valid). A character that cannot be seen (a soft
        // hyphen, a word joiner) is named by its code point alone.
        let is_key_char = |c: char| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '=' | '.' | '[' | ']' | '"' | '\'' | '{' | '}' | ',' | '#'
                )
        };
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_key_char(*c))
            .last()
            .map_or(at, |(i, _)| i);
        let end = text[at..]
            .char_indices()
            .find(|(_, c)| !is_key_char(*c))
            .map_or(text.len(), |(i, _)| at + i);
        let key = &text[start..end];
        let shown = if c.is_alphanumeric() {
            format!("`{c}` (U+{:04X})", u32::from(c))
        } else {
            format!("U+{:04X}", u32::from(c))
        };
        // A name of the user's own (a party in `shares` or `until`, a trajectory in
        // `weights`) may hold any character quoted; the model's own keys are ASCII, so a
        // letter that only looks Latin is retyped (helper-239: the quoted form was offered
        // for the model's keys too, where it is no key at all).
        let lookalike = if c.is_alphabetic() {
            "; if a letter only looks Latin (a Cyrillic `а` for `a`), retype it"
        } else {
            ""
        };
        let bare_keys = "a bare key holds only the ASCII letters a-z and A-Z, digits, `-` and `_`";
        return if key_names_its_own(text, start) {
            format!(
                "{message}; {shown} is not one of them: {bare_keys}: a name of your own may be \
                 put in quotes, \"{key}\"{lookalike}"
            )
        } else {
            format!(
                "{message}; {shown} is not one of them: {bare_keys}, as every key the model \
                 reads is written{lookalike}"
            )
        };
    }
    message
}

/// Whether a key starting at `start` names something of the user's own (a party in
/// `shares` or `until`, a trajectory in `weights`), which may be any text quoted, rather
/// than one of the model's own keys: by the dotted key before it, else the inline table it
/// stands in (one in an array by the array's key), else the last table header above it.
/// Read in one pass over the
/// text before it, outside strings and comments (helper-242: an inline table over several
/// lines, as TOML 1.1 allows, a brace in a quoted name, and a `[` line in a multi-line
/// string misled a reading of the key's own line).
fn key_names_its_own(text: &str, start: usize) -> bool {
    const OWN: [&str; 3] = ["shares", "until", "weights"];
    let is_own = |key: &str| {
        let last = key
            .trim()
            .trim_end_matches('.')
            .rsplit('.')
            .next()
            .unwrap_or("");
        OWN.contains(&last.trim().trim_matches(['"', '\'']))
    };
    let Some(before) = text.get(..start) else {
        return false;
    };
    // The arrays and inline tables open, innermost last, each with the key it is the value
    // of (an inline table in an array, `tiers = [{ ... }]`, takes the array's: helper-243).
    enum Open {
        Array(String),
        Table(String),
    }
    let bytes = before.as_bytes();
    // The last table header's inside; the key being written (since a line's start, `{` or
    // `,`) and the one a value is being given to.
    let mut header = String::new();
    let mut open: Vec<Open> = Vec::new();
    let mut key = String::new();
    let mut assigned = String::new();
    let mut in_value = false;
    let mut line_start = true;
    // (A byte-order mark opening the file is no character of its first line.)
    let mut i = if before.starts_with('\u{feff}') { 3 } else { 0 };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let triple = bytes[i..].starts_with(&[b, b, b]);
                let from = i;
                i += if triple { 3 } else { 1 };
                loop {
                    match bytes.get(i) {
                        None => break,
                        Some(b'\\') if b == b'"' => i += 2,
                        Some(b'\n') if !triple => break,
                        Some(&c) if c == b && (!triple || bytes[i..].starts_with(&[b, b, b])) => {
                            i += if triple { 3 } else { 1 };
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                if !in_value {
                    key.push_str(before.get(from..i.min(bytes.len())).unwrap_or(""));
                }
                line_start = false;
                continue;
            }
            b'\n' => {
                if open.is_empty() {
                    in_value = false;
                    key.clear();
                }
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                if !in_value && !key.is_empty() {
                    key.push(' ');
                }
                i += 1;
                continue;
            }
            b'[' if line_start && !in_value && open.is_empty() => {
                let end = before[i..].find('\n').map_or(before.len(), |n| i + n);
                let inner = before[i..end].trim_start_matches('[');
                header = inner.split(']').next().unwrap_or("").to_string();
                i = end;
                continue;
            }
            // (An array in an array takes the outer one's key: helper-244.)
            b'[' if in_value => {
                let of = match open.last() {
                    Some(Open::Array(array)) => array.clone(),
                    _ => assigned.clone(),
                };
                open.push(Open::Array(of));
            }
            b']' if matches!(open.last(), Some(Open::Array(_))) => {
                open.pop();
                in_value = true;
            }
            b'{' if in_value => {
                let of = match open.last() {
                    Some(Open::Array(array)) => array.clone(),
                    _ => std::mem::take(&mut assigned),
                };
                open.push(Open::Table(of));
                in_value = false;
                key.clear();
            }
            b'}' if matches!(open.last(), Some(Open::Table(_))) => {
                open.pop();
                in_value = true;
            }
            b'=' if !in_value => {
                assigned = std::mem::take(&mut key);
                in_value = true;
            }
            b',' if matches!(open.last(), Some(Open::Table(_))) => {
                in_value = false;
                key.clear();
            }
            _ if !in_value => key.push(char::from(b)),
            _ => {}
        }
        line_start = false;
        i += 1;
    }
    // A dotted key first (`weights.bäse`, also inside an inline table), then the inline
    // table it stands in, then the header above.
    if key.trim_end().ends_with('.') {
        return is_own(&key);
    }
    let table = open.iter().rev().find_map(|o| match o {
        Open::Table(key) => Some(key),
        Open::Array(_) => None,
    });
    match table {
        Some(table) => is_own(table),
        None => is_own(&header),
    }
}

/// `message` for a syntax error at `at`, said of the invisible character there (a byte-order
/// mark past the file's first character, a zero-width space), or with where one stands on
/// the error's line; as it is where the line has none.
fn invisible_on_the_line(text: &str, at: usize, message: String) -> String {
    // (A no-break space looks like a space and is none to TOML: helper-223, from a
    // spreadsheet's or a word processor's copy.)
    let invisible = |c: char| {
        matches!(
            c,
            '\u{feff}'
                | '\u{200b}'
                | '\u{a0}'
                | '\u{202f}'
                | '\u{2007}'
                | '\u{3000}'
                | '\u{2028}'
                | '\u{2029}'
        )
    };
    let what = |c: char| {
        let name = match c {
            '\u{feff}' => "a byte-order mark",
            '\u{200b}' => "a zero-width space",
            '\u{3000}' => "an ideographic space, which TOML does not read as a space",
            // (Which some editors show as a line's end: helper-266 was told "invalid float,
            // expected nothing" of one after a value.)
            '\u{2028}' => "a line separator, which TOML does not read as a line's end",
            '\u{2029}' => "a paragraph separator, which TOML does not read as a line's end",
            _ => "a no-break space, which TOML does not read as a space",
        };
        format!("{name} (U+{:04X})", u32::from(c))
    };
    // A line separator may stand between two keys (helper-277: "delete it" joined `0.10`
    // and the next key's name), or inside a value or a key, where a line break is no fix
    // (helper-278).
    let fix = |c: char| {
        if matches!(c, '\u{2028}' | '\u{2029}') {
            "replace it with a line break where it ends a line, else delete it"
        } else {
            "delete it"
        }
    };
    if let Some(c) = text
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .filter(|c| invisible(*c))
    {
        let note = if c == '\u{feff}' {
            " (a file may begin with one byte-order mark, no more)"
        } else {
            ""
        };
        return format!(
            "an invisible character stands here, {}; {}{note}",
            what(c),
            fix(c)
        );
    }
    let start = text
        .get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(at..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len(), |i| at + i);
    let line = text.get(start..end).unwrap_or("");
    // (Not the one byte-order mark a file may begin with.)
    let first = |i: usize, c: char| start + i == 0 && c == '\u{feff}';
    match line
        .char_indices()
        .find(|(i, c)| invisible(*c) && !first(*i, *c))
    {
        Some((i, c)) => format!(
            "{message}; this line holds an invisible character at column {}, {}: {} unless it stands inside a string or a comment",
            line[..i].chars().count() + 1,
            what(c),
            fix(c)
        ),
        None => message,
    }
}

/// The field path (as `profit_share.tiers[0].shares.microsoft`) of the duplicate key the
/// TOML parser found at `span`: the file is read again with that one key renamed to a
/// placeholder the file does not hold, and the placeholder is looked for; None where the
/// file still does not parse (another error further on) or the placeholder cannot be found.
/// One more parse of the file, whatever its size.
fn duplicate_key_path(text: &str, span: std::ops::Range<usize>) -> Option<String> {
    renamed_key(text, span).map(|renamed| renamed.path)
}

/// The file read with the key at a span renamed (see [`duplicate_key_path`]).
struct RenamedKey {
    /// The key's field path.
    path: String,
    /// The file with the key renamed.
    renamed: String,
    placeholder: String,
    /// The key's own parts (`a.b`: `a` and `b`).
    parts: Vec<String>,
}

fn renamed_key(text: &str, span: std::ops::Range<usize>) -> Option<RenamedKey> {
    // A key the file cannot hold: a run of `x` longer than any the file has, found in one
    // pass (adding a `-` until the file lacks it scanned the file once a try, and a file of
    // 100,000 dashes after the placeholder's text took 16 s: helper-170).
    let longest_run = text
        .split(|c: char| c != 'x')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let placeholder = format!("stakeshift-key-{}", "x".repeat(longest_run + 1));
    let key = text.get(span.clone())?.trim();
    let mut renamed = String::with_capacity(text.len() + placeholder.len());
    renamed.push_str(text.get(..span.start)?);
    renamed.push_str(&placeholder);
    renamed.push_str(text.get(span.end..)?);
    let table: toml::Table = renamed.parse().ok()?;
    let path = find_key(&toml::Value::Table(table), &placeholder, "")?;
    // The key's own parts, their quotes and escapes read as TOML reads them (a dotted key
    // `revenue.points` is two, below the table the placeholder stood in: helper-187).
    let parts = key_parts(key).unwrap_or_else(|| vec![key.to_string()]);
    let parent = path.strip_suffix(&placeholder)?.trim_end_matches('.');
    let path = parts.iter().fold(parent.to_string(), |path, part| {
        join_path(&path, &super::validate::key_text(part))
    });
    Some(RenamedKey {
        path,
        renamed,
        placeholder,
        parts,
    })
}

impl RenamedKey {
    /// Where a key given twice was first given (a byte offset of the file, the same as of
    /// the renamed one above the second giving): one more read of the file, with places.
    fn first_given_at(&self) -> Option<usize> {
        let root = toml::de::DeTable::parse(&self.renamed).ok()?;
        first_given_at(root.get_ref(), &self.placeholder, &self.parts)
    }
}

/// Where the key of `parts` was first given: in the table that holds the key `placeholder`
/// (the second giving, renamed), the first part's place, then each further part's below it
/// (a dotted key `a.b` given twice: `a`'s table holds `b`).
fn first_given_at(table: &toml::de::DeTable, placeholder: &str, parts: &[String]) -> Option<usize> {
    use toml::de::DeValue;
    if table.keys().any(|key| key.get_ref() == placeholder) {
        let (mut key, mut value) = table.get_key_value(parts.first()?.as_str())?;
        for part in parts.get(1..)? {
            let DeValue::Table(inner) = value.get_ref() else {
                return None;
            };
            (key, value) = inner.get_key_value(part.as_str())?;
        }
        return Some(key.span().start);
    }
    table.values().find_map(|value| match value.get_ref() {
        DeValue::Table(inner) => first_given_at(inner, placeholder, parts),
        DeValue::Array(items) => items.iter().find_map(|item| match item.get_ref() {
            DeValue::Table(inner) => first_given_at(inner, placeholder, parts),
            _ => None,
        }),
        _ => None,
    })
}

/// The parts of the key `key` as TOML reads them (`a."b.c"`: `a` and `b.c`); None where it
/// is no key (`"st` of a quoted key cut at its `=`).
fn key_parts(key: &str) -> Option<Vec<String>> {
    let table: toml::Table = format!("{key} = 0").parse().ok()?;
    only_path(&table, |value| matches!(value, toml::Value::Integer(_)))
}

/// The path of the key whose value the reader stopped in at `at` (helper-182: `name = "t1`
/// without its closing quote named no field): the key before the first `=` on the stop's
/// line, under the tables above it, found as [`duplicate_key_path`] finds one, in the file
/// up to that line with the key given a plain value. None where the line holds no `key =`
/// before the stop, or the file above it does not read (a stop inside a multi-line string
/// or array whose line has none).
fn key_of_the_line(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    // Reading the file above again costs as much as reading it did: not for a file far
    // larger than any model (a hostile one of 18 MB took 1.4 s more and 200 MB).
    if line_start > KEY_OF_THE_LINE_ABOVE {
        return None;
    }
    let line = text.get(line_start..at)?;
    // (The first `=` outside quotes: `"a=b" = .5` named no field: helper-230.)
    let key = line.get(..key_equals(line)?)?.trim();
    let mut path = path_on_line(text, line_start, key)?;
    // Inside an inline table, the key within it (helper-223: `shares = { microsoft = .75 }`
    // named `shares`), with the index of each array item it is in (helper-230: `rounds =
    // [{ raise = .5 }]` was named `equity.rounds.raise`).
    for place in places_in_open_tables(line) {
        match place {
            Place::Key(key) => {
                for part in key_parts(key)? {
                    path = join_path(&path, &super::validate::key_text(&part));
                }
            }
            Place::Item(i) => path.push_str(&format!("[{i}]")),
        }
    }
    Some(path)
}

/// A dotted key or a header that puts a key inside one given above as a value (helper-230:
/// `a.b = 1` and then `a.b.c = 2`, or `[a.b.c]`, were told "cannot extend value of type
/// integer with a dotted key", with no field): the field, and which key is the value.
fn into_a_value_above(
    text: &str,
    at: usize,
    line_start: usize,
    line_end: usize,
    words: &str,
) -> Option<(String, String)> {
    let kind = words
        .strip_prefix("cannot extend value of type ")?
        .strip_suffix(" with a dotted key")?;
    let what = match kind {
        "integer" | "float" => "a number",
        "string" => "a text",
        "boolean" => "true or false",
        "array" => "a list",
        // (A key line adding to one is told by `key_line_without_its_value`.)
        "inline table" => "",
        _ => "a value",
    };
    let raw = text.get(line_start..line_end)?;
    let lead = raw.len() - raw.trim_start_matches([' ', '\t', '\u{feff}']).len();
    let line = &raw[lead..];
    let header = line.starts_with('[');
    if kind == "inline table" && !header {
        return None;
    }
    // The key as written: a header's name, or what comes before the `=` outside quotes.
    let (begin, end) = if header {
        let open = if line.starts_with("[[") { 2 } else { 1 };
        // (The `]` outside quotes: `[equity."st]ake".c]`: helper-231.)
        (
            lead + open,
            lead + open + first_outside_quotes(&line[open..], ']')?,
        )
    } else {
        (lead, lead + key_equals(line)?)
    };
    let stop = at.checked_sub(line_start)?;
    if !(begin..end).contains(&stop) {
        return None;
    }
    // The part the reader stopped at, to its end: the key that holds a value.
    let rest = raw.get(stop..end)?;
    let part = match rest.chars().next()? {
        // A quoted part to its closing quote (an escaped one does not close it: helper-231).
        '"' | '\'' => first_outside_quotes(rest, '.')
            .map_or(rest.len(), |i| i)
            .min(rest.trim_end().len()),
        _ => rest.find(['.', ' ', '\t']).unwrap_or(rest.len()),
    };
    let value_key = raw.get(begin..stop + part)?.trim();
    let full = raw.get(begin..end)?.trim();
    let field = if header {
        // (Each part as the messages write keys: `equity."st]ake".c`; a `#` inside quotes is
        // no comment, and a part that is a list of tables above takes the index of its last
        // entry, `t[0].a.b`: helper-232.)
        let header_text = &line[..first_outside_quotes(line, '#').unwrap_or(line.len())];
        let (_, parts) = header_parts(header_text.trim())?;
        // The entries of each prefix that is a list of tables, counted in one pass over the
        // list headers above (each read only where it holds the first part's text).
        let mut entries = vec![0usize; parts.len()];
        for l in text.get(..line_start)?.lines() {
            let l = l.trim_start_matches([' ', '\t']);
            if !l.starts_with("[[") || !l.contains(parts.first()?.as_str()) {
                continue;
            }
            let listed = l[..first_outside_quotes(l, '#').unwrap_or(l.len())].trim();
            if let Some((true, name)) = header_parts(listed)
                && name.len() <= parts.len()
                && parts.starts_with(&name)
            {
                entries[name.len() - 1] += 1;
            }
        }
        let mut path = String::new();
        for (part, entries) in parts.iter().zip(entries) {
            path = join_path(&path, &super::validate::key_text(part));
            if entries > 0 {
                path.push_str(&format!("[{}]", entries - 1));
            }
        }
        path
    } else {
        let parts = key_parts(full)?;
        // The table the line is in, as the reader reads the file above it (helper-231: a
        // header-like line in a multi-line string, and a sub-table of an array's entry, were
        // taken wrongly from the header lines alone): a key of its own put on the line.
        const PROBE: &str = "stakeshift-probe-of-the-table";
        let probed = path_on_line(text, line_start, PROBE).and_then(|probed| {
            Some(
                probed
                    .strip_suffix(PROBE)?
                    .trim_end_matches('.')
                    .to_string(),
            )
        });
        let mut path = probed
            .or_else(|| table_above(text, line_start))
            .unwrap_or_default();
        for part in parts {
            path = join_path(&path, &super::validate::key_text(&part));
        }
        path
    };
    let (value_key, full) = (crate::error::quoted(value_key), crate::error::quoted(full));
    Some((
        field,
        if what.is_empty() {
            format!(
                "`{value_key}` is written above inline (`{{ ... }}`), which is whole where it is written, so `{full}` cannot add to it: put the key inside its braces, or write that table under a [header] of its own"
            )
        } else {
            format!(
                "`{value_key}` is given above as {what}, so `{full}` cannot put a key inside it: a key holds a value or a table of keys, not both; rename one of them"
            )
        },
    ))
}

/// Where the first `=` outside quotes is on `line`: the end of its key.
fn key_equals(line: &str) -> Option<usize> {
    first_outside_quotes(line, '=')
}

/// Where `wanted` first stands on `line` outside quotes (basic strings with `\` escapes,
/// `"a\"b"`: helper-231; literal ones without), before any comment (or where the comment's
/// `#` stands, for `#`).
fn first_outside_quotes(line: &str, wanted: char) -> Option<usize> {
    OutsideQuotes::new(line)
        .find(|&(_, c)| c == wanted)
        .map(|(i, _)| i)
}

/// The characters of one line outside its quoted strings, with their byte offsets: basic
/// strings (`"`, with `\` escapes) and literal ones (`'`, without) are stepped over, quotes
/// and all, and a `#` outside them is the last character given (a comment follows). The
/// one reading of quotes for the messages that look into a line.
struct OutsideQuotes<'a> {
    chars: std::str::CharIndices<'a>,
    quote: Option<char>,
    escaped: bool,
    comment: bool,
}

impl<'a> OutsideQuotes<'a> {
    fn new(line: &'a str) -> Self {
        OutsideQuotes {
            chars: line.char_indices(),
            quote: None,
            escaped: false,
            comment: false,
        }
    }

    /// Whether the line, read to its end, ends inside a string (a comment does not).
    fn left_open(mut self) -> bool {
        self.by_ref().for_each(drop);
        self.quote.is_some()
    }
}

impl Iterator for OutsideQuotes<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        if self.comment {
            return None;
        }
        for (i, c) in self.chars.by_ref() {
            match self.quote {
                Some('"') if self.escaped => self.escaped = false,
                Some('"') if c == '\\' => self.escaped = true,
                Some(q) if c == q => self.quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => self.quote = Some(c),
                None => {
                    self.comment = c == '#';
                    return Some((i, c));
                }
            }
        }
        None
    }
}

/// The table of the header above `line_start` (`equity`, `trajectories[2]`), read from the
/// header lines alone (a header-like line in a multi-line string is taken for one); None
/// above any header. Where the file above does not read (the line inside a multi-line
/// inline table: helper-232), what [`into_a_value_above`] falls back on.
fn table_above(text: &str, line_start: usize) -> Option<String> {
    let above = text.get(..line_start)?;
    let mut lines = above.lines().rev();
    let header = lines.find_map(|l| {
        let l = l.trim_start_matches([' ', '\t']);
        l.starts_with('[')
            .then(|| header_name(l.split('#').next()?.trim()))
            .flatten()
    })?;
    let (list, name) = header;
    if !list {
        return Some(name);
    }
    // The entry of a list of tables: how many headers of its name come before it.
    let before = lines
        .filter(|l| {
            let l = l.trim_start_matches([' ', '\t']);
            l.starts_with("[[")
                && header_name(l.split('#').next().unwrap_or("").trim())
                    .is_some_and(|(_, n)| n == name)
        })
        .count();
    Some(format!("{name}[{before}]"))
}

/// A step into a value still open on a line: a key of an inline table, or an item of an
/// array (by its index).
enum Place<'a> {
    Key(&'a str),
    Item(usize),
}

/// Where the end of `line` stands inside the inline tables still open on it, outermost
/// first (`a = [{ b = 1 }, { c = { d = [2, `: item 1, `c`, `d`; the items of an array are
/// counted only where an inline table is open inside it), up to the first open inline
/// table that has no key yet (`a = [{ b`: item 0); empty where none is open.
fn places_in_open_tables(line: &str) -> Vec<Place<'_>> {
    // An open bracket: for a `{`, where its current key began and, once its `=` is met,
    // the key; for a `[`, the index of its current item.
    struct Open<'a> {
        brace: bool,
        key_start: usize,
        key: Option<&'a str>,
        item: usize,
    }
    let mut open: Vec<Open> = Vec::new();
    for (i, c) in OutsideQuotes::new(line) {
        match c {
            '#' => return Vec::new(),
            '{' | '[' => open.push(Open {
                brace: c == '{',
                key_start: i + 1,
                key: None,
                item: 0,
            }),
            '}' | ']' => {
                open.pop();
            }
            ',' => {
                if let Some(top) = open.last_mut() {
                    top.key_start = i + 1;
                    top.key = None;
                    top.item += 1;
                }
            }
            '=' => {
                if let Some(top) = open.last_mut().filter(|top| top.brace) {
                    top.key = line.get(top.key_start..i).map(str::trim);
                }
            }
            _ => {}
        }
    }
    let Some(innermost_table) = open.iter().rposition(|o| o.brace) else {
        return Vec::new();
    };
    open[..=innermost_table]
        .iter()
        .map_while(|o| {
            if o.brace {
                o.key.map(Place::Key)
            } else {
                Some(Place::Item(o.item))
            }
        })
        .collect()
}

/// The path of `key` written on the line that starts at `line_start`, under the tables
/// above it (found as [`duplicate_key_path`] finds one, in the file up to that line with the
/// key given a plain value); None where it is no key.
fn path_on_line(text: &str, line_start: usize, key: &str) -> Option<String> {
    // (A quoted key holding `=` is cut there, and is no key: no field, rather than `"st`.)
    if key.is_empty() || key.starts_with(['[', '#']) || key_parts(key).is_none() {
        return None;
    }
    let mut above = String::with_capacity(line_start + key.len() + 8);
    above.push_str(text.get(..line_start)?);
    let key_start = above.len();
    above.push_str(key);
    let key_end = above.len();
    above.push_str(" = 0\n");
    duplicate_key_path(&above, key_start..key_end)
}

/// Three stops at a line whose key the reader's words do not name (helper-218), as the
/// key's path and what to write instead:
/// - `stake 0.3`, a key without its `=` ("key with no value, expected `=`");
/// - `stake =`, an `=` with no value after it ("string values must be quoted");
/// - `revenue.growth = 0.02` below `revenue = { ... }`, a dotted key adding to an inline
///   table ("cannot extend value of type inline table").
fn key_line_without_its_value(text: &str, at: usize, message: &str) -> Option<(String, String)> {
    let at = at.min(text.len());
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
    // (Bounded as `after_a_value` and `key_of_the_line` are: no hostile line or file is
    // read again at length.)
    if line_start > KEY_OF_THE_LINE_ABOVE || line_end - line_start > AFTER_A_VALUE_LINE {
        return None;
    }
    let line = text
        .get(line_start..line_end)?
        .trim_end_matches('\r')
        .trim_start_matches('\u{feff}');
    let toml_space: &[char] = &[' ', '\t'];
    let words = parser_words(message);
    if words.starts_with("unclosed table") || words.starts_with("unclosed array table") {
        // `[profit share]`: a table's name with a space in it.
        let header = line.trim_matches(toml_space);
        let inner = header.trim_start_matches('[').trim_end_matches(']').trim();
        let joined = inner.split_whitespace().collect::<Vec<_>>().join("_");
        let brackets = if header.starts_with("[[") {
            ("[[", "]]")
        } else {
            ("[", "]")
        };
        // (Offered only where it reads as a header: `[a # c]` is no `[a_#_c]`: helper-224.)
        let suggested = format!("{}{joined}{}", brackets.0, brackets.1);
        if header.starts_with('[')
            && header.ends_with(']')
            && inner.contains(' ')
            && header_name(&suggested).is_some()
        {
            return Some((
                String::new(),
                format!(
                    "`{}` has a space in its name: a table's name is one word, or words joined by `_` or `.`; did you mean {}{joined}{}?",
                    crate::error::quoted(header),
                    brackets.0,
                    brackets.1
                ),
            ));
        }
        return None;
    }
    if words.starts_with("key with no value") {
        if line.contains('=') {
            return None;
        }
        let first = line.trim_matches(toml_space).split(toml_space).next()?;
        // `stake: 0.27`, as YAML or JSON writes a key and its value.
        if let Some((key, value)) = line.split_once(':') {
            let key = key.trim_matches(toml_space).trim_matches('"');
            let value = value.trim_matches(toml_space).trim_end_matches(',');
            if let Some(path) = path_on_line(text, line_start, key) {
                let shown = crate::error::quoted(key);
                // What to write, where it reads as TOML: the value as it is, or as a text
                // in quotes (helper-224: `name = Microsoft` and `x = 1, y: 2` were offered).
                let reads = |line: &str| line.parse::<toml::Table>().is_ok_and(|t| t.len() == 1);
                let written = [format!("{key} = {value}"), format!("{key} = \"{value}\"")]
                    .into_iter()
                    .find(|l| !value.is_empty() && !value.contains('"') && reads(l));
                let said = match written {
                    Some(l) => format!(
                        "TOML writes a key and its value with `=`, not `:` (as YAML or JSON do): write `{}`",
                        crate::error::quoted(&l)
                    ),
                    None if value.is_empty() => format!(
                        "TOML writes a table as a header, `[{shown}]`, with its keys on the lines after it as `key = value`, not `{shown}:` (as YAML does)"
                    ),
                    None => "TOML writes a key and its value with `=`, not `:` (as YAML or JSON do): `key = value`, text in quotes".to_string(),
                };
                return Some((path, said));
            }
        }
        let key = first;
        let path = path_on_line(text, line_start, key)?;
        let shown = crate::error::quoted(key);
        return Some((
            path,
            format!(
                "`{shown}` is not followed by `=`: a line holds a `key = value`, a [table] header, or a comment after `#`"
            ),
        ));
    }
    // Inside an inline table: `{ "microsoft": 0.75 }` and `{ microsoft = }`.
    if words.starts_with("missing assignment between key-value pairs")
        && text.get(at..)?.starts_with(':')
    {
        return Some((
            String::new(),
            "inside `{ ... }` TOML writes each key and its value with `=`, not `:` (as JSON does): `{ key = value, ... }`".to_string(),
        ));
    }
    if words.starts_with("invalid literal string")
        && let Some(eq) = text.get(line_start..at)?.rfind('=')
        && text
            .get(line_start + eq + 1..at)?
            .trim_matches(toml_space)
            .is_empty()
    {
        let key = text.get(line_start..line_start + eq)?;
        let key = key
            .rsplit(['{', ','])
            .next()
            .unwrap_or(key)
            .trim_matches(toml_space);
        return Some((
            String::new(),
            format!(
                "`{} =` has no value: write it after the `=`",
                crate::error::quoted(key)
            ),
        ));
    }
    // An item of an inline table without its `=`, where the reader stopped at the `}` or `,`
    // after it (helper-223: `{ microsoft }` and `{ microsoft = 0,75 }` were told "invalid
    // literal string, expected `'`").
    if (words.starts_with("invalid literal string") || words.starts_with("extra comma"))
        && text.get(at..)?.starts_with(['}', ','])
        && let before = text.get(line_start..at)?
        && let Some(separator) = before.rfind(['{', ','])
        && let item = before.get(separator + 1..)?.trim_matches(toml_space)
        && !item.is_empty()
        && !item.contains(['=', '"', '\'', '[', ']'])
    {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let ahead = before.get(..separator)?;
        // (The start of its trailing ASCII digits, a character's boundary whatever stands
        // before them: one past a non-digit's first byte was inside a two-byte letter, and
        // slicing there panicked; found by fuzzing.)
        let whole_start = ahead.len() - ahead.bytes().rev().take_while(u8::is_ascii_digit).count();
        let whole = &ahead[whole_start..];
        // A number split at a comma: digits right after the comma, and before it digits that
        // begin a value (not `1.5,25`'s `5`: helper-230).
        // Digits that begin a value, then a comma and more digits: a number split there.
        let comma_in_a_number = before.get(separator..)?.starts_with(',')
            && digits(whole)
            && ahead[..whole_start]
                .trim_end_matches(['+', '-'])
                .ends_with([' ', '\t', '=']);
        let split_number = comma_in_a_number
            && before
                .get(separator + 1..)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            && digits(item);
        // The key whose value the number is: one that takes text is offered no number's
        // fix (helper-279: `party = 1,5` was told to write 1.5).
        if split_number && inline_item_takes_text(text, line_start + whole_start) {
            return None;
        }
        // A number split at its comma that is no decimal comma's (`1,000.5`, `1,5e3`): no
        // fix, rather than "`000.5` has no value" (helper-279).
        if comma_in_a_number && item.starts_with(|c: char| c.is_ascii_digit()) && !split_number {
            return None;
        }
        // (Its sign kept: `-0,05` was told to write 0.05: helper-279.)
        let sign = if ahead[..whole_start].ends_with('-') {
            "-"
        } else {
            ""
        };
        let said = if split_number {
            // Groups of three are thousands (`13,000`, `1,000,000`: helper-230 was told to
            // write 13.000), as outside an inline table.
            // A comma then three digits that are no thousands the whole value bears out
            // (`+1,234,567．30`) is no decimal comma either: no fix (helper-278: told to
            // write 1.234).
            match spreadsheet_habit(text, at.saturating_sub(1)) {
                Some(habit) => habit,
                None if item.len() == 3 => return None,
                // (A fix TOML reads: not `00.5` of `00,5`: helper-279.)
                None if !is_toml_number(&format!("{whole}.{item}")) => return None,
                None => format!(
                    "`{sign}{whole},{item}`: TOML's decimal separator is a point: write {sign}{whole}.{item}"
                ),
            }
        } else {
            let shown = crate::error::quoted(item);
            format!(
                "`{shown}` inside `{{ ... }}` has no value: write `{shown} = value` (each item of an inline table is a `key = value`, the items separated by commas)"
            )
        };
        return Some((String::new(), said));
    }
    if let Some(said) = into_a_value_above(text, at, line_start, line_end, &words) {
        return Some(said);
    }
    let (key, value) = line.split_once('=')?;
    let key = key.trim_matches(toml_space);
    let shown = crate::error::quoted(key);
    if words.starts_with("cannot extend value of type inline table") {
        let path = path_on_line(text, line_start, key)?;
        return Some((
            path,
            format!(
                "`{shown}` adds to a table written above inline (`{{ ... }}`), which is whole where it is written: put the key inside its braces, or write that table under a [header] of its own"
            ),
        ));
    }
    let value = value.split('#').next().unwrap_or(value);
    if words.starts_with("string values must be quoted")
        && value.trim_matches(toml_space).is_empty()
    {
        let path = path_on_line(text, line_start, key)?;
        return Some((
            path,
            format!(
                "`{shown} =` has no value: write it after the `=` (a number such as 0.3, text in quotes, a [list] or a {{ table }}, as the key takes)"
            ),
        ));
    }
    None
}

/// What is still open where the reader stopped: the `=` of the key whose value it is (one
/// outside every bracket), where the innermost open bracket or string began, and what it
/// is.
#[derive(Debug, PartialEq, Eq)]
struct OpenValue {
    equals: usize,
    opened: usize,
    what: Opener,
}

/// What opened a value that is still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    Array,
    InlineTable,
    /// A multi-line string, by its quote (`"` or `'`).
    String(u8),
}

impl Opener {
    /// As a message names it.
    fn described(self) -> &'static str {
        match self {
            Opener::Array => "`[` of an array",
            Opener::InlineTable => "`{` of an inline table",
            Opener::String(b'"') => "string `\"\"\"`",
            Opener::String(_) => "string `'''`",
        }
    }
}

/// The note on a stop at `stop` where `open` is still open: at the file's end, that it is
/// never closed; where the stop's line reads as a table's header or as a `key = value`
/// line of its own (not the stop inside a pair on its line), that the bracket was likely
/// left open (an inline table may span lines in this reader, and an error inside one is
/// another: helper-194, -196); else none.
fn still_open_note(text: &str, stop: usize, open: &OpenValue, at_the_end: bool) -> Option<String> {
    let line = Location::of_offset(text, open.opened).line;
    let what = open.what.described();
    if at_the_end {
        return Some(format!("the {what} opened at line {line} is never closed"));
    }
    let closer = match open.what {
        _ if Location::of_offset(text, stop).line <= line => return None,
        Opener::Array => ']',
        Opener::InlineTable => '}',
        Opener::String(_) => return None,
    };
    let before = text.get(..stop).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |k| k + 1);
    let (before_line, from_line) = (&before[line_start..], &text[line_start..]);
    let header = from_line
        .trim_start_matches([' ', '\t'])
        .trim_start_matches('[')
        .starts_with(|c: char| c.is_alphabetic() || c == '"');
    let read_as = if header && from_line.trim_start().starts_with('[') {
        "this table's header"
    } else if from_line.split_once('=').is_some_and(|(key, _)| {
        // (The stop before the `=`: not in this line's own value.)
        before_line.len() <= key.len() && key_parts(key.trim()).is_some()
    }) {
        "this line's key"
    } else {
        return None;
    };
    Some(format!(
        "the {what} opened at line {line} is still open here, so {read_as} was read as part of it: is a `{closer}` missing?"
    ))
}

/// The value still open at byte `at` (a stop of the reader): read forward from the file's
/// start past strings, comments and table headers, as [`begins_a_value`] reads. None
/// where nothing is open there, the stop is inside a string that closes after it, or the
/// file above is larger than [`KEY_OF_THE_LINE_ABOVE`].
///
/// ```text
/// name = """Capped      <- a string never closed: opened at line 1
/// [x]                  (the rest of the file is the string)
/// ```
fn open_value(text: &str, at: usize) -> Option<OpenValue> {
    let at = at.min(text.len());
    if at > KEY_OF_THE_LINE_ABOVE {
        return None;
    }
    let read = read_to(text, at);
    let (opened, what) = match read.in_string {
        Some(InString::ClosesLater) => return None,
        Some(InString::NeverCloses { quote, opened }) => (opened, Opener::String(quote)),
        None => {
            let &(bracket, opened) = read.open.last()?;
            let what = if bracket == b'[' {
                Opener::Array
            } else {
                Opener::InlineTable
            };
            (opened, what)
        }
    };
    Some(OpenValue {
        equals: read.equals?,
        opened,
        what,
    })
}

/// What reading `text` forward from its start up to byte `at` finds, past strings,
/// comments and tables' headers: the arrays and inline tables open there (each bracket and
/// where it is), the last `=` outside them since the last header, the last byte that
/// counts, whether nothing has counted since the last line's end, and whether `at` is in a
/// string. Read once, on an error's path ([`begins_a_value`], [`open_value`]).
struct ReadTo {
    open: Vec<(u8, usize)>,
    equals: Option<usize>,
    last: Option<u8>,
    line_start: bool,
    in_string: Option<InString>,
}

/// A string that `at` is inside.
enum InString {
    /// One that closes after `at`.
    ClosesLater,
    /// A multi-line string that never closes: its quote and where it opened.
    NeverCloses { quote: u8, opened: usize },
}

fn read_to(text: &str, at: usize) -> ReadTo {
    let bytes = text.as_bytes();
    let to_line_end = |i: usize| text[i..at].find('\n').map_or(at, |k| i + k);
    let mut read = ReadTo {
        open: Vec::new(),
        equals: None,
        last: None,
        line_start: true,
        in_string: None,
    };
    // (Past a byte-order mark: a header on the first line is a header, helper-180.)
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    while i < at {
        let b = bytes[i];
        match b {
            b'\n' => {
                read.line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = to_line_end(i);
                continue;
            }
            // A table's header, to its line's end: no key's value is open after it.
            b'[' if read.open.is_empty() && read.line_start => {
                (i, read.last, read.equals) = (to_line_end(i), Some(b']'), None);
            }
            b'"' | b'\'' => match string_end(bytes, i) {
                Some(end) if end <= at => (i, read.last) = (end, Some(b'"')),
                Some(_) => {
                    read.in_string = Some(InString::ClosesLater);
                    return read;
                }
                None => {
                    read.in_string = Some(InString::NeverCloses {
                        quote: b,
                        opened: i,
                    });
                    return read;
                }
            },
            _ => {
                match b {
                    b'[' | b'{' => read.open.push((b, i)),
                    b']' | b'}' => {
                        read.open.pop();
                    }
                    b'=' if read.open.is_empty() => read.equals = Some(i),
                    _ => {}
                }
                (i, read.last) = (i + 1, Some(b));
            }
        }
        read.line_start = false;
    }
    read
}

/// The path of the first key named `wanted` below `value`, tables by name and arrays by
/// index.
fn find_key(value: &toml::Value, wanted: &str, prefix: &str) -> Option<String> {
    match value {
        toml::Value::Table(table) => table.iter().find_map(|(k, v)| {
            if k == wanted {
                Some(join_path(prefix, k))
            } else {
                // Keys as the messages write them: quoted where not bare.
                find_key(v, wanted, &join_path(prefix, &super::validate::key_text(k)))
            }
        }),
        toml::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_key(v, wanted, &format!("{prefix}[{i}]"))),
        _ => None,
    }
}

pub(super) fn serde_issue(
    text: &str,
    e: &serde_path_to_error::Error<toml::de::Error>,
) -> ModelIssue {
    let path = clean_path(&e.path().to_string());
    let top_level = path.is_empty();
    let inner = e.inner();
    let message = inner.message().trim();
    // A percent after digits with TOML's `_` (`1_0%`) is read as a number that overflowed,
    // not as text: told as the reader tells `10%` (helper-279 found it told "too large").
    let overflowed = inner
        .span()
        .filter(|_| message.contains("number overflowed"));
    let habit = overflowed
        .clone()
        .filter(|span| !value_takes_text(text, span.start))
        .and_then(|span| spreadsheet_habit(text, span.start));
    // A key that takes text given such a number (`unit = 1e400`): told to quote it, not
    // the number's limit (helper-282: `--set` said so, the file did not).
    let quote = overflowed
        .filter(|span| value_takes_text(text, span.start))
        .and_then(|span| {
            let word = text.get(span.start..)?;
            let word = word
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
                .next()?;
            (!word.is_empty()).then(|| text_in_quotes(word))
        });
    let (field, message) = if let Some(habit) = habit {
        (path, format!("the file is not valid TOML: {habit}"))
    } else if let Some(quote) = quote {
        (path, quote)
    } else if let Some(rest) = message.strip_prefix("unknown field ") {
        unknown_key_message(&path, rest)
    } else if let Some(rest) = message.strip_prefix("missing field ") {
        missing_key(&path, rest.trim_matches('`'))
    } else {
        let message = describe_type_error(message);
        let hint = shape_hint(&path, &message);
        (path, message + &hint)
    };
    let issue = ModelIssue::new(field, message);
    match inner.span() {
        // A key missing from the top level has the whole file as its span: no place to name.
        Some(span) if !(top_level && span.start == 0) => issue.at(span),
        _ => issue,
    }
}

/// What a key that takes text is told of a value TOML reads as no number it can hold
/// (`1e400`, `1_0%`), in the file and `--set` alike.
pub fn text_in_quotes(word: &str) -> String {
    format!(
        "`{word}` is neither a number TOML reads nor quoted text; this key takes text, in quotes (\"{}\")",
        word.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// How a deal with no share of profit (a revenue share alone) is written, after a missing
/// or empty `[profit_share]` or its tiers' "add ...".
pub(super) const NO_PROFIT_SHARE: &str = "; for a deal with no share of profit, one tier that shares nothing, `[[profit_share.tiers]]` with `name = \"none\"` and `shares = {}`, and `residual` naming the company";

/// The field and message for `key`, required, missing from the table at `path` (empty for
/// the top level of the file).
pub(super) fn missing_key(path: &str, key: &str) -> (String, String) {
    let field = join_path(path, key);
    let table = if path.is_empty() {
        "the top level of the file".to_string()
    } else {
        format!("[{path}]")
    };
    let add = match key {
        // (The article as the name is read: "an investor", "a profit_share".)
        "investor" | "equity" => format!("add an `[{key}]` table"),
        // (A deal without a profit share still writes one, that shares nothing: helper-281
        // found no word of how.)
        "profit_share" => format!("add a `[profit_share]` table{NO_PROFIT_SHARE}"),
        "tiers" => format!("add a `[[profit_share.tiers]]` table{NO_PROFIT_SHARE}"),
        // `[cloud]`'s margin is one number, not a series.
        "margin" if path == "cloud" => {
            "add `margin = 0.35` (the investor's operating margin on compute, a fraction)"
                .to_string()
        }
        "revenue" | "margin" | "valuation" => {
            format!("add `{key} = {{ points = [[year, value], ...] }}`")
        }
        _ => format!("add `{key} = ...`"),
    };
    (
        field,
        format!("this required key is missing from {table}; {add} (see docs/MODEL.md)"),
    )
}

/// serde_path_to_error sees the private fields `toml::Spanned` is made of; a reader should not.
pub(super) fn clean_path(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('.') {
        // `$__serde_spanned_private_value[0]` keeps its index; `rounds$__...` its name.
        let segment = match segment.find("$__serde_spanned") {
            Some(i) => {
                let index = segment[i..].find('[').map_or("", |j| &segment[i + j..]);
                format!("{}{}", &segment[..i], index)
            }
            None => segment.to_string(),
        };
        let segment = segment.as_str();
        if segment == "?" || segment.is_empty() {
            continue;
        }
        if !out.is_empty() && !segment.starts_with('[') {
            out.push('.');
        }
        out.push_str(segment);
    }
    out
}

pub(super) fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Where each key of the format lives, to tell a user who put a key under the wrong
/// `[table]` header where it belongs.
pub(super) const KEY_HOMES: &[(&str, &[&str])] = &[
    (
        "the top level (before any [table])",
        &[
            "name",
            "unit",
            "start_year",
            "end_year",
            "valuation_year",
            "discount_rate",
            "trajectories_csv",
        ],
    ),
    ("[investor]", &["party", "contributions"]),
    (
        "[profit_share]",
        &[
            "residual",
            "loss_carryforward",
            "investor_rights_end_at_agi",
        ],
    ),
    (
        "[[profit_share.tiers]]",
        &["shares", "cap_growth", "cap_growth_from"],
    ),
    (
        "[profit_share.revenue_share] or [equity.revenue_share]",
        &["rate", "total_cap", "ends_at_agi"],
    ),
    (
        "[equity]",
        &["from_year", "stake", "dividend_payout", "terminal_discount"],
    ),
    (
        "[[equity.rounds]]",
        &["raise", "pre_money", "participation"],
    ),
    (
        "[[trajectories]]",
        &["description", "agi_year", "revenue", "margin", "valuation"],
    ),
    (
        "a series (`revenue`, `margin` or `valuation`)",
        &["points", "growth"],
    ),
];

/// `rest` is serde's "`key`, expected one of `a`, `b`" (or "expected `a`", or
/// "there are no fields").
pub(super) fn unknown_key_message(path: &str, rest: &str) -> (String, String) {
    let mut names = rest.split('`').skip(1).step_by(2);
    let key = names.next().unwrap_or_default().to_string();
    let valid: Vec<&str> = names.collect();
    let field = if path.ends_with(&key) {
        path.to_string()
    } else {
        join_path(path, &key)
    };
    let list = valid
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    // A close misspelling: name the key meant. A key of another table: say where it goes
    // (in TOML every key after a `[table]` header belongs to that table). Else the list.
    let close = nearest(&key, &valid).filter(|best| {
        strsim::damerau_levenshtein(&key.to_lowercase(), &best.to_lowercase())
            <= (key.chars().count() / 3).max(2)
    });
    let home_of = |key: &str| {
        KEY_HOMES
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(home, _)| *home)
    };
    // A plural whose singular has a home is told of the singular, which is the key that
    // belongs there (helper-188: `valuations` moved to [[trajectories]] is unknown there too).
    let singular = key.strip_suffix('s').filter(|_| home_of(&key).is_none());
    let home = home_of(&key).or_else(|| home_of(singular?));
    let singular = singular.filter(|_| home.is_some());
    // A key written short, after a slip and a key of another table (`valuation` above the
    // first table is a trajectory's, not `valuation_year`).
    let close = close.or_else(|| home.is_none().then(|| part_of_one(&key, &valid)).flatten());
    // A key of 1 MB was echoed whole (helper-97).
    let shown = crate::error::quoted(&key);
    let message = match (close, home) {
        (Some(best), _) => {
            format!("unknown key `{shown}`; did you mean `{best}`? Valid keys here: {list}")
        }
        // (At the top of the file there is no table: helper-189.)
        (None, Some(home)) if let Some(singular) = singular => format!(
            "unknown key `{shown}`; `{singular}` is a key of {home}, {}. Valid keys here: {list}",
            if field.contains(['.', '[']) {
                "not of this table"
            } else {
                "not of the top of the file"
            }
        ),
        // At the top of the file no header is above the key: it goes under its table's.
        (None, Some(home)) if !field.contains(['.', '[']) => format!(
            "`{shown}` does not belong at the top of the file but in {home}: write it under that table's header. Valid keys here: {list}"
        ),
        (None, Some(home)) => format!(
            "`{shown}` does not belong here but in {home}; in TOML a key belongs to the last [table] header above it, so move it up. Valid keys here: {list}"
        ),
        (None, None) if valid.is_empty() => {
            format!("unknown key `{shown}`; no keys are allowed here")
        }
        (None, None) => format!("unknown key `{shown}`; valid keys here: {list}"),
    };
    (field, message)
}

/// The one valid name that holds `key` (3 characters or more) as a part, ignoring case: a
/// key written short (`discount` for `discount_rate`, `payout` for `dividend_payout`,
/// `loss_carry` for `loss_carryforward`) is too far from its name by edit distance to be
/// called a slip. Else the one longest valid name that `key` holds, where it is at least
/// half of the key: a key written long (`revenue_volatility` for `revenue_vol`; a
/// `trajectory_name` is not taken for `name`). Failing both, the one name that holds the key
/// without a plural `s` as a whole word (`dividends`). None where no name or several fit.
pub fn part_of_one<'a>(key: &str, valid: &[&'a str]) -> Option<&'a str> {
    part_of_one_as_written(key, valid).or_else(|| {
        // A plural of a part (helper-182: `[equity.dividends]`, for `dividend_payout`, was
        // given the list alone, and `--set equity.dividends=` was pointed at `rounds`): a
        // whole word of one name (helper-187: `terms` is no `terminal_discount`).
        let singular = key.strip_suffix(['s', 'S'])?.to_lowercase();
        if singular.chars().count() < 3 {
            return None;
        }
        let mut holding = valid
            .iter()
            .filter(|v| v.to_lowercase().split('_').any(|word| word == singular));
        match (holding.next(), holding.next()) {
            (Some(one), None) => Some(*one),
            _ => None,
        }
    })
}

fn part_of_one_as_written<'a>(key: &str, valid: &[&'a str]) -> Option<&'a str> {
    let key = key.to_lowercase();
    let length = key.chars().count();
    if length < 3 {
        return None;
    }
    let mut holding = valid.iter().filter(|v| v.to_lowercase().contains(&key));
    match (holding.next(), holding.next()) {
        (Some(one), None) => return Some(*one),
        (Some(_), Some(_)) => return None,
        _ => {}
    }
    let held: Vec<&'a str> = valid
        .iter()
        .copied()
        .filter(|v| 2 * v.chars().count() >= length && key.contains(&v.to_lowercase()))
        .collect();
    let longest = held.iter().map(|v| v.chars().count()).max()?;
    match held.iter().filter(|v| v.chars().count() == longest).count() {
        1 => held.into_iter().find(|v| v.chars().count() == longest),
        _ => None,
    }
}

/// The valid name closest to `key` by edit distance (ties: the first in the list); none
/// for a key far longer than every name ([`too_long_to_be_a_slip`]). A name far longer than
/// the key is no slip for it either, and is passed over.
pub fn nearest<'a>(key: &str, valid: &[&'a str]) -> Option<&'a str> {
    if too_long_to_be_a_slip(key, valid.iter().map(|v| v.chars().count())) {
        return None;
    }
    let key = key.to_lowercase();
    let length = key.chars().count();
    let mut search = crate::error::BoundedSearch::default();
    let mut best: Option<(usize, &'a str)> = None;
    for v in valid {
        let name = v.to_lowercase();
        let n = name.chars().count();
        if too_long_to_be_a_slip(&name, std::iter::once(length)) {
            continue;
        }
        let Some(d) = search.distance(&key, length, &name, n, best.map(|(d, _)| d)) else {
            continue;
        };
        if best.is_none_or(|(b, _)| d < b) {
            best = Some((d, v));
        }
        if search.spent() {
            break;
        }
    }
    best.map(|(_, v)| v)
}

/// Whether `key` is so much longer than the longest of the names (their lengths in
/// characters) that it cannot be a slip for one: more than twice as long and 16 characters
/// more. The edit distance takes time and memory in proportion to the product of the two
/// lengths, so a hostile key of 100,000 characters took minutes to be told it is unknown;
/// no suggestion is worth that, and none would be close.
pub fn too_long_to_be_a_slip(key: &str, names: impl Iterator<Item = usize>) -> bool {
    let longest = names.max().unwrap_or(0);
    key.chars().count() > 2 * longest + 16
}

/// Where the TOML reader stopped at `at` on a value that spells no finite number in a way
/// TOML does not read (`NaN`, `Infinity`, `-INF`, the whole value: where a value begins,
/// [`begins_a_value`], and before the line's end, a comment, `,`, `]` or `}`): that it is
/// neither a number a model takes nor quoted text. TOML's own words ("invalid float, expected `nan`") named a
/// value the model then refuses (helper-175); a word elsewhere (a table's name, a bare
/// key, `0.3nan`) keeps the reader's own message (helper-177).
///
/// ```
/// use stakeshift_core::model::not_finite_spelling;
/// let said = not_finite_spelling("stake = NaN", 8).unwrap();
/// assert!(said.starts_with("`NaN` is neither a finite number nor quoted text"));
/// assert_eq!(not_finite_spelling("stake = 0.3", 8), None);
/// assert_eq!(not_finite_spelling("[nan", 1), None); // a table's name
/// assert_eq!(not_finite_spelling("[[nan]]", 2), None);
/// assert!(not_finite_spelling("points = [\n  [NaN, 3.7],\n]", 14).is_some());
/// assert_eq!(not_finite_spelling("q = { a = 1, inf, b = 2 }", 13), None); // a key
/// assert_eq!(not_finite_spelling("stake = 0.3nan", 11), None);
/// ```
pub fn not_finite_spelling(text: &str, at: usize) -> Option<String> {
    let word = word_at(text, at, |c| {
        c.is_ascii_alphabetic() || matches!(c, '+' | '-')
    })?;
    // Where the word lies in `text` (`word_at` gives a slice of it).
    let start = word.as_ptr() as usize - text.as_ptr() as usize;
    (ends_a_value(text, start, word.len()) && begins_a_value(text, start))
        .then(|| not_finite_value(word))
        .flatten()
}

/// Where the TOML reader stopped on a word written as a whole value without its quotes
/// (`residual = nonprofit`): that text is written in quotes. The reader's own words named a
/// float or a boolean, by the word's first letter ("invalid float, expected `nan`",
/// "invalid boolean, expected `false`"; helper-192). `true`, `false` and the words of
/// [`not_finite_spelling`] are not such words. `takes_text`: whether the key takes text,
/// which is then told only to quote it.
///
/// ```
/// use stakeshift_core::model::bare_word_spelling;
/// let said = bare_word_spelling("residual = nonprofit", 11, true).unwrap();
/// assert_eq!(said, "`nonprofit` is text without its quotes: write it in quotes, \"nonprofit\"");
/// // Where the key may take other than text, what else the value may be.
/// let said = bare_word_spelling("stake = high", 8, false).unwrap();
/// assert!(said.starts_with("`high` is neither a number nor quoted text: write a number"));
/// assert!(said.contains("text in quotes (\"high\")"));
/// assert_eq!(bare_word_spelling("residual = np]", 11, false), None); // the `]` is the error
/// assert!(bare_word_spelling("a = [\"x\", founders_2]", 11, false).is_some());
/// assert_eq!(bare_word_spelling("residual = non profit", 11, false), None); // two words
/// assert_eq!(bare_word_spelling("[equity]", 1, false), None); // a table's name
/// assert_eq!(bare_word_spelling("stake = 2nd", 8, false), None); // not a word
/// assert_eq!(bare_word_spelling("x = NaN", 4, false), None);
/// // A file's name or path too (TOML said "string values must be quoted", or of `tail.csv`
/// // "invalid boolean, expected `true`"); a backslash's in single quotes, which keep it.
/// let said = bare_word_spelling("trajectories_csv = tail.csv # the tail", 19, true).unwrap();
/// assert!(said.ends_with("write it in quotes, \"tail.csv\""), "{said}");
/// let said = bare_word_spelling(r"trajectories_csv = C:\data\t.csv", 19, true).unwrap();
/// assert!(said.ends_with(r"'C:\data\t.csv', single quotes, which keep its backslashes"));
/// assert!(bare_word_spelling("trajectories_csv = ../data/t.csv", 19, false).is_some());
/// assert_eq!(bare_word_spelling("x = .5", 4, false), None); // no letter: not a name
/// assert_eq!(bare_word_spelling("[equity.cloud]", 1, false), None);
/// assert_eq!(bare_word_spelling("x = runs/tail#2.csv", 4, false), None); // `#2.csv` is hers
/// assert_eq!(bare_word_spelling("x = true.", 4, false), None);
/// assert_eq!(bare_word_spelling("x = ~/t.csv", 4, false), None);
/// assert!(bare_word_spelling("x = tail(1).csv", 4, false).unwrap().contains("(\"tail(1).csv\")"));
/// ```
pub fn bare_word_spelling(text: &str, at: usize, takes_text: bool) -> Option<String> {
    let word = word_at(text, at, |c| c.is_alphanumeric() || matches!(c, '_' | '-'))?;
    // A file's name or path, read whole (session 46: `trajectories_csv = tail.csv` was told
    // "invalid boolean, expected `true`"; `data.csv`, "string values must be quoted"): a
    // word with dots, slashes or a drive's colon, beginning with a letter or, as a
    // relative or absolute path, with `.`, `/` or `\` where it holds a separator. Not one
    // ending in `.` or `:` (`nonprofit.` is no party's name), nor a yes or no with more after
    // it (`true.`, `yes/no`: helper-286), which keep what they were told; nor `~/x.csv`,
    // whose `~` no reader expands.
    let yes_or_no = matches!(
        word.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    let path = word_at(text, at, |c| {
        c.is_alphanumeric()
            || matches!(
                c,
                '_' | '-' | '.' | '/' | '\\' | ':' | '~' | '(' | ')' | '+'
            )
    })
    .filter(|path| {
        !yes_or_no
            && !path.ends_with(['.', ':'])
            && path.contains(char::is_alphabetic)
            && (path.starts_with(char::is_alphabetic)
                || (path.starts_with(['.', '/', '\\']) && path.contains(['/', '\\'])))
    });
    let word = match path {
        Some(path) if path.len() > word.len() => path,
        _ => word,
    };
    if !word.starts_with(char::is_alphabetic) && !word.contains(['/', '\\'])
        || matches!(word, "true" | "false")
        || not_finite_value(word).is_some()
    {
        return None;
    }
    let start = word.as_ptr() as usize - text.as_ptr() as usize;
    // A `#` right after the word (`runs/tail#2.csv`) was meant as part of it, though TOML
    // reads a comment there: quoting the part before it would name another file
    // (helper-286).
    if text[start + word.len()..].starts_with('#') {
        return None;
    }
    (ends_a_value(text, start, word.len()) && begins_a_value(text, start)).then(|| {
        let shown = crate::error::quoted(word);
        // (A backslash inside double quotes begins an escape: `"C:\data"` fails next; a
        // word shortened to be shown is not offered shortened: helper-286.)
        let in_quotes = match (word.contains('\\'), shown == word) {
            (true, true) => format!("'{shown}', single quotes, which keep its backslashes"),
            (false, true) => format!("\"{shown}\""),
            (true, false) => "all of it in single quotes, which keep its backslashes".into(),
            (false, false) => "all of it in double quotes".into(),
        };
        // A key that takes text is told only that (helper-286: "write a number such as 0.3
        // or 2031, ..., or true or false" of `trajectories_csv = data.csv`).
        if takes_text {
            return format!("`{shown}` is text without its quotes: write it in quotes, {in_quotes}");
        }
        // (helper-223: `True` and `yes` were told to be quoted, which fails next.)
        match word.to_ascii_lowercase().as_str() {
            lower @ ("true" | "false") => {
                return format!("`{shown}`: TOML writes true and false in lower case: write {lower}");
            }
            "yes" | "no" | "on" | "off" | "y" | "n" => {
                return format!(
                    "`{shown}` is neither a number nor quoted text: a yes or no is written true or false (or, for a key that takes text, in quotes: \"{shown}\")"
                );
            }
            _ => {}
        }
        format!(
            "`{shown}` is neither a number nor quoted text: write a number such as 0.3 or 2031, text in quotes ({in_quotes}), or true or false, as the key takes"
        )
    })
}

/// Whether a value of `len` bytes at byte `start` of `text` ends there: at the line's end
/// or a comment, or at `,`, `]` or `}` inside an array or inline table (helper-194:
/// `residual = np]` was told to quote `np`, and then failed on the `]`).
fn ends_a_value(text: &str, start: usize, len: usize) -> bool {
    let after = text[start + len..].trim_start_matches([' ', '\t', '\r']);
    if after.is_empty() || after.starts_with(['\n', '#']) {
        return true;
    }
    // (The closer of what is open: `x]` inside an inline table is no whole value, and
    // quoting `x` would not mend it; helper-196.)
    let closes = |open: &OpenValue| match after.chars().next() {
        Some(',') => !matches!(open.what, Opener::String(_)),
        Some(']') => open.what == Opener::Array,
        Some('}') => open.what == Opener::InlineTable,
        _ => false,
    };
    open_value(text, start).is_some_and(|open| closes(&open))
}

/// Whether a value begins at byte `start` of `text`: right after `=` on the same line, or
/// in an array after its `[` or a `,` (its rows may span lines and carry comments); not in
/// a table's header (`[nan]`, `[[nan]]`), nor after an inline table's `{` or `,`, where a
/// key begins. Read forward from the file's start, past strings and comments (helper-179:
/// a `#` or `]` inside a string misled a backward scan), once, on the error's path.
fn begins_a_value(text: &str, start: usize) -> bool {
    let read = read_to(text, start);
    if read.in_string.is_some() {
        // The word is inside a string: no value begins there.
        return false;
    }
    match read.last {
        Some(b'=') => !read.line_start,
        Some(b',' | b'[') => read.open.last().map(|&(b, _)| b) == Some(b'['),
        _ => false,
    }
}

/// Where the string that opens at byte `i` of `bytes` (with `"` or `'`, one or three) ends:
/// past its closing quotes, escapes skipped in a basic string, and a multi-line string's
/// closing three may follow up to two quotes of its own (`"""a""""` is `a"`: helper-180);
/// a one-line string left open ends at its line's end; None for a multi-line string left
/// open.
fn string_end(bytes: &[u8], i: usize) -> Option<usize> {
    let quote = bytes[i];
    let basic = quote == b'"';
    let triple = [quote; 3];
    let multi_line = bytes[i..].starts_with(&triple);
    let mut k = i + if multi_line { 3 } else { 1 };
    loop {
        match bytes.get(k) {
            Some(b'\\') if basic => k += 2,
            Some(c) if *c == quote && !multi_line => return Some(k + 1),
            Some(c) if *c == quote && bytes[k..].starts_with(&triple) => {
                let mut end = k + 3;
                while end < k + 5 && bytes.get(end) == Some(&quote) {
                    end += 1;
                }
                return Some(end);
            }
            Some(b'\n') if !multi_line => return Some(k),
            None if !multi_line => return Some(k),
            None => return None,
            Some(_) => k += 1,
        }
    }
}

/// Where `value`, the whole of it, spells no finite number in a way TOML does not read
/// (`NaN`, `Infinity`, `-INF`): that it is neither a number a model takes nor quoted text.
pub fn not_finite_value(value: &str) -> Option<String> {
    let word = value.trim();
    let bare = word.trim_start_matches(['+', '-']).to_ascii_lowercase();
    matches!(bare.as_str(), "nan" | "inf" | "infinity").then(|| {
        format!(
            "`{word}` is neither a finite number nor quoted text: write a number such as 0.3 or 2031 (a model's numbers are finite), or text in quotes (\"nonprofit\")"
        )
    })
}

/// The run of characters `in_word` takes around byte `at` of `text` (through it, or
/// starting there): the word a reader stopped in.
fn word_at(text: &str, at: usize, in_word: impl Fn(char) -> bool) -> Option<&str> {
    let at = at.min(text.len());
    let start = text
        .get(..at)?
        .char_indices()
        .rev()
        .take_while(|(_, c)| in_word(*c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = text
        .get(at..)?
        .char_indices()
        .find(|(_, c)| !in_word(*c))
        .map_or(text.len(), |(i, _)| at + i);
    text.get(start..end)
}

/// Where the TOML reader stopped on a number written as a spreadsheet shows it, the fix:
/// a percent sign (`15%`) or thousands separators (`1,250.0`), which TOML does not read
/// (it says "string values must be quoted" or "expected newline"). `at` is where it
/// stopped, inside or at the start of the number.
pub fn spreadsheet_habit(text: &str, at: usize) -> Option<String> {
    // A comma read as part of the number (`1,250.0`) first; failing that, inside an array or
    // an inline table, as what separates its items (helper-282: `[2024,1_0%]` got no fix,
    // the word read being `2024,1_0%`).
    habit_read(text, at, false).or_else(|| {
        let before = text.get(..at.min(text.len()))?;
        let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
        line.contains(['[', '{'])
            .then(|| habit_read(text, at, true))?
    })
}

/// What a fix would write that a model cannot hold, after "is" (a percent's fraction, a
/// grouped number's value).
const PAST_THE_LIMIT: &str = "more than 1e18 in size, the most a model's numbers may be";

/// [`spreadsheet_habit`] with commas read as part of a number, or as separating items.
fn habit_read(text: &str, at: usize, commas_separate: bool) -> Option<String> {
    let in_number = |c: char| {
        c.is_ascii_digit()
            || matches!(c, '.' | '_' | '%' | '+' | '-')
            || (c == ',' && !commas_separate)
    };
    // (A stop on a document's minus or an opening parenthesis: the number after it,
    // `−20%`, `(20%)`.)
    let at = match text.get(at..).and_then(|t| t.chars().next()) {
        Some(c @ ('\u{2212}' | '\u{2013}' | '\u{2014}' | '(')) => at + c.len_utf8(),
        _ => at,
    };
    let number_word = word_at(text, at, in_number)?.trim_end_matches(',');
    // The whole value around it, to a space or a TOML delimiter: the fix is offered only
    // where the number, with a sign a document writes, is all of it (helper-278: a part was
    // told of `12,345．64`, `1,000e3`, `-¥1,234` and `(1,000％)`, changing the value).
    let start = number_word.as_ptr() as usize - text.as_ptr() as usize;
    let end = start + number_word.len();
    let delimiter = |c: char| {
        c.is_whitespace()
            || matches!(c, '[' | ']' | '{' | '}' | '=' | '#')
            || (c == ',' && commas_separate)
    };
    let token_start = text
        .get(..start)?
        .char_indices()
        .rev()
        .take_while(|(_, c)| !delimiter(*c))
        .last()
        .map_or(start, |(i, _)| i);
    let token_end = text
        .get(end..)?
        .char_indices()
        .find(|(_, c)| delimiter(*c))
        .map_or(text.len(), |(i, _)| end + i);
    // (A trailing comma separates array items.)
    let token = text.get(token_start..token_end)?.trim_end_matches(',');
    // After a comma, commas as separators only where the item before it is a number that
    // opens its array (`[2024,10%]`: a year and its value; helper-283: `[2024, 12,5%]` and
    // `{ fund = 0,75% }`, a decimal comma, were told a fix of the `5%` or `75%` alone); a
    // value after its key's `=` is one (`{fund=49%,others=1%}`: helper-285).
    if commas_separate && let Some(before) = text.get(..token_start)?.strip_suffix(',') {
        let item = before
            .rfind(|c: char| c.is_whitespace() || matches!(c, '[' | ',' | '{' | '='))
            .filter(|&i| before.as_bytes()[i] == b'[')?;
        if !is_toml_number(&before[item + 1..]) {
            return None;
        }
    }
    // A grouped number that is all of an array (`[[24,100%]]`) is most often two items
    // without a space: read as one, the pair would have one (helper-283).
    let alone_in_brackets = text.get(..token_start)?.trim_end().ends_with('[')
        && text.get(token_end..)?.trim_start().starts_with(']');
    if !commas_separate && alone_in_brackets && number_word.contains(',') {
        return None;
    }
    let unsigned_word = !number_word.starts_with(['+', '-']);
    // Negative as a document writes it: a typographic minus before the number, or the
    // number in parentheses (helper-277: `−1,000` and `(1,000)` were told to write 1000).
    let minus = unsigned_word
        && ["\u{2212}", "\u{2013}", "\u{2014}"]
            .iter()
            .any(|dash| token.strip_prefix(dash) == Some(number_word));
    let parenthesized = unsigned_word && token == format!("({number_word})");
    if token != number_word && !minus && !parenthesized {
        return None;
    }
    // (Not the value of an inline table's item that takes text: helper-279.)
    if inline_item_takes_text(text, token_start) {
        return None;
    }
    let (word, minus) = (token, minus || parenthesized);
    let sign = if minus { "-" } else { "" };
    let (digits, percent) = match number_word.strip_suffix('%') {
        Some(d) => (d, true),
        None => (number_word, false),
    };
    let unsigned = digits.trim_start_matches(['+', '-']);
    // (A point needs digits after it: `1,000.` was told "write 1000.": helper-279.)
    if unsigned.ends_with('.') {
        return None;
    }
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let grouped = whole.contains(',')
        && (1..=3).contains(&first.len())
        && !first.starts_with('0')
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && fraction.bytes().all(|b| b.is_ascii_digit());
    // (A percent written with TOML's own `_` between digits, `1_000%`: helper-279, told
    // "too large".)
    // (Only a value a model holds: a fraction past 1e18 was offered, then refused as too
    // large: helper-282.)
    let holdable = |v: Decimal| v.abs() <= Decimal::from(super::MAX_NUMBER);
    // Read exactly, or not at all (helper-283: a percent of 30 places was told the fraction
    // 0, a grouped number of 40 digits a rounded one).
    let exact = |digits: &str| {
        Decimal::from_str_exact(digits.replace([',', '_'], "").trim_start_matches('+')).ok()
    };
    // Past what a decimal holds at all (29 digits and more): more than 1e18 in size, where
    // its whole part is (helper-285: such a number lost the "too large" said of a smaller).
    let huge = |digits: &str, over: f64| {
        exact(digits).is_none()
            && digits
                .replace([',', '_'], "")
                .parse::<f64>()
                .is_ok_and(|v| v.abs() > over)
    };
    if percent && (grouped || is_toml_number(digits)) && huge(digits, 1e20) {
        return Some(format!(
            "`{word}`: TOML has no percent sign, and the fraction is {PAST_THE_LIMIT}"
        ));
    }
    if grouped && !percent && huge(digits, 1e18) {
        return Some(format!(
            "`{word}`: TOML numbers have no thousands separator, and the number is {PAST_THE_LIMIT}"
        ));
    }
    let percent_value = (percent && (grouped || is_toml_number(digits)))
        .then(|| exact(digits))
        .flatten()
        // (The fraction to two more places than the percent.)
        .filter(|v| v.scale() <= 26);
    if let Some(v) = percent_value
        && !holdable(v / Decimal::ONE_HUNDRED)
    {
        return Some(format!(
            "`{word}`: TOML has no percent sign, and the fraction, {sign}{}, is {PAST_THE_LIMIT}",
            (v / Decimal::ONE_HUNDRED).normalize()
        ));
    }
    if let Some(v) = percent_value {
        let v = if minus { -v } else { v };
        let separators = if grouped {
            " or thousands separator"
        } else {
            ""
        };
        return Some(format!(
            "`{word}`: TOML has no percent sign{separators}; write the fraction, {}",
            (v / Decimal::ONE_HUNDRED).normalize()
        ));
    }
    if grouped && !percent {
        let plain = digits.replace(',', "");
        let value = exact(digits)?;
        if !holdable(value) {
            return Some(format!(
                "`{word}`: TOML numbers have no thousands separator, and {sign}{plain} is {PAST_THE_LIMIT}"
            ));
        }
        let underscored = digits.replace(',', "_");
        return Some(format!(
            "`{word}`: TOML numbers have no thousands separator; write {sign}{plain} (or {sign}{underscored})"
        ));
    }
    None
}

/// A `[year, value]` pair around `at` whose value is written with thousands separators
/// (`[2024, 1,500]`, `[2024,1,000]`) or a decimal comma (`[2024, 0,5]`): TOML reads three
/// items, or stops at the leading zero of `000`. The fix, the pair with the value written
/// as TOML reads it (session 47: no fix was offered, or "must be a pair, but it has 3
/// entries"). Only where the pair's text is a year, a comma and one such number, its whole
/// part of at most 18 digits; a comma before three digits is read as a thousands
/// separator, as elsewhere in the file.
pub fn grouped_value_in_a_pair(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let open = line_start + text.get(line_start..at)?.rfind('[')?;
    let close = at + text.get(at..)?.find([']', '\n'])?;
    if text.as_bytes().get(close) != Some(&b']') {
        return None;
    }
    let inner = text.get(open + 1..close)?;
    let (year, value) = inner.split_once(',')?;
    let (year, value) = (year.trim(), value.trim());
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year) || year.len() > 6 {
        return None;
    }
    let (sign, unsigned) = match value.strip_prefix(['-', '+']) {
        Some(rest) => (&value[..1], rest),
        None => ("", value),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let grouped = !rest.is_empty()
        && digits(first)
        && first.len() <= 3
        && !first.starts_with('0')
        && rest.iter().all(|g| g.len() == 3 && digits(g))
        && fraction.is_none_or(digits);
    // One comma that is no thousands separator (`0,500`, `12,34`): a decimal comma.
    if !grouped
        && fraction.is_none()
        && rest.len() == 1
        && digits(first)
        && (first == "0" || !first.starts_with('0'))
        && digits(rest[0])
        && first.len() <= 18
    {
        return Some(format!(
            "`{value}`: TOML's decimal separator is a point: write [{year}, {sign}{first}.{}]",
            rest[0]
        ));
    }
    let plain_whole = whole.replace(',', "");
    if !grouped || plain_whole.len() > 18 {
        return None;
    }
    let fraction = fraction.map_or(String::new(), |f| format!(".{f}"));
    let underscored = whole.replace(',', "_");
    Some(format!(
        "`{value}`: TOML numbers have no thousands separator; write [{year}, {sign}{plain_whole}{fraction}] (or [{year}, {sign}{underscored}{fraction}])"
    ))
}

/// The key of an inline table's item (or a line's) whose value begins at `at`: the word
/// before the `=` just before it, without quotes (`party` of `{ party = 1,5 }`).
fn inline_key_before(text: &str, at: usize) -> Option<&str> {
    let before = text
        .get(..at)?
        .trim_end_matches(['+', '-', ' ', '\t', '(', '\u{2212}']);
    let before = before.strip_suffix('=')?.trim_end_matches([' ', '\t']);
    let start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '{' | ',' | '.' | '['))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    Some(before.get(start..)?.trim_matches(['"', '\'']))
}

/// Whether the key of the line where the reader stopped at `at` takes text.
fn takes_text_here(text: &str, at: usize) -> bool {
    key_of_the_line(text, at).is_some_and(|key| takes_text(&key))
}

/// Whether the value around `at` is that of a key taking text: the line's key, or the
/// inline table item's whose `=` stands before the value (helper-279).
fn value_takes_text(text: &str, at: usize) -> bool {
    if takes_text_here(text, at) {
        return true;
    }
    // The start of the value around `at`: back to a space or a delimiter.
    let start = text
        .get(..at)
        .map(|t| {
            t.char_indices()
                .rev()
                .take_while(|(_, c)| !c.is_whitespace() && !matches!(c, '=' | '{' | ',' | '['))
                .last()
                .map_or(at, |(i, _)| i)
        })
        .unwrap_or(at);
    inline_item_takes_text(text, start)
}

/// Whether a key of the model takes text (by its last part, `trajectories[0].name`):
/// a fix that writes a number is no fix there (helper-277, helper-278: `name = 1/2` was
/// told to write 0.5). A party or trajectory called `name` in a table of numbers by name
/// (`shares.name`, `weights.name`) takes a number (session 47: it was told to quote `75%`).
pub fn takes_text(key: &str) -> bool {
    let mut parts = key.rsplit('.');
    let last = parts.next().unwrap_or(key);
    if parts.next().is_some_and(is_numbers_by_name) {
        return false;
    }
    matches!(
        last,
        "name" | "unit" | "description" | "party" | "residual" | "trajectories_csv"
    )
}

/// Whether a key of the model is a table of numbers keyed by parties' or trajectories'
/// names: a tier's `shares` and `until`, `[simulation]`'s `weights` (the schema's tables of
/// free keys).
fn is_numbers_by_name(key: &str) -> bool {
    matches!(key, "shares" | "until" | "weights")
}

/// Whether the inline table item whose value begins at `at` takes text, by its key
/// (`{ name = ... }`), unless the table is one of numbers by name (`shares = { name = 0.5
/// }`, a party called `name`).
fn inline_item_takes_text(text: &str, at: usize) -> bool {
    inline_key_before(text, at).is_some_and(takes_text)
        && !key_of_the_line(text, at).is_some_and(|path| {
            let mut parts = path.rsplit('.');
            parts.next().is_some_and(is_numbers_by_name)
                || parts.next().is_some_and(is_numbers_by_name)
        })
}

/// Whether `s` is a TOML integer or float in decimal as TOML writes one: a sign, no
/// leading zero, `_` only between digits, digits on both sides of a point, an exponent.
fn is_toml_number(s: &str) -> bool {
    let digits = |part: &str| {
        !part.is_empty()
            && !part.starts_with('_')
            && !part.ends_with('_')
            && !part.contains("__")
            && part.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    };
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    digits(whole)
        && (whole == "0" || !whole.starts_with('0'))
        && fraction.is_none_or(digits)
        && exponent.is_none_or(digits)
}

/// The quotes a word processor types: a value in them is told to use straight ones (or
/// none, for a number); `--set`'s join hint takes them off.
pub const CURLY_QUOTES: [char; 7] = [
    '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '\u{201e}', '\u{ab}', '\u{bb}',
];

/// Where the TOML reader stopped on a value typed as a document or a report shows it, the
/// fix (helper-223: each got "string values must be quoted, expected literal string"):
/// curly quotes (`“microsoft”`), a typographic minus (`−1.35`), an accountant's negative
/// (`(1.35)`), a fraction (`27/100`), a currency sign or a unit (`$13bn`, `122bn`), a
/// decimal comma (`0,27`). `at` is where it stopped.
pub fn typed_as_a_document_shows_it(text: &str, at: usize, text_key: bool) -> Option<String> {
    let at = at.min(text.len());
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    // The value: after the last `=` before the stop on its line (a key's, or an inline
    // table's), to the end of the word.
    if at - line_start > AFTER_A_VALUE_LINE {
        return None;
    }
    let before = text.get(line_start..at)?;
    // (After a key's `=`, or an array's `[` or `,`: `[[2024, −0.1]]`.)
    let separator = before.rfind(['=', ',', '[', '{'])?;
    // Not inside a string (helper-224: `description = "Revenue, $13bn` without its closing
    // quote was told to write 13): the line before the value holds no quote left open.
    // (Read as TOML reads strings: an escaped quote, `"a\"b"`, does not close one, and an
    // apostrophe inside a basic string, `"it's"`, opens none: helper-230.)
    if OutsideQuotes::new(before.get(..separator)?).left_open() {
        return None;
    }
    let rest = text.get(line_start + separator + 1..)?;
    // A later group of a number with thousands separators (`1,2３４.９37`): no value of
    // its own (helper-278: told "write 234.937").
    let digit = |c: char| c.is_ascii_digit() || ('\u{ff10}'..='\u{ff19}').contains(&c);
    if before.get(separator..)?.starts_with(',')
        && before
            .get(..separator)?
            .chars()
            .next_back()
            .is_some_and(digit)
        && rest.chars().take(3).filter(|c| digit(*c)).count() == 3
        && rest.chars().nth(3).is_none_or(|c| !digit(c))
    {
        return None;
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    let curly = CURLY_QUOTES;
    // The value: a curly-quoted text to its closing quote; else a word, to a space or the
    // end of an array's or table's item (a decimal comma kept: `0,27`).
    let bytes = rest.as_bytes();
    let end = if rest.starts_with(curly) {
        let opening = rest.chars().next()?;
        let open = opening.len_utf8();
        // Closed by a quote of its kind, double or single: an apostrophe inside double
        // quotes is a letter (helper-277: `“O’Brien”` was told "O").
        let single = ['\u{2018}', '\u{2019}'];
        let closers: &[char] = if single.contains(&opening) {
            &single
        } else {
            &['\u{201c}', '\u{201d}', '\u{201e}', '\u{ab}', '\u{bb}']
        };
        let close = rest.get(open..)?.find(closers)?;
        open + close + rest.get(open + close..)?.chars().next()?.len_utf8()
    } else {
        rest.char_indices()
            .find(|&(i, c)| {
                c.is_whitespace()
                    || matches!(c, '#' | ']' | '}')
                    || (c == ','
                        && !(i > 0
                            && bytes[i - 1].is_ascii_digit()
                            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            })
            .map_or(rest.len(), |(i, _)| i)
    };
    let value = rest.get(..end)?;
    if value.is_empty() || value.chars().count() > 64 {
        return None;
    }
    // A key that takes text, the line's or an inline table item's: only the fix of curly
    // quotes applies.
    let value_start = value.as_ptr() as usize - text.as_ptr() as usize;
    let text_key = text_key || inline_item_takes_text(text, value_start);
    if text_key && !value.starts_with(curly) {
        return None;
    }
    // A comma after the value that is part of the number, which is then more than the
    // value read so far, so that no fix of that part is one: inside a number of full-width
    // digits (`１２,５`, `０,２７`: helper-279, "write 12"), or before a group of thousands
    // in other digits than ASCII's (`−12,３４5`, `１,０００`: helper-277, helper-278), three
    // digits and the value's end. Not an array's next item (`[[２０２４,10.0]]`).
    let full_width_digit = |c: char| ('\u{ff10}'..='\u{ff19}').contains(&c);
    if let Some(after) = rest
        .get(end..)
        .and_then(|t| t.strip_prefix([',', '\u{ff0c}']))
    {
        if value.chars().any(full_width_digit) && after.starts_with(full_width_digit) {
            return None;
        }
        let mut chars = after.chars();
        let group = chars.by_ref().take(3).filter(|c| digit(*c)).count() == 3;
        let ends = chars.next().is_none_or(|c| !digit(c) && !c.is_alphabetic());
        if group && ends {
            return None;
        }
    }
    let shown = crate::error::quoted(value);
    if value.starts_with(curly) {
        let inner = value.trim_matches(curly);
        // (A text holding `"` or `\` needs more than straight quotes: helper-224.)
        if inner.contains(['"', '\\']) {
            return None;
        }
        // A number in curly quotes, for a key that takes a number: the number, not text
        // (helper-279: `stake = “0.2”` was offered "0.2", which the key refuses).
        if !text_key && is_toml_number(inner) {
            return Some(format!(
                "`{shown}` is a number in curly quotes: write it without quotes, {inner}"
            ));
        }
        return Some(format!(
            "`{shown}` is in curly quotes (as a word processor types them): TOML reads straight ones, \"{}\"",
            crate::error::quoted(inner)
        ));
    }
    let number = |s: &str| s.parse::<Decimal>().ok().map(|d| d.normalize());
    let unsigned_number = |s: &str| number(s).filter(|_| !s.starts_with(['-', '+']));
    // Full-width digits and signs, as an East Asian input method types them (helper-266:
    // `０.１０` was told "string values must be quoted"): the same number in ASCII.
    if value
        .chars()
        .any(|c| ('\u{ff01}'..='\u{ff5e}').contains(&c))
    {
        let ascii: String = value
            .chars()
            .map(|c| match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
                _ => c,
            })
            .collect();
        // Only a number TOML reads as written (helper-277: `０１` was told "write 01",
        // `１．` "write 1."), and not the first group of one with thousands separators
        // (`１,０００` was told "write 1").
        if is_toml_number(&ascii) {
            return Some(format!(
                "`{shown}` is written in full-width characters (as an East Asian input method types them): write {ascii}"
            ));
        }
    }
    if let Some(body) = value.strip_prefix(['\u{2212}', '\u{2013}', '\u{2014}'])
        && let Some(n) = unsigned_number(body)
    {
        return Some(format!(
            "`{shown}` begins with a typographic dash (U+{:04X}): write -{n}, with the plain minus sign",
            u32::from(value.chars().next()?)
        ));
    }
    if let Some(body) = value.strip_prefix('(').and_then(|v| v.strip_suffix(')'))
        && let Some(n) = unsigned_number(body)
    {
        return Some(format!(
            "`{shown}`: a negative number is written with a minus sign, -{n}"
        ));
    }
    // (Checked: a quotient past 28 digits, `79228162514264337593543950335/0.1`, has no
    // decimal to offer.)
    // (A proper fraction only: `2026/27` is a fiscal year, not 75.04: helper-224.)
    if let Some((a, b)) = value.split_once('/')
        && let (Some(a), Some(b)) = (unsigned_number(a), unsigned_number(b))
        && a < b
        && let Some(q) = a.checked_div(b)
    {
        return Some(format!(
            "`{shown}` is a fraction, which TOML does not compute: write it as a decimal, {}",
            q.round_dp(12).normalize()
        ));
    }
    if let Some((whole, fraction)) = value.split_once(',')
        && !whole.is_empty()
        && whole
            .trim_start_matches('-')
            .bytes()
            .all(|b| b.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && (fraction.len() != 3 || whole.trim_start_matches('-') == "0")
        // (A fix TOML reads: not `00.5` of `00,5`: helper-279.)
        && is_toml_number(&format!("{whole}.{fraction}"))
    {
        return Some(format!(
            "`{shown}`: TOML's decimal separator is a point: write {whole}.{fraction}"
        ));
    }
    // A number without a digit before or after its point (helper-223: `.27` and `27.`
    // were told "invalid mantissa" and "invalid fraction").
    let (sign, magnitude) = value.split_at(usize::from(value.starts_with(['-', '+'])));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(fraction) = magnitude.strip_prefix('.')
        && all_digits(fraction)
    {
        return Some(format!(
            "`{shown}`: a TOML number begins with a digit: write {sign}0.{fraction}"
        ));
    }
    if let Some(whole) = magnitude.strip_suffix('.')
        && all_digits(whole)
    {
        return Some(format!(
            "`{shown}`: a TOML number's point has digits after it: write {sign}{whole}.0 (or {sign}{whole})"
        ));
    }
    // A year and month where a year goes (helper-223: `2023-01` was told "invalid date,
    // expected `-` (MM-DD)").
    if let Some((year, month)) = value.split_once('-')
        && year.len() == 4
        && all_digits(year)
        && (1..=2).contains(&month.len())
        && all_digits(month)
        && month.parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
    {
        return Some(format!(
            "`{shown}` is a year and a month, which TOML reads as a date cut short: a year is a whole number: write {year}"
        ));
    }
    // A currency sign before, or a unit after, the number.
    let unsigned = value.trim_start_matches(['$', '\u{20ac}', '\u{a3}', '\u{a5}']);
    let digits_end = unsigned
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | '_')))
        .map_or(unsigned.len(), |(i, _)| i);
    // (A unit written apart, `122 bn`, is told as what follows a value, as `1 x` is.)
    let (digits, unit) = unsigned.split_at(digits_end);
    let n = number(&digits.replace('_', ""))?;
    // (`1e` is a broken exponent, not a unit.)
    if !unit.is_empty() && unit.chars().all(char::is_alphabetic) && !unit.eq_ignore_ascii_case("e")
    {
        // Not dropped, which would leave `20m` in a model in USD bn 1,000 times too large
        // (helper-224): converted by the reader.
        return Some(format!(
            "`{shown}`: a number here has no unit: write the amount as a plain number in the model's `unit` (converted: 20m in a model in USD bn is 0.02)"
        ));
    }
    (unit.is_empty() && unsigned.len() < value.len()).then(|| {
        format!("`{shown}`: a number here has no currency sign (amounts are in the model's `unit`): write {n}")
    })
}

/// Where the file first nests past [`NESTED_PAST`] levels: a key or a table's header of
/// that many dotted parts, or a value inside that many brackets (read past strings and
/// comments). The place of the first such key, header or bracket.
fn nested_deepest(text: &str) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let (mut depth, mut dots, mut line_start) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                (dots, line_start) = (0, i + 1);
            }
            b'#' => {
                i = text[i..].find('\n').map_or(text.len(), |k| i + k);
                continue;
            }
            b'"' | b'\'' => {
                i = string_end(bytes, i).unwrap_or(bytes.len());
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > NESTED_PAST {
                    return Some(i..i + 1);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'=' => dots = 0,
            b'.' if !bytes[i.saturating_sub(1)].is_ascii_digit() => {
                dots += 1;
                if dots > NESTED_PAST {
                    return Some(line_start..line_start + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// More levels than any model has (its deepest, 3) and fewer than the reader's limit.
const NESTED_PAST: usize = 64;

/// The TOML reader's own words for two limits, said with what would be valid.
fn parser_words(message: &str) -> String {
    if message.contains("floating-point number overflowed")
        || message.contains("integer number overflowed")
    {
        // An integer past what TOML holds (i64) too (helper-78: 1000 digits were told
        // only "integer number overflowed").
        format!("the number {}", NotExact::TooLarge.why())
    } else if message.contains("max recursion depth") || message.contains("recursion limit") {
        // Also dotted keys and [a.a.a...] headers hundreds of levels deep (helper-78: "the
        // file is not valid TOML: recursion limit", nothing more).
        "arrays, tables or dotted keys are nested too deeply for the reader (a model's deepest value, a series' [[year, value], ...], nests 3 levels; its deepest key, trajectories.valuation.points, 3)".into()
    } else {
        message.to_string()
    }
}

/// The reader sees a TOML date or time (`year = 2024-01-01`) as a table, so the message
/// says "found a table"; where the value at the issue's place is a date or time, it says so.
pub(super) fn dates_said_as_dates(text: &str, mut issue: ModelIssue) -> ModelIssue {
    let Some(written) = issue.span.clone().and_then(|span| text.get(span)) else {
        return issue;
    };
    if let Some(rest) = issue
        .message
        .strip_prefix("found a table, but this must be ")
        && written.trim().parse::<toml::value::Datetime>().is_ok()
    {
        issue.message = format!(
            "found the date or time {}, but this must be {rest}{}",
            written.trim(),
            if issue.field.ends_with("year")
                || issue.field.ends_with("from")
                || issue.field.ends_with("until")
            {
                " (a year is a whole number, such as 2031)"
            } else {
                ""
            }
        );
    }
    issue
}

/// The way to write a value of the shape `field` needs, where the file wrote another
/// (helper-153: `[trajectories]` with one bracket, and `until = 13.0`, were told only what
/// shape was wanted).
fn shape_hint(field: &str, message: &str) -> String {
    let key = field.rsplit('.').next().unwrap_or(field);
    // `[[name]]`: a header of two brackets for each entry of an array of tables.
    if message == "found a table, but this must be an array `[...]`"
        && matches!(
            field,
            "trajectories" | "profit_share.tiers" | "equity.rounds"
        )
    {
        let key = field.rsplit('.').next().unwrap_or(field);
        return format!(
            "; write each entry under a header of two brackets, `[[{field}]]`, or all of them as an array of tables, `{key} = [{{ ... }}, {{ ... }}]`"
        );
    }
    let Some(found) = message
        .strip_prefix("found the number ")
        .and_then(|m| m.strip_suffix(", but this must be a table `{ ... }`"))
    else {
        return String::new();
    };
    // The number as the example's value where it could be one: finite, and for an amount
    // not below 0 (a margin may be).
    let value = found.parse::<f64>().ok().filter(|v| v.is_finite());
    let amount = value.filter(|v| *v >= 0.0).map_or("<amount>", |_| found);
    let found = value.map_or("<value>", |_| found);
    let in_tier = field.starts_with("profit_share.tiers[");
    match key {
        "until" if in_tier => format!(
            "; a tier's `until` caps each party by name: `until = {{ <party> = {amount} }}`, <party> being the investor's name (`investor.party`) or another party's"
        ),
        "shares" if in_tier => format!(
            "; a tier's `shares` gives each party its share by name: `shares = {{ <party> = {amount} }}`, <party> being the investor's name (`investor.party`) or another party's"
        ),
        "revenue" | "margin" | "valuation" | "spend" | "share" => format!(
            "; a series is written `{key} = {{ points = [[year, {found}]] }}` (a value held from that year on; more points for more years)"
        ),
        _ => String::new(),
    }
}

pub(super) fn describe_type_error(message: &str) -> String {
    if message.contains("floating-point number overflowed")
        || message.contains("integer number overflowed")
        || message.contains("max recursion")
        || message.contains("recursion limit")
    {
        return parser_words(message);
    }
    // serde says "invalid type: string \"x\", expected a number"; say it the way a
    // spreadsheet user would read it.
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let expected = match expected {
            "a sequence" => "an array `[...]`",
            // Every table but the file itself is read as a map (raw::Table).
            "a map" => "a table `{ ... }`",
            "a boolean" => "true or false",
            // (A name given as a number, `name = 12`: helper-279's --set of `name=1_0%`.)
            "a string" => "text, in quotes (\"...\")",
            e if e.starts_with("struct ") => "a table",
            e => e,
        };
        let found = match found {
            "sequence" => "an array".to_string(),
            "map" => "a table".to_string(),
            f => {
                // (serde names the integer type past i64: "`1e20` as i128", helper-282.)
                let f = f
                    .replace(" as i128", "")
                    .replace(" as u128", "")
                    .replace("floating point ", "the number ")
                    .replace("integer ", "the number ")
                    .replace("string ", "the text ")
                    .replace("boolean ", "");
                f.replace('`', "")
            }
        };
        return format!("found {found}, but this must be {expected}");
    }
    message.to_string()
}
