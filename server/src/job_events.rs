//! `GET /events`: the signed-in user's job updates as server-sent events.
//! On connect it first sends every job that is active or finished in the last
//! ten minutes (so a reconnect never misses a final state), then each change
//! as `event: job` with the `JobView` JSON, with keep-alive comments between.

use std::convert::Infallible;
use std::time::Duration;

use app::auth::current::RequestSession;
use app::error::AppError;
use app::generation::jobs::view::{job_view, recent_jobs};
use app::platform::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use sea_orm::EntityTrait;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

/// How far back the snapshot on connect reaches for finished jobs.
const SNAPSHOT_WINDOW: chrono::Duration = chrono::Duration::minutes(10);

async fn event_for(state: &AppState, job: &app::entities::generation_job::Model) -> Option<Event> {
    let view = job_view(state, job).await.ok()?;
    Event::default().event("job").json_data(view).ok()
}

async fn snapshot(state: &AppState, user: Uuid) -> Vec<Event> {
    let since = state.clock.now() - SNAPSHOT_WINDOW;
    let jobs = recent_jobs(&state.db, user, since)
        .await
        .unwrap_or_default();
    let mut events = Vec::with_capacity(jobs.len());
    for job in &jobs {
        events.extend(event_for(state, job).await);
    }
    events
}

fn stream(state: AppState, user: Uuid) -> impl Stream<Item = Result<Event, Infallible>> {
    // Subscribe before the snapshot: a change in between is sent twice, never lost.
    let mut events = state.jobs_live.subscribe();
    async_stream(move |tx| async move {
        for event in snapshot(&state, user).await {
            if tx.send(event).await.is_err() {
                return;
            }
        }
        loop {
            let event = match events.recv().await {
                Ok(event) if event.owner_id == user => event,
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => {
                    // Too slow to keep up: resend the current state instead.
                    for event in snapshot(&state, user).await {
                        if tx.send(event).await.is_err() {
                            return;
                        }
                    }
                    continue;
                }
                Err(RecvError::Closed) => return,
            };
            let job = app::entities::generation_job::Entity::find_by_id(event.job_id)
                .one(&state.db)
                .await;
            if let Ok(Some(job)) = job
                && let Some(event) = event_for(&state, &job).await
                && tx.send(event).await.is_err()
            {
                return;
            }
        }
    })
}

/// A stream fed by a task through a small channel (the task ends when the client leaves).
fn async_stream<F, Fut>(produce: F) -> impl Stream<Item = Result<Event, Infallible>>
where
    F: FnOnce(tokio::sync::mpsc::Sender<Event>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    tokio::spawn(produce(tx));
    futures::stream::unfold(rx, |mut rx| async move {
        let event = rx.recv().await?;
        Some((Ok(event), rx))
    })
}

/// The SSE endpoint; 401 without a session.
pub async fn events(
    State(state): State<AppState>,
    session: Option<Extension<RequestSession>>,
) -> Response {
    let Some(Extension(session)) = session else {
        return AppError::Unauthorized.into_response();
    };
    Sse::new(stream(state, session.user_id))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
