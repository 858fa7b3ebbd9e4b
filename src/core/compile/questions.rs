//! The question catalogue: every option of a `multi` node with `rank_by` has its phrasings in
//! questions.json, every entry there names such an option, and `rank_by` names the fact of a
//! `text` question in the same tree. Then the catalogue is indexed once for matching.

use std::collections::BTreeMap;

use super::reporter::Diagnostics;
use super::{Flow, Inputs};
use crate::core::diagnostics::{escape_segment, Diagnostic};
use crate::core::format::{MultiNode, Node, QuestionsFile};
use crate::core::questions::{Catalogue, Entry};

/// A `multi` node with `rank_by`: its tree, its index in the tree, the node.
struct Ranked<'f> {
    tree: &'f str,
    index: usize,
    node: &'f MultiNode,
}

fn ranked_nodes(flows: &BTreeMap<String, Flow>) -> Vec<Ranked<'_>> {
    flows
        .iter()
        .flat_map(|(id, flow)| {
            flow.tree
                .nodes
                .iter()
                .enumerate()
                .filter_map(move |(i, n)| match n {
                    Node::Multi(m) if m.rank_by.is_some() => Some(Ranked {
                        tree: id,
                        index: i,
                        node: m,
                    }),
                    _ => None,
                })
        })
        .collect()
}

/// Checks the catalogue (E032) and indexes it. With no `rank_by` node in the library the
/// questions file is not used and not checked.
pub(super) fn check_catalogue(
    diags: &mut Diagnostics,
    inputs: &Inputs,
    flows: &BTreeMap<String, Flow>,
    files: &BTreeMap<String, usize>,
    questions: Option<&QuestionsFile>,
) -> Catalogue {
    let ranked = ranked_nodes(flows);
    if ranked.is_empty() {
        return Catalogue::default();
    }
    let empty = BTreeMap::new();
    let declared = questions.map_or(&empty, |q| &q.questions);
    for r in &ranked {
        let Some(&file_ix) = files.get(r.tree) else {
            continue;
        };
        let file = &inputs.trees[file_ix];
        check_rank_by(diags, file, &flows[r.tree], r);
        for (j, o) in r.node.options.iter().enumerate() {
            if o.exclusive || declared.contains_key(&o.value) {
                continue;
            }
            let d = Diagnostic::error(
                "E032",
                &file.path,
                format!("/nodes/{}/options/{j}/value", r.index),
                format!(
                    "the question `{}` has no phrasings in questions.json, so what a person types \
                     cannot find it",
                    o.value
                ),
            )
            .with_help(format!(
                "add \"{}\": {{\"phrasings\": [...], \"words\": [...]}} to the `questions` of \
                 {}",
                o.value,
                inputs
                    .questions
                    .as_ref()
                    .map_or("trees/questions.json", |f| f.path.as_str())
            ));
            diags.push(file, d);
        }
    }
    if let Some(file) = &inputs.questions {
        for id in declared.keys() {
            let named = ranked.iter().any(|r| {
                r.node
                    .options
                    .iter()
                    .any(|o| &o.value == id && !o.exclusive)
            });
            if !named {
                let d = Diagnostic::error(
                    "E032",
                    &file.path,
                    format!("/questions/{}", escape_segment(id)),
                    format!("`{id}` is not a question of any `multi` node with `rank_by`"),
                )
                .with_help("use the value of one of the catalogue's options, or remove the entry");
                diags.push(file, d);
            }
        }
    }
    Catalogue::new(entries(&ranked, declared))
}

/// `rank_by` names the fact of a `text` question in the same tree.
fn check_rank_by(diags: &mut Diagnostics, file: &super::SourceFile, flow: &Flow, r: &Ranked) {
    let fact = r.node.rank_by.as_deref().unwrap_or_default();
    let is_text = flow
        .tree
        .nodes
        .iter()
        .any(|n| matches!(n, Node::Text(_)) && n.fact() == Some(fact));
    if !is_text {
        let d = Diagnostic::error(
            "E032",
            &file.path,
            format!("/nodes/{}/rank_by", r.index),
            format!("`rank_by` names `{fact}`, which no `text` question in this tree sets"),
        )
        .with_help(
            "name the fact of a text question asked before this one, e.g. \"What do you most \
             want to know?\"",
        );
        diags.push(file, d);
    }
}

/// The catalogue in the order of the first `rank_by` node's options, then any other's.
fn entries(
    ranked: &[Ranked],
    declared: &BTreeMap<String, crate::core::format::QuestionWords>,
) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for r in ranked {
        for o in r.node.options.iter().filter(|o| !o.exclusive) {
            if out.iter().any(|e| e.id == o.value) {
                continue;
            }
            out.push(Entry {
                id: o.value.clone(),
                question: o.label.clone(),
                words: declared.get(&o.value).cloned().unwrap_or_default(),
            });
        }
    }
    out
}
