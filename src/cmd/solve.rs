//! `stakeshift solve`: per trajectory, the value of a path at which the NPV advantage is a
//! target.

use std::path::PathBuf;

use rust_decimal::Decimal;

use clap::ValueEnum;

use super::{Format, SolveArgs, emit};
use stakeshift::error::Error;
use stakeshift::io;
use stakeshift::overrides::OverridePath;
use stakeshift::report::sensitivity as report;
use stakeshift::sensitivity::solve::{SolveSpec, search};
use stakeshift::sensitivity::{Base, Range};

/// Whether an operand is surely a model file rather than a PATH: it ends in `.toml`, or
/// it names a file and is no PATH (a file that happens to be called `equity.stake` does
/// not make `solve equity.stake` a model without a PATH).
fn looks_like_a_model(operand: &str) -> bool {
    operand.to_ascii_lowercase().ends_with(".toml")
        || (std::path::Path::new(operand).is_file() && OverridePath::parse(operand).is_err())
}

/// Whether `operand` names a model: standard input (`-`), a file that is there, or a name
/// that reads as a model's.
fn is_a_model(operand: &str) -> bool {
    operand == "-" || std::path::Path::new(operand).is_file() || looks_like_a_model(operand)
}

/// Whether `operand` reads as a PATH rather than a file name: a path into a table or array,
/// or a top-level number of the model (a name such as `msft-openai`, with neither, is more
/// likely a model file mistyped).
fn reads_as_a_path(operand: &str) -> bool {
    OverridePath::parse(operand).is_ok()
        && (operand.contains(['.', '['])
            || matches!(
                operand,
                "discount_rate" | "start_year" | "end_year" | "valuation_year"
            ))
}

/// A row of the solutions without its trajectory's name and its path.
const SOLVE_ROW_BYTES: u64 = 200;

/// The error of a `solve` given its PATH as PATH=VALUE (`operand`), or before the model
/// (`model_first`), with the command to write instead: [`offered_command`], the PATH
/// `key` alone, `span` as `--within`.
fn misuse(
    args: &SolveArgs,
    model: Option<&std::path::Path>,
    operand: &str,
    key: &str,
    span: Option<&str>,
    model_first: bool,
) -> Error {
    let command = offered_command(args, model, key, span);
    let alone = operand != key;
    if model_first {
        let file = args.operands.get(1).map_or("", String::as_str);
        let alone = if alone {
            ", and solve takes the PATH alone and finds its value"
        } else {
            ""
        };
        let said = match (command, span) {
            (Some(command), Some(span)) => {
                format!("to look for it in {span}, write `{command}`")
            }
            (Some(command), None) => format!("write `{command}`"),
            (None, _) => "give the model, then the PATH".to_string(),
        };
        return Error::Usage(format!(
            "solve {operand} {file}: the model comes first{alone}; {said}"
        ));
    }
    let hint = match (command, span) {
        (None, _) => format!("give `{key}` in place of `{operand}`"),
        (Some(command), Some(span)) => format!("to look for it in {span}, write `{command}`"),
        (Some(command), None) if args.target.is_some() => format!(
            "write `{command}` for the value at which the advantage is the target (`--set` changes other inputs first)"
        ),
        (Some(command), None) => format!(
            "write `{command}` for the value at which the deals tie (`--target X` for an advantage of X; `--set` changes other inputs first)"
        ),
    };
    Error::Usage(format!(
        "solve {operand}: solve takes the PATH alone and finds its value; {hint}"
    ))
}

/// A range given as a PATH's value (`equity.stake=0.1..0.4:4`): its span FROM..TO as
/// written, its steps left out, and its ends, checked as `--within` is.
type ValueRange<'v> = (&'v str, (Decimal, Decimal));

/// The [`ValueRange`] of `value`, the value of the operand `operand`.
fn range_in_value<'v>(operand: &str, value: &'v str) -> Result<ValueRange<'v>, Error> {
    let span = value.split_once(':').map_or(value, |(span, _)| span).trim();
    let range = Range::parse(span).map_err(|m| Error::Usage(format!("solve {operand}: {m}")))?;
    if range.from >= range.to {
        return Err(Error::Usage(format!(
            "solve {operand}: {span}: FROM must be below TO"
        )));
    }
    Ok((span, (range.from, range.to)))
}

/// The command a misused `solve` is offered: the one given, with the model (if any) and the
/// PATH in their places, every option kept (helper-295: the `--set`s, `--format` and
/// `--out` had been dropped), and `span` as `--within` in place of one given; each word as a
/// shell reads it. None where a word cannot be written so that a shell gives it back (a
/// control or invisible character, a name that is not UTF-8: helper-296, a tab offered as
/// `\u{9}` made another folder).
fn offered_command(
    args: &SolveArgs,
    model: Option<&std::path::Path>,
    key: &str,
    span: Option<&str>,
) -> Option<String> {
    let typeable = |word: &str| {
        matches!(
            stakeshift::error::plain_text(word),
            std::borrow::Cow::Borrowed(_)
        )
    };
    let mut words: Vec<String> = Vec::new();
    let mut push = |word: &str| -> Option<()> {
        typeable(word).then(|| words.push(stakeshift::error::shell_arg(word)))
    };
    push("stakeshift")?;
    push("solve")?;
    if let Some(model) = model {
        let model = model.to_str()?;
        // (A model named `-x.toml` as `./-x.toml`, not taken for an option: helper-292.)
        if model.starts_with('-') && model != "-" {
            push(&format!("./{model}"))?;
        } else {
            push(model)?;
        }
    }
    push(key)?;
    // An option's value that begins with `-` is joined to it with `=`, where the option does
    // not take such values as they come (helper-296: `--out -o1` failed).
    let mut option = |name: &str, value: &str, hyphens: bool| -> Option<()> {
        if value.starts_with('-') && !hyphens {
            push(&format!("{name}={value}"))
        } else {
            push(name)?;
            push(value)
        }
    };
    for set in &args.overrides.set {
        option("--set", set, false)?;
    }
    for name in &args.trajectories {
        option("-t", name, true)?;
    }
    if let Some(target) = &args.target {
        option("--target", target, true)?;
    }
    if let Some(within) = span.or(args.within.as_deref()) {
        option("--within", within, true)?;
    }
    if args.format != Format::Table {
        let format = args.format.to_possible_value()?;
        option("--format", format.get_name(), false)?;
    }
    if let Some(out) = &args.out {
        option("--out", out.to_str()?, false)?;
    }
    Some(words.join(" "))
}

pub fn run(
    args: &SolveArgs,
    stdout: &mut dyn std::io::Write,
    warnings: &mut super::Warnings,
) -> anyhow::Result<()> {
    super::check_out(args.out.as_deref())?;
    // A `--set PATH VALUE`, the value apart: clap takes it for one of solve's operands, so
    // its own "unexpected argument" never comes (helper-277: the value was taken for the
    // PATH, and `stakeshift solve 0.1` suggested).
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(note) = super::set_value_apart(&argv) {
        return Err(Error::Usage(format!(
            "solve takes [MODEL] PATH and --set PATH=VALUE{note}"
        ))
        .into());
    }
    // The PATH given before the model (`solve equity.stake m.toml`).
    let mut model_first = false;
    let (model, path) = match args.operands.as_slice() {
        // A model file given without the PATH: say that, rather than read the file's name
        // as a path of the built-in model.
        // (`-`, the model on standard input, too: helper-298, "`-` is no key".)
        [file] if file == "-" || looks_like_a_model(file) => {
            // A file that is surely not there is said first (helper-236: "a model file" of
            // one that does not exist; helper-237: one behind a loop of links or a folder
            // we may not search is there, or may be).
            let missing =
                file != "-" && matches!(std::path::Path::new(file).try_exists(), Ok(false));
            return Err(Error::Usage(if missing {
                format!(
                    "solve {file}: no such model file, and no PATH to solve for; solve takes a model file, then the PATH: `stakeshift solve MODEL PATH`, such as `stakeshift solve deal.toml equity.stake` (`stakeshift init deal.toml` writes one)"
                )
            } else {
                // (As a shell reads it: `my deal.toml`, `./-x.toml`.)
                let model = if file.starts_with('-') && file != "-" {
                    format!("./{file}")
                } else {
                    file.clone()
                };
                let model = stakeshift::error::shell_arg(&model);
                format!(
                    "solve {file}: a model file, but no PATH to solve for; write `stakeshift solve {model} PATH`, such as `stakeshift solve {model} equity.stake`"
                )
            })
            .into());
        }
        [path] => (None, path),
        // PATH then MODEL: said, rather than "`m` is not a key" (a model: a file that is
        // there, one named as one, or `-`, standard input; helper-155).
        [path, file]
            if is_a_model(file) && !is_a_model(path) && !std::path::Path::new(path).exists() =>
        {
            // (Told after the rest is checked as for a run, so that the command offered
            // does not fail on something else: helper-297.)
            model_first = true;
            (Some(PathBuf::from(file)), path)
        }
        // Two PATHs, no model (helper-153: "equity.stake: no such model file"): solve takes
        // one.
        // (`-` is the model on standard input.)
        [first, second]
            if first != "-"
                && !std::path::Path::new(first).exists()
                && !looks_like_a_model(first)
                && reads_as_a_path(first)
                && OverridePath::parse(second).is_ok() =>
        {
            return Err(Error::Usage(format!(
                "solve {first} {second}: two paths, and no model file `{first}`; solve finds one PATH at a time (`stakeshift solve [MODEL] PATH`): `stakeshift solve {first}`, then `stakeshift solve {second}`; to vary two at once, `stakeshift sweep --vary {first}=FROM..TO --vary {second}=FROM..TO`"
            ))
            .into());
        }
        [model, path] => (Some(PathBuf::from(model)), path),
        _ => {
            return Err(Error::Usage("solve takes [MODEL] PATH".into()).into());
        }
    };
    // The options first, so that a command offered below does not fail on them (helper-296:
    // a bad `--target`, `--within` or `--set` was offered back).
    let target = match &args.target {
        // Read as a model's numbers are: exact, or refused saying why (too large, too many
        // digits, too many places: 1e-29 is not "too large").
        Some(t) => stakeshift::sensitivity::read_number(t).map_err(|why| {
            Error::Usage(format!(
                "--target {t}: {why}; give the NPV advantage wanted, such as 0 or 25.5"
            ))
        })?,
        None => Decimal::ZERO,
    };
    let within = match &args.within {
        Some(w) => {
            let r = Range::parse(w).map_err(|m| Error::Usage(format!("--within {w}: {m}")))?;
            if r.steps.is_some() {
                return Err(
                    Error::Usage(format!("--within {w}: a range FROM..TO, without steps")).into(),
                );
            }
            // (Here, before a command is offered with it: helper-296.)
            if r.from >= r.to {
                return Err(Error::Usage(format!("--within {w}: FROM must be below TO")).into());
            }
            Some((r.from, r.to))
        }
        None => None,
    };
    let overrides = args.overrides.parsed()?;
    // PATH=VALUE, as `--set` and `--vary` take it (session 46: `solve equity.stake=0.3` was
    // told "`stake=0` is not a key"): solve finds the value itself, and is told the
    // command to write, once the rest is checked as for a run (the options, the model, the
    // trajectories, the PATH itself: helper-295, helper-296, helper-297), so that the
    // command offered does not fail on another thing.
    let operand = path;
    let (path, span) = match operand.rsplit_once('=') {
        Some((key, value)) if OverridePath::parse(key.trim()).is_ok() => {
            let value = value.trim();
            // The span to look in, where the value is a range (`--within` takes no steps:
            // helper-291), checked as `--within` is (a percent told its fraction, FROM
            // below TO: helper-296).
            let span = match value.contains("..") {
                true => Some(range_in_value(operand, value)?),
                false => None,
            };
            (key.trim(), Some(span))
        }
        _ => (operand.as_str(), None),
    };
    let path = OverridePath::parse(path).map_err(|m| Error::Usage(format!("solve {path}: {m}")))?;
    let file = io::read_model_file(model.as_deref())?;
    let base = Base::new(&file, &overrides)?;
    warnings.of_model(&base.loaded);
    let selected = super::selected_or_all(base.model(), &args.trajectories)?;
    super::check_unchosen_trajectories(&base.loaded, Some(&selected))?;
    // A row a trajectory, its name on each (the table pads every row to the longest).
    super::refuse_large_output(
        "the solutions",
        selected.len() as u64,
        SOLVE_ROW_BYTES
            + path.text.len() as u64
            + super::longest_name(base.model(), Some(&selected)),
        "choose fewer trajectories with --trajectory, or give them shorter names",
    )?;
    let spec = SolveSpec {
        path,
        target,
        within: match span {
            Some(Some((_, ends))) => Some(ends),
            _ => within,
        },
    };
    let checked = stakeshift::sensitivity::solve::check(&base, &spec, &selected).map_err(|e| {
        // A range given as the PATH's value is said as given, not as a `--within` the user
        // did not write (helper-299).
        match (e, span) {
            (Error::Usage(m), Some(Some((written, _)))) if m.starts_with("--within ") => {
                let rest = m.split_once(": ").map_or("", |(_, rest)| rest);
                Error::Usage(format!("solve {operand}: {written}: {rest}"))
            }
            (e, _) => e,
        }
    })?;
    if model_first || span.is_some() {
        return Err(misuse(
            args,
            model.as_deref(),
            operand,
            &spec.path.text,
            span.flatten().map(|(written, _)| written),
            model_first,
        )
        .into());
    }
    let rows = search(&base, &spec, &selected, checked)?;
    let printed = match args.format {
        Format::Table => (report::table_header(
            base.model(),
            base.loaded.overridden_by(),
            rows.iter().map(|r| r.path.as_str()),
            true,
        ) + &report::solve_table(&rows))
            .into_bytes(),
        Format::Csv => report::solve_csv(&rows),
        Format::Json => report::solve_json(&rows, base.json_source()),
    };
    // (solve.csv is written as a set of its own, with no record of earlier runs' files.)
    let out = args.out.as_deref().map(|dir| {
        (
            dir,
            vec![("solve.csv".to_string(), report::solve_csv(&rows))],
        )
    });
    super::print_then_write(stdout, out, None, |stdout, _| emit(stdout, &printed))
}
