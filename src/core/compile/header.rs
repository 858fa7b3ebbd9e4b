//! The checks of a tree's own fields, before its nodes: its id, dates, jurisdictions, size and
//! inputs.

use super::dates::check_date;
use super::names::{is_fact_name, is_tree_id};
use super::reporter::Diagnostics;
use super::SourceFile;
use crate::core::diagnostics::{escape_segment, Diagnostic};
use crate::core::format::{TreeFile, IN_FORCE_NOT_CONFIRMED, NOT_YET_IN_FORCE};
use crate::core::limits;

/// The tree's id (E010), its `reviewed` date, its jurisdictions (E003) and the `checked` date of
/// each source (and its `in_force` date, if any).
pub(super) fn check_header(diags: &mut Diagnostics, file: &SourceFile, tree: &TreeFile) {
    let f = &file.path;
    if !is_tree_id(&tree.id) {
        diags.push(
            file,
            Diagnostic::error(
                "E010",
                f,
                "/id",
                format!(
                    "tree id `{}` must be lower case letters, digits, `_` or `-`",
                    tree.id
                ),
            ),
        );
    }
    check_date(diags, file, "/reviewed", &tree.reviewed);
    if tree.jurisdictions.is_empty() {
        diags.push(
            file,
            Diagnostic::error(
                "E003",
                f,
                "/jurisdictions",
                "list at least one jurisdiction",
            )
            .with_help("e.g. [\"england\"], or [\"any\"]"),
        );
    }
    for (id, source) in &tree.sources {
        check_date(
            diags,
            file,
            &format!("/sources/{}/checked", escape_segment(id)),
            &source.checked,
        );
        let in_force = source.in_force.as_deref();
        if let Some(v) = in_force.filter(|v| {
            ![NOT_YET_IN_FORCE, IN_FORCE_NOT_CONFIRMED].contains(v)
                && crate::core::calendar::parse_iso(v).is_none()
        }) {
            diags.push(
                file,
                Diagnostic::error(
                    "E018",
                    f,
                    format!("/sources/{}/in_force", escape_segment(id)),
                    format!("`{v}` is not a real date"),
                )
                .with_help("give the day the law took effect as YYYY-MM-DD (e.g. 2014-04-22), or \"not yet\", or \"not confirmed\""),
            );
        }
    }
}

/// False (after E024) when the tree has more nodes than any check should walk.
pub(super) fn within_node_limit(
    diags: &mut Diagnostics,
    file: &SourceFile,
    tree: &TreeFile,
) -> bool {
    if tree.nodes.len() <= limits::MAX_NODES {
        return true;
    }
    diags.push(
        file,
        Diagnostic::error(
            "E024",
            &file.path,
            "/nodes",
            format!(
                "this tree has {} nodes; the limit is {}",
                tree.nodes.len(),
                limits::MAX_NODES
            ),
        )
        .with_help("split it into several trees run with `flow` nodes (docs/limits.md)"),
    );
    false
}

/// Every fact a module tree must be given, and every fact it hands to the trees it runs, is a
/// fact name (E010).
pub(super) fn check_inputs(diags: &mut Diagnostics, file: &SourceFile, tree: &TreeFile) {
    for (field, list) in [("inputs", &tree.inputs), ("share", &tree.share)] {
        for (k, fact) in list.iter().enumerate() {
            if !is_fact_name(fact) {
                diags.push(
                    file,
                    Diagnostic::error(
                        "E010",
                        &file.path,
                        format!("/{field}/{k}"),
                        format!("`{fact}` cannot be a fact name"),
                    ),
                );
            }
        }
    }
}
