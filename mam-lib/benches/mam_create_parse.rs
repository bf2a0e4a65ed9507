//! Throughput of MAM create + parse: restricted mode, security 2, a ~1 KB
//! JSON message, consecutive messages on one channel, on one core.
//!
//! Prints messages per second, and when Node.js and the interop packages are
//! there (`interop/node_modules`), measures `@iota/mam` 0.7.3 and
//! `@iota/mam.js` in the same run and prints the ratios.
//!
//! `cargo bench -p mam-lib --bench mam_create_parse` (env `BENCH_SECONDS`
//! sets the time per measurement, default 10).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mam_lib::address::Security;
use mam_lib::mam::{parse, Channel, Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::Trytes;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The message the JS peers use too (written by interop/bench-peers.mjs);
/// a built-in telegram-like JSON of the same size otherwise.
fn bench_message() -> String {
    let shared = workspace_root().join("interop/bench-message.json");
    std::fs::read_to_string(shared)
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|_| {
            let raw = "/ISK5\\\\2M550T-1012\\r\\n\\r\\n1-3:0.2.8(50)\\r\\n0-0:1.0.0(190101125431W)\\r\\n1-0:1.8.1(000123.456*kWh)\\r\\n1-0:1.8.2(000234.567*kWh)\\r\\n1-0:2.8.1(000012.345*kWh)\\r\\n1-0:2.8.2(000023.456*kWh)\\r\\n0-0:96.14.0(0002)\\r\\n1-0:1.7.0(01.193*kW)\\r\\n1-0:2.7.0(00.000*kW)\\r\\n0-0:96.7.21(00004)\\r\\n0-0:96.7.9(00002)\\r\\n1-0:32.32.0(00002)\\r\\n1-0:32.36.0(00000)\\r\\n1-0:32.7.0(230.0*V)\\r\\n1-0:31.7.0(005*A)\\r\\n1-0:21.7.0(01.193*kW)\\r\\n1-0:22.7.0(00.000*kW)\\r\\n0-1:24.1.0(003)\\r\\n0-1:96.1.0(4730303339303031363532303530323136)\\r\\n0-1:24.2.1(190101125003W)(00123.456*m3)\\r\\n!";
            let mut text = format!("{{\"type\":\"DATA\",\"telegrams\":[{{\"raw\":\"{raw}\",\"timestamp\":1546347271000}}]}}");
            while text.len() < 1000 {
                text.push(' ');
            }
            text
        })
}

struct Measurement {
    messages: u64,
    elapsed: Duration,
}

impl Measurement {
    fn per_second(&self) -> f64 {
        self.messages as f64 / self.elapsed.as_secs_f64()
    }
}

fn measure_rust(message: &Trytes, budget: Duration) -> Measurement {
    let seed = Seed::random();
    let side_key = SideKey::random();
    let mut channel = Channel::new(
        &seed,
        Mode::Restricted,
        Some(side_key.clone()),
        Security::Medium,
    )
    .expect("a restricted channel with a side key");
    // Warm up: the first message builds two trees.
    let created = channel.create(message).expect("create");
    parse(&created.payload, &created.root, Some(&side_key)).expect("parse");

    let start = Instant::now();
    let mut messages = 0;
    while start.elapsed() < budget {
        let created = channel.create(message).expect("create");
        let parsed = parse(&created.payload, &created.root, Some(&side_key)).expect("parse");
        assert_eq!(&parsed.message, message);
        messages += 1;
    }
    Measurement {
        messages,
        elapsed: start.elapsed(),
    }
}

/// Runs the JS peers; `(library, messages per second)` for each.
fn measure_peers(seconds: u64) -> Vec<(String, f64)> {
    let interop = workspace_root().join("interop");
    if !interop.join("node_modules").exists() {
        eprintln!("peers skipped: interop/node_modules missing (run scripts/install-deps.sh)");
        return Vec::new();
    }
    let output = Command::new("node")
        .arg("bench-peers.mjs")
        .current_dir(&interop)
        .env("BENCH_SECONDS", seconds.to_string())
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            eprintln!("peers failed: {}", String::from_utf8_lossy(&output.stderr));
            return Vec::new();
        }
        Err(error) => {
            eprintln!("peers skipped: cannot run node: {error}");
            return Vec::new();
        }
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|value| {
            Some((
                value.get("library")?.as_str()?.to_owned(),
                value.get("messagesPerSecond")?.as_f64()?,
            ))
        })
        .collect()
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let text = bench_message();
    let message = Trytes::from_bytes(text.as_bytes());
    println!(
        "MAM create+parse, restricted, security 2, {}-byte JSON message ({} trytes), one core",
        text.len(),
        message.len()
    );
    let rust = measure_rust(&message, Duration::from_secs(seconds));
    println!(
        "mam-lib (native)        {:>10.1} messages/s  ({} messages in {:.1} s, {:.2} ms each)",
        rust.per_second(),
        rust.messages,
        rust.elapsed.as_secs_f64(),
        1000.0 / rust.per_second()
    );
    for (library, per_second) in measure_peers(seconds) {
        println!(
            "{library:<23} {per_second:>10.2} messages/s  -> mam-lib is {:.0}x faster",
            rust.per_second() / per_second
        );
    }
}
