//! The command line as a whole: output that nobody reads any more, the top-level `--resume`,
//! and `signpost test`'s messages about scenario files.

mod common;

use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_signpost"))
}

/// Runs a command whose reader goes away at once, as `signpost ... | head -c 5` does once it has
/// its five bytes. Returns the exit code and what went to standard error.
fn with_reader_gone(args: &[&str]) -> (Option<i32>, String) {
    let mut child = bin()
        .args(args)
        .current_dir(common::root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("signpost starts");
    // Closing the only read end makes every write fail with a broken pipe.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("signpost ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn broken_pipes_end_quietly_for_every_subcommand() {
    let commands: &[&[&str]] = &[
        &["generate", "--nodes", "5000"],
        &["schema"],
        &["check", "--today", "2026-11-23"],
        &[
            "check",
            "trees",
            "--format",
            "json",
            "--today",
            "2026-11-23",
        ],
        // A small tree: `paths` on the whole start tree takes minutes before it prints (issue 19).
        &["paths", "trees/advocacy.json", "--today", "2025-02-28"],
        &["paths", "trees/start.json", "--count"],
        &[
            "paths",
            "trees/complaints.json",
            "--coverage",
            "--today",
            "2025-02-28",
        ],
        &["graph", "trees/start.json"],
        &["graph", "trees/complaints.json", "--format", "mermaid"],
        &[
            "walk",
            "tests/fixtures/folders/broken-sibling/housing.json",
            "-a",
            "written=no",
            "--today",
            "2025-02-28",
        ],
        &["test", "tests/scenarios/wales-gets-its-own-route.json"],
        &["fmt", "--check", "tests/fixtures/valid"],
        &["explain", "frg_advice_line"],
        &["contacts"],
        &["run", "--plain", "--today", "2025-02-28"],
    ];
    for args in commands {
        let (code, stderr) = with_reader_gone(args);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "signpost {}: {stderr}",
            args.join(" ")
        );
        // fmt --check says "would reformat" with exit 1 when a file needs it; the rest succeed.
        assert!(
            matches!(code, Some(0)) || (args[0] == "fmt" && code == Some(1)),
            "signpost {} ended with {code:?}: {stderr}",
            args.join(" ")
        );
    }
}

#[test]
fn the_exit_codes_stay_0_1_and_2() {
    let ok = bin().args(["check"]).output().unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let wrong = bin()
        .args(["check", "tests/fixtures/invalid/E001-malformed-json"])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    let usage = bin().args(["check", "--no-such-flag"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let both = bin()
        .args(["--resume", "x.signpost", "check"])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
}

fn scenario(dir: &std::path::Path, tree: &str, answers: &str) -> std::path::PathBuf {
    let path = dir.join("s.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"description": "d", "tree": "{tree}", "today": "2025-02-28",
                "answers": {answers}, "expect": {{}}}}"#
        ),
    )
    .unwrap();
    path
}

#[test]
fn a_misspelt_answer_key_in_a_scenario_is_an_error_naming_the_nearest_question() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(
        dir.path(),
        "support",
        r#"{"relationshp": "parent_pr", "support_needs": "none"}"#,
    );
    let out = bin().arg("test").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("the answer `relationshp` names no question in `support`")
            && stdout.contains("did you mean `relationship`?"),
        "{stdout}"
    );
    // tree.node keys are checked the same way.
    let path = scenario(
        dir.path(),
        "start",
        r#"{"nation": "england", "support.relationshp": "parent_pr"}"#,
    );
    let out = bin().arg("test").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("did you mean `support.relationship`?"),
        "{stdout}"
    );
}

#[test]
fn test_suggests_trees_when_the_tree_is_not_built_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(dir.path(), "housing-help", r#"{"first_question": "no"}"#);
    let out = bin().arg("test").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("there is no tree `housing-help`"),
        "{stdout}"
    );
    assert!(stdout.contains("--trees"), "{stdout}");
}
