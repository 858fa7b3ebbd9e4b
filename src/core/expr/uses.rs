//! How a condition reads each fact: as a whole, or only through `'option' in fact` tests. The
//! path listing (`paths::states`) keys a session on what later conditions can see of each fact,
//! so a tick-all-that-apply answer is seen only through the options the rules that matter test.

use std::collections::{BTreeMap, BTreeSet};

use minijinja::machinery::{self, ast};

use super::{str_const, TODAY};

/// The facts a condition reads, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FactUses {
    /// Facts read as a whole: compared, passed to a function, anything but the two forms below.
    pub whole: BTreeSet<String>,
    /// Facts read only as `'option' in fact` (with the options tested) or `fact is defined`
    /// (no options); never also in `whole`.
    pub members: BTreeMap<String, BTreeSet<String>>,
    /// Built only of `and`, `or`, `not`, `==` and `!=` between facts and constants, `'option' in
    /// fact`, `fact in [constants]` and `is defined`: on facts that are set it cannot fail,
    /// unless a fact tested with `'option' in fact` is not a list.
    pub plain: bool,
}

/// Parses a condition and says how it reads each fact.
pub(crate) fn fact_uses(src: &str) -> Result<FactUses, String> {
    let tree = machinery::parse_expr(src).map_err(|e| super::describe(&e))?;
    let mut out = FactUses {
        plain: true,
        ..FactUses::default()
    };
    walk(&tree, &mut out);
    let whole = &out.whole;
    out.members.retain(|f, _| !whole.contains(f));
    Ok(out)
}

fn is_const(e: &ast::Expr<'_>) -> bool {
    matches!(e, ast::Expr::Const(_))
}

fn fact<'a>(e: &'a ast::Expr<'a>) -> Option<&'a str> {
    match e {
        ast::Expr::Var(v) if v.id != TODAY => Some(v.id),
        _ => None,
    }
}

fn simple(e: &ast::Expr<'_>) -> bool {
    matches!(e, ast::Expr::Var(_) | ast::Expr::Const(_))
}

fn walk(e: &ast::Expr<'_>, out: &mut FactUses) {
    use ast::BinOpKind as B;
    use ast::Expr as E;
    match e {
        E::Var(v) => {
            if v.id != TODAY {
                out.whole.insert(v.id.to_string());
            }
        }
        E::Const(_) => {}
        E::BinOp(b) => {
            match b.op {
                B::In => {
                    if let (Some(option), Some(f)) = (str_const(&b.left), fact(&b.right)) {
                        out.members.entry(f.to_string()).or_default().insert(option);
                        return;
                    }
                    let list_of_constants = match &b.right {
                        E::List(l) => l.items.iter().all(is_const),
                        _ => false,
                    };
                    if list_of_constants && simple(&b.left) {
                        walk(&b.left, out);
                        return;
                    }
                    out.plain = false;
                }
                B::Eq | B::Ne => out.plain &= simple(&b.left) && simple(&b.right),
                B::ScAnd | B::ScOr => {}
                _ => out.plain = false,
            }
            walk(&b.left, out);
            walk(&b.right, out);
        }
        E::UnaryOp(u) => {
            out.plain &= matches!(u.op, ast::UnaryOpKind::Not);
            walk(&u.expr, out);
        }
        E::Test(t) => {
            if let ("defined" | "undefined", Some(f), true) =
                (t.name, fact(&t.expr), t.args.is_empty())
            {
                out.members.entry(f.to_string()).or_default();
                return;
            }
            out.plain = false;
            walk(&t.expr, out);
            args(&t.args, out);
        }
        E::Slice(s) => {
            out.plain = false;
            walk(&s.expr, out);
            for part in [&s.start, &s.stop, &s.step].into_iter().flatten() {
                walk(part, out);
            }
        }
        E::IfExpr(i) => {
            out.plain = false;
            walk(&i.test_expr, out);
            walk(&i.true_expr, out);
            if let Some(f) = &i.false_expr {
                walk(f, out);
            }
        }
        E::Filter(f) => {
            out.plain = false;
            if let Some(inner) = &f.expr {
                walk(inner, out);
            }
            args(&f.args, out);
        }
        E::GetAttr(g) => {
            out.plain = false;
            walk(&g.expr, out);
        }
        E::GetItem(g) => {
            out.plain = false;
            walk(&g.expr, out);
            walk(&g.subscript_expr, out);
        }
        E::Call(c) => {
            out.plain = false;
            // A function's name is not a fact.
            if !matches!(c.expr, E::Var(_)) {
                walk(&c.expr, out);
            }
            args(&c.args, out);
        }
        E::Compare(c) => {
            out.plain = false;
            walk(&c.expr, out);
            for op in &c.ops {
                walk(&op.expr, out);
            }
        }
        E::List(l) => {
            out.plain = false;
            l.items.iter().for_each(|i| walk(i, out));
        }
        E::Map(m) => {
            out.plain = false;
            m.keys.iter().chain(&m.values).for_each(|i| walk(i, out));
        }
    }
}

fn args(args: &[ast::CallArg<'_>], out: &mut FactUses) {
    for a in args {
        match a {
            ast::CallArg::Pos(e)
            | ast::CallArg::Kwarg(_, e)
            | ast::CallArg::PosSplat(e)
            | ast::CallArg::KwargSplat(e) => walk(e, out),
        }
    }
}

/// One part of a condition, as the path listing keys a walk on it: a piece that reads one fact
/// alone (`relationship in ['x', 'y']`, `'a' in legal and 'b' not in legal`), whose value is all
/// the condition can see of that fact there, or a fact read together with others (`a < b`),
/// seen whole.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Atom {
    /// `src` reads only `fact` (and `today`); the condition is `and`, `or` and `not` of such
    /// pieces and whole facts.
    Test {
        fact: String,
        src: String,
    },
    Whole(String),
}

/// Splits a condition at `and`, `or` and `not` into the largest pieces that each read one fact:
/// a condition's truth is a function of its pieces' truths, and each piece's truth a function of
/// its fact, so two walks whose pieces agree take the same way at it. A piece whose text cannot
/// be cut out and read back alone is its fact seen whole, which is never wrong, only finer.
pub fn atoms(src: &str) -> Result<Vec<Atom>, String> {
    let tree = machinery::parse_expr(src).map_err(|e| super::describe(&e))?;
    let mut out = Vec::new();
    split(&tree, src, &mut out);
    out.sort();
    out.dedup();
    Ok(out)
}

fn reads(e: &ast::Expr<'_>) -> BTreeSet<String> {
    let mut u = FactUses::default();
    walk(e, &mut u);
    u.whole.into_iter().chain(u.members.into_keys()).collect()
}

fn split(e: &ast::Expr<'_>, src: &str, out: &mut Vec<Atom>) {
    let facts = reads(e);
    if facts.len() == 1 {
        let fact = facts.into_iter().next().unwrap_or_default();
        let span = e.span();
        // minijinja starts the span of an operator's right side at the operator itself.
        let piece = src
            .get(span.start_offset as usize..span.end_offset as usize)
            .map(|p| {
                let p = p.trim_start();
                ["and ", "or "]
                    .iter()
                    .find_map(|op| p.strip_prefix(op))
                    .unwrap_or(p)
                    .trim()
            });
        // The piece must read back as itself: the same one fact.
        let ok = piece.filter(|p| {
            machinery::parse_expr(p).is_ok_and(|t| reads(&t) == BTreeSet::from([fact.clone()]))
        });
        out.push(match ok {
            Some(p) => Atom::Test {
                fact,
                src: p.to_string(),
            },
            None => Atom::Whole(fact),
        });
        return;
    }
    match e {
        ast::Expr::BinOp(b) if matches!(b.op, ast::BinOpKind::ScAnd | ast::BinOpKind::ScOr) => {
            split(&b.left, src, out);
            split(&b.right, src, out);
        }
        ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOpKind::Not) => split(&u.expr, src, out),
        _ => out.extend(facts.into_iter().map(Atom::Whole)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_tested_with_in_are_seen_alone() {
        let u = fact_uses("'q_a' in questions and relationship in ['x', 'y'] and 'q_b' not in questions and lives_with is defined").unwrap();
        assert!(u.plain);
        assert_eq!(u.whole, BTreeSet::from(["relationship".to_string()]));
        assert_eq!(
            u.members["questions"],
            BTreeSet::from(["q_a".to_string(), "q_b".to_string()])
        );
        assert!(u.members["lives_with"].is_empty());
    }

    #[test]
    fn a_condition_splits_into_pieces_that_each_read_one_fact() {
        let a = atoms("('a' in legal or 'b' in legal) and relationship in ['x', 'y'] and not (lives_with is defined and lives_with == 'me') and n < m").unwrap();
        let test = |fact: &str, src: &str| Atom::Test {
            fact: fact.into(),
            src: src.into(),
        };
        assert_eq!(
            a,
            vec![
                test("legal", "'a' in legal or 'b' in legal"),
                test(
                    "lives_with",
                    "not (lives_with is defined and lives_with == 'me')"
                ),
                test("relationship", "relationship in ['x', 'y']"),
                Atom::Whole("m".into()),
                Atom::Whole("n".into()),
            ]
        );
        assert_eq!(
            atoms("working_days(sent, today) > 10").unwrap(),
            vec![test("sent", "working_days(sent, today) > 10")]
        );
        assert_eq!(
            atoms("'harmed' not in position").unwrap(),
            vec![test("position", "'harmed' not in position")]
        );
    }

    #[test]
    fn any_other_read_is_whole_and_may_fail() {
        let u = fact_uses("'q_a' in questions and questions | length > 2").unwrap();
        assert!(!u.plain);
        assert!(u.whole.contains("questions") && !u.members.contains_key("questions"));
        let u = fact_uses("working_days(sent, today) > 10").unwrap();
        assert!(!u.plain);
        assert_eq!(u.whole, BTreeSet::from(["sent".to_string()]));
    }
}
