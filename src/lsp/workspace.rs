//! The server's state: open documents (their text overrides the disk), the
//! workspace's include graph, and one checked analysis per root file.
//!
//! A root is a file no other file includes. An open file is checked through
//! the roots that include it (directly or through others), or on its own
//! when none does; a change to any file re-checks every root whose files
//! include it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use crate::period::Period;
use crate::Checked;
use crate::FileId;
use crate::{Disk, FileRead, FileSystem, Loaded, Reading};

/// How many `.perf` files the start-up scan of the workspace reads at most
/// (to find which file includes which).
const MAX_SCANNED: usize = 5_000;

/// An open document: the editor's text, which wins over the disk's.
pub struct OpenDocument {
    pub uri: url::Url,
    pub text: String,
    pub version: i32,
}

/// One root file checked with everything it includes.
pub struct Analysis {
    pub loaded: Loaded,
    pub checked: Checked,
    /// The period hovers report: the header's, else the latest with an
    /// actual (as `perfcard report` chooses it).
    pub period: Option<Period>,
}

impl Analysis {
    /// The id of a file of this analysis, by its resolved path.
    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        self.loaded
            .sources
            .files()
            .find(|(_, f)| f.path == path)
            .map(|(id, _)| id)
    }

    /// Every file this analysis read, by resolved path.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.loaded.sources.files().map(|(_, f)| f.path.as_path())
    }
}

#[derive(Default)]
pub struct Workspace {
    /// The workspace folders (absolute), for the include-graph scan and for
    /// the names diagnostics show.
    pub folders: Vec<PathBuf>,
    pub documents: HashMap<PathBuf, OpenDocument>,
    /// For each file, the files it includes (by resolved path).
    includes: HashMap<PathBuf, Vec<PathBuf>>,
    pub analyses: BTreeMap<PathBuf, Analysis>,
    /// Roots whose analysis is out of date.
    dirty: BTreeSet<PathBuf>,
    /// Files whose diagnostics may have changed since they were last
    /// published (every file of each old and new analysis).
    pub changed: BTreeSet<PathBuf>,
}

/// The key of a file: its canonical path, or the path made absolute-lexically
/// normal when the file is not on disk (a new, unsaved file).
pub fn key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| crate::load::normalise(path))
}

/// The disk, with the open documents' text in place of their files'.
pub struct Overlay<'a> {
    pub documents: &'a HashMap<PathBuf, OpenDocument>,
}

impl FileSystem for Overlay<'_> {
    fn read(&self, path: &Path, reading: Reading) -> io::Result<FileRead> {
        let key = key(path);
        match self.documents.get(&key) {
            Some(document) => Ok(FileRead {
                path: key,
                bytes: document.text.clone().into_bytes(),
            }),
            None => Disk.read(path, reading),
        }
    }
}

impl Workspace {
    /// Reads every `.perf` file under the workspace folders to learn the
    /// include graph (so that an included file opened alone is checked
    /// through its roots).
    pub fn scan(&mut self) {
        let mut files = Vec::new();
        for folder in self.folders.clone() {
            collect_perf_files(&folder, &mut files, 0);
        }
        files.truncate(MAX_SCANNED);
        for path in files {
            if let Ok(text) = std::fs::read_to_string(&path) {
                let path = key(&path);
                self.learn_includes(&path, &text);
            }
        }
    }

    /// Records what `path` includes, from its text. Only the lines that
    /// start with `include "…"` are read (not the whole grammar): the
    /// start-up scan must be quick on a large workspace, and each analysis
    /// corrects the graph with what the loader really followed.
    pub fn learn_includes(&mut self, path: &Path, text: &str) {
        let dir = path.parent().unwrap_or(Path::new(""));
        let targets = text
            .lines()
            .filter_map(include_on_line)
            .map(|written| key(&dir.join(written)))
            .collect();
        self.includes.insert(path.to_path_buf(), targets);
    }

    /// The roots through which `path` is checked: the files that include it
    /// (through any chain) and are themselves included by none; `path`
    /// itself when no file includes it.
    pub fn roots_of(&self, path: &Path) -> Vec<PathBuf> {
        let mut parents: HashMap<&Path, Vec<&Path>> = HashMap::new();
        for (from, targets) in &self.includes {
            for target in targets {
                parents.entry(target.as_path()).or_default().push(from);
            }
        }
        let mut seen = BTreeSet::new();
        let mut roots = BTreeSet::new();
        let mut stack = vec![path];
        while let Some(current) = stack.pop() {
            if !seen.insert(current) {
                continue;
            }
            match parents.get(current) {
                Some(up) if !up.is_empty() => stack.extend(up.iter().copied()),
                _ => {
                    roots.insert(current.to_path_buf());
                }
            }
        }
        if roots.is_empty() {
            // Only circles above: check the file on its own.
            roots.insert(path.to_path_buf());
        }
        roots.into_iter().collect()
    }

    /// Marks the roots of `path` (and any analysis that read it) out of date.
    pub fn touch(&mut self, path: &Path) {
        for root in self.roots_of(path) {
            self.dirty.insert(root);
        }
        for (root, analysis) in &self.analyses {
            if analysis.paths().any(|p| p == path) {
                self.dirty.insert(root.clone());
            }
        }
    }

    /// Forgets a file that is gone (an unsaved document closed).
    pub fn forget(&mut self, path: &Path) {
        self.includes.remove(path);
        self.changed.insert(path.to_path_buf());
    }

    /// The roots that some open document is checked through.
    pub fn wanted_roots(&self) -> BTreeSet<PathBuf> {
        self.documents
            .keys()
            .flat_map(|path| self.roots_of(path))
            .collect()
    }

    /// Re-checks every out-of-date root that is still wanted and drops the
    /// analyses no open document needs, noting in [`Workspace::changed`]
    /// the files whose diagnostics may have changed.
    pub fn refresh(&mut self) {
        let wanted = self.wanted_roots();
        let stale: Vec<PathBuf> = self
            .analyses
            .keys()
            .filter(|root| !wanted.contains(*root))
            .cloned()
            .collect();
        for root in stale {
            if let Some(old) = self.analyses.remove(&root) {
                self.changed.extend(old.paths().map(Path::to_path_buf));
            }
        }
        let dirty: Vec<PathBuf> = std::mem::take(&mut self.dirty)
            .into_iter()
            .chain(
                wanted
                    .iter()
                    .filter(|r| !self.analyses.contains_key(*r))
                    .cloned(),
            )
            .filter(|root| wanted.contains(root))
            .collect();
        for root in dirty {
            if let Some(old) = self.analyses.remove(&root) {
                self.changed.extend(old.paths().map(Path::to_path_buf));
            }
            if let Some(analysis) = self.analyse(&root) {
                self.changed.extend(analysis.paths().map(Path::to_path_buf));
                self.analyses.insert(root, analysis);
            }
        }
    }

    /// Loads and checks one root with the open documents' text.
    fn analyse(&mut self, root: &Path) -> Option<Analysis> {
        let name = self.display_name(root);
        let loaded = crate::load(
            &Overlay {
                documents: &self.documents,
            },
            root,
            &name,
        )
        .ok()?;
        // What each file includes, as the loader found it.
        for file in &loaded.files {
            let from = loaded.sources.get(file.id).path.clone();
            let targets = file
                .includes
                .iter()
                .map(|(_, id)| loaded.sources.get(*id).path.clone())
                .collect();
            self.includes.insert(from, targets);
        }
        // The same checks as `perfcard check`, future periods included
        // (today from the clock, or PERFCARD_TODAY).
        let checked = crate::check::check_at(&loaded, crate::cli::today().ok());
        let model = &checked.model;
        let period = model.default_period();
        Some(Analysis {
            loaded,
            checked,
            period,
        })
    }

    /// The analysis that holds `path` (call [`Workspace::refresh`] first).
    pub fn analysis_of(&self, path: &Path) -> Option<(&Analysis, FileId)> {
        let roots = self.roots_of(path);
        let root = roots
            .iter()
            .find(|r| {
                self.analyses
                    .get(*r)
                    .is_some_and(|a| a.file_id(path).is_some())
            })
            .cloned()?;
        let analysis = self.analyses.get(&root)?;
        let id = analysis.file_id(path)?;
        Some((analysis, id))
    }

    /// How a file is named in messages: relative to the workspace folder
    /// that holds it, else in full.
    pub fn display_name(&self, path: &Path) -> String {
        for folder in &self.folders {
            if let Ok(relative) = path.strip_prefix(folder) {
                return relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
            }
        }
        path.to_string_lossy().into_owned()
    }

    /// The text of a file: the open document's, else the disk's.
    pub fn text_of(&self, path: &Path) -> Option<String> {
        match self.documents.get(path) {
            Some(document) => Some(document.text.clone()),
            None => std::fs::read_to_string(path).ok(),
        }
    }
}

/// The path of a line `include "path"` (blanks before it allowed).
fn include_on_line(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("include")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let quoted = rest.trim_start().strip_prefix('"')?;
    let end = quoted.find('"')?;
    Some(&quoted[..end])
}

/// Every `.perf` file under `dir`, skipping hidden folders and build output.
pub fn collect_perf_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 16 || out.len() >= MAX_SCANNED {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                collect_perf_files(&entry.path(), out, depth + 1);
            }
        } else if name.ends_with(".perf") {
            out.push(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_lines() {
        assert_eq!(
            include_on_line("  include \"a/b.perf\"  // c"),
            Some("a/b.perf")
        );
        assert_eq!(include_on_line("includes \"x\""), None);
        assert_eq!(include_on_line("// include \"x\""), None);
    }

    #[test]
    fn roots_are_the_files_no_file_includes() {
        let mut w = Workspace::default();
        let dir = Path::new("/w");
        w.learn_includes(&dir.join("root.perf"), "include \"mid.perf\"\n");
        w.learn_includes(
            &dir.join("mid.perf"),
            "group \"G\" {\n  include \"leaf.perf\"\n}\n",
        );
        w.learn_includes(&dir.join("other.perf"), "include \"leaf.perf\"\n");
        assert_eq!(
            w.roots_of(&dir.join("leaf.perf")),
            [dir.join("other.perf"), dir.join("root.perf")]
        );
        assert_eq!(
            w.roots_of(&dir.join("alone.perf")),
            [dir.join("alone.perf")]
        );
        // Files in a circle, with no root above: checked on their own.
        w.learn_includes(&dir.join("x.perf"), "include \"y.perf\"\n");
        w.learn_includes(&dir.join("y.perf"), "include \"x.perf\"\n");
        assert_eq!(w.roots_of(&dir.join("x.perf")), [dir.join("x.perf")]);
    }
}
