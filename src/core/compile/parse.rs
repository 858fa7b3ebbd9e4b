//! Reading tree files: the outer shape first, then each node, advice item and source on its
//! own, so every broken part is reported and the rest of the tree is still checked.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::value::RawValue;
use serde_json::Value;

use super::reporter::Diagnostics;
use super::{Inputs, SourceFile};
use crate::core::diagnostics::{escape_segment, Diagnostic};
use crate::core::format::*;

/// A tree that parsed: its place in `Inputs::trees`, the tree, and the parts that did not.
pub(super) type ParsedTree = (usize, TreeFile, Broken);

/// Every tree that parsed, the first with each id apart from the copies.
pub(super) struct ParsedTrees {
    pub(super) parsed: Vec<ParsedTree>,
    /// A second tree with an id already taken, still checked so a copy's own problems show.
    pub(super) duplicates: Vec<ParsedTree>,
    /// Tree id -> its place in `Inputs::trees`.
    pub(super) files: BTreeMap<String, usize>,
}

/// Parses every tree file, reporting a second tree with an id already taken (E021).
pub(super) fn parse_trees(diags: &mut Diagnostics, inputs: &Inputs) -> ParsedTrees {
    let mut parsed: Vec<ParsedTree> = Vec::new();
    let mut tree_files: BTreeMap<String, usize> = BTreeMap::new();
    let mut duplicates: Vec<ParsedTree> = Vec::new();
    for (i, file) in inputs.trees.iter().enumerate() {
        let Some((tree, broken)) = parse_tree(diags, file) else {
            continue;
        };
        if let Some(&first) = tree_files.get(&tree.id) {
            diags.push(
                file,
                Diagnostic::error(
                    "E021",
                    &file.path,
                    "/id",
                    format!("another tree already has the id `{}`", tree.id),
                )
                .with_help(format!(
                    "{} uses it too; give each tree its own id",
                    inputs.trees[first].path
                )),
            );
            duplicates.push((i, tree, broken));
            continue;
        }
        tree_files.insert(tree.id.clone(), i);
        parsed.push((i, tree, broken));
    }
    ParsedTrees {
        parsed,
        duplicates,
        files: tree_files,
    }
}

/// Parts of a tree that did not parse. They were reported already; the rest of the tree is
/// still checked, and references to these ids are not reported a second time.
#[derive(Default)]
pub(super) struct Broken {
    pub(super) advice: BTreeSet<String>,
    pub(super) sources: BTreeSet<String>,
}

/// Just the `format` field, read whatever else the file holds.
#[derive(serde::Deserialize)]
struct FormatOnly {
    format: Option<Value>,
}

/// Just the `id`, to keep a broken node's place.
#[derive(serde::Deserialize)]
struct IdOnly {
    #[serde(default)]
    id: String,
}

pub(super) fn parse_tree(diags: &mut Diagnostics, file: &SourceFile) -> Option<(TreeFile, Broken)> {
    if !diags.within_limits(file) {
        return None;
    }
    // The outer shape first, with each node, advice item and source kept as raw text; each is
    // then read on its own, so every broken one is reported, not just the first.
    let mut de = serde_json::Deserializer::from_str(&file.text);
    let raw: TreeFile<Box<RawValue>, Box<RawValue>, Box<RawValue>> =
        match serde_path_to_error::deserialize(&mut de) {
            Ok(raw) => match de.end() {
                Ok(()) => raw,
                Err(e) => {
                    diags.syntax_error(file, &e);
                    return None;
                }
            },
            Err(e) if e.inner().is_data() => {
                // A file from a newer Signpost may have a shape this one does not know: say so.
                let format = serde_json::from_str::<FormatOnly>(&file.text)
                    .ok()
                    .and_then(|f| f.format);
                let as_value = match format {
                    Some(f) => serde_json::json!({ "format": f }),
                    None => serde_json::json!({}),
                };
                if diags.check_format(file, &as_value) {
                    diags.report_shape(file, "", e);
                }
                return None;
            }
            Err(e) => {
                diags.syntax_error(file, e.inner());
                return None;
            }
        };
    if !diags.check_format(file, &serde_json::json!({ "format": raw.format })) {
        return None;
    }
    let mut broken = Broken::default();
    let mut nodes = Vec::with_capacity(raw.nodes.len());
    for (i, v) in raw.nodes.iter().enumerate() {
        match diags.deserialize_raw::<Node>(file, || format!("/nodes/{i}"), v) {
            Some(n) => nodes.push(n),
            // A stand-in keeps the positions (and pointers) of the nodes after it right.
            None => nodes.push(Node::Outcome(OutcomeNode {
                id: serde_json::from_str::<IdOnly>(v.get())
                    .map(|x| x.id)
                    .unwrap_or_default(),
                advice: Vec::new(),
            })),
        }
    }
    let mut advice = BTreeMap::new();
    for (id, v) in raw.advice {
        match diags.deserialize_raw::<Advice>(
            file,
            || format!("/advice/{}", escape_segment(&id)),
            &v,
        ) {
            Some(a) => {
                advice.insert(id, a);
            }
            None => {
                broken.advice.insert(id);
            }
        }
    }
    let mut sources = BTreeMap::new();
    for (id, v) in raw.sources {
        match diags.deserialize_raw::<Source>(
            file,
            || format!("/sources/{}", escape_segment(&id)),
            &v,
        ) {
            Some(s) => {
                sources.insert(id, s);
            }
            None => {
                broken.sources.insert(id);
            }
        }
    }
    let tree = TreeFile {
        schema: raw.schema,
        format: raw.format,
        id: raw.id,
        title: raw.title,
        section: raw.section,
        description: raw.description,
        jurisdictions: raw.jurisdictions,
        reviewed: raw.reviewed,
        inputs: raw.inputs,
        lets: raw.lets,
        share: raw.share,
        snippets: raw.snippets,
        start: raw.start,
        nodes,
        advice,
        sources,
    };
    Some((tree, broken))
}
