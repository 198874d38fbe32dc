//! What a hostile pass against a running server found (issue #14), each as a
//! test that failed before its fix: confirmed uploads that took new bytes, the
//! outbox read over the network, paging that panicked, missing security
//! headers, connections held open forever, unbounded grants, a quota beaten by
//! concurrent starts, undecodable bodies answered with 500, wildcard searches,
//! unbounded event streams, and a panic on an unknown API path.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, COOKIE};
use serde_json::{Value, json};
use server::testing::{S3TestServer, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::auth_support::{client, client_from, sign_in};
use super::library_support::{absolute, put};

/// Calls a JSON server function with `token`'s session; status and body.
async fn post_json(app: &TestApp, token: &str, endpoint: &str, body: Value) -> (u16, Value) {
    answer(
        client()
            .post(app.url(endpoint))
            .header(COOKIE, format!("fw_at={token}"))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Calls a form server function with `token`'s session; status and body.
async fn post_form(
    app: &TestApp,
    token: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    answer(
        client()
            .post(app.url(endpoint))
            .header(COOKIE, format!("fw_at={token}"))
            .form(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn answer(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn put_bytes(app: &TestApp, url: &str, bytes: Vec<u8>) -> u16 {
    put(app, url, "image/png", bytes).await
}

fn png() -> Vec<u8> {
    app::media::RgbImage::new(64, 32).to_png().unwrap()
}

/// Uploads a PNG through slot, PUT and confirm; returns the PUT URL and the item.
async fn upload_png(app: &TestApp, token: &str) -> (String, Value, Vec<u8>) {
    let bytes = png();
    let (status, ticket) = post_json(
        app,
        token,
        "/api/uploads/start",
        json!({"file_name": "a.png", "content_type": "image/png", "size": bytes.len(), "collection_id": null}),
    )
    .await;
    assert_eq!(status, 200, "{ticket}");
    let url = ticket["urls"][0]["url"].as_str().unwrap().to_string();
    assert_eq!(put_bytes(app, &url, bytes.clone()).await / 100, 2);
    let (status, item) = post_json(
        app,
        token,
        "/api/uploads/complete",
        json!({"upload_id": ticket["id"]}),
    )
    .await;
    assert_eq!(status, 200, "{item}");
    (url, item, bytes)
}

async fn downloaded(app: &TestApp, item: &Value) -> Vec<u8> {
    let url = item["media"]["url"].as_str().unwrap();
    let response = reqwest::get(absolute(app, url)).await.unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

/// A PNG signature in front of a script: what an attacker would swap in.
fn hostile_bytes() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>".to_vec();
    bytes.resize(png().len(), b' ');
    bytes
}

#[tokio::test]
async fn a_confirmed_upload_on_disk_takes_no_more_bytes() {
    let app = TestApp::spawn().await;
    let (token, _) = sign_in(&app, "uploader@example.com").await;
    let (url, item, original) = upload_png(&app, &token).await;
    // The signed URL is dead once the upload is confirmed.
    assert_eq!(put_bytes(&app, &url, hostile_bytes()).await, 409);
    assert_eq!(downloaded(&app, &item).await, original);
    // Another account holding the URL cannot use it either.
    let _ = sign_in(&app, "other@example.com").await;
    assert_eq!(put_bytes(&app, &url, hostile_bytes()).await, 409);
    assert_eq!(downloaded(&app, &item).await, original);
}

#[tokio::test]
async fn a_confirmed_upload_on_s3_keeps_the_bytes_that_were_checked() {
    let s3 = S3TestServer::start().await;
    let mut builder = TestApp::builder();
    for (k, v) in s3.vars("framewright-hardening") {
        builder = builder.var(k, v);
    }
    let app = builder.spawn().await;
    app.create_s3_bucket().await;
    let (token, _) = sign_in(&app, "uploader@example.com").await;
    let (url, item, original) = upload_png(&app, &token).await;
    // S3 honours its presigned URL until it expires, but it points at the
    // staging key: the checked bytes were moved away from it.
    let _ = put_bytes(&app, &url, hostile_bytes()).await;
    assert_eq!(downloaded(&app, &item).await, original);
    assert!(
        !item["media"]["url"]
            .as_str()
            .unwrap()
            .contains(".incoming."),
        "the media lives at its own key"
    );
}

/// A non-loopback address of this machine (where the default route leaves from).
fn this_machines_address() -> String {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    // Nothing is sent: connecting a UDP socket only picks the route.
    socket
        .connect("203.0.113.1:9")
        .expect("a default route to find this machine's address");
    let ip = socket.local_addr().unwrap().ip();
    assert!(!ip.is_loopback(), "{ip}");
    ip.to_string()
}

#[tokio::test]
async fn the_outbox_is_readable_only_from_this_machine() {
    // The default PUBLIC_URL (localhost) while listening on every interface.
    let app = TestApp::builder().on_all_interfaces().spawn().await;
    let _ = client()
        .post(app.url("/api/auth/request-code"))
        .form(&[("email", "victim@example.com")])
        .send()
        .await
        .unwrap();
    let local = client()
        .post(app.url("/api/outbox/list"))
        .send()
        .await
        .unwrap();
    assert_eq!(local.status(), 200);
    assert!(local.text().await.unwrap().contains("victim@example.com"));

    let ip = this_machines_address();
    let remote = client_from(&ip)
        .post(format!("http://{ip}:{}/api/outbox/list", app.addr.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(remote.status(), 403);
    assert!(!remote.text().await.unwrap().contains("victim@example.com"));
    // Nor does the sign-in page offer the link to a remote visitor.
    let (_, options) = answer(
        client_from(&ip)
            .post(format!("http://{ip}:{}/api/auth/options", app.addr.port()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(options["outbox_link"], false, "{options}");
}

#[tokio::test]
async fn huge_pages_are_refused_naming_the_page() {
    let app = TestApp::spawn().await;
    let (token, _) = sign_in(&app, "pager@example.com").await;
    for page in ["18446744073709551615", "9223372036854775808", "100001"] {
        let (status, body) =
            post_form(&app, &token, "/api/generations/list", &[("page", page)]).await;
        assert_eq!(status, 400, "{page}: {body}");
        assert_eq!(body["field"], "page", "{body}");
    }
    let items = |page: u64| {
        post_json(
            &app,
            &token,
            "/api/library/items/list",
            json!({"query": {"page": page}}),
        )
    };
    assert_eq!(items(0).await.0, 200);
    let (status, body) = items(9223372036854775807).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "page", "{body}");
    let (status, _) = post_form(&app, &token, "/api/credits/mine", &[("page", "100001")]).await;
    assert_eq!(status, 400);
    // A negative page is undecodable: 400, not 500.
    let (status, body) = post_form(&app, &token, "/api/generations/list", &[("page", "-1")]).await;
    assert_eq!(status, 400, "{body}");
    // And the server is still there.
    let (status, _) = post_form(&app, &token, "/api/generations/list", &[("page", "0")]).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let (token, _) = sign_in(&app, "headers@example.com").await;
    let page = client().get(app.url("/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = page.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page policy has a nonce");
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // Every inline script of the page carries that nonce, and no other.
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty());
    for script in scripts {
        let tag = script.split('>').next().unwrap();
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{tag}");
    }
    // A second page gets a fresh nonce.
    let again = client().get(app.url("/")).send().await.unwrap();
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(nonce)
    );

    let responses = [
        client()
            .post(app.url("/api/auth/me"))
            .header(COOKIE, format!("fw_at={token}"))
            .send()
            .await
            .unwrap(),
        client().get(app.url("/events")).send().await.unwrap(),
        client()
            .get(app.url("/media/u/x/y.png"))
            .send()
            .await
            .unwrap(),
        client()
            .get(app.url("/pkg/does-not-exist.js"))
            .send()
            .await
            .unwrap(),
        client()
            .post(app.url("/api/nope/nope"))
            .send()
            .await
            .unwrap(),
    ];
    for response in &responses {
        let headers = response.headers();
        let url = response.url();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{url}");
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{url}"
        );
        assert_eq!(headers["x-frame-options"], "DENY", "{url}");
        assert!(
            headers["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("camera=()"),
            "{url}"
        );
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{url}"
        );
        assert!(
            headers.get("strict-transport-security").is_none(),
            "http: no HSTS"
        );
    }
}

/// Reads until the server closes the connection; false if it is still open after `within`.
async fn closed_within(stream: &mut tokio::net::TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn slow_or_silent_clients_are_dropped_and_each_peer_has_a_cap() {
    let app = TestApp::builder()
        .var("HTTP_HEADER_TIMEOUT_SECS", "1")
        .var("MAX_CONNECTIONS_PER_PEER", "4")
        .spawn()
        .await;
    // Silent.
    let mut silent = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    // Half a request.
    let mut partial = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    assert!(closed_within(&mut silent, Duration::from_secs(5)).await);
    assert!(closed_within(&mut partial, Duration::from_secs(5)).await);
    // Idle after a whole request and its answer (kept alive).
    let mut idle = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(
        closed_within(&mut idle, Duration::from_secs(5)).await,
        "an idle kept-alive connection is closed"
    );

    // Four open connections from one address are the most it may hold.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(tokio::net::TcpStream::connect(app.addr).await.unwrap());
    }
    let mut fifth = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    assert!(
        closed_within(&mut fifth, Duration::from_millis(500)).await,
        "the fifth is closed at once"
    );
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let ok = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn grants_and_balances_are_capped_and_the_summary_stays_whole() {
    let app = TestApp::builder()
        .var("ADMIN_EMAILS", "boss@example.com")
        .spawn()
        .await;
    let (admin, _) = sign_in(&app, "boss@example.com").await;
    let (user, _) = sign_in(&app, "rich@example.com").await;
    let (_, me) = post_form(&app, &user, "/api/auth/me", &[]).await;
    let user_id = me["id"].as_str().unwrap().to_string();
    let grant = |amount: &'static str| {
        let (app, admin, user_id) = (&app, admin.clone(), user_id.clone());
        async move {
            post_form(
                app,
                &admin,
                "/api/admin/credits/adjust",
                &[
                    ("user_id", &user_id),
                    ("amount", amount),
                    ("reason", "test"),
                ],
            )
            .await
        }
    };
    let (status, body) = grant("9223372036854775807").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["reason"], "error-reason-amount-cap", "{body}");
    let (status, body) = grant("1000000000").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = grant("1").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["reason"], "error-reason-balance-cap", "{body}");
    let (status, body) = post_form(
        &app,
        &admin,
        "/api/admin/credits/summary",
        &[
            ("filter[email]", ""),
            ("filter[kind]", ""),
            ("filter[from]", ""),
            ("filter[to]", ""),
            ("period", "day"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body[0]["granted"], 1_000_000_000, "{body}");
    // An amount written as a float is undecodable: 400.
    let (status, _) = grant("1e3").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn concurrent_upload_starts_cannot_beat_the_quota() {
    let app = TestApp::builder()
        .var("STORAGE_QUOTA_MB", "5")
        .spawn()
        .await;
    let (token, _) = sign_in(&app, "hoarder@example.com").await;
    let starts = (0..20).map(|i| {
        let (app, token) = (&app, token.clone());
        async move {
            post_json(
                app,
                &token,
                "/api/uploads/start",
                json!({"file_name": format!("{i}.png"), "content_type": "image/png", "size": 1024 * 1024, "collection_id": null}),
            )
            .await
            .0
        }
    });
    let statuses = futures::future::join_all(starts).await;
    let accepted = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(accepted, 5, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 413),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn undecodable_or_oversized_bodies_are_client_errors() {
    let app = TestApp::spawn().await;
    let (token, _) = sign_in(&app, "fuzzer@example.com").await;
    // 3 MiB of form data to a server function.
    let big = "x".repeat(3 * 1024 * 1024);
    let (status, body) = post_form(
        &app,
        &token,
        "/api/profile/update",
        &[("display_name", &big)],
    )
    .await;
    assert_eq!(status, 413, "{body}");
    // JSON nested far too deep.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let response = client()
        .post(app.url("/api/library/items/list"))
        .header(COOKIE, format!("fw_at={token}"))
        .header(CONTENT_TYPE, "application/json")
        .body(deep)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    // A wrong type where a boolean goes.
    let (status, _) = post_form(
        &app,
        &token,
        "/api/admin/users/disabled",
        &[("user_id", "x"), ("disabled", "maybe")],
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn user_search_is_bounded_and_matches_wildcards_literally() {
    let app = TestApp::builder()
        .var("ADMIN_EMAILS", "boss@example.com")
        .spawn()
        .await;
    let (admin, _) = sign_in(&app, "boss@example.com").await;
    let _ = sign_in(&app, "someone@example.com").await;
    let (status, body) = post_form(&app, &admin, "/api/admin/users/list", &[("query", "%")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body.as_array().unwrap().len(),
        0,
        "`%` is a character, not a wildcard: {body}"
    );
    let (status, body) =
        post_form(&app, &admin, "/api/admin/users/list", &[("query", "some")]).await;
    assert_eq!((status, body.as_array().unwrap().len()), (200, 1));
    let long = "a".repeat(201);
    let (status, body) =
        post_form(&app, &admin, "/api/admin/users/list", &[("query", &long)]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "query");
}

#[tokio::test]
async fn an_account_holds_a_bounded_number_of_event_streams() {
    let app = TestApp::builder()
        .var("MAX_STREAMS_PER_ACCOUNT", "2")
        .spawn()
        .await;
    let (token, _) = sign_in(&app, "tabs@example.com").await;
    let open = || async {
        let response = client()
            .get(app.url("/events"))
            .header(COOKIE, format!("fw_at={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response
    };
    let mut oldest = open().await;
    let _second = open().await;
    let _third = open().await;
    // The oldest stream is closed by the server: its body ends.
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Ok(Some(_)) = oldest.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the oldest stream was closed");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = TestApp::spawn().await;
    for _ in 0..2 {
        let response = client()
            .post(app.url("/api/nope/nope"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body, json!({"error": {"code": "not_found"}}));
    }
    let page = client().get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("<html"));
}
