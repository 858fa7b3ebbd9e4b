//! Finding glossary words in text, for every front end: the wizard marks them, plain mode's
//! `help` explains them, the web will link them. Built once per library, not per screen.

use crate::core::compile::Library;
use crate::core::format::GlossaryTerm;

/// The glossary's words, ready to search for.
pub struct Glossary<'l> {
    /// (pattern, case-sensitive?, term), longest first so "child in need plan" beats "child in
    /// need".
    patterns: Vec<(String, bool, &'l GlossaryTerm)>,
}

impl<'l> Glossary<'l> {
    /// The glossary of a library.
    pub fn of(lib: &'l Library) -> Self {
        Self::new(lib.glossary().values())
    }

    pub fn new<I: IntoIterator<Item = &'l GlossaryTerm>>(terms: I) -> Self {
        let mut patterns = Vec::new();
        for t in terms {
            let term = t.term.trim();
            if !term.is_empty() {
                patterns.push((term.to_ascii_lowercase(), false, t));
            }
            for a in &t.aliases {
                let a = a.trim();
                if a.is_empty() {
                    continue;
                }
                // An alias in capitals (CIN, LADO) only counts when written in capitals.
                let acronym =
                    a.chars().any(|c| c.is_alphabetic()) && a.chars().all(|c| !c.is_lowercase());
                let pattern = if acronym {
                    a.to_string()
                } else {
                    a.to_ascii_lowercase()
                };
                patterns.push((pattern, acronym, t));
            }
        }
        patterns.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Glossary { patterns }
    }

    /// Byte ranges of glossary words in `text`, in order, never overlapping, with their terms.
    /// A word counts only whole: "CIN" is not found in "cinema".
    pub fn find(&self, text: &str) -> Vec<(usize, usize, &'l GlossaryTerm)> {
        let lower = text.to_ascii_lowercase();
        let mut found: Vec<(usize, usize, &'l GlossaryTerm)> = Vec::new();
        for (pattern, case_sensitive, term) in &self.patterns {
            let hay = if *case_sensitive { text } else { &lower };
            let mut from = 0;
            while let Some(pos) = hay[from..].find(pattern.as_str()) {
                let start = from + pos;
                let end = start + pattern.len();
                from = start + pattern.len().max(1);
                let before_ok = text[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after_ok = text[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if !before_ok || !after_ok {
                    continue;
                }
                if found.iter().any(|(s, e, _)| start < *e && *s < end) {
                    continue;
                }
                found.push((start, end, *term));
            }
        }
        found.sort_by_key(|(s, _, _)| *s);
        found
    }

    /// The terms used in any of `texts`, each once, in the order they first appear.
    pub fn terms_in<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> Vec<&'l GlossaryTerm> {
        let mut out: Vec<&'l GlossaryTerm> = Vec::new();
        for text in texts {
            for (_, _, t) in self.find(text) {
                if !out.iter().any(|x| std::ptr::eq(*x, t)) {
                    out.push(t);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> [GlossaryTerm; 2] {
        [
            GlossaryTerm {
                term: "child in need".into(),
                aliases: vec!["CIN".into()],
                definition: "d".into(),
            },
            GlossaryTerm {
                term: "section 47".into(),
                aliases: vec![],
                definition: "d".into(),
            },
        ]
    }

    #[test]
    fn finds_glossary_words_at_word_boundaries() {
        let terms = terms();
        let g = Glossary::new(terms.iter());
        let text = "A Child in Need plan (CIN), not a cinema; a Section 47, enquiry.";
        let found: Vec<&str> = g.find(text).iter().map(|(s, e, _)| &text[*s..*e]).collect();
        assert_eq!(found, ["Child in Need", "CIN", "Section 47"]);
    }

    #[test]
    fn lists_each_term_once_across_texts() {
        let terms = terms();
        let g = Glossary::new(terms.iter());
        let found = g.terms_in(["a section 47 enquiry", "a CIN plan", "another section 47"]);
        let names: Vec<&str> = found.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(names, ["section 47", "child in need"]);
    }
}
