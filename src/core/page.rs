//! The page: what a front end shows now, worked out once for every front end. The wizard, plain
//! mode and the web draw a `Page` and hand back a `Reply`; none of them looks inside the session,
//! renders templates, counts progress or maps option numbers to values itself.

use crate::core::compile::Library;
use crate::core::format::{GlossaryTerm, Node};
use crate::core::glossary::Glossary;
use crate::core::limits::DEFAULT_TEXT_MAX;
use crate::core::session::{Answer, ChangeReport, InputError, NodeKey, Position, Session};

/// What a front end writes above the options closest to what the person wrote in their own
/// words (a `multi` node with `rank_by`); the full list follows them.
pub const CLOSEST_LABEL: &str = "Closest to what you wrote";
/// What a front end writes above the rest of the options when some are shown first.
pub const OTHERS_LABEL: &str = "All the questions";

/// One screen: a question to answer or a page to read. Plain data: everything a front end
/// shows is here, and no tree node is reachable from it (tests/architecture.rs keeps the tree's
/// node types out of src/front/), so every front end shows the same things.
#[derive(Debug, Clone)]
pub struct Page<'l> {
    pub key: NodeKey,
    /// The node's type as a tree names it ("choice", "info", ...), for an adviser's details.
    pub kind: &'static str,
    /// Where the person is: the part of the questions and the question's number.
    pub progress: Progress<'l>,
    /// The question, or the heading of a page to read.
    pub heading: &'l str,
    pub help: Option<&'l str>,
    /// A page's text with the person's answers filled in. `None` for questions.
    pub body: Option<String>,
    /// True when the text could not be filled in and is shown as written (the tree's authors
    /// should hear of it; the person can still read it).
    pub body_unfilled: bool,
    /// The options, numbered from 1, for choice and multi questions. For a `multi` node with
    /// `rank_by` whose text the person filled in, the options closest to it come first (marked
    /// `closest`), then the rest in the tree's order; nothing is ticked for them.
    pub options: Vec<PageOption<'l>>,
    /// How to answer.
    pub input: Input,
    /// The person's earlier answer to this question, if they gave one and came back.
    pub earlier: Option<Earlier>,
    /// Glossary words used on the page (question, help, options and text), each once.
    pub terms: Vec<&'l GlossaryTerm>,
}

/// Where the person is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress<'l> {
    /// The part of the questions, e.g. "Your complaint".
    pub section: &'l str,
    /// The question's number on the person's path: one more than the screens answered before
    /// it, so it never repeats and never jumps backwards when they move forwards.
    pub number: usize,
}

/// One option, as the person sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageOption<'l> {
    /// 1, 2, 3, ... What the person types or presses: its place on the page.
    pub number: usize,
    pub label: &'l str,
    /// The value the tree gives it (what an answer stores; never shown to the person).
    pub value: &'l str,
    /// True for "none of these": it cannot be ticked with another option.
    pub exclusive: bool,
    /// Its place in the tree's options (0-based), which the page may show in another order.
    pub index: usize,
    /// True when it is one of the options closest to what the person wrote (shown first).
    pub closest: bool,
}

/// How a page is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Pick one option.
    One,
    /// Tick every option that applies.
    Several,
    /// A date, or "I don't know".
    Date,
    /// A whole number, within the bounds the tree sets (if any).
    Number { min: Option<i64>, max: Option<i64> },
    /// Some text, at most `max` characters.
    Text { max: usize, optional: bool },
    /// Nothing to answer: read, then continue.
    Continue,
}

/// An earlier answer, for showing and for starting the form from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    /// As the person would say it: option labels, never internal values.
    pub words: String,
    /// The option numbers it picked (choice and multi).
    pub picked: Vec<usize>,
    /// What to put back in a text box (date, number, text).
    pub typed: String,
}

/// What the person gave: option numbers, not values, so no front end needs the tree's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// One option, by its number.
    Pick(usize),
    /// Several options, by number.
    Tick(Vec<usize>),
    /// Typed text: a date, a number or an answer in words.
    Typed(String),
    /// "Continue" on a page to read.
    Continue,
}

impl<'l> Page<'l> {
    /// The page the session is asking now, if it is asking.
    pub fn current(session: &Session<'l>, glossary: &Glossary<'l>) -> Option<Page<'l>> {
        let Position::Asking(key) = session.position() else {
            return None;
        };
        Self::for_key(session, key, glossary)
    }

    /// The page for any question on the path: the one being asked, or one the person answered
    /// (for changing an answer from the check list; its number is where it sits on the path).
    pub fn for_key(
        session: &Session<'l>,
        key: &NodeKey,
        glossary: &Glossary<'l>,
    ) -> Option<Page<'l>> {
        let lib = session.library();
        let flow = lib.flow(&key.tree)?;
        let (_, node) = flow.node_by_id(&key.node)?;
        let section = flow
            .tree()
            .section
            .as_deref()
            .unwrap_or(flow.tree().title.as_str());
        let asking = matches!(session.position(), Position::Asking(k) if k == key);
        let number = if asking {
            screens_done(session) + 1
        } else {
            shown_before(session, key) + 1
        };
        let (heading, input, mut options) = describe(node);
        rank_options(session, key, node, &mut options);
        let stored = if asking {
            session.prefill().cloned()
        } else {
            session.answers().get(key).cloned()
        };
        let earlier = stored.map(|s| earlier_of(node, &options, &s));
        let mut page = Page {
            key: key.clone(),
            kind: node.type_name(),
            progress: Progress { section, number },
            heading,
            help: node.help(),
            body: None,
            body_unfilled: false,
            options,
            input,
            earlier,
            terms: Vec::new(),
        };
        if let Node::Info(info) = node {
            // The facts of the page being asked fill in its text; any other is shown as written.
            let filled = asking.then(|| {
                let facts = session.current_facts().cloned().unwrap_or_default();
                session.library().expr().render(&info.body, &facts)
            });
            let (body, unfilled) = match filled {
                Some(Ok(b)) => (b, false),
                Some(Err(_)) => (info.body.clone(), true),
                None => (info.body.clone(), false),
            };
            page.body = Some(body.trim().to_string());
            page.body_unfilled = unfilled;
        }
        page.terms = page_terms(&page, glossary);
        Some(page)
    }

    /// The typed answer for a reply (option numbers as this page shows them), or what to do
    /// instead in plain words. Typed text is read once, by the session's parser.
    pub fn answer_for(&self, session: &Session, reply: &Reply) -> Result<Answer, InputError> {
        let count = self.options.len();
        let option = |n: usize| -> Result<&PageOption, InputError> {
            match n.checked_sub(1).and_then(|i| self.options.get(i)) {
                Some(o) => Ok(o),
                None => Err(refused(format!("Type a number from 1 to {count}."))),
            }
        };
        match (self.input, reply) {
            (Input::One, Reply::Pick(n)) => Ok(Answer::Choice(option(*n)?.value.to_string())),
            (Input::Several, Reply::Tick(ns)) => {
                // In the tree's order, whatever order the page showed them in.
                let mut picked: Vec<&PageOption> =
                    ns.iter().map(|n| option(*n)).collect::<Result<_, _>>()?;
                picked.sort_by_key(|o| o.index);
                picked.dedup_by_key(|o| o.index);
                let values = picked.iter().map(|o| o.value.to_string()).collect();
                Ok(Answer::Multi(values))
            }
            (Input::Several, Reply::Pick(n)) => {
                Ok(Answer::Multi(vec![option(*n)?.value.to_string()]))
            }
            (Input::Continue, _) => Ok(Answer::Seen),
            (Input::One, Reply::Tick(_)) => Err(refused("Choose one answer.")),
            (Input::One | Input::Several, Reply::Continue) => {
                Err(refused("Choose an answer first."))
            }
            (_, Reply::Typed(t)) => session.validate(&self.key, t),
            (_, Reply::Pick(n)) => session.validate(&self.key, &n.to_string()),
            (_, Reply::Tick(_) | Reply::Continue) => session.validate(&self.key, ""),
        }
    }

    /// True when some options are shown first because they are closest to what the person wrote.
    pub fn has_closest(&self) -> bool {
        self.options.iter().any(|o| o.closest)
    }

    /// The heading a front end shows before the option at this place of the list (0-based):
    /// `CLOSEST_LABEL` before the first of the closest, `OTHERS_LABEL` before the first of the
    /// rest; `None` elsewhere, and everywhere when no option is shown first.
    pub fn heading_before(&self, place: usize) -> Option<&'static str> {
        if !self.has_closest() {
            return None;
        }
        let this = self.options.get(place)?.closest;
        let before = place.checked_sub(1).map(|p| self.options[p].closest);
        match (before, this) {
            (None, true) => Some(CLOSEST_LABEL),
            (None | Some(true), false) => Some(OTHERS_LABEL),
            _ => None,
        }
    }

    /// Reads a line someone typed: option numbers ("3", "10", "1, 4") become picks; anything
    /// else is typed text (a label, a date, a number, an answer in words).
    pub fn read_reply(&self, line: &str) -> Reply {
        let line = line.trim();
        match self.input {
            Input::Continue => Reply::Continue,
            Input::One if is_number(line) => Reply::Pick(line.parse().unwrap_or(0)),
            Input::Several => {
                let parts: Vec<&str> = line
                    .split([',', ' ', ';'])
                    .filter(|p| !p.is_empty())
                    .collect();
                if !parts.is_empty() && parts.iter().all(|p| is_number(p)) {
                    Reply::Tick(parts.iter().map(|p| p.parse().unwrap_or(0)).collect())
                } else {
                    Reply::Typed(line.to_string())
                }
            }
            _ => Reply::Typed(line.to_string()),
        }
    }

    /// Answers this page (the one the session is asking) with a reply.
    pub fn answer(&self, session: &mut Session<'l>, reply: &Reply) -> Result<(), InputError> {
        let answer = self.answer_for(session, reply)?;
        session.answer_with(answer)
    }

    /// Changes the earlier answer this page shows (from "Check your answers") to a reply.
    pub fn change(
        &self,
        session: &mut Session<'l>,
        reply: &Reply,
    ) -> Result<ChangeReport, InputError> {
        let answer = self.answer_for(session, reply)?;
        session.change_with(&self.key, answer)
    }

    /// The bounds of a number question in words ("It must be from 1 to 20."), if it has any.
    pub fn number_range(&self) -> Option<String> {
        match self.input {
            Input::Number { min, max } => range_words(min, max),
            _ => None,
        }
    }
}

/// A number's bounds in words, as every front end shows them beside the question.
fn range_words(min: Option<i64>, max: Option<i64>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("It must be from {a} to {b}.")),
        (Some(a), None) => Some(format!("It must be {a} or more.")),
        (None, Some(b)) => Some(format!("It must be {b} or less.")),
        (None, None) => None,
    }
}

fn refused(message: impl Into<String>) -> InputError {
    InputError {
        message: message.into(),
        blocked: false,
    }
}

/// The question of any node in the library, in its words (for saying which answers were
/// dropped when a tree changed), or `None` if the library has no such question.
pub fn question_of<'l>(lib: &'l Library, key: &NodeKey) -> Option<&'l str> {
    let (_, node) = lib.flow(&key.tree)?.node_by_id(&key.node)?;
    node.question()
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit())
}

/// The heading, the way to answer and the numbered options of a node.
fn describe(node: &Node) -> (&str, Input, Vec<PageOption<'_>>) {
    match node {
        Node::Choice(c) => (
            c.question.as_str(),
            Input::One,
            c.options
                .iter()
                .enumerate()
                .map(|(i, o)| PageOption {
                    number: i + 1,
                    label: &o.label,
                    value: &o.value,
                    exclusive: false,
                    index: i,
                    closest: false,
                })
                .collect(),
        ),
        Node::Multi(m) => (
            m.question.as_str(),
            Input::Several,
            m.options
                .iter()
                .enumerate()
                .map(|(i, o)| PageOption {
                    number: i + 1,
                    label: &o.label,
                    value: &o.value,
                    exclusive: o.exclusive,
                    index: i,
                    closest: false,
                })
                .collect(),
        ),
        Node::Date(d) => (d.question.as_str(), Input::Date, Vec::new()),
        Node::Number(n) => (
            n.question.as_str(),
            Input::Number {
                min: n.min,
                max: n.max,
            },
            Vec::new(),
        ),
        Node::Text(t) => (
            t.question.as_str(),
            Input::Text {
                max: t.max_length.unwrap_or(DEFAULT_TEXT_MAX),
                optional: t.optional,
            },
            Vec::new(),
        ),
        Node::Info(i) => (i.title.as_str(), Input::Continue, Vec::new()),
        // Never shown: the session passes them without asking.
        Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_) => {
            ("", Input::Continue, Vec::new())
        }
    }
}

/// The text the person wrote in their own words for a `multi` node with `rank_by` (the answer
/// to the `text` question of the same tree that sets that fact), if they wrote any.
fn own_words<'s>(session: &'s Session, key: &NodeKey, node: &Node) -> Option<&'s str> {
    let Node::Multi(m) = node else {
        return None;
    };
    let fact = m.rank_by.as_deref()?;
    let flow = session.library().flow(&key.tree)?;
    let text_node = flow
        .tree()
        .nodes
        .iter()
        .find(|n| matches!(n, Node::Text(_)) && n.fact() == Some(fact))?;
    match session
        .answers()
        .get(&NodeKey::new(&key.tree, text_node.id()))?
    {
        Answer::Text(t) if !t.trim().is_empty() => Some(t),
        _ => None,
    }
}

/// Puts the options closest to the person's own words first, marked, then the rest in the
/// tree's order, and numbers them as shown. Nothing changes when there are no such words or
/// none of them matches.
fn rank_options(session: &Session, key: &NodeKey, node: &Node, options: &mut [PageOption]) {
    let Some(text) = own_words(session, key, node) else {
        return;
    };
    let closest = session.library().questions().closest(text);
    let place = |o: &PageOption| closest.iter().position(|id| *id == o.value);
    for o in options.iter_mut() {
        o.closest = !o.exclusive && place(o).is_some();
    }
    // A stable sort: the closest in their rank, then the rest as the tree has them.
    options.sort_by_key(|o| place(o).filter(|_| o.closest).unwrap_or(usize::MAX));
    for (i, o) in options.iter_mut().enumerate() {
        o.number = i + 1;
    }
}

/// A stored answer in the person's words, with the options it picked (numbered as shown).
fn earlier_of(node: &Node, options: &[PageOption], stored: &Answer) -> Earlier {
    let words = stored.display(node);
    let number_of = |v: &str| options.iter().find(|o| o.value == v).map(|o| o.number);
    let (picked, typed) = match stored {
        Answer::Choice(v) => (number_of(v).into_iter().collect(), String::new()),
        Answer::Multi(vs) => (
            vs.iter().filter_map(|v| number_of(v)).collect(),
            String::new(),
        ),
        // Typed back the way the question asks for it: day/month/year.
        Answer::Date(d) => (
            Vec::new(),
            format!("{}/{}/{}", d.day(), d.month(), d.year()),
        ),
        Answer::UnknownDate => (Vec::new(), "I don't know".to_string()),
        Answer::Number(n) => (Vec::new(), n.to_string()),
        Answer::Text(t) => (Vec::new(), t.clone()),
        Answer::Seen => (Vec::new(), String::new()),
    };
    Earlier {
        words,
        picked,
        typed,
    }
}

fn page_terms<'l>(page: &Page<'l>, glossary: &Glossary<'l>) -> Vec<&'l GlossaryTerm> {
    let texts = [page.heading, page.help.unwrap_or_default()]
        .into_iter()
        .chain(page.options.iter().map(|o| o.label))
        .chain(page.body.as_deref());
    glossary.terms_in(texts)
}

/// Is this node one the person answers or reads (not a branch, flow or outcome)?
fn is_screen(node: &Node) -> bool {
    matches!(
        node,
        Node::Choice(_)
            | Node::Multi(_)
            | Node::Date(_)
            | Node::Number(_)
            | Node::Text(_)
            | Node::Info(_)
    )
}

/// The screens on the person's path, in order: questions and pages they were shown (the one
/// being asked included), not branches, flows or answers carried over from an earlier part.
fn screens_on_path<'s>(session: &'s Session) -> impl Iterator<Item = &'s NodeKey> + 's {
    let trace = session.trace();
    let lib = session.library();
    trace
        .nodes
        .iter()
        .filter(|k| {
            !trace
                .answered
                .iter()
                .any(|a| &a.key == *k && a.carried_over)
        })
        .filter(move |k| {
            lib.flow(&k.tree)
                .and_then(|f| f.node_by_id(&k.node))
                .is_some_and(|(_, n)| is_screen(n))
        })
}

/// Screens the person has passed on their path (questions answered and pages read, not the
/// one being asked, and not answers carried over from an earlier part).
pub fn screens_done(session: &Session) -> usize {
    let current = match session.position() {
        Position::Asking(k) => Some(k),
        _ => None,
    };
    screens_on_path(session)
        .filter(|k| Some(*k) != current)
        .count()
}

/// Screens passed before `key` on the path (its number, less one).
fn shown_before(session: &Session, key: &NodeKey) -> usize {
    screens_on_path(session).take_while(|k| *k != key).count()
}

/// One row of "Check your answers".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRow {
    /// 1, 2, 3, ... What the person types to change it.
    pub number: usize,
    pub key: NodeKey,
    pub question: String,
    /// As the person would say it.
    pub answer: String,
    /// Given in an earlier part and carried over: shown, but changed where it was asked.
    pub carried_over: bool,
}

/// The answers on the person's path, to check and change (not the ones carried over: they were
/// never asked).
pub fn check_rows(session: &Session) -> Vec<CheckRow> {
    rows(session, false)
}

/// Every answer on the person's path in order, the ones carried over from an earlier part
/// included (marked), for a front end that shows them too (the wizard). Numbered in this list.
pub fn answer_rows(session: &Session) -> Vec<CheckRow> {
    rows(session, true)
}

fn rows(session: &Session, carried: bool) -> Vec<CheckRow> {
    session
        .trace()
        .answered
        .iter()
        .filter(|a| carried || !a.carried_over)
        .enumerate()
        .map(|(i, a)| CheckRow {
            number: i + 1,
            key: a.key.clone(),
            question: a.question.clone(),
            answer: a.answer.clone(),
            carried_over: a.carried_over,
        })
        .collect()
}
