//! The triage (start) and the modules it runs have far more paths than can be walked, so the
//! scenarios in tests/scenarios/ stand in for them: each scenario's advice items are a snapshot
//! (reviewed like code; the whole text for the seed posters and a sample, `WHOLE_TEXT`), every advice item of those trees is shown by at least one scenario, the
//! rules that must hold on every path hold on every scenario, and the number of questions asked
//! stays within what a worried person can face.

use crate::common;

use std::collections::BTreeSet;

use signpost::format::Node;

/// The scenarios whose whole text is the snapshot: the four seed posters' walks (their words are
/// what the recall note measures) and a sample of the other situations, one per kind. Every other
/// scenario's snapshot is its advice items (`items`), so rewording an item or adding a triage
/// question that changes no advice leaves them alone.
const WHOLE_TEXT: &[&str] = &[
    "anon2022-asked-to-end-relationship",
    "anon2022-later-support",
    "mc1704-complaint-overdue",
    "girlmamato5-challenge-the-plan",
    "accused-charged",
    "adoption-mother-child-placed-leave-to-oppose",
    "answers-topic-special-guardian",
    "cao-grandfather-holder-what-it-gives",
    "court-parent-section-20",
    "cp-process-complaint-checks-the-procedure",
    "domestic-abuse-harmed-parent",
    "education-special-guardian-child-was-in-care",
    "family-father-without-pr",
    "grandparents-grandmother-contact-stopped",
    "kinship-aunt-turned-down-at-panel",
    "lado-foster-carer-28-days",
    "legal-grandparent-caring-in-care-proceedings",
    "looked-after-parent-care-order-review-overdue",
    "orders-mother-refused-discharge-child-at-home",
    "outside-england-scotland",
    "partner-risk-new-partner",
    "police-victim-nfa-review",
    "prebirth-mother-removal-at-birth",
    "private-victim-mother-protections-first",
    "proceedings-mother-first-hearing-coming",
    "process-icpc-parent-several-children",
    "records-parent-records-and-mistakes",
    "section-20-father-without-pr-not-told-he-can-remove",
    "sgo-parent-wants-child-back",
    "support-for-a-worried-grandmother",
    "wales-gets-its-own-route",
];

#[test]
fn every_scenario_summary_is_snapshot() {
    let lib = common::embedded();
    let scenarios = common::scenarios();
    for name in WHOLE_TEXT {
        assert!(
            scenarios.iter().any(|(n, _)| n == name),
            "WHOLE_TEXT names {name}, which is not a scenario"
        );
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/scenarios");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, sc) in scenarios {
            let s = common::scenario_session(&lib, &sc);
            let summary = signpost::summary::build(&s);
            let shown = if WHOLE_TEXT.contains(&name.as_str()) {
                signpost::render::text(&summary)
            } else {
                items(&summary)
            };
            insta::assert_snapshot!(name.clone(), shown);
        }
    });
}

/// A summary as its advice items: each part's items in order, with the answers that caused each
/// (question, and the option ticked) and its date; the contacts and letters; the notices.
fn items(sum: &signpost::summary::Summary) -> String {
    use std::fmt::Write;
    let step = |st: &signpost::summary::Step| {
        let reasons: Vec<String> = st
            .reasons()
            .iter()
            .map(|r| match &r.ticked {
                Some(t) => format!("{}.{}={t}", r.key.tree, r.key.node),
                None => format!("{}.{}", r.key.tree, r.key.node),
            })
            .collect();
        let due = st
            .due
            .as_ref()
            .map(|d| format!(" due {}", d.date))
            .unwrap_or_default();
        format!("- {}{due} (because {})\n", st.id, reasons.join(", "))
    };
    let by_id = |id: &str| {
        sum.where_now
            .iter()
            .chain(&sum.asked)
            .chain(&sum.steps)
            .find(|s| s.id == id)
    };
    let mut out = String::new();
    let mut part = |heading: &str, ids: &mut dyn Iterator<Item = &str>| {
        let lines: String = ids.filter_map(by_id).map(step).collect();
        if !lines.is_empty() {
            let _ = write!(out, "{heading}:\n{lines}");
        }
    };
    part(
        "where you are now",
        &mut sum.where_now.iter().take(1).map(|s| s.id.as_str()),
    );
    part(
        "your questions",
        &mut sum
            .asked
            .iter()
            .map(|s| s.id.as_str())
            .filter(|id| !sum.more.iter().any(|m| m == id)),
    );
    part("do these first", &mut sum.first.iter().map(String::as_str));
    part(
        "more that may help",
        &mut sum.more.iter().map(String::as_str),
    );
    let others: Vec<&str> = sum
        .contacts
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| !sum.who_can_help.iter().any(|w| w == id))
        .collect();
    let letters: Vec<&str> = sum.letters.iter().map(|l| l.id.as_str()).collect();
    let who: Vec<&str> = sum.who_can_help.iter().map(String::as_str).collect();
    for (heading, list) in [
        ("who can help", who),
        ("other contacts", others),
        ("letters", letters),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "{heading}: {}", list.join(", "));
        }
    }
    for n in &sum.notices {
        let _ = writeln!(out, "notice: {n}");
    }
    out
}

#[test]
fn every_step_of_the_triage_and_its_modules_is_shown_by_a_scenario() {
    let lib = common::embedded();
    let mut shown: BTreeSet<String> = BTreeSet::new();
    for (_, sc) in common::scenarios() {
        let s = common::scenario_session(&lib, &sc);
        let sum = signpost::summary::build(&s);
        for st in sum.where_now.iter().chain(&sum.asked).chain(&sum.steps) {
            shown.insert(st.id.clone());
        }
    }
    let mut missing = Vec::new();
    for (tree, flow) in lib.flows() {
        if common::walkable(&lib, tree) {
            continue; // tests/paths.rs walks every path of these.
        }
        for id in flow.tree().advice.keys() {
            if !shown.contains(&format!("{tree}.{id}")) {
                missing.push(format!("{tree}.{id}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no scenario shows these advice items (add a scenario that should):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_scenario_summary_keeps_the_rules_every_path_keeps() {
    let lib = common::embedded();
    for (name, sc) in common::scenarios() {
        let s = common::scenario_session(&lib, &sc);
        let sum = signpost::summary::build(&s);
        for st in sum.where_now.iter().chain(&sum.asked).chain(&sum.steps) {
            assert!(!st.sources.is_empty(), "{name}: {} cites no source", st.id);
            common::check_step_text(&name, st);
        }
        assert!(
            sum.notices
                .iter()
                .all(|n| n.kind != signpost::summary::NoticeKind::NotWorkedOut),
            "{name}: {:?}",
            sum.notices
        );
        // The path walk tells stories apart by these ids without building the summary.
        let mut built: Vec<String> = sum.steps.iter().map(|st| st.id.clone()).collect();
        let mut cheap = signpost::summary::step_ids(&s);
        built.sort();
        cheap.sort();
        assert_eq!(
            cheap, built,
            "{name}: step_ids differs from the summary's steps"
        );
    }
}

/// Questions asked per scenario walk: the median and the largest, against the aims (median at
/// most 15, largest at most 26; issue 17 aimed at 14 and allowed the legal position to add a few:
/// the modules of issue 18 ask a parent in care proceedings when the council applied, whether
/// there is an interim order and whether they were assessed, which moved the median from 14; a
/// relative the child lives with, with no court case or child protection process, is asked
/// whether they are thinking of an order and whether the child has lived with them a year). Issue 17 added who the child lives with, whether a family group
/// conference was held and the person's own question, and the legal-position follow-ups where they
/// change the advice. The figures are kept in docs/content.md. The `misc-*` (misconception) and
/// `first-*` (what comes first) scenarios re-walk situations other scenarios already walk, to
/// assert what the summary says, so they are not counted again.
#[test]
fn questions_asked_stay_within_the_aims() {
    let lib = common::embedded();
    let mut counts: Vec<(usize, String)> = common::scenarios()
        .into_iter()
        .filter(|(name, sc)| {
            sc.tree == "start" && !name.starts_with("misc-") && !name.starts_with("first-")
        })
        .map(|(name, sc)| {
            let s = common::scenario_session(&lib, &sc);
            (signpost::scenario::questions_asked(&s), name)
        })
        .collect();
    counts.sort();
    assert!(!counts.is_empty());
    let median = counts[counts.len() / 2].0;
    let (largest, which) = counts.last().cloned().unwrap();
    // The four seed posters' walks, for the recall note (shared/eval/README.md).
    for (n, name) in &counts {
        if ["anon2022", "mc1704", "girlmamato5"]
            .iter()
            .any(|s| name.starts_with(s))
        {
            println!("seed walk {name}: {n} questions");
        }
    }
    println!(
        "questions asked over {} scenarios: median {median}, largest {largest} ({which})",
        counts.len()
    );
    assert!(median <= 15, "median {median} questions (aim: at most 15)");
    assert!(
        largest <= 26,
        "{which} asks {largest} questions (aim: at most 26)"
    );
}

/// Role safety, on every scenario: a person harmed by abuse never gets the steps or services
/// meant for the person who caused harm, the person accused never gets the steps meant for the
/// person harmed nor "offer to care", and nobody whose legal position already names the basis for
/// the child living away (section 20, proceedings or an order) is asked what that basis is.
#[test]
fn role_safety_holds_on_every_scenario() {
    let lib = common::embedded();
    let ticked = |sc: &signpost::scenario::Scenario, fact: &str, values: &[&str]| {
        let answer = sc.answers.get(fact).cloned().unwrap_or_default();
        answer.split(',').any(|v| values.contains(&v))
    };
    let mut accused_seen = 0;
    let mut order_seen = 0;
    for (name, sc) in common::scenarios() {
        let harmed = ticked(&sc, "position", &["harmed"]);
        let accused = ticked(&sc, "position", &["accused_harm", "accused_sexual"]);
        let basis_known = ticked(
            &sc,
            "legal",
            &[
                "section_20",
                "care_proceedings",
                "care_order",
                "supervision_order",
                "placement_order",
                "sgo",
                "cao",
            ],
        );
        let s = common::scenario_session(&lib, &sc);
        let sum = signpost::summary::build(&s);
        let ids: Vec<&str> = sum.steps.iter().map(|s| s.id.as_str()).collect();
        if harmed {
            for id in &ids {
                assert!(
                    !id.starts_with("accused.")
                        && *id != "domestic-abuse.behaviour_change_programme"
                        && *id != "domestic-abuse.living_with_your_partner",
                    "{name}: a person harmed gets {id}"
                );
            }
        }
        if accused && !harmed {
            accused_seen += 1;
            for id in &ids {
                assert!(
                    *id != "domestic-abuse.protective_orders"
                        && *id != "domestic-abuse.living_with_the_person_who_harmed_you"
                        && *id != "family.offer_to_care",
                    "{name}: the person accused gets {id}"
                );
            }
        }
        if basis_known {
            order_seen += 1;
            assert!(
                !s.trace()
                    .nodes
                    .iter()
                    .any(|n| n.tree == "court" && n.node == "away_basis"),
                "{name}: asked the legal basis though the legal position says it"
            );
        }
    }
    assert!(
        accused_seen > 3 && order_seen > 3,
        "{accused_seen} {order_seen}"
    );
}

#[test]
fn the_triage_asks_every_question_the_issue_names() {
    let lib = common::embedded();
    let start = lib.flow("start").unwrap();
    for id in [
        "nation",
        "relationship",
        "position",
        "legal",
        "lives_with",
        "children",
        "age",
        "next_date",
        "solicitor",
        "fgc",
        "carer_assessment",
        "concerns",
        "police",
        "complaint",
        "own_question",
        "questions",
    ] {
        assert!(
            start.node_by_id(id).is_some(),
            "start has no `{id}` question"
        );
    }
    let Some((_, Node::Multi(q))) = start.node_by_id("questions") else {
        panic!("questions is not a multi question");
    };
    assert!(
        q.options.len() > 20,
        "only {} common questions",
        q.options.len()
    );
}
