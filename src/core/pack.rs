//! The pack a library was compiled from: the words around the trees (the service's name, the
//! start page's description, the disclaimer, the emergency line and where it shows, the exit
//! site) that every front end shows. Read from `pack.json` (`core::format::PackManifest`); a
//! folder without one gets `Pack::neutral`, which names no subject.

use serde::Serialize;

use crate::core::format::{EmergencyPlace, ExitTo, Jurisdiction, PackManifest};

/// The id of the pack built into the binary (trees/pack.json).
pub const BUILT_IN: &str = "signpost-family-rights";

/// The words of a pack, with every default filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pack {
    /// The pack's id; `None` for a folder without a manifest.
    pub id: Option<String>,
    pub title: String,
    pub service: String,
    pub description: String,
    pub jurisdictions: Vec<Jurisdiction>,
    pub language: String,
    pub disclaimer: String,
    pub not_advice: String,
    pub privacy: Option<String>,
    /// Who the advice is for, as a plural noun ("people" unless the pack says).
    pub people: String,
    pub emergency: Option<(String, Vec<EmergencyPlace>)>,
    pub exit: ExitTo,
    pub extends: Option<String>,
}

/// Neutral wording: none of it names a subject, a country or an emergency number.
const NEUTRAL_SERVICE: &str = "Signpost";
const NEUTRAL_DESCRIPTION: &str = "Some questions, one at a time. Then your next steps: what you \
can do, by when, and who can help.";
const NEUTRAL_DISCLAIMER: &str = "This is general information, not advice about your own case.";
const NEUTRAL_NOT_ADVICE: &str = "Advice about your own case. This is general information: it \
cannot say what will happen in your case.";
const NEUTRAL_PEOPLE: &str = "people";
/// A site anyone might be looking at.
pub const NEUTRAL_EXIT_URL: &str = "https://www.bbc.co.uk/weather";
const NEUTRAL_EXIT_NAME: &str = "the BBC weather page";

impl Pack {
    /// The wording for a folder without pack.json.
    pub fn neutral() -> Pack {
        Pack {
            id: None,
            title: NEUTRAL_SERVICE.to_string(),
            service: NEUTRAL_SERVICE.to_string(),
            description: NEUTRAL_DESCRIPTION.to_string(),
            jurisdictions: vec![Jurisdiction::Any],
            language: "en-GB".to_string(),
            disclaimer: NEUTRAL_DISCLAIMER.to_string(),
            not_advice: NEUTRAL_NOT_ADVICE.to_string(),
            privacy: None,
            people: NEUTRAL_PEOPLE.to_string(),
            emergency: None,
            exit: ExitTo {
                url: NEUTRAL_EXIT_URL.to_string(),
                name: NEUTRAL_EXIT_NAME.to_string(),
            },
            extends: None,
        }
    }

    /// A manifest (already checked by `compile`) with its defaults filled in.
    pub fn from_manifest(m: &PackManifest) -> Pack {
        let neutral = Pack::neutral();
        Pack {
            id: Some(m.id.clone()),
            title: m.title.clone(),
            service: m.service.clone(),
            description: m.description.clone(),
            jurisdictions: m.jurisdictions.clone(),
            language: m.language.clone(),
            disclaimer: m.disclaimer.clone(),
            not_advice: m.not_advice.clone(),
            privacy: m.privacy.clone(),
            people: m.people.clone().unwrap_or(neutral.people),
            emergency: m
                .emergency
                .as_ref()
                .map(|e| (e.text.clone(), e.show.clone())),
            exit: m.exit.clone().unwrap_or(neutral.exit),
            extends: m.extends.clone(),
        }
    }

    /// The emergency line, if the pack shows it at this place.
    pub fn emergency_at(&self, place: EmergencyPlace) -> Option<&str> {
        self.emergency
            .as_ref()
            .filter(|(_, show)| show.contains(&place))
            .map(|(text, _)| text.as_str())
    }

    /// The line under every summary: the disclaimer, and the emergency line if it shows there.
    pub fn footer(&self) -> String {
        match self.emergency_at(EmergencyPlace::Summary) {
            Some(e) => format!("{} {e}", self.disclaimer),
            None => self.disclaimer.clone(),
        }
    }

    /// The banner on every page (web) and the plain mode's introduction: the disclaimer, and
    /// the emergency line if it shows on every page.
    pub fn banner(&self) -> String {
        match self.emergency_at(EmergencyPlace::EveryPage) {
            Some(e) => format!("{} {e}", self.disclaimer),
            None => self.disclaimer.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_neutral_pack_shows_no_emergency_line() {
        let p = Pack::neutral();
        assert_eq!(p.footer(), NEUTRAL_DISCLAIMER);
        assert_eq!(p.banner(), NEUTRAL_DISCLAIMER);
        assert!(p.emergency_at(EmergencyPlace::Start).is_none());
    }

    #[test]
    fn the_emergency_line_shows_only_where_the_pack_says() {
        let mut p = Pack::neutral();
        p.emergency = Some(("Call 112.".into(), vec![EmergencyPlace::Summary]));
        assert_eq!(p.footer(), format!("{NEUTRAL_DISCLAIMER} Call 112."));
        assert_eq!(p.banner(), NEUTRAL_DISCLAIMER);
    }
}
