//! What changing an answer did to the advice: steps added, removed or updated, and answers that
//! no longer apply. Every front end says this the same way after a change.

use crate::core::session::{NodeKey, Session};
use crate::core::summary;

/// The advice and the answers at one moment, to compare with a later moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Each step's title, with its text and due date (a change to either counts).
    steps: Vec<(String, String)>,
    answered: Vec<(NodeKey, String)>,
}

impl Snapshot {
    pub fn of(session: &Session) -> Snapshot {
        let sum = summary::build(session);
        Snapshot {
            steps: sum
                .steps
                .iter()
                .map(|st| {
                    let due = st.due.as_ref().map(|d| d.date.clone()).unwrap_or_default();
                    (st.title.clone(), format!("{}\u{0}{due}", st.body))
                })
                .collect(),
            // Answers carried into a sub-flow were never asked there: when the sub-flow stops
            // running, the answer itself still applies and must not be reported as dropped.
            answered: session
                .trace()
                .answered
                .iter()
                .filter(|a| !a.carried_over)
                .map(|a| (a.key.clone(), a.question.clone()))
                .collect(),
        }
    }
}

/// What a change did, by step title and question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub updated: Vec<String>,
    /// Questions whose answers no longer apply.
    pub dropped: Vec<String>,
}

impl Changes {
    pub fn between(before: &Snapshot, after: &Snapshot) -> Changes {
        let mut note = Changes::default();
        for (title, detail) in &after.steps {
            match before.steps.iter().find(|(t, _)| t == title) {
                None => note.added.push(title.clone()),
                Some((_, d)) if d != detail => note.updated.push(title.clone()),
                Some(_) => {}
            }
        }
        for (title, _) in &before.steps {
            if !after.steps.iter().any(|(t, _)| t == title) {
                note.removed.push(title.clone());
            }
        }
        for (key, question) in &before.answered {
            if !after.answered.iter().any(|(k, _)| k == key) {
                note.dropped.push(question.clone());
            }
        }
        note
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.updated.is_empty()
            && self.dropped.is_empty()
    }

    /// The change in plain sentences, one per line (plain mode prints these; the wizard styles
    /// its own).
    pub fn sentences(&self) -> Vec<String> {
        let list = |items: &[String]| items.join("; ");
        let mut out = Vec::new();
        if self.is_empty() {
            out.push("Your change did not change your next steps.".to_string());
        }
        if !self.added.is_empty() {
            out.push(format!("New steps: {}.", list(&self.added)));
        }
        if !self.updated.is_empty() {
            out.push(format!("Changed steps: {}.", list(&self.updated)));
        }
        if !self.removed.is_empty() {
            out.push(format!(
                "Steps that no longer apply: {}.",
                list(&self.removed)
            ));
        }
        if !self.dropped.is_empty() {
            out.push(format!(
                "Answers that no longer apply and were removed: {}.",
                list(&self.dropped)
            ));
        }
        out
    }
}
