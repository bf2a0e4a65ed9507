//! What a reader polling one address has read, so that each transaction
//! there is downloaded once: the state an [`InboxCursor`] keeps between
//! polls, and how a caller saves and restores it.

use std::collections::{HashMap, HashSet};

use mam_lib::ternary::Hash81;

/// How long transactions of an incomplete bundle wait for the rest of
/// their bundle: a real bundle's transactions are stored together, so
/// after this they are taken for junk.
pub const INCOMPLETE_PATIENCE_MS: u64 = 10 * 60 * 1000;

/// New transactions an [`InboxCursor`] downloads per poll by default; more
/// are left for the next poll (and [`crate::Inbox::more`] says so).
pub const DEFAULT_POLL_BUDGET: usize = 2_000;

/// Transactions of incomplete bundles an [`InboxCursor`] keeps waiting at
/// most by default; beyond that the oldest are given up on at once, so a
/// flood of lone transactions cannot grow the cursor's memory.
pub const DEFAULT_MAX_WAITING: usize = 5_000;

/// A transaction of a bundle that is not complete yet, kept without its
/// trytes: the cursor asks the node for the rest of the bundle by bundle
/// hash, and downloads the transaction again only when something new
/// arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingTransaction {
    /// The transaction's hash.
    pub hash: Hash81,
    /// The bundle it claims to belong to.
    pub bundle: Hash81,
    /// When it was first seen, Unix milliseconds.
    pub first_seen_ms: u64,
}

/// What changed in a cursor since the last [`InboxCursor::take_changes`]:
/// enough for a caller to keep a copy in its own storage row by row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CursorChanges {
    /// Transactions consumed since the last save (add them).
    pub consumed: Vec<Hash81>,
    /// The whole waiting set, when it changed since the last save (replace
    /// the stored one with it); `None` when it did not change.
    pub waiting: Option<Vec<WaitingTransaction>>,
}

impl CursorChanges {
    /// Whether there is nothing to save.
    pub fn is_empty(&self) -> bool {
        self.consumed.is_empty() && self.waiting.is_none()
    }
}

/// What a reader that polls one address has read already, so that each
/// poll downloads only transactions it has not seen, at most
/// [`InboxCursor::budget`] of them: an address that collects thousands of
/// transfers (or a flood of hostile ones) costs one `findTransactions` a
/// poll, and each junk transaction is downloaded once.
#[derive(Debug, Clone)]
pub struct InboxCursor {
    /// Transactions of bundles already returned or judged invalid, junk,
    /// and transactions of bundles that stayed incomplete too long.
    consumed: HashSet<Hash81>,
    /// Transactions of incomplete bundles: their bundle and first sighting.
    waiting: HashMap<Hash81, (Hash81, u64)>,
    budget: usize,
    max_waiting: usize,
    unsaved: Vec<Hash81>,
    waiting_changed: bool,
}

impl Default for InboxCursor {
    fn default() -> InboxCursor {
        InboxCursor {
            consumed: HashSet::new(),
            waiting: HashMap::new(),
            budget: DEFAULT_POLL_BUDGET,
            max_waiting: DEFAULT_MAX_WAITING,
            unsaved: Vec::new(),
            waiting_changed: false,
        }
    }
}

impl InboxCursor {
    /// A cursor that has read nothing.
    pub fn new() -> InboxCursor {
        InboxCursor::default()
    }

    /// A cursor as saved: the consumed transactions and the waiting ones.
    /// Nothing is unsaved after a restore.
    pub fn restore(
        consumed: impl IntoIterator<Item = Hash81>,
        waiting: impl IntoIterator<Item = WaitingTransaction>,
    ) -> InboxCursor {
        let consumed: HashSet<Hash81> = consumed.into_iter().collect();
        let waiting = waiting
            .into_iter()
            .filter(|w| !consumed.contains(&w.hash))
            .map(|w| (w.hash, (w.bundle, w.first_seen_ms)))
            .collect();
        InboxCursor {
            consumed,
            waiting,
            ..InboxCursor::default()
        }
    }

    /// The same cursor downloading at most `budget` new transactions per
    /// poll (at least one).
    pub fn with_budget(mut self, budget: usize) -> InboxCursor {
        self.budget = budget.max(1);
        self
    }

    /// The same cursor keeping at most `max_waiting` transactions of
    /// incomplete bundles.
    pub fn with_max_waiting(mut self, max_waiting: usize) -> InboxCursor {
        self.max_waiting = max_waiting;
        self
    }

    /// New transactions downloaded per poll at most.
    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Transactions it will not download again.
    pub fn consumed(&self) -> usize {
        self.consumed.len()
    }

    /// Transactions of incomplete bundles it is waiting on.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// Whether the cursor has seen the transaction (consumed or waiting).
    pub fn knows(&self, hash: &Hash81) -> bool {
        self.consumed.contains(hash) || self.waiting.contains_key(hash)
    }

    /// The changes since the last call (or the restore): newly consumed
    /// transactions, and the waiting set if it changed.
    pub fn take_changes(&mut self) -> CursorChanges {
        let waiting = std::mem::take(&mut self.waiting_changed).then(|| {
            let mut all: Vec<WaitingTransaction> = self
                .waiting
                .iter()
                .map(|(hash, (bundle, first_seen_ms))| WaitingTransaction {
                    hash: hash.clone(),
                    bundle: bundle.clone(),
                    first_seen_ms: *first_seen_ms,
                })
                .collect();
            all.sort_by(|a, b| a.hash.cmp(&b.hash));
            all
        });
        CursorChanges {
            consumed: std::mem::take(&mut self.unsaved),
            waiting,
        }
    }

    /// Marks `hash` read for good.
    pub(crate) fn consume(&mut self, hash: Hash81) {
        if self.waiting.remove(&hash).is_some() {
            self.waiting_changed = true;
        }
        if self.consumed.insert(hash.clone()) {
            self.unsaved.push(hash);
        }
    }

    /// Keeps `hash` (of incomplete `bundle`) waiting if it is new or
    /// within patience; consumes it otherwise.
    pub(crate) fn wait_or_give_up(&mut self, hash: Hash81, bundle: Hash81, now_ms: u64) {
        let first_seen = match self.waiting.get(&hash) {
            Some((_, first_seen)) => *first_seen,
            None => {
                self.waiting.insert(hash.clone(), (bundle, now_ms));
                self.waiting_changed = true;
                now_ms
            }
        };
        if now_ms.saturating_sub(first_seen) >= INCOMPLETE_PATIENCE_MS {
            self.consume(hash);
        }
    }

    /// Gives up on waiting transactions past patience, then on the oldest
    /// ones beyond the cap.
    pub(crate) fn expire_waiting(&mut self, now_ms: u64) {
        let mut stale: Vec<(u64, Hash81)> = self
            .waiting
            .iter()
            .map(|(hash, (_, first_seen))| (*first_seen, hash.clone()))
            .collect();
        stale.sort();
        let over = self.waiting.len().saturating_sub(self.max_waiting);
        for (position, (first_seen, hash)) in stale.into_iter().enumerate() {
            if position < over || now_ms.saturating_sub(first_seen) >= INCOMPLETE_PATIENCE_MS {
                self.consume(hash);
            }
        }
    }

    /// The bundles of the waiting transactions.
    pub(crate) fn waiting_bundles(&self) -> HashSet<Hash81> {
        self.waiting
            .values()
            .map(|(bundle, _)| bundle.clone())
            .collect()
    }

    /// The waiting transactions of `bundles`.
    pub(crate) fn waiting_in(&self, bundles: &HashSet<Hash81>) -> Vec<Hash81> {
        self.waiting
            .iter()
            .filter(|(_, (bundle, _))| bundles.contains(bundle))
            .map(|(hash, _)| hash.clone())
            .collect()
    }
}
