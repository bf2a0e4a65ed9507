//! The meter's clock as a telegram states it: `0-0:1.0.0(YYMMDDhhmmssS)`,
//! and the time an M-Bus device last reported.

use std::fmt;

/// A meter's clock reading, `YYMMDDhhmmss` plus `S` (summer) or `W` (winter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MeterTimestamp {
    /// Full year, 2000 + `YY`.
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
    /// 0 to 59 (60 tolerated for a leap second).
    pub second: u8,
    /// `Some(true)` for `S` (daylight saving time), `Some(false)` for `W`,
    /// `None` when the meter sends no suffix (DSMR 2.2/3).
    pub dst: Option<bool>,
}

impl MeterTimestamp {
    /// Parses `YYMMDDhhmmss`, `YYMMDDhhmmssS` or `YYMMDDhhmmssW`.
    pub fn parse(text: &str) -> Option<Self> {
        let (digits, dst) = match text.as_bytes().get(12) {
            None => (text, None),
            Some(b'S') if text.len() == 13 => (&text[..12], Some(true)),
            Some(b'W') if text.len() == 13 => (&text[..12], Some(false)),
            Some(_) => return None,
        };
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let two = |i: usize| digits[i..i + 2].parse::<u8>().ok();
        let ts = MeterTimestamp {
            year: 2000 + u16::from(two(0)?),
            month: two(2)?,
            day: two(4)?,
            hour: two(6)?,
            minute: two(8)?,
            second: two(10)?,
            dst,
        };
        let valid = (1..=12).contains(&ts.month)
            && (1..=31).contains(&ts.day)
            && ts.hour < 24
            && ts.minute < 60
            && ts.second <= 60;
        valid.then_some(ts)
    }
}

impl fmt::Display for MeterTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        match self.dst {
            Some(true) => f.write_str(" S"),
            Some(false) => f.write_str(" W"),
            None => Ok(()),
        }
    }
}
