//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use signpost::compile::{compile, Library};
use signpost::files;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compiles a folder or tree file; panics with the diagnostics if it does not compile.
pub fn library(path: &Path) -> Library {
    let loaded = files::load(&root().join(path)).expect("fixture loads");
    let compiled = compile(&loaded.inputs);
    match compiled.library {
        Some(lib) => lib,
        None => panic!(
            "{} does not compile:\n{}",
            path.display(),
            signpost::report::human(&compiled.diagnostics)
        ),
    }
}

pub fn embedded() -> Library {
    let compiled = compile(&files::embedded());
    match compiled.library {
        Some(lib) => lib,
        None => panic!(
            "the built-in trees do not compile:\n{}",
            signpost::report::human(&compiled.diagnostics)
        ),
    }
}

/// The fixed day every snapshot is taken on (MC1704's second post: Friday 28 February 2025).
pub fn today() -> Date {
    jiff::civil::date(2025, 2, 28)
}

/// The entries of a fixtures folder (e.g. "tests/fixtures/lint"), by name, sorted.
pub fn fixture_dirs(folder: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<_> = std::fs::read_dir(root().join(folder))
        .expect("fixtures folder")
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .collect();
    out.sort();
    out
}

/// Trees whose every path the path tests walk: not modules (a module runs only inside the tree
/// that gives it its inputs) and not trees with more paths than a walk can cover (the triage).
/// Those are covered by scenarios instead (tests/scenarios, snapshot in tests/scenarios.rs).
pub fn walkable(lib: &Library, tree: &str) -> bool {
    lib.flow(tree).is_some_and(|f| f.tree().inputs.is_empty())
        // Walks that share a route and steps are merged, so a tree with many more structural
        // paths than the walk limit still walks in full (the path test fails if it does not).
        && signpost::paths::count_paths(lib, tree)
            <= signpost::limits::MAX_WALKED_PATHS as u128 * 16
}

/// Every scenario file, by file name, sorted.
pub fn scenarios() -> Vec<(String, signpost::scenario::Scenario)> {
    let dir = root().join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let name = f.file_stem().unwrap().to_string_lossy().to_string();
            (name, scenario_file(&f))
        })
        .collect()
}

/// One scenario file, laid over the base answers it starts from (`bases/` beside it).
pub fn scenario_file(f: &Path) -> signpost::scenario::Scenario {
    let text = std::fs::read_to_string(f).unwrap();
    let mut sc: signpost::scenario::Scenario =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    if let Some(base) = &sc.from {
        let dir = f.parent().unwrap().join("bases");
        let text = std::fs::read_to_string(dir.join(format!("{base}.json")))
            .unwrap_or_else(|e| panic!("{}: base {base}: {e}", f.display()));
        sc.start_from(Some(&text), &[])
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    sc
}

/// Walks a scenario's answers and returns its session (panics with the reason if it stops).
pub fn scenario_session<'l>(
    lib: &'l Library,
    sc: &signpost::scenario::Scenario,
) -> signpost::session::Session<'l> {
    let today = signpost::calendar::parse_iso(&sc.today).expect("scenario date");
    let answers: Vec<(String, String)> = sc
        .answers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    signpost::scenario::walk(lib, &sc.tree, today, &answers)
        .unwrap_or_else(|e| panic!("{}: {e}", sc.description))
}

/// Runs the built binary in the repository root: (exit code, stdout, stderr).
pub fn signpost(args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("signpost runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// What every step a person reads must keep, on every walk and every scenario: what the top part
/// shows of it (its lead: the first paragraph, cut at a sentence when longer) is short, and it
/// never shows a date nobody knows.
pub fn check_step_text(name: &str, step: &signpost::summary::Step) {
    assert!(
        step.lead.split_whitespace().count() <= 50,
        "{name}: {} shows over 50 words before its details; put a blank line or a full stop sooner",
        step.id
    );
    let text = format!("{} {}", step.title, step.body);
    assert!(
        !text.contains(signpost::expr::UNKNOWN_DATE_TEXT),
        "{name}: {} shows a date nobody knows: {text}",
        step.id
    );
}

/// From the end of shared/content/facts.md: phrases that would state the wrong thing. Returns the
/// first one `text` states, unless the words just before it deny it ("no right to a funded
/// advocate" is right).
pub fn states_misconception(text: &str) -> Option<&'static str> {
    const FORBIDDEN: [&str; 15] = [
        "plan based on future risk is unlawful",
        "unlawful to base",
        "complaint can overturn",
        "complaint can change the conference",
        "complaint will overturn",
        "conference can remove",
        "conference could remove",
        "right to a funded advocate",
        "entitled to an advocate",
        "ombudsman can change",
        "ombudsman can overturn",
        "more serious the allegation",
        "source of the risk has been removed",
        "source of risk",
        "legally questionable",
    ];
    let lower = text.to_lowercase();
    FORBIDDEN.into_iter().find(|f| {
        lower.match_indices(f).any(|(at, _)| {
            let start = (0..=at.saturating_sub(30))
                .rev()
                .find(|&i| lower.is_char_boundary(i))
                .unwrap_or(0);
            let before = &lower[start..at];
            !(before.contains("no ") || before.contains("not ") || before.contains("cannot"))
        })
    })
}

/// Words of the built-in family-rights pack that no other pack, and no engine string, may show.
pub const FAMILY_WORDS: &[&str] = &[
    "child",
    "children",
    "family",
    "families",
    "parent",
    "parents",
    "council",
    "social worker",
    "social workers",
    "children's services",
    "legal advice",
    "999",
    "section 20",
    "care order",
    "court",
    "family rights group",
    "safeguarding",
];

/// The family-rights words in a text, as whole words, any case.
pub fn family_words_in(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    FAMILY_WORDS
        .iter()
        .copied()
        .filter(|w| {
            lower.match_indices(w).any(|(at, _)| {
                let before = lower[..at].chars().next_back();
                let after = lower[at + w.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .collect()
}
