//! Property tests: random well-formed trees compile, and random walks through them always end at
//! an outcome with a summary.

mod common;

use proptest::prelude::*;
use serde_json::json;
use signpost::compile::{compile, Inputs, SourceFile};
use signpost::session::{Position, Session};

fn shared(name: &str) -> SourceFile {
    let path = common::root().join("tests/fixtures/valid").join(name);
    SourceFile {
        path: name.into(),
        text: std::fs::read_to_string(path).expect("fixture"),
    }
}

fn inputs(tree: String) -> Inputs {
    Inputs {
        trees: vec![SourceFile {
            path: "random.json".into(),
            text: tree,
        }],
        contacts: shared("contacts.json"),
        glossary: shared("glossary.json"),
        holidays: shared("bank-holidays.json"),
        audiences: signpost::files::embedded().audiences,
        letters: vec![],
        questions: None,
        local: Default::default(),
        pack: None,
        extended: None,
    }
}

/// A random DAG: node i only points forward, the last node is an outcome, and every node is
/// reachable because node i+1 is always one of node i's targets.
fn random_tree() -> impl Strategy<Value = (String, usize)> {
    (2usize..40).prop_flat_map(|n| {
        let kinds = proptest::collection::vec(0u8..5, n);
        let targets = proptest::collection::vec(proptest::collection::vec(any::<prop::sample::Index>(), 1..4), n);
        (Just(n), kinds, targets)
    })
    .prop_map(|(n, kinds, targets)| {
        let mut nodes = Vec::new();
        for i in 0..n {
            let id = format!("n{i}");
            if i == n - 1 {
                nodes.push(json!({"id": id, "type": "outcome", "advice": ["a"]}));
                continue;
            }
            let mut outs: Vec<String> = vec![format!("n{}", i + 1)];
            for t in &targets[i] {
                outs.push(format!("n{}", i + 1 + t.index(n - i - 1)));
            }
            let node = match kinds[i] {
                0 => json!({"id": id, "type": "choice", "question": "Pick one", "options":
                    outs.iter().enumerate().map(|(k, o)| json!({"label": format!("Option {k}"), "value": format!("v{k}"), "next": o})).collect::<Vec<_>>()}),
                1 => json!({"id": id, "type": "date", "question": "When?", "examples": ["-3wd", "-20wd"], "next": outs[0]}),
                2 => json!({"id": id, "type": "branch", "rules": [{"when": "today > '2025-01-01'", "next": outs[outs.len() - 1]}], "otherwise": outs[0]}),
                3 => json!({"id": id, "type": "info", "title": "Read this", "body": "Today is {{ today | long_date }}.", "next": outs[0]}),
                _ => json!({"id": id, "type": "multi", "question": "Tick", "options": [{"label": "A", "value": "a"}, {"label": "None", "value": "none", "exclusive": true}], "next": outs[0]}),
            };
            nodes.push(node);
        }
        let tree = json!({
            "format": 1, "id": "random", "title": "Random", "jurisdictions": ["any"], "reviewed": "2026-11-20",
            "start": "n0", "nodes": nodes,
            "advice": {"a": {"for": ["everyone"], "title": "A step", "body": "Do it.", "sources": ["s"]}},
            "sources": {"s": {"title": "S", "url": "https://example.org", "checked": "2026-11-20"}}
        });
        (tree.to_string(), n)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_well_formed_trees_compile((tree, n) in random_tree()) {
        let c = compile(&inputs(tree));
        prop_assert!(c.library.is_some(), "{}", signpost::report::human(&c.diagnostics));
        let lib = c.library.unwrap();
        prop_assert_eq!(lib.flow("random").unwrap().tree().nodes.len(), n);
        prop_assert!(signpost::paths::count_paths(&lib, "random") >= 1);
    }

    #[test]
    fn random_walks_end_at_an_outcome((tree, _n) in random_tree(), picks in proptest::collection::vec(any::<prop::sample::Index>(), 60)) {
        let lib = compile(&inputs(tree)).library.expect("compiles");
        let mut s = Session::new(&lib, "random", common::today()).unwrap();
        let mut steps = 0;
        while let Position::Asking(_) = s.position() {
            let (_, node) = s.current().unwrap();
            let answer = match node {
                signpost::format::Node::Choice(c) => c.options[picks[steps % picks.len()].index(c.options.len())].value.clone(),
                signpost::format::Node::Multi(_) => if picks[steps % picks.len()].index(2) == 0 { "a".into() } else { "none".into() },
                signpost::format::Node::Date(_) => "2025-01-15".into(),
                _ => "ok".into(),
            };
            s.answer(&answer).unwrap();
            steps += 1;
            prop_assert!(steps < 100);
        }
        prop_assert_eq!(s.position(), &Position::Finished);
        // Answering moves on without replaying; a replay of the same answers from the start
        // must reach exactly the same path, advice and summary (docs/architecture.md, 4).
        let mut replayed = Session::new(&lib, "random", common::today()).unwrap();
        prop_assert!(replayed.restore(s.canonical_answers()).is_empty());
        prop_assert_eq!(replayed.position(), s.position());
        prop_assert_eq!(&replayed.trace().nodes, &s.trace().nodes);
        prop_assert_eq!(&replayed.trace().answered, &s.trace().answered);
        prop_assert_eq!(
            signpost::render::json(&signpost::summary::build(&replayed)),
            signpost::render::json(&signpost::summary::build(&s))
        );
        let last = s.trace().nodes.last().unwrap().node.clone();
        prop_assert_eq!(&last, &format!("n{}", _n - 1));
        prop_assert_eq!(signpost::summary::build(&s).steps.len(), 1);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_compiler(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes).to_string();
        let c = compile(&inputs(text));
        prop_assert!(c.library.is_none() || c.diagnostics.iter().all(|d| !d.is_error()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// fmt is idempotent and changes nothing a tree says: the formatted tree compiles to the
    /// same graph with the same paths.
    #[test]
    fn fmt_is_idempotent_and_keeps_the_flow((tree, _n) in random_tree()) {
        let once = signpost::scaffold::format_file("random.json", &tree).unwrap();
        let twice = signpost::scaffold::format_file("random.json", &once).unwrap();
        prop_assert_eq!(&once, &twice);
        let a = compile(&inputs(tree)).library.expect("compiles");
        let b = compile(&inputs(once)).library.expect("formatted compiles");
        prop_assert_eq!(signpost::paths::count_paths(&a, "random"), signpost::paths::count_paths(&b, "random"));
        let fa = a.flow("random").unwrap();
        let fb = b.flow("random").unwrap();
        prop_assert_eq!(fa.graph().edge_count(), fb.graph().edge_count());
        prop_assert_eq!(serde_json::to_value(fa.tree()).unwrap(), serde_json::to_value(fb.tree()).unwrap());
    }
}
