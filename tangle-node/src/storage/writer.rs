//! The one thread that writes. Requests queue up on a channel; the thread
//! takes every request waiting, applies each in its own savepoint (so one
//! bad batch fails alone) and commits them together: with
//! `synchronous=FULL`, one fsync serves every concurrent request.

use std::collections::HashSet;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use tokio::sync::{mpsc, oneshot};

use mam_lib::ternary::Hash81;

use super::{codec, InsertError, InsertOutcome, StorageError};
use crate::tips::{Approval, Tips};
use crate::validation::ValidTransaction;

/// Requests that may wait for the writer before senders are slowed down.
pub(super) const QUEUE: usize = 256;
/// Most requests committed together.
const MAX_GROUP: usize = 64;

/// A batch to store, and where to send the outcome.
pub(super) struct Job {
    pub(super) transactions: Vec<ValidTransaction>,
    pub(super) reply: oneshot::Sender<Result<InsertOutcome, InsertError>>,
}

/// Starts the writer thread; it stops when every sender is dropped, after
/// finishing what is queued, and closes the connection.
pub(super) fn spawn(
    connection: Connection,
    tips: Arc<Tips>,
) -> std::io::Result<(mpsc::Sender<Job>, JoinHandle<()>)> {
    let (sender, receiver) = mpsc::channel(QUEUE);
    let thread = std::thread::Builder::new()
        .name("tangle-writer".into())
        .spawn(move || run(connection, receiver, &tips))?;
    Ok((sender, thread))
}

fn run(mut connection: Connection, mut receiver: mpsc::Receiver<Job>, tips: &Tips) {
    while let Some(first) = receiver.blocking_recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let batches: Vec<&[ValidTransaction]> =
            jobs.iter().map(|job| job.transactions.as_slice()).collect();
        let results = match write_group(&mut connection, &batches) {
            Ok(results) => results,
            Err(error) => {
                tracing::error!(%error, "storing transactions failed");
                batches
                    .iter()
                    .map(|_| Err(InsertError::Storage(error.clone())))
                    .collect()
            }
        };
        for (job, result) in jobs.into_iter().zip(results) {
            if let Ok(outcome) = &result {
                tips.record(&outcome.approvals);
            }
            // The requester may have gone away (client disconnected): fine.
            let _ = job.reply.send(result);
        }
    }
    if let Err(error) = connection.execute_batch("PRAGMA optimize") {
        tracing::warn!(%error, "updating the query planner's statistics failed");
    }
    if let Err((_, error)) = connection.close() {
        tracing::error!(%error, "closing the database failed");
    }
}

/// Applies every batch in one SQLite transaction, each in a savepoint.
fn write_group(
    connection: &mut Connection,
    batches: &[&[ValidTransaction]],
) -> Result<Vec<Result<InsertOutcome, InsertError>>, StorageError> {
    let mut transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(batches.len());
    for batch in batches {
        let savepoint = transaction.savepoint()?;
        match insert_batch(&savepoint, batch) {
            Ok(outcome) => {
                savepoint.commit()?;
                results.push(Ok(outcome));
            }
            Err(InsertError::Storage(error)) => return Err(error),
            // Dropping the savepoint rolls the batch back.
            Err(refused) => results.push(Err(refused)),
        }
    }
    transaction.commit()?;
    Ok(results)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Stores the new transactions of one batch, or refuses the whole batch if
/// one approves a transaction that is neither stored, nor in the batch, nor
/// the genesis.
fn insert_batch(
    connection: &Connection,
    batch: &[ValidTransaction],
) -> Result<InsertOutcome, InsertError> {
    let in_batch: HashSet<&Hash81> = batch.iter().map(|v| &v.hash).collect();
    let mut exists = connection.prepare_cached("SELECT 1 FROM transactions WHERE hash = ?1")?;
    let mut is_stored = |hash: &Hash81| -> Result<bool, StorageError> {
        let packed = codec::pack_trytes(hash);
        Ok(exists.query_row([packed], |_| Ok(())).optional()?.is_some())
    };
    let mut insert = connection.prepare_cached(
        "INSERT INTO transactions
             (hash, address, bundle, tag, obsolete_tag, trunk, branch, arrived_ms, trytes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let arrived = now_ms();
    let mut seen = HashSet::new();
    let mut outcome = InsertOutcome::default();
    for (position, valid) in batch.iter().enumerate() {
        let hash = &valid.hash;
        if !seen.insert(hash) || is_stored(hash)? {
            outcome.duplicates += 1;
            continue;
        }
        let tx = &valid.transaction;
        for (field, parent) in [
            ("trunkTransaction", &tx.trunk_transaction),
            ("branchTransaction", &tx.branch_transaction),
        ] {
            let known = parent.as_trytes().trim_nines().is_empty()
                || in_batch.contains(parent)
                || is_stored(parent)?;
            if !known {
                return Err(InsertError::UnknownParent {
                    position,
                    hash: valid.hash.clone(),
                    field,
                    parent: parent.clone(),
                });
            }
        }
        insert.execute(params![
            codec::pack_trytes(hash),
            codec::pack_trytes(&tx.address),
            codec::pack_trytes(&tx.bundle),
            codec::pack_trytes(&tx.tag),
            codec::pack_trytes(&tx.obsolete_tag),
            codec::pack_trytes(&tx.trunk_transaction),
            codec::pack_trytes(&tx.branch_transaction),
            arrived,
            valid.packed,
        ])?;
        outcome.approvals.push(Approval {
            hash: valid.hash.clone(),
            trunk: tx.trunk_transaction.clone(),
            branch: tx.branch_transaction.clone(),
        });
    }
    record_tips(connection, &outcome.approvals)?;
    Ok(outcome)
}

/// Updates the `tips` table as [`Tips::record`] updates the set in memory:
/// every new transaction is a tip until approved, so add them all before
/// removing what they approve.
fn record_tips(connection: &Connection, approvals: &[Approval]) -> Result<(), StorageError> {
    let mut add = connection.prepare_cached("INSERT OR IGNORE INTO tips (hash) VALUES (?1)")?;
    for approval in approvals {
        add.execute([codec::pack_trytes(&approval.hash)])?;
    }
    let mut remove = connection.prepare_cached("DELETE FROM tips WHERE hash IN (?1, ?2)")?;
    for approval in approvals {
        remove.execute([
            codec::pack_trytes(&approval.trunk),
            codec::pack_trytes(&approval.branch),
        ])?;
    }
    Ok(())
}
