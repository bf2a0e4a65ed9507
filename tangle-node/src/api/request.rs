//! Request bodies parsed into typed commands. The commands and their
//! fields are `iri_api`'s (the same types the client sends); what is the
//! node's own is which commands it answers and how it words a refusal:
//! every tryte string is checked for its alphabet and length as it is read,
//! and a bad one is named by parameter and list position (`trytes[3]`).
//! Limits (list lengths, depth, weight) are the handlers' to check.

use iri_api::{
    AttachToTangle, BroadcastTransactions, CheckConsistency, Command, FindTransactions,
    GetBalances, GetInclusionStates, GetNeighbors, GetNodeInfo, GetTips, GetTransactionsToApprove,
    GetTrytes, InterruptAttachingToTangle, StoreTransactions, WereAddressesSpentFrom,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::ApiError;

/// The commands this node answers, in the order of the IRI documentation.
pub const COMMANDS: &[&str] = &[
    GetNodeInfo::NAME,
    GetTips::NAME,
    GetTransactionsToApprove::NAME,
    AttachToTangle::NAME,
    InterruptAttachingToTangle::NAME,
    StoreTransactions::NAME,
    BroadcastTransactions::NAME,
    FindTransactions::NAME,
    GetTrytes::NAME,
    GetBalances::NAME,
    WereAddressesSpentFrom::NAME,
    GetInclusionStates::NAME,
    CheckConsistency::NAME,
    GetNeighbors::NAME,
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
    StoreTransactions(StoreTransactions),
    /// `broadcastTransactions`: on a node without neighbours, the same as
    /// storing.
    BroadcastTransactions(BroadcastTransactions),
    /// `findTransactions`.
    FindTransactions(FindTransactions),
    /// `getTrytes`.
    GetTrytes(GetTrytes),
    /// `getBalances`.
    GetBalances(GetBalances),
    /// `wereAddressesSpentFrom`.
    WereAddressesSpentFrom(WereAddressesSpentFrom),
    /// `getInclusionStates`.
    GetInclusionStates(GetInclusionStates),
    /// `checkConsistency`.
    CheckConsistency(CheckConsistency),
    /// `getNeighbors`: a private tangle has none.
    GetNeighbors,
}

impl Request {
    /// The command's name as the API spells it.
    pub fn command(&self) -> &'static str {
        match self {
            Request::GetNodeInfo => GetNodeInfo::NAME,
            Request::GetTips => GetTips::NAME,
            Request::GetTransactionsToApprove(_) => GetTransactionsToApprove::NAME,
            Request::AttachToTangle(_) => AttachToTangle::NAME,
            Request::InterruptAttachingToTangle => InterruptAttachingToTangle::NAME,
            Request::StoreTransactions(_) => StoreTransactions::NAME,
            Request::BroadcastTransactions(_) => BroadcastTransactions::NAME,
            Request::FindTransactions(_) => FindTransactions::NAME,
            Request::GetTrytes(_) => GetTrytes::NAME,
            Request::GetBalances(_) => GetBalances::NAME,
            Request::WereAddressesSpentFrom(_) => WereAddressesSpentFrom::NAME,
            Request::GetInclusionStates(_) => GetInclusionStates::NAME,
            Request::CheckConsistency(_) => CheckConsistency::NAME,
            Request::GetNeighbors => GetNeighbors::NAME,
        }
    }
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
    // Commands without parameters ignore whatever else the body holds.
    Ok(match command.as_str() {
        GetNodeInfo::NAME => Request::GetNodeInfo,
        GetTips::NAME => Request::GetTips,
        GetTransactionsToApprove::NAME => {
            Request::GetTransactionsToApprove(parameters(&command, body)?)
        }
        AttachToTangle::NAME => Request::AttachToTangle(parameters(&command, body)?),
        InterruptAttachingToTangle::NAME => Request::InterruptAttachingToTangle,
        StoreTransactions::NAME => Request::StoreTransactions(parameters(&command, body)?),
        BroadcastTransactions::NAME => Request::BroadcastTransactions(parameters(&command, body)?),
        FindTransactions::NAME => Request::FindTransactions(parameters(&command, body)?),
        GetTrytes::NAME => Request::GetTrytes(parameters(&command, body)?),
        GetBalances::NAME => Request::GetBalances(parameters(&command, body)?),
        WereAddressesSpentFrom::NAME => {
            Request::WereAddressesSpentFrom(parameters(&command, body)?)
        }
        GetInclusionStates::NAME => Request::GetInclusionStates(parameters(&command, body)?),
        CheckConsistency::NAME => Request::CheckConsistency(parameters(&command, body)?),
        GetNeighbors::NAME => Request::GetNeighbors,
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
        assert_eq!(tags[0].to_string(), format!("ABC{}", "9".repeat(24)));
        let long = format!(
            r#"{{"command":"findTransactions","tags":["{}"]}}"#,
            "A".repeat(28)
        );
        assert!(error_of(&long).contains("at most 27 trytes"));
    }
}
