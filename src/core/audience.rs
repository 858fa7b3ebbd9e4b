//! Audience by construction: whether an advice item is for this person. Every item names the
//! audiences it is for (`"for"`, any one is enough); each audience is a condition on the facts of
//! the tree the walk started in (the triage), as they stand for the whole walk. The summary
//! drops an item that is for none of them, whatever rule added it.
//!
//! A walk that never set a fact an audience reads (a tree run on its own that does not ask it,
//! or a walk not finished yet) cannot rule that audience out: it is "not known", and an item is
//! kept when one of its audiences is true or, failing that, one is not known. So what an audience
//! cannot decide is left to the rule that added the item, as before audiences. The triage asks
//! the facts the audiences read on every path through England, so there they always decide.

use crate::core::compile::{Library, EVERYONE};
use crate::core::expr::Facts;

/// Whether one audience fits the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Yes,
    No,
    /// The walk did not set a fact it reads, or it could not be worked out.
    NotKnown,
}

/// Whether the audience `name` fits a person with these facts.
pub fn fits(lib: &Library, name: &str, facts: &Facts) -> Fit {
    fits_in(lib, name, facts, &crate::core::expr::facts_value(facts))
}

/// `fits`, with the facts also made a template context once for many audiences.
fn fits_in(lib: &Library, name: &str, facts: &Facts, context: &minijinja::Value) -> Fit {
    if name == EVERYONE {
        return Fit::Yes;
    }
    let Some(audience) = lib.audiences().get(name) else {
        return Fit::NotKnown;
    };
    if audience.needs.iter().any(|f| !facts.contains_key(f)) {
        return Fit::NotKnown;
    }
    let expr = lib.expr();
    match expr.eval_in(&expr.condition(&audience.when), context) {
        Ok(true) => Fit::Yes,
        Ok(false) => Fit::No,
        Err(_) => Fit::NotKnown,
    }
}

/// Whether the advice item `tree.advice` is for a person with these facts (the facts of the
/// tree the walk started in): one of its audiences fits, or none is ruled out for certain.
pub fn is_for(lib: &Library, tree: &str, advice: &str, facts: &Facts) -> bool {
    is_for_in(
        lib,
        tree,
        advice,
        facts,
        &crate::core::expr::facts_value(facts),
    )
}

/// `is_for`, with the facts also made a template context once for many items.
fn is_for_in(
    lib: &Library,
    tree: &str,
    advice: &str,
    facts: &Facts,
    context: &minijinja::Value,
) -> bool {
    let Some(item) = lib.flow(tree).and_then(|f| f.tree().advice.get(advice)) else {
        return false;
    };
    // A compiled item always names at least one audience.
    let Some(names) = &item.audience else {
        return true;
    };
    let mut verdict = Fit::No;
    for name in names {
        match fits_in(lib, name, facts, context) {
            Fit::Yes => return true,
            Fit::NotKnown => verdict = Fit::NotKnown,
            Fit::No => {}
        }
    }
    verdict == Fit::NotKnown
}

/// Keeps the items, given as (tree, advice id), that are for a person with these facts.
pub(crate) fn keep_for_this_person(
    lib: &Library,
    facts: &Facts,
    items: &mut Vec<(String, String)>,
) {
    let context = crate::core::expr::facts_value(facts);
    items.retain(|(tree, advice)| is_for_in(lib, tree, advice, facts, &context));
}
