//! fal.ai through its queue API: submit to `POST {queue}/{model_id}`, then
//! status, result and cancel under `{queue}/{owner}/{app}/requests/{id}`.
//! Completion can also arrive by webhook; see [`webhook`].

pub mod webhook;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::Value;

use super::http::{self, ApiClient, HttpConfig, KeyStyle, RetryPolicy};
use crate::generation::provider::{
    CancelOutcome, ImageRole, MediaProvider, OutputMedia, PollStatus, ProgressFn, ProviderError,
    ProviderErrorDetail, ProviderErrorKind, ProviderRequest, Submitted,
};

/// The public fal queue endpoint.
pub const DEFAULT_QUEUE_BASE: &str = "https://queue.fal.run";
/// fal's platform API (model metadata, pricing), where the connection check reads.
pub const DEFAULT_API_BASE: &str = "https://api.fal.ai";
/// The endpoint whose price the connection check asks for.
const CHECK_ENDPOINT: &str = "fal-ai/veo3.1/image-to-video";

/// Where one kind of input image goes in a fal model's JSON input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageField {
    /// A single URL field (a second image of the same role is refused).
    Single(&'static str),
    /// A list-of-URLs field (images are appended in order).
    List(&'static str),
}

/// The JSON fields a fal model takes its input images in, per [`ImageRole`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageFields {
    /// [`ImageRole::StartFrame`].
    pub start: ImageField,
    /// [`ImageRole::EndFrame`].
    pub end: ImageField,
    /// [`ImageRole::Source`] (the image to edit).
    pub source: ImageField,
    /// [`ImageRole::Reference`].
    pub reference: ImageField,
}

/// Image field names per fal model. fal models do not agree on names, so this
/// table is the one place to adjust them; unknown models get the most common
/// names (`image_url`, `end_image_url`, `image_urls`).
pub fn image_fields(provider_model: &str) -> ImageFields {
    use ImageField::{List, Single};
    let default = ImageFields {
        start: Single("image_url"),
        end: Single("end_image_url"),
        source: List("image_urls"),
        reference: List("image_urls"),
    };
    if provider_model.contains("first-last-frame-to-video") {
        // Veo 3.1 first/last frame (and its /fast variant).
        ImageFields {
            start: Single("first_frame_url"),
            end: Single("last_frame_url"),
            ..default
        }
    } else if provider_model.starts_with("fal-ai/kling-video/v2.6/")
        || provider_model.starts_with("fal-ai/kling-video/o1/")
    {
        // Kling 2.6 and O1 renamed the frames; only v2.1 and v2.5-turbo keep
        // `image_url` / `tail_image_url`.
        ImageFields {
            start: Single("start_image_url"),
            end: Single("end_image_url"),
            ..default
        }
    } else if provider_model.starts_with("fal-ai/kling-video/") {
        ImageFields {
            end: Single("tail_image_url"),
            ..default
        }
    } else if provider_model.contains("/kontext") {
        // FLUX.1 Kontext edits take exactly one source image.
        ImageFields {
            source: Single("image_url"),
            ..default
        }
    } else {
        default
    }
}

/// Endpoint namespaces that come before `owner/app` (as fal-js's `parseEndpointId`).
const NAMESPACES: &[&str] = &["workflows", "comfy"];

/// The queue app id: fal addresses status/result/cancel by `owner/app`,
/// without the endpoint sub-path (`fal-ai/veo3.1/image-to-video` -> `fal-ai/veo3.1`).
/// A namespaced id keeps its namespace (`workflows/owner/flow/x` ->
/// `workflows/owner/flow`), as fal-js builds its queue URLs.
pub fn app_id(provider_model: &str) -> &str {
    let first = provider_model.split('/').next().unwrap_or_default();
    let keep = if NAMESPACES.contains(&first) { 3 } else { 2 };
    match provider_model.match_indices('/').nth(keep - 1) {
        Some((end, _)) => &provider_model[..end],
        None => provider_model,
    }
}

/// Client for fal's queue API.
pub struct FalProvider {
    /// The queue API (`queue.fal.run`).
    api: ApiClient,
    /// fal's platform API, for the connection check.
    api_base: String,
}

impl FalProvider {
    /// A client for `queue_base` (normally [`DEFAULT_QUEUE_BASE`]).
    pub fn new(
        api_key: impl Into<String>,
        queue_base: impl Into<String>,
        http: HttpConfig,
        retry: RetryPolicy,
    ) -> Result<Self, ProviderError> {
        Ok(Self {
            api: ApiClient::new(api_key, queue_base, KeyStyle::Key, http, retry)?,
            api_base: DEFAULT_API_BASE.into(),
        })
    }

    /// Where fal's platform API is (normally [`DEFAULT_API_BASE`]; `FAL_API_URL`).
    pub fn with_api_base(mut self, api_base: impl Into<String>) -> Self {
        self.api_base = api_base.into();
        self
    }

    fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        self.api.request_url(method, url)
    }

    fn request_url(&self, provider_model: &str, request_id: &str, tail: &str) -> String {
        http::join(
            self.api.base(),
            &format!("{}/requests/{request_id}{tail}", app_id(provider_model)),
        )
    }

    /// Fetches a completed request's output. A failed request answers with an
    /// error status here; that is the request's failure, not the poll's.
    async fn result(
        &self,
        provider_model: &str,
        request_id: &str,
    ) -> Result<PollStatus, ProviderError> {
        let url = self.request_url(provider_model, request_id, "");
        let raw = http::with_retry(self.api.retry, || {
            http::send(self.request(reqwest::Method::GET, &url))
        })
        .await?;
        if !raw.status.is_success() {
            let err = http::classify_status(raw.status, &raw.headers, &raw.body);
            if err.kind.is_retryable() || err.kind == ProviderErrorKind::Auth {
                return Err(err);
            }
            return Ok(PollStatus::Failed(ProviderErrorDetail {
                kind: err.kind,
                message: err.message,
            }));
        }
        let output: Value = http::parse_json(&raw.body)?;
        Ok(output_status(&output))
    }
}

/// Turns a fal output object into `Done`, or a failure when it holds no media.
pub fn output_status(output: &Value) -> PollStatus {
    let media = output_media(output);
    if media.is_empty() {
        PollStatus::Failed(ProviderErrorDetail {
            kind: ProviderErrorKind::Unknown,
            message: "fal returned no video or image".into(),
        })
    } else {
        PollStatus::Done(media)
    }
}

/// Reads the media of a fal output: `video`, `image` and `images[]` file objects.
pub fn output_media(output: &Value) -> Vec<OutputMedia> {
    let file = |v: &Value| {
        let url = v.get("url")?.as_str()?.to_string();
        let content_type = v
            .get("content_type")
            .and_then(Value::as_str)
            .map(str::to_string);
        Some(OutputMedia::Url { url, content_type })
    };
    let mut media: Vec<OutputMedia> = ["video", "image"]
        .iter()
        .filter_map(|key| output.get(*key).and_then(file))
        .collect();
    if let Some(images) = output.get("images").and_then(Value::as_array) {
        media.extend(images.iter().filter_map(file));
    }
    media
}

/// Builds the JSON input: params, then the prompt, then images by [`image_fields`].
pub fn build_input(request: &ProviderRequest) -> Result<Value, ProviderError> {
    let mut input = request.params.clone();
    if !request.prompt.is_empty() {
        input.insert("prompt".into(), Value::String(request.prompt.clone()));
    }
    let fields = image_fields(&request.provider_model);
    let mut used_single: Vec<&str> = Vec::new();
    for (role, image) in &request.images {
        let field = match role {
            ImageRole::StartFrame => fields.start,
            ImageRole::EndFrame => fields.end,
            ImageRole::Source => fields.source,
            ImageRole::Reference => fields.reference,
        };
        let url = Value::String(http::url_or_data_uri(image));
        match field {
            ImageField::Single(name) => {
                if used_single.contains(&name) {
                    return Err(ProviderError::new(
                        ProviderErrorKind::RejectedInput,
                        format!("this model takes a single image in `{name}`"),
                    ));
                }
                used_single.push(name);
                input.insert(name.into(), url);
            }
            ImageField::List(name) => {
                let slot = input
                    .entry(name)
                    .or_insert_with(|| Value::Array(Vec::new()));
                match slot {
                    Value::Array(list) => list.push(url),
                    other => *other = Value::Array(vec![url]),
                }
            }
        }
    }
    Ok(Value::Object(input))
}

#[derive(Deserialize)]
struct SubmitResponse {
    request_id: String,
}

#[derive(Deserialize)]
struct StatusResponse {
    status: String,
    #[serde(default)]
    queue_position: Option<u32>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct CancelResponse {
    #[serde(default)]
    status: Option<String>,
}

#[async_trait]
impl MediaProvider for FalProvider {
    async fn submit(
        &self,
        request: &ProviderRequest,
        _progress: &ProgressFn,
    ) -> Result<Submitted, ProviderError> {
        let input = build_input(request)?;
        let mut url = url::Url::parse(&http::join(self.api.base(), &request.provider_model))
            .map_err(|e| {
                ProviderError::new(ProviderErrorKind::Unknown, format!("bad fal URL: {e}"))
            })?;
        if let Some(webhook) = &request.webhook_url {
            url.query_pairs_mut().append_pair("fal_webhook", webhook);
        }
        let response: SubmitResponse = http::send_json(
            self.request(reqwest::Method::POST, url.as_str())
                .json(&input),
        )
        .await?;
        tracing::info!(
            provider.name = "fal",
            provider.model = %request.provider_model,
            provider.request_id = %response.request_id,
            "submitted to fal queue"
        );
        Ok(Submitted::Pending {
            request_id: response.request_id,
        })
    }

    async fn poll(
        &self,
        provider_model: &str,
        request_id: &str,
    ) -> Result<PollStatus, ProviderError> {
        let url = self.request_url(provider_model, request_id, "/status?logs=1");
        let status: StatusResponse = http::with_retry(self.api.retry, || {
            http::send_json(self.request(reqwest::Method::GET, &url))
        })
        .await?;
        match status.status.as_str() {
            "IN_QUEUE" => Ok(PollStatus::Queued {
                position: status.queue_position,
            }),
            "IN_PROGRESS" => Ok(PollStatus::Running { progress: None }),
            "COMPLETED" => match status.error {
                // Newer queue answers carry the failure on the status itself.
                Some(message) if !message.is_empty() => {
                    Ok(PollStatus::Failed(failure_detail(&message)))
                }
                _ => self.result(provider_model, request_id).await,
            },
            "FAILED" => Ok(PollStatus::Failed(failure_detail(
                status.error.as_deref().unwrap_or("fal request failed"),
            ))),
            "CANCELED" | "CANCELLED" => Ok(PollStatus::Cancelled),
            other => Err(ProviderError::new(
                ProviderErrorKind::Unknown,
                format!("unknown fal status `{other}`"),
            )),
        }
    }

    async fn cancel(
        &self,
        provider_model: &str,
        request_id: &str,
    ) -> Result<CancelOutcome, ProviderError> {
        let url = self.request_url(provider_model, request_id, "/cancel");
        let raw = http::send(self.request(reqwest::Method::PUT, &url)).await?;
        let status = http::parse_json::<CancelResponse>(&raw.body)
            .ok()
            .and_then(|r| r.status);
        // fal answers `OK` (taken off the queue: it will never run),
        // `CANCELLATION_REQUESTED` (running: the app is asked to stop and may
        // still finish) or `ALREADY_COMPLETED`.
        match (raw.status.as_u16(), status.as_deref()) {
            (_, Some("ALREADY_COMPLETED")) => Ok(CancelOutcome::AlreadyFinished),
            (200..=299, Some("OK")) => Ok(CancelOutcome::Cancelled),
            // Anything else accepted promises nothing: follow the request to its end.
            (200..=299, _) => Ok(CancelOutcome::Requested),
            _ => Err(http::classify_status(raw.status, &raw.headers, &raw.body)),
        }
    }

    /// A key that is not `KEY_ID:KEY_SECRET` is refused without a call; then
    /// `GET /v1/models/pricing` for one endpoint (free, and it needs the key).
    async fn check_connection(&self) -> Result<(), ProviderError> {
        let well_formed = self
            .api
            .key()
            .split_once(':')
            .is_some_and(|(id, secret)| !id.trim().is_empty() && !secret.trim().is_empty());
        if !well_formed {
            return Err(ProviderError::new(
                ProviderErrorKind::Auth,
                "FAL_KEY is not a fal key (expected KEY_ID:KEY_SECRET)",
            ));
        }
        let url = http::join(
            &self.api_base,
            &format!("v1/models/pricing?endpoint_id={CHECK_ENDPOINT}"),
        );
        self.api.check(&url).await
    }
}

/// Classifies a failure message fal reported for a request.
fn failure_detail(message: &str) -> ProviderErrorDetail {
    let kind = if http::mentions_moderation(message.as_bytes()) {
        ProviderErrorKind::Moderation
    } else {
        ProviderErrorKind::Unknown
    };
    ProviderErrorDetail {
        kind,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests;
