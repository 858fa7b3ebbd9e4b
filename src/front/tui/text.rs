//! Text for the screen: removing control characters, marking glossary words, and wrapping
//! styled text to a width (our own wrapper, so the wizard knows how many lines a page takes and
//! can keep the highlighted answer in view).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub use crate::core::glossary::Glossary;

/// Makes text from a tree or from a person safe to show: removes terminal escape sequences,
/// control characters (keeping line breaks) and the invisible characters that reorder text.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 control sequence introducer and operating system command.
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{9d}' => skip_until_terminator(&mut chars),
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\r' => {}
            c if c.is_control() => {}
            // Bidirectional overrides and other invisible format characters, which can make
            // text read differently from what it says.
            c if crate::core::hidden::is_hidden_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_until_final(chars);
        }
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
            chars.next();
            skip_until_terminator(chars);
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

/// A CSI sequence ends with a byte from `@` to `~`.
fn skip_until_final(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// An OSC or DCS string ends with BEL or ESC \.
fn skip_until_terminator(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        if c == '\u{7}' || c == '\u{9c}' {
            break;
        }
        if c == '\u{1b}' {
            if chars.peek() == Some(&'\\') {
                chars.next();
            }
            break;
        }
    }
}

/// Display width of a string in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Glossary words marked in styled text (the finding is the core's, shared by every front end).
pub trait Mark {
    /// Splits text into spans, with glossary words in `marked` style.
    fn mark(&self, text: &str, base: Style, marked: Style) -> Vec<Span<'static>>;
}

impl Mark for Glossary<'_> {
    fn mark(&self, text: &str, base: Style, marked: Style) -> Vec<Span<'static>> {
        let text = clean(text);
        let mut spans = Vec::new();
        let mut at = 0;
        for (s, e, _) in self.find(&text) {
            if s > at {
                spans.push(Span::styled(text[at..s].to_string(), base));
            }
            spans.push(Span::styled(text[s..e].to_string(), base.patch(marked)));
            at = e;
        }
        if at < text.len() {
            spans.push(Span::styled(text[at..].to_string(), base));
        }
        spans
    }
}

/// Wraps styled text to `width` cells. Line breaks in the text start new lines; runs of spaces
/// become one; a word too long for a line is split. `first` is put before the first line and
/// `rest` before the others (for numbered options and bullet lists).
pub(crate) fn wrap(
    spans: &[Span<'_>],
    width: usize,
    first: Span<'static>,
    rest: Span<'static>,
) -> Vec<Line<'static>> {
    // Split into paragraphs at line breaks, keeping styles.
    let mut paragraphs: Vec<Vec<(String, Style)>> = vec![Vec::new()];
    for span in spans {
        let text = clean(&span.content);
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                paragraphs.push(Vec::new());
            }
            if !part.is_empty() {
                if let Some(p) = paragraphs.last_mut() {
                    p.push((part.to_string(), span.style));
                }
            }
        }
    }
    let mut lines = Vec::new();
    for para in paragraphs {
        let prefix = if lines.is_empty() {
            first.clone()
        } else {
            rest.clone()
        };
        wrap_paragraph(&para, width, prefix, &rest, &mut lines);
    }
    lines
}

/// A word: consecutive non-space pieces, possibly in several styles ("section 47," where only
/// "section 47" is underlined is two words, "47," is one of two pieces).
type Word = Vec<(String, Style)>;

fn words_of(para: &[(String, Style)]) -> Vec<(bool, Word)> {
    // (space before?, word)
    let mut words: Vec<(bool, Word)> = Vec::new();
    let mut space = false;
    let mut current: Word = Vec::new();
    for (text, style) in para {
        let mut piece = String::new();
        for c in text.chars() {
            if c == ' ' {
                if !piece.is_empty() {
                    current.push((std::mem::take(&mut piece), *style));
                }
                if !current.is_empty() {
                    words.push((space, std::mem::take(&mut current)));
                }
                space = true;
            } else {
                piece.push(c);
            }
        }
        if !piece.is_empty() {
            current.push((piece, *style));
        }
    }
    if !current.is_empty() {
        words.push((space, current));
    }
    words
}

fn wrap_paragraph(
    para: &[(String, Style)],
    width: usize,
    prefix: Span<'static>,
    rest: &Span<'static>,
    lines: &mut Vec<Line<'static>>,
) {
    let leading: String = para
        .first()
        .map(|(t, _)| t.chars().take_while(|c| *c == ' ').collect())
        .unwrap_or_default();
    let mut line: Vec<Span<'static>> = vec![prefix.clone()];
    let mut used = width_of_span(&prefix);
    if !leading.is_empty() && used + leading.len() < width {
        used += leading.len();
        line.push(Span::raw(leading));
    }
    let start_used = used;
    let words = words_of(para);
    if words.is_empty() {
        lines.push(Line::from(line));
        return;
    }
    let mut first_on_line = true;
    for (space_before, word) in words {
        let ww: usize = word
            .iter()
            .map(|(t, _)| UnicodeWidthStr::width(t.as_str()))
            .sum();
        let gap = usize::from(space_before && !first_on_line);
        if !first_on_line && used + gap + ww > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            line.push(rest.clone());
            used = width_of_span(rest);
            first_on_line = true;
        }
        let gap = usize::from(space_before && !first_on_line);
        if gap == 1 {
            let style = word.first().map(|(_, s)| *s).unwrap_or_default();
            // The space takes the style of the text around it only when both sides share it
            // (so an underlined phrase stays one underline).
            let prev = line.last().map(|s| s.style);
            let sp_style = if prev == Some(style) {
                style
            } else {
                Style::default()
            };
            line.push(Span::styled(" ", sp_style));
            used += 1;
        }
        if used + ww <= width || width <= start_used.max(width_of_span(rest)) {
            for (t, s) in word {
                line.push(Span::styled(t, s));
            }
            used += ww;
        } else {
            // Too long for any line: split it by characters.
            for (t, s) in word {
                let mut piece = String::new();
                for c in t.chars() {
                    let cw = c.width().unwrap_or(0);
                    if used + cw > width && used > width_of_span(rest) {
                        if !piece.is_empty() {
                            line.push(Span::styled(std::mem::take(&mut piece), s));
                        }
                        lines.push(Line::from(std::mem::take(&mut line)));
                        line.push(rest.clone());
                        used = width_of_span(rest);
                    }
                    piece.push(c);
                    used += cw;
                }
                if !piece.is_empty() {
                    line.push(Span::styled(piece, s));
                }
            }
        }
        first_on_line = false;
    }
    lines.push(Line::from(line));
}

fn width_of_span(s: &Span<'_>) -> usize {
    width(&s.content)
}

/// Plain text of a line.
#[cfg(test)]
pub(crate) fn line_text(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(line_text).collect()
    }

    #[test]
    fn clean_removes_escapes_and_controls() {
        assert_eq!(clean("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(clean("x\u{1b}]0;title\u{7}y"), "xy");
        assert_eq!(clean("one\r\ntwo\tthree\u{0}"), "one\ntwo three");
        assert_eq!(clean("abc\u{202e}def"), "abcdef");
    }

    #[test]
    fn wraps_words_and_keeps_hanging_indent() {
        let spans = [Span::raw("one two three four five six")];
        let lines = wrap(&spans, 12, Span::raw("1. "), Span::raw("   "));
        assert_eq!(
            texts(&lines),
            ["1. one two", "   three", "   four five", "   six"]
        );
    }

    #[test]
    fn splits_long_words_and_survives_tiny_widths() {
        let spans = [Span::raw("abcdefghij")];
        let lines = wrap(&spans, 4, Span::raw(""), Span::raw(""));
        assert_eq!(texts(&lines), ["abcd", "efgh", "ij"]);
        for w in 0..3 {
            let _ = wrap(&spans, w, Span::raw("> "), Span::raw("  "));
        }
    }

    #[test]
    fn line_breaks_start_new_lines() {
        let spans = [Span::raw("a\n\nb")];
        let lines = wrap(&spans, 10, Span::raw(""), Span::raw(""));
        assert_eq!(texts(&lines), ["a", "", "b"]);
    }
}
