//! `GET /events/chat/{message}`: one agent reply as server-sent events.
//! Each piece of text is `event: delta` with its number as the event id and
//! `{"text": …}` as data; the last event is `event: end` with the reply's
//! status (and failure). A reader resumes after the `Last-Event-ID` header
//! (sent by the browser when it reconnects) or `?after=N` (a page that
//! already shows N pieces), so nothing is missed or repeated. The caller
//! must own the chat (someone else's reply is 404, like a missing one).

use std::convert::Infallible;
use std::time::Duration;

use app::auth::current::RequestSession;
use app::chat::stream::{ReplyEvent, reply_events};
use app::error::AppError;
use app::platform::state::AppState;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use http::HeaderMap;
use serde::Deserialize;

/// Where a reader starts.
#[derive(Debug, Deserialize)]
pub struct After {
    after: Option<i32>,
}

fn event(reply: ReplyEvent) -> Event {
    match reply {
        ReplyEvent::Delta { seq, text } => Event::default()
            .event("delta")
            .id(seq.to_string())
            .data(serde_json::json!({ "text": text }).to_string()),
        ReplyEvent::End { status, failure } => Event::default()
            .event("end")
            .data(serde_json::json!({ "status": status, "failure": failure }).to_string()),
    }
}

/// The SSE endpoint; 401 without a session, 404 for a reply that is not the caller's.
pub async fn reply_stream(
    State(state): State<AppState>,
    Path(message): Path<String>,
    Query(query): Query<After>,
    headers: HeaderMap,
    session: Option<Extension<RequestSession>>,
) -> Response {
    let Some(Extension(session)) = session else {
        return AppError::Unauthorized.into_response();
    };
    let (_, message) =
        match app::chat::tree::owned_message(&state.db, session.user_id, &message).await {
            Ok(found) => found,
            Err(error) => return error.into_response(),
        };
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i32>().ok());
    let after = last_event_id.or(query.after).unwrap_or(0).max(0);
    let events = reply_events(state, message.id, after).map(|e| Ok::<_, Infallible>(event(e)));
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
