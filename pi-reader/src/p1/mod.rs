//! The P1 input side: from bytes on the meter's serial port to typed readings.
//!
//! The pipeline is [`serial`] (port settings, reconnecting reader) →
//! [`framing`] (bytes to telegrams, checked by [`crc`]) → [`readings`]
//! (energy, power and gas values out of a telegram, via [`obis`] lines).
//! [`sink`] is the other direction, used when this crate plays the meter.
//!
//! Nothing here publishes or stores anything: a telegram leaves this module as
//! a [`framing::Telegram`] whose text is exactly what the meter sent.

pub mod crc;
pub mod framing;
pub mod obis;
pub mod readings;
pub mod serial;
pub mod sink;
pub mod version;
