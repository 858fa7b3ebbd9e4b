//! One line of typed text with a cursor: the answer box and the file-name box.

use super::msg::Edit;

/// The longest answer a person can type into a box (the session enforces the real limits).
const MAX_INPUT: usize = 500;

/// One line of typed text with a cursor (counted in characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    pub cursor: usize,
    /// The text was filled in for the person (a suggested file name, an earlier answer):
    /// typing replaces it, as with selected text, and the arrow keys keep it.
    pub suggested: bool,
}

impl LineInput {
    pub fn new(text: &str) -> Self {
        LineInput {
            text: text.to_string(),
            cursor: text.chars().count(),
            suggested: false,
        }
    }

    /// Text filled in for the person, replaced by the first thing they type.
    pub fn suggested(text: &str) -> Self {
        LineInput {
            suggested: !text.is_empty(),
            ..LineInput::new(text)
        }
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn apply(&mut self, edit: Edit) {
        if std::mem::take(&mut self.suggested) {
            match edit {
                Edit::Char(c) if !c.is_control() => *self = LineInput::default(),
                Edit::Backspace | Edit::Delete => {
                    *self = LineInput::default();
                    return;
                }
                _ => {}
            }
        }
        let len = self.text.chars().count();
        match edit {
            Edit::Char(c) if !c.is_control() && len < MAX_INPUT => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
            }
            Edit::Char(_) => {}
            Edit::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
            }
            Edit::Backspace => {}
            Edit::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
            }
            Edit::Delete => {}
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(len),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = len,
            Edit::Clear => *self = LineInput::default(),
        }
    }
}
