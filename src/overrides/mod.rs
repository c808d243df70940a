//! Overrides: `--set PATH=VALUE` (SPEC section 9), a change to a model without editing its
//! file.
//!
//! An override is applied to the model's TOML document itself ([`document`]), and the
//! patched text is validated as a file would be, so an overridden value gets exactly the
//! checks and messages of a value written in the file; only the place named changes, from a
//! line of the file to the `--set` that put the value there.
//!
//! - PATH: keys joined by `.`; `[i]` picks an array element (zero-based); `[NAME]` picks the
//!   element of an array of tables whose `name` is NAME (`trajectories[base].agi_year`).
//! - Three derived keys act on trajectories: `scale.valuation`, `scale.revenue` and
//!   `shift.margin`, on all of them or, with `[NAME]`, on one.
//!
//! Sweeps, solves and tornados change one value thousands of times; for them [`typed`]
//! resolves a path once to a field of the typed [`Model`](crate::model::Model) and sets it
//! directly, after the value has been checked once through the document.
//!
//! Two overrides of the built-in model, a key and a derived key:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::overrides::Override;
//!
//! let file = stakeshift::io::read_model_file(None)?; // None: the built-in model
//! let stake = Override::parse("equity.stake=0.3")?;
//! assert_eq!((stake.path.text.as_str(), stake.value.as_str()), ("equity.stake", "0.3"));
//! assert_eq!(file.load(&[])?.model.equity.stake, Decimal::new(27, 2)); // as in the file
//! let double = Override::parse("scale.valuation[base]=2")?;
//! let model = file.load(&[stake, double])?.model;
//! assert_eq!(model.equity.stake, Decimal::new(3, 1));
//! // 2025, the first year of the stake: 0.3 of base's valuation, 500 bn doubled.
//! let comparison = stakeshift::compare::compare(&model, None).expect("it runs");
//! let base = comparison.trajectories.iter().find(|t| t.name == "base").unwrap();
//! let row = base.equity.rows.iter().find(|r| r.year == 2025).unwrap();
//! assert_eq!(row.holding_value, Decimal::from(300));
//! // A value the file could not hold gets the file's check, naming the `--set`.
//! let bad = file.load(&[Override::parse("equity.stake=1.5")?]).unwrap_err();
//! assert!(bad.to_string().contains("--set equity.stake=1.5"));
//! # Ok::<(), stakeshift::Error>(())
//! ```

pub mod document;
pub mod typed;

use rust_decimal::Decimal;

/// `text` as a TOML basic string, in double quotes with `\` and `"` escaped: how a hint
/// writes a value for a key that takes text.
pub fn basic_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

pub use document::{
    MAX_PLACED_WARNINGS, OverrideError, patch_and_parse, patch_and_parse_with, schema_place,
    schema_type,
};
pub use typed::Knob;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key of a table.
    Key(String),
    /// An array element by position, zero-based.
    Index(usize),
    /// The element of an array of tables whose `name` is this.
    Name(String),
}

/// A derived key (SPEC 9): a change to every year of one series of the trajectories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Derived {
    /// Multiplies every valuation.
    ScaleValuation,
    /// Multiplies every revenue (and so every profit).
    ScaleRevenue,
    /// Adds to every margin.
    ShiftMargin,
}

impl Derived {
    pub const ALL: [Derived; 3] = [
        Derived::ScaleValuation,
        Derived::ScaleRevenue,
        Derived::ShiftMargin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Derived::ScaleValuation => "scale.valuation",
            Derived::ScaleRevenue => "scale.revenue",
            Derived::ShiftMargin => "shift.margin",
        }
    }

    /// The value that changes nothing: 1 for a scale, 0 for a shift.
    pub fn identity(self) -> Decimal {
        match self {
            Derived::ShiftMargin => Decimal::ZERO,
            _ => Decimal::ONE,
        }
    }
}

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A key of the model's TOML document.
    Key(Vec<Segment>),
    /// A derived key, on every trajectory (None) or the one named.
    Derived(Derived, Option<String>),
}

/// A parsed PATH, with its text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverridePath {
    pub text: String,
    pub target: Target,
}

/// One `PATH=VALUE`, as given on the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// How the override is named in messages: `--set equity.stake=0.3`, or the `--vary` it
    /// came from.
    pub origin: String,
    pub path: OverridePath,
    /// The VALUE's text, a TOML value.
    pub value: String,
}

impl Override {
    /// Whether it sets a derived key (`scale.valuation`, `scale.revenue`, `shift.margin`).
    pub fn is_derived(&self) -> bool {
        matches!(self.path.target, Target::Derived(..))
    }

    /// Parses `PATH=VALUE` as given to `--set`.
    pub fn parse(arg: &str) -> Result<Override, OverrideError> {
        let origin = format!("--set {arg}");
        let (path, value) = match split_assignment(arg) {
            Ok(split) => split,
            Err(no_equals) => {
                let message = match no_equals {
                    NoEquals::InQuote => {
                        "a quoted name or key in the PATH is not closed by its quote, so there is no `=` after it: expected PATH=VALUE, such as `trajectories[\"a]b\"].agi_year=2031`"
                    }
                    // (helper-242 left `trajectories[[[0]].x=1` told only of the `=`: the
                    // brackets are nested, one more opened than closed.)
                    NoEquals::InBracket { nested: true } => {
                        "a `[` in the PATH is not closed by `]`, and brackets cannot be nested: write each index once, such as `trajectories[0].agi_year=2031` or `equity.rounds[0].raise=1`"
                    }
                    NoEquals::InBracket { nested: false } => {
                        "a `[` in the PATH is not closed by `]`, so there is no `=` after it: expected PATH=VALUE, such as `equity.rounds[0].raise=1` or `trajectories[base].agi_year=2031`"
                    }
                    NoEquals::Missing => {
                        "expected PATH=VALUE, such as `equity.stake=0.3` or `trajectories[base].agi_year=2031`"
                    }
                };
                return Err(OverrideError::new(origin, "", message));
            }
        };
        let path = OverridePath::parse(path).map_err(|m| OverrideError::new(&origin, path, m))?;
        let value = value.trim();
        if value.is_empty() {
            return Err(OverrideError::new(
                origin,
                &path.text,
                "the VALUE after `=` is empty; give a TOML value such as 0.3, 2031 or \"nonprofit\"",
            ));
        }
        Ok(Override {
            origin,
            path,
            value: value.to_string(),
        })
    }

    /// An override of `path` with a number, as a sweep or solve makes them.
    pub fn number(origin: impl Into<String>, path: &OverridePath, value: Decimal) -> Override {
        Override {
            origin: origin.into(),
            path: path.clone(),
            value: decimal_literal(value),
        }
    }
}

/// A decimal as a TOML number literal that reads back as the same decimal (TOML has no
/// exponent-free form other than the plain digits). A value the model's reader would refuse
/// for its digits (a derived product or a grid point with 29) is first fitted by
/// [`fit_model_digits`].
pub fn decimal_literal(value: Decimal) -> String {
    // Without trailing zeros: `2030.0` from a range written `2030.0..2032.0` is the year
    // 2030, which sweep took and tornado refused as "not a whole year" (helper-76).
    let fitted = fit_model_digits(value).normalize();
    let text = fitted.to_string();
    // A whole number beyond i64 as written would be a TOML integer TOML cannot hold (a
    // panic where it was read back; helper-56): written with a point it is a float, which
    // the model's reader takes exactly and refuses as too large, naming the field.
    if fitted.scale() == 0 && fitted.abs() > Decimal::from(i64::MAX) {
        format!("{text}.0")
    } else {
        text
    }
}

/// `value` with at most 28 significant digits, the most a model's number may have: a
/// product such as `scale.valuation` times a point can reach 29, which the model's reader
/// refuses (it never rounds what a user wrote), so derived values are rounded here, to
/// nearest, a change below 1e-27 relative.
pub fn fit_model_digits(value: Decimal) -> Decimal {
    let significant = value.normalize().mantissa().unsigned_abs();
    if significant >= 10u128.pow(28) {
        value.round_sf(28).unwrap_or(value)
    } else {
        value
    }
}

/// Why a `--set` has no `=` between its PATH and VALUE.
enum NoEquals {
    /// A quote opened in the PATH is never closed (its `=` is read as quoted).
    InQuote,
    /// A `[` is never closed (its `=` is read as inside it; helper-160: the message said
    /// only "expected PATH=VALUE"); `nested` where a `[` opened inside an open one.
    InBracket {
        nested: bool,
    },
    Missing,
}

/// Splits at the first `=` outside brackets and quotes (a `[NAME]` may hold any character,
/// and a quoted name or key any at all: `["a]=b"]`). A quote opens a quoted part only
/// where the path's parser reads one: a key's first character (first, or after `.` outside
/// brackets) or a name's (after `[` and any spaces); elsewhere it is a character of a bare
/// name (`[v.'25]`, `[q"uote]`).
fn split_assignment(arg: &str) -> Result<(&str, &str), NoEquals> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut may_open = true;
    // A `[` inside an open one before any `=` (helper-242: `trajectories[[[0]].x=1`; not
    // in a quoted name, nor in the VALUE: helper-250).
    let mut nested = false;
    let mut seen_equals = false;
    for (i, c) in arg.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' if may_open => {
                quote = Some(c);
                continue;
            }
            '[' => {
                nested |= depth > 0 && !seen_equals;
                depth += 1;
            }
            ']' => depth -= 1,
            '=' if depth <= 0 => return Ok((&arg[..i], &arg[i + 1..])),
            '=' => seen_equals = true,
            _ => {}
        }
        if c == ' ' && may_open {
            continue;
        }
        may_open = c == '[' || (c == '.' && depth <= 0);
    }
    Err(if quote.is_some() {
        NoEquals::InQuote
    } else if depth > 0 {
        NoEquals::InBracket { nested }
    } else {
        NoEquals::Missing
    })
}

impl OverridePath {
    /// Parses a PATH (without `=VALUE`); the error says what is wrong with its syntax.
    pub fn parse(text: &str) -> Result<OverridePath, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("the PATH is empty; name a key such as `equity.stake`".into());
        }
        let segments = parse_segments(text)?;
        let target = match segments.as_slice() {
            [Segment::Key(a), Segment::Key(b), rest @ ..] if a == "scale" || a == "shift" => {
                let derived = Derived::ALL
                    .into_iter()
                    .find(|d| d.as_str() == format!("{a}.{b}"))
                    .ok_or_else(|| {
                        // The nearest named as for any other path (SPEC 9; helper-111).
                        let names = Derived::ALL.map(|d| d.as_str());
                        let near = crate::model::nearest_name(&format!("{a}.{b}"), &names)
                            .map(|n| format!("the nearest valid path is `{n}`; "))
                            .unwrap_or_default();
                        format!(
                            "`{a}.{b}` is not a derived key; {near}the derived keys are scale.valuation, scale.revenue and shift.margin"
                        )
                    })?;
                match rest {
                    [] => Target::Derived(derived, None),
                    [Segment::Name(n)] => Target::Derived(derived, Some(n.clone())),
                    [Segment::Index(i)] => Target::Derived(derived, Some(i.to_string())),
                    _ => {
                        return Err(format!(
                            "a derived key takes at most a trajectory name: `{}` or `{}[NAME]`",
                            derived.as_str(),
                            derived.as_str()
                        ));
                    }
                }
            }
            _ => Target::Key(segments),
        };
        Ok(OverridePath {
            text: text.to_string(),
            target,
        })
    }
}

fn parse_segments(text: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut expect_key = true;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            if out.is_empty() {
                return Err("a PATH starts with a key, not `[`".into());
            }
            let mut j = i + 1;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if matches!(chars.get(j), Some('"' | '\'')) {
                // A quoted name: any characters, `]` and `.` included.
                let (name, after) = quoted(&chars, j)?;
                let mut k = after;
                while k < chars.len() && chars[k] == ' ' {
                    k += 1;
                }
                if chars.get(k) != Some(&']') {
                    return Err(format!(
                        "a quoted name in `[...]` must be followed by `]`: [\"{name}\"]"
                    ));
                }
                out.push(Segment::Name(name));
                i = k + 1;
                expect_key = false;
                continue;
            }
            let close = chars[i..]
                .iter()
                .position(|c| *c == ']')
                .ok_or("a `[` is not closed by `]`")?;
            let inner: String = chars[i + 1..i + close].iter().collect();
            let inner = inner.trim();
            // `[[0]]`: brackets inside brackets (helper-236: "expected `.` or `[` before
            // `]`"). A name holding `[` is written quoted.
            if inner.starts_with('[') {
                // The index or bare name inside, where there is one to suggest (helper-238:
                // `[[]]` suggested `[]`, `[[[0]]]` `[[0]`, `[["base"]]` a quoted form that
                // cannot parse).
                // Only where the nesting closes right after the index or name: `[[0]x]` is
                // not `[0]` with something dropped (helper-239).
                let bare = inner.trim_start_matches(['[', ' ']);
                let opened = inner.chars().filter(|c| *c == '[').count();
                let rest: String = chars[i + close + 1..].iter().collect();
                // And the path with the one pair in their place must parse (helper-242,
                // -243, -244: `[[0]] ].x`, `[[0]]x`, `[[0]].`, `[[0]][]`, `[[0]].é` were told
                // "write [0]", which did not parse either).
                let closes_at_once = rest
                    .trim_start_matches(' ')
                    .strip_prefix(&"]".repeat(opened))
                    .is_some_and(|after| {
                        let before: String = chars[..i].iter().collect();
                        let mended = format!("{before}[{bare}]{after}");
                        // (Parsed only where no other nesting follows, so that this never
                        // recurses: 20,000 nested pairs overflowed the stack.)
                        !mended.contains("[[") && parse_segments(&mended).is_ok()
                    });
                let suggestion = if closes_at_once
                    && !bare.is_empty()
                    && bare
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
                {
                    format!(": write [{bare}]")
                } else {
                    ": write one pair, an index such as [0] or a name such as [base]".into()
                };
                return Err(format!("brackets cannot be nested{suggestion}"));
            }
            if inner.is_empty() {
                return Err(
                    "`[]` is empty; write an index such as [0] or a name such as [base]".into(),
                );
            }
            if inner.chars().all(|c| c.is_ascii_digit()) {
                let index = inner
                    .parse::<usize>()
                    .map_err(|_| format!("the index [{inner}] is too large"))?;
                out.push(Segment::Index(index));
            } else {
                out.push(Segment::Name(inner.to_string()));
            }
            i += close + 1;
            expect_key = false;
            continue;
        }
        if c == '.' {
            if expect_key {
                return Err("a `.` must be followed by a key and come after one".into());
            }
            expect_key = true;
            i += 1;
            if i == chars.len() {
                return Err("the PATH ends with `.`".into());
            }
            continue;
        }
        if !expect_key {
            return Err(format!("expected `.` or `[` before `{c}`"));
        }
        let key = if c == '"' || c == '\'' {
            let (key, after) = quoted(&chars, i)?;
            i = after;
            key
        } else {
            let start = i;
            while i < chars.len() && !matches!(chars[i], '.' | '[' | ']') {
                i += 1;
            }
            let key: String = chars[start..i].iter().collect();
            let key = key.trim().to_string();
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!(
                    "`{key}` is not a key: keys are letters, digits, `_` and `-` (quote any other key: \"big co\")"
                ));
            }
            key
        };
        out.push(Segment::Key(key));
        expect_key = false;
    }
    Ok(out)
}

/// The quoted string opening at `chars[at]`, as TOML reads it: `"..."` with TOML's escapes
/// (`\"`, `\\`, `\n`, `\t`, `\uXXXX`, ...), `'...'` as written; and the index after its
/// closing quote.
fn quoted(chars: &[char], at: usize) -> Result<(String, usize), String> {
    let quote = chars[at];
    let mut out = String::new();
    let mut i = at + 1;
    while i < chars.len() {
        let c = chars[i];
        if c == quote {
            return Ok((out, i + 1));
        }
        if c == '\\' && quote == '"' {
            let escape = chars.get(i + 1).ok_or("a quoted name ends with `\\`")?;
            let hex = |n: usize| -> Result<char, String> {
                let digits: String = chars.get(i + 2..i + 2 + n).unwrap_or(&[]).iter().collect();
                u32::from_str_radix(&digits, 16)
                    .ok()
                    .filter(|_| digits.len() == n && digits.chars().all(|d| d.is_ascii_hexdigit()))
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("`\\{escape}{digits}` is not a character"))
            };
            let (ch, used) = match escape {
                '"' => ('"', 2),
                '\\' => ('\\', 2),
                'n' => ('\n', 2),
                't' => ('\t', 2),
                'r' => ('\r', 2),
                'b' => ('\u{8}', 2),
                'f' => ('\u{c}', 2),
                'e' => ('\u{1b}', 2),
                'u' => (hex(4)?, 6),
                'U' => (hex(8)?, 10),
                other => {
                    return Err(format!(
                        "`\\{other}` is not an escape TOML knows (\\\", \\\\, \\n, \\t, \\uXXXX, ...)"
                    ));
                }
            };
            out.push(ch);
            i += used;
            continue;
        }
        out.push(c);
        i += 1;
    }
    Err(format!("a quoted name or key is not closed by `{quote}`"))
}

/// Whether `key` may be written bare in a PATH: a TOML bare key, letters, digits, `_` and
/// `-` ([`OverridePath::parse`] takes nothing else unquoted).
fn is_bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A key as a PATH names it, the way [`OverridePath::parse`] reads it back: bare if it is a
/// bare key (`microsoft`), else in double quotes with TOML's escapes (`"other guys"`,
/// `"say \"hi\""`).
pub fn key_segment(key: &str) -> String {
    if is_bare_key(key) {
        key.to_string()
    } else {
        quote(key)
    }
}

/// A `[NAME]` as a PATH names an element by its `name`, read back by
/// [`OverridePath::parse`] as that name: bare where the parser keeps it as written (`[base]`,
/// `[Yıldız]`), quoted where it would not: all digits (an index), empty, spaces at either
/// end (trimmed), a quote first, or a bracket, `=` or a character below a space anywhere.
pub fn name_segment(name: &str) -> String {
    let read_otherwise = name.chars().all(|c| c.is_ascii_digit())
        || name.trim() != name
        || name.starts_with(['"', '\''])
        || name.contains(['[', ']', '=', '\\'])
        || name.chars().any(char::is_control);
    if read_otherwise {
        format!("[{}]", quote(name))
    } else {
        format!("[{name}]")
    }
}

/// `text` as a TOML basic string: in double quotes, `"`, `\` and control characters escaped.
fn quote(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A path in its canonical form: names resolved to indexes (`trajectories[0].agi_year`),
/// the form the model's own error messages use.
pub fn render_segments(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        match s {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&key_segment(k));
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
            Segment::Name(n) => out.push_str(&name_segment(n)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Segment {
        Segment::Key(s.into())
    }

    #[test]
    fn paths_parse_into_keys_indexes_and_names() {
        let p = OverridePath::parse("profit_share.tiers[1].until.microsoft").unwrap();
        assert_eq!(
            p.target,
            Target::Key(vec![
                key("profit_share"),
                key("tiers"),
                Segment::Index(1),
                key("until"),
                key("microsoft")
            ])
        );
        let p = OverridePath::parse("trajectories[base].valuation.points[0][1]").unwrap();
        assert_eq!(
            p.target,
            Target::Key(vec![
                key("trajectories"),
                Segment::Name("base".into()),
                key("valuation"),
                key("points"),
                Segment::Index(0),
                Segment::Index(1)
            ])
        );
        assert_eq!(
            OverridePath::parse("scale.valuation[bull]").unwrap().target,
            Target::Derived(Derived::ScaleValuation, Some("bull".into()))
        );
        assert_eq!(
            OverridePath::parse("shift.margin").unwrap().target,
            Target::Derived(Derived::ShiftMargin, None)
        );
        assert_eq!(
            OverridePath::parse("profit_share.tiers[0].shares.\"big co\"")
                .unwrap()
                .target,
            Target::Key(vec![
                key("profit_share"),
                key("tiers"),
                Segment::Index(0),
                key("shares"),
                key("big co")
            ])
        );
    }

    #[test]
    fn bad_path_syntax_is_explained() {
        for bad in [
            "",
            "a..b",
            ".a",
            "a.",
            "a[",
            "a[]",
            "[0]",
            "a b",
            "scale.margin",
            "a]b",
            "scale.valuation.x",
        ] {
            assert!(OverridePath::parse(bad).is_err(), "{bad:?} parsed");
        }
        // helper-236: nested brackets were "expected `.` or `[` before `]`"; helper-238: the
        // fix suggested must parse.
        let e = OverridePath::parse("trajectories[[0]].agi_year").unwrap_err();
        assert!(e.contains("brackets cannot be nested: write [0]"), "{e}");
        let e = OverridePath::parse("trajectories[[[0]]].agi_year").unwrap_err();
        assert!(e.ends_with("brackets cannot be nested: write [0]"), "{e}");
        // helper-239: what follows the inner `]` is not dropped from the suggestion.
        for nested in [
            "trajectories[[]].x",
            "trajectories[[\"base\"]].x",
            "trajectories[[0]x].agi_year",
            "trajectories[[0]]].agi_year",
            "trajectories[[0]] ].agi_year",
            "trajectories[[0]]x.agi_year",
            "trajectories[[0]].",
            "trajectories[[0]]..agi_year",
            "trajectories[[0]][]",
            "trajectories[[0]].\u{e9}",
            "trajectories[[0]].agi_year.",
            "trajectories[[0]].a b",
            "trajectories[[0]][[0]].agi_year",
        ] {
            let e = OverridePath::parse(nested).unwrap_err();
            assert!(
                e.ends_with("write one pair, an index such as [0] or a name such as [base]"),
                "{nested}: {e}"
            );
        }
        // Found at the stop's reread: the advice's check parsed the mended path, which
        // recursed once a nested pair (20,000 pairs overflowed the stack, after 13 s).
        let many = format!("trajectories{}.x", "[[0]]".repeat(20_000));
        let e = OverridePath::parse(&many).unwrap_err();
        assert!(e.ends_with("write one pair, an index such as [0] or a name such as [base]"));
        // A name that holds `[` is still reached, quoted.
        assert!(OverridePath::parse("trajectories[\"[0]\"].agi_year").is_ok());
    }

    /// Every key and name written by [`key_segment`] and [`name_segment`] parses back as
    /// itself.
    #[test]
    fn quoted_segments_parse_back() {
        for k in [
            "microsoft",
            "big-co_2",
            "other guys",
            "Yıldız",
            "a.b",
            "",
            "x[0]",
            "a'b",
        ] {
            let path = format!("shares.{}", key_segment(k));
            assert_eq!(
                OverridePath::parse(&path).unwrap().target,
                Target::Key(vec![key("shares"), key(k)]),
                "{path}"
            );
        }
        for n in [
            "base",
            "2030",
            "",
            " padded ",
            "\"q\"",
            "other guys",
            "a.b",
            "Σ",
            "a\"b",
        ] {
            let path = format!("trajectories{}.agi_year", name_segment(n));
            assert_eq!(
                OverridePath::parse(&path).unwrap().target,
                Target::Key(vec![
                    key("trajectories"),
                    Segment::Name(n.into()),
                    key("agi_year")
                ]),
                "{path}"
            );
        }
        assert_eq!(name_segment("base"), "[base]");
        assert_eq!(name_segment("2030"), "[\"2030\"]");
        assert_eq!(key_segment("other guys"), "\"other guys\"");
    }

    /// helper-76: a name holding `]` or `[` could not be named even in quotes, and a quoted
    /// name's escapes were not read (`["q\"uote"]` named `q\"uote`). Every name and key,
    /// whatever its characters, now goes through `--set` PATH=VALUE and back.
    #[test]
    fn regression_any_name_or_key_round_trips_through_a_set() {
        let names = [
            "a]b",
            "t.1[x]",
            "q\"uote",
            "back\\slash",
            "x=y]=",
            "'single'",
            "[",
            "]",
            "\t\n",
            "\u{7f}",
            "\"",
            "end\\",
            "Σ]",
        ];
        for n in names {
            let arg = format!("trajectories{}.agi_year=2030", name_segment(n));
            let o = Override::parse(&arg).unwrap_or_else(|e| panic!("{arg}: {e:?}"));
            assert_eq!(
                o.path.target,
                Target::Key(vec![
                    key("trajectories"),
                    Segment::Name(n.into()),
                    key("agi_year")
                ]),
                "{arg}"
            );
            let arg = format!("profit_share.tiers[0].shares.{}=0.5", key_segment(n));
            let o = Override::parse(&arg).unwrap_or_else(|e| panic!("{arg}: {e:?}"));
            assert_eq!(
                o.path.target,
                Target::Key(vec![
                    key("profit_share"),
                    key("tiers"),
                    Segment::Index(0),
                    key("shares"),
                    key(n)
                ]),
                "{arg}"
            );
        }
        // As written by hand: TOML's escapes in double quotes, none in single quotes.
        for (written, name) in [
            (r#"["a]b"]"#, "a]b"),
            (r#"[ "a]b" ]"#, "a]b"),
            (r#"["q\"uote"]"#, "q\"uote"),
            (r#"['q\"uote']"#, "q\\\"uote"),
            (r#"["\u00e9t\u00E9"]"#, "été"),
        ] {
            let path = OverridePath::parse(&format!("trajectories{written}.agi_year")).unwrap();
            assert_eq!(
                path.target,
                Target::Key(vec![
                    key("trajectories"),
                    Segment::Name(name.into()),
                    key("agi_year")
                ]),
                "{written}"
            );
        }
        for bad in [
            r#"trajectories["a].x"#,
            r#"trajectories["\q"].x"#,
            r#"trajectories["a"b].x"#,
            r#"trajectories["\u+041"].x"#,
        ] {
            assert!(OverridePath::parse(bad).is_err(), "{bad}");
        }
        // helper-79: a quote inside a bare name (not its first character) is the name's
        // own, as before quoted names were read: these split at their `=`.
        for (arg, name) in [
            ("trajectories[v.'25].agi_year=2020", "v.'25"),
            ("trajectories[q\"uote].agi_year=2020", "q\"uote"),
        ] {
            let o = Override::parse(arg).unwrap_or_else(|e| panic!("{arg}: {e:?}"));
            assert_eq!(
                o.path.target,
                Target::Key(vec![
                    key("trajectories"),
                    Segment::Name(name.into()),
                    key("agi_year")
                ]),
                "{arg}"
            );
        }
        let unclosed = Override::parse("trajectories[\"a].agi_year=2020").unwrap_err();
        assert!(
            format!("{unclosed:?}").contains("is not closed"),
            "{unclosed:?}"
        );
    }

    #[test]
    fn the_assignment_splits_outside_brackets() {
        let o = Override::parse("trajectories[a=b].agi_year=2030").unwrap();
        assert_eq!(o.path.text, "trajectories[a=b].agi_year");
        assert_eq!(o.value, "2030");
        assert!(Override::parse("equity.stake").is_err());
        assert!(Override::parse("equity.stake=").is_err());
    }
}
