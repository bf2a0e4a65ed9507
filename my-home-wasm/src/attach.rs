//! Attaching with the owner's choice of proof of work.

use browser_app::settings::{NodeSettings, PowChoice};
use iri_client::{Client, ClientError, PowMode};
use mam_lib::bundle::Bundle;
use mam_lib::ternary::{Hash81, Tag27, Trytes};

/// How My Home attaches: where proof of work runs and at which weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attach {
    pow: PowChoice,
    min_weight_magnitude: u8,
}

impl Attach {
    /// Attaching as `settings` say.
    pub fn new(settings: &NodeSettings) -> Attach {
        Attach {
            pow: settings.pow,
            min_weight_magnitude: settings.min_weight_magnitude,
        }
    }

    /// Sends `message` to `to` as a zero-value transfer tagged `tag`.
    pub async fn send(
        &self,
        client: &Client,
        to: &Hash81,
        message: &Trytes,
        tag: &Tag27,
    ) -> Result<Bundle, ClientError> {
        let pow = match self.pow {
            PowChoice::Local => PowMode::Local { threads: 1 },
            PowChoice::Node => PowMode::Remote,
        };
        client
            .send_message(to, message, tag, self.min_weight_magnitude, pow)
            .await
    }
}
