//! The native side of `scripts/bench-pow-browser.sh`: times
//! `mam_lib::pow::search_nonce` on the benchmark's transactions
//! (`pow_worker::bench`) and prints one JSON line per trial.
//!
//! Usage: native_pow THREADS TRIALS MWM...

use std::num::NonZeroUsize;
use std::time::Instant;

use anyhow::{bail, Context};
use mam_lib::pow::{hash_weight, kernel_name, search_nonce, PowOptions, NONCE_OFFSET};
use mam_lib::transaction::hash_transaction_trits;
use pow_worker::bench::bench_transaction;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        bail!("usage: native_pow THREADS TRIALS MWM...");
    }
    let threads: usize = args[0].parse().context("THREADS")?;
    let trials: u32 = args[1].parse().context("TRIALS")?;
    let mwms = args[2..]
        .iter()
        .map(|mwm| mwm.parse::<u8>().context("MWM"))
        .collect::<anyhow::Result<Vec<u8>>>()?;
    let options = PowOptions {
        threads: NonZeroUsize::new(threads),
        ..PowOptions::default()
    };
    for &mwm in &mwms {
        for trial in 0..trials {
            let mut trits = bench_transaction(trial);
            let started = Instant::now();
            let nonce = search_nonce(&trits, mwm, &options)
                .with_context(|| format!("MWM {mwm}, trial {trial}"))?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            trits[NONCE_OFFSET..].copy_from_slice(&nonce);
            let weight = hash_weight(&hash_transaction_trits(&trits));
            println!(
                "{{\"side\":\"native\",\"kernel\":\"{}\",\"threads\":{threads},\"mwm\":{mwm},\"trial\":{trial},\"ms\":{ms:.3},\"weight\":{weight}}}",
                kernel_name(),
            );
        }
    }
    Ok(())
}
