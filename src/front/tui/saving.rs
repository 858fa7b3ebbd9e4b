//! Saving a file for the person: the name box, where a name points, what to write, and
//! what happened. Update asks for the write (`Effect::Write`); the terminal loop does it and
//! reports back (`Msg::Written`); if something is already there, the person is asked
//! whether to replace it.

use std::path::PathBuf;

use super::app::App;
use super::line_input::LineInput;
use super::msg::{Effect, SaveKind, WriteError, WriteFile, Written};
use super::popups::Popup;
use super::strings as s;
use crate::core::render;
use crate::io::save;

impl App<'_> {
    pub(super) fn open_save(&mut self, kind: SaveKind) {
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
        });
    }

    /// Where a typed file name points (relative names are in the save folder).
    pub(super) fn save_path(&self, name: &str) -> PathBuf {
        let name = name.trim();
        let expanded = match (name.strip_prefix("~/"), &self.home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => PathBuf::from(name),
        };
        if expanded.is_absolute() {
            expanded
        } else {
            self.save_dir.join(expanded)
        }
    }

    pub(super) fn set_save_error(&mut self, message: String) {
        if let Some(Popup::Save { error, .. }) = self.popup.as_mut() {
            *error = Some(message);
        }
    }

    /// Asks the loop to write the file; `replace`: the person said to replace what is there.
    pub(super) fn save(&mut self, kind: SaveKind, name: &str, replace: bool) -> Effect {
        let name = crate::core::session::clean_text(name);
        if name.is_empty() {
            self.set_save_error(s::SAVE_EMPTY_NAME.to_string());
            return Effect::None;
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
            return Effect::None;
        };
        Effect::Write(WriteFile {
            kind,
            path: self.save_path(&name),
            name,
            contents,
            replace,
        })
    }

    /// The loop wrote the file (or found one there, or failed).
    pub(super) fn written(&mut self, w: Written) -> Effect {
        match w.result {
            Ok(()) => {
                self.popup = None;
                let shown = w.path.display().to_string();
                if w.kind == SaveKind::Progress {
                    self.progress_file = Some(w.name);
                    self.status = Some(s::saved_progress(&shown));
                } else {
                    self.saved_summary = true;
                    self.status = Some(s::saved(&shown));
                }
            }
            Err(WriteError::Exists) => {
                self.popup = Some(Popup::Replace {
                    kind: w.kind,
                    name: w.name,
                    path: w.path,
                });
            }
            Err(WriteError::Failed(e)) => {
                if let Some(Popup::Replace { kind, name, .. }) = &self.popup {
                    let (kind, name) = (*kind, name.clone());
                    self.popup = Some(Popup::Save {
                        kind,
                        input: LineInput::new(&name),
                        error: None,
                    });
                }
                self.set_save_error(s::save_failed(&e));
            }
        }
        Effect::None
    }
}
