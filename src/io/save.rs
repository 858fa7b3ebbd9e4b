//! Saving: summaries and progress files, written only when the person asks, atomically
//! (temporary file + rename, so a crash leaves the old file whole) and readable by the owner only.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::compile::Library;
use crate::core::limits::MAX_SAVED_ANSWERS;
use crate::core::session::{Answer, NodeKey};

/// Why a file was not written. `Display` gives the message a person sees.
#[derive(Debug)]
pub enum SaveError {
    /// The path is a folder.
    Folder(PathBuf),
    /// A new file was asked for and one is there already; nothing was written.
    Exists(PathBuf),
    /// Writing failed: `doing` is what was being done ("write", "write in" a folder, "save",
    /// "keep the permissions of").
    Cannot {
        doing: &'static str,
        path: PathBuf,
        error: std::io::Error,
    },
}

impl SaveError {
    fn cannot(doing: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> SaveError {
        let path = path.to_path_buf();
        move |error| SaveError::Cannot { doing, path, error }
    }
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::Folder(p) => write!(f, "{} is a folder; give a file name", p.display()),
            SaveError::Exists(p) => {
                write!(f, "{} already exists; nothing was written", p.display())
            }
            SaveError::Cannot { doing, path, error } => {
                write!(f, "cannot {doing} {}: {error}", path.display())
            }
        }
    }
}

impl From<SaveError> for String {
    fn from(e: SaveError) -> String {
        e.to_string()
    }
}

/// Writes `contents` to `path` atomically with owner-only permissions. A symlink planted at
/// `path` is replaced, never followed.
pub fn write_private(path: &Path, contents: &str) -> Result<(), SaveError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(SaveError::Folder(path.to_path_buf()));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".signpost-")
        .tempfile_in(&dir)
        .map_err(SaveError::cannot("write in", &dir))?;
    // tempfile creates the file with mode 0600 on Unix already; say so explicitly anyway.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o600));
    }
    tmp.write_all(contents.as_bytes())
        .map_err(SaveError::cannot("write", path))?;
    tmp.as_file()
        .sync_all()
        .map_err(SaveError::cannot("write", path))?;
    tmp.persist(path)
        .map_err(|e| SaveError::cannot("save", path)(e.error))?;
    Ok(())
}

/// Atomically replaces a file an adviser keeps (a tree), keeping its permissions.
pub(crate) fn write_replacing(path: &Path, contents: &str) -> Result<(), SaveError> {
    let perms = std::fs::metadata(path).map(|m| m.permissions()).ok();
    write_private(path, contents)?;
    if let Some(p) = perms {
        std::fs::set_permissions(path, p)
            .map_err(SaveError::cannot("keep the permissions of", path))?;
    }
    Ok(())
}

/// Writes a new file an adviser will share (a tree, a schema) atomically and never over an
/// existing file, even one that appears while writing; readable by others, as files they make
/// are.
pub fn write_new(path: &Path, contents: &str) -> Result<(), SaveError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".signpost-")
        .tempfile_in(&dir)
        .map_err(SaveError::cannot("write in", &dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644));
    }
    tmp.write_all(contents.as_bytes())
        .map_err(SaveError::cannot("write", path))?;
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            SaveError::Exists(path.to_path_buf())
        } else {
            SaveError::cannot("write", path)(e.error)
        }
    })?;
    Ok(())
}

/// Saved answers, to carry on later.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Progress {
    /// Version of this file's format.
    pub signpost_progress: u32,
    /// The tree the walk started in.
    pub tree: String,
    /// A fingerprint of the trees when the answers were given.
    pub trees_hash: String,
    pub answers: BTreeMap<String, String>,
}

pub(crate) const PROGRESS_VERSION: u32 = 1;

/// A fingerprint of every tree in the library (FNV-1a over their canonical JSON).
pub fn trees_hash(lib: &Library) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for flow in lib.flows().values() {
        let text = serde_json::to_string(&flow.tree()).unwrap_or_default();
        for b in text.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// A progress file's text: the answers in canonical form.
pub fn progress_json(lib: &Library, root: &str, answers: &BTreeMap<NodeKey, Answer>) -> String {
    let p = Progress {
        signpost_progress: PROGRESS_VERSION,
        tree: root.to_string(),
        trees_hash: trees_hash(lib),
        answers: answers
            .iter()
            .map(|(k, v)| (k.to_string(), v.canonical()))
            .collect(),
    };
    serde_json::to_string_pretty(&p).unwrap_or_default()
}

/// Why a progress file cannot be carried on from. `Display` says it in plain words.
#[derive(Debug)]
pub enum ProgressError {
    /// The file cannot be read.
    Read(super::bounded::ReadError),
    /// It is not JSON: damaged, or another kind of file.
    NotJson(PathBuf),
    /// It is JSON without a progress format number (a tree, say).
    NotProgress(PathBuf),
    /// A newer Signpost wrote it.
    Newer { path: PathBuf, format: u64 },
    /// An older format no Signpost reads.
    Older { path: PathBuf, format: u64 },
    /// More answers than a saved file holds.
    TooMany { path: PathBuf, count: usize },
    /// The right format number, but the rest does not read.
    Damaged { path: PathBuf, error: String },
    /// Answers for another tree than the one being run.
    OtherTree {
        path: PathBuf,
        tree: String,
        root: String,
    },
}

impl fmt::Display for ProgressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProgressError::Read(e) => write!(f, "{e}"),
            ProgressError::NotJson(p) => write!(
                f,
                "{} is not a Signpost progress file (it is damaged or of another kind)",
                p.display()
            ),
            ProgressError::NotProgress(p) => {
                write!(f, "{} is not a Signpost progress file", p.display())
            }
            ProgressError::Newer { path, format } => write!(
                f,
                "{} was saved by a newer Signpost (progress format {format}); please update Signpost",
                path.display()
            ),
            ProgressError::Older { path, format } => write!(
                f,
                "{} is in progress format {format}, which no Signpost reads (this one reads format \
                 {PROGRESS_VERSION}); please answer the questions again",
                path.display()
            ),
            ProgressError::TooMany { path, count } => write!(
                f,
                "{} holds {count} answers; a saved file holds at most {MAX_SAVED_ANSWERS} \
                 (docs/limits.md), so it is damaged or was not saved by Signpost",
                path.display()
            ),
            ProgressError::Damaged { path, error } => {
                write!(f, "{} is damaged: {error}", path.display())
            }
            ProgressError::OtherTree { path, tree, root } => write!(
                f,
                "{} holds answers for the tree `{tree}`, not `{root}`",
                path.display()
            ),
        }
    }
}

impl From<ProgressError> for String {
    fn from(e: ProgressError) -> String {
        e.to_string()
    }
}

/// Reads a progress file. Errors say what is wrong in plain words; nothing is changed.
pub fn read_progress(
    path: &Path,
    lib: &Library,
    root: &str,
) -> Result<(BTreeMap<NodeKey, String>, bool), ProgressError> {
    let text = super::bounded::read_text(path).map_err(ProgressError::Read)?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| ProgressError::NotJson(path.to_path_buf()))?;
    let path_buf = || path.to_path_buf();
    match v.get("signpost_progress").and_then(|x| x.as_u64()) {
        Some(n) if n == PROGRESS_VERSION as u64 => {}
        Some(format) if format > PROGRESS_VERSION as u64 => {
            return Err(ProgressError::Newer {
                path: path_buf(),
                format,
            })
        }
        Some(format) => {
            return Err(ProgressError::Older {
                path: path_buf(),
                format,
            })
        }
        None => return Err(ProgressError::NotProgress(path_buf())),
    }
    let count = v
        .get("answers")
        .and_then(|a| a.as_object())
        .map_or(0, |a| a.len());
    if count > MAX_SAVED_ANSWERS {
        return Err(ProgressError::TooMany {
            path: path_buf(),
            count,
        });
    }
    let p: Progress = serde_json::from_value(v).map_err(|e| ProgressError::Damaged {
        path: path_buf(),
        error: e.to_string(),
    })?;
    // A progress file can be edited by hand: what it holds is cleaned as it comes in.
    let clean = crate::core::session::clean_text;
    if p.tree != root {
        return Err(ProgressError::OtherTree {
            path: path_buf(),
            tree: clean(&p.tree),
            root: root.to_string(),
        });
    }
    let mut answers = BTreeMap::new();
    for (k, v) in p.answers {
        if let Some(key) = NodeKey::parse(&clean(&k)) {
            answers.insert(key, clean(&v));
        }
    }
    let changed = p.trees_hash != trees_hash(lib);
    Ok((answers, changed))
}
