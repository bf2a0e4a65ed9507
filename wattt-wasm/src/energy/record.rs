//! A telegram record from the meter's channel as a [`Reading`]. The reading
//! itself lives in `meter_aggregate`, which the device shares; the record
//! is the consent protocol's, which that crate does not know.

use consent_protocol::TelegramRecord;
use meter_aggregate::{Reading, ReadingError};

/// Reading a [`TelegramRecord`]: `Reading::from_record(&record)` with this
/// trait in scope.
pub trait ReadingFromRecord {
    /// Reads a telegram record from the meter's channel: the telegram is
    /// checked (CRC) and read by `p1_telegram`, and timed by the meter's
    /// clock, or by the record's reception time when it has none.
    fn from_record(record: &TelegramRecord) -> Result<Reading, ReadingError>;
}

impl ReadingFromRecord for Reading {
    fn from_record(record: &TelegramRecord) -> Result<Reading, ReadingError> {
        Reading::from_telegram_text(&record.raw, record.timestamp)
    }
}
