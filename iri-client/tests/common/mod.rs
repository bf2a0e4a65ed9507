//! Helpers both node tests use, the native one and the browser one.

use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27, Trytes};

/// ASCII text as trytes, two per character.
pub fn ascii(text: &str) -> Trytes {
    Trytes::from_ascii(text).expect("ascii")
}

/// A tag, padded with `9`.
pub fn tag(text: &str) -> Tag27 {
    Tag27::padded(text.parse().expect("tag")).expect("short tag")
}

/// The ASCII text a message's trytes carry, padding dropped.
pub fn text_of(message: &Trytes) -> String {
    let trytes: Trytes = message.trim_nines().parse().expect("trytes");
    String::from_utf8(trytes.to_bytes().expect("bytes")).expect("utf8")
}

/// A fresh random address, so tests on one node never meet.
pub fn random_address() -> Hash81 {
    Seed::random()
        .as_trytes()
        .as_str()
        .parse()
        .expect("address")
}
