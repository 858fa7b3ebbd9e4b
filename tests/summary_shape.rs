//! The summary's shape: where you are now and what you asked come before the steps, in every
//! renderer; an unknown date gives the rule and no date; a key date on a weekend or in a year
//! whose bank holidays are not yet published says so; a date the calendar cannot count gives the
//! rule and a notice rather than stopping the walk.

mod common;

use jiff::civil::{date, Date};
use signpost::summary::{self, Summary};

fn walk(meeting: &str, worried: &str, today: Date) -> Summary {
    let lib = common::library(std::path::Path::new("tests/fixtures/summary"));
    let answers = vec![
        ("meeting".to_string(), meeting.to_string()),
        ("worried".to_string(), worried.to_string()),
    ];
    let s = signpost::scenario::walk(&lib, "shape", today, &answers).unwrap();
    summary::build(&s)
}

#[test]
fn where_you_are_and_what_you_asked_come_first_in_every_renderer() {
    let s = walk("2025-03-03", "meeting,plan", date(2025, 2, 28));
    assert_eq!(s.where_now.len(), 1);
    assert_eq!(s.asked.len(), 2);
    assert_eq!(
        s.steps.len(),
        1,
        "answers and the situation are not numbered steps"
    );
    let text = signpost::render::text(&s);
    let md = signpost::render::markdown(&s);
    for (out, heads) in [
        (
            &text,
            [
                "WHERE YOU ARE NOW",
                "WHAT YOU ASKED",
                "1. Prepare for the meeting",
            ],
        ),
        (
            &md,
            [
                "## Where you are now",
                "## What you asked",
                "## 1. Prepare for the meeting",
            ],
        ),
    ] {
        let at: Vec<usize> = heads
            .iter()
            .map(|h| out.find(h).unwrap_or_else(|| panic!("no {h} in:\n{out}")))
            .collect();
        assert!(at[0] < at[1] && at[1] < at[2], "{out}");
    }
    let json: serde_json::Value = serde_json::from_str(&signpost::render::json(&s)).unwrap();
    assert_eq!(json["asked"][0]["title"], "What happens at the meeting?");
    // The reason names the option the rule tested, not every option ticked.
    assert_eq!(s.asked[0].because.len(), 1, "{:?}", s.asked[0].because);
    assert!(s.asked[0].because[0].contains("The meeting"));
}

#[test]
fn an_unknown_date_gives_the_rule_and_no_date() {
    let s = walk("I don't know", "nothing", date(2025, 2, 28));
    let step = &s.steps[0];
    assert!(step.due.is_none());
    assert!(
        step.body.contains("Ask when the meeting is"),
        "{}",
        step.body
    );
    assert!(s.answers.iter().any(|a| a.answer == "I don't know"));
}

#[test]
fn a_date_on_a_weekend_or_a_provisional_year_says_so() {
    // Sunday 2 March 2025.
    let s = walk("2025-03-02", "nothing", date(2025, 2, 28));
    let due = s.steps[0].due.as_ref().unwrap();
    assert!(
        due.note
            .as_deref()
            .unwrap_or("")
            .contains("not a working day"),
        "{due:?}"
    );
    assert!(signpost::render::text(&s).contains("About this date"));
    // Wednesday 5 January 2028: bank holidays for 2028 are not yet published.
    let s = walk("2028-01-05", "nothing", date(2025, 2, 28));
    let due = s.steps[0].due.as_ref().unwrap();
    assert!(
        due.note
            .as_deref()
            .unwrap_or("")
            .contains("not published yet"),
        "{due:?}"
    );
    // A working day in a published year has no note.
    let s = walk("2025-03-03", "nothing", date(2025, 2, 28));
    assert!(s.steps[0].due.as_ref().unwrap().note.is_none());
}

#[test]
fn a_date_the_calendar_cannot_count_does_not_stop_the_walk() {
    let s = walk("2031-06-02", "nothing", date(2025, 2, 28));
    assert!(
        s.notices.iter().any(|n| n.contains("outside the years")),
        "{:?}",
        s.notices
    );
    // The date itself is still shown: it needs no counting.
    assert!(s.steps[0].body.contains("2031"), "{}", s.steps[0].body);
}
