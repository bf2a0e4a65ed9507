//! The one wall clock of the project: Unix milliseconds, natively from the
//! system clock and in the browser from `Date.now()` (the only clock it
//! offers to wasm).

use core::fmt;
use core::time::Duration;

/// A moment as milliseconds since the Unix epoch, the unit of every time in
/// the protocol (`timestamp`, `expiresAt`) and of IRI attachment timestamps.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct UnixMillis(u64);

impl UnixMillis {
    /// The Unix epoch itself.
    pub const EPOCH: Self = Self(0);

    /// The moment `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: u64) -> Self {
        Self(millis)
    }

    /// Now, by the wall clock (the epoch if the clock is set before it).
    pub fn now() -> Self {
        Self(now_millis())
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// Whole seconds since the epoch (a bundle's issuance timestamp).
    pub const fn as_seconds(self) -> u64 {
        self.0 / 1000
    }

    /// This moment plus `duration`, saturating at the end of time.
    pub fn saturating_add(self, duration: Duration) -> Self {
        let millis = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        Self(self.0.saturating_add(millis))
    }

    /// This moment minus `duration`, saturating at the epoch.
    pub fn saturating_sub(self, duration: Duration) -> Self {
        let millis = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        Self(self.0.saturating_sub(millis))
    }

    /// How long after `earlier` this moment is (zero if it is not later).
    pub fn since(self, earlier: Self) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

impl fmt::Display for UnixMillis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ms", self.0)
    }
}

impl From<u64> for UnixMillis {
    fn from(millis: u64) -> Self {
        Self(millis)
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(target_arch = "wasm32")]
fn now_millis() -> u64 {
    // `Date.now()` is a whole number of milliseconds, never negative in a
    // browser whose clock is sane; a negative one saturates to the epoch.
    js_sys::Date::now() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_after_this_code_was_written() {
        // 2026-01-01T00:00:00Z
        assert!(UnixMillis::now() > UnixMillis::from_millis(1_767_225_600_000));
    }

    #[test]
    fn adding_and_subtracting_saturate() {
        let t = UnixMillis::from_millis(u64::MAX - 1);
        assert_eq!(
            t.saturating_add(Duration::from_secs(1)).as_millis(),
            u64::MAX
        );
        assert_eq!(UnixMillis::EPOCH.since(t), Duration::ZERO);
        assert_eq!(
            UnixMillis::from_millis(500).saturating_sub(Duration::from_secs(1)),
            UnixMillis::EPOCH
        );
        assert_eq!(
            t.saturating_sub(Duration::from_millis(1)).as_millis(),
            u64::MAX - 2
        );
        assert_eq!(
            t.since(UnixMillis::EPOCH),
            Duration::from_millis(u64::MAX - 1)
        );
    }

    #[test]
    fn travels_as_a_bare_number() {
        let t = UnixMillis::from_millis(1_700_000_000_123);
        assert_eq!(serde_json::to_string(&t).unwrap(), "1700000000123");
        assert_eq!(
            serde_json::from_str::<UnixMillis>("1700000000123").unwrap(),
            t
        );
        assert!(serde_json::from_str::<UnixMillis>("-5").is_err());
    }
}
