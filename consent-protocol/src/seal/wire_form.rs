//! The tryte wire form shared by public keys and sealed boxes: text, `Display`
//! and serde all go through the type's `from_trytes` / `to_trytes`.

/// Implements `FromStr`, `Display`, `Serialize` and `Deserialize` for a type
/// with `from_trytes(&Trytes) -> Result<Self, SealError>` and
/// `to_trytes(&self) -> Trytes`.
macro_rules! tryte_wire_form {
    ($type:ty) => {
        impl core::str::FromStr for $type {
            type Err = $crate::seal::SealError;

            /// Reads the wire form.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::from_trytes(&text.parse()?)
            }
        }

        impl core::fmt::Display for $type {
            /// Writes the wire form.
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Display::fmt(&self.to_trytes(), f)
            }
        }

        impl serde::Serialize for $type {
            /// As the wire form, a tryte string.
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.to_trytes().as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            /// From the wire form, a tryte string.
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(super) use tryte_wire_form;
