//! The module graph in docs/architecture.md, enforced: the core imports nothing from `author`, `io`
//! or `front` and does no I/O; no front end imports another; no two modules import each other,
//! directly or round a longer loop; and the library builds without the terminal and CLI crates.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Every `.rs` file under src/, as (module path like "core::session", text). The files of a
/// folder module (`front/tui/*.rs`) count as that one module: their internal imports are its own
/// business.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap().with_extension("");
        let parts: Vec<String> = rel
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        let name = match parts.as_slice() {
            [one] => one.clone(),
            [folder, m] if m == "mod" => folder.to_string(),
            [folder, m] => format!("{folder}::{m}"),
            [folder, m, ..] => format!("{folder}::{m}"),
            [] => unreachable!(),
        };
        let text = fs::read_to_string(&f).unwrap();
        out.entry(name).or_default().push_str(&text);
    }
    out
}

/// The modules a text names through `crate::`, with `crate::{a::b, c::d}` groups expanded.
fn imports(text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // Whole-word `crate::` followed by a path or a brace group.
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let paths: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
            let end = matching_brace(group);
            split_group(&group[..end])
        } else {
            vec![path_prefix(rest)]
        };
        for p in paths {
            // The longest known module the path starts with: "core::session::Session" names
            // core::session; "core::{a, b}" was expanded above.
            let segs: Vec<&str> = p.split("::").map(str::trim).collect();
            for n in (1..=segs.len().min(2)).rev() {
                let cand = segs[..n].join("::");
                if known.contains(&cand) {
                    out.insert(cand);
                    break;
                }
            }
        }
    }
    out
}

fn path_prefix(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect()
}

fn matching_brace(s: &str) -> usize {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    s.len()
}

/// "core::{a, b::C}, io::save" -> ["core::a", "core::b::C", "io::save"].
fn split_group(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    let mut items = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&s[start..]);
    for item in items {
        let item = item.trim();
        if let Some(open) = item.find("::{") {
            let head = &item[..open];
            let inner = &item[open + 3..item.len().saturating_sub(1)];
            for sub in split_group(inner) {
                out.push(format!("{head}::{sub}"));
            }
        } else if !item.is_empty() {
            out.push(item.to_string());
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules();
    let known: BTreeSet<String> = mods.keys().cloned().collect();
    mods.iter()
        .map(|(name, text)| {
            let mut deps = imports(text, &known);
            deps.remove(name);
            // A folder's mod.rs declares its children; that is not an import.
            deps.retain(|d| !d.starts_with(&format!("{name}::")));
            (name.clone(), deps)
        })
        .collect()
}

fn folder(module: &str) -> &str {
    module.split("::").next().unwrap()
}

#[test]
fn the_graph_sees_the_imports_it_must_police() {
    // The checks below are only as good as the parser; prove it finds a known import of each form.
    let g = graph();
    assert!(
        g["core::summary"].contains("core::session"),
        "{:?}",
        g["core::summary"]
    );
    assert!(
        g["front::plain"].contains("core::render"),
        "{:?}",
        g["front::plain"]
    );
    assert!(
        g["front::cli"].contains("front::plain"),
        "{:?}",
        g["front::cli"]
    );
    let known: BTreeSet<String> = ["core::a", "io::b", "front::c"].map(String::from).into();
    let found = imports(
        "use crate::{core::a::X, io::{b, b::Y}};\nlet _ = crate::front::c::f();",
        &known,
    );
    assert_eq!(found, known);
}

#[test]
fn the_core_imports_only_the_core() {
    let mut bad = Vec::new();
    for (m, deps) in graph() {
        let allowed: &[&str] = match folder(&m) {
            "core" => &["core"],
            "author" => &["core", "author"],
            "io" => &["core", "io"],
            "front" => &["core", "author", "io", "front"],
            _ => continue, // lib.rs and main.rs assemble the folders
        };
        for d in deps {
            if !allowed.contains(&folder(&d)) {
                bad.push(format!("{m} imports {d}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports across the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_front_end_imports_another() {
    // `cli` reads the arguments and hands over to a front end, so it may name them all; the front
    // ends themselves share only the core's page.
    let fronts = ["front::plain", "front::tui", "front::web"];
    let mut bad = Vec::new();
    for (m, deps) in graph() {
        if !fronts.contains(&m.as_str()) {
            continue;
        }
        for d in deps {
            if fronts.contains(&d.as_str()) {
                bad.push(format!("{m} imports {d}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "front ends importing each other:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_module_cycle() {
    if let Some(c) = find_cycle(&graph()) {
        panic!("module cycle: {}", c.join(" -> "));
    }
}

#[test]
fn the_core_and_the_authoring_tools_do_no_io_and_know_no_terminal() {
    let forbidden = [
        "std::fs",
        "std::io::stdin",
        "std::io::stdout",
        "std::env",
        "std::net",
        "std::process",
        "SystemTime",
        "Instant::now",
        "Zoned::now",
        "ratatui",
        "crossterm",
        "clap",
        "signal_hook",
        "println!",
        "eprintln!",
    ];
    let mut bad = Vec::new();
    for (m, text) in modules() {
        // The authoring tools work on a compiled library too; only `io` and the front ends
        // touch the world.
        if !matches!(folder(&m), "core" | "author") {
            continue;
        }
        // Unit tests inside a core file may read fixtures.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for f in forbidden {
            if code.contains(f) {
                bad.push(format!("{m} uses {f}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "the core must stay pure:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_library_builds_without_terminal_or_cli_crates() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-e",
            "normal",
            "--no-default-features",
            "--offline",
            "--locked",
        ])
        .arg("--manifest-path")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        tree.contains("serde_json"),
        "cargo tree printed no dependencies:\n{tree}"
    );
    for krate in [
        "ratatui",
        "crossterm",
        "clap",
        "signal-hook",
        "axum",
        "tokio",
    ] {
        assert!(
            !tree.lines().any(|l| l.contains(&format!(" {krate} v"))),
            "{krate} is in a build without default features:\n{tree}"
        );
    }
}

/// Functions in src/ longer than `max` lines, as "file:line name (n lines)". Braces inside string
/// and character literals and comments are ignored; a nested function counts inside its parent.
fn long_functions(max: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (m, text) in modules_by_file() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(name) = fn_name(line) else { continue };
            let (mut depth, mut started) = (0i64, false);
            for (j, l) in lines.iter().enumerate().skip(i) {
                let code = strip_literals(l);
                depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
                started |= code.contains('{');
                if !started && code.trim_end().ends_with(';') {
                    break; // a declaration without a body
                }
                if started && depth <= 0 {
                    if j - i + 1 > max {
                        out.push(format!("{m}:{} {name} ({} lines)", i + 1, j - i + 1));
                    }
                    break;
                }
            }
        }
    }
    out
}

fn modules_by_file() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    rust_files(&root.join("src"))
        .into_iter()
        .map(|f| {
            let name = f.strip_prefix(root).unwrap().display().to_string();
            (name, fs::read_to_string(&f).unwrap())
        })
        .collect()
}

fn fn_name(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(&rest[..end])
}

/// The line with string and char literals emptied and any `//` comment cut.
fn strip_literals(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' => {
                // A char literal ('{', '\''), or a lifetime ('a), which has no closing quote.
                let look: String = chars.clone().take(3).collect();
                if look.starts_with('\\') {
                    chars.next();
                    chars.next();
                    chars.next();
                } else if look.chars().nth(1) == Some('\'') {
                    chars.next();
                    chars.next();
                }
            }
            '/' if chars.peek() == Some(&'/') => break,
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn the_length_check_counts_lines() {
    assert_eq!(
        strip_literals(r#"let a = "{"; let b = '}'; // {"#),
        "let a = ; let b = ; "
    );
    assert_eq!(
        fn_name("    pub(crate) fn check_tree(x: u8) {"),
        Some("check_tree")
    );
    assert_eq!(fn_name("let f = 1;"), None);
}

#[test]
fn no_function_is_over_150_lines() {
    let long = long_functions(150);
    assert!(
        long.is_empty(),
        "split these into named steps:\n{}",
        long.join("\n")
    );
}

/// The tree's node types (core::format) and the calls that reach a node. A front end draws the
/// core's `Page` (plain data) and hands back a `Reply`; if it named one of these it could read a
/// tree's values, options or bounds itself, and the front ends would drift apart (only the wizard
/// showed a number's allowed range until they all read it from the page). The shared data
/// types a page carries (`GlossaryTerm`) and the tree's header (its title and description, for a
/// start screen) are not nodes and stay allowed.
const NODE_NAMES: &[&str] = &[
    "Node",
    "NodeKind",
    "ChoiceNode",
    "ChoiceOption",
    "MultiNode",
    "MultiOption",
    "DateNode",
    "DateRange",
    "NumberNode",
    "TextNode",
    "InfoNode",
    "BranchNode",
    "Rule",
    "AdviseNode",
    "AdviseRule",
    "OutcomeNode",
    "FlowNode",
    "node_by_id",
    "option_labels",
];

/// The whole-word occurrences of `names` in code (comments left out), as "file:line name".
fn names_used(file: &str, text: &str, names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = strip_literals(line);
        let words = code.split(|c: char| !(c.is_alphanumeric() || c == '_'));
        for w in words {
            if names.contains(&w) {
                out.push(format!("{file}:{} {w}", i + 1));
            }
        }
    }
    out
}

#[test]
fn the_node_check_finds_a_node_named_in_code() {
    let found = names_used(
        "x.rs",
        "use crate::core::format::{GlossaryTerm, Node};\n// a Node in a comment\nlet n: NodeKey;",
        NODE_NAMES,
    );
    assert_eq!(found, ["x.rs:1 Node"]);
}

#[test]
fn no_front_end_names_a_tree_node() {
    let mut bad = Vec::new();
    for (file, text) in modules_by_file() {
        if file.starts_with("src/front/") {
            bad.extend(names_used(&file, &text, NODE_NAMES));
        }
    }
    assert!(
        bad.is_empty(),
        "front ends draw the core's Page, never a tree node:\n{}",
        bad.join("\n")
    );
}

/// Each file's imports of its sibling files (`super::x`, `crate::a::b::x` for a file in a::b),
/// for the files of every folder under src/.
fn file_graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = rust_files(&root.join("src"));
    let mut g = BTreeMap::new();
    for f in &files {
        let dir = f.parent().unwrap();
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        if stem == "mod" {
            continue; // a folder's mod.rs declares its files and hands them out
        }
        let siblings: BTreeSet<String> = fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let p = e.unwrap().path();
                let s = p.file_stem()?.to_string_lossy().into_owned();
                let rs = p.extension().is_some_and(|x| x == "rs");
                (rs && s != "mod" && s != stem).then_some(s)
            })
            .collect();
        // The folder's path from the crate root: "front::tui" for src/front/tui.
        let folder = dir
            .strip_prefix(root.join("src"))
            .unwrap()
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("::");
        let text = fs::read_to_string(f).unwrap();
        let code: String = text.split("#[cfg(test)]").next().unwrap().to_string();
        let mut deps = BTreeSet::new();
        for sib in &siblings {
            let via_super = format!("super::{sib}");
            let via_crate = format!("crate::{folder}::{sib}");
            let named = |p: &str| {
                code.match_indices(p).any(|(at, _)| {
                    let after = code[at + p.len()..].chars().next();
                    let before = code[..at].chars().last();
                    !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                        && !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                })
            };
            let in_group = super_group_names(&code).contains(sib);
            if named(&via_super) || (!folder.is_empty() && named(&via_crate)) || in_group {
                deps.insert(format!("{folder}/{sib}"));
            }
        }
        g.insert(format!("{folder}/{stem}"), deps);
    }
    g
}

/// The names in `use super::{a, b::C}` groups.
fn super_group_names(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices("super::{") {
        let group = &code[at + "super::{".len()..];
        let end = matching_brace(group);
        for item in split_group(&group[..end]) {
            let head = item.split("::").next().unwrap_or("").trim().to_string();
            out.insert(head);
        }
    }
    out
}

/// The first loop in a graph, in order, if there is one.
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            match state.get(d.as_str()).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|s| s == d).unwrap();
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(d.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(d, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, g, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_file_graph_sees_imports_between_files() {
    let g = file_graph();
    // Known imports of each form: `use super::x`, a `super::{a, b}` group.
    assert!(
        g["front::tui/app"].contains("front::tui/msg"),
        "{:?}",
        g["front::tui/app"]
    );
    assert!(
        g["front::tui/view"].contains("front::tui/widgets"),
        "{:?}",
        g["front::tui/view"]
    );
    let looped: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]
    .into();
    assert_eq!(
        find_cycle(&looped),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
}

#[test]
fn no_import_cycle_between_files_of_a_folder() {
    if let Some(c) = find_cycle(&file_graph()) {
        panic!(
            "files importing each other round a loop: {}",
            c.join(" -> ")
        );
    }
}
