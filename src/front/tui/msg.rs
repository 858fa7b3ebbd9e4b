//! The wizard's messages and effects (The Elm Architecture): what the person asked for, or what
//! the terminal loop reports (`Msg`), and what `update` asks the loop to do (`Effect`). Plain
//! data that imports nothing of the wizard, so keys, widgets and screens can all name it.

use std::path::PathBuf;

/// What the person asked for, whatever key they used (the Elm "message"). Keys give most of
/// them; the terminal loop gives the others (the window's size, how a write went).
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// A number key, 0 to 9. Two in a row make a two-digit option number ("1" then "0" is the
    /// tenth option) when the list is that long.
    Digit(usize),
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
    /// On the summary: choose the next (or previous) item under "More that may help".
    NextItem,
    PrevItem,
    Details,
    Yes,
    No,
    Edit(Edit),
    /// The window is now this many columns by rows (from the terminal loop).
    Resize(u16, u16),
    /// A file write asked for by `Effect::Write` was done (or not).
    Written(Written),
}

/// How an `Effect::Write` went, reported back to `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub kind: SaveKind,
    /// The name the person typed.
    pub name: String,
    pub path: std::path::PathBuf,
    pub result: Result<(), WriteError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// Something is already there and the person has not said to replace it.
    Exists,
    /// The write failed; why.
    Failed(String),
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

/// What the terminal loop should do after a message: `update` decides, the loop does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing to do but redraw.
    None,
    /// Close normally.
    Quit,
    /// Leave at once: restore and clear the terminal and its scrollback, write nothing.
    QuickExit,
    /// Write a file (owner-only, atomically), then tell `update` how it went with
    /// `Msg::Written`.
    Write(WriteFile),
}

/// A file to write for the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFile {
    pub kind: SaveKind,
    /// The name as the person typed it.
    pub name: String,
    pub path: PathBuf,
    pub contents: String,
    /// The person said to replace what is there. If false and something is there, the write
    /// is not done and `WriteError::Exists` comes back.
    pub replace: bool,
}

/// Which file a save writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    Markdown,
    Text,
    Progress,
}

/// What the window shows of the model as it is: worked out by the terminal loop with the layout
/// the view draws with (`view::measure`), and handed to `update` with each message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewport {
    /// The window shows the screen (not "Please make this window bigger").
    pub fits: bool,
    pub height: usize,
    pub max_scroll: usize,
    pub popup_height: usize,
    pub popup_max_scroll: usize,
    /// The line of each item under "More that may help" (on the summary).
    pub items: Vec<usize>,
}
