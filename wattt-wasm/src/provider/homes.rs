//! Every home Wattt holds keys for: one connection per policy. A provider
//! serves many homes, and a home that grants, revokes and grants again
//! does so under a new policy, so it gets a new connection while the old,
//! ended one stays for its history.

use consent_protocol::provider::Connection;
use consent_protocol::seal::ProviderKeyPair;
use consent_protocol::{decode, PolicyId, TransferMessage};
use iri_client::FetchedMessage;
use mam_lib::ternary::Trytes;
use mam_lib::time::UnixMillis;
use serde::{Deserialize, Serialize};

use super::home::{FollowError, Followed, Home};
use super::identity::ProviderIdentity;
use super::refusals::{Refusal, Refusals};
use super::requests::IssuedRequests;

/// What one transfer at Wattt's address did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Keys for a new policy: a new connection.
    Opened(PolicyId),
    /// Not taken, and counted.
    Refused(Refusal),
}

/// The homes, in the order their keys arrived, and what was refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Homes {
    homes: Vec<Home>,
    #[serde(default)]
    refused: Refusals,
}

impl Homes {
    /// Takes `message`, the trytes of a transfer read at `provider`'s
    /// address and attached at `attached_at`: a `MAM_DATA` sealed to its
    /// keys for one of `requests` (kept or derived from the seed, see
    /// [`IssuedRequests::nonces`]) opens a connection, and the request is
    /// noted answered; anything else is counted.
    pub fn receive(
        &mut self,
        provider: &ProviderIdentity,
        requests: &mut IssuedRequests,
        message: &Trytes,
        attached_at: UnixMillis,
    ) -> Received {
        match self.open(provider, requests, message, attached_at) {
            Ok(policy_id) => Received::Opened(policy_id),
            Err(refusal) => {
                self.refused.add(refusal);
                Received::Refused(refusal)
            }
        }
    }

    fn open(
        &mut self,
        provider: &ProviderIdentity,
        requests: &mut IssuedRequests,
        message: &Trytes,
        attached_at: UnixMillis,
    ) -> Result<PolicyId, Refusal> {
        let message: TransferMessage = decode(message).map_err(|_| Refusal::Undecodable)?;
        let nonces = requests.nonces(provider);
        let connection = Connection::open(&provider.keys, &provider.address, &message, &nonces)
            .map_err(|error| Refusal::from(&error))?;
        if self.get(connection.policy_id()).is_some() {
            return Err(Refusal::Duplicate);
        }
        requests.answered(provider, connection.request_nonce(), attached_at);
        let expires_at = requests
            .find(connection.request_nonce())
            .and_then(|request| request.expires_at);
        let home = Home::new(connection.with_expiry(expires_at), attached_at);
        let policy_id = home.policy_id().clone();
        self.homes.push(home);
        Ok(policy_id)
    }

    /// The homes, in the order their keys arrived.
    pub fn list(&self) -> &[Home] {
        &self.homes
    }

    /// The home of `policy_id`.
    pub fn get(&self, policy_id: &PolicyId) -> Option<&Home> {
        self.homes.iter().find(|h| h.policy_id() == policy_id)
    }

    /// The home of `policy_id`, to follow.
    pub fn get_mut(&mut self, policy_id: &PolicyId) -> Option<&mut Home> {
        self.homes.iter_mut().find(|h| h.policy_id() == policy_id)
    }

    /// What was refused at the address.
    pub fn refused(&self) -> &Refusals {
        &self.refused
    }

    /// Closes every home whose consent expired at `now`; the policies of
    /// those still read.
    pub fn expire(&mut self, now: UnixMillis) -> Vec<PolicyId> {
        self.homes
            .iter_mut()
            .filter_map(|home| (!home.expire(now)).then(|| home.policy_id().clone()))
            .collect()
    }

    /// Follows `fetched` on the channel of `policy_id`'s home (see
    /// [`Home::follow`]).
    pub fn follow(
        &mut self,
        keys: &ProviderKeyPair,
        policy_id: &PolicyId,
        fetched: &FetchedMessage,
        now: UnixMillis,
    ) -> Result<Followed, FollowError> {
        self.get_mut(policy_id)
            .ok_or_else(|| FollowError::UnknownPolicy(policy_id.clone()))?
            .follow(keys, fetched, now)
    }
}
