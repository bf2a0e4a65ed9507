//! The [`QrScanner`] component: the camera's picture, scanned a few times a
//! second, and a photo upload for when there is no camera.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlVideoElement, MediaStream};
use yew::prelude::*;

use super::camera::{open_camera, scan_frame, scan_photo, show_stream, stop_camera};
use super::camera::{CameraError, PhotoError};
use super::decode::QrDecodeError;

/// Time between two scanned camera frames: four a second finds a code held
/// up to the camera at once and leaves the page responsive.
const SCAN_INTERVAL_MS: u32 = 250;

/// Properties of [`QrScanner`].
#[derive(Properties, PartialEq)]
pub struct QrScannerProps {
    /// Called once, with the text of the first code read.
    pub on_text: Callback<String>,
    /// Called when the owner closes the scanner without a code.
    pub on_cancel: Callback<()>,
}

/// Where the camera is.
#[derive(Clone, Debug, PartialEq)]
enum CameraPhase {
    Starting,
    Scanning,
    Failed(CameraError),
}

/// Where the uploaded photo is.
#[derive(Clone, Debug, PartialEq)]
enum PhotoPhase {
    Idle,
    Reading,
    Failed(PhotoError),
}

/// The open camera and its frame timer, shared by the mount effect, the
/// timer and the photo upload; whoever finishes first closes it.
#[derive(Default)]
struct CameraSession {
    closed: bool,
    stream: Option<MediaStream>,
    ticker: Option<Interval>,
}

impl CameraSession {
    /// Stops the camera and the timer; later openings stop at once.
    fn close(&mut self) {
        self.closed = true;
        if let Some(stream) = self.stream.take() {
            stop_camera(&stream);
        }
        // The timer may be the caller (a frame was read): it is dropped
        // after the current task, not inside its own callback.
        if let Some(ticker) = self.ticker.take() {
            yew::platform::spawn_local(async move { drop(ticker) });
        }
    }
}

/// Scans a QR code with the camera (the rear one on a phone) or from an
/// uploaded photo, and hands its text to `on_text`. The camera stops when a
/// code was read and when the component is removed.
///
/// Ids for tests: `#qr-video`, `#qr-photo` (the file input),
/// `#qr-scanner-status` (with `data-state` = `starting`, `scanning`,
/// `reading-photo` or `error`), `#qr-cancel`.
#[function_component]
pub fn QrScanner(props: &QrScannerProps) -> Html {
    let video_ref = use_node_ref();
    let canvas_ref = use_node_ref();
    let camera = use_state(|| CameraPhase::Starting);
    let photo = use_state(|| PhotoPhase::Idle);
    let session = use_mut_ref(CameraSession::default);
    // The latest callback, for a frame read after the props changed.
    let on_text = use_mut_ref(|| props.on_text.clone());
    *on_text.borrow_mut() = props.on_text.clone();

    {
        let (video_ref, canvas_ref) = (video_ref.clone(), canvas_ref.clone());
        let (camera, session, on_text) = (camera.setter(), session.clone(), on_text.clone());
        use_effect_with((), move |()| {
            start_camera(video_ref, canvas_ref, camera, session.clone(), on_text);
            move || session.borrow_mut().close()
        });
    }

    let onchange = {
        let (canvas_ref, photo, session) = (canvas_ref.clone(), photo.setter(), session.clone());
        let on_text = on_text.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            // The same file chosen again fires `change` again.
            input.set_value("");
            let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                return;
            };
            photo.set(PhotoPhase::Reading);
            let (photo, session, on_text) = (photo.clone(), session.clone(), on_text.clone());
            yew::platform::spawn_local(async move {
                match scan_photo(file, canvas).await {
                    Ok(text) => {
                        session.borrow_mut().close();
                        photo.set(PhotoPhase::Idle);
                        let on_text = on_text.borrow().clone();
                        on_text.emit(text);
                    }
                    Err(error) => photo.set(PhotoPhase::Failed(error)),
                }
            });
        })
    };

    let on_cancel = {
        let (session, on_cancel) = (session.clone(), props.on_cancel.clone());
        Callback::from(move |_: MouseEvent| {
            session.borrow_mut().close();
            on_cancel.emit(());
        })
    };

    let (state, text) = status(&camera, &photo);
    html! {
        <div class="qr-scanner">
            if !matches!(*camera, CameraPhase::Failed(_)) {
                <video id="qr-video" class="qr-video" ref={video_ref} muted=true
                    autoplay=true playsinline=true aria-label="Camera picture" />
            }
            <canvas ref={canvas_ref} hidden=true />
            <p id="qr-scanner-status" data-state={state} role="status"
                class={classes!("status", (state == "error").then_some("error"))}>
                { text }
            </p>
            if let CameraPhase::Failed(error) = &*camera {
                <div class="alert" role="alert">
                    <h3>{ camera_title(error) }</h3>
                    <p>{ camera_advice(error) }</p>
                </div>
            }
            if let PhotoPhase::Failed(error) = &*photo {
                <div class="alert" role="alert">
                    <h3>{ "No code read from the photo" }</h3>
                    <p>{ photo_advice(error) }</p>
                </div>
            }
            <div class="qr-actions">
                <label class="qr-upload">
                    { "Or upload a photo of the code" }
                    <input id="qr-photo" type="file" accept="image/*" {onchange} />
                </label>
                <button id="qr-cancel" class="link-button" onclick={on_cancel}>{ "Cancel" }</button>
            </div>
        </div>
    }
}

/// Opens the camera, shows it in the video, and scans a frame every
/// [`SCAN_INTERVAL_MS`] until a code is read or the session closes.
fn start_camera(
    video_ref: NodeRef,
    canvas_ref: NodeRef,
    camera: UseStateSetter<CameraPhase>,
    session: Rc<RefCell<CameraSession>>,
    on_text: Rc<RefCell<Callback<String>>>,
) {
    yew::platform::spawn_local(async move {
        let stream = match open_camera().await {
            Ok(stream) => stream,
            Err(error) => return camera.set(CameraPhase::Failed(error)),
        };
        if session.borrow().closed {
            // Removed (or a photo was read) while the owner was asked.
            return stop_camera(&stream);
        }
        let Some(video) = video_ref.cast::<HtmlVideoElement>() else {
            return stop_camera(&stream);
        };
        show_stream(&video, &stream);
        let ticker = {
            let session = session.clone();
            Interval::new(SCAN_INTERVAL_MS, move || {
                let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                    return;
                };
                if let Some(Ok(text)) = scan_frame(&video, &canvas) {
                    session.borrow_mut().close();
                    let on_text = on_text.borrow().clone();
                    on_text.emit(text);
                }
            })
        };
        let mut open = session.borrow_mut();
        open.stream = Some(stream);
        open.ticker = Some(ticker);
        drop(open);
        camera.set(CameraPhase::Scanning);
    });
}

/// The status line: its `data-state` and text.
fn status(camera: &CameraPhase, photo: &PhotoPhase) -> (&'static str, &'static str) {
    match (camera, photo) {
        (_, PhotoPhase::Reading) => ("reading-photo", "Reading the photo…"),
        (CameraPhase::Starting, _) => ("starting", "Opening the camera…"),
        (CameraPhase::Scanning, _) => (
            "scanning",
            "Hold the pairing code of the meter reader in front of the camera.",
        ),
        (CameraPhase::Failed(_), _) => ("error", "The camera is not available."),
    }
}

/// A short title for a camera failure.
pub(crate) fn camera_title(error: &CameraError) -> &'static str {
    match error {
        CameraError::InsecureContext => "The camera needs a secure connection",
        CameraError::NoCamera => "No camera found",
        CameraError::PermissionDenied => "Permission to use the camera was refused",
        CameraError::Unavailable(_) => "The camera could not be started",
        CameraError::Other(_) => "The camera failed",
    }
}

/// What the owner can do about a camera failure.
pub(crate) fn camera_advice(error: &CameraError) -> String {
    let upload = "You can upload a photo of the code instead.";
    match error {
        CameraError::InsecureContext => format!(
            "Browsers only give the camera to pages opened over https or from localhost. \
             Open this page that way, or: {upload}"
        ),
        CameraError::NoCamera => format!("This device has no camera the browser can use. {upload}"),
        CameraError::PermissionDenied => format!(
            "Allow the camera for this site in the browser's settings and open the scanner \
             again. {upload}"
        ),
        CameraError::Unavailable(detail) | CameraError::Other(detail) => {
            format!("The browser said: {detail}. Another app may be using the camera. {upload}")
        }
    }
}

/// What the owner can do about a photo that gave no code.
pub(crate) fn photo_advice(error: &PhotoError) -> String {
    match error {
        PhotoError::NotAPicture => "The file is not a picture this browser can open. \
            Choose a photo (JPEG or PNG)."
            .into(),
        PhotoError::Decode(QrDecodeError::NotFound) => "No QR code was found in the photo. \
            Take it again with the whole code in the picture, sharp and well lit."
            .into(),
        PhotoError::Decode(error) => format!("{error}. Take the photo again, closer and sharper."),
        PhotoError::Canvas(detail) => format!("The browser could not draw the photo: {detail}."),
    }
}
