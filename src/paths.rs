//! Paths: counting every structural path by dynamic programming, and walking concrete paths
//! (with option values and declared examples) to snapshot their summaries.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use petgraph::Direction;
use serde::Serialize;

use crate::calendar;
use crate::compile::{topological_order, Edge, Library};
use crate::format::Node;
use crate::session::{NodeKey, Position, Session};
use crate::summary::{self, Summary};

/// Structural paths from a tree's start to its outcomes: each option edge counts as its own
/// path, a multi-select as one, and a sub-flow multiplies by the paths of the tree it runs.
/// Saturates at u128::MAX rather than overflowing.
pub fn count_paths(lib: &Library, root: &str) -> u128 {
    let mut memo: HashMap<String, u128> = HashMap::new();
    count_tree(lib, root, &mut memo, &mut BTreeSet::new())
}

fn count_tree(
    lib: &Library,
    id: &str,
    memo: &mut HashMap<String, u128>,
    active: &mut BTreeSet<String>,
) -> u128 {
    if let Some(&c) = memo.get(id) {
        return c;
    }
    let Some(flow) = lib.flow(id) else { return 0 };
    // Compiled libraries have no loops of trees; `active` keeps this true for any input.
    if !active.insert(id.to_string()) {
        return 0;
    }
    let Some(order) = topological_order(&flow.graph) else {
        return 0;
    };
    let mut count = vec![0u128; flow.graph.node_count()];
    for &n in order.iter().rev() {
        let node = flow.node(n);
        count[n.index()] = match node {
            Node::Outcome(_) => 1,
            Node::Flow(f) => {
                let inner = count_tree(lib, &f.tree, memo, active);
                let after = flow.target(n, Edge::Next).map_or(0, |t| count[t.index()]);
                inner.saturating_mul(after)
            }
            _ => flow
                .graph
                .edges_directed(n, Direction::Outgoing)
                .map(|e| count[petgraph::visit::EdgeRef::target(&e).index()])
                .fold(0u128, u128::saturating_add),
        };
    }
    active.remove(id);
    let total = count[flow.start.index()];
    memo.insert(id.to_string(), total);
    total
}

/// One walked path.
#[derive(Debug, Clone, Serialize)]
pub struct WalkedPath {
    /// Every node passed through, as `tree.node`.
    pub nodes: Vec<String>,
    /// The answers given, as `tree.node` -> canonical value.
    pub answers: BTreeMap<String, String>,
    /// The final node (an outcome), or why the walk stopped.
    pub outcome: String,
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize)]
pub struct Enumeration {
    pub tree: String,
    pub count: usize,
    pub paths: Vec<WalkedPath>,
    /// True when the limit stopped the walk early.
    pub truncated: bool,
    /// How the walk was bounded, in words.
    pub method: String,
}

pub const METHOD: &str = "Each option of a choice; for a multi-select, each option alone and all the non-exclusive \
options together; each declared example of a date, number or text question. Inside a sub-flow only the first \
option or example is taken (the sub-flow's own paths cover the rest). Paths that pass the same nodes are listed once.";

/// Walks every path of the root tree (bounded as METHOD says), up to `limit` paths.
pub fn enumerate(
    lib: &Library,
    root: &str,
    today: Date,
    limit: usize,
) -> Result<Enumeration, String> {
    let mut out = Vec::new();
    let mut seen_routes: BTreeSet<Vec<NodeKey>> = BTreeSet::new();
    let mut work: Vec<BTreeMap<NodeKey, String>> = vec![BTreeMap::new()];
    let mut truncated = false;
    while let Some(answers) = work.pop() {
        let mut session = Session::new(lib, root, today)?;
        session.set_auto_continue(true);
        session.restore(answers.clone());
        match session.position().clone() {
            // An example that the earlier answers rule out (e.g. a reply dated before the
            // complaint) is not a path.
            Position::Asking(key) if answers.contains_key(&key) => continue,
            Position::Asking(key) => {
                let Some(node) = lib
                    .flow(&key.tree)
                    .and_then(|f| f.node_by_id(&key.node))
                    .map(|(_, n)| n)
                else {
                    continue;
                };
                let mut options = candidates(node, today, lib);
                if key.tree != root {
                    options.truncate(1);
                }
                // Pushed in reverse so paths come out in the order the options are written.
                for value in options.into_iter().rev() {
                    let mut next = answers.clone();
                    next.insert(key.clone(), value);
                    work.push(next);
                }
            }
            Position::Finished | Position::Blocked { .. } => {
                let trace = session.trace();
                if !seen_routes.insert(trace.nodes.clone()) {
                    continue;
                }
                if out.len() >= limit {
                    truncated = true;
                    break;
                }
                let outcome = match session.position() {
                    Position::Blocked { at, message } => format!("blocked at {at}: {message}"),
                    _ => trace
                        .nodes
                        .last()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                };
                out.push(WalkedPath {
                    nodes: trace.nodes.iter().map(ToString::to_string).collect(),
                    answers: session
                        .answers()
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect(),
                    outcome,
                    summary: summary::build(&session),
                });
            }
        }
    }
    Ok(Enumeration {
        tree: root.to_string(),
        count: out.len(),
        paths: out,
        truncated,
        method: METHOD.to_string(),
    })
}

/// The answers to try at a question.
fn candidates(node: &Node, today: Date, lib: &Library) -> Vec<String> {
    match node {
        Node::Choice(c) => c.options.iter().map(|o| o.value.clone()).collect(),
        Node::Multi(m) => {
            let mut v: Vec<String> = m.options.iter().map(|o| o.value.clone()).collect();
            let together: Vec<&str> = m
                .options
                .iter()
                .filter(|o| !o.exclusive)
                .map(|o| o.value.as_str())
                .collect();
            if together.len() > 1 {
                v.push(together.join(","));
            }
            v
        }
        Node::Date(d) => d
            .examples
            .iter()
            .filter_map(|e| calendar::resolve_example(e, today, &lib.calendar).ok())
            .map(|d| d.to_string())
            .collect(),
        Node::Number(n) => n.examples.iter().map(|e| e.to_string()).collect(),
        Node::Text(t) => t.examples.clone(),
        Node::Info(_) => vec!["ok".into()],
        Node::Branch(_) | Node::Outcome(_) | Node::Flow(_) => Vec::new(),
    }
}
