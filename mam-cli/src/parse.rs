//! `mam parse`: decrypt and verify messages, one or many.

use std::io::Write;

use anyhow::{bail, Context, Result};
use clap::Args;
use mam_lib::mam::{parse, SideKey};
use mam_lib::ternary::Trytes;
use serde::Deserialize;

use crate::jsonl::{self, Outcome};

/// What to parse and with which keys.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).multiple(false).args(["payload", "jsonl"])))]
pub struct ParseArgs {
    /// The root the message was published under: 81 trytes.
    #[arg(long)]
    root: Option<String>,
    /// Side key of a restricted channel: up to 81 trytes.
    #[arg(long, env = "MAM_SIDE_KEY", hide_env_values = true)]
    side_key: Option<String>,
    /// The payload trytes.
    #[arg(long)]
    payload: Option<String>,
    /// Read payloads from stdin, one JSON object per line: {"payload": ...,
    /// "root": ..., "sideKey": ...}; root and sideKey default to the flags.
    #[arg(long)]
    jsonl: bool,
}

/// One parse request on stdin.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Request {
    payload: String,
    root: Option<String>,
    side_key: Option<String>,
}

fn parse_one(
    payload: &str,
    root: Option<&str>,
    side_key: Option<&str>,
) -> Result<serde_json::Value> {
    let Some(root) = root else {
        bail!("no root: give --root or \"root\"");
    };
    let root = Trytes::with_length(root, 81).context("invalid root")?;
    let payload: Trytes = payload.parse().context("invalid payload")?;
    let side_key = side_key
        .map(str::parse::<SideKey>)
        .transpose()
        .context("invalid side key")?;
    let parsed = parse(&payload, &root, side_key.as_ref())?;
    let text = parsed
        .message
        .to_bytes()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    Ok(serde_json::json!({
        "message": text,
        "trytes": parsed.message,
        "nextRoot": parsed.next_root,
        "index": parsed.index,
        "security": parsed.security.fragments(),
    }))
}

/// Runs `mam parse`.
pub fn run(args: &ParseArgs, out: &mut impl Write) -> Result<Outcome> {
    if args.jsonl {
        return jsonl::for_each_line(out, |request: Request| {
            parse_one(
                &request.payload,
                request.root.as_deref().or(args.root.as_deref()),
                request.side_key.as_deref().or(args.side_key.as_deref()),
            )
        });
    }
    let Some(payload) = args.payload.as_deref() else {
        bail!("give the payload with --payload or --jsonl");
    };
    jsonl::print(
        out,
        &parse_one(payload, args.root.as_deref(), args.side_key.as_deref())?,
    )?;
    Ok(Outcome::AllOk)
}
