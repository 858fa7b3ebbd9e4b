//! The shared data trees use: contacts, glossary, bank holidays, audiences, letters and the
//! question catalogue's phrasings, each read and checked, with the local files kept beside the
//! trees laid over the built-in ones (a local questions.json replaces the built-in one whole).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::dates::check_date;
use super::reporter::Diagnostics;
use super::text::{check_contact_controls, check_glossary_controls, letter_is_inert};
use super::{Inputs, Letter, Local, Origin, Origins, SourceFile};
use crate::core::calendar::Calendar;
use crate::core::diagnostics::{escape_segment, Diagnostic};
use crate::core::format::{
    AudienceDef, AudiencesFile, BankHolidaysFile, ContactsFile, GlossaryFile, QuestionsFile,
};

/// The shared data as read, with where each entry came from.
pub(super) struct SharedData {
    pub(super) contacts: Option<ContactsFile>,
    pub(super) glossary: Option<GlossaryFile>,
    pub(super) calendar: Option<Arc<Calendar>>,
    /// The question catalogue's phrasings, if there is a questions.json.
    pub(super) questions: Option<QuestionsFile>,
    /// Who advice can be for, built-in and local; None when a file did not read.
    pub(super) audiences: Option<BTreeMap<String, AudienceDef>>,
    pub(super) letters: BTreeMap<String, Letter>,
    /// Letters that exist but did not parse (already reported).
    pub(super) broken_letters: BTreeSet<String>,
    pub(super) origins: Origins,
}

/// The local contacts and glossary, each with the file it came from.
struct LocalData<'i> {
    contacts: Option<(&'i SourceFile, ContactsFile)>,
    glossary: Option<(&'i SourceFile, GlossaryFile)>,
}

/// Reads and checks every shared file, then lays each pack's data over the base data: the packs
/// this folder extends (farthest first), then the folder's own, so the nearest pack wins.
pub(super) fn load(diags: &mut Diagnostics, inputs: &Inputs) -> SharedData {
    let mut contacts: Option<ContactsFile> = diags.parse_shared(&inputs.contacts);
    let mut glossary: Option<GlossaryFile> = diags.parse_shared(&inputs.glossary);
    let holidays: Option<BankHolidaysFile> = diags.parse_shared(&inputs.holidays);
    let questions: Option<QuestionsFile> = inputs
        .questions
        .as_ref()
        .and_then(|f| diags.parse_shared(f));
    let calendar = holidays
        .as_ref()
        .and_then(|h| build_calendar(diags, &inputs.holidays, h));
    let layers: Vec<&Local> = inputs.under.iter().chain([&inputs.local]).collect();
    let locals: Vec<LocalData> = layers
        .iter()
        .map(|layer| LocalData {
            contacts: layer
                .contacts
                .as_ref()
                .and_then(|f| Some((f, diags.parse_shared(f)?))),
            glossary: layer
                .glossary
                .as_ref()
                .and_then(|f| Some((f, diags.parse_shared(f)?))),
        })
        .collect();
    check_shared_dates(diags, inputs, contacts.as_ref(), &locals, holidays.as_ref());
    check_shared_controls(diags, inputs, contacts.as_ref(), glossary.as_ref(), &locals);
    let (mut letters, mut broken_letters) = parse_letters(diags, &inputs.letters);
    let mut origins = built_in_origins(inputs, contacts.as_ref(), glossary.as_ref(), &letters);
    for (layer, local) in layers.iter().zip(locals) {
        let (local_letters, local_broken) = parse_letters(diags, &layer.letters);
        broken_letters.extend(local_broken);
        layer_local(
            &mut origins,
            (contacts.as_mut(), glossary.as_mut(), &mut letters),
            local,
            local_letters,
        );
    }
    let audiences = load_audiences(diags, inputs, &mut origins);
    SharedData {
        contacts,
        glossary,
        calendar,
        questions,
        audiences,
        letters,
        broken_letters,
        origins,
    }
}

/// The audiences: the built-in file, with a local one laid over it (each name it defines adds an
/// audience or replaces the built-in one). None when either does not read (already reported).
fn load_audiences(
    diags: &mut Diagnostics,
    inputs: &Inputs,
    origins: &mut Origins,
) -> Option<BTreeMap<String, AudienceDef>> {
    let built_in: Option<AudiencesFile> = diags.parse_shared(&inputs.audiences);
    let layers: Vec<(&SourceFile, Option<AudiencesFile>)> = inputs
        .under
        .iter()
        .chain([&inputs.local])
        .filter_map(|l| l.audiences.as_ref())
        .map(|f| (f, diags.parse_shared(f)))
        .collect();
    let mut audiences = built_in?.audiences;
    origins.audiences = audiences
        .keys()
        .map(|name| {
            let origin = Origin {
                file: inputs.audiences.path.clone(),
                local: false,
            };
            (name.clone(), origin)
        })
        .collect();
    for (file, local) in layers {
        Origins::layer(
            "audience",
            &mut audiences,
            &mut origins.audiences,
            &mut origins.overrides,
            local?.audiences,
            &file.path,
        );
    }
    Some(audiences)
}

/// The working-day calendar, or E023 when the bank-holiday file cannot make one.
fn build_calendar(
    diags: &mut Diagnostics,
    file: &SourceFile,
    holidays: &BankHolidaysFile,
) -> Option<Arc<Calendar>> {
    match Calendar::from_file(holidays) {
        Ok(c) => Some(Arc::new(c)),
        Err(e) => {
            diags.push(
                file,
                Diagnostic::error("E023", &file.path, "/years", e.to_string()),
            );
            None
        }
    }
}

/// Every `checked` date of the contacts (built-in, then local) and of the bank holidays.
fn check_shared_dates(
    diags: &mut Diagnostics,
    inputs: &Inputs,
    contacts: Option<&ContactsFile>,
    locals: &[LocalData],
    holidays: Option<&BankHolidaysFile>,
) {
    for (file, c) in contacts.map(|c| (&inputs.contacts, c)).into_iter().chain(
        locals
            .iter()
            .filter_map(|l| l.contacts.as_ref().map(|(f, c)| (*f, c))),
    ) {
        for (id, contact) in &c.contacts {
            check_date(
                diags,
                file,
                &format!("/contacts/{}/checked", escape_segment(id)),
                &contact.checked,
            );
        }
    }
    if let Some(h) = holidays {
        check_date(diags, &inputs.holidays, "/checked", &h.checked);
    }
}

/// No control characters in contacts and glossary terms, built-in then local.
fn check_shared_controls(
    diags: &mut Diagnostics,
    inputs: &Inputs,
    contacts: Option<&ContactsFile>,
    glossary: Option<&GlossaryFile>,
    locals: &[LocalData],
) {
    if let Some(c) = contacts {
        check_contact_controls(diags, &inputs.contacts, c);
    }
    if let Some(g) = glossary {
        check_glossary_controls(diags, &inputs.glossary, g);
    }
    for local in locals {
        if let Some((file, c)) = &local.contacts {
            check_contact_controls(diags, file, c);
        }
        if let Some((file, g)) = &local.glossary {
            check_glossary_controls(diags, file, g);
        }
    }
}

/// Where each built-in entry came from, before any local file is laid over it.
fn built_in_origins(
    inputs: &Inputs,
    contacts: Option<&ContactsFile>,
    glossary: Option<&GlossaryFile>,
    letters: &BTreeMap<String, Letter>,
) -> Origins {
    let mut origins = Origins::default();
    let from = |ids: Vec<&String>, file: &SourceFile| -> BTreeMap<String, Origin> {
        ids.into_iter()
            .map(|id| {
                let origin = Origin {
                    file: file.path.clone(),
                    local: false,
                };
                (id.clone(), origin)
            })
            .collect()
    };
    origins.contacts = from(
        contacts.iter().flat_map(|c| c.contacts.keys()).collect(),
        &inputs.contacts,
    );
    origins.glossary = from(
        glossary.iter().flat_map(|g| g.terms.keys()).collect(),
        &inputs.glossary,
    );
    origins.letters = letters
        .values()
        .map(|l| {
            let origin = Origin {
                file: l.file.clone(),
                local: false,
            };
            (l.id.clone(), origin)
        })
        .collect();
    origins
}

/// Local data over the built-in data, remembering where each entry came from.
fn layer_local(
    origins: &mut Origins,
    (contacts, glossary, letters): (
        Option<&mut ContactsFile>,
        Option<&mut GlossaryFile>,
        &mut BTreeMap<String, Letter>,
    ),
    local: LocalData,
    local_letters: BTreeMap<String, Letter>,
) {
    if let (Some(base), Some((file, local))) = (contacts, local.contacts) {
        Origins::layer(
            "contact",
            &mut base.contacts,
            &mut origins.contacts,
            &mut origins.overrides,
            local.contacts,
            &file.path,
        );
    }
    if let (Some(base), Some((file, local))) = (glossary, local.glossary) {
        Origins::layer(
            "glossary term",
            &mut base.terms,
            &mut origins.glossary,
            &mut origins.overrides,
            local.terms,
            &file.path,
        );
    }
    for (id, letter) in local_letters {
        let file = letter.file.clone();
        Origins::layer(
            "letter",
            letters,
            &mut origins.letters,
            &mut origins.overrides,
            BTreeMap::from([(id, letter)]),
            &file,
        );
    }
}

fn parse_letters(
    diags: &mut Diagnostics,
    files: &[SourceFile],
) -> (BTreeMap<String, Letter>, BTreeSet<String>) {
    let mut letters = BTreeMap::new();
    let mut broken = BTreeSet::new();
    for file in files {
        let name = file.path.rsplit(['/', '\\']).next().unwrap_or(&file.path);
        let id = name.trim_end_matches(".md").to_string();
        let mut lines = file.text.splitn(2, '\n');
        let first = lines.next().unwrap_or("").trim_end();
        let Some(title) = first.strip_prefix("# ") else {
            diags.push(
                file,
                Diagnostic::error(
                    "E023",
                    &file.path,
                    "",
                    "a letter must start with a title line: `# Title`",
                )
                .with_help(
                    "make the first line `# ` and the letter's name, e.g. `# Asking for stage 2`",
                )
                .at(1, 1),
            );
            broken.insert(id);
            continue;
        };
        if !letter_is_inert(diags, file) {
            broken.insert(id);
            continue;
        }
        let rest = lines.next().unwrap_or("");
        letters.insert(
            id.clone(),
            Letter {
                id,
                title: title.trim().to_string(),
                body: rest.trim().to_string(),
                file: file.path.clone(),
                // After the title line and the blank lines the body's trim drops.
                body_line: 2 + rest[..rest.len() - rest.trim_start().len()]
                    .matches('\n')
                    .count(),
            },
        );
    }
    (letters, broken)
}
