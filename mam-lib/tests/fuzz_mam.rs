//! Fuzzing the MAM reader (`mam_lib::mam::parse`): payloads come from the
//! node, so whatever they hold, parsing returns an error or a message and
//! never panics; and a payload changed on the way never verifies as another
//! message (it fails, or — if the change only hit what the signature does
//! not cover, such as padding — reads as the same message).
//!
//! Valid payloads are the committed `@iota/mam` and `@iota/mam.js` vectors
//! (`tests/vectors/mam.json`: public, private and restricted channels,
//! security 1 to 3, trees with siblings). Cases per property: 512 in a
//! normal run, `PROPTEST_CASES` for a long one (README, "Fuzzing").

#![cfg(not(target_arch = "wasm32"))]

mod fuzz_support;

use std::sync::OnceLock;

use fuzz_support::{any_trytes, config, mutate_trytes, tryte_edits};
use mam_lib::mam::{parse, Mode, ParsedMessage, SideKey};
use mam_lib::ternary::Trytes;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::Deserialize;

#[derive(Deserialize)]
struct VectorFile {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vector {
    mode: String,
    side_key: Option<String>,
    references: std::collections::BTreeMap<String, Reference>,
}

#[derive(Deserialize)]
struct Reference {
    root: Option<String>,
    payload: Option<String>,
}

/// A payload one of the reference libraries wrote, and what it reads as.
struct ValidMessage {
    mode: Mode,
    root: Trytes,
    side_key: Option<SideKey>,
    payload: Trytes,
    parsed: ParsedMessage,
}

fn valid_messages() -> &'static [ValidMessage] {
    static MESSAGES: OnceLock<Vec<ValidMessage>> = OnceLock::new();
    MESSAGES.get_or_init(|| {
        let file: VectorFile =
            serde_json::from_str(include_str!("vectors/mam.json")).expect("mam.json");
        let mut messages = Vec::new();
        for vector in file.vectors {
            let mode: Mode = vector.mode.parse().expect("mode");
            let side_key = vector
                .side_key
                .map(|key| key.parse::<SideKey>().expect("side key"));
            for reference in vector.references.into_values() {
                let (Some(root), Some(payload)) = (reference.root, reference.payload) else {
                    continue;
                };
                let root: Trytes = root.parse().expect("root");
                let payload: Trytes = payload.parse().expect("payload");
                let parsed = parse(&payload, &root, side_key.as_ref()).expect("vector parses");
                messages.push(ValidMessage {
                    mode,
                    root,
                    side_key: side_key.clone(),
                    payload,
                    parsed,
                });
            }
        }
        assert!(messages.len() >= 80, "only {} vectors", messages.len());
        messages
    })
}

fn side_key_of(trytes: Trytes) -> SideKey {
    SideKey::from_trytes(trytes).expect("at most 81 trytes")
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_payload_under_any_root_is_an_error_or_a_message(
        payload in any_trytes(0..7000),
        root in prop_oneof![4 => any_trytes(81..82), 1 => any_trytes(0..120)],
        side_key in proptest::option::of(any_trytes(0..82)),
    ) {
        let side_key = side_key.map(side_key_of);
        let _ = parse(&payload, &root, side_key.as_ref());
    }

    #[test]
    fn any_payload_under_a_real_root_is_an_error_or_a_message(
        message in any::<Index>(),
        payload in any_trytes(0..7000),
    ) {
        let valid = message.get(valid_messages());
        let _ = parse(&payload, &valid.root, valid.side_key.as_ref());
    }


    #[test]
    fn a_changed_payload_never_verifies_as_another_message(
        message in any::<Index>(),
        edits in tryte_edits(),
    ) {
        let valid = message.get(valid_messages());
        let changed = mutate_trytes(&valid.payload, &edits);
        if let Ok(parsed) = parse(&changed, &valid.root, valid.side_key.as_ref()) {
            prop_assert_eq!(parsed, valid.parsed.clone());
        }
    }


    #[test]
    fn a_wrong_side_key_never_verifies(
        message in any::<Index>(),
        key in any_trytes(0..82),
        drop_key in any::<bool>(),
    ) {
        let valid = message.get(valid_messages());
        let wrong = match (valid.mode, drop_key) {
            (Mode::Restricted, true) => None,
            _ => Some(side_key_of(key)),
        };
        let right = valid.side_key.clone().unwrap_or_else(|| side_key_of(Trytes::new()));
        let result = parse(&valid.payload, &valid.root, wrong.as_ref());
        if wrong.as_ref().is_some_and(|key| *key == right) {
            prop_assert_eq!(result, Ok(valid.parsed.clone()));
        } else {
            prop_assert!(result.is_err(), "{:?} read with a wrong side key", valid.mode);
        }
    }

    #[test]
    fn a_wrong_root_never_verifies(
        message in any::<Index>(),
        edits in tryte_edits(),
    ) {
        let valid = message.get(valid_messages());
        let root = mutate_trytes(&valid.root, &edits);
        let result = parse(&valid.payload, &root, valid.side_key.as_ref());
        if root == valid.root {
            prop_assert_eq!(result, Ok(valid.parsed.clone()));
        } else {
            prop_assert!(result.is_err(), "read under a changed root");
        }
    }
}
