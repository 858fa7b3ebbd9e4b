//! The checks of each node on its own, and the references each node makes: to other nodes, to
//! advice items, and through conditions and texts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::graph::NodeIndex;

use super::dates::check_date_examples;
use super::names::{is_fact_name, is_node_id};
use super::reporter::Diagnostics;
use super::{Edge, SourceFile};
use crate::core::calendar::Calendar;
use crate::core::diagnostics::{nearest, Diagnostic};
use crate::core::format::*;
use crate::core::limits;

pub(super) struct NextRef<'t> {
    pub(super) from: usize,
    pub(super) edge: Edge,
    pub(super) target: &'t str,
}

impl NextRef<'_> {
    /// Where the reference is written (built only to report a problem).
    pub(super) fn pointer(&self) -> String {
        let p = node_pointer(self.from);
        match self.edge {
            Edge::Option(k) => format!("{p}/options/{k}/next"),
            Edge::Rule(k) => format!("{p}/rules/{k}/next"),
            Edge::Otherwise => format!("{p}/otherwise"),
            Edge::Next => format!("{p}/next"),
        }
    }
}

/// Where an advice item is added: the node, the pointer of the reference, and whether the
/// node's own fact is already set at that point (option advice is added after answering).
pub(super) struct AdviceUse {
    pub(super) node: usize,
    pub(super) pointer: String,
    pub(super) id: String,
    pub(super) after_answer: bool,
}

/// A branch or advise rule: node, rule index, its place in `conditions`, its advice in `uses`.
pub(super) type RuleCondition = (usize, usize, usize, std::ops::Range<usize>);

pub(super) fn node_pointer(i: usize) -> String {
    format!("/nodes/{i}")
}

fn has_explicit_fact(node: &Node) -> bool {
    match node {
        Node::Choice(n) => n.fact.is_some(),
        Node::Multi(n) => n.fact.is_some(),
        Node::Date(n) => n.fact.is_some(),
        Node::Number(n) => n.fact.is_some(),
        Node::Text(n) => n.fact.is_some(),
        _ => false,
    }
}

fn check_examples(
    diags: &mut Diagnostics,
    file: &SourceFile,
    pointer: &str,
    count: usize,
    id: &str,
) {
    if count == 0 {
        diags.push(
            file,
            Diagnostic::error("E020", &file.path, format!("{pointer}/examples"), format!("question `{id}` has no examples"))
                .with_help("add sample answers so every path can be walked and tested, e.g. [\"-15wd\", \"-3wd\"]"),
        );
    }
}

/// Each node's id (E010, E004) and the fact it sets (E010); the index of node ids.
pub(super) fn index_nodes(
    diags: &mut Diagnostics,
    file: &SourceFile,
    tree: &TreeFile,
) -> HashMap<String, NodeIndex> {
    let f = &file.path;
    let mut index: HashMap<String, NodeIndex> = HashMap::with_capacity(tree.nodes.len());
    for (i, node) in tree.nodes.iter().enumerate() {
        let id = node.id();
        if !is_node_id(id) {
            diags.push(
                file,
                Diagnostic::error(
                    "E010",
                    f,
                    format!("/nodes/{i}/id"),
                    format!("node id `{id}` must be lower case letters, digits and `_`"),
                ),
            );
        }
        if let Some(first) = index.get(id) {
            diags.push(
                file,
                Diagnostic::error(
                    "E004",
                    f,
                    format!("/nodes/{i}/id"),
                    format!("another node already has the id `{id}`"),
                )
                .with_help(format!(
                    "the first is at /nodes/{}; rename one of them",
                    first.index()
                )),
            );
        } else {
            index.insert(id.to_string(), NodeIndex::new(i));
        }
        if let Some(fact) = node.fact() {
            if !is_fact_name(fact) {
                let ptr = if has_explicit_fact(node) {
                    format!("/nodes/{i}/fact")
                } else {
                    format!("/nodes/{i}/id")
                };
                diags.push(
                    file,
                    Diagnostic::error("E010", f, ptr, format!("`{fact}` cannot be a fact name"))
                        .with_help("fact names are lower case letters, digits and `_`, start with a letter, and are not `today` or a function name"),
                );
            }
        }
    }
    index
}

/// Everything the nodes of a tree refer to, collected in one walk over them.
#[derive(Default)]
pub(super) struct References<'t> {
    /// References to other nodes: the edges of the graph.
    pub(super) nexts: Vec<NextRef<'t>>,
    /// Where advice items are added.
    pub(super) uses: Vec<AdviceUse>,
    /// Conditions: node, pointer, source.
    pub(super) conditions: Vec<(usize, String, &'t str)>,
    /// Texts read as templates: node, pointer, source.
    pub(super) templates: Vec<(usize, String, &'t str)>,
    /// Facts read outside any expression (a date's `not_before`): node, pointer, facts.
    pub(super) reads: Vec<(usize, String, BTreeSet<String>)>,
    /// Branch and advise rules, with where their conditions and advice went.
    pub(super) rule_conditions: Vec<RuleCondition>,
}

/// What a node's checks need besides the node: the file, the calendar for date examples, and
/// the trees a flow node may run.
pub(super) struct NodeContext<'a> {
    pub(super) file: &'a SourceFile,
    pub(super) calendar: &'a Calendar,
    pub(super) known_trees: &'a BTreeMap<String, bool>,
}

/// Checks each node on its own and collects what it refers to.
pub(super) fn collect_references<'t>(
    diags: &mut Diagnostics,
    cx: &NodeContext,
    tree: &'t TreeFile,
) -> References<'t> {
    let mut refs = References::default();
    for (i, node) in tree.nodes.iter().enumerate() {
        let p = node_pointer(i);
        match node {
            Node::Choice(n) => refs.choice(diags, cx.file, i, &p, n, node.fact()),
            Node::Multi(n) => refs.multi(diags, cx.file, i, &p, n),
            Node::Date(n) => refs.date(diags, cx, i, &p, n),
            Node::Number(n) => refs.number(diags, cx.file, i, &p, n),
            Node::Text(n) => refs.text(diags, cx.file, i, &p, n),
            Node::Info(n) => {
                refs.templates.push((i, format!("{p}/body"), &n.body));
                refs.next(i, &n.next, Edge::Next);
                refs.add_uses(i, p.clone(), &n.advice, false);
            }
            Node::Branch(n) => {
                for (k, r) in n.rules.iter().enumerate() {
                    refs.add_rule(
                        i,
                        k,
                        (format!("{p}/rules/{k}"), r.when.as_str(), &r.advice[..]),
                    );
                    refs.next(i, &r.next, Edge::Rule(k));
                }
                refs.next(i, &n.otherwise, Edge::Otherwise);
            }
            Node::Advise(n) => {
                // Its rules have no edges of their own, but a guard (`x is defined and ...`)
                // still covers each rule's advice.
                for (k, r) in n.rules.iter().enumerate() {
                    refs.add_rule(
                        i,
                        k,
                        (format!("{p}/rules/{k}"), r.when.as_str(), &r.advice[..]),
                    );
                }
                refs.next(i, &n.next, Edge::Next);
            }
            Node::Outcome(n) => refs.add_uses(i, p.clone(), &n.advice, false),
            Node::Flow(n) => refs.flow(diags, cx, i, &p, n),
        }
    }
    refs
}

impl<'t> References<'t> {
    fn next(&mut self, from: usize, target: &'t str, edge: Edge) {
        self.nexts.push(NextRef { from, edge, target });
    }

    fn add_uses(&mut self, node: usize, base: String, ids: &[String], after_answer: bool) {
        for (k, id) in ids.iter().enumerate() {
            self.uses.push(AdviceUse {
                node,
                pointer: format!("{base}/advice/{k}"),
                id: id.clone(),
                after_answer,
            });
        }
    }

    /// Registers one branch or advise rule: its condition, and the advice it adds, noting where
    /// both went so a guard in the condition (`x is defined and ...`) can cover the advice.
    fn add_rule(
        &mut self,
        node: usize,
        k: usize,
        (base, when, advice): (String, &'t str, &[String]),
    ) {
        self.rule_conditions.push((
            node,
            k,
            self.conditions.len(),
            self.uses.len()..self.uses.len() + advice.len(),
        ));
        self.conditions.push((node, format!("{base}/when"), when));
        for (j, id) in advice.iter().enumerate() {
            self.uses.push(AdviceUse {
                node,
                pointer: format!("{base}/advice/{j}"),
                id: id.clone(),
                after_answer: false,
            });
        }
    }

    fn choice(
        &mut self,
        diags: &mut Diagnostics,
        file: &SourceFile,
        i: usize,
        p: &str,
        n: &'t ChoiceNode,
        own_fact: Option<&str>,
    ) {
        // No options at all is a dead end (E013), reported by the whole-graph checks.
        for (k, o) in n.options.iter().enumerate() {
            for fact in o.sets.keys() {
                if !is_fact_name(fact) || Some(fact.as_str()) == own_fact {
                    diags.push(
                        file,
                        Diagnostic::error(
                            "E010",
                            &file.path,
                            format!("{p}/options/{k}/sets"),
                            format!("`{fact}` cannot be a fact this option sets"),
                        )
                        .with_help("name another fact: lower case letters, digits and `_`"),
                    );
                }
            }
            self.next(i, &o.next, Edge::Option(k));
            self.add_uses(i, format!("{p}/options/{k}"), &o.advice, true);
        }
    }

    fn multi(
        &mut self,
        diags: &mut Diagnostics,
        file: &SourceFile,
        i: usize,
        p: &str,
        n: &'t MultiNode,
    ) {
        if n.options.is_empty() {
            diags.push(
                file,
                Diagnostic::error(
                    "E020",
                    &file.path,
                    format!("{p}/options"),
                    format!("question `{}` has no options", n.id),
                ),
            );
        }
        self.next(i, &n.next, Edge::Next);
        for (k, o) in n.options.iter().enumerate() {
            self.add_uses(i, format!("{p}/options/{k}"), &o.advice, true);
        }
    }

    fn date(
        &mut self,
        diags: &mut Diagnostics,
        cx: &NodeContext,
        i: usize,
        p: &str,
        n: &'t DateNode,
    ) {
        check_examples(diags, cx.file, p, n.examples.len(), &n.id);
        check_date_examples(diags, cx.file, p, &n.examples, cx.calendar);
        if let Some(fact) = &n.not_before {
            self.reads
                .push((i, format!("{p}/not_before"), BTreeSet::from([fact.clone()])));
        }
        self.next(i, &n.next, Edge::Next);
        self.add_uses(i, p.to_string(), &n.advice, true);
    }

    fn number(
        &mut self,
        diags: &mut Diagnostics,
        file: &SourceFile,
        i: usize,
        p: &str,
        n: &'t NumberNode,
    ) {
        check_examples(diags, file, p, n.examples.len(), &n.id);
        for (k, ex) in n.examples.iter().enumerate() {
            if n.min.is_some_and(|m| *ex < m) || n.max.is_some_and(|m| *ex > m) {
                diags.push(
                    file,
                    Diagnostic::error(
                        "E019",
                        &file.path,
                        format!("{p}/examples/{k}"),
                        format!("example {ex} is outside the allowed range"),
                    ),
                );
            }
        }
        if let (Some(lo), Some(hi)) = (n.min, n.max) {
            if lo > hi {
                diags.push(
                    file,
                    Diagnostic::error(
                        "E019",
                        &file.path,
                        format!("{p}/min"),
                        format!("min {lo} is more than max {hi}"),
                    ),
                );
            }
        }
        self.next(i, &n.next, Edge::Next);
        self.add_uses(i, p.to_string(), &n.advice, true);
    }

    fn text(
        &mut self,
        diags: &mut Diagnostics,
        file: &SourceFile,
        i: usize,
        p: &str,
        n: &'t TextNode,
    ) {
        check_examples(diags, file, p, n.examples.len(), &n.id);
        let max = n.max_length.unwrap_or(limits::DEFAULT_TEXT_MAX);
        for (k, ex) in n.examples.iter().enumerate() {
            if ex.chars().count() > max || (ex.trim().is_empty() && !n.optional) {
                diags.push(
                    file,
                    Diagnostic::error(
                        "E019",
                        &file.path,
                        format!("{p}/examples/{k}"),
                        "this example would be refused as an answer (empty or too long)",
                    ),
                );
            }
        }
        self.next(i, &n.next, Edge::Next);
        self.add_uses(i, p.to_string(), &n.advice, true);
    }

    /// A flow node runs a tree that exists (E014) and shares facts by name (E010).
    fn flow(
        &mut self,
        diags: &mut Diagnostics,
        cx: &NodeContext,
        i: usize,
        p: &str,
        n: &'t FlowNode,
    ) {
        let f = &cx.file.path;
        if !cx.known_trees.contains_key(&n.tree) {
            let hint = nearest(&n.tree, cx.known_trees.keys().map(String::as_str))
                .map(|t| format!("did you mean `{t}`?"))
                .unwrap_or_else(|| "the tree must be a file in the same folder, or one of the trees built into Signpost".into());
            diags.push(
                cx.file,
                Diagnostic::error(
                    "E014",
                    f,
                    format!("{p}/tree"),
                    format!("there is no tree with the id `{}`", n.tree),
                )
                .with_help(hint),
            );
        }
        for (k, fact) in n.share.iter().enumerate() {
            if !is_fact_name(fact) {
                diags.push(
                    cx.file,
                    Diagnostic::error(
                        "E010",
                        f,
                        format!("{p}/share/{k}"),
                        format!("`{fact}` cannot be a fact name"),
                    ),
                );
            }
        }
        self.next(i, &n.next, Edge::Next);
    }
}
