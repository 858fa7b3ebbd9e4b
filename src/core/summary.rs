//! Summary: the structured result of a walk. It is the single source for every renderer (text,
//! Markdown, JSON, the wizard's summary screen, the web page) and for every snapshot test.
//!
//! It reads like an adviser's reply: the person's own questions answered first, where they are
//! now, at most five things to do first, who can help; everything else under "More that may
//! help". Which items make the top part, how much of each is shown there and the word budget
//! are decided here, in `shape`, so every front end shows the same reply.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::core::audience;
use crate::core::calendar::long_date;
use crate::core::calendar::Calendar;
use crate::core::compile::Library;
use crate::core::expr::Facts;
use crate::core::format::{AdviceKind, Contact};
use crate::core::session::{Answered, NodeKey, Reason, Session, Trace};

mod shape;

pub use shape::{
    because_line, first_rank, split_lead, when, word_count, ANSWER_WORDS, CONTACTS_MAX, FIRST_MAX,
    LEAD_WORDS, REPEAT_WORDS, TOP_WORDS, TOP_WORDS_MAX, WHERE_WORDS,
};
pub(crate) use shape::{contact_line, contact_text, step_text, top_text, MORE_BELOW, MORE_HEADING};

/// A thing to know that is not a step, and what kind it is, so code and tests tell them apart
/// without reading the words. Shown and serialised as its text alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Advice left out, or given only, because it is for another nation.
    Nation,
    /// Dates outside the years the bank-holiday calendar covers: rules instead of dates, and
    /// working days that may be a few days out.
    Calendar,
    /// A step's text, a due date or a letter could not be worked out from the answers: a fault
    /// in the tree, never the person's (the path and scenario tests fail on one).
    NotWorkedOut,
}

impl Notice {
    fn new(kind: NoticeKind, text: String) -> Notice {
        Notice { kind, text }
    }
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Notice {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Title of the tree the walk started in.
    pub title: String,
    /// The day the summary was prepared, as a long date.
    pub prepared: String,
    /// What the person told us, in the order they said it.
    pub answers: Vec<Answered>,
    /// Things to know that are not steps (e.g. advice left out because it is for another nation).
    pub notices: Vec<Notice>,
    /// Where the family is in the process and what happens next (advice of kind "where"). The
    /// first is shown under "Where you are now"; any other is under "More that may help".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub where_now: Vec<Step>,
    /// The next dated event, shown under "Where you are now" when its text does not give it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_date: Option<NextDate>,
    /// Short answers to the questions the person chose (advice of kind "answer"), shown first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub asked: Vec<Step>,
    /// Every step, in reading order: the ones in `first`, then the rest (see `first_rank`).
    pub steps: Vec<Step>,
    /// "Do these first": ids of the steps shown in the top part (a prefix of `steps`, at most
    /// `FIRST_MAX`).
    pub first: Vec<String>,
    /// "More that may help": ids of every item not shown in the top part, in the order shown
    /// (answers and "where" items moved out of the top part, then the other steps).
    pub more: Vec<String>,
    /// Every organisation named in the summary, the ones under "Who can help" first.
    pub contacts: Vec<ContactEntry>,
    /// "Who can help": ids of the contacts shown in the top part (at most `CONTACTS_MAX`); the
    /// others are listed under "More that may help".
    pub who_can_help: Vec<String>,
    /// Words a person reads before "More that may help" in the text rendering (kept within
    /// `TOP_WORDS` where the items allow it).
    pub top_words: usize,
    /// Letters filled in from the answers.
    pub letters: Vec<FilledLetter>,
    /// Every source a step relies on, with the date it was checked.
    pub sources: Vec<SourceEntry>,
    pub footer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `tree.advice_id`, stable for tests.
    pub id: String,
    pub title: String,
    /// The whole text.
    pub body: String,
    /// What the top part shows of `body`: its start, in whole paragraphs or sentences, within
    /// the limit for its part (`ANSWER_WORDS`, `WHERE_WORDS`, `LEAD_WORDS`). `rest()` is the
    /// remainder, folded.
    pub lead: String,
    pub priority: u8,
    /// True when one of the answers that caused it is a question the person asked.
    pub asked: bool,
    /// The date this step hinges on, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Due>,
    /// The answers that caused this step, each quoted in the person's words (`"There is a child
    /// protection plan"`), never the question; a bare "Yes" with its number under "What you told
    /// us". Renderers say "Because you said: ...".
    pub because: Vec<String>,
    pub contacts: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    /// Source ids (`tree.source_id`), listed in full under `sources`.
    pub sources: Vec<String>,
    /// The answers that caused it, for `asked` and `because`.
    #[serde(skip)]
    reasons: Vec<Reason>,
}

impl Step {
    /// The part of the text the top part does not show (empty when it shows it all).
    pub fn rest(&self) -> &str {
        self.body
            .strip_prefix(self.lead.as_str())
            .unwrap_or_default()
            .trim()
    }

    /// The answers that caused it, as questions (and the ticked option), not in words: what a
    /// test asserts when the wording is not what it tests.
    pub fn reasons(&self) -> &[Reason] {
        &self.reasons
    }
}

/// The next dated event: a step's date that has not passed, the earliest.
#[derive(Debug, Clone, Serialize)]
pub struct NextDate {
    /// The step it belongs to (`tree.advice_id`).
    pub step: String,
    pub title: String,
    pub long: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Due {
    /// YYYY-MM-DD.
    pub date: String,
    /// "Monday 17 February 2025".
    pub long: String,
    /// True when the date is today or has passed.
    pub passed: bool,
    /// Something to know about the date itself: it falls on a weekend or bank holiday, or on a
    /// bank holiday list that is not yet published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactEntry {
    pub id: String,
    #[serde(flatten)]
    pub contact: Contact,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilledLetter {
    pub id: String,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceEntry {
    pub id: String,
    pub title: String,
    pub url: String,
    pub checked: String,
    /// For a law or guidance, when it took effect: "in force from 15 December 2023", "not in
    /// force yet when checked" or "start date not confirmed".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_force: Option<String>,
}

impl SourceEntry {
    /// "in force from 15 December 2023; checked 2026-12-07", or "checked 2026-12-07".
    pub fn dates(&self) -> String {
        match &self.in_force {
            Some(d) => format!("{d}; checked {}", self.checked),
            None => format!("checked {}", self.checked),
        }
    }
}

/// Builds the summary of a session's current path.
pub fn build(session: &Session) -> Summary {
    let lib = session.library();
    let trace = session.trace();
    let today = session.today();
    let mut hits = merge_hits(trace);
    audience::keep_for_this_person(lib, &trace.facts, &mut hits.order);

    let mut notices: Vec<Notice> = trace
        .notices
        .iter()
        .map(|n| Notice::new(NoticeKind::Nation, n.clone()))
        .collect();
    if let Some(n) = calendar_notice(lib.calendar(), trace) {
        notices.push(Notice::new(NoticeKind::Calendar, n));
    }
    let mut parts = Parts {
        lib,
        today,
        answer_line: trace.answered.iter().map(|a| (&a.key, a)).collect(),
        answer_number: trace
            .answered
            .iter()
            .filter(|a| !a.carried_over)
            .enumerate()
            .map(|(i, a)| (&a.key, i + 1))
            .collect(),
        notices,
        steps: Vec::new(),
        where_now: Vec::new(),
        asked: Vec::new(),
        letters: Vec::new(),
        contact_ids: Vec::new(),
        source_ids: Vec::new(),
    };
    for k in shown(lib, &hits.order) {
        let (because, facts) = &hits.merged[k];
        parts.add(&k.0, &k.1, because, facts);
    }
    let contacts = parts
        .contact_ids
        .iter()
        .filter_map(|id| {
            lib.contacts().get(id).map(|c| ContactEntry {
                id: id.clone(),
                contact: open_today(lib.calendar(), c, today),
            })
        })
        .collect();
    let sources = parts.merge_sources();
    parts.notices.dedup();

    let mut summary = Summary {
        title: lib
            .flow(session.root())
            .map(|f| f.tree().title.clone())
            .unwrap_or_default(),
        prepared: long_date(today),
        // An answer carried into a sub-flow was already listed where it was given.
        answers: trace
            .answered
            .iter()
            .filter(|a| !a.carried_over)
            .map(|a| Answered {
                question: without_instructions(&a.question),
                ..a.clone()
            })
            .collect(),
        notices: parts.notices,
        where_now: parts.where_now,
        next_date: None,
        asked: parts.asked,
        steps: parts.steps,
        first: Vec::new(),
        more: Vec::new(),
        contacts,
        who_can_help: Vec::new(),
        top_words: 0,
        letters: parts.letters,
        sources,
        // The pack's disclaimer (and emergency line), whatever the tree says.
        footer: lib.pack().footer(),
    };
    let catalogue = |key: &NodeKey| is_catalogue(lib, key);
    shape::lay_out(&mut summary, &catalogue);
    summary
}

/// The ids (`tree.advice`) of the steps `build` would list, in the order added, without
/// rendering anything: what tells two walks' advice apart, at a fraction of the cost.
pub fn step_ids(session: &Session) -> Vec<String> {
    let lib = session.library();
    let trace = session.trace();
    let mut hits = merge_hits(trace);
    audience::keep_for_this_person(lib, &trace.facts, &mut hits.order);
    shown(lib, &hits.order)
        .into_iter()
        .filter(|(t, a)| item(lib, t, a).is_some_and(|i| i.kind == AdviceKind::Step))
        .map(|(t, a)| format!("{t}.{a}"))
        .collect()
}

fn item<'l>(lib: &'l Library, tree: &str, advice: &str) -> Option<&'l crate::core::format::Advice> {
    lib.flow(tree).and_then(|f| f.tree().advice.get(advice))
}

/// The advice items a summary shows, of those added and meant for this person: not one said
/// another way by an item also shown (`covered_by`), nor a second copy of an item two trees
/// define word for word, nor an id no tree defines.
fn shown<'k>(lib: &Library, order: &'k [(String, String)]) -> Vec<&'k (String, String)> {
    let present: BTreeSet<String> = order.iter().map(|(t, a)| format!("{t}.{a}")).collect();
    let mut same_text = BTreeSet::new();
    order
        .iter()
        .filter(|(t, a)| {
            item(lib, t, a).is_some_and(|i| {
                !i.covered_by.iter().any(|c| present.contains(c))
                    && same_text.insert((i.title.as_str(), i.body.as_str()))
            })
        })
        .collect()
}

/// How to answer a question is not part of what the person told us.
const INSTRUCTIONS: [&str; 2] = [" Tick all that apply.", " Choose the one that fits best."];

/// The question without the words that say how to answer it.
fn without_instructions(question: &str) -> String {
    INSTRUCTIONS
        .iter()
        .fold(question.to_string(), |q, i| q.replace(i, ""))
}

/// The advice added on the path, each once: (tree, advice id) in the order first added.
struct MergedHits<'t> {
    order: Vec<(String, String)>,
    /// The reasons from every place it was added, and the facts where it was first added.
    merged: BTreeMap<(String, String), (Vec<Reason>, &'t Facts)>,
}

/// Deduplicates by advice id, merging the reasons; keeps the first place it was added.
fn merge_hits(trace: &Trace) -> MergedHits<'_> {
    let mut order: Vec<(String, String)> = Vec::new();
    let mut merged: BTreeMap<(String, String), (Vec<Reason>, &Facts)> = BTreeMap::new();
    for hit in &trace.hits {
        let k = (hit.tree.clone(), hit.advice.clone());
        match merged.get_mut(&k) {
            Some((because, _)) => {
                for b in &hit.because {
                    if !because.contains(b) {
                        because.push(b.clone());
                    }
                }
            }
            None => {
                order.push(k.clone());
                merged.insert(k, (hit.because.clone(), &hit.facts));
            }
        }
    }
    MergedHits { order, merged }
}

/// The contact as the person should read it today: a line open on working days only says,
/// on a weekend or bank holiday, that it is closed today and when it opens again (every
/// renderer shows the hours, so this is said once, here).
fn open_today(cal: &Calendar, c: &Contact, today: jiff::civil::Date) -> Contact {
    let mut c = c.clone();
    if c.weekdays_only && matches!(cal.is_working_day(today), Ok(false)) {
        let again = cal
            .add_working_days(today, 1)
            .map(|d| format!(", open again {}", long_date(d)))
            .unwrap_or_default();
        let closed = format!("closed today (a weekend or bank holiday){again}");
        c.hours = Some(match c.hours.take() {
            Some(h) => format!("{h}; {closed}"),
            None => closed,
        });
    }
    c
}

/// Dates the calendar cannot count give the rule instead of a date; says why once.
fn calendar_notice(cal: &Calendar, trace: &Trace) -> Option<String> {
    let outside = |v: &minijinja::Value| {
        v.as_str()
            .and_then(crate::core::calendar::parse_iso)
            .is_some_and(|d| d.year() < cal.first_year() || d.year() > cal.last_year())
    };
    trace.hits.iter().any(|h| h.facts.values().any(outside)).then(|| format!(
        "Some dates are outside the years our bank-holiday calendar covers ({} to {}). For those we give the rule rather than an exact date, and working days counted from them leave out bank holidays we do not know, so they may be a few days out.",
        cal.first_year(),
        cal.last_year()
    ))
}

/// The summary's parts, filled in one advice item at a time.
struct Parts<'a> {
    lib: &'a Library,
    today: jiff::civil::Date,
    answer_line: BTreeMap<&'a NodeKey, &'a Answered>,
    /// Each answer's number under "What you told us".
    answer_number: BTreeMap<&'a NodeKey, usize>,
    notices: Vec<Notice>,
    steps: Vec<Step>,
    where_now: Vec<Step>,
    asked: Vec<Step>,
    letters: Vec<FilledLetter>,
    contact_ids: Vec<String>,
    source_ids: Vec<(String, String)>,
}

impl Parts<'_> {
    /// Adds one advice item: its step, letter, contacts and sources.
    fn add(&mut self, tree_id: &str, advice_id: &str, because_keys: &[Reason], facts: &Facts) {
        let lib = self.lib;
        let Some(flow) = lib.flow(tree_id) else {
            return;
        };
        let Some(item) = flow.tree().advice.get(advice_id) else {
            return;
        };
        let body = match lib.expr().render(&item.body, facts) {
            Ok(b) => b.trim().to_string(),
            Err(e) => {
                self.notices.push(Notice::new(
                    NoticeKind::NotWorkedOut,
                    format!("Part of \"{}\" could not be worked out: {e}", item.title),
                ));
                "We could not fill in the details of this step from the dates you gave. The step still applies: check the dates with the adviser or organisation below.".to_string()
            }
        };
        let body = match self.law_note(tree_id, item, facts) {
            Some(note) => format!("{body}\n\n{note}"),
            None => body,
        };
        let due = item
            .due
            .as_ref()
            .and_then(|src| self.due(src, &item.title, facts));
        let because = self.because(because_keys);
        if let Some(letter_id) = &item.letter {
            self.fill_letter(letter_id, flow.snippets(), facts);
        }
        for c in &item.contacts {
            if !self.contact_ids.contains(c) {
                self.contact_ids.push(c.clone());
            }
        }
        for s in &item.sources {
            let key = (tree_id.to_string(), s.clone());
            if !self.source_ids.contains(&key) {
                self.source_ids.push(key);
            }
        }
        // An answer is headed by the question as the person ticked it in the catalogue, so
        // "Your questions" quotes what they chose, not the tree's own wording of it.
        let title = match item.kind {
            AdviceKind::Answer => self
                .catalogue_tick(because_keys)
                .unwrap_or_else(|| item.title.clone()),
            _ => item.title.clone(),
        };
        let section = match item.kind {
            AdviceKind::Step => &mut self.steps,
            AdviceKind::Where => &mut self.where_now,
            AdviceKind::Answer => &mut self.asked,
        };
        section.push(Step {
            id: format!("{tree_id}.{advice_id}"),
            title,
            lead: body.clone(),
            body,
            priority: item.priority,
            asked: false,
            due,
            because,
            contacts: item.contacts.clone(),
            letter: item.letter.clone(),
            sources: item
                .sources
                .iter()
                .map(|s| format!("{tree_id}.{s}"))
                .collect(),
            reasons: because_keys.to_vec(),
        });
    }

    /// When the law or guidance a step follows took effect after the date its deadline is
    /// counted from (or after today), says the rule may have been different then: a step never
    /// presents later law as the rule for an earlier event. Only the dates a step's `due` reads
    /// count: they are the events the step's rule governs (when a complaint was sent), where a
    /// date that merely selects the step (when a child came into care) says nothing of which
    /// law applies now. The latest-starting source decides.
    fn law_note(
        &self,
        tree_id: &str,
        item: &crate::core::format::Advice,
        facts: &Facts,
    ) -> Option<String> {
        let flow = self.lib.flow(tree_id)?;
        // The facts the `due` expression reads, as the expression language analyses it (once,
        // cached), that hold a date.
        let counted_from = item.due.as_deref().and_then(|due| {
            self.lib
                .expr()
                .condition(due)
                .reads()
                .iter()
                .filter_map(|f| {
                    facts
                        .get(f)?
                        .as_str()
                        .and_then(crate::core::calendar::parse_iso)
                })
                .min()
        });
        item.sources
            .iter()
            .filter_map(|id| {
                let in_force = flow.tree().sources.get(id)?.in_force.as_deref()?;
                crate::core::calendar::parse_iso(in_force)
            })
            .max()
            .and_then(|from| {
                // Not named by its title: a source is often a page about the law ("GOV.UK:
                // ...", a solicitor's note), not the law itself.
                if self.today < from {
                    Some(format!(
                        "The law or guidance this follows applies from {}, which is after today. Until then the rules may be different: check with an adviser.",
                        long_day(from)
                    ))
                } else {
                    let given = counted_from.filter(|d| *d < from)?;
                    Some(format!(
                        "The law or guidance this follows applies from {}. The date you gave, {}, came before that, so the rules then may have been different: check with an adviser which rules applied.",
                        long_day(from),
                        long_day(given)
                    ))
                }
            })
    }

    /// The date a step hinges on, or a notice saying it could not be worked out.
    fn due(&mut self, src: &str, title: &str, facts: &Facts) -> Option<Due> {
        match self.lib.expr().eval_date(src, facts) {
            Ok(None) => None,
            Ok(Some(d)) => Some(Due {
                date: d.to_string(),
                long: long_date(d),
                passed: d <= self.today,
                // A date that has passed is acted on now: whether offices were open then is moot.
                note: (d > self.today)
                    .then(|| due_note(self.lib.calendar(), d))
                    .flatten(),
            }),
            Err(e) => {
                self.notices.push(Notice::new(
                    NoticeKind::NotWorkedOut,
                    format!("We could not work out the date for \"{title}\": {e}"),
                ));
                None
            }
        }
    }

    /// The answers that caused a step, in the person's words, quoted. A bare "Yes" or a whole
    /// tick-all-that-apply answer says little on its own, so it is given only when nothing says
    /// more, and then with its number under "What you told us" (never the question's text).
    fn because(&self, because_keys: &[Reason]) -> Vec<String> {
        let (mut telling, mut vague) = (Vec::new(), Vec::new());
        for r in because_keys {
            let Some(a) = self.answer_line.get(&r.key) else {
                continue;
            };
            let at = self
                .answer_number
                .get(&r.key)
                .map(|n| format!(" (answer {n} in What you told us)"))
                .unwrap_or_default();
            let (phrase, list) = match &r.ticked {
                Some(label) => (format!("\"{label}\""), &mut telling),
                None if self.is_multi(&r.key) => (format!("what you ticked{at}"), &mut vague),
                None if word_count(&a.answer) < 3 => (format!("\"{}\"{at}", a.answer), &mut vague),
                None => (format!("\"{}\"", a.answer), &mut telling),
            };
            if !list.contains(&phrase) {
                list.push(phrase);
            }
        }
        if telling.is_empty() {
            vague
        } else {
            telling
        }
    }

    /// The label of the catalogue question (the `rank_by` question) ticked among these reasons.
    fn catalogue_tick(&self, because_keys: &[Reason]) -> Option<String> {
        because_keys
            .iter()
            .filter(|r| is_catalogue(self.lib, &r.key))
            .find_map(|r| r.ticked.clone())
    }

    fn is_multi(&self, key: &NodeKey) -> bool {
        self.lib
            .flow(&key.tree)
            .and_then(|f| f.node_by_id(&key.node))
            .is_some_and(|(_, n)| matches!(n, crate::core::format::Node::Multi(_)))
    }

    /// Fills in a step's letter from the answers (and the snippets of the step's tree), once
    /// per letter.
    fn fill_letter(
        &mut self,
        letter_id: &String,
        snippets: &BTreeMap<String, String>,
        facts: &Facts,
    ) {
        let Some(letter) = self.lib.letters().get(letter_id) else {
            return;
        };
        if self.letters.iter().any(|l| &l.id == letter_id) {
            return;
        }
        let (template, _) = crate::core::compile::put_snippets(&letter.body, snippets);
        let body = self
            .lib
            .expr()
            .render(&template, facts)
            .unwrap_or_else(|e| {
                self.notices.push(Notice::new(
                    NoticeKind::NotWorkedOut,
                    format!(
                        "The letter \"{}\" could not be filled in: {e}",
                        letter.title
                    ),
                ));
                letter.body.clone()
            });
        self.letters.push(FilledLetter {
            id: letter_id.clone(),
            title: letter.title.clone(),
            body: body.trim().to_string(),
        });
    }

    /// Every source the steps cite. The same document cited by two trees is listed once;
    /// steps point at the one kept.
    fn merge_sources(&mut self) -> Vec<SourceEntry> {
        let mut sources: Vec<SourceEntry> = Vec::new();
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        for (tree, id) in &self.source_ids {
            let Some(s) = self.lib.flow(tree).and_then(|f| f.tree().sources.get(id)) else {
                continue;
            };
            let full = format!("{tree}.{id}");
            match sources.iter().find(|e| e.url == s.url) {
                Some(kept) => {
                    renamed.insert(full, kept.id.clone());
                }
                None => sources.push(SourceEntry {
                    id: full,
                    title: s.title.clone(),
                    url: s.url.clone(),
                    checked: s.checked.clone(),
                    in_force: s.in_force.as_deref().map(in_force_phrase),
                }),
            }
        }
        let steps = self.steps.iter_mut();
        for step in steps.chain(&mut self.where_now).chain(&mut self.asked) {
            for s in &mut step.sources {
                if let Some(kept) = renamed.get(s) {
                    *s = kept.clone();
                }
            }
            step.sources.dedup();
        }
        sources
    }
}

/// True when the answer is the question catalogue's (`Node::is_catalogue`).
fn is_catalogue(lib: &Library, key: &NodeKey) -> bool {
    lib.flow(&key.tree)
        .and_then(|f| f.node_by_id(&key.node))
        .is_some_and(|(_, n)| n.is_catalogue())
}

/// How a source's `in_force` reads in the list of sources.
fn in_force_phrase(in_force: &str) -> String {
    match crate::core::calendar::parse_iso(in_force) {
        Some(d) => format!("in force from {}", long_day(d)),
        None if in_force == crate::core::format::NOT_YET_IN_FORCE => {
            "not in force yet when checked".to_string()
        }
        None => "start date not confirmed".to_string(),
    }
}

/// "15 December 2023": a day without its weekday, for law that took effect.
fn long_day(d: jiff::civil::Date) -> String {
    d.strftime("%-d %B %Y").to_string()
}

/// Says when a key date is not a working day, or rests on bank holidays not yet published.
fn due_note(calendar: &Calendar, d: jiff::civil::Date) -> Option<String> {
    let mut notes = Vec::new();
    if let Ok(false) = calendar.is_working_day(d) {
        notes.push(
            "This is not a working day (a weekend or bank holiday), so offices will be closed; act by the working day before.".to_string(),
        );
    }
    if calendar.is_provisional(d.year()) {
        notes.push(format!(
            "The bank holidays for {} are not published yet, so this date may move by a day or two.",
            d.year()
        ));
    }
    (!notes.is_empty()).then(|| notes.join(" "))
}
