//! Every path of every shipped tree, walked with option values and declared examples, is
//! snapshot as its structured summary (one snapshot per path, so a content change shows up as a
//! readable diff in review). The same walk checks the content rules that hold for every path.

mod common;

use signpost::paths::{enumerate, WalkedPath};

/// A stable, readable name for a path: its answers in the order given.
fn slug(tree: &str, p: &WalkedPath) -> String {
    let mut parts = Vec::new();
    for node in &p.nodes {
        if let Some(v) = p.answers.get(node) {
            if v != "ok" {
                parts.push(v.clone());
            }
        }
    }
    let raw = parts.join("_");
    let mut s: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    if s.len() > 90 {
        // Long names are cut; a hash of the whole keeps them unique.
        let h = raw.bytes().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100000001b3)
        });
        s = format!("{}-{:08x}", &s[..80], h as u32);
    }
    format!("{tree}__{s}")
}

#[test]
fn every_path_of_every_shipped_tree() {
    let lib = common::embedded();
    assert!(!lib.flows.is_empty(), "no shipped trees");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/paths");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for tree in lib.flows.keys().filter(|t| common::walkable(&lib, t)) {
            let e = enumerate(
                &lib,
                tree,
                common::today(),
                signpost::limits::MAX_WALKED_PATHS,
            )
            .unwrap();
            assert!(!e.truncated, "{tree}: more paths than the limit");
            assert!(e.count > 0, "{tree}: no paths");
            let mut names = std::collections::BTreeSet::new();
            // Coverage: the walks reach every node and show every advice item of the tree.
            let flow = lib.flow(tree).unwrap();
            let visited: std::collections::BTreeSet<&String> =
                e.paths.iter().flat_map(|p| &p.nodes).collect();
            for node in &flow.tree.nodes {
                assert!(
                    visited.contains(&format!("{tree}.{}", node.id())),
                    "{tree}: no walk reaches node {}",
                    node.id()
                );
            }
            let shown: std::collections::BTreeSet<&String> = e
                .paths
                .iter()
                .flat_map(|p| p.summary.steps.iter().map(|s| &s.id))
                .collect();
            for id in flow.tree.advice.keys() {
                let title = &flow.tree.advice[id].title;
                // A step defined word for word in two trees is shown once, under either id.
                let same_elsewhere = e
                    .paths
                    .iter()
                    .any(|p| p.summary.steps.iter().any(|s| &s.title == title));
                assert!(
                    shown.contains(&format!("{tree}.{id}")) || same_elsewhere,
                    "{tree}: no walk shows advice {id}"
                );
            }
            for p in &e.paths {
                let name = slug(tree, p);
                assert!(names.insert(name.clone()), "two paths named {name}");
                assert!(!p.outcome.starts_with("blocked"), "{name}: {}", p.outcome);
                assert!(!p.summary.steps.is_empty(), "{name}: a path with no steps");
                for step in &p.summary.steps {
                    assert!(
                        !step.sources.is_empty(),
                        "{name}: step {} cites no source",
                        step.id
                    );
                    assert!(
                        !step.because.is_empty(),
                        "{name}: step {} does not say why",
                        step.id
                    );
                }
                assert!(
                    p.summary.notices.iter().all(|n| !n.contains("could not")),
                    "{name}: {:?}",
                    p.summary.notices
                );
                // Every walk also answers "I don't know" to each date: the text must then give
                // the rule, never a blank where a date should be.
                for step in p
                    .summary
                    .steps
                    .iter()
                    .chain(&p.summary.where_now)
                    .chain(&p.summary.asked)
                {
                    let text = format!("{} {}", step.title, step.body);
                    assert!(
                        !text.contains(signpost::expr::UNKNOWN_DATE_TEXT),
                        "{name}: step {} shows a date nobody knows: {text}",
                        step.id
                    );
                }
                insta::assert_yaml_snapshot!(name, p);
            }
        }
    });
}

#[test]
fn pictures_show_the_advice_each_option_rule_and_node_adds() {
    let lib = common::library(std::path::Path::new("tests/fixtures/graph/advice.json"));
    let flow = lib.flow("advice_pictures").expect("the fixture tree");
    let mermaid = signpost::graph::mermaid(flow, None);
    let dot = signpost::graph::dot(flow, None);
    for (picture, newline) in [(&mermaid, "<br/>"), (&dot, "\\n")] {
        for added in [
            format!("\"No{newline}+ chase\""),
            format!("When did you write?{newline}+ keep_copy"),
            format!("What do you want?{newline}+ meeting: ask_meeting"),
            format!("> 20{newline}+ complain\""),
            "end: done_step".to_string(),
            format!("{newline}+ prepare_meeting if 'meeting' in wants"),
        ] {
            assert!(picture.contains(&added), "{added} in:\n{picture}");
        }
    }
    insta::assert_snapshot!("graph_advice_mermaid", mermaid);
    insta::assert_snapshot!("graph_advice_dot", dot);
}

#[test]
fn paths_says_how_walked_and_structural_paths_differ() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args([
            "paths",
            "tests/fixtures/graph/advice.json",
            "--today",
            "2025-02-28",
        ])
        .current_dir(common::root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "1 walked path(s) through `advice_pictures` (one per distinct route and set of steps, \
         using each question's examples); 4 structural path(s) through the graph (every option \
         and branch arm, through every sub-flow: `paths --count`)"
    );
}
