//! The terminal wizard (ratatui over crossterm, The Elm Architecture).
//!
//! - `app`: the model and `update` (a message in, the model changed, an `Effect` out), with
//!   `saving` (the save and replace popups) and `line_input` (a line of typed text);
//! - `view`: draws the model (a pure function of it), with `question`, `summary_view` and
//!   `popups` for the screens' parts;
//! - `keys`: every key binding, in one table that the key hints are generated from;
//! - `strings`: every word the wizard shows;
//! - `text`: cleaning, glossary marking and wrapping of text.
//!
//! This file owns the terminal and carries out effects (`perform`): the only place the
//! wizard writes a file. It owns the terminal: raw mode and the alternate screen on the way in, and on the way
//! out, always, however the program ends (normal close, error, panic, Ctrl-C, SIGTERM, SIGHUP).
//! The quick exit also clears the screen and the scrollback and writes nothing.

mod app;
mod keys;
mod line_input;
mod msg;
mod popups;
mod question;
mod saving;
pub mod strings;
mod summary_view;
mod text;
mod view;
mod widgets;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::crossterm::terminal::{self, ClearType};
use ratatui::crossterm::{cursor, execute};
use ratatui::Terminal;

pub use app::{App, CheckFrom, Screen};
pub use keys::Context;
pub use msg::{Effect, Msg, SaveKind, WriteError, WriteFile, Written};
pub use popups::Popup;
pub use text::clean;
pub use view::view;

use crate::core::compile::Library;
use crate::io::save;

/// How often the loop wakes to check for a signal when no key comes.
const TICK: Duration = Duration::from_millis(100);

/// How the wizard ended.
enum Exit {
    Normal,
    Quick,
    /// A signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) asked the wizard to stop.
    Signal(usize),
}

/// Runs the wizard in the terminal. Returns when the person closes it or leaves.
pub fn run(lib: &Library, root: &str, today: Date, resume: Option<&Path>) -> ExitCode {
    run_with(lib, root, today, resume, &mut |_| false)
}

/// `signpost run PATH --watch`: the wizard over a tree being written. When a file in the tree's
/// folder changes, the trees are compiled again; if they compile, the wizard carries on over the
/// new version with the answers that still apply, and if not, it keeps the last good version
/// and says what is wrong at the bottom of the screen.
pub(crate) fn run_watch(path: &Path, today: Date) -> ExitCode {
    let mut watched = crate::io::watch::Watched::new(path);
    let first = match watched.load() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("signpost: {}", e.line());
            return ExitCode::from(1);
        }
    };
    let mut reload = move |app: &mut App<'static>| -> bool {
        if !watched.changed() {
            return false;
        }
        match watched.load() {
            Ok(new) => match App::new(new.lib, &new.root, app.session().today()) {
                Ok(mut fresh) => {
                    let before = app.session().canonical_answers();
                    fresh.resume(before.clone(), true, "your changed tree");
                    fresh.update(Msg::Resize(app.size.0, app.size.1));
                    // Straight back to the questions, whatever the window's size (a key
                    // would wait for the window to show the page).
                    fresh.begin();
                    let kept = fresh.session().answers().len();
                    fresh.status = Some(strings::reloaded(kept, before.len().saturating_sub(kept)));
                    *app = fresh;
                }
                Err(e) => app.status = Some(e),
            },
            Err(e) => app.status = Some(strings::reload_failed(&e.line())),
        }
        true
    };
    run_with(first.lib, &first.root, today, None, &mut reload)
}

fn run_with<'l>(
    lib: &'l Library,
    root: &str,
    today: Date,
    resume: Option<&Path>,
    tick: &mut dyn FnMut(&mut App<'l>) -> bool,
) -> ExitCode {
    let mut app = match App::new(lib, root, today) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("signpost: {e}");
            return ExitCode::from(1);
        }
    };
    if let Some(p) = resume {
        match save::read_progress(p, lib, root) {
            Ok((answers, changed)) => app.resume(answers, changed, &p.display().to_string()),
            Err(e) => {
                eprintln!("signpost: {e}");
                return ExitCode::from(1);
            }
        }
    }
    app.set_color(std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()));
    if let Ok(dir) = std::env::current_dir() {
        app.set_save_dir(&dir);
    }

    // Signals become a number the loop checks; no unsafe code, no work in a signal handler.
    let stop = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        let _ = signal_hook::flag::register_usize(sig, Arc::clone(&stop), sig as usize);
    }

    install_panic_hook();
    spawn_watchdog(Arc::clone(&stop));
    let result = (|| -> io::Result<Exit> {
        let _guard = TerminalGuard::enter()?;
        let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        terminal.clear()?;
        event_loop(&mut terminal, &mut app, &stop, tick)
    })();
    // The guard has restored the terminal by now.
    match result {
        Ok(Exit::Normal) => ExitCode::SUCCESS,
        Ok(Exit::Quick) => {
            clear_everything();
            ExitCode::SUCCESS
        }
        Ok(Exit::Signal(sig)) => {
            // Stopped from outside: leave as quickly and as cleanly as the quick exit, with the
            // usual status for a process ended by a signal.
            clear_everything();
            ExitCode::from(128u8.saturating_add(sig as u8))
        }
        Err(e) => {
            eprintln!("signpost: the terminal failed: {e}. Try `signpost run --plain`.");
            ExitCode::from(1)
        }
    }
}

fn event_loop<'l, B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App<'l>,
    stop: &AtomicUsize,
    tick: &mut dyn FnMut(&mut App<'l>) -> bool,
) -> io::Result<Exit>
where
    B::Error: Into<io::Error>,
{
    let mut dirty = true;
    loop {
        let sig = stop.load(Ordering::Relaxed);
        if sig != 0 {
            return Ok(Exit::Signal(sig));
        }
        if dirty {
            let size = terminal.size().map_err(Into::into)?;
            app.update(Msg::Resize(size.width, size.height));
            terminal.draw(|f| view(app, f)).map_err(Into::into)?;
            dirty = false;
        }
        if !event::poll(TICK)? {
            dirty |= tick(app);
            continue;
        }
        match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                dirty = true;
                let effect = app.handle_key(key);
                match perform(app, effect) {
                    Effect::Quit => return Ok(Exit::Normal),
                    Effect::QuickExit => return Ok(Exit::Quick),
                    _ => {}
                }
            }
            Event::Resize(..) => {
                terminal.autoresize().map_err(Into::into)?;
                dirty = true;
            }
            Event::FocusGained | Event::Paste(_) => dirty = true,
            _ => {}
        }
    }
}

/// The loop's side of a message: it measures the window with the view's layout and hands the
/// measure to the model's update, which never calls the view itself.
impl App<'_> {
    /// Handles one message (a key's, or the loop's own). The effect is for the loop (or a
    /// test) to carry out.
    pub fn update(&mut self, msg: Msg) -> Effect {
        let vp = view::measure(self);
        self.update_in(msg, &vp)
    }

    /// Handles one key press. The effect is for the terminal loop (or a test) to carry out.
    pub fn handle_key(&mut self, key: ratatui::crossterm::event::KeyEvent) -> Effect {
        match keys::to_msg(key, self.context()) {
            Some(msg) => self.update(msg),
            // A key that means nothing here still disarms the quick exit.
            None => {
                self.esc_armed = false;
                Effect::None
            }
        }
    }
}

/// Carries out an effect: writes a file and gives `update` the outcome, until what is left
/// is for the loop (keep going, quit, or leave at once), which it returns.
pub fn perform(app: &mut App, mut effect: Effect) -> Effect {
    while let Effect::Write(w) = effect {
        // Anything already at the path (a file, a folder, a link) counts: the person is
        // asked before it is replaced.
        let result = if !w.replace && std::fs::symlink_metadata(&w.path).is_ok() {
            Err(WriteError::Exists)
        } else {
            save::write_private(&w.path, &w.contents).map_err(|e| WriteError::Failed(e.to_string()))
        };
        effect = app.update(Msg::Written(Written {
            kind: w.kind,
            name: w.name,
            path: w.path,
            result,
        }));
    }
    effect
}

/// A second line of defence: if a signal has not ended the loop within a second (the input
/// reader can spin on a terminal that has gone away), or the terminal itself has gone (the
/// window was closed), restore what can be restored and leave.
fn spawn_watchdog(stop: Arc<AtomicUsize>) {
    std::thread::spawn(move || {
        let mut waited_since_signal = 0;
        loop {
            std::thread::sleep(Duration::from_millis(250));
            let sig = stop.load(Ordering::Relaxed);
            if sig != 0 {
                waited_since_signal += 1;
                if waited_since_signal >= 4 {
                    restore_terminal();
                    clear_everything();
                    std::process::exit(128 + sig as i32);
                }
            }
            // With no controlling terminal left there is nobody to show anything to.
            if std::fs::OpenOptions::new()
                .read(true)
                .open("/dev/tty")
                .is_err()
            {
                std::process::exit(129);
            }
        }
    });
}

/// Set once the terminal is in raw mode, so that restoring happens once and only if needed.
static RAW: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as it was. Safe to call more than once, from a panic hook too.
fn restore_terminal() {
    if RAW.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = terminal::disable_raw_mode();
        let _ = execute!(out, terminal::LeaveAlternateScreen, cursor::Show);
        let _ = out.flush();
    }
}

/// After a quick exit: clear the screen and the scrollback, so what was on screen is gone.
fn clear_everything() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        terminal::Clear(ClearType::All),
        cursor::MoveTo(0, 0),
        terminal::Clear(ClearType::Purge)
    );
    // \x1b[3J is what ClearType::Purge sends; written again in case a terminal wants it after
    // the screen is cleared.
    let _ = out.write_all(b"\x1b[3J");
    let _ = out.flush();
}

struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        terminal::enable_raw_mode()?;
        RAW.store(true, Ordering::SeqCst);
        let guard = TerminalGuard;
        execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// A panic restores the terminal before the message is printed, so the message is readable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic anywhere in the wizard puts the terminal back before the panic message prints.
    /// (The tmux tests show `restore_terminal` itself leaves a real terminal usable.)
    #[test]
    fn a_panic_restores_the_terminal_first() {
        install_panic_hook();
        // Pretend the terminal is in raw mode; restoring it clears the flag. Writing the
        // restore sequences to a test's captured stdout is harmless.
        RAW.store(true, Ordering::SeqCst);
        let result = std::panic::catch_unwind(|| panic!("a bug in the wizard"));
        assert!(result.is_err());
        assert!(
            !RAW.load(Ordering::SeqCst),
            "the panic hook did not restore the terminal"
        );
    }
}
