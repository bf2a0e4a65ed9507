//! Fuzzing sealed-box opening and public-key reading
//! (`consent_protocol::seal`): a provider opens whatever a `MAM_DATA` or
//! `KEY_ROTATION` message hands it, and a device seals to whatever public
//! key an `AUTHORIZED` event names. Whatever those trytes hold, reading and
//! opening return an error or a value and never panic; a box changed on the
//! way never opens (ChaCha20-Poly1305 is authenticated, and NTRU's implicit
//! rejection turns a changed KEM ciphertext into an unrelated key); a box
//! never opens with another key pair; and a public key read writes back as
//! the same trytes.
//!
//! Valid boxes and keys: the committed vectors (`tests/vectors/seal.json`)
//! and boxes sealed here. Cases per property: 512 in a normal run (an NTRU
//! decapsulation takes some 30 µs in a release build), `PROPTEST_CASES` for
//! a long one (README, "Fuzzing").

#![cfg(not(target_arch = "wasm32"))]

#[path = "../../mam-lib/tests/fuzz_support/mod.rs"]
mod fuzz_support;

use std::sync::OnceLock;

use consent_protocol::seal::{
    seal, NtruPublicKey, ProviderKeyPair, SealedBox, MIN_SEALED_BOX_BYTES, PUBLIC_KEY_BYTES,
};
use fuzz_support::{any_trytes, apply, config, edits, mutate_trytes, tryte_edits};
use mam_lib::seed::Seed;
use mam_lib::ternary::Trytes;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorFile {
    key_pairs: Vec<KeyPairVector>,
    sealed_boxes: Vec<SealedBoxVector>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyPairVector {
    seed: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SealedBoxVector {
    seed: String,
    plaintext: String,
    sealed_box: Trytes,
}

/// A box, the key pair it was sealed to (an index into `key_pairs`), and
/// what it holds.
struct ValidBox {
    key_pair: usize,
    sealed: Trytes,
    plaintext: Vec<u8>,
}

struct Valid {
    key_pairs: Vec<ProviderKeyPair>,
    boxes: Vec<ValidBox>,
}

fn valid() -> &'static Valid {
    static VALID: OnceLock<Valid> = OnceLock::new();
    VALID.get_or_init(|| {
        let file: VectorFile =
            serde_json::from_str(include_str!("vectors/seal.json")).expect("seal.json");
        let seeds: Vec<String> = file.key_pairs.into_iter().map(|k| k.seed).collect();
        let key_pairs: Vec<ProviderKeyPair> = seeds
            .iter()
            .map(|seed| ProviderKeyPair::from_seed(&seed.parse::<Seed>().expect("seed")))
            .collect();
        let mut boxes: Vec<ValidBox> = file
            .sealed_boxes
            .into_iter()
            .map(|v| ValidBox {
                key_pair: seeds.iter().position(|s| *s == v.seed).expect("known seed"),
                sealed: v.sealed_box,
                plaintext: v.plaintext.into_bytes(),
            })
            .collect();
        // Fresh boxes of other lengths: one byte, and a long plaintext.
        for (key_pair, plaintext) in [(0, vec![b'x']), (1, vec![0xA5; 700])] {
            let sealed = seal(key_pairs[key_pair].public_key(), &plaintext).expect("seals");
            boxes.push(ValidBox {
                key_pair,
                sealed: sealed.to_trytes(),
                plaintext,
            });
        }
        for b in &boxes {
            let sealed = SealedBox::from_trytes(&b.sealed).expect("vector box");
            assert_eq!(key_pairs[b.key_pair].open(&sealed), Ok(b.plaintext.clone()));
        }
        Valid { key_pairs, boxes }
    })
}

/// Lengths from just short of the shortest box to a long one.
fn box_lengths() -> std::ops::Range<usize> {
    MIN_SEALED_BOX_BYTES - 2..MIN_SEALED_BOX_BYTES + 800
}

/// Byte edits with any byte.
fn byte_edits() -> impl Strategy<Value = Vec<fuzz_support::Edit>> {
    edits(any::<u8>().boxed())
}

/// Opens `trytes` as a box with `key_pair`: `Some` only if they read as a
/// box (which writes back as the same trytes) and it opened.
fn open(key_pair: &ProviderKeyPair, trytes: &Trytes) -> Result<Option<Vec<u8>>, TestCaseError> {
    let Ok(sealed) = SealedBox::from_trytes(trytes) else {
        return Ok(None);
    };
    prop_assert_eq!(&sealed.to_trytes(), trytes, "a box has one spelling");
    Ok(key_pair.open(&sealed).ok())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_trytes_never_open(key_pair in any::<Index>(), trytes in any_trytes(0..4000)) {
        prop_assert_eq!(open(key_pair.get(&valid().key_pairs), &trytes)?, None);
    }

    #[test]
    fn any_bytes_of_a_box_length_never_open(
        key_pair in any::<Index>(),
        bytes in prop::collection::vec(any::<u8>(), box_lengths()),
    ) {
        let trytes = Trytes::from_bytes(&bytes);
        prop_assert_eq!(open(key_pair.get(&valid().key_pairs), &trytes)?, None);
    }

    #[test]
    fn a_changed_box_never_opens(
        sealed in any::<Index>(),
        tryte_edits in tryte_edits(),
        byte_edits in byte_edits(),
        as_bytes in any::<bool>(),
    ) {
        let valid_box = sealed.get(&valid().boxes);
        let changed = if as_bytes {
            let bytes = valid_box.sealed.to_bytes().expect("box bytes");
            Trytes::from_bytes(&apply(&bytes, &byte_edits))
        } else {
            mutate_trytes(&valid_box.sealed, &tryte_edits)
        };
        let opened = open(&valid().key_pairs[valid_box.key_pair], &changed)?;
        if changed == valid_box.sealed {
            prop_assert_eq!(opened, Some(valid_box.plaintext.clone()));
        } else {
            prop_assert_eq!(opened, None, "a changed box opened");
        }
    }

    #[test]
    fn a_box_never_opens_with_another_key_pair(sealed in any::<Index>(), other in 1usize..3) {
        let valid_box = sealed.get(&valid().boxes);
        let key_pairs = &valid().key_pairs;
        let wrong = &key_pairs[(valid_box.key_pair + other) % key_pairs.len()];
        prop_assert_eq!(open(wrong, &valid_box.sealed)?, None);
    }


    #[test]
    fn any_public_key_is_an_error_or_a_key_that_seals(
        bytes in prop::collection::vec(any::<u8>(), PUBLIC_KEY_BYTES - 1..PUBLIC_KEY_BYTES + 2),
        clear_top_bits in any::<bool>(),
        key_pair in any::<Index>(),
    ) {
        let mut bytes = bytes;
        if clear_top_bits {
            if let Some(last) = bytes.get_mut(PUBLIC_KEY_BYTES - 1) {
                *last &= 0x0F;
            }
        }
        check_public_key(&Trytes::from_bytes(&bytes), key_pair.get(&valid().key_pairs))?;
    }

    #[test]
    fn a_changed_public_key_is_an_error_or_a_key_that_seals(
        key_pair in any::<Index>(),
        edits in tryte_edits(),
    ) {
        let key_pair = key_pair.get(&valid().key_pairs);
        let changed = mutate_trytes(&key_pair.public_key().to_trytes(), &edits);
        check_public_key(&changed, key_pair)?;
    }
}

/// Reading `trytes` as a public key never panics; a key read writes back
/// as the same trytes and can be sealed to, and unless it is `key_pair`'s
/// own key, `key_pair` cannot open what is sealed to it.
fn check_public_key(trytes: &Trytes, key_pair: &ProviderKeyPair) -> Result<(), TestCaseError> {
    let Ok(key) = NtruPublicKey::from_trytes(trytes) else {
        return Ok(());
    };
    prop_assert_eq!(&key.to_trytes(), trytes);
    let sealed = seal(&key, b"{\"sideKey\":\"ABC\"}").expect("seals to any key");
    let opened = key_pair.open(&sealed);
    if key == *key_pair.public_key() {
        prop_assert!(opened.is_ok());
    } else {
        prop_assert!(opened.is_err(), "opened a box sealed to another key");
    }
    Ok(())
}
