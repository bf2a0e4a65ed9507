//! The seal's scenarios, and the two NTRU implementations held to each other.

use super::kem::portable;
use super::*;
use mam_lib::seed::Seed;
use mam_lib::ternary::{TernaryError, Trytes};

const SIDE_KEY_JSON: &[u8] = br#"{"sideKey":"ABCDEFGHIJKLMNOPQRSTUVWXYZ9ABCDEFGHIJKLMNOPQRSTUVWXYZ9ABCDEFGHIJKLMNOPQRSTUVWXYZ9"}"#;

fn seed(letter: char) -> Seed {
    letter.to_string().repeat(81).parse().expect("81 trytes")
}

#[test]
fn provider_opens_what_was_sealed_to_it() {
    let provider = ProviderKeyPair::from_seed(&seed('A'));
    let sealed = seal(provider.public_key(), SIDE_KEY_JSON).expect("seal");
    assert_eq!(
        sealed.as_bytes().len(),
        MIN_SEALED_BOX_BYTES + SIDE_KEY_JSON.len()
    );
    assert_eq!(provider.open(&sealed), Ok(SIDE_KEY_JSON.to_vec()));
}

#[test]
fn empty_plaintext_round_trips() {
    let provider = ProviderKeyPair::from_seed(&seed('A'));
    let sealed = seal(provider.public_key(), b"").expect("seal");
    assert_eq!(sealed.as_bytes().len(), MIN_SEALED_BOX_BYTES);
    assert_eq!(provider.open(&sealed), Ok(Vec::new()));
}

#[test]
fn box_survives_its_wire_form() {
    let provider = ProviderKeyPair::from_seed(&seed('B'));
    let sealed = seal(provider.public_key(), SIDE_KEY_JSON).expect("seal");
    let trytes = sealed.to_trytes();
    assert_eq!(trytes.len(), 2 * sealed.as_bytes().len());
    let read = SealedBox::from_trytes(&trytes).expect("wire form");
    assert_eq!(read, sealed);
    assert_eq!(
        sealed.to_string().parse::<SealedBox>().as_ref(),
        Ok(&sealed)
    );
    let json = serde_json::to_string(&sealed).expect("serialize");
    assert_eq!(json, format!("\"{trytes}\""));
    assert_eq!(
        serde_json::from_str::<SealedBox>(&json).ok().as_ref(),
        Some(&sealed)
    );
    assert_eq!(provider.open(&read), Ok(SIDE_KEY_JSON.to_vec()));
}

#[test]
fn two_seals_of_one_plaintext_differ() {
    let provider = ProviderKeyPair::from_seed(&seed('A'));
    let first = seal(provider.public_key(), SIDE_KEY_JSON).expect("seal");
    let second = seal(provider.public_key(), SIDE_KEY_JSON).expect("seal");
    assert_ne!(first, second);
}

#[test]
fn another_provider_cannot_open_the_box() {
    let intended = ProviderKeyPair::from_seed(&seed('A'));
    let other = ProviderKeyPair::from_seed(&seed('B'));
    let sealed = seal(intended.public_key(), SIDE_KEY_JSON).expect("seal");
    assert_eq!(other.open(&sealed), Err(SealError::TagMismatch));
}

#[test]
fn a_changed_byte_anywhere_is_caught() {
    let provider = ProviderKeyPair::from_seed(&seed('A'));
    let sealed = seal(provider.public_key(), SIDE_KEY_JSON).expect("seal");
    let last = sealed.as_bytes().len() - 1;
    // In the KEM ciphertext, the encrypted plaintext and the tag.
    for position in [0, CIPHERTEXT_BYTES - 1, CIPHERTEXT_BYTES, last] {
        let mut bytes = sealed.as_bytes().to_vec();
        bytes[position] ^= 0x01;
        let tampered = SealedBox::from_bytes(&bytes).expect("long enough");
        assert_eq!(
            provider.open(&tampered),
            Err(SealError::TagMismatch),
            "byte {position} changed"
        );
    }
}

#[test]
fn a_box_cut_short_is_refused() {
    let provider = ProviderKeyPair::from_seed(&seed('A'));
    let sealed = seal(provider.public_key(), SIDE_KEY_JSON).expect("seal");
    // Long enough to parse, but missing the end of the plaintext.
    let cut = SealedBox::from_bytes(&sealed.as_bytes()[..sealed.as_bytes().len() - 1])
        .expect("still long enough");
    assert_eq!(provider.open(&cut), Err(SealError::TagMismatch));
    // Too short to be a box at all.
    assert_eq!(
        SealedBox::from_bytes(&sealed.as_bytes()[..MIN_SEALED_BOX_BYTES - 1]),
        Err(SealError::SealedBoxTooShort {
            min: MIN_SEALED_BOX_BYTES,
            actual: MIN_SEALED_BOX_BYTES - 1
        })
    );
}

#[test]
fn garbage_trytes_are_errors_not_panics() {
    assert!(matches!(
        "ABC".parse::<SealedBox>(),
        Err(SealError::Trytes(TernaryError::NotBytes(_)))
    ));
    assert!(matches!(
        "Z".repeat(2 * MIN_SEALED_BOX_BYTES).parse::<SealedBox>(),
        Err(SealError::Trytes(TernaryError::NotBytes(_)))
    ));
    assert!(matches!(
        "abc".parse::<SealedBox>(),
        Err(SealError::Trytes(TernaryError::InvalidTryte { .. }))
    ));
    assert_eq!(
        "9".repeat(20).parse::<SealedBox>(),
        Err(SealError::SealedBoxTooShort {
            min: MIN_SEALED_BOX_BYTES,
            actual: 10
        })
    );
    // Well-formed but random: opens to a tag mismatch.
    let provider = ProviderKeyPair::from_seed(&seed('A'));
    let noise: Vec<u8> = (0..MIN_SEALED_BOX_BYTES + 40)
        .map(|i| (i * 37 % 251) as u8)
        .collect();
    let sealed = SealedBox::from_bytes(&noise).expect("long enough");
    assert_eq!(provider.open(&sealed), Err(SealError::TagMismatch));
}

#[test]
fn public_key_survives_its_wire_form() {
    let provider = ProviderKeyPair::from_seed(&seed('C'));
    let trytes = provider.public_key().to_trytes();
    assert_eq!(trytes.len(), PUBLIC_KEY_TRYTES);
    assert_eq!(
        NtruPublicKey::from_trytes(&trytes).as_ref(),
        Ok(provider.public_key())
    );
    assert_eq!(
        trytes.as_str().parse::<NtruPublicKey>().as_ref(),
        Ok(provider.public_key())
    );
    let json = serde_json::to_string(provider.public_key()).expect("serialize");
    assert_eq!(json, format!("\"{trytes}\""));
    let back: NtruPublicKey = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(&back, provider.public_key());
}

#[test]
fn malformed_public_keys_are_refused() {
    let key = ProviderKeyPair::from_seed(&seed('A')).public_key().clone();
    let bytes = key.as_bytes();
    assert_eq!(
        NtruPublicKey::from_bytes(&bytes[..PUBLIC_KEY_BYTES - 1]),
        Err(SealError::PublicKeyLength {
            expected: PUBLIC_KEY_BYTES,
            actual: PUBLIC_KEY_BYTES - 1
        })
    );
    let mut padded = bytes.to_vec();
    padded[PUBLIC_KEY_BYTES - 1] |= 0x10;
    assert_eq!(
        NtruPublicKey::from_bytes(&padded),
        Err(SealError::PublicKeyNotCanonical)
    );
    let odd: Trytes = "A".repeat(PUBLIC_KEY_TRYTES - 1).parse().expect("trytes");
    assert!(matches!(
        NtruPublicKey::from_trytes(&odd),
        Err(SealError::Trytes(_))
    ));
}

#[test]
fn a_seed_always_gives_the_same_key_pair() {
    let first = ProviderKeyPair::from_seed(&seed('A'));
    let second = ProviderKeyPair::from_seed(&seed('A'));
    assert_eq!(first.public_key(), second.public_key());
    assert_eq!(first.secret_key(), second.secret_key());
}

#[test]
fn different_seeds_give_different_key_pairs() {
    let a = ProviderKeyPair::from_seed(&seed('A'));
    let b = ProviderKeyPair::from_seed(&seed('B'));
    assert_ne!(a.public_key(), b.public_key());
    assert_ne!(a.secret_key(), b.secret_key());
}

#[test]
fn derived_key_pair_is_the_nist_keypair_of_the_hkdf_output() {
    // Recompute the spec's steps by hand, outside `from_seed`.
    let seed = seed('D');
    let entropy = super::kdf::hkdf_sha256::<48>(seed.to_string().as_bytes(), b"ntru-keypair-v1");
    let (public_key, secret_key) = portable::keypair(&mut portable::drbg(&entropy));
    let derived = ProviderKeyPair::from_seed(&seed);
    assert_eq!(derived.public_key().as_bytes(), &public_key);
    assert_eq!(derived.secret_key(), &secret_key);
}

#[test]
fn debug_never_shows_the_secret_key() {
    let provider = ProviderKeyPair::from_seed(&seed('A'));
    let shown = format!("{provider:?}");
    assert!(shown.starts_with("ProviderKeyPair { public_key: NtruPublicKey("));
    assert!(!shown.contains("secret"));
}

/// Natively, PQClean and ntrust-native must agree byte for byte: a box made
/// in the browser opens on the device's side and the other way round.
#[cfg(not(target_arch = "wasm32"))]
mod interop {
    use super::*;
    use crate::seal::kem::{self, pqclean};

    #[test]
    fn derived_key_pair_pqclean_encapsulates_ntrust_decapsulates() {
        let provider = ProviderKeyPair::from_seed(&seed('E'));
        let (ciphertext, sent) =
            pqclean::encapsulate(provider.public_key().as_bytes()).expect("encapsulate");
        let received =
            portable::decapsulate(provider.secret_key(), &ciphertext).expect("decapsulate");
        assert_eq!(received, sent);
        // The derived secret key also works in PQClean: same byte format.
        let received =
            pqclean::decapsulate(provider.secret_key(), &ciphertext).expect("decapsulate");
        assert_eq!(received, sent);
    }

    #[test]
    fn pqclean_key_pair_ntrust_encapsulates_pqclean_decapsulates() {
        let (public_key, secret_key) = pqclean::keypair();
        let (ciphertext, sent) =
            portable::encapsulate(&public_key, &mut portable::system_drbg()).expect("encapsulate");
        let received = pqclean::decapsulate(&secret_key, &ciphertext).expect("decapsulate");
        assert_eq!(received, sent);
        // PQClean's secret key also works in ntrust-native: same byte format.
        let received = portable::decapsulate(&secret_key, &ciphertext).expect("decapsulate");
        assert_eq!(received, sent);
    }

    #[test]
    fn pqclean_key_pair_is_canonical() {
        for _ in 0..8 {
            let (public_key, _) = pqclean::keypair();
            assert!(NtruPublicKey::from_bytes(&public_key).is_ok());
        }
    }

    #[test]
    fn box_sealed_in_the_browser_opens_natively() {
        let provider = ProviderKeyPair::from_seed(&seed('F'));
        let encapsulation = portable::encapsulate(
            provider.public_key().as_bytes(),
            &mut portable::system_drbg(),
        )
        .expect("encapsulate");
        let sealed = SealedBox::assemble(encapsulation, SIDE_KEY_JSON).expect("seal");
        assert_eq!(provider.open(&sealed), Ok(SIDE_KEY_JSON.to_vec()));
    }

    #[test]
    fn box_sealed_natively_opens_in_the_browser() {
        let provider = ProviderKeyPair::from_seed(&seed('F'));
        let sealed = seal(provider.public_key(), SIDE_KEY_JSON).expect("seal");
        let shared = portable::decapsulate(provider.secret_key(), sealed.kem_ciphertext())
            .expect("decapsulate");
        assert_eq!(sealed.open_with(&shared), Ok(SIDE_KEY_JSON.to_vec()));
    }

    #[test]
    fn native_backend_is_pqclean() {
        // `kem::encapsulate` is what `seal` uses; its ciphertexts open in both.
        let provider = ProviderKeyPair::from_seed(&seed('G'));
        let (ciphertext, sent) = kem::encapsulate(provider.public_key().as_bytes()).expect("kem");
        assert_eq!(
            pqclean::decapsulate(provider.secret_key(), &ciphertext),
            Ok(sent)
        );
    }
}
