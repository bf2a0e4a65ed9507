//! The node client as the browser apps run it: compiled to wasm, talking to
//! a real `tangle-node` through `fetch` (`FetchTransport`), with local proof
//! of work in wasm and the `Date.now()` clock, in headless Chromium.
//!
//! Run by `scripts/test-wasm-client.sh`, which starts the node and the
//! stand-ins for a node that is down, and passes where they listen at
//! compile time (the page cannot read the host's environment):
//!
//! - `IRI_CLIENT_TEST_NODE_URL`: the running `tangle-node`;
//! - `IRI_CLIENT_TEST_MWM`: its minimum weight magnitude;
//! - `IRI_CLIENT_TEST_REFUSING_URL`: a port that refuses connections;
//! - `IRI_CLIENT_TEST_SILENT_URL`: a port that accepts and never answers.
//!
//! Natively this file compiles to nothing; `tests/client_node.rs` is the
//! native counterpart.
#![cfg(target_arch = "wasm32")]

mod common;

use core::time::Duration;

use common::{ascii, random_address, tag, text_of};
use iri_client::{
    Client, ClientConfig, ClientError, FetchTransport, PowMode, RetryPolicy, TransportError,
};
use mam_lib::address::Security;
use mam_lib::mam::{Channel, Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::time::UnixMillis;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Where the script said something listens; a clear failure when the test
/// is run without it.
fn url(name: &str, value: Option<&'static str>) -> &'static str {
    value.unwrap_or_else(|| panic!("{name} is not set: run scripts/test-wasm-client.sh"))
}

fn node_url() -> &'static str {
    url(
        "IRI_CLIENT_TEST_NODE_URL",
        option_env!("IRI_CLIENT_TEST_NODE_URL"),
    )
}

fn mwm() -> u8 {
    option_env!("IRI_CLIENT_TEST_MWM")
        .unwrap_or("9")
        .parse()
        .expect("IRI_CLIENT_TEST_MWM is a number")
}

/// Local proof of work in the browser: one thread, on the page's own.
const LOCAL: PowMode = PowMode::Local { threads: 1 };

#[wasm_bindgen_test]
async fn node_info_arrives_and_the_wasm_clock_agrees_with_the_host() {
    let client = Client::new(node_url());
    let before = UnixMillis::now();
    let info = client.get_node_info().await.expect("getNodeInfo");
    let after = UnixMillis::now();
    assert!(!info.app_name.is_empty());

    // The node runs on this host and stamps its answer with the host's
    // clock; `Date.now()` in the page must read the same clock, give or
    // take the round trip (and not, say, seconds where milliseconds belong).
    let host = info
        .time
        .map(UnixMillis::from)
        .expect("tangle-node reports its time");
    let slack = Duration::from_secs(2);
    assert!(
        before.since(host) <= slack && host.since(after) <= slack,
        "wasm clock {before}..{after}, host clock {host}"
    );
    assert!(after >= before, "Date.now() went backwards");
}

#[wasm_bindgen_test]
async fn messages_sent_with_local_and_remote_pow_are_read_back() {
    let client = Client::new(node_url());
    let address = random_address();
    let short = "{\"type\":\"CLAIM_DEVICE\"}";
    // Longer than one transaction's fragment: a bundle of three.
    let long = format!(
        "{{\"type\":\"DATA\",\"telegrams\":\"{}\"}}",
        "x".repeat(3000)
    );

    let local = client
        .send_message(&address, &ascii(short), &tag("CLAIM"), mwm(), LOCAL)
        .await
        .expect("sent with proof of work in wasm");
    let remote = client
        .send_message(
            &address,
            &ascii(&long),
            &tag("DATA"),
            mwm(),
            PowMode::Remote,
        )
        .await
        .expect("sent with proof of work on the node");
    assert_eq!(local.len(), 1);
    assert_eq!(remote.len(), 3);

    let inbox = client.read_messages(&address).await.expect("read back");
    assert_eq!((inbox.invalid_bundles, inbox.invalid_transactions), (0, 0));
    let mut texts: Vec<String> = inbox.messages.iter().map(|m| text_of(&m.message)).collect();
    texts.sort();
    let mut expected = vec![short.to_owned(), long];
    expected.sort();
    assert_eq!(texts, expected);

    // What the browser sent is what the node stored.
    let tail = local.tail().hash();
    let stored = client
        .get_trytes(std::slice::from_ref(&tail))
        .await
        .expect("getTrytes");
    assert_eq!(stored[0].as_ref().map(|t| t.hash()), Some(tail));
}

#[wasm_bindgen_test]
async fn restricted_channel_attached_in_the_browser_is_fetched_back() {
    let client = Client::new(node_url());
    let side_key = SideKey::random();
    let mut channel = Channel::new(
        &Seed::random(),
        Mode::Restricted,
        Some(side_key.clone()),
        Security::Medium,
    )
    .expect("channel");
    let root = channel.root();
    let mut last = None;
    for (text, pow) in [("first", LOCAL), ("second", PowMode::Remote)] {
        let message = channel.create(&ascii(text)).expect("created");
        client
            .mam_attach(&message, &tag("MAMLIB"), mwm(), pow)
            .await
            .expect("attached");
        last = Some(message);
    }

    let all = client
        .mam_fetch_all(&root, Mode::Restricted, Some(&side_key), None)
        .await
        .expect("followed");
    let texts: Vec<String> = all
        .messages
        .iter()
        .map(|m| text_of(&m.parsed.message))
        .collect();
    assert_eq!(texts, ["first", "second"]);
    assert_eq!(all.skipped, 0);
    assert_eq!(Some(all.next_root), last.map(|m| m.next_root));

    // Without the side key the channel reads as nothing, not as an error.
    let stranger = client
        .mam_fetch(&root, Mode::Restricted, Some(&SideKey::random()))
        .await
        .expect("fetched with a wrong key");
    assert!(stranger.message.is_none());
}

/// Two quick attempts, so that a test of a dead node takes a second or so.
fn impatient(timeout: Duration) -> ClientConfig {
    ClientConfig {
        timeout,
        retry: RetryPolicy {
            max_attempts: 2,
            first_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(100),
        },
        ..ClientConfig::default()
    }
}

#[wasm_bindgen_test]
async fn node_that_refuses_connections_is_a_transport_error_after_the_retries() {
    let url = url(
        "IRI_CLIENT_TEST_REFUSING_URL",
        option_env!("IRI_CLIENT_TEST_REFUSING_URL"),
    );
    let client = Client::with_transport(
        url,
        FetchTransport::new(),
        impatient(Duration::from_secs(10)),
    );
    let started = UnixMillis::now();
    let error = client
        .get_node_info()
        .await
        .expect_err("nothing listens there");
    assert!(
        matches!(
            error,
            ClientError::Transport {
                attempts: 2,
                source: TransportError::Connect(_),
            }
        ),
        "{error:?}"
    );
    assert!(error.is_transient());
    assert_eq!(error.to_string(), "node unreachable (2 attempt(s))");
    // Refused at once, not left to the 10 s timeout.
    assert!(UnixMillis::now().since(started) < Duration::from_secs(5));
}

#[wasm_bindgen_test]
async fn node_that_never_answers_is_a_timeout_not_a_hang() {
    let url = url(
        "IRI_CLIENT_TEST_SILENT_URL",
        option_env!("IRI_CLIENT_TEST_SILENT_URL"),
    );
    let timeout = Duration::from_millis(500);
    let client = Client::with_transport(url, FetchTransport::new(), impatient(timeout));
    let started = UnixMillis::now();
    let error = client
        .get_node_info()
        .await
        .expect_err("the node never answers");
    assert_eq!(
        error,
        ClientError::Transport {
            attempts: 2,
            source: TransportError::Timeout(timeout),
        }
    );
    // Two timeouts and one pause, and not much more.
    let waited = UnixMillis::now().since(started);
    assert!(
        waited >= Duration::from_millis(1000) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}
