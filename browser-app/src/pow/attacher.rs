//! Attaching an app's messages with the proof of work its settings choose.

use std::rc::Rc;

use iri_client::{Client, ClientError, PowMode, PowStep, Transport};
use mam_lib::bundle::Bundle;
use mam_lib::mam::CreatedMessage;
use mam_lib::ternary::{Hash81, Tag27, Trytes};

use super::search::{LocalSearch, Progress};
use super::PowChoice;

/// Attaches with the chosen proof of work (cheap to clone; the worker pool
/// is shared and made lazily).
#[derive(Clone)]
pub struct Attacher {
    choice: PowChoice,
    min_weight_magnitude: u8,
    progress: Option<Progress>,
}

impl Attacher {
    /// Attaches with proof of work where `choice` says, at
    /// `min_weight_magnitude` (14 on the legacy mainnet, 9 on its devnet).
    pub fn new(choice: PowChoice, min_weight_magnitude: u8) -> Attacher {
        Attacher {
            choice,
            min_weight_magnitude,
            progress: None,
        }
    }

    /// The same, telling `progress` when each transaction's local search
    /// starts ("transaction 1 of 3"), for the page to show.
    pub fn with_progress(self, progress: impl Fn(PowStep) + 'static) -> Attacher {
        Attacher {
            progress: Some(Rc::new(progress)),
            ..self
        }
    }

    /// Where the proof of work runs.
    pub fn choice(&self) -> PowChoice {
        self.choice
    }

    /// The minimum weight magnitude attached with.
    pub fn min_weight_magnitude(&self) -> u8 {
        self.min_weight_magnitude
    }

    /// Attaches a MAM message (see [`Client::mam_attach`]) and returns the
    /// attached bundle.
    pub async fn attach_message<T: Transport>(
        &self,
        client: &Client<T>,
        created: &CreatedMessage,
        tag: &Tag27,
    ) -> Result<Bundle, ClientError> {
        let mwm = self.min_weight_magnitude;
        match self.choice {
            PowChoice::Local => {
                client
                    .mam_attach_with(created, tag, mwm, &self.local_search())
                    .await
            }
            PowChoice::Node => client.mam_attach(created, tag, mwm, PowMode::Remote).await,
        }
    }

    /// Sends `message` to `to` as a zero-value bundle (see
    /// [`Client::send_message`]) and returns the attached bundle.
    pub async fn send_message<T: Transport>(
        &self,
        client: &Client<T>,
        to: &Hash81,
        message: &Trytes,
        tag: &Tag27,
    ) -> Result<Bundle, ClientError> {
        let mwm = self.min_weight_magnitude;
        match self.choice {
            PowChoice::Local => {
                client
                    .send_message_with(to, message, tag, mwm, &self.local_search())
                    .await
            }
            PowChoice::Node => {
                client
                    .send_message(to, message, tag, mwm, PowMode::Remote)
                    .await
            }
        }
    }

    fn local_search(&self) -> LocalSearch {
        LocalSearch::with_progress(self.progress.clone())
    }
}
