//! Verifying and reading fal webhooks. fal signs each delivery with ED25519
//! over `request_id \n user_id \n timestamp \n hex(sha256(body))`, sends the
//! parts in `X-Fal-Webhook-*` headers and publishes its keys as a JWKS.

use std::time::{Duration, Instant};

use base64::Engine as _;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

// `http` below is our sibling module; the `http` crate is reached through this alias.
use ::http as http_crate;

use super::super::http::{self, HttpConfig};
use super::output_status;
use crate::generation::provider::{
    PollStatus, ProviderError, ProviderErrorDetail, ProviderErrorKind,
};

/// Where fal publishes its webhook signing keys.
pub const DEFAULT_JWKS_URL: &str = "https://rest.alpha.fal.ai/.well-known/jwks.json";
/// How far a webhook timestamp may be from our clock.
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 300;

const HEADER_REQUEST_ID: &str = "x-fal-webhook-request-id";
const HEADER_USER_ID: &str = "x-fal-webhook-user-id";
const HEADER_TIMESTAMP: &str = "x-fal-webhook-timestamp";
const HEADER_SIGNATURE: &str = "x-fal-webhook-signature";

/// Why a webhook was refused.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// A required `X-Fal-Webhook-*` header is absent or not text.
    #[error("missing or unreadable header {0}")]
    MissingHeader(&'static str),
    /// The timestamp header is not a Unix time in seconds.
    #[error("webhook timestamp is not a number")]
    BadTimestamp,
    /// The timestamp is more than [`TIMESTAMP_TOLERANCE_SECS`] from now (replay guard).
    #[error("webhook timestamp is outside the allowed window")]
    StaleTimestamp,
    /// No fal key verifies the signature (forged or tampered).
    #[error("webhook signature does not verify")]
    BadSignature,
    /// fal's JWKS could not be fetched; the webhook may be genuine, answer 5xx.
    #[error("cannot fetch fal signing keys: {0}")]
    Keys(ProviderError),
    /// Signed, but the body is not a fal result (or names another request).
    #[error("webhook body is not a fal result: {0}")]
    BadPayload(String),
}

/// The outcome fal reports in a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub enum FalWebhookStatus {
    /// The request succeeded; `payload` is the model output.
    #[serde(rename = "OK")]
    Ok,
    /// The request failed; `error` and `payload` say why.
    #[serde(rename = "ERROR")]
    Error,
}

/// A verified fal webhook body.
#[derive(Debug, Clone, Deserialize)]
pub struct FalWebhook {
    /// The queue request id (the one `submit` returned).
    pub request_id: String,
    /// The id of the last attempt when fal retried internally.
    #[serde(default)]
    pub gateway_request_id: Option<String>,
    /// Success or failure.
    pub status: FalWebhookStatus,
    /// The model output on success, error details on failure; null when it was not JSON.
    #[serde(default)]
    pub payload: Option<Value>,
    /// fal's failure summary (e.g. `Invalid status code: 422`).
    #[serde(default)]
    pub error: Option<String>,
    /// Set when fal could not serialise the payload.
    #[serde(default)]
    pub payload_error: Option<String>,
}

impl FalWebhook {
    /// What the job runner should record for this request.
    pub fn to_poll_status(&self) -> PollStatus {
        match self.status {
            FalWebhookStatus::Ok => match &self.payload {
                Some(payload) => output_status(payload),
                None => PollStatus::Failed(ProviderErrorDetail {
                    kind: ProviderErrorKind::Unknown,
                    message: self
                        .payload_error
                        .clone()
                        .unwrap_or_else(|| "fal webhook carried no payload".into()),
                }),
            },
            FalWebhookStatus::Error => {
                let details = self
                    .payload
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                let message = self
                    .payload
                    .as_ref()
                    .and_then(|p| http::extract_message(p.to_string().as_bytes()))
                    .or_else(|| self.error.clone())
                    .unwrap_or_else(|| "fal request failed".into());
                let error_text = format!("{} {details}", self.error.as_deref().unwrap_or(""));
                let kind = if http::mentions_moderation(error_text.as_bytes()) {
                    ProviderErrorKind::Moderation
                } else if error_text.contains("422") || error_text.contains("400") {
                    ProviderErrorKind::RejectedInput
                } else {
                    ProviderErrorKind::Unknown
                };
                PollStatus::Failed(ProviderErrorDetail { kind, message })
            }
        }
    }
}

struct KeyCache {
    keys: Vec<VerifyingKey>,
    fetched_at: Instant,
}

/// Verifies fal webhooks against fal's published keys, caching them.
pub struct FalWebhookVerifier {
    client: reqwest::Client,
    jwks_url: String,
    http: HttpConfig,
    /// How long fetched keys are trusted before a refetch.
    ttl: Duration,
    /// Minimum gap between refetches triggered by unknown signatures, so forged
    /// webhooks cannot make us hammer the JWKS endpoint.
    min_refetch: Duration,
    cache: Mutex<Option<KeyCache>>,
}

impl FalWebhookVerifier {
    /// A verifier reading keys from `jwks_url` (normally [`DEFAULT_JWKS_URL`]).
    pub fn new(
        jwks_url: impl Into<String>,
        http: HttpConfig,
        ttl: Duration,
        min_refetch: Duration,
    ) -> Result<Self, ProviderError> {
        Ok(Self {
            client: http::build_client(&http)?,
            jwks_url: jwks_url.into(),
            http,
            ttl,
            min_refetch,
            cache: Mutex::new(None),
        })
    }

    /// Checks headers, timestamp and signature over the raw `body`, then parses it.
    /// `now_unix` is the current time in seconds (passed in so callers and tests
    /// control the clock).
    pub async fn verify(
        &self,
        headers: &http_crate::HeaderMap,
        body: &[u8],
        now_unix: i64,
    ) -> Result<FalWebhook, WebhookError> {
        let header = |name: &'static str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .ok_or(WebhookError::MissingHeader(name))
        };
        let request_id = header(HEADER_REQUEST_ID)?;
        let user_id = header(HEADER_USER_ID)?;
        let timestamp = header(HEADER_TIMESTAMP)?;
        let signature_hex = header(HEADER_SIGNATURE)?;

        let ts: i64 = timestamp.parse().map_err(|_| WebhookError::BadTimestamp)?;
        if (now_unix - ts).abs() > TIMESTAMP_TOLERANCE_SECS {
            return Err(WebhookError::StaleTimestamp);
        }
        let signature = decode_hex(signature_hex)
            .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
            .map(|b| Signature::from_bytes(&b))
            .ok_or(WebhookError::BadSignature)?;
        let message = signed_message(request_id, user_id, timestamp, body);

        if !self.verify_with_keys(&message, &signature, false).await? {
            // Keys may have rotated since we cached them: refetch once.
            if !self.verify_with_keys(&message, &signature, true).await? {
                tracing::warn!(webhook.request_id = %request_id, "refused fal webhook: bad signature");
                return Err(WebhookError::BadSignature);
            }
        }

        let hook: FalWebhook =
            serde_json::from_slice(body).map_err(|e| WebhookError::BadPayload(e.to_string()))?;
        if hook.request_id != request_id {
            return Err(WebhookError::BadPayload(
                "body request_id does not match the signed header".into(),
            ));
        }
        tracing::debug!(webhook.request_id = %request_id, "verified fal webhook");
        Ok(hook)
    }

    /// Tries the cached keys (fetching when empty or expired); with `refetch`,
    /// first replaces the cache unless it was refreshed too recently.
    async fn verify_with_keys(
        &self,
        message: &[u8],
        signature: &Signature,
        refetch: bool,
    ) -> Result<bool, WebhookError> {
        let mut cache = self.cache.lock().await;
        let needs_fetch = match cache.as_ref() {
            None => true,
            Some(c) if c.fetched_at.elapsed() >= self.ttl => true,
            Some(c) => refetch && c.fetched_at.elapsed() >= self.min_refetch,
        };
        if refetch && !needs_fetch {
            return Ok(false);
        }
        if needs_fetch {
            let keys = self.fetch_keys().await.map_err(WebhookError::Keys)?;
            *cache = Some(KeyCache {
                keys,
                fetched_at: Instant::now(),
            });
        }
        let keys = cache.as_ref().map(|c| c.keys.as_slice()).unwrap_or(&[]);
        Ok(keys
            .iter()
            .any(|key| key.verify_strict(message, signature).is_ok()))
    }

    async fn fetch_keys(&self) -> Result<Vec<VerifyingKey>, ProviderError> {
        #[derive(Deserialize)]
        struct Jwks {
            keys: Vec<Jwk>,
        }
        #[derive(Deserialize)]
        struct Jwk {
            #[serde(default)]
            kty: String,
            #[serde(default)]
            crv: Option<String>,
            #[serde(default)]
            x: Option<String>,
        }
        let jwks: Jwks = http::send_json(
            self.client
                .get(&self.jwks_url)
                .timeout(self.http.request_timeout),
        )
        .await?;
        let keys: Vec<VerifyingKey> = jwks
            .keys
            .iter()
            .filter(|k| k.kty == "OKP" && k.crv.as_deref().is_none_or(|c| c == "Ed25519"))
            .filter_map(|k| {
                let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(k.x.as_deref()?.trim_end_matches('='))
                    .ok()?;
                VerifyingKey::from_bytes(&<[u8; 32]>::try_from(raw.as_slice()).ok()?).ok()
            })
            .collect();
        tracing::info!(webhook.jwks.keys = keys.len(), "fetched fal webhook keys");
        Ok(keys)
    }
}

/// The exact bytes fal signs.
pub fn signed_message(request_id: &str, user_id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    let digest = Sha256::digest(body);
    format!(
        "{request_id}\n{user_id}\n{timestamp}\n{}",
        encode_hex(&digest)
    )
    .into_bytes()
}

fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests;
