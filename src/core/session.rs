//! Session: a pure state machine over a compiled library. Answers are stored typed (`Answer`)
//! by node key (tree + node id): what a person types is read once, when it is given, and the
//! canonical string form is only for saving and printing. Everything else (where the person
//! is, which advice applies) is derived by replaying the answers from the start, so changing an
//! earlier answer can never leave the summary telling two stories.
//!
//! This file holds the session's state and what a front end calls (answer, back, change,
//! restore, replay); `walk` moves the walk on node by node, `because` finds the answers behind
//! each advice item, and `answer` reads and checks typed answers.

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

mod answer;
mod because;
mod walk;

pub use answer::Answer;
pub(crate) use answer::{canonical_of, clean_text, fit_answer, parse_answer, UNKNOWN_DATE};
use walk::applies_only_in;

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
    /// Whether each piece of advice records the answers behind it ("because you said"). The
    /// path listing turns this off while it searches: it tells walks apart by their route and
    /// steps, and replays each walk it lists with reasons on.
    reasons: bool,
    /// When set, only these trees are run as sub-flows; a flow node to any other is passed
    /// over. The path listing sets it to the trees that can change the part it lists (a
    /// sub-flow's answers never reach the tree that ran it).
    runs_only: Option<std::sync::Arc<BTreeSet<String>>>,
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
            reasons: true,
            runs_only: None,
            stack: Vec::new(),
            trace: Trace::default(),
            position: Position::Finished,
            rejection: None,
        };
        s.replay();
        Ok(s)
    }

    /// Info pages are passed without waiting for "continue".
    pub(crate) fn set_reasons(&mut self, on: bool) {
        self.reasons = on;
    }

    pub(crate) fn set_runs_only(&mut self, trees: Option<std::sync::Arc<BTreeSet<String>>>) {
        self.runs_only = trees;
    }

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
}
