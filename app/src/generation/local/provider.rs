//! [`LocalProvider`]: the `local-image`, `local-edit` and `local-video` models
//! behind the common [`MediaProvider`] contract. Work runs on tokio's blocking
//! pool; progress travels back over a watch channel because the caller's
//! callback is borrowed and cannot move into the blocking task.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use bytes::Bytes;
use serde_json::Value;

use super::clip::encode_clip;
use super::edit::edit_image;
use super::image::{SizeClass, image_dimensions, render_image};
use crate::generation::provider::{
    CancelOutcome, ImageRole, MediaProvider, OutputMedia, PollStatus, ProgressFn, ProviderError,
    ProviderErrorKind, ProviderRequest, Submitted,
};
use crate::media::FormatError;
use crate::media::decode_image;

/// Frame rate of every local clip.
pub const VIDEO_FPS: u32 = 24;

/// The in-process provider. `submit` does the work and answers `Done`.
#[derive(Debug, Clone)]
pub struct LocalProvider {
    min_video_time: Duration,
    /// Lowercase words a prompt may not contain.
    moderation_words: Vec<String>,
    /// Answers at once with a tiny fixed output (benchmarks only).
    instant: bool,
}

impl Default for LocalProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl LocalProvider {
    /// A provider whose video jobs take at least 2 s, so the UI's progress
    /// display behaves as it does with remote providers.
    pub fn new() -> Self {
        Self {
            min_video_time: Duration::from_secs(2),
            moderation_words: Vec::new(),
            instant: false,
        }
    }

    /// Refuses prompts containing any of `words` (case-insensitive), as a
    /// provider's content filter would, with [`ProviderErrorKind::Moderation`].
    pub fn with_moderation_words(mut self, words: Vec<String>) -> Self {
        self.moderation_words = words.into_iter().map(|w| w.to_lowercase()).collect();
        self
    }

    /// Skips all rendering and answers at once with a tiny fixed output, so a
    /// benchmark measures the job engine rather than the encoder. Never used
    /// by the app itself.
    pub fn instant(mut self) -> Self {
        self.instant = true;
        self
    }

    /// The blocked word `prompt` contains, if any.
    fn blocked_word(&self, prompt: &str) -> Option<&str> {
        let prompt = prompt.to_lowercase();
        self.moderation_words
            .iter()
            .find(|w| prompt.contains(w.as_str()))
            .map(String::as_str)
    }

    /// Sets the minimum wall time of a video job (`Duration::ZERO` for tests and benchmarks).
    pub fn with_min_video_time(mut self, min: Duration) -> Self {
        self.min_video_time = min;
        self
    }
}

fn rejected(msg: impl Into<String>) -> ProviderError {
    ProviderError::new(ProviderErrorKind::RejectedInput, msg)
}

impl From<FormatError> for ProviderError {
    fn from(e: FormatError) -> Self {
        match e {
            FormatError::InvalidInput(m) => rejected(m),
            FormatError::Encode(m) => ProviderError::new(ProviderErrorKind::Unknown, m),
        }
    }
}

/// A string parameter, its default when absent; wrong types are rejected.
fn str_param<'a>(
    req: &'a ProviderRequest,
    key: &str,
    default: &'a str,
) -> Result<&'a str, ProviderError> {
    match req.params.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(rejected(format!(
            "parameter {key} must be a string, got {other}"
        ))),
    }
}

/// The first input image with `role`, if any.
fn image_with(req: &ProviderRequest, role: ImageRole) -> Option<Bytes> {
    req.images
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, img)| img.data.clone())
}

/// Clip size for `aspect_ratio` and `resolution`: the short side is the
/// resolution's number, the long side 16/9 of it rounded to even (AV1 4:2:0
/// needs even sizes): 16:9 270p = 480x270, 360p = 640x360, 480p = 854x480;
/// 9:16 swaps them; 1:1 is 270x270, 360x360 or 480x480.
pub fn video_dimensions(aspect_ratio: &str, resolution: &str) -> Result<(u32, u32), ProviderError> {
    let short = match resolution {
        "270p" => 270,
        "360p" => 360,
        "480p" => 480,
        other => {
            return Err(rejected(format!(
                "unsupported resolution {other:?} (use 270p, 360p or 480p)"
            )));
        }
    };
    let long = (short * 16 + 9) / 18 * 2;
    match aspect_ratio {
        "16:9" => Ok((long, short)),
        "9:16" => Ok((short, long)),
        "1:1" => Ok((short, short)),
        other => Err(rejected(format!(
            "unsupported aspect_ratio {other:?} (use 16:9, 9:16 or 1:1)"
        ))),
    }
}

/// `duration` in whole seconds, 2..=10 (default 5); digit strings are accepted too.
fn duration_param(req: &ProviderRequest) -> Result<u32, ProviderError> {
    let secs = match req.params.get("duration") {
        None | Some(Value::Null) => Some(5),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim_end_matches('s').parse().ok(),
        Some(_) => None,
    };
    match secs {
        Some(s @ 2..=10) => Ok(s as u32),
        _ => Err(rejected(
            "parameter duration must be a whole number of seconds from 2 to 10",
        )),
    }
}

/// Runs `work` on the blocking pool, forwarding its progress to `progress`
/// (never decreasing) and stretching it over at least `min_time`.
async fn run_blocking<T: Send + 'static>(
    min_time: Duration,
    progress: &ProgressFn,
    work: impl FnOnce(&dyn Fn(f32)) -> Result<T, FormatError> + Send + 'static,
) -> Result<T, ProviderError> {
    let started = Instant::now();
    let (tx, mut rx) = tokio::sync::watch::channel(0.0f32);
    let mut handle = tokio::task::spawn_blocking(move || {
        work(&|p| {
            tx.send_replace(p);
        })
    });
    let mut last = -1.0f32;
    let mut report = |p: f32| {
        // Until `min_time` has passed, progress may not run ahead of the clock.
        let clock = if min_time.is_zero() {
            1.0
        } else {
            started.elapsed().as_secs_f32() / min_time.as_secs_f32()
        };
        let p = p.min(clock).min(0.99).clamp(0.0, 1.0);
        if p > last {
            last = p;
            progress(p);
        }
    };
    report(0.0);
    let tick = Duration::from_millis(100);
    let result = loop {
        tokio::select! {
            joined = &mut handle => break joined,
            changed = rx.changed() => {
                if changed.is_ok() {
                    let p = *rx.borrow_and_update();
                    report(p);
                } else {
                    // The worker dropped its sender: only the join is left to wait for.
                    break (&mut handle).await;
                }
            }
            () = tokio::time::sleep(tick), if !min_time.is_zero() => report(*rx.borrow()),
        }
    };
    let value = result.map_err(|e| {
        ProviderError::new(
            ProviderErrorKind::Unknown,
            format!("local worker failed: {e}"),
        )
    })??;
    // A real encode takes time; a fast one still shows a progress ramp.
    while started.elapsed() < min_time {
        tokio::time::sleep(tick.min(min_time - started.elapsed())).await;
        report(1.0);
    }
    progress(1.0);
    Ok(value)
}

#[async_trait]
impl MediaProvider for LocalProvider {
    async fn submit(
        &self,
        request: &ProviderRequest,
        progress: &ProgressFn,
    ) -> Result<Submitted, ProviderError> {
        if let Some(word) = self.blocked_word(&request.prompt) {
            return Err(ProviderError::new(
                ProviderErrorKind::Moderation,
                format!("the prompt contains a blocked word: {word}"),
            ));
        }
        if self.instant {
            progress(0.5);
            progress(1.0);
            let (data, content_type): (&'static [u8], &str) =
                if request.provider_model == "local-video" {
                    (b"\x1a\x45\xdf\xa3instant", "video/webm")
                } else {
                    (b"\x89PNG\r\n\x1a\ninstant", "image/png")
                };
            return Ok(Submitted::Done(vec![OutputMedia::Bytes {
                data: Bytes::from_static(data),
                content_type: content_type.to_owned(),
            }]));
        }
        let prompt = request.prompt.clone();
        let (data, content_type) = match request.provider_model.as_str() {
            "local-image" => {
                let aspect = str_param(request, "aspect_ratio", "1:1")?.to_owned();
                let size_name = str_param(request, "size", "medium")?;
                let size = SizeClass::parse(size_name).ok_or_else(|| {
                    rejected(format!(
                        "unsupported size {size_name:?} (use small, medium or large)"
                    ))
                })?;
                image_dimensions(&aspect, size)?;
                let png = run_blocking(Duration::ZERO, progress, move |_| {
                    render_image(&prompt, &aspect, size)
                })
                .await?;
                (png, "image/png")
            }
            "local-edit" => {
                let source = image_with(request, ImageRole::Source)
                    .ok_or_else(|| rejected("local-edit needs a Source image"))?;
                let png = run_blocking(Duration::ZERO, progress, move |_| {
                    edit_image(&source, &prompt)
                })
                .await?;
                (png, "image/png")
            }
            "local-video" => {
                let start = image_with(request, ImageRole::StartFrame)
                    .ok_or_else(|| rejected("local-video needs a StartFrame image"))?;
                let end = image_with(request, ImageRole::EndFrame);
                let secs = duration_param(request)?;
                let (w, h) = video_dimensions(
                    str_param(request, "aspect_ratio", "16:9")?,
                    str_param(request, "resolution", "270p")?,
                )?;
                let (clip, ct) = run_blocking(self.min_video_time, progress, move |p| {
                    let start = decode_image(&start).map_err(|e| in_frame("start", e))?;
                    let end = end
                        .map(|e| decode_image(&e))
                        .transpose()
                        .map_err(|e| in_frame("end", e))?;
                    encode_clip(&start, end.as_ref(), secs as f32, w, h, VIDEO_FPS, p)
                })
                .await?;
                (clip, ct)
            }
            other => {
                return Err(rejected(format!(
                    "unknown local model {other:?} (local-image, local-edit, local-video)"
                )));
            }
        };
        Ok(Submitted::Done(vec![OutputMedia::Bytes {
            data: Bytes::from(data),
            content_type: content_type.to_owned(),
        }]))
    }

    /// Local requests never return `Pending` (submit finishes the work), so
    /// there is no request id to poll; asking is a caller bug, reported as such.
    async fn poll(
        &self,
        _provider_model: &str,
        _request_id: &str,
    ) -> Result<PollStatus, ProviderError> {
        Err(rejected("local requests finish when submitted"))
    }

    /// Nothing is ever pending, so there is nothing to cancel (see `poll`).
    async fn cancel(
        &self,
        _provider_model: &str,
        _request_id: &str,
    ) -> Result<CancelOutcome, ProviderError> {
        Err(rejected("local requests finish when submitted"))
    }
}

/// Names which frame was bad, so the user knows which upload to fix.
fn in_frame(which: &str, e: FormatError) -> FormatError {
    match e {
        FormatError::InvalidInput(m) => FormatError::InvalidInput(format!("{which} frame: {m}")),
        other => other,
    }
}
