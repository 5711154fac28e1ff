//! Writing several files as one change, as nearly atomically as a file
//! system allows.
//!
//! First every new file is written in full beside the file it replaces,
//! and flushed to disk (`fsync`); if any of that fails, the temporary files
//! are removed and nothing has changed. Then each is renamed over its
//! file; a rename is atomic, so each file is always either wholly old or
//! wholly new. The one window left: a crash (or power cut) between the
//! first and the last rename leaves some files new and the others old.
//! The renames follow each other at once, so the window is a few
//! microseconds per file; `perfcard check` then reports the mismatch (for
//! example a note whose figure is missing) and the import can be run again:
//! figures already written are recognised and not written twice.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::edit::FileEdit;

/// Why the files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// Nothing was written.
    #[error("nothing was written: {0}")]
    NothingWritten(String),
    /// Some files were renamed into place before one failed.
    #[error("cannot replace {failed}: {error}; already written: {written}; not written: {rest}")]
    Partly {
        failed: String,
        error: String,
        written: String,
        rest: String,
    },
}

/// Writes every edit's new text over its file. Each file must still hold
/// the text it was read with (else another program changed it meanwhile,
/// and nothing is written).
pub fn write_all(edits: &[FileEdit]) -> Result<(), CommitError> {
    let mut staged = Vec::new();
    for edit in edits {
        let fail = |e: std::io::Error| {
            CommitError::NothingWritten(format!("cannot write {}: {e}", edit.name))
        };
        let now = std::fs::read(&edit.path).map_err(fail)?;
        if now != edit.old.as_bytes() {
            return Err(CommitError::NothingWritten(format!(
                "{} changed while the import ran; run it again",
                edit.name
            )));
        }
        let dir = directory(&edit.path);
        let mut temp = tempfile::Builder::new()
            .prefix(".perfcard-import-")
            .tempfile_in(&dir)
            .map_err(fail)?;
        temp.write_all(edit.new.as_bytes()).map_err(fail)?;
        temp.as_file().sync_all().map_err(fail)?;
        let permissions = std::fs::metadata(&edit.path).map_err(fail)?.permissions();
        std::fs::set_permissions(temp.path(), permissions).map_err(fail)?;
        staged.push((temp, edit));
    }
    let names: Vec<&str> = edits.iter().map(|e| e.name.as_str()).collect();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (i, (temp, edit)) in staged.into_iter().enumerate() {
        if let Err(e) = temp.persist(&edit.path) {
            let none = || "none".to_string();
            let join = |list: &[&str]| {
                if list.is_empty() {
                    none()
                } else {
                    list.join(", ")
                }
            };
            return Err(CommitError::Partly {
                failed: edit.name.clone(),
                error: e.error.to_string(),
                written: join(&names[..i]),
                rest: join(&names[i..]),
            });
        }
        let dir = directory(&edit.path);
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    for dir in dirs {
        sync_directory(&dir);
    }
    Ok(())
}

fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Makes the renames themselves durable (Unix; elsewhere the file system
/// does it).
#[cfg(unix)]
fn sync_directory(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_directory(_: &Path) {}
