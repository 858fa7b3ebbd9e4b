//! Limits and scale: a 100,000-node chain compiles, walks and counts without overflowing the
//! stack; limits are reported by name.

mod common;

use serde_json::json;
use signpost::compile::{compile, Inputs, SourceFile};

fn inputs_with(tree: String) -> Inputs {
    let mut inputs = signpost::files::embedded();
    inputs.trees = vec![SourceFile {
        path: "big.json".into(),
        text: tree,
    }];
    inputs
}

fn chain(n: usize) -> String {
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n - 1 {
        nodes.push(json!({"type": "info", "id": format!("n{i}"), "title": "Page", "body": "Read this.", "next": format!("n{}", i + 1)}));
    }
    nodes.push(json!({"type": "outcome", "id": format!("n{}", n - 1), "advice": ["a"]}));
    json!({
        "format": 1, "id": "big", "title": "Big", "jurisdictions": ["any"], "reviewed": "2026-11-20", "start": "n0",
        "nodes": nodes,
        "advice": {"a": {"for": ["everyone"], "title": "A step", "body": "Do it.", "sources": ["s"]}},
        "sources": {"s": {"title": "S", "url": "https://example.org", "checked": "2026-11-20"}}
    })
    .to_string()
}

#[test]
fn a_100000_node_chain_compiles_and_walks_without_recursion() {
    let compiled = compile(&inputs_with(chain(100_000)));
    let lib = compiled
        .library
        .unwrap_or_else(|| panic!("{}", signpost::report::human(&compiled.diagnostics)));
    assert_eq!(signpost::paths::count_paths(&lib, "big"), 1);
    let mut s = signpost::session::Session::new(&lib, "big", common::today()).unwrap();
    s.set_auto_continue(true);
    assert!(s.is_finished());
    assert_eq!(s.trace().nodes.len(), 100_000);
}

#[test]
fn deep_nesting_and_huge_texts_are_refused_by_name() {
    let deep = format!(
        "{{\"format\": 1, \"x\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let c = compile(&inputs_with(deep));
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.code == "E024" && d.message.contains("nests 10001 levels")),
        "{:?}",
        c.diagnostics
    );

    let mut tree: serde_json::Value = serde_json::from_str(&chain(3)).unwrap();
    tree["advice"]["a"]["body"] = json!("word ".repeat(5_000));
    let c = compile(&inputs_with(tree.to_string()));
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == "E024")
        .expect("E024");
    assert_eq!(d.pointer, "/advice/a/body");
}
