//! The `stakeshift` binary: parse the command line, run it, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
mod cmd;

use cmd::{Cli, run, say};

/// The first panic's message and place, kept by the panic hook for the one error line.
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

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

/// The most warnings printed one by one.
const MAX_WARNINGS_SHOWN: usize = 10;

fn main() -> ExitCode {
    // A file size limit (`ulimit -f`) reached while writing killed the process by SIGXFSZ,
    // leaving its staged files for the next run to remove; ignored, the write fails with
    // EFBIG like any other failed write (a full disk), and the run stops cleanly, exit 1,
    // every earlier output untouched and its own temporary files removed.
    #[cfg(unix)]
    // SAFETY: setting a signal to be ignored, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    raise_open_files_limit();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let printed = e.print();
            // clap: 0 for --help and --version, 2 for bad usage. Help that could not be
            // written (`>/dev/full`) is a failure, as data that could not be is; a reader
            // that stops early (`| head`) is not.
            let code = e.exit_code().clamp(0, 255) as u8;
            return match printed {
                Err(err) if code == 0 && err.kind() != std::io::ErrorKind::BrokenPipe => {
                    ExitCode::from(1)
                }
                _ => ExitCode::from(code),
            };
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A panic is a bug; it still ends with one message and exit code 1, not Rust's panic
    // report and backtrace: the hook keeps what panicked and where (from any thread: a
    // simulation's paths run on rayon's), and the message below says it.
    // With RUST_BACKTRACE set (someone debugging), Rust's own report is printed as well.
    let rust_report = std::panic::take_hook();
    let debugging = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
    std::panic::set_hook(Box::new(move |info| {
        if debugging {
            rust_report(info);
        }
        let mut first = PANIC.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert_with(|| info.to_string().replace('\n', " "));
    }));
    let mut warnings = cmd::Warnings::default();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(cli, &mut stdout, &mut warnings)
    }));
    match outcome {
        Ok(Ok(())) => {
            // A model can hold many slips (a growth on every series): the first few, then
            // how many more, so that stderr stays readable.
            let warnings = warnings.into_vec();
            for warning in warnings.iter().take(MAX_WARNINGS_SHOWN) {
                say(format_args!("warning: {warning}"));
            }
            if warnings.len() > MAX_WARNINGS_SHOWN {
                say(format_args!(
                    "warning: {} more warnings like these",
                    warnings.len() - MAX_WARNINGS_SHOWN
                ));
            }
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            let typed = e.downcast_ref::<stakeshift::Error>();
            // A reader that stops early (`| head`) is not an error.
            if let Some(stakeshift::Error::Io { cause, .. }) = typed
                && cause.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            // Whatever the error quotes (a name, a key, a path), no control character
            // reaches the terminal raw.
            say(format_args!(
                "error: {}",
                stakeshift::error::escape_controls(&format!("{e:#}"))
            ));
            ExitCode::from(typed.map_or(1, |t| t.exit_code()) as u8)
        }
        Err(_) => {
            let what = PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
            say(format_args!(
                "error: internal error (a bug in stakeshift: {}); please report it with the model file",
                stakeshift::error::escape_controls(what.as_deref().unwrap_or("a panic"))
            ));
            ExitCode::from(1)
        }
    }
}
