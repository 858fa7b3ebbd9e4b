//! Terminal safety and files: escape sequences in tree text or typed answers render inert;
//! saves are atomic, owner-only and never follow a planted symlink; a bad progress file gives a
//! clear message and changes nothing.

use crate::common;

use signpost::compile::{compile, SourceFile};
use signpost::save::{ProgressError, SaveError};
use signpost::session::Session;

const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J";

fn hostile_inputs() -> signpost::compile::Inputs {
    let mut tree: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::root().join("tests/fixtures/invalid/E005-dangling-next/tree.json"),
        )
        .unwrap(),
    )
    .unwrap();
    tree["nodes"][0]["options"][1]["next"] = "done".into();
    tree["nodes"][0]["question"] = format!("Did they reply?{HOSTILE}").into();
    tree["nodes"][0]["options"][0]["label"] = format!("Yes{HOSTILE}").into();
    tree["advice"]["a"]["title"] = format!("Do a thing{HOSTILE}").into();
    tree["advice"]["a"]["body"] = format!("Do it.{HOSTILE}").into();
    let mut inputs = signpost::files::embedded();
    inputs.trees = vec![SourceFile {
        path: "hostile.json".into(),
        text: tree.to_string(),
    }];
    inputs
}

fn assert_inert(what: &str, text: &str) {
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{what} lets an escape sequence through: {text:?}"
    );
}

/// Escape sequences in tree text never reach a library, so no output channel can show them
/// (tests/inert.rs feeds each channel; this is the tree side).
#[test]
fn escape_sequences_in_tree_text_are_refused_by_the_compiler() {
    let compiled = compile(&hostile_inputs());
    assert!(compiled.library.is_none());
    let pointers: Vec<&str> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code == "E027")
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        [
            "/nodes/0/question",
            "/nodes/0/options/0/label",
            "/advice/a/title",
            "/advice/a/body"
        ]
    );
    let human = signpost::report::human(&compiled.diagnostics);
    assert_inert("check's report", &human);
}

#[test]
fn escape_sequences_typed_as_answers_are_removed() {
    let lib = common::library(std::path::Path::new("tests/fixtures/valid/main.json"));
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    for a in ["england", "ok", "support", "2"] {
        s.answer(a).unwrap();
    }
    s.answer(&format!("Sefton{HOSTILE}")).unwrap();
    let text = signpost::render::text(&signpost::summary::build(&s));
    assert!(text.contains("Sefton]0;pwned[2J"));
    assert_inert("a typed answer", &text);
}

#[cfg(unix)]
#[test]
fn saves_are_owner_only_and_replace_a_planted_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let target = dir.path().join("summary.md");
    std::os::unix::fs::symlink(&victim, &target).unwrap();
    signpost::save::write_private(&target, "my summary").unwrap();
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "precious",
        "the link was followed"
    );
    assert!(!std::fs::symlink_metadata(&target)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "my summary");
    assert_eq!(
        std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // An existing file is replaced whole (no temporary file is left behind).
    signpost::save::write_private(&target, "second").unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "second");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".signpost-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn bad_progress_files_give_clear_messages_and_change_nothing() {
    let lib = common::library(std::path::Path::new("tests/fixtures/valid/main.json"));
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "corrupt.signpost",
            "{ this is not json".to_string(),
            "not a Signpost progress file",
            (|e| matches!(e, ProgressError::NotJson(_))) as fn(&ProgressError) -> bool,
        ),
        (
            "other.signpost",
            r#"{"signpost_progress": 1, "tree": "sub", "trees_hash": "x", "answers": {}}"#
                .to_string(),
            "holds answers for the tree `sub`",
            |e| matches!(e, ProgressError::OtherTree { tree, root, .. } if tree == "sub" && root == "main"),
        ),
        (
            "newer.signpost",
            r#"{"signpost_progress": 9, "tree": "main", "trees_hash": "x", "answers": {}}"#
                .to_string(),
            "newer Signpost",
            |e| matches!(e, ProgressError::Newer { format: 9, .. }),
        ),
        (
            "tree.signpost",
            std::fs::read_to_string(common::root().join("tests/fixtures/valid/main.json")).unwrap(),
            "not a Signpost progress file",
            |e| matches!(e, ProgressError::NotProgress(_)),
        ),
    ];
    for (name, text, expected, kind) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let err = signpost::save::read_progress(&path, &lib, "main").unwrap_err();
        assert!(kind(&err), "{name}: {err:?}");
        assert!(err.to_string().contains(expected), "{name}: {err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "{name} was changed"
        );
    }
    // A good one round-trips, and says when the trees have changed since.
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    s.answer("england").unwrap();
    let path = dir.path().join("good.signpost");
    signpost::save::write_private(
        &path,
        &signpost::save::progress_json(&lib, "main", s.answers()),
    )
    .unwrap();
    let (answers, changed) = signpost::save::read_progress(&path, &lib, "main").unwrap();
    assert_eq!(answers, s.canonical_answers());
    assert!(!changed);
}

#[test]
fn a_new_file_never_replaces_one_already_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tree.json");
    signpost::save::write_new(&path, "first").unwrap();
    let err = signpost::save::write_new(&path, "second").unwrap_err();
    assert!(matches!(err, SaveError::Exists(_)), "{err:?}");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
