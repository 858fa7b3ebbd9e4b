//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use signpost::compile::{compile, Library};
use signpost::files;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compiles a folder or tree file; panics with the diagnostics if it does not compile.
pub fn library(path: &Path) -> Library {
    let loaded = files::load(&root().join(path)).expect("fixture loads");
    let compiled = compile(&loaded.inputs);
    match compiled.library {
        Some(lib) => lib,
        None => panic!(
            "{} does not compile:\n{}",
            path.display(),
            signpost::report::human(&compiled.diagnostics)
        ),
    }
}

pub fn embedded() -> Library {
    let compiled = compile(&files::embedded());
    match compiled.library {
        Some(lib) => lib,
        None => panic!(
            "the built-in trees do not compile:\n{}",
            signpost::report::human(&compiled.diagnostics)
        ),
    }
}

/// The fixed day every snapshot is taken on (MC1704's second post: Friday 28 February 2025).
pub fn today() -> Date {
    jiff::civil::date(2025, 2, 28)
}

/// The entries of a fixtures folder (e.g. "tests/fixtures/lint"), by name, sorted.
pub fn fixture_dirs(folder: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<_> = std::fs::read_dir(root().join(folder))
        .expect("fixtures folder")
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .collect();
    out.sort();
    out
}

/// Trees whose every path the path tests walk: not modules (a module runs only inside the tree
/// that gives it its inputs) and not trees with more paths than a walk can cover (the triage).
/// Those are covered by scenarios instead (tests/scenarios, snapshot in tests/scenarios.rs).
pub fn walkable(lib: &Library, tree: &str) -> bool {
    lib.flow(tree).is_some_and(|f| f.tree.inputs.is_empty())
        && signpost::paths::count_paths(lib, tree) <= signpost::limits::MAX_WALKED_PATHS as u128
}

/// Every scenario file, by file name, sorted.
pub fn scenarios() -> Vec<(String, signpost::scenario::Scenario)> {
    let dir = root().join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let name = f.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&f).unwrap();
            let sc = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (name, sc)
        })
        .collect()
}

/// Walks a scenario's answers and returns its session (panics with the reason if it stops).
pub fn scenario_session<'l>(
    lib: &'l Library,
    sc: &signpost::scenario::Scenario,
) -> signpost::session::Session<'l> {
    let today = signpost::calendar::parse_iso(&sc.today).expect("scenario date");
    let answers: Vec<(String, String)> = sc
        .answers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    signpost::scenario::walk(lib, &sc.tree, today, &answers)
        .unwrap_or_else(|e| panic!("{}: {e}", sc.description))
}
