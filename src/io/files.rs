//! Files: gathers the `Inputs` for compiling, from a folder or file on disk or from the trees
//! built into the binary. This is the only module besides the front ends that touches the disk;
//! the core (format, compile, expr, calendar, session, summary, paths) never does.

use std::path::{Path, PathBuf};

use crate::core::compile::{Inputs, Local, SourceFile};
use crate::core::pack::BUILT_IN;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub(crate) const CONTACTS: &str = "contacts.json";
pub(crate) const GLOSSARY: &str = "glossary.json";
pub(crate) const HOLIDAYS: &str = "bank-holidays.json";
pub(crate) const QUESTIONS: &str = "questions.json";
pub(crate) const AUDIENCES: &str = "audiences.json";
pub(crate) const LETTERS: &str = "letters";
/// A pack's manifest.
pub(crate) const PACK: &str = "pack.json";
pub const PACK_FILE: &str = PACK;

/// The id of the tree a wizard starts with when none is named.
pub const DEFAULT_ROOT: &str = "start";

fn is_shared(name: &str) -> bool {
    matches!(
        name,
        CONTACTS | GLOSSARY | HOLIDAYS | QUESTIONS | AUDIENCES | PACK
    )
}

/// The trees and shared data built into the binary: the pack `signpost-family-rights`.
pub fn embedded() -> Inputs {
    let mut trees = Vec::new();
    let mut letters = Vec::new();
    let mut contacts = None;
    let mut glossary = None;
    let mut holidays = None;
    let mut questions = None;
    let mut audiences = None;
    let mut pack = None;
    for (path, text) in embedded::FILES {
        let file = SourceFile {
            path: path.to_string(),
            text: text.to_string(),
        };
        let rel = path.strip_prefix("trees/").unwrap_or(path);
        match rel {
            CONTACTS => contacts = Some(file),
            GLOSSARY => glossary = Some(file),
            HOLIDAYS => holidays = Some(file),
            QUESTIONS => questions = Some(file),
            AUDIENCES => audiences = Some(file),
            PACK => pack = Some(file),
            r if r.starts_with("letters/") && r.ends_with(".md") => letters.push(file),
            r if r.ends_with(".json") && !r.contains('/') => trees.push(file),
            _ => {}
        }
    }
    let missing = |name: &str| SourceFile {
        path: format!("trees/{name}"),
        text: String::new(),
    };
    Inputs {
        trees,
        contacts: contacts.unwrap_or_else(|| missing(CONTACTS)),
        glossary: glossary.unwrap_or_else(|| missing(GLOSSARY)),
        holidays: holidays.unwrap_or_else(|| missing(HOLIDAYS)),
        audiences: audiences.unwrap_or_else(|| missing(AUDIENCES)),
        letters,
        questions,
        under: Vec::new(),
        local: Local::default(),
        pack,
        extended: None,
        extends_error: None,
    }
}

/// The base layer of a folder that extends no pack: no contacts, glossary terms, audiences or
/// letters but its own. (Bank holidays are a calendar, not a subject: the built-in ones stay.)
fn nothing_under(name: &str, key: &str) -> SourceFile {
    SourceFile {
        path: format!("(no pack extended)/{name}"),
        text: format!("{{\"format\": 1, \"{key}\": {{}}}}"),
    }
}

/// What a folder's pack.json says it extends, read leniently (the compiler reports a broken
/// manifest); `None` when there is no manifest or it extends nothing.
fn extends_of(pack: Option<&SourceFile>) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Extends {
        #[serde(default)]
        extends: Option<serde_json::Value>,
    }
    let e: Extends = serde_json::from_str(&pack?.text).ok()?;
    e.extends?.as_str().map(str::to_string)
}

/// A pack.json for a folder that adapts the built-in pack: the built-in pack's words, under
/// its own id, extending the built-in pack (so its contacts, glossary and letters come along).
pub fn extending_manifest(id: &str) -> String {
    let built_in = embedded()
        .pack
        .and_then(|f| serde_json::from_str::<crate::core::format::PackManifest>(&f.text).ok());
    let Some(mut m) = built_in else {
        return String::new();
    };
    m.schema = Some("pack.schema.json".to_string());
    m.id = id.to_string();
    m.extends = Some(BUILT_IN.to_string());
    serde_json::to_string_pretty(&m).unwrap_or_default() + "\n"
}

/// The ids of the trees built into the binary.
pub(crate) fn builtin_tree_ids() -> Vec<String> {
    embedded()
        .trees
        .iter()
        .filter_map(|t| peek(&t.text)?.id)
        .collect()
}

/// The built-in tree with this id, as its file.
pub(crate) fn builtin_tree(id: &str) -> Option<SourceFile> {
    embedded()
        .trees
        .into_iter()
        .find(|t| peek(&t.text).is_some_and(|p| p.id.as_deref() == Some(id)))
}

/// What to compile for a path, and which tree to start from.
pub struct Loaded {
    pub inputs: Inputs,
    /// The tree named by the path (a file), or `start` (a folder), if there is one.
    pub root: Option<String>,
    /// Every file read from disk (the rest came from the built-in set); lints speak only of these.
    pub own_files: Vec<String>,
    /// One line for each file beside the tree that was left out although it looks like a
    /// mistake (it does not read as a tree, or it has the id of a tree in use).
    pub left_out: Vec<String>,
    /// The folders read: the pack's own, then each pack it extends (`--watch` watches them).
    pub folders: Vec<PathBuf>,
}

/// Which trees of a folder to compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every tree in the folder (`check FOLDER`).
    Folder,
    /// Only the tree to start from, the trees it runs (however deep) and the shared data, so an
    /// unrelated broken or duplicate file beside it does not get in the way.
    Needed,
}

/// A file's text, read within the size limit (`bounded`: pipes and devices too).
fn read(path: &Path) -> Result<SourceFile, String> {
    Ok(SourceFile {
        path: path.display().to_string(),
        text: super::bounded::read_text(path)?,
    })
}

/// What loading needs to know of a tree file before compiling it: its id and the trees its
/// `flow` nodes run. Read once per file; everything else in the file is skipped, not built.
#[derive(Default)]
struct Peek {
    id: Option<String>,
    runs: Vec<String>,
}

#[derive(serde::Deserialize)]
struct PeekFile {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    nodes: Vec<PeekNode>,
}

#[derive(serde::Deserialize)]
struct PeekNode {
    #[serde(default, rename = "type")]
    kind: Option<serde_json::Value>,
    #[serde(default)]
    tree: Option<serde_json::Value>,
}

/// Best effort: a file that is not readable JSON of the expected shape is read leniently (the
/// compiler reports what is wrong with it); `None` says it did not read as a tree.
fn peek(text: &str) -> Option<Peek> {
    let as_str = |v: Option<serde_json::Value>| v.and_then(|v| v.as_str().map(str::to_string));
    let f = serde_json::from_str::<PeekFile>(text).ok()?;
    Some(Peek {
        id: as_str(f.id),
        runs: f
            .nodes
            .into_iter()
            .filter(|n| n.kind.as_ref().and_then(|k| k.as_str()) == Some("flow"))
            .filter_map(|n| as_str(n.tree))
            .collect(),
    })
}

/// Reads a broken file's id and flow targets as well as can be done without a parser: the
/// string after the top-level key `"id"`, and every string after a key `"tree"`. A missing
/// comma or bracket elsewhere does not stop it.
fn lenient_peek(text: &str) -> Peek {
    let mut depth = 0usize;
    let mut chars = text.chars();
    let mut out = Peek::default();
    // The last string read, its depth, and whether a ':' followed it.
    let mut key: Option<(usize, String)> = None;
    let mut after_colon = false;
    while let Some(c) = chars.next() {
        match c {
            '{' | '[' => {
                depth += 1;
                key = None;
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                key = None;
            }
            ':' => after_colon = key.is_some(),
            ',' => key = None,
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                s.push(e);
                            }
                        }
                        c => s.push(c),
                    }
                }
                if after_colon {
                    if let Some((d, k)) = key.take() {
                        if d == 1 && k == "id" && out.id.is_none() {
                            out.id = Some(s.clone());
                        }
                        if k == "tree" {
                            out.runs.push(s.clone());
                        }
                    }
                    after_colon = false;
                } else {
                    key = Some((depth, s.clone()));
                }
            }
            _ => {}
        }
    }
    out
}

/// The id of the tree a file holds, read leniently.
fn peek_or_lenient(text: &str) -> (Peek, bool) {
    match peek(text) {
        Some(p) => (p, true),
        None => (lenient_peek(text), false),
    }
}

/// Loads a tree file or a folder of trees for `check`: a folder with every tree in it, a file
/// with what it needs (see `Scope`).
pub fn load(path: &Path) -> Result<Loaded, String> {
    let scope = if path.is_dir() {
        Scope::Folder
    } else {
        Scope::Needed
    };
    load_scoped(path, scope)
}

/// Loads what running one tree needs: the tree named by the path (or the folder's `start`), the
/// trees it runs, and the shared data.
pub fn load_tree(path: &Path) -> Result<Loaded, String> {
    load_scoped(path, Scope::Needed)
}

/// One tree file found beside the others.
struct Found {
    file: SourceFile,
    peek: Peek,
    /// False when the file did not read as a tree (its id was read leniently).
    readable: bool,
}

/// Loads a tree file or a folder of trees. When the folder's pack.json extends the built-in
/// pack, trees the folder does not define but runs come from the built-in set, and its
/// contacts, glossary, audiences and letters are laid over the built-in ones; otherwise the
/// folder's own files are all there is.
pub(crate) fn load_scoped(path: &Path, scope: Scope) -> Result<Loaded, String> {
    let (dir, named) = folder_and_file(path)?;
    let builtin = embedded();
    let entries = tree_paths(&dir, named.as_ref())?;
    let found = read_trees(&entries, named.as_ref(), scope)?;
    let root = root_of(&found, named.as_ref());

    // Which local files to compile.
    let (keep, left_out) = match scope {
        Scope::Folder => (vec![true; found.len()], Vec::new()),
        Scope::Needed => {
            let keep = needed(&found, named.as_ref(), root.as_ref());
            let left_out = left_out(&found, &keep);
            (keep, left_out)
        }
    };
    let found: Vec<Found> = found
        .into_iter()
        .zip(keep)
        .filter_map(|(f, k)| k.then_some(f))
        .collect();
    let mut own_files: Vec<String> = found.iter().map(|f| f.file.path.clone()).collect();
    let shared = LocalShared::read(&dir)?;
    // Layering is explicit: nothing is laid under this folder unless its pack.json `extends`
    // the built-in pack or another pack's folder.
    let chain = Chain::follow(&dir, shared.pack.as_ref());
    // The built-in pack's manifest lies under the chain for its snippets.
    let built_in_pack = match chain.built_in {
        true => builtin.pack.clone().map(|pack| Local {
            pack: Some(pack),
            ..Local::default()
        }),
        false => None,
    };
    let base = match chain.built_in {
        true => builtin,
        false => Inputs {
            trees: Vec::new(),
            contacts: nothing_under(CONTACTS, "contacts"),
            glossary: nothing_under(GLOSSARY, "terms"),
            audiences: nothing_under(AUDIENCES, "audiences"),
            letters: Vec::new(),
            questions: None,
            ..builtin
        },
    };
    let trees = with_builtin_trees(found, chain.trees(base.trees));
    let mut folders = vec![dir.clone()];
    folders.extend(chain.layers.iter().map(|l| l.folder.clone()));
    let (layer_holidays, layer_questions) = chain.nearest_calendar_and_catalogue();

    own_files.extend(
        [
            &shared.contacts,
            &shared.glossary,
            &shared.holidays,
            &shared.questions,
            &shared.audiences,
            &shared.pack,
        ]
        .into_iter()
        .flatten()
        .chain(&shared.letters)
        .map(|f| f.path.clone()),
    );
    Ok(Loaded {
        inputs: Inputs {
            trees,
            contacts: base.contacts,
            glossary: base.glossary,
            holidays: shared.holidays.or(layer_holidays).unwrap_or(base.holidays),
            audiences: base.audiences,
            letters: base.letters,
            // A folder's own catalogue phrasings replace the built-in ones whole: they describe
            // its own questions.
            questions: shared.questions.or(layer_questions).or(base.questions),
            under: built_in_pack
                .into_iter()
                .chain(chain.layers.into_iter().rev().map(Layer::into_local))
                .collect(),
            local: Local {
                folder: Some(dir.display().to_string()),
                contacts: shared.contacts,
                glossary: shared.glossary,
                audiences: shared.audiences,
                letters: shared.letters,
                pack: None,
            },
            pack: shared.pack,
            extended: chain.extended,
            extends_error: chain.error,
        },
        root,
        own_files,
        left_out,
        folders,
    })
}

/// The folder the trees are in, and the file named, if the path names one.
fn folder_and_file(path: &Path) -> Result<(PathBuf, Option<PathBuf>), String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (dir, named): (PathBuf, Option<PathBuf>) = if meta.is_dir() {
        (path.to_path_buf(), None)
    } else {
        (
            path.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(".")),
            Some(path.to_path_buf()),
        )
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    Ok((dir, named))
}

/// The tree files of the folder (not its shared data or schemas), sorted, with the named file.
fn tree_paths(dir: &Path, named: Option<&PathBuf>) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the folder {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| is_shared(n) || n.ends_with(".schema.json"))
        })
        // "./x.json" and "x.json" are the same file; keep the name as the person wrote it.
        .map(|p| match (named, p.file_name()) {
            (Some(n), Some(f)) if n.file_name() == Some(f) => n.clone(),
            _ => p,
        })
        .collect();
    entries.sort();
    if let Some(n) = named {
        if !entries.iter().any(|p| p == n) {
            entries.push(n.clone());
        }
    }
    Ok(entries)
}

/// Each tree with what it says about itself, read once.
fn read_trees(
    entries: &[PathBuf],
    named: Option<&PathBuf>,
    scope: Scope,
) -> Result<Vec<Found>, String> {
    let mut found: Vec<Found> = Vec::new();
    for p in entries {
        let file = match read(p) {
            Ok(f) => f,
            // Only the named file must be readable; a sibling that is not is left out below.
            Err(e) if named == Some(p) || scope == Scope::Folder => return Err(e),
            Err(_) => SourceFile {
                path: p.display().to_string(),
                text: String::new(),
            },
        };
        let (seen, readable) = peek_or_lenient(&file.text);
        // A saved progress file beside the trees is not a tree.
        if file.text.contains("\"signpost_progress\"") && seen.id.is_none() {
            continue;
        }
        found.push(Found {
            file,
            peek: seen,
            readable,
        });
    }
    Ok(found)
}

fn is_named(named: Option<&PathBuf>, f: &Found) -> bool {
    named.is_some_and(|n| Path::new(&f.file.path) == n)
}

/// The tree to start from: the named one, else the folder's `start`, else its only tree.
fn root_of(found: &[Found], named: Option<&PathBuf>) -> Option<String> {
    let own_ids: Vec<&str> = found.iter().filter_map(|f| f.peek.id.as_deref()).collect();
    match named {
        Some(_) => found
            .iter()
            .find(|f| is_named(named, f))
            .and_then(|f| f.peek.id.clone()),
        None if own_ids.contains(&DEFAULT_ROOT) => Some(DEFAULT_ROOT.to_string()),
        None => {
            let mut ids = own_ids.clone();
            ids.sort_unstable();
            ids.dedup();
            match ids.as_slice() {
                [only] => Some(only.to_string()),
                _ => None,
            }
        }
    }
}

/// Which trees running the root needs: it, and the trees it runs, directly or not.
fn needed(found: &[Found], named: Option<&PathBuf>, root: Option<&String>) -> Vec<bool> {
    let mut keep = vec![false; found.len()];
    // Without a tree to start from (a folder with no `start` and several trees), the command
    // says so, naming them; every tree is loaded for that.
    let start: Vec<usize> = match (named, root) {
        (Some(_), _) => (0..found.len())
            .filter(|&i| is_named(named, &found[i]))
            .collect(),
        (None, Some(r)) => (0..found.len())
            .filter(|&i| found[i].peek.id.as_deref() == Some(r))
            .collect(),
        (None, None) => (0..found.len()).collect(),
    };
    let mut wanted: Vec<String> = Vec::new();
    let mut done: Vec<String> = root.into_iter().cloned().collect();
    for i in start {
        keep[i] = true;
        wanted.extend(found[i].peek.runs.iter().cloned());
    }
    while let Some(id) = wanted.pop() {
        if done.contains(&id) {
            continue;
        }
        for (i, f) in found.iter().enumerate() {
            if f.peek.id.as_deref() == Some(id.as_str()) && !keep[i] {
                keep[i] = true;
                wanted.extend(f.peek.runs.iter().cloned());
            }
        }
        done.push(id);
    }
    keep
}

/// Why each tree file not kept was left out, when the person may wonder: it shares an id with
/// the tree in use, or it does not read as a tree.
fn left_out(found: &[Found], keep: &[bool]) -> Vec<String> {
    let mut left_out = Vec::new();
    let kept_ids: Vec<(&str, &str)> = found
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .filter_map(|(f, _)| Some((f.peek.id.as_deref()?, f.file.path.as_str())))
        .collect();
    for (f, _) in found.iter().zip(keep).filter(|(_, k)| !**k) {
        let path = &f.file.path;
        let same_id = f
            .peek
            .id
            .as_deref()
            .and_then(|id| kept_ids.iter().find(|(k, _)| *k == id));
        if let Some((id, other)) = same_id {
            left_out.push(format!(
                "left out {path}: it has the id `{id}` of {other}, which is the one in use"
            ));
        } else if !f.readable {
            left_out.push(format!(
                "left out {path}: it does not read as a tree (`signpost check {path}` says why)"
            ));
        }
    }
    left_out
}

/// The local trees, then the built-in trees they run. Built-in trees come along only when a
/// tree here runs them (directly or through another), so a folder with its own contacts is not
/// checked against trees it never uses.
fn with_builtin_trees(found: Vec<Found>, builtin: Vec<SourceFile>) -> Vec<SourceFile> {
    let own_ids: Vec<String> = found.iter().filter_map(|f| f.peek.id.clone()).collect();
    let mut wanted: Vec<String> = found.iter().flat_map(|f| f.peek.runs.clone()).collect();
    let mut trees: Vec<SourceFile> = found.into_iter().map(|f| f.file).collect();
    let mut builtin_trees: Vec<(SourceFile, Peek)> = builtin
        .into_iter()
        .map(|t| {
            let p = peek(&t.text).unwrap_or_default();
            (t, p)
        })
        .collect();
    let mut added: Vec<String> = Vec::new();
    while let Some(id) = wanted.pop() {
        if own_ids.contains(&id) || added.contains(&id) {
            continue;
        }
        if let Some(i) = builtin_trees
            .iter()
            .position(|(_, p)| p.id.as_deref() == Some(id.as_str()))
        {
            let (t, p) = builtin_trees.swap_remove(i);
            wanted.extend(p.runs);
            trees.push(t);
            added.push(id);
        }
    }
    trees
}

/// A pack this folder extends (directly or through another), as read from its folder.
struct Layer {
    folder: PathBuf,
    shared: LocalShared,
    /// Its tree files: a tree of the folder runs one of them when it has none of that id.
    trees: Vec<SourceFile>,
}

impl Layer {
    fn into_local(self) -> Local {
        Local {
            folder: Some(self.folder.display().to_string()),
            contacts: self.shared.contacts,
            glossary: self.shared.glossary,
            audiences: self.shared.audiences,
            letters: self.shared.letters,
            pack: self.shared.pack,
        }
    }
}

/// The packs under a folder, from `extends` to `extends`: each pack's folder is named relative
/// to the folder of the pack that names it, and the chain ends at a pack that extends nothing
/// or the built-in pack.
#[derive(Default)]
struct Chain {
    /// Nearest first.
    layers: Vec<Layer>,
    /// The chain ends at the built-in pack.
    built_in: bool,
    /// What this folder's pack.json `extends`, when the whole chain could be followed.
    extended: Option<String>,
    /// Why it could not be (the compiler reports it at `extends`, E038).
    error: Option<String>,
}

impl Chain {
    fn follow(dir: &Path, pack: Option<&SourceFile>) -> Chain {
        let Some(first) = extends_of(pack) else {
            return Chain::default();
        };
        let mut chain = Chain::default();
        match chain.walk(dir, &first) {
            Ok(()) => chain.extended = Some(first),
            Err(why) => {
                // Nothing half-followed is laid under: the compiler reports why.
                chain = Chain {
                    error: Some(why),
                    ..Chain::default()
                };
            }
        }
        chain
    }

    fn walk(&mut self, dir: &Path, first: &str) -> Result<(), String> {
        let same = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let mut seen = vec![same(dir)];
        let (mut at, mut next) = (dir.to_path_buf(), Some(first.to_string()));
        while let Some(name) = next.take() {
            if name == BUILT_IN {
                self.built_in = true;
                break;
            }
            let by = if self.layers.is_empty() {
                String::new()
            } else {
                format!(" (named by {})", at.join(PACK).display())
            };
            if Path::new(&name).is_absolute() {
                return Err(format!(
                    "`{name}`{by} is not a folder relative to the pack that names it"
                ));
            }
            let folder = at.join(&name);
            if !folder.is_dir() && !name.contains(['/', '\\']) {
                // Most likely a pack's id misspelt, rather than a folder.
                return Err(format!(
                    "`{name}`{by} is not the built-in pack's id, and there is no folder {}",
                    folder.display()
                ));
            }
            if !folder.is_dir() {
                return Err(format!("there is no folder {}{by}", folder.display()));
            }
            if !folder.join(PACK).is_file() {
                return Err(format!(
                    "the folder {}{by} has no pack.json, so it is not a pack",
                    folder.display()
                ));
            }
            if seen.contains(&same(&folder)) {
                return Err(format!(
                    "the packs extend each other in a loop ({} is reached again)",
                    folder.display()
                ));
            }
            if self.layers.len() == crate::core::limits::MAX_EXTENDS {
                return Err(format!(
                    "more than {} packs extend one another; lay fewer under each other",
                    crate::core::limits::MAX_EXTENDS
                ));
            }
            let shared = LocalShared::read(&folder)?;
            let trees = tree_paths(&folder, None)?
                .iter()
                .filter_map(|p| read(p).ok())
                .collect();
            next = extends_of(shared.pack.as_ref());
            seen.push(same(&folder));
            self.layers.push(Layer {
                folder: folder.clone(),
                shared,
                trees,
            });
            at = folder;
        }
        Ok(())
    }

    /// The trees a tree of the folder may run without defining: the base's, with each layer's
    /// over them (the nearer pack's tree of an id wins).
    fn trees(&self, base: Vec<SourceFile>) -> Vec<SourceFile> {
        let id = |t: &SourceFile| peek(&t.text).and_then(|p| p.id);
        let mut out = base;
        for layer in self.layers.iter().rev() {
            for t in &layer.trees {
                let tid = id(t);
                out.retain(|o| tid.is_none() || id(o) != tid);
                out.push(t.clone());
            }
        }
        out
    }

    /// The nearest layer's bank holidays and question phrasings, if any has them.
    fn nearest_calendar_and_catalogue(&self) -> (Option<SourceFile>, Option<SourceFile>) {
        let find = |f: fn(&LocalShared) -> &Option<SourceFile>| {
            self.layers.iter().find_map(|l| f(&l.shared).clone())
        };
        (find(|s| &s.holidays), find(|s| &s.questions))
    }
}

/// Shared data beside the trees, laid over the built-in data (bank holidays replace it).
struct LocalShared {
    contacts: Option<SourceFile>,
    glossary: Option<SourceFile>,
    holidays: Option<SourceFile>,
    questions: Option<SourceFile>,
    audiences: Option<SourceFile>,
    letters: Vec<SourceFile>,
    /// The folder's pack.json.
    pack: Option<SourceFile>,
}

impl LocalShared {
    fn read(dir: &Path) -> Result<LocalShared, String> {
        let local_file = |name: &str| -> Result<Option<SourceFile>, String> {
            let p = dir.join(name);
            if p.exists() {
                read(&p).map(Some)
            } else {
                Ok(None)
            }
        };
        let contacts = local_file(CONTACTS)?;
        let glossary = local_file(GLOSSARY)?;
        let holidays = local_file(HOLIDAYS)?;
        let questions = local_file(QUESTIONS)?;
        let audiences = local_file(AUDIENCES)?;
        let pack = local_file(PACK)?;
        let letters_dir = dir.join(LETTERS);
        let letters = if letters_dir.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&letters_dir)
                .map_err(|e| format!("cannot read {}: {e}", letters_dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect();
            files.sort();
            files
                .iter()
                .map(|p| read(p))
                .collect::<Result<Vec<_>, _>>()?
        } else {
            Vec::new()
        };
        Ok(LocalShared {
            contacts,
            glossary,
            holidays,
            questions,
            audiences,
            letters,
            pack,
        })
    }
}
