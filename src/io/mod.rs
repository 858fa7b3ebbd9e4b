//! The only modules that touch the disk: loading tree folders and saving progress.
pub mod bounded;
pub mod files;
pub mod save;
pub mod watch;
