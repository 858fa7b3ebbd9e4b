//! Reading with a bound: every file Signpost reads (trees, shared data, letters, saved answers,
//! answer and scenario files) and every line typed in plain mode is read through here, so
//! nothing from outside can make it read without end. A pipe or a device such as /dev/zero has
//! no size to check beforehand, so the bound is on the reading itself (`take(limit + 1)`), and
//! one byte over the limit is enough to refuse. Each refusal says what was too big and the
//! limit, in words a person can act on (docs/limits.md lists them).

use std::io::{BufRead, Read};
use std::path::Path;

use crate::core::limits::{MAX_FILE_BYTES, MAX_LINE_BYTES};

/// The bytes of the file at `path`, or why they cannot be read: it cannot be opened or read, or
/// it is larger than the file size limit (a regular file by its size, before reading; a pipe
/// or a device by reading one byte more than the limit).
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    read_file_within(path, MAX_FILE_BYTES)
}

/// The text of the file at `path`: as `read_file`, and it must be UTF-8.
pub fn read_text(path: &Path) -> Result<String, String> {
    String::from_utf8(read_file(path)?).map_err(|_| format!("{} is not UTF-8 text", path.display()))
}

/// `read_file` with a limit of `limit` bytes.
pub fn read_file_within(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(cannot)?;
    let too_big = |size: Option<u64>| {
        let size = size.map_or_else(String::new, |n| format!(" ({n} bytes)"));
        format!(
            "{} is too big to read{size}: the most Signpost reads from one file is {limit} bytes \
             (docs/limits.md)",
            path.display()
        )
    };
    // A regular file says its size: refuse it before reading a byte.
    if let Ok(meta) = file.metadata() {
        if meta.is_file() && meta.len() > limit {
            return Err(too_big(Some(meta.len())));
        }
        if meta.is_dir() {
            return Err(format!("cannot read {}: it is a folder", path.display()));
        }
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(too_big(None));
    }
    Ok(bytes)
}

/// Reads one line from `input`, without its line break; `None` when the input has ended. At
/// most `MAX_LINE_BYTES` (and the line break) are read: a longer line is refused with a message,
/// so the memory used is bounded however long the line is.
pub fn read_line(input: &mut dyn BufRead) -> Result<Option<String>, String> {
    read_line_within(input, MAX_LINE_BYTES)
}

/// `read_line` with a limit of `limit` bytes.
pub fn read_line_within(input: &mut dyn BufRead, limit: usize) -> Result<Option<String>, String> {
    // Room for the line, a "\r\n", and one byte more to tell a line that is too long.
    let mut bytes = Vec::new();
    let n = input
        .take(limit as u64 + 3)
        .read_until(b'\n', &mut bytes)
        .map_err(|e| format!("cannot read the input: {e}"))?;
    if n == 0 {
        return Ok(None);
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    if bytes.len() > limit {
        return Err(format!(
            "a line of input was too long: the most Signpost reads in one line is {limit} bytes \
             (docs/limits.md)"
        ));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "a line of input is not UTF-8 text".to_string())
}
