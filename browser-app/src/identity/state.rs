//! The identity state of an app and its reducer. Pure: no browser calls, so
//! every transition is tested natively.

use std::rc::Rc;

use mam_lib::address::{generate_address, Address, Security};
use mam_lib::seed::Seed;
use mam_lib::ternary::TernaryError;
use yew::Reducible;

/// Key index of the app's own address.
pub const ADDRESS_INDEX: u64 = 0;

/// Security level of the app's own address (2, the legacy IOTA default).
pub const ADDRESS_SECURITY: Security = Security::Medium;

/// Where the seed of an [`Identity`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedOrigin {
    /// Drawn from the CSPRNG on this load and stored.
    Generated,
    /// Found in browser storage.
    Restored,
    /// Restored by the owner from a backup (pasted or uploaded).
    Imported,
}

/// A seed and the address the app uses: index [`ADDRESS_INDEX`], security
/// [`ADDRESS_SECURITY`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    seed: Seed,
    address: Address,
    origin: SeedOrigin,
}

impl Identity {
    /// Derives the address of `seed`.
    pub fn from_seed(seed: Seed, origin: SeedOrigin) -> Identity {
        let address = generate_address(&seed, ADDRESS_INDEX, ADDRESS_SECURITY);
        Identity {
            seed,
            address,
            origin,
        }
    }

    /// The secret seed.
    pub fn seed(&self) -> &Seed {
        &self.seed
    }

    /// The app's address.
    pub fn address(&self) -> &Address {
        &self.address
    }

    /// Where the seed came from.
    pub fn origin(&self) -> SeedOrigin {
        self.origin
    }
}

/// What browser storage held under the app's seed key.
#[derive(Debug, PartialEq, Eq)]
pub enum StoredSeed {
    /// Nothing: a first visit, or cleared storage.
    Missing,
    /// A valid seed.
    Valid(Seed),
    /// Something that is not a seed.
    Invalid(TernaryError),
}

impl StoredSeed {
    /// Parses the raw stored value. Nothing is trimmed or fixed up: the app
    /// only ever stores a seed's exact text, so anything else is a sign of
    /// damage the owner should see.
    pub fn parse(raw: Option<&str>) -> StoredSeed {
        match raw.map(str::parse::<Seed>) {
            None => StoredSeed::Missing,
            Some(Ok(seed)) => StoredSeed::Valid(seed),
            Some(Err(error)) => StoredSeed::Invalid(error),
        }
    }
}

/// How far the app is with finding its identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityPhase {
    /// Storage not read yet.
    Loading,
    /// The seed is known.
    Ready(Identity),
    /// Storage holds a value that is not a seed; the owner decides what to do.
    InvalidStoredSeed {
        /// Why the value was rejected.
        reason: String,
    },
    /// Browser storage cannot be used (blocked, full, or missing).
    StorageUnavailable {
        /// The browser's explanation.
        reason: String,
    },
}

/// The state of the last "copy address" request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyStatus {
    /// Nothing to report.
    Idle,
    /// The address is on the clipboard.
    Copied,
    /// The browser refused; the owner can still select the text.
    Failed,
}

/// Everything the identity part of an app shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityState {
    /// How far loading is.
    pub phase: IdentityPhase,
    /// Whether the seed is shown; hidden unless the owner asks.
    pub seed_revealed: bool,
    /// Feedback for the copy-address button.
    pub copy: CopyStatus,
    /// Feedback for the copy-seed button.
    pub seed_copy: CopyStatus,
    /// Why the last restore was refused, if it was.
    pub restore_error: Option<String>,
}

impl Default for IdentityState {
    fn default() -> Self {
        IdentityState {
            phase: IdentityPhase::Loading,
            seed_revealed: false,
            copy: CopyStatus::Idle,
            seed_copy: CopyStatus::Idle,
            restore_error: None,
        }
    }
}

/// Everything that changes an [`IdentityState`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityAction {
    /// A seed was found or made.
    Established(Identity),
    /// Storage held something that is not a seed.
    StoredSeedRejected(TernaryError),
    /// Storage could not be read or written.
    StorageFailed(String),
    /// Show or hide the seed.
    ToggleSeed,
    /// The clipboard answered a copy of the address.
    CopyFinished(CopyStatus),
    /// The clipboard answered a copy of the seed.
    SeedCopyFinished(CopyStatus),
    /// A restore was refused (not a seed, or storage refused it).
    RestoreRejected(String),
}

impl Reducible for IdentityState {
    type Action = IdentityAction;

    fn reduce(self: Rc<Self>, action: IdentityAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            IdentityAction::Established(identity) => {
                next.phase = IdentityPhase::Ready(identity);
                // A new seed is never shown unasked.
                next.seed_revealed = false;
                next.copy = CopyStatus::Idle;
                next.seed_copy = CopyStatus::Idle;
                next.restore_error = None;
            }
            IdentityAction::StoredSeedRejected(error) => {
                next.phase = IdentityPhase::InvalidStoredSeed {
                    reason: error.to_string(),
                };
                next.seed_revealed = false;
            }
            IdentityAction::StorageFailed(reason) => {
                next.phase = IdentityPhase::StorageUnavailable { reason };
                next.seed_revealed = false;
            }
            IdentityAction::ToggleSeed => {
                // Only a known seed can be shown.
                next.seed_revealed =
                    !self.seed_revealed && matches!(self.phase, IdentityPhase::Ready(_));
            }
            IdentityAction::CopyFinished(status) => next.copy = status,
            IdentityAction::SeedCopyFinished(status) => next.seed_copy = status,
            IdentityAction::RestoreRejected(reason) => next.restore_error = Some(reason),
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(state: IdentityState, action: IdentityAction) -> IdentityState {
        (*Rc::new(state).reduce(action)).clone()
    }

    fn ready() -> IdentityState {
        let identity = Identity::from_seed(Seed::random(), SeedOrigin::Generated);
        reduce(
            IdentityState::default(),
            IdentityAction::Established(identity),
        )
    }

    #[test]
    fn first_visit_finds_no_seed() {
        assert_eq!(StoredSeed::parse(None), StoredSeed::Missing);
    }

    #[test]
    fn stored_seed_is_found_again() {
        let seed = Seed::random();
        let text = seed.to_string();
        assert_eq!(StoredSeed::parse(Some(&text)), StoredSeed::Valid(seed));
    }

    #[test]
    fn damaged_stored_seeds_are_rejected_not_repaired() {
        let seed = Seed::random().to_string();
        for damaged in [
            "",
            "not a seed",
            &seed[..80],
            format!("{seed} ").as_str(),
            seed.to_lowercase().as_str(),
        ] {
            assert!(
                matches!(StoredSeed::parse(Some(damaged)), StoredSeed::Invalid(_)),
                "{damaged:?} was accepted"
            );
        }
    }

    #[test]
    fn identity_uses_address_zero_at_security_two() {
        let seed = Seed::random();
        let identity = Identity::from_seed(seed.clone(), SeedOrigin::Restored);
        assert_eq!(
            identity.address(),
            &generate_address(&seed, 0, Security::Medium)
        );
        assert_eq!(identity.address().to_string().len(), 81);
        assert_eq!(identity.origin(), SeedOrigin::Restored);
    }

    #[test]
    fn seed_stays_hidden_until_asked() {
        let state = ready();
        assert!(!state.seed_revealed);
        let state = reduce(state, IdentityAction::ToggleSeed);
        assert!(state.seed_revealed);
        let state = reduce(state, IdentityAction::ToggleSeed);
        assert!(!state.seed_revealed);
    }

    #[test]
    fn a_replaced_seed_is_hidden_again() {
        let state = reduce(ready(), IdentityAction::ToggleSeed);
        let identity = Identity::from_seed(Seed::random(), SeedOrigin::Generated);
        let state = reduce(state, IdentityAction::Established(identity));
        assert!(!state.seed_revealed);
    }

    #[test]
    fn nothing_to_reveal_without_a_seed() {
        let state = reduce(IdentityState::default(), IdentityAction::ToggleSeed);
        assert!(!state.seed_revealed);
    }

    #[test]
    fn rejected_seed_explains_why() {
        let error = match StoredSeed::parse(Some("ABC")) {
            StoredSeed::Invalid(error) => error,
            other => panic!("expected a rejection, got {other:?}"),
        };
        let state = reduce(ready(), IdentityAction::StoredSeedRejected(error));
        match state.phase {
            IdentityPhase::InvalidStoredSeed { reason } => assert!(reason.contains("81")),
            other => panic!("expected InvalidStoredSeed, got {other:?}"),
        }
    }

    #[test]
    fn a_refused_restore_is_shown_until_a_seed_is_established() {
        let state = reduce(
            ready(),
            IdentityAction::RestoreRejected("not a seed".into()),
        );
        assert_eq!(state.restore_error.as_deref(), Some("not a seed"));
        assert!(
            matches!(state.phase, IdentityPhase::Ready(_)),
            "the old seed stays"
        );
        let identity = Identity::from_seed(Seed::random(), SeedOrigin::Imported);
        let state = reduce(state, IdentityAction::Established(identity));
        assert_eq!(state.restore_error, None);
    }

    #[test]
    fn copy_feedback_is_recorded() {
        let state = reduce(ready(), IdentityAction::CopyFinished(CopyStatus::Copied));
        assert_eq!(state.copy, CopyStatus::Copied);
        let state = reduce(state, IdentityAction::CopyFinished(CopyStatus::Idle));
        assert_eq!(state.copy, CopyStatus::Idle);
    }
}
