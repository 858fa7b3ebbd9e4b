//! Pictures of a flow: Graphviz DOT and Mermaid, edges labelled with the option or condition,
//! node shapes by type. The advice an option, rule or node adds is written under it after a
//! `+` (an outcome's after `end:`).

use std::fmt::Write;

use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::core::compile::{Edge, Flow};
use crate::core::format::Node;

/// A line saying which advice is added, or nothing when none is.
fn adds(advice: &[String]) -> String {
    if advice.is_empty() {
        String::new()
    } else {
        format!("\\n+ {}", advice.join(", "))
    }
}

fn edge_label(from: &Node, edge: Edge) -> String {
    match (from, edge) {
        (Node::Choice(c), Edge::Option(k)) => c
            .options
            .get(k)
            .map(|o| format!("{}{}", o.label, adds(&o.advice)))
            .unwrap_or_default(),
        (Node::Branch(b), Edge::Rule(k)) => b
            .rules
            .get(k)
            .map(|r| format!("{}{}", r.when, adds(&r.advice)))
            .unwrap_or_default(),
        (_, Edge::Otherwise) => "otherwise".into(),
        _ => String::new(),
    }
}

fn node_text(node: &Node) -> String {
    let text = match node {
        Node::Info(i) => i.title.clone(),
        Node::Flow(f) => format!("runs {}", f.tree),
        Node::Outcome(o) if o.advice.is_empty() => "end".into(),
        Node::Outcome(o) => format!("end: {}", o.advice.join(", ")),
        Node::Branch(_) => "decide".into(),
        Node::Advise(a) => format!(
            "advice from the situation ({} rule{})",
            a.rules.len(),
            if a.rules.len() == 1 { "" } else { "s" }
        ),
        other => other.question().unwrap_or_default().to_string(),
    };
    let short: String = text.chars().take(60).collect();
    let short = if text.chars().count() > 60 {
        format!("{short}...")
    } else {
        short
    };
    // What the node adds itself, and what each ticked option of a multi-select adds.
    let mut added = match node {
        Node::Outcome(_) => String::new(),
        other => adds(other.node_advice()),
    };
    if let Node::Multi(m) = node {
        for o in m.options.iter().filter(|o| !o.advice.is_empty()) {
            added.push_str(&format!("\\n+ {}: {}", o.value, o.advice.join(", ")));
        }
    }
    // An advise node adds each true rule's advice.
    if let Node::Advise(a) = node {
        for r in a.rules.iter().filter(|r| !r.advice.is_empty()) {
            added.push_str(&format!("\\n+ {} if {}", r.advice.join(", "), r.when));
        }
    }
    format!("{}\\n{}{added}", node.id(), short)
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("\\\\n", "\\n")
}

/// The nodes that lead to `node` and that `node` leads to (itself included), by index.
pub(crate) fn around(flow: &Flow, node: &str) -> Option<Vec<bool>> {
    let (start, _) = flow.node_by_id(node)?;
    let mut keep = vec![false; flow.graph().node_count()];
    for dir in [Direction::Outgoing, Direction::Incoming] {
        let mut seen = vec![false; flow.graph().node_count()];
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            if std::mem::replace(&mut seen[n.index()], true) {
                continue;
            }
            keep[n.index()] = true;
            stack.extend(flow.graph().neighbors_directed(n, dir));
        }
    }
    Some(keep)
}

fn shown(keep: Option<&[bool]>, i: usize) -> bool {
    keep.is_none_or(|k| k.get(i).copied().unwrap_or(false))
}

/// Graphviz DOT; with `keep`, only those nodes.
pub fn dot(flow: &Flow, keep: Option<&[bool]>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", dot_escape(&flow.tree().id));
    let _ = writeln!(out, "  rankdir=TB;\n  node [fontname=\"sans-serif\"];");
    for (i, node) in flow.tree().nodes.iter().enumerate() {
        if !shown(keep, i) {
            continue;
        }
        let shape = match node {
            Node::Branch(_) => "diamond",
            Node::Outcome(_) => "doubleoctagon",
            Node::Info(_) => "note",
            Node::Flow(_) => "component",
            Node::Multi(_) => "box3d",
            _ => "box",
        };
        let _ = writeln!(
            out,
            "  n{i} [shape={shape}, label=\"{}\"];",
            dot_escape(&node_text(node))
        );
    }
    for e in flow.graph().edge_references() {
        if !shown(keep, e.source().index()) || !shown(keep, e.target().index()) {
            continue;
        }
        let label = edge_label(flow.node(e.source()), *e.weight());
        let _ = writeln!(
            out,
            "  n{} -> n{} [label=\"{}\"];",
            e.source().index(),
            e.target().index(),
            dot_escape(&label)
        );
    }
    out.push_str("}\n");
    out
}

/// A label's text as Mermaid shows it: markup characters as entity codes, so a tree's `<` or
/// `&` is read as text, never as HTML where Mermaid renders labels as HTML.
fn mermaid_escape(s: &str) -> String {
    s.replace('&', "#amp;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace("\\n", "<br/>")
}

/// Mermaid flowchart (GitHub renders it in Markdown); with `keep`, only those nodes.
pub fn mermaid(flow: &Flow, keep: Option<&[bool]>) -> String {
    let mut out = String::from("flowchart TD\n");
    for (i, node) in flow.tree().nodes.iter().enumerate() {
        if !shown(keep, i) {
            continue;
        }
        let text = mermaid_escape(&node_text(node));
        let shape = match node {
            Node::Branch(_) => format!("n{i}{{\"{text}\"}}"),
            Node::Outcome(_) => format!("n{i}([\"{text}\"])"),
            Node::Flow(_) => format!("n{i}[[\"{text}\"]]"),
            Node::Info(_) => format!("n{i}>\"{text}\"]"),
            _ => format!("n{i}[\"{text}\"]"),
        };
        let _ = writeln!(out, "  {shape}");
    }
    for e in flow.graph().edge_references() {
        if !shown(keep, e.source().index()) || !shown(keep, e.target().index()) {
            continue;
        }
        let label = edge_label(flow.node(e.source()), *e.weight());
        if label.is_empty() {
            let _ = writeln!(out, "  n{} --> n{}", e.source().index(), e.target().index());
        } else {
            let _ = writeln!(
                out,
                "  n{} -->|\"{}\"| n{}",
                e.source().index(),
                mermaid_escape(&label),
                e.target().index()
            );
        }
    }
    out
}
