//! Diagnostics: what `check` reports, and how a JSON pointer becomes a line and column.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, documented in docs/diagnostics.md (E... errors, W... warnings).
    pub code: &'static str,
    pub severity: Severity,
    pub file: String,
    /// JSON pointer to the offending value, e.g. `/nodes/3/next`.
    pub pointer: String,
    /// 1-based; 0 when the file could not be read at all.
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

/// Every diagnostic code, its severity and a one-line meaning (for docs and tests).
pub const CODES: &[(&str, &str)] = &[
    ("E001", "the file is not valid JSON"),
    (
        "E002",
        "the file's `format` is not a version this build understands",
    ),
    ("E003", "a field is unknown, missing or of the wrong type"),
    ("E004", "two nodes share an id"),
    ("E005", "a `next`, `otherwise` or `start` names no node"),
    ("E006", "an advice id is not defined in the tree's `advice`"),
    ("E007", "a contact id is not in contacts.json"),
    (
        "E008",
        "a source id is not in the tree's `sources`, or advice cites no source",
    ),
    ("E009", "a letter id has no file in trees/letters/"),
    (
        "E010",
        "an id or fact name is not lower case letters, digits and underscores",
    ),
    ("E011", "a node cannot be reached from the start"),
    ("E012", "nodes form a cycle"),
    ("E013", "a path stops at a node that is not an outcome"),
    ("E014", "a flow node names a tree that does not exist"),
    ("E015", "trees run each other in a loop"),
    ("E016", "a condition or template does not parse"),
    ("E017", "a fact is read where it is not set on every path"),
    ("E018", "a date is not a real YYYY-MM-DD date"),
    ("E019", "a question's example cannot be used as an answer"),
    ("E020", "a question has no options, or no examples"),
    ("E021", "two trees share an id"),
    (
        "E022",
        "England-only (or other single-nation) advice is reachable without knowing the nation",
    ),
    (
        "E023",
        "a shared data file (contacts, glossary, bank holidays, letter) is broken",
    ),
    (
        "E024",
        "a file, tree, text or path is past one of Signpost's limits (docs/limits.md)",
    ),
    (
        "E025",
        "an expression uses a filter, test or function the language does not have",
    ),
    (
        "E026",
        "a choice or multi fact is compared with a string that is none of its options' values",
    ),
    (
        "E027",
        "a text holds a control character (a terminal escape, bell, carriage return, ...)",
    ),
    (
        "E028",
        "a flow node runs a module without sharing a fact the module needs",
    ),
    (
        "E029",
        "a condition uses a date that may be \"I don't know\" without checking it is known",
    ),
    ("E030", "an advice item does not say who it is for (`for`)"),
    (
        "E031",
        "an advice item names an audience that audiences.json does not define",
    ),
    (
        "E032",
        "a question catalogue (`rank_by`) and questions.json do not match",
    ),
    (
        "E033",
        "a tick-all-that-apply answer is compared with `==` or `!=` (use `in`)",
    ),
    (
        "E034",
        "a computed fact (`let`) has the name of a fact a question or input gives",
    ),
    ("E035", "computed facts (`let`) read each other in a loop"),
    ("E036", "a text includes a snippet neither the tree nor its pack defines"),
    (
        "E037",
        "a value in a pack's manifest (pack.json) is not allowed",
    ),
    ("E038", "a pack's `extends` cannot be followed (no such pack or folder, no pack.json, a loop, too deep)"),
];

impl Diagnostic {
    pub fn error(
        code: &'static str,
        file: &str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            file: file.to_string(),
            pointer: pointer.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        code: &'static str,
        file: &str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, pointer, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn unescape_segment(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

/// Finds the line and column (1-based, in characters) of the value a JSON pointer names; for an
/// object member it is the member's key. Falls back to the deepest part of the pointer found.
/// Only called when there is something to report.
pub fn locate(text: &str, pointer: &str) -> (usize, usize) {
    Locator::new(text).locate(text, pointer)
}

/// Where lines and the tree's nodes start in one file, worked out once, so that reporting many
/// problems in a huge file costs one scan, not one scan per problem.
pub struct Locator {
    line_starts: Vec<usize>,
    /// Byte offset of each element of the top-level `nodes` array.
    nodes: Vec<usize>,
}

impl Locator {
    pub fn new(text: &str) -> Locator {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut nodes = Vec::new();
        let start = skip_ws(bytes, 0);
        if bytes.get(start) == Some(&b'{') {
            if let Some((_, arr)) = find_member(bytes, start, "nodes") {
                if bytes.get(arr) == Some(&b'[') {
                    let mut i = skip_ws(bytes, arr + 1);
                    while i < bytes.len() && bytes[i] != b']' {
                        nodes.push(i);
                        i = skip_ws(bytes, skip_value(bytes, i));
                        if bytes.get(i) == Some(&b',') {
                            i = skip_ws(bytes, i + 1);
                        } else {
                            break;
                        }
                    }
                }
            }
        }
        Locator { line_starts, nodes }
    }

    pub fn locate(&self, text: &str, pointer: &str) -> (usize, usize) {
        let (best, _) = self.find(text.as_bytes(), pointer);
        self.line_col(text, best)
    }

    /// The line and column of a place inside the string value a pointer names, so an error in
    /// a text points at the offending words: `near` picks the place in the string as read
    /// (escapes decoded). None when the pointer names no string or the place is not in it.
    pub fn locate_in_string(
        &self,
        text: &str,
        pointer: &str,
        near: impl FnOnce(&str) -> Option<usize>,
    ) -> Option<(usize, usize)> {
        let bytes = text.as_bytes();
        let (_, Some(start)) = self.find(bytes, pointer) else {
            return None;
        };
        if bytes.get(start) != Some(&b'"') {
            return None;
        }
        let end = skip_string(bytes, start);
        let value: String = serde_json::from_str(text.get(start..end)?).ok()?;
        let at = near(&value).filter(|&at| value.is_char_boundary(at))?;
        Some(self.line_col(text, source_byte(bytes, start, at)?))
    }

    /// The best place found for a pointer (the key of an object member, or an element), and
    /// the position of the value it names when every part of it was found.
    fn find(&self, bytes: &[u8], pointer: &str) -> (usize, Option<usize>) {
        let segments: Vec<String> = pointer.split('/').skip(1).map(unescape_segment).collect();
        let mut pos = skip_ws(bytes, 0);
        let mut best = pos;
        let mut rest: &[String] = &segments;
        // Jump straight to a node when the pointer names one.
        if let [first, index, tail @ ..] = segments.as_slice() {
            if let (true, Ok(i)) = (first == "nodes", index.parse::<usize>()) {
                if let Some(&p) = self.nodes.get(i) {
                    pos = p;
                    best = p;
                    rest = tail;
                }
            }
        }
        for segment in rest {
            match bytes.get(pos) {
                Some(b'{') => match find_member(bytes, pos, segment) {
                    Some((key_pos, value_pos)) => {
                        best = key_pos;
                        pos = value_pos;
                    }
                    None => return (best, None),
                },
                Some(b'[') => {
                    let Ok(index) = segment.parse::<usize>() else {
                        return (best, None);
                    };
                    match find_element(bytes, pos, index) {
                        Some(p) => {
                            best = p;
                            pos = p;
                        }
                        None => return (best, None),
                    }
                }
                _ => return (best, None),
            }
        }
        (best, Some(pos))
    }

    fn line_col(&self, text: &str, byte: usize) -> (usize, usize) {
        let byte = byte.min(text.len());
        let line = self.line_starts.partition_point(|&s| s <= byte);
        let start = self.line_starts[line.saturating_sub(1)];
        let column = String::from_utf8_lossy(&text.as_bytes()[start..byte])
            .chars()
            .count()
            + 1;
        (line, column)
    }
}

pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    Locator {
        line_starts: Locator::new(text).line_starts,
        nodes: Vec::new(),
    }
    .line_col(text, byte)
}

/// The byte in the file of byte `at` of the string starting at `quote`, as read: an escape
/// (`\n`, `\"`, `\u00e9`, a surrogate pair) is one character read from several in the file.
fn source_byte(b: &[u8], quote: usize, at: usize) -> Option<usize> {
    let (mut i, mut read) = (quote + 1, 0);
    while read < at {
        match *b.get(i)? {
            b'"' => return None,
            b'\\' if b.get(i + 1) == Some(&b'u') => {
                let unit = |j: usize| {
                    std::str::from_utf8(b.get(j..j + 4)?)
                        .ok()
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                };
                let first = unit(i + 2)?;
                let pair = (0xD800..0xDC00).contains(&first)
                    && b.get(i + 6..i + 8) == Some(&b"\\u"[..])
                    && unit(i + 8).is_some_and(|u| (0xDC00..0xE000).contains(&u));
                if pair {
                    (i, read) = (i + 12, read + 4);
                } else {
                    let len = char::from_u32(first).map_or(3, char::len_utf8);
                    (i, read) = (i + 6, read + len);
                }
            }
            b'\\' => (i, read) = (i + 2, read + 1),
            _ => (i, read) = (i + 1, read + 1),
        }
    }
    (read == at).then_some(i)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Skips a string starting at `i` (at the opening quote); returns the index after it.
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Skips any value starting at `i`; iterative so deep nesting cannot overflow the stack.
fn skip_value(b: &[u8], i: usize) -> usize {
    let mut i = skip_ws(b, i);
    let mut depth = 0usize;
    loop {
        if i >= b.len() {
            return i;
        }
        match b[i] {
            b'"' => i = skip_string(b, i),
            b'{' | b'[' => {
                depth += 1;
                i += 1
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1
            }
            b',' | b':' if depth > 0 => i += 1,
            c if c.is_ascii_whitespace() => i += 1,
            b',' | b':' => return i,
            _ => {
                // A number, true, false or null.
                while i < b.len()
                    && !matches!(b[i], b',' | b'}' | b']' | b':')
                    && !b[i].is_ascii_whitespace()
                {
                    i += 1;
                }
            }
        }
        if depth == 0 {
            return i;
        }
    }
}

fn find_member(b: &[u8], obj: usize, key: &str) -> Option<(usize, usize)> {
    let mut i = skip_ws(b, obj + 1);
    while i < b.len() && b[i] == b'"' {
        let key_start = i;
        let key_end = skip_string(b, i);
        let raw = std::str::from_utf8(&b[key_start..key_end]).ok()?;
        let parsed: Option<String> = serde_json::from_str(raw).ok();
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let value = skip_ws(b, i + 1);
        if parsed.as_deref() == Some(key) {
            return Some((key_start, value));
        }
        i = skip_ws(b, skip_value(b, value));
        if b.get(i) == Some(&b',') {
            i = skip_ws(b, i + 1);
        } else {
            return None;
        }
    }
    None
}

fn find_element(b: &[u8], arr: usize, index: usize) -> Option<usize> {
    let mut i = skip_ws(b, arr + 1);
    for _ in 0..index {
        if b.get(i) == Some(&b']') {
            return None;
        }
        i = skip_ws(b, skip_value(b, i));
        if b.get(i) == Some(&b',') {
            i = skip_ws(b, i + 1);
        } else {
            return None;
        }
    }
    (b.get(i) != Some(&b']')).then_some(i)
}

/// Edit distance, for "did you mean" hints.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate, if it is close enough to be a likely typo.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (levenshtein(wanted, c), c))
        .filter(|(d, c)| *d <= (wanted.len().max(c.len()) / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"id\": \"t\",\n  \"nodes\": [\n    {\"id\": \"a\", \"next\": \"b\"},\n    {\"id\": \"b\", \"x\": [1, {\"y\": \"}\"}], \"next\": \"c\"}\n  ]\n}\n";

    #[test]
    fn pointers_find_keys_and_elements() {
        assert_eq!(locate(TEXT, ""), (1, 1));
        assert_eq!(locate(TEXT, "/id"), (2, 3));
        assert_eq!(locate(TEXT, "/nodes/0"), (4, 5));
        assert_eq!(locate(TEXT, "/nodes/1/next"), (5, 39));
        // A pointer past what exists lands on the deepest part found.
        assert_eq!(locate(TEXT, "/nodes/7/next"), (3, 3));
    }

    #[test]
    fn nearest_suggests_typos_only() {
        let ids = ["ask_stage_2", "late", "waiting"];
        assert_eq!(nearest("ask_stage2", ids), Some("ask_stage_2"));
        assert_eq!(nearest("completely_different", ids), None);
    }
}
