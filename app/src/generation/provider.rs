//! The provider layer's contract: what a generation asks of a provider, what
//! comes back, and how failures are classified. Every provider (fal, OpenAI,
//! Gemini, Runway, xAI and the offline `local` one) implements [`MediaProvider`];
//! chat models implement [`ChatProvider`]. The job runner only sees these traits.

use std::pin::Pin;
use std::time::Duration;

use async_trait::async_trait;
use futures::Stream;
use serde::{Deserialize, Serialize};

/// What kind of failure a provider reported; decides retry and refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderErrorKind {
    /// Network trouble, timeouts, 5xx, 429 with retry: worth retrying later.
    Transient,
    /// The provider refused the input (4xx validation): retrying will not help.
    RejectedInput,
    /// A content-safety filter refused the prompt or the output.
    Moderation,
    /// Out of credits / billing limit at the provider.
    Quota,
    /// The API key is missing, wrong or lacks permission.
    Auth,
    /// Anything the client could not classify (malformed responses included).
    Unknown,
}

impl ProviderErrorKind {
    /// Whether the same request may succeed if tried again later.
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::Transient)
    }
}

/// A classified provider failure with a message safe to show the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: {message}")]
pub struct ProviderError {
    pub kind: ProviderErrorKind,
    pub message: String,
    /// When the provider said how long to wait (Retry-After).
    pub retry_after: Option<Duration>,
}

impl ProviderError {
    pub fn new(kind: ProviderErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            retry_after: None,
        }
    }
}

/// An image handed to a provider: a start or end frame, a source to edit, or a reference.
#[derive(Debug, Clone)]
pub struct InputImage {
    pub data: bytes::Bytes,
    /// `image/png`, `image/jpeg`, `image/webp`.
    pub content_type: String,
    /// A URL the provider can fetch itself, when our media is publicly reachable;
    /// clients otherwise send the bytes (data URI, multipart or inline base64).
    pub public_url: Option<String>,
}

/// What a frame input is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageRole {
    /// The first frame of a video.
    StartFrame,
    /// The last frame of a video (first+last-frame models).
    EndFrame,
    /// The image to edit.
    Source,
    /// A reference (character, style) for image models that take several.
    Reference,
}

/// One generation, ready for a provider: parameters already validated against
/// the model's schema ("replace and fill"), so clients only translate them.
#[derive(Debug, Clone)]
pub struct ProviderRequest {
    /// The provider's own model identifier, e.g. `fal-ai/veo3.1/image-to-video`,
    /// `gen4_turbo`, `gemini-3-pro-image-preview`.
    pub provider_model: String,
    pub prompt: String,
    /// Validated parameters, keyed by the provider's documented names
    /// (`aspect_ratio`, `duration`, `resolution`, `generate_audio`, ...).
    pub params: serde_json::Map<String, serde_json::Value>,
    pub images: Vec<(ImageRole, InputImage)>,
    /// Where the provider should deliver its webhook, when we are publicly reachable.
    pub webhook_url: Option<String>,
}

/// A finished output: bytes the provider returned inline, or a URL to download.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputMedia {
    Url {
        url: String,
        /// When the provider says (e.g. `video/mp4`).
        content_type: Option<String>,
    },
    Bytes {
        data: bytes::Bytes,
        content_type: String,
    },
}

/// What happened when a request was submitted.
#[derive(Debug, Clone, PartialEq)]
pub enum Submitted {
    /// Synchronous providers (image APIs) answer at once.
    Done(Vec<OutputMedia>),
    /// Queue providers return an id to poll (or to match a webhook against).
    Pending { request_id: String },
}

/// Where a pending request stands.
#[derive(Debug, Clone, PartialEq)]
pub enum PollStatus {
    Queued {
        position: Option<u32>,
    },
    /// `progress` in 0.0..=1.0 when the provider reports it.
    Running {
        progress: Option<f32>,
    },
    Done(Vec<OutputMedia>),
    Failed(ProviderErrorDetail),
    Cancelled,
}

/// A failure carried inside a poll result (the poll itself succeeded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderErrorDetail {
    pub kind: ProviderErrorKind,
    pub message: String,
}

/// The answer to a cancel request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// The provider confirmed: nothing will be produced.
    Cancelled,
    /// The provider passed the cancel on (fal's `CANCELLATION_REQUESTED`): the
    /// request may still finish, so keep following it.
    Requested,
    /// Too late: the request already finished (poll to get the result).
    AlreadyFinished,
    /// The provider cannot cancel this request.
    NotSupported,
}

/// Reports progress (0.0..=1.0) while a provider works in-process (the local one).
pub type ProgressFn = dyn Fn(f32) + Send + Sync;

/// Image, edit and video generation.
#[async_trait]
pub trait MediaProvider: Send + Sync {
    /// Sends the request. In-process providers may do the work here and
    /// report progress through `progress`.
    async fn submit(
        &self,
        request: &ProviderRequest,
        progress: &ProgressFn,
    ) -> Result<Submitted, ProviderError>;

    /// Asks where a pending request stands.
    ///
    /// Providers that answer synchronously never leave anything pending: the
    /// default says so.
    async fn poll(
        &self,
        _provider_model: &str,
        _request_id: &str,
    ) -> Result<PollStatus, ProviderError> {
        Err(ProviderError::new(
            ProviderErrorKind::Unknown,
            "this provider answers synchronously; there is nothing to poll",
        ))
    }

    /// Asks the provider to stop a pending request (by default it cannot).
    async fn cancel(
        &self,
        _provider_model: &str,
        _request_id: &str,
    ) -> Result<CancelOutcome, ProviderError> {
        Ok(CancelOutcome::NotSupported)
    }

    /// Makes the cheapest authenticated read the provider offers, so an admin
    /// can tell a wrong key (`Auth`), an empty account (`Quota`) and a
    /// provider that is down (`Transient`) apart before users do. In-process
    /// providers have nothing to check.
    async fn check_connection(&self) -> Result<(), ProviderError> {
        Ok(())
    }
}

/// A chat message for the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    pub content: String,
    /// Images attached to the message (a URL the provider can fetch, or a
    /// `data:` URI), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
}

/// A stream of text pieces as the model writes them.
pub type ChatStream = Pin<Box<dyn Stream<Item = Result<String, ProviderError>> + Send>>;

/// Streaming chat completions.
#[async_trait]
pub trait ChatProvider: Send + Sync {
    async fn stream_chat(
        &self,
        model: &str,
        messages: &[ChatMessage],
    ) -> Result<ChatStream, ProviderError>;

    /// Streams the creative agent's reply, which may propose images. Models
    /// with tool calling get a `propose_images` tool, and its arguments come
    /// back in the text as `<images>…</images>` (the tagged form models
    /// without tools are asked to write), so one parser reads both. By
    /// default the agent is an ordinary chat.
    async fn stream_agent(
        &self,
        model: &str,
        messages: &[ChatMessage],
    ) -> Result<ChatStream, ProviderError> {
        self.stream_chat(model, messages).await
    }
}
