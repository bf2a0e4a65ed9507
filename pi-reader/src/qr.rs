//! QR codes drawn in the terminal, two modules per character cell.

use qrcode::{Color, EcLevel, QrCode};

/// Why a text could not be drawn as a QR code.
#[derive(Debug, thiserror::Error)]
#[error("cannot make a QR code: {0}")]
pub struct QrError(String);

/// `text` as a QR code of Unicode half blocks, dark on light, with the
/// quiet zone the standard asks for (readable from a terminal by a phone).
pub fn render(text: &str) -> Result<String, QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| QrError(e.to_string()))?;
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 2;
    let size = width + 2 * quiet;
    // Dark modules as `true`, the quiet zone light.
    let dark = |x: usize, y: usize| -> bool {
        if x < quiet || y < quiet || x >= width + quiet || y >= width + quiet {
            return false;
        }
        colors[(y - quiet) * width + (x - quiet)] == Color::Dark
    };
    let mut out = String::with_capacity(size * (size / 2 + 1) * 3);
    for y in (0..size).step_by(2) {
        for x in 0..size {
            let top = dark(x, y);
            let bottom = y + 1 < size && dark(x, y + 1);
            // Light modules are drawn as filled blocks so the code reads on
            // dark terminals, where the background is dark.
            out.push(match (top, bottom) {
                (true, true) => ' ',
                (true, false) => '▄',
                (false, true) => '▀',
                (false, false) => '█',
            });
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pairing_secret_draws_as_a_square_of_blocks() {
        let drawn = render("ABCDEFGHIJKLMNOPQRSTUVWXYZ9").expect("renders");
        let lines: Vec<&str> = drawn.lines().collect();
        let width = lines[0].chars().count();
        // Version 2 (25 modules) plus a quiet zone of 2 on each side.
        assert_eq!(width, 29);
        assert_eq!(lines.len(), width.div_ceil(2));
        assert!(lines.iter().all(|l| l.chars().count() == width));
        // The quiet zone's top row is all light.
        assert!(lines[0].chars().all(|c| c == '█'));
    }
}
