//! Compile: tree files in, a proven `Library` of flows out (or every problem found, never only
//! the first). Each tree becomes a petgraph graph whose node indices are the positions of the
//! nodes in the file, so no second lookup table is needed.
//!
//! What a compiled Library guarantees (docs/architecture.md lists these as invariants): no
//! dangling ids, no duplicate ids, no unreachable node, no cycle, no dead end, no loop of trees
//! running each other, and every fact read by a condition or template is set on every path that
//! reaches it.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::core::calendar::{self, Calendar};
use crate::core::diagnostics::{escape_segment, nearest, Diagnostic};
use crate::core::expr::{self, Expr};
use crate::core::format::*;
use crate::core::limits;

/// A file's name (as it should appear in diagnostics) and its text. The caller reads files;
/// compiling never touches the disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// Everything a library is built from.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub trees: Vec<SourceFile>,
    pub contacts: SourceFile,
    pub glossary: SourceFile,
    pub holidays: SourceFile,
    /// Files named `<letter id>.md`: a `# Title` line, then the template.
    pub letters: Vec<SourceFile>,
    /// Contacts, glossary terms and letters kept beside the trees, laid over the ones above.
    pub local: Local,
}

impl Inputs {
    /// Every file, built-in and local: trees, shared data, then letters.
    pub fn files(&self) -> Vec<&SourceFile> {
        self.trees
            .iter()
            .chain([&self.contacts, &self.glossary, &self.holidays])
            .chain(&self.letters)
            .chain(self.local.contacts.iter())
            .chain(self.local.glossary.iter())
            .chain(&self.local.letters)
            .collect()
    }
}

/// Shared data kept beside the trees (a `contacts.json`, `glossary.json` or `letters/` in their
/// folder). Each entry adds to the built-in data, or replaces the built-in entry with its id.
#[derive(Debug, Clone, Default)]
pub struct Local {
    /// The folder they are in, named in hints ("add it to mine/contacts.json").
    pub folder: Option<String>,
    pub contacts: Option<SourceFile>,
    pub glossary: Option<SourceFile>,
    pub letters: Vec<SourceFile>,
}

/// Where a contact, glossary term or letter in a library came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file it was read from.
    pub file: String,
    /// True when it is new or changed in a local file; false when it is the built-in entry (or
    /// an unchanged copy of it).
    pub local: bool,
}

/// A local entry that replaces a built-in one with the same id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// "contact", "glossary term" or "letter".
    pub kind: &'static str,
    pub id: String,
    /// The local file that replaces it, and the built-in file it replaces.
    pub file: String,
    pub replaces: String,
}

/// Where each shared entry of a library came from.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    pub contacts: BTreeMap<String, Origin>,
    pub glossary: BTreeMap<String, Origin>,
    pub letters: BTreeMap<String, Origin>,
    /// Local entries that replace built-in ones (`check` says so).
    pub overrides: Vec<Override>,
}

impl Origins {
    /// Lays `local` (read from `file`) over `base`, whose entries came from `base_file`.
    fn layer<T: PartialEq>(
        kind: &'static str,
        base: &mut BTreeMap<String, T>,
        origins: &mut BTreeMap<String, Origin>,
        overrides: &mut Vec<Override>,
        local: BTreeMap<String, T>,
        file: &str,
    ) {
        for (id, entry) in local {
            let changed = match base.get(&id) {
                Some(old) if *old == entry => false,
                Some(_) => {
                    overrides.push(Override {
                        kind,
                        id: id.clone(),
                        file: file.to_string(),
                        replaces: origins.get(&id).map(|o| o.file.clone()).unwrap_or_default(),
                    });
                    true
                }
                None => true,
            };
            origins.insert(
                id.clone(),
                Origin {
                    file: file.to_string(),
                    local: changed,
                },
            );
            base.insert(id, entry);
        }
    }
}

/// A letter template, filled in from the answers when the summary is made.
#[derive(Debug, Clone)]
pub struct Letter {
    pub id: String,
    pub title: String,
    pub body: String,
    pub file: String,
}

/// Two letters are the same when they read the same, wherever their files are.
impl PartialEq for Letter {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.title == other.title && self.body == other.body
    }
}

/// How an edge leaves its node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edge {
    /// The option at this index of a `choice` node.
    Option(usize),
    /// The rule at this index of a `branch` node.
    Rule(usize),
    /// A branch's `otherwise`.
    Otherwise,
    /// The single `next` of any other node.
    Next,
}

/// One compiled tree.
#[derive(Debug)]
pub struct Flow {
    pub file: String,
    pub tree: TreeFile,
    /// Node index i is `tree.nodes[i]`.
    pub graph: DiGraph<(), Edge>,
    pub index: HashMap<String, NodeIndex>,
    pub start: NodeIndex,
    /// Longest number of screens (questions and pages) from each node to an outcome, counting
    /// the node itself; used for "about N questions left".
    pub remaining: Vec<u32>,
    /// Facts read by each advice item's body, due date and letter.
    pub advice_reads: BTreeMap<String, BTreeSet<String>>,
    /// Facts read by each advice item's body and due date only: the answers that explain it.
    pub advice_text_reads: BTreeMap<String, BTreeSet<String>>,
}

impl Flow {
    pub fn node(&self, ix: NodeIndex) -> &Node {
        &self.tree.nodes[ix.index()]
    }

    pub fn node_by_id(&self, id: &str) -> Option<(NodeIndex, &Node)> {
        self.index.get(id).map(|&ix| (ix, self.node(ix)))
    }

    /// True when the tree's advice only applies in some nations.
    pub fn is_restricted(&self) -> bool {
        !self.tree.jurisdictions.contains(&Jurisdiction::Any)
    }

    /// Where this node goes for an edge kind (used by the session).
    pub fn target(&self, from: NodeIndex, edge: Edge) -> Option<NodeIndex> {
        self.graph
            .edges_directed(from, Direction::Outgoing)
            .find(|e| *e.weight() == edge)
            .map(|e| e.target())
    }
}

/// A set of compiled trees with the shared data they use.
#[derive(Debug)]
pub struct Library {
    pub flows: BTreeMap<String, Flow>,
    pub contacts: BTreeMap<String, Contact>,
    pub glossary: BTreeMap<String, GlossaryTerm>,
    pub letters: BTreeMap<String, Letter>,
    pub calendar: Arc<Calendar>,
    pub expr: Expr,
    /// When the bank-holiday dates were last checked.
    pub holidays_checked: String,
    /// Where each contact, glossary term and letter came from (built in, or beside the trees).
    pub origins: Origins,
}

impl Library {
    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.flows.get(id)
    }
}

/// The result of compiling: the library if there were no errors, and every diagnostic.
#[derive(Debug)]
pub struct Compiled {
    pub library: Option<Library>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The well-known fact that says where the family lives; single-nation trees need it.
pub const NATION_FACT: &str = "nation";

/// Compiles every tree with the shared data. Never panics on any input.
pub fn compile(inputs: &Inputs) -> Compiled {
    let mut diags = Diagnostics::default();

    let mut contacts: Option<ContactsFile> = diags.parse_shared(&inputs.contacts);
    let mut glossary: Option<GlossaryFile> = diags.parse_shared(&inputs.glossary);
    let holidays: Option<BankHolidaysFile> = diags.parse_shared(&inputs.holidays);
    let calendar = holidays
        .as_ref()
        .and_then(|h| match Calendar::from_file(h) {
            Ok(c) => Some(Arc::new(c)),
            Err(e) => {
                diags.push(
                    &inputs.holidays,
                    Diagnostic::error("E023", &inputs.holidays.path, "/years", e),
                );
                None
            }
        });
    let local_contacts: Option<(&SourceFile, ContactsFile)> = inputs
        .local
        .contacts
        .as_ref()
        .and_then(|f| Some((f, diags.parse_shared(f)?)));
    let local_glossary: Option<(&SourceFile, GlossaryFile)> = inputs
        .local
        .glossary
        .as_ref()
        .and_then(|f| Some((f, diags.parse_shared(f)?)));
    for (file, c) in contacts
        .as_ref()
        .map(|c| (&inputs.contacts, c))
        .into_iter()
        .chain(local_contacts.as_ref().map(|(f, c)| (*f, c)))
    {
        for (id, contact) in &c.contacts {
            check_date(
                &mut diags,
                file,
                &format!("/contacts/{}/checked", escape_segment(id)),
                &contact.checked,
            );
        }
    }
    if let Some(h) = &holidays {
        check_date(&mut diags, &inputs.holidays, "/checked", &h.checked);
    }
    if let Some(c) = &contacts {
        check_contact_controls(&mut diags, &inputs.contacts, c);
    }
    if let Some(g) = &glossary {
        check_glossary_controls(&mut diags, &inputs.glossary, g);
    }
    if let Some((file, c)) = &local_contacts {
        check_contact_controls(&mut diags, file, c);
    }
    if let Some((file, g)) = &local_glossary {
        check_glossary_controls(&mut diags, file, g);
    }
    let (mut letters, mut broken_letters) = parse_letters(&mut diags, &inputs.letters);
    let (local_letters, local_broken) = parse_letters(&mut diags, &inputs.local.letters);
    broken_letters.extend(local_broken);

    // Local data over the built-in data, remembering where each entry came from.
    let mut origins = Origins::default();
    let from = |ids: Vec<&String>, file: &SourceFile| -> BTreeMap<String, Origin> {
        ids.into_iter()
            .map(|id| {
                let origin = Origin {
                    file: file.path.clone(),
                    local: false,
                };
                (id.clone(), origin)
            })
            .collect()
    };
    origins.contacts = from(
        contacts.iter().flat_map(|c| c.contacts.keys()).collect(),
        &inputs.contacts,
    );
    origins.glossary = from(
        glossary.iter().flat_map(|g| g.terms.keys()).collect(),
        &inputs.glossary,
    );
    origins.letters = letters
        .values()
        .map(|l| {
            let origin = Origin {
                file: l.file.clone(),
                local: false,
            };
            (l.id.clone(), origin)
        })
        .collect();
    if let (Some(base), Some((file, local))) = (contacts.as_mut(), local_contacts) {
        Origins::layer(
            "contact",
            &mut base.contacts,
            &mut origins.contacts,
            &mut origins.overrides,
            local.contacts,
            &file.path,
        );
    }
    if let (Some(base), Some((file, local))) = (glossary.as_mut(), local_glossary) {
        Origins::layer(
            "glossary term",
            &mut base.terms,
            &mut origins.glossary,
            &mut origins.overrides,
            local.terms,
            &file.path,
        );
    }
    for (id, letter) in local_letters {
        let file = letter.file.clone();
        Origins::layer(
            "letter",
            &mut letters,
            &mut origins.letters,
            &mut origins.overrides,
            BTreeMap::from([(id, letter)]),
            &file,
        );
    }
    // The folder where a missing contact or letter would go.
    let folder = inputs.local.folder.as_deref().unwrap_or("trees");

    // Without a calendar no date can be checked; a fallback keeps the tree checks going.
    let expr_calendar = calendar
        .clone()
        .unwrap_or_else(|| Arc::new(Calendar::uncovered()));
    let expr = Expr::new(expr_calendar.clone());

    let empty_contacts = BTreeMap::new();
    let shared = Shared {
        contacts: contacts
            .as_ref()
            .map(|c| &c.contacts)
            .unwrap_or(&empty_contacts),
        letters: &letters,
        broken_letters: &broken_letters,
        folder,
        expr: &expr,
        calendar: &expr_calendar,
    };

    // Parse and check each tree on its own.
    let mut parsed: Vec<(usize, TreeFile, Broken)> = Vec::new();
    let mut tree_files: BTreeMap<String, usize> = BTreeMap::new();
    // A second tree with an id already taken is still checked, so a copy's own problems show.
    let mut duplicates: Vec<(usize, TreeFile, Broken)> = Vec::new();
    for (i, file) in inputs.trees.iter().enumerate() {
        let Some((tree, broken)) = parse_tree(&mut diags, file) else {
            continue;
        };
        if let Some(&first) = tree_files.get(&tree.id) {
            diags.push(
                file,
                Diagnostic::error(
                    "E021",
                    &file.path,
                    "/id",
                    format!("another tree already has the id `{}`", tree.id),
                )
                .with_help(format!(
                    "{} uses it too; give each tree its own id",
                    inputs.trees[first].path
                )),
            );
            duplicates.push((i, tree, broken));
            continue;
        }
        tree_files.insert(tree.id.clone(), i);
        parsed.push((i, tree, broken));
    }
    // Tree id -> whether its advice is only for some nations.
    let known_trees: BTreeMap<String, bool> = parsed
        .iter()
        .map(|(_, t, _)| (t.id.clone(), !t.jurisdictions.contains(&Jurisdiction::Any)))
        .collect();
    // Tree id -> the facts it must be given (its `inputs`).
    let tree_inputs: BTreeMap<String, Vec<String>> = parsed
        .iter()
        .map(|(_, t, _)| (t.id.clone(), t.inputs.clone()))
        .collect();

    let check = |diags: &mut Diagnostics, (i, tree, broken): (usize, TreeFile, Broken)| {
        let file = &inputs.trees[i];
        check_tree(
            diags,
            file,
            tree,
            &broken,
            &shared,
            &known_trees,
            &tree_inputs,
        )
    };
    let mut flows = BTreeMap::new();
    for entry in parsed {
        if let Some(flow) = check(&mut diags, entry) {
            flows.insert(flow.tree.id.clone(), flow);
        }
    }
    // A duplicate's own problems are still reported, but it joins no library.
    for entry in duplicates {
        let _ = check(&mut diags, entry);
    }
    check_tree_loops(&mut diags, inputs, &flows, &tree_files);
    check_covered_by(&mut diags, inputs, &flows, &tree_files);
    count_sub_flow_screens(&mut flows);

    let has_errors = diags.list.iter().any(|d| d.is_error());
    let library = match (has_errors, calendar, contacts, glossary) {
        (false, Some(calendar), Some(contacts), Some(glossary)) => Some(Library {
            flows,
            contacts: contacts.contacts,
            glossary: glossary.terms,
            letters,
            calendar,
            expr,
            holidays_checked: holidays.map(|h| h.checked).unwrap_or_default(),
            origins,
        }),
        _ => None,
    };
    Compiled {
        library,
        diagnostics: diags.list,
    }
}

struct Shared<'a> {
    contacts: &'a BTreeMap<String, Contact>,
    letters: &'a BTreeMap<String, Letter>,
    /// Letters that exist but did not parse (already reported).
    broken_letters: &'a BTreeSet<String>,
    /// The folder where local contacts and letters go, for hints.
    folder: &'a str,
    expr: &'a Expr,
    calendar: &'a Calendar,
}

#[derive(Default)]
struct Diagnostics {
    list: Vec<Diagnostic>,
    /// One locator per file, made the first time that file has something to report.
    locators: HashMap<String, crate::core::diagnostics::Locator>,
}

impl Diagnostics {
    /// Adds a diagnostic, working out its line and column from the pointer if it has none.
    fn push(&mut self, file: &SourceFile, mut d: Diagnostic) {
        if d.line == 0 {
            let locator = self
                .locators
                .entry(file.path.clone())
                .or_insert_with(|| crate::core::diagnostics::Locator::new(&file.text));
            let (line, column) = locator.locate(&file.text, &d.pointer);
            d.line = line;
            d.column = column;
        }
        self.list.push(d);
    }

    fn parse_shared<T: DeserializeOwned>(&mut self, file: &SourceFile) -> Option<T> {
        let value = self.parse_json(file)?;
        if !self.check_format(file, &value) {
            return None;
        }
        self.deserialize(file, "", value)
    }

    /// Size and nesting limits, checked before any parsing.
    fn within_limits(&mut self, file: &SourceFile) -> bool {
        if file.text.len() as u64 > limits::MAX_FILE_BYTES {
            let d = Diagnostic::error(
                "E024",
                &file.path,
                "",
                format!(
                    "the file is {} bytes; the limit is {}",
                    file.text.len(),
                    limits::MAX_FILE_BYTES
                ),
            )
            .with_help("split it into several trees run with `flow` nodes (docs/limits.md)")
            .at(1, 1);
            self.push(file, d);
            return false;
        }
        let depth = limits::nesting_depth(&file.text);
        if depth > limits::MAX_DEPTH {
            let d = Diagnostic::error("E024", &file.path, "", format!("the JSON nests {depth} levels deep; the limit is {}", limits::MAX_DEPTH))
                .with_help("a tree needs about 6 levels; look for brackets opened and never closed (docs/limits.md)")
                .at(1, 1);
            self.push(file, d);
            return false;
        }
        true
    }

    fn syntax_error(&mut self, file: &SourceFile, e: &serde_json::Error) {
        let mut message = e.to_string();
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        let d = Diagnostic::error(
            "E001",
            &file.path,
            "",
            format!("this is not valid JSON: {message}"),
        )
        .with_help("look for a missing comma, quote or bracket just before this point")
        .at(e.line().max(1), e.column().max(1));
        self.push(file, d);
    }

    fn parse_json(&mut self, file: &SourceFile) -> Option<Value> {
        if !self.within_limits(file) {
            return None;
        }
        match serde_json::from_str::<Value>(&file.text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.syntax_error(file, &e);
                None
            }
        }
    }

    fn check_format(&mut self, file: &SourceFile, value: &Value) -> bool {
        match value.get("format") {
            Some(Value::Number(n)) if n.as_u64() == Some(FORMAT_VERSION as u64) => true,
            Some(other) => {
                self.push(
                    file,
                    Diagnostic::error("E002", &file.path, "/format", format!("format {other} is not one this version of Signpost understands"))
                        .with_help(format!("this build reads format {FORMAT_VERSION}; a newer file needs a newer Signpost")),
                );
                false
            }
            None if value.is_object() => {
                self.push(
                    file,
                    Diagnostic::error("E003", &file.path, "", "the file has no `format` field")
                        .with_help(format!("add \"format\": {FORMAT_VERSION} at the top")),
                );
                false
            }
            None => {
                self.push(
                    file,
                    Diagnostic::error(
                        "E003",
                        &file.path,
                        "",
                        "the file must hold a JSON object { ... }",
                    ),
                );
                false
            }
        }
    }

    /// Deserializes one value, reporting a precise pointer on failure.
    fn deserialize<T: DeserializeOwned>(
        &mut self,
        file: &SourceFile,
        base: &str,
        value: Value,
    ) -> Option<T> {
        serde_path_to_error::deserialize::<_, T>(value)
            .map_err(|e| self.report_shape(file, base, e))
            .ok()
    }

    /// Like `deserialize`, straight from a slice of the file's text (no JSON value in between).
    /// The base pointer is built only when there is something to report; a value that reads
    /// cleanly is read once, without tracking where in it the reader is.
    fn deserialize_raw<T: DeserializeOwned>(
        &mut self,
        file: &SourceFile,
        base: impl FnOnce() -> String,
        raw: &RawValue,
    ) -> Option<T> {
        if let Ok(v) = serde_json::from_str::<T>(raw.get()) {
            return Some(v);
        }
        let mut de = serde_json::Deserializer::from_str(raw.get());
        serde_path_to_error::deserialize::<_, T>(&mut de)
            .map_err(|e| self.report_shape(file, &base(), e))
            .ok()
    }

    /// Reports a value of the wrong shape, pointing at the field itself where it can.
    fn report_shape<E: std::fmt::Display>(
        &mut self,
        file: &SourceFile,
        base: &str,
        err: serde_path_to_error::Error<E>,
    ) {
        let mut pointer = base.to_string();
        for seg in err.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => {
                    pointer.push_str(&format!("/{index}"))
                }
                serde_path_to_error::Segment::Map { key } => {
                    pointer.push('/');
                    pointer.push_str(&escape_segment(key));
                }
                _ => {}
            }
        }
        let mut message = err.inner().to_string();
        // The position serde gives is within one node's text; the pointer gives the real one.
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        let help = shape_help(&message);
        if let Some(field) = between_backticks(&message, "unknown field `") {
            if !pointer.ends_with(&format!("/{}", escape_segment(&field))) {
                pointer.push('/');
                pointer.push_str(&escape_segment(&field));
            }
        }
        let mut d = Diagnostic::error("E003", &file.path, pointer, message);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.push(file, d);
    }
}

fn between_backticks(message: &str, prefix: &str) -> Option<String> {
    let start = message.find(prefix)? + prefix.len();
    let end = message[start..].find('`')? + start;
    Some(message[start..end].to_string())
}

fn shape_help(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some("remove it, or check its spelling against the list above (docs/authoring.md lists every field)".into())
    } else if message.starts_with("missing field") {
        Some("add the field; docs/authoring.md shows an example of every node type".into())
    } else if message.starts_with("unknown variant") {
        Some(
            "`type` must be one of: choice, multi, date, number, text, info, branch, outcome, flow"
                .into(),
        )
    } else {
        None
    }
}

fn check_date(diags: &mut Diagnostics, file: &SourceFile, pointer: &str, value: &str) {
    if calendar::parse_iso(value).is_none() {
        diags.push(
            file,
            Diagnostic::error(
                "E018",
                &file.path,
                pointer,
                format!("`{value}` is not a real date"),
            )
            .with_help("write dates as YYYY-MM-DD, e.g. 2026-11-20"),
        );
    }
}

fn is_node_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn is_tree_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn is_fact_name(s: &str) -> bool {
    is_node_id(s)
        && !s.as_bytes()[0].is_ascii_digit()
        && s != expr::TODAY
        && !expr::FUNCTIONS.contains(&s)
        && !matches!(
            s,
            "true" | "false" | "none" | "and" | "or" | "not" | "in" | "is" | "if" | "else"
        )
}

fn parse_letters(
    diags: &mut Diagnostics,
    files: &[SourceFile],
) -> (BTreeMap<String, Letter>, BTreeSet<String>) {
    let mut letters = BTreeMap::new();
    let mut broken = BTreeSet::new();
    for file in files {
        let name = file.path.rsplit(['/', '\\']).next().unwrap_or(&file.path);
        let id = name.trim_end_matches(".md").to_string();
        let mut lines = file.text.splitn(2, '\n');
        let first = lines.next().unwrap_or("").trim_end();
        let Some(title) = first.strip_prefix("# ") else {
            diags.push(
                file,
                Diagnostic::error(
                    "E023",
                    &file.path,
                    "",
                    "a letter must start with a title line: `# Title`",
                )
                .with_help(
                    "make the first line `# ` and the letter's name, e.g. `# Asking for stage 2`",
                )
                .at(1, 1),
            );
            broken.insert(id);
            continue;
        };
        if !letter_is_inert(diags, file) {
            broken.insert(id);
            continue;
        }
        letters.insert(
            id.clone(),
            Letter {
                id,
                title: title.trim().to_string(),
                body: lines.next().unwrap_or("").trim().to_string(),
                file: file.path.clone(),
            },
        );
    }
    (letters, broken)
}

/// Parts of a tree that did not parse. They were reported already; the rest of the tree is
/// still checked, and references to these ids are not reported a second time.
#[derive(Default)]
struct Broken {
    advice: BTreeSet<String>,
    sources: BTreeSet<String>,
}

/// Just the `format` field, read whatever else the file holds.
#[derive(serde::Deserialize)]
struct FormatOnly {
    format: Option<Value>,
}

/// Just the `id`, to keep a broken node's place.
#[derive(serde::Deserialize)]
struct IdOnly {
    #[serde(default)]
    id: String,
}

fn parse_tree(diags: &mut Diagnostics, file: &SourceFile) -> Option<(TreeFile, Broken)> {
    if !diags.within_limits(file) {
        return None;
    }
    // The outer shape first, with each node, advice item and source kept as raw text; each is
    // then read on its own, so every broken one is reported, not just the first.
    let mut de = serde_json::Deserializer::from_str(&file.text);
    let raw: TreeFile<Box<RawValue>, Box<RawValue>, Box<RawValue>> =
        match serde_path_to_error::deserialize(&mut de) {
            Ok(raw) => match de.end() {
                Ok(()) => raw,
                Err(e) => {
                    diags.syntax_error(file, &e);
                    return None;
                }
            },
            Err(e) if e.inner().is_data() => {
                // A file from a newer Signpost may have a shape this one does not know: say so.
                let format = serde_json::from_str::<FormatOnly>(&file.text)
                    .ok()
                    .and_then(|f| f.format);
                let as_value = match format {
                    Some(f) => serde_json::json!({ "format": f }),
                    None => serde_json::json!({}),
                };
                if diags.check_format(file, &as_value) {
                    diags.report_shape(file, "", e);
                }
                return None;
            }
            Err(e) => {
                diags.syntax_error(file, e.inner());
                return None;
            }
        };
    if !diags.check_format(file, &serde_json::json!({ "format": raw.format })) {
        return None;
    }
    let mut broken = Broken::default();
    let mut nodes = Vec::with_capacity(raw.nodes.len());
    for (i, v) in raw.nodes.iter().enumerate() {
        match diags.deserialize_raw::<Node>(file, || format!("/nodes/{i}"), v) {
            Some(n) => nodes.push(n),
            // A stand-in keeps the positions (and pointers) of the nodes after it right.
            None => nodes.push(Node::Outcome(OutcomeNode {
                id: serde_json::from_str::<IdOnly>(v.get())
                    .map(|x| x.id)
                    .unwrap_or_default(),
                advice: Vec::new(),
            })),
        }
    }
    let mut advice = BTreeMap::new();
    for (id, v) in raw.advice {
        match diags.deserialize_raw::<Advice>(
            file,
            || format!("/advice/{}", escape_segment(&id)),
            &v,
        ) {
            Some(a) => {
                advice.insert(id, a);
            }
            None => {
                broken.advice.insert(id);
            }
        }
    }
    let mut sources = BTreeMap::new();
    for (id, v) in raw.sources {
        match diags.deserialize_raw::<Source>(
            file,
            || format!("/sources/{}", escape_segment(&id)),
            &v,
        ) {
            Some(s) => {
                sources.insert(id, s);
            }
            None => {
                broken.sources.insert(id);
            }
        }
    }
    let tree = TreeFile {
        schema: raw.schema,
        format: raw.format,
        id: raw.id,
        title: raw.title,
        section: raw.section,
        description: raw.description,
        jurisdictions: raw.jurisdictions,
        reviewed: raw.reviewed,
        inputs: raw.inputs,
        start: raw.start,
        nodes,
        advice,
        sources,
    };
    Some((tree, broken))
}

/// A reference from one place in the tree to a node.
struct NextRef<'t> {
    from: usize,
    edge: Edge,
    target: &'t str,
}

impl NextRef<'_> {
    /// Where the reference is written (built only to report a problem).
    fn pointer(&self) -> String {
        let p = node_pointer(self.from);
        match self.edge {
            Edge::Option(k) => format!("{p}/options/{k}/next"),
            Edge::Rule(k) => format!("{p}/rules/{k}/next"),
            Edge::Otherwise => format!("{p}/otherwise"),
            Edge::Next => format!("{p}/next"),
        }
    }
}

/// Where an advice item is added: the node, the pointer of the reference, and whether the
/// node's own fact is already set at that point (option advice is added after answering).
struct AdviceUse {
    node: usize,
    pointer: String,
    id: String,
    after_answer: bool,
}

/// A branch or advise rule: node, rule index, its place in `conditions`, its advice in `uses`.
type RuleCondition = (usize, usize, usize, std::ops::Range<usize>);

/// Registers one branch or advise rule: its condition, and the advice it adds, noting where both
/// went so a guard in the condition (`x is defined and ...`) can cover the advice.
fn add_rule<'t>(
    rule_conditions: &mut Vec<RuleCondition>,
    conditions: &mut Vec<(usize, String, &'t str)>,
    uses: &mut Vec<AdviceUse>,
    node: usize,
    k: usize,
    (base, when, advice): (String, &'t str, &[String]),
) {
    rule_conditions.push((
        node,
        k,
        conditions.len(),
        uses.len()..uses.len() + advice.len(),
    ));
    conditions.push((node, format!("{base}/when"), when));
    for (j, id) in advice.iter().enumerate() {
        uses.push(AdviceUse {
            node,
            pointer: format!("{base}/advice/{j}"),
            id: id.clone(),
            after_answer: false,
        });
    }
}

fn node_pointer(i: usize) -> String {
    format!("/nodes/{i}")
}

fn check_tree(
    diags: &mut Diagnostics,
    file: &SourceFile,
    tree: TreeFile,
    broken: &Broken,
    shared: &Shared,
    known_trees: &BTreeMap<String, bool>,
    tree_inputs: &BTreeMap<String, Vec<String>>,
) -> Option<Flow> {
    let errors_before = diags.list.iter().filter(|d| d.is_error()).count();
    let f = &file.path;

    if !is_tree_id(&tree.id) {
        diags.push(
            file,
            Diagnostic::error(
                "E010",
                f,
                "/id",
                format!(
                    "tree id `{}` must be lower case letters, digits, `_` or `-`",
                    tree.id
                ),
            ),
        );
    }
    check_date(diags, file, "/reviewed", &tree.reviewed);
    if tree.jurisdictions.is_empty() {
        diags.push(
            file,
            Diagnostic::error(
                "E003",
                f,
                "/jurisdictions",
                "list at least one jurisdiction",
            )
            .with_help("e.g. [\"england\"], or [\"any\"]"),
        );
    }
    for (id, source) in &tree.sources {
        check_date(
            diags,
            file,
            &format!("/sources/{}/checked", escape_segment(id)),
            &source.checked,
        );
    }

    if tree.nodes.len() > limits::MAX_NODES {
        diags.push(
            file,
            Diagnostic::error(
                "E024",
                f,
                "/nodes",
                format!(
                    "this tree has {} nodes; the limit is {}",
                    tree.nodes.len(),
                    limits::MAX_NODES
                ),
            )
            .with_help("split it into several trees run with `flow` nodes (docs/limits.md)"),
        );
        return None;
    }
    check_text_lengths(diags, file, &tree);
    for (k, fact) in tree.inputs.iter().enumerate() {
        if !is_fact_name(fact) {
            diags.push(
                file,
                Diagnostic::error(
                    "E010",
                    f,
                    format!("/inputs/{k}"),
                    format!("`{fact}` cannot be a fact name"),
                ),
            );
        }
    }
    check_tree_controls(diags, file, &tree);

    // Ids.
    let mut index: HashMap<String, NodeIndex> = HashMap::with_capacity(tree.nodes.len());
    for (i, node) in tree.nodes.iter().enumerate() {
        let id = node.id();
        if !is_node_id(id) {
            diags.push(
                file,
                Diagnostic::error(
                    "E010",
                    f,
                    format!("/nodes/{i}/id"),
                    format!("node id `{id}` must be lower case letters, digits and `_`"),
                ),
            );
        }
        if let Some(first) = index.get(id) {
            diags.push(
                file,
                Diagnostic::error(
                    "E004",
                    f,
                    format!("/nodes/{i}/id"),
                    format!("another node already has the id `{id}`"),
                )
                .with_help(format!(
                    "the first is at /nodes/{}; rename one of them",
                    first.index()
                )),
            );
        } else {
            index.insert(id.to_string(), NodeIndex::new(i));
        }
        if let Some(fact) = node.fact() {
            if !is_fact_name(fact) {
                let ptr = if has_explicit_fact(node) {
                    format!("/nodes/{i}/fact")
                } else {
                    format!("/nodes/{i}/id")
                };
                diags.push(
                    file,
                    Diagnostic::error("E010", f, ptr, format!("`{fact}` cannot be a fact name"))
                        .with_help("fact names are lower case letters, digits and `_`, start with a letter, and are not `today` or a function name"),
                );
            }
        }
    }

    // References out of each node.
    let mut nexts: Vec<NextRef> = Vec::new();
    let mut uses: Vec<AdviceUse> = Vec::new();
    let mut conditions: Vec<(usize, String, &str)> = Vec::new(); // node, pointer, source
    let mut templates: Vec<(usize, String, &str)> = Vec::new();
    let mut condition_reads_direct: Vec<(usize, String, BTreeSet<String>)> = Vec::new();
    let mut rule_conditions: Vec<RuleCondition> = Vec::new();
    let add_uses = |uses: &mut Vec<AdviceUse>,
                    node: usize,
                    base: String,
                    ids: &[String],
                    after_answer: bool| {
        for (k, id) in ids.iter().enumerate() {
            uses.push(AdviceUse {
                node,
                pointer: format!("{base}/advice/{k}"),
                id: id.clone(),
                after_answer,
            });
        }
    };
    for (i, node) in tree.nodes.iter().enumerate() {
        let p = node_pointer(i);
        let next = |nexts: &mut Vec<_>, target, edge| {
            nexts.push(NextRef {
                from: i,
                edge,
                target,
            })
        };
        match node {
            Node::Choice(n) => {
                // No options at all is a dead end (E013), reported by the whole-graph checks.
                for (k, o) in n.options.iter().enumerate() {
                    for fact in o.sets.keys() {
                        if !is_fact_name(fact) || Some(fact.as_str()) == node.fact() {
                            diags.push(
                                file,
                                Diagnostic::error(
                                    "E010",
                                    f,
                                    format!("{p}/options/{k}/sets"),
                                    format!("`{fact}` cannot be a fact this option sets"),
                                )
                                .with_help("name another fact: lower case letters, digits and `_`"),
                            );
                        }
                    }
                    next(&mut nexts, &o.next, Edge::Option(k));
                    add_uses(&mut uses, i, format!("{p}/options/{k}"), &o.advice, true);
                }
            }
            Node::Multi(n) => {
                if n.options.is_empty() {
                    diags.push(
                        file,
                        Diagnostic::error(
                            "E020",
                            f,
                            format!("{p}/options"),
                            format!("question `{}` has no options", n.id),
                        ),
                    );
                }
                next(&mut nexts, &n.next, Edge::Next);
                for (k, o) in n.options.iter().enumerate() {
                    add_uses(&mut uses, i, format!("{p}/options/{k}"), &o.advice, true);
                }
            }
            Node::Date(n) => {
                check_examples(diags, file, &p, n.examples.len(), &n.id);
                for (k, ex) in n.examples.iter().enumerate() {
                    if let Err(e) = calendar::resolve_example(
                        ex,
                        jiff::civil::date(2026, 1, 15),
                        shared.calendar,
                    ) {
                        if !e.contains("covers") {
                            diags.push(
                                file,
                                Diagnostic::error("E019", f, format!("{p}/examples/{k}"), e)
                                    .with_help(
                                    "use YYYY-MM-DD, or an offset from today like -15wd, +10d, -3m",
                                ),
                            );
                        }
                    }
                }
                if let Some(fact) = &n.not_before {
                    condition_reads_direct.push((
                        i,
                        format!("{p}/not_before"),
                        BTreeSet::from([fact.clone()]),
                    ));
                }
                next(&mut nexts, &n.next, Edge::Next);
                add_uses(&mut uses, i, p.clone(), &n.advice, true);
            }
            Node::Number(n) => {
                check_examples(diags, file, &p, n.examples.len(), &n.id);
                for (k, ex) in n.examples.iter().enumerate() {
                    if n.min.is_some_and(|m| *ex < m) || n.max.is_some_and(|m| *ex > m) {
                        diags.push(
                            file,
                            Diagnostic::error(
                                "E019",
                                f,
                                format!("{p}/examples/{k}"),
                                format!("example {ex} is outside the allowed range"),
                            ),
                        );
                    }
                }
                if let (Some(lo), Some(hi)) = (n.min, n.max) {
                    if lo > hi {
                        diags.push(
                            file,
                            Diagnostic::error(
                                "E019",
                                f,
                                format!("{p}/min"),
                                format!("min {lo} is more than max {hi}"),
                            ),
                        );
                    }
                }
                next(&mut nexts, &n.next, Edge::Next);
                add_uses(&mut uses, i, p.clone(), &n.advice, true);
            }
            Node::Text(n) => {
                check_examples(diags, file, &p, n.examples.len(), &n.id);
                let max = n.max_length.unwrap_or(limits::DEFAULT_TEXT_MAX);
                for (k, ex) in n.examples.iter().enumerate() {
                    if ex.chars().count() > max || (ex.trim().is_empty() && !n.optional) {
                        diags.push(
                            file,
                            Diagnostic::error(
                                "E019",
                                f,
                                format!("{p}/examples/{k}"),
                                "this example would be refused as an answer (empty or too long)",
                            ),
                        );
                    }
                }
                next(&mut nexts, &n.next, Edge::Next);
                add_uses(&mut uses, i, p.clone(), &n.advice, true);
            }
            Node::Info(n) => {
                templates.push((i, format!("{p}/body"), &n.body));
                next(&mut nexts, &n.next, Edge::Next);
                add_uses(&mut uses, i, p.clone(), &n.advice, false);
            }
            Node::Branch(n) => {
                for (k, r) in n.rules.iter().enumerate() {
                    let at = (format!("{p}/rules/{k}"), r.when.as_str(), &r.advice[..]);
                    add_rule(&mut rule_conditions, &mut conditions, &mut uses, i, k, at);
                    next(&mut nexts, &r.next, Edge::Rule(k));
                }
                next(&mut nexts, &n.otherwise, Edge::Otherwise);
            }
            Node::Advise(n) => {
                // Its rules have no edges of their own, but a guard (`x is defined and ...`)
                // still covers each rule's advice.
                for (k, r) in n.rules.iter().enumerate() {
                    let at = (format!("{p}/rules/{k}"), r.when.as_str(), &r.advice[..]);
                    add_rule(&mut rule_conditions, &mut conditions, &mut uses, i, k, at);
                }
                next(&mut nexts, &n.next, Edge::Next);
            }
            Node::Outcome(n) => add_uses(&mut uses, i, p.clone(), &n.advice, false),
            Node::Flow(n) => {
                if !known_trees.contains_key(&n.tree) {
                    let hint = nearest(&n.tree, known_trees.keys().map(String::as_str))
                        .map(|t| format!("did you mean `{t}`?"))
                        .unwrap_or_else(|| "the tree must be a file in the same folder, or one of the trees built into Signpost".into());
                    diags.push(
                        file,
                        Diagnostic::error(
                            "E014",
                            f,
                            format!("{p}/tree"),
                            format!("there is no tree with the id `{}`", n.tree),
                        )
                        .with_help(hint),
                    );
                }
                for (k, fact) in n.share.iter().enumerate() {
                    if !is_fact_name(fact) {
                        diags.push(
                            file,
                            Diagnostic::error(
                                "E010",
                                f,
                                format!("{p}/share/{k}"),
                                format!("`{fact}` cannot be a fact name"),
                            ),
                        );
                    }
                }
                next(&mut nexts, &n.next, Edge::Next);
            }
        }
    }

    let ids = || index.keys().map(String::as_str);
    let resolve = |diags: &mut Diagnostics, target: &str, pointer: &str| -> Option<NodeIndex> {
        match index.get(target) {
            Some(&ix) => Some(ix),
            None => {
                let help = match nearest(target, ids()) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "add a node with this id, or point to an existing one".into(),
                };
                diags.push(
                    file,
                    Diagnostic::error(
                        "E005",
                        f,
                        pointer,
                        format!("there is no node with the id `{target}`"),
                    )
                    .with_help(help),
                );
                None
            }
        }
    };
    let start = resolve(diags, &tree.start, "/start");
    let mut graph: DiGraph<(), Edge> = DiGraph::with_capacity(tree.nodes.len(), nexts.len());
    for _ in &tree.nodes {
        graph.add_node(());
    }
    for r in &nexts {
        let to = match index.get(r.target) {
            Some(&to) => Some(to),
            None => resolve(diags, r.target, &r.pointer()),
        };
        if let Some(to) = to {
            graph.add_edge(NodeIndex::new(r.from), to, r.edge);
        }
    }

    // Advice items and what they point to.
    let mut advice_reads: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut advice_text_reads: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Every analysed expression and text, by pointer: for comparisons with option values and
    // for facts guarded with `is defined`.
    let mut expression_uses: Vec<(String, expr::Analysis)> = Vec::new();
    for (id, a) in &tree.advice {
        let p = format!("/advice/{}", escape_segment(id));
        let mut reads = BTreeSet::new();
        let mut text_reads = BTreeSet::new();
        let mut letter_reads = BTreeSet::new();
        let body_pointer = format!("{p}/body");
        if let Some(an) = analyse(
            diags,
            file,
            shared,
            &body_pointer,
            &a.body,
            ExprSource::Text,
        ) {
            text_reads.extend(an.guarded.iter().cloned());
            reads.extend(an.reads.iter().cloned());
            keep_for_later(&mut expression_uses, &body_pointer, an);
        }
        if let Some(due) = &a.due {
            let due_pointer = format!("{p}/due");
            if let Some(an) = analyse(diags, file, shared, &due_pointer, due, ExprSource::Due) {
                text_reads.extend(an.guarded.iter().cloned());
                reads.extend(an.reads.iter().cloned());
                keep_for_later(&mut expression_uses, &due_pointer, an);
            }
        }
        if a.sources.is_empty() {
            diags.push(
                file,
                Diagnostic::error(
                    "E008",
                    f,
                    format!("{p}/sources"),
                    format!("advice `{id}` cites no source"),
                )
                .with_help("every step says where its rule comes from: add a source id"),
            );
        }
        for (k, s) in a.sources.iter().enumerate() {
            if !tree.sources.contains_key(s) && !broken.sources.contains(s) {
                let help = nearest(s, tree.sources.keys().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| "add it to the tree's `sources`".into());
                diags.push(
                    file,
                    Diagnostic::error(
                        "E008",
                        f,
                        format!("{p}/sources/{k}"),
                        format!("there is no source with the id `{s}`"),
                    )
                    .with_help(help),
                );
            }
        }
        for (k, c) in a.contacts.iter().enumerate() {
            if !shared.contacts.contains_key(c) {
                let help = nearest(c, shared.contacts.keys().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| {
                        format!("add the organisation to {}/contacts.json", shared.folder)
                    });
                diags.push(
                    file,
                    Diagnostic::error(
                        "E007",
                        f,
                        format!("{p}/contacts/{k}"),
                        format!("there is no contact with the id `{c}`"),
                    )
                    .with_help(help),
                );
            }
        }
        if let Some(l) = &a.letter {
            match shared.letters.get(l) {
                Some(letter) => {
                    let pointer = format!("{p}/letter");
                    let what = ExprSource::Letter(l, &letter.file);
                    if let Some(an) = analyse(diags, file, shared, &pointer, &letter.body, what) {
                        letter_reads.extend(an.reads.iter().cloned());
                        keep_for_later(&mut expression_uses, &pointer, an);
                    }
                }
                None if shared.broken_letters.contains(l) => {}
                None => {
                    let help = nearest(l, shared.letters.keys().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| format!("add {}/letters/{l}.md", shared.folder));
                    diags.push(
                        file,
                        Diagnostic::error(
                            "E009",
                            f,
                            format!("{p}/letter"),
                            format!("there is no letter with the id `{l}`"),
                        )
                        .with_help(help),
                    );
                }
            }
        }
        // The step's own text says why it is there; its letter's blanks (a name, a council)
        // must be set too, but are not a reason for the step.
        text_reads.extend(reads.iter().cloned());
        advice_text_reads.insert(id.clone(), text_reads);
        reads.extend(letter_reads);
        advice_reads.insert(id.clone(), reads);
    }
    for u in &uses {
        if !tree.advice.contains_key(&u.id) && !broken.advice.contains(&u.id) {
            let help = nearest(&u.id, tree.advice.keys().map(String::as_str))
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| "define it in the tree's `advice`".into());
            diags.push(
                file,
                Diagnostic::error(
                    "E006",
                    f,
                    u.pointer.clone(),
                    format!("there is no advice item with the id `{}`", u.id),
                )
                .with_help(help),
            );
        }
    }
    let mut condition_reads = condition_reads_direct;
    // Facts a person may answer "I don't know" to: their value may be `none`.
    let date_facts: BTreeSet<&str> = tree
        .nodes
        .iter()
        .filter(|n| matches!(n, Node::Date(_)))
        .filter_map(Node::fact)
        .collect();
    // What each condition proves set when it is true, by its place in `conditions`.
    let mut condition_proves: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for (c, (node, pointer, src)) in conditions.into_iter().enumerate() {
        if let Some(mut an) = analyse(diags, file, shared, &pointer, src, ExprSource::Condition) {
            if !an.proves.is_empty() {
                condition_proves.insert(c, std::mem::take(&mut an.proves));
            }
            let reads = std::mem::take(&mut an.reads);
            for fact in reads.iter().filter(|f| date_facts.contains(f.as_str())) {
                if !guards_unknown(src, fact) {
                    diags.push(
                        file,
                        Diagnostic::error(
                            "E029",
                            f,
                            pointer.clone(),
                            format!("this condition reads the date `{fact}`, which may be \"I don't know\", without checking it is known"),
                        )
                        .with_help(format!("check it first, e.g. `{fact} and working_days({fact}, today) > 10`, and say the rule for an unknown date elsewhere")),
                    );
                }
            }
            keep_for_later(&mut expression_uses, &pointer, an);
            condition_reads.push((node, pointer, reads));
        }
    }
    for (node, pointer, src) in templates {
        if let Some(mut an) = analyse(diags, file, shared, &pointer, src, ExprSource::Text) {
            let reads = std::mem::take(&mut an.reads);
            keep_for_later(&mut expression_uses, &pointer, an);
            condition_reads.push((node, pointer, reads));
        }
    }
    check_comparisons(diags, file, &tree, &expression_uses);

    let errors_now = diags.list.iter().filter(|d| d.is_error()).count();
    let start = start?;
    if errors_now > errors_before {
        return None; // Whole-graph checks on a graph with holes would only repeat the same story.
    }

    // Whole-graph checks.
    let reachable = reachable_from(&graph, start);
    for (i, node) in tree.nodes.iter().enumerate() {
        if !reachable[i] {
            diags.push(
                file,
                Diagnostic::error(
                    "E011",
                    f,
                    format!("{}/id", node_pointer(i)),
                    format!(
                        "node `{}` cannot be reached from the start (`{}`)",
                        node.id(),
                        tree.start
                    ),
                )
                .with_help("point a `next` at it, or delete it"),
            );
        }
    }
    let Some(order) = topological_order(&graph) else {
        for cycle in cycles(&graph) {
            let names: Vec<&str> = cycle.iter().map(|ix| tree.nodes[ix.index()].id()).collect();
            let first = cycle[0].index();
            diags.push(
                file,
                Diagnostic::error(
                    "E012",
                    f,
                    format!("{}/id", node_pointer(first)),
                    format!(
                        "these nodes lead back to each other in a loop: {}",
                        names.join(" -> ")
                    ),
                )
                .with_help(
                    "a flow must always move forward: point one `next` in the loop to a later node",
                ),
            );
        }
        return None;
    };
    for (i, node) in tree.nodes.iter().enumerate() {
        let is_outcome = matches!(node, Node::Outcome(_));
        let leaves = graph
            .edges_directed(NodeIndex::new(i), Direction::Outgoing)
            .next()
            .is_some();
        if !is_outcome && !leaves && reachable[i] {
            diags.push(
                file,
                Diagnostic::error(
                    "E013",
                    f,
                    format!("{}/id", node_pointer(i)),
                    format!("a path stops at `{}`, which is not an outcome", node.id()),
                )
                .with_help("give it a `next`, or make it an `outcome`"),
            );
        }
    }

    // Definite assignment over the DAG.
    let facts: Vec<String> = {
        let mut set: BTreeSet<String> = tree
            .nodes
            .iter()
            .filter_map(|n| n.fact().map(str::to_string))
            .collect();
        set.extend(tree.inputs.iter().cloned());
        set.extend(option_sets(&tree.nodes).map(|(_, _, fact, _)| fact.to_string()));
        set.insert(NATION_FACT.to_string());
        set.into_iter().collect()
    };
    let fact_ix: HashMap<&str, usize> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.as_str(), i))
        .collect();
    let given: Vec<usize> = tree
        .inputs
        .iter()
        .filter_map(|fact| fact_ix.get(fact.as_str()).copied())
        .collect();
    check_guarded_facts(diags, file, &facts, &fact_ix, &expression_uses);
    // A rule guarded by `x is defined` sets `x` for its own arm and its own advice.
    let mut edge_facts: HashMap<(usize, Edge), Vec<usize>> = HashMap::new();
    // An option that `sets` facts sets them on its own edge.
    for (node, k, fact, _) in option_sets(&tree.nodes) {
        if let Some(&fi) = fact_ix.get(fact) {
            edge_facts
                .entry((node, Edge::Option(k)))
                .or_default()
                .push(fi);
        }
    }
    let mut use_facts: HashMap<usize, Vec<usize>> = HashMap::new();
    for (node, k, c, advice) in &rule_conditions {
        let Some(proved) = condition_proves.get(c) else {
            continue;
        };
        let ix: Vec<usize> = proved
            .iter()
            .filter_map(|f| fact_ix.get(f.as_str()).copied())
            .collect();
        for u in advice.clone() {
            use_facts.insert(u, ix.clone());
        }
        edge_facts.insert((*node, Edge::Rule(*k)), ix);
    }
    let assigned_in = definitely_assigned(
        &graph,
        &tree.nodes,
        &order,
        start,
        &fact_ix,
        &edge_facts,
        &given,
    );
    let set_by = |i: usize| tree.nodes[i].fact().and_then(|f| fact_ix.get(f).copied());
    let report_unset = |diags: &mut Diagnostics,
                        node: usize,
                        pointer: &str,
                        fact: &str,
                        what: &str| {
        let witness = match fact_ix.get(fact) {
            Some(&fi) => witness_path(&graph, &assigned_in, &set_by, start, node, fi)
                .into_iter()
                .map(|ix| tree.nodes[ix].id().to_string())
                .collect::<Vec<_>>()
                .join(" -> "),
            None => String::new(),
        };
        let help = if fact_ix.contains_key(fact) {
            format!("on the path {witness} nothing sets `{fact}`; ask it before this point on every path")
        } else {
            match nearest(fact, facts.iter().map(String::as_str)) {
                Some(n) => format!("no question in this tree sets `{fact}`; did you mean `{n}`?"),
                None => format!("no question in this tree sets `{fact}`"),
            }
        };
        diags.push(
            file,
            Diagnostic::error(
                "E017",
                f,
                pointer,
                format!("{what} reads `{fact}`, which is not set on every path to here"),
            )
            .with_help(help),
        );
    };
    for (node, pointer, reads) in &condition_reads {
        for fact in reads {
            let ok = fact_ix
                .get(fact.as_str())
                .is_some_and(|&fi| assigned_in.contains(*node, fi));
            if !ok && reachable[*node] {
                report_unset(diags, *node, pointer, fact, "this condition or text");
            }
        }
    }
    for (n, u) in uses.iter().enumerate() {
        let Some(reads) = advice_reads.get(&u.id) else {
            continue;
        };
        let guarded = use_facts.get(&n);
        for fact in reads {
            let ok = fact_ix.get(fact.as_str()).is_some_and(|&fi| {
                assigned_in.contains(u.node, fi)
                    || (u.after_answer && set_by(u.node) == Some(fi))
                    || guarded.is_some_and(|g| g.contains(&fi))
            });
            if !ok {
                report_unset(
                    diags,
                    u.node,
                    &u.pointer,
                    fact,
                    &format!("advice `{}`", u.id),
                );
            }
        }
    }
    // A flow node running a module shares every input the module needs, set on every path here.
    for (i, node) in tree.nodes.iter().enumerate() {
        let Node::Flow(n) = node else { continue };
        for fact in tree_inputs.get(&n.tree).into_iter().flatten() {
            if !n.share.contains(fact) {
                diags.push(
                    file,
                    Diagnostic::error(
                        "E028",
                        f,
                        format!("{}/share", node_pointer(i)),
                        format!(
                            "`{}` runs `{}`, which needs `{fact}`, but does not share it",
                            n.id, n.tree
                        ),
                    )
                    .with_help(format!(
                        "add \"{fact}\" to `share` (the tree lists it in its `inputs`)"
                    )),
                );
            } else if !fact_ix
                .get(fact.as_str())
                .is_some_and(|&fi| assigned_in.contains(i, fi))
                && reachable[i]
            {
                report_unset(
                    diags,
                    i,
                    &format!("{}/share", node_pointer(i)),
                    fact,
                    &format!("`{}` (sharing it with `{}`)", n.id, n.tree),
                );
            }
        }
    }
    // Single-nation trees run from here must know the nation first.
    let nation = fact_ix[NATION_FACT];
    for (i, node) in tree.nodes.iter().enumerate() {
        if let Node::Flow(n) = node {
            let restricted = known_trees.get(&n.tree).copied().unwrap_or(false);
            if restricted
                && !assigned_in.contains(i, nation)
                && !n.share.iter().any(|s| s == NATION_FACT)
            {
                diags.push(file, Diagnostic::error("E022", f, if n.share.is_empty() { format!("{}/tree", node_pointer(i)) } else { format!("{}/share", node_pointer(i)) }, format!("`{}` runs a tree whose advice is only for some nations, without knowing the nation", n.id)).with_help("ask where the family lives (a question setting `nation`) before this point, and add \"nation\" to `share`"));
            }
        }
    }

    // Filled in once every tree is compiled, counting the screens of the trees flows run.
    let remaining = vec![0; tree.nodes.len()];
    let longest = longest_path_nodes(&graph, &order);
    if longest > limits::MAX_PATH_NODES {
        diags.push(
            file,
            Diagnostic::error(
                "E024",
                f,
                "/start",
                format!(
                    "the longest path passes {longest} nodes; the limit is {}",
                    limits::MAX_PATH_NODES
                ),
            )
            .with_help("nobody can answer that many questions: split the flow (docs/limits.md)"),
        );
    }
    let errors_end = diags.list.iter().filter(|d| d.is_error()).count();
    (errors_end == errors_before).then(|| Flow {
        file: file.path.clone(),
        tree,
        graph,
        index,
        start,
        remaining,
        advice_reads,
        advice_text_reads,
    })
}

/// True when a condition checks that the date `fact` is known before it uses it: `fact and ...`,
/// `not fact`, `fact is none`, `fact is not none` (a comparison with `none` would silently be
/// true or false, so the check is required, not hoped for).
fn guards_unknown(src: &str, fact: &str) -> bool {
    let words: Vec<&str> = src
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let is_none = |rest: &[&str]| matches!(rest, ["is", "none", ..] | ["is", "not", "none", ..]);
    (0..words.len()).any(|i| {
        (words[i] == fact && (words.get(i + 1) == Some(&"and") || is_none(&words[i + 1..])))
            || (words[i] == "not" && words.get(i + 1) == Some(&fact))
    })
}

/// Every `covered_by` names a step of a tree that exists, as `tree.advice_id`.
fn check_covered_by(
    diags: &mut Diagnostics,
    inputs: &Inputs,
    flows: &BTreeMap<String, Flow>,
    tree_files: &BTreeMap<String, usize>,
) {
    for (id, flow) in flows {
        let Some(file) = tree_files.get(id).map(|&i| &inputs.trees[i]) else {
            continue;
        };
        for (aid, a) in &flow.tree.advice {
            for (k, c) in a.covered_by.iter().enumerate() {
                // A tree not loaded with this one (checking a single file) cannot be judged.
                let exists = c.split_once('.').is_some_and(|(t, x)| {
                    flows.get(t).is_none_or(|f| f.tree.advice.contains_key(x))
                });
                if !exists {
                    diags.push(
                        file,
                        Diagnostic::error(
                            "E006",
                            &file.path,
                            format!("/advice/{}/covered_by/{k}", escape_segment(aid)),
                            format!("there is no advice item `{c}`"),
                        )
                        .with_help("name it as tree.advice_id, for example process.prepare_review"),
                    );
                }
            }
        }
    }
}

/// What kind of expression or text is analysed, for the messages.
#[derive(Clone, Copy)]
enum ExprSource<'a> {
    Condition,
    Due,
    Text,
    /// A letter: its id and file.
    Letter(&'a str, &'a str),
}

/// Parses and walks one expression or text: a parse error is E016, a filter, test or function
/// the language does not have is E025. Returns the analysis when it parsed.
fn analyse(
    diags: &mut Diagnostics,
    file: &SourceFile,
    shared: &Shared,
    pointer: &str,
    src: &str,
    what: ExprSource,
) -> Option<expr::Analysis> {
    let f = &file.path;
    let parsed = match what {
        ExprSource::Condition | ExprSource::Due => shared.expr.analyse_expression(src),
        ExprSource::Text | ExprSource::Letter(..) => shared.expr.analyse_template(src),
    };
    let an = match parsed {
        Ok(an) => an,
        Err(e) => {
            let (message, help) = match what {
                ExprSource::Condition => (
                    format!("this condition does not parse: {e}"),
                    Some("conditions look like: reply == \"none\" and working_days(sent_on, today) > 10"),
                ),
                ExprSource::Due => (format!("this expression does not parse: {e}"), None),
                ExprSource::Text => (
                    format!("this text does not parse: {e}"),
                    Some("templates use {{ fact }} and {% if ... %}...{% endif %}"),
                ),
                ExprSource::Letter(id, letter_file) => (
                    format!("letter `{id}` ({letter_file}) does not parse: {e}"),
                    None,
                ),
            };
            let mut d = Diagnostic::error("E016", f, pointer, message);
            if let Some(h) = help {
                d = d.with_help(h);
            }
            diags.push(file, d);
            return None;
        }
    };
    for u in &an.unknown {
        let place = match what {
            ExprSource::Letter(id, letter_file) => format!(" in letter `{id}` ({letter_file})"),
            _ => String::new(),
        };
        let line = if u.line > 1 {
            format!(" (line {} of the text)", u.line)
        } else {
            String::new()
        };
        let help = match &u.suggestion {
            Some(s) => format!(
                "did you mean `{s}`? (docs/authoring.md lists the filters, tests and functions)"
            ),
            None => "docs/authoring.md lists the filters, tests and functions".to_string(),
        };
        diags.push(
            file,
            Diagnostic::error(
                "E025",
                f,
                pointer,
                format!(
                    "there is no {} called `{}`{place}{line}",
                    u.kind.as_str(),
                    u.name
                ),
            )
            .with_help(help),
        );
    }
    Some(an)
}

/// Keeps what the later checks of an analysis need (comparisons, guarded facts), if anything.
fn keep_for_later(uses: &mut Vec<(String, expr::Analysis)>, pointer: &str, an: expr::Analysis) {
    if !an.comparisons.is_empty() || !an.guarded.is_empty() {
        uses.push((
            pointer.to_string(),
            expr::Analysis {
                comparisons: an.comparisons,
                guarded: an.guarded,
                ..Default::default()
            },
        ));
    }
}

/// A choice or multi fact compared with a string that is none of its options' values: the
/// comparison could never be true (or never false), usually because it names a label.
fn check_comparisons(
    diags: &mut Diagnostics,
    file: &SourceFile,
    tree: &TreeFile,
    uses: &[(String, expr::Analysis)],
) {
    // Fact -> the options that can set it, or None when another kind of question sets it too.
    // (label, value) of each option.
    let mut options: HashMap<&str, Option<Vec<(&str, &str)>>> = HashMap::new();
    for node in &tree.nodes {
        let Some(fact) = node.fact() else { continue };
        let entry = options.entry(fact).or_insert_with(|| Some(Vec::new()));
        match (node, entry.as_mut()) {
            (Node::Choice(c), Some(list)) => list.extend(
                c.options
                    .iter()
                    .map(|o| (o.label.as_str(), o.value.as_str())),
            ),
            (Node::Multi(m), Some(list)) => list.extend(
                m.options
                    .iter()
                    .map(|o| (o.label.as_str(), o.value.as_str())),
            ),
            (Node::Choice(_) | Node::Multi(_), None) => {}
            _ => *entry = None,
        }
    }
    for (pointer, an) in uses {
        for c in &an.comparisons {
            let Some(Some(opts)) = options.get(c.fact.as_str()) else {
                continue;
            };
            if opts.iter().any(|(_, value)| *value == c.value) {
                continue;
            }
            let mut values: Vec<&str> = opts.iter().map(|(_, value)| *value).collect();
            values.dedup();
            let listed = values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let help = match opts
                .iter()
                .find(|(label, _)| label.eq_ignore_ascii_case(&c.value))
            {
                Some((_, value)) => format!(
                    "\"{}\" is an option's label; compare with its value: '{value}'",
                    c.value
                ),
                None => match nearest(&c.value, values.iter().copied()) {
                    Some(n) => format!("did you mean '{n}'?"),
                    None => format!("compare with one of: {listed}"),
                },
            };
            let line = if c.line > 1 {
                format!(" (line {} of the text)", c.line)
            } else {
                String::new()
            };
            diags.push(
                file,
                Diagnostic::error(
                    "E026",
                    &file.path,
                    pointer.clone(),
                    format!(
                        "`{}` is compared with '{}'{line}, which is not one of its values ({listed})",
                        c.fact, c.value
                    ),
                )
                .with_help(help),
            );
        }
    }
}

/// A fact guarded with `is defined` that no question in the tree sets: the guard is never
/// true, which is nearly always a misspelt name.
fn check_guarded_facts(
    diags: &mut Diagnostics,
    file: &SourceFile,
    facts: &[String],
    fact_ix: &HashMap<&str, usize>,
    uses: &[(String, expr::Analysis)],
) {
    for (pointer, an) in uses {
        for fact in &an.guarded {
            if fact_ix.contains_key(fact.as_str()) {
                continue;
            }
            let help = match nearest(fact, facts.iter().map(String::as_str)) {
                Some(n) => format!("no question in this tree sets `{fact}`; did you mean `{n}`?"),
                None => format!("no question in this tree sets `{fact}`, so it is never defined"),
            };
            diags.push(
                file,
                Diagnostic::error(
                    "E017",
                    &file.path,
                    pointer.clone(),
                    format!("this condition or text asks whether `{fact}` is set, but nothing in this tree sets it"),
                )
                .with_help(help),
            );
        }
    }
}

/// Every fact a choice option `sets` besides its own: (node, option, fact, value).
fn option_sets(nodes: &[Node]) -> impl Iterator<Item = (usize, usize, &str, &str)> {
    nodes.iter().enumerate().flat_map(|(i, n)| {
        let options: &[crate::core::format::ChoiceOption] = match n {
            Node::Choice(c) => &c.options,
            _ => &[],
        };
        options.iter().enumerate().flat_map(move |(k, o)| {
            o.sets
                .iter()
                .map(move |(f, v)| (i, k, f.as_str(), v.as_str()))
        })
    })
}

fn has_explicit_fact(node: &Node) -> bool {
    match node {
        Node::Choice(n) => n.fact.is_some(),
        Node::Multi(n) => n.fact.is_some(),
        Node::Date(n) => n.fact.is_some(),
        Node::Number(n) => n.fact.is_some(),
        Node::Text(n) => n.fact.is_some(),
        _ => false,
    }
}

fn check_examples(
    diags: &mut Diagnostics,
    file: &SourceFile,
    pointer: &str,
    count: usize,
    id: &str,
) {
    if count == 0 {
        diags.push(
            file,
            Diagnostic::error("E020", &file.path, format!("{pointer}/examples"), format!("question `{id}` has no examples"))
                .with_help("add sample answers so every path can be walked and tested, e.g. [\"-15wd\", \"-3wd\"]"),
        );
    }
}

fn reachable_from(graph: &DiGraph<(), Edge>, start: NodeIndex) -> Vec<bool> {
    let mut seen = vec![false; graph.node_count()];
    let mut queue = VecDeque::from([start]);
    seen[start.index()] = true;
    while let Some(n) = queue.pop_front() {
        for m in graph.neighbors_directed(n, Direction::Outgoing) {
            if !seen[m.index()] {
                seen[m.index()] = true;
                queue.push_back(m);
            }
        }
    }
    seen
}

/// Kahn's algorithm: a topological order, or None if there is a cycle.
pub fn topological_order(graph: &DiGraph<(), Edge>) -> Option<Vec<NodeIndex>> {
    let mut indegree: Vec<usize> = vec![0; graph.node_count()];
    for e in graph.edge_references() {
        indegree[e.target().index()] += 1;
    }
    let mut queue: VecDeque<NodeIndex> = graph
        .node_indices()
        .filter(|n| indegree[n.index()] == 0)
        .collect();
    let mut order = Vec::with_capacity(graph.node_count());
    while let Some(n) = queue.pop_front() {
        order.push(n);
        for e in graph.edges_directed(n, Direction::Outgoing) {
            let t = e.target().index();
            indegree[t] -= 1;
            if indegree[t] == 0 {
                queue.push_back(e.target());
            }
        }
    }
    (order.len() == graph.node_count()).then_some(order)
}

/// Every cycle as the nodes of one strongly connected component, in file order.
fn cycles(graph: &DiGraph<(), Edge>) -> Vec<Vec<NodeIndex>> {
    let mut out: Vec<Vec<NodeIndex>> = petgraph::algo::kosaraju_scc(graph)
        .into_iter()
        .filter(|scc| scc.len() > 1 || graph.contains_edge(scc[0], scc[0]))
        .map(|mut scc| {
            scc.sort();
            scc
        })
        .collect();
    out.sort();
    out
}

/// For every node, a bit set of facts, stored in one flat buffer (one allocation, whatever the
/// size of the tree).
struct FactTable {
    words: usize,
    bits: Vec<u64>,
}

impl FactTable {
    fn contains(&self, node: usize, fact: usize) -> bool {
        self.bits[node * self.words + fact / 64] & (1 << (fact % 64)) != 0
    }
}

/// For each node, the facts set on every path from the start to it (before it runs): each
/// node's set is the intersection of what its predecessors pass on, in topological order.
/// Unreachable nodes get every fact (nothing to report there; E011 covers them).
fn definitely_assigned(
    graph: &DiGraph<(), Edge>,
    nodes: &[Node],
    order: &[NodeIndex],
    start: NodeIndex,
    fact_ix: &HashMap<&str, usize>,
    edge_facts: &HashMap<(usize, Edge), Vec<usize>>,
    given: &[usize],
) -> FactTable {
    let words = fact_ix.len().div_ceil(64).max(1);
    let count = graph.node_count();
    let mut bits = vec![u64::MAX; count * words];
    let mut reached = vec![false; count];
    reached[start.index()] = true;
    bits[start.index() * words..(start.index() + 1) * words].fill(0);
    // A module's inputs are set before its first node.
    for &fi in given {
        bits[start.index() * words + fi / 64] |= 1 << (fi % 64);
    }
    let mut out = vec![0u64; words];
    for &node in order {
        let i = node.index();
        if !reached[i] {
            continue;
        }
        out.copy_from_slice(&bits[i * words..(i + 1) * words]);
        if let Some(fi) = nodes[i].fact().and_then(|f| fact_ix.get(f)) {
            out[fi / 64] |= 1 << (fi % 64);
        }
        for edge in graph.edges_directed(node, Direction::Outgoing) {
            let j = edge.target().index();
            let extra = edge_facts.get(&(i, *edge.weight()));
            let mut with_extra;
            let passed = match extra {
                Some(facts) => {
                    with_extra = out.clone();
                    for fi in facts {
                        with_extra[fi / 64] |= 1 << (fi % 64);
                    }
                    &with_extra
                }
                None => &out,
            };
            let slot = &mut bits[j * words..(j + 1) * words];
            if reached[j] {
                slot.iter_mut().zip(passed).for_each(|(a, b)| *a &= b);
            } else {
                slot.copy_from_slice(passed);
                reached[j] = true;
            }
        }
    }
    FactTable { words, bits }
}

/// A path from the start to `node` on which `fact` is never set, for the E017 hint.
fn witness_path(
    graph: &DiGraph<(), Edge>,
    assigned_in: &FactTable,
    set_by: &dyn Fn(usize) -> Option<usize>,
    start: NodeIndex,
    node: usize,
    fact: usize,
) -> Vec<usize> {
    let mut path = vec![node];
    let mut cur = NodeIndex::new(node);
    while cur != start && path.len() <= graph.node_count() {
        let pred = graph
            .neighbors_directed(cur, Direction::Incoming)
            .find(|p| !assigned_in.contains(p.index(), fact) && set_by(p.index()) != Some(fact));
        match pred {
            Some(p) => {
                path.push(p.index());
                cur = p;
            }
            None => break,
        }
    }
    path.reverse();
    path
}

/// Adds the screens of the trees that flow nodes run to `remaining`, so progress does not jump
/// when a sub-flow starts. Repeats until nothing changes (at most once per level of nesting),
/// rather than recursing; without a loop of trees (E015) it settles.
fn count_sub_flow_screens(flows: &mut BTreeMap<String, Flow>) {
    for _ in 0..=flows.len() {
        let longest: HashMap<String, u32> = flows
            .iter()
            .map(|(id, f)| (id.clone(), f.remaining[f.start.index()]))
            .collect();
        let mut changed = false;
        for flow in flows.values_mut() {
            let Some(order) = topological_order(&flow.graph) else {
                continue;
            };
            let mut rem = vec![0u32; flow.graph.node_count()];
            for &n in order.iter().rev() {
                let node = flow.node(n);
                let own = match node {
                    Node::Flow(f) => longest.get(&f.tree).copied().unwrap_or(0),
                    other => screens(other),
                };
                let best = flow
                    .graph
                    .neighbors_directed(n, Direction::Outgoing)
                    .map(|s| rem[s.index()])
                    .max()
                    .unwrap_or(0);
                rem[n.index()] = best.saturating_add(own);
            }
            if rem != flow.remaining {
                flow.remaining = rem;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

fn screens(node: &Node) -> u32 {
    match node {
        Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_) => 0,
        _ => 1,
    }
}

/// Nodes on the longest path from any node to an end (dynamic programming over the DAG).
fn longest_path_nodes(graph: &DiGraph<(), Edge>, order: &[NodeIndex]) -> usize {
    let mut len = vec![0usize; graph.node_count()];
    for &n in order.iter().rev() {
        len[n.index()] = 1 + graph
            .neighbors_directed(n, Direction::Outgoing)
            .map(|s| len[s.index()])
            .max()
            .unwrap_or(0);
    }
    len.into_iter().max().unwrap_or(0)
}

/// The first control character in a text that must be inert, with its position (in characters).
/// Line breaks (and tabs) are allowed where `multi_line` says the text may have several lines,
/// and so is a carriage return just before a line break (a file saved on Windows).
fn first_control(text: &str, multi_line: bool) -> Option<(usize, char)> {
    let mut chars = text.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        if !c.is_control() {
            continue;
        }
        let allowed = multi_line
            && (c == '\n'
                || c == '\t'
                || (c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n')));
        if !allowed {
            return Some((i, c));
        }
    }
    None
}

fn control_name(c: char) -> String {
    let name = match c {
        '\x1b' => " (ESC, which starts terminal escape sequences)",
        '\x07' => " (BEL)",
        '\x08' => " (backspace)",
        '\r' => " (carriage return)",
        '\n' => " (line break)",
        '\t' => " (tab)",
        '\x7f' => " (DEL)",
        '\u{9b}' => " (CSI, which starts terminal escape sequences)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

fn control_diagnostic(
    file: &str,
    pointer: String,
    at: usize,
    c: char,
    multi_line: bool,
) -> Diagnostic {
    let allowed = if multi_line {
        "line breaks and tabs are the only ones allowed here"
    } else {
        "this text is one line: no line breaks or tabs either"
    };
    Diagnostic::error(
        "E027",
        file,
        pointer,
        format!(
            "this text holds the control character {} at character {}",
            control_name(c),
            at + 1
        ),
    )
    .with_help(format!(
        "control characters can move the cursor, clear the screen or retitle the window of whoever reads the advice; delete it ({allowed})"
    ))
}

/// E027 for one text, building its pointer only when there is something to report.
fn check_control(
    diags: &mut Diagnostics,
    file: &SourceFile,
    pointer: impl FnOnce() -> String,
    text: &str,
    multi_line: bool,
) {
    if let Some((at, c)) = first_control(text, multi_line) {
        let d = control_diagnostic(&file.path, pointer(), at, c, multi_line);
        diags.push(file, d);
    }
}

/// Every text of a tree that is shown to a person or an author must be inert: no control
/// characters (terminal escapes, bells, carriage returns), line breaks only in long texts.
fn check_tree_controls(diags: &mut Diagnostics, file: &SourceFile, tree: &TreeFile) {
    check_control(diags, file, || "/title".into(), &tree.title, false);
    if let Some(section) = &tree.section {
        check_control(diags, file, || "/section".into(), section, false);
    }
    if let Some(d) = &tree.description {
        check_control(diags, file, || "/description".into(), d, true);
    }
    for (i, node) in tree.nodes.iter().enumerate() {
        let p = || node_pointer(i);
        if let Some(q) = node.question() {
            check_control(diags, file, || format!("{}/question", p()), q, true);
        }
        if let Some(h) = node.help() {
            check_control(diags, file, || format!("{}/help", p()), h, true);
        }
        let options = node.option_labels();
        for (k, (label, value)) in options.into_iter().enumerate() {
            check_control(
                diags,
                file,
                || format!("{}/options/{k}/label", p()),
                label,
                false,
            );
            check_control(
                diags,
                file,
                || format!("{}/options/{k}/value", p()),
                value,
                false,
            );
        }
        let examples: &[String] = match node {
            Node::Date(d) => &d.examples,
            Node::Text(t) => &t.examples,
            _ => &[],
        };
        for (k, ex) in examples.iter().enumerate() {
            check_control(diags, file, || format!("{}/examples/{k}", p()), ex, false);
        }
        match node {
            Node::Info(n) => {
                check_control(diags, file, || format!("{}/title", p()), &n.title, false);
                check_control(diags, file, || format!("{}/body", p()), &n.body, true);
            }
            Node::Branch(b) => {
                for (k, r) in b.rules.iter().enumerate() {
                    check_control(
                        diags,
                        file,
                        || format!("{}/rules/{k}/when", p()),
                        &r.when,
                        true,
                    );
                }
            }
            _ => {}
        }
    }
    for (id, a) in &tree.advice {
        let p = || format!("/advice/{}", escape_segment(id));
        check_control(diags, file, || format!("{}/title", p()), &a.title, false);
        check_control(diags, file, || format!("{}/body", p()), &a.body, true);
        if let Some(due) = &a.due {
            check_control(diags, file, || format!("{}/due", p()), due, true);
        }
    }
    for (id, src) in &tree.sources {
        let p = || format!("/sources/{}", escape_segment(id));
        check_control(diags, file, || format!("{}/title", p()), &src.title, false);
        check_control(diags, file, || format!("{}/url", p()), &src.url, false);
    }
}

fn check_contact_controls(diags: &mut Diagnostics, file: &SourceFile, contacts: &ContactsFile) {
    for (id, c) in &contacts.contacts {
        let p = |field: &str| format!("/contacts/{}/{field}", escape_segment(id));
        let fields: [(&str, Option<&String>, bool); 6] = [
            ("name", Some(&c.name), false),
            ("phone", c.phone.as_ref(), false),
            ("hours", c.hours.as_ref(), false),
            ("web", Some(&c.web), false),
            ("for", Some(&c.for_whom), false),
            ("note", c.note.as_ref(), true),
        ];
        for (field, text, multi_line) in fields {
            if let Some(t) = text {
                check_control(diags, file, || p(field), t, multi_line);
            }
        }
    }
}

fn check_glossary_controls(diags: &mut Diagnostics, file: &SourceFile, glossary: &GlossaryFile) {
    for (id, t) in &glossary.terms {
        let p = |rest: String| format!("/terms/{}/{rest}", escape_segment(id));
        check_control(diags, file, || p("term".into()), &t.term, false);
        for (k, a) in t.aliases.iter().enumerate() {
            check_control(diags, file, || p(format!("aliases/{k}")), a, false);
        }
        check_control(diags, file, || p("definition".into()), &t.definition, true);
    }
}

/// A letter file holds no control character (E027, at its line and column), or it is not used.
fn letter_is_inert(diags: &mut Diagnostics, file: &SourceFile) -> bool {
    let Some((at, c)) = first_control(&file.text, true) else {
        return true;
    };
    let before: String = file.text.chars().take(at).collect();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let d = control_diagnostic(&file.path, String::new(), at, c, true).at(line, column);
    diags.push(file, d);
    false
}

/// Every text a person reads must fit the text limit.
fn check_text_lengths(diags: &mut Diagnostics, file: &SourceFile, tree: &TreeFile) {
    // Pointers are built only for a text that is too long.
    let mut check = |pointer: &dyn Fn() -> String, text: &str| {
        // More bytes than the limit is the only way to have more characters than it.
        if text.len() <= limits::MAX_TEXT_CHARS {
            return;
        }
        let n = text.chars().count();
        if n > limits::MAX_TEXT_CHARS {
            diags.push(
                file,
                Diagnostic::error(
                    "E024",
                    &file.path,
                    pointer(),
                    format!(
                        "this text is {n} characters; the limit is {}",
                        limits::MAX_TEXT_CHARS
                    ),
                )
                .with_help("nobody reads that much on one screen: split it (docs/limits.md)"),
            );
        }
    };
    for (i, node) in tree.nodes.iter().enumerate() {
        if let Some(q) = node.question() {
            check(&|| format!("/nodes/{i}/question"), q);
        }
        if let Some(h) = node.help() {
            check(&|| format!("/nodes/{i}/help"), h);
        }
        if let Node::Info(n) = node {
            check(&|| format!("/nodes/{i}/body"), &n.body);
        }
    }
    for (id, a) in &tree.advice {
        check(&|| format!("/advice/{}/body", escape_segment(id)), &a.body);
        check(
            &|| format!("/advice/{}/title", escape_segment(id)),
            &a.title,
        );
    }
}

/// Trees that run each other in a loop would never end.
fn check_tree_loops(
    diags: &mut Diagnostics,
    inputs: &Inputs,
    flows: &BTreeMap<String, Flow>,
    files: &BTreeMap<String, usize>,
) {
    let ids: Vec<&String> = flows.keys().collect();
    let pos: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut g: DiGraph<(), usize> = DiGraph::new();
    for _ in &ids {
        g.add_node(());
    }
    for (id, flow) in flows {
        for (k, node) in flow.tree.nodes.iter().enumerate() {
            if let Node::Flow(n) = node {
                if let (Some(&a), Some(&b)) = (pos.get(id.as_str()), pos.get(n.tree.as_str())) {
                    g.add_edge(NodeIndex::new(a), NodeIndex::new(b), k);
                }
            }
        }
    }
    for scc in petgraph::algo::kosaraju_scc(&g) {
        let self_loop = g.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        let mut names: Vec<&str> = scc.iter().map(|ix| ids[ix.index()].as_str()).collect();
        names.sort();
        let first = scc
            .iter()
            .min_by_key(|ix| ids[ix.index()])
            .copied()
            .unwrap_or(scc[0]);
        let tree_id = ids[first.index()];
        let Some(&file_ix) = files.get(tree_id) else {
            continue;
        };
        let file = &inputs.trees[file_ix];
        let node = g
            .edges_directed(first, Direction::Outgoing)
            .find(|e| scc.contains(&e.target()))
            .map(|e| *e.weight())
            .unwrap_or(0);
        diags.push(
            file,
            Diagnostic::error(
                "E015",
                &file.path,
                format!("/nodes/{node}/tree"),
                format!(
                    "these trees run each other in a loop: {}",
                    names.join(" -> ")
                ),
            )
            .with_help("a tree may run another tree, but never one that runs it back"),
        );
    }
}
