//! The P1 port itself: the meter's serial line, read and (when this crate
//! plays the meter) written.
//!
//! [`serial`] (port settings, the reconnecting reader) hands the bytes it
//! reads to the `p1-telegram` crate, which frames and checks them and reads
//! their values without any I/O; [`sink`] is the other direction, used when
//! this crate plays the meter.
//!
//! Nothing here publishes or stores anything: a telegram leaves this module as
//! a [`p1_telegram::Telegram`] whose text is exactly what the meter sent.

pub mod serial;
pub mod sink;
