//! Every broken fixture makes `check` fail with its own code at the right place.

use crate::common;

use std::collections::BTreeMap;
use std::process::Command;

use signpost::compile::compile;
use signpost::files;

fn fixtures() -> Vec<(String, std::path::PathBuf)> {
    common::fixture_dirs("tests/fixtures/invalid")
}

#[test]
fn every_code_has_a_fixture() {
    let names: Vec<String> = fixtures()
        .into_iter()
        .map(|(n, _)| n[..4].to_string())
        .collect();
    for (code, _) in signpost::diagnostics::CODES {
        assert!(
            names.iter().any(|n| n == code),
            "no fixture under tests/fixtures/invalid for {code}"
        );
    }
}

#[test]
fn each_fixture_reports_its_code_with_a_location() {
    for (name, path) in fixtures() {
        let code = &name[..4];
        let loaded = files::load(&path).expect("fixture loads");
        let compiled = compile(&loaded.inputs);
        assert!(compiled.library.is_none(), "{name} compiled but should not");
        let own: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.file.starts_with(&*path.to_string_lossy()))
            .collect();
        let hit = own.iter().find(|d| d.code == code);
        let Some(d) = hit else {
            panic!("{name}: expected {code}, got {:#?}", own);
        };
        assert!(d.line > 0 && d.column > 0, "{name}: no location");
        assert!(
            !d.pointer.is_empty() || matches!(code, "E001" | "E023" | "E024"),
            "{name}: no pointer"
        );
        assert!(
            d.help.is_some() || matches!(code, "E018" | "E019" | "E021" | "E023" | "E016" | "E003"),
            "{name}: no hint"
        );

        // The human rendering, with the source line, is what an adviser reads: snapshot it.
        let mut texts = BTreeMap::new();
        for f in loaded.inputs.files() {
            texts.insert(f.path.clone(), f.text.clone());
        }
        let fixture_root = format!("{}/", common::root().display());
        let rendered = signpost::report::human_with_source(
            &own.into_iter().cloned().collect::<Vec<_>>(),
            &texts,
        )
        .replace(&fixture_root, "");
        insta::assert_snapshot!(format!("check_{name}"), rendered);
    }
}

#[test]
fn check_exits_1_on_each_fixture_and_0_on_a_good_tree() {
    let bin = env!("CARGO_BIN_EXE_signpost");
    for (name, path) in fixtures() {
        let out = Command::new(bin)
            .arg("check")
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&format!("error[{}]", &name[..4])),
            "{name}: {text}"
        );
    }
    let good = Command::new(bin)
        .arg("check")
        .arg(common::root().join("tests/fixtures/valid"))
        .output()
        .expect("runs");
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );
}

#[test]
fn check_json_has_the_documented_shape() {
    let bin = env!("CARGO_BIN_EXE_signpost");
    let path = common::root().join("tests/fixtures/invalid/E005-dangling-next");
    let out = Command::new(bin)
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = v["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "E005")
        .expect("E005 reported");
    for key in [
        "code", "severity", "file", "pointer", "line", "column", "message", "help",
    ] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
    assert_eq!(d["pointer"], "/nodes/0/options/1/next");
    assert_eq!(d["severity"], "error");
    assert!(
        d["help"].as_str().unwrap_or("").contains("`done`"),
        "suggests the nearest id: {d}"
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    // Two unrelated mistakes in one tree: both must be reported.
    let text = std::fs::read_to_string(
        common::root().join("tests/fixtures/invalid/E005-dangling-next/tree.json"),
    )
    .unwrap();
    let text = text
        .replace("\"Do a thing\"", "\"Do a thing\", \"colour\": \"red\"")
        .replace("\"next\": \"done\"", "\"next\": \"nowhere\"");
    let mut inputs = files::embedded();
    inputs.trees = vec![signpost::compile::SourceFile {
        path: "two.json".into(),
        text,
    }];
    let diags = compile(&inputs).diagnostics;
    let codes: Vec<&str> = diags
        .iter()
        .filter(|d| d.file == "two.json")
        .map(|d| d.code)
        .collect();
    assert!(codes.contains(&"E003"), "{codes:?}");
    assert!(
        codes.iter().filter(|c| **c == "E005").count() >= 2,
        "{codes:?}"
    );
}

#[test]
fn hostile_bytes_never_panic() {
    let mut inputs = files::embedded();
    for text in [
        "",
        "null",
        "[]",
        "{",
        "{\"format\": 1}",
        "{\"format\": \"1\"}",
        "\u{0}\u{1}",
        "{\"format\":1,\"nodes\":[{\"type\":\"choice\"}]}",
    ] {
        inputs.trees = vec![signpost::compile::SourceFile {
            path: "x.json".into(),
            text: text.into(),
        }];
        let c = compile(&inputs);
        assert!(c.library.is_none(), "{text:?} compiled");
        assert!(
            c.diagnostics.iter().any(|d| d.file == "x.json"),
            "{text:?} gave no diagnostic"
        );
    }
}

/// A mistake in a letter is shown in the letter file, at its line, with the advice item that
/// attaches it named in the message.
#[test]
fn a_mistake_in_a_letter_points_at_its_line_in_the_letter() {
    // Title on line 1, a blank line, then the body: line 5 has the misspelt filter.
    let (d, path) = letter_with(
        "# The notice\n\nTo: [your landlord]\n\nGiven on {{ served_on | long_dat }}.\n",
        str::to_string,
        "E025",
    );
    assert_eq!((d.file.as_str(), d.line), (path.as_str(), 5), "{d:?}");
    assert!(
        d.message.contains("/advice/challenge/letter"),
        "{}",
        d.message
    );

    let (d, path) = letter_with(
        "# The notice\nTo: [you]\n{% if is_tenant %}\nas your tenant\n{{ served_on \n",
        str::to_string,
        "E016",
    );
    assert_eq!(d.file, path);
    assert!(d.line >= 4, "points into the letter, not its title: {d:?}");
}

/// The computed fixture with its letter's text `letter` and `change` made to its notice tree:
/// the diagnostic with `code`, and the letter's path.
fn letter_with(
    letter: &str,
    change: impl Fn(&str) -> String,
    code: &str,
) -> (signpost::diagnostics::Diagnostic, String) {
    let mut loaded = files::load(&common::root().join("tests/fixtures/computed")).expect("loads");
    let tree = loaded
        .inputs
        .trees
        .iter_mut()
        .find(|t| t.path.ends_with("notice.json"))
        .expect("the fixture's tree");
    tree.text = change(&tree.text);
    let file = loaded
        .inputs
        .local
        .letters
        .iter_mut()
        .find(|l| l.path.ends_with("short_notice.md"))
        .expect("the fixture's letter");
    file.text = letter.into();
    let path = file.path.clone();
    let compiled = compile(&loaded.inputs);
    let d = compiled
        .diagnostics
        .into_iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code}"));
    (d, path)
}

/// The line and column (1-based, in characters) where `needle` first stands in `text`.
fn place_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle in text");
    let line = text[..at].matches('\n').count() + 1;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..at].chars().count() + 1)
}

/// The computed fixture with `change` made to its notice tree; the diagnostic with `code` and
/// the tree's text as compiled.
fn notice_with(
    change: impl Fn(&str) -> String,
    code: &str,
) -> (signpost::diagnostics::Diagnostic, String) {
    tree_with("tests/fixtures/computed", "notice.json", change, code)
}

fn tree_with(
    dir: &str,
    tree: &str,
    change: impl Fn(&str) -> String,
    code: &str,
) -> (signpost::diagnostics::Diagnostic, String) {
    let mut loaded = files::load(&common::root().join(dir)).expect("loads");
    let tree = loaded
        .inputs
        .trees
        .iter_mut()
        .find(|t| t.path.ends_with(tree))
        .expect("the tree");
    tree.text = change(&tree.text);
    let text = tree.text.clone();
    let compiled = compile(&loaded.inputs);
    let d = compiled
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", compiled.diagnostics))
        .clone();
    (d, text)
}

/// A mistake inside a text is reported at its own line and column in the JSON file, counting
/// the characters as the file holds them (an escape such as `\"` or `\u00e9` is several).
#[test]
fn a_text_error_points_at_the_place_in_the_string() {
    // An unknown fact in a placeholder, after escapes on the same line.
    let (d, text) = tree_with(
        "tests/fixtures/valid",
        "main.json",
        |t| {
            t.replace(
                "Today is {{ today | long_date }}.",
                r#"\"Today\" is {{ today | long_date }}, l\u00e9ave {{ your_hom }}."#,
            )
        },
        "E017",
    );
    assert_eq!((d.line, d.column), place_of(&text, "your_hom }}"), "{d:?}");
    // A filter the language does not have.
    let (d, text) = notice_with(
        |t| {
            t.replace(
                "{{ working_days(served_on, today) }}",
                r#"\"{{ served_on | long_dat }}\""#,
            )
        },
        "E025",
    );
    assert_eq!((d.line, d.column), place_of(&text, "long_dat"), "{d:?}");
    // A snippet the tree does not have.
    let (d, text) = notice_with(
        |t| {
            t.replace(
                r#""help": "{{ snippet.caveat_local }}""#,
                r#""help": "Note: {{ snippet.caveat_locl }}""#,
            )
        },
        "E036",
    );
    assert_eq!(
        (d.line, d.column),
        place_of(&text, "{{ snippet.caveat_locl"),
        "{d:?}"
    );
    // A text that does not parse.
    let (d, text) = notice_with(
        |t| {
            t.replace(
                "too soon to leave {{ your_home }}",
                "too soon {{ your_home }",
            )
        },
        "E016",
    );
    assert_eq!(d.line, place_of(&text, "{{ your_home }").0, "{d:?}");
    assert!(d.column > place_of(&text, "too soon {{").1, "{d:?}");
    // A control character, written as an escape.
    let (d, text) = notice_with(
        |t| t.replace("Who do you rent from?", r#"Who do you \u001b[2Jrent from?"#),
        "E027",
    );
    assert_eq!((d.line, d.column), place_of(&text, r"\u001b"), "{d:?}");
    // A condition: at the fact it reads.
    let (d, text) = notice_with(
        |t| {
            t.replace(
                r#""when": "short_notice""#,
                r#""when": "served and short_notic""#,
            )
        },
        "E017",
    );
    assert_eq!(
        (d.line, d.column),
        place_of(&text, "short_notic\""),
        "{d:?}"
    );
}

/// `{{ snippet.NAME }}` in a letter is checked with the tree whose advice attaches it: a name
/// that tree has no snippet for is E036 at its line and column in the letter file.
#[test]
fn an_unknown_snippet_in_a_letter_points_at_it_in_the_letter() {
    let (d, path) = letter_with(
        "# The notice\n\nTo: [your landlord]\n\nPlease note: {{ snippet.caveat_locl }}\n",
        str::to_string,
        "E036",
    );
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        (path.as_str(), 5, 14),
        "{d:?}"
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `caveat_local`?"));
    assert!(
        d.message.contains("/advice/challenge/letter"),
        "{}",
        d.message
    );
}

/// E017 for a fact an advice item's text reads is at the fact inside the item's body, where it
/// can be fixed, and names the node that adds the item.
#[test]
fn e017_for_an_advice_items_text_points_inside_its_body() {
    let (d, text) = notice_with(
        |t| {
            t.replace(
                r#"{"when": "short_notice", "next": "more", "advice": ["challenge"]}"#,
                r#"{"when": "is_tenant", "next": "more", "advice": ["challenge"]}"#,
            )
        },
        "E017",
    );
    assert_eq!(d.pointer, "/advice/challenge/body", "{d:?}");
    assert_eq!(
        (d.line, d.column),
        place_of(&text, "served_on, today) }} working days"),
        "{d:?}"
    );
    assert!(
        d.message
            .contains("added at node `check`, /nodes/3/rules/0/advice/0")
            && d.message.contains("reads `served_on`"),
        "{}",
        d.message
    );
}

/// A snippet with line breaks put into a letter does not move the lines of what follows it: a
/// mistake after it is still reported at its own line in the letter's file.
#[test]
fn a_mistake_after_a_snippet_with_line_breaks_is_at_its_line_in_the_letter() {
    // Title on line 1, a blank line, the snippet on line 3, the misspelt filter on line 5.
    let (d, path) = letter_with(
        "# The notice\n\n{{ snippet.caveat_local }}\n\nGiven on {{ served_on | long_dat }}.\n",
        |t| {
            t.replace(
                "\"caveat_local\": \"Your council",
                "\"caveat_local\": \"One.\\n\\nTwo.\\n\\nYour council",
            )
        },
        "E025",
    );
    assert_eq!((d.file.as_str(), d.line), (path.as_str(), 5), "{d:?}");
}
