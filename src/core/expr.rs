//! The one expression language for branch conditions, due dates and text templates (minijinja),
//! with the date functions the advice needs. Dates travel as "YYYY-MM-DD" strings.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use minijinja::machinery::{self, ast};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, Value};

use crate::core::calendar::{self, Calendar};
use crate::core::diagnostics::nearest;

mod uses;
pub(crate) use uses::{fact_uses, FactUses};

/// Names the language provides; never facts.
pub const FUNCTIONS: &[&str] = &[
    "working_days",
    "add_working_days",
    "add_days",
    "add_months",
    "days_between",
    "long_date",
];

/// The variable every expression can read: the date the person is answering on.
pub(crate) const TODAY: &str = "today";

/// minijinja's own filters and tests, used only to suggest a name ("did you mean"); whether a
/// name exists is always asked of the environment itself. A test checks each is really there.
pub(crate) const BUILTIN_FILTERS: &[&str] = &[
    "abs",
    "attr",
    "batch",
    "bool",
    "capitalize",
    "chain",
    "count",
    "d",
    "default",
    "dictsort",
    "e",
    "escape",
    "first",
    "float",
    "format",
    "groupby",
    "indent",
    "int",
    "items",
    "join",
    "last",
    "length",
    "lines",
    "list",
    "lower",
    "map",
    "max",
    "min",
    "pprint",
    "reject",
    "replace",
    "reverse",
    "round",
    "safe",
    "select",
    "slice",
    "sort",
    "split",
    "string",
    "sum",
    "title",
    "trim",
    "unique",
    "upper",
    "zip",
];

/// See `BUILTIN_FILTERS`.
pub(crate) const BUILTIN_TESTS: &[&str] = &[
    "boolean",
    "defined",
    "divisibleby",
    "endingwith",
    "eq",
    "equalto",
    "escaped",
    "even",
    "false",
    "filter",
    "float",
    "ge",
    "greaterthan",
    "gt",
    "in",
    "int",
    "integer",
    "iterable",
    "le",
    "lessthan",
    "lower",
    "lt",
    "mapping",
    "ne",
    "none",
    "number",
    "odd",
    "safe",
    "sameas",
    "sequence",
    "startingwith",
    "string",
    "test",
    "true",
    "undefined",
    "upper",
];

/// Facts as the expression language sees them.
pub type Facts = BTreeMap<String, Value>;

/// The expression language: one minijinja environment with the date functions. Every
/// expression and template is compiled once, the first time it is used, and kept (keyed by its
/// text), so walking a tree many times never parses the same text twice.
pub struct Expr {
    env: Environment<'static>,
    /// Functions the environment has (ours and minijinja's globals such as `range`).
    functions: BTreeSet<String>,
    /// Filters and tests known to exist, found by asking the environment.
    filters: BTreeSet<String>,
    tests: BTreeSet<String>,
    /// Each condition or due-date expression met, by source text: the name its compiled form
    /// is kept under and the facts it reads, worked out once (a walk asks at every branch).
    conditions: Mutex<HashMap<String, Arc<Condition>>>,
}

/// A condition (or due-date expression) as kept by `Expr::condition`: evaluated with
/// `Expr::eval`, which runs its compiled form, and carrying the facts it reads, found once
/// when it was first met, so nothing parses it again to learn them.
#[derive(Debug)]
pub struct Condition {
    /// The name its compiled template is kept under in the environment.
    name: String,
    /// The facts it reads, guarded or not; the parse error when it is not an expression.
    reads: Result<BTreeSet<String>, String>,
}

impl Condition {
    /// The facts it reads (none when it does not parse; evaluating it then gives the error).
    pub fn reads(&self) -> &BTreeSet<String> {
        static NONE: BTreeSet<String> = BTreeSet::new();
        self.reads.as_ref().unwrap_or(&NONE)
    }

    /// Its source text.
    pub fn source(&self) -> &str {
        &self.name[AS_CONDITION.len_utf8()..]
    }
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Expr")
    }
}

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

fn date_arg(v: &Value) -> Result<Date, Error> {
    let s = v.as_str().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("expected a date (YYYY-MM-DD), got {v}"),
        )
    })?;
    calendar::parse_iso(s).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("`{s}` is not a YYYY-MM-DD date"),
        )
    })
}

/// A date the person did not know is `none`; date functions pass it on, so a template can say
/// the rule instead (`{% if d %}...{% else %}...{% endif %}`).
fn maybe_date(v: &Value) -> Result<Option<Date>, Error> {
    if v.is_none() || v.is_undefined() {
        return Ok(None);
    }
    date_arg(v).map(Some)
}

/// A date the calendar cannot count (outside its years) is not an error for the person: it
/// becomes `none`, like a date they did not know, and the template states the rule instead.
fn or_none<T: Into<Value>>(r: Result<T, calendar::CalendarError>) -> Value {
    r.map(Into::into).unwrap_or(Value::from(()))
}

/// What a template shows for a date nobody knows. In a letter it is a blank to fill in, like the
/// letter's other [square brackets]; in a step it means the text forgot to give the rule, and the
/// path tests fail on it, so a template that forgets fails a test rather than a person.
pub const UNKNOWN_DATE_TEXT: &str = "[date]";

fn date_value(d: Date) -> Value {
    Value::from(d.to_string())
}

/// Templates are looked up by a name that is one letter saying what the text is, then the
/// text itself; the environment compiles each name once and keeps it.
const AS_TEMPLATE: char = 't';
const AS_CONDITION: char = 'c';
const AS_VALUE: char = 'v';
const AS_COMPUTED: char = 'l';
/// The name a computed fact's value is kept under while it is worked out.
const COMPUTED: &str = "__computed";

fn load(name: &str) -> Result<Option<String>, Error> {
    let mut chars = name.chars();
    let kind = chars.next();
    let src = chars.as_str();
    Ok(match kind {
        Some(AS_TEMPLATE) => Some(src.to_string()),
        Some(k @ (AS_CONDITION | AS_VALUE | AS_COMPUTED)) => {
            // Only a whole, valid expression is wrapped, so no text can close the tag early.
            machinery::parse_expr(src)?;
            Some(match k {
                AS_CONDITION => format!("{{% if {src} %}}1{{% endif %}}"),
                AS_VALUE => format!("{{{{ {src} }}}}"),
                _ => format!("{{% set {COMPUTED} = ({src}) %}}"),
            })
        }
        _ => None,
    })
}

impl Expr {
    pub fn new(calendar: Arc<Calendar>) -> Expr {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Templates produce plain text for terminals and Markdown, never HTML.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.set_keep_trailing_newline(true);
        // A value that is `none` in text is a date nobody knew: show the blank, never "None".
        env.set_formatter(|out, state, value| {
            if value.is_none() {
                out.write_str(UNKNOWN_DATE_TEXT).map_err(Error::from)
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        env.set_loader(load);

        let c = calendar.clone();
        let working_days = move |a: Value, b: Value| -> Result<Value, Error> {
            Ok(match (maybe_date(&a)?, maybe_date(&b)?) {
                // Outside the calendar's years the count is approximate (the summary says so),
                // never none: a rule comparing it must not quietly take its `otherwise`.
                (Some(a), Some(b)) => Value::from(c.working_days_approx(a, b)),
                _ => Value::from(()),
            })
        };
        env.add_function("working_days", working_days.clone());
        env.add_filter("working_days", working_days);

        let c = calendar.clone();
        let add_wd = move |d: Value, n: i64| -> Result<Value, Error> {
            Ok(match maybe_date(&d)? {
                Some(d) => or_none(c.add_working_days(d, n).map(date_value)),
                None => Value::from(()),
            })
        };
        env.add_function("add_working_days", add_wd.clone());
        env.add_filter("add_working_days", add_wd);

        let add_days = |d: Value, n: i64| -> Result<Value, Error> {
            Ok(match maybe_date(&d)? {
                Some(d) => or_none(calendar::add_days(d, n).map(date_value)),
                None => Value::from(()),
            })
        };
        env.add_function("add_days", add_days);
        env.add_filter("add_days", add_days);

        let add_months = |d: Value, n: i64| -> Result<Value, Error> {
            Ok(match maybe_date(&d)? {
                Some(d) => or_none(calendar::add_months(d, n).map(date_value)),
                None => Value::from(()),
            })
        };
        env.add_function("add_months", add_months);
        env.add_filter("add_months", add_months);

        let days_between = |a: Value, b: Value| -> Result<Value, Error> {
            Ok(match (maybe_date(&a)?, maybe_date(&b)?) {
                (Some(a), Some(b)) => Value::from(calendar::days_between(a, b)),
                _ => Value::from(()),
            })
        };
        env.add_function("days_between", days_between);
        env.add_filter("days_between", days_between);

        let long_date = |d: Value| -> Result<String, Error> {
            Ok(match maybe_date(&d)? {
                Some(d) => calendar::long_date(d),
                None => UNKNOWN_DATE_TEXT.to_string(),
            })
        };
        env.add_function("long_date", long_date);
        env.add_filter("long_date", long_date);

        Expr::with_env(env)
    }

    fn with_env(env: Environment<'static>) -> Expr {
        let functions = env.globals().map(|(name, _)| name.to_string()).collect();
        let mut e = Expr {
            env,
            functions,
            filters: BTreeSet::new(),
            tests: BTreeSet::new(),
            conditions: Mutex::new(HashMap::new()),
        };
        e.filters = BUILTIN_FILTERS
            .iter()
            .chain(FUNCTIONS)
            .filter(|n| e.probe(NameKind::Filter, n))
            .map(|n| n.to_string())
            .collect();
        e.tests = BUILTIN_TESTS
            .iter()
            .filter(|n| e.probe(NameKind::Test, n))
            .map(|n| n.to_string())
            .collect();
        e
    }

    /// Asks the environment whether it has a filter or test of this name (minijinja's own
    /// `is filter` / `is test`).
    fn probe(&self, kind: NameKind, name: &str) -> bool {
        let src = match kind {
            NameKind::Filter => "n is filter",
            NameKind::Test => "n is test",
            NameKind::Function => return self.functions.contains(name),
        };
        let Ok(expr) = self.env.compile_expression(src) else {
            return false;
        };
        let ctx: BTreeMap<&str, &str> = BTreeMap::from([("n", name)]);
        expr.eval(ctx).is_ok_and(|v| v.is_true())
    }

    fn has(&self, kind: NameKind, name: &str) -> bool {
        match kind {
            NameKind::Filter => self.filters.contains(name) || self.probe(kind, name),
            NameKind::Test => self.tests.contains(name) || self.probe(kind, name),
            NameKind::Function => self.functions.contains(name),
        }
    }

    fn suggest(&self, kind: NameKind, name: &str) -> Option<String> {
        let names = match kind {
            NameKind::Filter => &self.filters,
            NameKind::Test => &self.tests,
            NameKind::Function => &self.functions,
        };
        nearest(name, names.iter().map(String::as_str)).map(str::to_string)
    }

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
        let err = if template {
            machinery::parse(
                src,
                "<text>",
                Default::default(),
                machinery::WhitespaceConfig::default(),
            )
            .err()
        } else {
            machinery::parse_expr(src).err()
        };
        err.and_then(|e| e.range())
    }

    /// The line (1 is the first) of a text's parse error, if it has one.
    pub(crate) fn template_error_line(&self, src: &str) -> Option<usize> {
        machinery::parse(
            src,
            "<text>",
            Default::default(),
            machinery::WhitespaceConfig::default(),
        )
        .err()
        .and_then(|e| e.line())
    }

    /// The kept form of a condition, made the first time its text is met: the facts it reads
    /// are worked out then, once. Its template is compiled the first time it is evaluated.
    pub fn condition(&self, src: &str) -> Arc<Condition> {
        let mut cache = self.conditions.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.get(src) {
            return Arc::clone(c);
        }
        let mut name = String::with_capacity(src.len() + 1);
        name.push(AS_CONDITION);
        name.push_str(src);
        let c = Arc::new(Condition {
            name,
            reads: self.analyse_expression(src).map(|a| a.all_reads()),
        });
        cache.insert(src.to_string(), Arc::clone(&c));
        c
    }

    /// Evaluates a kept condition.
    #[cfg(test)]
    pub(crate) fn eval(&self, condition: &Condition, facts: &Facts) -> Result<bool, String> {
        self.eval_in(condition, &facts_value(facts))
    }

    /// Evaluates a kept condition with the facts already made a template context
    /// (`facts_value`): several conditions on the same facts then share one conversion.
    pub(crate) fn eval_in(&self, condition: &Condition, facts: &Value) -> Result<bool, String> {
        let out = self
            .env
            .get_template(&condition.name)
            .and_then(|t| t.render(facts))
            .map_err(|e| describe(&e))?;
        Ok(out == "1")
    }

    /// Parses a condition or due-date expression; returns every fact it reads.
    pub fn check_expression(&self, src: &str) -> Result<BTreeSet<String>, String> {
        self.condition(src).reads.clone()
    }

    /// Parses a text template; returns every fact it reads.
    pub fn check_template(&self, src: &str) -> Result<BTreeSet<String>, String> {
        Ok(self.analyse_template(src)?.all_reads())
    }

    /// How many distinct conditions, due dates and texts have been compiled and kept.
    #[cfg(test)]
    fn compiled_count(&self) -> usize {
        self.env.templates().count()
    }

    /// Renders the kept, compiled form of a text (compiling it the first time).
    fn run(&self, kind: char, src: &str, facts: &Facts) -> Result<String, Error> {
        let mut name = String::with_capacity(src.len() + 1);
        name.push(kind);
        name.push_str(src);
        self.env.get_template(&name)?.render(facts)
    }

    pub fn eval_condition(&self, src: &str, facts: &Facts) -> Result<bool, String> {
        let out = self
            .run(AS_CONDITION, src, facts)
            .map_err(|e| describe(&e))?;
        Ok(out == "1")
    }

    /// Works out a computed fact (`let`): its expression's value, as it is (true or false, a
    /// text, a number, a list), compiled once and kept like every condition.
    pub(crate) fn eval_value(&self, src: &str, facts: &Value) -> Result<Value, String> {
        let mut name = String::with_capacity(src.len() + 1);
        name.push(AS_COMPUTED);
        name.push_str(src);
        let template = self.env.get_template(&name).map_err(|e| describe(&e))?;
        let captured = template.render_captured(facts).map_err(|e| describe(&e))?;
        Ok(captured.state().lookup(COMPUTED).unwrap_or_default())
    }

    /// Evaluates a due-date expression to a date; `None` when it rests on a date nobody knows
    /// (or one the calendar cannot count), so the step shows the rule and no date.
    pub(crate) fn eval_date(&self, src: &str, facts: &Facts) -> Result<Option<Date>, String> {
        let v = self.run(AS_VALUE, src, facts).map_err(|e| describe(&e))?;
        if v == UNKNOWN_DATE_TEXT || v == "none" || v.is_empty() {
            return Ok(None);
        }
        calendar::parse_iso(&v)
            .map(Some)
            .ok_or_else(|| format!("`{src}` gave {v}, not a date"))
    }

    pub fn render(&self, src: &str, facts: &Facts) -> Result<String, String> {
        self.run(AS_TEMPLATE, src, facts).map_err(|e| describe(&e))
    }
}

/// The facts as one template context. Rendering converts its context to a `Value`, and a
/// `Value` converts to itself without a copy, so conditions evaluated on the same facts convert
/// them once.
pub(crate) fn facts_value(facts: &Facts) -> Value {
    Value::from_serialize(facts)
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

fn str_const(e: &ast::Expr<'_>) -> Option<String> {
    match e {
        ast::Expr::Const(c) => c.value.as_str().map(str::to_string),
        _ => None,
    }
}

/// Facts proven set when `e` is `when` (true or false): `x is defined` proves `x` when true,
/// `x is undefined` when false, `not`, `and` and `or` combine them.
fn proven<'a>(e: &'a ast::Expr<'a>, when: bool, out: &mut Vec<String>) {
    match e {
        ast::Expr::Test(t) if t.args.is_empty() => {
            let proves = match t.name {
                "defined" => when,
                "undefined" => !when,
                _ => false,
            };
            if let (true, Some(v)) = (proves, var_name(&t.expr)) {
                out.push(v.to_string());
            }
        }
        ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOpKind::Not) => {
            proven(&u.expr, !when, out)
        }
        ast::Expr::BinOp(b) => match (b.op, when) {
            (ast::BinOpKind::ScAnd, true) | (ast::BinOpKind::ScOr, false) => {
                proven(&b.left, when, out);
                proven(&b.right, when, out);
            }
            _ => {}
        },
        _ => {}
    }
}

/// Facts that hold a value (are not `none`) when `e` is `when`: `x` when true, `x is none` when
/// false, through `not`, `and` and `or` as in `proven`.
fn known_when<'a>(e: &'a ast::Expr<'a>, when: bool, out: &mut Vec<String>) {
    match e {
        ast::Expr::Var(v) if when => out.push(v.id.to_string()),
        ast::Expr::Test(t) if t.name == "none" && t.args.is_empty() && !when => {
            if let Some(v) = var_name(&t.expr) {
                out.push(v.to_string());
            }
        }
        ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOpKind::Not) => {
            known_when(&u.expr, !when, out)
        }
        ast::Expr::BinOp(b) => match (b.op, when) {
            (ast::BinOpKind::ScAnd, true) | (ast::BinOpKind::ScOr, false) => {
                known_when(&b.left, when, out);
                known_when(&b.right, when, out);
            }
            _ => {}
        },
        _ => {}
    }
}

/// Facts that are true when `e` is `when`: `x` itself, through `not`, `and` and `or` as in
/// `proven`.
fn truthy_when<'a>(e: &'a ast::Expr<'a>, when: bool, out: &mut Vec<String>) {
    match e {
        ast::Expr::Var(v) if when => out.push(v.id.to_string()),
        ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOpKind::Not) => {
            truthy_when(&u.expr, !when, out)
        }
        ast::Expr::BinOp(b) => match (b.op, when) {
            (ast::BinOpKind::ScAnd, true) | (ast::BinOpKind::ScOr, false) => {
                truthy_when(&b.left, when, out);
                truthy_when(&b.right, when, out);
            }
            _ => {}
        },
        _ => {}
    }
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

/// The error's own words plus its detail, without minijinja's template-name noise.
fn describe(e: &Error) -> String {
    // A date function's own message is already in plain words; other errors keep their kind.
    let mut msg = match (e.kind(), e.detail()) {
        (ErrorKind::InvalidOperation, Some(detail)) => detail.to_string(),
        (kind, Some(detail)) => format!("{kind}: {detail}"),
        (kind, None) => kind.to_string(),
    };
    if let Some(line) = e.line() {
        if line > 1 {
            msg.push_str(&format!(" (line {line} of the text)"));
        }
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::format::BankHolidaysFile;

    fn expr() -> Expr {
        let file: BankHolidaysFile =
            serde_json::from_str(include_str!("../../trees/bank-holidays.json")).unwrap();
        Expr::new(Arc::new(Calendar::from_file(&file).unwrap()))
    }

    fn facts(pairs: &[(&str, Value)]) -> Facts {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn conditions_read_facts_and_call_functions() {
        let e = expr();
        let f = facts(&[
            ("sent_on", Value::from("2025-02-03")),
            ("today", Value::from("2025-02-28")),
            ("wants", Value::from(vec!["complain", "advocate"])),
        ]);
        assert!(e
            .eval_condition("working_days(sent_on, today) > 10", &f)
            .unwrap());
        assert!(!e
            .eval_condition("working_days(sent_on, today) > 20", &f)
            .unwrap());
        assert!(e.eval_condition("\"complain\" in wants", &f).unwrap());
        assert!(!e.eval_condition("\"challenge\" in wants", &f).unwrap());
    }

    #[test]
    fn a_kept_condition_carries_its_reads_and_evaluates_like_its_text() {
        let e = expr();
        let src = "working_days(sent_on, today) > 10 and reply == 'none'";
        let c = e.condition(src);
        assert!(Arc::ptr_eq(&c, &e.condition(src)), "made once, then kept");
        assert_eq!(c.source(), src);
        assert_eq!(
            c.reads().iter().collect::<Vec<_>>(),
            vec!["reply", "sent_on"]
        );
        let f = facts(&[
            ("sent_on", Value::from("2025-02-03")),
            ("today", Value::from("2025-02-28")),
            ("reply", Value::from("none")),
        ]);
        assert_eq!(e.eval(&c, &f), e.eval_condition(src, &f));
        assert!(e.eval(&c, &f).unwrap());
        // Not an expression: no reads, and evaluating it gives the error.
        let bad = e.condition("a ==");
        assert!(bad.reads().is_empty());
        assert!(e.eval(&bad, &f).is_err());
        assert!(e.check_expression("a ==").is_err());
    }

    #[test]
    fn reads_lists_facts_but_not_functions_or_today() {
        let e = expr();
        let r = e
            .check_expression("working_days(sent_on, today) > 10 and reply == 'none'")
            .unwrap();
        assert_eq!(r.into_iter().collect::<Vec<_>>(), vec!["reply", "sent_on"]);
        let r = e
            .check_template("Due {{ sent_on | add_working_days(10) | long_date }}{% for g in grounds %}{{ g }}{% endfor %}")
            .unwrap();
        assert_eq!(
            r.into_iter().collect::<Vec<_>>(),
            vec!["grounds", "sent_on"]
        );
    }

    #[test]
    fn templates_render_uk_dates() {
        let e = expr();
        let f = facts(&[("sent_on", Value::from("2025-02-03"))]);
        assert_eq!(
            e.render("by {{ sent_on | add_working_days(10) | long_date }}", &f)
                .unwrap(),
            "by Monday 17 February 2025"
        );
        assert_eq!(
            e.eval_date("add_months(sent_on, 3)", &f)
                .unwrap()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            "2025-05-03"
        );
    }

    #[test]
    fn unknown_filters_tests_and_functions_are_found_with_a_suggestion() {
        let e = expr();
        let a = e
            .analyse_template(
                "Due {{ today | long_dat }}.\n{% if n is od %}{{ working_dayz(a, b) }}{% endif %}",
            )
            .unwrap();
        let got: Vec<(NameKind, &str, Option<&str>, usize)> = a
            .unknown
            .iter()
            .map(|u| (u.kind, u.name.as_str(), u.suggestion.as_deref(), u.line))
            .collect();
        assert_eq!(
            got,
            vec![
                (NameKind::Filter, "long_dat", Some("long_date"), 1),
                (NameKind::Test, "od", Some("odd"), 2),
                (NameKind::Function, "working_dayz", Some("working_days"), 2),
            ]
        );
        // A misspelt function is not a fact.
        assert!(!a.reads.contains("working_dayz"), "{:?}", a.reads);
        // Names the language has pass, ours and minijinja's.
        let ok = e
            .analyse_expression("add_months(d, 1) | long_date | upper is string and x | length > 0 and range(3) | list")
            .unwrap();
        assert!(ok.unknown.is_empty(), "{:?}", ok.unknown);
    }

    #[test]
    fn the_suggestion_lists_are_names_the_environment_has() {
        let e = expr();
        for f in BUILTIN_FILTERS.iter().chain(FUNCTIONS) {
            assert!(e.probe(NameKind::Filter, f), "no filter {f}");
        }
        for t in BUILTIN_TESTS {
            assert!(e.probe(NameKind::Test, t), "no test {t}");
        }
        assert!(!e.probe(NameKind::Filter, "long_dat"));
    }

    #[test]
    fn is_defined_guards_a_read() {
        let e = expr();
        let a = e.analyse_expression("a is defined and a == 'x'").unwrap();
        assert!(a.reads.is_empty(), "{a:?}");
        assert!(a.guarded.contains("a"));
        let a = e
            .analyse_expression("a is not defined or a == 'x'")
            .unwrap();
        assert!(a.reads.is_empty(), "{a:?}");
        let a = e
            .analyse_template("{% if a is defined %}{{ a }}{% else %}{{ b }}{% endif %}{% if not (c is defined) %}{% else %}{{ c }}{% endif %}")
            .unwrap();
        assert_eq!(a.reads, BTreeSet::from(["b".to_string()]), "{a:?}");
        assert_eq!(
            a.guarded,
            BTreeSet::from(["a".to_string(), "c".to_string()])
        );
        // Unguarded, or guarded by the wrong thing, is still a read.
        for src in [
            "a == 'x'",
            "a is defined or a == 'x'",
            "b is defined and a == 'x'",
            "(a == 'x') and a is defined",
        ] {
            let a = e.analyse_expression(src).unwrap();
            assert!(a.reads.contains("a"), "{src}: {a:?}");
        }
        // A guard ends with its `if`.
        let a = e
            .analyse_template("{% if a is defined %}{{ a }}{% endif %}{{ a }}")
            .unwrap();
        assert!(a.reads.contains("a"));
    }

    #[test]
    fn an_unset_fact_is_not_defined_at_run_time_and_an_unguarded_read_fails() {
        let e = expr();
        let none = Facts::new();
        assert!(!e
            .eval_condition("a is defined and a == 'x'", &none)
            .unwrap());
        assert!(e.eval_condition("a is not defined", &none).unwrap());
        assert_eq!(
            e.render(
                "{% if a is defined %}{{ a }}{% else %}unknown{% endif %}",
                &none
            )
            .unwrap(),
            "unknown"
        );
        let set = facts(&[("a", Value::from("x"))]);
        assert!(e.eval_condition("a is defined and a == 'x'", &set).unwrap());
        assert!(e.render("{{ a }}", &none).is_err());
        assert!(e.eval_condition("a", &none).is_err());
    }

    #[test]
    fn comparisons_with_strings_are_listed() {
        let e = expr();
        let a = e
            .analyse_expression("q == 'Yes' or 'no' != q or 'x' in m or m not in ['y', 'z'] or today == '2025-01-01'")
            .unwrap();
        let got: Vec<(&str, &str)> = a
            .comparisons
            .iter()
            .map(|c| (c.fact.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("q", "Yes"),
                ("q", "no"),
                ("m", "x"),
                ("m", "y"),
                ("m", "z")
            ]
        );
    }

    #[test]
    fn loop_and_set_names_are_not_facts() {
        let e = expr();
        let a = e
            .analyse_template(
                "{% for g in grounds %}{{ loop.index }} {{ g }}{% endfor %}{% set n = 2 %}{{ n }}",
            )
            .unwrap();
        assert_eq!(a.reads, BTreeSet::from(["grounds".to_string()]));
    }

    #[test]
    fn a_condition_cannot_close_its_wrapper() {
        let e = expr();
        assert!(e
            .eval_condition("true %}1{% endif %}{% if false", &Facts::new())
            .is_err());
    }

    #[test]
    fn each_text_is_compiled_once_however_often_it_is_used() {
        let e = expr();
        let f = facts(&[
            ("sent_on", Value::from("2025-02-03")),
            ("q", Value::from("a")),
        ]);
        for _ in 0..50 {
            e.render("by {{ sent_on | add_working_days(10) | long_date }}", &f)
                .unwrap();
            assert!(e.eval_condition("q == 'a'", &f).unwrap());
            e.eval_date("add_days(sent_on, 1)", &f).unwrap();
        }
        assert_eq!(e.compiled_count(), 3);
    }

    #[test]
    fn errors_are_messages_not_panics() {
        let e = expr();
        assert!(e.check_expression("a ==").is_err());
        assert!(e.check_template("{{ a ").is_err());
        // A fact that is not there is an error, not an empty string.
        assert!(e.render("{{ missing }}", &Facts::new()).is_err());
        let f = facts(&[("d", Value::from("2035-01-01"))]);
        assert!(e.eval_date("'soon'", &f).is_err());
    }

    #[test]
    fn unknown_and_uncountable_dates_become_none_so_text_can_give_the_rule() {
        let e = expr();
        // A date outside the calendar's years (1978 to 2200) cannot be counted: none, never
        // an error.
        let f = facts(&[("d", Value::from("2235-01-01"))]);
        assert_eq!(
            e.render("{{ d | add_working_days(1) }}", &f).unwrap(),
            UNKNOWN_DATE_TEXT
        );
        assert_eq!(e.eval_date("add_working_days(d, 1)", &f).unwrap(), None);
        // A date the person did not know.
        let f = facts(&[("d", Value::from(()))]);
        let t = "{% if d %}by {{ d | add_months(3) | long_date }}{% else %}within 3 months of the conference{% endif %}";
        assert_eq!(
            e.render(t, &f).unwrap(),
            "within 3 months of the conference"
        );
        assert_eq!(e.eval_date("add_months(d, 3)", &f).unwrap(), None);
        assert_eq!(
            e.render("{{ d | long_date }}", &f).unwrap(),
            UNKNOWN_DATE_TEXT
        );
        assert!(!e
            .eval_condition("d and working_days(d, today) > 10", &{
                let mut f = f.clone();
                f.insert(TODAY.into(), Value::from("2025-02-03"));
                f
            })
            .unwrap());
        // Calendar-counted dates still work alongside.
        let f = facts(&[("d", Value::from("2025-02-03"))]);
        assert_eq!(
            e.render("{{ d | add_working_days(10) | long_date }}", &f)
                .unwrap(),
            "Monday 17 February 2025"
        );
    }

    #[test]
    fn a_computed_value_keeps_its_type() {
        let e = expr();
        let f = facts_value(&facts(&[
            ("r", Value::from("birth_mother")),
            ("d", Value::from("2025-02-03")),
            ("today", Value::from("2025-02-28")),
        ]));
        let v = e
            .eval_value("r in ['birth_mother', 'father_pr']", &f)
            .unwrap();
        assert_eq!(v, Value::from(true));
        let v = e
            .eval_value("'your child' if r == 'birth_mother' else 'the child'", &f)
            .unwrap();
        assert_eq!(v.as_str(), Some("your child"));
        let v = e.eval_value("working_days(d, today)", &f).unwrap();
        assert_eq!(v, Value::from(19));
        assert!(e.eval_value("missing == 1", &f).is_err());
        assert!(e.eval_value("1 %}{% if", &f).is_err());
    }
}
