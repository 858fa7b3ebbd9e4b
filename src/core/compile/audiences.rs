//! Audiences (audiences.json): who advice can be for. Each name is a condition on the facts of
//! the tree a walk starts in (the triage), checked like any condition: it parses (E016), uses
//! only names the language has (E025), reads only facts such a tree's questions set (E017) and
//! compares a choice or multi fact only with its options' values (E026). Advice items name the
//! audiences they are for; `advice::check_advice_audience` checks those names (E030, E031).

use std::collections::{BTreeMap, BTreeSet};

use super::expressions::{analyse, option_values, report_comparisons, ticked_facts, ExprSource};
use super::facts::known_facts;
use super::names::is_node_id;
use super::reporter::Diagnostics;
use super::text::check_control;
use super::{Audience, Flow, Inputs, Origins, Shared, SourceFile, EVERYONE};
use crate::core::diagnostics::{escape_segment, nearest, Diagnostic};
use crate::core::expr::Analysis;
use crate::core::format::{AudienceDef, Node};

/// Checks every audience; returns them compiled. The facts they read are checked only for the
/// audiences some advice item names, and only when every tree compiled (a folder of someone
/// else's trees may use the built-in file without asking any of the facts it reads).
pub(super) fn check(
    diags: &mut Diagnostics,
    inputs: &Inputs,
    shared: &Shared,
    (defs, origins): (&BTreeMap<String, AudienceDef>, &Origins),
    flows: &BTreeMap<String, Flow>,
) -> BTreeMap<String, Audience> {
    let trees_compiled = !diags.list.iter().any(|d| d.is_error());
    let used: BTreeSet<&str> = flows
        .values()
        .flat_map(|f| f.tree().advice.values())
        .flat_map(|a| a.audience.iter().flatten())
        .map(String::as_str)
        .collect();
    let mut out = BTreeMap::new();
    let mut analysed: Vec<(&str, &SourceFile, Analysis)> = Vec::new();
    for (name, def) in defs {
        let file = file_of(inputs, origins, name);
        let p = format!("/audiences/{}", escape_segment(name));
        check_name(diags, file, &p, name);
        check_control(diags, file, || format!("{p}/label"), &def.label, false);
        check_control(diags, file, || format!("{p}/when"), &def.when, false);
        let pointer = format!("{p}/when");
        let what = ExprSource::Condition;
        let Some(an) = analyse(diags, file, shared, &pointer, &def.when, what) else {
            continue;
        };
        out.insert(
            name.clone(),
            Audience {
                label: def.label.clone(),
                when: def.when.clone(),
                needs: an.reads.clone(),
            },
        );
        if used.contains(name.as_str()) {
            analysed.push((name, file, an));
        }
    }
    if trees_compiled {
        check_reads(diags, flows, &analysed);
    }
    out
}

/// The file the name was last defined in: the folder's own, a pack it extends, or the base.
fn file_of<'i>(inputs: &'i Inputs, origins: &Origins, name: &str) -> &'i SourceFile {
    let from = origins.audiences.get(name).map(|o| o.file.as_str());
    inputs
        .under
        .iter()
        .chain([&inputs.local])
        .filter_map(|l| l.audiences.as_ref())
        .find(|f| from == Some(f.path.as_str()))
        .unwrap_or(&inputs.audiences)
}

/// A name is lower case letters, digits and `_` (E010), and is not the built-in `everyone`.
fn check_name(diags: &mut Diagnostics, file: &SourceFile, p: &str, name: &str) {
    if !is_node_id(name) {
        diags.push(
            file,
            Diagnostic::error(
                "E010",
                &file.path,
                p,
                format!("`{name}` is not a valid audience name"),
            )
            .with_help("use lower case letters, digits and `_`, e.g. `kinship_carer`"),
        );
    }
    if name == EVERYONE {
        diags.push(
            file,
            Diagnostic::error(
                "E031",
                &file.path,
                p,
                "`everyone` is built in (anyone at all) and cannot be defined",
            )
            .with_help("remove it, or give this audience another name"),
        );
    }
}

/// An audience is evaluated on the facts of the tree the walk started in, so it may read only
/// facts that a triage (a tree without `inputs` that runs other trees) sets (E017), and compare
/// a choice or multi fact only with values its options have (E026).
fn check_reads(
    diags: &mut Diagnostics,
    flows: &BTreeMap<String, Flow>,
    analysed: &[(&str, &SourceFile, Analysis)],
) {
    // The triages: trees a walk can start in (no `inputs`) that run other trees. A tree
    // checked on its own has none, and its walks leave an audience they cannot decide to the
    // rules (core::audience), so there is nothing to check its audiences against.
    let roots: Vec<&Flow> = flows
        .values()
        .filter(|f| f.tree().inputs.is_empty())
        .filter(|f| f.tree().nodes.iter().any(|n| matches!(n, Node::Flow(_))))
        .collect();
    if roots.is_empty() {
        return;
    }
    let facts: BTreeSet<String> = roots.iter().flat_map(|f| known_facts(f.tree())).collect();
    let options = option_values(roots.iter().flat_map(|f| &f.tree().nodes));
    let ticked = ticked_facts(roots.iter().flat_map(|f| &f.tree().nodes));
    for (name, file, an) in analysed {
        let pointer = format!("/audiences/{}/when", escape_segment(name));
        for fact in an.all_reads() {
            if facts.contains(&fact) {
                continue;
            }
            let help = match nearest(&fact, facts.iter().map(String::as_str)) {
                Some(n) => format!("did you mean `{n}`?"),
                None => "an audience may only read facts the triage asks".to_string(),
            };
            diags.push(
                file,
                Diagnostic::error(
                    "E017",
                    &file.path,
                    pointer.clone(),
                    format!(
                        "audience `{name}` reads `{fact}`, which no question of the triage sets"
                    ),
                )
                .with_help(help),
            );
        }
        report_comparisons(diags, file, &options, &ticked, &[(pointer, an.clone())]);
    }
}
