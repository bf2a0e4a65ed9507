//! Ingest and lookup benchmark of the real `tangle-node` binary.
//!
//! 1. Generates `BENCH_TRANSACTIONS` (default 1,000,000) valid transactions
//!    with proof of work at minimum weight magnitude 1 (one nonce in three
//!    passes, so the cost is hashing, not searching), cached in
//!    `target/bench-data/` for later runs. They form `BENCH_CONNECTIONS`
//!    independent chains of batches: every transaction of a batch approves
//!    two of the previous batch of its chain, so each connection can post
//!    its chain in order while the others post theirs.
//! 2. Starts the node (`--mwm 1`, a fresh data directory) and posts every
//!    batch with `storeTransactions` over `BENCH_CONNECTIONS` keep-alive
//!    connections: the ingest rate with full validation (trytes, fields,
//!    Curl-P-81 hash, weight, known trunk and branch) and durable commits.
//! 3. With everything stored, times `BENCH_QUERIES` (default 10,000)
//!    `findTransactions` by one random address (about ten hits each): p50,
//!    p90, p99 and max.
//! 4. Stops the node with SIGTERM and times a restart (tips are rebuilt
//!    from the database).
//!
//! Run: `cargo bench -p tangle-node --bench ingest`. `BENCH_TRANSACTIONS=100000`
//! for a quick run; `BENCH_SYNCHRONOUS=normal` to compare durability levels;
//! `BENCH_KEEP_DB=1` keeps the database in `target/bench-data/` for a look.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::transaction::{Transaction, TransactionTrytes};
use tangle_node::pow::{attach, Attachment};
use test_support::TangleNode;

const MWM: u8 = 1;
/// Distinct addresses: about ten transactions each at a million.
const ADDRESS_SHARE: usize = 10;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; a test run (`cargo test --benches`)
    // passes nothing and must not run for minutes.
    if !std::env::args().any(|a| a == "--bench") {
        println!("ingest benchmark: run it with `cargo bench -p tangle-node --bench ingest`");
        return;
    }
    let total = setting("BENCH_TRANSACTIONS", 1_000_000);
    let batch = setting("BENCH_BATCH", 250);
    let connections = setting("BENCH_CONNECTIONS", 4);
    let queries = setting("BENCH_QUERIES", 10_000);
    let synchronous = std::env::var("BENCH_SYNCHRONOUS").unwrap_or_else(|_| "full".into());
    let batches = total.div_ceil(batch);
    let total = batches * batch;

    let data = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("..")
        .join("bench-data");
    std::fs::create_dir_all(&data).expect("bench data dir");
    let (transactions, addresses) = match cached(&data, total, batch, connections) {
        Some(found) => found,
        None => {
            let addresses = (total / ADDRESS_SHARE).max(1);
            let cache = data.join(cache_name(total, batch, connections));
            let made = generate(&cache, batches, batch, connections, addresses);
            (made, addresses)
        }
    };

    let dir = data.join(format!("node-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("node dir");
    let mut node = start_node(&dir, &synchronous);
    let port = node.port;

    // Ingest: connection c posts batches c, c + C, c + 2C, ... in order.
    println!(
        "ingest: {total} transactions in batches of {batch} over {connections} connections \
         (--synchronous {synchronous})"
    );
    let done = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let cpu_before = cpu_seconds(node.pid());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for c in 0..connections {
            let (transactions, done, failed) = (&transactions, &done, &failed);
            scope.spawn(move || {
                let mut client = Client::connect(port);
                for k in (c..batches).step_by(connections) {
                    let list = &transactions[k * batch..((k + 1) * batch).min(transactions.len())];
                    let body = store_body(list);
                    let (status, answer) = client.post(&body);
                    if status != 200 {
                        failed.store(true, Ordering::Relaxed);
                        panic!("storeTransactions failed ({status}): {answer:.300}");
                    }
                    let before = done.fetch_add(list.len(), Ordering::Relaxed);
                    let after = before + list.len();
                    if before / 100_000 != after / 100_000 {
                        let rate = after as f64 / started.elapsed().as_secs_f64();
                        println!("  {after:>9} stored, {rate:>7.0} tx/s so far");
                    }
                }
            });
        }
    });
    assert!(!failed.load(Ordering::Relaxed));
    let elapsed = started.elapsed();
    let rate = total as f64 / elapsed.as_secs_f64();
    println!(
        "ingest: {total} transactions in {:.1} s = {rate:.0} tx/s",
        elapsed.as_secs_f64()
    );
    if let (Some(before), Some(after)) = (cpu_before, cpu_seconds(node.pid())) {
        let cpu = after - before;
        println!(
            "ingest: the node used {cpu:.1} CPU-seconds ({:.2} cores on average): {:.0} \
             transactions per CPU-second; {} cores here, load average {}",
            cpu / elapsed.as_secs_f64(),
            total as f64 / cpu,
            tangle_node::config::available_cores(),
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .trim()
        );
    }

    // Lookups by address.
    let mut client = Client::connect(port);
    let mut latencies = Vec::with_capacity(queries);
    let mut hits = 0usize;
    for _ in 0..queries {
        let address = address_of(fastrand::usize(..addresses));
        let body = format!(r#"{{"command":"findTransactions","addresses":["{address}"]}}"#);
        let asked = Instant::now();
        let (status, answer) = client.post(body.as_bytes());
        latencies.push(asked.elapsed());
        assert_eq!(status, 200, "{answer:.300}");
        hits += answer.matches(',').count() + 1;
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "findTransactions by address ({queries} queries, {:.1} hits each): p50 {:?}, p90 {:?}, \
         p99 {:?}, max {:?}",
        hits as f64 / queries as f64,
        at(0.50),
        at(0.90),
        at(0.99),
        latencies[latencies.len() - 1]
    );

    // Restart: tips rebuilt from a database of `total` transactions.
    node.terminate();
    let db_bytes: u64 = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "database: {:.0} MB ({:.0} bytes per transaction)",
        db_bytes as f64 / 1e6,
        db_bytes as f64 / total as f64
    );
    let restart = Instant::now();
    node.resume();
    println!(
        "restart with {total} transactions stored: serving after {:?}",
        restart.elapsed()
    );
    node.terminate();
    if std::env::var_os("BENCH_KEEP_DB").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn address_of(n: usize) -> String {
    // A deterministic, distinct 81-tryte address per number.
    let mut text = format!("BENCH{n:09}")
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from(b'A' + (c as u8 - b'0')),
            other => other,
        })
        .collect::<String>();
    text.push_str(&"X".repeat(81 - text.len()));
    text
}

fn store_body(list: &[String]) -> Vec<u8> {
    let mut body = Vec::with_capacity(list.len() * 2680 + 64);
    body.extend_from_slice(br#"{"command":"storeTransactions","trytes":["#);
    for (i, trytes) in list.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.push(b'"');
        body.extend_from_slice(trytes.as_bytes());
        body.push(b'"');
    }
    body.extend_from_slice(b"]}");
    body
}

fn cache_name(total: usize, batch: usize, connections: usize) -> String {
    format!("transactions-{total}-b{batch}-c{connections}-mwm{MWM}.trytes")
}

/// The first `total` transactions of a cache file made with the same batch
/// size and chains (a prefix of whole batches is as valid as the whole),
/// and the number of addresses they were spread over.
fn cached(
    data: &Path,
    total: usize,
    batch: usize,
    connections: usize,
) -> Option<(Vec<String>, usize)> {
    let mut sizes: Vec<usize> = std::fs::read_dir(data)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let size: usize = name
                .strip_prefix("transactions-")?
                .split('-')
                .next()?
                .parse()
                .ok()?;
            (size >= total && name == cache_name(size, batch, connections)).then_some(size)
        })
        .collect();
    sizes.sort_unstable();
    for size in sizes {
        let path = data.join(cache_name(size, batch, connections));
        let file = File::open(&path).ok()?;
        let lines: Vec<String> = BufReader::new(file)
            .lines()
            .map_while(Result::ok)
            .take(total)
            .collect();
        if lines.len() == total && lines.iter().all(|l| l.len() == 2673) {
            println!("transactions: {total} from {}", path.display());
            return Some((lines, (size / ADDRESS_SHARE).max(1)));
        }
    }
    None
}

/// Makes the transactions in batch order, and caches them in `cache`.
fn generate(
    cache: &Path,
    batches: usize,
    batch: usize,
    connections: usize,
    addresses: usize,
) -> Vec<String> {
    let total = batches * batch;
    println!(
        "transactions: generating {total} with proof of work at mwm {MWM} (cached for later runs)"
    );
    let started = Instant::now();
    let threads = tangle_node::config::available_cores();
    let mut all: Vec<String> = Vec::with_capacity(total);
    let mut hashes: Vec<Vec<Hash81>> = Vec::with_capacity(batches);
    for k in 0..batches {
        let parents = k.checked_sub(connections).map(|p| hashes[p].clone());
        let made: Vec<(String, Hash81)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    let parents = parents.as_ref();
                    scope.spawn(move || {
                        (t..batch)
                            .step_by(threads)
                            .map(|j| make(k * batch + j, j, parents, addresses))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut by_worker: Vec<_> = workers
                .into_iter()
                .map(|w| w.join().expect("generator").into_iter())
                .collect();
            // Back into index order: worker t made j = t, t + threads, ...
            (0..batch)
                .map(|j| by_worker[j % threads].next().expect("made"))
                .collect()
        });
        hashes.push(made.iter().map(|(_, h)| h.clone()).collect());
        all.extend(made.into_iter().map(|(t, _)| t));
        if (k + 1) % (100_000 / batch).max(1) == 0 {
            println!(
                "  {:>9} generated, {:.0} tx/s",
                all.len(),
                all.len() as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    let mut file = BufWriter::new(File::create(cache).expect("cache file"));
    for line in &all {
        writeln!(file, "{line}").expect("write cache");
    }
    file.flush().expect("flush cache");
    all
}

/// Transaction `n`, number `j` in its batch, approving two of `parents`.
fn make(n: usize, j: usize, parents: Option<&Vec<Hash81>>, addresses: usize) -> (String, Hash81) {
    let nines = TransactionTrytes::nines();
    let mut tx = Transaction::from_trytes(nines.as_trytes()).expect("nines");
    tx.address = address_of(fastrand::usize(..addresses))
        .parse()
        .expect("address");
    // "BENCH" and the number: 14 trytes.
    let label: Trytes = address_of(n)[..14].parse().expect("trytes");
    tx.tag = Tag27::padded(label).expect("tag");
    tx.obsolete_tag = tx.tag.clone();
    tx.bundle = address_of(n).parse().expect("bundle");
    tx.timestamp = 1_700_000_000 + n as i64;
    let (trunk, branch) = match parents {
        Some(p) => (p[j % p.len()].clone(), p[(j + 1) % p.len()].clone()),
        None => (Hash81::nines(), Hash81::nines()),
    };
    let given = TransactionTrytes::from_trytes(tx.to_trytes()).expect("trytes");
    let attachment = Attachment {
        trunk,
        branch,
        mwm: MWM,
        threads: 1,
    };
    let attached = attach(&[given], &attachment, &AtomicBool::new(false)).expect("pow");
    let text = attached[0].to_string();
    let hash = text.parse::<Transaction>().expect("decode").hash();
    (text, hash)
}

/// CPU time (user + system) a process has used, from `/proc` (Linux).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    let ticks = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|t| t.trim().parse::<f64>().ok())
        .unwrap_or(100.0);
    Some((utime + stime) / ticks)
}

fn start_node(dir: &Path, synchronous: &str) -> TangleNode {
    TangleNode::builder(dir)
        .binary(env!("CARGO_BIN_EXE_tangle-node"))
        .mwm(MWM)
        .args(["--synchronous", synchronous])
        .log_file(dir.join("node.log"))
        .start()
}

/// A keep-alive HTTP/1.1 client for `POST /`.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    port: u16,
}

impl Client {
    fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let writer = stream.try_clone().expect("clone");
        Client {
            reader: BufReader::new(stream),
            writer,
            port,
        }
    }

    fn post(&mut self, body: &[u8]) -> (u16, String) {
        let head = format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            self.port,
            body.len()
        );
        self.writer.write_all(head.as_bytes()).expect("send head");
        self.writer.write_all(body).expect("send body");
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line).expect("status");
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status code");
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).expect("header");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().expect("length");
                }
            }
        }
        let mut answer = vec![0u8; length];
        self.reader.read_exact(&mut answer).expect("body");
        (status, String::from_utf8_lossy(&answer).into_owned())
    }
}
