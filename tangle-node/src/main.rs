//! `tangle-node`: a private-tangle IOTA node that speaks the legacy IRI HTTP
//! API, so that the whole system runs on one machine with no outside server.
//!
//! This release only describes itself; the server arrives with the node
//! issue (transactions, proof of work, storage).

use anyhow::bail;
use clap::Parser;

/// A private-tangle IOTA node speaking the legacy IRI HTTP API.
///
/// Legacy IOTA clients (`@iota/core`, `iota.lib.js`, `@iota/mam.js`) and the
/// project's own apps talk to it over HTTP; it stores transactions in SQLite.
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
struct Cli {
    /// Address to listen on for the IRI HTTP API.
    #[arg(long, env = "TANGLE_NODE_LISTEN", default_value = "127.0.0.1:14265")]
    listen: String,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    bail!(
        "the node server is not part of this release yet (would listen on {}); see the README",
        cli.listen
    )
}
