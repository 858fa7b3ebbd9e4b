//! Every integration test that uses the standard harness, in one binary: one link instead of one
//! per file, which is most of a cold build of the tests (issue 20 part 5). Each file under tests/
//! is a module here and keeps its own name (`cargo test --test suite session::` runs one file).
//! The browser and tmux tests keep their own harnesses (browser.rs, tui_tmux.rs), which report
//! themselves as ignored where they cannot run.

mod architecture;
mod audience;
mod authoring;
mod cli;
mod common;
mod content;
mod diagnostics;
mod explain;
mod folders;
mod inert;
mod limits;
mod packs;
mod paths;
mod plain;
mod properties;
mod questions;
mod reference;
mod safety;
mod scenarios;
mod session;
mod summary_shape;
mod tui;
mod web;
