//! Advice items: who each one is for, what it cites and uses (sources, contacts, letters), the
//! facts its texts read, and the advice ids nodes add.

use std::collections::{BTreeMap, BTreeSet};

use super::expressions::{analyse, keep_for_later, ExprSource};
use super::nodes::AdviceUse;
use super::parse::Broken;
use super::reporter::Diagnostics;
use super::{snippets, Shared, SourceFile, EVERYONE};
use crate::core::diagnostics::{escape_segment, line_col, nearest, Diagnostic};
use crate::core::expr;
use crate::core::format::{Advice, TreeFile};

/// What the advice checks need besides the advice item itself.
pub(super) struct AdviceContext<'a> {
    pub(super) file: &'a SourceFile,
    pub(super) tree: &'a TreeFile,
    pub(super) broken: &'a Broken,
    pub(super) shared: &'a Shared<'a>,
}

/// The facts each advice item reads.
#[derive(Default)]
pub(super) struct AdviceReads {
    /// Read by its body, due date and letter.
    pub(super) all: BTreeMap<String, BTreeSet<String>>,
    /// Read by its body and due date only: the answers that explain it.
    pub(super) text: BTreeMap<String, BTreeSet<String>>,
}

/// Checks every advice item of the tree, keeping its analysed expressions in `expression_uses`.
pub(super) fn check_advice_items(
    diags: &mut Diagnostics,
    cx: &AdviceContext,
    expression_uses: &mut Vec<(String, expr::Analysis)>,
) -> AdviceReads {
    let mut out = AdviceReads::default();
    for (id, a) in &cx.tree.advice {
        let p = format!("/advice/{}", escape_segment(id));
        let mut reads = BTreeSet::new();
        let mut text_reads = BTreeSet::new();
        check_advice_texts(
            diags,
            cx,
            &p,
            a,
            (&mut reads, &mut text_reads),
            expression_uses,
        );
        check_advice_audience(diags, cx, &p, id, a);
        check_advice_sources(diags, cx, &p, id, a);
        check_advice_contacts(diags, cx, &p, a);
        let letter_reads = check_advice_letter(diags, cx, &p, a, expression_uses);
        // The step's own text says why it is there; its letter's blanks (a name, a council)
        // must be set too, but are not a reason for the step.
        text_reads.extend(reads.iter().cloned());
        out.text.insert(id.clone(), text_reads);
        reads.extend(letter_reads);
        out.all.insert(id.clone(), reads);
    }
    out
}

/// The body and due date: each parses, and what they read.
fn check_advice_texts(
    diags: &mut Diagnostics,
    cx: &AdviceContext,
    p: &str,
    a: &Advice,
    (reads, text_reads): (&mut BTreeSet<String>, &mut BTreeSet<String>),
    expression_uses: &mut Vec<(String, expr::Analysis)>,
) {
    let body_pointer = format!("{p}/body");
    if let Some(an) = analyse(
        diags,
        cx.file,
        cx.shared,
        &body_pointer,
        &a.body,
        ExprSource::Text,
    ) {
        text_reads.extend(an.guarded.iter().cloned());
        reads.extend(an.reads.iter().cloned());
        keep_for_later(expression_uses, &body_pointer, an);
    }
    if let Some(due) = &a.due {
        let due_pointer = format!("{p}/due");
        if let Some(an) = analyse(
            diags,
            cx.file,
            cx.shared,
            &due_pointer,
            due,
            ExprSource::Due,
        ) {
            text_reads.extend(an.guarded.iter().cloned());
            reads.extend(an.reads.iter().cloned());
            keep_for_later(expression_uses, &due_pointer, an);
        }
    }
}

/// An advice item says who it is for (E030), naming only audiences that exist (E031).
fn check_advice_audience(
    diags: &mut Diagnostics,
    cx: &AdviceContext,
    p: &str,
    id: &str,
    a: &Advice,
) {
    let file = cx.file;
    let names = match &a.audience {
        Some(names) if !names.is_empty() => names,
        missing => {
            let pointer = match missing {
                Some(_) => format!("{p}/for"),
                None => p.to_string(),
            };
            diags.push(
                file,
                Diagnostic::error(
                    "E030",
                    &file.path,
                    pointer,
                    format!("advice `{id}` does not say who it is for"),
                )
                .with_help(
                    "add \"for\": [\"everyone\"], or the names of the audiences in audiences.json it is for",
                ),
            );
            return;
        }
    };
    // Without the audiences (audiences.json did not read, already reported) no name is checked.
    let Some(known) = cx.shared.audiences else {
        return;
    };
    for (k, name) in names.iter().enumerate() {
        if name == EVERYONE || known.contains_key(name) {
            continue;
        }
        let candidates = known.keys().map(String::as_str).chain([EVERYONE]);
        let help = match nearest(name, candidates) {
            Some(n) => format!("did you mean `{n}`?"),
            None => format!(
                "use `everyone` or one of the names in audiences.json: {}",
                known.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        };
        diags.push(
            file,
            Diagnostic::error(
                "E031",
                &file.path,
                format!("{p}/for/{k}"),
                format!("there is no audience called `{name}`"),
            )
            .with_help(help),
        );
    }
}

/// An advice item cites at least one source, and each one exists (E008).
fn check_advice_sources(
    diags: &mut Diagnostics,
    cx: &AdviceContext,
    p: &str,
    id: &str,
    a: &Advice,
) {
    let (file, tree) = (cx.file, cx.tree);
    if a.sources.is_empty() {
        diags.push(
            file,
            Diagnostic::error(
                "E008",
                &file.path,
                format!("{p}/sources"),
                format!("advice `{id}` cites no source"),
            )
            .with_help("every step says where its rule comes from: add a source id"),
        );
    }
    for (k, s) in a.sources.iter().enumerate() {
        if !tree.sources.contains_key(s) && !cx.broken.sources.contains(s) {
            let help = nearest(s, tree.sources.keys().map(String::as_str))
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| "add it to the tree's `sources`".into());
            diags.push(
                file,
                Diagnostic::error(
                    "E008",
                    &file.path,
                    format!("{p}/sources/{k}"),
                    format!("there is no source with the id `{s}`"),
                )
                .with_help(help),
            );
        }
    }
}

/// Every contact an advice item names exists (E007).
fn check_advice_contacts(diags: &mut Diagnostics, cx: &AdviceContext, p: &str, a: &Advice) {
    let shared = cx.shared;
    for (k, c) in a.contacts.iter().enumerate() {
        if !shared.contacts.contains_key(c) {
            let help = nearest(c, shared.contacts.keys().map(String::as_str))
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    format!("add the organisation to {}/contacts.json", shared.folder)
                });
            diags.push(
                cx.file,
                Diagnostic::error(
                    "E007",
                    &cx.file.path,
                    format!("{p}/contacts/{k}"),
                    format!("there is no contact with the id `{c}`"),
                )
                .with_help(help),
            );
        }
    }
}

/// An advice item's letter exists (E009) and parses; returns the facts the letter reads.
fn check_advice_letter(
    diags: &mut Diagnostics,
    cx: &AdviceContext,
    p: &str,
    a: &Advice,
    expression_uses: &mut Vec<(String, expr::Analysis)>,
) -> BTreeSet<String> {
    let mut letter_reads = BTreeSet::new();
    let Some(l) = &a.letter else {
        return letter_reads;
    };
    let shared = cx.shared;
    match shared.letters.get(l) {
        Some(letter) => {
            let pointer = format!("{p}/letter");
            // The letter as this tree fills it in: its snippets put in, unknown ones at their
            // line and column in the letter's file.
            // It is checked on one line per line of the file: a snippet's own line breaks are
            // spaces here, so a mistake after it is reported at its line in the letter's file.
            let all = snippets::with_pack(&cx.tree.snippets, shared.snippets);
            let flat: BTreeMap<String, String> = all
                .iter()
                .map(|(k, v)| (k.clone(), v.replace('\n', " ")))
                .collect();
            let (checked, unknown) = snippets::put_in(&letter.body, &flat);
            for (start, _, name) in unknown {
                let (line, column) = line_col(&letter.body, start);
                let d = snippets::unknown_snippet(&letter.file, String::new(), name, &all);
                let d = Diagnostic {
                    message: format!(
                        "{} (letter `{l}`, attached at {pointer} in {})",
                        d.message, cx.file.path
                    ),
                    ..d
                };
                diags.push(cx.file, d.at(letter.body_line + line - 1, column));
            }
            let what = ExprSource::Letter(l, &letter.file, letter.body_line);
            if let Some(an) = analyse(diags, cx.file, shared, &pointer, &checked, what) {
                letter_reads.extend(an.reads.iter().cloned());
                keep_for_later(expression_uses, &pointer, an);
            }
        }
        None if shared.broken_letters.contains(l) => {}
        None => {
            let help = nearest(l, shared.letters.keys().map(String::as_str))
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| format!("add {}/letters/{l}.md", shared.folder));
            diags.push(
                cx.file,
                Diagnostic::error(
                    "E009",
                    &cx.file.path,
                    format!("{p}/letter"),
                    format!("there is no letter with the id `{l}`"),
                )
                .with_help(help),
            );
        }
    }
    letter_reads
}

/// Every advice id a node adds is an advice item of the tree (E006).
pub(super) fn check_advice_uses(diags: &mut Diagnostics, cx: &AdviceContext, uses: &[AdviceUse]) {
    let tree = cx.tree;
    for u in uses {
        if !tree.advice.contains_key(&u.id) && !cx.broken.advice.contains(&u.id) {
            let help = nearest(&u.id, tree.advice.keys().map(String::as_str))
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| "define it in the tree's `advice`".into());
            diags.push(
                cx.file,
                Diagnostic::error(
                    "E006",
                    &cx.file.path,
                    u.pointer.clone(),
                    format!("there is no advice item with the id `{}`", u.id),
                )
                .with_help(help),
            );
        }
    }
}
