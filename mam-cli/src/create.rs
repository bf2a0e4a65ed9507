//! `mam create`: messages on a channel, one or many.

use std::io::Write;

use anyhow::{bail, Context, Result};
use clap::Args;
use mam_lib::mam::Channel;
use mam_lib::ternary::Trytes;
use serde::Deserialize;

use crate::channel_args::{ChannelArgs, ChannelJson};
use crate::jsonl::{self, Outcome};

/// The message(s) to put on a channel.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).multiple(false).args(["message", "trytes", "jsonl"])))]
pub struct MessageArgs {
    /// The message as text (encoded two trytes per byte).
    #[arg(long)]
    message: Option<String>,
    /// The message as trytes.
    #[arg(long)]
    trytes: Option<String>,
    /// Read messages from stdin, one JSON object per line:
    /// {"message": "text"} or {"trytes": "..."}; they follow each other on
    /// the channel.
    #[arg(long)]
    jsonl: bool,
}

impl MessageArgs {
    /// Hands each message to `handle` and prints its answer: the one given
    /// by flag, or every line of stdin with --jsonl.
    pub fn for_each(
        &self,
        out: &mut impl Write,
        mut handle: impl FnMut(Trytes) -> Result<serde_json::Value>,
    ) -> Result<Outcome> {
        if self.jsonl {
            return jsonl::for_each_line(out, |request: Request| {
                handle(message_trytes(
                    request.message.as_deref(),
                    request.trytes.as_deref(),
                )?)
            });
        }
        let message = message_trytes(self.message.as_deref(), self.trytes.as_deref())?;
        jsonl::print(out, &handle(message)?)?;
        Ok(Outcome::AllOk)
    }
}

/// A channel and what to put on it.
#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    channel: ChannelArgs,
    #[command(flatten)]
    message: MessageArgs,
}

/// One message request on stdin.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    message: Option<String>,
    trytes: Option<String>,
}

fn message_trytes(message: Option<&str>, trytes: Option<&str>) -> Result<Trytes> {
    match (message, trytes) {
        (Some(text), None) => Ok(Trytes::from_bytes(text.as_bytes())),
        (None, Some(trytes)) => trytes.parse().context("invalid message trytes"),
        _ => bail!("give exactly one of message (text) or trytes"),
    }
}

fn create_one(channel: &mut Channel, message: &Trytes) -> Result<serde_json::Value> {
    let created = channel.create(message)?;
    Ok(serde_json::json!({
        "root": created.root,
        "address": created.address,
        "payload": created.payload,
        "nextRoot": created.next_root,
        "channel": ChannelJson::of(channel),
    }))
}

/// Runs `mam create`.
pub fn run(args: &CreateArgs, out: &mut impl Write) -> Result<Outcome> {
    let mut channel = args.channel.channel()?;
    args.message
        .for_each(out, |message| create_one(&mut channel, &message))
}
