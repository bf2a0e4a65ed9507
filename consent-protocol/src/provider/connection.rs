//! One provider's connection to one device channel, under one consent.

use mam_lib::mam::SideKey;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use crate::seal::{ProviderKeyPair, SealError};
use crate::{DeviceMessage, KeyBundle, PolicyId, RotatedKey, TelegramRecord, TransferMessage};

/// Why a transfer did not open into a connection.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Not a `MAM_DATA`.
    #[error("not a MAM_DATA message")]
    NotMamData,
    /// The sealed keys do not open with this key pair (sealed to another
    /// provider, or changed on the way).
    #[error("the keys in MAM_DATA do not open: {0}")]
    Seal(#[from] SealError),
    /// They open, but are not a v2 key bundle (root, side key, policy id).
    #[error("the opened MAM_DATA holds no root, side key and policy id: {0}")]
    Keys(#[from] serde_json::Error),
    /// The sealed policy id is not the outer one: the box was made for
    /// another consent (or by someone else) and moved here.
    #[error("the sealed policy id {sealed} is not the outer {outer}")]
    PolicyMismatch {
        /// The `policyId` next to the box.
        outer: PolicyId,
        /// The `policyId` inside it.
        sealed: PolicyId,
    },
    /// The box names no request nonce: this provider issues one with every
    /// consent request, so the keys are not an answer to one of them.
    #[error("the sealed keys name no request nonce")]
    MissingRequestNonce,
    /// The sealed request nonce is none this provider issued: anyone can
    /// seal a box to a public key, only the device copies the nonce from
    /// the owner's policy.
    #[error("the sealed request nonce is not one this provider issued")]
    UnknownRequestNonce,
}

/// Why a connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EndReason {
    /// A `KEY_ROTATION` without an entry for this provider: the consent was
    /// revoked, ran out, or the device was reset (the channel does not say
    /// which).
    LeftOut,
    /// This provider's entry did not open with its key pair: it cannot read
    /// on either.
    KeyUnreadable,
}

/// Where a consent ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ended {
    /// The reception time of the last telegram read under the consent: it
    /// ended after that one and before the next.
    pub after: Option<UnixMillis>,
    /// Why.
    pub reason: EndReason,
}

/// What one message of the device channel did to a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowStep {
    /// Telegrams to keep, oldest first.
    Telegrams(Vec<TelegramRecord>),
    /// A new side key for this provider: reading goes on with it.
    KeyRotated,
    /// The consent ended here: nothing after this message is readable.
    Ended(Ended),
}

/// Whether a connection still brings data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    /// Reading: new messages will be readable.
    Reading,
    /// The consent's `expiresAt` has passed: the device ends it by itself
    /// (its next rotation leaves this provider out).
    Expired {
        /// When it ran out.
        at: UnixMillis,
    },
    /// The channel said the consent ended.
    Ended(Ended),
}

/// A provider's reading of one device channel: where the next message is,
/// the side key it is encrypted with, and whether the consent still holds.
///
/// `Debug` does not show the side key. Serde keeps a connection where its
/// app keeps its seed (the side key with it), so a reload reads on from
/// where it stood instead of from the sealed root.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    provider: Hash81,
    policy_id: PolicyId,
    request_nonce: Hash81,
    next_root: Hash81,
    side_key: SideKey,
    expires_at: Option<UnixMillis>,
    last_telegram_at: Option<UnixMillis>,
    ended: Option<Ended>,
}

impl Connection {
    /// Opens `message`, read at `provider` (the provider's address), with
    /// its key pair: the connection starts at the root the device sealed,
    /// the first message this provider may read.
    ///
    /// The keys are taken only when the sealed `policyId` equals the outer
    /// one and the sealed `requestNonce` is one of `issued_nonces` (the
    /// nonces of this provider's consent requests); a refusal is typed so
    /// the caller can count it.
    pub fn open(
        keys: &ProviderKeyPair,
        provider: &Hash81,
        message: &TransferMessage,
        issued_nonces: &[Hash81],
    ) -> Result<Connection, OpenError> {
        let TransferMessage::MamData {
            policy_id,
            mam_data,
        } = message
        else {
            return Err(OpenError::NotMamData);
        };
        let bundle: KeyBundle = serde_json::from_slice(&keys.open(mam_data)?)?;
        if &bundle.policy_id != policy_id {
            return Err(OpenError::PolicyMismatch {
                outer: policy_id.clone(),
                sealed: bundle.policy_id,
            });
        }
        let request_nonce = bundle.request_nonce.ok_or(OpenError::MissingRequestNonce)?;
        if !issued_nonces.contains(&request_nonce) {
            return Err(OpenError::UnknownRequestNonce);
        }
        Ok(Connection {
            provider: provider.clone(),
            policy_id: policy_id.clone(),
            request_nonce,
            next_root: bundle.root,
            side_key: bundle.side_key,
            expires_at: None,
            last_telegram_at: None,
            ended: None,
        })
    }

    /// The same connection, knowing the `expiresAt` this provider asked
    /// for (`MAM_DATA` does not carry it).
    pub fn with_expiry(mut self, expires_at: Option<UnixMillis>) -> Connection {
        self.expires_at = expires_at;
        self
    }

    /// The policy the keys were sent for.
    pub fn policy_id(&self) -> &PolicyId {
        &self.policy_id
    }

    /// The nonce of the consent request these keys answer.
    pub fn request_nonce(&self) -> &Hash81 {
        &self.request_nonce
    }

    /// The root of the next message to read.
    pub fn next_root(&self) -> &Hash81 {
        &self.next_root
    }

    /// The side key the next message is encrypted with.
    pub fn side_key(&self) -> &SideKey {
        &self.side_key
    }

    /// Whether the connection brings data at `now`.
    pub fn state(&self, now: UnixMillis) -> ConnectionState {
        if let Some(ended) = self.ended {
            return ConnectionState::Ended(ended);
        }
        match self.expires_at {
            Some(at) if at <= now => ConnectionState::Expired { at },
            _ => ConnectionState::Reading,
        }
    }

    /// Follows `message`, the one read at [`next_root`](Self::next_root)
    /// with [`side_key`](Self::side_key), whose MAM payload named
    /// `next_root` as the root after it. `keys` opens a rotation's entry.
    pub fn follow(
        &mut self,
        keys: &ProviderKeyPair,
        message: &DeviceMessage,
        next_root: Hash81,
    ) -> FollowStep {
        if let Some(ended) = self.ended {
            return FollowStep::Ended(ended);
        }
        let step = match message {
            DeviceMessage::Data { telegrams } => {
                if let Some(last) = telegrams.last() {
                    self.last_telegram_at = Some(last.timestamp);
                }
                FollowStep::Telegrams(telegrams.clone())
            }
            DeviceMessage::KeyRotation { keys: entries } => match entries.get(&self.provider) {
                None => self.end(EndReason::LeftOut),
                Some(sealed) => {
                    let rotated = keys
                        .open(sealed)
                        .ok()
                        .and_then(|plain| serde_json::from_slice::<RotatedKey>(&plain).ok());
                    match rotated {
                        Some(rotated) => {
                            self.side_key = rotated.side_key;
                            FollowStep::KeyRotated
                        }
                        None => self.end(EndReason::KeyUnreadable),
                    }
                }
            },
        };
        self.next_root = next_root;
        step
    }

    /// Moves past a message that verified under the channel but is no
    /// device message (the device never writes one; reading goes on).
    pub fn skip(&mut self, next_root: Hash81) {
        if self.ended.is_none() {
            self.next_root = next_root;
        }
    }

    fn end(&mut self, reason: EndReason) -> FollowStep {
        let ended = Ended {
            after: self.last_telegram_at,
            reason,
        };
        self.ended = Some(ended);
        FollowStep::Ended(ended)
    }
}
