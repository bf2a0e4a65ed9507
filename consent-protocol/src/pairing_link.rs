//! The pairing link: one text that carries a device's address and its
//! pairing secret, from the device to its owner's My Home.
//!
//! The device prints it (text and QR code) as a My Home link that opens the
//! pairing form filled in:
//!
//! ```text
//! <My Home URL>#/pair?device=<81 trytes>&secret=<27 trytes>
//! ```
//!
//! My Home reads back whatever the owner pastes or scans with
//! [`PairingLink::parse`]: the link, its `device=…&secret=…` part, the
//! `device address …` / `pairing secret …` lines `pi-reader info` prints,
//! or the bare address and secret. The form is documented in `docs/links.md`.

use core::fmt;

use mam_lib::kerl;
use mam_lib::ternary::{Hash81, TRYTE_ALPHABET};

use crate::pairing::{PairingSecret, PAIRING_SECRET_TRYTES};

/// The hash route of My Home's pairing form, which the link opens.
pub const PAIR_ROUTE: &str = "#/pair";

/// Trytes in a device address.
pub const ADDRESS_TRYTES: usize = 81;

/// Trytes in the checksum a legacy wallet appends to an address
/// (`@iota/checksum`): the last 9 trytes of the address's Kerl hash.
pub const ADDRESS_CHECKSUM_TRYTES: usize = 9;

/// The longest text [`PairingLink::parse`] reads, in bytes. A link is about
/// 150 characters plus My Home's URL, and a whole `pi-reader info` output a
/// few kilobytes; more is not something a device printed.
pub const MAX_PAIRING_TEXT_BYTES: usize = 16 * 1024;

/// A device's address and pairing secret: what My Home needs to pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairingLink {
    /// The device's address, where claims go (without checksum).
    pub device: Hash81,
    /// The secret the device shows; its `Debug` never prints it.
    pub secret: PairingSecret,
}

/// The two parts of a pairing text, to say which one is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairingField {
    /// The device address (`device=`, `device address`).
    Device,
    /// The pairing secret (`secret=`, `pairing secret`).
    Secret,
}

impl fmt::Display for PairingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PairingField::Device => "device address",
            PairingField::Secret => "pairing secret",
        })
    }
}

/// Why a text is not a pairing link; each says plainly what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairingLinkError {
    /// Nothing but whitespace.
    #[error("nothing to read: paste the pairing link the device shows, or its device address and pairing secret")]
    Empty,
    /// Longer than [`MAX_PAIRING_TEXT_BYTES`].
    #[error("the text is {actual} bytes long; a device's pairing text is at most {max}")]
    TooLong {
        /// [`MAX_PAIRING_TEXT_BYTES`].
        max: usize,
        /// The length found, in bytes.
        actual: usize,
    },
    /// Neither a link, nor labelled lines, nor an address and a secret.
    #[error("this is not a pairing text: expected the link the device shows (…#/pair?device=…&secret=…), its `device address` and `pairing secret` lines, or the address and the secret")]
    NotRecognised,
    /// A part is missing.
    #[error("the {0} is missing")]
    Missing(PairingField),
    /// A part is given more than once.
    #[error("the {0} is given more than once")]
    Repeated(PairingField),
    /// A part holds a character that is not a tryte.
    #[error("the {field} holds {character:?} at position {position}; trytes are the letters A to Z and the digit 9")]
    NotTrytes {
        /// Which part.
        field: PairingField,
        /// The offending character.
        character: char,
        /// Its position, in characters (from 1).
        position: usize,
    },
    /// The address has neither 81 trytes nor 90 (with checksum).
    #[error("the device address is {ADDRESS_TRYTES} trytes (or 90 with its checksum), got {actual} characters")]
    DeviceLength {
        /// The length found, in characters.
        actual: usize,
    },
    /// A 90-tryte address whose last 9 trytes are not its checksum.
    #[error("the device address's checksum (its last 9 trytes) does not match: a character was mistyped or left out")]
    ChecksumMismatch,
    /// The secret is not 27 trytes.
    #[error("the pairing secret is {PAIRING_SECRET_TRYTES} trytes, got {actual} characters")]
    SecretLength {
        /// The length found, in characters.
        actual: usize,
    },
}

impl PairingLink {
    /// The query of the pairing route: `device=<81 trytes>&secret=<27
    /// trytes>`. Trytes need no percent-encoding.
    pub fn query(&self) -> String {
        format!(
            "device={}&secret={}",
            self.device.as_str(),
            self.secret.as_str()
        )
    }

    /// The link that opens My Home's pairing form filled in:
    /// `<my_home_url>#/pair?device=…&secret=…`. A fragment `my_home_url`
    /// already has (`#…`) is replaced; nothing else of it is changed.
    pub fn to_url(&self, my_home_url: &str) -> String {
        let base = my_home_url
            .split_once('#')
            .map_or(my_home_url, |(base, _)| base);
        format!("{base}{PAIR_ROUTE}?{}", self.query())
    }

    /// Reads what an owner may paste or scan, surrounding whitespace
    /// allowed:
    ///
    /// 1. the link, or any text with `device=…&secret=…` in it (the part
    ///    after the last `?` of a word holding `=` is read as a query;
    ///    other parameters are ignored);
    /// 2. otherwise lines labelled `device address` (or `address`,
    ///    `device`) and `pairing secret` (or `secret`), a `:` after the
    ///    label allowed, as `pi-reader info` prints them; other lines are
    ///    ignored;
    /// 3. otherwise exactly two words: the address, then the secret.
    ///
    /// Lowercase letters are read as capitals (trytes have no lowercase,
    /// so nothing is ambiguous and typing by hand is easier). An address
    /// of 90 trytes is taken only if its last 9 are its checksum. A part
    /// given twice is an error, even with the same value.
    pub fn parse(text: &str) -> Result<PairingLink, PairingLinkError> {
        if text.len() > MAX_PAIRING_TEXT_BYTES {
            return Err(PairingLinkError::TooLong {
                max: MAX_PAIRING_TEXT_BYTES,
                actual: text.len(),
            });
        }
        if text.trim().is_empty() {
            return Err(PairingLinkError::Empty);
        }
        let parts = query_parts(text)?
            .or(labelled_parts(text)?)
            .or_else(|| bare_parts(text))
            .ok_or(PairingLinkError::NotRecognised)?;
        let device = parts
            .device
            .ok_or(PairingLinkError::Missing(PairingField::Device))?;
        let secret = parts
            .secret
            .ok_or(PairingLinkError::Missing(PairingField::Secret))?;
        Ok(PairingLink {
            device: parse_device(device)?,
            secret: parse_secret(secret)?,
        })
    }
}

/// The raw values found, before they are checked.
#[derive(Default)]
struct RawParts<'a> {
    device: Option<&'a str>,
    secret: Option<&'a str>,
}

impl<'a> RawParts<'a> {
    fn set(&mut self, field: PairingField, value: &'a str) -> Result<(), PairingLinkError> {
        let slot = match field {
            PairingField::Device => &mut self.device,
            PairingField::Secret => &mut self.secret,
        };
        if slot.replace(value).is_some() {
            return Err(PairingLinkError::Repeated(field));
        }
        Ok(())
    }

    fn found_any(&self) -> bool {
        self.device.is_some() || self.secret.is_some()
    }
}

/// `device=…&secret=…` in any word holding `=`; `None` if no word names
/// either.
fn query_parts(text: &str) -> Result<Option<RawParts<'_>>, PairingLinkError> {
    let mut parts = RawParts::default();
    for word in text.split_whitespace().filter(|word| word.contains('=')) {
        let query = word.rsplit_once('?').map_or(word, |(_, query)| query);
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "device" => parts.set(PairingField::Device, value)?,
                "secret" => parts.set(PairingField::Secret, value)?,
                _ => {}
            }
        }
    }
    Ok(parts.found_any().then_some(parts))
}

/// Lines labelled as `pi-reader info` prints them; `None` if no line is.
fn labelled_parts(text: &str) -> Result<Option<RawParts<'_>>, PairingLinkError> {
    const LABELS: [(&str, PairingField); 5] = [
        ("device address", PairingField::Device),
        ("pairing secret", PairingField::Secret),
        ("address", PairingField::Device),
        ("device", PairingField::Device),
        ("secret", PairingField::Secret),
    ];
    let mut parts = RawParts::default();
    for line in text.lines().map(str::trim) {
        for (label, field) in LABELS {
            let Some(rest) = strip_label(line, label) else {
                continue;
            };
            let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
            // A labelled line holds one value; anything else (such as
            // "paired  no: enter the address and secret") is not one.
            if !rest.is_empty() && !rest.contains(char::is_whitespace) {
                parts.set(field, rest)?;
            }
            break;
        }
    }
    Ok(parts.found_any().then_some(parts))
}

/// `line` without `label` at its start (any case), if the label is a whole
/// word there.
fn strip_label<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let head = line.get(..label.len())?;
    let rest = &line[label.len()..];
    let whole_word = rest.is_empty() || rest.starts_with(|c: char| c == ':' || c.is_whitespace());
    (head.eq_ignore_ascii_case(label) && whole_word).then_some(rest)
}

/// Exactly two words, the address and the secret.
fn bare_parts(text: &str) -> Option<RawParts<'_>> {
    let mut words = text.split_whitespace();
    let (device, secret) = (words.next()?, words.next()?);
    words.next().is_none().then_some(RawParts {
        device: Some(device),
        secret: Some(secret),
    })
}

/// `value` as trytes, lowercase read as capitals.
fn trytes_of(field: PairingField, value: &str) -> Result<String, PairingLinkError> {
    value
        .chars()
        .enumerate()
        .map(|(index, c)| {
            let upper = c.to_ascii_uppercase();
            if TRYTE_ALPHABET.contains(&(upper as u8)) && upper.is_ascii() {
                Ok(upper)
            } else {
                Err(PairingLinkError::NotTrytes {
                    field,
                    character: c,
                    position: index + 1,
                })
            }
        })
        .collect()
}

fn parse_device(value: &str) -> Result<Hash81, PairingLinkError> {
    let length = value.chars().count();
    if length != ADDRESS_TRYTES && length != ADDRESS_TRYTES + ADDRESS_CHECKSUM_TRYTES {
        return Err(PairingLinkError::DeviceLength { actual: length });
    }
    let trytes = trytes_of(PairingField::Device, value)?;
    let (address, checksum) = trytes.split_at(ADDRESS_TRYTES);
    let device: Hash81 = address
        .parse()
        .map_err(|_| PairingLinkError::DeviceLength { actual: length })?;
    if !checksum.is_empty() && checksum != address_checksum(&device) {
        return Err(PairingLinkError::ChecksumMismatch);
    }
    Ok(device)
}

fn parse_secret(value: &str) -> Result<PairingSecret, PairingLinkError> {
    let length = value.chars().count();
    if length != PAIRING_SECRET_TRYTES {
        return Err(PairingLinkError::SecretLength { actual: length });
    }
    trytes_of(PairingField::Secret, value)?
        .parse()
        .map_err(|_| PairingLinkError::SecretLength { actual: length })
}

/// The 9-tryte checksum legacy wallets append to an address
/// (`@iota/checksum`'s `addChecksum`): the last 9 trytes of its Kerl hash.
pub fn address_checksum(address: &Hash81) -> String {
    let hash = kerl::hash81(&[address]);
    hash.as_str()[ADDRESS_TRYTES - ADDRESS_CHECKSUM_TRYTES..].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICE: &str =
        "TESTADDRESS9FORTHEPAIRINGLINK9999999999999999999999999999999999999999999999999999";
    // `addChecksum(DEVICE)` by `@iota/checksum` 1.0.0-beta.30 (interop/).
    const DEVICE_CHECKSUM: &str = "OLMSMMRTW";
    const HELLO: &str =
        "HELLOWORLDHELLOWORLDHELLOWORLDHELLOWORLDHELLOWORLDHELLOWORLDHELLOWORLDHELLOWORLD9";
    const HELLO_CHECKSUM: &str = "ZVZRDPTKB";
    const SECRET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ9";

    fn link() -> PairingLink {
        PairingLink {
            device: DEVICE.parse().expect("81 trytes"),
            secret: SECRET.parse().expect("27 trytes"),
        }
    }

    fn parsed(text: &str) -> PairingLink {
        PairingLink::parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
    }

    fn error(text: &str) -> PairingLinkError {
        match PairingLink::parse(text) {
            Ok(_) => panic!("{text:?} should not parse"),
            Err(error) => error,
        }
    }

    #[test]
    fn the_link_opens_the_pairing_route_of_my_home() {
        assert_eq!(
            link().to_url("http://127.0.0.1:8080/my-home/"),
            format!("http://127.0.0.1:8080/my-home/#/pair?device={DEVICE}&secret={SECRET}")
        );
    }

    #[test]
    fn a_fragment_of_my_home_url_is_replaced() {
        assert_eq!(
            link().to_url("https://home.example/app/?lang=nl#/policies"),
            format!("https://home.example/app/?lang=nl#/pair?device={DEVICE}&secret={SECRET}")
        );
    }

    #[test]
    fn the_link_parses_back_to_the_address_and_secret() {
        let url = link().to_url("http://127.0.0.1:8080/my-home/");
        assert_eq!(parsed(&url), link());
        assert_eq!(parsed(&format!("\n  {url}\t\n")), link());
    }

    #[test]
    fn the_query_alone_parses() {
        assert_eq!(parsed(&link().query()), link());
        assert_eq!(parsed(&format!("?{}", link().query())), link());
        assert_eq!(parsed(&format!("#/pair?{}", link().query())), link());
        assert_eq!(
            parsed(&format!("secret={SECRET}&lang=nl&device={DEVICE}")),
            link()
        );
        assert_eq!(parsed(&format!("device={DEVICE} secret={SECRET}")), link());
    }

    #[test]
    fn the_lines_pi_reader_info_prints_parse() {
        let info = format!(
            "device address   {DEVICE}\npairing secret   {SECRET}\n\n█▀▄ ▀█\nchannel root     {HELLO}\npaired           no: enter the address and secret in My Home\n"
        );
        assert_eq!(parsed(&info), link());
        assert_eq!(
            parsed(&format!("Address: {DEVICE}\r\nSecret: {SECRET}\r\n")),
            link()
        );
    }

    #[test]
    fn a_whole_info_output_with_the_link_reads_the_link() {
        let info = format!(
            "device address   {DEVICE}\npairing secret   {SECRET}\npairing link     {}\n",
            link().to_url("http://127.0.0.1:8080/my-home/")
        );
        assert_eq!(parsed(&info), link());
    }

    #[test]
    fn the_bare_address_and_secret_parse() {
        assert_eq!(parsed(&format!(" {DEVICE}\n{SECRET} ")), link());
    }

    #[test]
    fn lowercase_is_read_as_capitals() {
        let lower = format!(
            "device={}&secret={}",
            DEVICE.to_lowercase(),
            SECRET.to_lowercase()
        );
        assert_eq!(parsed(&lower), link());
    }

    #[test]
    fn an_address_with_its_checksum_is_taken_when_the_checksum_matches() {
        assert_eq!(
            address_checksum(&DEVICE.parse().expect("trytes")),
            DEVICE_CHECKSUM
        );
        assert_eq!(
            address_checksum(&HELLO.parse().expect("trytes")),
            HELLO_CHECKSUM
        );
        let with_checksum = format!("device={DEVICE}{DEVICE_CHECKSUM}&secret={SECRET}");
        assert_eq!(parsed(&with_checksum), link());
    }

    #[test]
    fn an_address_with_a_wrong_checksum_is_refused() {
        let wrong = format!("device={DEVICE}{HELLO_CHECKSUM}&secret={SECRET}");
        assert_eq!(error(&wrong), PairingLinkError::ChecksumMismatch);
        // One tryte of the address mistyped.
        let typo = format!("device=X{}{DEVICE_CHECKSUM}&secret={SECRET}", &DEVICE[1..]);
        assert_eq!(error(&typo), PairingLinkError::ChecksumMismatch);
    }

    #[test]
    fn a_missing_part_is_named() {
        assert_eq!(
            error(&format!("device={DEVICE}")),
            PairingLinkError::Missing(PairingField::Secret)
        );
        assert_eq!(
            error(&format!("http://h/#/pair?secret={SECRET}")),
            PairingLinkError::Missing(PairingField::Device)
        );
        assert_eq!(
            error(&format!("pairing secret {SECRET}")),
            PairingLinkError::Missing(PairingField::Device)
        );
        assert_eq!(
            error("device=&secret=").to_string(),
            "the device address is 81 trytes (or 90 with its checksum), got 0 characters"
        );
    }

    #[test]
    fn a_repeated_part_is_refused() {
        let twice = format!("device={DEVICE}&secret={SECRET}&device={DEVICE}");
        assert_eq!(
            error(&twice),
            PairingLinkError::Repeated(PairingField::Device)
        );
        let lines = format!("secret {SECRET}\ndevice {DEVICE}\npairing secret {SECRET}");
        assert_eq!(
            error(&lines),
            PairingLinkError::Repeated(PairingField::Secret)
        );
    }

    #[test]
    fn wrong_lengths_are_named() {
        assert_eq!(
            error(&format!("device={}&secret={SECRET}", &DEVICE[..80])),
            PairingLinkError::DeviceLength { actual: 80 }
        );
        assert_eq!(
            error(&format!("device={DEVICE}&secret={SECRET}9")),
            PairingLinkError::SecretLength { actual: 28 }
        );
        assert_eq!(
            error(&format!("device={DEVICE}&secret={SECRET}9")).to_string(),
            "the pairing secret is 27 trytes, got 28 characters"
        );
    }

    #[test]
    fn characters_that_are_not_trytes_are_named() {
        let digit = format!("device={DEVICE}&secret=1{}", &SECRET[1..]);
        assert_eq!(
            error(&digit),
            PairingLinkError::NotTrytes {
                field: PairingField::Secret,
                character: '1',
                position: 1
            }
        );
        // Percent-encoding is not undone: trytes never need it.
        let encoded = format!("device={}%41&secret={SECRET}", &DEVICE[..78]);
        assert!(matches!(
            error(&encoded),
            PairingLinkError::NotTrytes {
                field: PairingField::Device,
                character: '%',
                position: 79
            }
        ));
    }

    #[test]
    fn unicode_is_refused_with_its_position_in_characters() {
        // 'É' is two bytes; the length and position are in characters.
        let accented = format!("device={DEVICE}&secret={}É", &SECRET[..26]);
        assert_eq!(
            error(&accented),
            PairingLinkError::NotTrytes {
                field: PairingField::Secret,
                character: 'É',
                position: 27
            }
        );
        // Lowercase mapping is ASCII only: 'ß' has no tryte capital.
        let sharp = format!("device={DEVICE}&secret={}ß", &SECRET[..26]);
        assert!(matches!(
            error(&sharp),
            PairingLinkError::NotTrytes {
                character: 'ß', ..
            }
        ));
        assert_eq!(error("🔑🔑"), PairingLinkError::NotRecognised);
    }

    #[test]
    fn huge_and_empty_texts_are_refused() {
        let huge = format!("device={DEVICE}&secret={SECRET}&pad={}", "9".repeat(20_000));
        assert!(matches!(error(&huge), PairingLinkError::TooLong { .. }));
        assert_eq!(error(" \n\t "), PairingLinkError::Empty);
        assert_eq!(error("hello"), PairingLinkError::NotRecognised);
        assert_eq!(error("one two three"), PairingLinkError::NotRecognised);
    }

    #[test]
    fn the_secret_never_prints_in_debug() {
        assert!(!format!("{:?}", link()).contains(SECRET));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        proptest! {
            #[test]
            fn any_text_is_an_error_or_a_link(text in "\\PC{0,300}") {
                let _ = PairingLink::parse(&text);
            }

            #[test]
            fn near_links_are_an_error_or_a_link(
                device in "[9A-Za-z%#?&= ]{0,95}",
                secret in "[9A-Za-z%#?&= ]{0,30}",
                glue in "[&?#= \\n]{0,3}",
            ) {
                let _ = PairingLink::parse(&format!("device={device}{glue}secret={secret}"));
                let _ = PairingLink::parse(&format!("device address {device}\npairing secret{glue}{secret}"));
            }

            #[test]
            fn every_link_parses_back(
                device in "[9A-Z]{81}",
                secret in "[9A-Z]{27}",
                home in "https?://[a-z0-9.-]{1,20}(:[0-9]{1,5})?(/[a-z0-9?=&-]{0,20})?(#[a-z/?=&]{0,10})?",
            ) {
                let link = PairingLink {
                    device: device.parse().expect("81 trytes"),
                    secret: secret.parse().expect("27 trytes"),
                };
                prop_assert_eq!(PairingLink::parse(&link.to_url(&home)), Ok(link));
            }
        }
    }
}
