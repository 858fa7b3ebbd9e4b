//! The session: back, change-and-replay, sub-flows, nations, and input validation.

use crate::common;

use std::path::Path;

use signpost::session::{Answer, NodeKey, Position, Session, StartError};
use signpost::summary;

fn lib() -> signpost::compile::Library {
    common::library(Path::new("tests/fixtures/valid/main.json"))
}

fn asking(s: &Session) -> String {
    match s.position() {
        Position::Asking(k) => k.to_string(),
        other => format!("{other:?}"),
    }
}

fn key(s: &str) -> NodeKey {
    NodeKey::parse(s).expect("key")
}

/// Answers the questions of the "complain" route, up to the sub-flow's date.
fn to_sub_flow(s: &mut Session) {
    for a in ["england", "ok", "complain,support", "2", "Sefton"] {
        s.answer(a).unwrap_or_else(|e| panic!("{a}: {e}"));
    }
}

#[test]
fn walks_into_a_sub_flow_carrying_the_nation_over() {
    let lib = lib();
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    assert_eq!(asking(&s), "main.nation");
    to_sub_flow(&mut s);
    // The sub-flow's own "where do you live" is answered already and not asked again.
    assert_eq!(asking(&s), "sub.sent_on");
    let carried: Vec<_> = s
        .trace()
        .answered
        .iter()
        .filter(|a| a.carried_over)
        .map(|a| a.key.to_string())
        .collect();
    assert_eq!(carried, vec!["sub.nation"]);
    s.answer("3/2/2025").unwrap();
    assert!(s.is_finished());
    let sum = summary::build(&s);
    let ids: Vec<&str> = sum.steps.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, vec!["sub.stage_2", "main.helplines", "main.general"]);
    let stage2 = &sum.steps[0];
    assert_eq!(stage2.due.as_ref().unwrap().long, "Monday 17 February 2025");
    assert!(stage2.due.as_ref().unwrap().passed);
    assert_eq!(
        stage2.because,
        vec!["\"Monday 3 February 2025\""],
        "the reason is the answer in the person's words, never the question"
    );
    assert_eq!(sum.letters.len(), 1);
    assert!(sum.letters[0].body.contains("Monday 3 February 2025"));
    // Carried-over answers are listed once, where they were given.
    assert_eq!(
        sum.answers
            .iter()
            .filter(|a| a.question == "Where do you live?")
            .count(),
        1
    );
}

#[test]
fn england_only_advice_is_not_given_to_people_in_wales() {
    let lib = lib();
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    for a in ["wales", "ok", "complain", "1", "Cardiff"] {
        s.answer(a).unwrap();
    }
    assert!(s.is_finished(), "{:?}", s.position());
    let sum = summary::build(&s);
    assert!(
        sum.steps.iter().all(|x| !x.id.starts_with("sub.")),
        "{:?}",
        sum.steps
    );
    assert!(
        sum.notices
            .iter()
            .any(|n| n.kind == summary::NoticeKind::Nation && n.text.contains("England only")),
        "{:?}",
        sum.notices
    );
}

#[test]
fn back_returns_to_the_previous_question_with_its_answer_offered() {
    let lib = lib();
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    assert!(!s.back(), "nothing to go back to at the start");
    s.answer("england").unwrap();
    s.answer("ok").unwrap();
    s.answer("support").unwrap();
    assert_eq!(asking(&s), "main.children");
    assert!(s.back());
    assert_eq!(asking(&s), "main.wants");
    assert_eq!(s.prefill(), Some(&Answer::Multi(vec!["support".into()])));
    assert!(s.back());
    assert_eq!(asking(&s), "main.intro", "info pages are steps too");
    assert!(s.back());
    assert_eq!(asking(&s), "main.nation");
    assert_eq!(s.prefill(), Some(&Answer::Choice("england".into())));
}

#[test]
fn changing_an_answer_replays_and_drops_what_no_longer_applies() {
    let lib = lib();
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    to_sub_flow(&mut s);
    s.answer("2025-02-03").unwrap();
    let before = summary::build(&s);
    assert!(before.steps.iter().any(|x| x.id == "sub.stage_2"));

    // Only support now: the complaint route and its date no longer apply.
    let report = s.change(&key("main.wants"), "support").unwrap();
    assert!(s.is_finished());
    assert_eq!(report.dropped, vec![key("sub.sent_on")]);
    let after = summary::build(&s);
    assert!(
        after.steps.iter().all(|x| !x.id.starts_with("sub.")),
        "{:?}",
        after.steps
    );
    assert!(after
        .answers
        .iter()
        .all(|a| !a.question.contains("complaint")));
    // Answers that still apply are kept.
    assert!(after.answers.iter().any(|a| a.answer == "Sefton"));

    // Changing back asks the date again: it was dropped, not silently reused.
    s.change(&key("main.wants"), "complain").unwrap();
    assert_eq!(asking(&s), "sub.sent_on");
}

#[test]
fn changing_to_a_new_route_keeps_later_answers_pending() {
    let lib = lib();
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    for a in ["england", "ok", "support", "2", "Sefton"] {
        s.answer(a).unwrap();
    }
    assert!(s.is_finished());
    s.change(&key("main.wants"), "complain").unwrap();
    // The new question is asked; the later answers were not thrown away on the way.
    assert_eq!(asking(&s), "sub.sent_on");
    assert_eq!(
        s.answers().get(&key("main.name")),
        Some(&Answer::Text("Sefton".into()))
    );
}

#[test]
fn input_is_validated_with_plain_messages() {
    let lib = lib();
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    let err = s.answer("scotland").unwrap_err();
    assert!(
        err.message.starts_with("Choose one of the options"),
        "{err}"
    );
    s.answer("England").unwrap(); // labels work too, in any case
    s.answer("ok").unwrap();
    assert!(s.answer("").unwrap_err().message.contains("at least one"));
    assert!(s
        .answer("none,support")
        .unwrap_err()
        .message
        .contains("can't be ticked together"));
    assert!(s
        .answer("flying")
        .unwrap_err()
        .message
        .contains("not one of the options"));
    s.answer("complain").unwrap();
    assert!(s
        .answer("lots")
        .unwrap_err()
        .message
        .contains("whole number"));
    assert!(s.answer("21").unwrap_err().message.contains("20 or less"));
    assert!(s.answer("-1").unwrap_err().message.contains("0 or more"));
    s.answer("3").unwrap();
    assert!(s
        .answer("   ")
        .unwrap_err()
        .message
        .contains("type an answer"));
    s.answer("Sefton\u{1b}[2J").unwrap();
    let name = s
        .trace()
        .answered
        .iter()
        .find(|a| a.key == key("main.name"))
        .unwrap();
    assert_eq!(name.answer, "Sefton[2J", "control characters are removed");
    assert_eq!(asking(&s), "sub.sent_on");
    assert!(s
        .answer("31/2/2025")
        .unwrap_err()
        .message
        .contains("not a real date"));
    assert!(s
        .answer("someday")
        .unwrap_err()
        .message
        .contains("couldn't read"));
    assert!(s
        .answer("1/3/2025")
        .unwrap_err()
        .message
        .contains("today or earlier"));
    // A date the bank-holiday calendar does not cover (before 1978) is accepted (nothing a
    // person truthfully answers stops the walk): the summary gives the rule and says why there
    // is no exact date.
    let mut beyond = s.clone();
    beyond.answer("3/2/1975").unwrap();
    assert!(beyond.is_finished());
    let summary = signpost::summary::build(&beyond);
    assert!(
        summary
            .notices
            .iter()
            .any(|n| n.kind == summary::NoticeKind::Calendar),
        "{:?}",
        summary.notices
    );
    // So is "I don't know".
    let mut unknown = s.clone();
    unknown.answer("I don't know").unwrap();
    assert!(unknown.is_finished());
    assert_eq!(asking(&s), "sub.sent_on");
    assert_eq!(s.trace().answered.len(), 5);
    s.answer("3 Feb 2025").unwrap();
    assert!(s.is_finished());
}

#[test]
fn restore_replays_saved_answers_and_reports_the_ones_that_do_not_fit() {
    let lib = lib();
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    let saved = [
        ("main.nation", "england"),
        ("main.intro", "ok"),
        ("main.wants", "support"),
        ("main.children", "99"),
        ("main.gone", "x"),
    ];
    let dropped = s.restore(saved.iter().map(|(k, v)| (key(k), v.to_string())).collect());
    assert_eq!(dropped, vec![key("main.children"), key("main.gone")]);
    assert_eq!(asking(&s), "main.children");
}

#[test]
fn the_same_answers_give_the_same_summary_as_walk() {
    let lib = lib();
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    to_sub_flow(&mut s);
    s.answer("2025-02-03").unwrap();
    let expected = signpost::render::json(&summary::build(&s));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["walk", "--today", "2025-02-28", "--format", "json"])
        .arg(common::root().join("tests/fixtures/valid/main.json"))
        .args([
            "-a",
            "nation=england",
            "-a",
            "wants=complain,support",
            "-a",
            "children=2",
            "-a",
            "name=Sefton",
            "-a",
            "sent_on=2025-02-03",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), expected.trim());
}

#[test]
fn plain_mode_reaches_the_same_summary_as_walk() {
    let lib = lib();
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    to_sub_flow(&mut s);
    s.answer("2025-02-03").unwrap();
    let expected = signpost::render::text(&summary::build(&s));
    // Numbers pick options; "back" goes back; Enter continues an info page.
    let typed = "1\n\nback\n\n1,2\n2\nSefton\n3/2/2025\n\n";
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
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains(&expected), "{out}");
    assert!(out.contains("  1. England"));
}

/// Input that ends before the next steps is an error (so a script piping answers in is told),
/// and nothing is saved; typing quit is not.
#[test]
fn plain_mode_fails_when_input_ends_before_the_summary() {
    let lib = lib();
    let run = |typed: &str| {
        let mut out = Vec::new();
        let result = signpost::plain::run_io(
            &lib,
            "main",
            common::today(),
            None,
            &mut typed.as_bytes(),
            &mut out,
        );
        (result, String::from_utf8(out).unwrap())
    };
    let (result, out) = run("1\n");
    let err = result.expect_err("input ended before the summary");
    assert!(
        err.contains("the input ended before the questions did"),
        "{err}"
    );
    assert!(out.contains("Nothing was saved"), "{out}");
    let (result, out) = run("1\nquit\n");
    assert!(result.is_ok(), "{result:?}");
    assert!(out.contains("Nothing was saved"), "{out}");
}

#[test]
fn typed_answers_are_checked_as_typed_text_is_and_save_the_same() {
    let lib = lib();
    let mut typed = Session::new(&lib, "main", common::today()).unwrap();
    let err = typed
        .answer_with(Answer::Choice("scotland".into()))
        .unwrap_err();
    assert!(
        err.message.starts_with("Choose one of the options"),
        "{err}"
    );
    assert!(typed.answer_with(Answer::Number(3)).is_err(), "wrong kind");
    typed.answer_with(Answer::Choice("england".into())).unwrap();
    typed.answer_with(Answer::Seen).unwrap();
    let err = typed
        .answer_with(Answer::Multi(vec!["none".into(), "support".into()]))
        .unwrap_err();
    assert!(err.message.contains("can't be ticked together"), "{err}");
    // Ticks are kept in the options' order, whatever order they came in.
    typed
        .answer_with(Answer::Multi(vec!["support".into(), "complain".into()]))
        .unwrap();
    assert!(typed
        .answer_with(Answer::Number(21))
        .unwrap_err()
        .message
        .contains("20 or less"));
    typed.answer_with(Answer::Number(2)).unwrap();
    typed
        .answer_with(Answer::Text(" Sefton\u{7}\n".into()))
        .unwrap();

    let mut read = Session::new(&lib, "main", common::today()).unwrap();
    to_sub_flow(&mut read);
    assert_eq!(typed.answers(), read.answers());
    assert_eq!(asking(&typed), asking(&read));
    assert_eq!(
        typed
            .canonical_answers()
            .get(&key("main.wants"))
            .map(String::as_str),
        Some("complain,support")
    );

    typed
        .change_with(&key("main.children"), Answer::Number(4))
        .unwrap();
    assert_eq!(
        typed.answers().get(&key("main.children")),
        Some(&Answer::Number(4))
    );
}

#[test]
fn starting_at_a_tree_that_is_not_there_says_which_trees_are() {
    let lib = lib();
    let err = Session::new(&lib, "nope", common::today()).err().unwrap();
    assert!(matches!(err, StartError::NoSuchTree { .. }));
    assert!(
        err.to_string()
            .starts_with("there is no tree `nope` (trees: "),
        "{err}"
    );
}

#[test]
fn a_change_reports_only_the_answers_it_really_dropped() {
    use signpost::changes::{Changes, Snapshot};
    let lib = lib();
    let mut s = Session::new(&lib, "main", common::today()).unwrap();
    to_sub_flow(&mut s);
    s.answer("2025-02-03").unwrap();
    assert!(s.is_finished());
    let before = Snapshot::of(&s);
    // Without "complain" the sub-flow no longer runs: its date question no longer applies, but
    // "where do you live" (answered in the main flow, carried into the sub-flow) still does.
    s.change(&key("main.wants"), "support").unwrap();
    let changes = Changes::between(&before, &Snapshot::of(&s));
    assert_eq!(changes.dropped.len(), 1, "{changes:?}");
    assert!(
        !changes
            .dropped
            .iter()
            .any(|q| q.to_lowercase().contains("where")),
        "{changes:?}"
    );
}

/// The seed situation MC1704 (a late complaint) read on 28 February 2025, with the complaint
/// sent on another day.
fn mc1704_sent_on(sent_on: &str) -> signpost::summary::Summary {
    let lib = common::embedded();
    let (_, sc) = common::scenarios()
        .into_iter()
        .find(|(n, _)| n.starts_with("mc1704"))
        .expect("the seed scenario");
    let answers: Vec<(String, String)> = sc
        .answers
        .into_iter()
        .map(|(k, v)| {
            if k == "sent_on" {
                (k, sent_on.to_string())
            } else {
                (k, v)
            }
        })
        .collect();
    let s = signpost::scenario::walk(&lib, &sc.tree, jiff::civil::date(2025, 2, 28), &answers)
        .expect("the walk finishes");
    signpost::summary::build(&s)
}

/// A complaint sent before the published bank holidays (2017: the rules give that year's) or
/// before the calendar's first year (1977: the count is approximate there, and the summary
/// says so) is still late: never "unknown", so the rule does not fall through to "wait for the
/// stage 1 reply" (issue 19).
#[test]
fn a_complaint_older_than_the_calendar_is_still_told_it_is_late() {
    let walk = mc1704_sent_on;
    for sent_on in ["5/6/1977", "5/6/2017", "5/6/2018"] {
        let sum = walk(sent_on);
        assert!(
            sum.steps
                .iter()
                .any(|st| st.id == "complaints.stage1_overdue"),
            "{sent_on}: {:?}",
            sum.steps.iter().map(|s| &s.id).collect::<Vec<_>>()
        );
    }
    let old = walk("5/6/1977");
    assert!(
        old.notices
            .iter()
            .any(|n| n.kind == summary::NoticeKind::Calendar
                && n.text.contains("may be a few days out")),
        "{:?}",
        old.notices
    );
    // 2017 is worked out from the rules: exact, so nothing to warn about.
    assert!(walk("5/6/2017").notices.is_empty());
}

/// A complaint sent before the complaints regulations took effect (1 September 2006) is told
/// the rules then may have been different; one sent under them is not, and every summary lists
/// the regulations with their start date (issue 17 part 6).
#[test]
fn a_step_about_an_event_before_its_law_took_effect_says_the_rules_may_have_differed() {
    let walk = mc1704_sent_on;
    let body = |sum: &signpost::summary::Summary| {
        sum.steps
            .iter()
            .find(|st| st.id == "complaints.stage1_overdue")
            .map(|st| st.body.clone())
            .expect("the complaint is late either way")
    };
    let old = walk("5/6/2005");
    assert!(
        body(&old).contains("applies from 1 September 2006. The date you gave, 5 June 2005, came before that, so the rules then may have been different"),
        "{}",
        body(&old)
    );
    let recent = walk("5/6/2018");
    assert!(
        !body(&recent).contains("may have been different"),
        "{}",
        body(&recent)
    );
    let regs = recent
        .sources
        .iter()
        .find(|s| s.url.contains("uksi/2006/1738"))
        .expect("the regulations are cited");
    assert_eq!(
        regs.dates(),
        format!("in force from 1 September 2006; checked {}", regs.checked)
    );
}

/// A summary prepared before a law it cites took effect says so: the kinship local offer
/// (Children's Wellbeing and Schools Act 2026, section 5, from 29 June 2026) read on 1 March 2026.
#[test]
fn a_summary_prepared_before_a_law_starts_says_it_is_not_in_force_yet() {
    let lib = common::embedded();
    let (_, sc) = common::scenarios()
        .into_iter()
        .find(|(_, s)| {
            s.expect
                .steps
                .iter()
                .chain(&s.expect.top)
                .any(|id| id == "kinship-fostering.kinship_local_offer")
        })
        .expect("a scenario that gets the kinship local offer");
    // Dates the person gave are moved before 1 March 2026, so the walk can be read then.
    let answers: Vec<(String, String)> = sc
        .answers
        .clone()
        .into_iter()
        .map(|(k, v)| match jiff::civil::Date::strptime("%Y-%m-%d", &v) {
            Ok(d) if d >= jiff::civil::date(2026, 2, 1) => (k, "2026-01-15".to_string()),
            _ => (k, v),
        })
        .collect();
    let at = |today| {
        let s =
            signpost::scenario::walk(&lib, &sc.tree, today, &answers).expect("the walk finishes");
        signpost::summary::build(&s)
    };
    // Said once, on the first item that cites the Act (see `no_sentence_is_said_twice`).
    let says = |sum: &signpost::summary::Summary, words: &str| {
        sum.items().any(|st| st.body.contains(words))
    };
    let before = at(jiff::civil::date(2026, 3, 1));
    assert!(before
        .items()
        .any(|st| st.id == "kinship-fostering.kinship_local_offer"));
    assert!(says(
        &before,
        "The law or guidance this follows applies from 29 June 2026, which is after today."
    ));
    let after = at(jiff::civil::date(2026, 12, 7));
    assert!(!says(&after, "after today"));
}

/// A tree where the last answer before an ending has nothing to do with why the walk got there:
/// `pet` and `colour` lead everyone to the same place.
const REASONS: &str = r#"{
  "format": 1, "id": "reasons", "title": "Reasons", "jurisdictions": ["any"],
  "reviewed": "2026-11-20", "start": "about",
  "nodes": [
    {"id": "about", "type": "choice", "question": "What is it about?", "options": [
      {"label": "Rent", "value": "rent", "next": "pet"},
      {"label": "Repairs", "value": "repairs", "next": "arrears"}]},
    {"id": "pet", "type": "choice", "question": "Do you have a pet?", "options": [
      {"label": "Yes", "value": "yes", "next": "rent_end"},
      {"label": "No", "value": "no", "next": "rent_end"}]},
    {"id": "rent_end", "type": "outcome", "advice": ["rent_help"]},
    {"id": "arrears", "type": "number", "question": "How much do you owe?", "min": 0,
     "examples": [50], "next": "owe"},
    {"id": "owe", "type": "branch", "rules": [{"when": "arrears > 100", "next": "colour"}],
     "otherwise": "small_end"},
    {"id": "colour", "type": "choice", "question": "Favourite colour?", "options": [
      {"label": "Red", "value": "red", "next": "page"},
      {"label": "Blue", "value": "blue", "next": "page"}]},
    {"id": "page", "type": "info", "title": "Debt", "body": "Read this.", "advice": ["debt_page"],
     "next": "debt_end"},
    {"id": "debt_end", "type": "outcome", "advice": ["debt_end"]},
    {"id": "small_end", "type": "outcome", "advice": ["small"]}
  ],
  "advice": {
    "rent_help": {"title": "Rent help", "body": "Ask about rent.", "sources": ["s"], "for": ["everyone"]},
    "debt_page": {"title": "Debt help", "body": "Ask about debt.", "sources": ["s"], "for": ["everyone"]},
    "debt_end": {"title": "Debt advice", "body": "See an adviser.", "sources": ["s"], "for": ["everyone"]},
    "small": {"title": "Small debt", "body": "Pay it off.", "sources": ["s"], "for": ["everyone"]}
  },
  "sources": {"s": {"title": "S", "url": "https://example.org", "checked": "2026-11-20"}}
}"#;

fn reasons_summary(answers: &[&str]) -> summary::Summary {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reasons.json");
    std::fs::write(&path, REASONS).unwrap();
    let lib = common::library(&path);
    let mut s = Session::new(&lib, "reasons", common::today()).unwrap();
    s.set_auto_continue(true);
    for a in answers {
        s.answer(a).unwrap();
    }
    assert!(s.is_finished());
    summary::build(&s)
}

fn because_of(sum: &summary::Summary, id: &str) -> Vec<String> {
    sum.steps
        .iter()
        .find(|st| st.id == id)
        .unwrap_or_else(|| panic!("no step {id}"))
        .because
        .iter()
        // Without the pointer to where it is in "What you told us".
        .map(|b| b.split(" (answer").next().unwrap().to_string())
        .collect()
}

#[test]
fn an_ending_names_the_option_that_led_to_it_not_the_last_answer() {
    let sum = reasons_summary(&["rent", "yes"]);
    assert_eq!(because_of(&sum, "reasons.rent_help"), vec!["\"Rent\""]);
}

#[test]
fn a_page_and_an_ending_after_a_branch_name_what_the_branch_read() {
    let sum = reasons_summary(&["repairs", "500", "red"]);
    // The branch `arrears > 100` chose the route; "Red" was answered last but changed nothing.
    assert_eq!(because_of(&sum, "reasons.debt_page"), vec!["\"500\""]);
    assert_eq!(because_of(&sum, "reasons.debt_end"), vec!["\"500\""]);
    // `otherwise` is taken because the rules were false: the answers they read.
    let sum = reasons_summary(&["repairs", "50"]);
    assert_eq!(because_of(&sum, "reasons.small"), vec!["\"50\""]);
}
