//! The lines of a question screen: the question, its help, its answers (or answer box), and
//! what is wrong with the answer; an information page; or why the questions cannot go on.
//!
//! A question and all of its answers show together or not at all: if the window cannot hold
//! them, the page says so and the wizard asks for a bigger window instead of showing part of
//! a question.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::app::{App, Form, Screen};
use super::strings as s;
use super::text::{self, clean, wrap, Glossary, Mark};
use super::view::{glossary, info_body, para, Theme};
use crate::core::calendar::long_date;
use crate::core::format::{GlossaryTerm, Node};
use crate::core::limits::DEFAULT_TEXT_MAX;
use crate::core::page;
use crate::core::session::Position;

/// The rows an answer box takes.
const BOX_HEIGHT: u16 = 3;

/// Lines of answers a choice must show with its question before the window is too small
/// (an answer may wrap onto two); the rest of a long list scrolls into view as the person
/// moves through it.
const MIN_OPTIONS_SHOWN: usize = 4;

/// What a screen shows in the body, before it is drawn.
pub(super) struct Page {
    pub lines: Vec<Line<'static>>,
    /// Where the person has scrolled to (when there is no focus).
    pub scroll: usize,
    /// Lines that must be in view (the answer picked, a problem).
    pub focus: Option<(usize, usize)>,
    /// An answer box goes under the lines (date, number and text questions).
    pub input: bool,
    /// The question and its answers do not fit together in the window.
    pub too_small: bool,
}

impl Page {
    pub(crate) fn scrolling(lines: Vec<Line<'static>>, scroll: usize) -> Page {
        Page {
            lines,
            scroll,
            focus: None,
            input: false,
            too_small: false,
        }
    }

    pub(crate) fn focused(lines: Vec<Line<'static>>, focus: Option<(usize, usize)>) -> Page {
        Page {
            focus,
            ..Page::scrolling(lines, 0)
        }
    }

    /// The room for the lines and, under them, for the answer box.
    pub(crate) fn areas(&self, body: Rect) -> (Rect, Option<Rect>) {
        if !self.input {
            return (body, None);
        }
        let text_h = (self.lines.len() as u16).min(body.height.saturating_sub(BOX_HEIGHT));
        (
            Rect::new(body.x, body.y, body.width, text_h),
            Some(Rect::new(
                body.x,
                body.y + text_h,
                body.width.min(72),
                BOX_HEIGHT,
            )),
        )
    }

    /// Marks the page too small if its first `essential` lines (the question and answers)
    /// cannot all show in `room` rows at once.
    fn needs(mut self, essential: usize, room: u16) -> Page {
        let room = room as usize;
        let fits = self.lines.len() <= room || essential < room;
        self.too_small = !fits;
        self
    }
}

/// The question or page on screen (the current one, or the one being changed).
pub(super) fn page(app: &App, body: Rect, theme: &Theme) -> Page {
    let width = body.width as usize;
    let g = glossary(app);
    let mut out: Vec<Line<'static>> = Vec::new();
    if let Screen::Change { .. } = app.screen {
        out.push(Line::styled(s::CHANGE_HEADING, theme.quiet));
    }
    if let (Screen::Question, Position::Blocked { message, .. }) =
        (&app.screen, app.session.position())
    {
        blocked(&mut out, g, message, width, theme);
        return Page::scrolling(out, app.scroll);
    }
    let Some(node) = app.shown_node() else {
        return Page::scrolling(out, 0);
    };
    let terms = app
        .page
        .as_ref()
        .map(|p| p.terms.clone())
        .unwrap_or_default();
    if let Node::Info(i) = node {
        para(&mut out, g, &i.title, theme.heading, width, theme);
        out.push(Line::raw(""));
        let (b, ok) = info_body(app, &i.body);
        para(&mut out, g, &b, Style::default(), width, theme);
        if !ok {
            para(&mut out, g, s::INFO_NOT_FILLED, theme.quiet, width, theme);
        }
        out.push(Line::raw(""));
        para(&mut out, g, s::INFO_CONTINUE, theme.strong, width, theme);
        words_line(&mut out, &terms, false, width, theme);
        return Page::scrolling(out, app.scroll);
    }
    let question = node.question().unwrap_or_default();
    para(&mut out, g, question, theme.heading, width, theme);
    if let Some(h) = node.help() {
        para(&mut out, g, h, Style::default(), width, theme);
    }
    out.push(Line::raw(""));
    let head = out.len();
    let form = &app.form;
    match node {
        Node::Choice(_) | Node::Multi(_) => {
            let focus = options(&mut out, g, (node, app.page.as_ref()), form, width, theme);
            // The question and a few answers at once; a longer list scrolls with the answer
            // picked, so a 12-answer question works in an 80x24 window.
            let essential = out.len().min(head + MIN_OPTIONS_SHOWN);
            error(&mut out, form, width, theme);
            if node_is_choice(node) && form.prefilled {
                out.push(Line::raw(""));
                para(&mut out, g, s::PREVIOUS_ANSWER, theme.quiet, width, theme);
            }
            words_line(&mut out, &terms, false, width, theme);
            let focus = match (node_is_choice(node), &form.error) {
                (true, e) => focus.or(e.as_ref().map(|_| (out.len() - 1, out.len()))),
                (false, Some(_)) => Some((out.len().saturating_sub(2), out.len())),
                (false, None) => focus,
            };
            Page::focused(out, focus).needs(essential, body.height)
        }
        Node::Date(_) | Node::Number(_) | Node::Text(_) => {
            para(
                &mut out,
                g,
                &typing_hint(app, node),
                theme.quiet,
                width,
                theme,
            );
            if form.prefilled {
                para(&mut out, g, s::PREVIOUS_ANSWER, theme.quiet, width, theme);
            }
            let essential = out.len();
            error(&mut out, form, width, theme);
            words_line(&mut out, &terms, true, width, theme);
            // The text, then the answer box right under it.
            let focus = form.error.as_ref().map(|_| (0, out.len()));
            Page {
                input: true,
                scroll: app.scroll,
                ..Page::focused(out, focus)
            }
            .needs(essential, body.height.saturating_sub(BOX_HEIGHT))
        }
        Node::Info(_) | Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_) => {
            Page::scrolling(out, 0)
        }
    }
}

fn node_is_choice(node: &Node) -> bool {
    matches!(node, Node::Choice(_))
}

/// Why the questions cannot go on, and the way out.
fn blocked(out: &mut Vec<Line<'static>>, g: &Glossary, message: &str, width: usize, theme: &Theme) {
    para(out, g, s::BLOCKED_HEADING, theme.heading, width, theme);
    out.push(Line::raw(""));
    para(out, g, message, Style::default(), width, theme);
    out.push(Line::raw(""));
    para(out, g, s::BLOCKED_HELP, theme.strong, width, theme);
}

/// What is wrong with the answer, if anything.
fn error(out: &mut Vec<Line<'static>>, form: &Form, width: usize, theme: &Theme) {
    if let Some(e) = &form.error {
        out.push(Line::raw(""));
        out.extend(wrap(
            &[Span::styled(
                format!("{}{}", s::ERROR_PREFIX, clean(e)),
                theme.error,
            )],
            width,
            Span::styled("! ", theme.error),
            Span::raw("  "),
        ));
    }
}

/// The answers of a choice (one of them) or multi (any of them) question, numbered, with
/// the one picked or under the cursor marked. Returns the lines of that one.
fn options(
    out: &mut Vec<Line<'static>>,
    g: &Glossary,
    (node, shown): (&Node, Option<&page::Page>),
    form: &Form,
    width: usize,
    theme: &Theme,
) -> Option<(usize, usize)> {
    let hint = match node {
        Node::Choice(_) => s::CHOICE_HINT,
        Node::Multi(_) => s::MULTI_HINT,
        _ => return None,
    };
    // In the order the page shows them (closest to the person's own words first), each with
    // the heading to show before it.
    let labels: Vec<(&str, Option<&str>)> = match shown {
        Some(p) if std::ptr::eq(p.node, node) => p
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| (o.label, p.heading_before(i)))
            .collect(),
        _ => node
            .option_labels()
            .into_iter()
            .map(|(l, _)| (l, None))
            .collect(),
    };
    let multi = !node_is_choice(node);
    para(out, g, hint, theme.quiet, width, theme);
    let mut focus = None;
    for (i, (label, heading)) in labels.into_iter().enumerate() {
        if let Some(h) = heading {
            para(out, g, h, theme.strong, width, theme);
        }
        let cursor = form.selected == Some(i);
        let ticked = multi && form.ticked.get(i).copied().unwrap_or(false);
        let start = out.len();
        let mark = match (multi, cursor) {
            (false, true) => format!(" › (•) {}. ", i + 1),
            (false, false) => format!("   ( ) {}. ", i + 1),
            (true, _) => format!(
                " {} [{}] {}. ",
                if cursor { "›" } else { " " },
                if ticked { "x" } else { " " },
                i + 1
            ),
        };
        let style = if cursor {
            theme.selected
        } else if ticked {
            theme.strong
        } else {
            Style::default()
        };
        let mark_style = if cursor || ticked {
            theme.strong
        } else {
            style
        };
        let indent = " ".repeat(text::width(&mark));
        let spans = g.mark(label, style, theme.marked);
        out.extend(wrap(
            &spans,
            width,
            Span::styled(mark, mark_style),
            Span::raw(indent),
        ));
        if cursor {
            focus = Some((start, out.len()));
        }
    }
    focus
}

/// How to type the answer to a date, number or text question.
fn typing_hint(app: &App, node: &Node) -> String {
    match node {
        Node::Date(_) => s::date_hint(&long_date(app.session.today())),
        Node::Number(n) => match s::number_range(n.min, n.max) {
            Some(r) => format!("{} {r}", s::NUMBER_HINT),
            None => s::NUMBER_HINT.to_string(),
        },
        Node::Text(t) => {
            let mut h = s::text_hint(t.max_length.unwrap_or(DEFAULT_TEXT_MAX));
            if t.optional {
                h.push(' ');
                h.push_str(s::TEXT_HINT_OPTIONAL);
            }
            h
        }
        _ => String::new(),
    }
}

/// The words on a question screen that the glossary explains, as one line.
pub(super) fn words_line(
    out: &mut Vec<Line<'static>>,
    terms: &[&GlossaryTerm],
    typing: bool,
    width: usize,
    theme: &Theme,
) {
    if terms.is_empty() {
        return;
    }
    let names: Vec<String> = terms.iter().map(|t| clean(&t.term)).collect();
    let label = if typing {
        s::WORDS_ON_PAGE_TYPING
    } else {
        s::WORDS_ON_PAGE
    };
    out.push(Line::raw(""));
    out.extend(wrap(
        &[
            Span::styled(label, theme.quiet),
            Span::styled(names.join(", "), theme.marked),
        ],
        width,
        Span::raw(""),
        Span::raw(""),
    ));
}
