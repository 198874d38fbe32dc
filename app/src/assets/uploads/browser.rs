//! The browser half of uploads: ask for a slot, PUT each missing part
//! straight to storage with `XMLHttpRequest` (fetch cannot report upload
//! progress), retry a failed part, resume an interrupted upload of the same
//! file (its slot id is kept in `localStorage`), then confirm. A video also
//! gets a preview: one of its frames drawn on a canvas and sent as a JPEG.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

use super::{abort_upload, complete_upload, start_upload, upload_status};
use crate::assets::view::{ItemView, UploadTicket};
use crate::error::AppError;

/// Tries per part before an upload stops with an error.
const PART_TRIES: u32 = 3;

/// A running upload that can be cancelled.
#[derive(Clone, Default)]
pub struct UploadControl {
    cancelled: Rc<std::cell::Cell<bool>>,
    current: Rc<std::cell::RefCell<Option<web_sys::XmlHttpRequest>>>,
}

impl UploadControl {
    /// Stops the transfer in flight; the upload then ends as cancelled.
    pub fn cancel(&self) {
        self.cancelled.set(true);
        if let Some(xhr) = self.current.borrow().as_ref() {
            let _ = xhr.abort();
        }
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.get()
    }
}

/// Why an upload stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum UploadFailure {
    /// The person cancelled it.
    Cancelled,
    /// The server refused or the network failed; `resumable` when trying
    /// again continues where it stopped.
    Error { error: AppError, resumable: bool },
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The key that remembers a file's unfinished upload.
fn resume_key(file: &web_sys::File, collection: Option<&str>) -> String {
    format!(
        "fw-upload:{}:{}:{}:{}",
        collection.unwrap_or("inbox"),
        file.size() as u64,
        file.last_modified() as u64,
        file.name()
    )
}

/// The declared type of a file; browsers leave it empty for some types, so
/// the extension fills in.
pub fn content_type_of(file: &web_sys::File) -> String {
    let declared = file.type_();
    if !declared.is_empty() {
        return declared;
    }
    let name = file.name().to_ascii_lowercase();
    let ext = name.rsplit('.').next().unwrap_or_default();
    match ext {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "mp4" | "m4v" => "video/mp4",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "aac" => "audio/aac",
        "m4a" => "audio/mp4",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    }
    .to_string()
}

/// Uploads `file` into `collection` (the inbox when `None`), reporting
/// progress from 0.0 to 1.0, and returns the new item.
pub async fn upload_file(
    file: web_sys::File,
    collection: Option<String>,
    control: UploadControl,
    on_progress: impl Fn(f64) + 'static,
) -> Result<ItemView, UploadFailure> {
    let key = resume_key(&file, collection.as_deref());
    let remembered = storage().and_then(|s| s.get_item(&key).ok().flatten());
    let mut ticket = match remembered {
        Some(id) => match upload_status(id).await {
            Ok(ticket) if ticket.status == "pending" || ticket.status == "completed" => {
                Some(ticket)
            }
            _ => None,
        },
        None => None,
    };
    if ticket.is_none() {
        let started = start_upload(
            file.name(),
            content_type_of(&file),
            file.size() as u64,
            collection.clone(),
        )
        .await
        .map_err(|error| UploadFailure::Error {
            error,
            resumable: false,
        })?;
        if let Some(s) = storage() {
            let _ = s.set_item(&key, &started.id);
        }
        ticket = Some(started);
    }
    let mut ticket = ticket.expect("a ticket was found or made");
    let on_progress = Rc::new(on_progress);
    if ticket.status != "completed" {
        send_parts(&file, &mut ticket, &control, on_progress.clone()).await?;
    }
    let item = match complete_upload(ticket.id.clone()).await {
        Ok(item) => item,
        Err(error) => {
            // Refused bytes are gone on the server: start afresh next time.
            let resumable = matches!(&error, AppError::Invalid { reason, .. } if reason == "error-reason-upload-incomplete");
            if !resumable && let Some(s) = storage() {
                let _ = s.remove_item(&key);
            }
            return Err(UploadFailure::Error { error, resumable });
        }
    };
    if let Some(s) = storage() {
        let _ = s.remove_item(&key);
    }
    on_progress(1.0);
    if item.kind == "video" && item.media.thumbnail_url.is_none() {
        send_video_preview(&file, &item.id).await;
    }
    Ok(item)
}

/// Cancels the server side of an upload (its bytes are deleted).
pub async fn forget_upload(file: &web_sys::File, collection: Option<&str>) {
    let key = resume_key(file, collection);
    if let Some(s) = storage() {
        if let Ok(Some(id)) = s.get_item(&key) {
            let _ = abort_upload(id).await;
        }
        let _ = s.remove_item(&key);
    }
}

/// PUTs every part the ticket still lists, refreshing expired URLs.
async fn send_parts(
    file: &web_sys::File,
    ticket: &mut UploadTicket,
    control: &UploadControl,
    on_progress: Rc<impl Fn(f64) + 'static>,
) -> Result<(), UploadFailure> {
    let total = ticket.size_bytes.max(1) as f64;
    let part_size = ticket.part_size.max(1);
    let mut sent: u64 = ticket
        .done
        .iter()
        .map(|n| {
            let start = u64::from(n - 1) * part_size;
            part_size.min(ticket.size_bytes.saturating_sub(start))
        })
        .sum();
    on_progress(sent as f64 / total);
    let parts = ticket.urls.clone();
    for part in parts {
        let start = u64::from(part.number - 1) * part_size;
        let blob = file
            .slice_with_f64_and_f64(start as f64, (start + part.size) as f64)
            .map_err(|_| UploadFailure::Error {
                error: AppError::Network,
                resumable: true,
            })?;
        let mut url = part.url.clone();
        let mut tries = 0;
        loop {
            if control.is_cancelled() {
                return Err(UploadFailure::Cancelled);
            }
            tries += 1;
            let progress = on_progress.clone();
            let base = sent;
            let status = put(&url, &blob, &ticket.content_type, control, move |loaded| {
                progress((base as f64 + loaded) / total)
            })
            .await;
            match status {
                200..=299 => break,
                _ if control.is_cancelled() => return Err(UploadFailure::Cancelled),
                // An expired link: ask for fresh ones and try again.
                403 if tries < PART_TRIES => {
                    let fresh = upload_status(ticket.id.clone()).await.map_err(|error| {
                        UploadFailure::Error {
                            error,
                            resumable: true,
                        }
                    })?;
                    match fresh.urls.iter().find(|u| u.number == part.number) {
                        Some(u) => url = u.url.clone(),
                        None => break,
                    }
                }
                413 => {
                    return Err(UploadFailure::Error {
                        error: AppError::PayloadTooLarge { limit: part.size },
                        resumable: false,
                    });
                }
                _ if tries < PART_TRIES => sleep_ms(1000 * tries).await,
                _ => {
                    return Err(UploadFailure::Error {
                        error: AppError::Network,
                        resumable: true,
                    });
                }
            }
        }
        sent += part.size;
        on_progress(sent as f64 / total);
    }
    Ok(())
}

/// Sends `blob` with PUT; returns the HTTP status (0 when the request failed).
async fn put(
    url: &str,
    blob: &web_sys::Blob,
    content_type: &str,
    control: &UploadControl,
    on_progress: impl Fn(f64) + 'static,
) -> u16 {
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        return 0;
    };
    if xhr.open("PUT", url).is_err() {
        return 0;
    }
    let _ = xhr.set_request_header("Content-Type", content_type);
    let progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            if ev.length_computable() {
                on_progress(ev.loaded());
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, _reject| {
        let on_end = Closure::<dyn FnMut()>::new(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
        on_end.forget();
    });
    *control.current.borrow_mut() = Some(xhr.clone());
    if xhr.send_with_opt_blob(Some(blob)).is_err() {
        return 0;
    }
    let _ = JsFuture::from(done).await;
    *control.current.borrow_mut() = None;
    drop(progress);
    xhr.status().unwrap_or(0)
}

/// Waits `ms` milliseconds.
async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Sends a preview frame for a video item; a browser that cannot decode the
/// video sends nothing (the library then shows the video itself).
async fn send_video_preview(file: &web_sys::File, item_id: &str) {
    let Some(frame) = super::video_preview::video_frame(file).await else {
        return;
    };
    let url = format!("{}{item_id}", super::THUMBNAIL_ROUTE);
    let _ = put(
        &url,
        &frame,
        "image/jpeg",
        &UploadControl::default(),
        |_| {},
    )
    .await;
}
