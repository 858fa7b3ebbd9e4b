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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_ending_has_its_exit_code() {
        assert_eq!(Outcome::Done.exit_code(), ExitCode::SUCCESS);
        assert_eq!(Outcome::Failed.exit_code(), ExitCode::from(1));
        assert_eq!(
            Outcome::Ended(ExitCode::from(130)).exit_code(),
            ExitCode::from(130)
        );
        assert_eq!(CliError::Usage("u".into()).exit_code(), ExitCode::from(2));
        assert_eq!(
            CliError::from("x".to_string()).exit_code(),
            ExitCode::from(1)
        );
        assert_eq!(CliError::Trees(Vec::new()).exit_code(), ExitCode::from(1));
    }

    #[test]
    fn each_error_reads_as_one_message_ending_in_a_line_break() {
        assert_eq!(
            CliError::Input("no tree `x`".into()).to_string(),
            "no tree `x`\n"
        );
        assert!(CliError::Trees(Vec::new())
            .to_string()
            .starts_with("the trees have problems, so they cannot be used yet:\n\n"));
        let e = CliError::Output(std::io::Error::other("disk full"));
        assert_eq!(e.to_string(), "cannot write the output: disk full\n");
    }
}
