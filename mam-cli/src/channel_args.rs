//! The flags that describe a channel, shared by `root` and `create`.

use std::io::Write;

use anyhow::{Context, Result};
use clap::Args;
use mam_lib::address::Security;
use mam_lib::mam::{message_address, Channel, ChannelPosition, Mode, SideKey};
use mam_lib::seed::Seed;
use serde::Serialize;

use crate::jsonl::{self, Outcome};

/// A channel: seed, mode, side key, security and position.
#[derive(Debug, Args)]
pub struct ChannelArgs {
    /// The channel's seed: 81 trytes (9, A-Z).
    #[arg(long, env = "MAM_SEED", hide_env_values = true)]
    seed: String,
    /// public, private or restricted.
    #[arg(long, default_value = "public")]
    mode: String,
    /// Side key of a restricted channel: up to 81 trytes, padded with 9.
    #[arg(long, env = "MAM_SIDE_KEY", hide_env_values = true)]
    side_key: Option<String>,
    /// Security level of the signatures: 1, 2 or 3.
    #[arg(long, default_value_t = 2)]
    security: u8,
    /// First key index of the current Merkle tree.
    #[arg(long, default_value_t = 0)]
    start: u64,
    /// Keys (messages) in the current tree.
    #[arg(long, default_value_t = 1)]
    count: u64,
    /// Keys in the next tree [default: --count].
    #[arg(long)]
    next_count: Option<u64>,
    /// Position of the next message within the current tree.
    #[arg(long, default_value_t = 0)]
    index: u64,
}

impl ChannelArgs {
    /// Builds the channel the flags describe.
    pub fn channel(&self) -> Result<Channel> {
        let seed: Seed = self.seed.parse().context("invalid --seed")?;
        let mode: Mode = self.mode.parse().context("invalid --mode")?;
        let side_key = self
            .side_key
            .as_deref()
            .map(str::parse::<SideKey>)
            .transpose()
            .context("invalid --side-key")?;
        let security = Security::try_from(self.security).context("invalid --security")?;
        let mut channel = Channel::new(&seed, mode, side_key, security)?;
        channel.set_position(ChannelPosition {
            start: self.start,
            count: self.count,
            next_count: self.next_count.unwrap_or(self.count),
            index: self.index,
        })?;
        Ok(channel)
    }
}

/// The state of a channel as JSON (camelCase, as @iota/mam.js names it).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelJson {
    mode: &'static str,
    side_key: Option<String>,
    security: usize,
    #[serde(flatten)]
    position: ChannelPosition,
}

impl ChannelJson {
    /// Describes `channel` as it stands.
    pub fn of(channel: &Channel) -> ChannelJson {
        ChannelJson {
            mode: channel.mode().as_str(),
            side_key: (channel.mode() == Mode::Restricted).then(|| channel.side_key().to_string()),
            security: channel.security().fragments(),
            position: channel.position(),
        }
    }
}

/// `mam root`: the current root and its message address.
pub fn run_root(args: &ChannelArgs, out: &mut impl Write) -> Result<Outcome> {
    let mut channel = args.channel()?;
    let root = channel.root();
    let address = message_address(&root, channel.mode())?;
    jsonl::print(
        out,
        &serde_json::json!({ "root": root, "address": address, "channel": ChannelJson::of(&channel) }),
    )?;
    Ok(Outcome::AllOk)
}
