//! `fetch` for the browser, with `gloo-net`.
//!
//! Timeouts abort the request through an `AbortController`; pauses between
//! retries are `setTimeout` promises, so nothing blocks the page.

use core::future::Future;
use core::pin::pin;
use core::task::Poll;
use core::time::Duration;

use gloo_timers::future::TimeoutFuture;

use super::transport::{HttpResponse, Transport};
use super::TransportError;
use super::IRI_HEADERS;

/// HTTP through the browser's `fetch`. The node must allow the page's origin
/// (CORS).
#[derive(Debug, Clone, Default)]
pub struct FetchTransport;

impl FetchTransport {
    /// The browser's `fetch`.
    pub fn new() -> FetchTransport {
        FetchTransport
    }
}

impl Transport for FetchTransport {
    async fn post(
        &self,
        url: &str,
        body: &str,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        let controller = web_sys::AbortController::new()
            .map_err(|error| TransportError::Request(format!("{error:?}")))?;
        let exchange = async {
            let mut request = gloo_net::http::Request::post(url);
            for (name, value) in IRI_HEADERS {
                request = request.header(name, value);
            }
            let response = request
                .abort_signal(Some(&controller.signal()))
                .body(body)
                .map_err(|error| TransportError::Request(error.to_string()))?
                .send()
                .await
                // `fetch` rejects only when there is no answer at all
                // (network down, refused, CORS): worth another try.
                .map_err(|error| TransportError::Connect(error.to_string()))?;
            let status = response.status();
            let body = response
                .text()
                .await
                .map_err(|error| TransportError::Interrupted(error.to_string()))?;
            Ok(HttpResponse { status, body })
        };
        let millis = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
        match first_of(exchange, TimeoutFuture::new(millis)).await {
            Some(result) => result,
            None => {
                controller.abort();
                Err(TransportError::Timeout(timeout))
            }
        }
    }

    async fn sleep(&self, duration: Duration) {
        let millis = u32::try_from(duration.as_millis()).unwrap_or(u32::MAX);
        TimeoutFuture::new(millis).await;
    }
}

/// Runs `work` until it finishes (`Some`) or `deadline` passes (`None`).
async fn first_of<T>(
    work: impl Future<Output = T>,
    deadline: impl Future<Output = ()>,
) -> Option<T> {
    let mut work = pin!(work);
    let mut deadline = pin!(deadline);
    core::future::poll_fn(|cx| {
        if let Poll::Ready(value) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(value));
        }
        deadline.as_mut().poll(cx).map(|()| None)
    })
    .await
}
