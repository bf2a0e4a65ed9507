//! Keeping the node settings in `localStorage`, reading the site's presets
//! and checking a node. Browser-only calls that compile natively.

use iri_client::Client;

use super::state::{NodeSettings, SiteDefaults};
use crate::storage::{self, StorageError};

/// Where the site's presets are, relative to an app's page (the apps live in
/// sibling directories, `node.json` next to them).
const SITE_DEFAULTS_URL: &str = "../node.json";

/// The presets of the site (`node.json`), or none when there is no such file
/// or it does not parse.
pub async fn site_defaults() -> SiteDefaults {
    let Ok(response) = gloo::net::http::Request::get(SITE_DEFAULTS_URL)
        .send()
        .await
    else {
        return SiteDefaults::default();
    };
    if !response.ok() {
        return SiteDefaults::default();
    }
    response.json::<SiteDefaults>().await.unwrap_or_default()
}

/// The settings stored under `key`, or the defaults with the site's presets.
pub async fn load_settings(key: &str) -> NodeSettings {
    if let Ok(Some(json)) = storage::get(key) {
        if let Some(settings) = NodeSettings::parse_stored(&json) {
            return settings;
        }
    }
    NodeSettings::from_site(&site_defaults().await)
}

/// Stores `settings` under `key`.
pub fn save_settings(key: &str, settings: &NodeSettings) -> Result<(), StorageError> {
    let json = serde_json::to_string(settings)
        .map_err(|error| StorageError(format!("cannot write the settings: {error}")))?;
    storage::set(key, &json)
}

/// What a node said about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeCheck {
    /// Its software and version, for example `tangle-node 0.1.0`.
    pub software: String,
    /// Its latest milestone index, if it has one.
    pub milestone: Option<u64>,
}

/// Asks the node at `url` for `getNodeInfo`; the error in plain words.
pub async fn check_node(url: &str) -> Result<NodeCheck, String> {
    let info = Client::new(url)
        .get_node_info()
        .await
        .map_err(|error| error.to_string())?;
    Ok(NodeCheck {
        software: format!("{} {}", info.app_name, info.app_version),
        milestone: info.latest_milestone_index,
    })
}
