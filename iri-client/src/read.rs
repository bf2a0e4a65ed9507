//! Reading: the bundles sent to an address, checked and reassembled.

use std::collections::HashSet;

use iri_api::FindTransactions;
use mam_lib::bundle::{group_bundles, Bundle};
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::transaction::Transaction;

use super::calls::decode_or_missing;
use super::cursor::InboxCursor;
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
    /// Whether more new transactions are at the address than the cursor's
    /// budget allowed this poll: poll again soon.
    pub more: bool,
}

impl<T: Transport> Client<T> {
    /// The messages sent to `address` that `cursor` has not returned yet,
    /// oldest first. Only transactions the cursor does not know are
    /// downloaded, at most its budget per poll ([`Inbox::more`] says when
    /// more are waiting); junk is consumed the first time it is read.
    /// Bundles incomplete at the address are looked up once by bundle
    /// hash; their transactions then wait (without being downloaded again)
    /// until something new arrives for their bundle or
    /// [`crate::INCOMPLETE_PATIENCE_MS`] passes. `now_ms` (Unix milliseconds)
    /// dates them.
    pub async fn read_new_messages(
        &self,
        address: &Hash81,
        cursor: &mut InboxCursor,
        now_ms: u64,
    ) -> Result<Inbox, ClientError> {
        let mut seen = HashSet::new();
        let mut fresh: Vec<Hash81> = self
            .find_transactions(&FindTransactions::addresses(vec![address.clone()]))
            .await?
            .into_iter()
            .filter(|hash| !cursor.knows(hash) && seen.insert(hash.clone()))
            .collect();
        let mut more = fresh.len() > cursor.budget();
        fresh.truncate(cursor.budget());
        let budget_left = cursor.budget() - fresh.len();
        let mut in_hand: HashSet<Hash81> = fresh.iter().cloned().collect();
        let fetched = self.fetch_transactions_named(&fresh).await?;
        let mut invalid_transactions = fetched.junk.len();
        let mut transactions = fetched.transactions;
        for hash in fetched.junk.into_iter().chain(fetched.missing) {
            cursor.consume(hash);
        }

        // The rest of a bundle may be at other addresses or arrive later:
        // ask by bundle hash for the new incomplete bundles and the ones
        // already waiting, and download only what is new.
        let mut groups = group_bundles(transactions.iter().map(|(_, t)| t.clone()));
        let mut lookup: HashSet<Hash81> = groups.incomplete.iter().cloned().collect();
        lookup.extend(cursor.waiting_bundles());
        if !lookup.is_empty() {
            let mut lookup: Vec<Hash81> = lookup.into_iter().collect();
            lookup.sort();
            let (found, overfull) = self.find_by_bundles(&lookup).await?;
            // A bundle hash shared by more transactions than the node lists
            // is junk (a real bundle is a few transactions): give up on it
            // now rather than fail every poll.
            for hash in cursor.waiting_in(&overfull) {
                cursor.consume(hash);
            }
            transactions.retain(|(hash, transaction)| {
                let keep = !overfull.contains(&transaction.bundle);
                if !keep {
                    cursor.consume(hash.clone());
                }
                keep
            });
            let mut unseen: Vec<Hash81> = found
                .into_iter()
                .filter(|hash| !cursor.knows(hash) && in_hand.insert(hash.clone()))
                .collect();
            if unseen.len() > budget_left {
                more = true;
                unseen.truncate(budget_left);
            }
            let extra = self.fetch_transactions_named(&unseen).await?;
            invalid_transactions += extra.junk.len();
            for hash in extra.junk.into_iter().chain(extra.missing) {
                cursor.consume(hash);
            }
            // Bundles that grew (by a transaction new at the address or
            // found by bundle hash): their waiting transactions are needed
            // to assemble them (bounded by the cursor's cap on waiting ones).
            let grown: HashSet<Hash81> = transactions
                .iter()
                .chain(&extra.transactions)
                .map(|(_, t)| t.bundle.clone())
                .collect();
            let again: Vec<Hash81> = cursor
                .waiting_in(&grown)
                .into_iter()
                .filter(|hash| in_hand.insert(hash.clone()))
                .collect();
            let old = self.fetch_transactions_named(&again).await?;
            for hash in old.junk.into_iter().chain(old.missing) {
                cursor.consume(hash);
            }
            transactions.extend(extra.transactions);
            transactions.extend(old.transactions);
            // Only what changed the transactions in hand needs grouping
            // again: the common poll (a complete bundle) groups once.
            groups = group_bundles(transactions.iter().map(|(_, t)| t.clone()));
        }

        let incomplete: HashSet<&Hash81> = groups.incomplete.iter().collect();
        for (hash, transaction) in &transactions {
            if incomplete.contains(&transaction.bundle) {
                cursor.wait_or_give_up(hash.clone(), transaction.bundle.clone(), now_ms);
            } else {
                cursor.consume(hash.clone());
            }
        }
        cursor.expire_waiting(now_ms);
        // Every transaction in hand was unread before this poll; keep the
        // bundles that send something to the address.
        let mut bundles: Vec<Bundle> = groups
            .bundles
            .into_iter()
            .filter(|bundle| {
                bundle
                    .transactions()
                    .iter()
                    .zip(bundle.transaction_hashes())
                    .any(|(t, hash)| &t.address == address && in_hand.contains(hash))
            })
            .collect();
        sort_oldest_first(&mut bundles);
        Ok(Inbox {
            messages: bundles
                .iter()
                .filter_map(|bundle| received_message(bundle, address))
                .collect(),
            invalid_bundles: groups.incomplete.len() + groups.invalid.len(),
            invalid_transactions,
            more,
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
            more: false,
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
                .find_by_bundles(&groups.incomplete)
                .await?
                .0
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

    /// `findTransactions` by bundle hash, in chunks of the configured
    /// list size: the hashes found, and the bundles the node would not
    /// list because more transactions share them than it returns at once
    /// (a chunk it refuses is split until the culprits are alone).
    pub(super) async fn find_by_bundles(
        &self,
        bundles: &[Hash81],
    ) -> Result<(Vec<Hash81>, HashSet<Hash81>), ClientError> {
        let mut hashes = Vec::new();
        let mut overfull = HashSet::new();
        let mut pending: Vec<&[Hash81]> = bundles.chunks(self.config.list_chunk.max(1)).collect();
        while let Some(part) = pending.pop() {
            let query = FindTransactions::bundles(part.to_vec());
            match self.find_transactions(&query).await {
                Ok(found) => hashes.extend(found),
                Err(ClientError::TooManyResults { .. }) if part.len() > 1 => {
                    let (first, second) = part.split_at(part.len() / 2);
                    pending.push(first);
                    pending.push(second);
                }
                Err(ClientError::TooManyResults { .. }) => {
                    overfull.extend(part.iter().cloned());
                }
                Err(error) => return Err(error),
            }
        }
        Ok((hashes, overfull))
    }

    /// The transactions with `hashes` the node has, each with the hash it
    /// was asked for; the hashes whose answers were not transactions; and
    /// those the node did not have.
    async fn fetch_transactions_named(&self, hashes: &[Hash81]) -> Result<Fetched, ClientError> {
        let mut fetched = Fetched::default();
        let answers = self.get_trytes_raw(hashes).await?;
        for (hash, entry) in hashes.iter().zip(answers) {
            let Some(entry) = entry else {
                fetched.missing.push(hash.clone());
                continue;
            };
            match decode_or_missing(&entry) {
                Ok(Some(transaction)) => fetched.transactions.push((hash.clone(), transaction)),
                Ok(None) => fetched.missing.push(hash.clone()),
                Err(_) => fetched.junk.push(hash.clone()),
            }
        }
        Ok(fetched)
    }

    /// The transactions with `hashes` the node has, and how many of its
    /// answers were not transactions.
    async fn fetch_transactions(
        &self,
        hashes: &[Hash81],
    ) -> Result<(Vec<Transaction>, usize), ClientError> {
        let fetched = self.fetch_transactions_named(hashes).await?;
        Ok((
            fetched.transactions.into_iter().map(|(_, t)| t).collect(),
            fetched.junk.len(),
        ))
    }
}

/// What a `getTrytes` of some hashes gave.
#[derive(Default)]
struct Fetched {
    transactions: Vec<(Hash81, Transaction)>,
    junk: Vec<Hash81>,
    missing: Vec<Hash81>,
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
        tail: bundle.tail_hash().clone(),
        tag: first.tag.clone(),
        timestamp: first.timestamp,
        attachment_timestamp: first.attachment_timestamp,
        message: bundle.message_to(address),
    })
}
