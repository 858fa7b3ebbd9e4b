//! The shape of the reply: which steps come first, how much of each item the top part shows,
//! and the word budget of the top part (everything before "More that may help"). The budget
//! is kept by construction: when the top part would be too long, whole items move, the least
//! urgent first, into "More that may help", where they are still shown in full.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{ContactEntry, NextDate, Step, Summary};
use crate::core::format::Contact;
use crate::core::session::NodeKey;

/// Words before "More that may help" (in the text rendering) that a summary keeps within when
/// its items allow: an adviser's reply is 300 to 600 words, and on a 360 px phone 700 words are
/// about 15 screens. Items move out of the top part until it fits.
pub const TOP_WORDS: usize = 700;
/// The most the top part may ever have (the budget test fails above it). Only the parts that
/// never move (the heading, notices, one answer, where you are, one step, who can help) can
/// take a summary past `TOP_WORDS`.
pub const TOP_WORDS_MAX: usize = 1000;
/// Words of an answer to the person's own question shown in the top part: a short direct
/// answer, as an adviser gives one; the rest is folded.
pub const ANSWER_WORDS: usize = 120;
/// Words of "Where you are now": a few sentences, so the first screen reaches the first answer
/// or step.
pub const WHERE_WORDS: usize = 80;
/// Words of a first step's text shown in the top part: its first paragraph, at most this long,
/// says what to do; why and how are folded.
pub const LEAD_WORDS: usize = 50;
/// Steps under "Do these first": more than five is a list, not a plan.
pub const FIRST_MAX: usize = 5;
/// Contacts under "Who can help": each once, the ones the first steps name first.
pub const CONTACTS_MAX: usize = 3;

/// The heading that starts the folded part, in text (the budget is counted before it).
pub(crate) const MORE_HEADING: &str = "MORE THAT MAY HELP";
/// Said after a shown part whose rest is under "More that may help".
pub(crate) const MORE_BELOW: &str = "(More below.)";

/// Words as a person counts them: runs of characters between spaces.
pub fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Which steps come first. A step's rank is its priority (1 is the most urgent), made one level
/// more urgent when it is linked to a question the person asked (one of the answers that
/// caused it is a question they ticked), and one level more when it has a date. The lower rank
/// comes first; among equal ranks a dated step comes first (the earliest date first, so a date
/// that has passed leads), then one linked to a question; steps still equal keep the order they
/// arose in the walk. The first `FIRST_MAX` are "Do these first"; the rest follow under "More
/// that may help" in the same order.
pub fn first_rank(step: &Step) -> (u8, bool, String, bool) {
    let dated = step.due.is_some();
    let boost = u8::from(step.asked) + u8::from(dated);
    (
        step.priority.saturating_sub(boost),
        !dated,
        step.due
            .as_ref()
            .map(|d| d.date.clone())
            .unwrap_or_default(),
        !step.asked,
    )
}

/// Where to cut `text` so that its start has at most `limit` words: whole paragraphs (at most
/// `max_paras`), and when even the first paragraph is longer, whole sentences of it. The first
/// sentence is always kept whole, so a cut never changes what a sentence says. Returns the byte
/// index of the cut: the lead is `text[..cut]`.
pub fn split_lead(text: &str, limit: usize, max_paras: usize) -> usize {
    let mut words = 0;
    let mut cut = 0;
    let mut start = 0;
    let mut paras = 0;
    while start < text.len() && paras < max_paras {
        let end = text[start..].find("\n\n").map_or(text.len(), |i| start + i);
        let n = word_count(&text[start..end]);
        if words + n <= limit {
            words += n;
            cut = end;
        } else {
            if paras == 0 {
                cut = sentences_within(text, start, end, limit);
            }
            break;
        }
        paras += 1;
        start = end + 2;
    }
    cut
}

/// The end of the longest run of whole sentences of `text[start..end]` within `limit` words
/// (at least the first sentence).
fn sentences_within(text: &str, start: usize, end: usize, limit: usize) -> usize {
    let mut cut = None;
    for stop in sentence_ends(&text[start..end]) {
        if word_count(&text[start..start + stop]) > limit {
            break;
        }
        cut = Some(start + stop);
    }
    cut.or_else(|| sentence_ends(&text[start..end]).first().map(|e| start + e))
        .unwrap_or(end)
}

/// Byte offsets just after each sentence's final punctuation (and closing quote or bracket),
/// the paragraph's end last. A full stop after a short abbreviation ("e.g.", "No.") or a
/// digit ("9.30am") does not end a sentence.
fn sentence_ends(p: &str) -> Vec<usize> {
    const ABBREVIATIONS: [&str; 9] = ["e.g", "i.e", "mr", "mrs", "ms", "dr", "no", "st", "etc"];
    let b = p.as_bytes();
    let mut out = Vec::new();
    for (i, c) in p.char_indices() {
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && matches!(b[j], b'"' | b')' | b'\'') {
            j += 1;
        }
        if j < b.len() && !p[j..].starts_with(' ') {
            continue;
        }
        let next = p[j..].trim_start().chars().next();
        if next.is_some_and(|n| n.is_lowercase()) {
            continue;
        }
        let word = p[..i].rsplit(' ').next().unwrap_or_default().to_lowercase();
        if c == '.' && ABBREVIATIONS.contains(&word.as_str()) {
            continue;
        }
        out.push(j);
    }
    if out.last() != Some(&p.len()) {
        out.push(p.len());
    }
    out
}

/// A sentence this long or longer is said once in a summary; a shorter one ("It is
/// voluntary.") can mean something different in another item.
pub const REPEAT_WORDS: usize = 6;

/// Nothing said twice: a sentence of `REPEAT_WORDS` or more that an earlier item (in reading
/// order: answers, where you are now, steps) already says is left out of a later one, so a
/// caveat or a reassurance two modules both carry reaches the person once. An item is never
/// emptied: one that only repeats keeps its text.
fn say_once(s: &mut Summary) {
    let mut said: BTreeSet<String> = BTreeSet::new();
    let items = s
        .asked
        .iter_mut()
        .chain(&mut s.where_now)
        .chain(&mut s.steps);
    for item in items {
        let (kept, sentences) = without_said(&item.body, &said);
        if !kept.trim().is_empty() {
            item.body = kept;
        }
        said.extend(sentences);
    }
}

/// `body` without its sentences in `said`, and its own long sentences. A said sentence that
/// the next one leans on ("It is not a finding ...") stays, so no sentence is left pointing at
/// nothing; `no_sentence_is_said_twice` then names it for the content to fix.
fn without_said(body: &str, said: &BTreeSet<String>) -> (String, Vec<String>) {
    let mut own = Vec::new();
    let mut paras = Vec::new();
    for p in body.split("\n\n") {
        let mut pieces = Vec::new();
        let mut start = 0;
        for end in sentence_ends(p) {
            pieces.push(&p[start..end]);
            start = end;
        }
        pieces.push(&p[start..]);
        let mut kept = String::new();
        for (i, piece) in pieces.iter().enumerate() {
            let sentence = piece.trim();
            let long = word_count(sentence) >= REPEAT_WORDS;
            let leaned_on = pieces.get(i + 1).is_some_and(|next| leans_back(next));
            if long && said.contains(sentence) && !leaned_on {
                continue;
            }
            if long {
                own.push(sentence.to_string());
            }
            kept.push_str(piece);
        }
        let kept = kept.trim();
        if !kept.is_empty() {
            paras.push(kept.to_string());
        }
    }
    (paras.join("\n\n"), own)
}

/// True when a sentence opens with a word that points back at the one before it.
fn leans_back(sentence: &str) -> bool {
    const BACK: [&str; 10] = [
        "It", "This", "That", "These", "Those", "They", "Then", "Even", "So", "But",
    ];
    let first = sentence.split_whitespace().next().unwrap_or_default();
    BACK.contains(&first.trim_end_matches(','))
}

fn set_lead(step: &mut Step, limit: usize, max_paras: usize) {
    let cut = split_lead(&step.body, limit, max_paras);
    step.lead = step.body[..cut].trim_end().to_string();
}

/// Decides the reply's shape: marks the steps linked to the person's questions, orders the
/// steps, cuts each item's lead, and fills "Do these first", "Who can help" and "More that may
/// help" within the word budget.
pub(super) fn lay_out(s: &mut Summary, catalogue: &dyn Fn(&NodeKey) -> bool) {
    mark_asked(s, catalogue);
    s.steps.sort_by_key(first_rank);
    say_once(s);
    for a in &mut s.asked {
        set_lead(a, ANSWER_WORDS, 1);
    }
    for w in &mut s.where_now {
        set_lead(w, WHERE_WORDS, 1);
    }
    for st in &mut s.steps {
        set_lead(st, LEAD_WORDS, 1);
    }
    let mut top_asked = s.asked.len();
    let mut first = s.steps.len().min(FIRST_MAX);
    // "Who can help" is filled up from the organisations the folded items name, unless that
    // is what takes the top part over the budget.
    let mut fill = true;
    loop {
        place(s, top_asked, first, fill);
        if s.top_words <= TOP_WORDS {
            break;
        }
        if fill {
            fill = false;
            continue;
        }
        // Move the least urgent whole item: the last first step or the last answer shown,
        // whichever is less urgent (a step when equal), keeping one of each.
        let step = (first > 1).then(|| s.steps[first - 1].priority);
        let answer = (top_asked > 1).then(|| s.asked[top_asked - 1].priority);
        match (step, answer) {
            (Some(p), Some(q)) if q > p => top_asked -= 1,
            (Some(_), _) => first -= 1,
            (None, Some(_)) => top_asked -= 1,
            (None, None) => break,
        }
    }
    number_sources(s);
}

/// Numbers the sources in the order a person meets them, so the first step cites 1.
fn number_sources(s: &mut Summary) {
    let order: Vec<String> = s
        .top_asked()
        .chain(s.top_where())
        .chain(s.first_steps())
        .chain(s.more_items())
        .flat_map(|x| x.sources.iter().cloned())
        .collect();
    s.sources.sort_by_key(|src| {
        order
            .iter()
            .position(|o| o == &src.id)
            .unwrap_or(usize::MAX)
    });
    let sources = &s.sources;
    let number = |id: &String| sources.iter().position(|x| &x.id == id);
    let items = s
        .asked
        .iter_mut()
        .chain(&mut s.where_now)
        .chain(&mut s.steps);
    for st in items {
        st.sources.sort_by_key(number);
    }
}

/// A step, answer or "where" item is linked to a question the person asked when one of the
/// answers that caused it is a question they ticked in the catalogue (the `rank_by` question
/// whose ticks brought answers).
fn mark_asked(s: &mut Summary, catalogue: &dyn Fn(&NodeKey) -> bool) {
    // Only the question catalogue counts: an answer also caused by, say, the legal position
    // ticked must not make every step that position causes "asked".
    let questions: BTreeSet<&NodeKey> = s
        .asked
        .iter()
        .flat_map(|a| &a.reasons)
        .filter(|r| r.ticked.is_some() && catalogue(&r.key))
        .map(|r| &r.key)
        .collect();
    let linked = |st: &Step| {
        st.reasons
            .iter()
            .any(|r| r.ticked.is_some() && questions.contains(&r.key))
    };
    let flags: Vec<bool> = s.steps.iter().map(linked).collect();
    let where_flags: Vec<bool> = s.where_now.iter().map(linked).collect();
    for (st, f) in s.steps.iter_mut().zip(flags) {
        st.asked = f;
    }
    for (w, f) in s.where_now.iter_mut().zip(where_flags) {
        w.asked = f;
    }
    for a in &mut s.asked {
        a.asked = true;
    }
}

/// Fills the top part with the first `top_asked` answers, the first "where" item and the first
/// `first` steps; everything else goes under "More that may help". "Who can help" has the
/// organisations the top part names, and when `fill`, others up to `CONTACTS_MAX`. Counts the
/// top part.
fn place(s: &mut Summary, top_asked: usize, first: usize, fill: bool) {
    s.first = s.steps[..first].iter().map(|x| x.id.clone()).collect();
    s.more = s.asked[top_asked..]
        .iter()
        .chain(s.where_now.iter().skip(1))
        .chain(&s.steps[first..])
        .map(|x| x.id.clone())
        .collect();
    // Contacts in reading order, the top part's first; the first few are "Who can help".
    let mut order: Vec<String> = Vec::new();
    let top = s.asked[..top_asked]
        .iter()
        .chain(s.where_now.first())
        .chain(&s.steps[..first]);
    let rest = s.asked[top_asked..]
        .iter()
        .chain(s.where_now.iter().skip(1))
        .chain(&s.steps[first..]);
    for id in top.flat_map(|x| &x.contacts) {
        if !order.contains(id) {
            order.push(id.clone());
        }
    }
    let named = order.len().min(CONTACTS_MAX);
    for id in rest.flat_map(|x| &x.contacts) {
        if !order.contains(id) {
            order.push(id.clone());
        }
    }
    s.contacts
        .sort_by_key(|c| order.iter().position(|o| o == &c.id).unwrap_or(usize::MAX));
    let shown = if fill { CONTACTS_MAX } else { named };
    s.who_can_help = s
        .contacts
        .iter()
        .take(shown)
        .map(|c| c.id.clone())
        .collect();
    s.next_date = next_date(s);
    s.top_words = word_count(&top_text(s));
}

/// The earliest date not yet passed, unless "Where you are now" already gives it.
fn next_date(s: &Summary) -> Option<NextDate> {
    let next = s
        .steps
        .iter()
        .chain(&s.where_now)
        .filter_map(|st| st.due.as_ref().filter(|d| !d.passed).map(|d| (d, st)))
        .min_by(|a, b| a.0.date.cmp(&b.0.date))?;
    let (due, st) = next;
    if s.where_now
        .first()
        .is_some_and(|w| w.lead.contains(&due.long))
    {
        return None;
    }
    Some(NextDate {
        step: st.id.clone(),
        title: st.title.clone(),
        long: due.long.clone(),
    })
}

impl Summary {
    /// Every item in the order a person reads them: answers, where you are, steps.
    pub fn items(&self) -> impl Iterator<Item = &Step> {
        self.asked.iter().chain(&self.where_now).chain(&self.steps)
    }

    /// The item with this id (`tree.advice_id`).
    pub fn item(&self, id: &str) -> Option<&Step> {
        self.items().find(|x| x.id == id)
    }

    /// True when the item is shown in the top part (not under "More that may help").
    pub fn on_top(&self, id: &str) -> bool {
        !self.more.iter().any(|m| m == id)
    }

    /// The answers to the person's questions shown under "Your questions".
    pub fn top_asked(&self) -> impl Iterator<Item = &Step> {
        self.asked.iter().filter(|a| self.on_top(&a.id))
    }

    /// The item shown under "Where you are now", if any.
    pub fn top_where(&self) -> Option<&Step> {
        self.where_now.first()
    }

    /// The steps under "Do these first", in order.
    pub fn first_steps(&self) -> impl Iterator<Item = &Step> {
        self.first.iter().filter_map(|id| self.item(id))
    }

    /// The items under "More that may help", in order.
    pub fn more_items(&self) -> impl Iterator<Item = &Step> {
        self.more.iter().filter_map(|id| self.item(id))
    }

    /// The top part's items whose text continues under "More that may help".
    pub fn continued(&self) -> impl Iterator<Item = &Step> {
        self.top_asked()
            .chain(self.top_where())
            .chain(self.first_steps())
            .filter(|x| !x.rest().is_empty())
    }

    /// The contact with this id.
    pub fn contact(&self, id: &str) -> Option<&ContactEntry> {
        self.contacts.iter().find(|c| c.id == id)
    }

    /// The contacts under "Who can help".
    pub fn helpers(&self) -> impl Iterator<Item = &ContactEntry> {
        self.contacts.iter().take(self.who_can_help.len())
    }

    /// The contacts named by steps under "More that may help" and not under "Who can help".
    pub fn other_contacts(&self) -> impl Iterator<Item = &ContactEntry> {
        self.contacts.iter().skip(self.who_can_help.len())
    }

    /// "Because you said: ..." for an item; none for an answer, whose title is the question the
    /// person chose.
    pub fn because_of(&self, st: &Step) -> Option<String> {
        if self.asked.iter().any(|a| a.id == st.id) {
            return None;
        }
        because_line(&st.because)
    }

    /// The number of a source in the list at the end (from 1).
    pub fn source_number(&self, id: &str) -> Option<usize> {
        self.sources.iter().position(|x| x.id == id).map(|i| i + 1)
    }

    /// "2, 5": the numbers of an item's sources in the list at the end.
    pub fn source_numbers(&self, ids: &[String]) -> String {
        ids.iter()
            .filter_map(|id| self.source_number(id))
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Names of an item's contacts ("Family Rights Group advice line; Stop It Now"): the
    /// numbers are under "Who can help", once.
    pub fn contact_names(&self, ids: &[String]) -> String {
        ids.iter()
            .filter_map(|id| self.contact(id))
            .map(|c| c.contact.name.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `Because you said: "A" and "B".` (each reason is already quoted: see `Step::because`).
pub fn because_line(because: &[String]) -> Option<String> {
    let joined = match because {
        [] => return None,
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    Some(format!("Because you said: {joined}."))
}

/// "by Monday 19 May 2025", or "now" with the date when it is today or has passed.
pub fn when(due: &super::Due) -> String {
    if due.passed {
        format!("now (the date was {})", due.long)
    } else {
        format!("by {}", due.long)
    }
}

/// One line for a contact: name, phone, hours, web, and who it is for.
pub(crate) fn contact_line(c: &Contact) -> String {
    format!("{}. For {}", contact_short(c), c.for_whom)
}

/// A contact under "Who can help": name, phone, hours and web (the steps that name it say
/// what it is for).
pub(crate) fn contact_short(c: &Contact) -> String {
    let mut line = c.name.clone();
    if let Some(p) = &c.phone {
        let _ = write!(line, ": {p}");
    }
    if let Some(h) = &c.hours {
        let _ = write!(line, ", {h}");
    }
    let _ = write!(line, ". {}", c.web);
    line
}

/// The top part as plain text: everything a person reads before "More that may help". The
/// text renderer prints it as it is, so the budget counts exactly what is read.
pub(crate) fn top_text(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "YOUR NEXT STEPS");
    let _ = writeln!(out, "{}", s.title);
    let _ = writeln!(out, "Prepared {}. {}", s.prepared, s.footer);
    let _ = writeln!(out);
    for n in &s.notices {
        let _ = writeln!(out, "Please note: {n}");
    }
    if !s.notices.is_empty() {
        let _ = writeln!(out);
    }
    let mut asked = s.top_asked().peekable();
    if asked.peek().is_some() {
        let _ = writeln!(out, "YOUR QUESTIONS");
        for a in asked {
            let _ = writeln!(out, "\"{}\"", a.title);
            let _ = writeln!(out, "{}", with_more(a));
            let _ = writeln!(out);
        }
    }
    if s.top_where().is_some() || s.next_date.is_some() {
        let _ = writeln!(out, "WHERE YOU ARE NOW");
        if let Some(w) = s.top_where() {
            let _ = writeln!(out, "{}", with_more(w));
        }
        if let Some(n) = &s.next_date {
            let _ = writeln!(out, "Next date: {}, {}.", n.long, n.title);
        }
        let _ = writeln!(out);
    }
    if !s.first.is_empty() {
        let _ = writeln!(out, "DO THESE FIRST");
        for (i, st) in s.first_steps().enumerate() {
            step_text(&mut out, s, &format!("{}. ", i + 1), st, &with_more(st));
        }
    }
    if !s.who_can_help.is_empty() {
        let _ = writeln!(out, "WHO CAN HELP");
        for c in s.helpers() {
            let _ = writeln!(out, "- {}", contact_short(&c.contact));
            if let Some(note) = &c.contact.note {
                let _ = writeln!(out, "  Before you call: {note}");
            }
        }
        let _ = writeln!(out);
    }
    out
}

/// An item's lead, saying when more of it is below.
fn with_more(st: &Step) -> String {
    if st.rest().is_empty() {
        st.lead.clone()
    } else {
        format!("{} {MORE_BELOW}", st.lead)
    }
}

/// A step as text: its mark and title with its date, then `text` and the lines about it.
pub(crate) fn step_text(out: &mut String, s: &Summary, mark: &str, st: &Step, text: &str) {
    let pad = " ".repeat(mark.chars().count());
    let due = st
        .due
        .as_ref()
        .map(|d| format!(": {}", when(d)))
        .unwrap_or_default();
    let _ = writeln!(out, "{mark}{}{due}", st.title);
    if let Some(note) = st.due.as_ref().and_then(|d| d.note.as_ref()) {
        let _ = writeln!(out, "{pad}About this date: {note}");
    }
    for line in text.lines() {
        if line.is_empty() {
            let _ = writeln!(out);
        } else {
            let _ = writeln!(out, "{pad}{line}");
        }
    }
    if let Some(b) = s.because_of(st) {
        let _ = writeln!(out, "{pad}{b}");
    }
    if !st.contacts.is_empty() {
        let _ = writeln!(out, "{pad}Who can help: {}", s.contact_names(&st.contacts));
    }
    if let Some(l) = st
        .letter
        .as_ref()
        .and_then(|id| s.letters.iter().find(|x| &x.id == id))
    {
        let _ = writeln!(out, "{pad}Letter: \"{}\" (below)", l.title);
    }
    let numbers = s.source_numbers(&st.sources);
    if !numbers.is_empty() {
        let _ = writeln!(out, "{pad}Sources: {numbers}");
    }
    let _ = writeln!(out);
}

/// A contact as text: its line, and what to know before calling.
pub(crate) fn contact_text(out: &mut String, c: &Contact) {
    let _ = writeln!(out, "- {}", contact_line(c));
    if let Some(note) = &c.note {
        let _ = writeln!(out, "  Before you call: {note}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::summary::Due;

    fn step(id: &str, priority: u8, asked: bool, due: Option<&str>) -> Step {
        Step {
            id: id.into(),
            title: id.into(),
            body: String::new(),
            lead: String::new(),
            priority,
            asked,
            due: due.map(|d| Due {
                date: d.into(),
                long: d.into(),
                passed: false,
                note: None,
            }),
            because: Vec::new(),
            contacts: Vec::new(),
            letter: None,
            sources: Vec::new(),
            reasons: Vec::new(),
        }
    }

    #[test]
    fn the_first_steps_are_the_asked_the_dated_and_the_urgent() {
        let mut steps = [
            step("p3_plain", 3, false, None),
            step("p2_plain", 2, false, None),
            step("p3_asked", 3, true, None),
            step("p3_dated_late", 3, false, Some("2025-05-19")),
            step("p3_dated_soon", 3, false, Some("2025-03-03")),
            step("p4_asked_dated", 4, true, Some("2025-04-01")),
            step("p1_plain", 1, false, None),
            step("p2_asked", 2, true, None),
        ];
        steps.sort_by_key(first_rank);
        let order: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            order,
            [
                // rank 1: a question asked comes before an urgent step.
                "p2_asked",
                "p1_plain",
                // rank 2: dated (earliest first), then asked, then neither.
                "p3_dated_soon",
                "p4_asked_dated",
                "p3_dated_late",
                "p3_asked",
                "p2_plain",
                // rank 3.
                "p3_plain",
            ]
        );
    }

    #[test]
    fn a_lead_is_whole_paragraphs_or_whole_sentences_within_the_limit() {
        let text = "One two three. Four five six.\n\nSeven eight nine ten.";
        assert_eq!(&text[..split_lead(text, 10, 5)], text);
        assert_eq!(
            &text[..split_lead(text, 6, 5)],
            "One two three. Four five six."
        );
        assert_eq!(&text[..split_lead(text, 5, 5)], "One two three.");
        // The first sentence is kept whole even when it is longer than the limit.
        assert_eq!(&text[..split_lead(text, 2, 5)], "One two three.");
        // At most this many paragraphs.
        assert_eq!(
            &text[..split_lead(text, 100, 1)],
            "One two three. Four five six."
        );
        // An abbreviation, a time or a lower-case word after a full stop does not end a
        // sentence.
        let t = "Call e.g. Monday at 9.30am. Or write to No. 10 instead.";
        assert_eq!(&t[..split_lead(t, 6, 1)], "Call e.g. Monday at 9.30am.");
        let q = "Ask \"why?\" first. Then wait.";
        assert_eq!(&q[..split_lead(q, 3, 1)], "Ask \"why?\" first.");
    }

    #[test]
    fn because_names_the_answers_in_the_persons_words() {
        assert_eq!(because_line(&[]), None);
        assert_eq!(
            because_line(&["\"There is a child protection plan\"".into()]).unwrap(),
            "Because you said: \"There is a child protection plan\"."
        );
        assert_eq!(
            because_line(&["\"A\"".into(), "\"B\"".into(), "\"C\"".into()]).unwrap(),
            "Because you said: \"A\", \"B\" and \"C\"."
        );
    }
}
