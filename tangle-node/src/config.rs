//! The node's settings. `main.rs` fills them from the command line and the
//! `TANGLE_NODE_*` environment variables; the defaults live here so that
//! `--help`, the code and the docs agree.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::cors::AllowedOrigins;

/// Default values of the settings.
pub mod defaults {
    /// Where the IRI API listens: IRI's own port, on loopback only.
    pub const LISTEN: &str = "127.0.0.1:14265";
    /// Minimum weight magnitude: 9 is what the legacy devnet and most private
    /// tangles used, and what `@iota/mam.js` examples pass; cheap enough for a
    /// Raspberry Pi (about 3^9 = 19,683 hashes per transaction).
    pub const MWM: u8 = 9;
    /// Request bodies: a full `storeTransactions` of 1,000 transactions is
    /// about 2.7 MB of JSON.
    pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
    /// Transactions per `storeTransactions`, `broadcastTransactions` or
    /// `attachToTangle`.
    pub const MAX_TRYTES: usize = 1_000;
    /// Items per list in other commands (IRI's `maxRequestsList`); the legacy
    /// clients split longer lists into batches of 1,000 themselves.
    pub const MAX_REQUEST_LIST: usize = 1_000;
    /// Hashes one `findTransactions` may return (IRI's `maxFindTransactions`).
    pub const MAX_FIND_RESULTS: usize = 100_000;
    /// `attachToTangle` requests doing proof of work at the same time (each
    /// already uses every core).
    pub const ATTACH_CONCURRENCY: u16 = 1;
    /// `attachToTangle` requests that may wait for their turn; more are
    /// refused with HTTP 503 rather than queued without bound.
    pub const ATTACH_QUEUE: usize = 16;
    /// The highest minimum weight magnitude `attachToTangle` accepts (the
    /// legacy mainnet used 14).
    pub const MAX_POW_MWM: u8 = 14;
    /// The deepest `depth` `getTransactionsToApprove` accepts (IRI's
    /// `maxDepth`).
    pub const MAX_DEPTH: u32 = 15;
    /// Open connections at once; more wait in the listen backlog until one
    /// closes. A browser opens about 6 per origin, the Pi one or two.
    pub const MAX_CONNECTIONS: u32 = 256;
    /// Seconds a connection may sit idle (before its first request, or
    /// between keep-alive requests), take to send its request headers, or
    /// leave its answer unread.
    pub const IDLE_TIMEOUT_SECS: u64 = 10;
    /// Seconds a client has to send its whole request body once its headers
    /// are in: 4 MB at a slow 150 kB/s.
    pub const BODY_TIMEOUT_SECS: u64 = 30;
    /// Seconds from the headers to the answer. Measured on a 2-core VM,
    /// `attachToTangle` took 2.7 s for 1,000 transactions at weight 9 and
    /// about 0.12 s per transaction at `--max-pow-mwm` 14, so this covers a
    /// full request at 14 there, and at 9 on a machine 40 times slower;
    /// longer work is stopped and answered with HTTP 503.
    pub const REQUEST_TIMEOUT_SECS: u64 = 120;
    /// Proof-of-work transactions one non-loopback client may ask for per
    /// minute when `--remote-pow any` (a MAM message is 2 or 3).
    pub const POW_PER_MINUTE: u32 = 60;
}

/// Who may have the node do proof of work (`attachToTangle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RemotePow {
    /// Clients on this machine only (127.0.0.0/8, ::1): the project's apps
    /// and the Pi reader run beside the node.
    Loopback,
    /// Any client; those not on loopback get a budget of transactions per
    /// minute each (`--pow-per-minute`).
    Any,
    /// Nobody: clients do their proof of work themselves.
    Off,
}

/// How hard SQLite works to make a commit survive a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Synchronous {
    /// `synchronous=FULL`: every commit is on disk before the client hears
    /// "stored". A device treats a stored message as published, so losing
    /// one to a power cut would break its channel; group commit keeps the
    /// cost to one fsync per batch of concurrent requests.
    Full,
    /// `synchronous=NORMAL`: in WAL mode the database stays consistent and
    /// survives a killed process, but the last commits may be lost if the
    /// machine loses power.
    Normal,
}

/// Everything the node needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address of the HTTP API.
    pub listen: SocketAddr,
    /// The SQLite database file.
    pub db_path: PathBuf,
    /// The minimum weight magnitude every stored transaction must meet.
    pub mwm: u8,
    /// SQLite durability.
    pub synchronous: Synchronous,
    /// Bounds on the work one request may cause.
    pub limits: Limits,
    /// Bounds on connections and the time requests take, and CORS.
    pub http: Http,
}

/// How the HTTP server guards itself: connections, deadlines, origins.
#[derive(Debug, Clone)]
pub struct Http {
    /// Most connections open at once.
    pub max_connections: usize,
    /// How long a connection may stay idle, take to send its headers or
    /// leave its answer unread.
    pub idle_timeout: Duration,
    /// How long a client may take to send its body.
    pub body_timeout: Duration,
    /// How long a request may take from its headers to its answer.
    pub request_timeout: Duration,
    /// Origins browsers may call the API from.
    pub allowed_origins: AllowedOrigins,
}

impl Default for Http {
    fn default() -> Http {
        Http {
            max_connections: defaults::MAX_CONNECTIONS as usize,
            idle_timeout: Duration::from_secs(defaults::IDLE_TIMEOUT_SECS),
            body_timeout: Duration::from_secs(defaults::BODY_TIMEOUT_SECS),
            request_timeout: Duration::from_secs(defaults::REQUEST_TIMEOUT_SECS),
            allowed_origins: AllowedOrigins::default(),
        }
    }
}

/// Bounds on the size of requests and the work they may cause.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Most transactions in one request.
    pub max_trytes: usize,
    /// Most items in any other list parameter.
    pub max_request_list: usize,
    /// Most hashes one `findTransactions` returns.
    pub max_find_results: usize,
    /// `attachToTangle` requests doing proof of work at once.
    pub attach_concurrency: usize,
    /// `attachToTangle` requests that may wait for a turn.
    pub attach_queue: usize,
    /// Highest minimum weight magnitude `attachToTangle` accepts.
    pub max_pow_mwm: u8,
    /// Threads one proof-of-work search uses.
    pub pow_threads: usize,
    /// Deepest `depth` for `getTransactionsToApprove`.
    pub max_depth: u32,
    /// Who may have the node do proof of work.
    pub remote_pow: RemotePow,
    /// Proof-of-work transactions per minute for each non-loopback client.
    pub pow_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: defaults::MAX_BODY_BYTES,
            max_trytes: defaults::MAX_TRYTES,
            max_request_list: defaults::MAX_REQUEST_LIST,
            max_find_results: defaults::MAX_FIND_RESULTS,
            attach_concurrency: usize::from(defaults::ATTACH_CONCURRENCY),
            attach_queue: defaults::ATTACH_QUEUE,
            max_pow_mwm: defaults::MAX_POW_MWM,
            pow_threads: available_cores(),
            max_depth: defaults::MAX_DEPTH,
            remote_pow: RemotePow::Loopback,
            pow_per_minute: defaults::POW_PER_MINUTE,
        }
    }
}

/// The number of cores, or 1 when it cannot be told.
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
