//! What IRI's JSON reader accepts beyond the strict shape, and legacy
//! clients send: integers written as floats (`3.0`), and tags shorter than
//! 27 trytes or in the 81-tryte form IRI indexes.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use mam_lib::ternary::{Tag27, Trytes};

/// A JSON number that is a non-negative integer, also written as a float
/// (`3.0`), as IRI's JSON parser reads it.
pub(crate) fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
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

/// [`integer`], or `null`.
pub(crate) fn optional_integer<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    struct Integer(#[serde(deserialize_with = "integer")] u64);
    Option::<Integer>::deserialize(deserializer).map(|n| n.map(|Integer(n)| n))
}

/// A list of tags to search for (or `null`), each read as [`TagQuery`].
pub(crate) fn tags<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<Tag27>>, D::Error> {
    Option::<Vec<TagQuery>>::deserialize(deserializer)
        .map(|tags| tags.map(|tags| tags.into_iter().map(|TagQuery(tag)| tag).collect()))
}

/// A tag to search for: up to 27 trytes, padded with `9` (IRI also takes
/// the 81-tryte form it indexes, so trailing `9`s past 27 are accepted).
struct TagQuery(Tag27);

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
