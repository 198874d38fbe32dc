//! Uploading a file with a progress bar: the browser sends the bytes with
//! `XMLHttpRequest` (fetch cannot report upload progress) and gets the stored
//! media back. The server checks size, type (by magic bytes) and pixels.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use crate::assets::MediaView;
use crate::error::AppError;
use crate::ui::error::ErrorNotice;
use crate::ui::progress::ProgressBar;

/// Where uploads go (see `server/src/uploads.rs`).
pub const UPLOAD_URL: &str = "/uploads";

/// Sends `file` to the upload route, reporting progress (0.0..=1.0).
#[cfg(feature = "hydrate")]
pub async fn upload_file(
    file: web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<MediaView, AppError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| AppError::Network)?;
    xhr.open("POST", UPLOAD_URL)
        .map_err(|_| AppError::Network)?;
    let content_type = file.type_();
    let _ = xhr.set_request_header(
        "Content-Type",
        if content_type.is_empty() {
            "application/octet-stream"
        } else {
            &content_type
        },
    );
    let _ = xhr.set_request_header(
        "X-File-Name",
        &js_sys::encode_uri_component(&file.name())
            .as_string()
            .unwrap_or_default(),
    );
    let progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                on_progress(ev.loaded() / ev.total());
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
    xhr.send_with_opt_blob(Some(&file))
        .map_err(|_| AppError::Network)?;
    let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(progress);
    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    if status == 0 {
        return Err(AppError::Network);
    }
    if (200..300).contains(&status) {
        return serde_json::from_str(&body).map_err(|_| AppError::Internal);
    }
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        error: AppError,
    }
    Err(serde_json::from_str::<ErrorBody>(&body)
        .map(|b| b.error)
        .unwrap_or(AppError::Internal))
}

/// A file picker that uploads the chosen image with a progress bar and hands
/// the stored media to `on_uploaded`.
#[component]
pub fn ImageUpload(
    #[prop(into)] label: Signal<String>,
    on_uploaded: Callback<MediaView>,
) -> impl IntoView {
    let progress = RwSignal::new(None::<f64>);
    let error = RwSignal::new(None::<AppError>);
    let id = "image-upload";
    #[cfg(feature = "hydrate")]
    let on_change = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        error.set(None);
        progress.set(Some(0.0));
        leptos::task::spawn_local(async move {
            let result = upload_file(file, move |p| progress.set(Some(p))).await;
            progress.set(None);
            input.set_value("");
            match result {
                Ok(media) => on_uploaded.run(media),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    #[cfg(not(feature = "hydrate"))]
    let on_change = move |_: leptos::ev::Event| {
        let _ = (on_uploaded, progress, error);
    };
    view! {
        <div class="flex flex-col gap-2">
            <label for=id class="inline-flex w-fit cursor-pointer items-center gap-2 rounded-lg border border-line bg-surface px-4 py-2 text-sm font-medium text-fg hover:bg-surface-2">
                {label}
            </label>
            <input id=id type="file" accept="image/png,image/jpeg,image/webp" class="sr-only" on:change=on_change/>
            {move || progress.get().map(|p| view! {
                <ProgressBar value=Signal::derive(move || p) label=move_tr!("upload-progress")/>
            })}
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        </div>
    }
}
