//! `attachToTangle` and `interruptAttachingToTangle`: remote proof of work,
//! bounded in difficulty, in how many run at once and in how many wait.

use std::net::IpAddr;

use super::blocking;
use iri_api::{Acknowledged, AttachToTangle, TrytesResponse};

use crate::api::{ApiError, Reply};
use crate::node::Node;
use crate::pow::{self, AttachError, Attachment};

/// `attachToTangle`: see [`crate::pow`] for what is done to the
/// transactions. The minimum weight magnitude must lie between the node's own
/// (anything lighter would be refused when stored) and `--max-pow-mwm`, and
/// trunk and branch must be stored transactions or the genesis. Whether
/// `client` gets proof of work at all, and how much, is
/// [`crate::pow_budget`]'s decision, taken after the request is checked
/// so that a malformed one costs no budget.
pub async fn attach_to_tangle(
    node: &Node,
    params: AttachToTangle,
    client: IpAddr,
) -> Result<Reply, ApiError> {
    // Refused before anything else, so a client that may not attach learns
    // that first.
    node.pow_budget.admit(client, 0)?;
    ApiError::check_list_len("trytes", params.trytes.len(), node.limits.max_trytes)?;
    let (floor, ceiling) = (node.mwm, node.limits.max_pow_mwm);
    let mwm = match u8::try_from(params.min_weight_magnitude) {
        Ok(mwm) if (floor..=ceiling).contains(&mwm) => mwm,
        _ => {
            return Err(ApiError::bad_request(format!(
                "minWeightMagnitude {} is outside what this node accepts: at least {floor} (its \
                 minimum weight magnitude) and at most {ceiling} (--max-pow-mwm)",
                params.min_weight_magnitude
            )))
        }
    };
    let parents = [&params.trunk_transaction, &params.branch_transaction];
    let stored = node
        .store
        .contains(parents.iter().map(|h| (*h).clone()).collect())
        .await?;
    for ((name, parent), known) in ["trunkTransaction", "branchTransaction"]
        .iter()
        .zip(parents)
        .zip(stored)
    {
        if !known && !parent.as_trytes().trim_nines().is_empty() {
            return Err(ApiError::bad_request(format!(
                "{name} {parent} is not a transaction this node has; \
                 take trunk and branch from getTransactionsToApprove"
            )));
        }
    }
    node.pow_budget.admit(client, params.trytes.len())?;
    // Registered before waiting, so an interruption also ends waiting
    // requests; dropped (deadline, client gone) it stops the search.
    let job = node.attach.register(client);
    let stop = job.stop_flag();
    let _turn = match node.attach.enter().await {
        Ok(turn) => turn,
        Err(full) => {
            // Refused before any work: the client keeps its budget.
            node.pow_budget.refund(client, params.trytes.len());
            return Err(full.into());
        }
    };
    let attachment = Attachment {
        trunk: params.trunk_transaction,
        branch: params.branch_transaction,
        mwm,
        threads: node.limits.pow_threads,
    };
    let trytes = params.trytes;
    let count = trytes.len();
    let started = std::time::Instant::now();
    let attached = blocking(move || pow::attach(&trytes, &attachment, &stop))
        .await?
        .map_err(|error| match error {
            AttachError::Malformed { .. } => ApiError::BadRequest(error.to_string()),
            AttachError::Interrupted => ApiError::Busy(error.to_string()),
            AttachError::Pow(_) | AttachError::Chain(_) | AttachError::Encoding(_) => {
                ApiError::Internal(error.to_string())
            }
        })?;
    tracing::debug!(count, mwm, elapsed = ?started.elapsed(), "proof of work done");
    Ok(Reply::Trytes(TrytesResponse {
        trytes: attached.iter().map(|t| Some(t.to_string())).collect(),
        duration: None,
    }))
}

/// `interruptAttachingToTangle`: stops the proof of work `client` has
/// running or waiting now (other clients' goes on); those requests fail with
/// HTTP 503.
pub fn interrupt(node: &Node, client: IpAddr) -> Reply {
    let stopped = node.attach.interrupt_client(client);
    tracing::debug!(%client, stopped, "proof of work interrupted");
    Reply::Empty(Acknowledged::default())
}
