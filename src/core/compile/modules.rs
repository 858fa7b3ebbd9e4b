//! Flow nodes running module trees: each shares the inputs the module needs, set on every path
//! to it (E028, E017), and knows the nation before running a single-nation tree (E022).

use std::collections::BTreeMap;

use super::facts::Assignment;
use super::nodes::node_pointer;
use super::reporter::Diagnostics;
use super::{SourceFile, NATION_FACT};
use crate::core::diagnostics::Diagnostic;
use crate::core::format::{Node, TreeFile};

/// A flow node running a module shares every input the module needs, set on every path here.
pub(super) fn check_module_inputs(
    diags: &mut Diagnostics,
    (file, tree): (&SourceFile, &TreeFile),
    asg: &Assignment,
    tree_inputs: &BTreeMap<String, Vec<String>>,
    reachable: &[bool],
) {
    for (i, node) in tree.nodes.iter().enumerate() {
        let Node::Flow(n) = node else { continue };
        let shared = tree.shared_by(n);
        for fact in tree_inputs.get(&n.tree).into_iter().flatten() {
            if !shared.contains(&fact.as_str()) {
                diags.push(
                    file,
                    Diagnostic::error(
                        "E028",
                        &file.path,
                        format!("{}/share", node_pointer(i)),
                        format!(
                            "`{}` runs `{}`, which needs `{fact}`, but does not share it",
                            n.id, n.tree
                        ),
                    )
                    .with_help(format!(
                        "add \"{fact}\" to `share` (the tree lists it in its `inputs`)"
                    )),
                );
            } else if !asg.is_set(i, fact) && reachable[i] {
                asg.report_unset(
                    diags,
                    file,
                    (i, &format!("{}/share", node_pointer(i))),
                    fact,
                    &format!("`{}` (sharing it with `{}`)", n.id, n.tree),
                );
            }
        }
    }
}

/// Single-nation trees run from here must know the nation first.
pub(super) fn check_nation(
    diags: &mut Diagnostics,
    (file, tree): (&SourceFile, &TreeFile),
    asg: &Assignment,
    known_trees: &BTreeMap<String, bool>,
) {
    let nation = asg.fact_ix[NATION_FACT];
    for (i, node) in tree.nodes.iter().enumerate() {
        if let Node::Flow(n) = node {
            let restricted = known_trees.get(&n.tree).copied().unwrap_or(false);
            if restricted
                && !asg.assigned_in.contains(i, nation)
                && !tree.shared_by(n).contains(&NATION_FACT)
            {
                diags.push(file, Diagnostic::error("E022", &file.path, if n.share.is_empty() { format!("{}/tree", node_pointer(i)) } else { format!("{}/share", node_pointer(i)) }, format!("`{}` runs a tree whose advice is only for some nations, without knowing the nation", n.id)).with_help("ask where the person lives (a question setting `nation`) before this point, and add \"nation\" to `share`"));
            }
        }
    }
}
