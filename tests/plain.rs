//! Plain mode and the page it shares with the wizard: section and question numbers, earlier
//! answers in words, "check your answers" with changes, saving without overwriting, and option
//! numbers past nine.

use crate::common;

use std::path::Path;

use signpost::glossary::Glossary;
use signpost::page::{Input, Page, Reply};
use signpost::session::Session;

fn lib() -> signpost::compile::Library {
    common::library(Path::new("tests/fixtures/valid/main.json"))
}

/// Runs plain mode on the fixture tree with `typed` as the keyboard; returns what it printed.
fn plain(typed: &str) -> String {
    let lib = lib();
    let mut out = Vec::new();
    signpost::plain::run_io(
        &lib,
        "main",
        common::today(),
        None,
        &mut typed.as_bytes(),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

/// The whole fixture route: nation, the info page, two wishes, a number, a name, a date.
const ROUTE: &str = "1\n\n1,2\n2\nSefton\n3/2/2025\n";

fn question_numbers(out: &str) -> Vec<usize> {
    out.lines()
        .filter_map(|l| l.split_once(", question ").map(|(_, n)| n.trim()))
        .filter_map(|n| n.parse().ok())
        .collect()
}

#[test]
fn each_question_shows_its_section_and_a_number_that_never_repeats() {
    let out = plain(&format!("{ROUTE}\n"));
    let numbers = question_numbers(&out);
    assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>(), "{out}");
    assert!(numbers.len() >= 6, "{out}");
    // The fixture trees set no section, so their titles name the part.
    assert!(out.contains("Every node type, question 1\n"), "{out}");
    assert!(!out.contains("more at most"), "{out}");
}

#[test]
fn an_earlier_answer_is_read_back_in_words_never_as_internal_values() {
    let out = plain("1\n\n1,2\nback\nquit\n");
    assert!(
        out.contains("(Your earlier answer: Complaining; Support)"),
        "{out}"
    );
    assert!(!out.contains("complain,support"), "{out}");
}

#[test]
fn help_explains_the_words_on_the_page() {
    let lib = common::embedded();
    let glossary = Glossary::of(&lib);
    // The second question of the start tree talks about parental responsibility.
    let mut s = Session::new(&lib, "start", common::today()).unwrap();
    let first = Page::current(&s, &glossary).unwrap();
    first.answer(&mut s, &Reply::Pick(1)).unwrap();
    let page = Page::current(&s, &glossary).unwrap();
    let terms: Vec<&str> = page.terms.iter().map(|t| t.term.as_str()).collect();
    assert!(
        terms
            .iter()
            .any(|t| t.to_lowercase().contains("parental responsibility")),
        "{terms:?}"
    );
    let mut out = Vec::new();
    signpost::plain::run_io(
        &lib,
        "start",
        common::today(),
        None,
        &mut "1\nhelp\nquit\n".as_bytes(),
        &mut out,
    )
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    let term = page.terms[0];
    assert!(
        out.contains(&format!("{}: {}", term.term, term.definition)),
        "{out}"
    );
}

#[test]
fn answers_are_checked_and_can_be_changed_before_the_next_steps() {
    // At "check your answers", change the first answer (England -> Wales), then see what the
    // change did, then the next steps.
    let out = plain(&format!("{ROUTE}1\n2\n\n"));
    assert_eq!(out.matches("Check your answers").count(), 2, "{out}");
    assert!(out.contains("What your change did:"), "{out}");
    assert!(out.contains("Type back to keep your answer."), "{out}");
    let check = out.find("What your change did:").unwrap();
    assert!(out[check..].contains("Wales"), "{out}");
}

#[test]
fn saving_progress_twice_asks_before_replacing_another_file() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine.signpost");
    let other = dir.path().join("other.signpost");
    std::fs::write(&other, "keep me").unwrap();
    let out = plain(&format!(
        "1\nsave\n{}\n\nsave\n\n\nsave\n{}\n\nquit\n",
        mine.display(),
        other.display()
    ));
    // First save, then again to the same file (no question), then to a file already there.
    assert_eq!(out.matches("Your answers are saved in").count(), 2, "{out}");
    assert!(out.contains("There is already a file called"), "{out}");
    assert!(out.contains("Not saved."), "{out}");
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");
    let saved = std::fs::read_to_string(&mine).unwrap();
    assert!(saved.contains("\"main.nation\""), "{saved}");
    // The file it wrote carries on where it stopped.
    let lib = lib();
    let mut out = Vec::new();
    signpost::plain::run_io(
        &lib,
        "main",
        common::today(),
        Some(&mine),
        &mut "quit\n".as_bytes(),
        &mut out,
    )
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("Carrying on from"), "{out}");
    // It saved after the first answer, and the page after it was read before quitting.
    assert!(out.contains("Every node type, question 3"), "{out}");
}

#[test]
fn saving_the_summary_over_a_file_needs_a_yes() {
    let dir = tempfile::tempdir().unwrap();
    let there = dir.path().join("steps.txt");
    std::fs::write(&there, "keep me").unwrap();
    let out = plain(&format!("{ROUTE}\n{}\n\n", there.display()));
    assert!(out.contains("There is already a file called"), "{out}");
    assert_eq!(std::fs::read_to_string(&there).unwrap(), "keep me");
    let out = plain(&format!("{ROUTE}\n{}\nyes\n", there.display()));
    assert!(out.contains("Saved to"), "{out}");
    assert_ne!(std::fs::read_to_string(&there).unwrap(), "keep me");
}

/// Answers every page with its first option (or "I don't know", 1, some text) until the end,
/// collecting the pages.
fn walk_first_options<'l>(lib: &'l signpost::compile::Library, root: &str) -> Vec<Page<'l>> {
    let glossary = Glossary::of(lib);
    let mut s = Session::new(lib, root, common::today()).unwrap();
    let mut pages = Vec::new();
    while let Some(page) = Page::current(&s, &glossary) {
        let reply = match page.input {
            Input::One => Reply::Pick(1),
            // The second box where there is one: the first is often "none yet", which skips every part.
            Input::Several => Reply::Tick(vec![if page.options.len() > 2 { 2 } else { 1 }]),
            Input::Date => Reply::Typed("I don't know".into()),
            Input::Number { .. } => Reply::Typed("1".into()),
            Input::Text { .. } => Reply::Typed("x".into()),
            Input::Continue => Reply::Continue,
        };
        page.answer(&mut s, &reply)
            .unwrap_or_else(|e| panic!("{}: {e}", page.key));
        pages.push(page);
        assert!(pages.len() < 200, "the walk does not end");
    }
    pages
}

#[test]
fn question_numbers_count_up_by_one_across_every_part() {
    let lib = common::embedded();
    let pages = walk_first_options(&lib, "start");
    let numbers: Vec<usize> = pages.iter().map(|p| p.progress.number).collect();
    assert_eq!(numbers, (1..=pages.len()).collect::<Vec<_>>());
    let sections: std::collections::BTreeSet<&str> =
        pages.iter().map(|p| p.progress.section).collect();
    assert!(sections.contains("About you"), "{sections:?}");
    assert!(sections.len() > 1, "{sections:?}");
}

#[test]
fn typing_10_picks_the_tenth_option() {
    let lib = common::embedded();
    let page = walk_first_options(&lib, "start")
        .into_iter()
        .find(|p| p.options.len() >= 10)
        .expect("a question with ten options or more");
    let tenth = page.options[9].value.to_string();
    let reply = page.read_reply("10");
    assert!(
        matches!(&reply, Reply::Pick(10)) || reply == Reply::Tick(vec![10]),
        "{reply:?}"
    );
    // Options are read from the page alone: a session is only needed for typed text.
    let s = Session::new(&lib, "start", common::today()).unwrap();
    assert_eq!(page.answer_for(&s, &reply).unwrap().canonical(), tenth);
    if page.input == Input::Several {
        let both = page
            .answer_for(&s, &page.read_reply("1, 10"))
            .unwrap()
            .canonical();
        assert_eq!(both.split(',').nth(1), Some(tenth.as_str()));
    }
    assert!(page
        .answer_for(&s, &Reply::Pick(page.options.len() + 1))
        .is_err());
}

/// A number's bounds come from the page, as the wizard and the web show them: the fixture's
/// "How many children live with you?" is from 0 to 20.
#[test]
fn a_number_question_says_its_allowed_range() {
    let out = plain("1\n\n1,2\nquit\n");
    assert!(
        out.contains("Type a whole number. It must be from 0 to 20."),
        "{out}"
    );
}

/// The page carries the bounds; the words are the core's, one sentence for every front end.
#[test]
fn the_page_carries_a_numbers_bounds() {
    let lib = lib();
    let glossary = Glossary::of(&lib);
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    for reply in [Reply::Pick(1), Reply::Continue, Reply::Tick(vec![1, 2])] {
        let page = Page::current(&s, &glossary).unwrap();
        page.answer(&mut s, &reply).unwrap();
    }
    let page = Page::current(&s, &glossary).unwrap();
    assert_eq!(
        page.input,
        Input::Number {
            min: Some(0),
            max: Some(20)
        }
    );
    assert_eq!(
        page.number_range().as_deref(),
        Some("It must be from 0 to 20.")
    );
    // Typed text is read by the session's parser, once: out of range is refused in words.
    let e = page.answer_for(&s, &Reply::Typed("21".into())).unwrap_err();
    assert_eq!(e.message, "The number must be 20 or less.");
}
