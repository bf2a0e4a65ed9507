//! Local proof of work: a nonce from `crate::pow`'s search.

use core::num::NonZeroUsize;

use crate::pow::{search_nonce, PowError, PowOptions, NONCE_OFFSET, NONCE_TRITS};
use crate::ternary::Tag27;

use super::ClientError;

/// A nonce that gives the transaction `trits` a hash with at least
/// `min_weight_magnitude` trailing zero trits, searched on up to `threads`
/// threads. Weight 0 needs no search: the nonce stays as it is.
pub(super) fn find_nonce(
    trits: &[i8],
    min_weight_magnitude: u8,
    threads: usize,
) -> Result<Tag27, ClientError> {
    if min_weight_magnitude == 0 {
        return match trits.get(NONCE_OFFSET..) {
            Some(current) if current.len() == NONCE_TRITS => Ok(Tag27::from_valid_trits(current)),
            _ => Err(PowError::WrongLength {
                expected: NONCE_OFFSET + NONCE_TRITS,
                actual: trits.len(),
            }
            .into()),
        };
    }
    let options = PowOptions {
        threads: NonZeroUsize::new(threads),
        ..PowOptions::default()
    };
    let nonce = search_nonce(trits, min_weight_magnitude, &options)?;
    Ok(Tag27::from_valid_trits(&nonce))
}
