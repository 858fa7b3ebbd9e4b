//! Saving: summaries and progress files, written only when the person asks, atomically
//! (temporary file + rename, so a crash leaves the old file whole) and readable by the owner only.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::core::compile::Library;
use crate::core::limits::MAX_SAVED_ANSWERS;
use crate::core::session::{Answer, NodeKey};

/// Writes `contents` to `path` atomically with owner-only permissions. A symlink planted at
/// `path` is replaced, never followed.
pub fn write_private(path: &Path, contents: &str) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(format!("{} is a folder; give a file name", path.display()));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".signpost-")
        .tempfile_in(&dir)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    // tempfile creates the file with mode 0600 on Unix already; say so explicitly anyway.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o600));
    }
    tmp.write_all(contents.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| format!("cannot save {}: {}", path.display(), e.error))?;
    Ok(())
}

/// Atomically replaces a file an adviser keeps (a tree), keeping its permissions.
pub(crate) fn write_replacing(path: &Path, contents: &str) -> Result<(), String> {
    let perms = std::fs::metadata(path).map(|m| m.permissions()).ok();
    write_private(path, contents)?;
    if let Some(p) = perms {
        std::fs::set_permissions(path, p)
            .map_err(|e| format!("cannot keep the permissions of {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Writes a new file an adviser will share (a tree, a schema) atomically and never over an
/// existing file, even one that appears while writing; readable by others, as files they make
/// are.
pub fn write_new(path: &Path, contents: &str) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".signpost-")
        .tempfile_in(&dir)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644));
    }
    tmp.write_all(contents.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            format!("{} already exists; nothing was written", path.display())
        } else {
            format!("cannot write {}: {}", path.display(), e.error)
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

/// Reads a progress file. Errors say what is wrong in plain words; nothing is changed.
pub fn read_progress(
    path: &Path,
    lib: &Library,
    root: &str,
) -> Result<(BTreeMap<NodeKey, String>, bool), String> {
    let text = super::bounded::read_text(path)?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
        format!(
            "{} is not a Signpost progress file (it is damaged or of another kind)",
            path.display()
        )
    })?;
    match v.get("signpost_progress").and_then(|x| x.as_u64()) {
        Some(n) if n == PROGRESS_VERSION as u64 => {}
        Some(n) if n > PROGRESS_VERSION as u64 => {
            return Err(format!(
                "{} was saved by a newer Signpost (progress format {n}); please update Signpost",
                path.display()
            ))
        }
        Some(n) => {
            return Err(format!(
                "{} is in progress format {n}, which no Signpost reads (this one reads format \
                 {PROGRESS_VERSION}); please answer the questions again",
                path.display()
            ))
        }
        None => {
            return Err(format!(
                "{} is not a Signpost progress file",
                path.display()
            ))
        }
    }
    let count = v
        .get("answers")
        .and_then(|a| a.as_object())
        .map_or(0, |a| a.len());
    if count > MAX_SAVED_ANSWERS {
        return Err(format!(
            "{} holds {count} answers; a saved file holds at most {MAX_SAVED_ANSWERS} \
             (docs/limits.md), so it is damaged or was not saved by Signpost",
            path.display()
        ));
    }
    let p: Progress =
        serde_json::from_value(v).map_err(|e| format!("{} is damaged: {e}", path.display()))?;
    // A progress file can be edited by hand: what it holds is cleaned as it comes in.
    let clean = crate::core::session::clean_text;
    if p.tree != root {
        return Err(format!(
            "{} holds answers for the tree `{}`, not `{root}`",
            path.display(),
            clean(&p.tree)
        ));
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
