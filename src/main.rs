//! The `stakeshift` binary: parse the command line, run it, map errors to exit codes.
//! The commands are [`cmd`]'s; what the process as a whole needs (memory, signals,
//! panics) is [`process`]'s.

use std::process::ExitCode;

mod cmd;
mod process;

#[global_allocator]
static ALLOCATOR: process::ExitWhenOutOfMemory = process::ExitWhenOutOfMemory;

fn main() -> ExitCode {
    process::prepare();
    let cli = match cmd::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let mut stdout = std::io::stdout().lock();
    let mut warnings = cmd::Warnings::default();
    let outcome = process::catching_panics(|| cmd::run(cli, &mut stdout, &mut warnings));
    process::end_if_stopped(&outcome);
    match outcome {
        Ok(result) => cmd::finish(result, warnings),
        Err(what) => process::panicked(what),
    }
}
