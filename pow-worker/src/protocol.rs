//! The messages between the page and a worker, as JSON text (a string is
//! the cheapest thing to post, and the two sides share these types).

use serde::{Deserialize, Serialize};

/// One nonce search, posted by the page to one worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The transaction (2673 trytes), every attachment field filled in;
    /// its nonce is the search's to choose.
    pub transaction: String,
    /// Trailing zero trits the hash must have (1..=81).
    pub min_weight_magnitude: u8,
    /// Which worker of the pool this is: picks its part of the nonces.
    pub worker: u32,
}

/// What a worker posts to the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Reply {
    /// The worker has loaded and listens for jobs (posted once, first).
    Ready,
    /// A nonce (27 trytes) that gives the job's transaction the weight.
    Nonce {
        /// The nonce.
        nonce: String,
        /// The worker that found it.
        worker: u32,
    },
    /// The job could not be run (bad job, or the search failed).
    Failed {
        /// Why, for the page to show.
        error: String,
    },
}

impl Job {
    /// The job as the text posted to the worker.
    pub fn to_message(&self) -> String {
        // A struct of strings and integers always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Reply {
    /// The reply as the text posted to the page.
    pub fn to_message(&self) -> String {
        // An enum of strings and integers always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a worker's message; anything else is a [`Reply::Failed`] that
    /// says so.
    pub fn from_message(text: &str) -> Reply {
        serde_json::from_str(text).unwrap_or_else(|error| Reply::Failed {
            error: format!("the worker sent something unreadable ({error})"),
        })
    }
}
