//! Live job updates in the browser: one `EventSource` on `/events` (the
//! server sends a snapshot of recent jobs first, so a reconnect never misses a
//! final state), folded into a map of the latest `JobView` per job.

use std::collections::HashMap;

use leptos::prelude::*;

use super::jobs::JobView;

/// The latest known state of each job, updated as events arrive.
#[derive(Clone, Copy)]
pub struct JobUpdates(pub RwSignal<HashMap<String, JobView>>);

impl JobUpdates {
    /// `job` with any newer state that arrived live.
    pub fn latest(&self, job: &JobView) -> JobView {
        self.0
            .with(|m| m.get(&job.id).cloned())
            .unwrap_or_else(|| job.clone())
    }
}

/// Subscribes to the caller's job events for as long as the calling component lives.
pub fn use_live_jobs() -> JobUpdates {
    let jobs = JobUpdates(RwSignal::new(HashMap::new()));
    #[cfg(feature = "hydrate")]
    {
        use futures::StreamExt;
        use gloo_net::eventsource::futures::EventSource;

        match EventSource::new("/events") {
            Ok(mut source) => {
                match source.subscribe("job") {
                    Ok(mut stream) => leptos::task::spawn_local(async move {
                        while let Some(Ok((_, message))) = stream.next().await {
                            let Some(text) = message.data().as_string() else {
                                continue;
                            };
                            if let Ok(job) = serde_json::from_str::<JobView>(&text) {
                                jobs.0.update(|m| {
                                    m.insert(job.id.clone(), job);
                                });
                            }
                        }
                    }),
                    Err(e) => leptos::logging::warn!("live updates unavailable: {e}"),
                }
                // The browser reconnects by itself; closing happens when the page goes away.
                let source = send_wrapper::SendWrapper::new(source);
                on_cleanup(move || source.take().close());
            }
            Err(e) => leptos::logging::warn!("live updates unavailable: {e}"),
        }
    }
    jobs
}
