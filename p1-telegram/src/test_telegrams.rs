//! Telegrams the unit tests build by hand.

use crate::crc::crc16;

/// The start of a DSMR 5 telegram through `!`, without its CRC.
pub(crate) const V5_LIKE: &[u8] = b"/ISk5\\2MT382-1000\r\n\r\n1-3:0.2.8(50)\r\n!";

/// `body` (through `!`) with its CRC and the final CRLF, as a meter sends it.
pub(crate) fn with_crc(body: &[u8]) -> Vec<u8> {
    let mut bytes = body.to_vec();
    bytes.extend_from_slice(format!("{:04X}\r\n", crc16(body)).as_bytes());
    bytes
}
