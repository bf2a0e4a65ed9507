//! One telegram, as a meter sent it: the text from `/` through the CRC
//! line, and whether it carried a CRC.
//!
//! A [`Telegram`] is valid by construction: only the framer makes one, from
//! bytes whose CRC it checked, and [`Telegram::parse`] reads stored text back
//! through that same framer. Its text keeps the meter's bytes exactly (each
//! byte is the char of the same number, Latin-1), so it can be stored,
//! published and compared as text and still give the bytes back.

use crate::framing::{FramerEvent, TelegramFramer};
use thiserror::Error;

/// Whether a telegram carried a CRC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrcCheck {
    /// The telegram carried this CRC and it matched the computed one.
    Valid(u16),
    /// The telegram ended with `!` and CRLF: DSMR 2.2/3 and meters like them.
    Absent,
}

/// One telegram as the meter sent it, CRC checked.
///
/// Valid by construction: it starts with `/`, holds one `!`, and its CRC (if
/// any) matched. Obtain one from [`TelegramFramer`] or [`Telegram::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Telegram {
    raw: String,
    crc: CrcCheck,
}

impl Telegram {
    /// A telegram the framer has just checked: `raw` runs from `/` through
    /// the CRC digits, `crc` is what the check found.
    pub(crate) fn checked(raw: String, crc: CrcCheck) -> Self {
        Telegram { raw, crc }
    }

    /// The text from `/` through the CRC line (`!XXXX`, or `!` alone), without
    /// the final CRLF. Each byte became the char of the same number (Latin-1),
    /// so [`Telegram::to_bytes`] gives the meter's bytes back exactly.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The telegram's text, consuming it.
    pub fn into_raw(self) -> String {
        self.raw
    }

    /// Whether the telegram had a CRC (which then matched).
    pub fn crc(&self) -> CrcCheck {
        self.crc
    }

    /// The text from `/` up to, not including, `!`: header and data lines.
    pub fn body(&self) -> &str {
        self.raw
            .rfind('!')
            .map_or(&self.raw[..], |end| &self.raw[..end])
    }

    /// The header line without the `/`, e.g. `ISk5\2MT382-1000`.
    pub fn header(&self) -> &str {
        let body = self.body();
        let end = body.find(['\r', '\n']).unwrap_or(body.len());
        body.get(1..end).unwrap_or("")
    }

    /// The meter's bytes: `raw` encoded back to Latin-1.
    pub fn to_bytes(&self) -> Vec<u8> {
        latin1_bytes(&self.raw)
    }

    /// The bytes a meter sends for this telegram: [`Telegram::to_bytes`] and CRLF.
    pub fn to_wire_bytes(&self) -> Vec<u8> {
        let mut bytes = self.to_bytes();
        bytes.extend_from_slice(b"\r\n");
        bytes
    }

    /// Reads one telegram back from its text, e.g. a stored `raw`. A final
    /// CRLF is optional. The text must be exactly one telegram.
    pub fn parse(raw: &str) -> Result<Telegram, TelegramError> {
        let mut bytes = latin1_bytes_checked(raw).ok_or(TelegramError::NotLatin1)?;
        if !bytes.ends_with(b"\r\n") {
            bytes.extend_from_slice(b"\r\n");
        }
        let mut framer = TelegramFramer::new();
        let mut events = framer.push(&bytes);
        events.extend(framer.finish());
        match events.as_slice() {
            [FramerEvent::Telegram(t)] => Ok(t.clone()),
            [FramerEvent::BadCrc { expected, computed }] => Err(TelegramError::BadCrc {
                expected: *expected,
                computed: *computed,
            }),
            _ => Err(TelegramError::NotOneTelegram),
        }
    }
}

/// Why a text is not a telegram ([`Telegram::parse`]).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum TelegramError {
    /// The text holds a char above U+00FF, which no meter byte decodes to.
    #[error("telegram text has characters outside Latin-1; it did not come from a meter")]
    NotLatin1,
    /// The CRC line does not match the telegram.
    #[error("telegram CRC is {expected:04X} but the content gives {computed:04X}")]
    BadCrc {
        /// The CRC the telegram carries.
        expected: u16,
        /// The CRC of the telegram's content.
        computed: u16,
    },
    /// The text is not one complete telegram from `/` to the CRC line.
    #[error("text is not exactly one telegram from '/' to '!' and its CRC")]
    NotOneTelegram,
}

/// Latin-1 encoding of text that came from [`Telegram`] (every char ≤ U+00FF).
fn latin1_bytes(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

fn latin1_bytes_checked(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_telegrams::{with_crc, V5_LIKE};

    #[test]
    fn parse_rejects_two_telegrams_and_bad_crc() {
        let one = String::from_utf8(with_crc(V5_LIKE)).expect("ascii");
        assert_eq!(
            Telegram::parse(&format!("{one}{one}")),
            Err(TelegramError::NotOneTelegram)
        );
        let bad = one.replace("50", "42");
        assert!(matches!(
            Telegram::parse(&bad),
            Err(TelegramError::BadCrc { .. })
        ));
    }
}
