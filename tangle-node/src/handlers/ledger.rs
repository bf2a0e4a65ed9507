//! `getBalances`, `wereAddressesSpentFrom`, `getInclusionStates`: a
//! zero-value tangle with no milestones, so balances are 0, no address is
//! ever spent from, and a transaction is included once it is stored.

use iri_api::{Balances, GetBalances, GetInclusionStates, States, WereAddressesSpentFrom};
use mam_lib::ternary::Hash81;

use crate::api::{ApiError, Reply};
use crate::node::Node;

/// `getBalances`: `"0"` for every address. `references` echoes the tips
/// given, or names the genesis (the "latest milestone").
pub fn get_balances(node: &Node, params: GetBalances) -> Result<Reply, ApiError> {
    let max = node.limits.max_request_list;
    ApiError::check_list_len("addresses", params.addresses.len(), max)?;
    if let Some(threshold) = params.threshold {
        if !(1..=100).contains(&threshold) {
            return Err(ApiError::bad_request(format!(
                "Illegal 'threshold' {threshold}: it must be between 1 and 100"
            )));
        }
    }
    let references = match params.tips {
        Some(tips) if !tips.is_empty() => {
            ApiError::check_list_len("tips", tips.len(), max)?;
            tips
        }
        _ => vec![Hash81::nines()],
    };
    Ok(Reply::Balances(Balances {
        balances: vec![0; params.addresses.len()],
        references,
        milestone_index: Some(0),
        duration: None,
    }))
}

/// `wereAddressesSpentFrom`: `false` for every address (nothing is ever
/// spent on a zero-value tangle).
pub fn were_addresses_spent_from(
    node: &Node,
    params: WereAddressesSpentFrom,
) -> Result<Reply, ApiError> {
    let max = node.limits.max_request_list;
    ApiError::check_list_len("addresses", params.addresses.len(), max)?;
    Ok(Reply::States(States {
        states: vec![false; params.addresses.len()],
        duration: None,
    }))
}

/// `getInclusionStates`: `true` for every stored transaction. Without
/// milestones there is nothing else to be included in; the optional `tips`
/// are checked for form and otherwise ignored.
pub async fn get_inclusion_states(
    node: &Node,
    params: GetInclusionStates,
) -> Result<Reply, ApiError> {
    let max = node.limits.max_request_list;
    ApiError::check_list_len("transactions", params.transactions.len(), max)?;
    if let Some(tips) = &params.tips {
        ApiError::check_list_len("tips", tips.len(), max)?;
    }
    let states = node.store.contains(params.transactions).await?;
    Ok(Reply::States(States {
        states,
        duration: None,
    }))
}
