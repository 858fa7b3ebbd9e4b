//! Walking: from where the walk is, what comes next (`advance`, one `step` at a time: a
//! question waits, a branch takes its arm, an advise node adds its items, a flow node runs
//! another tree and comes back), what an answer sets (`apply`) and the computed facts
//! (`derive`); and the messages a walk gives when it is stopped or advice is left out.

use super::*;

impl<'l> Session<'l> {
    /// Steps forward from where the walk is until it must stop.
    pub(super) fn advance(&mut self) {
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
        if self
            .runs_only
            .as_ref()
            .is_some_and(|only| !only.contains(&n.tree))
        {
            return self.goto(flow.target(ix, Edge::Next));
        }
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
    pub(super) fn derive(&mut self) {
        let lib = self.lib;
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        let Some(flow) = lib.flow(&frame.tree) else {
            return;
        };
        // The facts as a template context, made again only after a computed fact changes.
        let mut ctx: Option<minijinja::Value> = None;
        for d in flow.lets() {
            if !d.needs.iter().all(|f| frame.facts.contains_key(f)) {
                continue;
            }
            let here = ctx.get_or_insert_with(|| crate::core::expr::facts_value(&frame.facts));
            match lib.expr().eval_value(&d.src, here) {
                Ok(v) => {
                    if frame.facts.get(&d.name) != Some(&v) {
                        frame.facts.insert(d.name.clone(), v);
                        ctx = None;
                    }
                }
                Err(_) => {
                    if frame.facts.remove(&d.name).is_some() {
                        ctx = None;
                    }
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
pub(super) fn applies_only_in(title: &str, places: &[Jurisdiction], people: &str) -> String {
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
