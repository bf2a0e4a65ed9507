//! Plain HTTP for native builds, with `ureq`.
//!
//! Requests block the calling thread: the client's futures complete on
//! their first poll, so run them on a thread of their own with a simple
//! executor such as `pollster::block_on`, not inside an async runtime's
//! worker threads.

use core::time::Duration;
use std::io::ErrorKind;

use super::transport::{HttpResponse, Transport};
use super::TransportError;
use super::IRI_HEADERS;

/// The largest answer read (a `getTrytes` of 10,000 transactions is 27 MB).
const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// Blocking HTTP/1.1 over plain TCP (no TLS: the node is on the local
/// network or the same machine).
#[derive(Debug, Clone)]
pub struct HttpTransport {
    agent: ureq::Agent,
}

impl HttpTransport {
    /// A transport with its own connection pool.
    pub fn new() -> HttpTransport {
        let config = ureq::Agent::config_builder()
            // IRI answers errors with 4xx/5xx and a JSON body we want to read.
            .http_status_as_error(false)
            .build();
        HttpTransport {
            agent: config.into(),
        }
    }

    fn post_blocking(
        &self,
        url: &str,
        body: &str,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        let mut request = self.agent.post(url);
        for (name, value) in IRI_HEADERS {
            request = request.header(name, value);
        }
        let mut response = request
            .config()
            .timeout_global(Some(timeout))
            .build()
            .send(body)
            .map_err(|error| transport_error(error, timeout))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
            .map_err(|error| transport_error(error, timeout))?;
        Ok(HttpResponse { status, body })
    }
}

impl Default for HttpTransport {
    fn default() -> HttpTransport {
        HttpTransport::new()
    }
}

impl Transport for HttpTransport {
    async fn post(
        &self,
        url: &str,
        body: &str,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        self.post_blocking(url, body, timeout)
    }

    async fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

fn transport_error(error: ureq::Error, timeout: Duration) -> TransportError {
    match error {
        ureq::Error::Timeout(_) => TransportError::Timeout(timeout),
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            TransportError::Connect(error.to_string())
        }
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused | ErrorKind::NotFound | ErrorKind::AddrNotAvailable => {
                TransportError::Connect(io.to_string())
            }
            ErrorKind::TimedOut | ErrorKind::WouldBlock => TransportError::Timeout(timeout),
            _ => TransportError::Interrupted(io.to_string()),
        },
        // A node that restarts mid-answer leaves a truncated response.
        ureq::Error::Protocol(_) => TransportError::Interrupted(error.to_string()),
        other => TransportError::Request(other.to_string()),
    }
}
