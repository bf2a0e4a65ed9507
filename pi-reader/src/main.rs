//! `pi-reader`: the device on the smart meter's P1 port. It reads DSMR
//! telegrams and publishes each one to a restricted MAM channel, and hands
//! the channel keys only to the service providers the household consents to.
//!
//! This release only describes itself and its identity; reading, publishing
//! and consent handling arrive with the Pi reader issue.

use anyhow::bail;
use clap::{Parser, Subcommand};

/// Reads a smart meter's P1 port and publishes every telegram to a restricted
/// IOTA MAM channel, sharing it only with the providers the household allows.
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the device: read telegrams, publish them, follow consent.
    Run,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Run => bail!("the reader daemon is not part of this release yet; see the README"),
    }
}
