//! The terminal wizard. (Placeholder until the ratatui wizard lands: runs the plain mode.)

use std::path::Path;
use std::process::ExitCode;

use jiff::civil::Date;

use crate::compile::Library;

pub fn run(lib: &Library, root: &str, today: Date, resume: Option<&Path>) -> ExitCode {
    crate::plain::run(lib, root, today, resume)
}
