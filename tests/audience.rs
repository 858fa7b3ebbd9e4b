//! Audience by construction: every advice item says who it is for, and no summary shows an item
//! to someone outside its audience, whatever rule added it.
//!
//! The sweep walks the triage with every relationship, every position (each one alone and each
//! pair) and every legal position, and checks each summary item against its audiences, worked
//! out here from audiences.json's conditions (not through `core::audience`, the code under
//! test). The named cases are scenarios (tests/scenarios/audience-*.json), run with the others.

use crate::common;

use std::collections::BTreeMap;

use signpost::compile::{compile, Library, SourceFile};
use signpost::format::Node;
use signpost::session::{Position, Session};

/// The triage facts the sweep varies: who the person is, their position, and where things stand
/// in law. Named in both vocabularies (the triage is moving from the first to the second).
const SWEPT: [&[&str]; 3] = [
    &["relationship"],
    &["position", "involvement"],
    &["legal", "stage"],
];

/// Who the person is asking for, where the triage asks it (swept too: it decides `supporting`).
const ALSO_SWEPT: &str = "for_whom";

/// The values a swept question can take: each option of a choice; for a multi, each option
/// alone, and (when `pairs`) each pair of options that are not exclusive.
fn values_of(node: &Node, pairs: bool) -> Vec<String> {
    match node {
        Node::Choice(c) => c.options.iter().map(|o| o.value.clone()).collect(),
        Node::Multi(m) => {
            let mut out: Vec<String> = m.options.iter().map(|o| o.value.clone()).collect();
            if pairs {
                let open: Vec<&str> = m
                    .options
                    .iter()
                    .filter(|o| !o.exclusive)
                    .map(|o| o.value.as_str())
                    .collect();
                for (i, a) in open.iter().enumerate() {
                    for b in &open[i + 1..] {
                        out.push(format!("{a},{b}"));
                    }
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// An answer to a question the sweep does not vary: a choice takes the option `turn` points at
/// (so the walks between them try every option), a multi ticks every option that is not
/// exclusive (so every rule that can fire does), a date is "I don't know", a number or text
/// its first example.
fn other_answer(node: &Node, turn: usize) -> String {
    match node {
        Node::Choice(c) => c.options[turn % c.options.len()].value.clone(),
        Node::Multi(m) => {
            let open: Vec<&str> = m
                .options
                .iter()
                .filter(|o| !o.exclusive)
                .map(|o| o.value.as_str())
                .collect();
            if open.is_empty() {
                m.options[0].value.clone()
            } else {
                open.join(",")
            }
        }
        Node::Date(_) => "I don't know".into(),
        Node::Number(n) => n
            .examples
            .first()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "1".into()),
        Node::Text(t) => t.examples.first().cloned().unwrap_or_else(|| "x".into()),
        _ => String::new(),
    }
}

/// Walks the triage to the end with these answers by fact, the rest from `other_answer`.
fn walk<'l>(lib: &'l Library, chosen: &BTreeMap<&str, String>, turn: usize) -> Session<'l> {
    let mut s = Session::new(lib, "start", common::today()).expect("start");
    s.set_auto_continue(true);
    for _ in 0..200 {
        let key = match s.position().clone() {
            Position::Finished => return s,
            Position::Blocked { message, .. } => panic!("{chosen:?}: blocked: {message}"),
            Position::Asking(key) => key,
        };
        let node = lib
            .flow(&key.tree)
            .and_then(|f| f.node_by_id(&key.node))
            .map(|(_, n)| n)
            .expect("the asked node");
        let fact = node.fact().unwrap_or(node.id());
        let answer = match chosen.get(fact) {
            Some(v) if key.tree == "start" => v.clone(),
            _ => other_answer(node, turn),
        };
        s.answer(&answer)
            .unwrap_or_else(|e| panic!("{chosen:?}: {key} = {answer}: {e}"));
    }
    panic!("{chosen:?}: the walk did not end");
}

/// The audiences an item is for that fit the person, worked out from audiences.json's
/// conditions on the facts of the walk's triage: empty when none fits.
fn fitting(lib: &Library, id: &str, facts: &signpost::expr::Facts) -> Vec<String> {
    let (tree, advice) = id.split_once('.').expect("tree.advice");
    let item = &lib.flow(tree).expect("tree").tree().advice[advice];
    let names = item
        .audience
        .clone()
        .expect("every item says who it is for");
    names
        .into_iter()
        .filter(|name| {
            name == "everyone" || {
                let when = &lib.audiences()[name].when;
                lib.expr()
                    .eval_condition(when, facts)
                    .unwrap_or_else(|e| panic!("audience {name}: {e}"))
            }
        })
        .collect()
}

/// Every combination to walk: relationship x position x legal position (and who they ask for).
fn combinations(lib: &Library) -> Vec<BTreeMap<&'static str, String>> {
    let start = lib.flow("start").expect("the triage");
    let mut combos: Vec<BTreeMap<&'static str, String>> = vec![BTreeMap::new()];
    for (k, names) in SWEPT.iter().enumerate() {
        let (fact, node) = names
            .iter()
            .find_map(|f| start.node_by_id(f).map(|(_, n)| (*f, n)))
            .unwrap_or_else(|| panic!("the triage asks none of {names:?}"));
        let values = values_of(node, k == 1);
        combos = combos
            .into_iter()
            .flat_map(|c| {
                values.iter().map(move |v| {
                    let mut c = c.clone();
                    c.insert(fact, v.clone());
                    c
                })
            })
            .collect();
    }
    if let Some((_, node)) = start.node_by_id(ALSO_SWEPT) {
        let values = values_of(node, false);
        combos = combos
            .into_iter()
            .flat_map(|c| {
                values.iter().map(move |v| {
                    let mut c = c.clone();
                    c.insert(ALSO_SWEPT, v.clone());
                    c
                })
            })
            .collect();
    }
    combos
}

#[test]
fn no_summary_item_reaches_anyone_outside_its_audience() {
    let lib = common::embedded();
    let combos = combinations(&lib);
    let mut failures: Vec<String> = Vec::new();
    let (mut shown, mut dropped) = (0usize, 0usize);
    for (turn, chosen) in combos.iter().enumerate() {
        let s = walk(&lib, chosen, turn);
        let facts = &s.trace().facts;
        let sum = signpost::summary::build(&s);
        let items: Vec<&str> = sum
            .where_now
            .iter()
            .chain(&sum.asked)
            .chain(&sum.steps)
            .map(|st| st.id.as_str())
            .collect();
        for id in &items {
            shown += 1;
            if fitting(&lib, id, facts).is_empty() {
                failures.push(format!("{id} reached {chosen:?}"));
            }
        }
        // What the rules added that the summary left out for its audience.
        let added: std::collections::BTreeSet<String> = s
            .trace()
            .hits
            .iter()
            .map(|h| format!("{}.{}", h.tree, h.advice))
            .collect();
        dropped += added
            .iter()
            .filter(|id| !items.contains(&id.as_str()) && fitting(&lib, id, facts).is_empty())
            .count();
    }
    println!(
        "audience sweep: {} walks, {shown} items shown, {dropped} left out as outside their audience",
        combos.len()
    );
    assert!(combos.len() >= 100, "only {} walks", combos.len());
    assert!(
        failures.is_empty(),
        "{} items reached someone outside their audience, e.g.:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// How many items each scenario's summary leaves out as outside their audience (what would have
/// reached the wrong person before audiences); printed for docs/content.md.
#[test]
fn scenarios_report_what_the_audience_filter_leaves_out() {
    let lib = common::embedded();
    let mut total = 0;
    for (name, sc) in common::scenarios() {
        let s = common::scenario_session(&lib, &sc);
        let sum = signpost::summary::build(&s);
        let shown: Vec<&str> = sum
            .where_now
            .iter()
            .chain(&sum.asked)
            .chain(&sum.steps)
            .map(|st| st.id.as_str())
            .collect();
        let mut left_out: Vec<String> = s
            .trace()
            .hits
            .iter()
            .map(|h| format!("{}.{}", h.tree, h.advice))
            .filter(|id| !shown.contains(&id.as_str()))
            .filter(|id| fitting(&lib, id, &s.trace().facts).is_empty())
            .collect();
        left_out.sort();
        left_out.dedup();
        for id in &left_out {
            assert!(
                !shown.contains(&id.as_str()),
                "{name}: {id} is both shown and left out"
            );
        }
        if !left_out.is_empty() {
            println!("{name}: left out {}", left_out.join(", "));
        }
        total += left_out.len();
    }
    println!("scenarios: {total} items left out as outside their audience");
}

/// A tree whose advice has no `for`, and one naming an audience that does not exist.
fn tree_with(advice_for: Option<&str>) -> String {
    let for_field = advice_for
        .map(|f| format!("\"for\": {f}, "))
        .unwrap_or_default();
    format!(
        r#"{{"format": 1, "id": "t", "title": "T", "jurisdictions": ["any"], "reviewed": "2026-11-20",
  "start": "done", "nodes": [{{"id": "done", "type": "outcome", "advice": ["a"]}}],
  "advice": {{"a": {{{for_field}"title": "A step", "body": "Do it.", "sources": ["s"]}}}},
  "sources": {{"s": {{"title": "S", "url": "https://example.org", "checked": "2026-11-20"}}}}}}"#
    )
}

fn diagnostics_of(tree: String) -> Vec<signpost::diagnostics::Diagnostic> {
    let mut inputs = signpost::files::embedded();
    inputs.trees = vec![SourceFile {
        path: "t.json".into(),
        text: tree,
    }];
    let compiled = compile(&inputs);
    assert!(compiled.library.is_none() || compiled.diagnostics.is_empty());
    compiled.diagnostics
}

#[test]
fn check_refuses_an_item_that_does_not_say_who_it_is_for() {
    for missing in [None, Some("[]")] {
        let d = diagnostics_of(tree_with(missing));
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].code, "E030");
        assert!(d[0].message.contains("does not say who it is for"));
        assert!(d[0]
            .help
            .as_deref()
            .unwrap()
            .contains("\"for\": [\"everyone\"]"));
    }
    assert!(diagnostics_of(tree_with(Some(r#"["everyone"]"#))).is_empty());
    // Checked on its own (no triage runs it), a tree may name any audience: a walk of it
    // leaves what the audience cannot decide to the tree's rules.
    assert!(diagnostics_of(tree_with(Some(r#"["parent", "kinship_carer"]"#))).is_empty());
}

#[test]
fn check_refuses_an_audience_that_does_not_exist() {
    let d = diagnostics_of(tree_with(Some(r#"["parent", "parnet", "nobody_at_all"]"#)));
    let codes: Vec<(&str, &str)> = d.iter().map(|d| (d.code, d.pointer.as_str())).collect();
    assert_eq!(
        codes,
        [("E031", "/advice/a/for/1"), ("E031", "/advice/a/for/2")]
    );
    assert_eq!(d[0].help.as_deref(), Some("did you mean `parent`?"));
    assert!(d[1].help.as_deref().unwrap().contains("audiences.json"));
}

/// An audience is checked like any condition: it parses, reads only facts a triage asks, and
/// compares them only with values their options have.
#[test]
fn check_refuses_a_broken_audience() {
    let mut inputs = signpost::files::embedded();
    inputs.local.audiences = Some(SourceFile {
        path: "mine/audiences.json".into(),
        text: r#"{"format": 1, "audiences": {
  "everyone": {"label": "all", "when": "true"},
  "parent": {"label": "a parent", "when": "relationship == 'parnet_pr'"},
  "harmed": {"label": "harmed", "when": "'harmed' in involvment"},
  "protecting": {"label": "protecting", "when": "relationship =="}
}}"#
        .into(),
    });
    let compiled = compile(&inputs);
    assert!(compiled.library.is_none());
    let mut got: Vec<(&str, &str)> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.pointer.as_str(), d.code))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("/audiences/everyone", "E031"),
            ("/audiences/harmed/when", "E017"),
            ("/audiences/parent/when", "E026"),
            ("/audiences/protecting/when", "E016"),
        ],
        "{:#?}",
        compiled.diagnostics
    );
}

/// A walk that never asked a fact an audience reads (a tree run on its own) cannot rule that
/// audience out: the item is kept, as the tree's own rules decided.
#[test]
fn an_audience_the_walk_cannot_decide_keeps_the_item() {
    let lib = common::embedded();
    let facts = signpost::expr::Facts::new();
    assert_eq!(
        signpost::audience::fits(&lib, "accused", &facts),
        signpost::audience::Fit::NotKnown
    );
    assert!(signpost::audience::is_for(
        &lib,
        "accused",
        "criminal_and_family_standards",
        &facts
    ));
    let mut facts = facts;
    // The person's position: `position` in the new triage, `involvement` in the old.
    let start = lib.flow("start").expect("the triage");
    let position = ["position", "involvement"]
        .into_iter()
        .find(|f| start.node_by_id(f).is_some())
        .expect("a position question");
    facts.insert(position.into(), vec!["harmed"].into());
    assert_eq!(
        signpost::audience::fits(&lib, "accused", &facts),
        signpost::audience::Fit::No
    );
    assert!(!signpost::audience::is_for(
        &lib,
        "accused",
        "criminal_and_family_standards",
        &facts
    ));
}
