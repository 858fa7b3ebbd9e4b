//! The wizard's widgets: styles, wrapped paragraphs, key hints, a scrolled body of lines and
//! the answer box. They draw what they are given and import nothing of the app (no model, no
//! messages), so any screen or popup can use them.

use ratatui::layout::{Position as CursorPos, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::line_input::LineInput;
use super::strings as s;
use super::text::{self, clean, wrap, Glossary, Mark};

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

/// The rows an answer box takes.
pub(super) const BOX_HEIGHT: u16 = 3;

/// What a screen shows in the body, before it is drawn.
pub(super) struct Body {
    pub lines: Vec<Line<'static>>,
    /// Where the person has scrolled to (when there is no focus).
    pub scroll: usize,
    /// Lines that must be in view (the answer picked, a problem).
    pub focus: Option<(usize, usize)>,
    /// An answer box goes under the lines (date, number and text questions).
    pub input: bool,
    /// The question and its answers do not fit together in the window.
    pub too_small: bool,
    /// The line of each item under "More that may help" (on the summary), for scrolling to it.
    pub items: Vec<usize>,
}

impl Body {
    pub(crate) fn scrolling(lines: Vec<Line<'static>>, scroll: usize) -> Body {
        Body {
            lines,
            scroll,
            focus: None,
            input: false,
            too_small: false,
            items: Vec::new(),
        }
    }

    pub(crate) fn focused(lines: Vec<Line<'static>>, focus: Option<(usize, usize)>) -> Body {
        Body {
            focus,
            ..Body::scrolling(lines, 0)
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
    pub(crate) fn needs(mut self, essential: usize, room: u16) -> Body {
        let room = room as usize;
        let fits = self.lines.len() <= room || essential < room;
        self.too_small = !fits;
        self
    }
}

/// Key hints, wrapped so that no hint is split across lines.
pub(super) fn hint_lines(
    hints: &[(String, &str)],
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
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
pub(super) fn scrolled(
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
