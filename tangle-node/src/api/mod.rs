//! The node's side of the IRI HTTP API: request bodies parsed into typed
//! commands ([`request`]), what handlers answer ([`response`]) and the
//! error every failed request answers with ([`error`]).
//!
//! The wire format itself (commands, fields, answer shapes, the error body)
//! is the `iri-api` crate, shared with the client; here is what only a node
//! decides: which commands it answers, the wording of refusals, and the
//! HTTP status of each failure. Shapes follow IRI 1.8 as `@iota/core`
//! 1.0.0-beta.30 and `iota.lib.js` 0.5.3 read them: `POST /` with
//! `{"command": ...}`; every answer is a JSON object with a `duration` in
//! milliseconds; a failure is `{"error": "...", "duration": ...}` with
//! HTTP 400 (bad input), 503 (busy) or 500 (the node's own fault).

pub mod error;
pub mod request;
pub mod response;

pub use error::ApiError;
pub use request::Request;
pub use response::Reply;
