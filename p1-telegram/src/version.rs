//! Which DSMR generation a telegram comes from, which decides the serial
//! settings of the P1 port (DSMR 2.2/3: 9600 7E1; DSMR 4 and 5: 115200 8N1).

use crate::obis::{objects, ObisCode};
use crate::telegram::{CrcCheck, Telegram};
use std::fmt;

/// DSMR version line (DSMR 4 and 5, NL): `1-3:0.2.8(50)`.
pub const VERSION_DSMR: ObisCode = ObisCode::new(1, 3, 0, 2, 8);
/// e-MUCS version line (Belgium): `0-0:96.1.4(50217)`.
pub const VERSION_EMUCS: ObisCode = ObisCode::new(0, 0, 96, 1, 4);

/// The DSMR generation of a meter, as far as a telegram tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DsmrVersion {
    /// DSMR 2.2 or 3, or a meter like them (EasyMeter): no version line, no CRC.
    V2OrV3,
    /// DSMR 4.x: version line `4x`.
    V4,
    /// DSMR 5.x or e-MUCS (based on DSMR 5): version line `5x`.
    V5,
    /// A CRC but no version line (some Irish and Hungarian meters): DSMR 4 or later.
    V4OrLater,
}

impl DsmrVersion {
    /// Reads the version from the version line, or else from CRC presence.
    pub fn detect(telegram: &Telegram) -> Self {
        let version_line = objects(telegram.body())
            .into_iter()
            .find(|o| o.code == VERSION_DSMR || o.code == VERSION_EMUCS)
            .and_then(|o| o.values.first().map(|v| v.text.to_owned()));
        let from_line = version_line.and_then(|v| match v.as_bytes().first() {
            Some(b'4') => Some(DsmrVersion::V4),
            Some(b'5') => Some(DsmrVersion::V5),
            // "30" would be DSMR 3 with a version line; rare but harmless.
            Some(b'2' | b'3') => Some(DsmrVersion::V2OrV3),
            _ => None,
        });
        from_line.unwrap_or(match telegram.crc() {
            CrcCheck::Valid(_) => DsmrVersion::V4OrLater,
            CrcCheck::Absent => DsmrVersion::V2OrV3,
        })
    }

    /// Whether the meter sends at 9600 baud 7E1 (DSMR 2.2/3) rather than
    /// 115200 baud 8N1 (DSMR 4 and later).
    pub fn is_legacy_serial(self) -> bool {
        self == DsmrVersion::V2OrV3
    }
}

impl fmt::Display for DsmrVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DsmrVersion::V2OrV3 => "DSMR 2.2/3",
            DsmrVersion::V4 => "DSMR 4",
            DsmrVersion::V5 => "DSMR 5",
            DsmrVersion::V4OrLater => "DSMR 4 or later",
        })
    }
}
