//! Finding and reading a QR code in a still picture: pure, no browser calls,
//! so it is tested natively with codes rendered by the `qrcode` crate.

use rqrr::PreparedImage;

/// The largest picture decoded, in pixels (16 megapixels, a 4096×4096
/// image): a camera frame or a photo scaled down for decoding is far
/// smaller, and a larger one would hold the page for seconds.
pub const MAX_PIXELS: usize = 4096 * 4096;

/// Why no text came out of a picture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrDecodeError {
    /// Width or height is zero.
    #[error("the picture is empty ({width}×{height} pixels)")]
    Empty {
        /// Width in pixels.
        width: usize,
        /// Height in pixels.
        height: usize,
    },
    /// More pixels than [`MAX_PIXELS`].
    #[error("the picture is too large to decode ({width}×{height} pixels, at most {MAX_PIXELS})")]
    TooLarge {
        /// Width in pixels.
        width: usize,
        /// Height in pixels.
        height: usize,
    },
    /// The buffer does not hold `width × height` pixels of the format.
    #[error("the picture has {actual} bytes, {expected} expected for its size")]
    WrongLength {
        /// Bytes needed for the size and format.
        expected: usize,
        /// Bytes given.
        actual: usize,
    },
    /// No QR code was found in the picture.
    #[error("no QR code found in the picture")]
    NotFound,
    /// Something that looks like a QR code was found, but it did not read
    /// (blurred, cut off, damaged beyond its error correction).
    #[error("a QR code was found but could not be read: {0}")]
    Unreadable(String),
}

/// Reads the first QR code in a grayscale picture, `luma` holding one byte a
/// pixel, row by row (`width × height` bytes).
pub fn decode_luma(width: usize, height: usize, luma: &[u8]) -> Result<String, QrDecodeError> {
    check_size(width, height, luma.len(), 1)?;
    let mut image =
        PreparedImage::prepare_from_greyscale(width, height, |x, y| luma[y * width + x]);
    let grids = image.detect_grids();
    let mut first_failure = None;
    for grid in grids {
        match grid.decode() {
            Ok((_, text)) => return Ok(text),
            Err(error) => {
                first_failure.get_or_insert_with(|| error.to_string());
            }
        }
    }
    Err(first_failure.map_or(QrDecodeError::NotFound, QrDecodeError::Unreadable))
}

/// Reads the first QR code in an RGBA picture (four bytes a pixel, row by
/// row, as a canvas's `getImageData` gives it). Transparent pixels count as
/// white, the page a code is usually drawn on.
pub fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> Result<String, QrDecodeError> {
    check_size(width, height, rgba.len(), 4)?;
    let luma: Vec<u8> = rgba.chunks_exact(4).map(rgba_to_luma).collect();
    decode_luma(width, height, &luma)
}

/// ITU-R BT.601 luma of one pixel, blended over white by its alpha.
fn rgba_to_luma(pixel: &[u8]) -> u8 {
    let [r, g, b, a] = [pixel[0], pixel[1], pixel[2], pixel[3]].map(u32::from);
    let luma = (299 * r + 587 * g + 114 * b) / 1000;
    let over_white = (luma * a + 255 * (255 - a)) / 255;
    // At most 255 by construction.
    over_white.min(255) as u8
}

fn check_size(
    width: usize,
    height: usize,
    len: usize,
    bytes_per_pixel: usize,
) -> Result<(), QrDecodeError> {
    if width == 0 || height == 0 {
        return Err(QrDecodeError::Empty { width, height });
    }
    let pixels = width
        .checked_mul(height)
        .filter(|pixels| *pixels <= MAX_PIXELS)
        .ok_or(QrDecodeError::TooLarge { width, height })?;
    let expected = pixels * bytes_per_pixel;
    if len != expected {
        return Err(QrDecodeError::WrongLength {
            expected,
            actual: len,
        });
    }
    Ok(())
}
