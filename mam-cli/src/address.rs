//! `mam address`: legacy addresses of a seed, and MAM message addresses.

use std::io::Write;

use anyhow::{bail, Context, Result};
use clap::Args;
use mam_lib::address::{generate_address, Security};
use mam_lib::mam::{message_address, Mode};
use mam_lib::seed::Seed;
use mam_lib::ternary::Trytes;

use crate::jsonl::{self, Outcome};

/// Either --seed (legacy address) or --root with --mode (message address).
#[derive(Debug, Args)]
pub struct AddressArgs {
    /// Seed whose address to generate: 81 trytes.
    #[arg(
        long,
        env = "MAM_SEED",
        hide_env_values = true,
        conflicts_with = "root"
    )]
    seed: Option<String>,
    /// Key index of the address.
    #[arg(long, default_value_t = 0)]
    index: u64,
    /// Security level: 1, 2 or 3.
    #[arg(long, default_value_t = 2)]
    security: u8,
    /// A MAM root: prints where its message is stored.
    #[arg(long, requires = "mode")]
    root: Option<String>,
    /// The channel mode for --root: public, private or restricted.
    #[arg(long)]
    mode: Option<String>,
}

/// Runs `mam address`.
pub fn run(args: &AddressArgs, out: &mut impl Write) -> Result<Outcome> {
    match (&args.seed, &args.root, &args.mode) {
        (Some(seed), None, _) => {
            let seed: Seed = seed.parse().context("invalid --seed")?;
            let security = Security::try_from(args.security).context("invalid --security")?;
            let address = generate_address(&seed, args.index, security);
            jsonl::print(
                out,
                &serde_json::json!({
                    "address": address.to_string(),
                    "index": args.index,
                    "security": security.fragments(),
                }),
            )?;
        }
        (None, Some(root), Some(mode)) => {
            let root = Trytes::with_length(root, 81).context("invalid --root")?;
            let mode: Mode = mode.parse().context("invalid --mode")?;
            let address = message_address(&root, mode)?;
            jsonl::print(
                out,
                &serde_json::json!({ "address": address, "root": root, "mode": mode.as_str() }),
            )?;
        }
        _ => bail!("give --seed (legacy address) or --root with --mode (MAM message address)"),
    }
    Ok(Outcome::AllOk)
}
