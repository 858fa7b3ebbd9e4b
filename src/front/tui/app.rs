//! The wizard's model and its update function (The Elm Architecture): a key becomes a `Msg`
//! (keys.rs), `update` changes the model and returns an `Effect` for the terminal loop to
//! carry out (mod.rs: quit, or write a file and report back with `Msg::Written`), and `view`
//! (view.rs) draws it. Nothing here touches the terminal or writes a file, so tests drive it
//! with key events and draw it on a `TestBackend`.
//!
//! Advice logic lives in the Session and the Summary, never here: the wizard only asks, passes
//! answers on, and shows what comes back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use ratatui::crossterm::event::KeyEvent;

use super::keys::{self, Context, Msg};
pub use super::line_input::LineInput;
use super::strings as s;
use crate::core::calendar;
use crate::core::changes::Snapshot;
use crate::core::compile::Library;
use crate::core::format::Node;
use crate::core::glossary::Glossary;
use crate::core::page;
use crate::core::session::{NodeKey, Position, Session};
use crate::core::summary::{self, Summary};

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

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Start,
    /// The session's current question or page (or why it cannot go on).
    Question,
    /// Every answer, with a way to change each.
    Check {
        selected: usize,
        from: CheckFrom,
    },
    /// Changing an earlier answer.
    Change {
        key: NodeKey,
        from: CheckFrom,
    },
    Summary,
    Letter {
        index: usize,
    },
}

/// Where "Check your answers" was opened from (where Back goes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFrom {
    /// In the middle of the questions.
    Questions,
    /// After the last question, before the summary.
    End,
    /// From the summary.
    Summary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    Markdown,
    Text,
    Progress,
}

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

/// The state of the question being answered on screen.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// The question this form is for.
    pub key: Option<NodeKey>,
    /// Choice: the highlighted answer (none until the person picks). Multi: the cursor.
    pub selected: Option<usize>,
    /// Multi: which options are ticked.
    pub ticked: Vec<bool>,
    pub input: LineInput,
    pub error: Option<String>,
    /// An earlier answer was filled in.
    pub prefilled: bool,
    /// The option number typed by the last key, if it was a digit: a second digit may extend it.
    pub typed_number: Option<usize>,
}

/// What changing an answer did to the advice (the core works it out for every front end).
pub use crate::core::changes::Changes as ChangeNote;

/// How much of the page fits, and how far it can scroll: worked out from the window's size
/// by the same layout the view draws with (`view::viewport`), when update needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    pub height: usize,
    pub max_scroll: usize,
    pub popup_height: usize,
    pub popup_max_scroll: usize,
}

pub struct App<'l> {
    pub(super) session: Session<'l>,
    pub(super) screen: Screen,
    pub(super) popup: Option<Popup>,
    pub(super) form: Form,
    pub(super) esc_armed: bool,
    pub(super) details: bool,
    pub(super) color: bool,
    /// A one-off message at the bottom (e.g. "Saved to ...").
    pub(super) status: Option<String>,
    /// Shown on the start screen (e.g. after resuming).
    pub(super) start_notes: Vec<String>,
    pub(super) change_note: Option<ChangeNote>,
    baseline: Option<Snapshot>,
    /// The glossary, ready to search (built once, not per frame).
    pub(super) glossary: Glossary<'l>,
    /// The question or page on screen, worked out by the core when the screen changes.
    pub(super) page: Option<page::Page<'l>>,
    /// How far along, in thousandths; only goes down when the person goes back or changes
    /// an answer.
    pub(super) progress: u16,
    pub(super) scroll: usize,
    summary_scroll: usize,
    /// The window's size (columns, rows), from `Msg::Resize`.
    pub(super) size: (u16, u16),
    pub(super) summary: Option<Summary>,
    /// Which items under "More that may help" are open, and the one chosen.
    pub(super) fold: super::summary_view::Fold,
    pub(super) saved_summary: bool,
    pub(super) save_dir: PathBuf,
    /// The save folder as shown to the person (resolved once, when it is set).
    pub(super) save_dir_shown: String,
    pub(super) home: Option<PathBuf>,
    pub(super) progress_file: Option<String>,
}

impl<'l> App<'l> {
    /// A wizard over `root`, answering as if today were `today`.
    pub fn new(lib: &'l Library, root: &str, today: Date) -> Result<App<'l>, String> {
        let session = Session::new(lib, root, today)?;
        let mut app = App {
            session,
            screen: Screen::Start,
            popup: None,
            form: Form::default(),
            esc_armed: false,
            details: false,
            color: true,
            status: None,
            start_notes: Vec::new(),
            change_note: None,
            baseline: None,
            glossary: Glossary::of(lib),
            page: None,
            progress: 0,
            scroll: 0,
            summary_scroll: 0,
            size: (80, 24),
            summary: None,
            fold: Default::default(),
            saved_summary: false,
            save_dir: PathBuf::from("."),
            save_dir_shown: ".".to_string(),
            home: std::env::var_os("HOME").map(PathBuf::from),
            progress_file: None,
        };
        app.refresh_progress(false);
        Ok(app)
    }

    /// Carries on from saved answers; what no longer fits the tree is dropped and the person
    /// is told on the start screen.
    pub fn resume(&mut self, answers: BTreeMap<NodeKey, String>, changed: bool, file: &str) {
        let dropped = self.session.restore(answers);
        self.start_notes.push(s::resumed_from(file));
        if changed {
            self.start_notes.push(s::RESUMED_CHANGED.to_string());
        }
        let shown = crate::core::limits::MAX_DROPPED_SHOWN;
        for key in dropped.iter().take(shown) {
            let q = self.question_text(key);
            self.start_notes.push(s::resumed_dropped(&q));
        }
        if dropped.len() > shown {
            let more = dropped.len() - shown;
            self.start_notes.push(s::resumed_dropped_more(more));
        }
        self.progress_file = Some(file.to_string());
        self.refresh_progress(false);
    }

    /// Colours on or off (`NO_COLOR`). Nothing is ever shown by colour alone.
    pub fn set_color(&mut self, on: bool) {
        self.color = on;
    }

    /// The folder that file names are relative to (the current folder when run).
    pub fn set_save_dir(&mut self, dir: &Path) {
        self.save_dir = dir.to_path_buf();
        self.save_dir_shown = std::fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.to_path_buf())
            .display()
            .to_string();
    }

    pub fn session(&self) -> &Session<'l> {
        &self.session
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn popup(&self) -> Option<&Popup> {
        self.popup.as_ref()
    }

    /// The summary on show, once the person has reached it.
    pub fn summary(&self) -> Option<&Summary> {
        self.summary.as_ref()
    }

    pub fn library(&self) -> &'l Library {
        self.session.library()
    }

    /// Handles one key press. The effect is for the terminal loop (or a test) to carry out.
    pub fn handle_key(&mut self, key: KeyEvent) -> Effect {
        match keys::to_msg(key, self.context()) {
            Some(msg) => self.update(msg),
            None => {
                self.esc_armed = false;
                Effect::None
            }
        }
    }

    /// The kind of screen that has the keyboard.
    pub(crate) fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::Glossary { .. }) => return Context::GlossaryPopup,
            Some(Popup::Save { .. }) => return Context::SavePopup,
            Some(Popup::Confirm(_) | Popup::Replace { .. }) => return Context::ConfirmPopup,
            None => {}
        }
        match &self.screen {
            Screen::Start => Context::Start,
            Screen::Question => match self.session.position() {
                Position::Blocked { .. } => Context::Blocked,
                _ => self.shown_node().map_or(Context::Blocked, node_context),
            },
            Screen::Change { .. } => self.shown_node().map_or(Context::Check, node_context),
            Screen::Check { .. } => Context::Check,
            Screen::Summary => Context::Summary,
            Screen::Letter { .. } => Context::Letter,
        }
    }

    /// The question on screen: the current one, or the one being changed.
    pub(super) fn shown_key(&self) -> Option<NodeKey> {
        match &self.screen {
            Screen::Change { key, .. } => Some(key.clone()),
            Screen::Question => match self.session.position() {
                Position::Asking(k) => Some(k.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    pub(super) fn shown_node(&self) -> Option<&'l Node> {
        let key = self.shown_key()?;
        self.node(&key)
    }

    pub(super) fn node(&self, key: &NodeKey) -> Option<&'l Node> {
        self.library()
            .flow(&key.tree)
            .and_then(|f| f.node_by_id(&key.node))
            .map(|(_, n)| n)
    }

    fn question_text(&self, key: &NodeKey) -> String {
        self.node(key)
            .and_then(|n| n.question().map(str::to_string))
            .unwrap_or_else(|| key.to_string())
    }

    /// The rows of "Check your answers": answers by index, then the Continue row.
    pub(super) fn check_rows(&self) -> usize {
        self.session.trace().answered.len() + 1
    }

    fn refresh_progress(&mut self, forward: bool) {
        let done = page::screens_done(&self.session);
        let left = if self.session.is_finished() {
            0
        } else {
            self.session.remaining_estimate()
        };
        let total = done + left;
        let now = (done * 1000).checked_div(total).unwrap_or(1000) as u16;
        self.progress = if forward { self.progress.max(now) } else { now };
    }

    fn go(&mut self, screen: Screen) {
        if self.screen == Screen::Summary {
            self.summary_scroll = self.scroll;
        }
        self.scroll = if screen == Screen::Summary {
            self.summary_scroll
        } else {
            0
        };
        self.screen = screen;
        self.status = None;
        self.sync_form();
    }

    /// Sets the form up for the question on screen, if it changed.
    fn sync_form(&mut self) {
        let key = self.shown_key();
        self.page = key.as_ref().and_then(|k| match self.session.position() {
            Position::Asking(now) if now == k => page::Page::current(&self.session, &self.glossary),
            _ => page::Page::for_key(&self.session, k, &self.glossary),
        });
        if key == self.form.key {
            return;
        }
        self.form = Form {
            key: key.clone(),
            ..Form::default()
        };
        let (Some(key), Some(node)) = (key, self.shown_node()) else {
            return;
        };
        let prefill = match &self.screen {
            Screen::Change { .. } => self.session.answers().get(&key).map(ToString::to_string),
            _ => self.session.prefill().map(ToString::to_string),
        };
        self.form.prefilled = prefill.is_some();
        // The form counts options in the order the page shows them.
        let order = self.page_order();
        match node {
            Node::Choice(c) => {
                self.form.selected = prefill
                    .as_ref()
                    .and_then(|p| order.iter().position(|&i| &c.options[i].value == p));
            }
            Node::Multi(m) => {
                let picked: Vec<&str> = prefill
                    .as_deref()
                    .map(|p| p.split(',').collect())
                    .unwrap_or_default();
                self.form.ticked = order
                    .iter()
                    .map(|&i| picked.contains(&m.options[i].value.as_str()))
                    .collect();
                self.form.selected = Some(0);
            }
            Node::Date(_) => {
                let shown = prefill
                    .as_deref()
                    .map(|p| match calendar::parse_iso(p) {
                        Some(d) => format!("{}/{}/{}", d.day(), d.month(), d.year()),
                        None => p.to_string(),
                    })
                    .unwrap_or_default();
                self.form.input = LineInput::suggested(&shown);
            }
            Node::Number(_) | Node::Text(_) => {
                self.form.input = LineInput::suggested(prefill.as_deref().unwrap_or_default());
            }
            _ => self.form.prefilled = false,
        }
    }

    /// The message loop's heart: one message in, the model changed, an action out.
    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::QuickExit => return Effect::QuickExit,
            Msg::Esc => {
                if self.esc_armed {
                    return Effect::QuickExit;
                }
                self.esc_armed = true;
                self.popup = None;
                return Effect::None;
            }
            // Not a key: the arming stays as it was.
            Msg::Resize(w, h) => {
                self.size = (w, h);
                return Effect::None;
            }
            Msg::Written(w) => return self.written(w),
            _ => self.esc_armed = false,
        }
        if msg == Msg::Details {
            self.details = !self.details;
            return Effect::None;
        }
        if self.popup.is_some() {
            return self.update_popup(msg);
        }
        if msg == Msg::Words {
            self.popup = Some(Popup::Glossary { scroll: 0 });
            return Effect::None;
        }
        if msg == Msg::SaveProgress {
            self.open_save(SaveKind::Progress);
            return Effect::None;
        }
        // The window is too small to show the page ("Please make this window bigger"): no key
        // may answer, choose or move on unseen. Leaving (above) and a box drawn over the
        // message (save, words) still work.
        if !super::view::fits(self) {
            return Effect::None;
        }
        match self.screen.clone() {
            Screen::Start => self.update_start(msg),
            Screen::Question => self.update_question(msg),
            Screen::Check { selected, from } => self.update_check(msg, selected, from),
            Screen::Change { key, from } => self.update_change(msg, key, from),
            Screen::Summary => self.update_summary(msg),
            Screen::Letter { index } => self.update_letter(msg, index),
        }
    }

    fn scroll_by(&mut self, msg: Msg) -> bool {
        let vp = super::view::viewport(self);
        let page = vp.height.saturating_sub(2).max(1);
        let max = vp.max_scroll;
        self.scroll = match msg {
            Msg::Up => self.scroll.min(max).saturating_sub(1),
            Msg::Down => (self.scroll + 1).min(max),
            Msg::PageUp => self.scroll.min(max).saturating_sub(page),
            Msg::PageDown => (self.scroll + page).min(max),
            Msg::Top => 0,
            Msg::Bottom => max,
            _ => return false,
        };
        true
    }

    /// Leaves the start screen for the first question (or the end, if nothing is left to ask).
    pub(super) fn begin(&mut self) {
        self.go(Screen::Question);
        if self.session.is_finished() {
            self.on_finished();
        }
    }

    fn update_start(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Confirm => self.begin(),
            m => {
                self.scroll_by(m);
            }
        }
        Effect::None
    }

    fn update_question(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Back => self.back(),
            Msg::Answers => self.go(Screen::Check {
                selected: self.check_rows() - 1,
                from: CheckFrom::Questions,
            }),
            _ => {
                if matches!(self.session.position(), Position::Blocked { .. }) {
                    return Effect::None;
                }
                if let Some(value) = self.update_form(msg) {
                    self.submit(&value);
                }
            }
        }
        Effect::None
    }

    fn back(&mut self) {
        if self.session.back() {
            self.form.key = None;
            self.sync_form();
            self.refresh_progress(false);
            self.scroll = 0;
        } else {
            self.go(Screen::Start);
        }
    }

    /// Applies a message to the form of the question on screen. Returns the answer to give
    /// when the person confirms.
    fn update_form(&mut self, msg: Msg) -> Option<String> {
        let node = self.shown_node()?;
        // A digit after a digit extends the number ("1", "0": the tenth) when the list is long
        // enough; anything else starts afresh.
        let before = self.form.typed_number.take();
        let msg = match msg {
            Msg::Digit(d) => {
                let count = self.page.as_ref().map_or(0, |p| p.options.len());
                let number = match before {
                    Some(prev) if (1..=count).contains(&(prev * 10 + d)) => prev * 10 + d,
                    _ => d,
                };
                if (1..=count).contains(&number) {
                    self.form.typed_number = Some(number);
                }
                // A multi question ticked the first digit's option; the two digits mean another.
                if number != d && matches!(node, Node::Multi(_)) {
                    if let Some(prev) = before {
                        self.toggle(prev - 1);
                    }
                }
                Msg::Digit(number)
            }
            other => other,
        };
        match node {
            Node::Choice(c) => {
                let n = c.options.len();
                match msg {
                    Msg::Up => {
                        self.form.selected =
                            Some(self.form.selected.map_or(0, |i| i.saturating_sub(1)))
                    }
                    Msg::Down => {
                        self.form.selected =
                            Some(self.form.selected.map_or(0, |i| (i + 1).min(n - 1)))
                    }
                    Msg::Top => self.form.selected = Some(0),
                    Msg::Bottom => self.form.selected = Some(n - 1),
                    Msg::Digit(number) if (1..=n).contains(&number) => {
                        self.form.selected = Some(number - 1);
                        self.form.error = None;
                    }
                    Msg::Digit(_) => self.form.error = Some(s::NO_CHOICE.to_string()),
                    Msg::Confirm => match self.form.selected {
                        Some(i) => {
                            return self
                                .value_of(node, &page::Reply::Pick(i + 1))
                                .map_err(|e| self.form.error = Some(e))
                                .ok();
                        }
                        None => self.form.error = Some(s::NO_CHOICE.to_string()),
                    },
                    _ => {}
                }
            }
            Node::Multi(m) => {
                let n = m.options.len();
                let cursor = self.form.selected.unwrap_or(0);
                match msg {
                    Msg::Up => self.form.selected = Some(cursor.saturating_sub(1)),
                    Msg::Down => self.form.selected = Some((cursor + 1).min(n - 1)),
                    Msg::Top => self.form.selected = Some(0),
                    Msg::Bottom => self.form.selected = Some(n - 1),
                    Msg::Toggle => self.toggle(cursor),
                    Msg::Digit(number) if (1..=n).contains(&number) => {
                        self.form.selected = Some(number - 1);
                        self.toggle(number - 1);
                    }
                    Msg::Confirm => {
                        let numbers: Vec<usize> = self
                            .form
                            .ticked
                            .iter()
                            .enumerate()
                            .filter(|(_, t)| **t)
                            .map(|(i, _)| i + 1)
                            .collect();
                        return self
                            .value_of(node, &page::Reply::Tick(numbers))
                            .map_err(|e| self.form.error = Some(e))
                            .ok();
                    }
                    _ => {}
                }
            }
            Node::Info(_) => match msg {
                Msg::Confirm => return Some("ok".into()),
                m => {
                    self.scroll_by(m);
                }
            },
            Node::Date(_) | Node::Number(_) | Node::Text(_) => match msg {
                Msg::Edit(e) => {
                    self.form.input.apply(e);
                }
                Msg::Confirm => return Some(self.form.input.text.clone()),
                m => {
                    self.scroll_by(m);
                }
            },
            Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_) => {}
        }
        None
    }

    /// The tree's option indexes in the order the page shows them (closest to the person's own
    /// words first, for a `multi` node with `rank_by`).
    pub(super) fn page_order(&self) -> Vec<usize> {
        let count = match self.shown_node() {
            Some(Node::Choice(c)) => c.options.len(),
            Some(Node::Multi(m)) => m.options.len(),
            _ => 0,
        };
        match &self.page {
            Some(p) if p.options.len() == count => p.options.iter().map(|o| o.index).collect(),
            _ => (0..count).collect(),
        }
    }

    /// The answer for a reply, with option numbers as the page shows them.
    fn value_of(&self, node: &Node, reply: &page::Reply) -> Result<String, String> {
        match &self.page {
            Some(p) if std::ptr::eq(p.node, node) => p.value_of(reply),
            _ => page::value_for(node, reply),
        }
    }

    /// Ticks or unticks an option (by its place on the page); "none of these" and the others
    /// exclude each other.
    fn toggle(&mut self, i: usize) {
        let Some(Node::Multi(m)) = self.shown_node() else {
            return;
        };
        let order = self.page_order();
        if self.form.ticked.len() != m.options.len() {
            self.form.ticked = vec![false; m.options.len()];
        }
        let on = !self.form.ticked[i];
        self.form.ticked[i] = on;
        if on {
            let exclusive = m.options[order[i]].exclusive;
            for (j, &k) in order.iter().enumerate() {
                if j != i && (exclusive || m.options[k].exclusive) {
                    self.form.ticked[j] = false;
                }
            }
        }
        self.form.error = None;
    }

    fn submit(&mut self, value: &str) {
        match self.session.answer(value) {
            Ok(()) => {
                self.form.error = None;
                self.scroll = 0;
                self.refresh_progress(true);
                if self.session.is_finished() {
                    self.on_finished();
                } else {
                    self.sync_form();
                }
            }
            Err(e) => self.form.error = Some(e.message),
        }
    }

    /// The last question is answered: check the answers before the summary.
    fn on_finished(&mut self) {
        self.summary = None;
        if let Some(base) = self.baseline.take() {
            self.change_note = Some(self.compare(&base));
        }
        let rows = self.check_rows();
        self.go(Screen::Check {
            selected: rows - 1,
            from: CheckFrom::End,
        });
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot::of(&self.session)
    }

    fn compare(&self, before: &Snapshot) -> ChangeNote {
        ChangeNote::between(before, &self.snapshot())
    }

    fn update_check(&mut self, msg: Msg, selected: usize, from: CheckFrom) -> Effect {
        let rows = self.check_rows();
        let set = |app: &mut App, sel: usize| {
            app.screen = Screen::Check {
                selected: sel,
                from,
            }
        };
        match msg {
            Msg::Up => set(self, selected.saturating_sub(1)),
            Msg::Down => set(self, (selected + 1).min(rows - 1)),
            Msg::Top => set(self, 0),
            Msg::Bottom => set(self, rows - 1),
            Msg::PageUp => set(self, selected.saturating_sub(5)),
            Msg::PageDown => set(self, (selected + 5).min(rows - 1)),
            Msg::Back => match from {
                CheckFrom::Questions => self.go(Screen::Question),
                CheckFrom::Summary => self.show_summary(),
                CheckFrom::End => {
                    self.change_note = None;
                    self.go(Screen::Question);
                    self.back();
                }
            },
            Msg::Confirm if selected + 1 >= rows => {
                self.change_note = None;
                if self.session.is_finished() {
                    self.show_summary();
                } else {
                    self.go(Screen::Question);
                }
            }
            Msg::Confirm => {
                let Some(a) = self.session.trace().answered.get(selected).cloned() else {
                    return Effect::None;
                };
                if a.carried_over {
                    self.status = Some(s::CHECK_CARRIED_NOTE.to_string());
                    return Effect::None;
                }
                if self.baseline.is_none() && self.session.is_finished() {
                    self.baseline = Some(self.snapshot());
                }
                self.change_note = None;
                self.go(Screen::Change { key: a.key, from });
            }
            _ => {}
        }
        Effect::None
    }

    fn update_change(&mut self, msg: Msg, key: NodeKey, from: CheckFrom) -> Effect {
        let back_to_check = |app: &mut App| {
            let selected = app
                .session
                .trace()
                .answered
                .iter()
                .position(|a| a.key == key)
                .unwrap_or(0);
            app.go(Screen::Check { selected, from });
        };
        match msg {
            Msg::Back | Msg::Answers => back_to_check(self),
            _ => {
                let Some(value) = self.update_form(msg) else {
                    return Effect::None;
                };
                match self.session.change(&key, &value) {
                    Ok(_) => {
                        self.summary = None;
                        self.refresh_progress(false);
                        if self.session.is_finished() {
                            if let Some(base) = self.baseline.take() {
                                self.change_note = Some(self.compare(&base));
                            }
                            let rows = self.check_rows();
                            let from = if from == CheckFrom::Questions {
                                CheckFrom::End
                            } else {
                                from
                            };
                            self.go(Screen::Check {
                                selected: rows - 1,
                                from,
                            });
                        } else {
                            self.go(Screen::Question);
                            if from != CheckFrom::Questions {
                                self.status = Some(s::CHANGE_MORE_QUESTIONS.to_string());
                            }
                        }
                    }
                    Err(e) => self.form.error = Some(e.message),
                }
            }
        }
        Effect::None
    }

    fn show_summary(&mut self) {
        if self.summary.is_none() {
            self.summary = Some(summary::build(&self.session));
            self.summary_scroll = 0;
            self.fold = Default::default();
        }
        self.go(Screen::Summary);
    }

    fn letters(&self) -> usize {
        self.summary.as_ref().map_or(0, |s| s.letters.len())
    }

    fn update_summary(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::SaveMarkdown => self.open_save(SaveKind::Markdown),
            Msg::SaveText => self.open_save(SaveKind::Text),
            Msg::Letter if self.letters() > 0 => self.go(Screen::Letter { index: 0 }),
            Msg::Answers | Msg::Back => {
                let rows = self.check_rows();
                self.go(Screen::Check {
                    selected: rows - 1,
                    from: CheckFrom::Summary,
                });
            }
            Msg::Restart => self.popup = Some(Popup::Confirm(Confirm::Restart)),
            Msg::NextItem | Msg::PrevItem => self.choose_item(msg == Msg::NextItem),
            Msg::Confirm => {
                if let Some(i) = self.fold.selected {
                    if !self.fold.open.remove(&i) {
                        self.fold.open.insert(i);
                    }
                    self.scroll_to_item();
                }
            }
            Msg::Close if self.saved_summary => return Effect::Quit,
            Msg::Close => self.popup = Some(Popup::Confirm(Confirm::Close)),
            m => {
                self.scroll_by(m);
            }
        }
        Effect::None
    }

    /// Chooses the next (or previous) item under "More that may help", wrapping round, and
    /// scrolls to it.
    fn choose_item(&mut self, next: bool) {
        let n = self
            .summary
            .as_ref()
            .map_or(0, |s| super::summary_view::folded(s).len());
        if n == 0 {
            return;
        }
        self.fold.selected = Some(match (self.fold.selected, next) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        });
        self.scroll_to_item();
    }

    /// Scrolls so the chosen item is the second line on screen.
    fn scroll_to_item(&mut self) {
        if let Some(line) = super::view::summary_item_line(self) {
            let max = super::view::viewport(self).max_scroll;
            self.scroll = line.saturating_sub(1).min(max);
        }
    }

    fn update_letter(&mut self, msg: Msg, index: usize) -> Effect {
        match msg {
            Msg::Back => self.go(Screen::Summary),
            Msg::NextLetter => {
                let n = self.letters().max(1);
                self.go(Screen::Letter {
                    index: (index + 1) % n,
                });
            }
            Msg::SaveMarkdown => self.open_save(SaveKind::Markdown),
            Msg::SaveText => self.open_save(SaveKind::Text),
            m => {
                self.scroll_by(m);
            }
        }
        Effect::None
    }

    fn update_popup(&mut self, msg: Msg) -> Effect {
        let Some(popup) = self.popup.as_mut() else {
            return Effect::None;
        };
        match popup {
            Popup::Glossary { .. } => self.update_glossary(msg),
            Popup::Save { input, error, kind } => match msg {
                Msg::Edit(e) => {
                    input.apply(e);
                    *error = None;
                }
                Msg::Back => self.popup = None,
                Msg::Confirm => {
                    let (kind, name) = (*kind, input.text.clone());
                    return self.save(kind, &name, false);
                }
                _ => {}
            },
            Popup::Replace { kind, name, .. } => match msg {
                Msg::Yes => {
                    let (kind, name) = (*kind, name.clone());
                    return self.save(kind, &name, true);
                }
                Msg::No => {
                    let (kind, name) = (*kind, name.clone());
                    self.popup = Some(Popup::Save {
                        kind,
                        input: LineInput::new(&name),
                        error: Some(s::SAVE_OTHER_NAME.to_string()),
                    });
                }
                _ => {}
            },
            Popup::Confirm(c) => match (msg, *c) {
                (Msg::Yes, Confirm::Close) => return Effect::Quit,
                (Msg::Yes, Confirm::Restart) => self.restart(),
                (Msg::No, _) => self.popup = None,
                _ => {}
            },
        }
        Effect::None
    }

    fn update_glossary(&mut self, msg: Msg) {
        let vp = super::view::viewport(self);
        let Some(Popup::Glossary { scroll }) = self.popup.as_mut() else {
            return;
        };
        let page = vp.popup_height.saturating_sub(1).max(1);
        let max = vp.popup_max_scroll;
        match msg {
            Msg::Words | Msg::Back | Msg::Confirm => self.popup = None,
            Msg::Up => *scroll = scroll.saturating_sub(1).min(max),
            Msg::Down => *scroll = (*scroll + 1).min(max),
            Msg::PageUp => *scroll = scroll.saturating_sub(page).min(max),
            Msg::PageDown => *scroll = (*scroll + page).min(max),
            Msg::Top => *scroll = 0,
            Msg::Bottom => *scroll = max,
            _ => {}
        }
    }

    fn restart(&mut self) {
        let lib = self.library();
        let root = self.session.root().to_string();
        let today = self.session.today();
        if let Ok(session) = Session::new(lib, &root, today) {
            self.session = session;
        }
        self.popup = None;
        self.summary = None;
        self.saved_summary = false;
        self.change_note = None;
        self.baseline = None;
        self.start_notes.clear();
        self.form = Form::default();
        self.summary_scroll = 0;
        self.refresh_progress(false);
        self.go(Screen::Start);
    }
}

fn node_context(node: &Node) -> Context {
    match node {
        Node::Choice(_) => Context::Choice,
        Node::Multi(_) => Context::Multi,
        Node::Info(_) => Context::Info,
        Node::Date(_) | Node::Number(_) | Node::Text(_) => Context::Typing,
        Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_) => Context::Blocked,
    }
}
