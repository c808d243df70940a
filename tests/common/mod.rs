//! Helpers shared by the integration tests: each `tests/*.rs` that needs them says
//! `mod common;`. One copy of each, so that two tests cannot disagree on, say, which CSV
//! columns hold text.

// Each test binary compiles this module and uses only some of it.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// The longest one run of the binary may take in a test: a hang is a failure, not a stuck
/// test run. Generous, for a busy machine.
pub const RUN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// The stakeshift binary of this build, ready for arguments, killed after [`RUN_TIMEOUT`].
pub fn stakeshift() -> assert_cmd::Command {
    let mut cmd =
        assert_cmd::Command::cargo_bin("stakeshift").expect("the stakeshift binary is built");
    cmd.timeout(RUN_TIMEOUT);
    cmd
}

/// Writes `text` to the file `name` in `dir` (a model, a CSV it names) and returns its path.
pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

/// What a run that must succeed printed: its stdout and stderr, as text.
pub fn succeeds(cmd: &mut assert_cmd::Command) -> (String, String) {
    let out = cmd.assert().success();
    let out = out.get_output();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What a run that must exit 2 (a bad model or bad usage) printed on stderr.
pub fn fails_with_2(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().code(2);
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// A path inside the repository, from its root.
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// A fresh, empty directory under Cargo's scratch directory for integration tests
/// (`target/tmp`), named after `tag` and removed when dropped. It derefs to its `Path`, so
/// `dir.join("x.csv")` and `.arg(&dir)` work.
pub struct ScratchDir(tempfile::TempDir);

impl ScratchDir {
    pub fn new(tag: &str) -> ScratchDir {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let dir = tempfile::Builder::new()
            .prefix(&format!("stakeshift-{tag}-"))
            .tempdir_in(root)
            .unwrap_or_else(|e| {
                panic!("cannot make a scratch directory in {}: {e}", root.display())
            });
        ScratchDir(dir)
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Deref for ScratchDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<OsStr> for ScratchDir {
    fn as_ref(&self) -> &OsStr {
        self.0.path().as_os_str()
    }
}

/// The columns of stakeshift's CSVs (and the reference's) that hold text, compared as text.
/// Every other column holds a number (`year` and `payback_year` whole numbers).
pub const TEXT_COLUMNS: [&str; 3] = ["trajectory", "regime", "winner"];

/// The columns that hold whole numbers, compared exactly.
pub const INTEGER_COLUMNS: [&str; 2] = ["year", "payback_year"];

/// A CSV file read as text: its header and its rows.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// Reads a CSV file with a header row; every row must be as wide as the header.
pub fn read_csv(path: &Path) -> Result<Table, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_csv(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses CSV bytes (a header row, then rows as wide as the header).
pub fn parse_csv(bytes: &[u8]) -> Result<Table, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("cannot read row {}: {e}", i + 2))?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(Table { header, rows })
}

/// `f` of every item, on as many threads as the machine has (at most four), in the items'
/// order: for tests that run the binary once per case, so that the suite's last test is not
/// one long serial loop.
pub fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = f(item);
                    done.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((i, result));
                }
            });
        }
    });
    // (A case that panicked has already failed the test: `scope` panics once its threads end.)
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Runs `command` with its address space limited to `bytes` (setrlimit RLIMIT_AS between
/// fork and exec): for tests that a run stays within a memory bound.
#[cfg(target_os = "linux")]
pub fn limit_address_space(command: &mut std::process::Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setrlimit(2) only, between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
}

/// Held by every test that runs the binary as `nobody`: one of them limits that user to
/// one to three processes (RLIMIT_NPROC counts all of the user's processes), so another's
/// run as `nobody` at the same time made its fork fail (`regression_without_threads_a_run_
/// goes_on_in_one` failed under a loaded machine's test threads).
pub fn as_nobody_lock() -> std::sync::MutexGuard<'static, ()> {
    static NOBODY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    NOBODY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A scratch folder (mode 755) holding a copy of the binary that the unprivileged user
/// `nobody` may run, for what a user without root's permissions is told about folders it
/// may not enter or write into. Where the tests do not run as root there is none (a folder
/// of mode 000 cannot be made to stop this user). Every folder below is opened again and
/// the whole removed when it is dropped.
#[cfg(target_os = "linux")]
pub struct AsNobody {
    pub dir: PathBuf,
    binary: PathBuf,
    _lock: std::sync::MutexGuard<'static, ()>,
}

#[cfg(target_os = "linux")]
impl AsNobody {
    /// The folder for the test `tag`, or None (said) where this process is not root.
    pub fn new(tag: &str) -> Option<AsNobody> {
        use std::os::unix::fs::PermissionsExt;
        let lock = as_nobody_lock();
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            println!("skipped: not root, so no run as nobody can be made");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("stakeshift-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let binary = dir.join("stakeshift");
        std::fs::copy(assert_cmd::cargo::cargo_bin("stakeshift"), &binary).unwrap();
        for path in [&dir, &binary] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Some(AsNobody {
            dir,
            binary,
            _lock: lock,
        })
    }

    /// Sets the permission bits of `path`.
    pub fn mode(&self, path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    /// The binary run as `nobody` with `args`, in the folder `from`; None (said) where
    /// setpriv is missing or that user cannot run the copy.
    pub fn run(&self, args: &[&str], from: &Path) -> Option<std::process::Output> {
        let out = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&self.binary)
            .args(args)
            .current_dir(from)
            .output();
        match out {
            Ok(out) if !matches!(out.status.code(), Some(126 | 127)) => Some(out),
            other => {
                println!("skipped: no unprivileged run could be made ({other:?})");
                None
            }
        }
    }
}

#[cfg(target_os = "linux")]
impl Drop for AsNobody {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        // Every folder below opened again (depth first from the top, so each can be read),
        // never following a link out of the scratch folder.
        let mut folders = vec![self.dir.clone()];
        while let Some(folder) = folders.pop() {
            let _ = std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755));
            for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    folders.push(entry.path());
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
