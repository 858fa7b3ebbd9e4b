//! The commands that write files: `new` (a starter tree), `copy` (a built-in tree to adapt) and
//! `fmt` (trees in their canonical layout).

use std::path::{Path, PathBuf};

use crate::author::scaffold;
use crate::front::cli::commands::inspect::{pack_schema_json, schema_json};
use crate::front::cli::error::{CliError, Outcome};
use crate::front::cli::resolve::{scenario_files, system_today};
use crate::io::{files, save};

/// Writes a file for the author's editor unless one is there already.
fn write_if_absent(path: &Path, text: &str) -> Result<(), save::SaveError> {
    if path.exists() {
        return Ok(());
    }
    save::write_new(path, text)
}

/// `signpost new NAME`: a starter tree, with the schemas and a pack.json beside it.
pub(super) fn new_cmd(name: &str) -> Result<Outcome, CliError> {
    let id = name.trim_end_matches(".json");
    let valid = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !valid {
        return Err(CliError::Input(format!(
            "`{id}` cannot be a tree id: use lower case letters, digits, `_` or `-`"
        )));
    }
    let file = PathBuf::from(format!("{id}.json"));
    if file.exists() {
        return Err(CliError::Input(format!(
            "{} already exists; nothing was written",
            file.display()
        )));
    }
    let made =
        write_if_absent(Path::new("tree.schema.json"), &(schema_json() + "\n")).and_then(|()| {
            save::write_new(
                &file,
                &scaffold::new_tree(id, system_today(), "tree.schema.json"),
            )
        });
    if let Err(e) = made {
        return Err(CliError::Input(e.to_string()));
    }
    // A folder's pack.json gives the words around the trees; a new folder gets a neutral one.
    let pack = Path::new(files::PACK_FILE);
    let new_pack = !pack.exists();
    let made = write_if_absent(Path::new("pack.schema.json"), &(pack_schema_json() + "\n"))
        .and_then(|()| write_if_absent(pack, &scaffold::new_pack(id, "pack.schema.json")));
    if let Err(e) = made {
        return Err(CliError::Input(e.to_string()));
    }
    sayln!(
        "Wrote {}{}. Next: edit it, then run `signpost check {}`.",
        file.display(),
        if new_pack {
            " and pack.json (the service's name and wording)"
        } else {
            ""
        },
        file.display()
    );
    Ok(Outcome::Done)
}

/// `signpost copy ID [FOLDER]`: a built-in tree to adapt, extending the built-in pack.
pub(super) fn copy_cmd(id: &str, folder: Option<&Path>) -> Result<Outcome, CliError> {
    let Some(tree) = files::builtin_tree(id) else {
        let ids = files::builtin_tree_ids();
        let mut message = format!(
            "there is no built-in tree `{id}` (the built-in trees are: {})",
            ids.join(", ")
        );
        if let Some(n) = crate::core::diagnostics::nearest(id, ids.iter().map(String::as_str)) {
            message.push_str(&format!("; did you mean `{n}`?"));
        }
        return Err(CliError::Input(message));
    };
    let dir = folder.unwrap_or(Path::new("."));
    if let Err(e) = std::fs::create_dir_all(dir) {
        return Err(CliError::Input(format!(
            "cannot make the folder {}: {e}",
            dir.display()
        )));
    }
    let file = dir.join(format!("{id}.json"));
    if file.exists() {
        return Err(CliError::Input(format!(
            "{} already exists; nothing was written",
            file.display()
        )));
    }
    // The copy points its editor at a schema beside it, as `signpost new` does.
    let schema = dir.join("tree.schema.json");
    if !schema.exists() {
        if let Err(e) = save::write_new(&schema, &(schema_json() + "\n")) {
            return Err(CliError::Input(e.to_string()));
        }
    }
    let text = tree.text.replacen(
        "\"$schema\": \"../docs/tree.schema.json\"",
        "\"$schema\": \"tree.schema.json\"",
        1,
    );
    if let Err(e) = save::write_new(&file, &text) {
        return Err(CliError::Input(e.to_string()));
    }
    // The copy reuses the built-in contacts, glossary and letters only through `extends`.
    let pack = dir.join(files::PACK_FILE);
    let made = write_if_absent(&dir.join("pack.schema.json"), &(pack_schema_json() + "\n"))
        .and_then(|()| {
            write_if_absent(
                &pack,
                &files::extending_manifest("my-signpost-family-rights"),
            )
        });
    if let Err(e) = made {
        return Err(CliError::Input(e.to_string()));
    }
    sayln!(
        "Wrote {}. Its pack.json extends the built-in pack, so it uses the built-in contacts, \
         glossary and letters; put your own beside it only for what you add or change. Next: edit \
         it, then run `signpost check {}`.",
        file.display(),
        file.display()
    );
    Ok(Outcome::Done)
}

/// `signpost fmt`: rewrites trees in their canonical layout (or, with `--check`, says which would change).
pub(super) fn fmt_cmd(paths_in: &[PathBuf], check_only: bool) -> Result<Outcome, CliError> {
    let mut files = Vec::new();
    for p in paths_in {
        match scenario_files(p) {
            // A folder's JSON Schema (`signpost new` writes one) is not a tree or data file.
            Ok(f) if p.is_dir() => files.extend(f.into_iter().filter(|f| {
                !f.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with(".schema.json"))
            })),
            Ok(f) => files.extend(f),
            Err(e) => return Err(CliError::Input(e)),
        }
    }
    if files.is_empty() {
        return Err(CliError::Input(
            "name the tree files or folders to format".to_string(),
        ));
    }
    let mut changed = 0;
    let mut broken = 0;
    for f in &files {
        let text = match crate::io::bounded::read_text(f) {
            Ok(text) => text,
            Err(e) => {
                crate::front::cli::tell(&e.to_string());
                broken += 1;
                continue;
            }
        };
        match crate::author::scaffold::format_file(&f.to_string_lossy(), &text) {
            Ok(formatted) if formatted == text => {}
            Ok(formatted) => {
                changed += 1;
                if check_only {
                    sayln!("would reformat {}", f.display());
                } else if let Err(e) = save::write_replacing(f, &formatted) {
                    crate::front::cli::tell(&e.to_string());
                    broken += 1;
                } else {
                    sayln!("formatted {}", f.display());
                }
            }
            Err(e) => {
                crate::front::cli::tell(&format!("{}: {e}", f.display()));
                broken += 1;
            }
        }
    }
    if broken > 0 || (check_only && changed > 0) {
        Ok(Outcome::Failed)
    } else {
        Ok(Outcome::Done)
    }
}
