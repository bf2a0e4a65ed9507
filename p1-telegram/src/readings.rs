//! The values a telegram carries: energy counters, power, gas, per-phase data.
//!
//! Lines in the exact DSMR 5 format go through the `dsmr5` crate; every other
//! line (DSMR 2.2/3, e-MUCS, EasyMeter, other widths and units) through the
//! tolerant [`obis`](crate::obis) reader. Units are normalised (Wh to kWh,
//! W to kW). Unknown objects are ignored; reading never fails, a value that is
//! missing or malformed is `None`.

use crate::obis::{objects, CosemObject, CosemValue, ObisCode};
use crate::telegram::Telegram;
use crate::timestamp::MeterTimestamp;
use crate::version::DsmrVersion;

const TIMESTAMP: ObisCode = ObisCode::new(0, 0, 1, 0, 0);
const DELIVERED_TOTAL: ObisCode = ObisCode::new(1, 0, 1, 8, 0);
const DELIVERED_T1: ObisCode = ObisCode::new(1, 0, 1, 8, 1);
const DELIVERED_T2: ObisCode = ObisCode::new(1, 0, 1, 8, 2);
const RETURNED_TOTAL: ObisCode = ObisCode::new(1, 0, 2, 8, 0);
const RETURNED_T1: ObisCode = ObisCode::new(1, 0, 2, 8, 1);
const RETURNED_T2: ObisCode = ObisCode::new(1, 0, 2, 8, 2);
const POWER_DELIVERED: ObisCode = ObisCode::new(1, 0, 1, 7, 0);
const POWER_RETURNED: ObisCode = ObisCode::new(1, 0, 2, 7, 0);
/// EasyMeter: delivered power in W.
const POWER_DELIVERED_EASYMETER: ObisCode = ObisCode::new(1, 0, 1, 7, 255);
/// EasyMeter: net power in W, negative when returning.
const POWER_NET: ObisCode = ObisCode::new(1, 0, 16, 7, 0);
/// Equipment identifiers, most specific first.
const EQUIPMENT_IDS: [ObisCode; 4] = [
    ObisCode::new(0, 0, 96, 1, 1),
    ObisCode::new(0, 0, 96, 1, 0),
    ObisCode::new(0, 0, 96, 1, 255),
    ObisCode::new(1, 0, 0, 0, 0),
];
/// M-Bus device type, `0-n:24.1.0`.
const MBUS_DEVICE_TYPE: ObisCode = ObisCode::new(0, 0, 24, 1, 0);
/// M-Bus equipment identifiers: `0-n:96.1.0` (NL), `0-n:96.1.1` (BE).
const MBUS_IDS: [ObisCode; 2] = [ObisCode::new(0, 0, 96, 1, 0), ObisCode::new(0, 0, 96, 1, 1)];
/// M-Bus readings `(timestamp)(value*unit)`: DSMR 4/5 hourly, e-MUCS 5-minute.
const MBUS_READINGS: [ObisCode; 2] = [ObisCode::new(0, 0, 24, 2, 1), ObisCode::new(0, 0, 24, 2, 3)];
/// DSMR 2.2/3 M-Bus reading: `(ts)(..)(..)(..)(code)(unit)` and `(value)` on the next line.
const MBUS_READING_LEGACY: ObisCode = ObisCode::new(0, 0, 24, 3, 0);

/// M-Bus device type of a gas meter (EN 13757-3).
pub const MBUS_TYPE_GAS: u16 = 3;
/// M-Bus device type of a water meter (EN 13757-3).
pub const MBUS_TYPE_WATER: u16 = 7;

/// Values of one phase (line) of the connection.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PhaseReadings {
    /// Voltage, V.
    pub voltage_v: Option<f64>,
    /// Current, A.
    pub current_a: Option<f64>,
    /// Power taken from the grid on this phase, kW.
    pub power_delivered_kw: Option<f64>,
    /// Power fed into the grid on this phase, kW.
    pub power_returned_kw: Option<f64>,
}

/// One device on the meter's M-Bus (gas, water, heat), by channel 1 to 4.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MbusReading {
    /// The channel, `n` in `0-n:24.2.1`.
    pub channel: u8,
    /// Device type from `0-n:24.1.0` ([`MBUS_TYPE_GAS`], [`MBUS_TYPE_WATER`], ...).
    pub device_type: Option<u16>,
    /// Equipment identifier as sent (often hex-encoded ASCII).
    pub equipment_id: Option<String>,
    /// When the device last reported.
    pub timestamp: Option<MeterTimestamp>,
    /// The counter value in `unit`.
    pub value: Option<f64>,
    /// The unit as sent (`m3`, `GJ`), if any.
    pub unit: Option<String>,
}

/// What a telegram says about the meter. All energies in kWh, powers in kW.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Readings {
    /// The DSMR generation ([`DsmrVersion::detect`]).
    pub version: Option<DsmrVersion>,
    /// The meter's equipment identifier as sent (DSMR 4/5: hex-encoded ASCII).
    pub equipment_id: Option<String>,
    /// The meter's clock (`0-0:1.0.0`; absent in DSMR 2.2/3).
    pub timestamp: Option<MeterTimestamp>,
    /// Total energy delivered to the home if the meter sends it (`1-0:1.8.0`).
    pub energy_delivered_kwh: Option<f64>,
    /// Energy delivered, tariff 1 (NL: low; BE: day).
    pub energy_delivered_tariff1_kwh: Option<f64>,
    /// Energy delivered, tariff 2 (NL: normal; BE: night).
    pub energy_delivered_tariff2_kwh: Option<f64>,
    /// Total energy returned to the grid if the meter sends it (`1-0:2.8.0`).
    pub energy_returned_kwh: Option<f64>,
    /// Energy returned, tariff 1.
    pub energy_returned_tariff1_kwh: Option<f64>,
    /// Energy returned, tariff 2.
    pub energy_returned_tariff2_kwh: Option<f64>,
    /// Power taken from the grid now.
    pub power_delivered_kw: Option<f64>,
    /// Power fed into the grid now.
    pub power_returned_kw: Option<f64>,
    /// Per-phase values, L1 to L3.
    pub phases: [PhaseReadings; 3],
    /// Gas meter reading, m3 (the M-Bus device of type gas with a value in m3).
    pub gas_m3: Option<f64>,
    /// When the gas meter reported [`Readings::gas_m3`].
    pub gas_timestamp: Option<MeterTimestamp>,
    /// Every M-Bus device the telegram lists, by channel.
    pub mbus: Vec<MbusReading>,
    /// How many objects the `dsmr5` crate parsed (the rest went through the
    /// tolerant reader).
    pub dsmr5_objects: usize,
}

impl Readings {
    /// Reads what the telegram carries. Never fails: missing values are `None`.
    pub fn from_telegram(telegram: &Telegram) -> Self {
        let mut readings = Readings {
            version: Some(DsmrVersion::detect(telegram)),
            ..Readings::default()
        };
        // A meter may send several identifiers; keep the most specific one.
        let mut equipment_id: Option<(usize, &str)> = None;
        for object in objects(telegram.body()) {
            let rank = EQUIPMENT_IDS.iter().position(|c| *c == object.code);
            let id = object
                .values
                .first()
                .map(|v| v.text)
                .filter(|t| !t.is_empty());
            if let (Some(rank), Some(id)) = (rank, id) {
                if equipment_id.is_none_or(|(best, _)| rank < best) {
                    equipment_id = Some((rank, id));
                }
            }
            if dsmr5_apply(&mut readings, &object) {
                readings.dsmr5_objects += 1;
            } else {
                readings.apply(&object);
            }
        }
        readings.equipment_id = equipment_id.map(|(_, id)| id.to_owned());
        readings.choose_gas();
        readings
    }

    /// Total energy delivered: the meter's total, or the sum of its tariffs.
    pub fn delivered_total_kwh(&self) -> Option<f64> {
        self.energy_delivered_kwh.or_else(|| {
            sum_present(
                self.energy_delivered_tariff1_kwh,
                self.energy_delivered_tariff2_kwh,
            )
        })
    }

    /// Total energy returned: the meter's total, or the sum of its tariffs.
    pub fn returned_total_kwh(&self) -> Option<f64> {
        self.energy_returned_kwh.or_else(|| {
            sum_present(
                self.energy_returned_tariff1_kwh,
                self.energy_returned_tariff2_kwh,
            )
        })
    }

    fn apply(&mut self, object: &CosemObject<'_>) {
        let code = object.code;
        let first = object.values.first();
        let last = object.last();
        match code {
            TIMESTAMP => self.timestamp = first.and_then(|v| MeterTimestamp::parse(v.text)),
            DELIVERED_TOTAL => self.energy_delivered_kwh = last.and_then(energy_kwh),
            DELIVERED_T1 => self.energy_delivered_tariff1_kwh = last.and_then(energy_kwh),
            DELIVERED_T2 => self.energy_delivered_tariff2_kwh = last.and_then(energy_kwh),
            RETURNED_TOTAL => self.energy_returned_kwh = last.and_then(energy_kwh),
            RETURNED_T1 => self.energy_returned_tariff1_kwh = last.and_then(energy_kwh),
            RETURNED_T2 => self.energy_returned_tariff2_kwh = last.and_then(energy_kwh),
            POWER_DELIVERED | POWER_DELIVERED_EASYMETER => {
                self.power_delivered_kw = last.and_then(power_kw)
            }
            POWER_RETURNED => self.power_returned_kw = last.and_then(power_kw),
            POWER_NET => {
                if let Some(net) = last.and_then(power_kw) {
                    self.power_delivered_kw.get_or_insert(net.max(0.0));
                    self.power_returned_kw.get_or_insert((-net).max(0.0));
                }
            }
            ObisCode { a: 1, b: 0, .. } => self.apply_phase(code, last),
            ObisCode { a: 0, b: 1..=4, .. } => self.apply_mbus(object),
            _ => {}
        }
    }

    fn apply_phase(&mut self, code: ObisCode, value: Option<&CosemValue<'_>>) {
        if code.d != 7 || code.e != 0 {
            return;
        }
        // C groups: 21/41/61 power +, 22/42/62 power -, 31/51/71 current, 32/52/72 voltage.
        let (phase, quantity) = match code.c {
            21..=32 => (0, code.c - 20),
            41..=52 => (1, code.c - 40),
            61..=72 => (2, code.c - 60),
            _ => return,
        };
        let target = &mut self.phases[phase];
        match quantity {
            1 => target.power_delivered_kw = value.and_then(power_kw),
            2 => target.power_returned_kw = value.and_then(power_kw),
            11 => target.current_a = value.and_then(CosemValue::number),
            12 => target.voltage_v = value.and_then(CosemValue::number),
            _ => {}
        }
    }

    fn apply_mbus(&mut self, object: &CosemObject<'_>) {
        let code = object.code;
        let general = code.on_channel(0);
        let device = self.mbus_channel(code.b);
        match general {
            MBUS_DEVICE_TYPE => {
                device.device_type = object.values.first().and_then(|v| v.text.parse().ok())
            }
            _ if MBUS_IDS.contains(&general) => {
                device.equipment_id = object
                    .values
                    .first()
                    .map(|v| v.text.to_owned())
                    .filter(|id| !id.is_empty())
            }
            _ if MBUS_READINGS.contains(&general) => {
                let value = object.values.get(1);
                device.timestamp = object
                    .values
                    .first()
                    .and_then(|v| MeterTimestamp::parse(v.text));
                device.value = value.and_then(CosemValue::number);
                device.unit = value.and_then(|v| v.unit).map(str::to_owned);
            }
            MBUS_READING_LEGACY => {
                device.timestamp = object
                    .values
                    .first()
                    .and_then(|v| MeterTimestamp::parse(v.text));
                device.unit = object.values.get(5).map(|v| v.text.to_owned());
                device.value = object.values.get(6).and_then(CosemValue::number);
            }
            _ => {}
        }
    }

    fn mbus_channel(&mut self, channel: u8) -> &mut MbusReading {
        let index = match self.mbus.iter().position(|m| m.channel == channel) {
            Some(index) => index,
            None => {
                self.mbus.push(MbusReading {
                    channel,
                    ..MbusReading::default()
                });
                self.mbus.len() - 1
            }
        };
        &mut self.mbus[index]
    }

    /// The gas reading is the device of type gas (or unknown type) whose
    /// value is in m3; a device that reports no unit has no meter attached.
    fn choose_gas(&mut self) {
        let is_gas = |m: &&MbusReading| {
            m.device_type.is_none_or(|t| t == MBUS_TYPE_GAS)
                && m.unit
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case("m3"))
                && m.value.is_some()
        };
        if let Some(gas) = self.mbus.iter().find(is_gas) {
            self.gas_m3 = gas.value;
            self.gas_timestamp = gas.timestamp;
        }
    }
}

fn sum_present(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
    }
}

/// An energy value in kWh; DSMR's unit when none is sent.
fn energy_kwh(value: &CosemValue<'_>) -> Option<f64> {
    let number = value.number()?;
    match value.unit.map(str::to_ascii_lowercase).as_deref() {
        None | Some("kwh") => Some(number),
        Some("wh") => Some(number / 1000.0),
        Some("mwh") => Some(number * 1000.0),
        Some(_) => None,
    }
}

/// A power value in kW; DSMR's unit when none is sent.
fn power_kw(value: &CosemValue<'_>) -> Option<f64> {
    let number = value.number()?;
    match value.unit.map(str::to_ascii_lowercase).as_deref() {
        None | Some("kw") => Some(number),
        Some("w") => Some(number / 1000.0),
        Some("mw") => Some(number * 1000.0),
        Some(_) => None,
    }
}

/// Parses `object` with the `dsmr5` crate if it is in the exact DSMR 5 form,
/// and stores what it found. Returns false to leave the object to the
/// tolerant reader.
fn dsmr5_apply(readings: &mut Readings, object: &CosemObject<'_>) -> bool {
    use dsmr5::OBIS;
    // dsmr5 slices strings by byte offsets; keep non-ASCII lines away from it.
    if !object.line.is_ascii() || !has_dsmr5_unit(object) {
        return false;
    }
    let Ok(parsed) = OBIS::parse(object.line) else {
        return false;
    };
    match parsed {
        OBIS::DateTime(tst) => {
            readings.timestamp = Some(MeterTimestamp {
                year: 2000 + u16::from(tst.year),
                month: tst.month,
                day: tst.day,
                hour: tst.hour,
                minute: tst.minute,
                second: tst.second,
                dst: Some(tst.dst),
            })
        }
        OBIS::MeterReadingTo(tariff, value) => {
            let kwh = Some(f64::from(&value));
            match tariff {
                dsmr5::Tariff::Tariff1 => readings.energy_delivered_tariff1_kwh = kwh,
                dsmr5::Tariff::Tariff2 => readings.energy_delivered_tariff2_kwh = kwh,
            }
        }
        OBIS::MeterReadingBy(tariff, value) => {
            let kwh = Some(f64::from(&value));
            match tariff {
                dsmr5::Tariff::Tariff1 => readings.energy_returned_tariff1_kwh = kwh,
                dsmr5::Tariff::Tariff2 => readings.energy_returned_tariff2_kwh = kwh,
            }
        }
        OBIS::PowerDelivered(value) => readings.power_delivered_kw = Some(f64::from(&value)),
        OBIS::PowerReceived(value) => readings.power_returned_kw = Some(f64::from(&value)),
        OBIS::InstantaneousVoltage(line, value) => {
            readings.phases[line as usize].voltage_v = Some(f64::from(&value))
        }
        OBIS::InstantaneousCurrent(line, dsmr5::types::UFixedInteger(amps)) => {
            readings.phases[line as usize].current_a = Some(amps as f64)
        }
        OBIS::InstantaneousActivePowerPlus(line, value) => {
            readings.phases[line as usize].power_delivered_kw = Some(f64::from(&value))
        }
        OBIS::InstantaneousActivePowerNeg(line, value) => {
            readings.phases[line as usize].power_returned_kw = Some(f64::from(&value))
        }
        // Identifiers, M-Bus devices and the rest: the tolerant reader keeps
        // them as sent, which dsmr5's types do not expose.
        _ => return false,
    }
    true
}

/// Whether the object's unit is the one DSMR 5 prescribes for its code;
/// dsmr5 reads fixed widths and ignores units, so `(000000286*W)` would
/// otherwise read as 0.000 kW.
fn has_dsmr5_unit(object: &CosemObject<'_>) -> bool {
    let unit = object.last().and_then(|v| v.unit);
    match object.code {
        TIMESTAMP => true,
        DELIVERED_T1 | DELIVERED_T2 | RETURNED_T1 | RETURNED_T2 => unit == Some("kWh"),
        POWER_DELIVERED | POWER_RETURNED => unit == Some("kW"),
        ObisCode {
            a: 1,
            b: 0,
            c,
            d: 7,
            e: 0,
        } => match c {
            21 | 41 | 61 | 22 | 42 | 62 => unit == Some("kW"),
            31 | 51 | 71 => unit == Some("A"),
            32 | 52 | 72 => unit == Some("V"),
            _ => false,
        },
        _ => false,
    }
}
