//! From telegrams to the energy series Wattt Insights charts. Pure: no
//! browser calls, no clock, no I/O, so it is tested natively.
//!
//! A [`TelegramRecord`](consent_protocol::TelegramRecord) from the meter's
//! channel becomes a [`Reading`] ([`ReadingFromRecord`]) through
//! `p1_telegram`, the reader the Pi uses, timed by the meter's clock in
//! Dutch local time ([`local_time`]). `Reading` and `local_time` live in
//! `meter_aggregate`, which the device shares, and are re-exported here.
//! From readings in time order come the power chart ([`power_series`],
//! downsampled), energy per hour and per day and gas per day
//! ([`intervals`], by the counter rules of [`counter`]: resets, gaps, partial
//! intervals), the current values ([`CurrentValues`]) and the CSV download
//! ([`csv`]). Every series is O(readings) or better: a day at 1 Hz is
//! 86,400 readings.

pub mod counter;
pub mod csv;
pub mod current;
pub mod intervals;
pub mod power;
pub mod range;
pub mod record;

pub use meter_aggregate::{local_time, reading};

#[cfg(test)]
mod tests;

pub use counter::IntervalValue;
pub use csv::{csv_row, readings_csv, CSV_HEADER};
pub use current::CurrentValues;
pub use intervals::{energy_per_day, energy_per_hour, gas_per_day, EnergyInterval, GasInterval};
pub use local_time::LocalDate;
pub use meter_aggregate::{Reading, ReadingError, TimeSource};
pub use power::{power_series, PowerPoint};
pub use range::TimeRange;
pub use record::ReadingFromRecord;
