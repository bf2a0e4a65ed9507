//! Sending: bundle, tips, proof of work (here or on the node), store and
//! broadcast.

use mam_lib::bundle::{AttachChain, Bundle, Transfer};
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::transaction::{hash_weight, Transaction};

use mam_lib::time::UnixMillis;

use super::pow::{CpuNonceSearch, NonceSearch, PowStep};
use super::{Client, ClientError, Transport};

/// Where the proof of work is done.
///
/// Local proof of work runs inside the future, on the calling thread (and
/// its helpers): in the browser it holds the page for its duration, so use
/// `Remote` there, or the `*_with` methods with a [`NonceSearch`] that runs
/// elsewhere (`browser-app`'s workers).
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
        let bundle = message_bundle(address, message, tag)?;
        self.send_bundle(&bundle, min_weight_magnitude, pow).await
    }

    /// [`Client::send_message`] with the proof of work done by `search`.
    pub async fn send_message_with(
        &self,
        address: &Hash81,
        message: &Trytes,
        tag: &Tag27,
        min_weight_magnitude: u8,
        search: &impl NonceSearch,
    ) -> Result<Bundle, ClientError> {
        let bundle = message_bundle(address, message, tag)?;
        self.send_bundle_with(&bundle, min_weight_magnitude, search)
            .await
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
        match pow {
            PowMode::Local { threads } => {
                let search = CpuNonceSearch { threads };
                self.send_bundle_with(bundle, min_weight_magnitude, &search)
                    .await
            }
            PowMode::Remote => {
                let tips = self.get_transactions_to_approve(self.config.depth).await?;
                let transactions = self
                    .attach_to_tangle(
                        &tips.trunk_transaction,
                        &tips.branch_transaction,
                        min_weight_magnitude,
                        &bundle.prepared_trytes(),
                    )
                    .await?;
                check_same_bundle(bundle, &transactions)?;
                let attached = Bundle::from_transactions(transactions)?;
                self.store_and_broadcast(attached, min_weight_magnitude)
                    .await
            }
        }
    }

    /// [`Client::send_bundle`] with the proof of work done here by
    /// `search`, awaited once per transaction: attaches `bundle` to two
    /// tips from `getTransactionsToApprove` (each transaction's attachment
    /// timestamp read when its turn comes, as IRI does), checks the
    /// result's weight, then stores and broadcasts it.
    pub async fn send_bundle_with(
        &self,
        bundle: &Bundle,
        min_weight_magnitude: u8,
        search: &impl NonceSearch,
    ) -> Result<Bundle, ClientError> {
        let tips = self.get_transactions_to_approve(self.config.depth).await?;
        let mut chain = AttachChain::new(&tips.trunk_transaction, &tips.branch_transaction);
        for (index, transaction) in bundle.attach_order().enumerate() {
            let awaiting = chain.prepare(transaction, UnixMillis::now().as_millis())?;
            let nonce = if min_weight_magnitude == 0 {
                // As IRI: weight 0 keeps the nonce the transaction has.
                awaiting.transaction().nonce.clone()
            } else {
                let step = PowStep {
                    number: index + 1,
                    of: bundle.len(),
                };
                search
                    .find_nonce(awaiting.trits(), min_weight_magnitude, step)
                    .await?
            };
            chain = awaiting.with_nonce(nonce);
        }
        let attached = chain.into_bundle()?;
        self.store_and_broadcast(attached, min_weight_magnitude)
            .await
    }

    /// Checks the weight of every transaction of `attached`, then stores
    /// and broadcasts it: nothing below the weight reaches the node.
    async fn store_and_broadcast(
        &self,
        attached: Bundle,
        min_weight_magnitude: u8,
    ) -> Result<Bundle, ClientError> {
        check_weight(&attached, min_weight_magnitude)?;
        let trytes = attached.to_trytes();
        self.store_transactions(&trytes).await?;
        self.broadcast_transactions(&trytes).await?;
        Ok(attached)
    }
}

/// One transfer of `message` to `address` with `tag`, issued now.
pub(super) fn message_bundle(
    address: &Hash81,
    message: &Trytes,
    tag: &Tag27,
) -> Result<Bundle, ClientError> {
    let transfer = Transfer::new(address.clone(), message.clone(), tag.clone());
    Ok(Bundle::from_transfers(
        &[transfer],
        UnixMillis::now().as_seconds(),
    )?)
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
