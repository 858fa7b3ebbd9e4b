//! Signpost: guided-advice decision trees. An adviser writes a tree as JSON; Signpost proves it
//! sound, walks a person through it, and ends with a tailored summary of next steps.
//!
//! The source folders follow the data flow (docs/architecture.md has the map):
//! - `core`: the format, the compiler, the session, the page a front end shows, the summary and
//!   its renderings. No I/O, no clock, no terminal; it imports nothing from the other folders.
//! - `author`: lints, reports, scenarios, scaffolding, pictures, explanations (core only).
//! - `io`: the only code that reads or writes files (core only).
//! - `front`: the argument parser and the front ends (plain lines, the terminal wizard, the web).
//!
//! The folders are private; the modules below are the library's public surface. Building with
//! `--no-default-features` leaves out the front ends and every terminal and CLI crate.
#![forbid(unsafe_code)]
// The helpers the `signpost` command prints with (path reports, the starter tree, replacing a
// tree in place) have no caller without it; they are not dead, only idle.
#![cfg_attr(not(feature = "cli"), allow(dead_code, unused_imports))]

mod author;
mod core;
mod front;
mod io;

// The engine: what a tree is, how it is proved sound, walked and summarised.
pub use crate::core::{
    audience, calendar, changes, compile, diagnostics, expr, format, glossary, limits, pack, page,
    paths, questions, render, session, summary,
};
// Authoring tools.
pub use crate::author::{check, explain, generate, graph, lint, report, scaffold, scenario};
// Files on disk.
pub use crate::io::{bounded, files, save};
// Front ends.
#[cfg(feature = "cli")]
pub use crate::front::cli;
pub use crate::front::plain;
#[cfg(feature = "tui")]
pub use crate::front::tui;
#[cfg(feature = "web")]
pub use crate::front::web;
