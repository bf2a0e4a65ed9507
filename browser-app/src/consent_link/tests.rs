//! The consent-request link: round trips, each error, hostile input.

use std::sync::OnceLock;

use consent_protocol::seal::{ProviderKeyPair, PUBLIC_KEY_TRYTES};
use mam_lib::seed::Seed;

use super::*;

const ADDRESS: &str =
    "PROVIDER9ADDRESS9999999999999999999999999999999999999999999999999999999999999999A";
const NONCE: &str =
    "REQUEST9NONCE9ABCDEFGHIJKLMNOPQRSTUVWXYZ99999999999999999999999999999999999999999";
const NOW: UnixMillis = UnixMillis::from_millis(1_780_000_000_000);

/// A real provider key, derived once (key generation takes a while).
fn public_key() -> &'static NtruPublicKey {
    static KEY: OnceLock<NtruPublicKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let seed: Seed = "PROVIDER9SEED".repeat(7)[..81].parse().expect("seed");
        ProviderKeyPair::from_seed(&seed).public_key().clone()
    })
}

fn request() -> ConsentRequest {
    ConsentRequest {
        provider_address: ADDRESS.parse().expect("address"),
        public_key: public_key().clone(),
        goal: "Grafieken van je verbruik — énergie ⚡ & 100% \"gratis\"?".to_owned(),
        return_url: "https://wattt.example/consent?from=home#/done".to_owned(),
        nonce: NONCE.parse().expect("nonce"),
        expires_at: Some(UnixMillis::from_millis(1_790_000_000_000)),
        provider_name: Some("Wattt Insights".to_owned()),
    }
}

/// The query of a request's link, as My Home reads it from the hash.
fn query_of(request: &ConsentRequest) -> String {
    let url = request.to_url("http://127.0.0.1:8080/my-home/");
    let (_, hash) = url.split_once('#').expect("a hash route");
    new_policy_query(&format!("#{hash}"))
        .expect("the consent page's route")
        .to_owned()
}

/// The required parameters with `changes` applied: `Some` replaces or adds,
/// `None` removes.
fn query_with(changes: &[(&str, Option<&str>)]) -> String {
    let key = public_key().to_trytes();
    let mut pairs: Vec<(String, String)> = [
        ("iotaAddress", ADDRESS),
        ("publicKeyTrytes", key.as_str()),
        ("goal", "Charts of your use"),
        ("url", "https://wattt.example/done"),
        ("nonce", NONCE),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (name, value) in changes {
        pairs.retain(|(k, _)| k != name);
        if let Some(value) = value {
            pairs.push(((*name).to_owned(), (*value).to_owned()));
        }
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(pairs);
    query.finish()
}

fn refused(query: &str) -> ConsentRequestError {
    match ConsentRequest::from_query_at(query, NOW) {
        Ok(request) => panic!("taken: {request:?}"),
        Err(error) => error,
    }
}

#[test]
fn the_link_opens_the_consent_page_and_reads_back_the_same_request() {
    let url = request().to_url("http://127.0.0.1:8080/my-home/#/devices");
    assert!(
        url.starts_with("http://127.0.0.1:8080/my-home/#/new-policy?iotaAddress=PROVIDER9ADDRESS"),
        "{url}"
    );
    assert!(url.contains("&expiresAt=1790000000000&name=Wattt+Insights"));
    assert_eq!(
        ConsentRequest::from_query_at(&query_of(&request()), NOW),
        Ok(request())
    );
}

#[test]
fn optional_parameters_may_be_left_out() {
    let bare = ConsentRequest {
        expires_at: None,
        provider_name: None,
        ..request()
    };
    let query = query_of(&bare);
    assert!(!query.contains("expiresAt") && !query.contains("name="));
    assert_eq!(ConsentRequest::from_query_at(&query, NOW), Ok(bare));
}

#[test]
fn a_request_encoded_by_a_browser_reads_the_same() {
    // encodeURIComponent writes %20 for a space where the form writes `+`;
    // a leading `?` and unknown parameters are harmless.
    let query = format!("?utm_source=mail&{}", query_with(&[]).replace('+', "%20"));
    let read = ConsentRequest::from_query_at(&query, NOW).expect("taken");
    assert_eq!(read.goal, "Charts of your use");
}

#[test]
fn the_policy_carries_the_provider_goal_expiry_and_request_nonce() {
    let device = Device {
        address: ADDRESS.parse().expect("address"),
    };
    let policy = request().policy(PolicyId::new("p-1").expect("id"), device.clone());
    assert_eq!(policy.service_provider, request().service_provider());
    assert_eq!(
        policy.service_provider.url,
        "https://wattt.example/consent?from=home#/done"
    );
    assert_eq!(policy.service_provider.public_key_trytes, *public_key());
    assert_eq!(policy.goal, request().goal);
    assert_eq!(policy.expires_at, request().expires_at);
    assert_eq!(policy.request_nonce, Some(request().nonce));
    assert_eq!(policy.device, device);
}

#[test]
fn a_unicode_goal_travels_in_the_authorized_event_unchanged() {
    let device = Device {
        address: ADDRESS.parse().expect("address"),
    };
    let event = consent_protocol::ConsentEvent::Authorized {
        policy: request().policy(PolicyId::new("p-1").expect("id"), device),
    };
    let trytes = consent_protocol::encode(&event);
    assert!(consent_protocol::to_ascii_json(&event).is_ascii());
    assert_eq!(
        consent_protocol::decode::<consent_protocol::ConsentEvent>(&trytes).expect("decodes"),
        event
    );
}

#[test]
fn each_missing_parameter_is_named() {
    for name in ["iotaAddress", "publicKeyTrytes", "goal", "url", "nonce"] {
        let error = refused(&query_with(&[(name, None)]));
        assert_eq!(error.to_string(), format!("the request has no `{name}`"));
    }
}

#[test]
fn a_repeated_parameter_is_refused_even_with_the_same_value() {
    let query = format!("{}&nonce={NONCE}", query_with(&[]));
    assert_eq!(
        refused(&query),
        ConsentRequestError::Repeated(Parameter::Nonce)
    );
    let optional = format!("{}&name=A&name=A", query_with(&[]));
    assert_eq!(
        refused(&optional),
        ConsentRequestError::Repeated(Parameter::Name)
    );
    // Unknown ones may repeat: they are ignored.
    let unknown = format!("{}&x=1&x=2", query_with(&[]));
    assert!(ConsentRequest::from_query_at(&unknown, NOW).is_ok());
}

#[test]
fn address_and_nonce_must_be_81_trytes() {
    let short = &ADDRESS[..80];
    let lower = ADDRESS.to_lowercase();
    for (name, value) in [
        ("iotaAddress", short),
        ("iotaAddress", lower.as_str()),
        ("nonce", ""),
        ("nonce", "É"),
    ] {
        let error = refused(&query_with(&[(name, Some(value))]));
        assert!(
            matches!(error, ConsentRequestError::NotHash { parameter, .. } if parameter.name() == name),
            "{name}={value}: {error}"
        );
        assert!(
            error
                .to_string()
                .starts_with(&format!("`{name}` must be 81 trytes")),
            "{error}"
        );
    }
}

#[test]
fn the_key_must_decode_to_an_ntru_public_key() {
    let key = public_key().to_trytes();
    let key = key.as_str();
    // Last byte with its unused top bits set: not a key generation writes.
    let mut not_canonical = key[..PUBLIC_KEY_TRYTES - 2].to_owned();
    // 0xF0 = 24 + 27·8, written low tryte first: X (24), H (8).
    not_canonical.push_str("XH");
    for value in [
        &key[..PUBLIC_KEY_TRYTES - 2],
        &key[..PUBLIC_KEY_TRYTES - 1],
        not_canonical.as_str(),
        "",
        "not trytes",
    ] {
        let error = refused(&query_with(&[("publicKeyTrytes", Some(value))]));
        assert!(
            matches!(error, ConsentRequestError::PublicKey(_)),
            "{value:.20}: {error}"
        );
        assert!(error.to_string().starts_with("`publicKeyTrytes` is not"));
    }
}

#[test]
fn the_return_url_must_be_http() {
    for url in [
        "javascript:alert(document.cookie)",
        "data:text/html,hi",
        "https://bank.example@evil.example/",
        "wattt.example/done",
        "",
    ] {
        let error = refused(&query_with(&[("url", Some(url))]));
        assert!(
            matches!(error, ConsentRequestError::Url(_)),
            "{url}: {error}"
        );
        assert!(error.to_string().starts_with("`url` is not a web address"));
    }
}

#[test]
fn the_goal_must_be_short_printable_text() {
    assert_eq!(
        refused(&query_with(&[("goal", Some("   "))])),
        ConsentRequestError::GoalEmpty
    );
    assert_eq!(
        refused(&query_with(&[("goal", Some(""))])),
        ConsentRequestError::GoalEmpty
    );
    let long = "é".repeat(MAX_GOAL_CHARS + 1);
    assert_eq!(
        refused(&query_with(&[("goal", Some(&long))])),
        ConsentRequestError::TextTooLong {
            parameter: Parameter::Goal,
            max: MAX_GOAL_CHARS,
            actual: MAX_GOAL_CHARS + 1
        }
    );
    let longest = "é".repeat(MAX_GOAL_CHARS);
    assert!(ConsentRequest::from_query_at(&query_with(&[("goal", Some(&longest))]), NOW).is_ok());
    // U+202E and U+2066 reorder the text around them: a goal could show
    // something else than it says.
    for control in [
        "a\nb",
        "tab\t",
        "bell\u{7}",
        "nul\0",
        "a\u{202e}b",
        "\u{2066}x",
    ] {
        let error = refused(&query_with(&[("goal", Some(control))]));
        assert!(
            matches!(
                error,
                ConsentRequestError::ControlCharacter {
                    parameter: Parameter::Goal,
                    ..
                }
            ),
            "{control:?}: {error}"
        );
    }
}

#[test]
fn expires_at_must_be_future_unix_millis() {
    for value in [
        "",
        "soon",
        "-1",
        "1.5e12",
        "+1790000000000",
        "99999999999999999999999",
    ] {
        let error = refused(&query_with(&[("expiresAt", Some(value))]));
        assert!(
            matches!(error, ConsentRequestError::ExpiresAtNotMillis(_)),
            "{value}: {error}"
        );
    }
    let now = NOW.as_millis().to_string();
    assert_eq!(
        refused(&query_with(&[("expiresAt", Some(&now))])),
        ConsentRequestError::ExpiresAtPast
    );
    let later = (NOW.as_millis() + 1).to_string();
    let read = ConsentRequest::from_query_at(&query_with(&[("expiresAt", Some(&later))]), NOW)
        .expect("taken");
    assert_eq!(
        read.expires_at,
        Some(UnixMillis::from_millis(NOW.as_millis() + 1))
    );
}

#[test]
fn the_name_is_optional_short_printable_text() {
    let long = "n".repeat(MAX_NAME_CHARS + 1);
    assert!(matches!(
        refused(&query_with(&[("name", Some(&long))])),
        ConsentRequestError::TextTooLong {
            parameter: Parameter::Name,
            ..
        }
    ));
    assert_eq!(
        refused(&query_with(&[("name", Some(" "))])),
        ConsentRequestError::NameEmpty
    );
    assert!(matches!(
        refused(&query_with(&[("name", Some("Wattt\r\nInsights"))])),
        ConsentRequestError::ControlCharacter {
            parameter: Parameter::Name,
            ..
        }
    ));
}

#[test]
fn hostile_queries_are_refused_without_panicking() {
    let huge = format!("{}&pad={}", query_with(&[]), "A".repeat(MAX_QUERY_BYTES));
    assert!(matches!(
        refused(&huge),
        ConsentRequestError::TooLong { .. }
    ));
    // Percent-encoding that is not UTF-8 becomes U+FFFD, not a panic.
    let broken = query_with(&[]).replace("goal=Charts", "goal=%FF%FE%C3Charts");
    let read = ConsentRequest::from_query_at(&broken, NOW).expect("taken");
    assert!(read.goal.starts_with('\u{FFFD}'));
    for junk in ["", "?", "&&&", "=", "%", "goal", "🔑=🔑"] {
        assert!(
            matches!(refused(junk), ConsentRequestError::Missing(_)),
            "{junk}"
        );
    }
    assert!(matches!(
        refused("iotaAddress=%"),
        ConsentRequestError::NotHash {
            parameter: Parameter::IotaAddress,
            ..
        }
    ));
    // A `&` or `#` inside a value stays inside it when encoded.
    let tricky = ConsentRequest {
        goal: "a&nonce=X#frag".to_owned(),
        ..request()
    };
    assert_eq!(
        ConsentRequest::from_query_at(&query_of(&tricky), NOW),
        Ok(tricky)
    );
}

#[test]
fn only_the_consent_pages_hash_has_a_request() {
    assert_eq!(new_policy_query("#/new-policy?a=b"), Some("a=b"));
    assert_eq!(new_policy_query("#/new-policy"), Some(""));
    assert_eq!(new_policy_query("#/new-policyx?a=b"), None);
    assert_eq!(new_policy_query("#/pair?device=X"), None);
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_query_is_an_error_or_a_request(query in "\\PC{0,400}") {
            let _ = ConsentRequest::from_query_at(&query, NOW);
        }

        #[test]
        fn any_return_url_is_checked_without_panicking(url in "(https?://)?\\PC{0,80}") {
            let _ = check_web_url(&url);
            let _ = ConsentAnswer::from_url(&url);
        }

        #[test]
        fn any_goal_and_name_without_controls_make_the_trip(
            goal in "[^\\p{Cc}\u{202A}-\u{202E}\u{2066}-\u{2069}]{1,500}",
            name in "[^\\p{Cc}\u{202A}-\u{202E}\u{2066}-\u{2069}]{1,80}",
        ) {
            prop_assume!(!goal.trim().is_empty() && !name.trim().is_empty());
            let sent = ConsentRequest {
                goal,
                provider_name: Some(name),
                ..request()
            };
            prop_assert_eq!(ConsentRequest::from_query_at(&query_of(&sent), NOW), Ok(sent));
        }

        #[test]
        fn every_answer_makes_the_trip(
            id in "[ -~]{1,128}",
            base in "https://[a-z]{1,10}\\.example(/[a-z]{0,5})?(\\?[a-z]{1,3}=[a-z%0-9]{0,3}(&[a-z]{1,3}=[a-z]{0,3}){0,2})?(#[ -~]{0,10})?",
            granted in any::<bool>(),
        ) {
            let answer = if granted {
                ConsentAnswer::Granted { policy_id: PolicyId::new(id).expect("printable ASCII") }
            } else {
                ConsentAnswer::Declined
            };
            prop_assert_eq!(ConsentAnswer::from_url(&answer.return_url(&base)), Some(answer));
        }
    }
}

#[test]
fn parameters_are_indexed_in_the_order_of_all() {
    // `from_query_at` keeps each value at `parameter as usize`.
    for (index, parameter) in Parameter::ALL.into_iter().enumerate() {
        assert_eq!(parameter as usize, index);
        assert_eq!(Parameter::from_name(parameter.name()), Some(parameter));
    }
}
