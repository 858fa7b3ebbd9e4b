//! Every key binding in one place: which key means what on which kind of screen, and the key
//! hints shown at the bottom of each screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::strings as s;

/// What the person asked for, whatever key they used (the Elm "message").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// Leave at once: restore and clear the terminal, write nothing.
    QuickExit,
    /// Esc: the first press arms the quick exit (and closes a popup), the second leaves.
    Esc,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// A number key: the option at this index (0-based).
    Pick(usize),
    Toggle,
    Confirm,
    Back,
    Answers,
    Words,
    SaveProgress,
    SaveMarkdown,
    SaveText,
    Letter,
    NextLetter,
    Restart,
    Close,
    Details,
    Yes,
    No,
    Edit(Edit),
}

/// Editing a line of typed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Char(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    Clear,
}

/// What kind of screen has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Start,
    Choice,
    Multi,
    Info,
    /// A date, number or text question: letters go into the answer.
    Typing,
    Blocked,
    Check,
    Summary,
    Letter,
    SavePopup,
    ConfirmPopup,
    GlossaryPopup,
}

impl Context {
    fn typing(self) -> bool {
        matches!(self, Context::Typing | Context::SavePopup)
    }
}

/// Maps a key press to a message for this context. Keys that mean nothing here give None.
pub fn to_msg(key: KeyEvent, ctx: Context) -> Option<Msg> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    // Keys that work everywhere.
    match key.code {
        KeyCode::Char('q' | 'Q' | 'c' | 'C') if ctrl => return Some(Msg::QuickExit),
        KeyCode::Esc => return Some(Msg::Esc),
        KeyCode::F(1) => return Some(Msg::Words),
        KeyCode::F(2) => return Some(Msg::Answers),
        KeyCode::F(3) => return Some(Msg::SaveProgress),
        KeyCode::F(12) => return Some(Msg::Details),
        KeyCode::Char('b' | 'B') if ctrl => return Some(Msg::Back),
        KeyCode::Char('a' | 'A') if ctrl => return Some(Msg::Answers),
        KeyCode::Char('s' | 'S') if ctrl => return Some(Msg::SaveProgress),
        KeyCode::Left if alt => return Some(Msg::Back),
        KeyCode::Char('u' | 'U') if ctrl && ctx.typing() => return Some(Msg::Edit(Edit::Clear)),
        _ => {}
    }
    if ctrl || alt {
        return None;
    }
    if ctx.typing() {
        return match key.code {
            KeyCode::Enter => Some(Msg::Confirm),
            KeyCode::Char(c) => Some(Msg::Edit(Edit::Char(c))),
            KeyCode::Backspace => Some(Msg::Edit(Edit::Backspace)),
            KeyCode::Delete => Some(Msg::Edit(Edit::Delete)),
            KeyCode::Left => Some(Msg::Edit(Edit::Left)),
            KeyCode::Right => Some(Msg::Edit(Edit::Right)),
            KeyCode::Home => Some(Msg::Edit(Edit::Home)),
            KeyCode::End => Some(Msg::Edit(Edit::End)),
            KeyCode::PageUp => Some(Msg::PageUp),
            KeyCode::PageDown => Some(Msg::PageDown),
            KeyCode::Up => Some(Msg::Up),
            KeyCode::Down => Some(Msg::Down),
            _ => None,
        };
    }
    let movement = match key.code {
        KeyCode::Up | KeyCode::Char('k') => Some(Msg::Up),
        KeyCode::Down | KeyCode::Char('j') => Some(Msg::Down),
        KeyCode::PageUp => Some(Msg::PageUp),
        KeyCode::PageDown => Some(Msg::PageDown),
        KeyCode::Home | KeyCode::Char('g') => Some(Msg::Top),
        KeyCode::End | KeyCode::Char('G') => Some(Msg::Bottom),
        _ => None,
    };
    let back = matches!(
        key.code,
        KeyCode::Char('b') | KeyCode::Backspace | KeyCode::Left
    );
    match ctx {
        Context::ConfirmPopup => match key.code {
            KeyCode::Char('y' | 'Y') => Some(Msg::Yes),
            KeyCode::Char('n' | 'N') => Some(Msg::No),
            _ if back => Some(Msg::No),
            _ => None,
        },
        Context::GlossaryPopup => match key.code {
            KeyCode::Enter | KeyCode::Char('?' | 'q') => Some(Msg::Words),
            _ if back => Some(Msg::Words),
            _ => movement,
        },
        _ => {
            if movement.is_some() {
                return movement;
            }
            if back {
                return Some(Msg::Back);
            }
            match (ctx, key.code) {
                (_, KeyCode::Enter) => Some(Msg::Confirm),
                (_, KeyCode::Char('?')) => Some(Msg::Words),
                (Context::Choice | Context::Multi, KeyCode::Char(c @ '1'..='9')) => {
                    Some(Msg::Pick(c as usize - '1' as usize))
                }
                (Context::Multi, KeyCode::Char(' ')) => Some(Msg::Toggle),
                (Context::Summary, KeyCode::Char('m' | 's')) => Some(Msg::SaveMarkdown),
                (Context::Summary, KeyCode::Char('t')) => Some(Msg::SaveText),
                (Context::Summary, KeyCode::Char('l')) => Some(Msg::Letter),
                (Context::Summary, KeyCode::Char('c' | 'a')) => Some(Msg::Answers),
                (Context::Summary, KeyCode::Char('r')) => Some(Msg::Restart),
                (Context::Summary, KeyCode::Char('q')) => Some(Msg::Close),
                (Context::Letter, KeyCode::Char('n')) => Some(Msg::NextLetter),
                (Context::Letter, KeyCode::Char('q')) => Some(Msg::Back),
                (Context::Letter, KeyCode::Char('m' | 's')) => Some(Msg::SaveMarkdown),
                (Context::Letter, KeyCode::Char('t')) => Some(Msg::SaveText),
                (_, KeyCode::Char('a')) => Some(Msg::Answers),
                (_, KeyCode::Char('s')) => Some(Msg::SaveProgress),
                _ => None,
            }
        }
    }
}

/// The key hints for the bottom of a screen.
pub fn hints(ctx: Context, letters: usize) -> Vec<(&'static str, &'static str)> {
    let mut h = Vec::new();
    match ctx {
        Context::Start => {
            h.push(s::K_ENTER_START);
            h.push(s::K_WORDS);
        }
        Context::Choice | Context::Multi | Context::Info => {
            if ctx == Context::Multi {
                h.push(s::K_SPACE_TICK);
            }
            if ctx == Context::Info {
                h.push(s::K_SCROLL);
            } else {
                h.push(s::K_UP_DOWN);
            }
            h.push(s::K_ENTER_CONTINUE);
            h.push(s::K_BACK);
            h.push(s::K_ANSWERS);
            h.push(s::K_WORDS);
            h.push(s::K_SAVE_PROGRESS);
        }
        Context::Typing => {
            h.push(s::K_ENTER_CONTINUE);
            h.push(s::K_BACK_TYPING);
            h.push(s::K_ANSWERS_TYPING);
            h.push(s::K_WORDS_TYPING);
            h.push(s::K_SAVE_PROGRESS_TYPING);
        }
        Context::Blocked => {
            h.push(s::K_BACK);
            h.push(s::K_ANSWERS);
            h.push(s::K_SAVE_PROGRESS);
        }
        Context::Check => {
            h.push(s::K_UP_DOWN);
            h.push(s::K_ENTER_CHANGE);
            h.push(s::K_BACK);
            h.push(s::K_WORDS);
        }
        Context::Summary => {
            h.push(s::K_SCROLL);
            h.push(s::K_SAVE_TXT);
            h.push(s::K_SAVE_MD);
            if letters > 0 {
                h.push(s::K_LETTER);
            }
            h.push(s::K_CHANGE);
            h.push(s::K_RESTART);
            h.push(s::K_CLOSE);
        }
        Context::Letter => {
            h.push(s::K_SCROLL);
            if letters > 1 {
                h.push(s::K_NEXT_LETTER);
            }
            h.push(s::K_BACK);
            h.push(s::K_SAVE_TXT);
            h.push(s::K_SAVE_MD);
        }
        Context::SavePopup => {
            h.push(s::K_ENTER_SAVE);
            h.push(s::K_CANCEL);
        }
        Context::ConfirmPopup | Context::GlossaryPopup => {}
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn quick_exit_works_everywhere() {
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for ctx in [
            Context::Start,
            Context::Choice,
            Context::Typing,
            Context::Summary,
            Context::SavePopup,
            Context::ConfirmPopup,
            Context::GlossaryPopup,
        ] {
            assert_eq!(to_msg(ctrl_q, ctx), Some(Msg::QuickExit));
            assert_eq!(to_msg(ctrl_c, ctx), Some(Msg::QuickExit));
            assert_eq!(to_msg(key(KeyCode::Esc), ctx), Some(Msg::Esc));
        }
    }

    #[test]
    fn letters_are_typed_where_typing() {
        assert_eq!(
            to_msg(key(KeyCode::Char('b')), Context::Typing),
            Some(Msg::Edit(Edit::Char('b')))
        );
        assert_eq!(
            to_msg(key(KeyCode::Char('b')), Context::Choice),
            Some(Msg::Back)
        );
        assert_eq!(
            to_msg(key(KeyCode::Char('3')), Context::Choice),
            Some(Msg::Pick(2))
        );
    }
}
