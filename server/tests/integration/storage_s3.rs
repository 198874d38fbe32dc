use std::time::Duration;

use app::platform::clock::ManualClock;
use app::platform::storage::{DownloadOptions, StorageKey};
use bytes::Bytes;
use chrono::Utc;
use server::testing::{S3TestServer, TestApp};

const BUCKET: &str = "framewright-media";

async fn app_on_s3(s3: &S3TestServer, clock: ManualClock) -> TestApp {
    let mut builder = TestApp::builder().clock(clock);
    for (k, v) in s3.vars(BUCKET) {
        builder = builder.var(k, v);
    }
    let app = builder.spawn().await;
    app.create_s3_bucket().await;
    app
}

#[tokio::test]
async fn s3_round_trip_with_presigned_urls_expiry_and_tampering() {
    let s3 = S3TestServer::start().await;
    let clock = ManualClock::new(Utc::now());
    let app = app_on_s3(&s3, clock.clone()).await;
    let storage = &app.state.storage;
    assert_eq!(storage.kind(), "s3");
    assert_eq!(
        reqwest::get(app.url("/readyz")).await.unwrap().status(),
        200
    );

    let key = StorageKey::parse("u/1/still.webp").unwrap();
    storage
        .put(&key, Bytes::from_static(b"RIFF....WEBPVP8 "), "image/webp")
        .await
        .unwrap();
    assert_eq!(storage.head(&key).await.unwrap().unwrap().size, 16);
    assert_eq!(
        storage.get(&key).await.unwrap().as_ref(),
        b"RIFF....WEBPVP8 "
    );

    let options = DownloadOptions {
        content_type: Some("image/webp".into()),
        file_name: Some("still.webp".into()),
    };
    let url = storage
        .signed_get_url(&key, Duration::from_secs(60), &options)
        .await
        .unwrap();
    assert!(url.starts_with(&s3.endpoint), "{url}");
    let response = reqwest::get(&url).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        b"RIFF....WEBPVP8 "
    );

    // A flipped signature character is refused by the server.
    let sig_start = url.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
    let mut tampered = url.clone();
    let c = &url[sig_start..sig_start + 1];
    tampered.replace_range(sig_start..sig_start + 1, if c == "0" { "1" } else { "0" });
    assert_eq!(reqwest::get(&tampered).await.unwrap().status(), 403);

    // A URL signed two hours ago for one minute has expired.
    clock.advance(chrono::Duration::hours(-2));
    let old = storage
        .signed_get_url(&key, Duration::from_secs(60), &options)
        .await
        .unwrap();
    assert_eq!(reqwest::get(&old).await.unwrap().status(), 403);
    clock.advance(chrono::Duration::hours(2));

    storage.delete(&key).await.unwrap();
    assert!(storage.head(&key).await.unwrap().is_none());
}

#[tokio::test]
async fn s3_presigned_upload() {
    let s3 = S3TestServer::start().await;
    let app = app_on_s3(&s3, ManualClock::new(Utc::now())).await;
    let key = StorageKey::parse("u/1/upload.png").unwrap();
    let body = b"\x89PNG\r\n\x1a\nbytes";
    let url = app
        .state
        .storage
        .signed_put_url(
            &key,
            Duration::from_secs(300),
            "image/png",
            body.len() as u64,
        )
        .await
        .unwrap();
    let response = reqwest::Client::new()
        .put(&url)
        .header("content-type", "image/png")
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
    assert_eq!(app.state.storage.get(&key).await.unwrap().as_ref(), body);
}

#[tokio::test]
async fn with_a_cdn_configured_links_are_signed_cdn_urls() {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let s3 = S3TestServer::start().await;
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 1024).unwrap();
    let pem = key.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
    let mut builder = TestApp::builder()
        .var("CDN_URL", "https://media.example.com/")
        .var("CDN_KEY_PAIR_ID", "K2JCJMDEHXQW5F")
        .var("CDN_PRIVATE_KEY", pem.replace('\n', "\\n"));
    for (k, v) in s3.vars(BUCKET) {
        builder = builder.var(k, v);
    }
    let app = builder.spawn().await;
    let key = StorageKey::parse("u/1/still.png").unwrap();
    let url = app
        .state
        .storage
        .signed_get_url(
            &key,
            Duration::from_secs(60),
            &DownloadOptions {
                content_type: Some("image/png".into()),
                file_name: Some("still.png".into()),
            },
        )
        .await
        .unwrap();
    assert!(
        url.starts_with("https://media.example.com/u/1/still.png?"),
        "{url}"
    );
    assert!(
        url.contains("response-content-disposition=attachment"),
        "{url}"
    );
    assert!(
        url.contains("&Key-Pair-Id=K2JCJMDEHXQW5F") && url.contains("&Signature="),
        "{url}"
    );
}
