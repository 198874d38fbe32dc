use std::time::Duration;

use app::platform::clock::ManualClock;
use app::platform::storage::{DownloadOptions, StorageKey};
use bytes::Bytes;
use chrono::Utc;
use server::testing::TestApp;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot really an image";

async fn app_with_clock() -> (TestApp, ManualClock) {
    let clock = ManualClock::new(Utc::now());
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    (app, clock)
}

#[tokio::test]
async fn a_signed_url_serves_the_file_until_it_expires() {
    let (app, clock) = app_with_clock().await;
    let key = StorageKey::parse("u/1/cat.png").unwrap();
    app.state
        .storage
        .put(&key, Bytes::from_static(PNG), "image/png")
        .await
        .unwrap();
    let options = DownloadOptions {
        content_type: Some("image/png".into()),
        file_name: Some("My cat.png".into()),
    };
    let url = app
        .state
        .storage
        .signed_get_url(&key, Duration::from_secs(60), &options)
        .await
        .unwrap();
    assert!(url.starts_with("/media/u/1/cat.png?"), "{url}");

    let response = reqwest::get(app.url(&url)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"My cat.png\"; filename*=UTF-8''My%20cat.png"
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), PNG);

    // Range requests work (video seeking).
    let partial = reqwest::Client::new()
        .get(app.url(&url))
        .header("range", "bytes=0-3")
        .send()
        .await
        .unwrap();
    assert_eq!(partial.status(), 206);
    assert_eq!(partial.bytes().await.unwrap().as_ref(), &PNG[..4]);

    clock.advance(chrono::Duration::seconds(60));
    assert_eq!(
        reqwest::get(app.url(&url)).await.unwrap().status(),
        200,
        "valid through its last second"
    );
    clock.advance(chrono::Duration::seconds(1));
    assert_eq!(
        reqwest::get(app.url(&url)).await.unwrap().status(),
        403,
        "expired"
    );
}

#[tokio::test]
async fn tampered_or_missing_signatures_are_refused() {
    let (app, _clock) = app_with_clock().await;
    for name in ["a.png", "b.png"] {
        let key = StorageKey::parse(&format!("u/1/{name}")).unwrap();
        app.state
            .storage
            .put(&key, Bytes::from_static(PNG), "image/png")
            .await
            .unwrap();
    }
    let key = StorageKey::parse("u/1/a.png").unwrap();
    let url = app
        .state
        .storage
        .signed_get_url(&key, Duration::from_secs(60), &DownloadOptions::default())
        .await
        .unwrap();
    let (path, query) = url.split_once('?').unwrap();
    let sig = query.rsplit_once("sig=").unwrap().1;
    let mut flipped = sig.to_string();
    let last = flipped.pop().unwrap();
    flipped.push(if last == 'A' { 'B' } else { 'A' });
    let tampered = [
        url.replace(sig, &flipped),
        url.replace("a.png", "b.png"),
        url.replace("exp=", "exp=9"),
        format!("{url}&ct=text/html"),
        path.to_string(),
        format!("{path}?exp=99999999999"),
    ];
    for bad in tampered {
        let response = reqwest::get(app.url(&bad)).await.unwrap();
        assert_eq!(response.status(), 403, "{bad}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "forbidden");
    }
}

#[tokio::test]
async fn a_signed_upload_url_accepts_the_signed_size_and_type_only() {
    let (app, clock) = app_with_clock().await;
    let key = StorageKey::parse("u/1/upload.png").unwrap();
    open_slot(&app, &key, app.state.clock.now()).await;
    let url = app
        .state
        .storage
        .signed_put_url(
            &key,
            Duration::from_secs(300),
            "image/png",
            PNG.len() as u64,
        )
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let too_big = [PNG, b"!"].concat();
    let response = client
        .put(app.url(&url))
        .header("content-type", "image/png")
        .body(too_big)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert!(
        app.state.storage.head(&key).await.unwrap().is_none(),
        "nothing stored"
    );

    let response = client
        .put(app.url(&url))
        .header("content-type", "text/html")
        .body(PNG)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);

    let response = client
        .put(app.url(&url))
        .header("content-type", "image/png")
        .body(PNG)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(app.state.storage.get(&key).await.unwrap().as_ref(), PNG);

    clock.advance(chrono::Duration::seconds(301));
    let response = client
        .put(app.url(&url))
        .header("content-type", "image/png")
        .body(PNG)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403, "expired upload URL");
}

#[tokio::test]
async fn storage_round_trip_head_and_delete() {
    let app = TestApp::spawn().await;
    let key = StorageKey::parse("u/2/clip.mp4").unwrap();
    assert!(app.state.storage.head(&key).await.unwrap().is_none());
    app.state
        .storage
        .put(&key, Bytes::from_static(b"0123456789"), "video/mp4")
        .await
        .unwrap();
    assert_eq!(
        app.state.storage.head(&key).await.unwrap().unwrap().size,
        10
    );
    app.state.storage.delete(&key).await.unwrap();
    assert!(app.state.storage.head(&key).await.unwrap().is_none());
    app.state.storage.delete(&key).await.unwrap();
}

/// An open upload slot for `key`: the media route takes bytes only for one.
async fn open_slot(app: &TestApp, key: &StorageKey, now: chrono::DateTime<chrono::Utc>) {
    use app::entities::{upload, user};
    use sea_orm::{ActiveModelTrait, Set};
    let owner = user::ActiveModel::new_account("slot-owner@example.com", "user", None, now)
        .insert(&app.state.db)
        .await
        .unwrap()
        .id;
    upload::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        owner_id: Set(owner),
        collection_id: Set(None),
        storage_key: Set(key.as_str().to_string()),
        file_name: Set("upload.png".into()),
        content_type: Set("image/png".into()),
        size_bytes: Set(PNG.len() as i64),
        multipart_id: Set(None),
        part_size: Set(8 << 20),
        status: Set("pending".into()),
        item_id: Set(None),
        error: Set(None),
        expires_at: Set(now + chrono::Duration::hours(1)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
}
