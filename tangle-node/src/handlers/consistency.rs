//! `checkConsistency`: whether tails can be approved together. Every
//! stored transaction is solid here (the node refuses unknown parents), so
//! what is left to check is that each hash is a tail and that its bundle,
//! followed along the trunk, is complete and valid.

use iri_api::{CheckConsistency, Consistency};
use mam_lib::bundle::Bundle;
use mam_lib::ternary::Hash81;
use mam_lib::transaction::Transaction;

use crate::api::{ApiError, Reply};
use crate::node::Node;

/// `checkConsistency`: `state: false` with the reason for the first tail
/// that is not stored or whose bundle is not valid; a hash that is not a
/// tail is a bad request (as IRI answers).
pub async fn check_consistency(node: &Node, params: CheckConsistency) -> Result<Reply, ApiError> {
    ApiError::check_list_len("tails", params.tails.len(), node.limits.max_request_list)?;
    for tail in &params.tails {
        let Some(transaction) = fetch(node, tail).await? else {
            return Ok(inconsistent(format!(
                "tails are not solid (missing a referenced tx): {tail}"
            )));
        };
        if transaction.current_index != 0 {
            return Err(ApiError::bad_request(format!(
                "Invalid transaction, not a tail: {tail}"
            )));
        }
        if !bundle_is_valid(node, transaction).await? {
            return Ok(inconsistent(format!(
                "tails are not consistent (bundle is invalid): {tail}"
            )));
        }
    }
    Ok(Reply::Consistency(Consistency {
        state: true,
        ..Consistency::default()
    }))
}

fn inconsistent(info: String) -> Reply {
    Reply::Consistency(Consistency {
        state: false,
        info: Some(info),
        duration: None,
    })
}

/// The stored transaction `hash`, if any.
async fn fetch(node: &Node, hash: &Hash81) -> Result<Option<Transaction>, ApiError> {
    let found = node.store.trytes(vec![hash.clone()]).await?;
    let Some(Some(trytes)) = found.into_iter().next() else {
        return Ok(None);
    };
    let trytes = trytes
        .parse()
        .map_err(|e| ApiError::Internal(format!("stored transaction {hash}: {e}")))?;
    Transaction::from_trytes(&trytes)
        .map(Some)
        .map_err(|e| ApiError::Internal(format!("stored transaction {hash}: {e}")))
}

/// Follows the trunk from `tail` through the bundle and validates it.
async fn bundle_is_valid(node: &Node, tail: Transaction) -> Result<bool, ApiError> {
    let last = tail.last_index;
    let mut chain = vec![tail];
    while let Some(current) = chain.last() {
        if current.current_index >= last {
            break;
        }
        let Some(next) = fetch(node, &current.trunk_transaction).await? else {
            return Ok(false);
        };
        if next.current_index != current.current_index + 1 || next.bundle != current.bundle {
            return Ok(false);
        }
        chain.push(next);
    }
    Ok(Bundle::from_transactions(chain).is_ok())
}
