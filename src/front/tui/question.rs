//! The question screen: its state (`Form`: the answer picked, the options ticked, the text
//! typed, what is wrong), how a message changes it, and its lines: the question, its help,
//! its answers (or answer box), and what is wrong with the answer; an information page; or why
//! the questions cannot go on. Built from the core's `Page` alone, as plain mode and the web
//! build theirs.
//!
//! A question and all of its answers show together or not at all: if the window cannot hold
//! them, the page says so and the wizard asks for a bigger window instead of showing part of
//! a question.

use jiff::civil::Date;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::line_input::LineInput;
use super::msg::Msg;
use super::strings as s;
use super::text::{self, clean, wrap, Glossary, Mark};
use super::widgets::{para, Body, Theme, BOX_HEIGHT};
use crate::core::calendar::long_date;
use crate::core::format::GlossaryTerm;
use crate::core::page::{Input, Page, Reply};
use crate::core::session::NodeKey;

/// Lines of answers a choice must show with its question before the window is too small
/// (an answer may wrap onto two); the rest of a long list scrolls into view as the person
/// moves through it.
const MIN_OPTIONS_SHOWN: usize = 4;

/// The state of the question being answered on screen. Options are counted in the order the
/// page shows them.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// The question this form is for.
    pub key: Option<NodeKey>,
    /// Choice: the highlighted answer (none until the person picks). Multi: the cursor.
    pub selected: Option<usize>,
    /// Multi: which options are ticked.
    pub ticked: Vec<bool>,
    pub input: LineInput,
    pub error: Option<String>,
    /// An earlier answer was filled in.
    pub prefilled: bool,
    /// The option number typed by the last key, if it was a digit: a second digit may extend it.
    pub typed_number: Option<usize>,
}

/// What a message did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Done {
    /// Nothing more to do.
    Nothing,
    /// The person confirmed: answer the page with this.
    Reply(Reply),
    /// The form had no use for it (a scrolling key on a page to read or a typed answer).
    Unused(Msg),
}

impl Form {
    /// A form for a page (or none), filled in with the page's earlier answer.
    pub(super) fn for_page(page: Option<&Page>) -> Form {
        let mut form = Form {
            key: page.map(|p| p.key.clone()),
            ..Form::default()
        };
        let Some(page) = page else {
            return form;
        };
        let earlier = page.earlier.as_ref();
        form.prefilled = earlier.is_some();
        match page.input {
            Input::One => {
                form.selected = earlier.and_then(|e| e.picked.first()).map(|n| n - 1);
            }
            Input::Several => {
                let picked = earlier.map(|e| e.picked.as_slice()).unwrap_or_default();
                form.ticked = page
                    .options
                    .iter()
                    .map(|o| picked.contains(&o.number))
                    .collect();
                form.selected = Some(0);
            }
            Input::Date | Input::Number { .. } | Input::Text { .. } => {
                form.input = LineInput::suggested(earlier.map_or("", |e| e.typed.as_str()));
            }
            Input::Continue => form.prefilled = false,
        }
        form
    }

    /// Applies a message to the form of `page`. A digit after a digit extends the number
    /// ("1", "0": the tenth) when the list is long enough; anything else starts afresh.
    pub(super) fn update(&mut self, page: &Page, msg: Msg) -> Done {
        let n = page.options.len();
        let before = self.typed_number.take();
        let msg = match msg {
            Msg::Digit(d) => {
                let number = match before {
                    Some(prev) if (1..=n).contains(&(prev * 10 + d)) => prev * 10 + d,
                    _ => d,
                };
                if (1..=n).contains(&number) {
                    self.typed_number = Some(number);
                }
                // A multi question ticked the first digit's option; the two digits mean another.
                if number != d && page.input == Input::Several {
                    if let Some(prev) = before {
                        self.toggle(page, prev - 1);
                    }
                }
                Msg::Digit(number)
            }
            other => other,
        };
        match page.input {
            Input::One => self.update_choice(n, msg),
            Input::Several => self.update_multi(page, msg),
            Input::Continue => match msg {
                Msg::Confirm => Done::Reply(Reply::Continue),
                m => Done::Unused(m),
            },
            Input::Date | Input::Number { .. } | Input::Text { .. } => match msg {
                Msg::Edit(e) => {
                    self.input.apply(e);
                    Done::Nothing
                }
                Msg::Confirm => Done::Reply(Reply::Typed(self.input.text.clone())),
                m => Done::Unused(m),
            },
        }
    }

    fn update_choice(&mut self, n: usize, msg: Msg) -> Done {
        match msg {
            Msg::Up => self.selected = Some(self.selected.map_or(0, |i| i.saturating_sub(1))),
            Msg::Down => self.selected = Some(self.selected.map_or(0, |i| (i + 1).min(n - 1))),
            Msg::Top => self.selected = Some(0),
            Msg::Bottom => self.selected = Some(n - 1),
            Msg::Digit(number) if (1..=n).contains(&number) => {
                self.selected = Some(number - 1);
                self.error = None;
            }
            Msg::Digit(_) => self.error = Some(s::NO_CHOICE.to_string()),
            Msg::Confirm => match self.selected {
                Some(i) => return Done::Reply(Reply::Pick(i + 1)),
                None => self.error = Some(s::NO_CHOICE.to_string()),
            },
            _ => {}
        }
        Done::Nothing
    }

    fn update_multi(&mut self, page: &Page, msg: Msg) -> Done {
        let n = page.options.len();
        let cursor = self.selected.unwrap_or(0);
        match msg {
            Msg::Up => self.selected = Some(cursor.saturating_sub(1)),
            Msg::Down => self.selected = Some((cursor + 1).min(n - 1)),
            Msg::Top => self.selected = Some(0),
            Msg::Bottom => self.selected = Some(n - 1),
            Msg::Toggle => self.toggle(page, cursor),
            Msg::Digit(number) if (1..=n).contains(&number) => {
                self.selected = Some(number - 1);
                self.toggle(page, number - 1);
            }
            Msg::Confirm => {
                let numbers = (self.ticked.iter().enumerate())
                    .filter(|(_, t)| **t)
                    .map(|(i, _)| i + 1)
                    .collect();
                return Done::Reply(Reply::Tick(numbers));
            }
            _ => {}
        }
        Done::Nothing
    }

    /// Ticks or unticks an option (by its place on the page); "none of these" and the others
    /// exclude each other.
    fn toggle(&mut self, page: &Page, i: usize) {
        let options = &page.options;
        if self.ticked.len() != options.len() {
            self.ticked = vec![false; options.len()];
        }
        let on = !self.ticked[i];
        self.ticked[i] = on;
        if on {
            let exclusive = options[i].exclusive;
            for (j, o) in options.iter().enumerate() {
                if j != i && (exclusive || o.exclusive) {
                    self.ticked[j] = false;
                }
            }
        }
        self.error = None;
    }
}

/// What the question screen shows: the page (the current one, or the one being changed), the
/// form over it, and why the questions cannot go on if they cannot.
pub(super) struct Shown<'a, 'l> {
    pub page: Option<&'a Page<'l>>,
    pub form: &'a Form,
    /// The session cannot go on (and the screen is the current question): why.
    pub blocked: Option<&'a str>,
    /// An earlier answer is being changed (from "Check your answers").
    pub changing: bool,
    pub today: Date,
    pub scroll: usize,
}

/// The question or page on screen.
pub(super) fn body(shown: &Shown, g: &Glossary, body: Rect, theme: &Theme) -> Body {
    let width = body.width as usize;
    let mut out: Vec<Line<'static>> = Vec::new();
    if shown.changing {
        out.push(Line::styled(s::CHANGE_HEADING, theme.quiet));
    }
    if let Some(message) = shown.blocked {
        blocked(&mut out, g, message, width, theme);
        return Body::scrolling(out, shown.scroll);
    }
    let Some(page) = shown.page else {
        return Body::scrolling(out, 0);
    };
    let terms = &page.terms;
    let form = shown.form;
    if page.input == Input::Continue {
        para(&mut out, g, page.heading, theme.heading, width, theme);
        out.push(Line::raw(""));
        let text = page.body.as_deref().unwrap_or_default();
        para(&mut out, g, text, Style::default(), width, theme);
        if page.body_unfilled {
            para(&mut out, g, s::INFO_NOT_FILLED, theme.quiet, width, theme);
        }
        out.push(Line::raw(""));
        para(&mut out, g, s::INFO_CONTINUE, theme.strong, width, theme);
        words_line(&mut out, terms, false, width, theme);
        return Body::scrolling(out, shown.scroll);
    }
    para(&mut out, g, page.heading, theme.heading, width, theme);
    if let Some(h) = page.help {
        para(&mut out, g, h, Style::default(), width, theme);
    }
    out.push(Line::raw(""));
    let head = out.len();
    let choice = page.input == Input::One;
    if matches!(page.input, Input::One | Input::Several) {
        let focus = options(&mut out, g, page, form, width, theme);
        // The question and a few answers at once; a longer list scrolls with the answer
        // picked, so a 12-answer question works in an 80x24 window.
        let essential = out.len().min(head + MIN_OPTIONS_SHOWN);
        error(&mut out, form, width, theme);
        if choice && form.prefilled {
            out.push(Line::raw(""));
            para(&mut out, g, s::PREVIOUS_ANSWER, theme.quiet, width, theme);
        }
        words_line(&mut out, terms, false, width, theme);
        let focus = match (choice, &form.error) {
            (true, e) => focus.or(e.as_ref().map(|_| (out.len() - 1, out.len()))),
            (false, Some(_)) => Some((out.len().saturating_sub(2), out.len())),
            (false, None) => focus,
        };
        return Body::focused(out, focus).needs(essential, body.height);
    }
    let hint = typing_hint(page, shown.today);
    para(&mut out, g, &hint, theme.quiet, width, theme);
    if form.prefilled {
        para(&mut out, g, s::PREVIOUS_ANSWER, theme.quiet, width, theme);
    }
    let essential = out.len();
    error(&mut out, form, width, theme);
    words_line(&mut out, terms, true, width, theme);
    // The text, then the answer box right under it.
    let focus = form.error.as_ref().map(|_| (0, out.len()));
    Body {
        input: true,
        scroll: shown.scroll,
        ..Body::focused(out, focus)
    }
    .needs(essential, body.height.saturating_sub(BOX_HEIGHT))
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

/// The answers of a choice (one of them) or multi (any of them) question, numbered in the
/// order the page shows them (closest to the person's own words first, each with the heading to
/// show before it), with the one picked or under the cursor marked. Returns its lines.
fn options(
    out: &mut Vec<Line<'static>>,
    g: &Glossary,
    page: &Page,
    form: &Form,
    width: usize,
    theme: &Theme,
) -> Option<(usize, usize)> {
    let multi = page.input == Input::Several;
    let hint = if multi { s::MULTI_HINT } else { s::CHOICE_HINT };
    para(out, g, hint, theme.quiet, width, theme);
    let mut focus = None;
    for (i, o) in page.options.iter().enumerate() {
        if let Some(h) = page.heading_before(i) {
            para(out, g, h, theme.strong, width, theme);
        }
        let label = o.label;
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
fn typing_hint(page: &Page, today: Date) -> String {
    match page.input {
        Input::Date => s::date_hint(&long_date(today)),
        Input::Number { .. } => match page.number_range() {
            Some(r) => format!("{} {r}", s::NUMBER_HINT),
            None => s::NUMBER_HINT.to_string(),
        },
        Input::Text { max, optional } => {
            let mut h = s::text_hint(max);
            if optional {
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
