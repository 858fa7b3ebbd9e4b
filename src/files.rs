//! Files: gathers the `Inputs` for compiling, from a folder or file on disk or from the trees
//! built into the binary. This is the only module besides the front ends that touches the disk;
//! the core (format, compile, expr, calendar, session, summary, paths) never does.

use std::path::{Path, PathBuf};

use crate::compile::{Inputs, SourceFile};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub const CONTACTS: &str = "contacts.json";
pub const GLOSSARY: &str = "glossary.json";
pub const HOLIDAYS: &str = "bank-holidays.json";
pub const LETTERS: &str = "letters";

/// The id of the tree a wizard starts with when none is named.
pub const DEFAULT_ROOT: &str = "start";

fn is_shared(name: &str) -> bool {
    matches!(name, CONTACTS | GLOSSARY | HOLIDAYS)
}

/// The trees and shared data built into the binary.
pub fn embedded() -> Inputs {
    let mut trees = Vec::new();
    let mut letters = Vec::new();
    let mut contacts = None;
    let mut glossary = None;
    let mut holidays = None;
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
        letters,
    }
}

/// What to compile for a path, and which tree to start from.
pub struct Loaded {
    pub inputs: Inputs,
    /// The tree named by the path (a file), or `start` (a folder), if there is one.
    pub root: Option<String>,
    /// Every file read from disk (the rest came from the built-in set); lints speak only of these.
    pub own_files: Vec<String>,
}

fn read(path: &Path) -> Result<SourceFile, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if meta.len() > crate::limits::MAX_FILE_BYTES {
        return Err(format!(
            "{} is {} bytes; the most Signpost reads is {} (docs/limits.md)",
            path.display(),
            meta.len(),
            crate::limits::MAX_FILE_BYTES
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
    Ok(SourceFile {
        path: path.display().to_string(),
        text,
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

/// Best effort: a file that is not readable JSON of the expected shape peeks as nothing (the
/// compiler reports what is wrong with it).
fn peek(text: &str) -> Peek {
    let as_str = |v: Option<serde_json::Value>| v.and_then(|v| v.as_str().map(str::to_string));
    match serde_json::from_str::<PeekFile>(text) {
        Ok(f) => Peek {
            id: as_str(f.id),
            runs: f
                .nodes
                .into_iter()
                .filter(|n| n.kind.as_ref().and_then(|k| k.as_str()) == Some("flow"))
                .filter_map(|n| as_str(n.tree))
                .collect(),
        },
        // A node of an odd shape (not an object) still leaves the id readable.
        Err(_) => Peek {
            id: serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v.get("id")?.as_str().map(str::to_string)),
            runs: Vec::new(),
        },
    }
}

/// Loads a tree file or a folder of trees. Shared data missing from the folder, and trees it
/// does not define but runs, come from the built-in set.
pub fn load(path: &Path) -> Result<Loaded, String> {
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
    let builtin = embedded();
    let builtin_paths: Vec<String> = [&builtin.contacts, &builtin.glossary, &builtin.holidays]
        .into_iter()
        .chain(&builtin.letters)
        .map(|f| f.path.clone())
        .collect();

    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read the folder {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| is_shared(n) || n.ends_with(".schema.json"))
        })
        // "./x.json" and "x.json" are the same file; keep the name as the person wrote it.
        .map(|p| match (&named, p.file_name()) {
            (Some(n), Some(f)) if n.file_name() == Some(f) => n.clone(),
            _ => p,
        })
        .collect();
    entries.sort();
    // Each tree with what it says about itself, read once.
    let mut peeked: Vec<(SourceFile, Peek)> = Vec::new();
    for p in &entries {
        let file = read(p)?;
        let seen = peek(&file.text);
        // A saved progress file beside the trees is not a tree.
        if file.text.contains("\"signpost_progress\"") && seen.id.is_none() {
            continue;
        }
        peeked.push((file, seen));
    }
    if let Some(n) = &named {
        if !entries.iter().any(|p| p == n) {
            let file = read(n)?;
            let seen = peek(&file.text);
            peeked.push((file, seen));
        }
    }
    let own_files: Vec<String> = peeked.iter().map(|(t, _)| t.path.clone()).collect();
    let own_ids: Vec<String> = peeked.iter().filter_map(|(_, p)| p.id.clone()).collect();
    let root = match &named {
        Some(n) => peeked
            .iter()
            .find(|(t, _)| Path::new(&t.path) == n)
            .and_then(|(_, p)| p.id.clone()),
        None if own_ids.iter().any(|id| id == DEFAULT_ROOT) => Some(DEFAULT_ROOT.to_string()),
        None if own_ids.len() == 1 => own_ids.first().cloned(),
        None => None,
    };
    // Built-in trees come along only when a tree here runs them (directly or through another),
    // so a folder with its own contacts is not checked against trees it never uses.
    let mut wanted: Vec<String> = peeked.iter().flat_map(|(_, p)| p.runs.clone()).collect();
    let mut trees: Vec<SourceFile> = peeked.into_iter().map(|(t, _)| t).collect();
    let mut builtin_trees: Vec<(SourceFile, Peek)> = builtin
        .trees
        .into_iter()
        .map(|t| {
            let p = peek(&t.text);
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

    let shared = |name: &str, fallback: SourceFile| -> Result<SourceFile, String> {
        let p = dir.join(name);
        if p.exists() {
            read(&p)
        } else {
            Ok(fallback)
        }
    };
    let contacts = shared(CONTACTS, builtin.contacts)?;
    let glossary = shared(GLOSSARY, builtin.glossary)?;
    let holidays = shared(HOLIDAYS, builtin.holidays)?;
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
        builtin.letters
    };

    let mut own_files = own_files;
    for f in [&contacts, &glossary, &holidays]
        .into_iter()
        .chain(&letters)
    {
        if !builtin_paths.contains(&f.path) {
            own_files.push(f.path.clone());
        }
    }
    Ok(Loaded {
        inputs: Inputs {
            trees,
            contacts,
            glossary,
            holidays,
            letters,
        },
        root,
        own_files,
    })
}
