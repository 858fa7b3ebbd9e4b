//! The date functions the advice needs (`working_days`, `add_working_days`, `add_days`,
//! `add_months`, `days_between`, `long_date`), each a function and a filter. A date nobody knows
//! is `none` and passes through, so a text can give the rule instead.

use super::*;

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

/// Adds the date functions, counting working days over `calendar`.
pub(super) fn add_date_functions(env: &mut Environment<'static>, calendar: Arc<Calendar>) {
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
}
