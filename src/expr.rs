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
    "your_child",
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

        let c = calendar.clone();
        let working_days = move |a: Value, b: Value| -> Result<Value, Error> {
            Ok(match (maybe_date(&a)?, maybe_date(&b)?) {
                (Some(a), Some(b)) => or_none(c.working_days(a, b)),
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

        // "your child" for a parent, "the child" for anyone else; plural for several children.
        let your_child = |relationship: Value, children: Value| -> String {
            let parent = relationship
                .as_str()
                .is_some_and(|r| r.starts_with("parent"));
            let several = children.as_str() == Some("several");
            match (parent, several) {
                (true, false) => "your child",
                (true, true) => "your children",
                (false, false) => "the child",
                (false, true) => "the children",
            }
            .to_string()
        };
        env.add_function("your_child", your_child);

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

    /// Evaluates a due-date expression to a date; `None` when it rests on a date nobody knows
    /// (or one the calendar cannot count), so the step shows the rule and no date.
    pub fn eval_date(&self, src: &str, facts: &Facts) -> Result<Option<Date>, String> {
        let expr = self.env.compile_expression(src).map_err(|e| describe(&e))?;
        let v = expr.eval(facts).map_err(|e| describe(&e))?;
        if v.is_none() || v.is_undefined() {
            return Ok(None);
        }
        v.as_str()
            .and_then(calendar::parse_iso)
            .map(Some)
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
                .map(|d| d.to_string())
                .unwrap_or_default(),
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
        assert!(e.eval_date("'soon'", &f).is_err());
    }

    #[test]
    fn unknown_and_uncountable_dates_become_none_so_text_can_give_the_rule() {
        let e = expr();
        // A date outside the calendar's years cannot be counted: none, never an error.
        let f = facts(&[("d", Value::from("2035-01-01"))]);
        assert_eq!(
            e.render("{{ d | add_working_days(1) }}", &f).unwrap(),
            "None"
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
    fn your_child_fits_the_person() {
        let e = expr();
        let cases = [
            ("parent_pr", "one", "your child"),
            ("parent_no_pr", "several", "your children"),
            ("relative", "one", "the child"),
            ("kinship_carer", "several", "the children"),
        ];
        for (rel, n, want) in cases {
            let f = facts(&[
                ("relationship", Value::from(rel)),
                ("children", Value::from(n)),
            ]);
            assert_eq!(
                e.render("{{ your_child(relationship, children) }}", &f)
                    .unwrap(),
                want
            );
        }
    }
}
