//! The shipped advice: the four situations from the seed threads walk through to advice at least
//! as useful as the adviser replies they got, and no summary on any path states a misconception
//! from the facts file or carries a phone number outside contacts.json.

mod common;

use jiff::civil::{date, Date};
use signpost::compile::Library;
use signpost::session::{Position, Session};
use signpost::summary::{self, Summary};

/// Walks the built-in start tree answering by node id, as `signpost walk` does.
fn walk(lib: &Library, today: Date, answers: &[(&str, &str)]) -> Summary {
    let mut s = Session::new(lib, "start", today).unwrap();
    s.set_auto_continue(true);
    loop {
        match s.position().clone() {
            Position::Finished => break,
            Position::Blocked { message, .. } => panic!("blocked: {message}"),
            Position::Asking(key) => {
                let (_, value) = answers
                    .iter()
                    .find(|(k, _)| *k == key.node || *k == key.to_string())
                    .unwrap_or_else(|| panic!("the scenario has no answer for {key}"));
                s.answer(value)
                    .unwrap_or_else(|e| panic!("{key}={value}: {e}"));
            }
        }
    }
    summary::build(&s)
}

fn step<'a>(s: &'a Summary, id: &str) -> &'a summary::Step {
    s.steps.iter().find(|x| x.id == id).unwrap_or_else(|| {
        panic!(
            "no step {id}; steps: {:?}",
            s.steps.iter().map(|x| &x.id).collect::<Vec<_>>()
        )
    })
}

fn letter<'a>(s: &'a Summary, id: &str) -> &'a str {
    &s.letters
        .iter()
        .find(|l| l.id == id)
        .unwrap_or_else(|| panic!("no letter {id}"))
        .body
}

#[test]
fn mc1704_complaint_overdue_and_next_review() {
    // Her daughter has had a plan since 20 August 2024, reviewed 19 November 2024; her complaint
    // reached the complaints team on Monday 3 February 2025 and has had no reply.
    let lib = common::embedded();
    let s = walk(
        &lib,
        date(2025, 2, 28),
        &[
            ("nation", "england"),
            ("role", "parent"),
            ("situation", "cp_plan,complaint_made"),
            ("wants", "challenge_plan,complain"),
            ("icpc_date", "20/8/2024"),
            ("had_review", "yes"),
            ("last_review_date", "19/11/2024"),
            ("grounds", "none"),
            ("problems", "professionals_missing"),
            ("complaint_about", "council_service"),
            ("sent_to", "complaints_team"),
            ("stage", "stage_1"),
            ("sent_on", "3/2/2025"),
            ("stage1_reply", "no_reply"),
            ("also", "nothing"),
        ],
    );
    // The first step is the overdue stage 1 reply, with the date it was due and how late it is.
    let first = &s.steps[0];
    assert_eq!(first.id, "complaints.stage1_overdue");
    assert_eq!(first.due.as_ref().unwrap().long, "Monday 17 February 2025");
    assert!(first.body.contains("9 working days late"), "{}", first.body);
    assert!(first.body.contains("ask for stage 2"), "{}", first.body);
    assert!(letter(&s, "stage_2_request").contains("Monday 3 February 2025"));
    assert!(letter(&s, "stage_2_request").contains("[your council]"));
    // The next review, at most 6 months after the last one.
    let review = step(&s, "cpp-challenge.prepare_next_review");
    assert_eq!(review.due.as_ref().unwrap().long, "Monday 19 May 2025");
    assert!(review.body.contains("cannot change a conference decision"));
    step(&s, "cpp-challenge.raise_at_core_group");
    assert!(s.contacts.iter().any(|c| c.id == "frg_advice_line"));
}

#[test]
fn girlmamato5_challenge_with_her_grounds_and_a_supporter() {
    // Plan made at a conference in June 2025; the August review kept it for 6 months; she
    // disputes the threshold; her complaints went unanswered; she would like support at meetings.
    let lib = common::embedded();
    let s = walk(
        &lib,
        date(2025, 9, 22),
        &[
            ("nation", "england"),
            ("role", "parent"),
            ("situation", "cp_plan,complaint_made"),
            ("wants", "challenge_plan,complain,advocate_or_supporter"),
            ("icpc_date", "2025-06-20"),
            ("had_review", "yes"),
            ("last_review_date", "2025-08-20"),
            ("grounds", "criteria_not_met,continue_not_met"),
            ("decision_date", "2025-08-20"),
            ("problems", "things_better"),
            ("complaint_about", "council_service"),
            ("sent_to", "complaints_team"),
            ("stage", "stage_1"),
            ("sent_on", "2025-08-01"),
            ("stage1_reply", "no_reply"),
            ("also", "nothing"),
            ("need", "supporter,advocate_for_me"),
            ("meeting", "review"),
            ("meeting_date", "2026-02-20"),
        ],
    );
    let challenge = step(&s, "cpp-challenge.challenge_decision");
    assert!(
        challenge.body.contains("conference chair"),
        "{}",
        challenge.body
    );
    let l = letter(&s, "challenge_conference_decision");
    assert!(
        l.to_lowercase().contains("criteria"),
        "the letter lists her grounds: {l}"
    );
    assert_eq!(
        step(&s, "cpp-challenge.prepare_next_review")
            .due
            .as_ref()
            .unwrap()
            .long,
        "Friday 20 February 2026"
    );
    step(&s, "cpp-challenge.ask_for_earlier_review");
    step(&s, "complaints.stage1_overdue");
    step(&s, "advocacy.bring_supporter");
    let advocate = step(&s, "advocacy.ask_council_for_advocate");
    assert!(
        advocate.body.contains("no legal right")
            || advocate.body.contains("not have a legal right")
            || advocate.body.contains("no right"),
        "{}",
        advocate.body
    );
    // POhWER is not for parents at conferences (facts.md, section 4).
    assert!(s.contacts.iter().all(|c| c.id != "pohwer"));
}

#[test]
fn anon2022_asked_to_end_the_relationship_with_no_charges() {
    // July 2022: his partner's children are on a plan; she is told to end the relationship with
    // him; no charges were brought; the promised direct work has not happened.
    let lib = common::embedded();
    let s = walk(
        &lib,
        date(2022, 7, 20),
        &[
            ("nation", "england"),
            ("role", "accused_person"),
            (
                "situation",
                "cp_plan,allegation_or_police,asked_to_end_relationship",
            ),
            ("wants", "challenge_plan,support_helplines"),
            ("icpc_date", "2022-04-20"),
            ("had_review", "no"),
            ("grounds", "none"),
            ("problems", "work_not_happening"),
            ("support_needs", "sexual_harm"),
        ],
    );
    let rel = step(&s, "cpp-challenge.relationship_request");
    assert!(rel.body.contains("not legally binding"), "{}", rel.body);
    assert!(letter(&s, "ask_plan_in_writing").contains("relationship"));
    step(&s, "cpp-challenge.write_about_agreed_work");
    assert!(letter(&s, "agreed_work_not_happening")
        .to_lowercase()
        .contains("team manager"));
    let proof = step(&s, "cpp-challenge.standard_of_proof");
    assert!(
        proof.body.contains("balance of probabilities"),
        "{}",
        proof.body
    );
    step(&s, "support.call_stop_it_now");
}

#[test]
fn anon2022_later_wants_support_to_live_a_normal_life() {
    // January 2023: no involvement now; he wants to know where to turn.
    let lib = common::embedded();
    let s = walk(
        &lib,
        date(2023, 1, 8),
        &[
            ("nation", "england"),
            ("role", "accused_person"),
            ("situation", "none"),
            ("wants", "support_helplines"),
            ("support_needs", "sexual_harm,criminal_record,distress"),
        ],
    );
    step(&s, "support.call_stop_it_now");
    let stop = s
        .contacts
        .iter()
        .find(|c| c.id == "stop_it_now")
        .expect("Stop It Now is listed");
    assert_eq!(stop.contact.phone.as_deref(), Some("0808 1000 900"));
    assert!(
        stop.contact.note.as_deref().unwrap_or("").contains("pass"),
        "warns before calling: {:?}",
        stop.contact.note
    );
    step(&s, "support.plan_for_future_involvement");
    step(&s, "support.samaritans_help");
    // Unlock's number is not confirmed (facts.md): it is listed by its website only.
    let unlock = s
        .contacts
        .iter()
        .find(|c| c.id == "unlock")
        .expect("Unlock is listed");
    assert_eq!(unlock.contact.phone, None);
}

#[test]
fn people_outside_england_never_get_englands_route() {
    let lib = common::embedded();
    for nation in ["wales", "scotland", "northern_ireland", "elsewhere"] {
        let s = walk(&lib, date(2025, 2, 28), &[("nation", nation)]);
        assert!(!s.steps.is_empty());
        for st in &s.steps {
            assert!(st.id.starts_with("start."), "{nation}: {}", st.id);
            for word in [
                "Local Government and Social Care Ombudsman",
                "stage 2",
                "Working Together",
            ] {
                assert!(
                    !st.body.contains(word),
                    "{nation}: {} mentions {word}",
                    st.id
                );
            }
        }
    }
}

/// Every text a person can read on any path: summaries (steps, letters) from every walk.
fn every_rendered_summary() -> Vec<(String, String)> {
    let lib = common::embedded();
    let mut out = Vec::new();
    for tree in lib.flows.keys() {
        let e = signpost::paths::enumerate(
            &lib,
            tree,
            common::today(),
            signpost::limits::MAX_WALKED_PATHS,
        )
        .unwrap();
        for (i, p) in e.paths.iter().enumerate() {
            out.push((
                format!("{tree} path {}", i + 1),
                signpost::render::text(&p.summary),
            ));
        }
    }
    out
}

#[test]
fn no_summary_states_a_misconception() {
    // From the end of shared/content/facts.md. Each is a phrase that would state the wrong thing.
    let forbidden = [
        "plan based on future risk is unlawful",
        "unlawful to base",
        "complaint can overturn",
        "complaint can change the conference",
        "complaint will overturn",
        "conference can remove",
        "conference could remove",
        "right to a funded advocate",
        "entitled to an advocate",
        "ombudsman can change",
        "ombudsman can overturn",
        "more serious the allegation",
        "source of the risk has been removed",
        "source of risk",
        "legally questionable",
    ];
    for (name, text) in every_rendered_summary() {
        let lower = text.to_lowercase();
        for f in forbidden {
            if let Some(at) = lower.find(f) {
                // A sentence that denies it ("no right to a funded advocate") is fine.
                let start = (0..=at.saturating_sub(30))
                    .rev()
                    .find(|&i| lower.is_char_boundary(i))
                    .unwrap_or(0);
                let before = &lower[start..at];
                assert!(
                    before.contains("no ") || before.contains("not ") || before.contains("cannot"),
                    "{name}: states \"{f}\""
                );
            }
        }
    }
}

#[test]
fn phone_numbers_live_only_in_contacts() {
    // Any run of 6+ digits (spaces allowed) in a tree or letter is a number written inline.
    let embedded = signpost::files::embedded();
    for f in embedded.trees.iter().chain(&embedded.letters) {
        let digits: String = f
            .text
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    c
                } else if c == ' ' {
                    ' '
                } else {
                    '|'
                }
            })
            .collect();
        for chunk in digits.split('|') {
            let n = chunk.chars().filter(char::is_ascii_digit).count();
            assert!(
                n < 6 || chunk.trim().starts_with("20"),
                "{}: a phone number? {chunk:?}",
                f.path
            );
        }
    }
    // Numbers facts.md marks unconfirmed never appear anywhere.
    let contacts = &embedded.contacts.text;
    for unconfirmed in ["01634 247350", "0808 808 1001"] {
        assert!(
            !contacts.contains(unconfirmed),
            "{unconfirmed} is not confirmed"
        );
    }
}

#[test]
fn every_contact_and_source_has_a_checked_date() {
    let lib = common::embedded();
    for (id, c) in &lib.contacts {
        assert!(signpost::calendar::parse_iso(&c.checked).is_some(), "{id}");
    }
    for flow in lib.flows.values() {
        for (id, s) in &flow.tree.sources {
            assert!(
                signpost::calendar::parse_iso(&s.checked).is_some(),
                "{}.{id}",
                flow.tree.id
            );
        }
    }
}
