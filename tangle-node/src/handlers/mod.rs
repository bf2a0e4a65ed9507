//! One module per command group. Handlers receive typed, checked requests
//! (see [`crate::api::request`]) and answer typed replies; they hold the
//! per-request limits and turn store errors into API errors.

pub mod attach;
pub mod consistency;
pub mod ledger;
pub mod node_info;
pub mod transactions;

use std::net::IpAddr;

use iri_api::{BroadcastTransactions, Neighbors, StoreTransactions};

use crate::api::{ApiError, Reply, Request};
use crate::attach_gate::GateClosed;
use crate::node::Node;
use crate::pow_budget::PowRefused;
use crate::storage::{InsertError, StorageError};

/// Answers one request from `client`.
pub async fn handle(node: &Node, request: Request, client: IpAddr) -> Result<Reply, ApiError> {
    match request {
        Request::GetNodeInfo => node_info::get_node_info(node),
        Request::GetTips => Ok(node_info::get_tips(node)),
        Request::GetTransactionsToApprove(params) => {
            node_info::get_transactions_to_approve(node, params).await
        }
        Request::AttachToTangle(params) => attach::attach_to_tangle(node, params, client).await,
        Request::InterruptAttachingToTangle => Ok(attach::interrupt(node, client)),
        Request::StoreTransactions(StoreTransactions { trytes })
        | Request::BroadcastTransactions(BroadcastTransactions { trytes }) => {
            transactions::store(node, trytes).await
        }
        Request::FindTransactions(params) => transactions::find(node, params).await,
        Request::GetTrytes(params) => transactions::get_trytes(node, params).await,
        Request::GetBalances(params) => ledger::get_balances(node, params),
        Request::WereAddressesSpentFrom(params) => ledger::were_addresses_spent_from(node, params),
        Request::GetInclusionStates(params) => ledger::get_inclusion_states(node, params).await,
        Request::CheckConsistency(params) => consistency::check_consistency(node, params).await,
        Request::GetNeighbors => Ok(Reply::Neighbors(Neighbors::default())),
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> ApiError {
        match error {
            StorageError::Closed => ApiError::Busy("the node is shutting down".into()),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<InsertError> for ApiError {
    fn from(error: InsertError) -> ApiError {
        match error {
            InsertError::Storage(storage) => storage.into(),
            refused @ InsertError::UnknownParent { .. } => {
                ApiError::BadRequest(refused.to_string())
            }
        }
    }
}

impl From<GateClosed> for ApiError {
    fn from(refused: GateClosed) -> ApiError {
        ApiError::Busy(refused.to_string())
    }
}

impl From<PowRefused> for ApiError {
    fn from(refused: PowRefused) -> ApiError {
        match refused {
            PowRefused::OverBudget { .. } => ApiError::TooManyRequests(refused.to_string()),
            PowRefused::Off
            | PowRefused::NotLoopback { .. }
            | PowRefused::LargerThanBudget { .. } => ApiError::BadRequest(refused.to_string()),
        }
    }
}

/// Runs CPU-bound work (hashing, proof of work) off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("worker task failed: {e}")))
}
