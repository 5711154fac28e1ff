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
    // The new file gets the old one's permissions (a temporary file is
    // private to its owner), or ordinary ones for a new file.
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => Some(existing.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(permissions) = permissions {
        std::fs::set_permissions(temp.path(), permissions).map_err(fail)?;
    }
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Read for everyone, written by the owner (what most tools create).
#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

/// Prints to stdout; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush());
}
