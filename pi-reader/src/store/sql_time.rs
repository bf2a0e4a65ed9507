//! Times in the state file: Unix milliseconds as SQLite integers, the same
//! numbers every earlier version wrote.

use mam_lib::time::UnixMillis;

/// `at` as the integer the file holds (past the year 292 million it
/// saturates; no time the device meets is that late).
pub(super) fn to_sql(at: UnixMillis) -> i64 {
    i64::try_from(at.as_millis()).unwrap_or(i64::MAX)
}

/// The time an integer of the file means. Earlier versions could store a
/// negative `expiresAt` taken from an event; before the epoch means the
/// same to every rule as the epoch itself (long past), so it reads as that
/// rather than as a damaged file.
pub(super) fn from_sql(millis: i64) -> UnixMillis {
    UnixMillis::from_millis(u64::try_from(millis).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_read_back_and_negative_ones_read_as_the_epoch() {
        let at = UnixMillis::from_millis(1_700_000_000_123);
        assert_eq!(from_sql(to_sql(at)), at);
        assert_eq!(from_sql(-5), UnixMillis::EPOCH);
        assert_eq!(to_sql(UnixMillis::from_millis(u64::MAX)), i64::MAX);
    }
}
