//! Characters no text may carry to a person: one definition for the compiler (which refuses
//! them in trees, E027) and for every front end and renderer (which drop them from what they
//! show, `render::inert`).

/// Invisible characters that change how text around them is shown: the bidirectional
/// embeddings, overrides, isolates and marks (a right-to-left override makes "gpj.exe" read as
/// "exe.jpg"), zero-width spaces and joiners, the word joiner and a byte order mark inside text.
/// Trees may not hold them (E027); every front end drops them from what it shows.
pub fn is_hidden_format(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061c}'
            | '\u{feff}'
    )
}
