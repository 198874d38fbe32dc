//! Remote jobs against a fake of fal's queue API (and its JWKS): webhooks and
//! polls in every order converge, duplicates are harmless, failures refund once.

use std::sync::{Arc, Mutex};

use app::catalog::fal_inputs::check_fal_input;
use app::generation::jobs::JobView;
use app::generation::jobs::worker::run_due_jobs_once;
use app::generation::provider::{OutputMedia, PollStatus};
use app::platform::clock::ManualClock;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};
use server::testing::TestApp;

use super::jobs_support::{Studio, generated_media, job, ledger_rows};

/// What the fake's status endpoint answers next.
#[derive(Clone)]
enum Script {
    InProgress,
    Completed,
    Failed,
    /// 503 (the poll itself fails).
    Down,
}

struct FakeFal {
    base: String,
    key: SigningKey,
    script: Arc<Mutex<Script>>,
    submits: Arc<Mutex<u32>>,
    /// What `PUT …/cancel` answers: fal's status and body `status`.
    cancel_answer: Arc<Mutex<(u16, &'static str)>>,
}

async fn fake_fal() -> FakeFal {
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    let jwks = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x}]});
    let script = Arc::new(Mutex::new(Script::InProgress));
    let submits = Arc::new(Mutex::new(0u32));
    let cancel_answer = Arc::new(Mutex::new((202u16, "CANCELLATION_REQUESTED")));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback({
        let (script, submits, base, cancel_answer) = (
            script.clone(),
            submits.clone(),
            base.clone(),
            cancel_answer.clone(),
        );
        move |req: Request| {
            let (script, submits, jwks, base, cancel_answer) = (
                script.clone(),
                submits.clone(),
                jwks.clone(),
                base.clone(),
                cancel_answer.clone(),
            );
            async move {
                let path = req.uri().path().to_string();
                let method = req.method().clone();
                let json = |status: u16, v: Value| -> Response {
                    (http::StatusCode::from_u16(status).unwrap(), axum::Json(v)).into_response()
                };
                if path == "/.well-known/jwks.json" {
                    return json(200, jwks);
                }
                if path == "/files/clip.mp4" {
                    return ([("content-type", "video/mp4")], b"fake-mp4-bytes".to_vec()).into_response();
                }
                if method == http::Method::POST {
                    // Submits are checked as fal checks them: a wrong, missing
                    // or mistyped field is a 422, never a queued request.
                    let body = axum::body::to_bytes(req.into_body(), 64 << 20).await.unwrap_or_default();
                    let input: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    if let Err(detail) = check_fal_input(path.trim_start_matches('/'), &input) {
                        return json(422, detail);
                    }
                    let mut n = submits.lock().unwrap();
                    *n += 1;
                    return json(200, json!({"request_id": format!("req-{n}")}));
                }
                if method == http::Method::PUT && path.ends_with("/cancel") {
                    let (status, answer) = *cancel_answer.lock().unwrap();
                    return json(status, json!({"status": answer}));
                }
                let current = script.lock().unwrap().clone();
                if path.ends_with("/status") {
                    return match current {
                        Script::InProgress => json(200, json!({"status": "IN_PROGRESS"})),
                        Script::Completed => json(200, json!({"status": "COMPLETED"})),
                        Script::Failed => json(200, json!({"status": "FAILED", "error": "the model crashed"})),
                        Script::Down => json(503, json!({"detail": "down"})),
                    };
                }
                json(200, json!({"video": {"url": format!("{base}/files/clip.mp4"), "content_type": "video/mp4"}}))
            }
        }
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    FakeFal {
        base,
        key,
        script,
        submits,
        cancel_answer,
    }
}

impl FakeFal {
    fn set(&self, script: Script) {
        *self.script.lock().unwrap() = script;
    }

    fn result_url(&self) -> String {
        format!("{}/files/clip.mp4", self.base)
    }
}

async fn studio_with(fal: &FakeFal, clock: &ManualClock) -> Studio {
    Studio::start(
        TestApp::builder()
            .clock(clock.clone())
            .var("FAL_KEY", "test-key")
            .var("FAL_QUEUE_URL", fal.base.clone())
            .var(
                "FAL_JWKS_URL",
                format!("{}/.well-known/jwks.json", fal.base),
            ),
        10_000,
    )
    .await
}

/// Creates a Veo job and submits it; returns its id and fal request id.
async fn submitted_job(studio: &Studio) -> (String, String) {
    let start = studio.upload_image().await.id.to_string();
    let id = studio
        .created("veo-3.1", "a slow pan", "{}", Some(&start))
        .await
        .id;
    run_due_jobs_once(&studio.app.state, "w").await.unwrap();
    let row = job(&studio.app.state, &id).await;
    assert_eq!(row.status, "running");
    (id, row.provider_request_id.expect("submitted to fal"))
}

/// Delivers a signed webhook; returns the status code.
async fn deliver(studio: &Studio, fal: &FakeFal, request_id: &str, body: Value) -> u16 {
    let body = body.to_string();
    let ts = studio.app.state.clock.now().timestamp().to_string();
    let message = app::generation::providers::fal::webhook::signed_message(
        request_id,
        "user-1",
        &ts,
        body.as_bytes(),
    );
    let signature: String = fal
        .key
        .sign(&message)
        .to_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    reqwest::Client::new()
        .post(studio.app.url("/webhooks/fal"))
        .header("x-fal-webhook-request-id", request_id)
        .header("x-fal-webhook-user-id", "user-1")
        .header("x-fal-webhook-timestamp", ts)
        .header("x-fal-webhook-signature", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn done_hook(fal: &FakeFal, request_id: &str) -> Value {
    json!({"request_id": request_id, "status": "OK",
           "payload": {"video": {"url": fal.result_url(), "content_type": "video/mp4"}}})
}

#[tokio::test]
async fn every_order_of_progress_done_and_poll_ends_in_the_same_state() {
    let fal = fake_fal().await;
    let clock = ManualClock::new(chrono::Utc::now());
    let studio = studio_with(&fal, &clock).await;
    let state = studio.app.state.clone();
    let orders: [[&str; 3]; 6] = [
        ["progress", "done", "poll"],
        ["progress", "poll", "done"],
        ["done", "progress", "poll"],
        ["done", "poll", "progress"],
        ["poll", "progress", "done"],
        ["poll", "done", "progress"],
    ];
    let mut finals = Vec::new();
    for order in orders {
        fal.set(Script::Completed);
        let (id, request_id) = submitted_job(&studio).await;
        for step in order {
            match step {
                "progress" => {
                    app::generation::jobs::results::apply_poll_status(
                        &state,
                        id.parse().unwrap(),
                        PollStatus::Running {
                            progress: Some(0.4),
                        },
                    )
                    .await
                    .unwrap();
                }
                "done" => assert_eq!(
                    deliver(&studio, &fal, &request_id, done_hook(&fal, &request_id)).await,
                    200
                ),
                _ => {
                    clock.advance(chrono::Duration::seconds(5));
                    run_due_jobs_once(&state, "poller").await.unwrap();
                }
            }
        }
        let row = job(&state, &id).await;
        finals.push((
            row.status.clone(),
            row.progress,
            row.refunded,
            row.result_media_id.is_some(),
            row.error_kind.clone(),
        ));
        assert_eq!(ledger_rows(&state, &id, "refund").await, 0);
    }
    assert!(finals.iter().all(|f| *f == finals[0]), "{finals:?}");
    assert_eq!(finals[0], ("succeeded".into(), 1.0, false, true, None));
    assert_eq!(generated_media(&state).await, 6, "one result per job");
    assert_eq!(*fal.submits.lock().unwrap(), 6, "each job submitted once");
}

#[tokio::test]
async fn ten_duplicate_webhooks_store_one_result_and_failures_refund_once() {
    let fal = fake_fal().await;
    let clock = ManualClock::new(chrono::Utc::now());
    let studio = studio_with(&fal, &clock).await;
    let state = studio.app.state.clone();
    let before = studio.balance().await;

    let (id, request_id) = submitted_job(&studio).await;
    let deliveries =
        (0..10).map(|_| deliver(&studio, &fal, &request_id, done_hook(&fal, &request_id)));
    let statuses = futures::future::join_all(deliveries).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let row = job(&state, &id).await;
    assert_eq!(row.status, "succeeded");
    assert_eq!(generated_media(&state).await, 1);
    assert_eq!(ledger_rows(&state, &id, "refund").await, 0);
    let price = row.price;

    // A failure, delivered ten times (and polled), refunds exactly once.
    let (failed_id, failed_request) = submitted_job(&studio).await;
    let error = json!({"request_id": failed_request, "status": "ERROR", "error": "Invalid status code: 500",
                       "payload": {"detail": "the model crashed"}});
    let deliveries = (0..10).map(|_| deliver(&studio, &fal, &failed_request, error.clone()));
    futures::future::join_all(deliveries).await;
    fal.set(Script::Failed);
    clock.advance(chrono::Duration::seconds(5));
    run_due_jobs_once(&state, "poller").await.unwrap();
    let row = job(&state, &failed_id).await;
    assert_eq!(row.status, "failed");
    assert!(row.refunded);
    assert_eq!(row.error_message.as_deref(), Some("the model crashed"));
    assert_eq!(ledger_rows(&state, &failed_id, "refund").await, 1);
    assert_eq!(
        studio.balance().await,
        before - price,
        "only the success is paid for"
    );

    // Unknown requests and bad signatures are refused.
    assert_eq!(
        deliver(&studio, &fal, "req-unknown", done_hook(&fal, "req-unknown")).await,
        404
    );
    let forged = reqwest::Client::new()
        .post(studio.app.url("/webhooks/fal"))
        .header("x-fal-webhook-request-id", request_id.as_str())
        .header("x-fal-webhook-user-id", "user-1")
        .header("x-fal-webhook-timestamp", clock_ts(&studio))
        .header("x-fal-webhook-signature", "00".repeat(64))
        .body(done_hook(&fal, &request_id).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
}

fn clock_ts(studio: &Studio) -> String {
    studio.app.state.clock.now().timestamp().to_string()
}

#[tokio::test]
async fn a_success_after_polls_time_out_completes_without_refund_and_cancel_refunds_when_confirmed()
{
    let fal = fake_fal().await;
    let clock = ManualClock::new(chrono::Utc::now());
    let studio = studio_with(&fal, &clock).await;
    let state = studio.app.state.clone();

    let (id, request_id) = submitted_job(&studio).await;
    fal.set(Script::Down);
    for _ in 0..2 {
        clock.advance(chrono::Duration::seconds(31));
        run_due_jobs_once(&state, "poller").await.unwrap();
        let row = job(&state, &id).await;
        assert_eq!(row.status, "running", "not hearing back is not a failure");
        assert!(!row.refunded);
    }
    fal.set(Script::Completed);
    clock.advance(chrono::Duration::seconds(31));
    run_due_jobs_once(&state, "poller").await.unwrap();
    let row = job(&state, &id).await;
    assert_eq!(row.status, "succeeded");
    assert!(!row.refunded);
    assert_eq!(ledger_rows(&state, &id, "refund").await, 0);
    // A webhook arriving after that changes nothing.
    assert_eq!(
        deliver(&studio, &fal, &request_id, done_hook(&fal, &request_id)).await,
        200
    );
    assert_eq!(generated_media(&state).await, 1);

    // A request fal takes off its queue ("OK"): cancelled and refunded at once.
    fal.set(Script::InProgress);
    *fal.cancel_answer.lock().unwrap() = (200, "OK");
    let (cancel_id, _) = submitted_job(&studio).await;
    let cancelled: JobView = studio
        .user
        .form("/api/generations/cancel", &[("id", &cancel_id)])
        .await
        .view();
    assert_eq!(cancelled.status, "cancelled");
    assert!(cancelled.refunded);
    assert_eq!(ledger_rows(&state, &cancel_id, "refund").await, 1);
    *fal.cancel_answer.lock().unwrap() = (202, "CANCELLATION_REQUESTED");

    // A provider that stays silent past the deadline: dead and refunded; its
    // late result still completes the job (the refund stands).
    let (late_id, late_request) = submitted_job(&studio).await;
    fal.set(Script::Down);
    clock.advance(app::generation::jobs::run::POLL_DEADLINE + chrono::Duration::minutes(1));
    run_due_jobs_once(&state, "poller").await.unwrap();
    let row = job(&state, &late_id).await;
    assert_eq!(
        (row.status.as_str(), row.error_kind.as_deref(), row.refunded),
        ("dead", Some("timeout"), true)
    );
    app::generation::jobs::results::complete(
        &state,
        late_id.parse().unwrap(),
        vec![OutputMedia::Url {
            url: fal.result_url(),
            content_type: None,
        }],
    )
    .await
    .unwrap();
    assert_eq!(job(&state, &late_id).await.status, "succeeded");
    assert_eq!(ledger_rows(&state, &late_id, "refund").await, 1);
    let _ = late_request;
}

/// fal's `CANCELLATION_REQUESTED` only asks the running app to stop: the job
/// shows "Cancelling…", keeps being followed, is refunded once when fal says
/// it ended without a result, and still completes (unrefunded) when the
/// result comes anyway.
#[tokio::test]
async fn a_cancel_fal_only_passes_on_ends_as_the_request_does() {
    let fal = fake_fal().await;
    let clock = ManualClock::new(chrono::Utc::now());
    let studio = studio_with(&fal, &clock).await;
    let state = studio.app.state.clone();

    // The request stops: cancelled and refunded exactly once.
    let (id, request_id) = submitted_job(&studio).await;
    let cancelling: JobView = studio
        .user
        .form("/api/generations/cancel", &[("id", &id)])
        .await
        .view();
    assert_eq!(
        (
            cancelling.status.as_str(),
            cancelling.cancel_requested,
            cancelling.refunded
        ),
        ("running", true, false)
    );
    clock.advance(chrono::Duration::seconds(5));
    run_due_jobs_once(&state, "poller").await.unwrap();
    assert_eq!(job(&state, &id).await.status, "running", "still stopping");
    assert_eq!(ledger_rows(&state, &id, "refund").await, 0);
    fal.set(Script::Failed);
    clock.advance(chrono::Duration::seconds(5));
    run_due_jobs_once(&state, "poller").await.unwrap();
    let row = job(&state, &id).await;
    assert_eq!(
        (row.status.as_str(), row.error_kind.as_deref(), row.refunded),
        ("cancelled", Some("cancelled"), true)
    );
    // fal's failure webhook arriving afterwards refunds nothing more.
    let error = json!({"request_id": request_id, "status": "ERROR", "error": "Request cancelled", "payload": {"detail": "cancelled"}});
    assert_eq!(deliver(&studio, &fal, &request_id, error).await, 200);
    assert_eq!(ledger_rows(&state, &id, "refund").await, 1);

    // The request could not be stopped: its result still completes the job.
    fal.set(Script::InProgress);
    let (late_id, _) = submitted_job(&studio).await;
    let cancelling: JobView = studio
        .user
        .form("/api/generations/cancel", &[("id", &late_id)])
        .await
        .view();
    assert!(cancelling.cancel_requested);
    fal.set(Script::Completed);
    clock.advance(chrono::Duration::seconds(5));
    run_due_jobs_once(&state, "poller").await.unwrap();
    let row = job(&state, &late_id).await;
    assert_eq!((row.status.as_str(), row.refunded), ("succeeded", false));
    assert!(row.result_media_id.is_some(), "no lost result");
    assert_eq!(ledger_rows(&state, &late_id, "refund").await, 0);
}

/// The fake refuses what fal would: a Kling 2.6 job sends `start_image_url`
/// (and no `cfg_scale`), so it is queued rather than refused.
#[tokio::test]
async fn kling_jobs_pass_fals_input_check() {
    let fal = fake_fal().await;
    let clock = ManualClock::new(chrono::Utc::now());
    let studio = studio_with(&fal, &clock).await;
    let start = studio.upload_image().await.id.to_string();
    for model in ["kling-v2.6-pro", "kling-o1-pro"] {
        let id = studio
            .created(model, "a slow pan", "{}", Some(&start))
            .await
            .id;
        run_due_jobs_once(&studio.app.state, "w").await.unwrap();
        let row = job(&studio.app.state, &id).await;
        assert_eq!(
            (row.status.as_str(), row.error_message.as_deref()),
            ("running", None),
            "{model} was refused"
        );
    }
    // Kling needs a prompt: refused here, not by fal.
    let refused = studio
        .create("kling-v2.6-pro", " ", "{}", Some(&start))
        .await
        .err();
    assert_eq!(
        refused,
        app::error::AppError::invalid("prompt", "error-reason-required")
    );
}
