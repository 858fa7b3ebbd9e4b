//! What a tree id, node id or fact name may be.

use crate::core::expr;

pub(super) fn is_node_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub(super) fn is_tree_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

pub(super) fn is_fact_name(s: &str) -> bool {
    is_node_id(s)
        && !s.as_bytes()[0].is_ascii_digit()
        && s != expr::TODAY
        && !expr::FUNCTIONS.contains(&s)
        && !matches!(
            s,
            "true" | "false" | "none" | "and" | "or" | "not" | "in" | "is" | "if" | "else"
        )
}
