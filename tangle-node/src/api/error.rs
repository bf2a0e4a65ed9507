//! The error a request fails with, and its HTTP status.

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed or asks for something invalid (HTTP 400):
    /// the message says what and how to fix it.
    #[error("{0}")]
    BadRequest(String),
    /// The node is too busy to take the request now (HTTP 503); retry later.
    #[error("{0}")]
    Busy(String),
    /// The client asked for more work than it may have now (HTTP 429);
    /// the message says when to retry.
    #[error("{0}")]
    TooManyRequests(String),
    /// The client took too long to send its request (HTTP 408); the
    /// connection is closed.
    #[error("{0}")]
    TimedOut(String),
    /// The node failed on its own side (HTTP 500), for example its database.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status code the error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::BadRequest(_) => 400,
            ApiError::Busy(_) => 503,
            ApiError::TooManyRequests(_) => 429,
            ApiError::TimedOut(_) => 408,
            ApiError::Internal(_) => 500,
        }
    }

    /// A [`ApiError::BadRequest`] with the given message.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest(message.into())
    }

    /// Fails with a clear message when `list` has more than `max` items.
    pub fn check_list_len(name: &str, len: usize, max: usize) -> Result<(), ApiError> {
        if len > max {
            return Err(ApiError::BadRequest(format!(
                "{name} has {len} items, more than this node's limit of {max} per request; \
                 split it into several requests"
            )));
        }
        Ok(())
    }
}
