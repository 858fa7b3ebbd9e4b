//! The plain front end: one question at a time, line by line, numbered options. It is what a
//! screen-reader user runs, and what runs when input or output is not a terminal.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use jiff::civil::Date;

use crate::core::changes::{Changes, Snapshot};
use crate::core::compile::Library;
use crate::core::format::EmergencyPlace;
use crate::core::glossary::Glossary;
use crate::core::limits::MAX_DROPPED_SHOWN;
use crate::core::pack::Pack;
use crate::core::page::{check_rows, Input, Page};
use crate::core::session::{clean_text, Position, Session};
use crate::{core::render, core::summary, io::save};

/// Passes text through with control characters removed (see `render::inert`).
struct Inert<W: Write>(W);

impl<W: Write> Write for Inert<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // `write!` hands over whole `str` pieces, so each buffer is complete UTF-8.
        let text = crate::core::render::inert(&String::from_utf8_lossy(buf));
        self.0.write_all(text.as_bytes())?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Remembers whether the reader of the output went away (`signpost run --plain | head`).
struct NoticePipe<W: Write> {
    inner: W,
    closed: bool,
}

impl<W: Write> NoticePipe<W> {
    fn note<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &r {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                self.closed = true;
            }
        }
        r
    }
}

impl<W: Write> Write for NoticePipe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.note(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
    }
}

pub fn run(lib: &Library, root: &str, today: Date, resume: Option<&Path>) -> ExitCode {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut input = stdin.lock();
    let mut output = NoticePipe {
        inner: stdout.lock(),
        closed: false,
    };
    match run_io(lib, root, today, resume, &mut input, &mut output) {
        Ok(()) => ExitCode::SUCCESS,
        // Nobody is reading any more: end quietly.
        Err(_) if output.closed => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("signpost: {e}");
            ExitCode::from(1)
        }
    }
}

/// The introduction: the engine's words around the pack's disclaimer and emergency line.
fn intro(pack: &Pack) -> String {
    let mut t = format!(
        "This asks you some questions, then gives you next steps you can take.\n\
         {} Nothing is saved unless you choose to save it.\n\
         Type the number of your answer and press Enter. You can also type:\n  \
         back to go back a question, check to see your answers, help to explain words,\n  \
         save to keep your answers and carry on later, or quit.",
        pack.disclaimer
    );
    if let Some(e) = pack.emergency_at(EmergencyPlace::Start) {
        t.push('\n');
        t.push_str(e);
    }
    t
}

/// The lines in and out, with the typed text cleaned as it comes in.
struct Lines<'a> {
    input: &'a mut dyn BufRead,
    out: &'a mut dyn Write,
}

impl Lines<'_> {
    /// Prompts and reads one line; `None` at the end of input.
    fn read(&mut self) -> Result<Option<String>, String> {
        write!(self.out, "> ").map_err(io)?;
        self.out.flush().map_err(io)?;
        let line = crate::io::bounded::read_line(self.input)?;
        Ok(line.map(|l| clean_text(&l)))
    }

    fn say(&mut self, text: impl std::fmt::Display) -> Result<(), String> {
        writeln!(self.out, "{text}").map_err(io)
    }
}

fn io(e: std::io::Error) -> String {
    e.to_string()
}

/// What the person typed instead of an answer.
enum Command {
    Quit,
    Back,
    Check,
    Help,
    Save,
}

fn command(reply: &str) -> Option<Command> {
    Some(match reply.to_lowercase().as_str() {
        "quit" | "q" | "exit" => Command::Quit,
        "back" | "b" => Command::Back,
        "check" | "answers" => Command::Check,
        "help" | "?" => Command::Help,
        "save" => Command::Save,
        _ => return None,
    })
}

/// How a conversation ended.
enum End {
    Finished,
    /// The person typed quit.
    Stopped,
    /// The input ended before the next steps (a pipe of answers that ran out): an error, so a
    /// script is not told that all went well.
    InputEnded,
}

/// Runs the plain questionnaire over any input and output (tests feed it text).
pub fn run_io(
    lib: &Library,
    root: &str,
    today: Date,
    resume: Option<&Path>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<(), String> {
    // Tree text and typed answers reach the terminal only through this filter.
    let mut out = Inert(out);
    let mut lines = Lines {
        input,
        out: &mut out,
    };
    let mut session = Session::new(lib, root, today)?;
    let glossary = Glossary::of(lib);
    let title = lib
        .flow(root)
        .map(|f| f.tree().title.clone())
        .unwrap_or_default();
    let pack = lib.pack();
    lines.say(format!("{}: {title}\n\n{}\n", pack.service, intro(pack)))?;
    let mut saved_as = None;
    if let Some(p) = resume {
        resume_from(&mut lines, &mut session, p)?;
        saved_as = Some(p.to_path_buf());
    }
    let mut walk = Walk {
        session,
        glossary,
        saved_as,
        baseline: None,
    };
    match walk.answer_all(&mut lines)? {
        End::Finished => {}
        End::Stopped => return stopped(&mut lines),
        End::InputEnded => {
            stopped(&mut lines)?;
            return Err(INPUT_ENDED.to_string());
        }
    }
    let s = summary::build(&walk.session);
    lines.say(render::text(&s))?;
    save_summary(&mut lines, &s)
}

fn resume_from(lines: &mut Lines, session: &mut Session, p: &Path) -> Result<(), String> {
    let (answers, changed) = save::read_progress(p, session.library(), session.root())?;
    let dropped = session.restore(answers);
    lines.say(format!("Carrying on from {}.", p.display()))?;
    if changed {
        lines.say(
            "The advice has been updated since you saved, so your answers were checked again.",
        )?;
    }
    for k in dropped.iter().take(MAX_DROPPED_SHOWN) {
        let question = Page::for_key(session, k, &Glossary::new([]))
            .map_or_else(|| k.to_string(), |p| p.heading.to_string());
        lines.say(format!(
            "Your answer to \"{question}\" no longer applies and was removed."
        ))?;
    }
    if let Some(more) = dropped
        .len()
        .checked_sub(MAX_DROPPED_SHOWN)
        .filter(|&n| n > 0)
    {
        lines.say(format!(
            "{more} more saved answers no longer apply and were removed."
        ))?;
    }
    lines.say("")
}

/// One person's way through the questions.
struct Walk<'l> {
    session: Session<'l>,
    glossary: Glossary<'l>,
    /// Where progress was last saved (or resumed from): saving there again needs no "replace?".
    saved_as: Option<std::path::PathBuf>,
    /// The advice before an answer was changed, to say what the change did.
    baseline: Option<Snapshot>,
}

impl Walk<'_> {
    /// Asks until the end and the answers are checked, or the person stops.
    fn answer_all(&mut self, lines: &mut Lines) -> Result<End, String> {
        loop {
            match self.session.position().clone() {
                Position::Finished => match self.check(lines)? {
                    Some(end) => return Ok(end),
                    None => continue,
                },
                Position::Blocked { message, .. } => {
                    lines.say(format!(
                        "{message}\nType back to change an earlier answer, or quit."
                    ))?;
                    match lines.read()?.as_deref() {
                        None => return Ok(End::InputEnded),
                        Some("quit") | Some("q") => return Ok(End::Stopped),
                        _ => {
                            self.session.back();
                        }
                    }
                }
                Position::Asking(_) => {
                    if let Some(end) = self.ask(lines)? {
                        return Ok(end);
                    }
                }
            }
        }
    }

    /// Shows the current page and takes one reply. `Some` when the person stopped.
    fn ask(&mut self, lines: &mut Lines) -> Result<Option<End>, String> {
        let Some(page) = Page::current(&self.session, &self.glossary) else {
            return Ok(None);
        };
        show(lines, &page)?;
        let Some(reply) = lines.read()? else {
            return Ok(Some(End::InputEnded));
        };
        match command(&reply) {
            Some(Command::Quit) => return Ok(Some(End::Stopped)),
            Some(Command::Back) => {
                if !self.session.back() {
                    lines.say("This is the first question.\n")?;
                }
            }
            Some(Command::Check) => self.list_answers(lines)?,
            Some(Command::Help) => lines.say(format!("\n{}\n", help_for(&page)))?,
            Some(Command::Save) => self.save_progress(lines)?,
            None => match page.answer(&mut self.session, &page.read_reply(&reply)) {
                Ok(()) => lines.say("")?,
                Err(e) => lines.say(format!("Sorry: {e}\n"))?,
            },
        }
        Ok(None)
    }

    fn list_answers(&self, lines: &mut Lines) -> Result<(), String> {
        let rows = check_rows(&self.session);
        if rows.is_empty() {
            return lines.say("\nYou have not answered any questions yet.\n");
        }
        lines.say("\nYour answers so far:")?;
        for r in rows {
            lines.say(format!("  {}. {}\n     {}", r.number, r.question, r.answer))?;
        }
        lines.say("")
    }

    /// "Check your answers" at the end. `None` when an answer changed and there may be new
    /// questions; `Some(End::Finished)` when the person is happy with them.
    fn check(&mut self, lines: &mut Lines) -> Result<Option<End>, String> {
        if let Some(before) = self.baseline.take() {
            let after = Snapshot::of(&self.session);
            lines.say("What your change did:")?;
            for s in Changes::between(&before, &after).sentences() {
                lines.say(format!("  {s}"))?;
            }
            lines.say("")?;
        }
        lines.say("Check your answers")?;
        let rows = check_rows(&self.session);
        for r in &rows {
            lines.say(format!("  {}. {}\n     {}", r.number, r.question, r.answer))?;
        }
        lines.say(
            "Type the number of an answer to change it, save to keep your answers, or press Enter to see your next steps.",
        )?;
        loop {
            let Some(reply) = lines.read()? else {
                return Ok(Some(End::InputEnded));
            };
            if reply.is_empty() {
                lines.say("")?;
                return Ok(Some(End::Finished));
            }
            match command(&reply) {
                Some(Command::Quit) => return Ok(Some(End::Stopped)),
                Some(Command::Save) => {
                    self.save_progress(lines)?;
                    continue;
                }
                Some(Command::Back) => {
                    self.session.back();
                    return Ok(None);
                }
                _ => {}
            }
            let picked = reply
                .parse::<usize>()
                .ok()
                .and_then(|n| rows.get(n.wrapping_sub(1)));
            match picked {
                Some(row) => {
                    self.change(lines, &row.key)?;
                    return Ok(None);
                }
                None => lines.say(format!(
                    "Sorry: type a number from 1 to {}, or press Enter to see your next steps.",
                    rows.len()
                ))?,
            }
        }
    }

    /// Asks one answered question again and changes the answer.
    fn change(
        &mut self,
        lines: &mut Lines,
        key: &crate::core::session::NodeKey,
    ) -> Result<(), String> {
        let Some(page) = Page::for_key(&self.session, key, &self.glossary) else {
            return Ok(());
        };
        loop {
            lines.say("")?;
            show(lines, &page)?;
            lines.say("(Type back to keep your answer.)")?;
            let Some(reply) = lines.read()? else {
                return Ok(());
            };
            match command(&reply) {
                Some(Command::Back | Command::Quit | Command::Check) => return lines.say(""),
                Some(Command::Help) => {
                    lines.say(format!("\n{}\n", help_for(&page)))?;
                    continue;
                }
                _ => {}
            }
            let before = Snapshot::of(&self.session);
            match page.change(&mut self.session, &page.read_reply(&reply)) {
                Ok(_) => {
                    self.baseline = Some(before);
                    return lines.say("");
                }
                Err(e) => lines.say(format!("Sorry: {e}"))?,
            }
        }
    }

    /// Saves the answers so far to a file the person names, never replacing a file without
    /// asking.
    fn save_progress(&mut self, lines: &mut Lines) -> Result<(), String> {
        let suggested = self
            .saved_as
            .as_ref()
            .map_or("my-answers.signpost".to_string(), |p| {
                p.display().to_string()
            });
        lines.say(format!(
            "\nType a file name to save your answers in, or press Enter for {suggested}. Type back to carry on without saving."
        ))?;
        let Some(name) = lines.read()? else {
            return Ok(());
        };
        if name.eq_ignore_ascii_case("back") {
            return lines.say("");
        }
        let path = if name.is_empty() { suggested } else { name };
        let path = std::path::PathBuf::from(path);
        let again = self.saved_as.as_ref() == Some(&path);
        if !again && !replace_ok(lines, &path)? {
            return lines.say("Not saved.\n");
        }
        let session = &self.session;
        let body = save::progress_json(session.library(), session.root(), session.answers());
        match save::write_private(&path, &body) {
            Ok(()) => {
                self.saved_as = Some(path.clone());
                lines.say(format!(
                    "Your answers are saved in {}. Only you can read it. To carry on later, start Signpost the same way and add: --resume {}\n",
                    path.display(),
                    path.display()
                ))
            }
            Err(e) => lines.say(format!("Sorry, that could not be saved: {e}\n")),
        }
    }
}

/// True if nothing is at `path`, or the person says to replace what is there.
fn replace_ok(lines: &mut Lines, path: &Path) -> Result<bool, String> {
    if !path.exists() {
        return Ok(true);
    }
    lines.say(format!(
        "There is already a file called {}. Type yes to replace it, or press Enter to keep it.",
        path.display()
    ))?;
    Ok(lines
        .read()?
        .is_some_and(|a| matches!(a.to_lowercase().as_str(), "yes" | "y")))
}

fn save_summary(lines: &mut Lines, s: &summary::Summary) -> Result<(), String> {
    lines.say("To keep this, type a file name to save it (end it in .md for Markdown), or press Enter to finish.")?;
    loop {
        let Some(name) = lines.read()? else {
            return Ok(());
        };
        if name.is_empty() {
            return Ok(());
        }
        let path = Path::new(&name);
        if !replace_ok(lines, path)? {
            lines.say("Type another file name, or press Enter to finish.")?;
            continue;
        }
        let body = if name.ends_with(".md") {
            render::markdown(s)
        } else {
            render::text(s)
        };
        return match save::write_private(path, &body) {
            Ok(()) => lines.say(format!("Saved to {name}. Only you can read it.")),
            Err(e) => lines.say(format!("Sorry, that could not be saved: {e}")),
        };
    }
}

/// Why plain mode fails when its input ends before the next steps.
const INPUT_ENDED: &str =
    "the input ended before the questions did, so no next steps were given; nothing was saved";

fn stopped(lines: &mut Lines) -> Result<(), String> {
    lines.say("\nStopped. Nothing was saved.")
}

fn show(lines: &mut Lines, page: &Page) -> Result<(), String> {
    lines.say(format!(
        "{}, question {}",
        page.progress.section, page.progress.number
    ))?;
    lines.say(page.heading)?;
    if let Some(body) = &page.body {
        lines.say(body)?;
    }
    if let Some(h) = page.help {
        lines.say(h)?;
    }
    for (i, o) in page.options.iter().enumerate() {
        if let Some(h) = page.heading_before(i) {
            lines.say(format!(" {h}:"))?;
        }
        lines.say(format!("  {}. {}", o.number, o.label))?;
    }
    lines.say(match page.input {
        Input::One => "Type the number of your answer.".to_string(),
        Input::Several => {
            "Type the numbers of all that apply, separated by commas (for example 1,3).".to_string()
        }
        Input::Date => "Write the date as day/month/year, for example 3/2/2025. If you do not know it, write: I don't know".to_string(),
        Input::Number { .. } => match page.number_range() {
            Some(range) => format!("Type a whole number. {range}"),
            None => "Type a whole number.".to_string(),
        },
        Input::Text { max, optional: true } => {
            format!("Type your answer (up to {max} characters), or press Enter to leave it blank.")
        }
        Input::Text { max, optional: false } => {
            format!("Type your answer (up to {max} characters).")
        }
        Input::Continue => "Press Enter to continue.".to_string(),
    })?;
    if let Some(e) = &page.earlier {
        if !e.words.is_empty() {
            lines.say(format!("(Your earlier answer: {})", e.words))?;
        }
    }
    if !page.terms.is_empty() {
        lines.say("(Type help to have some of the words here explained.)")?;
    }
    Ok(())
}

/// The page's help, and what each glossary word on it (in the question, help, options or text)
/// means.
fn help_for(page: &Page) -> String {
    let mut text = String::new();
    if let Some(h) = page.help {
        text.push_str(h);
        text.push_str("\n\n");
    }
    for t in &page.terms {
        text.push_str(&format!("{}: {}\n", t.term, t.definition));
    }
    if text.is_empty() {
        text.push_str("Answer as best you can. You can go back and change any answer later.");
    }
    text.trim_end().to_string()
}
