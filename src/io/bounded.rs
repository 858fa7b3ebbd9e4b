//! Reading with a bound: every file Signpost reads (trees, shared data, letters, saved answers,
//! answer and scenario files) and every line typed in plain mode is read through here, so
//! nothing from outside can make it read without end. A pipe or a device such as /dev/zero has
//! no size to check beforehand, so the bound is on the reading itself (`take(limit + 1)`), and
//! one byte over the limit is enough to refuse. Each refusal says what was too big and the
//! limit, in words a person can act on (docs/limits.md lists them).

use std::fmt;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use crate::core::limits::{MAX_FILE_BYTES, MAX_LINE_BYTES};

/// Why a file could not be read. `Display` gives the message a person sees.
#[derive(Debug)]
pub enum ReadError {
    /// It could not be opened or read (it is not there, it may not be read, ...).
    Cannot {
        path: PathBuf,
        error: std::io::Error,
    },
    /// It is a folder.
    Folder(PathBuf),
    /// It holds more than `limit` bytes; `size` when the file said its size beforehand.
    TooBig {
        path: PathBuf,
        size: Option<u64>,
        limit: u64,
    },
    /// It is not UTF-8 text.
    NotUtf8(PathBuf),
}

impl ReadError {
    /// True when there is no file at the path.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Cannot { error, .. } if error.kind() == std::io::ErrorKind::NotFound)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Cannot { path, error } => {
                write!(f, "cannot read {}: {error}", path.display())
            }
            ReadError::Folder(path) => write!(f, "cannot read {}: it is a folder", path.display()),
            ReadError::TooBig { path, size, limit } => {
                let size = size.map_or_else(String::new, |n| format!(" ({n} bytes)"));
                write!(
                    f,
                    "{} is too big to read{size}: the most Signpost reads from one file is {limit} \
                     bytes (docs/limits.md)",
                    path.display()
                )
            }
            ReadError::NotUtf8(path) => write!(f, "{} is not UTF-8 text", path.display()),
        }
    }
}

impl From<ReadError> for String {
    fn from(e: ReadError) -> String {
        e.to_string()
    }
}

/// Why a typed line could not be read. `Display` gives the message a person sees.
#[derive(Debug)]
pub enum LineError {
    /// The input could not be read.
    Cannot(std::io::Error),
    /// The line holds more than `limit` bytes.
    TooLong { limit: usize },
    /// It is not UTF-8 text.
    NotUtf8,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::Cannot(e) => write!(f, "cannot read the input: {e}"),
            LineError::TooLong { limit } => write!(
                f,
                "a line of input was too long: the most Signpost reads in one line is {limit} \
                 bytes (docs/limits.md)"
            ),
            LineError::NotUtf8 => write!(f, "a line of input is not UTF-8 text"),
        }
    }
}

impl From<LineError> for String {
    fn from(e: LineError) -> String {
        e.to_string()
    }
}

/// The bytes of the file at `path`, or why they cannot be read: it cannot be opened or read, or
/// it is larger than the file size limit (a regular file by its size, before reading; a pipe
/// or a device by reading one byte more than the limit).
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_file_within(path, MAX_FILE_BYTES)
}

/// The text of the file at `path`: as `read_file`, and it must be UTF-8.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    String::from_utf8(read_file(path)?).map_err(|_| ReadError::NotUtf8(path.to_path_buf()))
}

/// `read_file` with a limit of `limit` bytes.
pub fn read_file_within(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let cannot = |error: std::io::Error| ReadError::Cannot {
        path: path.to_path_buf(),
        error,
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let too_big = |size: Option<u64>| ReadError::TooBig {
        path: path.to_path_buf(),
        size,
        limit,
    };
    // A regular file says its size: refuse it before reading a byte.
    if let Ok(meta) = file.metadata() {
        if meta.is_file() && meta.len() > limit {
            return Err(too_big(Some(meta.len())));
        }
        if meta.is_dir() {
            return Err(ReadError::Folder(path.to_path_buf()));
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
pub fn read_line(input: &mut dyn BufRead) -> Result<Option<String>, LineError> {
    read_line_within(input, MAX_LINE_BYTES)
}

/// `read_line` with a limit of `limit` bytes.
pub fn read_line_within(
    input: &mut dyn BufRead,
    limit: usize,
) -> Result<Option<String>, LineError> {
    // Room for the line, a "\r\n", and one byte more to tell a line that is too long.
    let mut bytes = Vec::new();
    let n = input
        .take(limit as u64 + 3)
        .read_until(b'\n', &mut bytes)
        .map_err(LineError::Cannot)?;
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
        return Err(LineError::TooLong { limit });
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| LineError::NotUtf8)
}
