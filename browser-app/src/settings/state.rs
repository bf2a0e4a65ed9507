//! The node settings of an app and their validation. Pure: tested natively.

use serde::{Deserialize, Serialize};

pub use crate::pow::PowChoice;

/// The highest minimum weight magnitude accepted (a transaction hash has
/// 243 trits, but anything above the mainnet's 14 takes hours in a browser;
/// 20 leaves room for a slow private node).
pub const MAX_MWM: u8 = 20;

/// The settings an app uses to reach the Tangle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSettings {
    /// The IRI HTTP API of the node, for example `http://127.0.0.1:14265`.
    pub node_url: String,
    /// Where proof of work runs.
    pub pow: PowChoice,
    /// The weight every transaction's hash must have.
    pub min_weight_magnitude: u8,
}

/// What a site may preset in `node.json` next to the apps (the run script
/// writes it, pointing at its own node). Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteDefaults {
    /// The node's URL.
    pub node_url: Option<String>,
    /// Where proof of work runs.
    pub pow: Option<PowChoice>,
    /// The minimum weight magnitude.
    pub min_weight_magnitude: Option<u8>,
}

/// A setting the owner entered that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// The node URL is empty or not an http(s) URL.
    #[error("the node URL must start with http:// or https:// and name a host, for example http://127.0.0.1:14265")]
    NodeUrl,
    /// The weight is out of range.
    #[error("the minimum weight magnitude must be a whole number from 1 to {MAX_MWM}")]
    Mwm,
}

impl Default for NodeSettings {
    /// A node on this machine at IRI's port, proof of work here, weight 9
    /// (the private tangle-node's default).
    fn default() -> Self {
        NodeSettings {
            node_url: "http://127.0.0.1:14265".into(),
            pow: PowChoice::Local,
            min_weight_magnitude: 9,
        }
    }
}

impl NodeSettings {
    /// The built-in defaults with what the site presets on top; a preset
    /// that is not valid is ignored.
    pub fn from_site(defaults: &SiteDefaults) -> NodeSettings {
        let mut settings = NodeSettings::default();
        if let Some(url) = defaults
            .node_url
            .as_deref()
            .and_then(|u| normalize_url(u).ok())
        {
            settings.node_url = url;
        }
        if let Some(pow) = defaults.pow {
            settings.pow = pow;
        }
        if let Some(mwm) = defaults.min_weight_magnitude.filter(|m| valid_mwm(*m)) {
            settings.min_weight_magnitude = mwm;
        }
        settings
    }

    /// Settings from what the owner typed: the URL trimmed and without a
    /// trailing `/`, the weight parsed and in range.
    pub fn from_form(
        node_url: &str,
        pow: PowChoice,
        mwm: &str,
    ) -> Result<NodeSettings, SettingsError> {
        let node_url = normalize_url(node_url)?;
        let min_weight_magnitude = mwm
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|m| valid_mwm(*m))
            .ok_or(SettingsError::Mwm)?;
        Ok(NodeSettings {
            node_url,
            pow,
            min_weight_magnitude,
        })
    }

    /// Settings read back from storage, if they are still valid.
    pub fn parse_stored(json: &str) -> Option<NodeSettings> {
        let stored: NodeSettings = serde_json::from_str(json).ok()?;
        NodeSettings::from_form(
            &stored.node_url,
            stored.pow,
            &stored.min_weight_magnitude.to_string(),
        )
        .ok()
    }
}

fn valid_mwm(mwm: u8) -> bool {
    (1..=MAX_MWM).contains(&mwm)
}

/// `url` trimmed and without trailing `/`, checked by the protocol's rules
/// for web addresses (`consent_protocol::web_url`).
fn normalize_url(url: &str) -> Result<String, SettingsError> {
    let url = url.trim().trim_end_matches('/');
    consent_protocol::web_url::check_web_url(url).map_err(|_| SettingsError::NodeUrl)?;
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_with_a_node_url_and_a_weight_is_accepted_and_tidied() {
        let settings =
            NodeSettings::from_form(" http://127.0.0.1:14265/ ", PowChoice::Node, " 14 ")
                .expect("valid");
        assert_eq!(settings.node_url, "http://127.0.0.1:14265");
        assert_eq!(settings.pow, PowChoice::Node);
        assert_eq!(settings.min_weight_magnitude, 14);
    }

    #[test]
    fn bad_urls_are_refused() {
        for url in [
            "",
            "127.0.0.1:14265",
            "ftp://node",
            "http://",
            "http://:14265",
            "http://no de",
            "https://user@evil",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                NodeSettings::from_form(url, PowChoice::Local, "9"),
                Err(SettingsError::NodeUrl),
                "{url:?}"
            );
        }
    }

    #[test]
    fn weights_outside_one_to_twenty_are_refused() {
        for mwm in ["0", "21", "-1", "nine", "", "9.5", "300"] {
            assert_eq!(
                NodeSettings::from_form("http://node", PowChoice::Local, mwm),
                Err(SettingsError::Mwm),
                "{mwm:?}"
            );
        }
        assert!(NodeSettings::from_form("https://node:443/api", PowChoice::Local, "20").is_ok());
    }

    #[test]
    fn site_defaults_override_the_built_in_ones_only_where_valid() {
        let site: SiteDefaults = serde_json::from_str(
            r#"{"nodeUrl": "http://127.0.0.1:15000/", "minWeightMagnitude": 3}"#,
        )
        .expect("json");
        let settings = NodeSettings::from_site(&site);
        assert_eq!(settings.node_url, "http://127.0.0.1:15000");
        assert_eq!(settings.min_weight_magnitude, 3);
        assert_eq!(settings.pow, PowChoice::Local);

        let bad = SiteDefaults {
            node_url: Some("not a url".into()),
            pow: Some(PowChoice::Node),
            min_weight_magnitude: Some(99),
        };
        let settings = NodeSettings::from_site(&bad);
        assert_eq!(settings.node_url, NodeSettings::default().node_url);
        assert_eq!(settings.min_weight_magnitude, 9);
        assert_eq!(settings.pow, PowChoice::Node);
    }

    #[test]
    fn stored_settings_round_trip_and_damaged_ones_are_dropped() {
        let settings =
            NodeSettings::from_form("http://node:1", PowChoice::Node, "5").expect("valid");
        let json = serde_json::to_string(&settings).expect("json");
        assert!(json.contains(r#""pow":"node""#), "{json}");
        assert_eq!(NodeSettings::parse_stored(&json), Some(settings));
        assert_eq!(NodeSettings::parse_stored("{}"), None);
        assert_eq!(NodeSettings::parse_stored("garbage"), None);
        assert_eq!(
            NodeSettings::parse_stored(r#"{"nodeUrl":"x","pow":"local","minWeightMagnitude":9}"#),
            None
        );
    }
}
