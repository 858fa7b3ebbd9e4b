//! The pack's manifest (pack.json): read, checked value by value with located diagnostics
//! (E037 for a value that is not allowed, E038 for `extends` naming a pack that is not there,
//! E027 for a control character), and turned into the `Pack` the front ends show.

use super::names::is_tree_id;
use super::reporter::Diagnostics;
use super::text::check_control;
use super::{Inputs, SourceFile};
use crate::core::format::PackManifest;
use crate::core::pack::{Pack, BUILT_IN};

/// The pack's words: its manifest's, or neutral ones when there is no manifest. None when the
/// manifest is broken (already reported).
pub(super) fn load(diags: &mut Diagnostics, inputs: &Inputs) -> Option<Pack> {
    let Some(file) = &inputs.pack else {
        return Some(Pack::neutral());
    };
    let manifest: PackManifest = diags.parse_shared(file)?;
    let before = diags.list.len();
    check(diags, file, &manifest, inputs);
    let broken = diags.list[before..].iter().any(|d| d.is_error());
    (!broken).then(|| Pack::from_manifest(&manifest))
}

fn e034(diags: &mut Diagnostics, file: &SourceFile, pointer: &str, msg: &str, help: &str) {
    let d = crate::core::diagnostics::Diagnostic::error("E037", &file.path, pointer, msg)
        .with_help(help);
    diags.push(file, d);
}

/// Every value of the manifest, each problem at its own place.
fn check(diags: &mut Diagnostics, file: &SourceFile, m: &PackManifest, inputs: &Inputs) {
    if !is_tree_id(&m.id) {
        e034(
            diags,
            file,
            "/id",
            &format!("`{}` is not a pack id", m.id),
            "use lower case letters, digits, `-` and `_`, e.g. \"returns-example\"",
        );
    }
    let texts = [
        ("/title", &m.title, false),
        ("/service", &m.service, false),
        ("/description", &m.description, true),
        ("/disclaimer", &m.disclaimer, false),
        ("/not_advice", &m.not_advice, true),
    ];
    for (pointer, text, multi_line) in texts {
        if text.trim().is_empty() {
            e034(
                diags,
                file,
                pointer,
                &format!("`{}` is empty", &pointer[1..]),
                "every person reads it: write it in plain words",
            );
        }
        check_control(diags, file, || pointer.to_string(), text, multi_line);
    }
    for (pointer, text) in [("/privacy", &m.privacy), ("/people", &m.people)] {
        if let Some(t) = text {
            check_control(diags, file, || pointer.to_string(), t, true);
        }
    }
    if !is_language_tag(&m.language) {
        e034(
            diags,
            file,
            "/language",
            &format!("`{}` is not a language tag", m.language),
            "write the language as a tag such as \"en-GB\" or \"cy\"",
        );
    }
    if m.jurisdictions.is_empty() {
        e034(
            diags,
            file,
            "/jurisdictions",
            "`jurisdictions` is empty",
            "e.g. [\"england\"], or [\"any\"]",
        );
    }
    if let Some(e) = &m.emergency {
        check_emergency(diags, file, e);
    }
    if let Some(x) = &m.exit {
        if !x.url.starts_with("https://") {
            e034(
                diags,
                file,
                "/exit/url",
                &format!("`{}` is not an https address", x.url),
                "\"Exit this page\" must open a neutral site over https, e.g. \"https://www.bbc.co.uk/weather\"",
            );
        }
        check_control(diags, file, || "/exit/name".to_string(), &x.name, false);
    }
    check_extends(diags, file, m, inputs);
}

fn check_emergency(diags: &mut Diagnostics, file: &SourceFile, e: &crate::core::format::Emergency) {
    if e.text.trim().is_empty() {
        e034(
            diags,
            file,
            "/emergency/text",
            "the emergency line is empty",
            "write the line (e.g. who to call), or leave `emergency` out",
        );
    }
    check_control(
        diags,
        file,
        || "/emergency/text".to_string(),
        &e.text,
        false,
    );
    if e.show.is_empty() {
        e034(
            diags,
            file,
            "/emergency/show",
            "the emergency line is shown nowhere",
            "list where to show it: \"start\", \"every_page\", \"summary\"",
        );
    }
}

/// `extends` must name a pack that was found (and laid under this one), never this pack: the
/// built-in pack's id, or another pack's folder that the loader could follow.
fn check_extends(diags: &mut Diagnostics, file: &SourceFile, m: &PackManifest, inputs: &Inputs) {
    let Some(base) = &m.extends else {
        return;
    };
    if *base == m.id {
        e034(
            diags,
            file,
            "/extends",
            "a pack cannot extend itself",
            "name the pack whose contacts, glossary and letters you reuse, or leave `extends` out",
        );
    } else if inputs.extended.as_deref() != Some(base.as_str()) {
        let message = match &inputs.extends_error {
            Some(why) => format!("`extends` cannot use `{base}`: {why}"),
            None => format!("there is no pack called `{base}` to extend"),
        };
        let d = crate::core::diagnostics::Diagnostic::error("E038", &file.path, "/extends", message)
            .with_help(format!(
                "name the built-in pack, \"{BUILT_IN}\", or another pack's folder relative to this one (e.g. \"../base-pack\"); or leave `extends` out to use only this folder's files"
            ));
        diags.push(file, d);
    }
}

/// A BCP 47 tag's shape: a 2 or 3 letter language, then subtags of letters and digits.
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en-GB"));
        assert!(is_language_tag("cy"));
        assert!(!is_language_tag("English"));
        assert!(!is_language_tag("en_GB"));
        assert!(!is_language_tag(""));
    }
}
