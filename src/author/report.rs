//! Reports for authors: diagnostics as a compiler shows them, and paths as readable stories.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::core::compile::Library;
use crate::core::diagnostics::{Diagnostic, Severity};
use crate::core::paths::{Enumeration, Listed, WalkedPath};

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
    // A hostile file's own bytes (shown as the source line) must not reach the terminal raw.
    crate::core::render::inert(&out)
}

/// The first lines of `paths`, printed before any path is found: what is listed and how.
pub(crate) fn paths_head(tree: &str, parts: &[String]) -> String {
    let when = if parts.len() > 1 {
        "as soon as its part is walked"
    } else {
        "as it is found"
    };
    let mut out = format!(
        "Paths through `{tree}`, one per distinct route and set of steps, using each question's \
         examples, each printed {when}.\nHow: {}\n",
        crate::core::paths::METHOD
    );
    if parts.len() > 1 {
        let _ = writeln!(
            out,
            "Parts ({}): {}.",
            parts.len(),
            parts
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out.push('\n');
    out
}

/// The line before the first path of a part, when a listing is in parts.
pub(crate) fn part_head(root: &str, part: &str, parts: &[String]) -> String {
    let n = parts.iter().position(|p| p == part).map_or(0, |i| i + 1);
    if part == root {
        format!(
            "== Part {n} of {}: `{root}` itself (every answer to its own questions; the trees it runs \
             take their first answers here and are listed as their own parts) ==\n\n",
            parts.len()
        )
    } else {
        format!(
            "== Part {n} of {}: `{part}`, as `{root}` runs it (every answer to its own questions, after \
             the first answers that run it and those answers changed one at a time) ==\n\n",
            parts.len()
        )
    }
}

/// One path as question -> answer -> ... -> outcome, then its steps; `number` counts from 1.
pub(crate) fn path_text(number: usize, p: &WalkedPath) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Path {number}:");
    for a in &p.summary.answers {
        let carried = if a.carried_over {
            " (carried over)"
        } else {
            ""
        };
        let _ = writeln!(out, "  {} -> {}{}", a.question, a.answer, carried);
    }
    let _ = writeln!(out, "  => {}", p.outcome);
    if !p.computed.is_empty() {
        let facts: Vec<String> = p
            .computed
            .iter()
            .map(|(n, v)| format!("{n} = {v}"))
            .collect();
        let _ = writeln!(out, "  computed: {}", facts.join(", "));
    }
    for s in &p.summary.steps {
        let due = s
            .due
            .as_ref()
            .map(|d| format!(" [{}]", d.long))
            .unwrap_or_default();
        let _ = writeln!(out, "     * {}{}", s.title, due);
    }
    let _ = writeln!(out);
    out
}

/// Why the listing stopped where it did: every path listed, or the limit, with how many
/// distinct walks were found and how many of them are not listed (their steps are in another
/// walk).
fn stop_reason(e: &Listed) -> String {
    let left_out = e.walked.saturating_sub(e.count);
    if !e.truncated && e.parts.len() > 1 {
        let never: Vec<String> = e
            .parts
            .iter()
            .filter(|p| p.walked == 0)
            .map(|p| format!("`{}`", p.tree))
            .collect();
        let mut never = if never.is_empty() {
            String::new()
        } else {
            format!(" No walk runs {}.", never.join(", "))
        };
        if !e.unshown.is_empty() {
            never.push_str(&format!(
                "\nNot passed or shown by any listed walk of their part ({}), so reached, if at \
                 all, only when two or more answers before their tree differ from the first walk \
                 that runs it: {}.",
                e.unshown.len(),
                e.unshown.join(", ")
            ));
        }
        return format!(
            "Stopped: every part was walked to its end ({} distinct walk(s) found, {left_out} left \
             out because another walk of the same part along the same nodes gives all their \
             steps). A tree run by another is walked after the first answers that run it and \
             with each of those answers changed alone, not with every combination of them.{never}",
            e.walked
        );
    }
    if !e.truncated {
        return format!(
            "Stopped: every path was listed ({} distinct walk(s) found, {left_out} left out because \
             another walk along the same nodes gives all their steps).",
            e.walked
        );
    }
    format!(
        "Stopped at the limit: listed from the first {} distinct walks, the limit of {} \
         (docs/limits.md), so there are more paths than are listed, and {left_out} of the {} are \
         left out because another walk along the same nodes gives all their steps.",
        e.walked, e.limit, e.walked
    )
}

/// The last lines of `paths`, printed once the walk has ended: how many paths were listed, how
/// many structural paths there are, and why the listing stopped.
/// `structural` is the number of routes through the graph (`paths --count`): every option and
/// branch arm, whether or not any example takes it, times the routes of each sub-flow.
pub(crate) fn paths_tail(e: &Listed, structural: u128) -> String {
    let structural = if structural == u128::MAX {
        format!("more than {}", u128::MAX)
    } else {
        structural.to_string()
    };
    let by_part = if e.parts.len() > 1 {
        format!(
            "By part: {}.\n",
            e.parts
                .iter()
                .map(|p| format!("`{}` {} of {}", p.tree, p.count, p.walked))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        String::new()
    };
    format!(
        "{} walked path(s) listed through `{}` (one per distinct route and set of steps, using \
         each question's examples); {structural} structural path(s) through the graph (every \
         option and branch arm, through every sub-flow: `paths --count`).\n{by_part}{}\n",
        e.count,
        e.tree,
        stop_reason(e)
    )
}

/// Which nodes, options and branch arms the walks (option values and declared examples) reach.
pub(crate) fn coverage_text(lib: &Library, e: &Enumeration) -> String {
    use crate::core::format::Node;
    let mut out = String::new();
    let Some(flow) = lib.flow(&e.tree) else {
        return out;
    };
    let tree = &e.tree;
    let visited: std::collections::BTreeSet<&str> = e
        .steps_taken
        .iter()
        .flat_map(|(a, b)| [a.as_str(), b.as_str()])
        .collect();
    let answers = &e.answered;
    let (mut nodes_hit, mut opts_total, mut opts_hit, mut arms_total, mut arms_hit) =
        (0, 0, 0, 0, 0);
    let mut missed = Vec::new();
    for node in &flow.tree().nodes {
        let key = format!("{tree}.{}", node.id());
        if visited.contains(key.as_str()) {
            nodes_hit += 1;
        } else {
            missed.push(format!("node {} is never reached", node.id()));
        }
        match node {
            Node::Choice(c) => {
                for o in &c.options {
                    opts_total += 1;
                    if answers.contains(&(key.clone(), o.value.clone())) {
                        opts_hit += 1;
                    } else {
                        missed.push(format!("option {} of {} is never picked", o.value, c.id));
                    }
                }
            }
            Node::Multi(m) => {
                for o in &m.options {
                    opts_total += 1;
                    if answers
                        .iter()
                        .any(|(k, v)| k == &key && v.split(',').any(|x| x == o.value))
                    {
                        opts_hit += 1;
                    } else {
                        missed.push(format!("option {} of {} is never ticked", o.value, m.id));
                    }
                }
            }
            Node::Branch(b) => {
                let arms = b
                    .rules
                    .iter()
                    .enumerate()
                    .map(|(k, r)| (Some(k), r.when.clone()))
                    .chain(std::iter::once((None, "otherwise".to_string())));
                for (arm, when) in arms {
                    arms_total += 1;
                    if e.arms_taken.contains(&(key.clone(), arm)) {
                        arms_hit += 1;
                    } else {
                        missed.push(format!("arm `{when}` of {} is never taken", b.id));
                    }
                }
            }
            _ => {}
        }
    }
    let _ = writeln!(
        out,
        "Coverage of `{tree}` by {} walk(s) with the option values and declared examples:",
        e.count
    );
    let _ = writeln!(
        out,
        "  nodes reached:      {nodes_hit}/{}",
        flow.tree().nodes.len()
    );
    let _ = writeln!(out, "  options chosen:     {opts_hit}/{opts_total}");
    let _ = writeln!(out, "  branch arms taken:  {arms_hit}/{arms_total}");
    for m in missed {
        let _ = writeln!(out, "  - {m}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(count: usize, walked: usize, truncated: bool) -> Listed {
        Listed {
            tree: "t".to_string(),
            count,
            truncated,
            limit: 5000,
            walked,
            ..Listed::default()
        }
    }

    /// Stopped by the limit, `paths` says at the end how many walks it found, the limit, and
    /// why fewer are listed (it once said "stopped at the limit" of 5,000 while listing 1,624).
    #[test]
    fn a_stopped_listing_says_how_far_it_got_and_why_fewer_are_listed() {
        let end = paths_tail(&listing(1624, 5000, true), 10_000);
        assert!(
            end.starts_with("1624 walked path(s) listed through `t`")
                && end.contains(
                    "Stopped at the limit: listed from the first 5000 distinct walks, the limit \
                     of 5000"
                )
                && end.contains("3376 of the 5000 are left out"),
            "{end}"
        );
        let whole = paths_tail(&listing(3, 4, false), 4);
        assert!(!whole.contains("limit"), "{whole}");
        assert!(
            whole.contains("Stopped: every path was listed (4 distinct walk(s) found, 1 left out"),
            "{whole}"
        );
    }
}
