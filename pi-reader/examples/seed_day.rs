//! Seeds a node with a day of a 1 Hz meter, as a paired device with one
//! provider would publish it: the device's restricted channel with DATA
//! messages of simulated DSMR 5 telegrams (`pi_reader::simulate`), and the
//! provider's sealed keys (`MAM_DATA`) at its address, made with the
//! device's own code (`consent_protocol::device::grant`). For Wattt
//! Insights' benchmark (a full day read into a chart) and for trying Wattt
//! by hand; proof of work at a low weight so that it is quick.
//!
//! ```sh
//! cargo run --release -p pi-reader --example seed_day -- \
//!     --node http://127.0.0.1:14265 --mwm 1 --messages 8640 --telegrams 10
//! ```
//!
//! Prints one JSON object: the provider's seed and request nonce (to give
//! Wattt), the policy id, the channel's first root, the counts and the time
//! taken. Progress goes to stderr.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use consent_protocol::device::grant;
use consent_protocol::device::AuthorizedProvider;
use consent_protocol::seal::ProviderKeyPair;
use consent_protocol::{encode, DeviceMessage, TelegramRecord};
use iri_client::{Client, PowMode};
use mam_lib::address::{generate_address, Security};
use mam_lib::mam::{Channel, Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27};
use mam_lib::time::UnixMillis;
use pi_reader::simulate::MeterSimulator;

/// Seed a node with a day of a 1 Hz meter and one provider's keys.
#[derive(Debug, Parser)]
struct Args {
    /// The node's IRI API.
    #[arg(long, default_value = "http://127.0.0.1:14265")]
    node: String,
    /// Minimum weight magnitude of the proof of work (the node's --mwm).
    #[arg(long, default_value_t = 1)]
    mwm: u8,
    /// DATA messages to publish (8,640 of 10 telegrams is a day at 1 Hz).
    #[arg(long, default_value_t = 8_640)]
    messages: u64,
    /// Telegrams per message.
    #[arg(long, default_value_t = 10)]
    telegrams: usize,
    /// The provider's seed (a new one when not given).
    #[arg(long)]
    provider_seed: Option<Seed>,
    /// The provider's request nonce (a new one when not given).
    #[arg(long)]
    nonce: Option<Hash81>,
    /// Threads for the proof of work of each message.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Messages attached at the same time (each message is at an address
    /// of its own, so their order on the node does not matter).
    #[arg(long, default_value_t = 8)]
    parallel: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let client = Client::new(args.node.clone());
    let pow = PowMode::Local {
        threads: args.threads,
    };
    let provider_seed = match args.provider_seed {
        Some(seed) => seed,
        None => Seed::try_random().context("drawing the provider's seed")?,
    };
    let nonce = args.nonce.unwrap_or_else(Hash81::random);
    let policy_id = "SEEDDAY".parse().context("policy id")?;

    // The device's channel, as a paired device holds it.
    let side_key = SideKey::random();
    let mut channel = Channel::new(
        &Seed::try_random().context("drawing the device's seed")?,
        Mode::Restricted,
        Some(side_key.clone()),
        Security::Medium,
    )
    .context("making the device's channel")?;
    let root: Hash81 = channel.root().as_str().parse().context("root")?;

    // The provider's keys, as the device hands them out on AUTHORIZED.
    let keys = ProviderKeyPair::from_seed(&provider_seed);
    let provider = AuthorizedProvider {
        policy_id,
        address: generate_address(&provider_seed, 0, Security::Medium),
        public_key: keys.public_key().clone(),
        url: "http://127.0.0.1:8080/wattt/".into(),
        goal: "a day of readings for the benchmark".into(),
        expires_at: None,
        request_nonce: Some(nonce.clone()),
        authorized_at: UnixMillis::now(),
    };
    let mam_data = grant(&provider, &root, &side_key).context("sealing the keys")?;
    pollster::block_on(client.send_message(
        &mam_data.to,
        &consent_protocol::encode_transfer(&mam_data.message),
        &Tag27::nines(),
        args.mwm,
        pow,
    ))
    .with_context(|| format!("sending MAM_DATA to {}", args.node))?;

    // A day of telegrams, ending now, at one a second.
    let total = args.messages * args.telegrams as u64;
    let start_s = UnixMillis::now().as_seconds() as i64 - total as i64;
    let mut meter = MeterSimulator::new(7, start_s, Duration::from_secs(1));
    let started = Instant::now();
    let (to_attach, attach_queue) = std::sync::mpsc::sync_channel(args.parallel * 2);
    let attach_queue = std::sync::Mutex::new(attach_queue);
    let attached = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|scope| -> Result<()> {
        let mut senders = Vec::new();
        for _ in 0..args.parallel.max(1) {
            senders.push(scope.spawn(|| -> Result<()> {
                let client = Client::new(args.node.clone());
                loop {
                    let next = attach_queue
                        .lock()
                        .map_err(|_| anyhow::anyhow!("a sender thread failed"))?
                        .recv();
                    let Ok((n, created)) = next else {
                        return Ok(());
                    };
                    pollster::block_on(client.mam_attach(&created, &Tag27::nines(), args.mwm, pow))
                        .with_context(|| format!("attaching message {n}"))?;
                    let done = attached.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    if done.is_multiple_of(500) {
                        eprintln!(
                            "seed_day: {done} of {} messages in {:.1} s",
                            args.messages,
                            started.elapsed().as_secs_f64()
                        );
                    }
                }
            }));
        }
        for n in 0..args.messages {
            let telegrams = (0..args.telegrams as u64)
                .map(|k| TelegramRecord {
                    raw: meter.next_telegram().raw().to_owned(),
                    timestamp: UnixMillis::from_millis(
                        ((start_s as u64) + n * args.telegrams as u64 + k) * 1000,
                    ),
                })
                .collect();
            let created = channel
                .create(&encode(&DeviceMessage::Data { telegrams }))
                .context("creating a DATA message")?;
            if to_attach.send((n, created)).is_err() {
                break;
            }
        }
        drop(to_attach);
        for sender in senders {
            sender
                .join()
                .map_err(|_| anyhow::anyhow!("a sender thread panicked"))??;
        }
        Ok(())
    })?;
    let report = serde_json::json!({
        "providerSeed": provider_seed.to_string(),
        "providerAddress": provider.address.to_string(),
        "nonce": nonce.to_string(),
        "policyId": provider.policy_id.to_string(),
        "root": root.to_string(),
        "messages": args.messages,
        "telegrams": total,
        "seconds": started.elapsed().as_secs_f64(),
    });
    println!("{report}");
    Ok(())
}
