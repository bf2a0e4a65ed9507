//! Property: however the serial port splits a byte stream into chunks, the
//! framer yields the same events (telegrams, bad CRCs, discards) in order.

#![cfg(not(target_arch = "wasm32"))]

mod fixtures;

use fixtures::events_for_chunks;
use p1_telegram::framing::FramerEvent;
use proptest::prelude::*;

/// A stream of captured telegrams in the chosen order, each optionally
/// preceded by noise and optionally cut short.
fn stream_strategy() -> impl Strategy<Value = Vec<u8>> {
    let files: Vec<Vec<u8>> = fixtures::telegram_files()
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    let count = files.len();
    prop::collection::vec(
        (
            0..count,
            prop::collection::vec(any::<u8>(), 0..8),
            prop::option::of(0.0f64..1.0),
        ),
        1..8,
    )
    .prop_map(move |parts| {
        let mut stream = Vec::new();
        for (index, noise, cut) in parts {
            stream.extend(noise);
            let file = &files[index];
            let len = cut.map_or(file.len(), |c| (file.len() as f64 * c) as usize);
            stream.extend_from_slice(&file[..len]);
        }
        stream
    })
}

proptest! {
    #[test]
    fn any_chunking_of_a_stream_yields_the_same_events(
        stream in stream_strategy(),
        cuts in prop::collection::vec(0usize..300, 0..40),
    ) {
        let whole = events_for_chunks(&stream, &[]);
        prop_assert_eq!(events_for_chunks(&stream, &cuts), whole);
    }

    #[test]
    fn byte_at_a_time_yields_every_whole_telegram(
        order in prop::collection::vec(0usize..13, 1..6),
    ) {
        let files = fixtures::telegram_files();
        let mut stream = Vec::new();
        for &i in &order {
            stream.extend_from_slice(&files[i % files.len()].1);
        }
        let cuts = vec![1; stream.len()];
        let telegrams = events_for_chunks(&stream, &cuts)
            .into_iter()
            .filter(|e| matches!(e, FramerEvent::Telegram(_)))
            .count();
        prop_assert_eq!(telegrams, order.len());
    }
}
