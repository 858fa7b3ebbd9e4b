//! Drawing the model. `view` is a pure function of the App and the frame: it writes nothing
//! back. The layout it draws with is worked out by functions that update uses too
//! (`viewport`), so scrolling keys know the page size without the view telling them. Every
//! piece of tree text goes through `text::clean` before it reaches the terminal; nothing is
//! shown by colour alone.
//!
//! The screens' lines come from `question` (questions and pages), `summary_view` (the
//! summary and letters) and `popups` (boxes over the screen); this file has the frame around
//! them and what they share.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::app::{App, CheckFrom, Screen};
use super::keys::{self, Context};
use super::msg::Viewport;
use super::popups::{self, Popup, Words};
use super::question::{self, Shown};
use super::strings as s;
use super::summary_view;
use super::text::{self, clean, wrap, Glossary, Mark};
use super::widgets::{hint_lines, input_box, labelled, para, scrolled, window, Body, Theme};
use crate::core::format::{EmergencyPlace, GlossaryTerm};
use crate::core::page::Input;
use crate::core::session::Position;

/// The smallest window the layout works in; below it the wizard asks for a bigger window.
/// (A question whose words and answers do not fit together asks for one too.)
pub(crate) const MIN_WIDTH: u16 = 40;
pub(crate) const MIN_HEIGHT: u16 = 12;
/// Below this height the frame is compact: one line of title, one line of key hints. (It is
/// compact in a taller window too when a question would not fit otherwise.)
pub(crate) const COMPACT_HEIGHT: u16 = 20;

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
fn layout(app: &App, area: Rect, theme: &Theme) -> Option<(Chrome, Body)> {
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
fn page(app: &App, body: Rect, theme: &Theme) -> Body {
    let width = body.width as usize;
    match &app.screen {
        Screen::Start => Body::scrolling(start_lines(app, width, theme), app.scroll),
        Screen::Question | Screen::Change { .. } => {
            let blocked = match (&app.screen, app.session.position()) {
                (Screen::Question, Position::Blocked { message, .. }) => Some(message.as_str()),
                _ => None,
            };
            let shown = Shown {
                page: app.page.as_ref(),
                form: &app.form,
                blocked,
                changing: matches!(app.screen, Screen::Change { .. }),
                today: app.session.today(),
                scroll: app.scroll,
            };
            question::body(&shown, glossary(app), body, theme)
        }
        Screen::Check { selected, from } => {
            let (lines, focus) = check_lines(app, *selected, *from, width, theme);
            Body::focused(lines, Some(focus))
        }
        Screen::Summary => match &app.summary {
            Some(sum) => {
                let (lines, items) =
                    summary_view::summary_lines(sum, &app.fold, glossary(app), width, theme);
                Body {
                    items,
                    ..Body::scrolling(lines, app.scroll)
                }
            }
            None => Body::scrolling(Vec::new(), app.scroll),
        },
        Screen::Letter { index } => Body::scrolling(
            summary_view::letter_lines(app.summary.as_ref(), *index, width, theme),
            app.scroll,
        ),
    }
}

/// What the window the App was last told about shows of it: whether the screen fits (rather
/// than asking for a bigger window), how much of the page shows and how far it and any popup
/// can scroll, and where the summary's items are. The terminal loop hands it to `update`, so
/// scrolling keys know the page's size and no key acts on a page that is not shown.
pub(super) fn measure(app: &App) -> Viewport {
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
        vp.fits = true;
        vp.height = area.height as usize;
        vp.max_scroll = w.max_scroll;
        vp.items = page.items;
    }
    if let Some(Popup::Glossary { .. }) = &app.popup {
        let (height, lines) = popups::glossary_metrics(&words(app), area, &theme);
        vp.popup_height = height;
        vp.popup_max_scroll = lines.saturating_sub(height);
    }
    vp
}

/// The glossary words on the screen, and every word.
fn words<'a>(app: &'a App) -> Words<'a> {
    Words {
        on_page: glossary(app).terms_in([screen_text(app).as_str()]),
        all: app
            .library()
            .glossary()
            .values()
            .collect::<Vec<&GlossaryTerm>>(),
    }
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
            popups::glossary_popup(&words(app), frame, area, *scroll, theme)
        }
        Some(Popup::Save {
            kind, input, error, ..
        }) => popups::save_popup(
            &app.save_dir_shown,
            frame,
            area,
            *kind,
            input,
            error.as_deref(),
            theme,
        ),
        Some(Popup::Replace { name, .. }) => popups::replace_popup(frame, area, name, theme),
        Some(Popup::Confirm(c)) => popups::confirm_popup(frame, area, *c, theme),
        None => {}
    }
}

/// Draws the page in the body: its lines, scrolled, and the answer box if it has one.
fn draw_page(app: &App, frame: &mut Frame, body: Rect, page: Body, theme: &Theme) {
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
        Screen::Question | Screen::Change { .. } => match app.page.as_ref().map(|p| p.input) {
            Some(Input::One) => Context::Choice,
            Some(Input::Several) => Context::Multi,
            Some(Input::Continue) => Context::Info,
            Some(Input::Date | Input::Number { .. } | Input::Text { .. }) => Context::Typing,
            None => Context::Blocked,
        },
    }
}

fn details_lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!("── {} ", s::DETAILS_TITLE),
        theme.strong,
    )];
    let node = match (app.shown_key(), &app.page) {
        (Some(k), Some(p)) => format!("{k} ({})", p.kind),
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
            if let Some(page) = &app.page {
                t.push_str(&page_text(page));
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

/// A page's words: its question (or heading), help, options and text.
fn page_text(page: &crate::core::page::Page) -> String {
    let mut t = String::new();
    for part in [Some(page.heading), page.body.as_deref(), page.help]
        .into_iter()
        .flatten()
        .chain(page.options.iter().map(|o| o.label))
    {
        t.push_str(part);
        t.push('\n');
    }
    t
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
    let answered = app.answer_rows();
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
