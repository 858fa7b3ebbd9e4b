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
