//! Writing results: to stdout, to stderr, or atomically to a file.

use std::fs::Metadata;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use super::CannotRun;

/// Writes `text` to `path` all at once (see [`write_atomically_with`]).
pub fn write_atomically(path: &Path, text: &str) -> Result<(), CannotRun> {
    write_atomically_with(path, &mut |out| out.write_all(text.as_bytes()))
}

/// Writes what `write` writes to `path`.
///
/// - A regular file (or a new path) is written all at once: into a
///   temporary file beside it, created from the start with the old file's
///   permissions (a new one gets `rw-rw-rw-` less the umask) and, where the
///   process may, its owner and group; then renamed over it. A failure
///   never leaves half a file.
/// - A link is written through: the file it names is replaced, the link
///   kept. A link to nothing is refused (exit 2): perfcard does not create
///   the file a link names.
/// - A character device or a FIFO (`-o /dev/stdout`, `-o /dev/null`, a
///   named pipe) is written straight into, as the shell's `>` would; it is
///   never replaced. A block device, a socket or a folder is refused.
pub fn write_atomically_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CannotRun> {
    let shown = path.display();
    let fail = |e: std::io::Error| CannotRun(format!("cannot write {shown}: {e}"));
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(real) => real,
            Err(e) => {
                let to = std::fs::read_link(path)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                return Err(CannotRun(format!(
                    "cannot write {shown}: it is a link to `{to}`, which cannot be followed ({e}); perfcard writes through a link but does not create what it names"
                )));
            }
        },
        Ok(_) => path.to_path_buf(),
        Err(e) if e.kind() == ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(fail(e)),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(CannotRun(format!(
            "cannot write {shown}: it is a folder; give the path of a file"
        ))),
        Ok(meta) if meta.is_file() => replace(&target, Some(&meta), write).map_err(fail),
        Ok(meta) => write_into_special(&target, &meta, write)
            .map_err(|why| CannotRun(format!("cannot write {shown}: {why}"))),
        Err(e) if e.kind() == ErrorKind::NotFound => replace(&target, None, write).map_err(fail),
        Err(e) => Err(fail(e)),
    }
}

/// Writes a new regular file at `target` through a temporary file renamed
/// over it; `existing` is the file being replaced.
fn replace(
    target: &Path,
    existing: Option<&Metadata>,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir: PathBuf = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".perfcard-");
    set_creation_mode(&mut builder, existing);
    let mut temp = builder.tempfile_in(&dir)?;
    if let Some(existing) = existing {
        keep_owner_and_mode(temp.as_file(), existing)?;
    }
    write(temp.as_file_mut())?;
    temp.as_file_mut().flush()?;
    temp.as_file().sync_all()?;
    temp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// The temporary file is created with the mode the file will have (the
/// umask may take bits away, never add them), so that it is never more
/// open than the file it replaces, not even while it is written.
#[cfg(unix)]
fn set_creation_mode(builder: &mut tempfile::Builder, existing: Option<&Metadata>) {
    use std::os::unix::fs::PermissionsExt;
    let mode = existing.map_or(0o666, |m| m.permissions().mode() & 0o777);
    builder.permissions(std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_creation_mode(_: &mut tempfile::Builder, _: Option<&Metadata>) {}

/// Gives the new file the old one's owner and group where the process may
/// (as root, both; otherwise the group, when the user is in it), then its
/// exact permissions (a change of owner clears set-id bits, so it comes
/// first). Both happen before anything is written.
#[cfg(unix)]
fn keep_owner_and_mode(file: &std::fs::File, existing: &Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = file.metadata()?;
    if now.uid() != existing.uid() || now.gid() != existing.gid() {
        if std::os::unix::fs::fchown(file, Some(existing.uid()), Some(existing.gid())).is_err() {
            // Not allowed to give the file away: keep at least the group.
            let _ = std::os::unix::fs::fchown(file, None, Some(existing.gid()));
        }
    }
    file.set_permissions(existing.permissions())
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &std::fs::File, existing: &Metadata) -> std::io::Result<()> {
    file.set_permissions(existing.permissions())
}

/// Writes into a file that is not a regular file, without replacing it.
fn write_into_special(
    target: &Path,
    meta: &Metadata,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_block_device() {
            return Err("it is a block device; perfcard writes a report into a file, a character device or a pipe, never onto a disk".into());
        }
        if kind.is_socket() {
            return Err("it is a socket; give the path of a file".into());
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(target)
        .map_err(|e| e.to_string())?;
    write(&mut file)
        .and_then(|()| file.flush())
        .map_err(|e| e.to_string())
}

/// Writes to stdout with `write`, then flushes. A closed pipe (`| head`)
/// ends the output quietly; any other failure (a full disk, `> /dev/full`)
/// is an error: the command exits 2 and says why.
pub fn print_with(
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CannotRun> {
    let mut stdout = std::io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => {
            Err(CannotRun(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Prints to stdout (see [`print_with`]).
pub fn print(text: &str) -> Result<(), CannotRun> {
    print_with(&mut |out| out.write_all(text.as_bytes()))
}

/// Writes to stderr. A message that cannot be written (stderr closed or
/// full) is dropped: the exit status still tells what happened, and a
/// failure to say so is never a crash.
pub fn say(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush());
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// The temporary file has the old file's mode from the moment it
    /// exists: seen from inside the write, before any byte is written.
    #[test]
    fn the_temporary_file_is_never_more_open_than_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("card.perf");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut seen = Vec::new();
        write_atomically_with(&path, &mut |out| {
            for entry in std::fs::read_dir(dir.path())? {
                let entry = entry?;
                if entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".perfcard-")
                {
                    seen.push(entry.metadata()?.permissions().mode() & 0o777);
                }
            }
            out.write_all(b"new")
        })
        .unwrap();
        assert_eq!(seen, vec![0o600]);
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
