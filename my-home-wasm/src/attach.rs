//! Attaching with the owner's choice of proof of work: in this browser's Web
//! Workers (`browser_app::pow`) or on the node.

use browser_app::pow::Attacher;
use browser_app::settings::NodeSettings;
use iri_client::{Client, ClientError};
use mam_lib::bundle::Bundle;
use mam_lib::ternary::{Hash81, Tag27, Trytes};

/// How My Home attaches: where proof of work runs and at which weight.
pub struct Attach {
    attacher: Attacher,
}

impl Attach {
    /// Attaching as `settings` say.
    pub fn new(settings: &NodeSettings) -> Attach {
        Attach {
            attacher: Attacher::new(settings.pow, settings.min_weight_magnitude),
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
        self.attacher.send_message(client, to, message, tag).await
    }
}
