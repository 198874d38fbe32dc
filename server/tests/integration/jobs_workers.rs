//! Two workers on one database: exactly one claims a job, and a worker that
//! dies mid-job is taken over after its lease, charging nothing twice.

use app::generation::jobs::queue;
use app::generation::jobs::worker::run_due_jobs_once;
use app::platform::clock::ManualClock;
use server::testing::TestApp;

use super::jobs_support::{QUICK_CLIP, Studio, fast_worker_state, job, ledger_rows};

#[tokio::test]
async fn concurrent_claims_take_each_job_once_and_a_dead_workers_job_is_taken_over() {
    let clock = ManualClock::new(chrono::Utc::now());
    let studio = Studio::start(TestApp::builder().clock(clock.clone()), 100).await;
    let start = studio.upload_image().await.id.to_string();
    let mut ids = Vec::new();
    for _ in 0..4 {
        let created = studio
            .created("local-video", "tide", QUICK_CLIP, Some(&start))
            .await;
        ids.push(created.id);
    }
    let db = &studio.app.state.db;
    let lease = chrono::Duration::seconds(60);
    // Eight claimers race for four jobs: each job is claimed exactly once.
    let claims = (0..8).map(|n| {
        let db = db.clone();
        let now = clock.clone();
        async move {
            use app::platform::clock::Clock;
            queue::claim_start(&db, &format!("w{n}"), lease, now.now())
                .await
                .unwrap()
        }
    });
    let claimed: Vec<_> = futures::future::join_all(claims)
        .await
        .into_iter()
        .flatten()
        .collect();
    let mut claimed_ids: Vec<String> = claimed.iter().map(|j| j.id.to_string()).collect();
    claimed_ids.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(claimed_ids, expected);

    // Every claimer "dies": nothing runs until the leases expire.
    let other = fast_worker_state(&studio.app.state);
    assert_eq!(run_due_jobs_once(&other, "survivor").await.unwrap(), 0);
    clock.advance(chrono::Duration::seconds(61));
    assert_eq!(run_due_jobs_once(&other, "survivor").await.unwrap(), 4);
    for id in &ids {
        let row = job(&other, id).await;
        assert_eq!(row.status, "succeeded");
        assert_eq!(row.attempts, 2, "taken over once");
        assert_eq!(ledger_rows(&other, id, "charge").await, 1);
        assert_eq!(ledger_rows(&other, id, "refund").await, 0);
    }
    assert_eq!(studio.balance().await, 100 - 4 * 4);
}

#[tokio::test]
async fn a_worker_task_aborted_mid_clip_is_finished_by_another_process_after_its_lease() {
    let clock = ManualClock::new(chrono::Utc::now());
    let studio = Studio::start(TestApp::builder().clock(clock.clone()), 100).await;
    let start = studio.upload_image().await.id.to_string();
    let id = studio
        .created("local-video", "tide", QUICK_CLIP, Some(&start))
        .await
        .id;

    // A "process" whose local provider is slow: killed while the clip renders.
    let slow = studio.app.state.clone();
    let dying = tokio::spawn(async move { run_due_jobs_once(&slow, "doomed").await });
    for _ in 0..100 {
        if job(&studio.app.state, &id).await.status == "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    dying.abort();
    let _ = dying.await;
    let row = job(&studio.app.state, &id).await;
    assert_eq!(
        (row.status.as_str(), row.lease_owner.as_deref()),
        ("running", Some("doomed"))
    );

    // A second app on the same database takes it over after the lease.
    let other = fast_worker_state(&studio.app.state);
    assert_eq!(
        run_due_jobs_once(&other, "other").await.unwrap(),
        0,
        "lease still held"
    );
    clock.advance(chrono::Duration::seconds(61));
    assert_eq!(run_due_jobs_once(&other, "other").await.unwrap(), 1);
    let row = job(&other, &id).await;
    assert_eq!(row.status, "succeeded");
    assert_eq!(ledger_rows(&other, &id, "charge").await, 1);
    assert_eq!(studio.balance().await, 96);
}
