//! Paths: counting every structural path by dynamic programming, and walking concrete paths
//! (with option values and declared examples) to snapshot their summaries.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use petgraph::Direction;
use serde::Serialize;

use crate::core::calendar;
use crate::core::compile::{topological_order, Edge, Library};
use crate::core::format::Node;
use crate::core::session::{NodeKey, Position, Session};
use crate::core::summary::{self, Summary};

mod states;

/// Structural paths from a tree's start to its outcomes: each option edge counts as its own
/// path, a multi-select as one, and a sub-flow multiplies by the paths of the tree it runs.
/// Saturates at u128::MAX rather than overflowing.
pub fn count_paths(lib: &Library, root: &str) -> u128 {
    let mut memo: HashMap<String, u128> = HashMap::new();
    count_tree(lib, root, &mut memo, &mut BTreeSet::new())
}

fn count_tree(
    lib: &Library,
    id: &str,
    memo: &mut HashMap<String, u128>,
    active: &mut BTreeSet<String>,
) -> u128 {
    if let Some(&c) = memo.get(id) {
        return c;
    }
    let Some(flow) = lib.flow(id) else { return 0 };
    // Compiled libraries have no loops of trees; `active` keeps this true for any input.
    if !active.insert(id.to_string()) {
        return 0;
    }
    let Some(order) = topological_order(flow.graph()) else {
        return 0;
    };
    let mut count = vec![0u128; flow.graph().node_count()];
    for &n in order.iter().rev() {
        let node = flow.node(n);
        count[n.index()] = match node {
            Node::Outcome(_) => 1,
            Node::Flow(f) => {
                let inner = count_tree(lib, &f.tree, memo, active);
                let after = flow.target(n, Edge::Next).map_or(0, |t| count[t.index()]);
                inner.saturating_mul(after)
            }
            _ => flow
                .graph()
                .edges_directed(n, Direction::Outgoing)
                .map(|e| count[petgraph::visit::EdgeRef::target(&e).index()])
                .fold(0u128, u128::saturating_add),
        };
    }
    active.remove(id);
    let total = count[flow.start().index()];
    memo.insert(id.to_string(), total);
    total
}

/// One walked path.
#[derive(Debug, Clone, Serialize)]
pub struct WalkedPath {
    /// The tree whose walks this one is listed among, when the listing is in parts and that is
    /// not the tree listed itself (see `METHOD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Every node passed through, as `tree.node`.
    pub nodes: Vec<String>,
    /// The answers given, as `tree.node` -> canonical value.
    pub answers: BTreeMap<String, String>,
    /// The final node (an outcome), or why the walk stopped.
    pub outcome: String,
    pub summary: Summary,
    /// The start tree's computed facts (`let`) at the end of the walk: name, value (or "not
    /// set"). Shown in the `paths` story; the snapshots keep to what a person reads.
    #[serde(skip)]
    pub computed: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Enumeration {
    pub tree: String,
    pub count: usize,
    pub paths: Vec<WalkedPath>,
    /// True when the limit stopped the walk early.
    pub truncated: bool,
    /// The most distinct walks listed before the walk stops (`enumerate`'s `limit`).
    pub limit: usize,
    /// The distinct walks found before those whose steps another walk along the same nodes
    /// gives were left out: `count` is this less those. When `truncated`, this is `limit`.
    pub walked: usize,
    /// How the walk was bounded, in words.
    pub method: String,
    /// Each part listed, in order (one, the tree itself, for a tree that runs no other).
    pub parts: Vec<PartListed>,
    /// See `Listed::unshown`.
    pub unshown: Vec<String>,
    /// Every (question, answer) given on any finished walk, listed or not (for coverage).
    #[serde(skip)]
    pub answered: BTreeSet<(String, String)>,
    /// Every (node, next node) step taken on any finished walk (for coverage).
    #[serde(skip)]
    pub steps_taken: BTreeSet<(String, String)>,
    /// Every (branch, rule index or None for `otherwise`) taken on any finished walk.
    #[serde(skip)]
    pub arms_taken: BTreeSet<(String, Option<usize>)>,
}

pub const METHOD: &str = "Each option of a choice; for a multi-select, each option alone and all the non-exclusive \
options together; each declared example of a date, number or text question. A tree that runs other trees is listed \
in parts: first its own walks, then each tree it runs, in turn. A part tries every answer to its own questions; \
elsewhere only answers that can change whether the part runs or what it is handed, and the first answer otherwise. \
Answers no rule can tell apart are walked once. Within a part, walks that pass the same nodes of it and give the \
same steps from it are listed once, and a walk whose steps are all given by another walk along the same nodes is \
left out.";

/// How many walks one part of a listing found and listed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PartListed {
    pub tree: String,
    pub count: usize,
    pub walked: usize,
}

/// How a listing ended, without its paths (those went to the caller one at a time).
#[derive(Debug, Clone, Default)]
pub struct Listed {
    pub tree: String,
    /// The paths listed.
    pub count: usize,
    /// True when the limit stopped the walk early.
    pub truncated: bool,
    /// The most distinct walks listed before the walk stops (`walk`'s `limit`).
    pub limit: usize,
    /// The distinct walks found before those whose steps another walk along the same nodes
    /// gives were left out: `count` is this less those. When `truncated`, this is `limit`.
    pub walked: usize,
    /// How the walk was bounded, in words.
    pub method: String,
    /// Each part listed, in order.
    pub parts: Vec<PartListed>,
    /// For a listing in parts: the nodes and steps of the trees run that no listed walk of
    /// their part passes or shows, as `tree.node` and `tree.step`.
    pub unshown: Vec<String>,
    /// Every (question, answer) given on any finished walk, listed or not (for coverage).
    pub answered: BTreeSet<(String, String)>,
    /// Every (node, next node) step taken on any finished walk (for coverage).
    pub steps_taken: BTreeSet<(String, String)>,
    /// Every (branch, rule index or None for `otherwise`) taken on any finished walk.
    pub arms_taken: BTreeSet<(String, Option<usize>)>,
}

/// Walks every path of the root tree (bounded as METHOD says), up to `limit` paths, and
/// collects them.
pub fn enumerate(
    lib: &Library,
    root: &str,
    today: Date,
    limit: usize,
) -> Result<Enumeration, String> {
    let mut paths = Vec::new();
    let listed = walk(lib, root, today, limit, &mut |p| paths.push(p))?;
    Ok(Enumeration {
        tree: listed.tree,
        count: listed.count,
        paths,
        truncated: listed.truncated,
        limit: listed.limit,
        walked: listed.walked,
        method: listed.method,
        parts: listed.parts,
        unshown: listed.unshown,
        answered: listed.answered,
        steps_taken: listed.steps_taken,
        arms_taken: listed.arms_taken,
    })
}

/// One distinct walk of a part, kept small until it is listed: its answers, where it was
/// blocked if it was, and its route and steps in that part as numbers.
struct Found {
    /// The answers given, by question (replayed to build its summary once it is listed).
    answers: BTreeMap<NodeKey, String>,
    /// Where the walk stopped at a rule that could not be worked out, if it did.
    blocked: Option<(NodeKey, String)>,
    nodes: Vec<u32>,
    steps: Vec<u32>,
}

/// Numbers for node keys and step ids, so each distinct walk's route and steps are kept as a
/// few integers rather than strings.
#[derive(Default)]
struct Interner(HashMap<String, u32>);

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.0.get(s) {
            return i;
        }
        let i = u32::try_from(self.0.len()).unwrap_or(u32::MAX);
        self.0.insert(s.to_string(), i);
        i
    }
}

/// Walks every path of the root tree (bounded as METHOD says), up to `limit` distinct walks,
/// and hands each listed path to `emit`, a part at a time, as soon as that part is walked.
///
/// A walk whose steps are all given by another walk of the same part along the same nodes is
/// not listed (`contained`), and that can only be known once the part is walked, so a part's
/// paths are kept (each with its summary) until then.
pub fn walk(
    lib: &Library,
    root: &str,
    today: Date,
    limit: usize,
    emit: &mut dyn FnMut(WalkedPath),
) -> Result<Listed, String> {
    walk_merging(lib, root, today, limit, true, emit)
}

/// `walk`, choosing whether equivalent states and answers are walked once (`merge`, as `walk`
/// does) or every walk is walked (for the tests that show both list the same).
#[doc(hidden)]
pub fn walk_merging(
    lib: &Library,
    root: &str,
    today: Date,
    limit: usize,
    merge: bool,
    emit: &mut dyn FnMut(WalkedPath),
) -> Result<Listed, String> {
    let mut listed = Listed {
        tree: root.to_string(),
        limit,
        method: METHOD.to_string(),
        ..Listed::default()
    };
    let shared = states::Shared::new(lib);
    let parts = parts(lib, root);
    for (n, part) in parts.iter().enumerate() {
        let part = part.clone();
        let left = limit.saturating_sub(listed.walked);
        let found = find_part(lib, root, today, &shared, &part, (left, merge), &mut listed)?;
        let keep = contained(&found);
        let mut this = PartListed {
            tree: part.clone(),
            walked: found.len(),
            count: 0,
        };
        listed.walked += found.len();
        let mut passed = BTreeSet::new();
        for (f, keep) in found.into_iter().zip(keep) {
            if keep {
                let mut path = replay(lib, root, today, f)?;
                if part != root {
                    path.part = Some(part.clone());
                    passed.extend(path.nodes.iter().cloned());
                    passed.extend(path.summary.steps.iter().map(|s| s.id.clone()));
                }
                emit(path);
                this.count += 1;
            }
        }
        if part != root {
            listed.unshown.extend(unshown(lib, &part, &passed));
        }
        listed.count += this.count;
        listed.parts.push(this);
        if listed.truncated {
            break;
        }
        if listed.walked >= limit && n + 1 < parts.len() {
            listed.truncated = true;
            break;
        }
    }
    Ok(listed)
}

/// Every distinct walk of one part, up to `limit` (`bounds` is the limit and whether to merge).
/// For the tree the walk starts in: every walk. For a tree it runs: the first walk that runs it,
/// found with a key that keeps only what decides whether it runs, then every walk of the part
/// after that walk's answers and after each of them changed alone.
fn find_part(
    lib: &Library,
    root: &str,
    today: Date,
    shared: &states::Shared,
    part: &str,
    (limit, merge): (usize, bool),
    listed: &mut Listed,
) -> Result<Vec<Found>, String> {
    let mut walker = states::Part::new(lib, shared, root, part, false);
    let whole = Search {
        limit,
        merge,
        base: None,
    };
    if part == root {
        return find(lib, root, today, &whole, listed, &mut walker);
    }
    let mut reach = states::Part::new(lib, shared, root, part, true);
    let first = Search { limit: 1, ..whole };
    let Some(base) = find(lib, root, today, &first, &mut Listed::default(), &mut reach)?
        .into_iter()
        .next()
    else {
        // Nothing runs it: the part lists no walk.
        return Ok(Vec::new());
    };
    let search = Search {
        base: Some(&base.answers),
        ..whole
    };
    find(lib, root, today, &search, listed, &mut walker)
}

/// The nodes and steps of `tree` not in `passed`, as `tree.id`.
fn unshown(lib: &Library, tree: &str, passed: &BTreeSet<String>) -> Vec<String> {
    let Some(flow) = lib.flow(tree) else {
        return Vec::new();
    };
    let nodes = flow.tree().nodes.iter().map(|n| n.id().to_string());
    let steps = flow
        .tree()
        .advice
        .iter()
        .filter(|(_, a)| a.kind == crate::core::format::AdviceKind::Step)
        .map(|(id, _)| id.clone());
    nodes
        .chain(steps)
        .map(|id| format!("{tree}.{id}"))
        .filter(|k| !passed.contains(k))
        .collect()
}

/// The parts of a listing of `root`, in the order they are listed: `root` itself, then each tree
/// a walk from it can run, in the order their flow nodes come (see `METHOD`).
pub fn parts(lib: &Library, root: &str) -> Vec<String> {
    states::parts(lib, root)
}

/// One session still to walk, with what its walk so far is known by: the number of its route
/// as far as its parent had it (`Part::key`), and the state it was reached from.
struct Pending<'l> {
    session: Session<'l>,
    /// Set when an answer was refused because a rule after it could not be worked out: the
    /// walk ends there, and the session is the one before that answer.
    stopped: Option<Position>,
    route: (u32, usize),
    parent: usize,
    /// Whether an answer before the part may still differ from the base walk's.
    deviate: bool,
}

/// How one part is searched.
#[derive(Clone, Copy)]
struct Search<'b> {
    /// The most distinct walks to find.
    limit: usize,
    /// Whether equivalent states and answers are walked once.
    merge: bool,
    /// For a tree the walk starts in runs: the answers of the first walk that runs the part.
    /// Before the part, each walk gives these answers but at most one (`METHOD`).
    base: Option<&'b BTreeMap<NodeKey, String>>,
}

/// One state walked.
struct State {
    /// The state it was reached from.
    parent: usize,
    /// Whether any walk from it has ended (been recorded): a state found equivalent to it adds
    /// its own answers to the coverage only then.
    ended: bool,
    /// The (question, answer) pairs that an answer tried there stood for, added to the
    /// coverage then too.
    stood_for: Vec<(String, String)>,
}

/// The states walked.
#[derive(Default)]
struct Walked(Vec<State>);

impl Walked {
    /// Marks a state and those it was reached from as having a walk that ended.
    fn ended(&mut self, mut at: usize, listed: &mut Listed) {
        while let Some(state) = self.0.get_mut(at) {
            if state.ended {
                return;
            }
            state.ended = true;
            listed.answered.extend(std::mem::take(&mut state.stood_for));
            at = state.parent;
        }
    }
}

/// Walks one part: every distinct walk of it, up to `limit`, in the order found. With `merge`,
/// a state equivalent to one walked already (`states`) is not walked again, and of the answers
/// at a question only one of each kind the rest of the walk cannot tell apart is tried: their
/// walks would all repeat walks found from that one. The coverage sets still get their answers.
fn find(
    lib: &Library,
    root: &str,
    today: Date,
    search: &Search,
    listed: &mut Listed,
    part: &mut states::Part,
) -> Result<Vec<Found>, String> {
    let (limit, merge) = (search.limit, search.merge);
    let mut out = Vec::new();
    let mut names = Interner::default();
    let mut seen_routes: std::collections::HashSet<(Vec<u32>, Vec<u32>)> = Default::default();
    let mut seen_states: HashMap<Box<[u32]>, usize> = HashMap::new();
    let mut walked = Walked::default();
    let mut first = Session::new(lib, root, today)?;
    first.set_auto_continue(true);
    first.set_reasons(false);
    first.set_runs_only(Some(std::sync::Arc::new(part.needs())));
    let tree = part.tree().to_string();
    // Depth first over sessions: each answer moves a copy of the session on, so a walk costs
    // the length of its path, not a replay from the start at every question.
    let mut work: Vec<Pending> = vec![Pending {
        session: first,
        stopped: None,
        route: (0, 0),
        parent: usize::MAX,
        deviate: true,
    }];
    while let Some(Pending {
        session,
        stopped,
        mut route,
        parent,
        deviate,
    }) = work.pop()
    {
        let position = stopped.unwrap_or_else(|| session.position().clone());
        let settled = match &position {
            Position::Asking(_) => !part.in_play(&session),
            Position::Finished | Position::Blocked { .. } => true,
        };
        if !settled {
            let Position::Asking(key) = position else {
                continue;
            };
            let all = part.tries_all(&session);
            // A question only one answer is tried at leads to one state: nothing to merge.
            let here = if merge && all {
                let mut state = part.key(&session, &mut route).into_vec();
                state.push(u32::from(deviate));
                let state = state.into_boxed_slice();
                if let Some(&same) = seen_states.get(&state) {
                    if walked.0[same].ended {
                        record_coverage(&session, listed);
                        walked.ended(parent, listed);
                    }
                    continue;
                }
                walked.0.push(State {
                    parent,
                    ended: false,
                    stood_for: Vec::new(),
                });
                seen_states.insert(state, walked.0.len() - 1);
                walked.0.len() - 1
            } else {
                parent
            };
            let Some(options) = answers_to_try(lib, &key, all, today) else {
                continue;
            };
            let groups = if merge && all {
                part.groups(&session, &key, options)
            } else {
                options.into_iter().map(|o| vec![o]).collect()
            };
            let before = all && key.tree != tree;
            let groups = base_and_changes(groups, &key, before, search.base, deviate);
            let mut stand_ins = Vec::new();
            let next_sessions = try_groups(session, &key, groups, (route, here), &mut stand_ins)?;
            if let Some(state) = walked.0.get_mut(here) {
                state.stood_for.extend(stand_ins);
            }
            // Pushed in reverse so paths come out in the order the options are written.
            work.extend(next_sessions.into_iter().rev());
            continue;
        }
        // The part is behind this walk: what it did is settled. A walk that never passed it,
        // or stopped before it, is not one of its walks.
        let counts = match &position {
            Position::Blocked { at, .. } => at.tree == tree || part.ran(&session),
            _ => part.ran(&session),
        };
        if !counts {
            continue;
        }
        walked.ended(parent, listed);
        record_coverage(&session, listed);
        let trace = session.trace();
        for pair in trace.nodes.windows(2) {
            listed
                .steps_taken
                .insert((pair[0].to_string(), pair[1].to_string()));
        }
        let (nodes, steps) = identity(lib, &tree, &session, &mut names);
        if !seen_routes.insert((nodes.clone(), steps.clone())) {
            continue;
        }
        if out.len() >= limit {
            listed.truncated = true;
            break;
        }
        // A walk settled before its end (the part is behind it) is finished by its replay.
        let blocked = match position {
            Position::Blocked { at, message } => Some((at, message)),
            _ => None,
        };
        out.push(Found {
            answers: session.canonical_answers(),
            blocked,
            nodes,
            steps,
        });
    }
    Ok(out)
}

/// The groups of answers to try at a question, each with whether the walks after it may still
/// change an answer before the part: every group while they may, else only the base walk's.
/// Before the part (`before`) with a base walk, choosing any other group than the base walk's
/// is the walk's one change.
fn base_and_changes(
    groups: Vec<Vec<String>>,
    key: &NodeKey,
    before: bool,
    base: Option<&BTreeMap<NodeKey, String>>,
    deviate: bool,
) -> Vec<(Vec<String>, bool)> {
    let Some(base) = base.filter(|_| before) else {
        return groups.into_iter().map(|g| (g, deviate)).collect();
    };
    let given = base.get(key);
    let base_group = groups
        .iter()
        .position(|g| given.is_some_and(|v| g.contains(v)))
        .unwrap_or(0);
    groups
        .into_iter()
        .enumerate()
        .filter(|(i, _)| deviate || *i == base_group)
        .map(|(i, g)| (g, deviate && i == base_group))
        .collect()
}

/// Answers the first answer of each group the session takes (the others of the group are
/// `stand_ins`): one new session per group, the last made from `session` itself rather than a
/// copy. `at` is the route number and state the new sessions come from.
fn try_groups<'l>(
    session: Session<'l>,
    key: &NodeKey,
    groups: Vec<(Vec<String>, bool)>,
    at: ((u32, usize), usize),
    stand_ins: &mut Vec<(String, String)>,
) -> Result<Vec<Pending<'l>>, String> {
    let tries: usize = groups.iter().map(|(g, _)| g.len()).sum();
    let mut tried = 0;
    let mut session = Some(session);
    let mut out = Vec::new();
    for (group, deviate) in groups {
        let mut members = group.into_iter();
        for value in members.by_ref() {
            tried += 1;
            let mut next = match (tried == tries, &session) {
                (true, _) => session.take(),
                (false, Some(s)) => Some(s.clone()),
                (false, None) => None,
            }
            .ok_or("a walk lost its session")?;
            // A refused answer leaves the session as it was.
            let stopped = match next.answer(&value) {
                Ok(()) => None,
                // A rule that cannot be worked out is a path that ends there: report it.
                Err(e) if e.blocked => Some(Position::Blocked {
                    at: key.clone(),
                    message: e.message,
                }),
                // An example the earlier answers rule out (a reply dated before the
                // complaint) is not a path.
                Err(_) => continue,
            };
            out.push(Pending {
                session: next,
                stopped,
                route: at.0,
                parent: at.1,
                deviate,
            });
            break;
        }
        tried += members.len();
        stand_ins.extend(members.map(|v| (key.to_string(), v)));
    }
    Ok(out)
}

/// What a walk of a part is told apart by: the part's nodes it passes (not counting flow
/// nodes) and the part's steps its summary shows, as a set (a date can move a step up the
/// order without changing the story). Told apart by the step ids alone, so no summary is built.
fn identity(
    lib: &Library,
    tree: &str,
    session: &Session,
    names: &mut Interner,
) -> (Vec<u32>, Vec<u32>) {
    let nodes: Vec<u32> = session
        .trace()
        .nodes
        .iter()
        .filter(|k| k.tree == tree && !is_flow(lib, k))
        .map(|k| names.id(&k.to_string()))
        .collect();
    let prefix = format!("{tree}.");
    let mut steps: Vec<u32> = summary::step_ids(session)
        .iter()
        .filter(|s| s.starts_with(&prefix))
        .map(|s| names.id(s))
        .collect();
    steps.sort_unstable();
    steps.dedup();
    (nodes, steps)
}

fn is_flow(lib: &Library, key: &NodeKey) -> bool {
    lib.flow(&key.tree)
        .and_then(|f| f.node_by_id(&key.node))
        .is_some_and(|(_, n)| matches!(n, Node::Flow(_)))
}

/// Walks a session on to its end, each question answered with the first answer it takes.
fn finish<'l>(lib: &Library, today: Date, mut session: Session<'l>) -> (Session<'l>, Position) {
    loop {
        let Position::Asking(key) = session.position().clone() else {
            let p = session.position().clone();
            return (session, p);
        };
        let options = answers_to_try(lib, &key, false, today).unwrap_or_default();
        let mut moved = false;
        for value in options {
            let mut next = session.clone();
            match next.answer(&value) {
                Ok(()) => {
                    session = next;
                    moved = true;
                    break;
                }
                Err(e) if e.blocked => {
                    return (
                        session,
                        Position::Blocked {
                            at: key,
                            message: e.message,
                        },
                    )
                }
                Err(_) => {}
            }
        }
        if !moved {
            return (
                session,
                Position::Blocked {
                    at: key,
                    message: "no example answer is taken here".to_string(),
                },
            );
        }
    }
}

/// Adds a session's answers and branch arms so far to the coverage sets.
fn record_coverage(session: &Session, listed: &mut Listed) {
    for (k, v) in session.answers() {
        listed.answered.insert((k.to_string(), v.canonical()));
    }
    for (k, arm) in &session.trace().arms {
        listed.arms_taken.insert((k.to_string(), *arm));
    }
}

/// A found walk's session again, from its answers, as a listed path.
fn replay(lib: &Library, root: &str, today: Date, found: Found) -> Result<WalkedPath, String> {
    let mut session = Session::new(lib, root, today)?;
    session.set_auto_continue(true);
    let dropped = session.restore(found.answers);
    if !dropped.is_empty() {
        return Err(format!(
            "a walk of `{root}` gave answers its replay did not take: {}",
            dropped
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // The search passed over the trees that could not change the part: here they run, each
    // question answered with its first answer.
    let blocked = found.blocked;
    let (session, position) = match (&blocked, session.position()) {
        (None, Position::Asking(_)) => finish(lib, today, session),
        _ => {
            let p = session.position().clone();
            (session, p)
        }
    };
    let trace = session.trace();
    let outcome = match (&blocked, &position) {
        (Some((at, message)), _) | (None, Position::Blocked { at, message }) => {
            format!("blocked at {at}: {message}")
        }
        _ => trace
            .nodes
            .last()
            .map(ToString::to_string)
            .unwrap_or_default(),
    };
    Ok(WalkedPath {
        part: None,
        nodes: trace.nodes.iter().map(ToString::to_string).collect(),
        answers: session
            .answers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.canonical()))
            .collect(),
        outcome,
        summary: summary::build(&session),
        computed: lib
            .flow(root)
            .map(|f| {
                f.lets()
                    .iter()
                    .map(|d| {
                        let value = trace.facts.get(&d.name).map_or_else(
                            || "not set".to_string(),
                            // As the expression language writes them: `true`, not `True`.
                            |v| match v.kind() {
                                minijinja::value::ValueKind::Bool => v.is_true().to_string(),
                                _ => v.to_string(),
                            },
                        );
                        (d.name.clone(), value)
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// The nodes and branch arms that some walk with the declared answers (as `enumerate` chooses
/// them) reaches.
#[derive(Debug, Clone, Default)]
pub struct Reached {
    /// Every node passed, as `tree.node`.
    pub nodes: BTreeSet<String>,
    /// Every (branch, rule index or None for `otherwise`) taken.
    pub arms: BTreeSet<(String, Option<usize>)>,
}

/// Like `enumerate`, but only for which nodes and arms are reached, and without listing each
/// walk: a question reached again with the same facts that can still change the route (the
/// facts later conditions, `not_before` and sub-flows read) leads to the same arms, so it is
/// walked once. That is what keeps `check` fast on trees whose multi-selects and date examples
/// multiply into thousands of walks. None when more than `limit` such states would be walked.
pub(crate) fn reached(
    lib: &Library,
    root: &str,
    today: Date,
    limit: usize,
) -> Result<Option<Reached>, String> {
    let mut first = Session::new(lib, root, today)?;
    first.set_auto_continue(true);
    let mut live_by_tree: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    let mut live = |tree: &str, node: petgraph::graph::NodeIndex| -> Vec<String> {
        let table = live_by_tree.entry(tree.to_string()).or_insert_with(|| {
            lib.flow(tree)
                .map(|f| live_facts(lib, f))
                .unwrap_or_default()
        });
        table.get(node.index()).cloned().unwrap_or_default()
    };
    let mut out = Reached::default();
    let mut seen: std::collections::HashSet<crate::core::session::RouteKey> = Default::default();
    // Each session with how much of its trace its parent already recorded.
    let mut work: Vec<(Session, usize, usize)> = vec![(first, 0, 0)];
    while let Some((session, nodes_done, arms_done)) = work.pop() {
        let trace = session.trace();
        for k in trace.nodes.iter().skip(nodes_done) {
            out.nodes.insert(k.to_string());
        }
        for (k, arm) in trace.arms.iter().skip(arms_done) {
            out.arms.insert((k.to_string(), *arm));
        }
        let Position::Asking(key) = session.position().clone() else {
            continue;
        };
        if !seen.insert(session.route_key(&mut live)) {
            continue;
        }
        if seen.len() > limit {
            return Ok(None);
        }
        let Some(options) = answers_to_try(lib, &key, key.tree == root, today) else {
            continue;
        };
        let done = (trace.nodes.len(), trace.arms.len());
        for value in options {
            let mut next = session.clone();
            // A refused answer is not a walk; one that stops at a rule that cannot be worked
            // out reaches nothing new (its path so far is recorded already).
            if next.answer(&value).is_ok() {
                work.push((next, done.0, done.1));
            }
        }
    }
    Ok(Some(out))
}

/// For each node of a tree, the facts that can still change the route from it: those read by
/// the conditions of branches after it, by `not_before`, and handed to sub-flows (with
/// `nation`, which decides whether a sub-flow runs).
fn live_facts(lib: &Library, flow: &crate::core::compile::Flow) -> Vec<Vec<String>> {
    let n = flow.graph().node_count();
    let mut live: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
    let Some(order) = topological_order(flow.graph()) else {
        return Vec::new();
    };
    for &ix in order.iter().rev() {
        let mut set = BTreeSet::new();
        for succ in flow.graph().neighbors_directed(ix, Direction::Outgoing) {
            set.extend(live[succ.index()].iter().cloned());
        }
        match flow.node(ix) {
            Node::Branch(b) => {
                for r in &b.rules {
                    let reads = lib.expr().check_expression(&r.when).unwrap_or_default();
                    // A computed fact not worked out yet depends on the facts it rests on.
                    set.extend(flow.resting_on(&reads));
                    set.extend(reads);
                }
            }
            Node::Date(d) => set.extend(d.not_before.iter().cloned()),
            Node::Flow(f) => {
                let shared: BTreeSet<String> = flow
                    .tree()
                    .shared_by(f)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                set.extend(flow.resting_on(&shared));
                set.extend(shared);
                set.insert(crate::core::compile::NATION_FACT.to_string());
            }
            _ => {}
        }
        live[ix.index()] = set;
    }
    live.into_iter().map(|s| s.into_iter().collect()).collect()
}

/// Which walks are listed: a walk is left out when another walk passes the same nodes and
/// gives every step it gives and more (ticking one option alone, when ticking them all shows
/// the same route and all the steps): the snapshots still show every route and every step,
/// without near-copies.
fn contained(walks: &[Found]) -> Vec<bool> {
    let mut by_route: HashMap<&Vec<u32>, Vec<usize>> = HashMap::new();
    for (i, w) in walks.iter().enumerate() {
        by_route.entry(&w.nodes).or_default().push(i);
    }
    // Both sorted and without repeats, so "a subset of b" is a merge.
    let subset = |a: &[u32], b: &[u32]| {
        let mut b = b.iter();
        a.iter().all(|x| b.by_ref().any(|y| y == x))
    };
    let mut keep = vec![true; walks.len()];
    for group in by_route.values() {
        for &a in group {
            let sa = &walks[a].steps;
            if group.iter().any(|&b| {
                let sb = &walks[b].steps;
                b != a && sa.len() < sb.len() && subset(sa, sb)
            }) {
                keep[a] = false;
            }
        }
    }
    keep
}

/// The answers a walk tries at the question `key`: every candidate when `all` (in the part
/// whose walks are listed, or where the part can still run), else the first only (the part of
/// that tree covers the rest).
fn answers_to_try(lib: &Library, key: &NodeKey, all: bool, today: Date) -> Option<Vec<String>> {
    let node = lib
        .flow(&key.tree)
        .and_then(|f| f.node_by_id(&key.node))
        .map(|(_, n)| n)?;
    let mut options = candidates(node, today, lib);
    if !all {
        options.truncate(1);
    }
    Some(options)
}

/// The answers to try at a question.
fn candidates(node: &Node, today: Date, lib: &Library) -> Vec<String> {
    match node {
        Node::Choice(c) => c.options.iter().map(|o| o.value.clone()).collect(),
        Node::Multi(m) => {
            let mut v: Vec<String> = m.options.iter().map(|o| o.value.clone()).collect();
            let together: Vec<&str> = m
                .options
                .iter()
                .filter(|o| !o.exclusive)
                .map(|o| o.value.as_str())
                .collect();
            if together.len() > 1 {
                v.push(together.join(","));
            }
            v
        }
        // Every date question also takes "I don't know", so every walk tries it too.
        Node::Date(d) => d
            .examples
            .iter()
            .filter_map(|e| calendar::resolve_example(e, today, lib.calendar()).ok())
            .map(|d| d.to_string())
            .chain(std::iter::once(
                crate::core::session::UNKNOWN_DATE.to_string(),
            ))
            .collect(),
        Node::Number(n) => n.examples.iter().map(|e| e.to_string()).collect(),
        Node::Text(t) => t.examples.clone(),
        Node::Info(_) => vec!["ok".into()],
        Node::Branch(_) | Node::Advise(_) | Node::Outcome(_) | Node::Flow(_) => Vec::new(),
    }
}
