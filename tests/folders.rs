//! A folder is a set of independent trees, and its shared data is laid over the built-in data
//! (tests/fixtures/folders).

use crate::common;

use common::signpost;
use std::process::Command;

const BROKEN: &str = "tests/fixtures/folders/broken-sibling";
const COPY: &str = "tests/fixtures/folders/same-id-copy";
const LOCAL: &str = "tests/fixtures/folders/local-data";

#[test]
fn a_broken_sibling_does_not_block_another_tree() {
    let tree = format!("{BROKEN}/housing.json");
    let warning = format!("warning: left out {BROKEN}/complaints.json");
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", &tree, "--today", "2026-11-23", "--deny-warnings"],
        vec!["walk", &tree, "-a", "written=no", "--today", "2026-11-23"],
        vec!["paths", &tree, "--today", "2026-11-23"],
        vec!["paths", &tree, "--count"],
        vec!["paths", &tree, "--coverage", "--today", "2026-11-23"],
        vec!["graph", &tree],
        vec!["graph", &tree, "--format", "mermaid"],
        vec!["run", &tree, "--plain", "--today", "2026-11-23"],
    ];
    for args in commands {
        let (code, stdout, stderr) = signpost(&args);
        // Plain mode with no input ends before the next steps: an error, but not the folder's.
        let expected = if args[0] == "run" { 1 } else { 0 };
        assert_eq!(code, Some(expected), "{args:?}: {stdout}{stderr}");
        // At most one line names the broken file.
        assert_eq!(
            stderr
                .lines()
                .filter(|l| l.contains("complaints.json"))
                .count(),
            1,
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(&warning), "{args:?}: {stderr}");
    }
    // Scenario tests of the tree run too.
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("s.json");
    std::fs::write(
        &scenario,
        r#"{"description": "d", "tree": "housing", "today": "2026-11-23",
            "answers": {"written": "no"}, "expect": {"steps": ["housing.write"]}}"#,
    )
    .unwrap();
    let (code, stdout, stderr) = signpost(&["test", &scenario.to_string_lossy(), "--trees", &tree]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
}

#[test]
fn checking_the_folder_reports_every_file() {
    let (code, stdout, _) = signpost(&["check", BROKEN]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("error[E001]") && stdout.contains("broken-sibling/complaints.json:6:3"),
        "{stdout}"
    );
}

#[test]
fn a_copy_with_the_same_id_shows_its_own_problems() {
    // Asked for, the copy is checked on its own: its mistake, not E021.
    let (code, stdout, stderr) = signpost(&["check", &format!("{COPY}/complaints-draft.json")]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("error[E005]"), "{stdout}");
    assert!(stdout.contains("did you mean `relationship`?"), "{stdout}");
    assert!(!stdout.contains("E021"), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "left out {COPY}/complaints.json: it has the id `complaints`"
        )),
        "{stderr}"
    );
    // The original beside it still compiles, walks and draws.
    let original = format!("{COPY}/complaints.json");
    for args in [
        vec!["paths", original.as_str(), "--count"],
        vec!["graph", original.as_str()],
        vec!["check", original.as_str()],
    ] {
        let (code, stdout, stderr) = signpost(&args);
        assert_eq!(code, Some(0), "{args:?}: {stdout}{stderr}");
    }
    // The whole folder: the clash, and the copy's own problem as well.
    let (code, stdout, _) = signpost(&["check", COPY]);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains("error[E021]") && stdout.contains("error[E005]"),
        "{stdout}"
    );
}

#[test]
fn two_files_with_one_id_are_an_error_when_both_are_needed() {
    // menu runs `complaints`, and two files say they are it.
    let (code, stdout, _) = signpost(&["check", &format!("{COPY}/menu.json")]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("error[E021]"), "{stdout}");
}

#[test]
fn local_data_adds_to_the_built_in_data() {
    // An unchanged copy of a shipped tree still finds the built-in letters and contacts, with a
    // local contacts.json, glossary.json and letters/ beside it.
    let (code, stdout, stderr) =
        signpost(&["check", LOCAL, "--today", "2026-11-23", "--deny-warnings"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("No problems found."), "{stdout}");
    // An override by id is said.
    assert!(
        stdout.contains(&format!(
            "note: {LOCAL}/contacts.json replaces the built-in contact `citizens_advice`"
        )),
        "{stdout}"
    );
    let (code, stdout, stderr) = signpost(&[
        "walk",
        &format!("{LOCAL}/housing.json"),
        "-a",
        "written=no",
        "--today",
        "2026-11-23",
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    // A local contact, a local override, a built-in contact and a local letter.
    for want in [
        "Housing Law Line",
        "Citizens Advice (our local office)",
        "Family Rights Group advice line",
        "ASKING MY HOUSING OFFICER FOR HELP",
    ] {
        assert!(stdout.contains(want), "{want}: {stdout}");
    }
    // A built-in letter still comes with a local letters/ folder.
    let (code, stdout, _) = signpost(&[
        "walk",
        &format!("{LOCAL}/housing.json"),
        "-a",
        "written=yes",
        "--today",
        "2026-11-23",
    ]);
    assert_eq!(code, Some(0));
    assert!(
        stdout
            .to_lowercase()
            .contains("asking for mistakes of fact to be corrected"),
        "{stdout}"
    );
    // The local glossary term is known to the library.
    let lib = common::library(std::path::Path::new(LOCAL));
    assert!(lib.glossary().contains_key("housing_officer"));
    assert!(lib.glossary().contains_key("core_group"));
}

#[test]
fn hints_name_the_folder_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join(LOCAL).join("housing.json"))
        .unwrap()
        .replace("\"housing_request\"", "\"housing_reqest_letter\"")
        .replace("\"housing_law_line\"", "\"nobody_like_this\"");
    std::fs::write(dir.path().join("housing.json"), text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let folder = dir.path().display().to_string();
    assert!(
        stdout.contains(&format!("add {folder}/letters/housing_reqest_letter.md")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("add the organisation to {folder}/contacts.json")),
        "{stdout}"
    );
    assert!(!stdout.contains("trees/letters"), "{stdout}");
}

#[test]
fn checking_one_shipped_tree_does_not_call_shared_data_unused() {
    let (code, stdout, _) = signpost(&[
        "check",
        "trees/complaints.json",
        "--today",
        "2026-11-23",
        "--deny-warnings",
    ]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(!stdout.contains("W101"), "{stdout}");
}

#[test]
fn check_of_the_built_in_trees_and_of_the_trees_folder_agree() {
    let (a_code, a, _) = signpost(&["check", "--today", "2026-11-23", "--format", "json"]);
    let (b_code, b, _) = signpost(&[
        "check",
        "trees",
        "--today",
        "2026-11-23",
        "--format",
        "json",
    ]);
    assert_eq!(a_code, b_code);
    assert_eq!(a, b);
    // Far in the future every date is stale: both say so, about the same entries.
    let (_, a, _) = signpost(&["check", "--today", "2030-01-01"]);
    let (_, b, _) = signpost(&["check", "trees", "--today", "2030-01-01"]);
    assert!(
        a.contains("warning[W102]") && a.contains("trees/contacts.json"),
        "{a}"
    );
    assert_eq!(a, b);
}

#[test]
fn copied_letters_and_contacts_do_not_warn() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root().join("trees");
    std::fs::copy(root.join("support.json"), dir.path().join("support.json")).unwrap();
    std::fs::write(
        dir.path().join("pack.json"),
        signpost::files::extending_manifest("support-copy"),
    )
    .unwrap();
    std::fs::copy(root.join("contacts.json"), dir.path().join("contacts.json")).unwrap();
    std::fs::copy(root.join("glossary.json"), dir.path().join("glossary.json")).unwrap();
    std::fs::create_dir(dir.path().join("letters")).unwrap();
    for f in std::fs::read_dir(root.join("letters")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), dir.path().join("letters").join(f.file_name())).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["check", "--today", "2026-11-23", "--deny-warnings"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("note:"), "{stdout}");
}

/// W112: the published bank holidays end with 2027; the list was checked on 2026-11-20. Within
/// three months of that check nothing is said; in March 2027 the check is stale and the list
/// ends within a year, so `check` asks for it to be refreshed, pointing at the file. A single
/// tree checked on its own is not told about the shared file.
#[test]
fn check_warns_when_the_published_bank_holidays_are_running_out() {
    let (_, fresh, _) = signpost(&["check", "trees", "--today", "2026-12-07"]);
    assert!(!fresh.contains("W112"), "{fresh}");
    let (code, stale, _) =
        signpost(&["check", "trees", "--today", "2027-03-01", "--deny-warnings"]);
    assert_eq!(code, Some(1), "{stale}");
    assert!(
        stale.contains("[W112]")
            && stale.contains("trees/bank-holidays.json")
            && stale.contains("end with 2027"),
        "{stale}"
    );
    let (_, one, _) = signpost(&["check", "trees/complaints.json", "--today", "2027-03-01"]);
    assert!(!one.contains("W112"), "{one}");
}
