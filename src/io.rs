//! Input and output in one place: reading a model file (and the CSV it may name), and
//! writing output files so that a failure never leaves a half-written file behind.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Model, ModelSource, parse_model};

/// A model and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    pub model: Model,
    /// How the model is named in messages and chart footers: the path as given, or the
    /// built-in model's name.
    pub label: String,
    /// The model file's text, for hashing.
    pub text: String,
}

/// Reads and validates the model at `path`, or the built-in model when `path` is None.
pub fn load_model(path: Option<&Path>) -> Result<LoadedModel> {
    let Some(path) = path else {
        return parse_text(
            crate::BUILTIN_MODEL.to_string(),
            crate::BUILTIN_MODEL_NAME.to_string(),
            None,
        );
    };
    let label = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        // Naming a file that is not there is bad usage (exit 2), like a bad model.
        std::io::ErrorKind::NotFound => Error::Usage(format!(
            "{label}: no such model file; give the path of a model (`stakeshift init` writes one)"
        )),
        _ => Error::io(path, e),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let location = crate::error::Location::of_offset(
            std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default(),
            at,
        );
        Error::Model {
            file: label.clone(),
            location: Some(location),
            field: String::new(),
            message: "the file is not UTF-8 text; a model file is TOML text (see docs/MODEL.md)"
                .into(),
        }
    })?;
    parse_text(text, label, path.parent())
}

fn parse_text(text: String, label: String, dir: Option<&Path>) -> Result<LoadedModel> {
    let mut load = |relative: &str| -> std::result::Result<String, String> {
        let full: PathBuf = match dir {
            Some(d) => d.join(relative),
            None => PathBuf::from(relative),
        };
        std::fs::read_to_string(&full).map_err(|e| format!("{} ({e})", full.display()))
    };
    let model = parse_model(ModelSource {
        text: &text,
        load: &mut load,
    })
    .map_err(|issue| Error::model(&label, &text, issue))?;
    Ok(LoadedModel { model, label, text })
}

/// Writes `bytes` to `path` through a temporary file in the same directory, renamed into
/// place only once it is complete and flushed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".stakeshift-")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    // A temporary file is private (0600); an output file is for reading, like any other.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Writes several files into `dir` (created if needed). Every file is rendered before any is
/// written, so an error in one leaves all the old files as they were.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for (name, bytes) in files {
        write_atomic(&dir.join(name), bytes)?;
    }
    Ok(())
}
