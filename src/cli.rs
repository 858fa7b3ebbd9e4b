//! The command line: parses arguments, loads trees, and hands over to the core and the front
//! ends. Exit codes: 0 success, 1 the input is wrong (diagnostics, an invalid answer), 2 usage.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::compile::{compile, Compiled, Library};
use crate::diagnostics::{Diagnostic, Severity};
use crate::files;
use crate::session::{NodeKey, Position, Session};
use crate::{calendar, graph, paths, plain, render, summary};

#[derive(Parser, Debug)]
#[command(name = "signpost", version, about = "Guided advice for families involved with children's services in England.", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Answer questions and get your next steps (the wizard; `--plain` for line by line).
    Run {
        /// A tree file or folder (default: the trees built into Signpost).
        path: Option<PathBuf>,
        /// Line-by-line questions, for screen readers and piped input.
        #[arg(long)]
        plain: bool,
        /// Answer as if today were this date (YYYY-MM-DD), e.g. to reproduce a case.
        #[arg(long, value_parser = parse_today)]
        today: Option<Date>,
        /// Carry on from a progress file saved earlier.
        #[arg(long)]
        resume: Option<PathBuf>,
    },
    /// Walk a tree with answers given up front and print the summary.
    Walk {
        /// A tree file or folder (default: the built-in trees).
        path: Option<PathBuf>,
        /// An answer: NODE=VALUE, or TREE.NODE=VALUE where two trees share a node id.
        #[arg(long = "answer", short = 'a', value_name = "NODE=VALUE")]
        answers: Vec<String>,
        /// A JSON file of answers: {"NODE": "VALUE", ...}.
        #[arg(long = "answers", value_name = "FILE")]
        answers_file: Option<PathBuf>,
        #[arg(long, value_parser = parse_today)]
        today: Option<Date>,
        #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
    },
    /// Check trees for problems (every problem, with where and how to fix it).
    Check {
        /// Tree files or folders (default: the built-in trees).
        paths: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// The day staleness of `checked` and `reviewed` dates is measured from.
        #[arg(long, value_parser = parse_today)]
        today: Option<Date>,
        /// Highest reading level (Flesch-Kincaid grade) allowed for questions and advice.
        #[arg(long, default_value_t = 9.0)]
        max_grade: f64,
    },
    /// List every path through a tree with its outcome and summary.
    Paths {
        path: PathBuf,
        #[arg(long, value_parser = parse_today)]
        today: Option<Date>,
        #[arg(long, value_enum, default_value_t = PathsFormat::Text)]
        format: PathsFormat,
        /// Only count the structural paths (fast, for any size of tree).
        #[arg(long)]
        count: bool,
    },
    /// Draw a tree as a Graphviz DOT or Mermaid diagram.
    Graph {
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
    /// Print the JSON Schema of the tree format (for editor completion).
    Schema,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PathsFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

fn parse_today(s: &str) -> Result<Date, String> {
    calendar::parse_iso(s)
        .ok_or_else(|| format!("`{s}` is not a real date; write it as YYYY-MM-DD"))
}

/// Today's date where the person is (the only place the program reads the clock).
pub fn system_today() -> Date {
    jiff::Zoned::now().date()
}

/// Exit code 1: the input is wrong.
const INPUT_WRONG: u8 = 1;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Run {
        path: None,
        plain: false,
        today: None,
        resume: None,
    }) {
        Command::Run {
            path,
            plain,
            today,
            resume,
        } => run(
            path.as_deref(),
            plain,
            today.unwrap_or_else(system_today),
            resume.as_deref(),
        ),
        Command::Walk {
            path,
            answers,
            answers_file,
            today,
            format,
        } => walk(
            path.as_deref(),
            &answers,
            answers_file.as_deref(),
            today.unwrap_or_else(system_today),
            format,
        ),
        Command::Check {
            paths,
            deny_warnings,
            format,
            today,
            max_grade,
        } => {
            let mut opts = crate::lint::LintOptions::new(today.unwrap_or_else(system_today));
            opts.max_grade = max_grade;
            check(&paths, deny_warnings, format, &opts)
        }
        Command::Paths {
            path,
            today,
            format,
            count,
        } => paths_cmd(&path, today.unwrap_or_else(system_today), format, count),
        Command::Graph { path, format } => graph_cmd(&path, format),
        Command::Schema => {
            println!("{}", schema_json());
            ExitCode::SUCCESS
        }
    }
}

/// The JSON Schema of a tree file.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(crate::format::TreeFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

fn fail(message: &str) -> ExitCode {
    eprintln!("signpost: {message}");
    ExitCode::from(INPUT_WRONG)
}

/// Loads and compiles; on errors prints them and returns None.
fn load_library(path: Option<&Path>) -> Result<(Library, Option<String>), ExitCode> {
    let (inputs, root) = match path {
        Some(p) => match files::load(p) {
            Ok(l) => (l.inputs, l.root),
            Err(e) => return Err(fail(&e)),
        },
        None => (files::embedded(), Some(files::DEFAULT_ROOT.to_string())),
    };
    let Compiled {
        library,
        diagnostics,
    } = compile(&inputs);
    match library {
        Some(lib) => Ok((lib, root)),
        None => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(
                err,
                "signpost: the trees have problems, so they cannot be used yet:\n"
            );
            let _ = write!(err, "{}", human_diagnostics(&diagnostics));
            Err(ExitCode::from(INPUT_WRONG))
        }
    }
}

fn root_or_fail(root: Option<String>, lib: &Library) -> Result<String, ExitCode> {
    match root {
        Some(r) => Ok(r),
        None => {
            let ids: Vec<&str> = lib.flows.keys().map(String::as_str).collect();
            Err(fail(&format!(
                "name one tree file to run; this folder has several ({})",
                ids.join(", ")
            )))
        }
    }
}

fn run(path: Option<&Path>, plain_mode: bool, today: Date, resume: Option<&Path>) -> ExitCode {
    let (lib, root) = match load_library(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let root = match root_or_fail(root, &lib) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let use_plain =
        plain_mode || !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal();
    if use_plain {
        plain::run(&lib, &root, today, resume)
    } else {
        crate::tui::run(&lib, &root, today, resume)
    }
}

/// Reads `--answer` pairs and an answers file into `key -> value` (a key may be `node` alone).
fn collect_answers(pairs: &[String], file: Option<&Path>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    if let Some(f) = file {
        let text =
            std::fs::read_to_string(f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
        let map: BTreeMap<String, serde_json::Value> = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a JSON object of answers: {e}", f.display()))?;
        for (k, v) in map {
            let value = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| i.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            out.push((k, value));
        }
    }
    for p in pairs {
        let (k, v) = p
            .split_once('=')
            .ok_or_else(|| format!("`{p}` should look like NODE=VALUE"))?;
        out.push((k.trim().to_string(), v.to_string()));
    }
    Ok(out)
}

fn walk(
    path: Option<&Path>,
    pairs: &[String],
    file: Option<&Path>,
    today: Date,
    format: SummaryFormat,
) -> ExitCode {
    let (lib, root) = match load_library(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let root = match root_or_fail(root, &lib) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let given = match collect_answers(pairs, file) {
        Ok(g) => g,
        Err(e) => return fail(&e),
    };
    let mut session = match Session::new(&lib, &root, today) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    session.set_auto_continue(true);
    let mut used = vec![false; given.len()];
    loop {
        let key = match session.position().clone() {
            Position::Finished => break,
            Position::Blocked { message, .. } => return fail(&message),
            Position::Asking(key) => key,
        };
        let found = given
            .iter()
            .position(|(k, _)| NodeKey::parse(k).is_some_and(|full| full == key))
            .or_else(|| given.iter().position(|(k, _)| k == &key.node));
        let Some(i) = found else {
            return fail(&missing_answer_message(&session, &key));
        };
        used[i] = true;
        if let Err(e) = session.answer(&given[i].1) {
            return fail(&format!(
                "the answer `{}` for {key} was not accepted: {e}",
                given[i].1
            ));
        }
    }
    for (i, (k, _)) in given.iter().enumerate() {
        if !used[i] {
            eprintln!("signpost: note: the answer for `{k}` was not used (that question is not on this path)");
        }
    }
    let s = summary::build(&session);
    let out = match format {
        SummaryFormat::Text => render::text(&s),
        SummaryFormat::Markdown => render::markdown(&s),
        SummaryFormat::Json => render::json(&s),
    };
    print!("{out}");
    if !out.ends_with('\n') {
        println!();
    }
    ExitCode::SUCCESS
}

fn missing_answer_message(session: &Session, key: &NodeKey) -> String {
    let mut msg = format!("no answer given for `{key}`");
    if let Some((_, node)) = session.current() {
        if let Some(q) = node.question() {
            msg.push_str(&format!(" (\"{q}\")"));
        }
        let values: Vec<String> = match node {
            crate::format::Node::Choice(c) => c.options.iter().map(|o| o.value.clone()).collect(),
            crate::format::Node::Multi(m) => m.options.iter().map(|o| o.value.clone()).collect(),
            _ => Vec::new(),
        };
        if !values.is_empty() {
            msg.push_str(&format!("; one of: {}", values.join(", ")));
        }
    }
    msg.push_str(&format!(". Add --answer {}=VALUE", key.node));
    msg
}

/// Renders diagnostics the way a compiler does: where, what, the line, and what to do.
pub fn human_diagnostics(diags: &[Diagnostic]) -> String {
    crate::report::human(diags)
}

fn check(
    paths_in: &[PathBuf],
    deny_warnings: bool,
    format: CheckFormat,
    opts: &crate::lint::LintOptions,
) -> ExitCode {
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let targets: Vec<Option<&Path>> = if paths_in.is_empty() {
        vec![None]
    } else {
        paths_in.iter().map(|p| Some(p.as_path())).collect()
    };
    for target in targets {
        let (inputs, own) = match target {
            Some(p) => match files::load(p) {
                Ok(l) => (l.inputs, Some(l.own_files)),
                Err(e) => return fail(&e),
            },
            None => (files::embedded(), None),
        };
        for f in inputs
            .trees
            .iter()
            .chain([&inputs.contacts, &inputs.glossary, &inputs.holidays])
            .chain(&inputs.letters)
        {
            texts.insert(f.path.clone(), f.text.clone());
        }
        let compiled = compile(&inputs);
        let mut found = compiled.diagnostics;
        if let Some(lib) = &compiled.library {
            let sources: Vec<&crate::compile::SourceFile> = inputs
                .trees
                .iter()
                .chain([&inputs.contacts, &inputs.glossary, &inputs.holidays])
                .chain(&inputs.letters)
                .collect();
            // Lints speak only of the files that were read from disk, not built-in ones.
            found.extend(
                crate::lint::lint(lib, &sources, opts)
                    .into_iter()
                    .filter(|d| own.as_ref().is_none_or(|o| o.contains(&d.file))),
            );
        }
        for d in found {
            if !all.contains(&d) {
                all.push(d);
            }
        }
    }
    if deny_warnings {
        for d in &mut all {
            d.severity = Severity::Error;
        }
    }
    let errors = all.iter().filter(|d| d.is_error()).count();
    match format {
        CheckFormat::Json => {
            let v = serde_json::json!({ "diagnostics": all });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        CheckFormat::Human => {
            print!("{}", crate::report::human_with_source(&all, &texts));
            let warnings = all.len() - errors;
            if all.is_empty() {
                println!("No problems found.");
            } else {
                println!("{errors} error(s), {warnings} warning(s).");
            }
        }
    }
    if errors > 0 {
        ExitCode::from(INPUT_WRONG)
    } else {
        ExitCode::SUCCESS
    }
}

fn paths_cmd(path: &Path, today: Date, format: PathsFormat, count_only: bool) -> ExitCode {
    let (lib, root) = match load_library(Some(path)) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let root = match root_or_fail(root, &lib) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if count_only {
        let n = paths::count_paths(&lib, &root);
        let shown = if n == u128::MAX {
            format!("more than {}", u128::MAX)
        } else {
            n.to_string()
        };
        match format {
            PathsFormat::Json => println!(
                "{}",
                serde_json::json!({ "tree": root, "structural_paths": shown })
            ),
            PathsFormat::Text => println!("{root}: {shown} structural paths"),
        }
        return ExitCode::SUCCESS;
    }
    let e = match paths::enumerate(&lib, &root, today, crate::limits::MAX_WALKED_PATHS) {
        Ok(e) => e,
        Err(err) => return fail(&err),
    };
    match format {
        PathsFormat::Json => println!("{}", serde_json::to_string_pretty(&e).unwrap_or_default()),
        PathsFormat::Text => print!("{}", crate::report::paths_text(&lib, &e)),
    }
    ExitCode::SUCCESS
}

fn graph_cmd(path: &Path, format: GraphFormat) -> ExitCode {
    let (lib, root) = match load_library(Some(path)) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let root = match root_or_fail(root, &lib) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(flow) = lib.flow(&root) else {
        return fail(&format!("no tree `{root}`"));
    };
    match format {
        GraphFormat::Dot => print!("{}", graph::dot(flow)),
        GraphFormat::Mermaid => print!("{}", graph::mermaid(flow)),
    }
    ExitCode::SUCCESS
}
