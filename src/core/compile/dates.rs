//! Dates in trees and shared files: `checked` and `reviewed` dates, the examples of date
//! questions, and conditions that read a date a person may not know.

use super::reporter::Diagnostics;
use super::SourceFile;
use crate::core::calendar::{self, Calendar, CalendarError, ExampleError};
use crate::core::diagnostics::Diagnostic;

pub(super) fn check_date(diags: &mut Diagnostics, file: &SourceFile, pointer: &str, value: &str) {
    if calendar::parse_iso(value).is_none() {
        diags.push(
            file,
            Diagnostic::error(
                "E018",
                &file.path,
                pointer,
                format!("`{value}` is not a real date"),
            )
            .with_help("write dates as YYYY-MM-DD, e.g. 2026-11-20"),
        );
    }
}

/// Every example of a date question resolves to a date (E019). An example beyond the years the
/// bank-holiday calendar covers is not the tree's fault, so it is not reported.
pub(super) fn check_date_examples(
    diags: &mut Diagnostics,
    file: &SourceFile,
    pointer: &str,
    examples: &[String],
    calendar: &Calendar,
) {
    for (k, ex) in examples.iter().enumerate() {
        match calendar::resolve_example(ex, jiff::civil::date(2026, 1, 15), calendar) {
            Ok(_) | Err(ExampleError::Calendar(CalendarError::OutOfRange { .. })) => {}
            Err(e) => diags.push(
                file,
                Diagnostic::error(
                    "E019",
                    &file.path,
                    format!("{pointer}/examples/{k}"),
                    e.to_string(),
                )
                .with_help("use YYYY-MM-DD, or an offset from today like -15wd, +10d, -3m"),
            ),
        }
    }
}
