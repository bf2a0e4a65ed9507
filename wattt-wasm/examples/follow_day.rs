//! Follows a home's channel natively, as Wattt does in the browser, and
//! times it: the native peer of Wattt's browser benchmark
//! (`scripts/bench-wattt.sh`). Give it the JSON `seed_day` printed:
//!
//! ```sh
//! cargo run --release -p wattt-wasm --example follow_day -- \
//!     http://127.0.0.1:14265 PROVIDER_SEED NONCE
//! ```
//!
//! Prints one JSON object: messages, telegrams, readings and seconds.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), String> {
    native::run()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::time::Instant;

    use iri_client::{Client, InboxCursor};
    use mam_lib::seed::Seed;
    use mam_lib::ternary::Hash81;
    use mam_lib::time::UnixMillis;
    use wattt_wasm::energy::{Reading, ReadingFromRecord};
    use wattt_wasm::provider::homes::Homes;
    use wattt_wasm::provider::identity::ProviderIdentity;
    use wattt_wasm::provider::requests::{IssuedRequest, IssuedRequests};
    use wattt_wasm::tangle::{follow_home, read_inbox};

    pub fn run() -> Result<(), String> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let [node, seed, nonce] = args.as_slice() else {
            return Err("usage: follow_day NODE_URL PROVIDER_SEED NONCE".into());
        };
        let seed: Seed = seed.parse().map_err(|e| format!("seed: {e}"))?;
        let nonce: Hash81 = nonce.parse().map_err(|e| format!("nonce: {e}"))?;
        let me = ProviderIdentity::from_seed(&seed);
        let mut requests = IssuedRequests::default();
        requests.add(IssuedRequest {
            index: None,
            nonce,
            goal: "benchmark".into(),
            created_at: UnixMillis::now(),
            expires_at: None,
        });
        let client = Client::new(node.clone());
        let started = Instant::now();
        let mut homes = Homes::default();
        let mut cursor = InboxCursor::new();
        let inbox = pollster::block_on(read_inbox(
            &client,
            &me,
            &mut cursor,
            &mut requests,
            &mut homes,
        ))
        .map_err(|e| format!("inbox: {e}"))?;
        let Some(policy) = inbox.opened.first().cloned() else {
            return Err("no MAM_DATA for this seed and nonce".into());
        };
        let keys_read = started.elapsed().as_secs_f64();
        let mut telegrams = Vec::new();
        let read = pollster::block_on(follow_home(
            &client,
            &me.keys,
            &mut homes,
            &policy,
            usize::MAX,
            |_, new| telegrams.extend(new),
        ))
        .map_err(|e| format!("follow: {e}"))?;
        let followed = started.elapsed().as_secs_f64();
        let readings = telegrams
            .iter()
            .filter_map(|t| Reading::from_record(t).ok())
            .count();
        let total = started.elapsed().as_secs_f64();
        println!(
            "{}",
            serde_json::json!({
                "messages": read.messages,
                "telegrams": read.telegrams,
                "readings": readings,
                "keysSeconds": keys_read,
                "followSeconds": followed - keys_read,
                "readingsSeconds": total - followed,
                "seconds": total,
            })
        );
        Ok(())
    }
}
