//! Sending: bundle, tips, proof of work (here or on the node), store and
//! broadcast.

use mam_lib::bundle::{Bundle, Transfer};
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::transaction::{hash_weight, Transaction};

use mam_lib::time::UnixMillis;

use super::{pow, Client, ClientError, Transport};

/// Where the proof of work is done.
///
/// Local proof of work runs inside the future, on the calling thread (and
/// its helpers): in the browser it holds the page for its duration, so keep
/// the minimum weight magnitude low there or use `Remote`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowMode {
    /// On this machine, with up to `threads` threads (1 in the browser).
    Local {
        /// Worker threads for the nonce search.
        threads: usize,
    },
    /// By the node, through `attachToTangle`.
    Remote,
}

impl<T: Transport> Client<T> {
    /// Sends `message` to `address` with `tag` as a zero-value bundle (one
    /// transfer, issued now) and returns the attached bundle.
    pub async fn send_message(
        &self,
        address: &Hash81,
        message: &Trytes,
        tag: &Tag27,
        min_weight_magnitude: u8,
        pow: PowMode,
    ) -> Result<Bundle, ClientError> {
        let transfer = Transfer::new(address.clone(), message.clone(), tag.clone());
        let bundle = Bundle::from_transfers(&[transfer], UnixMillis::now().as_seconds())?;
        self.send_bundle(&bundle, min_weight_magnitude, pow).await
    }

    /// Attaches `bundle` to two tips from `getTransactionsToApprove` (proof
    /// of work as `pow` says), checks the result, then stores and broadcasts
    /// it. Returns the attached bundle.
    pub async fn send_bundle(
        &self,
        bundle: &Bundle,
        min_weight_magnitude: u8,
        pow: PowMode,
    ) -> Result<Bundle, ClientError> {
        let tips = self.get_transactions_to_approve(self.config.depth).await?;
        let (trunk, branch) = (&tips.trunk_transaction, &tips.branch_transaction);
        let attached = match pow {
            PowMode::Local { threads } => {
                bundle.attach(trunk, branch, UnixMillis::now().as_millis(), |trits| {
                    pow::find_nonce(trits, min_weight_magnitude, threads)
                })?
            }
            PowMode::Remote => {
                let transactions = self
                    .attach_to_tangle(
                        trunk,
                        branch,
                        min_weight_magnitude,
                        &bundle.prepared_trytes(),
                    )
                    .await?;
                check_same_bundle(bundle, &transactions)?;
                Bundle::from_transactions(transactions)?
            }
        };
        check_weight(&attached, min_weight_magnitude)?;
        let trytes = attached.to_trytes();
        self.store_transactions(&trytes).await?;
        self.broadcast_transactions(&trytes).await?;
        Ok(attached)
    }
}

/// The node may only fill in the attachment fields: essence and message of
/// each transaction must be what was sent.
fn check_same_bundle(sent: &Bundle, attached: &[Transaction]) -> Result<(), ClientError> {
    if attached.len() != sent.len() {
        return Err(ClientError::WrongCount {
            command: "attachToTangle",
            expected: sent.len(),
            actual: attached.len(),
        });
    }
    for (index, (ours, theirs)) in sent.transactions().iter().zip(attached).enumerate() {
        let same = ours.essence_trits() == theirs.essence_trits()
            && ours.signature_message_fragment == theirs.signature_message_fragment
            && ours.bundle == theirs.bundle;
        if !same {
            return Err(ClientError::AlteredByNode { index });
        }
    }
    Ok(())
}

fn check_weight(bundle: &Bundle, min_weight_magnitude: u8) -> Result<(), ClientError> {
    for (index, transaction) in bundle.transactions().iter().enumerate() {
        let weight = hash_weight(&transaction.hash());
        if weight < usize::from(min_weight_magnitude) {
            return Err(ClientError::InsufficientWeight {
                index,
                weight,
                mwm: min_weight_magnitude,
            });
        }
    }
    Ok(())
}
