//! Sustained publishing: can the device keep up with a DSMR 5 meter?
//!
//! For each configuration (minimum weight magnitude 9 and 14, proof of
//! work on one core and on all cores, and each `--max-delay` in
//! `BENCH_MAX_DELAYS`), the real `pi-reader run` reads a `socat` pty into
//! which a meter writes one unique DSMR 5 telegram per second for
//! `BENCH_SECONDS` (default 60), and publishes to a real `tangle-node`
//! started at that weight. A reader follows the channel as its owner every
//! ~100 ms and notes when each telegram is first fetchable. After the
//! meter stops, the device gets `BENCH_DRAIN_SECONDS` (default 120) to
//! publish what it holds.
//!
//! Measured per configuration: telegrams published per second while the
//! meter runs (from the first publication on), end-to-end delay (written into the pty → fetchable through the
//! channel) p50/p95/max, the backlog when the meter stopped, how long the
//! drain took, the publisher's capacity (telegrams per second of attach
//! time, from the daemon's log) and telegrams lost (written, yet neither on
//! the channel nor still held by the device). Printed as a table and
//! written to `<target>/bench-results/publish.json`.
//!
//! Run: `cargo bench -p pi-reader --bench publish`
//! (`BENCH_SECONDS=10 BENCH_MAX_DELAYS=10s` for a quick look).

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::device::Device;
use common::meter::Meter;
use common::node::Node;
use common::pty::PtyPair;
use common::scratch_dir;
use consent_protocol::{decode, DeviceMessage};
use iri_client::Client;
use mam_lib::mam::{Mode, SideKey};
use mam_lib::ternary::Trytes;
use serde_json::json;

/// A DSMR 5 meter sends a telegram every second.
const METER_INTERVAL: Duration = Duration::from_secs(1);
/// How often the owner looks at the channel.
const READ_INTERVAL: Duration = Duration::from_millis(100);

/// One configuration of the device.
#[derive(Debug, Clone)]
struct Setup {
    mwm: u8,
    /// `None`: the daemon's default, all cores.
    pow_threads: Option<usize>,
    max_delay: String,
}

/// What one run measured.
#[derive(Debug)]
struct Outcome {
    setup: Setup,
    written: usize,
    published: usize,
    lost: usize,
    still_held: usize,
    published_per_s: f64,
    delay_p50_s: f64,
    delay_p95_s: f64,
    delay_max_s: f64,
    backlog_at_end: usize,
    drain_s: f64,
    messages: usize,
    capacity_per_s: f64,
    node_errors: i64,
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let seconds = env_u64("BENCH_SECONDS", 60);
    let drain = Duration::from_secs(env_u64("BENCH_DRAIN_SECONDS", 120));
    let delays = std::env::var("BENCH_MAX_DELAYS").unwrap_or_else(|_| "10s,0s".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut outcomes = Vec::new();
    for max_delay in delays.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        for mwm in [9u8, 14] {
            for pow_threads in [Some(1), None] {
                let setup = Setup {
                    mwm,
                    pow_threads,
                    max_delay: max_delay.to_owned(),
                };
                eprintln!(
                    "publish bench: {} for {seconds} s of meter time ...",
                    describe(&setup, cores)
                );
                let outcome = run(setup, Duration::from_secs(seconds), drain);
                eprintln!("  {}", row(&outcome, cores));
                outcomes.push(outcome);
            }
        }
    }
    println!();
    println!(
        "publishing {seconds} s of DSMR 5 telegrams (1/s) on {cores} core(s); delay = written into the pty -> fetchable through the channel"
    );
    println!("{}", header());
    for outcome in &outcomes {
        println!("{}", row(outcome, cores));
    }
    let path = write_json(&outcomes, seconds, drain, cores);
    println!("\nresults: {}", path.display());
}

fn describe(setup: &Setup, cores: usize) -> String {
    format!(
        "MWM {} PoW {} max-delay {}",
        setup.mwm,
        threads_label(setup.pow_threads, cores),
        setup.max_delay
    )
}

fn threads_label(threads: Option<usize>, cores: usize) -> String {
    match threads {
        Some(n) => format!("{n} thread"),
        None => format!("all ({cores})"),
    }
}

fn header() -> String {
    format!(
        "{:>3} {:>9} {:>9} | {:>7} {:>9} {:>5} {:>4} | {:>7} {:>7} {:>7} | {:>7} {:>7} {:>7} {:>4} {:>10}",
        "MWM",
        "PoW",
        "max-delay",
        "written",
        "published",
        "lost",
        "held",
        "p50 s",
        "p95 s",
        "max s",
        "tg/s",
        "backlog",
        "drain s",
        "msgs",
        "capacity/s"
    )
}

fn row(o: &Outcome, cores: usize) -> String {
    format!(
        "{:>3} {:>9} {:>9} | {:>7} {:>9} {:>5} {:>4} | {:>7.2} {:>7.2} {:>7.2} | {:>7.2} {:>7} {:>7.1} {:>4} {:>10.2}",
        o.setup.mwm,
        threads_label(o.setup.pow_threads, cores),
        o.setup.max_delay,
        o.written,
        o.published,
        o.lost,
        o.still_held,
        o.delay_p50_s,
        o.delay_p95_s,
        o.delay_max_s,
        o.published_per_s,
        o.backlog_at_end,
        o.drain_s,
        o.messages,
        o.capacity_per_s
    )
}

/// Follows the channel from `root` on a thread, noting when each telegram
/// (by its text) is first fetchable.
struct ChannelWatch {
    seen: Arc<Mutex<HashMap<String, Instant>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ChannelWatch {
    fn start(url: &str, root: Trytes, side_key: SideKey) -> ChannelWatch {
        let seen = Arc::new(Mutex::new(HashMap::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let client = Client::new(url.to_owned());
        let (seen_by_thread, stop_thread) = (Arc::clone(&seen), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let mut next_root = root;
            while !stop_thread.load(Ordering::Relaxed) {
                let fetched = pollster::block_on(client.mam_fetch_all(
                    &next_root,
                    Mode::Restricted,
                    Some(&side_key),
                    None,
                ));
                // A failed read is tried again next round.
                if let Ok(fetched) = fetched {
                    let now = Instant::now();
                    let mut seen = seen_by_thread.lock().expect("seen");
                    for message in &fetched.messages {
                        if let Ok(DeviceMessage::Data { telegrams }) =
                            decode(&message.parsed.message)
                        {
                            for telegram in telegrams {
                                seen.entry(telegram.raw).or_insert(now);
                            }
                        }
                    }
                    next_root = fetched.next_root;
                }
                std::thread::sleep(READ_INTERVAL);
            }
        });
        ChannelWatch {
            seen,
            stop,
            thread: Some(thread),
        }
    }

    fn seen(&self) -> HashMap<String, Instant> {
        self.seen.lock().expect("seen").clone()
    }
}

impl Drop for ChannelWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(setup: Setup, meter_time: Duration, drain: Duration) -> Outcome {
    let threads = setup
        .pow_threads
        .map_or_else(|| "all".to_owned(), |n| n.to_string());
    let dir = scratch_dir(&format!(
        "bench-mwm{}-pow{threads}-delay{}",
        setup.mwm, setup.max_delay
    ));
    let node = Node::start(&dir, setup.mwm);
    let pty = PtyPair::start(&dir);
    let mwm = setup.mwm.to_string();
    let mut flags = vec!["--mwm", &mwm, "--max-delay", &setup.max_delay];
    let pow_threads = setup.pow_threads.map(|n| n.to_string());
    if let Some(n) = &pow_threads {
        flags.extend(["--pow-threads", n.as_str()]);
    }
    let mut device = Device::start(&dir, &node.url, &pty.port, &flags);
    device.wait_port_open(1, Duration::from_secs(30));
    let (root, side_key) = device.owner_keys();
    let watch = ChannelWatch::start(&node.url, root, side_key);

    let mut meter = Meter::start(&pty.meter, METER_INTERVAL, 1);
    // The run is meter time: it lasts as long as it lasts.
    std::thread::sleep(meter_time);
    meter.stop();
    let stopped = Instant::now();
    let written = meter.written();
    let backlog_at_end = written.len().saturating_sub(watch.seen().len());

    let deadline = stopped + drain;
    let mut drained_at = None;
    while Instant::now() < deadline {
        let seen = watch.seen();
        if written.iter().all(|w| seen.contains_key(&w.raw)) {
            drained_at = Some(Instant::now());
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let seen = watch.seen();
    drop(watch);

    let mut delays: Vec<f64> = written
        .iter()
        .filter_map(|w| {
            seen.get(&w.raw)
                .map(|at| at.duration_since(w.at).as_secs_f64())
        })
        .collect();
    delays.sort_by(f64::total_cmp);
    let published = delays.len();
    let still_held = held_by_device(&device);
    let lost = written.len().saturating_sub(published + still_held);
    // The sustained rate: telegrams that became fetchable from the first
    // publication until the meter stopped, per second of that time.
    let first_seen = seen.values().min().copied().unwrap_or(stopped);
    let in_run = seen.values().filter(|at| **at <= stopped).count();
    let span = stopped.saturating_duration_since(first_seen).as_secs_f64();
    let (messages, telegrams_attached, attach_s) = attach_times(&device.log());
    let node_errors = device.stored_counter(pi_reader::store::Counter::NodeErrors);
    device.kill();
    Outcome {
        setup,
        written: written.len(),
        published,
        lost,
        still_held,
        published_per_s: if span > 0.0 {
            in_run as f64 / span
        } else {
            f64::NAN
        },
        delay_p50_s: percentile(&delays, 0.50),
        delay_p95_s: percentile(&delays, 0.95),
        delay_max_s: delays.last().copied().unwrap_or(f64::NAN),
        backlog_at_end,
        drain_s: drained_at
            .unwrap_or(deadline)
            .duration_since(stopped)
            .as_secs_f64(),
        messages,
        capacity_per_s: if attach_s > 0.0 {
            telegrams_attached as f64 / attach_s
        } else {
            f64::NAN
        },
        node_errors,
    }
}

/// Telegrams the device still holds: in its outbox or in messages not yet
/// attached.
fn held_by_device(device: &Device) -> usize {
    let store = device.open_store();
    let db = store.db();
    let outbox = db.outbox_summary().expect("outbox").0;
    let in_messages: i64 = db
        .unattached_messages(10_000)
        .expect("unattached messages")
        .iter()
        .map(|m| m.telegrams)
        .sum();
    usize::try_from(outbox + in_messages).unwrap_or(0)
}

/// From the daemon's "message on the Tangle" lines: messages attached,
/// telegrams in them, and seconds spent attaching them.
fn attach_times(log: &str) -> (usize, i64, f64) {
    let mut messages = 0;
    let mut telegrams = 0;
    let mut millis = 0;
    for line in log.lines().filter(|l| l.contains("message on the Tangle")) {
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|token| token.strip_prefix(name))
                .and_then(|value| value.parse::<i64>().ok())
        };
        if let (Some(count), Some(took)) = (field("telegrams="), field("took_ms=")) {
            messages += 1;
            telegrams += count;
            millis += took;
        }
    }
    (messages, telegrams, millis as f64 / 1000.0)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// `<target>/bench-results/publish.json`, `<target>` being the directory
/// above this executable's profile directory.
fn write_json(outcomes: &[Outcome], seconds: u64, drain: Duration, cores: usize) -> PathBuf {
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| PathBuf::from("target"));
    let dir = target.join("bench-results");
    std::fs::create_dir_all(&dir).expect("bench-results directory");
    let number = |x: f64| if x.is_finite() { json!(x) } else { json!(null) };
    let runs: Vec<_> = outcomes
        .iter()
        .map(|o| {
            json!({
                "mwm": o.setup.mwm,
                "pow_threads": o.setup.pow_threads.unwrap_or(cores),
                "pow_threads_flag": o.setup.pow_threads.map_or("default (all cores)".to_owned(), |n| n.to_string()),
                "max_delay": o.setup.max_delay,
                "telegrams_written": o.written,
                "telegrams_published": o.published,
                "telegrams_lost": o.lost,
                "telegrams_still_held": o.still_held,
                "published_per_s": number(o.published_per_s),
                "delay_p50_s": number(o.delay_p50_s),
                "delay_p95_s": number(o.delay_p95_s),
                "delay_max_s": number(o.delay_max_s),
                "backlog_when_meter_stopped": o.backlog_at_end,
                "drain_s": number(o.drain_s),
                "messages": o.messages,
                "publisher_capacity_telegrams_per_s": number(o.capacity_per_s),
                "node_errors": o.node_errors,
            })
        })
        .collect();
    let report = json!({
        "bench": "publish",
        "meter_interval_s": METER_INTERVAL.as_secs_f64(),
        "meter_seconds": seconds,
        "drain_limit_s": drain.as_secs(),
        "cores": cores,
        "runs": runs,
    });
    let path = dir.join("publish.json");
    std::fs::write(&path, serde_json::to_string_pretty(&report).expect("json"))
        .expect("write results");
    path
}
