//! Equivalent states for the path listing: two sessions asking the same question whose walks
//! from there can only pass the same nodes and give the same steps give the same distinct walks,
//! so `paths::walk` walks only the first. A state's key is what its future can see:
//!
//! - the route so far (a walk is told apart by its nodes) and, in order, the advice added so far
//!   that can change which steps a summary shows (`relevant`);
//! - each tree on the stack, where it is, and the value of each fact the rest of the walk reads
//!   where the reading can change the route, the steps, or fail: branch rules, advise rules
//!   that add such advice or that could fail, `not_before`, sub-flows (what they share, whether
//!   they run, which of their questions a shared fact answers) and the audiences of such advice;
//! - a tick-all-that-apply fact that those read only as `'option' in fact` is seen only through
//!   the options they test: 125 rules of the answers module test `questions` but add only
//!   answers, which never change a walk's steps.
//!
//! A rule whose advice cannot change the steps is left out only when it is `plain`
//! (`expr::FactUses`) and tests membership only of list facts: such a rule cannot fail on facts
//! that are set, and compiling proves every fact a rule reads is set (E017). Any other rule
//! counts in full, so a walk that a failing rule would block is never taken for another.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use minijinja::Value;
use petgraph::graph::NodeIndex;
use petgraph::Direction;

use crate::core::compile::{topological_order, Edge, Flow, Library, NATION_FACT};
use crate::core::expr::{fact_uses, FactUses};
use crate::core::format::{AdviceKind, Node};
use crate::core::session::{NodeKey, Session};

/// How the rest of a walk can read a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Use {
    Whole,
    /// Only whether it is set and, when it is a list, which of these options it holds.
    Members(BTreeSet<String>),
}

type Uses = BTreeMap<String, Use>;

fn add(uses: &mut Uses, fact: &str, how: Use) {
    match (uses.get_mut(fact), how) {
        (None, how) => {
            uses.insert(fact.to_string(), how);
        }
        (Some(Use::Whole), _) => {}
        (Some(slot), Use::Whole) => *slot = Use::Whole,
        (Some(Use::Members(have)), Use::Members(more)) => have.extend(more),
    }
}

/// For each node of one tree: the facts read from there on (in this tree and the sub-flows it
/// runs), and the facts its questions set (a fact handed down answers such a question).
struct TreeUses {
    reads: Vec<Vec<(String, Use)>>,
    asks: Vec<Vec<String>>,
}

/// The analysis of one library for one listing, and the numbers keys are made of.
pub(super) struct States<'l> {
    lib: &'l Library,
    /// Advice that can change the steps a summary shows, by tree: the steps, what covers them
    /// (`covered_by`), items with the same title and body, and so on.
    relevant: HashMap<String, HashSet<String>>,
    /// Facts only multi-selects set: always lists.
    list_facts: HashSet<String>,
    /// Facts of the walk's first tree that audiences of relevant advice read.
    audience: Vec<(String, Use)>,
    trees: HashMap<String, TreeUses>,
    conditions: HashMap<String, Option<FactUses>>,
    atoms: HashMap<String, u32>,
    nodes: HashMap<NodeKey, u32>,
    routes: HashMap<(u32, u32), u32>,
    lists: HashMap<Vec<u32>, u32>,
}

impl<'l> States<'l> {
    pub(super) fn new(lib: &'l Library) -> States<'l> {
        let mut s = States {
            lib,
            relevant: relevant_advice(lib),
            list_facts: list_facts(lib),
            audience: Vec::new(),
            trees: HashMap::new(),
            conditions: HashMap::new(),
            atoms: HashMap::new(),
            nodes: HashMap::new(),
            routes: HashMap::new(),
            lists: HashMap::new(),
        };
        let mut audience = Uses::new();
        let mut names = BTreeSet::new();
        for (tree, ids) in &s.relevant {
            let Some(flow) = lib.flow(tree) else { continue };
            for id in ids {
                if let Some(names_for) =
                    flow.tree().advice.get(id).and_then(|a| a.audience.as_ref())
                {
                    names.extend(names_for.iter().cloned());
                }
            }
        }
        for name in names {
            if let Some(a) = lib.audiences().get(&name) {
                let when = a.when.clone();
                s.condition_reads(&when, true, &mut audience);
            }
        }
        s.audience = audience.into_iter().collect();
        s
    }

    /// The reads of one condition, added to `uses`: all of them when `counts` (it decides the
    /// route or relevant advice) or when it could fail; none otherwise.
    fn condition_reads(&mut self, when: &str, counts: bool, uses: &mut Uses) {
        let parsed = self
            .conditions
            .entry(when.to_string())
            .or_insert_with(|| fact_uses(when).ok())
            .clone();
        // A condition that does not parse fails the same way on every walk.
        let Some(u) = parsed else { return };
        let quiet = u.plain
            && u.members
                .iter()
                .all(|(f, options)| options.is_empty() || self.list_facts.contains(f));
        if !counts && quiet {
            return;
        }
        for f in &u.whole {
            add(uses, f, Use::Whole);
        }
        for (f, options) in &u.members {
            if self.list_facts.contains(f) {
                add(uses, f, Use::Members(options.clone()));
            } else {
                add(uses, f, Use::Whole);
            }
        }
    }

    fn is_relevant(&self, tree: &str, ids: &[String]) -> bool {
        self.relevant
            .get(tree)
            .is_some_and(|set| ids.iter().any(|id| set.contains(id)))
    }

    /// Works out `TreeUses` for a tree and the trees it runs.
    fn analyse(&mut self, tree: &str) {
        if self.trees.contains_key(tree) {
            return;
        }
        let lib = self.lib;
        let Some(flow) = lib.flow(tree) else { return };
        // Inserted first, so a (compiled libraries have none) loop of trees ends here.
        self.trees.insert(
            tree.to_string(),
            TreeUses {
                reads: Vec::new(),
                asks: Vec::new(),
            },
        );
        let n = flow.graph().node_count();
        let mut reads: Vec<Uses> = vec![Uses::new(); n];
        let mut asks: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
        let order = topological_order(flow.graph()).unwrap_or_default();
        for &ix in order.iter().rev() {
            let mut here = Uses::new();
            let mut ask = BTreeSet::new();
            for succ in flow.graph().neighbors_directed(ix, Direction::Outgoing) {
                for (f, how) in &reads[succ.index()] {
                    add(&mut here, f, how.clone());
                }
                ask.extend(asks[succ.index()].iter().cloned());
            }
            self.node_reads(tree, flow, ix, &mut here, &mut ask);
            reads[ix.index()] = here;
            asks[ix.index()] = ask;
        }
        self.trees.insert(
            tree.to_string(),
            TreeUses {
                reads: reads.into_iter().map(|u| u.into_iter().collect()).collect(),
                asks: asks.into_iter().map(|a| a.into_iter().collect()).collect(),
            },
        );
    }

    /// What one node itself reads (and asks).
    fn node_reads(
        &mut self,
        tree: &str,
        flow: &Flow,
        ix: NodeIndex,
        here: &mut Uses,
        ask: &mut BTreeSet<String>,
    ) {
        let node = flow.node(ix);
        match node {
            Node::Branch(b) => {
                for r in &b.rules {
                    self.condition_reads(&r.when, true, here);
                }
            }
            Node::Advise(a) => {
                for r in &a.rules {
                    let counts = self.is_relevant(tree, &r.advice);
                    self.condition_reads(&r.when, counts, here);
                }
            }
            Node::Flow(f) => {
                let lib = self.lib;
                let Some(child) = lib.flow(&f.tree) else {
                    return;
                };
                if child.is_restricted() {
                    add(here, NATION_FACT, Use::Whole);
                }
                self.analyse(&f.tree);
                let start = child.start().index();
                let Some(uses) = self.trees.get(&f.tree) else {
                    return;
                };
                let inputs = &child.tree().inputs;
                let mut from_child: Vec<(String, Use)> = Vec::new();
                for (fact, how) in uses.reads.get(start).into_iter().flatten() {
                    if f.share.contains(fact) && inputs.contains(fact) {
                        from_child.push((fact.clone(), how.clone()));
                    }
                }
                for fact in uses.asks.get(start).into_iter().flatten() {
                    if f.share.contains(fact) {
                        from_child.push((fact.clone(), Use::Whole));
                    }
                }
                for (fact, how) in from_child {
                    add(here, &fact, how);
                }
            }
            _ => {}
        }
        if let Node::Date(d) = node {
            if let Some(fact) = &d.not_before {
                add(here, fact, Use::Whole);
            }
        }
        if let Some(fact) = node.fact() {
            ask.insert(fact.to_string());
        }
    }

    fn atom(&mut self, s: String) -> u32 {
        let next = self.atoms.len() as u32;
        *self.atoms.entry(s).or_insert(next)
    }

    fn list(&mut self, items: Vec<u32>) -> u32 {
        let next = self.lists.len() as u32;
        *self.lists.entry(items).or_insert(next)
    }

    /// The route so far as one number: `route` is the number of the route's first `done`
    /// nodes, extended here to the whole route (and updated).
    fn route(&mut self, session: &Session, route: &mut (u32, usize)) -> u32 {
        for key in &session.trace().nodes[route.1..] {
            let next = self.nodes.len() as u32;
            let node = *self.nodes.entry(key.clone()).or_insert(next);
            let next = self.routes.len() as u32 + 1;
            route.0 = *self.routes.entry((route.0, node)).or_insert(next);
        }
        route.1 = session.trace().nodes.len();
        route.0
    }

    /// The key of a session that is asking a question. `route` carries the number of the route
    /// as far as the session's parent had it (see `route`).
    pub(super) fn key(&mut self, session: &Session, route: &mut (u32, usize)) -> Box<[u32]> {
        let mut key = vec![self.route(session, route)];
        let mut hits: Vec<u32> = Vec::new();
        for hit in &session.trace().hits {
            if self.is_relevant(&hit.tree, std::slice::from_ref(&hit.advice)) {
                let a = self.atom(format!("{}.{}", hit.tree, hit.advice));
                if !hits.contains(&a) {
                    hits.push(a);
                }
            }
        }
        key.push(self.list(hits));
        // The audiences read the first tree's facts as its last answer left them.
        key.push(u32::from(session.trace().facts.is_empty()));
        let lib = self.lib;
        let depth_of_asking = session.frames().count().saturating_sub(1);
        for (depth, frame) in session.frames().enumerate() {
            let Some(flow) = lib.flow(frame.tree) else {
                continue;
            };
            // A tree waiting on a sub-flow carries on after the flow node.
            let at = if depth < depth_of_asking {
                flow.target(frame.node, Edge::Next)
            } else {
                Some(frame.node)
            };
            let mut items = vec![
                self.atom(frame.tree.to_string()),
                frame.node.index() as u32,
                frame.return_to.map_or(0, |n| n.index() as u32 + 1),
            ];
            self.analyse(frame.tree);
            let (reads, asks) = match (at, self.trees.get(frame.tree)) {
                (Some(at), Some(t)) => (
                    t.reads.get(at.index()).cloned().unwrap_or_default(),
                    t.asks.get(at.index()).cloned().unwrap_or_default(),
                ),
                _ => (Vec::new(), Vec::new()),
            };
            for (fact, how) in &reads {
                let p = project(frame.facts.get(fact), how);
                items.push(self.atom(p));
            }
            if depth == 0 {
                let audience = std::mem::take(&mut self.audience);
                for (fact, how) in &audience {
                    let p = project(frame.facts.get(fact), how);
                    items.push(self.atom(p));
                }
                self.audience = audience;
            }
            for fact in &asks {
                let p = project(frame.inherited.get(fact).map(|(v, _)| v), &Use::Whole);
                items.push(self.atom(p));
            }
            let frame_id = self.list(items);
            key.push(frame_id);
        }
        key.into_boxed_slice()
    }
}

/// What a key holds of one fact's value.
fn project(value: Option<&Value>, how: &Use) -> String {
    let Some(v) = value else {
        return "-".to_string();
    };
    if let (Use::Members(options), minijinja::value::ValueKind::Seq) = (how, v.kind()) {
        let held: BTreeSet<String> = v
            .try_iter()
            .map(|it| it.filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let mut out = String::from("in");
        for o in options.iter().filter(|o| held.contains(*o)) {
            out.push('\u{1f}');
            out.push_str(o);
        }
        return out;
    }
    format!("={}", serde_json::to_string(v).unwrap_or_default())
}

/// Facts set only by multi-selects, anywhere in the library (a fact handed to a sub-flow keeps
/// its value, so a name is a list everywhere or not).
fn list_facts(lib: &Library) -> HashSet<String> {
    let mut multi = HashSet::new();
    let mut other = HashSet::new();
    for flow in lib.flows().values() {
        for node in &flow.tree().nodes {
            let Some(fact) = node.fact() else { continue };
            match node {
                Node::Multi(_) => multi.insert(fact.to_string()),
                _ => other.insert(fact.to_string()),
            };
            if let Node::Choice(c) = node {
                for o in &c.options {
                    other.extend(o.sets.keys().cloned());
                }
            }
        }
    }
    other.insert(crate::core::expr::TODAY.to_string());
    multi.retain(|f| !other.contains(f));
    multi
}

/// Advice that can change which steps a summary shows: every step, and, until nothing is added,
/// what covers a relevant item and any item with the same title and body as one.
fn relevant_advice(lib: &Library) -> HashMap<String, HashSet<String>> {
    let mut same_text: HashMap<(&str, &str), Vec<(&str, &str)>> = HashMap::new();
    let mut work: Vec<(String, String)> = Vec::new();
    for (tree, flow) in lib.flows() {
        for (id, item) in &flow.tree().advice {
            same_text
                .entry((item.title.as_str(), item.body.as_str()))
                .or_default()
                .push((tree.as_str(), id.as_str()));
            if item.kind == AdviceKind::Step {
                work.push((tree.clone(), id.clone()));
            }
        }
    }
    let mut out: HashMap<String, HashSet<String>> = HashMap::new();
    while let Some((tree, id)) = work.pop() {
        if !out.entry(tree.clone()).or_default().insert(id.clone()) {
            continue;
        }
        let Some(item) = lib.flow(&tree).and_then(|f| f.tree().advice.get(&id)) else {
            continue;
        };
        for c in &item.covered_by {
            if let Some((t, a)) = c.split_once('.') {
                work.push((t.to_string(), a.to_string()));
            }
        }
        for (t, a) in same_text
            .get(&(item.title.as_str(), item.body.as_str()))
            .into_iter()
            .flatten()
        {
            work.push((t.to_string(), a.to_string()));
        }
    }
    out
}
