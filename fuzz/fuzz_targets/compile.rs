//! Any bytes as a tree file: the compiler must return diagnostics or a library, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use signpost::compile::{compile, SourceFile};

fuzz_target!(|data: &[u8]| {
    let mut inputs = signpost::files::embedded();
    inputs.trees.push(SourceFile { path: "fuzz.json".into(), text: String::from_utf8_lossy(data).into_owned() });
    let compiled = compile(&inputs);
    if compiled.library.is_none() {
        assert!(compiled.diagnostics.iter().any(|d| d.is_error()));
    }
});
