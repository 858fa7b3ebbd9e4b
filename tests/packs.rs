//! Packs: a second pack of a different subject (tests/fixtures/packs/returns, an example
//! "can I return this?" flow, not advice) driven through every command and the wizard, with no
//! family-rights word on any screen, page, summary or letter (the web is in tests/web.rs); the
//! engine's own strings hold no family-rights words; layering over the built-in pack is only
//! by `extends`; `new` writes a neutral starter.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use jiff::civil::date;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

use signpost::compile::compile;
use signpost::files;
use signpost::tui::{perform, view, App};

const PACK: &str = "tests/fixtures/packs/returns";
const TREE: &str = "tests/fixtures/packs/returns/returns.json";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_signpost"))
}

fn run(args: &[&str]) -> (Output, String) {
    let out = bin()
        .args(args)
        .current_dir(common::root())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text)
}

/// Fails with the words found and the text they are in.
fn assert_neutral(what: &str, text: &str) {
    let found = common::family_words_in(text);
    assert!(
        found.is_empty(),
        "{what} shows family-rights words {found:?}:\n{text}"
    );
}

const ANSWERS: [&str; 6] = [
    "-a",
    "item=a kettle",
    "-a",
    "bought_on=1/2/2025",
    "-a",
    "state=faulty",
];

#[test]
fn every_command_on_the_returns_pack_speaks_only_of_returns() {
    let mut outputs: Vec<(String, String)> = Vec::new();
    let (out, text) = run(&["check", PACK, "--today", "2026-11-23", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    outputs.push(("check".into(), text));
    for format in ["text", "markdown", "json"] {
        let mut args = vec!["walk", TREE, "--today", "2025-02-28", "--format", format];
        args.extend(ANSWERS);
        let (out, text) = run(&args);
        assert_eq!(out.status.code(), Some(0), "{text}");
        outputs.push((format!("walk --format {format}"), text));
    }
    let mut walk = vec!["walk", TREE, "--today", "2025-02-28"];
    walk.extend(ANSWERS);
    let summary = run(&walk).1;
    // The pack's own words, and its letter filled in.
    for part in [
        "This is an example for testing, not consumer advice.",
        "If you were sold something dangerous, stop using it.",
        "I bought a kettle on Saturday 1 February 2025.",
        "Example consumer helpline",
    ] {
        assert!(summary.contains(part), "{part}:\n{summary}");
    }
    for args in [
        vec!["paths", TREE, "--today", "2025-02-28"],
        vec!["paths", TREE, "--count"],
        vec!["paths", TREE, "--coverage"],
        vec!["graph", TREE],
        vec!["graph", TREE, "--format", "mermaid"],
        vec!["explain", "item", PACK],
        vec!["explain", "consumer_line", PACK],
        vec!["explain", "refund", PACK],
        vec!["explain", "return_request", PACK],
        vec!["contacts", PACK],
        vec![
            "test",
            "tests/fixtures/packs/returns-scenarios",
            "--trees",
            PACK,
        ],
        vec!["--help"],
        vec!["run", "--help"],
    ] {
        let (out, text) = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {text}");
        outputs.push((args.join(" "), text));
    }
    // Plain mode, answers piped in: the introduction, every question, the summary.
    let mut child = bin()
        .args(["run", PACK, "--plain", "--today", "2025-02-28"])
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a kettle\n1/2/2025\n1\n\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let plain = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        plain.starts_with("Can I return it? (example): Can I return this? (example)"),
        "{plain}"
    );
    assert!(plain.contains("This is an example for testing"), "{plain}");
    assert!(plain.contains("Ask the seller for a refund"), "{plain}");
    outputs.push(("run --plain".into(), plain));
    for (what, text) in outputs {
        assert_neutral(&what, &text);
    }
}

#[test]
fn the_wizard_on_the_returns_pack_shows_the_packs_words_on_every_screen() {
    let loaded = files::load(&common::root().join(PACK)).unwrap();
    let lib = compile(&loaded.inputs).library.expect("the pack compiles");
    let mut app = App::new(&lib, "returns", date(2025, 2, 28)).unwrap();
    app.set_color(false);
    let screen = |app: &App| {
        let mut t = Terminal::new(TestBackend::new(80, 40)).unwrap();
        t.draw(|f| view(app, f)).unwrap();
        t.backend().to_string()
    };
    let press = |app: &mut App, code: KeyCode| {
        let effect = app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        perform(app, effect);
    };
    let start = screen(&app);
    assert!(start.contains("Can I return it? (example)"), "{start}");
    assert!(start.contains("If you were sold something"), "{start}");
    let mut screens = vec![start];
    press(&mut app, KeyCode::Enter);
    screens.push(screen(&app));
    for c in "a kettle".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    screens.push(screen(&app));
    for c in "1/2/2025".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    screens.push(screen(&app));
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Enter);
    screens.push(screen(&app)); // check your answers
    press(&mut app, KeyCode::Enter);
    let summary = screen(&app);
    assert!(summary.contains("Ask the seller for a refund"), "{summary}");
    screens.push(summary);
    press(&mut app, KeyCode::Char('l'));
    let letter = screen(&app);
    assert!(letter.contains("Asking for a refund"), "{letter}");
    screens.push(letter);
    for s in screens {
        assert_neutral("a wizard screen", &s);
    }
}

/// String literals of Rust source outside comments (and outside `#[cfg(test)]` modules).
fn literals(src: &str) -> Vec<String> {
    let code = match src.find("#[cfg(test)]\nmod tests") {
        Some(at) => &src[..at],
        None => src,
    };
    let b: Vec<char> = code.chars().collect();
    let (mut i, mut out) = (0, Vec::new());
    while i < b.len() {
        match b[i] {
            '/' if b.get(i + 1) == Some(&'/') => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
            }
            '\'' if b.get(i + 2) == Some(&'\'') || b.get(i + 1) == Some(&'\\') => {
                // A char literal ('"', '\''): skip to its closing quote.
                i += 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            'r' if matches!(b.get(i + 1), Some('"' | '#'))
                && !b[i.saturating_sub(1)].is_alphanumeric() =>
            {
                let hashes = b[i + 1..].iter().take_while(|c| **c == '#').count();
                let open = i + 1 + hashes;
                if b.get(open) != Some(&'"') {
                    i += 1;
                    continue;
                }
                let close: String = std::iter::once('"')
                    .chain("#".repeat(hashes).chars())
                    .collect();
                let rest: String = b[open + 1..].iter().collect();
                let end = rest.find(&close).unwrap_or(rest.len());
                out.push(rest[..end].to_string());
                i = open + 1 + rest[..end].chars().count() + close.len();
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                while i < b.len() && b[i] != '"' {
                    if b[i] == '\\' {
                        i += 1;
                    }
                    if let Some(c) = b.get(i) {
                        s.push(*c);
                    }
                    i += 1;
                }
                out.push(s);
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Family-rights wording the engine still holds, each with why. `your_child` is a template
/// function that words "your child" / "the child" for the built-in pack; it goes when the
/// trees say it with a derived fact (issue 20 part 3).
const KNOWN: &[(&str, &str)] = &[
    ("src/core/expr.rs", "your_child"),
    ("src/core/expr.rs", "your child"),
    ("src/core/expr.rs", "your children"),
    ("src/core/expr.rs", "the child"),
    ("src/core/expr.rs", "the children"),
];

#[test]
fn no_string_the_engine_emits_holds_a_family_rights_word() {
    let mut paths = Vec::new();
    files_under(&common::root().join("src"), &mut paths);
    paths.sort();
    let mut found = Vec::new();
    for p in paths {
        let rel = p
            .strip_prefix(common::root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&p).unwrap();
        let strings = match p.extension().and_then(|e| e.to_str()) {
            Some("rs") => literals(&text),
            // The stylesheet shows no text ("font-family" is not a family).
            Some("css") => continue,
            // Templates are all shown text.
            _ => vec![text],
        };
        for s in strings {
            // The built-in pack's id names it; it is not wording.
            let s = s.replace(signpost::pack::BUILT_IN, "");
            if KNOWN.iter().any(|(f, k)| *f == rel && s == *k) {
                continue;
            }
            let words = common::family_words_in(&s);
            if !words.is_empty() {
                found.push(format!("{rel}: {words:?} in {s:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "engine strings with family-rights words:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_literal_reader_finds_strings_and_skips_comments() {
    let src = "// a child\nlet a = \"one child\"; let c = '\"'; let r = r#\"raw \"x\" court\"#;\n#[cfg(test)]\nmod tests { \"council\" }";
    assert_eq!(literals(src), ["one child", "raw \"x\" court"]);
}

#[test]
fn a_folder_without_extends_gets_nothing_built_in() {
    let dir = tempfile::tempdir().unwrap();
    // A tree naming a built-in contact, with no contacts of its own and no pack.json.
    let tree = std::fs::read_to_string(common::root().join(TREE))
        .unwrap()
        .replace("\"consumer_line\"", "\"citizens_advice\"");
    std::fs::write(dir.path().join("returns.json"), &tree).unwrap();
    let out = bin().arg("check").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error[E007]") && text.contains("citizens_advice"),
        "{text}"
    );
    // With `extends`, the built-in contact is there.
    let pack = files::extending_manifest("mine");
    std::fs::write(dir.path().join("pack.json"), pack).unwrap();
    let out = bin().arg("check").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("E007"), "{text}");
}

#[test]
fn a_folder_without_a_manifest_runs_with_neutral_words() {
    let loaded = files::load(&common::root().join("tests/fixtures/summary")).unwrap();
    let lib = compile(&loaded.inputs).library.expect("compiles");
    let pack = lib.pack();
    assert_eq!(pack.id, None);
    assert!(pack.emergency.is_none());
    assert_neutral("the neutral pack", &format!("{pack:?}"));
    // The built-in pack's words live once, in trees/pack.json.
    let built_in = compile(&files::embedded()).library.unwrap();
    assert_eq!(
        built_in.pack().footer(),
        "This is general information, not legal advice. If a child is in immediate danger, call 999."
    );
    assert_eq!(
        built_in.pack().id.as_deref(),
        Some(signpost::pack::BUILT_IN)
    );
}

#[test]
fn new_writes_a_neutral_starter_and_pack() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["new", "my-flow"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in ["my-flow.json", "pack.json"] {
        let text = std::fs::read_to_string(dir.path().join(f)).unwrap();
        assert_neutral(f, &text);
    }
    assert!(dir.path().join("pack.schema.json").exists());
    let check = bin()
        .args(["check", ".", "--deny-warnings"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn the_committed_pack_schema_is_current() {
    let committed = std::fs::read_to_string(common::root().join("docs/pack.schema.json")).unwrap();
    assert_eq!(
        committed.trim(),
        signpost::cli::pack_schema_json().trim(),
        "docs/pack.schema.json is stale: run `cargo run -q -- schema --pack > docs/pack.schema.json`"
    );
}

/// A pack.json with the required words, extending `extends` when given.
fn manifest(id: &str, extends: Option<&str>) -> String {
    let mut m = serde_json::json!({
        "format": 1, "id": id, "title": "A layered pack", "service": "Layered",
        "description": "A pack laid over another.", "jurisdictions": ["any"],
        "language": "en-GB", "disclaimer": "An example, not advice.",
        "not_advice": "Advice about your own case."
    });
    if let Some(e) = extends {
        m["extends"] = e.into();
    }
    serde_json::to_string_pretty(&m).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `base` (the returns pack's data, no trees), `mid` extending `../base` and `top` extending
/// `../mid` with the returns tree: a chain of pack folders.
fn layered() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = common::root().join(PACK);
    let base = dir.path().join("base");
    for f in [
        "contacts.json",
        "glossary.json",
        "letters/return_request.md",
    ] {
        write(
            &base.join(f),
            &std::fs::read_to_string(from.join(f)).unwrap(),
        );
    }
    write(&base.join("pack.json"), &manifest("base", None));
    let mid = dir.path().join("mid");
    write(&mid.join("pack.json"), &manifest("mid", Some("../base")));
    let top = dir.path().join("top");
    write(&top.join("pack.json"), &manifest("top", Some("../mid")));
    write(
        &top.join("returns.json"),
        &std::fs::read_to_string(common::root().join(TREE)).unwrap(),
    );
    dir
}

#[test]
fn extends_names_a_pack_folder_and_the_nearer_pack_wins() {
    let dir = layered();
    let top = dir.path().join("top");
    let load = || {
        let loaded = files::load(&top).unwrap();
        let compiled = compile(&loaded.inputs);
        let lib = compiled
            .library
            .unwrap_or_else(|| panic!("the layered pack compiles: {:#?}", compiled.diagnostics));
        (lib, loaded.folders)
    };
    // The contact, glossary and letter the tree names come from `base`, two packs under.
    let (lib, folders) = load();
    assert_eq!(
        lib.contacts()["consumer_line"].name,
        "Example consumer helpline"
    );
    assert!(lib.glossary().contains_key("refund"));
    assert_eq!(lib.letters()["return_request"].title, "Asking for a refund");
    assert_eq!(
        folders.len(),
        3,
        "the pack and the two under it: {folders:?}"
    );
    // Without `extends` none of it is there.
    write(&top.join("pack.json"), &manifest("top", None));
    let loaded = files::load(&top).unwrap();
    let text = format!("{:?}", compile(&loaded.inputs).diagnostics);
    assert!(text.contains("consumer_line"), "{text}");
    write(&top.join("pack.json"), &manifest("top", Some("../mid")));

    // `mid` replaces the letter and the term; `top` replaces the contact: the nearer wins.
    write(
        &dir.path().join("mid/letters/return_request.md"),
        "# Asking for your money back\n\nTo: [the seller]\n\nI bought {{ item }}.\n",
    );
    write(
        &dir.path().join("mid/glossary.json"),
        r#"{"format": 1, "terms": {"refund": {"term": "refund", "definition": "Money back (mid)."}}}"#,
    );
    write(
        &top.join("contacts.json"),
        r#"{"format": 1, "contacts": {"consumer_line": {"name": "Top helpline", "web": "https://example.org/top", "for": "everyone here", "checked": "2026-11-20"}}}"#,
    );
    let (lib, _) = load();
    assert_eq!(lib.contacts()["consumer_line"].name, "Top helpline");
    assert_eq!(lib.glossary()["refund"].definition, "Money back (mid).");
    assert!(
        lib.glossary().contains_key("faulty"),
        "base's other terms stay"
    );
    assert_eq!(
        lib.letters()["return_request"].title,
        "Asking for your money back"
    );

    // A chain that ends at the built-in pack brings its data too.
    write(
        &dir.path().join("base/pack.json"),
        &manifest("base", Some(signpost::pack::BUILT_IN)),
    );
    let (lib, _) = load();
    assert!(
        lib.contacts().contains_key("citizens_advice"),
        "the built-in pack's contacts"
    );
    assert_eq!(lib.contacts()["consumer_line"].name, "Top helpline");
}

#[test]
fn extends_that_cannot_be_followed_is_e038_at_extends() {
    let dir = layered();
    let top = dir.path().join("top");
    let check = |extends: &str| -> String {
        write(&top.join("pack.json"), &manifest("top", Some(extends)));
        let out = bin().arg("check").arg(&top).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains("error[E038]"), "{text}");
        // At the `extends` line of top/pack.json.
        let line = 1 + manifest("top", Some(extends))
            .lines()
            .position(|l| l.contains("\"extends\""))
            .unwrap();
        assert!(
            text.contains(&format!("pack.json:{line}:")),
            "{extends} at line {line}: {text}"
        );
        text
    };
    let text = check("../nowhere");
    assert!(
        text.contains("there is no folder") && text.contains("nowhere"),
        "{text}"
    );
    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    assert!(check("../empty").contains("has no pack.json"));
    // A loop: base extends top, which extends mid, which extends base.
    write(
        &dir.path().join("base/pack.json"),
        &manifest("base", Some("../top")),
    );
    assert!(check("../mid").contains("loop"));
    assert!(
        check(".").contains("loop"),
        "a pack extending its own folder"
    );
    write(&dir.path().join("base/pack.json"), &manifest("base", None));
    // Too deep: a chain of ten packs.
    for i in 0..10 {
        let next = if i == 9 {
            None
        } else {
            Some(format!("../p{}", i + 1))
        };
        write(
            &dir.path().join(format!("p{i}/pack.json")),
            &manifest(&format!("p{i}"), next.as_deref()),
        );
    }
    let text = check("../p0");
    assert!(text.contains("more than 8 packs"), "{text}");
    let text = check("/tmp");
    assert!(text.contains("relative"), "{text}");
}

// Snippets in pack.json: for every tree of the pack and of the packs that extend it.

/// `dir`'s pack.json with `snippets` added.
fn with_pack_snippets(dir: &Path, snippets: serde_json::Value) {
    let path = dir.join("pack.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    m["snippets"] = snippets;
    write(&path, &serde_json::to_string_pretty(&m).unwrap());
}

/// `dir`'s returns tree with `change` applied to its JSON.
fn change_tree(dir: &Path, change: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("returns.json");
    let mut t: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    change(&mut t);
    write(&path, &serde_json::to_string_pretty(&t).unwrap());
}

/// The returns tree's `keep_receipt` body and letter end with `{{ snippet.caveat }}`.
fn use_caveat(dir: &Path) {
    change_tree(dir, |t| {
        t["advice"]["keep_receipt"]["body"] =
            "Keep the receipt until the matter is settled. {{ snippet.caveat }}".into();
    });
}

/// A copy of the returns pack in a temporary folder.
fn returns_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = common::root().join(PACK);
    for f in [
        "pack.json",
        "returns.json",
        "contacts.json",
        "glossary.json",
        "letters/return_request.md",
    ] {
        write(
            &dir.path().join(f),
            &std::fs::read_to_string(from.join(f)).unwrap(),
        );
    }
    dir
}

fn compiled(dir: &Path) -> signpost::compile::Compiled {
    compile(&files::load(dir).unwrap().inputs)
}

fn library_of(dir: &Path) -> signpost::compile::Library {
    let c = compiled(dir);
    c.library
        .unwrap_or_else(|| panic!("compiles: {:#?}", c.diagnostics))
}

/// The body of `keep_receipt` and the letter, as a faulty kettle's summary has them.
fn body_and_letter(dir: &Path) -> (String, String) {
    let lib = library_of(dir);
    let answers: Vec<(String, String)> = [
        ("item", "a kettle"),
        ("bought_on", "2026-11-20"),
        ("state", "faulty"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let today = signpost::calendar::parse_iso("2026-11-25").unwrap();
    let s = signpost::scenario::walk(&lib, "returns", today, &answers).expect("walks");
    let sum = signpost::summary::build(&s);
    let body = sum
        .steps
        .iter()
        .find(|s| s.id.ends_with("keep_receipt"))
        .map(|s| s.body.clone())
        .expect("keep_receipt is a step");
    (body, sum.letters[0].body.clone())
}

#[test]
fn a_packs_snippet_fills_its_trees_texts_and_letters_and_the_trees_own_wins() {
    let dir = returns_copy();
    let d = dir.path();
    with_pack_snippets(
        d,
        serde_json::json!({"caveat": "Ask in writing and keep a copy."}),
    );
    use_caveat(d);
    let letter = d.join("letters/return_request.md");
    let text = std::fs::read_to_string(&letter).unwrap();
    write(&letter, &format!("{text}\n{{{{ snippet.caveat }}}}\n"));
    let (body, letter_body) = body_and_letter(d);
    assert!(
        body.ends_with("settled. Ask in writing and keep a copy."),
        "{body}"
    );
    assert!(
        letter_body.contains("Ask in writing and keep a copy."),
        "{letter_body}"
    );
    // The tree's own snippet of the name wins over the pack's, in its texts and its letters.
    change_tree(d, |t| {
        t["snippets"] = serde_json::json!({"caveat": "The tree's own words."});
    });
    let (body, letter_body) = body_and_letter(d);
    assert!(body.ends_with("settled. The tree's own words."), "{body}");
    assert!(
        letter_body.contains("The tree's own words.") && !letter_body.contains("Ask in writing"),
        "{letter_body}"
    );
}

#[test]
fn an_extending_packs_tree_uses_the_snippets_of_the_packs_under_it() {
    let dir = layered();
    let top = dir.path().join("top");
    with_pack_snippets(
        &dir.path().join("base"),
        serde_json::json!({"caveat": "Base words.", "other": "Other words."}),
    );
    use_caveat(&top);
    let (body, _) = body_and_letter(&top);
    assert!(body.ends_with("settled. Base words."), "{body}");
    // The nearer pack's snippet of a name wins over the one it extends.
    with_pack_snippets(
        &dir.path().join("mid"),
        serde_json::json!({"caveat": "Mid words."}),
    );
    let (body, _) = body_and_letter(&top);
    assert!(body.ends_with("settled. Mid words."), "{body}");
}

#[test]
fn an_unknown_snippet_is_e036_naming_the_trees_and_the_packs_and_a_bad_pack_name_is_e010() {
    let dir = returns_copy();
    let d = dir.path();
    with_pack_snippets(d, serde_json::json!({"caveat": "Pack words."}));
    change_tree(d, |t| {
        t["snippets"] = serde_json::json!({"own": "Tree words."});
        t["advice"]["keep_receipt"]["body"] = "Keep it. {{ snippet.warning }}".into();
    });
    let c = compiled(d);
    let e = c
        .diagnostics
        .iter()
        .find(|x| x.code == "E036")
        .unwrap_or_else(|| panic!("E036: {:#?}", c.diagnostics));
    assert_eq!(
        e.message,
        "there is no snippet called `warning` in this tree or its pack"
    );
    assert_eq!(
        e.help.as_deref(),
        Some("the snippets of this tree and its pack are: `caveat`, `own`")
    );
    assert_eq!(e.pointer, "/advice/keep_receipt/body");
    // A name close to the pack's: "did you mean".
    change_tree(d, |t| {
        t["advice"]["keep_receipt"]["body"] = "Keep it. {{ snippet.caveats }}".into();
    });
    let c = compiled(d);
    let e = c.diagnostics.iter().find(|x| x.code == "E036").unwrap();
    assert_eq!(e.help.as_deref(), Some("did you mean `caveat`?"));
    // A pack.json snippet name that cannot be one: E010 at its pointer in pack.json.
    with_pack_snippets(d, serde_json::json!({"Bad Name": "Words."}));
    let c = compiled(d);
    let e = c
        .diagnostics
        .iter()
        .find(|x| x.code == "E010")
        .unwrap_or_else(|| panic!("E010: {:#?}", c.diagnostics));
    assert!(e.file.ends_with("pack.json"), "{e:?}");
    assert_eq!(e.pointer, "/snippets/Bad Name");
    assert!(e.line > 1, "located in pack.json: {e:?}");
}
