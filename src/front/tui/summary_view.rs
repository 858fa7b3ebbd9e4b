//! The summary and the letters as screen lines: the same content as the text renderer, with
//! headings and glossary words marked.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::strings as s;
use super::text::{clean, wrap, Glossary, Mark};
use super::widgets::{labelled, para, Theme};
use crate::core::render::contact_line;
use crate::core::summary::{ContactEntry, Step, Summary};

type Lines = Vec<Line<'static>>;

/// Which items under "More that may help" are open, and which one the keys act on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fold {
    /// The item Enter opens or closes (an index into `folded`), once Tab has chosen one.
    pub selected: Option<usize>,
    /// The items open.
    pub open: std::collections::BTreeSet<usize>,
}

/// The items under "More that may help", in order: the rest of what the top part began, then
/// every other item. Each is shown as its title until opened.
pub(super) fn folded(sum: &Summary) -> Vec<(String, &Step, bool)> {
    let continued = sum.continued().map(|st| {
        let title = match sum.top_where() {
            Some(w) if w.id == st.id => s::SUMMARY_WHERE.to_string(),
            _ => item_title(sum, st),
        };
        (s::continued(&title), st, true)
    });
    let more = sum.more_items().map(|st| (item_title(sum, st), st, false));
    continued.chain(more).collect()
}

/// A question the person asked is in quotation marks, as their own words.
fn item_title(sum: &Summary, st: &Step) -> String {
    if sum.asked.iter().any(|a| a.id == st.id) {
        format!("\u{201c}{}\u{201d}", st.title)
    } else {
        st.title.clone()
    }
}

/// The whole summary, in the order a family reads it, and the line of each item under "More
/// that may help" (so the wizard can scroll to the one chosen).
pub(super) fn summary_lines(
    sum: &Summary,
    fold: &Fold,
    g: &Glossary,
    width: usize,
    theme: &Theme,
) -> (Lines, Vec<usize>) {
    let mut out = Vec::new();
    opening(&mut out, sum, g, width, theme);
    if sum.first.is_empty() {
        out.push(Line::raw(""));
        para(
            &mut out,
            g,
            s::SUMMARY_NO_STEPS,
            Style::default(),
            width,
            theme,
        );
    } else {
        out.push(Line::raw(""));
        para(&mut out, g, s::SUMMARY_FIRST, theme.heading, width, theme);
    }
    for (i, step) in sum.first_steps().enumerate() {
        let text = lead(step);
        step_lines(
            &mut out,
            sum,
            &format!("{}. ", i + 1),
            step,
            &text,
            g,
            width,
            theme,
        );
    }
    contacts(&mut out, sum, g, width, theme);
    let at = more(&mut out, sum, fold, g, width, theme);
    closing(&mut out, sum, g, width, theme);
    (out, at)
}

/// An item's lead, saying when more of it is below.
fn lead(st: &Step) -> String {
    if st.rest().is_empty() {
        st.lead.clone()
    } else {
        format!("{} {}", st.lead, s::SUMMARY_MORE_BELOW)
    }
}

fn bullet(out: &mut Lines, spans: Vec<Span<'static>>, width: usize) {
    out.extend(wrap(&spans, width, Span::raw("• "), Span::raw("  ")));
}

/// The heading, notices, answers to the person's own questions and where the family stands:
/// all before any step.
fn opening(out: &mut Lines, sum: &Summary, g: &Glossary, width: usize, theme: &Theme) {
    para(out, g, s::SUMMARY_HEADING, theme.heading, width, theme);
    para(
        out,
        g,
        &s::summary_prepared(&sum.title, &sum.prepared),
        Style::default(),
        width,
        theme,
    );
    para(out, g, &sum.footer, theme.strong, width, theme);
    for n in &sum.notices {
        out.push(Line::raw(""));
        labelled(out, g, s::SUMMARY_NOTE, &n.text, width, theme);
    }
    let mut asked = sum.top_asked().peekable();
    if asked.peek().is_some() {
        out.push(Line::raw(""));
        para(out, g, s::SUMMARY_ASKED, theme.heading, width, theme);
        for item in asked {
            out.push(Line::raw(""));
            para(out, g, &item_title(sum, item), theme.strong, width, theme);
            para(out, g, &lead(item), Style::default(), width, theme);
        }
    }
    if sum.top_where().is_some() || sum.next_date.is_some() {
        out.push(Line::raw(""));
        para(out, g, s::SUMMARY_WHERE, theme.heading, width, theme);
        if let Some(w) = sum.top_where() {
            para(out, g, &lead(w), Style::default(), width, theme);
        }
        if let Some(n) = &sum.next_date {
            labelled(
                out,
                g,
                s::SUMMARY_NEXT_DATE,
                &s::next_date(&n.long, &n.title),
                width,
                theme,
            );
        }
    }
}

/// One step: its mark and title, key date, `text`, why, and who and what can help.
#[allow(clippy::too_many_arguments)]
fn step_lines(
    out: &mut Lines,
    sum: &Summary,
    mark: &str,
    step: &Step,
    text: &str,
    g: &Glossary,
    width: usize,
    theme: &Theme,
) {
    out.push(Line::raw(""));
    let indent = " ".repeat(mark.chars().count());
    out.extend(wrap(
        &g.mark(&step.title, theme.heading, theme.marked),
        width,
        Span::styled(mark.to_string(), theme.heading),
        Span::raw(indent.clone()),
    ));
    let sub = |out: &mut Lines, spans: Vec<Span<'static>>| {
        out.extend(wrap(
            &spans,
            width,
            Span::raw(indent.clone()),
            Span::raw(indent.clone()),
        ));
    };
    if let Some(d) = &step.due {
        let due = s::summary_due(&d.long, d.passed);
        sub(out, vec![Span::styled(due, theme.strong)]);
        if let Some(note) = &d.note {
            sub(out, vec![Span::raw(clean(note))]);
        }
    }
    for (i, p) in text.split("\n\n").enumerate() {
        if i > 0 {
            out.push(Line::raw(""));
        }
        sub(out, g.mark(p, Style::default(), theme.marked));
    }
    if let Some(b) = sum.because_of(step) {
        sub(out, vec![Span::raw(clean(&b))]);
    }
    let names = sum.contact_names(&step.contacts);
    if !names.is_empty() {
        sub(
            out,
            vec![
                Span::styled(s::SUMMARY_HELP_HERE, theme.strong),
                Span::raw(clean(&names)),
            ],
        );
    }
    if let Some(l) = step
        .letter
        .as_ref()
        .and_then(|id| sum.letters.iter().find(|l| &l.id == id))
    {
        let line = s::summary_letter(&clean(&l.title));
        sub(out, vec![Span::styled(line, theme.strong)]);
    }
    let numbers = sum.source_numbers(&step.sources);
    if !numbers.is_empty() {
        sub(
            out,
            vec![
                Span::styled(s::SUMMARY_SOURCES, theme.quiet),
                Span::styled(numbers, theme.quiet),
            ],
        );
    }
}

fn contact(out: &mut Lines, c: &ContactEntry, width: usize, theme: &Theme) {
    bullet(
        out,
        vec![Span::raw(clean(&contact_line(&c.contact)))],
        width,
    );
    if let Some(note) = &c.contact.note {
        out.extend(wrap(
            &[
                Span::styled(s::SUMMARY_BEFORE_CALL, theme.strong),
                Span::raw(clean(note)),
            ],
            width,
            Span::raw("  "),
            Span::raw("  "),
        ));
    }
}

/// Who can help, and what to have ready before calling.
fn contacts(out: &mut Lines, sum: &Summary, g: &Glossary, width: usize, theme: &Theme) {
    if sum.who_can_help.is_empty() {
        return;
    }
    out.push(Line::raw(""));
    para(out, g, s::SUMMARY_CONTACTS, theme.heading, width, theme);
    for c in sum.helpers() {
        contact(out, c, width, theme);
    }
}

/// "More that may help": each item as its title, closed until the person opens it; then the
/// organisations not under "Who can help". Returns the line of the selected item.
fn more(
    out: &mut Lines,
    sum: &Summary,
    fold: &Fold,
    g: &Glossary,
    width: usize,
    theme: &Theme,
) -> Vec<usize> {
    let items = folded(sum);
    let others: Vec<&ContactEntry> = sum.other_contacts().collect();
    let mut at = Vec::new();
    if items.is_empty() && others.is_empty() {
        return at;
    }
    out.push(Line::raw(""));
    para(out, g, s::SUMMARY_MORE, theme.heading, width, theme);
    if !items.is_empty() {
        para(out, g, s::SUMMARY_MORE_HOW, theme.quiet, width, theme);
    }
    for (i, (title, st, continued)) in items.iter().enumerate() {
        let open = fold.open.contains(&i);
        let chosen = fold.selected == Some(i);
        out.push(Line::raw(""));
        at.push(out.len());
        let mark = match (chosen, open) {
            (true, true) => "› [-] ",
            (true, false) => "› [+] ",
            (false, true) => "  [-] ",
            (false, false) => "  [+] ",
        };
        let style = if chosen { theme.selected } else { theme.strong };
        out.extend(wrap(
            &[Span::styled(clean(title), style)],
            width,
            Span::styled(mark, theme.strong),
            Span::raw("      "),
        ));
        if !open {
            continue;
        }
        if *continued {
            let pad = "      ".to_string();
            for p in st.rest().split("\n\n") {
                out.extend(wrap(
                    &g.mark(p, Style::default(), theme.marked),
                    width,
                    Span::raw(pad.clone()),
                    Span::raw(pad.clone()),
                ));
            }
        } else {
            step_lines(out, sum, "      ", st, &st.body, g, width, theme);
        }
    }
    if !others.is_empty() {
        out.push(Line::raw(""));
        para(
            out,
            g,
            s::SUMMARY_OTHER_CONTACTS,
            theme.strong,
            width,
            theme,
        );
        for c in others {
            contact(out, c, width, theme);
        }
    }
    at
}

/// The letters, what the family told us, and where the advice comes from.
fn closing(out: &mut Lines, sum: &Summary, g: &Glossary, width: usize, theme: &Theme) {
    if !sum.letters.is_empty() {
        out.push(Line::raw(""));
        para(out, g, s::SUMMARY_LETTERS, theme.heading, width, theme);
        for (i, l) in sum.letters.iter().enumerate() {
            let line = s::letter_line(i + 1, &clean(&l.title));
            bullet(out, vec![Span::raw(line)], width);
        }
    }
    // What they told us comes after the steps here (they have just checked it), so the
    // steps are the first thing on screen.
    if !sum.answers.is_empty() {
        out.push(Line::raw(""));
        para(out, g, s::SUMMARY_TOLD_US, theme.heading, width, theme);
        for (i, a) in sum.answers.iter().enumerate() {
            let mark = format!("{}. ", i + 1);
            let mut spans = g.mark(&a.question, Style::default(), theme.marked);
            spans.push(Span::raw(" "));
            spans.push(Span::styled(clean(&a.answer), theme.strong));
            let pad = " ".repeat(mark.len());
            out.extend(wrap(&spans, width, Span::raw(mark), Span::raw(pad)));
        }
    }
    if !sum.sources.is_empty() {
        out.push(Line::raw(""));
        para(
            out,
            g,
            s::SUMMARY_SOURCES_HEADING,
            theme.heading,
            width,
            theme,
        );
        for (i, src) in sum.sources.iter().enumerate() {
            let line = s::source_line(&src.title, &src.url, &src.dates());
            let mark = format!("{}. ", i + 1);
            let pad = " ".repeat(mark.len());
            out.extend(wrap(
                &[Span::raw(clean(&line))],
                width,
                Span::raw(mark),
                Span::raw(pad),
            ));
        }
    }
}

/// One letter to send, with what to fill in.
pub(super) fn letter_lines(
    sum: Option<&Summary>,
    index: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(sum) = sum else {
        return out;
    };
    let Some(l) = sum.letters.get(index) else {
        return out;
    };
    let g = Glossary::new(std::iter::empty());
    para(
        &mut out,
        &g,
        &s::letter_heading(index + 1, sum.letters.len(), &l.title),
        theme.heading,
        width,
        theme,
    );
    para(&mut out, &g, s::LETTER_FILL_IN, theme.strong, width, theme);
    out.push(Line::raw(""));
    para(&mut out, &g, &l.body, Style::default(), width, theme);
    out.push(Line::raw(""));
    para(&mut out, &g, s::LETTER_SAVE_HINT, theme.quiet, width, theme);
    out
}
