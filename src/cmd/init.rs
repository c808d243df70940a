//! `stakeshift init [PATH]`: write the built-in model out as a file to edit.

use super::InitArgs;
use stakeshift::error::Error;
use stakeshift::io;

pub fn run(args: &InitArgs, stdout: &mut dyn std::io::Write) -> anyhow::Result<()> {
    // Only a regular file is ever replaced, --force or not: a device, a folder or a symbolic
    // link in its place is refused, naming it.
    if io::replaceable(&args.path)?.is_some() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists; pass --force to overwrite it, or name another file",
            args.path.display()
        ))
        .into());
    }
    io::write_atomic(&args.path, stakeshift::BUILTIN_MODEL.as_bytes())?;
    // What was written is a message, not data: stderr, like `compare --out` and `chart`.
    let _ = stdout;
    eprintln!(
        "wrote the built-in model to {}; edit it, then run `stakeshift compare {}`",
        args.path.display(),
        args.path.display()
    );
    Ok(())
}
