use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;

use super::*;
use crate::generation::provider::ImageRole;
use crate::generation::providers::test_support::{Fake, Reply, fast_http, no_progress, png};

const MODEL: &str = "fal-ai/veo3.1/image-to-video";

fn provider(fake: &Fake) -> FalProvider {
    let retry = RetryPolicy {
        retries: 2,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    };
    FalProvider::new("fal-secret", &fake.base, fast_http(), retry).unwrap()
}

fn request() -> ProviderRequest {
    let mut params = serde_json::Map::new();
    params.insert("duration".into(), json!("8s"));
    params.insert("generate_audio".into(), json!(true));
    ProviderRequest {
        provider_model: MODEL.into(),
        prompt: "a fox in the snow".into(),
        params,
        images: vec![(ImageRole::StartFrame, png(None))],
        webhook_url: Some("https://studio.example/hooks/fal?job=7".into()),
    }
}

#[tokio::test]
async fn submit_sends_queue_request_and_returns_id() {
    let fake =
        Fake::start_fal(|_| Reply::json(200, json!({"request_id": "req-1", "status": "IN_QUEUE"})))
            .await;
    let out = provider(&fake)
        .submit(&request(), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        out,
        Submitted::Pending {
            request_id: "req-1".into()
        }
    );

    let req = fake.single();
    assert_eq!(req.method, reqwest::Method::POST);
    assert_eq!(req.path, "/fal-ai/veo3.1/image-to-video");
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(req.query.as_deref().unwrap().as_bytes())
            .into_owned()
            .collect();
    assert_eq!(
        query,
        vec![(
            "fal_webhook".into(),
            "https://studio.example/hooks/fal?job=7".into()
        )]
    );
    assert_eq!(req.header("authorization"), Some("Key fal-secret"));
    let body = req.json();
    assert_eq!(body["prompt"], "a fox in the snow");
    assert_eq!(body["duration"], "8s");
    assert_eq!(body["generate_audio"], true);
    assert_eq!(body["image_url"], "data:image/png;base64,iVBORy1mYWtl");
}

#[tokio::test]
async fn submit_without_webhook_has_no_query() {
    let fake = Fake::start_fal(|_| Reply::json(200, json!({"request_id": "req-2"}))).await;
    let mut req = request();
    req.webhook_url = None;
    provider(&fake).submit(&req, &no_progress).await.unwrap();
    assert_eq!(fake.single().query, None);
}

#[tokio::test]
async fn poll_reports_queue_then_progress_then_result() {
    let step = Arc::new(AtomicUsize::new(0));
    let fake = Fake::start({
        let step = step.clone();
        move |req| match req.path.as_str() {
            "/fal-ai/veo3.1/requests/req-1/status" => {
                match step.fetch_add(1, Ordering::SeqCst) {
                    0 => Reply::json(202, json!({"status": "IN_QUEUE", "queue_position": 3})),
                    1 => Reply::json(202, json!({"status": "IN_PROGRESS", "logs": []})),
                    _ => Reply::json(200, json!({"status": "COMPLETED", "logs": []})),
                }
            }
            "/fal-ai/veo3.1/requests/req-1" => Reply::json(
                200,
                json!({"video": {"url": "https://v3.fal.media/out.mp4", "content_type": "video/mp4"}}),
            ),
            _ => Reply::json(404, json!({"detail": "not found"})),
        }
    })
    .await;
    let p = provider(&fake);
    assert_eq!(
        p.poll(MODEL, "req-1").await.unwrap(),
        PollStatus::Queued { position: Some(3) }
    );
    assert_eq!(
        p.poll(MODEL, "req-1").await.unwrap(),
        PollStatus::Running { progress: None }
    );
    assert_eq!(
        p.poll(MODEL, "req-1").await.unwrap(),
        PollStatus::Done(vec![OutputMedia::Url {
            url: "https://v3.fal.media/out.mp4".into(),
            content_type: Some("video/mp4".into()),
        }])
    );
    let reqs = fake.requests();
    assert_eq!(reqs[0].query.as_deref(), Some("logs=1"));
    assert!(reqs.iter().all(|r| r.method == reqwest::Method::GET));
    assert!(
        reqs.iter()
            .all(|r| r.header("authorization") == Some("Key fal-secret"))
    );
}

#[tokio::test]
async fn images_output_is_mapped() {
    let out = output_media(&json!({
        "images": [{"url": "https://a/1.png", "content_type": "image/png"}, {"url": "https://a/2.png"}],
        "seed": 5
    }));
    assert_eq!(out.len(), 2);
    assert_eq!(
        out[1],
        OutputMedia::Url {
            url: "https://a/2.png".into(),
            content_type: None
        }
    );
}

fn completed_then(
    result: Reply,
) -> impl Fn(&crate::generation::providers::test_support::Recorded) -> Reply {
    let result = std::sync::Mutex::new(Some(result));
    move |req| {
        if req.path.ends_with("/status") {
            Reply::json(200, json!({"status": "COMPLETED"}))
        } else {
            result
                .lock()
                .unwrap()
                .take()
                .unwrap_or_else(|| Reply::json(500, json!({})))
        }
    }
}

#[tokio::test]
async fn failed_request_is_reported_as_failed_poll() {
    let fake = Fake::start(completed_then(Reply::json(
        422,
        json!({"detail": [{"loc": ["body", "image_url"], "msg": "image too small", "type": "value_error"}]}),
    )))
    .await;
    let status = provider(&fake).poll(MODEL, "req-1").await.unwrap();
    assert_eq!(
        status,
        PollStatus::Failed(ProviderErrorDetail {
            kind: ProviderErrorKind::RejectedInput,
            message: "image too small".into()
        })
    );
}

#[tokio::test]
async fn moderated_request_is_moderation() {
    let fake = Fake::start(completed_then(Reply::json(
        422,
        json!({"detail": [{"msg": "The content could not be processed because it contained material flagged by a content checker.", "type": "content_policy_violation"}]}),
    )))
    .await;
    match provider(&fake).poll(MODEL, "req-1").await.unwrap() {
        PollStatus::Failed(d) => assert_eq!(d.kind, ProviderErrorKind::Moderation),
        other => panic!("expected failure, got {other:?}"),
    }
}

#[tokio::test]
async fn auth_error_on_submit() {
    let fake = Fake::start(|_| Reply::json(401, json!({"detail": "Invalid API key"}))).await;
    let err = provider(&fake)
        .submit(&request(), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Auth);
    assert_eq!(err.message, "Invalid API key");
    assert!(!err.message.contains("fal-secret"));
}

#[tokio::test]
async fn slow_submit_times_out_as_transient_and_is_not_retried() {
    let fake = Fake::start(|_| {
        Reply::json(200, json!({"request_id": "x"})).delayed(Duration::from_secs(2))
    })
    .await;
    let err = provider(&fake)
        .submit(&request(), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Transient);
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn malformed_status_is_unknown() {
    let fake = Fake::start(|_| Reply::raw(200, "<html>oops</html>")).await;
    let err = provider(&fake).poll(MODEL, "req-1").await.unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Unknown);
}

#[tokio::test]
async fn status_poll_retries_transient_errors() {
    let calls = Arc::new(AtomicUsize::new(0));
    let fake = Fake::start({
        let calls = calls.clone();
        move |_| match calls.fetch_add(1, Ordering::SeqCst) {
            0 => Reply::json(503, json!({"detail": "busy"})),
            1 => Reply::json(429, json!({"detail": "slow down"})).header("retry-after", "0"),
            _ => Reply::json(200, json!({"status": "IN_PROGRESS"})),
        }
    })
    .await;
    let status = provider(&fake).poll(MODEL, "req-1").await.unwrap();
    assert_eq!(status, PollStatus::Running { progress: None });
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn submit_is_never_retried() {
    let fake = Fake::start(|_| Reply::json(503, json!({"detail": "busy"}))).await;
    let err = provider(&fake)
        .submit(&request(), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Transient);
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn cancel_maps_fal_answers() {
    let fake = Fake::start(|req| match req.path.as_str() {
        "/fal-ai/veo3.1/requests/queued/cancel" => Reply::json(200, json!({"status": "OK"})),
        "/fal-ai/veo3.1/requests/running/cancel" => {
            Reply::json(202, json!({"status": "CANCELLATION_REQUESTED"}))
        }
        "/fal-ai/veo3.1/requests/done/cancel" => {
            Reply::json(400, json!({"status": "ALREADY_COMPLETED"}))
        }
        _ => Reply::json(404, json!({"status": "NOT_FOUND"})),
    })
    .await;
    let p = provider(&fake);
    assert_eq!(
        p.cancel(MODEL, "queued").await.unwrap(),
        CancelOutcome::Cancelled
    );
    assert_eq!(
        p.cancel(MODEL, "running").await.unwrap(),
        CancelOutcome::Requested,
        "a running request may still finish"
    );
    assert_eq!(
        p.cancel(MODEL, "done").await.unwrap(),
        CancelOutcome::AlreadyFinished
    );
    assert_eq!(
        p.cancel(MODEL, "gone").await.unwrap_err().kind,
        ProviderErrorKind::RejectedInput
    );
    assert!(
        fake.requests()
            .iter()
            .all(|r| r.method == reqwest::Method::PUT)
    );
}

#[test]
fn app_id_drops_the_endpoint_sub_path() {
    assert_eq!(app_id("fal-ai/veo3.1/image-to-video"), "fal-ai/veo3.1");
    assert_eq!(app_id("wan/v2.6/image-to-video"), "wan/v2.6");
    // Namespaced ids keep the namespace, as fal-js's parseEndpointId does.
    assert_eq!(
        app_id("workflows/acme/storyboard/run"),
        "workflows/acme/storyboard"
    );
    assert_eq!(
        app_id("workflows/acme/storyboard"),
        "workflows/acme/storyboard"
    );
    assert_eq!(app_id("comfy/acme/upscale"), "comfy/acme/upscale");
    assert_eq!(
        app_id("fal-ai/veo3.1/fast/first-last-frame-to-video"),
        "fal-ai/veo3.1"
    );
    assert_eq!(app_id("fal-ai/flux/dev"), "fal-ai/flux");
    assert_eq!(app_id("fal-ai/fast-sdxl"), "fal-ai/fast-sdxl");
}

#[test]
fn image_field_table() {
    let flf = image_fields("fal-ai/veo3.1/first-last-frame-to-video");
    assert_eq!(flf.start, ImageField::Single("first_frame_url"));
    assert_eq!(flf.end, ImageField::Single("last_frame_url"));
    assert_eq!(
        image_fields("fal-ai/kling-video/v2.1/pro/image-to-video").end,
        ImageField::Single("tail_image_url")
    );
    for kling in [
        "fal-ai/kling-video/v2.6/pro/image-to-video",
        "fal-ai/kling-video/o1/image-to-video",
    ] {
        let fields = image_fields(kling);
        assert_eq!(fields.start, ImageField::Single("start_image_url"));
        assert_eq!(fields.end, ImageField::Single("end_image_url"));
    }
    assert_eq!(
        image_fields("fal-ai/flux-pro/kontext").source,
        ImageField::Single("image_url")
    );
    assert_eq!(
        image_fields("fal-ai/nano-banana/edit").source,
        ImageField::List("image_urls")
    );
}

#[test]
fn reference_images_accumulate_in_a_list() {
    let req = ProviderRequest {
        provider_model: "fal-ai/nano-banana/edit".into(),
        prompt: "merge".into(),
        params: serde_json::Map::new(),
        images: vec![
            (ImageRole::Source, png(Some("https://m/a.png"))),
            (ImageRole::Reference, png(Some("https://m/b.png"))),
        ],
        webhook_url: None,
    };
    let input = build_input(&req).unwrap();
    assert_eq!(
        input["image_urls"],
        json!(["https://m/a.png", "https://m/b.png"])
    );
}

#[tokio::test]
async fn a_namespaced_app_is_polled_under_its_namespace() {
    let fake = Fake::start(|req| match req.path.as_str() {
        "/workflows/acme/storyboard/requests/r/status" => {
            Reply::json(200, json!({"status": "IN_PROGRESS"}))
        }
        _ => Reply::json(404, json!({"detail": "Application not found"})),
    })
    .await;
    let status = provider(&fake)
        .poll("workflows/acme/storyboard", "r")
        .await
        .unwrap();
    assert_eq!(status, PollStatus::Running { progress: None });
}

#[tokio::test]
async fn kling_26_gets_start_and_end_frames_under_its_own_names() {
    let fake = Fake::start_fal(|_| Reply::json(200, json!({"request_id": "k-1"}))).await;
    let mut params = serde_json::Map::new();
    params.insert("duration".into(), json!("5"));
    params.insert("generate_audio".into(), json!(false));
    let req = ProviderRequest {
        provider_model: "fal-ai/kling-video/v2.6/pro/image-to-video".into(),
        prompt: "a lighthouse".into(),
        params,
        images: vec![
            (ImageRole::StartFrame, png(Some("https://m/start.png"))),
            (ImageRole::EndFrame, png(Some("https://m/end.png"))),
        ],
        webhook_url: None,
    };
    let out = provider(&fake).submit(&req, &no_progress).await;
    assert_eq!(
        out,
        Ok(Submitted::Pending {
            request_id: "k-1".into()
        })
    );
    let body = fake.single().json();
    assert_eq!(body["start_image_url"], "https://m/start.png");
    assert_eq!(body["end_image_url"], "https://m/end.png");
}

#[tokio::test]
async fn the_fake_refuses_what_fal_would() {
    let fake = Fake::start_fal(|_| Reply::json(200, json!({"request_id": "x"}))).await;
    let mut params = serde_json::Map::new();
    params.insert("cfg_scale".into(), json!(0.5));
    let req = ProviderRequest {
        provider_model: "fal-ai/kling-video/v2.6/pro/image-to-video".into(),
        prompt: "p".into(),
        params,
        images: vec![(ImageRole::StartFrame, png(None))],
        webhook_url: None,
    };
    let err = provider(&fake)
        .submit(&req, &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::RejectedInput);
    assert_eq!(err.message, "Extra inputs are not permitted");
}

/// The catalog and fal's inputs cannot drift apart: every fal model's request,
/// with its defaults and with every listed value of every parameter, its
/// frames and source images, is accepted by the table of fal's inputs.
#[test]
fn every_catalog_fal_model_sends_only_what_its_endpoint_accepts() {
    use crate::catalog::fal_inputs::check_fal_input;
    use crate::catalog::{ModelKind, ParamType, ProviderId, all_models};
    use crate::generation::params::validate;

    let mut checked = 0;
    for model in all_models()
        .into_iter()
        .filter(|m| m.provider == ProviderId::Fal)
    {
        let mut variants = vec![serde_json::Map::new()];
        for spec in model.visible_params() {
            let values: Vec<serde_json::Value> = match &spec.ty {
                ParamType::Choice { values } => values.iter().map(|v| json!(v)).collect(),
                ParamType::IntChoice { values } => values.iter().map(|v| json!(v)).collect(),
                ParamType::Bool => vec![json!(true), json!(false)],
                ParamType::Int { min, max } => vec![json!(min), json!(max)],
                ParamType::Number { min, max } => vec![json!(min), json!(max)],
                ParamType::Text { max_len } => vec![json!("x".repeat(*max_len))],
            };
            for value in values {
                let mut input = serde_json::Map::new();
                input.insert(spec.name.clone(), value);
                variants.push(input);
            }
        }
        let mut images = Vec::new();
        match model.kind {
            ModelKind::Video => {
                images.push((ImageRole::StartFrame, png(Some("https://m/start.png"))));
                if model.capabilities.last_frame {
                    images.push((ImageRole::EndFrame, png(None)));
                }
            }
            ModelKind::ImageEdit => images.push((ImageRole::Source, png(None))),
            _ => {}
        }
        for input in variants {
            let params = validate(&model, &input)
                .unwrap_or_else(|e| panic!("{}: {input:?} refused: {e}", model.id));
            let request = ProviderRequest {
                provider_model: model.provider_model.clone(),
                prompt: "a slow pan".into(),
                params,
                images: images.clone(),
                webhook_url: None,
            };
            let body = build_input(&request).unwrap();
            if let Err(detail) = check_fal_input(&model.provider_model, &body) {
                panic!("{} sends what fal refuses: {detail}\n{body}", model.id);
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} requests checked");
}

#[tokio::test]
async fn connection_check_reads_pricing_with_the_key_and_tells_a_wrong_key() {
    let fake = Fake::start(|req| match (req.path.as_str(), req.header("authorization")) {
        ("/v1/models/pricing", Some("Key id-1:secret")) => Reply::json(
            200,
            json!({"prices": [{"endpoint_id": "fal-ai/veo3.1/image-to-video", "unit_price": 0.4}]}),
        ),
        _ => Reply::json(401, json!({"detail": "Invalid API key"})),
    })
    .await;
    let client = |key: &str| {
        FalProvider::new(key, &fake.base, fast_http(), RetryPolicy::default())
            .unwrap()
            .with_api_base(&fake.base)
    };
    assert_eq!(client("id-1:secret").check_connection().await, Ok(()));
    let wrong = client("id-1:other").check_connection().await.unwrap_err();
    assert_eq!(wrong.kind, ProviderErrorKind::Auth);
    assert_eq!(wrong.message, "Invalid API key");
    let calls = fake.requests().len();
    let malformed = client("not-a-fal-key")
        .check_connection()
        .await
        .unwrap_err();
    assert_eq!(malformed.kind, ProviderErrorKind::Auth);
    assert!(malformed.message.contains("KEY_ID:KEY_SECRET"));
    assert_eq!(fake.requests().len(), calls, "a malformed key is not sent");
    let req = &fake.requests()[0];
    assert_eq!(req.method, reqwest::Method::GET);
    assert_eq!(
        req.query.as_deref(),
        Some("endpoint_id=fal-ai/veo3.1/image-to-video")
    );
}
