//! Typed answers: what a person types read once, where it comes in (`parse_answer`), checked
//! against the question (`fit_answer`), stored as an `Answer` and written back in canonical form.

use super::*;

/// A typed answer, as stored. Its `Display` is the canonical form (what progress files and
/// `walk --answer` hold), which `parse_answer` reads back to the same answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// An option's value.
    Choice(String),
    /// The values of the options ticked, in the options' order.
    Multi(Vec<String>),
    Date(Date),
    /// "I don't know" to a date question: the fact is `none`, and advice gives the rule.
    UnknownDate,
    Number(i64),
    Text(String),
    /// "Continue" on an info page.
    Seen,
}

/// How an unknown date is stored (in progress files and `walk --answer`).
pub(crate) const UNKNOWN_DATE: &str = "unknown";

/// What a person may type for "I don't know" at a date question.
pub(crate) fn means_unknown(input: &str) -> bool {
    let s: String = input
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    matches!(
        s.trim(),
        "unknown"
            | "i dont know"
            | "dont know"
            | "i do not know"
            | "do not know"
            | "not sure"
            | "no idea"
            | "idk"
    )
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Choice(v) | Answer::Text(v) => f.write_str(v),
            Answer::Multi(vs) => f.write_str(&vs.join(",")),
            Answer::Date(d) => write!(f, "{d}"),
            Answer::UnknownDate => f.write_str(UNKNOWN_DATE),
            Answer::Number(n) => write!(f, "{n}"),
            Answer::Seen => f.write_str(SEEN),
        }
    }
}

/// How "continue" on an info page is stored.
const SEEN: &str = "ok";

impl Answer {
    /// The canonical form, as saved.
    pub fn canonical(&self) -> String {
        self.to_string()
    }

    pub(crate) fn to_value(&self) -> Value {
        match self {
            Answer::Choice(v) | Answer::Text(v) => Value::from(v.clone()),
            Answer::Multi(vs) => Value::from(vs.clone()),
            Answer::Date(d) => Value::from(d.to_string()),
            Answer::UnknownDate => Value::from(()),
            Answer::Number(n) => Value::from(*n),
            Answer::Seen => Value::from(true),
        }
    }

    /// As the person would say it.
    pub fn display(&self, node: &Node) -> String {
        match (self, node) {
            (Answer::Choice(v), Node::Choice(c)) => c
                .options
                .iter()
                .find(|o| &o.value == v)
                .map_or(v.clone(), |o| o.label.clone()),
            (Answer::Multi(vs), Node::Multi(m)) => m
                .options
                .iter()
                .filter(|o| vs.contains(&o.value))
                .map(|o| o.label.clone())
                .collect::<Vec<_>>()
                .join("; "),
            (Answer::Date(d), _) => long_date(*d),
            (Answer::UnknownDate, _) => "I don't know".into(),
            (Answer::Number(n), _) => n.to_string(),
            (Answer::Text(t), _) if t.is_empty() => "(left blank)".into(),
            (Answer::Text(t), _) => t.clone(),
            (Answer::Seen, _) => "Read".into(),
            (Answer::Choice(v), _) => v.clone(),
            (Answer::Multi(vs), _) => vs.join(", "),
        }
    }
}

/// A fact value written back as an answer string (for facts handed to another tree).
pub(crate) fn canonical_of(v: &Value) -> String {
    if v.is_none() {
        return UNKNOWN_DATE.to_string();
    }
    if let Some(s) = v.as_str() {
        return s.to_string();
    }
    if let Ok(iter) = v.try_iter() {
        return iter
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join(",");
    }
    v.to_string()
}

/// Removes control characters (terminal escapes included) and invisible format characters
/// from what a person typed.
pub(crate) fn clean_text(s: &str) -> String {
    s.chars()
        .filter(|c| !(c.is_control() || crate::core::hidden::is_hidden_format(*c)))
        .collect::<String>()
        .trim()
        .to_string()
}

/// Reads and checks what a person typed for a node.
pub(crate) fn parse_answer(
    node: &Node,
    input: &str,
    today: Date,
    lib: &Library,
) -> Result<Answer, InputError> {
    // Whatever the way in (wizard, plain mode, `walk --answer`, a progress file), what a person
    // typed loses its control characters here, before it is stored, shown or echoed in an error.
    let cleaned = clean_text(input);
    let input = cleaned.as_str();
    match node {
        Node::Choice(c) => {
            let found = c.options.iter().find(|o| o.value == input).or_else(|| {
                c.options
                    .iter()
                    .find(|o| o.label.eq_ignore_ascii_case(input))
            });
            match found {
                Some(o) => Ok(Answer::Choice(o.value.clone())),
                None => Err(not_an_option(c)),
            }
        }
        Node::Multi(m) => {
            let mut picked: Vec<String> = Vec::new();
            for part in input.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let o = m
                    .options
                    .iter()
                    .find(|o| o.value == part)
                    .or_else(|| {
                        m.options
                            .iter()
                            .find(|o| o.label.eq_ignore_ascii_case(part))
                    })
                    .ok_or_else(|| not_one_of(part))?;
                if !picked.contains(&o.value) {
                    picked.push(o.value.clone());
                }
            }
            ticks(m, &picked)
        }
        Node::Date(_) if means_unknown(input) => Ok(Answer::UnknownDate),
        Node::Date(d) => {
            let date = match calendar::parse_user_date(input) {
                Ok(date) => date,
                // Offsets like -15wd are for advisers testing a tree.
                // How to say "I don't know" is each front end's to tell (typed, or a box to
                // tick), and each shows it beside the question.
                Err(e) => calendar::resolve_example(input, today, lib.calendar())
                    .map_err(|_| input_error(e.to_string()))?,
            };
            in_range(d, date, today)
        }
        Node::Number(n) => {
            let value: i64 = input
                .replace(',', "")
                .parse()
                .map_err(|_| input_error("Enter a whole number, for example 3."))?;
            in_bounds(n, value)
        }
        Node::Text(t) => fits_text(t, input.to_string()),
        Node::Info(_) => Ok(Answer::Seen),
        Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_) => Err(no_answer()),
    }
}

/// Checks a typed answer for a node, as `parse_answer` checks typed text; returns it in the
/// form it is stored (ticks in the options' order, text without control characters).
pub(crate) fn fit_answer(node: &Node, answer: Answer, today: Date) -> Result<Answer, InputError> {
    match (node, answer) {
        (Node::Choice(c), Answer::Choice(v)) => match c.options.iter().any(|o| o.value == v) {
            true => Ok(Answer::Choice(v)),
            false => Err(not_an_option(c)),
        },
        (Node::Multi(m), Answer::Multi(vs)) => {
            let mut picked: Vec<String> = Vec::new();
            for v in vs {
                if !m.options.iter().any(|o| o.value == v) {
                    return Err(not_one_of(&clean_text(&v)));
                }
                if !picked.contains(&v) {
                    picked.push(v);
                }
            }
            ticks(m, &picked)
        }
        (Node::Date(d), Answer::Date(date)) => in_range(d, date, today),
        (Node::Date(_), Answer::UnknownDate) => Ok(Answer::UnknownDate),
        (Node::Number(n), Answer::Number(value)) => in_bounds(n, value),
        (Node::Text(t), Answer::Text(text)) => fits_text(t, clean_text(&text)),
        (Node::Info(_), Answer::Seen) => Ok(Answer::Seen),
        (Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_), _) => {
            Err(no_answer())
        }
        _ => Err(input_error(
            "That kind of answer does not fit this question.",
        )),
    }
}

fn no_answer() -> InputError {
    input_error("This step does not take an answer.")
}

fn not_an_option(c: &ChoiceNode) -> InputError {
    input_error(format!(
        "Choose one of the options: {}.",
        c.options
            .iter()
            .map(|o| o.label.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    ))
}

fn not_one_of(part: &str) -> InputError {
    input_error(format!("\"{part}\" is not one of the options."))
}

/// The rules for the options ticked (values, each once): at least one, an exclusive option
/// alone. Canonical order is the options' order, so the same ticks always read the same.
fn ticks(m: &MultiNode, picked: &[String]) -> Result<Answer, InputError> {
    if picked.is_empty() {
        let none = m
            .options
            .iter()
            .find(|o| o.exclusive)
            .map(|o| format!(", or \"{}\"", o.label))
            .unwrap_or_default();
        return Err(input_error(format!("Tick at least one option{none}.")));
    }
    if let Some(ex) = m
        .options
        .iter()
        .find(|o| o.exclusive && picked.contains(&o.value))
    {
        if picked.len() > 1 {
            return Err(input_error(format!(
                "\"{}\" can't be ticked together with other options.",
                ex.label
            )));
        }
    }
    Ok(Answer::Multi(
        m.options
            .iter()
            .filter(|o| picked.contains(&o.value))
            .map(|o| o.value.clone())
            .collect(),
    ))
}

fn in_range(d: &DateNode, date: Date, today: Date) -> Result<Answer, InputError> {
    match d.range {
        DateRange::Past if date > today => Err(input_error(format!(
            "The date must be today or earlier. Today is {}.",
            long_date(today)
        ))),
        DateRange::Future if date < today => Err(input_error(format!(
            "The date must be today or later. Today is {}.",
            long_date(today)
        ))),
        _ => Ok(Answer::Date(date)),
    }
}

fn in_bounds(n: &NumberNode, value: i64) -> Result<Answer, InputError> {
    if let Some(min) = n.min {
        if value < min {
            return Err(input_error(format!("The number must be {min} or more.")));
        }
    }
    if let Some(max) = n.max {
        if value > max {
            return Err(input_error(format!("The number must be {max} or less.")));
        }
    }
    Ok(Answer::Number(value))
}

fn fits_text(t: &TextNode, text: String) -> Result<Answer, InputError> {
    let max = t.max_length.unwrap_or(DEFAULT_TEXT_MAX);
    if text.is_empty() && !t.optional {
        return Err(input_error("Please type an answer."));
    }
    if text.chars().count() > max {
        return Err(input_error(format!(
            "Please keep this to {max} characters or fewer."
        )));
    }
    Ok(Answer::Text(text))
}
