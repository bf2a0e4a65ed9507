//! Local proof of work: the nonce search as something the client awaits
//! ([`NonceSearch`]), and the one this crate brings, `mam_lib::pow` on a
//! chosen number of threads ([`CpuNonceSearch`]).

use core::fmt;
use core::future::Future;
use core::num::NonZeroUsize;

use mam_lib::pow::{attach_nonce, PowOptions};
use mam_lib::ternary::Tag27;

use super::ClientError;

/// Which transaction of a bundle a nonce is searched for, in the order
/// they are attached: "transaction 1 of 3" is the bundle's last (the head),
/// attached first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PowStep {
    /// From 1.
    pub number: usize,
    /// Transactions in the bundle.
    pub of: usize,
}

impl fmt::Display for PowStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transaction {} of {}", self.number, self.of)
    }
}

/// Finds nonces for [`crate::Client::send_bundle_with`] and the other
/// `*_with` methods, which await it once per transaction: the search may
/// run elsewhere (in Web Workers, so that a page does not freeze) while
/// the caller's executor goes on.
///
/// The client checks every nonce it gets: a transaction whose hash lacks
/// the weight fails the send with [`ClientError::InsufficientWeight`]
/// before anything reaches the node. Weight 0 needs no search, so the
/// client does not ask then.
pub trait NonceSearch {
    /// A nonce that gives `trits` (one transaction's 8019 trits, every
    /// attachment field filled in) a hash with at least
    /// `min_weight_magnitude` (1 or more) trailing zero trits. `step` says
    /// which transaction it is, for progress reports.
    fn find_nonce(
        &self,
        trits: &[i8],
        min_weight_magnitude: u8,
        step: PowStep,
    ) -> impl Future<Output = Result<Tag27, ClientError>>;
}

/// The nonce search of `mam_lib::pow` on up to `threads` threads (one in
/// WebAssembly), on the thread that awaits it: the future completes on its
/// first poll. What [`crate::PowMode::Local`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuNonceSearch {
    /// Worker threads for the search.
    pub threads: usize,
}

impl NonceSearch for CpuNonceSearch {
    async fn find_nonce(
        &self,
        trits: &[i8],
        min_weight_magnitude: u8,
        _step: PowStep,
    ) -> Result<Tag27, ClientError> {
        let options = PowOptions {
            threads: NonZeroUsize::new(self.threads),
            ..PowOptions::default()
        };
        Ok(attach_nonce(trits, min_weight_magnitude, &options)?)
    }
}
