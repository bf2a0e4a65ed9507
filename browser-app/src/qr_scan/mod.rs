//! Scanning a QR code: the pairing code a Pi reader shows, read by the
//! owner's camera or from a photo of it.
//!
//! What it is for: turning a picture into the text of the code in it, and a
//! [`QrScanner`] component that feeds camera frames or an uploaded photo to
//! it. The text is handed on as an opaque string: what it means is up to the
//! app.
//!
//! Layout: [`decode`] is the pure part (a picture's pixels to text, tested
//! natively with codes rendered by the `qrcode` crate); [`camera`] holds the
//! browser calls (the camera stream, drawing frames and photos on a canvas);
//! [`view`] is the component.

pub mod camera;
pub mod decode;
pub mod view;

#[cfg(test)]
mod tests;

pub use decode::{decode_luma, decode_rgba, QrDecodeError, MAX_PIXELS};
pub use view::{QrScanner, QrScannerProps};
