//! What a handler answers: one of `iri_api`'s answer shapes (the same types
//! the client reads), and the `duration` the server adds to every answer.

use iri_api::{
    Acknowledged, Balances, Consistency, Hashes, Neighbors, NodeInfo, States,
    TransactionsToApprove, TrytesResponse,
};
use serde::Serialize;

/// Any successful answer. Handlers leave the shapes' own `duration` unset:
/// the server adds it once, with [`Timed`].
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
    Trytes(TrytesResponse),
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
    Empty(Acknowledged),
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
