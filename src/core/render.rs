//! Renderers: a Summary as plain text, Markdown or JSON. They only lay out what the summary
//! says; they add no advice of their own.

use std::fmt::Write;

use crate::core::summary::Summary;

/// Removes control characters (terminal escape sequences included) but keeps line breaks, so text
/// from a tree or a person can never move the cursor, retitle a window or clear a screen.
pub fn inert(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// Plain text, for the terminal, a screen reader or a saved .txt file.
pub fn text(s: &Summary) -> String {
    inert(&text_raw(s))
}

fn text_raw(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "YOUR NEXT STEPS");
    let _ = writeln!(out, "{}", s.title);
    let _ = writeln!(out, "Prepared {}. {}", s.prepared, s.footer);
    let _ = writeln!(out);
    // Where the family stands and answers to their own questions come before any step.
    for (heading, items, quoted) in [
        ("WHERE YOU ARE NOW", &s.where_now, false),
        ("WHAT YOU ASKED", &s.asked, true),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{heading}");
        for item in items {
            let _ = writeln!(out, "{}", quote_if(quoted, &item.title));
            let _ = writeln!(out, "{}", item.body);
            let _ = writeln!(out, "   Sources: {}", source_titles(s, &item.sources));
            let _ = writeln!(out);
        }
    }
    if !s.answers.is_empty() {
        let _ = writeln!(out, "WHAT YOU TOLD US");
        for a in &s.answers {
            let _ = writeln!(out, "- {} {}", a.question, a.answer);
        }
        let _ = writeln!(out);
    }
    for n in &s.notices {
        let _ = writeln!(out, "Please note: {n}");
    }
    if !s.notices.is_empty() {
        let _ = writeln!(out);
    }
    if !s.steps.is_empty() {
        let _ = writeln!(out, "WHAT YOU CAN DO, MOST URGENT FIRST");
    }
    for (i, step) in s.steps.iter().enumerate() {
        let due = step
            .due
            .as_ref()
            .map(|d| format!(" (date: {})", d.long))
            .unwrap_or_default();
        let _ = writeln!(out, "{}. {}{}", i + 1, step.title, due);
        if let Some(note) = step.due.as_ref().and_then(|d| d.note.as_ref()) {
            let _ = writeln!(out, "   About this date: {note}");
        }
        let _ = writeln!(out, "{}", step.body);
        for b in &step.because {
            let _ = writeln!(out, "   Why: {b}");
        }
        if !step.contacts.is_empty() {
            let _ = writeln!(out, "   Who can help: {}", contact_names(s, &step.contacts));
        }
        if let Some(l) = step
            .letter
            .as_ref()
            .and_then(|id| s.letters.iter().find(|x| &x.id == id))
        {
            let _ = writeln!(out, "   Letter: \"{}\" (below)", l.title);
        }
        let _ = writeln!(out, "   Sources: {}", source_titles(s, &step.sources));
        let _ = writeln!(out);
    }
    if !s.contacts.is_empty() {
        let _ = writeln!(out, "WHO CAN HELP");
        for c in &s.contacts {
            let _ = writeln!(out, "- {}", contact_line(&c.contact));
            if let Some(note) = &c.contact.note {
                let _ = writeln!(out, "  Before you call: {note}");
            }
        }
        let _ = writeln!(out);
    }
    for l in &s.letters {
        let _ = writeln!(out, "LETTER: {}", l.title.to_uppercase());
        let _ = writeln!(
            out,
            "Fill in the parts in [square brackets] before you send it."
        );
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", l.body);
        let _ = writeln!(out);
    }
    if !s.sources.is_empty() {
        let _ = writeln!(out, "SOURCES");
        for src in &s.sources {
            let _ = writeln!(
                out,
                "- {}: {} (checked {})",
                src.title, src.url, src.checked
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "{}", s.footer);
    out
}

/// One line for a contact: name, phone, hours, web, and who it is for.
pub(crate) fn contact_line(c: &crate::core::format::Contact) -> String {
    let mut line = c.name.clone();
    if let Some(p) = &c.phone {
        let _ = write!(line, ": {p}");
    }
    if let Some(h) = &c.hours {
        let _ = write!(line, ", {h}");
    }
    let _ = write!(line, ". {}. For {}", c.web, c.for_whom);
    line
}

/// "Name (phone)" for each contact of a step; the full details are under "Who can help".
pub(crate) fn contact_names(s: &Summary, ids: &[String]) -> String {
    ids.iter()
        .filter_map(|id| s.contacts.iter().find(|c| &c.id == id))
        .map(|c| match &c.contact.phone {
            Some(p) => format!("{} ({p})", c.contact.name),
            None => c.contact.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn source_titles(s: &Summary, ids: &[String]) -> String {
    ids.iter()
        .filter_map(|id| s.sources.iter().find(|x| &x.id == id))
        .map(|x| x.title.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Markdown, for a saved file someone can open, print or forward.
pub fn markdown(s: &Summary) -> String {
    inert(&markdown_raw(s))
}

fn markdown_raw(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Your next steps");
    let _ = writeln!(out);
    let _ = writeln!(out, "*{}. Prepared {}.*", s.title, s.prepared);
    let _ = writeln!(out);
    let _ = writeln!(out, "> {}", s.footer);
    let _ = writeln!(out);
    for (heading, items, quoted) in [
        ("## Where you are now", &s.where_now, false),
        ("## What you asked", &s.asked, true),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{heading}");
        let _ = writeln!(out);
        for item in items {
            let _ = writeln!(out, "### {}", quote_if(quoted, &item.title));
            let _ = writeln!(out);
            let _ = writeln!(out, "{}", item.body);
            let _ = writeln!(out);
            let _ = writeln!(out, "*Sources:* {}", source_titles(s, &item.sources));
            let _ = writeln!(out);
        }
    }
    if !s.answers.is_empty() {
        let _ = writeln!(out, "## What you told us");
        let _ = writeln!(out);
        for a in &s.answers {
            let _ = writeln!(out, "- {} **{}**", a.question, md_escape(&a.answer));
        }
        let _ = writeln!(out);
    }
    for n in &s.notices {
        let _ = writeln!(out, "**Please note:** {n}");
        let _ = writeln!(out);
    }
    for (i, step) in s.steps.iter().enumerate() {
        let due = step
            .due
            .as_ref()
            .map(|d| format!(" (date: {})", d.long))
            .unwrap_or_default();
        let _ = writeln!(out, "## {}. {}{}", i + 1, step.title, due);
        let _ = writeln!(out);
        if let Some(note) = step.due.as_ref().and_then(|d| d.note.as_ref()) {
            let _ = writeln!(out, "*About this date:* {note}");
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "{}", step.body);
        let _ = writeln!(out);
        for b in &step.because {
            let _ = writeln!(out, "- *Why:* {}", md_escape(b));
        }
        if !step.contacts.is_empty() {
            let _ = writeln!(
                out,
                "- *Who can help:* {}",
                contact_names(s, &step.contacts)
            );
        }
        if let Some(l) = step
            .letter
            .as_ref()
            .and_then(|id| s.letters.iter().find(|x| &x.id == id))
        {
            let _ = writeln!(
                out,
                "- *Letter:* [{}](#letter-{})",
                l.title,
                l.id.replace('_', "-")
            );
        }
        let _ = writeln!(out, "- *Sources:* {}", source_titles(s, &step.sources));
        let _ = writeln!(out);
    }
    if !s.contacts.is_empty() {
        let _ = writeln!(out, "## Who can help");
        let _ = writeln!(out);
        for c in &s.contacts {
            let _ = writeln!(out, "- {}", contact_line(&c.contact));
            if let Some(note) = &c.contact.note {
                let _ = writeln!(out, "  - Before you call: {note}");
            }
        }
        let _ = writeln!(out);
    }
    for l in &s.letters {
        let _ = writeln!(
            out,
            "## Letter: {} {{#letter-{}}}",
            l.title,
            l.id.replace('_', "-")
        );
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "*Fill in the parts in [square brackets] before you send it.*"
        );
        let _ = writeln!(out);
        for line in l.body.lines() {
            let _ = writeln!(out, "> {line}");
        }
        let _ = writeln!(out);
    }
    if !s.sources.is_empty() {
        let _ = writeln!(out, "## Sources");
        let _ = writeln!(out);
        for src in &s.sources {
            let _ = writeln!(
                out,
                "- [{}]({}) (checked {})",
                src.title, src.url, src.checked
            );
        }
        let _ = writeln!(out);
    }
    out
}

/// A question the person chose is shown in quotation marks, as their own words.
fn quote_if(quoted: bool, title: &str) -> String {
    if quoted {
        format!("\"{title}\"")
    } else {
        title.to_string()
    }
}

fn md_escape(s: &str) -> String {
    s.replace('*', "\\*").replace('_', "\\_")
}

/// JSON, for tools and tests.
pub fn json(s: &Summary) -> String {
    serde_json::to_string_pretty(s).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
