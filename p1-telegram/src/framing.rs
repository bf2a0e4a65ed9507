//! Cutting a P1 byte stream into telegrams.
//!
//! A telegram starts at `/` and ends at `!`, followed either by the CRC as hex
//! digits and CRLF (DSMR 4 and later, and most non-Dutch meters) or by CRLF at
//! once (DSMR 2.2 and 3, EasyMeter: no CRC). The serial port hands over bytes
//! in chunks split anywhere, so [`TelegramFramer`] keeps its state between
//! chunks: any chunking of the same stream yields the same events.
//!
//! What the framer does not accept it skips and reports, never fails on:
//! bytes outside a telegram, frames that grow past a size bound, frames cut
//! off by a new `/`, and frames whose CRC does not match.

use crate::crc::crc16;
use crate::telegram::{CrcCheck, Telegram};

/// Largest telegram the framer accepts, in bytes. Real telegrams are 0.2 to
/// 2 KiB; the bound stops a stream without `!` from growing the buffer.
pub const MAX_TELEGRAM_BYTES: usize = 16 * 1024;

/// At most this many hex digits follow `!` (DSMR 5.0.2 §6.2: four; some
/// meters drop leading zeros and send fewer).
const MAX_CRC_DIGITS: usize = 4;

/// Why the framer skipped bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscardReason {
    /// Bytes outside any telegram (before `/`, or after a telegram's CRLF).
    Garbage,
    /// A frame grew past [`MAX_TELEGRAM_BYTES`] without ending.
    TooLong,
    /// A new `/` arrived before the frame ended (cable pulled mid-telegram,
    /// reader started mid-telegram, lost bytes).
    Restarted,
    /// `!` was not followed by hex digits and CRLF.
    MalformedEnd,
    /// The stream ended inside a frame ([`TelegramFramer::finish`]).
    Truncated,
}

/// What the framer makes of the bytes it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FramerEvent {
    /// A complete telegram whose CRC matched or that has none.
    Telegram(Telegram),
    /// A complete frame whose CRC did not match; its content is dropped.
    BadCrc {
        /// The CRC the frame carried.
        expected: u16,
        /// The CRC of the frame's content.
        computed: u16,
    },
    /// Bytes skipped, and why.
    Discarded {
        /// How many bytes were skipped.
        bytes: usize,
        /// Why they were skipped.
        reason: DiscardReason,
    },
}

/// Running totals of a framer, for the device's status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FramerStats {
    /// Telegrams yielded.
    pub telegrams: u64,
    /// Frames dropped for a CRC mismatch.
    pub bad_crc: u64,
    /// Frames dropped for being too long, cut off or malformed.
    pub dropped_frames: u64,
    /// Bytes skipped outside frames.
    pub garbage_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Outside a frame, counting skipped bytes.
    Idle,
    /// Inside a frame, before `!`.
    Body,
    /// After `!`, reading up to four CRC digits.
    Crc,
    /// After the CRC digits and CR, expecting LF.
    CrcCr,
}

/// Streaming framer: feed it chunks with [`TelegramFramer::push`].
#[derive(Debug)]
pub struct TelegramFramer {
    state: State,
    frame: Vec<u8>,
    /// Length of `frame` through `!`, once seen.
    body_len: usize,
    garbage: usize,
    max_len: usize,
    stats: FramerStats,
}

impl Default for TelegramFramer {
    fn default() -> Self {
        Self::new()
    }
}

impl TelegramFramer {
    /// A framer with the size bound [`MAX_TELEGRAM_BYTES`].
    pub fn new() -> Self {
        Self::with_max_len(MAX_TELEGRAM_BYTES)
    }

    /// A framer that drops frames longer than `max_len` bytes.
    pub fn with_max_len(max_len: usize) -> Self {
        TelegramFramer {
            state: State::Idle,
            frame: Vec::new(),
            body_len: 0,
            garbage: 0,
            max_len,
            stats: FramerStats::default(),
        }
    }

    /// Totals since the framer was made.
    pub fn stats(&self) -> FramerStats {
        self.stats
    }

    /// Feeds the next chunk of the stream and returns what it completed.
    /// Skipped bytes outside frames are reported when the next frame starts
    /// (or at [`TelegramFramer::finish`]), so a run of garbage is one event.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<FramerEvent> {
        let mut events = Vec::new();
        for &byte in chunk {
            self.push_byte(byte, &mut events);
        }
        events
    }

    /// Ends the stream: reports a pending run of garbage and an unfinished
    /// frame, and leaves the framer ready for a new stream.
    pub fn finish(&mut self) -> Vec<FramerEvent> {
        let mut events = Vec::new();
        if self.state != State::Idle {
            self.drop_frame(DiscardReason::Truncated, &mut events);
        }
        self.flush_garbage(&mut events);
        events
    }

    fn push_byte(&mut self, byte: u8, events: &mut Vec<FramerEvent>) {
        match self.state {
            State::Idle => {
                if byte == b'/' {
                    self.flush_garbage(events);
                    self.start_frame();
                } else {
                    self.garbage += 1;
                    self.stats.garbage_bytes += 1;
                }
            }
            State::Body => match byte {
                b'/' => {
                    self.drop_frame(DiscardReason::Restarted, events);
                    self.start_frame();
                }
                b'!' => {
                    self.frame.push(byte);
                    self.body_len = self.frame.len();
                    self.state = State::Crc;
                }
                _ => {
                    self.frame.push(byte);
                    if self.frame.len() > self.max_len {
                        self.drop_frame(DiscardReason::TooLong, events);
                    }
                }
            },
            State::Crc => {
                let digits = self.frame.len() - self.body_len;
                match byte {
                    b'\r' => self.state = State::CrcCr,
                    // Some converters drop the CR; the LF still ends the line.
                    b'\n' => self.complete_frame(events),
                    b if b.is_ascii_hexdigit() && digits < MAX_CRC_DIGITS => self.frame.push(b),
                    _ => {
                        self.drop_frame(DiscardReason::MalformedEnd, events);
                        self.push_byte(byte, events);
                    }
                }
            }
            State::CrcCr => {
                if byte == b'\n' {
                    self.complete_frame(events);
                } else {
                    self.drop_frame(DiscardReason::MalformedEnd, events);
                    self.push_byte(byte, events);
                }
            }
        }
    }

    fn start_frame(&mut self) {
        self.frame.clear();
        self.frame.push(b'/');
        self.body_len = 0;
        self.state = State::Body;
    }

    fn flush_garbage(&mut self, events: &mut Vec<FramerEvent>) {
        if self.garbage > 0 {
            events.push(FramerEvent::Discarded {
                bytes: self.garbage,
                reason: DiscardReason::Garbage,
            });
            self.garbage = 0;
        }
    }

    fn drop_frame(&mut self, reason: DiscardReason, events: &mut Vec<FramerEvent>) {
        events.push(FramerEvent::Discarded {
            bytes: self.frame.len(),
            reason,
        });
        self.stats.dropped_frames += 1;
        self.frame.clear();
        self.state = State::Idle;
    }

    fn complete_frame(&mut self, events: &mut Vec<FramerEvent>) {
        let (body, crc_digits) = self.frame.split_at(self.body_len);
        let crc = if crc_digits.is_empty() {
            Some(CrcCheck::Absent)
        } else {
            let expected = std::str::from_utf8(crc_digits)
                .ok()
                .and_then(|hex| u16::from_str_radix(hex, 16).ok());
            let computed = crc16(body);
            match expected {
                Some(expected) if expected == computed => Some(CrcCheck::Valid(computed)),
                Some(expected) => {
                    events.push(FramerEvent::BadCrc { expected, computed });
                    self.stats.bad_crc += 1;
                    None
                }
                // Unreachable: only hex digits are pushed after `!`.
                None => {
                    self.drop_frame(DiscardReason::MalformedEnd, events);
                    return;
                }
            }
        };
        if let Some(crc) = crc {
            let raw = self.frame.iter().map(|&b| char::from(b)).collect();
            events.push(FramerEvent::Telegram(Telegram::checked(raw, crc)));
            self.stats.telegrams += 1;
        }
        self.frame.clear();
        self.state = State::Idle;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_telegrams::{with_crc, V5_LIKE};

    fn telegrams(events: &[FramerEvent]) -> Vec<&Telegram> {
        events
            .iter()
            .filter_map(|e| match e {
                FramerEvent::Telegram(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn telegram_with_crc_is_yielded_without_final_crlf() {
        let bytes = with_crc(V5_LIKE);
        let events = TelegramFramer::new().push(&bytes);
        let ts = telegrams(&events);
        assert_eq!(ts.len(), 1);
        assert_eq!(ts[0].to_wire_bytes(), bytes);
        assert_eq!(ts[0].crc(), CrcCheck::Valid(crc16(V5_LIKE)));
        assert_eq!(ts[0].header(), "ISk5\\2MT382-1000");
    }

    #[test]
    fn garbage_before_the_first_telegram_is_counted_once() {
        let mut bytes = b"1.8.1(0001*kWh)\r\n".to_vec();
        bytes.extend(with_crc(V5_LIKE));
        let mut framer = TelegramFramer::new();
        let events = framer.push(&bytes);
        assert_eq!(
            events[0],
            FramerEvent::Discarded {
                bytes: 17,
                reason: DiscardReason::Garbage
            }
        );
        assert_eq!(telegrams(&events).len(), 1);
        assert_eq!(framer.stats().garbage_bytes, 17);
    }

    #[test]
    fn new_slash_mid_frame_abandons_the_old_frame() {
        let mut bytes = b"/KFM5KAIFA\r\n\r\n1-0:1.8".to_vec();
        bytes.extend(with_crc(V5_LIKE));
        let mut framer = TelegramFramer::new();
        let events = framer.push(&bytes);
        assert_eq!(
            events[0],
            FramerEvent::Discarded {
                bytes: 21,
                reason: DiscardReason::Restarted
            }
        );
        assert_eq!(telegrams(&events).len(), 1);
        assert_eq!(framer.stats().dropped_frames, 1);
    }

    #[test]
    fn overlong_frame_is_dropped_and_the_next_one_kept() {
        let mut bytes = b"/XXX\r\n\r\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'0', 100));
        bytes.extend(with_crc(V5_LIKE));
        let mut framer = TelegramFramer::with_max_len(64);
        let events = framer.push(&bytes);
        assert!(matches!(
            events[0],
            FramerEvent::Discarded {
                reason: DiscardReason::TooLong,
                ..
            }
        ));
        assert_eq!(telegrams(&events).len(), 1);
    }

    #[test]
    fn crc_with_fewer_than_four_digits_is_accepted() {
        // Find a body whose CRC has a leading zero nibble, as some meters
        // then send three digits.
        let body = (0..)
            .map(|i| format!("/ABC5\r\n\r\n0-0:96.1.1({i})\r\n!").into_bytes())
            .find(|b| crc16(b) < 0x1000)
            .expect("some body has a CRC below 0x1000");
        let mut bytes = body.clone();
        bytes.extend_from_slice(format!("{:X}\r\n", crc16(&body)).as_bytes());
        let events = TelegramFramer::new().push(&bytes);
        assert_eq!(telegrams(&events).len(), 1);
    }

    #[test]
    fn bad_crc_yields_no_telegram() {
        let mut bytes = with_crc(V5_LIKE);
        bytes[3] ^= 0x01;
        let mut framer = TelegramFramer::new();
        let events = framer.push(&bytes);
        assert!(matches!(events.as_slice(), [FramerEvent::BadCrc { .. }]));
        assert_eq!(framer.stats().bad_crc, 1);
    }

    #[test]
    fn exclamation_mark_followed_by_crlf_is_a_telegram_without_crc() {
        let events = TelegramFramer::new().push(b"/ISk5\\2MT382-1000\r\n\r\n!\r\n");
        assert_eq!(telegrams(&events)[0].crc(), CrcCheck::Absent);
    }

    #[test]
    fn stream_ending_inside_a_frame_reports_it_truncated() {
        let mut framer = TelegramFramer::new();
        assert!(framer.push(b"/ISk5\\2MT").is_empty());
        assert_eq!(
            framer.finish(),
            vec![FramerEvent::Discarded {
                bytes: 9,
                reason: DiscardReason::Truncated
            }]
        );
    }

    #[test]
    fn non_ascii_bytes_survive_the_round_trip() {
        let body = b"/ABC5\xff\x02\r\n\r\n!";
        let bytes = with_crc(body);
        let events = TelegramFramer::new().push(&bytes);
        let t = telegrams(&events)[0].clone();
        assert_eq!(t.to_wire_bytes(), bytes);
        assert_eq!(Telegram::parse(t.raw()), Ok(t));
    }
}
