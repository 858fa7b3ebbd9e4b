//! Limits Signpost enforces on what it reads (docs/limits.md explains each). Each one that is
//! exceeded is reported as E024, naming the limit.

/// Largest tree or data file read, in bytes.
pub(crate) const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Longest line read in plain mode, in bytes (a text answer is far shorter; this only stops
/// one endless line from using all the memory).
pub(crate) const MAX_LINE_BYTES: usize = 100_000;

/// Most answers a saved-answers file may hold (the longest walk through the shipped trees asks
/// well under a thousand questions); a file with more is refused, not read answer by answer.
pub(crate) const MAX_SAVED_ANSWERS: usize = 10_000;

/// Most removed answers named one by one after carrying on from a saved file; the rest are
/// counted in one line.
pub const MAX_DROPPED_SHOWN: usize = 10;

/// Longest text answer when a question sets no `max_length`.
pub(crate) const DEFAULT_TEXT_MAX: usize = 200;

/// Most nodes in one tree.
pub(crate) const MAX_NODES: usize = 2_000_000;

/// Deepest nesting of JSON arrays and objects (a tree needs about 6).
pub(crate) const MAX_DEPTH: usize = 64;

/// Longest text (question, help, page, advice, letter), in characters.
pub(crate) const MAX_TEXT_CHARS: usize = 20_000;

/// Most nodes on one path from the start to an outcome.
pub(crate) const MAX_PATH_NODES: usize = 1_000_000;

/// Most paths `paths` walks before it stops and says so.
pub const MAX_WALKED_PATHS: usize = 5_000;

/// How deeply JSON text nests, counted without parsing (so no recursion).
pub(crate) fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Most packs a chain of `extends` may go through (a extends b extends c ...): deeper is far
/// more likely a mistake than a design, and each layer is read on every load.
pub const MAX_EXTENDS: usize = 8;
