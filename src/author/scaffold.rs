//! Authoring helpers with no I/O: a new tree to start from, and the canonical layout of a file.

use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::core::format::{ContactsFile, GlossaryFile, TreeFile};

/// A minimal tree that passes `signpost check --deny-warnings`, to edit from. It names no
/// subject, place or organisation: the author's own pack gives those.
pub(crate) fn new_tree(id: &str, today: Date, schema_ref: &str) -> String {
    let tree = serde_json::json!({
        "$schema": schema_ref,
        "format": 1,
        "id": id,
        "title": "A new advice flow",
        "description": "Say in a sentence who this is for and what it covers.",
        "jurisdictions": ["any"],
        "reviewed": today.to_string(),
        "start": "first_question",
        "nodes": [
            {
                "id": "first_question",
                "type": "choice",
                "question": "Have you asked for what you want in writing yet?",
                "help": "Say what the question means, in plain words.",
                "options": [
                    {"label": "Yes", "value": "yes", "next": "done"},
                    {"label": "No, not yet", "value": "no", "advice": ["put_it_in_writing"], "next": "done"}
                ]
            },
            {"id": "done", "type": "outcome", "advice": ["keep_a_record"]}
        ],
        "advice": {
            "put_it_in_writing": {
                "for": ["everyone"],
                "title": "Put it in writing",
                "body": "Write down what you want and send it. Keep a copy.",
                "priority": 2,
                "sources": ["guidance"]
            },
            "keep_a_record": {
                "for": ["everyone"],
                "title": "Keep a record",
                "body": "Write down the date of every call and meeting, and what was said.",
                "priority": 4,
                "sources": ["guidance"]
            }
        },
        "sources": {
            "guidance": {
                "title": "Name the document the advice relies on",
                "url": "https://example.org/",
                "checked": today.to_string()
            }
        }
    });
    let text = serde_json::to_string_pretty(&tree).unwrap_or_default();
    format_file("new.json", &text).unwrap_or(text)
}

/// A pack.json for a new pack, to edit from: neutral wording, no emergency line, extending
/// nothing.
pub(crate) fn new_pack(id: &str, schema_ref: &str) -> String {
    let pack = serde_json::json!({
        "$schema": schema_ref,
        "format": 1,
        "id": id,
        "title": "Say what the pack covers",
        "service": "Name of your service",
        "description": "Who this is for, and what they get at the end: next steps, by when, and who can help.",
        "jurisdictions": ["any"],
        "language": "en-GB",
        "disclaimer": "This is general information, not advice about your own case.",
        "not_advice": "Advice about your own case. This is general information: it cannot say what will happen in your case."
    });
    let text = serde_json::to_string_pretty(&pack).unwrap_or_default();
    format_file("pack.json", &text).unwrap_or(text)
}

/// Which kind of file a name is, for `fmt`.
fn kind(file_name: &str) -> &'static str {
    match file_name.rsplit(['/', '\\']).next().unwrap_or(file_name) {
        "contacts.json" => "contacts",
        "glossary.json" => "glossary",
        "bank-holidays.json" => "holidays",
        "questions.json" => "questions",
        "audiences.json" => "audiences",
        "pack.json" => "pack",
        _ => "tree",
    }
}

fn canonical<T: DeserializeOwned + Serialize>(text: &str) -> Result<String, String> {
    let value: T = serde_json::from_str(text)
        .map_err(|e| format!("cannot format it until it parses: {e} (run `signpost check`)"))?;
    let pretty = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    let mut out = short_arrays_on_one_line(&pretty);
    out.push('\n');
    Ok(out)
}

/// The widest line a one-line array may make.
const LINE_WIDTH: usize = 100;

/// Pretty JSON with every array of plain values (strings, numbers, booleans) written on one
/// line when that line fits in `LINE_WIDTH`: `"for": ["parent", "kinship_carer"]` reads
/// better than four lines. Arrays holding objects or arrays stay as they were.
fn short_arrays_on_one_line(pretty: &str) -> String {
    let b = pretty.as_bytes();
    let mut out = String::with_capacity(pretty.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        match b[i] {
            b'"' => i = string_end(b, i),
            b'[' => {
                if let Some((end, items)) = plain_array(pretty, i) {
                    let one_line = format!("[{}]", items.join(", "));
                    out.push_str(&pretty[copied..i]);
                    let line_start = out.rfind('\n').map_or(0, |n| n + 1);
                    let rest_of_line = pretty[end + 1..]
                        .find('\n')
                        .unwrap_or(pretty.len() - end - 1);
                    if out.len() - line_start + one_line.len() + rest_of_line <= LINE_WIDTH {
                        out.push_str(&one_line);
                    } else {
                        out.push_str(&pretty[i..=end]);
                    }
                    copied = end + 1;
                    i = end + 1;
                    continue;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out.push_str(&pretty[copied..]);
    out
}

/// The index just past the string that starts at `start` (a `"`).
fn string_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// For the array that starts at `start`: where it ends and its items, when every item is a
/// plain value; `None` for an empty array or one holding an object or an array.
fn plain_array(text: &str, start: usize) -> Option<(usize, Vec<&str>)> {
    let b = text.as_bytes();
    let mut items = Vec::new();
    let mut item_start = start + 1;
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i = string_end(b, i);
                continue;
            }
            b'[' | b'{' => return None,
            b',' => {
                items.push(text[item_start..i].trim());
                item_start = i + 1;
            }
            b']' => {
                let last = text[item_start..i].trim();
                if last.is_empty() {
                    return None;
                }
                items.push(last);
                return Some((i, items));
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The file in canonical field order with two-space indentation. Formatting the result again
/// gives the same text, and the meaning (every field and value) is unchanged.
pub fn format_file(file_name: &str, text: &str) -> Result<String, String> {
    match kind(file_name) {
        "contacts" => canonical::<ContactsFile>(text),
        "glossary" => canonical::<GlossaryFile>(text),
        "holidays" => canonical::<crate::core::format::BankHolidaysFile>(text),
        "questions" => canonical::<crate::core::format::QuestionsFile>(text),
        "audiences" => canonical::<crate::core::format::AudiencesFile>(text),
        "pack" => canonical::<crate::core::format::PackManifest>(text),
        _ => canonical::<TreeFile>(text),
    }
}
