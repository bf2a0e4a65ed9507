//! How requests reach the node: the one thing that differs between the
//! native build (a blocking HTTP client) and the browser (`fetch`).

use core::future::Future;
use core::time::Duration;

use super::TransportError;

/// An HTTP answer, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

/// Sends IRI requests and waits between retries.
///
/// Both belong to the environment: natively a request blocks the calling
/// thread and so does a pause; in the browser both are promises.
pub trait Transport {
    /// POSTs `body` (JSON) to `url` with [`IRI_HEADERS`](crate::IRI_HEADERS), giving up after
    /// `timeout`. Any HTTP status is an `Ok`; only a missing answer is an
    /// error.
    fn post(
        &self,
        url: &str,
        body: &str,
        timeout: Duration,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;

    /// Waits `duration` before a retry.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;
}
