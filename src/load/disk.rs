//! Reading files from disk, stdin or a pipe: each opened once, read to at
//! most [`MAX_FILE_SIZE`] bytes while reading, and named by the real path
//! of the file that was opened (docs/guarantees.md, "What perfcard reads").

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::load::{FileRead, FileSystem, Reading, MAX_FILE_SIZE};

/// Reads everything `reader` gives, up to [`MAX_FILE_SIZE`] bytes; more is
/// an error, found while reading (a device or a pipe has no size to look
/// at first). `size` is the size the file says it has, when it has one.
pub fn read_limited(reader: impl Read, size: Option<u64>) -> io::Result<Vec<u8>> {
    if let Some(size) = size.filter(|s| *s > MAX_FILE_SIZE) {
        return Err(too_large(Some(size)));
    }
    let mut bytes = Vec::with_capacity(size.unwrap_or(0).min(MAX_FILE_SIZE) as usize);
    reader.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(None));
    }
    Ok(bytes)
}

fn too_large(size: Option<u64>) -> io::Error {
    let what = match size {
        Some(size) => format!("the file is {size} bytes"),
        None => format!("it holds more than {MAX_FILE_SIZE} bytes"),
    };
    io::Error::other(format!(
        "{what}; perfcard reads files of at most {MAX_FILE_SIZE} bytes (256 MiB)"
    ))
}

/// The real file system.
pub struct Disk;

impl FileSystem for Disk {
    fn read(&self, path: &Path, reading: Reading) -> io::Result<FileRead> {
        let file = open(path, reading)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(io::Error::other("it is a folder, not a file"));
        }
        if reading == Reading::Include && !meta.is_file() {
            return Err(io::Error::other(
                "it is not a regular file (a pipe, a device or a socket); an include must be a file",
            ));
        }
        let resolved = real_path(&file, path)?;
        let size = meta.is_file().then_some(meta.len());
        let bytes = read_limited(&file, size)?;
        Ok(FileRead {
            path: resolved,
            bytes,
        })
    }
}

/// Opens a file for reading. An include is opened without waiting for a
/// writer, so that a FIFO is refused rather than waited on; a root file
/// named on the command line (`check <(cat card.perf)`, a named pipe) is
/// read as the shell would.
#[cfg(unix)]
fn open(path: &Path, reading: Reading) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    if reading == Reading::Include {
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(not(unix))]
fn open(path: &Path, _: Reading) -> io::Result<File> {
    File::open(path)
}

/// The real path of the file `file` (opened from `path`): asked of the open
/// file itself where the system can say, so that the path checked is the
/// file read, whatever has been renamed since. A pipe has no path: its
/// folder's real path and its name stand for it.
fn real_path(file: &File, path: &Path) -> io::Result<PathBuf> {
    if let Some(real) = path_of_open_file(file).filter(|p| p.is_absolute()) {
        return Ok(real);
    }
    match std::fs::canonicalize(path) {
        Ok(real) => Ok(real),
        Err(_) => {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => std::fs::canonicalize(d)?,
                _ => std::env::current_dir()?,
            };
            Ok(dir.join(path.file_name().unwrap_or(path.as_os_str())))
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn path_of_open_file(file: &File) -> Option<PathBuf> {
    use std::os::fd::AsRawFd;
    let link = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).ok()?;
    // A file removed since it was opened is named "... (deleted)".
    (!link.to_string_lossy().ends_with(" (deleted)")).then_some(link)
}

#[cfg(any(target_os = "macos", target_os = "ios"))]
fn path_of_open_file(file: &File) -> Option<PathBuf> {
    use std::os::fd::AsRawFd;
    use std::os::unix::ffi::OsStrExt;
    let mut buf = vec![0u8; libc::PATH_MAX as usize];
    // SAFETY: F_GETPATH writes at most PATH_MAX bytes, NUL-terminated, into
    // the buffer, which is PATH_MAX long.
    let done = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETPATH, buf.as_mut_ptr()) };
    if done == -1 {
        return None;
    }
    let len = buf.iter().position(|&b| b == 0)?;
    Some(PathBuf::from(std::ffi::OsStr::from_bytes(&buf[..len])))
}

/// Elsewhere the path is resolved by name after opening: a race between
/// the two is not excluded there (docs/guarantees.md).
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
)))]
fn path_of_open_file(_: &File) -> Option<PathBuf> {
    None
}
