//! `mam`: create, parse and address MAM v0 messages from the command line,
//! for people who debug channels. Output is JSON, one object per line.

mod address;
mod channel_args;
mod create;
mod jsonl;
mod node;
mod parse;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Create, parse and address IOTA MAM v0 messages (compatible with @iota/mam
/// 0.7.3 and @iota/mam.js). Prints JSON, one object per line; with --jsonl,
/// reads one JSON object per line on stdin and answers each with one line.
#[derive(Debug, Parser)]
#[command(name = "mam", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The legacy IOTA address of a seed (--seed), or the address a MAM
    /// message with a given root is stored at (--root and --mode).
    Address(address::AddressArgs),
    /// The root of a channel at a position (where readers start).
    Root(channel_args::ChannelArgs),
    /// Create messages on a channel.
    Create(create::CreateArgs),
    /// Decrypt and verify messages.
    Parse(parse::ParseArgs),
    /// Create messages on a channel and attach them to a node (with proof
    /// of work here, or by the node with --remote-pow).
    Attach(node::AttachArgs),
    /// Read a channel from a node, following next roots.
    Fetch(node::FetchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Address(args) => address::run(&args, &mut out),
        Command::Root(args) => channel_args::run_root(&args, &mut out),
        Command::Create(args) => create::run(&args, &mut out),
        Command::Parse(args) => parse::run(&args, &mut out),
        Command::Attach(args) => node::run_attach(&args, &mut out),
        Command::Fetch(args) => node::run_fetch(&args, &mut out),
    };
    let _ = out.flush();
    match result {
        Ok(jsonl::Outcome::AllOk) => ExitCode::SUCCESS,
        Ok(jsonl::Outcome::SomeFailed(failed)) => {
            eprintln!("error: {failed} input line(s) failed (see the \"error\" lines)");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
