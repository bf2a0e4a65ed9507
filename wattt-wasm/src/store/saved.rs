//! The state Wattt saves next to the readings: where its inbox stands, the
//! homes (each connection with its next root and side key) and how many
//! reading chunks each home has, so the two are written and read as one.
//! Pure serde, tested natively.

use std::collections::BTreeMap;

use iri_client::{CursorChanges, InboxCursor, WaitingTransaction};
use mam_lib::ternary::Hash81;
use serde::{Deserialize, Serialize};

use crate::provider::homes::Homes;

/// The inbox cursor as saved: transactions read at Wattt's address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedInbox {
    consumed: Vec<Hash81>,
    /// Transactions of incomplete bundles: (hash, bundle, first seen ms).
    waiting: Vec<(Hash81, Hash81, u64)>,
}

impl SavedInbox {
    /// Adds what changed in the cursor since it was last saved.
    pub fn apply(&mut self, changes: CursorChanges) {
        self.consumed.extend(changes.consumed);
        if let Some(waiting) = changes.waiting {
            self.waiting = waiting
                .into_iter()
                .map(|w| (w.hash, w.bundle, w.first_seen_ms))
                .collect();
        }
    }

    /// The cursor as it was saved.
    pub fn cursor(&self) -> InboxCursor {
        InboxCursor::restore(
            self.consumed.iter().cloned(),
            self.waiting
                .iter()
                .map(|(hash, bundle, first_seen_ms)| WaitingTransaction {
                    hash: hash.clone(),
                    bundle: bundle.clone(),
                    first_seen_ms: *first_seen_ms,
                }),
        )
    }
}

/// Everything but the readings, saved in the transaction that adds a
/// chunk of readings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedState {
    /// The inbox.
    pub inbox: SavedInbox,
    /// The homes and what was refused.
    pub homes: Homes,
    /// Reading chunks saved per policy id: chunk `n` of a home is its
    /// `n`-th, the readings of the messages followed in that save.
    pub chunks: BTreeMap<String, u32>,
}

impl SavedState {
    /// The state as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The state in `json`, or `None` when it is not one (an older
    /// Wattt's, or damaged: then everything is read again).
    pub fn from_json(json: &str) -> Option<SavedState> {
        serde_json::from_str(json).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(letter: char) -> Hash81 {
        letter.to_string().repeat(81).parse().expect("81 trytes")
    }

    #[test]
    fn the_inbox_cursor_comes_back_as_saved() {
        let mut saved = SavedInbox::default();
        saved.apply(CursorChanges {
            consumed: vec![hash('A'), hash('B')],
            waiting: Some(vec![WaitingTransaction {
                hash: hash('C'),
                bundle: hash('D'),
                first_seen_ms: 5,
            }]),
        });
        saved.apply(CursorChanges {
            consumed: vec![hash('E')],
            waiting: None,
        });
        let state = SavedState {
            inbox: saved,
            ..SavedState::default()
        };
        let back = SavedState::from_json(&state.to_json()).expect("parses");
        assert_eq!(back, state);
        let cursor = back.inbox.cursor();
        assert!(cursor.knows(&hash('A')) && cursor.knows(&hash('E')));
        assert_eq!(cursor.consumed(), 3);
        assert_eq!(cursor.waiting(), 1);
        assert_eq!(SavedState::from_json("{\"inbox\":7}"), None);
    }
}
