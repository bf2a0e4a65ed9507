//! What the fuzz tests (`*/tests/fuzz_*.rs`) share: how many cases a
//! property runs, and the edits that turn a valid encoding into a nearly
//! valid one — tryte and byte edits (replace, insert, delete, truncate,
//! extend, splice) and JSON edits (a value of the wrong type, a huge number,
//! deep nesting, odd escapes, a member dropped, renamed or repeated).
//!
//! `consent-protocol` and `tangle-node` include this file by path, so one set
//! of mutations serves every parser of outside input. Each test file uses
//! part of it.
#![allow(dead_code)]

use mam_lib::ternary::Trytes;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::Value;

/// The tryte alphabet, as bytes.
pub const TRYTE_ALPHABET: &[u8] = b"9ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// A property's configuration: `default_cases` in a normal test run, or as
/// many as `PROPTEST_CASES` says (a long run).
pub fn config(default_cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    config
}

// ------------------------------------------------------------- text edits

/// Where in a text an edit lands: anywhere, or near one end, where headers
/// (MAM's Pascal codes, a JSON object's first key) and trailers (Merkle
/// siblings, padding, closing brackets) sit.
#[derive(Debug, Clone)]
pub enum Spot {
    /// Anywhere from the start to the end.
    Anywhere(Index),
    /// This many units after the start.
    Head(usize),
    /// This many units before the end.
    Tail(usize),
}

impl Spot {
    /// The position in a text of `len` units, `0..=len`.
    fn resolve(&self, len: usize) -> usize {
        match self {
            Spot::Anywhere(index) => index.index(len + 1),
            Spot::Head(n) => (*n).min(len),
            Spot::Tail(n) => len.saturating_sub(*n),
        }
    }
}

/// One change to a text of units (trytes or bytes).
#[derive(Debug, Clone)]
pub enum Edit {
    /// The unit at the spot becomes this one (at the end: no change).
    Replace(Spot, u8),
    /// These units go in at the spot.
    Insert(Spot, Vec<u8>),
    /// Up to this many units from the spot are dropped.
    Delete(Spot, usize),
    /// Everything from the spot on is dropped.
    Truncate(Spot),
    /// These units are appended.
    Extend(Vec<u8>),
    /// A copy of up to `len` units from one spot goes in at another.
    Splice { from: Spot, len: usize, to: Spot },
}

fn spot() -> impl Strategy<Value = Spot> {
    prop_oneof![
        3 => any::<Index>().prop_map(Spot::Anywhere),
        1 => (0usize..64).prop_map(Spot::Head),
        1 => (1usize..64).prop_map(Spot::Tail),
    ]
}

/// One to three edits whose new units come from `units`.
pub fn edits(units: BoxedStrategy<u8>) -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        4 => (spot(), units.clone()).prop_map(|(at, unit)| Edit::Replace(at, unit)),
        1 => (spot(), prop::collection::vec(units.clone(), 1..16))
            .prop_map(|(at, new)| Edit::Insert(at, new)),
        1 => (spot(), 1usize..64).prop_map(|(at, len)| Edit::Delete(at, len)),
        1 => spot().prop_map(Edit::Truncate),
        1 => prop::collection::vec(units, 1..64).prop_map(Edit::Extend),
        1 => (spot(), 1usize..256, spot())
            .prop_map(|(from, len, to)| Edit::Splice { from, len, to }),
    ];
    prop::collection::vec(edit, 1..4)
}

/// Tryte edits.
pub fn tryte_edits() -> impl Strategy<Value = Vec<Edit>> {
    edits(select(TRYTE_ALPHABET).boxed())
}

/// One to eight trytes replaced, anywhere: edits that keep the length, for
/// fixed-length encodings such as transactions.
pub fn tryte_replacements() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        (any::<Index>(), select(TRYTE_ALPHABET))
            .prop_map(|(at, unit)| Edit::Replace(Spot::Anywhere(at), unit)),
        1..8,
    )
}

/// Byte edits that favour what JSON gives meaning to.
pub fn json_byte_edits() -> impl Strategy<Value = Vec<Edit>> {
    let units = prop_oneof![
        2 => select(b"{}[]:,\"\\ -.0123456789eEtfnul9AZaz".as_slice()),
        1 => any::<u8>(),
    ];
    edits(units.boxed())
}

/// `text` with `edits` applied in turn.
pub fn apply(text: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut text = text.to_vec();
    for edit in edits {
        let len = text.len();
        match edit {
            Edit::Replace(at, unit) => {
                if let Some(old) = text.get_mut(at.resolve(len)) {
                    *old = *unit;
                }
            }
            Edit::Insert(at, new) => {
                let at = at.resolve(len);
                text.splice(at..at, new.iter().copied());
            }
            Edit::Delete(at, count) => {
                let at = at.resolve(len);
                text.drain(at..(at + count).min(len));
            }
            Edit::Truncate(at) => text.truncate(at.resolve(len)),
            Edit::Extend(new) => text.extend_from_slice(new),
            Edit::Splice {
                from,
                len: count,
                to,
            } => {
                let from = from.resolve(len);
                let piece = text[from..(from + count).min(len)].to_vec();
                let to = to.resolve(len);
                text.splice(to..to, piece);
            }
        }
    }
    text
}

/// `trytes` with tryte edits applied.
pub fn mutate_trytes(trytes: &Trytes, edits: &[Edit]) -> Trytes {
    let text = apply(trytes.as_str().as_bytes(), edits);
    String::from_utf8(text)
        .ok()
        .and_then(|text| text.parse().ok())
        .expect("tryte edits keep trytes")
}

/// The transaction trytes of each bundle in `bundles.json` (mam-lib's
/// `prepareTransfers` vectors, given as text), last index first.
pub fn vector_bundles(file: &str) -> Vec<Vec<Trytes>> {
    #[derive(serde::Deserialize)]
    struct VectorFile {
        vectors: Vec<Vector>,
    }
    #[derive(serde::Deserialize)]
    struct Vector {
        trytes: Vec<Trytes>,
    }
    let file: VectorFile = serde_json::from_str(file).expect("bundles.json");
    file.vectors.into_iter().map(|v| v.trytes).collect()
}

/// Any trytes of a length in `len`.
pub fn any_trytes(len: std::ops::Range<usize>) -> impl Strategy<Value = Trytes> {
    prop::collection::vec(select(TRYTE_ALPHABET), len).prop_map(|text| {
        String::from_utf8(text)
            .ok()
            .and_then(|text| text.parse().ok())
            .expect("alphabet characters are trytes")
    })
}

// ------------------------------------------------------------- JSON edits

/// JSON text (or not quite) that replaces a value: the wrong type, a huge
/// or odd number, deep nesting, a string full of escapes, trytes of the
/// wrong length, or junk.
pub fn raw_json() -> impl Strategy<Value = String> {
    let wrong_type = select(
        [
            "null",
            "true",
            "false",
            "0",
            "-1",
            "1.5",
            "\"\"",
            "[]",
            "{}",
            "\"ABC\"",
            "[1,\"a\",null]",
            "{\"type\":\"DATA\"}",
            "{\"a\":1}",
        ]
        .as_slice(),
    )
    .prop_map(str::to_owned);
    let odd_number = prop_oneof![
        select(
            [
                "1e999",
                "-1e999",
                "1e-999",
                "18446744073709551615",
                "18446744073709551616",
                "-9223372036854775808",
                "-9223372036854775809",
                "9007199254740993",
                "4294967295.0",
                "4294967296.0",
                "3.000000000000001",
                "-0",
                "-0.0",
                "0e0",
                "01",
                "1.",
                ".5",
                "+1",
                "NaN",
                "Infinity",
            ]
            .as_slice()
        )
        .prop_map(str::to_owned),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| format!("{n:e}")),
        "-?[1-9][0-9]{0,400}(\\.[0-9]{1,40})?([eE][-+]?[0-9]{1,5})?",
    ];
    let nesting = (1usize..3000, 0usize..3000, any::<bool>()).prop_map(|(open, close, array)| {
        let (left, right) = if array { ("[", "]") } else { ("{\"a\":", "}") };
        format!("{}1{}", left.repeat(open), right.repeat(close.min(open)))
    });
    let escaped = prop::collection::vec(
        select(
            [
                "\\u0000",
                "\\u001f",
                "\\ud800",
                "\\udc00",
                "\\ud83d\\ude00",
                "\\ud83d",
                "\\u00e9",
                "\\uffff",
                "\\u12",
                "\\x41",
                "\\\"",
                "\\\\",
                "\\/",
                "\\b\\f\\n\\r\\t",
                "é",
                "😀",
                "\u{7f}",
                "A",
                "9",
            ]
            .as_slice(),
        ),
        0..24,
    )
    .prop_map(|pieces| format!("\"{}\"", pieces.concat()));
    let trytes = (any_trytes(0..200), any::<bool>()).prop_map(|(trytes, lower)| {
        let text = trytes.to_string();
        format!("\"{}\"", if lower { text.to_lowercase() } else { text })
    });
    let long_trytes = (0usize..3000).prop_map(|len| format!("\"{}\"", "A".repeat(len)));
    let junk = prop::collection::vec(any::<u8>(), 0..32)
        .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    prop_oneof![
        3 => wrong_type,
        3 => odd_number,
        1 => nesting,
        2 => escaped,
        2 => trytes,
        1 => long_trytes,
        1 => junk,
    ]
}

/// One change to a JSON document, at one of its values (in document order;
/// the whole document is the first), or for member edits one of its objects.
#[derive(Debug, Clone)]
pub enum JsonEdit {
    /// The value becomes this text.
    Replace(Index, String),
    /// An object loses one member (other values are left alone).
    DropMember(Index, Index),
    /// An object member's key is renamed (the new key as JSON text).
    RenameMember(Index, Index, String),
    /// An object repeats one of its keys, with this value.
    RepeatMember(Index, Index, String),
    /// An object gains a member (its key and value as JSON text).
    AddMember(Index, String, String),
    /// The value is wrapped in an array or under a key.
    Wrap(Index, bool),
}

/// A JSON edit.
pub fn json_edit() -> impl Strategy<Value = JsonEdit> {
    // Keys as JSON text: `"\u0074ype"` is `type` spelled with an escape.
    let key = prop_oneof![
        select(
            [
                "\"type\"",
                "\"Type\"",
                "\"sender\"",
                "\"root\"",
                "\"\"",
                "\"\\u0074ype\"",
                "\"type \"",
            ]
            .as_slice()
        )
        .prop_map(str::to_owned),
        "[a-zA-Z]{0,12}".prop_map(|key| format!("\"{key}\"")),
    ];
    prop_oneof![
        6 => (any::<Index>(), raw_json()).prop_map(|(at, raw)| JsonEdit::Replace(at, raw)),
        1 => (any::<Index>(), any::<Index>())
            .prop_map(|(at, member)| JsonEdit::DropMember(at, member)),
        1 => (any::<Index>(), any::<Index>(), key.clone())
            .prop_map(|(at, member, key)| JsonEdit::RenameMember(at, member, key)),
        1 => (any::<Index>(), any::<Index>(), raw_json())
            .prop_map(|(at, member, raw)| JsonEdit::RepeatMember(at, member, raw)),
        1 => (any::<Index>(), key, raw_json())
            .prop_map(|(at, key, raw)| JsonEdit::AddMember(at, key, raw)),
        1 => (any::<Index>(), any::<bool>()).prop_map(|(at, array)| JsonEdit::Wrap(at, array)),
    ]
}

/// `document` written as JSON text with `edit` applied.
pub fn apply_json(document: &Value, edit: &JsonEdit) -> String {
    let (at, objects_only) = match edit {
        JsonEdit::Replace(at, _) | JsonEdit::Wrap(at, _) => (at, false),
        JsonEdit::DropMember(at, _)
        | JsonEdit::RenameMember(at, _, _)
        | JsonEdit::RepeatMember(at, _, _)
        | JsonEdit::AddMember(at, _, _) => (at, true),
    };
    let targets = count_targets(document, objects_only);
    let mut out = String::new();
    if targets == 0 {
        // An object edit on a document without objects.
        out.push_str(&document.to_string());
    } else {
        let mut target = Target {
            at: at.index(targets),
            objects_only,
            seen: 0,
        };
        write_json(document, edit, &mut target, &mut out);
    }
    out
}

/// Which value an edit is aimed at: the `at`-th (in document order) of
/// all values, or of the objects for an edit of members.
struct Target {
    at: usize,
    objects_only: bool,
    seen: usize,
}

impl Target {
    /// Whether `value` is the one; call once per value, in document order.
    fn hit(&mut self, value: &Value) -> bool {
        if self.objects_only && !value.is_object() {
            return false;
        }
        self.seen += 1;
        self.seen - 1 == self.at
    }
}

fn count_targets(value: &Value, objects_only: bool) -> usize {
    let here = usize::from(!objects_only || value.is_object());
    here + match value {
        Value::Array(items) => items.iter().map(|v| count_targets(v, objects_only)).sum(),
        Value::Object(members) => members
            .values()
            .map(|v| count_targets(v, objects_only))
            .sum(),
        _ => 0,
    }
}

fn write_key(key: &str, out: &mut String) {
    out.push_str(&Value::from(key).to_string());
    out.push(':');
}

fn write_json(value: &Value, edit: &JsonEdit, target: &mut Target, out: &mut String) {
    if target.hit(value) {
        match (edit, value) {
            (JsonEdit::Replace(_, raw), _) => {
                out.push_str(raw);
                return;
            }
            (JsonEdit::Wrap(_, true), _) => {
                out.push('[');
                out.push_str(&value.to_string());
                out.push(']');
                return;
            }
            (JsonEdit::Wrap(_, false), _) => {
                out.push_str("{\"value\":");
                out.push_str(&value.to_string());
                out.push('}');
                return;
            }
            (JsonEdit::AddMember(_, key, raw), Value::Object(members)) => {
                out.push('{');
                out.push_str(key);
                out.push(':');
                out.push_str(raw);
                for (key, member) in members {
                    out.push(',');
                    write_key(key, out);
                    out.push_str(&member.to_string());
                }
                out.push('}');
                return;
            }
            (
                JsonEdit::DropMember(_, member)
                | JsonEdit::RenameMember(_, member, _)
                | JsonEdit::RepeatMember(_, member, _),
                Value::Object(members),
            ) if !members.is_empty() => {
                let chosen = member.index(members.len());
                let mut parts = Vec::new();
                for (i, (key, member)) in members.iter().enumerate() {
                    let mut part = String::new();
                    match edit {
                        JsonEdit::DropMember(..) if i == chosen => continue,
                        JsonEdit::RenameMember(_, _, new_key) if i == chosen => {
                            part.push_str(new_key);
                            part.push(':');
                        }
                        _ => write_key(key, &mut part),
                    }
                    part.push_str(&member.to_string());
                    parts.push(part);
                    if let (JsonEdit::RepeatMember(_, _, raw), true) = (edit, i == chosen) {
                        let mut again = String::new();
                        write_key(key, &mut again);
                        again.push_str(raw);
                        parts.push(again);
                    }
                }
                out.push('{');
                out.push_str(&parts.join(","));
                out.push('}');
                return;
            }
            // Member edits are aimed at objects only; an empty one has
            // nothing to drop, rename or repeat.
            _ => {}
        }
    }
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, edit, target, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, member)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_key(key, out);
                write_json(member, edit, target, out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}
