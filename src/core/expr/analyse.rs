//! Checking an expression or a text without running it: its syntax tree walked for the facts
//! it reads (guarded by `is defined` or not), what a true condition proves, the filters, tests
//! and functions it names that the language does not have (E025), and its comparisons with
//! strings (E026).

use super::*;

/// What kind of name an expression calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Filter,
    Test,
    Function,
}

impl NameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Filter => "filter",
            NameKind::Test => "test",
            NameKind::Function => "function",
        }
    }
}

/// A filter, test or function the language does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    pub kind: NameKind,
    pub name: String,
    /// The nearest name the language does have, if one is close.
    pub suggestion: Option<String>,
    /// Line within the expression or text (1 is the first).
    pub line: usize,
    /// Byte offset in the expression or text of the filter, test or call that names it.
    pub offset: usize,
}

/// A fact compared with a string: `fact == 'x'`, `fact != 'x'`, `'x' in fact`,
/// `fact in ['x', 'y']`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub fact: String,
    pub value: String,
    pub line: usize,
    /// `==` or `!=` (not `in`): wrong for a tick-all-that-apply fact, which is a list.
    pub equality: bool,
}

/// What an expression or template does, found by walking its syntax tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// Facts read without an `is defined` guard: they must be set on every path to here.
    pub reads: BTreeSet<String>,
    /// Facts read only under a guard (`x is defined and x == 'a'`,
    /// `{% if x is defined %}{{ x }}{% endif %}`) or only tested with `is defined`.
    pub guarded: BTreeSet<String>,
    pub unknown: Vec<UnknownName>,
    pub comparisons: Vec<Comparison>,
    /// For a condition: the facts it proves set when it is true (`x is defined and ...`), so a
    /// branch arm it guards may read them.
    pub proves: BTreeSet<String>,
    /// For a condition: the facts that are true whenever it is (`x and ...`): a computed fact
    /// among them proves, in turn, what its own expression proves.
    pub truthy: BTreeSet<String>,
    /// Facts used as a value (compared, counted, filtered) where nothing around checks they are
    /// not `none` (`x and ...`, `not x or ...`, `x is none or ...`): E029 for a date.
    pub unchecked: BTreeSet<String>,
}

impl Analysis {
    /// Every fact it reads, guarded or not.
    pub(crate) fn all_reads(&self) -> BTreeSet<String> {
        self.reads.union(&self.guarded).cloned().collect()
    }
}

impl Expr {
    /// Parses a condition or due-date expression and walks it: the facts it reads (guarded or
    /// not), the names it uses that the language does not have, its comparisons with strings.
    pub(crate) fn analyse_expression(&self, src: &str) -> Result<Analysis, String> {
        let tree = machinery::parse_expr(src).map_err(|e| describe(&e))?;
        let mut w = Walker::new(self);
        w.test(&tree);
        let mut proves = Vec::new();
        proven(&tree, true, &mut proves);
        w.out.proves = proves.into_iter().collect();
        let mut truthy = Vec::new();
        truthy_when(&tree, true, &mut truthy);
        w.out.truthy = truthy.into_iter().collect();
        Ok(w.out)
    }

    /// Like `analyse_expression`, for a text template.
    pub(crate) fn analyse_template(&self, src: &str) -> Result<Analysis, String> {
        let tree = machinery::parse(
            src,
            "<text>",
            Default::default(),
            machinery::WhitespaceConfig::default(),
        )
        .map_err(|e| describe(&e))?;
        let mut w = Walker::new(self);
        w.stmt(&tree);
        Ok(w.out)
    }

    /// Where in an expression (or, with `template`, a text) its parse error is: a byte range.
    pub(crate) fn error_range(&self, src: &str, template: bool) -> Option<std::ops::Range<usize>> {
        parse_error(src, template).and_then(|e| e.range())
    }

    /// The line (1 is the first) of a text's parse error, if it has one.
    pub(crate) fn template_error_line(&self, src: &str) -> Option<usize> {
        parse_error(src, true).and_then(|e| e.line())
    }
}

/// The parse error of an expression (or, with `template`, a text), if it has one.
fn parse_error(src: &str, template: bool) -> Option<minijinja::Error> {
    if template {
        machinery::parse(
            src,
            "<text>",
            Default::default(),
            machinery::WhitespaceConfig::default(),
        )
        .err()
    } else {
        machinery::parse_expr(src).err()
    }
}

/// Walks a syntax tree, tracking names bound inside the text (loop variables, `set`) and
/// facts proven set by an `is defined` guard.
struct Walker<'e> {
    expr: &'e Expr,
    /// Names bound by the text itself, innermost last.
    locals: Vec<String>,
    /// Facts known to be set here because a guard around this point said so.
    guards: Vec<String>,
    /// Facts known to hold a value here (not `none`): a guard tested them (`x and ...`,
    /// `x is not none and ...`).
    known: Vec<String>,
    /// True while walking an expression read only as true or false (a condition, an operand
    /// of `and`, `or`, `not`, an `if`), where a fact that is `none` is simply false.
    as_bool: bool,
    out: Analysis,
}

/// The fact an expression is, if it is just a fact.
fn var_name<'a>(e: &'a ast::Expr<'a>) -> Option<&'a str> {
    match e {
        ast::Expr::Var(v) => Some(v.id),
        _ => None,
    }
}

pub(super) fn str_const(e: &ast::Expr<'_>) -> Option<String> {
    match e {
        ast::Expr::Const(c) => c.value.as_str().map(str::to_string),
        _ => None,
    }
}

/// The facts a condition shows something about when it is `when` (true or false): `leaf` says
/// what one plain test shows; `not` flips `when`, and `and` when true (`or` when false) shows what
/// both sides show.
fn shown_when<'a>(
    e: &'a ast::Expr<'a>,
    when: bool,
    out: &mut Vec<String>,
    leaf: fn(&'a ast::Expr<'a>, bool) -> Option<String>,
) {
    match e {
        ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOpKind::Not) => {
            shown_when(&u.expr, !when, out, leaf)
        }
        ast::Expr::BinOp(b) => match (b.op, when) {
            (ast::BinOpKind::ScAnd, true) | (ast::BinOpKind::ScOr, false) => {
                shown_when(&b.left, when, out, leaf);
                shown_when(&b.right, when, out, leaf);
            }
            _ => {}
        },
        other => out.extend(leaf(other, when)),
    }
}

/// Facts proven set when `e` is `when`: `x is defined` proves `x` when true, `x is undefined`
/// when false.
fn proven<'a>(e: &'a ast::Expr<'a>, when: bool, out: &mut Vec<String>) {
    shown_when(e, when, out, |e, when| match e {
        ast::Expr::Test(t) if t.args.is_empty() => {
            let proves = match t.name {
                "defined" => when,
                "undefined" => !when,
                _ => false,
            };
            var_name(&t.expr).filter(|_| proves).map(str::to_string)
        }
        _ => None,
    })
}

/// Facts that hold a value (are not `none`) when `e` is `when`: `x` when true, `x is none` when
/// false.
fn known_when<'a>(e: &'a ast::Expr<'a>, when: bool, out: &mut Vec<String>) {
    shown_when(e, when, out, |e, when| match e {
        ast::Expr::Var(v) if when => Some(v.id.to_string()),
        ast::Expr::Test(t) if t.name == "none" && t.args.is_empty() && !when => {
            var_name(&t.expr).map(str::to_string)
        }
        _ => None,
    })
}

/// Facts that are true when `e` is `when`: `x` itself.
fn truthy_when<'a>(e: &'a ast::Expr<'a>, when: bool, out: &mut Vec<String>) {
    shown_when(e, when, out, |e, when| match e {
        ast::Expr::Var(v) if when => Some(v.id.to_string()),
        _ => None,
    })
}

impl<'e> Walker<'e> {
    fn new(expr: &'e Expr) -> Self {
        Walker {
            expr,
            locals: Vec::new(),
            guards: Vec::new(),
            known: Vec::new(),
            as_bool: false,
            out: Analysis::default(),
        }
    }

    fn is_local(&self, name: &str) -> bool {
        self.locals.iter().any(|l| l == name)
    }

    /// A name that is not a fact: `today`, a function, or bound by the text.
    fn not_a_fact(&self, name: &str) -> bool {
        name == TODAY || self.expr.functions.contains(name) || self.is_local(name)
    }

    fn fact_of<'a>(&self, e: &'a ast::Expr<'a>) -> Option<&'a str> {
        var_name(e).filter(|n| !self.not_a_fact(n))
    }

    fn read(&mut self, name: &str) {
        if self.not_a_fact(name) {
            return;
        }
        if self.guards.iter().any(|g| g == name) {
            self.out.guarded.insert(name.to_string());
        } else {
            self.out.reads.insert(name.to_string());
        }
    }

    fn name(&mut self, kind: NameKind, name: &str, span: machinery::Span) {
        if !self.expr.has(kind, name) {
            self.out.unknown.push(UnknownName {
                kind,
                name: name.to_string(),
                suggestion: self.expr.suggest(kind, name),
                line: span.start_line as usize,
                offset: span.start_offset as usize,
            });
        }
    }

    /// Walks `e` with the facts `cond` proves (when it is `when`) counted as set, and those it
    /// shows hold a value counted as known.
    fn guarded_by<'a>(&mut self, cond: &'a ast::Expr<'a>, when: bool, f: impl FnOnce(&mut Self)) {
        let mut proved = Vec::new();
        proven(cond, when, &mut proved);
        let mut known = Vec::new();
        known_when(cond, when, &mut known);
        let (before, known_before) = (self.guards.len(), self.known.len());
        self.guards.extend(proved);
        self.known.extend(known);
        f(self);
        self.guards.truncate(before);
        self.known.truncate(known_before);
    }

    fn bind_target(&mut self, e: &ast::Expr<'_>) {
        match e {
            ast::Expr::Var(v) => self.locals.push(v.id.to_string()),
            ast::Expr::List(l) => l.items.iter().for_each(|i| self.bind_target(i)),
            _ => {}
        }
    }

    fn compare(
        &mut self,
        left: &ast::Expr<'_>,
        op: ast::CompareOpKind,
        right: &ast::Expr<'_>,
        line: u16,
    ) {
        use ast::CompareOpKind::*;
        let mut found: Vec<(String, String)> = Vec::new();
        let equality = matches!(op, Eq | Ne);
        match op {
            Eq | Ne => {
                if let (Some(f), Some(v)) = (self.fact_of(left), str_const(right)) {
                    found.push((f.to_string(), v));
                } else if let (Some(v), Some(f)) = (str_const(left), self.fact_of(right)) {
                    found.push((f.to_string(), v));
                }
            }
            In | NotIn => {
                if let (Some(v), Some(f)) = (str_const(left), self.fact_of(right)) {
                    found.push((f.to_string(), v));
                } else if let (Some(f), ast::Expr::List(l)) = (self.fact_of(left), right) {
                    for item in &l.items {
                        if let Some(v) = str_const(item) {
                            found.push((f.to_string(), v));
                        }
                    }
                }
            }
            _ => {}
        }
        for (fact, value) in found {
            self.out.comparisons.push(Comparison {
                fact,
                value,
                line: line as usize,
                equality,
            });
        }
    }

    fn args(&mut self, args: &[ast::CallArg<'_>]) {
        for a in args {
            match a {
                ast::CallArg::Pos(e)
                | ast::CallArg::Kwarg(_, e)
                | ast::CallArg::PosSplat(e)
                | ast::CallArg::KwargSplat(e) => self.expr(e),
            }
        }
    }

    /// Walks `e` read only as true or false.
    fn test(&mut self, e: &ast::Expr<'_>) {
        self.as_bool = true;
        self.expr(e);
    }

    fn expr(&mut self, e: &ast::Expr<'_>) {
        use ast::Expr as E;
        let as_bool = std::mem::take(&mut self.as_bool);
        match e {
            E::Var(v) => {
                self.read(v.id);
                if !as_bool && !self.not_a_fact(v.id) && !self.known.iter().any(|k| k == v.id) {
                    self.out.unchecked.insert(v.id.to_string());
                }
            }
            E::Const(_) => {}
            E::Slice(s) => {
                self.expr(&s.expr);
                for part in [&s.start, &s.stop, &s.step].into_iter().flatten() {
                    self.expr(part);
                }
            }
            E::UnaryOp(u) if matches!(u.op, ast::UnaryOpKind::Not) => self.test(&u.expr),
            E::UnaryOp(u) => self.expr(&u.expr),
            E::BinOp(b) => {
                let logic = matches!(b.op, ast::BinOpKind::ScAnd | ast::BinOpKind::ScOr);
                self.as_bool = logic;
                self.expr(&b.left);
                match b.op {
                    ast::BinOpKind::ScAnd => self.guarded_by(&b.left, true, |w| w.test(&b.right)),
                    ast::BinOpKind::ScOr => self.guarded_by(&b.left, false, |w| w.test(&b.right)),
                    _ => self.expr(&b.right),
                }
                // A single comparison is parsed as a binary operator (`not in` as `not (a in b)`).
                let as_compare = match b.op {
                    ast::BinOpKind::Eq => Some(ast::CompareOpKind::Eq),
                    ast::BinOpKind::Ne => Some(ast::CompareOpKind::Ne),
                    ast::BinOpKind::In => Some(ast::CompareOpKind::In),
                    _ => None,
                };
                if let Some(op) = as_compare {
                    self.compare(&b.left, op, &b.right, b.span().start_line);
                }
            }
            E::Compare(c) => {
                self.expr(&c.expr);
                let mut left = &c.expr;
                for op in &c.ops {
                    self.expr(&op.expr);
                    self.compare(left, op.op, &op.expr, c.span().start_line);
                    left = &op.expr;
                }
            }
            E::IfExpr(i) => {
                self.test(&i.test_expr);
                self.guarded_by(&i.test_expr, true, |w| w.expr(&i.true_expr));
                if let Some(f) = &i.false_expr {
                    self.guarded_by(&i.test_expr, false, |w| w.expr(f));
                }
            }
            E::Filter(f) => {
                self.name(NameKind::Filter, f.name, f.span());
                if let Some(inner) = &f.expr {
                    self.expr(inner);
                }
                self.args(&f.args);
            }
            E::Test(t) => {
                self.name(NameKind::Test, t.name, t.span());
                match (t.name, var_name(&t.expr)) {
                    // Asking whether a fact is set is not reading it.
                    ("defined" | "undefined", Some(v)) if !self.not_a_fact(v) => {
                        self.out.guarded.insert(v.to_string());
                    }
                    // Asking whether a fact is `none` is checking it.
                    ("none", _) => self.test(&t.expr),
                    _ => self.expr(&t.expr),
                }
                self.args(&t.args);
            }
            E::GetAttr(g) => self.expr(&g.expr),
            E::GetItem(g) => {
                self.expr(&g.expr);
                self.expr(&g.subscript_expr);
            }
            E::Call(c) => {
                match &c.expr {
                    E::Var(v) if !self.is_local(v.id) => {
                        self.name(NameKind::Function, v.id, c.span())
                    }
                    other => self.expr(other),
                }
                self.args(&c.args);
            }
            E::List(l) => l.items.iter().for_each(|i| self.expr(i)),
            E::Map(m) => m.keys.iter().chain(&m.values).for_each(|i| self.expr(i)),
        }
    }

    fn body(&mut self, stmts: &[ast::Stmt<'_>]) {
        // Names set in a block stay set after it in minijinja only within the block; keeping
        // them to the end of the block is the same rule.
        let before = self.locals.len();
        for s in stmts {
            self.stmt(s);
        }
        self.locals.truncate(before);
    }

    fn stmt(&mut self, s: &ast::Stmt<'_>) {
        use ast::Stmt as S;
        match s {
            S::Template(t) => self.body(&t.children),
            S::EmitExpr(e) => self.expr(&e.expr),
            S::EmitRaw(_) => {}
            S::ForLoop(f) => {
                self.expr(&f.iter);
                let before = self.locals.len();
                self.bind_target(&f.target);
                self.locals.push("loop".into());
                if let Some(filter) = &f.filter_expr {
                    self.expr(filter);
                }
                self.body(&f.body);
                self.locals.truncate(before);
                self.body(&f.else_body);
            }
            S::IfCond(i) => {
                self.test(&i.expr);
                self.guarded_by(&i.expr, true, |w| w.body(&i.true_body));
                self.guarded_by(&i.expr, false, |w| w.body(&i.false_body));
            }
            S::WithBlock(w) => {
                for (_, value) in &w.assignments {
                    self.expr(value);
                }
                let before = self.locals.len();
                for (target, _) in &w.assignments {
                    self.bind_target(target);
                }
                self.body(&w.body);
                self.locals.truncate(before);
            }
            S::Set(set) => {
                self.expr(&set.expr);
                self.bind_target(&set.target);
            }
            S::SetBlock(set) => {
                if let Some(f) = &set.filter {
                    self.expr(f);
                }
                self.body(&set.body);
                self.bind_target(&set.target);
            }
            S::AutoEscape(a) => {
                self.expr(&a.enabled);
                self.body(&a.body);
            }
            S::FilterBlock(f) => {
                self.expr(&f.filter);
                self.body(&f.body);
            }
            S::Macro(m) => {
                self.locals.push(m.name.to_string());
                let before = self.locals.len();
                for a in &m.args {
                    self.bind_target(a);
                }
                for d in &m.defaults {
                    self.expr(d);
                }
                self.locals.push("caller".into());
                self.body(&m.body);
                self.locals.truncate(before);
            }
            S::CallBlock(c) => {
                self.expr(&c.call.expr);
                self.args(&c.call.args);
                let before = self.locals.len();
                for a in &c.macro_decl.args {
                    self.bind_target(a);
                }
                self.body(&c.macro_decl.body);
                self.locals.truncate(before);
            }
            S::Do(d) => {
                self.expr(&d.call.expr);
                self.args(&d.call.args);
            }
        }
    }
}
