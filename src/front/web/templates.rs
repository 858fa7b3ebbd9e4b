//! The pages' templates: minijinja with HTML escaping on for everything, so text from a tree or
//! from a person reaches the page as text, never as markup. Each page's template renders the
//! main content; `layout.html` puts it inside the header (with Exit this page) and footer.

use minijinja::{AutoEscape, Environment, Value};

use crate::core::format::EmergencyPlace;
use crate::core::pack::Pack;

const LAYOUT: &str = include_str!("templates/layout.html");
const PAGES: [(&str, &str); 7] = [
    ("start.html", include_str!("templates/start.html")),
    ("question.html", include_str!("templates/question.html")),
    ("check.html", include_str!("templates/check.html")),
    ("summary.html", include_str!("templates/summary.html")),
    ("message.html", include_str!("templates/message.html")),
    // Shown on both check your answers and the summary after a change.
    (
        "change_note.html",
        include_str!("templates/change_note.html"),
    ),
    // `serve --watch` while the pack has errors.
    (
        "preview_errors.html",
        include_str!("templates/preview_errors.html"),
    ),
];

pub struct Templates {
    env: Environment<'static>,
}

/// A page's title and the text of its content, rendered.
pub struct Rendered {
    pub title: String,
    pub html: String,
}

impl Templates {
    /// The templates, with the pack's words (`pack.*` in every template).
    pub fn new(pack: &Pack) -> Result<Templates, String> {
        let mut env = Environment::new();
        env.add_global(
            "pack",
            minijinja::context! {
                lang => &pack.language,
                banner => pack.banner(),
                description => &pack.description,
                not_advice => &pack.not_advice,
                privacy => &pack.privacy,
                emergency_start => pack.emergency_at(EmergencyPlace::Start),
                exit_name => &pack.exit.name,
            },
        );
        // Every template is HTML, whatever its name.
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.add_filter("paras", paras);
        env.add_filter("href", href);
        env.add_template("layout.html", LAYOUT)
            .map_err(|e| e.to_string())?;
        for (name, text) in PAGES {
            env.add_template(name, text).map_err(|e| e.to_string())?;
        }
        Ok(Templates { env })
    }

    /// One page's content.
    pub fn content(&self, name: &str, ctx: Value) -> Result<String, String> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| format!("{name}: {e}"))
    }

    /// "What your change did", rendered once for the page that shows it (empty when there was
    /// no change), so two pages share one piece of markup.
    pub fn change_note(&self, note: &Option<Vec<String>>) -> Result<Value, String> {
        let html = self.content("change_note.html", minijinja::context! { note => note })?;
        // Already escaped where it was rendered.
        Ok(Value::from_safe_string(html))
    }

    /// A whole page: the layout around content rendered by `content`, with a notice above it
    /// (`serve --watch` says so when it reloaded the pack).
    pub fn page(
        &self,
        page: Rendered,
        service: &str,
        error: bool,
        notice: Option<&[String]>,
    ) -> Result<String, String> {
        let ctx = minijinja::context! {
            title => page.title,
            service => service,
            error => error,
            notice => notice,
            // Already escaped where it was rendered.
            content => Value::from_safe_string(page.html),
        };
        self.content("layout.html", ctx)
    }
}

/// Text split into paragraphs at blank lines (each paragraph keeps its single line breaks).
fn paras(text: String) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// A web address fit for a link: only http and https (a tree cannot make a `javascript:` link).
fn href(url: String) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        url
    } else {
        "#".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles_and_escapes() {
        let t = Templates::new(&Pack::neutral()).unwrap();
        let html = t
            .page(
                Rendered {
                    title: "<b>".into(),
                    html: "<p>ok</p>".into(),
                },
                "S & S",
                false,
                Some(&["<i>".to_string()]),
            )
            .unwrap();
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(html.contains("<p>ok</p>"));
        assert!(html.contains("S &amp; S"));
        assert!(html.contains("&lt;i&gt;"), "the notice is escaped: {html}");
    }

    #[test]
    fn splits_paragraphs() {
        assert_eq!(paras("a\nb\n\n\nc\n".into()), ["a\nb", "c"]);
    }
}
