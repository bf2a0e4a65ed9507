//! HKDF-SHA256 with no salt: how the seal turns a seed into DRBG entropy and
//! a KEM shared secret into an AEAD key.

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

/// `N` bytes of HKDF-SHA256(salt: none, `ikm`, `info`).
pub(super) fn hkdf_sha256<const N: usize>(ikm: &[u8], info: &[u8]) -> Zeroizing<[u8; N]> {
    let mut okm = Zeroizing::new([0u8; N]);
    // HKDF-SHA256 refuses only outputs over 255 · 32 bytes; every caller asks
    // for a constant 32 or 48.
    const { assert!(N <= 255 * 32) };
    if Hkdf::<Sha256>::new(None, ikm)
        .expand(info, okm.as_mut())
        .is_err()
    {
        unreachable!("HKDF-SHA256 output of {N} bytes is within its limit");
    }
    okm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc5869_case_3_no_salt_no_info() {
        // RFC 5869, test case 3: SHA-256, zero-length salt and info.
        let okm = hkdf_sha256::<42>(&[0x0b; 22], b"");
        let hex: String = okm.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d\
             9d201395faa4b61a96c8"
        );
    }
}
