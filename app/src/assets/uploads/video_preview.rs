//! A preview frame of a local video file, grabbed in the browser: the video is
//! loaded into a hidden `<video>`, seeked a little way in and drawn to a
//! canvas, then encoded as a JPEG.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

/// Resolves when `target` fires `event`, or after `timeout_ms` (false then).
async fn event_or_timeout(target: &web_sys::EventTarget, event: &str, timeout_ms: i32) -> bool {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let fired = resolve.clone();
        let on_event = Closure::once_into_js(move || {
            let _ = fired.call1(&wasm_bindgen::JsValue::NULL, &true.into());
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            event,
            on_event.unchecked_ref(),
            &options,
        );
        if let Some(window) = web_sys::window() {
            let timeout = Closure::once_into_js(move || {
                let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &false.into());
            });
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                timeout.unchecked_ref(),
                timeout_ms,
            );
        }
    });
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Draws a frame of a local video file (about a third in, at most one
/// second) as a JPEG of at most 480 px, when the browser can decode it.
pub async fn video_frame(file: &web_sys::File) -> Option<web_sys::Blob> {
    let document = web_sys::window()?.document()?;
    let url = web_sys::Url::create_object_url_with_blob(file).ok()?;
    let video: web_sys::HtmlVideoElement =
        document.create_element("video").ok()?.dyn_into().ok()?;
    video.set_muted(true);
    video.set_preload("auto");
    video.set_src(&url);
    let target: &web_sys::EventTarget = video.as_ref();
    let frame = async {
        if !event_or_timeout(target, "loadeddata", 8000).await {
            return None;
        }
        let duration = video.duration();
        let at = if duration.is_finite() {
            (duration / 3.0).min(1.0)
        } else {
            0.0
        };
        video.set_current_time(at);
        event_or_timeout(target, "seeked", 8000).await;
        let (w, h) = (video.video_width(), video.video_height());
        if w == 0 || h == 0 {
            return None;
        }
        let scale = (480.0 / f64::from(w.max(h))).min(1.0);
        let (cw, ch) = (
            ((f64::from(w) * scale).round() as u32).max(1),
            ((f64::from(h) * scale).round() as u32).max(1),
        );
        let canvas: web_sys::HtmlCanvasElement =
            document.create_element("canvas").ok()?.dyn_into().ok()?;
        canvas.set_width(cw);
        canvas.set_height(ch);
        let context: web_sys::CanvasRenderingContext2d =
            canvas.get_context("2d").ok()??.dyn_into().ok()?;
        context
            .draw_image_with_html_video_element_and_dw_and_dh(
                &video,
                0.0,
                0.0,
                f64::from(cw),
                f64::from(ch),
            )
            .ok()?;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let callback = Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
                let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &blob);
            });
            let _ = canvas.to_blob_with_type_and_encoder_options(
                callback.unchecked_ref(),
                "image/jpeg",
                &0.85.into(),
            );
        });
        JsFuture::from(promise)
            .await
            .ok()?
            .dyn_into::<web_sys::Blob>()
            .ok()
    }
    .await;
    let _ = web_sys::Url::revoke_object_url(&url);
    frame
}
