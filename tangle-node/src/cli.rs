//! The command line: every flag also reads a `TANGLE_NODE_*` environment
//! variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Parser;
use mam_lib::pow::MAX_MWM;
use tangle_node::config::{
    available_cores, defaults, Config, Http, Limits, RemotePow, Synchronous,
};
use tangle_node::cors::{AllowedOrigins, OriginRule};

/// A private-tangle IOTA node speaking the legacy IRI HTTP API.
///
/// Legacy IOTA clients (`@iota/core`, `iota.lib.js`, `@iota/mam.js`) and the
/// project's browser apps talk to it over HTTP (`POST /`; CORS for the
/// origins of --allow-origin, by default pages served from this machine). It checks every transaction it stores (trytes, fields, proof of
/// work against --mwm, known trunk and branch) and keeps them in SQLite.
/// There are no neighbours and no milestones: stored transactions count as
/// confirmed and balances are always 0.
///
/// Log verbosity comes from RUST_LOG (for example `RUST_LOG=debug`, or
/// `RUST_LOG=tangle_node=debug`); the default is `info`. SIGINT or SIGTERM
/// stops the node after the requests in flight (at most 30 s).
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
pub struct Cli {
    /// Address and port to serve the IRI API on. Port 0 picks a free port;
    /// the address actually used is printed on stdout.
    #[arg(long, env = "TANGLE_NODE_LISTEN", default_value = defaults::LISTEN)]
    listen: SocketAddr,

    /// Directory for the database when --db is not given [default:
    /// $XDG_DATA_HOME/tangle-node, else ~/.local/share/tangle-node].
    #[arg(long, env = "TANGLE_NODE_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// SQLite database file [default: DATA_DIR/tangle.sqlite]. Created if
    /// missing, with its directory.
    #[arg(long, env = "TANGLE_NODE_DB", value_name = "FILE")]
    db: Option<PathBuf>,

    /// Minimum weight magnitude: trailing zero trits every stored
    /// transaction's hash must have (its proof of work). Clients must attach
    /// with at least this. 9 suits a Raspberry Pi and matches the legacy
    /// devnet; tests use 1-5 to run fast; 14 was the legacy mainnet's. At
    /// most 81 (a hash has only 3^81 nonces to try).
    #[arg(long, env = "TANGLE_NODE_MWM", default_value_t = defaults::MWM,
          value_parser = clap::value_parser!(u8).range(0..=MAX_MWM as i64))]
    mwm: u8,

    /// Largest request body in bytes; larger requests are refused (HTTP
    /// 400).
    #[arg(long, env = "TANGLE_NODE_MAX_BODY_BYTES", default_value_t = defaults::MAX_BODY_BYTES)]
    max_body_bytes: usize,

    /// Most transactions in one storeTransactions, broadcastTransactions or
    /// attachToTangle.
    #[arg(long, env = "TANGLE_NODE_MAX_TRYTES", default_value_t = defaults::MAX_TRYTES)]
    max_trytes: usize,

    /// Most items in any other list parameter (addresses, bundles, tags,
    /// approvees, hashes, transactions).
    #[arg(long, env = "TANGLE_NODE_MAX_REQUEST_LIST", default_value_t = defaults::MAX_REQUEST_LIST)]
    max_request_list: usize,

    /// Most hashes one findTransactions returns; a query matching more is
    /// refused and should be narrowed.
    #[arg(long, env = "TANGLE_NODE_MAX_FIND_RESULTS", default_value_t = defaults::MAX_FIND_RESULTS)]
    max_find_results: usize,

    /// attachToTangle requests doing proof of work at the same time (each
    /// uses --pow-threads threads).
    #[arg(long, env = "TANGLE_NODE_ATTACH_CONCURRENCY", default_value_t = defaults::ATTACH_CONCURRENCY,
          value_parser = clap::value_parser!(u16).range(1..))]
    attach_concurrency: u16,

    /// attachToTangle requests that may wait for their turn; more are
    /// refused with HTTP 503.
    #[arg(long, env = "TANGLE_NODE_ATTACH_QUEUE", default_value_t = defaults::ATTACH_QUEUE)]
    attach_queue: usize,

    /// Highest minWeightMagnitude attachToTangle accepts (each step
    /// triples the work).
    #[arg(long, env = "TANGLE_NODE_MAX_POW_MWM", default_value_t = defaults::MAX_POW_MWM,
          value_parser = clap::value_parser!(u8).range(0..=MAX_MWM as i64))]
    max_pow_mwm: u8,

    /// Threads one proof-of-work search uses [default: the number of cores].
    #[arg(long, env = "TANGLE_NODE_POW_THREADS", value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..))]
    pow_threads: Option<u16>,

    /// Deepest `depth` getTransactionsToApprove accepts.
    #[arg(long, env = "TANGLE_NODE_MAX_DEPTH", default_value_t = defaults::MAX_DEPTH)]
    max_depth: u32,

    /// SQLite durability. `full`: a transaction is on disk before the client
    /// is told it is stored, so even a power cut loses nothing acknowledged
    /// (concurrent requests share one fsync). `normal`: faster; survives a
    /// killed process, but a power cut may lose the last acknowledged writes.
    #[arg(
        long,
        env = "TANGLE_NODE_SYNCHRONOUS",
        value_enum,
        default_value = "full"
    )]
    synchronous: Synchronous,

    /// Who may have this node do proof of work (attachToTangle). `loopback`:
    /// clients on this machine only (127.0.0.0/8, ::1), like the project's
    /// apps and a Pi reader beside the node. `any`: every client, each
    /// non-loopback address (IPv6: each /64) limited to --pow-per-minute.
    /// `off`: nobody; clients do their own proof of work.
    /// interruptAttachingToTangle only stops the caller's own.
    #[arg(
        long,
        env = "TANGLE_NODE_REMOTE_POW",
        value_enum,
        default_value = "loopback"
    )]
    remote_pow: RemotePow,

    /// With --remote-pow any: proof-of-work transactions one non-loopback
    /// client may ask for per minute (unused budget adds up to one
    /// minute's). More are refused with HTTP 429.
    #[arg(long, env = "TANGLE_NODE_POW_PER_MINUTE", default_value_t = defaults::POW_PER_MINUTE)]
    pow_per_minute: u32,

    /// Origins whose web pages may call the API (CORS), repeated or
    /// comma-separated: `loopback` (http and https on localhost, 127.0.0.0/8
    /// and [::1], any port), `*` (every origin), or scheme://host[:port].
    /// Pages from other origins get no CORS headers, so browsers keep them
    /// from reading answers.
    #[arg(
        long,
        env = "TANGLE_NODE_ALLOW_ORIGIN",
        value_name = "ORIGIN",
        value_delimiter = ',',
        default_value = "loopback"
    )]
    allow_origin: Vec<OriginRule>,

    /// Most connections open at once; more wait until one closes.
    #[arg(long, env = "TANGLE_NODE_MAX_CONNECTIONS", default_value_t = defaults::MAX_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,

    /// Seconds a connection may stay idle (before a request, or between
    /// keep-alive requests), take to send its request headers, or leave its
    /// answer unread before it is closed.
    #[arg(long, env = "TANGLE_NODE_IDLE_TIMEOUT", value_name = "SECONDS",
          default_value_t = defaults::IDLE_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout: u64,

    /// Seconds a client may take to send its request body; a slower one is
    /// answered with HTTP 408 and disconnected.
    #[arg(long, env = "TANGLE_NODE_BODY_TIMEOUT", value_name = "SECONDS",
          default_value_t = defaults::BODY_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    body_timeout: u64,

    /// Seconds from a request's headers to its answer; a request taking
    /// longer is stopped (its proof of work too) and answered with HTTP 503.
    /// Must leave room for attachToTangle at --max-pow-mwm.
    #[arg(long, env = "TANGLE_NODE_REQUEST_TIMEOUT", value_name = "SECONDS",
          default_value_t = defaults::REQUEST_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    request_timeout: u64,
}

impl Cli {
    /// Resolves paths and checks the settings against each other.
    pub fn into_config(self) -> anyhow::Result<Config> {
        if self.max_pow_mwm < self.mwm {
            bail!(
                "--max-pow-mwm {} is below --mwm {}: attachToTangle could never produce \
                 transactions this node accepts",
                self.max_pow_mwm,
                self.mwm
            );
        }
        let db_path = match self.db {
            Some(db) => db,
            None => {
                let dir = match self.data_dir {
                    Some(dir) => dir,
                    None => default_data_dir()?,
                };
                dir.join("tangle.sqlite")
            }
        };
        if let Some(parent) = db_path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| {
                format!("cannot create the data directory {}", parent.display())
            })?;
        }
        Ok(Config {
            listen: self.listen,
            db_path,
            mwm: self.mwm,
            synchronous: self.synchronous,
            limits: Limits {
                max_body_bytes: self.max_body_bytes,
                max_trytes: self.max_trytes,
                max_request_list: self.max_request_list,
                max_find_results: self.max_find_results,
                attach_concurrency: usize::from(self.attach_concurrency),
                attach_queue: self.attach_queue,
                max_pow_mwm: self.max_pow_mwm,
                pow_threads: self.pow_threads.map_or_else(available_cores, usize::from),
                max_depth: self.max_depth,
                remote_pow: self.remote_pow,
                pow_per_minute: self.pow_per_minute,
            },
            http: Http {
                max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
                idle_timeout: Duration::from_secs(self.idle_timeout),
                body_timeout: Duration::from_secs(self.body_timeout),
                request_timeout: Duration::from_secs(self.request_timeout),
                allowed_origins: AllowedOrigins::new(self.allow_origin),
            },
        })
    }
}

/// `$XDG_DATA_HOME/tangle-node`, else `$HOME/.local/share/tangle-node`.
fn default_data_dir() -> anyhow::Result<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(xdg) = non_empty("XDG_DATA_HOME") {
        return Ok(PathBuf::from(xdg).join("tangle-node"));
    }
    if let Some(home) = non_empty("HOME") {
        return Ok(PathBuf::from(home).join(".local/share/tangle-node"));
    }
    bail!(
        "neither XDG_DATA_HOME nor HOME is set: give the database location with --data-dir or --db"
    )
}
