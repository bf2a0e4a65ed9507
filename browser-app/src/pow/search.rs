//! The nonce search `PowChoice::Local` uses: the worker pool in the
//! browser, the CPU search natively; with an optional progress report.

use std::rc::Rc;

use iri_client::{ClientError, NonceSearch, PowStep};
use mam_lib::ternary::Tag27;

/// Called before each transaction's search: "transaction 1 of 3".
pub(super) type Progress = Rc<dyn Fn(PowStep)>;

/// Local proof of work for [`iri_client::Client::send_bundle_with`] and
/// the other `*_with` methods: in the browser the shared worker pool
/// (started on first use), natively `iri-client`'s CPU search on every
/// core.
#[derive(Clone, Default)]
pub struct LocalSearch {
    progress: Option<Progress>,
}

impl LocalSearch {
    /// The search, reporting each transaction's turn to `progress`.
    pub(super) fn with_progress(progress: Option<Progress>) -> LocalSearch {
        LocalSearch { progress }
    }
}

impl NonceSearch for LocalSearch {
    async fn find_nonce(
        &self,
        trits: &[i8],
        min_weight_magnitude: u8,
        step: PowStep,
    ) -> Result<Tag27, ClientError> {
        if let Some(progress) = &self.progress {
            progress(step);
        }
        #[cfg(target_arch = "wasm32")]
        {
            super::pool::WorkerPool::shared()
                .find_nonce(trits, min_weight_magnitude, step)
                .await
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            iri_client::CpuNonceSearch { threads }
                .find_nonce(trits, min_weight_magnitude, step)
                .await
        }
    }
}
