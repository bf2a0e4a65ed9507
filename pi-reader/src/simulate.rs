//! A DSMR 5 meter simulator, for running the device without a meter.
//!
//! [`MeterSimulator`] makes telegrams the way an Iskra AM550-style DSMR 5
//! meter in the Netherlands does: header `/ISk5\2MT382-1000`, version 50,
//! clock in Dutch local time with `S`/`W` suffix, energy counters that grow
//! by exactly the power shown, a household load with appliances switching on
//! and off and rooftop solar, per-phase voltage and current, and a gas meter
//! that reports every 5 minutes of meter time. The same seed and start time
//! give the same bytes. [`run_simulator`] writes them at the meter's pace.

use crate::p1::sink::wait_until_due;
use p1_telegram::crc::crc16;
use p1_telegram::Telegram;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use mam_lib::calendar::{civil_from_days, days_from_civil};
use mam_lib::time::UnixMillis;
use thiserror::Error;

/// The header an Iskra DSMR 5 meter sends (DSMR 5.0.2 §6.12: `/XXXZ Ident`).
pub const SIMULATED_HEADER: &str = "/ISk5\\2MT382-1000";
/// How often the gas meter reports, in seconds of meter time (DSMR 5: 5 minutes).
pub const GAS_PERIOD_S: i64 = 300;

/// Settings of a simulator run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulateOptions {
    /// Time between telegrams, both on the meter's clock and in real time
    /// (DSMR 5: one second). Zero writes as fast as possible.
    pub interval: Duration,
    /// Stop after this many telegrams; `None` runs until stopped.
    pub count: Option<u64>,
    /// Seed of the pseudo-random load; `None` takes a random one.
    pub seed: Option<u64>,
    /// Meter time of the first telegram, Unix seconds; `None` is now.
    pub start_unix_s: Option<i64>,
}

impl Default for SimulateOptions {
    fn default() -> Self {
        SimulateOptions {
            interval: Duration::from_secs(1),
            count: None,
            seed: None,
            start_unix_s: None,
        }
    }
}

/// A simulator run that failed.
#[derive(Debug, Error)]
pub enum SimulateError {
    /// Writing a telegram to the output failed.
    #[error("writing telegram {index} failed: {source}")]
    Write {
        /// Zero-based number of the telegram.
        index: u64,
        /// The cause.
        source: io::Error,
    },
}

/// Writes telegrams from a [`MeterSimulator`] to `output`, one per
/// `opts.interval` of real time, until `opts.count` is reached or `stop` is
/// set. Calls `progress` with each telegram written and its number.
/// Returns how many telegrams were written.
pub fn run_simulator(
    opts: &SimulateOptions,
    output: &mut dyn Write,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(u64, &Telegram),
) -> Result<u64, SimulateError> {
    let seed = opts.seed.unwrap_or_else(random_seed);
    let start = opts.start_unix_s.unwrap_or_else(unix_now_s);
    let mut meter = MeterSimulator::new(seed, start, opts.interval);
    let began = Instant::now();
    let mut written = 0;
    while opts.count.is_none_or(|count| written < count) {
        let due = began
            + opts
                .interval
                .saturating_mul(u32::try_from(written).unwrap_or(u32::MAX));
        if !wait_until_due(due, stop) {
            break;
        }
        let telegram = meter.next_telegram();
        output
            .write_all(&telegram.to_wire_bytes())
            .and_then(|()| output.flush())
            .map_err(|source| SimulateError::Write {
                index: written,
                source,
            })?;
        progress(written, &telegram);
        written += 1;
    }
    Ok(written)
}

/// The simulated meter's state; each [`MeterSimulator::next_telegram`]
/// advances its clock by the interval.
#[derive(Debug, Clone)]
pub struct MeterSimulator {
    rng: SplitMix64,
    /// Meter time of the next telegram, Unix seconds.
    now_s: i64,
    interval_s: i64,
    /// kWh: delivered tariff 1 and 2, returned tariff 1 and 2.
    counters: [f64; 4],
    gas_m3: f64,
    gas_at_s: i64,
    /// kW delivered and returned since the last telegram, net over the phases.
    power: (f64, f64),
    /// kW delivered and returned per phase since the last telegram.
    phase_power: [(f64, f64); 3],
    voltages: [f64; 3],
    noise_kw: f64,
    cloud: f64,
    solar_peak_kw: f64,
    appliance: Option<(f64, i64)>,
    equipment_id: String,
    gas_equipment_id: String,
}

impl MeterSimulator {
    /// A meter whose first telegram is stamped `start_unix_s`; `interval`
    /// below one second counts as one second (the clock has seconds only).
    pub fn new(seed: u64, start_unix_s: i64, interval: Duration) -> Self {
        let mut rng = SplitMix64(seed);
        let counters = [
            rng.range(500.0, 9000.0),
            rng.range(500.0, 9000.0),
            rng.range(0.0, 3000.0),
            rng.range(0.0, 3000.0),
        ];
        let gas_m3 = rng.range(100.0, 5000.0);
        let serial = rng.next_u64() % 100_000_000_000_000;
        let gas_serial = rng.next_u64() % 100_000_000_000_000;
        MeterSimulator {
            now_s: start_unix_s,
            interval_s: i64::try_from(interval.as_secs()).unwrap_or(i64::MAX).max(1),
            counters,
            gas_m3,
            gas_at_s: start_unix_s.div_euclid(GAS_PERIOD_S) * GAS_PERIOD_S,
            power: (0.0, 0.0),
            phase_power: [(0.0, 0.0); 3],
            voltages: [230.0; 3],
            noise_kw: 0.0,
            cloud: 0.8,
            solar_peak_kw: rng.range(0.0, 5.0),
            appliance: None,
            equipment_id: hex_ascii(&format!("E00{serial:014}")),
            gas_equipment_id: hex_ascii(&format!("G00{gas_serial:014}")),
            rng,
        }
    }

    /// The next telegram: counters first grow by the power of the last
    /// interval, then the power for the coming interval is drawn.
    pub fn next_telegram(&mut self) -> Telegram {
        let local = LocalTime::dutch(self.now_s);
        self.update_gas(&local);
        self.update_power(&local);
        let text = self.render(&local);
        let telegram = Telegram::parse(&text).unwrap_or_else(|e| {
            unreachable!("the simulator renders valid telegrams, but: {e}\n{text}")
        });
        self.advance(&local);
        telegram
    }

    fn advance(&mut self, local: &LocalTime) {
        let hours = self.interval_s as f64 / 3600.0;
        let low_tariff = local.is_low_tariff();
        let (delivered, returned) = self.power;
        let (d, r) = if low_tariff { (0, 2) } else { (1, 3) };
        self.counters[d] += delivered * hours;
        self.counters[r] += returned * hours;
        self.now_s += self.interval_s;
    }

    fn update_gas(&mut self, local: &LocalTime) {
        let period = self.now_s.div_euclid(GAS_PERIOD_S) * GAS_PERIOD_S;
        while self.gas_at_s < period {
            self.gas_at_s += GAS_PERIOD_S;
            // Heating: more in winter and in the morning and evening.
            let winter = local.winter_factor();
            let daily = 0.3 + bump(local.hour_f, 7.0, 1.5) + bump(local.hour_f, 19.0, 2.5);
            let m3_per_hour = 0.05 + 0.6 * winter * daily * self.rng.range(0.5, 1.5);
            self.gas_m3 += m3_per_hour * GAS_PERIOD_S as f64 / 3600.0;
        }
    }

    fn update_power(&mut self, local: &LocalTime) {
        let dt = self.interval_s;
        let h = local.hour_f;
        let base = 0.12 + 0.35 * bump(h, 19.5, 2.0) + 0.2 * bump(h, 7.5, 1.2);
        self.noise_kw = (self.noise_kw * 0.97 + self.rng.range(-0.02, 0.02)).clamp(-0.1, 0.3);
        self.appliance = match self.appliance.take() {
            Some((kw, left)) if left > dt => Some((kw, left - dt)),
            _ if self.rng.range(0.0, 1.0) < dt as f64 / 900.0 => {
                const APPLIANCES: [(f64, i64); 5] =
                    [(2.0, 180), (1.2, 900), (0.8, 1800), (3.0, 60), (0.15, 3600)];
                let (kw, secs) = APPLIANCES[(self.rng.next_u64() % 5) as usize];
                Some((kw, (secs as f64 * self.rng.range(0.5, 1.5)) as i64))
            }
            _ => None,
        };
        let load = (base + self.noise_kw + self.appliance.map_or(0.0, |a| a.0)).max(0.05);
        self.cloud = (self.cloud + self.rng.range(-0.02, 0.02)).clamp(0.15, 1.0);
        let solar =
            self.solar_peak_kw * local.daylight().powf(1.5) * self.cloud * local.summer_factor();
        // The meter nets the phases: solar on one phase offsets load on another.
        let net = load - solar;
        self.power = (round3(net.max(0.0)), round3((-net).max(0.0)));
        let load_split = [0.5, 0.3, 0.2];
        for (phase, share) in load_split.iter().enumerate() {
            let phase_net = load * share - solar / 3.0;
            self.phase_power[phase] = (round3(phase_net.max(0.0)), round3((-phase_net).max(0.0)));
            self.voltages[phase] = (self.voltages[phase] + self.rng.range(-0.3, 0.3)
                - 0.05 * (self.voltages[phase] - 230.0))
                .clamp(220.0, 245.0);
        }
    }

    fn render(&self, local: &LocalTime) -> String {
        let mut t = String::with_capacity(1024);
        let kwh = |x: f64| (x * 1000.0).floor() / 1000.0;
        let (delivered, returned) = self.power;
        let stamp = local.dsmr_stamp();
        let gas_stamp = LocalTime::dutch(self.gas_at_s).dsmr_stamp();
        let tariff = if local.is_low_tariff() { 1 } else { 2 };
        // `write!` into a String cannot fail.
        let _ = write!(
            t,
            "{SIMULATED_HEADER}\r\n\r\n\
             1-3:0.2.8(50)\r\n\
             0-0:1.0.0({stamp})\r\n\
             0-0:96.1.1({id})\r\n\
             1-0:1.8.1({d1:010.3}*kWh)\r\n\
             1-0:1.8.2({d2:010.3}*kWh)\r\n\
             1-0:2.8.1({r1:010.3}*kWh)\r\n\
             1-0:2.8.2({r2:010.3}*kWh)\r\n\
             0-0:96.14.0({tariff:04})\r\n\
             1-0:1.7.0({delivered:06.3}*kW)\r\n\
             1-0:2.7.0({returned:06.3}*kW)\r\n\
             0-0:96.7.21(00004)\r\n\
             0-0:96.7.9(00002)\r\n\
             1-0:99.97.0(0)(0-0:96.7.19)\r\n\
             1-0:32.32.0(00000)\r\n1-0:52.32.0(00000)\r\n1-0:72.32.0(00000)\r\n\
             1-0:32.36.0(00000)\r\n1-0:52.36.0(00000)\r\n1-0:72.36.0(00000)\r\n\
             0-0:96.13.0()\r\n",
            id = self.equipment_id,
            d1 = kwh(self.counters[0]),
            d2 = kwh(self.counters[1]),
            r1 = kwh(self.counters[2]),
            r2 = kwh(self.counters[3]),
        );
        for (c, v) in [32, 52, 72].iter().zip(self.voltages) {
            let _ = write!(t, "1-0:{c}.7.0({v:05.1}*V)\r\n");
        }
        for ((c, (d, r)), v) in [31, 51, 71].iter().zip(self.phase_power).zip(self.voltages) {
            let amps = ((d + r) * 1000.0 / v).round() as u32;
            let _ = write!(t, "1-0:{c}.7.0({amps:03}*A)\r\n");
        }
        for (c, (d, _)) in [21, 41, 61].iter().zip(self.phase_power) {
            let _ = write!(t, "1-0:{c}.7.0({d:06.3}*kW)\r\n");
        }
        for (c, (_, r)) in [22, 42, 62].iter().zip(self.phase_power) {
            let _ = write!(t, "1-0:{c}.7.0({r:06.3}*kW)\r\n");
        }
        let _ = write!(
            t,
            "0-1:24.1.0(003)\r\n\
             0-1:96.1.0({gas_id})\r\n\
             0-1:24.2.1({gas_stamp})({gas:09.3}*m3)\r\n!",
            gas_id = self.gas_equipment_id,
            gas = (self.gas_m3 * 1000.0).floor() / 1000.0,
        );
        let crc = crc16(t.as_bytes());
        let _ = write!(t, "{crc:04X}");
        t
    }
}

/// Hex digits of an ASCII string, as DSMR sends equipment identifiers.
fn hex_ascii(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02X}")).collect()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A bell curve around `centre` hours, 1 at the centre.
fn bump(hour: f64, centre: f64, width: f64) -> f64 {
    (-((hour - centre) / width).powi(2)).exp()
}

/// Dutch civil time (CET, CEST from the last Sunday of March to the last
/// Sunday of October, switching at 01:00 UTC as in the whole EU).
#[derive(Debug, Clone, Copy)]
struct LocalTime {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    hour_f: f64,
    weekday: u32,
    dst: bool,
}

impl LocalTime {
    fn dutch(unix_s: i64) -> Self {
        let dst = is_eu_summer_time(unix_s);
        let local = unix_s + if dst { 7200 } else { 3600 };
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        LocalTime {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs / 60 % 60,
            second: secs % 60,
            hour_f: f64::from(secs) / 3600.0,
            weekday: (days + 4).rem_euclid(7) as u32,
            dst,
        }
    }

    /// `YYMMDDhhmmssS` or `...W`.
    fn dsmr_stamp(&self) -> String {
        format!(
            "{:02}{:02}{:02}{:02}{:02}{:02}{}",
            self.year.rem_euclid(100),
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            if self.dst { 'S' } else { 'W' }
        )
    }

    /// Dutch low tariff (tariff 1): nights 23:00 to 07:00 and weekends.
    fn is_low_tariff(&self) -> bool {
        let weekend = self.weekday == 0 || self.weekday == 6;
        weekend || self.hour >= 23 || self.hour < 7
    }

    /// 1 in June, about 0.2 in December.
    /// How high the sun is in the Netherlands (52° N, 5° E), 0 at night to 1
    /// at solar noon: days from about 7.8 h in December to 16.6 h in June,
    /// solar noon at 12:40 winter time (13:40 summer time).
    fn daylight(&self) -> f64 {
        let day_of_year = f64::from(self.month - 1) * 30.44 + f64::from(self.day);
        let length = 12.2 + 4.4 * ((day_of_year - 172.0) / 365.25 * std::f64::consts::TAU).cos();
        let noon = 12.67 + if self.dst { 1.0 } else { 0.0 };
        let since_sunrise = self.hour_f - (noon - length / 2.0);
        if !(0.0..=length).contains(&since_sunrise) {
            return 0.0;
        }
        (since_sunrise / length * std::f64::consts::PI).sin()
    }

    fn summer_factor(&self) -> f64 {
        let month = f64::from(self.month);
        0.6 + 0.4 * ((month - 3.5) / 6.0 * std::f64::consts::PI).sin()
    }

    /// 1 in January, 0 in July.
    fn winter_factor(&self) -> f64 {
        let month = f64::from(self.month);
        0.5 + 0.5 * ((month - 1.0) / 6.0 * std::f64::consts::PI).cos()
    }
}

fn is_eu_summer_time(unix_s: i64) -> bool {
    let year = civil_from_days(unix_s.div_euclid(86_400)).0;
    let last_sunday = |month: u32| {
        let last = days_from_civil(year, month, 31);
        last - (last + 4).rem_euclid(7)
    };
    let begins = last_sunday(3) * 86_400 + 3600;
    let ends = last_sunday(10) * 86_400 + 3600;
    (begins..ends).contains(&unix_s)
}

/// SplitMix64: a tiny, well-mixed generator; the simulator needs
/// reproducibility, not cryptographic strength.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[low, high)`.
    fn range(&mut self, low: f64, high: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        low + (high - low) * unit
    }
}

fn unix_now_s() -> i64 {
    i64::try_from(UnixMillis::now().as_seconds()).unwrap_or(i64::MAX)
}

/// A seed for the load when none is given: from the system's random
/// source, so two simulators started together differ.
fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    mam_lib::seed::fill_random(&mut bytes);
    u64::from_le_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sun_is_down_on_a_november_evening_and_up_on_a_june_evening() {
        // 17:30 local time, 24 November 2026 and 24 June 2026.
        let november = days_from_civil(2026, 11, 24) * 86_400 + 16 * 3600 + 1800;
        let june = days_from_civil(2026, 6, 24) * 86_400 + 15 * 3600 + 1800;
        assert_eq!(LocalTime::dutch(november).daylight(), 0.0);
        assert!(LocalTime::dutch(june).daylight() > 0.3);
        let december_noon = days_from_civil(2026, 12, 21) * 86_400 + 11 * 3600 + 40 * 60;
        assert!(LocalTime::dutch(december_noon).daylight() > 0.99);
    }

    #[test]
    fn dutch_clock_switches_to_summer_time_on_the_last_sunday_of_march() {
        // 2024-03-31 01:00:00 UTC is the switch.
        let switch = days_from_civil(2024, 3, 31) * 86_400 + 3600;
        assert_eq!(LocalTime::dutch(switch - 1).dsmr_stamp(), "240331015959W");
        assert_eq!(LocalTime::dutch(switch).dsmr_stamp(), "240331030000S");
        let back = days_from_civil(2024, 10, 27) * 86_400 + 3600;
        assert_eq!(LocalTime::dutch(back - 1).dsmr_stamp(), "241027025959S");
        assert_eq!(LocalTime::dutch(back).dsmr_stamp(), "241027020000W");
    }
}
