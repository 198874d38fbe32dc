//! HTTP plumbing shared by the remote provider clients: timeouts, turning
//! HTTP statuses and provider error bodies into [`ProviderError`]s, safe
//! retries for read-only calls, and encoding input images.

use std::future::Future;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::generation::provider::{InputImage, ProviderError, ProviderErrorKind};

/// Timeouts applied to every call a provider client makes.
#[derive(Debug, Clone, Copy)]
pub struct HttpConfig {
    /// How long to wait for the TCP/TLS connection.
    pub connect_timeout: Duration,
    /// The whole call, from sending to the last body byte (non-streaming calls).
    pub request_timeout: Duration,
    /// The whole call for streaming chat responses, which legitimately run long.
    pub stream_timeout: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            // Synchronous image APIs (OpenAI, Gemini) can take a couple of minutes.
            request_timeout: Duration::from_secs(180),
            stream_timeout: Duration::from_secs(600),
        }
    }
}

/// How read-only calls (status polls) are retried on transient failures.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Extra attempts after the first one.
    pub retries: u32,
    /// Delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// Upper bound on any single wait, including a provider's Retry-After.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            retries: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// Builds the `reqwest::Client` a provider uses (connect timeout only; the
/// total timeout is set per call so streaming calls can use a longer one).
pub fn build_client(config: &HttpConfig) -> Result<reqwest::Client, ProviderError> {
    reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .build()
        .map_err(|e| {
            ProviderError::new(
                ProviderErrorKind::Unknown,
                format!("cannot build HTTP client: {e}"),
            )
        })
}

/// How a provider wants its key sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStyle {
    /// `Authorization: Bearer <key>` (OpenAI, xAI, Runway); nothing when the key is empty.
    Bearer,
    /// `Authorization: Key <key>` (fal).
    Key,
    /// The key alone in this header (Gemini's `x-goog-api-key`).
    Header(&'static str),
}

/// Longest a connection check waits, whatever the request timeout.
const CHECK_TIMEOUT: Duration = Duration::from_secs(20);

/// What every remote provider client holds: one HTTP client, the API's base
/// URL, the key (sent the provider's way), the timeouts and the retry policy.
pub struct ApiClient {
    client: reqwest::Client,
    base: String,
    key: String,
    style: KeyStyle,
    pub http: HttpConfig,
    pub retry: RetryPolicy,
}

impl ApiClient {
    pub fn new(
        key: impl Into<String>,
        base: impl Into<String>,
        style: KeyStyle,
        http: HttpConfig,
        retry: RetryPolicy,
    ) -> Result<Self, ProviderError> {
        Ok(ApiClient {
            client: build_client(&http)?,
            base: base.into(),
            key: key.into(),
            style,
            http,
            retry,
        })
    }

    /// The API's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The key as configured.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// `path` under the base URL.
    pub fn url(&self, path: &str) -> String {
        join(&self.base, path)
    }

    /// A request to an absolute `url`, with the key and the request timeout.
    pub fn request_url(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        let request = self
            .client
            .request(method, url)
            .timeout(self.http.request_timeout);
        match self.style {
            KeyStyle::Bearer if self.key.is_empty() => request,
            KeyStyle::Bearer => request.bearer_auth(&self.key),
            KeyStyle::Key => {
                request.header(reqwest::header::AUTHORIZATION, format!("Key {}", self.key))
            }
            KeyStyle::Header(name) => request.header(name, &self.key),
        }
    }

    /// A request to `path` under the base URL.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.request_url(method, &self.url(path))
    }

    /// A cheap authenticated `GET` of `url` for a connection check: `Ok` when
    /// the provider answers and accepts the key.
    pub async fn check(&self, url: &str) -> Result<(), ProviderError> {
        let timeout = self.http.request_timeout.min(CHECK_TIMEOUT);
        check(self.request_url(reqwest::Method::GET, url).timeout(timeout)).await
    }
}

/// A raw HTTP answer, before it is judged a success or a failure.
#[derive(Debug)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers (Retry-After lives here).
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl RawResponse {
    /// Parses a successful body as JSON, or classifies the failure.
    pub fn into_json<T: DeserializeOwned>(self) -> Result<T, ProviderError> {
        if !self.status.is_success() {
            return Err(classify_status(self.status, &self.headers, &self.body));
        }
        parse_json(&self.body)
    }
}

/// Sends a request and reads the whole body; only transport failures are errors.
pub async fn send(request: reqwest::RequestBuilder) -> Result<RawResponse, ProviderError> {
    let response = request.send().await.map_err(transport_error)?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(transport_error)?;
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

/// Sends a request and parses a JSON success body. Never retries: used for submits.
pub async fn send_json<T: DeserializeOwned>(
    request: reqwest::RequestBuilder,
) -> Result<T, ProviderError> {
    send(request).await?.into_json()
}

/// Runs a read-only call, retrying transient failures with exponential backoff.
/// Only for idempotent requests (GET polls); submits must not go through here.
pub async fn with_retry<T, F, Fut>(policy: RetryPolicy, mut call: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let mut attempt = 0;
    loop {
        match call().await {
            Err(err) if err.kind.is_retryable() && attempt < policy.retries => {
                let backoff = policy.base_delay.saturating_mul(1 << attempt.min(16));
                let wait = err.retry_after.unwrap_or(backoff).min(policy.max_delay);
                tracing::debug!(
                    provider.retry.attempt = attempt + 1,
                    provider.retry.wait_ms = wait.as_millis() as u64,
                    provider.error = %err.message,
                    "retrying transient provider failure"
                );
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Parses a success body; a body that is not the expected JSON is `Unknown`.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ProviderError> {
    serde_json::from_slice(body).map_err(|e| {
        ProviderError::new(
            ProviderErrorKind::Unknown,
            format!("malformed response from provider: {e}"),
        )
    })
}

/// Classifies a transport failure (timeouts, refused connections, broken bodies).
pub fn transport_error(err: reqwest::Error) -> ProviderError {
    // Drop the URL: it never holds a key here, but it is noise for users.
    let err = err.without_url();
    let kind = if err.is_builder() || err.is_decode() {
        ProviderErrorKind::Unknown
    } else {
        // Timeouts, connection errors and interrupted bodies are all worth retrying.
        ProviderErrorKind::Transient
    };
    let what = if err.is_timeout() {
        "provider timed out"
    } else if err.is_connect() {
        "cannot connect to provider"
    } else {
        "provider request failed"
    };
    ProviderError::new(kind, format!("{what}: {err}"))
}

/// Maps a non-success HTTP status and its body to a classified error.
pub fn classify_status(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
    let message = extract_message(body)
        .unwrap_or_else(|| format!("provider answered HTTP {}", status.as_u16()));
    let kind = match status.as_u16() {
        // Some providers signal exhausted credit with 401/403/429 plus a telling body.
        401 | 403 | 429 if mentions_quota(body) => ProviderErrorKind::Quota,
        401 | 403 => ProviderErrorKind::Auth,
        // Gemini and xAI answer a wrong key with 400.
        400 if mentions_bad_key(body) => ProviderErrorKind::Auth,
        402 => ProviderErrorKind::Quota,
        429 => ProviderErrorKind::Transient,
        400 | 404 | 409 | 413 | 415 | 422 => {
            if mentions_moderation(body) {
                ProviderErrorKind::Moderation
            } else {
                ProviderErrorKind::RejectedInput
            }
        }
        s if s >= 500 => ProviderErrorKind::Transient,
        _ => ProviderErrorKind::Unknown,
    };
    tracing::debug!(
        provider.http.status = status.as_u16(),
        provider.error.kind = ?kind,
        "provider returned an error status"
    );
    ProviderError {
        kind,
        message,
        retry_after: if kind.is_retryable() {
            parse_retry_after(headers)
        } else {
            None
        },
    }
}

/// Whether an error body says the content was refused by a safety filter.
pub fn mentions_moderation(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    [
        "moderation",
        "safety",
        "content policy",
        "content_policy",
        "content-policy",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

/// Whether an error body says the key itself is wrong: Gemini's 400
/// `API_KEY_INVALID`, xAI's 400 "Incorrect API key provided".
pub fn mentions_bad_key(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    ["api_key_invalid", "api key not valid", "incorrect api key"]
        .iter()
        .any(|needle| text.contains(needle))
}

/// Sends a read-only check (a connection test) and judges its status; the
/// body is not needed.
pub async fn check(request: reqwest::RequestBuilder) -> Result<(), ProviderError> {
    let raw = send(request).await?;
    if raw.status.is_success() {
        Ok(())
    } else {
        Err(classify_status(raw.status, &raw.headers, &raw.body))
    }
}

/// Whether an error body says the account is out of credit (OpenAI's
/// `insufficient_quota`, fal's "Exhausted balance", billing limits).
pub fn mentions_quota(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    ["insufficient_quota", "exhausted balance", "billing"]
        .iter()
        .any(|needle| text.contains(needle))
}

/// `Retry-After` in seconds (HTTP-date values are ignored: no provider we use sends them).
pub fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

/// Pulls a human-readable message out of the error body shapes our providers use:
/// `{"error": "..."}` (Runway, xAI), `{"error": {"message": ...}}` (OpenAI, Gemini),
/// `{"detail": "..."}` / `{"detail": [{"msg": ...}]}` (fal), `{"message": ...}`.
pub fn extract_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            return (!text.is_empty()).then(|| truncate(text, 300));
        }
    };
    let candidates = [
        value.pointer("/error/message"),
        value.get("error"),
        value.pointer("/detail/0/msg"),
        value.get("detail"),
        value.get("message"),
        value.get("failure"),
    ];
    candidates
        .into_iter()
        .flatten()
        .find_map(|v| v.as_str().filter(|s| !s.is_empty()))
        .map(|s| truncate(s, 300))
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((idx, _)) => format!("{}…", &text[..idx]),
        None => text.to_string(),
    }
}

/// The image as a `data:` URI (base64), for providers that accept inline images.
pub fn data_uri(image: &InputImage) -> String {
    format!(
        "data:{};base64,{}",
        image.content_type,
        base64::engine::general_purpose::STANDARD.encode(&image.data)
    )
}

/// The image's public URL when we have one, else a `data:` URI.
pub fn url_or_data_uri(image: &InputImage) -> String {
    image.public_url.clone().unwrap_or_else(|| data_uri(image))
}

/// Decodes standard base64 from a provider, classifying garbage as `Unknown`.
pub fn decode_base64(data: &str) -> Result<Bytes, ProviderError> {
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map(Bytes::from)
        .map_err(|e| {
            ProviderError::new(
                ProviderErrorKind::Unknown,
                format!("provider sent invalid base64: {e}"),
            )
        })
}

/// Joins a base URL and a path without doubling or dropping slashes.
pub fn join(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_kinds() {
        let h = HeaderMap::new();
        let kind = |s: u16, body: &str| {
            classify_status(StatusCode::from_u16(s).unwrap(), &h, body.as_bytes()).kind
        };
        assert_eq!(kind(401, ""), ProviderErrorKind::Auth);
        assert_eq!(kind(403, ""), ProviderErrorKind::Auth);
        assert_eq!(kind(402, ""), ProviderErrorKind::Quota);
        assert_eq!(kind(429, ""), ProviderErrorKind::Transient);
        assert_eq!(
            kind(429, r#"{"error":{"code":"insufficient_quota"}}"#),
            ProviderErrorKind::Quota
        );
        assert_eq!(
            kind(422, r#"{"detail":"bad"}"#),
            ProviderErrorKind::RejectedInput
        );
        assert_eq!(
            kind(400, r#"{"error":{"code":"moderation_blocked"}}"#),
            ProviderErrorKind::Moderation
        );
        assert_eq!(kind(503, ""), ProviderErrorKind::Transient);
        assert_eq!(
            kind(
                400,
                r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}"#
            ),
            ProviderErrorKind::Auth
        );
    }

    #[test]
    fn retry_after_is_parsed_for_429() {
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, "7".parse().unwrap());
        let err = classify_status(StatusCode::TOO_MANY_REQUESTS, &h, b"{}");
        assert_eq!(err.retry_after, Some(Duration::from_secs(7)));
    }

    #[test]
    fn messages_come_from_known_shapes() {
        let m = |b: &str| extract_message(b.as_bytes());
        assert_eq!(
            m(r#"{"error":{"message":"nope"}}"#).as_deref(),
            Some("nope")
        );
        assert_eq!(m(r#"{"error":"bad ratio"}"#).as_deref(), Some("bad ratio"));
        assert_eq!(
            m(r#"{"detail":[{"msg":"field required"}]}"#).as_deref(),
            Some("field required")
        );
        assert_eq!(m("plain text").as_deref(), Some("plain text"));
        assert_eq!(m(""), None);
    }
}
