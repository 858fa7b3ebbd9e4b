//! Turning arguments into what a command works on: the command itself (the top-level
//! `--resume`), today's date, the trees (loaded, compiled, and the one to start from), answers
//! given on the command line, scenario files. Each failure is a `CliError` for `cli::main` to
//! print; files left out of a folder are told as warnings as they are found.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::core::compile::{compile, Compiled, Inputs, Library};
use crate::front::cli::args::{Cli, Command};
use crate::front::cli::error::CliError;
use crate::io::files;

/// The command to run: `signpost` alone runs the questions, and the top-level `--resume` goes
/// with running them.
pub(crate) fn command(cli: Cli) -> Result<Command, CliError> {
    Ok(match (cli.command, cli.resume) {
        (None, resume) => Command::Run {
            path: None,
            plain: false,
            today: None,
            resume,
            watch: false,
        },
        (
            Some(Command::Run {
                resume: None,
                watch: false,
                path,
                plain,
                today,
            }),
            Some(resume),
        ) => Command::Run {
            path,
            plain,
            today,
            resume: Some(resume),
            watch: false,
        },
        (Some(_), Some(_)) => {
            return Err(CliError::Usage("--resume goes with running the questions: `signpost --resume FILE` or `signpost run PATH --resume FILE`".to_string()));
        }
        (Some(command), None) => command,
    })
}

/// Today's date where the person is (the only place the program reads the clock).
pub(crate) fn system_today() -> Date {
    jiff::Zoned::now().date()
}

/// The date given with `--today`, or today's.
pub(crate) fn today(given: Option<Date>) -> Date {
    given.unwrap_or_else(system_today)
}

/// Says which files beside the trees were left out although they look like a mistake.
fn warn_left_out(left_out: &[String]) {
    for line in left_out {
        super::tell(&format!("warning: {line}"));
    }
}

/// Loads and compiles the tree a path names (with the trees it runs), and the tree to start
/// from if the path names one.
pub(crate) fn load_library(path: Option<&Path>) -> Result<(Library, Option<String>), CliError> {
    let (inputs, root) = match path {
        Some(p) => {
            let l = files::load_tree(p)?;
            warn_left_out(&l.left_out);
            (l.inputs, l.root)
        }
        None => (files::embedded(), Some(files::DEFAULT_ROOT.to_string())),
    };
    let lib = compiled_or_fail(compile(&inputs))?;
    Ok((lib, root))
}

/// Loads and compiles everything a path holds, as `check` does (a folder: every tree in it).
pub(crate) fn load_whole(path: Option<&Path>) -> Result<Library, CliError> {
    let inputs = match path {
        Some(p) => {
            let l = files::load(p)?;
            warn_left_out(&l.left_out);
            l.inputs
        }
        None => files::embedded(),
    };
    compiled_or_fail(compile(&inputs))
}

/// What `check` reads from a path: the inputs and the files read from disk (none for the
/// built-in trees, which lints do not speak of).
pub(crate) fn load_for_check(
    path: Option<&Path>,
) -> Result<(Inputs, Option<Vec<String>>), CliError> {
    Ok(match path {
        Some(p) => {
            let l = files::load(p)?;
            warn_left_out(&l.left_out);
            (l.inputs, Some(l.own_files))
        }
        None => (files::embedded(), None),
    })
}

fn compiled_or_fail(compiled: Compiled) -> Result<Library, CliError> {
    let Compiled {
        library,
        diagnostics,
    } = compiled;
    library.ok_or(CliError::Trees(diagnostics))
}

/// Loads and compiles, and names the tree to start from.
pub(crate) fn load_with_root(path: Option<&Path>) -> Result<(Library, String), CliError> {
    let (lib, root) = load_library(path)?;
    let root = root_or_fail(root, &lib)?;
    Ok((lib, root))
}

fn root_or_fail(root: Option<String>, lib: &Library) -> Result<String, CliError> {
    match root {
        Some(r) => Ok(r),
        None => {
            let ids: Vec<&str> = lib.flows().keys().map(String::as_str).collect();
            Err(CliError::Input(format!(
                "name one tree file to run; this folder has several ({})",
                ids.join(", ")
            )))
        }
    }
}

/// Reads `--answer` pairs and an answers file into `key -> value` (a key may be `node` alone).
pub(crate) fn collect_answers(
    pairs: &[String],
    file: Option<&Path>,
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    if let Some(f) = file {
        let text = crate::io::bounded::read_text(f)?;
        let map: BTreeMap<String, serde_json::Value> = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a JSON object of answers: {e}", f.display()))?;
        for (k, v) in map {
            let value = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| i.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            out.push((k, value));
        }
    }
    for p in pairs {
        let (k, v) = p.split_once('=').ok_or_else(|| {
            format!(
                "`{}` should look like NODE=VALUE",
                crate::core::session::clean_text(p)
            )
        })?;
        out.push((k.to_string(), v.to_string()));
    }
    // Typed answers lose their control characters as they come in, so no message that echoes
    // one (an answer not accepted, an answer not used) can carry an escape sequence.
    Ok(out
        .into_iter()
        .map(|(k, v)| {
            (
                crate::core::session::clean_text(&k),
                crate::core::session::clean_text(&v),
            )
        })
        .collect())
}

/// Reads scenario files from a file or folder.
pub(crate) fn scenario_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        Ok(files)
    } else {
        Ok(vec![path.to_path_buf()])
    }
}

/// Lays a scenario over the base answers it names (`from`), read from `bases/` beside it.
pub(crate) fn start_from_base(
    file: &Path,
    sc: &mut crate::author::scenario::Scenario,
) -> Result<(), String> {
    let Some(name) = &sc.from else {
        return Ok(());
    };
    let dir = file.parent().unwrap_or(Path::new(".")).join("bases");
    let text = match crate::io::bounded::read_text(&dir.join(format!("{name}.json"))) {
        Ok(text) => Some(text),
        // No such base: `start_from` names the bases there are.
        Err(e) if e.is_not_found() => None,
        // One that is there but cannot be read says why, rather than that it is not there.
        Err(e) => return Err(e.to_string()),
    };
    let known: Vec<String> = scenario_files(&dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
        .collect();
    sc.start_from(text.as_deref(), &known)
}
