//! Fuzzing the protocol readers (`consent_protocol::decode` into
//! `TransferMessage`, `ConsentEvent`, `DeviceMessage`, and the sealed
//! `KeyBundle` and `RotatedKey`): their trytes come from anyone who can
//! send a transfer or write a channel, so whatever they hold, reading
//! returns an error or a message and never panics; and whatever reads as a
//! message writes and reads back as the same message.
//!
//! Inputs: random trytes and bytes; the committed wire-format vectors
//! (`tests/vectors/protocol.json`: every message type, and transfers laid
//! out in fragments with junk after them) with trytes edited; and the same
//! messages edited as JSON — a value of the wrong type, a huge number, deep
//! nesting, odd escapes and non-ASCII text, members dropped, renamed or
//! repeated — then bytes edited on top. Cases per property: 1024 in a
//! normal run, `PROPTEST_CASES` for a long one (README, "Fuzzing").

#![cfg(not(target_arch = "wasm32"))]

#[path = "../../mam-lib/tests/fuzz_support/mod.rs"]
mod fuzz_support;

use std::fmt::Debug;
use std::sync::OnceLock;

use consent_protocol::{
    decode, encode, encode_transfer, ConsentEvent, DeviceMessage, KeyBundle, RotatedKey,
    TransferMessage,
};
use fuzz_support::{
    any_trytes, apply, apply_json, config, json_byte_edits, json_edit, mutate_trytes, tryte_edits,
    Edit, JsonEdit,
};
use mam_lib::ternary::Trytes;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorFile {
    messages: Vec<MessageVector>,
    extract_json: Vec<ExtractJsonVector>,
}

#[derive(Deserialize)]
struct MessageVector {
    message: Value,
    trytes: Trytes,
}

#[derive(Deserialize)]
struct ExtractJsonVector {
    fragments: Vec<Trytes>,
}

/// Valid messages as trytes (alone, and laid out in transfer fragments)
/// and as JSON values.
struct Valid {
    trytes: Vec<Trytes>,
    json: Vec<Value>,
}

fn valid() -> &'static Valid {
    static VALID: OnceLock<Valid> = OnceLock::new();
    VALID.get_or_init(|| {
        let file: VectorFile =
            serde_json::from_str(include_str!("vectors/protocol.json")).expect("protocol.json");
        let mut trytes: Vec<Trytes> = file.messages.iter().map(|m| m.trytes.clone()).collect();
        trytes.extend(file.extract_json.into_iter().map(|v| {
            let mut joined = Trytes::new();
            v.fragments.iter().for_each(|f| joined.push_trytes(f));
            joined
        }));
        let json = file.messages.into_iter().map(|m| m.message).collect();
        Valid { trytes, json }
    })
}

/// Reading `trytes` as `T` never panics, and a message read writes back
/// (as a MAM message and as a transfer) and reads as itself.
fn check_reads_back<T>(trytes: &Trytes) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug + Clone,
{
    if let Ok(message) = decode::<T>(trytes) {
        for written in [encode(&message), encode_transfer(&message)] {
            prop_assert_eq!(decode::<T>(&written).ok(), Some(&message).cloned());
        }
    }
    Ok(())
}

/// Every reader of the protocol on the same trytes: a message of one family
/// must be no trouble to the readers of the others.
fn check_every_reader(trytes: &Trytes) -> Result<(), TestCaseError> {
    check_reads_back::<TransferMessage>(trytes)?;
    check_reads_back::<ConsentEvent>(trytes)?;
    check_reads_back::<DeviceMessage>(trytes)?;
    check_reads_back::<KeyBundle>(trytes)?;
    check_reads_back::<RotatedKey>(trytes)
}

/// A valid message edited as JSON, then as bytes.
fn edited_json(message: &Index, edit: &JsonEdit, byte_edits: &[Edit]) -> Trytes {
    let text = apply_json(message.get(&valid().json), edit);
    Trytes::from_bytes(&apply(text.as_bytes(), byte_edits))
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn any_trytes_are_an_error_or_a_message(trytes in any_trytes(0..3000)) {
        check_every_reader(&trytes)?;
    }

    #[test]
    fn any_bytes_are_an_error_or_a_message(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check_every_reader(&Trytes::from_bytes(&bytes))?;
    }

    #[test]
    fn changed_messages_are_an_error_or_a_message(
        message in any::<Index>(),
        edits in tryte_edits(),
    ) {
        check_every_reader(&mutate_trytes(message.get(&valid().trytes), &edits))?;
    }

    #[test]
    fn messages_changed_as_json_are_an_error_or_a_message(
        message in any::<Index>(),
        edit in json_edit(),
        byte_edits in prop_oneof![3 => Just(Vec::new()), 1 => json_byte_edits()],
    ) {
        check_every_reader(&edited_json(&message, &edit, &byte_edits))?;
    }
}

#[test]
fn valid_messages_read_back() {
    for trytes in &valid().trytes {
        check_every_reader(trytes).expect("reads back");
    }
}
