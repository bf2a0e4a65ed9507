//! Sending with a [`NonceSearch`] of the caller's: the search is awaited
//! once per transaction (it may yield in between), and whatever nonce it
//! gives is checked before anything reaches the node.

use core::cell::RefCell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::fake_node::FakeNode;
use super::flows::{ascii, channel, hash, tag, MWM};
use super::scripted::run;
use crate::{ClientError, CpuNonceSearch, NonceSearch, PowStep};
use mam_lib::mam::Mode;
use mam_lib::ternary::Tag27;
use mam_lib::transaction::hash_weight;

/// Pending on its first poll (waking itself), ready on the second: a search
/// that gives the executor back, as one in Web Workers does.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// The CPU search, after yielding once, recording each step it was asked.
#[derive(Default)]
struct YieldingCpuSearch {
    steps: RefCell<Vec<PowStep>>,
}

impl NonceSearch for YieldingCpuSearch {
    async fn find_nonce(
        &self,
        trits: &[i8],
        min_weight_magnitude: u8,
        step: PowStep,
    ) -> Result<Tag27, ClientError> {
        self.steps.borrow_mut().push(step);
        YieldOnce(false).await;
        CpuNonceSearch { threads: 1 }
            .find_nonce(trits, min_weight_magnitude, step)
            .await
    }
}

/// Returns the all-`9` nonce without searching: almost never enough weight.
struct NoSearch;

impl NonceSearch for NoSearch {
    async fn find_nonce(&self, _: &[i8], _: u8, _: PowStep) -> Result<Tag27, ClientError> {
        Ok(Tag27::nines())
    }
}

/// Fails the way the browser's workers fail when they do not load.
struct BrokenSearch;

impl NonceSearch for BrokenSearch {
    async fn find_nonce(&self, _: &[i8], _: u8, _: PowStep) -> Result<Tag27, ClientError> {
        Err(ClientError::NonceSearch("the worker did not load".into()))
    }
}

fn stored_anything(client: &crate::Client<FakeNode>) -> bool {
    client
        .transport
        .commands
        .borrow()
        .iter()
        .any(|command| command == "storeTransactions")
}

#[test]
fn a_message_sent_with_an_awaited_search_is_read_back_with_the_weight() {
    let client = FakeNode::client();
    let search = YieldingCpuSearch::default();
    let long = "{\"type\":\"DATA\"}".repeat(300);
    let sent = run(client.send_message_with(&hash('A'), &ascii(&long), &tag("DATA"), MWM, &search))
        .expect("sent");
    assert_eq!(sent.len(), 5);
    assert!(sent
        .transactions()
        .iter()
        .all(|t| hash_weight(&t.hash()) >= usize::from(MWM)));
    let numbers: Vec<(usize, usize)> = search
        .steps
        .borrow()
        .iter()
        .map(|s| (s.number, s.of))
        .collect();
    assert_eq!(numbers, [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]);
    assert_eq!(search.steps.borrow()[0].to_string(), "transaction 1 of 5");

    let inbox = run(client.read_messages(&hash('A'))).expect("inbox");
    assert_eq!(inbox.invalid_bundles, 0);
    assert_eq!(inbox.messages.len(), 1);
    assert_eq!(
        inbox.messages[0].message.trim_nines(),
        ascii(&long).as_str()
    );
}

#[test]
fn a_mam_message_attached_with_an_awaited_search_is_fetched() {
    let client = FakeNode::client();
    let mut channel = channel(Mode::Public, None);
    let root = channel.root();
    let message = channel.create(&ascii("reading 42 kWh")).expect("created");
    run(client.mam_attach_with(&message, &tag("MAM"), MWM, &YieldingCpuSearch::default()))
        .expect("attached");
    let all = run(client.mam_fetch_all(&root, Mode::Public, None, None)).expect("fetched");
    assert_eq!(all.messages.len(), 1);
    assert_eq!(all.messages[0].parsed.message, ascii("reading 42 kWh"));
}

#[test]
fn a_nonce_without_the_weight_is_refused_before_the_node_stores_it() {
    let client = FakeNode::client();
    let result = run(client.send_message_with(&hash('A'), &ascii("hi"), &tag(""), 9, &NoSearch));
    assert!(
        matches!(
            result,
            Err(ClientError::InsufficientWeight { index: 0, mwm: 9, weight }) if weight < 9
        ),
        "{result:?}"
    );
    assert!(!stored_anything(&client));
}

#[test]
fn a_failing_search_fails_the_send_and_stores_nothing() {
    let client = FakeNode::client();
    let result =
        run(client.send_message_with(&hash('A'), &ascii("hi"), &tag(""), MWM, &BrokenSearch));
    assert_eq!(
        result,
        Err(ClientError::NonceSearch("the worker did not load".into()))
    );
    assert_eq!(
        result.unwrap_err().to_string(),
        "proof of work: the worker did not load"
    );
    assert!(!stored_anything(&client));
}

#[test]
fn weight_zero_asks_no_search() {
    let client = FakeNode::client();
    let sent = run(client.send_message_with(&hash('A'), &ascii("hi"), &tag(""), 0, &BrokenSearch))
        .expect("no search, so the broken one is never asked");
    assert_eq!(sent.transactions()[0].nonce, Tag27::nines());
    assert!(stored_anything(&client));
}
