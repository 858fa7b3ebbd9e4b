//! Every worked example in docs/reference.md runs as written: the fenced blocks tagged
//! `reference:...` are compiled (data files with the example tree) or evaluated (expressions and
//! templates, each compared with the result written beside it).

use crate::common;

use std::collections::BTreeMap;

use signpost::compile::{compile, Inputs, Local, SourceFile};

/// The fenced blocks of docs/reference.md tagged `reference:NAME`, in order, as (NAME, text).
/// Fences may be indented (inside a list); the indent is taken off each line.
fn blocks() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(common::root().join("docs/reference.md")).unwrap();
    let mut out = Vec::new();
    let mut current: Option<(String, usize, String)> = None;
    for line in doc.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut current {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    if let Some(tag) = info
                        .split_whitespace()
                        .find_map(|w| w.strip_prefix("reference:"))
                    {
                        current = Some((tag.to_string(), indent, String::new()));
                    }
                }
            }
            Some((tag, ind, text)) => {
                if trimmed == "```" {
                    out.push((tag.clone(), text.clone()));
                    current = None;
                } else {
                    text.push_str(line.get(*ind..).unwrap_or(line.trim_start()));
                    text.push('\n');
                }
            }
        }
    }
    assert!(
        current.is_none(),
        "an unclosed example block in docs/reference.md"
    );
    out
}

fn block(name: &str) -> String {
    let found: Vec<String> = blocks()
        .into_iter()
        .filter(|(t, _)| t == name)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one `reference:{name}` block in docs/reference.md"
    );
    found.into_iter().next().unwrap_or_default()
}

fn file(path: &str, text: String) -> SourceFile {
    SourceFile {
        path: path.to_string(),
        text,
    }
}

/// The example tree with the example contacts, glossary and letter laid over the built-in data.
fn example_inputs() -> Inputs {
    let mut inputs = signpost::files::embedded();
    inputs.trees = vec![file("housing.json", block("tree"))];
    let letters = blocks()
        .into_iter()
        .filter_map(|(t, b)| {
            let id = t.strip_prefix("letter:")?.to_string();
            Some(file(&format!("letters/{id}.md"), b))
        })
        .collect();
    inputs.local = Local {
        folder: Some("example".into()),
        contacts: Some(file("contacts.json", block("contacts"))),
        glossary: Some(file("glossary.json", block("glossary"))),
        audiences: Some(file("audiences.json", block("audiences"))),
        letters,
        pack: None,
    };
    inputs
}

#[test]
fn the_data_file_examples_compile_with_the_example_tree() {
    let compiled = compile(&example_inputs());
    let lib = compiled.library.unwrap_or_else(|| {
        panic!(
            "the reference examples do not compile:\n{}",
            signpost::report::human(&compiled.diagnostics)
        )
    });
    assert!(lib.contacts().contains_key("housing_law_line"));
    assert!(lib.glossary().contains_key("housing_officer"));
    assert!(lib.letters().contains_key("housing_request"));
    assert_eq!(
        lib.audiences()["tenant"].label,
        "someone who rents their home"
    );
    // The letter and contact reach the summary of a walk that adds the advice.
    let answers = vec![
        ("written".to_string(), "yes".to_string()),
        ("wrote_on".to_string(), "2025-01-06".to_string()),
    ];
    let session =
        signpost::scenario::walk(&lib, "housing", common::today(), &answers).expect("walks");
    let s = signpost::summary::build(&session);
    assert!(s.contacts.iter().any(|c| c.id == "housing_law_line"));
    let text = signpost::render::text(&s);
    assert!(
        text.contains("I wrote to you on Monday 6 January 2025"),
        "{text}"
    );
    assert!(text.contains("[name of your housing officer]"), "{text}");

    // The bank-holiday example is a calendar the same tree compiles with.
    let mut inputs = example_inputs();
    inputs.holidays = file("bank-holidays.json", block("bank-holidays"));
    let compiled = compile(&inputs);
    assert!(
        compiled.library.is_some(),
        "{}",
        signpost::report::human(&compiled.diagnostics)
    );
}

#[test]
fn the_start_flow_example_adds_a_tree_to_start() {
    let start: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("trees/start.json")).unwrap(),
    )
    .unwrap();
    let mut start = start;
    let option: serde_json::Value = serde_json::from_str(&block("start-option")).unwrap();
    let nodes: Vec<serde_json::Value> = serde_json::from_str(&block("start-nodes")).unwrap();
    let list = start["nodes"].as_array_mut().expect("nodes");
    let questions = list
        .iter_mut()
        .find(|n| n["id"] == "questions")
        .expect("start asks which questions the person has");
    // Step 1: the option. Step 3: `questions` goes to the new branch first.
    questions["options"]
        .as_array_mut()
        .expect("options")
        .push(option);
    assert_eq!(questions["next"], "process", "the doc says it was process");
    questions["next"] = "run_housing".into();
    // Step 2: the two nodes.
    list.extend(nodes);

    let mut inputs = example_inputs();
    // Run from start, the housing tree is a module, and a module's items may only name audiences
    // decided on the triage's facts; the doc's housing audiences read the housing tree's own
    // `written`, so here its items are for everyone and the built-in audiences apply.
    for t in &mut inputs.trees {
        t.text = t
            .text
            .replace("\"written_already\"", "\"everyone\"")
            .replace("\"tenant\"", "\"everyone\"");
    }
    inputs.audiences = file(
        "audiences.json",
        std::fs::read_to_string(common::root().join("trees/audiences.json")).unwrap(),
    );
    let text = serde_json::to_string_pretty(&start).unwrap();
    inputs.trees.push(file("start.json", text));
    // Step 1 again: the new question's phrasings, beside the built-in ones.
    let mut questions: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("trees/questions.json")).unwrap(),
    )
    .unwrap();
    let words: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&block("start-question-words")).unwrap();
    questions["questions"]
        .as_object_mut()
        .expect("questions")
        .extend(words);
    inputs.questions = Some(file(
        "questions.json",
        serde_json::to_string_pretty(&questions).unwrap(),
    ));
    for t in signpost::files::embedded().trees {
        if !t.path.ends_with("/start.json") {
            inputs.trees.push(t);
        }
    }
    let compiled = compile(&inputs);
    let lib = compiled.library.unwrap_or_else(|| {
        panic!(
            "start with the new tree does not compile:\n{}",
            signpost::report::human(&compiled.diagnostics)
        )
    });
    // A scenario's answers (tests/scenarios/answers-none-asked.json), ticking the new option.
    let answers: Vec<(String, String)> = [
        ("nation", "england"),
        ("relationship", "birth_mother"),
        ("position", "none"),
        ("legal", "cin_plan"),
        ("lives_with", "me"),
        ("children", "one"),
        ("age", "age_1_9"),
        ("concerns", "neglect"),
        ("police", "none"),
        ("complaint", "none"),
        ("own_question", ""),
        ("questions", "q_housing"),
        ("written", "no"),
        ("first_contact_date", "unknown"),
        ("asked_to", "none"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let session = signpost::scenario::walk(&lib, "start", common::today(), &answers)
        .expect("the new tree is run from start");
    assert!(session
        .trace()
        .nodes
        .iter()
        .any(|n| n.tree == "housing" && n.node == "written"));
}

/// The facts the expression examples are evaluated with (docs/reference.md says which).
fn facts() -> BTreeMap<String, minijinja::Value> {
    let mut f = BTreeMap::new();
    f.insert("sent_on".into(), minijinja::Value::from("2025-02-03"));
    f.insert("today".into(), minijinja::Value::from("2025-02-28"));
    f.insert("reply".into(), minijinja::Value::from("none"));
    f.insert(
        "wants".into(),
        minijinja::Value::from(vec!["complain".to_string(), "support".to_string()]),
    );
    f.insert("children".into(), minijinja::Value::from(3));
    f.insert("name".into(), minijinja::Value::from("Sam Smith"));
    f
}

#[test]
fn every_expression_and_template_example_gives_the_result_written_beside_it() {
    let lib = common::embedded();
    let facts = facts();
    let mut checked = 0;
    for (tag, text) in blocks() {
        let template = match tag.as_str() {
            "expressions" => false,
            "templates" => true,
            _ => continue,
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (source, want) = line
                .split_once("  =>  ")
                .unwrap_or_else(|| panic!("`{line}` should read `expression  =>  result`"));
            let src = if template {
                source.to_string()
            } else {
                format!("{{{{ {source} }}}}")
            };
            // A condition is evaluated as `when` is; anything else is put into text.
            let got = if !template && (want == "true" || want == "false") {
                lib.expr()
                    .eval_condition(source, &facts)
                    .map(|b| b.to_string())
            } else {
                lib.expr().render(&src, &facts)
            }
            .unwrap_or_else(|e| panic!("`{source}` does not evaluate: {e}"));
            assert_eq!(got, want, "docs/reference.md: `{source}`");
            // And the same checks as in a tree: it parses.
            let parsed = if template {
                lib.expr().check_template(source)
            } else {
                lib.expr().check_expression(source)
            };
            assert!(parsed.is_ok(), "`{source}`: {parsed:?}");
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} examples found");
    // Every function the language has is shown at least once.
    let doc = std::fs::read_to_string(common::root().join("docs/reference.md")).unwrap();
    for f in signpost::expr::FUNCTIONS {
        assert!(
            doc.contains(&format!("{f}(")),
            "docs/reference.md has no example of `{f}`"
        );
    }
}

/// docs/reference.md has a row for every field of the tree format (issue 21 part 5): every
/// property anywhere in the committed schema (which `authoring` keeps equal to the code's) is
/// a "| `name` |" row, and each object's rows are under the heading for that object.
#[test]
fn the_reference_documents_every_field_of_the_tree_format() {
    let root = common::root();
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("docs/tree.schema.json")).unwrap())
            .unwrap();
    let reference = std::fs::read_to_string(root.join("docs/reference.md")).unwrap();
    let section = {
        let start = reference
            .find("## Tree files: every field")
            .expect("a section on the tree format's fields");
        let rest = &reference[start + 3..];
        &rest[..rest.find("\n## ").unwrap_or(rest.len())]
    };
    fn props(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::Object(p)) = m.get("properties") {
                    out.extend(p.keys().cloned());
                }
                m.values().for_each(|x| props(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| props(x, out)),
            _ => {}
        }
    }
    let mut names = std::collections::BTreeSet::new();
    props(&schema, &mut names);
    let missing: Vec<_> = names
        .iter()
        .filter(|n| {
            !section.contains(&format!("| `{n}` |")) && !["id", "type"].contains(&n.as_str())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "fields with no row in docs/reference.md: {missing:?}"
    );
    for node_type in [
        "choice", "multi", "date", "number", "text", "info", "branch", "advise", "outcome", "flow",
    ] {
        assert!(
            section.contains(&format!("#### `{node_type}`")),
            "{node_type}"
        );
    }
}
