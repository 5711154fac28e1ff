//! Files as they were at a git revision (`perfcard diff HEAD~1:card.perf`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use crate::load::disk::read_limited;
use crate::load::{normalise, FileRead, FileSystem, Reading};

/// Reads files from one commit with `git cat-file blob COMMIT:PATH`.
///
/// The revision is resolved once, to a commit, by `git rev-parse --verify
/// --end-of-options REV^{commit}`: a range (`HEAD~1..HEAD`), an option
/// (`--output=...`) or anything else that is not one commit is refused
/// before git is asked for a file, and every later call names the commit
/// by its hash, which cannot be read as an option.
///
/// Paths are taken relative to where perfcard runs and held relative to
/// the top of the repository, written with a leading `/` (so `..` can be
/// told from a path inside): includes are read at the same commit, and
/// confined to the root file's folder exactly as on disk.
pub struct Git {
    rev: String,
    commit: String,
    /// Where perfcard runs, relative to the top of the repository.
    prefix: PathBuf,
    cache: RefCell<HashMap<PathBuf, Result<Vec<u8>, String>>>,
}

impl Git {
    /// The files of the commit `rev` names; an error says why `rev` is not
    /// one commit.
    pub fn new(rev: &str) -> Result<Git, String> {
        let not_a_commit = |why: &str| {
            format!("`{rev}` is not a commit{why}: give one revision, such as HEAD~1, a branch, a tag or a commit hash (a range like A..B is not one)")
        };
        if rev.starts_with('-') || rev.contains("..") {
            return Err(not_a_commit(""));
        }
        let out = git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ])?;
        let commit = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !out.status.success()
            || commit.is_empty()
            || !commit.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(not_a_commit(" in this repository"));
        }
        let out = git(&["rev-parse", "--show-prefix"])?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        let prefix = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        Ok(Git {
            rev: rev.to_string(),
            commit,
            prefix,
            cache: RefCell::new(HashMap::new()),
        })
    }

    /// `path` relative to the top of the repository, with a leading `/`.
    fn in_repository(&self, path: &Path) -> io::Result<PathBuf> {
        let full = if path.has_root() {
            path.to_path_buf()
        } else {
            Path::new("/").join(&self.prefix).join(path)
        };
        let normal = normalise(&full);
        let inside = normal
            .components()
            .all(|c| matches!(c, Component::RootDir | Component::Normal(_)));
        if inside {
            Ok(normal)
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} is outside the repository", path.display()),
            ))
        }
    }

    fn show(&self, path: &Path) -> Result<Vec<u8>, String> {
        if let Some(cached) = self.cache.borrow().get(path) {
            return cached.clone();
        }
        // git writes paths with `/` whatever the system.
        let name: Vec<String> = path
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let name = name.join("/");
        let result = blob(&format!("{}:{name}", self.commit)).and_then(|bytes| {
            if bytes.is_empty() {
                Err(format!(
                    "{}:{name} is empty (or not a file) at that revision",
                    self.rev
                ))
            } else {
                Ok(bytes)
            }
        });
        self.cache
            .borrow_mut()
            .insert(path.to_path_buf(), result.clone());
        result
    }
}

impl FileSystem for Git {
    fn read(&self, path: &Path, _: Reading) -> io::Result<FileRead> {
        let path = self.in_repository(path)?;
        let bytes = self
            .show(&path)
            .map_err(|e| io::Error::new(io::ErrorKind::NotFound, e))?;
        Ok(FileRead { path, bytes })
    }
}

fn git(args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}

/// The bytes of a blob, read to at most the file size limit while git
/// writes them (git is stopped if it writes more).
fn blob(object: &str) -> Result<Vec<u8>, String> {
    let mut child = Command::new("git")
        .args(["cat-file", "blob", object])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(stderr) = stderr.as_mut() {
            let _ = stderr.take(64 * 1024).read_to_string(&mut text);
        }
        text
    });
    let read = match child.stdout.take() {
        Some(stdout) => read_limited(stdout, None).map_err(|e| e.to_string()),
        None => Err("cannot read git's output".to_string()),
    };
    if read.is_err() {
        let _ = child.kill();
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let errors = errors.join().unwrap_or_default();
    let bytes = read?;
    if !status.success() {
        return Err(errors.trim().to_string());
    }
    Ok(bytes)
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
