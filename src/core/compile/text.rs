//! Texts must be inert and short enough to read: no control characters (E027), nothing over
//! the text limit (E024).

use super::nodes::node_pointer;
use super::reporter::{Diagnostics, Near};
use super::SourceFile;
use crate::core::diagnostics::{escape_segment, Diagnostic};
use crate::core::format::*;
use crate::core::limits;

/// The first control or invisible format character (`render::is_hidden_format`) in a text that
/// must be inert, with its position (in characters).
/// Line breaks (and tabs) are allowed where `multi_line` says the text may have several lines,
/// and so is a carriage return just before a line break (a file saved on Windows).
pub(super) fn first_control(text: &str, multi_line: bool) -> Option<(usize, char)> {
    let mut chars = text.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        if crate::core::hidden::is_hidden_format(c) {
            return Some((i, c));
        }
        if !c.is_control() {
            continue;
        }
        let allowed = multi_line
            && (c == '\n'
                || c == '\t'
                || (c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n')));
        if !allowed {
            return Some((i, c));
        }
    }
    None
}

pub(super) fn control_name(c: char) -> String {
    let name = match c {
        '\x1b' => " (ESC, which starts terminal escape sequences)",
        '\x07' => " (BEL)",
        '\x08' => " (backspace)",
        '\r' => " (carriage return)",
        '\n' => " (line break)",
        '\t' => " (tab)",
        '\x7f' => " (DEL)",
        '\u{9b}' => " (CSI, which starts terminal escape sequences)",
        '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{061c}' => {
            " (a bidirectional control, which makes text read differently from what it says)"
        }
        c if crate::core::hidden::is_hidden_format(c) => " (an invisible format character)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

pub(super) fn control_diagnostic(
    file: &str,
    pointer: String,
    at: usize,
    c: char,
    multi_line: bool,
) -> Diagnostic {
    let allowed = if multi_line {
        "line breaks and tabs are the only ones allowed here"
    } else {
        "this text is one line: no line breaks or tabs either"
    };
    Diagnostic::error(
        "E027",
        file,
        pointer,
        format!(
            "this text holds the control character {} at character {}",
            control_name(c),
            at + 1
        ),
    )
    .with_help(format!(
        "control characters can move the cursor, clear the screen or retitle the window of whoever reads the advice; delete it ({allowed})"
    ))
}

/// E027 for one text, building its pointer only when there is something to report.
pub(super) fn check_control(
    diags: &mut Diagnostics,
    file: &SourceFile,
    pointer: impl FnOnce() -> String,
    text: &str,
    multi_line: bool,
) {
    if let Some((at, c)) = first_control(text, multi_line) {
        let d = control_diagnostic(&file.path, pointer(), at, c, multi_line);
        // At the character itself (in the file, an escape such as `\u001b`).
        let byte = text.char_indices().nth(at).map_or(0, |(b, _)| b);
        diags.push_near(file, d, Near::At(byte, c.encode_utf8(&mut [0; 4])));
    }
}

/// Every text of a tree that is shown to a person or an author must be inert: no control
/// characters (terminal escapes, bells, carriage returns), line breaks only in long texts.
pub(super) fn check_tree_controls(diags: &mut Diagnostics, file: &SourceFile, tree: &TreeFile) {
    check_control(diags, file, || "/title".into(), &tree.title, false);
    if let Some(section) = &tree.section {
        check_control(diags, file, || "/section".into(), section, false);
    }
    if let Some(d) = &tree.description {
        check_control(diags, file, || "/description".into(), d, true);
    }
    for (i, node) in tree.nodes.iter().enumerate() {
        let p = || node_pointer(i);
        if let Some(q) = node.question() {
            check_control(diags, file, || format!("{}/question", p()), q, true);
        }
        if let Some(h) = node.help() {
            check_control(diags, file, || format!("{}/help", p()), h, true);
        }
        let options = node.option_labels();
        for (k, (label, value)) in options.into_iter().enumerate() {
            check_control(
                diags,
                file,
                || format!("{}/options/{k}/label", p()),
                label,
                false,
            );
            check_control(
                diags,
                file,
                || format!("{}/options/{k}/value", p()),
                value,
                false,
            );
        }
        let examples: &[String] = match node {
            Node::Date(d) => &d.examples,
            Node::Text(t) => &t.examples,
            _ => &[],
        };
        for (k, ex) in examples.iter().enumerate() {
            check_control(diags, file, || format!("{}/examples/{k}", p()), ex, false);
        }
        match node {
            Node::Info(n) => {
                check_control(diags, file, || format!("{}/title", p()), &n.title, false);
                check_control(diags, file, || format!("{}/body", p()), &n.body, true);
            }
            Node::Branch(b) => {
                for (k, r) in b.rules.iter().enumerate() {
                    check_control(
                        diags,
                        file,
                        || format!("{}/rules/{k}/when", p()),
                        &r.when,
                        true,
                    );
                }
            }
            _ => {}
        }
    }
    for (id, a) in &tree.advice {
        let p = || format!("/advice/{}", escape_segment(id));
        check_control(diags, file, || format!("{}/title", p()), &a.title, false);
        check_control(diags, file, || format!("{}/body", p()), &a.body, true);
        if let Some(due) = &a.due {
            check_control(diags, file, || format!("{}/due", p()), due, true);
        }
    }
    for (id, src) in &tree.sources {
        let p = || format!("/sources/{}", escape_segment(id));
        check_control(diags, file, || format!("{}/title", p()), &src.title, false);
        check_control(diags, file, || format!("{}/url", p()), &src.url, false);
    }
}

pub(super) fn check_contact_controls(
    diags: &mut Diagnostics,
    file: &SourceFile,
    contacts: &ContactsFile,
) {
    for (id, c) in &contacts.contacts {
        let p = |field: &str| format!("/contacts/{}/{field}", escape_segment(id));
        let fields: [(&str, Option<&String>, bool); 6] = [
            ("name", Some(&c.name), false),
            ("phone", c.phone.as_ref(), false),
            ("hours", c.hours.as_ref(), false),
            ("web", Some(&c.web), false),
            ("for", Some(&c.for_whom), false),
            ("note", c.note.as_ref(), true),
        ];
        for (field, text, multi_line) in fields {
            if let Some(t) = text {
                check_control(diags, file, || p(field), t, multi_line);
            }
        }
    }
}

pub(super) fn check_glossary_controls(
    diags: &mut Diagnostics,
    file: &SourceFile,
    glossary: &GlossaryFile,
) {
    for (id, t) in &glossary.terms {
        let p = |rest: String| format!("/terms/{}/{rest}", escape_segment(id));
        check_control(diags, file, || p("term".into()), &t.term, false);
        for (k, a) in t.aliases.iter().enumerate() {
            check_control(diags, file, || p(format!("aliases/{k}")), a, false);
        }
        check_control(diags, file, || p("definition".into()), &t.definition, true);
    }
}

/// A letter file holds no control character (E027, at its line and column), or it is not used.
pub(super) fn letter_is_inert(diags: &mut Diagnostics, file: &SourceFile) -> bool {
    let Some((at, c)) = first_control(&file.text, true) else {
        return true;
    };
    let before: String = file.text.chars().take(at).collect();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let d = control_diagnostic(&file.path, String::new(), at, c, true).at(line, column);
    diags.push(file, d);
    false
}

/// Every text a person reads must fit the text limit.
pub(super) fn check_text_lengths(diags: &mut Diagnostics, file: &SourceFile, tree: &TreeFile) {
    // Pointers are built only for a text that is too long.
    let mut check = |pointer: &dyn Fn() -> String, text: &str| {
        // More bytes than the limit is the only way to have more characters than it.
        if text.len() <= limits::MAX_TEXT_CHARS {
            return;
        }
        let n = text.chars().count();
        if n > limits::MAX_TEXT_CHARS {
            diags.push(
                file,
                Diagnostic::error(
                    "E024",
                    &file.path,
                    pointer(),
                    format!(
                        "this text is {n} characters; the limit is {}",
                        limits::MAX_TEXT_CHARS
                    ),
                )
                .with_help("nobody reads that much on one screen: split it (docs/limits.md)"),
            );
        }
    };
    for (i, node) in tree.nodes.iter().enumerate() {
        if let Some(q) = node.question() {
            check(&|| format!("/nodes/{i}/question"), q);
        }
        if let Some(h) = node.help() {
            check(&|| format!("/nodes/{i}/help"), h);
        }
        if let Node::Info(n) = node {
            check(&|| format!("/nodes/{i}/body"), &n.body);
        }
    }
    for (id, a) in &tree.advice {
        check(&|| format!("/advice/{}/body", escape_segment(id)), &a.body);
        check(
            &|| format!("/advice/{}/title", escape_segment(id)),
            &a.title,
        );
    }
}
