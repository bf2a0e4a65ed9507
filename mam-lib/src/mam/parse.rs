//! Reading a MAM message: decrypt, check the signature, follow it to the root.

use super::iss::{address_from_signature, checksum_security, split_hashes, Hash};
use super::mask::unmask;
use super::merkle::root_from_siblings;
use super::nonce::NONCE_LENGTH;
use super::{pascal, MamError, SideKey};
use crate::address::{Security, FRAGMENT_LENGTH};
use crate::curl::{CurlP, Rounds, HASH_LENGTH};
use crate::ternary::Trytes;

/// More siblings than any tree we could build (2^40 keys).
const MAX_SIBLINGS: u64 = 40;

/// A message that decrypted and verified against its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedMessage {
    /// The message's trytes.
    pub message: Trytes,
    /// The root of the channel's next message tree.
    pub next_root: Trytes,
    /// The message's position within its tree.
    pub index: u64,
    /// The security level it was signed with.
    pub security: Security,
}

fn section(trits: &[i8], start: usize, len: usize) -> Result<Vec<i8>, MamError> {
    start
        .checked_add(len)
        .and_then(|end| trits.get(start..end))
        .map(<[i8]>::to_vec)
        .ok_or(MamError::Malformed("payload is truncated"))
}

/// Decrypts and verifies `payload` published under `root`. Public and
/// private channels take no side key.
pub fn parse(
    payload: &Trytes,
    root: &Trytes,
    side_key: Option<&SideKey>,
) -> Result<ParsedMessage, MamError> {
    if root.len() != 81 {
        return Err(MamError::Trytes(
            crate::ternary::TernaryError::WrongLength {
                expected: 81,
                actual: root.len(),
            },
        ));
    }
    let root_trits = root.to_trits();
    let trits = payload.to_trits();

    let (index, index_len) = pascal::decode(&trits)?;
    let (message_len, length_len) = pascal::decode(trits.get(index_len..).unwrap_or_default())?;
    let message_len = usize::try_from(message_len)
        .map_err(|_| MamError::Malformed("message length too large"))?;
    if message_len % 3 != 0 {
        return Err(MamError::Malformed(
            "message length is not a whole number of trytes",
        ));
    }
    let next_root_start = index_len + length_len;

    let mut sponge = CurlP::new(Rounds::R27);
    sponge.absorb(
        &side_key
            .cloned()
            .unwrap_or_else(SideKey::none)
            .as_trytes()
            .to_trits(),
    );
    sponge.absorb(&root_trits);
    sponge.absorb(&trits[..next_root_start]);

    let mut next_root = section(&trits, next_root_start, HASH_LENGTH)?;
    let message_start = next_root_start + HASH_LENGTH;
    let mut message = section(&trits, message_start, message_len)?;
    let nonce_start = message_start + message_len;
    let mut nonce = section(&trits, nonce_start, NONCE_LENGTH)?;
    unmask(&mut next_root, &mut sponge);
    unmask(&mut message, &mut sponge);
    unmask(&mut nonce, &mut sponge);
    let message_hash: Hash = sponge.rate();

    let security = Security::try_from(checksum_security(&message_hash) as u64)
        .map_err(|_| MamError::InvalidMessageHash)?;

    let mut proof = trits[nonce_start + NONCE_LENGTH..].to_vec();
    unmask(&mut proof, &mut sponge);
    let signature_len = security.fragments() * FRAGMENT_LENGTH;
    let signature = section(&proof, 0, signature_len)?;
    let (sibling_count, count_len) =
        pascal::decode(proof.get(signature_len..).unwrap_or_default())?;
    if sibling_count > MAX_SIBLINGS {
        return Err(MamError::Malformed("too many Merkle siblings"));
    }
    let siblings_start = signature_len + count_len;
    let siblings = split_hashes(&section(
        &proof,
        siblings_start,
        sibling_count as usize * HASH_LENGTH,
    )?);

    let leaf = address_from_signature(&message_hash, &signature);
    let recomputed = root_from_siblings(leaf, &siblings, index);
    if recomputed[..] != root_trits[..] {
        return Err(MamError::SignatureMismatch);
    }
    Ok(ParsedMessage {
        message: Trytes::from_valid_trits(&message),
        next_root: Trytes::from_valid_trits(&next_root),
        index,
        security,
    })
}
