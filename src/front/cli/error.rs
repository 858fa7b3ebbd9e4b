//! What a command ends with: an `Outcome`, or a `CliError` that `cli::main` prints (the one
//! place errors are printed) and turns into the exit code.

use std::fmt;
use std::process::ExitCode;

use crate::core::diagnostics::Diagnostic;

/// Exit code 1: the input is wrong.
pub(crate) const INPUT_WRONG: u8 = 1;
/// Exit code 2: the arguments are wrong (clap uses it for its own usage errors too).
pub(crate) const USAGE: u8 = 2;

/// How a command that did not fail ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// It did what was asked: exit 0.
    Done,
    /// It reported the problems it found in its own output (`check` found errors, a scenario
    /// failed, `fmt --check` would change a file): exit 1 with nothing more to say.
    Failed,
    /// A front end ran and chose its exit code itself (the wizard stopped by a signal, the
    /// server unable to listen).
    Ended(ExitCode),
}

impl Outcome {
    pub(crate) fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::Failed => ExitCode::from(INPUT_WRONG),
            Outcome::Ended(code) => code,
        }
    }
}

/// Why a command could not do what was asked.
#[derive(Debug)]
pub(crate) enum CliError {
    /// The arguments do not go together: exit 2.
    Usage(String),
    /// The input is wrong (a file, an answer, a name): exit 1.
    Input(String),
    /// The trees did not compile: their diagnostics, exit 1.
    Trees(Vec<Diagnostic>),
    /// Standard output could not be written (other than its reader going away): exit 1.
    Output(std::io::Error),
}

impl CliError {
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::from(USAGE),
            CliError::Input(_) | CliError::Trees(_) | CliError::Output(_) => {
                ExitCode::from(INPUT_WRONG)
            }
        }
    }
}

impl From<String> for CliError {
    fn from(message: String) -> CliError {
        CliError::Input(message)
    }
}

/// The text after `signpost: ` on standard error, ending with a line break.
impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Input(m) => writeln!(f, "{m}"),
            CliError::Trees(diagnostics) => write!(
                f,
                "the trees have problems, so they cannot be used yet:\n\n{}",
                crate::author::report::human(diagnostics)
            ),
            CliError::Output(e) => writeln!(f, "cannot write the output: {e}"),
        }
    }
}
