//! `tangle-node`: a private-tangle IOTA node that speaks the legacy IRI HTTP
//! API, so that the whole system runs on one machine with no outside server.
//!
//! What it is for: accepting, checking and storing legacy 2673-tryte
//! transactions (SQLite), answering the IRI commands that the legacy clients
//! (`@iota/core` 1.0.0-beta.30, `iota.lib.js` 0.5.3, `@iota/mam.js`
//! 1.0.0-beta.10) and the project's browser apps send, and doing remote proof
//! of work (`attachToTangle`).
//!
//! What it is not for: a network. It has no neighbours, no gossip, no
//! coordinator and no milestones; every stored transaction counts as
//! confirmed, and balances are always zero (the tangle carries data only).
//!
//! Codemap:
//!
//! - [`config`]: the settings and their defaults (the CLI is in `main.rs`).
//! - [`api`]: the node's side of the wire format, whose types are the
//!   `iri-api` crate's (shared with the client): parsing request bodies into
//!   typed commands with IRI-shaped refusals, what handlers answer, and the
//!   error type with its HTTP status.
//! - [`handlers`]: one module per command group; they only see typed values.
//! - [`validation`]: trytes to a checked transaction with its hash and weight.
//! - [`storage`]: SQLite (one writer thread with group commit, a pool of
//!   readers) and [`tips`], the in-memory set of unapproved transactions.
//! - [`pow`]: the bridge from `attachToTangle` to `mam_lib::pow`;
//!   [`attach_gate`]: how many searches run and wait, each with its own
//!   stop flag; [`pow_budget`]: which clients get proof of work and how
//!   much (both owned by [`node::Node`], used by the handler).
//! - [`server`]: HTTP (axum on hyper): the connection limit, idle, body and
//!   request deadlines, body limits, CORS (whose origins [`cors`] decides)
//!   and graceful shutdown; [`write_stall`] closes connections whose client
//!   stops reading its answer.
//!
//! Invariant: everything in the database passed [`validation`] with the
//! node's minimum weight magnitude, and approves only stored transactions or
//! the genesis (81 `9`s).

#![warn(missing_docs)]

pub mod api;
pub mod attach_gate;
pub mod config;
pub mod cors;
pub mod handlers;
pub mod node;
pub mod pow;
pub mod pow_budget;
pub mod server;
pub mod storage;
pub mod tips;
pub mod validation;
pub mod write_stall;
