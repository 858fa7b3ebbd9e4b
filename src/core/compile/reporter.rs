//! The diagnostics of one compile, and reading JSON with syntax and shape errors reported at
//! the place they were found.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::Value;

use super::SourceFile;
use crate::core::diagnostics::{escape_segment, Diagnostic};
use crate::core::format::FORMAT_VERSION;
use crate::core::limits;

#[derive(Default)]
pub(super) struct Diagnostics {
    pub(super) list: Vec<Diagnostic>,
    /// One locator per file, made the first time that file has something to report.
    locators: HashMap<String, crate::core::diagnostics::Locator>,
}

impl Diagnostics {
    /// Adds a diagnostic, working out its line and column from the pointer if it has none.
    pub(super) fn push(&mut self, file: &SourceFile, mut d: Diagnostic) {
        if d.line == 0 {
            let locator = self
                .locators
                .entry(file.path.clone())
                .or_insert_with(|| crate::core::diagnostics::Locator::new(&file.text));
            let (line, column) = locator.locate(&file.text, &d.pointer);
            d.line = line;
            d.column = column;
        }
        self.list.push(d);
    }

    /// Adds a diagnostic about a text, at the line and column of the place `near` names inside
    /// the string in the file (or, when it is not found there, at the pointer).
    pub(super) fn push_near(&mut self, file: &SourceFile, mut d: Diagnostic, near: Near) {
        let locator = self
            .locators
            .entry(file.path.clone())
            .or_insert_with(|| crate::core::diagnostics::Locator::new(&file.text));
        if let Some((line, column)) =
            locator.locate_in_string(&file.text, &d.pointer, |value| near.find(value))
        {
            d = d.at(line, column);
        }
        self.push(file, d);
    }

    pub(super) fn parse_shared<T: DeserializeOwned>(&mut self, file: &SourceFile) -> Option<T> {
        let value = self.parse_json(file)?;
        if !self.check_format(file, &value) {
            return None;
        }
        self.deserialize(file, "", value)
    }

    /// Size and nesting limits, checked before any parsing.
    pub(super) fn within_limits(&mut self, file: &SourceFile) -> bool {
        if file.text.len() as u64 > limits::MAX_FILE_BYTES {
            let d = Diagnostic::error(
                "E024",
                &file.path,
                "",
                format!(
                    "the file is {} bytes; the limit is {}",
                    file.text.len(),
                    limits::MAX_FILE_BYTES
                ),
            )
            .with_help("split it into several trees run with `flow` nodes (docs/limits.md)")
            .at(1, 1);
            self.push(file, d);
            return false;
        }
        let depth = limits::nesting_depth(&file.text);
        if depth > limits::MAX_DEPTH {
            let d = Diagnostic::error("E024", &file.path, "", format!("the JSON nests {depth} levels deep; the limit is {}", limits::MAX_DEPTH))
                .with_help("a tree needs about 6 levels; look for brackets opened and never closed (docs/limits.md)")
                .at(1, 1);
            self.push(file, d);
            return false;
        }
        true
    }

    pub(super) fn syntax_error(&mut self, file: &SourceFile, e: &serde_json::Error) {
        let mut message = e.to_string();
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        let d = Diagnostic::error(
            "E001",
            &file.path,
            "",
            format!("this is not valid JSON: {message}"),
        )
        .with_help("look for a missing comma, quote or bracket just before this point")
        .at(e.line().max(1), e.column().max(1));
        self.push(file, d);
    }

    fn parse_json(&mut self, file: &SourceFile) -> Option<Value> {
        if !self.within_limits(file) {
            return None;
        }
        match serde_json::from_str::<Value>(&file.text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.syntax_error(file, &e);
                None
            }
        }
    }

    pub(super) fn check_format(&mut self, file: &SourceFile, value: &Value) -> bool {
        match value.get("format") {
            Some(Value::Number(n)) if n.as_u64() == Some(FORMAT_VERSION as u64) => true,
            Some(other) => {
                let help = match other.as_u64() {
                    Some(n) if n > FORMAT_VERSION as u64 => format!(
                        "this build reads format {FORMAT_VERSION}; a newer file needs a newer Signpost"
                    ),
                    Some(n) => format!(
                        "format {n} is older than any Signpost reads: this build reads format {FORMAT_VERSION}; write \"format\": {FORMAT_VERSION} and run `signpost check` on the file"
                    ),
                    None => format!("`format` is a whole number: this build reads format {FORMAT_VERSION}"),
                };
                self.push(
                    file,
                    Diagnostic::error(
                        "E002",
                        &file.path,
                        "/format",
                        format!("format {other} is not one this version of Signpost understands"),
                    )
                    .with_help(help),
                );
                false
            }
            None if value.is_object() => {
                self.push(
                    file,
                    Diagnostic::error("E003", &file.path, "", "the file has no `format` field")
                        .with_help(format!("add \"format\": {FORMAT_VERSION} at the top")),
                );
                false
            }
            None => {
                self.push(
                    file,
                    Diagnostic::error(
                        "E003",
                        &file.path,
                        "",
                        "the file must hold a JSON object { ... }",
                    ),
                );
                false
            }
        }
    }

    /// Deserializes one value, reporting a precise pointer on failure.
    fn deserialize<T: DeserializeOwned>(
        &mut self,
        file: &SourceFile,
        base: &str,
        value: Value,
    ) -> Option<T> {
        serde_path_to_error::deserialize::<_, T>(value)
            .map_err(|e| self.report_shape(file, base, e))
            .ok()
    }

    /// Like `deserialize`, straight from a slice of the file's text (no JSON value in between).
    /// The base pointer is built only when there is something to report; a value that reads
    /// cleanly is read once, without tracking where in it the reader is.
    pub(super) fn deserialize_raw<T: DeserializeOwned>(
        &mut self,
        file: &SourceFile,
        base: impl FnOnce() -> String,
        raw: &RawValue,
    ) -> Option<T> {
        if let Ok(v) = serde_json::from_str::<T>(raw.get()) {
            return Some(v);
        }
        let mut de = serde_json::Deserializer::from_str(raw.get());
        serde_path_to_error::deserialize::<_, T>(&mut de)
            .map_err(|e| self.report_shape(file, &base(), e))
            .ok()
    }

    /// Reports a value of the wrong shape, pointing at the field itself where it can.
    pub(super) fn report_shape<E: std::fmt::Display>(
        &mut self,
        file: &SourceFile,
        base: &str,
        err: serde_path_to_error::Error<E>,
    ) {
        let mut pointer = base.to_string();
        for seg in err.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => {
                    pointer.push_str(&format!("/{index}"))
                }
                serde_path_to_error::Segment::Map { key } => {
                    pointer.push('/');
                    pointer.push_str(&escape_segment(key));
                }
                _ => {}
            }
        }
        let mut message = err.inner().to_string();
        // The position serde gives is within one node's text; the pointer gives the real one.
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        let help = shape_help(&message);
        if let Some(field) = between_backticks(&message, "unknown field `") {
            if !pointer.ends_with(&format!("/{}", escape_segment(&field))) {
                pointer.push('/');
                pointer.push_str(&escape_segment(&field));
            }
        }
        let mut d = Diagnostic::error("E003", &file.path, pointer, message);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.push(file, d);
    }
}

fn between_backticks(message: &str, prefix: &str) -> Option<String> {
    let start = message.find(prefix)? + prefix.len();
    let end = message[start..].find('`')? + start;
    Some(message[start..end].to_string())
}

fn shape_help(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some("remove it, or check its spelling against the list above (docs/authoring.md lists every field)".into())
    } else if message.starts_with("missing field") {
        Some("add the field; docs/authoring.md shows an example of every node type".into())
    } else if message.starts_with("unknown variant") {
        Some(
            "`type` must be one of: choice, multi, date, number, text, info, branch, outcome, flow"
                .into(),
        )
    } else {
        None
    }
}

/// A place inside a text, for `Diagnostics::push_near`. It is looked for in the string as the
/// file holds it, so a text changed before it was checked (a snippet put in) still points right
/// or, failing that, at its field.
pub(super) enum Near<'a> {
    /// These words, at this byte of the text as checked if they are there in the file's string,
    /// or else their first place after it, or anywhere.
    At(usize, &'a str),
    /// A fact's name as a whole word, inside `{{ }}` or `{% %}` when the text has them.
    Name(&'a str),
}

impl Near<'_> {
    fn find(&self, value: &str) -> Option<usize> {
        match *self {
            Near::At(_, "") => None,
            Near::At(at, words) => {
                if value.get(at..).is_some_and(|v| v.starts_with(words)) {
                    return Some(at);
                }
                value
                    .get(at..)
                    .and_then(|v| v.find(words))
                    .map(|i| i + at)
                    .or_else(|| value.find(words))
            }
            Near::Name(name) => tags(value)
                .into_iter()
                .find_map(|(from, to)| find_word(&value[from..to], name).map(|i| i + from)),
        }
    }
}

/// The parts of a text inside `{{ }}` and `{% %}`, or the whole text when it has none (a
/// condition).
fn tags(value: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = value[from..].find(['{']).map(|i| i + from) {
        let close = match value.get(open + 1..open + 2) {
            Some("{") => "}}",
            Some("%") => "%}",
            _ => {
                from = open + 1;
                continue;
            }
        };
        let start = open + 2;
        let end = value[start..]
            .find(close)
            .map_or(value.len(), |i| i + start);
        out.push((start, end));
        from = end;
    }
    if out.is_empty() {
        out.push((0, value.len()));
    }
    out
}

/// The first place `name` stands as a whole word (not part of a longer name or an attribute).
fn find_word(hay: &str, name: &str) -> Option<usize> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    hay.match_indices(name).map(|(i, _)| i).find(|&i| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + name.len()..].chars().next();
        !before.is_some_and(|c| is_name(c) || c == '.') && !after.is_some_and(is_name)
    })
}
