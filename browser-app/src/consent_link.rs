//! The consent-request link: a provider sends the owner to My Home's
//! consent page, and My Home sends the owner back with the answer.
//!
//! ```text
//! <My Home URL>#/new-policy?iotaAddress=<81 trytes>&publicKeyTrytes=<1860 trytes>
//!     &goal=<text>&url=<provider's return URL>&nonce=<81 trytes>
//!     [&expiresAt=<Unix ms>][&name=<provider's name>]
//! ```
//!
//! A hash route, so My Home works on plain static hosting. The query is
//! `application/x-www-form-urlencoded` (`+` or `%20` for a space, UTF-8
//! percent-encoded). [`ConsentRequest::from_query`] checks every parameter
//! and says in a plain sentence which one is wrong; the answer back is
//! [`ConsentAnswer`]. The forms are documented in `docs/links.md`.
//!
//! Pure: no browser calls, tested natively.

mod answer;

use core::fmt;

use consent_protocol::seal::{NtruPublicKey, SealError};
use consent_protocol::{Device, Policy, PolicyId, ServiceProvider};
use mam_lib::ternary::{Hash81, TernaryError};
use mam_lib::time::UnixMillis;

pub use answer::{ConsentAnswer, POLICY_ID, STATUS};
pub use consent_protocol::web_url::{check_web_url, UrlProblem, MAX_WEB_URL_BYTES};

/// The hash route of My Home's consent page.
pub const NEW_POLICY_ROUTE: &str = "#/new-policy";

/// The longest query [`ConsentRequest::from_query`] reads, in bytes: the
/// key is 1860 trytes and a goal of 500 characters at most 4 UTF-8 bytes
/// each, percent-encoded, is 6000.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// The longest goal, in characters.
pub const MAX_GOAL_CHARS: usize = 500;
/// The longest provider name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// The parameters of a consent request, as they are spelled in the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parameter {
    /// `iotaAddress`: where the device sends `MAM_DATA`.
    IotaAddress,
    /// `publicKeyTrytes`: the provider's NTRU public key.
    PublicKeyTrytes,
    /// `goal`: why the provider asks, in its words.
    Goal,
    /// `url`: where the owner goes back with the answer.
    Url,
    /// `nonce`: the provider's 81 random trytes (v2).
    Nonce,
    /// `expiresAt`: when the consent ends by itself, Unix ms (optional).
    ExpiresAt,
    /// `name`: the provider's name to show the owner (optional).
    Name,
}

impl Parameter {
    /// Every parameter, in the order of the link.
    pub const ALL: [Parameter; 7] = [
        Parameter::IotaAddress,
        Parameter::PublicKeyTrytes,
        Parameter::Goal,
        Parameter::Url,
        Parameter::Nonce,
        Parameter::ExpiresAt,
        Parameter::Name,
    ];

    /// The name in the link.
    pub const fn name(self) -> &'static str {
        match self {
            Parameter::IotaAddress => "iotaAddress",
            Parameter::PublicKeyTrytes => "publicKeyTrytes",
            Parameter::Goal => "goal",
            Parameter::Url => "url",
            Parameter::Nonce => "nonce",
            Parameter::ExpiresAt => "expiresAt",
            Parameter::Name => "name",
        }
    }

    fn from_name(name: &str) -> Option<Parameter> {
        Parameter::ALL.into_iter().find(|p| p.name() == name)
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a consent request is refused; the Display is a sentence for the
/// owner naming the parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsentRequestError {
    /// The query is longer than [`MAX_QUERY_BYTES`].
    #[error("the request is {actual} bytes long, more than the {max} a consent request can be")]
    TooLong {
        /// [`MAX_QUERY_BYTES`].
        max: usize,
        /// The length found.
        actual: usize,
    },
    /// A required parameter is not there.
    #[error("the request has no `{0}`")]
    Missing(Parameter),
    /// A parameter is there more than once.
    #[error("the request gives `{0}` more than once")]
    Repeated(Parameter),
    /// `iotaAddress` or `nonce` is not 81 trytes.
    #[error("`{parameter}` must be 81 trytes (the letters A to Z and 9): {reason}")]
    NotHash {
        /// [`Parameter::IotaAddress`] or [`Parameter::Nonce`].
        parameter: Parameter,
        /// What is wrong.
        reason: TernaryError,
    },
    /// `publicKeyTrytes` does not decode to an NTRU public key.
    #[error("`publicKeyTrytes` is not the provider's NTRU public key: {0}")]
    PublicKey(SealError),
    /// `url` is not an http(s) URL by [`check_web_url`]'s rules.
    #[error("`url` is not a web address to return to: {0}")]
    Url(UrlProblem),
    /// `goal` is empty or only spaces.
    #[error("`goal` is empty: the provider must say why it asks")]
    GoalEmpty,
    /// `goal` or `name` is too long.
    #[error("`{parameter}` is {actual} characters long, more than {max}")]
    TextTooLong {
        /// [`Parameter::Goal`] or [`Parameter::Name`].
        parameter: Parameter,
        /// The limit.
        max: usize,
        /// The length found, in characters.
        actual: usize,
    },
    /// `goal` or `name` holds a control character (a line break, a tab…)
    /// or a control of text direction (U+202A–U+202E, U+2066–U+2069).
    #[error("`{parameter}` holds a control character ({character:?})")]
    ControlCharacter {
        /// [`Parameter::Goal`] or [`Parameter::Name`].
        parameter: Parameter,
        /// The character.
        character: char,
    },
    /// `name` is empty.
    #[error("`name` is empty")]
    NameEmpty,
    /// `expiresAt` is not a whole number of milliseconds.
    #[error("`expiresAt` must be a time in Unix milliseconds (digits only), got {0:?}")]
    ExpiresAtNotMillis(String),
    /// `expiresAt` is not after now.
    #[error("`expiresAt` is in the past: the consent would have ended already")]
    ExpiresAtPast,
}

/// A provider's request for consent, every parameter checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRequest {
    /// `iotaAddress`: where the device sends `MAM_DATA`.
    pub provider_address: Hash81,
    /// `publicKeyTrytes`: what the device seals the channel keys to.
    pub public_key: NtruPublicKey,
    /// `goal`: why the provider asks, any Unicode text without control
    /// characters, 1 to [`MAX_GOAL_CHARS`] characters.
    pub goal: String,
    /// `url`: where the owner returns with the answer.
    pub return_url: String,
    /// `nonce`: the provider's request nonce, kept in the policy as
    /// `requestNonce`.
    pub nonce: Hash81,
    /// `expiresAt`: when the consent ends by itself.
    pub expires_at: Option<UnixMillis>,
    /// `name`: the provider's name, to show the owner (not published).
    pub provider_name: Option<String>,
}

impl ConsentRequest {
    /// Reads the query of `#/new-policy?…` (the part after `?`),
    /// percent-encoded, checking `expiresAt` against the clock.
    pub fn from_query(query: &str) -> Result<ConsentRequest, ConsentRequestError> {
        ConsentRequest::from_query_at(query, UnixMillis::now())
    }

    /// [`from_query`](Self::from_query) with `now` given. Unknown
    /// parameters are ignored; a known one given twice is an error.
    pub fn from_query_at(
        query: &str,
        now: UnixMillis,
    ) -> Result<ConsentRequest, ConsentRequestError> {
        if query.len() > MAX_QUERY_BYTES {
            return Err(ConsentRequestError::TooLong {
                max: MAX_QUERY_BYTES,
                actual: query.len(),
            });
        }
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut values: [Option<String>; Parameter::ALL.len()] = Default::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let Some(parameter) = Parameter::from_name(&key) else {
                continue;
            };
            if values[parameter as usize]
                .replace(value.into_owned())
                .is_some()
            {
                return Err(ConsentRequestError::Repeated(parameter));
            }
        }
        let mut take = |parameter: Parameter| values[parameter as usize].take();
        let mut required =
            |parameter: Parameter| take(parameter).ok_or(ConsentRequestError::Missing(parameter));
        let provider_address = hash(Parameter::IotaAddress, &required(Parameter::IotaAddress)?)?;
        let key = required(Parameter::PublicKeyTrytes)?;
        let goal = required(Parameter::Goal)?;
        let return_url = required(Parameter::Url)?;
        let nonce = required(Parameter::Nonce)?;
        let public_key = key
            .parse::<NtruPublicKey>()
            .map_err(ConsentRequestError::PublicKey)?;
        check_text(Parameter::Goal, &goal, MAX_GOAL_CHARS)?;
        if goal.trim().is_empty() {
            return Err(ConsentRequestError::GoalEmpty);
        }
        check_web_url(&return_url).map_err(ConsentRequestError::Url)?;
        let nonce = hash(Parameter::Nonce, &nonce)?;
        let expires_at = take(Parameter::ExpiresAt)
            .map(|text| expires_at(&text, now))
            .transpose()?;
        let provider_name = take(Parameter::Name)
            .map(|name| {
                check_text(Parameter::Name, &name, MAX_NAME_CHARS)?;
                if name.trim().is_empty() {
                    return Err(ConsentRequestError::NameEmpty);
                }
                Ok(name)
            })
            .transpose()?;
        Ok(ConsentRequest {
            provider_address,
            public_key,
            goal,
            return_url,
            nonce,
            expires_at,
            provider_name,
        })
    }

    /// The link to My Home's consent page for this request:
    /// `<my_home_url>#/new-policy?iotaAddress=…&publicKeyTrytes=…&goal=…&url=…&nonce=…[&expiresAt=…][&name=…]`,
    /// values form-urlencoded. A fragment of `my_home_url` is replaced.
    pub fn to_url(&self, my_home_url: &str) -> String {
        let base = my_home_url
            .split_once('#')
            .map_or(my_home_url, |(base, _)| base);
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair(
                Parameter::IotaAddress.name(),
                self.provider_address.as_str(),
            )
            .append_pair(
                Parameter::PublicKeyTrytes.name(),
                self.public_key.to_trytes().as_str(),
            )
            .append_pair(Parameter::Goal.name(), &self.goal)
            .append_pair(Parameter::Url.name(), &self.return_url)
            .append_pair(Parameter::Nonce.name(), self.nonce.as_str());
        if let Some(expires_at) = self.expires_at {
            query.append_pair(
                Parameter::ExpiresAt.name(),
                &expires_at.as_millis().to_string(),
            );
        }
        if let Some(name) = &self.provider_name {
            query.append_pair(Parameter::Name.name(), name);
        }
        format!("{base}{NEW_POLICY_ROUTE}?{}", query.finish())
    }

    /// The provider as the policy names it (`url` is the return URL).
    pub fn service_provider(&self) -> ServiceProvider {
        ServiceProvider {
            iota_address: self.provider_address.clone(),
            public_key_trytes: self.public_key.clone(),
            url: self.return_url.clone(),
        }
    }

    /// The policy the owner grants for `device`: the request's provider,
    /// goal and expiry, and its nonce as `requestNonce`.
    pub fn policy(&self, id: PolicyId, device: Device) -> Policy {
        Policy {
            id,
            device,
            service_provider: self.service_provider(),
            goal: self.goal.clone(),
            expires_at: self.expires_at,
            request_nonce: Some(self.nonce.clone()),
        }
    }
}

/// The query of a My Home hash such as `#/new-policy?…`, if it is the
/// consent page's.
pub fn new_policy_query(hash: &str) -> Option<&str> {
    let rest = hash.strip_prefix(NEW_POLICY_ROUTE)?;
    match rest.strip_prefix('?') {
        Some(query) => Some(query),
        None => rest.is_empty().then_some(""),
    }
}

fn hash(parameter: Parameter, text: &str) -> Result<Hash81, ConsentRequestError> {
    text.parse()
        .map_err(|reason| ConsentRequestError::NotHash { parameter, reason })
}

fn check_text(parameter: Parameter, text: &str, max: usize) -> Result<(), ConsentRequestError> {
    let actual = text.chars().count();
    if actual > max {
        return Err(ConsentRequestError::TextTooLong {
            parameter,
            max,
            actual,
        });
    }
    match text.chars().find(|&c| c.is_control() || is_bidi_control(c)) {
        Some(character) => Err(ConsentRequestError::ControlCharacter {
            parameter,
            character,
        }),
        None => Ok(()),
    }
}

/// The Unicode controls of text direction (embeddings, overrides,
/// isolates): they reorder what the owner reads.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn expires_at(text: &str, now: UnixMillis) -> Result<UnixMillis, ConsentRequestError> {
    let not_millis = || ConsentRequestError::ExpiresAtNotMillis(text.chars().take(40).collect());
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_millis());
    }
    let millis: u64 = text.parse().map_err(|_| not_millis())?;
    let at = UnixMillis::from_millis(millis);
    if at <= now {
        return Err(ConsentRequestError::ExpiresAtPast);
    }
    Ok(at)
}

#[cfg(test)]
mod tests;
