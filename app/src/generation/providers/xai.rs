//! xAI (Grok Imagine): synchronous image generation and asynchronous video
//! generation. Models whose id contains `video` go to the video API.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{self, HttpConfig, RetryPolicy};
use crate::generation::provider::{
    CancelOutcome, ImageRole, MediaProvider, OutputMedia, PollStatus, ProgressFn, ProviderError,
    ProviderErrorDetail, ProviderErrorKind, ProviderRequest, Submitted,
};

/// The public xAI API host.
pub const DEFAULT_BASE: &str = "https://api.x.ai";

/// Client for xAI image and video generation.
pub struct XaiProvider {
    client: reqwest::Client,
    base: String,
    api_key: String,
    http: HttpConfig,
    retry: RetryPolicy,
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
            client: http::build_client(&http)?,
            base: base.into(),
            api_key: api_key.into(),
            http,
            retry,
        })
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, http::join(&self.base, path))
            .bearer_auth(&self.api_key)
            .timeout(self.http.request_timeout)
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
        let mut media = Vec::new();
        for datum in response.data {
            if let Some(b64) = datum.b64_json {
                media.push(OutputMedia::Bytes {
                    data: http::decode_base64(&b64)?,
                    // xAI image models produce JPEG.
                    content_type: "image/jpeg".into(),
                });
            }
        }
        if media.is_empty() {
            return Err(ProviderError::new(
                ProviderErrorKind::Unknown,
                "xAI returned no images",
            ));
        }
        Ok(Submitted::Done(media))
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
    Ok(match status.status.as_deref() {
        // A bare `{request_id}` answer (no status yet) also means "still pending".
        None | Some("pending") | Some("queued") => PollStatus::Queued { position: None },
        Some("processing") | Some("in_progress") => PollStatus::Running {
            progress: status.progress.map(|p| (p / 100.0).clamp(0.0, 1.0)),
        },
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
        let status: VideoStatus = http::with_retry(self.retry, || {
            http::send_json(self.request(reqwest::Method::GET, &path))
        })
        .await?;
        video_status(status)
    }

    async fn cancel(
        &self,
        _provider_model: &str,
        _request_id: &str,
    ) -> Result<CancelOutcome, ProviderError> {
        // xAI documents no way to cancel a video request.
        Ok(CancelOutcome::NotSupported)
    }
}

#[cfg(test)]
mod tests;
