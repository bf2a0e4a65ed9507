//! Request bodies parsed into typed commands: every tryte string is checked
//! for its alphabet and length here, at the edge, with a message that names
//! the parameter (and the list position) that is wrong.

use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::transaction::TransactionTrytes;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

use super::ApiError;

/// The commands this node answers, in the order of the IRI documentation.
pub const COMMANDS: &[&str] = &[
    "getNodeInfo",
    "getTips",
    "getTransactionsToApprove",
    "attachToTangle",
    "interruptAttachingToTangle",
    "storeTransactions",
    "broadcastTransactions",
    "findTransactions",
    "getTrytes",
    "getBalances",
    "wereAddressesSpentFrom",
    "getInclusionStates",
    "checkConsistency",
    "getNeighbors",
];

/// One API request, parsed and with every tryte string checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `getNodeInfo`.
    GetNodeInfo,
    /// `getTips`.
    GetTips,
    /// `getTransactionsToApprove`.
    GetTransactionsToApprove(GetTransactionsToApprove),
    /// `attachToTangle`.
    AttachToTangle(AttachToTangle),
    /// `interruptAttachingToTangle`.
    InterruptAttachingToTangle,
    /// `storeTransactions`.
    StoreTransactions(TransactionList),
    /// `broadcastTransactions`: on a node without neighbours, the same as
    /// storing.
    BroadcastTransactions(TransactionList),
    /// `findTransactions`.
    FindTransactions(FindTransactions),
    /// `getTrytes`.
    GetTrytes(GetTrytes),
    /// `getBalances`.
    GetBalances(GetBalances),
    /// `wereAddressesSpentFrom`.
    WereAddressesSpentFrom(AddressList),
    /// `getInclusionStates`.
    GetInclusionStates(GetInclusionStates),
    /// `checkConsistency`.
    CheckConsistency(Tails),
    /// `getNeighbors`: a private tangle has none.
    GetNeighbors,
}

impl Request {
    /// The command's name as the API spells it.
    pub fn command(&self) -> &'static str {
        match self {
            Request::GetNodeInfo => "getNodeInfo",
            Request::GetTips => "getTips",
            Request::GetTransactionsToApprove(_) => "getTransactionsToApprove",
            Request::AttachToTangle(_) => "attachToTangle",
            Request::InterruptAttachingToTangle => "interruptAttachingToTangle",
            Request::StoreTransactions(_) => "storeTransactions",
            Request::BroadcastTransactions(_) => "broadcastTransactions",
            Request::FindTransactions(_) => "findTransactions",
            Request::GetTrytes(_) => "getTrytes",
            Request::GetBalances(_) => "getBalances",
            Request::WereAddressesSpentFrom(_) => "wereAddressesSpentFrom",
            Request::GetInclusionStates(_) => "getInclusionStates",
            Request::CheckConsistency(_) => "checkConsistency",
            Request::GetNeighbors => "getNeighbors",
        }
    }
}

/// Parameters of `getTransactionsToApprove`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GetTransactionsToApprove {
    /// How many milestones back the random walk would start (checked against
    /// the node's maximum; there are no milestones here).
    #[serde(deserialize_with = "integer")]
    pub depth: u64,
    /// A transaction the new one should approve.
    #[serde(default)]
    pub reference: Option<Hash81>,
}

/// Parameters of `attachToTangle`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachToTangle {
    /// The trunk of the bundle's last transaction.
    pub trunk_transaction: Hash81,
    /// The branch of the bundle's last transaction; the others take
    /// `trunk_transaction` as their branch.
    pub branch_transaction: Hash81,
    /// The weight the nonce search must reach.
    #[serde(deserialize_with = "integer")]
    pub min_weight_magnitude: u64,
    /// The transactions, last index first (as `prepareTransfers` returns
    /// them).
    pub trytes: Vec<TransactionTrytes>,
}

/// Parameters of `storeTransactions` and `broadcastTransactions`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TransactionList {
    /// Attached transactions (with proof of work).
    pub trytes: Vec<TransactionTrytes>,
}

/// Parameters of `findTransactions`: each list present narrows the result
/// to transactions matching one of its values (several lists: the
/// intersection, as IRI does).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FindTransactions {
    /// Addresses, without checksum.
    #[serde(default)]
    pub addresses: Option<Vec<Hash81>>,
    /// Bundle hashes.
    #[serde(default)]
    pub bundles: Option<Vec<Hash81>>,
    /// Tags (up to 27 trytes, padded with `9`).
    #[serde(default)]
    pub tags: Option<Vec<TagQuery>>,
    /// Transactions whose approvers (as trunk or branch) are wanted.
    #[serde(default)]
    pub approvees: Option<Vec<Hash81>>,
}

/// Parameters of `checkConsistency`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Tails {
    /// Tail transaction hashes.
    pub tails: Vec<Hash81>,
}

/// Parameters of `getTrytes`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GetTrytes {
    /// Transaction hashes.
    pub hashes: Vec<Hash81>,
}

/// Parameters of `getBalances`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GetBalances {
    /// Addresses, without checksum.
    pub addresses: Vec<Hash81>,
    /// Confirmation threshold in percent (1..=100); optional, as
    /// `@iota/core` 1.0.0-beta.30 does not send it.
    #[serde(default, deserialize_with = "optional_integer")]
    pub threshold: Option<u64>,
    /// Tips the balance is seen from; echoed back as `references`.
    #[serde(default)]
    pub tips: Option<Vec<Hash81>>,
}

/// Parameters of `wereAddressesSpentFrom`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AddressList {
    /// Addresses, without checksum.
    pub addresses: Vec<Hash81>,
}

/// Parameters of `getInclusionStates`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GetInclusionStates {
    /// Transaction hashes.
    pub transactions: Vec<Hash81>,
    /// Tips (or milestones) to check against; optional, as `@iota/core`
    /// 1.0.0-beta.30 does not send them.
    #[serde(default)]
    pub tips: Option<Vec<Hash81>>,
}

/// A tag to search for: up to 27 trytes, padded with `9` (IRI also takes
/// the 81-tryte form it indexes, so trailing `9`s past 27 are accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagQuery(pub Tag27);

impl<'de> Deserialize<'de> for TagQuery {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let trytes = Trytes::deserialize(deserializer)?;
        let significant = trytes.trim_nines().len();
        if significant > 27 {
            return Err(D::Error::custom(format!(
                "a tag has at most 27 trytes, got {significant}"
            )));
        }
        let head = trytes
            .slice(0..significant)
            .ok_or_else(|| D::Error::custom("tag slicing failed"))?;
        Tag27::padded(head).map(TagQuery).map_err(D::Error::custom)
    }
}

/// Accepts a JSON number that is a non-negative integer, also written as a
/// float (`3.0`), as IRI's JSON parser does.
fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    if let Some(n) = number.as_u64() {
        return Ok(n);
    }
    match number.as_f64() {
        Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= u32::MAX as f64 => Ok(f as u64),
        _ => Err(D::Error::custom(format!(
            "expected a non-negative integer, got {number}"
        ))),
    }
}

fn optional_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapper(#[serde(deserialize_with = "integer")] u64);
    Option::<Wrapper>::deserialize(deserializer).map(|w| w.map(|Wrapper(n)| n))
}

/// Just the command name; the other fields are skipped without allocating.
#[derive(Deserialize)]
struct Envelope {
    command: Option<String>,
}

/// Parses a request body.
pub fn parse(body: &[u8]) -> Result<Request, ApiError> {
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            ApiError::bad_request(format!(
                "the body must be a JSON object with a string \"command\": {e}"
            ))
        } else {
            ApiError::bad_request(format!("invalid JSON in the request body: {e}"))
        }
    })?;
    // serde would also read `["getNodeInfo"]` as the struct; IRI would not.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::bad_request(
            "the body must be a JSON object like {\"command\": \"getNodeInfo\"}",
        ));
    }
    let command = envelope.command.ok_or_else(|| {
        ApiError::bad_request(
            "COMMAND parameter has not been specified in the request: \
             send a JSON object like {\"command\": \"getNodeInfo\"}",
        )
    })?;
    Ok(match command.as_str() {
        "getNodeInfo" => Request::GetNodeInfo,
        "getTips" => Request::GetTips,
        "getTransactionsToApprove" => {
            Request::GetTransactionsToApprove(parameters(&command, body)?)
        }
        "attachToTangle" => Request::AttachToTangle(parameters(&command, body)?),
        "interruptAttachingToTangle" => Request::InterruptAttachingToTangle,
        "storeTransactions" => Request::StoreTransactions(parameters(&command, body)?),
        "broadcastTransactions" => Request::BroadcastTransactions(parameters(&command, body)?),
        "findTransactions" => Request::FindTransactions(parameters(&command, body)?),
        "getTrytes" => Request::GetTrytes(parameters(&command, body)?),
        "getBalances" => Request::GetBalances(parameters(&command, body)?),
        "wereAddressesSpentFrom" => Request::WereAddressesSpentFrom(parameters(&command, body)?),
        "getInclusionStates" => Request::GetInclusionStates(parameters(&command, body)?),
        "checkConsistency" => Request::CheckConsistency(parameters(&command, body)?),
        "getNeighbors" => Request::GetNeighbors,
        other => {
            return Err(ApiError::bad_request(format!(
                "Command [{other}] is unknown; this node answers {}",
                COMMANDS.join(", ")
            )))
        }
    })
}

/// Parses the body again as the command's parameters, naming the parameter
/// (such as `trytes[3]`) that is wrong.
fn parameters<T: DeserializeOwned>(command: &str, body: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            ApiError::bad_request(format!("{command}: {}", e.inner()))
        } else {
            ApiError::bad_request(format!("{command}: invalid {path}: {}", e.inner()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mam_lib::transaction::TRANSACTION_TRYTES;

    fn error_of(body: &str) -> String {
        match parse(body.as_bytes()) {
            Err(ApiError::BadRequest(message)) => message,
            other => panic!("expected a bad request, got {other:?}"),
        }
    }

    #[test]
    fn node_info_ignores_extra_fields() {
        assert_eq!(
            parse(br#"{"command":"getNodeInfo","extra":[1,2]}"#),
            Ok(Request::GetNodeInfo)
        );
    }

    #[test]
    fn malformed_json_is_named() {
        assert!(error_of("{\"command\":").contains("invalid JSON"));
        assert!(error_of("[1]").contains("JSON object"));
        assert!(error_of("{}").contains("COMMAND parameter"));
        assert!(error_of(r#"{"command":"mine"}"#).contains("Command [mine] is unknown"));
    }

    #[test]
    fn a_bad_transaction_is_named_by_position() {
        let good = "9".repeat(TRANSACTION_TRYTES);
        let body = format!(r#"{{"command":"storeTransactions","trytes":["{good}","9ab"]}}"#);
        let message = error_of(&body);
        assert!(message.contains("trytes[1]"), "{message}");
        assert!(message.contains("invalid tryte character 'a'"), "{message}");
        let body = format!(
            r#"{{"command":"storeTransactions","trytes":["{}"]}}"#,
            &good[1..]
        );
        assert!(error_of(&body).contains("expected 2673 trytes, got 2672"));
    }

    #[test]
    fn integers_may_be_written_as_floats() {
        let parsed = parse(br#"{"command":"getTransactionsToApprove","depth":3.0}"#);
        assert_eq!(
            parsed,
            Ok(Request::GetTransactionsToApprove(
                GetTransactionsToApprove {
                    depth: 3,
                    reference: None
                }
            ))
        );
        assert!(error_of(r#"{"command":"getTransactionsToApprove","depth":-1}"#).contains("depth"));
    }

    #[test]
    fn tags_are_padded_and_limited() {
        let body = r#"{"command":"findTransactions","tags":["ABC"]}"#;
        let Ok(Request::FindTransactions(find)) = parse(body.as_bytes()) else {
            panic!("not parsed")
        };
        let tags = find.tags.expect("tags");
        assert_eq!(tags[0].0.to_string(), format!("ABC{}", "9".repeat(24)));
        let long = format!(
            r#"{{"command":"findTransactions","tags":["{}"]}}"#,
            "A".repeat(28)
        );
        assert!(error_of(&long).contains("at most 27 trytes"));
    }
}
