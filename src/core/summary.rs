//! Summary: the structured result of a walk. It is the single source for every renderer (text,
//! Markdown, JSON, the wizard's summary screen) and for every snapshot test.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::core::calendar::long_date;
use crate::core::calendar::Calendar;
use crate::core::format::{AdviceKind, Contact};
use crate::core::session::{Answered, NodeKey, Reason, Session};

/// Shown at the end of every summary, whatever the tree says.
pub const FOOTER: &str =
    "This is general information, not legal advice. If a child is in immediate danger, call 999.";

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Title of the tree the walk started in.
    pub title: String,
    /// The day the summary was prepared, as a long date.
    pub prepared: String,
    /// What the person told us, in the order they said it.
    pub answers: Vec<Answered>,
    /// Things to know that are not steps (e.g. advice left out because it is for another nation).
    pub notices: Vec<String>,
    /// Where the family is in the process and what happens next (advice of kind "where").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub where_now: Vec<Step>,
    /// Short answers to the questions the person chose (advice of kind "answer").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub asked: Vec<Step>,
    /// Next steps, most urgent first.
    pub steps: Vec<Step>,
    /// Every organisation named in a step.
    pub contacts: Vec<ContactEntry>,
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
    pub body: String,
    pub priority: u8,
    /// The date this step hinges on, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Due>,
    /// "You said ..." lines: the answers that caused this step.
    pub because: Vec<String>,
    pub contacts: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    /// Source ids (`tree.source_id`), listed in full under `sources`.
    pub sources: Vec<String>,
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
}

/// Builds the summary of a session's current path.
pub fn build(session: &Session) -> Summary {
    let lib = session.library();
    let trace = session.trace();
    let today = session.today();
    let answer_line: BTreeMap<&NodeKey, &Answered> =
        trace.answered.iter().map(|a| (&a.key, a)).collect();

    // Deduplicate by advice id, merging the reasons; keep the first place it was added.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut merged: BTreeMap<(String, String), (Vec<Reason>, &crate::core::expr::Facts)> =
        BTreeMap::new();
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

    let mut notices = trace.notices.clone();
    // Dates the calendar cannot count give the rule instead of a date; say why once.
    let cal = &lib.calendar;
    let outside = |v: &minijinja::Value| {
        v.as_str()
            .and_then(crate::core::calendar::parse_iso)
            .is_some_and(|d| d.year() < cal.first_year() || d.year() > cal.last_year())
    };
    if trace.hits.iter().any(|h| h.facts.values().any(outside)) {
        notices.push(format!(
            "Some dates are outside the years our bank-holiday calendar covers ({} to {}), so for those we give the rule rather than an exact date.",
            cal.first_year(),
            cal.last_year()
        ));
    }
    let mut same_text: BTreeSet<(String, String)> = BTreeSet::new();
    let mut steps = Vec::new();
    let mut where_now = Vec::new();
    let mut asked = Vec::new();
    let mut letters = Vec::new();
    let mut contact_ids: Vec<String> = Vec::new();
    let mut source_ids: Vec<(String, String)> = Vec::new();
    // A step said another way by a step that is also in the summary is left out.
    let present: BTreeSet<String> = order.iter().map(|(t, a)| format!("{t}.{a}")).collect();
    let covered = |tree: &str, advice: &str| {
        lib.flow(tree)
            .and_then(|f| f.tree.advice.get(advice))
            .is_some_and(|a| a.covered_by.iter().any(|c| present.contains(c)))
    };
    for k in &order {
        let (tree_id, advice_id) = k;
        if covered(tree_id, advice_id) {
            continue;
        }
        let Some(flow) = lib.flow(tree_id) else {
            continue;
        };
        let Some(item) = flow.tree.advice.get(advice_id) else {
            continue;
        };
        // Two trees may define the same step word for word; the person needs it once.
        if !same_text.insert((item.title.clone(), item.body.clone())) {
            continue;
        }
        let (because_keys, facts) = &merged[k];
        let body = match lib.expr.render(&item.body, facts) {
            Ok(b) => b.trim().to_string(),
            Err(e) => {
                notices.push(format!(
                    "Part of \"{}\" could not be worked out: {e}",
                    item.title
                ));
                "We could not fill in the details of this step from the dates you gave. The step still applies: check the dates with the adviser or organisation below.".to_string()
            }
        };
        let due = item
            .due
            .as_ref()
            .and_then(|src| match lib.expr.eval_date(src, facts) {
                Ok(None) => None,
                Ok(Some(d)) => Some(Due {
                    date: d.to_string(),
                    long: long_date(d),
                    passed: d <= today,
                    note: due_note(&lib.calendar, d),
                }),
                Err(e) => {
                    notices.push(format!(
                        "We could not work out the date for \"{}\": {e}",
                        item.title
                    ));
                    None
                }
            });
        let because: Vec<String> = because_keys
            .iter()
            .filter_map(|r| answer_line.get(&r.key).map(|a| (r, a)))
            .map(|(r, a)| match &r.ticked {
                Some(label) => format!("You ticked \"{label}\" for: {}", a.question),
                None => format!("You said \"{}\" to: {}", a.answer, a.question),
            })
            .collect();
        if let Some(letter_id) = &item.letter {
            if let Some(letter) = lib.letters.get(letter_id) {
                if !letters.iter().any(|l: &FilledLetter| &l.id == letter_id) {
                    let body = lib.expr.render(&letter.body, facts).unwrap_or_else(|e| {
                        notices.push(format!(
                            "The letter \"{}\" could not be filled in: {e}",
                            letter.title
                        ));
                        letter.body.clone()
                    });
                    letters.push(FilledLetter {
                        id: letter_id.clone(),
                        title: letter.title.clone(),
                        body: body.trim().to_string(),
                    });
                }
            }
        }
        for c in &item.contacts {
            if !contact_ids.contains(c) {
                contact_ids.push(c.clone());
            }
        }
        for s in &item.sources {
            let key = (tree_id.clone(), s.clone());
            if !source_ids.contains(&key) {
                source_ids.push(key);
            }
        }
        let section = match item.kind {
            AdviceKind::Step => &mut steps,
            AdviceKind::Where => &mut where_now,
            AdviceKind::Answer => &mut asked,
        };
        section.push(Step {
            id: format!("{tree_id}.{advice_id}"),
            title: item.title.clone(),
            body,
            priority: item.priority,
            due,
            because,
            contacts: item.contacts.clone(),
            letter: item.letter.clone(),
            sources: item
                .sources
                .iter()
                .map(|s| format!("{tree_id}.{s}"))
                .collect(),
        });
    }
    // Most urgent first; among equals, the earliest date first; then the order they arose.
    steps.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then_with(|| match (&a.due, &b.due) {
                (Some(x), Some(y)) => x.date.cmp(&y.date),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
    });

    let contacts = contact_ids
        .into_iter()
        .filter_map(|id| {
            lib.contacts.get(&id).map(|c| ContactEntry {
                id,
                contact: c.clone(),
            })
        })
        .collect();
    // The same document cited by two trees is listed once; steps point at the one kept.
    let mut sources: Vec<SourceEntry> = Vec::new();
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for (tree, id) in source_ids {
        let Some(s) = lib.flow(&tree).and_then(|f| f.tree.sources.get(&id)) else {
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
            }),
        }
    }
    for step in steps.iter_mut().chain(&mut where_now).chain(&mut asked) {
        for s in &mut step.sources {
            if let Some(kept) = renamed.get(s) {
                *s = kept.clone();
            }
        }
        step.sources.dedup();
    }
    notices.dedup();

    Summary {
        title: lib
            .flow(session.root())
            .map(|f| f.tree.title.clone())
            .unwrap_or_default(),
        prepared: long_date(today),
        // An answer carried into a sub-flow was already listed where it was given.
        answers: trace
            .answered
            .iter()
            .filter(|a| !a.carried_over)
            .cloned()
            .collect(),
        notices,
        where_now,
        asked,
        steps,
        contacts,
        letters,
        sources,
        footer: FOOTER.to_string(),
    }
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
