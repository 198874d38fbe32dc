//! xAI (Grok Imagine): synchronous image generation and asynchronous video
//! generation. Models whose id contains `video` go to the video API.
//! Field names follow docs.x.ai and the Vercel AI SDK's xAI client.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{self, ApiClient, HttpConfig, KeyStyle, RetryPolicy};
use crate::generation::provider::{
    ImageRole, MediaProvider, OutputMedia, PollStatus, ProgressFn, ProviderError,
    ProviderErrorDetail, ProviderErrorKind, ProviderRequest, Submitted,
};

/// The public xAI API host.
pub const DEFAULT_BASE: &str = "https://api.x.ai";

/// Client for xAI image and video generation.
pub struct XaiProvider {
    api: ApiClient,
}

impl XaiProvider {
    /// A client for `base` (normally [`DEFAULT_BASE`]).
    pub fn new(
        api_key: impl Into<String>,
        base: impl Into<String>,
        http: HttpConfig,
        retry: RetryPolicy,
    ) -> Result<Self, ProviderError> {
        Ok(Self {
            api: ApiClient::new(api_key, base, KeyStyle::Bearer, http, retry)?,
        })
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.api.request(method, path)
    }

    async fn submit_image(&self, request: &ProviderRequest) -> Result<Submitted, ProviderError> {
        let mut body = request.params.clone();
        body.insert("model".into(), json!(request.provider_model));
        body.insert("prompt".into(), json!(request.prompt));
        // Bytes inline, so our outputs never depend on xAI's URL lifetime.
        body.insert("response_format".into(), json!("b64_json"));
        body.entry("n").or_insert(json!(1));
        let response: ImagesResponse = http::send_json(
            self.request(reqwest::Method::POST, "v1/images/generations")
                .json(&body),
        )
        .await?;
        Ok(Submitted::Done(image_outputs(response)?))
    }

    async fn submit_video(&self, request: &ProviderRequest) -> Result<Submitted, ProviderError> {
        let body = build_video_body(request);
        let created: VideoCreated = http::send_json(
            self.request(reqwest::Method::POST, "v1/videos/generations")
                .json(&body),
        )
        .await?;
        tracing::info!(
            provider.name = "xai",
            provider.model = %request.provider_model,
            provider.request_id = %created.request_id,
            "xAI video requested"
        );
        Ok(Submitted::Pending {
            request_id: created.request_id,
        })
    }
}

/// Builds the video body: params (`duration`, `aspect_ratio`, `resolution`),
/// `model`, `prompt`, the start frame as `image: {url}` and references as
/// `reference_images: [{url}]`.
pub fn build_video_body(request: &ProviderRequest) -> Value {
    let mut body = request.params.clone();
    body.insert("model".into(), json!(request.provider_model));
    body.insert("prompt".into(), json!(request.prompt));
    let mut references = Vec::new();
    for (role, image) in &request.images {
        let url = http::url_or_data_uri(image);
        match role {
            ImageRole::StartFrame | ImageRole::Source => {
                body.insert("image".into(), json!({"url": url}));
            }
            ImageRole::Reference => references.push(json!({"url": url})),
            // grok-imagine-video has no last-frame input.
            ImageRole::EndFrame => {}
        }
    }
    if !references.is_empty() {
        body.insert("reference_images".into(), Value::Array(references));
    }
    Value::Object(body)
}

#[derive(Deserialize)]
struct ImagesResponse {
    #[serde(default)]
    data: Vec<ImageDatum>,
}

#[derive(Deserialize)]
struct ImageDatum {
    #[serde(default)]
    b64_json: Option<String>,
    /// `image/png`, `image/jpeg` or `image/webp` (newer answers say).
    #[serde(default)]
    mime_type: Option<String>,
    /// `false` when xAI's moderation withheld the image.
    #[serde(default)]
    respect_moderation: Option<bool>,
}

/// Splits an optional `data:<type>;base64,` prefix (older answers carried
/// one inside `b64_json`) from the base64 text; returns the type it named.
fn strip_data_uri(b64: &str) -> (Option<&str>, &str) {
    let Some(rest) = b64.trim().strip_prefix("data:") else {
        return (None, b64.trim());
    };
    match rest.split_once(',') {
        Some((meta, data)) => {
            let mime = meta.split(';').next().filter(|m| !m.is_empty());
            (mime, data)
        }
        None => (None, rest),
    }
}

/// Reads the images of an answer: bytes with the type xAI names, the type a
/// data-URI prefix names, or the type the bytes themselves show.
fn image_outputs(response: ImagesResponse) -> Result<Vec<OutputMedia>, ProviderError> {
    let mut media = Vec::new();
    let mut moderated = false;
    for datum in response.data {
        if datum.respect_moderation == Some(false) {
            moderated = true;
            continue;
        }
        let Some(b64) = datum.b64_json else { continue };
        let (prefix_type, text) = strip_data_uri(&b64);
        let data = http::decode_base64(text)?;
        let content_type = datum
            .mime_type
            .filter(|t| t.starts_with("image/"))
            .or_else(|| prefix_type.map(str::to_string))
            .or_else(|| crate::media::decode::sniff_image_type(&data).map(str::to_string))
            .unwrap_or_else(|| "image/jpeg".into());
        media.push(OutputMedia::Bytes { data, content_type });
    }
    if media.is_empty() {
        return Err(if moderated {
            ProviderError::new(
                ProviderErrorKind::Moderation,
                "xAI moderation withheld the image",
            )
        } else {
            ProviderError::new(ProviderErrorKind::Unknown, "xAI returned no images")
        });
    }
    Ok(media)
}

#[derive(Deserialize)]
struct VideoCreated {
    request_id: String,
}

#[derive(Deserialize)]
struct VideoStatus {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    video: Option<Video>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    progress: Option<f32>,
}

#[derive(Deserialize)]
struct Video {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    respect_moderation: Option<bool>,
}

fn video_status(status: VideoStatus) -> Result<PollStatus, ProviderError> {
    let failed = |kind, message: String| PollStatus::Failed(ProviderErrorDetail { kind, message });
    // xAI reports progress as a percentage (0-100).
    let progress = status.progress.map(|p| (p / 100.0).clamp(0.0, 1.0));
    let has_url = status.video.as_ref().is_some_and(|v| v.url.is_some());
    // An answer without `status` but with the video's URL is finished (the
    // Vercel AI SDK's xAI client reads it so); without either it is pending.
    let state = match status.status.as_deref() {
        None if has_url => Some("done"),
        other => other,
    };
    Ok(match state {
        // A bare `{request_id}` answer (no status yet) also means "still pending".
        None | Some("pending") | Some("queued") => match progress {
            Some(p) if p > 0.0 => PollStatus::Running { progress: Some(p) },
            _ => PollStatus::Queued { position: None },
        },
        Some("processing") | Some("in_progress") => PollStatus::Running { progress },
        Some("done") => match status.video {
            // `respect_moderation: false` means the output was filtered.
            Some(Video {
                respect_moderation: Some(false),
                ..
            }) => failed(
                ProviderErrorKind::Moderation,
                "xAI moderation filtered the video".into(),
            ),
            Some(Video { url: Some(url), .. }) => PollStatus::Done(vec![OutputMedia::Url {
                url,
                content_type: Some("video/mp4".into()),
            }]),
            _ => failed(
                ProviderErrorKind::Unknown,
                "xAI video done without a URL".into(),
            ),
        },
        Some("failed") => {
            let text = status.error.map(|e| e.to_string()).unwrap_or_default();
            let message = http::extract_message(format!("{{\"error\":{text}}}").as_bytes())
                .unwrap_or_else(|| "xAI video generation failed".into());
            let kind = if http::mentions_moderation(text.as_bytes()) {
                ProviderErrorKind::Moderation
            } else if text.contains("internal") {
                ProviderErrorKind::Transient
            } else {
                ProviderErrorKind::Unknown
            };
            failed(kind, message)
        }
        // The result was not collected in time; a new request may succeed.
        Some("expired") => failed(
            ProviderErrorKind::Transient,
            "xAI video request expired".into(),
        ),
        Some(other) => {
            return Err(ProviderError::new(
                ProviderErrorKind::Unknown,
                format!("unknown xAI video status `{other}`"),
            ));
        }
    })
}

#[async_trait]
impl MediaProvider for XaiProvider {
    async fn submit(
        &self,
        request: &ProviderRequest,
        _progress: &ProgressFn,
    ) -> Result<Submitted, ProviderError> {
        if request.provider_model.contains("video") {
            self.submit_video(request).await
        } else {
            self.submit_image(request).await
        }
    }

    async fn poll(
        &self,
        _provider_model: &str,
        request_id: &str,
    ) -> Result<PollStatus, ProviderError> {
        let path = format!("v1/videos/{request_id}");
        let raw = http::with_retry(self.api.retry, || async {
            let raw = http::send(self.request(reqwest::Method::GET, &path)).await?;
            if raw.status.is_success() {
                Ok(raw)
            } else {
                Err(http::classify_status(raw.status, &raw.headers, &raw.body))
            }
        })
        .await?;
        // A 202 with no body means the request is still waiting its turn.
        if raw.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(PollStatus::Queued { position: None });
        }
        video_status(http::parse_json(&raw.body)?)
    }

    // xAI documents no way to cancel a video request: the trait's default
    // (`NotSupported`) says so.

    /// `GET /v1/api-key`: describes the key itself, and says when it or its
    /// team is blocked or disabled (which a 200 alone would hide).
    async fn check_connection(&self) -> Result<(), ProviderError> {
        let raw = http::send(self.request(reqwest::Method::GET, "v1/api-key")).await?;
        let info: ApiKeyInfo = raw.into_json()?;
        if info.api_key_blocked || info.api_key_disabled || info.team_blocked {
            return Err(ProviderError::new(
                ProviderErrorKind::Auth,
                "the xAI key (or its team) is blocked or disabled",
            ));
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct ApiKeyInfo {
    #[serde(default)]
    api_key_blocked: bool,
    #[serde(default)]
    api_key_disabled: bool,
    #[serde(default)]
    team_blocked: bool,
}

#[cfg(test)]
mod tests;
