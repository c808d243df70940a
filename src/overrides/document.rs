//! Applying overrides to the model's TOML document (with `toml_edit`, which keeps every other
//! byte of the file as it was), then validating the patched text as a model file.
//!
//! A `trajectories_csv` file is patched the same way, as text: the derived keys rewrite its
//! rows (exact decimal products) before the model reads it. Such trajectories are addressed
//! only by the derived keys (`scale.revenue[NAME]`); `trajectories[...]` names the file's
//! own `[[trajectories]]` tables, counted from 0 among themselves.
//!
//! An error is told where it arose: a value that an override put there (or a check that
//! the override failed, such as tier shares now adding up to more than 1) is reported
//! against the `--set`; anything else against the file, at its line in the file as written.
//!
//! The built-in model with overrides: one line changed, a name resolved, an error placed:
//!
//! ```
//! use stakeshift::overrides::document::canonical_path;
//! use stakeshift::overrides::{Override, patch_and_parse};
//!
//! let file = stakeshift::io::read_model_file(None)?; // None: the built-in model
//! let mut load = |path: &str| file.read_named(path);
//! let set = [Override::parse("equity.stake=0.3")?];
//! let patched = patch_and_parse("m.toml", &file.text, &set, &mut load)?;
//! // The value's own line changes, its comment kept; every other byte is as written.
//! let line = file.text.lines().find(|l| l.starts_with("stake = 0.27 ")).unwrap();
//! let expected = file.text.replacen(line, &line.replacen("0.27", "0.3", 1), 1);
//! assert_eq!(patched.text, expected);
//! // `[base]` picks the table whose `name` is base: the third `[[trajectories]]`.
//! let path = Override::parse("trajectories[base].agi_year=2031")?.path;
//! assert_eq!(canonical_path(&file.text, "--set", &path)?, "trajectories[2].agi_year");
//! // A from_year after the 2026 round fails the round's year, which the file wrote: the
//! // error is placed at that line of the file, and says which --set made it fail.
//! let late = [Override::parse("equity.from_year=2030")?];
//! let e = patch_and_parse("m.toml", &file.text, &late, &mut load).unwrap_err();
//! let round = 1 + file.text.lines().position(|l| l == "year = 2026").unwrap();
//! let e = e.to_string();
//! assert!(e.starts_with(&format!("m.toml, line {round}, ")), "{e}");
//! assert!(e.contains("(with --set equity.from_year=2030)"), "{e}");
//! # Ok::<(), stakeshift::Error>(())
//! ```

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

/// The largest size of a derived key's value (`scale.*`, `shift.*`), as `--set` takes it.
pub const DERIVED_LIMIT: i64 = 1_000_000_000;

use rust_decimal::Decimal;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

use super::{Derived, Override, OverridePath, Segment, Target, render_segments};
use crate::error::{Error, LineStarts, ModelIssue};
use crate::model::{Model, ModelSource, Year, parse_model};

/// What is wrong with an override, before or after the model is validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideError {
    /// `--set PATH=VALUE` (or the `--vary` the value came from).
    pub origin: String,
    /// The field the message is about; usually the PATH.
    pub field: String,
    pub message: String,
}

impl OverrideError {
    pub fn new(
        origin: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        OverrideError {
            origin: origin.into(),
            field: field.into(),
            message: message.into(),
        }
    }
}

/// As the command line shows it: [`Error::Model`]'s wording.
impl std::fmt::Display for OverrideError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Error::from(self.clone()).fmt(f)
    }
}

impl std::error::Error for OverrideError {}

impl From<OverrideError> for Error {
    fn from(e: OverrideError) -> Error {
        Error::Model {
            // What wrote the text (`--set PATH=VALUE`, `solve PATH`), shortened to its
            // start here, where it is known to be no path (a model's path is shortened to
            // its end: helper-172, one whose first folder was `solve x` lost its name).
            file: crate::error::origin_shortened(&e.origin),
            location: None,
            field: e.field,
            message: e.message,
        }
    }
}

/// A model with its overrides applied, and the patched text (what sweeps and tornadoes read
/// paths against).
#[derive(Debug, Clone)]
pub struct Patched {
    pub model: Model,
    pub text: String,
    /// The model's first warnings (at most [`MAX_PLACED_WARNINGS`]), each placed as an
    /// error would be: against the `--set` that wrote the value, or at the value's line and
    /// column in the file as the user wrote it.
    pub warnings: Vec<String>,
    /// How many more warnings the model has, not placed.
    pub more_warnings: usize,
}

/// The most warnings placed and worded: ten are shown, the rest counted. Each repeats its
/// `--set` or file and finds its column, so placing all of them cost memory and time in
/// proportion to their number times a line's length (helper-95: 10,000 points out of range
/// in one `--set` of 92 KB took 1.8 GB; 640,000 on one line of 6 MB ran past a minute).
pub const MAX_PLACED_WARNINGS: usize = 100;

/// What one override changed, to tell which errors are its own.
struct Applied {
    /// Canonical paths (indexes, not names) of the values it set.
    touched: Vec<String>,
}

/// Applies `overrides` in order to the model text `text` (named `label` in messages) and
/// validates the result. `load` reads a file the model names, as for [`parse_model`].
/// Two spellings of a `trajectories_csv` path are one file where they are one path
/// (`./t.csv`, `t.csv`); [`patch_and_parse_with`] is told by the file system.
pub fn patch_and_parse(
    label: &str,
    text: &str,
    overrides: &[Override],
    load: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<Patched, Error> {
    patch_and_parse_with(label, text, overrides, load, &mut |_, _| false)
}

/// [`patch_and_parse`], where `same_file` tells whether two `trajectories_csv` paths that
/// differ as paths name one file (the reader's: by device and inode, from the model's
/// folder), so that a derived key before `--set trajectories_csv=` of another spelling of
/// the model's own CSV still acts on it (helper-168: an absolute path dropped it).
pub fn patch_and_parse_with(
    label: &str,
    text: &str,
    overrides: &[Override],
    load: &mut dyn FnMut(&str) -> Result<String, String>,
    same_file: &mut dyn FnMut(&std::path::Path, &std::path::Path) -> bool,
) -> Result<Patched, Error> {
    patch_and_parse_within(label, text, overrides, load, same_file, 0)
}

/// The most times an error's blame looks at the model as the overrides before a derived
/// key left it ([`Attempt::blame`]), one derived key before another.
const BLAME_DEPTH: usize = 8;

/// [`patch_and_parse_with`], `depth` derived keys back (an error's blame reads the model
/// again as the overrides before a derived key left it).
fn patch_and_parse_within(
    label: &str,
    text: &str,
    overrides: &[Override],
    load: &mut dyn FnMut(&str) -> Result<String, String>,
    same_file: &mut dyn FnMut(&std::path::Path, &std::path::Path) -> bool,
    depth: usize,
) -> Result<Patched, Error> {
    if overrides.is_empty() {
        return parse_unpatched(label, text, load);
    }
    let Ok(mut doc) = text.parse::<DocumentMut>() else {
        // Not TOML: the file's own error, with its line, comes first.
        let issue = parse_model(ModelSource { text, load })
            .err()
            .unwrap_or_else(|| ModelIssue::new("", "the file is not valid TOML"));
        return Err(Error::model(label, text, issue));
    };
    let mut applied = Vec::with_capacity(overrides.len());
    let mut derived = Vec::new();
    // A derived key acts on the model as the overrides before it left it (SPEC 9: applied
    // in order): its [NAME] is looked up among the file's trajectories as they are named
    // at that point, and it acts on a CSV's trajectories only if the model named that CSV
    // then (helper-115: `scale.valuation[b]` before a rename to `b` was dropped silently,
    // and `scale.valuation[only]` before a rename of `only` refused).
    let mut named_then: Vec<Result<(), Vec<String>>> = Vec::new();
    let mut csv_then = Vec::new();
    let mut names = NameIndex::default();
    for o in overrides {
        if let Target::Derived(kind, name) = &o.path.target {
            // (The names listed only where the name is missing: listed for every derived
            // key, 9,000 of them on 9,000 trajectories took 38 s.)
            let named = name
                .as_deref()
                .is_none_or(|n| !names.trajectories(&mut doc, n).is_empty());
            named_then.push(if named {
                Ok(())
            } else {
                Err(trajectory_names(&doc))
            });
            csv_then.push(csv_path(&doc));
            derived.push((o, *kind, name.clone(), derived_amount(o, *kind)?));
        }
        let one = apply(&mut doc, o, &mut names)
            .map_err(|e| csv_trajectory_path(&doc, &o.origin, &o.path, load).unwrap_or(e))?;
        applied.push(one);
    }
    let patched = doc.to_string();
    let csv_now = csv_path(&doc);
    // Whether the CSV the model named at a derived key is the one it names at the end: the
    // same path, or another spelling of the same file (`/abs/t.csv`, `sub/../t.csv`), as
    // `same_file` tells, each path asked about once (helper-168: an absolute spelling of
    // the model's own CSV dropped a scale before it without a word; helper-170: told by
    // the files' bytes, a copy counted as the model's own).
    let mut same_as_now: HashMap<std::path::PathBuf, bool> = HashMap::new();
    let mut reaches: Vec<bool> = Vec::with_capacity(csv_then.len());
    for then in &csv_then {
        let same = match (then, &csv_now) {
            (Some(then), Some(now)) if then == now => true,
            (Some(then), Some(now)) => *same_as_now
                .entry(then.clone())
                .or_insert_with(|| same_file(then, now)),
            _ => false,
        };
        reaches.push(same);
    }
    let on_csv: Vec<DerivedOverride<'_>> = derived
        .iter()
        .zip(&reaches)
        .filter(|(_, reaches)| **reaches)
        .map(|(d, _)| d.clone())
        .collect();
    // A derived key's [NAME] must name a trajectory of the file at its place in the order,
    // or of the CSV it acts on.
    let doc_names = trajectory_names(&doc);
    // The document is done with: freed before the patched text is parsed (helper-133: a
    // file near the size bound held both, 3.4 GB where the file alone takes 1.5).
    drop(doc);
    let (result, csv) = parse_patched(&patched, &on_csv, load);
    let missing_name = derived
        .iter()
        .zip(named_then.iter().zip(reaches.iter().zip(&csv_then)))
        .find_map(|((o, _, name, _), (in_doc, (reaches_csv, then)))| {
            let name = name.as_ref()?;
            let reaches_csv = *reaches_csv;
            let in_csv = reaches_csv && csv.names.contains(name);
            match in_doc {
                Err(names_then) if !in_csv => Some(MissingName {
                    o,
                    name: name.as_str(),
                    names_then,
                    reaches_csv,
                    // The CSV the model named where the key comes, which a later
                    // `trajectories_csv` replaced, where it has the name (helper-168: the
                    // error listed the file's trajectories only, as if the name were
                    // nowhere).
                    replaced: then
                        .as_ref()
                        .filter(|_| !reaches_csv)
                        .filter(|then| {
                            then.to_str()
                                .and_then(|p| load(p).ok())
                                .is_some_and(|text| patch_csv(&text, &[]).1.contains(name))
                        })
                        .map(|then| then.display().to_string()),
                }),
                _ => None,
            }
        });
    match result {
        Ok(model) => {
            if let Some(MissingName {
                o,
                name,
                names_then,
                reaches_csv,
                replaced,
            }) = missing_name
            {
                // A later override gives the name: the file's, or a CSV named later.
                let later = model.trajectories.iter().any(|t| t.name == name);
                let csv_names: &[String] = if reaches_csv { &csv.names } else { &[] };
                return Err(unknown_trajectory(
                    o,
                    name,
                    names_then,
                    csv_names,
                    later,
                    replaced.as_deref(),
                ));
            }
            let placed = &model.warnings[..model.warnings.len().min(MAX_PLACED_WARNINGS)];
            let warnings = placed_warnings(label, text, placed, overrides, &applied, load);
            let more_warnings = model.warnings.len() - placed.len();
            Ok(Patched {
                model,
                text: patched,
                warnings,
                more_warnings,
            })
        }
        Err(issue) => {
            let attempt = Attempt {
                overrides,
                applied: &applied,
                csv_touched: csv.touched,
                missing_name,
                csv_names: &csv.names,
                doc_names: &doc_names,
            };
            Err(attempt.blame(label, text, load, same_file, depth, issue))
        }
    }
}

/// The model without overrides: the file as it is, its warnings placed at their lines.
fn parse_unpatched(
    label: &str,
    text: &str,
    load: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<Patched, Error> {
    let model = parse_model(ModelSource { text, load })
        .map_err(|issue| Error::model(label, text, issue))?;
    let lines = LineStarts::new(text);
    let warnings = model
        .warnings
        .iter()
        .take(MAX_PLACED_WARNINGS)
        .map(|w| Error::model_in(label, &lines, w.clone()).to_string())
        .collect();
    let more_warnings = model.warnings.len().saturating_sub(MAX_PLACED_WARNINGS);
    Ok(Patched {
        model,
        text: text.to_string(),
        warnings,
        more_warnings,
    })
}

/// What the derived keys did to the model's CSV trajectories: whether any rows were
/// rewritten, and the CSV's trajectory names.
#[derive(Default)]
struct CsvPatch {
    touched: bool,
    names: Vec<String>,
}

/// A derived override: the override, what it derives, the trajectory it names (all when
/// None) and its amount.
type DerivedOverride<'a> = (&'a Override, Derived, Option<String>, Decimal);

/// Parses the patched text, the CSV trajectories' rows rewritten as the derived keys say.
fn parse_patched(
    patched: &str,
    derived: &[DerivedOverride<'_>],
    load: &mut dyn FnMut(&str) -> Result<String, String>,
) -> (Result<Model, ModelIssue>, CsvPatch) {
    let mut csv = CsvPatch::default();
    let mut load_patched = |path: &str| -> Result<String, String> {
        let text = load(path)?;
        if derived.is_empty() {
            return Ok(text);
        }
        let (out, names) = patch_csv(&text, derived);
        csv.touched = true;
        csv.names = names;
        Ok(out)
    };
    let result = parse_model(ModelSource {
        text: patched,
        load: &mut load_patched,
    });
    (result, csv)
}

/// A derived key whose `[NAME]` names no trajectory where it comes: the override, the name,
/// the file's trajectories there, whether it reaches the model's CSV, and the CSV named
/// there that has the name where a later `trajectories_csv` replaced it.
struct MissingName<'a> {
    o: &'a Override,
    name: &'a str,
    names_then: &'a Vec<String>,
    reaches_csv: bool,
    replaced: Option<String>,
}

/// The overrides as applied, for naming the one an error is about.
struct Attempt<'a> {
    overrides: &'a [Override],
    applied: &'a [Applied],
    csv_touched: bool,
    /// A derived key that names no trajectory where it stands, the name, the file's
    /// trajectories there, and whether it reaches the CSV's.
    missing_name: Option<MissingName<'a>>,
    csv_names: &'a [String],
    doc_names: &'a [String],
}

impl Attempt<'_> {
    /// The error for a model that the overrides made invalid: the override the error is
    /// about, else the file's own error where the file alone is invalid, else the file's
    /// place with the overrides listed.
    fn blame(
        &self,
        label: &str,
        text: &str,
        load: &mut dyn FnMut(&str) -> Result<String, String>,
        same_file: &mut dyn FnMut(&std::path::Path, &std::path::Path) -> bool,
        depth: usize,
        issue: ModelIssue,
    ) -> Error {
        // The file alone's error, read only where needed.
        let mut alone: Option<Option<ModelIssue>> = None;
        let mut file_alone = |load: &mut dyn FnMut(&str) -> Result<String, String>| {
            alone
                .get_or_insert_with(|| parse_model(ModelSource { text, load }).err())
                .clone()
        };
        // The last override whose value the error is about owns it; or that set a value
        // within the table or array the error is about, unless the file alone has that
        // very error, word for word (a file of more trajectories than it may hold was
        // blamed on the set of an agi_year in the first one past the bound; shares that
        // the file and a set both push past 1 are the set's, whose sum the message gives).
        // (The last override that concerns it decides: one that only held the value and
        // left the file's own error as it was does not pass the error to an earlier one;
        // helper-152.)
        let concern_of = |a: &Applied| {
            a.touched
                .iter()
                .map(|t| concerns(&issue.field, t))
                .min_by_key(|c| match c {
                    Concern::Value => 0,
                    Concern::Holder => 1,
                    Concern::None => 2,
                })
                .unwrap_or(Concern::None)
        };
        let latest = self
            .overrides
            .iter()
            .zip(self.applied)
            .enumerate()
            .rev()
            .find_map(|(k, (o, a))| {
                let concern = concern_of(a);
                let csv = self.csv_touched && issue.field == "trajectories_csv" && o.is_derived();
                match concern {
                    Concern::None if csv => Some((k, o, Concern::Value)),
                    Concern::None => None,
                    // A set of a value within the table the error checks that writes the
                    // file's own value changed nothing there: the error is an earlier
                    // set's, as a warning is (helper-168: shares pushed past 1 by
                    // `others=0.6` were blamed on a later `nonprofit=0.02`, the file's).
                    Concern::Holder if restates_the_file(text, o) => None,
                    concern => Some((k, o, concern)),
                }
            });
        // A derived key's values are those the overrides before it left, changed: where
        // the model as they left it has an error in the same series (the same point but
        // for `shift.margin`'s two leading points), whatever its words, that error is
        // told, as it was blamed there: the file's at its line, or an earlier `--set`'s
        // (helper-192: an unknown key in a scaled series, a negative valuation doubled,
        // were blamed on `--set scale.valuation=2` with no line, quoting a value that was
        // not the file's; helper-194, -196: the file's error was told where an earlier
        // `--set` had mended it, and a `--set`'s own bad value was told as a scale's).
        // The model is read again once, as left by the overrides before the run of derived
        // keys this one ends (the derived keys back to the last other override in the
        // series: helper-197, each read again in turn took 8 times as long, and past a
        // bound of such readings the file's error was told as a scale's); its error stands
        // unless an override after that changed the very value (helper-197: a point the
        // file has negative, mended by a later `--set`, was told in place of the scale's
        // own error).
        if let Some((k, o, _)) = latest
            && o.is_derived()
            && depth < BLAME_DEPTH
        {
            let in_series = |a: &Applied| {
                a.touched.iter().any(|t| {
                    concerns(&issue.field, t) != Concern::None
                        || series_of(&issue.field).starts_with(t.as_str())
                })
            };
            let first = (0..k)
                .rev()
                .take_while(|&j| self.overrides[j].is_derived() || !in_series(&self.applied[j]))
                .last()
                .unwrap_or(k);
            // The overrides before this one but the run's derived keys in the series (the
            // others, a discount rate set right among them, stay: helper-197).
            let derived_in_series =
                |j: usize| self.overrides[j].is_derived() && in_series(&self.applied[j]);
            let before_the_run: Vec<Override> = (0..k)
                .filter(|&j| j < first || !derived_in_series(j))
                .map(|j| self.overrides[j].clone())
                .collect();
            if let Err(before) =
                patch_and_parse_within(label, text, &before_the_run, load, same_file, depth + 1)
                && let Error::Model { field, .. } = &before
                && series_of(field) == series_of(&issue.field)
                && !self.overrides[first..]
                    .iter()
                    .zip(&self.applied[first..])
                    .any(|(o, a)| {
                        !o.is_derived()
                            && a.touched
                                .iter()
                                .any(|t| concerns(field, t) == Concern::Value)
                    })
            {
                return before;
            }
        }
        let owner = latest.filter(|(_, o, concern)| {
            o.is_derived()
                || *concern == Concern::Value
                || file_alone(load)
                    .is_none_or(|f| f.field != issue.field || f.message != issue.message)
        });
        if let Some((_, o, _)) = owner {
            return OverrideError::new(&o.origin, issue.field, issue.message).into();
        }
        if let Some(MissingName {
            o,
            name,
            names_then,
            reaches_csv,
            replaced,
        }) = &self.missing_name
        {
            let (o, name, names_then, reaches_csv) = (*o, *name, *names_then, *reaches_csv);
            let later = self.doc_names.iter().any(|n| n == name);
            let csv_names: &[String] = if reaches_csv { self.csv_names } else { &[] };
            return unknown_trajectory(o, name, names_then, csv_names, later, replaced.as_deref());
        }
        // Not an override's own value: if the file alone has this error, say so as usual
        // (not another of its errors, which an override may have mended: helper-197, a
        // discount rate set right had the file's wrong one told).
        if let Some(original) = file_alone(load)
            && original.field == issue.field
        {
            return Error::model(label, text, original);
        }
        // Valid alone, invalid with the overrides: the file's place, and what changed.
        let location = locate(text, &issue.field);
        let message = format!("{} (with {})", issue.message, listed_sets(self.overrides));
        let mut issue = ModelIssue::new(issue.field, message);
        issue.span = location;
        Error::model(label, text, issue)
    }
}

/// The series an error's field is in (`trajectories[0].margin.points[3]`:
/// `trajectories[0].margin.points`), or the field itself.
fn series_of(field: &str) -> &str {
    match field.find(".points[") {
        Some(at) => &field[..at + ".points".len()],
        None => field,
    }
}

/// How an error about a field concerns a value an override set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Concern {
    /// The error is about the value set, or something within it.
    Value,
    /// The error is a check of a table or array that holds the value (tier shares adding
    /// up to more than 1).
    Holder,
    None,
}

/// How an error about `field` concerns the value at `touched`.
fn concerns(field: &str, touched: &str) -> Concern {
    let within = |inner: &str, outer: &str| {
        inner == outer
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    if within(field, touched) {
        Concern::Value
    } else if within(touched, field) && (field.contains('.') || field.contains('[')) {
        // An enclosing table's own check; not a top-level table as a whole.
        Concern::Holder
    } else {
        Concern::None
    }
}

/// The error for a path into `trajectories[NAME]` where NAME is a trajectory of the model's
/// `trajectories_csv`, not of the file: a CSV's rows have no path (helper-128: "no entry
/// named `csvA`" and a nearest path into another trajectory, which would change that one).
fn csv_trajectory_path(
    doc: &DocumentMut,
    origin: &str,
    path: &OverridePath,
    load: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Option<OverrideError> {
    let Target::Key(segments) = &path.target else {
        return None;
    };
    let [Segment::Key(top), Segment::Name(name), ..] = segments.as_slice() else {
        return None;
    };
    if top != "trajectories" || has_trajectory(doc, name) {
        return None;
    }
    let file = doc.get("trajectories_csv").and_then(Item::as_str)?;
    let (_, names) = patch_csv(&load(file).ok()?, &[]);
    let at = super::name_segment(name);
    // A CSV trajectory has no agi_year (MODEL 8.4): nothing reaches one (helper-129).
    let agi = matches!(segments.get(2), Some(Segment::Key(k)) if k == "agi_year");
    let message = if agi {
        format!(
            "`{name}` is a trajectory of trajectories_csv (`{file}`), which gives its trajectories no agi_year and has no path to set one; to simulate AGI on it, use `simulation.agi_hazard`"
        )
    } else {
        format!(
            "`{name}` is a trajectory of trajectories_csv (`{file}`), whose yearly values have no path to set: change them in that file, or through the derived keys `scale.valuation{at}`, `scale.revenue{at}` and `shift.margin{at}`"
        )
    };
    names
        .contains(name)
        .then(|| OverrideError::new(origin, &path.text, message))
}

/// `csv_trajectory_path` (the check of `--set`) for the model text `text` (a sensitivity command's path, checked
/// before anything runs).
pub fn csv_trajectory_error(
    text: &str,
    origin: &str,
    path: &OverridePath,
    load: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Option<OverrideError> {
    csv_trajectory_path(&text.parse::<DocumentMut>().ok()?, origin, path, load)
}

/// A derived key naming no trajectory at its place in the order: `names_then` are the
/// file's trajectories there, `csv_names` the CSV's (if the model named it then), and
/// `later` whether a later override gives the name.
fn unknown_trajectory(
    o: &Override,
    name: &str,
    names_then: &[String],
    csv_names: &[String],
    later: bool,
    replaced: Option<&str>,
) -> Error {
    let names: Vec<&str> = names_then
        .iter()
        .chain(csv_names)
        .map(String::as_str)
        .collect();
    // (No other name is suggested for one the replaced CSV has.)
    let hint = crate::model::nearest_name(name, &names)
        .filter(|_| replaced.is_none())
        .map(|n| format!("did you mean `{}`? ", crate::error::quoted(n)))
        .unwrap_or_default();
    let when = if let Some(csv) = replaced {
        format!(
            " where this --set comes but in `{}`, the CSV the model names there, which a later --set trajectories_csv replaces (a derived key acts on the CSV the model names at the end: give it after that --set)",
            crate::error::quoted(csv)
        )
    } else if later {
        " where this --set comes (overrides apply in order, and a later one names it)".into()
    } else if !name.is_empty() && name.chars().all(|c| c.is_ascii_digit()) {
        " (a derived key picks a trajectory by its name, not by its position)".into()
    } else {
        String::new()
    };
    OverrideError::new(
        &o.origin,
        &o.path.text,
        format!(
            "the model has no trajectory `{}`{when}; {hint}trajectories: {}",
            crate::error::quoted(name),
            crate::error::listed(&names)
        ),
    )
    .into()
}

/// The exact decimal of a derived key's VALUE, which must be a number (a scale >= 0).
fn derived_amount(o: &Override, kind: Derived) -> Result<Decimal, OverrideError> {
    let err = |m: String| OverrideError::new(&o.origin, &o.path.text, m);
    let value = parse_value(o)?;
    // A number too large or too fine for an exact decimal (`1e30`, `1e-40`) is a number
    // still: say what is wrong with it, as for a key of the model.
    if let Value::Float(f) = &value
        && f.value().is_finite()
        && number_of(&value).is_none()
    {
        let literal: String = f
            .display_repr()
            .chars()
            .filter(|c| *c != '_' && *c != '+')
            .collect();
        let why = crate::model::exact_decimal(literal.trim())
            .err()
            .unwrap_or(crate::model::NotExact::Unreadable);
        return Err(err(
            if f.value().abs() > DERIVED_LIMIT as f64 || why == crate::model::NotExact::TooLarge {
                format!(
                    "{} is too large; a derived key must be at most 1e9 in size",
                    o.value
                )
            } else {
                format!("{} {}", o.value, why.why())
            },
        ));
    }
    let amount = number_of(&value).ok_or_else(|| {
        err(format!(
            "`{}` is not a number; {} takes a number such as {}",
            o.value,
            kind.as_str(),
            if kind == Derived::ShiftMargin {
                "0.05"
            } else {
                "1.5"
            }
        ))
    })?;
    if kind != Derived::ShiftMargin && amount < Decimal::ZERO {
        return Err(err(format!(
            "{amount} is negative; {} multiplies every {}, which must stay 0 or more, so it must be 0 or more",
            kind.as_str(),
            series_key(kind)
        )));
    }
    if amount.abs() > Decimal::from(DERIVED_LIMIT) {
        return Err(err(format!(
            "{amount} is too large; a derived key must be at most 1e9 in size"
        )));
    }
    Ok(amount)
}

fn parse_value(o: &Override) -> Result<Value, OverrideError> {
    o.value.parse::<Value>().map_err(|e| {
        let why = e.to_string();
        let why = why.lines().last().unwrap_or_default().trim();
        let at = e.span().map_or(0, |s| s.start);
        // A number as a spreadsheet shows it (`15%`, `1,250.0`): the fix, as the model
        // file's reader says it.
        // (A key that takes text is offered no number's fix: helper-277, helper-278.)
        // (By the schema's place where it has one: a party named `name` takes a number,
        // helper-291; else by the key's last name.)
        let takes_text = match (schema_place(&o.path), &o.path.target) {
            (Some(text), _) => text,
            (None, Target::Key(segments)) => matches!(
                segments.last(),
                Some(Segment::Key(k)) if crate::model::takes_text(k)
            ),
            (None, Target::Derived(..)) => false,
        };
        // (Before the overflow's words: `1_0%` is read as a number that overflowed, and was
        // told "too large": helper-279.)
        if !takes_text && let Some(habit) = crate::model::spreadsheet_habit(&o.value, at) {
            return OverrideError::new(&o.origin, &o.path.text, habit);
        }
        // (A pair's value with thousands separators or a decimal comma, `[[2024,1,000]]`.)
        if !takes_text && let Some(said) = crate::model::grouped_value_in_a_pair(&o.value, at) {
            return OverrideError::new(&o.origin, &o.path.text, said);
        }
        // A whole number past i64 as the file says it: a seed's range is TOML's (a seed of
        // 2^63 was told the 1e18 bound of a model's amounts, beside seeds up to 2^63 - 1
        // taken: helper-116); any other number is too large as an amount.
        if why.contains("integer number overflowed")
            && let Some((field, written)) = overflowed_seed(o, at)
        {
            return OverrideError::new(
                &o.origin,
                &field,
                format!(
                    "`{written}` is out of range; a seed must be a whole number from 0 to 9223372036854775807{}",
                    crate::model::SEED_NOTE
                ),
            );
        }
        if takes_text
            && (why.contains("floating-point number overflowed")
                || why.contains("integer number overflowed"))
        {
            // A key that takes text is not told a number's limit (helper-279: `name=1_0%`
            // was "too large").
            return OverrideError::new(
                &o.origin,
                &o.path.text,
                crate::model::text_in_quotes(&o.value),
            );
        }
        if why.contains("floating-point number overflowed")
            || why.contains("integer number overflowed")
        {
            // As the model file says it (`1e400`, an integer past i64: helper-76).
            return OverrideError::new(
                &o.origin,
                &o.path.text,
                format!(
                    "`{}` {}",
                    o.value,
                    crate::model::NotExact::TooLarge.why()
                ),
            );
        }
        // `NaN`, `Infinity`: TOML's own hint (`expected nan`) named a value the model
        // then refuses (helper-175).
        // (Also inside an array or an inline table: `[[2024, NaN]]`, helper-178.)
        if let Some(said) = crate::model::not_finite_value(&o.value)
            .or_else(|| crate::model::not_finite_spelling(&format!("x = {}", o.value), at + 4))
        {
            return OverrideError::new(&o.origin, &o.path.text, said);
        }
        // A number as a document shows it (`27/100`, `(0.1)`, `−0.3`, full-width digits):
        // the fix, as the model file's reader says it (they were told "string values must
        // be quoted"); for a key that takes text, only curly quotes' (helper-277).
        if let Some(said) = crate::model::typed_as_a_document_shows_it(
            &format!("x = {}", o.value),
            at + 4,
            takes_text,
        ) {
            return OverrideError::new(&o.origin, &o.path.text, said);
        }
        // A word without its quotes: TOML's hint named a float or a boolean (helper-192).
        // Not where the value holds a `#`, which `--set` does not read as a comment, as a
        // file does (helper-286: `data.csv # x` was offered "data.csv", which then failed).
        if !o.value.contains('#')
            && let Some(said) =
                crate::model::bare_word_spelling(&format!("x = {}", o.value), at + 4, takes_text)
        {
            let said = if takes_text { in_a_shell(o, said) } else { said };
            return OverrideError::new(&o.origin, &o.path.text, said);
        }
        OverrideError::new(
            &o.origin,
            &o.path.text,
            format!(
                "`{}` is not a TOML value ({why}); write a number as 0.3 or 2031, text in quotes (\"nonprofit\"), true or false, an array as [[2025, 500.0], [2030, 900.0]]",
                o.value
            ),
        )
    })
}

/// `said` of a `--set` whose whole value is a word to be quoted (for a key that takes
/// text: elsewhere the quoted word is no fix), with the argument that quotes it as a shell
/// passes it on (helper-286: `--set trajectories_csv="data.csv"` loses
/// its quotes to the shell and fails the same way).
fn in_a_shell(o: &Override, said: String) -> String {
    let value = o.value.trim();
    let whole = !value.contains(['[', '{', ',', ' ']) && said.starts_with(&format!("`{value}`"));
    if !o.origin.starts_with("--set ") || !whole || value.chars().count() > 100 {
        return said;
    }
    let quoted = if value.contains('\\') {
        format!("'{value}'")
    } else {
        format!("\"{value}\"")
    };
    let arg = format!("{}={quoted}", o.path.text);
    // In a shell's double quotes a backslash stays, but before `$`, `` ` ``, `"`, another
    // backslash or the end; `'C:\d'` reads better so than as '...'\''C:\d'\''...'.
    let plain_in_double_quotes = quoted.starts_with('\'')
        && !arg.contains(['$', '`', '"', '!'])
        && !arg.contains("\\\\")
        && !arg.ends_with('\\');
    let arg = if plain_in_double_quotes {
        format!("\"{arg}\"")
    } else {
        crate::error::shell_word(&arg)
    };
    format!("{said}; in a shell, `--set {arg}`")
}

/// The field and the number as written, where the whole number too large for TOML at byte
/// `at` of the override's value is a seed's: the path's own key (`simulation.seed=...`), or
/// the key just before it inside an inline table (`simulation={paths=1, seed=...}`), not any
/// number of a value that names a seed somewhere (helper-121:
/// `{paths=99999999999999999999, seed=1}` was told about seeds).
fn overflowed_seed(o: &Override, at: usize) -> Option<(String, String)> {
    let before = o.value.get(..at).unwrap_or(&o.value).trim_end();
    match before.strip_suffix('=') {
        Some(key) => {
            let key = key.trim_end();
            let key = key
                .rsplit(|c: char| c == '{' || c == ',' || c.is_whitespace())
                .next()
                .unwrap_or(key)
                .trim_matches(['"', '\'']);
            // (`simulation.weights={seed=...}` and `simulation={weights={seed=...}}` are the
            // weight of a trajectory named seed: the key must be the table's own, one `{`
            // deep; helper-187.) Named as the file's reader names it, `simulation.seed`,
            // with the number alone as written (it was `simulation` and the whole table;
            // then its digits alone, "``" of -9...9 and "`0`" of 0x1F...F).
            let depth = brace_depth(before);
            let written: String = o
                .value
                .get(at..)
                .unwrap_or_default()
                .chars()
                .take_while(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
                .collect();
            (key == "seed" && o.path.text == "simulation" && depth == 1)
                .then(|| (format!("{}.seed", o.path.text), written))
        }
        None => (before.is_empty() && o.path.text.ends_with("seed"))
            .then(|| (o.path.text.clone(), o.value.trim().to_string())),
    }
}

/// How many inline tables `text` (the start of a TOML value) leaves open: its `{` less its
/// `}`, those in quoted text not counted (helper-188: a weight keyed `"a}"` before the seed).
fn brace_depth(text: &str) -> i64 {
    let mut depth = 0i64;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            },
        }
    }
    depth
}

/// The exact decimal a TOML number is written as; None for anything else (and inf, nan).
pub fn number_of(value: &Value) -> Option<Decimal> {
    match value {
        Value::Integer(i) => Some(Decimal::from(*i.value())),
        Value::Float(f) => {
            if !f.value().is_finite() {
                return None;
            }
            let literal: String = f
                .display_repr()
                .chars()
                .filter(|c| *c != '_' && *c != '+')
                .collect();
            // The file's own rule: exact, or not a number a model takes (a fallback that
            // rounded took 1.00000000000000000000000000001 as 1: helper-115).
            crate::model::exact_decimal(literal.trim()).ok()
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Walking the document.

/// Where the walk stands: an item of a table, a table of an array of tables, or a value
/// inside an array or inline table.
enum Node<'a> {
    Item(&'a mut Item),
    Table(&'a mut Table),
    Value(&'a mut Value),
}

impl<'a> Node<'a> {
    fn table_like(self) -> Option<&'a mut dyn TableLike> {
        match self {
            Node::Item(item) => item.as_table_like_mut(),
            Node::Table(t) => Some(t),
            Node::Value(Value::InlineTable(t)) => Some(t),
            Node::Value(_) => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Node::Item(Item::Table(_)) | Node::Table(_) => "a table",
            Node::Item(Item::ArrayOfTables(_)) => "an array of tables",
            Node::Item(Item::Value(v)) => value_kind(v),
            Node::Value(v) => value_kind(v),
            Node::Item(Item::None) => "nothing",
        }
    }
}

fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "text",
        Value::Integer(_) | Value::Float(_) => "a number",
        Value::Boolean(_) => "true or false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "an array",
        Value::InlineTable(_) => "a table",
    }
}

/// The tables of an array, either kind.
enum Elements<'a> {
    Tables(&'a mut ArrayOfTables),
    Values(&'a mut toml_edit::Array),
}

impl Elements<'_> {
    fn len(&self) -> usize {
        match self {
            Elements::Tables(a) => a.len(),
            Elements::Values(a) => a.len(),
        }
    }

    /// The names of the entries, trimmed, in order (None for an entry without one). Read in
    /// place: a `--set` by name scans them once, and copying each name made 9,000 such sets
    /// on 9,000 trajectories take 23 s.
    fn names(&self) -> Box<dyn Iterator<Item = Option<&str>> + '_> {
        fn name_of(t: &dyn TableLike) -> Option<&str> {
            t.get("name").and_then(|n| n.as_str()).map(str::trim)
        }
        match self {
            Elements::Tables(a) => Box::new(a.iter().map(|t| name_of(t))),
            Elements::Values(a) => Box::new(
                a.iter()
                    .map(|v| v.as_inline_table().and_then(|t| name_of(t))),
            ),
        }
    }
}

/// The positions of an array's entries by name, for each array a `[NAME]` was looked up in
/// (by its canonical path): built at the first lookup, forgotten when an override sets
/// something that may change the array's names. Looking the names up afresh for each
/// `--set` made 9,000 sets by name on 9,000 trajectories take 23 s.
#[derive(Default)]
struct NameIndex {
    arrays: HashMap<String, HashMap<String, Vec<usize>>>,
}

impl NameIndex {
    /// The positions of the entries of `list` (the array at `array`) named `name`, in order.
    fn positions(&mut self, array: &str, list: &Elements<'_>, name: &str) -> &[usize] {
        let by_name = self.arrays.entry(array.to_string()).or_insert_with(|| {
            let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, n) in list.names().enumerate() {
                if let Some(n) = n {
                    by_name.entry(n.to_string()).or_default().push(i);
                }
            }
            by_name
        });
        by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The positions of the document's trajectories named `name` (none without a
    /// `trajectories` array).
    fn trajectories(&mut self, doc: &mut DocumentMut, name: &str) -> Vec<usize> {
        let Some(item) = doc.get_mut("trajectories") else {
            return Vec::new();
        };
        match elements(Node::Item(item)) {
            Ok(list) => self.positions("trajectories", &list, name).to_vec(),
            Err(_) => Vec::new(),
        }
    }

    /// Forgets the arrays whose names setting the value at `path` (canonical) may have
    /// changed: the array itself, an entry whole, an entry's `name`, or anything that
    /// holds the array.
    fn set(&mut self, path: &str) {
        self.arrays.retain(|array, _| !may_rename(array, path));
    }
}

/// Whether setting the value at `set` may change the names of the array at `array` (both
/// canonical paths, entries by index).
fn may_rename(array: &str, set: &str) -> bool {
    let below = |inner: &str, outer: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    if set == array || below(array, set) {
        return true;
    }
    if !below(set, array) {
        return false;
    }
    // Within the array: `[i]` then nothing (the entry whole) or its key.
    let rest = &set[array.len()..];
    let Some(after) = rest
        .strip_prefix('[')
        .and_then(|r| r.find(']').map(|close| &r[close + 1..]))
    else {
        return true;
    };
    // (Nothing after it is the entry whole; anything but a key, conservatively, may rename.)
    let Some(key) = after.strip_prefix('.') else {
        return true;
    };
    key == "name" || key.starts_with("name.") || key.starts_with("name[") || key.starts_with('"')
}

fn elements<'a>(node: Node<'a>) -> Result<Elements<'a>, Node<'a>> {
    match node {
        Node::Item(Item::ArrayOfTables(a)) => Ok(Elements::Tables(a)),
        Node::Item(Item::Value(Value::Array(a))) | Node::Value(Value::Array(a)) => {
            Ok(Elements::Values(a))
        }
        other => Err(other),
    }
}

/// Applies one override to the document.
fn apply(
    doc: &mut DocumentMut,
    o: &Override,
    names: &mut NameIndex,
) -> Result<Applied, OverrideError> {
    match &o.path.target {
        Target::Key(segments) => {
            let value = parse_value(o)?;
            // The valid paths, for the nearest one, only where the path is wrong: listed for
            // every `--set`, they made each cost the whole document (helper-149: 8,000 sets
            // on a model of 400 trajectories took 27 s).
            let fail = |doc: &DocumentMut, m: String| {
                wrong_path(&o.origin, &o.path.text, &valid_paths(doc, &o.path.text), &m)
            };
            if value.is_datetime() {
                // A TOML date or time (`1979-05-27`) is no key's value (the model's reader,
                // which sees one as a table, would say "found a table"); a path that is
                // wrong is said first, as for any other value.
                let mut probe = doc.clone();
                set_value(
                    probe.as_table_mut(),
                    segments,
                    Value::from(0i64),
                    &mut NameIndex::default(),
                )
                .map_err(|m| fail(doc, m))?;
                return Err(OverrideError::new(
                    &o.origin,
                    &o.path.text,
                    format!(
                        "`{}` is a TOML date or time, which no key of a model takes: a year is a whole number (2031), text is written in quotes (\"{}\")",
                        o.value, o.value
                    ),
                ));
            }
            // (A path refused is refused before anything is set: the document is as it was.)
            let set = set_value(doc.as_table_mut(), segments, value, names);
            let canonical = set.map_err(|m| fail(doc, m))?;
            Ok(Applied {
                touched: vec![canonical],
            })
        }
        Target::Derived(kind, name) => {
            let amount = derived_amount(o, *kind)?;
            let mut touched = Vec::new();
            let only = name.as_deref().map(|n| names.trajectories(doc, n));
            apply_derived_to_document(doc, *kind, name.as_deref(), only, amount, &mut touched);
            Ok(Applied { touched })
        }
    }
}

/// Sets the value at `segments`, returning the canonical path; the error says what part of
/// the path is wrong.
fn set_value(
    root: &mut Table,
    segments: &[Segment],
    value: Value,
    names: &mut NameIndex,
) -> Result<String, String> {
    set_value_with_old(root, segments, value, names).map(|(canonical, _)| canonical)
}

/// The value the document `text` holds at `path` (a key path, not a derived key): None where
/// the path is wrong or names a key the file leaves out (or a table).
pub fn value_in_document(text: &str, path: &OverridePath) -> Option<Value> {
    let Target::Key(segments) = &path.target else {
        return None;
    };
    let mut doc = text.parse::<DocumentMut>().ok()?;
    // The walk of `--set` (names, trimmed weights' keys), on a copy that is dropped.
    set_value_with_old(
        doc.as_table_mut(),
        segments,
        Value::from(0i64),
        &mut NameIndex::default(),
    )
    .ok()
    .and_then(|(_, old)| old)
}

/// [`set_value`], also returning the value it replaced (None where it added a key or
/// replaced a table).
fn set_value_with_old(
    root: &mut Table,
    segments: &[Segment],
    value: Value,
    names: &mut NameIndex,
) -> Result<(String, Option<Value>), String> {
    let mut node = Node::Table(root);
    let mut done: Vec<Segment> = Vec::new();
    // The keys as the document spells them (a weight's key trimmed to the one given is the
    // file's), for the index of names: one array, one path (helper-152: a rename through
    // `simulation.weights.zz` left stale the names looked up through `." zz "`).
    let mut actual: Vec<Segment> = Vec::new();
    // Once set, the index forgets what the set may have renamed.
    let renamed = |names: &mut NameIndex, actual: &[Segment]| names.set(&render_segments(actual));
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let here = render_segments(&done);
        let place = if here.is_empty() {
            "the top level".to_string()
        } else {
            // (Names and keys are the user's, of any length: quoted shortened, helper-177.)
            format!("`{}`", crate::error::quoted(&here))
        };
        match segment {
            Segment::Key(key) => {
                let kind = node.kind();
                let Some(table) = node.table_like() else {
                    return Err(format!(
                        "{place} is {kind}, not a table, so it has no key `{}`",
                        crate::error::quoted(key)
                    ));
                };
                // A weight's key is a trajectory's name, read trimmed: the file's key that
                // trims to the one given is that weight (helper-122: the workbook's label
                // `simulation.weights.base` for the file's `" base "` added a second key).
                let trimmed_match = (here == "simulation.weights" && !table.contains_key(key))
                    .then(|| {
                        table
                            .iter()
                            .map(|(k, _)| k)
                            .find(|k| k.trim() == key.trim())
                            .map(str::to_string)
                    })
                    .flatten();
                let key = trimmed_match.as_ref().unwrap_or(key);
                if !table.contains_key(key) {
                    let shape = shape_of(&done);
                    let allowed = match schema(&shape) {
                        Some(Keys::Fixed(keys)) => keys.contains(&key.as_str()),
                        Some(Keys::Open) => true,
                        None => true,
                    };
                    if !allowed {
                        return Err(format!(
                            "{place} has no key `{}`",
                            crate::error::quoted(key)
                        ));
                    }
                    if !last {
                        let table = render_segments(&segments[..=i]);
                        // An array of tables (`equity.rounds`) is set as an array, and so is
                        // an array of pairs (`investor.contributions`, [[YEAR, VALUE], ...]:
                        // helper-168, it was told to write tables).
                        let key_shape = shape_of(&segments[..=i]);
                        let node = schema_node(&key_shape);
                        let is_array = |node: &serde_json::Value| {
                            node.get("type").is_some_and(|t| t == "array")
                        };
                        let array = node.is_some_and(is_array);
                        let pairs = node
                            .and_then(|n| n.get("items"))
                            .filter(|items| is_array(items))
                            // (Draft 7: a pair's parts are its `items` list.)
                            .and_then(|items| items.get("items"))
                            .and_then(|p| p.as_array())
                            .map(|parts| {
                                let part = |p: &serde_json::Value| {
                                    let year = p.get("type").is_some_and(|t| t == "integer")
                                        && p.get("description")
                                            .and_then(|d| d.as_str())
                                            .is_some_and(|d| d.contains("year"));
                                    if year { "YEAR" } else { "VALUE" }
                                };
                                parts.iter().map(part).collect::<Vec<_>>().join(", ")
                            });
                        let (kind, whole) = match (array, pairs) {
                            (true, Some(pair)) => ("array", format!("`{table}=[[{pair}], ...]`")),
                            (true, None) => {
                                ("array of tables", format!("`{table}=[{{ ... }}, ...]`"))
                            }
                            (false, _) => ("table", format!("`{table}={{ ... }}`")),
                        };
                        return Err(format!(
                            "`{table}` is not in the model; --set adds a key only to a table the file has: set the whole {kind} ({whole}) or add it to the file"
                        ));
                    }
                    table.insert(key, Item::Value(clean(value)));
                    done.push(segment.clone());
                    actual.push(Segment::Key(key.clone()));
                    renamed(names, &actual);
                    return Ok((render_segments(&done), None));
                }
                if last {
                    let slot = table.get_mut(key).expect("checked above");
                    let old = slot.as_value().cloned();
                    replace(slot, value);
                    done.push(segment.clone());
                    actual.push(Segment::Key(key.clone()));
                    renamed(names, &actual);
                    return Ok((render_segments(&done), old));
                }
                node = Node::Item(table.get_mut(key).expect("checked above"));
                done.push(segment.clone());
                actual.push(Segment::Key(key.clone()));
            }
            Segment::Index(_) | Segment::Name(_) => {
                let kind = node.kind();
                let list = elements(node).map_err(|_| {
                    format!(
                        "{place} is {kind}, not an array, so it has no {}",
                        render_segments(std::slice::from_ref(segment))
                    )
                })?;
                let index =
                    element_index(&list, segment, &place, &render_segments(&actual), names)?;
                done.push(Segment::Index(index));
                actual.push(Segment::Index(index));
                match list {
                    Elements::Tables(tables) => {
                        if last {
                            let Value::InlineTable(t) = value else {
                                return Err(format!(
                                    "`{}` is a table; its value must be a table {{ ... }}",
                                    render_segments(&done)
                                ));
                            };
                            *tables.get_mut(index).expect("in range") = t.into_table();
                            renamed(names, &actual);
                            return Ok((render_segments(&done), None));
                        }
                        node = Node::Table(tables.get_mut(index).expect("in range"));
                    }
                    Elements::Values(values) => {
                        if last {
                            let old = values.replace_formatted(index, clean(value));
                            renamed(names, &actual);
                            return Ok((render_segments(&done), Some(old)));
                        }
                        node = Node::Value(values.get_mut(index).expect("in range"));
                    }
                }
            }
        }
    }
    Err("the PATH names no value".into())
}

/// The position in `list` that an `[i]` or `[NAME]` segment picks; the error says what
/// `place` holds instead.
fn element_index(
    list: &Elements<'_>,
    segment: &Segment,
    place: &str,
    array: &str,
    names: &mut NameIndex,
) -> Result<usize, String> {
    match segment {
        Segment::Index(i) if *i < list.len() => Ok(*i),
        Segment::Index(i) => Err(match list.len() {
            0 => format!("{place} is empty, so it has no [{i}]"),
            1 => format!("{place} has 1 entry, [0], so it has no [{i}]"),
            n => format!(
                "{place} has {n} entries, [0] to [{}], so it has no [{i}]",
                n - 1
            ),
        }),
        Segment::Name(name) => {
            let named = names.positions(array, list, name);
            let (first, second) = (named.first().copied(), named.get(1).copied());
            // Two entries of one name (tiers may share one): which is meant cannot be told,
            // and taking the first without a word could change the wrong one.
            if let (Some(first), Some(second)) = (first, second) {
                return Err(format!(
                    "{place} has more than one entry named `{}` ([{first}] and [{second}]); pick one by position, [{first}]",
                    crate::error::quoted(name)
                ));
            }
            first.ok_or_else(|| {
                let known: Vec<&str> = list.names().flatten().collect();
                // `[-1]` (the last, in some languages) is read as a name: said as a position
                // that does not exist (helper-160: "has no entries with a `name`").
                let negative = name
                    .strip_prefix('-')
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                if negative {
                    let last = match list.len() {
                        0 => format!("{place} is empty"),
                        n => format!("the last entry is [{}]", n - 1),
                    };
                    // (Quoted or bare: a name that reads as a negative number is looked
                    // for as a name first.)
                    format!(
                        "positions count from [0] up, so there is no [{name}] ({last}), and no entry is named `{name}`"
                    )
                } else if known.is_empty() {
                    format!("{place} has no entries with a `name`; pick one by position, [0]")
                } else {
                    format!(
                        "{place} has no entry named `{}`; its names: {}",
                        crate::error::quoted(name),
                        crate::error::listed(&known)
                    )
                }
            })
        }
        Segment::Key(key) => Err(format!(
            "{place} is an array, so it has no key `{}`",
            crate::error::quoted(key)
        )),
    }
}

/// A parsed value with the formatting of a freshly written one.
fn clean(mut value: Value) -> Value {
    value.decor_mut().clear();
    value
}

fn replace(slot: &mut Item, value: Value) {
    match (slot, value) {
        // A `[table]` set to `{ ... }` stays a `[table]` (its sub-tables keep their place).
        (slot @ Item::Table(_), Value::InlineTable(t)) => *slot = Item::Table(t.into_table()),
        (Item::Value(v), value) => {
            let decor = v.decor().clone();
            *v = value;
            *v.decor_mut() = decor;
        }
        (slot, value) => *slot = Item::Value(clean(value)),
    }
}

/// The schema path of `done`: indexes as `[]` (`profit_share.tiers[].until`).
fn shape_of(done: &[Segment]) -> String {
    let mut out = String::new();
    for s in done {
        match s {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(_) | Segment::Name(_) => out.push_str("[]"),
        }
    }
    out
}

enum Keys {
    Fixed(Vec<&'static str>),
    /// Any key: a map of parties or of trajectories.
    Open,
}

/// The keys a table of the model may hold, read from the model's JSON Schema
/// (`model::schema`, SPEC sections 1, 10 and 13), so that `--set` knows every key the file
/// format has, tables and arrays of tables included (`equity.rounds`, `cloud`, a
/// trajectory's `spend`), from the one description of it. `shape` is a path with indexes as
/// `[]` (`profit_share.tiers[].until`). None: a shape the schema does not describe, left to
/// the model's own check.
fn schema(shape: &str) -> Option<Keys> {
    let node = schema_node(shape)?;
    if let Some(properties) = node.get("properties").and_then(|p| p.as_object()) {
        return Some(Keys::Fixed(properties.keys().map(String::as_str).collect()));
    }
    match node.get("additionalProperties") {
        Some(serde_json::Value::Object(_)) => Some(Keys::Open),
        _ => None,
    }
}

/// What `path` names in the model's JSON Schema: `Some(true)` for a value that takes text,
/// `Some(false)` for any other value, table or array (or a derived key), None for a path the
/// schema has no place for (`cloud.backup`). Names of parties and trajectories are any.
pub fn schema_place(path: &OverridePath) -> Option<bool> {
    match &path.target {
        Target::Derived(..) => Some(false),
        Target::Key(_) => Some(
            schema_node_of(path)?
                .get("type")
                .is_some_and(|t| t == "string"),
        ),
    }
}

/// The JSON type (`"number"`, `"integer"`, `"string"`...) the model's schema gives `path`;
/// `"number"` for a derived key, None where the schema has no place for it.
pub fn schema_type(path: &OverridePath) -> Option<&'static str> {
    match &path.target {
        Target::Derived(..) => Some("number"),
        Target::Key(_) => schema_node_of(path)?.get("type")?.as_str(),
    }
}

/// The model's JSON Schema at `path` (names of parties and trajectories are any).
fn schema_node_of(path: &OverridePath) -> Option<&'static serde_json::Value> {
    let Target::Key(segments) = &path.target else {
        return None;
    };
    let mut node = schema_node("")?;
    for segment in segments {
        node = match segment {
            Segment::Key(k) => match node.get("properties") {
                Some(properties) => properties.get(k)?,
                None => node.get("additionalProperties").filter(|n| n.is_object())?,
            },
            Segment::Index(i) => match node.get("items")? {
                serde_json::Value::Array(parts) => parts.get(*i)?,
                every => every,
            },
            Segment::Name(_) => node.get("items").filter(|n| n.is_object())?,
        };
    }
    Some(node)
}

/// The model's JSON Schema at `shape` (as [`schema`] takes it); None where it describes
/// nothing.
fn schema_node(shape: &str) -> Option<&'static serde_json::Value> {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    let mut node = SCHEMA.get_or_init(crate::model::schema::model_schema);
    for part in shape.split('.').filter(|p| !p.is_empty()) {
        let key = part.trim_end_matches("[]");
        node = node.get("properties")?.get(key)?;
        for _ in 0..(part.len() - key.len()) / 2 {
            node = node.get("items")?;
        }
    }
    Some(node)
}

/// Every path a `--set` could name in this document: its values and tables (arrays of
/// tables by position and by name), the optional keys its tables leave out, the derived keys.
/// At most about 5,000: the elements of an array of tables that `near` (the path asked
/// for) goes into come first (helper-252: `trajectories[t4999].valuaton.growth` of 5,000
/// trajectories was sent to `[t49]`, its own element past the list's end).
fn valid_paths(doc: &DocumentMut, near: &str) -> Vec<String> {
    fn walk(table: &dyn TableLike, path: &str, shape: &str, near: &str, out: &mut Vec<String>) {
        if out.len() > 5000 {
            return;
        }
        for (key, item) in table.iter() {
            // Written as a PATH reads it back: a key that is not bare in quotes, a name
            // that would not read back bare quoted (helper-115: `until.Big Co.` and
            // `trajectories[x[1]]` were suggested, and refused when copied).
            let key_text = super::key_segment(key);
            let p = if path.is_empty() {
                key_text
            } else {
                format!("{path}.{key_text}")
            };
            let s = if shape.is_empty() {
                key.to_string()
            } else {
                format!("{shape}.{key}")
            };
            out.push(p.clone());
            match item {
                Item::ArrayOfTables(tables) => {
                    let names: Vec<Option<&str>> = tables
                        .iter()
                        .map(|t| t.get("name").and_then(|n| n.as_str()))
                        .collect();
                    let unique = Unique::of(&names);
                    let goes_into = |i: &usize| {
                        element_forms(&p, *i, unique.name(&names, *i))
                            .iter()
                            .any(|form| {
                                let form = form.to_lowercase();
                                near.len() > form.len()
                                    && near.starts_with(&form)
                                    && matches!(near.as_bytes()[form.len()], b'.' | b'[')
                            })
                    };
                    let (first, rest): (Vec<usize>, Vec<usize>) =
                        (0..tables.len()).partition(goes_into);
                    for i in first.into_iter().chain(rest) {
                        if out.len() > 5000 {
                            return;
                        }
                        let Some(t) = tables.get(i) else { continue };
                        for form in element_forms(&p, i, unique.name(&names, i)) {
                            out.push(form.clone());
                            walk(t, &form, &format!("{s}[]"), near, out);
                        }
                    }
                }
                Item::Value(Value::Array(values)) => {
                    let names: Vec<Option<&str>> = values
                        .iter()
                        .map(|v| {
                            v.as_inline_table()
                                .and_then(|t| t.get("name"))
                                .and_then(|n| n.as_str())
                        })
                        .collect();
                    let unique = Unique::of(&names);
                    for (i, v) in values.iter().enumerate() {
                        if out.len() > 5000 {
                            return;
                        }
                        for form in element_forms(&p, i, unique.name(&names, i)) {
                            out.push(form.clone());
                            match v {
                                Value::InlineTable(t) => {
                                    walk(t, &form, &format!("{s}[]"), near, out)
                                }
                                Value::Array(inner) => {
                                    out.extend((0..inner.len()).map(|j| format!("{form}[{j}]")))
                                }
                                _ => {}
                            }
                        }
                    }
                }
                other => {
                    if let Some(t) = other.as_table_like() {
                        walk(t, &p, &s, near, out);
                    }
                }
            }
        }
        if let Some(Keys::Fixed(keys)) = schema(shape) {
            for key in keys {
                if !table.contains_key(key) {
                    out.push(if path.is_empty() {
                        key.to_string()
                    } else {
                        format!("{path}.{key}")
                    });
                }
            }
        }
    }
    fn element_forms(path: &str, i: usize, name: Option<&str>) -> Vec<String> {
        let mut forms = vec![format!("{path}[{i}]")];
        if let Some(n) = name {
            forms.push(format!("{path}{}", super::name_segment(n.trim())));
        }
        forms
    }
    /// How many elements of an array have each name (trimmed), counted once per array
    /// (helper-133: counting them again for each element was quadratic, and a `--set` on a
    /// model of 20,000 trajectories took 48 s).
    struct Unique<'a>(std::collections::HashMap<&'a str, usize>);
    impl<'a> Unique<'a> {
        fn of(names: &[Option<&'a str>]) -> Self {
            let mut counts = std::collections::HashMap::new();
            for name in names.iter().flatten() {
                *counts.entry(name.trim()).or_insert(0) += 1;
            }
            Unique(counts)
        }
        /// Element `i`'s name where no other element has it (a name two elements share
        /// picks neither: only a position does).
        fn name(&self, names: &[Option<&'a str>], i: usize) -> Option<&'a str> {
            let name = names[i]?.trim();
            (self.0.get(name) == Some(&1)).then_some(name)
        }
    }
    let mut out = Vec::new();
    walk(doc.as_table(), "", "", &near.to_lowercase(), &mut out);
    for d in Derived::ALL {
        out.push(d.as_str().to_string());
        for name in trajectory_names(doc) {
            out.push(format!("{}{}", d.as_str(), super::name_segment(&name)));
        }
    }
    out
}

/// The valid path nearest to `path` by edit distance; a path that only lacks its table
/// (`stake` for `equity.stake`) finds it.
fn nearest_path<'a>(path: &str, candidates: &'a [String], past_a_value: bool) -> Option<&'a str> {
    let lengths = candidates.iter().map(|c| c.chars().count());
    if crate::model::too_long_to_be_a_slip(path, lengths) {
        return None;
    }
    let lower = path.to_lowercase();
    let suffix = format!(".{lower}");
    if let Some(c) = candidates
        .iter()
        .find(|c| c.to_lowercase().ends_with(&suffix))
    {
        return Some(c);
    }
    // A key written as a plural (`stakes`, `valuations`): the path that ends with its
    // singular, as the suffix above (by edit distance `valuations` was nearest `simulation`).
    if let Some(singular) = lower
        .strip_suffix('s')
        .filter(|s| s.chars().count() >= 3 && !s.contains(['.', '[']))
    {
        let suffix = format!(".{singular}");
        if let Some(c) = candidates.iter().find(|c| {
            let c = c.to_lowercase();
            c == singular || c.ends_with(&suffix)
        }) {
            return Some(c);
        }
    }
    // A last key written short (`equity.payout` for `equity.dividend_payout`): the one key of
    // the same table that holds it, as the file's unknown keys are told. Not a key with an
    // index (`contributions[0][2]` holds `contributions`, but the nearest path is the pair's
    // `[0][1]`, not the whole array; helper-94).
    if let Some((table, key)) = path.rsplit_once('.')
        && !key.contains('[')
    {
        let prefix = format!("{}.", table.to_lowercase());
        let keys: Vec<&str> = candidates
            .iter()
            .filter_map(|c| {
                let rest = c.get(prefix.len()..)?;
                (c.to_lowercase().starts_with(&prefix) && !rest.contains(['.', '[']))
                    .then_some(c.as_str())
            })
            .collect();
        let last: Vec<&str> = keys.iter().map(|c| &c[prefix.len()..]).collect();
        if let Some(found) = crate::model::part_of_one(key, &last)
            && let Some(i) = last.iter().position(|k| *k == found)
        {
            return Some(keys[i]);
        }
    }
    // A table written without its key (`scale` for `scale.valuation`): its first key.
    if let Some(c) = candidates.iter().find(|c| {
        let c = c.to_lowercase();
        c.starts_with(&format!("{lower}.")) || c.starts_with(&format!("{lower}["))
    }) {
        return Some(c);
    }
    // A path that writes an element's index or name as a key (`trajectories.base.agi_year`,
    // `tiers.1.until`): the path that writes it in brackets (helper-192: the nearest was the
    // array itself, `trajectories`, whose `--set` replaces every trajectory).
    let dotted = |p: &str| p.to_lowercase().replace('[', ".").replace(']', "");
    let as_dotted = dotted(path);
    if let Some(c) = candidates.iter().find(|c| dotted(c) == as_dotted) {
        return Some(c);
    }
    // A key written one step too deep (`valuation.points.growth`): the key beside the step
    // (`valuation.growth`), not the value the path went past.
    let is_index = |step: &str| step.bytes().all(|b| b.is_ascii_digit());
    if let Some((above, last)) = as_dotted.rsplit_once('.')
        && let Some((table, step)) = above.rsplit_once('.')
        && !is_index(last)
        && !is_index(step)
    {
        let beside = format!("{table}.{last}");
        if let Some(c) = candidates.iter().find(|c| dotted(c) == beside) {
            return Some(c);
        }
    }
    // An element's key written without the element (`equity.rounds.pre_money`,
    // `trajectories.agi_year`): the nearest path within the first element (helper-249: it
    // was the array itself, which a number cannot set). Once: the path tried has an index
    // where the array was, so no prefix of it names the array again.
    // Among the first element's paths only: the other elements' are as near and many
    // (250,000 trajectories), and the search among all of them took a second a thousand.
    if past_a_value {
        let arrays: std::collections::HashSet<String> = candidates
            .iter()
            .filter_map(|c| c.split_once("[0].").map(|(array, _)| array.to_lowercase()))
            .collect();
        for (i, _) in path.match_indices('.') {
            let array = path[..i].to_lowercase();
            if !arrays.contains(&array) {
                continue;
            }
            let first = format!("{array}[0].");
            let within: Vec<String> = candidates
                .iter()
                .filter(|c| c.to_lowercase().starts_with(&first))
                .cloned()
                .collect();
            let within_first = format!("{}[0]{}", &path[..i], &path[i..]);
            // The longest valid path it goes on past (`[0].pre_money` for `[0].pre_money.x`,
            // `[0].until` for `[0].until.x`), unless the spelling finds a key deeper inside
            // that one (`[0].valuation.growth` for `[0].valuation.grwth`, where the longest
            // is `[0].valuation`: helper-251); an element of a list beside it is no nearer
            // (`points[7]` for `points.x`, `[0].name` for `until.x`: helper-252).
            let shallow = nearest_path(&within_first, &within, true);
            let deep = nearest_path(&within_first, &within, false);
            let found = match (shallow, deep) {
                (Some(shallow), Some(deep))
                    if deep
                        .to_lowercase()
                        .starts_with(&format!("{}.", shallow.to_lowercase())) =>
                {
                    Some(deep)
                }
                (Some(shallow), _) => Some(shallow),
                (None, deep) => deep,
            };
            if let Some(found) = found
                && let Some(c) = candidates.iter().find(|c| *c == found)
            {
                return Some(c);
            }
        }
    }
    // A path that goes on past a value with nothing inside it (`contributions[0][1][0]`,
    // where `[0][1]` holds a number; `past_a_value`, as the error said): that value's
    // path, the longest that the path goes on past (helper-175: the spelling's nearest was
    // `contributions[1][0]`, another pair's year).
    if past_a_value
        && let Some(c) = candidates
            .iter()
            .filter(|c| {
                let c = c.to_lowercase();
                lower.len() > c.len()
                    && lower.starts_with(&c)
                    && matches!(lower.as_bytes()[c.len()], b'[' | b'.')
            })
            .max_by_key(|c| c.len())
    {
        return Some(c);
    }
    // Of paths as near, the greater: an index past the end is nearest the last
    // (`contributions[0][2]`: `[0][1]`, not `[0][0]`). The search is bounded
    // ([`BoundedSearch`](crate::error::BoundedSearch)): a typo in a path of a series of
    // 192,000 points was measured against each point's three paths, 30 s (helper-97).
    let length = lower.chars().count();
    let mut search = crate::error::BoundedSearch::default();
    let mut best: Option<(usize, usize, std::cmp::Reverse<&'a str>)> = None;
    for c in candidates {
        let candidate = c.to_lowercase();
        // Not a table or array the path goes into (`equity` for `equity.zzz`): the error
        // has said it has no such key, and a `--set` of it replaces the whole.
        if lower.len() > candidate.len()
            && lower.starts_with(&candidate)
            && matches!(lower.as_bytes()[candidate.len()], b'.' | b'[')
        {
            continue;
        }
        let n = candidate.chars().count();
        let Some(d) = search.distance(&lower, length, &candidate, n, best.map(|b| b.0)) else {
            continue;
        };
        let key = (d, c.len(), std::cmp::Reverse(c.as_str()));
        if best.as_ref().is_none_or(|b| key < *b) {
            best = Some(key);
        }
        if search.spent() {
            break;
        }
    }
    best.map(|(_, _, std::cmp::Reverse(c))| c)
}

/// The model's `trajectories_csv` as the document has it at this point, its `.` steps
/// left out, so that `./t.csv` and `t.csv` name one file (helper-121: a derived key before
/// `--set trajectories_csv="./t.csv"` of the file the model named was not applied to it).
fn csv_path(doc: &DocumentMut) -> Option<std::path::PathBuf> {
    doc.get("trajectories_csv").and_then(Item::as_str).map(|p| {
        std::path::Path::new(p)
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    })
}

/// Whether the document's `trajectories` has one named `name` (trimmed, as the model reads
/// names).
fn has_trajectory(doc: &DocumentMut, name: &str) -> bool {
    let named = |t: &dyn TableLike| {
        t.get("name")
            .and_then(|n| n.as_str())
            .is_some_and(|n| n.trim() == name)
    };
    match doc.get("trajectories") {
        Some(Item::ArrayOfTables(a)) => a.iter().any(|t| named(t)),
        Some(Item::Value(Value::Array(a))) => a
            .iter()
            .any(|v| v.as_inline_table().is_some_and(|t| named(t))),
        _ => false,
    }
}

fn trajectory_names(doc: &DocumentMut) -> Vec<String> {
    let Some(item) = doc.get("trajectories") else {
        return Vec::new();
    };
    let name = |t: &dyn TableLike| {
        t.get("name")
            .and_then(|n| n.as_str())
            .map(|s| s.trim().to_string())
    };
    match item {
        Item::ArrayOfTables(a) => a.iter().filter_map(|t| name(t)).collect(),
        Item::Value(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_inline_table().and_then(|t| name(t)))
            .collect(),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Derived keys.

/// The series a derived key changes.
fn series_key(kind: Derived) -> &'static str {
    match kind {
        Derived::ScaleValuation => "valuation",
        Derived::ScaleRevenue => "revenue",
        Derived::ShiftMargin => "margin",
    }
}

fn apply_derived_to_document(
    doc: &mut DocumentMut,
    kind: Derived,
    name: Option<&str>,
    only: Option<Vec<usize>>,
    amount: Decimal,
    touched: &mut Vec<String>,
) {
    let start_year = doc
        .get("start_year")
        .and_then(Item::as_value)
        .and_then(year_of);
    let Some(item) = doc.get_mut("trajectories") else {
        return;
    };
    let key = series_key(kind);
    let visit = |i: usize, t: &mut dyn TableLike, touched: &mut Vec<String>| {
        let this = t.get("name").and_then(|n| n.as_str()).map(str::trim);
        if name.is_some_and(|n| this != Some(n)) {
            return;
        }
        touched.push(format!("trajectories[{i}].{key}"));
        let Some(points) = t
            .get_mut(key)
            .and_then(|s| s.as_table_like_mut())
            .and_then(|s| s.get_mut("points"))
            .and_then(|p| p.as_array_mut())
        else {
            return;
        };
        let Some(pairs) = read_points(points) else {
            return;
        };
        let Some(changed) = derive_series(kind, &pairs, amount, start_year) else {
            return;
        };
        let mut array = toml_edit::Array::new();
        for (year, value) in changed {
            let mut pair = toml_edit::Array::new();
            pair.push(i64::from(year));
            pair.push_formatted(
                super::decimal_literal(value)
                    .parse::<Value>()
                    .expect("a decimal is a TOML number"),
            );
            array.push(pair);
        }
        *points = array;
    };
    // Every trajectory, or those `only` names (by the index: a scan of every name for each
    // derived key made 9,000 of them on 9,000 trajectories take 20 s).
    let chosen = |len: usize| only.clone().unwrap_or_else(|| (0..len).collect());
    match item {
        Item::ArrayOfTables(a) => {
            for i in chosen(a.len()) {
                if let Some(t) = a.get_mut(i) {
                    visit(i, t, touched);
                }
            }
        }
        Item::Value(Value::Array(a)) => {
            for i in chosen(a.len()) {
                if let Some(t) = a.get_mut(i).and_then(Value::as_inline_table_mut) {
                    visit(i, t, touched);
                }
            }
        }
        _ => {}
    }
}

/// `[[year, value], ...]` as written; None if any entry is not such a pair (the model's own
/// check then says what is wrong, unchanged).
fn read_points(points: &toml_edit::Array) -> Option<Vec<(Year, Decimal)>> {
    points
        .iter()
        .map(|pair| {
            let pair = pair.as_array()?;
            if pair.len() != 2 {
                return None;
            }
            Some((year_of(pair.get(0)?)?, number_of(pair.get(1)?)?))
        })
        .collect()
}

/// A year as the model reads one: a whole number in the years' range, written with or
/// without a decimal point (`2023.0`; helper-192: a series with such a year was left
/// unscaled, silently, while the file took it). None for anything the model refuses.
fn year_of(value: &Value) -> Option<Year> {
    crate::model::whole_year(number_of(value)?)
}

/// A series' points after a derived key: values times the scale, or margins plus the shift.
/// A margin is 0 before its first point (SPEC 2), and the shift applies to every year: where
/// the points start after `first_year`, two points hold the shifted 0 from `first_year` up
/// to the year before the first point. `first_year` None: the points' own first year.
/// None where a product is too large to hold.
pub fn derive_series(
    kind: Derived,
    points: &[(Year, Decimal)],
    amount: Decimal,
    first_year: Option<Year>,
) -> Option<Vec<(Year, Decimal)>> {
    match kind {
        Derived::ScaleValuation | Derived::ScaleRevenue => points
            .iter()
            .map(|(y, v)| Some((*y, super::fit_model_digits(v.checked_mul(amount)?))))
            .collect(),
        Derived::ShiftMargin => {
            let mut out = Vec::with_capacity(points.len() + 2);
            if let (Some(start), Some((first, _))) = (first_year, points.first())
                && start < *first
            {
                out.push((start, amount));
                if first - 1 > start {
                    out.push((first - 1, amount));
                }
            }
            for (y, v) in points {
                out.push((*y, super::fit_model_digits(v.checked_add(amount)?)));
            }
            Some(out)
        }
    }
}

/// Rewrites the rows of a `trajectories_csv` text as the derived keys say, in order; returns
/// the text and the trajectory names it holds. A cell that is not a number is left as it is
/// (the model's check of the file reports it).
fn patch_csv(
    text: &str,
    derived: &[(&Override, Derived, Option<String>, Decimal)],
) -> (String, Vec<String>) {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let Some(Ok(header)) = records.next() else {
        return (text.to_string(), Vec::new());
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let (Some(c_name), Some(c_revenue), Some(c_profit), Some(c_valuation)) = (
        column("trajectory"),
        column("revenue"),
        column("profit"),
        column("valuation"),
    ) else {
        return (text.to_string(), Vec::new());
    };
    // A compute spend given as an amount follows revenue under `scale.revenue`, as a series
    // trajectory's (a share of revenue) does, and as a simulation's does (SPEC 13).
    let c_spend = column("cloud_spend");
    // The rows are the file's own bytes where no derived key changed them, and a changed
    // row keeps its lines (helper-192: the rows were written again, the blank lines
    // dropped, and an error in a row after them was placed at a line the file does not
    // have). A record's first byte: past the line ends before it, where its reading
    // starts.
    let start_of = |record: &csv::StringRecord| {
        let from = usize::try_from(record.position()?.byte()).ok()?;
        let rest = text.get(from..)?;
        Some(from + rest.len() - rest.trim_start_matches(['\r', '\n']).len())
    };
    // Line ends as the file's check counts them: LF, CRLF (at its LF), a CR alone.
    let line_ends = |s: &str| {
        let b = s.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
            .count()
    };
    // (Up to the first row: anything above the header, and the header itself.)
    let mut copied_to = 0;
    let mut out = String::with_capacity(text.len());
    // A changed row to write, and where its record starts.
    let mut pending: Option<(String, usize)> = None;
    // The changed row in place of the file's text from its first byte to `end`, the next
    // record's: the row, then as many line ends as the file had there.
    let write_changed = |out: &mut String, (row, start): (String, usize), end: usize| {
        let Some(was) = text.get(start..end) else {
            return false;
        };
        out.push_str(&row);
        for _ in line_ends(&row)..line_ends(was) {
            out.push('\n');
        }
        true
    };
    let mut names: Vec<String> = Vec::new();
    // Which names are in `names`: a search of it for each row took time in rows times
    // trajectories (20,000 trajectories: 5 s; helper-97).
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for record in records {
        let Ok(record) = record else {
            // Leave a file the reader cannot take apart to the model's own check.
            return (text.to_string(), names);
        };
        let Some(start) = start_of(&record) else {
            return (text.to_string(), names);
        };
        let written = match pending.take() {
            Some(changed) => write_changed(&mut out, changed, start),
            None => text
                .get(copied_to..start)
                .map(|s| out.push_str(s))
                .is_some(),
        };
        if !written {
            return (text.to_string(), names);
        }
        copied_to = start;
        let mut cells: Vec<String> = record.iter().map(str::to_string).collect();
        let mut changed = false;
        let name = cells.get(c_name).cloned().unwrap_or_default();
        if seen.insert(name.clone()) {
            names.push(name.clone());
        }
        // A cell read as the file's check reads it: one that check refuses (`1_000`, 29
        // digits) is left as written for it to refuse (helper-192: `Decimal`'s own reading
        // took both, and rounded the second, under `scale.revenue=1`).
        let cell = |cells: &[String], c: usize| {
            cells
                .get(c)
                .and_then(|s| crate::model::parse_csv_number(s).ok())
        };
        for (_, kind, target, amount) in derived {
            if target.as_ref().is_some_and(|t| *t != name) {
                continue;
            }
            let mut set = |cells: &mut Vec<String>, c: usize, v: Option<Decimal>| {
                if let (Some(v), Some(slot)) = (v, cells.get_mut(c)) {
                    let literal = super::decimal_literal(v);
                    changed |= *slot != literal;
                    *slot = literal;
                }
            };
            match kind {
                Derived::ScaleValuation => {
                    let v = cell(&cells, c_valuation).and_then(|v| v.checked_mul(*amount));
                    set(&mut cells, c_valuation, v);
                }
                Derived::ScaleRevenue => {
                    let r = cell(&cells, c_revenue).and_then(|v| v.checked_mul(*amount));
                    let p = cell(&cells, c_profit).and_then(|v| v.checked_mul(*amount));
                    set(&mut cells, c_revenue, r);
                    set(&mut cells, c_profit, p);
                    if let Some(c_spend) = c_spend {
                        let s = cell(&cells, c_spend).and_then(|v| v.checked_mul(*amount));
                        set(&mut cells, c_spend, s);
                    }
                }
                Derived::ShiftMargin => {
                    // margin = profit / revenue, so margin + s means profit + s * revenue.
                    let p = match (cell(&cells, c_profit), cell(&cells, c_revenue)) {
                        (Some(p), Some(r)) => r.checked_mul(*amount).and_then(|x| p.checked_add(x)),
                        _ => None,
                    };
                    set(&mut cells, c_profit, p);
                }
            }
        }
        if changed {
            pending = Some((csv_row(&cells), start));
        }
    }
    let written = match pending.take() {
        Some(changed) => write_changed(&mut out, changed, text.len()),
        None => text.get(copied_to..).map(|s| out.push_str(s)).is_some(),
    };
    if !written {
        return (text.to_string(), names);
    }
    (out, names)
}

/// `cells` as one CSV row with its line end, quoted as the csv crate quotes where needed
/// (a cell holding `,`, `"`, CR or LF; `"` doubled). (A writer a row, with its buffer,
/// cost a third of the time of rewriting a 50 MB CSV; helper-194.)
fn csv_row(cells: &[String]) -> String {
    let mut row = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            row.push(',');
        }
        if cell.contains([',', '"', '\r', '\n']) {
            row.push('"');
            row.push_str(&cell.replace('"', "\"\""));
            row.push('"');
        } else {
            row.push_str(cell);
        }
    }
    row.push('\n');
    row
}

/// The model's warnings, each worded as the command line shows it (docs/MODEL.md 17):
/// - one about a value an override wrote is that override's, but where that override is a
///   shift or a scale and the file alone has the warning word for word (the value left as
///   it is): then the file's; a shift's or a scale's own value is told without the slip's
///   advice;
/// - any other is placed in the file as written (the patched text's lines can differ from
///   it), with the overrides listed where the file alone does not have it word for word,
///   as an error is (helper-240: a tier left without `until` by a `--set` of the tier
///   before it was warned of at the file's line as if the file had it).
///
/// The file is read for places once, whatever the number of warnings, and read as a model
/// again at most once, where it is small enough to read twice.
fn placed_warnings(
    label: &str,
    text: &str,
    warnings: &[ModelIssue],
    overrides: &[Override],
    applied: &[Applied],
    load: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Vec<String> {
    let lines = LineStarts::new(text);
    let spans = (!warnings.is_empty())
        .then(|| toml_edit::Document::parse(text).ok())
        .flatten();
    // Whether the file alone has `w` itself (`exactly`: the same field and words), or one
    // of its kind about the same thing (a value a shift moved that the file had past the
    // bound too). Its warnings are read once, where first needed; None where they cannot be
    // known (a file too large to read twice, or one invalid alone: helper-242, whose own
    // warnings were then all said to come with the sets).
    let mut file_alone: Option<Option<Vec<ModelIssue>>> = None;
    let mut the_files_own = |w: &ModelIssue, exactly: bool| -> Option<bool> {
        let alone = file_alone.get_or_insert_with(|| {
            (text.len() <= WARNINGS_READ_AGAIN_BYTES)
                .then(|| parse_model(ModelSource { text, load }).ok())
                .flatten()
                .map(|model| model.warnings)
        });
        alone.as_ref().map(|alone| {
            alone.iter().any(|a| {
                if exactly {
                    a.field == w.field && a.message == w.message
                } else {
                    same_kind(a, w)
                }
            })
        })
    };
    let derived = overrides.iter().any(Override::is_derived);
    let mut placed = Vec::with_capacity(warnings.len());
    for w in warnings {
        // The last `--set` that wrote the value, unless it restates the file's own value
        // (helper-136, -140).
        let owner = overrides
            .iter()
            .zip(applied)
            .rev()
            .find(|(_, a)| {
                a.touched
                    .iter()
                    .any(|t| concerns(&w.field, t) != Concern::None)
            })
            .filter(|(o, _)| !restates_the_file(text, o));
        // A warning the file alone has word for word, on a value only a shift or a scale
        // touched, is the file's, at its line and with its advice (helper-244:
        // `scale.revenue=2` took the file's "5 is a yearly rate of 500%" of a growth it
        // leaves as it is, and its "if you meant 5%"; a zero shift the same). A set that
        // wrote the value, or its table, owns what it causes however the words come out
        // (helper-245).
        if owner.is_some_and(|(o, _)| o.is_derived()) && the_files_own(w, true) == Some(true) {
            let mut issue = ModelIssue::new(w.field.clone(), w.message.clone());
            issue.span = spans.as_ref().and_then(|doc| locate_in(doc, &w.field));
            placed.push(Error::model_in(label, &lines, issue).to_string());
            continue;
        }
        placed.push(match owner {
            Some((o, _)) => {
                // A shift or a scale moved the value there: "if you meant 105%" is no
                // advice for a number the user did not write (helper-240), unless the file
                // has the same warning itself (helper-242: a margin of 1.5 shifted by 0.01).
                let message = if o.is_derived() {
                    let also = if the_files_own(w, false) == Some(true) {
                        "; the file's own value there is warned of too"
                    } else {
                        "; this --set moved it there"
                    };
                    format!("{}{also}", without_slip_advice(&w.message))
                } else {
                    w.message.clone()
                };
                Error::from(OverrideError::new(&o.origin, w.field.clone(), message)).to_string()
            }
            None => {
                // (Word for word: a warning the file has with other figures is the sets'
                // as much as the file's, helper-243: a shifted CSV margin told as the file's
                // with its "check the profit column", the 25 a set gave told beside the
                // file's line that says 13.)
                let message = if overrides.is_empty() || the_files_own(w, true) != Some(false) {
                    w.message.clone()
                } else if derived {
                    // A shift's or a scale's values in a CSV: "check the profit column" is
                    // no advice for what the file does not hold (helper-242); where the file
                    // has the same slip (the same trajectory, kind and year), that is said
                    // (helper-244: a scale of revenue keeps a CSV's margin of 10).
                    let also = if the_files_own(w, false) == Some(true) {
                        "; the file's own value there is warned of too"
                    } else {
                        ""
                    };
                    format!(
                        "{}{also} (with {})",
                        without_slip_advice(&w.message),
                        listed_sets(overrides)
                    )
                } else {
                    format!("{} (with {})", w.message, listed_sets(overrides))
                };
                let mut issue = ModelIssue::new(w.field.clone(), message);
                issue.span = spans.as_ref().and_then(|doc| locate_in(doc, &w.field));
                Error::model_in(label, &lines, issue).to_string()
            }
        });
    }
    placed
}

/// Whether two warnings are of one kind about one thing: the same series (a shift writes a
/// point every year, so the file's `points[6]` is the shifted `points[8]`), the same words
/// up to the first digit, and the same first year (`in 2035`) where they name one
/// (helper-242: a margin of 1.5 in the file, 1.51 shifted), digits inside backticks not
/// counted (helper-243: a CSV file named `d1.csv` made every CSV warning one kind). Only
/// for the values a shift or a scale made.
fn same_kind(a: &ModelIssue, b: &ModelIssue) -> bool {
    let words = |m: &str| {
        let mut quoted = false;
        let end = m
            .char_indices()
            .find(|&(_, c)| {
                if c == '`' {
                    quoted = !quoted;
                }
                !quoted && c.is_ascii_digit()
            })
            .map_or(m.len(), |(i, _)| i);
        m[..end].to_string()
    };
    let year = |m: &str| {
        m.match_indices(" in ")
            .map(|(at, _)| &m[at + 4..])
            .find(|rest| rest.len() >= 4 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit))
            .map(|rest| rest[..4].to_string())
    };
    series_of(&a.field) == series_of(&b.field)
        && words(&a.message) == words(&b.message)
        && year(&a.message) == year(&b.message)
}

/// The overrides as an error or a warning lists them: the first, as many as fit in about
/// [`LISTED_SETS_WIDTH`] characters, each cut to [`LISTED_SET_CHARS`], then how many more
/// (helper-242: 4,000 were listed whole; helper-243: one `--set name=...` of 20,000
/// characters filled the message).
pub(crate) fn listed_sets(overrides: &[Override]) -> String {
    let mut listed: Vec<String> = Vec::new();
    let mut width = 0;
    for o in overrides {
        let shown: String = if o.origin.chars().count() > LISTED_SET_CHARS {
            let start: String = o.origin.chars().take(LISTED_SET_CHARS).collect();
            format!("{start}...")
        } else {
            o.origin.clone()
        };
        // (Counted in characters, as a reader sees them: helper-244.)
        let chars = shown.chars().count();
        if !listed.is_empty() && width + chars > LISTED_SETS_WIDTH {
            break;
        }
        width += chars + 2;
        listed.push(shown);
    }
    match overrides.len() - listed.len() {
        0 => listed.join(", "),
        n => format!("{} and {n} more `--set`", listed.join(", ")),
    }
}

/// About how many characters of overrides [`listed_sets`] lists before it counts the rest.
const LISTED_SETS_WIDTH: usize = 600;

/// The most characters of one override [`listed_sets`] shows.
const LISTED_SET_CHARS: usize = 100;

/// The largest model file whose warnings are read again without its overrides, to tell
/// those the overrides brought (a file's model takes about 100 times its size to read: the
/// largest files under the bound are read once).
const WARNINGS_READ_AGAIN_BYTES: usize = 1 << 20;

/// `message` without its advice on what the slip may have been (`: if you meant 105%,
/// write 1.05`, `; ... check the profit column`), for a value a shift or a scale made.
fn without_slip_advice(message: &str) -> String {
    // (Not "check the year": a scale moves no year, helper-243.)
    let cut = [
        "if you meant ",
        "; a margin above 1 or below -10",
        "; check the cloud_spend column",
    ]
    .iter()
    .filter_map(|advice| message.find(advice))
    .min();
    match cut {
        Some(at) => message[..at].trim_end_matches([' ', ':', ';']).to_string(),
        None => message.to_string(),
    }
}

/// Whether override `o` writes a plain value (a number, a text, a flag) that the file
/// already holds at its path, in any spelling (`2024`, `2_024`, `0x7E8`; `0.1`, `1e-1`): a
/// `--set` that changed nothing. One that writes a table or an array is never taken for
/// one, even where the value a warning is about comes out the same (helper-140: a `--set`
/// of all the tiers changed the cap a warning compared with, not the one it named).
fn restates_the_file(file_text: &str, o: &Override) -> bool {
    let Some(held) = value_in_document(file_text, &o.path) else {
        return false;
    };
    let Ok(given) = o.value.trim().parse::<Value>() else {
        return false;
    };
    match (&held, &given) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        _ => number_of(&held)
            .zip(number_of(&given))
            .is_some_and(|(x, y)| x == y),
    }
}

/// A warning or a command's own error about `field` (whose value comes from the keys `at`,
/// the first the one it is placed at in the file) worded as the model's own are (as
/// `placed_warnings` places them): of the last overrides to write each key of `at` (or a
/// table holding it), the latest that does not restate the file's own plain value at its
/// path is its owner; else it is placed at `at[0]` in `file_text`, the file as written.
/// (A command's error too: helper-168, simulate's weights left with nothing to draw named
/// the file where a `--set` had set them.)
pub fn place_error(
    label: &str,
    file_text: &str,
    overrides: &[Override],
    field: &str,
    at: &[&str],
    message: String,
) -> Error {
    // The owner wrote a value the warning is about, as its path reads once parsed
    // (`"simulation"."from_year"` is `simulation.from_year`); not one that only touched
    // the table (helper-129: `simulation={seed=3}` was taken for the owner of a first
    // random year that came from `valuation_year`); nor one that restates the file's own
    // value, in any spelling, also where it puts back what an earlier one changed
    // (helper-131, -136: `--set end_year=2045` on a file of 2045 took a warning about the
    // file's own years).
    // Each override's path rendered once (a weight's key trimmed, as the model reads it:
    // `simulation.weights."base "` sets `base`'s; helper-171), and the file read once per
    // override that could own it, the latest first (one parse a key made simulate's
    // weights error take 21 s for 300 chosen trajectories of a 30 MB model: helper-171).
    let rendered: Vec<Option<String>> = overrides
        .iter()
        .map(|o| match &o.path.target {
            Target::Key(segments) => {
                let mut segments = segments.clone();
                if let [Segment::Key(a), Segment::Key(b), Segment::Key(name), ..] =
                    segments.as_mut_slice()
                    && a == "simulation"
                    && b == "weights"
                {
                    *name = name.trim().to_string();
                }
                Some(super::render_segments(&segments))
            }
            Target::Derived(..) => None,
        })
        .collect();
    // The candidates, latest first: each override that is the last to concern one of the
    // keys (its value, a table holding it, or a value within it), found without comparing
    // every key with every override (20,000 chosen trajectories of a simulation against
    // 10,000 `--set` took minutes: helper-171): the keys sorted, so that a table's keys are
    // one range of them, and each key claimed by its last override once.
    let keys: std::collections::BTreeSet<&str> = at.iter().copied().collect();
    let mut claimed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut owner = None;
    for (i, r) in rendered.iter().enumerate().rev() {
        if claimed.len() == keys.len() {
            break;
        }
        let Some(r) = r.as_deref() else { continue };
        // The keys it concerns: itself; those inside it, a range of the sorted keys; a key
        // it lies inside, one of its ancestors.
        let mut concerned: Vec<&str> = keys.get(r).copied().into_iter().collect();
        for start in [format!("{r}."), format!("{r}[")] {
            let from = std::ops::Bound::Included(start.as_str());
            concerned.extend(
                keys.range::<str, _>((from, std::ops::Bound::Unbounded))
                    .take_while(|k| k.starts_with(start.as_str()))
                    .copied(),
            );
        }
        concerned.extend(
            r.char_indices()
                .filter(|(_, c)| matches!(c, '.' | '['))
                .filter_map(|(end, _)| keys.get(&r[..end]).copied())
                .filter(|k| concerns(k, r) != Concern::None),
        );
        let last_for_some = concerned.iter().any(|k| !claimed.contains(k));
        claimed.extend(concerned);
        if last_for_some && !restates_the_file(file_text, &overrides[i]) {
            owner = Some(&overrides[i]);
            break;
        }
    }
    match owner {
        Some(o) => Error::from(OverrideError::new(&o.origin, field.to_string(), message)),
        None => {
            let mut issue = ModelIssue::new(field.to_string(), message);
            issue.span = at.first().and_then(|key| locate(file_text, key));
            Error::model(label, file_text, issue)
        }
    }
}

/// Where the value at a canonical path (`trajectories[0].agi_year`) stands in `text`.
pub fn locate(text: &str, field: &str) -> Option<Range<usize>> {
    locate_in(&toml_edit::Document::parse(text).ok()?, field)
}

/// [`locate`] in a document already parsed (with its spans).
fn locate_in(doc: &toml_edit::Document<&str>, field: &str) -> Option<Range<usize>> {
    let segments = OverridePath::parse(field)
        .ok()
        .and_then(|p| match p.target {
            Target::Key(s) => Some(s),
            Target::Derived(..) => None,
        })?;
    enum At<'a> {
        Item(&'a Item),
        Table(&'a Table),
        Value(&'a Value),
    }
    let mut at = At::Table(doc.as_table());
    let mut span = None;
    for s in &segments {
        // A step the document lacks (a required key missing from its table) is placed at
        // the nearest enclosing one that it has: the table that should hold the key.
        let next = match (at, s) {
            (At::Item(i), Segment::Key(k)) => {
                i.as_table_like().and_then(|t| t.get(k)).map(At::Item)
            }
            (At::Table(t), Segment::Key(k)) => t.get(k).map(At::Item),
            (At::Value(Value::InlineTable(t)), Segment::Key(k)) => t.get(k).map(At::Value),
            (At::Item(Item::ArrayOfTables(a)), Segment::Index(i)) => a.get(*i).map(At::Table),
            (At::Item(Item::Value(Value::Array(a))), Segment::Index(i))
            | (At::Value(Value::Array(a)), Segment::Index(i)) => a.get(*i).map(At::Value),
            _ => None,
        };
        let Some(next) = next else {
            return span;
        };
        at = next;
        span = match &at {
            At::Item(i) => i.span(),
            At::Table(t) => t.span(),
            At::Value(v) => v.span(),
        }
        .or(span);
    }
    span
}

/// The path a `--vary` or `--set` names, checked against the document without changing
/// it: the canonical form (indexes for names), or an error naming the nearest valid path.
/// A derived key is not checked here (its trajectory may be the CSV's or a later
/// `--set`'s): it gets its one spelling, the name bare where `--set` reads it so.
pub fn canonical_path(
    text: &str,
    origin: &str,
    path: &OverridePath,
) -> Result<String, OverrideError> {
    canonical_path_among(text, origin, path, false)
}

/// [`canonical_path`] for a command that varies a number (`sweep`, `solve`, `tornado`): the
/// nearest valid path it names is one that holds a number (helper-169: `solve nosuch.key`
/// was sent to `name`, a text that cannot be solved for).
pub fn canonical_number_path(
    text: &str,
    origin: &str,
    path: &OverridePath,
) -> Result<String, OverrideError> {
    canonical_path_among(text, origin, path, true)
}

/// Whether `candidate`, a path as [`valid_paths`] lists it, holds a number by the model's
/// schema (a derived key does).
fn holds_a_number(candidate: &str) -> bool {
    let is_number = |node: &serde_json::Value| {
        let kind = |t: &serde_json::Value| matches!(t.as_str(), Some("number" | "integer"));
        match node.get("type") {
            Some(serde_json::Value::Array(kinds)) => kinds.iter().any(kind),
            Some(t) => kind(t),
            None => false,
        }
    };
    match OverridePath::parse(candidate) {
        Ok(OverridePath {
            target: Target::Derived(..),
            ..
        }) => true,
        Ok(OverridePath {
            target: Target::Key(segments),
            ..
        }) => match segments.as_slice() {
            // An element of a pair (`investor.contributions[0][1]`, a series' `points[3][1]`),
            // which the schema gives by its place in the pair (helper-170: such paths were
            // left out, and `solve investor.contributons[0][1]` was sent to `shift.margin`).
            [array @ .., Segment::Index(_), Segment::Index(j)] if !array.is_empty() => {
                schema_node(&shape_of(array))
                    .and_then(|node| node.get("items")?.get("items")?.as_array()?.get(*j))
                    .is_some_and(is_number)
            }
            _ => schema_node(&shape_of(&segments)).is_some_and(is_number),
        },
        Err(_) => false,
    }
}

fn canonical_path_among(
    text: &str,
    origin: &str,
    path: &OverridePath,
    numbers_only: bool,
) -> Result<String, OverrideError> {
    let segments = match &path.target {
        Target::Key(segments) => segments,
        // One spelling of a derived key, whether its name was bare, quoted or an index
        // (helper-131: `scale.valuation[tail]` and `scale.valuation["tail"]` were two
        // inputs to tornado and sweep).
        Target::Derived(derived, name) => {
            let name = name.as_deref().map(super::name_segment);
            return Ok(format!("{}{}", derived.as_str(), name.unwrap_or_default()));
        }
    };
    let Ok(mut doc) = text.parse::<DocumentMut>() else {
        return Ok(path.text.clone());
    };
    // Set the value to itself (or a placeholder): the walk is the check. The valid paths,
    // for the nearest, only where it fails: listed every time, they cost a document of
    // 400,000 points more than a sweep's runs (helper-149).
    let checked = set_value(
        doc.as_table_mut(),
        segments,
        Value::from(0i64),
        &mut NameIndex::default(),
    );
    checked.map_err(|m| {
        let mut candidates = valid_paths(&doc, &path.text);
        // The derived keys are paths too (`scale` was told `name`; helper-94).
        candidates.extend(super::Derived::ALL.map(|d| d.as_str().to_string()));
        if numbers_only {
            candidates.retain(|c| holds_a_number(c));
        }
        wrong_path(origin, &path.text, &candidates, &m)
    })
}

/// A path the document does not have: `message`, and the nearest valid path (unless that
/// is the path itself, as for a name two entries share).
fn wrong_path(origin: &str, path: &str, candidates: &[String], message: &str) -> OverrideError {
    // A name two entries share is answered by the positions it names, not by a path to
    // one of them picked here.
    let ambiguous = message.contains("more than one entry named");
    // A key of a table the file lacks is a valid path: the way to it is the table, set
    // whole or added to the file, which the message says; the nearest path by spelling
    // pointed elsewhere (`cloud.margin` without `[cloud]` was sent to `shift.margin`), and
    // the table itself is no number for sweep, solve or tornado (helper-150).
    let missing_table = message.contains("` is not in the model; --set adds a key only");
    // A position counted from the end (`[-1]`): the nearest by spelling is `[1]`, the
    // second entry, not the last (helper-161).
    let negative = message.contains("positions count from [0] up");
    // A path that goes on past a number or a text (`contributions[0][1][0]`).
    let past_a_value = [
        ", not an array, so it has no [",
        ", not a table, so it has no key",
    ]
    .iter()
    .any(|said| message.contains(said));
    let near = (!missing_table && !negative)
        .then(|| nearest_path(path, candidates, past_a_value))
        .flatten()
        .filter(|p| *p != path && !ambiguous)
        .map(|p| format!("; the nearest valid path is `{p}`"))
        .unwrap_or_default();
    OverrideError::new(origin, path, format!("{message}{near}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILTIN: &str = crate::BUILTIN_MODEL;

    fn load(overrides: &[&str]) -> Result<Patched, Error> {
        let overrides: Vec<Override> = overrides
            .iter()
            .map(|s| Override::parse(s).unwrap())
            .collect();
        patch_and_parse("m.toml", BUILTIN, &overrides, &mut |_| {
            Err("no files".into())
        })
    }

    fn message(overrides: &[&str]) -> String {
        load(overrides).unwrap_err().to_string()
    }

    /// helper-242: the overrides an error or warning lists after it were listed whole (4,000
    /// of them); the first few hundred characters, then a count.
    #[test]
    fn regression_listed_sets_are_cut_to_a_count() {
        let sets: Vec<Override> = (0..4000)
            .map(|i| Override::parse(&format!("equity.stake=0.{i}")).unwrap())
            .collect();
        let listed = listed_sets(&sets);
        assert!(listed.starts_with("--set equity.stake=0.0, --set equity.stake=0.1, "));
        assert!(listed.len() < 700, "{} characters", listed.len());
        let shown = listed.matches("--set equity").count();
        assert!(
            listed.ends_with(&format!(" and {} more `--set`", 4000 - shown)),
            "{listed}"
        );
        assert_eq!(
            listed_sets(&sets[..2]),
            "--set equity.stake=0.0, --set equity.stake=0.1"
        );
    }

    #[test]
    fn a_value_is_set_and_read_exactly() {
        let m = load(&["equity.stake=0.30", "discount_rate=0.1"])
            .unwrap()
            .model;
        assert_eq!(m.equity.stake, "0.30".parse::<Decimal>().unwrap());
        assert_eq!(m.discount_rate, "0.1".parse::<Decimal>().unwrap());
    }

    #[test]
    fn names_pick_tables_and_later_overrides_win() {
        let m = load(&[
            "trajectories[base].agi_year=2031",
            "trajectories[base].agi_year=2032",
        ])
        .unwrap()
        .model;
        let base = m.trajectories.iter().find(|t| t.name == "base").unwrap();
        assert_eq!(base.agi_year, Some(2032));
    }

    #[test]
    fn an_optional_key_is_added_where_its_table_exists() {
        let m = load(&["equity.rounds[0].pre_money=700"]).unwrap().model;
        assert_eq!(m.equity.rounds[0].pre_money, Some(Decimal::from(700)));
    }

    #[test]
    fn errors_name_set_the_path_and_the_nearest_valid_path() {
        let e = message(&["equity.stak=0.3"]);
        assert!(e.starts_with("--set equity.stak=0.3: equity.stak:"), "{e}");
        assert!(e.contains("`equity.stake`"), "{e}");
        let e = message(&["profit_share.tiers[7].until.microsoft=5"]);
        assert!(e.contains("[0] to [1]"), "{e}");
        assert!(e.contains("nearest valid path"), "{e}");
        let e = message(&["trajectories[nope].agi_year=2030"]);
        assert!(e.contains("no entry named `nope`"), "{e}");
        let e = message(&["equity.stake=1.5"]);
        assert!(
            e.starts_with("--set equity.stake=1.5: equity.stake: 1.5 is out of range"),
            "{e}"
        );
        let e = message(&["equity.stake=\"a lot\""]);
        assert!(
            e.starts_with("--set equity.stake=\"a lot\": equity.stake:"),
            "{e}"
        );
        let e = message(&["equity.stake=abc"]);
        assert!(
            e.contains("`abc` is neither a number nor quoted text"),
            "{e}"
        );
        let e = message(&["scale.valuation[nope]=2"]);
        assert!(e.contains("no trajectory `nope`"), "{e}");
        let e = message(&["scale.valuation=-1"]);
        assert!(e.contains("must be 0 or more"), "{e}");
    }

    #[test]
    fn a_check_of_the_table_an_override_changed_is_the_overrides() {
        let e = message(&["profit_share.tiers[1].shares.microsoft=0.9"]);
        assert!(
            e.starts_with(
                "--set profit_share.tiers[1].shares.microsoft=0.9: profit_share.tiers[1].shares:"
            ),
            "{e}"
        );
    }

    #[test]
    fn derived_keys_scale_and_shift_the_points() {
        let base = load(&[]).unwrap().model;
        let m = load(&["scale.valuation[base]=1.5", "shift.margin=0.05"])
            .unwrap()
            .model;
        for (t0, t1) in base.trajectories.iter().zip(&m.trajectories) {
            let (
                crate::model::TrajectorySource::Series {
                    valuation: v0,
                    margin: m0,
                    ..
                },
                crate::model::TrajectorySource::Series {
                    valuation: v1,
                    margin: m1,
                    ..
                },
            ) = (&t0.source, &t1.source)
            else {
                panic!("series")
            };
            let k = if t0.name == "base" {
                "1.5".parse().unwrap()
            } else {
                Decimal::ONE
            };
            for (a, b) in v0.points.iter().zip(&v1.points) {
                assert_eq!(a.1 * k, b.1);
            }
            let shift: Decimal = "0.05".parse().unwrap();
            assert_eq!(
                m1.points.last().unwrap().1,
                m0.points.last().unwrap().1 + shift
            );
        }
    }

    #[test]
    fn shifting_a_margin_that_starts_late_shifts_the_years_before_it() {
        let pts = [(2024, Decimal::ONE)];
        let d: Decimal = "0.1".parse().unwrap();
        assert_eq!(
            derive_series(Derived::ShiftMargin, &pts, d, Some(2019)).unwrap(),
            vec![(2019, d), (2023, d), (2024, Decimal::ONE + d)]
        );
        assert_eq!(
            derive_series(Derived::ShiftMargin, &pts, d, Some(2023)).unwrap(),
            vec![(2023, d), (2024, Decimal::ONE + d)]
        );
    }

    #[test]
    fn an_error_elsewhere_points_at_the_file_line() {
        // Moving from_year past the round's year fails the round, which is in the file.
        let e = message(&["equity.from_year=2030"]);
        assert!(e.starts_with("m.toml, line "), "{e}");
        assert!(e.contains("equity.rounds[0].year"), "{e}");
        assert!(e.contains("(with --set equity.from_year=2030)"), "{e}");
    }

    /// The index of names gives what a fresh look at the document gives, whatever was set
    /// before: names changed by index, entries and arrays replaced whole, names made to
    /// repeat, tiers renamed, lookups by name between them (the index is a cache: a stale
    /// one would set the wrong trajectory).
    mod name_index {
        use super::*;
        use proptest::prelude::*;

        const NAMES: [&str; 5] = ["a", "b", " a ", "base", "Capped split"];

        fn entry(name: &str) -> String {
            format!(
                "{{name={name:?},revenue={{points=[[2023,1.0],[2030,2.0]]}},margin={{points=[[2023,0.1]]}},valuation={{points=[[2023,5.0]]}}}}"
            )
        }

        fn operation() -> impl Strategy<Value = String> {
            let name = || prop::sample::select(NAMES.to_vec());
            prop_oneof![
                (0..8usize, name()).prop_map(|(i, n)| format!("trajectories[{i}].name={n:?}")),
                (name(), 2030..2040i32)
                    .prop_map(|(n, y)| format!("trajectories[{}].agi_year={y}", n.trim())),
                (name(), 1..9u32).prop_map(|(n, k)| format!("scale.revenue[{}]=1.{k}", n.trim())),
                (0..8usize, name()).prop_map(|(i, n)| format!("trajectories[{i}]={}", entry(n))),
                prop::collection::vec(name(), 0..4).prop_map(|ns| format!(
                    "trajectories=[{}]",
                    ns.iter().map(|n| entry(n)).collect::<Vec<_>>().join(",")
                )),
                (0..2usize, name())
                    .prop_map(|(i, n)| format!("profit_share.tiers[{i}].name={n:?}")),
                (name(), 1..9u32).prop_map(|(n, k)| format!(
                    "profit_share.tiers[{}].until.microsoft={k}",
                    n.trim()
                )),
                // An array where a weight belongs (no valid model has one, but a set may make
                // it), reached as the file spells its key and as trimmed (helper-152).
                prop::collection::vec(name(), 0..3).prop_map(|ns| format!(
                    "simulation.weights.\" w \"=[{}]",
                    ns.iter()
                        .map(|n| format!("{{name={n:?}}}"))
                        .collect::<Vec<_>>()
                        .join(",")
                )),
                (prop::bool::ANY, 0..3usize, name()).prop_map(|(quoted, i, n)| format!(
                    "simulation.weights.{}[{i}].name={n:?}",
                    if quoted { "\" w \"" } else { "w" }
                )),
                (prop::bool::ANY, name(), 1..9u32).prop_map(|(quoted, n, k)| format!(
                    "simulation.weights.{}[{}].v={k}",
                    if quoted { "\" w \"" } else { "w" },
                    n.trim()
                )),
            ]
        }

        /// The positions of the entries named `name` in the array at `path`, looked up afresh.
        fn fresh(doc: &mut DocumentMut, path: &[&str], name: &str) -> Vec<usize> {
            let mut item = doc.as_item_mut();
            for key in path {
                let Some(next) = item.get_mut(*key) else {
                    return Vec::new();
                };
                item = next;
            }
            match elements(Node::Item(item)) {
                Ok(list) => list
                    .names()
                    .enumerate()
                    .filter(|(_, n)| *n == Some(name))
                    .map(|(i, _)| i)
                    .collect(),
                Err(_) => Vec::new(),
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]
            #[test]
            fn lookups_through_the_index_are_lookups_afresh(
                operations in prop::collection::vec(operation(), 1..12)
            ) {
                let mut doc: DocumentMut = BUILTIN.parse().unwrap();
                let mut names = NameIndex::default();
                for text in &operations {
                    let o = Override::parse(text).unwrap();
                    // The same override on a copy, without the index's memory.
                    let mut copy = doc.clone();
                    let without = apply(&mut copy, &o, &mut NameIndex::default())
                        .map(|a| a.touched)
                        .map_err(|e| Error::from(e).to_string());
                    let with = apply(&mut doc, &o, &mut names)
                        .map(|a| a.touched)
                        .map_err(|e| Error::from(e).to_string());
                    prop_assert_eq!(&with, &without, "{}", text);
                    prop_assert_eq!(doc.to_string(), copy.to_string());
                    for name in NAMES.map(str::trim) {
                        let expected = fresh(&mut doc, &["trajectories"], name);
                        prop_assert_eq!(names.trajectories(&mut doc, name), expected);
                        let expected = fresh(&mut doc, &["profit_share", "tiers"], name);
                        let tiers = doc
                            .get_mut("profit_share")
                            .and_then(|p| p.get_mut("tiers"))
                            .map(|t| elements(Node::Item(t)));
                        if let Some(Ok(list)) = tiers {
                            prop_assert_eq!(
                                names.positions("profit_share.tiers", &list, name),
                                &expected[..]
                            );
                        }
                    }
                }
            }
        }

        /// Sets one after another, each checked against the same set with no index.
        fn same_as_afresh(sets: &[&str]) {
            let mut doc: DocumentMut = BUILTIN.parse().unwrap();
            let mut names = NameIndex::default();
            for text in sets {
                let o = Override::parse(text).unwrap();
                let mut copy = doc.clone();
                let run = |doc: &mut DocumentMut, names: &mut NameIndex| {
                    apply(doc, &o, names)
                        .map(|a| a.touched)
                        .map_err(|e| Error::from(e).to_string())
                };
                let without = run(&mut copy, &mut NameIndex::default());
                assert_eq!(run(&mut doc, &mut names), without, "{text}");
                assert!(without.is_ok(), "{text}: {without:?}");
            }
        }

        /// A weight's key is found trimmed (`w` reaches the file's `" w "`): one array
        /// reached by two spellings. Its names were indexed under the spelling of the
        /// lookup, so a rename through the other left them stale (helper-152): `w[b]` after
        /// `" w "[0].name="b"` was "no entry named `b`; its names: b".
        #[test]
        fn regression_an_array_reached_by_two_spellings_is_one_array_to_the_index() {
            for (look, rename) in [("w", "\" w \""), ("\" w \"", "w")] {
                same_as_afresh(&[
                    "simulation.weights.\" w \"=[{name=\"a\"}]",
                    &format!("simulation.weights.{look}[a].v=1"),
                    &format!("simulation.weights.{rename}[0].name=\"b\""),
                    &format!("simulation.weights.{look}[b].v=2"),
                ]);
            }
        }

        #[test]
        fn a_set_renames_only_where_it_may_change_names() {
            for (array, set, renames) in [
                ("trajectories", "trajectories", true),
                ("trajectories", "trajectories[3]", true),
                ("trajectories", "trajectories[3].name", true),
                ("trajectories", "trajectories[3].agi_year", false),
                ("trajectories", "trajectories[3].revenue.points", false),
                ("trajectories", "trajectories_csv", false),
                ("trajectories", "simulation.weights.base", false),
                ("profit_share.tiers", "profit_share", true),
                (
                    "profit_share.tiers",
                    "profit_share.tiers[0].until.microsoft",
                    false,
                ),
                ("profit_share.tiers", "profit_share.tiers[1].name", true),
                (
                    "profit_share.tiers",
                    "profit_share.revenue_share.rate",
                    false,
                ),
                ("profit_share.tiers[0].x", "profit_share.tiers[0]", true),
            ] {
                assert_eq!(may_rename(array, set), renames, "{array} after {set}");
            }
        }
    }
}
