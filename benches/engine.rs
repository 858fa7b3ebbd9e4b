//! Benchmarks (docs/performance.md has the numbers and the targets). Run: `cargo bench`.
//! Trees come from `signpost::generate`: blocks of a choice, a date question, a branch whose
//! condition reads both, and a page whose text reads them.

use std::sync::OnceLock;

use divan::{black_box, Bencher};
use signpost::compile::{compile, Inputs, Library, SourceFile};
use signpost::session::Session;

fn main() {
    divan::main();
}

const SIZES: &[usize] = &[1_000, 10_000, 100_000];

fn text(nodes: usize) -> &'static str {
    static CACHE: OnceLock<Vec<(usize, String)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        SIZES
            .iter()
            .map(|&n| (n, signpost::generate::tree(n)))
            .collect()
    });
    &all.iter()
        .find(|(n, _)| *n == nodes)
        .expect("a benchmarked size")
        .1
}

fn inputs(nodes: usize) -> Inputs {
    let mut inputs = signpost::files::embedded();
    inputs.trees = vec![SourceFile {
        path: "generated.json".into(),
        text: text(nodes).to_string(),
    }];
    inputs
}

fn library(nodes: usize) -> &'static Library {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(usize, &'static Library)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut guard = cache.lock().expect("not poisoned");
    if let Some((_, lib)) = guard.iter().find(|(n, _)| *n == nodes) {
        return lib;
    }
    let lib: &'static Library = Box::leak(Box::new(
        compile(&inputs(nodes))
            .library
            .expect("generated trees compile"),
    ));
    guard.push((nodes, lib));
    lib
}

/// The floor: serde_json reading the same bytes into a generic JSON value.
#[divan::bench(args = SIZES, sample_count = 10)]
fn floor_serde_json_value(bencher: Bencher, nodes: usize) {
    let bytes = text(nodes).as_bytes();
    bencher.bench(|| {
        black_box(
            serde_json::from_slice::<serde_json::Value>(black_box(bytes)).expect("valid JSON"),
        )
    });
}

/// Parse, build the graph and run every check (the compiled library is dropped too).
#[divan::bench(args = SIZES, sample_count = 10)]
fn load_compile_check(bencher: Bencher, nodes: usize) {
    bencher
        .with_inputs(|| inputs(nodes))
        .bench_values(|i| black_box(compile(&i).library.is_some()));
}

/// Structural paths counted by dynamic programming (the generated trees have > 10^38 paths).
#[divan::bench(args = SIZES, sample_count = 10)]
fn count_paths(bencher: Bencher, nodes: usize) {
    let lib = library(nodes);
    bencher.bench(|| black_box(signpost::paths::count_paths(lib, "generated")));
}

/// One answer and the next screen's data, deep in the tree (after 200 blocks).
#[divan::bench(args = SIZES, sample_count = 20)]
fn session_step(bencher: Bencher, nodes: usize) {
    let lib = library(nodes);
    let today = jiff::civil::date(2025, 2, 28);
    let mut base = Session::new(lib, "generated", today).expect("tree exists");
    let blocks = (nodes / signpost::generate::BLOCK).min(200) - 1;
    base.restore(
        signpost::generate::answers(blocks)
            .into_iter()
            .map(|(k, v)| (signpost::session::NodeKey::parse(&k).expect("key"), v))
            .collect(),
    );
    bencher
        .with_inputs(|| base.clone())
        .bench_local_values(|mut s| {
            s.answer("a").expect("valid");
            black_box((
                s.current().map(|(_, n)| n.id().len()),
                s.prefill().is_some(),
                s.remaining_estimate(),
            ))
        });
}

/// A full-screen render of the wizard's question screen into an 80x24 TestBackend.
#[divan::bench(args = SIZES, sample_count = 20)]
fn tui_render(bencher: Bencher, nodes: usize) {
    use ratatui::{backend::TestBackend, Terminal};
    let lib = library(nodes);
    let mut app = signpost::tui::App::new(lib, "generated", jiff::civil::date(2025, 2, 28))
        .expect("tree exists");
    // Past the start screen to the first question.
    app.handle_key(ratatui::crossterm::event::KeyEvent::from(
        ratatui::crossterm::event::KeyCode::Enter,
    ));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    bencher.bench_local(|| {
        terminal
            .draw(|f| signpost::tui::view(&app, f))
            .expect("draws");
    });
}
