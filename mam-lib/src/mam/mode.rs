//! Channel modes and side keys.

use core::fmt;
use core::str::FromStr;

use super::MamError;
use crate::ternary::Trytes;

/// Trytes in a side key (shorter keys are padded with `9`).
pub const SIDE_KEY_TRYTES: usize = 81;

/// Who can find and read a channel's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Messages sit at the root itself; anyone with the root reads them.
    Public,
    /// Messages sit at the hash of the root; anyone with the root reads them.
    Private,
    /// Like private, and encrypted under a side key as well.
    Restricted,
}

impl Mode {
    /// The mode's name as the reference libraries spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Mode::Public => "public",
            Mode::Private => "private",
            Mode::Restricted => "restricted",
        }
    }
}

impl FromStr for Mode {
    type Err = MamError;

    fn from_str(text: &str) -> Result<Mode, MamError> {
        match text {
            "public" => Ok(Mode::Public),
            "private" => Ok(Mode::Private),
            "restricted" => Ok(Mode::Restricted),
            other => Err(MamError::UnknownMode(other.to_owned())),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The secret of a restricted channel: 81 trytes (shorter input is padded
/// with `9`, as the reference libraries do).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SideKey(Trytes);

impl SideKey {
    /// A new side key from the CSPRNG.
    pub fn random() -> SideKey {
        SideKey(crate::seed::random_trytes(SIDE_KEY_TRYTES))
    }

    /// Pads `trytes` to a side key; more than 81 trytes is an error.
    pub fn from_trytes(trytes: Trytes) -> Result<SideKey, MamError> {
        if trytes.len() > SIDE_KEY_TRYTES {
            return Err(MamError::SideKeyTooLong(trytes.len()));
        }
        Ok(SideKey(trytes.padded(SIDE_KEY_TRYTES)))
    }

    /// The key of public and private channels: all `9`.
    pub(crate) fn none() -> SideKey {
        SideKey(Trytes::nines(SIDE_KEY_TRYTES))
    }

    /// The 81 trytes.
    pub fn as_trytes(&self) -> &Trytes {
        &self.0
    }
}

impl FromStr for SideKey {
    type Err = MamError;

    fn from_str(text: &str) -> Result<SideKey, MamError> {
        SideKey::from_trytes(text.parse().map_err(MamError::Trytes)?)
    }
}

impl fmt::Display for SideKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for SideKey {
    /// Never prints the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SideKey(…)")
    }
}

impl serde::Serialize for SideKey {
    /// As its 81 trytes (protocol messages carry it so: `"sideKey": "…"`).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for SideKey {
    /// From trytes, padded with `9` to 81 as [`SideKey::from_trytes`] does;
    /// more than 81 trytes is an error.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let trytes = Trytes::deserialize(deserializer)?;
        SideKey::from_trytes(trytes).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_side_keys_are_padded_with_nines() {
        let key: SideKey = "ABC".parse().expect("valid");
        assert_eq!(key.as_trytes().as_str(), format!("ABC{}", "9".repeat(78)));
    }

    #[test]
    fn long_side_keys_are_rejected() {
        assert_eq!(
            "A".repeat(82).parse::<SideKey>(),
            Err(MamError::SideKeyTooLong(82))
        );
    }

    #[test]
    fn a_side_key_travels_as_its_81_trytes_and_never_prints_in_debug() {
        let key = SideKey::random();
        let json = serde_json::to_string(&key).expect("serializes");
        assert_eq!(json, format!("\"{}\"", key.as_trytes()));
        assert_eq!(json.len(), SIDE_KEY_TRYTES + 2);
        let back: SideKey = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, key);
        assert!(!format!("{key:?}").contains(key.as_trytes().as_str()));
        let short: SideKey = serde_json::from_str("\"ABC\"").expect("padded");
        assert_eq!(short.as_trytes().len(), SIDE_KEY_TRYTES);
        assert!(serde_json::from_str::<SideKey>(&format!("\"{}\"", "A".repeat(82))).is_err());
        assert!(serde_json::from_str::<SideKey>("\"abc\"").is_err());
    }

    #[test]
    fn modes_parse_by_name() {
        assert_eq!("restricted".parse::<Mode>(), Ok(Mode::Restricted));
        assert!("secret".parse::<Mode>().is_err());
    }
}
