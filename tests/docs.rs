//! The documentation is checked against the program, so that it cannot
//! drift:
//!
//! - every command shown with its output in README.md and docs/*.md (in a
//!   ```` ```console ```` block) is run and its output compared, by trycmd;
//! - every example file shown in the docs (a ```` ```perf file=NAME ````
//!   block) is the file the commands run on, and every "after `fmt`" block
//!   (```` ```perf fmt-of=NAME ````) is what `perfcard fmt` makes of it;
//! - the man pages in docs/man/ are what `clap_mangen` makes of the
//!   command line today.
//!
//! After a deliberate change of output, `TRYCMD=overwrite cargo test --test
//! docs` rewrites all three from what perfcard prints now; review the
//! changes with `git diff` before committing them.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn overwrite() -> bool {
    std::env::var("TRYCMD").is_ok_and(|v| v == "overwrite")
}

/// The man pages of `perfcard` and of each of its commands.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    let command = <perfcard::cli::Cli as clap::CommandFactory>::command();
    let mut pages = Vec::new();
    let mut render = |name: String, command: clap::Command| {
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .title(name.to_uppercase())
            .render(&mut page)
            .expect("rendering to memory cannot fail");
        pages.push((format!("{name}.1"), page));
    };
    for sub in command.get_subcommands() {
        let name = format!("perfcard-{}", sub.get_name());
        // clap takes a command's name as a `&'static str`; a test can
        // afford to leak a few short strings.
        let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
        let bin = format!("perfcard {}", sub.get_name());
        render(name, sub.clone().name(leaked).bin_name(bin));
    }
    render("perfcard".into(), command);
    pages
}

#[test]
fn man_pages_are_current() {
    let dir = root().join("docs/man");
    let pages = man_pages();
    let mut stale = Vec::new();
    for (name, page) in &pages {
        let path = dir.join(name);
        if std::fs::read(&path).ok().as_deref() != Some(page.as_slice()) {
            if overwrite() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, page).unwrap();
            } else {
                stale.push(name.clone());
            }
        }
    }
    // A page for a command that no longer exists.
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".1") && !pages.iter().any(|(n, _)| *n == name) {
            if overwrite() {
                std::fs::remove_file(entry.path()).unwrap();
            } else {
                stale.push(format!("{name} (no such command)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/man/ is out of date: {}\nrun `TRYCMD=overwrite cargo test --test docs` and review the changes",
        stale.join(", ")
    );
}

/// The Markdown files whose commands are run: README.md and docs/*.md.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The folder a document's commands run in: `docs/NAME.in/` when it
/// exists (trycmd's rule), otherwise the repository.
fn folder_of(document: &Path) -> PathBuf {
    let folder = document.with_extension("in");
    if folder.is_dir() {
        folder
    } else {
        root()
    }
}

/// Every ```` ```perf file=NAME ```` block of `text`: the name and the
/// text of the block.
fn example_files(text: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line.strip_prefix("```perf ").and_then(|info| {
            info.split_whitespace()
                .find_map(|w| w.strip_prefix("file="))
        }) else {
            continue;
        };
        let mut body = String::new();
        for line in lines.by_ref() {
            if line.starts_with("```") {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        files.push((name.to_string(), body));
    }
    files
}

#[test]
fn example_files_are_what_the_docs_show() {
    let mut stale = Vec::new();
    for document in documents() {
        let text = std::fs::read_to_string(&document).unwrap();
        let folder = folder_of(&document);
        for (name, body) in example_files(&text) {
            let path = folder.join(&name);
            if std::fs::read_to_string(&path).ok().as_deref() == Some(body.as_str()) {
                continue;
            }
            if overwrite() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, body).unwrap();
            } else {
                stale.push(format!(
                    "{} (shown in {})",
                    path.display(),
                    document.display()
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "these files differ from the example the docs show:\n{}\n\
         run `TRYCMD=overwrite cargo test --test docs` to write the docs' version",
        stale.join("\n")
    );
}

#[test]
fn documented_commands_print_what_the_docs_show() {
    // Write the example files first, so that the commands run on what the
    // docs show (under TRYCMD=overwrite the other test may not have run yet).
    if overwrite() {
        example_files_are_what_the_docs_show();
    }
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("perfcard", PathBuf::from(env!("CARGO_BIN_EXE_perfcard")))
        // What a reader's terminal would show, whatever the machine the
        // tests run on: 100 columns, no colour.
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1");
    for document in documents() {
        cases.case(document);
    }
}

/// Every ```` ```perf fmt-of=NAME ```` block of `text`: NAME, and the byte
/// range of the block's body.
fn formatted_blocks(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut blocks = Vec::new();
    let mut offset = 0;
    let mut open: Option<(String, usize)> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        match &open {
            None => {
                if let Some(name) = line.trim_end().strip_prefix("```perf ").and_then(|info| {
                    info.split_whitespace()
                        .find_map(|w| w.strip_prefix("fmt-of="))
                }) {
                    open = Some((name.to_string(), offset));
                }
            }
            Some((name, body)) => {
                if line.starts_with("```") {
                    blocks.push((name.clone(), *body..start));
                    open = None;
                }
            }
        }
    }
    blocks
}

/// What `perfcard fmt -` prints for `text`.
fn formatted(text: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("perfcard runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "perfcard fmt - failed");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn formatted_examples_are_what_fmt_prints() {
    // A block marked `perf fmt-of=NAME` shows the file NAME (itself shown
    // in a `perf file=NAME` block) as `perfcard fmt` lays it out.
    let mut stale = Vec::new();
    for document in documents() {
        let text = std::fs::read_to_string(&document).unwrap();
        let folder = folder_of(&document);
        let mut updated = text.clone();
        for (name, body) in formatted_blocks(&text).into_iter().rev() {
            let source = std::fs::read_to_string(folder.join(&name))
                .unwrap_or_else(|e| panic!("{name} (in {}): {e}", document.display()));
            let expected = formatted(&source);
            if text[body.clone()] != expected {
                stale.push(format!("{} (fmt-of={name})", document.display()));
                updated.replace_range(body, &expected);
            }
        }
        if overwrite() && updated != text {
            std::fs::write(&document, updated).unwrap();
        }
    }
    assert!(
        overwrite() || stale.is_empty(),
        "these blocks differ from what `perfcard fmt` prints:\n{}\n\
         run `TRYCMD=overwrite cargo test --test docs` and review the changes",
        stale.join("\n")
    );
}
