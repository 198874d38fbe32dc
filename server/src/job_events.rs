//! `GET /events`: the signed-in user's job updates as server-sent events.
//! On connect it first sends every job that is active or finished in the last
//! ten minutes (so a reconnect never misses a final state), then each change
//! as `event: job` with the `JobView` JSON, with keep-alive comments between.
//! An account holds at most `MAX_STREAMS_PER_ACCOUNT` streams: opening one more
//! closes its oldest (a tab left open long ago, most likely).

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
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
use tokio::sync::oneshot;
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

/// One account's open streams, oldest first: each one's id and the switch that closes it.
type OpenStreams = VecDeque<(u64, oneshot::Sender<()>)>;

/// Each account's open event streams, oldest first.
pub struct Streams {
    max: usize,
    open: Mutex<HashMap<Uuid, OpenStreams>>,
    next_id: std::sync::atomic::AtomicU64,
}

/// One open stream; dropping it (the client left, or it was closed) frees its place.
struct StreamSlot {
    streams: Arc<Streams>,
    user: Uuid,
    id: u64,
}

impl Streams {
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(Streams {
            max: max.max(1),
            open: Mutex::default(),
            next_id: Default::default(),
        })
    }

    /// Opens a stream for `user`, closing their oldest ones beyond the cap;
    /// the receiver fires when this one is closed in turn.
    fn open(self: &Arc<Self>, user: Uuid) -> (StreamSlot, oneshot::Receiver<()>) {
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (close, closed) = oneshot::channel();
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let mine = open.entry(user).or_default();
        while mine.len() >= self.max {
            if let Some((_, oldest)) = mine.pop_front() {
                let _ = oldest.send(());
            }
        }
        mine.push_back((id, close));
        let slot = StreamSlot {
            streams: self.clone(),
            user,
            id,
        };
        (slot, closed)
    }

    /// How many streams `user` holds open.
    #[cfg(test)]
    fn count(&self, user: Uuid) -> usize {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.get(&user).map_or(0, VecDeque::len)
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.streams.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(mine) = open.get_mut(&self.user) {
            mine.retain(|(id, _)| *id != self.id);
            if mine.is_empty() {
                open.remove(&self.user);
            }
        }
    }
}

fn stream(
    state: AppState,
    user: Uuid,
    slot: StreamSlot,
    mut closed: oneshot::Receiver<()>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    // Subscribe before the snapshot: a change in between is sent twice, never lost.
    let mut events = state.jobs_live.subscribe();
    async_stream(move |tx| async move {
        let _slot = slot;
        for event in snapshot(&state, user).await {
            if tx.send(event).await.is_err() {
                return;
            }
        }
        loop {
            let received = tokio::select! {
                received = events.recv() => received,
                _ = &mut closed => return,
                () = tx.closed() => return,
            };
            let event = match received {
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
    Extension(streams): Extension<Arc<Streams>>,
    session: Option<Extension<RequestSession>>,
) -> Response {
    let Some(Extension(session)) = session else {
        return AppError::Unauthorized.into_response();
    };
    let (slot, closed) = streams.open(session.user_id);
    Sse::new(stream(state, session.user_id, slot, closed))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_beyond_the_cap_closes_the_oldest() {
        let streams = Streams::new(2);
        let user = Uuid::new_v4();
        let (first, mut first_closed) = streams.open(user);
        let (_second, mut second_closed) = streams.open(user);
        assert_eq!(streams.count(user), 2);
        let (_third, _) = streams.open(user);
        assert_eq!(streams.count(user), 2);
        assert!(first_closed.try_recv().is_ok(), "the oldest was closed");
        assert!(second_closed.try_recv().is_err(), "the others stay open");
        // Another account is counted on its own.
        let (_other, _) = streams.open(Uuid::new_v4());
        assert_eq!(streams.count(user), 2);
        drop(first);
        assert_eq!(streams.count(user), 2, "a closed stream was already gone");
    }
}
