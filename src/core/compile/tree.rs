//! The checks of one tree, as a sequence of passes: its own fields, each node, the graph of its
//! references, its advice, its expressions, then (when all that is sound) the whole-graph
//! checks and definite assignment.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};

use super::advice::{check_advice_items, check_advice_uses, AdviceContext, AdviceReads};
use super::expressions::{
    check_comparisons, check_conditions, check_guarded_facts, check_templates, Reads,
};
use super::facts::{
    answered_facts, check_advice_reads, check_condition_reads, definitely_assigned, derivations,
    fact_index, known_facts, proved_facts, Assignment,
};
use super::lets::{check_lets, Derived};
use super::nodes::{collect_references, index_nodes, NodeContext, References};
use super::parse::{Broken, ParsedTree};
use super::reporter::Diagnostics;
use super::{graph, header, modules, snippets, text};
use super::{Edge, Flow, Inputs, Shared, SourceFile};
use crate::core::expr;
use crate::core::format::{Jurisdiction, TreeFile};

/// What each tree may know of the others.
struct OtherTrees {
    /// Tree id -> whether its advice is only for some nations.
    restricted: BTreeMap<String, bool>,
    /// Tree id -> the facts it must be given (its `inputs`).
    inputs: BTreeMap<String, Vec<String>>,
}

/// Checks every tree; the ones without errors become flows. A duplicate's own problems are
/// still reported, but it joins no library.
pub(super) fn check_trees(
    diags: &mut Diagnostics,
    inputs: &Inputs,
    shared: &Shared,
    parsed: Vec<ParsedTree>,
    duplicates: Vec<ParsedTree>,
) -> BTreeMap<String, Flow> {
    let others = OtherTrees {
        restricted: parsed
            .iter()
            .map(|(_, t, _)| (t.id.clone(), !t.jurisdictions.contains(&Jurisdiction::Any)))
            .collect(),
        inputs: parsed
            .iter()
            .map(|(_, t, _)| (t.id.clone(), t.inputs.clone()))
            .collect(),
    };
    let check = |diags: &mut Diagnostics, (i, tree, broken): ParsedTree| {
        check_tree(diags, &inputs.trees[i], tree, &broken, shared, &others)
    };
    let mut flows = BTreeMap::new();
    for entry in parsed {
        if let Some(flow) = check(diags, entry) {
            flows.insert(flow.tree.id.clone(), flow);
        }
    }
    for entry in duplicates {
        let _ = check(diags, entry);
    }
    flows
}

fn error_count(diags: &Diagnostics) -> usize {
    diags.list.iter().filter(|d| d.is_error()).count()
}

/// One tree: a flow when it has no error.
fn check_tree(
    diags: &mut Diagnostics,
    file: &SourceFile,
    tree: TreeFile,
    broken: &Broken,
    shared: &Shared,
    others: &OtherTrees,
) -> Option<Flow> {
    let errors_before = error_count(diags);
    let tree = snippets::expand(diags, file, tree, shared.snippets);
    let parts = check_parts(diags, (file, &tree, broken), shared, others)?;
    let start = parts.start?;
    if error_count(diags) > errors_before {
        return None; // Whole-graph checks on a graph with holes would only repeat the same story.
    }
    check_whole_graph(diags, (file, &tree), &parts, start, others)?;
    let TreeParts {
        index,
        graph,
        advice_reads,
        lets,
        ..
    } = parts;
    // Filled in once every tree is compiled, counting the screens of the trees flows run.
    let remaining = vec![0; tree.nodes.len()];
    let snippets = snippets::with_pack(&tree.snippets, shared.snippets);
    (error_count(diags) == errors_before).then(|| Flow {
        file: file.path.clone(),
        tree,
        graph,
        index,
        start,
        remaining,
        advice_text_reads: advice_reads.text,
        lets,
        snippets,
    })
}

/// What the checks of a tree's parts found, for the whole-graph checks and the flow.
struct TreeParts<'t> {
    index: HashMap<String, NodeIndex>,
    refs: References<'t>,
    /// The start node, if its id resolves.
    start: Option<NodeIndex>,
    graph: DiGraph<(), Edge>,
    advice_reads: AdviceReads,
    /// Facts read by each condition and text.
    reads: Reads,
    /// What each condition proves set when it is true, by its place in `refs.conditions`.
    proves: HashMap<usize, BTreeSet<String>>,
    /// Every analysed expression and text, by pointer: for comparisons with option values and
    /// for facts guarded with `is defined`.
    expression_uses: Vec<(String, expr::Analysis)>,
    /// The computed facts, each after the ones it reads.
    lets: Vec<Derived>,
}

/// The tree's own fields, each node, the graph of references, the advice and every expression.
/// None when the tree is too big to check further.
fn check_parts<'t>(
    diags: &mut Diagnostics,
    (file, tree, broken): (&SourceFile, &'t TreeFile, &Broken),
    shared: &Shared,
    others: &OtherTrees,
) -> Option<TreeParts<'t>> {
    // The tree's own fields.
    header::check_header(diags, file, tree);
    if !header::within_node_limit(diags, file, tree) {
        return None;
    }
    text::check_text_lengths(diags, file, tree);
    header::check_inputs(diags, file, tree);
    text::check_tree_controls(diags, file, tree);

    // Each node, and the references out of it.
    let index = index_nodes(diags, file, tree);
    let node_cx = NodeContext {
        file,
        calendar: shared.calendar,
        known_trees: &others.restricted,
    };
    let mut refs = collect_references(diags, &node_cx, tree);
    let start = graph::resolve(diags, file, &index, &tree.start, "/start");
    let graph = graph::build_graph(diags, file, &tree.nodes, &index, &refs.nexts);

    // Advice items, then every expression and text.
    let mut expression_uses = Vec::new();
    let advice_cx = AdviceContext {
        file,
        tree,
        broken,
        shared,
    };
    let lets = check_lets(
        diags,
        (file, shared, tree),
        &answered_facts(tree),
        &mut expression_uses,
    );
    let advice_reads = check_advice_items(diags, &advice_cx, &mut expression_uses);
    check_advice_uses(diags, &advice_cx, &refs.uses);
    let mut reads = std::mem::take(&mut refs.reads);
    let conditions = std::mem::take(&mut refs.conditions);
    let at = (file, shared, tree);
    let with_lets = |proves, truthy: &_| super::lets::with_lets_proved(proves, truthy, &lets);
    let proves = check_conditions(
        diags,
        at,
        (conditions, &with_lets),
        &mut reads,
        &mut expression_uses,
    );
    let templates = std::mem::take(&mut refs.templates);
    check_templates(
        diags,
        (file, shared),
        templates,
        &mut reads,
        &mut expression_uses,
    );
    check_comparisons(diags, file, tree, &expression_uses);
    Some(TreeParts {
        index,
        refs,
        start,
        graph,
        advice_reads,
        reads,
        proves,
        expression_uses,
        lets,
    })
}

/// Reachability, cycles, dead ends, definite assignment, modules and path length; None when
/// the graph has a loop, which leaves nothing further to check.
fn check_whole_graph(
    diags: &mut Diagnostics,
    (file, tree): (&SourceFile, &TreeFile),
    parts: &TreeParts,
    start: NodeIndex,
    others: &OtherTrees,
) -> Option<()> {
    let graph = &parts.graph;
    let reachable = graph::check_reachable(diags, file, tree, graph, start);
    let order = graph::check_acyclic(diags, file, &tree.nodes, graph)?;
    graph::check_dead_ends(diags, file, &tree.nodes, graph, &reachable);

    // Definite assignment over the DAG.
    let facts = known_facts(tree);
    let fact_ix = fact_index(&facts);
    let given: Vec<usize> = tree
        .inputs
        .iter()
        .filter_map(|fact| fact_ix.get(fact.as_str()).copied())
        .collect();
    check_guarded_facts(diags, file, &facts, &fact_ix, &parts.expression_uses);
    let proved = proved_facts(
        &tree.nodes,
        &fact_ix,
        &parts.refs.rule_conditions,
        &parts.proves,
    );
    let derived = derivations(&parts.lets, &fact_ix);
    let asg = Assignment {
        graph,
        nodes: &tree.nodes,
        facts: &facts,
        fact_ix: &fact_ix,
        assigned_in: definitely_assigned(
            graph,
            &tree.nodes,
            &order,
            start,
            &fact_ix,
            &proved.edges,
            (&given, &derived),
        ),
        start,
        derived: &derived,
    };
    check_condition_reads(diags, file, &asg, &parts.reads, &reachable);
    let uses = &parts.refs.uses;
    check_advice_reads(
        diags,
        (file, tree),
        &asg,
        uses,
        &parts.advice_reads.all,
        &proved.uses,
    );
    modules::check_module_inputs(diags, (file, tree), &asg, &others.inputs, &reachable);
    modules::check_nation(diags, (file, tree), &asg, &others.restricted);
    graph::check_path_length(diags, file, graph, &order);
    Some(())
}
