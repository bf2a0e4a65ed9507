//! Known answers for NTRU sealing (`consent_protocol::seal`), in
//! `tests/vectors/seal.json`: the key pair each seed derives (HKDF entropy,
//! SHA-256 and wire form of the public key) and boxes sealed once to those
//! keys, which must keep opening. An independent implementation of the
//! ARCHITECTURE.md "NTRU" section can check itself against the same file.
//!
//! The file is written by the ignored test below, never by hand:
//! `cargo test -p consent-protocol --release --test seal_vectors -- --ignored`.
//! Regenerating changes every sealed box (sealing is randomized) but no key.

use std::path::PathBuf;

use consent_protocol::seal::{seal, ProviderKeyPair, SealError, SealedBox, KEYPAIR_INFO};
use hkdf::Hkdf;
use mam_lib::seed::Seed;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorFile {
    about: String,
    key_pairs: Vec<KeyPairVector>,
    sealed_boxes: Vec<SealedBoxVector>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyPairVector {
    seed: String,
    /// HKDF-SHA256(salt: none, ikm: seed, info: "ntru-keypair-v1"), the DRBG's entropy input.
    keypair_entropy_hex: String,
    public_key_sha256_hex: String,
    public_key_trytes: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SealedBoxVector {
    /// The recipient's seed (one of `keyPairs`).
    seed: String,
    plaintext: String,
    sealed_box: String,
}

/// Seeds: all `9`s, the alphabet, and one that looks like a real seed.
const SEEDS: [&str; 3] = [
    "999999999999999999999999999999999999999999999999999999999999999999999999999999999",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ9ABCDEFGHIJKLMNOPQRSTUVWXYZ9ABCDEFGHIJKLMNOPQRSTUVWXYZ9",
    "WATTTINSIGHTS9PROVIDER9SEED9QJXKZUVHMRTBCLNWDEOAYFPGSI9QWERTYUIOPASDFGHJKLZXCVBNM",
];

/// What devices seal: `MAM_DATA`'s keys (protocol v2: bound to the policy
/// and the provider's request nonce), a rotation's side key, and nothing.
const PLAINTEXTS: [&str; 3] = [
    r#"{"root":"RJPFNRQHCBSPDVWMTGNHZERHOUMKHDVQJKRQYXHEHDXRCSGGHJSAIHLGZJAIMXEVRRAIKHTPRNJGSMDCE","sideKey":"KZNFGLHDJWTRYPVCSXMBQAUOEIZJKLMNOPQRSTUVWXYZ9ABCDEFGHIJKLMNOPQRSTUVWXYZ9ABCDEFGHI","policyId":"policy-7f3a9c","requestNonce":"NONCEQWERTYUIOPASDFGHJKLZXCVBNM9QWERTYUIOPASDFGHJKLZXCVBNM9QWERTYUIOPASDFGHJKLZXC"}"#,
    r#"{"sideKey":"QWERTYUIOPASDFGHJKLZXCVBNM9QWERTYUIOPASDFGHJKLZXCVBNM9QWERTYUIOPASDFGHJKLZXCVBNM9"}"#,
    "",
];

fn vector_path() -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "tests", "vectors", "seal.json"]
        .iter()
        .collect()
}

fn vectors() -> VectorFile {
    let path = vector_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

fn seed(text: &str) -> Seed {
    text.parse()
        .unwrap_or_else(|e| panic!("vector seed {text:.9}…: {e}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The spec's first step, written out here independently of the library.
fn keypair_entropy(seed: &str) -> [u8; 48] {
    let mut entropy = [0u8; 48];
    Hkdf::<Sha256>::new(None, seed.as_bytes())
        .expand(KEYPAIR_INFO, &mut entropy)
        .expect("48 bytes");
    entropy
}

#[test]
fn seal_key_pairs_from_seeds_match_the_vectors() {
    let file = vectors();
    assert_eq!(file.key_pairs.len(), SEEDS.len());
    for vector in &file.key_pairs {
        assert_eq!(
            hex(&keypair_entropy(&vector.seed)),
            vector.keypair_entropy_hex
        );
        let key_pair = ProviderKeyPair::from_seed(&seed(&vector.seed));
        let public_key = key_pair.public_key();
        assert_eq!(
            hex(&Sha256::digest(public_key.as_bytes())),
            vector.public_key_sha256_hex,
            "public key of seed {:.9}…",
            vector.seed
        );
        assert_eq!(public_key.to_trytes().as_str(), vector.public_key_trytes);
        assert_eq!(vector.public_key_trytes.parse().as_ref(), Ok(public_key));
    }
}

#[test]
fn sealed_boxes_in_the_vectors_open_with_their_key_pair_only() {
    let file = vectors();
    assert_eq!(file.sealed_boxes.len(), PLAINTEXTS.len());
    for (index, vector) in file.sealed_boxes.iter().enumerate() {
        let sealed: SealedBox = vector.sealed_box.parse().expect("sealed box trytes");
        let recipient = ProviderKeyPair::from_seed(&seed(&vector.seed));
        assert_eq!(
            recipient.open(&sealed),
            Ok(vector.plaintext.as_bytes().to_vec()),
            "box {index}"
        );
        let other = file
            .key_pairs
            .iter()
            .find(|k| k.seed != vector.seed)
            .expect("a second seed");
        assert_eq!(
            ProviderKeyPair::from_seed(&seed(&other.seed)).open(&sealed),
            Err(SealError::TagMismatch),
            "box {index} opened with another key"
        );
    }
}

#[test]
#[ignore = "writes tests/vectors/seal.json; run on purpose after a deliberate format change"]
fn regenerate_seal_vectors() {
    let key_pairs = SEEDS
        .iter()
        .map(|&text| {
            let public_key = ProviderKeyPair::from_seed(&seed(text)).public_key().clone();
            KeyPairVector {
                seed: text.to_owned(),
                keypair_entropy_hex: hex(&keypair_entropy(text)),
                public_key_sha256_hex: hex(&Sha256::digest(public_key.as_bytes())),
                public_key_trytes: public_key.to_trytes().to_string(),
            }
        })
        .collect();
    let sealed_boxes = SEEDS
        .iter()
        .zip(PLAINTEXTS)
        .map(|(&text, plaintext)| {
            let recipient = ProviderKeyPair::from_seed(&seed(text));
            let sealed = seal(recipient.public_key(), plaintext.as_bytes()).expect("seal");
            SealedBoxVector {
                seed: text.to_owned(),
                plaintext: plaintext.to_owned(),
                sealed_box: sealed.to_trytes().to_string(),
            }
        })
        .collect();
    let file = VectorFile {
        about: "NTRU sealing (ARCHITECTURE.md, \"NTRU\"): ntruhps2048677 key pairs derived from \
                seeds, and sealed boxes kem_ciphertext || ChaCha20-Poly1305(HKDF-SHA256(shared \
                secret, \"mam-seal-v1\")) in two trytes per byte. Written by `cargo test -p \
                consent-protocol --release --test seal_vectors -- --ignored`."
            .to_owned(),
        key_pairs,
        sealed_boxes,
    };
    let text = serde_json::to_string_pretty(&file).expect("json") + "\n";
    std::fs::write(vector_path(), text).expect("writing tests/vectors/seal.json");
}
