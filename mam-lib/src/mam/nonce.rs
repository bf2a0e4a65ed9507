//! The nonce that makes a message hash name its security level: after
//! absorbing it, the hash's trit sum must first reach zero after exactly
//! `security` thirds (what a reader checks).

use super::iss::checksum_security;
use crate::address::Security;
use crate::curl::CurlP;
use crate::ternary::value_to_trits;

/// Trits in the nonce.
pub(crate) const NONCE_LENGTH: usize = 81;

/// The first nonce (counting up from zero) that gives `security`; the
/// sponge is not changed. About 20–40 transforms on average.
pub(crate) fn find_nonce(sponge: &CurlP, security: Security) -> [i8; NONCE_LENGTH] {
    let mut nonce = [0i8; NONCE_LENGTH];
    for counter in 0i64.. {
        value_to_trits(counter, &mut nonce);
        let mut trial = sponge.clone();
        trial.absorb(&nonce);
        if checksum_security(&trial.rate()) == security.fragments() {
            break;
        }
    }
    nonce
}
