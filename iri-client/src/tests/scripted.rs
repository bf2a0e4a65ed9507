//! A transport that plays back canned answers and records what it was
//! asked, for checking requests and the retry policy.

use core::cell::RefCell;
use core::time::Duration;
use std::collections::VecDeque;

use crate::{Client, ClientConfig, HttpResponse, Transport, TransportError};

/// Plays back `answers` in order, one per request.
#[derive(Default)]
pub(super) struct Scripted {
    answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    pub(super) requests: RefCell<Vec<(String, Duration)>>,
    pub(super) sleeps: RefCell<Vec<Duration>>,
}

impl Scripted {
    pub(super) fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Scripted {
        Scripted {
            answers: RefCell::new(answers.into()),
            ..Scripted::default()
        }
    }

    /// The JSON bodies sent, parsed.
    pub(super) fn bodies(&self) -> Vec<serde_json::Value> {
        self.requests
            .borrow()
            .iter()
            .map(|(body, _)| serde_json::from_str(body).expect("requests are JSON"))
            .collect()
    }
}

impl Transport for Scripted {
    async fn post(
        &self,
        _url: &str,
        body: &str,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        self.requests.borrow_mut().push((body.to_owned(), timeout));
        self.answers
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Err(TransportError::Request("script ran out".into())))
    }

    async fn sleep(&self, duration: Duration) {
        self.sleeps.borrow_mut().push(duration);
    }
}

/// An HTTP answer.
pub(super) fn answer(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        body: body.to_owned(),
    })
}

/// A client over a script with the default configuration.
pub(super) fn client(answers: Vec<Result<HttpResponse, TransportError>>) -> Client<Scripted> {
    Client::with_transport(
        "http://node.test:14265",
        Scripted::new(answers),
        ClientConfig::default(),
    )
}

/// Runs a client future to completion.
pub(super) fn run<F: core::future::Future>(future: F) -> F::Output {
    pollster::block_on(future)
}
