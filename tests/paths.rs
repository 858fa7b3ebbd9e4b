//! Every path of every shipped tree, walked with option values and declared examples, is
//! snapshot as its structured summary (one snapshot per path, so a content change shows up as a
//! readable diff in review). The same walk checks the content rules that hold for every path.

use crate::common;

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

/// The checks every listed path of a shipped tree must pass: each step cites a source and says
/// why, no walk is blocked or leaves a rule not worked out, and the text gives the rule where a
/// date is not known and states no misconception.
fn check_listed_path(name: &str, p: &WalkedPath) {
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
        p.summary
            .notices
            .iter()
            .all(|n| n.kind != signpost::summary::NoticeKind::NotWorkedOut),
        "{name}: {:?}",
        p.summary.notices
    );
    // Every walk also answers "I don't know" to each date: the text must then give the rule,
    // never a blank where a date should be.
    for step in p
        .summary
        .steps
        .iter()
        .chain(&p.summary.where_now)
        .chain(&p.summary.asked)
    {
        common::check_step_text(name, step);
    }
    if let Some(f) = common::states_misconception(&signpost::render::text(&p.summary)) {
        panic!("{name}: states \"{f}\"");
    }
}

#[test]
fn every_path_of_every_shipped_tree() {
    let lib = common::embedded();
    assert!(!lib.flows().is_empty(), "no shipped trees");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/paths");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for tree in lib.flows().keys().filter(|t| common::walkable(&lib, t)) {
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
            for node in &flow.tree().nodes {
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
            for id in flow.tree().advice.keys() {
                let title = &flow.tree().advice[id].title;
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
                check_listed_path(&name, p);
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
    // Mermaid writes `>` as an entity code, so tree text is never HTML there.
    for (picture, newline, gt) in [(&mermaid, "<br/>", "#gt;"), (&dot, "\\n", ">")] {
        for added in [
            format!("\"No{newline}+ chase\""),
            format!("When did you write?{newline}+ keep_copy"),
            format!("What do you want?{newline}+ meeting: ask_meeting"),
            format!("{gt} 20{newline}+ complain\""),
            "end: done_step".to_string(),
            format!("{newline}+ prepare_meeting if 'meeting' in wants"),
        ] {
            assert!(picture.contains(&added), "{added} in:\n{picture}");
        }
    }
    insta::assert_snapshot!("graph_advice_mermaid", mermaid);
    insta::assert_snapshot!("graph_advice_dot", dot);
}

/// `paths` prints what it lists and how before the first path, each path as it is found, and
/// at the end how many it listed, how they differ from the structural paths, and why it
/// stopped; `--format json` gives the same paths and totals in one document.
#[test]
fn paths_says_at_the_end_how_many_it_listed_and_why_it_stopped() {
    let run = |format: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_signpost"))
            .args([
                "paths",
                "tests/fixtures/graph/advice.json",
                "--today",
                "2025-02-28",
                "--format",
                format,
            ])
            .current_dir(common::root())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let text = run("text");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("Paths through `advice_pictures`, one per distinct route"),
        "{text}"
    );
    let numbered: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("Path ") && l.ends_with(':'))
        .collect();
    assert_eq!(numbered, [&"Path 1:"]);
    assert_eq!(
        lines[lines.len() - 2..],
        [
            "1 walked path(s) listed through `advice_pictures` (one per distinct route and set of \
             steps, using each question's examples); 4 structural path(s) through the graph (every \
             option and branch arm, through every sub-flow: `paths --count`).",
            "Stopped: every path was listed (8 distinct walk(s) found, 7 left out because another \
             walk along the same nodes gives all their steps)."
        ]
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["tree"], "advice_pictures");
    assert_eq!(json["count"], 1);
    assert_eq!(json["walked"], 8);
    assert_eq!(json["truncated"], false);
    assert_eq!(json["paths"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["paths"][0]["outcome"], "advice_pictures.done");
}

/// Stopped by the limit, the listing says so, and what `walk` hands over one at a time is what
/// `enumerate` collects, in the same order.
#[test]
fn a_limit_cuts_the_listing_short_and_says_so() {
    let lib = common::embedded();
    let today = common::today();
    let whole = enumerate(&lib, "advocacy", today, signpost::limits::MAX_WALKED_PATHS).unwrap();
    assert!(!whole.truncated && whole.walked > 10, "{}", whole.walked);
    let cut = enumerate(&lib, "advocacy", today, 10).unwrap();
    assert!(cut.truncated);
    assert_eq!(cut.walked, 10);
    assert!(cut.count <= 10 && cut.count > 0);
    let mut streamed = Vec::new();
    let listed = signpost::paths::walk(&lib, "advocacy", today, 10, &mut |p| {
        streamed.push(p.answers)
    })
    .unwrap();
    assert_eq!(listed.count, streamed.len());
    assert_eq!(
        streamed,
        cut.paths
            .iter()
            .map(|p| p.answers.clone())
            .collect::<Vec<_>>()
    );
}

/// A tree whose multi-selects multiply into more walks than `enumerate` lists (each tick adds
/// its own step, so no two walks are alike), with a branch arm no example reaches. The lint
/// walks each state that can still change the route once, so it still finds the arm (listing
/// every walk, it stopped at the limit and said nothing).
#[test]
fn unreached_arms_are_found_behind_thousands_of_multi_select_walks() {
    use serde_json::json;
    let mut nodes = vec![json!({"id": "n", "type": "number", "question": "How many?",
        "examples": [1, 2], "next": "m0"})];
    let mut advice = serde_json::Map::new();
    for m in 0..4 {
        let options: Vec<_> = (0..8)
            .map(|o| {
                let id = format!("a{m}_{o}");
                advice.insert(
                    id.clone(),
                    json!({"for": ["everyone"], "title": format!("Step {m} {o}"), "body": "Do it.", "sources": ["s"]}),
                );
                json!({"label": format!("Option {o}"), "value": format!("v{o}"), "advice": [id]})
            })
            .collect();
        let next = if m == 3 {
            "check".to_string()
        } else {
            format!("m{}", m + 1)
        };
        nodes.push(
            json!({"id": format!("m{m}"), "type": "multi", "question": "Which?",
            "options": options, "next": next}),
        );
    }
    nodes.push(json!({"id": "check", "type": "branch",
        "rules": [{"when": "n > 5", "next": "done"}], "otherwise": "done"}));
    nodes.push(json!({"id": "done", "type": "outcome"}));
    let tree = json!({"format": 1, "id": "many", "title": "Many walks", "jurisdictions": ["any"],
        "reviewed": "2026-11-20", "start": "n", "nodes": nodes, "advice": advice,
        "sources": {"s": {"title": "A source", "url": "https://example.org", "checked": "2026-11-20"}}});
    let mut inputs = signpost::files::embedded();
    inputs.trees = vec![signpost::compile::SourceFile {
        path: "many.json".into(),
        text: serde_json::to_string_pretty(&tree).unwrap(),
    }];
    let lib = signpost::compile::compile(&inputs)
        .library
        .expect("the tree compiles");
    let today = jiff::civil::date(2026, 11, 23);
    // 2 numbers x 9^4 tick choices: more distinct walks than the listing limit.
    let listed = enumerate(&lib, "many", today, signpost::limits::MAX_WALKED_PATHS).unwrap();
    assert!(listed.truncated);
    let sources: Vec<&signpost::compile::SourceFile> = inputs.trees.iter().collect();
    let found = signpost::lint::lint(&lib, &sources, &signpost::lint::LintOptions::new(today));
    assert!(
        found
            .iter()
            .any(|d| d.code == "W107" && d.pointer == "/nodes/5/rules/0/when"),
        "{found:#?}"
    );
}

/// A tree with a tick-all-that-apply question of `options` options, then a choice, then an
/// advise node: one rule per option adding an answer (which never changes a walk's steps), one
/// rule adding a step for option `v0`, and `extra` (a rule adding an answer) if given.
fn many_answers_tree(options: usize, extra: Option<&str>) -> signpost::compile::Library {
    use serde_json::json;
    let mut advice = serde_json::Map::new();
    let mut rules = Vec::new();
    let item = |title: String, kind: &str| json!({"for": ["everyone"], "title": title, "body": "Do it.", "sources": ["s"], "kind": kind});
    for o in 0..options {
        advice.insert(format!("ans{o}"), item(format!("Answer {o}"), "answer"));
        rules.push(json!({"when": format!("'v{o}' in picks"), "advice": [format!("ans{o}")]}));
    }
    advice.insert("step0".into(), item("Step for v0".into(), "step"));
    rules.push(json!({"when": "'v0' in picks", "advice": ["step0"]}));
    advice.insert("base".into(), item("Always".into(), "step"));
    rules.push(json!({"when": "true", "advice": ["base"]}));
    if let Some(when) = extra {
        advice.insert("extra".into(), item("Extra".into(), "answer"));
        rules.push(json!({"when": when, "advice": ["extra"]}));
    }
    let tree = json!({"format": 1, "id": "picks", "title": "Picks", "jurisdictions": ["any"],
        "reviewed": "2026-11-20", "start": "n", "nodes": [
            {"id": "n", "type": "number", "question": "How many?", "examples": [1, 2], "next": "picks"},
            {"id": "picks", "type": "multi", "question": "Which?", "next": "colour",
             "options": (0..options).map(|o| json!({"label": format!("Option {o}"), "value": format!("v{o}")})).collect::<Vec<_>>()},
            {"id": "colour", "type": "choice", "question": "Colour?", "options": [
                {"label": "Red", "value": "red", "next": "rules"},
                {"label": "Blue", "value": "blue", "next": "rules"}]},
            {"id": "rules", "type": "advise", "rules": rules, "next": "done"},
            {"id": "done", "type": "outcome"}],
        "advice": advice,
        "sources": {"s": {"title": "A source", "url": "https://example.org", "checked": "2026-11-20"}}});
    let mut inputs = signpost::files::embedded();
    inputs.trees = vec![signpost::compile::SourceFile {
        path: "picks.json".into(),
        text: serde_json::to_string_pretty(&tree).unwrap(),
    }];
    let compiled = signpost::compile::compile(&inputs);
    compiled
        .library
        .unwrap_or_else(|| panic!("{:#?}", compiled.diagnostics))
}

/// Each listed path's answers, outcome and step ids, and the listing's totals and coverage.
type Listing = (Vec<(Vec<String>, String, Vec<String>)>, String);

/// What a listing lists and covers, to compare two listings.
fn listing(lib: &signpost::compile::Library, tree: &str, merge: bool) -> Listing {
    let mut paths = Vec::new();
    let listed = signpost::paths::walk_merging(
        lib,
        tree,
        common::today(),
        signpost::limits::MAX_WALKED_PATHS,
        merge,
        &mut |p| {
            let answers = p.answers.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let steps = p.summary.steps.iter().map(|s| s.id.clone()).collect();
            paths.push((answers, p.outcome, steps))
        },
    )
    .unwrap();
    let totals = format!(
        "{} {} {} {:?} {:?} {:?}",
        listed.count,
        listed.walked,
        listed.truncated,
        listed.answered,
        listed.steps_taken,
        listed.arms_taken
    );
    (paths, totals)
}

/// Walking each equivalent state once lists exactly what walking every walk lists, and covers
/// the same answers, steps and arms: here 40 options, of which one adds a step.
#[test]
fn states_walked_once_list_what_every_walk_lists() {
    let lib = many_answers_tree(40, None);
    let merged = listing(&lib, "picks", true);
    assert_eq!(merged, listing(&lib, "picks", false));
    // Ticking v0 (alone or with the others) adds a step, which the other 39 alone do not: two
    // distinct walks, one listed (the other's steps are all in it).
    assert_eq!(merged.0.len(), 1, "{:#?}", merged.0);
    assert!(merged.1.starts_with("1 2 false"), "{}", merged.1);
}

/// A rule that adds only an answer but can fail (here for the ticks that reach its division)
/// counts in the key, so the walks it blocks and those it does not are both listed.
#[test]
fn a_rule_that_can_fail_keeps_its_ticks_apart() {
    let lib = many_answers_tree(6, Some("'v3' in picks and 1 // (n - n) > 0"));
    let merged = listing(&lib, "picks", true);
    assert_eq!(merged, listing(&lib, "picks", false));
    assert!(
        merged
            .0
            .iter()
            .any(|(_, outcome, _)| outcome.starts_with("blocked")),
        "{:#?}",
        merged.0
    );
}

/// Shipped trees with multi-selects: the same listing and coverage whether equivalent states
/// are walked once or every walk is walked. (`complaints`, with date examples, was compared with
/// the previous build's `paths` output instead: walking it twice here would slow the suite.)
#[test]
fn shipped_trees_list_the_same_walking_each_state_once() {
    let lib = common::embedded();
    for tree in ["advocacy", "support"] {
        assert_eq!(
            listing(&lib, tree, true),
            listing(&lib, tree, false),
            "{tree}"
        );
    }
}

/// The start tree (the triage, which runs 26 other trees) is listed in parts: its own walks,
/// then each tree it runs. Every part runs on some walk, every listed path passes the content
/// checks, and what the listing says no walk of a part shows is exactly what its paths do not
/// show. The listing, as answers and steps, is the snapshot.
#[test]
fn the_start_tree_is_listed_in_parts() {
    let lib = common::embedded();
    let e = enumerate(
        &lib,
        "start",
        common::today(),
        signpost::limits::MAX_WALKED_PATHS,
    )
    .unwrap();
    assert!(!e.truncated);
    let parts = signpost::paths::parts(&lib, "start");
    assert!(parts.len() > 20, "{parts:?}");
    assert_eq!(
        e.parts.iter().map(|p| &p.tree).collect::<Vec<_>>(),
        parts.iter().collect::<Vec<_>>()
    );
    for part in &e.parts {
        assert!(part.count > 0, "no walk runs {}", part.tree);
    }
    let mut shown: std::collections::BTreeMap<&str, std::collections::BTreeSet<String>> =
        Default::default();
    let mut listing = String::new();
    for (i, p) in e.paths.iter().enumerate() {
        let part = p.part.as_deref().unwrap_or("start");
        let name = format!("start path {} ({part})", i + 1);
        check_listed_path(&name, p);
        assert!(
            p.nodes.iter().any(|n| n.starts_with(&format!("{part}."))),
            "{name} does not pass its part"
        );
        if part != "start" {
            let seen = shown.entry(part).or_default();
            seen.extend(p.nodes.iter().cloned());
            seen.extend(p.summary.steps.iter().map(|s| s.id.clone()));
        }
        let answers: Vec<String> = p.answers.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let steps: Vec<&str> = p.summary.steps.iter().map(|s| s.id.as_str()).collect();
        listing.push_str(&format!(
            "{} [{part}] -> {}\n  {}\n  steps: {}\n",
            i + 1,
            p.outcome,
            answers.join(" "),
            steps.join(" ")
        ));
    }
    // The nodes and steps the listing says no walk of their part shows, worked out again here.
    let mut unshown = Vec::new();
    for part in parts.iter().skip(1) {
        let tree = lib.flow(part).unwrap().tree();
        let ids = tree.nodes.iter().map(|n| n.id().to_string()).chain(
            tree.advice
                .iter()
                .filter(|(_, a)| a.kind == signpost::format::AdviceKind::Step)
                .map(|(id, _)| id.clone()),
        );
        for id in ids {
            let key = format!("{part}.{id}");
            if !shown.get(part.as_str()).is_some_and(|s| s.contains(&key)) {
                unshown.push(key);
            }
        }
    }
    assert_eq!(e.unshown, unshown);
    insta::assert_snapshot!("start_listed_in_parts", listing);
}

/// A tree `outer` asks `who` (a, b or c) and ticks `extra` (x, y), then runs `inner`, which asks
/// `q` and gives a step for who = a with q = yes, one for x ticked, and one for who = b with y
/// ticked. Listed in parts, `inner` is walked after the first answers that run it (a, x) and
/// with each changed alone: the first two steps are shown; the third needs both changed, and
/// the listing says no walk shows it. Walking every state and answer lists the same.
#[test]
fn a_tree_run_by_another_is_walked_with_each_answer_before_it_changed_alone() {
    use serde_json::json;
    let item = |title: &str| json!({"for": ["everyone"], "title": title, "body": "Do it.", "sources": ["s"]});
    let source =
        json!({"s": {"title": "A source", "url": "https://example.org", "checked": "2026-11-20"}});
    let outer = json!({"format": 1, "id": "outer", "title": "Outer", "jurisdictions": ["any"],
        "reviewed": "2026-11-20", "start": "who", "share": ["who", "extra"], "nodes": [
            {"id": "who", "type": "choice", "question": "Who?", "options": [
                {"label": "A", "value": "a", "next": "extra"},
                {"label": "B", "value": "b", "next": "extra"},
                {"label": "C", "value": "c", "next": "extra"}]},
            {"id": "extra", "type": "multi", "question": "Which?", "next": "run", "options": [
                {"label": "X", "value": "x"}, {"label": "Y", "value": "y"}]},
            {"id": "run", "type": "flow", "tree": "inner", "next": "done"},
            {"id": "done", "type": "outcome", "advice": ["always"]}],
        "advice": {"always": item("Always")}, "sources": source});
    let inner = json!({"format": 1, "id": "inner", "title": "Inner", "jurisdictions": ["any"],
        "reviewed": "2026-11-20", "inputs": ["who", "extra"], "start": "q", "nodes": [
            {"id": "q", "type": "choice", "question": "Q?", "options": [
                {"label": "Yes", "value": "yes", "next": "rules"},
                {"label": "No", "value": "no", "next": "rules"}]},
            {"id": "rules", "type": "advise", "next": "end", "rules": [
                {"when": "who == 'a' and q == 'yes'", "advice": ["step1"]},
                {"when": "'x' in extra", "advice": ["step2"]},
                {"when": "who == 'b' and 'y' in extra and 'x' not in extra", "advice": ["step3"]},
                {"when": "true", "advice": ["base"]}]},
            {"id": "end", "type": "outcome"}],
        "advice": {"step1": item("Step one"), "step2": item("Step two"),
            "step3": item("Step three"), "base": item("Base")},
        "sources": source});
    let mut inputs = signpost::files::embedded();
    inputs.trees = [("outer", &outer), ("inner", &inner)]
        .into_iter()
        .map(|(id, t)| signpost::compile::SourceFile {
            path: format!("{id}.json"),
            text: serde_json::to_string_pretty(t).unwrap(),
        })
        .collect();
    let compiled = signpost::compile::compile(&inputs);
    let lib = compiled
        .library
        .unwrap_or_else(|| panic!("{:#?}", compiled.diagnostics));
    let merged = listing(&lib, "outer", true);
    assert_eq!(merged, listing(&lib, "outer", false));
    let e = enumerate(&lib, "outer", common::today(), 100).unwrap();
    assert_eq!(
        e.parts.iter().map(|p| p.tree.as_str()).collect::<Vec<_>>(),
        ["outer", "inner"]
    );
    let inner_steps: std::collections::BTreeSet<&str> = e
        .paths
        .iter()
        .filter(|p| p.part.as_deref() == Some("inner"))
        .flat_map(|p| p.summary.steps.iter().map(|s| s.id.as_str()))
        .collect();
    assert!(
        inner_steps.contains("inner.step1") && inner_steps.contains("inner.step2"),
        "{inner_steps:?}"
    );
    assert!(!inner_steps.contains("inner.step3"), "{inner_steps:?}");
    assert_eq!(e.unshown, ["inner.step3"]);
}
