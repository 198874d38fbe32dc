//! OpenAI and OpenAI-compatible servers: streaming chat completions, image
//! generation (`/images/generations`) and image edits (`/images/edits`, multipart).
//! The base URL includes the version prefix (`https://api.openai.com/v1`), so
//! self-hosters can point it at their own compatible server.

pub mod sse;

use std::collections::VecDeque;

use async_trait::async_trait;
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{self, ApiClient, HttpConfig, KeyStyle, RetryPolicy};
use crate::generation::provider::{
    ChatMessage, ChatProvider, ChatStream, ImageRole, MediaProvider, OutputMedia, ProgressFn,
    ProviderError, ProviderErrorKind, ProviderRequest, Submitted,
};
use sse::{SseDecoder, SseEvent};

/// The public OpenAI API.
pub const DEFAULT_BASE: &str = "https://api.openai.com/v1";

/// Client for the OpenAI API (or a compatible server).
pub struct OpenAiProvider {
    api: ApiClient,
}

impl OpenAiProvider {
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
                KeyStyle::Bearer,
                http,
                RetryPolicy::default(),
            )?,
        })
    }

    fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.api.request(reqwest::Method::POST, path)
    }

    fn generation_body(request: &ProviderRequest) -> Value {
        let mut body = request.params.clone();
        body.insert("model".into(), json!(request.provider_model));
        body.insert("prompt".into(), json!(request.prompt));
        Value::Object(body)
    }

    fn edit_form(request: &ProviderRequest) -> Result<reqwest::multipart::Form, ProviderError> {
        let mut form = reqwest::multipart::Form::new()
            .text("model", request.provider_model.clone())
            .text("prompt", request.prompt.clone());
        for (key, value) in &request.params {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                other => other.to_string(),
            };
            form = form.text(key.clone(), text);
        }
        for (i, (_, image)) in request.images.iter().enumerate() {
            let ext = image.content_type.rsplit('/').next().unwrap_or("png");
            let part = reqwest::multipart::Part::bytes(image.data.to_vec())
                .file_name(format!("image-{i}.{ext}"))
                .mime_str(&image.content_type)
                .map_err(|e| {
                    ProviderError::new(
                        ProviderErrorKind::RejectedInput,
                        format!("bad image content type: {e}"),
                    )
                })?;
            form = form.part("image[]", part);
        }
        Ok(form)
    }
}

#[derive(Deserialize)]
struct ImagesResponse {
    #[serde(default)]
    data: Vec<ImageDatum>,
    #[serde(default)]
    output_format: Option<String>,
}

#[derive(Deserialize)]
struct ImageDatum {
    #[serde(default)]
    b64_json: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Reads `data[]` of an images response into outputs.
fn image_outputs(
    response: ImagesResponse,
    requested_format: Option<&str>,
) -> Result<Vec<OutputMedia>, ProviderError> {
    let format = response
        .output_format
        .as_deref()
        .or(requested_format)
        .unwrap_or("png");
    let content_type = format!("image/{}", if format == "jpg" { "jpeg" } else { format });
    let mut out = Vec::new();
    for datum in response.data {
        if let Some(b64) = datum.b64_json {
            out.push(OutputMedia::Bytes {
                data: http::decode_base64(&b64)?,
                content_type: content_type.clone(),
            });
        } else if let Some(url) = datum.url {
            out.push(OutputMedia::Url {
                url,
                content_type: None,
            });
        }
    }
    if out.is_empty() {
        return Err(ProviderError::new(
            ProviderErrorKind::Unknown,
            "OpenAI returned no images",
        ));
    }
    Ok(out)
}

#[async_trait]
impl MediaProvider for OpenAiProvider {
    async fn submit(
        &self,
        request: &ProviderRequest,
        _progress: &ProgressFn,
    ) -> Result<Submitted, ProviderError> {
        let edits = request
            .images
            .iter()
            .any(|(role, _)| matches!(role, ImageRole::Source | ImageRole::Reference));
        let builder = if edits {
            self.post("images/edits")
                .multipart(Self::edit_form(request)?)
        } else {
            self.post("images/generations")
                .json(&Self::generation_body(request))
        };
        let response: ImagesResponse = http::send_json(builder).await?;
        let format = request.params.get("output_format").and_then(Value::as_str);
        let outputs = image_outputs(response, format)?;
        tracing::info!(
            provider.name = "openai",
            provider.model = %request.provider_model,
            provider.outputs = outputs.len(),
            "OpenAI images returned"
        );
        Ok(Submitted::Done(outputs))
    }

    /// `GET /models`: free, authenticated, and served by compatible servers too.
    async fn check_connection(&self) -> Result<(), ProviderError> {
        self.api.check(&self.api.url("models")).await
    }
}

struct ChatState {
    body: futures::stream::BoxStream<'static, Result<bytes::Bytes, reqwest::Error>>,
    decoder: SseDecoder,
    chunks: ChunkReader,
    pending: VecDeque<Result<String, ProviderError>>,
    finished: bool,
}

/// The `propose_images` tool: up to eight image ideas with a title, a prompt
/// and an aspect ratio.
pub fn propose_images_tool() -> Value {
    json!({
        "type": "function",
        "function": {
            "name": "propose_images",
            "description": "Propose up to 8 images the person can generate.",
            "parameters": {
                "type": "object",
                "properties": {
                    "images": {
                        "type": "array",
                        "maxItems": 8,
                        "items": {
                            "type": "object",
                            "properties": {
                                "title": {"type": "string"},
                                "prompt": {"type": "string"},
                                "aspect_ratio": {
                                    "type": "string",
                                    "enum": ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"]
                                }
                            },
                            "required": ["title", "prompt", "aspect_ratio"],
                            "additionalProperties": false
                        }
                    }
                },
                "required": ["images"],
                "additionalProperties": false
            }
        }
    })
}

impl OpenAiProvider {
    async fn stream_completion(&self, body: Value) -> Result<ChatStream, ProviderError> {
        let response = self
            .post("chat/completions")
            .timeout(self.api.http.stream_timeout)
            .json(&body)
            .send()
            .await
            .map_err(http::transport_error)?;
        if !response.status().is_success() {
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(http::transport_error)?;
            return Err(http::classify_status(status, &headers, &body));
        }
        let state = ChatState {
            body: response.bytes_stream().boxed(),
            decoder: SseDecoder::default(),
            chunks: ChunkReader::default(),
            pending: VecDeque::new(),
            finished: false,
        };
        let stream = futures::stream::unfold(state, |mut state| async move {
            loop {
                if let Some(item) = state.pending.pop_front() {
                    return Some((item, state));
                }
                if state.finished {
                    return None;
                }
                match state.body.next().await {
                    Some(Ok(chunk)) => {
                        for event in state.decoder.push(&chunk) {
                            match event {
                                SseEvent::Done => {
                                    state.finished = true;
                                    if let Some(close) = state.chunks.close_tool() {
                                        state.pending.push_back(Ok(close));
                                    }
                                }
                                SseEvent::Data(data) => {
                                    state.pending.extend(state.chunks.read(&data));
                                }
                            }
                            if state.finished {
                                break;
                            }
                        }
                    }
                    Some(Err(e)) => {
                        state.finished = true;
                        state.pending.push_back(Err(http::transport_error(e)));
                    }
                    None => {
                        // The server closed without `[DONE]`: the answer may be cut short.
                        state.finished = true;
                        if !state.decoder.saw_done() {
                            state.pending.push_back(Err(ProviderError::new(
                                ProviderErrorKind::Transient,
                                "chat stream ended before [DONE]",
                            )));
                        }
                    }
                }
            }
        });
        Ok(Box::pin(stream))
    }
}

/// Messages as the Chat Completions API takes them: plain text content, or,
/// for a message with images, content parts (the text, then one
/// `image_url` part per image).
fn wire_messages(messages: &[ChatMessage]) -> Vec<Value> {
    messages
        .iter()
        .map(|m| {
            if m.images.is_empty() {
                return json!({"role": m.role, "content": m.content});
            }
            let mut parts = vec![json!({"type": "text", "text": m.content})];
            parts.extend(
                m.images
                    .iter()
                    .map(|url| json!({"type": "image_url", "image_url": {"url": url}})),
            );
            json!({"role": m.role, "content": parts})
        })
        .collect()
}

#[async_trait]
impl ChatProvider for OpenAiProvider {
    async fn stream_chat(
        &self,
        model: &str,
        messages: &[ChatMessage],
    ) -> Result<ChatStream, ProviderError> {
        self.stream_completion(
            json!({"model": model, "messages": wire_messages(messages), "stream": true}),
        )
        .await
    }

    async fn stream_agent(
        &self,
        model: &str,
        messages: &[ChatMessage],
    ) -> Result<ChatStream, ProviderError> {
        self.stream_completion(json!({
            "model": model,
            "messages": wire_messages(messages),
            "stream": true,
            "tools": [propose_images_tool()],
            "tool_choice": "auto",
        }))
        .await
    }
}

/// Reads `data:` payloads: text deltas, the `propose_images` call's
/// argument pieces (wrapped in `<images>…</images>`), in-stream errors.
#[derive(Debug, Default)]
struct ChunkReader {
    /// The index of the `propose_images` call being read, once it began.
    tool: Option<u64>,
    tool_closed: bool,
}

impl ChunkReader {
    fn read(&mut self, data: &str) -> Vec<Result<String, ProviderError>> {
        let value: Value = match serde_json::from_str(data) {
            Ok(v) => v,
            Err(e) => {
                return vec![Err(ProviderError::new(
                    ProviderErrorKind::Unknown,
                    format!("malformed chat chunk: {e}"),
                ))];
            }
        };
        if value.get("error").is_some() {
            let message =
                http::extract_message(data.as_bytes()).unwrap_or_else(|| "chat error".into());
            let kind = if http::mentions_moderation(data.as_bytes()) {
                ProviderErrorKind::Moderation
            } else {
                ProviderErrorKind::Unknown
            };
            return vec![Err(ProviderError::new(kind, message))];
        }
        let mut out = Vec::new();
        let delta = value.pointer("/choices/0/delta");
        if let Some(text) = delta
            .and_then(|d| d.get("content"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            out.push(Ok(text.to_string()));
        }
        let calls = delta
            .and_then(|d| d.get("tool_calls"))
            .and_then(Value::as_array);
        for call in calls.into_iter().flatten() {
            let index = call.get("index").and_then(Value::as_u64).unwrap_or(0);
            let name = call.pointer("/function/name").and_then(Value::as_str);
            if self.tool.is_none() && name == Some("propose_images") && !self.tool_closed {
                self.tool = Some(index);
                out.push(Ok("<images>".to_string()));
            }
            if self.tool == Some(index)
                && let Some(args) = call
                    .pointer("/function/arguments")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
            {
                out.push(Ok(args.to_string()));
            }
        }
        if value
            .pointer("/choices/0/finish_reason")
            .is_some_and(|r| !r.is_null())
            && let Some(close) = self.close_tool()
        {
            out.push(Ok(close));
        }
        out
    }

    /// Ends the tool call's text once, when one was open.
    fn close_tool(&mut self) -> Option<String> {
        self.tool.take().map(|_| {
            self.tool_closed = true;
            "</images>".to_string()
        })
    }
}

#[cfg(test)]
mod tests;
