//! Local proof of work: a nonce from `mam_lib::pow`, on a chosen number of
//! threads.

use core::num::NonZeroUsize;

use mam_lib::pow::{attach_nonce, PowOptions};
use mam_lib::ternary::Tag27;

use super::ClientError;

/// A nonce that gives the transaction `trits` a hash with at least
/// `min_weight_magnitude` trailing zero trits, searched on up to `threads`
/// threads. Weight 0 needs no search: the nonce stays as it is.
pub(super) fn find_nonce(
    trits: &[i8],
    min_weight_magnitude: u8,
    threads: usize,
) -> Result<Tag27, ClientError> {
    let options = PowOptions {
        threads: NonZeroUsize::new(threads),
        ..PowOptions::default()
    };
    Ok(attach_nonce(trits, min_weight_magnitude, &options)?)
}
