//! The consent requests Wattt issued: each with the nonce a home's device
//! seals back into its `MAM_DATA`, so keys that name none of them are not
//! an answer to Wattt (anyone can seal a box to a public key).

use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use serde::{Deserialize, Serialize};

/// One consent request Wattt handed a home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedRequest {
    /// The request nonce the policy (and so the sealed keys) must name.
    pub nonce: Hash81,
    /// What Wattt reads the data for.
    pub goal: String,
    /// When it was made.
    pub created_at: UnixMillis,
    /// When the consent it asks for runs out, if ever.
    pub expires_at: Option<UnixMillis>,
}

/// Every consent request Wattt issued, oldest first (kept in browser
/// storage: losing it loses the nonces, and keys for them are refused).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedRequests {
    requests: Vec<IssuedRequest>,
}

impl IssuedRequests {
    /// Keeps `request`; `false` (and nothing kept) when its nonce is
    /// already one of an issued request.
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

    /// The nonces of all of them: what `Connection::open` accepts.
    pub fn nonces(&self) -> Vec<Hash81> {
        self.requests.iter().map(|r| r.nonce.clone()).collect()
    }

    /// The request with `nonce`.
    pub fn find(&self, nonce: &Hash81) -> Option<&IssuedRequest> {
        self.requests.iter().find(|r| &r.nonce == nonce)
    }
}
