//! Computed facts (`let`): each name is a fact of its own (E034), each expression is checked
//! like a condition (E016, E025, E026, E029), reads only facts the tree has (E017), and no
//! computed fact depends on itself (E035). What they read is kept, in the order they can be
//! worked out, for definite assignment, the walk and "because you said".

use std::collections::{BTreeMap, BTreeSet};

use super::expressions::{analyse, check_unknown_dates, date_facts, keep_for_later, ExprSource};
use super::names::is_fact_name;
use super::reporter::Diagnostics;
use super::{Shared, SourceFile};
use crate::core::diagnostics::{escape_segment, nearest, Diagnostic};
use crate::core::expr;
use crate::core::format::TreeFile;

/// One computed fact as compiled.
#[derive(Debug, Clone)]
pub struct Derived {
    pub name: String,
    /// Its expression.
    pub src: String,
    /// Facts it reads without an `is defined` guard (questions' facts, inputs or other computed
    /// facts): it is set once all of them are.
    pub(crate) needs: BTreeSet<String>,
    /// Every fact it reads, guarded or not, through other computed facts down to facts that are
    /// answered or handed in: the answers its value rests on.
    pub(crate) rests_on: BTreeSet<String>,
    /// Its own text and the texts of the computed facts it reads, for finding which ticked
    /// options a rule reading it tests.
    pub(crate) texts: String,
    /// The facts it proves set when it is true (`x is defined and ...`, through the computed
    /// facts it requires true), so a rule requiring it may read them.
    pub(crate) proves: BTreeSet<String>,
}

/// What a condition proves set when true, with what each computed fact it requires true
/// proves.
pub(super) fn with_lets_proved(
    mut proves: BTreeSet<String>,
    truthy: &BTreeSet<String>,
    lets: &[Derived],
) -> BTreeSet<String> {
    for d in lets.iter().filter(|d| truthy.contains(&d.name)) {
        proves.extend(d.proves.iter().cloned());
    }
    proves
}

pub(super) fn pointer(name: &str) -> String {
    format!("/let/{}", escape_segment(name))
}

/// Checks the tree's computed facts; returns them in an order where each comes after the ones it
/// reads (empty when there is a loop, which is reported).
pub(super) fn check_lets(
    diags: &mut Diagnostics,
    (file, shared, tree): (&SourceFile, &Shared, &TreeFile),
    facts: &[String],
    expression_uses: &mut Vec<(String, expr::Analysis)>,
) -> Vec<Derived> {
    if tree.lets.is_empty() {
        return Vec::new();
    }
    let asked: BTreeSet<&str> = facts.iter().map(String::as_str).collect();
    let dates = date_facts(tree);
    let mut reads: BTreeMap<&str, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    let mut proved: BTreeMap<&str, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for (name, src) in &tree.lets {
        let p = pointer(name);
        check_name(diags, file, &p, name, &asked);
        let Some(mut an) = analyse(diags, file, shared, &p, src, ExprSource::Condition) else {
            continue;
        };
        check_unknown_dates(diags, file, &dates, &p, &an.unchecked);
        let all = an.all_reads();
        for fact in &all {
            if !asked.contains(fact.as_str()) && !tree.lets.contains_key(fact) {
                let known = facts
                    .iter()
                    .map(String::as_str)
                    .chain(tree.lets.keys().map(String::as_str));
                let help = match nearest(fact, known) {
                    Some(n) => {
                        format!("no question in this tree sets `{fact}`; did you mean `{n}`?")
                    }
                    None => format!(
                        "no question, input or computed fact of this tree is called `{fact}`"
                    ),
                };
                diags.push(
                    file,
                    Diagnostic::error(
                        "E017",
                        &file.path,
                        p.clone(),
                        format!("computed fact `{name}` reads `{fact}`, which nothing in this tree sets"),
                    )
                    .with_help(help),
                );
            }
        }
        let needs = std::mem::take(&mut an.reads);
        proved.insert(
            name,
            (
                std::mem::take(&mut an.proves),
                std::mem::take(&mut an.truthy),
            ),
        );
        keep_for_later(expression_uses, &p, an);
        reads.insert(name, (needs, all));
    }
    let Some(order) = order_lets(diags, file, &reads) else {
        return Vec::new();
    };
    let mut out: Vec<Derived> = Vec::with_capacity(order.len());
    for name in order {
        let (needs, all) = &reads[name];
        let mut rests_on = BTreeSet::new();
        let mut texts = tree.lets[name].clone();
        for fact in all {
            match out.iter().find(|d| &d.name == fact) {
                Some(d) => {
                    rests_on.extend(d.rests_on.iter().cloned());
                    texts.push(' ');
                    texts.push_str(&d.texts);
                }
                None => {
                    rests_on.insert(fact.clone());
                }
            }
        }
        let (own, truthy) = proved.remove(name).unwrap_or_default();
        let proves = with_lets_proved(own, &truthy, &out);
        out.push(Derived {
            name: name.to_string(),
            src: tree.lets[name].clone(),
            needs: needs.clone(),
            rests_on,
            texts,
            proves,
        });
    }
    out
}

/// A computed fact's name is a fact name (E010) that no question, option or input of the tree
/// sets already (E034).
fn check_name(
    diags: &mut Diagnostics,
    file: &SourceFile,
    p: &str,
    name: &str,
    asked: &BTreeSet<&str>,
) {
    if !is_fact_name(name) {
        diags.push(
            file,
            Diagnostic::error("E010", &file.path, p, format!("`{name}` cannot be a fact name"))
                .with_help("fact names are lower case letters, digits and `_`, start with a letter, and are not `today` or a function name"),
        );
    } else if asked.contains(name) {
        diags.push(
            file,
            Diagnostic::error(
                "E034",
                &file.path,
                p,
                format!("computed fact `{name}` has the name of a fact a question, an option's `sets` or the tree's `inputs` already gives"),
            )
            .with_help(format!("a fact is either answered or computed: rename the computed fact (e.g. `{name}_known`) or the question's fact")),
        );
    }
}

/// The computed facts in an order where each comes after those it reads; None, with E035, when
/// some read each other in a loop.
fn order_lets<'a>(
    diags: &mut Diagnostics,
    file: &SourceFile,
    reads: &BTreeMap<&'a str, (BTreeSet<String>, BTreeSet<String>)>,
) -> Option<Vec<&'a str>> {
    let mut order: Vec<&str> = Vec::with_capacity(reads.len());
    let mut state: BTreeMap<&str, u8> = BTreeMap::new(); // 1: being visited, 2: done
    fn visit<'a>(
        name: &'a str,
        reads: &BTreeMap<&'a str, (BTreeSet<String>, BTreeSet<String>)>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
        order: &mut Vec<&'a str>,
    ) -> Result<(), Vec<&'a str>> {
        match state.get(name) {
            Some(2) => return Ok(()),
            Some(_) => {
                let from = stack.iter().position(|n| *n == name).unwrap_or(0);
                let mut cycle = stack[from..].to_vec();
                cycle.push(name);
                return Err(cycle);
            }
            None => {}
        }
        state.insert(name, 1);
        stack.push(name);
        if let Some((_, all)) = reads.get(name) {
            for fact in all {
                if let Some((&other, _)) = reads.get_key_value(fact.as_str()) {
                    visit(other, reads, state, stack, order)?;
                }
            }
        }
        stack.pop();
        state.insert(name, 2);
        order.push(name);
        Ok(())
    }
    for &name in reads.keys() {
        let mut stack = Vec::new();
        if let Err(cycle) = visit(name, reads, &mut state, &mut stack, &mut order) {
            diags.push(
                file,
                Diagnostic::error(
                    "E035",
                    &file.path,
                    pointer(cycle[0]),
                    format!("computed facts read each other in a loop: {}", cycle.join(" -> ")),
                )
                .with_help("a computed fact cannot depend on itself; write one of them from the answers directly"),
            );
            return None;
        }
    }
    Some(order)
}
