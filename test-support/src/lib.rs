//! What the workspace's integration tests share: the real `tangle-node`
//! binary started on a free loopback port ([`TangleNode`]), a `socat`
//! pseudo-terminal pair standing in for a P1 cable ([`PtyPair`]), and
//! scratch directories ([`ScratchDir`]), and junk as an attacker attaches
//! it ([`lone_transactions`]).
//!
//! What it is for: tests and benchmarks of `iri-client`, `tangle-node` and
//! `pi-reader` (a dev-dependency only; `publish = false`). What it is not
//! for: talking to the node (tests use `iri-client` or raw HTTP as they
//! need), or anything a shipped binary runs.
//!
//! Failures panic with a message that says what to do (build the node,
//! install `socat`): these are test fixtures, and a panic is how a test
//! fails.

#![warn(missing_docs)]

mod junk;
mod node;
mod pty;
mod scratch;

pub use junk::lone_transactions;
pub use node::{node_binary, TangleNode, TangleNodeBuilder};
pub use pty::PtyPair;
pub use scratch::ScratchDir;

use std::path::PathBuf;

/// `<target>/<profile>`: where Cargo puts the binaries of the build this
/// test belongs to (tests and benchmarks run from its `deps/`).
fn profile_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let deps = exe.parent()?;
    if deps.file_name()? != "deps" {
        return None;
    }
    deps.parent().map(PathBuf::from)
}
