//! Session: a pure state machine over a compiled library. Answers are stored typed (`Answer`)
//! by node key (tree + node id): what a person types is read once, when it is given, and the
//! canonical string form is only for saving and printing. Everything else (where the person
//! is, which advice applies) is derived by replaying the answers from the start, so changing an
//! earlier answer can never leave the summary telling two stories.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jiff::civil::Date;
use minijinja::Value;
use petgraph::graph::NodeIndex;
use serde::{Deserialize, Serialize};

use crate::core::calendar::{self, long_date};
use crate::core::compile::{Edge, Flow, Library, NATION_FACT};
use crate::core::expr::{Condition, Facts, TODAY};
use crate::core::format::{
    AdviseRule, ChoiceNode, DateNode, DateRange, FlowNode, Jurisdiction, MultiNode, Node,
    NumberNode, Rule, TextNode,
};
use crate::core::limits::DEFAULT_TEXT_MAX;

/// A question's address: the tree and the node id. Written `tree.node`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NodeKey {
    pub tree: String,
    pub node: String,
}

impl NodeKey {
    pub fn new(tree: &str, node: &str) -> Self {
        NodeKey {
            tree: tree.to_string(),
            node: node.to_string(),
        }
    }

    /// Reads `tree.node`.
    pub fn parse(s: &str) -> Option<NodeKey> {
        let (tree, node) = s.split_once('.')?;
        (!tree.is_empty() && !node.is_empty()).then(|| NodeKey::new(tree, node))
    }
}

impl fmt::Display for NodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.tree, self.node)
    }
}

/// Why an answer was not accepted, in words for the person answering.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    pub message: String,
    /// True when the answer itself was fine but a rule after it could not be worked out (the
    /// tree, or the calendar, cannot cope), rather than the answer being wrong.
    pub blocked: bool,
}

/// Why a session could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    #[error("there is no tree `{root}` (trees: {})", known.join(", "))]
    NoSuchTree {
        root: String,
        /// The trees there are.
        known: Vec<String>,
    },
    #[error("`{root}` is a module: it needs {} from the tree that runs it, so it cannot run on its own; run the tree that runs it (usually `start`)", inputs.join(", "))]
    IsAModule {
        root: String,
        /// The facts it needs from the tree that runs it.
        inputs: Vec<String>,
    },
}

/// For callers that report errors as text.
impl From<StartError> for String {
    fn from(e: StartError) -> String {
        e.to_string()
    }
}

fn input_error(message: impl Into<String>) -> InputError {
    InputError {
        message: message.into(),
        blocked: false,
    }
}

/// Where the session is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// Waiting for an answer to this question (or for "continue" on this page).
    Asking(NodeKey),
    /// Reached the final outcome.
    Finished,
    /// A rule could not be worked out from the answers (e.g. a date the calendar does not
    /// cover). The person can go back or change an answer.
    Blocked { at: NodeKey, message: String },
}

/// One answered question on the current path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answered {
    pub key: NodeKey,
    pub question: String,
    /// The answer as the person would say it (option labels, long dates).
    pub answer: String,
    /// True when it was carried over from an earlier tree, not asked again.
    pub carried_over: bool,
}

/// One answer that caused a piece of advice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub key: NodeKey,
    /// For a multi-select, the one ticked option that brought the advice.
    pub ticked: Option<String>,
}

impl Reason {
    fn of(key: NodeKey) -> Reason {
        Reason { key, ticked: None }
    }
}

/// Advice added on the current path.
#[derive(Debug, Clone)]
pub struct Hit {
    pub tree: String,
    pub advice: String,
    /// The answers that caused it.
    pub because: Vec<Reason>,
    /// The facts of its tree when it was added; its templates are rendered with these. Shared:
    /// the hits of one advice node have the same facts, and a walk's session is cloned at every
    /// answer, so a copy each would be most of the cost of walking every path.
    pub facts: std::sync::Arc<Facts>,
}

/// What changing an answer did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeReport {
    /// Answers that no longer apply to the new path and were removed.
    pub dropped: Vec<NodeKey>,
}

/// What a computed fact rests on: each fact it reads (through other computed facts) and the
/// answer that set it, and the texts of the rules involved (for which ticked options count).
#[derive(Debug, Default)]
struct Computed {
    answers: BTreeMap<String, NodeKey>,
    /// The values of those facts, as answered (for a tick-all-that-apply, the options ticked).
    values: BTreeMap<String, Value>,
    texts: String,
}

#[derive(Clone)]
struct Frame {
    tree: String,
    node: NodeIndex,
    facts: Facts,
    /// Which answer set each fact (for "because you said ...").
    fact_from: BTreeMap<String, NodeKey>,
    /// Facts handed down by the tree that ran this one.
    inherited: BTreeMap<String, (Value, NodeKey)>,
    /// For each computed fact this frame holds (its own, or handed down as an input): the
    /// answers it rests on, so "because you said" names them and not the computed name.
    computed_from: BTreeMap<String, std::sync::Arc<Computed>>,
    /// In the calling tree, the flow node to carry on from.
    return_to: Option<NodeIndex>,
    /// The decisions taken in this tree so far, in order: each answered choice and each branch
    /// with the answers behind the way it went. A page's or an ending's advice names the latest
    /// one whose other ways need not lead there (`cause_of`).
    decisions: Vec<(NodeIndex, Vec<Reason>)>,
    /// Why the tree that runs this one reached the flow node that runs it.
    called_because: Vec<Reason>,
}

impl Frame {
    /// The answers behind these facts: each fact read (a computed one through the facts it
    /// rests on) -> the answer that set it and its value. Sorted by fact, so a rule reading a
    /// computed fact names the same answers, in the same order, as one written out in full.
    fn answers_behind<'a>(
        &self,
        facts: impl Iterator<Item = &'a str>,
    ) -> BTreeMap<String, (NodeKey, Option<Value>)> {
        let mut out = BTreeMap::new();
        for f in facts {
            if let Some(c) = self.computed_from.get(f) {
                for (fact, key) in &c.answers {
                    out.insert(fact.clone(), (key.clone(), c.values.get(fact).cloned()));
                }
            } else if let Some(key) = self.fact_from.get(f) {
                out.insert(f.to_string(), (key.clone(), self.facts.get(f).cloned()));
            }
        }
        out
    }
}

/// The walk so far, as derived from the answers.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// Questions answered on the path, in order.
    pub answered: Vec<Answered>,
    /// Every node passed through, in order (including branches, flows and outcomes).
    pub nodes: Vec<NodeKey>,
    pub hits: Vec<Hit>,
    /// Things the person should know that are not steps (e.g. a part skipped as not for them).
    pub notices: Vec<String>,
    /// Each branch passed and the rule it took (None: `otherwise`).
    pub arms: Vec<(NodeKey, Option<usize>)>,
    /// The facts of the tree the walk started in (the triage's), as answered on this path:
    /// whom each piece of advice is for is decided on these (`core::audience`).
    pub facts: Facts,
}

/// One tree on a session's stack: where it is (for a tree waiting on a sub-flow, the flow
/// node), its facts, and the facts handed down to it.
pub(crate) struct FrameView<'s> {
    pub tree: &'s str,
    pub node: NodeIndex,
    pub return_to: Option<NodeIndex>,
    pub facts: &'s Facts,
    pub inherited: &'s BTreeMap<String, (Value, NodeKey)>,
}

/// See `Session::route_key`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[allow(clippy::type_complexity)]
pub struct RouteKey(
    Vec<(
        String,
        usize,
        Option<usize>,
        Vec<(String, Value)>,
        Vec<(String, Value)>,
    )>,
);

/// Cloning a session is how `paths` tries each answer at a question without replaying.
#[derive(Clone)]
pub struct Session<'l> {
    lib: &'l Library,
    root: String,
    today: Date,
    /// Answers by node key; may hold answers for nodes not on the current path yet (kept so
    /// that going back and forth loses nothing).
    answers: BTreeMap<NodeKey, Answer>,
    /// Answers taken back with `back`, offered again as the default.
    drafts: BTreeMap<NodeKey, Answer>,
    /// Pass info pages without an answer (for `walk` and path enumeration).
    auto_continue: bool,
    stack: Vec<Frame>,
    trace: Trace,
    position: Position,
    /// A stored answer the replay could not use because of earlier answers (a date before the
    /// date it must follow), with the reason.
    rejection: Option<(NodeKey, String)>,
}

impl<'l> Session<'l> {
    /// Starts a session at the root tree's start. `today` is passed in: the core reads no clock.
    pub fn new(lib: &'l Library, root: &str, today: Date) -> Result<Session<'l>, StartError> {
        match lib.flow(root) {
            None => {
                return Err(StartError::NoSuchTree {
                    root: root.to_string(),
                    known: lib.flows().keys().cloned().collect(),
                });
            }
            Some(flow) if !flow.tree().inputs.is_empty() => {
                return Err(StartError::IsAModule {
                    root: root.to_string(),
                    inputs: flow.tree().inputs.clone(),
                });
            }
            Some(_) => {}
        }
        let mut s = Session {
            lib,
            root: root.to_string(),
            today,
            answers: BTreeMap::new(),
            drafts: BTreeMap::new(),
            auto_continue: false,
            stack: Vec::new(),
            trace: Trace::default(),
            position: Position::Finished,
            rejection: None,
        };
        s.replay();
        Ok(s)
    }

    /// Info pages are passed without waiting for "continue".
    pub fn set_auto_continue(&mut self, on: bool) {
        self.auto_continue = on;
        self.replay();
    }

    pub fn library(&self) -> &'l Library {
        self.lib
    }

    pub fn root(&self) -> &str {
        &self.root
    }

    pub fn today(&self) -> Date {
        self.today
    }

    pub fn position(&self) -> &Position {
        &self.position
    }

    pub fn is_finished(&self) -> bool {
        self.position == Position::Finished
    }

    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The stored answers.
    pub fn answers(&self) -> &BTreeMap<NodeKey, Answer> {
        &self.answers
    }

    /// The stored answers in canonical form (what a progress file saves).
    pub fn canonical_answers(&self) -> BTreeMap<NodeKey, String> {
        self.answers
            .iter()
            .map(|(k, a)| (k.clone(), a.canonical()))
            .collect()
    }

    /// The node being asked, with the facts of its tree (for rendering page text).
    pub fn current(&self) -> Option<(&'l Flow, &'l Node)> {
        let Position::Asking(key) = &self.position else {
            return None;
        };
        let flow = self.lib.flow(&key.tree)?;
        let (_, node) = flow.node_by_id(&key.node)?;
        Some((flow, node))
    }

    /// The facts of the tree being asked (for info pages that use them).
    pub(crate) fn current_facts(&self) -> Option<&Facts> {
        self.stack.last().map(|f| &f.facts)
    }

    /// What to show in the input box: a previous answer to this question, if any (its
    /// `Display` is the canonical form).
    pub fn prefill(&self) -> Option<&Answer> {
        let Position::Asking(key) = &self.position else {
            return None;
        };
        self.answers.get(key).or_else(|| self.drafts.get(key))
    }

    /// Roughly how many more screens at most: the longest path from here, in every tree on
    /// the stack.
    pub fn remaining_estimate(&self) -> usize {
        // `remaining` already counts the trees that flow nodes run, so only the innermost tree's
        // position and, for each tree that is waiting on a sub-flow, what comes after it count.
        let mut total = 0usize;
        for (depth, frame) in self.stack.iter().enumerate() {
            let Some(flow) = self.lib.flow(&frame.tree) else {
                continue;
            };
            let at = match self.stack.get(depth + 1).and_then(|f| f.return_to) {
                Some(flow_node) => flow
                    .target(flow_node, Edge::Next)
                    .map(|n| flow.remaining()[n.index()]),
                None => Some(flow.remaining()[frame.node.index()]),
            };
            total += at.unwrap_or(0) as usize;
        }
        total
    }

    /// Answers the current question. Input is what the person typed: an option's value or
    /// label, values separated by commas for several, a date, a number, some text.
    pub fn answer(&mut self, input: &str) -> Result<(), InputError> {
        let key = self.asking()?;
        let answer = self.validate(&key, input)?;
        self.answer_at(key, answer)
    }

    /// Answers the current question with a typed answer (a front end that knows which option
    /// was picked). It is checked against the question as typed input is.
    pub fn answer_with(&mut self, answer: Answer) -> Result<(), InputError> {
        let key = self.asking()?;
        let answer = self.fit(&key, answer)?;
        self.answer_at(key, answer)
    }

    /// The question being asked, or why there is none.
    fn asking(&self) -> Result<NodeKey, InputError> {
        match &self.position {
            Position::Asking(k) => Ok(k.clone()),
            Position::Finished => Err(input_error(
                "There is no question to answer: you have reached the end.",
            )),
            Position::Blocked { message, .. } => Err(input_error(message.clone())),
        }
    }

    /// Stores a checked answer to the question being asked and moves on.
    fn answer_at(&mut self, key: NodeKey, answer: Answer) -> Result<(), InputError> {
        let before = self.answers.insert(key.clone(), answer);
        // Answering the question being asked only moves the walk on: nothing before it changes,
        // so there is no need to replay from the start (a step stays fast on huge trees).
        self.rejection = None;
        self.advance();
        // An answer that makes a rule impossible to work out, or that contradicts an earlier
        // date, is refused, and nothing is lost.
        if let Some(refused) = self.refusal(&key) {
            match before {
                Some(old) => self.answers.insert(key, old),
                None => self.answers.remove(&key),
            };
            self.replay();
            return Err(refused);
        }
        self.drafts.remove(&key);
        if self.is_finished() {
            self.prune();
        }
        Ok(())
    }

    /// Goes back to the previous question asked (not one carried over). Returns false at the
    /// first question.
    pub fn back(&mut self) -> bool {
        let last = self
            .trace
            .answered
            .iter()
            .rev()
            .find(|a| !a.carried_over)
            .map(|a| a.key.clone());
        let last_page = self
            .trace
            .nodes
            .iter()
            .rev()
            .find(|k| self.answers.contains_key(*k))
            .cloned();
        // The most recent thing the person answered: a question, or an info page's "continue".
        let target = match (last, last_page) {
            (Some(q), Some(p)) => {
                let qi = self.trace.nodes.iter().rposition(|k| *k == q);
                let pi = self.trace.nodes.iter().rposition(|k| *k == p);
                if pi > qi {
                    Some(p)
                } else {
                    Some(q)
                }
            }
            (q, p) => q.or(p),
        };
        let Some(key) = target else { return false };
        if let Some(old) = self.answers.remove(&key) {
            self.drafts.insert(key, old);
        }
        self.replay();
        true
    }

    /// Changes an earlier answer and replays from the start. Answers that still apply are kept;
    /// once the path is complete, answers that no longer apply are removed and listed.
    pub fn change(&mut self, key: &NodeKey, input: &str) -> Result<ChangeReport, InputError> {
        let answer = self.validate(key, input)?;
        self.change_to(key, answer)
    }

    /// Like `change`, with a typed answer (checked against the question as typed input is).
    pub fn change_with(
        &mut self,
        key: &NodeKey,
        answer: Answer,
    ) -> Result<ChangeReport, InputError> {
        let answer = self.fit(key, answer)?;
        self.change_to(key, answer)
    }

    fn change_to(&mut self, key: &NodeKey, answer: Answer) -> Result<ChangeReport, InputError> {
        let before = self.answers.insert(key.clone(), answer);
        self.replay();
        if let Some(refused) = self.refusal(key) {
            match before {
                Some(old) => self.answers.insert(key.clone(), old),
                None => self.answers.remove(key),
            };
            self.replay();
            return Err(refused);
        }
        let dropped = if self.is_finished() {
            self.prune()
        } else {
            Vec::new()
        };
        Ok(ChangeReport { dropped })
    }

    /// Restores saved answers (e.g. from a progress file), replaying them against the tree as
    /// it is now. Returns the answers that no longer fit the tree and were dropped.
    pub fn restore(&mut self, answers: BTreeMap<NodeKey, String>) -> Vec<NodeKey> {
        let mut dropped = Vec::new();
        for (key, value) in answers {
            match self.validate(&key, &value) {
                Ok(answer) => {
                    self.answers.insert(key, answer);
                }
                Err(_) => dropped.push(key),
            }
        }
        self.replay();
        if self.is_finished() {
            dropped.extend(self.prune());
        }
        dropped
    }

    /// Why the answer just stored for `key` cannot stand, if it cannot.
    fn refusal(&self, key: &NodeKey) -> Option<InputError> {
        if let Position::Blocked { message, .. } = &self.position {
            return Some(InputError {
                message: message.clone(),
                blocked: true,
            });
        }
        match &self.rejection {
            Some((k, message)) if k == key => Some(input_error(message.clone())),
            _ => None,
        }
    }

    /// A date that comes before the date it must follow.
    fn out_of_order(&self, node: &Node, answer: &Answer) -> Option<String> {
        let (Node::Date(d), Answer::Date(date)) = (node, answer) else {
            return None;
        };
        let fact = d.not_before.as_ref()?;
        let earlier = self
            .stack
            .last()?
            .facts
            .get(fact)?
            .as_str()
            .and_then(calendar::parse_iso)?;
        (*date < earlier).then(|| {
            format!(
                "This date can't be before {}, the date you gave earlier.",
                long_date(earlier)
            )
        })
    }

    /// What decides where this walk can still go: each frame's tree, node and caller, the facts
    /// handed down to it, and the facts `live` says can still change the route from that node.
    /// Two sessions with the same key reach the same branch arms from here (used by
    /// `paths::reached` to walk each such state once).
    pub(crate) fn route_key(
        &self,
        live: &mut dyn FnMut(&str, NodeIndex) -> Vec<String>,
    ) -> RouteKey {
        let mut key = Vec::with_capacity(self.stack.len());
        for frame in &self.stack {
            let facts: Vec<(String, Value)> = live(&frame.tree, frame.node)
                .into_iter()
                .filter_map(|f| frame.facts.get(&f).map(|v| (f, v.clone())))
                .collect();
            let inherited: Vec<(String, Value)> = frame
                .inherited
                .iter()
                .map(|(f, (v, _))| (f.clone(), v.clone()))
                .collect();
            key.push((
                frame.tree.clone(),
                frame.node.index(),
                frame.return_to.map(|n| n.index()),
                facts,
                inherited,
            ));
        }
        RouteKey(key)
    }

    /// The trees on the stack, outermost first, as `paths::states` keys a walk's state.
    pub(crate) fn frames(&self) -> impl Iterator<Item = FrameView<'_>> {
        self.stack.iter().map(|f| FrameView {
            tree: &f.tree,
            node: f.node,
            return_to: f.return_to,
            facts: &f.facts,
            inherited: &f.inherited,
        })
    }

    /// Removes answers that are not on the finished path.
    fn prune(&mut self) -> Vec<NodeKey> {
        let on_path: BTreeSet<&NodeKey> = self.trace.nodes.iter().collect();
        let dropped: Vec<NodeKey> = self
            .answers
            .keys()
            .filter(|k| !on_path.contains(k))
            .cloned()
            .collect();
        for k in &dropped {
            self.answers.remove(k);
        }
        dropped
    }

    /// Reads and checks what a person typed for a question anywhere in the library.
    pub(crate) fn validate(&self, key: &NodeKey, input: &str) -> Result<Answer, InputError> {
        parse_answer(self.question(key)?, input, self.today, self.lib)
    }

    /// Checks a typed answer for a question anywhere in the library.
    pub fn fit(&self, key: &NodeKey, answer: Answer) -> Result<Answer, InputError> {
        fit_answer(self.question(key)?, answer, self.today)
    }

    fn question(&self, key: &NodeKey) -> Result<&'l Node, InputError> {
        self.lib
            .flow(&key.tree)
            .and_then(|f| f.node_by_id(&key.node))
            .map(|(_, n)| n)
            .ok_or_else(|| input_error(format!("There is no question `{key}`.")))
    }

    /// Derives the position, the path and the advice from the stored answers.
    fn replay(&mut self) {
        self.trace = Trace::default();
        self.stack.clear();
        self.rejection = None;
        let Some(flow) = self.lib.flow(&self.root) else {
            self.position = Position::Finished;
            return;
        };
        let mut facts = Facts::new();
        facts.insert(TODAY.into(), Value::from(self.today.to_string()));
        self.stack.push(Frame {
            tree: self.root.clone(),
            node: flow.start(),
            facts,
            fact_from: BTreeMap::new(),
            inherited: BTreeMap::new(),
            computed_from: BTreeMap::new(),
            return_to: None,
            decisions: Vec::new(),
            called_because: Vec::new(),
        });
        self.derive();
        if flow.is_restricted() {
            self.trace.notices.push(applies_only_in(
                &flow.tree().title,
                &flow.tree().jurisdictions,
                &self.lib.pack().people,
            ));
        }
        self.advance();
    }

    /// Steps forward from where the walk is until it must stop.
    fn advance(&mut self) {
        // Every step moves forward in an acyclic graph of acyclic trees, so this ends; the
        // bound is a second guard that turns a bug into a message, not a hang.
        let bound: usize = self
            .lib
            .flows()
            .values()
            .map(|f| f.tree().nodes.len() + 1)
            .sum::<usize>()
            * 4
            + 16;
        for _ in 0..bound {
            if let Some(position) = self.step() {
                // A node that waits for an answer is added to the path when it is passed.
                if matches!(position, Position::Asking(_)) {
                    self.trace.nodes.pop();
                }
                self.position = position;
                return;
            }
        }
        self.position = Position::Blocked {
            at: NodeKey::new(&self.root, "?"),
            message: "This flow did not come to an end. Please tell the people who wrote it."
                .into(),
        };
    }

    /// Moves one node forward. Returns a position when the walk must stop.
    fn step(&mut self) -> Option<Position> {
        let lib = self.lib;
        let frame = self.stack.last()?;
        let flow = lib.flow(&frame.tree)?;
        let ix = frame.node;
        let node = flow.node(ix);
        let key = NodeKey::new(&frame.tree, node.id());
        self.trace.nodes.push(key.clone());

        match node {
            Node::Choice(_) | Node::Multi(_) | Node::Date(_) | Node::Number(_) | Node::Text(_) => {
                self.step_question(flow, ix, key)
            }
            Node::Info(n) => {
                if !self.auto_continue && !self.answers.contains_key(&key) {
                    return Some(Position::Asking(key));
                }
                self.add_advice(flow, &n.advice, None);
                let next = flow.target(ix, Edge::Next);
                self.goto(next)
            }
            Node::Branch(b) => self.step_branch(flow, ix, key, &b.rules),
            Node::Advise(n) => self.step_advise(flow, ix, key, &n.rules),
            Node::Outcome(n) => {
                self.add_advice(flow, &n.advice, None);
                let finished = self.stack.pop()?;
                match (self.stack.last(), finished.return_to) {
                    (Some(_), Some(flow_node)) => {
                        let parent = lib.flow(&self.stack.last()?.tree)?;
                        let next = parent.target(flow_node, Edge::Next);
                        self.goto(next)
                    }
                    _ => Some(Position::Finished),
                }
            }
            Node::Flow(n) => self.step_into(flow, ix, key, n),
        }
    }

    /// A question: answered by a fact handed down from the calling tree, if it fits, or by the
    /// stored answer; otherwise the walk waits here.
    fn step_question(&mut self, flow: &'l Flow, ix: NodeIndex, key: NodeKey) -> Option<Position> {
        let node = flow.node(ix);
        let frame = self.stack.last()?;
        let fact = node.fact().unwrap_or(node.id()).to_string();
        // A fact handed down from another tree is read as that tree's answer would be typed.
        let inherited = frame.inherited.get(&fact).and_then(|(value, from)| {
            parse_answer(node, &canonical_of(value), self.today, self.lib)
                .ok()
                .map(|a| (a, from.clone()))
        });
        let (answer, carried_from) = match inherited {
            Some((answer, from)) => (answer, Some(from)),
            None => match self.answers.get(&key) {
                Some(answer) => (answer.clone(), None),
                None => return Some(Position::Asking(key)),
            },
        };
        if let Some(message) = self.out_of_order(node, &answer) {
            self.rejection = Some((key.clone(), message));
            return Some(Position::Asking(key));
        }
        match self.apply(flow, ix, &key, &fact, answer, carried_from) {
            (next, Some(why)) => self.goto_because(next, why),
            (next, None) => self.goto(next),
        }
    }

    /// A branch: the first rule whose condition is true, or `otherwise`.
    fn step_branch(
        &mut self,
        flow: &'l Flow,
        ix: NodeIndex,
        key: NodeKey,
        rules: &'l [Rule],
    ) -> Option<Position> {
        let expr = &self.lib.expr();
        let facts = crate::core::expr::facts_value(&self.stack.last()?.facts);
        let mut taken = None;
        for (k, rule) in rules.iter().enumerate() {
            let condition = expr.condition(&rule.when);
            match expr.eval_in(&condition, &facts) {
                Ok(true) => {
                    taken = Some((k, condition));
                    break;
                }
                Ok(false) => {}
                Err(e) => {
                    return Some(Position::Blocked {
                        at: key,
                        message: blocked_message(&e),
                    })
                }
            }
        }
        self.trace.arms.push((key, taken.as_ref().map(|(k, _)| *k)));
        let (next, why) = match taken {
            Some((k, condition)) => {
                let because = self.because_of(condition.reads().iter().map(String::as_str));
                self.add_advice(flow, &rules[k].advice, Some(because));
                (
                    flow.target(ix, Edge::Rule(k)),
                    self.because_of_rule(&condition),
                )
            }
            // `otherwise` is taken because every rule was false: the answers they read.
            None => {
                let reads: BTreeSet<String> = rules
                    .iter()
                    .flat_map(|r| expr.condition(&r.when).reads().clone())
                    .collect();
                let why = self.because_of(reads.iter().map(String::as_str));
                (flow.target(ix, Edge::Otherwise), why)
            }
        };
        self.goto_because(next, why)
    }

    /// An advise node: the advice of every rule whose condition is true.
    fn step_advise(
        &mut self,
        flow: &'l Flow,
        ix: NodeIndex,
        key: NodeKey,
        rules: &'l [AdviseRule],
    ) -> Option<Position> {
        let expr = &self.lib.expr();
        let facts = crate::core::expr::facts_value(&self.stack.last()?.facts);
        let mut fired = Vec::new();
        for rule in rules {
            let condition = expr.condition(&rule.when);
            match expr.eval_in(&condition, &facts) {
                Ok(true) => fired.push((rule, condition)),
                Ok(false) => {}
                Err(e) => {
                    return Some(Position::Blocked {
                        at: key,
                        message: blocked_message(&e),
                    })
                }
            }
        }
        for (rule, condition) in fired {
            let because = self.because_of_rule(&condition);
            self.add_advice(flow, &rule.advice, Some(because));
        }
        let next = flow.target(ix, Edge::Next);
        self.goto(next)
    }

    /// A flow node: runs its tree (handing down the facts it shares), unless that tree is for
    /// other nations than the person's.
    fn step_into(
        &mut self,
        flow: &'l Flow,
        ix: NodeIndex,
        key: NodeKey,
        n: &'l FlowNode,
    ) -> Option<Position> {
        let child = self.lib.flow(&n.tree)?;
        let frame = self.stack.last()?;
        let nation = frame
            .facts
            .get(NATION_FACT)
            .and_then(|v| v.as_str().map(str::to_string));
        let allowed = !child.is_restricted()
            || nation
                .as_deref()
                .is_some_and(|nat| child.tree().jurisdictions.iter().any(|j| j.as_str() == nat));
        if !allowed {
            self.trace.notices.push(format!(
                "We left out \"{}\": {}.",
                child.tree().title,
                lower_first(&applies_only_in(
                    "",
                    &child.tree().jurisdictions,
                    &self.lib.pack().people
                ))
            ));
            let next = flow.target(ix, Edge::Next);
            return self.goto(next);
        }
        let inherited: BTreeMap<String, (Value, NodeKey)> = flow
            .tree()
            .shared_by(n)
            .into_iter()
            .filter_map(|fact| {
                let v = frame.facts.get(fact)?.clone();
                let from = frame
                    .fact_from
                    .get(fact)
                    .cloned()
                    .unwrap_or_else(|| key.clone());
                Some((fact.to_string(), (v, from)))
            })
            .collect();
        let mut facts = Facts::new();
        facts.insert(TODAY.into(), Value::from(self.today.to_string()));
        // A module's inputs are set from the start; the answers they came from stay the
        // reason for any advice they bring.
        let mut fact_from = BTreeMap::new();
        let mut computed_from = BTreeMap::new();
        for input in &child.tree().inputs {
            if let Some((v, from)) = inherited.get(input) {
                facts.insert(input.clone(), v.clone());
                fact_from.insert(input.clone(), from.clone());
                // A computed fact handed down keeps the answers it rests on.
                if let Some(c) = frame.computed_from.get(input) {
                    computed_from.insert(input.clone(), c.clone());
                }
            }
        }
        // The sub-flow runs because of whatever led the walk to the flow node.
        let called_because = self.cause_of(flow, ix);
        self.stack.push(Frame {
            tree: n.tree.clone(),
            node: child.start(),
            facts,
            fact_from,
            inherited,
            computed_from,
            return_to: Some(ix),
            decisions: Vec::new(),
            called_because,
        });
        self.derive();
        None
    }

    /// Moves on from a decision (a choice answered, a branch): `why` names the answers behind
    /// the way it went.
    fn goto_because(&mut self, next: Option<NodeIndex>, why: Vec<Reason>) -> Option<Position> {
        if let Some(frame) = self.stack.last_mut() {
            frame.decisions.push((frame.node, why));
        }
        self.goto(next)
    }

    /// Why the walk is at `node` of the current tree: the latest decision from which another
    /// way could have missed it, or else why this tree was run. A decision every way of which
    /// leads here (a question asked of everyone on the way) is not a reason.
    fn cause_of(&self, flow: &Flow, node: NodeIndex) -> Vec<Reason> {
        let Some(frame) = self.stack.last() else {
            return Vec::new();
        };
        frame
            .decisions
            .iter()
            .rev()
            .find(|(d, _)| !always_reaches(flow, *d, node))
            .map_or_else(|| frame.called_because.clone(), |(_, why)| why.clone())
    }

    /// Moves to `next` with no new decision.
    fn goto(&mut self, next: Option<NodeIndex>) -> Option<Position> {
        match (next, self.stack.last_mut()) {
            (Some(n), Some(frame)) => {
                frame.node = n;
                None
            }
            // Compiled flows always have a next; this is a guard, not a path.
            _ => Some(Position::Finished),
        }
    }

    /// Records an answer: sets the fact, adds the advice it brings, returns where to go.
    fn apply(
        &mut self,
        flow: &'l Flow,
        ix: NodeIndex,
        key: &NodeKey,
        fact: &str,
        answer: Answer,
        carried_from: Option<NodeKey>,
    ) -> (Option<NodeIndex>, Option<Vec<Reason>>) {
        let node = flow.node(ix);
        let display = answer.display(node);
        let because_key = carried_from.clone().unwrap_or_else(|| key.clone());
        let mut advice: Vec<String> = node.node_advice().to_vec();
        let mut ticked_advice: Vec<(String, &[String])> = Vec::new();
        let mut next = flow.target(ix, Edge::Next);
        let mut also_sets: Option<&BTreeMap<String, String>> = None;
        let mut decided = false;
        match (&answer, node) {
            (Answer::Choice(v), Node::Choice(c)) => {
                if let Some(k) = c.options.iter().position(|o| &o.value == v) {
                    advice.extend(c.options[k].advice.iter().cloned());
                    next = flow.target(ix, Edge::Option(k));
                    also_sets = Some(&c.options[k].sets);
                    decided = true;
                }
            }
            (Answer::Multi(vs), Node::Multi(m)) => {
                for o in &m.options {
                    if vs.contains(&o.value) {
                        ticked_advice.push((o.label.clone(), &o.advice));
                    }
                }
            }
            _ => {}
        }
        let in_root = self.stack.len() == 1;
        if let Some(frame) = self.stack.last_mut() {
            frame.facts.insert(fact.to_string(), answer.to_value());
            frame
                .fact_from
                .insert(fact.to_string(), because_key.clone());
            for (other, value) in also_sets.into_iter().flatten() {
                frame
                    .facts
                    .insert(other.clone(), Value::from(value.clone()));
                frame.fact_from.insert(other.clone(), because_key.clone());
            }
        }
        self.derive();
        if let Some(frame) = self.stack.last_mut() {
            if in_root {
                self.trace.facts.clone_from(&frame.facts);
            }
        }
        self.trace.answered.push(Answered {
            key: key.clone(),
            question: node.question().unwrap_or_default().to_string(),
            answer: display,
            carried_over: carried_from.is_some(),
        });
        for (label, ids) in ticked_advice {
            let reason = Reason {
                key: because_key.clone(),
                ticked: Some(label),
            };
            self.add_advice(flow, ids, Some(vec![reason]));
        }
        self.add_advice(flow, &advice, Some(vec![Reason::of(because_key.clone())]));
        (next, decided.then(|| vec![Reason::of(because_key)]))
    }

    /// Works out the computed facts (`let`) of the current tree whose needs are set, after
    /// anything sets a fact. One that cannot be worked out (a value of the wrong kind) is left
    /// unset, so a rule reading it stops the walk with a message rather than guess.
    fn derive(&mut self) {
        let lib = self.lib;
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        let Some(flow) = lib.flow(&frame.tree) else {
            return;
        };
        for d in flow.lets() {
            if !d.needs.iter().all(|f| frame.facts.contains_key(f)) {
                continue;
            }
            let ctx = crate::core::expr::facts_value(&frame.facts);
            match lib.expr().eval_value(&d.src, &ctx) {
                Ok(v) => frame.facts.insert(d.name.clone(), v),
                Err(_) => {
                    frame.facts.remove(&d.name);
                    continue;
                }
            };
            let mut c = Computed {
                texts: d.texts.clone(),
                ..Computed::default()
            };
            for f in &d.rests_on {
                if let Some(inner) = frame.computed_from.get(f) {
                    c.answers.extend(inner.answers.clone());
                    c.values.extend(inner.values.clone());
                    c.texts.push(' ');
                    c.texts.push_str(&inner.texts);
                } else if let Some(key) = frame.fact_from.get(f) {
                    c.answers.insert(f.clone(), key.clone());
                    if let Some(v) = frame.facts.get(f) {
                        c.values.insert(f.clone(), v.clone());
                    }
                }
            }
            frame
                .computed_from
                .insert(d.name.clone(), std::sync::Arc::new(c));
        }
    }

    /// The answers that set these facts in the current tree.
    fn because_of<'a>(&self, facts: impl Iterator<Item = &'a str>) -> Vec<Reason> {
        let Some(frame) = self.stack.last() else {
            return Vec::new();
        };
        let mut keys: Vec<Reason> = frame
            .answers_behind(facts)
            .into_values()
            .map(|(key, _)| Reason::of(key))
            .collect();
        keys.dedup();
        keys
    }

    /// The answers a true rule rests on. For a tick-all-that-apply answer, the reason names the
    /// options the rule tests (`'q_moving' in questions`) rather than every option ticked.
    fn because_of_rule(&self, condition: &Condition) -> Vec<Reason> {
        let Some(frame) = self.stack.last() else {
            return Vec::new();
        };
        let reads = condition.reads().iter().map(String::as_str);
        let behind = frame.answers_behind(reads.clone());
        // The options a rule tests may be written in a computed fact it reads.
        let mut when = condition.source().to_string();
        for c in reads.filter_map(|f| frame.computed_from.get(f)) {
            when.push(' ');
            when.push_str(&c.texts);
        }
        let mut out: Vec<Reason> = Vec::new();
        for (_, (key, value)) in behind {
            let node = self
                .lib
                .flow(&key.tree)
                .and_then(|f| f.node_by_id(&key.node))
                .map(|(_, n)| n);
            let ticked: Vec<String> = match (node, value) {
                (Some(Node::Multi(m)), Some(value)) => m
                    .options
                    .iter()
                    .filter(|o| {
                        when.contains(&format!("'{}'", o.value))
                            || when.contains(&format!("\"{}\"", o.value))
                    })
                    .filter(|o| {
                        value
                            .try_iter()
                            .is_ok_and(|mut it| it.any(|v| v.as_str() == Some(o.value.as_str())))
                    })
                    .map(|o| o.label.clone())
                    .collect(),
                _ => Vec::new(),
            };
            if ticked.is_empty() {
                let r = Reason::of(key.clone());
                if !out.contains(&r) {
                    out.push(r);
                }
            } else {
                for label in ticked {
                    out.push(Reason {
                        key: key.clone(),
                        ticked: Some(label),
                    });
                }
            }
        }
        out
    }

    fn add_advice(&mut self, flow: &Flow, ids: &[String], because: Option<Vec<Reason>>) {
        if ids.is_empty() {
            return;
        }
        let Some(frame) = self.stack.last() else {
            return;
        };
        let facts = std::sync::Arc::new(frame.facts.clone());
        let cause = match because {
            Some(_) => Vec::new(),
            None => self.cause_of(flow, frame.node),
        };
        for id in ids {
            let because = match &because {
                Some(b) => b.clone(),
                // Advice at a page or an ending: the decision that led here, or (when every
                // way leads here) the answers its text depends on, or else the last answer
                // (every step says why).
                None if !cause.is_empty() => cause.clone(),
                None => {
                    let reads = flow.advice_text_reads().get(id);
                    let mut keys = reads
                        .map(|r| self.because_of(r.iter().map(String::as_str)))
                        .unwrap_or_default();
                    if keys.is_empty() {
                        if let Some(last) = self
                            .trace
                            .answered
                            .iter()
                            .rev()
                            .find(|a| a.key.tree == frame.tree)
                            .or(self.trace.answered.last())
                        {
                            keys.push(Reason::of(last.key.clone()));
                        }
                    }
                    keys
                }
            };
            self.trace.hits.push(Hit {
                tree: frame.tree.clone(),
                advice: id.clone(),
                because,
                facts: facts.clone(),
            });
        }
    }
}

/// True when every way on from `from` passes `to` (it post-dominates `from`): searches for a
/// way to an ending that avoids it.
fn always_reaches(flow: &Flow, from: NodeIndex, to: NodeIndex) -> bool {
    let graph = flow.graph();
    let mut seen = vec![false; graph.node_count()];
    let mut todo = vec![from];
    while let Some(n) = todo.pop() {
        let mut next = graph.neighbors(n).peekable();
        if next.peek().is_none() {
            return false;
        }
        for m in next {
            if m != to && !std::mem::replace(&mut seen[m.index()], true) {
                todo.push(m);
            }
        }
    }
    true
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn nation_name(j: Jurisdiction) -> &'static str {
    match j {
        Jurisdiction::England => "England",
        Jurisdiction::Wales => "Wales",
        Jurisdiction::Scotland => "Scotland",
        Jurisdiction::NorthernIreland => "Northern Ireland",
        Jurisdiction::Any => "anywhere",
    }
}

/// "\"Title\" is for families in England only": who the advice is for comes from the pack.
fn applies_only_in(title: &str, places: &[Jurisdiction], people: &str) -> String {
    let names: Vec<&str> = places.iter().map(|j| nation_name(*j)).collect();
    let what = if title.is_empty() {
        "this advice".to_string()
    } else {
        format!("\"{title}\"")
    };
    format!(
        "{} is for {people} in {} only",
        capitalise(&what),
        names.join(" and ")
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Why a rule could not be worked out. (Dates the calendar cannot count never get here: the date
/// functions give `none` or an approximate count, so no error text needs telling apart.)
fn blocked_message(e: &str) -> String {
    format!("We can't work out the next step from your answers ({e}). Please check your answers, or tell the people who wrote this flow.")
}

/// A typed answer, as stored. Its `Display` is the canonical form (what progress files and
/// `walk --answer` hold), which `parse_answer` reads back to the same answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// An option's value.
    Choice(String),
    /// The values of the options ticked, in the options' order.
    Multi(Vec<String>),
    Date(Date),
    /// "I don't know" to a date question: the fact is `none`, and advice gives the rule.
    UnknownDate,
    Number(i64),
    Text(String),
    /// "Continue" on an info page.
    Seen,
}

/// How an unknown date is stored (in progress files and `walk --answer`).
pub(crate) const UNKNOWN_DATE: &str = "unknown";

/// What a person may type for "I don't know" at a date question.
pub(crate) fn means_unknown(input: &str) -> bool {
    let s: String = input
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    matches!(
        s.trim(),
        "unknown"
            | "i dont know"
            | "dont know"
            | "i do not know"
            | "do not know"
            | "not sure"
            | "no idea"
            | "idk"
    )
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Choice(v) | Answer::Text(v) => f.write_str(v),
            Answer::Multi(vs) => f.write_str(&vs.join(",")),
            Answer::Date(d) => write!(f, "{d}"),
            Answer::UnknownDate => f.write_str(UNKNOWN_DATE),
            Answer::Number(n) => write!(f, "{n}"),
            Answer::Seen => f.write_str(SEEN),
        }
    }
}

/// How "continue" on an info page is stored.
const SEEN: &str = "ok";

impl Answer {
    /// The canonical form, as saved.
    pub fn canonical(&self) -> String {
        self.to_string()
    }

    fn to_value(&self) -> Value {
        match self {
            Answer::Choice(v) | Answer::Text(v) => Value::from(v.clone()),
            Answer::Multi(vs) => Value::from(vs.clone()),
            Answer::Date(d) => Value::from(d.to_string()),
            Answer::UnknownDate => Value::from(()),
            Answer::Number(n) => Value::from(*n),
            Answer::Seen => Value::from(true),
        }
    }

    /// As the person would say it.
    pub fn display(&self, node: &Node) -> String {
        match (self, node) {
            (Answer::Choice(v), Node::Choice(c)) => c
                .options
                .iter()
                .find(|o| &o.value == v)
                .map_or(v.clone(), |o| o.label.clone()),
            (Answer::Multi(vs), Node::Multi(m)) => m
                .options
                .iter()
                .filter(|o| vs.contains(&o.value))
                .map(|o| o.label.clone())
                .collect::<Vec<_>>()
                .join("; "),
            (Answer::Date(d), _) => long_date(*d),
            (Answer::UnknownDate, _) => "I don't know".into(),
            (Answer::Number(n), _) => n.to_string(),
            (Answer::Text(t), _) if t.is_empty() => "(left blank)".into(),
            (Answer::Text(t), _) => t.clone(),
            (Answer::Seen, _) => "Read".into(),
            (Answer::Choice(v), _) => v.clone(),
            (Answer::Multi(vs), _) => vs.join(", "),
        }
    }
}

/// A fact value written back as an answer string (for facts handed to another tree).
fn canonical_of(v: &Value) -> String {
    if v.is_none() {
        return UNKNOWN_DATE.to_string();
    }
    if let Some(s) = v.as_str() {
        return s.to_string();
    }
    if let Ok(iter) = v.try_iter() {
        return iter
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join(",");
    }
    v.to_string()
}

/// Removes control characters (terminal escapes included) and invisible format characters
/// from what a person typed.
pub(crate) fn clean_text(s: &str) -> String {
    s.chars()
        .filter(|c| !(c.is_control() || crate::core::hidden::is_hidden_format(*c)))
        .collect::<String>()
        .trim()
        .to_string()
}

/// Reads and checks what a person typed for a node.
pub(crate) fn parse_answer(
    node: &Node,
    input: &str,
    today: Date,
    lib: &Library,
) -> Result<Answer, InputError> {
    // Whatever the way in (wizard, plain mode, `walk --answer`, a progress file), what a person
    // typed loses its control characters here, before it is stored, shown or echoed in an error.
    let cleaned = clean_text(input);
    let input = cleaned.as_str();
    match node {
        Node::Choice(c) => {
            let found = c.options.iter().find(|o| o.value == input).or_else(|| {
                c.options
                    .iter()
                    .find(|o| o.label.eq_ignore_ascii_case(input))
            });
            match found {
                Some(o) => Ok(Answer::Choice(o.value.clone())),
                None => Err(not_an_option(c)),
            }
        }
        Node::Multi(m) => {
            let mut picked: Vec<String> = Vec::new();
            for part in input.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let o = m
                    .options
                    .iter()
                    .find(|o| o.value == part)
                    .or_else(|| {
                        m.options
                            .iter()
                            .find(|o| o.label.eq_ignore_ascii_case(part))
                    })
                    .ok_or_else(|| not_one_of(part))?;
                if !picked.contains(&o.value) {
                    picked.push(o.value.clone());
                }
            }
            ticks(m, &picked)
        }
        Node::Date(_) if means_unknown(input) => Ok(Answer::UnknownDate),
        Node::Date(d) => {
            let date = match calendar::parse_user_date(input) {
                Ok(date) => date,
                // Offsets like -15wd are for advisers testing a tree.
                // How to say "I don't know" is each front end's to tell (typed, or a box to
                // tick), and each shows it beside the question.
                Err(e) => calendar::resolve_example(input, today, lib.calendar())
                    .map_err(|_| input_error(e.to_string()))?,
            };
            in_range(d, date, today)
        }
        Node::Number(n) => {
            let value: i64 = input
                .replace(',', "")
                .parse()
                .map_err(|_| input_error("Enter a whole number, for example 3."))?;
            in_bounds(n, value)
        }
        Node::Text(t) => fits_text(t, input.to_string()),
        Node::Info(_) => Ok(Answer::Seen),
        Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_) => Err(no_answer()),
    }
}

/// Checks a typed answer for a node, as `parse_answer` checks typed text; returns it in the
/// form it is stored (ticks in the options' order, text without control characters).
pub(crate) fn fit_answer(node: &Node, answer: Answer, today: Date) -> Result<Answer, InputError> {
    match (node, answer) {
        (Node::Choice(c), Answer::Choice(v)) => match c.options.iter().any(|o| o.value == v) {
            true => Ok(Answer::Choice(v)),
            false => Err(not_an_option(c)),
        },
        (Node::Multi(m), Answer::Multi(vs)) => {
            let mut picked: Vec<String> = Vec::new();
            for v in vs {
                if !m.options.iter().any(|o| o.value == v) {
                    return Err(not_one_of(&clean_text(&v)));
                }
                if !picked.contains(&v) {
                    picked.push(v);
                }
            }
            ticks(m, &picked)
        }
        (Node::Date(d), Answer::Date(date)) => in_range(d, date, today),
        (Node::Date(_), Answer::UnknownDate) => Ok(Answer::UnknownDate),
        (Node::Number(n), Answer::Number(value)) => in_bounds(n, value),
        (Node::Text(t), Answer::Text(text)) => fits_text(t, clean_text(&text)),
        (Node::Info(_), Answer::Seen) => Ok(Answer::Seen),
        (Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_), _) => {
            Err(no_answer())
        }
        _ => Err(input_error(
            "That kind of answer does not fit this question.",
        )),
    }
}

fn no_answer() -> InputError {
    input_error("This step does not take an answer.")
}

fn not_an_option(c: &ChoiceNode) -> InputError {
    input_error(format!(
        "Choose one of the options: {}.",
        c.options
            .iter()
            .map(|o| o.label.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    ))
}

fn not_one_of(part: &str) -> InputError {
    input_error(format!("\"{part}\" is not one of the options."))
}

/// The rules for the options ticked (values, each once): at least one, an exclusive option
/// alone. Canonical order is the options' order, so the same ticks always read the same.
fn ticks(m: &MultiNode, picked: &[String]) -> Result<Answer, InputError> {
    if picked.is_empty() {
        let none = m
            .options
            .iter()
            .find(|o| o.exclusive)
            .map(|o| format!(", or \"{}\"", o.label))
            .unwrap_or_default();
        return Err(input_error(format!("Tick at least one option{none}.")));
    }
    if let Some(ex) = m
        .options
        .iter()
        .find(|o| o.exclusive && picked.contains(&o.value))
    {
        if picked.len() > 1 {
            return Err(input_error(format!(
                "\"{}\" can't be ticked together with other options.",
                ex.label
            )));
        }
    }
    Ok(Answer::Multi(
        m.options
            .iter()
            .filter(|o| picked.contains(&o.value))
            .map(|o| o.value.clone())
            .collect(),
    ))
}

fn in_range(d: &DateNode, date: Date, today: Date) -> Result<Answer, InputError> {
    match d.range {
        DateRange::Past if date > today => Err(input_error(format!(
            "The date must be today or earlier. Today is {}.",
            long_date(today)
        ))),
        DateRange::Future if date < today => Err(input_error(format!(
            "The date must be today or later. Today is {}.",
            long_date(today)
        ))),
        _ => Ok(Answer::Date(date)),
    }
}

fn in_bounds(n: &NumberNode, value: i64) -> Result<Answer, InputError> {
    if let Some(min) = n.min {
        if value < min {
            return Err(input_error(format!("The number must be {min} or more.")));
        }
    }
    if let Some(max) = n.max {
        if value > max {
            return Err(input_error(format!("The number must be {max} or less.")));
        }
    }
    Ok(Answer::Number(value))
}

fn fits_text(t: &TextNode, text: String) -> Result<Answer, InputError> {
    let max = t.max_length.unwrap_or(DEFAULT_TEXT_MAX);
    if text.is_empty() && !t.optional {
        return Err(input_error("Please type an answer."));
    }
    if text.chars().count() > max {
        return Err(input_error(format!(
            "Please keep this to {max} characters or fewer."
        )));
    }
    Ok(Answer::Text(text))
}
