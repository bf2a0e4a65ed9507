//! The page `scripts/bench-pow-browser.sh` opens in headless Chromium: it
//! times the proof of work of one transaction through the real worker
//! pool ([`browser_app::pow::WorkerPool`]) on the benchmark's transactions
//! (`pow_worker::bench`), checks each nonce's weight, and writes the
//! figures as JSON into `#result` (with `data-done` set).
//!
//! Query: `?mwm=9,14&trials=5`; for the tests of a pool that cannot
//! start, also `script=` (the worker script to load instead of
//! [`browser_app::pow::WORKER_SCRIPT`]) and `load_timeout_ms=`. With
//! `node=URL&node_mwm=9` it then also sends a message through the apps'
//! [`browser_app::pow::Attacher`] to that node, once with each
//! [`browser_app::pow::PowChoice`], and reads it back (`"sent"` in the
//! report).

#[cfg(target_arch = "wasm32")]
fn main() {
    wasm_bindgen_futures::spawn_local(async {
        let text = match web::run().await {
            Ok(report) => report,
            Err(error) => serde_json::json!({ "error": error }).to_string(),
        };
        web::show(&text);
    });
}

#[cfg(target_arch = "wasm32")]
mod web {
    use core::time::Duration;
    use std::rc::Rc;

    use core::cell::RefCell;

    use browser_app::pow::{Attacher, PowChoice, PowStep, WorkerPool};
    use iri_client::{Client, NonceSearch};
    use mam_lib::pow::{hash_weight, NONCE_OFFSET};
    use mam_lib::seed::Seed;
    use mam_lib::ternary::{Hash81, Tag27, Trytes};
    use mam_lib::transaction::hash_transaction_trits;
    use pow_worker::bench::bench_transaction;
    use serde_json::json;

    /// What the query asks for.
    struct Query {
        mwms: Vec<u8>,
        trials: u32,
        /// A pool of its own with this script and load timeout.
        script: Option<(String, Duration)>,
        /// A node to send a message to, and its minimum weight magnitude.
        node: Option<(String, u8)>,
    }

    fn query() -> Result<Query, String> {
        let search = web_sys::window()
            .ok_or("no window")?
            .location()
            .search()
            .map_err(|_| "no query")?;
        // Decodes the values (the driver's URLSearchParams encodes commas).
        let params = web_sys::UrlSearchParams::new_with_str(&search).map_err(|_| "bad query")?;
        let mwms = match params.get("mwm") {
            Some(list) => list
                .split(',')
                .map(|mwm| mwm.parse().map_err(|_| format!("bad MWM {mwm:?}")))
                .collect::<Result<_, _>>()?,
            None => vec![9, 14],
        };
        let trials = match params.get("trials") {
            Some(count) => count.parse().map_err(|_| format!("bad trials {count:?}"))?,
            None => 5,
        };
        let load_timeout = match params.get("load_timeout_ms") {
            Some(ms) => {
                Duration::from_millis(ms.parse().map_err(|_| format!("bad timeout {ms:?}"))?)
            }
            None => Duration::from_secs(20),
        };
        let node_mwm = match params.get("node_mwm") {
            Some(mwm) => mwm.parse().map_err(|_| format!("bad node MWM {mwm:?}"))?,
            None => 9,
        };
        Ok(Query {
            mwms,
            trials,
            script: params.get("script").map(|script| (script, load_timeout)),
            node: params.get("node").map(|url| (url, node_mwm)),
        })
    }

    fn now_ms() -> f64 {
        web_sys::window()
            .and_then(|window| window.performance())
            .map_or_else(js_sys::Date::now, |performance| performance.now())
    }

    /// Runs every trial: the report as JSON text.
    pub(super) async fn run() -> Result<String, String> {
        let Query {
            mwms,
            trials,
            script,
            node,
        } = query()?;
        let pool = match script {
            Some((script, timeout)) => {
                let size = WorkerPool::shared().size();
                Rc::new(WorkerPool::new(size, script, timeout))
            }
            None => WorkerPool::shared(),
        };
        let started = now_ms();
        pool.start().await.map_err(|error| error.to_string())?;
        let load_ms = now_ms() - started;
        let mut results = Vec::new();
        for &mwm in &mwms {
            for trial in 0..trials {
                let mut trits = bench_transaction(trial);
                // Untimed: the losers of the last trial are replaced by
                // workers that load meanwhile; the search alone is timed.
                pool.start().await.map_err(|error| error.to_string())?;
                let started = now_ms();
                let nonce = pool
                    .find_nonce(&trits, mwm, PowStep { number: 1, of: 1 })
                    .await
                    .map_err(|error| format!("MWM {mwm}, trial {trial}: {error}"))?;
                let ms = now_ms() - started;
                trits[NONCE_OFFSET..].copy_from_slice(&nonce.to_trits());
                let weight = hash_weight(&hash_transaction_trits(&trits));
                results.push(json!({
                    "side": "browser", "workers": pool.size(), "mwm": mwm,
                    "trial": trial, "ms": ms, "weight": weight,
                }));
            }
        }
        let mut sent = Vec::new();
        if let Some((url, mwm)) = node {
            for choice in [PowChoice::Local, PowChoice::Node] {
                sent.push(send_and_read_back(&url, mwm, choice).await?);
            }
        }
        Ok(json!({
            "workers": pool.size(), "load_ms": load_ms, "trials": results, "sent": sent,
        })
        .to_string())
    }

    /// Sends a two-transaction message to a fresh address on the node at
    /// `url` with `choice`, as the apps do, and reads it back.
    async fn send_and_read_back(
        url: &str,
        mwm: u8,
        choice: PowChoice,
    ) -> Result<serde_json::Value, String> {
        let client = Client::new(url);
        let to: Hash81 = Seed::random()
            .as_trytes()
            .as_str()
            .parse()
            .map_err(|error| format!("address: {error}"))?;
        let text = format!("{{\"type\":\"DATA\",\"pad\":\"{}\"}}", "x".repeat(1500));
        let message = Trytes::from_ascii(&text).map_err(|error| error.to_string())?;
        let tag = Tag27::padded("POWBENCH".parse().map_err(|_| "tag")?).map_err(|_| "tag")?;
        let steps = Rc::new(RefCell::new(Vec::new()));
        let seen = steps.clone();
        let attacher = Attacher::new(choice, mwm)
            .with_progress(move |step| seen.borrow_mut().push(step.to_string()));
        let started = now_ms();
        let bundle = attacher
            .send_message(&client, &to, &message, &tag)
            .await
            .map_err(|error| format!("sending with {choice:?}: {error}"))?;
        let ms = now_ms() - started;
        let inbox = client
            .read_messages(&to)
            .await
            .map_err(|error| format!("reading back: {error}"))?;
        let read_back = inbox
            .messages
            .iter()
            .any(|received| received.message.trim_nines() == message.as_str());
        let weights: Vec<usize> = bundle
            .transactions()
            .iter()
            .map(|transaction| mam_lib::transaction::hash_weight(&transaction.hash()))
            .collect();
        let steps = steps.borrow().clone();
        Ok(json!({
            "choice": choice, "mwm": mwm, "ms": ms, "transactions": bundle.len(),
            "weights": weights, "read_back": read_back, "steps": steps,
        }))
    }

    /// Puts `text` into `#result` and marks it done.
    pub(super) fn show(text: &str) {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        if let Some(result) = document.get_element_by_id("result") {
            result.set_text_content(Some(text));
            let _ = result.set_attribute("data-done", "");
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("pow-bench runs in a browser: scripts/bench-pow-browser.sh builds and opens it.");
    std::process::exit(2);
}
