//! The command line's arguments, as clap parses them: plain data. Nothing here loads a file or
//! reads the clock; `resolve` turns them into trees, dates and answers.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::core::calendar;

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
    /// List every path through a tree with its outcome and summary (a tree that runs other
    /// trees in parts: itself, then each tree it runs).
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
        /// Also write each scenario's whole text summary to FOLDER/NAME.txt, to read or to
        /// compare before and after a change (`diff -r`).
        #[arg(long, value_name = "FOLDER")]
        summaries: Option<PathBuf>,
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
