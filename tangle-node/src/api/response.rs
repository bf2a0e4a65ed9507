//! Response bodies, in the shapes IRI 1.8 answers with.

use mam_lib::ternary::Hash81;
use serde::Serialize;

/// `getNodeInfo`: the fields `@iota/core` and `iota.lib.js` read. There are no
/// milestones on this tangle: the milestone fields name the genesis (81 `9`s)
/// at index 0, and the latest and solid milestone are always equal, so
/// clients that compare them see a synchronised node.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    /// `tangle-node`.
    pub app_name: &'static str,
    /// This crate's version.
    pub app_version: &'static str,
    /// Cores (IRI reports the JVM's processors).
    pub jre_available_processors: usize,
    /// The genesis.
    pub latest_milestone: Hash81,
    /// 0.
    pub latest_milestone_index: u64,
    /// The genesis.
    pub latest_solid_subtangle_milestone: Hash81,
    /// 0.
    pub latest_solid_subtangle_milestone_index: u64,
    /// 0.
    pub milestone_start_index: u64,
    /// 0.
    pub last_snapshotted_milestone_index: u64,
    /// 0: a private tangle has no neighbours.
    pub neighbors: u64,
    /// 0.
    pub packets_queue_size: u64,
    /// Now, in Unix milliseconds.
    pub time: u64,
    /// The number of unapproved transactions.
    pub tips: usize,
    /// 0: nothing is ever missing from a single node.
    pub transactions_to_request: u64,
    /// Enabled features, named as IRI names them.
    pub features: Vec<&'static str>,
    /// The genesis (there is no coordinator).
    pub coordinator_address: Hash81,
}

/// `getTips` and `findTransactions`.
#[derive(Debug, Clone, Serialize)]
pub struct Hashes {
    /// Transaction hashes.
    pub hashes: Vec<Hash81>,
}

/// `getTransactionsToApprove`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionsToApprove {
    /// The trunk to attach to.
    pub trunk_transaction: Hash81,
    /// The branch to attach to.
    pub branch_transaction: Hash81,
}

/// `attachToTangle` and `getTrytes`.
#[derive(Debug, Clone, Serialize)]
pub struct TrytesList {
    /// Transaction trytes.
    pub trytes: Vec<String>,
}

/// `getBalances`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Balances {
    /// One balance per address, as decimal strings (IRI's shape): all `"0"`.
    pub balances: Vec<String>,
    /// The tips the balances are seen from.
    pub references: Vec<Hash81>,
    /// The milestone index the balances are valid at: 0.
    pub milestone_index: u64,
}

/// `wereAddressesSpentFrom` and `getInclusionStates`.
#[derive(Debug, Clone, Serialize)]
pub struct States {
    /// One state per item asked about, in order.
    pub states: Vec<bool>,
}

/// `checkConsistency`: whether the tails can be approved together.
#[derive(Debug, Clone, Serialize)]
pub struct Consistency {
    /// `true` when every tail is a tail of a valid, complete bundle.
    pub state: bool,
    /// Why not, when `state` is `false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
}

/// `getNeighbors`: the peers (none on a private tangle).
#[derive(Debug, Clone, Serialize)]
pub struct Neighbors {
    /// Always empty.
    pub neighbors: Vec<serde_json::Value>,
}

/// Commands that answer nothing but the duration.
#[derive(Debug, Clone, Serialize)]
pub struct Empty {}

/// Any successful answer.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Reply {
    /// `getNodeInfo`.
    NodeInfo(Box<NodeInfo>),
    /// `getTips`, `findTransactions`.
    Hashes(Hashes),
    /// `getTransactionsToApprove`.
    TransactionsToApprove(TransactionsToApprove),
    /// `attachToTangle`, `getTrytes`.
    Trytes(TrytesList),
    /// `getBalances`.
    Balances(Balances),
    /// `wereAddressesSpentFrom`, `getInclusionStates`.
    States(States),
    /// `checkConsistency`.
    Consistency(Consistency),
    /// `getNeighbors`.
    Neighbors(Neighbors),
    /// `storeTransactions`, `broadcastTransactions`,
    /// `interruptAttachingToTangle`.
    Empty(Empty),
}

/// A reply with IRI's `duration` field added.
#[derive(Debug, Serialize)]
pub struct Timed<'a, T: Serialize> {
    /// The reply's own fields.
    #[serde(flatten)]
    pub body: &'a T,
    /// Milliseconds the node took.
    pub duration: u64,
}

/// The body of a failed request.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// What went wrong and what to do.
    pub error: &'a str,
    /// Milliseconds the node took.
    pub duration: u64,
}
