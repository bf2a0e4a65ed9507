//! The decoder against codes rendered by the `qrcode` crate (the one the
//! Pi reader draws its pairing code with), as a camera or a photo would
//! show them: scaled, moved, on a larger canvas, with noise.

use qrcode::{Color, EcLevel, QrCode};

use super::decode::{decode_luma, decode_rgba, QrDecodeError, MAX_PIXELS};

/// A pairing secret as the Pi reader shows it: 81 trytes.
const SECRET: &str =
    "PAIRINGSECRETABCDEFGHIJKLMNOPQRSTUVWXYZ9ABCDEFGHIJKLMNOPQRSTUVWXYZ9ABCDEFGHIJKLMNO";

/// A grayscale canvas, white.
struct Canvas {
    width: usize,
    height: usize,
    luma: Vec<u8>,
}

impl Canvas {
    fn white(width: usize, height: usize) -> Canvas {
        Canvas {
            width,
            height,
            luma: vec![255; width * height],
        }
    }

    /// Draws `text` as a QR code (error correction M, as the Pi reader),
    /// `scale` pixels a module, its top-left module at (`left`, `top`),
    /// dark modules at `dark`; the canvas around it is the quiet zone.
    fn draw_code(&mut self, text: &str, scale: usize, left: usize, top: usize, dark: u8) {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .expect("the text fits a QR code");
        let modules = code.width();
        let colors = code.to_colors();
        for y in 0..modules * scale {
            for x in 0..modules * scale {
                if colors[(y / scale) * modules + x / scale] == Color::Dark {
                    self.luma[(top + y) * self.width + left + x] = dark;
                }
            }
        }
    }

    /// Adds up to ±`amplitude` to every pixel, from a fixed pseudo-random
    /// sequence so a failure repeats.
    fn add_noise(&mut self, amplitude: i16) {
        let mut state: u32 = 0x2545_f491;
        for pixel in &mut self.luma {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let offset = (state % (2 * amplitude as u32 + 1)) as i16 - amplitude;
            *pixel = (i16::from(*pixel) + offset).clamp(0, 255) as u8;
        }
    }

    /// `text`'s code, `scale` pixels a module, black on white with a
    /// `margin` of white pixels around it.
    fn with_code(text: &str, scale: usize, margin: usize) -> Canvas {
        let size = modules(text) * scale + 2 * margin;
        let mut canvas = Canvas::white(size, size);
        canvas.draw_code(text, scale, margin, margin, 0);
        canvas
    }

    /// The canvas as opaque RGBA, `dark` and `light` for pixels darker and
    /// lighter than mid-grey.
    fn to_rgba(&self, dark: [u8; 4], light: [u8; 4]) -> Vec<u8> {
        self.luma
            .iter()
            .flat_map(|&luma| if luma < 128 { dark } else { light })
            .collect()
    }

    fn decode(&self) -> Result<String, QrDecodeError> {
        decode_luma(self.width, self.height, &self.luma)
    }
}

/// The module count of `text`'s code, to place it.
fn modules(text: &str) -> usize {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .expect("the text fits a QR code")
        .width()
}

#[test]
fn scaled_code_with_a_quiet_zone_reads_back() {
    // Four pixels a module, the standard's four-module quiet zone.
    let canvas = Canvas::with_code(SECRET, 4, 16);
    assert_eq!(canvas.decode().as_deref(), Ok(SECRET));
}

#[test]
fn link_text_reads_back_unchanged() {
    let link = "https://example.org/my-home/#pair=ABC9XYZ&device=QWERTY";
    let canvas = Canvas::with_code(link, 3, 20);
    assert_eq!(canvas.decode().as_deref(), Ok(link));
}

#[test]
fn noisy_grey_code_off_centre_on_a_camera_frame_reads_back() {
    let mut canvas = Canvas::white(640, 480);
    // Grey on a noisy background, as a phone screen filmed in a room.
    canvas.draw_code(SECRET, 5, 137, 61, 60);
    canvas.add_noise(40);
    assert_eq!(canvas.decode().as_deref(), Ok(SECRET));
}

#[test]
fn rgba_frame_reads_back() {
    let canvas = Canvas::with_code(SECRET, 4, 32);
    // Dark modules in deep blue, the background light yellow.
    let rgba = canvas.to_rgba([10, 20, 90, 255], [250, 245, 200, 255]);
    let size = canvas.width;
    assert_eq!(decode_rgba(size, size, &rgba).as_deref(), Ok(SECRET));
}

#[test]
fn transparent_pixels_count_as_white() {
    let canvas = Canvas::with_code(SECRET, 4, 32);
    // A code drawn in black on a fully transparent (black, alpha 0) canvas.
    let rgba = canvas.to_rgba([0, 0, 0, 255], [0; 4]);
    let size = canvas.width;
    assert_eq!(decode_rgba(size, size, &rgba).as_deref(), Ok(SECRET));
}

#[test]
fn picture_without_a_code_is_not_found() {
    let mut canvas = Canvas::white(320, 240);
    canvas.add_noise(100);
    assert_eq!(canvas.decode(), Err(QrDecodeError::NotFound));
    assert_eq!(Canvas::white(64, 64).decode(), Err(QrDecodeError::NotFound));
}

#[test]
fn code_cut_in_half_does_not_read() {
    let mut canvas = Canvas::with_code(SECRET, 4, 32);
    let size = canvas.width;
    // White out the lower right quarter: more than error correction M
    // restores, but the three finder patterns remain.
    for y in size / 2..size {
        for x in size / 2..size {
            canvas.luma[y * size + x] = 255;
        }
    }
    let result = canvas.decode();
    assert!(
        matches!(
            result,
            Err(QrDecodeError::Unreadable(_) | QrDecodeError::NotFound)
        ),
        "{result:?}"
    );
}

#[test]
fn empty_picture_is_refused() {
    assert_eq!(
        decode_luma(0, 10, &[]),
        Err(QrDecodeError::Empty {
            width: 0,
            height: 10
        })
    );
    assert_eq!(
        decode_rgba(10, 0, &[]),
        Err(QrDecodeError::Empty {
            width: 10,
            height: 0
        })
    );
}

#[test]
fn huge_picture_is_refused_before_reading_it() {
    // The size is checked before the buffer: no gigabyte needed.
    assert_eq!(
        decode_luma(MAX_PIXELS, 2, &[0; 16]),
        Err(QrDecodeError::TooLarge {
            width: MAX_PIXELS,
            height: 2
        })
    );
    assert_eq!(
        decode_rgba(usize::MAX, usize::MAX, &[]),
        Err(QrDecodeError::TooLarge {
            width: usize::MAX,
            height: usize::MAX
        })
    );
}

#[test]
fn buffer_of_the_wrong_length_is_refused() {
    assert_eq!(
        decode_luma(10, 10, &[255; 99]),
        Err(QrDecodeError::WrongLength {
            expected: 100,
            actual: 99
        })
    );
    assert_eq!(
        decode_rgba(10, 10, &[255; 100]),
        Err(QrDecodeError::WrongLength {
            expected: 400,
            actual: 100
        })
    );
}

mod camera {
    use crate::qr_scan::camera::{fit, CameraError, PhotoError};
    use crate::qr_scan::decode::QrDecodeError;
    use crate::qr_scan::view::{camera_advice, camera_title, photo_advice};

    #[test]
    fn refused_permission_is_named_as_such() {
        assert_eq!(
            CameraError::from_dom_exception("NotAllowedError", "Permission denied"),
            CameraError::PermissionDenied
        );
        assert_eq!(
            camera_title(&CameraError::PermissionDenied),
            "Permission to use the camera was refused"
        );
    }

    #[test]
    fn missing_camera_is_named_as_such() {
        for name in ["NotFoundError", "OverconstrainedError"] {
            assert_eq!(
                CameraError::from_dom_exception(name, "Requested device not found"),
                CameraError::NoCamera
            );
        }
    }

    #[test]
    fn busy_camera_keeps_the_browsers_words() {
        let error = CameraError::from_dom_exception("NotReadableError", "Could not start video");
        assert_eq!(
            error,
            CameraError::Unavailable("Could not start video".into())
        );
        assert!(camera_advice(&error).contains("Could not start video"));
    }

    #[test]
    fn insecure_page_is_told_to_use_https_or_localhost() {
        let advice = camera_advice(&CameraError::InsecureContext);
        assert!(
            advice.contains("https") && advice.contains("localhost"),
            "{advice}"
        );
        assert!(advice.contains("upload a photo"), "{advice}");
    }

    #[test]
    fn photo_without_a_code_says_so() {
        let advice = photo_advice(&PhotoError::Decode(QrDecodeError::NotFound));
        assert!(
            advice.starts_with("No QR code was found in the photo"),
            "{advice}"
        );
    }

    #[test]
    fn large_pictures_are_scaled_down_keeping_their_shape() {
        assert_eq!(fit(4000, 3000, 1024), (1024, 768));
        assert_eq!(fit(1080, 1920, 1024), (576, 1024));
        assert_eq!(fit(640, 480, 1024), (640, 480));
        assert_eq!(fit(100_000, 1, 1024), (1024, 1));
    }
}
