//! Every word the wizard shows, in one place, so the wording can be reviewed (and one day
//! translated) without reading the code. Plain English, short sentences, no jargon.

/// The engine's name, on the confirm box (the title bar shows the pack's service name).
pub(crate) const APP: &str = "Signpost";
pub(crate) const LEAVE_NOW: &str = "Leave now: Esc Esc or Ctrl-Q";
pub(crate) const LEAVE_NOW_SHORT: &str = "Leave: Esc Esc";
pub(crate) const ESC_ARMED: &str =
    "Press Esc again to leave now (the screen will be cleared). Press any other key to stay.";

// The start screen. What the service is, what it is not and the emergency line come from the
// pack (`Library::pack`); these are the engine's own words around them.
/// Shown when the tree has no description of its own.
pub(crate) const START_HEADING: &str = "Find out what you can do next.";
pub(crate) const START_WHAT_HEADING: &str = "What this is";
pub(crate) const START_NOT_HEADING: &str = "What this is not";
pub(crate) const START_PRIVACY_HEADING: &str = "Your privacy";
pub(crate) const START_PRIVACY: &str = "Nothing is saved unless you choose to save it.";
pub(crate) const START_LEAVE_HEADING: &str = "To leave quickly";
pub(crate) const START_LEAVE: &str = "Press Esc twice, or Ctrl-Q. The screen is cleared.";
pub(crate) const START_KEYS_HEADING: &str = "Keys";
pub(crate) const START_KEYS: &[&str] = &[
    "Up and down arrows, or a number: pick an answer. Enter: go on. b: go back.",
    "a: check or change your answers. ?: explain a word. s: save your answers.",
    "Where you type an answer: Ctrl-B goes back and F1 explains a word.",
];
pub(crate) const START_GO: &str = "Press Enter to start.";
pub(crate) const START_GO_RESUMED: &str = "Press Enter to carry on where you left off.";
pub(crate) const START_RESUMED_HEADING: &str = "Welcome back";

// Questions.
pub(crate) const BLOCKED_HEADING: &str = "We can't go on from here";
pub(crate) const BLOCKED_HELP: &str = "Press b to go back, or a to check and change your answers.";
pub(crate) const CHOICE_HINT: &str = "Choose one answer.";
pub(crate) const MULTI_HINT: &str =
    "Tick all that apply: press Space (or the number) to tick or untick.";
pub(crate) const NO_CHOICE: &str =
    "Choose one of the answers: use the up and down arrows, or type its number. Then press Enter.";
pub(crate) const INFO_CONTINUE: &str = "Press Enter to go on.";
pub(crate) const INFO_NOT_FILLED: &str =
    "(Some details on this page could not be filled in from your answers.)";
pub(crate) const NUMBER_HINT: &str = "Type a whole number in figures, for example 3.";
pub(crate) const TEXT_HINT_OPTIONAL: &str = "You can leave this blank: just press Enter.";
pub(crate) const ERROR_PREFIX: &str = "There is a problem: ";
pub(crate) const PREVIOUS_ANSWER: &str =
    "Your earlier answer is filled in. Press Enter to keep it.";
pub(crate) const CHANGE_HEADING: &str = "Change your answer";
pub(crate) const WORDS_ON_PAGE: &str = "Words explained (press ? or F1): ";
pub(crate) const WORDS_ON_PAGE_TYPING: &str = "Words explained (press F1): ";

pub(crate) fn date_hint(today: &str) -> String {
    format!(
        "Type the date as day/month/year, for example 3/2/2025, or like 3 February 2025. If you do not know it, type: I don't know. Today is {today}."
    )
}

pub(crate) fn text_hint(max: usize) -> String {
    format!("Type your answer (up to {max} characters).")
}

// Progress.

/// Where the person is: the question's number and the part of the questions (the part is left
/// out when the window is too narrow for both).
pub fn progress(section: &str, number: usize, room: usize) -> String {
    let both = format!("Question {number} · {section}");
    if both.chars().count() <= room {
        both
    } else {
        format!("Question {number}")
    }
}

// Check your answers.
pub(crate) const CHECK_HEADING: &str = "Check your answers";
pub(crate) const CHECK_INTRO_DONE: &str =
    "Make sure these are right before you see your next steps. To change one, pick it and press Enter.";
pub(crate) const CHECK_INTRO_SO_FAR: &str =
    "Your answers so far. To change one, pick it and press Enter.";
pub(crate) const CHECK_NONE: &str = "You have not answered any questions yet.";
pub(crate) const CHECK_CONTINUE_DONE: &str = "Continue to your next steps";
pub(crate) const CHECK_CONTINUE_SO_FAR: &str = "Carry on with the questions";
pub(crate) const CHECK_CARRIED: &str = "(from an earlier answer)";
pub(crate) const CHECK_CARRIED_NOTE: &str =
    "This answer was taken from one you gave earlier. Change that one instead.";
pub(crate) const CHANGE_SAME: &str =
    "Your next steps are the same as before. Check the dates and details in them again.";
pub(crate) const CHANGE_HEADING_DONE: &str = "What your change did";
pub(crate) const CHANGE_ADDED: &str = "New step: ";
pub(crate) const CHANGE_REMOVED: &str = "No longer a step: ";
pub(crate) const CHANGE_UPDATED: &str = "Updated: ";
pub(crate) const CHANGE_DROPPED: &str = "No longer asked (answer removed): ";
pub(crate) const CHANGE_MORE_QUESTIONS: &str =
    "Your answer was changed. There are some new questions to answer.";

// The summary.
pub(crate) const SUMMARY_HEADING: &str = "Your next steps";
pub(crate) const SUMMARY_TOLD_US: &str = "What you told us";
pub(crate) const SUMMARY_WHERE: &str = "Where you are now";
pub(crate) const SUMMARY_ASKED: &str = "Your questions";
pub(crate) const SUMMARY_FIRST: &str = "Do these first";
pub(crate) const SUMMARY_MORE: &str = "More that may help";
pub(crate) const SUMMARY_MORE_HOW: &str =
    "Press Tab to choose an item and Enter to open or close it.";
pub(crate) const SUMMARY_MORE_BELOW: &str = "(More below.)";
pub(crate) const SUMMARY_NEXT_DATE: &str = "Next date: ";
pub(crate) const SUMMARY_OTHER_CONTACTS: &str = "Other organisations that may help";
pub(crate) const SUMMARY_NOTE: &str = "Please note: ";
pub(crate) const SUMMARY_NO_STEPS: &str =
    "We have no particular steps for your answers. The organisations below may still help.";
pub(crate) const SUMMARY_HELP_HERE: &str = "Who can help: ";
pub(crate) const SUMMARY_SOURCES: &str = "Sources: ";
pub(crate) const SUMMARY_CONTACTS: &str = "Who can help";
pub(crate) const SUMMARY_BEFORE_CALL: &str = "Before you call: ";
pub(crate) const SUMMARY_LETTERS: &str = "Letters you can send";
pub(crate) const SUMMARY_SOURCES_HEADING: &str = "Where this advice comes from";

pub(crate) fn summary_prepared(title: &str, date: &str) -> String {
    format!("{title}. Prepared {date}.")
}

pub(crate) fn summary_due(long: &str, passed: bool) -> String {
    if passed {
        format!("Key date: {long} (this date has passed)")
    } else {
        format!("Key date: {long}")
    }
}

pub(crate) fn continued(title: &str) -> String {
    format!("{title} (continued)")
}

pub(crate) fn next_date(long: &str, title: &str) -> String {
    format!("{long}, {title}.")
}

pub(crate) fn summary_letter(title: &str) -> String {
    format!("Letter: \"{title}\" (press l to read it)")
}

pub(crate) fn letter_line(n: usize, title: &str) -> String {
    format!("{n}. {title}")
}

pub(crate) fn source_line(title: &str, url: &str, dates: &str) -> String {
    format!("{title}: {url} ({dates})")
}

// Letters.
pub(crate) const LETTER_FILL_IN: &str =
    "Fill in the parts in [square brackets] before you send it.";
pub(crate) const LETTER_SAVE_HINT: &str =
    "The letter is saved with your next steps: press t (a text file) or m (Markdown).";

pub(crate) fn letter_heading(n: usize, of: usize, title: &str) -> String {
    if of > 1 {
        format!("Letter {n} of {of}: {title}")
    } else {
        format!("Letter: {title}")
    }
}

// Saving.
pub(crate) const SAVE_MD_TITLE: &str = "Save your next steps (Markdown)";
pub(crate) const SAVE_TXT_TITLE: &str = "Save your next steps (plain text)";
pub(crate) const SAVE_PROGRESS_TITLE: &str = "Save your answers to carry on later";
pub(crate) const SAVE_MD_DEFAULT: &str = "my-next-steps.md";
pub(crate) const SAVE_TXT_DEFAULT: &str = "my-next-steps.txt";
pub(crate) const SAVE_PROGRESS_DEFAULT: &str = "my-answers.signpost";
pub(crate) const SAVE_NAME_PROMPT: &str = "File name (type a new one to change it):";
pub(crate) const SAVE_PRIVATE: &str =
    "Only you (your user account) will be able to open the file. Anyone who uses your account could read it.";
pub(crate) const SAVE_PROGRESS_HOW: &str =
    "To carry on later, start Signpost the same way and add: --resume followed by the file name.";
pub(crate) const SAVE_EMPTY_NAME: &str = "Type a file name.";
pub(crate) const NOTHING_TO_SAVE: &str =
    "You have not answered any questions yet, so there is nothing to save.";

pub(crate) fn save_where(dir: &str) -> String {
    format!("It will be saved in: {dir}")
}

pub(crate) fn save_exists(name: &str) -> String {
    format!("There is already a file called {name}. Replace it?")
}

pub(crate) const SAVE_REPLACE_TITLE: &str = "Replace the file?";
pub(crate) const SAVE_REPLACE_WHAT: &str = "Replacing it loses what is in it now.";
pub(crate) const SAVE_OTHER_NAME: &str = "Type another name, or press Enter to be asked again.";

pub(crate) fn save_failed(e: &str) -> String {
    format!("That could not be saved: {e}. Try another name or folder.")
}

pub fn saved(path: &str) -> String {
    format!("Saved to {path}. Only you can open it.")
}

pub(crate) fn saved_progress(path: &str) -> String {
    format!("Your answers are saved in {path}. To carry on later, add --resume {path}")
}

// Confirmations.
pub(crate) const CONFIRM_RESTART: &str = "Start again? This clears all your answers.";
pub(crate) const CONFIRM_CLOSE_UNSAVED: &str =
    "Close Signpost? You have not saved your next steps, so they will be gone.";

// Resuming.
pub(crate) fn resumed_from(file: &str) -> String {
    format!("Carrying on from the answers saved in {file}.")
}
pub(crate) const RESUMED_CHANGED: &str =
    "The advice has been updated since you saved, so your answers were checked again.";

pub(crate) fn resumed_dropped(question: &str) -> String {
    format!("Your answer to \"{question}\" no longer applies and was removed.")
}
pub(crate) fn resumed_dropped_more(count: usize) -> String {
    format!("{count} more saved answers no longer apply and were removed.")
}

// The glossary popup.
pub(crate) const GLOSSARY_TITLE: &str = "Words explained";
pub(crate) const GLOSSARY_NONE_HERE: &str =
    "There are no special words on this page. Here are all the \
words we explain:";
pub(crate) const GLOSSARY_EMPTY: &str = "There are no words to explain.";
pub(crate) const GLOSSARY_ALSO: &str = "Also written: ";

// Adviser details.
pub(crate) const DETAILS_TITLE: &str = "Adviser details (F12 to hide)";
pub(crate) const DETAILS_NODE: &str = "Node: ";
pub(crate) const DETAILS_FACTS: &str = "Facts: ";
pub(crate) const DETAILS_NONE: &str = "(none)";

// Scrolling.
pub(crate) const MORE_BELOW: &str = "More below: press Down or PgDn";
pub(crate) const MORE_ABOVE: &str = "More above: press Up or PgUp";

// The window is too small.
pub(crate) const TOO_SMALL: &str = "Please make this window bigger.";

// Key hints: what a key does (the key's name comes from the key table in keys.rs).
pub(crate) const K_START: &str = "Start";
pub(crate) const K_CONTINUE: &str = "Continue";
pub(crate) const K_CHANGE_THIS: &str = "Change this answer";
pub(crate) const K_SAVE: &str = "Save";
pub(crate) const K_MOVE: &str = "Move";
pub(crate) const K_SCROLL: &str = "Scroll";
pub(crate) const K_TICK: &str = "Tick";
pub(crate) const K_BACK: &str = "Back";
pub(crate) const K_ANSWERS: &str = "Your answers";
pub(crate) const K_WORDS: &str = "Words explained";
pub(crate) const K_SAVE_PROGRESS: &str = "Save answers";
pub(crate) const K_SAVE_MD: &str = "Save as Markdown";
pub(crate) const K_SAVE_TXT: &str = "Save as a text file";
pub(crate) const K_LETTER: &str = "Read the letter";
pub(crate) const K_NEXT_LETTER: &str = "Next letter";
pub(crate) const K_CHANGE: &str = "Change answers";
pub(crate) const K_RESTART: &str = "Start again";
pub(crate) const K_CLOSE: &str = "Close";
pub(crate) const K_NEXT_ITEM: &str = "Choose an item below";
pub(crate) const K_OPEN_ITEM: &str = "Open or close it";
pub(crate) const K_CANCEL: &str = "Cancel";
pub(crate) const K_YES: &str = "Yes";
pub(crate) const K_NO: &str = "No, go back";
pub(crate) const K_REPLACE: &str = "Yes, replace it";
pub(crate) const K_OTHER_NAME: &str = "No, choose another name";

/// After `--watch` reloaded a changed tree.
pub fn reloaded(kept: usize, dropped: usize) -> String {
    if dropped == 0 {
        match kept {
            0 => "The tree changed and was reloaded.".to_string(),
            1 => "The tree changed and was reloaded. Your answer still applies.".to_string(),
            n => format!("The tree changed and was reloaded. All {n} answers still apply."),
        }
    } else {
        format!("The tree changed and was reloaded. {kept} answers still apply; {dropped} no longer do.")
    }
}

/// After `--watch` found a changed tree that does not compile.
pub(crate) fn reload_failed(problem: &str) -> String {
    format!("The changed tree has problems, so this is still the last good version. {problem}")
}
