//! A client for the legacy IRI HTTP API, for native programs and the
//! browser alike.
//!
//! [`Client::call`] sends any [`Command`] (the wire types are the
//! `iri-api` crate's, re-exported here) and returns its typed answer;
//! methods such as [`Client::get_trytes`] wrap the commands the project
//! uses; [`Client::send_message`], [`Client::read_messages`],
//! [`Client::mam_attach`] and [`Client::mam_fetch_all`] are the operations
//! the apps need (their `*_with` forms, such as [`Client::send_bundle_with`],
//! await a [`NonceSearch`] once per transaction, so that proof of work can
//! run elsewhere: in the browser, in Web Workers); a party that polls an address or a channel again and
//! again keeps an [`InboxCursor`] or a [`MamCursor`] (with
//! [`Client::read_new_messages`], [`Client::mam_read_next`]) so that junk
//! there is downloaded once, at most a budget a poll, and lists sent to the
//! node stay within [`ClientConfig::list_chunk`].
//!
//! The API is `async` so that one client serves both builds. Natively the
//! transport (`HttpTransport`) blocks inside, so each future completes on
//! its first poll: run calls on a thread of their own, with an executor as
//! simple as `pollster::block_on`, not on an async runtime's worker
//! threads. In the browser the transport (`FetchTransport`) uses `fetch`;
//! drive it with `wasm_bindgen_futures::spawn_local` (or Yew's equivalent).
//!
//! Every request has a timeout; transient failures (no connection,
//! timeouts, HTTP 5xx) are retried with backoff as the [`RetryPolicy`]
//! says, HTTP 4xx answers are not. Everything the node returns is checked
//! before use: malformed transactions and bundles are skipped and counted,
//! never trusted.

#[cfg(target_arch = "wasm32")]
mod browser;
mod calls;
mod cursor;
mod error;
mod mam;
#[cfg(not(target_arch = "wasm32"))]
mod native;
mod pow;
mod read;
mod retry;
mod send;
#[cfg(test)]
mod tests;
mod transport;

#[cfg(target_arch = "wasm32")]
pub use browser::FetchTransport;
pub use error::{ClientError, TransportError};
// The wire types are `iri-api`'s, shared with `tangle-node`; re-exported so
// that callers need only this crate.
pub use cursor::{
    CursorChanges, InboxCursor, WaitingTransaction, DEFAULT_MAX_WAITING, DEFAULT_POLL_BUDGET,
    INCOMPLETE_PATIENCE_MS,
};
pub use iri_api::{
    Acknowledged, AttachToTangle, Balances, BroadcastTransactions, CheckConsistency, Command,
    Consistency, ErrorBody, FindTransactions, GetBalances, GetInclusionStates, GetNeighbors,
    GetNodeInfo, GetTips, GetTransactionsToApprove, GetTrytes, Hashes, InterruptAttachingToTangle,
    Neighbors, NodeInfo, States, StoreTransactions, TransactionsToApprove, TrytesResponse,
    WereAddressesSpentFrom, IRI_HEADERS,
};
pub use mam::{FetchedMessage, MamCursor, MamFetch, MamFetchAll, MamFork, MamNext};
#[cfg(not(target_arch = "wasm32"))]
pub use native::HttpTransport;
pub use pow::{CpuNonceSearch, NonceSearch, PowStep};
pub use read::{BundlesAt, Inbox, ReceivedMessage};
pub use retry::RetryPolicy;
pub use send::PowMode;
pub use transport::{HttpResponse, Transport};

use core::time::Duration;

/// The transport of this build: [`HttpTransport`] natively.
#[cfg(not(target_arch = "wasm32"))]
pub type DefaultTransport = HttpTransport;
/// The transport of this build: [`FetchTransport`] in the browser.
#[cfg(target_arch = "wasm32")]
pub type DefaultTransport = FetchTransport;

/// How the client waits and retries, and how it attaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientConfig {
    /// Time allowed for one request.
    pub timeout: Duration,
    /// Time allowed for `attachToTangle`, where the node does proof of work.
    pub attach_timeout: Duration,
    /// Retries of transient failures.
    pub retry: RetryPolicy,
    /// The `depth` asked for in `getTransactionsToApprove`.
    pub depth: u32,
    /// Items per list in one `getTrytes` or `findTransactions` request;
    /// longer lists are sent in chunks. Well under IRI's (`maxGetTrytes`
    /// 10,000, `maxRequestsList` 1,000) and tangle-node's (1,000) limits.
    pub list_chunk: usize,
}

/// The default [`ClientConfig::list_chunk`].
pub const DEFAULT_LIST_CHUNK: usize = 500;

impl Default for ClientConfig {
    /// 30 s per request, 5 minutes for remote proof of work, the default
    /// retry policy, depth 3 (as the MAM libraries use), lists in chunks
    /// of [`DEFAULT_LIST_CHUNK`].
    fn default() -> ClientConfig {
        ClientConfig {
            timeout: Duration::from_secs(30),
            attach_timeout: Duration::from_secs(300),
            retry: RetryPolicy::default(),
            depth: 3,
            list_chunk: DEFAULT_LIST_CHUNK,
        }
    }
}

/// A connection to one node of the legacy IRI HTTP API.
#[derive(Debug, Clone)]
pub struct Client<T = DefaultTransport> {
    url: String,
    transport: T,
    config: ClientConfig,
}

impl Client<DefaultTransport> {
    /// A client for the node at `url` (for example `http://127.0.0.1:14265`)
    /// with this build's transport and the default configuration.
    pub fn new(url: impl Into<String>) -> Client<DefaultTransport> {
        Client::with_transport(url, DefaultTransport::default(), ClientConfig::default())
    }
}

impl<T: Transport> Client<T> {
    /// A client for the node at `url` over `transport`.
    pub fn with_transport(url: impl Into<String>, transport: T, config: ClientConfig) -> Client<T> {
        Client {
            url: url.into(),
            transport,
            config,
        }
    }

    /// The node's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Sends `command` and reads the node's answer, retrying transient
    /// failures as the retry policy allows.
    pub async fn call<C: Command>(&self, command: &C) -> Result<C::Response, ClientError> {
        let body = iri_api::request_body(command).map_err(|error| ClientError::InvalidRequest {
            command: C::NAME,
            detail: error.to_string(),
        })?;
        let timeout = if C::DOES_POW {
            self.config.attach_timeout
        } else {
            self.config.timeout
        };
        let policy = self.config.retry;
        let mut attempt = 1;
        loop {
            let outcome = match self.transport.post(&self.url, &body, timeout).await {
                Ok(response) => read_response::<C>(response),
                Err(source) => Err(ClientError::Transport {
                    attempts: attempt,
                    source,
                }),
            };
            match outcome {
                Err(error) if error.is_transient() && policy.allows_retry_after(attempt) => {
                    self.transport.sleep(policy.backoff(attempt)).await;
                    attempt += 1;
                }
                done => return done,
            }
        }
    }
}

/// Turns an HTTP answer into the command's response or the node's error.
fn read_response<C: Command>(response: HttpResponse) -> Result<C::Response, ClientError> {
    if !(200..300).contains(&response.status) {
        let message = serde_json::from_str::<ErrorBody>(&response.body)
            .ok()
            .and_then(ErrorBody::message)
            .unwrap_or_else(|| excerpt(&response.body));
        return Err(ClientError::Node {
            command: C::NAME,
            status: response.status,
            message,
        });
    }
    serde_json::from_str(&response.body).map_err(|error| ClientError::BadResponse {
        command: C::NAME,
        detail: error.to_string(),
    })
}

/// The start of a body that is not IRI's error JSON, for the error message.
fn excerpt(body: &str) -> String {
    const LIMIT: usize = 200;
    match body.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", &body[..end]),
        None => body.to_owned(),
    }
}
