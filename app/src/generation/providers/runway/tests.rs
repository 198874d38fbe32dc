use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;

use super::*;
use crate::generation::providers::test_support::{Fake, Reply, fast_http, no_progress, png};

fn provider(fake: &Fake) -> RunwayProvider {
    let retry = RetryPolicy {
        retries: 2,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    };
    RunwayProvider::new("key_abc", &fake.base, fast_http(), retry).unwrap()
}

fn request(with_end: bool) -> ProviderRequest {
    let mut params = serde_json::Map::new();
    params.insert("ratio".into(), json!("1280:720"));
    params.insert("duration".into(), json!(5));
    params.insert("seed".into(), json!(42));
    let mut images = vec![(
        ImageRole::StartFrame,
        png(Some("https://media.example/a.png")),
    )];
    if with_end {
        images.push((ImageRole::EndFrame, png(None)));
    }
    ProviderRequest {
        provider_model: "gen4_turbo".into(),
        prompt: "slow pan".into(),
        params,
        images,
        webhook_url: None,
    }
}

#[tokio::test]
async fn submit_sends_versioned_request() {
    let fake = Fake::start(|_| Reply::json(200, json!({"id": "task-1"}))).await;
    let out = provider(&fake)
        .submit(&request(false), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        out,
        Submitted::Pending {
            request_id: "task-1".into()
        }
    );
    let req = fake.single();
    assert_eq!(req.method, reqwest::Method::POST);
    assert_eq!(req.path, "/v1/image_to_video");
    assert_eq!(req.header("authorization"), Some("Bearer key_abc"));
    assert_eq!(req.header("x-runway-version"), Some("2024-11-06"));
    assert_eq!(
        req.json(),
        json!({"model": "gen4_turbo", "promptImage": "https://media.example/a.png", "promptText": "slow pan",
               "ratio": "1280:720", "duration": 5, "seed": 42})
    );
}

#[tokio::test]
async fn gen4_turbo_takes_no_end_frame_and_gen3a_turbo_does() {
    let err = build_body(&request(true)).unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::RejectedInput);
    let model = crate::catalog::find_model("runway-gen4-turbo").unwrap();
    assert_eq!(
        model.capabilities.last_frame,
        takes_last_frame(&model.provider_model),
        "the catalog offers an end frame exactly when Runway takes one"
    );
    let mut gen3 = request(true);
    gen3.provider_model = "gen3a_turbo".into();
    let body = build_body(&gen3).unwrap();
    assert_eq!(
        body["promptImage"],
        json!([{"uri": "https://media.example/a.png", "position": "first"},
               {"uri": "data:image/png;base64,iVBORy1mYWtl", "position": "last"}])
    );
    let mut no_start = request(false);
    no_start.images.clear();
    assert_eq!(
        build_body(&no_start).unwrap_err().kind,
        ProviderErrorKind::RejectedInput
    );
}

#[tokio::test]
async fn poll_follows_task_lifecycle() {
    let step = Arc::new(AtomicUsize::new(0));
    let fake = Fake::start({
        let step = step.clone();
        move |req| {
            assert_eq!(req.path, "/v1/tasks/task-1");
            assert_eq!(req.header("x-runway-version"), Some("2024-11-06"));
            match step.fetch_add(1, Ordering::SeqCst) {
                0 => Reply::json(200, json!({"id": "task-1", "status": "PENDING", "createdAt": "2024-11-06T00:00:00Z"})),
                1 => Reply::json(200, json!({"id": "task-1", "status": "THROTTLED"})),
                2 => Reply::json(200, json!({"id": "task-1", "status": "RUNNING", "progress": 0.4})),
                _ => Reply::json(200, json!({"id": "task-1", "status": "SUCCEEDED", "output": ["https://dnznrvs05pmza.cloudfront.net/out.mp4"]})),
            }
        }
    })
    .await;
    let p = provider(&fake);
    assert_eq!(
        p.poll("gen4_turbo", "task-1").await.unwrap(),
        PollStatus::Queued { position: None }
    );
    assert_eq!(
        p.poll("gen4_turbo", "task-1").await.unwrap(),
        PollStatus::Queued { position: None }
    );
    assert_eq!(
        p.poll("gen4_turbo", "task-1").await.unwrap(),
        PollStatus::Running {
            progress: Some(0.4)
        }
    );
    assert_eq!(
        p.poll("gen4_turbo", "task-1").await.unwrap(),
        PollStatus::Done(vec![OutputMedia::Url {
            url: "https://dnznrvs05pmza.cloudfront.net/out.mp4".into(),
            content_type: None
        }])
    );
}

async fn failed_with(code: &str) -> ProviderErrorDetail {
    let code = code.to_string();
    let fake = Fake::start(move |_| {
        Reply::json(
            200,
            json!({"id": "t", "status": "FAILED", "failure": "Task failed", "failureCode": code}),
        )
    })
    .await;
    match provider(&fake).poll("gen4_turbo", "t").await.unwrap() {
        PollStatus::Failed(d) => d,
        other => panic!("expected failure, got {other:?}"),
    }
}

#[tokio::test]
async fn failure_codes_are_classified() {
    assert_eq!(
        failed_with("SAFETY.INPUT.TEXT").await.kind,
        ProviderErrorKind::Moderation
    );
    assert_eq!(
        failed_with("INPUT_PREPROCESSING.SAFETY.TEXT").await.kind,
        ProviderErrorKind::Moderation
    );
    assert_eq!(
        failed_with("INPUT_PREPROCESSING.INTERNAL").await.kind,
        ProviderErrorKind::RejectedInput
    );
    let internal = failed_with("INTERNAL.BAD_OUTPUT.CODE01").await;
    assert_eq!(
        (internal.kind, internal.message.as_str()),
        (ProviderErrorKind::Transient, "Task failed")
    );
}

#[tokio::test]
async fn errors_on_submit_are_classified() {
    let fake = Fake::start(|req| match req.header("authorization") {
        Some("Bearer key_abc") => {
            Reply::json(400, json!({"error": "promptImage: Invalid data URI."}))
        }
        _ => Reply::json(401, json!({"error": "Invalid API key"})),
    })
    .await;
    let err = provider(&fake)
        .submit(&request(false), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        (
            ProviderErrorKind::RejectedInput,
            "promptImage: Invalid data URI."
        )
    );
    let bad = RunwayProvider::new("nope", &fake.base, fast_http(), RetryPolicy::default()).unwrap();
    assert_eq!(
        bad.submit(&request(false), &no_progress)
            .await
            .unwrap_err()
            .kind,
        ProviderErrorKind::Auth
    );
}

#[tokio::test]
async fn slow_poll_times_out_as_transient_after_retries() {
    let fake = Fake::start(|_| {
        Reply::json(200, json!({"status": "RUNNING"})).delayed(Duration::from_secs(2))
    })
    .await;
    let err = provider(&fake).poll("gen4_turbo", "t").await.unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Transient);
    assert_eq!(fake.requests().len(), 3, "GET polls are retried twice");
}

#[tokio::test]
async fn malformed_task_is_unknown() {
    let fake = Fake::start(|_| Reply::json(200, json!({"id": "t"}))).await;
    assert_eq!(
        provider(&fake)
            .poll("gen4_turbo", "t")
            .await
            .unwrap_err()
            .kind,
        ProviderErrorKind::Unknown
    );
}

#[tokio::test]
async fn cancel_deletes_running_tasks_only() {
    let fake = Fake::start(|req| match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/v1/tasks/running") => {
            Reply::json(200, json!({"status": "RUNNING", "progress": 0.1}))
        }
        ("GET", "/v1/tasks/done") => Reply::json(
            200,
            json!({"status": "SUCCEEDED", "output": ["https://x/y.mp4"]}),
        ),
        ("DELETE", "/v1/tasks/running") => Reply::raw(204, ""),
        _ => Reply::json(404, json!({"error": "Not found"})),
    })
    .await;
    let p = provider(&fake);
    assert_eq!(
        p.cancel("gen4_turbo", "running").await.unwrap(),
        CancelOutcome::Cancelled
    );
    assert_eq!(
        p.cancel("gen4_turbo", "done").await.unwrap(),
        CancelOutcome::AlreadyFinished
    );
    let deletes: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == reqwest::Method::DELETE)
        .collect();
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0].path, "/v1/tasks/running");
}

#[tokio::test]
async fn connection_check_reads_the_organization() {
    let fake = Fake::start(
        |req| match (req.path.as_str(), req.header("authorization")) {
            ("/v1/organization", Some("Bearer key_abc")) => {
                Reply::json(200, json!({"creditBalance": 1200, "tier": {}, "usage": {}}))
            }
            _ => Reply::json(401, json!({"error": "Invalid API key"})),
        },
    )
    .await;
    assert_eq!(provider(&fake).check_connection().await, Ok(()));
    assert_eq!(fake.single().header("x-runway-version"), Some("2024-11-06"));
    let wrong =
        RunwayProvider::new("key_x", &fake.base, fast_http(), RetryPolicy::default()).unwrap();
    assert_eq!(
        wrong.check_connection().await.unwrap_err().kind,
        ProviderErrorKind::Auth
    );
}
