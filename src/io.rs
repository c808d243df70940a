//! Input and output in one place: reading a model file (and the CSV it may name), and
//! writing output files so that a failure never leaves a half-written file, or a half-new
//! set of files, behind.
//!
//! # Reading
//!
//! A model file and its `trajectories_csv` must be **regular files** (a symbolic link to one
//! is fine) of at most [`MAX_MODEL_BYTES`] (32 MiB) for a model file and [`MAX_CSV_BYTES`]
//! (64 MiB) for a trajectories CSV. The kind of file is checked before it is
//! opened, so a FIFO, a device, a socket or a folder is refused without blocking or reading
//! from it; the file is opened non-blocking and checked again on the open handle (so a file
//! swapped for a FIFO in between cannot block either), and read through a reader that stops
//! one byte past the limit (so a file that grows while it is read cannot exhaust memory).
//! Each refusal is bad usage or a bad model (exit 2) and names the file.
//!
//! # Writing: what is promised
//!
//! [`write_set`] (used by `compare --out` and `chart --out`) and [`write_atomic`] (`init`)
//! write in two phases:
//!
//! 1. **Stage.** Every file of the set is written in full to a temporary file in the target
//!    folder (`.stakeshift-<pid>-<n>.tmp`) and synced to disk. Nothing visible changes
//!    in this phase; a failure here (disk full, a read-only folder) removes the temporary
//!    files and leaves every old file as it was.
//! 2. **Put in place.** Each old file is first kept under a backup name (a hard link,
//!    `.stakeshift-<pid>-<n>.bak`, so the old file stays in place meanwhile), then each
//!    temporary file is renamed over its target (each rename is atomic on POSIX), and
//!    set members that an earlier run wrote and this run does not (see below) are moved to
//!    backup names. If any step fails, the steps already done are undone in reverse (the
//!    backups renamed back, new files removed), so **an error that stakeshift reports
//!    leaves every old file unchanged**; the error says so, or, if undoing itself failed,
//!    names the backup that holds the old content.
//!
//! What POSIX cannot give is the atomic replacement of several files at once: while the
//! renames run (a fraction of a millisecond: the backups are all made first), a reader may
//! see some new files beside some old ones, and if the process is killed or the machine
//! stops during those renames, the folder keeps that mix (every file complete, old or new)
//! until the next run into it: a journal (`.stakeshift-<pid>-<n>.commit`), synced before
//! the first rename, names each file's backup and new content, and the next run that is
//! given the folder ([`roll_back_stopped_sets`]) puts the old set back. A writer holds a
//! lock on the folder (flock(2)) while its files exist, so runs into one folder take turns,
//! and a journal found under the lock is a stopped run's. Staging, which takes nearly all
//! the time, is safe to kill at any moment.
//!
//! **Targets.** Only regular files are replaced. A target that is a folder, a device, a FIFO,
//! a socket or a **symbolic link** is refused before anything is written (exit 2, naming
//! it): stakeshift neither replaces a link nor writes through it, because either would
//! surprise (a link replaced by a file, or a file outside the folder changed). A replaced
//! file keeps its permission bits and, where it may, its group; a new one gets 0666 less the
//! umask, as any new file does.
//!
//! **Stale members.** `compare --out` and `chart --out` record the files they wrote in
//! `.stakeshift.outputs` in the folder. A later run of a command removes the files that
//! the record names, that this command could write (its *family*: for `chart`, the charts
//! as PNG and SVG; for `compare`, those and the CSVs) and that this run did not write, such
//! as the `value.svg` of an earlier `--svg` run beside newer PNGs, where each is still as
//! written (the record gives its size and a fingerprint of its bytes). Files stakeshift did
//! not record, or that changed since, are never removed, whatever their names.
//!
//! **Temporary files of killed runs.** Before it writes, a run removes from the folder the
//! temporary and backup files of runs that are no longer running: those a stopped run's
//! journal names, as it is rolled back; under the folder's lock, files of this process's
//! own id (a stopped run that had it, as a container's first process); and our user's
//! `.stakeshift-<pid>-<n>.tmp` and `.bak` files, named exactly as this module names them,
//! whose process `<pid>` no longer exists; never an input of the run, whatever its name,
//! and never a file of another name (a user's `.stakeshift-notes.toml` stays). The process
//! id makes the rule safe against runs going on at the same time in the same folder: their
//! files are kept. (A run in another PID namespace, such as another
//! container sharing the folder, cannot be seen; its temporary file may be removed, and
//! that run then fails with an error rather than leave a bad file.)
//!
//! # Example
//!
//! The built-in model written out as `init` writes it, then read back as a model file:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::io;
//!
//! let dir = std::env::temp_dir().join(format!("stakeshift-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("deal.toml");
//! io::write_atomic(&path, stakeshift::model_to_edit().as_bytes())?;
//! let file = io::read_model_file(Some(&path))?;
//! assert_eq!(file.text, stakeshift::model_to_edit()); // the bytes written, read back
//! assert_eq!(file.label, path.display().to_string()); // named by its path in messages
//! let loaded = file.load(&[])?; // validated, no overrides
//! assert_eq!(loaded.model.equity.stake, Decimal::new(27, 2));
//! // A folder is not a regular file: refused before it is opened (bad usage, exit 2).
//! let refused = io::read_model_file(Some(&dir)).unwrap_err();
//! assert!(matches!(refused, stakeshift::Error::Usage(_)));
//! std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), stakeshift::Error>(())
//! ```

use std::fs::{self, File, Metadata};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::Model;

/// The largest model file that is read: 32 MiB, beyond the largest valid model (250,000
/// trajectory-years with a point for every year of three series is about 20 MB). What
/// bounds the memory parsing takes is the count of values, checked before any parse
/// ([`crate::model::MAX_VALUE_MARKS`]: a file of 12 MB of `1,` took 1.1 GB to refuse, and
/// 16 MiB of dotted keys 4.6 GB, when only the size was limited, at 64 MiB).
pub const MAX_MODEL_BYTES: u64 = 32 * 1024 * 1024;

/// The largest trajectories CSV that is read: 64 MiB (about 40 bytes of memory a value).
pub const MAX_CSV_BYTES: u64 = 64 * 1024 * 1024;

/// The record of the files that `--out` runs wrote into a folder.
pub const MANIFEST_NAME: &str = ".stakeshift.outputs";

/// Every temporary and backup file stakeshift makes starts with this.
const TEMP_PREFIX: &str = ".stakeshift-";

/// A stop asked for by a signal (its number; 0: none), set by the binary's handler while a
/// set of outputs is being written ([`WRITING`]): the writing stops at its next step and
/// undoes what it did, so that the folder holds the old set whole, with no staged files
/// left (an interrupted run left `.tmp` and `.bak` files, and once a mix of old and new
/// outputs: helper-78). Outside a write the binary stops at once.
pub static STOP_REQUESTED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Whether a set of outputs is being written (see [`STOP_REQUESTED`]).
pub static WRITING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Marks a set as being written while it lives.
struct Writing;

impl Writing {
    fn start() -> Writing {
        WRITING.store(true, std::sync::atomic::Ordering::SeqCst);
        Writing
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        WRITING.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// An error where a stop was asked for.
fn check_stop(dir: &Path) -> Result<()> {
    match STOP_REQUESTED.load(std::sync::atomic::Ordering::SeqCst) {
        0 => Ok(()),
        signal => Err(Error::io(
            dir,
            std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                format!("stopped by signal {signal} while writing"),
            ),
        )),
    }
}

/// Hands the memory freed so far back to the system, where the allocator keeps it (glibc
/// keeps what a thread frees in that thread's arena, so two threads that each parsed a
/// large document in turn held the memory of both: [`crate::sensitivity::Base::load_with`]).
pub fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it touches no live
    // allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A model and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    pub model: Model,
    /// How the model is named in messages and chart footers: the path as given, or the
    /// built-in model's name.
    pub label: String,
    /// [`crate::chart::short_hash`] of the model file's text, as read (before any override).
    pub file_hash: String,
    /// The model's text as run: the file's, with the overrides applied.
    pub text: String,
    /// The bytes of the files the model names (`trajectories_csv`), read again with the
    /// text at every load (what a sensitivity run's values read through the document cost).
    pub named_bytes: usize,
    /// The model's warnings, placed and worded (see [`LoadedModel::warnings`]).
    warnings: Vec<String>,
    /// How many more it has (see [`LoadedModel::more_warnings`]).
    more_warnings: usize,
    /// How each override it was loaded with is named (`--set equity.stake=0.3`), in order.
    overridden_by: Vec<String>,
    /// The overrides it was loaded with, and the file's text as read, before them: where a
    /// command's own warning about a value is placed ([`LoadedModel::place_warning`]).
    overrides: Vec<crate::overrides::Override>,
    file_text: String,
}

impl LoadedModel {
    /// A command's warning about `field`, placed as the model's own are: against the last
    /// `--set` that wrote it (or `at`, the key its value comes from), else at `at`'s line in
    /// the file as written (helper-128: it was placed in the text as patched, at a line of
    /// the file holding nothing of the kind, where the value came from a `--set`).
    pub fn place_warning(&self, field: &str, at: &[&str], message: String) -> String {
        self.place_error(field, at, message).to_string()
    }

    /// A command's own error about `field` (whose value comes from the keys `at`), placed
    /// as [`LoadedModel::place_warning`] places a warning: against the `--set` that wrote
    /// it, else at its line in the file.
    pub fn place_error(&self, field: &str, at: &[&str], message: String) -> Error {
        crate::overrides::document::place_error(
            &self.label,
            &self.file_text,
            &self.overrides,
            field,
            at,
            message,
        )
    }

    /// An error of the engine on this model, naming the file and, where the model was
    /// changed by overrides, them too: an amount the engine cannot compute (a round whose
    /// pre-money value would not be > 0 after `--set scale.valuation=0`) may come from one.
    pub fn engine_error(&self, e: &crate::engine::EngineError) -> Error {
        Error::Model {
            file: self.label.clone(),
            location: None,
            field: e.field.clone(),
            message: self.with_overrides(e.to_string()),
        }
    }

    /// The context of this model's charts: the footer names the file, the file's hash, the
    /// version and then the overrides it was loaded with, so that the chart can be traced
    /// to the file and drawn again from it.
    pub fn chart_context(
        &self,
        size: crate::chart::Size,
        trajectory: Option<String>,
    ) -> crate::chart::ChartContext {
        crate::chart::ChartContext {
            size,
            footer: crate::chart::footer_of(&self.label, &self.file_hash),
            trajectory,
            overrides: Vec::new(),
        }
        .with_overrides(&self.overridden_by)
    }

    /// How each override the model was loaded with is named (`--set equity.stake=0.3`), in
    /// order: for the what-if line of a table ([`crate::report::what_if_line`]) and the
    /// `overrides` of a JSON document.
    pub fn overridden_by(&self) -> &[String] {
        &self.overridden_by
    }

    /// The overrides the model was loaded with, in order.
    pub fn overrides(&self) -> &[crate::overrides::Override] {
        &self.overrides
    }

    /// `message`, followed by the overrides the model was loaded with, if any.
    pub fn with_overrides(&self, mut message: String) -> String {
        if !self.overridden_by.is_empty() {
            message.push_str(&format!(" (with {})", self.overridden_by.join(", ")));
        }
        message
    }

    /// The model's warnings (valid values that look like a slip), each as a line naming
    /// where the value was written and the field, like an error's: the file's line and
    /// column, or the `--set` that wrote it.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// How many warnings the model has besides [`LoadedModel::warnings`], which holds the
    /// first [`crate::overrides::MAX_PLACED_WARNINGS`].
    pub fn more_warnings(&self) -> usize {
        self.more_warnings
    }
}

/// Why an input file was not read.
#[derive(Debug)]
enum ReadFailure {
    Missing,
    /// Not a regular file: what it is instead ("a folder", "a FIFO (named pipe)", ...).
    NotRegular(&'static str),
    /// Larger than the limit, in bytes.
    TooLarge(u64),
    Io(std::io::Error),
}

/// A path as a message names it: one of more than 400 characters by its length and its end
/// ([`crate::error::path_shortened`]; helper-175: an output folder's path of 5,000
/// characters was quoted whole, twice).
pub fn shown(path: &Path) -> String {
    crate::error::path_shortened(&path.display().to_string()).into_owned()
}

impl ReadFailure {
    /// The reason in words, for a file described as `what` ("a model file").
    fn describe(&self, path: &Path, what: &str) -> String {
        let shown = shown(path);
        match self {
            ReadFailure::Missing => match link_to_nothing_at_or_before(path) {
                Some(link) => format!("{shown}: no such file: {link}"),
                None => format!("{shown}: no such file"),
            },
            // Standard input named as a file (helper-248: `cat m.toml | stakeshift compare
            // /dev/stdin` was refused as a FIFO, where `-` reads the same pipe).
            ReadFailure::NotRegular(kind)
                if what == "a model file" && names_standard_input(path) =>
            {
                format!(
                    "{shown} is {kind}, not a regular file; {what} must be a regular file, or standard input named `-`"
                )
            }
            ReadFailure::NotRegular(kind) => {
                format!("{shown} is {kind}, not a regular file; {what} must be a regular file")
            }
            ReadFailure::TooLarge(limit) => format!(
                "{shown} is larger than {} MiB ({limit} bytes), the limit for {what}",
                limit / (1024 * 1024)
            ),
            // Said in words, as `--out` through one says it (helper-236: the system's "Too
            // many levels of symbolic links (os error 40)").
            ReadFailure::Io(e) if is_link_loop(e) => format!(
                "{shown} is reached through a symbolic link that leads round in a loop; \
                 remove the loop, or name the file itself"
            ),
            // In words too (helper-240: `afile/x.toml` was "Not a directory (os error 20)").
            ReadFailure::Io(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
                let (file, kind) = not_a_folder_on_the_way(path);
                // `afile/` itself (helper-242: "afile/ on the way to it is a file").
                if file == path {
                    let plain: PathBuf = path.components().collect();
                    // (What it is read without the `/`: `/dev/null/` is a device, not "a
                    // file", helper-243.)
                    let meta = fs::metadata(&plain);
                    let kind = meta.as_ref().map_or(kind, not_a_folder);
                    let file = meta.is_ok_and(|m| m.is_file());
                    let plain = self::shown(&plain);
                    return if file {
                        format!("{shown} names a folder, but {plain} is {kind}: name it as {plain}")
                    } else {
                        format!("{shown} names a folder, but {plain} is {kind}")
                    };
                }
                format!(
                    "{shown}: no such file: {} on the way to it is {kind}, not a folder",
                    self::shown(file)
                )
            }
            // Which folder may not be entered, or the file's own permissions (session 47:
            // a trajectories CSV under a locked folder was "Permission denied" alone).
            ReadFailure::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                match current_folder_unenterable(path)
                    .or_else(|| folder_on_the_way_unenterable(path))
                {
                    Some(why) => format!("{shown}: {why}"),
                    None => format!(
                        "{shown}: {e}; {what} must be readable by this user (`ls -l -- {}` shows its owner and permissions)",
                        crate::error::shell_word(&path.to_string_lossy())
                    ),
                }
            }
            ReadFailure::Io(e) => format!("{shown}: {e}"),
        }
    }
}

/// What a path that is not a folder is, in words: "a file", or what else it is (helper-126:
/// `--out /dev/null` was "a file").
fn not_a_folder(m: &fs::Metadata) -> &'static str {
    if m.is_file() {
        "a file"
    } else {
        match kind_of(&m.file_type()) {
            "not a regular file" => "not a folder",
            kind => kind,
        }
    }
}

/// What kind of non-regular file `file_type` is, in words.
fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a folder";
    }
    if file_type.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Opens `path` for reading without blocking on a FIFO (the open of a FIFO waits for a
/// writer unless non-blocking; on a regular file the flag changes nothing).
fn open_for_reading(path: &Path) -> std::io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Whether a failure to read says the path cannot name a file at all.
fn names_no_file(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::NotADirectory || is_link_loop(e) || name_too_long(e)
}

/// A file as the file system knows it (device and inode), whatever path names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    #[cfg(unix)]
    fn of(meta: &Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId {
            device: meta.dev(),
            inode: meta.ino(),
        })
    }
    #[cfg(not(unix))]
    fn of(_: &Metadata) -> Option<FileId> {
        None
    }
}

/// The files this process has read as its inputs (a model, a trajectories_csv), so that
/// no output replaces one (helper-95: `compare d/summary.csv --out d` replaced the model
/// with its own summary, and `--out` into a model's folder its `yearly.csv` of
/// trajectories, each without a word).
static INPUTS: std::sync::Mutex<Vec<(FileId, PathBuf)>> = std::sync::Mutex::new(Vec::new());

fn remember_input(path: &Path, meta: &Metadata) {
    if let Some(id) = FileId::of(meta) {
        let mut inputs = INPUTS.lock().unwrap_or_else(|e| e.into_inner());
        if !inputs.iter().any(|(known, _)| *known == id) {
            inputs.push((id, path.to_path_buf()));
        }
    }
}

/// An error where `target` (with its metadata) is a file this run read as an input.
fn refuse_replacing_an_input(target: &Path, meta: &Metadata) -> Result<()> {
    refuse_touching_an_input(target, meta, "an output of that name would replace it")
}

/// [`refuse_replacing_an_input`] for an earlier run's output this one would remove
/// (helper-232: it was said to be replaced by an output of that name, which this run does
/// not write).
fn refuse_removing_an_input(target: &Path, meta: &Metadata) -> Result<()> {
    refuse_touching_an_input(
        target,
        meta,
        "an earlier run's record names it as its output, which this run would remove",
    )
}

fn refuse_touching_an_input(target: &Path, meta: &Metadata, why: &str) -> Result<()> {
    let Some(id) = FileId::of(meta) else {
        return Ok(());
    };
    let inputs = INPUTS.lock().unwrap_or_else(|e| e.into_inner());
    let Some((_, input)) = inputs.iter().find(|(known, _)| *known == id) else {
        return Ok(());
    };
    // `./summary.csv` and `summary.csv` are one path as written.
    let plain = |p: &Path| -> PathBuf {
        p.components()
            .filter(|c| *c != std::path::Component::CurDir)
            .collect()
    };
    let same = if plain(input) == plain(target) {
        String::new()
    } else if input == Path::new(STDIN_LABEL) {
        " (the file on standard input)".to_string()
    } else {
        format!(" (the same file as {})", shown(input))
    };
    Err(Error::Usage(format!(
        "{}{same} is an input of this run; {why}: write the outputs to another folder, or rename the input",
        shown(target),
    )))
}

/// The bytes of the regular file at `path`, at most `limit` of them.
fn read_regular_file(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, ReadFailure> {
    read_regular_file_and_metadata(path, limit).map(|(bytes, _)| bytes)
}

/// [`read_regular_file`], with the metadata of the file as opened.
fn read_regular_file_and_metadata(
    path: &Path,
    limit: u64,
) -> std::result::Result<(Vec<u8>, Metadata), ReadFailure> {
    let not_found = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => ReadFailure::Missing,
        _ => ReadFailure::Io(e),
    };
    // Checked before opening: opening a FIFO or a device can block or have effects.
    let meta = fs::metadata(path).map_err(not_found)?;
    if !meta.is_file() {
        return Err(ReadFailure::NotRegular(kind_of(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadFailure::TooLarge(limit));
    }
    let file = open_for_reading(path).map_err(not_found)?;
    // Checked again on the open file, in case the path was swapped since.
    let meta = file.metadata().map_err(ReadFailure::Io)?;
    if !meta.is_file() {
        return Err(ReadFailure::NotRegular(kind_of(&meta.file_type())));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    // One byte past the limit tells a file that grew past it from one that ends at it.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFailure::TooLarge(limit));
    }
    Ok((bytes, meta))
}

/// [`read_regular_file`] for an input of the run (a model, a trajectories_csv), which no
/// output may then replace ([`INPUTS`]): the file as opened and read is the one kept.
fn read_input(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, ReadFailure> {
    let (bytes, meta) = read_regular_file_and_metadata(path, limit)?;
    remember_input(path, &meta);
    Ok(bytes)
}

/// Reads and validates the model at `path`, or the built-in model when `path` is None.
pub fn load_model(path: Option<&Path>) -> Result<LoadedModel> {
    read_model_file(path)?.load(&[])
}

/// A model file's text, read but not yet validated, so that it can be loaded with
/// overrides (`--set`), once or many times.
#[derive(Debug, Clone)]
pub struct ModelFile {
    /// How the model is named in messages: the path as given, or the built-in model's name.
    pub label: String,
    pub text: String,
    /// [`crate::chart::short_hash`] of `text`: what chart footers trace a chart to.
    hash: String,
    /// The directory that paths in the model (`trajectories_csv`) are relative to.
    dir: Option<PathBuf>,
}

impl ModelFile {
    /// Validates the model with `overrides` applied in order (SPEC section 9).
    pub fn load(&self, overrides: &[crate::overrides::Override]) -> Result<LoadedModel> {
        let mut named_bytes = 0usize;
        let patched = crate::overrides::patch_and_parse_with(
            &self.label,
            &self.text,
            overrides,
            &mut |relative| {
                let text = self.read_named(relative)?;
                named_bytes += text.len();
                Ok(text)
            },
            &mut |a, b| self.names_one_file(a, b),
        )?;
        Ok(LoadedModel {
            model: patched.model,
            label: self.label.clone(),
            file_hash: self.hash.clone(),
            named_bytes,
            text: patched.text,
            warnings: patched.warnings,
            more_warnings: patched.more_warnings,
            overridden_by: overrides.iter().map(|o| o.origin.clone()).collect(),
            overrides: overrides.to_vec(),
            file_text: self.text.clone(),
        })
    }

    /// Whether two paths the model could name (relative to the model file) are one file, by
    /// device and inode; false where either cannot be found.
    fn names_one_file(&self, a: &Path, b: &Path) -> bool {
        let full = |p: &Path| match &self.dir {
            Some(d) => d.join(p),
            None => p.to_path_buf(),
        };
        let id = |p: &Path| fs::metadata(full(p)).ok().and_then(|m| FileId::of(&m));
        id(a).is_some_and(|a| Some(a) == id(b))
    }

    /// The text of a file the model names (`trajectories_csv`), relative to the model file;
    /// it goes through the same checks and limit as the model file.
    pub fn read_named(&self, relative: &str) -> std::result::Result<String, String> {
        let full: PathBuf = match &self.dir {
            Some(d) => d.join(relative),
            None => PathBuf::from(relative),
        };
        let stdin = if self.label == STDIN_LABEL {
            " (a model read from standard input names its files relative to the current folder)"
        } else {
            ""
        };
        let bytes = read_input(&full, MAX_CSV_BYTES)
            .map_err(|f| format!("{}{stdin}", f.describe(&full, "a trajectories CSV")))?;
        String::from_utf8(bytes).map_err(|e| {
            let bytes = e.as_bytes();
            // UTF-16, as Excel's "Unicode Text" saves, or UTF-32, by its byte-order mark.
            if let Some(encoding) = unicode_by_mark(bytes) {
                return format!(
                    "{} is {encoding} text (it begins with a {encoding} byte-order mark); save the file as CSV UTF-8 (in Excel: CSV UTF-8 (Comma delimited))",
                    shown(&full)
                );
            }
            // The line and column of the first byte that is not UTF-8, and the way out: a
            // spreadsheet saves "CSV" in its own code page unless told UTF-8 (helper-153:
            // "invalid byte at offset 44"). Lines end at CR LF, LF or a lone CR, as the
            // CSV reader reads them (a Mac spreadsheet's "CSV" ends lines with CR).
            let at = e.utf8_error().valid_up_to();
            let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let (mut line, mut column) = (1, 1);
            let mut chars = before.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\r' => {
                        chars.next_if_eq(&'\n');
                        (line, column) = (line + 1, 1);
                    }
                    '\n' => (line, column) = (line + 1, 1),
                    _ => column += 1,
                }
            }
            format!(
                "{}, line {line}, column {column}: not UTF-8 text (byte 0x{:02x}: a spreadsheet's own encoding, such as Windows-1252, most likely); save the file as CSV UTF-8 (in Excel: CSV UTF-8 (Comma delimited))",
                shown(&full),
                bytes[at]
            )
        })
    }
}

/// The Unicode encoding other than UTF-8 whose byte-order mark `bytes` begin with.
fn unicode_by_mark(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xff, 0xfe, 0, 0]) || bytes.starts_with(&[0, 0, 0xfe, 0xff]) {
        Some("UTF-32")
    } else if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        Some("UTF-16")
    } else {
        None
    }
}

/// How a model read from standard input is named in messages and chart footers.
pub const STDIN_LABEL: &str = "<stdin>";

/// The model text on standard input (`-`), up to [`MAX_MODEL_BYTES`].
fn read_model_from_stdin() -> Result<ModelFile> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_MODEL_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            // A folder on standard input (`check - < /tmp`) is bad usage, as a folder given
            // as MODEL is (helper-160: it was "Is a directory", exit 1).
            if e.kind() == std::io::ErrorKind::IsADirectory {
                Error::Usage(format!(
                    "{STDIN_LABEL}: standard input is a folder, not a model file; give the model's text on it (`- < model.toml`) or the model's path in place of `-`"
                ))
            } else {
                Error::io(Path::new(STDIN_LABEL), e)
            }
        })?;
    if bytes.len() as u64 > MAX_MODEL_BYTES {
        return Err(Error::Usage(format!(
            "{STDIN_LABEL}: more than {} MiB ({MAX_MODEL_BYTES} bytes), the limit for a model file",
            MAX_MODEL_BYTES / (1024 * 1024)
        )));
    }
    // A file redirected to standard input is an input as a named one is: no output may
    // replace it (helper-168: `compare - --out d < d/summary.csv` replaced the model with
    // its own summary).
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(meta) = std::io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .map(fs::File::from)
            .and_then(|file| file.metadata())
            && meta.is_file()
        {
            remember_input(Path::new(STDIN_LABEL), &meta);
        }
    }
    model_file_of_bytes(STDIN_LABEL.to_string(), bytes, None)
}

/// Where a missing model file is named as a trajectory of the built-in model is (`stakeshift
/// compare base`), that it is one (helper-256).
fn builtin_trajectory_hint(path: &Path) -> String {
    let Some(name) = path.to_str() else {
        return String::new();
    };
    let mut no_files = |_: &str| Err(String::new());
    let builtin = crate::model::parse_model(crate::model::ModelSource {
        text: crate::BUILTIN_MODEL,
        load: &mut no_files,
    });
    match builtin {
        // Not "use -t": `check` has none, and `explain base -t base` gave it already
        // (helper-258).
        Ok(model) if model.trajectories.iter().any(|t| t.name == name) => format!(
            "; `{name}` is a trajectory of the built-in model, not a file: leave MODEL out to run the built-in model"
        ),
        _ => String::new(),
    }
}

/// Where a missing model file (said so with `not_a_file`) or an unexpected argument reads as
/// a change to the model (`stakeshift compare equity.stake=0.3`) or a PATH of it
/// (`stakeshift tornado equity.stake`), how such a change is given (session 46: "no such model file" alone): written as a shell reads it, only for
/// a path the model's schema has a place for (helper-291: `cloud.backup`), and not where the
/// name reads as a file's (`equity.stake=0.3.toml`, `equity.stake=a/m.toml`).
pub fn path_operand_hint(path: &Path, not_a_file: bool) -> Option<String> {
    // (Not of a name too long to quote whole, which the hint would repeat: helper-294.)
    let name = path.to_str().filter(|name| name.chars().count() <= 100)?;
    let reads = if not_a_file { ", not a file:" } else { ":" };
    let file_like = |text: &str| {
        let extension = text
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        text.contains(['/', '\\'])
            || (text.contains('.')
                && matches!(
                    extension.as_str(),
                    "toml"
                        | "csv"
                        | "json"
                        | "txt"
                        | "md"
                        | "xlsx"
                        | "yaml"
                        | "yml"
                        | "bak"
                        | "old"
                        | "cfg"
                        | "ini"
                ))
    };
    // A path into one of the model's tables, or a derived key, that the schema knows.
    // (A top-level key only before an `=`: `discount_rate=0.1`; alone, `notes` is as likely
    // a file's name.)
    let place = |key: &str, given_a_value: bool| {
        let key = key.trim();
        if !(given_a_value || key.contains(['.', '['])) || file_like(key) {
            return None;
        }
        crate::overrides::OverridePath::parse(key)
            .ok()
            .and_then(|p| crate::overrides::schema_place(&p))
    };
    let arg = |flag: &str, text: &str| format!("{flag} {}", crate::error::shell_arg(text));
    let number = |key: &str| {
        crate::overrides::OverridePath::parse(key.trim())
            .ok()
            .and_then(|p| crate::overrides::schema_type(&p))
            .is_some_and(|t| matches!(t, "number" | "integer"))
    };
    let hint = match name.rsplit_once('=') {
        Some((key, value)) if !file_like(value) && !value.trim().is_empty() => {
            let takes_text = place(key, true)?;
            let (key, value) = (key.trim(), value.trim());
            // (A range of a number's only: `name=a..b` is text, helper-292.)
            if value.contains("..") && number(key) {
                // (Tornado takes no steps: `:STEPS` is sweep's alone.)
                let span = value.split_once(':').map_or(value, |(span, _)| span).trim();
                let steps = if span.len() < value.len() {
                    format!(
                        " (and `{}` for sweep)",
                        arg("--vary", &format!("{key}={value}"))
                    )
                } else {
                    String::new()
                };
                format!(
                    "`{name}` reads as a range of an input{reads} `sweep` and `tornado` take it as `{}`{steps}",
                    arg("--vary", &format!("{key}={span}"))
                )
            } else {
                // A key that takes text, its value in quotes.
                let value = if takes_text && !value.starts_with(['"', '\'']) {
                    crate::overrides::basic_string(value)
                } else {
                    value.to_string()
                };
                format!(
                    "`{name}` reads as a change to the model{reads} give it as `{}`",
                    arg("--set", &format!("{key}={value}"))
                )
            }
        }
        // (Written as a shell reads it: `trajectories[it's]`, helper-292; varied only where
        // it holds a number.)
        None if place(name, false).is_some() => {
            let varied = if number(name) {
                format!(
                    ", and varied with `{}` (`sweep`, `tornado`)",
                    arg("--vary", &format!("{name}=FROM..TO"))
                )
            } else {
                String::new()
            };
            format!(
                "`{name}` reads as a PATH of the model{reads} a value is changed with `{}`{varied}",
                arg("--set", &format!("{name}=VALUE"))
            )
        }
        _ => return None,
    };
    Some(hint)
}

/// Reads the model file at `path` (the built-in model when None), without validating it.
pub fn read_model_file(path: Option<&Path>) -> Result<ModelFile> {
    let Some(path) = path else {
        return Ok(ModelFile {
            label: crate::BUILTIN_MODEL_NAME.to_string(),
            text: crate::BUILTIN_MODEL.to_string(),
            hash: crate::chart::short_hash(crate::BUILTIN_MODEL),
            dir: None,
        });
    };
    // `-`: the model from standard input, as `init -` writes it to standard output
    // (helper-153: `stakeshift init - | stakeshift check -` said "-: no such model file").
    // A trajectories_csv it names is then relative to the current folder.
    if path == Path::new("-") {
        return read_model_from_stdin();
    }
    let label = path.display().to_string();
    // (As messages name it: a path of thousands of characters by its end, helper-177.)
    let named = shown(path);
    let bytes = read_input(path, MAX_MODEL_BYTES).map_err(|failure| match failure {
        // Naming a file that is not there is bad usage (exit 2), like a bad model.
        // (A link to nothing on the way said, as `init` says it: helper-244.)
        ReadFailure::Missing => match link_to_nothing_at_or_before(path) {
            Some(link) => Error::Usage(format!(
                "{named}: no such model file: {link}; give the path of a model (`stakeshift init` writes one)"
            )),
            None => Error::Usage(format!(
                "{named}: no such model file; give the path of a model (`stakeshift init` writes one){}{}",
                builtin_trajectory_hint(path),
                path_operand_hint(path, true).map_or(String::new(), |hint| format!("; {hint}"))
            )),
        },
        ReadFailure::NotRegular(_) | ReadFailure::TooLarge(_) => {
            Error::Usage(failure.describe(path, "a model file"))
        }
        // A path that cannot name a file (through a file, a loop of links, a name too
        // long) is a bad path as a missing file is (helper-78: exit 1 with the bare OS
        // message); other failures to read are the system's, exit 1.
        ReadFailure::Io(ref e) if is_link_loop(e) => {
            Error::Usage(failure.describe(path, "a model file"))
        }
        ReadFailure::Io(ref e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            Error::Usage(format!(
                "{}; give the path of a model (`stakeshift init` writes one)",
                failure.describe(path, "a model file")
            ))
        }
        ReadFailure::Io(e) if names_no_file(&e) => Error::Usage(format!(
            "{named}: {e}; give the path of a model (`stakeshift init` writes one)"
        )),
        // A model that may not be read is a bad model file too, as an unreadable
        // trajectories_csv is (helper-88: it was exit 1, the CSV's exit 2).
        ReadFailure::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            // (A bad model file's exit, 2, as an unreadable one's.)
            // (Through links, the folders on the way to what they name too: helper-294;
            // `folder_on_the_way_unenterable` follows them.)
            // (Not `chmod u+r`: the file may be another user's, helper-229; said as of a
            // trajectories CSV, helper-299.)
            match current_folder_unenterable(path).or_else(|| folder_on_the_way_unenterable(path))
            {
                Some(why) => Error::Usage(format!("{named}: {why}")),
                None => Error::Usage(format!(
                    "{named}: {e}; the model file must be readable by this user (`ls -l -- {}` shows its owner and permissions)",
                    crate::error::shell_word(&path.to_string_lossy())
                )),
            }
        }
        ReadFailure::Io(e) => Error::io(path, e),
    })?;
    model_file_of_bytes(label, bytes, path.parent().map(Path::to_path_buf))
}

/// A model file of `bytes` read from somewhere named `label`, whose relative paths are
/// relative to `dir` (the current folder for None): checked as UTF-8 text and for its count
/// of values, not yet validated.
fn model_file_of_bytes(label: String, bytes: Vec<u8>, dir: Option<PathBuf>) -> Result<ModelFile> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let location = crate::error::Location::of_offset(
            std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default(),
            at,
        );
        // UTF-16 (Windows Notepad's "Unicode") or UTF-32, by its byte-order mark.
        Error::Model {
            file: label.clone(),
            location: Some(location),
            field: String::new(),
            message: match unicode_by_mark(e.as_bytes()) {
                Some(encoding) => format!("the file is {encoding} text (it begins with a {encoding} byte-order mark); save it as UTF-8: a model file is TOML text in UTF-8 (see docs/MODEL.md)"),
                // The byte named, and what it likely is (helper-223: Windows-1252's curly
                // quotes and dashes, Latin-1's accented letters, from a spreadsheet's "save
                // as text").
                None => {
                    let byte = e.as_bytes()[at];
                    let likely = match byte {
                        // (A UTF-8 character cut off by the file's end: helper-224.)
                        _ if e.utf8_error().error_len().is_none() => {
                            " (the start of a character the file ends inside: cut off?)"
                        }
                        0x80 => " (the euro sign in Windows-1252)",
                        0x91..=0x94 => " (a curly quote in Windows-1252)",
                        0x96 | 0x97 => " (a dash in Windows-1252)",
                        0xA0 => " (a no-break space in Latin-1 or Windows-1252)",
                        0xA3 => " (the pound sign in Latin-1 or Windows-1252)",
                        0xD7 | 0xF7 => " (a multiplication or division sign in Latin-1)",
                        0xC0..=0xFF => " (an accented letter in Latin-1 or Windows-1252)",
                        _ => "",
                    };
                    format!("the file is not UTF-8 text: byte 0x{byte:02X}{likely} stands here; save the file as UTF-8 (a model file is TOML text in UTF-8, see docs/MODEL.md)")
                }
            },
        }
    })?;
    // Before any parse (overrides parse the text too): the count of values bounds the
    // memory parsing takes.
    crate::model::check_value_marks(&text).map_err(|issue| Error::Model {
        file: label.clone(),
        location: None,
        field: issue.field,
        message: issue.message,
    })?;
    Ok(ModelFile {
        label,
        hash: crate::chart::short_hash(&text),
        text,
        dir,
    })
}

/// The folder `path` is in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `path`: staged in a temporary file in the same folder, synced, then
/// renamed into place (see the module docs). The folder must exist; `path`, if it exists,
/// must be a regular file, not a link.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = folder_of(path);
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(m) => {
            return Err(Error::Usage(format!(
                "cannot write {}: {} is {}, not a folder",
                shown(path),
                shown(dir),
                not_a_folder(&m)
            )));
        }
        // A link to nothing in the folder's place cannot be created over (helper-243: `init
        // dang/x.toml` was told to create `dang`, which `mkdir` refuses).
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(link) = broken_link_on_the_way(dir) {
                return Err(Error::Usage(format!(
                    "cannot write {}: {link}",
                    shown(path)
                )));
            }
            // Through `..` or `.`, the first folder missing on the way, which can be made
            // (helper-243: `nodir/../m.toml` was told to create `nodir/..`).
            let mut missing = dir.to_path_buf();
            if dir
                .components()
                .any(|c| matches!(c, Component::ParentDir | Component::CurDir))
            {
                let mut part = PathBuf::new();
                for c in dir.components() {
                    part.push(c);
                    if fs::symlink_metadata(&part).is_err() {
                        missing = part;
                        break;
                    }
                }
            }
            return Err(Error::Usage(format!(
                "cannot write {}: the folder {} does not exist; create it first",
                shown(path),
                shown(&missing)
            )));
        }
        // (helper-228: a loop of links was the system's words and exit 1, where `--out`
        // through one is said as such, exit 2.)
        Err(e) if is_link_loop(&e) => return Err(loop_on_the_way(path)),
        Err(e) => return Err(Error::io(dir, e)),
    }
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Err(Error::Usage(format!(
            "cannot write {}: give the path of a file, with a UTF-8 file name",
            shown(path)
        )));
    };
    refuse_unwritable_folder(path)?;
    let files = [(name.to_string(), bytes.to_vec())];
    commit_set(dir, &files, None, &mut |from, to| fs::rename(from, to)).map(|_| ())
}

/// Refuses a file whose folder is there but this user may not write into, or may write
/// into but not list, saying so of the folder (helper-295: `init` into a folder of mode 500
/// was "Permission denied" alone, of mode 100 "may write into the folder but not list it").
/// Other failures are left to the writing, which says them.
pub fn refuse_unwritable_folder(path: &Path) -> Result<()> {
    let dir = folder_of(path);
    if !dir.is_dir() {
        return Ok(());
    }
    match may_write_into(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            let (named, for_ls) = folder_for_ls(dir);
            Err(Error::io(
                path,
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "{e}: this user may not write into {named} (`ls -ld -- {for_ls}` shows its owner and permissions); name a folder this user may write into"
                    ),
                ),
            ))
        }
        // A folder that may be written into but not listed (mode 300): the roll-back of a
        // stopped write lists it. Said of the file being written, not as `--out`'s
        // "results" (session 47's Left list: `init wo/m.toml`).
        Ok(()) if !may_list(dir) => {
            let (named, for_ls) = folder_for_ls(dir);
            Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!(
                        // ("the current folder, /abs," : helper-306.)
                        "this user may write into {named}{} but not list it; stakeshift lists the folder it writes a file into, to find and undo a write stopped half-way (`ls -ld -- {for_ls}` shows its owner and permissions): allow reading it, or name a file in another folder",
                        if named.contains(", ") { "," } else { "" }
                    ),
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// The checks [`write_set`] (with a `family`) or [`write_all`] makes of `dir` and of the set
/// before it writes anything (the folder; each target, and with a family the record, a
/// regular file if there; no input replaced, nor removed as an earlier run's output), for a
/// command to make before it prints (helper-229: a set refused as bad usage was refused
/// after its table had gone to stdout; helper-231: the record and the stale members too).
/// The folder's lock is not taken.
pub fn check_set(dir: &Path, files: &[(String, Vec<u8>)], family: Option<&[String]>) -> Result<()> {
    check_out_folder(dir)?;
    let record = family.map(|_| MANIFEST_NAME);
    for name in files.iter().map(|(name, _)| name.as_str()).chain(record) {
        let target = dir.join(name);
        if let Some(m) = replaceable_in_folder(&target)? {
            refuse_replacing_an_input(&target, &m)?;
        }
    }
    // An input among the files the record names: only then is the plan made, whose
    // fingerprints read each such file whole (a recorded paths.csv of gigabytes read for
    // nothing before every run), to see whether it would be removed.
    if let Some(family) = family {
        let inputs: Vec<(PathBuf, Error)> = read_record(dir)
            .into_iter()
            .map(|(name, _)| dir.join(name))
            .filter_map(|member| {
                let m = fs::symlink_metadata(&member).ok()?;
                let refused = refuse_removing_an_input(&member, &m).err()?;
                Some((member, refused))
            })
            .collect();
        if !inputs.is_empty() {
            let (_, stale) = manifest_plan(dir, files, family);
            if let Some((_, refused)) = inputs.into_iter().find(|(m, _)| stale.contains(m)) {
                return Err(refused);
            }
        }
    }
    Ok(())
}

/// The file at `path` if it may be replaced: None when there is none, its metadata when it
/// is a regular file; an error naming it when it is anything else (a symbolic link too).
pub fn replaceable(path: &Path) -> Result<Option<Metadata>> {
    replaceable_as(path, "name the file it points to")
}

/// [`replaceable`] for a file of an output folder, which the user names by its folder
/// (helper-240: a link in the folder was told "name the file it points to").
fn replaceable_in_folder(path: &Path) -> Result<Option<Metadata>> {
    replaceable_as(path, "name another folder")
}

/// [`replaceable`], with what else to do about a symbolic link in the file's place.
fn replaceable_as(path: &Path, or_else: &str) -> Result<Option<Metadata>> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(Some(m)),
        Ok(m) if m.file_type().is_symlink() => Err(Error::Usage(format!(
            "{} is a symbolic link; stakeshift replaces only regular files and does not write \
             through links: remove the link, or {or_else}",
            shown(path)
        ))),
        Ok(m) => Err(Error::Usage(format!(
            "{} is {}; stakeshift replaces only regular files: move it away or choose \
             another path",
            shown(path),
            kind_of(&m.file_type())
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            Err(file_in_the_way(path, "cannot write"))
        }
        Err(e) if is_link_loop(&e) => Err(loop_on_the_way(path)),
        Err(e) if name_too_long(&e) => Err(too_long(path)),
        Err(e) => Err(unenterable_on_the_way(path).unwrap_or_else(|| Error::io(path, e))),
    }
}

/// [`unenterable_current_folder`], or where a folder on the way to `path` may not be
/// entered, the error that names it (session 47: `init locked/sub/m.toml` was "Permission
/// denied" alone).
fn unenterable_on_the_way(path: &Path) -> Option<Error> {
    unenterable_current_folder(path).or_else(|| {
        let why = folder_on_the_way_unenterable(path)?;
        Some(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, why),
        ))
    })
}

/// Where `path` is relative and this user may not enter the current folder (helper-288,
/// run from a folder of mode 000: `--out charts` was told to `chmod u+r` a folder that is
/// not there, `init m.toml` "Permission denied" alone), the error that says so.
fn unenterable_current_folder(path: &Path) -> Option<Error> {
    let why = current_folder_unenterable(path)?;
    Some(Error::io(
        path,
        std::io::Error::new(std::io::ErrorKind::PermissionDenied, why),
    ))
}

/// What [`unenterable_current_folder`] says, where it applies.
fn current_folder_unenterable(path: &Path) -> Option<String> {
    if path.is_absolute() {
        return None;
    }
    let e = fs::metadata(".").err()?;
    (e.kind() == std::io::ErrorKind::PermissionDenied).then(|| {
        let here = std::env::current_dir()
            .map(|d| format!("the current folder, {}", shown(&d)))
            .unwrap_or_else(|_| "the current folder".into());
        format!(
            "{e}: this user may not enter {here}, where it is: run stakeshift from a folder this user may enter, or give a full path"
        )
    })
}

/// Where a folder on the way to `path` may not be entered by this user (search permission:
/// `/srv/locked/m.toml` under a folder of mode 000), what says so (helper-292: the file was
/// told to be made readable, `chmod u+r`, which would not help).
#[cfg(unix)]
fn folder_on_the_way_unenterable(path: &Path) -> Option<String> {
    // (Through a file that is a link, the folders on the way to what it names, link after
    // link: helper-295, a trajectories CSV linked into a locked folder was told its own
    // permissions; helper-296, two links deep.)
    // (The last link's target checked too: helper-297, the eighth of eight was not.)
    let (folder, through, e) = link_chain(path).enumerate().find_map(|(depth, at)| {
        let (folder, through, e) = unenterable_folder(&at, depth as u32)?;
        let through = through.or_else(|| (depth > 0).then(|| path.to_path_buf()));
        Some((folder, through, e))
    })?;
    // (Through `..`, a link's relative target, by the folder it is: helper-299, `may not
    // enter open/../locked`.)
    let folder = if folder
        .components()
        .any(|c| matches!(c, Component::CurDir | Component::ParentDir))
    {
        fs::canonicalize(&folder).unwrap_or(folder)
    } else {
        folder
    };
    let through = through.map_or(String::new(), |link| {
        format!(" (through the link {})", shown(&link))
    });
    Some(format!(
        "{e}: this user may not enter {}, a folder on the way to it{through} (`ls -ld -- {}` shows its owner and permissions)",
        shown(&folder),
        crate::error::shell_word(&folder.to_string_lossy())
    ))
}

/// How many symbolic links in a row a message follows to name the folder behind them: as
/// many as Linux follows in opening a path (MAXSYMLINKS), so that a path the system
/// reached is never cut short (helper-297: 8 named a link as the folder).
const LINKS_FOLLOWED: u32 = 40;

/// `path`, then what the symbolic link there names, and so on while each is a link: at most
/// [`LINKS_FOLLOWED`] links followed. A link's relative target is taken from the link's
/// folder, as the system takes it.
fn link_chain(path: &Path) -> impl Iterator<Item = PathBuf> {
    std::iter::successors(Some(path.to_path_buf()), |at| link_target(at))
        .take(LINKS_FOLLOWED as usize + 1)
}

/// What the symbolic link `at` names, a relative target taken from the link's folder; None
/// where `at` is no link.
fn link_target(at: &Path) -> Option<PathBuf> {
    let to = fs::read_link(at).ok()?;
    Some(at.parent().map_or(to.clone(), |dir| dir.join(&to)))
}

/// `path` with the symbolic links in its place followed (up to [`LINKS_FOLLOWED`]), and the
/// link given where one was: what `ls -ld` shows the permissions of (helper-296: `--out
/// lockl`, a link to a folder that may not be written into, named the link).
fn behind_links(path: &Path) -> (PathBuf, Option<PathBuf>) {
    let at = link_chain(path)
        .last()
        .unwrap_or_else(|| path.to_path_buf());
    // (Still a link past them: named as given, which is all that can be said.)
    if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
        return (path.to_path_buf(), None);
    }
    let through = (at != path).then(|| path.to_path_buf());
    (at, through)
}

/// A folder as a message names it, where `ls -ld -- FOLDER` shows its owner and
/// permissions: the folder behind a link, saying which link; the current folder by its full
/// path (helper-296: "may not write into .").
fn folder_for_ls(folder: &Path) -> (String, String) {
    let (behind, through) = behind_links(folder);
    let through = through.map_or(String::new(), |link| {
        format!(" (through the link {})", shown(&link))
    });
    // (A path through `.` or `..` by the folder it is: helper-297, `--out .` and `--out
    // x/..` were "it".)
    let relative_parts = behind
        .components()
        .any(|c| matches!(c, Component::CurDir | Component::ParentDir));
    let resolved = relative_parts
        .then(|| fs::canonicalize(&behind).ok())
        .flatten();
    let here = std::env::current_dir().ok();
    let named = match (&resolved, &here) {
        (Some(folder), Some(here)) if folder == here => {
            format!("the current folder, {}", shown(here))
        }
        (Some(folder), _) => shown(folder),
        (None, _) if behind == Path::new(".") => here.as_deref().map_or_else(
            || "the current folder".to_string(),
            |d| format!("the current folder, {}", shown(d)),
        ),
        (None, _) => shown(&behind),
    };
    (
        format!("{named}{through}"),
        crate::error::shell_word(&behind.to_string_lossy()),
    )
}

/// The first folder on the way to `path` that this user may not enter (search permission),
/// and the link on the way it was reached through, if any: a link to a folder is followed
/// to the folder it names (helper-295: `via -> locked/sub` was named itself, and `ls -ld
/// via` shows the link), up to [`LINKS_FOLLOWED`] links deep (`depth` those followed so
/// far). With the system's words for the refusal.
#[cfg(unix)]
fn unenterable_folder(path: &Path, depth: u32) -> Option<(PathBuf, Option<PathBuf>, String)> {
    use std::os::unix::ffi::OsStrExt;
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty())?;
    let mut on_the_way: Vec<&Path> = parent.ancestors().collect();
    on_the_way.reverse();
    on_the_way.into_iter().find_map(|folder| {
        let c = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
        // SAFETY: `c` is a NUL-terminated string that outlives the call.
        let searchable =
            unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), libc::X_OK, libc::AT_EACCESS) };
        let e = std::io::Error::last_os_error();
        if searchable == 0 || e.kind() != std::io::ErrorKind::PermissionDenied {
            return None;
        }
        // A link whose own folder may be entered: the folder it names, or one on the way.
        if depth < LINKS_FOLLOWED
            && let Some(target) = link_target(folder)
        {
            // (The folders on the way to a name inside the target: the target among them.)
            if let Some((inner, _, said)) = unenterable_folder(&target.join("x"), depth + 1) {
                return Some((inner, Some(folder.to_path_buf()), said));
            }
        }
        Some((folder.to_path_buf(), None, e.to_string()))
    })
}
#[cfg(not(unix))]
fn folder_on_the_way_unenterable(_: &Path) -> Option<String> {
    None
}

/// The longest name of one file or folder most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// Whether `e` is the system's "File name too long": a part of the path, or the whole, past
/// what the file system takes.
fn name_too_long(e: &std::io::Error) -> bool {
    is_os_error(e, OsError::NameTooLong)
}

/// The error for an output path the file system cannot take: bad usage, as an input's is,
/// and found before anything is computed (helper-236: exit 1 after the run, where `check`
/// of such a path was exit 2).
fn too_long(path: &Path) -> Error {
    Error::Usage(format!(
        "{}: a name in this path is longer than the file system allows (most take 255 bytes \
         a name, and 4,096 a path); choose a shorter one",
        shown(path)
    ))
}

/// The error for a file path reached through a loop of symbolic links: bad usage, said as
/// `--out` through one is (helper-228: the system's words and exit 1).
fn loop_on_the_way(path: &Path) -> Error {
    let folder = folder_of(path);
    let said = broken_link_on_the_way(folder).unwrap_or_else(|| {
        format!(
            "{} is reached through a loop of symbolic links",
            shown(folder)
        )
    });
    Error::Usage(format!(
        "cannot write {}: {said}; remove the link, or name another folder",
        shown(path)
    ))
}

/// The part of `path` that is no folder though the path goes on through it (`notes.txt`
/// of `notes.txt/out`), and what it is in words ("a file"); `path` itself where none is.
fn not_a_folder_on_the_way(path: &Path) -> (&Path, &'static str) {
    let file = path
        .ancestors()
        .skip(1)
        .find(|p| fs::metadata(p).is_ok_and(|m| !m.is_dir()))
        .unwrap_or(path);
    (
        file,
        fs::metadata(file).map_or("a file", |m| not_a_folder(&m)),
    )
}

/// The error for a path through a file (`notes.txt/out`): the part of `path` that is a
/// file, not a folder, named. Bad usage, as a file given where a folder is meant.
fn file_in_the_way(path: &Path, doing: &str) -> Error {
    let (file, kind) = not_a_folder_on_the_way(path);
    Error::Usage(format!(
        "{doing} {}: {} is {kind}, not a folder",
        shown(path),
        shown(file)
    ))
}

/// Writes several files into `dir` (created if needed) as one set, all or nothing (see the
/// module docs for exactly what is promised). What a rollback of a stopped run's set found
/// as it began (a file written since, a missing backup) waits in [`take_rollback_notes`]. Nothing is recorded or removed: for the
/// outputs of a command, which replace an earlier run's, use [`write_set`].
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let created = prepare_folder(dir)?;
    let written = commit_set(dir, files, None, &mut |from, to| fs::rename(from, to));
    if written.is_err() {
        remove_created(&created);
    }
    written.map(|_| ())
}

/// Writes `files` into `dir` (created if needed) as one set, all or nothing, records their
/// names in [`MANIFEST_NAME`], and removes the files an earlier run recorded that belong to
/// `family` (every name the command can write) but are not among `files`. What a
/// rollback of a stopped run's set in `dir` found as it began (a file written since, a
/// missing backup) waits in [`take_rollback_notes`] for the caller to tell the user. Returns
/// the names of the earlier run's files it removed, for the caller to say (helper-228: a
/// 320 MB `paths.csv` went without a word).
pub fn write_set(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    family: &[String],
) -> Result<Vec<String>> {
    let created = prepare_folder(dir)?;
    let written = commit_set(dir, files, Some(family), &mut |from, to| {
        fs::rename(from, to)
    });
    if written.is_err() {
        remove_created(&created);
    }
    written
}

/// Removes the folders a failed run created for its outputs, deepest first, each only if
/// empty (helper-133: a run that failed on a full disk left the new folder behind, empty).
fn remove_created(created: &[PathBuf]) {
    for folder in created {
        if fs::remove_dir(folder).is_err() {
            break;
        }
    }
}

/// Whether `dir` can be an output folder, as far as can be told without creating it: a
/// file in its place or on the way to it (`notes.txt/out`), or a link to nothing, is bad
/// usage. Commands call it before they compute (helper-160: a million simulated paths were
/// run before `--out afile` was refused), and [`write_set`] again before it writes.
pub fn check_out_folder(dir: &Path) -> Result<()> {
    // The path without a trailing `/` (helper-175: `afile/` failed to be read as what it
    // names, with "Not a directory", and so was taken for a folder to create; the run
    // computed everything and then failed with "File exists"). Messages name `dir` as given.
    let given = dir;
    let plain: std::path::PathBuf = dir.components().collect();
    let dir = if plain.as_os_str().is_empty() {
        dir
    } else {
        plain.as_path()
    };
    // A link to nothing, the folder's or one on the way to it: "File exists" from the
    // folder's creation said nothing of it (helper-106, helper-107: `dang/sub`).
    if let Some(message) = broken_link_on_the_way(dir) {
        return Err(Error::Usage(format!(
            "{message}; --out names a folder to write into: remove the link, or name another folder"
        )));
    }
    match fs::metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Err(Error::Usage(format!(
                "{} is {}, not a folder; --out names a folder to write into (it is created if needed)",
                shown(given),
                not_a_folder(&m)
            )));
        }
        Ok(_) => {}
        Err(_)
            if dir
                .ancestors()
                .skip(1)
                .any(|p| fs::metadata(p).is_ok_and(|m| !m.is_dir())) =>
        {
            return Err(file_in_the_way(dir, "cannot create the folder"));
        }
        // (A part past the file system's names, also below a folder not made yet, which
        // the system's lookup stops at first.)
        Err(e) if name_too_long(&e) => return Err(too_long(given)),
        Err(_) if dir.components().any(|c| c.as_os_str().len() > NAME_MAX) => {
            return Err(too_long(given));
        }
        // A folder on the way this user may not enter (session 47: `--out locked/sub/out`,
        // `sub` there but hidden, was told it may not write into `locked`).
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            // (The current folder first, where the path is relative: helper-295, `--out a/b`
            // from a folder of mode 000 named `a`.)
            if let Some(why) =
                current_folder_unenterable(dir).or_else(|| folder_on_the_way_unenterable(dir))
            {
                return Err(Error::io(
                    given,
                    std::io::Error::new(
                        e.kind(),
                        format!("{why}; name a folder this user may write into"),
                    ),
                ));
            }
        }
        Err(_) => {}
    }
    // The folder, or the nearest one on the way that is there, must let us write into it
    // (helper-161: a folder we may not write in was found only after the run).
    let nearest = dir
        .ancestors()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .find(|p| fs::metadata(p).is_ok());
    match nearest {
        Some(folder) => {
            // (helper-228: "rod/x: Permission denied" named neither the folder that may not
            // be written into nor what to do.)
            may_write_into(folder).map_err(|e| {
                if e.kind() != std::io::ErrorKind::PermissionDenied {
                    return Error::io(given, e);
                }
                // (The folder behind a link, naming the link: helper-296.)
                let (named, for_ls) = folder_for_ls(folder);
                let which = if folder == dir && named == shown(dir) {
                    "this user may not write into it".to_string()
                } else if folder == dir {
                    format!("this user may not write into {named}")
                } else {
                    format!("this user may not write into {named}, where it would be created")
                };
                // (Not `chmod u+w`: the folder may be another user's, or lack only `x`:
                // helper-229.)
                Error::io(
                    given,
                    std::io::Error::new(
                        e.kind(),
                        format!(
                            "{e}: {which} (`ls -ld -- {for_ls}` shows its owner and permissions); name a folder this user may write into"
                        ),
                    ),
                )
            })?;
            // The folder itself must also be readable: a stopped run's journal is found by
            // listing it, and a folder we may write in but not list (mode 0300) kept a
            // half-replaced set for good, without a word (helper-168).
            // (A permission, as one to write: exit 1, not bad usage. The writer refuses
            // such a folder too, however it is reached: `FolderLock::Unlistable`.)
            if folder == dir && !may_list(folder) {
                return Err(unlistable(given));
            }
            // What permissions allow, a file system may still refuse (helper-240: `--out
            // /sys/x` printed the table, then failed with "Operation not permitted"):
            // a folder made and removed at once says so before anything is printed.
            // (Said of the folder, the system's words after: helper-242, "/proc: No such
            // file or directory" of a folder that is there.)
            try_a_folder_in(folder).map_err(|e| {
                Error::io(
                    given,
                    std::io::Error::new(
                        e.kind(),
                        format!(
                            "{} takes no new files or folders (a folder made there to try: {e}); name another folder",
                            shown(folder)
                        ),
                    ),
                )
            })?;
            Ok(())
        }
        // No folder on the way is there to this user: a current folder it may not enter.
        None => unenterable_current_folder(given).map_or(Ok(()), Err),
    }
}

/// Makes an empty folder of a name no one uses in `folder`, and removes it: whether the
/// file system lets this process create there, which permissions alone do not tell (sysfs
/// and procfs refuse root).
fn try_a_folder_in(folder: &Path) -> std::io::Result<()> {
    static TRIES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = TRIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let probe = folder.join(format!(".stakeshift-try-{}-{n}", std::process::id()));
    match fs::create_dir(&probe) {
        Ok(()) => {
            let _ = fs::remove_dir(&probe);
            Ok(())
        }
        // (Only a leftover of the same name, from a process of this id that was killed
        // between the two calls.)
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The error of an output folder this user may write into but not read (mode 0300).
fn unlistable(dir: &Path) -> Error {
    Error::io(
        dir,
        std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "this user may write into the folder but not list it; stakeshift lists an output folder to find and undo a run stopped half-way: allow reading it (`chmod u+r`), or name another folder",
        ),
    )
}

/// Whether this process may list `folder` (read permission, for the effective user).
#[cfg(unix)]
fn may_list(folder: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(folder.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: `path` is a NUL-terminated string that outlives the call.
    unsafe { libc::faccessat(libc::AT_FDCWD, path.as_ptr(), libc::R_OK, libc::AT_EACCESS) == 0 }
}
#[cfg(not(unix))]
fn may_list(_: &Path) -> bool {
    true
}

/// Whether this process may create files in `folder` (write and search permission, a file
/// system not mounted read-only), as faccessat(2) tells for the effective user.
#[cfg(unix)]
fn may_write_into(folder: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(folder.as_os_str().as_bytes()) else {
        return Ok(());
    };
    // With the effective user and its capabilities, as the writing will be (access(2)
    // asks for the real user's: a process given CAP_DAC_OVERRIDE was refused; helper-162).
    // SAFETY: `path` is a NUL-terminated string that outlives the call.
    let allowed = unsafe {
        libc::faccessat(
            libc::AT_FDCWD,
            path.as_ptr(),
            libc::W_OK | libc::X_OK,
            libc::AT_EACCESS,
        )
    };
    if allowed == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}
#[cfg(not(unix))]
fn may_write_into(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Creates the output folder; an existing file in its place, or on the way to it
/// (`notes.txt/out`), is bad usage. Returns the folders it created, deepest first.
fn prepare_folder(dir: &Path) -> Result<Vec<PathBuf>> {
    check_out_folder(dir)?;
    // Made by its plain components (helper-228: `--out new/.` was "No such file or
    // directory", as creating `new/.` is before `new` exists).
    let plain: PathBuf = dir.components().collect();
    let dir = if plain.as_os_str().is_empty() {
        dir
    } else {
        plain.as_path()
    };
    let missing: Vec<PathBuf> = dir
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .take_while(|p| fs::symlink_metadata(p).is_err())
        // Only folders named by their own names: `wo/x/..` makes `wo/x`, and a failed run
        // removes that one (its `..` named `wo`, which stopped the removal there).
        .filter(|p| matches!(p.components().next_back(), Some(Component::Normal(_))))
        .map(Path::to_path_buf)
        .collect();
    fs::create_dir_all(dir).map_err(|e| {
        // The folders made before the one that failed go again (helper-236: `x/` was left
        // by a run whose next folder's name was too long).
        remove_created(&missing);
        if e.kind() == std::io::ErrorKind::NotADirectory {
            file_in_the_way(dir, "cannot create the folder")
        } else {
            Error::io(dir, e)
        }
    })?;
    Ok(missing)
}

/// What is wrong where `dir`, or a folder on the way to it, is a symbolic link that leads
/// nowhere: to nothing (dangling) or round in a loop. None where `dir` resolves, or where
/// no link on the way is broken (another error then speaks for itself).
fn broken_link_on_the_way(dir: &Path) -> Option<String> {
    if fs::metadata(dir).is_ok() {
        return None;
    }
    let link = dir
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| {
            // (Not a link into a folder this user may not enter, whose lookup is refused,
            // not missing: helper-295, `--out via/out` was told `via` led nowhere.)
            fs::metadata(p).is_err_and(|e| e.kind() != std::io::ErrorKind::PermissionDenied)
                && fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
        })?;
    let looped = fs::metadata(link).err().is_some_and(|e| is_link_loop(&e));
    let what = if looped {
        "a symbolic link that leads round in a loop"
    } else {
        "a link to nothing (a dangling symbolic link)"
    };
    Some(if link == dir {
        format!("{} is {what}", shown(dir))
    } else {
        format!(
            "cannot create {}: {} on the way to it is {what}",
            shown(dir),
            shown(link)
        )
    })
}

/// Whether `path` names this process's standard input: the file it leads to is the one
/// `/dev/stdin` leads to (any alias: `/dev/fd/../fd/0`, a link to `/dev/stdin`; helper-251).
fn names_standard_input(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let id = |p: &Path| fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
        id(path).is_some_and(|own| id(Path::new("/dev/stdin")) == Some(own))
    }
    #[cfg(not(unix))]
    {
        path == Path::new("/dev/stdin")
    }
}

/// Why a file to read is not there, where a link is the cause: the path itself a link to
/// nothing (helper-245 left `check dang`, a dangling link named as the model, told only "no
/// such model file"), or one of the folders on its way.
fn link_to_nothing_at_or_before(path: &Path) -> Option<String> {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && fs::metadata(path).is_err() {
        let looped = fs::metadata(path).err().is_some_and(|e| is_link_loop(&e));
        if looped {
            return Some("it is a symbolic link that leads round in a loop".to_string());
        }
        let Ok(target) = fs::read_link(path) else {
            return Some("it is a link to nothing (a dangling symbolic link)".to_string());
        };
        // A link to a link to nothing: the end of the chain is what is not there
        // (helper-250: `dang2 -> dang -> nothere` said `dang` was not there).
        let mut end = target.clone();
        let mut at = path.parent().unwrap_or(Path::new("")).join(&target);
        for _ in 0..LINKS_FOLLOWED {
            let Ok(next) = fs::read_link(&at) else { break };
            at = at.parent().unwrap_or(Path::new("")).join(&next);
            end = next;
        }
        return Some(if end == target {
            format!(
                "it is a link to {}, which is not there (a dangling symbolic link)",
                shown(&target)
            )
        } else {
            format!(
                "it is a link to {}, which leads on to {}, which is not there (a dangling symbolic link)",
                shown(&target),
                shown(&end)
            )
        });
    }
    path.parent()
        .and_then(broken_link_on_the_way)
        // (Said of reading: "cannot create" is `--out`'s word, helper-245.)
        .map(|link| match link.split_once(": ") {
            Some((lead, rest)) if lead.starts_with("cannot create ") => rest.to_string(),
            _ => link,
        })
}

/// Whether `e` is the operating system's "too many levels of symbolic links".
fn is_link_loop(e: &std::io::Error) -> bool {
    is_os_error(e, OsError::LinkLoop)
}

/// The system's errors that messages tell apart by their number.
#[derive(Debug, Clone, Copy)]
enum OsError {
    /// `ELOOP`.
    LinkLoop,
    /// `ENAMETOOLONG`.
    NameTooLong,
}

/// Whether `e` is the system's error `which` (on Unix; elsewhere none is told apart).
fn is_os_error(e: &std::io::Error, which: OsError) -> bool {
    #[cfg(unix)]
    {
        let code = match which {
            OsError::LinkLoop => libc::ELOOP,
            OsError::NameTooLong => libc::ENAMETOOLONG,
        };
        e.raw_os_error() == Some(code)
    }
    #[cfg(not(unix))]
    {
        let _ = (e, which);
        false
    }
}

/// The names a manifest lists (plain file names only: a line with a path separator or a
/// leading dot is ignored, so a damaged record cannot point outside the folder).
#[cfg(test)]
fn read_manifest(dir: &Path) -> Vec<String> {
    read_record(dir).into_iter().map(|(name, _)| name).collect()
}

/// What the record says of a file written: its size and [`fingerprint`].
type AsWritten = (u64, u64);

/// What the record says of a file: nothing more than its name (a record of an earlier
/// version), its size and fingerprint, or something this version cannot read (a
/// fingerprint of another kind: the file is then kept, as one that cannot be checked;
/// helper-197).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recorded {
    Name,
    Written(AsWritten),
    Unreadable,
}

/// The record's files, each with what the record says of it.
fn read_record(dir: &Path) -> Vec<(String, Recorded)> {
    let path = dir.join(MANIFEST_NAME);
    // A record that is unreadable or odd is ignored: at worst stale files stay.
    let Ok(bytes) = read_regular_file(&path, MAX_MODEL_BYTES) else {
        return Vec::new();
    };
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let name = parts.next()?.trim();
            if name.is_empty() || name.starts_with(['#', '.']) || name.contains(['/', '\\']) {
                return None;
            }
            let read = |w: &str| {
                let mut fields = w.trim().split(':');
                let (version, size, print) = (fields.next()?, fields.next()?, fields.next()?);
                if version != FINGERPRINT_VERSION || fields.next().is_some() {
                    return None;
                }
                Some((size.parse().ok()?, u64::from_str_radix(print, 16).ok()?))
            };
            let recorded = match parts.next() {
                None => Recorded::Name,
                Some(w) => read(w).map_or(Recorded::Unreadable, Recorded::Written),
            };
            Some((name.to_string(), recorded))
        })
        .collect()
}

/// A 64-bit hash of `bytes`, a word (eight bytes) at a time: each word is xored in and
/// the whole mixed by SplitMix64's finalizer, a one-to-one mix in which every input bit
/// reaches every output bit, so that a change to one word always shows and changes to
/// several cancel only by chance (one in 2^64). Enough to tell a file stakeshift wrote from
/// one put in its place or edited. (helper-194, -196: FNV-1a's step, and then a multiply
/// and one xor-shift, a word at a time, left fixed patterns of two and three bit flips that
/// cancelled.)
fn fingerprint(bytes: &[u8]) -> u64 {
    fingerprint_on(FINGERPRINT_START, bytes)
}

const FINGERPRINT_START: u64 = 0xcbf2_9ce4_8422_2325;

/// The record's version of [`fingerprint`], written before it (`2:size:hash`): an entry of
/// another version cannot be checked ([`Recorded::Unreadable`]).
const FINGERPRINT_VERSION: &str = "2";

/// One word into the hash.
fn fingerprint_word(hash: u64, word: u64) -> u64 {
    let mut z = hash ^ word;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// [`fingerprint`] carried on from `hash` over more bytes (all pieces but the last a
/// multiple of eight bytes long, for the same result as over the whole).
fn fingerprint_on(hash: u64, bytes: &[u8]) -> u64 {
    let words = bytes.chunks_exact(8);
    let rest = words.remainder();
    let hash = words.fold(hash, |hash, w| {
        fingerprint_word(hash, u64::from_le_bytes(w.try_into().expect("eight bytes")))
    });
    // The last bytes as one word, with their number (so that trailing zeros count).
    if rest.is_empty() {
        return hash;
    }
    let mut last = [0u8; 8];
    last[..rest.len()].copy_from_slice(rest);
    fingerprint_word(
        fingerprint_word(hash, u64::from_le_bytes(last)),
        rest.len() as u64,
    )
}

/// Whether the file at `path` is still the one the record says was written: its size, then
/// its bytes' fingerprint (read only where the size agrees). A name alone (an earlier
/// version's record) is taken at its word; a fingerprint this version cannot read is not.
fn still_as_written(path: &Path, recorded: Recorded) -> bool {
    let (size, print) = match recorded {
        Recorded::Name => return true,
        Recorded::Unreadable => return false,
        Recorded::Written(written) => written,
    };
    if !fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == size) {
        return false;
    }
    // Read a piece at a time: a recorded paths.csv may be 2 GB. Each piece is whole (to
    // its length or the file's end), so that only the last is short.
    const PIECE: usize = 1 << 16;
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut piece = Vec::with_capacity(PIECE);
    let (mut hash, mut read) = (FINGERPRINT_START, 0u64);
    loop {
        piece.clear();
        if (&mut file)
            .take(PIECE as u64)
            .read_to_end(&mut piece)
            .is_err()
        {
            return false;
        }
        hash = fingerprint_on(hash, &piece);
        read += piece.len() as u64;
        if read > size {
            return false;
        }
        if piece.len() < PIECE {
            return read == size && hash == print;
        }
    }
}

/// One step of putting a set in place, as needed to undo it.
enum Done {
    /// `target` was replaced or created; its old content is in `backup` (None: it is new).
    Placed {
        target: PathBuf,
        backup: Option<PathBuf>,
    },
    /// A stale `target` was moved to `backup`.
    Removed { target: PathBuf, backup: PathBuf },
}

/// A fresh name in `dir` for a temporary or backup file: `.stakeshift-<pid>-<n>.<ext>`.
fn private_name(dir: &Path, ext: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(
        "{TEMP_PREFIX}{}-{nanos:09}{n}.{ext}",
        std::process::id()
    ))
}

fn backup_name(dir: &Path) -> PathBuf {
    private_name(dir, "bak")
}

/// A temporary file of this run, removed when dropped unless kept. Its path stays as it was
/// made, relative where the output folder was given so (helper-228: `tempfile::TempPath`
/// made it absolute, and a run in a folder under one this user may not search, or whose
/// absolute path is past PATH_MAX, could not write, left its temporary files behind and
/// said nothing was changed).
struct TempFile {
    path: Option<PathBuf>,
}

impl TempFile {
    /// The path, no longer removed when dropped (renamed into place, or in tests kept).
    fn keep(mut self) -> PathBuf {
        self.path.take().unwrap_or_default()
    }
}

impl AsRef<Path> for TempFile {
    fn as_ref(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = fs::remove_file(path);
        }
    }
}

/// Creates a new, private temporary file in `dir`, removed again when the returned guard is
/// dropped (unless kept). Its errors are the operating system's, without the temporary
/// name, which would mean nothing to the reader.
fn create_temp(dir: &Path) -> std::io::Result<(File, TempFile)> {
    for _ in 0..100 {
        let path = private_name(dir, "tmp");
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&path) {
            Ok(file) => return Ok((file, TempFile { path: Some(path) })),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary file name"))
}

/// Keeps the old content of `target` under a backup name, leaving `target` in place: a hard
/// link where the file system has them, else a copy.
fn keep_backup(dir: &Path, target: &Path) -> std::io::Result<PathBuf> {
    for _ in 0..100 {
        let backup = backup_name(dir);
        match fs::hard_link(target, &backup) {
            Ok(()) => return Ok(backup),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => {
                // No hard links here (some network or FAT file systems): a copy will do.
                let mut out = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&backup)?;
                let mut from = File::open(target)?;
                std::io::copy(&mut from, &mut out)?;
                out.sync_all()?;
                return Ok(backup);
            }
        }
    }
    Err(std::io::Error::other("no free backup name"))
}

/// The new record of what stakeshift wrote into `dir` (the manifest's bytes), and the
/// members of `family` it recorded before that this run does not write (stale: to be
/// removed). Names the record holds that are not of this family, and still files, stay in
/// it.
fn manifest_plan(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    family: &[String],
) -> (Vec<u8>, Vec<PathBuf>) {
    let written = |name: &str| files.iter().any(|(n, _)| n == name);
    let mut record: Vec<(String, Recorded)> = Vec::new();
    let mut stale = Vec::new();
    for (name, was) in read_record(dir) {
        let path = dir.join(&name);
        let is_regular = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        if family.contains(&name) && !written(&name) {
            // A file changed since it was written is the user's now: it stays, and leaves
            // the record (helper-192: a `cloud.png` replaced by the user's own was removed
            // by the next run of a model without a cloud side).
            if is_regular && still_as_written(&path, was) {
                stale.push(path);
            }
        } else if is_regular && !written(&name) && !record.iter().any(|(n, _)| *n == name) {
            record.push((name, was));
        }
    }
    record.extend(files.iter().map(|(n, bytes)| {
        let written = (bytes.len() as u64, fingerprint(bytes));
        (n.clone(), Recorded::Written(written))
    }));
    let mut text = String::from(
        "# Files that stakeshift wrote into this folder, with each one's size and fingerprint.\n\
         # A later run removes those of them that it could write but did not, where they are\n\
         # still as written (see docs/MODEL.md). Safe to delete.\n",
    );
    for (name, was) in &record {
        text.push_str(name);
        if let Recorded::Written((size, print)) = was {
            text.push_str(&format!("\t{FINGERPRINT_VERSION}:{size}:{print:016x}"));
        }
        text.push('\n');
    }
    (text.into_bytes(), stale)
}

/// Stages `files` in `dir`, then puts them in place (and, with a family, records them and
/// removes stale members), undoing everything on failure. `rename` is `fs::rename`, or in
/// tests one that fails on purpose.
fn commit_set(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    family: Option<&[String]>,
    rename: &mut dyn FnMut(&Path, &Path) -> std::io::Result<()>,
) -> Result<Vec<String>> {
    let _writing = Writing::start();
    // One writer at a time in a folder: two runs at once mixed their files (helper-162).
    let lock = lock_folder(dir);
    check_stop(dir).map_err(|e| unchanged(e, dir))?;
    let locked = match lock {
        FolderLock::Held(_) => true,
        FolderLock::Unsupported => false,
        FolderLock::Busy => return Err(folder_busy(dir)),
        FolderLock::Unlistable => return Err(unlistable(dir)),
    };
    remove_stale_temps(dir, locked);

    // The whole set: the files, and with a family the new record and the stale members.
    // (By reference: a copy of the files held a 650 MB paths.csv twice.)
    let (manifest, stale) = match family {
        Some(family) => {
            let (manifest, members) = manifest_plan(dir, files, family);
            (Some(manifest), members)
        }
        None => (None, Vec::new()),
    };
    let mut set: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    if let Some(manifest) = &manifest {
        set.push((MANIFEST_NAME, manifest.as_slice()));
    }

    // Every target is checked before anything is written.
    let mut modes = Vec::with_capacity(set.len());
    for (name, _) in &set {
        let target = dir.join(name);
        let old = replaceable_in_folder(&target)?;
        if let Some(m) = &old {
            refuse_replacing_an_input(&target, m)?;
        }
        modes.push(old.map(|m| permissions_of(&m)));
    }
    // Nor is an input removed as an earlier run's output.
    for member in &stale {
        if let Ok(m) = fs::symlink_metadata(member) {
            refuse_removing_an_input(member, &m)?;
        }
    }
    let staged = stage(dir, &set, &modes)?;
    let mut done: Vec<Done> = Vec::new();
    let mut journal = None;
    if let Err(error) = place(dir, &staged, &stale, rename, &mut done, &mut journal) {
        let failures = undo(&done);
        if failures.is_empty()
            && let Some(journal) = journal
        {
            // Undone: nothing is left to roll back.
            let _ = fs::remove_file(journal);
        }
        return Err(if failures.is_empty() {
            unchanged(error, dir)
        } else {
            with_note(error, &format!("undoing failed: {}", failures.join("; ")))
        });
    }
    for (tmp, _) in staged {
        // Renamed away: nothing is left to delete.
        let _ = tmp.keep();
    }
    sync_folder(dir);
    // The set is in place: the journal goes first, then the backups it names (a run killed
    // in between leaves backups alone, which the next run removes as any others).
    if let Some(journal) = journal {
        let _ = fs::remove_file(journal);
    }
    remove_backups(done);
    Ok(stale
        .iter()
        .filter_map(|member| member.file_name()?.to_str().map(String::from))
        .collect())
}

/// The journal of a set being put in place: written and synced after every old file has its
/// backup and before the first rename, removed once the set is whole. A run killed between
/// the two (`kill -9`, a crash, the machine stopping) leaves a mix of old and new files; the
/// next run given the folder finds the journal under the folder's lock, so a stopped run's,
/// and puts the old set back ([`roll_back_interrupted`]). Each line is `place`, the temporary
/// file, the target, its backup (`-` for a target that is new) and the temporary file's
/// identity ([`Written`]: inode, modification time and size, which the target has once
/// renamed; a target that no longer has them was replaced since, and is left alone; `-`
/// where it cannot be read), or `remove`, a stale member and its backup; every name is a
/// file name in the folder.
fn write_journal(
    dir: &Path,
    placed: &[(&Path, &PathBuf, Option<&PathBuf>)],
    removed: &[(&PathBuf, &PathBuf)],
) -> std::io::Result<PathBuf> {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut text = String::from(
        "# stakeshift: a set of outputs being put in place; if it is still here, that run was stopped midway, and the next run into this folder puts the old files back\n",
    );
    for (tmp, target, backup) in placed {
        let backup = backup.and_then(|b| name(b)).unwrap_or_else(|| "-".into());
        let id = Written::at(tmp).map_or_else(|| "-".to_string(), |w| w.text());
        let (Some(tmp), Some(target)) = (name(tmp), name(target)) else {
            return Err(std::io::Error::other("an output without a file name"));
        };
        text.push_str(&format!("place\t{tmp}\t{target}\t{backup}\t{id}\n"));
    }
    for (target, backup) in removed {
        let (Some(target), Some(backup)) = (name(target), name(backup)) else {
            return Err(std::io::Error::other("an output without a file name"));
        };
        text.push_str(&format!("remove\t{target}\t{backup}\n"));
    }
    let path = private_name(dir, "commit");
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = fs::remove_file(&path);
        return Err(e);
    }
    sync_folder(dir);
    Ok(path)
}

/// What tells the file a stopped run put at a target from any other that may stand there
/// later: its inode, modification time (to the nanosecond) and size. Not its device, which
/// changes when a file system is mounted again (a loop device, a USB disk: helper-162); the
/// inode alone comes back for the next file made (ext4 hands out a freed inode at once),
/// and a file written over in place keeps it (`cp mine.csv summary.csv`), but not its
/// time and size too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Written {
    inode: u64,
    modified_ns: i128,
    size: u64,
}

impl Written {
    #[cfg(unix)]
    fn of(meta: &Metadata) -> Option<Written> {
        use std::os::unix::fs::MetadataExt;
        Some(Written {
            inode: meta.ino(),
            modified_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            size: meta.size(),
        })
    }
    #[cfg(not(unix))]
    fn of(_: &Metadata) -> Option<Written> {
        // Nothing to tell files apart by: a journal here never acts on a target.
        None
    }

    fn at(path: &Path) -> Option<Written> {
        fs::symlink_metadata(path)
            .ok()
            .and_then(|m| Written::of(&m))
    }

    fn text(&self) -> String {
        format!("{}:{}:{}", self.inode, self.modified_ns, self.size)
    }

    fn parse(text: &str) -> Option<Written> {
        let mut parts = text.split(':');
        let written = Written {
            inode: parts.next()?.parse().ok()?,
            modified_ns: parts.next()?.parse().ok()?,
            size: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(written)
    }
}

/// One line of a journal ([`write_journal`]).
enum JournalLine<'a> {
    Place {
        tmp: &'a str,
        target: &'a str,
        backup: Option<&'a str>,
        /// None where the file could not be told apart (no inode to read): never acted on.
        id: Option<Written>,
    },
    Remove {
        target: &'a str,
        backup: &'a str,
    },
}

/// A journal's lines; None for one that is damaged or names anything but our own temporary
/// names and plain output names (a journal we did not write is never acted on).
fn read_journal(text: &str) -> Option<Vec<JournalLine<'_>>> {
    let ours = |n: &str| {
        n.starts_with(TEMP_PREFIX) && !n.contains(['/', '\\']) && n.len() > TEMP_PREFIX.len()
    };
    let plain = |n: &str| {
        !n.is_empty() && !n.contains(['/', '\\']) && (n == MANIFEST_NAME || !n.starts_with('.'))
    };
    let id = |text: &str| match text {
        "-" => Some(None),
        _ => Written::parse(text).map(Some),
    };
    let mut lines = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        lines.push(match line.split('\t').collect::<Vec<_>>().as_slice() {
            ["place", tmp, target, backup, file]
                if ours(tmp) && plain(target) && (*backup == "-" || ours(backup)) =>
            {
                JournalLine::Place {
                    tmp,
                    target,
                    backup: (*backup != "-").then_some(*backup),
                    id: id(file)?,
                }
            }
            ["remove", target, backup] if plain(target) && ours(backup) => {
                JournalLine::Remove { target, backup }
            }
            _ => return None,
        });
    }
    Some(lines)
}

/// Puts back the old set where a run was stopped while putting its set in place (its
/// journal, [`write_journal`]): each target that is still the file the stopped run put
/// there is given its backup again (or removed, if it was new); each stale member it moved
/// away, where nothing has been written in its place since, is put back; so the folder
/// holds the old set whole, even where the run had put every file in place but not yet
/// removed its journal (helper-163: what was done is not guessed from the temporary files,
/// which a failed undo had removed). Then the journal and the temporary and backup files it
/// names go, unless a step failed (kept for the next run to try). Only a journal of our own
/// user, naming only our own temporary names and plain output names, is acted on, and only
/// on files that are as the stopped run left them (helper-161). Returns what the user
/// should know: a file left as it is because it was written since, a step that failed, a
/// journal that could not be read.
fn roll_back_interrupted(dir: &Path, journal: &Path) -> Vec<String> {
    let unread = || {
        vec![format!(
            "{} is the journal of a run that stopped while replacing its files in {}, and cannot be read: the files there may be of two runs; it is left in place",
            shown(journal),
            shown(dir)
        )]
    };
    let Ok(bytes) = read_regular_file(journal, 1 << 20) else {
        return unread();
    };
    let text = String::from_utf8_lossy(&bytes);
    let Some(lines) = read_journal(&text) else {
        return unread();
    };
    let at = |n: &str| dir.join(n);
    let exists = |n: &str| fs::symlink_metadata(at(n)).is_ok();
    let mut notes = Vec::new();
    // A step that fails keeps the journal and the files it names, for the next run to try.
    let mut failed = false;
    for line in lines.iter().rev() {
        match line {
            JournalLine::Remove { target, backup } => {
                if exists(backup) && !exists(target) {
                    failed |= fs::rename(at(backup), at(target)).is_err();
                }
            }
            JournalLine::Place {
                tmp,
                target,
                backup,
                id,
            } => {
                let now = Written::at(&at(target));
                if now.is_none() {
                    // Removed (or moved away) since: nothing stands in the old file's
                    // place, which goes back (helper-165: its backup was removed with it),
                    // said, as the user may have removed it on purpose (helper-166).
                    match backup {
                        Some(b) if exists(b) => {
                            failed |= fs::rename(at(b), at(target)).is_err();
                            notes.push(format!(
                                "{}: removed since a run stopped while replacing it; its content from before that run is put back",
                                shown(&at(target))
                            ));
                        }
                        Some(b) => notes.push(format!(
                            "{}: removed since a run stopped while replacing it, and its content from before that run ({}) is gone too",
                            shown(&at(target)),
                            shown(&at(b))
                        )),
                        None => {}
                    }
                    continue;
                }
                if id.is_none_or(|id| now != Some(id)) {
                    // Never renamed (its staged file is still there, or the target is the
                    // old file its backup links to), or written since by someone else:
                    // left as it is, and only the last said.
                    let old_file = backup.is_some_and(|b| {
                        Written::at(&at(b)).map(|w| w.inode) == now.map(|w| w.inode)
                    });
                    if !exists(tmp) && backup.is_some_and(exists) && !old_file {
                        notes.push(format!(
                            "{}: a run that stopped while replacing it had written it, and it has been replaced since (written again, or something else put there), so it was not put back",
                            shown(&at(target))
                        ));
                    }
                    continue;
                }
                failed |= match backup {
                    Some(backup) if exists(backup) => fs::rename(at(backup), at(target)).is_err(),
                    Some(backup) => {
                        // Its old content is gone (the backup removed by hand): it stays
                        // the stopped run's, said (helper-165: silently a mix).
                        notes.push(format!(
                            "{}: a run that stopped while replacing it had written it, and its old content ({}) is gone, so it stays that run's: the folder holds files of two runs",
                            shown(&at(target)),
                            shown(&at(backup))
                        ));
                        false
                    }
                    None => fs::remove_file(at(target)).is_err(),
                };
            }
        }
    }
    sync_folder(dir);
    if failed {
        notes.push(format!(
            "{}: a run stopped while replacing its files there, and putting the old ones back failed; the journal {} and its backups are kept for the next run to try",
            shown(dir),
            shown(journal)
        ));
        return notes;
    }
    for line in &lines {
        let (tmp, backup) = match line {
            JournalLine::Place { tmp, backup, .. } => (Some(*tmp), *backup),
            JournalLine::Remove { backup, .. } => (None, Some(*backup)),
        };
        // The backup first: a cleanup stopped between the two leaves a staged file, which
        // marks its line as never renamed (helper-164: the other way round, a backup left
        // alone read as a file written since).
        for name in backup.into_iter().chain(tmp) {
            let _ = fs::remove_file(at(name));
        }
    }
    let _ = fs::remove_file(journal);
    notes
}

/// Phase 1 of [`commit_set`]: every file written in full to a temporary file beside its
/// target, with the permissions it will have (`modes`); a failure drops (deletes) the
/// temporary files written so far, leaving the folder as it was.
fn stage(
    dir: &Path,
    set: &[(&str, &[u8])],
    modes: &[Option<Mode>],
) -> Result<Vec<(TempFile, PathBuf)>> {
    let mut staged = Vec::with_capacity(set.len());
    for ((name, bytes), mode) in set.iter().zip(modes) {
        check_stop(dir).map_err(|e| unchanged(e, dir))?;
        let target = dir.join(name);
        let (mut file, tmp) =
            create_temp(dir).map_err(|e| unchanged(Error::io(&target, e), dir))?;
        keep_group(&file, *mode);
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .and_then(|()| set_permissions(tmp.as_ref(), *mode))
            .map_err(|e| unchanged(Error::io(&target, e), dir))?;
        staged.push((tmp, target));
    }
    Ok(staged)
}

/// Phase 2 of [`commit_set`]: a backup of every old target first (hard links: nothing
/// visible changes), then the journal ([`write_journal`]), then each staged file renamed
/// over its target and each stale member moved to its backup name, one after the other
/// (a fraction of a millisecond for a command's set); every rename is recorded in `done`,
/// so that the caller can undo them all on the first failure, and `journal` is the
/// journal's path once written, for the caller to remove.
fn place<T: AsRef<Path>>(
    dir: &Path,
    staged: &[(T, PathBuf)],
    stale: &[PathBuf],
    rename: &mut dyn FnMut(&Path, &Path) -> std::io::Result<()>,
    done: &mut Vec<Done>,
    journal: &mut Option<PathBuf>,
) -> Result<()> {
    let mut backups: Vec<Option<PathBuf>> = Vec::with_capacity(staged.len());
    // Backups not (yet) handed to `done`, removed on an early return: their targets are
    // still the old files.
    let forget = |backups: &[Option<PathBuf>]| {
        for b in backups.iter().flatten() {
            let _ = fs::remove_file(b);
        }
    };
    for (_, target) in staged {
        let backup = match fs::symlink_metadata(target) {
            Ok(_) => match keep_backup(dir, target) {
                Ok(b) => Some(b),
                Err(e) => {
                    forget(&backups);
                    return Err(Error::io(target, e));
                }
            },
            Err(_) => None,
        };
        backups.push(backup);
    }
    let stale_backups: Vec<PathBuf> = stale.iter().map(|_| backup_name(dir)).collect();
    let placed: Vec<_> = staged
        .iter()
        .zip(&backups)
        .map(|((tmp, target), backup)| (tmp.as_ref(), target, backup.as_ref()))
        .collect();
    let removed: Vec<_> = stale.iter().zip(&stale_backups).collect();
    let written = check_stop(dir)
        .and_then(|()| write_journal(dir, &placed, &removed).map_err(|e| Error::io(dir, e)));
    match written {
        Ok(path) => *journal = Some(path),
        Err(e) => {
            forget(&backups);
            return Err(e);
        }
    }
    for (i, ((tmp, target), backup)) in staged.iter().zip(&backups).enumerate() {
        // (A stop asked for by a signal is seen between renames: what was done is undone.)
        if let Err(e) = check_stop(dir)
            .and_then(|()| rename(tmp.as_ref(), target).map_err(|e| Error::io(target, e)))
        {
            forget(&backups[i..]);
            return Err(e);
        }
        done.push(Done::Placed {
            target: target.clone(),
            backup: backup.clone(),
        });
    }
    for (target, backup) in stale.iter().zip(stale_backups) {
        check_stop(dir)?;
        rename(target, &backup).map_err(|e| Error::io(target, e))?;
        done.push(Done::Removed {
            target: target.clone(),
            backup,
        });
    }
    Ok(())
}

/// After a set is in place, the backups of what it replaced are no longer needed.
fn remove_backups(done: Vec<Done>) {
    for d in done {
        let backup = match d {
            Done::Placed { backup, .. } => backup,
            Done::Removed { backup, .. } => Some(backup),
        };
        if let Some(b) = backup {
            // Left behind only if this fails; the next run removes it.
            let _ = fs::remove_file(b);
        }
    }
}

/// Undoes the steps in reverse; the messages of those that could not be undone.
fn undo(done: &[Done]) -> Vec<String> {
    let mut failures = Vec::new();
    for d in done.iter().rev() {
        let (target, backup) = match d {
            Done::Placed { target, backup } => (target, backup.as_ref()),
            Done::Removed { target, backup } => (target, Some(backup)),
        };
        let result = match backup {
            Some(b) => fs::rename(b, target),
            None => fs::remove_file(target),
        };
        if let Err(e) = result {
            failures.push(match backup {
                Some(b) => format!(
                    "{} (its old content is kept as {}): {e}",
                    shown(target),
                    shown(b)
                ),
                None => format!("{} (new, could not be removed): {e}", shown(target)),
            });
        }
    }
    failures
}

/// Adds to an I/O error that the folder's files are as they were.
fn unchanged(error: Error, dir: &Path) -> Error {
    with_note(error, &format!("no file in {} was changed", shown(dir)))
}

fn with_note(error: Error, note: &str) -> Error {
    match error {
        Error::Io { path, cause } => Error::Io {
            path,
            cause: std::io::Error::new(cause.kind(), format!("{cause}; {note}")),
        },
        other => other,
    }
}

/// What a replaced file's successor keeps of it: its permission bits and its group.
#[cfg(unix)]
#[derive(Clone, Copy)]
struct Mode {
    permissions: u32,
    group: u32,
}
#[cfg(not(unix))]
type Mode = ();

#[cfg(unix)]
fn permissions_of(m: &Metadata) -> Mode {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    Mode {
        permissions: m.permissions().mode() & 0o777,
        group: m.gid(),
    }
}
#[cfg(not(unix))]
fn permissions_of(_: &Metadata) -> Mode {}

/// A temporary file is private (0600); an output file is for reading like any other: it
/// keeps the mode of the file it replaces, or gets the mode any new file gets, 0666 less
/// the umask (helper-228: 0644 whatever the umask, so under a umask of 077 a model's
/// figures were readable by all).
#[cfg(unix)]
fn set_permissions(path: &Path, old: Option<Mode>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = old.map_or_else(|| 0o666 & !umask(), |m| m.permissions);
    fs::set_permissions(path, fs::Permissions::from_mode(permissions))
}
#[cfg(not(unix))]
fn set_permissions(_: &Path, _: Option<Mode>) -> std::io::Result<()> {
    Ok(())
}

/// The process's umask, read once: where Linux shows it (which leaves it as it is), else
/// set and put back.
#[cfg(unix)]
fn umask() -> u32 {
    static UMASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *UMASK.get_or_init(|| {
        let shown = fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
                u32::from_str_radix(line.trim(), 8).ok()
            });
        shown.unwrap_or_else(|| {
            // SAFETY: umask(2) cannot fail; the mask is put back at once.
            let old = unsafe { libc::umask(0o022) };
            unsafe { libc::umask(old) };
            // (`mode_t` is a u16 on some Unixes.)
            #[allow(clippy::useless_conversion)]
            u32::from(old)
        })
    })
}

/// A file replacing another keeps its group where this user may give it (helper-228: a
/// `yearly.csv` of group `analysts`, mode 640, came back in the user's own group, and the
/// group lost it); best effort, as `cp` over a file keeps it by writing in place.
#[cfg(unix)]
fn keep_group(file: &File, old: Option<Mode>) {
    if let Some(old) = old {
        let _ = std::os::unix::fs::fchown(file, None, Some(old.group));
    }
}
#[cfg(not(unix))]
fn keep_group(_: &File, _: Option<Mode>) {}

/// Makes the renames durable (best effort: not every file system can sync a folder).
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Whether process `pid` is running (on this machine, in this PID namespace).
#[cfg(unix)]
fn process_is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks whether the process exists; nothing is sent.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    alive || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}
#[cfg(not(unix))]
fn process_is_running(_: u32) -> bool {
    // Without a way to ask, every process counts as running: nothing is removed.
    true
}

/// The process id in the name of a temporary or backup file as [`private_name`] makes it,
/// `.stakeshift-<pid>-<n>.tmp` or `.bak` with `<n>` of at least ten digits (the clock's
/// nanoseconds, nine, then a counter); None for any other name, which is never one of ours
/// (helper-175: `.stakeshift-2026-12-06.toml`, a user's file, matched a looser rule and was
/// removed).
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?;
    let stem = rest
        .strip_suffix(".tmp")
        .or_else(|| rest.strip_suffix(".bak"))?;
    let (pid, n) = stem.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(pid) && digits(n) && n.len() >= 10)
        .then(|| pid.parse().ok())
        .flatten()
}

/// Whether `name` is a temporary or backup file of a run that is over (module docs).
fn is_stale_temp(name: &str) -> bool {
    temp_pid(name).is_some_and(|pid| pid != std::process::id() && !process_is_running(pid))
}

/// Puts back the old set of outputs in `dir` wherever a run was stopped (killed, or the
/// machine stopped) while putting its own in place, as its journal says
/// ([`roll_back_interrupted`]); nothing where no such run left a journal. Every command
/// with `--out` calls it before it computes, so that even a run that then fails leaves the
/// folder's files one set (helper-160), and [`write_set`] before it writes.
///
/// It runs under the folder's lock ([`lock_folder`]), which every writer holds from before
/// it stages its files until its journal is gone: so any journal found then is a stopped
/// run's, whatever its process id (helper-163: a process id is no sign of life; PID 1 of
/// a container is always alive, and ids are reused). Without the lock (a file system
/// without locks) nothing is rolled back; where another process keeps the lock past
/// [`LOCK_WAIT`], an error. Returns what the user should know.
pub fn roll_back_stopped_sets(dir: &Path) -> Result<Vec<String>> {
    match lock_folder(dir) {
        FolderLock::Held(_lock) => Ok(roll_back_stopped_sets_locked(dir)),
        FolderLock::Unsupported => Ok(Vec::new()),
        FolderLock::Unlistable => Err(unlistable(dir)),
        FolderLock::Busy => {
            check_stop(dir)?;
            Err(folder_busy(dir))
        }
    }
}

/// What rollbacks done as a set was written ([`commit_set`], which returns no warnings)
/// found for the user, until the binary takes them ([`take_rollback_notes`]).
static ROLLBACK_NOTES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// The notes of rollbacks done while writing since the last call (helper-165: a journal
/// that turned up while a run computed was rolled back without a word).
pub fn take_rollback_notes() -> Vec<String> {
    ROLLBACK_NOTES
        .lock()
        .map(|mut notes| std::mem::take(&mut *notes))
        .unwrap_or_default()
}

/// The folder's lock, as [`lock_folder`] found it.
enum FolderLock {
    /// Held until dropped.
    Held(File),
    /// The file system has no locks (or the folder cannot be opened): runs go on without.
    Unsupported,
    /// Another process kept it past [`LOCK_WAIT`], or a stop was asked for meanwhile.
    Busy,
    /// The folder may not be read (opened, listed) by this user: its lock cannot be taken,
    /// nor a stopped run's journal found in it, so nothing is written into it.
    Unlistable,
}

/// An exclusive lock on `dir` (flock(2) on the folder itself, released when dropped), so
/// that runs writing into one folder at once take turns, each set put in place whole; it
/// waits for the other run's writing (milliseconds to seconds), at most [`LOCK_WAIT`], so
/// that a lock some other program keeps cannot hang a run: then [`FolderLock::Busy`], and
/// the run writes nothing (writing without the lock would let a later run take its
/// journal for a stopped run's: helper-164).
#[cfg(unix)]
fn lock_folder(dir: &Path) -> FolderLock {
    use std::os::unix::io::AsRawFd;
    let folder = match File::open(dir) {
        Ok(folder) => folder,
        // A folder this user may write into but not read (mode 0300): whatever path led
        // to it (`wo/x/..`; `init wo/m.toml`: helper-170 after the check before the run).
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return FolderLock::Unlistable;
        }
        Err(_) => return FolderLock::Unsupported,
    };
    let waited = std::time::Instant::now();
    loop {
        // SAFETY: flock(2) on a descriptor this function owns, for as long as it lives.
        if unsafe { libc::flock(folder.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return FolderLock::Held(folder);
        }
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EWOULDBLOCK) {
            return FolderLock::Unsupported;
        }
        // (A stop asked for meanwhile: the writer sees it at its next step.)
        let stop = STOP_REQUESTED.load(std::sync::atomic::Ordering::SeqCst) != 0;
        if stop || waited.elapsed() >= LOCK_WAIT {
            return FolderLock::Busy;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// The longest a run waits for another's lock on its output folder (in this crate's unit
/// tests, a fraction of a second).
pub const LOCK_WAIT: std::time::Duration = if cfg!(test) {
    std::time::Duration::from_millis(300)
} else {
    std::time::Duration::from_secs(60)
};
#[cfg(not(unix))]
fn lock_folder(_: &Path) -> FolderLock {
    FolderLock::Unsupported
}

/// The error of a folder whose lock another process keeps.
fn folder_busy(dir: &Path) -> Error {
    Error::io(
        dir,
        std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            format!(
                "another process has held this folder's lock for {} s (a run writing into it, or a program keeping the lock); nothing was written: try again once it is done, or write elsewhere",
                LOCK_WAIT.as_secs_f64()
            ),
        ),
    )
}

/// [`roll_back_stopped_sets`] by a caller that holds the folder's lock: our own user's
/// journals, the newest first (a run stopped over another stopped run's files is undone
/// before that one: helper-163).
fn roll_back_stopped_sets_locked(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut journals: Vec<(std::time::SystemTime, PathBuf, bool)> = entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(TEMP_PREFIX) && n.ends_with(".commit"))
        })
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            meta.file_type().is_file().then(|| {
                (
                    meta.modified().unwrap_or(std::time::UNIX_EPOCH),
                    e.path(),
                    owned_by_us(&meta),
                )
            })
        })
        .collect();
    journals.sort_by(|a, b| b.cmp(a));
    let mut notes = Vec::new();
    for (_, journal, ours) in &journals {
        if *ours {
            notes.extend(roll_back_interrupted(dir, journal));
        } else {
            // Never acted on, but said: the folder may hold two runs' files (helper-165).
            notes.push(format!(
                "{} is the journal of another user's run that stopped while replacing its files in {}: they may be of two runs; that user's next run there puts the old ones back",
                shown(journal),
                shown(dir)
            ));
        }
    }
    notes
}

/// Whether the file is this process's user's: another user's journal is never acted on (in
/// a shared folder such as /tmp it could name our files).
#[cfg(unix)]
fn owned_by_us(meta: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}
#[cfg(not(unix))]
fn owned_by_us(_: &Metadata) -> bool {
    true
}

/// Removes from `dir` the temporary and backup files of runs that are over (best effort).
/// `locked`: the caller holds the folder's lock, so stopped runs' journals are rolled back
/// first (which removes the files they name, whatever process id they carry). Other
/// files are taken as over by their process id: a file of a live id is kept, for a run
/// of a version without the lock may be writing it (one of a stopped run whose id was
/// reused stays until that id is free, a hidden file and no harm).
fn remove_stale_temps(dir: &Path, locked: bool) {
    // First the journals of runs stopped while putting their set in place: their old files
    // go back, and the journal goes with what it names.
    if locked {
        let notes = roll_back_stopped_sets_locked(dir);
        // Each once, and at most a hundred kept for a caller that never takes them (a
        // program writing many sets; helper-166).
        if let Ok(mut kept) = ROLLBACK_NOTES.lock() {
            for note in notes {
                if kept.len() < 100 && !kept.contains(&note) {
                    kept.push(note);
                }
            }
        }
    }
    // A journal still here (another user's, a live run's, or one whose rollback failed and
    // will be tried again) keeps the files it names: they are its backups (helper-162: they
    // were removed here as any stale file, leaving the mix for good). Journals themselves
    // are removed only by their rollback.
    let kept = names_in_journals(dir);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.starts_with(TEMP_PREFIX) || name.ends_with(".commit") || kept.contains(name) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        // (Only our own user's: another user's files in a shared folder are theirs to remove.)
        // Under the lock, a file of this process's own id is a stopped run's that had the
        // same id (a container's first process): this process has none in the folder as it
        // begins a set (helper-165: they were never removed).
        let own = locked && temp_pid(name) == Some(std::process::id());
        // Never an input of this run, whatever its name (helper-175: a model named as a
        // temporary file of a run that is over was removed as one).
        if meta.file_type().is_file()
            && owned_by_us(&meta)
            && (own || is_stale_temp(name))
            && refuse_replacing_an_input(&entry.path(), &meta).is_ok()
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The temporary and backup names that the journals in `dir` name, whoever wrote them.
fn names_in_journals(dir: &Path) -> std::collections::HashSet<String> {
    let mut names = std::collections::HashSet::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return names;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        // (A link is not followed: one into a slow file system could hang the run.)
        if !file.starts_with(TEMP_PREFIX)
            || !file.ends_with(".commit")
            || !entry.file_type().is_ok_and(|t| t.is_file())
        {
            continue;
        }
        let Ok(bytes) = read_regular_file(&entry.path(), 1 << 20) else {
            continue;
        };
        for field in String::from_utf8_lossy(&bytes).split(['\t', '\n', '\r']) {
            if field.starts_with(TEMP_PREFIX) {
                names.insert(field.to_string());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("stakeshift-io-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().into_string().unwrap(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        all.sort();
        all
    }

    fn files(names: &[&str], content: &str) -> Vec<(String, Vec<u8>)> {
        names
            .iter()
            .map(|n| (n.to_string(), format!("{content} {n}").into_bytes()))
            .collect()
    }

    fn family() -> Vec<String> {
        ["a.csv", "b.csv", "c.png", "c.svg"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn regression_failed_rename_midway_leaves_every_old_file_unchanged() {
        let dir = scratch("midway");
        let old = files(&["a.csv", "b.csv", "c.png", "c.svg"], "old");
        write_set(&dir, &old, &family()).unwrap();
        let before = listing(&dir);
        // The new set lacks c.svg (a stale member); fail each step in turn.
        let new = files(&["a.csv", "b.csv", "c.png"], "new");
        for fail_at in 0..5 {
            let mut calls = 0;
            let mut rename = |from: &Path, to: &Path| {
                calls += 1;
                if calls > fail_at {
                    Err(std::io::Error::other("injected failure"))
                } else {
                    fs::rename(from, to)
                }
            };
            let err = commit_set(&dir, &new, Some(&family()), &mut rename).unwrap_err();
            let text = err.to_string();
            assert!(text.contains("injected failure"), "{text}");
            assert!(text.contains("no file in"), "{text}");
            assert_eq!(listing(&dir), before, "after a failure at step {fail_at}");
        }
        // With no failure the new set is in place and the stale member is gone.
        write_set(&dir, &new, &family()).unwrap();
        let names: Vec<String> = listing(&dir).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, [MANIFEST_NAME, "a.csv", "b.csv", "c.png"]);
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"new a.csv");
        let _ = fs::remove_dir_all(&dir);
    }

    /// A commit of `new` stopped as `kill -9` stops it, after `renames` renames: no undo,
    /// nothing removed (its staged files, backups and journal stay), the journal then named
    /// as process `pid`'s.
    fn killed_after(dir: &Path, new: &[(String, Vec<u8>)], renames: usize, pid: &str) -> PathBuf {
        let (manifest, stale) = manifest_plan(dir, new, &family());
        let mut set: Vec<(&str, &[u8])> = new.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
        set.push((MANIFEST_NAME, &manifest));
        // Kept: a killed run's staged files are not removed.
        let staged: Vec<(PathBuf, PathBuf)> = stage(dir, &set, &vec![None; set.len()])
            .unwrap()
            .into_iter()
            .map(|(tmp, target)| (tmp.keep(), target))
            .collect();
        let mut journal = None;
        // The process dies at the rename after the last one done: a panic, so that nothing
        // after it in `place` or `commit_set` runs.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut calls = 0;
            let mut rename = |from: &Path, to: &Path| {
                calls += 1;
                if calls > renames {
                    panic!("killed");
                }
                fs::rename(from, to)
            };
            let _ = place(
                dir,
                &staged,
                &stale,
                &mut rename,
                &mut Vec::new(),
                &mut journal,
            );
        }));
        let journal = journal.expect("the journal is written before the first rename");
        as_process(dir, &journal, pid)
    }

    /// Every file of this process's run left in `dir`, and the names in its `journal`,
    /// made process `pid`'s, as that process would have left them; the journal's new path.
    fn as_process(dir: &Path, journal: &Path, pid: &str) -> PathBuf {
        let ours = format!("{TEMP_PREFIX}{}-", std::process::id());
        let theirs = format!("{TEMP_PREFIX}{pid}-");
        let text = fs::read_to_string(journal).unwrap().replace(&ours, &theirs);
        fs::write(journal, text).unwrap();
        for (name, _) in listing(dir) {
            if name.starts_with(&ours) {
                fs::rename(dir.join(&name), dir.join(name.replacen(&ours, &theirs, 1))).unwrap();
            }
        }
        let name = journal.file_name().unwrap().to_str().unwrap();
        dir.join(name.replacen(&ours, &theirs, 1))
    }

    /// A process id no process has (past any pid_t).
    const DEAD: &str = "4000000000";

    /// The files a user sees (not our temporary, backup or journal files).
    fn visible(dir: &Path) -> Vec<(String, Vec<u8>)> {
        listing(dir)
            .into_iter()
            .filter(|(n, _)| !n.starts_with(TEMP_PREFIX))
            .collect()
    }

    /// helper-160: `kill -9` between two renames of a set left old and new files mixed (4 of
    /// 8 replaced), with nothing to tell. The next run into the folder now finds the killed
    /// run's journal and puts the old set back before it writes, also where every rename
    /// was done and only the journal's removal was not (what was done is read from the
    /// files, not guessed from the staged ones: helper-163); every file the killed run
    /// left goes.
    #[test]
    fn regression_a_set_killed_midway_through_its_renames_is_rolled_back_by_the_next_run() {
        let dir = scratch("killed");
        let old = files(&["a.csv", "b.csv", "c.png", "c.svg"], "old");
        // The new set drops c.svg (stale, moved away last) and adds e.csv (new).
        let new = files(&["a.csv", "e.csv", "b.csv", "c.png"], "new");
        // 4 files and the record: 5 renames, then the stale member's.
        for renames in 0..=6 {
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            write_set(&dir, &old, &family()).unwrap();
            let before = visible(&dir);
            killed_after(&dir, &new, renames, DEAD);
            if (1..6).contains(&renames) {
                assert_ne!(visible(&dir), before, "a mix after {renames} renames");
            }
            assert!(roll_back_stopped_sets(&dir).unwrap().is_empty());
            let after = visible(&dir);
            assert_eq!(after, before, "rolled back after {renames} renames");
            // Nothing of the killed run is left: staged files, backups, journal.
            assert_eq!(listing(&dir), after, "after {renames} renames");
        }
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-161: a journal that outlived newer runs brought back files from before them,
    /// over their whole sets. A target is put back only while it is still the stopped run's
    /// file: one written since (here as a program without the folder's lock would, a new
    /// file renamed over it) is left, and said.
    #[test]
    fn regression_a_journal_never_undoes_a_newer_run() {
        let dir = scratch("newer");
        write_set(&dir, &files(&["a.csv", "b.csv", "c.png"], "old"), &family()).unwrap();
        let new = files(&["a.csv", "b.csv", "c.png"], "new");
        killed_after(&dir, &new, 2, DEAD);
        fs::write(dir.join("newer"), "newest a.csv").unwrap();
        fs::rename(dir.join("newer"), dir.join("a.csv")).unwrap();
        let notes = roll_back_stopped_sets(&dir).unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"newest a.csv");
        assert_eq!(fs::read(dir.join("b.csv")).unwrap(), b"old b.csv");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("a.csv: a run that stopped while replacing it had written it, and it has been replaced since (written again, or something else put there), so it was not put back"),
            "{notes:?}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-163: a process id is no sign that a run goes on (PID 1 of a container is
    /// always alive; ids are reused), so a stopped run's journal under a live id was never
    /// acted on. Under the folder's lock any journal is a stopped run's: this process's own
    /// id, alive, does not keep it.
    #[test]
    fn regression_a_journal_under_a_live_process_id_is_rolled_back() {
        let dir = scratch("live-id");
        write_set(&dir, &files(&["a.csv", "b.csv"], "old"), &family()).unwrap();
        let before = visible(&dir);
        killed_after(&dir, &files(&["a.csv", "b.csv"], "new"), 1, "1");
        write_set(&dir, &files(&["c.png"], "charts"), &["c.png".to_string()]).unwrap();
        let after: Vec<_> = visible(&dir)
            .into_iter()
            .filter(|(n, _)| n != "c.png" && n != MANIFEST_NAME)
            .collect();
        let before: Vec<_> = before
            .into_iter()
            .filter(|(n, _)| n != MANIFEST_NAME)
            .collect();
        assert_eq!(after, before);
        assert!(
            !listing(&dir)
                .iter()
                .any(|(n, _)| n.starts_with(TEMP_PREFIX))
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-163: of two stopped runs, the later one's backups are the earlier one's new
    /// files; undone oldest first, the earlier run's files came back. Newest first, the
    /// folder is as before both.
    #[test]
    fn regression_two_stopped_runs_are_undone_newest_first() {
        let dir = scratch("two-stopped");
        write_set(&dir, &files(&["a.csv", "b.csv", "c.png"], "old"), &family()).unwrap();
        let before = visible(&dir);
        let first = killed_after(&dir, &files(&["a.csv", "b.csv", "c.png"], "first"), 2, DEAD);
        // Its journal older, whatever order the folder lists them in.
        let earlier = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        File::options()
            .write(true)
            .open(&first)
            .unwrap()
            .set_modified(earlier)
            .unwrap();
        // The second run stages and backs up over the first's mix, with no rollback between
        // (a program without the folder's lock).
        killed_after(
            &dir,
            &files(&["a.csv", "b.csv", "c.png"], "second"),
            3,
            DEAD,
        );
        roll_back_stopped_sets(&dir).unwrap();
        assert_eq!(visible(&dir), before);
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-161: a journal written by hand (or damaged) deleted a file stakeshift never
    /// wrote and overwrote another with a "backup". A journal acts only on files that are
    /// the stopped run's own (inode, time and size), and one that does not read as ours
    /// acts on nothing. (Each journal here is a set not put in place whole, a stale member
    /// not moved, so that its rollback runs: helper-162.)
    #[test]
    fn regression_a_forged_journal_touches_no_file_of_the_users() {
        let dir = scratch("forged");
        let unmoved = "remove\tc.svg\t.stakeshift-never.bak\n";
        let notes = Written::at(&dir.join(".")).unwrap();
        for journal in [
            format!(
                "place\t.stakeshift-gone.tmp\tnotes.txt\t-\t1:2:3\nplace\t.stakeshift-g2.tmp\tdata.csv\t.stakeshift-evil.bak\t1:2:3\n{unmoved}"
            ),
            // A file that cannot be told apart is never acted on.
            format!("place\t.stakeshift-gone.tmp\tnotes.txt\t-\t-\n{unmoved}"),
            // The first round's format, without the file's time and size: not read.
            format!("place\t.stakeshift-gone.tmp\tnotes.txt\t-\t1:2\n{unmoved}"),
            format!(
                "place\t.stakeshift-gone.tmp\t../notes.txt\t-\t{}\n{unmoved}",
                notes.text()
            ),
        ] {
            fs::write(dir.join("notes.txt"), "notes").unwrap();
            fs::write(dir.join("data.csv"), "data").unwrap();
            fs::write(dir.join(".stakeshift-evil.bak"), "evil").unwrap();
            fs::write(dir.join(format!(".stakeshift-{DEAD}-1.commit")), journal).unwrap();
            roll_back_stopped_sets(&dir).unwrap();
            assert_eq!(fs::read(dir.join("notes.txt")).unwrap(), b"notes");
            assert_eq!(fs::read(dir.join("data.csv")).unwrap(), b"data");
        }
        // A journal that names a file by its true identity does act on it: the checks
        // above are what kept the files.
        let id = Written::at(&dir.join("notes.txt")).unwrap();
        fs::write(
            dir.join(format!(".stakeshift-{DEAD}-1.commit")),
            format!(
                "place\t.stakeshift-gone.tmp\tnotes.txt\t-\t{}\n{unmoved}",
                id.text()
            ),
        )
        .unwrap();
        roll_back_stopped_sets(&dir).unwrap();
        assert!(!dir.join("notes.txt").exists());
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-162: a file the user put at a target after the kill, in place (the same
    /// inode, as `cp` over it keeps), was replaced by the old content and lost.
    #[test]
    fn regression_a_file_written_over_after_the_kill_is_not_rolled_back() {
        let dir = scratch("written-over");
        write_set(&dir, &files(&["a.csv", "b.csv", "c.png"], "old"), &family()).unwrap();
        let new = files(&["a.csv", "b.csv", "c.png"], "new");
        killed_after(&dir, &new, 2, DEAD);
        let inode = |p: &Path| Written::at(p).unwrap().inode;
        let before = inode(&dir.join("a.csv"));
        fs::write(dir.join("a.csv"), "the user's own a.csv").unwrap();
        assert_eq!(inode(&dir.join("a.csv")), before, "written over in place");
        roll_back_stopped_sets(&dir).unwrap();
        assert_eq!(
            fs::read(dir.join("a.csv")).unwrap(),
            b"the user's own a.csv"
        );
        // b.csv, still the killed run's, goes back.
        assert_eq!(fs::read(dir.join("b.csv")).unwrap(), b"old b.csv");
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-162: a rollback step that failed was said to keep the journal, but the same
    /// run's removal of stale files then took the journal's backups, leaving the mix for
    /// good. The journal and every file it names stay until a rollback succeeds.
    #[test]
    fn regression_a_failed_rollback_keeps_its_journal_and_backups_for_the_next_run() {
        let dir = scratch("failed-rollback");
        write_set(&dir, &files(&["a.csv", "b.csv", "c.png"], "old"), &family()).unwrap();
        let new = files(&["a.csv", "b.csv", "c.png"], "new");
        let journal = killed_after(&dir, &new, 2, DEAD);
        // b.csv's backup made unusable: its restoring fails.
        let text = fs::read_to_string(&journal).unwrap();
        let backup = text
            .lines()
            .find(|l| l.split('\t').nth(2) == Some("b.csv"))
            .and_then(|l| l.split('\t').nth(3))
            .unwrap()
            .to_string();
        let kept = fs::read(dir.join(&backup)).unwrap();
        fs::remove_file(dir.join(&backup)).unwrap();
        fs::create_dir(dir.join(&backup)).unwrap();
        fs::write(dir.join(&backup).join("x"), "x").unwrap();
        // A run that writes another family into the folder.
        let charts = ["c.png".to_string()];
        write_set(&dir, &files(&["c.png"], "charts"), &charts).unwrap();
        assert!(journal.exists(), "the journal is kept");
        // a.csv went back (its backup with it); every other backup is kept.
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"old a.csv");
        for line in text
            .lines()
            .filter(|l| l.split('\t').nth(2) != Some("a.csv"))
        {
            for name in line.split('\t') {
                if name.starts_with(TEMP_PREFIX) && name.ends_with(".bak") {
                    assert!(dir.join(name).exists(), "{name} is kept");
                }
            }
        }
        // Once the backup is whole again, the next run puts the old set back.
        fs::remove_dir_all(dir.join(&backup)).unwrap();
        fs::write(dir.join(&backup), kept).unwrap();
        roll_back_stopped_sets(&dir).unwrap();
        assert_eq!(fs::read(dir.join("b.csv")).unwrap(), b"old b.csv");
        assert!(!journal.exists());
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-162: another user's journal was never acted on, but the files it names were
    /// removed as stale ones. Now neither: they are that user's to roll back.
    #[cfg(unix)]
    #[test]
    #[allow(clippy::print_stdout)] // (a test says why it skips)
    fn regression_another_users_journal_and_backups_are_left_alone() {
        // SAFETY: geteuid(2) has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            println!("skipped: only root can give a file to another user");
            return;
        }
        let dir = scratch("other-user");
        write_set(&dir, &files(&["a.csv", "b.csv"], "old"), &family()).unwrap();
        let journal = killed_after(&dir, &files(&["a.csv", "b.csv"], "new"), 1, DEAD);
        let names: Vec<String> = listing(&dir)
            .into_iter()
            .map(|(n, _)| n)
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect();
        // And a staged file of that user's that no journal names.
        let stray = dir.join(format!("{TEMP_PREFIX}{DEAD}-1234567890.tmp"));
        fs::write(&stray, "theirs").unwrap();
        std::os::unix::fs::lchown(&stray, Some(65534), Some(65534)).unwrap();
        for n in &names {
            std::os::unix::fs::lchown(dir.join(n), Some(65534), Some(65534)).unwrap();
        }
        let mixed = visible(&dir);
        // Not acted on, but said (helper-165).
        let notes = roll_back_stopped_sets(&dir).unwrap();
        assert!(
            notes.iter().any(|n| n.contains(
                "is the journal of another user's run that stopped while replacing its files"
            )),
            "{notes:?}"
        );
        write_set(&dir, &files(&["c.png"], "charts"), &["c.png".to_string()]).unwrap();
        assert!(journal.exists());
        assert!(stray.exists());
        for n in &names {
            assert!(dir.join(n).exists(), "{n} is kept");
        }
        assert_eq!(
            visible(&dir)
                .into_iter()
                .filter(|(n, _)| n != "c.png" && n != MANIFEST_NAME)
                .collect::<Vec<_>>(),
            mixed
                .into_iter()
                .filter(|(n, _)| n != MANIFEST_NAME)
                .collect::<Vec<_>>()
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-162: two runs writing one folder at once mixed their files (summary.csv from
    /// one, comparison.csv from the other). They now take turns: the folder ends with one
    /// whole set, the last to write.
    #[test]
    fn regression_two_runs_at_once_into_one_folder_leave_one_whole_set() {
        let dir = scratch("at-once");
        let names = ["a.csv", "b.csv", "c.png"];
        let ms = std::time::Duration::from_millis;
        let run = |tag: &'static str, start: u64, step: u64| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                std::thread::sleep(ms(start));
                let set = files(&names, tag);
                let mut rename = |from: &Path, to: &Path| {
                    std::thread::sleep(ms(step));
                    fs::rename(from, to)
                };
                commit_set(&dir, &set, Some(&family()), &mut rename).unwrap();
            })
        };
        // One puts its files in place slowly; the other starts while it does, and is quick:
        // unserialized, it would replace all three between the first's first and second.
        let (one, two) = (run("one", 0, 40), run("two", 60, 0));
        one.join().unwrap();
        two.join().unwrap();
        let contents: Vec<Vec<u8>> = names
            .iter()
            .map(|n| fs::read(dir.join(n)).unwrap())
            .collect();
        let tag = String::from_utf8(contents[0].clone()).unwrap();
        let tag = tag.split(' ').next().unwrap();
        for (n, c) in names.iter().zip(&contents) {
            assert_eq!(
                c,
                format!("{tag} {n}").as_bytes(),
                "{n} is of another run than a.csv"
            );
        }
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-164: a run that waited out another process's lock wrote without it, and a
    /// later run took its journal for a stopped run's and undid its whole set. It now
    /// writes nothing, and says why; the rollback that waits the same way says so too.
    #[cfg(unix)]
    #[test]
    fn regression_a_folder_locked_past_the_wait_is_not_written() {
        use std::os::unix::io::AsRawFd;
        let dir = scratch("locked-past");
        write_set(&dir, &files(&["a.csv"], "old"), &family()).unwrap();
        let before = listing(&dir);
        let holder = File::open(&dir).unwrap();
        // SAFETY: flock(2) on a descriptor this test owns.
        assert_eq!(unsafe { libc::flock(holder.as_raw_fd(), libc::LOCK_EX) }, 0);
        let e = write_set(&dir, &files(&["a.csv"], "new"), &family()).unwrap_err();
        assert!(
            e.to_string().contains(
                "another process has held this folder's lock for 0.3 s (a run writing into it, or a program keeping the lock); nothing was written"
            ),
            "{e}"
        );
        assert!(roll_back_stopped_sets(&dir).is_err());
        assert_eq!(listing(&dir), before);
        drop(holder);
        write_set(&dir, &files(&["a.csv"], "new"), &family()).unwrap();
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-164: a rollback stopped in its cleanup, between a never-renamed line's staged
    /// file and its backup, left the backup, which the next rollback read as a file
    /// written since: a false warning. The backup goes first now, and a target that is
    /// the old file its backup links to is never taken as written since.
    #[test]
    fn regression_a_cleanup_stopped_midway_gives_no_false_warning() {
        let dir = scratch("cleanup-stopped");
        write_set(&dir, &files(&["a.csv", "b.csv"], "old"), &family()).unwrap();
        let before = visible(&dir);
        let journal = killed_after(&dir, &files(&["a.csv", "b.csv"], "new"), 0, DEAD);
        // The staged file of a.csv's line removed, its backup left (the old order).
        let text = fs::read_to_string(&journal).unwrap();
        let tmp = text
            .lines()
            .find(|l| l.split('\t').nth(2) == Some("a.csv"))
            .and_then(|l| l.split('\t').nth(1))
            .unwrap()
            .to_string();
        fs::remove_file(dir.join(tmp)).unwrap();
        assert_eq!(roll_back_stopped_sets(&dir).unwrap(), Vec::<String>::new());
        assert_eq!(visible(&dir), before);
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-165: a stopped run's file removed (or moved away) by the user was taken as
    /// "written since", and the old file's backup removed with the rest: the old content
    /// lost. Nothing stands in its place, so the old file goes back.
    #[test]
    fn regression_a_removed_target_gets_its_old_file_back() {
        let dir = scratch("removed-target");
        write_set(&dir, &files(&["a.csv", "b.csv"], "old"), &family()).unwrap();
        let before = visible(&dir);
        killed_after(&dir, &files(&["a.csv", "b.csv"], "new"), 2, DEAD);
        fs::remove_file(dir.join("a.csv")).unwrap();
        let notes = roll_back_stopped_sets(&dir).unwrap();
        assert_eq!(visible(&dir), before);
        // Said, as the user may have removed it on purpose (helper-166).
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].ends_with(
                "a.csv: removed since a run stopped while replacing it; its content from before that run is put back"
            ),
            "{notes:?}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-165: a backup removed by hand (tidying a crash's clutter) left the stopped
    /// run's file in place silently. It still stays (there is nothing to put back), and it
    /// is said.
    #[test]
    fn regression_a_missing_backup_is_said() {
        let dir = scratch("missing-backup");
        write_set(&dir, &files(&["a.csv", "b.csv"], "old"), &family()).unwrap();
        killed_after(&dir, &files(&["a.csv", "b.csv"], "new"), 1, DEAD);
        for (name, _) in listing(&dir) {
            if name.ends_with(".bak") {
                fs::remove_file(dir.join(name)).unwrap();
            }
        }
        let notes = roll_back_stopped_sets(&dir).unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"new a.csv");
        assert!(
            notes.iter().any(|n| n.contains(
                "a.csv: a run that stopped while replacing it had written it, and its old content"
            ) && n
                .contains("is gone, so it stays that run's: the folder holds files of two runs")),
            "{notes:?}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-165: a journal rolled back as a set was written (a run stopped there while
    /// this one computed) had its warnings dropped; they wait for the binary now.
    #[test]
    fn regression_a_rollback_at_write_time_keeps_its_warnings() {
        let dir = scratch("write-time-notes");
        write_set(&dir, &files(&["a.csv", "b.csv"], "old"), &family()).unwrap();
        killed_after(&dir, &files(&["a.csv", "b.csv"], "new"), 2, DEAD);
        fs::write(dir.join("newer"), "newest a.csv").unwrap();
        fs::rename(dir.join("newer"), dir.join("a.csv")).unwrap();
        write_set(&dir, &files(&["c.png"], "charts"), &["c.png".to_string()]).unwrap();
        let notes = take_rollback_notes();
        assert!(
            notes.iter().any(|n| n.contains("a.csv: a run that stopped while replacing it had written it, and it has been replaced since (written again, or something else put there), so it was not put back")),
            "{notes:?}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// helper-165: a file of this process's own id left by a stopped run that had the same
    /// id (a container's first process) was never removed. Under the folder's lock it is
    /// stale: this process has none there as it begins a set.
    #[test]
    fn regression_a_stopped_runs_file_of_our_own_id_is_removed() {
        let dir = scratch("own-id");
        let stray = dir.join(format!(
            "{TEMP_PREFIX}{}-1234567890.tmp",
            std::process::id()
        ));
        fs::write(&stray, "staged by a run that had this id").unwrap();
        write_set(&dir, &files(&["a.csv"], "one"), &family()).unwrap();
        assert!(!stray.exists());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn unrecorded_files_are_never_removed_and_other_commands_files_stay_recorded() {
        let dir = scratch("unrecorded");
        fs::write(dir.join("c.svg"), "the user's own").unwrap();
        write_set(&dir, &files(&["a.csv", "c.png"], "one"), &family()).unwrap();
        assert_eq!(fs::read(dir.join("c.svg")).unwrap(), b"the user's own");
        // A command whose family is only the charts keeps a.csv on the record.
        let charts = ["c.png".to_string(), "c.svg".to_string()];
        write_set(&dir, &files(&["c.png"], "two"), &charts).unwrap();
        assert!(read_manifest(&dir).contains(&"a.csv".to_string()));
        assert!(dir.join("a.csv").is_file());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_fingerprint_read_in_pieces_is_the_fingerprint_of_the_whole() {
        let dir = std::env::temp_dir().join(format!("stakeshift-print-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        // Lengths about the piece (64 KiB) and the word (8 bytes).
        for len in [
            0,
            1,
            7,
            8,
            9,
            (1 << 16) - 1,
            1 << 16,
            (1 << 16) + 3,
            3 << 17,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.join("f");
            fs::write(&path, &bytes).unwrap();
            let print = fingerprint(&bytes);
            assert!(
                still_as_written(&path, Recorded::Written((len as u64, print))),
                "{len}"
            );
            assert!(
                !still_as_written(&path, Recorded::Written((len as u64, print ^ 1))),
                "{len}"
            );
            assert!(
                !still_as_written(&path, Recorded::Written((len as u64 + 1, print))),
                "{len}"
            );
            if len > 0 {
                let mut changed = bytes.clone();
                changed[len / 2] ^= 0x40;
                assert_ne!(fingerprint(&changed), print, "{len}");
            }
            // Two and three bits anywhere, flipped together, many times over (a structural
            // weakness shows as a collision within a few hundred tries; by chance, one in
            // 2^64).
            for (flips, seed) in [(2, len as u64), (3, len as u64 ^ 0x5555)] {
                if len < flips {
                    continue;
                }
                let mut state = seed;
                let mut next = |n: usize| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    ((state >> 33) as usize) % n
                };
                for _ in 0..2_000 {
                    let mut changed = bytes.clone();
                    for _ in 0..flips {
                        let at = next(len);
                        changed[at] ^= 1 << next(8);
                    }
                    if changed != bytes {
                        assert_ne!(fingerprint(&changed), print, "{len}: {flips} flips");
                    }
                }
            }
            // helper-196: the top bits of bytes 7 and 15 and bit 2 of byte 12 cancelled.
            if len >= 16 {
                let mut changed = bytes.clone();
                changed[7] ^= 0x80;
                changed[15] ^= 0x80;
                changed[12] ^= 0x04;
                assert_ne!(fingerprint(&changed), print, "{len}");
            }
            // helper-194: the top bit of byte 7 of two words flipped together cancelled.
            if len >= 16 {
                let mut changed = bytes.clone();
                changed[7] ^= 0x80;
                changed[15] ^= 0x80;
                assert_ne!(fingerprint(&changed), print, "{len}");
            }
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stale_temp_names() {
        let me = std::process::id();
        // A process id that no process has (above Linux's largest, 2^22).
        let dead = 4_194_400;
        let ours = |pid: u32, ext: &str| format!(".stakeshift-{pid}-{}7.{ext}", "1".repeat(9));
        assert_eq!(
            temp_pid(&private_name(Path::new("."), "tmp").to_string_lossy()[2..]),
            Some(me)
        );
        assert!(is_stale_temp(&ours(dead, "tmp")) && is_stale_temp(&ours(dead, "bak")));
        assert!(!is_stale_temp(&ours(me, "tmp")));
        // helper-175: only the names this module makes; a user's file is never ours,
        // whatever it starts with (the earlier versions' six-character names included:
        // `.stakeshift-config` was removed as one).
        for name in [
            ".stakeshift-aB3xY9",
            ".stakeshift-config",
            ".stakeshift-2026-12-06.toml",
            &format!(".stakeshift-{dead}-1.tmp"),
            &format!(".stakeshift-{dead}-1234567890.toml"),
            &format!(".stakeshift-{dead}-12345x7890.tmp"),
            &format!(".stakeshift-{dead}-1234567890.commit"),
            ".stakeshift.outputs",
            "stakeshift-aB3xY9",
            ".stakeshift-notes.txt",
        ] {
            assert!(!is_stale_temp(name), "{name}");
        }
    }
}
