//! Signpost: guided-advice decision trees. An adviser writes a tree as JSON; Signpost proves it
//! sound, walks a person through it, and ends with a tailored summary of next steps.
//!
//! The core (`format`, `compile`, `expr`, `calendar`, `session`, `summary`, `paths`, `render`,
//! `graph`, `diagnostics`, `explain`) does no I/O, reads no clock and knows no terminal. `files` and
//! `save` touch the disk; `cli`, `plain` and `tui` are the front ends. See docs/architecture.md.
#![forbid(unsafe_code)]

pub mod calendar;
pub mod compile;
pub mod diagnostics;
pub mod explain;
pub mod expr;
pub mod format;
pub mod generate;
pub mod graph;
pub mod limits;
pub mod lint;
pub mod paths;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod scenario;
pub mod session;
pub mod summary;

pub mod files;
pub mod save;

pub mod cli;
pub mod plain;
pub mod tui;
