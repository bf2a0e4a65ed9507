//! The answers of the legacy IRI HTTP API, as typed values.
//!
//! Reading: unknown fields are ignored and fields that not every IRI
//! release sends are optional, so answers from IRI, from `tangle-node` and
//! from other nodes of the legacy API all read. Writing: a field left
//! `None` is left out. Every answer carries IRI's `duration`; a node may
//! leave it `None` here and add it to whatever it answers in one place
//! (`tangle-node`'s server does).

use serde::{Deserialize, Serialize};

use mam_lib::ternary::Hash81;

/// The answer to `getNodeInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeInfo {
    /// The node software's name (`IRI`).
    pub app_name: String,
    /// Its version.
    pub app_version: String,
    /// Processors available to the node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jre_available_processors: Option<u64>,
    /// Free memory in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jre_free_memory: Option<u64>,
    /// Largest memory allowed, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jre_max_memory: Option<u64>,
    /// Memory in use, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jre_total_memory: Option<u64>,
    /// The latest milestone's hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_milestone: Option<Hash81>,
    /// The latest milestone's index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_milestone_index: Option<u64>,
    /// The latest milestone the node has every transaction for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_solid_subtangle_milestone: Option<Hash81>,
    /// Its index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_solid_subtangle_milestone_index: Option<u64>,
    /// The milestone index the node's history starts at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestone_start_index: Option<u64>,
    /// The milestone index of the node's latest snapshot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_snapshotted_milestone_index: Option<u64>,
    /// Connected neighbours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neighbors: Option<u64>,
    /// Transactions waiting to be broadcast.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packets_queue_size: Option<u64>,
    /// The node's clock, Unix milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<u64>,
    /// Number of tips.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tips: Option<u64>,
    /// Transactions the node is still asking neighbours for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transactions_to_request: Option<u64>,
    /// Optional API features the node offers (for example `RemotePOW`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// The coordinator whose milestones the node follows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coordinator_address: Option<Hash81>,
    /// Milliseconds the node took to answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

/// Transaction hashes: the answer to `getTips` and `findTransactions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hashes {
    /// The hashes.
    pub hashes: Vec<Hash81>,
    /// Milliseconds the node took to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

/// The answer to `getTransactionsToApprove`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionsToApprove {
    /// The tip to approve as trunk.
    pub trunk_transaction: Hash81,
    /// The tip to approve as branch.
    pub branch_transaction: Hash81,
    /// Milliseconds the node took to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

/// Transaction trytes: the answer to `getTrytes` (in the order of the hashes
/// asked for; `null` or all `9` for a transaction the node does not have)
/// and `attachToTangle` (index 0 first).
///
/// Entries stay text here: one malformed entry from a faulty or hostile node
/// must not make the others unreadable, so each is decoded on its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrytesResponse {
    /// The trytes.
    pub trytes: Vec<Option<String>>,
    /// Milliseconds the node took to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

/// The answer to `storeTransactions` and `broadcastTransactions`: nothing
/// but the time taken.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledged {
    /// Milliseconds the node took to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

/// The answer to `getBalances`. IRI writes balances as decimal strings;
/// numbers are accepted as well.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Balances {
    /// One balance per address asked for.
    #[serde(with = "decimal_strings")]
    pub balances: Vec<u64>,
    /// The milestone(s) the balances are computed at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Hash81>,
    /// That milestone's index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone_index: Option<u64>,
    /// Milliseconds the node took to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

/// Yes/no per item: the answer to `wereAddressesSpentFrom` and
/// `getInclusionStates`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct States {
    /// One state per item asked for.
    pub states: Vec<bool>,
    /// Milliseconds the node took to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

/// `checkConsistency`: whether the tails can be approved together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consistency {
    /// `true` when every tail is a tail of a valid, complete bundle.
    pub state: bool,
    /// Why not, when `state` is `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
    /// Milliseconds the node took to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

/// `getNeighbors`: the node's peers, each an object whose fields vary by
/// IRI release (address, connection type, transaction counters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbors {
    /// The peers.
    pub neighbors: Vec<serde_json::Value>,
    /// Milliseconds the node took to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

/// The body of an IRI error answer: `{"error": "..."}` for a bad request
/// (HTTP 400; IRI also uses it for 503 and 500), `{"exception": "..."}` for
/// a failure inside the node (500).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What was wrong with the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What went wrong inside the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<String>,
    /// Milliseconds the node took to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

impl ErrorBody {
    /// The node's message, if it gave one.
    pub fn message(self) -> Option<String> {
        self.error.or(self.exception)
    }
}

/// Balances as IRI writes them (strings of digits), read from strings or
/// numbers.
mod decimal_strings {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Decimal {
        Text(String),
        Number(u64),
    }

    pub(super) fn serialize<S: Serializer>(
        values: &[u64],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(values.iter().map(u64::to_string))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u64>, D::Error> {
        Vec::<Decimal>::deserialize(deserializer)?
            .into_iter()
            .map(|value| match value {
                Decimal::Number(n) => Ok(n),
                Decimal::Text(text) => text.parse().map_err(|_| {
                    D::Error::custom(format!("balance {text:?} is not a whole number"))
                }),
            })
            .collect()
    }
}
