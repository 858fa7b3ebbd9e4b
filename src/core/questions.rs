//! The person's own question, in their own words: what they typed, matched to the catalogue of
//! questions (the options of a `multi` node with `rank_by`), closest first.
//!
//! Matching is deterministic and offline. Each question is one document: its label in the tree,
//! and the phrasings and words declared for it in questions.json. Words are lower-cased, common
//! words ("the", "can", "my") dropped and the rest stemmed (Snowball English, `rust-stemmers`);
//! documents are scored against the typed words with BM25 (`bm25`). Ties keep catalogue order.

use std::fmt;

use bm25::{Embedder, EmbedderBuilder, Scorer, Tokenizer};
use rust_stemmers::{Algorithm, Stemmer};

use crate::core::format::QuestionWords;

/// How many of the closest questions a page shows first.
pub const CLOSEST_SHOWN: usize = 3;

/// A match scores at least this share of the best match's score to be shown with it, so a
/// question that shares only a common word with what was typed is not offered as "closest".
const SHARE_OF_BEST: f32 = 0.3;

/// BM25's term-frequency saturation (the usual value) and length normalisation (low: a question
/// with many phrasings is not worse for having them).
const K1: f32 = 1.2;
const B: f32 = 0.3;

/// Words too common to say which question is meant.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "him",
    "his",
    "how",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "it",
    "its",
    "ive",
    "just",
    "me",
    "my",
    "myself",
    "of",
    "on",
    "or",
    "our",
    "ourselves",
    "she",
    "should",
    "so",
    "some",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "theyre",
    "this",
    "those",
    "to",
    "too",
    "us",
    "was",
    "we",
    "were",
    "what",
    "whats",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "youre",
];

/// Splits text into stemmed words, leaving out common ones.
struct Words {
    stemmer: Stemmer,
}

impl Default for Words {
    fn default() -> Self {
        Words {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

impl Tokenizer for Words {
    fn tokenize(&self, text: &str) -> Vec<String> {
        words(&self.stemmer, text)
    }
}

fn words(stemmer: &Stemmer, text: &str) -> Vec<String> {
    // "don't" and "grandson's" are one word each.
    let joined: String = text
        .chars()
        .filter(|c| !matches!(c, '\'' | '\u{2019}'))
        .flat_map(char::to_lowercase)
        .collect();
    joined
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(|w| stemmer.stem(w).into_owned())
        .collect()
}

/// The stemmed words of a text, as matching sees them (for authors and tests).
pub fn stems(text: &str) -> Vec<String> {
    words(&Stemmer::create(Algorithm::English), text)
}

/// One question of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The option value, e.g. "q_family_time".
    pub id: String,
    /// The option's label: the question as the person reads it.
    pub question: String,
    pub words: QuestionWords,
}

/// A question close to what the person typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Match<'c> {
    pub id: &'c str,
    pub question: &'c str,
    /// BM25 score: higher is closer; only comparable between matches of one text.
    pub score: f32,
}

/// The questions of a library with their phrasings, indexed once when the library is compiled.
pub struct Catalogue {
    entries: Vec<Entry>,
    embedder: Embedder<u32, Words>,
    scorer: Scorer<usize, u32>,
}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue")
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue::new(Vec::new())
    }
}

impl Catalogue {
    /// Indexes the questions, in the order given (the order ties keep).
    pub(crate) fn new(entries: Vec<Entry>) -> Catalogue {
        let docs: Vec<String> = entries.iter().map(document).collect();
        let corpus: Vec<&str> = docs.iter().map(String::as_str).collect();
        let embedder = EmbedderBuilder::<u32, Words>::with_tokenizer_and_fit_to_corpus(
            Words::default(),
            &corpus,
        )
        .k1(K1)
        .b(B)
        .build();
        let mut scorer = Scorer::new();
        for (i, doc) in docs.iter().enumerate() {
            scorer.upsert(&i, embedder.embed(doc));
        }
        Catalogue {
            entries,
            embedder,
            scorer,
        }
    }

    /// Every question, in catalogue order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Every question that shares a word with the text, closest first (ties in catalogue
    /// order). Empty when the text has no word that matters.
    pub fn rank(&self, text: &str) -> Vec<Match<'_>> {
        let query = self.embedder.embed(text);
        if query.is_empty() {
            return Vec::new();
        }
        let mut matches: Vec<Match> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let score = self.scorer.score(&i, &query)?;
                (score > 0.0).then_some(Match {
                    id: &e.id,
                    question: &e.question,
                    score,
                })
            })
            .collect();
        // A stable sort: equal scores keep catalogue order.
        matches.sort_by(|a, b| b.score.total_cmp(&a.score));
        matches
    }

    /// The ids of the questions to show first for a text: at most `CLOSEST_SHOWN`, each scoring
    /// at least a share of the best.
    pub fn closest(&self, text: &str) -> Vec<&str> {
        let ranked = self.rank(text);
        let best = ranked.first().map_or(0.0, |m| m.score);
        ranked
            .into_iter()
            .take(CLOSEST_SHOWN)
            .filter(|m| m.score >= best * SHARE_OF_BEST)
            .map(|m| m.id)
            .collect()
    }
}

/// A question's document: its label, phrasings and words.
fn document(e: &Entry) -> String {
    let mut doc = e.question.clone();
    for p in e.words.phrasings.iter().chain(&e.words.words) {
        doc.push_str(". ");
        doc.push_str(p);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, question: &str, phrasings: &[&str], words: &[&str]) -> Entry {
        Entry {
            id: id.into(),
            question: question.into(),
            words: QuestionWords {
                phrasings: phrasings.iter().map(|s| s.to_string()).collect(),
                words: words.iter().map(|s| s.to_string()).collect(),
            },
        }
    }

    fn catalogue() -> Catalogue {
        Catalogue::new(vec![
            entry(
                "q_family_time",
                "How often should I see a child who lives away from me?",
                &["can they stop me seeing my grandson"],
                &["contact", "visit"],
            ),
            entry(
                "q_complain",
                "How do I complain, and what if nobody replies?",
                &["the council ignored my complaint"],
                &["complaint", "ombudsman"],
            ),
            entry(
                "q_records",
                "How do I see what they have written about me?",
                &["can I read my file"],
                &["records", "file"],
            ),
        ])
    }

    #[test]
    fn stems_drop_common_words_and_join_apostrophes() {
        assert_eq!(
            stems("Can they stop me seeing my grandson's visits?"),
            ["stop", "see", "grandson", "visit"]
        );
        assert!(stems("what can I do").is_empty());
    }

    #[test]
    fn the_closest_question_comes_first() {
        let c = catalogue();
        let ranked = c.rank("They won't let me visit my granddaughter");
        assert_eq!(ranked[0].id, "q_family_time");
        assert_eq!(
            c.rank("I want to complain to the ombudsman")[0].id,
            "q_complain"
        );
        assert_eq!(c.rank("Can I read my social care file?")[0].id, "q_records");
        assert!(ranked.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn nothing_matches_words_that_say_nothing() {
        let c = catalogue();
        assert!(c.rank("").is_empty());
        assert!(c.rank("what can I do?").is_empty());
        assert!(c.rank("zebra").is_empty());
        assert!(c.closest("what can I do?").is_empty());
    }

    #[test]
    fn ranking_is_the_same_every_time() {
        let a: Vec<(String, f32)> = catalogue()
            .rank("see my file and complain")
            .iter()
            .map(|m| (m.id.to_string(), m.score))
            .collect();
        for _ in 0..5 {
            let b: Vec<(String, f32)> = catalogue()
                .rank("see my file and complain")
                .iter()
                .map(|m| (m.id.to_string(), m.score))
                .collect();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn closest_keeps_only_strong_matches() {
        let c = catalogue();
        let closest = c.closest("complain to the ombudsman");
        assert_eq!(closest, ["q_complain"]);
    }
}
