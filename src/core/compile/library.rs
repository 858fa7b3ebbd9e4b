//! Checks across the trees of a library, once each tree is checked on its own: loops of trees
//! running each other, `covered_by` references, and the screens counted through sub-flows.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::graph::topological_order;
use super::reporter::Diagnostics;
use super::{Flow, Inputs};
use crate::core::diagnostics::{escape_segment, Diagnostic};
use crate::core::format::Node;

/// Trees that run each other in a loop would never end.
pub(super) fn check_tree_loops(
    diags: &mut Diagnostics,
    inputs: &Inputs,
    flows: &BTreeMap<String, Flow>,
    files: &BTreeMap<String, usize>,
) {
    let ids: Vec<&String> = flows.keys().collect();
    let pos: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut g: DiGraph<(), usize> = DiGraph::new();
    for _ in &ids {
        g.add_node(());
    }
    for (id, flow) in flows {
        for (k, node) in flow.tree.nodes.iter().enumerate() {
            if let Node::Flow(n) = node {
                if let (Some(&a), Some(&b)) = (pos.get(id.as_str()), pos.get(n.tree.as_str())) {
                    g.add_edge(NodeIndex::new(a), NodeIndex::new(b), k);
                }
            }
        }
    }
    for scc in petgraph::algo::kosaraju_scc(&g) {
        let self_loop = g.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        let mut names: Vec<&str> = scc.iter().map(|ix| ids[ix.index()].as_str()).collect();
        names.sort();
        let first = scc
            .iter()
            .min_by_key(|ix| ids[ix.index()])
            .copied()
            .unwrap_or(scc[0]);
        let tree_id = ids[first.index()];
        let Some(&file_ix) = files.get(tree_id) else {
            continue;
        };
        let file = &inputs.trees[file_ix];
        let node = g
            .edges_directed(first, Direction::Outgoing)
            .find(|e| scc.contains(&e.target()))
            .map(|e| *e.weight())
            .unwrap_or(0);
        diags.push(
            file,
            Diagnostic::error(
                "E015",
                &file.path,
                format!("/nodes/{node}/tree"),
                format!(
                    "these trees run each other in a loop: {}",
                    names.join(" -> ")
                ),
            )
            .with_help("a tree may run another tree, but never one that runs it back"),
        );
    }
}

/// Every `covered_by` names a step of a tree that exists, as `tree.advice_id`.
pub(super) fn check_covered_by(
    diags: &mut Diagnostics,
    inputs: &Inputs,
    flows: &BTreeMap<String, Flow>,
    tree_files: &BTreeMap<String, usize>,
) {
    for (id, flow) in flows {
        let Some(file) = tree_files.get(id).map(|&i| &inputs.trees[i]) else {
            continue;
        };
        for (aid, a) in &flow.tree.advice {
            for (k, c) in a.covered_by.iter().enumerate() {
                // A tree not loaded with this one (checking a single file) cannot be judged.
                let exists = c.split_once('.').is_some_and(|(t, x)| {
                    flows.get(t).is_none_or(|f| f.tree.advice.contains_key(x))
                });
                if !exists {
                    diags.push(
                        file,
                        Diagnostic::error(
                            "E006",
                            &file.path,
                            format!("/advice/{}/covered_by/{k}", escape_segment(aid)),
                            format!("there is no advice item `{c}`"),
                        )
                        .with_help("name it as tree.advice_id, for example process.prepare_review"),
                    );
                }
            }
        }
    }
}

/// Adds the screens of the trees that flow nodes run to `remaining`, so progress does not jump
/// when a sub-flow starts. Repeats until nothing changes (at most once per level of nesting),
/// rather than recursing; without a loop of trees (E015) it settles.
pub(super) fn count_sub_flow_screens(flows: &mut BTreeMap<String, Flow>) {
    for _ in 0..=flows.len() {
        let longest: HashMap<String, u32> = flows
            .iter()
            .map(|(id, f)| (id.clone(), f.remaining[f.start.index()]))
            .collect();
        let mut changed = false;
        for flow in flows.values_mut() {
            let Some(order) = topological_order(&flow.graph) else {
                continue;
            };
            let mut rem = vec![0u32; flow.graph.node_count()];
            for &n in order.iter().rev() {
                let node = flow.node(n);
                let own = match node {
                    Node::Flow(f) => longest.get(&f.tree).copied().unwrap_or(0),
                    other => screens(other),
                };
                let best = flow
                    .graph
                    .neighbors_directed(n, Direction::Outgoing)
                    .map(|s| rem[s.index()])
                    .max()
                    .unwrap_or(0);
                rem[n.index()] = best.saturating_add(own);
            }
            if rem != flow.remaining {
                flow.remaining = rem;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

pub(super) fn screens(node: &Node) -> u32 {
    match node {
        Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_) => 0,
        _ => 1,
    }
}
