//! Who may have the node do proof of work, and how much (`--remote-pow`,
//! `--pow-per-minute`).
//!
//! Proof of work costs the node whole cores, so by default only clients on
//! the same machine get it. When remote clients are let in, each address
//! gets a budget of transactions per minute (a token bucket: the budget
//! refills continuously, and a client that waited a minute may spend it at
//! once). Loopback clients are the operator's own apps and are not counted.
//! IPv6 clients are counted per /64, the block one host usually holds.
//!
//! This module knows no HTTP: refusals are [`PowRefused`] values that the
//! handler turns into API errors.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::RemotePow;

/// Addresses remembered before buckets that have refilled are forgotten.
const REMEMBERED_CLIENTS: usize = 4096;

/// Why a client gets no proof of work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PowRefused {
    /// Proof of work is off for everyone.
    #[error(
        "attachToTangle is disabled on this node (--remote-pow off); do the proof of work \
         on the client (local PoW)"
    )]
    Off,
    /// Only loopback clients get proof of work.
    #[error(
        "attachToTangle is only done for clients on the node's own machine (--remote-pow \
         loopback), and {client} is not one; do the proof of work on the client (local PoW)"
    )]
    NotLoopback {
        /// The refused client.
        client: IpAddr,
    },
    /// The request alone is more than the client's whole budget.
    #[error(
        "attachToTangle of {asked} transactions is more than the {per_minute} per minute this \
         node does for one remote client (--pow-per-minute); split the bundle or attach locally"
    )]
    LargerThanBudget {
        /// Transactions asked for.
        asked: usize,
        /// The budget per minute.
        per_minute: u32,
    },
    /// The client spent its budget; it refills with time.
    #[error(
        "too much proof of work: this node does {per_minute} attachToTangle transactions per \
         minute for one remote client (--pow-per-minute); retry in {} s",
        retry_after.as_secs().max(1)
    )]
    OverBudget {
        /// The budget per minute.
        per_minute: u32,
        /// When the request would fit.
        retry_after: Duration,
    },
}

/// Admission to proof of work by client address.
pub struct PowBudget {
    mode: RemotePow,
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

/// What one client may still spend, as of `at`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl PowBudget {
    /// Proof of work for the clients `mode` admits, `per_minute`
    /// transactions for each remote one.
    pub fn new(mode: RemotePow, per_minute: u32) -> PowBudget {
        PowBudget {
            mode,
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Admits `transactions` of proof of work for `client` now, spending
    /// from its budget, or says why not.
    pub fn admit(&self, client: IpAddr, transactions: usize) -> Result<(), PowRefused> {
        self.admit_at(client, transactions, Instant::now())
    }

    /// [`PowBudget::admit`] at a given time (for tests).
    pub fn admit_at(
        &self,
        client: IpAddr,
        transactions: usize,
        now: Instant,
    ) -> Result<(), PowRefused> {
        let client = client.to_canonical();
        let loopback = client.is_loopback();
        match self.mode {
            RemotePow::Off => return Err(PowRefused::Off),
            RemotePow::Loopback if !loopback => return Err(PowRefused::NotLoopback { client }),
            RemotePow::Loopback | RemotePow::Any if loopback => return Ok(()),
            RemotePow::Loopback | RemotePow::Any => {}
        }
        let capacity = f64::from(self.per_minute);
        // Precision is irrelevant past 2^53 transactions.
        let asked = transactions as f64;
        if asked > capacity {
            return Err(PowRefused::LargerThanBudget {
                asked: transactions,
                per_minute: self.per_minute,
            });
        }
        let per_second = capacity / 60.0;
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= REMEMBERED_CLIENTS {
            // A full bucket is the same as no bucket.
            buckets.retain(|_, bucket| bucket.refilled(now, per_second, capacity) < capacity);
        }
        let bucket = buckets.entry(counted_as(client)).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let tokens = bucket.refilled(now, per_second, capacity);
        if tokens < asked {
            *bucket = Bucket { tokens, at: now };
            return Err(PowRefused::OverBudget {
                per_minute: self.per_minute,
                retry_after: Duration::from_secs_f64((asked - tokens) / per_second),
            });
        }
        *bucket = Bucket {
            tokens: tokens - asked,
            at: now,
        };
        Ok(())
    }

    /// Gives back `transactions` admitted for `client` whose proof of work
    /// never ran (the attach queue was full), so a refusal costs no budget.
    pub fn refund(&self, client: IpAddr, transactions: usize) {
        let client = client.to_canonical();
        if client.is_loopback() {
            return;
        }
        let capacity = f64::from(self.per_minute);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(bucket) = buckets.get_mut(&counted_as(client)) {
            bucket.tokens = (bucket.tokens + transactions as f64).min(capacity);
        }
    }
}

impl Bucket {
    fn refilled(&self, now: Instant, per_second: f64, capacity: f64) -> f64 {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        (self.tokens + elapsed * per_second).min(capacity)
    }
}

/// The address a client is counted under: IPv6 by its /64.
fn counted_as(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V4(_) => client,
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(prefix))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn work_that_never_ran_is_given_back() {
        let budget = PowBudget::new(RemotePow::Any, 10);
        let now = Instant::now();
        let client = ip("192.0.2.7");
        budget.admit_at(client, 10, now).expect("the whole budget");
        assert!(budget.admit_at(client, 1, now).is_err(), "spent");
        budget.refund(client, 10);
        budget
            .admit_at(client, 10, now)
            .expect("given back, all of it");
        budget.refund(client, 1_000);
        assert!(
            budget.admit_at(client, 11, now).is_err(),
            "never more than the budget"
        );
    }

    #[test]
    fn by_default_only_loopback_clients_get_proof_of_work() {
        let budget = PowBudget::new(RemotePow::Loopback, 10);
        let now = Instant::now();
        for _ in 0..100 {
            assert_eq!(budget.admit_at(ip("127.0.0.1"), 1000, now), Ok(()));
        }
        assert_eq!(budget.admit_at(ip("::1"), 5, now), Ok(()));
        assert_eq!(budget.admit_at(ip("::ffff:127.0.0.1"), 5, now), Ok(()));
        let refused = budget.admit_at(ip("192.0.2.7"), 1, now);
        assert_eq!(
            refused,
            Err(PowRefused::NotLoopback {
                client: ip("192.0.2.7")
            })
        );
        assert!(refused
            .expect_err("refused")
            .to_string()
            .contains("--remote-pow"));
        assert!(budget.admit_at(ip("::ffff:192.0.2.7"), 1, now).is_err());
    }

    #[test]
    fn off_refuses_everyone() {
        let budget = PowBudget::new(RemotePow::Off, 10);
        assert_eq!(budget.admit(ip("127.0.0.1"), 1), Err(PowRefused::Off));
    }

    #[test]
    fn a_burst_from_a_remote_client_is_cut_at_its_budget_and_refills_with_time() {
        let budget = PowBudget::new(RemotePow::Any, 60);
        let start = Instant::now();
        let remote = ip("192.0.2.7");
        for _ in 0..20 {
            assert_eq!(budget.admit_at(remote, 3, start), Ok(()));
        }
        let refused = budget.admit_at(remote, 3, start);
        let Err(PowRefused::OverBudget { retry_after, .. }) = refused else {
            panic!("not refused: {refused:?}");
        };
        assert_eq!(retry_after, Duration::from_secs(3));
        assert!(refused
            .expect_err("refused")
            .to_string()
            .contains("--pow-per-minute"));
        // Other clients, and the loopback, are not affected.
        assert_eq!(budget.admit_at(ip("198.51.100.1"), 3, start), Ok(()));
        assert_eq!(budget.admit_at(ip("127.0.0.1"), 60, start), Ok(()));
        // One transaction a second comes back.
        let later = start + Duration::from_secs(3);
        assert_eq!(budget.admit_at(remote, 3, later), Ok(()));
        assert!(budget.admit_at(remote, 1, later).is_err());
    }

    #[test]
    fn a_request_larger_than_the_budget_is_refused_outright() {
        let budget = PowBudget::new(RemotePow::Any, 10);
        assert_eq!(
            budget.admit(ip("192.0.2.7"), 11),
            Err(PowRefused::LargerThanBudget {
                asked: 11,
                per_minute: 10
            })
        );
    }

    #[test]
    fn ipv6_clients_share_the_budget_of_their_64() {
        let budget = PowBudget::new(RemotePow::Any, 4);
        let now = Instant::now();
        assert_eq!(budget.admit_at(ip("2001:db8::1"), 4, now), Ok(()));
        assert!(budget.admit_at(ip("2001:db8::2"), 1, now).is_err());
        assert_eq!(budget.admit_at(ip("2001:db8:0:1::1"), 1, now), Ok(()));
    }

    #[test]
    fn many_clients_do_not_grow_the_table_without_bound() {
        let budget = PowBudget::new(RemotePow::Any, 1);
        let start = Instant::now();
        for n in 0..(2 * REMEMBERED_CLIENTS as u32) {
            let client = IpAddr::from(std::net::Ipv4Addr::from(0x0A00_0000 + n));
            let _ = budget.admit_at(client, 1, start + Duration::from_secs(u64::from(n)));
        }
        let remembered = budget.buckets.lock().expect("lock").len();
        assert!(remembered <= REMEMBERED_CLIENTS, "{remembered}");
    }
}
