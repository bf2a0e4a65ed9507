//! The requests of the legacy IRI HTTP API, as typed values.
//!
//! Each request serializes to the JSON body IRI expects, with the command
//! name added (`{"command": "getTrytes", "hashes": [...]}`); field names are
//! those of IRI and `@iota/core`. They derive `Deserialize` too, so a node
//! implementation can read them.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::responses::{
    Acknowledged, Balances, Hashes, NodeInfo, States, TransactionsToApprove, TrytesResponse,
};
use mam_lib::ternary::{Hash81, Tag27, Trytes};

/// An IRI command: its name, request body and response.
pub trait Command: Serialize {
    /// The `command` field, for example `"getNodeInfo"`.
    const NAME: &'static str;
    /// Whether the node does proof of work for it (allowed a longer timeout).
    const DOES_POW: bool = false;
    /// What the node answers.
    type Response: DeserializeOwned;
}

/// The request body: the command's fields plus its name.
#[derive(Serialize)]
pub(super) struct Envelope<'a, C> {
    pub(super) command: &'static str,
    #[serde(flatten)]
    pub(super) body: &'a C,
}

/// `getNodeInfo`: the node's software and the state of its tangle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetNodeInfo {}

impl Command for GetNodeInfo {
    const NAME: &'static str = "getNodeInfo";
    type Response = NodeInfo;
}

/// `getTips`: transactions no other transaction approves yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetTips {}

impl Command for GetTips {
    const NAME: &'static str = "getTips";
    type Response = Hashes;
}

/// `getTransactionsToApprove`: two tips for a new bundle to approve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetTransactionsToApprove {
    /// How many milestones back the random walk starts.
    pub depth: u32,
    /// A transaction the walk must pass through, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Hash81>,
}

impl Command for GetTransactionsToApprove {
    const NAME: &'static str = "getTransactionsToApprove";
    type Response = TransactionsToApprove;
}

/// `attachToTangle`: the node chains the transactions, fills the attachment
/// fields and does the proof of work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachToTangle {
    /// The tip the last transaction approves as trunk.
    pub trunk_transaction: Hash81,
    /// The tip the last transaction approves as branch.
    pub branch_transaction: Hash81,
    /// Trailing zero trits each transaction hash must have.
    pub min_weight_magnitude: u8,
    /// Transaction trytes, last index first (as `prepareTransfers` gives).
    pub trytes: Vec<Trytes>,
}

impl Command for AttachToTangle {
    const NAME: &'static str = "attachToTangle";
    const DOES_POW: bool = true;
    type Response = TrytesResponse;
}

/// `storeTransactions`: the node keeps attached transactions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreTransactions {
    /// Attached transaction trytes.
    pub trytes: Vec<Trytes>,
}

impl Command for StoreTransactions {
    const NAME: &'static str = "storeTransactions";
    type Response = Acknowledged;
}

/// `broadcastTransactions`: the node passes attached transactions on to its
/// neighbours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BroadcastTransactions {
    /// Attached transaction trytes.
    pub trytes: Vec<Trytes>,
}

impl Command for BroadcastTransactions {
    const NAME: &'static str = "broadcastTransactions";
    type Response = Acknowledged;
}

/// `findTransactions`: hashes of transactions matching any of the given
/// addresses, bundles, tags or approvees (fields left `None` are omitted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindTransactions {
    /// Receiving addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<Hash81>>,
    /// Bundle hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundles: Option<Vec<Hash81>>,
    /// Tags (27 trytes, padded with `9`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag27>>,
    /// Transactions the results approve (as trunk or branch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvees: Option<Vec<Hash81>>,
}

impl FindTransactions {
    /// Transactions to any of `addresses`.
    pub fn addresses(addresses: Vec<Hash81>) -> FindTransactions {
        FindTransactions {
            addresses: Some(addresses),
            ..FindTransactions::default()
        }
    }

    /// Transactions of any of `bundles`.
    pub fn bundles(bundles: Vec<Hash81>) -> FindTransactions {
        FindTransactions {
            bundles: Some(bundles),
            ..FindTransactions::default()
        }
    }

    /// Transactions with any of `tags`.
    pub fn tags(tags: Vec<Tag27>) -> FindTransactions {
        FindTransactions {
            tags: Some(tags),
            ..FindTransactions::default()
        }
    }

    /// Transactions approving any of `approvees`.
    pub fn approvees(approvees: Vec<Hash81>) -> FindTransactions {
        FindTransactions {
            approvees: Some(approvees),
            ..FindTransactions::default()
        }
    }
}

impl Command for FindTransactions {
    const NAME: &'static str = "findTransactions";
    type Response = Hashes;
}

/// `getTrytes`: the trytes of transactions by hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetTrytes {
    /// Transaction hashes.
    pub hashes: Vec<Hash81>,
}

impl Command for GetTrytes {
    const NAME: &'static str = "getTrytes";
    type Response = TrytesResponse;
}

/// `getBalances`: confirmed balances of addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetBalances {
    /// Addresses.
    pub addresses: Vec<Hash81>,
    /// Confirmation threshold in percent: older IRI releases require it
    /// (`iota.lib.js` sends 100), newer ones ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<u8>,
    /// Tips to compute the balances from, instead of the latest milestone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tips: Option<Vec<Hash81>>,
}

impl Command for GetBalances {
    const NAME: &'static str = "getBalances";
    type Response = Balances;
}

/// `wereAddressesSpentFrom`: whether addresses have signed a withdrawal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WereAddressesSpentFrom {
    /// Addresses.
    pub addresses: Vec<Hash81>,
}

impl Command for WereAddressesSpentFrom {
    const NAME: &'static str = "wereAddressesSpentFrom";
    type Response = States;
}

/// `getInclusionStates`: whether transactions are confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetInclusionStates {
    /// Transaction hashes.
    pub transactions: Vec<Hash81>,
    /// Tips to check against: older IRI releases require them, newer ones
    /// use the latest milestone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tips: Option<Vec<Hash81>>,
}

impl Command for GetInclusionStates {
    const NAME: &'static str = "getInclusionStates";
    type Response = States;
}
