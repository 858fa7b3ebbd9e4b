//! The command line: parses arguments, loads trees, and hands over to the core and the front
//! ends. Exit codes: 0 success, 1 the input is wrong (diagnostics, an invalid answer), 2 usage.
//!
//! - `args`: the arguments as clap parses them, plain data;
//! - `resolve`: arguments into what a command works on (the trees, today's date, answers);
//! - `commands/`: one function per subcommand, each returning an `Outcome` or a `CliError`;
//! - `error`: those two types.
//!
//! `main` is the one place that prints an error and chooses the exit code, as ripgrep's does.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// `print!` that ends quietly when the reader has gone away (see `write_out`).
macro_rules! say {
    ($($t:tt)*) => { $crate::front::cli::write_out(&format!($($t)*)) };
}

/// `println!` that ends quietly when the reader has gone away (see `write_out`).
macro_rules! sayln {
    ($($t:tt)*) => {{
        let mut line = format!($($t)*);
        line.push('\n');
        $crate::front::cli::write_out(&line)
    }};
}

mod args;
mod commands;
mod error;
mod resolve;

pub use args::{CheckFormat, Cli, Command, GraphFormat, PathsFormat, SummaryFormat};
pub use commands::{pack_schema_json, schema_json};

use error::CliError;

pub fn main() -> ExitCode {
    match resolve::command(Cli::parse()).and_then(commands::run) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            report(&e);
            e.exit_code()
        }
    }
}

/// Prints why a command failed: the only place an error reaches standard error.
fn report(e: &CliError) {
    eprint!("signpost: {e}");
}

/// Says something on standard error that does not stop the command: a warning, a note, a file
/// `fmt` could not read.
pub(crate) fn tell(message: &str) {
    eprintln!("signpost: {message}");
}

/// Writes to standard output. When the reader has gone away (`signpost generate | head -c 5`)
/// the program ends at once with success: nobody wants the rest. Any other failure to write
/// ends it with exit code 1 and says why, instead of a panic. Both end here rather than in
/// `main`, because output is written from inside walks (`paths`) that cannot be stopped early.
pub(crate) fn write_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        report(&CliError::Output(e));
        std::process::exit(i32::from(error::INPUT_WRONG));
    }
}
