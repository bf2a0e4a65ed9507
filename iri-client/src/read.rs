//! Reading: the bundles sent to an address, checked and reassembled.

use std::collections::{HashMap, HashSet};

use iri_api::FindTransactions;
use mam_lib::bundle::{group_bundles, Bundle};
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::transaction::Transaction;

use super::calls::decode_or_missing;
use super::{Client, ClientError, Transport};

/// The valid bundles with transactions to one address, and what was
/// skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BundlesAt {
    /// Valid bundles, oldest first (issuance timestamp, then attachment
    /// timestamp, then bundle hash).
    pub bundles: Vec<Bundle>,
    /// Bundles skipped: incomplete, altered, inconsistent or moving value.
    pub invalid_bundles: usize,
    /// Transactions skipped because their trytes are not a transaction.
    pub invalid_transactions: usize,
}

/// One message received at an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    /// The bundle that carried it. Not unique: legacy bundle hashes cover
    /// no message, so two transfers to one address with one tag in the
    /// same second share one.
    pub bundle: Hash81,
    /// The hash of the bundle's tail transaction: unique per message.
    pub tail: Hash81,
    /// The tag of its first transaction to the address.
    pub tag: Tag27,
    /// The sender's issuance timestamp, Unix seconds.
    pub timestamp: i64,
    /// When it was attached, Unix milliseconds.
    pub attachment_timestamp: i64,
    /// The fragments to the address, in index order (padded with `9` to a
    /// whole number of fragments).
    pub message: Trytes,
}

/// The messages at an address, and what was skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inbox {
    /// Messages, oldest first.
    pub messages: Vec<ReceivedMessage>,
    /// Bundles skipped: incomplete, altered, inconsistent or moving value.
    pub invalid_bundles: usize,
    /// Transactions skipped because their trytes are not a transaction.
    pub invalid_transactions: usize,
}

/// How long transactions of an incomplete bundle are fetched again in the
/// hope that the rest arrives: a real bundle's transactions are stored
/// together, so after this they are taken for junk.
pub const INCOMPLETE_PATIENCE_MS: u64 = 10 * 60 * 1000;

/// What a reader that polls one address has read already, so that each
/// poll fetches only transactions it has not seen: an address that
/// collects thousands of transfers (or a flood of hostile ones) costs one
/// `findTransactions` per poll, not a `getTrytes` of everything.
#[derive(Debug, Clone, Default)]
pub struct InboxCursor {
    /// Transactions of bundles already returned or judged invalid, junk,
    /// and transactions of bundles that stayed incomplete too long.
    consumed: HashSet<Hash81>,
    /// Transactions of incomplete bundles, with when they were first seen
    /// (Unix milliseconds).
    waiting: HashMap<Hash81, u64>,
}

impl InboxCursor {
    /// A cursor that has read nothing.
    pub fn new() -> InboxCursor {
        InboxCursor::default()
    }

    /// Transactions it will not fetch again.
    pub fn consumed(&self) -> usize {
        self.consumed.len()
    }
}

impl<T: Transport> Client<T> {
    /// The messages sent to `address` that `cursor` has not returned yet,
    /// oldest first; only transactions the cursor has not consumed are
    /// fetched. `now_ms` (Unix milliseconds) dates incomplete bundles.
    pub async fn read_new_messages(
        &self,
        address: &Hash81,
        cursor: &mut InboxCursor,
        now_ms: u64,
    ) -> Result<Inbox, ClientError> {
        let hashes: Vec<Hash81> = self
            .find_transactions(&FindTransactions::addresses(vec![address.clone()]))
            .await?
            .into_iter()
            .filter(|hash| !cursor.consumed.contains(hash))
            .collect();
        let new_here: HashSet<Hash81> = hashes.iter().cloned().collect();
        let mut fetched = new_here.clone();
        let (mut transactions, junk) = self.fetch_transactions_named(&hashes).await?;
        cursor.consumed.extend(junk.iter().cloned());
        let mut groups = group_bundles(transactions.iter().map(|(_, t)| t.clone()));
        if !groups.incomplete.is_empty() {
            // The rest of a bundle may be at other addresses; earlier
            // consumed transactions may belong to it too.
            let more: Vec<Hash81> = self
                .find_transactions(&FindTransactions::bundles(groups.incomplete.clone()))
                .await?
                .into_iter()
                .filter(|hash| fetched.insert(hash.clone()))
                .collect();
            let (extra, _) = self.fetch_transactions_named(&more).await?;
            transactions.extend(extra);
            groups = group_bundles(transactions.iter().map(|(_, t)| t.clone()));
        }
        let incomplete: HashSet<&Hash81> = groups.incomplete.iter().collect();
        for (hash, transaction) in &transactions {
            if incomplete.contains(&transaction.bundle) {
                let first_seen = *cursor.waiting.entry(hash.clone()).or_insert(now_ms);
                if now_ms.saturating_sub(first_seen) < INCOMPLETE_PATIENCE_MS {
                    continue;
                }
            }
            cursor.waiting.remove(hash);
            cursor.consumed.insert(hash.clone());
        }
        let mut bundles: Vec<Bundle> = groups
            .bundles
            .into_iter()
            .filter(|bundle| {
                // New here: a transaction to the address not read before.
                bundle
                    .transactions()
                    .iter()
                    .any(|t| &t.address == address && new_here.contains(&t.hash()))
            })
            .collect();
        sort_oldest_first(&mut bundles);
        Ok(Inbox {
            messages: bundles
                .iter()
                .filter_map(|bundle| received_message(bundle, address))
                .collect(),
            invalid_bundles: groups.incomplete.len() + groups.invalid.len(),
            invalid_transactions: junk.len(),
        })
    }

    /// The messages sent to `address`: `findTransactions` and `getTrytes`,
    /// grouped into bundles, validated, ordered by index and reassembled.
    /// Invalid bundles are skipped and counted.
    pub async fn read_messages(&self, address: &Hash81) -> Result<Inbox, ClientError> {
        let found = self.read_bundles(address).await?;
        let messages = found
            .bundles
            .iter()
            .filter_map(|bundle| received_message(bundle, address))
            .collect();
        Ok(Inbox {
            messages,
            invalid_bundles: found.invalid_bundles,
            invalid_transactions: found.invalid_transactions,
        })
    }

    /// The valid bundles with transactions to `address`. Bundles that are
    /// incomplete from the address alone (a transfer to several addresses)
    /// are completed by a `findTransactions` on their bundle hash.
    pub async fn read_bundles(&self, address: &Hash81) -> Result<BundlesAt, ClientError> {
        let hashes = self
            .find_transactions(&FindTransactions::addresses(vec![address.clone()]))
            .await?;
        let mut known: HashSet<Hash81> = hashes.iter().cloned().collect();
        let (mut transactions, mut invalid_transactions) = self.fetch_transactions(&hashes).await?;
        let mut groups = group_bundles(transactions.iter().cloned());
        if !groups.incomplete.is_empty() {
            let more: Vec<Hash81> = self
                .find_transactions(&FindTransactions::bundles(groups.incomplete.clone()))
                .await?
                .into_iter()
                .filter(|hash| known.insert(hash.clone()))
                .collect();
            let (extra, invalid) = self.fetch_transactions(&more).await?;
            invalid_transactions += invalid;
            transactions.extend(extra);
            groups = group_bundles(transactions);
        }
        // A look-alike transaction at the address can pull in someone else's
        // bundle; keep only bundles that send something here.
        let mut bundles: Vec<Bundle> = groups
            .bundles
            .into_iter()
            .filter(|bundle| bundle.transactions().iter().any(|t| &t.address == address))
            .collect();
        sort_oldest_first(&mut bundles);
        Ok(BundlesAt {
            bundles,
            invalid_bundles: groups.incomplete.len() + groups.invalid.len(),
            invalid_transactions,
        })
    }

    /// The transactions with `hashes` the node has, each with the hash it
    /// was asked for, and the hashes whose answers were not transactions.
    async fn fetch_transactions_named(
        &self,
        hashes: &[Hash81],
    ) -> Result<(Vec<(Hash81, Transaction)>, Vec<Hash81>), ClientError> {
        let mut transactions = Vec::with_capacity(hashes.len());
        let mut junk = Vec::new();
        let answers = self.get_trytes_raw(hashes).await?;
        for (hash, entry) in hashes.iter().zip(answers) {
            let Some(entry) = entry else { continue };
            match decode_or_missing(&entry) {
                Ok(Some(transaction)) => transactions.push((hash.clone(), transaction)),
                Ok(None) => {}
                Err(_) => junk.push(hash.clone()),
            }
        }
        Ok((transactions, junk))
    }

    /// The transactions with `hashes` the node has, and how many of its
    /// answers were not transactions.
    async fn fetch_transactions(
        &self,
        hashes: &[Hash81],
    ) -> Result<(Vec<Transaction>, usize), ClientError> {
        let (named, junk) = self.fetch_transactions_named(hashes).await?;
        Ok((named.into_iter().map(|(_, t)| t).collect(), junk.len()))
    }
}

/// Oldest first: issuance timestamp, then attachment timestamp, then
/// bundle hash.
fn sort_oldest_first(bundles: &mut [Bundle]) {
    bundles.sort_by(|a, b| {
        let key = |bundle: &Bundle| {
            let tail = bundle.tail();
            (
                tail.timestamp,
                tail.attachment_timestamp,
                bundle.hash().clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

fn received_message(bundle: &Bundle, address: &Hash81) -> Option<ReceivedMessage> {
    let first = bundle
        .transactions()
        .iter()
        .find(|t| &t.address == address)?;
    Some(ReceivedMessage {
        bundle: bundle.hash().clone(),
        tail: bundle.tail().hash(),
        tag: first.tag.clone(),
        timestamp: first.timestamp,
        attachment_timestamp: first.attachment_timestamp,
        message: bundle.message_to(address),
    })
}
