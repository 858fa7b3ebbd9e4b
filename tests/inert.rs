//! Inert by construction: a control character in any tree text is a compile error (E027), and
//! what a person types loses its control characters as it comes in. Then each output channel
//! is fed the hostile string (in a tree, where the compile error stops it, and typed, where a
//! person can type) and no ESC or BEL byte comes out.

use crate::common;

use std::process::Command;

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use serde_json::{json, Value};
use signpost::compile::{compile, Inputs, Library, SourceFile};
use signpost::session::Session;

/// Retitles the terminal window (OSC 0 ... BEL), then clears the screen (CSI 2 J).
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J";

fn assert_inert(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.contains(&0x1b) && !bytes.contains(&0x07),
        "{what} lets an escape sequence through: {:?}",
        String::from_utf8_lossy(bytes)
    );
}

/// A valid tree with every kind of text: a page, a choice, a multi, a text question whose
/// answer fills an advice body and a letter.
fn tree() -> Value {
    json!({
        "format": 1, "id": "inert", "title": "Inert", "description": "A test tree.",
        "jurisdictions": ["any"], "reviewed": "2026-11-20", "start": "intro",
        "nodes": [
            {"id": "intro", "type": "info", "title": "Before you start", "body": "Read this.", "next": "replied"},
            {"id": "replied", "type": "choice", "question": "Did they reply?", "help": "Any reply.",
             "options": [{"label": "Yes", "value": "yes", "next": "wants"},
                         {"label": "No", "value": "no", "next": "wants"}]},
            {"id": "wants", "type": "multi", "question": "What do you want?",
             "options": [{"label": "An apology", "value": "apology"},
                         {"label": "A meeting", "value": "meeting"}], "next": "council"},
            {"id": "council", "type": "text", "question": "What is your council called?",
             "examples": ["Sefton"], "next": "done"},
            {"id": "done", "type": "outcome", "advice": ["write"]}
        ],
        "advice": {"write": {"title": "Write to them", "body": "Write to {{ council }} council.",
                              "letter": "inert_letter", "contacts": ["frg_advice_line"], "sources": ["guide"], "for": ["everyone"]}},
        "sources": {"guide": {"title": "A guide", "url": "https://example.org", "checked": "2026-11-20"}}
    })
}

const LETTER: &str = "# A letter to the council\n\nDear {{ council }} council,\n\nPlease reply.\n";

fn inputs(tree: &Value) -> Inputs {
    let mut inputs = signpost::files::embedded();
    inputs.trees = vec![SourceFile {
        path: "inert.json".into(),
        text: serde_json::to_string_pretty(tree).unwrap(),
    }];
    inputs.letters.push(SourceFile {
        path: "letters/inert_letter.md".into(),
        text: LETTER.into(),
    });
    inputs
}

fn library() -> Library {
    compile(&inputs(&tree()))
        .library
        .expect("the test tree compiles")
}

/// Sets the string at a JSON pointer.
fn set(v: &mut Value, pointer: &str, text: &str) {
    *v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}")) = Value::from(text);
}

fn e027_at(inputs: &Inputs, file: &str, pointer: &str) {
    let compiled = compile(inputs);
    assert!(compiled.library.is_none(), "{file} {pointer}: compiled");
    assert!(
        compiled
            .diagnostics
            .iter()
            .any(|d| d.code == "E027" && d.file == file && d.pointer == pointer),
        "{file} {pointer}: {:#?}",
        compiled.diagnostics
    );
}

#[test]
fn a_control_character_in_any_tree_text_is_a_compile_error_with_its_place() {
    for pointer in [
        "/title",
        "/description",
        "/nodes/0/title",
        "/nodes/0/body",
        "/nodes/1/question",
        "/nodes/1/help",
        "/nodes/1/options/0/label",
        "/nodes/1/options/0/value",
        "/nodes/2/options/1/label",
        "/nodes/3/examples/0",
        "/advice/write/title",
        "/advice/write/body",
        "/sources/guide/title",
        "/sources/guide/url",
    ] {
        let mut t = tree();
        let old = t
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap()
            .to_string();
        set(&mut t, pointer, &format!("{old}{HOSTILE}"));
        e027_at(&inputs(&t), "inert.json", pointer);
    }
    // Shared data: contacts, glossary, letters.
    let base = inputs(&tree());
    let contacts: Value = serde_json::from_str(&base.contacts.text).unwrap();
    let id = contacts["contacts"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    for field in ["name", "phone", "hours", "web", "for", "note"] {
        let mut c = contacts.clone();
        c["contacts"][&id][field] = Value::from(format!("x{HOSTILE}"));
        let mut i = base.clone();
        i.contacts.text = c.to_string();
        e027_at(&i, &base.contacts.path, &format!("/contacts/{id}/{field}"));
    }
    let glossary: Value = serde_json::from_str(&base.glossary.text).unwrap();
    let term = glossary["terms"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    for field in ["term", "definition"] {
        let mut g = glossary.clone();
        g["terms"][&term][field] = Value::from(format!("x{HOSTILE}"));
        let mut i = base.clone();
        i.glossary.text = g.to_string();
        e027_at(&i, &base.glossary.path, &format!("/terms/{term}/{field}"));
    }
    let mut g = glossary.clone();
    g["terms"][&term]["aliases"] = json!([format!("x{HOSTILE}")]);
    let mut i = base.clone();
    i.glossary.text = g.to_string();
    e027_at(&i, &base.glossary.path, &format!("/terms/{term}/aliases/0"));

    let mut i = base.clone();
    let letter = i.letters.last_mut().unwrap();
    letter.text = format!("# A letter\n\nDear council,{HOSTILE}\n");
    let compiled = compile(&i);
    let d = compiled
        .diagnostics
        .iter()
        .find(|d| d.code == "E027")
        .expect("E027 for the letter");
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("letters/inert_letter.md", 3, 14)
    );
    // Line breaks are fine in a body, not in a title.
    let mut t = tree();
    set(&mut t, "/advice/write/body", "Write.\r\n\tThen wait.");
    assert!(compile(&inputs(&t)).library.is_some());
    set(&mut t, "/advice/write/title", "Write\nto them");
    e027_at(&inputs(&t), "inert.json", "/advice/write/title");
}

/// A folder holding the tree with the hostile string in its first question, and its letter.
fn hostile_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut t = tree();
    set(
        &mut t,
        "/nodes/1/question",
        &format!("Did they reply?{HOSTILE}"),
    );
    set(&mut t, "/nodes/1/options/0/label", &format!("Yes{HOSTILE}"));
    // Names that `check` repeats in its messages: a dangling `next`, an unknown field.
    set(
        &mut t,
        "/nodes/1/options/1/next",
        &format!("wants{HOSTILE}"),
    );
    t["nodes"][3][format!("colour{HOSTILE}")] = json!("blue");
    std::fs::write(dir.path().join("inert.json"), t.to_string()).unwrap();
    std::fs::create_dir(dir.path().join("letters")).unwrap();
    std::fs::write(dir.path().join("letters/inert_letter.md"), LETTER).unwrap();
    // The tree names a built-in contact: its pack extends the built-in pack.
    std::fs::write(
        dir.path().join("pack.json"),
        signpost::files::extending_manifest("inert"),
    )
    .unwrap();
    dir
}

fn good_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inert.json"), tree().to_string()).unwrap();
    std::fs::create_dir(dir.path().join("letters")).unwrap();
    std::fs::write(dir.path().join("letters/inert_letter.md"), LETTER).unwrap();
    // The tree names a built-in contact: its pack extends the built-in pack.
    std::fs::write(
        dir.path().join("pack.json"),
        signpost::files::extending_manifest("inert"),
    )
    .unwrap();
    dir
}

fn signpost(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let mut all = out.stdout;
    all.extend(out.stderr);
    (out.status.code(), all)
}

#[test]
fn a_hostile_tree_is_stopped_before_any_output_channel() {
    let dir = hostile_folder();
    for args in [
        &["check", "inert.json"][..],
        &["check", "inert.json", "--format", "json"],
        &[
            "paths",
            "inert.json",
            "--format",
            "text",
            "--today",
            "2026-11-23",
        ],
        &["graph", "inert.json", "--format", "dot"],
        &["graph", "inert.json", "--format", "mermaid"],
        &[
            "walk",
            "inert.json",
            "-a",
            "replied=yes",
            "--today",
            "2026-11-23",
        ],
        &["run", "inert.json", "--plain"],
    ] {
        let (code, out) = signpost(dir.path(), args);
        assert_eq!(code, Some(1), "{args:?}: {}", String::from_utf8_lossy(&out));
        assert!(
            String::from_utf8_lossy(&out).contains("E027"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out)
        );
        assert_inert(&format!("{args:?}"), &out);
    }
}

#[test]
fn walk_answers_are_cleaned_as_they_come_in() {
    let dir = good_folder();
    // Not accepted: a choice, a multi (whose message repeats the answer), a key.
    for args in [
        vec!["-a".to_string(), format!("replied=yes{HOSTILE}x")],
        vec![
            "-a".into(),
            "replied=yes".into(),
            "-a".into(),
            format!("wants=apology,z{HOSTILE}"),
        ],
        vec!["-a".into(), format!("replied{HOSTILE}")],
    ] {
        let mut all = vec!["walk", "inert.json", "--today", "2026-11-23"];
        all.extend(args.iter().map(String::as_str));
        let (code, out) = signpost(dir.path(), &all);
        assert_eq!(code, Some(1), "{all:?}: {}", String::from_utf8_lossy(&out));
        assert_inert(&format!("walk {args:?}"), &out);
    }
    // Accepted, in every format: the text answer fills the body and the letter.
    for format in ["text", "markdown", "json"] {
        let council = format!("Sefton{HOSTILE}");
        let (code, out) = signpost(
            dir.path(),
            &[
                "walk",
                "inert.json",
                "--today",
                "2026-11-23",
                "--format",
                format,
                "-a",
                "replied=yes",
                "-a",
                "wants=apology",
                "-a",
                &format!("council={council}"),
                "-a",
                &format!("unused{HOSTILE}=1"),
            ],
        );
        assert_eq!(code, Some(0), "{}", String::from_utf8_lossy(&out));
        assert!(String::from_utf8_lossy(&out).contains("Sefton]0;pwned[2J"));
        assert_inert(&format!("walk --format {format}"), &out);
    }
}

/// A session answered with the hostile string typed into the text question.
fn typed_session(lib: &Library) -> Session<'_> {
    let mut s = Session::new(lib, "inert", common::today()).unwrap();
    for a in ["ok", "yes", "apology"] {
        s.answer(a).unwrap();
    }
    s.answer(&format!("Sefton{HOSTILE}")).unwrap();
    assert!(s.is_finished());
    s
}

#[test]
fn typed_text_is_stored_clean_and_every_rendering_and_letter_is_inert() {
    let lib = library();
    let s = typed_session(&lib);
    for v in s.answers().values() {
        assert_inert("a stored answer", v.canonical().as_bytes());
    }
    let summary = signpost::summary::build(&s);
    let letter = &summary.letters[0].body;
    assert!(
        letter.contains("Dear Sefton]0;pwned[2J council"),
        "{letter}"
    );
    assert_inert("the filled letter", letter.as_bytes());
    assert_inert("text", signpost::render::text(&summary).as_bytes());
    assert_inert("markdown", signpost::render::markdown(&summary).as_bytes());
    assert_inert("json", signpost::render::json(&summary).as_bytes());
    // The raw summary itself holds nothing to clean: the guarantee is the boundary.
    assert_inert(
        "the summary",
        serde_json::to_string(&summary)
            .unwrap()
            .replace("\\u001b", "")
            .as_bytes(),
    );
}

#[test]
fn plain_mode_cleans_what_is_typed_and_saves_an_inert_file() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("summary.md");
    // A hostile choice answer is refused, then answered; a hostile multi answer is refused and
    // echoed; the text answer is hostile; Enter at "check your answers"; then the summary is
    // saved.
    let typed = format!(
        "\nyes{HOSTILE}x\n1\nz{HOSTILE}\n1\nSefton{HOSTILE}\n\n{}\n",
        saved.display()
    );
    let mut out = Vec::new();
    signpost::plain::run_io(
        &lib,
        "inert",
        common::today(),
        None,
        &mut typed.as_bytes(),
        &mut out,
    )
    .unwrap();
    assert!(
        String::from_utf8_lossy(&out).contains("Saved to"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    assert_inert("plain mode", &out);
    let file = std::fs::read(&saved).unwrap();
    assert!(String::from_utf8_lossy(&file).contains("Sefton]0;pwned[2J"));
    assert_inert("the saved file", &file);
}

#[test]
fn progress_files_are_inert_when_saved_and_cleaned_when_read() {
    let lib = library();
    let s = typed_session(&lib);
    let progress = signpost::save::progress_json(&lib, "inert", s.answers());
    assert_inert(
        "a progress file",
        progress.replace("\\u001b", "\u{1b}").as_bytes(),
    );

    // A progress file edited by hand to hold escapes: they are gone once read.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.json");
    let mut v: Value = serde_json::from_str(&progress).unwrap();
    v["answers"]["inert.council"] = Value::from(format!("Leeds{HOSTILE}"));
    std::fs::write(&path, v.to_string()).unwrap();
    let (answers, _) = signpost::save::read_progress(&path, &lib, "inert").unwrap();
    for a in answers.values() {
        assert_inert("an answer read back", a.as_bytes());
    }
    let mut restored = Session::new(&lib, "inert", common::today()).unwrap();
    restored.restore(answers);
    let text = signpost::render::text(&signpost::summary::build(&restored));
    assert!(text.contains("Leeds]0;pwned[2J"), "{text}");
    // The tree named in the file is echoed in the refusal: cleaned too.
    v["tree"] = Value::from(format!("other{HOSTILE}"));
    std::fs::write(&path, v.to_string()).unwrap();
    let err = signpost::save::read_progress(&path, &lib, "inert").unwrap_err();
    assert_inert("a progress file's refusal", err.to_string().as_bytes());
}

#[test]
fn the_wizard_shows_no_control_character_typed_into_it() {
    use ratatui::{backend::TestBackend, Terminal};
    let lib = library();
    let mut app = signpost::tui::App::new(&lib, "inert", common::today()).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut screens = String::new();
    let mut draw = |app: &signpost::tui::App, screens: &mut String| {
        terminal.draw(|f| signpost::tui::view(app, f)).unwrap();
        let cells: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        screens.push_str(&cells);
    };
    // Past the start screen and the page, then "Yes", then the first option of the multi.
    for key in [
        KeyCode::Enter,
        KeyCode::Enter,
        KeyCode::Char('1'),
        KeyCode::Enter,
        KeyCode::Char('1'),
        KeyCode::Enter,
    ] {
        app.handle_key(KeyEvent::from(key));
        draw(&app, &mut screens);
    }
    assert!(
        screens.contains("council"),
        "not at the text question: {screens}"
    );
    for c in format!("Sefton{HOSTILE}").chars() {
        app.handle_key(KeyEvent::from(KeyCode::Char(c)));
    }
    draw(&app, &mut screens);
    assert!(screens.contains("Sefton]0;pwned[2J"), "{screens}");
    app.handle_key(KeyEvent::from(KeyCode::Enter));
    draw(&app, &mut screens);
    assert_inert("the wizard", screens.as_bytes());
}

/// A right-to-left override, an isolate, a zero-width space or a byte order mark inside tree
/// text is refused like a control character, with its place (issue 19 item 2): what a person
/// reads must be what the reviewer approved. Typed into an answer, it is dropped.
#[test]
fn bidirectional_and_invisible_characters_are_refused_in_trees_and_dropped_from_answers() {
    for hidden in ['\u{202e}', '\u{2066}', '\u{200b}', '\u{feff}'] {
        for pointer in [
            "/title",
            "/nodes/1/question",
            "/nodes/1/options/0/label",
            "/advice/write/body",
            "/sources/guide/title",
        ] {
            let mut t = tree();
            let old = t
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap()
                .to_string();
            set(&mut t, pointer, &format!("{old}{hidden}x"));
            e027_at(&inputs(&t), "inert.json", pointer);
        }
    }
    let lib = library();
    let mut s = Session::new(&lib, "inert", common::today()).unwrap();
    for a in ["ok", "yes", "apology"] {
        s.answer(a).unwrap();
    }
    s.answer("Sef\u{202e}to\u{200b}n").unwrap();
    let summary = signpost::summary::build(&s);
    let letter = &summary.letters[0].body;
    assert!(letter.contains("Dear Sefton council"), "{letter}");
    assert_eq!(
        signpost::render::inert("a\u{202e}b\u{2069}c\u{feff}"),
        "abc",
        "every front end's filter drops them"
    );
}

/// Markup in tree text is text everywhere it leaves as a document: a Mermaid diagram (which
/// can render labels as HTML) and the Markdown download (which a viewer may render as HTML)
/// never carry a tag from a tree (issue 19 item 2).
#[test]
fn markup_in_tree_text_never_becomes_a_tag_in_mermaid_or_markdown() {
    let mut t = tree();
    set(
        &mut t,
        "/nodes/1/question",
        "Did they <img src=x onerror=alert(1)> reply?",
    );
    set(
        &mut t,
        "/advice/write/title",
        "Write <b>now</b> & keep a copy",
    );
    let compiled = signpost::compile::compile(&inputs(&t));
    let lib = compiled.library.expect("markup is text, not an error");
    let flow = lib.flow("inert").expect("the tree");
    let diagram = signpost::graph::mermaid(flow, None);
    assert!(
        !diagram.contains("<img") && !diagram.contains("<b>"),
        "{diagram}"
    );
    assert!(diagram.contains("#lt;img"), "{diagram}");
    let mut s = Session::new(&lib, "inert", common::today()).unwrap();
    for a in ["ok", "yes", "apology", "Sefton"] {
        s.answer(a).unwrap();
    }
    let md = signpost::render::markdown(&signpost::summary::build(&s));
    assert!(!md.contains("<b>") && md.contains("&lt;b>now"), "{md}");
}
