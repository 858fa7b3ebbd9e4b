//! Drawing the model. `view` is a function of the App alone (it only records how much fits, so
//! scrolling keys know the page size). Every piece of tree text goes through `text::clean`
//! before it reaches the terminal; nothing is shown by colour alone.

use ratatui::layout::{Position as CursorPos, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::app::{App, CheckFrom, Confirm, LineInput, Popup, SaveKind, Screen};
use super::keys::{self, Context};
use super::strings as s;
use super::text::{self, clean, wrap, Glossary};
use crate::core::calendar::long_date;
use crate::core::format::{GlossaryTerm, Node};
use crate::core::limits::DEFAULT_TEXT_MAX;
use crate::core::render::contact_line;
use crate::core::session::Position;
use crate::core::summary::Summary;

/// The smallest window the layout works in; below it the wizard asks for a bigger window.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Styles, with or without colour. Every colour is paired with a modifier or with words.
#[derive(Clone, Copy)]
struct Theme {
    heading: Style,
    strong: Style,
    marked: Style,
    selected: Style,
    error: Style,
    key: Style,
    quiet: Style,
    leave: Style,
    status: Style,
}

impl Theme {
    fn new(color: bool) -> Theme {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let c = |style: Style, color_: Color| if color { style.fg(color_) } else { style };
        Theme {
            heading: c(bold, Color::Cyan),
            strong: bold,
            marked: c(
                Style::default().add_modifier(Modifier::UNDERLINED),
                Color::LightBlue,
            ),
            selected: bold.add_modifier(Modifier::REVERSED),
            error: c(bold, Color::LightRed),
            key: c(bold, Color::Yellow),
            quiet: if color {
                Style::default().fg(Color::Gray)
            } else {
                Style::default()
            },
            leave: bold.add_modifier(Modifier::REVERSED),
            status: c(bold, Color::LightGreen),
        }
    }
}

/// Draws the whole screen.
pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(app.color);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, &theme);
        return;
    }
    let width = area.width as usize;
    let inner_w = width.saturating_sub(2).max(1);

    let header = header_lines(app, width, &theme);
    let footer = footer_lines(app, width, &theme);
    let details = if app.details {
        details_lines(app, inner_w, &theme)
    } else {
        Vec::new()
    };
    let top = header.len() as u16;
    let bottom = footer.len() as u16 + details.len() as u16;
    if top + bottom + 3 > area.height {
        too_small(frame, area, &theme);
        return;
    }
    frame.render_widget(
        Paragraph::new(header),
        Rect::new(area.x, area.y, area.width, top),
    );
    frame.render_widget(
        Paragraph::new(footer.clone()),
        Rect::new(
            area.x,
            area.bottom() - footer.len() as u16,
            area.width,
            footer.len() as u16,
        ),
    );
    if !details.is_empty() {
        frame.render_widget(
            Paragraph::new(details.clone()),
            Rect::new(
                area.x + 1,
                area.bottom() - bottom,
                area.width.saturating_sub(2),
                details.len() as u16,
            ),
        );
    }
    let body = Rect::new(
        area.x + 1,
        area.y + top,
        area.width.saturating_sub(2),
        area.height - top - bottom,
    );
    match &app.screen {
        Screen::Start => {
            let lines = start_lines(app, inner_w, &theme);
            scrolled(app, frame, body, lines, app.scroll, None, &theme);
        }
        Screen::Question | Screen::Change { .. } => question(app, frame, body, &theme),
        Screen::Check { selected, from } => {
            let (lines, focus) = check_lines(app, *selected, *from, inner_w, &theme);
            scrolled(app, frame, body, lines, 0, Some(focus), &theme);
        }
        Screen::Summary => {
            let lines = match &app.summary {
                Some(sum) => summary_lines(sum, &glossary(app), inner_w, &theme),
                None => Vec::new(),
            };
            scrolled(app, frame, body, lines, app.scroll, None, &theme);
        }
        Screen::Letter { index } => {
            let lines = letter_lines(app, *index, inner_w, &theme);
            scrolled(app, frame, body, lines, app.scroll, None, &theme);
        }
    }
    match &app.popup {
        Some(Popup::Glossary { scroll }) => glossary_popup(app, frame, area, *scroll, &theme),
        Some(Popup::Save {
            kind, input, error, ..
        }) => save_popup(app, frame, area, *kind, input, error.as_deref(), &theme),
        Some(Popup::Confirm(c)) => confirm_popup(frame, area, *c, &theme),
        None => {}
    }
}

fn glossary<'l>(app: &App<'l>) -> Glossary<'l> {
    Glossary::new(app.library().glossary.values())
}

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let w = area.width as usize;
    let mut lines = wrap(
        &[Span::styled(s::TOO_SMALL, theme.strong)],
        w,
        Span::raw(""),
        Span::raw(""),
    );
    if area.height as usize > lines.len() + 1 {
        lines.push(Line::raw(""));
    }
    lines.extend(wrap(
        &[Span::styled(s::LEAVE_NOW_SHORT, theme.leave)],
        w,
        Span::raw(""),
        Span::raw(""),
    ));
    lines.truncate(area.height as usize);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines), area);
}

fn tree_title(app: &App) -> String {
    app.library()
        .flow(app.session.root())
        .map(|f| clean(&f.tree.title))
        .unwrap_or_default()
}

fn header_lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let title = format!(" {}: {}", s::APP, tree_title(app));
    let leave = format!(" {} ", s::LEAVE_NOW);
    let mut lines = Vec::new();
    let lw = text::width(&leave);
    if text::width(&title) + lw < width {
        let gap = width - text::width(&title) - lw;
        lines.push(Line::from(vec![
            Span::styled(title, theme.heading),
            Span::raw(" ".repeat(gap)),
            Span::styled(leave, theme.leave),
        ]));
    } else {
        lines.extend(wrap(
            &[Span::styled(title.trim_start().to_string(), theme.heading)],
            width.saturating_sub(1),
            Span::raw(" "),
            Span::raw(" "),
        ));
        lines.push(Line::from(Span::styled(leave, theme.leave)));
    }
    if matches!(app.screen, Screen::Question)
        && matches!(app.session.position(), Position::Asking(_))
    {
        lines.push(progress_line(app, width, theme));
    } else {
        lines.push(Line::styled("─".repeat(width), theme.quiet));
    }
    lines
}

fn progress_line(app: &App, width: usize, theme: &Theme) -> Line<'static> {
    let left = app.session.remaining_estimate().saturating_sub(1);
    let words = if left == 0 {
        s::PROGRESS_LAST.to_string()
    } else {
        s::progress_more(left)
    };
    let bar_w = width.saturating_sub(text::width(&words) + 3).min(40);
    let filled = (bar_w * app.progress as usize / 1000).min(bar_w);
    Line::from(vec![
        Span::raw(" "),
        Span::styled("█".repeat(filled), theme.strong),
        Span::styled("░".repeat(bar_w - filled), theme.quiet),
        Span::raw(" "),
        Span::styled(words, theme.quiet),
    ])
}

fn footer_lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("─".repeat(width), theme.quiet)];
    let inner = width.saturating_sub(2).max(1);
    if app.esc_armed {
        lines.extend(wrap(
            &[Span::styled(s::ESC_ARMED, theme.leave)],
            inner,
            Span::raw(" "),
            Span::raw(" "),
        ));
    } else if let Some(st) = &app.status {
        lines.extend(wrap(
            &[Span::styled(st.clone(), theme.status)],
            inner,
            Span::raw(" "),
            Span::raw(" "),
        ));
    }
    let ctx = match app.context() {
        // The popup shows its own keys; the screen's keys stay below it.
        Context::GlossaryPopup | Context::ConfirmPopup | Context::SavePopup => screen_context(app),
        c => c,
    };
    let letters = app.summary.as_ref().map_or(0, |s| s.letters.len());
    let mut hints = keys::hints(ctx, letters);
    if let Screen::Check { selected, .. } = &app.screen {
        // Enter changes the answer picked, or continues from the last row.
        if *selected + 1 >= app.check_rows() {
            for h in hints.iter_mut().filter(|h| **h == s::K_ENTER_CHANGE) {
                *h = s::K_ENTER_CONTINUE;
            }
        }
    }
    lines.extend(hint_lines(&hints, width, theme));
    lines
}

/// The context of the screen under any popup.
fn screen_context(app: &App) -> Context {
    match &app.screen {
        Screen::Start => Context::Start,
        Screen::Check { .. } => Context::Check,
        Screen::Summary => Context::Summary,
        Screen::Letter { .. } => Context::Letter,
        Screen::Question | Screen::Change { .. } => match app.shown_node() {
            Some(Node::Choice(_)) => Context::Choice,
            Some(Node::Multi(_)) => Context::Multi,
            Some(Node::Info(_)) => Context::Info,
            Some(Node::Date(_) | Node::Number(_) | Node::Text(_)) => Context::Typing,
            _ => Context::Blocked,
        },
    }
}

/// Key hints, wrapped so that no hint is split across lines.
fn hint_lines(hints: &[(&str, &str)], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut line: Vec<Span<'static>> = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, what) in hints {
        let w = text::width(key) + 1 + text::width(what);
        let gap = if used > 1 { 3 } else { 0 };
        if used > 1 && used + gap + w > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            line.push(Span::raw(" "));
            used = 1;
        }
        if used > 1 {
            line.push(Span::raw("   "));
            used += 3;
        }
        line.push(Span::styled(key.to_string(), theme.key));
        line.push(Span::raw(format!(" {what}")));
        used += w;
    }
    if used > 1 {
        lines.push(Line::from(line));
    }
    lines
}

fn details_lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!("── {} ", s::DETAILS_TITLE),
        theme.strong,
    )];
    let node = match (app.shown_key(), app.shown_node()) {
        (Some(k), Some(n)) => format!("{k} ({})", n.type_name()),
        _ => match app.session.position() {
            Position::Asking(k) => k.to_string(),
            Position::Blocked { at, .. } => format!("{at} (blocked)"),
            Position::Finished => format!("{} (finished)", app.session.root()),
        },
    };
    lines.extend(wrap(
        &[Span::styled(s::DETAILS_NODE, theme.strong), Span::raw(node)],
        width,
        Span::raw(""),
        Span::raw("  "),
    ));
    let facts = app
        .session
        .current_facts()
        .map(|f| {
            f.iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| s::DETAILS_NONE.to_string());
    let mut fact_lines = wrap(
        &[
            Span::styled(s::DETAILS_FACTS, theme.strong),
            Span::raw(facts),
        ],
        width,
        Span::raw(""),
        Span::raw("  "),
    );
    fact_lines.truncate(3);
    lines.extend(fact_lines);
    lines
}

/// Draws lines in `area`, scrolled so that `focus` (a range of line numbers) is in view, or
/// else from `scroll`; marks when there is more above or below.
fn scrolled(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    scroll: usize,
    focus: Option<(usize, usize)>,
    theme: &Theme,
) -> u16 {
    let h = area.height as usize;
    let total = lines.len();
    let mut vp = app.viewport.get();
    vp.height = h;
    if total <= h || h < 3 {
        vp.max_scroll = 0;
        app.viewport.set(vp);
        let shown: Vec<Line> = lines.into_iter().take(h).collect();
        let n = shown.len() as u16;
        frame.render_widget(Paragraph::new(shown), area);
        return n;
    }
    let max_scroll = total - (h - 1);
    let rows = |scroll: usize| {
        let top = usize::from(scroll > 0);
        let rest = h - top;
        if scroll + rest < total {
            rest - 1
        } else {
            rest
        }
    };
    let mut scroll = scroll.min(max_scroll);
    if let Some((a, b)) = focus {
        for _ in 0..3 {
            if a < scroll {
                scroll = a;
            }
            let r = rows(scroll);
            if b > scroll + r {
                scroll = (b - r.min(b)).min(max_scroll);
            }
        }
    }
    vp.max_scroll = max_scroll;
    app.viewport.set(vp);
    let r = rows(scroll);
    let mut shown: Vec<Line> = Vec::with_capacity(h);
    if scroll > 0 {
        shown.push(Line::styled(format!("↑ {}", s::MORE_ABOVE), theme.key));
    }
    shown.extend(lines.into_iter().skip(scroll).take(r));
    if scroll + r < total {
        shown.push(Line::styled(format!("↓ {}", s::MORE_BELOW), theme.key));
    }
    frame.render_widget(Paragraph::new(shown), area);
    h as u16
}

fn para(
    out: &mut Vec<Line<'static>>,
    g: &Glossary,
    txt: &str,
    style: Style,
    width: usize,
    theme: &Theme,
) {
    let spans = g.mark(txt, style, theme.marked);
    out.extend(wrap(&spans, width, Span::raw(""), Span::raw("")));
}

fn labelled(
    out: &mut Vec<Line<'static>>,
    g: &Glossary,
    label: &str,
    txt: &str,
    width: usize,
    theme: &Theme,
) {
    let mut spans = vec![Span::styled(label.to_string(), theme.strong)];
    spans.extend(g.mark(txt, Style::default(), theme.marked));
    out.extend(wrap(&spans, width, Span::raw(""), Span::raw("")));
}

fn start_lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let g = glossary(app);
    let mut out = Vec::new();
    let desc = app
        .library()
        .flow(app.session.root())
        .and_then(|f| f.tree.description.clone())
        .unwrap_or_else(|| s::START_HEADING.to_string());
    para(&mut out, &g, &desc, theme.strong, width, theme);
    out.push(Line::raw(""));
    if !app.start_notes.is_empty() {
        para(
            &mut out,
            &g,
            s::START_RESUMED_HEADING,
            theme.heading,
            width,
            theme,
        );
        for n in &app.start_notes {
            out.extend(wrap(
                &[Span::raw(clean(n))],
                width,
                Span::raw("• "),
                Span::raw("  "),
            ));
        }
        out.push(Line::raw(""));
    }
    for (label, txt) in [
        (s::START_WHAT_HEADING, s::START_WHAT),
        (s::START_NOT_HEADING, s::START_NOT),
        (s::START_PRIVACY_HEADING, s::START_PRIVACY),
        (s::START_LEAVE_HEADING, s::START_LEAVE),
    ] {
        labelled(&mut out, &g, &format!("{label}: "), txt, width, theme);
    }
    para(&mut out, &g, s::START_DANGER, theme.strong, width, theme);
    out.push(Line::raw(""));
    out.extend(wrap(
        &[Span::styled(
            format!("{}:", s::START_KEYS_HEADING),
            theme.strong,
        )],
        width,
        Span::raw(""),
        Span::raw(""),
    ));
    for k in s::START_KEYS {
        out.extend(wrap(
            &[Span::raw(*k)],
            width,
            Span::raw("• "),
            Span::raw("  "),
        ));
    }
    out.push(Line::raw(""));
    let go = if app.start_notes.is_empty() {
        s::START_GO
    } else {
        s::START_GO_RESUMED
    };
    para(&mut out, &g, go, theme.heading, width, theme);
    out
}

/// The words on a question screen that the glossary explains, as one line.
fn words_line(
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

/// All the text on the screen that glossary words can be found in.
pub(super) fn screen_text(app: &App) -> String {
    let mut t = String::new();
    match &app.screen {
        Screen::Start => {
            if let Some(f) = app.library().flow(app.session.root()) {
                t.push_str(&f.tree.title);
                t.push('\n');
                t.push_str(f.tree.description.as_deref().unwrap_or_default());
            }
        }
        Screen::Question | Screen::Change { .. } => {
            if let Some(node) = app.shown_node() {
                t.push_str(&node_text(app, node));
            }
            if let Position::Blocked { message, .. } = app.session.position() {
                t.push_str(message);
            }
        }
        Screen::Check { .. } => {
            for a in &app.session.trace().answered {
                t.push_str(&a.question);
                t.push('\n');
                t.push_str(&a.answer);
                t.push('\n');
            }
        }
        Screen::Summary => {
            if let Some(sum) = &app.summary {
                t.push_str(&crate::core::render::text(sum));
            }
        }
        Screen::Letter { index } => {
            if let Some(l) = app.summary.as_ref().and_then(|s| s.letters.get(*index)) {
                t.push_str(&l.body);
            }
        }
    }
    t
}

/// A node's words: question, help and options, or an info page's title and body.
fn node_text(app: &App, node: &Node) -> String {
    let mut t = String::new();
    match node {
        Node::Info(i) => {
            t.push_str(&i.title);
            t.push('\n');
            t.push_str(&info_body(app, &i.body).0);
        }
        _ => {
            t.push_str(node.question().unwrap_or_default());
            t.push('\n');
            t.push_str(node.help().unwrap_or_default());
            t.push('\n');
            match node {
                Node::Choice(c) => c.options.iter().for_each(|o| {
                    t.push_str(&o.label);
                    t.push('\n');
                }),
                Node::Multi(m) => m.options.iter().for_each(|o| {
                    t.push_str(&o.label);
                    t.push('\n');
                }),
                _ => {}
            }
        }
    }
    t
}

/// An info page's body with the facts filled in (and whether that worked).
fn info_body(app: &App, body: &str) -> (String, bool) {
    let facts = app.session.current_facts().cloned().unwrap_or_default();
    match app.library().expr.render(body, &facts) {
        Ok(b) => (b.trim().to_string(), true),
        Err(_) => (body.trim().to_string(), false),
    }
}

fn question(app: &App, frame: &mut Frame, body: Rect, theme: &Theme) {
    let width = body.width as usize;
    let g = glossary(app);
    let mut out: Vec<Line<'static>> = Vec::new();
    if let Screen::Change { .. } = app.screen {
        out.push(Line::styled(s::CHANGE_HEADING, theme.quiet));
    }
    if let (Screen::Question, Position::Blocked { message, .. }) =
        (&app.screen, app.session.position())
    {
        para(
            &mut out,
            &g,
            s::BLOCKED_HEADING,
            theme.heading,
            width,
            theme,
        );
        out.push(Line::raw(""));
        para(&mut out, &g, message, Style::default(), width, theme);
        out.push(Line::raw(""));
        para(&mut out, &g, s::BLOCKED_HELP, theme.strong, width, theme);
        scrolled(app, frame, body, out, app.scroll, None, theme);
        return;
    }
    let Some(node) = app.shown_node() else {
        return;
    };
    let terms = g.terms_in(&node_text(app, node));
    if let Node::Info(i) = node {
        para(&mut out, &g, &i.title, theme.heading, width, theme);
        out.push(Line::raw(""));
        let (b, ok) = info_body(app, &i.body);
        para(&mut out, &g, &b, Style::default(), width, theme);
        if !ok {
            para(&mut out, &g, s::INFO_NOT_FILLED, theme.quiet, width, theme);
        }
        out.push(Line::raw(""));
        para(&mut out, &g, s::INFO_CONTINUE, theme.strong, width, theme);
        words_line(&mut out, &terms, false, width, theme);
        scrolled(app, frame, body, out, app.scroll, None, theme);
        return;
    }
    para(
        &mut out,
        &g,
        node.question().unwrap_or_default(),
        theme.heading,
        width,
        theme,
    );
    if let Some(h) = node.help() {
        para(&mut out, &g, h, Style::default(), width, theme);
    }
    out.push(Line::raw(""));
    let form = &app.form;
    let error = |out: &mut Vec<Line<'static>>| {
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
    };
    match node {
        Node::Choice(c) => {
            para(&mut out, &g, s::CHOICE_HINT, theme.quiet, width, theme);
            let mut focus = None;
            for (i, o) in c.options.iter().enumerate() {
                let sel = form.selected == Some(i);
                let start = out.len();
                let (mark, style) = if sel {
                    (format!(" › (•) {}. ", i + 1), theme.selected)
                } else {
                    (format!("   ( ) {}. ", i + 1), Style::default())
                };
                let indent = " ".repeat(text::width(&mark));
                let spans = g.mark(&o.label, style, theme.marked);
                out.extend(wrap(
                    &spans,
                    width,
                    Span::styled(mark, if sel { theme.strong } else { style }),
                    Span::raw(indent),
                ));
                if sel {
                    focus = Some((start, out.len()));
                }
            }
            error(&mut out);
            if form.prefilled {
                out.push(Line::raw(""));
                para(&mut out, &g, s::PREVIOUS_ANSWER, theme.quiet, width, theme);
            }
            words_line(&mut out, &terms, false, width, theme);
            let focus = focus.or(form.error.as_ref().map(|_| (out.len() - 1, out.len())));
            scrolled(app, frame, body, out, 0, focus, theme);
        }
        Node::Multi(m) => {
            para(&mut out, &g, s::MULTI_HINT, theme.quiet, width, theme);
            let mut focus = None;
            for (i, o) in m.options.iter().enumerate() {
                let cursor = form.selected == Some(i);
                let ticked = form.ticked.get(i).copied().unwrap_or(false);
                let start = out.len();
                let mark = format!(
                    " {} [{}] {}. ",
                    if cursor { "›" } else { " " },
                    if ticked { "x" } else { " " },
                    i + 1
                );
                let style = if cursor {
                    theme.selected
                } else if ticked {
                    theme.strong
                } else {
                    Style::default()
                };
                let indent = " ".repeat(text::width(&mark));
                let spans = g.mark(&o.label, style, theme.marked);
                out.extend(wrap(
                    &spans,
                    width,
                    Span::styled(
                        mark,
                        if cursor || ticked {
                            theme.strong
                        } else {
                            Style::default()
                        },
                    ),
                    Span::raw(indent),
                ));
                if cursor {
                    focus = Some((start, out.len()));
                }
            }
            error(&mut out);
            words_line(&mut out, &terms, false, width, theme);
            let focus = if form.error.is_some() {
                Some((out.len().saturating_sub(2), out.len()))
            } else {
                focus
            };
            scrolled(app, frame, body, out, 0, focus, theme);
        }
        Node::Date(_) | Node::Number(_) | Node::Text(_) => {
            let hint = match node {
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
            };
            para(&mut out, &g, &hint, theme.quiet, width, theme);
            if form.prefilled {
                para(&mut out, &g, s::PREVIOUS_ANSWER, theme.quiet, width, theme);
            }
            error(&mut out);
            words_line(&mut out, &terms, true, width, theme);
            // The text, then the answer box right under it.
            let box_h = 3u16;
            let text_h = (out.len() as u16).min(body.height.saturating_sub(box_h));
            let text_area = Rect::new(body.x, body.y, body.width, text_h);
            let focus = form.error.as_ref().map(|_| (0, out.len()));
            let used = scrolled(app, frame, text_area, out, app.scroll, focus, theme);
            let box_area = Rect::new(
                body.x,
                body.y + used,
                body.width.min(72),
                box_h.min(body.height.saturating_sub(used)),
            );
            input_box(frame, box_area, &form.input, app.popup.is_none(), theme);
        }
        Node::Info(_) | Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_) => {}
    }
}

/// A one-line answer box, scrolled sideways so the cursor is always in view.
fn input_box(frame: &mut Frame, area: Rect, input: &LineInput, show_cursor: bool, theme: &Theme) {
    let (value, cursor) = (input.text.as_str(), input.cursor);
    if area.height < 3 || area.width < 4 {
        return;
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.strong);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let value = clean(value).replace('\n', " ");
    let chars: Vec<char> = value.chars().collect();
    let room = (inner.width as usize).saturating_sub(1).max(1);
    let cursor = cursor.min(chars.len());
    // Show the part of the text that holds the cursor.
    let mut start = 0;
    while text::width(&chars[start..cursor].iter().collect::<String>()) > room {
        start += 1;
    }
    let mut shown = String::new();
    let mut w = 0;
    for c in &chars[start..] {
        let cw = text::width(&c.to_string());
        if w + cw > room {
            break;
        }
        shown.push(*c);
        w += cw;
    }
    // Suggested text shows as selected: typing replaces it.
    let style = if input.suggested {
        theme.selected
    } else {
        Style::default()
    };
    frame.render_widget(Paragraph::new(Line::styled(shown, style)), inner);
    if show_cursor {
        let before: String = chars[start..cursor].iter().collect();
        let x = inner.x + text::width(&before) as u16;
        frame.set_cursor_position(CursorPos::new(x.min(inner.right()), inner.y));
    }
}

fn check_lines(
    app: &App,
    selected: usize,
    _from: CheckFrom,
    width: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, (usize, usize)) {
    let g = glossary(app);
    let finished = app.session.is_finished();
    let mut out = Vec::new();
    para(&mut out, &g, s::CHECK_HEADING, theme.heading, width, theme);
    if let Some(note) = &app.change_note {
        out.push(Line::raw(""));
        para(
            &mut out,
            &g,
            s::CHANGE_HEADING_DONE,
            theme.strong,
            width,
            theme,
        );
        let mut any = false;
        for (label, items) in [
            (s::CHANGE_ADDED, &note.added),
            (s::CHANGE_REMOVED, &note.removed),
            (s::CHANGE_UPDATED, &note.updated),
            (s::CHANGE_DROPPED, &note.dropped),
        ] {
            for item in items {
                any = true;
                out.extend(wrap(
                    &[Span::styled(label, theme.strong), Span::raw(clean(item))],
                    width,
                    Span::raw("• "),
                    Span::raw("  "),
                ));
            }
        }
        if !any {
            out.extend(wrap(
                &[Span::raw(s::CHANGE_SAME)],
                width,
                Span::raw("• "),
                Span::raw("  "),
            ));
        }
    }
    let intro = if finished {
        s::CHECK_INTRO_DONE
    } else {
        s::CHECK_INTRO_SO_FAR
    };
    out.push(Line::raw(""));
    para(&mut out, &g, intro, theme.quiet, width, theme);
    out.push(Line::raw(""));
    let answered = &app.session.trace().answered;
    if answered.is_empty() {
        para(&mut out, &g, s::CHECK_NONE, Style::default(), width, theme);
        out.push(Line::raw(""));
    }
    let mut focus = (0, 0);
    for (i, a) in answered.iter().enumerate() {
        let sel = i == selected;
        let start = out.len();
        let style = if sel { theme.selected } else { theme.strong };
        let mark = if sel { " › " } else { "   " };
        out.extend(wrap(
            &g.mark(&a.question, style, theme.marked),
            width,
            Span::styled(mark, theme.strong),
            Span::raw("   "),
        ));
        let mut answer = vec![Span::raw(clean(&a.answer))];
        if a.carried_over {
            answer.push(Span::styled(format!(" {}", s::CHECK_CARRIED), theme.quiet));
        }
        out.extend(wrap(&answer, width, Span::raw("     "), Span::raw("     ")));
        if sel {
            focus = (start, out.len());
        }
    }
    let cont = if finished {
        s::CHECK_CONTINUE_DONE
    } else {
        s::CHECK_CONTINUE_SO_FAR
    };
    let sel = selected >= answered.len();
    out.push(Line::raw(""));
    let start = out.len();
    let (mark, style) = if sel {
        (" › ", theme.selected)
    } else {
        ("   ", theme.strong)
    };
    out.extend(wrap(
        &[Span::styled(format!("[ {cont} ]"), style)],
        width,
        Span::styled(mark, theme.strong),
        Span::raw("   "),
    ));
    if sel {
        focus = (start, out.len());
    }
    (out, focus)
}

/// The summary as screen lines: the same content as the text renderer, with headings and
/// glossary words marked.
fn summary_lines(sum: &Summary, g: &Glossary, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let bullet = |out: &mut Vec<Line<'static>>, spans: Vec<Span<'static>>| {
        out.extend(wrap(&spans, width, Span::raw("• "), Span::raw("  ")));
    };
    para(&mut out, g, s::SUMMARY_HEADING, theme.heading, width, theme);
    para(
        &mut out,
        g,
        &s::summary_prepared(&sum.title, &sum.prepared),
        Style::default(),
        width,
        theme,
    );
    para(&mut out, g, &sum.footer, theme.strong, width, theme);
    for n in &sum.notices {
        out.push(Line::raw(""));
        labelled(&mut out, g, s::SUMMARY_NOTE, n, width, theme);
    }
    // Where the family stands and answers to their own questions come before any step.
    for (heading, items, quoted) in [
        (s::SUMMARY_WHERE, &sum.where_now, false),
        (s::SUMMARY_ASKED, &sum.asked, true),
    ] {
        if items.is_empty() {
            continue;
        }
        out.push(Line::raw(""));
        para(&mut out, g, heading, theme.heading, width, theme);
        for item in items {
            let title = if quoted {
                format!("\u{201c}{}\u{201d}", item.title)
            } else {
                item.title.clone()
            };
            out.push(Line::raw(""));
            para(&mut out, g, &title, theme.strong, width, theme);
            para(&mut out, g, &item.body, Style::default(), width, theme);
        }
    }
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
        out.push(Line::raw(""));
        let mark = format!("{}. ", i + 1);
        let indent = " ".repeat(mark.len());
        out.extend(wrap(
            &g.mark(&step.title, theme.heading, theme.marked),
            width,
            Span::styled(mark, theme.heading),
            Span::raw(indent.clone()),
        ));
        let sub = |out: &mut Vec<Line<'static>>, spans: Vec<Span<'static>>| {
            out.extend(wrap(
                &spans,
                width,
                Span::raw(indent.clone()),
                Span::raw(indent.clone()),
            ));
        };
        if let Some(d) = &step.due {
            sub(
                &mut out,
                vec![Span::styled(
                    s::summary_due(&d.long, d.passed),
                    theme.strong,
                )],
            );
            if let Some(note) = &d.note {
                sub(&mut out, vec![Span::raw(clean(note))]);
            }
        }
        sub(&mut out, g.mark(&step.body, Style::default(), theme.marked));
        for b in &step.because {
            sub(
                &mut out,
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
                &mut out,
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
            sub(
                &mut out,
                vec![Span::styled(
                    s::summary_letter(&clean(&l.title)),
                    theme.strong,
                )],
            );
        }
        let sources: Vec<String> = step
            .sources
            .iter()
            .filter_map(|id| sum.sources.iter().find(|x| &x.id == id))
            .map(|x| clean(&x.title))
            .collect();
        if !sources.is_empty() {
            sub(
                &mut out,
                vec![
                    Span::styled(s::SUMMARY_SOURCES, theme.quiet),
                    Span::styled(sources.join("; "), theme.quiet),
                ],
            );
        }
    }
    if !sum.contacts.is_empty() {
        out.push(Line::raw(""));
        para(
            &mut out,
            g,
            s::SUMMARY_CONTACTS,
            theme.heading,
            width,
            theme,
        );
        for c in &sum.contacts {
            bullet(&mut out, vec![Span::raw(clean(&contact_line(&c.contact)))]);
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
    if !sum.letters.is_empty() {
        out.push(Line::raw(""));
        para(&mut out, g, s::SUMMARY_LETTERS, theme.heading, width, theme);
        for (i, l) in sum.letters.iter().enumerate() {
            bullet(
                &mut out,
                vec![Span::raw(s::letter_line(i + 1, &clean(&l.title)))],
            );
        }
    }
    // What they told us comes after the steps here (they have just checked it), so the
    // steps are the first thing on screen.
    if !sum.answers.is_empty() {
        out.push(Line::raw(""));
        para(&mut out, g, s::SUMMARY_TOLD_US, theme.heading, width, theme);
        for a in &sum.answers {
            let mut spans = g.mark(&a.question, Style::default(), theme.marked);
            spans.push(Span::raw(" "));
            spans.push(Span::styled(clean(&a.answer), theme.strong));
            bullet(&mut out, spans);
        }
    }
    if !sum.sources.is_empty() {
        out.push(Line::raw(""));
        para(
            &mut out,
            g,
            s::SUMMARY_SOURCES_HEADING,
            theme.heading,
            width,
            theme,
        );
        for src in &sum.sources {
            bullet(
                &mut out,
                vec![Span::raw(clean(&s::source_line(
                    &src.title,
                    &src.url,
                    &src.checked,
                )))],
            );
        }
    }
    out
}

fn letter_lines(app: &App, index: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
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

/// A box in the middle of `area`, at most `w` by `h`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2)).max(1);
    let h = h.min(area.height.saturating_sub(2)).max(1);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn popup_frame(frame: &mut Frame, rect: Rect, title: &str, theme: &Theme) -> Rect {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.strong)
        .title(Span::styled(format!(" {} ", clean(title)), theme.heading));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    )
}

fn glossary_popup(app: &App, frame: &mut Frame, area: Rect, scroll: usize, theme: &Theme) {
    let g = glossary(app);
    let on_page = g.terms_in(&screen_text(app));
    let all: Vec<&GlossaryTerm> = app.library().glossary.values().collect();
    let rect = centered(area, 72, area.height.saturating_sub(2));
    let width = rect.width.saturating_sub(4) as usize;
    let mut out: Vec<Line<'static>> = Vec::new();
    let terms = if on_page.is_empty() {
        let none = if all.is_empty() {
            s::GLOSSARY_EMPTY
        } else {
            s::GLOSSARY_NONE_HERE
        };
        out.extend(wrap(
            &[Span::styled(none, theme.quiet)],
            width,
            Span::raw(""),
            Span::raw(""),
        ));
        out.push(Line::raw(""));
        all
    } else {
        on_page
    };
    for t in terms {
        out.extend(wrap(
            &[Span::styled(clean(&t.term), theme.heading)],
            width,
            Span::raw(""),
            Span::raw(""),
        ));
        if !t.aliases.is_empty() {
            out.extend(wrap(
                &[
                    Span::styled(s::GLOSSARY_ALSO, theme.quiet),
                    Span::raw(clean(&t.aliases.join(", "))),
                ],
                width,
                Span::raw(""),
                Span::raw(""),
            ));
        }
        out.extend(wrap(
            &[Span::raw(clean(&t.definition))],
            width,
            Span::raw(""),
            Span::raw(""),
        ));
        out.push(Line::raw(""));
    }
    while out.last().is_some_and(|l| l.width() == 0) {
        out.pop();
    }
    let h = (out.len() as u16 + 4).min(rect.height);
    let rect = centered(area, rect.width, h);
    let inner = popup_frame(frame, rect, s::GLOSSARY_TITLE, theme);
    if inner.height < 2 {
        return;
    }
    let body = Rect::new(inner.x, inner.y, inner.width, inner.height - 1);
    let lines_h = body.height as usize;
    let max = out.len().saturating_sub(lines_h);
    let mut vp = app.viewport.get();
    vp.popup_height = lines_h;
    vp.popup_max_scroll = max;
    app.viewport.set(vp);
    let scroll = scroll.min(max);
    let mut shown: Vec<Line> = out.into_iter().skip(scroll).take(lines_h).collect();
    if scroll < max {
        // There is more below: say so on the last line.
        if let Some(last) = shown.last_mut() {
            *last = Line::styled(format!("↓ {}", s::MORE_BELOW), theme.key);
        }
    }
    frame.render_widget(Paragraph::new(shown), body);
    frame.render_widget(
        Paragraph::new(Line::styled(s::GLOSSARY_CLOSE, theme.key)),
        Rect::new(inner.x, inner.bottom() - 1, inner.width, 1),
    );
}

fn save_popup(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    kind: SaveKind,
    input: &LineInput,
    error: Option<&str>,
    theme: &Theme,
) {
    let title = match kind {
        SaveKind::Markdown => s::SAVE_MD_TITLE,
        SaveKind::Text => s::SAVE_TXT_TITLE,
        SaveKind::Progress => s::SAVE_PROGRESS_TITLE,
    };
    let w = area.width.saturating_sub(4).min(72);
    let width = w.saturating_sub(4) as usize;
    let mut above = wrap(
        &[Span::styled(s::SAVE_NAME_PROMPT, theme.strong)],
        width,
        Span::raw(""),
        Span::raw(""),
    );
    above.truncate(2);
    let mut below: Vec<Line<'static>> = Vec::new();
    if let Some(e) = error {
        below.extend(wrap(
            &[Span::styled(clean(e), theme.error)],
            width,
            Span::styled("! ", theme.error),
            Span::raw("  "),
        ));
    }
    below.extend(wrap(
        &[Span::raw(s::save_where(&app.save_dir_display()))],
        width,
        Span::raw(""),
        Span::raw(""),
    ));
    below.extend(wrap(
        &[Span::styled(s::SAVE_PRIVATE, theme.quiet)],
        width,
        Span::raw(""),
        Span::raw(""),
    ));
    if kind == SaveKind::Progress {
        below.extend(wrap(
            &[Span::styled(s::SAVE_PROGRESS_HOW, theme.quiet)],
            width,
            Span::raw(""),
            Span::raw(""),
        ));
    }
    let hints = hint_lines(&keys::hints(Context::SavePopup, 0), width, theme);
    let h = (above.len() + 3 + below.len() + 1 + hints.len() + 2) as u16;
    let rect = centered(area, w, h);
    let inner = popup_frame(frame, rect, title, theme);
    // The name box and the keys always show; the explanations take what room is left.
    let bottom = inner.bottom();
    let hints_h = (hints.len() as u16).min(inner.height);
    let mut y = inner.y;
    let put = |frame: &mut Frame, lines: Vec<Line<'static>>, y: &mut u16, limit: u16| {
        for l in lines {
            if *y >= limit {
                return;
            }
            frame.render_widget(Paragraph::new(l), Rect::new(inner.x, *y, inner.width, 1));
            *y += 1;
        }
    };
    let limit = bottom.saturating_sub(hints_h);
    let above_room = limit.saturating_sub(y).saturating_sub(3);
    put(frame, above, &mut y, inner.y + above_room.min(2));
    if y + 3 <= limit {
        input_box(
            frame,
            Rect::new(inner.x, y, inner.width, 3),
            input,
            true,
            theme,
        );
        y += 3;
    }
    put(frame, below, &mut y, limit.saturating_sub(1));
    let mut hints_y = bottom.saturating_sub(hints_h);
    put(frame, hints, &mut hints_y, bottom);
}

fn confirm_popup(frame: &mut Frame, area: Rect, c: Confirm, theme: &Theme) {
    let msg = match c {
        Confirm::Restart => s::CONFIRM_RESTART,
        Confirm::Close => s::CONFIRM_CLOSE_UNSAVED,
    };
    let w = area.width.saturating_sub(4).min(60);
    let width = w.saturating_sub(4) as usize;
    let mut lines = wrap(
        &[Span::styled(msg, theme.strong)],
        width,
        Span::raw(""),
        Span::raw(""),
    );
    lines.push(Line::raw(""));
    lines.push(Line::styled(s::CONFIRM_KEYS, theme.key));
    let rect = centered(area, w, lines.len() as u16 + 2);
    let inner = popup_frame(frame, rect, s::APP, theme);
    frame.render_widget(Paragraph::new(lines), inner);
}
