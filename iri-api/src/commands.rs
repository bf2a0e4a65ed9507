//! The requests of the legacy IRI HTTP API, as typed values.
//!
//! Each request serializes to the JSON body IRI expects, with the command
//! name added ([`request_body`]: `{"command": "getTrytes", "hashes":
//! [...]}`), and reads back from such a body (unknown fields, including
//! `command`, are ignored). Field names are those of IRI and `@iota/core`;
//! every tryte string is checked for its alphabet and length as it is read.
//!
//! Numbers that a node checks against its own limits (`depth`,
//! `minWeightMagnitude`, `threshold`) are `u64` here, as wide as the JSON
//! allows, so that the node can name the value it refuses; a client never
//! needs more than a `u8` or `u32` of them.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use mam_lib::ternary::{Hash81, Tag27};
use mam_lib::transaction::TransactionTrytes;

use crate::lenient;
use crate::responses::{
    Acknowledged, Balances, Consistency, Hashes, Neighbors, NodeInfo, States,
    TransactionsToApprove, TrytesResponse,
};

/// An IRI command: its name, request body and response.
pub trait Command: Serialize {
    /// The `command` field, for example `"getNodeInfo"`.
    const NAME: &'static str;
    /// Whether the node does proof of work for it (allowed a longer timeout).
    const DOES_POW: bool = false;
    /// What the node answers.
    type Response: DeserializeOwned;
}

/// The request body: the command's fields plus its name, name first (as
/// IRI logs it).
#[derive(Serialize)]
struct Envelope<'a, C> {
    command: &'static str,
    #[serde(flatten)]
    body: &'a C,
}

/// The JSON body that sends `command`: its fields plus `"command"`.
pub fn request_body<C: Command>(command: &C) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Envelope {
        command: C::NAME,
        body: command,
    })
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
    #[serde(deserialize_with = "lenient::integer")]
    pub depth: u64,
    /// A transaction the walk must pass through (the new bundle approves
    /// it), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Hash81>,
}

impl Command for GetTransactionsToApprove {
    const NAME: &'static str = "getTransactionsToApprove";
    type Response = TransactionsToApprove;
}

/// `attachToTangle`: the node chains the transactions, fills the attachment
/// fields and does the proof of work (see
/// `mam_lib::bundle::attach_transactions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachToTangle {
    /// The tip the first transaction processed (the bundle's last) approves
    /// as trunk; every other one approves it as branch.
    pub trunk_transaction: Hash81,
    /// The tip the first transaction processed approves as branch.
    pub branch_transaction: Hash81,
    /// Trailing zero trits each transaction hash must have.
    #[serde(deserialize_with = "lenient::integer")]
    pub min_weight_magnitude: u64,
    /// Transaction trytes, last index first (as `prepareTransfers` gives).
    pub trytes: Vec<TransactionTrytes>,
}

impl Command for AttachToTangle {
    const NAME: &'static str = "attachToTangle";
    const DOES_POW: bool = true;
    type Response = TrytesResponse;
}

/// `interruptAttachingToTangle`: the node stops the proof of work under
/// way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterruptAttachingToTangle {}

impl Command for InterruptAttachingToTangle {
    const NAME: &'static str = "interruptAttachingToTangle";
    type Response = Acknowledged;
}

/// `storeTransactions`: the node keeps attached transactions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreTransactions {
    /// Attached transaction trytes (with proof of work).
    pub trytes: Vec<TransactionTrytes>,
}

impl Command for StoreTransactions {
    const NAME: &'static str = "storeTransactions";
    type Response = Acknowledged;
}

/// `broadcastTransactions`: the node passes attached transactions on to its
/// neighbours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BroadcastTransactions {
    /// Attached transaction trytes (with proof of work).
    pub trytes: Vec<TransactionTrytes>,
}

impl Command for BroadcastTransactions {
    const NAME: &'static str = "broadcastTransactions";
    type Response = Acknowledged;
}

/// `findTransactions`: hashes of transactions matching the given
/// addresses, bundles, tags or approvees (fields left `None` are omitted;
/// with several lists, IRI answers the intersection).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindTransactions {
    /// Receiving addresses, without checksum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<Hash81>>,
    /// Bundle hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundles: Option<Vec<Hash81>>,
    /// Tags (27 trytes, padded with `9`). Read as IRI reads them: shorter
    /// tags are padded, and the 81-tryte form IRI indexes is accepted when
    /// everything past 27 trytes is `9`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::tags"
    )]
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
    /// Addresses, without checksum.
    pub addresses: Vec<Hash81>,
    /// Confirmation threshold in percent (1..=100): older IRI releases
    /// require it (`iota.lib.js` sends 100), newer ones and `@iota/core`
    /// 1.0.0-beta.30 leave it out.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional_integer"
    )]
    pub threshold: Option<u64>,
    /// Tips to compute the balances from, instead of the latest milestone
    /// (echoed back as `references`).
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
    /// Addresses, without checksum.
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
    /// Tips (or milestones) to check against: older IRI releases require
    /// them, newer ones and `@iota/core` 1.0.0-beta.30 leave them out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tips: Option<Vec<Hash81>>,
}

impl Command for GetInclusionStates {
    const NAME: &'static str = "getInclusionStates";
    type Response = States;
}

/// `checkConsistency`: whether tails can be approved together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckConsistency {
    /// Tail transaction hashes.
    pub tails: Vec<Hash81>,
}

impl Command for CheckConsistency {
    const NAME: &'static str = "checkConsistency";
    type Response = Consistency;
}

/// `getNeighbors`: the node's peers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetNeighbors {}

impl Command for GetNeighbors {
    const NAME: &'static str = "getNeighbors";
    type Response = Neighbors;
}
