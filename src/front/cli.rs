//! The command line: parses arguments, loads trees, and hands over to the core and the front
//! ends. Exit codes: 0 success, 1 the input is wrong (diagnostics, an invalid answer), 2 usage.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::author::scaffold;
use crate::core::compile::{compile, Compiled, Library};
use crate::core::diagnostics::{Diagnostic, Severity};
use crate::io::{files, save};

use crate::{
    author::graph, core::calendar, core::paths, core::render, core::summary, front::plain,
};

/// `print!` that ends quietly when the reader has gone away (see `write_out`).
macro_rules! say {
    ($($t:tt)*) => { write_out(&format!($($t)*)) };
}

/// `println!` that ends quietly when the reader has gone away (see `write_out`).
macro_rules! sayln {
    ($($t:tt)*) => {{
        let mut line = format!($($t)*);
        line.push('\n');
        write_out(&line)
    }};
}

/// Writes to standard output. When the reader has gone away (`signpost generate | head -c 5`)
/// the program ends at once with success: nobody wants the rest. Any other failure to write
/// ends it with exit code 1 and says why, instead of a panic.
fn write_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("signpost: cannot write the output: {e}");
        std::process::exit(i32::from(INPUT_WRONG));
    }
}

#[derive(Parser, Debug)]
#[command(name = "signpost", version, about = "Guided advice: a few questions, then next steps. Runs a pack of advice trees (the built-in one, or your own).", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Carry on from a progress file saved earlier (the same as `run --resume FILE`).
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
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
        /// Reload the tree when its files change, keeping the answers that still apply (for
        /// authors; needs PATH and the wizard).
        #[arg(long, requires = "path", conflicts_with_all = ["plain", "resume"])]
        watch: bool,
    },
    /// Serve the questions as web pages (no JavaScript; answers kept only in memory).
    #[cfg(feature = "web")]
    Serve {
        /// A tree file or folder (default: the trees built into Signpost).
        path: Option<PathBuf>,
        /// The address to listen on (the default, on loopback, is reachable from this computer
        /// only).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Mark the session cookie Secure (when the site is reached over HTTPS).
        #[arg(long)]
        secure_cookies: bool,
        /// Answer as if today were this date (YYYY-MM-DD), e.g. to reproduce a case.
        #[arg(long, value_parser = parse_today)]
        today: Option<Date>,
        /// Most sessions with answers kept at once; when full, one that has just answered
        /// pushes out the answered session unused for longest.
        #[arg(long, value_name = "N", default_value_t = 10_000)]
        max_sessions: usize,
        /// Most sessions kept that have answered nothing yet; when full, a new one pushes out
        /// the one of these unused for longest (never a session with answers).
        #[arg(long, value_name = "N", default_value_t = 1_000)]
        max_new_sessions: usize,
        /// Most connections open at once; more wait to be accepted.
        #[arg(long, value_name = "N", default_value_t = 1_024)]
        max_connections: usize,
        /// For authors, to preview a pack on this computer: read PATH again when one of its
        /// files changes, keeping each person's answers that still apply, and show `check`'s
        /// errors as the page until they are fixed. Not for a public service.
        #[arg(long, requires = "path")]
        watch: bool,
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
        /// Say which nodes, options and branch arms the examples reach.
        #[arg(long, conflicts_with = "count")]
        coverage: bool,
    },
    /// Draw a tree as a Graphviz DOT or Mermaid diagram.
    Graph {
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// Draw only what leads to and from this node.
        #[arg(long, value_name = "NODE")]
        focus: Option<String>,
    },
    /// Where a fact is set and read, where an advice item is added and where it leads, and what
    /// uses a contact, letter, glossary term or tree; or what a diagnostic code (E017) means.
    Explain {
        /// A fact, advice item (`tree.advice` or `advice`), contact, letter, glossary term or
        /// tree, or a diagnostic code such as E017.
        id: String,
        /// A tree file or folder (default: the built-in trees).
        path: Option<PathBuf>,
    },
    /// List the contacts: id, name, phone, when they were checked, and their file.
    Contacts {
        /// A tree file or folder (default: the built-in trees); its local contacts.json counts.
        path: Option<PathBuf>,
    },
    /// List the question catalogue, or with --match the questions closest to some words, as a
    /// person would type them (id, question, score; closest first).
    Questions {
        /// A tree file or folder (default: the built-in trees); its questions.json counts.
        path: Option<PathBuf>,
        /// Words as a person would type them, e.g. "can they stop me seeing my grandson".
        #[arg(long = "match", value_name = "TEXT")]
        text: Option<String>,
        #[arg(long, value_enum, default_value_t = PathsFormat::Text)]
        format: PathsFormat,
    },
    /// Print the JSON Schema of the tree format (for editor completion).
    Schema {
        /// The schema of a pack's manifest (pack.json) instead.
        #[arg(long)]
        pack: bool,
    },
    /// Run scenario tests (default: tests/scenarios) and report like a test runner.
    Test {
        /// A scenario file or a folder of them.
        path: Option<PathBuf>,
        /// The trees to test (default: the built-in trees).
        #[arg(long)]
        trees: Option<PathBuf>,
    },
    /// Start a new tree: writes NAME.json (and tree.schema.json for your editor) to edit.
    New {
        /// The tree's id, e.g. `housing-help`; the file is NAME.json in the current folder.
        name: String,
    },
    /// Copy a built-in tree into a folder of your own to adapt it (FOLDER/ID.json).
    Copy {
        /// The built-in tree's id, e.g. `complaints`.
        id: String,
        /// The folder to write it to (made if need be; default: the current folder).
        folder: Option<PathBuf>,
    },
    /// Write a large generated tree to standard output (for benchmarks and scale tests).
    #[command(hide = true)]
    Generate {
        /// About how many nodes.
        #[arg(long, default_value_t = 1000)]
        nodes: usize,
    },
    /// Rewrite trees in the canonical field order and indentation.
    Fmt {
        /// Tree files or folders.
        paths: Vec<PathBuf>,
        /// Only say which files would change (exit 1 if any).
        #[arg(long)]
        check: bool,
    },
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
    let date = calendar::parse_iso(s)
        .ok_or_else(|| format!("`{s}` is not a real date; write it as YYYY-MM-DD"))?;
    if !calendar::in_supported_years(date) {
        return Err(format!(
            "`{s}` is outside the dates Signpost works with (the years {} to {})",
            calendar::YEARS.start(),
            calendar::YEARS.end()
        ));
    }
    Ok(date)
}

/// Today's date where the person is (the only place the program reads the clock).
pub(crate) fn system_today() -> Date {
    jiff::Zoned::now().date()
}

/// Exit code 1: the input is wrong.
const INPUT_WRONG: u8 = 1;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = match (cli.command, cli.resume) {
        (None, resume) => Command::Run {
            path: None,
            plain: false,
            today: None,
            resume,
            watch: false,
        },
        (
            Some(Command::Run {
                resume: None,
                watch: false,
                path,
                plain,
                today,
            }),
            Some(resume),
        ) => Command::Run {
            path,
            plain,
            today,
            resume: Some(resume),
            watch: false,
        },
        (Some(_), Some(_)) => {
            eprintln!("signpost: --resume goes with running the questions: `signpost --resume FILE` or `signpost run PATH --resume FILE`");
            return ExitCode::from(2);
        }
        (Some(command), None) => command,
    };
    match command {
        Command::Run {
            path: Some(path),
            watch: true,
            today,
            ..
        } => {
            if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
                return fail("--watch needs the wizard, in a terminal");
            }
            crate::front::tui::run_watch(&path, today.unwrap_or_else(system_today))
        }
        Command::Run {
            path,
            plain,
            today,
            resume,
            ..
        } => run(
            path.as_deref(),
            plain,
            today.unwrap_or_else(system_today),
            resume.as_deref(),
        ),
        #[cfg(feature = "web")]
        serve @ Command::Serve { .. } => serve_command(serve),
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
            let mut opts =
                crate::author::lint::LintOptions::new(today.unwrap_or_else(system_today));
            opts.max_grade = max_grade;
            check(&paths, deny_warnings, format, &opts)
        }
        Command::Paths {
            path,
            today,
            format,
            count,
            coverage,
        } => {
            let today = today.unwrap_or_else(system_today);
            if coverage {
                coverage_cmd(&path, today)
            } else {
                paths_cmd(&path, today, format, count)
            }
        }
        Command::Graph {
            path,
            format,
            focus,
        } => graph_cmd(&path, format, focus.as_deref()),
        Command::Explain { id, .. } if crate::author::explain::is_code(&id) => {
            match crate::author::explain::code_page(&id) {
                Ok(text) => {
                    say!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Explain { id, path } => match load_whole(path.as_deref()) {
            Ok(lib) => match crate::author::explain::explain(&lib, &id) {
                Ok(text) => {
                    say!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            },
            Err(code) => code,
        },
        Command::Contacts { path } => match load_whole(path.as_deref()) {
            Ok(lib) => {
                say!("{}", crate::author::explain::contacts(&lib));
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        Command::Questions { path, text, format } => {
            questions_cmd(path.as_deref(), text.as_deref(), format)
        }
        Command::Schema { pack } => schema_cmd(pack),
        Command::Test { path, trees } => test_cmd(path.as_deref(), trees.as_deref()),
        Command::New { name } => new_cmd(&name),
        Command::Copy { id, folder } => copy_cmd(&id, folder.as_deref()),
        Command::Fmt { paths, check } => fmt_cmd(&paths, check),
        Command::Generate { nodes } => {
            say!("{}", crate::author::generate::tree(nodes));
            ExitCode::SUCCESS
        }
    }
}

/// `signpost questions`: the catalogue, or the questions closest to some words.
fn questions_cmd(path: Option<&Path>, text: Option<&str>, format: PathsFormat) -> ExitCode {
    let lib = match load_whole(path) {
        Ok(lib) => lib,
        Err(code) => return code,
    };
    let catalogue = lib.questions();
    if catalogue.entries().is_empty() {
        return fail(
            "these trees have no question catalogue (a `multi` question with `rank_by`; \
             docs/authoring.md, \"The person's own question\")",
        );
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
    ExitCode::SUCCESS
}

/// The JSON Schema of a tree file.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(crate::core::format::TreeFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// `signpost schema [--pack]`.
fn schema_cmd(pack: bool) -> ExitCode {
    let schema = if pack {
        pack_schema_json()
    } else {
        schema_json()
    };
    sayln!("{schema}");
    ExitCode::SUCCESS
}

/// The JSON Schema of a pack's manifest (pack.json).
pub fn pack_schema_json() -> String {
    let schema = schemars::schema_for!(crate::core::format::PackManifest);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// Writes a file for the author's editor unless one is there already.
fn write_if_absent(path: &Path, text: &str) -> Result<(), String> {
    if path.exists() {
        return Ok(());
    }
    save::write_new(path, text)
}

fn fail(message: &str) -> ExitCode {
    eprintln!("signpost: {message}");
    ExitCode::from(INPUT_WRONG)
}

/// Loads and compiles; on errors prints them and returns None.
fn load_library(path: Option<&Path>) -> Result<(Library, Option<String>), ExitCode> {
    let (inputs, root) = match path {
        Some(p) => match files::load_tree(p) {
            Ok(l) => {
                for line in &l.left_out {
                    eprintln!("signpost: warning: {line}");
                }
                (l.inputs, l.root)
            }
            Err(e) => return Err(fail(&e)),
        },
        None => (files::embedded(), Some(files::DEFAULT_ROOT.to_string())),
    };
    let lib = compiled_or_fail(compile(&inputs))?;
    Ok((lib, root))
}

/// Loads and compiles everything a path holds, as `check` does (a folder: every tree in it).
fn load_whole(path: Option<&Path>) -> Result<Library, ExitCode> {
    let inputs = match path {
        Some(p) => match files::load(p) {
            Ok(l) => {
                for line in &l.left_out {
                    eprintln!("signpost: warning: {line}");
                }
                l.inputs
            }
            Err(e) => return Err(fail(&e)),
        },
        None => files::embedded(),
    };
    compiled_or_fail(compile(&inputs))
}

fn compiled_or_fail(compiled: Compiled) -> Result<Library, ExitCode> {
    let Compiled {
        library,
        diagnostics,
    } = compiled;
    match library {
        Some(lib) => Ok(lib),
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

/// Loads and compiles, and names the tree to start from.
fn load_with_root(path: Option<&Path>) -> Result<(Library, String), ExitCode> {
    let (lib, root) = load_library(path)?;
    let root = root_or_fail(root, &lib)?;
    Ok((lib, root))
}

fn root_or_fail(root: Option<String>, lib: &Library) -> Result<String, ExitCode> {
    match root {
        Some(r) => Ok(r),
        None => {
            let ids: Vec<&str> = lib.flows().keys().map(String::as_str).collect();
            Err(fail(&format!(
                "name one tree file to run; this folder has several ({})",
                ids.join(", ")
            )))
        }
    }
}

fn run(path: Option<&Path>, plain_mode: bool, today: Date, resume: Option<&Path>) -> ExitCode {
    let (lib, root) = match load_with_root(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let use_plain =
        plain_mode || !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal();
    if use_plain {
        plain::run(&lib, &root, today, resume)
    } else {
        crate::front::tui::run(&lib, &root, today, resume)
    }
}

/// `signpost serve`: its options into the server's `Config`.
#[cfg(feature = "web")]
fn serve_command(command: Command) -> ExitCode {
    let Command::Serve {
        path,
        listen,
        secure_cookies,
        today,
        max_sessions,
        max_new_sessions,
        max_connections,
        watch,
    } = command
    else {
        return ExitCode::from(2);
    };
    let config = crate::front::web::Config {
        today,
        secure_cookies,
        max_sessions,
        max_new_sessions,
        max_connections,
        ..Default::default()
    };
    match path {
        Some(path) if watch => crate::front::web::serve_watch(&path, listen, config),
        path => serve(path.as_deref(), listen, config),
    }
}

/// Loads the trees once and serves them until Ctrl+C. The library lives as long as the server.
#[cfg(feature = "web")]
fn serve(
    path: Option<&Path>,
    listen: std::net::SocketAddr,
    config: crate::front::web::Config,
) -> ExitCode {
    let (lib, root) = match load_with_root(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let lib: &'static Library = Box::leak(Box::new(lib));
    crate::front::web::serve(lib, &root, listen, config)
}

/// Reads `--answer` pairs and an answers file into `key -> value` (a key may be `node` alone).
fn collect_answers(pairs: &[String], file: Option<&Path>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    if let Some(f) = file {
        let text = crate::io::bounded::read_text(f)?;
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
        let (k, v) = p.split_once('=').ok_or_else(|| {
            format!(
                "`{}` should look like NODE=VALUE",
                crate::core::session::clean_text(p)
            )
        })?;
        out.push((k.to_string(), v.to_string()));
    }
    // Typed answers lose their control characters as they come in, so no message that echoes
    // one (an answer not accepted, an answer not used) can carry an escape sequence.
    Ok(out
        .into_iter()
        .map(|(k, v)| {
            (
                crate::core::session::clean_text(&k),
                crate::core::session::clean_text(&v),
            )
        })
        .collect())
}

fn walk(
    path: Option<&Path>,
    pairs: &[String],
    file: Option<&Path>,
    today: Date,
    format: SummaryFormat,
) -> ExitCode {
    let (lib, root) = match load_with_root(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let given = match collect_answers(pairs, file) {
        Ok(g) => g,
        Err(e) => return fail(&e),
    };
    let session = match crate::author::scenario::walk(&lib, &root, today, &given) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let keys: Vec<String> = given.iter().map(|(k, _)| k.clone()).collect();
    for k in crate::author::scenario::off_the_path(&session, &keys) {
        eprintln!(
            "signpost: note: the answer for `{k}` was not used (that question is not on this path)"
        );
    }
    let s = summary::build(&session);
    let out = match format {
        SummaryFormat::Text => render::text(&s),
        SummaryFormat::Markdown => render::markdown(&s),
        SummaryFormat::Json => render::json(&s),
    };
    say!("{out}");
    if !out.ends_with('\n') {
        sayln!("");
    }
    ExitCode::SUCCESS
}

/// Renders diagnostics the way a compiler does: where, what, the line, and what to do.
pub(crate) fn human_diagnostics(diags: &[Diagnostic]) -> String {
    crate::author::report::human(diags)
}

fn check(
    paths_in: &[PathBuf],
    deny_warnings: bool,
    format: CheckFormat,
    opts: &crate::author::lint::LintOptions,
) -> ExitCode {
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut notes: Vec<String> = Vec::new();
    let targets: Vec<Option<&Path>> = if paths_in.is_empty() {
        vec![None]
    } else {
        paths_in.iter().map(|p| Some(p.as_path())).collect()
    };
    for target in targets {
        let (inputs, own) = match target {
            Some(p) => match files::load(p) {
                Ok(l) => {
                    for line in &l.left_out {
                        eprintln!("signpost: warning: {line}");
                    }
                    (l.inputs, Some(l.own_files))
                }
                Err(e) => return fail(&e),
            },
            None => (files::embedded(), None),
        };
        let sources = inputs.files();
        for f in &sources {
            texts.insert(f.path.clone(), f.text.clone());
        }
        let compiled = compile(&inputs);
        let mut found = compiled.diagnostics;
        // A broken tree in a folder does not hide the warnings about the others.
        let (library, whole) = match compiled.library {
            Some(lib) => (Some(lib), true),
            None => (
                crate::author::lint::library_of_the_rest(&inputs, &found),
                false,
            ),
        };
        if let Some(lib) = &library {
            // Whether contacts, terms and letters nothing uses can be told: not from one tree,
            // since the trees beside it may use them (nor from the trees left when some are
            // broken).
            let mut opts = opts.clone();
            opts.whole_folder = whole && target.is_none_or(Path::is_dir);
            opts.builtin_trees = files::builtin_tree_ids();
            // Lints speak only of the files that were read from disk, not built-in ones.
            found.extend(
                crate::author::lint::lint(lib, &sources, &opts)
                    .into_iter()
                    .filter(|d| own.as_ref().is_none_or(|o| o.contains(&d.file))),
            );
            for o in &lib.origins().overrides {
                let line = format!(
                    "note: {} replaces the built-in {} `{}` (from {})",
                    o.file, o.kind, o.id, o.replaces
                );
                if !notes.contains(&line) {
                    notes.push(line);
                }
            }
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
            // A struct, not a JSON value, so each diagnostic keeps its documented field order.
            #[derive(serde::Serialize)]
            struct Report<'a> {
                diagnostics: &'a [Diagnostic],
                /// Local entries that replace built-in ones.
                #[serde(skip_serializing_if = "<[String]>::is_empty")]
                notes: &'a [String],
            }
            sayln!(
                "{}",
                serde_json::to_string_pretty(&Report {
                    diagnostics: &all,
                    notes: &notes
                })
                .unwrap_or_default()
            );
        }
        CheckFormat::Human => {
            say!("{}", crate::author::report::human_with_source(&all, &texts));
            for n in &notes {
                sayln!("{n}");
            }
            let warnings = all.len() - errors;
            if all.is_empty() {
                sayln!("No problems found.");
            } else {
                sayln!("{errors} error(s), {warnings} warning(s).");
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
    let (lib, root) = match load_with_root(Some(path)) {
        Ok(x) => x,
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
            PathsFormat::Json => sayln!(
                "{}",
                serde_json::json!({ "tree": root, "structural_paths": shown })
            ),
            PathsFormat::Text => sayln!("{root}: {shown} structural paths"),
        }
        return ExitCode::SUCCESS;
    }
    let limit = crate::core::limits::MAX_WALKED_PATHS;
    let walked = match format {
        PathsFormat::Text => {
            say!("{}", crate::author::report::paths_head(&root));
            let mut number = 0;
            let walked = paths::walk(&lib, &root, today, limit, &mut |p| {
                number += 1;
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
    match walked {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => fail(&err),
    }
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
        "{}],\n  \"count\": {},\n  \"truncated\": {},\n  \"limit\": {},\n  \"walked\": {}\n}}",
        if first { "" } else { "\n  " },
        listed.count,
        listed.truncated,
        listed.limit,
        listed.walked
    );
    Ok(listed)
}

fn graph_cmd(path: &Path, format: GraphFormat, focus: Option<&str>) -> ExitCode {
    let (lib, root) = match load_with_root(Some(path)) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let Some(flow) = lib.flow(&root) else {
        return fail(&format!("no tree `{root}`"));
    };
    let keep = match focus {
        Some(node) => match graph::around(flow, node) {
            Some(k) => Some(k),
            None => return fail(&format!("there is no node `{node}` in `{root}`")),
        },
        None => None,
    };
    match format {
        GraphFormat::Dot => say!("{}", graph::dot(flow, keep.as_deref())),
        GraphFormat::Mermaid => say!("{}", graph::mermaid(flow, keep.as_deref())),
    }
    ExitCode::SUCCESS
}

fn coverage_cmd(path: &Path, today: Date) -> ExitCode {
    let (lib, root) = match load_with_root(Some(path)) {
        Ok(x) => x,
        Err(code) => return code,
    };
    match paths::enumerate(&lib, &root, today, crate::core::limits::MAX_WALKED_PATHS) {
        Ok(e) => {
            say!("{}", crate::author::report::coverage_text(&lib, &e));
            ExitCode::SUCCESS
        }
        Err(err) => fail(&err),
    }
}

/// Reads scenario files from a file or folder.
fn scenario_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        Ok(files)
    } else {
        Ok(vec![path.to_path_buf()])
    }
}

/// Lays a scenario over the base answers it names (`from`), read from `bases/` beside it.
fn start_from_base(file: &Path, sc: &mut crate::author::scenario::Scenario) -> Result<(), String> {
    let Some(name) = &sc.from else {
        return Ok(());
    };
    let dir = file.parent().unwrap_or(Path::new(".")).join("bases");
    let text = crate::io::bounded::read_text(&dir.join(format!("{name}.json"))).ok();
    let known: Vec<String> = scenario_files(&dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
        .collect();
    sc.start_from(text.as_deref(), &known)
}

fn test_cmd(path: Option<&Path>, trees: Option<&Path>) -> ExitCode {
    let dir = path.unwrap_or(Path::new("tests/scenarios"));
    let files = match scenario_files(dir) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    let (lib, _) = match load_library(trees) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let (mut passed, mut failed) = (0, 0);
    for f in &files {
        let name = f.display();
        let outcome = crate::io::bounded::read_text(f)
            .map_err(|e| vec![e])
            .and_then(|t| {
                let mut sc = serde_json::from_str::<crate::author::scenario::Scenario>(&t)
                    .map_err(|e| vec![format!("not a scenario file: {e}")])?;
                start_from_base(f, &mut sc).map_err(|e| vec![e])?;
                Ok(sc)
            })
            .map(|sc| {
                let mut problems = crate::author::scenario::run(&lib, &sc);
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
    if failed > 0 || files.is_empty() {
        if files.is_empty() {
            eprintln!("signpost: no scenario files in {}", dir.display());
        }
        ExitCode::from(INPUT_WRONG)
    } else {
        ExitCode::SUCCESS
    }
}

fn new_cmd(name: &str) -> ExitCode {
    let id = name.trim_end_matches(".json");
    let valid = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !valid {
        return fail(&format!(
            "`{id}` cannot be a tree id: use lower case letters, digits, `_` or `-`"
        ));
    }
    let file = PathBuf::from(format!("{id}.json"));
    if file.exists() {
        return fail(&format!(
            "{} already exists; nothing was written",
            file.display()
        ));
    }
    let made =
        write_if_absent(Path::new("tree.schema.json"), &(schema_json() + "\n")).and_then(|()| {
            save::write_new(
                &file,
                &scaffold::new_tree(id, system_today(), "tree.schema.json"),
            )
        });
    if let Err(e) = made {
        return fail(&e);
    }
    // A folder's pack.json gives the words around the trees; a new folder gets a neutral one.
    let pack = Path::new(files::PACK_FILE);
    let new_pack = !pack.exists();
    let made = write_if_absent(Path::new("pack.schema.json"), &(pack_schema_json() + "\n"))
        .and_then(|()| write_if_absent(pack, &scaffold::new_pack(id, "pack.schema.json")));
    if let Err(e) = made {
        return fail(&e);
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
    ExitCode::SUCCESS
}

fn copy_cmd(id: &str, folder: Option<&Path>) -> ExitCode {
    let Some(tree) = files::builtin_tree(id) else {
        let ids = files::builtin_tree_ids();
        let mut message = format!(
            "there is no built-in tree `{id}` (the built-in trees are: {})",
            ids.join(", ")
        );
        if let Some(n) = crate::core::diagnostics::nearest(id, ids.iter().map(String::as_str)) {
            message.push_str(&format!("; did you mean `{n}`?"));
        }
        return fail(&message);
    };
    let dir = folder.unwrap_or(Path::new("."));
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(&format!("cannot make the folder {}: {e}", dir.display()));
    }
    let file = dir.join(format!("{id}.json"));
    if file.exists() {
        return fail(&format!(
            "{} already exists; nothing was written",
            file.display()
        ));
    }
    // The copy points its editor at a schema beside it, as `signpost new` does.
    let schema = dir.join("tree.schema.json");
    if !schema.exists() {
        if let Err(e) = save::write_new(&schema, &(schema_json() + "\n")) {
            return fail(&e);
        }
    }
    let text = tree.text.replacen(
        "\"$schema\": \"../docs/tree.schema.json\"",
        "\"$schema\": \"tree.schema.json\"",
        1,
    );
    if let Err(e) = save::write_new(&file, &text) {
        return fail(&e);
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
        return fail(&e);
    }
    sayln!(
        "Wrote {}. Its pack.json extends the built-in pack, so it uses the built-in contacts, \
         glossary and letters; put your own beside it only for what you add or change. Next: edit \
         it, then run `signpost check {}`.",
        file.display(),
        file.display()
    );
    ExitCode::SUCCESS
}

fn fmt_cmd(paths_in: &[PathBuf], check_only: bool) -> ExitCode {
    let mut files = Vec::new();
    for p in paths_in {
        match scenario_files(p) {
            // A folder's JSON Schema (`signpost new` writes one) is not a tree or data file.
            Ok(f) if p.is_dir() => files.extend(f.into_iter().filter(|f| {
                !f.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with(".schema.json"))
            })),
            Ok(f) => files.extend(f),
            Err(e) => return fail(&e),
        }
    }
    if files.is_empty() {
        return fail("name the tree files or folders to format");
    }
    let mut changed = 0;
    let mut broken = 0;
    for f in &files {
        let text = match crate::io::bounded::read_text(f) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("signpost: {e}");
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
                    eprintln!("signpost: {e}");
                    broken += 1;
                } else {
                    sayln!("formatted {}", f.display());
                }
            }
            Err(e) => {
                eprintln!("signpost: {}: {e}", f.display());
                broken += 1;
            }
        }
    }
    if broken > 0 || (check_only && changed > 0) {
        ExitCode::from(INPUT_WRONG)
    } else {
        ExitCode::SUCCESS
    }
}
