//! `signpost explain ID` and `signpost contacts`.

use crate::common;

use std::path::Path;

use common::signpost;

#[test]
fn explain_finds_where_advice_is_added_and_where_it_ends() {
    let lib = common::library(Path::new("tests/fixtures/graph/advice.json"));
    let explain = |id: &str| signpost::explain::explain(&lib, id).unwrap_or_else(|e| panic!("{e}"));
    let chase = explain("chase");
    assert!(
        chase.contains("advice_pictures.replied (choice,") && chase.contains("option \"No\""),
        "{chase}"
    );
    assert!(
        chase.contains("ends at:\n    advice_pictures.done"),
        "{chase}"
    );
    assert!(explain("complain").contains("rule `sent_on and working_days(sent_on, today) > 20`"));
    assert!(explain("keep_copy").contains("advice_pictures.sent_on (date,"));
    assert!(explain("keep_copy").contains("when answered"));
    assert!(explain("ask_meeting").contains("option \"A meeting\" ticked"));
    assert!(explain("done_step").contains("the ending"));
    let prepare = explain("prepare_meeting");
    assert!(
        prepare.contains("advice_pictures.situation (advise,")
            && prepare.contains("rule `'meeting' in wants` (when true)"),
        "{prepare}"
    );
    assert!(explain("wants").contains("advice_pictures.situation (advise,"));
    // The same by `tree.advice`.
    assert_eq!(explain("advice_pictures.chase"), chase);
    let root = format!("{}/", common::root().display());
    insta::assert_snapshot!("explain_chase", chase.replace(&root, ""));
}

#[test]
fn explain_finds_where_a_fact_is_set_carried_and_read() {
    let (code, out, err) = signpost(&["explain", "relationship"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("Fact `relationship`\n  set by:\n"), "{out}");
    assert!(
        out.contains("complaints.relationship (choice, trees/complaints.json /nodes/0)"),
        "{out}"
    );
    // A module is given it by the tree that runs it.
    assert!(
        out.contains("takes it as an input from the tree that runs it"),
        "{out}"
    );
    assert!(out.contains("carries it into `"), "{out}");
    assert!(out.contains("read by:\n"), "{out}");
    // Read by an advice item's due date and its letter.
    let (_, out, _) = signpost(&["explain", "sent_on"]);
    assert!(out.contains("due: add_working_days(sent_on, 10)"), "{out}");
    assert!(out.contains("letter `stage_2_request`"), "{out}");
}

#[test]
fn explain_finds_which_trees_use_a_contact_or_letter() {
    let (code, out, _) = signpost(&["explain", "stage_2_request"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("Letter `stage_2_request`"), "{out}");
    assert!(out.contains("complaints.stage1_overdue"), "{out}");
    assert!(out.contains("in trees:\n    complaints\n"), "{out}");
    let (_, out, _) = signpost(&["explain", "stop_it_now"]);
    assert!(out.starts_with("Contact `stop_it_now`"), "{out}");
    let trees = out.split("in trees:\n    ").nth(1).unwrap_or_default();
    assert!(
        trees.lines().next().unwrap_or_default().contains("support"),
        "{out}"
    );
    // Which tree runs another.
    let (_, out, _) = signpost(&["explain", "complaints"]);
    assert!(
        out.contains("run by:\n    start.complaints (flow,"),
        "{out}"
    );
}

#[test]
fn explain_of_an_unknown_name_suggests_the_nearest() {
    let (code, _, err) = signpost(&["explain", "sent_onn"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("nothing is called `sent_onn`"), "{err}");
    assert!(err.contains("did you mean `sent_on`?"), "{err}");
}

#[test]
fn contacts_lists_ids_names_phones_and_checked_dates() {
    let (code, out, _) = signpost(&["contacts"]);
    assert_eq!(code, Some(0));
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("id")
            && first.contains("name")
            && first.contains("phone")
            && first.contains("checked"),
        "{out}"
    );
    let frg = out
        .lines()
        .find(|l| l.starts_with("frg_advice_line "))
        .expect("frg_advice_line is listed");
    assert!(frg.contains("Family Rights Group advice line"), "{frg}");
    assert!(frg.contains("0808 801 0366"), "{frg}");
    assert!(frg.contains("2026-12-07"), "{frg}");
    // Local contacts are listed with the built-in ones, each with its file.
    let (_, out, _) = signpost(&["contacts", "tests/fixtures/folders/local-data"]);
    let local = out
        .lines()
        .find(|l| l.starts_with("housing_law_line "))
        .expect("the local contact");
    assert!(
        local.ends_with("tests/fixtures/folders/local-data/contacts.json"),
        "{local}"
    );
    let replaced = out
        .lines()
        .find(|l| l.starts_with("citizens_advice "))
        .expect("the replaced contact");
    assert!(
        replaced.contains("Citizens Advice (our local office)"),
        "{replaced}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("frg_advice_line ")),
        "{out}"
    );
}

/// `signpost explain CODE` prints that code's page of docs/diagnostics.md, for every error and
/// lint code (issue 21 part 5), in either case; an unknown code says where the codes are.
#[test]
fn explain_prints_the_page_of_every_diagnostic_code() {
    let codes = signpost::diagnostics::CODES
        .iter()
        .chain(signpost::lint::LINTS)
        .map(|(c, _)| *c);
    for code in codes {
        let (status, out, err) = signpost(&["explain", &code.to_lowercase()]);
        assert_eq!(status, Some(0), "{code}: {err}");
        assert!(out.starts_with(&format!("{code}\n")), "{code}: {out}");
        assert!(out.len() > code.len() + 40, "{code} has a page: {out}");
        assert!(!out.contains("\n## "), "{code}: only its own page: {out}");
    }
    let (status, _, err) = signpost(&["explain", "E999"]);
    assert_eq!(status, Some(1));
    assert!(err.contains("there is no diagnostic E999"), "{err}");
}
