//! Fuzz-style properties on stable Rust: whatever bytes reach the framer, and
//! whatever a telegram's lines hold, nothing panics, and the real telegrams
//! still come through.
//!
//! Inputs are arbitrary bytes and the recorded telegrams of
//! `testdata/telegrams` mutated the way a serial line or a broken meter
//! would: bits flipped, cut short, bytes inserted, stretches repeated or
//! lost. Each property runs [`CASES`] cases (well under a second in
//! release); for a longer run set proptest's `PROPTEST_CASES`, e.g.
//! `PROPTEST_CASES=100000 cargo test --release -p p1-telegram --test fuzz_framer_and_readings`.

#![cfg(not(target_arch = "wasm32"))]

mod fixtures;

use p1_telegram::crc::crc16;
use p1_telegram::obis::{objects, ObisCode};
use p1_telegram::{
    CrcCheck, DsmrVersion, FramerEvent, MeterTimestamp, Readings, Telegram, TelegramFramer,
};
use proptest::prelude::*;
use proptest::sample::Index;
use std::sync::OnceLock;

/// Cases per property in a normal `cargo test`.
const CASES: u32 = 1000;

/// [`CASES`], unless `PROPTEST_CASES` asks for another number.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// One way the bytes of a telegram get damaged on their way to the reader.
#[derive(Debug, Clone)]
enum Mutation {
    /// One bit of one byte inverted (line noise).
    FlipBit { at: Index, bit: u8 },
    /// Everything from `at` on lost (cable pulled).
    Truncate { at: Index },
    /// Foreign bytes inserted at `at`.
    Insert { at: Index, bytes: Vec<u8> },
    /// A stretch sent twice (a converter's buffer replayed).
    Duplicate { from: Index, len: usize, at: Index },
    /// A stretch lost (buffer overrun).
    Delete { from: Index, len: usize },
}

impl Mutation {
    fn apply(&self, bytes: &mut Vec<u8>) {
        match self {
            Mutation::FlipBit { at, bit } => {
                if !bytes.is_empty() {
                    let i = at.index(bytes.len());
                    bytes[i] ^= 1 << (bit % 8);
                }
            }
            Mutation::Truncate { at } => bytes.truncate(at.index(bytes.len() + 1)),
            Mutation::Insert { at, bytes: new } => {
                let i = at.index(bytes.len() + 1);
                bytes.splice(i..i, new.iter().copied());
            }
            Mutation::Duplicate { from, len, at } => {
                if !bytes.is_empty() {
                    let start = from.index(bytes.len());
                    let end = (start + len).min(bytes.len());
                    let copy = bytes[start..end].to_vec();
                    let i = at.index(bytes.len() + 1);
                    bytes.splice(i..i, copy);
                }
            }
            Mutation::Delete { from, len } => {
                if !bytes.is_empty() {
                    let start = from.index(bytes.len());
                    let end = (start + len).min(bytes.len());
                    bytes.drain(start..end);
                }
            }
        }
    }
}

/// Bytes a meter or a line is likely to produce, and any byte at all.
fn p1_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => any::<u8>(),
        1 => prop::sample::select(b"/!\r\n()*.-:0123456789ABCDEFSWkmWhV".to_vec()),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), any::<u8>()).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        1 => any::<Index>().prop_map(|at| Mutation::Truncate { at }),
        2 => (any::<Index>(), prop::collection::vec(p1_byte(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        1 => (any::<Index>(), 1usize..200, any::<Index>())
            .prop_map(|(from, len, at)| Mutation::Duplicate { from, len, at }),
        1 => (any::<Index>(), 1usize..50).prop_map(|(from, len)| Mutation::Delete { from, len }),
    ]
}

/// The recorded telegram files, read once per test binary.
fn recordings() -> &'static [(String, Vec<u8>)] {
    static FILES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(fixtures::telegram_files)
}

/// A recorded telegram file, by index into [`recordings`].
fn recording() -> impl Strategy<Value = usize> {
    0..recordings().len()
}

/// Feeds `stream` in the chunks `cuts` gives and ends it; returns every event.
fn frame(stream: &[u8], cuts: &[usize]) -> Vec<FramerEvent> {
    let mut framer = TelegramFramer::new();
    let mut events = fixtures::push_in_chunks(&mut framer, stream, cuts);
    events.extend(framer.finish());
    let stats = framer.stats();
    let telegrams = events
        .iter()
        .filter(|e| matches!(e, FramerEvent::Telegram(_)))
        .count();
    assert_eq!(stats.telegrams, telegrams as u64, "stats count telegrams");
    events
}

/// Everything a reader does with a telegram; any panic fails the property.
fn read_all_of(telegram: &Telegram) -> Result<(), TestCaseError> {
    let readings = Readings::from_telegram(telegram);
    prop_assert_eq!(readings.version, Some(DsmrVersion::detect(telegram)));
    let _ = (
        readings.delivered_total_kwh(),
        readings.returned_total_kwh(),
    );
    let _ = (telegram.header(), telegram.to_wire_bytes());
    // What the framer yields is one telegram: stored and read back, it is the same.
    prop_assert_eq!(Telegram::parse(telegram.raw()), Ok(telegram.clone()));
    Ok(())
}

fn telegrams_of(events: Vec<FramerEvent>) -> Vec<Telegram> {
    events
        .into_iter()
        .filter_map(|e| match e {
            FramerEvent::Telegram(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The file's telegram from `/` through `!`, and what follows (CRC, CRLF, trailer).
fn split_at_end_mark(file: &[u8]) -> (&[u8], &[u8]) {
    let end = file
        .iter()
        .position(|&b| b == b'!')
        .expect("every recorded telegram has a '!'");
    file.split_at(end + 1)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_in_any_chunking_never_panic(
        stream in prop::collection::vec(p1_byte(), 0..4096),
        cuts in prop::collection::vec(0usize..512, 0..16),
    ) {
        for telegram in telegrams_of(frame(&stream, &cuts)) {
            read_all_of(&telegram)?;
        }
    }

    #[test]
    fn arbitrary_text_never_panics_the_line_readers(text in "[\\PC\r\n]{0,600}") {
        let _ = Telegram::parse(&text);
        for object in objects(&text) {
            let _ = object.last().and_then(|v| v.number());
        }
        for word in text.split(['(', ')', '\r', '\n']) {
            let _ = (ObisCode::parse(word), MeterTimestamp::parse(word));
        }
    }

    #[test]
    fn mutated_recordings_never_panic(
        file in recording(),
        mutations in prop::collection::vec(mutation(), 1..6),
        cuts in prop::collection::vec(0usize..512, 0..8),
    ) {
        let mut bytes = recordings()[file].1.clone();
        for m in &mutations {
            m.apply(&mut bytes);
        }
        for telegram in telegrams_of(frame(&bytes, &cuts)) {
            read_all_of(&telegram)?;
        }
    }

    /// Mutations after which the CRC is made to match again, so that the
    /// damaged lines get past the framer and into the readings.
    #[test]
    fn mutated_lines_with_a_matching_crc_are_read_without_panic(
        file in recording(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let (body, _) = split_at_end_mark(&recordings()[file].1);
        let mut body = body.to_vec();
        for m in &mutations {
            m.apply(&mut body);
        }
        let mut bytes = body.clone();
        bytes.extend_from_slice(format!("{:04X}\r\n", crc16(&body)).as_bytes());
        for telegram in telegrams_of(frame(&bytes, &[])) {
            read_all_of(&telegram)?;
        }
    }

    #[test]
    fn a_recorded_telegram_still_frames_after_arbitrary_noise(
        file in recording(),
        noise in prop_oneof![
            prop::collection::vec(p1_byte(), 0..3000),
            // A damaged copy of some recording: the likeliest noise on a real line.
            (recording(), prop::collection::vec(mutation(), 1..4)).prop_map(|(other, ms)| {
                let mut bytes = recordings()[other].1.clone();
                for m in &ms {
                    m.apply(&mut bytes);
                }
                bytes
            }),
        ],
        cuts in prop::collection::vec(0usize..512, 0..8),
    ) {
        let (name, bytes) = &recordings()[file];
        let expected = telegrams_of(frame(bytes, &[]));
        prop_assert_eq!(expected.len(), 1, "{} frames alone", name);
        let mut framer = TelegramFramer::new();
        fixtures::push_in_chunks(&mut framer, &noise, &cuts);
        // Whatever state the noise left the framer in, the '/' that starts
        // the recording starts a new frame.
        let after = telegrams_of(framer.push(bytes));
        prop_assert_eq!(after, expected, "{} after noise", name);
    }

    /// CRC-16 catches every single-bit error: a flipped bit inside a checked
    /// telegram never yields a telegram, unless it makes a frame mark.
    #[test]
    fn one_flipped_bit_in_a_crc_checked_telegram_is_always_caught(
        file in recording(),
        at in any::<Index>(),
        bit in 0u8..8,
    ) {
        let (name, bytes) = &recordings()[file];
        let checked = telegrams_of(frame(bytes, &[]))
            .first()
            .is_some_and(|t| matches!(t.crc(), CrcCheck::Valid(_)));
        let (body, _) = split_at_end_mark(bytes);
        // Between the '/' and the '!', exclusive.
        let i = 1 + at.index(body.len() - 2);
        let mut damaged = bytes.clone();
        damaged[i] ^= 1 << bit;
        if checked && damaged[i] != b'/' && damaged[i] != b'!' {
            let events = frame(&damaged, &[]);
            prop_assert!(telegrams_of(events.clone()).is_empty(), "{} byte {}: {:?}", name, i, events);
            prop_assert!(
                events.iter().any(|e| matches!(e, FramerEvent::BadCrc { .. })),
                "{} byte {}: {:?}", name, i, events
            );
        }
    }
}
