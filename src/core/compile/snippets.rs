//! Reusable text: `{{ snippet.NAME }}` in a text of a tree is replaced by the tree's snippet of
//! that name before any other check, so the text is checked (facts it reads, its length, control
//! characters) and shown exactly as a person reads it. A pack's manifest may hold snippets too,
//! for every tree of the pack and of the packs that extend it: a tree's own snippet of a name wins
//! over its pack's, and a nearer pack's over the one it extends. A name neither has is E036.
//! A letter is shared by the trees whose advice attaches it, so its snippets are put in for
//! each of them: checked with each tree's advice (`advice`), filled in by `summary`.

use super::names::is_node_id;
use super::reporter::{Diagnostics, Near};
use super::{Inputs, SourceFile};
use crate::core::diagnostics::{escape_segment, nearest, Diagnostic};
use std::collections::BTreeMap;

use crate::core::format::{Node, TreeFile};

const OPEN: &str = "{{";
const CLOSE: &str = "}}";
const PREFIX: &str = "snippet.";

/// Each `{{ snippet.NAME }}` in `text`: (start byte, end byte, name).
fn uses(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(OPEN).map(|i| i + from) {
        from = at + OPEN.len();
        let inner = text[from..].trim_start_matches('-').trim_start();
        let Some(rest) = inner.strip_prefix(PREFIX) else {
            continue;
        };
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let after = rest[name_len..].trim_start().trim_start_matches('-');
        if name_len == 0 || !after.starts_with(CLOSE) {
            continue;
        }
        let end = text.len() - after.len() + CLOSE.len();
        out.push((at, end, &rest[..name_len]));
        from = end;
    }
    out
}

/// `text` with each snippet it names put in its place, and the uses of names `snippets` does
/// not have (start byte, end byte, name), which are left as written.
pub(crate) fn put_in<'t>(
    text: &'t str,
    snippets: &BTreeMap<String, String>,
) -> (String, Vec<(usize, usize, &'t str)>) {
    let mut out = String::with_capacity(text.len());
    let mut unknown = Vec::new();
    let mut last = 0;
    for (start, end, name) in uses(text) {
        out.push_str(&text[last..start]);
        match snippets.get(name) {
            Some(s) => out.push_str(s),
            None => {
                out.push_str(&text[start..end]);
                unknown.push((start, end, name));
            }
        }
        last = end;
    }
    out.push_str(&text[last..]);
    (out, unknown)
}

/// E036 for a name neither the tree nor its pack has, with the closest name or the names there
/// are (`snippets` is both, the tree's over the pack's).
pub(super) fn unknown_snippet(
    file: &str,
    pointer: String,
    name: &str,
    snippets: &BTreeMap<String, String>,
) -> Diagnostic {
    let help = match nearest(name, snippets.keys().map(String::as_str)) {
        Some(n) => format!("did you mean `{n}`?"),
        None if snippets.is_empty() => {
            "neither this tree nor its pack has `snippets`; add one to the tree (or to pack.json): \"snippets\": {\"NAME\": \"the text\"}"
                .to_string()
        }
        None => format!(
            "the snippets of this tree and its pack are: {}",
            snippets
                .keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(
        "E036",
        file,
        pointer,
        format!("there is no snippet called `{name}` in this tree or its pack"),
    )
    .with_help(help)
}

/// The snippets of the pack and the packs it extends, the nearest pack's winning; each pack's
/// names checked (E010) at its own pack.json. A manifest that does not read is reported by
/// `manifest`, and one further down the chain when that pack is checked itself.
pub(super) fn of_pack(diags: &mut Diagnostics, inputs: &Inputs) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let packs = inputs.under.iter().filter_map(|l| l.pack.as_ref());
    for file in packs.chain(inputs.pack.iter()) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&file.text) else {
            continue;
        };
        let Some(list) = value.get("snippets").and_then(|s| s.as_object()) else {
            continue;
        };
        let own: BTreeMap<String, String> = list
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        check_names(diags, file, &own);
        out.extend(own);
    }
    out
}

/// A tree's own snippets laid over its pack's: every name its texts and letters may use.
pub(super) fn with_pack(
    own: &BTreeMap<String, String>,
    pack: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut all = pack.clone();
    all.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// Each name is a snippet name (E010), and no snippet includes another (E036).
fn check_names(diags: &mut Diagnostics, file: &SourceFile, snippets: &BTreeMap<String, String>) {
    for (name, text) in snippets {
        let p = format!("/snippets/{}", escape_segment(name));
        if !is_node_id(name) {
            diags.push(
                file,
                Diagnostic::error(
                    "E010",
                    &file.path,
                    p.clone(),
                    format!("`{name}` cannot be a snippet name"),
                )
                .with_help("snippet names are lower case letters, digits and `_`"),
            );
        }
        if !uses(text).is_empty() {
            diags.push(
                file,
                Diagnostic::error(
                    "E036",
                    &file.path,
                    p,
                    format!("snippet `{name}` includes another snippet"),
                )
                .with_help(
                    "a snippet is plain text with facts; write the words it would include into it",
                ),
            );
        }
    }
}

/// Every text of a node a person reads, with the pointer suffix it is at.
fn node_texts(node: &mut Node) -> Vec<(String, &mut String)> {
    let mut out: Vec<(String, &mut String)> = Vec::new();
    macro_rules! question {
        ($n:expr) => {{
            out.push(("question".into(), &mut $n.question));
            if let Some(h) = $n.help.as_mut() {
                out.push(("help".into(), h));
            }
        }};
    }
    match node {
        Node::Choice(n) => {
            question!(n);
            for (k, o) in n.options.iter_mut().enumerate() {
                out.push((format!("options/{k}/label"), &mut o.label));
            }
        }
        Node::Multi(n) => {
            question!(n);
            for (k, o) in n.options.iter_mut().enumerate() {
                out.push((format!("options/{k}/label"), &mut o.label));
            }
        }
        Node::Date(n) => question!(n),
        Node::Number(n) => question!(n),
        Node::Text(n) => question!(n),
        Node::Info(n) => {
            out.push(("title".into(), &mut n.title));
            out.push(("body".into(), &mut n.body));
        }
        _ => {}
    }
    out
}

/// The tree with every snippet put in its place, its own or its pack's (`pack`); an unknown name
/// (E036) is left as written.
pub(super) fn expand(
    diags: &mut Diagnostics,
    file: &SourceFile,
    mut tree: TreeFile,
    pack: &BTreeMap<String, String>,
) -> TreeFile {
    check_names(diags, file, &tree.snippets);
    let snippets = with_pack(&tree.snippets, pack);
    let mut put = |pointer: &dyn Fn() -> String, text: &mut String| {
        if uses(text).is_empty() {
            return;
        }
        let (out, unknown) = put_in(text, &snippets);
        for (start, end, name) in unknown {
            let d = unknown_snippet(&file.path, pointer(), name, &snippets);
            diags.push_near(file, d, Near::At(start, &text[start..end]));
        }
        *text = out;
    };
    for (i, node) in tree.nodes.iter_mut().enumerate() {
        for (suffix, text) in node_texts(node) {
            put(&|| format!("/nodes/{i}/{suffix}"), text);
        }
    }
    for (id, a) in tree.advice.iter_mut() {
        let p = format!("/advice/{}", escape_segment(id));
        put(&|| format!("{p}/title"), &mut a.title);
        put(&|| format!("{p}/body"), &mut a.body);
    }
    tree
}

#[cfg(test)]
mod tests {
    use super::uses;

    #[test]
    fn finds_each_use_with_or_without_spaces() {
        let t = "A {{ snippet.caveat }} and {{snippet.other}}, {{- snippet.x -}} but not {{ snippet }} or {{ snippet.y | upper }}.";
        let names: Vec<&str> = uses(t).into_iter().map(|(_, _, n)| n).collect();
        assert_eq!(names, ["caveat", "other", "x"]);
        let (s, e, _) = uses(t)[0];
        assert_eq!(&t[s..e], "{{ snippet.caveat }}");
    }
}
