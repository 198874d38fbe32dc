use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;

use super::*;
use crate::generation::provider::CancelOutcome;
use crate::generation::providers::test_support::{Fake, Reply, fast_http, no_progress, png};

fn provider(fake: &Fake) -> XaiProvider {
    let retry = RetryPolicy {
        retries: 1,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    };
    XaiProvider::new("xai-key", &fake.base, fast_http(), retry).unwrap()
}

fn request(model: &str) -> ProviderRequest {
    let mut params = serde_json::Map::new();
    if model.contains("video") {
        params.insert("duration".into(), json!(6));
        params.insert("aspect_ratio".into(), json!("16:9"));
        params.insert("resolution".into(), json!("720p"));
    }
    ProviderRequest {
        provider_model: model.into(),
        prompt: "a comet".into(),
        params,
        images: if model.contains("video") {
            vec![(ImageRole::StartFrame, png(Some("https://m/a.png")))]
        } else {
            vec![]
        },
        webhook_url: None,
    }
}

#[tokio::test]
async fn image_generation_returns_bytes_of_the_type_xai_names() {
    let fake = Fake::start(|_| {
        Reply::json(
            200,
            json!({"data": [{"b64_json": "aGk=", "mime_type": "image/png", "revised_prompt": ""}]}),
        )
    })
    .await;
    let model = crate::catalog::find_model("grok-image").unwrap();
    assert_eq!(model.provider_model, "grok-imagine-image");
    let out = provider(&fake)
        .submit(&request(&model.provider_model), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        out,
        Submitted::Done(vec![OutputMedia::Bytes {
            data: bytes::Bytes::from_static(b"hi"),
            content_type: "image/png".into()
        }])
    );
    let req = fake.single();
    assert_eq!(req.path, "/v1/images/generations");
    assert_eq!(req.header("authorization"), Some("Bearer xai-key"));
    assert_eq!(
        req.json(),
        json!({"model": "grok-imagine-image", "prompt": "a comet", "n": 1, "response_format": "b64_json"})
    );
}

#[tokio::test]
async fn image_type_comes_from_a_data_uri_prefix_or_the_bytes() {
    use base64::Engine as _;
    let webp = b"RIFF\x10\0\0\0WEBPVP8 ".to_vec();
    let webp_b64 = base64::engine::general_purpose::STANDARD.encode(&webp);
    let fake = Fake::start(move |_| {
        Reply::json(
            200,
            json!({"data": [
                {"b64_json": "data:image/png;base64,aGk="},
                {"b64_json": webp_b64.clone()},
            ]}),
        )
    })
    .await;
    let out = provider(&fake)
        .submit(&request("grok-imagine-image"), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        out,
        Submitted::Done(vec![
            OutputMedia::Bytes {
                data: bytes::Bytes::from_static(b"hi"),
                content_type: "image/png".into()
            },
            OutputMedia::Bytes {
                data: webp.into(),
                content_type: "image/webp".into()
            },
        ])
    );
}

#[tokio::test]
async fn a_moderated_image_is_a_moderation_error() {
    let fake = Fake::start(|_| {
        Reply::json(
            200,
            json!({"data": [{"b64_json": "", "respect_moderation": false}]}),
        )
    })
    .await;
    let err = provider(&fake)
        .submit(&request("grok-imagine-image"), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Moderation);
}

#[tokio::test]
async fn a_status_less_answer_with_a_url_is_done_and_progress_is_a_percentage() {
    let done =
        poll_answer(json!({"video": {"url": "https://vidgen.x.ai/v.mp4", "duration": 6}})).await;
    assert_eq!(
        done,
        PollStatus::Done(vec![OutputMedia::Url {
            url: "https://vidgen.x.ai/v.mp4".into(),
            content_type: Some("video/mp4".into())
        }])
    );
    let pending = poll_answer(json!({"status": "pending", "progress": 30})).await;
    assert_eq!(
        pending,
        PollStatus::Running {
            progress: Some(0.3)
        }
    );
    let fresh = poll_answer(json!({"status": "pending", "progress": 0})).await;
    assert_eq!(fresh, PollStatus::Queued { position: None });
}

#[tokio::test]
async fn an_empty_202_is_still_queued() {
    let fake = Fake::start(|_| Reply::raw(202, "")).await;
    assert_eq!(
        provider(&fake)
            .poll("grok-imagine-video", "v")
            .await
            .unwrap(),
        PollStatus::Queued { position: None }
    );
}

#[tokio::test]
async fn video_request_then_poll_until_done() {
    let step = Arc::new(AtomicUsize::new(0));
    let fake = Fake::start({
        let step = step.clone();
        move |req| match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/v1/videos/generations") => Reply::json(200, json!({"request_id": "vid-1"})),
            ("GET", "/v1/videos/vid-1") => match step.fetch_add(1, Ordering::SeqCst) {
                0 => Reply::json(202, json!({"request_id": "vid-1"})),
                1 => Reply::json(200, json!({"status": "processing", "progress": 50})),
                _ => Reply::json(200, json!({"status": "done", "model": "grok-imagine-video",
                    "video": {"url": "https://vidgen.x.ai/v.mp4", "duration": 6, "respect_moderation": true}})),
            },
            _ => Reply::json(404, json!({"error": "not found"})),
        }
    })
    .await;
    let p = provider(&fake);
    let sub = p
        .submit(&request("grok-imagine-video"), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        sub,
        Submitted::Pending {
            request_id: "vid-1".into()
        }
    );
    assert_eq!(
        p.poll("grok-imagine-video", "vid-1").await.unwrap(),
        PollStatus::Queued { position: None }
    );
    assert_eq!(
        p.poll("grok-imagine-video", "vid-1").await.unwrap(),
        PollStatus::Running {
            progress: Some(0.5)
        }
    );
    assert_eq!(
        p.poll("grok-imagine-video", "vid-1").await.unwrap(),
        PollStatus::Done(vec![OutputMedia::Url {
            url: "https://vidgen.x.ai/v.mp4".into(),
            content_type: Some("video/mp4".into())
        }])
    );
    let body = fake.requests()[0].json();
    assert_eq!(
        body,
        json!({"model": "grok-imagine-video", "prompt": "a comet", "duration": 6, "aspect_ratio": "16:9",
               "resolution": "720p", "image": {"url": "https://m/a.png"}})
    );
}

async fn poll_answer(answer: serde_json::Value) -> PollStatus {
    let fake = Fake::start(move |_| Reply::json(200, answer.clone())).await;
    provider(&fake)
        .poll("grok-imagine-video", "v")
        .await
        .unwrap()
}

#[tokio::test]
async fn failures_and_moderation() {
    let failed = poll_answer(json!({"status": "failed", "error": {"code": "internal_error", "message": "Generation failed"}})).await;
    assert_eq!(
        failed,
        PollStatus::Failed(ProviderErrorDetail {
            kind: ProviderErrorKind::Transient,
            message: "Generation failed".into()
        })
    );
    let moderated = poll_answer(
        json!({"status": "done", "video": {"duration": 0, "respect_moderation": false}}),
    )
    .await;
    assert!(matches!(
        moderated,
        PollStatus::Failed(ProviderErrorDetail {
            kind: ProviderErrorKind::Moderation,
            ..
        })
    ));
    let flagged = poll_answer(
        json!({"status": "failed", "error": {"code": "content_moderation", "message": "Blocked"}}),
    )
    .await;
    assert!(matches!(
        flagged,
        PollStatus::Failed(ProviderErrorDetail {
            kind: ProviderErrorKind::Moderation,
            ..
        })
    ));
    let expired = poll_answer(json!({"status": "expired"})).await;
    assert!(matches!(
        expired,
        PollStatus::Failed(ProviderErrorDetail {
            kind: ProviderErrorKind::Transient,
            ..
        })
    ));
}

#[tokio::test]
async fn auth_timeout_and_malformed() {
    let fake = Fake::start(|_| {
        Reply::json(
            401,
            json!({"code": "unauthorized", "error": "Incorrect API key provided: xa***ey."}),
        )
    })
    .await;
    let err = provider(&fake)
        .submit(&request("grok-imagine-video"), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Auth);
    let fake = Fake::start(|_| {
        Reply::json(200, json!({"request_id": "v"})).delayed(Duration::from_secs(2))
    })
    .await;
    let err = provider(&fake)
        .submit(&request("grok-imagine-video"), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Transient);
    assert_eq!(fake.requests().len(), 1, "submits are not retried");
    let fake = Fake::start(|_| Reply::raw(200, "[1,2")).await;
    assert_eq!(
        provider(&fake)
            .poll("grok-imagine-video", "v")
            .await
            .unwrap_err()
            .kind,
        ProviderErrorKind::Unknown
    );
}

#[tokio::test]
async fn cancel_is_not_supported() {
    let fake = Fake::start(|_| Reply::json(500, json!({}))).await;
    assert_eq!(
        provider(&fake)
            .cancel("grok-imagine-video", "v")
            .await
            .unwrap(),
        CancelOutcome::NotSupported
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn connection_check_reads_the_key_and_reports_a_blocked_one() {
    let fake = Fake::start(|req| match req.header("authorization") {
        Some("Bearer xai-key") => Reply::json(
            200,
            json!({"name": "studio", "api_key_blocked": false, "api_key_disabled": false, "team_blocked": false}),
        ),
        _ => Reply::json(200, json!({"name": "old", "api_key_disabled": true})),
    })
    .await;
    assert_eq!(provider(&fake).check_connection().await, Ok(()));
    assert_eq!(fake.single().path, "/v1/api-key");
    let disabled =
        XaiProvider::new("old", &fake.base, fast_http(), RetryPolicy::default()).unwrap();
    assert_eq!(
        disabled.check_connection().await.unwrap_err().kind,
        ProviderErrorKind::Auth
    );
    let wrong = Fake::start(|_| Reply::json(400, json!({"code": "Client specified an invalid argument", "error": "Incorrect API key provided: xa***ey."}))).await;
    assert_eq!(
        provider(&wrong).check_connection().await.unwrap_err().kind,
        ProviderErrorKind::Auth,
        "xAI answers a wrong key with 400"
    );
}
