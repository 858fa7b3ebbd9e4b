//! The commands that check trees: `check` (diagnostics, from `author::check`) and `test`
//! (scenario files, from `author::scenario`).

use std::path::{Path, PathBuf};

use crate::author::check::Check;
use crate::author::lint::LintOptions;
use crate::front::cli::args::CheckFormat;
use crate::front::cli::error::{CliError, Outcome};
use crate::front::cli::resolve::{load_for_check, load_library, scenario_files, start_from_base};
use crate::io::files;

/// `signpost check`: loads each folder or file named (the built-in trees if none) and prints
/// what `author::check` found.
pub(super) fn check(
    paths_in: &[PathBuf],
    deny_warnings: bool,
    format: CheckFormat,
    mut opts: LintOptions,
) -> Result<Outcome, CliError> {
    opts.builtin_trees = files::builtin_tree_ids();
    let mut check = Check::new(opts);
    let targets: Vec<Option<&Path>> = if paths_in.is_empty() {
        vec![None]
    } else {
        paths_in.iter().map(|p| Some(p.as_path())).collect()
    };
    for target in targets {
        let (inputs, own) = load_for_check(target)?;
        check.add(&inputs, own.as_deref(), target.is_none_or(Path::is_dir));
    }
    let report = check.finish(deny_warnings);
    match format {
        CheckFormat::Json => say!("{}", report.json()),
        CheckFormat::Human => say!("{}", report.human()),
    }
    Ok(if report.errors() > 0 {
        Outcome::Failed
    } else {
        Outcome::Done
    })
}

/// `signpost test`: runs each scenario file and reports like a test runner.
pub(super) fn test_cmd(
    path: Option<&Path>,
    trees: Option<&Path>,
    summaries: Option<&Path>,
) -> Result<Outcome, CliError> {
    let dir = path.unwrap_or(Path::new("tests/scenarios"));
    let files = scenario_files(dir)?;
    let (lib, _) = load_library(trees)?;
    if let Some(out) = summaries {
        std::fs::create_dir_all(out).map_err(|e| {
            CliError::Input(format!("cannot make the folder {}: {e}", out.display()))
        })?;
    }
    let (mut passed, mut failed) = (0, 0);
    for f in &files {
        let name = f.display();
        let outcome = crate::io::bounded::read_text(f)
            .map_err(|e| vec![e.to_string()])
            .and_then(|t| {
                let mut sc = serde_json::from_str::<crate::author::scenario::Scenario>(&t)
                    .map_err(|e| vec![format!("not a scenario file: {e}")])?;
                start_from_base(f, &mut sc).map_err(|e| vec![e])?;
                Ok(sc)
            })
            .map(|sc| {
                let (mut problems, summary) =
                    crate::author::scenario::run_keeping_summary(&lib, &sc);
                if let (Some(out), Some(summary)) = (summaries, summary) {
                    let stem = f.file_stem().unwrap_or_default().to_string_lossy();
                    let file = out.join(format!("{stem}.txt"));
                    if let Err(e) = std::fs::write(&file, crate::render::text(&summary)) {
                        problems.push(format!("could not write {}: {e}", file.display()));
                    }
                }
                if trees.is_none() && lib.flow(&sc.tree).is_none() {
                    problems.push(format!(
                        "these are the built-in trees; to test your own, name them: `signpost test {} --trees FOLDER_OR_FILE`",
                        dir.display()
                    ));
                }
                problems
            });
        match outcome {
            Ok(problems) if problems.is_empty() => {
                passed += 1;
                sayln!("test {name} ... ok");
            }
            Ok(problems) | Err(problems) => {
                failed += 1;
                sayln!("test {name} ... FAILED");
                for p in problems {
                    sayln!("    {p}");
                }
            }
        }
    }
    sayln!("\n{passed} passed, {failed} failed");
    if files.is_empty() {
        Err(CliError::Input(format!(
            "no scenario files in {}",
            dir.display()
        )))
    } else if failed > 0 {
        Ok(Outcome::Failed)
    } else {
        Ok(Outcome::Done)
    }
}
