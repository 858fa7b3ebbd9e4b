//! Watching a pack while it is written (`run --watch`, `serve --watch`): whether a file of it has
//! changed since it was last read, and reading and compiling it again. The front ends decide
//! what to do with a new version (carry each person's answers over) or with its problems (the
//! wizard keeps the last good version and says what is wrong; the web shows the errors).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::core::compile::{compile, Library};
use crate::core::diagnostics::Diagnostic;

/// Each file's path, size and last change, sorted: two stamps differ when any file changed.
type Stamp = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// A pack being watched.
pub struct Watched {
    path: PathBuf,
    /// The folders read for the last version: the pack's own, and each pack it extends.
    folders: Vec<PathBuf>,
    stamp: Stamp,
}

/// A version of the pack that compiled.
pub struct Version {
    /// Each good version lives until the program ends: an author reloads a few dozen times at
    /// most, and sessions and screens borrow from it.
    pub lib: &'static Library,
    /// The tree to start from.
    pub root: String,
}

/// Why a version cannot be used.
#[derive(Debug, Clone)]
pub enum Problem {
    /// The files could not be read, or name no tree to start from.
    Load(String),
    /// `check` found errors (only the errors are kept).
    Check(Vec<Diagnostic>),
}

impl Problem {
    /// The first problem, and how many more, on one line.
    pub fn line(&self) -> String {
        match self {
            Problem::Load(message) => message.clone(),
            Problem::Check(errors) => match errors.first() {
                Some(d) => {
                    let more = match errors.len() {
                        1 => String::new(),
                        n => format!(" (and {} more: run `signpost check`)", n - 1),
                    };
                    format!(
                        "{}:{}:{} {} {}{more}",
                        d.file, d.line, d.column, d.code, d.message
                    )
                }
                None => "the trees could not be loaded".into(),
            },
        }
    }
}

impl Watched {
    /// Starts watching the pack (a folder, or one tree file) at `path`; `load` reads it.
    pub fn new(path: &Path) -> Watched {
        let folders = vec![folder_of(path)];
        let stamp = stamp(&folders);
        Watched {
            path: path.to_path_buf(),
            folders,
            stamp,
        }
    }

    /// True, once, when a file of the pack has changed, been added or been removed since the
    /// last call (or since `new`).
    pub fn changed(&mut self) -> bool {
        let now = stamp(&self.folders);
        if now == self.stamp {
            return false;
        }
        self.stamp = now;
        true
    }

    /// Reads and compiles the pack as it is now.
    pub fn load(&mut self) -> Result<Version, Problem> {
        let loaded = super::files::load_tree(&self.path).map_err(Problem::Load)?;
        if loaded.folders != self.folders {
            // A pack it extends was added or changed: watch those folders from now on.
            self.folders = loaded.folders.clone();
            self.stamp = stamp(&self.folders);
        }
        let compiled = compile(&loaded.inputs);
        let Some(lib) = compiled.library else {
            let errors = compiled
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            return Err(Problem::Check(errors));
        };
        let root = match loaded.root {
            Some(r) => r,
            None => {
                let ids: Vec<&str> = lib.flows().keys().map(String::as_str).collect();
                return Err(Problem::Load(format!(
                    "name one tree file to watch; this folder has several ({})",
                    ids.join(", ")
                )));
            }
        };
        Ok(Version {
            lib: Box::leak(Box::new(lib)),
            root,
        })
    }
}

/// The folder a path's pack is in (a file's folder, "." for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    }
}

/// When the files of the folders (and their `letters/`) last changed, and how big they are.
fn stamp(folders: &[PathBuf]) -> Stamp {
    let list = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect()
    };
    let mut out: Stamp = folders
        .iter()
        .flat_map(|dir| {
            let mut files = list(dir);
            files.extend(list(&dir.join(super::files::LETTERS)));
            files
        })
        .filter_map(|p| {
            let m = std::fs::metadata(&p).ok()?;
            Some((p, m.len(), m.modified().ok()))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_seen_once() {
        let dir = std::env::temp_dir().join(format!("signpost-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.json");
        std::fs::write(&file, "{}").unwrap();
        let mut w = Watched::new(&file);
        assert!(!w.changed());
        std::fs::write(&file, "{ }").unwrap();
        assert!(w.changed());
        assert!(!w.changed());
        std::fs::write(dir.join("b.json"), "{}").unwrap();
        assert!(w.changed(), "a new file beside it counts");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
