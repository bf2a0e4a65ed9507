//! The CRC of a DSMR telegram (DSMR 4 and later; DSMR 2.2 and 3 have none).
//!
//! DSMR 5.0.2 §6.2: CRC16 with polynomial x^16 + x^15 + x^2 + 1, computed over
//! the telegram from `/` through `!` inclusive, sent as four hex digits. That
//! is the catalogued CRC-16/ARC (reflected, initial value 0, no final XOR),
//! which the `crc16` crate implements as [`crc16::ARC`].

/// CRC-16/ARC of `bytes`: pass the telegram from `/` through `!` inclusive.
pub fn crc16(bytes: &[u8]) -> u16 {
    ::crc16::State::<::crc16::ARC>::calculate(bytes)
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
