//! A node in memory, speaking enough of the IRI API for whole flows:
//! tips, attachToTangle (with real proof of work), store, find, getTrytes.

use core::cell::{Cell, RefCell};
use core::time::Duration;
use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::{
    AttachToTangle, Client, ClientConfig, FindTransactions, GetTrytes, HttpResponse,
    StoreTransactions, Transport, TransportError,
};
use mam_lib::bundle::Bundle;
use mam_lib::ternary::{Hash81, Trytes};
use mam_lib::transaction::Transaction;

/// One stored entry: what `findTransactions` matches on, and the trytes
/// `getTrytes` returns (which may be junk, to play a hostile node).
struct Stored {
    address: Hash81,
    bundle: Hash81,
    trytes: String,
}

#[derive(Default)]
pub(super) struct FakeNode {
    stored: RefCell<BTreeMap<Hash81, Stored>>,
    /// When set, attachToTangle changes the message of transaction 0.
    pub(super) tamper_on_attach: Cell<bool>,
    pub(super) commands: RefCell<Vec<String>>,
    /// The hashes each `getTrytes` asked for.
    pub(super) trytes_asked: RefCell<Vec<Vec<Hash81>>>,
    /// More matches than this make `findTransactions` refuse, as
    /// tangle-node's `--max-find-results` does.
    pub(super) result_cap: Cell<Option<usize>>,
    /// The lengths of each `findTransactions`' address and bundle lists.
    pub(super) finds_asked: RefCell<Vec<(usize, usize)>>,
}

impl FakeNode {
    pub(super) fn client() -> Client<FakeNode> {
        Client::with_transport(
            "http://fake.test",
            FakeNode::default(),
            ClientConfig::default(),
        )
    }

    /// Stores arbitrary trytes under `hash`, found at `address`.
    pub(super) fn inject(&self, hash: Hash81, address: Hash81, trytes: String) {
        self.stored.borrow_mut().insert(
            hash,
            Stored {
                address,
                bundle: Hash81::nines(),
                trytes,
            },
        );
    }

    /// Stores arbitrary trytes under `hash`, found at `address` and under
    /// `bundle`.
    pub(super) fn inject_in_bundle(&self, hash: Hash81, address: Hash81, bundle: Hash81) {
        self.stored.borrow_mut().insert(
            hash,
            Stored {
                address,
                bundle,
                trytes: "JUNK".into(),
            },
        );
    }

    /// Stores transactions as they are (no proof-of-work check).
    pub(super) fn store(&self, transactions: &[Transaction]) {
        for transaction in transactions {
            self.stored.borrow_mut().insert(
                transaction.hash(),
                Stored {
                    address: transaction.address.clone(),
                    bundle: transaction.bundle.clone(),
                    trytes: transaction.to_trytes().to_string(),
                },
            );
        }
    }

    fn tip() -> Hash81 {
        "TIP".repeat(27).parse().expect("tip")
    }

    fn handle(&self, body: &str) -> Result<Value, String> {
        let request: Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
        let command = request["command"].as_str().unwrap_or_default().to_owned();
        self.commands.borrow_mut().push(command.clone());
        match command.as_str() {
            "getTransactionsToApprove" => Ok(json!({
                "trunkTransaction": FakeNode::tip(), "branchTransaction": FakeNode::tip(), "duration": 0
            })),
            "attachToTangle" => {
                let attach: AttachToTangle = parse(request)?;
                let trytes: Vec<Trytes> = attach
                    .trytes
                    .iter()
                    .map(|t| t.as_trytes().clone())
                    .collect();
                let bundle = Bundle::from_trytes(&trytes).map_err(|e| e.to_string())?;
                let mwm = u8::try_from(attach.min_weight_magnitude).map_err(|e| e.to_string())?;
                let attached = bundle
                    .attach(
                        &attach.trunk_transaction,
                        &attach.branch_transaction,
                        1_700_000_000_000,
                        |trits| {
                            let options = mam_lib::pow::PowOptions {
                                threads: core::num::NonZeroUsize::new(1),
                                ..Default::default()
                            };
                            Ok::<_, crate::ClientError>(mam_lib::pow::attach_nonce(
                                trits, mwm, &options,
                            )?)
                        },
                    )
                    .map_err(|e| e.to_string())?;
                let mut trytes: Vec<String> =
                    attached.to_trytes().iter().map(|t| t.to_string()).collect();
                if self.tamper_on_attach.get() {
                    trytes[0].replace_range(0..1, "Z");
                }
                Ok(json!({ "trytes": trytes }))
            }
            "storeTransactions" => {
                let store: StoreTransactions = parse(request)?;
                for trytes in &store.trytes {
                    let transaction =
                        Transaction::from_trytes(trytes.as_trytes()).map_err(|e| e.to_string())?;
                    self.store(&[transaction]);
                }
                Ok(json!({}))
            }
            "broadcastTransactions" => Ok(json!({})),
            "findTransactions" => {
                let query: FindTransactions = parse(request)?;
                let addresses = query.addresses.unwrap_or_default();
                let bundles = query.bundles.unwrap_or_default();
                self.finds_asked
                    .borrow_mut()
                    .push((addresses.len(), bundles.len()));
                let stored = self.stored.borrow();
                let hashes: Vec<&Hash81> = stored
                    .iter()
                    .filter(|(_, s)| addresses.contains(&s.address) || bundles.contains(&s.bundle))
                    .map(|(hash, _)| hash)
                    .collect();
                if let Some(cap) = self.result_cap.get().filter(|cap| hashes.len() > *cap) {
                    return Err(format!(
                        "more than {cap} transactions match; narrow the query"
                    ));
                }
                Ok(json!({ "hashes": hashes }))
            }
            "getTrytes" => {
                let query: GetTrytes = parse(request)?;
                self.trytes_asked.borrow_mut().push(query.hashes.clone());
                let stored = self.stored.borrow();
                let trytes: Vec<Option<&String>> = query
                    .hashes
                    .iter()
                    .map(|hash| stored.get(hash).map(|s| &s.trytes))
                    .collect();
                Ok(json!({ "trytes": trytes }))
            }
            other => Err(format!("Command [{other}] is unknown")),
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(request: Value) -> Result<T, String> {
    serde_json::from_value(request).map_err(|e| e.to_string())
}

impl Transport for FakeNode {
    async fn post(
        &self,
        _url: &str,
        body: &str,
        _timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        Ok(match self.handle(body) {
            Ok(answer) => HttpResponse {
                status: 200,
                body: answer.to_string(),
            },
            Err(error) => HttpResponse {
                status: 400,
                body: json!({ "error": error }).to_string(),
            },
        })
    }

    async fn sleep(&self, _duration: Duration) {}
}
