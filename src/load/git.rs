//! Files as they were at a git revision (`perfcard diff HEAD~1:card.perf`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::load::{normalise, FileSystem};

/// Reads files with `git show REV:./PATH`, paths relative to where perfcard
/// runs. Includes are therefore read at the same revision as the root.
pub struct Git {
    rev: String,
    cache: RefCell<HashMap<PathBuf, Result<Vec<u8>, String>>>,
}

impl Git {
    pub fn new(rev: &str) -> Git {
        Git {
            rev: rev.to_string(),
            cache: RefCell::new(HashMap::new()),
        }
    }

    fn show(&self, path: &Path) -> Result<Vec<u8>, String> {
        let path = normalise(path);
        if let Some(cached) = self.cache.borrow().get(&path) {
            return cached.clone();
        }
        let spec = format!("{}:./{}", self.rev, path.to_string_lossy());
        let result = match Command::new("git").args(["show", &spec]).output() {
            Ok(out) if out.status.success() => Ok(out.stdout),
            Ok(out) => Err(String::from_utf8_lossy(&out.stderr).trim().to_string()),
            Err(e) => Err(format!("cannot run git: {e}")),
        };
        self.cache.borrow_mut().insert(path, result.clone());
        result
    }
}

impl FileSystem for Git {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.show(path).map_err(io::Error::other)
    }

    fn resolve(&self, path: &Path) -> io::Result<PathBuf> {
        self.show(path)
            .map(|_| normalise(path))
            .map_err(|e| io::Error::new(io::ErrorKind::NotFound, e))
    }
}

/// Splits `REV:PATH` (when `spec` is not itself an existing file).
pub fn split_revision(spec: &str) -> Option<(&str, &str)> {
    if Path::new(spec).exists() {
        return None;
    }
    let (rev, path) = spec.split_once(':')?;
    (!rev.is_empty() && !path.is_empty()).then_some((rev, path))
}

/// A path given with a revision, made relative to the current directory
/// when it was absolute (git reads paths inside the repository).
pub fn relative_path(path: &str) -> Result<PathBuf, String> {
    let p = Path::new(path);
    if !p.is_absolute() {
        return Ok(normalise(p));
    }
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    p.strip_prefix(&cwd)
        .map(Path::to_path_buf)
        .map_err(|_| format!("{path} is outside the current directory; give it relative to here"))
}
