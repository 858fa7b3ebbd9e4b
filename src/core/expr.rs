//! The one expression language for branch conditions, due dates and text templates (minijinja),
//! with the date functions the advice needs. Dates travel as "YYYY-MM-DD" strings.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use minijinja::machinery::{self, ast};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, Value};

use crate::core::calendar::{self, Calendar};
use crate::core::diagnostics::nearest;

mod analyse;
mod functions;
mod uses;
use analyse::str_const;
pub use analyse::{Analysis, Comparison, NameKind, UnknownName};
pub use functions::UNKNOWN_DATE_TEXT;
pub use uses::{atoms, Atom};
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

        functions::add_date_functions(&mut env, calendar);

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
        self.env.get_template(&name)?.render(facts_value(facts))
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
    // Built as a map of the values as they are: cheaper than serialising each one again.
    facts
        .iter()
        .map(|(k, v)| (Value::from(k.as_str()), v.clone()))
        .collect()
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
