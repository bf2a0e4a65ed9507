//! The consent requests Wattt issued: each with the nonce a home's device
//! seals back into its `MAM_DATA`, so keys that name none of them are not
//! an answer to Wattt (anyone can seal a box to a public key).
//!
//! Request `n`'s nonce is derived from the seed
//! ([`ProviderIdentity::request_nonce`]), so the list kept in browser
//! storage is a convenience (the goal, when it was asked): with the seed
//! alone, the nonces of requests `0..next + LOOKAHEAD` are recognised
//! again, and a request answered beyond `next` moves `next` past it.

use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use serde::{Deserialize, Serialize};

use super::identity::ProviderIdentity;

/// How many request numbers past the last one known are tried when keys
/// arrive (a browser that lost its storage knows none).
pub const LOOKAHEAD: u32 = 32;

/// One consent request Wattt handed a home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedRequest {
    /// Its number, from which the nonce is derived (`None` for a nonce
    /// not derived from the seed).
    #[serde(default)]
    pub index: Option<u32>,
    /// The request nonce the policy (and so the sealed keys) must name.
    pub nonce: Hash81,
    /// What Wattt reads the data for (empty when recovered from the seed).
    pub goal: String,
    /// When it was made (when its keys arrived, if recovered).
    pub created_at: UnixMillis,
    /// When the consent it asks for runs out, if ever (unknown when
    /// recovered: the device still ends it by a rotation).
    pub expires_at: Option<UnixMillis>,
}

/// Every consent request Wattt issued, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedRequests {
    requests: Vec<IssuedRequest>,
    /// The number of the next request.
    #[serde(default)]
    next: u32,
}

impl IssuedRequests {
    /// Issues request number `next` for `goal`, its nonce derived from
    /// `provider`'s seed, and keeps it.
    pub fn issue(
        &mut self,
        provider: &ProviderIdentity,
        goal: String,
        created_at: UnixMillis,
        expires_at: Option<UnixMillis>,
    ) -> IssuedRequest {
        let index = self.next;
        self.next = self.next.saturating_add(1);
        let request = IssuedRequest {
            index: Some(index),
            nonce: provider.request_nonce(index),
            goal,
            created_at,
            expires_at,
        };
        self.requests.push(request.clone());
        request
    }

    /// Keeps `request` (a nonce made elsewhere); `false` (and nothing
    /// kept) when its nonce is already one of an issued request.
    pub fn add(&mut self, request: IssuedRequest) -> bool {
        if self.find(&request.nonce).is_some() {
            return false;
        }
        self.requests.push(request);
        true
    }

    /// The requests, oldest first.
    pub fn list(&self) -> &[IssuedRequest] {
        &self.requests
    }

    /// Every nonce keys may answer: those kept, and those of request
    /// numbers `0..next + LOOKAHEAD` derived from `provider`'s seed.
    pub fn nonces(&self, provider: &ProviderIdentity) -> Vec<Hash81> {
        let mut nonces: Vec<Hash81> = self.requests.iter().map(|r| r.nonce.clone()).collect();
        for index in 0..self.next.saturating_add(LOOKAHEAD) {
            let nonce = provider.request_nonce(index);
            if self.find(&nonce).is_none() {
                nonces.push(nonce);
            }
        }
        nonces
    }

    /// The request with `nonce`.
    pub fn find(&self, nonce: &Hash81) -> Option<&IssuedRequest> {
        self.requests.iter().find(|r| &r.nonce == nonce)
    }

    /// The request with number `index`.
    pub fn by_index(&self, index: u32) -> Option<&IssuedRequest> {
        self.requests.iter().find(|r| r.index == Some(index))
    }

    /// Notes that keys answering `nonce` arrived at `at`: a request not
    /// kept (storage lost) is kept again as recovered, and `next` moves
    /// past its number so no nonce is handed out twice.
    pub fn answered(&mut self, provider: &ProviderIdentity, nonce: &Hash81, at: UnixMillis) {
        if self.find(nonce).is_some() {
            return;
        }
        let Some(index) =
            (0..self.next.saturating_add(LOOKAHEAD)).find(|&i| &provider.request_nonce(i) == nonce)
        else {
            return;
        };
        self.next = self.next.max(index.saturating_add(1));
        self.requests.push(IssuedRequest {
            index: Some(index),
            nonce: nonce.clone(),
            goal: String::new(),
            created_at: at,
            expires_at: None,
        });
        self.requests.sort_by_key(|r| r.index.unwrap_or(u32::MAX));
    }
}
