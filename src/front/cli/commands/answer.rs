//! The commands that answer questions: `run` (the wizard or plain mode, `--watch`), `serve`
//! (the web) and `walk` (answers given up front). Each loads the trees and hands over.

use std::io::IsTerminal;
use std::path::Path;

use jiff::civil::Date;

use crate::core::compile::Library;
use crate::core::{render, summary};
#[cfg(feature = "web")]
use crate::front::cli::args::Command;
use crate::front::cli::args::SummaryFormat;
use crate::front::cli::error::{CliError, Outcome};
use crate::front::cli::resolve::{collect_answers, load_with_root};
use crate::front::plain;

/// `signpost run PATH --watch`: the wizard, reloading the tree as it changes.
pub(super) fn watch(path: &Path, today: Date) -> Result<Outcome, CliError> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::Input(
            "--watch needs the wizard, in a terminal".to_string(),
        ));
    }
    Ok(Outcome::Ended(crate::front::tui::run_watch(path, today)))
}

/// `signpost run`: the wizard in a terminal, plain mode otherwise or when asked.
pub(super) fn run(
    path: Option<&Path>,
    plain_mode: bool,
    today: Date,
    resume: Option<&Path>,
) -> Result<Outcome, CliError> {
    let (lib, root) = load_with_root(path)?;
    let use_plain =
        plain_mode || !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal();
    Ok(Outcome::Ended(if use_plain {
        plain::run(&lib, &root, today, resume)
    } else {
        crate::front::tui::run(&lib, &root, today, resume)
    }))
}

/// `signpost serve`: its options into the server's `Config`.
#[cfg(feature = "web")]
pub(super) fn serve_command(command: Command) -> Result<Outcome, CliError> {
    let Command::Serve {
        path,
        listen,
        secure_cookies,
        today,
        max_sessions,
        max_new_sessions,
        max_connections,
        watch,
    } = command
    else {
        return Ok(Outcome::Ended(std::process::ExitCode::from(2)));
    };
    let config = crate::front::web::Config {
        today,
        secure_cookies,
        max_sessions,
        max_new_sessions,
        max_connections,
        ..Default::default()
    };
    match path {
        Some(path) if watch => Ok(Outcome::Ended(crate::front::web::serve_watch(
            &path, listen, config,
        ))),
        path => serve(path.as_deref(), listen, config),
    }
}

/// Loads the trees once and serves them until Ctrl+C. The library lives as long as the server.
#[cfg(feature = "web")]
fn serve(
    path: Option<&Path>,
    listen: std::net::SocketAddr,
    config: crate::front::web::Config,
) -> Result<Outcome, CliError> {
    let (lib, root) = load_with_root(path)?;
    let lib: &'static Library = Box::leak(Box::new(lib));
    Ok(Outcome::Ended(crate::front::web::serve(
        lib, &root, listen, config,
    )))
}

/// `signpost walk`: answers given up front, then the summary.
pub(super) fn walk(
    path: Option<&Path>,
    pairs: &[String],
    file: Option<&Path>,
    today: Date,
    format: SummaryFormat,
) -> Result<Outcome, CliError> {
    let (lib, root) = load_with_root(path)?;
    let given = collect_answers(pairs, file)?;
    let session = crate::author::scenario::walk(&lib, &root, today, &given)?;
    let keys: Vec<String> = given.iter().map(|(k, _)| k.clone()).collect();
    for k in crate::author::scenario::off_the_path(&session, &keys) {
        crate::front::cli::tell(&format!(
            "note: the answer for `{k}` was not used (that question is not on this path)"
        ));
    }
    let s = summary::build(&session);
    let out = match format {
        SummaryFormat::Text => render::text(&s),
        SummaryFormat::Markdown => render::markdown(&s),
        SummaryFormat::Json => render::json(&s),
    };
    say!("{out}");
    if !out.ends_with('\n') {
        sayln!("");
    }
    Ok(Outcome::Done)
}
