//! The CRC of a DSMR telegram (DSMR 4 and later; DSMR 2.2 and 3 have none).
//!
//! DSMR 5.0.2 §6.2: CRC16 with polynomial x^16 + x^15 + x^2 + 1, computed over
//! the telegram from `/` through `!` inclusive, sent as four hex digits. That
//! is CRC-16/ARC: reflected polynomial 0xA001, initial value 0, no final XOR.

/// The reflected form of the DSMR CRC polynomial x^16 + x^15 + x^2 + 1.
pub const DSMR_CRC_POLY_REFLECTED: u16 = 0xA001;

/// Lookup table for one byte at a time, built at compile time.
const TABLE: [u16; 256] = build_table();

const fn build_table() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut crc = byte as u16;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ DSMR_CRC_POLY_REFLECTED
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[byte] = crc;
        byte += 1;
    }
    table
}

/// CRC-16/ARC of `bytes`: pass the telegram from `/` through `!` inclusive.
pub fn crc16(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0u16, |crc, &b| {
        (crc >> 8) ^ TABLE[usize::from((crc as u8) ^ b)]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc16_arc_check_value_matches_the_catalogue() {
        // The standard check input of the CRC catalogue for CRC-16/ARC.
        assert_eq!(crc16(b"123456789"), 0xBB3D);
    }

    #[test]
    fn crc_of_nothing_is_the_initial_value() {
        assert_eq!(crc16(b""), 0);
    }
}
