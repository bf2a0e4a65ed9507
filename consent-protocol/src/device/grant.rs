//! The keys a newly authorized provider gets: a sealed `MAM_DATA`.

use mam_lib::mam::SideKey;
use mam_lib::ternary::Hash81;

use super::AuthorizedProvider;
use crate::seal::{seal, SealError};
use crate::{to_ascii_json, KeyBundle, Outgoing, TransferMessage};

/// The `MAM_DATA` for `provider`: `root` (the root of the next message the
/// device creates, so it reads from there on and nothing before) and the
/// current `side_key`, sealed to its public key together with the policy
/// id and the provider's request nonce (v2), so the provider can tell the
/// device's box from one a stranger sealed to the same public key.
pub fn grant(
    provider: &AuthorizedProvider,
    root: &Hash81,
    side_key: &SideKey,
) -> Result<Outgoing, SealError> {
    let keys = KeyBundle {
        root: root.clone(),
        side_key: side_key.clone(),
        policy_id: provider.policy_id.clone(),
        request_nonce: provider.request_nonce.clone(),
    };
    let sealed = seal(&provider.public_key, to_ascii_json(&keys).as_bytes())?;
    Ok(Outgoing {
        to: provider.address.clone(),
        message: TransferMessage::MamData {
            policy_id: provider.policy_id.clone(),
            mam_data: sealed,
        },
    })
}
