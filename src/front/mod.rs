//! Front ends. `cli` parses arguments and hands over to one of them; `plain`, `tui` and `web`
//! never import each other (tests/architecture.rs fails if they do).
#[cfg(feature = "cli")]
pub mod cli;
pub mod plain;
#[cfg(feature = "tui")]
pub mod tui;
#[cfg(feature = "web")]
pub mod web;
