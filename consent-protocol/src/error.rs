//! What can go wrong reading a protocol message.

use mam_lib::ternary::TernaryError;

/// Why trytes are not a protocol message.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// No prefix of the trytes decodes to JSON text.
    #[error("the trytes hold no JSON value")]
    NoJson,
    /// JSON, but not the message expected here.
    #[error("not a valid protocol message: {0}")]
    Shape(#[from] serde_json::Error),
    /// A field that must be trytes is not.
    #[error("invalid trytes in a protocol message: {0}")]
    Trytes(#[from] TernaryError),
}
