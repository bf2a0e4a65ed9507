//! The readings as CSV for the download: one row per telegram, times in
//! Dutch local time with their offset (unambiguous on the clock-change
//! days), an empty field where the meter sent no value.

use std::fmt::Write;

use super::local_time::format_local;
use super::reading::{Reading, TimeSource};

/// The header row of [`csv_row`], without a line end.
pub const CSV_HEADER: &str = "time,time_source,power_delivered_kw,power_returned_kw,\
delivered_tariff1_kwh,delivered_tariff2_kwh,returned_tariff1_kwh,returned_tariff2_kwh,\
gas_m3,gas_time";

/// A reading as one CSV row in [`CSV_HEADER`]'s columns, without a line
/// end. Every field is a number, a time or a fixed word, so none needs
/// quoting. A free function: [`Reading`] lives in `meter_aggregate`, and the
/// download's format is Wattt's.
pub fn csv_row(reading: &Reading) -> String {
    let mut row = format_local(reading.time);
    row.push_str(match reading.time_source {
        TimeSource::Meter => ",meter",
        TimeSource::Reception => ",reception",
    });
    for value in [
        reading.power_delivered_kw,
        reading.power_returned_kw,
        reading.delivered_tariff1_kwh,
        reading.delivered_tariff2_kwh,
        reading.returned_tariff1_kwh,
        reading.returned_tariff2_kwh,
        reading.gas_m3,
    ] {
        row.push(',');
        if let Some(value) = value {
            // Writing to a String cannot fail.
            let _ = write!(row, "{value}");
        }
    }
    row.push(',');
    row.push_str(&reading.gas_time.map(format_local).unwrap_or_default());
    row
}

/// The readings as a whole CSV file: the header, then one row each, CRLF
/// line ends as RFC 4180 asks.
pub fn readings_csv(readings: &[Reading]) -> String {
    let mut csv = String::with_capacity(100 * (readings.len() + 1));
    csv.push_str(CSV_HEADER);
    csv.push_str("\r\n");
    for reading in readings {
        csv.push_str(&csv_row(reading));
        csv.push_str("\r\n");
    }
    csv
}
