//! Limits Signpost enforces on what it reads (docs/limits.md explains each).

/// Largest tree or data file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Most paths `paths` walks before it stops and says so.
pub const MAX_WALKED_PATHS: usize = 5_000;
