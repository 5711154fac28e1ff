//! The reproductions of issue 14 ("nineteen defects found by attacking the
//! binary"), each as close to the issue's shell commands as a test allows,
//! run against the real binary. docs/guarantees.md names each test beside
//! the promise it keeps. Sizes the issue gave that are too slow for every
//! `cargo test` (256 MiB inputs, thousands of races) are tested smaller here
//! and at full size by `scripts/attack.sh`.
//!
//! `PERFCARD_TEST_BIN` runs these tests against another build of perfcard
//! (say, an older one, to see that they fail there).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    std::env::var_os("PERFCARD_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_perfcard")))
}

/// A fresh private folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "perfcard-reliability-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What one run did.
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let out = self.out();
        let cut = |s: &str| s.chars().take(2000).collect::<String>();
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            cut(&out),
            cut(&self.stderr)
        )
    }
}

/// How long a run may take before the test calls it a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Runs perfcard in `dir` with `args`, stdin from `stdin`, killed after
/// [`TIMEOUT`].
fn run_in(dir: &Path, args: &[&str], stdin: Stdio) -> Run {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait(&mut child, TIMEOUT);
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, args, Stdio::null())
}

/// Waits for `child`, reading its output, killing it after `limit`.
fn wait(child: &mut std::process::Child, limit: Duration) -> Output {
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let status = child.wait().unwrap();
            panic!("perfcard did not finish in {limit:?} ({status})");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// A small sound scorecard: one measure, green at 2018/19 Q2.
const CARD: &str = r#"report "Riverside" {
  period 2018/19 Q2
}

measure LEAF "Leaf" {
  unit percent
  polarity higher
  target 2018/19 50%
  actual 2018/19 Q2 60%
}
"#;

/// `n` composites, each the worst of the next, the last of `LEAF`.
fn chain(n: usize) -> String {
    let mut text = CARD.to_string();
    for i in 0..n {
        let next = if i + 1 < n {
            format!("C{}", i + 1)
        } else {
            "LEAF".to_string()
        };
        text.push_str(&format!(
            "measure C{i} \"c\" {{\n  composite worst of {next}\n}}\n"
        ));
    }
    text
}

/// `n` composites, each the worst of `LEAF`.
fn star(n: usize) -> String {
    let mut text = CARD.to_string();
    for i in 0..n {
        text.push_str(&format!(
            "measure C{i} \"c\" {{\n  composite worst of LEAF\n}}\n"
        ));
    }
    text
}

// 1. A chain of composites as long as the file: no stack overflow in any
//    command.
#[test]
fn d01_a_long_chain_of_composites_does_not_overflow_the_stack() {
    let dir = folder("d01");
    std::fs::write(dir.join("chain.perf"), chain(8_000)).unwrap();
    for args in [
        &["check", "chain.perf"][..],
        &["report", "chain.perf"],
        &["report", "chain.perf", "--format", "json"],
        &["report", "chain.perf", "--format", "markdown"],
        &["report", "chain.perf", "--format", "csv"],
        &["report", "chain.perf", "--format", "html"],
        &["explain", "chain.perf", "C0"],
        &["diff", "chain.perf", "chain.perf"],
    ] {
        let r = run(&dir, args);
        assert_eq!(r.code, Some(0), "{args:?}: {r:?}");
    }
    let r = run(&dir, &["explain", "chain.perf", "C0"]);
    assert!(r.out().contains("C1: GREEN"), "{r:?}");
}

// 1. The checker's own cycle search is iterative too: a chain long enough
//    to overflow a recursive search, closed into a circle, is one
//    diagnostic.
#[test]
fn d01_a_long_circle_of_composites_is_one_diagnostic() {
    let dir = folder("d01-cycle");
    let text = chain(40_000).replacen("composite worst of LEAF", "composite worst of C0", 1);
    std::fs::write(dir.join("circle.perf"), text).unwrap();
    let r = run(&dir, &["check", "circle.perf"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(
        r.stderr
            .contains("composites depend on each other in a circle: C0 → C1 → C2"),
        "{r:?}"
    );
    assert_eq!(r.stderr.matches("composite-cycle").count(), 1, "{r:?}");
}

/// The fastest of `runs` runs of `check` on `file`, in seconds.
fn check_time(dir: &Path, file: &str, runs: usize) -> f64 {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let r = run(dir, &["check", file]);
            assert_eq!(r.code, Some(0), "{r:?}");
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

// 9. Checking composites that all point at one leaf takes time in
//    proportion to their number: sixteen times the composites, about
//    sixteen times the time (a square would be 256; the quadratic check
//    took 18 times as long for eight times the composites in a debug build,
//    where the rest of checking hides much of the square). The bound is
//    twice the linear ratio, so that a busy shared machine cannot fail it
//    by noise. The issue's 200,000 composites: scripts/attack.sh.
#[test]
fn d09_checking_composites_is_linear() {
    let dir = folder("d09");
    std::fs::write(dir.join("small.perf"), star(5_000)).unwrap();
    std::fs::write(dir.join("large.perf"), star(80_000)).unwrap();
    let small = check_time(&dir, "small.perf", 3);
    let large = check_time(&dir, "large.perf", 2);
    assert!(
        large < small * 32.0,
        "5,000 composites took {small:.2}s, 80,000 took {large:.2}s"
    );
}

/// A private folder holding `card.perf` ([`CARD`]).
fn with_card(name: &str) -> PathBuf {
    let dir = folder(name);
    std::fs::write(dir.join("card.perf"), CARD).unwrap();
    dir
}

/// Opens a FIFO for reading without waiting for a writer.
#[cfg(unix)]
fn open_fifo_reader(path: &Path) -> std::fs::File {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .unwrap()
}

/// Everything in a FIFO whose writer has gone.
#[cfg(unix)]
fn drain(mut reader: std::fs::File) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) => panic!("{e}"),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

// 2. `report -o` onto a FIFO writes into it; the FIFO stays a FIFO.
#[cfg(unix)]
#[test]
fn d02_report_output_onto_a_fifo_writes_into_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = with_card("d02-fifo");
    let fifo = dir.join("out.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = open_fifo_reader(&fifo);
    let r = run(&dir, &["report", "card.perf", "-o", "out.fifo"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "out.fifo was replaced: {kind:?}");
    assert!(drain(reader).contains("Leaf"));
}

// 2. `report -o` onto a character device (a private copy of /dev/null,
//    made with mknod where the tests may) writes into it: the device stays
//    a device.
#[cfg(unix)]
#[test]
fn d02_report_output_onto_a_device_keeps_the_device() {
    use std::os::unix::fs::FileTypeExt;
    let dir = with_card("d02-dev");
    let null = dir.join("null");
    let made = Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    // Without the right to make devices, /dev/null itself is the device
    // (it is written into, never renamed over: the run needs no rights).
    let target = if made.success() {
        null.clone()
    } else {
        PathBuf::from("/dev/null")
    };
    let r = run(
        &dir,
        &["report", "card.perf", "-o", target.to_str().unwrap()],
    );
    assert_eq!(r.code, Some(0), "{r:?}");
    let kind = std::fs::symlink_metadata(&target).unwrap().file_type();
    assert!(
        kind.is_char_device(),
        "{} was replaced: {kind:?}",
        target.display()
    );
    let r = run(&dir, &["fmt", "card.perf"]);
    assert_eq!(r.code, Some(0), "{r:?}");
}

/// Runs perfcard with stdout onto `/dev/full`.
#[cfg(target_os = "linux")]
fn onto_full(dir: &Path, args: &[&str], stdin: Stdio) -> Run {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(stdin)
        .stdout(full)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait(&mut child, TIMEOUT);
    Run {
        code: out.status.code(),
        stdout: Vec::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// 7. `report card.perf > /dev/full` (every format), `fmt -`,
//    `check --format json`, `explain` and `diff` exit 2 and say why.
#[cfg(target_os = "linux")]
#[test]
fn d07_a_failed_write_to_stdout_exits_2() {
    let dir = with_card("d07");
    let commands: &[&[&str]] = &[
        &["report", "card.perf"],
        &["report", "card.perf", "--format", "markdown"],
        &["report", "card.perf", "--format", "csv"],
        &["report", "card.perf", "--format", "html"],
        &["report", "card.perf", "--format", "json"],
        &["check", "card.perf", "--format", "json"],
        &["explain", "card.perf", "LEAF"],
        &["diff", "card.perf", "card.perf"],
        &["--help"],
    ];
    for args in commands {
        let r = onto_full(&dir, args, Stdio::null());
        assert_eq!(r.code, Some(2), "{args:?}: {r:?}");
        if args[0] != "--help" {
            assert!(
                r.stderr.contains("No space left on device"),
                "{args:?}: {r:?}"
            );
        }
    }
    let stdin = std::fs::File::open(dir.join("card.perf")).unwrap();
    let r = onto_full(&dir, &["fmt", "-"], Stdio::from(stdin));
    assert_eq!(r.code, Some(2), "fmt -: {r:?}");
}

// 7. A closed pipe (`| head`) ends the output quietly, with the exit
//    status the input earns.
#[test]
fn d07_a_closed_pipe_is_not_an_error() {
    let dir = folder("d07-pipe");
    std::fs::write(dir.join("many.perf"), star(3_000)).unwrap();
    let mut child = Command::new(bin())
        .args(["report", "many.perf"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = wait(&mut child, TIMEOUT);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

// 10. `check card.perf 2>/dev/full`: no panic; the exit status still says
//     what happened.
#[cfg(target_os = "linux")]
#[test]
fn d10_stderr_that_cannot_be_written_is_not_a_panic() {
    let dir = with_card("d10");
    std::fs::write(dir.join("bad.perf"), "measure X {\n").unwrap();
    for (args, code) in [
        (&["check", "card.perf"][..], 0),
        (&["check", "bad.perf"], 1),
        (&["report", "bad.perf"], 1),
        (&["explain", "bad.perf", "X"], 1),
        (&["fmt", "bad.perf"], 1),
        (&["diff", "bad.perf", "card.perf"], 1),
        (&["report", "missing.perf"], 2),
        (&["check", "--no-such-option"], 2),
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let status = Command::new(bin())
            .args(args)
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(full)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(code), "{args:?}");
    }
}

// 10. A closed stderr pipe likewise.
#[test]
fn d10_a_closed_stderr_pipe_is_not_a_panic() {
    let dir = folder("d10-pipe");
    // Many errors, so that stderr is written after it has been closed.
    let bad: String = (0..2_000)
        .map(|i| format!("measure M{i} \"m\" {{ wat }}\n"))
        .collect();
    std::fs::write(dir.join("bad.perf"), bad).unwrap();
    let mut child = Command::new(bin())
        .args(["check", "bad.perf"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let out = wait(&mut child, TIMEOUT);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

// 15. `fmt` keeps a file's owner, group and permissions (as root, a
//     `nobody:nogroup 0640` file stays so; otherwise the permissions).
#[cfg(unix)]
#[test]
fn d15_fmt_keeps_owner_group_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = folder("d15");
    let path = dir.join("card.perf");
    std::fs::write(&path, CARD.replace("  unit percent", "unit percent")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let given_away = std::os::unix::fs::chown(&path, Some(65534), Some(65534)).is_ok();
    let before = std::fs::metadata(&path).unwrap();
    let r = run(&dir, &["fmt", "card.perf"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stderr.contains("formatted card.perf"), "{r:?}");
    let after = std::fs::metadata(&path).unwrap();
    assert_eq!(after.mode() & 0o7777, 0o640);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    if given_away {
        assert_eq!((after.uid(), after.gid()), (65534, 65534));
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CARD);
}

// 16. A link is written through (the link stays a link, the file it names
//     gets the report); a link to nothing is refused with exit 2 and
//     nothing is created.
#[cfg(unix)]
#[test]
fn d16_links_are_written_through_and_a_dangling_link_is_refused() {
    let dir = with_card("d16");
    std::fs::write(dir.join("real.txt"), "old").unwrap();
    std::os::unix::fs::symlink("real.txt", dir.join("link.txt")).unwrap();
    let r = run(&dir, &["report", "card.perf", "-o", "link.txt"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(std::fs::symlink_metadata(dir.join("link.txt"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(dir.join("real.txt"))
        .unwrap()
        .contains("Leaf"));

    std::os::unix::fs::symlink("nowhere.txt", dir.join("dangling.txt")).unwrap();
    let r = run(&dir, &["report", "card.perf", "-o", "dangling.txt"]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("nowhere.txt"), "{r:?}");
    assert!(!dir.join("nowhere.txt").exists());
    assert!(std::fs::symlink_metadata(dir.join("dangling.txt"))
        .unwrap()
        .file_type()
        .is_symlink());

    // fmt likewise.
    std::fs::write(dir.join("messy.perf"), CARD.replace("  unit", "unit")).unwrap();
    std::os::unix::fs::symlink("messy.perf", dir.join("linked.perf")).unwrap();
    let r = run(&dir, &["fmt", "linked.perf"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(std::fs::symlink_metadata(dir.join("linked.perf"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(dir.join("messy.perf")).unwrap(),
        CARD
    );
}

/// Runs git in `dir`, which must succeed.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// A repository holding `card.perf` in two commits: the second eases the
/// target (50% → 40%).
fn repository(name: &str) -> PathBuf {
    let dir = with_card(name);
    git(&dir, &["init", "-q"]);
    git(&dir, &["config", "user.email", "t@example.com"]);
    git(&dir, &["config", "user.name", "t"]);
    git(&dir, &["add", "card.perf"]);
    git(&dir, &["commit", "-qm", "first"]);
    std::fs::write(
        dir.join("card.perf"),
        CARD.replace("target 2018/19 50%", "target 2018/19 40%"),
    )
    .unwrap();
    git(&dir, &["commit", "-qam", "eased"]);
    dir
}

// 3. A revision is never read as an option: `--output=...` writes no file,
//    `--format=...` is no scorecard.
#[test]
fn d03_a_revision_is_never_an_option() {
    let dir = repository("d03");
    let written = dir.join("x");
    let spec = format!("--output={}:card.perf", written.display());
    let r = run(&dir, &["diff", "--", &spec, "card.perf"]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(!written.exists(), "git wrote {}", written.display());
    assert!(r.stderr.contains("is not a commit"), "{r:?}");
    let r = run(
        &dir,
        &[
            "diff",
            "--",
            "--format=report \"x\" {}:card.perf",
            "card.perf",
        ],
    );
    assert_eq!(r.code, Some(2), "{r:?}");
    // A real revision still works.
    let r = run(
        &dir,
        &[
            "diff",
            "--fail-on",
            "eased",
            "HEAD~1:card.perf",
            "card.perf",
        ],
    );
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(r.out().contains("eased"), "{r:?}");
}

// 8. A range is not a revision: the CI gate is not bypassed.
#[test]
fn d08_a_git_range_is_refused() {
    let dir = repository("d08");
    for spec in [
        "HEAD~1..HEAD:card.perf",
        "HEAD~1...HEAD:card.perf",
        "HEAD:nothing.perf",
    ] {
        let r = run(
            &dir,
            &["diff", "--fail-on", "eased", "--", spec, "card.perf"],
        );
        assert_eq!(r.code, Some(2), "{spec}: {r:?}");
    }
}

// 11. In a subdirectory, `diff HEAD:../dd.perf ../dd.perf` confines the
//     git side's includes as the disk side's are: no false include-escape.
#[test]
fn d11_git_includes_from_a_subdirectory_are_not_an_escape() {
    let dir = folder("d11");
    git(&dir, &["init", "-q"]);
    git(&dir, &["config", "user.email", "t@example.com"]);
    git(&dir, &["config", "user.name", "t"]);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("dd.perf"),
        "report \"R\" {\n  period 2018/19 Q2\n}\n\ninclude \"part.perf\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("part.perf"),
        &CARD[CARD.find("measure").unwrap()..],
    )
    .unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "first"]);
    let sub = dir.join("sub");
    let r = run(&sub, &["diff", "HEAD:../dd.perf", "../dd.perf"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(!r.stderr.contains("include-escape"), "{r:?}");
    // A path that leaves the repository is refused, not read.
    let r = run(&sub, &["diff", "HEAD:../../dd.perf", "../dd.perf"]);
    assert_eq!(r.code, Some(2), "{r:?}");
}

// 4. Include confinement cannot be raced: while perfcard runs, a folder
//    inside the report is swapped again and again for a link to a folder
//    outside it. Whatever the timing, the outside file never gets into a
//    report (the issue's 3,000 tries: scripts/attack.sh; today's main let
//    it in about one time in six).
#[cfg(unix)]
#[test]
fn d04_include_confinement_cannot_be_raced() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    const TRIES: usize = 500;
    let base = folder("d04");
    let root = base.join("root");
    let outside = base.join("outside");
    // A deep path below the swapped folder widens the window between
    // resolving a name and opening it, where today's main could be raced.
    let deep = "a/b/c/d/e/f/g/h/i/j";
    std::fs::create_dir_all(root.join("d").join(deep)).unwrap();
    std::fs::create_dir_all(outside.join(deep)).unwrap();
    std::fs::write(
        root.join("card.perf"),
        format!("report \"R\" {{\n  period 2018/19 Q2\n}}\n\ninclude \"d/{deep}/inc.perf\"\n"),
    )
    .unwrap();
    let measure = &CARD[CARD.find("measure").unwrap()..];
    std::fs::write(root.join("d").join(deep).join("inc.perf"), measure).unwrap();
    std::fs::write(
        outside.join(deep).join("inc.perf"),
        measure.replace("Leaf", "SECRET"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, root.join("link")).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let (stop, root) = (stop.clone(), root.clone());
        std::thread::spawn(move || {
            let (d, real, link) = (root.join("d"), root.join("d.real"), root.join("link"));
            while !stop.load(Ordering::Relaxed) {
                let _ = std::fs::rename(&d, &real);
                let _ = std::fs::rename(&link, &d);
                let _ = std::fs::rename(&d, &link);
                let _ = std::fs::rename(&real, &d);
            }
        })
    };
    let mut leaked = 0;
    let mut escapes = 0;
    for _ in 0..TRIES {
        let r = run(&root, &["report", "card.perf", "--format", "csv"]);
        if r.out().contains("SECRET") {
            leaked += 1;
        }
        if r.stderr.contains("include-escape") {
            escapes += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    swapper.join().unwrap();
    assert_eq!(
        leaked, 0,
        "the outside file got into {leaked} of {TRIES} reports ({escapes} refused)"
    );
}

// 5. An include that is a FIFO is refused at once (today's main waits
//    for ever); so is a device (today's main reads /dev/zero until memory
//    runs out).
#[cfg(unix)]
#[test]
fn d05_an_include_must_be_a_regular_file() {
    let dir = folder("d05");
    let made = Command::new("mkfifo")
        .arg(dir.join("f.perf"))
        .status()
        .unwrap();
    assert!(made.success());
    std::fs::write(dir.join("card.perf"), "include \"f.perf\"\n").unwrap();
    let started = Instant::now();
    let mut child = Command::new(bin())
        .args(["check", "card.perf"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait(&mut child, Duration::from_secs(20));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20));

    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.perf")).unwrap();
    std::fs::write(dir.join("dev.perf"), "include \"zero.perf\"\n").unwrap();
    let r = run(&dir, &["check", "dev.perf"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(r.stderr.contains("not a regular file"), "{r:?}");
}

// 5. Standard input stops at the size limit while it is read: `fmt -`
//    given more than 256 MiB exits 2 without reading it all.
#[test]
fn d05_stdin_stops_at_the_size_limit() {
    let dir = folder("d05-stdin");
    let mut child = Command::new(bin())
        .args(["fmt", "-"])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let chunk = vec![b'\n'; 1 << 20];
        let mut sent: u64 = 0;
        // Up to 300 MiB, as long as perfcard keeps reading.
        while sent < 300 << 20 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
            sent += chunk.len() as u64;
        }
        sent
    });
    let out = wait(&mut child, Duration::from_secs(120));
    let sent = writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("at most 268435456 bytes"), "{stderr}");
    assert!(sent < 300 << 20, "perfcard read all {sent} bytes");
}

// 19. `check <(cat card.perf)`: the path names a pipe, read once.
#[cfg(unix)]
#[test]
fn d19_process_substitution_is_read_once() {
    let dir = with_card("d19");
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("\"{}\" check <(cat card.perf)", bin().display()))
        .current_dir(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("no problems in 1 file"), "{stderr}");
}

// 4. The same, without the race: the folder is swapped for a link at the
//    worst moment, just before the include is opened (through the
//    loader's one seam, its file system). What was checked is what was
//    opened, so the include is refused and the outside file is not used.
#[cfg(unix)]
#[test]
fn d04_an_include_swapped_for_a_link_before_it_is_opened_is_refused() {
    use perfcard::{load, Disk, FileRead, FileSystem, Reading};
    use std::cell::Cell;
    struct SwapFirst {
        root: PathBuf,
        swapped: Cell<bool>,
    }
    impl FileSystem for SwapFirst {
        fn read(&self, path: &Path, reading: Reading) -> std::io::Result<FileRead> {
            if reading == Reading::Include && !self.swapped.replace(true) {
                std::fs::rename(self.root.join("d"), self.root.join("d.real"))?;
                std::fs::rename(self.root.join("link"), self.root.join("d"))?;
            }
            Disk.read(path, reading)
        }
    }
    let base = folder("d04-seam");
    let root = base.join("root");
    let outside = base.join("outside");
    std::fs::create_dir_all(root.join("d")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(root.join("card.perf"), "include \"d/inc.perf\"\n").unwrap();
    let measure = &CARD[CARD.find("measure").unwrap()..];
    std::fs::write(root.join("d/inc.perf"), measure).unwrap();
    std::fs::write(outside.join("inc.perf"), measure.replace("Leaf", "SECRET")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("link")).unwrap();
    let fs = SwapFirst {
        root: root.clone(),
        swapped: Cell::new(false),
    };
    let loaded = load(&fs, &root.join("card.perf"), "card.perf").unwrap();
    assert!(fs.swapped.get());
    assert_eq!(loaded.files.len(), 1, "the outside file was loaded");
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.name()).collect();
    assert!(
        codes.iter().any(|c| c.contains("include-escape")),
        "{codes:?}"
    );
}

// 6. No CSV cell can run as a formula, composed ones included; a plain
//    negative number stays a number.
#[test]
fn d06_csv_cells_never_run_as_formulas() {
    let dir = folder("d06");
    let card = r#"report "R" {
  period 2018/19 Q2
}

measure M1 "m" {
  unit money "=&HYPERLINK(\"http://x\")&"
  polarity higher
  target 2018/19 5
  actual 2018/19 Q2 4
}

measure M2 "m" {
  unit money "@SUM("
  polarity lower
  target 2018/19 5
  actual 2018/19 Q2 -4
}

measure M3 "=cmd|' /C calc'!A0" {
  unit number
  polarity higher
  target 2018/19 5
  actual 2018/19 Q2 -0.4
}
"#;
    std::fs::write(dir.join("card.perf"), card).unwrap();
    let r = run(&dir, &["report", "card.perf", "--format", "csv"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let out = r.out();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(out.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        rows += 1;
        for cell in record.iter() {
            let digits = cell.strip_prefix('-').unwrap_or(cell);
            let plain =
                !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.');
            assert!(
                plain || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?} in {record:?}"
            );
        }
        if &record[column("id")] == "M3" {
            assert_eq!(&record[column("actual")], "-0.4");
            assert_eq!(&record[column("actual_display")], "-0.4");
            assert_eq!(&record[column("variance")], "-5.4");
        }
    }
    assert_eq!(rows, 3);
    assert!(out.contains("'=4&HYPERLINK"), "{out}");
    assert!(out.contains("'@5SUM("), "{out}");
}

// 12. A valid file with CR-only line endings, larger than the line limit,
//     is checked like the same file with LF endings.
#[test]
fn d12_cr_only_line_endings_count_as_lines() {
    let dir = folder("d12");
    let text = star(3_000).replace('\n', "\r");
    assert!(text.len() > 120_000);
    std::fs::write(dir.join("cr.perf"), text).unwrap();
    let r = run(&dir, &["check", "cr.perf"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    // A line longer than the limit is still one, whatever ends it.
    let long = format!(
        "measure A \"{}\" {{\r}}\r",
        "a".repeat(70_000).replace("aaaa", "a b ")
    );
    std::fs::write(dir.join("long.perf"), long).unwrap();
    let r = run(&dir, &["check", "long.perf"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(r.stderr.contains("lines may be at most 65536"), "{r:?}");
}

/// A scorecard whose measure has a note of `len` bytes.
fn with_note(len: usize) -> String {
    format!(
        "{}  note 2018/19 Q2 \"{}\"\n}}\n",
        CARD.trim_end().trim_end_matches('}'),
        "x".repeat(len)
    )
}

// 13. A string of exactly 16,384 bytes is allowed; one more is the limit.
#[test]
fn d13_a_string_of_16384_bytes_is_allowed() {
    let dir = folder("d13");
    std::fs::write(dir.join("at.perf"), with_note(16_384)).unwrap();
    let r = run(&dir, &["check", "at.perf"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    std::fs::write(dir.join("over.perf"), with_note(16_385)).unwrap();
    let r = run(&dir, &["check", "over.perf"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(
        r.stderr
            .contains("a string of 16385 bytes; strings may be at most 16384"),
        "{r:?}"
    );
}

// 14. 28 significant digits, as documented: 29 is an error.
#[test]
fn d14_a_number_has_at_most_28_significant_digits() {
    let dir = folder("d14");
    let card =
        |target: &str| CARD.replace("target 2018/19 50%", &format!("target 2018/19 {target}"));
    for (target, code) in [
        ("1234567890123456789012345678", 0),
        ("0.1234567890123456789012345678", 0),
        ("12345678901234567890123456789", 1),
        ("1234567890123456789.0123456789", 1),
        ("79228162514264337593543950335", 1),
    ] {
        std::fs::write(
            dir.join("n.perf"),
            card(target)
                .replace("unit percent", "unit number")
                .replace("60%", "60"),
        )
        .unwrap();
        let r = run(&dir, &["check", "n.perf"]);
        assert_eq!(r.code, Some(code), "{target}: {r:?}");
        if code == 1 {
            assert!(r.stderr.contains("bad-number"), "{target}: {r:?}");
        }
    }
}

// 17. Control characters in a scorecard's strings are shown escaped in
//     every output for people: the text report, Markdown, `explain`, `diff`
//     and diagnostics. Nothing reaches the terminal to run.
#[test]
fn d17_terminal_escapes_in_strings_are_shown_escaped() {
    let dir = folder("d17");
    let card = "report \"R\" {\n  period 2018/19 Q2\n}\n\ngroup \"G\u{1b}[2J\" {\nmeasure LEAF \"\u{1b}]0;PWNED\u{7} title\" {\n  unit number\n  polarity higher\n  target 2018/19 5\n  actual 2018/19 Q2 6\n  note 2018/19 Q2 \"x\u{1b}[2Jy\u{0}z\u{9b}1m\"\n}\n}\n";
    std::fs::write(dir.join("card.perf"), card).unwrap();
    std::fs::write(
        dir.join("old.perf"),
        card.replace("actual 2018/19 Q2 6", "actual 2018/19 Q2 4"),
    )
    .unwrap();
    std::fs::write(
        dir.join("bad.perf"),
        card.replace("1m\"\n", "1m\"\n  wat\n"),
    )
    .unwrap();
    let raw = |s: &str| s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
    for (args, code) in [
        (&["report", "card.perf"][..], 0),
        (&["report", "card.perf", "--format", "markdown"], 0),
        (&["explain", "card.perf", "LEAF"], 0),
        (&["diff", "old.perf", "card.perf"], 0),
        (
            &["diff", "old.perf", "card.perf", "--format", "markdown"],
            0,
        ),
        (&["check", "bad.perf"], 1),
    ] {
        let r = run(&dir, args);
        assert_eq!(r.code, Some(code), "{args:?}: {r:?}");
        assert!(
            !raw(&r.out()),
            "{args:?} printed a control character: {:?}",
            r.out()
        );
        assert!(
            !raw(&r.stderr),
            "{args:?} printed a control character: {:?}",
            r.stderr
        );
        assert!(
            r.out().contains("\\u{1b}") || r.stderr.contains("\\u{1b}"),
            "{args:?}: {r:?}"
        );
    }
    // In colour, the only escapes are the colours (SGR, `ESC [ ... m`).
    let r = run(&dir, &["--color", "always", "report", "card.perf"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let out = r.out();
    assert!(out.contains("\\u{1b}]0;PWNE"), "{out:?}");
    assert!(
        !out.contains('\u{7}') && !out.contains("\u{1b}]") && !out.contains("\u{1b}[2J"),
        "{out:?}"
    );
}

// 18. A line over the limit is shown as a bounded excerpt, not echoed
//     whole (the issue's 256 MiB line: scripts/attack.sh).
#[test]
fn d18_a_long_line_is_shown_as_a_bounded_excerpt() {
    let dir = folder("d18-line");
    std::fs::write(dir.join("nul.perf"), vec![0u8; 4 << 20]).unwrap();
    let r = run(&dir, &["check", "nul.perf"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(r.stderr.contains("lines may be at most 65536"), "{r:?}");
    assert!(r.stderr.len() < 8_000, "{} bytes on stderr", r.stderr.len());
    let long = format!("measure A \"{}\" {{\n}}\n", "word ".repeat(100_000));
    std::fs::write(dir.join("long.perf"), long).unwrap();
    let r = run(&dir, &["check", "long.perf"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(r.stderr.len() < 8_000, "{} bytes on stderr", r.stderr.len());
}

/// Runs perfcard with `args` in `dir` and returns its exit code and peak
/// resident memory in bytes (from `wait4`, this child's own).
#[cfg(target_os = "linux")]
// The child is waited for by wait4, which std does not know of.
#[allow(clippy::zombie_processes)]
fn peak_memory(dir: &Path, args: &[&str]) -> (Option<i32>, u64) {
    let child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills; the child is ours and
    // not waited for elsewhere.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let done = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(done, pid);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage.ru_maxrss as u64 * 1024)
}

// 18. Measures inside a group cost what the same measures cost at the top
//     level (today's main: about twice as much in a debug build, 65 times
//     the input in a release build), and memory stays under the documented
//     bound of 40 times the input. The issue's sizes: scripts/attack.sh.
#[cfg(target_os = "linux")]
#[test]
fn d18_measures_in_a_group_cost_what_they_cost_outside_it() {
    let dir = folder("d18-memory");
    let measures: String = (0..25_000)
        .map(|i| {
            format!(
                "measure M{i} \"Measure number {i}\" {{\n  unit percent\n  polarity higher\n  target 2018/19 50%\n  actual 2018/19 Q2 60%\n}}\n"
            )
        })
        .collect();
    let header = "report \"R\" {\n  period 2018/19 Q2\n}\n";
    let top = format!("{header}{measures}");
    let grouped = format!("{header}group \"G\" {{\n{measures}}}\n");
    std::fs::write(dir.join("top.perf"), &top).unwrap();
    std::fs::write(dir.join("group.perf"), &grouped).unwrap();
    let (code, at_top) = peak_memory(&dir, &["check", "top.perf"]);
    assert_eq!(code, Some(0));
    let (code, in_group) = peak_memory(&dir, &["check", "group.perf"]);
    assert_eq!(code, Some(0));
    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    assert!(
        in_group * 10 < at_top * 13,
        "{:.0} MiB for {:.1} MiB of measures in a group, {:.0} MiB at the top level",
        mib(in_group),
        mib(grouped.len() as u64),
        mib(at_top)
    );
    assert!(
        in_group < 40 * grouped.len() as u64 + (32 << 20),
        "{:.0} MiB for {:.1} MiB of input",
        mib(in_group),
        mib(grouped.len() as u64)
    );
}
