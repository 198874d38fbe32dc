//! Helpers for the chat tests: a fake OpenAI-compatible chat server that
//! checks requests as the real API does and streams a scripted reply (with
//! pauses a test releases, and a way to die mid-stream), knowing whether a
//! reply's connection is still open; an SSE reader for
//! `/events/chat/{id}`; and a person with a chat on it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::chat::view::{ChatSummary, ChatView, MessageView};
use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde_json::{Value, json};
use server::testing::TestApp;
use tokio::sync::Semaphore;

use super::person::TestUser;

/// One step of a scripted reply.
#[derive(Debug, Clone)]
pub enum Step {
    /// A `content` delta.
    Text(&'static str),
    /// Waits until the test calls [`FakeChat::release`].
    Gate,
    /// Ends the connection without `[DONE]`.
    Die,
}

/// A fake `POST /v1/chat/completions`.
pub struct FakeChat {
    pub base: String,
    script: Arc<Mutex<Vec<Step>>>,
    gate: Arc<Semaphore>,
    /// Reply bodies still being sent.
    open: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Value>>>,
}

/// Counts an open reply body; dropped when hyper drops the body (client gone or done).
struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn api_error(status: u16, message: &str) -> Response {
    (
        http::StatusCode::from_u16(status).unwrap(),
        axum::Json(json!({"error": {"message": message, "type": "invalid_request_error"}})),
    )
        .into_response()
}

/// Content as the API takes it: text, or (from a user) content parts, each
/// `{"type": "text", "text": …}` or `{"type": "image_url", "image_url": {"url": …}}`.
fn content_ok(message: &Value) -> bool {
    let content = &message["content"];
    if content.is_string() {
        return true;
    }
    let Some(parts) = content.as_array().filter(|p| !p.is_empty()) else {
        return false;
    };
    message["role"] == "user"
        && parts.iter().all(|part| match part["type"].as_str() {
            Some("text") => part["text"].is_string(),
            Some("image_url") => part["image_url"]["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("http") || u.starts_with("data:image/")),
            _ => false,
        })
}

fn chunk(delta: Value) -> String {
    format!(
        "data: {}\n\n",
        json!({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": null}]})
    )
}

impl FakeChat {
    pub async fn start(script: Vec<Step>) -> FakeChat {
        let fake = FakeChat {
            base: String::new(),
            script: Arc::new(Mutex::new(script)),
            gate: Arc::new(Semaphore::new(0)),
            open: Arc::default(),
            requests: Arc::default(),
        };
        let (script, gate, open, requests) = (
            fake.script.clone(),
            fake.gate.clone(),
            fake.open.clone(),
            fake.requests.clone(),
        );
        let app = axum::Router::new().fallback(move |req: Request| {
            let (script, gate, open, requests) =
                (script.clone(), gate.clone(), open.clone(), requests.clone());
            async move {
                if req.uri().path() != "/v1/chat/completions" || req.method() != http::Method::POST
                {
                    return api_error(404, "Unknown URL");
                }
                let key = req
                    .headers()
                    .get("authorization")
                    .and_then(|v| v.to_str().ok());
                if key != Some("Bearer sk-test") {
                    return api_error(401, "Incorrect API key provided");
                }
                let body = axum::body::to_bytes(req.into_body(), 1 << 20)
                    .await
                    .unwrap_or_default();
                let Ok(body) = serde_json::from_slice::<Value>(&body) else {
                    return api_error(400, "We could not parse the JSON body of your request.");
                };
                let roles_ok = body["messages"].as_array().is_some_and(|m| {
                    !m.is_empty()
                        && m.iter().all(|m| {
                            matches!(m["role"].as_str(), Some("system" | "user" | "assistant"))
                                && content_ok(m)
                        })
                });
                if !body["model"].is_string() || !roles_ok || body["stream"] != true {
                    return api_error(400, "Invalid request");
                }
                requests.lock().unwrap().push(body);
                let steps = script.lock().unwrap().clone();
                open.fetch_add(1, Ordering::SeqCst);
                let guard = Open(open.clone());
                let stream = futures::stream::unfold(
                    (steps.into_iter(), gate, guard, false),
                    |(mut steps, gate, guard, ended)| async move {
                        if ended {
                            return None;
                        }
                        loop {
                            match steps.next() {
                                Some(Step::Text(text)) => {
                                    tokio::time::sleep(Duration::from_millis(5)).await;
                                    let piece = chunk(json!({"content": text}));
                                    return Some((
                                        Ok::<_, std::io::Error>(piece),
                                        (steps, gate, guard, false),
                                    ));
                                }
                                Some(Step::Gate) => {
                                    gate.acquire().await.unwrap().forget();
                                }
                                Some(Step::Die) => return None,
                                None => {
                                    return Some((
                                        Ok("data: [DONE]\n\n".to_string()),
                                        (steps, gate, guard, true),
                                    ));
                                }
                            }
                        }
                    },
                );
                let mut response = Response::new(Body::from_stream(stream));
                response
                    .headers_mut()
                    .insert("content-type", "text/event-stream".parse().unwrap());
                response
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeChat { base, ..fake }
    }

    /// Lets a paused reply go on past one [`Step::Gate`].
    pub fn release(&self) {
        self.gate.add_permits(1);
    }

    /// How many reply bodies are still being sent.
    pub fn open_replies(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// The request bodies received.
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().unwrap().clone()
    }

    /// Replaces the script of later replies.
    pub fn set_script(&self, script: Vec<Step>) {
        *self.script.lock().unwrap() = script;
    }
}

/// An app whose OpenAI-compatible chat model is `fake`, and a person with a chat on it.
pub struct ChatRoom {
    pub app: TestApp,
    pub user: TestUser,
    pub chat: ChatSummary,
}

impl ChatRoom {
    pub async fn start(fake: &FakeChat) -> ChatRoom {
        Self::start_with(fake, &[]).await
    }

    /// As [`ChatRoom::start`], with more configuration.
    pub async fn start_with(fake: &FakeChat, vars: &[(&str, &str)]) -> ChatRoom {
        let mut builder = TestApp::builder();
        for (name, value) in vars {
            builder = builder.var(name, *value);
        }
        let app = builder
            .var("OPENAI_API_KEY", "sk-test")
            .var("OPENAI_BASE_URL", format!("{}/v1", fake.base))
            .var("OPENAI_CHAT_MODEL", "fake-model")
            .spawn()
            .await;
        let user = TestUser::sign_in(&app, "chatter@example.com").await;
        let chat: ChatSummary = user
            .call("/api/chats/create", json!({"model_id": "openai-chat"}))
            .await;
        ChatRoom { app, user, chat }
    }

    /// Sends `text` after `parent`; the chat as it then stands.
    pub async fn send(&self, parent: Option<&str>, text: &str) -> ChatView {
        self.user
            .call(
                "/api/chats/send",
                json!({"chat_id": self.chat.id, "parent_id": parent, "text": text}),
            )
            .await
    }

    pub async fn get(&self) -> ChatView {
        self.user
            .call("/api/chats/get", json!({"chat_id": self.chat.id}))
            .await
    }

    /// The chat once its reply has ended (or 20 s have passed).
    pub async fn settled(&self) -> ChatView {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let view = self.get().await;
            if view.streaming().is_none() {
                return view;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the reply never ended"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The chat once `check` holds for its last message (or 20 s have passed).
    pub async fn until(&self, check: impl Fn(&MessageView) -> bool) -> ChatView {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let view = self.get().await;
            if view.messages.last().is_some_and(&check) {
                return view;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "never happened: {view:?}"
            );
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }
}

/// One event of `/events/chat/{id}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sse {
    pub event: String,
    pub id: Option<String>,
    pub data: Value,
}

/// An open `/events/chat/{id}` stream.
pub struct SseReader {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

impl SseReader {
    /// Opens the stream for `user`, optionally with a `Last-Event-ID`.
    pub async fn open(
        user: &TestUser,
        message: &str,
        last_event_id: Option<&str>,
    ) -> reqwest::Response {
        let mut request = reqwest::Client::new()
            .get(user.url(&format!("/events/chat/{message}")))
            .header("cookie", user.cookie());
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        request.send().await.unwrap()
    }

    pub fn new(response: reqwest::Response) -> SseReader {
        assert_eq!(response.status(), 200);
        SseReader {
            body: response.bytes_stream().boxed(),
            buffer: String::new(),
        }
    }

    /// The next event (keep-alive comments skipped); `None` when the stream ends.
    pub async fn next(&mut self) -> Option<Sse> {
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let message: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    message
                        .lines()
                        .find_map(|l| l.strip_prefix(name).map(|v| v.trim_start().to_string()))
                };
                if let Some(event) = field("event:") {
                    return Some(Sse {
                        event,
                        id: field("id:"),
                        data: serde_json::from_str(&field("data:").unwrap_or_default()).unwrap(),
                    });
                }
            }
            let chunk = tokio::time::timeout(Duration::from_secs(20), self.body.next())
                .await
                .expect("an event in time")?
                .unwrap();
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}
