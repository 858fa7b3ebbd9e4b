//! `signpost explain ID` and `signpost contacts`: find-usages for authors (after A2J Author's
//! variable report and ink's find-usages). For a fact: where it is set, carried into another
//! tree, and read. For an advice item: where it is added (options, rules, nodes) and which
//! outcomes those places lead to. For a contact, letter, glossary term or tree: what uses it.
//! Works on a compiled library; no I/O.

use std::collections::BTreeSet;
use std::fmt::Write;

use petgraph::graph::NodeIndex;

use crate::core::compile::{Edge, Flow, Library};
use crate::core::format::Node;

/// What one node does, as far as finding usages goes.
#[derive(Default)]
struct Parts<'a> {
    /// The fact answering it sets.
    sets: Option<&'a str>,
    /// Expressions and templates it reads: (where, text, is a template).
    reads: Vec<(String, &'a str, bool)>,
    /// Advice it adds: (where, the edge it adds it on or None for the node itself, ids).
    adds: Vec<(String, Option<Edge>, &'a [String])>,
    /// The tree it runs and the facts it carries into it.
    runs: Option<(&'a str, &'a [String])>,
}

/// The one place that knows what each node type sets, reads, adds and runs: a new node type is
/// one more arm here.
fn parts(node: &Node) -> Parts<'_> {
    let mut p = Parts {
        sets: node.fact(),
        ..Parts::default()
    };
    match node {
        Node::Choice(c) => {
            for (k, o) in c.options.iter().enumerate() {
                p.adds.push((
                    format!("option \"{}\"", o.label),
                    Some(Edge::Option(k)),
                    &o.advice,
                ));
            }
        }
        Node::Multi(m) => {
            for o in &m.options {
                p.adds
                    .push((format!("option \"{}\" ticked", o.label), None, &o.advice));
            }
        }
        Node::Date(_) | Node::Number(_) | Node::Text(_) => {
            p.adds
                .push(("when answered".into(), None, node.node_advice()));
        }
        Node::Info(i) => {
            p.reads.push(("page text".into(), &i.body, true));
            p.adds.push(("the page".into(), None, &i.advice));
        }
        Node::Branch(b) => {
            for (k, r) in b.rules.iter().enumerate() {
                p.reads.push((format!("rule {}", k + 1), &r.when, false));
                p.adds
                    .push((format!("rule `{}`", r.when), Some(Edge::Rule(k)), &r.advice));
            }
        }
        Node::Advise(a) => {
            for (k, r) in a.rules.iter().enumerate() {
                p.reads.push((format!("rule {}", k + 1), &r.when, false));
                p.adds
                    .push((format!("rule `{}` (when true)", r.when), None, &r.advice));
            }
        }
        Node::Outcome(o) => p.adds.push(("the ending".into(), None, &o.advice)),
        Node::Flow(f) => p.runs = Some((&f.tree, &f.share)),
    }
    p.adds.retain(|(_, _, ids)| !ids.is_empty());
    p
}

/// The facts an expression or template reads (nothing when it does not parse: `check` says so).
fn reads(lib: &Library, text: &str, template: bool) -> BTreeSet<String> {
    let r = if template {
        lib.expr().check_template(text)
    } else {
        lib.expr().check_expression(text)
    };
    r.unwrap_or_default()
}

/// A node as an author finds it: `tree.node` and what kind of node it is.
fn place(flow: &Flow, ix: usize) -> String {
    let node = &flow.tree().nodes[ix];
    let kind = node.type_name();
    format!(
        "{}.{} ({kind}, {} /nodes/{ix})",
        flow.tree().id,
        node.id(),
        flow.file()
    )
}

/// The outcomes that can be reached from `from` (itself included).
fn outcomes_from(flow: &Flow, from: NodeIndex) -> BTreeSet<String> {
    let mut seen = vec![false; flow.graph().node_count()];
    let mut stack = vec![from];
    let mut out = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut seen[n.index()], true) {
            continue;
        }
        if let Node::Outcome(o) = flow.node(n) {
            out.insert(format!("{}.{}", flow.tree().id, o.id));
        }
        stack.extend(flow.graph().neighbors(n));
    }
    out
}

/// Explains every kind of thing called `id`; an error (with the nearest name) when nothing is.
pub fn explain(lib: &Library, id: &str) -> Result<String, String> {
    let sections = [
        fact(lib, id),
        advice(lib, id),
        contact(lib, id),
        letter(lib, id),
        term(lib, id),
        tree(lib, id),
    ];
    let found: Vec<String> = sections.into_iter().flatten().collect();
    if found.is_empty() {
        let names = all_names(lib);
        let mut message = format!(
            "nothing is called `{id}`: it is not a fact, advice item, contact, letter, glossary term or tree"
        );
        if let Some(n) = crate::core::diagnostics::nearest(id, names.iter().map(String::as_str)) {
            message.push_str(&format!("; did you mean `{n}`?"));
        }
        return Err(message);
    }
    Ok(found.join("\n"))
}

fn all_names(lib: &Library) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for flow in lib.flows().values() {
        names.insert(flow.tree().id.clone());
        for node in &flow.tree().nodes {
            names.extend(node.fact().map(str::to_string));
        }
        names.extend(flow.tree().lets.keys().cloned());
        for a in flow.tree().advice.keys() {
            names.insert(a.clone());
            names.insert(format!("{}.{a}", flow.tree().id));
        }
    }
    names.extend(lib.contacts().keys().cloned());
    names.extend(lib.letters().keys().cloned());
    names.extend(lib.glossary().keys().cloned());
    names
}

fn fact(lib: &Library, id: &str) -> Option<String> {
    let mut set = Vec::new();
    let mut carried = Vec::new();
    let mut read = Vec::new();
    for flow in lib.flows().values() {
        if flow.tree().inputs.iter().any(|i| i == id) {
            set.push(format!(
                "{} ({}) takes it as an input from the tree that runs it",
                flow.tree().id,
                flow.file()
            ));
        }
        if let Some(src) = flow.tree().lets.get(id) {
            set.push(format!(
                "{} ({}) computes it: {}",
                flow.tree().id,
                flow.file(),
                one_line(src)
            ));
        }
        for (name, src) in &flow.tree().lets {
            if reads(lib, src, false).contains(id) {
                read.push(format!(
                    "{} ({}) computed fact `{name}`: {}",
                    flow.tree().id,
                    flow.file(),
                    one_line(src)
                ));
            }
        }
        for (ix, node) in flow.tree().nodes.iter().enumerate() {
            let p = parts(node);
            if p.sets == Some(id) {
                let q = node.question().unwrap_or_default();
                set.push(format!("{} \"{q}\"", place(flow, ix)));
            }
            if let (Some((tree, _)), Node::Flow(f)) = (p.runs, node) {
                if flow.tree().shared_by(f).contains(&id) {
                    carried.push(format!("{} carries it into `{tree}`", place(flow, ix)));
                }
            }
            for (what, text, template) in p.reads {
                if reads(lib, text, template).contains(id) {
                    read.push(format!("{} {what}: {}", place(flow, ix), one_line(text)));
                }
            }
        }
        for (aid, a) in &flow.tree().advice {
            let at = format!("{}.{aid} (advice, {})", flow.tree().id, flow.file());
            if reads(lib, &a.title, true).contains(id) {
                read.push(format!("{at} title"));
            }
            if reads(lib, &a.body, true).contains(id) {
                read.push(format!("{at} body"));
            }
            if let Some(due) = &a.due {
                if reads(lib, due, false).contains(id) {
                    read.push(format!("{at} due: {due}"));
                }
            }
            if let Some(l) = a.letter.as_ref().and_then(|l| lib.letters().get(l)) {
                let (body, _) = crate::core::compile::put_snippets(&l.body, flow.snippets());
                if reads(lib, &body, true).contains(id) {
                    read.push(format!("{at} letter `{}` ({})", l.id, l.file));
                }
            }
        }
    }
    if set.is_empty() && read.is_empty() {
        return None;
    }
    let mut out = format!("Fact `{id}`\n");
    section(&mut out, "set by", &set);
    section(&mut out, "carried into another tree by", &carried);
    section(&mut out, "read by", &read);
    Some(out)
}

fn advice(lib: &Library, id: &str) -> Option<String> {
    let (want_tree, want_id) = match id.split_once('.') {
        Some((t, a)) => (Some(t), a),
        None => (None, id),
    };
    let mut out = String::new();
    for flow in lib.flows().values() {
        if want_tree.is_some_and(|t| t != flow.tree().id) {
            continue;
        }
        let Some(a) = flow.tree().advice.get(want_id) else {
            continue;
        };
        let mut added = Vec::new();
        let mut ends = BTreeSet::new();
        for (ix, node) in flow.tree().nodes.iter().enumerate() {
            for (what, edge, ids) in parts(node).adds {
                if !ids.iter().any(|x| x == want_id) {
                    continue;
                }
                added.push(format!("{} {what}", place(flow, ix)));
                let from = NodeIndex::new(ix);
                let start = match edge {
                    Some(e) => flow.target(from, e),
                    None => Some(from),
                };
                if let Some(s) = start {
                    ends.extend(outcomes_from(flow, s));
                }
            }
        }
        let _ = writeln!(
            out,
            "Advice `{}.{want_id}`: \"{}\" (priority {}, {})",
            flow.tree().id,
            a.title,
            a.priority,
            flow.file()
        );
        if added.is_empty() {
            added.push("nothing: no option, rule or node adds it".into());
        }
        section(&mut out, "added by", &added);
        section(&mut out, "ends at", &ends.into_iter().collect::<Vec<_>>());
        let mut uses = Vec::new();
        if !a.contacts.is_empty() {
            uses.push(format!("contacts: {}", a.contacts.join(", ")));
        }
        if let Some(l) = &a.letter {
            uses.push(format!("letter: {l}"));
        }
        if let Some(d) = &a.due {
            uses.push(format!("due: {d}"));
        }
        uses.push(format!("sources: {}", a.sources.join(", ")));
        section(&mut out, "uses", &uses);
    }
    (!out.is_empty()).then_some(out)
}

/// The advice items (as `tree.advice`) for which `pick` is true, and their trees.
fn advice_using(
    lib: &Library,
    pick: impl Fn(&crate::core::format::Advice) -> bool,
) -> (Vec<String>, Vec<String>) {
    let mut items = Vec::new();
    let mut trees = Vec::new();
    for flow in lib.flows().values() {
        for (aid, a) in &flow.tree().advice {
            if pick(a) {
                items.push(format!("{}.{aid} \"{}\"", flow.tree().id, a.title));
                if !trees.contains(&flow.tree().id) {
                    trees.push(flow.tree().id.clone());
                }
            }
        }
    }
    (items, trees)
}

fn contact(lib: &Library, id: &str) -> Option<String> {
    let c = lib.contacts().get(id)?;
    let from = lib
        .origins()
        .contacts
        .get(id)
        .map(|o| o.file.as_str())
        .unwrap_or("contacts.json");
    let mut out = format!(
        "Contact `{id}`: {}{} (checked {}, {from})\n",
        c.name,
        c.phone
            .as_ref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default(),
        c.checked
    );
    let (items, trees) = advice_using(lib, |a| a.contacts.iter().any(|x| x == id));
    used(&mut out, items, trees);
    Some(out)
}

fn letter(lib: &Library, id: &str) -> Option<String> {
    let l = lib.letters().get(id)?;
    let mut out = format!("Letter `{id}`: \"{}\" ({})\n", l.title, l.file);
    let facts: Vec<String> = reads(lib, &l.body, true).into_iter().collect();
    if !facts.is_empty() {
        section(&mut out, "reads facts", &[facts.join(", ")]);
    }
    let (items, trees) = advice_using(lib, |a| a.letter.as_deref() == Some(id));
    used(&mut out, items, trees);
    Some(out)
}

fn term(lib: &Library, id: &str) -> Option<String> {
    let t = lib.glossary().get(id)?;
    let names: Vec<String> = std::iter::once(&t.term)
        .chain(&t.aliases)
        .map(|n| n.to_lowercase())
        .collect();
    let mentions = |text: &str| {
        let lower = text.to_lowercase();
        names.iter().any(|n| lower.contains(n.as_str()))
    };
    let mut places = Vec::new();
    for flow in lib.flows().values() {
        for (ix, node) in flow.tree().nodes.iter().enumerate() {
            let texts = [node.question(), node.help()];
            if texts.into_iter().flatten().any(mentions)
                || matches!(node, Node::Info(i) if mentions(&i.body))
            {
                places.push(place(flow, ix));
            }
        }
        for (aid, a) in &flow.tree().advice {
            if mentions(&a.title) || mentions(&a.body) {
                places.push(format!("{}.{aid} (advice)", flow.tree().id));
            }
        }
    }
    let mut out = format!("Glossary term `{id}`: \"{}\"\n", t.term);
    if places.is_empty() {
        places.push("no tree mentions it".into());
    }
    section(&mut out, "mentioned by", &places);
    Some(out)
}

fn tree(lib: &Library, id: &str) -> Option<String> {
    let flow = lib.flow(id)?;
    let mut out = format!("Tree `{id}`: \"{}\" ({})\n", flow.tree().title, flow.file());
    let mut run_by = Vec::new();
    for other in lib.flows().values() {
        for (ix, node) in other.tree().nodes.iter().enumerate() {
            if parts(node).runs.is_some_and(|(t, _)| t == id) {
                run_by.push(place(other, ix));
            }
        }
    }
    if run_by.is_empty() {
        run_by.push("no other tree (it is a starting point)".into());
    }
    section(&mut out, "run by", &run_by);
    Some(out)
}

fn used(out: &mut String, items: Vec<String>, trees: Vec<String>) {
    if items.is_empty() {
        section(out, "used by", &["no advice item".to_string()]);
    } else {
        section(out, "used by", &items);
        section(out, "in trees", &[trees.join(", ")]);
    }
}

fn section(out: &mut String, title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {title}:");
    for l in lines {
        let _ = writeln!(out, "    {l}");
    }
}

fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 80 {
        format!("{}...", flat.chars().take(80).collect::<String>())
    } else {
        flat
    }
}

/// Every contact: id, name, phone, the date it was checked, and the file it came from.
pub fn contacts(lib: &Library) -> String {
    let rows: Vec<[String; 5]> = lib
        .contacts()
        .iter()
        .map(|(id, c)| {
            [
                id.clone(),
                c.name.clone(),
                c.phone.clone().unwrap_or_else(|| "-".into()),
                c.checked.clone(),
                lib.origins()
                    .contacts
                    .get(id)
                    .map(|o| o.file.clone())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let header = ["id", "name", "phone", "checked", "file"].map(String::from);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (k, (w, cell)) in widths.iter().zip(row).enumerate() {
            if k + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}  ");
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// docs/diagnostics.md, built in, so `signpost explain E017` works wherever the binary is.
const DIAGNOSTICS_GUIDE: &str = include_str!("../../docs/diagnostics.md");

/// True for a diagnostic code as `check` prints it: E or W and three digits.
pub fn is_code(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 4
        && matches!(b[0], b'E' | b'e' | b'W' | b'w')
        && b[1..].iter().all(u8::is_ascii_digit)
}

/// The page of docs/diagnostics.md for one code (what it means, broken and fixed), or an error
/// that says where the codes are listed.
pub fn code_page(code: &str) -> Result<String, String> {
    let code = code.to_ascii_uppercase();
    let heading = format!("## {code}\n");
    let start = DIAGNOSTICS_GUIDE.find(&heading).ok_or_else(|| {
        format!("there is no diagnostic {code}; docs/diagnostics.md lists every code")
    })?;
    let body = &DIAGNOSTICS_GUIDE[start + 3..];
    let end = body.find("\n## ").map_or(body.len(), |i| i + 1);
    Ok(body[..end].trim_end().to_string())
}
