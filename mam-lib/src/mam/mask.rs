//! MAM's stream cipher: each chunk of 243 trits is added (trit-wise, mod 3)
//! to the sponge's rate, and the plaintext chunk is absorbed, so the key
//! stream depends on everything before it.

use crate::curl::{CurlP, Rounds, HASH_LENGTH};

/// `a + b` in balanced ternary, modulo 3.
fn trit_sum(a: i8, b: i8) -> i8 {
    match a + b {
        2 => -1,
        -2 => 1,
        sum => sum,
    }
}

/// Encrypts `trits` in place.
pub(crate) fn mask(trits: &mut [i8], sponge: &mut CurlP) {
    for chunk in trits.chunks_mut(HASH_LENGTH) {
        let key = sponge.rate();
        sponge.absorb(chunk);
        for (t, k) in chunk.iter_mut().zip(key) {
            *t = trit_sum(*t, k);
        }
    }
}

/// Decrypts `trits` in place.
pub(crate) fn unmask(trits: &mut [i8], sponge: &mut CurlP) {
    for chunk in trits.chunks_mut(HASH_LENGTH) {
        let key = sponge.rate();
        for (t, k) in chunk.iter_mut().zip(key) {
            *t = trit_sum(*t, -k);
        }
        sponge.absorb(chunk);
    }
}

/// The hash of a root under which private and restricted messages are
/// stored: Curl-P-81 of the root.
pub(crate) fn mask_hash(root: &[i8]) -> [i8; HASH_LENGTH] {
    let mut sponge = CurlP::new(Rounds::R81);
    sponge.absorb(root);
    sponge.rate()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmask_inverts_mask() {
        let plain: Vec<i8> = (0..700).map(|i| (i % 3) as i8 - 1).collect();
        let mut start = CurlP::new(Rounds::R27);
        start.absorb(&[1; 243]);
        let mut cipher = plain.clone();
        mask(&mut cipher, &mut start.clone());
        assert_ne!(cipher, plain);
        unmask(&mut cipher, &mut start.clone());
        assert_eq!(cipher, plain);
    }

    #[test]
    fn trit_sum_wraps() {
        assert_eq!(trit_sum(1, 1), -1);
        assert_eq!(trit_sum(-1, -1), 1);
        assert_eq!(trit_sum(1, -1), 0);
    }
}
