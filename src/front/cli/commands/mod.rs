//! One function per subcommand. Each turns its arguments into a call (through `resolve`),
//! prints what it made with `say!`, and returns an `Outcome` or a `CliError`; none prints an
//! error or exits itself.

mod answer;
mod check;
mod inspect;
mod write;

pub use inspect::{pack_schema_json, schema_json};

use crate::front::cli::args::Command;
use crate::front::cli::error::{CliError, Outcome};
use crate::front::cli::resolve::today;

/// Runs a command.
pub(crate) fn run(command: Command) -> Result<Outcome, CliError> {
    match command {
        Command::Run {
            path: Some(path),
            watch: true,
            today: given,
            ..
        } => answer::watch(&path, today(given)),
        Command::Run {
            path,
            plain,
            today: given,
            resume,
            ..
        } => answer::run(path.as_deref(), plain, today(given), resume.as_deref()),
        #[cfg(feature = "web")]
        serve @ Command::Serve { .. } => answer::serve_command(serve),
        Command::Walk {
            path,
            answers,
            answers_file,
            today: given,
            format,
        } => answer::walk(
            path.as_deref(),
            &answers,
            answers_file.as_deref(),
            today(given),
            format,
        ),
        Command::Check {
            paths,
            deny_warnings,
            format,
            today: given,
            max_grade,
        } => {
            let mut opts = crate::author::lint::LintOptions::new(today(given));
            opts.max_grade = max_grade;
            check::check(&paths, deny_warnings, format, opts)
        }
        Command::Paths {
            path,
            today: given,
            format,
            count,
            coverage,
        } => {
            if coverage {
                inspect::coverage_cmd(&path, today(given))
            } else {
                inspect::paths_cmd(&path, today(given), format, count)
            }
        }
        Command::Graph {
            path,
            format,
            focus,
        } => inspect::graph_cmd(&path, format, focus.as_deref()),
        Command::Explain { id, path } => inspect::explain_cmd(&id, path.as_deref()),
        Command::Contacts { path } => inspect::contacts_cmd(path.as_deref()),
        Command::Questions { path, text, format } => {
            inspect::questions_cmd(path.as_deref(), text.as_deref(), format)
        }
        Command::Schema { pack } => inspect::schema_cmd(pack),
        Command::Test {
            path,
            trees,
            summaries,
        } => check::test_cmd(path.as_deref(), trees.as_deref(), summaries.as_deref()),
        Command::New { name } => write::new_cmd(&name),
        Command::Copy { id, folder } => write::copy_cmd(&id, folder.as_deref()),
        Command::Fmt { paths, check } => write::fmt_cmd(&paths, check),
        Command::Generate { nodes } => {
            say!("{}", crate::author::generate::tree(nodes));
            Ok(Outcome::Done)
        }
    }
}
