//! Where proof of work runs, as an app's settings store it.

use core::fmt;

/// Where proof of work runs; stored in the app's settings (serde,
/// lowercase "local"/"node").
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PowChoice {
    /// In this browser, in Web Workers (one per core).
    Local,
    /// By the node, through `attachToTangle` (not every node allows it).
    Node,
}

impl fmt::Display for PowChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PowChoice::Local => "in this browser",
            PowChoice::Node => "by the node",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::PowChoice;

    #[test]
    fn settings_store_the_choice_in_lowercase() {
        for (choice, text) in [
            (PowChoice::Local, "\"local\""),
            (PowChoice::Node, "\"node\""),
        ] {
            assert_eq!(serde_json::to_string(&choice).expect("serializes"), text);
            assert_eq!(
                serde_json::from_str::<PowChoice>(text).expect("reads"),
                choice
            );
        }
        assert!(serde_json::from_str::<PowChoice>("\"Local\"").is_err());
    }
}
