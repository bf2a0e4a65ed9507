//! Known-answer tests against IOTA's reference JavaScript libraries.
//!
//! The vectors in `tests/vectors/` are written by `interop/generate-vectors.mjs`
//! (`npm run vectors` in `interop/`) from `@iota/core`, `@iota/curl`,
//! `@iota/kerl`, `@iota/converter`, the original MAM (`@iota/mam` 0.7.3) and
//! `@iota/mam.js` 1.0.0-beta.10; `interop/README.md` describes the formats and
//! what each reference accepts. The live cross-check with fresh random inputs
//! is `scripts/test-interop.sh`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use mam_lib::address::{generate_address, Security};
use mam_lib::curl::{CurlP, Rounds};
use mam_lib::kerl::Kerl;
use mam_lib::mam::{
    message_address, parse, Channel, ChannelPosition, CreatedMessage, Mode, SideKey,
};
use mam_lib::seed::Seed;
use mam_lib::ternary::Trytes;
use serde::de::DeserializeOwned;
use serde::Deserialize;

const ORIGINAL: &str = "@iota/mam 0.7.3";
const MAM_JS: &str = "@iota/mam.js 1.0.0-beta.10";

fn read_vectors<T: DeserializeOwned>(name: &str) -> T {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "vectors", name]
        .iter()
        .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

fn trytes(text: &str) -> Trytes {
    text.parse()
        .unwrap_or_else(|e| panic!("vector trytes {text:.20}…: {e}"))
}

/// Balanced trits of a tryte string, little-endian per tryte, written here
/// independently of mam-lib so the vectors check its conversion too.
fn trits_of(text: &str) -> Vec<i8> {
    const ALPHABET: &str = "9ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    text.chars()
        .flat_map(|c| {
            let mut value = ALPHABET.find(c).expect("tryte character") as i8;
            if value > 13 {
                value -= 27;
            }
            let mut trits = [0i8; 3];
            for trit in &mut trits {
                let mut t = value.rem_euclid(3);
                if t == 2 {
                    t = -1;
                }
                *trit = t;
                value = (value - t) / 3;
            }
            trits
        })
        .collect()
}

// ------------------------------------------------------------- addresses

#[derive(Deserialize)]
struct VectorFile<T> {
    vectors: Vec<T>,
}

#[derive(Deserialize)]
struct AddressVector {
    seed: String,
    index: u64,
    security: u8,
    address: String,
}

#[test]
fn legacy_addresses_equal_iota_core() {
    let file: VectorFile<AddressVector> = read_vectors("addresses.json");
    assert!(file.vectors.len() >= 45);
    for v in &file.vectors {
        let seed: Seed = v.seed.parse().expect("seed");
        let security = Security::try_from(v.security).expect("security");
        assert_eq!(
            generate_address(&seed, v.index, security).to_string(),
            v.address,
            "seed {:.10}… index {} security {}",
            v.seed,
            v.index,
            v.security
        );
    }
}

// ------------------------------------------------------------- sponges

#[derive(Deserialize)]
struct TritRecord {
    trytes: String,
    length: usize,
}

impl TritRecord {
    fn trits(&self) -> Vec<i8> {
        let mut trits = trits_of(&self.trytes);
        trits.truncate(self.length);
        trits
    }
}

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum SpongeOperation {
    Absorb { trits: TritRecord },
    Squeeze { length: usize, expect: TritRecord },
}

#[derive(Deserialize)]
struct SpongeVector {
    name: String,
    #[serde(default)]
    rounds: Option<u32>,
    operations: Vec<SpongeOperation>,
}

#[test]
fn curl_p_27_and_81_match_iota_curl() {
    let file: VectorFile<SpongeVector> = read_vectors("curl.json");
    for rounds in [27, 81] {
        assert!(file.vectors.iter().any(|v| v.rounds == Some(rounds)));
    }
    for v in &file.vectors {
        let mut curl = CurlP::new(match v.rounds {
            Some(27) => Rounds::R27,
            Some(81) => Rounds::R81,
            other => panic!("{}: rounds {other:?}", v.name),
        });
        for (step, op) in v.operations.iter().enumerate() {
            match op {
                SpongeOperation::Absorb { trits } => curl.absorb(&trits.trits()),
                SpongeOperation::Squeeze { length, expect } => {
                    let mut out = vec![0i8; *length];
                    curl.squeeze(&mut out);
                    assert_eq!(
                        out,
                        expect.trits(),
                        "Curl-P-{:?} {}: step {step}",
                        v.rounds,
                        v.name
                    );
                }
            }
        }
    }
}

#[test]
fn kerl_matches_iota_kerl() {
    let file: VectorFile<SpongeVector> = read_vectors("kerl.json");
    for v in &file.vectors {
        let mut kerl = Kerl::new();
        for (step, op) in v.operations.iter().enumerate() {
            match op {
                SpongeOperation::Absorb { trits } => kerl.absorb(&trits.trits()).expect("absorb"),
                SpongeOperation::Squeeze { length, expect } => {
                    let mut out = vec![0i8; *length];
                    kerl.squeeze(&mut out).expect("squeeze");
                    assert_eq!(out, expect.trits(), "Kerl {}: step {step}", v.name);
                }
            }
        }
    }
}

// ------------------------------------------------------------- converter

#[derive(Deserialize)]
struct TextTrytes {
    text: String,
    trytes: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConverterFile {
    ascii_to_trytes: Vec<TextTrytes>,
    trytes_to_ascii: Vec<TextTrytes>,
    random_round_trip: Vec<TextTrytes>,
}

#[test]
fn ascii_and_bytes_map_to_trytes_like_iota_converter() {
    let file: ConverterFile = read_vectors("converter.json");
    for v in file.ascii_to_trytes.iter().chain(&file.random_round_trip) {
        assert_eq!(
            Trytes::from_ascii(&v.text).expect("ascii").as_str(),
            v.trytes
        );
        assert_eq!(Trytes::from_bytes(v.text.as_bytes()).as_str(), v.trytes);
        assert_eq!(
            trytes(&v.trytes).to_bytes().expect("bytes"),
            v.text.as_bytes()
        );
    }
}

#[test]
fn trytes_decode_to_the_bytes_legacy_readers_see_once_padding_is_dropped() {
    // trytesToAscii drops every "99" pair (byte 0); mam-lib keeps it as a 0 byte.
    let file: ConverterFile = read_vectors("converter.json");
    for v in &file.trytes_to_ascii {
        let bytes: Vec<u8> = trytes(&v.trytes)
            .to_bytes()
            .expect("bytes")
            .into_iter()
            .filter(|&b| b != 0)
            .collect();
        assert_eq!(bytes, v.text.as_bytes(), "{}", v.trytes);
    }
}

// ------------------------------------------------------------- MAM

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct Position {
    start: u64,
    count: u64,
    next_count: u64,
    index: u64,
}

impl From<Position> for ChannelPosition {
    fn from(p: Position) -> ChannelPosition {
        ChannelPosition {
            start: p.start,
            count: p.count,
            next_count: p.next_count,
            index: p.index,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReferenceMessage {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    root: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    next_root: String,
    #[serde(default)]
    payload: String,
    #[serde(default)]
    after: Option<Position>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MamVector {
    name: String,
    seed: String,
    mode: String,
    side_key: Option<String>,
    security: u8,
    #[serde(flatten)]
    position: Position,
    message: String,
    references: BTreeMap<String, ReferenceMessage>,
}

impl MamVector {
    fn side_key(&self) -> Option<SideKey> {
        self.side_key
            .as_deref()
            .map(|k| k.parse().expect("side key"))
    }

    fn channel(&self) -> Channel {
        let mode: Mode = self.mode.parse().expect("mode");
        let mut channel = Channel::new(
            &self.seed.parse().expect("seed"),
            mode,
            self.side_key(),
            Security::try_from(self.security).expect("security"),
        )
        .unwrap_or_else(|e| panic!("{}: Channel::new: {e}", self.name));
        channel
            .set_position(self.position.into())
            .unwrap_or_else(|e| panic!("{}: set_position: {e}", self.name));
        channel
    }

    /// The references that created this message (some refuse some inputs).
    fn made(&self) -> impl Iterator<Item = (&String, &ReferenceMessage)> {
        self.references.iter().filter(|(_, r)| r.error.is_none())
    }
}

/// Where a channel stands after a message at `p`, following the announced
/// next root. The references advance `start` by `next_count` and keep
/// `count`; that is the same whenever `count == next_count`.
fn position_after(p: Position) -> Position {
    if p.index + 1 == p.count {
        Position {
            start: p.start + p.count,
            count: p.next_count,
            next_count: p.next_count,
            index: 0,
        }
    } else {
        Position {
            index: p.index + 1,
            ..p
        }
    }
}

fn mam_vectors() -> Vec<MamVector> {
    read_vectors::<VectorFile<MamVector>>("mam.json").vectors
}

#[test]
fn mam_vectors_cover_every_mode_security_and_size() {
    let vectors = mam_vectors();
    for mode in ["public", "private", "restricted"] {
        for security in 1..=3 {
            for size in [1, 2187, 6562] {
                assert!(
                    vectors.iter().any(|v| v.mode == mode
                        && v.security == security
                        && v.message.len() == size),
                    "missing {mode} security {security} size {size}"
                );
            }
        }
        assert!(vectors
            .iter()
            .any(|v| v.mode == mode && v.message.is_empty()));
        assert!(vectors
            .iter()
            .any(|v| v.mode == mode && v.message.len() > 10_000));
    }
    assert!(vectors.iter().any(|v| v.position.start > 0));
    assert!(vectors.iter().any(|v| v.position.count > 1));
    assert!(vectors.iter().all(|v| v.made().count() >= 1));
}

/// The names a created message goes by (root, address, next root) equal a
/// reference's `[root, address, next root]`.
fn assert_same_names(created: &CreatedMessage, reference: [&str; 3], context: &str) {
    assert_eq!(created.root.as_str(), reference[0], "{context}: root");
    assert_eq!(created.address.as_str(), reference[1], "{context}: address");
    assert_eq!(
        created.next_root.as_str(),
        reference[2],
        "{context}: next root"
    );
}

#[test]
fn mam_creates_the_roots_addresses_and_next_roots_of_both_references() {
    for v in mam_vectors() {
        let mut channel = v.channel();
        let root = channel.root();
        let created = channel
            .create(&trytes(&v.message))
            .unwrap_or_else(|e| panic!("{}: create: {e}", v.name));
        assert_eq!(created.root, root, "{}: create vs root()", v.name);
        for (library, reference) in v.made() {
            assert_same_names(
                &created,
                [&reference.root, &reference.address, &reference.next_root],
                &format!("{} vs {library}", v.name),
            );
            if v.position.count == v.position.next_count {
                let after = reference.after.expect("after");
                assert_eq!(
                    channel.position(),
                    after.into(),
                    "{}: position after vs {library}",
                    v.name
                );
            }
        }
        assert_eq!(
            channel.position(),
            position_after(v.position).into(),
            "{}: position after",
            v.name
        );
    }
}

#[test]
fn mam_parses_the_payloads_of_both_references() {
    let mut parsed_from = BTreeMap::<String, usize>::new();
    for v in mam_vectors() {
        let side_key = v.side_key();
        for (library, reference) in v.made() {
            let parsed = parse(
                &trytes(&reference.payload),
                &trytes(&reference.root),
                side_key.as_ref(),
            )
            .unwrap_or_else(|e| panic!("{}: parsing the payload of {library}: {e}", v.name));
            assert_eq!(
                parsed.message.as_str(),
                v.message,
                "{}: message from {library}",
                v.name
            );
            assert_eq!(
                parsed.next_root.as_str(),
                reference.next_root,
                "{}: next root from {library}",
                v.name
            );
            assert_eq!(
                parsed.index, v.position.index,
                "{}: index from {library}",
                v.name
            );
            *parsed_from.entry(library.clone()).or_default() += 1;
        }
    }
    assert!(
        parsed_from.get(ORIGINAL).copied().unwrap_or(0) > 30,
        "{parsed_from:?}"
    );
    assert!(
        parsed_from.get(MAM_JS).copied().unwrap_or(0) > 30,
        "{parsed_from:?}"
    );
}

#[test]
fn mam_parses_its_own_payloads_for_every_vector_state() {
    for v in mam_vectors() {
        let created = v.channel().create(&trytes(&v.message)).expect("create");
        let parsed = parse(&created.payload, &created.root, v.side_key().as_ref())
            .unwrap_or_else(|e| panic!("{}: own payload: {e}", v.name));
        assert_eq!(parsed.message.as_str(), v.message, "{}", v.name);
        assert_eq!(parsed.next_root, created.next_root, "{}", v.name);
    }
}

#[test]
fn mam_message_addresses_match_the_references() {
    for v in mam_vectors() {
        let mode: Mode = v.mode.parse().expect("mode");
        for (library, reference) in v.made() {
            let address = message_address(&trytes(&reference.root), mode).expect("address");
            assert_eq!(address.as_str(), reference.address, "{}: {library}", v.name);
        }
    }
}

/// Payload variants no reader may accept: every one must be an error, and none
/// may panic.
fn altered_payloads(payload: &str) -> Vec<(String, String)> {
    // The last trytes may be padding that no reader looks at.
    let checked = payload.len() - 3;
    let mut variants = Vec::new();
    for at in [
        0,
        1,
        2,
        3,
        10,
        50,
        90,
        100,
        checked / 2,
        checked - 100,
        checked - 1,
    ] {
        let mut bytes = payload.as_bytes().to_vec();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        variants.push((
            format!("tryte {at} changed"),
            String::from_utf8(bytes).expect("ascii"),
        ));
    }
    for keep in [0, 1, 5, 100, checked / 2, checked - 100] {
        variants.push((
            format!("truncated to {keep} trytes"),
            payload[..keep].to_string(),
        ));
    }
    variants
}

#[test]
fn mam_rejects_altered_truncated_and_misaddressed_payloads() {
    let vectors = mam_vectors();
    let samples = vectors
        .iter()
        .filter(|v| v.message.len() <= 2187 && !v.message.is_empty())
        .step_by(3);
    let mut checked = 0;
    for v in samples {
        let side_key = v.side_key();
        for (library, reference) in v.made() {
            let root = trytes(&reference.root);
            for (what, altered) in altered_payloads(&reference.payload) {
                let result = parse(&trytes(&altered), &root, side_key.as_ref());
                assert!(
                    result.is_err(),
                    "{}: payload of {library} with {what} was accepted",
                    v.name
                );
            }
            let mut other_root = reference.root.clone().into_bytes();
            other_root[40] = if other_root[40] == b'Z' { b'Y' } else { b'Z' };
            let other_root = trytes(std::str::from_utf8(&other_root).expect("ascii"));
            assert!(
                parse(&trytes(&reference.payload), &other_root, side_key.as_ref()).is_err(),
                "{}: payload of {library} accepted under another root",
                v.name
            );
            if v.mode == "restricted" {
                let wrong_key: SideKey = "WRONGKEY".parse().expect("key");
                assert!(
                    parse(&trytes(&reference.payload), &root, Some(&wrong_key)).is_err(),
                    "{}: payload of {library} accepted with another side key",
                    v.name
                );
                assert!(
                    parse(&trytes(&reference.payload), &root, None).is_err(),
                    "{}: restricted payload of {library} accepted without its side key",
                    v.name
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 10);
}

// ------------------------------------------------------------- MAM channels

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChainMessage {
    root: String,
    address: String,
    next_root: String,
    payload: String,
    before: Position,
    after: Position,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChannelVector {
    name: String,
    seed: String,
    mode: String,
    side_key: Option<String>,
    security: u8,
    #[serde(flatten)]
    position: Position,
    messages: Vec<String>,
    references: BTreeMap<String, Vec<ChainMessage>>,
}

#[test]
fn mam_channels_of_consecutive_messages_follow_both_references() {
    let file: VectorFile<ChannelVector> = read_vectors("mam-channels.json");
    for v in &file.vectors {
        let side_key: Option<SideKey> = v.side_key.as_deref().map(|k| k.parse().expect("side key"));
        let mut channel = Channel::new(
            &v.seed.parse().expect("seed"),
            v.mode.parse().expect("mode"),
            side_key.clone(),
            Security::try_from(v.security).expect("security"),
        )
        .expect("channel");
        channel.set_position(v.position.into()).expect("position");
        for (i, message) in v.messages.iter().enumerate() {
            let position = channel.position();
            let created = channel.create(&trytes(message)).expect("create");
            for (library, chain) in &v.references {
                let reference = &chain[i];
                assert_eq!(
                    position,
                    reference.before.into(),
                    "{} #{i}: position before, {library}",
                    v.name
                );
                assert_eq!(
                    channel.position(),
                    reference.after.into(),
                    "{} #{i}: position after, {library}",
                    v.name
                );
                assert_same_names(
                    &created,
                    [&reference.root, &reference.address, &reference.next_root],
                    &format!("{} #{i}, {library}", v.name),
                );
                let parsed = parse(
                    &trytes(&reference.payload),
                    &trytes(&reference.root),
                    side_key.as_ref(),
                )
                .unwrap_or_else(|e| panic!("{} #{i}: payload of {library}: {e}", v.name));
                assert_eq!(parsed.message.as_str(), message.as_str());
                assert_eq!(parsed.next_root.as_str(), reference.next_root);
            }
        }
    }
}

// ------------------------------------------------------------- odd counts

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OddCountVector {
    #[serde(flatten)]
    vector: MamVector,
    valid: bool,
}

#[test]
fn mam_accepts_exactly_the_valid_mam_js_payloads_of_odd_sized_trees() {
    let file: VectorFile<OddCountVector> = read_vectors("mam-odd-counts.json");
    assert!(file.vectors.iter().any(|v| v.valid) && file.vectors.iter().any(|v| !v.valid));
    for OddCountVector { vector: v, valid } in &file.vectors {
        let reference = &v.references[MAM_JS];
        let result = parse(
            &trytes(&reference.payload),
            &trytes(&reference.root),
            v.side_key().as_ref(),
        );
        match (valid, result) {
            (true, Ok(parsed)) => {
                assert_eq!(parsed.message.as_str(), v.message, "{}", v.name);
                assert_eq!(parsed.next_root.as_str(), reference.next_root, "{}", v.name);
            }
            (true, Err(e)) => panic!("{}: rejected: {e}", v.name),
            (false, Ok(_)) => panic!("{}: accepted a payload both references reject", v.name),
            (false, Err(_)) => {}
        }
    }
}

#[test]
fn mam_builds_the_mam_js_tree_when_the_leaf_count_is_not_a_power_of_two() {
    let file: VectorFile<OddCountVector> = read_vectors("mam-odd-counts.json");
    for OddCountVector { vector: v, valid } in &file.vectors {
        let reference = &v.references[MAM_JS];
        let mut channel = v.channel();
        assert_eq!(channel.root().as_str(), reference.root, "{}: root", v.name);
        if *valid {
            let created = channel.create(&trytes(&v.message)).expect("create");
            assert_eq!(created.address.as_str(), reference.address, "{}", v.name);
            assert_eq!(
                created.next_root.as_str(),
                reference.next_root,
                "{}",
                v.name
            );
        }
    }
}
