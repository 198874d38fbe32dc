//! `GET /events`: a snapshot on connect, then live progress and the final state.

use std::time::Duration;

use app::generation::jobs::JobView;
use app::generation::jobs::worker::run_due_jobs_once;
use futures::StreamExt;
use server::testing::TestApp;

use super::jobs_support::Studio;
use super::person::exactly;

/// Reads `event: job` messages until `stop` says so (or 30 s pass).
async fn read_jobs(
    body: &mut (impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    buffer: &mut String,
    mut stop: impl FnMut(&JobView) -> bool,
) -> Vec<JobView> {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        while let Some(end) = buffer.find("\n\n") {
            let message: String = buffer.drain(..end + 2).collect();
            if message.lines().any(|l| l == "event: job") {
                let data: String = message
                    .lines()
                    .filter_map(|l| l.strip_prefix("data: "))
                    .collect();
                let job: JobView = exactly(serde_json::from_str(&data).unwrap());
                let done = stop(&job);
                seen.push(job);
                if done {
                    return seen;
                }
            }
        }
        let chunk = tokio::time::timeout_at(deadline, body.next())
            .await
            .expect("events in time")
            .expect("stream open")
            .unwrap();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn a_browser_gets_a_snapshot_then_progress_and_the_final_state() {
    let studio = Studio::start(TestApp::builder(), 50).await;
    let unauthorised = reqwest::get(studio.app.url("/events")).await.unwrap();
    assert_eq!(unauthorised.status(), 401);

    let start = studio.upload_image().await.id.to_string();
    let id = studio
        .created(
            "local-video",
            "surf",
            r#"{"duration":6,"resolution":"360p"}"#,
            Some(&start),
        )
        .await
        .id;

    let response = reqwest::Client::new()
        .get(studio.app.url("/events"))
        .header("cookie", studio.user.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut body = response.bytes_stream();
    let mut buffer = String::new();
    let snapshot = read_jobs(&mut body, &mut buffer, |_| true).await;
    assert_eq!(snapshot[0].id, id);
    assert_eq!(snapshot[0].status, "queued");

    // On PostgreSQL the events travel through LISTEN/NOTIFY: give the listener a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let state = studio.worker_state();
    let worker = tokio::spawn(async move { run_due_jobs_once(&state, "w").await.unwrap() });
    let live = read_jobs(&mut body, &mut buffer, |job| job.status == "succeeded").await;
    worker.await.unwrap();
    let progress: Vec<f32> = live
        .iter()
        .filter(|j| j.status == "running")
        .map(|j| j.progress)
        .collect();
    assert!(
        progress.iter().any(|p| *p > 0.0 && *p < 1.0),
        "progress in between: {progress:?}"
    );
    let last = live.last().unwrap();
    assert_eq!(last.id, id);
    assert_eq!(last.result.as_ref().unwrap().content_type, "video/webm");

    // A reconnect starts with the final state.
    let again = reqwest::Client::new()
        .get(studio.app.url("/events"))
        .header("cookie", studio.user.cookie())
        .send()
        .await
        .unwrap();
    let mut body = again.bytes_stream();
    let mut buffer = String::new();
    let snapshot = read_jobs(&mut body, &mut buffer, |_| true).await;
    assert_eq!(snapshot[0].status, "succeeded");
}
