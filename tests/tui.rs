//! The wizard, driven with key events and drawn on ratatui's TestBackend (no real terminal).
//! The tree is a small one kept with the tests (tests/fixtures/tui), not the shipped trees.

use jiff::civil::{date, Date};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

use signpost::compile::{compile, Inputs, Library, SourceFile};
use signpost::session::Session;
use signpost::tui::{perform, view, App, Effect, Msg, Popup, Screen};
use signpost::{render, summary};

const ROOT: &str = "tui_demo";

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    }
}

fn library() -> Library {
    let inputs = Inputs {
        trees: vec![file(
            "tui_demo.json",
            include_str!("fixtures/tui/tui_demo.json"),
        )],
        contacts: file("contacts.json", include_str!("fixtures/tui/contacts.json")),
        glossary: file("glossary.json", include_str!("fixtures/tui/glossary.json")),
        holidays: file(
            "bank-holidays.json",
            include_str!("fixtures/tui/bank-holidays.json"),
        ),
        audiences: signpost::files::embedded().audiences,
        letters: vec![file(
            "letters/stage_2_request.md",
            include_str!("fixtures/tui/letters/stage_2_request.md"),
        )],
        questions: None,
        local: Default::default(),
        // The fixture is family-rights content: it speaks with the built-in pack's words.
        pack: signpost::files::embedded().pack,
        extended: None,
        extends_error: None,
        under: Vec::new(),
    };
    let compiled = compile(&inputs);
    match compiled.library {
        Some(lib) => lib,
        None => panic!(
            "the test tree does not compile: {:#?}",
            compiled.diagnostics
        ),
    }
}

fn today() -> Date {
    date(2025, 2, 28)
}

fn app(lib: &Library) -> App<'_> {
    let mut app = App::new(lib, ROOT, today()).expect("the tree exists");
    // Snapshots do not depend on colours; the tests run as with NO_COLOR.
    app.set_color(false);
    app
}

/// A key, with its effect carried out as the terminal loop would (files are written).
fn key(app: &mut App, code: KeyCode) -> Effect {
    let effect = app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    perform(app, effect)
}

fn keys(app: &mut App, codes: &[KeyCode]) {
    for c in codes {
        assert_eq!(
            key(app, *c),
            Effect::None,
            "{c:?} should not end the wizard"
        );
    }
}

fn ctrl(app: &mut App, c: char) -> Effect {
    let effect = app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    perform(app, effect)
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    terminal.draw(|f| view(app, f)).expect("draws");
    terminal
}

fn screen_text(app: &App) -> String {
    draw(app, 80, 24).backend().to_string()
}

use KeyCode::{Char, Down, Enter};

/// Answers the path: complaints team, sent 3/2/2025, a conference is coming, 2 children,
/// name Sam Smith; then the "reply is late" page. Ends on "Check your answers".
fn answer_late_path(app: &mut App) {
    keys(app, &[Enter]); // start
    keys(app, &[Char('1'), Enter]);
    type_text(app, "3/2/2025");
    keys(app, &[Enter]);
    keys(app, &[Char(' '), Enter]);
    type_text(app, "2");
    keys(app, &[Enter]);
    type_text(app, "Sam Smith");
    keys(app, &[Enter]);
    keys(app, &[Enter]); // the info page
}

#[test]
fn start_screen() {
    let lib = library();
    let app = app(&lib);
    insta::assert_snapshot!("start", draw(&app, 80, 24).backend());
}

#[test]
fn choice_question_and_selection() {
    let lib = library();
    let mut app = app(&lib);
    keys(&mut app, &[Enter]);
    insta::assert_snapshot!("choice_nothing_picked", draw(&app, 80, 24).backend());
    // Enter with nothing picked says what to do, in plain words.
    keys(&mut app, &[Enter]);
    let t = screen_text(&app);
    assert!(t.contains("There is a problem: Choose one of the"), "{t}");
    // Arrow keys, j/k and number keys move the highlight; only Enter answers.
    keys(&mut app, &[Down, Down, Char('k')]);
    assert!(screen_text(&app).contains("› (•) 1. To the council's complaints team"));
    keys(&mut app, &[Char('2')]);
    insta::assert_snapshot!("choice_picked", draw(&app, 80, 24).backend());
    assert_eq!(app.session().trace().answered.len(), 0);
    keys(&mut app, &[Enter]);
    assert_eq!(app.session().trace().answered.len(), 1);
}

#[test]
fn date_question_with_validation_messages() {
    let lib = library();
    let mut app = app(&lib);
    keys(&mut app, &[Enter, Char('1'), Enter]);
    insta::assert_snapshot!("date_empty", draw(&app, 80, 24).backend());
    type_text(&mut app, "31/2/2025");
    keys(&mut app, &[Enter]);
    insta::assert_snapshot!("date_not_real", draw(&app, 80, 24).backend());
    // A date in the future is refused for "when did you send it".
    app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    type_text(&mut app, "3/3/2025");
    keys(&mut app, &[Enter]);
    let t = screen_text(&app);
    assert!(t.contains("The date must be today or earlier"), "{t}");
    // Control characters typed or pasted never reach the screen.
    app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    type_text(&mut app, "3/2/2025");
    keys(&mut app, &[Enter]);
    assert_eq!(app.session().trace().answered.len(), 2);
}

#[test]
fn multi_number_text_and_info_screens() {
    let lib = library();
    let mut app = app(&lib);
    keys(&mut app, &[Enter, Char('1'), Enter]);
    type_text(&mut app, "3/2/2025");
    keys(&mut app, &[Enter]);
    // Multi: Enter with nothing ticked is refused with the session's message.
    keys(&mut app, &[Enter]);
    assert!(screen_text(&app).contains("Tick at least one option"));
    keys(&mut app, &[Char(' '), Down, Down, Char(' ')]);
    // "None of these" unticks the others.
    insta::assert_snapshot!("multi_none_ticked", draw(&app, 80, 24).backend());
    keys(&mut app, &[Char('3'), Char('1'), Char('2')]);
    insta::assert_snapshot!("multi_two_ticked", draw(&app, 80, 24).backend());
    keys(&mut app, &[Enter]);
    // Number.
    type_text(&mut app, "25");
    keys(&mut app, &[Enter]);
    insta::assert_snapshot!("number_out_of_range", draw(&app, 80, 24).backend());
    keys(&mut app, &[KeyCode::Backspace, KeyCode::Backspace]);
    type_text(&mut app, "2");
    keys(&mut app, &[Enter]);
    // Short text.
    type_text(&mut app, "Sam Smith");
    insta::assert_snapshot!("text", draw(&app, 80, 24).backend());
    keys(&mut app, &[Enter]);
    // The info page renders its template with the answers.
    insta::assert_snapshot!("info", draw(&app, 80, 24).backend());
}

#[test]
fn glossary_popup_explains_words_on_the_page() {
    let lib = library();
    let mut app = app(&lib);
    keys(&mut app, &[Enter, Char('?')]);
    assert!(matches!(app.popup(), Some(Popup::Glossary { .. })));
    insta::assert_snapshot!("glossary_popup", draw(&app, 80, 24).backend());
    keys(&mut app, &[Enter]);
    assert!(app.popup().is_none());
    // F1 works where letters are typed, and the popup closes with ? or F1 too.
    keys(&mut app, &[Char('1'), Enter, KeyCode::F(1)]);
    assert!(matches!(app.popup(), Some(Popup::Glossary { .. })));
    keys(&mut app, &[KeyCode::F(1)]);
    assert!(app.popup().is_none());
}

#[test]
fn check_your_answers_and_change_one() {
    let lib = library();
    let mut app = app(&lib);
    answer_late_path(&mut app);
    assert!(matches!(app.screen(), Screen::Check { .. }));
    insta::assert_snapshot!("check_answers", draw(&app, 80, 24).backend());
    // Change "where did you send it" to "only my social worker": a step is added.
    keys(&mut app, &[KeyCode::Home, Enter]);
    assert!(matches!(app.screen(), Screen::Change { .. }));
    insta::assert_snapshot!("change_answer", draw(&app, 80, 24).backend());
    keys(&mut app, &[Char('2'), Enter]);
    insta::assert_snapshot!("check_after_change", draw(&app, 80, 24).backend());
    let t = screen_text(&app);
    assert!(
        t.contains("New step: Send your complaint to the complaints team"),
        "{t}"
    );
    // Changing the date so the reply is not late yet swaps the steps.
    keys(&mut app, &[KeyCode::Home, Down, Enter]);
    app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    type_text(&mut app, "26/2/2025");
    keys(&mut app, &[Enter]);
    let t = screen_text(&app);
    assert!(t.contains("New step: Wait for the council's reply"), "{t}");
    assert!(
        t.contains("No longer a step: Ask for your complaint to go to stage"),
        "{t}"
    );
}

#[test]
fn summary_letter_and_saving() {
    let lib = library();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app(&lib);
    app.set_save_dir(dir.path());
    answer_late_path(&mut app);
    keys(&mut app, &[KeyCode::End, Enter]);
    assert_eq!(app.screen(), &Screen::Summary);
    insta::assert_snapshot!("summary_top", draw(&app, 80, 24).backend());
    keys(&mut app, &[KeyCode::PageDown]);
    insta::assert_snapshot!("summary_page_2", draw(&app, 80, 24).backend());
    keys(&mut app, &[KeyCode::End]);
    insta::assert_snapshot!("summary_end", draw(&app, 80, 24).backend());
    // The letter.
    keys(&mut app, &[Char('l')]);
    insta::assert_snapshot!("letter", draw(&app, 80, 24).backend());
    keys(&mut app, &[Char('b')]);
    assert_eq!(app.screen(), &Screen::Summary);
    // Save as Markdown to the suggested name.
    keys(&mut app, &[Char('m')]);
    let mut t = draw(&app, 80, 24);
    let temp = std::fs::canonicalize(dir.path())
        .expect("canonical")
        .display()
        .to_string();
    let shown = t
        .backend()
        .to_string()
        .replace(&temp, &format!("{:width$}", "[TEMP]", width = temp.len()));
    insta::assert_snapshot!("save_popup", shown);
    keys(&mut app, &[Enter]);
    let saved = dir.path().join("my-next-steps.md");
    let body = std::fs::read_to_string(&saved).expect("saved");
    let sum = app.summary().expect("summary");
    assert_eq!(body, render::markdown(sum));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    t.draw(|f| view(&app, f)).expect("draws");
    assert!(t.backend().to_string().contains("Saved to"));
    // Saving again to the same name asks before replacing; y replaces.
    keys(&mut app, &[Char('m'), Enter]);
    assert!(screen_text(&app).contains("There is already a file called"));
    keys(&mut app, &[Char('y')]);
    assert!(app.popup().is_none());
    assert!(screen_text(&app).contains("Saved to"));
    // Plain text too, under a name the person types (it replaces the suggested one).
    keys(&mut app, &[Char('t')]);
    type_text(&mut app, "notes.txt");
    keys(&mut app, &[Enter]);
    let txt = std::fs::read_to_string(dir.path().join("notes.txt")).expect("saved");
    assert_eq!(txt, render::text(app.summary().expect("summary")));
    // Close now quits normally (it was saved).
    assert_eq!(key(&mut app, Char('q')), Effect::Quit);
}

#[test]
fn wizard_summary_equals_the_core_summary() {
    let lib = library();
    let mut app = app(&lib);
    answer_late_path(&mut app);
    keys(&mut app, &[KeyCode::End, Enter]);
    let from_wizard = render::json(app.summary().expect("summary shown"));

    let mut session = Session::new(&lib, ROOT, today()).expect("session");
    for answer in ["team", "2025-02-03", "conference", "2", "Sam Smith", "ok"] {
        session.answer(answer).expect("accepted");
    }
    assert!(session.is_finished());
    let from_core = render::json(&summary::build(&session));
    assert_eq!(from_wizard, from_core);
}

/// How full the progress bar is, in cells.
fn bar(app: &App) -> usize {
    screen_text(app).matches('█').count()
}

#[test]
fn back_keeps_answers_and_progress_never_jumps_back_by_itself() {
    let lib = library();
    let mut app = app(&lib);
    keys(&mut app, &[Enter]);
    let mut filled = vec![bar(&app)];
    keys(&mut app, &[Char('1'), Enter]);
    filled.push(bar(&app));
    type_text(&mut app, "3/2/2025");
    keys(&mut app, &[Enter]);
    filled.push(bar(&app));
    keys(&mut app, &[Char('1'), Enter]);
    filled.push(bar(&app));
    assert!(
        filled.windows(2).all(|w| w[0] < w[1]),
        "progress grows: {filled:?}"
    );
    // Going back is a reason for the bar to go back.
    ctrl(&mut app, 'b');
    assert_eq!(bar(&app), filled[2]);
    keys(&mut app, &[Char('b')]);
    assert_eq!(bar(&app), filled[1]);
    // The earlier answer is filled in again.
    let t = screen_text(&app);
    assert!(t.contains("│3/2/2025 "), "{t}");
    assert!(t.contains("Your earlier answer is filled in"), "{t}");
    // Typing replaces the earlier answer, like selected text.
    key(&mut app, Char('4'));
    assert!(screen_text(&app).contains("│4 "));
    // Where letters are typed, Ctrl-B goes back; the answer waiting there is kept.
    assert_eq!(ctrl(&mut app, 'b'), Effect::None);
    assert!(screen_text(&app).contains("› (•) 1. To the council's complaints team"));
    keys(&mut app, &[Enter]);
    assert!(screen_text(&app).contains("│3/2/2025 "));
    // An arrow key keeps the earlier answer to edit it; then b is just a letter.
    keys(&mut app, &[KeyCode::End]);
    key(&mut app, Char('b'));
    assert!(screen_text(&app).contains("│3/2/2025b "));
    // Back from the first question is the start screen.
    ctrl(&mut app, 'b');
    keys(&mut app, &[Char('b')]);
    assert_eq!(app.screen(), &Screen::Start);
}

#[test]
fn quick_exit_with_esc_twice_or_ctrl_q_or_ctrl_c() {
    let lib = library();
    let mut app = app(&lib);
    keys(&mut app, &[Enter]);
    assert_eq!(key(&mut app, KeyCode::Esc), Effect::None);
    insta::assert_snapshot!("esc_once", draw(&app, 80, 24).backend());
    // Any other key stays.
    keys(&mut app, &[Down]);
    assert_eq!(key(&mut app, KeyCode::Esc), Effect::None);
    assert_eq!(key(&mut app, KeyCode::Esc), Effect::QuickExit);
    // From a popup too, and where letters are typed.
    let mut app2 = self::app(&lib);
    keys(&mut app2, &[Enter, Char('1'), Enter]);
    assert_eq!(ctrl(&mut app2, 'q'), Effect::QuickExit);
    assert_eq!(ctrl(&mut app2, 'c'), Effect::QuickExit);
    keys(&mut app2, &[KeyCode::F(1)]);
    assert_eq!(key(&mut app2, KeyCode::Esc), Effect::None);
    assert!(app2.popup().is_none());
    assert_eq!(key(&mut app2, KeyCode::Esc), Effect::QuickExit);
}

#[test]
fn too_small_windows_ask_for_more_room_and_never_panic() {
    let lib = library();
    let mut app = app(&lib);
    insta::assert_snapshot!("too_small_20x6", draw(&app, 20, 6).backend());
    // Every screen at every small size draws without panicking.
    let screens: [fn(&mut App); 4] = [
        |_| {},
        |a| keys(a, &[Enter]),
        |a| keys(a, &[Char('1'), Enter, Char('?')]),
        |a| keys(a, &[Enter]),
    ];
    for step in screens {
        step(&mut app);
        for (w, h) in [
            (0, 0),
            (1, 1),
            (5, 2),
            (20, 6),
            (39, 11),
            (40, 12),
            (41, 13),
            (60, 15),
            (200, 60),
        ] {
            draw(&app, w, h);
        }
    }
    let mut full = self::app(&lib);
    answer_late_path(&mut full);
    keys(&mut full, &[KeyCode::End, Enter, Char('l')]);
    for (w, h) in [(40, 12), (45, 14), (20, 6), (3, 3)] {
        draw(&full, w, h);
    }
}

#[test]
fn adviser_details_show_node_and_facts() {
    let lib = library();
    let mut app = app(&lib);
    keys(&mut app, &[Enter, Char('1'), Enter]);
    assert!(!screen_text(&app).contains("Adviser details"));
    keys(&mut app, &[KeyCode::F(12)]);
    insta::assert_snapshot!("details", draw(&app, 80, 24).backend());
    let t = screen_text(&app);
    assert!(t.contains("tui_demo.sent_on (date)"), "{t}");
    assert!(t.contains("sent_to = team"), "{t}");
}

#[test]
fn start_again_and_close_ask_first() {
    let lib = library();
    let mut app = app(&lib);
    answer_late_path(&mut app);
    keys(&mut app, &[KeyCode::End, Enter, Char('q')]);
    insta::assert_snapshot!("close_unsaved", draw(&app, 80, 24).backend());
    keys(&mut app, &[Char('n'), Char('r')]);
    assert!(screen_text(&app).contains("Start again?"));
    keys(&mut app, &[Char('y')]);
    assert_eq!(app.screen(), &Screen::Start);
    assert!(app.session().answers().is_empty());
}

#[test]
fn saving_progress_and_resuming() {
    let lib = library();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app(&lib);
    app.set_save_dir(dir.path());
    keys(&mut app, &[Enter, Char('2'), Enter]);
    type_text(&mut app, "3/2/2025");
    keys(&mut app, &[Enter]);
    keys(&mut app, &[Char('s')]);
    assert!(screen_text(&app).contains("Save your answers to carry on later"));
    keys(&mut app, &[Enter]);
    let path = dir.path().join("my-answers.signpost");
    let (answers, changed) =
        signpost::save::read_progress(&path, &lib, ROOT).expect("progress file reads");
    assert!(!changed);
    assert_eq!(answers, app.session().canonical_answers());

    // Resuming with an answer the tree no longer has tells the person.
    let mut more = answers.clone();
    more.insert(
        signpost::session::NodeKey::new(ROOT, "sent_on"),
        "not a date".into(),
    );
    let mut resumed = self::app(&lib);
    resumed.resume(more, true, "my-answers.signpost");
    insta::assert_snapshot!("resumed", draw(&resumed, 80, 24).backend());
    keys(&mut resumed, &[Enter]);
    assert!(screen_text(&resumed).contains("When did you send it?"));
}

#[test]
fn tree_text_with_escapes_never_reaches_the_wizard() {
    let tree = include_str!("fixtures/tui/tui_demo.json").replace(
        "Where did you send your complaint?",
        "Where did you send \\u001b[2J\\u001b]0;pwned\\u0007your complaint?",
    );
    let inputs = Inputs {
        trees: vec![file("tui_demo.json", &tree)],
        contacts: file("contacts.json", include_str!("fixtures/tui/contacts.json")),
        glossary: file("glossary.json", include_str!("fixtures/tui/glossary.json")),
        holidays: file(
            "bank-holidays.json",
            include_str!("fixtures/tui/bank-holidays.json"),
        ),
        audiences: signpost::files::embedded().audiences,
        letters: vec![file(
            "letters/stage_2_request.md",
            include_str!("fixtures/tui/letters/stage_2_request.md"),
        )],
        questions: None,
        local: Default::default(),
        // The fixture is family-rights content: it speaks with the built-in pack's words.
        pack: signpost::files::embedded().pack,
        extended: None,
        extends_error: None,
        under: Vec::new(),
    };
    // The compiler refuses it (E027), so it never reaches the screen; the wizard's own
    // cleaning (tui::text::clean, unit-tested there) is the second line.
    let compiled = compile(&inputs);
    assert!(compiled.library.is_none());
    assert!(
        compiled.diagnostics.iter().any(|d| d.code == "E027"),
        "{:#?}",
        compiled.diagnostics
    );
}

#[test]
fn a_saved_date_outside_the_calendar_no_longer_stops_the_walk() {
    // A saved date the bank-holiday calendar does not cover (before 1978): working days from it
    // are counted approximately (issue 19), so the walk goes on to the late-reply page instead
    // of stopping, and a date that cannot be worked out is shown as "[date]", never guessed.
    let lib = library();
    let mut app = app(&lib);
    let answers = [
        ("where_sent", "team"),
        ("sent_on", "1977-01-05"),
        ("worries", "none"),
        ("children", "1"),
        ("your_name", ""),
    ]
    .into_iter()
    .map(|(k, v)| (signpost::session::NodeKey::new(ROOT, k), v.to_string()))
    .collect();
    app.resume(answers, false, "old.signpost");
    keys(&mut app, &[Enter]);
    insta::assert_snapshot!("old_date_goes_on", draw(&app, 80, 24).backend());
    let t = screen_text(&app);
    assert!(t.contains("Your reply is late"), "{t}");
    assert!(t.contains("replied by [date]"), "{t}");
}

#[test]
fn a_change_that_needs_new_answers_asks_them_then_says_what_changed() {
    let lib = library();
    let mut app = app(&lib);
    answer_late_path(&mut app);
    keys(&mut app, &[KeyCode::End, Enter]);
    // From the summary: change "where did you send it" to "not sent yet".
    keys(
        &mut app,
        &[Char('c'), KeyCode::Home, Enter, Char('3'), Enter],
    );
    let t = screen_text(&app);
    assert!(t.contains("Making a complaint"), "{t}");
    assert!(t.contains("There are some new questions to answer"), "{t}");
    keys(&mut app, &[Enter]);
    insta::assert_snapshot!("check_after_new_questions", draw(&app, 80, 24).backend());
    let t = screen_text(&app);
    assert!(t.contains("New step: Write to the complaints team"), "{t}");
    assert!(
        t.contains("No longer asked (answer removed): When did you send it?"),
        "{t}"
    );
    keys(&mut app, &[KeyCode::End, Enter]);
    let sum = app.summary().expect("summary");
    assert_eq!(sum.steps.len(), 1);
    assert_eq!(sum.steps[0].title, "Write to the complaints team");
}

#[test]
fn the_command_the_save_dialog_gives_carries_on() {
    // The built-in trees, started as `signpost` starts them.
    let compiled = compile(&signpost::files::embedded());
    let lib = compiled.library.expect("the built-in trees compile");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = App::new(&lib, "start", today()).expect("start exists");
    app.set_color(false);
    app.set_save_dir(dir.path());
    keys(&mut app, &[Enter, Char('1'), Enter]);
    keys(&mut app, &[Char('s')]);
    let dialog = draw(&app, 200, 30).backend().to_string();
    assert!(
        dialog.contains("start Signpost the same way and add: --resume"),
        "{dialog}"
    );
    keys(&mut app, &[Enter]);
    let status = draw(&app, 200, 30).backend().to_string();
    let told = status
        .split("add --resume ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no --resume in: {status}"))
        .trim_end_matches('"');
    // "The same way" as `signpost` with no arguments: `signpost --resume FILE`.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["--resume", told])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("signpost starts");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        let _ = stdin.write_all(b"quit\n");
    }
    let out = child.wait_with_output().expect("signpost ends");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("Carrying on from {told}")),
        "{stdout}"
    );
    // The nation was answered, so the next question is the second one.
    let second = lib
        .flow("start")
        .and_then(|f| f.tree().nodes.get(1))
        .and_then(|n| n.question())
        .expect("start's second node is a question");
    assert!(stdout.contains(second), "{second}: {stdout}");
}

/// Update never writes: saving gives an `Effect::Write` for the loop, and only `perform`
/// touches the disk.
#[test]
fn saving_is_an_effect_the_loop_carries_out() {
    let lib = library();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app(&lib);
    app.set_save_dir(dir.path());
    keys(&mut app, &[Enter, Char('2'), Enter]);
    keys(&mut app, &[KeyCode::F(3)]);
    let effect = app.handle_key(KeyEvent::new(Enter, KeyModifiers::NONE));
    let path = dir.path().join("my-answers.signpost");
    let Effect::Write(w) = &effect else {
        panic!("expected a write, got {effect:?}");
    };
    assert_eq!(w.path, path);
    assert!(!w.replace);
    assert!(!path.exists(), "update wrote the file itself");
    assert_eq!(perform(&mut app, effect), Effect::None);
    assert!(path.exists());
}

/// Saving a second time (or over any file already there) asks "replace it?" with a yes and
/// a no; Enter alone does not replace, no keeps the file and lets the person pick a name.
#[test]
fn saving_twice_asks_before_replacing() {
    let lib = library();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app(&lib);
    app.set_save_dir(dir.path());
    keys(&mut app, &[Enter, Char('2'), Enter]);
    type_text(&mut app, "3/2/2025");
    keys(&mut app, &[Enter]);
    let path = dir.path().join("my-answers.signpost");
    // A file of the same name is already there (not one this session saved).
    std::fs::write(&path, "kept").expect("write");
    keys(&mut app, &[Char('s'), Enter]);
    assert!(matches!(app.popup(), Some(Popup::Replace { .. })));
    insta::assert_snapshot!("replace_popup", draw(&app, 80, 24).backend());
    // Enter, or anything but y and n, changes nothing.
    keys(&mut app, &[Enter, Char('s'), Char('x')]);
    assert!(matches!(app.popup(), Some(Popup::Replace { .. })));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "kept");
    // No: back to the name, with the file untouched.
    keys(&mut app, &[Char('n')]);
    assert!(matches!(app.popup(), Some(Popup::Save { .. })));
    assert!(screen_text(&app).contains("Type another name"));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "kept");
    // Enter asks again; yes replaces.
    keys(&mut app, &[Enter]);
    assert!(matches!(app.popup(), Some(Popup::Replace { .. })));
    keys(&mut app, &[Char('y')]);
    assert!(app.popup().is_none());
    let (answers, _) = signpost::save::read_progress(&path, &lib, ROOT).expect("replaced");
    assert_eq!(&answers, &app.session().canonical_answers());
    // Saving a second time asks again: the session's own file is no exception.
    keys(&mut app, &[Char('s'), Enter]);
    assert!(matches!(app.popup(), Some(Popup::Replace { .. })));
    keys(&mut app, &[Char('n')]);
    // Another name goes straight through.
    for _ in 0..30 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "other.signpost");
    keys(&mut app, &[Enter]);
    assert!(app.popup().is_none());
    assert!(dir.path().join("other.signpost").exists());
}

/// At the smallest size the wizard shows the question with at least four lines of answers
/// (a longer list scrolls with the answer picked) or asks for a bigger window, never part of
/// a question. (This question's help is long: at 40x12 it cannot fit.)
#[test]
fn a_small_window_shows_the_whole_question_or_asks_for_room() {
    let lib = library();
    let mut app = app(&lib);
    keys(&mut app, &[Enter]);
    app.update(Msg::Resize(40, 12));
    insta::assert_snapshot!("question_40x12", draw(&app, 40, 12).backend());
    app.update(Msg::Resize(40, 17));
    insta::assert_snapshot!("question_40x17", draw(&app, 40, 17).backend());
    // The first height at which it fits shows the question's first line and four answers.
    let fits = (12..40)
        .find(|&h| {
            app.update(Msg::Resize(40, h));
            !draw(&app, 40, h).backend().to_string().contains("bigger")
        })
        .expect("it fits at some height");
    let screen = draw(&app, 40, fits).backend().to_string();
    for n in ["1. ", "2. "] {
        assert!(screen.contains(n), "{fits}: {screen}");
    }
    // A box opened while the window is too small is shown over the message, not hidden.
    app.update(Msg::Resize(40, 17));
    keys(&mut app, &[KeyCode::Char('1'), Enter]);
    app.update(Msg::Resize(40, 12));
    assert!(draw(&app, 40, 12).backend().to_string().contains("bigger"));
    ctrl(&mut app, 's');
    let screen = draw(&app, 40, 12).backend().to_string();
    assert!(screen.contains("Save your answers"), "{screen}");
}

/// In a standard 80x24 terminal the built-in triage's longest choice (how the person is
/// related to the child: 12 answers) is shown with its question and takes an answer from the
/// end of the list, which scrolls into view (it once asked for a bigger window).
#[test]
fn a_long_choice_scrolls_in_an_80x24_window() {
    let lib = common::embedded();
    let mut app = App::new(&lib, "start", today()).unwrap();
    app.update(Msg::Resize(80, 24));
    keys(&mut app, &[Enter, KeyCode::Char('1'), Enter]);
    let screen = draw(&app, 80, 24).backend().to_string();
    assert!(
        screen.contains("How are you related to the child?"),
        "{screen}"
    );
    assert!(!screen.contains("bigger"), "{screen}");
    for _ in 0..12 {
        key(&mut app, KeyCode::Down);
    }
    let screen = draw(&app, 80, 24).backend().to_string();
    assert!(screen.contains("12. "), "{screen}");
    let asked = match app.session().position() {
        signpost::session::Position::Asking(k) => k.clone(),
        other => panic!("{other:?}"),
    };
    keys(&mut app, &[Enter]);
    assert_eq!(app.session().canonical_answers()[&asked], "other");
}

/// While the window is too small to show the page ("Please make this window bigger"), no key
/// but leaving answers, chooses or moves on: at 20x5, "3 Enter" once answered the first
/// question unseen. Made bigger again, the same keys work.
#[test]
fn a_window_too_small_for_the_page_takes_no_answer() {
    let lib = library();
    let mut app = app(&lib);
    app.update(Msg::Resize(20, 5));
    assert!(draw(&app, 20, 5).backend().to_string().contains("bigger"));
    keys(&mut app, &[Enter, Char(' '), Char('3'), Enter]);
    assert_eq!(app.screen(), &Screen::Start, "Enter started unseen");
    app.update(Msg::Resize(80, 24));
    keys(&mut app, &[Enter]);
    assert_eq!(app.screen(), &Screen::Question);
    // Too small on a question: neither numbers, Enter, Back nor "your answers" do anything.
    app.update(Msg::Resize(20, 5));
    for k in [
        Char('3'),
        Enter,
        Down,
        Char(' '),
        Char('1'),
        Enter,
        Char('b'),
        Char('a'),
    ] {
        keys(&mut app, &[k]);
        assert_eq!(app.screen(), &Screen::Question, "{k:?} acted unseen");
        assert!(app.session().answers().is_empty(), "{k:?} answered unseen");
    }
    app.update(Msg::Resize(80, 24));
    let before = screen_text(&app);
    assert!(
        !before.contains("(•)"),
        "nothing was chosen unseen:\n{before}"
    );
    keys(&mut app, &[Char('3'), Enter]);
    assert_eq!(
        app.session().answers().len(),
        1,
        "the keys work once it fits"
    );
    // On the summary: no restart, no change, no close while it cannot be seen; leaving works.
    let mut done = self::app(&lib);
    answer_late_path(&mut done);
    keys(&mut done, &[KeyCode::End, Enter]);
    assert_eq!(done.screen(), &Screen::Summary);
    let answers = done.session().answers().len();
    done.update(Msg::Resize(20, 5));
    for k in [
        Char('r'),
        Char('y'),
        Char('c'),
        Char('q'),
        Char('t'),
        Char('l'),
    ] {
        keys(&mut done, &[k]);
        assert_eq!(done.screen(), &Screen::Summary, "{k:?} acted unseen");
        assert!(done.popup().is_none(), "{k:?} opened a box unseen");
        assert_eq!(done.session().answers().len(), answers);
    }
    assert_eq!(ctrl(&mut done, 'q'), Effect::QuickExit);
}

/// Carrying on from a save with many answers the tree does not have names ten and counts the
/// rest, rather than listing every one (a tampered save once listed 200,000).
#[test]
fn resuming_names_at_most_ten_removed_answers() {
    let lib = library();
    let mut app = app(&lib);
    let answers = (0..25)
        .map(|i| {
            (
                signpost::session::NodeKey::new(ROOT, &format!("bogus{i}")),
                "yes".to_string(),
            )
        })
        .collect();
    app.resume(answers, false, "tampered.signpost");
    app.update(Msg::Resize(100, 60));
    let screen = draw(&app, 100, 60).backend().to_string();
    assert_eq!(screen.matches("no longer applies").count(), 10, "{screen}");
    assert!(
        screen.contains("15 more saved answers no longer apply"),
        "{screen}"
    );
}

/// Answers each question of the built-in start tree with its first option until one has ten
/// options or more; returns that page's option values.
fn to_a_long_list(app: &mut App, lib: &Library) -> Vec<String> {
    let glossary = signpost::glossary::Glossary::of(lib);
    key(app, KeyCode::Enter); // the start screen
    for _ in 0..20 {
        let page = signpost::page::Page::current(app.session(), &glossary).expect("a question");
        if page.options.len() >= 10 {
            return page.options.iter().map(|o| o.value.to_string()).collect();
        }
        keys(app, &[KeyCode::Char('1'), KeyCode::Enter]);
    }
    panic!("no question with ten options in the first twenty");
}

#[test]
fn typing_1_then_0_picks_the_tenth_option() {
    let compiled = compile(&signpost::files::embedded());
    let lib = compiled.library.expect("the built-in trees compile");
    let mut app = App::new(&lib, "start", today()).unwrap();
    let values = to_a_long_list(&mut app, &lib);
    // A tall window, so the tenth option is on screen without scrolling.
    app.update(Msg::Resize(80, 60));
    let screen = draw(&app, 80, 60).backend().to_string();
    assert!(screen.contains("10. "), "{screen}");
    let asked = match app.session().position() {
        signpost::session::Position::Asking(k) => k.clone(),
        other => panic!("{other:?}"),
    };
    keys(
        &mut app,
        &[KeyCode::Char('1'), KeyCode::Char('0'), KeyCode::Enter],
    );
    let given = app.session().canonical_answers()[&asked].clone();
    assert_eq!(given, values[9], "the tenth option, and only it");
}

use crate::common;

/// A long summary (the MC1704 scenario on the built-in trees): every item under "More that may
/// help" is its title only until the person chooses it with Tab and opens it with Enter.
#[test]
fn more_that_may_help_is_folded_until_opened() {
    let lib = common::embedded();
    let (_, sc) = common::scenarios()
        .into_iter()
        .find(|(n, _)| n.starts_with("mc1704"))
        .expect("the mc1704 scenario");
    let walked = common::scenario_session(&lib, &sc);
    let mut app = App::new(&lib, "start", walked.today()).expect("start exists");
    app.set_color(false);
    app.resume(walked.canonical_answers(), false, "mc1704.json");
    keys(&mut app, &[Enter]);
    keys(&mut app, &[KeyCode::End, Enter]);
    assert_eq!(app.screen(), &Screen::Summary);
    let sum = app.summary().expect("summary").clone();
    let whole = |app: &App| draw(app, 80, 1000).backend().to_string();
    let opening = |st: &summary::Step| {
        st.body
            .split_whitespace()
            .take(6)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let folded = whole(&app);
    let items: Vec<&summary::Step> = sum.more_items().collect();
    assert!(items.len() > 3, "{:?}", sum.more);
    for st in &items {
        let title: String = st
            .title
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            folded.contains(&title),
            "no title {title:?} under More that may help"
        );
        assert!(!folded.contains(&opening(st)), "{} is not folded", st.id);
    }
    // The continued items come first: the first Tab chooses the first answer's rest.
    let first = sum.continued().next().expect("an item continued below");
    let rest: String = first
        .rest()
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!folded.contains(&rest));
    keys(&mut app, &[KeyCode::Tab]);
    insta::assert_snapshot!("summary_more_chosen", draw(&app, 80, 24).backend());
    keys(&mut app, &[Enter]);
    insta::assert_snapshot!("summary_more_open", draw(&app, 80, 24).backend());
    assert!(whole(&app).contains(&rest), "Enter did not open it");
    // Enter again closes it; Shift-Tab from the first goes round to the last.
    keys(&mut app, &[Enter]);
    assert!(!whole(&app).contains(&rest));
    keys(&mut app, &[KeyCode::BackTab, Enter]);
    let last = items.last().unwrap();
    assert!(
        whole(&app).contains(&opening(last)),
        "the last item did not open"
    );
}
