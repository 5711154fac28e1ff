//! Writing results: to stdout, or atomically to a file.

use std::io::Write;
use std::path::Path;

use super::CannotRun;

/// Writes `text` to `path` all at once: into a temporary file beside it,
/// then renamed over it, so a failure never leaves half a file and an
/// existing file is replaced only when the new one is complete.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), CannotRun> {
    let fail = |e: std::io::Error| CannotRun(format!("cannot write {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".perfcard-")
        .tempfile_in(dir)
        .map_err(fail)?;
    temp.write_all(text.as_bytes()).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Prints to stdout; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush());
}
