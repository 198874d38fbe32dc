//! Google Gemini image models through `generateContent`: the prompt and any
//! input images go in as parts, images come back inline as base64.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{self, ApiClient, HttpConfig, KeyStyle, RetryPolicy};
use crate::generation::provider::{
    MediaProvider, OutputMedia, ProgressFn, ProviderError, ProviderErrorKind, ProviderRequest,
    Submitted,
};

/// The public Gemini API host.
pub const DEFAULT_BASE: &str = "https://generativelanguage.googleapis.com";

/// Finish reasons that mean a safety or recitation filter stopped the output
/// (ai.google.dev `FinishReason`), with what to tell the user when Gemini
/// sends no `finishMessage` of its own.
const BLOCKING_FINISH_REASONS: &[(&str, &str)] = &[
    ("SAFETY", "Gemini's safety filter blocked the output"),
    (
        "PROHIBITED_CONTENT",
        "Gemini blocked the output as prohibited content",
    ),
    ("IMAGE_SAFETY", "Gemini's safety filter blocked the image"),
    (
        "IMAGE_PROHIBITED_CONTENT",
        "Gemini refused the image: it would show prohibited content",
    ),
    (
        "BLOCKLIST",
        "Gemini blocked the output: it contains blocked terms",
    ),
    (
        "SPII",
        "Gemini blocked the output: it may contain personal information",
    ),
    (
        "RECITATION",
        "Gemini refused: the output would recite protected material",
    ),
    (
        "IMAGE_RECITATION",
        "Gemini refused the image: it would reproduce protected material",
    ),
];

/// Client for Gemini's `generateContent` image generation and editing.
pub struct GeminiProvider {
    api: ApiClient,
}

impl GeminiProvider {
    /// A client for `base` (normally [`DEFAULT_BASE`]).
    pub fn new(
        api_key: impl Into<String>,
        base: impl Into<String>,
        http: HttpConfig,
    ) -> Result<Self, ProviderError> {
        Ok(Self {
            api: ApiClient::new(
                api_key,
                base,
                KeyStyle::Header("x-goog-api-key"),
                http,
                RetryPolicy::default(),
            )?,
        })
    }
}

/// Builds the request body: text then image parts, image output requested,
/// `aspect_ratio` / `image_size` params mapped to `imageConfig`.
pub fn build_body(request: &ProviderRequest) -> Value {
    let mut parts = vec![json!({"text": request.prompt})];
    for (_, image) in &request.images {
        // Gemini takes inline bytes; it cannot fetch arbitrary public URLs.
        parts.push(json!({"inline_data": {
            "mime_type": image.content_type,
            "data": base64_of(&image.data),
        }}));
    }
    let mut image_config = serde_json::Map::new();
    for (param, field) in [("aspect_ratio", "aspectRatio"), ("image_size", "imageSize")] {
        if let Some(value) = request.params.get(param).filter(|v| !v.is_null()) {
            image_config.insert(field.into(), value.clone());
        }
    }
    let mut generation_config = json!({"responseModalities": ["TEXT", "IMAGE"]});
    if !image_config.is_empty() {
        generation_config["imageConfig"] = Value::Object(image_config);
    }
    json!({
        "contents": [{"role": "user", "parts": parts}],
        "generationConfig": generation_config,
    })
}

fn base64_of(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GenerateResponse {
    #[serde(default)]
    candidates: Vec<Candidate>,
    #[serde(default)]
    prompt_feedback: Option<PromptFeedback>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PromptFeedback {
    #[serde(default)]
    block_reason: Option<String>,
    #[serde(default)]
    block_reason_message: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Candidate {
    #[serde(default)]
    content: Option<Content>,
    #[serde(default)]
    finish_reason: Option<String>,
    #[serde(default)]
    finish_message: Option<String>,
}

#[derive(Deserialize)]
struct Content {
    #[serde(default)]
    parts: Vec<Part>,
}

#[derive(Deserialize)]
struct Part {
    #[serde(default)]
    text: Option<String>,
    #[serde(default, alias = "inline_data", rename = "inlineData")]
    inline_data: Option<InlineData>,
}

#[derive(Deserialize)]
struct InlineData {
    #[serde(alias = "mime_type", rename = "mimeType")]
    mime_type: String,
    data: String,
}

/// Reads the images out of a response, or explains why there are none.
fn outputs(response: GenerateResponse) -> Result<Vec<OutputMedia>, ProviderError> {
    if let Some(reason) = response.prompt_feedback.and_then(|f| {
        f.block_reason.map(|r| {
            f.block_reason_message
                .unwrap_or(format!("prompt blocked: {r}"))
        })
    }) {
        return Err(ProviderError::new(ProviderErrorKind::Moderation, reason));
    }
    let Some(candidate) = response.candidates.into_iter().next() else {
        return Err(ProviderError::new(
            ProviderErrorKind::Unknown,
            "Gemini returned no candidates",
        ));
    };
    let finish = candidate.finish_reason.unwrap_or_default();
    if let Some((_, explanation)) = BLOCKING_FINISH_REASONS
        .iter()
        .find(|(reason, _)| *reason == finish)
    {
        return Err(ProviderError::new(
            ProviderErrorKind::Moderation,
            candidate
                .finish_message
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| format!("{explanation} ({finish})")),
        ));
    }
    let parts = candidate.content.map(|c| c.parts).unwrap_or_default();
    let mut media = Vec::new();
    let mut text = String::new();
    for part in parts {
        if let Some(inline) = part.inline_data {
            media.push(OutputMedia::Bytes {
                data: http::decode_base64(&inline.data)?,
                content_type: inline.mime_type,
            });
        } else if let Some(t) = part.text {
            text.push_str(&t);
        }
    }
    if media.is_empty() {
        // The model answered in words only (often a soft refusal); show them.
        let kind = if finish == "NO_IMAGE" {
            ProviderErrorKind::RejectedInput
        } else {
            ProviderErrorKind::Unknown
        };
        let message = if text.is_empty() {
            format!("Gemini returned no image ({finish})")
        } else {
            text
        };
        return Err(ProviderError::new(kind, message));
    }
    Ok(media)
}

#[async_trait]
impl MediaProvider for GeminiProvider {
    async fn submit(
        &self,
        request: &ProviderRequest,
        _progress: &ProgressFn,
    ) -> Result<Submitted, ProviderError> {
        let path = format!("v1beta/models/{}:generateContent", request.provider_model);
        let builder = self
            .api
            .request(reqwest::Method::POST, &path)
            .json(&build_body(request));
        let response: GenerateResponse = http::send_json(builder).await?;
        let media = outputs(response)?;
        tracing::info!(
            provider.name = "gemini",
            provider.model = %request.provider_model,
            provider.outputs = media.len(),
            "Gemini images returned"
        );
        Ok(Submitted::Done(media))
    }

    /// `GET /v1beta/models?pageSize=1`: free and authenticated by the key.
    async fn check_connection(&self) -> Result<(), ProviderError> {
        self.api
            .check(&self.api.url("v1beta/models?pageSize=1"))
            .await
    }
}

#[cfg(test)]
mod tests;
