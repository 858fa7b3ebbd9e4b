//! `signpost check`: every diagnostic across the folders and files named (compile errors, and
//! lints on every tree that compiled, even beside a broken one), `--deny-warnings`, and the
//! report in words or JSON. The front end loads each folder and hands its inputs here.

use std::collections::BTreeMap;

use crate::author::lint::{self, LintOptions};
use crate::author::report;
use crate::core::compile::{compile, Inputs};
use crate::core::diagnostics::{Diagnostic, Severity};

/// The diagnostics found so far, over every folder or file checked.
pub struct Check {
    opts: LintOptions,
    all: Vec<Diagnostic>,
    /// Each file's text, so the report can show the line a diagnostic points at.
    texts: BTreeMap<String, String>,
    /// Local entries that replace built-in ones.
    notes: Vec<String>,
}

/// What `check` found, ready to print.
pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
    texts: BTreeMap<String, String>,
}

impl Check {
    /// `opts.builtin_trees` should name the built-in trees (`io::files::builtin_tree_ids`).
    pub fn new(opts: LintOptions) -> Check {
        Check {
            opts,
            all: Vec::new(),
            texts: BTreeMap::new(),
            notes: Vec::new(),
        }
    }

    /// Checks one folder or file. `own` lists the files read from disk (`None`: the built-in
    /// trees), the only ones lints speak of; `folder` is true for a folder or the built-in trees,
    /// false for one tree file.
    pub fn add(&mut self, inputs: &Inputs, own: Option<&[String]>, folder: bool) {
        let sources = inputs.files();
        for f in &sources {
            self.texts.insert(f.path.clone(), f.text.clone());
        }
        let compiled = compile(inputs);
        let mut found = compiled.diagnostics;
        // A broken tree in a folder does not hide the warnings about the others.
        let (library, whole) = match compiled.library {
            Some(lib) => (Some(lib), true),
            None => (lint::library_of_the_rest(inputs, &found), false),
        };
        if let Some(lib) = &library {
            // Whether contacts, terms and letters nothing uses can be told: not from one tree,
            // since the trees beside it may use them (nor from the trees left when some are
            // broken).
            let mut opts = self.opts.clone();
            opts.whole_folder = whole && folder;
            // Lints speak only of the files that were read from disk, not built-in ones.
            found.extend(
                lint::lint(lib, &sources, &opts)
                    .into_iter()
                    .filter(|d| own.is_none_or(|o| o.contains(&d.file))),
            );
            for o in &lib.origins().overrides {
                let line = format!(
                    "note: {} replaces the built-in {} `{}` (from {})",
                    o.file, o.kind, o.id, o.replaces
                );
                if !self.notes.contains(&line) {
                    self.notes.push(line);
                }
            }
        }
        for d in found {
            if !self.all.contains(&d) {
                self.all.push(d);
            }
        }
    }

    /// The report; with `deny_warnings` every warning counts as an error.
    pub fn finish(mut self, deny_warnings: bool) -> CheckReport {
        if deny_warnings {
            for d in &mut self.all {
                d.severity = Severity::Error;
            }
        }
        CheckReport {
            diagnostics: self.all,
            notes: self.notes,
            texts: self.texts,
        }
    }
}

impl CheckReport {
    /// How many diagnostics are errors (any makes `check` fail).
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The report for people: each diagnostic with its line, the notes, then the totals.
    pub fn human(&self) -> String {
        let mut out = report::human_with_source(&self.diagnostics, &self.texts);
        for n in &self.notes {
            out.push_str(n);
            out.push('\n');
        }
        let errors = self.errors();
        let warnings = self.diagnostics.len() - errors;
        if self.diagnostics.is_empty() {
            out.push_str("No problems found.\n");
        } else {
            out.push_str(&format!("{errors} error(s), {warnings} warning(s).\n"));
        }
        out
    }

    /// The report as one JSON document (`--format json`), with a line break at the end.
    pub fn json(&self) -> String {
        // A struct, not a JSON value, so each diagnostic keeps its documented field order.
        #[derive(serde::Serialize)]
        struct Report<'a> {
            diagnostics: &'a [Diagnostic],
            /// Local entries that replace built-in ones.
            #[serde(skip_serializing_if = "<[String]>::is_empty")]
            notes: &'a [String],
        }
        let mut out = serde_json::to_string_pretty(&Report {
            diagnostics: &self.diagnostics,
            notes: &self.notes,
        })
        .unwrap_or_default();
        out.push('\n');
        out
    }
}
