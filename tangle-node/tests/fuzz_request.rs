//! Fuzzing the node's request reader (`tangle_node::api::request::parse`,
//! request body → typed command): bodies come from any client on the
//! network, so whatever they hold, parsing returns a command or a bad
//! request (HTTP 400, never a panic or a server error), and a command comes
//! only out of a JSON object that names it.
//!
//! Inputs: random bytes; valid requests for every command, with random
//! hashes and transactions, which must parse as their command; and those
//! requests edited as bytes and as JSON — a value of the wrong type, a huge
//! number, deep nesting, odd escapes, members dropped, renamed or repeated.
//! The test goes through the one public entry point only, so it moves as
//! it is if the IRI wire types move to a crate of their own. Cases per
//! property: 1024 in a normal run, `PROPTEST_CASES` for a long one (README,
//! "Fuzzing").

#[path = "../../mam-lib/tests/fuzz_support/mod.rs"]
mod fuzz_support;

use fuzz_support::{any_trytes, apply, apply_json, config, json_byte_edits, json_edit, Edit};
use mam_lib::transaction::TRANSACTION_TRYTES;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Value};
use tangle_node::api::request::{parse, COMMANDS};
use tangle_node::api::ApiError;

/// Parsing `body` never panics; it is a bad request, or a command named by
/// the JSON object the body is.
fn check_parse(body: &[u8]) -> Result<(), TestCaseError> {
    match parse(body) {
        Ok(request) => {
            let first = body.iter().find(|b| !b.is_ascii_whitespace());
            prop_assert_eq!(
                first,
                Some(&b'{'),
                "a command out of a body that is no object"
            );
            // (serde_json's own `Value` reader is stricter about strings the
            // request reader skips, so only a body it reads is checked.)
            if let Ok(value) = serde_json::from_slice::<Value>(body) {
                prop_assert_eq!(
                    value.get("command").and_then(Value::as_str),
                    Some(request.command())
                );
            }
        }
        Err(error) => prop_assert!(
            matches!(error, ApiError::BadRequest(_)),
            "not a bad request: {:?}",
            error
        ),
    }
    Ok(())
}

/// Random material for a request: hashes, tags, transactions, a number.
#[derive(Debug, Clone)]
struct Material {
    hashes: Vec<String>,
    tags: Vec<String>,
    transactions: Vec<String>,
    number: u64,
}

fn material() -> impl Strategy<Value = Material> {
    (
        prop::collection::vec(any_trytes(81..82), 0..4),
        prop::collection::vec(any_trytes(0..28), 0..3),
        prop::collection::vec(any_trytes(TRANSACTION_TRYTES..TRANSACTION_TRYTES + 1), 0..3),
        0u64..30,
    )
        .prop_map(|(hashes, tags, transactions, number)| Material {
            hashes: hashes.iter().map(ToString::to_string).collect(),
            tags: tags.iter().map(ToString::to_string).collect(),
            transactions: transactions.iter().map(ToString::to_string).collect(),
            number,
        })
}

/// A valid request for `command`, as IRI clients send it.
fn request(command: &str, m: &Material) -> Value {
    let hash = m.hashes.first().cloned().unwrap_or_else(|| "9".repeat(81));
    match command {
        "getTransactionsToApprove" => {
            json!({"command": command, "depth": m.number, "reference": hash})
        }
        "attachToTangle" => json!({
            "command": command,
            "trunkTransaction": hash,
            "branchTransaction": hash,
            "minWeightMagnitude": m.number,
            "trytes": m.transactions,
        }),
        "storeTransactions" | "broadcastTransactions" => {
            json!({"command": command, "trytes": m.transactions})
        }
        "findTransactions" => json!({
            "command": command,
            "addresses": m.hashes,
            "bundles": m.hashes,
            "tags": m.tags,
            "approvees": m.hashes,
        }),
        "getTrytes" => json!({"command": command, "hashes": m.hashes}),
        "getBalances" => json!({
            "command": command,
            "addresses": m.hashes,
            "threshold": 100,
            "tips": m.hashes,
        }),
        "wereAddressesSpentFrom" => json!({"command": command, "addresses": m.hashes}),
        "getInclusionStates" => {
            json!({"command": command, "transactions": m.hashes, "tips": m.hashes})
        }
        "checkConsistency" => json!({"command": command, "tails": m.hashes}),
        _ => json!({"command": command}),
    }
}

fn command() -> impl Strategy<Value = &'static str> {
    select(COMMANDS)
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn any_bytes_are_a_command_or_a_bad_request(
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            "\\{\"command\":\"[a-zA-Z]{0,30}\"(,\"[a-zA-Z]{1,20}\":.{0,40})?\\}"
                .prop_map(String::into_bytes),
        ],
    ) {
        check_parse(&body)?;
    }

    #[test]
    fn valid_requests_are_their_command(command in command(), material in material()) {
        let body = request(command, &material).to_string();
        let parsed = parse(body.as_bytes());
        prop_assert_eq!(parsed.map(|r| r.command()), Ok(command));
    }

    #[test]
    fn changed_requests_are_a_command_or_a_bad_request(
        command in command(),
        material in material(),
        edits in json_byte_edits(),
    ) {
        let body = request(command, &material).to_string();
        check_parse(&apply(body.as_bytes(), &edits))?;
    }

    #[test]
    fn requests_changed_as_json_are_a_command_or_a_bad_request(
        command in command(),
        material in material(),
        edit in json_edit(),
        byte_edits in prop_oneof![3 => Just(Vec::<Edit>::new()), 1 => json_byte_edits()],
    ) {
        let body = apply_json(&request(command, &material), &edit);
        check_parse(&apply(body.as_bytes(), &byte_edits))?;
    }
}
