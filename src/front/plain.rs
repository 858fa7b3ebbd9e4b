//! The plain front end: one question at a time, line by line, numbered options. It is what a
//! screen-reader user runs, and what runs when input or output is not a terminal.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use jiff::civil::Date;

use crate::core::compile::Library;
use crate::core::format::Node;
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

const INTRO: &str = "This asks you some questions, then gives you next steps you can take.\n\
It is general information, not legal advice. Nothing is saved unless you choose to save it.\n\
Type the number of your answer and press Enter. You can also type: back, answers, help, or quit.\n\
If a child is in immediate danger, call 999.";

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
    let out: &mut dyn Write = &mut out;
    let io = |e: std::io::Error| e.to_string();
    let mut session = Session::new(lib, root, today)?;
    let title = lib
        .flow(root)
        .map(|f| f.tree.title.clone())
        .unwrap_or_default();
    writeln!(out, "Signpost: {title}\n\n{INTRO}\n").map_err(io)?;
    if let Some(p) = resume {
        let (answers, changed) = save::read_progress(p, lib, root)?;
        let dropped = session.restore(answers);
        writeln!(out, "Carrying on from {}.", p.display()).map_err(io)?;
        if changed {
            writeln!(
                out,
                "The advice has been updated since you saved, so your answers were checked again."
            )
            .map_err(io)?;
        }
        for k in dropped {
            writeln!(out, "Your answer to {k} no longer applies and was removed.").map_err(io)?;
        }
        writeln!(out).map_err(io)?;
    }
    let mut line = String::new();
    let mut read =
        |input: &mut dyn BufRead, out: &mut dyn Write| -> Result<Option<String>, String> {
            write!(out, "> ").map_err(io)?;
            out.flush().map_err(io)?;
            line.clear();
            let n = input.read_line(&mut line).map_err(io)?;
            Ok((n > 0).then(|| clean_text(&line)))
        };
    loop {
        match session.position().clone() {
            Position::Finished => break,
            Position::Blocked { message, .. } => {
                writeln!(
                    out,
                    "{message}\nType back to change an earlier answer, or quit."
                )
                .map_err(io)?;
                match read(input, out)?.as_deref() {
                    None | Some("quit") | Some("q") => return stopped(out),
                    _ => {
                        session.back();
                    }
                }
                continue;
            }
            Position::Asking(_) => {}
        }
        let Some((_, node)) = session.current() else {
            break;
        };
        ask(out, &session, node).map_err(io)?;
        let Some(reply) = read(input, out)? else {
            return stopped(out);
        };
        match reply.to_lowercase().as_str() {
            "quit" | "q" | "exit" => return stopped(out),
            "back" | "b" => {
                if !session.back() {
                    writeln!(out, "This is the first question.\n").map_err(io)?;
                }
                continue;
            }
            "answers" => {
                writeln!(out, "\nYour answers so far:").map_err(io)?;
                for a in &session.trace().answered {
                    writeln!(out, "- {} {}", a.question, a.answer).map_err(io)?;
                }
                writeln!(out).map_err(io)?;
                continue;
            }
            "help" | "?" => {
                writeln!(out, "\n{}\n", help_for(lib, node)).map_err(io)?;
                continue;
            }
            _ => {}
        }
        let value = match to_value(node, &reply) {
            Ok(v) => v,
            Err(msg) => {
                writeln!(out, "Sorry: {msg}\n").map_err(io)?;
                continue;
            }
        };
        if let Err(e) = session.answer(&value) {
            writeln!(out, "Sorry: {e}\n").map_err(io)?;
        } else {
            writeln!(out).map_err(io)?;
        }
    }
    let s = summary::build(&session);
    writeln!(out, "{}", render::text(&s)).map_err(io)?;
    writeln!(out, "To keep this, type a file name to save it (end it in .md for Markdown), or press Enter to finish.").map_err(io)?;
    if let Some(name) = read(input, out)? {
        if !name.is_empty() {
            let body = if name.ends_with(".md") {
                render::markdown(&s)
            } else {
                render::text(&s)
            };
            match save::write_private(Path::new(&name), &body) {
                Ok(()) => writeln!(out, "Saved to {name}. Only you can read it.").map_err(io)?,
                Err(e) => writeln!(out, "Sorry, that could not be saved: {e}").map_err(io)?,
            }
        }
    }
    Ok(())
}

fn stopped(out: &mut dyn Write) -> Result<(), String> {
    writeln!(out, "\nStopped. Nothing was saved.").map_err(|e| e.to_string())
}

fn ask(out: &mut dyn Write, session: &Session, node: &Node) -> std::io::Result<()> {
    let left = session.remaining_estimate();
    let done = session
        .trace()
        .answered
        .iter()
        .filter(|a| !a.carried_over)
        .count();
    writeln!(
        out,
        "Question {} (about {} more at most)",
        done + 1,
        left.saturating_sub(1)
    )?;
    match node {
        Node::Info(i) => {
            let facts = session.current_facts().cloned().unwrap_or_default();
            let body = session
                .library()
                .expr
                .render(&i.body, &facts)
                .unwrap_or_else(|_| i.body.clone());
            writeln!(
                out,
                "{}\n{}\nPress Enter to continue.",
                i.title,
                body.trim()
            )?;
        }
        _ => {
            writeln!(out, "{}", node.question().unwrap_or_default())?;
            if let Some(h) = node.help() {
                writeln!(out, "{h}")?;
            }
            match node {
                Node::Choice(c) => {
                    for (i, o) in c.options.iter().enumerate() {
                        writeln!(out, "  {}. {}", i + 1, o.label)?;
                    }
                }
                Node::Multi(m) => {
                    for (i, o) in m.options.iter().enumerate() {
                        writeln!(out, "  {}. {}", i + 1, o.label)?;
                    }
                    writeln!(out, "Type the numbers of all that apply, separated by commas (for example 1,3).")?;
                }
                Node::Date(_) => writeln!(
                    out,
                    "Write the date as day/month/year, for example 3/2/2025. If you do not know it, write: I don't know"
                )?,
                Node::Number(_) => writeln!(out, "Type a whole number.")?,
                Node::Text(t) if t.optional => {
                    writeln!(out, "Type your answer, or press Enter to leave it blank.")?
                }
                Node::Text(_) => writeln!(out, "Type your answer.")?,
                _ => {}
            }
            if let Some(p) = session.prefill() {
                writeln!(out, "(Your earlier answer: {p})")?;
            }
        }
    }
    Ok(())
}

/// Turns what was typed (option numbers) into the value the session expects.
pub fn to_value(node: &Node, reply: &str) -> Result<String, String> {
    let pick = |n: &str, count: usize| -> Result<usize, String> {
        match n.trim().parse::<usize>() {
            Ok(i) if i >= 1 && i <= count => Ok(i - 1),
            _ => Err(format!("type a number from 1 to {count}")),
        }
    };
    match node {
        Node::Choice(c) => {
            if reply.trim().parse::<usize>().is_ok() {
                Ok(c.options[pick(reply, c.options.len())?].value.clone())
            } else {
                Ok(reply.to_string())
            }
        }
        Node::Multi(m) => {
            let parts: Vec<&str> = reply.split([',', ' ']).filter(|p| !p.is_empty()).collect();
            if parts.iter().all(|p| p.parse::<usize>().is_ok()) {
                let values: Result<Vec<String>, String> = parts
                    .iter()
                    .map(|p| pick(p, m.options.len()).map(|i| m.options[i].value.clone()))
                    .collect();
                Ok(values?.join(","))
            } else {
                Ok(reply.to_string())
            }
        }
        Node::Info(_) => Ok("ok".into()),
        _ => Ok(reply.to_string()),
    }
}

fn help_for(lib: &Library, node: &Node) -> String {
    let mut text = String::new();
    if let Some(h) = node.help() {
        text.push_str(h);
        text.push('\n');
    }
    let words = format!(
        "{} {}",
        node.question().unwrap_or_default(),
        node.help().unwrap_or_default()
    )
    .to_lowercase();
    for t in lib.glossary.values() {
        let names = std::iter::once(&t.term).chain(&t.aliases);
        if names.into_iter().any(|n| words.contains(&n.to_lowercase())) {
            text.push_str(&format!("{}: {}\n", t.term, t.definition));
        }
    }
    if text.is_empty() {
        text.push_str("Answer as best you can. You can go back and change any answer later.");
    }
    text.trim_end().to_string()
}
