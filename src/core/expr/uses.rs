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
    fn any_other_read_is_whole_and_may_fail() {
        let u = fact_uses("'q_a' in questions and questions | length > 2").unwrap();
        assert!(!u.plain);
        assert!(u.whole.contains("questions") && !u.members.contains_key("questions"));
        let u = fact_uses("working_days(sent, today) > 10").unwrap();
        assert!(!u.plain);
        assert_eq!(u.whole, BTreeSet::from(["sent".to_string()]));
    }
}
