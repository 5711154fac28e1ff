//! The documentation is checked against the program, so that it cannot
//! drift:
//!
//! - every command shown with its output in README.md and docs/*.md (in a
//!   ```` ```console ```` block) is run and its output compared, by trycmd;
//! - every example file shown in the docs (a ```` ```perf file=NAME ````
//!   block) is the file the commands run on;
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
