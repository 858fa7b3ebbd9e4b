//! Every key binding in one place: one table says which key means what on which kind of
//! screen, and the key hints at the bottom of each screen are generated from that table, so a
//! hint always names a key that does what it says.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::msg::{Edit, Msg};
use super::strings as s;

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

#[cfg(test)]
const CONTEXTS: [Context; 12] = [
    Context::Start,
    Context::Choice,
    Context::Multi,
    Context::Info,
    Context::Typing,
    Context::Blocked,
    Context::Check,
    Context::Summary,
    Context::Letter,
    Context::SavePopup,
    Context::ConfirmPopup,
    Context::GlossaryPopup,
];

/// A set of contexts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct In(u16);

impl In {
    const fn of(contexts: &[Context]) -> In {
        let mut bits = 0;
        let mut i = 0;
        while i < contexts.len() {
            bits |= 1 << contexts[i] as u16;
            i += 1;
        }
        In(bits)
    }
    const fn has(self, ctx: Context) -> bool {
        self.0 & (1 << ctx as u16) != 0
    }
}

use Context as C;
const ALL: In = In(u16::MAX);
const NONE: In = In(0);
const TYPING: In = In::of(&[C::Typing, C::SavePopup]);
/// Screens where letters are keys (no popup, no typing).
const KEYED: In = In::of(&[
    C::Start,
    C::Choice,
    C::Multi,
    C::Info,
    C::Blocked,
    C::Check,
    C::Summary,
    C::Letter,
]);
const PICKING: In = In::of(&[C::Choice, C::Multi]);
const DOCS: In = In::of(&[C::Summary, C::Letter]);
const SUMMARY: In = In::of(&[C::Summary]);
const LETTER: In = In::of(&[C::Letter]);
const CONFIRM: In = In::of(&[C::ConfirmPopup]);
const GLOSSARY: In = In::of(&[C::GlossaryPopup]);
const KEYED_GLOSSARY: In = In(KEYED.0 | GLOSSARY.0);

/// A key, as a binding matches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// The key with no Ctrl or Alt (Shift is part of the character).
    Plain(KeyCode),
    /// Ctrl and a letter, either case.
    Ctrl(char),
    Alt(KeyCode),
    /// Any character typed without Ctrl or Alt.
    AnyChar,
    /// 1 to 9.
    Digit,
}

/// What a binding gives.
#[derive(Debug, Clone, PartialEq, Eq)]
enum To {
    Msg(Msg),
    /// The typed character goes into the text.
    Typed,
    /// The option with that number.
    Pick,
}

/// One row of the table: these keys, in these contexts, give this. `hint_in`: the contexts
/// where the first key of the row is the one the key hints name.
struct Binding {
    keys: &'static [Key],
    when: In,
    to: To,
    hint_in: In,
}

const fn b(keys: &'static [Key], when: In, to: To, hint_in: In) -> Binding {
    Binding {
        keys,
        when,
        to,
        hint_in,
    }
}

use Key::{Alt, Ctrl, Plain};
use KeyCode as K;

const fn m(msg: Msg) -> To {
    To::Msg(msg)
}

/// The table. The first row that matches a key in a context wins.
static BINDINGS: &[Binding] = &[
    // Everywhere.
    b(&[Ctrl('q'), Ctrl('c')], ALL, m(Msg::QuickExit), NONE),
    b(&[Plain(K::Esc)], ALL, m(Msg::Esc), NONE),
    b(&[Plain(K::F(1))], ALL, m(Msg::Words), TYPING),
    b(&[Plain(K::F(2))], ALL, m(Msg::Answers), TYPING),
    b(&[Plain(K::F(3))], ALL, m(Msg::SaveProgress), TYPING),
    b(&[Plain(K::F(12))], ALL, m(Msg::Details), NONE),
    b(&[Ctrl('b'), Alt(K::Left)], ALL, m(Msg::Back), TYPING),
    b(&[Ctrl('a')], ALL, m(Msg::Answers), NONE),
    b(&[Ctrl('s')], ALL, m(Msg::SaveProgress), NONE),
    b(&[Ctrl('u')], TYPING, m(Msg::Edit(Edit::Clear)), NONE),
    // Typing into a box.
    b(&[Plain(K::Enter)], TYPING, m(Msg::Confirm), TYPING),
    b(&[Key::AnyChar], TYPING, To::Typed, NONE),
    b(
        &[Plain(K::Backspace)],
        TYPING,
        m(Msg::Edit(Edit::Backspace)),
        NONE,
    ),
    b(
        &[Plain(K::Delete)],
        TYPING,
        m(Msg::Edit(Edit::Delete)),
        NONE,
    ),
    b(&[Plain(K::Left)], TYPING, m(Msg::Edit(Edit::Left)), NONE),
    b(&[Plain(K::Right)], TYPING, m(Msg::Edit(Edit::Right)), NONE),
    b(&[Plain(K::Home)], TYPING, m(Msg::Edit(Edit::Home)), NONE),
    b(&[Plain(K::End)], TYPING, m(Msg::Edit(Edit::End)), NONE),
    // "Are you sure?"
    b(
        &[Plain(K::Char('y')), Plain(K::Char('Y'))],
        CONFIRM,
        m(Msg::Yes),
        CONFIRM,
    ),
    b(
        &[Plain(K::Char('n')), Plain(K::Char('N'))],
        CONFIRM,
        m(Msg::No),
        CONFIRM,
    ),
    b(
        &[Plain(K::Char('b')), Plain(K::Backspace), Plain(K::Left)],
        CONFIRM,
        m(Msg::No),
        NONE,
    ),
    // The words-explained box closes with the key that opened it.
    b(
        &[
            Plain(K::Enter),
            Plain(K::Char('?')),
            Plain(K::Char('q')),
            Plain(K::Char('b')),
            Plain(K::Backspace),
            Plain(K::Left),
        ],
        GLOSSARY,
        m(Msg::Words),
        GLOSSARY,
    ),
    // Moving and scrolling.
    b(&[Plain(K::Up), Plain(K::Char('k'))], ALL, m(Msg::Up), ALL),
    b(
        &[Plain(K::Down), Plain(K::Char('j'))],
        ALL,
        m(Msg::Down),
        ALL,
    ),
    b(&[Plain(K::PageUp)], ALL, m(Msg::PageUp), ALL),
    b(&[Plain(K::PageDown)], ALL, m(Msg::PageDown), ALL),
    b(
        &[Plain(K::Home), Plain(K::Char('g'))],
        KEYED_GLOSSARY,
        m(Msg::Top),
        NONE,
    ),
    b(
        &[Plain(K::End), Plain(K::Char('G'))],
        KEYED_GLOSSARY,
        m(Msg::Bottom),
        NONE,
    ),
    // The screens.
    b(
        &[Plain(K::Char('b')), Plain(K::Backspace), Plain(K::Left)],
        KEYED,
        m(Msg::Back),
        KEYED,
    ),
    b(&[Plain(K::Enter)], KEYED, m(Msg::Confirm), KEYED),
    b(&[Plain(K::Char('?'))], KEYED, m(Msg::Words), KEYED),
    b(&[Key::Digit], PICKING, To::Pick, NONE),
    b(
        &[Plain(K::Char(' '))],
        In::of(&[C::Multi]),
        m(Msg::Toggle),
        ALL,
    ),
    b(&[Plain(K::Char('t'))], DOCS, m(Msg::SaveText), ALL),
    b(
        &[Plain(K::Char('m')), Plain(K::Char('s'))],
        DOCS,
        m(Msg::SaveMarkdown),
        ALL,
    ),
    b(&[Plain(K::Char('l'))], SUMMARY, m(Msg::Letter), ALL),
    b(
        &[Plain(K::Char('c')), Plain(K::Char('a'))],
        SUMMARY,
        m(Msg::Answers),
        ALL,
    ),
    b(&[Plain(K::Char('r'))], SUMMARY, m(Msg::Restart), ALL),
    b(&[Plain(K::Tab)], SUMMARY, m(Msg::NextItem), ALL),
    b(&[Plain(K::BackTab)], SUMMARY, m(Msg::PrevItem), NONE),
    b(&[Plain(K::Char('q'))], SUMMARY, m(Msg::Close), ALL),
    b(&[Plain(K::Char('n'))], LETTER, m(Msg::NextLetter), ALL),
    b(&[Plain(K::Char('q'))], LETTER, m(Msg::Back), NONE),
    b(&[Plain(K::Char('a'))], KEYED, m(Msg::Answers), KEYED),
    b(&[Plain(K::Char('s'))], KEYED, m(Msg::SaveProgress), KEYED),
];

impl Key {
    fn matches(self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match self {
            Ctrl(c) => ctrl && matches!(key.code, KeyCode::Char(k) if k.eq_ignore_ascii_case(&c)),
            Alt(code) => alt && !ctrl && key.code == code,
            _ if ctrl || alt => false,
            Plain(code) => key.code == code,
            Key::AnyChar => matches!(key.code, KeyCode::Char(_)),
            Key::Digit => matches!(key.code, KeyCode::Char('0'..='9')),
        }
    }

    /// The key's name, as the hints show it.
    fn label(self) -> String {
        let code = |c: KeyCode| match c {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            other => format!("{other:?}"),
        };
        match self {
            Plain(c) => code(c),
            Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Alt(c) => format!("Alt-{}", code(c)),
            Key::AnyChar => "letters".to_string(),
            Key::Digit => "1-9".to_string(),
        }
    }

    /// A key event for this key (for tests, and to check hints).
    #[cfg(test)]
    fn event(self) -> KeyEvent {
        match self {
            Plain(c) => KeyEvent::new(c, KeyModifiers::NONE),
            Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            Alt(c) => KeyEvent::new(c, KeyModifiers::ALT),
            Key::AnyChar => KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE),
            Key::Digit => KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE),
        }
    }
}

/// Maps a key press to a message for this context. Keys that mean nothing here give None.
pub(crate) fn to_msg(key: KeyEvent, ctx: Context) -> Option<Msg> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let row = BINDINGS
        .iter()
        .find(|row| row.when.has(ctx) && row.keys.iter().any(|k| k.matches(&key)))?;
    match (&row.to, key.code) {
        (To::Msg(msg), _) => Some(msg.clone()),
        (To::Typed, KeyCode::Char(c)) => Some(Msg::Edit(Edit::Char(c))),
        (To::Pick, KeyCode::Char(c)) => c.to_digit(10).map(|d| Msg::Digit(d as usize)),
        _ => None,
    }
}

/// One key hint: the key (or keys, joined with "/") and what it does.
pub type Hint = (String, &'static str);

/// The hint for the messages `msgs` in this context: the advertised key of each, joined.
/// Empty if no key gives them here (a test makes sure that never happens for a shown hint).
pub fn hint(ctx: Context, msgs: &[Msg], words: &'static str) -> Hint {
    let keys: Vec<String> = msgs
        .iter()
        .filter_map(|msg| {
            BINDINGS
                .iter()
                .find(|row| {
                    row.when.has(ctx) && row.hint_in.has(ctx) && row.to == To::Msg(msg.clone())
                })
                .map(|row| row.keys[0].label())
        })
        .collect();
    // Keys come in pairs (up and down): "Up/Down PgUp/PgDn".
    let pairs: Vec<String> = keys.chunks(2).map(|pair| pair.join("/")).collect();
    (pairs.join(" "), words)
}

/// Which messages each context's key hints are about, and what they say.
fn hint_specs(ctx: Context, letters: usize) -> Vec<(&'static [Msg], &'static str)> {
    const MOVE: &[Msg] = &[Msg::Up, Msg::Down];
    const SCROLL: &[Msg] = &[Msg::Up, Msg::Down, Msg::PageUp, Msg::PageDown];
    let mut h: Vec<(&'static [Msg], &'static str)> = Vec::new();
    match ctx {
        C::Start => {
            h.push((&[Msg::Confirm], s::K_START));
            h.push((&[Msg::Words], s::K_WORDS));
        }
        C::Choice | C::Multi | C::Info | C::Typing => {
            if ctx == C::Multi {
                h.push((&[Msg::Toggle], s::K_TICK));
            }
            match ctx {
                C::Info => h.push((SCROLL, s::K_SCROLL)),
                C::Typing => {}
                _ => h.push((MOVE, s::K_MOVE)),
            }
            h.push((&[Msg::Confirm], s::K_CONTINUE));
            h.push((&[Msg::Back], s::K_BACK));
            h.push((&[Msg::Answers], s::K_ANSWERS));
            h.push((&[Msg::Words], s::K_WORDS));
            h.push((&[Msg::SaveProgress], s::K_SAVE_PROGRESS));
        }
        C::Blocked => {
            h.push((&[Msg::Back], s::K_BACK));
            h.push((&[Msg::Answers], s::K_ANSWERS));
            h.push((&[Msg::SaveProgress], s::K_SAVE_PROGRESS));
        }
        C::Check => {
            h.push((MOVE, s::K_MOVE));
            h.push((&[Msg::Confirm], s::K_CHANGE_THIS));
            h.push((&[Msg::Back], s::K_BACK));
            h.push((&[Msg::Words], s::K_WORDS));
        }
        C::Summary => {
            h.push((SCROLL, s::K_SCROLL));
            h.push((&[Msg::NextItem], s::K_NEXT_ITEM));
            h.push((&[Msg::Confirm], s::K_OPEN_ITEM));
            h.push((&[Msg::SaveText], s::K_SAVE_TXT));
            h.push((&[Msg::SaveMarkdown], s::K_SAVE_MD));
            if letters > 0 {
                h.push((&[Msg::Letter], s::K_LETTER));
            }
            h.push((&[Msg::Answers], s::K_CHANGE));
            h.push((&[Msg::Restart], s::K_RESTART));
            h.push((&[Msg::Close], s::K_CLOSE));
        }
        C::Letter => {
            h.push((SCROLL, s::K_SCROLL));
            if letters > 1 {
                h.push((&[Msg::NextLetter], s::K_NEXT_LETTER));
            }
            h.push((&[Msg::Back], s::K_BACK));
            h.push((&[Msg::SaveText], s::K_SAVE_TXT));
            h.push((&[Msg::SaveMarkdown], s::K_SAVE_MD));
        }
        C::SavePopup => {
            h.push((&[Msg::Confirm], s::K_SAVE));
            h.push((&[Msg::Back], s::K_CANCEL));
        }
        C::ConfirmPopup => {
            h.push((&[Msg::Yes], s::K_YES));
            h.push((&[Msg::No], s::K_NO));
        }
        C::GlossaryPopup => {
            h.push((MOVE, s::K_SCROLL));
            h.push((&[Msg::Words], s::K_CLOSE));
        }
    }
    h
}

/// The key hints for the bottom of a screen (or of a popup).
pub(crate) fn hints(ctx: Context, letters: usize) -> Vec<Hint> {
    hint_specs(ctx, letters)
        .into_iter()
        .map(|(msgs, words)| hint(ctx, msgs, words))
        .collect()
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
        for ctx in CONTEXTS {
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
            Some(Msg::Digit(3))
        );
        assert_eq!(
            to_msg(
                KeyEvent::new(KeyCode::Char('b'), KeyModifiers::ALT),
                Context::Choice
            ),
            None
        );
    }

    /// Every hint on every screen names keys that, on that screen, do what the hint says:
    /// change a binding (or shadow it with an earlier row) and this fails until the hint
    /// follows.
    #[test]
    fn every_hint_names_keys_that_do_what_it_says() {
        for ctx in CONTEXTS {
            for letters in [0, 1, 2] {
                for (msgs, words) in hint_specs(ctx, letters) {
                    let (label, _) = hint(ctx, msgs, words);
                    let parts: Vec<&str> = label.split(['/', ' ']).collect();
                    assert_eq!(parts.len(), msgs.len(), "{ctx:?} {words}: {label:?}");
                    for (part, msg) in parts.iter().zip(msgs) {
                        let row = BINDINGS
                            .iter()
                            .find(|r| r.hint_in.has(ctx) && r.keys[0].label() == *part)
                            .unwrap_or_else(|| panic!("{ctx:?}: no key {part}"));
                        assert_eq!(
                            to_msg(row.keys[0].event(), ctx).as_ref(),
                            Some(msg),
                            "{ctx:?}: {part} should mean {words}"
                        );
                    }
                }
            }
        }
    }

    /// What the hints say, spelled out: the words on screen are these.
    #[test]
    fn hints_read_as_expected() {
        let shown = |ctx| {
            hints(ctx, 1)
                .iter()
                .map(|(k, w)| format!("{k} {w}"))
                .collect::<Vec<_>>()
                .join(" | ")
        };
        assert_eq!(
            shown(Context::Choice),
            "Up/Down Move | Enter Continue | b Back | a Your answers | ? Words explained | s Save answers"
        );
        assert_eq!(
            shown(Context::Typing),
            "Enter Continue | Ctrl-B Back | F2 Your answers | F1 Words explained | F3 Save answers"
        );
        assert_eq!(shown(Context::ConfirmPopup), "y Yes | n No, go back");
        assert_eq!(shown(Context::SavePopup), "Enter Save | Ctrl-B Cancel");
    }
}
