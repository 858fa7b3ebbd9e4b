//! The graph of one tree: references resolved into edges, then the whole-graph checks
//! (reachability, cycles, dead ends, path length).

use std::collections::{HashMap, VecDeque};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::nodes::{node_pointer, NextRef};
use super::reporter::Diagnostics;
use super::{Edge, SourceFile};
use crate::core::diagnostics::{nearest, Diagnostic};
use crate::core::format::{Node, TreeFile};
use crate::core::limits;

/// The node a reference names, or E005 (with the nearest id as a hint) when there is none.
pub(super) fn resolve(
    diags: &mut Diagnostics,
    file: &SourceFile,
    index: &HashMap<String, NodeIndex>,
    target: &str,
    pointer: &str,
) -> Option<NodeIndex> {
    if let Some(&ix) = index.get(target) {
        return Some(ix);
    }
    let help = match nearest(target, index.keys().map(String::as_str)) {
        Some(n) => format!("did you mean `{n}`?"),
        None => "add a node with this id, or point to an existing one".into(),
    };
    diags.push(
        file,
        Diagnostic::error(
            "E005",
            &file.path,
            pointer,
            format!("there is no node with the id `{target}`"),
        )
        .with_help(help),
    );
    None
}

/// The tree's graph: one graph node per tree node, one edge per reference that resolves.
pub(super) fn build_graph(
    diags: &mut Diagnostics,
    file: &SourceFile,
    nodes: &[Node],
    index: &HashMap<String, NodeIndex>,
    nexts: &[NextRef],
) -> DiGraph<(), Edge> {
    let mut graph: DiGraph<(), Edge> = DiGraph::with_capacity(nodes.len(), nexts.len());
    for _ in nodes {
        graph.add_node(());
    }
    for r in nexts {
        // The pointer is built only for a reference that does not resolve.
        let to = match index.get(r.target) {
            Some(&to) => Some(to),
            None => resolve(diags, file, index, r.target, &r.pointer()),
        };
        if let Some(to) = to {
            graph.add_edge(NodeIndex::new(r.from), to, r.edge);
        }
    }
    graph
}

/// Which nodes the start reaches; E011 for each one it does not.
pub(super) fn check_reachable(
    diags: &mut Diagnostics,
    file: &SourceFile,
    tree: &TreeFile,
    graph: &DiGraph<(), Edge>,
    start: NodeIndex,
) -> Vec<bool> {
    let reachable = reachable_from(graph, start);
    for (i, node) in tree.nodes.iter().enumerate() {
        if !reachable[i] {
            diags.push(
                file,
                Diagnostic::error(
                    "E011",
                    &file.path,
                    format!("{}/id", node_pointer(i)),
                    format!(
                        "node `{}` cannot be reached from the start (`{}`)",
                        node.id(),
                        tree.start
                    ),
                )
                .with_help("point a `next` at it, or delete it"),
            );
        }
    }
    reachable
}

/// A topological order of the nodes, or None after E012 for each loop.
pub(super) fn check_acyclic(
    diags: &mut Diagnostics,
    file: &SourceFile,
    nodes: &[Node],
    graph: &DiGraph<(), Edge>,
) -> Option<Vec<NodeIndex>> {
    if let Some(order) = topological_order(graph) {
        return Some(order);
    }
    for cycle in cycles(graph) {
        let names: Vec<&str> = cycle.iter().map(|ix| nodes[ix.index()].id()).collect();
        let first = cycle[0].index();
        diags.push(
            file,
            Diagnostic::error(
                "E012",
                &file.path,
                format!("{}/id", node_pointer(first)),
                format!(
                    "these nodes lead back to each other in a loop: {}",
                    names.join(" -> ")
                ),
            )
            .with_help(
                "a flow must always move forward: point one `next` in the loop to a later node",
            ),
        );
    }
    None
}

/// Every reachable node but an outcome leads somewhere (E013).
pub(super) fn check_dead_ends(
    diags: &mut Diagnostics,
    file: &SourceFile,
    nodes: &[Node],
    graph: &DiGraph<(), Edge>,
    reachable: &[bool],
) {
    for (i, node) in nodes.iter().enumerate() {
        let is_outcome = matches!(node, Node::Outcome(_));
        let leaves = graph
            .edges_directed(NodeIndex::new(i), Direction::Outgoing)
            .next()
            .is_some();
        if !is_outcome && !leaves && reachable[i] {
            diags.push(
                file,
                Diagnostic::error(
                    "E013",
                    &file.path,
                    format!("{}/id", node_pointer(i)),
                    format!("a path stops at `{}`, which is not an outcome", node.id()),
                )
                .with_help("give it a `next`, or make it an `outcome`"),
            );
        }
    }
}

/// No path is longer than anyone could answer (E024).
pub(super) fn check_path_length(
    diags: &mut Diagnostics,
    file: &SourceFile,
    graph: &DiGraph<(), Edge>,
    order: &[NodeIndex],
) {
    let longest = longest_path_nodes(graph, order);
    if longest > limits::MAX_PATH_NODES {
        diags.push(
            file,
            Diagnostic::error(
                "E024",
                &file.path,
                "/start",
                format!(
                    "the longest path passes {longest} nodes; the limit is {}",
                    limits::MAX_PATH_NODES
                ),
            )
            .with_help("nobody can answer that many questions: split the flow (docs/limits.md)"),
        );
    }
}

fn reachable_from(graph: &DiGraph<(), Edge>, start: NodeIndex) -> Vec<bool> {
    let mut seen = vec![false; graph.node_count()];
    let mut queue = VecDeque::from([start]);
    seen[start.index()] = true;
    while let Some(n) = queue.pop_front() {
        for m in graph.neighbors_directed(n, Direction::Outgoing) {
            if !seen[m.index()] {
                seen[m.index()] = true;
                queue.push_back(m);
            }
        }
    }
    seen
}

/// Kahn's algorithm: a topological order, or None if there is a cycle.
pub(crate) fn topological_order(graph: &DiGraph<(), Edge>) -> Option<Vec<NodeIndex>> {
    let mut indegree: Vec<usize> = vec![0; graph.node_count()];
    for e in graph.edge_references() {
        indegree[e.target().index()] += 1;
    }
    let mut queue: VecDeque<NodeIndex> = graph
        .node_indices()
        .filter(|n| indegree[n.index()] == 0)
        .collect();
    let mut order = Vec::with_capacity(graph.node_count());
    while let Some(n) = queue.pop_front() {
        order.push(n);
        for e in graph.edges_directed(n, Direction::Outgoing) {
            let t = e.target().index();
            indegree[t] -= 1;
            if indegree[t] == 0 {
                queue.push_back(e.target());
            }
        }
    }
    (order.len() == graph.node_count()).then_some(order)
}

/// Every cycle as the nodes of one strongly connected component, in file order.
fn cycles(graph: &DiGraph<(), Edge>) -> Vec<Vec<NodeIndex>> {
    let mut out: Vec<Vec<NodeIndex>> = petgraph::algo::kosaraju_scc(graph)
        .into_iter()
        .filter(|scc| scc.len() > 1 || graph.contains_edge(scc[0], scc[0]))
        .map(|mut scc| {
            scc.sort();
            scc
        })
        .collect();
    out.sort();
    out
}

/// Nodes on the longest path from any node to an end (dynamic programming over the DAG).
fn longest_path_nodes(graph: &DiGraph<(), Edge>, order: &[NodeIndex]) -> usize {
    let mut len = vec![0usize; graph.node_count()];
    for &n in order.iter().rev() {
        len[n.index()] = 1 + graph
            .neighbors_directed(n, Direction::Outgoing)
            .map(|s| len[s.index()])
            .max()
            .unwrap_or(0);
    }
    len.into_iter().max().unwrap_or(0)
}
