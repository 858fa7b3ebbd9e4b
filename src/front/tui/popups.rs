//! Boxes over the screen: words explained, saving a file (and replacing one), and "are you
//! sure?": their state (`Popup`), the words box's scrolling, and their drawing, from what they
//! are given (no model). Their key hints come from the key table, like the footer's.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use std::path::PathBuf;

use super::keys::{self, Context};
use super::line_input::LineInput;
use super::msg::{Msg, SaveKind, Viewport};
use super::strings as s;
use super::text::{clean, wrap};
use super::widgets::{hint_lines, input_box, Theme};
use crate::core::format::GlossaryTerm;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    Restart,
    Close,
}

/// A box over the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    Glossary {
        scroll: usize,
    },
    Save {
        kind: SaveKind,
        input: LineInput,
        error: Option<String>,
    },
    /// The file to save to is already there: replace it (y) or choose another name (n)?
    Replace {
        kind: SaveKind,
        name: String,
        path: PathBuf,
    },
    Confirm(Confirm),
}

/// The words box's keys: scrolls `scroll` within the box as the window shows it. True when
/// the key closes the box.
pub(super) fn scroll_glossary(scroll: &mut usize, msg: Msg, vp: &Viewport) -> bool {
    let page = vp.popup_height.saturating_sub(1).max(1);
    let max = vp.popup_max_scroll;
    match msg {
        Msg::Words | Msg::Back | Msg::Confirm => return true,
        Msg::Up => *scroll = scroll.saturating_sub(1).min(max),
        Msg::Down => *scroll = (*scroll + 1).min(max),
        Msg::PageUp => *scroll = scroll.saturating_sub(page).min(max),
        Msg::PageDown => *scroll = (*scroll + page).min(max),
        Msg::Top => *scroll = 0,
        Msg::Bottom => *scroll = max,
        _ => {}
    }
    false
}

/// The glossary words the box explains: those on the screen, or (if none is) every word.
pub(super) struct Words<'a> {
    pub on_page: Vec<&'a GlossaryTerm>,
    pub all: Vec<&'a GlossaryTerm>,
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

/// The box's border and title; returns the room inside it.
fn popup_frame(frame: &mut Frame, rect: Rect, title: &str, theme: &Theme) -> Rect {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.strong)
        .title(Span::styled(format!(" {} ", clean(title)), theme.heading));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    inner_of(inner)
}

/// The room inside a box's border, less a column each side.
fn inner_of(inner: Rect) -> Rect {
    Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    )
}

/// The words-explained box: where it goes, and its lines (less the keys line).
fn glossary_layout(words: &Words, area: Rect, theme: &Theme) -> (Rect, Vec<Line<'static>>) {
    let (on_page, all) = (words.on_page.clone(), words.all.clone());
    let rect = centered(area, 72, area.height.saturating_sub(2));
    let width = rect.width.saturating_sub(4) as usize;
    let plain = |out: &mut Vec<Line<'static>>, spans: &[Span<'static>]| {
        out.extend(wrap(spans, width, Span::raw(""), Span::raw("")));
    };
    let mut out: Vec<Line<'static>> = Vec::new();
    let terms = if on_page.is_empty() {
        let none = if all.is_empty() {
            s::GLOSSARY_EMPTY
        } else {
            s::GLOSSARY_NONE_HERE
        };
        plain(&mut out, &[Span::styled(none, theme.quiet)]);
        out.push(Line::raw(""));
        all
    } else {
        on_page
    };
    for t in terms {
        plain(&mut out, &[Span::styled(clean(&t.term), theme.heading)]);
        if !t.aliases.is_empty() {
            plain(
                &mut out,
                &[
                    Span::styled(s::GLOSSARY_ALSO, theme.quiet),
                    Span::raw(clean(&t.aliases.join(", "))),
                ],
            );
        }
        plain(&mut out, &[Span::raw(clean(&t.definition))]);
        out.push(Line::raw(""));
    }
    while out.last().is_some_and(|l| l.width() == 0) {
        out.pop();
    }
    let h = (out.len() as u16 + 4).min(rect.height);
    (centered(area, rect.width, h), out)
}

/// The rows of words the box shows at once, and how many rows it has.
pub(super) fn glossary_metrics(words: &Words, area: Rect, theme: &Theme) -> (usize, usize) {
    let (rect, lines) = glossary_layout(words, area, theme);
    let inner = inner_of(Block::default().borders(Borders::ALL).inner(rect));
    (inner.height.saturating_sub(1) as usize, lines.len())
}

pub(super) fn glossary_popup(
    words: &Words,
    frame: &mut Frame,
    area: Rect,
    scroll: usize,
    theme: &Theme,
) {
    let (rect, out) = glossary_layout(words, area, theme);
    let inner = popup_frame(frame, rect, s::GLOSSARY_TITLE, theme);
    if inner.height < 2 {
        return;
    }
    let body = Rect::new(inner.x, inner.y, inner.width, inner.height - 1);
    let lines_h = body.height as usize;
    let max = out.len().saturating_sub(lines_h);
    let scroll = scroll.min(max);
    let mut shown: Vec<Line> = out.into_iter().skip(scroll).take(lines_h).collect();
    if scroll < max {
        // There is more below: say so on the last line.
        if let Some(last) = shown.last_mut() {
            *last = Line::styled(format!("↓ {}", s::MORE_BELOW), theme.key);
        }
    }
    frame.render_widget(Paragraph::new(shown), body);
    let keys = hint_lines(
        &keys::hints(Context::GlossaryPopup, 0),
        inner.width as usize + 1,
        theme,
    );
    if let Some(line) = keys.into_iter().next() {
        frame.render_widget(
            Paragraph::new(line),
            Rect::new(
                inner.x.saturating_sub(1),
                inner.bottom() - 1,
                inner.width + 1,
                1,
            ),
        );
    }
}

/// Lines of plain wrapped text in one style.
fn text_lines(txt: &str, style: ratatui::style::Style, width: usize) -> Vec<Line<'static>> {
    wrap(
        &[Span::styled(txt.to_string(), style)],
        width,
        Span::raw(""),
        Span::raw(""),
    )
}

pub(super) fn save_popup(
    save_dir: &str,
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
    let mut above = text_lines(s::SAVE_NAME_PROMPT, theme.strong, width);
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
    let place = s::save_where(save_dir);
    below.extend(text_lines(&place, Default::default(), width));
    below.extend(text_lines(s::SAVE_PRIVATE, theme.quiet, width));
    if kind == SaveKind::Progress {
        below.extend(text_lines(s::SAVE_PROGRESS_HOW, theme.quiet, width));
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
        let field = Rect::new(inner.x, y, inner.width, 3);
        input_box(frame, field, input, true, theme);
        y += 3;
    }
    put(frame, below, &mut y, limit.saturating_sub(1));
    let mut hints_y = bottom.saturating_sub(hints_h);
    put(frame, hints, &mut hints_y, bottom);
}

/// A question with a yes and a no, in a box.
fn yes_no(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    msg: &[&str],
    keys: &[keys::Hint],
    theme: &Theme,
) {
    let w = area.width.saturating_sub(4).min(60);
    let width = w.saturating_sub(4) as usize;
    let mut lines = Vec::new();
    for (i, m) in msg.iter().enumerate() {
        let style = if i == 0 { theme.strong } else { theme.quiet };
        lines.extend(text_lines(m, style, width));
    }
    lines.push(Line::raw(""));
    // The keys are the last thing cut when the box is short: they go first from the bottom.
    let keys = hint_lines(keys, width + 1, theme);
    let rect = centered(area, w, (lines.len() + keys.len()) as u16 + 2);
    let inner = popup_frame(frame, rect, title, theme);
    let keys_h = (keys.len() as u16).min(inner.height);
    let text_h = inner.height - keys_h;
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y, inner.width, text_h),
    );
    frame.render_widget(
        Paragraph::new(keys),
        Rect::new(
            inner.x.saturating_sub(1),
            inner.y + text_h,
            inner.width + 1,
            keys_h,
        ),
    );
}

pub(super) fn confirm_popup(frame: &mut Frame, area: Rect, c: Confirm, theme: &Theme) {
    let msg = match c {
        Confirm::Restart => s::CONFIRM_RESTART,
        Confirm::Close => s::CONFIRM_CLOSE_UNSAVED,
    };
    let keys = keys::hints(Context::ConfirmPopup, 0);
    yes_no(frame, area, s::APP, &[msg], &keys, theme);
}

/// The file to save to is already there: replace it, or choose another name?
pub(super) fn replace_popup(frame: &mut Frame, area: Rect, name: &str, theme: &Theme) {
    let keys = [
        keys::hint(Context::ConfirmPopup, &[Msg::Yes], s::K_REPLACE),
        keys::hint(Context::ConfirmPopup, &[Msg::No], s::K_OTHER_NAME),
    ];
    let msg = s::save_exists(&clean(name));
    yes_no(
        frame,
        area,
        s::SAVE_REPLACE_TITLE,
        &[&msg, s::SAVE_REPLACE_WHAT],
        &keys,
        theme,
    );
}
