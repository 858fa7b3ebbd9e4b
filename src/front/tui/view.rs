//! Drawing the model. `view` is a pure function of the App and the frame: it writes nothing
//! back. The layout it draws with is worked out by functions that update uses too
//! (`viewport`), so scrolling keys know the page size without the view telling them. Every
//! piece of tree text goes through `text::clean` before it reaches the terminal; nothing is
//! shown by colour alone.
//!
//! The screens' lines come from `question` (questions and pages), `summary_view` (the
//! summary and letters) and `popups` (boxes over the screen); this file has the frame around
//! them and what they share.

use ratatui::layout::{Position as CursorPos, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::app::{App, CheckFrom, LineInput, Popup, Screen, Viewport};
use super::keys::{self, Context, Hint};
use super::popups;
use super::question::{self, Page};
use super::strings as s;
use super::summary_view;
use super::text::{self, clean, wrap, Glossary, Mark};
use crate::core::format::{EmergencyPlace, Node};
use crate::core::session::Position;

/// The smallest window the layout works in; below it the wizard asks for a bigger window.
/// (A question whose words and answers do not fit together asks for one too.)
pub(crate) const MIN_WIDTH: u16 = 40;
pub(crate) const MIN_HEIGHT: u16 = 12;
/// Below this height the frame is compact: one line of title, one line of key hints. (It is
/// compact in a taller window too when a question would not fit otherwise.)
pub(crate) const COMPACT_HEIGHT: u16 = 20;

/// Styles, with or without colour. Every colour is paired with a modifier or with words.
#[derive(Clone, Copy)]
pub(super) struct Theme {
    pub heading: Style,
    pub strong: Style,
    pub marked: Style,
    pub selected: Style,
    pub error: Style,
    pub key: Style,
    pub quiet: Style,
    pub leave: Style,
    pub status: Style,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
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

/// The frame around the screen's content: header, footer, adviser details, and the room
/// left for the content.
struct Chrome {
    header: Vec<Line<'static>>,
    footer: Vec<Line<'static>>,
    details: Vec<Line<'static>>,
    body: Rect,
}

/// The frame and the page for a window of this size, or None if the window is too small.
/// The frame is compact in a short window, or when the page does not fit otherwise.
fn layout(app: &App, area: Rect, theme: &Theme) -> Option<(Chrome, Page)> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let tries: &[bool] = if area.height < COMPACT_HEIGHT {
        &[true]
    } else {
        &[false, true]
    };
    tries.iter().find_map(|&compact| {
        let ch = chrome(app, area, compact, theme)?;
        let page = page(app, ch.body, theme);
        (!page.too_small).then_some((ch, page))
    })
}

/// The frame for a window of this size, or None if it leaves no room.
fn chrome(app: &App, area: Rect, compact: bool, theme: &Theme) -> Option<Chrome> {
    let width = area.width as usize;
    let header = header_lines(app, width, compact, theme);
    let footer = footer_lines(app, width, compact, theme);
    let details = if app.details {
        details_lines(app, width.saturating_sub(2).max(1), theme)
    } else {
        Vec::new()
    };
    let top = header.len() as u16;
    let bottom = footer.len() as u16 + details.len() as u16;
    if top + bottom + 3 > area.height {
        return None;
    }
    let body = Rect::new(
        area.x + 1,
        area.y + top,
        area.width.saturating_sub(2),
        area.height - top - bottom,
    );
    Some(Chrome {
        header,
        footer,
        details,
        body,
    })
}

/// What the screen under any popup shows in the body.
fn page(app: &App, body: Rect, theme: &Theme) -> Page {
    let width = body.width as usize;
    match &app.screen {
        Screen::Start => Page::scrolling(start_lines(app, width, theme), app.scroll),
        Screen::Question | Screen::Change { .. } => question::page(app, body, theme),
        Screen::Check { selected, from } => {
            let (lines, focus) = check_lines(app, *selected, *from, width, theme);
            Page::focused(lines, Some(focus))
        }
        Screen::Summary => {
            let lines = match &app.summary {
                Some(sum) => {
                    summary_view::summary_lines(sum, &app.fold, glossary(app), width, theme).0
                }
                None => Vec::new(),
            };
            Page::scrolling(lines, app.scroll)
        }
        Screen::Letter { index } => Page::scrolling(
            summary_view::letter_lines(app, *index, width, theme),
            app.scroll,
        ),
    }
}

/// The line of the chosen item under "More that may help", at the window's width.
pub(super) fn summary_item_line(app: &App) -> Option<usize> {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    let theme = Theme::new(false);
    let (ch, _) = layout(app, area, &theme)?;
    let sum = app.summary.as_ref()?;
    summary_view::summary_lines(
        sum,
        &app.fold,
        glossary(app),
        ch.body.width as usize,
        &theme,
    )
    .1
}

/// Whether the window the App was last told about shows the screen (the page and its frame),
/// rather than asking for a bigger window. Update acts on no key for the page while it does not.
pub(super) fn fits(app: &App) -> bool {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    layout(app, area, &Theme::new(false)).is_some()
}

/// How much of the page fits in the window the App was last told about, and how far the
/// page and any popup can scroll. Update uses it for the scrolling keys.
pub(super) fn viewport(app: &App) -> Viewport {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    let theme = Theme::new(false);
    let mut vp = Viewport::default();
    if let Some((ch, page)) = layout(app, area, &theme) {
        let (area, _) = page.areas(ch.body);
        let w = window(
            page.lines.len(),
            area.height as usize,
            page.scroll,
            page.focus,
        );
        vp.height = area.height as usize;
        vp.max_scroll = w.max_scroll;
    }
    if let Some(Popup::Glossary { .. }) = &app.popup {
        let (height, lines) = popups::glossary_metrics(app, area, &theme);
        vp.popup_height = height;
        vp.popup_max_scroll = lines.saturating_sub(height);
    }
    vp
}

/// Draws the whole screen.
pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(app.color);
    let Some((ch, page)) = layout(app, area, &theme) else {
        too_small(frame, area, app.esc_armed, &theme);
        // A box the person opened (save, replace, confirm) is still shown: keys go to it.
        draw_popup(app, frame, area, &theme);
        return;
    };
    let (top, bottom) = (ch.header.len() as u16, ch.footer.len() as u16);
    frame.render_widget(
        Paragraph::new(ch.header),
        Rect::new(area.x, area.y, area.width, top),
    );
    frame.render_widget(
        Paragraph::new(ch.footer),
        Rect::new(area.x, area.bottom() - bottom, area.width, bottom),
    );
    if !ch.details.is_empty() {
        let h = ch.details.len() as u16;
        frame.render_widget(
            Paragraph::new(ch.details),
            Rect::new(
                area.x + 1,
                area.bottom() - bottom - h,
                area.width.saturating_sub(2),
                h,
            ),
        );
    }
    draw_page(app, frame, ch.body, page, &theme);
    draw_popup(app, frame, area, &theme);
}

fn draw_popup(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    match &app.popup {
        Some(Popup::Glossary { scroll }) => {
            popups::glossary_popup(app, frame, area, *scroll, theme)
        }
        Some(Popup::Save {
            kind, input, error, ..
        }) => popups::save_popup(app, frame, area, *kind, input, error.as_deref(), theme),
        Some(Popup::Replace { name, .. }) => popups::replace_popup(frame, area, name, theme),
        Some(Popup::Confirm(c)) => popups::confirm_popup(frame, area, *c, theme),
        None => {}
    }
}

/// Draws the page in the body: its lines, scrolled, and the answer box if it has one.
fn draw_page(app: &App, frame: &mut Frame, body: Rect, page: Page, theme: &Theme) {
    let (text_area, box_area) = page.areas(body);
    let used = scrolled(frame, text_area, page.lines, page.scroll, page.focus, theme);
    if let Some(mut b) = box_area {
        b.y = body.y + used;
        b.height = b.height.min(body.height.saturating_sub(used));
        input_box(frame, b, &app.form.input, app.popup.is_none(), theme);
    }
}

pub(super) fn glossary<'a, 'l>(app: &'a App<'l>) -> &'a Glossary<'l> {
    &app.glossary
}

/// The window is too small: say so, and how to leave (or, after one Esc, how to finish
/// leaving).
fn too_small(frame: &mut Frame, area: Rect, esc_armed: bool, theme: &Theme) {
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
    let leave = if esc_armed {
        s::ESC_ARMED
    } else {
        s::LEAVE_NOW_SHORT
    };
    lines.extend(wrap(
        &[Span::styled(leave, theme.leave)],
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
        .map(|f| clean(&f.tree().title))
        .unwrap_or_default()
}

fn header_lines(app: &App, width: usize, compact: bool, theme: &Theme) -> Vec<Line<'static>> {
    let (title, leave) = if compact {
        (
            format!(" {}", app.library().pack().service),
            format!(" {} ", s::LEAVE_NOW_SHORT),
        )
    } else {
        (
            format!(" {}: {}", app.library().pack().service, tree_title(app)),
            format!(" {} ", s::LEAVE_NOW),
        )
    };
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
    let words = match &app.page {
        // Room for the words beside a bar of at least ten cells.
        Some(p) => s::progress(
            p.progress.section,
            p.progress.number,
            width.saturating_sub(14),
        ),
        None => String::new(),
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

fn footer_lines(app: &App, width: usize, compact: bool, theme: &Theme) -> Vec<Line<'static>> {
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
    // Tab and Enter act on the items under "More that may help": no items, no hint.
    if app
        .summary
        .as_ref()
        .is_some_and(|sum| summary_view::folded(sum).is_empty())
    {
        hints.retain(|h| h.1 != s::K_NEXT_ITEM && h.1 != s::K_OPEN_ITEM);
    }
    if let Screen::Check { selected, .. } = &app.screen {
        // Enter changes the answer picked, or continues from the last row.
        if *selected + 1 >= app.check_rows() {
            for h in hints.iter_mut().filter(|h| h.1 == s::K_CHANGE_THIS) {
                h.1 = s::K_CONTINUE;
            }
        }
    }
    let mut hint_rows = hint_lines(&hints, width, theme);
    if compact {
        // The most used keys come first; the start screen lists them all.
        hint_rows.truncate(1);
    }
    lines.extend(hint_rows);
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
pub(super) fn hint_lines(hints: &[Hint], width: usize, theme: &Theme) -> Vec<Line<'static>> {
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
        line.push(Span::styled(key.clone(), theme.key));
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

/// Which lines of a page show in a given height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Window {
    /// The first line shown.
    pub scroll: usize,
    /// How many of the page's lines show (the rest of the height is "more" markers).
    pub rows: usize,
    pub max_scroll: usize,
}

/// The window onto `total` lines in `h` rows: scrolled so that `focus` (a range of line
/// numbers) is in view, or else from `scroll`. A line says when there is more above or
/// below.
pub(super) fn window(
    total: usize,
    h: usize,
    scroll: usize,
    focus: Option<(usize, usize)>,
) -> Window {
    if total <= h || h < 3 {
        return Window {
            scroll: 0,
            rows: total.min(h),
            max_scroll: 0,
        };
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
    Window {
        scroll,
        rows: rows(scroll),
        max_scroll,
    }
}

/// Draws lines in `area` through their `window`. Returns the rows used.
fn scrolled(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    scroll: usize,
    focus: Option<(usize, usize)>,
    theme: &Theme,
) -> u16 {
    let h = area.height as usize;
    let total = lines.len();
    let w = window(total, h, scroll, focus);
    if w.max_scroll == 0 {
        let shown: Vec<Line> = lines.into_iter().take(h).collect();
        let n = shown.len() as u16;
        frame.render_widget(Paragraph::new(shown), area);
        return n;
    }
    let mut shown: Vec<Line> = Vec::with_capacity(h);
    if w.scroll > 0 {
        shown.push(Line::styled(format!("↑ {}", s::MORE_ABOVE), theme.key));
    }
    shown.extend(lines.into_iter().skip(w.scroll).take(w.rows));
    if w.scroll + w.rows < total {
        shown.push(Line::styled(format!("↓ {}", s::MORE_BELOW), theme.key));
    }
    frame.render_widget(Paragraph::new(shown), area);
    h as u16
}

pub(super) fn para(
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

pub(super) fn labelled(
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
        .and_then(|f| f.tree().description.clone())
        .unwrap_or_else(|| s::START_HEADING.to_string());
    para(&mut out, g, &desc, theme.strong, width, theme);
    out.push(Line::raw(""));
    if !app.start_notes.is_empty() {
        para(
            &mut out,
            g,
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
    // What the service is, what it is not and the emergency line are the pack's words.
    let pack = app.library().pack();
    let privacy = match &pack.privacy {
        Some(p) => format!("{} {p}", s::START_PRIVACY),
        None => s::START_PRIVACY.to_string(),
    };
    for (label, txt) in [
        (s::START_WHAT_HEADING, pack.description.as_str()),
        (s::START_NOT_HEADING, pack.not_advice.as_str()),
        (s::START_PRIVACY_HEADING, privacy.as_str()),
        (s::START_LEAVE_HEADING, s::START_LEAVE),
    ] {
        labelled(&mut out, g, &format!("{label}: "), txt, width, theme);
    }
    if let Some(e) = pack.emergency_at(EmergencyPlace::Start) {
        para(&mut out, g, e, theme.strong, width, theme);
    }
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
    para(&mut out, g, go, theme.heading, width, theme);
    out
}

/// All the text on the screen that glossary words can be found in.
pub(super) fn screen_text(app: &App) -> String {
    let mut t = String::new();
    match &app.screen {
        Screen::Start => {
            if let Some(f) = app.library().flow(app.session.root()) {
                t.push_str(&f.tree().title);
                t.push('\n');
                t.push_str(f.tree().description.as_deref().unwrap_or_default());
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
pub(super) fn node_text(app: &App, node: &Node) -> String {
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

/// An info page's body with the facts filled in (and whether that worked), as the core's page
/// has it.
pub(super) fn info_body(app: &App, body: &str) -> (String, bool) {
    match app
        .page
        .as_ref()
        .and_then(|p| p.body.clone().map(|b| (b, p.body_unfilled)))
    {
        Some((b, unfilled)) => (b, !unfilled),
        None => (body.trim().to_string(), true),
    }
}

/// A one-line answer box, scrolled sideways so the cursor is always in view.
pub(super) fn input_box(
    frame: &mut Frame,
    area: Rect,
    input: &LineInput,
    show_cursor: bool,
    theme: &Theme,
) {
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
    para(&mut out, g, s::CHECK_HEADING, theme.heading, width, theme);
    if let Some(note) = &app.change_note {
        out.push(Line::raw(""));
        para(
            &mut out,
            g,
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
    para(&mut out, g, intro, theme.quiet, width, theme);
    out.push(Line::raw(""));
    let answered = &app.session.trace().answered;
    if answered.is_empty() {
        para(&mut out, g, s::CHECK_NONE, Style::default(), width, theme);
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
