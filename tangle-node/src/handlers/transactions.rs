//! `storeTransactions` (and `broadcastTransactions`), `getTrytes`,
//! `findTransactions`.

use iri_api::{Acknowledged, FindTransactions, GetTrytes, Hashes, TrytesResponse};
use mam_lib::transaction::{TransactionTrytes, TRANSACTION_TRYTES};

use super::blocking;
use crate::api::{ApiError, Reply};
use crate::node::Node;
use crate::storage::FindQuery;
use crate::validation::validate_all;

/// `storeTransactions`: checks every transaction (alphabet, length, fields,
/// proof of work), then stores all of them or none. Storing again what is
/// stored is not an error.
pub async fn store(node: &Node, trytes: Vec<TransactionTrytes>) -> Result<Reply, ApiError> {
    ApiError::check_list_len("trytes", trytes.len(), node.limits.max_trytes)?;
    let (mwm, threads) = (node.mwm, node.validation_threads);
    let valid = blocking(move || validate_all(&trytes, mwm, threads))
        .await?
        .map_err(|(position, error)| {
            ApiError::bad_request(format!("trytes[{position}]: {error}"))
        })?;
    let given = valid.len();
    let outcome = node.store.insert(valid).await?;
    tracing::debug!(
        given,
        stored = outcome.approvals.len(),
        duplicates = outcome.duplicates,
        "stored transactions"
    );
    Ok(Reply::Empty(Acknowledged::default()))
}

/// `getTrytes`: the trytes of each hash, in order; 2673 `9`s for a
/// transaction this node does not have (as IRI answers).
pub async fn get_trytes(node: &Node, params: GetTrytes) -> Result<Reply, ApiError> {
    ApiError::check_list_len("hashes", params.hashes.len(), node.limits.max_request_list)?;
    let found = node.store.trytes(params.hashes).await?;
    let trytes = found
        .into_iter()
        .map(|t| Some(t.unwrap_or_else(|| "9".repeat(TRANSACTION_TRYTES))))
        .collect();
    Ok(Reply::Trytes(TrytesResponse {
        trytes,
        duration: None,
    }))
}

/// `findTransactions`: transactions matching every list given (the
/// intersection), in arrival order.
pub async fn find(node: &Node, params: FindTransactions) -> Result<Reply, ApiError> {
    let max = node.limits.max_request_list;
    for (name, len) in [
        ("addresses", params.addresses.as_ref().map(Vec::len)),
        ("bundles", params.bundles.as_ref().map(Vec::len)),
        ("tags", params.tags.as_ref().map(Vec::len)),
        ("approvees", params.approvees.as_ref().map(Vec::len)),
    ] {
        ApiError::check_list_len(name, len.unwrap_or(0), max)?;
    }
    let query = FindQuery {
        addresses: params.addresses,
        bundles: params.bundles,
        tags: params.tags,
        approvees: params.approvees,
    };
    if query == FindQuery::default() {
        return Err(ApiError::bad_request(
            "findTransactions needs at least one of addresses, bundles, tags or approvees",
        ));
    }
    let limit = node.limits.max_find_results;
    let hashes = node.store.find(query, limit).await?;
    if hashes.len() > limit {
        return Err(ApiError::bad_request(format!(
            "more than {limit} transactions match; narrow the query (this node's \
             --max-find-results)"
        )));
    }
    Ok(Reply::Hashes(Hashes {
        hashes,
        duration: None,
    }))
}
