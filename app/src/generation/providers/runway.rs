//! Runway's developer API: `POST /v1/image_to_video` starts a task, `GET
//! /v1/tasks/{id}` reports it, `DELETE /v1/tasks/{id}` cancels it.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{self, ApiClient, HttpConfig, KeyStyle, RetryPolicy};
use crate::generation::provider::{
    CancelOutcome, ImageRole, MediaProvider, OutputMedia, PollStatus, ProgressFn, ProviderError,
    ProviderErrorDetail, ProviderErrorKind, ProviderRequest, Submitted,
};

/// The public Runway API host.
pub const DEFAULT_BASE: &str = "https://api.dev.runwayml.com";
/// The API version this client speaks (sent as `X-Runway-Version`).
pub const API_VERSION: &str = "2024-11-06";

/// Client for Runway image-to-video.
pub struct RunwayProvider {
    api: ApiClient,
}

impl RunwayProvider {
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
        self.api
            .request(method, path)
            .header("X-Runway-Version", API_VERSION)
    }

    async fn task(&self, id: &str) -> Result<Task, ProviderError> {
        let path = format!("v1/tasks/{id}");
        http::with_retry(self.api.retry, || {
            http::send_json(self.request(reqwest::Method::GET, &path))
        })
        .await
    }
}

/// Whether a Runway model takes an end frame (`promptImage` position `last`):
/// Runway's API reference says "`last` is currently supported for
/// gen3a_turbo only"; gen4_turbo accepts `first` alone.
pub fn takes_last_frame(model: &str) -> bool {
    model == "gen3a_turbo"
}

/// Builds the `image_to_video` body: params (`ratio`, `duration`, `seed`, ...),
/// then `model`, `promptText` and `promptImage` (a string, or the
/// `[{uri, position}]` form when a last frame is given to a model that takes
/// one; any other model refuses it before anything is sent).
pub fn build_body(request: &ProviderRequest) -> Result<Value, ProviderError> {
    let find = |role| {
        request
            .images
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, img)| http::url_or_data_uri(img))
    };
    let start = find(ImageRole::StartFrame)
        .or_else(|| find(ImageRole::Source))
        .ok_or_else(|| {
            ProviderError::new(
                ProviderErrorKind::RejectedInput,
                "Runway image-to-video needs a start frame",
            )
        })?;
    let prompt_image = match find(ImageRole::EndFrame) {
        Some(_) if !takes_last_frame(&request.provider_model) => {
            return Err(ProviderError::new(
                ProviderErrorKind::RejectedInput,
                format!("{} takes no end frame", request.provider_model),
            ));
        }
        Some(end) => json!([
            {"uri": start, "position": "first"},
            {"uri": end, "position": "last"},
        ]),
        None => Value::String(start),
    };
    let mut body = request.params.clone();
    body.insert("model".into(), json!(request.provider_model));
    body.insert("promptImage".into(), prompt_image);
    if !request.prompt.is_empty() {
        body.insert("promptText".into(), json!(request.prompt));
    }
    Ok(Value::Object(body))
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Task {
    status: String,
    #[serde(default)]
    progress: Option<f32>,
    #[serde(default)]
    output: Vec<String>,
    #[serde(default)]
    failure: Option<String>,
    #[serde(default)]
    failure_code: Option<String>,
}

/// Classifies a task `failureCode` (see Runway's "Task failures" docs).
pub fn failure_kind(code: &str) -> ProviderErrorKind {
    if code.starts_with("SAFETY") || code.contains(".SAFETY") {
        ProviderErrorKind::Moderation
    } else if code.starts_with("INPUT_PREPROCESSING") {
        ProviderErrorKind::RejectedInput
    } else if code.starts_with("INTERNAL") {
        ProviderErrorKind::Transient
    } else {
        ProviderErrorKind::Unknown
    }
}

fn task_status(task: Task) -> Result<PollStatus, ProviderError> {
    Ok(match task.status.as_str() {
        "PENDING" | "THROTTLED" => PollStatus::Queued { position: None },
        "RUNNING" => PollStatus::Running {
            progress: task.progress.map(|p| p.clamp(0.0, 1.0)),
        },
        "SUCCEEDED" if !task.output.is_empty() => PollStatus::Done(
            task.output
                .into_iter()
                .map(|url| OutputMedia::Url {
                    url,
                    content_type: None,
                })
                .collect(),
        ),
        "SUCCEEDED" => PollStatus::Failed(ProviderErrorDetail {
            kind: ProviderErrorKind::Unknown,
            message: "Runway task succeeded without output".into(),
        }),
        "FAILED" => {
            let code = task.failure_code.unwrap_or_default();
            PollStatus::Failed(ProviderErrorDetail {
                kind: failure_kind(&code),
                message: task
                    .failure
                    .unwrap_or_else(|| format!("Runway task failed ({code})")),
            })
        }
        "CANCELLED" | "CANCELED" => PollStatus::Cancelled,
        other => {
            return Err(ProviderError::new(
                ProviderErrorKind::Unknown,
                format!("unknown Runway task status `{other}`"),
            ));
        }
    })
}

#[async_trait]
impl MediaProvider for RunwayProvider {
    async fn submit(
        &self,
        request: &ProviderRequest,
        _progress: &ProgressFn,
    ) -> Result<Submitted, ProviderError> {
        let body = build_body(request)?;
        let created: Created = http::send_json(
            self.request(reqwest::Method::POST, "v1/image_to_video")
                .json(&body),
        )
        .await?;
        tracing::info!(
            provider.name = "runway",
            provider.model = %request.provider_model,
            provider.request_id = %created.id,
            "Runway task created"
        );
        Ok(Submitted::Pending {
            request_id: created.id,
        })
    }

    async fn poll(
        &self,
        _provider_model: &str,
        request_id: &str,
    ) -> Result<PollStatus, ProviderError> {
        task_status(self.task(request_id).await?)
    }

    async fn cancel(
        &self,
        _provider_model: &str,
        request_id: &str,
    ) -> Result<CancelOutcome, ProviderError> {
        // DELETE also deletes finished tasks (and their output), so look first.
        let task = self.task(request_id).await?;
        if matches!(task.status.as_str(), "SUCCEEDED" | "FAILED" | "CANCELLED") {
            return Ok(CancelOutcome::AlreadyFinished);
        }
        let raw =
            http::send(self.request(reqwest::Method::DELETE, &format!("v1/tasks/{request_id}")))
                .await?;
        if raw.status.is_success() {
            Ok(CancelOutcome::Cancelled)
        } else {
            Err(http::classify_status(raw.status, &raw.headers, &raw.body))
        }
    }

    /// `GET /v1/organization` (the account's credit balance): free and authenticated.
    async fn check_connection(&self) -> Result<(), ProviderError> {
        http::check(self.request(reqwest::Method::GET, "v1/organization")).await
    }
}

#[cfg(test)]
mod tests;
