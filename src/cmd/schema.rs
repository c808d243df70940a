//! `stakeshift schema`: print the JSON Schema of the model file (draft 7, which taplo reads), for
//! editors that check TOML against a schema named by a `#:schema` directive.

use super::emit;

pub fn run(stdout: &mut dyn std::io::Write) -> anyhow::Result<()> {
    emit(
        stdout,
        stakeshift::model::schema::model_schema_text().as_bytes(),
    )?;
    Ok(())
}
