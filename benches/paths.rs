//! Listing paths (`signpost paths`) of the shipped trees: docs/performance.md has the numbers.
//! Run: `cargo bench --bench paths`.
//!
//! The start tree (the triage, which runs 26 other trees) is listed in parts, as `paths` lists
//! it; `complaints` is a tree that runs no other, listed in full.

use std::sync::OnceLock;

use divan::{black_box, Bencher};
use signpost::compile::Library;

fn main() {
    divan::main();
}

fn library() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        signpost::compile::compile(&signpost::files::embedded())
            .library
            .expect("the shipped trees compile")
    })
}

fn today() -> jiff::civil::Date {
    jiff::civil::date(2025, 2, 28)
}

/// Counts the paths `walk` hands over (each with its summary built), as `paths` lists them.
fn listed(tree: &str, limit: usize) -> usize {
    let mut n = 0;
    signpost::paths::walk(library(), tree, today(), limit, &mut |p| {
        black_box(&p);
        n += 1;
    })
    .expect("the tree walks");
    n
}

/// The start tree, every part.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn start_in_parts(bencher: Bencher) {
    library();
    bencher.bench(|| listed("start", signpost::limits::MAX_WALKED_PATHS));
}

/// A whole tree, every path listed.
#[divan::bench(args = ["complaints"], sample_count = 5, sample_size = 1)]
fn whole_tree(bencher: Bencher, tree: &str) {
    library();
    bencher.bench(|| listed(tree, signpost::limits::MAX_WALKED_PATHS));
}
