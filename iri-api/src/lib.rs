//! The legacy IRI HTTP API's wire format, written once for both ends:
//! `iri-client` serializes these requests and reads these answers,
//! `tangle-node` reads these requests and writes these answers.
//!
//! What is here: every command the project speaks as a [`Command`] (its
//! name, its fields with IRI's spelling, its answer), the answer shapes
//! ([`responses`]), the error body, the headers every request carries, and
//! the leniencies of IRI's JSON reader that legacy clients rely on
//! (integers written as `3.0`, tags in their 81-tryte form). Every tryte
//! string is a typed value, so reading a request or an answer checks the
//! alphabet and length of each hash, tag and transaction.
//!
//! What is not here: HTTP (the client's transports, the node's server),
//! retries, and anything a node decides (its limits, which commands it
//! answers, the wording of its refusals). No I/O; builds for
//! `wasm32-unknown-unknown`.
//!
//! Shapes follow IRI 1.8 as `@iota/core` 1.0.0-beta.30 and `iota.lib.js`
//! 0.5.3 send and read them: `POST /` with `{"command": ...}` and the
//! command's fields; every answer is a JSON object with a `duration` in
//! milliseconds; a failure is an [`ErrorBody`].

#![warn(missing_docs)]

pub mod commands;
mod lenient;
pub mod responses;
#[cfg(test)]
mod tests;

pub use commands::{
    request_body, AttachToTangle, BroadcastTransactions, CheckConsistency, Command,
    FindTransactions, GetBalances, GetInclusionStates, GetNeighbors, GetNodeInfo, GetTips,
    GetTransactionsToApprove, GetTrytes, InterruptAttachingToTangle, StoreTransactions,
    WereAddressesSpentFrom,
};
pub use responses::{
    Acknowledged, Balances, Consistency, ErrorBody, Hashes, Neighbors, NodeInfo, States,
    TransactionsToApprove, TrytesResponse,
};

/// The headers every IRI request carries: a JSON body, and the API version
/// IRI insists on.
pub const IRI_HEADERS: [(&str, &str); 2] = [
    ("Content-Type", "application/json"),
    ("X-IOTA-API-Version", "1"),
];
