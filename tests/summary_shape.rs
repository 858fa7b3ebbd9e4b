//! The summary's shape: the person's questions and where they are now come before the steps,
//! in every renderer; an unknown date gives the rule and no date; a key date on a weekend or in a year
//! whose bank holidays are not yet published says so; a date the calendar cannot count gives the
//! rule and a notice rather than stopping the walk.

use crate::common;

use jiff::civil::{date, Date};
use signpost::summary::{self, Summary};

fn walk(meeting: &str, worried: &str, today: Date) -> Summary {
    let lib = common::library(std::path::Path::new("tests/fixtures/summary"));
    let answers = vec![
        ("meeting".to_string(), meeting.to_string()),
        ("worried".to_string(), worried.to_string()),
    ];
    let s = signpost::scenario::walk(&lib, "shape", today, &answers).unwrap();
    summary::build(&s)
}

#[test]
fn your_questions_and_where_you_are_come_first_in_every_renderer() {
    let s = walk("2025-03-03", "meeting,plan", date(2025, 2, 28));
    assert_eq!(s.where_now.len(), 1);
    assert_eq!(s.asked.len(), 2);
    assert_eq!(
        s.steps.len(),
        1,
        "answers and the situation are not numbered steps"
    );
    let text = signpost::render::text(&s);
    let md = signpost::render::markdown(&s);
    for (out, heads) in [
        (
            &text,
            [
                "YOUR QUESTIONS",
                "WHERE YOU ARE NOW",
                "1. Prepare for the meeting",
            ],
        ),
        (
            &md,
            [
                "## Your questions",
                "## Where you are now",
                "### 1. Prepare for the meeting",
            ],
        ),
    ] {
        let at: Vec<usize> = heads
            .iter()
            .map(|h| out.find(h).unwrap_or_else(|| panic!("no {h} in:\n{out}")))
            .collect();
        assert!(at[0] < at[1] && at[1] < at[2], "{out}");
    }
    let json: serde_json::Value = serde_json::from_str(&signpost::render::json(&s)).unwrap();
    assert_eq!(json["asked"][0]["title"], "What happens at the meeting?");
    // The reason names the option the rule tested, not every option ticked.
    assert_eq!(s.asked[0].because.len(), 1, "{:?}", s.asked[0].because);
    assert!(s.asked[0].because[0].contains("The meeting"));
}

#[test]
fn an_unknown_date_gives_the_rule_and_no_date() {
    let s = walk("I don't know", "nothing", date(2025, 2, 28));
    let step = &s.steps[0];
    assert!(step.due.is_none());
    assert!(
        step.body.contains("Ask when the meeting is"),
        "{}",
        step.body
    );
    assert!(s.answers.iter().any(|a| a.answer == "I don't know"));
}

#[test]
fn a_date_on_a_weekend_or_a_provisional_year_says_so() {
    // Sunday 2 March 2025.
    let s = walk("2025-03-02", "nothing", date(2025, 2, 28));
    let due = s.steps[0].due.as_ref().unwrap();
    assert!(
        due.note
            .as_deref()
            .unwrap_or("")
            .contains("not a working day"),
        "{due:?}"
    );
    assert!(signpost::render::text(&s).contains("About this date"));
    // Wednesday 5 January 2028: bank holidays for 2028 are not yet published.
    let s = walk("2028-01-05", "nothing", date(2025, 2, 28));
    let due = s.steps[0].due.as_ref().unwrap();
    assert!(
        due.note
            .as_deref()
            .unwrap_or("")
            .contains("not published yet"),
        "{due:?}"
    );
    // A working day in a published year has no note.
    let s = walk("2025-03-03", "nothing", date(2025, 2, 28));
    assert!(s.steps[0].due.as_ref().unwrap().note.is_none());
}

#[test]
fn a_date_that_has_passed_says_nothing_about_offices_being_closed() {
    // Sunday 2 March 2025, read a week later: the step is for now, not for that Sunday.
    let s = walk("2025-03-02", "nothing", date(2025, 3, 9));
    let due = s.steps[0].due.as_ref().unwrap();
    assert!(due.passed, "{due:?}");
    assert!(due.note.is_none(), "{due:?}");
    assert!(!signpost::render::text(&s).contains("not a working day"));
}

#[test]
fn a_date_the_calendar_cannot_count_does_not_stop_the_walk() {
    let s = walk("2201-06-02", "nothing", date(2025, 2, 28));
    assert!(
        s.notices
            .iter()
            .any(|n| n.kind == summary::NoticeKind::Calendar),
        "{:?}",
        s.notices
    );
    // The date itself is still shown: it needs no counting.
    assert!(s.steps[0].body.contains("2201"), "{}", s.steps[0].body);
}

/// A date years after the published bank holidays is counted from the usual rules: an exact
/// date, with a note that a one-off bank holiday could still move it (issue 19).
#[test]
fn a_date_after_the_published_list_is_counted_from_the_rules() {
    let s = walk("2031-06-02", "nothing", date(2025, 2, 28));
    assert!(
        !s.notices
            .iter()
            .any(|n| n.kind == summary::NoticeKind::Calendar),
        "{:?}",
        s.notices
    );
    let due = s.steps[0].due.as_ref().expect("a date");
    assert!(due.date.starts_with("2031-"), "{due:?}");
    assert!(
        due.note
            .as_deref()
            .is_some_and(|n| n.contains("not published yet")),
        "{due:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The reply's shape over every scenario in tests/scenarios (issue 17, part 5).
// ---------------------------------------------------------------------------------------------

use signpost::summary::{
    first_rank, word_count, ANSWER_WORDS, CONTACTS_MAX, FIRST_MAX, LEAD_WORDS, REPEAT_WORDS,
    TOP_WORDS, TOP_WORDS_MAX, WHERE_WORDS,
};

/// Every scenario's summary with its text rendering.
fn scenario_summaries() -> Vec<(String, Summary, String)> {
    let lib = common::embedded();
    common::scenarios()
        .into_iter()
        .map(|(name, sc)| {
            let s = common::scenario_session(&lib, &sc);
            let sum = summary::build(&s);
            let text = signpost::render::text(&sum);
            (name, sum, text)
        })
        .collect()
}

/// What a person reads before "MORE THAT MAY HELP" (all of it when there is no such part).
fn top_part(text: &str) -> &str {
    text.find("MORE THAT MAY HELP").map_or(text, |i| &text[..i])
}

/// The budget: the words before "MORE THAT MAY HELP" are at most `TOP_WORDS` in nine scenarios
/// in ten and never more than `TOP_WORDS_MAX`. Prints the median, the 90th percentile and the
/// largest (kept in docs/content.md). The core's own count is what the text shows.
#[test]
fn the_top_part_keeps_the_word_budget_over_every_scenario() {
    let mut words: Vec<(usize, String)> = Vec::new();
    for (name, sum, text) in scenario_summaries() {
        let n = word_count(top_part(&text));
        assert_eq!(
            n, sum.top_words,
            "{name}: the core counted {} words before MORE THAT MAY HELP, the text has {n}",
            sum.top_words
        );
        words.push((n, name));
    }
    words.sort();
    assert!(words.len() >= 10, "only {} scenarios", words.len());
    let median = words[words.len() / 2].0;
    let p90 = words[(words.len() - 1) * 9 / 10].0;
    let (largest, which) = words.last().cloned().unwrap();
    println!(
        "words before MORE THAT MAY HELP over {} scenarios: median {median}, 90th percentile {p90}, largest {largest} ({which})",
        words.len()
    );
    assert!(
        p90 <= TOP_WORDS,
        "90th percentile {p90} words (budget {TOP_WORDS})"
    );
    assert!(
        largest <= TOP_WORDS_MAX,
        "{which}: {largest} words before MORE THAT MAY HELP (at most {TOP_WORDS_MAX})"
    );
}

/// Each part of the top keeps its own limit, and every item is shown once: in the top part or
/// under "More that may help", never both, never neither.
#[test]
fn every_part_keeps_its_limit_and_every_item_is_shown_once() {
    for (name, sum, _) in scenario_summaries() {
        assert!(sum.first.len() <= FIRST_MAX, "{name}: {:?}", sum.first);
        assert!(sum.who_can_help.len() <= CONTACTS_MAX, "{name}");
        let limit = |id: &str| {
            if sum.asked.iter().any(|a| a.id == id) {
                ANSWER_WORDS
            } else if sum.where_now.iter().any(|a| a.id == id) {
                WHERE_WORDS
            } else {
                LEAD_WORDS
            }
        };
        for st in sum.items() {
            assert!(
                st.body.starts_with(&st.lead),
                "{name}: {} lead is not the start of its text",
                st.id
            );
            assert!(
                word_count(&st.lead) <= limit(&st.id),
                "{name}: {} shows {} words in the top part (at most {})",
                st.id,
                word_count(&st.lead),
                limit(&st.id)
            );
            let on_top = sum.first.contains(&st.id)
                || sum.top_asked().any(|a| a.id == st.id)
                || sum.top_where().is_some_and(|w| w.id == st.id);
            let in_more = sum.more.iter().filter(|m| **m == st.id).count();
            assert!(
                on_top as usize + in_more == 1,
                "{name}: {} is shown {} times",
                st.id,
                on_top as usize + in_more
            );
        }
    }
}

/// No summary quotes the question text in a reason or in the top part (the questions are
/// listed once, under "What you told us"), and none says "Tick all that apply".
#[test]
fn no_summary_quotes_a_question_in_a_reason() {
    for (name, sum, text) in scenario_summaries() {
        let md = signpost::render::markdown(&sum);
        for out in [&text, &md] {
            assert!(
                !out.to_lowercase().contains("tick all that apply"),
                "{name}: says \"Tick all that apply\""
            );
        }
        let questions: Vec<String> = sum.answers.iter().map(|a| a.question.clone()).collect();
        for st in sum.items() {
            for b in &st.because {
                for q in &questions {
                    assert!(
                        !b.contains(q.as_str()),
                        "{name}: {} gives the question as its reason: {b}",
                        st.id
                    );
                }
                assert!(!b.to_lowercase().contains("tick all"), "{name}: {b}");
            }
        }
        let top = top_part(&text);
        for q in &questions {
            assert!(
                !top.contains(q.as_str()),
                "{name}: the top part quotes the question {q:?}"
            );
        }
    }
}

/// A contact's phone number appears at most once before "MORE THAT MAY HELP" (steps name the
/// organisation only) and at most once in the whole summary outside letters.
/// Nothing is said twice (issue 17 part 5): over every scenario, no sentence of
/// `REPEAT_WORDS` or more appears in two items, though several modules carry the same caveat
/// ("Legal aid for this depends on your income and your case.") or reassurance.
#[test]
fn no_sentence_is_said_twice_in_a_summary() {
    let mut repeats = Vec::new();
    for (name, sum, _) in scenario_summaries() {
        let mut seen: std::collections::BTreeMap<String, String> = Default::default();
        for item in sum.items() {
            for para in item.body.split("\n\n") {
                for sentence in para.split_inclusive(". ").map(str::trim) {
                    if word_count(sentence) < REPEAT_WORDS {
                        continue;
                    }
                    match seen.get(sentence) {
                        Some(first) if first != &item.id => {
                            repeats.push(format!("{name}: {first} and {}: {sentence}", item.id))
                        }
                        _ => {
                            seen.insert(sentence.to_string(), item.id.clone());
                        }
                    }
                }
            }
        }
    }
    assert!(
        repeats.is_empty(),
        "{} repeats:\n{}",
        repeats.len(),
        repeats.join("\n")
    );
}

/// A tree's conditional text leaves no double space or space at a line's end in what a person
/// reads (a false `{% if %}` between two spaces once did).
#[test]
fn no_item_reads_with_a_double_space() {
    for (name, sum, _) in scenario_summaries() {
        for item in sum.items() {
            for line in item.body.lines() {
                assert!(
                    !line.trim_start().contains("  ") && line == line.trim_end(),
                    "{name}: {}: {line:?}",
                    item.id
                );
            }
        }
    }
}

#[test]
fn a_phone_number_appears_at_most_once() {
    let lib = common::embedded();
    let phones: Vec<String> = lib
        .contacts()
        .values()
        .filter_map(|c| c.phone.clone())
        .collect();
    assert!(phones.len() > 3);
    for (name, sum, text) in scenario_summaries() {
        let before_letters = text.find("\nLETTER: ").map_or(&text[..], |i| &text[..i]);
        for p in &phones {
            let top = top_part(&text).matches(p.as_str()).count();
            assert!(top <= 1, "{name}: {p} appears {top} times in the top part");
            let all = before_letters.matches(p.as_str()).count();
            assert!(all <= 1, "{name}: {p} appears {all} times");
        }
        // And every contact named in the top part has its number there.
        for c in sum.helpers() {
            if let Some(p) = &c.contact.phone {
                assert!(top_part(&text).contains(p.as_str()), "{name}: {p}");
            }
        }
    }
}

/// The order of steps follows `first_rank` (the rule in its doc comment), "Do these first" is
/// the start of that order, and a step linked to a question the person asked or a dated step
/// is never behind an equally urgent step that is neither.
#[test]
fn the_first_steps_follow_the_ordering_rule_on_every_scenario() {
    let mut linked = 0;
    for (name, sum, _) in scenario_summaries() {
        let ranks: Vec<_> = sum.steps.iter().map(first_rank).collect();
        assert!(
            ranks.windows(2).all(|w| w[0] <= w[1]),
            "{name}: steps out of order: {:?}",
            sum.steps.iter().map(|s| &s.id).collect::<Vec<_>>()
        );
        let prefix: Vec<&String> = sum
            .steps
            .iter()
            .take(sum.first.len())
            .map(|s| &s.id)
            .collect();
        assert_eq!(prefix, sum.first.iter().collect::<Vec<_>>(), "{name}");
        linked += sum.steps.iter().filter(|s| s.asked).count();
    }
    assert!(linked > 0, "no scenario links a step to a question asked");
}

/// The seed situation in the reply-shape example (MC1704): her questions come first, the
/// overdue complaint is the first thing to do, with its date, and the Family Rights Group's
/// number is given once.
#[test]
fn mc1704_reads_like_the_reply_shape() {
    let all = scenario_summaries();
    let (_, sum, text) = all
        .iter()
        .find(|(n, _, _)| n.starts_with("mc1704"))
        .expect("the mc1704 scenario");
    let heads = [
        "YOUR QUESTIONS",
        "WHERE YOU ARE NOW",
        "DO THESE FIRST",
        "WHO CAN HELP",
        "MORE THAT MAY HELP",
        "WHAT YOU TOLD US",
        "SOURCES",
    ];
    let at: Vec<usize> = heads
        .iter()
        .map(|h| {
            text.find(&format!("\n{h}\n"))
                .unwrap_or_else(|| panic!("no {h}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert_eq!(sum.first[0], "complaints.stage1_overdue");
    assert!(text.contains("1. Ask for stage 2"), "{text}");
    assert!(top_part(text).contains("Monday 17 February 2025"));
    assert_eq!(text.matches("0808 801 0366").count(), 1);
    let md = signpost::render::markdown(sum);
    for h in [
        "## Your questions",
        "## Where you are now",
        "## Do these first",
        "## Who can help",
        "## More that may help",
        "## What you told us",
        "## Sources",
    ] {
        assert!(md.contains(&format!("\n{h}\n")), "no {h} in the Markdown");
    }
    let json: serde_json::Value = serde_json::from_str(&signpost::render::json(sum)).unwrap();
    assert_eq!(json["first"][0], "complaints.stage1_overdue");
    assert!(json["more"].as_array().is_some_and(|m| !m.is_empty()));
}

#[test]
fn a_helpline_closed_on_the_day_the_summary_is_prepared_says_so() {
    let lib = common::embedded();
    let (_, sc) = common::scenarios()
        .into_iter()
        .find(|(n, _)| n.starts_with("girlmamato5"))
        .expect("the seed scenario");
    let answers: Vec<(String, String)> = sc.answers.clone().into_iter().collect();
    let on = |today| {
        let s = signpost::scenario::walk(&lib, &sc.tree, today, &answers).unwrap();
        signpost::render::text(&summary::build(&s))
    };
    // Saturday 27 September 2025, and Monday 25 August 2025 (a bank holiday).
    let saturday = on(date(2025, 9, 27));
    assert!(
        saturday.contains(
            "closed today (a weekend or bank holiday), open again Monday 29 September 2025"
        ),
        "{saturday}"
    );
    let holiday = on(date(2025, 8, 25));
    assert!(
        holiday.contains("open again Tuesday 26 August 2025"),
        "{holiday}"
    );
    // A working day says nothing of it.
    assert!(!on(date(2025, 9, 22)).contains("closed today"));
}

/// Only the question catalogue makes a step "asked" (and so first in line): a parent who
/// ticked section 20 and asked how long it lasts does not have every section 20 step pulled
/// forward because the answer to her question also reads the legal position.
#[test]
fn a_ticked_legal_position_does_not_make_its_steps_asked() {
    let (_, sum, _) = scenario_summaries()
        .into_iter()
        .find(|(n, _, _)| n == "section-20-parent-accommodated-a-year")
        .expect("the scenario");
    assert!(sum
        .asked
        .iter()
        .any(|a| a.id == "section-20.answer_how_long_s20"));
    let agreement = sum
        .steps
        .iter()
        .find(|s| s.id == "section-20.check_the_agreement")
        .expect("the step");
    assert!(!agreement.asked);
    assert!(
        sum.steps.iter().all(|s| !s.asked),
        "no step answers her question"
    );
}

/// "Your questions" quotes each question as the person ticked it in the catalogue, whatever
/// the module's own wording of its answer ("Can I get free legal advice?" for "Do I need a
/// solicitor, and will it be free?").
#[test]
fn your_questions_quote_the_catalogue_as_ticked() {
    let lib = common::embedded();
    let start = lib.flow("start").expect("the triage");
    let labels: Vec<String> = start
        .tree()
        .nodes
        .iter()
        .find_map(|n| match n {
            signpost::format::Node::Multi(m) if m.rank_by.is_some() => {
                Some(m.options.iter().map(|o| o.label.clone()).collect())
            }
            _ => None,
        })
        .expect("the catalogue");
    let mut asked = 0;
    for (name, sum, _) in scenario_summaries() {
        for a in &sum.asked {
            asked += 1;
            assert!(
                labels.contains(&a.title),
                "{name}: {} is headed {:?}, not a question in the catalogue",
                a.id,
                a.title
            );
        }
    }
    assert!(asked > 100, "{asked}");
}
