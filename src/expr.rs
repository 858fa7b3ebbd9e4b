//! The one expression language for branch conditions, due dates and text templates (minijinja),
//! with the date functions the advice needs. Dates travel as "YYYY-MM-DD" strings.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::civil::Date;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, Value};

use crate::calendar::{self, Calendar};

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
pub const TODAY: &str = "today";

/// Facts as the expression language sees them.
pub type Facts = BTreeMap<String, Value>;

pub struct Expr {
    env: Environment<'static>,
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Expr")
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

fn cal_err(e: calendar::CalendarError) -> Error {
    Error::new(ErrorKind::InvalidOperation, e.to_string())
}

fn date_value(d: Date) -> Value {
    Value::from(d.to_string())
}

impl Expr {
    pub fn new(calendar: Arc<Calendar>) -> Expr {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Templates produce plain text for terminals and Markdown, never HTML.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.set_keep_trailing_newline(true);

        let c = calendar.clone();
        let working_days = move |a: Value, b: Value| -> Result<i64, Error> {
            c.working_days(date_arg(&a)?, date_arg(&b)?)
                .map_err(cal_err)
        };
        env.add_function("working_days", working_days.clone());
        env.add_filter("working_days", working_days);

        let c = calendar.clone();
        let add_wd = move |d: Value, n: i64| -> Result<Value, Error> {
            c.add_working_days(date_arg(&d)?, n)
                .map(date_value)
                .map_err(cal_err)
        };
        env.add_function("add_working_days", add_wd.clone());
        env.add_filter("add_working_days", add_wd);

        let add_days = |d: Value, n: i64| -> Result<Value, Error> {
            calendar::add_days(date_arg(&d)?, n)
                .map(date_value)
                .map_err(cal_err)
        };
        env.add_function("add_days", add_days);
        env.add_filter("add_days", add_days);

        let add_months = |d: Value, n: i64| -> Result<Value, Error> {
            calendar::add_months(date_arg(&d)?, n)
                .map(date_value)
                .map_err(cal_err)
        };
        env.add_function("add_months", add_months);
        env.add_filter("add_months", add_months);

        let days_between = |a: Value, b: Value| -> Result<i64, Error> {
            Ok(calendar::days_between(date_arg(&a)?, date_arg(&b)?))
        };
        env.add_function("days_between", days_between);
        env.add_filter("days_between", days_between);

        let long_date =
            |d: Value| -> Result<String, Error> { Ok(calendar::long_date(date_arg(&d)?)) };
        env.add_function("long_date", long_date);
        env.add_filter("long_date", long_date);

        Expr { env }
    }

    /// Parses a condition or due-date expression; returns the facts it reads.
    pub fn check_expression(&self, src: &str) -> Result<BTreeSet<String>, String> {
        let expr = self.env.compile_expression(src).map_err(|e| describe(&e))?;
        Ok(reads(expr.undeclared_variables(false)))
    }

    /// Parses a text template; returns the facts it reads.
    pub fn check_template(&self, src: &str) -> Result<BTreeSet<String>, String> {
        let tmpl = self.env.template_from_str(src).map_err(|e| describe(&e))?;
        Ok(reads(tmpl.undeclared_variables(false)))
    }

    pub fn eval_condition(&self, src: &str, facts: &Facts) -> Result<bool, String> {
        let expr = self.env.compile_expression(src).map_err(|e| describe(&e))?;
        let v = expr.eval(facts).map_err(|e| describe(&e))?;
        Ok(v.is_true())
    }

    /// Evaluates a due-date expression to a date.
    pub fn eval_date(&self, src: &str, facts: &Facts) -> Result<Date, String> {
        let expr = self.env.compile_expression(src).map_err(|e| describe(&e))?;
        let v = expr.eval(facts).map_err(|e| describe(&e))?;
        v.as_str()
            .and_then(calendar::parse_iso)
            .ok_or_else(|| format!("`{src}` gave {v}, not a date"))
    }

    pub fn render(&self, src: &str, facts: &Facts) -> Result<String, String> {
        self.env.render_str(src, facts).map_err(|e| describe(&e))
    }
}

fn reads(vars: std::collections::HashSet<String>) -> BTreeSet<String> {
    vars.into_iter()
        .filter(|v| !FUNCTIONS.contains(&v.as_str()) && v != TODAY)
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
    use crate::format::BankHolidaysFile;

    fn expr() -> Expr {
        let file: BankHolidaysFile =
            serde_json::from_str(include_str!("../trees/bank-holidays.json")).unwrap();
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
                .to_string(),
            "2025-05-03"
        );
    }

    #[test]
    fn errors_are_messages_not_panics() {
        let e = expr();
        assert!(e.check_expression("a ==").is_err());
        assert!(e.check_template("{{ a ").is_err());
        // A fact that is not there is an error, not an empty string.
        assert!(e.render("{{ missing }}", &Facts::new()).is_err());
        let f = facts(&[("d", Value::from("2035-01-01"))]);
        let err = e.render("{{ d | add_working_days(1) }}", &f).unwrap_err();
        assert!(err.contains("covers 2022 to 2028"), "{err}");
        assert!(e.eval_date("'soon'", &f).is_err());
    }
}
