//! `stakeshift init [PATH]`: write the built-in model out as a file to edit.

use super::InitArgs;
use stakeshift::error::Error;
use stakeshift::io;

pub fn run(args: &InitArgs, stdout: &mut dyn std::io::Write) -> anyhow::Result<()> {
    // `-` is standard output, the usual convention (`stakeshift init - | less`).
    if args.path.as_os_str() == "-" {
        // Through `emit`, as every command's output: a reader that closes the pipe early
        // (`| head`) is not an error, and a failed write names <stdout>.
        super::emit(stdout, stakeshift::model_to_edit().as_bytes())?;
        return Ok(());
    }
    // A path ending in a separator names a folder: written as given, it became a file of
    // the folder's name (helper-160).
    // So does one whose last part is `.` or `..` (`nodir/.` wrote `nodir`: helper-161).
    let text = args.path.as_os_str().to_string_lossy();
    let last = text.rsplit(std::path::is_separator).next().unwrap_or("");
    if text.ends_with(std::path::is_separator) || last == "." || last == ".." {
        let why = if last.is_empty() {
            let folder = text.trim_end_matches(std::path::is_separator);
            format!("it ends in `{}`", &text[folder.len()..][..1])
        } else {
            format!("it ends in `{last}`")
        };
        let folder = text.trim_end_matches(std::path::is_separator);
        let folder_path = std::path::Path::new(folder);
        // The advice must work when followed. So: the first part of the folder's path that
        // is there but is no folder is named (helper-242, -243: a file or a link to nothing,
        // also in `afile/.` or `afile/x/`, was told to be created; by components, which
        // drop a `.`); a folder that is not there is to be made first (helper-240: the path
        // advised was refused in turn), where it can be, by its own name (`nodir/..` cannot).
        let mut part = std::path::PathBuf::new();
        let in_the_way = folder_path.components().find_map(|c| {
            part.push(c);
            std::fs::symlink_metadata(&part)
                .ok()
                .filter(|_| !part.is_dir())
                .map(|m| (part.clone(), m))
        });
        if let Some((part, m)) = in_the_way {
            let what = if m.file_type().is_symlink() {
                "a symbolic link to no folder"
            } else if m.is_file() {
                "a file"
            } else {
                "not a folder"
            };
            return Err(Error::Usage(format!(
                "{text} names a folder ({why}), but {} is {what}; init writes a file: give a path such as model.toml, in a folder that exists",
                super::shown(&part)
            ))
            .into());
        }
        let creatable = matches!(
            folder_path.components().next_back(),
            Some(std::path::Component::Normal(_))
        );
        if !folder.is_empty() && !folder_path.is_dir() && !creatable {
            return Err(Error::Usage(format!(
                "{text} names a folder ({why}), and one that is not there; init writes a file: give the path of one in a folder that exists"
            ))
            .into());
        }
        let first = if !folder.is_empty() && !folder_path.is_dir() {
            format!(
                " (in a folder that exists: create {} first)",
                super::shown(folder_path)
            )
        } else {
            String::new()
        };
        return Err(Error::Usage(format!(
            "{text} names a folder ({why}); init writes a file{first}: give its path, such as {folder}{}model.toml",
            std::path::MAIN_SEPARATOR
        ))
        .into());
    }
    // Only a regular file is ever replaced, --force or not: a device, a folder or a symbolic
    // link in its place is refused, naming it.
    if io::replaceable(&args.path)?.is_some() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists; pass --force to overwrite it, or name another file",
            super::shown(&args.path)
        ))
        .into());
    }
    // (A stopped run's outputs in that folder go back first, said as `--out` says it.)
    let folder = match args.path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    if folder.is_dir() {
        // (A folder that may not be written into said so first, not as one that may not
        // be listed for the roll-back: helper-295. `write_atomic` checks it again, as it
        // must for its other callers: one access(2) call.)
        io::refuse_unwritable_folder(&args.path)?;
        super::roll_back_stopped_sets_of(folder)?;
    }
    io::write_atomic(&args.path, stakeshift::model_to_edit().as_bytes())?;
    super::say_rollback_notes();
    // What was written is a message, not data: stderr, like `compare --out` and `chart`.
    super::say(format_args!(
        "wrote the built-in model to {}; edit it, then run `stakeshift compare {}` (for completion in an editor: `stakeshift schema > stakeshift.schema.json`, and `#:schema stakeshift.schema.json` as the file's first line)",
        super::shown(&args.path),
        super::shown(&args.path)
    ));
    Ok(())
}
