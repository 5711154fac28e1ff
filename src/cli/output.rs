//! Writing results: to stdout, or atomically to a file.

use std::io::Write;
use std::path::Path;

use super::CannotRun;

/// Writes `text` to `path` all at once: into a temporary file beside it,
/// then renamed over it, so a failure never leaves half a file and an
/// existing file is replaced only when the new one is complete. A link is
/// written through (the file it points to is replaced, the link kept); an
/// existing file keeps its permissions, and a new one gets the usual ones
/// (read and write as the user's umask allows).
pub fn write_atomically(path: &Path, text: &str) -> Result<(), CannotRun> {
    write_atomically_with(path, &mut |out| out.write_all(text.as_bytes()))
}

/// Like [`write_atomically`], with the content written by `write`.
pub fn write_atomically_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CannotRun> {
    // The message names the path the user gave, never the temporary file's
    // (tempfile's errors end with "at path …/.perfcard-XXXXXX").
    let fail =
        |e: std::io::Error| CannotRun(format!("cannot write {}: {}", path.display(), plain(&e)));
    let target = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".perfcard-");
    set_new_file_mode(&mut builder);
    let mut temp = builder.tempfile_in(&dir).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            let given = path.parent().filter(|d| !d.as_os_str().is_empty());
            let folder = given.unwrap_or(&dir);
            CannotRun(format!(
                "cannot write {}: the folder {} does not exist",
                path.display(),
                folder.display()
            ))
        } else {
            fail(e)
        }
    })?;
    write(temp.as_file_mut()).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    if let Ok(existing) = std::fs::metadata(&target) {
        std::fs::set_permissions(temp.path(), existing.permissions()).map_err(fail)?;
    }
    temp.persist(&target).map_err(|e| fail(e.error))?;
    Ok(())
}

/// The operating system's words for `e`, without the path tempfile adds
/// to its errors.
fn plain(e: &std::io::Error) -> String {
    match e.get_ref().and_then(|inner| inner.source()) {
        Some(cause) => cause.to_string(),
        None => e.to_string(),
    }
}

/// New files are created `rw-rw-rw-` less the umask, as other tools do
/// (a temporary file would otherwise be private to its owner).
#[cfg(unix)]
fn set_new_file_mode(builder: &mut tempfile::Builder) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(std::fs::Permissions::from_mode(0o666));
}

#[cfg(not(unix))]
fn set_new_file_mode(_: &mut tempfile::Builder) {}

/// Writes to stdout with `write`; a closed pipe (`| head`) is not an error.
pub fn print_with(
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CannotRun> {
    let mut stdout = std::io::stdout().lock();
    match write(&mut stdout) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CannotRun(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Prints to stdout; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush());
}
