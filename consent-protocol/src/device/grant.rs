//! The keys a newly authorized provider gets: a sealed `MAM_DATA`.

use mam_lib::ternary::Hash81;

use super::AuthorizedProvider;
use crate::seal::{seal, SealError};
use crate::{to_ascii_json, KeyBundle, Outgoing, TransferMessage};

/// The `MAM_DATA` for `provider`: `keys` (the root of the next message the
/// device creates, so it reads from there on and nothing before, and the
/// current side key) sealed to its public key, with `owner_root`, the root
/// of the owner's channel (protocol v1: the audit trail of the consent).
pub fn grant(
    provider: &AuthorizedProvider,
    keys: &KeyBundle,
    owner_root: &Hash81,
) -> Result<Outgoing, SealError> {
    let sealed = seal(&provider.public_key, to_ascii_json(keys).as_bytes())?;
    Ok(Outgoing {
        to: provider.address.clone(),
        message: TransferMessage::MamData {
            root: owner_root.clone(),
            policy_id: provider.policy_id.clone(),
            mam_data: sealed,
        },
    })
}
