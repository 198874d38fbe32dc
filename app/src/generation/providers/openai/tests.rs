use std::time::Duration;

use futures::StreamExt;
use serde_json::json;

use super::*;
use crate::generation::providers::test_support::{Fake, Reply, fast_http, no_progress, png};

fn provider(fake: &Fake) -> OpenAiProvider {
    OpenAiProvider::new("sk-test", format!("{}/v1", fake.base), fast_http()).unwrap()
}

fn messages() -> Vec<ChatMessage> {
    vec![
        ChatMessage {
            role: "system".into(),
            content: "be brief".into(),
        },
        ChatMessage {
            role: "user".into(),
            content: "hi".into(),
        },
    ]
}

fn image_request(
    images: Vec<(ImageRole, crate::generation::provider::InputImage)>,
) -> ProviderRequest {
    let mut params = serde_json::Map::new();
    params.insert("size".into(), json!("1024x1536"));
    params.insert("quality".into(), json!("high"));
    params.insert("n".into(), json!(1));
    params.insert("output_format".into(), json!("webp"));
    ProviderRequest {
        provider_model: "gpt-image-1".into(),
        prompt: "a lighthouse".into(),
        params,
        images,
        webhook_url: None,
    }
}

#[tokio::test]
async fn chat_stream_reassembles_split_events() {
    let fake = Fake::start(|req| {
        assert_eq!(req.path, "/v1/chat/completions");
        Reply::chunked(
            200,
            "text/event-stream",
            vec![
                "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\ndata: {\"choi",
                "ces\":[{\"delta\":{\"content\":\"Hel\"}}]}\n",
                "\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\r\n\r\n",
                "data: [DONE]\n\n",
            ],
        )
    })
    .await;
    let stream = provider(&fake)
        .stream_chat("gpt-4.1", &messages())
        .await
        .unwrap();
    let pieces: Vec<String> = stream.map(|r| r.unwrap()).collect().await;
    assert_eq!(pieces, vec!["Hel", "lo"]);

    let req = fake.single();
    assert_eq!(req.header("authorization"), Some("Bearer sk-test"));
    let body = req.json();
    assert_eq!(body["model"], "gpt-4.1");
    assert_eq!(body["stream"], true);
    assert_eq!(
        body["messages"][1],
        json!({"role": "user", "content": "hi"})
    );
}

#[tokio::test]
async fn chat_stream_cut_short_ends_with_transient_error() {
    let fake = Fake::start(|_| {
        Reply::chunked(
            200,
            "text/event-stream",
            vec!["data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"],
        )
    })
    .await;
    let stream = provider(&fake)
        .stream_chat("gpt-4.1", &messages())
        .await
        .unwrap();
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_deref().unwrap(), "Hi");
    assert_eq!(
        items[1].as_ref().unwrap_err().kind,
        ProviderErrorKind::Transient
    );
}

#[tokio::test]
async fn chat_auth_error() {
    let fake = Fake::start(|_| {
        Reply::json(401, json!({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}}))
    })
    .await;
    let err = match provider(&fake).stream_chat("gpt-4.1", &messages()).await {
        Err(e) => e,
        Ok(_) => panic!("expected an auth error"),
    };
    assert_eq!(err.kind, ProviderErrorKind::Auth);
    assert_eq!(err.message, "Incorrect API key provided");
}

#[tokio::test]
async fn image_generation_decodes_b64() {
    let fake = Fake::start(|_| {
        Reply::json(
            200,
            json!({"created": 1, "data": [{"b64_json": "aGVsbG8="}], "output_format": "webp"}),
        )
    })
    .await;
    let out = provider(&fake)
        .submit(&image_request(vec![]), &no_progress)
        .await
        .unwrap();
    assert_eq!(
        out,
        Submitted::Done(vec![OutputMedia::Bytes {
            data: bytes::Bytes::from_static(b"hello"),
            content_type: "image/webp".into()
        }])
    );
    let req = fake.single();
    assert_eq!(req.path, "/v1/images/generations");
    assert_eq!(req.header("authorization"), Some("Bearer sk-test"));
    assert_eq!(
        req.json(),
        json!({"model": "gpt-image-1", "prompt": "a lighthouse", "size": "1024x1536",
               "quality": "high", "n": 1, "output_format": "webp"})
    );
}

#[tokio::test]
async fn image_edit_is_multipart_with_image_parts() {
    let fake = Fake::start(|_| Reply::json(200, json!({"data": [{"b64_json": "aGk="}]}))).await;
    let req = image_request(vec![
        (ImageRole::Source, png(None)),
        (ImageRole::Reference, png(None)),
    ]);
    provider(&fake).submit(&req, &no_progress).await.unwrap();
    let req = fake.single();
    assert_eq!(req.path, "/v1/images/edits");
    assert!(
        req.header("content-type")
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let body = String::from_utf8_lossy(&req.body);
    assert_eq!(
        body.matches("name=\"image[]\"; filename=").count(),
        2,
        "{body}"
    );
    assert!(body.contains("name=\"prompt\"\r\n\r\na lighthouse\r\n"));
    assert!(body.contains("name=\"model\"\r\n\r\ngpt-image-1\r\n"));
    assert!(body.contains("name=\"size\"\r\n\r\n1024x1536\r\n"));
    assert!(body.contains("Content-Type: image/png"));
}

#[tokio::test]
async fn moderation_block_is_moderation() {
    let fake = Fake::start(|_| {
        Reply::json(400, json!({"error": {"message": "Your request was rejected as a result of our safety system.", "type": "image_generation_user_error", "code": "moderation_blocked"}}))
    })
    .await;
    let err = provider(&fake)
        .submit(&image_request(vec![]), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Moderation);
}

#[tokio::test]
async fn rejected_input_and_quota() {
    let fake = Fake::start(|req| {
        if req.json()["size"] == "1x1" {
            Reply::json(400, json!({"error": {"message": "Invalid size", "code": "invalid_value"}}))
        } else {
            Reply::json(429, json!({"error": {"message": "You exceeded your current quota", "code": "insufficient_quota"}}))
        }
    })
    .await;
    let p = provider(&fake);
    let mut req = image_request(vec![]);
    assert_eq!(
        p.submit(&req, &no_progress).await.unwrap_err().kind,
        ProviderErrorKind::Quota
    );
    req.params.insert("size".into(), json!("1x1"));
    assert_eq!(
        p.submit(&req, &no_progress).await.unwrap_err().kind,
        ProviderErrorKind::RejectedInput
    );
}

#[tokio::test]
async fn slow_image_call_is_transient() {
    let fake =
        Fake::start(|_| Reply::json(200, json!({"data": []})).delayed(Duration::from_secs(2)))
            .await;
    let err = provider(&fake)
        .submit(&image_request(vec![]), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Transient);
}

#[tokio::test]
async fn malformed_image_response_is_unknown() {
    let fake =
        Fake::start(|_| Reply::json(200, json!({"data": [{"b64_json": "%%%not base64"}]}))).await;
    let err = provider(&fake)
        .submit(&image_request(vec![]), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Unknown);
    let fake = Fake::start(|_| Reply::raw(200, "{\"data\": [")).await;
    let err = provider(&fake)
        .submit(&image_request(vec![]), &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Unknown);
}

#[tokio::test]
async fn connection_check_lists_models_and_tells_a_wrong_key_from_an_outage() {
    let fake = Fake::start(|req| match req.header("authorization") {
        Some("Bearer sk-test") => Reply::json(200, json!({"object": "list", "data": []})),
        _ => Reply::json(
            401,
            json!({"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}),
        ),
    })
    .await;
    assert_eq!(provider(&fake).check_connection().await, Ok(()));
    let req = fake.single();
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("GET", "/v1/models")
    );
    let wrong = OpenAiProvider::new("sk-wrong", format!("{}/v1", fake.base), fast_http()).unwrap();
    assert_eq!(
        wrong.check_connection().await.unwrap_err().kind,
        ProviderErrorKind::Auth
    );
    let down = Fake::start(|_| Reply::json(503, json!({"error": {"message": "overloaded"}}))).await;
    assert_eq!(
        provider(&down).check_connection().await.unwrap_err().kind,
        ProviderErrorKind::Transient
    );
}
