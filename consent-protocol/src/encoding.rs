//! JSON text <-> trytes: ASCII-only JSON, two trytes per character, and the
//! legacy `extractJson` rule for reading (the longest prefix that is one
//! JSON value; trailing `9` padding and anything after it are ignored).

use serde::de::DeserializeOwned;
use serde::Serialize;

use mam_lib::ternary::alphabet_index;
use mam_lib::ternary::Trytes;
use mam_lib::transaction::FRAGMENT_TRYTES;

use super::ProtocolError;

/// Encodes `message` as ASCII JSON (non-ASCII escaped as `\uXXXX`) in
/// trytes, two per character.
pub fn encode<T: Serialize>(message: &T) -> Trytes {
    let json = to_ascii_json(message);
    // Every character of `to_ascii_json` is ASCII.
    Trytes::from_bytes(json.as_bytes())
}

/// Encodes `message` for a plain transfer: [`encode`], plus an explicit
/// `99` end mark when the text would fill its last fragment to one tryte
/// short. Legacy `extractJson` finds the end of the JSON at the first `99`
/// after it; the single `9` of padding left in that case is not one, and a
/// legacy reader would lose the message. (MAM messages use [`encode`]:
/// their readers take the message whole.)
pub fn encode_transfer<T: Serialize>(message: &T) -> Trytes {
    let mut trytes = encode(message);
    if trytes.len() % FRAGMENT_TRYTES == FRAGMENT_TRYTES - 1 {
        trytes.push_trytes(&Trytes::nines(2));
    }
    trytes
}

/// The ASCII JSON text of `message`: what [`encode`] turns into trytes.
pub fn to_ascii_json<T: Serialize>(message: &T) -> String {
    // Serialising our own types to a string cannot fail (no maps with
    // non-string keys, no failing `Serialize` impls).
    let json = serde_json::to_string(message).unwrap_or_else(|_| String::from("null"));
    escape_non_ascii(&json)
}

/// Reads the message at the start of `trytes`, as legacy `extractJson`
/// does: the bytes up to the first pair that is not a byte or is the `99`
/// padding, then the first JSON value in them.
pub fn decode<T: DeserializeOwned>(trytes: &Trytes) -> Result<T, ProtocolError> {
    let bytes = leading_bytes(trytes);
    let mut values = serde_json::Deserializer::from_slice(&bytes).into_iter::<serde_json::Value>();
    let value = match values.next() {
        Some(Ok(value)) => value,
        _ => return Err(ProtocolError::NoJson),
    };
    Ok(serde_json::from_value(value)?)
}

/// The bytes at the start of `trytes`, stopping at padding (`99` = byte 0)
/// or at a pair above 255.
fn leading_bytes(trytes: &Trytes) -> Vec<u8> {
    let text = trytes.as_str().as_bytes();
    let mut bytes = Vec::with_capacity(text.len() / 2);
    for pair in text.chunks_exact(2) {
        let value = alphabet_index(pair[0]) + 27 * alphabet_index(pair[1]);
        match u8::try_from(value) {
            Ok(0) | Err(_) => break,
            Ok(byte) => bytes.push(byte),
        }
    }
    bytes
}

/// JSON text with every non-ASCII character written as `\uXXXX` (UTF-16
/// surrogate pairs above U+FFFF), which JSON readers turn back.
fn escape_non_ascii(json: &str) -> String {
    if json.is_ascii() {
        return json.to_owned();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}
