//! Known answers for the consent protocol's wire format (`consent_protocol`,
//! ARCHITECTURE.md "Protocol"), from implementations nobody here wrote.
//!
//! `tests/vectors/protocol.json` is written by
//! `interop/generate-protocol-vectors.mjs` (`npm run protocol-vectors` in
//! `interop/`) with `@iota/converter` and `@iota/kerl` 1.0.0-beta.30 and
//! `iota.lib.js` 0.5.3 (`toTrytes`, `Kerl`, `extractJson`). It holds:
//!
//! - every message type as reference JSON text and `asciiToTrytes` trytes:
//!   our `encode` must write exactly those, and `decode` read them back;
//! - signed challenges from the reference Kerl: `signed_challenge` must agree;
//! - protocol v2 pairing proofs, computed in JavaScript with the reference
//!   Kerls: `claim_proof`, `seal_root`, and the device's `challenge_proof`
//!   and `claim_result_proof` must agree and `open_root` undo the seal;
//! - transfers laid out in 2187-tryte fragments, some with junk after the
//!   message, as the legacy `extractJson` reads them: our `decode` must read
//!   the same value wherever the legacy reader finds one.
//!
//! `interop/test/protocol.test.mjs` runs this file again on vectors made from
//! fresh random inputs, by setting `PROTOCOL_VECTORS` to their path.

use std::fmt::Debug;
use std::path::PathBuf;

use consent_protocol::{
    challenge_proof, claim_proof, claim_result_proof, decode, encode, open_root, seal_root,
    signed_challenge, to_ascii_json, ClaimStatus, ConsentEvent, DeviceMessage, KeyBundle,
    PairingSecret, ProtocolError, RotatedKey, TransferMessage,
};
use mam_lib::ternary::{Hash81, Trytes};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Cases where the legacy reader finds no message and ours reads the one
/// the trytes were built from. Ours stops at the first pair that is not a
/// byte and takes the first JSON value; `extractJson` needs an opening
/// brace first, reads on to the first `99` after a closing brace and hands
/// everything up to there to `JSON.parse`. Reading more than the legacy
/// reader is harmless; the converse would lose messages.
const READ_ONLY_BY_US: &[&str] = &[
    // Junk after the message without a `99` pair in between: the legacy text
    // is the message plus junk, which `JSON.parse` refuses.
    "CLAIM_DEVICE, one 9, then junk",
    "CLAIM_DEVICE, junk right after the JSON",
    "CLAIM_DEVICE, a pair above 255 right after the JSON",
    "CLAIM_DEVICE, a second JSON value right after the first",
    // Not a brace first.
    "CLAIM_DEVICE, a space before the JSON",
    // 2187k - 1 trytes: one `9` ends the last fragment, so there is no `99`
    // pair and the legacy reader never finds the end. A writer must avoid
    // these lengths for legacy readers.
    "CLAIM_RESULT of 2186 trytes",
    "CLAIM_RESULT of 6560 trytes",
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProtocolVectors {
    messages: Vec<MessageVector>,
    signed_challenges: Vec<ChallengeVector>,
    pairing_proofs: Vec<PairingProofVector>,
    extract_json: Vec<ExtractJsonVector>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PairingProofVector {
    sender: String,
    nonce: String,
    challenge: String,
    root: String,
    secret: String,
    claim_proof: String,
    signed_challenge: String,
    sealed_root: String,
    /// `Kerl(secret ‖ nonce ‖ challenge)`.
    challenge_proof: String,
    /// `Kerl(secret ‖ challenge ‖ OK)`, `OK` as trytes padded to 81.
    result_proof_ok: String,
    /// `Kerl(secret ‖ nonce ‖ NOK)`, `NOK` as trytes padded to 81.
    result_proof_nok: String,
}

/// Which of our types a vector is.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
enum Family {
    Transfer,
    Device,
    Event,
    KeyBundle,
    RotatedKey,
}

#[derive(Deserialize)]
struct MessageVector {
    family: Family,
    name: String,
    /// The message as a JSON value; the reference text is `json`.
    message: Value,
    json: String,
    trytes: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChallengeVector {
    challenge: String,
    root: String,
    secret: String,
    signed_challenge: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExtractJsonVector {
    family: Family,
    name: String,
    /// The value the trytes were built from (`None`: junk).
    built: Option<Value>,
    fragments: Vec<String>,
    /// `JSON.parse(extractJson(bundle))`, `None` where either fails.
    legacy_value: Option<Value>,
    #[serde(default)]
    legacy_error: Option<String>,
}

fn vectors() -> ProtocolVectors {
    let path = std::env::var_os("PROTOCOL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            [
                env!("CARGO_MANIFEST_DIR"),
                "tests",
                "vectors",
                "protocol.json",
            ]
            .iter()
            .collect()
        });
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

fn trytes(text: &str) -> Trytes {
    text.parse()
        .unwrap_or_else(|e| panic!("vector trytes {text:.20}…: {e}"))
}

/// Our encoding of the vector's message is the reference text and trytes,
/// and our decoding of the reference trytes is the message.
fn check_message<T>(vector: &MessageVector)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let name = &vector.name;
    let typed: T = serde_json::from_value(vector.message.clone())
        .unwrap_or_else(|e| panic!("{name}: not a {}: {e}", std::any::type_name::<T>()));
    // Nothing of the reference message was dropped on the way in.
    assert_eq!(
        serde_json::to_value(&typed).expect("to value"),
        vector.message,
        "{name}: fields lost"
    );
    assert_eq!(to_ascii_json(&typed), vector.json, "{name}: JSON text");
    assert_eq!(encode(&typed), trytes(&vector.trytes), "{name}: trytes");
    let decoded: T = decode(&trytes(&vector.trytes))
        .unwrap_or_else(|e| panic!("{name}: reference trytes do not decode: {e}"));
    assert_eq!(decoded, typed, "{name}: decoded");
}

/// Our reading of `trytes` as `family`, as a JSON value to compare with
/// what the legacy reader found.
fn read_as(family: Family, trytes: &Trytes) -> Result<Value, ProtocolError> {
    fn typed<T: Serialize + DeserializeOwned>(trytes: &Trytes) -> Result<Value, ProtocolError> {
        Ok(serde_json::to_value(decode::<T>(trytes)?)?)
    }
    match family {
        Family::Transfer => typed::<TransferMessage>(trytes),
        Family::Device => typed::<DeviceMessage>(trytes),
        Family::Event => typed::<ConsentEvent>(trytes),
        Family::KeyBundle => typed::<KeyBundle>(trytes),
        Family::RotatedKey => typed::<RotatedKey>(trytes),
    }
}

#[test]
fn every_message_encodes_to_the_reference_trytes_and_back() {
    let vectors = vectors();
    assert!(vectors.messages.len() >= 15, "too few message vectors");
    for vector in &vectors.messages {
        match vector.family {
            Family::Transfer => check_message::<TransferMessage>(vector),
            Family::Device => check_message::<DeviceMessage>(vector),
            Family::Event => check_message::<ConsentEvent>(vector),
            Family::KeyBundle => check_message::<KeyBundle>(vector),
            Family::RotatedKey => check_message::<RotatedKey>(vector),
        }
    }
}

#[test]
fn signed_challenges_equal_the_reference_kerl() {
    let vectors = vectors();
    assert!(!vectors.signed_challenges.is_empty());
    for v in &vectors.signed_challenges {
        let challenge: Hash81 = v.challenge.parse().expect("challenge");
        let root: Hash81 = v.root.parse().expect("root");
        let secret: PairingSecret = v.secret.parse().expect("secret");
        assert_eq!(
            signed_challenge(&challenge, &root, &secret).as_str(),
            v.signed_challenge,
            "challenge {} root {}",
            v.challenge,
            v.root
        );
    }
}

#[test]
fn pairing_proofs_equal_the_reference_kerl_and_the_sealed_root_opens() {
    let vectors = vectors();
    assert!(vectors.pairing_proofs.len() >= 3, "too few pairing proofs");
    let hash = |text: &str| -> Hash81 { text.parse().expect("81 trytes") };
    for v in &vectors.pairing_proofs {
        let (sender, nonce, challenge, root) = (
            hash(&v.sender),
            hash(&v.nonce),
            hash(&v.challenge),
            hash(&v.root),
        );
        let secret: PairingSecret = v.secret.parse().expect("secret");
        assert_eq!(
            claim_proof(&sender, &nonce, &secret).as_str(),
            v.claim_proof,
            "claim proof of sender {}",
            v.sender
        );
        assert_eq!(
            signed_challenge(&challenge, &root, &secret).as_str(),
            v.signed_challenge
        );
        let sealed = seal_root(&root, &challenge, &secret, &sender);
        assert_eq!(sealed.as_str(), v.sealed_root, "sealed root of {}", v.root);
        assert_eq!(open_root(&sealed, &challenge, &secret, &sender), root);
        assert_eq!(
            challenge_proof(&nonce, &challenge, &secret).as_str(),
            v.challenge_proof,
            "challenge proof of nonce {}",
            v.nonce
        );
        assert_eq!(
            claim_result_proof(&challenge, ClaimStatus::Ok, &secret).as_str(),
            v.result_proof_ok,
            "OK proof of challenge {}",
            v.challenge
        );
        assert_eq!(
            claim_result_proof(&nonce, ClaimStatus::Nok, &secret).as_str(),
            v.result_proof_nok,
            "NOK proof of nonce {}",
            v.nonce
        );
    }
}

#[test]
fn the_pairing_messages_carry_the_first_pairings_proofs() {
    let vectors = vectors();
    let field = |name: &str, key: &str| -> String {
        let message = vectors
            .messages
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no {name} vector"));
        message.message[key].as_str().expect(key).to_owned()
    };
    let pairing = &vectors.pairing_proofs[0];
    assert_eq!(field("CLAIM_DEVICE", "sender"), pairing.sender);
    assert_eq!(field("CLAIM_DEVICE", "nonce"), pairing.nonce);
    assert_eq!(field("CLAIM_DEVICE", "proof"), pairing.claim_proof);
    assert_eq!(field("CHALLENGE", "challenge"), pairing.challenge);
    assert_eq!(field("CHALLENGE", "proof"), pairing.challenge_proof);
    assert_eq!(field("CLAIM_RESULT OK", "proof"), pairing.result_proof_ok);
    assert_eq!(
        field(
            "CLAIM_RESULT NOK with sender, quotes and non-ASCII",
            "proof"
        ),
        pairing.result_proof_nok
    );
    assert_eq!(
        field("ANSWER_CHALLENGE", "signedChallenge"),
        pairing.signed_challenge
    );
    assert_eq!(field("ANSWER_CHALLENGE", "sealedRoot"), pairing.sealed_root);
    let answer = vectors
        .messages
        .iter()
        .find(|m| m.name == "ANSWER_CHALLENGE")
        .expect("answer");
    assert!(
        answer.message.get("root").is_none(),
        "v2 sends no root in clear"
    );
}

#[test]
fn transfers_read_as_the_legacy_extract_json_reads_them() {
    let vectors = vectors();
    for v in &vectors.extract_json {
        let name = &v.name;
        let mut joined = String::new();
        for fragment in &v.fragments {
            assert_eq!(fragment.len(), 2187, "{name}: fragment length");
            joined.push_str(fragment);
        }
        let trytes = trytes(&joined);
        let untyped = decode::<Value>(&trytes);
        let typed = read_as(v.family, &trytes);
        match &v.legacy_value {
            Some(legacy) => {
                assert!(
                    !READ_ONLY_BY_US.contains(&name.as_str()),
                    "{name}: the legacy reader reads it now"
                );
                assert_eq!(untyped.as_ref().ok(), Some(legacy), "{name}: as JSON");
                assert_eq!(
                    typed.as_ref().ok(),
                    Some(legacy),
                    "{name}: as the message type"
                );
            }
            None if READ_ONLY_BY_US.contains(&name.as_str()) => {
                let built = v.built.as_ref();
                assert!(built.is_some(), "{name}: built from nothing");
                assert_eq!(untyped.as_ref().ok(), built, "{name}: as JSON");
                assert_eq!(typed.as_ref().ok(), built, "{name}: as the message type");
            }
            None => {
                let why = v.legacy_error.as_deref().unwrap_or("");
                assert!(
                    untyped.is_err(),
                    "{name}: legacy reads nothing ({why}), we read {untyped:?}"
                );
                assert!(
                    typed.is_err(),
                    "{name}: legacy reads nothing ({why}), we read {typed:?}"
                );
            }
        }
    }
}
