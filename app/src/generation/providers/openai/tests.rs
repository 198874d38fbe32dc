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
            images: Vec::new(),
        },
        ChatMessage {
            role: "user".into(),
            content: "hi".into(),
            images: Vec::new(),
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

/// Checks a chat completion request as OpenAI does (the fields and types it
/// insists on), answering its 400 when something is wrong.
/// Content as the API takes it: text, or (from a user) content parts, each
/// `{"type": "text", "text": …}` or `{"type": "image_url", "image_url": {"url": …}}`.
fn content_ok(message: &serde_json::Value) -> bool {
    let content = &message["content"];
    if content.is_string() {
        return true;
    }
    let Some(parts) = content.as_array().filter(|p| !p.is_empty()) else {
        return false;
    };
    message["role"] == "user"
        && parts.iter().all(|part| match part["type"].as_str() {
            Some("text") => part["text"].is_string(),
            Some("image_url") => part["image_url"]["url"].as_str().is_some_and(|u| {
                u.starts_with("https://")
                    || u.starts_with("http://")
                    || u.starts_with("data:image/")
            }),
            _ => false,
        })
}

fn check_agent_request(
    req: &crate::generation::providers::test_support::Recorded,
) -> Option<Reply> {
    let bad = |message: &str| {
        Some(Reply::json(
            400,
            json!({"error": {"message": message, "type": "invalid_request_error"}}),
        ))
    };
    if req.path != "/v1/chat/completions" || req.method != reqwest::Method::POST {
        return Some(Reply::json(
            404,
            json!({"error": {"message": "Unknown URL"}}),
        ));
    }
    if req.header("authorization") != Some("Bearer sk-test") {
        return Some(Reply::json(
            401,
            json!({"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}),
        ));
    }
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&req.body) else {
        return bad("We could not parse the JSON body of your request.");
    };
    if !body["model"].is_string() {
        return bad("you must provide a model parameter");
    }
    let Some(messages) = body["messages"].as_array().filter(|m| !m.is_empty()) else {
        return bad("'messages' must be a non-empty array");
    };
    for m in messages {
        let role_ok = matches!(m["role"].as_str(), Some("system" | "user" | "assistant"));
        if !role_ok || !content_ok(m) {
            return bad("Invalid message");
        }
    }
    if let Some(tools) = body.get("tools") {
        let Some(tools) = tools.as_array() else {
            return bad("'tools' must be an array");
        };
        for tool in tools {
            let f = &tool["function"];
            if tool["type"] != "function" || !f["name"].is_string() || !f["parameters"].is_object()
            {
                return bad("Invalid tool");
            }
        }
    }
    None
}

fn chunk(delta: serde_json::Value, finish: Option<&str>) -> String {
    format!(
        "data: {}\n\n",
        json!({"id": "c1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
    )
}

/// Cuts `stream` into pieces at the given byte offsets (leaked: the fake wants `'static`).
fn cut_at(stream: String, cuts: &[usize]) -> Vec<&'static str> {
    let stream: &'static str = Box::leak(stream.into_boxed_str());
    let mut pieces = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        pieces.push(&stream[start..cut]);
        start = cut;
    }
    pieces.push(&stream[start..]);
    pieces
}

#[tokio::test]
async fn agent_turns_the_tool_call_into_tagged_suggestions_split_anywhere() {
    let args = r#"{"images": [{"title": "Storm", "prompt": "a lighthouse in a storm", "aspect_ratio": "16:9"}, {"title": "Calm", "prompt": "a lighthouse at dawn", "aspect_ratio": "4:5"}]}"#;
    let mut stream = String::new();
    stream.push_str(&chunk(json!({"role": "assistant", "content": ""}), None));
    for piece in [
        "<thi",
        "nk>belief_prompt: a light",
        "house\n</th",
        "ink>Two id",
        "eas.",
    ] {
        stream.push_str(&chunk(json!({"content": piece}), None));
    }
    stream.push_str(&chunk(
        json!({"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "propose_images", "arguments": ""}}]}),
        None,
    ));
    let (a, b) = args.split_at(args.find("dawn").unwrap());
    for piece in [&a[..30], &a[30..], b] {
        stream.push_str(&chunk(
            json!({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}),
            None,
        ));
    }
    stream.push_str(&chunk(json!({}), Some("tool_calls")));
    stream.push_str("data: [DONE]\n\n");
    // Network reads split the events themselves too: mid-word and mid-JSON.
    let cuts: Vec<usize> = (1..8).map(|i| i * stream.len() / 8).collect();
    let pieces = cut_at(stream, &cuts);
    let fake = Fake::start(move |req| {
        check_agent_request(req)
            .unwrap_or_else(|| Reply::chunked(200, "text/event-stream", pieces.clone()))
    })
    .await;
    let mut all = messages();
    all.push(ChatMessage {
        role: "assistant".into(),
        content: "earlier".into(),
        images: Vec::new(),
    });
    all.push(ChatMessage {
        role: "user".into(),
        content: "again".into(),
        images: Vec::new(),
    });
    let stream = provider(&fake)
        .stream_agent("gpt-4.1-mini", &all)
        .await
        .unwrap();
    let text: String = stream
        .map(|r| r.unwrap())
        .collect::<Vec<_>>()
        .await
        .concat();
    let reply = crate::chat::reply::parse_reply(&text, true);
    assert_eq!(reply.think.unwrap().belief_prompt, "a lighthouse");
    assert_eq!(reply.text, "Two ideas.");
    assert_eq!(reply.suggestions.len(), 2, "{text}");
    assert_eq!(reply.suggestions[1].aspect_ratio, "4:5");
    let body = fake.single().json();
    assert_eq!(body["tools"][0]["function"]["name"], "propose_images");
    assert_eq!(body["stream"], true);
}

#[tokio::test]
async fn attached_images_go_as_image_url_content_parts() {
    let fake = Fake::start(|req| {
        check_agent_request(req).unwrap_or_else(|| {
            Reply::chunked(
                200,
                "text/event-stream",
                vec!["data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\ndata: [DONE]\n\n"],
            )
        })
    })
    .await;
    let mut all = messages();
    all[1].images = vec![
        "data:image/png;base64,iVBORw0KGgo=".into(),
        "https://media.example.com/a.webp".into(),
    ];
    let text: String = provider(&fake)
        .stream_agent("m", &all)
        .await
        .unwrap()
        .map(|r| r.unwrap())
        .collect::<Vec<_>>()
        .await
        .concat();
    assert_eq!(text, "ok");
    let body = fake.single().json();
    assert_eq!(body["messages"][0]["content"], "be brief");
    assert_eq!(
        body["messages"][1]["content"],
        json!([
            {"type": "text", "text": "hi"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
            {"type": "image_url", "image_url": {"url": "https://media.example.com/a.webp"}},
        ])
    );
}

#[tokio::test]
async fn agent_errors_are_classified() {
    for (status, body, kind) in [
        (
            401,
            json!({"error": {"message": "Incorrect API key provided"}}),
            ProviderErrorKind::Auth,
        ),
        (
            429,
            json!({"error": {"message": "You exceeded your current quota", "code": "insufficient_quota"}}),
            ProviderErrorKind::Quota,
        ),
        (
            500,
            json!({"error": {"message": "The server had an error"}}),
            ProviderErrorKind::Transient,
        ),
    ] {
        let fake = Fake::start(move |_| Reply::json(status, body.clone())).await;
        let error = provider(&fake)
            .stream_agent("m", &messages())
            .await
            .err()
            .unwrap();
        assert_eq!(error.kind, kind, "{status}");
    }
}

#[tokio::test]
async fn a_request_the_api_would_refuse_is_refused_by_the_fake() {
    let fake =
        Fake::start(|req| check_agent_request(req).unwrap_or_else(|| Reply::json(200, json!({}))))
            .await;
    let bad = vec![ChatMessage {
        role: "robot".into(),
        content: "hi".into(),
        images: Vec::new(),
    }];
    let error = provider(&fake).stream_agent("m", &bad).await.err().unwrap();
    assert_eq!(error.kind, ProviderErrorKind::RejectedInput);
}
