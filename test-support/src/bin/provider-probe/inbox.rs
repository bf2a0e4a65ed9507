//! Waiting for keys at the provider's address: the first `MAM_DATA` that
//! opens into a [`Connection`] under the provider's rules.

use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use consent_protocol::provider::{Connection, OpenError};
use consent_protocol::{decode, PolicyId, TransferMessage};
use iri_client::Client;
use mam_lib::ternary::Hash81;

use crate::provider::Provider;

/// Time between two looks at the address.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Keys that arrived, and how many `MAM_DATA` were refused on the way.
pub struct ReceivedKeys {
    /// The connection the keys opened.
    pub connection: Connection,
    /// `MAM_DATA` at the address (for `policy`, if given) that did not
    /// open for this provider and `nonce` on the last look.
    pub refused: usize,
}

/// Reads the provider's address until a `MAM_DATA` opens with its key pair
/// and names `nonce` (and, if given, was sent for `policy`), or `timeout`
/// passes.
pub fn wait_for_keys(
    client: &Client,
    provider: &Provider,
    nonce: &Hash81,
    policy: Option<&PolicyId>,
    timeout: Duration,
) -> Result<ReceivedKeys> {
    let deadline = Instant::now() + timeout;
    let issued = [nonce.clone()];
    loop {
        let inbox = pollster::block_on(client.read_messages(&provider.address))
            .with_context(|| format!("reading the provider's address {}", provider.address))?;
        let mut refused = Vec::new();
        for received in &inbox.messages {
            let Ok(message) = decode::<TransferMessage>(&received.message) else {
                continue;
            };
            if let (Some(policy), TransferMessage::MamData { policy_id, .. }) = (policy, &message) {
                if policy_id != policy {
                    continue;
                }
            }
            match Connection::open(&provider.keys, &provider.address, &message, &issued) {
                Ok(connection) => {
                    return Ok(ReceivedKeys {
                        connection,
                        refused: refused.len(),
                    })
                }
                Err(OpenError::NotMamData) => {}
                Err(error) => refused.push(error.to_string()),
            }
        }
        if Instant::now() >= deadline {
            let for_policy = policy.map_or(String::new(), |p| format!(" for policy {p}"));
            let refusals = if refused.is_empty() {
                String::new()
            } else {
                format!("; refused: {}", refused.join("; "))
            };
            bail!(
                "no keys{for_policy} arrived at {} within {} ({} messages there, {} MAM_DATA refused{refusals})",
                provider.address,
                humantime::format_duration(timeout),
                inbox.messages.len(),
                refused.len(),
            );
        }
        thread::sleep(POLL_INTERVAL);
    }
}
