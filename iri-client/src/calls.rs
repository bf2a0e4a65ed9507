//! One method per IRI command, with the answer checked and typed.

use iri_api::{
    AttachToTangle, BroadcastTransactions, FindTransactions, GetBalances, GetInclusionStates,
    GetNodeInfo, GetTips, GetTransactionsToApprove, GetTrytes, NodeInfo, StoreTransactions,
    TransactionsToApprove, WereAddressesSpentFrom,
};
use mam_lib::ternary::{Hash81, Trytes};
use mam_lib::transaction::{Transaction, TransactionTrytes, TRANSACTION_TRYTES};

use super::{Client, ClientError, Transport};

impl<T: Transport> Client<T> {
    /// `getNodeInfo`.
    pub async fn get_node_info(&self) -> Result<NodeInfo, ClientError> {
        self.call(&GetNodeInfo {}).await
    }

    /// `getTips`: the hashes of the current tips.
    pub async fn get_tips(&self) -> Result<Vec<Hash81>, ClientError> {
        Ok(self.call(&GetTips {}).await?.hashes)
    }

    /// `getTransactionsToApprove` with the given depth.
    pub async fn get_transactions_to_approve(
        &self,
        depth: u32,
    ) -> Result<TransactionsToApprove, ClientError> {
        self.call(&GetTransactionsToApprove {
            depth: u64::from(depth),
            reference: None,
        })
        .await
    }

    /// `attachToTangle`: the node chains `trytes` (last index first) onto
    /// `trunk` and `branch` and does the proof of work; the answer is the
    /// attached transactions, index 0 first.
    pub async fn attach_to_tangle(
        &self,
        trunk: &Hash81,
        branch: &Hash81,
        min_weight_magnitude: u8,
        trytes: &[Trytes],
    ) -> Result<Vec<Transaction>, ClientError> {
        const COMMAND: &str = "attachToTangle";
        let answer = self
            .call(&AttachToTangle {
                trunk_transaction: trunk.clone(),
                branch_transaction: branch.clone(),
                min_weight_magnitude: u64::from(min_weight_magnitude),
                trytes: transaction_trytes(COMMAND, trytes)?,
            })
            .await?;
        check_count(COMMAND, trytes.len(), answer.trytes.len())?;
        answer
            .trytes
            .iter()
            .map(|entry| match entry {
                Some(text) => decode_strict(COMMAND, text),
                None => Err(ClientError::BadResponse {
                    command: COMMAND,
                    detail: "null among the attached transactions".into(),
                }),
            })
            .collect()
    }

    /// `storeTransactions`.
    pub async fn store_transactions(&self, trytes: &[Trytes]) -> Result<(), ClientError> {
        self.call(&StoreTransactions {
            trytes: transaction_trytes("storeTransactions", trytes)?,
        })
        .await
        .map(drop)
    }

    /// `broadcastTransactions`.
    pub async fn broadcast_transactions(&self, trytes: &[Trytes]) -> Result<(), ClientError> {
        self.call(&BroadcastTransactions {
            trytes: transaction_trytes("broadcastTransactions", trytes)?,
        })
        .await
        .map(drop)
    }

    /// `findTransactions`: hashes of the transactions matching `query`.
    /// A node that refuses because more transactions match than it returns
    /// at once gives [`ClientError::TooManyResults`].
    pub async fn find_transactions(
        &self,
        query: &FindTransactions,
    ) -> Result<Vec<Hash81>, ClientError> {
        match self.call(query).await {
            Ok(answer) => Ok(answer.hashes),
            Err(ClientError::Node {
                command,
                status,
                message,
            }) if (400..500).contains(&status) && is_result_cap(&message) => {
                Err(ClientError::TooManyResults { command, message })
            }
            Err(error) => Err(error),
        }
    }

    /// `getTrytes`, in chunks of [`crate::ClientConfig::list_chunk`]: the transactions with `hashes`, in the same
    /// order, `None` where the node does not have one. Trytes that are not a
    /// transaction are an error here; [`Client::read_messages`] skips them
    /// instead.
    pub async fn get_trytes(
        &self,
        hashes: &[Hash81],
    ) -> Result<Vec<Option<Transaction>>, ClientError> {
        let mut transactions = Vec::with_capacity(hashes.len());
        for entry in self.get_trytes_raw(hashes).await? {
            transactions.push(match entry {
                Some(text) => {
                    decode_or_missing(&text).map_err(|source| ClientError::InvalidTransaction {
                        command: "getTrytes",
                        source,
                    })?
                }
                None => None,
            });
        }
        Ok(transactions)
    }

    /// `getTrytes` in batches, entries undecoded.
    pub(super) async fn get_trytes_raw(
        &self,
        hashes: &[Hash81],
    ) -> Result<Vec<Option<String>>, ClientError> {
        let mut entries = Vec::with_capacity(hashes.len());
        for batch in hashes.chunks(self.config.list_chunk.max(1)) {
            let answer = self
                .call(&GetTrytes {
                    hashes: batch.to_vec(),
                })
                .await?;
            check_count("getTrytes", batch.len(), answer.trytes.len())?;
            entries.extend(answer.trytes);
        }
        Ok(entries)
    }

    /// `getBalances` (with threshold 100, which older nodes require).
    pub async fn get_balances(&self, addresses: &[Hash81]) -> Result<Vec<u64>, ClientError> {
        let answer = self
            .call(&GetBalances {
                addresses: addresses.to_vec(),
                threshold: Some(100),
                tips: None,
            })
            .await?;
        check_count("getBalances", addresses.len(), answer.balances.len())?;
        Ok(answer.balances)
    }

    /// `wereAddressesSpentFrom`: one answer per address.
    pub async fn were_addresses_spent_from(
        &self,
        addresses: &[Hash81],
    ) -> Result<Vec<bool>, ClientError> {
        let answer = self
            .call(&WereAddressesSpentFrom {
                addresses: addresses.to_vec(),
            })
            .await?;
        check_count(
            "wereAddressesSpentFrom",
            addresses.len(),
            answer.states.len(),
        )?;
        Ok(answer.states)
    }

    /// `getInclusionStates`: whether each transaction is confirmed.
    pub async fn get_inclusion_states(
        &self,
        transactions: &[Hash81],
    ) -> Result<Vec<bool>, ClientError> {
        let answer = self
            .call(&GetInclusionStates {
                transactions: transactions.to_vec(),
                tips: None,
            })
            .await?;
        check_count(
            "getInclusionStates",
            transactions.len(),
            answer.states.len(),
        )?;
        Ok(answer.states)
    }
}

/// `trytes` as the API carries them; trytes that are not 2673 long cannot
/// be a transaction, so they are not sent.
fn transaction_trytes(
    command: &'static str,
    trytes: &[Trytes],
) -> Result<Vec<TransactionTrytes>, ClientError> {
    trytes
        .iter()
        .enumerate()
        .map(|(position, trytes)| {
            TransactionTrytes::from_trytes(trytes.clone()).map_err(|error| {
                ClientError::InvalidRequest {
                    command,
                    detail: format!("trytes[{position}]: {error}"),
                }
            })
        })
        .collect()
}

/// Whether a node's refusal of `findTransactions` says that more
/// transactions match than it returns: tangle-node's "more than N
/// transactions match", IRI's "too many transactions" (its
/// `maxFindTransactions`).
fn is_result_cap(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    (message.contains("more than") && message.contains("match"))
        || message.contains("too many transactions")
}

fn check_count(command: &'static str, expected: usize, actual: usize) -> Result<(), ClientError> {
    if expected == actual {
        Ok(())
    } else {
        Err(ClientError::WrongCount {
            command,
            expected,
            actual,
        })
    }
}

fn decode_strict(command: &'static str, text: &str) -> Result<Transaction, ClientError> {
    text.parse()
        .map_err(|source| ClientError::InvalidTransaction { command, source })
}

/// A transaction, or `None` for the all-`9` trytes IRI returns for a hash it
/// does not have.
pub(super) fn decode_or_missing(
    text: &str,
) -> Result<Option<Transaction>, mam_lib::transaction::TransactionError> {
    if text.len() == TRANSACTION_TRYTES && text.bytes().all(|b| b == b'9') {
        return Ok(None);
    }
    text.parse().map(Some)
}
