//! Sessions: each person's answers, in this process's memory only, under a random id. Nothing
//! here is written anywhere. A session ends when the person leaves (Exit this page, Start
//! again), a while after their summary is shown, or after a time without use; when the store is
//! full, the session unused for longest makes way for a new one.

use std::collections::HashMap;
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
    pub max: usize,
}

pub struct Store {
    slots: Mutex<HashMap<String, Slot>>,
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
            slots: Mutex::new(HashMap::new()),
            limits,
        }
    }

    fn expired(&self, slot: &Slot, now: Instant) -> bool {
        now.duration_since(slot.last_seen) >= self.limits.idle
            || slot.ends_at.is_some_and(|t| now >= t)
    }

    /// Starts keeping a visit; returns its new id.
    pub fn insert(&self, visit: Visit) -> Result<String, String> {
        let now = Instant::now();
        let mut slots = lock(&self.slots);
        if slots.len() >= self.limits.max {
            slots.retain(|_, s| !self.expired(s, now));
        }
        while slots.len() >= self.limits.max.max(1) {
            let oldest = slots
                .iter()
                .min_by_key(|(_, s)| s.last_seen)
                .map(|(id, _)| id.clone());
            match oldest {
                Some(id) => slots.remove(&id),
                None => break,
            };
        }
        let mut id = super::security::random_id()?;
        while slots.contains_key(&id) {
            id = super::security::random_id()?;
        }
        slots.insert(
            id.clone(),
            Slot {
                visit: Arc::new(Mutex::new(visit)),
                last_seen: now,
                ends_at: None,
            },
        );
        Ok(id)
    }

    /// The visit with this id, if it is still live; using it counts as activity.
    pub fn get(&self, id: &str) -> Option<Arc<Mutex<Visit>>> {
        let now = Instant::now();
        let mut slots = lock(&self.slots);
        let slot = slots.get_mut(id)?;
        if self.expired(slot, now) {
            slots.remove(id);
            return None;
        }
        slot.last_seen = now;
        Some(Arc::clone(&slot.visit))
    }

    /// Ends a visit at once. True if there was one.
    pub fn remove(&self, id: &str) -> bool {
        lock(&self.slots).remove(id).is_some()
    }

    /// The summary was shown: the visit ends after the grace period (if no earlier end is set).
    pub fn finishing(&self, id: &str) {
        let end = Instant::now() + self.limits.grace;
        if let Some(slot) = lock(&self.slots).get_mut(id) {
            slot.ends_at.get_or_insert(end);
        }
    }

    /// The person is answering again: no end is set until the summary is shown again.
    pub fn not_finishing(&self, id: &str) {
        if let Some(slot) = lock(&self.slots).get_mut(id) {
            slot.ends_at = None;
        }
    }

    /// Forgets every visit that has ended. Returns how many.
    pub fn sweep(&self) -> usize {
        let now = Instant::now();
        let mut slots = lock(&self.slots);
        let before = slots.len();
        slots.retain(|_, s| !self.expired(s, now));
        before - slots.len()
    }
}
