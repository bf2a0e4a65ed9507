//! A smart meter's readings, in the order the meter sent them, as closed
//! 15-minute and daily intervals: the counters at each boundary, average
//! and peak power, and how many telegrams an interval rests on.
//!
//! Readings every second reveal what a household does; most services need
//! far less. The device publishes, besides its raw channel, one channel per
//! [`Granularity`], and a household can grant a provider only those.
//!
//! The pipeline is [`reading`] (a telegram read by `p1_telegram` and timed
//! by the meter's clock in Dutch local time, [`local_time`]) →
//! [`aggregate`] (an [`Aggregator`] per granularity, fed one reading at a
//! time, closing intervals as the meter's clock passes their ends).
//!
//! **What it is for:** the one definition of an interval, shared by the
//! device (`pi-reader`, natively) and Wattt Insights (wasm), so a provider
//! can check that the aggregate channel agrees with the raw one.
//!
//! **What it is not for:** I/O. No clock, file, channel or protocol here:
//! the device persists an [`Aggregator`] (it is serde-serialisable) and
//! publishes what it returns; the crate builds for `wasm32-unknown-unknown`.

#![warn(missing_docs)]

pub mod aggregate;
pub mod granularity;
pub mod interval;
pub mod local_time;
pub mod reading;

pub use aggregate::{Aggregator, MAX_FILL_MS, MAX_GAP_MS};
pub use granularity::{Granularity, Span, UnknownGranularity, QUARTER_HOUR_MS};
pub use interval::{BoundaryCounters, CounterValue, GasValue, Interval, PowerSummary};
pub use local_time::LocalDate;
pub use reading::{Reading, ReadingError, TimeSource};
