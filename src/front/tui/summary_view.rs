//! The summary and the letters as screen lines: the same content as the text renderer, with
//! headings and glossary words marked.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::app::App;
use super::strings as s;
use super::text::{clean, wrap, Glossary, Mark};
use super::view::{labelled, para, Theme};
use crate::core::render::contact_line;
use crate::core::summary::{Step, Summary};

type Lines = Vec<Line<'static>>;

/// The whole summary, in the order a family reads it.
pub(super) fn summary_lines(sum: &Summary, g: &Glossary, width: usize, theme: &Theme) -> Lines {
    let mut out = Vec::new();
    opening(&mut out, sum, g, width, theme);
    if sum.steps.is_empty() {
        out.push(Line::raw(""));
        para(
            &mut out,
            g,
            s::SUMMARY_NO_STEPS,
            Style::default(),
            width,
            theme,
        );
    }
    for (i, step) in sum.steps.iter().enumerate() {
        step_lines(&mut out, sum, i, step, g, width, theme);
    }
    contacts(&mut out, sum, g, width, theme);
    closing(&mut out, sum, g, width, theme);
    out
}

fn bullet(out: &mut Lines, spans: Vec<Span<'static>>, width: usize) {
    out.extend(wrap(&spans, width, Span::raw("• "), Span::raw("  ")));
}

/// The heading, notices, where the family stands and answers to their own questions: all
/// before any step.
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
        labelled(out, g, s::SUMMARY_NOTE, n, width, theme);
    }
    for (heading, items, quoted) in [
        (s::SUMMARY_WHERE, &sum.where_now, false),
        (s::SUMMARY_ASKED, &sum.asked, true),
    ] {
        if items.is_empty() {
            continue;
        }
        out.push(Line::raw(""));
        para(out, g, heading, theme.heading, width, theme);
        for item in items {
            let title = if quoted {
                format!("\u{201c}{}\u{201d}", item.title)
            } else {
                item.title.clone()
            };
            out.push(Line::raw(""));
            para(out, g, &title, theme.strong, width, theme);
            para(out, g, &item.body, Style::default(), width, theme);
        }
    }
}

/// One numbered step: its title, key date, what to do, why, and who and what can help.
fn step_lines(
    out: &mut Lines,
    sum: &Summary,
    i: usize,
    step: &Step,
    g: &Glossary,
    width: usize,
    theme: &Theme,
) {
    out.push(Line::raw(""));
    let mark = format!("{}. ", i + 1);
    let indent = " ".repeat(mark.len());
    out.extend(wrap(
        &g.mark(&step.title, theme.heading, theme.marked),
        width,
        Span::styled(mark, theme.heading),
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
    sub(out, g.mark(&step.body, Style::default(), theme.marked));
    for b in &step.because {
        sub(
            out,
            vec![
                Span::styled(s::SUMMARY_WHY, theme.strong),
                Span::raw(clean(b)),
            ],
        );
    }
    let names: Vec<String> = step
        .contacts
        .iter()
        .filter_map(|id| sum.contacts.iter().find(|c| &c.id == id))
        .map(|c| clean(&c.contact.name))
        .collect();
    if !names.is_empty() {
        sub(
            out,
            vec![
                Span::styled(s::SUMMARY_HELP_HERE, theme.strong),
                Span::raw(names.join("; ")),
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
    let sources: Vec<String> = step
        .sources
        .iter()
        .filter_map(|id| sum.sources.iter().find(|x| &x.id == id))
        .map(|x| clean(&x.title))
        .collect();
    if !sources.is_empty() {
        sub(
            out,
            vec![
                Span::styled(s::SUMMARY_SOURCES, theme.quiet),
                Span::styled(sources.join("; "), theme.quiet),
            ],
        );
    }
}

/// Who can help, and what to have ready before calling.
fn contacts(out: &mut Lines, sum: &Summary, g: &Glossary, width: usize, theme: &Theme) {
    if sum.contacts.is_empty() {
        return;
    }
    out.push(Line::raw(""));
    para(out, g, s::SUMMARY_CONTACTS, theme.heading, width, theme);
    for c in &sum.contacts {
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
        for a in &sum.answers {
            let mut spans = g.mark(&a.question, Style::default(), theme.marked);
            spans.push(Span::raw(" "));
            spans.push(Span::styled(clean(&a.answer), theme.strong));
            bullet(out, spans, width);
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
        for src in &sum.sources {
            let line = s::source_line(&src.title, &src.url, &src.checked);
            bullet(out, vec![Span::raw(clean(&line))], width);
        }
    }
}

/// One letter to send, with what to fill in.
pub(super) fn letter_lines(
    app: &App,
    index: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(sum) = &app.summary else {
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
