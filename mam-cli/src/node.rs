//! `mam attach` and `mam fetch`: channels on a live node (IRI API).

use std::io::Write;

use anyhow::{Context, Result};
use clap::Args;
use iri_client::{Client, PowMode};
use mam_lib::mam::{Mode, SideKey};
use mam_lib::ternary::{Tag27, Trytes};

use crate::channel_args::{ChannelArgs, ChannelJson};
use crate::create::MessageArgs;
use crate::jsonl::{self, Outcome};

/// Where the node is and how to do proof of work.
#[derive(Debug, Args)]
pub struct NodeArgs {
    /// The node's IRI API URL.
    #[arg(long, env = "MAM_NODE", default_value = "http://127.0.0.1:14265")]
    node: String,
}

/// A channel, messages to attach, and how.
#[derive(Debug, Args)]
pub struct AttachArgs {
    #[command(flatten)]
    node: NodeArgs,
    #[command(flatten)]
    channel: ChannelArgs,
    #[command(flatten)]
    message: MessageArgs,
    /// Tag of the transactions (up to 27 trytes).
    #[arg(long, default_value = "")]
    tag: String,
    /// Minimum weight magnitude of the proof of work.
    #[arg(long, default_value_t = 9)]
    mwm: u8,
    /// Let the node do the proof of work (attachToTangle).
    #[arg(long)]
    remote_pow: bool,
    /// Threads for local proof of work [default: all cores].
    #[arg(long)]
    threads: Option<usize>,
}

/// Runs `mam attach`.
pub fn run_attach(args: &AttachArgs, out: &mut impl Write) -> Result<Outcome> {
    let client = Client::new(args.node.node.clone());
    let mut channel = args.channel.channel()?;
    let tag = Tag27::padded(args.tag.parse().context("invalid --tag")?).context("invalid --tag")?;
    let pow = if args.remote_pow {
        PowMode::Remote
    } else {
        let threads = args
            .threads
            .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
            .unwrap_or(1);
        PowMode::Local { threads }
    };
    args.message.for_each(out, |message: Trytes| {
        let created = channel.create(&message)?;
        let bundle = pollster::block_on(client.mam_attach(&created, &tag, args.mwm, pow))
            .with_context(|| format!("attaching to {}", args.node.node))?;
        Ok(serde_json::json!({
            "root": created.root,
            "address": created.address,
            "nextRoot": created.next_root,
            "bundle": bundle.hash(),
            "channel": ChannelJson::of(&channel),
        }))
    })
}

/// A channel to read from a node.
#[derive(Debug, Args)]
pub struct FetchArgs {
    #[command(flatten)]
    node: NodeArgs,
    /// The root to start from: 81 trytes.
    #[arg(long)]
    root: String,
    /// public, private or restricted.
    #[arg(long, default_value = "public")]
    mode: String,
    /// Side key of a restricted channel: up to 81 trytes.
    #[arg(long, env = "MAM_SIDE_KEY", hide_env_values = true)]
    side_key: Option<String>,
    /// Read at most this many messages.
    #[arg(long)]
    limit: Option<usize>,
}

/// Runs `mam fetch`: one JSON line per message, then one with where to
/// continue (`{"nextRoot": ..., "skipped": ...}`).
pub fn run_fetch(args: &FetchArgs, out: &mut impl Write) -> Result<Outcome> {
    let client = Client::new(args.node.node.clone());
    let root = Trytes::with_length(&args.root, 81).context("invalid --root")?;
    let mode: Mode = args.mode.parse().context("invalid --mode")?;
    let side_key = args
        .side_key
        .as_deref()
        .map(str::parse::<SideKey>)
        .transpose()
        .context("invalid --side-key")?;
    let fetched =
        pollster::block_on(client.mam_fetch_all(&root, mode, side_key.as_ref(), args.limit))
            .with_context(|| format!("fetching from {}", args.node.node))?;
    for message in &fetched.messages {
        let text = message
            .parsed
            .message
            .to_bytes()
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        jsonl::print(
            out,
            &serde_json::json!({
                "root": message.root,
                "message": text,
                "trytes": message.parsed.message,
                "nextRoot": message.parsed.next_root,
                "bundle": message.bundle,
            }),
        )?;
    }
    if let Some(fork) = &fetched.fork {
        // Two different messages verify under one root: report, never pick.
        jsonl::print(
            out,
            &serde_json::json!({
                "error": "fork: two different messages verify under one root",
                "root": fork.root,
                "bundles": fork.bundles,
            }),
        )?;
    }
    jsonl::print(
        out,
        &serde_json::json!({ "nextRoot": fetched.next_root, "skipped": fetched.skipped }),
    )?;
    Ok(match fetched.fork {
        Some(_) => Outcome::SomeFailed(1),
        None => Outcome::AllOk,
    })
}
