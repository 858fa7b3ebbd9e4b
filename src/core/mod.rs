//! The core: the tree format, the compiler that proves a tree sound, the session that walks it,
//! the page a front end shows, and the summary at the end. Nothing here does I/O, reads a clock,
//! or imports `io`, `author` or `front` (tests/architecture.rs fails if it does).
pub mod audience;
pub mod calendar;
pub mod changes;
pub mod compile;
pub mod diagnostics;
pub mod expr;
pub mod format;
pub mod glossary;
pub mod hidden;
pub mod limits;
pub mod pack;
pub mod page;
pub mod paths;
pub mod questions;
pub mod render;
pub mod session;
pub mod summary;
