//! What the binary does for the process as a whole, outside any command: memory that
//! cannot be had, stop signals, the open-files limit and panics, each ending the run with
//! one line on stderr and the SPEC's exit code (docs/MODEL.md section 13).

use std::process::ExitCode;

use crate::cmd::say;

/// The system allocator, except that memory it cannot give ends the run with one line and
/// exit code 1, as every other failure: Rust's own handling printed "memory allocation of
/// N bytes failed" and aborted (SIGABRT, exit 134; a tester's `ulimit -v`). Nothing of
/// ours asks for memory it can do without (no `try_reserve`), so a refused allocation is
/// always the end. Outputs are staged and committed by renames, so what was there before
/// stays whole; staged files left behind are removed by the next run into the folder.
pub struct ExitWhenOutOfMemory;

// SAFETY: every call is passed to the system allocator as it is; only a null result (no
// memory) is turned into an exit.
unsafe impl std::alloc::GlobalAlloc for ExitWhenOutOfMemory {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract is the system allocator's.
        let p = unsafe { std::alloc::System.alloc(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        let p = unsafe { std::alloc::System.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `alloc`.
        let p = unsafe { std::alloc::System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory(new_size);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: as `alloc`.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
}

/// Says that `size` bytes could not be had and exits 1, without asking for memory (the
/// message is made in a buffer on the stack and written straight to stderr).
fn out_of_memory(size: usize) -> ! {
    // One line, though several threads may run out at once.
    static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if SAID.swap(true, std::sync::atomic::Ordering::SeqCst) {
        // Another thread is saying it and will end the process: give it a moment, so that
        // the line is not lost to an earlier exit, but no more (its write may block on a
        // full pipe: helper-84).
        #[cfg(unix)]
        // SAFETY: sleep(3) and _exit(2) allocate nothing.
        unsafe {
            libc::sleep(2);
            libc::_exit(1);
        }
        #[cfg(not(unix))]
        std::process::exit(1);
    }
    let mut line = [0u8; 160];
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        let n = bytes.len().min(line.len() - at);
        line[at..at + n].copy_from_slice(&bytes[..n]);
        at += n;
    };
    put(b"error: out of memory: ");
    let mut digits = [0u8; 20];
    let mut d = digits.len();
    let mut n = size;
    loop {
        d -= 1;
        digits[d] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    put(&digits[d..]);
    put(b" bytes more could not be had (a memory limit, or a run too large for this machine)\n");
    #[cfg(unix)]
    // SAFETY: write(2) and _exit(2) take plain bytes and allocate nothing.
    unsafe {
        libc::write(2, line.as_ptr().cast(), at);
        libc::_exit(1);
    }
    #[cfg(not(unix))]
    std::process::exit(1);
}

/// The panics seen so far (the latest [`PANICS_KEPT`]): each one's message, where it is text,
/// and its message and place as one line. A panic caught and handled inside the library
/// (the workbook writer's) is among them, so the one reported is found by its message.
static PANICS: std::sync::Mutex<std::collections::VecDeque<(Option<String>, String)>> =
    std::sync::Mutex::new(std::collections::VecDeque::new());

/// How many panics [`PANICS`] keeps.
const PANICS_KEPT: usize = 16;

/// Raises the soft limit on open files to the hard one: a large workbook keeps a temporary
/// file open for each trajectory sheet (500 for the largest model), beyond macOS's default
/// of 256; past the limit it is built in memory instead (2.3 GB), so raising it only
/// spares memory. Nothing is said if it cannot be raised.
fn raise_open_files_limit() {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit read and write the struct passed, nothing else.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0
                && limit.rlim_cur < limit.rlim_max
            {
                limit.rlim_cur = limit.rlim_max;
                // macOS refuses more than OPEN_MAX (10240) whatever the hard limit says.
                #[cfg(target_os = "macos")]
                {
                    limit.rlim_cur = limit.rlim_cur.min(10240);
                }
                libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            }
        }
    }
}

/// SIGINT, SIGTERM, SIGHUP, SIGQUIT: outside a write the run ends at once, killed by the signal as
/// it would be without a handler (so a shell loop stops on Ctrl-C: a child that exits 130
/// is taken to have handled it, helper-82); while a set of outputs is being written the
/// writer is told ([`stakeshift::io::STOP_REQUESTED`]), stops at its next step and undoes
/// what it did, so that no staged file and no mix of old and new outputs is left
/// (helper-78), and the run then ends by the signal the same way.
#[cfg(unix)]
extern "C" fn on_stop_signal(signal: libc::c_int) {
    use std::sync::atomic::Ordering;
    if stakeshift::io::WRITING.load(Ordering::SeqCst) {
        stakeshift::io::STOP_REQUESTED.store(signal, Ordering::SeqCst);
    } else {
        die_by(signal);
    }
}

/// Ends the process by `signal` with its default action (termination), as if no handler
/// had been set; `_exit(128 + signal)` where that somehow returns.
#[cfg(unix)]
fn die_by(signal: libc::c_int) -> ! {
    // A progress bar on a terminal is cleared first (helper-228: Ctrl-C left it on the
    // screen without a newline, and the shell's prompt began after it).
    if STDERR_IS_A_TERMINAL.load(std::sync::atomic::Ordering::SeqCst) {
        const CLEAR_LINE: &[u8] = b"\r\x1b[2K";
        // SAFETY: write(2) is async-signal-safe; the bytes are a constant.
        unsafe {
            libc::write(2, CLEAR_LINE.as_ptr().cast(), CLEAR_LINE.len());
        }
    }
    // SAFETY: signal(2), sigprocmask(2), raise(3) and _exit(2) are async-signal-safe;
    // the set is a local.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, signal);
        libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(signal);
        libc::_exit(128 + signal)
    }
}

/// Whether stderr is a terminal, where a progress bar may be drawn: read once, before any
/// signal handler may need it (a handler may call only async-signal-safe functions).
#[cfg(unix)]
static STDERR_IS_A_TERMINAL: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Sets [`on_stop_signal`] for SIGINT, SIGTERM, SIGHUP and SIGQUIT (Ctrl-\\, which left
/// a stopped set behind for the next run to mend: helper-228), except where the signal is
/// ignored already (`nohup`, a background job of a script): those stay ignored, as a
/// program is expected to leave them (helper-82: `nohup stakeshift ...` died on SIGHUP).
#[cfg(unix)]
fn set_stop_handlers() {
    use std::io::IsTerminal;
    STDERR_IS_A_TERMINAL.store(
        std::io::stderr().is_terminal(),
        std::sync::atomic::Ordering::SeqCst,
    );
    let handler = on_stop_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
        // SAFETY: sigaction(2) reads the current action into a zeroed local struct;
        // signal(2) sets a handler that only touches atomics and async-signal-safe calls.
        unsafe {
            let mut current: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(signal, std::ptr::null(), &mut current) == 0
                && current.sa_sigaction == libc::SIG_IGN
            {
                continue;
            }
            libc::signal(signal, handler);
        }
    }
}

/// The signal a run was stopped by while it wrote, if one was.
#[cfg(unix)]
fn stopped() -> Option<libc::c_int> {
    match stakeshift::io::STOP_REQUESTED.load(std::sync::atomic::Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// Sets the process up before anything runs: a file size limit's signal ignored, the stop
/// signals' handlers set and the open-files limit raised.
pub fn prepare() {
    // A file size limit (`ulimit -f`) reached while writing killed the process by SIGXFSZ,
    // leaving its staged files for the next run to remove; ignored, the write fails with
    // EFBIG like any other failed write (a full disk), and the run stops cleanly, exit 1,
    // every earlier output untouched and its own temporary files removed.
    #[cfg(unix)]
    // SAFETY: setting a signal to be ignored, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    #[cfg(unix)]
    set_stop_handlers();
    raise_open_files_limit();
    one_malloc_arena_under_an_address_space_limit();
}

/// Under a limit on the address space (`ulimit -v`), glibc's malloc gives every thread
/// after the first an arena of its own, reserving 64 MB of address space for each; where
/// the limit refuses that reservation, every allocation of those threads became an mmap
/// and a munmap (helper-168: a 101-value sweep took 26.5 s instead of 0.4 s under `ulimit
/// -v 130000`, all of it in the kernel). With such a limit the threads share one arena
/// instead, unless MALLOC_ARENA_MAX says otherwise; without one nothing changes.
fn one_malloc_arena_under_an_address_space_limit() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
            return;
        }
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the struct passed; mallopt sets a malloc parameter,
        // before any other thread exists.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_AS, &mut limit) == 0
                && limit.rlim_cur != libc::RLIM_INFINITY
            {
                libc::mallopt(libc::M_ARENA_MAX, 1);
            }
        }
    }
}

/// The process's threads, as Linux lists them (None elsewhere, or unreadable).
fn threads_now() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        std::fs::read_dir("/proc/self/task")
            .ok()
            .map(Iterator::count)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// Waits (at most a fifth of a second) until the process has no more than `threads`
/// threads again: a joined thread still counts against a process limit until the kernel
/// has released it, a moment after `join` returns (helper-121's limit of just enough
/// threads, rayon's pool started in that moment, failed now and then under load). Linux
/// lists a process's threads in /proc/self/task until it releases them.
fn wait_until_threads_are(threads: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(200);
    while std::time::Instant::now() < deadline {
        match threads_now() {
            Some(now) if now > threads => std::thread::sleep(std::time::Duration::from_micros(50)),
            _ => return,
        }
    }
}

/// Where the system will not give the threads rayon's pool needs (a process limit, `ulimit
/// -u`, or a memory limit too tight for their stacks), starts rayon's pool as the main thread
/// alone, so that the run goes on in one thread instead of stopping (helper-115: rayon
/// panicked on its first use). rayon starts its global pool once, failed or not, and never
/// tries fewer threads: so the threads it would start are tried first, as bare threads
/// that wait for each other and are then joined (no pool is started twice, and nothing of
/// theirs stays: a trial pool's exiting workers left a limit of just enough threads short
/// when the real pool started, and its threads' allocations took memory a `ulimit -v` run
/// did not have: helper-121). Where they all start, rayon starts its pool on first use, as
/// it would have. Called by the commands that run on rayon's pool (simulate, sweep, solve,
/// tornado), not by every command (a probe of 1,024 threads cost `check` 90 ms: helper-122).
pub fn start_threads() {
    let asked = std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|n| n.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    // At most MOST_THREADS (helper-248: RAYON_NUM_THREADS=99999999999 asked 2.4 TB for the
    // trial's handles and ended "out of memory"); the outputs are the same bytes whatever
    // the number of threads.
    let wanted = asked.min(MOST_THREADS);
    // Each trial thread waits until every one has been tried, so that they all count
    // against a limit at once, as rayon's will (one that ended at once let the next start
    // in its place).
    let before = threads_now();
    let release = std::sync::Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
    let mut started = Vec::with_capacity(wanted);
    let mut all = true;
    for _ in 0..wanted {
        let wait = std::sync::Arc::clone(&release);
        // The stack rayon's threads get (the standard one), so that a memory limit too
        // tight for theirs fails here.
        match std::thread::Builder::new().spawn(move || {
            let (released, bell) = &*wait;
            let mut released = released.lock().unwrap_or_else(|e| e.into_inner());
            while !*released {
                released = bell.wait(released).unwrap_or_else(|e| e.into_inner());
            }
        }) {
            Ok(thread) => started.push(thread),
            Err(_) => {
                all = false;
                break;
            }
        }
    }
    {
        let (released, bell) = &*release;
        *released.lock().unwrap_or_else(|e| e.into_inner()) = true;
        bell.notify_all();
    }
    for thread in started {
        let _ = thread.join();
    }
    if let Some(before) = before {
        wait_until_threads_are(before);
    }
    if !all {
        // A failure here too leaves rayon to fail on its first use, which [`panicked`]
        // reports as threads that could not be started.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build_global();
    } else if asked > wanted {
        // (rayon would read the variable itself and try them all.)
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(wanted)
            .build_global();
    }
}

/// The most threads a run starts, whatever RAYON_NUM_THREADS asks.
const MOST_THREADS: usize = 1024;

/// Runs `run`, catching a panic: a panic is a bug, but it still ends with one message and
/// exit code 1 ([`panicked`]), not Rust's panic report and backtrace. The hook keeps what
/// panicked and where (from any thread: a simulation's paths run on rayon's); with
/// RUST_BACKTRACE set (someone debugging), Rust's own report is printed as well, but for a
/// panic the library expects and handles ([`xlsx::panics_expected`]). `Err` holds the
/// message and place of the panic that ended the run, where the hook saw it (else of the
/// latest it saw that is not one passed on from another thread).
///
/// [`xlsx::panics_expected`]: stakeshift::report::xlsx::panics_expected
pub fn catching_panics<T>(run: impl FnOnce() -> T) -> Result<T, Option<String>> {
    use stakeshift::error::panic_message;
    let rust_report = std::panic::take_hook();
    let debugging = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
    std::panic::set_hook(Box::new(move |info| {
        if debugging && !stakeshift::report::xlsx::panics_expected() {
            rust_report(info);
        }
        let mut seen = PANICS.lock().unwrap_or_else(|e| e.into_inner());
        // The latest are kept: the one that ends the run comes after any handled before it.
        if seen.len() == PANICS_KEPT {
            seen.pop_front();
        }
        let message = panic_message(info.payload()).map(str::to_string);
        seen.push_back((message, info.to_string().replace('\n', " ")));
    }));
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).map_err(|payload| {
        let seen = std::mem::take(&mut *PANICS.lock().unwrap_or_else(|e| e.into_inner()));
        let passed_on = |m: Option<&str>| m.is_some_and(|m| PASSED_ON.contains(&m));
        let latest = |wanted: &dyn Fn(Option<&str>) -> bool| {
            seen.iter()
                .rev()
                .find(|(message, _)| wanted(message.as_deref()))
                .map(|(_, line)| line.clone())
        };
        match panic_message(&*payload).filter(|m| !passed_on(Some(m))) {
            // The latest panic of that message (an earlier one may have been handled).
            Some(m) => Some(latest(&|s| s == Some(m)).unwrap_or_else(|| m.to_string())),
            // A payload that is not text, or one that only says a thread panicked: the
            // latest panic that is not such a message (helper-203: a worker's panic under
            // `thread::scope` was told as std's "a scoped thread panicked").
            None => latest(&|s| !passed_on(s)),
        }
    })
}

/// What std's panics that pass another thread's on say, in place of its message.
const PASSED_ON: [&str; 1] = ["a scoped thread panicked"];

/// Where a stop signal came while the run wrote its outputs: says what the writer said
/// (nothing was changed), or nothing where the set was whole, and ends the process by the
/// signal. Returns otherwise.
pub fn end_if_stopped<T>(outcome: &Result<anyhow::Result<T>, Option<String>>) {
    #[cfg(unix)]
    if let (Some(signal), Ok(result)) = (stopped(), outcome) {
        if let Err(e) = result {
            say(format_args!(
                "error: {}",
                stakeshift::error::escape_controls(&format!("{e:#}"))
            ));
        }
        die_by(signal);
    }
    #[cfg(not(unix))]
    let _ = outcome;
}

/// The one line for a run that panicked, and its exit code, 1. `what`: the panic's
/// message and place.
pub fn panicked(what: Option<String>) -> ExitCode {
    // Threads that could not be started (a memory or process limit) are no bug: rayon
    // panics on its first use, std where a thread is spawned.
    let no_threads = what.as_deref().is_some_and(|w| {
        w.contains("The global thread pool has not been initialized")
            || w.contains("failed to spawn thread")
    });
    if no_threads {
        say(format_args!(
            "error: the threads this run needs could not be started (a memory or process limit: `ulimit -v`, `ulimit -u`)"
        ));
    } else {
        say(format_args!(
            "error: internal error (a bug in stakeshift: {}); please report it with the model file",
            stakeshift::error::escape_controls(what.as_deref().unwrap_or("a panic"))
        ));
    }
    ExitCode::from(1)
}

#[cfg(test)]
mod tests {
    use super::catching_panics;

    /// helper-201: the binary told the first panic its hook saw, so a panic caught and
    /// handled inside the run (the workbook writer's) would have been told in place of the
    /// one that ended it. (The only test of this binary that panics: the hook is the
    /// process's.)
    #[test]
    fn regression_the_panic_told_is_the_one_that_ended_the_run() {
        let told = catching_panics(|| {
            let handled = std::panic::catch_unwind(|| panic!("handled inside"));
            assert!(handled.is_err());
            panic!("the one that ended it");
        })
        .unwrap_err()
        .unwrap();
        assert!(told.contains("the one that ended it"), "{told}");
        assert!(told.contains("src/process.rs:"), "{told}");
        // A payload that is not text: its own place, not a handled panic's.
        let told = catching_panics(|| {
            let _ = std::panic::catch_unwind(|| panic!("seen first"));
            std::panic::panic_any(7_u8)
        })
        .unwrap_err()
        .unwrap();
        assert!(
            !told.contains("seen first") && told.contains("src/process.rs:"),
            "{told}"
        );
        // The same message twice, handled then not: the latest, by its place.
        let line = line!() + 3;
        let told = catching_panics(|| {
            let _ = std::panic::catch_unwind(|| panic!("twice"));
            panic!("twice")
        })
        .unwrap_err()
        .unwrap();
        assert!(told.contains(&format!("src/process.rs:{line}:")), "{told}");
        // helper-203: a panic on a scoped thread is passed on as std's own words; the
        // thread's is told.
        let told = catching_panics(|| {
            std::thread::scope(|s| {
                s.spawn(|| panic!("the real cause"));
            })
        })
        .unwrap_err()
        .unwrap();
        assert!(told.contains("the real cause"), "{told}");
        // More handled panics than are kept, of the same message as the last: the last is
        // still told by its own place (the hook kept the first 16 and lost it).
        let line = line!() + 5;
        let told = catching_panics(|| {
            for _ in 0..40 {
                let _ = std::panic::catch_unwind(|| panic!("many"));
            }
            panic!("many")
        })
        .unwrap_err()
        .unwrap();
        assert!(told.contains(&format!("src/process.rs:{line}:")), "{told}");
        let _ = std::panic::take_hook();
    }
}
