//! Property: reading a telegram never panics, whatever its lines hold. The
//! meter is outside input: codes, widths, units and bytes can be anything.

#![cfg(not(target_arch = "wasm32"))]

use p1_telegram::crc::crc16;
use p1_telegram::framing::{FramerEvent, TelegramFramer};
use p1_telegram::readings::Readings;
use p1_telegram::version::DsmrVersion;
use proptest::prelude::*;

/// Codes the readers treat specially, so the junk reaches their branches.
const CODES: &[&str] = &[
    "0-0:1.0.0",
    "1-3:0.2.8",
    "0-0:96.1.4",
    "0-0:96.1.1",
    "1-0:1.8.0",
    "1-0:1.8.1",
    "1-0:2.8.2",
    "1-0:1.7.0",
    "1-0:2.7.0",
    "1-0:16.7.0",
    "1-0:1.7.255",
    "1-0:21.7.0",
    "1-0:32.7.0",
    "1-0:31.7.0",
    "0-1:24.1.0",
    "0-1:96.1.0",
    "0-2:24.2.1",
    "0-1:24.2.3",
    "0-1:24.3.0",
    "1-0:99.97.0",
    "0-0:96.13.0",
    "9-9:9.9.9*255",
];

fn line() -> impl Strategy<Value = Vec<u8>> {
    let value = prop::collection::vec(
        prop_oneof![
            Just(b'0'),
            Just(b'9'),
            Just(b'.'),
            Just(b'*'),
            Just(b'('),
            Just(b')'),
            Just(b'S'),
            Just(b'W'),
            Just(b'k'),
            Just(b'-'),
            any::<u8>().prop_filter("no frame marks", |b| *b != b'/' && *b != b'!'),
        ],
        0..24,
    );
    (0..CODES.len(), value, any::<bool>()).prop_map(|(code, value, continuation)| {
        let mut line = if continuation {
            Vec::new()
        } else {
            CODES[code].as_bytes().to_vec()
        };
        line.push(b'(');
        line.extend(value);
        line.extend_from_slice(b")\r\n");
        line
    })
}

proptest! {
    #[test]
    fn reading_any_telegram_never_panics(lines in prop::collection::vec(line(), 0..30)) {
        let mut body = b"/XYZ5\\2TEST\r\n\r\n".to_vec();
        for l in lines {
            body.extend(l);
        }
        body.push(b'!');
        let mut bytes = body.clone();
        bytes.extend(format!("{:04X}\r\n", crc16(&body)).into_bytes());
        let events = TelegramFramer::new().push(&bytes);
        // Junk lines may hold CR/LF mid-line; every frame that comes out must read.
        for event in events {
            if let FramerEvent::Telegram(t) = event {
                let r = Readings::from_telegram(&t);
                prop_assert!(r.version.is_some());
                let _ = DsmrVersion::detect(&t);
            }
        }
    }
}
