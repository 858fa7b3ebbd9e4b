//! Limits and scale: a 100,000-node chain compiles, walks and counts without overflowing the
//! stack; limits are reported by name.

use crate::common;

use serde_json::json;
use signpost::compile::{compile, Inputs, SourceFile};

fn inputs_with(tree: String) -> Inputs {
    let mut inputs = signpost::files::embedded();
    inputs.trees = vec![SourceFile {
        path: "big.json".into(),
        text: tree,
    }];
    inputs
}

fn chain(n: usize) -> String {
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n - 1 {
        nodes.push(json!({"type": "info", "id": format!("n{i}"), "title": "Page", "body": "Read this.", "next": format!("n{}", i + 1)}));
    }
    nodes.push(json!({"type": "outcome", "id": format!("n{}", n - 1), "advice": ["a"]}));
    json!({
        "format": 1, "id": "big", "title": "Big", "jurisdictions": ["any"], "reviewed": "2026-11-20", "start": "n0",
        "nodes": nodes,
        "advice": {"a": {"for": ["everyone"], "title": "A step", "body": "Do it.", "sources": ["s"]}},
        "sources": {"s": {"title": "S", "url": "https://example.org", "checked": "2026-11-20"}}
    })
    .to_string()
}

#[test]
fn a_100000_node_chain_compiles_and_walks_without_recursion() {
    let compiled = compile(&inputs_with(chain(100_000)));
    let lib = compiled
        .library
        .unwrap_or_else(|| panic!("{}", signpost::report::human(&compiled.diagnostics)));
    assert_eq!(signpost::paths::count_paths(&lib, "big"), 1);
    let mut s = signpost::session::Session::new(&lib, "big", common::today()).unwrap();
    s.set_auto_continue(true);
    assert!(s.is_finished());
    assert_eq!(s.trace().nodes.len(), 100_000);
}

#[test]
fn deep_nesting_and_huge_texts_are_refused_by_name() {
    let deep = format!(
        "{{\"format\": 1, \"x\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let c = compile(&inputs_with(deep));
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.code == "E024" && d.message.contains("nests 10001 levels")),
        "{:?}",
        c.diagnostics
    );

    let mut tree: serde_json::Value = serde_json::from_str(&chain(3)).unwrap();
    tree["advice"]["a"]["body"] = json!("word ".repeat(5_000));
    let c = compile(&inputs_with(tree.to_string()));
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == "E024")
        .expect("E024");
    assert_eq!(d.pointer, "/advice/a/body");
}

// ---------------------------------------------------------------------------------------------
// Bounded input: every reader stops one byte past its limit (issue 19).
// ---------------------------------------------------------------------------------------------

use std::io::Write as _;
use std::process::{Command, Stdio};

use signpost::bounded;

/// Runs the binary in the repository with `stdin` as its input; returns (code, stdout, stderr).
fn signpost_with(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(args)
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("signpost starts");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    // The child may stop reading (and close the pipe) before all of it is written.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("signpost ends");
    writer.join().expect("the writer ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn a_pipe_is_read_only_to_one_byte_past_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let feed = |bytes: usize| {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            // Endless as far as the reader knows: it must stop by itself.
            let _ = f.write_all(&vec![b'x'; bytes]);
        })
    };
    let writer = feed(1_000_000);
    let err = bounded::read_file_within(&fifo, 1000).unwrap_err();
    // A pipe has no size to say: it is refused on the byte past the limit.
    assert!(
        matches!(
            err,
            bounded::ReadError::TooBig {
                size: None,
                limit: 1000,
                ..
            }
        ),
        "{err:?}"
    );
    let err = err.to_string();
    assert!(
        err.contains("too big") && err.contains("1000 bytes") && err.contains("docs/limits.md"),
        "{err}"
    );
    writer.join().unwrap();
    // Within the limit, the same kind of pipe is read whole.
    let writer = feed(1000);
    assert_eq!(bounded::read_file_within(&fifo, 1000).unwrap().len(), 1000);
    writer.join().unwrap();
}

#[test]
fn a_regular_file_over_the_limit_is_refused_by_its_size_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big.json");
    std::fs::write(&f, vec![b' '; 1001]).unwrap();
    let err = bounded::read_file_within(&f, 1000).unwrap_err();
    assert!(
        matches!(
            err,
            bounded::ReadError::TooBig {
                size: Some(1001),
                limit: 1000,
                ..
            }
        ),
        "{err:?}"
    );
    let err = err.to_string();
    assert!(
        err.contains("1001 bytes") && err.contains("1000 bytes"),
        "{err}"
    );
    assert_eq!(bounded::read_file_within(&f, 1001).unwrap().len(), 1001);
}

/// /dev/zero never ends: every command that reads a file the person names stops at the limit,
/// says so, and exits 1 (it used to read until memory ran out).
#[test]
fn dev_zero_is_refused_at_the_limit_by_every_reader() {
    let limit = format!("{} bytes", 256 * 1024 * 1024);
    for args in [
        vec!["check", "/dev/zero"],
        vec![
            "walk",
            "trees/complaints.json",
            "--answers",
            "/dev/zero",
            "--today",
            "2025-02-28",
        ],
        vec![
            "run",
            "tests/fixtures/valid/main.json",
            "--plain",
            "--resume",
            "/dev/zero",
        ],
    ] {
        let (code, stdout, stderr) = signpost_with(&args, b"");
        assert_eq!(code, Some(1), "{args:?}: {stdout}{stderr}");
        assert!(
            stderr.contains("/dev/zero is too big to read") && stderr.contains(&limit),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn an_endless_line_in_plain_mode_is_refused_with_a_message() {
    let long = vec![b'1'; 1_000_000];
    let (code, stdout, stderr) =
        signpost_with(&["run", "tests/fixtures/valid/main.json", "--plain"], &long);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("a line of input was too long") && stderr.contains("100000 bytes"),
        "{stderr}"
    );
    assert!(!stdout.contains("1111111111"), "the line was echoed");
    // Directly: the bound is on the reading, and a line at the limit is whole.
    let mut input = &b"12345\r\n123456\nlast"[..];
    assert_eq!(
        bounded::read_line_within(&mut input, 5).unwrap(),
        Some("12345".into())
    );
    let err = bounded::read_line_within(&mut input, 5).unwrap_err();
    assert!(
        matches!(err, bounded::LineError::TooLong { limit: 5 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("too long"), "{err}");
    let mut input = &b"last"[..];
    assert_eq!(
        bounded::read_line_within(&mut input, 5).unwrap(),
        Some("last".into())
    );
    assert_eq!(bounded::read_line_within(&mut input, 5).unwrap(), None);
}

/// A saved-answers file for the fixture tree `main` with `bogus` answers to questions it does
/// not have.
fn tampered_save(dir: &std::path::Path, bogus: usize) -> std::path::PathBuf {
    let answers: serde_json::Map<String, serde_json::Value> = (0..bogus)
        .map(|i| (format!("main.bogus{i}"), json!("yes")))
        .collect();
    let path = dir.join(format!("{bogus}.signpost"));
    let save =
        json!({"signpost_progress": 1, "tree": "main", "trees_hash": "0", "answers": answers});
    std::fs::write(&path, save.to_string()).unwrap();
    path
}

#[test]
fn a_save_with_200000_bogus_answers_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let save = tampered_save(dir.path(), 200_000);
    let save = save.to_string_lossy();
    let (code, stdout, stderr) = signpost_with(
        &[
            "run",
            "tests/fixtures/valid/main.json",
            "--plain",
            "--resume",
            &save,
        ],
        b"quit\n",
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("holds 200000 answers") && stderr.contains("at most 10000"),
        "{stderr}"
    );
    assert!(
        stdout.lines().count() + stderr.lines().count() < 30,
        "{} lines",
        stdout.lines().count()
    );
}

#[test]
fn removed_answers_past_ten_are_counted_not_listed() {
    let dir = tempfile::tempdir().unwrap();
    let save = tampered_save(dir.path(), 25);
    let save = save.to_string_lossy();
    let (code, stdout, stderr) = signpost_with(
        &[
            "run",
            "tests/fixtures/valid/main.json",
            "--plain",
            "--resume",
            &save,
        ],
        b"quit\n",
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_eq!(
        stdout.matches("no longer applies and was removed").count(),
        10,
        "{stdout}"
    );
    assert!(
        stdout.contains("15 more saved answers no longer apply and were removed."),
        "{stdout}"
    );
}

/// Each way a file cannot be read is its own kind, so a caller can tell a missing file from one
/// it may not use; the words stay those a person reads.
#[test]
fn read_errors_are_told_apart_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let missing = bounded::read_text(&dir.path().join("nothing.json")).unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");
    assert!(missing.to_string().starts_with("cannot read "), "{missing}");
    let folder = bounded::read_text(dir.path()).unwrap_err();
    assert!(
        matches!(folder, bounded::ReadError::Folder(_)) && !folder.is_not_found(),
        "{folder:?}"
    );
    assert!(folder.to_string().ends_with("it is a folder"), "{folder}");
    let latin = dir.path().join("latin1.json");
    std::fs::write(&latin, [0xff, 0xfe, b'a']).unwrap();
    let not_text = bounded::read_text(&latin).unwrap_err();
    assert!(
        matches!(not_text, bounded::ReadError::NotUtf8(_)),
        "{not_text:?}"
    );
    assert!(
        not_text.to_string().ends_with("is not UTF-8 text"),
        "{not_text}"
    );
}
