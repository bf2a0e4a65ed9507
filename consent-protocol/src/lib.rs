//! `consent-protocol`: the smart-meter consent protocol between a device,
//! its owner's My Home and service providers.
//!
//! What it is for: the protocol's JSON messages as typed values and how they
//! travel as trytes, the pairing proofs, and NTRU sealing ([`seal`]) of the
//! channel keys a device hands a provider. It builds natively and for
//! `wasm32-unknown-unknown`.
//!
//! What it is not for: talking to a node (`iri-client`), MAM itself
//! (`mam-lib`), storage or user interfaces. It does no I/O.
//!
//! Every message is JSON text, ASCII only, turned into trytes with the
//! legacy `asciiToTrytes` mapping ([`encoding`]). Three families exist:
//!
//! - [`TransferMessage`]: plain zero-value transfers between My Home, the
//!   device and providers (pairing, `MAM_DATA`);
//! - [`ConsentEvent`]: the events on My Home's private channel;
//! - [`DeviceMessage`]: what the device publishes on its restricted channel.
//!
//! Pairing's proofs (claim proof, signed challenge, sealed root, and the
//! device's challenge and result proofs) are in
//! [`pairing`]. This is protocol v2, which v1 peers do not speak: a v1
//! claim, answer or `MAM_DATA` does not decode and is ignored and counted. Readers accept unknown
//! fields and ignore anything that does not decode (the caller counts it).
//!
//! The parties' rules, as plain code without I/O (facts in, decisions
//! out), so the Pi reader, My Home, Wattt Insights and the tests share one
//! copy: [`device`] (claims, answers, events, expiry), [`owner`] (pairing
//! as a state machine, the fold of the event channel) and [`provider`]
//! (opening `MAM_DATA`, following the device channel until the consent
//! ends).

pub mod device;
pub mod encoding;
mod error;
mod events;
mod messages;
mod outgoing;
pub mod owner;
pub mod pairing;
pub mod pairing_link;
mod policy_id;
pub mod provider;
pub mod seal;
pub mod web_url;

pub use encoding::{decode, encode, encode_transfer, to_ascii_json};
pub use error::ProtocolError;
pub use events::{ConsentEvent, Device, Policy, ServiceProvider};
pub use messages::{
    ClaimStatus, DeviceMessage, KeyBundle, RotatedKey, TelegramRecord, TransferMessage,
};
pub use outgoing::Outgoing;
pub use pairing::{
    challenge_proof, claim_proof, claim_result_proof, open_root, root_mask, seal_root,
    signed_challenge, status_trytes, PairingSecret, PAIRING_SECRET_TRYTES,
};
pub use pairing_link::{PairingLink, PairingLinkError};
pub use policy_id::{InvalidPolicyId, PolicyId, MAX_POLICY_ID_LEN};

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
