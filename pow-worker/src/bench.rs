//! The transactions `scripts/bench-pow-browser.sh` times, the same in the
//! browser (browser-app's `pow-bench` page) and natively (this crate's
//! `native_pow` example), so the two figures are of one workload.

use mam_lib::bundle::{AttachChain, Bundle, Transfer};
use mam_lib::ternary::{Hash81, Tag27, Trytes};

/// Trial `trial`'s transaction (8019 trits): a one-transaction message
/// bundle with every attachment field filled in but the nonce. Trials
/// differ in their attachment timestamp, so each is a new search (the
/// search is deterministic: the same transaction would take the same
/// time every trial).
pub fn bench_transaction(trial: u32) -> Vec<i8> {
    // Constants, valid by inspection: nothing here comes from outside.
    let address: Hash81 = "POW9BENCH".repeat(9).parse().expect("81 trytes");
    let message = Trytes::from_ascii("{\"reading\":\"1-0:1.8.1(001234.567*kWh)\"}").expect("ascii");
    let tag = Tag27::padded("POWBENCH".parse().expect("trytes")).expect("short tag");
    let bundle = Bundle::from_transfers(&[Transfer::new(address, message, tag)], 1_732_000_000)
        .expect("a one-transfer bundle");
    let transaction = bundle.attach_order().next().expect("one transaction");
    let tip = Hash81::nines();
    // 2024-11-19, one millisecond a trial: well inside the bounds.
    let timestamp = 1_732_000_000_000 + u64::from(trial);
    AttachChain::new(&tip, &tip)
        .prepare(transaction, timestamp)
        .expect("timestamp in range")
        .trits()
        .to_vec()
}
