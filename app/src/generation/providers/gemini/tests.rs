use std::time::Duration;

use serde_json::json;

use super::*;
use crate::generation::provider::ImageRole;
use crate::generation::providers::test_support::{Fake, Reply, fast_http, no_progress, png};

const MODEL: &str = "gemini-3-pro-image-preview";

fn provider(fake: &Fake) -> GeminiProvider {
    GeminiProvider::new("g-key", &fake.base, fast_http()).unwrap()
}

fn request() -> ProviderRequest {
    let mut params = serde_json::Map::new();
    params.insert("aspect_ratio".into(), json!("16:9"));
    params.insert("image_size".into(), json!("2K"));
    ProviderRequest {
        provider_model: MODEL.into(),
        prompt: "make it night".into(),
        params,
        images: vec![(
            ImageRole::Source,
            png(Some("https://ignored.example/a.png")),
        )],
        webhook_url: None,
    }
}

fn image_answer() -> serde_json::Value {
    json!({"candidates": [{"content": {"role": "model", "parts": [
        {"text": "Here you go"},
        {"inlineData": {"mimeType": "image/png", "data": "aGVsbG8="}}
    ]}, "finishReason": "STOP"}]})
}

#[tokio::test]
async fn generates_image_with_exact_request_shape() {
    let fake = Fake::start(|_| Reply::json(200, image_answer())).await;
    let out = provider(&fake)
        .submit(&request(), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        out,
        Submitted::Done(vec![OutputMedia::Bytes {
            data: bytes::Bytes::from_static(b"hello"),
            content_type: "image/png".into()
        }])
    );
    let req = fake.single();
    assert_eq!(
        req.path,
        "/v1beta/models/gemini-3-pro-image-preview:generateContent"
    );
    assert_eq!(req.header("x-goog-api-key"), Some("g-key"));
    assert_eq!(req.header("authorization"), None);
    assert_eq!(
        req.json(),
        json!({
            "contents": [{"role": "user", "parts": [
                {"text": "make it night"},
                {"inline_data": {"mime_type": "image/png", "data": "iVBORy1mYWtl"}}
            ]}],
            "generationConfig": {
                "responseModalities": ["TEXT", "IMAGE"],
                "imageConfig": {"aspectRatio": "16:9", "imageSize": "2K"}
            }
        })
    );
}

#[tokio::test]
async fn blocked_prompt_is_moderation() {
    let fake = Fake::start(|_| {
        Reply::json(
            200,
            json!({"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}}),
        )
    })
    .await;
    let err = provider(&fake)
        .submit(&request(), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Moderation);
}

#[tokio::test]
async fn unsafe_output_is_moderation() {
    let fake = Fake::start(|_| {
        Reply::json(
            200,
            json!({"candidates": [{"content": {"parts": []}, "finishReason": "IMAGE_SAFETY"}]}),
        )
    })
    .await;
    let err = provider(&fake)
        .submit(&request(), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Moderation);
}

#[tokio::test]
async fn image_prohibited_content_and_recitation_are_refusals_with_clear_messages() {
    for (reason, words) in [
        ("IMAGE_PROHIBITED_CONTENT", "prohibited content"),
        ("IMAGE_RECITATION", "protected material"),
    ] {
        let fake = Fake::start(move |_| {
            Reply::json(
                200,
                json!({"candidates": [{"content": {"parts": []}, "finishReason": reason}]}),
            )
        })
        .await;
        let err = provider(&fake)
            .submit(&request(), &no_progress)
            .await
            .unwrap_err();
        assert_eq!(err.kind, ProviderErrorKind::Moderation, "{reason}");
        assert!(
            err.message.contains(words) && err.message.contains(reason),
            "{reason}: {}",
            err.message
        );
    }
}

#[tokio::test]
async fn text_only_answer_is_a_failure_with_the_text() {
    let fake = Fake::start(|_| {
        Reply::json(200, json!({"candidates": [{"content": {"parts": [{"text": "I can't draw that."}]}, "finishReason": "STOP"}]}))
    })
    .await;
    let err = provider(&fake)
        .submit(&request(), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Unknown);
    assert_eq!(err.message, "I can't draw that.");
}

#[tokio::test]
async fn invalid_key_is_auth_and_bad_argument_is_rejected() {
    let fake = Fake::start(|req| {
        if req.header("x-goog-api-key") == Some("g-key") {
            Reply::json(400, json!({"error": {"code": 400, "message": "Unsupported aspect ratio", "status": "INVALID_ARGUMENT"}}))
        } else {
            Reply::json(403, json!({"error": {"code": 403, "message": "API key not valid.", "status": "PERMISSION_DENIED"}}))
        }
    })
    .await;
    let err = provider(&fake)
        .submit(&request(), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        (ProviderErrorKind::RejectedInput, "Unsupported aspect ratio")
    );
    let bad = GeminiProvider::new("wrong", &fake.base, fast_http()).unwrap();
    let err = bad.submit(&request(), &no_progress).await.unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Auth);
    assert!(!err.message.contains("wrong"));
}

#[tokio::test]
async fn overload_and_timeout_are_transient() {
    let fake = Fake::start(|_| Reply::json(503, json!({"error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}}))).await;
    assert_eq!(
        provider(&fake)
            .submit(&request(), &no_progress)
            .await
            .unwrap_err()
            .kind,
        ProviderErrorKind::Transient
    );
    let fake =
        Fake::start(|_| Reply::json(200, image_answer()).delayed(Duration::from_secs(2))).await;
    assert_eq!(
        provider(&fake)
            .submit(&request(), &no_progress)
            .await
            .unwrap_err()
            .kind,
        ProviderErrorKind::Transient
    );
}

#[tokio::test]
async fn malformed_body_is_unknown() {
    let fake = Fake::start(|_| Reply::raw(200, "not json")).await;
    assert_eq!(
        provider(&fake)
            .submit(&request(), &no_progress)
            .await
            .unwrap_err()
            .kind,
        ProviderErrorKind::Unknown
    );
}

#[tokio::test]
async fn connection_check_lists_models_and_reads_gemini_s_wrong_key_answer() {
    let fake = Fake::start(|req| match req.header("x-goog-api-key") {
        Some("g-key") => Reply::json(200, json!({"models": []})),
        _ => Reply::json(
            400,
            json!({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                   "status": "INVALID_ARGUMENT", "details": [{"reason": "API_KEY_INVALID"}]}}),
        ),
    })
    .await;
    assert_eq!(provider(&fake).check_connection().await, Ok(()));
    assert_eq!(fake.single().path, "/v1beta/models");
    let wrong = GeminiProvider::new("nope", &fake.base, fast_http()).unwrap();
    let err = wrong.check_connection().await.unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Auth);
    assert!(err.message.contains("API key not valid"));
}
