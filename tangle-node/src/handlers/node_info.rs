//! `getNodeInfo`, `getTips`, `getTransactionsToApprove`.

use std::time::{SystemTime, UNIX_EPOCH};

use iri_api::{GetTransactionsToApprove, Hashes, NodeInfo, TransactionsToApprove};
use mam_lib::ternary::Hash81;

use crate::api::{ApiError, Reply};
use crate::config::available_cores;
use crate::node::Node;

/// Features as IRI names them: proof of work on the node, and
/// `wereAddressesSpentFrom`.
const FEATURES: &[&str] = &["RemotePOW", "WereAddressesSpentFrom"];

/// `getNodeInfo`.
pub fn get_node_info(node: &Node) -> Result<Reply, ApiError> {
    let time = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| ApiError::Internal(format!("the clock is before 1970: {e}")))?;
    // There are no milestones on this tangle: the milestone fields name the
    // genesis (81 `9`s) at index 0, and the latest and solid milestone are
    // always equal, so clients that compare them see a synchronised node.
    Ok(Reply::NodeInfo(Box::new(NodeInfo {
        app_name: "tangle-node".to_owned(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        jre_available_processors: Some(available_cores() as u64),
        latest_milestone: Some(Hash81::nines()),
        latest_milestone_index: Some(0),
        latest_solid_subtangle_milestone: Some(Hash81::nines()),
        latest_solid_subtangle_milestone_index: Some(0),
        milestone_start_index: Some(0),
        last_snapshotted_milestone_index: Some(0),
        // A private tangle has no neighbours, and nothing is ever missing
        // from a single node.
        neighbors: Some(0),
        packets_queue_size: Some(0),
        time: Some(u64::try_from(time.as_millis()).unwrap_or(u64::MAX)),
        tips: Some(node.store.tips().len() as u64),
        transactions_to_request: Some(0),
        features: FEATURES.iter().map(|&f| f.to_owned()).collect(),
        // There is no coordinator.
        coordinator_address: Some(Hash81::nines()),
        ..NodeInfo::default()
    })))
}

/// `getTips`.
pub fn get_tips(node: &Node) -> Reply {
    Reply::Hashes(Hashes {
        hashes: node.store.tips().all(),
        duration: None,
    })
}

/// `getTransactionsToApprove`: two random tips (the genesis on an empty
/// tangle). With a `reference`, the reference itself is the trunk, so the
/// new transaction approves it directly.
pub async fn get_transactions_to_approve(
    node: &Node,
    params: GetTransactionsToApprove,
) -> Result<Reply, ApiError> {
    let max = node.limits.max_depth;
    if params.depth > u64::from(max) {
        return Err(ApiError::bad_request(format!(
            "Invalid depth input: {} is more than this node's maximum depth of {max}",
            params.depth
        )));
    }
    let (trunk, branch) = match params.reference {
        Some(reference) => {
            let genesis = reference.as_trytes().trim_nines().is_empty();
            if !genesis && node.store.contains(vec![reference.clone()]).await? != [true] {
                return Err(ApiError::bad_request(format!(
                    "reference transaction not found: {reference}"
                )));
            }
            (reference, node.store.tips().pick_one())
        }
        None => node.store.tips().pick_two(),
    };
    Ok(Reply::TransactionsToApprove(TransactionsToApprove {
        trunk_transaction: trunk,
        branch_transaction: branch,
        duration: None,
    }))
}
