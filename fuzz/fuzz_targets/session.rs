//! Random answers, backs and changes over the shipped trees: the session must never panic, and
//! every state must give a summary.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use signpost::compile::{compile, Library};
use signpost::format::Node;
use signpost::session::{Position, Session};

fn library() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| compile(&signpost::files::embedded()).library.expect("shipped trees compile"))
}

fuzz_target!(|data: &[u8]| {
    let lib = library();
    let mut s = Session::new(lib, "start", jiff::civil::date(2025, 2, 28)).expect("start exists");
    for chunk in data.chunks(2).take(200) {
        let (op, arg) = (chunk[0], *chunk.get(1).unwrap_or(&0));
        match op % 8 {
            0 => {
                s.back();
            }
            1 => {
                // Change an earlier answer to some option or text.
                if let Some(a) = s.trace().answered.get(arg as usize % (s.trace().answered.len() + 1)).cloned() {
                    let _ = s.change(&a.key, &format!("{arg}"));
                }
            }
            2 => {
                let _ = s.answer(&String::from_utf8_lossy(chunk));
            }
            _ => {
                let Position::Asking(_) = s.position() else { break };
                let value = match s.current().map(|(_, n)| n) {
                    Some(Node::Choice(c)) => c.options[arg as usize % c.options.len()].value.clone(),
                    Some(Node::Multi(m)) => m.options[arg as usize % m.options.len()].value.clone(),
                    Some(Node::Date(_)) => format!("{}/{}/20{}", arg % 31 + 1, op % 12 + 1, 20 + arg % 10),
                    Some(Node::Number(_)) => format!("{arg}"),
                    _ => "ok".into(),
                };
                let _ = s.answer(&value);
            }
        }
        let _ = signpost::summary::build(&s);
    }
});
