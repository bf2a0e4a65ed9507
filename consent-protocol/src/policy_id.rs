//! Policy ids: how My Home, the device and a provider name one consent.

use core::fmt;
use core::str::FromStr;

/// Characters in a policy id at most. Ids are made by My Home and travel in
/// events, `MAM_DATA` and the provider's return URL; a bound keeps a hostile
/// id from bloating state files and logs.
pub const MAX_POLICY_ID_LEN: usize = 128;

/// The id of a policy (one consent): non-empty, at most
/// [`MAX_POLICY_ID_LEN`] characters, printable ASCII (space to `~`).
///
/// Valid by construction; on the wire it is a JSON string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PolicyId(String);

/// Why text is not a policy id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidPolicyId {
    /// The empty string.
    #[error("a policy id cannot be empty")]
    Empty,
    /// Longer than [`MAX_POLICY_ID_LEN`].
    #[error("a policy id is at most {max} characters, got {actual}")]
    TooLong {
        /// [`MAX_POLICY_ID_LEN`].
        max: usize,
        /// The length found, in bytes.
        actual: usize,
    },
    /// A character outside printable ASCII.
    #[error("a policy id is printable ASCII; found {character:?} at position {position}")]
    NotPrintable {
        /// The offending character.
        character: char,
        /// Its position, in characters.
        position: usize,
    },
}

impl PolicyId {
    /// Takes `text` if it is a valid policy id.
    pub fn new(text: impl Into<String>) -> Result<PolicyId, InvalidPolicyId> {
        let text = text.into();
        if text.is_empty() {
            return Err(InvalidPolicyId::Empty);
        }
        if text.len() > MAX_POLICY_ID_LEN {
            return Err(InvalidPolicyId::TooLong {
                max: MAX_POLICY_ID_LEN,
                actual: text.len(),
            });
        }
        if let Some((position, character)) = text
            .chars()
            .enumerate()
            .find(|(_, c)| !(' '..='~').contains(c))
        {
            return Err(InvalidPolicyId::NotPrintable {
                character,
                position,
            });
        }
        Ok(PolicyId(text))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PolicyId {
    type Err = InvalidPolicyId;

    fn from_str(text: &str) -> Result<PolicyId, InvalidPolicyId> {
        PolicyId::new(text)
    }
}

impl fmt::Display for PolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for PolicyId {
    /// As a JSON string.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for PolicyId {
    /// From a JSON string that is a valid id.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        PolicyId::new(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_my_home_writes_are_taken() {
        for text in [
            "policy-7f3a9c",
            "p",
            "a b~!",
            &"x".repeat(MAX_POLICY_ID_LEN),
        ] {
            assert_eq!(
                PolicyId::new(text).map(|id| id.to_string()),
                Ok(text.into())
            );
        }
    }

    #[test]
    fn empty_overlong_and_unprintable_ids_are_refused() {
        assert_eq!(PolicyId::new(""), Err(InvalidPolicyId::Empty));
        assert!(matches!(
            PolicyId::new("x".repeat(MAX_POLICY_ID_LEN + 1)),
            Err(InvalidPolicyId::TooLong { .. })
        ));
        for text in ["tab\there", "new\nline", "é", "del\u{7f}"] {
            assert!(
                matches!(
                    PolicyId::new(text),
                    Err(InvalidPolicyId::NotPrintable { .. })
                ),
                "{text:?}"
            );
        }
    }

    #[test]
    fn an_id_travels_as_a_json_string_and_is_checked_on_the_way_in() {
        let id = PolicyId::new("policy-1").expect("valid");
        assert_eq!(serde_json::to_string(&id).expect("json"), r#""policy-1""#);
        assert_eq!(
            serde_json::from_str::<PolicyId>(r#""policy-1""#).ok(),
            Some(id)
        );
        assert!(serde_json::from_str::<PolicyId>(r#""""#).is_err());
        assert!(serde_json::from_str::<PolicyId>(r#""\u0000""#).is_err());
    }
}
