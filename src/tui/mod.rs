//! The terminal wizard (ratatui over crossterm, The Elm Architecture).
//!
//! - `app`: the model and `update` (a key in, the model changed, an `Action` out);
//! - `view`: draws the model (a pure function of it);
//! - `keys`: every key binding and the key hints;
//! - `strings`: every word the wizard shows;
//! - `text`: cleaning, glossary marking and wrapping of text.
//!
//! This file owns the terminal: raw mode and the alternate screen on the way in, and on the way
//! out, always, however the program ends (normal close, error, panic, Ctrl-C, SIGTERM, SIGHUP).
//! The quick exit also clears the screen and the scrollback and writes nothing.

mod app;
mod keys;
pub mod strings;
mod text;
mod view;

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

pub use app::{Action, App, CheckFrom, Popup, SaveKind, Screen};
pub use keys::{Context, Msg};
pub use text::clean;
pub use view::{view, MIN_HEIGHT, MIN_WIDTH};

use crate::compile::Library;
use crate::save;

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
        event_loop(&mut terminal, &mut app, &stop)
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

fn event_loop<B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    stop: &AtomicUsize,
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
            terminal.draw(|f| view(app, f)).map_err(Into::into)?;
            dirty = false;
        }
        if !event::poll(TICK)? {
            continue;
        }
        match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                dirty = true;
                match app.handle_key(key) {
                    Action::None => {}
                    Action::Quit => return Ok(Exit::Normal),
                    Action::QuickExit => return Ok(Exit::Quick),
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
