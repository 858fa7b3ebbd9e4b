//! Scenarios: an adviser's test of a tree. Given answers and a day, the summary must (and must
//! not) contain certain steps, words and due dates. `signpost test` runs them; so does
//! `cargo test`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::core::calendar;
use crate::core::compile::Library;
use crate::core::session::{NodeKey, Position, Session};
use crate::core::summary::{self, Summary};

/// A scenario file (tests/scenarios/*.json).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What situation this is, in a sentence.
    pub description: String,
    /// The tree to start in (default "start").
    #[serde(default = "default_tree")]
    pub tree: String,
    /// The day the person answers on (YYYY-MM-DD).
    pub today: String,
    /// Named base answers to start from (the file `bases/NAME.json` beside the scenarios): the
    /// scenario's own `answers` are laid over them, so a new triage question is one edit to the
    /// base, not one to every scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Answers by node id (or tree.node), as `signpost walk --answer` takes them; a
    /// tick-all-that-apply answer may also be a list (`["cp_plan", "review_coming"]`).
    #[serde(deserialize_with = "answers_map")]
    #[schemars(with = "BTreeMap<String, AnswerValue>")]
    pub answers: BTreeMap<String, String>,
    pub expect: Expect,
    /// The answers that came from the base (`from`) and not the scenario itself: a base may
    /// answer questions some of its scenarios never reach.
    #[serde(skip)]
    #[schemars(skip)]
    pub from_base: std::collections::BTreeSet<String>,
}

/// A file of base answers (`bases/NAME.json`): a situation many scenarios start from.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Base {
    /// Who this is, in a sentence.
    pub description: String,
    /// Answers by node id, as in a scenario.
    #[serde(deserialize_with = "answers_map")]
    #[schemars(with = "BTreeMap<String, AnswerValue>")]
    pub answers: BTreeMap<String, String>,
}

impl Scenario {
    /// Lays the scenario's own answers over its base's. `base` is the text of the base file
    /// named by `from` (None when it cannot be found); `known` names the bases there are, for
    /// the hint.
    pub fn start_from(&mut self, base: Option<&str>, known: &[String]) -> Result<(), String> {
        let Some(name) = self.from.clone() else {
            return Ok(());
        };
        let Some(text) = base else {
            let mut msg = format!("there are no base answers `{name}` (bases/{name}.json)");
            match crate::core::diagnostics::nearest(&name, known.iter().map(String::as_str)) {
                Some(n) => msg.push_str(&format!("; did you mean `{n}`?")),
                None if known.is_empty() => {
                    msg.push_str("; there is no bases folder beside the scenarios")
                }
                None => msg.push_str(&format!("; the bases are: {}", known.join(", "))),
            }
            return Err(msg);
        };
        let base: Base = serde_json::from_str(text)
            .map_err(|e| format!("bases/{name}.json is not a base answers file: {e}"))?;
        for (k, v) in base.answers {
            if !self.answers.contains_key(&k) {
                self.from_base.insert(k.clone());
                self.answers.insert(k, v);
            }
        }
        Ok(())
    }
}

/// One scenario answer: as typed, or the values ticked.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AnswerValue {
    One(String),
    Ticked(Vec<String>),
}

/// The answers, a list of ticked values written as `walk --answer` takes them ("a,b").
fn answers_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let raw = BTreeMap::<String, AnswerValue>::deserialize(d)?;
    Ok(raw
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                AnswerValue::One(s) => s,
                AnswerValue::Ticked(list) => list.join(","),
            };
            (k, v)
        })
        .collect())
}

fn default_tree() -> String {
    "start".into()
}

/// What the summary must show.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Step ids (`tree.advice_id`) that must be in the summary.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Step ids that must not be.
    #[serde(default)]
    pub not_steps: Vec<String>,
    /// The step that must come first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_step: Option<String>,
    /// Items (`tree.advice_id`) that must be in the top part of the reply, before "More that may
    /// help": the "Where you are now" item shown, an answer shown, or one of "Do these first".
    /// What an adviser would say first is asserted this way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub top: Vec<String>,
    /// Step ids that must be in the top part of the summary ("Do these first"), not folded
    /// under "More that may help": what an adviser would say first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first_steps: Vec<String>,
    /// Words that must appear somewhere in the summary (any case).
    #[serde(default)]
    pub contains: Vec<String>,
    /// Words that must not appear anywhere in the summary (any case).
    #[serde(default)]
    pub not_contains: Vec<String>,
    /// Step id -> the due date it must have (YYYY-MM-DD).
    #[serde(default)]
    pub due: BTreeMap<String, String>,
    /// Letter ids that must be filled in.
    #[serde(default)]
    pub letters: Vec<String>,
    /// Contact ids that must be listed.
    #[serde(default)]
    pub contacts: Vec<String>,
    /// Contact ids that must not be listed (e.g. a service for the person who caused harm, for
    /// the person harmed).
    #[serde(default)]
    pub not_contacts: Vec<String>,
}

/// Walks a tree with answers given by node id, passing info pages. An optional text question
/// with no answer given is left blank (as a person may leave it). Stops at the first other
/// question with no answer, or at an answer that is refused.
pub fn walk<'l>(
    lib: &'l Library,
    tree: &str,
    today: jiff::civil::Date,
    answers: &[(String, String)],
) -> Result<Session<'l>, String> {
    let mut s = Session::new(lib, tree, today)?;
    s.set_auto_continue(true);
    loop {
        let key = match s.position().clone() {
            Position::Finished => return Ok(s),
            Position::Blocked { message, .. } => return Err(message),
            Position::Asking(key) => key,
        };
        let found = answers
            .iter()
            .find(|(k, _)| NodeKey::parse(k).is_some_and(|full| full == key))
            .or_else(|| answers.iter().find(|(k, _)| k == &key.node));
        let optional_text = matches!(
            s.current(),
            Some((_, crate::core::format::Node::Text(t))) if t.optional
        );
        let value = match found {
            Some((_, value)) => value.as_str(),
            None if optional_text => "",
            None => return Err(missing_answer_message(&s, &key)),
        };
        s.answer(value)
            .map_err(|e| format!("the answer `{value}` for {key} was not accepted: {e}"))?;
    }
}

fn missing_answer_message(session: &Session, key: &NodeKey) -> String {
    let mut msg = format!("no answer given for `{key}`");
    if let Some((_, node)) = session.current() {
        if let Some(q) = node.question() {
            msg.push_str(&format!(" (\"{q}\")"));
        }
        let values: Vec<&str> = match node {
            crate::core::format::Node::Choice(c) => {
                c.options.iter().map(|o| o.value.as_str()).collect()
            }
            crate::core::format::Node::Multi(m) => {
                m.options.iter().map(|o| o.value.as_str()).collect()
            }
            _ => Vec::new(),
        };
        if !values.is_empty() {
            msg.push_str(&format!("; one of: {}", values.join(", ")));
        }
    }
    msg.push_str(&format!(". Add --answer {}=VALUE", key.node));
    msg
}

/// Runs one scenario; returns every failed expectation (empty when it passes).
pub fn run(lib: &Library, sc: &Scenario) -> Vec<String> {
    run_keeping_summary(lib, sc).0
}

/// Runs one scenario: every failed expectation, and the summary when the walk reached one (for
/// `signpost test --summaries`, which writes each scenario's whole text for review).
pub fn run_keeping_summary(lib: &Library, sc: &Scenario) -> (Vec<String>, Option<Summary>) {
    let Some(today) = calendar::parse_iso(&sc.today) else {
        return (
            vec![format!(
                "`today` {} is not a real YYYY-MM-DD date",
                sc.today
            )],
            None,
        );
    };
    if lib.flow(&sc.tree).is_none() {
        let ids: Vec<&str> = lib.flows().keys().map(String::as_str).collect();
        return (
            vec![format!(
                "there is no tree `{}` (the trees are: {})",
                sc.tree,
                ids.join(", ")
            )],
            None,
        );
    }
    let unknown = unknown_answer_keys(lib, &sc.tree, sc.answers.keys().map(String::as_str));
    if !unknown.is_empty() {
        return (unknown, None);
    }
    let answers: Vec<(String, String)> = sc
        .answers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let session = match walk(lib, &sc.tree, today, &answers) {
        Ok(s) => s,
        Err(e) => return (vec![e], None),
    };
    // An answer the walk never asks for says the scenario is not the situation it describes.
    let own = sc.answers.keys().filter(|k| !sc.from_base.contains(*k));
    let mut failures: Vec<String> = off_the_path(&session, own)
        .map(|k| {
            format!("the answer for `{k}` is for a question not on this path; remove it, or check the answers before it")
        })
        .collect();
    let built = summary::build(&session);
    failures.extend(check(&built, &sc.expect));
    (failures, Some(built))
}

/// The answer keys (node id or tree.node) for questions the walk did not reach.
pub fn off_the_path<'a>(
    session: &'a Session,
    keys: impl IntoIterator<Item = &'a String> + 'a,
) -> impl Iterator<Item = &'a String> + 'a {
    keys.into_iter().filter(move |k| {
        !session
            .trace()
            .nodes
            .iter()
            .any(|n| n.node == **k || n.to_string() == **k)
    })
}

/// The trees a walk from `root` can enter: the tree itself and those its flow nodes run, however
/// deep.
pub(crate) fn trees_reached<'l>(lib: &'l Library, root: &str) -> Vec<&'l str> {
    let mut seen: Vec<&str> = Vec::new();
    let mut todo: Vec<&str> = lib
        .flows()
        .get_key_value(root)
        .map(|(k, _)| k.as_str())
        .into_iter()
        .collect();
    while let Some(id) = todo.pop() {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        if let Some(flow) = lib.flow(id) {
            for node in &flow.tree().nodes {
                if let crate::core::format::Node::Flow(f) = node {
                    if let Some((k, _)) = lib.flows().get_key_value(&f.tree) {
                        todo.push(k.as_str());
                    }
                }
            }
        }
    }
    seen
}

/// Answer keys (`node` or `tree.node`) that name no question in `root` or the trees it runs,
/// each with the nearest question id. A misspelt key would otherwise be ignored quietly.
pub(crate) fn unknown_answer_keys<'k>(
    lib: &Library,
    root: &str,
    keys: impl IntoIterator<Item = &'k str>,
) -> Vec<String> {
    let mut questions: Vec<(String, String)> = Vec::new();
    for tree in trees_reached(lib, root) {
        if let Some(flow) = lib.flow(tree) {
            for node in &flow.tree().nodes {
                if node.question().is_some() {
                    questions.push((tree.to_string(), node.id().to_string()));
                }
            }
        }
    }
    let mut problems = Vec::new();
    for key in keys {
        let known = questions.iter().any(|(t, n)| {
            n == key || NodeKey::parse(key).is_some_and(|k| &k.tree == t && &k.node == n)
        });
        if known {
            continue;
        }
        let (tree_part, node_part) = match NodeKey::parse(key) {
            Some(k) => (Some(k.tree), k.node),
            None => (None, key.to_string()),
        };
        let candidates: Vec<String> = questions
            .iter()
            .filter(|(t, _)| tree_part.as_ref().is_none_or(|want| want == t))
            .map(|(t, n)| match &tree_part {
                Some(_) => format!("{t}.{n}"),
                None => n.clone(),
            })
            .collect();
        let mut message =
            format!("the answer `{key}` names no question in `{root}` or the trees it runs");
        let wanted = match &tree_part {
            Some(t) => format!("{t}.{node_part}"),
            None => node_part,
        };
        match crate::core::diagnostics::nearest(&wanted, candidates.iter().map(String::as_str)) {
            Some(n) => message.push_str(&format!("; did you mean `{n}`?")),
            None => message.push_str("; answers are keyed by question id (or `tree.question`)"),
        }
        problems.push(message);
    }
    problems
}

fn check(s: &Summary, e: &Expect) -> Vec<String> {
    let mut failures = Vec::new();
    // "Where you are now" and "What you asked" items count as steps here: tests name them by id.
    let ids: Vec<&str> = s
        .where_now
        .iter()
        .chain(&s.asked)
        .chain(&s.steps)
        .map(|x| x.id.as_str())
        .collect();
    for want in &e.steps {
        if !ids.contains(&want.as_str()) {
            failures.push(format!(
                "step `{want}` is missing (steps: {})",
                ids.join(", ")
            ));
        }
    }
    for unwanted in &e.not_steps {
        if ids.contains(&unwanted.as_str()) {
            failures.push(format!("step `{unwanted}` should not be there"));
        }
    }
    for want in &e.top {
        if !ids.contains(&want.as_str()) {
            failures.push(format!(
                "`{want}` is missing, so it cannot be in the top part"
            ));
        } else if !s.on_top(want) {
            let top: Vec<&str> = s
                .top_asked()
                .chain(s.top_where())
                .chain(s.first_steps())
                .map(|x| x.id.as_str())
                .collect();
            failures.push(format!(
                "`{want}` is under \"More that may help\", not in the top part (top: {})",
                top.join(", ")
            ));
        }
    }
    if let Some(first) = &e.first_step {
        let first_step = s.steps.first().map(|x| x.id.as_str());
        if first_step != Some(first.as_str()) {
            failures.push(format!(
                "the first step is `{}`, not `{first}`",
                first_step.unwrap_or("(none)")
            ));
        }
    }
    for want in &e.first_steps {
        if !s.first.iter().any(|f| f == want) {
            failures.push(format!(
                "step `{want}` is not among the first steps (first: {})",
                s.first.join(", ")
            ));
        }
    }
    let text = crate::core::render::text(s).to_lowercase();
    for w in &e.contains {
        if !text.contains(&w.to_lowercase()) {
            failures.push(format!("the summary does not say \"{w}\""));
        }
    }
    for w in &e.not_contains {
        if text.contains(&w.to_lowercase()) {
            failures.push(format!("the summary says \"{w}\", which it must not"));
        }
    }
    for (id, date) in &e.due {
        match s.steps.iter().find(|x| &x.id == id) {
            Some(step) => match &step.due {
                Some(d) if &d.date == date => {}
                Some(d) => failures.push(format!("step `{id}` is due {}, not {date}", d.date)),
                None => failures.push(format!("step `{id}` has no due date (expected {date})")),
            },
            None => failures.push(format!(
                "step `{id}` is missing, so its due date cannot be checked"
            )),
        }
    }
    for l in &e.letters {
        if !s.letters.iter().any(|x| &x.id == l) {
            failures.push(format!("letter `{l}` is missing"));
        }
    }
    for c in &e.contacts {
        if !s.contacts.iter().any(|x| &x.id == c) {
            failures.push(format!("contact `{c}` is missing"));
        }
    }
    for c in &e.not_contacts {
        if s.contacts.iter().any(|x| &x.id == c) {
            failures.push(format!("contact `{c}` is listed, which it must not be"));
        }
    }
    failures
}

/// How many questions the person was asked on this walk (pages to read and answers carried
/// over from an earlier question do not count).
pub fn questions_asked(session: &Session) -> usize {
    session
        .trace()
        .answered
        .iter()
        .filter(|a| !a.carried_over && a.answer != "Read")
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticked_answer_may_be_a_list() {
        let listed: Scenario = serde_json::from_str(
            r#"{"description": "d", "today": "2026-01-15", "answers": {"legal": ["cp_plan", "review_coming"], "nation": "england"}, "expect": {}}"#,
        )
        .unwrap();
        assert_eq!(listed.answers["legal"], "cp_plan,review_coming");
        assert_eq!(listed.answers["nation"], "england");
        let wrong = serde_json::from_str::<Scenario>(
            r#"{"description": "d", "today": "2026-01-15", "answers": {"legal": 3}, "expect": {}}"#,
        );
        assert!(wrong.is_err());
    }
}
