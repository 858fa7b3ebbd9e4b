//! Forms: a submitted form read into the core's `Reply` (option numbers, typed text), and a
//! `Page` turned into what the question template shows. What an answer means is the session's
//! business; this only checks the form's shape (a radio value must be one of the page's option
//! numbers, fields have a length limit).

use serde::Serialize;

use crate::core::page::{Input, Page, Reply};
use crate::core::session::clean_text;

/// Most fields a form may have, and most bytes in one field.
const MAX_FIELDS: usize = 64;
const MAX_FIELD_BYTES: usize = 8 * 1024;

/// A submitted form: name and value pairs in order (checkboxes repeat a name).
pub struct Form(Vec<(String, String)>);

/// Why a form could not be read at all.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreadable {
    TooBig,
    Garbled,
}

impl Form {
    pub fn parse(body: &[u8]) -> Result<Form, Unreadable> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(body).map_err(|_| Unreadable::Garbled)?;
        if pairs.len() > MAX_FIELDS || pairs.iter().any(|(_, v)| v.len() > MAX_FIELD_BYTES) {
            return Err(Unreadable::TooBig);
        }
        Ok(Form(pairs))
    }

    /// The first value of a field.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn text(&self, name: &str) -> String {
        clean_text(self.one(name).unwrap_or_default())
    }
}

/// A form that no person could have sent from the page (an option that is not there).
#[derive(Debug)]
pub struct Forged;

/// The reply a form gives to a page: `Ok(Err(message))` when the person needs to fix something
/// before the session can even be asked (nothing chosen, a date half filled in).
pub fn reply(page: &Page, form: &Form) -> Result<Result<Reply, String>, Forged> {
    let count = page.options.len();
    let number = |v: &str| -> Result<usize, Forged> {
        match v.trim().parse::<usize>() {
            Ok(n) if n >= 1 && n <= count => Ok(n),
            _ => Err(Forged),
        }
    };
    Ok(match page.input {
        Input::Continue => Ok(Reply::Continue),
        Input::One => match form.all("answer").as_slice() {
            [] => Err("Choose an answer.".to_string()),
            [one] => Ok(Reply::Pick(number(one)?)),
            _ => return Err(Forged),
        },
        Input::Several => {
            let picked: Result<Vec<usize>, Forged> =
                form.all("answer").into_iter().map(number).collect();
            Ok(Reply::Tick(picked?))
        }
        Input::Date => date(form),
        Input::Number { .. } => match form.text("answer") {
            t if t.is_empty() => Err("Enter a whole number, for example 3.".to_string()),
            t => Ok(Reply::Typed(t)),
        },
        Input::Text { .. } => Ok(Reply::Typed(form.text("answer"))),
    })
}

/// A date from day, month and year boxes, or "I don't know".
fn date(form: &Form) -> Result<Reply, String> {
    let parts = [form.text("day"), form.text("month"), form.text("year")];
    let unknown = form.one("unknown").is_some();
    let empty = parts.iter().all(String::is_empty);
    match (unknown, empty) {
        (true, true) => Ok(Reply::Typed("I don't know".to_string())),
        (true, false) => {
            Err("Enter a date, or tick \"I don't know the date\", not both.".to_string())
        }
        (false, true) => Err("Enter the date, or tick \"I don't know the date\".".to_string()),
        (false, false) if parts.iter().any(String::is_empty) => {
            Err("Enter a day, a month and a year.".to_string())
        }
        (false, false) => Ok(Reply::Typed(parts.join("/"))),
    }
}

/// What the question template shows of a page.
#[derive(Serialize)]
pub struct PageView {
    key: String,
    kind: &'static str,
    caption: String,
    heading: String,
    help: Option<String>,
    body: Option<String>,
    options: Vec<OptionView>,
    /// What is in the box (number, text).
    value: String,
    day: String,
    month: String,
    year: String,
    unknown: bool,
    max: usize,
    optional: bool,
    /// A number's bounds in words, as every front end shows them.
    range: Option<String>,
    /// "Select all that apply", unless the question already says so.
    select_all: bool,
    terms: Vec<TermView>,
}

#[derive(Serialize)]
struct OptionView {
    /// "Closest to what you wrote" before the first of the closest questions, and a heading
    /// before the rest.
    heading: Option<&'static str>,
    id: String,
    number: usize,
    label: String,
    exclusive: bool,
    checked: bool,
}

#[derive(Serialize)]
struct TermView {
    term: String,
    definition: String,
}

/// The id of the field an error links to.
pub fn error_field(page: &Page) -> &'static str {
    match page.input {
        Input::One | Input::Several => "answer-1",
        Input::Date => "answer-day",
        _ => "answer",
    }
}

/// A page as the template shows it, filled in from what the person just sent (after an error)
/// or from their earlier answer.
pub fn view(page: &Page, sent: Option<&Form>) -> PageView {
    let earlier = page.earlier.as_ref();
    let picked: Vec<usize> = match sent {
        Some(f) => f
            .all("answer")
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect(),
        None => earlier.map(|e| e.picked.clone()).unwrap_or_default(),
    };
    let typed = match sent {
        Some(f) => f.text("answer"),
        None => earlier.map(|e| e.typed.clone()).unwrap_or_default(),
    };
    let (day, month, year, unknown) = match sent {
        Some(f) => (
            f.text("day"),
            f.text("month"),
            f.text("year"),
            f.one("unknown").is_some(),
        ),
        None => date_parts(&typed),
    };
    let (kind, max, optional) = match page.input {
        Input::One => ("one", 0, false),
        Input::Several => ("several", 0, false),
        Input::Date => ("date", 0, false),
        Input::Number { .. } => ("number", 12, false),
        Input::Text { max, optional } => ("text", max, optional),
        Input::Continue => ("continue", 0, false),
    };
    PageView {
        key: page.key.to_string(),
        kind,
        caption: format!(
            "{}, question {}",
            page.progress.section, page.progress.number
        ),
        heading: page.heading.to_string(),
        help: page.help.map(str::to_string),
        body: page.body.clone(),
        options: page
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| OptionView {
                heading: page.heading_before(i),
                id: format!("answer-{}", o.number),
                number: o.number,
                label: o.label.to_string(),
                exclusive: o.exclusive,
                checked: picked.contains(&o.number),
            })
            .collect(),
        value: typed,
        day,
        month,
        year,
        unknown,
        max,
        optional,
        range: page.number_range(),
        select_all: kind == "several"
            && ![Some(page.heading), page.help]
                .iter()
                .flatten()
                .any(|t| t.to_lowercase().contains("all that apply")),
        terms: page
            .terms
            .iter()
            .map(|t| TermView {
                term: t.term.clone(),
                definition: t.definition.clone(),
            })
            .collect(),
    }
}

/// An earlier date answer ("3/2/2025" or "I don't know") split back into the boxes.
fn date_parts(typed: &str) -> (String, String, String, bool) {
    if typed == "I don't know" {
        return (String::new(), String::new(), String::new(), true);
    }
    let mut parts = typed.split('/').map(str::to_string);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(d), Some(m), Some(y)) => (d, m, y, false),
        _ => (String::new(), String::new(), String::new(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_repeated_fields_and_refuses_huge_ones() {
        let f = Form::parse(b"answer=1&answer=3&csrf=x").unwrap();
        assert_eq!(f.all("answer"), ["1", "3"]);
        assert_eq!(f.one("csrf"), Some("x"));
        let big = format!("answer={}", "a".repeat(MAX_FIELD_BYTES + 1));
        assert_eq!(Form::parse(big.as_bytes()).err(), Some(Unreadable::TooBig));
    }

    #[test]
    fn splits_an_earlier_date() {
        assert_eq!(
            date_parts("3/2/2025"),
            ("3".into(), "2".into(), "2025".into(), false)
        );
        assert!(date_parts("I don't know").3);
    }
}
