//! One part of a path listing and when two of its walks are the same.
//!
//! A tree that runs other trees is listed in parts (`paths::walk`): the tree itself, then each
//! tree it runs. The listing of one part (`Part`) tries every answer in that tree; elsewhere it
//! tries only the answers that can change whether the part runs or what it reads, and the first
//! answer otherwise. Two walks of a part are the same when they pass the same nodes of that tree
//! (not counting flow nodes) and show the same steps from it.
//!
//! Two sessions asking a question are equivalent, and only the first is walked on, when their
//! walks from there can only be the same walks of the part. A state's key is what its future
//! can see:
//!
//! - the part's route so far and the part's advice added so far that can change which steps a
//!   summary shows (`relevant`);
//! - each tree on the stack, where it is, and what the rest of the walk reads of each fact where
//!   the reading can change the part: in the part, every branch rule, advise rules that add such
//!   advice or that could fail, `not_before`; elsewhere, the branches that decide whether the
//!   part runs or what it is handed, and what the part reads of what it is handed; and the
//!   audiences of the part's advice.
//!
//! A fact is seen only through the pieces of conditions that read it (`expr::atoms`): a rule
//! `relationship in ['grandparent', 'relative']` sees two kinds of relationship, not twelve. A
//! computed fact (`let`) is seen that way once nothing still to be asked can change it; before
//! that, the facts it rests on are seen whole.
//!
//! A rule whose advice cannot change the steps is left out only when it is `plain`
//! (`expr::FactUses`) and tests membership only of list facts: such a rule cannot fail on facts
//! that are set, and compiling proves every fact a rule reads is set (E017). Any other rule
//! counts in full, so a walk that a failing rule would block is never taken for another.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use minijinja::Value;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::core::compile::{topological_order, Edge, Flow, Library, NATION_FACT};
use crate::core::expr::{atoms, fact_uses, Atom, FactUses, TODAY};
use crate::core::format::{AdviceKind, Node};
use crate::core::session::{NodeKey, Session};

/// What a key reads of a frame's facts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Read {
    Atom(Atom),
    /// A computed fact of `tree`: nothing while nothing still to be asked can change it, else
    /// the facts it rests on, whole.
    Let {
        tree: String,
        name: String,
    },
}

/// For each node of one tree: what is read from there on that can change the part, the facts
/// set from there on, and whether the part can still run from there.
#[derive(Default)]
struct TreeReads {
    reads: Vec<Rc<[u32]>>,
    asks: Vec<Rc<BTreeSet<String>>>,
    leads: Vec<bool>,
}

/// The listing of one part: its analysis of the library and the numbers keys are made of.
pub(super) struct Part<'l> {
    lib: &'l Library,
    /// The tree whose walks are listed.
    tree: String,
    /// The tree the walk starts in.
    root: String,
    /// Keys keep only what decides whether the part runs, not what it is handed.
    reach_only: bool,
    /// What all parts of one listing share.
    shared: &'l Shared,
    /// What the audiences of the part's relevant advice read of the first tree's facts.
    audience: Rc<[u32]>,
    /// The facts each read can see (`facts_of`), by read.
    sees: Vec<Rc<[String]>>,
    trees: HashMap<String, TreeReads>,
    conditions: HashMap<String, Option<(FactUses, Vec<Atom>)>>,
    reads: Vec<Read>,
    read_ids: HashMap<Read, u32>,
    /// Each (piece, value) worked out once.
    tested: HashMap<(u32, Value), u32>,
    /// The value each answer to a question sets (None: refused as typed).
    parsed: HashMap<NodeKey, HashMap<String, Option<Value>>>,
    values: HashMap<Value, u32>,
    atoms: HashMap<String, u32>,
    nodes: HashMap<NodeKey, u32>,
    routes: HashMap<(u32, u32), u32>,
    lists: HashMap<Vec<u32>, u32>,
}

/// What every part of a listing needs to know of the library, worked out once.
pub(super) struct Shared {
    /// Advice that can change the steps a summary shows, by tree: the steps, what covers them
    /// (`covered_by`), items with the same title and body, and so on.
    relevant: HashMap<String, HashSet<String>>,
    /// Facts only multi-selects set: always lists.
    list_facts: HashSet<String>,
    /// Trees each tree runs, directly or through others.
    runs: HashMap<String, BTreeSet<String>>,
}

impl Shared {
    pub(super) fn new(lib: &Library) -> Shared {
        Shared {
            relevant: relevant_advice(lib),
            list_facts: list_facts(lib),
            runs: runs(lib),
        }
    }
}

/// The trees a walk from `root` runs, each once, in the order their flow nodes come: the parts
/// of its listing after `root` itself.
pub(super) fn parts(lib: &Library, root: &str) -> Vec<String> {
    let mut out = vec![root.to_string()];
    let mut i = 0;
    while i < out.len() {
        let tree = out[i].clone();
        i += 1;
        let Some(flow) = lib.flow(&tree) else {
            continue;
        };
        for ix in topological_order(flow.graph()).unwrap_or_default() {
            if let Node::Flow(f) = flow.node(ix) {
                if !out.contains(&f.tree) {
                    out.push(f.tree.clone());
                }
            }
        }
    }
    out
}

impl<'l> Part<'l> {
    pub(super) fn new(
        lib: &'l Library,
        shared: &'l Shared,
        root: &str,
        tree: &str,
        reach_only: bool,
    ) -> Part<'l> {
        let mut p = Part {
            lib,
            tree: tree.to_string(),
            root: root.to_string(),
            reach_only,
            shared,
            audience: Rc::from(Vec::new()),
            sees: Vec::new(),
            trees: HashMap::new(),
            conditions: HashMap::new(),
            reads: Vec::new(),
            read_ids: HashMap::new(),
            tested: HashMap::new(),
            parsed: HashMap::new(),
            values: HashMap::new(),
            atoms: HashMap::new(),
            nodes: HashMap::new(),
            routes: HashMap::new(),
            lists: HashMap::new(),
        };
        let mut names = BTreeSet::new();
        if reach_only {
            return p;
        }
        if let (Some(flow), Some(ids)) = (lib.flow(tree), shared.relevant.get(tree)) {
            for id in ids {
                if let Some(a) = flow.tree().advice.get(id).and_then(|a| a.audience.as_ref()) {
                    names.extend(a.iter().cloned());
                }
            }
        }
        let mut audience = BTreeSet::new();
        for name in names {
            if let Some(a) = lib.audiences().get(&name) {
                let when = a.when.clone();
                p.condition(root, &when, true, &mut audience);
            }
        }
        p.audience = audience.into_iter().collect();
        p
    }

    /// The tree whose walks are listed.
    pub(super) fn tree(&self) -> &str {
        &self.tree
    }

    /// Whether every answer is worth trying at the question the session asks: it is in the
    /// part, or the part can still run after it in its tree.
    pub(super) fn tries_all(&mut self, session: &Session) -> bool {
        let Some(frame) = session.frames().last() else {
            return false;
        };
        if frame.tree == self.tree {
            return true;
        }
        let tree = frame.tree.to_string();
        let at = frame.node.index();
        self.analyse(&tree);
        self.trees
            .get(&tree)
            .is_some_and(|t| t.leads.get(at).copied().unwrap_or(false))
    }

    /// The trees a walk of this part needs to run: the part and those that run it.
    pub(super) fn needs(&self) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self
            .shared
            .runs
            .iter()
            .filter(|(_, r)| r.contains(&self.tree))
            .map(|(t, _)| t.clone())
            .collect();
        out.insert(self.tree.clone());
        out
    }

    /// Whether `tree` is the part or runs it.
    fn leads_to_part(&self, tree: &str) -> bool {
        tree == self.tree
            || self
                .shared
                .runs
                .get(tree)
                .is_some_and(|r| r.contains(&self.tree))
    }

    fn read_id(&mut self, r: Read) -> u32 {
        if let Some(&i) = self.read_ids.get(&r) {
            return i;
        }
        let i = self.reads.len() as u32;
        let sees = self.facts_of(&r);
        self.sees.push(sees.into());
        self.reads.push(r.clone());
        self.read_ids.insert(r, i);
        i
    }

    /// Adds a piece read in `tree`, and the guard of the computed fact it reads, if it does.
    fn add_atom(&mut self, tree: &str, atom: Atom, out: &mut BTreeSet<u32>) {
        let fact = match &atom {
            Atom::Test { fact, .. } | Atom::Whole(fact) => fact.clone(),
        };
        if self
            .lib
            .flow(tree)
            .is_some_and(|f| f.computed(&fact).is_some())
        {
            let id = self.read_id(Read::Let {
                tree: tree.to_string(),
                name: fact,
            });
            out.insert(id);
        }
        let id = self.read_id(Read::Atom(atom));
        out.insert(id);
    }

    /// The pieces of one condition read in `tree`, added to `out`: all of them when `counts`
    /// (it decides the route or relevant advice) or when it could fail; none otherwise.
    fn condition(&mut self, tree: &str, when: &str, counts: bool, out: &mut BTreeSet<u32>) {
        let parsed = self
            .conditions
            .entry(when.to_string())
            .or_insert_with(|| Some((fact_uses(when).ok()?, atoms(when).ok()?)))
            .clone();
        // A condition that does not parse fails the same way on every walk.
        let Some((u, pieces)) = parsed else { return };
        let quiet = u.plain
            && u.members
                .iter()
                .all(|(f, options)| options.is_empty() || self.shared.list_facts.contains(f));
        if !counts && quiet {
            return;
        }
        for atom in pieces {
            self.add_atom(tree, atom, out);
        }
    }

    fn is_relevant(&self, tree: &str, ids: &[String]) -> bool {
        self.shared
            .relevant
            .get(tree)
            .is_some_and(|set| ids.iter().any(|id| set.contains(id)))
    }

    /// The facts a read can see: a piece's fact, or a computed fact and then what it rests on
    /// (`see` counts on that order).
    fn facts_of(&self, r: &Read) -> Vec<String> {
        match r {
            Read::Atom(Atom::Test { fact, .. } | Atom::Whole(fact)) => vec![fact.clone()],
            Read::Let { tree, name } => {
                let mut v = vec![name.clone()];
                if let Some(d) = self.lib.flow(tree).and_then(|f| f.computed(name)) {
                    v.extend(d.rests_on.iter().cloned());
                }
                v
            }
        }
    }

    /// Works out `TreeReads` for a tree and the trees it runs.
    fn analyse(&mut self, tree: &str) {
        if self.trees.contains_key(tree) {
            return;
        }
        let lib = self.lib;
        let Some(flow) = lib.flow(tree) else { return };
        // Inserted first, so a (compiled libraries have none) loop of trees ends here.
        self.trees.insert(tree.to_string(), TreeReads::default());
        let n = flow.graph().node_count();
        let in_part = tree == self.tree;
        let mut reads: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
        let mut asks: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
        let mut leads = vec![false; n];
        // Whether a node itself reads something or runs the part (`matters`).
        let mut own = vec![false; n];
        let order = topological_order(flow.graph()).unwrap_or_default();
        let after = post_dominators(flow);
        for &ix in order.iter().rev() {
            let i = ix.index();
            let mut here = BTreeSet::new();
            let mut ask = BTreeSet::new();
            let mut lead = false;
            for succ in flow.graph().neighbors_directed(ix, Direction::Outgoing) {
                here.extend(reads[succ.index()].iter().copied());
                ask.extend(asks[succ.index()].iter().cloned());
                lead |= leads[succ.index()];
            }
            let mut mine = BTreeSet::new();
            match flow.node(ix) {
                Node::Branch(b) => {
                    let region = region(flow, ix, after[i]);
                    let matters = if in_part {
                        // Its ways pass different nodes of the part (not counting flow nodes)
                        // or add different advice.
                        region
                            .iter()
                            .any(|m| !matches!(flow.node(*m), Node::Flow(_)))
                            || b.rules.iter().any(|r| self.is_relevant(tree, &r.advice))
                    } else {
                        let seen: HashSet<String> = after[i]
                            .map(|p| {
                                reads[p.index()]
                                    .iter()
                                    .flat_map(|r| self.sees[*r as usize].iter().cloned())
                                    .collect()
                            })
                            .unwrap_or_default();
                        region.iter().any(|m| {
                            own[m.index()] || sets(flow.node(*m)).iter().any(|f| seen.contains(f))
                        })
                    };
                    if matters {
                        for r in &b.rules {
                            self.condition(tree, &r.when, true, &mut mine);
                        }
                    }
                }
                Node::Advise(a) => {
                    for r in &a.rules {
                        let counts = in_part && self.is_relevant(tree, &r.advice);
                        self.condition(tree, &r.when, counts, &mut mine);
                    }
                }
                Node::Flow(f) if !in_part && self.leads_to_part(&f.tree) => {
                    lead = true;
                    self.entry_reads(tree, flow, f, &mut mine);
                    own[i] = true;
                }
                Node::Date(d) => {
                    if let Some(fact) = &d.not_before {
                        self.add_atom(tree, Atom::Whole(fact.clone()), &mut mine);
                    }
                }
                _ => {}
            }
            own[i] |= !mine.is_empty();
            here.extend(mine);
            ask.extend(sets(flow.node(ix)));
            reads[i] = here;
            asks[i] = ask;
            leads[i] = lead;
        }
        self.trees.insert(
            tree.to_string(),
            TreeReads {
                reads: reads.into_iter().map(|r| r.into_iter().collect()).collect(),
                asks: asks.into_iter().map(Rc::new).collect(),
                leads,
            },
        );
    }

    /// What a flow node that runs the part (or a tree that runs it) reads, as the calling tree
    /// sees it: what the tree run reads at its start of the facts handed to it, whether it runs
    /// at all (`nation`), and the facts handed down that answer its questions.
    fn entry_reads(
        &mut self,
        tree: &str,
        flow: &Flow,
        f: &crate::core::format::FlowNode,
        out: &mut BTreeSet<u32>,
    ) {
        let lib = self.lib;
        let Some(child) = lib.flow(&f.tree) else {
            return;
        };
        if child.is_restricted() {
            self.add_atom(tree, Atom::Whole(NATION_FACT.to_string()), out);
        }
        if self.reach_only && f.tree == self.tree {
            return;
        }
        self.analyse(&f.tree);
        let shared: BTreeSet<&str> = flow.tree().shared_by(f).into_iter().collect();
        let handed =
            |fact: &str| shared.contains(fact) && child.tree().inputs.iter().any(|i| i == fact);
        let start = child.start().index();
        let (reads, asks) = match self.trees.get(&f.tree) {
            Some(t) => (
                t.reads
                    .get(start)
                    .cloned()
                    .unwrap_or_else(|| Rc::from(Vec::new())),
                t.asks.get(start).cloned().unwrap_or_default(),
            ),
            None => return,
        };
        let mut seen = BTreeSet::new();
        for &r in reads.iter() {
            seen.extend(self.sees[r as usize].iter().cloned());
            match self.reads[r as usize].clone() {
                Read::Atom(atom) => {
                    let fact = match &atom {
                        Atom::Test { fact, .. } | Atom::Whole(fact) => fact.clone(),
                    };
                    if handed(&fact) {
                        self.add_atom(tree, atom, out);
                    }
                }
                Read::Let { name, .. } => {
                    let rests: Vec<String> = child
                        .computed(&name)
                        .map(|d| d.rests_on.iter().cloned().collect())
                        .unwrap_or_default();
                    for fact in rests.into_iter().filter(|r| handed(r)) {
                        self.add_atom(tree, Atom::Whole(fact), out);
                    }
                }
            }
        }
        for fact in asks.iter() {
            if shared.contains(fact.as_str()) && (f.tree == self.tree || seen.contains(fact)) {
                self.add_atom(tree, Atom::Whole(fact.clone()), out);
            }
        }
    }

    fn atom(&mut self, s: &str) -> u32 {
        if let Some(&a) = self.atoms.get(s) {
            return a;
        }
        let next = self.atoms.len() as u32;
        self.atoms.insert(s.to_string(), next);
        next
    }

    fn list(&mut self, items: Vec<u32>) -> u32 {
        let next = self.lists.len() as u32;
        *self.lists.entry(items).or_insert(next)
    }

    fn value(&mut self, v: &Value) -> u32 {
        let next = self.values.len() as u32;
        *self.values.entry(v.clone()).or_insert(next)
    }

    /// What a read sees of a frame's facts, as a number: 0 for a fact not set.
    fn see(
        &mut self,
        r: u32,
        facts: &dyn Fn(&str) -> Option<Value>,
        asks: &BTreeSet<String>,
    ) -> u32 {
        let lib = self.lib;
        match &self.reads[r as usize] {
            Read::Atom(Atom::Whole(fact)) => match facts(fact) {
                Some(v) => 4 + self.value(&v),
                None => 0,
            },
            Read::Atom(Atom::Test { fact, src }) => {
                let Some(v) = facts(fact) else { return 0 };
                if let Some(&seen) = self.tested.get(&(r, v.clone())) {
                    return seen;
                }
                let mut alone = crate::core::expr::Facts::new();
                alone.insert(fact.clone(), v.clone());
                if let Some(t) = facts(TODAY) {
                    alone.insert(TODAY.to_string(), t);
                }
                let expr = lib.expr();
                let c = expr.condition(src);
                let seen = match expr.eval_in(&c, &crate::core::expr::facts_value(&alone)) {
                    Ok(false) => 1,
                    Ok(true) => 2,
                    Err(_) => 3,
                };
                self.tested.insert((r, v), seen);
                seen
            }
            Read::Let { .. } => {
                // `sees` is the computed fact, then the facts it rests on.
                let sees = Rc::clone(&self.sees[r as usize]);
                let rests = &sees[1..];
                if rests.iter().all(|f| !asks.contains(f)) {
                    return 0;
                }
                let seen: Vec<u32> = rests
                    .iter()
                    .map(|f| facts(f).map_or(0, |v| 4 + self.value(&v)))
                    .collect();
                1 + self.list(seen)
            }
        }
    }

    /// The route so far in the part, as one number: `route` is the number of the route as far
    /// as the session's parent had it and how many of the walk's nodes that covered, extended
    /// here to the whole walk (and updated).
    fn route(&mut self, session: &Session, route: &mut (u32, usize)) -> u32 {
        for key in &session.trace().nodes[route.1.min(session.trace().nodes.len())..] {
            if key.tree != self.tree {
                continue;
            }
            let node = match self.nodes.get(key) {
                Some(&n) => n,
                None => {
                    let n = self.nodes.len() as u32;
                    self.nodes.insert(key.clone(), n);
                    n
                }
            };
            let next = self.routes.len() as u32 + 1;
            route.0 = *self.routes.entry((route.0, node)).or_insert(next);
        }
        route.1 = session.trace().nodes.len();
        route.0
    }

    /// Where each frame carries on: a tree waiting on a sub-flow carries on after the flow node.
    fn carries_on<'s>(&self, session: &'s Session) -> Vec<(&'s str, Option<NodeIndex>)> {
        let deepest = session.frames().count().saturating_sub(1);
        session
            .frames()
            .enumerate()
            .map(|(depth, frame)| {
                let at = if depth < deepest {
                    self.lib
                        .flow(frame.tree)
                        .and_then(|f| f.target(frame.node, Edge::Next))
                } else {
                    Some(frame.node)
                };
                (frame.tree, at)
            })
            .collect()
    }

    /// Whether the rest of this walk can still pass the part: it is running, or a tree on the
    /// stack can still run it.
    pub(super) fn in_play(&mut self, session: &Session) -> bool {
        for (tree, at) in self.carries_on(session) {
            if tree == self.tree {
                return true;
            }
            self.analyse(tree);
            if let (Some(at), Some(t)) = (at, self.trees.get(tree)) {
                if t.leads.get(at.index()).copied().unwrap_or(false) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether the walk has passed the part.
    pub(super) fn ran(&self, session: &Session) -> bool {
        session.trace().nodes.iter().any(|k| k.tree == self.tree)
    }

    /// The key of a session that is asking a question. `route` carries the number of the route
    /// as far as the session's parent had it (see `route`).
    pub(super) fn key(&mut self, session: &Session, route: &mut (u32, usize)) -> Box<[u32]> {
        let mut key = vec![self.route(session, route)];
        let mut hits: Vec<u32> = Vec::new();
        for hit in &session.trace().hits {
            if hit.tree == self.tree
                && self.is_relevant(&hit.tree, std::slice::from_ref(&hit.advice))
            {
                let a = self.atom(&format!("{}.{}", hit.tree, hit.advice));
                if !hits.contains(&a) {
                    hits.push(a);
                }
            }
        }
        key.push(self.list(hits));
        // The audiences read the first tree's facts as its last answer left them.
        key.push(u32::from(session.trace().facts.is_empty()));
        let places = self.carries_on(session);
        for ((tree, at), frame) in places.into_iter().zip(session.frames()) {
            self.analyse(tree);
            let mut items = vec![
                self.atom(tree),
                frame.node.index() as u32,
                frame.return_to.map_or(0, |n| n.index() as u32 + 1),
            ];
            let (reads, asks) = match (at, self.trees.get(tree)) {
                (Some(at), Some(t)) => (
                    t.reads.get(at.index()).cloned(),
                    t.asks.get(at.index()).cloned(),
                ),
                _ => (None, None),
            };
            let reads = reads.unwrap_or_else(|| Rc::from(Vec::new()));
            let asks = asks.unwrap_or_default();
            let facts = |f: &str| frame.facts.get(f).cloned();
            for &r in reads.iter() {
                items.push(self.see(r, &facts, &asks));
            }
            if tree == self.root {
                let audience = Rc::clone(&self.audience);
                for &r in audience.iter() {
                    items.push(self.see(r, &facts, &asks));
                }
            }
            // Facts handed down answer the tree's questions still to come.
            for fact in asks.iter() {
                if let Some((v, _)) = frame.inherited.get(fact) {
                    items.push(self.atom(fact));
                    items.push(self.value(v));
                }
            }
            key.push(self.list(items));
        }
        key.into_boxed_slice()
    }

    /// The answers at a question of the deepest frame in groups that the rest of the walk
    /// cannot tell apart (the same next node, the same relevant advice, and the same pieces
    /// seen of the facts the answer sets), in the order of each group's first answer: walking
    /// one answer of a group walks them all.
    pub(super) fn groups(
        &mut self,
        session: &Session,
        key: &NodeKey,
        candidates: Vec<String>,
    ) -> Vec<Vec<String>> {
        let lib = self.lib;
        let Some(flow) = lib.flow(&key.tree) else {
            return candidates.into_iter().map(|c| vec![c]).collect();
        };
        let Some((ix, node)) = flow.node_by_id(&key.node) else {
            return candidates.into_iter().map(|c| vec![c]).collect();
        };
        let Some(fact) = node.fact() else {
            return candidates.into_iter().map(|c| vec![c]).collect();
        };
        self.analyse(&key.tree);
        let (reads, asks) = match self.trees.get(&key.tree) {
            Some(t) => (
                t.reads
                    .get(ix.index())
                    .cloned()
                    .unwrap_or_else(|| Rc::from(Vec::new())),
                t.asks.get(ix.index()).cloned().unwrap_or_default(),
            ),
            None => return candidates.into_iter().map(|c| vec![c]).collect(),
        };
        // Only the reads of a fact this question can set can tell its answers apart.
        let settable = sets(node);
        let mut touched: Vec<u32> = reads
            .iter()
            .copied()
            .filter(|&r| self.sees[r as usize].iter().any(|f| settable.contains(f)))
            .collect();
        if key.tree == self.root {
            touched.extend(
                self.audience
                    .iter()
                    .copied()
                    .filter(|&r| self.sees[r as usize].iter().any(|f| settable.contains(f))),
            );
        }
        let in_part = key.tree == self.tree;
        let Some(facts) = session.current_facts() else {
            return candidates.into_iter().map(|c| vec![c]).collect();
        };
        let mut index: HashMap<Vec<u32>, usize> = HashMap::new();
        let mut groups: Vec<Vec<String>> = Vec::new();
        for input in candidates {
            // What an answer sets depends only on the question and the answer: worked out once.
            let cached = self.parsed.get(key).and_then(|m| m.get(&input)).cloned();
            let value = cached.unwrap_or_else(|| {
                let v = session.validate(key, &input).ok().map(|a| a.to_value());
                self.parsed
                    .entry(key.clone())
                    .or_default()
                    .insert(input.clone(), v.clone());
                v
            });
            let Some(value) = value else {
                // Refused answers are tried, so the walk reports them the same way.
                groups.push(vec![input]);
                continue;
            };
            let mut set: BTreeMap<String, Value> = BTreeMap::new();
            set.insert(fact.to_string(), value);
            let mut sig = Vec::new();
            match node {
                Node::Choice(c) => {
                    if let Some((i, o)) =
                        c.options.iter().enumerate().find(|(_, o)| o.value == input)
                    {
                        for (k, v) in &o.sets {
                            set.insert(k.clone(), Value::from(v.as_str()));
                        }
                        sig.push(
                            flow.target(ix, Edge::Option(i))
                                .map_or(u32::MAX, |t| t.index() as u32),
                        );
                        if in_part && self.is_relevant(&key.tree, &o.advice) {
                            sig.push(self.atom(&format!("option {input}")));
                        }
                    }
                }
                Node::Multi(m) if in_part => {
                    let ticked: BTreeSet<&str> = input.split(',').map(str::trim).collect();
                    for o in m
                        .options
                        .iter()
                        .filter(|o| ticked.contains(o.value.as_str()))
                    {
                        if self.is_relevant(&key.tree, &o.advice) {
                            sig.push(self.atom(&format!("option {}", o.value)));
                        }
                    }
                }
                _ => {}
            }
            let after = |f: &str| set.get(f).cloned().or_else(|| facts.get(f).cloned());
            for &r in &touched {
                sig.push(r);
                sig.push(self.see(r, &after, &asks));
            }
            match index.get(&sig) {
                Some(&g) => groups[g].push(input),
                None => {
                    index.insert(sig, groups.len());
                    groups.push(vec![input]);
                }
            }
        }
        groups
    }
}

/// The facts a node can set: a question's, and those an option settles.
fn sets(node: &Node) -> Vec<String> {
    let mut out: Vec<String> = node.fact().map(str::to_string).into_iter().collect();
    if let Node::Choice(c) = node {
        for o in &c.options {
            out.extend(o.sets.keys().cloned());
        }
    }
    out
}

/// Each node's immediate post-dominator: the first node every way from it passes (None when
/// the ways only meet at the end).
fn post_dominators(flow: &Flow) -> Vec<Option<NodeIndex>> {
    let g = flow.graph();
    let n = g.node_count();
    let mut reversed: DiGraph<(), ()> = DiGraph::with_capacity(n + 1, g.edge_count() + n);
    for _ in 0..=n {
        reversed.add_node(());
    }
    let end = NodeIndex::new(n);
    for e in g.edge_references() {
        reversed.add_edge(e.target(), e.source(), ());
    }
    for ix in g.node_indices() {
        if g.neighbors_directed(ix, Direction::Outgoing)
            .next()
            .is_none()
        {
            reversed.add_edge(end, ix, ());
        }
    }
    let doms = petgraph::algo::dominators::simple_fast(&reversed, end);
    (0..n)
        .map(|i| {
            doms.immediate_dominator(NodeIndex::new(i))
                .filter(|d| *d != end)
        })
        .collect()
}

/// The nodes between a branch and where its ways meet again.
fn region(flow: &Flow, branch: NodeIndex, meet: Option<NodeIndex>) -> Vec<NodeIndex> {
    let mut seen = HashSet::new();
    let mut work: Vec<NodeIndex> = flow
        .graph()
        .neighbors_directed(branch, Direction::Outgoing)
        .collect();
    let mut out = Vec::new();
    while let Some(n) = work.pop() {
        if Some(n) == meet || !seen.insert(n) {
            continue;
        }
        out.push(n);
        work.extend(flow.graph().neighbors_directed(n, Direction::Outgoing));
    }
    out
}

/// Trees each tree runs, directly or through the trees it runs.
fn runs(lib: &Library) -> HashMap<String, BTreeSet<String>> {
    let direct: HashMap<&str, Vec<&str>> = lib
        .flows()
        .iter()
        .map(|(id, f)| {
            let called = f
                .tree()
                .nodes
                .iter()
                .filter_map(|n| match n {
                    Node::Flow(fl) => Some(fl.tree.as_str()),
                    _ => None,
                })
                .collect();
            (id.as_str(), called)
        })
        .collect();
    let mut out = HashMap::new();
    for &id in direct.keys() {
        let mut seen = BTreeSet::new();
        let mut work: Vec<&str> = direct.get(id).cloned().unwrap_or_default();
        while let Some(t) = work.pop() {
            if seen.insert(t.to_string()) {
                work.extend(direct.get(t).cloned().unwrap_or_default());
            }
        }
        out.insert(id.to_string(), seen);
    }
    out
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
    other.insert(TODAY.to_string());
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
