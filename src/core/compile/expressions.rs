//! Conditions, due dates, texts and letters: each parsed and walked (E016, E025), and what the
//! later checks need from them (comparisons with option values, facts guarded as defined).

use std::collections::{BTreeSet, HashMap, HashSet};

use super::reporter::{Diagnostics, Near};
use super::{Shared, SourceFile};
use crate::core::diagnostics::{line_col, nearest, Diagnostic};
use crate::core::expr;
use crate::core::format::*;

/// What kind of expression or text is analysed, for the messages.
#[derive(Clone, Copy)]
pub(super) enum ExprSource<'a> {
    Condition,
    Due,
    Text,
    /// A letter: its id, its file, and the line of that file its template starts on.
    Letter(&'a str, &'a str, usize),
}

/// Parses and walks one expression or text: a parse error is E016, a filter, test or function
/// the language does not have is E025. Returns the analysis when it parsed.
pub(super) fn analyse(
    diags: &mut Diagnostics,
    file: &SourceFile,
    shared: &Shared,
    pointer: &str,
    src: &str,
    what: ExprSource,
) -> Option<expr::Analysis> {
    let f = &file.path;
    let parsed = match what {
        ExprSource::Condition | ExprSource::Due => shared.expr.analyse_expression(src),
        ExprSource::Text | ExprSource::Letter(..) => shared.expr.analyse_template(src),
    };
    let an = match parsed {
        Ok(an) => an,
        Err(e) => {
            let (message, help) = match what {
                ExprSource::Condition => (
                    format!("this condition does not parse: {e}"),
                    Some("conditions look like: reply == \"none\" and working_days(sent_on, today) > 10"),
                ),
                ExprSource::Due => (format!("this expression does not parse: {e}"), None),
                ExprSource::Text => (
                    format!("this text does not parse: {e}"),
                    Some("templates use {{ fact }} and {% if ... %}...{% endif %}"),
                ),
                ExprSource::Letter(id, _, _) => (
                    format!("letter `{id}` does not parse: {e} (its advice item is at {pointer} in {f})"),
                    Some("templates use {{ fact }} and {% if ... %}...{% endif %}"),
                ),
            };
            let template = matches!(what, ExprSource::Text | ExprSource::Letter(..));
            let range = shared.expr.error_range(src, template);
            let mut d = match what {
                // The mistake is in the letter: point at its line there.
                ExprSource::Letter(_, letter_file, first) => {
                    let (line, column) = match &range {
                        Some(r) => line_col(src, r.start),
                        None => (shared.expr.template_error_line(src).unwrap_or(1), 1),
                    };
                    Diagnostic::error("E016", letter_file, "", message).at(first + line - 1, column)
                }
                _ => Diagnostic::error("E016", f, pointer, message),
            };
            if let Some(h) = help {
                d = d.with_help(h);
            }
            // In a tree, point at the mistake inside the string.
            let words = range.and_then(|r| Some((r.start, src.get(r)?)));
            match words {
                Some((at, words)) if !matches!(what, ExprSource::Letter(..)) => {
                    diags.push_near(file, d, Near::At(at, words))
                }
                _ => diags.push(file, d),
            }
            return None;
        }
    };
    for u in &an.unknown {
        let place = match what {
            ExprSource::Letter(id, _, _) => {
                format!(" in letter `{id}` (its advice item is at {pointer} in {f})")
            }
            _ => String::new(),
        };
        let line = if matches!(what, ExprSource::Letter(..)) {
            String::new() // the diagnostic points at the line in the letter
        } else if u.line > 1 {
            format!(" (line {} of the text)", u.line)
        } else {
            String::new()
        };
        let help = match &u.suggestion {
            Some(s) => format!(
                "did you mean `{s}`? (docs/authoring.md lists the filters, tests and functions)"
            ),
            None => "docs/authoring.md lists the filters, tests and functions".to_string(),
        };
        let message = format!(
            "there is no {} called `{}`{place}{line}",
            u.kind.as_str(),
            u.name
        );
        match what {
            ExprSource::Letter(_, letter_file, first) => {
                let (line, column) = line_col(src, u.offset);
                let d = Diagnostic::error("E025", letter_file, "", message);
                diags.push(file, d.at(first + line - 1, column).with_help(help));
            }
            _ => {
                let d = Diagnostic::error("E025", f, pointer, message).with_help(help);
                diags.push_near(file, d, Near::At(u.offset, &u.name));
            }
        }
    }
    Some(an)
}

/// Keeps what the later checks of an analysis need (comparisons, guarded facts), if anything.
pub(super) fn keep_for_later(
    uses: &mut Vec<(String, expr::Analysis)>,
    pointer: &str,
    an: expr::Analysis,
) {
    if !an.comparisons.is_empty() || !an.guarded.is_empty() {
        uses.push((
            pointer.to_string(),
            expr::Analysis {
                comparisons: an.comparisons,
                guarded: an.guarded,
                ..Default::default()
            },
        ));
    }
}

/// A choice or multi fact compared with a string that is none of its options' values: the
/// comparison could never be true (or never false), usually because it names a label.
pub(super) fn check_comparisons(
    diags: &mut Diagnostics,
    file: &SourceFile,
    tree: &TreeFile,
    uses: &[(String, expr::Analysis)],
) {
    report_comparisons(
        diags,
        file,
        &option_values(&tree.nodes),
        &ticked_facts(&tree.nodes),
        uses,
    );
}

/// Fact -> the (label, value) of each option that can set it, or None when another kind of
/// question sets it too.
pub(super) type OptionValues<'t> = HashMap<&'t str, Option<Vec<(&'t str, &'t str)>>>;

/// The options that can set each fact, over these nodes.
pub(super) fn option_values<'t>(nodes: impl IntoIterator<Item = &'t Node>) -> OptionValues<'t> {
    let mut options: OptionValues = HashMap::new();
    for node in nodes {
        let Some(fact) = node.fact() else { continue };
        let entry = options.entry(fact).or_insert_with(|| Some(Vec::new()));
        match (node, entry.as_mut()) {
            (Node::Choice(c), Some(list)) => list.extend(
                c.options
                    .iter()
                    .map(|o| (o.label.as_str(), o.value.as_str())),
            ),
            (Node::Multi(m), Some(list)) => list.extend(
                m.options
                    .iter()
                    .map(|o| (o.label.as_str(), o.value.as_str())),
            ),
            (Node::Choice(_) | Node::Multi(_), None) => {}
            _ => *entry = None,
        }
    }
    options
}

/// The facts only tick-all-that-apply questions set: lists, tested with `in`.
pub(super) fn ticked_facts<'t>(nodes: impl IntoIterator<Item = &'t Node>) -> HashSet<&'t str> {
    let mut multi = HashSet::new();
    let mut other = HashSet::new();
    for node in nodes {
        if let Some(fact) = node.fact() {
            if matches!(node, Node::Multi(_)) {
                multi.insert(fact);
            } else {
                other.insert(fact);
            }
        }
    }
    multi.retain(|f| !other.contains(f));
    multi
}

/// E026 for each comparison of a choice or multi fact with a string none of its options has;
/// E033 for a tick-all-that-apply fact compared with `==` or `!=`.
pub(super) fn report_comparisons(
    diags: &mut Diagnostics,
    file: &SourceFile,
    options: &OptionValues,
    ticked: &HashSet<&str>,
    uses: &[(String, expr::Analysis)],
) {
    for (pointer, an) in uses {
        for c in &an.comparisons {
            if c.equality && ticked.contains(c.fact.as_str()) {
                diags.push(
                    file,
                    Diagnostic::error(
                        "E033",
                        &file.path,
                        pointer.clone(),
                        format!(
                            "`{}` is a tick-all-that-apply answer (a list), so `==` or `!=` with '{}' is never what it means",
                            c.fact, c.value
                        ),
                    )
                    .with_help(format!(
                        "use `in`: `'{}' in {}` (or `'{}' not in {}`)",
                        c.value, c.fact, c.value, c.fact
                    )),
                );
                continue;
            }
            let Some(Some(opts)) = options.get(c.fact.as_str()) else {
                continue;
            };
            if opts.iter().any(|(_, value)| *value == c.value) {
                continue;
            }
            let mut values: Vec<&str> = opts.iter().map(|(_, value)| *value).collect();
            values.dedup();
            let listed = values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let help = match opts
                .iter()
                .find(|(label, _)| label.eq_ignore_ascii_case(&c.value))
            {
                Some((_, value)) => format!(
                    "\"{}\" is an option's label; compare with its value: '{value}'",
                    c.value
                ),
                None => match nearest(&c.value, values.iter().copied()) {
                    Some(n) => format!("did you mean '{n}'?"),
                    None => format!("compare with one of: {listed}"),
                },
            };
            let line = if c.line > 1 {
                format!(" (line {} of the text)", c.line)
            } else {
                String::new()
            };
            diags.push(
                file,
                Diagnostic::error(
                    "E026",
                    &file.path,
                    pointer.clone(),
                    format!(
                        "`{}` is compared with '{}'{line}, which is not one of its values ({listed})",
                        c.fact, c.value
                    ),
                )
                .with_help(help),
            );
        }
    }
}

/// A fact guarded with `is defined` that no question in the tree sets: the guard is never
/// true, which is nearly always a misspelt name.
pub(super) fn check_guarded_facts(
    diags: &mut Diagnostics,
    file: &SourceFile,
    facts: &[String],
    fact_ix: &HashMap<&str, usize>,
    uses: &[(String, expr::Analysis)],
) {
    for (pointer, an) in uses {
        for fact in &an.guarded {
            if fact_ix.contains_key(fact.as_str()) {
                continue;
            }
            let help = match nearest(fact, facts.iter().map(String::as_str)) {
                Some(n) => format!("no question in this tree sets `{fact}`; did you mean `{n}`?"),
                None => format!("no question in this tree sets `{fact}`, so it is never defined"),
            };
            diags.push(
                file,
                Diagnostic::error(
                    "E017",
                    &file.path,
                    pointer.clone(),
                    format!("this condition or text asks whether `{fact}` is set, but nothing in this tree sets it"),
                )
                .with_help(help),
            );
        }
    }
}

/// Facts read by a condition or text: node, pointer, facts.
pub(super) type Reads = Vec<(usize, String, BTreeSet<String>)>;

/// What a condition proves set, given what it proves itself and the facts it requires true:
/// the computed facts' part (`lets::with_lets_proved`), handed in so this pass does not import
/// the computed facts' pass that imports it.
pub(super) type WithLets<'a> = &'a dyn Fn(BTreeSet<String>, &BTreeSet<String>) -> BTreeSet<String>;

/// Analyses every condition (E016, E025), and checks that one reading a date a person may not
/// know checks it first (E029). Adds what each reads to `reads`; returns what each proves set
/// when it is true, by its place in `conditions`.
pub(super) fn check_conditions(
    diags: &mut Diagnostics,
    (file, shared, tree): (&SourceFile, &Shared, &TreeFile),
    (conditions, with_lets): (Vec<(usize, String, &str)>, WithLets),
    reads: &mut Reads,
    expression_uses: &mut Vec<(String, expr::Analysis)>,
) -> HashMap<usize, BTreeSet<String>> {
    let date_facts = date_facts(tree);
    let mut condition_proves: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for (c, (node, pointer, src)) in conditions.into_iter().enumerate() {
        if let Some(mut an) = analyse(diags, file, shared, &pointer, src, ExprSource::Condition) {
            let proves = with_lets(std::mem::take(&mut an.proves), &an.truthy);
            if !proves.is_empty() {
                condition_proves.insert(c, proves);
            }
            let read = std::mem::take(&mut an.reads);
            check_unknown_dates(diags, file, &date_facts, &pointer, &an.unchecked);
            keep_for_later(expression_uses, &pointer, an);
            reads.push((node, pointer, read));
        }
    }
    condition_proves
}

/// Facts a person may answer "I don't know" to: their value may be `none`.
pub(super) fn date_facts(tree: &TreeFile) -> BTreeSet<&str> {
    tree.nodes
        .iter()
        .filter(|n| matches!(n, Node::Date(_)))
        .filter_map(Node::fact)
        .collect()
}

/// E029 for a condition that uses a date a person may answer "I don't know" to (its value may
/// be `none`) as a value without checking it is known first (`expr::Analysis::unchecked`: read
/// from the syntax tree, so `not (a and b)` and `not a or not b` are judged alike).
pub(super) fn check_unknown_dates(
    diags: &mut Diagnostics,
    file: &SourceFile,
    date_facts: &BTreeSet<&str>,
    pointer: &str,
    unchecked: &BTreeSet<String>,
) {
    for fact in unchecked.iter().filter(|f| date_facts.contains(f.as_str())) {
        diags.push(
            file,
            Diagnostic::error(
                "E029",
                &file.path,
                pointer,
                format!("this condition reads the date `{fact}`, which may be \"I don't know\", without checking it is known"),
            )
            .with_help(format!("check it first, e.g. `{fact} and working_days({fact}, today) > 10`, and say the rule for an unknown date elsewhere")),
        );
    }
}

/// Analyses every text read as a template (E016, E025), adding what each reads to `reads`.
pub(super) fn check_templates(
    diags: &mut Diagnostics,
    (file, shared): (&SourceFile, &Shared),
    templates: Vec<(usize, String, &str)>,
    reads: &mut Reads,
    expression_uses: &mut Vec<(String, expr::Analysis)>,
) {
    for (node, pointer, src) in templates {
        if let Some(mut an) = analyse(diags, file, shared, &pointer, src, ExprSource::Text) {
            let read = std::mem::take(&mut an.reads);
            keep_for_later(expression_uses, &pointer, an);
            reads.push((node, pointer, read));
        }
    }
}
