//! The tree file format, version 1: serde types that mirror the JSON an adviser writes, nothing
//! more. Checking that a tree makes sense is `compile`'s job; these types only say what shape the
//! file has. Doc comments here become hover text in editors through the JSON Schema.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The only format version this build understands.
pub const FORMAT_VERSION: u32 = 1;

/// One advice tree (a flow of questions that ends in advice).
///
/// Generic so the loader can first read the outer shape with `nodes`, `advice` and `sources` left
/// as raw JSON, then read each element on its own and report every broken one, not just the first.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
// Empty `advice` and `sources` maps need no `Default` for the element types.
#[serde(bound(deserialize = "N: Deserialize<'de>, A: Deserialize<'de>, S: Deserialize<'de>"))]
#[schemars(title = "Signpost advice tree (format 1)")]
pub struct TreeFile<N = Node, A = Advice, S = Source> {
    /// Path to the JSON Schema, for editor completion. Ignored by Signpost.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Format version. Must be 1.
    pub format: u32,
    /// Short id of the tree, lower case with underscores or hyphens (e.g. "complaints"). Other
    /// trees run this one with a `flow` node naming this id.
    pub id: String,
    /// Title shown to the person, e.g. "Complain about children's services".
    pub title: String,
    /// Short name of this part of the questions, shown with the question number while the person
    /// answers (e.g. "Your complaint"). Defaults to the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// One or two sentences on what this tree covers (shown on the start screen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the advice applies. A tree that is not for `any` is only run for people who said
    /// they live in one of these places.
    pub jurisdictions: Vec<Jurisdiction>,
    /// The date (YYYY-MM-DD) an adviser last reviewed this tree's content.
    pub reviewed: String,
    /// Facts this tree is given by the tree that runs it (listed in that flow node's `share`).
    /// They count as set from the start. A tree with inputs is a module: it only runs inside
    /// another tree, never on its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
    /// Computed facts, by name: each an expression over the tree's facts (its questions, its
    /// inputs and other computed facts), e.g. `"is_parent": "relationship in ['birth_mother',
    /// 'father_pr']"`. A computed fact is set wherever every fact it reads without an `is
    /// defined` guard is set, and conditions, texts and letters of this tree read it like an
    /// answer. It is visible in this tree only; a flow node hands it to another tree like any
    /// fact, by `share`.
    #[serde(rename = "let", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lets: BTreeMap<String, String>,
    /// Facts every `flow` node of this tree hands to the tree it runs, besides the ones the node
    /// lists itself in its own `share`: the list is written once, not on every flow node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub share: Vec<String>,
    /// Reusable text, by name: `{{ snippet.NAME }}` in any text of this tree (a question, its
    /// help, a page, an advice item) puts it there, so a caveat is written once. A snippet may
    /// use facts, like the text it is put in. It wins over the pack's snippet of the same name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub snippets: BTreeMap<String, String>,
    /// Id of the first node.
    pub start: String,
    /// The questions, pages, branches and outcomes.
    pub nodes: Vec<N>,
    /// Advice items, by id. Options, branch rules, pages and outcomes add them to the summary.
    #[serde(default)]
    pub advice: BTreeMap<String, A>,
    /// Sources the advice relies on, by id.
    #[serde(default)]
    pub sources: BTreeMap<String, S>,
}

impl<N, A, S> TreeFile<N, A, S> {
    /// The facts a flow node of this tree hands to the tree it runs: the tree's own `share`,
    /// then the node's, each once.
    pub fn shared_by<'a>(&'a self, flow: &'a FlowNode) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::with_capacity(self.share.len() + flow.share.len());
        for fact in self.share.iter().chain(&flow.share) {
            if !out.contains(&fact.as_str()) {
                out.push(fact);
            }
        }
        out
    }
}

/// A place whose law and procedures a tree's advice follows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Jurisdiction {
    England,
    Wales,
    Scotland,
    NorthernIreland,
    /// Advice that is true wherever the person lives (e.g. helplines for anyone).
    Any,
}

impl Jurisdiction {
    pub fn as_str(self) -> &'static str {
        match self {
            Jurisdiction::England => "england",
            Jurisdiction::Wales => "wales",
            Jurisdiction::Scotland => "scotland",
            Jurisdiction::NorthernIreland => "northern_ireland",
            Jurisdiction::Any => "any",
        }
    }
}

/// One node of a tree. `type` says which kind.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Node {
    /// A question with one answer from a list.
    Choice(ChoiceNode),
    /// A question where the person can tick several options (or one "none of these").
    Multi(MultiNode),
    /// A question whose answer is a date.
    Date(DateNode),
    /// A question whose answer is a whole number.
    Number(NumberNode),
    /// A question whose answer is a short piece of text (used to fill in letters).
    Text(TextNode),
    /// A page to read, with a Continue button.
    Info(InfoNode),
    /// A decision the engine makes from earlier answers. Never shown.
    Branch(BranchNode),
    /// Adds the advice of every rule whose condition is true, then carries on. Never shown.
    Advise(AdviseNode),
    /// An end of the flow. Its advice is added to the summary.
    Outcome(OutcomeNode),
    /// Runs another tree, then carries on here. Its advice joins this summary.
    Flow(FlowNode),
}

impl Node {
    /// True for the question catalogue: a tick-all-that-apply question ranked by what the
    /// person wrote (`rank_by`).
    pub fn is_catalogue(&self) -> bool {
        matches!(self, Node::Multi(m) if m.rank_by.is_some())
    }

    pub fn id(&self) -> &str {
        match self {
            Node::Choice(n) => &n.id,
            Node::Multi(n) => &n.id,
            Node::Date(n) => &n.id,
            Node::Number(n) => &n.id,
            Node::Text(n) => &n.id,
            Node::Info(n) => &n.id,
            Node::Branch(n) => &n.id,
            Node::Advise(n) => &n.id,
            Node::Outcome(n) => &n.id,
            Node::Flow(n) => &n.id,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Node::Choice(_) => "choice",
            Node::Multi(_) => "multi",
            Node::Date(_) => "date",
            Node::Number(_) => "number",
            Node::Text(_) => "text",
            Node::Info(_) => "info",
            Node::Branch(_) => "branch",
            Node::Advise(_) => "advise",
            Node::Outcome(_) => "outcome",
            Node::Flow(_) => "flow",
        }
    }

    /// The question text, for nodes that ask one.
    pub fn question(&self) -> Option<&str> {
        match self {
            Node::Choice(n) => Some(&n.question),
            Node::Multi(n) => Some(&n.question),
            Node::Date(n) => Some(&n.question),
            Node::Number(n) => Some(&n.question),
            Node::Text(n) => Some(&n.question),
            _ => None,
        }
    }

    pub fn help(&self) -> Option<&str> {
        match self {
            Node::Choice(n) => n.help.as_deref(),
            Node::Multi(n) => n.help.as_deref(),
            Node::Date(n) => n.help.as_deref(),
            Node::Number(n) => n.help.as_deref(),
            Node::Text(n) => n.help.as_deref(),
            _ => None,
        }
    }

    /// The fact a question sets: its `fact` field, or else its id.
    pub fn fact(&self) -> Option<&str> {
        let (id, fact) = match self {
            Node::Choice(n) => (&n.id, &n.fact),
            Node::Multi(n) => (&n.id, &n.fact),
            Node::Date(n) => (&n.id, &n.fact),
            Node::Number(n) => (&n.id, &n.fact),
            Node::Text(n) => (&n.id, &n.fact),
            _ => return None,
        };
        Some(fact.as_deref().unwrap_or(id))
    }

    /// The (label, value) of each option, for questions that have options.
    pub fn option_labels(&self) -> Vec<(&str, &str)> {
        match self {
            Node::Choice(c) => c
                .options
                .iter()
                .map(|o| (o.label.as_str(), o.value.as_str()))
                .collect(),
            Node::Multi(m) => m
                .options
                .iter()
                .map(|o| (o.label.as_str(), o.value.as_str()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Advice the node itself adds when it is visited (not counting options or rules).
    pub fn node_advice(&self) -> &[String] {
        match self {
            Node::Date(n) => &n.advice,
            Node::Number(n) => &n.advice,
            Node::Text(n) => &n.advice,
            Node::Info(n) => &n.advice,
            Node::Outcome(n) => &n.advice,
            _ => &[],
        }
    }
}

/// A question with one answer from a list.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceNode {
    /// Unique id in this tree: lower case letters, digits and underscores.
    pub id: String,
    /// The question, in plain words, as the person will read it.
    pub question: String,
    /// Extra explanation shown under the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Name of the fact the answer sets (the option's `value`). Defaults to the node id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// The answers to pick from.
    pub options: Vec<ChoiceOption>,
}

/// One answer of a `choice` question.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// What the person reads, e.g. "Yes, I have had a reply".
    pub label: String,
    /// What conditions and templates see, e.g. "replied".
    pub value: String,
    /// Where to go when this option is picked.
    pub next: String,
    /// Advice items this answer adds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
    /// Other facts this answer settles, so a later question need not be asked, e.g. a parent
    /// is asking for themselves: `{"for_whom": "me"}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sets: BTreeMap<String, String>,
}

/// A question where the person can tick several options.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MultiNode {
    /// Unique id in this tree: lower case letters, digits and underscores.
    pub id: String,
    /// The question, in plain words, as the person will read it.
    pub question: String,
    /// Extra explanation shown under the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Name of the fact the answer sets: the list of ticked values. Defaults to the node id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// The options to tick.
    pub options: Vec<MultiOption>,
    /// The fact of a `text` question in this tree (the person's own words, e.g. "What do you
    /// most want to know?"). When it holds some words, the options closest to them (by the
    /// phrasings and words in questions.json) are shown first, marked "Closest to what you
    /// wrote"; the full list follows and nothing is ticked. Every option but an exclusive one
    /// then needs an entry in questions.json.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_by: Option<String>,
    /// Where to go once the person has ticked what applies.
    pub next: String,
}

/// One option of a `multi` question.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MultiOption {
    /// What the person reads.
    pub label: String,
    /// What conditions and templates see (one of the list of ticked values).
    pub value: String,
    /// True for a "none of these" option: it cannot be ticked together with any other.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
    /// Advice items this option adds when it is ticked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
}

/// Which dates a date question accepts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateRange {
    /// Today or earlier (e.g. "when did you send it?").
    Past,
    /// Today or later (e.g. "when is the conference?").
    Future,
    /// Any real date.
    #[default]
    Any,
}

/// A question whose answer is a date.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DateNode {
    /// Unique id in this tree: lower case letters, digits and underscores.
    pub id: String,
    /// The question, in plain words, as the person will read it.
    pub question: String,
    /// Extra explanation shown under the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Name of the fact (a YYYY-MM-DD date). Defaults to the node id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// Which dates are allowed: past, future or any.
    #[serde(default, skip_serializing_if = "is_default")]
    pub range: DateRange,
    /// A date fact this answer cannot come before, e.g. a reply cannot be dated before the
    /// complaint: `"not_before": "sent_on"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// Sample answers used to walk and test every path: a date "2025-02-03", or relative to
    /// today: "-15wd" (15 working days ago), "+10d", "-3m" (months), "0d" (today).
    pub examples: Vec<String>,
    /// Id of the node to go to next.
    pub next: String,
    /// Advice items added to the summary once this question is answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
}

/// A question whose answer is a whole number.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberNode {
    /// Unique id in this tree: lower case letters, digits and underscores.
    pub id: String,
    /// The question, in plain words, as the person will read it.
    pub question: String,
    /// Extra explanation shown under the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Name of the fact the answer sets. Defaults to the node id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// Smallest allowed answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Largest allowed answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Sample answers used to walk and test every path.
    pub examples: Vec<i64>,
    /// Id of the node to go to next.
    pub next: String,
    /// Advice items added to the summary once this question is answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
}

/// A question whose answer is a short piece of text.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextNode {
    /// Unique id in this tree: lower case letters, digits and underscores.
    pub id: String,
    /// The question, in plain words, as the person will read it.
    pub question: String,
    /// Extra explanation shown under the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Name of the fact the answer sets. Defaults to the node id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// Longest answer allowed, in characters (default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// True if the person may leave it empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// Sample answers used to walk and test every path.
    pub examples: Vec<String>,
    /// Id of the node to go to next.
    pub next: String,
    /// Advice items added to the summary once this question is answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
}

/// A page to read.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InfoNode {
    /// Unique id in this tree: lower case letters, digits and underscores.
    pub id: String,
    /// Heading of the page.
    pub title: String,
    /// The page text (a template: it may use facts, e.g. `{{ sent_on | long_date }}`).
    pub body: String,
    /// Id of the node to go to next.
    pub next: String,
    /// Advice items added to the summary when the page is shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
}

/// A decision made from earlier answers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchNode {
    /// Unique id in this tree: lower case letters, digits and underscores.
    pub id: String,
    /// Tried in order; the first whose `when` is true is taken.
    pub rules: Vec<Rule>,
    /// Where to go when no rule is true.
    pub otherwise: String,
}

/// One arm of a branch.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A condition, e.g. `working_days(sent_on, today) > 10 and reply == "none"`.
    pub when: String,
    /// Id of the node to go to next.
    pub next: String,
    /// Advice this arm adds when it is taken.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
}

/// Adds advice from the situation: every rule whose `when` is true adds its advice (a branch
/// takes only the first true rule). This is how a fact brings its advice whether or not the person
/// asked for that kind of help.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviseNode {
    /// Unique id in this tree: lower case letters, digits and underscores.
    pub id: String,
    /// Checked in order; every true rule adds its advice.
    pub rules: Vec<AdviseRule>,
    /// Where to go next.
    pub next: String,
}

/// One rule of an `advise` node.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviseRule {
    /// A condition, e.g. `police == "nfa" and 'harmed' not in involvement`.
    pub when: String,
    /// Advice this rule adds when its condition is true.
    pub advice: Vec<String>,
}

/// An end of the flow.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeNode {
    /// Unique id in this tree: lower case letters, digits and underscores.
    pub id: String,
    /// Advice this ending adds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
}

/// Runs another tree, then carries on at `next`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowNode {
    /// Unique id in this tree: lower case letters, digits and underscores.
    pub id: String,
    /// Id of the tree to run.
    pub tree: String,
    /// Facts from this tree that the other tree may use: a question there that sets one of
    /// these facts is answered already and is not asked again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub share: Vec<String>,
    /// Id of the node to go to next.
    pub next: String,
}

/// An advice item: one next step in the summary.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    /// Who it is for: audience names from audiences.json, any one of which is enough (e.g.
    /// `["parent", "kinship_carer"]`), or `["everyone"]`. Required: the summary never shows an
    /// item to someone outside its audience, whatever rule added it.
    #[serde(rename = "for", skip_serializing_if = "Option::is_none")]
    #[schemars(required, with = "Vec<String>", length(min = 1))]
    pub audience: Option<Vec<String>>,
    /// The step as an action, e.g. "Ask for your complaint to go to stage 2".
    pub title: String,
    /// What to do and why, in plain words (a template that may use facts).
    pub body: String,
    /// 1 is most urgent, 5 least. Steps are ordered by priority, then by due date.
    #[serde(default = "default_priority")]
    pub priority: u8,
    /// Where it goes in the summary: a next step (the default), "where" (Where you are now) or
    /// "answer" (What you asked: the title is the person's question, the body the answer).
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: AdviceKind,
    /// An expression giving the date this step hinges on, e.g. `add_working_days(sent_on, 10)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Contact ids from contacts.json.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<String>,
    /// A letter id (a file in trees/letters/).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    /// Source ids from this tree's `sources`. At least one.
    pub sources: Vec<String>,
    /// Steps of other trees (`tree.advice_id`) that say the same thing another way: when any of
    /// them is in the summary, this one is left out, so a person reads each piece of advice once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covered_by: Vec<String>,
}

/// Which part of the summary an advice item belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdviceKind {
    /// A next step: something to do.
    #[default]
    Step,
    /// Where the family is in the process and what happens next.
    Where,
    /// A direct answer to a question the person chose.
    Answer,
}

fn default_priority() -> u8 {
    3
}

fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

/// Where a piece of advice comes from.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title of the document or page.
    pub title: String,
    /// Where to read it.
    pub url: String,
    /// When someone last checked it still says this (YYYY-MM-DD).
    pub checked: String,
    /// For a law or statutory guidance: the day the part cited took effect (YYYY-MM-DD), or
    /// "not yet" (passed, not in force when checked), or "not confirmed" (looked for, not
    /// found). A step citing a dated source, caused by a date the person gave before that day
    /// (or read before it), says the rule may have been different then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<String>,
}

/// `in_force` of a law passed but not in force when checked.
pub const NOT_YET_IN_FORCE: &str = "not yet";
/// `in_force` of a law whose start date the author looked for and could not confirm.
pub const IN_FORCE_NOT_CONFIRMED: &str = "not confirmed";

/// trees/contacts.json: every organisation and phone number, in one place.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactsFile {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub format: u32,
    pub contacts: BTreeMap<String, Contact>,
}

/// One organisation or helpline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    /// Phone number, only if confirmed from the organisation's own site. Leave out otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Opening hours, only if confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    /// Web address.
    pub web: String,
    /// Who it is for, in plain words.
    #[serde(rename = "for")]
    pub for_whom: String,
    /// Something to know before calling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Open on working days only (closed at weekends and on bank holidays), as the
    /// organisation's own page says: a summary prepared on a day it is closed says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weekdays_only: bool,
    /// When the number and hours were last checked (YYYY-MM-DD).
    pub checked: String,
}

/// trees/glossary.json: plain definitions of the words a parent meets.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlossaryFile {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub format: u32,
    pub terms: BTreeMap<String, GlossaryTerm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlossaryTerm {
    /// The word or phrase as it appears in text, e.g. "core group".
    pub term: String,
    /// Other ways of writing it, e.g. "CIN" for "child in need".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// One or two plain sentences.
    pub definition: String,
}

/// trees/questions.json: how people put each question of a catalogue (the options of a `multi`
/// node with `rank_by`) in their own words, so what they type finds the closest questions.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionsFile {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub format: u32,
    /// Option value of the catalogue question (e.g. "q_family_time") -> its phrasings and words.
    pub questions: BTreeMap<String, QuestionWords>,
}

/// The ways a person may ask one question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionWords {
    /// Whole questions as a person might type them, e.g. "can they stop me seeing my grandson".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phrasings: Vec<String>,
    /// Single words or short phrases that point to this question (synonyms, everyday words for
    /// the legal ones), e.g. "contact", "visit", "see".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
}

/// trees/audiences.json: who advice can be for. Each name is defined once, as a condition on the
/// facts the triage asks, and advice items name the audiences they are for (`"for"`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AudiencesFile {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub format: u32,
    /// Name (lower case and `_`) -> who it is. `everyone` is built in and is not defined here.
    pub audiences: BTreeMap<String, AudienceDef>,
}

/// One audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AudienceDef {
    /// Who they are, in plain words, to follow "for" (e.g. "a parent", "someone accused of
    /// harming a child").
    pub label: String,
    /// A condition on the triage's facts that is true for this person, e.g.
    /// `relationship in ['birth_mother', 'father_pr']`.
    pub when: String,
}

/// trees/bank-holidays.json: the England and Wales bank holidays used for working days.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BankHolidaysFile {
    pub format: u32,
    /// Where the dates come from.
    pub source: String,
    pub checked: String,
    /// Year -> that year's bank holidays.
    pub years: BTreeMap<String, BankHolidayYear>,
    /// Year -> a one-off change to the usual rules (a day added, a usual day moved), for the
    /// years worked out from the rules rather than listed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub one_off: BTreeMap<String, OneOffChange>,
}

/// A year's bank holidays that differ from the usual rules.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OneOffChange {
    /// What happened, for a reader of the file.
    pub why: String,
    /// Days added (YYYY-MM-DD).
    #[serde(default)]
    pub add: Vec<String>,
    /// Usual days that were not bank holidays that year (YYYY-MM-DD).
    #[serde(default)]
    pub remove: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BankHolidayYear {
    /// True when the dates are computed from the usual rules but not yet published.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    pub dates: Vec<String>,
}

/// pack.json: what a pack of trees says about itself. Every word a person reads that is not in
/// a tree (the start page, the disclaimer, the emergency line, where "Exit this page" goes)
/// comes from here; a folder without one runs with neutral wording (`Pack::neutral`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Signpost pack manifest (format 1)")]
pub struct PackManifest {
    /// Path to the JSON Schema, for editor completion. Ignored by Signpost.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Format version. Must be 1.
    pub format: u32,
    /// Short id of the pack, lower case with hyphens or underscores (e.g. "returns-example").
    /// Another pack reuses this one's data with `"extends"` and this id.
    pub id: String,
    /// What the pack covers, for authors and lists of packs (e.g. "Returning things you bought").
    pub title: String,
    /// The service's name, shown at the top of every screen and page (e.g. "Can I return it?").
    pub service: String,
    /// One paragraph for start pages: who this is for and what they get at the end.
    pub description: String,
    /// Where the advice applies, as in a tree's `jurisdictions`.
    pub jurisdictions: Vec<Jurisdiction>,
    /// The language of every text in the pack, as a tag (e.g. "en-GB"). Web pages declare it.
    pub language: String,
    /// One sentence shown with every summary and on every web page, e.g. "This is general
    /// information, not legal advice."
    pub disclaimer: String,
    /// A paragraph for start pages: what this is not, and where to get advice about one's own
    /// case.
    pub not_advice: String,
    /// Anything the service adds to what Signpost itself says about privacy (who runs it,
    /// whether anyone sees the answers). Shown on start pages after the engine's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy: Option<String>,
    /// Who the advice is for, as a plural noun in "\"X\" is for families in England only"
    /// (the notice when a walk skips advice for another place). Defaults to "people".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<String>,
    /// A line for someone in danger, and where to show it. Leave out when the subject has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency: Option<Emergency>,
    /// Where "Exit this page" (and leaving the wizard) sends the person: a neutral site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<ExitTo>,
    /// The pack whose contacts, glossary, letters, audiences and trees this pack reuses (its
    /// own entries win): "signpost-family-rights" (the built-in pack), or another pack's folder
    /// relative to this one (e.g. "../base-pack"), which may extend a further pack, at most 8
    /// deep. Without it nothing is laid under the pack's own files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Reusable text, by name, for every tree of this pack and of the packs that extend it:
    /// `{{ snippet.NAME }}` in any text of a tree (or a letter) puts it there. A tree's own
    /// snippet of the same name wins, and a nearer pack's wins over the pack it extends.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub snippets: BTreeMap<String, String>,
}

/// The emergency line and where it is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Emergency {
    /// One sentence, e.g. "If a child is in immediate danger, call 999."
    pub text: String,
    /// Where it is shown: `start` (start screens and pages), `every_page` (every web page and
    /// the plain mode's introduction), `summary` (with the disclaimer under every summary).
    pub show: Vec<EmergencyPlace>,
}

/// A place the emergency line can be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmergencyPlace {
    Start,
    EveryPage,
    Summary,
}

/// A neutral site to leave for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitTo {
    /// Its address (https).
    pub url: String,
    /// What it is, to follow "opens" on start pages (e.g. "the BBC weather page").
    pub name: String,
}
