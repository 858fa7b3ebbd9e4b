//! Compile: tree files in, a proven `Library` of flows out (or every problem found, never only
//! the first). Each tree becomes a petgraph graph whose node indices are the positions of the
//! nodes in the file, so no second lookup table is needed.
//!
//! What a compiled Library guarantees (docs/architecture.md lists these as invariants): no
//! dangling ids, no duplicate ids, no unreachable node, no cycle, no dead end, no loop of trees
//! running each other, and every fact read by a condition or template is set on every path that
//! reaches it.
//!
//! The work is split into passes, one file each:
//! - `reporter`: collects diagnostics and reads JSON, reporting syntax and shape errors;
//! - `shared`: contacts, glossary, bank holidays, audiences and letters, with local files laid
//!   over them; `manifest`: the pack's pack.json;
//! - `audiences`: each audience's condition, and the audiences each advice item is for;
//! - `parse`: each tree file read node by node, so every broken part is reported;
//! - `tree`: the checks of one tree, run as a sequence of named passes;
//! - `header`, `nodes`, `advice`, `expressions`, `dates`, `graph`, `facts`, `modules`, `text`:
//!   the passes themselves;
//! - `names`: what a tree id, node id or fact name may be;
//! - `library`: the checks across trees, and the screens counted through sub-flows;
//! - `questions`: the question catalogue (`rank_by` and questions.json), indexed for matching.

mod advice;
mod audiences;
mod dates;
mod expressions;
mod facts;
mod graph;
mod header;
mod lets;
mod library;
mod manifest;
mod modules;
mod names;
mod nodes;
mod parse;
mod questions;
mod reporter;
mod shared;
mod snippets;
pub(crate) use snippets::put_in as put_snippets;
mod text;
mod tree;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::core::calendar::Calendar;
use crate::core::diagnostics::Diagnostic;
use crate::core::expr::Expr;
use crate::core::format::*;
use crate::core::pack::Pack;
use crate::core::questions::Catalogue;

pub(crate) use graph::topological_order;
pub use lets::Derived;

use reporter::Diagnostics;

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
    /// Who advice can be for (audiences.json): each name a condition on the triage's facts.
    pub audiences: SourceFile,
    /// Files named `<letter id>.md`: a `# Title` line, then the template.
    pub letters: Vec<SourceFile>,
    /// The phrasings of the question catalogue (questions.json): the folder's own, which
    /// replaces the built-in one, or the built-in one. `None` when there is none.
    pub questions: Option<SourceFile>,
    /// The packs between the base layer and this folder, when `extends` names another pack's
    /// folder (and that one another): the farthest first, each laid over the one before.
    pub under: Vec<Local>,
    /// Contacts, glossary terms and letters kept beside the trees, laid over the ones above.
    pub local: Local,
    /// The pack's manifest (pack.json). Without one, the pack's wording is neutral.
    pub pack: Option<SourceFile>,
    /// The pack whose data is laid under the folder's own (the one its `extends` names), when
    /// the loader found it; checked against the manifest's `extends` (E038).
    pub extended: Option<String>,
    /// Why the loader could not follow `extends` (no such folder, no pack.json there, a loop,
    /// too many packs deep), for E038 at the manifest's `extends`.
    pub extends_error: Option<String>,
}

impl Inputs {
    /// Every file, built-in and local: trees, shared data, then letters.
    pub fn files(&self) -> Vec<&SourceFile> {
        self.trees
            .iter()
            .chain([&self.contacts, &self.glossary, &self.holidays])
            .chain([&self.audiences])
            .chain(&self.letters)
            .chain(self.questions.iter())
            .chain(self.under.iter().flat_map(Local::files))
            .chain(self.local.contacts.iter())
            .chain(self.local.glossary.iter())
            .chain(self.local.audiences.iter())
            .chain(&self.local.letters)
            .chain(self.pack.iter())
            .collect()
    }
}

/// Shared data kept beside the trees (a `contacts.json`, `glossary.json`, `audiences.json` or
/// `letters/` in their folder). Each entry adds to the built-in data, or replaces the built-in entry with its id.
#[derive(Debug, Clone, Default)]
pub struct Local {
    /// The folder they are in, named in hints ("add it to mine/contacts.json").
    pub folder: Option<String>,
    pub contacts: Option<SourceFile>,
    pub glossary: Option<SourceFile>,
    pub audiences: Option<SourceFile>,
    pub letters: Vec<SourceFile>,
    /// The folder's pack.json (set for the packs in `Inputs::under`; the folder's own is
    /// `Inputs::pack`).
    pub pack: Option<SourceFile>,
}

impl Local {
    /// Its contacts, glossary, audiences, letters and manifest.
    fn files(&self) -> impl Iterator<Item = &SourceFile> {
        self.contacts
            .iter()
            .chain(self.glossary.iter())
            .chain(self.audiences.iter())
            .chain(&self.letters)
            .chain(self.pack.iter())
    }
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
    /// "contact", "glossary term", "audience" or "letter".
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
    pub audiences: BTreeMap<String, Origin>,
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
    /// The line of the file the body starts on, so a mistake in it is shown at its line.
    pub body_line: usize,
}

/// Two letters are the same when they read the same, wherever their files are.
impl PartialEq for Letter {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.title == other.title && self.body == other.body
    }
}

/// An audience as compiled: its label, its condition, and the facts the condition reads
/// without an `is defined` guard (when a walk never set one of them, the audience is not known).
#[derive(Debug, Clone)]
pub struct Audience {
    pub label: String,
    pub when: String,
    pub(crate) needs: BTreeSet<String>,
}

/// The audience every item may name without defining it: anyone at all.
pub const EVERYONE: &str = "everyone";

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
    file: String,
    tree: TreeFile,
    /// Node index i is `tree.nodes[i]`.
    graph: DiGraph<(), Edge>,
    index: HashMap<String, NodeIndex>,
    start: NodeIndex,
    /// Longest number of screens (questions and pages) from each node to an outcome, counting
    /// the node itself; used for "about N questions left".
    remaining: Vec<u32>,
    /// Facts read by each advice item's body and due date only: the answers that explain it.
    advice_text_reads: BTreeMap<String, BTreeSet<String>>,
    /// The computed facts (`let`), each after the ones it reads.
    lets: Vec<Derived>,
    /// Every snippet its texts and letters may use: its own over its pack's.
    snippets: BTreeMap<String, String>,
}

/// A `Flow` is one proven tree; like the `Library`, only `compile` makes one.
impl Flow {
    /// The file the tree was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The tree as written.
    pub fn tree(&self) -> &TreeFile {
        &self.tree
    }

    /// Node index i is `tree().nodes[i]`.
    pub fn graph(&self) -> &DiGraph<(), Edge> {
        &self.graph
    }

    /// Node indexes by id.
    pub fn index(&self) -> &HashMap<String, NodeIndex> {
        &self.index
    }

    pub fn start(&self) -> NodeIndex {
        self.start
    }

    /// Longest number of screens from each node to an outcome, counting the node itself.
    pub(crate) fn remaining(&self) -> &[u32] {
        &self.remaining
    }

    /// Facts read by each advice item's body and due date only: the answers that explain it.
    pub(crate) fn advice_text_reads(&self) -> &BTreeMap<String, BTreeSet<String>> {
        &self.advice_text_reads
    }

    /// Every snippet the tree's texts and letters may use: its own over its pack's.
    pub fn snippets(&self) -> &BTreeMap<String, String> {
        &self.snippets
    }

    /// The computed facts (`let`), each after the ones it reads.
    pub fn lets(&self) -> &[Derived] {
        &self.lets
    }

    /// The computed fact of this name, if the tree has one.
    pub fn computed(&self, name: &str) -> Option<&Derived> {
        self.lets.iter().find(|d| d.name == name)
    }

    /// `facts` with each computed fact replaced by the facts it rests on: what a condition
    /// reading them really depends on.
    pub(crate) fn resting_on(&self, facts: &BTreeSet<String>) -> BTreeSet<String> {
        if self.lets.is_empty() {
            return facts.clone();
        }
        let mut out = BTreeSet::new();
        for f in facts {
            match self.computed(f) {
                Some(d) => out.extend(d.rests_on.iter().cloned()),
                None => {
                    out.insert(f.clone());
                }
            }
        }
        out
    }

    pub fn node(&self, ix: NodeIndex) -> &Node {
        &self.tree.nodes[ix.index()]
    }

    pub fn node_by_id(&self, id: &str) -> Option<(NodeIndex, &Node)> {
        self.index.get(id).map(|&ix| (ix, self.node(ix)))
    }

    /// True when the tree's advice only applies in some nations.
    pub(crate) fn is_restricted(&self) -> bool {
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

/// A set of compiled trees with the shared data they use. Only `compile` makes one, and only
/// when it found no errors; its fields are private, so nothing can change it afterwards:
///
/// ```
/// fn trees(lib: &signpost::compile::Library) -> usize {
///     lib.flows().len()
/// }
/// ```
///
/// ```compile_fail,E0616
/// fn trees(lib: &signpost::compile::Library) -> usize {
///     lib.flows.len()
/// }
/// ```
#[derive(Debug)]
pub struct Library {
    flows: BTreeMap<String, Flow>,
    contacts: BTreeMap<String, Contact>,
    glossary: BTreeMap<String, GlossaryTerm>,
    letters: BTreeMap<String, Letter>,
    calendar: Arc<Calendar>,
    /// Who advice can be for, by name (`everyone` is built in and not listed).
    audiences: BTreeMap<String, Audience>,
    expr: Expr,
    /// The question catalogue (options of `multi` nodes with `rank_by`), indexed for matching.
    questions: Catalogue,
    /// Where each contact, glossary term and letter came from (built in, or beside the trees).
    origins: Origins,
    /// The words around the trees: the service's name, the disclaimer, the emergency line.
    pack: Pack,
}

/// A `Library` exists only when compiling found no errors (docs/architecture.md, invariant 3),
/// so its fields are private: nothing outside `compile` can build or change one.
impl Library {
    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.flows.get(id)
    }

    /// Every tree, by id.
    pub fn flows(&self) -> &BTreeMap<String, Flow> {
        &self.flows
    }

    pub fn contacts(&self) -> &BTreeMap<String, Contact> {
        &self.contacts
    }

    pub fn glossary(&self) -> &BTreeMap<String, GlossaryTerm> {
        &self.glossary
    }

    pub fn letters(&self) -> &BTreeMap<String, Letter> {
        &self.letters
    }

    pub fn calendar(&self) -> &Arc<Calendar> {
        &self.calendar
    }

    /// Who advice can be for, by name (`everyone` is built in and not listed).
    pub fn audiences(&self) -> &BTreeMap<String, Audience> {
        &self.audiences
    }

    /// The expression language, with every condition and text of the trees compiled once.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The question catalogue, for finding the questions closest to what a person typed.
    pub fn questions(&self) -> &Catalogue {
        &self.questions
    }

    /// Where each contact, glossary term and letter came from.
    pub(crate) fn origins(&self) -> &Origins {
        &self.origins
    }

    /// The pack the trees came in (neutral wording when the folder has no pack.json).
    pub fn pack(&self) -> &Pack {
        &self.pack
    }
}

/// The result of compiling: the library if there were no errors, and every diagnostic.
#[derive(Debug)]
pub struct Compiled {
    pub library: Option<Library>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The well-known fact that says where the family lives; single-nation trees need it.
pub(crate) const NATION_FACT: &str = "nation";

/// Compiles every tree with the shared data. Never panics on any input.
pub fn compile(inputs: &Inputs) -> Compiled {
    let mut diags = Diagnostics::default();
    let data = shared::load(&mut diags, inputs);
    let pack = manifest::load(&mut diags, inputs);
    let pack_snippets = snippets::of_pack(&mut diags, inputs);
    // The folder where a missing contact or letter would go.
    let folder = inputs.local.folder.as_deref().unwrap_or("trees");

    // Without a calendar no date can be checked; a fallback keeps the tree checks going.
    let expr_calendar = data
        .calendar
        .clone()
        .unwrap_or_else(|| Arc::new(Calendar::uncovered()));
    let expr = Expr::new(expr_calendar.clone());

    let empty_contacts = BTreeMap::new();
    let shared = Shared {
        contacts: data
            .contacts
            .as_ref()
            .map(|c| &c.contacts)
            .unwrap_or(&empty_contacts),
        letters: &data.letters,
        broken_letters: &data.broken_letters,
        audiences: data.audiences.as_ref(),
        folder,
        expr: &expr,
        calendar: &expr_calendar,
        snippets: &pack_snippets,
    };

    let trees = parse::parse_trees(&mut diags, inputs);
    let mut flows = tree::check_trees(&mut diags, inputs, &shared, trees.parsed, trees.duplicates);
    library::check_tree_loops(&mut diags, inputs, &flows, &trees.files);
    library::check_covered_by(&mut diags, inputs, &flows, &trees.files);
    library::count_sub_flow_screens(&mut flows);
    let catalogue = questions::check_catalogue(
        &mut diags,
        inputs,
        &flows,
        &trees.files,
        data.questions.as_ref(),
    );
    let audiences = data
        .audiences
        .as_ref()
        .map(|a| audiences::check(&mut diags, inputs, &shared, (a, &data.origins), &flows));

    let has_errors = diags.list.iter().any(|d| d.is_error());
    let library = match (
        has_errors,
        data.calendar,
        data.contacts,
        data.glossary,
        pack,
    ) {
        (false, Some(calendar), Some(contacts), Some(glossary), Some(pack)) => Some(Library {
            flows,
            contacts: contacts.contacts,
            glossary: glossary.terms,
            letters: data.letters,
            calendar,
            audiences: audiences.unwrap_or_default(),
            expr,
            questions: catalogue,
            origins: data.origins,
            pack,
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
    /// The audiences items may name; None when audiences.json did not read (already reported).
    audiences: Option<&'a BTreeMap<String, AudienceDef>>,
    /// The folder where local contacts and letters go, for hints.
    folder: &'a str,
    expr: &'a Expr,
    calendar: &'a Calendar,
    /// The snippets of the pack and the packs it extends (a tree's own win over them).
    snippets: &'a BTreeMap<String, String>,
}
