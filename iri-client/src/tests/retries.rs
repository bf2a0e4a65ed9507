//! Transient failures are retried with backoff, final ones are not.

use core::time::Duration;

use super::scripted::{answer, client, run};
use crate::{ClientError, TransportError};

const TIPS: &str = r#"{"hashes":[],"duration":0}"#;

#[test]
fn refused_connections_are_retried_with_growing_pauses() {
    let client = client(vec![
        Err(TransportError::Connect("connection refused".into())),
        Err(TransportError::Timeout(Duration::from_secs(30))),
        answer(200, TIPS),
    ]);
    assert_eq!(run(client.get_tips()), Ok(vec![]));
    let transport = &client.transport;
    assert_eq!(transport.requests.borrow().len(), 3);
    assert_eq!(
        *transport.sleeps.borrow(),
        [Duration::from_millis(500), Duration::from_secs(1)]
    );
}

#[test]
fn server_errors_are_retried_until_the_attempts_run_out() {
    let unavailable = || answer(503, r#"{"exception":"node is syncing"}"#);
    let client = client(vec![
        unavailable(),
        unavailable(),
        unavailable(),
        unavailable(),
        answer(200, TIPS),
    ]);
    assert_eq!(
        run(client.get_tips()),
        Err(ClientError::Node {
            command: "getTips",
            status: 503,
            message: "node is syncing".into()
        })
    );
    assert_eq!(
        client.transport.requests.borrow().len(),
        4,
        "default: four attempts"
    );
}

#[test]
fn bad_requests_are_not_retried() {
    let client = client(vec![
        answer(400, r#"{"error":"Invalid depth input","duration":0}"#),
        answer(200, r#"{"trunkTransaction":"x"}"#),
    ]);
    assert_eq!(
        run(client.get_transactions_to_approve(0)),
        Err(ClientError::Node {
            command: "getTransactionsToApprove",
            status: 400,
            message: "Invalid depth input".into()
        })
    );
    assert_eq!(client.transport.requests.borrow().len(), 1);
    assert!(client.transport.sleeps.borrow().is_empty());
}

#[test]
fn a_node_that_stays_away_is_reported_with_the_attempts() {
    let refused = || Err(TransportError::Connect("connection refused".into()));
    let client = client(vec![refused(), refused(), refused(), refused()]);
    let error = run(client.get_node_info()).expect_err("unreachable");
    assert_eq!(
        error,
        ClientError::Transport {
            attempts: 4,
            source: TransportError::Connect("connection refused".into())
        }
    );
    assert!(error.to_string().contains("4 attempt"), "{error}");
}

#[test]
fn malformed_urls_are_not_retried() {
    let client = client(vec![Err(TransportError::Request("bad URL".into()))]);
    assert!(matches!(
        run(client.get_tips()),
        Err(ClientError::Transport { attempts: 1, .. })
    ));
}

#[test]
fn garbage_answers_are_bad_responses_not_retried() {
    let client = client(vec![answer(200, "<html>proxy</html>"), answer(200, TIPS)]);
    assert!(matches!(
        run(client.get_tips()),
        Err(ClientError::BadResponse {
            command: "getTips",
            ..
        })
    ));
    assert_eq!(client.transport.requests.borrow().len(), 1);
}

#[test]
fn errors_without_json_show_the_body() {
    let client = client(vec![answer(404, "Not Found")]);
    assert_eq!(
        run(client.get_tips()),
        Err(ClientError::Node {
            command: "getTips",
            status: 404,
            message: "Not Found".into()
        })
    );
}

#[test]
fn proof_of_work_gets_the_long_timeout() {
    let hash = "A".repeat(81);
    let client = client(vec![answer(200, r#"{"trytes":[]}"#), answer(200, TIPS)]);
    let tip = hash.parse().expect("hash");
    run(client.attach_to_tangle(&tip, &tip, 9, &[])).expect("attached nothing");
    run(client.get_tips()).expect("tips");
    let timeouts: Vec<Duration> = client
        .transport
        .requests
        .borrow()
        .iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(
        timeouts,
        [Duration::from_secs(300), Duration::from_secs(30)]
    );
}
