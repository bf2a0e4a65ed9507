//! When and how often a failed request is sent again.

use core::time::Duration;

/// Bounded retries with exponential backoff, for transient failures only
/// (no connection, timeouts, HTTP 5xx); a 4xx answer is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is sent at most (1 = no retry).
    pub max_attempts: u32,
    /// The pause before the first retry.
    pub first_backoff: Duration,
    /// The longest pause between two attempts.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// Send once, never retry.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        first_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
    };

    /// The pause after attempt `attempt` (1-based) failed: the first
    /// backoff, doubled for each further attempt, at most the max backoff.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        self.first_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }

    /// Whether another attempt follows attempt `attempt` (1-based).
    pub fn allows_retry_after(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }
}

impl Default for RetryPolicy {
    /// Four attempts, pausing 0.5 s, 1 s and 2 s: rides out a node restart
    /// without making a user wait long for a node that is down.
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            first_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            first_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(500),
        };
        let pauses: Vec<u128> = (1..=5).map(|a| policy.backoff(a).as_millis()).collect();
        assert_eq!(pauses, [100, 200, 400, 500, 500]);
        assert_eq!(policy.backoff(1000), Duration::from_millis(500));
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy::default();
        assert!(policy.allows_retry_after(3));
        assert!(!policy.allows_retry_after(4));
        assert!(!RetryPolicy::NONE.allows_retry_after(1));
    }
}
