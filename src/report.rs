//! Reports for authors: diagnostics as a compiler shows them, and paths as readable stories.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::compile::Library;
use crate::diagnostics::{Diagnostic, Severity};
use crate::paths::Enumeration;

/// Diagnostics without source lines.
pub fn human(diags: &[Diagnostic]) -> String {
    human_with_source(diags, &BTreeMap::new())
}

/// Diagnostics like a compiler: `error[E005]: message`, ` --> file:line:col`, the line with a
/// caret under the place, and the hint.
pub fn human_with_source(diags: &[Diagnostic], texts: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for d in diags {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{kind}[{}]: {}", d.code, d.message);
        let _ = writeln!(
            out,
            "  --> {}:{}:{} (at {})",
            d.file,
            d.line,
            d.column,
            if d.pointer.is_empty() {
                "/"
            } else {
                &d.pointer
            }
        );
        if let Some(line) = texts
            .get(&d.file)
            .and_then(|t| t.lines().nth(d.line.saturating_sub(1)))
        {
            let number = d.line.to_string();
            let pad = " ".repeat(number.len());
            let shown: String = line.chars().take(160).collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {shown}");
            let _ = writeln!(
                out,
                "{pad} | {}^",
                " ".repeat(d.column.saturating_sub(1).min(160))
            );
        }
        if let Some(h) = &d.help {
            let _ = writeln!(out, "  = help: {h}");
        }
        let _ = writeln!(out);
    }
    out
}

/// Each path as question -> answer -> ... -> outcome, then its steps.
pub fn paths_text(lib: &Library, e: &Enumeration) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} path(s) through `{}`{}",
        e.count,
        e.tree,
        if e.truncated {
            " (stopped at the limit)"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "How: {}\n", e.method);
    for (i, p) in e.paths.iter().enumerate() {
        let _ = writeln!(out, "Path {}:", i + 1);
        for a in &p.summary.answers {
            let carried = if a.carried_over {
                " (carried over)"
            } else {
                ""
            };
            let _ = writeln!(out, "  {} -> {}{}", a.question, a.answer, carried);
        }
        let _ = writeln!(out, "  => {}", p.outcome);
        for s in &p.summary.steps {
            let due = s
                .due
                .as_ref()
                .map(|d| format!(" [{}]", d.long))
                .unwrap_or_default();
            let _ = writeln!(out, "     * {}{}", s.title, due);
        }
        let _ = writeln!(out);
    }
    let _ = lib;
    out
}
