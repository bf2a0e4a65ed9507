//! The browser side of scanning: opening the rear camera, stopping it, and
//! drawing a video frame or a photo on a canvas to read its pixels.
//!
//! These functions call browser APIs and so only work in a browser; they
//! compile natively so that the workspace builds and lints in one go. What
//! goes wrong is typed ([`CameraError`], [`PhotoError`]) and the mapping from
//! the browser's error names is pure, so it is tested natively.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{self, Reflect};
use web_sys::{
    CanvasRenderingContext2d, File, HtmlCanvasElement, HtmlVideoElement, ImageBitmap, MediaStream,
    MediaStreamConstraints, MediaStreamTrack,
};

use super::decode::{decode_rgba, QrDecodeError};

/// The longest side, in pixels, a frame or photo is scaled down to before
/// decoding: a QR code filling part of the picture still has several pixels
/// a module, and decoding stays well under the scan interval.
pub const DECODE_MAX_SIDE: u32 = 1024;

/// Why the camera did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CameraError {
    /// The page is not a secure context: browsers give the camera only to
    /// pages served over https or from localhost.
    #[error("the camera needs a secure page (https or localhost)")]
    InsecureContext,
    /// This device or browser has no camera to offer.
    #[error("no camera was found")]
    NoCamera,
    /// The owner (or a browser policy) refused the camera.
    #[error("permission to use the camera was refused")]
    PermissionDenied,
    /// A camera exists but could not be started (often another app uses it).
    #[error("the camera could not be started: {0}")]
    Unavailable(String),
    /// Anything else the browser said.
    #[error("the camera failed: {0}")]
    Other(String),
}

impl CameraError {
    /// The error for a `getUserMedia` rejection with the DOMException
    /// `name` and `message` (names from the Media Capture spec).
    pub fn from_dom_exception(name: &str, message: &str) -> CameraError {
        match name {
            "NotAllowedError" | "PermissionDeniedError" | "SecurityError" => {
                CameraError::PermissionDenied
            }
            "NotFoundError" | "DevicesNotFoundError" | "OverconstrainedError" => {
                CameraError::NoCamera
            }
            "NotReadableError" | "TrackStartError" | "AbortError" => {
                CameraError::Unavailable(message.to_owned())
            }
            _ if message.is_empty() => CameraError::Other(name.to_owned()),
            _ => CameraError::Other(format!("{name}: {message}")),
        }
    }

    fn from_js(error: &JsValue) -> CameraError {
        let name = string_field(error, "name");
        let message = string_field(error, "message");
        CameraError::from_dom_exception(&name, &message)
    }
}

/// Why a photo gave no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// The browser could not read the file as a picture.
    #[error("the file is not a picture this browser can read")]
    NotAPicture,
    /// The picture was read, but no code came out of it.
    #[error(transparent)]
    Decode(#[from] QrDecodeError),
    /// Drawing the picture failed (no canvas, no 2D context).
    #[error("the picture could not be drawn: {0}")]
    Canvas(String),
}

/// Opens the rear camera (`facingMode: "environment"`, any camera where
/// there is no rear one), without sound.
pub async fn open_camera() -> Result<MediaStream, CameraError> {
    let window = web_sys::window().ok_or_else(|| CameraError::Other("no browser window".into()))?;
    if !window.is_secure_context() {
        return Err(CameraError::InsecureContext);
    }
    let navigator = window.navigator();
    // Old browsers (and insecure pages) have no `mediaDevices` at all.
    let has_devices = Reflect::get(&navigator, &"mediaDevices".into())
        .map(|devices| !devices.is_undefined())
        .unwrap_or(false);
    if !has_devices {
        return Err(CameraError::NoCamera);
    }
    let devices = navigator
        .media_devices()
        .map_err(|error| CameraError::from_js(&error))?;
    let video = js_sys::Object::new();
    Reflect::set(&video, &"facingMode".into(), &"environment".into())
        .map_err(|error| CameraError::from_js(&error))?;
    let constraints = MediaStreamConstraints::new();
    constraints.set_video(&video);
    constraints.set_audio(&JsValue::FALSE);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|error| CameraError::from_js(&error))?;
    let stream = JsFuture::from(promise)
        .await
        .map_err(|error| CameraError::from_js(&error))?;
    stream
        .dyn_into::<MediaStream>()
        .map_err(|_| CameraError::Other("getUserMedia gave no media stream".into()))
}

/// Stops every track of `stream`: the camera light goes off.
pub fn stop_camera(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// Shows `stream` in `video` and starts playing it (muted, inline, so that
/// mobile browsers play it without a tap).
pub fn show_stream(video: &HtmlVideoElement, stream: &MediaStream) {
    video.set_muted(true);
    let _ = video.set_attribute("playsinline", "");
    video.set_src_object(Some(stream));
    // A refused play() (the element was removed meanwhile) needs no answer:
    // frames are only read while the video has them.
    if let Ok(promise) = video.play() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// Reads the current frame of `video` through `canvas`; `None` while the
/// video has no frame yet.
pub fn scan_frame(
    video: &HtmlVideoElement,
    canvas: &HtmlCanvasElement,
) -> Option<Result<String, QrDecodeError>> {
    // HAVE_CURRENT_DATA: a frame can be drawn.
    const HAVE_CURRENT_DATA: u16 = 2;
    let (width, height) = (video.video_width(), video.video_height());
    if video.ready_state() < HAVE_CURRENT_DATA || width == 0 || height == 0 {
        return None;
    }
    let (width, height) = fit(width, height, DECODE_MAX_SIDE);
    let context = context_2d(canvas, width, height).ok()?;
    context
        .draw_image_with_html_video_element_and_dw_and_dh(
            video,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .ok()?;
    read_canvas(&context, width, height).ok()
}

/// Decodes the QR code in the picture `file` (any format the browser
/// reads), drawn on `canvas`.
pub async fn scan_photo(file: File, canvas: HtmlCanvasElement) -> Result<String, PhotoError> {
    let window = web_sys::window().ok_or_else(|| PhotoError::Canvas("no browser window".into()))?;
    let promise = window
        .create_image_bitmap_with_blob(&file)
        .map_err(|_| PhotoError::NotAPicture)?;
    let bitmap: ImageBitmap = JsFuture::from(promise)
        .await
        .map_err(|_| PhotoError::NotAPicture)?
        .dyn_into()
        .map_err(|_| PhotoError::NotAPicture)?;
    let (width, height) = fit(bitmap.width(), bitmap.height(), DECODE_MAX_SIDE);
    let drawn = context_2d(&canvas, width, height).and_then(|context| {
        context
            .draw_image_with_image_bitmap_and_dw_and_dh(
                &bitmap,
                0.0,
                0.0,
                f64::from(width),
                f64::from(height),
            )
            .map_err(|error| PhotoError::Canvas(string_field(&error, "message")))?;
        Ok(context)
    });
    bitmap.close();
    Ok(read_canvas(&drawn?, width, height)??)
}

/// `width` × `height` scaled down (never up) so that the longer side is at
/// most `max_side`, keeping the aspect ratio; at least 1×1.
pub fn fit(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let longer = width.max(height);
    if longer <= max_side || longer == 0 {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled = u64::from(side) * u64::from(max_side) / u64::from(longer);
        // Never more than max_side, so it fits a u32.
        u32::try_from(scaled).unwrap_or(max_side).max(1)
    };
    (scale(width), scale(height))
}

fn context_2d(
    canvas: &HtmlCanvasElement,
    width: u32,
    height: u32,
) -> Result<CanvasRenderingContext2d, PhotoError> {
    canvas.set_width(width);
    canvas.set_height(height);
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| PhotoError::Canvas("this browser gave no 2D canvas".into()))
}

fn read_canvas(
    context: &CanvasRenderingContext2d,
    width: u32,
    height: u32,
) -> Result<Result<String, QrDecodeError>, PhotoError> {
    let image = context
        .get_image_data(0.0, 0.0, f64::from(width), f64::from(height))
        .map_err(|error| PhotoError::Canvas(string_field(&error, "message")))?;
    let rgba = image.data();
    Ok(decode_rgba(width as usize, height as usize, &rgba))
}

/// `value[field]` as a string, empty if it is none.
fn string_field(value: &JsValue, field: &str) -> String {
    Reflect::get(value, &field.into())
        .ok()
        .and_then(|field| field.as_string())
        .unwrap_or_default()
}
