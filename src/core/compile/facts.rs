//! Definite assignment: every fact a condition, text, advice item or module reads is set on
//! every path that reaches it (E017).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::expressions::Reads;
use super::nodes::{AdviceUse, RuleCondition};
use super::reporter::{Diagnostics, Near};
use super::{Edge, SourceFile, NATION_FACT};
use crate::core::diagnostics::{escape_segment, nearest, Diagnostic};
use crate::core::format::{Advice, Node, TreeFile};

/// Every fact the tree knows: set by its questions and options, given as its inputs, computed
/// (`let`), and the nation; sorted, so a fact's place in the list is its index in a `FactTable`.
pub(super) fn known_facts(tree: &TreeFile) -> Vec<String> {
    let mut set: BTreeSet<String> = answered_facts(tree).into_iter().collect();
    set.extend(tree.lets.keys().cloned());
    set.into_iter().collect()
}

/// The facts a tree's questions and options set, its inputs and the nation: every fact that is
/// not computed.
pub(super) fn answered_facts(tree: &TreeFile) -> Vec<String> {
    let mut set: BTreeSet<String> = tree
        .nodes
        .iter()
        .filter_map(|n| n.fact().map(str::to_string))
        .collect();
    set.extend(tree.inputs.iter().cloned());
    set.extend(option_sets(&tree.nodes).map(|(_, _, fact, _)| fact.to_string()));
    set.insert(NATION_FACT.to_string());
    set.into_iter().collect()
}

/// Each known fact's index.
pub(super) fn fact_index(facts: &[String]) -> HashMap<&str, usize> {
    facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.as_str(), i))
        .collect()
}

/// Facts set on one edge, or for one use of advice, beyond what the nodes before set.
#[derive(Default)]
pub(super) struct ProvedFacts {
    /// An option that `sets` facts, or a rule guarded by `x is defined`, sets them on its edge.
    pub(super) edges: HashMap<(usize, Edge), Vec<usize>>,
    /// A rule guarded by `x is defined` sets `x` for its own advice, by place in `uses`.
    pub(super) uses: HashMap<usize, Vec<usize>>,
}

/// The facts each option sets, and each rule's condition proves set, on its own edge and advice.
pub(super) fn proved_facts(
    nodes: &[Node],
    fact_ix: &HashMap<&str, usize>,
    rule_conditions: &[RuleCondition],
    condition_proves: &HashMap<usize, BTreeSet<String>>,
) -> ProvedFacts {
    let mut out = ProvedFacts::default();
    for (node, k, fact, _) in option_sets(nodes) {
        if let Some(&fi) = fact_ix.get(fact) {
            out.edges
                .entry((node, Edge::Option(k)))
                .or_default()
                .push(fi);
        }
    }
    for (node, k, c, advice) in rule_conditions {
        let Some(proved) = condition_proves.get(c) else {
            continue;
        };
        let ix: Vec<usize> = proved
            .iter()
            .filter_map(|f| fact_ix.get(f.as_str()).copied())
            .collect();
        for u in advice.clone() {
            out.uses.insert(u, ix.clone());
        }
        out.edges.insert((*node, Edge::Rule(*k)), ix);
    }
    out
}

/// The facts set before each node, with what is needed to explain a fact that is not.
pub(super) struct Assignment<'a> {
    pub(super) graph: &'a DiGraph<(), Edge>,
    pub(super) nodes: &'a [Node],
    pub(super) facts: &'a [String],
    pub(super) fact_ix: &'a HashMap<&'a str, usize>,
    pub(super) assigned_in: FactTable,
    pub(super) start: NodeIndex,
    /// Each computed fact's index -> the indexes of the facts it needs.
    pub(super) derived: &'a Derivations,
}

/// Computed facts in the order they can be worked out: (its index, the indexes it needs).
pub(super) type Derivations = Vec<(usize, Vec<usize>)>;

/// The computed facts as indexes, in their order.
pub(super) fn derivations(
    lets: &[super::lets::Derived],
    fact_ix: &HashMap<&str, usize>,
) -> Derivations {
    lets.iter()
        .filter_map(|d| {
            let ix = *fact_ix.get(d.name.as_str())?;
            let needs = d
                .needs
                .iter()
                .filter_map(|f| fact_ix.get(f.as_str()).copied())
                .collect();
            Some((ix, needs))
        })
        .collect()
}

/// Sets the bit of every computed fact whose needs are all set, in order.
fn close(bits: &mut [u64], derived: &Derivations) {
    for (ix, needs) in derived {
        if needs.iter().all(|n| bits[n / 64] & (1 << (n % 64)) != 0) {
            bits[ix / 64] |= 1 << (ix % 64);
        }
    }
}

impl Assignment<'_> {
    /// The fact node `i` sets when answered.
    pub(super) fn set_by(&self, i: usize) -> Option<usize> {
        self.nodes[i]
            .fact()
            .and_then(|f| self.fact_ix.get(f).copied())
    }

    /// True when `fi` is a computed fact whose needs `set` says are all set (through other
    /// computed facts).
    fn derived_from(&self, fi: usize, set: &dyn Fn(usize) -> bool) -> bool {
        self.derived
            .iter()
            .find(|(ix, _)| *ix == fi)
            .is_some_and(|(_, needs)| needs.iter().all(|&n| set(n) || self.derived_from(n, set)))
    }

    /// True when `fact` is set on every path to `node`.
    pub(super) fn is_set(&self, node: usize, fact: &str) -> bool {
        self.fact_ix
            .get(fact)
            .is_some_and(|&fi| self.assigned_in.contains(node, fi))
    }

    /// E017 for `what` at `pointer`, reading `fact` at `node`, with a path that does not set it.
    pub(super) fn report_unset(
        &self,
        diags: &mut Diagnostics,
        file: &SourceFile,
        (node, pointer): (usize, &str),
        fact: &str,
        what: &str,
    ) {
        let witness = match self.fact_ix.get(fact) {
            Some(&fi) => witness_path(
                self.graph,
                &self.assigned_in,
                &|i| self.set_by(i),
                self.start,
                node,
                fi,
            )
            .into_iter()
            .map(|ix| self.nodes[ix].id().to_string())
            .collect::<Vec<_>>()
            .join(" -> "),
            None => String::new(),
        };
        let computed = self.fact_ix.get(fact).and_then(|&fi| {
            self.derived
                .iter()
                .find(|(ix, _)| *ix == fi)
                .map(|(_, needs)| {
                    needs
                        .iter()
                        .map(|&n| format!("`{}`", self.facts[n]))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
        });
        let help = if let Some(needs) = computed {
            format!("`{fact}` is computed, and is set only where all it reads is set ({needs}); on the path {witness} one of them is not: ask it before this point on every path, or guard it: `{fact} is defined and ...`")
        } else if self.fact_ix.contains_key(fact) {
            format!("on the path {witness} nothing sets `{fact}`; ask it before this point on every path, or guard it: `{fact} is defined and ...`")
        } else {
            match nearest(fact, self.facts.iter().map(String::as_str)) {
                Some(n) => format!("no question in this tree sets `{fact}`; did you mean `{n}`?"),
                None => format!("no question in this tree sets `{fact}`"),
            }
        };
        // At the fact's name inside the condition or text, when the pointer names one.
        diags.push_near(
            file,
            Diagnostic::error(
                "E017",
                &file.path,
                pointer,
                format!("{what} reads `{fact}`, which is not set on every path to here"),
            )
            .with_help(help),
            Near::Name(fact),
        );
    }
}

/// Every fact a reachable condition or text reads is set on every path to it (E017).
pub(super) fn check_condition_reads(
    diags: &mut Diagnostics,
    file: &SourceFile,
    asg: &Assignment,
    reads: &Reads,
    reachable: &[bool],
) {
    for (node, pointer, facts) in reads {
        for fact in facts {
            if !asg.is_set(*node, fact) && reachable[*node] {
                asg.report_unset(
                    diags,
                    file,
                    (*node, pointer),
                    fact,
                    "this condition or text",
                );
            }
        }
    }
}

/// Every fact an advice item reads is set wherever it is added (E017): before the node, by the
/// node's own answer for advice added after answering, or by the guard of the rule adding it.
/// Reported inside the item's text that reads it, naming the node it is added at.
pub(super) fn check_advice_reads(
    diags: &mut Diagnostics,
    (file, tree): (&SourceFile, &TreeFile),
    asg: &Assignment,
    uses: &[AdviceUse],
    advice_reads: &BTreeMap<String, BTreeSet<String>>,
    use_facts: &HashMap<usize, Vec<usize>>,
) {
    for (n, u) in uses.iter().enumerate() {
        let Some(reads) = advice_reads.get(&u.id) else {
            continue;
        };
        let guarded = use_facts.get(&n);
        for fact in reads {
            let set_here = |fi: usize| {
                asg.assigned_in.contains(u.node, fi)
                    || (u.after_answer && asg.set_by(u.node) == Some(fi))
                    || guarded.is_some_and(|g| g.contains(&fi))
            };
            let ok = asg
                .fact_ix
                .get(fact.as_str())
                .is_some_and(|&fi| set_here(fi) || asg.derived_from(fi, &set_here));
            if !ok {
                let at = tree
                    .advice
                    .get(&u.id)
                    .and_then(|a| field_reading(a, fact))
                    .map(|field| format!("/advice/{}/{field}", escape_segment(&u.id)));
                let added = format!(
                    "advice `{}` (added at node `{}`, {})",
                    u.id,
                    asg.nodes[u.node].id(),
                    u.pointer
                );
                // A fact read only by the item's letter stays at the place it is added.
                let pointer = at.as_deref().unwrap_or(&u.pointer);
                asg.report_unset(diags, file, (u.node, pointer), fact, &added);
            }
        }
    }
}

/// The field of an advice item whose text names `fact` as a whole word: its title, body or due
/// date, in that order.
fn field_reading(a: &Advice, fact: &str) -> Option<&'static str> {
    let names = |text: &str| {
        text.match_indices(fact).any(|(at, _)| {
            let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
            !text[..at].ends_with(word) && !text[at + fact.len()..].starts_with(word)
        })
    };
    [
        ("title", Some(&a.title)),
        ("body", Some(&a.body)),
        ("due", a.due.as_ref()),
    ]
    .into_iter()
    .find_map(|(field, text)| text.filter(|t| names(t)).map(|_| field))
}

/// Every fact a choice option `sets` besides its own: (node, option, fact, value).
pub(super) fn option_sets(nodes: &[Node]) -> impl Iterator<Item = (usize, usize, &str, &str)> {
    nodes.iter().enumerate().flat_map(|(i, n)| {
        let options: &[crate::core::format::ChoiceOption] = match n {
            Node::Choice(c) => &c.options,
            _ => &[],
        };
        options.iter().enumerate().flat_map(move |(k, o)| {
            o.sets
                .iter()
                .map(move |(f, v)| (i, k, f.as_str(), v.as_str()))
        })
    })
}

/// For every node, a bit set of facts, stored in one flat buffer (one allocation, whatever the
/// size of the tree).
pub(super) struct FactTable {
    words: usize,
    bits: Vec<u64>,
}

impl FactTable {
    pub(super) fn contains(&self, node: usize, fact: usize) -> bool {
        self.bits[node * self.words + fact / 64] & (1 << (fact % 64)) != 0
    }
}

/// For each node, the facts set on every path from the start to it (before it runs): each
/// node's set is the intersection of what its predecessors pass on, in topological order.
/// Unreachable nodes get every fact (nothing to report there; E011 covers them).
pub(super) fn definitely_assigned(
    graph: &DiGraph<(), Edge>,
    nodes: &[Node],
    order: &[NodeIndex],
    start: NodeIndex,
    fact_ix: &HashMap<&str, usize>,
    edge_facts: &HashMap<(usize, Edge), Vec<usize>>,
    (given, derived): (&[usize], &Derivations),
) -> FactTable {
    let words = fact_ix.len().div_ceil(64).max(1);
    let count = graph.node_count();
    let mut bits = vec![u64::MAX; count * words];
    let mut reached = vec![false; count];
    reached[start.index()] = true;
    bits[start.index() * words..(start.index() + 1) * words].fill(0);
    // A module's inputs are set before its first node.
    for &fi in given {
        bits[start.index() * words + fi / 64] |= 1 << (fi % 64);
    }
    close(
        &mut bits[start.index() * words..(start.index() + 1) * words],
        derived,
    );
    let mut out = vec![0u64; words];
    for &node in order {
        let i = node.index();
        if !reached[i] {
            continue;
        }
        out.copy_from_slice(&bits[i * words..(i + 1) * words]);
        if let Some(fi) = nodes[i].fact().and_then(|f| fact_ix.get(f)) {
            out[fi / 64] |= 1 << (fi % 64);
        }
        close(&mut out, derived);
        for edge in graph.edges_directed(node, Direction::Outgoing) {
            let j = edge.target().index();
            let extra = edge_facts.get(&(i, *edge.weight()));
            let mut with_extra;
            let passed = match extra {
                Some(facts) => {
                    with_extra = out.clone();
                    for fi in facts {
                        with_extra[fi / 64] |= 1 << (fi % 64);
                    }
                    close(&mut with_extra, derived);
                    &with_extra
                }
                None => &out,
            };
            let slot = &mut bits[j * words..(j + 1) * words];
            if reached[j] {
                slot.iter_mut().zip(passed).for_each(|(a, b)| *a &= b);
            } else {
                slot.copy_from_slice(passed);
                reached[j] = true;
            }
        }
    }
    FactTable { words, bits }
}

/// A path from the start to `node` on which `fact` is never set, for the E017 hint.
fn witness_path(
    graph: &DiGraph<(), Edge>,
    assigned_in: &FactTable,
    set_by: &dyn Fn(usize) -> Option<usize>,
    start: NodeIndex,
    node: usize,
    fact: usize,
) -> Vec<usize> {
    let mut path = vec![node];
    let mut cur = NodeIndex::new(node);
    while cur != start && path.len() <= graph.node_count() {
        let pred = graph
            .neighbors_directed(cur, Direction::Incoming)
            .find(|p| !assigned_in.contains(p.index(), fact) && set_by(p.index()) != Some(fact));
        match pred {
            Some(p) => {
                path.push(p.index());
                cur = p;
            }
            None => break,
        }
    }
    path.reverse();
    path
}
