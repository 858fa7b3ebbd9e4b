//! Renderers: a Summary as plain text, Markdown or JSON. They only lay out what the summary
//! says; they add no advice of their own.

use std::fmt::Write;

use crate::core::format::Contact;
use crate::core::summary::{
    self, contact_text, step_text, top_text, Step, Summary, MORE_BELOW, MORE_HEADING,
};

pub(crate) use crate::core::summary::contact_line;

/// Removes control characters (terminal escape sequences included) and invisible format
/// characters but keeps line breaks, so text from a tree or a person can never move the cursor,
/// retitle a window, clear a screen or read differently from what it says.
pub fn inert(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| *c == '\n' || !(c.is_control() || crate::core::hidden::is_hidden_format(*c)))
        .collect()
}

/// Plain text, for the terminal, a screen reader or a saved .txt file. The top part (before
/// "MORE THAT MAY HELP") is the summary's own (`summary::top_text`), so its word budget is
/// counted on exactly what is printed; the rest follows it.
pub fn text(s: &Summary) -> String {
    inert(&text_raw(s))
}

fn text_raw(s: &Summary) -> String {
    let mut out = top_text(s);
    more_text(&mut out, s);
    if !s.answers.is_empty() {
        let _ = writeln!(out, "WHAT YOU TOLD US");
        for (i, a) in s.answers.iter().enumerate() {
            let _ = writeln!(out, "{}. {} {}", i + 1, a.question, a.answer);
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
        for (i, src) in s.sources.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. {}: {} ({})",
                i + 1,
                src.title,
                src.url,
                src.dates()
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "{}", s.footer);
    out
}

/// The title an item has in "More that may help": a question in quotation marks.
fn more_title(s: &Summary, st: &Step) -> String {
    if s.asked.iter().any(|a| a.id == st.id) {
        format!("\"{}\"", st.title)
    } else {
        st.title.clone()
    }
}

/// "More that may help": the rest of what the top part began, every other item in full, and
/// the organisations not under "Who can help".
fn more_text(out: &mut String, s: &Summary) {
    let any =
        s.continued().next().is_some() || !s.more.is_empty() || s.other_contacts().next().is_some();
    if !any {
        return;
    }
    let _ = writeln!(out, "{MORE_HEADING}");
    for st in s.continued() {
        let title = match s.top_where() {
            Some(w) if w.id == st.id => "Where you are now".to_string(),
            _ => more_title(s, st),
        };
        let _ = writeln!(out, "{title} (continued)");
        let _ = writeln!(out, "{}", st.rest());
        let _ = writeln!(out);
    }
    for st in s.more_items() {
        step_text(out, s, "- ", st, &st.body);
    }
    let mut others = s.other_contacts().peekable();
    if others.peek().is_some() {
        let _ = writeln!(out, "Other organisations that may help:");
        for c in others {
            contact_text(out, &c.contact);
        }
        let _ = writeln!(out);
    }
}

/// Markdown, for a saved file someone can open, print or forward: the same parts as the text,
/// as `##` headings in sentence case.
pub fn markdown(s: &Summary) -> String {
    // The Markdown itself uses no HTML, so any `<` came from a tree or an answer: written as
    // an entity, it reads the same and can never become a tag in a Markdown viewer.
    inert(&markdown_raw(s)).replace('<', "&lt;")
}

fn markdown_raw(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Your next steps");
    let _ = writeln!(out);
    let _ = writeln!(out, "*{}. Prepared {}.*", s.title, s.prepared);
    let _ = writeln!(out);
    let _ = writeln!(out, "> {}", s.footer);
    let _ = writeln!(out);
    for n in &s.notices {
        let _ = writeln!(out, "**Please note:** {n}");
        let _ = writeln!(out);
    }
    md_top(&mut out, s);
    md_more(&mut out, s);
    if !s.answers.is_empty() {
        let _ = writeln!(out, "## What you told us");
        let _ = writeln!(out);
        for (i, a) in s.answers.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. {} **{}**",
                i + 1,
                a.question,
                md_escape(&a.answer)
            );
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
        for (i, src) in s.sources.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. [{}]({}) ({})",
                i + 1,
                src.title,
                src.url,
                src.dates()
            );
        }
        let _ = writeln!(out);
    }
    out
}

fn md_top(out: &mut String, s: &Summary) {
    let mut asked = s.top_asked().peekable();
    if asked.peek().is_some() {
        let _ = writeln!(out, "## Your questions");
        let _ = writeln!(out);
        for a in asked {
            let _ = writeln!(out, "### \"{}\"", a.title);
            let _ = writeln!(out);
            let _ = writeln!(out, "{}", md_lead(a));
            let _ = writeln!(out);
        }
    }
    if s.top_where().is_some() || s.next_date.is_some() {
        let _ = writeln!(out, "## Where you are now");
        let _ = writeln!(out);
        if let Some(w) = s.top_where() {
            let _ = writeln!(out, "{}", md_lead(w));
            let _ = writeln!(out);
        }
        if let Some(n) = &s.next_date {
            let _ = writeln!(out, "**Next date:** {}, {}.", n.long, n.title);
            let _ = writeln!(out);
        }
    }
    if !s.first.is_empty() {
        let _ = writeln!(out, "## Do these first");
        let _ = writeln!(out);
        for (i, st) in s.first_steps().enumerate() {
            md_step(out, s, &format!("{}. ", i + 1), st, &md_lead(st));
        }
    }
    if !s.who_can_help.is_empty() {
        let _ = writeln!(out, "## Who can help");
        let _ = writeln!(out);
        for c in s.helpers() {
            md_contact(out, &c.contact);
        }
        let _ = writeln!(out);
    }
}

fn md_lead(st: &Step) -> String {
    if st.rest().is_empty() {
        st.lead.clone()
    } else {
        format!("{} {MORE_BELOW}", st.lead)
    }
}

fn md_more(out: &mut String, s: &Summary) {
    let any =
        s.continued().next().is_some() || !s.more.is_empty() || s.other_contacts().next().is_some();
    if !any {
        return;
    }
    let _ = writeln!(out, "## More that may help");
    let _ = writeln!(out);
    for st in s.continued() {
        let title = match s.top_where() {
            Some(w) if w.id == st.id => "Where you are now".to_string(),
            _ => more_title(s, st),
        };
        let _ = writeln!(out, "### {title} (continued)");
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", st.rest());
        let _ = writeln!(out);
    }
    for st in s.more_items() {
        md_step(out, s, "", st, &st.body);
    }
    let mut others = s.other_contacts().peekable();
    if others.peek().is_some() {
        let _ = writeln!(out, "### Other organisations that may help");
        let _ = writeln!(out);
        for c in others {
            md_contact(out, &c.contact);
        }
        let _ = writeln!(out);
    }
}

fn md_step(out: &mut String, s: &Summary, mark: &str, st: &Step, text: &str) {
    let due = st
        .due
        .as_ref()
        .map(|d| format!(": {}", summary::when(d)))
        .unwrap_or_default();
    let _ = writeln!(out, "### {mark}{}{due}", more_title(s, st));
    let _ = writeln!(out);
    if let Some(note) = st.due.as_ref().and_then(|d| d.note.as_ref()) {
        let _ = writeln!(out, "*About this date:* {note}");
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "{text}");
    let _ = writeln!(out);
    if let Some(b) = s.because_of(st) {
        let _ = writeln!(out, "- *{}*", md_escape(&b));
    }
    if !st.contacts.is_empty() {
        let _ = writeln!(out, "- *Who can help:* {}", s.contact_names(&st.contacts));
    }
    if let Some(l) = st
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
    let numbers = s.source_numbers(&st.sources);
    if !numbers.is_empty() {
        let _ = writeln!(out, "- *Sources:* {numbers}");
    }
    let _ = writeln!(out);
}

fn md_contact(out: &mut String, c: &Contact) {
    let _ = writeln!(out, "- {}", contact_line(c));
    if let Some(note) = &c.note {
        let _ = writeln!(out, "  - Before you call: {note}");
    }
}

fn md_escape(s: &str) -> String {
    s.replace('*', "\\*").replace('_', "\\_")
}

/// JSON, for tools and tests.
pub fn json(s: &Summary) -> String {
    serde_json::to_string_pretty(s).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
