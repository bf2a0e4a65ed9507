//! Saving text as a file the browser downloads (seed backups, CSV exports).
//! Browser-only calls that compile natively.

use wasm_bindgen::JsCast;
use web_sys::js_sys;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::storage::js_error_text;

/// Offers `text` for download as `file_name` with `mime_type`.
pub fn download_text(file_name: &str, mime_type: &str, text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob =
        Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| js_error_text(&e))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|e| js_error_text(&e))?;
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| js_error_text(&e))?
        .dyn_into()
        .map_err(|_| "cannot make a link")?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // The click has started the download; the URL is not needed after it.
    let _ = Url::revoke_object_url(&url);
    Ok(())
}

/// The text of the first file chosen in a file `<input>`, at most
/// `max_bytes` long.
pub async fn read_chosen_file(
    input: &web_sys::HtmlInputElement,
    max_bytes: f64,
) -> Result<String, String> {
    let file = input
        .files()
        .and_then(|files| files.get(0))
        .ok_or("no file was chosen")?;
    if file.size() > max_bytes {
        return Err(format!(
            "the file is {} bytes, far too large for what is expected here",
            file.size()
        ));
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| js_error_text(&e))?;
    text.as_string()
        .ok_or_else(|| "the file is not text".to_owned())
}
