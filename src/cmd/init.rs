//! `stakeshift init [PATH]`: write the built-in model out as a file to edit.

use super::{InitArgs, emit};
use stakeshift::error::Error;
use stakeshift::io;

pub fn run(args: &InitArgs, stdout: &mut dyn std::io::Write) -> anyhow::Result<()> {
    if args.path.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists; pass --force to overwrite it, or name another file",
            args.path.display()
        ))
        .into());
    }
    io::write_atomic(&args.path, stakeshift::BUILTIN_MODEL.as_bytes())?;
    let msg = format!(
        "wrote the built-in model to {}; edit it, then run `stakeshift compare {}`\n",
        args.path.display(),
        args.path.display()
    );
    emit(stdout, msg.as_bytes())?;
    Ok(())
}
