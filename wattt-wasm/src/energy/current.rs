//! The current values, as numbers beside the charts.

use mam_lib::time::UnixMillis;

use super::reading::Reading;

/// What the latest reading says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurrentValues {
    /// When the meter measured it.
    pub time: UnixMillis,
    /// Power taken from the grid now, kW.
    pub power_delivered_kw: Option<f64>,
    /// Power fed into the grid now, kW.
    pub power_returned_kw: Option<f64>,
    /// Taken minus fed, kW: negative while the home returns energy.
    pub net_power_kw: Option<f64>,
    /// The delivered counter (all tariffs), kWh.
    pub delivered_total_kwh: Option<f64>,
    /// The returned counter (all tariffs), kWh.
    pub returned_total_kwh: Option<f64>,
    /// The gas counter, m³, and when the gas meter reported it.
    pub gas: Option<(f64, UnixMillis)>,
}

impl CurrentValues {
    /// The values of the last of `readings` (in time order), if any.
    pub fn latest(readings: &[Reading]) -> Option<Self> {
        let reading = readings.last()?;
        let net_power_kw = match (reading.power_delivered_kw, reading.power_returned_kw) {
            (None, None) => None,
            (delivered, returned) => Some(delivered.unwrap_or(0.0) - returned.unwrap_or(0.0)),
        };
        Some(CurrentValues {
            time: reading.time,
            power_delivered_kw: reading.power_delivered_kw,
            power_returned_kw: reading.power_returned_kw,
            net_power_kw,
            delivered_total_kwh: reading.delivered_total_kwh,
            returned_total_kwh: reading.returned_total_kwh,
            gas: reading.gas_m3.zip(reading.gas_time),
        })
    }
}
