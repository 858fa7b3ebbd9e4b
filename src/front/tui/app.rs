//! The wizard's model and its update function (The Elm Architecture): a key becomes a `Msg`
//! (keys.rs), `update` changes the model and returns an `Effect` for the terminal loop to
//! carry out (mod.rs: quit, or write a file and report back with `Msg::Written`), and `view`
//! (view.rs) draws it. Update never calls the view: the loop measures the window with the
//! view's layout and hands it in (`Viewport`). The question screen's state and its keys are
//! `question::Form`'s, the boxes over the screen are `popups`', the summary's folds are
//! `summary_view::Fold`'s. Nothing here touches the terminal or writes a file, so tests drive
//! it with key events and draw it on a `TestBackend`.
//!
//! Advice logic lives in the Session and the Summary, never here: the wizard only asks, passes
//! answers on, and shows what comes back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::keys::Context;
pub use super::line_input::LineInput;
use super::msg::{Effect, Msg, SaveKind, Viewport};
use super::popups::{Confirm, Popup};
use super::question::{Done, Form};
use super::strings as s;
use super::summary_view::{self, Fold};
use crate::core::changes::Snapshot;
use crate::core::compile::Library;
use crate::core::glossary::Glossary;
use crate::core::page::{self, CheckRow, Input, Page, Reply};
use crate::core::session::{NodeKey, Position, Session};
use crate::core::summary::{self, Summary};

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

/// What changing an answer did to the advice (the core works it out for every front end).
pub use crate::core::changes::Changes as ChangeNote;

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
    pub(super) page: Option<Page<'l>>,
    /// How far along, in thousandths; only goes down when the person goes back or changes
    /// an answer.
    pub(super) progress: u16,
    pub(super) scroll: usize,
    summary_scroll: usize,
    /// The window's size (columns, rows), from `Msg::Resize`.
    pub(super) size: (u16, u16),
    pub(super) summary: Option<Summary>,
    /// Which items under "More that may help" are open, and the one chosen.
    pub(super) fold: Fold,
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
            let q = page::question_of(self.library(), key)
                .map_or_else(|| key.to_string(), str::to_string);
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
                _ => self.page.as_ref().map_or(Context::Blocked, page_context),
            },
            Screen::Change { .. } => self.page.as_ref().map_or(Context::Check, page_context),
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

    /// The answers on "Check your answers" (those carried over from an earlier part too).
    pub(super) fn answer_rows(&self) -> Vec<CheckRow> {
        page::answer_rows(&self.session)
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

    /// Sets the page and the form up for the question on screen (the form only if the
    /// question changed).
    fn sync_form(&mut self) {
        let key = self.shown_key();
        self.page = key.as_ref().and_then(|k| match self.session.position() {
            Position::Asking(now) if now == k => Page::current(&self.session, &self.glossary),
            _ => Page::for_key(&self.session, k, &self.glossary),
        });
        if key != self.form.key {
            self.form = Form::for_page(self.page.as_ref());
            self.form.key = key;
        }
    }

    /// The message loop's heart: one message in, the model changed, an action out.
    /// `vp` is what the window shows of the model as it is (the loop measures it).
    pub fn update_in(&mut self, msg: Msg, vp: &Viewport) -> Effect {
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
            return self.update_popup(msg, vp);
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
        if !vp.fits {
            return Effect::None;
        }
        match self.screen.clone() {
            Screen::Start => self.update_start(msg, vp),
            Screen::Question => self.update_question(msg, vp),
            Screen::Check { selected, from } => self.update_check(msg, selected, from),
            Screen::Change { key, from } => self.update_change(msg, key, from, vp),
            Screen::Summary => self.update_summary(msg, vp),
            Screen::Letter { index } => self.update_letter(msg, index, vp),
        }
    }

    fn scroll_by(&mut self, msg: Msg, vp: &Viewport) -> bool {
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

    fn update_start(&mut self, msg: Msg, vp: &Viewport) -> Effect {
        match msg {
            Msg::Confirm => self.begin(),
            m => {
                self.scroll_by(m, vp);
            }
        }
        Effect::None
    }

    fn update_question(&mut self, msg: Msg, vp: &Viewport) -> Effect {
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
                if let Some(reply) = self.update_form(msg, vp) {
                    self.submit(&reply);
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

    /// Applies a message to the form of the question on screen. Returns the reply to give
    /// when the person confirms.
    fn update_form(&mut self, msg: Msg, vp: &Viewport) -> Option<Reply> {
        let page = self.page.as_ref()?;
        match self.form.update(page, msg) {
            Done::Nothing => None,
            Done::Reply(reply) => Some(reply),
            Done::Unused(m) => {
                self.scroll_by(m, vp);
                None
            }
        }
    }

    fn submit(&mut self, reply: &Reply) {
        let Some(page) = self.page.clone() else {
            return;
        };
        match page.answer(&mut self.session, reply) {
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
                let Some(a) = self.answer_rows().into_iter().nth(selected) else {
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

    fn update_change(&mut self, msg: Msg, key: NodeKey, from: CheckFrom, vp: &Viewport) -> Effect {
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
                let (Some(reply), Some(page)) = (self.update_form(msg, vp), self.page.clone())
                else {
                    return Effect::None;
                };
                match page.change(&mut self.session, &reply) {
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

    fn update_summary(&mut self, msg: Msg, vp: &Viewport) -> Effect {
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
            Msg::NextItem | Msg::PrevItem => self.choose_item(msg == Msg::NextItem, vp),
            Msg::Confirm => {
                if let Some(i) = self.fold.selected {
                    if !self.fold.open.remove(&i) {
                        self.fold.open.insert(i);
                    }
                    self.scroll_to_item(vp);
                }
            }
            Msg::Close if self.saved_summary => return Effect::Quit,
            Msg::Close => self.popup = Some(Popup::Confirm(Confirm::Close)),
            m => {
                self.scroll_by(m, vp);
            }
        }
        Effect::None
    }

    /// Chooses the next (or previous) item under "More that may help", wrapping round, and
    /// scrolls to it.
    fn choose_item(&mut self, next: bool, vp: &Viewport) {
        let n = self
            .summary
            .as_ref()
            .map_or(0, |s| summary_view::folded(s).len());
        if n == 0 {
            return;
        }
        self.fold.selected = Some(match (self.fold.selected, next) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        });
        self.scroll_to_item(vp);
    }

    /// Scrolls so the chosen item is the second line on screen. An item's line does not
    /// depend on which item is chosen or open (only later lines do), so the window as it was
    /// measured before this message places it; the view keeps the scroll within the page.
    fn scroll_to_item(&mut self, vp: &Viewport) {
        if let Some(&line) = self.fold.selected.and_then(|i| vp.items.get(i)) {
            self.scroll = line.saturating_sub(1);
        }
    }

    fn update_letter(&mut self, msg: Msg, index: usize, vp: &Viewport) -> Effect {
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
                self.scroll_by(m, vp);
            }
        }
        Effect::None
    }

    fn update_popup(&mut self, msg: Msg, vp: &Viewport) -> Effect {
        let Some(popup) = self.popup.as_mut() else {
            return Effect::None;
        };
        match popup {
            Popup::Glossary { scroll } => {
                if super::popups::scroll_glossary(scroll, msg, vp) {
                    self.popup = None;
                }
            }
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

/// The keys a page takes: options to move through, a box to type in, or a page to read.
fn page_context(page: &Page) -> Context {
    match page.input {
        Input::One => Context::Choice,
        Input::Several => Context::Multi,
        Input::Continue => Context::Info,
        Input::Date | Input::Number { .. } | Input::Text { .. } => Context::Typing,
    }
}
