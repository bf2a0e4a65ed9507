//! One telegram as a [`Reading`]: what `p1_telegram` read, with the
//! meter's clock turned into a moment ([`local_time::meter_time`]). The
//! device aggregates these and Wattt Insights charts them, so both time a
//! telegram the same way.
//!
//! [`local_time::meter_time`]: crate::local_time::meter_time

use mam_lib::time::UnixMillis;
use p1_telegram::{Readings, Telegram, TelegramError};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::local_time::meter_time;

/// Where a [`Reading`]'s time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// The meter's own clock (`0-0:1.0.0`), as Dutch local time.
    Meter,
    /// The Pi's reception time: the telegram has no clock (DSMR 2.2/3) or
    /// states a date that does not exist.
    Reception,
}

/// What one telegram says, as the charts and the aggregates use it.
/// Energies in kWh, powers in kW, gas in m³; a value the meter does not
/// send is `None`. Serialisable, so a device can persist the last one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// When the meter measured it.
    pub time: UnixMillis,
    /// Whether [`Reading::time`] is the meter's clock or the reception time.
    pub time_source: TimeSource,
    /// Power taken from the grid now.
    pub power_delivered_kw: Option<f64>,
    /// Power fed into the grid now (solar homes).
    pub power_returned_kw: Option<f64>,
    /// Counter of energy delivered, tariff 1 (NL: low).
    pub delivered_tariff1_kwh: Option<f64>,
    /// Counter of energy delivered, tariff 2 (NL: normal).
    pub delivered_tariff2_kwh: Option<f64>,
    /// Counter of energy returned, tariff 1.
    pub returned_tariff1_kwh: Option<f64>,
    /// Counter of energy returned, tariff 2.
    pub returned_tariff2_kwh: Option<f64>,
    /// Total energy delivered: the meter's total or the sum of its tariffs.
    pub delivered_total_kwh: Option<f64>,
    /// Total energy returned: the meter's total or the sum of its tariffs.
    pub returned_total_kwh: Option<f64>,
    /// The gas meter's counter.
    pub gas_m3: Option<f64>,
    /// When the gas meter last reported [`Reading::gas_m3`] (hourly in DSMR
    /// 4/5); the reading's own time if the telegram does not say.
    pub gas_time: Option<UnixMillis>,
}

/// Why a telegram's text gives no reading. The caller counts these; none
/// of them stops the rest of the channel from being read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ReadingError {
    /// The text is not a telegram: bad CRC, not Latin-1, not exactly one.
    #[error("corrupt telegram: {0}")]
    Corrupt(#[from] TelegramError),
}

impl Reading {
    /// Reads a telegram's text, received at `received`: the telegram is
    /// checked (CRC) and read by `p1_telegram`, and timed by the meter's
    /// clock, or by the reception time when it has none.
    pub fn from_telegram_text(raw: &str, received: UnixMillis) -> Result<Reading, ReadingError> {
        let telegram = Telegram::parse(raw)?;
        Ok(Reading::from_readings(
            &Readings::from_telegram(&telegram),
            received,
        ))
    }

    /// A reading from what `p1_telegram` read, received at `received`. A
    /// telegram without electricity (a heat meter's) gives a reading whose
    /// values are all `None`, which the series skip.
    pub fn from_readings(readings: &Readings, received: UnixMillis) -> Reading {
        let meter = readings
            .timestamp
            .as_ref()
            .and_then(|t| meter_time(t, received));
        let (time, time_source) = match meter {
            Some(time) => (time, TimeSource::Meter),
            None => (received, TimeSource::Reception),
        };
        let gas_time = readings.gas_m3.map(|_| {
            readings
                .gas_timestamp
                .as_ref()
                .and_then(|t| meter_time(t, time))
                .unwrap_or(time)
        });
        Reading {
            time,
            time_source,
            power_delivered_kw: readings.power_delivered_kw,
            power_returned_kw: readings.power_returned_kw,
            delivered_tariff1_kwh: readings.energy_delivered_tariff1_kwh,
            delivered_tariff2_kwh: readings.energy_delivered_tariff2_kwh,
            returned_tariff1_kwh: readings.energy_returned_tariff1_kwh,
            returned_tariff2_kwh: readings.energy_returned_tariff2_kwh,
            delivered_total_kwh: readings.delivered_total_kwh(),
            returned_total_kwh: readings.returned_total_kwh(),
            gas_m3: readings.gas_m3,
            gas_time,
        }
    }
}
