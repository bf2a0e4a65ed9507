//! Why a call to a node failed.

use core::time::Duration;

use mam_lib::bundle::BundleError;
use mam_lib::mam::MamError;
use mam_lib::pow::PowError;
use mam_lib::transaction::TransactionError;

/// A request that did not get an HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No connection (refused, unknown host, network down).
    #[error("cannot connect: {0}")]
    Connect(String),
    /// No complete answer within the time allowed.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The connection broke while the request or answer was under way.
    #[error("connection broke: {0}")]
    Interrupted(String),
    /// The request itself is wrong (for example a malformed URL); trying
    /// again will not help.
    #[error("request failed: {0}")]
    Request(String),
}

impl TransportError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        !matches!(self, TransportError::Request(_))
    }
}

/// What can go wrong talking to an IOTA node.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The node could not be reached, even after retrying.
    #[error("node unreachable ({attempts} attempt(s))")]
    Transport {
        /// How many times the request was sent.
        attempts: u32,
        /// The last failure.
        source: TransportError,
    },
    /// The node answered with an HTTP error; `message` is its `error` (or
    /// `exception`) text, or the body if it had none.
    #[error("node refused {command} (HTTP {status}): {message}")]
    Node {
        /// The IRI command.
        command: &'static str,
        /// The HTTP status.
        status: u16,
        /// What the node said.
        message: String,
    },
    /// The node refused a lookup because more transactions match than it
    /// returns at once (tangle-node's `--max-find-results`, IRI's
    /// `maxFindTransactions`): someone flooded the address. Asking again
    /// will not help; the node's limit must be raised or the address left.
    #[error("node refused {command}: more transactions match than it returns ({message})")]
    TooManyResults {
        /// The IRI command.
        command: &'static str,
        /// What the node said.
        message: String,
    },
    /// A request that cannot be encoded as JSON.
    #[error("cannot encode the {command} request: {detail}")]
    InvalidRequest {
        /// The IRI command.
        command: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// An answer that is not the JSON the command returns (including hashes
    /// or tags that are not valid trytes).
    #[error("node's answer to {command} is not valid: {detail}")]
    BadResponse {
        /// The IRI command.
        command: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// An answer with another number of entries than asked for.
    #[error("node answered {command} with {actual} entries for {expected} asked")]
    WrongCount {
        /// The IRI command.
        command: &'static str,
        /// Entries asked for.
        expected: usize,
        /// Entries received.
        actual: usize,
    },
    /// Trytes from the node that are not a transaction.
    #[error("node returned an invalid transaction for {command}: {source}")]
    InvalidTransaction {
        /// The IRI command.
        command: &'static str,
        /// Why the trytes are not a transaction.
        source: TransactionError,
    },
    /// The node's attached transactions differ from the bundle sent to it
    /// in more than the attachment fields.
    #[error("the node altered transaction {index} of the bundle it attached")]
    AlteredByNode {
        /// Index of the first altered transaction.
        index: usize,
    },
    /// Proof of work below the minimum weight magnitude.
    #[error("transaction {index} has weight {weight}, below the minimum weight magnitude {mwm}")]
    InsufficientWeight {
        /// The transaction's index.
        index: usize,
        /// Its trailing zero trits.
        weight: usize,
        /// The weight asked for.
        mwm: u8,
    },
    /// Local proof of work failed.
    #[error("proof of work: {0}")]
    Pow(#[from] PowError),
    /// A [`crate::NonceSearch`] other than this crate's own failed (for
    /// example the browser's proof-of-work workers did not load).
    #[error("proof of work: {0}")]
    NonceSearch(String),
    /// Building or checking a bundle failed.
    #[error("{0}")]
    Bundle(#[from] BundleError),
    /// A MAM argument was wrong (mode and side key, root).
    #[error("{0}")]
    Mam(#[from] MamError),
}

impl ClientError {
    /// Whether the same request may succeed if sent again: the node was
    /// unreachable, or answered with a server error (HTTP 5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Transport { source, .. } => source.is_transient(),
            ClientError::Node { status, .. } => (500..600).contains(status),
            _ => false,
        }
    }
}
