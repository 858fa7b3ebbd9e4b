//! The commands that show a tree or its data: `paths` (and `--coverage`), `graph`, `explain`,
//! `contacts`, `questions` and `schema`.

use std::path::Path;

use jiff::civil::Date;

use crate::author::graph;
use crate::core::paths;
use crate::front::cli::args::{GraphFormat, PathsFormat};
use crate::front::cli::error::{CliError, Outcome};
use crate::front::cli::resolve::{load_whole, load_with_root};

/// `signpost explain`: what a diagnostic code means, or where a name is set and used.
pub(super) fn explain_cmd(id: &str, path: Option<&Path>) -> Result<Outcome, CliError> {
    let text = if crate::author::explain::is_code(id) {
        crate::author::explain::code_page(id)?
    } else {
        let lib = load_whole(path)?;
        crate::author::explain::explain(&lib, id)?
    };
    say!("{text}");
    Ok(Outcome::Done)
}

/// `signpost contacts`: the contacts a folder's trees use.
pub(super) fn contacts_cmd(path: Option<&Path>) -> Result<Outcome, CliError> {
    let lib = load_whole(path)?;
    say!("{}", crate::author::explain::contacts(&lib));
    Ok(Outcome::Done)
}

/// `signpost questions`: the catalogue, or the questions closest to some words.
pub(super) fn questions_cmd(
    path: Option<&Path>,
    text: Option<&str>,
    format: PathsFormat,
) -> Result<Outcome, CliError> {
    let lib = load_whole(path)?;
    let catalogue = lib.questions();
    if catalogue.entries().is_empty() {
        return Err(CliError::Input(
            "these trees have no question catalogue (a `multi` question with `rank_by`; \
             docs/authoring.md, \"The person's own question\")"
                .to_string(),
        ));
    }
    // Three decimals: enough to order by, and the same on every machine.
    let rounded = |s: f32| (f64::from(s) * 1000.0).round() / 1000.0;
    match (text, format) {
        (Some(t), PathsFormat::Json) => {
            let rows: Vec<serde_json::Value> = catalogue
                .rank(t)
                .iter()
                .map(|m| serde_json::json!({"id": m.id, "question": m.question, "score": rounded(m.score)}))
                .collect();
            sayln!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        (Some(t), PathsFormat::Text) => {
            let ranked = catalogue.rank(t);
            if ranked.is_empty() {
                sayln!("No question shares a word with that (common words like \"can\" and \"my\" do not count).");
            }
            for m in ranked {
                sayln!("{:>7.3}  {}  {}", rounded(m.score), m.id, m.question);
            }
        }
        (None, PathsFormat::Json) => {
            let rows: Vec<serde_json::Value> = catalogue
                .entries()
                .iter()
                .map(|e| serde_json::json!({"id": e.id, "question": e.question, "phrasings": e.words.phrasings, "words": e.words.words}))
                .collect();
            sayln!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        (None, PathsFormat::Text) => {
            for e in catalogue.entries() {
                sayln!("{}  {}", e.id, e.question);
            }
            sayln!("{} questions.", catalogue.entries().len());
        }
    }
    Ok(Outcome::Done)
}

/// The JSON Schema of a tree file.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(crate::core::format::TreeFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// `signpost schema [--pack]`.
pub(super) fn schema_cmd(pack: bool) -> Result<Outcome, CliError> {
    let schema = if pack {
        pack_schema_json()
    } else {
        schema_json()
    };
    sayln!("{schema}");
    Ok(Outcome::Done)
}

/// The JSON Schema of a pack's manifest (pack.json).
pub fn pack_schema_json() -> String {
    let schema = schemars::schema_for!(crate::core::format::PackManifest);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// `signpost paths`: every path through a tree with its summary, or only how many there are.
pub(super) fn paths_cmd(
    path: &Path,
    today: Date,
    format: PathsFormat,
    count_only: bool,
) -> Result<Outcome, CliError> {
    let (lib, root) = load_with_root(Some(path))?;
    if count_only {
        let n = paths::count_paths(&lib, &root);
        let shown = if n == u128::MAX {
            format!("more than {}", u128::MAX)
        } else {
            n.to_string()
        };
        match format {
            PathsFormat::Json => sayln!(
                "{}",
                serde_json::json!({ "tree": root, "structural_paths": shown })
            ),
            PathsFormat::Text => sayln!("{root}: {shown} structural paths"),
        }
        return Ok(Outcome::Done);
    }
    let limit = crate::core::limits::MAX_WALKED_PATHS;
    let walked = match format {
        PathsFormat::Text => {
            let parts = paths::parts(&lib, &root);
            say!("{}", crate::author::report::paths_head(&root, &parts));
            let mut number = 0;
            let mut part: Option<String> = None;
            let walked = paths::walk(&lib, &root, today, limit, &mut |p| {
                number += 1;
                let this = p.part.clone().unwrap_or_else(|| root.clone());
                if parts.len() > 1 && part.as_ref() != Some(&this) {
                    say!("{}", crate::author::report::part_head(&root, &this, &parts));
                    part = Some(this);
                }
                say!("{}", crate::author::report::path_text(number, &p));
            });
            walked.inspect(|e| {
                say!(
                    "{}",
                    crate::author::report::paths_tail(e, paths::count_paths(&lib, &root))
                );
            })
        }
        PathsFormat::Json => paths_json(&lib, &root, today, limit),
    };
    walked?;
    Ok(Outcome::Done)
}

/// `paths --format json`: one JSON document, written a path at a time as each is found (the
/// totals come last, once they are known).
fn paths_json(
    lib: &crate::core::compile::Library,
    root: &str,
    today: Date,
    limit: usize,
) -> Result<paths::Listed, String> {
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    say!(
        "{{\n  \"tree\": {},\n  \"method\": {},\n  \"paths\": [",
        quoted(root),
        quoted(paths::METHOD)
    );
    let mut first = true;
    let listed = paths::walk(lib, root, today, limit, &mut |p| {
        let text = serde_json::to_string_pretty(&p).unwrap_or_default();
        let indented = text.replace('\n', "\n    ");
        say!("{}\n    {indented}", if first { "" } else { "," });
        first = false;
    })?;
    sayln!(
        "{}],\n  \"count\": {},\n  \"truncated\": {},\n  \"limit\": {},\n  \"walked\": {},\n  \"parts\": {},\n  \"unshown\": {}\n}}",
        if first { "" } else { "\n  " },
        listed.count,
        listed.truncated,
        listed.limit,
        listed.walked,
        serde_json::to_string(&listed.parts).unwrap_or_default(),
        serde_json::to_string(&listed.unshown).unwrap_or_default()
    );
    Ok(listed)
}

/// `signpost graph`: a tree as a picture.
pub(super) fn graph_cmd(
    path: &Path,
    format: GraphFormat,
    focus: Option<&str>,
) -> Result<Outcome, CliError> {
    let (lib, root) = load_with_root(Some(path))?;
    let Some(flow) = lib.flow(&root) else {
        return Err(CliError::Input(format!("no tree `{root}`")));
    };
    let keep = match focus {
        Some(node) => match graph::around(flow, node) {
            Some(k) => Some(k),
            None => {
                return Err(CliError::Input(format!(
                    "there is no node `{node}` in `{root}`"
                )))
            }
        },
        None => None,
    };
    match format {
        GraphFormat::Dot => say!("{}", graph::dot(flow, keep.as_deref())),
        GraphFormat::Mermaid => say!("{}", graph::mermaid(flow, keep.as_deref())),
    }
    Ok(Outcome::Done)
}

/// `signpost paths --coverage`: which nodes, options and arms the examples reach.
pub(super) fn coverage_cmd(path: &Path, today: Date) -> Result<Outcome, CliError> {
    let (lib, root) = load_with_root(Some(path))?;
    let e = paths::enumerate(&lib, &root, today, crate::core::limits::MAX_WALKED_PATHS)?;
    say!("{}", crate::author::report::coverage_text(&lib, &e));
    Ok(Outcome::Done)
}
