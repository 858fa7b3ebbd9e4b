//! The authoring toolkit: lints, the committed schema, fmt, new, graph focus and scenario runs.

use crate::common;

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_signpost"))
}

fn lint_fixtures() -> Vec<(String, std::path::PathBuf)> {
    common::fixture_dirs("tests/fixtures/lint")
}

#[test]
fn every_lint_has_a_fixture_that_reports_it() {
    let names: Vec<String> = lint_fixtures()
        .into_iter()
        .map(|(n, _)| n[..4].to_string())
        .collect();
    for (code, _) in signpost::lint::LINTS {
        assert!(
            names.iter().any(|n| n == code),
            "no fixture under tests/fixtures/lint for {code}"
        );
    }
    let root = format!("{}/", common::root().display());
    for (name, path) in lint_fixtures() {
        let code = &name[..4];
        // Warnings alone pass...
        let out = bin()
            .args(["check", "--today", "2026-11-23"])
            .arg(&path)
            .output()
            .unwrap();
        let human = String::from_utf8_lossy(&out.stdout).replace(&root, "");
        assert_eq!(out.status.code(), Some(0), "{name}: {human}");
        assert!(
            human.contains(&format!("warning[{code}]")),
            "{name}: {human}"
        );
        insta::assert_snapshot!(format!("lint_{name}_human"), human);
        // ...and fail with --deny-warnings.
        let denied = bin()
            .args(["check", "--today", "2026-11-23", "--deny-warnings"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(denied.status.code(), Some(1), "{name}");
        let json = bin()
            .args(["check", "--today", "2026-11-23", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        let json = String::from_utf8_lossy(&json.stdout).replace(&root, "");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == code && d["severity"] == "warning"));
        insta::assert_snapshot!(format!("lint_{name}_json"), json);
    }
}

#[test]
fn invalid_fixtures_have_json_snapshots_too() {
    let root = format!("{}/", common::root().display());
    let mut dirs: Vec<_> = std::fs::read_dir(common::root().join("tests/fixtures/invalid"))
        .unwrap()
        .filter_map(|e| e.ok())
        .collect();
    dirs.sort_by_key(|e| e.file_name());
    for d in dirs {
        let name = d.file_name().to_string_lossy().to_string();
        let out = bin()
            .args(["check", "--format", "json"])
            .arg(d.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let json = String::from_utf8_lossy(&out.stdout).replace(&root, "");
        insta::assert_snapshot!(format!("check_{name}_json"), json);
    }
}

#[test]
fn shipped_trees_pass_check_with_warnings_denied() {
    let out = bin()
        .args(["check", "trees", "--deny-warnings", "--today", "2026-11-23"])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_committed_schema_is_current() {
    let committed = std::fs::read_to_string(common::root().join("docs/tree.schema.json")).unwrap();
    assert_eq!(
        committed.trim(),
        signpost::cli::schema_json().trim(),
        "docs/tree.schema.json is stale: run `cargo run -q -- schema > docs/tree.schema.json`"
    );
    // Hover text for editors comes from the doc comments.
    assert!(committed.contains("Which dates are allowed"));
}

#[test]
fn fmt_is_idempotent_and_keeps_the_meaning_of_every_shipped_file() {
    // A one-line array that would be too long goes back to one item a line; one that fits,
    // with a string holding brackets and commas, goes on one line.
    let tree = format!(
        r#"{{"format": 1, "id": "t", "title": "T [a, b]", "jurisdictions": ["england", "wales"], "reviewed": "2026-01-01", "start": "o", "nodes": [{{"id": "o", "type": "outcome", "advice": ["{}", "b"]}}]}}"#,
        "a".repeat(120)
    );
    let formatted = signpost::scaffold::format_file("t.json", &tree).unwrap();
    assert!(
        formatted.contains("\"jurisdictions\": [\"england\", \"wales\"]"),
        "{formatted}"
    );
    assert!(formatted.contains("\"title\": \"T [a, b]\""), "{formatted}");
    assert!(formatted.contains("\"advice\": [\n"), "{formatted}");
    assert!(
        formatted
            .lines()
            .all(|l| l.len() <= 100 || l.contains(&"a".repeat(120))),
        "{formatted}"
    );
    assert_eq!(
        signpost::scaffold::format_file("t.json", &formatted).unwrap(),
        formatted
    );
    for f in std::fs::read_dir(common::root().join("trees"))
        .unwrap()
        .filter_map(|e| e.ok())
    {
        let path = f.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.to_string_lossy().to_string();
        let once = signpost::scaffold::format_file(&name, &text).unwrap();
        let twice = signpost::scaffold::format_file(&name, &once).unwrap();
        assert_eq!(once, twice, "{name}: fmt is not idempotent");
        // Same meaning: both read back to the same typed value.
        let a: serde_json::Value =
            serde_json::from_str(&signpost::scaffold::format_file(&name, &text).unwrap()).unwrap();
        let b: serde_json::Value = serde_json::from_str(&once).unwrap();
        assert_eq!(a, b);
    }
}

#[test]
fn shipped_trees_are_in_canonical_form() {
    let out = bin()
        .args(["fmt", "--check", "trees"])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "run `signpost fmt trees`: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn fmt_keeps_what_a_tree_says() {
    let lib_before = common::embedded();
    let mut inputs = signpost::files::embedded();
    for t in &mut inputs.trees {
        t.text = signpost::scaffold::format_file(&t.path, &t.text).unwrap();
    }
    let lib_after = signpost::compile::compile(&inputs)
        .library
        .expect("formatted trees compile");
    // The tree reads the same after formatting, node for node. Walks are a pure function of the
    // tree, the library's shared data (untouched by fmt) and today, so equal trees walk the same;
    // walking every path twice here only repeated the paths test (minutes on 2 cores).
    for (id, flow) in lib_before.flows() {
        assert_eq!(
            serde_json::to_value(flow.tree()).unwrap(),
            serde_json::to_value(lib_after.flow(id).unwrap().tree()).unwrap(),
            "{id}"
        );
        assert_eq!(
            flow.tree().nodes.len(),
            lib_after.flow(id).unwrap().tree().nodes.len()
        );
    }
}

#[test]
fn new_writes_a_tree_that_passes_check_with_warnings_denied() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["new", "housing-help"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("tree.schema.json").exists());
    let text = std::fs::read_to_string(dir.path().join("housing-help.json")).unwrap();
    assert!(text.contains("\"$schema\": \"tree.schema.json\""));
    let check = bin()
        .args(["check", "housing-help.json", "--deny-warnings"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let fmt = bin()
        .args(["fmt", "--check", "housing-help.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(fmt.status.code(), Some(0), "new writes canonical JSON");
    // Formatting the whole folder leaves the schema beside the tree alone (issue 21 part 5).
    let folder = bin()
        .args(["fmt", "--check", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        folder.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&folder.stderr)
    );
    // Short lists of plain values are on one line; lists of objects are not.
    assert!(text.contains("\"jurisdictions\": [\""), "{text}");
    assert!(text.contains("\"nodes\": [\n"), "{text}");
    // It refuses to overwrite.
    let again = bin()
        .args(["new", "housing-help"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn graph_focus_draws_only_what_leads_to_and_from_a_node() {
    let path = common::root().join("tests/fixtures/valid/main.json");
    let all = bin()
        .args(["graph", "--format", "mermaid"])
        .arg(&path)
        .output()
        .unwrap();
    let all = String::from_utf8_lossy(&all.stdout).to_string();
    assert!(all.contains("nation<br/>") && all.contains("run_sub"));
    let focus = bin()
        .args(["graph", "--format", "dot", "--focus", "run_sub"])
        .arg(&path)
        .output()
        .unwrap();
    let focus = String::from_utf8_lossy(&focus.stdout).to_string();
    assert!(
        focus.contains("run_sub") && focus.contains("route") && focus.contains("done"),
        "{focus}"
    );
    assert!(
        focus.contains("shape=component"),
        "flow nodes have their own shape"
    );
    // `children` leads to run_sub, so it stays; nothing is dropped that leads there.
    assert!(focus.contains("children"));
    let bad = bin()
        .args(["graph", "--focus", "nowhere"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn signpost_test_reports_like_a_test_runner() {
    let out = bin()
        .arg("test")
        .current_dir(common::root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.lines().any(|l| l.ends_with(" passed, 0 failed")),
        "{text}"
    );
    // A failing scenario fails the run.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wrong.json"),
        r#"{"description": "expects a step that is not there", "today": "2025-02-28", "answers": {"nation": "wales"}, "expect": {"steps": ["start.no_such_step"]}}"#,
    )
    .unwrap();
    let out = bin().arg("test").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("0 passed, 1 failed") && text.contains("start.no_such_step"),
        "{text}"
    );
    // So does an answer for a question the walk never reaches: the scenario is not the
    // situation it says (issue 21 part 5).
    std::fs::write(
        dir.path().join("wrong.json"),
        r#"{"description": "answers a question Wales is not asked", "today": "2025-02-28", "answers": {"nation": "wales", "relationship": "birth_mother"}, "expect": {}}"#,
    )
    .unwrap();
    let out = bin().arg("test").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("the answer for `relationship` is for a question not on this path"),
        "{text}"
    );
}

#[test]
fn coverage_says_what_the_examples_reach() {
    let out = bin()
        .args(["paths", "--coverage", "--today", "2025-02-28"])
        .arg(common::root().join("tests/fixtures/lint/W107-unreached-arm/tree.json"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("branch arms taken:  1/2"), "{text}");
    assert!(
        text.contains("arm `sent and working_days(sent, today) > 10` of late is never taken"),
        "{text}"
    );
}

#[test]
fn every_code_is_documented() {
    let doc = std::fs::read_to_string(common::root().join("docs/diagnostics.md")).unwrap();
    for (code, _) in signpost::diagnostics::CODES
        .iter()
        .chain(signpost::lint::LINTS)
    {
        assert!(
            doc.contains(&format!("## {code}")),
            "docs/diagnostics.md does not document {code}"
        );
    }
}

/// docs/authoring.md's walkthrough, run as written in an empty folder: every `$ signpost` line
/// must succeed, and the files it says to save are saved first.
#[test]
fn the_authoring_walkthrough_works_as_written() {
    let doc = std::fs::read_to_string(common::root().join("docs/authoring.md")).unwrap();
    let start = doc
        .find("## From an empty folder")
        .expect("walkthrough section");
    let section = &doc[start
        ..doc[start..]
            .find("### Scenario files")
            .map_or(doc.len(), |e| start + e)];
    let dir = tempfile::tempdir().unwrap();
    let mut pending_file: Option<String> = None;
    let mut in_json = false;
    let mut json = String::new();
    let mut ran = 0;
    // An edit: "```text edit:FILE" holds the text to replace, the next "```text with" block
    // what replaces it.
    let mut edit_file: Option<String> = None;
    let mut in_edit: Option<&str> = None;
    let mut old_text = String::new();
    let mut new_text = String::new();
    let mut edits = 0;
    for line in section.lines() {
        if let Some(file) = line.strip_prefix("```text edit:") {
            edit_file = Some(file.to_string());
            in_edit = Some("old");
            old_text.clear();
            continue;
        }
        if line == "```text with" {
            in_edit = Some("new");
            new_text.clear();
            continue;
        }
        if let Some(part) = in_edit {
            if line == "```" {
                in_edit = None;
                if part == "new" {
                    let file = edit_file
                        .take()
                        .expect("a `with` block follows an `edit:` block");
                    let path = dir.path().join(&file);
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert_eq!(
                        text.matches(&old_text).count(),
                        1,
                        "docs/authoring.md: the text to replace in {file} must appear once:\n{old_text}"
                    );
                    std::fs::write(&path, text.replacen(&old_text, &new_text, 1)).unwrap();
                    edits += 1;
                }
            } else {
                let buf = if part == "old" {
                    &mut old_text
                } else {
                    &mut new_text
                };
                buf.push_str(line);
                buf.push('\n');
            }
            continue;
        }
        if let Some(rest) =
            line.strip_prefix("Write down what the advice must say in a scenario. Save this as `")
        {
            pending_file = rest.split('`').next().map(str::to_string);
        }
        if line == "```json" {
            in_json = true;
            json.clear();
            continue;
        }
        if in_json {
            if line == "```" {
                in_json = false;
                let name = pending_file
                    .take()
                    .expect("a json block says where to save it");
                let path = dir.path().join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, &json).unwrap();
            } else {
                json.push_str(line);
                json.push('\n');
            }
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ signpost ") {
            let args: Vec<&str> = cmd.split_whitespace().collect();
            let out = bin().args(&args).current_dir(dir.path()).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "`signpost {cmd}` failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 13, "only {ran} commands found");
    assert_eq!(
        edits, 3,
        "the title, the new option and the pack's service name"
    );
    // "Your first pack": the service's name is the one the walkthrough gave it.
    let pack = std::fs::read_to_string(dir.path().join("pack.json")).unwrap();
    assert!(pack.contains("\"service\": \"Can I return it?\""), "{pack}");
    // The edits took: the copy has its own title and the new answer.
    let copy = std::fs::read_to_string(dir.path().join("my-trees/complaints.json")).unwrap();
    assert!(copy.contains("\"title\": \"Complain about children's services in Sefton\""));
    let graph = bin()
        .args(["graph", "my-trees/complaints.json", "--format", "mermaid"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let graph = String::from_utf8_lossy(&graph.stdout);
    assert!(
        graph.contains("I am the child's advocate or another professional"),
        "{graph}"
    );
}

#[test]
fn the_mermaid_diagrams_of_the_shipped_trees_are_current() {
    // In a page of their own (issue 21 part 5), so the authoring guide stays short.
    let doc = std::fs::read_to_string(common::root().join("docs/trees.md")).unwrap();
    let lib = common::embedded();
    for (id, flow) in lib.flows() {
        let block = format!(
            "<!-- mermaid:{id} -->\n```mermaid\n{}```\n<!-- /mermaid -->",
            signpost::graph::mermaid(flow, None)
        );
        assert!(doc.contains(&block), "docs/trees.md: the diagram of `{id}` is missing or stale; regenerate it with `signpost graph trees/{id}.json --format mermaid`");
    }
}

/// docs/authoring.md's example of a fact asked on some paths only: it passes `check` with its
/// `is defined` guards, walks both ways, and without the guard it is E017.
#[test]
fn the_is_defined_example_in_the_authoring_guide_works() {
    let doc = std::fs::read_to_string(common::root().join("docs/authoring.md")).unwrap();
    let start = doc
        .find("### Facts asked on some paths only")
        .expect("the section is there");
    let from = start + doc[start..].find("```json\n").expect("a json block") + 8;
    let json = &doc[from..from + doc[from..].find("```").expect("block ends")];
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("letter-check.json");
    std::fs::write(&tree, json).unwrap();
    let run = |args: &[&str]| {
        let out = bin().args(args).current_dir(dir.path()).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, out) = run(&[
        "check",
        "letter-check.json",
        "--deny-warnings",
        "--today",
        "2026-11-23",
    ]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run(&[
        "walk",
        "letter-check.json",
        "-a",
        "wrote=no",
        "--today",
        "2026-11-23",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("Write to the council and keep a copy."),
        "{out}"
    );
    let (code, out) = run(&[
        "walk",
        "letter-check.json",
        "-a",
        "wrote=yes",
        "-a",
        "sent_on=2026-10-01",
        "--today",
        "2026-11-23",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("You wrote on Thursday 1 October 2026."),
        "{out}"
    );

    let unguarded = json.replace("sent_on is defined and ", "");
    assert_ne!(unguarded, json);
    std::fs::write(&tree, unguarded).unwrap();
    let (code, out) = run(&["check", "letter-check.json", "--today", "2026-11-23"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("E017") && out.contains("wrote -> check"),
        "{out}"
    );
}

// Computed facts (`let`), a tree's `share` and snippets, on tests/fixtures/computed: a notice
// tree that computes whether the notice is too short and hands `is_tenant` to a module.

fn computed_walk(
    lib: &signpost::compile::Library,
    answers: &[(&str, &str)],
) -> signpost::summary::Summary {
    let answers: Vec<(String, String)> = answers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let today = signpost::calendar::parse_iso("2026-11-25").unwrap();
    let s = signpost::scenario::walk(lib, "notice", today, &answers).expect("walks");
    signpost::summary::build(&s)
}

#[test]
fn computed_facts_work_in_rules_texts_letters_and_the_trees_they_are_shared_with() {
    let lib = common::library(std::path::Path::new("tests/fixtures/computed"));
    let sum = computed_walk(
        &lib,
        &[
            ("tenure", "private"),
            ("served", "yes"),
            ("served_on", "2026-11-20"),
        ],
    );
    let step = |id: &str| sum.steps.iter().find(|s| s.id == id);
    let challenge = step("notice.challenge").expect("the rule reading `short_notice` fired");
    // A computed text, and a snippet, in the body.
    assert!(
        challenge.body.contains("too soon to leave your home."),
        "{}",
        challenge.body
    );
    assert!(challenge
        .body
        .contains("Your council may do this differently"));
    // "Because you said" names the answers the computed fact rests on, not its name.
    assert_eq!(
        challenge.because,
        ["\"Friday 20 November 2026\"", "\"A private landlord\""],
        "{:?}",
        challenge.because
    );
    // The module reads the computed fact it was handed, and its reason is still the answer.
    let repairs = step("repairs.repairs").expect("the module reads the shared computed fact");
    assert_eq!(repairs.because, ["\"A private landlord\""]);
    // A letter reads a computed fact too, and includes the snippets of the step's tree.
    let letter = signpost::render::text(&sum);
    assert!(
        letter.contains("working days ago, while I am your tenant."),
        "{letter}"
    );
    assert!(
        sum.letters[0]
            .body
            .ends_with("Your council may do this differently, so check with them."),
        "{}",
        sum.letters[0].body
    );

    // An owner: no computed fact is true, no step.
    let sum = computed_walk(&lib, &[("tenure", "owner")]);
    assert!(sum.steps.is_empty(), "{:?}", sum.steps);
    // Notice given long ago: not short.
    let sum = computed_walk(
        &lib,
        &[
            ("tenure", "council"),
            ("served", "yes"),
            ("served_on", "2026-10-01"),
        ],
    );
    let ids: Vec<&str> = sum.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["repairs.repairs"]);
}

#[test]
fn paths_and_explain_show_computed_facts() {
    let dir = common::root().join("tests/fixtures/computed");
    let out = bin()
        .arg("paths")
        .arg(dir.join("notice.json"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("computed: is_tenant = true, notice_invalid = false, short_notice = false, your_home = your home"),
        "{text}"
    );
    let out = bin()
        .args(["explain", "is_tenant"])
        .arg(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("computes it: tenure in ['private', 'council']"),
        "{text}"
    );
    assert!(text.contains("carries it into `repairs`"), "{text}");
    assert!(
        text.contains("computed fact `short_notice`: is_tenant and notice_invalid"),
        "{text}"
    );
}

/// The notice tree with `change` applied to its JSON, compiled with the fixture's module.
fn computed_variant(change: impl FnOnce(&mut serde_json::Value)) -> signpost::compile::Compiled {
    let dir = common::root().join("tests/fixtures/computed");
    let mut loaded = signpost::files::load(&dir).expect("loads");
    let tree = loaded
        .inputs
        .trees
        .iter_mut()
        .find(|t| t.path.ends_with("notice.json"))
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&tree.text).unwrap();
    change(&mut v);
    tree.text = serde_json::to_string_pretty(&v).unwrap();
    signpost::compile::compile(&loaded.inputs)
}

fn codes_and_help(c: &signpost::compile::Compiled) -> Vec<(String, String, String)> {
    c.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            (
                d.code.to_string(),
                d.pointer.clone(),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_computed_fact_is_checked_like_a_condition() {
    // Read where what it needs is not set on every path: E017, saying it is computed.
    let c = computed_variant(|v| {
        v["let"]["late"] = "served_on is not none and working_days(served_on, today) > 10".into();
        v["nodes"][3]["rules"][0]["when"] = "late".into();
        v["nodes"][3]["rules"][0]["advice"] = serde_json::json!([]);
    });
    let got = codes_and_help(&c);
    assert!(
        got.iter().any(|(code, p, help)| code == "E017"
            && p == "/nodes/3/rules/0/when"
            && help.contains("`late` is computed")
            && help.contains("`served_on`")),
        "{got:?}"
    );
    // Reads a fact nothing sets: E017 at the computed fact, with the nearest name.
    let c = computed_variant(|v| v["let"]["is_tenant"] = "tenur in ['private']".into());
    let got = codes_and_help(&c);
    assert!(
        got.iter().any(|(code, p, help)| code == "E017"
            && p == "/let/is_tenant"
            && help.contains("did you mean `tenure`?")),
        "{got:?}"
    );
    // A date read without checking it is known: E029; an option's label: E026.
    let c = computed_variant(|v| {
        v["let"]["notice_invalid"] = "working_days(served_on, today) < 10".into();
        v["let"]["is_tenant"] = "tenure == 'A private landlord'".into();
    });
    let got: Vec<(String, String)> = codes_and_help(&c)
        .into_iter()
        .map(|(code, p, _)| (code, p))
        .collect();
    assert!(
        got.contains(&("E029".into(), "/let/notice_invalid".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("E026".into(), "/let/is_tenant".into())),
        "{got:?}"
    );
    // A module's input no flow node or tree `share` hands it: E028.
    let c = computed_variant(|v| v["share"] = serde_json::json!(["tenure"]));
    assert!(codes_and_help(&c).iter().any(|(code, ..)| code == "E028"));
}
