//! Sessions: each person's answers, in this process's memory only, under a random id. Nothing
//! here is written anywhere. A session ends when the person leaves (Exit this page, Start
//! again), a while after their summary is shown, or after a time without use.
//!
//! Sessions are kept in two parts, each with its own cap. A new session that has answered
//! nothing yet is in the small `new` part; its first answer moves it to the `answered` part.
//! When the `new` part is full, the new session unused for longest makes way, so a flood of
//! anonymous starts can only ever push out other sessions with no answers, never a person who
//! has answered. When the `answered` part is full, the answered session unused for longest
//! makes way for one that has just answered.
//!
//! The ids of sessions the store ended itself (to make room, after a time without use, after the
//! summary) are remembered, a bounded number per part, so the page a person sees next can say
//! what really happened.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::core::changes::Snapshot;
use crate::core::session::Session;

/// One person's visit.
pub struct Visit {
    pub session: Session<'static>,
    /// The token every form of this visit carries back.
    pub csrf: String,
    /// The advice before an answer was changed, until the answers are checked again.
    pub baseline: Option<Snapshot>,
    /// What the last change did, in sentences, shown until the person does something else.
    pub note: Option<Vec<String>>,
    /// The version of the trees the session is over (`serve --watch` reloads them).
    pub version: u64,
    /// What a reload of the trees did to the answers, for the next page shown (taken when
    /// shown, by a page that only reads the visit).
    pub notice: std::cell::Cell<Option<Vec<String>>>,
}

/// Why the store ended a session (a session the person ended is not remembered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Pushed out, unused for longest, when its part of the store was full.
    MadeRoom,
    /// Unused for the idle time.
    Idle,
    /// The grace time after the summary was shown passed.
    Finished,
}

/// What the store knows about an id.
pub enum Found {
    Live(Arc<Mutex<Visit>>),
    /// Not live; why, if the store ended it and still remembers.
    Gone(Option<Ended>),
}

struct Slot {
    visit: Arc<Mutex<Visit>>,
    last_seen: Instant,
    /// Set when the summary is shown: the session ends then, however busy.
    ends_at: Option<Instant>,
}

/// How long sessions last and how many there may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub idle: Duration,
    pub grace: Duration,
    /// Most sessions that have answered something.
    pub max: usize,
    /// Most sessions that have answered nothing yet.
    pub max_new: usize,
}

/// How many ended ids each part remembers at least (about 1 MB for both parts): a flood of
/// anonymous starts can push out only the `new` part's record.
const RECORD: usize = 10_000;

/// The ids of sessions the store ended, with why: at most `cap`, the oldest forgotten first.
struct Record {
    order: VecDeque<String>,
    why: HashMap<String, Ended>,
    cap: usize,
}

impl Record {
    fn new(cap: usize) -> Record {
        Record {
            order: VecDeque::new(),
            why: HashMap::new(),
            cap,
        }
    }

    fn add(&mut self, id: String, why: Ended) {
        if self.why.insert(id.clone(), why).is_none() {
            self.order.push_back(id);
        }
        while self.order.len() > self.cap {
            if let Some(old) = self.order.pop_front() {
                self.why.remove(&old);
            }
        }
    }
}

/// One part of the store: its live sessions and the ones it ended.
struct Part {
    slots: HashMap<String, Slot>,
    ended: Record,
    max: usize,
}

impl Part {
    fn new(max: usize) -> Part {
        let max = max.max(1);
        Part {
            slots: HashMap::new(),
            ended: Record::new(max.max(RECORD)),
            max,
        }
    }

    /// Forgets every session that has ended by now, remembering why.
    fn sweep(&mut self, limits: &Limits, now: Instant) -> usize {
        let ended: Vec<(String, Ended)> = self
            .slots
            .iter()
            .filter_map(|(id, s)| expired(limits, s, now).map(|why| (id.clone(), why)))
            .collect();
        for (id, why) in &ended {
            self.slots.remove(id);
            self.ended.add(id.clone(), *why);
        }
        ended.len()
    }

    /// Makes room for one more: ended sessions go first, then the one unused for longest.
    fn make_room(&mut self, limits: &Limits, now: Instant) {
        if self.slots.len() >= self.max {
            self.sweep(limits, now);
        }
        while self.slots.len() >= self.max {
            let oldest = self
                .slots
                .iter()
                .min_by_key(|(_, s)| s.last_seen)
                .map(|(id, _)| id.clone());
            let Some(id) = oldest else { break };
            self.slots.remove(&id);
            self.ended.add(id, Ended::MadeRoom);
        }
    }
}

/// Why a slot has ended by `now`, if it has.
fn expired(limits: &Limits, slot: &Slot, now: Instant) -> Option<Ended> {
    if slot.ends_at.is_some_and(|t| now >= t) {
        Some(Ended::Finished)
    } else if now.duration_since(slot.last_seen) >= limits.idle {
        Some(Ended::Idle)
    } else {
        None
    }
}

struct Parts {
    new: Part,
    answered: Part,
}

impl Parts {
    fn slot(&mut self, id: &str) -> Option<&mut Slot> {
        match self.new.slots.get_mut(id) {
            Some(s) => Some(s),
            None => self.answered.slots.get_mut(id),
        }
    }
}

pub struct Store {
    parts: Mutex<Parts>,
    limits: Limits,
}

/// Locks a mutex, carrying on if a thread panicked while holding it (every handler's work is
/// caught, and a half-done change is replayed away by the session on its next step).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Store {
    pub fn new(limits: Limits) -> Store {
        Store {
            parts: Mutex::new(Parts {
                new: Part::new(limits.max_new),
                answered: Part::new(limits.max),
            }),
            limits,
        }
    }

    /// Starts keeping a visit that has answered nothing; returns its new id. Only another
    /// session with no answers can make way for it.
    pub fn insert(&self, visit: Visit) -> Result<String, String> {
        let now = Instant::now();
        let mut parts = lock(&self.parts);
        parts.new.make_room(&self.limits, now);
        let mut id = super::security::random_id()?;
        while parts.new.slots.contains_key(&id) || parts.answered.slots.contains_key(&id) {
            id = super::security::random_id()?;
        }
        parts.new.slots.insert(
            id.clone(),
            Slot {
                visit: Arc::new(Mutex::new(visit)),
                last_seen: now,
                ends_at: None,
            },
        );
        Ok(id)
    }

    /// The visit with this id if it is still live (using it counts as activity), or why not.
    pub fn find(&self, id: &str) -> Found {
        let now = Instant::now();
        let mut parts = lock(&self.parts);
        let parts = &mut *parts;
        for part in [&mut parts.new, &mut parts.answered] {
            let Some(slot) = part.slots.get_mut(id) else {
                continue;
            };
            if let Some(why) = expired(&self.limits, slot, now) {
                part.slots.remove(id);
                part.ended.add(id.to_string(), why);
                return Found::Gone(Some(why));
            }
            slot.last_seen = now;
            return Found::Live(Arc::clone(&slot.visit));
        }
        let why = [&parts.answered, &parts.new]
            .into_iter()
            .find_map(|p| p.ended.why.get(id).copied());
        Found::Gone(why)
    }

    /// The visit with this id, if it is still live; using it counts as activity.
    pub fn get(&self, id: &str) -> Option<Arc<Mutex<Visit>>> {
        match self.find(id) {
            Found::Live(v) => Some(v),
            Found::Gone(_) => None,
        }
    }

    /// The visit has taken an answer: it moves to the part for sessions with answers (where, if
    /// that is full, the answered session unused for longest makes way).
    pub fn answered(&self, id: &str) {
        let now = Instant::now();
        let mut parts = lock(&self.parts);
        let Some(slot) = parts.new.slots.remove(id) else {
            return;
        };
        parts.answered.make_room(&self.limits, now);
        parts.answered.slots.insert(id.to_string(), slot);
    }

    /// Ends a visit at once. True if there was one.
    pub fn remove(&self, id: &str) -> bool {
        let mut parts = lock(&self.parts);
        parts.new.slots.remove(id).is_some() || parts.answered.slots.remove(id).is_some()
    }

    /// The summary was shown: the visit ends after the grace period (if no earlier end is set).
    pub fn finishing(&self, id: &str) {
        let end = Instant::now() + self.limits.grace;
        if let Some(slot) = lock(&self.parts).slot(id) {
            slot.ends_at.get_or_insert(end);
        }
    }

    /// The person is answering again: no end is set until the summary is shown again.
    pub fn not_finishing(&self, id: &str) {
        if let Some(slot) = lock(&self.parts).slot(id) {
            slot.ends_at = None;
        }
    }

    /// Forgets every visit that has ended. Returns how many.
    pub fn sweep(&self) -> usize {
        let now = Instant::now();
        let mut parts = lock(&self.parts);
        parts.new.sweep(&self.limits, now) + parts.answered.sweep(&self.limits, now)
    }
}
