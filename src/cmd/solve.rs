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
use stakeshift::sensitivity::solve::{SolveSpec, solve};
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
    let (model, path) = match args.operands.as_slice() {
        // A model file given without the PATH: say that, rather than read the file's name
        // as a path of the built-in model.
        [file] if looks_like_a_model(file) => {
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
                format!(
                    "solve {file}: a model file, but no PATH to solve for; write `stakeshift solve {file} PATH`, such as `stakeshift solve {file} equity.stake`"
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
            return Err(Error::Usage(format!(
                "solve {path} {file}: the model comes first; write `stakeshift solve {file} {path}`"
            ))
            .into());
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
            Some((r.from, r.to))
        }
        None => None,
    };
    // PATH=VALUE, as `--set` and `--vary` take it (session 46: `solve equity.stake=0.3` was
    // told "`stake=0` is not a key"): solve finds the value itself. (After the options are
    // checked, so that the command offered does not fail on them: helper-295.)
    if let Some((key, value)) = path.rsplit_once('=')
        && OverridePath::parse(key.trim()).is_ok()
    {
        let key = key.trim();
        let value = value.trim();
        let quoted = |text: &str| stakeshift::error::shell_arg(text);
        // The span to look in, where the value is a range (`--within` takes no steps:
        // helper-291), read as `--within` reads it (a percent told its fraction).
        let span = if value.contains("..") {
            let span = value.split_once(':').map_or(value, |(span, _)| span).trim();
            Range::parse(span).map_err(|m| Error::Usage(format!("solve {path}: {m}")))?;
            Some(span)
        } else {
            None
        };
        // The command as given, the PATH alone in place of PATH=VALUE (helper-295: the
        // `--set`s, `--format` and `--out` given beside it had been dropped).
        // (As a shell reads them: a model's path with a space, helper-291.)
        // (A model named `-x.toml` as `./-x.toml`, not taken for an option: helper-292.)
        let mut command = String::from("stakeshift solve");
        if let Some(model) = &model {
            let model = model.to_string_lossy();
            let model = if model.starts_with('-') && model != "-" {
                format!("./{model}")
            } else {
                model.into_owned()
            };
            command.push_str(&format!(" {}", quoted(&model)));
        }
        command.push_str(&format!(" {}", quoted(key)));
        for set in &args.overrides.set {
            command.push_str(&format!(" --set {}", quoted(set)));
        }
        for name in &args.trajectories {
            command.push_str(&format!(" -t {}", quoted(name)));
        }
        if let Some(target) = &args.target {
            command.push_str(&format!(" --target {}", quoted(target)));
        }
        // (The value's range in place of a `--within` given too: the hint says which.)
        match (span, &args.within) {
            (Some(span), _) => command.push_str(&format!(" --within {}", quoted(span))),
            (None, Some(within)) => command.push_str(&format!(" --within {}", quoted(within))),
            (None, None) => {}
        }
        if args.format != Format::Table {
            let format = args
                .format
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string());
            command.push_str(&format!(" --format {format}"));
        }
        if let Some(out) = &args.out {
            command.push_str(&format!(" --out {}", quoted(&out.to_string_lossy())));
        }
        let hint = if let Some(span) = span {
            format!("to look for it in {span}, write `{command}`")
        } else if args.target.is_some() {
            format!(
                "write `{command}` for the value at which the advantage is the target (`--set` changes other inputs first)"
            )
        } else {
            format!(
                "write `{command}` for the value at which the deals tie (`--target X` for an advantage of X; `--set` changes other inputs first)"
            )
        };
        return Err(Error::Usage(format!(
            "solve {path}: solve takes the PATH alone and finds its value; {hint}"
        ))
        .into());
    }
    let path = OverridePath::parse(path).map_err(|m| Error::Usage(format!("solve {path}: {m}")))?;
    let overrides = args.overrides.parsed()?;
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
    let rows = solve(
        &base,
        &SolveSpec {
            path,
            target,
            within,
        },
        &selected,
    )?;
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
