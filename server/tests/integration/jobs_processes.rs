//! Two server processes on one database: the one running a job is killed
//! mid-way; the other takes the job over once the lease runs out and finishes
//! it, and nothing is charged twice.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::platform::config::StorageConfig;
use server::testing::{TestApp, free_port};

use super::jobs_support::{Studio, job, ledger_rows};

/// Starts `server serve` against the test app's database and media folder.
fn serve(app: &TestApp, data: &std::path::Path) -> Child {
    let config = &app.state.config;
    let StorageConfig::Disk { root } = &config.storage else {
        panic!("the test app stores media on disk");
    };
    let port = free_port();
    Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATA_DIR", data)
        .env("DATABASE_URL", config.database.url.expose())
        .env("STORAGE_DISK_ROOT", root)
        .env("SECRET_KEY", config.secret_key.expose())
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_URL", format!("http://localhost:{port}"))
        .env("JOB_WORKERS", "1")
        .env("JOB_LEASE_SECONDS", "5")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary")
}

async fn wait_for(what: &str, limit: Duration, mut done: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_process_job_is_finished_by_another_after_its_lease_and_charged_once() {
    let studio = Studio::start(TestApp::builder().var("JOB_WORKERS", "0"), 100).await;
    let start = studio.upload_image().await.id.to_string();
    let created = studio
        .created(
            "local-video",
            "a slow tide",
            r#"{"duration":8,"resolution":"270p"}"#,
            Some(&start),
        )
        .await;
    let id = created.id;
    let price = created.price;
    let state = &studio.app.state;
    let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());

    let mut first = serve(&studio.app, dirs.0.path());
    wait_for(
        "the first process to start the job",
        Duration::from_secs(60),
        async || job(state, &id).await.status == "running",
    )
    .await;
    assert!(
        job(state, &id).await.lease_owner.is_some(),
        "a running job has a lease"
    );
    // Mid-way: the local provider takes at least two seconds for a clip.
    first.kill().unwrap();
    first.wait().unwrap();
    let orphan = job(state, &id).await;
    assert_eq!(orphan.status, "running", "killed before it finished");
    assert!(orphan.result_media_id.is_none());

    let mut second = serve(&studio.app, dirs.1.path());
    wait_for(
        "the second process to finish the job",
        Duration::from_secs(90),
        async || job(state, &id).await.status == "succeeded",
    )
    .await;
    second.kill().unwrap();
    second.wait().unwrap();

    let done = job(state, &id).await;
    assert!(done.result_media_id.is_some());
    // Each claim counts an attempt: the dead process's, then the survivor's takeover.
    assert_eq!(done.attempts, 2, "claimed once by each process");
    assert_eq!(ledger_rows(state, &id, "charge").await, 1);
    assert_eq!(ledger_rows(state, &id, "refund").await, 0);
    assert_eq!(studio.balance().await, 100 - price);
}
