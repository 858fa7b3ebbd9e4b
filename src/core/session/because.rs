//! "Because you said": the answers behind each advice item the walk adds, from the facts a
//! rule or a text reads (a ticked option named by the rule rather than every option ticked), and
//! for a page or an ending the latest decision that could have missed it (`cause_of`).

use super::*;

impl Session<'_> {
    /// Why the walk is at `node` of the current tree: the latest decision from which another
    /// way could have missed it, or else why this tree was run. A decision every way of which
    /// leads here (a question asked of everyone on the way) is not a reason.
    pub(super) fn cause_of(&self, flow: &Flow, node: NodeIndex) -> Vec<Reason> {
        let Some(frame) = self.stack.last().filter(|_| self.reasons) else {
            return Vec::new();
        };
        frame
            .decisions
            .iter()
            .rev()
            .find(|(d, _)| !always_reaches(flow, *d, node))
            .map_or_else(|| frame.called_because.clone(), |(_, why)| why.clone())
    }

    /// The answers that set these facts in the current tree.
    pub(super) fn because_of<'a>(&self, facts: impl Iterator<Item = &'a str>) -> Vec<Reason> {
        let Some(frame) = self.stack.last().filter(|_| self.reasons) else {
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
    pub(super) fn because_of_rule(&self, condition: &Condition) -> Vec<Reason> {
        let Some(frame) = self.stack.last().filter(|_| self.reasons) else {
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

    pub(super) fn add_advice(&mut self, flow: &Flow, ids: &[String], because: Option<Vec<Reason>>) {
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
