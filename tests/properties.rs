//! Property tests: random well-formed trees compile, and random walks through them always end at
//! an outcome with a summary.

use crate::common;

use proptest::prelude::*;
use serde_json::json;
use signpost::compile::{compile, Inputs, SourceFile};
use signpost::session::{Position, Session};

fn shared(name: &str) -> SourceFile {
    let path = common::root().join("tests/fixtures/valid").join(name);
    SourceFile {
        path: name.into(),
        text: std::fs::read_to_string(path).expect("fixture"),
    }
}

fn inputs(tree: String) -> Inputs {
    Inputs {
        trees: vec![SourceFile {
            path: "random.json".into(),
            text: tree,
        }],
        contacts: shared("contacts.json"),
        glossary: shared("glossary.json"),
        holidays: shared("bank-holidays.json"),
        audiences: signpost::files::embedded().audiences,
        letters: vec![],
        questions: None,
        local: Default::default(),
        pack: None,
        extended: None,
        extends_error: None,
        under: Vec::new(),
    }
}

/// A random DAG: node i only points forward, the last node is an outcome, and every node is
/// reachable because node i+1 is always one of node i's targets.
fn random_tree() -> impl Strategy<Value = (String, usize)> {
    (2usize..40).prop_flat_map(|n| {
        let kinds = proptest::collection::vec(0u8..5, n);
        let targets = proptest::collection::vec(proptest::collection::vec(any::<prop::sample::Index>(), 1..4), n);
        (Just(n), kinds, targets)
    })
    .prop_map(|(n, kinds, targets)| {
        let mut nodes = Vec::new();
        for i in 0..n {
            let id = format!("n{i}");
            if i == n - 1 {
                nodes.push(json!({"id": id, "type": "outcome", "advice": ["a"]}));
                continue;
            }
            let mut outs: Vec<String> = vec![format!("n{}", i + 1)];
            for t in &targets[i] {
                outs.push(format!("n{}", i + 1 + t.index(n - i - 1)));
            }
            let node = match kinds[i] {
                0 => json!({"id": id, "type": "choice", "question": "Pick one", "options":
                    outs.iter().enumerate().map(|(k, o)| json!({"label": format!("Option {k}"), "value": format!("v{k}"), "next": o})).collect::<Vec<_>>()}),
                1 => json!({"id": id, "type": "date", "question": "When?", "examples": ["-3wd", "-20wd"], "next": outs[0]}),
                2 => json!({"id": id, "type": "branch", "rules": [{"when": "today > '2025-01-01'", "next": outs[outs.len() - 1]}], "otherwise": outs[0]}),
                3 => json!({"id": id, "type": "info", "title": "Read this", "body": "Today is {{ today | long_date }}.", "next": outs[0]}),
                _ => json!({"id": id, "type": "multi", "question": "Tick", "options": [{"label": "A", "value": "a"}, {"label": "None", "value": "none", "exclusive": true}], "next": outs[0]}),
            };
            nodes.push(node);
        }
        let tree = json!({
            "format": 1, "id": "random", "title": "Random", "jurisdictions": ["any"], "reviewed": "2026-11-20",
            "start": "n0", "nodes": nodes,
            "advice": {"a": {"for": ["everyone"], "title": "A step", "body": "Do it.", "sources": ["s"]}},
            "sources": {"s": {"title": "S", "url": "https://example.org", "checked": "2026-11-20"}}
        });
        (tree.to_string(), n)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_well_formed_trees_compile((tree, n) in random_tree()) {
        let c = compile(&inputs(tree));
        prop_assert!(c.library.is_some(), "{}", signpost::report::human(&c.diagnostics));
        let lib = c.library.unwrap();
        prop_assert_eq!(lib.flow("random").unwrap().tree().nodes.len(), n);
        prop_assert!(signpost::paths::count_paths(&lib, "random") >= 1);
    }

    #[test]
    fn random_walks_end_at_an_outcome((tree, _n) in random_tree(), picks in proptest::collection::vec(any::<prop::sample::Index>(), 60)) {
        let lib = compile(&inputs(tree)).library.expect("compiles");
        let mut s = Session::new(&lib, "random", common::today()).unwrap();
        let mut steps = 0;
        while let Position::Asking(_) = s.position() {
            let (_, node) = s.current().unwrap();
            let answer = match node {
                signpost::format::Node::Choice(c) => c.options[picks[steps % picks.len()].index(c.options.len())].value.clone(),
                signpost::format::Node::Multi(_) => if picks[steps % picks.len()].index(2) == 0 { "a".into() } else { "none".into() },
                signpost::format::Node::Date(_) => "2025-01-15".into(),
                _ => "ok".into(),
            };
            s.answer(&answer).unwrap();
            steps += 1;
            prop_assert!(steps < 100);
        }
        prop_assert_eq!(s.position(), &Position::Finished);
        // Answering moves on without replaying; a replay of the same answers from the start
        // must reach exactly the same path, advice and summary (docs/architecture.md, 4).
        let mut replayed = Session::new(&lib, "random", common::today()).unwrap();
        prop_assert!(replayed.restore(s.canonical_answers()).is_empty());
        prop_assert_eq!(replayed.position(), s.position());
        prop_assert_eq!(&replayed.trace().nodes, &s.trace().nodes);
        prop_assert_eq!(&replayed.trace().answered, &s.trace().answered);
        prop_assert_eq!(
            signpost::render::json(&signpost::summary::build(&replayed)),
            signpost::render::json(&signpost::summary::build(&s))
        );
        let last = s.trace().nodes.last().unwrap().node.clone();
        prop_assert_eq!(&last, &format!("n{}", _n - 1));
        prop_assert_eq!(signpost::summary::build(&s).steps.len(), 1);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_compiler(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes).to_string();
        let c = compile(&inputs(text));
        prop_assert!(c.library.is_none() || c.diagnostics.iter().all(|d| !d.is_error()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// fmt is idempotent and changes nothing a tree says: the formatted tree compiles to the
    /// same graph with the same paths.
    #[test]
    fn fmt_is_idempotent_and_keeps_the_flow((tree, _n) in random_tree()) {
        let once = signpost::scaffold::format_file("random.json", &tree).unwrap();
        let twice = signpost::scaffold::format_file("random.json", &once).unwrap();
        prop_assert_eq!(&once, &twice);
        let a = compile(&inputs(tree)).library.expect("compiles");
        let b = compile(&inputs(once)).library.expect("formatted compiles");
        prop_assert_eq!(signpost::paths::count_paths(&a, "random"), signpost::paths::count_paths(&b, "random"));
        let fa = a.flow("random").unwrap();
        let fb = b.flow("random").unwrap();
        prop_assert_eq!(fa.graph().edge_count(), fb.graph().edge_count());
        prop_assert_eq!(serde_json::to_value(fa.tree()).unwrap(), serde_json::to_value(fb.tree()).unwrap());
    }
}

// ---------------------------------------------------------------------------------------------
// Working days (issue 19): the calendar against a reference written another way.
// ---------------------------------------------------------------------------------------------

mod working_days {
    use super::*;
    use jiff::civil::{Date, Weekday};
    use jiff::ToSpan;
    use signpost::calendar::Calendar;
    use std::collections::BTreeSet;
    use std::sync::{Arc, OnceLock};

    /// The shipped calendar (trees/bank-holidays.json).
    fn calendar() -> Arc<Calendar> {
        static LIB: OnceLock<signpost::compile::Library> = OnceLock::new();
        LIB.get_or_init(|| {
            compile(&signpost::files::embedded())
                .library
                .expect("the shipped trees compile")
        })
        .calendar()
        .clone()
    }

    /// Easter Sunday by Gauss's method (not the algorithm the calendar uses).
    fn gauss_easter(y: i32) -> Date {
        let (a, b, c, k) = (y % 19, y % 4, y % 7, y / 100);
        let p = (13 + 8 * k) / 25;
        let q = k / 4;
        let m = (15 - p + k - q) % 30;
        let n = (4 + k - q) % 7;
        let d = (19 * a + m) % 30;
        let e = (2 * b + 4 * c + 6 * d + n) % 7;
        let march22 = Date::new(y as i16, 3, 22).unwrap();
        if d == 29 && e == 6 {
            return Date::new(y as i16, 4, 19).unwrap();
        }
        if d == 28 && e == 6 && (11 * m + 11) % 30 < 19 {
            return Date::new(y as i16, 4, 18).unwrap();
        }
        march22.checked_add(((d + e) as i64).days()).unwrap()
    }

    /// The one-off changes, from the shipped file itself: (added, removed).
    fn one_offs() -> (BTreeSet<Date>, BTreeSet<Date>) {
        let file: serde_json::Value =
            serde_json::from_str(&signpost::files::embedded().holidays.text).unwrap();
        let mut added = BTreeSet::new();
        let mut removed = BTreeSet::new();
        for change in file["one_off"].as_object().unwrap().values() {
            for (field, set) in [("add", &mut added), ("remove", &mut removed)] {
                for d in change[field].as_array().into_iter().flatten() {
                    set.insert(d.as_str().unwrap().parse::<Date>().unwrap());
                }
            }
        }
        (added, removed)
    }

    /// Whether a day is an England and Wales bank holiday, asked of the day itself: the
    /// rules as a person would state them, day by day.
    fn is_holiday(d: Date, one_offs: &(BTreeSet<Date>, BTreeSet<Date>)) -> bool {
        if one_offs.0.contains(&d) {
            return true;
        }
        if one_offs.1.contains(&d) {
            return false;
        }
        let (m, day, wd) = (d.month(), d.day(), d.weekday());
        let weekday = !matches!(wd, Weekday::Saturday | Weekday::Sunday);
        let easter = gauss_easter(d.year() as i32);
        match (m, day) {
            (1, 1) => weekday,
            (1, 2) | (1, 3) => wd == Weekday::Monday,
            (5, 1..=7) => wd == Weekday::Monday,
            (5, 25..=31) | (8, 25..=31) => wd == Weekday::Monday,
            (12, 25) | (12, 26) => weekday,
            (12, 27) | (12, 28) => matches!(wd, Weekday::Monday | Weekday::Tuesday),
            _ => {
                d == easter.checked_sub(2.days()).unwrap()
                    || d == easter.checked_add(1.days()).unwrap()
            }
        }
    }

    fn is_working_day(d: Date, one_offs: &(BTreeSet<Date>, BTreeSet<Date>)) -> bool {
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_holiday(d, one_offs)
    }

    /// Every day from 1990 to 2100: a working day for the calendar exactly when it is one for
    /// the reference, so the published years (2018-2028) and the years worked out from the
    /// rules agree with each other and with the rules as stated.
    #[test]
    fn every_day_from_1990_to_2100_matches_the_reference() {
        let cal = calendar();
        let offs = one_offs();
        let mut day = Date::new(1990, 1, 1).unwrap();
        let mut holidays = 0;
        while day.year() <= 2100 {
            let next = day.checked_add(1.days()).unwrap();
            let counted = cal.working_days(day, next).expect("1990-2100 is covered");
            assert_eq!(counted == 1, is_working_day(next, &offs), "{next}");
            holidays += is_holiday(next, &offs) as usize;
            day = next;
        }
        // Eight a year, less the odd day moved, plus the one-off days.
        assert!((111 * 8..=111 * 8 + 12).contains(&holidays), "{holidays}");
    }

    #[test]
    fn easter_agrees_with_published_dates() {
        for (y, m, d) in [
            (2000, 4, 23),
            (2008, 3, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2038, 4, 25),
            (2285, 3, 22),
        ] {
            let want = Date::new(y, m, d).unwrap();
            assert_eq!(signpost::calendar::easter_sunday(y), want);
            assert_eq!(gauss_easter(y as i32), want);
        }
    }

    /// Before 1978 (the bank-holiday rules were different) and after 2200 the calendar says it
    /// cannot count, rather than guessing.
    #[test]
    fn outside_1978_to_2200_it_says_it_cannot_count() {
        let cal = calendar();
        let d = |y, m, dd| Date::new(y, m, dd).unwrap();
        assert!(cal.working_days(d(1977, 6, 1), d(1977, 7, 1)).is_err());
        assert!(cal.add_working_days(d(2201, 1, 5), 10).is_err());
        assert!(cal.working_days(d(1978, 1, 1), d(2200, 12, 1)).is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any two dates from 1990 to 2100: the working days between them, the date n working
        /// days on, and a rule written as a tree would write it ("is the reply late?") give the
        /// reference's answer; none of them gives "unknown".
        #[test]
        fn working_days_match_the_reference(start in 0i64..40_000, span in -400i64..400, n in 1i64..40) {
            let cal = calendar();
            let offs = one_offs();
            let a = Date::new(1990, 1, 1).unwrap().checked_add(start.days()).unwrap();
            let b = a.checked_add(span.days()).unwrap();
            prop_assume!(b.year() >= 1990 && b.year() <= 2100);
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let mut want = 0i64;
            let mut d = lo;
            while d < hi {
                d = d.checked_add(1.days()).unwrap();
                want += is_working_day(d, &offs) as i64;
            }
            let want = if a <= b { want } else { -want };
            prop_assert_eq!(cal.working_days(a, b).unwrap(), want);

            let mut d = a;
            let mut left = n;
            while left > 0 {
                d = d.checked_add(1.days()).unwrap();
                left -= is_working_day(d, &offs) as i64;
            }
            prop_assert_eq!(cal.add_working_days(a, n).unwrap(), d);

            let expr = signpost::expr::Expr::new(cal.clone());
            let mut facts = signpost::expr::Facts::new();
            facts.insert("sent_on".into(), minijinja::Value::from(a.to_string()));
            facts.insert("today".into(), minijinja::Value::from(b.to_string()));
            let late = expr
                .eval_condition("working_days(sent_on, today) > 20", &facts)
                .unwrap();
            prop_assert_eq!(late, want > 20);
            let due = expr
                .render("{{ sent_on | add_working_days(20) }}", &facts)
                .unwrap();
            prop_assert!(due.parse::<Date>().is_ok(), "{}", due);
        }
    }
}

/// One piece of a generated condition, and whether it must be in brackets after `not`.
fn atom() -> impl Strategy<Value = (String, bool)> {
    prop::sample::select(vec![
        ("pick == 'a'", false),
        ("pick != 'b'", false),
        ("pick is defined", false),
        ("pick is undefined", false),
        ("pick", false),
        ("'x' in ticks", false),
        ("'y' not in ticks", false),
        ("ticks", false),
        ("when", false),
        ("when is none", false),
        ("when and working_days(when, today) > 5", true),
        ("when and when < today", true),
        ("n > 2", false),
        ("n in [1, 2]", false),
        ("pick is defined and pick == 'a'", true),
        ("pick is undefined or pick == 'b'", true),
    ])
    .prop_map(|(s, p)| (s.to_string(), p))
}

/// Conditions made of atoms with `and`, `or` and `not`.
fn condition() -> impl Strategy<Value = (String, bool)> {
    atom().prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| (format!("{} and {}", a.0, b.0), true)),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| (format!("{} or {}", a.0, b.0), true)),
            inner.prop_map(|a| (format!("not ({})", a.0), false)),
        ]
    })
}

fn bracket((s, needs): &(String, bool)) -> String {
    if *needs {
        format!("({s})")
    } else {
        s.clone()
    }
}

/// A tree asking `pick` (on every path, or only on one), `ticks`, `when` (which may be "I
/// don't know") and `n`, then taking a branch on `condition`, written in the rule itself or
/// (with `computed`) as a computed fact the rule reads.
fn de_morgan_tree(condition: &str, always_pick: bool, computed: bool) -> String {
    let no_next = if always_pick { "pick" } else { "ticks" };
    let rule = if computed { "c" } else { condition };
    let lets = if computed {
        json!({"c": condition})
    } else {
        json!({})
    };
    json!({
        "format": 1, "id": "random", "title": "Random", "jurisdictions": ["any"], "reviewed": "2026-11-20",
        "start": "maybe", "let": lets,
        "nodes": [
            {"id": "maybe", "type": "choice", "question": "Ask?", "options": [
                {"label": "Yes", "value": "yes", "next": "pick"},
                {"label": "No", "value": "no", "next": no_next}]},
            {"id": "pick", "type": "choice", "question": "Pick", "options": [
                {"label": "A", "value": "a", "next": "ticks"},
                {"label": "B", "value": "b", "next": "ticks"}]},
            {"id": "ticks", "type": "multi", "question": "Tick", "options": [
                {"label": "X", "value": "x"}, {"label": "Y", "value": "y"},
                {"label": "None", "value": "none", "exclusive": true}], "next": "when"},
            {"id": "when", "type": "date", "question": "When?", "examples": ["-3wd", "-20wd"], "next": "n"},
            {"id": "n", "type": "number", "question": "How many?", "examples": [1], "next": "test"},
            {"id": "test", "type": "branch", "rules": [{"when": rule, "next": "yes"}], "otherwise": "no"},
            {"id": "yes", "type": "outcome", "advice": ["a"]},
            {"id": "no", "type": "outcome", "advice": ["a"]}
        ],
        "advice": {"a": {"for": ["everyone"], "title": "A step", "body": "Do it.", "sources": ["s"]}},
        "sources": {"s": {"title": "S", "url": "https://example.org", "checked": "2026-11-20"}}
    })
    .to_string()
}

/// Where a walk with these answers (by question id) ends: the outcome, or how it stopped.
fn ends_at(lib: &signpost::compile::Library, answers: &[(&str, String)]) -> String {
    let mut s = Session::new(lib, "random", common::today()).unwrap();
    while let Position::Asking(key) = s.position().clone() {
        let (_, answer) = answers.iter().find(|(id, _)| *id == key.node).unwrap();
        if let Err(e) = s.answer(answer) {
            return format!("refused: {e}");
        }
    }
    match s.position() {
        Position::Finished => s.trace().nodes.last().unwrap().node.clone(),
        other => format!("{other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// `not (a and b)` and `not a or not b` are the same condition everywhere: the same
    /// diagnostics (parsing, unknown names, comparisons, "I don't know" dates, definite
    /// assignment), in a rule or a computed fact, and, when they compile, the same route for
    /// every answer (an unset fact, a tick-all-that-apply, a date not known included).
    #[test]
    fn not_of_and_is_not_or_not(
        a in condition(), b in condition(), always_pick in any::<bool>(), computed in any::<bool>(),
        maybe in any::<bool>(), pick in any::<bool>(), ticks in 0usize..4, known in any::<bool>(),
        days in 0i64..30, n in 0i64..4,
    ) {
        let together = format!("not ({} and {})", bracket(&a), bracket(&b));
        let apart = format!("not {} or not {}", bracket(&a), bracket(&b));
        let both = [together.as_str(), apart.as_str()].map(|c| compile(&inputs(de_morgan_tree(c, always_pick, computed))));
        let codes = |c: &signpost::compile::Compiled| {
            let mut v: Vec<(String, String)> = c.diagnostics.iter().map(|d| (d.code.to_string(), d.pointer.clone())).collect();
            v.sort();
            v
        };
        prop_assert_eq!(codes(&both[0]), codes(&both[1]), "{} / {}", together, apart);
        let (Some(l0), Some(l1)) = (&both[0].library, &both[1].library) else {
            return Ok(());
        };
        let date = common::today().checked_sub(jiff::Span::new().days(days)).unwrap();
        let answers = [
            ("maybe", if maybe { "yes" } else { "no" }.to_string()),
            ("pick", if pick { "a" } else { "b" }.to_string()),
            ("ticks", ["x", "y", "x,y", "none"][ticks].to_string()),
            ("when", if known { date.to_string() } else { "unknown".to_string() }),
            ("n", n.to_string()),
        ];
        prop_assert_eq!(ends_at(l0, &answers), ends_at(l1, &answers), "{} / {}", together, apart);
    }
}

/// The case the property found: a date read only as true or false inside `not (...)` is a check,
/// however the `not` is written (E029 was given to one form only).
#[test]
fn a_date_tested_inside_not_of_and_is_not_e029() {
    for c in [
        "not (pick == 'a' and (when or pick == 'a'))",
        "not pick == 'a' or not (when or pick == 'a')",
    ] {
        let compiled = compile(&inputs(de_morgan_tree(c, true, false)));
        assert!(
            compiled.library.is_some(),
            "{c}: {:?}",
            compiled.diagnostics
        );
    }
    // A date used as a value without a check is still E029, in either form.
    for c in [
        "not (pick == 'a' and when < today)",
        "not pick == 'a' or not when < today",
    ] {
        let compiled = compile(&inputs(de_morgan_tree(c, true, false)));
        assert!(compiled.diagnostics.iter().any(|d| d.code == "E029"), "{c}");
    }
}

/// What a condition's pieces (`expr::atoms`) see of some facts: each piece's truth (or error), a
/// fact seen whole as its value, "-" for a fact not set. The path listing keys a walk on this.
fn pieces_seen(
    lib: &signpost::compile::Library,
    atoms: &[signpost::expr::Atom],
    facts: &signpost::expr::Facts,
) -> Vec<String> {
    use signpost::expr::Atom;
    atoms
        .iter()
        .map(|a| match a {
            Atom::Whole(f) => facts.get(f).map_or("-".into(), |v| format!("={v:?}")),
            Atom::Test { fact, src } => match facts.get(fact) {
                None => "-".into(),
                Some(v) => {
                    let mut alone = signpost::expr::Facts::new();
                    alone.insert(fact.clone(), v.clone());
                    alone.insert("today".into(), facts["today"].clone());
                    format!("{:?}", lib.expr().eval_condition(src, &alone).ok())
                }
            },
        })
        .collect()
}

/// Every condition of the shipped trees and audiences that the path listing splits into pieces:
/// any two sets of facts whose pieces see the same give the same result. So two walks keyed the
/// same take the same way at every rule (the key is `paths::states`'s), which is what lets the
/// listing walk one of them. Facts take the values their questions can give (each option, each
/// option of a tick-all-that-apply alone and all of them, dates either side of today) or are
/// not set.
#[test]
fn a_conditions_pieces_decide_it() {
    use minijinja::Value;
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    let lib = common::embedded();
    let mut values: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for flow in lib.flows().values() {
        for node in &flow.tree().nodes {
            let Some(fact) = node.fact() else { continue };
            let slot = values.entry(fact.to_string()).or_default();
            let options: Vec<String> = node
                .option_labels()
                .iter()
                .map(|(_, v)| v.to_string())
                .collect();
            match node {
                signpost::format::Node::Multi(_) => {
                    slot.extend(options.iter().map(|o| Value::from(vec![o.clone()])));
                    slot.push(Value::from(options.clone()));
                }
                signpost::format::Node::Date(_) => {
                    slot.extend(["2024-06-03", "2025-02-20", "2025-03-10"].map(Value::from))
                }
                signpost::format::Node::Number(_) => slot.extend([0, 3, 30].map(Value::from)),
                _ => slot.extend(options.into_iter().map(Value::from)),
            }
        }
    }
    let mut conditions: BTreeSet<String> =
        lib.audiences().values().map(|a| a.when.clone()).collect();
    for flow in lib.flows().values() {
        for node in &flow.tree().nodes {
            match node {
                signpost::format::Node::Branch(b) => {
                    conditions.extend(b.rules.iter().map(|r| r.when.clone()))
                }
                signpost::format::Node::Advise(a) => {
                    conditions.extend(a.rules.iter().map(|r| r.when.clone()))
                }
                _ => {}
            }
        }
    }
    let mut split = 0;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for when in &conditions {
        let atoms = signpost::expr::atoms(when).unwrap();
        if atoms.len() < 2 {
            continue;
        }
        split += 1;
        let facts: Vec<String> = atoms
            .iter()
            .map(|a| match a {
                signpost::expr::Atom::Test { fact, .. } | signpost::expr::Atom::Whole(fact) => {
                    fact.clone()
                }
            })
            .collect();
        let mut seen: HashMap<Vec<String>, Option<bool>> = HashMap::new();
        for _ in 0..60 {
            let mut given = signpost::expr::Facts::new();
            given.insert("today".into(), Value::from("2025-02-28"));
            for f in &facts {
                let choices = values
                    .get(f)
                    .cloned()
                    .unwrap_or_else(|| vec![Value::from(true), Value::from(false)]);
                // One time in five the fact is not set.
                let pick = next(choices.len() + choices.len() / 4 + 1);
                if let Some(v) = choices.get(pick) {
                    given.insert(f.clone(), v.clone());
                }
            }
            let result = lib.expr().eval_condition(when, &given).ok();
            let key = pieces_seen(&lib, &atoms, &given);
            if let Some(before) = seen.insert(key.clone(), result) {
                assert_eq!(before, result, "`{when}` with {given:?}: pieces {key:?}");
            }
        }
    }
    assert!(split > 50, "only {split} conditions split into pieces");
}
