//! Why a MAM operation failed.

use crate::ternary::TernaryError;

/// What can go wrong creating or parsing a MAM message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MamError {
    /// Input that is not valid trytes.
    #[error("{0}")]
    Trytes(#[from] TernaryError),
    /// A mode name other than public, private or restricted.
    #[error("unknown mode {0:?} (use public, private or restricted)")]
    UnknownMode(String),
    /// A side key longer than 81 trytes.
    #[error("side key is {0} trytes long; at most 81 are allowed")]
    SideKeyTooLong(usize),
    /// A restricted channel without a side key.
    #[error("restricted mode needs a side key")]
    MissingSideKey,
    /// A side key on a public or private channel.
    #[error("a side key is only used in restricted mode")]
    UnexpectedSideKey,
    /// Channel positions that do not fit together.
    #[error("invalid channel position: {0}")]
    InvalidPosition(&'static str),
    /// A key position whose signature no reader could verify (a leaf under
    /// an unpaired node of a tree whose size is not a power of two).
    #[error("leaf {index} of a {count}-key tree cannot be verified by readers; use a power-of-two count")]
    UnverifiableLeaf {
        /// The leaf's position in its tree.
        index: u64,
        /// The tree's size.
        count: u64,
    },
    /// A payload whose structure is broken (truncated, bad lengths).
    #[error("malformed payload: {0}")]
    Malformed(&'static str),
    /// The decrypted message hash does not name a security level: the side
    /// key or root is wrong, or the payload was altered.
    #[error("payload does not decrypt to a valid message hash (wrong side key or root, or altered payload)")]
    InvalidMessageHash,
    /// The signature does not lead to the root: wrong root, wrong side key,
    /// or an altered payload.
    #[error("signature does not match the root (wrong root or side key, or altered payload)")]
    SignatureMismatch,
}
