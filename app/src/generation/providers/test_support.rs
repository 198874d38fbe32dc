//! A scriptable fake HTTP server for provider tests: records every request it
//! receives and answers through a closure, so each test can speak the exact
//! protocol of the provider it exercises.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use super::http::HttpConfig;

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    /// The body parsed as JSON (panics in tests when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }

    /// A header value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What the fake answers.
pub struct Reply {
    pub status: StatusCode,
    pub headers: Vec<(&'static str, String)>,
    pub chunks: Vec<Bytes>,
    /// Waits before answering (to provoke client timeouts).
    pub delay: Duration,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, value: serde_json::Value) -> Self {
        Self::raw(status, value.to_string())
    }

    /// An answer with an arbitrary body.
    pub fn raw(status: u16, body: impl Into<Bytes>) -> Self {
        Self {
            status: StatusCode::from_u16(status).expect("valid status"),
            headers: vec![("content-type", "application/json".into())],
            chunks: vec![body.into()],
            delay: Duration::ZERO,
        }
    }

    /// A body sent in several pieces with pauses in between.
    pub fn chunked(status: u16, content_type: &str, chunks: Vec<&'static str>) -> Self {
        Self {
            status: StatusCode::from_u16(status).expect("valid status"),
            headers: vec![("content-type", content_type.to_string())],
            chunks: chunks
                .into_iter()
                .map(|c| Bytes::from_static(c.as_bytes()))
                .collect(),
            delay: Duration::ZERO,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Delays the answer.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A running fake server.
pub struct Fake {
    pub base: String,
    log: Arc<Mutex<Vec<Recorded>>>,
}

impl Fake {
    /// Starts a server on 127.0.0.1:0 answering every request with `handler`.
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let log: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let app = axum::Router::new().fallback({
            let log = log.clone();
            move |req: Request| {
                let log = log.clone();
                let handler = handler.clone();
                async move { respond(req, &log, &*handler).await }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake");
        let addr = listener.local_addr().expect("fake addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base: format!("http://{addr}"),
            log,
        }
    }

    /// A fake of fal's queue: a submit (`POST /{endpoint}`) whose input fal
    /// would refuse (a missing, unknown or mistyped field, per the table in
    /// [`crate::catalog::fal_inputs`]) gets fal's 422; every other
    /// request goes to `handler`.
    pub async fn start_fal(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::start(move |req| {
            if req.method == Method::POST {
                let endpoint = req.path.trim_start_matches('/');
                let input = serde_json::from_slice(&req.body).unwrap_or(serde_json::Value::Null);
                if let Err(detail) = crate::catalog::fal_inputs::check_fal_input(endpoint, &input) {
                    return Reply::json(422, detail);
                }
            }
            handler(req)
        })
        .await
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().expect("log lock").clone()
    }

    /// The only request received (panics otherwise).
    pub fn single(&self) -> Recorded {
        let all = self.requests();
        assert_eq!(all.len(), 1, "expected exactly one request: {all:?}");
        all.into_iter().next().expect("one request")
    }
}

async fn respond(req: Request, log: &Mutex<Vec<Recorded>>, handler: &Handler) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 64 << 20)
        .await
        .unwrap_or_default();
    let recorded = Recorded {
        method: parts.method,
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers,
        body,
    };
    log.lock().expect("log lock").push(recorded.clone());
    let reply = handler(&recorded);
    tokio::time::sleep(reply.delay).await;
    let stream = futures::stream::unfold(reply.chunks.into_iter(), |mut it| async move {
        let chunk = it.next()?;
        // A pause between pieces makes the client see them as separate reads.
        tokio::time::sleep(Duration::from_millis(15)).await;
        Some((Ok::<_, std::io::Error>(chunk), it))
    });
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = reply.status;
    for (name, value) in reply.headers {
        if let Ok(value) = value.parse() {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// Short timeouts so timeout tests finish quickly.
pub fn fast_http() -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_millis(400),
        stream_timeout: Duration::from_secs(3),
    }
}

/// A tiny fake PNG input image.
pub fn png(public_url: Option<&str>) -> crate::generation::provider::InputImage {
    crate::generation::provider::InputImage {
        data: Bytes::from_static(b"\x89PNG-fake"),
        content_type: "image/png".into(),
        public_url: public_url.map(str::to_string),
    }
}

/// A progress callback that ignores reports.
pub fn no_progress(_: f32) {}
