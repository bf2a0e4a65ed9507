//! `provider-probe`: a service provider played from a seed, for end-to-end
//! tests that need to see what a device really sends to a provider (before
//! the real provider app, Wattt Insights, does it).
//!
//! Three commands, each printing one JSON object on stdout:
//!
//! - `identity`: the provider's address and NTRU public key, what an owner
//!   needs to give it consent;
//! - `keys`: waits for a `MAM_DATA` at its address that opens with its key
//!   pair and answers one of its request nonces;
//! - `follow`: with those keys, reads the device's restricted channel and
//!   counts what it could read, optionally until the consent ends.
//!
//! The rules are `consent_protocol::provider`'s; this binary only does the
//! I/O around them.

mod channel;
mod inbox;
mod provider;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use iri_client::Client;
use mam_lib::seed::Seed;
use mam_lib::ternary::Hash81;
use serde_json::{json, Value};

use crate::channel::follow_channel;
use crate::inbox::wait_for_keys;
use crate::provider::Provider;

/// A service provider played from a seed, for tests: prints JSON on stdout.
#[derive(Parser)]
#[command(name = "provider-probe", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The provider's address (index 0, security 2) and NTRU public key.
    Identity {
        /// The provider's seed (81 trytes).
        #[arg(long)]
        seed: Seed,
    },
    /// Waits for keys (a MAM_DATA that opens) at the provider's address.
    Keys(KeysArgs),
    /// Reads the device channel with the keys the provider received.
    Follow {
        #[command(flatten)]
        keys: KeysArgs,
        /// Only keys sent for this policy.
        #[arg(long)]
        policy_id: consent_protocol::PolicyId,
        /// Keep reading until the consent ends (a key rotation leaves the
        /// provider out); fails if it has not ended by the timeout.
        #[arg(long)]
        until_ended: bool,
    },
}

#[derive(clap::Args)]
struct KeysArgs {
    /// The node's IRI API, e.g. http://127.0.0.1:14265.
    #[arg(long)]
    node: String,
    /// The provider's seed (81 trytes).
    #[arg(long)]
    seed: Seed,
    /// The nonce of the provider's consent request (81 trytes): only keys
    /// that answer it are taken.
    #[arg(long)]
    nonce: Hash81,
    /// How long to wait in all ("90s", "2m").
    #[arg(long, value_parser = humantime::parse_duration, default_value = "90s")]
    timeout: Duration,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("provider-probe: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<Value> {
    match cli.command {
        Command::Identity { seed } => {
            let provider = Provider::from_seed(&seed);
            Ok(json!({
                "address": provider.address.to_string(),
                "publicKeyTrytes": provider.keys.public_key().to_trytes().to_string(),
            }))
        }
        Command::Keys(args) => {
            let (client, provider) = connect(&args);
            let keys = wait_for_keys(&client, &provider, &args.nonce, None, args.timeout)?;
            Ok(json!({
                "policyId": keys.connection.policy_id(),
                "root": keys.connection.next_root().to_string(),
                "sideKey": keys.connection.side_key().to_string(),
                "refused": keys.refused,
            }))
        }
        Command::Follow {
            keys: args,
            policy_id,
            until_ended,
        } => {
            let (client, provider) = connect(&args);
            let deadline = std::time::Instant::now() + args.timeout;
            let keys = wait_for_keys(
                &client,
                &provider,
                &args.nonce,
                Some(&policy_id),
                args.timeout,
            )?;
            let read = follow_channel(&client, &provider, keys.connection, until_ended, deadline)
                .with_context(|| {
                format!("reading the device channel for policy {policy_id}")
            })?;
            Ok(read.to_json())
        }
    }
}

fn connect(args: &KeysArgs) -> (Client, Provider) {
    (
        Client::new(args.node.clone()),
        Provider::from_seed(&args.seed),
    )
}
