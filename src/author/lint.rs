//! Lints: warnings about a tree that compiles but could be better (`--deny-warnings` makes them
//! errors). They run on a compiled library, so every id they see resolves.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use crate::core::calendar::{self, days_between};
use crate::core::compile::{compile, Flow, Inputs, Library, Origin, SourceFile};
use crate::core::diagnostics::{escape_segment, Diagnostic};
use crate::core::format::Node;

/// Settings for the lints.
#[derive(Debug, Clone)]
pub struct LintOptions {
    /// The day staleness is measured from.
    pub today: Date,
    /// Highest Flesch-Kincaid grade allowed for a question or advice text.
    pub max_grade: f64,
    /// Longest sentence allowed, in words.
    pub max_sentence_words: usize,
    /// Days after which a `checked` or `reviewed` date is stale.
    pub stale_after_days: i64,
    /// True when the library is a whole folder (or the built-in set), so contacts, glossary
    /// terms and letters that no tree uses can be told; false for one tree, since the trees
    /// beside it may use them.
    pub whole_folder: bool,
    /// The ids of the built-in trees. A built-in entry (or an unchanged copy of one) is only
    /// called unused when all of these are in the library; an entry made or changed beside the
    /// trees is judged over the trees there.
    pub builtin_trees: Vec<String>,
}

impl LintOptions {
    pub fn new(today: Date) -> Self {
        LintOptions {
            today,
            max_grade: 9.0,
            max_sentence_words: 25,
            stale_after_days: 365,
            whole_folder: true,
            builtin_trees: Vec::new(),
        }
    }
}

/// Every lint code and its meaning (docs/diagnostics.md documents each).
pub const LINTS: &[(&str, &str)] = &[
    (
        "W101",
        "an advice item, source, contact, letter or glossary term is defined but never used",
    ),
    (
        "W102",
        "a source or contact was last checked more than 12 months ago",
    ),
    ("W103", "a tree was last reviewed more than 12 months ago"),
    (
        "W104",
        "a text reads above the reading-level limit (Flesch-Kincaid grade, default 9)",
    ),
    ("W105", "a sentence is longer than 25 words"),
    (
        "W106",
        "an abbreviation in a question is not in the glossary",
    ),
    ("W107", "no declared example reaches a branch arm"),
    (
        "W108",
        "a condition is always true or always false for the answers it can see",
    ),
    (
        "W109",
        "two options of one question share a label or a value",
    ),
    (
        "W110",
        "a phone number is written in a text instead of contacts.json",
    ),
    (
        "W111",
        "a law (a legislation.gov.uk source) does not say when it took effect (`in_force`)",
    ),
    (
        "W112",
        "the published bank holidays end within a year and the list was last checked over three months ago",
    ),
    (
        "W113",
        "a glossary term from another pack (one this pack extends) matches this pack's text",
    ),
];

struct Out<'a> {
    files: &'a BTreeMap<String, &'a SourceFile>,
    locators: BTreeMap<String, crate::core::diagnostics::Locator>,
    list: Vec<Diagnostic>,
}

impl Out<'_> {
    fn warn(
        &mut self,
        code: &'static str,
        file: &str,
        pointer: String,
        message: String,
        help: &str,
    ) {
        let (line, column) = match self.files.get(file) {
            Some(f) => {
                let locator = self
                    .locators
                    .entry(file.to_string())
                    .or_insert_with(|| crate::core::diagnostics::Locator::new(&f.text));
                locator.locate(&f.text, &pointer)
            }
            None => (1, 1),
        };
        self.list.push(
            Diagnostic::warning(code, file, pointer, message)
                .with_help(help)
                .at(line, column),
        );
    }
}

/// What the trees use of the shared data, and all their text, gathered tree by tree.
#[derive(Default)]
struct Used {
    contacts: BTreeSet<String>,
    letters: BTreeSet<String>,
    /// Every question, help, option label, advice body and page body, for the glossary.
    text: String,
}

/// Runs every lint over a compiled library. `files` are the sources, for line numbers.
/// When a folder does not compile because some of its trees are broken, the library of the
/// others, so their warnings can still be found: the trees with an error are left out, then
/// any tree that fails without them (one that runs a broken tree), until the rest compiles.
/// `None` when an error is in shared data, or no tree is left.
pub fn library_of_the_rest(inputs: &Inputs, diagnostics: &[Diagnostic]) -> Option<Library> {
    let errors_in = |diags: &[Diagnostic]| -> BTreeSet<String> {
        diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.file.clone())
            .collect()
    };
    let mut broken = errors_in(diagnostics);
    let mut rest = inputs.clone();
    loop {
        let before = rest.trees.len();
        rest.trees.retain(|t| !broken.contains(&t.path));
        if rest.trees.len() == before || rest.trees.is_empty() {
            return None;
        }
        let compiled = compile(&rest);
        if compiled.library.is_some() {
            return compiled.library;
        }
        broken = errors_in(&compiled.diagnostics);
    }
}

pub fn lint(lib: &Library, files: &[&SourceFile], opts: &LintOptions) -> Vec<Diagnostic> {
    let by_path: BTreeMap<String, &SourceFile> =
        files.iter().map(|f| (f.path.clone(), *f)).collect();
    let mut out = Out {
        files: &by_path,
        locators: BTreeMap::new(),
        list: Vec::new(),
    };
    // Every glossary term and alias, lower case, worked out once.
    let known_terms: BTreeSet<String> = lib
        .glossary()
        .values()
        .flat_map(|t| {
            std::iter::once(t.term.to_lowercase()).chain(t.aliases.iter().map(|a| a.to_lowercase()))
        })
        .collect();
    let mut used = Used::default();
    for flow in lib.flows().values() {
        lint_tree(&mut out, lib, flow, opts, &known_terms, &mut used);
    }
    unreached_arms(&mut out, lib, opts);
    let shared = SharedLint {
        lib,
        files,
        opts,
        every_builtin_tree: opts
            .builtin_trees
            .iter()
            .all(|t| lib.flows().contains_key(t)),
    };
    shared.contacts(&mut out, &used);
    shared.letters(&mut out, &used);
    shared.glossary(&mut out, &used);
    shared.holidays(&mut out);
    borrowed_terms(&mut out, lib, opts);
    out.list
}

/// The folder a file is in ("trees/glossary.json" -> "trees").
fn folder_of(path: &str) -> &str {
    path.rfind(['/', '\\']).map_or("", |i| &path[..i])
}

/// W113: a tree's text matches a glossary term defined by another pack (one this pack
/// extends), whose meaning may not be the one meant here: "category" explained as a category
/// of abuse in a housing tree. Each term is reported once per tree, at its first text. A copy
/// of a built-in tree (same id) is of the same subject, so it is not judged.
fn borrowed_terms(out: &mut Out, lib: &Library, opts: &LintOptions) {
    let glossary = crate::core::glossary::Glossary::of(lib);
    let copies = |id: &str| opts.builtin_trees.iter().any(|b| b == id);
    for (id, flow) in lib.flows() {
        if copies(id) {
            continue;
        }
        let here = folder_of(flow.file());
        let mut seen = BTreeSet::new();
        for (pointer, text) in tree_texts(flow.tree()) {
            for (_, _, term) in glossary.find(&text) {
                let id = lib
                    .glossary()
                    .iter()
                    .find(|(_, t)| *t == term)
                    .map(|(id, _)| id);
                let Some(origin) = id.and_then(|id| lib.origins().glossary.get(id)) else {
                    continue;
                };
                if folder_of(&origin.file) == here || !seen.insert(term.term.clone()) {
                    continue;
                }
                out.warn(
                    "W113",
                    flow.file(),
                    pointer.clone(),
                    format!(
                        "\"{}\" is explained by {}, which this pack did not write: \"{}\"",
                        term.term, origin.file, term.definition
                    ),
                    "if that is not what it means here, define the term in this pack's glossary.json (its entry replaces the other), or reword the text",
                );
            }
        }
    }
}

/// Every text of a tree a person reads, with its pointer.
fn tree_texts(tree: &crate::core::format::TreeFile) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        if let Some(q) = node.question() {
            out.push((format!("/nodes/{i}/question"), q.to_string()));
        }
        if let Some(h) = node.help() {
            out.push((format!("/nodes/{i}/help"), h.to_string()));
        }
        if let Node::Info(n) = node {
            out.push((format!("/nodes/{i}/title"), n.title.clone()));
            out.push((format!("/nodes/{i}/body"), n.body.clone()));
        }
    }
    for (id, a) in &tree.advice {
        let at = escape_segment(id);
        out.push((format!("/advice/{at}/title"), a.title.clone()));
        out.push((format!("/advice/{at}/body"), a.body.clone()));
    }
    out
}

/// The lints of one tree: staleness, unused advice and sources, and its texts.
fn lint_tree(
    out: &mut Out,
    lib: &Library,
    flow: &Flow,
    opts: &LintOptions,
    known_terms: &BTreeSet<String>,
    used: &mut Used,
) {
    let tree = &flow.tree();
    let f = flow.file();
    staleness(out, flow, opts);
    let used_advice = advice_added(&tree.nodes);
    let mut used_sources = BTreeSet::new();
    for (id, a) in &tree.advice {
        if !used_advice.contains(id) {
            out.warn(
                "W101",
                f,
                format!("/advice/{}", escape_segment(id)),
                format!("advice `{id}` is never added by any node"),
                "add it to an option, rule, page or outcome, or delete it",
            );
        }
        used_sources.extend(a.sources.iter().cloned());
        used.contacts.extend(a.contacts.iter().cloned());
        used.letters.extend(a.letter.iter().cloned());
        texts(
            out,
            f,
            &format!("/advice/{}/title", escape_segment(id)),
            &a.title,
            opts,
            false,
        );
        texts(
            out,
            f,
            &format!("/advice/{}/body", escape_segment(id)),
            &a.body,
            opts,
            true,
        );
        used.text.push_str(&a.body);
        used.text.push('\n');
    }
    for id in tree.sources.keys() {
        if !used_sources.contains(id) {
            out.warn(
                "W101",
                f,
                format!("/sources/{}", escape_segment(id)),
                format!("source `{id}` is not cited by any advice item"),
                "cite it from the advice that relies on it, or delete it",
            );
        }
    }
    let cx = NodeLint {
        lib,
        file: f,
        opts,
        known_terms,
        fact_values: fact_values(&tree.nodes),
    };
    for (i, node) in tree.nodes.iter().enumerate() {
        cx.node(out, i, node, &mut used.text);
    }
}

/// Staleness of the tree (W103) and its sources (W102); laws with no start date (W111).
fn staleness(out: &mut Out, flow: &Flow, opts: &LintOptions) {
    let tree = &flow.tree();
    let f = flow.file();
    if let Some(reviewed) = calendar::parse_iso(&tree.reviewed) {
        if days_between(reviewed, opts.today) > opts.stale_after_days {
            out.warn(
                "W103",
                f,
                "/reviewed".into(),
                format!("this tree was last reviewed on {}", tree.reviewed),
                "read the whole tree against its sources, then update `reviewed`",
            );
        }
    }
    for (id, s) in &tree.sources {
        if s.in_force.is_none() && is_legislation(&s.url) {
            out.warn(
                "W111",
                f,
                format!("/sources/{}", escape_segment(id)),
                format!("source `{id}` is a law but does not say when it took effect"),
                "add \"in_force\": the YYYY-MM-DD the part cited took effect, \"not yet\", or \"not confirmed\"",
            );
        }
        if let Some(checked) = calendar::parse_iso(&s.checked) {
            if days_between(checked, opts.today) > opts.stale_after_days {
                out.warn("W102", f, format!("/sources/{}/checked", escape_segment(id)), format!("source `{id}` was last checked on {}", s.checked), "open the source, confirm it still says what the advice relies on, and update `checked`");
            }
        }
    }
}

/// True for an address on legislation.gov.uk, where every law has a start date to give.
fn is_legislation(url: &str) -> bool {
    let host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    host == "legislation.gov.uk" || host.ends_with(".legislation.gov.uk")
}

/// Every advice id some node adds.
fn advice_added(nodes: &[Node]) -> BTreeSet<String> {
    let mut used_advice = BTreeSet::new();
    for node in nodes {
        used_advice.extend(node.node_advice().iter().cloned());
        match node {
            Node::Choice(c) => c
                .options
                .iter()
                .for_each(|o| used_advice.extend(o.advice.iter().cloned())),
            Node::Multi(m) => m
                .options
                .iter()
                .for_each(|o| used_advice.extend(o.advice.iter().cloned())),
            Node::Branch(b) => b
                .rules
                .iter()
                .for_each(|r| used_advice.extend(r.advice.iter().cloned())),
            Node::Advise(a) => a
                .rules
                .iter()
                .for_each(|r| used_advice.extend(r.advice.iter().cloned())),
            _ => {}
        }
    }
    used_advice
}

/// What the lints of one node need besides the node.
struct NodeLint<'a> {
    lib: &'a Library,
    file: &'a str,
    opts: &'a LintOptions,
    known_terms: &'a BTreeSet<String>,
    fact_values: BTreeMap<&'a str, Option<Vec<minijinja::Value>>>,
}

impl NodeLint<'_> {
    /// The texts of one node, its options (W109) and its conditions (W108); its texts are added
    /// to `all_text`.
    fn node(&self, out: &mut Out, i: usize, node: &Node, all_text: &mut String) {
        let (f, opts) = (self.file, self.opts);
        let p = format!("/nodes/{i}");
        if let Some(q) = node.question() {
            texts(out, f, &format!("{p}/question"), q, opts, true);
            abbreviations(out, self.known_terms, f, &format!("{p}/question"), q);
            all_text.push_str(q);
            all_text.push('\n');
        }
        if let Some(h) = node.help() {
            texts(out, f, &format!("{p}/help"), h, opts, true);
            abbreviations(out, self.known_terms, f, &format!("{p}/help"), h);
            all_text.push_str(h);
            all_text.push('\n');
        }
        self.options(out, &p, node, all_text);
        if let Node::Info(info) = node {
            texts(out, f, &format!("{p}/body"), &info.body, opts, true);
            all_text.push_str(&info.body);
        }
        let whens: Vec<&str> = match node {
            Node::Branch(b) => b.rules.iter().map(|r| r.when.as_str()).collect(),
            Node::Advise(a) => a.rules.iter().map(|r| r.when.as_str()).collect(),
            _ => Vec::new(),
        };
        for (k, when) in whens.into_iter().enumerate() {
            constant_condition(
                out,
                self.lib,
                &self.fact_values,
                f,
                &format!("{p}/rules/{k}/when"),
                when,
            );
        }
    }

    /// Two options of one question with the same label or value (W109), and phone numbers in
    /// labels.
    fn options(&self, out: &mut Out, p: &str, node: &Node, all_text: &mut String) {
        let f = self.file;
        let labels = node.option_labels();
        let mut seen_labels = BTreeSet::new();
        let mut seen_values = BTreeSet::new();
        for (k, (label, value)) in labels.iter().enumerate() {
            all_text.push_str(label);
            all_text.push('\n');
            if !seen_labels.insert(label.to_lowercase()) {
                out.warn(
                    "W109",
                    f,
                    format!("{p}/options/{k}/label"),
                    format!("two options read \"{label}\""),
                    "a person cannot tell them apart: reword one",
                );
            }
            if !seen_values.insert(*value) {
                out.warn(
                    "W109",
                    f,
                    format!("{p}/options/{k}/value"),
                    format!("two options have the value `{value}`"),
                    "conditions cannot tell them apart: give each its own value",
                );
            }
            phone_numbers(out, f, &format!("{p}/options/{k}/label"), label);
        }
    }
}

/// Which branch arms the examples reach: walk every path and see (W107).
fn unreached_arms(out: &mut Out, lib: &Library, opts: &LintOptions) {
    for (tree_id, flow) in lib.flows() {
        // Only a walk of every path can say an arm is never reached; past the walk limit the
        // walk is a sample, and silence beats a false alarm.
        if crate::core::paths::count_paths(lib, tree_id)
            > crate::core::limits::MAX_WALKED_PATHS as u128 * 16
        {
            continue;
        }
        // Each state that can still change the route is walked once (`paths::reached`); past
        // the limit the walk is a sample, and silence beats a false alarm.
        let Ok(Some(walks)) = crate::core::paths::reached(
            lib,
            tree_id,
            opts.today,
            crate::core::limits::MAX_WALKED_PATHS,
        ) else {
            continue;
        };
        let visited = &walks.nodes;
        for (i, node) in flow.tree().nodes.iter().enumerate() {
            let Node::Branch(b) = node else { continue };
            if !visited.contains(format!("{tree_id}.{}", b.id).as_str()) {
                continue;
            }
            for (k, r) in b.rules.iter().enumerate() {
                if !walks
                    .arms
                    .contains(&(format!("{tree_id}.{}", b.id), Some(k)))
                {
                    out.warn("W107", flow.file(), format!("/nodes/{i}/rules/{k}/when"), format!("no declared example reaches this arm of `{}` (`{}`)", b.id, r.when), "add an example to the date, number or text question it reads that makes this condition true");
                }
            }
        }
    }
}

/// The lints of the shared data: contacts, letters and glossary terms nobody uses (W101), and
/// contacts not checked for a year (W102).
struct SharedLint<'a> {
    lib: &'a Library,
    files: &'a [&'a SourceFile],
    opts: &'a LintOptions,
    every_builtin_tree: bool,
}

impl SharedLint<'_> {
    /// Whether an entry can be called unused (see `LintOptions::whole_folder`).
    fn judge(&self, origin: Option<&Origin>) -> bool {
        self.opts.whole_folder && (origin.is_some_and(|o| o.local) || self.every_builtin_tree)
    }

    /// The file an entry came from, or the file whose name ends with `fallback`.
    fn file_of(&self, origin: Option<&Origin>, fallback: &str) -> String {
        origin.map(|o| o.file.clone()).unwrap_or_else(|| {
            self.files
                .iter()
                .find(|f| f.path.ends_with(fallback))
                .map(|f| f.path.clone())
                .unwrap_or_default()
        })
    }

    /// W112: the published bank holidays run out within a year and nobody has looked for the
    /// next ones lately. The years after the list are worked out from the rules, but a one-off
    /// day (a jubilee, a funeral) is only in the published list.
    fn holidays(&self, out: &mut Out) {
        let cal = self.lib.calendar();
        let Some(end) = jiff::civil::Date::new(cal.published_to(), 12, 31).ok() else {
            return;
        };
        // Only for a whole folder, not a tree checked on its own; the caller keeps it only when
        // the folder's own bank-holidays.json was read (not the built-in one).
        if !self.opts.whole_folder {
            return;
        }
        let soon = days_between(self.opts.today, end) <= 365;
        let stale = cal
            .checked()
            .is_none_or(|c| days_between(c, self.opts.today) > 92);
        if soon && stale {
            let file = self.file_of(None, "bank-holidays.json");
            out.warn(
                "W112",
                &file,
                "/checked".into(),
                format!(
                    "the published bank holidays end with {}, and the list was last checked on {}",
                    cal.published_to(),
                    cal.checked().map_or("no date".to_string(), |d| d.to_string())
                ),
                "look at https://www.gov.uk/bank-holidays: add any newly published year (with its one-off days), then update `checked`",
            );
        }
    }

    fn contacts(&self, out: &mut Out, used: &Used) {
        let lib = self.lib;
        for (id, c) in lib.contacts() {
            let origin = lib.origins().contacts.get(id);
            let contacts_file = self.file_of(origin, "contacts.json");
            if !used.contacts.contains(id) && self.judge(origin) {
                out.warn(
                    "W101",
                    &contacts_file,
                    format!("/contacts/{}", escape_segment(id)),
                    format!("contact `{id}` is not named by any advice item"),
                    "name it in the `contacts` of the advice it helps with, or delete it",
                );
            }
            if let Some(checked) = calendar::parse_iso(&c.checked) {
                if days_between(checked, self.opts.today) > self.opts.stale_after_days {
                    out.warn("W102", &contacts_file, format!("/contacts/{}/checked", escape_segment(id)), format!("`{}` was last checked on {}", c.name, c.checked), "check the number and hours on the organisation's own site, then update `checked`");
                }
            }
        }
    }

    fn letters(&self, out: &mut Out, used: &Used) {
        for (id, l) in self.lib.letters() {
            if !used.letters.contains(id) && self.judge(self.lib.origins().letters.get(id)) {
                out.warn(
                    "W101",
                    &l.file,
                    String::new(),
                    format!("letter `{id}` is not attached to any advice item"),
                    "name it in an advice item's `letter`, or delete it",
                );
            }
            phone_numbers(out, &l.file.clone(), "", &l.body);
        }
    }

    fn glossary(&self, out: &mut Out, used: &Used) {
        let lib = self.lib;
        let lower = used.text.to_lowercase();
        let letters_text: String = lib
            .letters()
            .values()
            .map(|l| l.body.to_lowercase())
            .collect();
        for (id, t) in lib.glossary() {
            let origin = lib.origins().glossary.get(id);
            if !self.judge(origin) {
                continue;
            }
            let glossary_file = self.file_of(origin, "glossary.json");
            let names = std::iter::once(&t.term).chain(&t.aliases);
            let used = names.into_iter().any(|n| {
                lower.contains(&n.to_lowercase()) || letters_text.contains(&n.to_lowercase())
            });
            if !used {
                out.warn(
                    "W101",
                    &glossary_file,
                    format!("/terms/{}", escape_segment(id)),
                    format!("glossary term \"{}\" does not appear in any tree", t.term),
                    "delete it, or check the spelling against the trees",
                );
            }
        }
    }
}

/// Reading level, sentence length and inline phone numbers of one text.
fn texts(out: &mut Out, file: &str, pointer: &str, text: &str, opts: &LintOptions, grade_it: bool) {
    let plain = strip_template(text);
    phone_numbers(out, file, pointer, &plain);
    for sentence in sentences(&plain) {
        let n = words(sentence).len();
        if n > opts.max_sentence_words {
            let start: String = sentence
                .split_whitespace()
                .take(8)
                .collect::<Vec<_>>()
                .join(" ");
            out.warn(
                "W105",
                file,
                pointer.to_string(),
                format!("a sentence of {n} words (\"{start} ...\")"),
                "split it in two: short sentences are easier to read when you are worried",
            );
        }
    }
    if grade_it {
        if let Some(grade) = flesch_kincaid_grade(&plain) {
            if grade > opts.max_grade {
                out.warn(
                    "W104",
                    file,
                    pointer.to_string(),
                    format!(
                        "this text reads at grade {grade:.1}, above the limit of {}",
                        opts.max_grade
                    ),
                    "use shorter sentences and everyday words",
                );
            }
        }
    }
}

/// Template tags replaced by a placeholder word, so they count as one word.
fn strip_template(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('{') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(['{']) {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let close = if after.starts_with("{{") {
            "}}"
        } else if after.starts_with("{%") {
            "%}"
        } else {
            ""
        };
        if close.is_empty() {
            out.push('{');
            rest = &after[1..];
            continue;
        }
        match after.find(close) {
            Some(end) => {
                if close == "}}" {
                    out.push_str("date");
                }
                rest = &after[end + 2..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The sentences of a text, trimmed, as slices of it (no copies).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '?' | '!' | ':' | '\n') {
            let end = i + c.len_utf8();
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect()
}

/// Vowel groups, less a silent final e; at least one.
fn syllables(word: &str) -> usize {
    let w = word.to_lowercase();
    let mut count = 0;
    let mut prev_vowel = false;
    for c in w.chars() {
        let v = "aeiouy".contains(c);
        if v && !prev_vowel {
            count += 1;
        }
        prev_vowel = v;
    }
    if w.ends_with('e') && !w.ends_with("le") && count > 1 {
        count -= 1;
    }
    count.max(1)
}

/// Flesch-Kincaid grade level; None for texts too short to grade fairly.
pub(crate) fn flesch_kincaid_grade(text: &str) -> Option<f64> {
    let ws = words(text);
    if ws.len() < 30 {
        return None;
    }
    let s = sentences(text).len().max(1) as f64;
    let w = ws.len() as f64;
    let syl: usize = ws.iter().map(|w| syllables(w)).sum();
    Some(0.39 * (w / s) + 11.8 * (syl as f64 / w) - 15.59)
}

/// All-capital abbreviations (CIN, ICPC) that the glossary does not explain.
fn abbreviations(out: &mut Out, known: &BTreeSet<String>, file: &str, pointer: &str, text: &str) {
    for w in words(text) {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        let abbreviation = letters.len() >= 2
            && letters.iter().all(|c| c.is_uppercase())
            && !matches!(w, "UK" | "OK" | "NHS");
        if abbreviation && !known.contains(&w.to_lowercase()) {
            out.warn(
                "W106",
                file,
                pointer.to_string(),
                format!("\"{w}\" is not in the glossary"),
                "write it out in full, or add it to glossary.json (as a term or an alias)",
            );
        }
    }
}

/// A run of 10 or more digits (spaces allowed), or a UK number shape, written in a text.
fn phone_numbers(out: &mut Out, file: &str, pointer: &str, text: &str) {
    let mut digits = 0;
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once('|')) {
        if c.is_ascii_digit() {
            digits += 1;
            run.push(c);
        } else if c == ' ' && digits > 0 {
            run.push(c);
        } else {
            // A UK number has 10 or 11 digits; 116 numbers (Samaritans: 116 123) are written so.
            let helpline_116 = digits == 6 && run.trim().len() == 7 && run.starts_with("116 ");
            if digits >= 10 || helpline_116 {
                out.warn("W110", file, pointer.to_string(), format!("\"{}\" looks like a phone number", run.trim()), "put the number in contacts.json (with the date you checked it) and name the contact in the advice");
            }
            digits = 0;
            run.clear();
        }
    }
}

/// For each fact, the distinct values its questions can give (None when a date, number or text
/// question sets it), worked out once per tree.
fn fact_values(nodes: &[Node]) -> BTreeMap<&str, Option<Vec<minijinja::Value>>> {
    let mut seen: BTreeMap<&str, Option<BTreeSet<Vec<String>>>> = BTreeMap::new();
    for node in nodes {
        let Some(fact) = node.fact() else { continue };
        let entry = seen.entry(fact).or_insert_with(|| Some(BTreeSet::new()));
        let Some(values) = entry else { continue };
        match node {
            Node::Choice(c) => values.extend(c.options.iter().map(|o| vec![o.value.clone()])),
            Node::Multi(m) => {
                // A list: each option alone, and all the non-exclusive ones together.
                values.extend(
                    m.options
                        .iter()
                        .map(|o| vec!["[]".to_string(), o.value.clone()]),
                );
                let mut all = vec!["[]".to_string()];
                all.extend(
                    m.options
                        .iter()
                        .filter(|o| !o.exclusive)
                        .map(|o| o.value.clone()),
                );
                values.insert(all);
            }
            _ => *entry = None,
        }
    }
    seen.into_iter()
        .map(|(fact, values)| {
            let values = values.map(|set| {
                set.into_iter()
                    .map(|v| match v.first().map(String::as_str) {
                        Some("[]") => minijinja::Value::from(v[1..].to_vec()),
                        _ => minijinja::Value::from(v[0].clone()),
                    })
                    .collect()
            });
            (fact, values)
        })
        .collect()
}

/// A condition that reads only choice and multi facts, tried against every combination of their
/// values (bounded), that never changes.
fn constant_condition(
    out: &mut Out,
    lib: &Library,
    fact_values: &BTreeMap<&str, Option<Vec<minijinja::Value>>>,
    file: &str,
    pointer: &str,
    when: &str,
) {
    // Not `check_expression`: its cache is for walks, and this visits every rule once.
    let Ok(reads) = lib.expr().analyse_expression(when).map(|a| a.all_reads()) else {
        return;
    };
    if reads.is_empty() {
        // Reads only `today` or nothing: it can only change with the date.
        if !when.contains("today") {
            if let Ok(v) = lib
                .expr()
                .eval_condition(when, &crate::core::expr::Facts::new())
            {
                out.warn(
                    "W108",
                    file,
                    pointer.to_string(),
                    format!("this condition is always {v}"),
                    "it reads no answer: remove the rule or fix the condition",
                );
            }
        }
        return;
    }
    // The values each fact can take, from the questions that set it.
    let mut domains: Vec<(String, Vec<minijinja::Value>)> = Vec::new();
    for fact in &reads {
        match fact_values.get(fact.as_str()) {
            Some(Some(values)) if !values.is_empty() => {
                domains.push((fact.clone(), values.clone()))
            }
            _ => return, // set by a date, number or text question: too many values to try
        }
    }
    let total: usize = domains.iter().map(|(_, v)| v.len()).product();
    if total > 4096 {
        return;
    }
    let mut results = BTreeSet::new();
    for i in 0..total {
        let mut facts = crate::core::expr::Facts::new();
        let mut rest = i;
        for (name, vals) in &domains {
            facts.insert(name.clone(), vals[rest % vals.len()].clone());
            rest /= vals.len();
        }
        match lib.expr().eval_condition(when, &facts) {
            Ok(v) => {
                results.insert(v);
            }
            Err(_) => return,
        }
        if results.len() > 1 {
            return;
        }
    }
    if let Some(v) = results.into_iter().next() {
        out.warn(
            "W108",
            file,
            pointer.to_string(),
            format!("this condition is always {v} for every answer it reads"),
            "check the values it compares against the options' `value`s",
        );
    }
}
