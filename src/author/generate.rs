//! A generator of large, realistic trees for benchmarks and scale tests: blocks of a choice
//! question, a date question, a branch whose condition reads both, and a page whose text reads
//! them, repeated. Facts come from a pool of names reused down the tree, as real trees reuse a
//! modest number of facts. The number of paths grows as 3^(blocks), far past 10^18.

use std::fmt::Write;

/// Distinct fact names the generated tree uses (two per block, reused).
pub(crate) const FACT_POOL: usize = 32;

/// Nodes per block.
pub const BLOCK: usize = 4;

/// A tree with about `nodes` nodes, as JSON text.
pub fn tree(nodes: usize) -> String {
    let blocks = (nodes.saturating_sub(1) / BLOCK).max(1);
    let mut out = String::with_capacity(nodes * 330);
    out.push_str(
        "{\"format\":1,\"id\":\"generated\",\"title\":\"Generated\",\"jurisdictions\":[\"any\"],\
         \"reviewed\":\"2026-11-20\",\"start\":\"q0\",\"nodes\":[",
    );
    for k in 0..blocks {
        let f = k % FACT_POOL;
        let next = if k + 1 == blocks {
            "end".to_string()
        } else {
            format!("q{}", k + 1)
        };
        if k > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"type\":\"choice\",\"id\":\"q{k}\",\"fact\":\"c{f}\",\"question\":\"Which of these happened at step {k}?\",\
             \"options\":[{{\"label\":\"A\",\"value\":\"a\",\"next\":\"d{k}\"}},\
             {{\"label\":\"B\",\"value\":\"b\",\"next\":\"d{k}\",\"advice\":[\"note{a}\"]}},\
             {{\"label\":\"C\",\"value\":\"c\",\"next\":\"d{k}\"}}]}},\
             {{\"type\":\"date\",\"id\":\"d{k}\",\"fact\":\"t{f}\",\"question\":\"When did it happen?\",\"range\":\"past\",\
             \"examples\":[\"-3wd\",\"-15wd\"],\"next\":\"r{k}\"}},\
             {{\"type\":\"branch\",\"id\":\"r{k}\",\"rules\":[{{\"when\":\"c{f} == 'a' and t{f} and working_days(t{f}, today) > 10\",\
             \"next\":\"i{k}\",\"advice\":[\"late{a}\"]}}],\"otherwise\":\"{next}\"}},\
             {{\"type\":\"info\",\"id\":\"i{k}\",\"title\":\"About step {k}\",\
             \"body\":\"You chose {{{{ c{f} }}}} on {{{{ t{f} | long_date }}}}.\",\"next\":\"{next}\"}}",
            a = k % 8,
        );
    }
    out.push_str(",{\"type\":\"outcome\",\"id\":\"end\",\"advice\":[\"done\"]}],\"advice\":{");
    for a in 0..8 {
        let _ = write!(
            out,
            "\"note{a}\":{{\"title\":\"Note {a}\",\"body\":\"Keep a note.\",\"for\":[\"everyone\"],\"sources\":[\"s\"]}},\
             \"late{a}\":{{\"title\":\"Chase it {a}\",\"body\":\"It is late.\",\"priority\":1,\"for\":[\"everyone\"],\"sources\":[\"s\"]}},"
        );
    }
    out.push_str(
        "\"done\":{\"title\":\"Done\",\"body\":\"That is all.\",\"for\":[\"everyone\"],\"sources\":[\"s\"]}},\
         \"sources\":{\"s\":{\"title\":\"S\",\"url\":\"https://example.org\",\"checked\":\"2026-11-20\"}}}",
    );
    out
}

/// Answers that walk the first `n` blocks of a generated tree: option `a` and a date 15 working
/// days before 28 February 2025, so every branch takes its rule and every page is shown.
pub fn answers(blocks: usize) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for k in 0..blocks {
        v.push((format!("generated.q{k}"), "a".to_string()));
        v.push((format!("generated.d{k}"), "2025-02-07".to_string()));
        v.push((format!("generated.i{k}"), "ok".to_string()));
    }
    v
}
