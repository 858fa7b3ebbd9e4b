//! The wizard's model and its update function (The Elm Architecture): a key becomes a `Msg`
//! (keys.rs), `update` changes the model, and `view` (view.rs) draws it. Nothing here touches
//! the terminal, so tests drive it with key events and draw it on a `TestBackend`.
//!
//! Advice logic lives in the Session and the Summary, never here: the wizard only asks, passes
//! answers on, and shows what comes back.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use ratatui::crossterm::event::KeyEvent;

use super::keys::{self, Context, Edit, Msg};
use super::strings as s;
use crate::core::calendar;
use crate::core::compile::Library;
use crate::core::format::Node;
use crate::core::session::{NodeKey, Position, Session};
use crate::core::summary::{self, Summary};
use crate::{core::render, front::plain, io::save};

/// The longest answer a person can type into a box (the session enforces the real limits).
const MAX_INPUT: usize = 500;

/// What the terminal loop should do after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Keep going (redraw).
    None,
    /// Close normally.
    Quit,
    /// Leave at once: restore and clear the terminal and its scrollback, write nothing.
    QuickExit,
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
        /// The file exists and the person has been told; Enter again replaces it.
        confirm: bool,
    },
    Confirm(Confirm),
}

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
}

/// What changing an answer did to the advice (step titles before and after).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeNote {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub updated: Vec<String>,
    /// Questions whose answers no longer apply.
    pub dropped: Vec<String>,
}

/// The advice and answers before a change, to compare with after it.
#[derive(Debug, Clone)]
struct Baseline {
    steps: Vec<(String, String)>,
    answered: Vec<(NodeKey, String)>,
}

/// Set by the view, read by update: how much of the page fits, and how far it can scroll.
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
    baseline: Option<Baseline>,
    /// How far along, in thousandths; only goes down when the person goes back or changes
    /// an answer.
    pub(super) progress: u16,
    pub(super) scroll: usize,
    summary_scroll: usize,
    pub(super) viewport: Cell<Viewport>,
    pub(super) summary: Option<Summary>,
    saved_summary: bool,
    save_dir: PathBuf,
    progress_file: Option<String>,
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
            progress: 0,
            scroll: 0,
            summary_scroll: 0,
            viewport: Cell::new(Viewport::default()),
            summary: None,
            saved_summary: false,
            save_dir: PathBuf::from("."),
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
        for key in dropped {
            let q = self.question_text(&key);
            self.start_notes.push(s::resumed_dropped(&q));
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

    /// Handles one key press.
    pub fn handle_key(&mut self, key: KeyEvent) -> Action {
        match keys::to_msg(key, self.context()) {
            Some(msg) => self.update(msg),
            None => {
                self.esc_armed = false;
                Action::None
            }
        }
    }

    /// The kind of screen that has the keyboard.
    pub fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::Glossary { .. }) => return Context::GlossaryPopup,
            Some(Popup::Save { .. }) => return Context::SavePopup,
            Some(Popup::Confirm(_)) => return Context::ConfirmPopup,
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

    /// Screens passed so far (questions and pages the person answered, not the current one).
    pub(super) fn screens_done(&self) -> usize {
        let trace = self.session.trace();
        let current = match self.session.position() {
            Position::Asking(k) => Some(k),
            _ => None,
        };
        trace
            .nodes
            .iter()
            .filter(|k| Some(*k) != current)
            .filter(|k| {
                !trace
                    .answered
                    .iter()
                    .any(|a| &a.key == *k && a.carried_over)
            })
            .filter(|k| {
                matches!(
                    self.node(k),
                    Some(
                        Node::Choice(_)
                            | Node::Multi(_)
                            | Node::Date(_)
                            | Node::Number(_)
                            | Node::Text(_)
                            | Node::Info(_)
                    )
                )
            })
            .count()
    }

    fn refresh_progress(&mut self, forward: bool) {
        let done = self.screens_done();
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
        match node {
            Node::Choice(c) => {
                self.form.selected = prefill
                    .as_ref()
                    .and_then(|p| c.options.iter().position(|o| &o.value == p));
            }
            Node::Multi(m) => {
                let picked: Vec<&str> = prefill
                    .as_deref()
                    .map(|p| p.split(',').collect())
                    .unwrap_or_default();
                self.form.ticked = m
                    .options
                    .iter()
                    .map(|o| picked.contains(&o.value.as_str()))
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
    pub fn update(&mut self, msg: Msg) -> Action {
        match msg {
            Msg::QuickExit => return Action::QuickExit,
            Msg::Esc => {
                if self.esc_armed {
                    return Action::QuickExit;
                }
                self.esc_armed = true;
                self.popup = None;
                return Action::None;
            }
            _ => self.esc_armed = false,
        }
        if msg == Msg::Details {
            self.details = !self.details;
            return Action::None;
        }
        if self.popup.is_some() {
            return self.update_popup(msg);
        }
        if msg == Msg::Words {
            self.popup = Some(Popup::Glossary { scroll: 0 });
            return Action::None;
        }
        if msg == Msg::SaveProgress {
            self.open_save(SaveKind::Progress);
            return Action::None;
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
        let vp = self.viewport.get();
        let page = vp.height.saturating_sub(2).max(1);
        let max = vp.max_scroll;
        self.scroll = match msg {
            Msg::Up => self.scroll.saturating_sub(1),
            Msg::Down => (self.scroll + 1).min(max),
            Msg::PageUp => self.scroll.saturating_sub(page),
            Msg::PageDown => (self.scroll + page).min(max),
            Msg::Top => 0,
            Msg::Bottom => max,
            _ => return false,
        };
        true
    }

    fn update_start(&mut self, msg: Msg) -> Action {
        match msg {
            Msg::Confirm => {
                self.go(Screen::Question);
                if self.session.is_finished() {
                    self.on_finished();
                }
            }
            m => {
                self.scroll_by(m);
            }
        }
        Action::None
    }

    fn update_question(&mut self, msg: Msg) -> Action {
        match msg {
            Msg::Back => self.back(),
            Msg::Answers => self.go(Screen::Check {
                selected: self.check_rows() - 1,
                from: CheckFrom::Questions,
            }),
            _ => {
                if matches!(self.session.position(), Position::Blocked { .. }) {
                    return Action::None;
                }
                if let Some(value) = self.update_form(msg) {
                    self.submit(&value);
                }
            }
        }
        Action::None
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
                    Msg::Pick(i) if i < n => {
                        self.form.selected = Some(i);
                        self.form.error = None;
                    }
                    Msg::Pick(_) => self.form.error = Some(s::NO_CHOICE.to_string()),
                    Msg::Confirm => match self.form.selected {
                        Some(i) => {
                            return plain::to_value(node, &(i + 1).to_string())
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
                    Msg::Pick(i) if i < n => {
                        self.form.selected = Some(i);
                        self.toggle(i);
                    }
                    Msg::Confirm => {
                        let numbers: Vec<String> = self
                            .form
                            .ticked
                            .iter()
                            .enumerate()
                            .filter(|(_, t)| **t)
                            .map(|(i, _)| (i + 1).to_string())
                            .collect();
                        return plain::to_value(node, &numbers.join(","))
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

    /// Ticks or unticks an option; "none of these" and the others exclude each other.
    fn toggle(&mut self, i: usize) {
        let Some(Node::Multi(m)) = self.shown_node() else {
            return;
        };
        if self.form.ticked.len() != m.options.len() {
            self.form.ticked = vec![false; m.options.len()];
        }
        let on = !self.form.ticked[i];
        self.form.ticked[i] = on;
        if on {
            let exclusive = m.options[i].exclusive;
            for (j, o) in m.options.iter().enumerate() {
                if j != i && (exclusive || o.exclusive) {
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

    fn snapshot(&self) -> Baseline {
        let sum = summary::build(&self.session);
        Baseline {
            steps: sum
                .steps
                .iter()
                .map(|st| {
                    let due = st.due.as_ref().map(|d| d.date.clone()).unwrap_or_default();
                    (st.title.clone(), format!("{}\u{0}{due}", st.body))
                })
                .collect(),
            answered: self
                .session
                .trace()
                .answered
                .iter()
                .map(|a| (a.key.clone(), a.question.clone()))
                .collect(),
        }
    }

    fn compare(&self, before: &Baseline) -> ChangeNote {
        let after = self.snapshot();
        let mut note = ChangeNote::default();
        for (title, detail) in &after.steps {
            match before.steps.iter().find(|(t, _)| t == title) {
                None => note.added.push(title.clone()),
                Some((_, d)) if d != detail => note.updated.push(title.clone()),
                Some(_) => {}
            }
        }
        for (title, _) in &before.steps {
            if !after.steps.iter().any(|(t, _)| t == title) {
                note.removed.push(title.clone());
            }
        }
        for (key, question) in &before.answered {
            if !after.answered.iter().any(|(k, _)| k == key) {
                note.dropped.push(question.clone());
            }
        }
        note
    }

    fn update_check(&mut self, msg: Msg, selected: usize, from: CheckFrom) -> Action {
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
                    return Action::None;
                };
                if a.carried_over {
                    self.status = Some(s::CHECK_CARRIED_NOTE.to_string());
                    return Action::None;
                }
                if self.baseline.is_none() && self.session.is_finished() {
                    self.baseline = Some(self.snapshot());
                }
                self.change_note = None;
                self.go(Screen::Change { key: a.key, from });
            }
            _ => {}
        }
        Action::None
    }

    fn update_change(&mut self, msg: Msg, key: NodeKey, from: CheckFrom) -> Action {
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
                    return Action::None;
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
        Action::None
    }

    fn show_summary(&mut self) {
        if self.summary.is_none() {
            self.summary = Some(summary::build(&self.session));
            self.summary_scroll = 0;
        }
        self.go(Screen::Summary);
    }

    fn letters(&self) -> usize {
        self.summary.as_ref().map_or(0, |s| s.letters.len())
    }

    fn update_summary(&mut self, msg: Msg) -> Action {
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
            Msg::Close if self.saved_summary => return Action::Quit,
            Msg::Close => self.popup = Some(Popup::Confirm(Confirm::Close)),
            m => {
                self.scroll_by(m);
            }
        }
        Action::None
    }

    fn update_letter(&mut self, msg: Msg, index: usize) -> Action {
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
        Action::None
    }

    fn open_save(&mut self, kind: SaveKind) {
        if kind == SaveKind::Progress && self.session.answers().is_empty() {
            self.status = Some(s::NOTHING_TO_SAVE.to_string());
            return;
        }
        if kind != SaveKind::Progress && self.summary.is_none() {
            return;
        }
        let name = match kind {
            SaveKind::Markdown => s::SAVE_MD_DEFAULT.to_string(),
            SaveKind::Text => s::SAVE_TXT_DEFAULT.to_string(),
            SaveKind::Progress => self
                .progress_file
                .clone()
                .unwrap_or_else(|| s::SAVE_PROGRESS_DEFAULT.to_string()),
        };
        self.popup = Some(Popup::Save {
            kind,
            input: LineInput::suggested(&name),
            error: None,
            confirm: false,
        });
    }

    /// Where a typed file name points (relative names are in the save folder).
    pub(super) fn save_path(&self, name: &str) -> PathBuf {
        let name = name.trim();
        let expanded = match (name.strip_prefix("~/"), std::env::var_os("HOME")) {
            (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
            _ => PathBuf::from(name),
        };
        if expanded.is_absolute() {
            expanded
        } else {
            self.save_dir.join(expanded)
        }
    }

    pub(super) fn save_dir_display(&self) -> String {
        let dir = std::fs::canonicalize(&self.save_dir).unwrap_or_else(|_| self.save_dir.clone());
        dir.display().to_string()
    }

    fn update_popup(&mut self, msg: Msg) -> Action {
        let Some(popup) = self.popup.as_mut() else {
            return Action::None;
        };
        match popup {
            Popup::Glossary { scroll } => {
                let vp = self.viewport.get();
                let page = vp.popup_height.saturating_sub(1).max(1);
                let max = vp.popup_max_scroll;
                match msg {
                    Msg::Words | Msg::Back | Msg::Confirm => self.popup = None,
                    Msg::Up => *scroll = scroll.saturating_sub(1),
                    Msg::Down => *scroll = (*scroll + 1).min(max),
                    Msg::PageUp => *scroll = scroll.saturating_sub(page),
                    Msg::PageDown => *scroll = (*scroll + page).min(max),
                    Msg::Top => *scroll = 0,
                    Msg::Bottom => *scroll = max,
                    _ => {}
                }
            }
            Popup::Save {
                input,
                error,
                confirm,
                kind,
            } => match msg {
                Msg::Edit(e) => {
                    input.apply(e);
                    *error = None;
                    *confirm = false;
                }
                Msg::Back => self.popup = None,
                Msg::Confirm => {
                    let (kind, name, confirmed) = (*kind, input.text.clone(), *confirm);
                    self.save(kind, &name, confirmed);
                }
                _ => {}
            },
            Popup::Confirm(c) => match (msg, *c) {
                (Msg::Yes, Confirm::Close) => return Action::Quit,
                (Msg::Yes, Confirm::Restart) => self.restart(),
                (Msg::No, _) => self.popup = None,
                _ => {}
            },
        }
        Action::None
    }

    fn save(&mut self, kind: SaveKind, name: &str, confirmed: bool) {
        let set_error = |app: &mut App, message: String, confirm_next: bool| {
            if let Some(Popup::Save { error, confirm, .. }) = app.popup.as_mut() {
                *error = Some(message);
                *confirm = confirm_next;
            }
        };
        let name = crate::core::session::clean_text(name);
        if name.is_empty() {
            set_error(self, s::SAVE_EMPTY_NAME.to_string(), false);
            return;
        }
        let path = self.save_path(&name);
        if path.exists() && !confirmed {
            set_error(self, s::save_exists(&name), true);
            return;
        }
        let contents = match kind {
            SaveKind::Markdown => self.summary.as_ref().map(render::markdown),
            SaveKind::Text => self.summary.as_ref().map(render::text),
            SaveKind::Progress => Some(save::progress_json(
                self.library(),
                self.session.root(),
                self.session.answers(),
            )),
        };
        let Some(contents) = contents else {
            self.popup = None;
            return;
        };
        match save::write_private(&path, &contents) {
            Ok(()) => {
                self.popup = None;
                let shown = path.display().to_string();
                if kind == SaveKind::Progress {
                    self.progress_file = Some(name.clone());
                    self.status = Some(s::saved_progress(&shown));
                } else {
                    self.saved_summary = true;
                    self.status = Some(s::saved(&shown));
                }
            }
            Err(e) => set_error(self, s::save_failed(&e), false),
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
