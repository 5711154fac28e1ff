//! Reads a root file and every file it includes, once each.

pub mod disk;
pub mod git;

use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Document, Include, Item};
use crate::syntax::parser::{self, Parsed};
use crate::syntax::source::{SourceFile, SourceMap};
use crate::syntax::span::{FileId, Span};

/// How many files one report may be made of.
pub const MAX_FILES: usize = 1_000;
/// How deeply includes may nest.
pub const MAX_INCLUDE_DEPTH: usize = 32;
/// The largest file perfcard reads, in bytes.
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// Where files come from: the file system, or a git revision (for `diff`).
pub trait FileSystem {
    /// Reads a file: opened once, read to at most [`MAX_FILE_SIZE`] bytes
    /// while reading, and named by its resolved path (links and `..`
    /// resolved) — the path of the very file that was read, so that
    /// confinement is checked on what is used.
    fn read(&self, path: &Path, reading: Reading) -> io::Result<FileRead>;
}

/// What a file is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A file named on the command line: it may be a pipe (`<(...)`).
    Root,
    /// A file an `include` names: it must be a regular file.
    Include,
}

/// A file read, with the resolved path of what was read.
#[derive(Debug)]
pub struct FileRead {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

pub use disk::Disk;

/// Files held in memory (tests, and files read from a git revision).
/// Paths are used as given; `resolve` normalises `.` and `..` lexically.
#[derive(Debug, Default)]
pub struct Memory {
    pub files: std::collections::HashMap<PathBuf, Vec<u8>>,
}

impl Memory {
    pub fn with(mut self, path: impl Into<PathBuf>, text: impl Into<Vec<u8>>) -> Memory {
        self.files.insert(normalise(&path.into()), text.into());
        self
    }
}

impl FileSystem for Memory {
    fn read(&self, path: &Path, _: Reading) -> io::Result<FileRead> {
        let normal = normalise(path);
        match self.files.get(&normal) {
            Some(bytes) => Ok(FileRead {
                path: normal,
                bytes: bytes.clone(),
            }),
            None => Err(io::Error::from(io::ErrorKind::NotFound)),
        }
    }
}

/// A path with `.` removed and `..` applied, without touching the disk.
pub fn normalise(path: &Path) -> PathBuf {
    let mut parts: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.iter().collect()
}

/// One file of the report, parsed.
#[derive(Debug)]
pub struct LoadedFile {
    pub id: FileId,
    pub parsed: Parsed,
    /// For each `include` in this file (by the start of its span), the file
    /// it brought in, when that could be read.
    pub includes: Vec<(usize, FileId)>,
}

/// A report's files: the root first, then the others in include order.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    pub files: Vec<LoadedFile>,
    /// Problems reading and including files (parse problems are in each
    /// file's [`Parsed::diagnostics`]).
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn file(&self, id: FileId) -> Option<&LoadedFile> {
        self.files.iter().find(|f| f.id == id)
    }

    pub fn root(&self) -> Option<&LoadedFile> {
        self.files.first()
    }

    /// The file an `include` brought in.
    pub fn included(&self, from: FileId, include: &Include) -> Option<FileId> {
        let file = self.file(from)?;
        file.includes
            .iter()
            .find(|(start, _)| *start == include.span.start())
            .map(|(_, id)| *id)
    }

    /// Every diagnostic of every file, loading and parsing alike.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .chain(self.files.iter().flat_map(|f| f.parsed.diagnostics.iter()))
    }

    pub fn has_syntax_errors(&self) -> bool {
        self.files.iter().any(|f| f.parsed.syntax_errors)
    }
}

/// Why the root file itself could not be read: the command cannot run.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {name}: {source}")]
pub struct RootError {
    pub name: String,
    #[source]
    pub source: io::Error,
}

/// Reads `root` (shown to the user as `name`) and everything it includes.
pub fn load(fs: &dyn FileSystem, root: &Path, name: &str) -> Result<Loaded, RootError> {
    let root_error = |source| RootError {
        name: name.to_string(),
        source,
    };
    let FileRead {
        path: resolved,
        bytes,
    } = fs.read(root, Reading::Root).map_err(root_error)?;
    let root_dir = resolved.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut loader = Loader {
        fs,
        root_dir,
        loaded: Loaded::default(),
        stack: Vec::new(),
        included_at: Vec::new(),
    };
    loader.add(name.to_string(), resolved, bytes);
    Ok(loader.loaded)
}

struct Loader<'a> {
    fs: &'a dyn FileSystem,
    root_dir: PathBuf,
    loaded: Loaded,
    /// The chain of files being included, to find cycles.
    stack: Vec<PathBuf>,
    /// Where each file was included first.
    included_at: Vec<(PathBuf, Span)>,
}

impl Loader<'_> {
    /// Parses one file, then loads its includes (depth first, in order).
    fn add(&mut self, name: String, path: PathBuf, bytes: Vec<u8>) -> FileId {
        let (text, bad_utf8) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(error) => {
                let at = error.utf8_error().valid_up_to();
                let byte = error.as_bytes().get(at).copied().unwrap_or(0);
                (
                    String::from_utf8_lossy(error.as_bytes()).into_owned(),
                    Some((at, byte)),
                )
            }
        };
        let text: Arc<str> = text.into();
        let id = self
            .loaded
            .sources
            .add(SourceFile::new(name, path.clone(), text.clone()));
        let parsed = match bad_utf8 {
            Some((at, byte)) => {
                // The lossy text keeps the valid prefix byte for byte, so the
                // offset points at the replacement character on its line.
                let span = Span::new(id, at, at + char_len(&text, at));
                Parsed {
                    diagnostics: vec![Diagnostic::new(Code::Unreadable, span, format!("this file is not valid UTF-8 text: byte 0x{byte:02X} cannot start a character here"))
                        .label("an invalid byte here")
                        .help("the file was probably saved in another encoding, such as Windows-1252 (where `£` is the byte 0xA3); save it as UTF-8: in Excel choose \"CSV UTF-8\", in most editors Save with Encoding → UTF-8")],
                    syntax_errors: true,
                    ..Parsed::default()
                }
            }
            None => parser::parse(id, &text),
        };
        let includes = collect_includes(&parsed.document);
        self.loaded.files.push(LoadedFile {
            id,
            parsed,
            includes: Vec::new(),
        });
        self.stack.push(path.clone());
        let mut resolved = Vec::new();
        for include in includes {
            if let Some(child) = self.include(id, &path, &include) {
                resolved.push((include.span.start(), child));
            }
        }
        self.stack.pop();
        if let Some(file) = self.loaded.files.iter_mut().find(|f| f.id == id) {
            file.includes = resolved;
        }
        id
    }

    fn include(&mut self, from: FileId, from_path: &Path, include: &Include) -> Option<FileId> {
        let written = Path::new(&include.path.value);
        let span = include.path.span;
        let escape = |why: &str| {
            Diagnostic::new(Code::IncludeEscape, span, format!("this include {why}"))
                .label("outside the report's directory")
                .help("a report's files must all be in the directory of the root file or below it; move the file there and include it by a relative path")
        };
        if written.is_absolute() || written.has_root() {
            self.error(escape("is an absolute path"));
            return None;
        }
        let dir = from_path.parent().unwrap_or(Path::new(""));
        let target = dir.join(written);
        if !lexically_inside(&self.root_dir, &target) {
            self.error(escape("leaves the report's directory with `..`"));
            return None;
        }
        // The file is opened and read first, and its path is the path of
        // what was opened: the checks below are on the file that is used.
        let FileRead {
            path: resolved,
            bytes,
        } = match self.fs.read(&target, Reading::Include) {
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                self.error(
                    Diagnostic::new(
                        Code::IncludeMissing,
                        span,
                        format!("cannot find `{}`", include.path.value),
                    )
                    .label("no such file")
                    .help(format!(
                        "the path is relative to the file that includes it, so this looks for {}",
                        display_join(&self.loaded.sources.get(from).name, &include.path.value)
                    )),
                );
                return None;
            }
            Err(error) => {
                self.error(
                    Diagnostic::new(
                        Code::IncludeMissing,
                        span,
                        format!("cannot read `{}`: {error}", include.path.value),
                    )
                    .label("unreadable"),
                );
                return None;
            }
        };
        if !resolved.starts_with(&self.root_dir) {
            self.error(escape(
                "leads outside the report's directory (through a link)",
            ));
            return None;
        }
        if let Some(start) = self.stack.iter().position(|p| *p == resolved) {
            let name = |path: &PathBuf| {
                self.loaded
                    .sources
                    .files()
                    .find(|(_, f)| f.path == *path)
                    .map_or_else(|| path.display().to_string(), |(_, f)| f.name.clone())
            };
            let mut chain: Vec<String> = self.stack[start..].iter().map(name).collect();
            chain.push(name(&resolved));
            self.error(
                Diagnostic::new(Code::IncludeCycle, span, format!("include cycle: {}", chain.join(" → ")))
                    .label("this include closes the circle")
                    .help("a file cannot include a file that (directly or through others) includes it; remove one of the includes"),
            );
            return None;
        }
        let first = self
            .included_at
            .iter()
            .find(|(p, _)| *p == resolved)
            .map(|(_, s)| *s);
        let already = self
            .loaded
            .sources
            .files()
            .find(|(_, f)| f.path == resolved)
            .map(|(_, f)| f.name.clone());
        if let Some(first_name) = already {
            let mut d = Diagnostic::new(
                Code::DuplicateInclude,
                span,
                format!("`{first_name}` is already part of this report"),
            )
            .label("included a second time")
            .help("include each file once; its measures would otherwise be defined twice");
            if let Some(first) = first {
                d = d.related(first, "first included here");
            }
            self.error(d);
            return None;
        }
        if self.loaded.files.len() >= MAX_FILES {
            self.error(
                Diagnostic::new(
                    Code::Limit,
                    span,
                    format!("a report may be made of at most {MAX_FILES} files"),
                )
                .label("one file too many")
                .help("merge some of the smaller files"),
            );
            return None;
        }
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            self.error(
                Diagnostic::new(Code::Limit, span, format!("includes nest more than {MAX_INCLUDE_DEPTH} deep"))
                    .label("one level too deep")
                    .help("include the files from the root file (or one level down) instead of in a chain"),
            );
            return None;
        }
        self.included_at.push((resolved.clone(), span));
        let from_name = &self.loaded.sources.get(from).name;
        let name = display_join(from_name, &include.path.value);
        Some(self.add(name, resolved, bytes))
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.loaded.diagnostics.push(diagnostic);
    }
}

/// Every include of a document, in order, groups included.
fn collect_includes(document: &Document) -> Vec<Include> {
    fn walk(items: &[Item], out: &mut Vec<Include>) {
        for item in items {
            match item {
                Item::Include(include) => out.push(include.clone()),
                Item::Group(group) => walk(&group.items, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&document.items, &mut out);
    out
}

/// Whether `path`, with `.` and `..` taken literally, stays inside `root`.
fn lexically_inside(root: &Path, path: &Path) -> bool {
    let mut parts: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return false;
                }
            }
            other => parts.push(other),
        }
    }
    let normal: PathBuf = parts.iter().collect();
    normal.starts_with(root)
}

/// The name to show for a file included as `relative` from `from_name`.
fn display_join(from_name: &str, relative: &str) -> String {
    let dir = Path::new(from_name).parent().unwrap_or(Path::new(""));
    let mut parts: Vec<String> = dir
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    for component in Path::new(relative).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

fn char_len(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|s| s.chars().next())
        .map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names() {
        assert_eq!(
            display_join("examples/p/root.perf", "a.perf"),
            "examples/p/a.perf"
        );
        assert_eq!(display_join("root.perf", "sub/a.perf"), "sub/a.perf");
        assert_eq!(display_join("x/root.perf", "sub/../a.perf"), "x/a.perf");
    }

    #[test]
    fn confinement() {
        let root = Path::new("/r");
        assert!(lexically_inside(root, Path::new("/r/a/../b.perf")));
        assert!(!lexically_inside(root, Path::new("/r/../x.perf")));
        assert!(!lexically_inside(root, Path::new("/r/a/../../x.perf")));
    }
}
