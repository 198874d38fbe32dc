//! Uploads through slot, direct PUT and confirm, on disk and on S3: every
//! refusal leaves nothing stored, what is accepted is what was declared.

use app::assets::view::{ItemDetails, ItemView, LibraryTree, UploadTicket};
use app::entities::{item, media, upload};
use app::error::AppError;
use app::platform::clock::ManualClock;
use app::platform::storage::StorageKey;
use chrono::Utc;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use server::testing::TestApp;

use super::library_support::{
    Library, Store, complete, fetch, put, send_parts, start_upload, upload,
};
use super::person::TestUser;

const MIB: u64 = 1024 * 1024;

async fn counts(app: &TestApp) -> (u64, u64) {
    (
        media::Entity::find().count(&app.state.db).await.unwrap(),
        item::Entity::find().count(&app.state.db).await.unwrap(),
    )
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG that claims `width`×`height` pixels but carries almost no data.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
        out
    };
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    // A stored (uncompressed) zlib block of zeros: valid, tiny, far too short.
    png.extend(chunk(
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 0, 0, 0, 0, 0, 0x04, 0x00, 0x01,
        ],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// A WAV file of `len` bytes (silence).
fn wav(len: usize) -> Vec<u8> {
    let mut out = b"RIFF".to_vec();
    out.extend(((len - 8) as u32).to_le_bytes());
    out.extend(b"WAVEfmt ");
    out.extend(16u32.to_le_bytes());
    out.extend([1, 0, 1, 0]);
    out.extend(8000u32.to_le_bytes());
    out.extend(8000u32.to_le_bytes());
    out.extend([1, 0, 8, 0]);
    out.extend(b"data");
    out.extend(((len - 44) as u32).to_le_bytes());
    out.resize(len, 0x80);
    out
}

fn mp4_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut out = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(payload);
    out
}

/// An MP4 with its movie header at the end (as cameras write it): 3 s, 320×240.
fn mp4(with_moov: bool) -> Vec<u8> {
    let mut file = mp4_box(b"ftyp", b"isom\0\0\x02\0isomiso2mp41");
    file.extend(mp4_box(b"mdat", &[0u8; 4096]));
    if with_moov {
        let mut mvhd = vec![0u8; 100];
        mvhd[12..16].copy_from_slice(&600u32.to_be_bytes());
        mvhd[16..20].copy_from_slice(&1800u32.to_be_bytes());
        let mut tkhd = vec![0u8; 84];
        tkhd[76..80].copy_from_slice(&(320u32 << 16).to_be_bytes());
        tkhd[80..84].copy_from_slice(&(240u32 << 16).to_be_bytes());
        let mut moov = mp4_box(b"mvhd", &mvhd);
        moov.extend(mp4_box(b"trak", &mp4_box(b"tkhd", &tkhd)));
        file.extend(mp4_box(b"moov", &moov));
    }
    file
}

/// A ticket for the first part only (as if the connection dropped after it).
fn first_part_only(ticket: &UploadTicket) -> UploadTicket {
    UploadTicket {
        urls: vec![ticket.urls[0].clone()],
        ..ticket.clone()
    }
}

async fn refusals_leave_nothing_stored(store: Store) {
    let clock = ManualClock::new(Utc::now());
    let library = Library::start(store, TestApp::builder().clock(clock.clone())).await;
    let app = &library.app;
    let ada = TestUser::sign_in(app, "ada@example.com").await;
    let png = app::generation::local::render_image(
        "a fox",
        "1:1",
        app::generation::local::SizeClass::Small,
    )
    .unwrap();

    let stranger = ada.with_token("not-a-token");
    assert_eq!(
        start_upload(&stranger, "a.png", "image/png", 10, None)
            .await
            .err(),
        AppError::Unauthorized
    );

    let refused = start_upload(&ada, "a.png", "image/png", 0, None)
        .await
        .err();
    assert_eq!(
        refused,
        AppError::invalid("file", "error-reason-empty-file")
    );
    assert_eq!(
        start_upload(&ada, "x.svg", "image/svg+xml", 100, None)
            .await
            .err(),
        AppError::UnsupportedMediaType
    );
    // One byte over the limit is refused before anything is sent.
    assert_eq!(
        start_upload(&ada, "big.png", "image/png", 20 * MIB + 1, None)
            .await
            .err(),
        AppError::PayloadTooLarge { limit: 20 * MIB }
    );
    start_upload(&ada, "big.png", "image/png", 20 * MIB, None)
        .await
        .view::<UploadTicket>();

    // More bytes than the slot was opened for are refused by the storage.
    let ticket: UploadTicket = start_upload(&ada, "a.png", "image/png", png.len() as u64, None)
        .await
        .view();
    let url = &ticket.urls[0].url;
    let mut longer = png.clone();
    longer.push(0);
    let status = put(app, url, "image/png", longer).await;
    assert!(status == 413 || status == 403, "{status}");
    let refused = complete(&ada, &ticket.id).await.err();
    assert_eq!(
        refused,
        AppError::invalid("file", "error-reason-upload-incomplete")
    );

    // Bytes that are not what was declared: 415, and the bytes are deleted.
    assert_eq!(
        upload(&ada, "a.jpg", "image/jpeg", &png, None).await.err(),
        AppError::UnsupportedMediaType
    );
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    assert_eq!(
        upload(&ada, "a.png", "image/png", svg, None).await.err(),
        AppError::UnsupportedMediaType
    );
    let refused = upload(
        &ada,
        "bomb.png",
        "image/png",
        &png_claiming(60_000, 60_000),
        None,
    )
    .await
    .err();
    assert_eq!(
        refused,
        AppError::invalid("file", "error-reason-too-many-pixels")
    );
    let refused = upload(&ada, "clip.mp4", "video/mp4", &mp4(false), None)
        .await
        .err();
    assert_eq!(
        refused,
        AppError::invalid("file", "error-reason-not-a-video")
    );
    assert_eq!(counts(app).await, (0, 0), "nothing refused was kept");
    for row in upload::Entity::find().all(&app.state.db).await.unwrap() {
        if row.status == "failed" {
            let key = StorageKey::parse(&row.storage_key).unwrap();
            assert!(
                app.state.storage.head(&key).await.unwrap().is_none(),
                "{}",
                row.file_name
            );
            // A refused upload cannot be confirmed again.
            assert_eq!(
                complete(&ada, &row.id.to_string()).await.err(),
                AppError::Conflict {
                    what: "upload_closed".into()
                }
            );
        }
    }

    // An expired link is refused (signed two hours ago for one hour).
    clock.advance(chrono::Duration::hours(-2));
    let old: UploadTicket = start_upload(&ada, "late.png", "image/png", png.len() as u64, None)
        .await
        .view();
    clock.advance(chrono::Duration::hours(2));
    let status = put(app, &old.urls[0].url, "image/png", png.clone()).await;
    assert_eq!(status, 403);

    // Someone else's upload cannot be seen, confirmed or cancelled.
    let bob = TestUser::sign_in(app, "bob@example.com").await;
    let mine: UploadTicket = start_upload(&ada, "mine.png", "image/png", png.len() as u64, None)
        .await
        .view();
    send_parts(&ada, &mine, "image/png", &png).await;
    let id = mine.id.as_str();
    for endpoint in [
        "/api/uploads/complete",
        "/api/uploads/status",
        "/api/uploads/abort",
    ] {
        assert_eq!(
            bob.json(endpoint, json!({ "upload_id": id })).await.err(),
            AppError::NotFound,
            "{endpoint}"
        );
    }
    // The reserved key is in the owner's space; a link signed for it writes nowhere else.
    let row = upload::Entity::find_by_id(id.parse::<uuid::Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        row.storage_key
            .starts_with(&format!("u/{}/", ada.id.simple()))
    );
    if store == Store::Disk {
        let url = &mine.urls[0].url;
        let elsewhere = url.replace(&ada.id.simple().to_string(), &bob.id.simple().to_string());
        assert_eq!(put(app, &elsewhere, "image/png", png.clone()).await, 403);
    }

    // What was declared and sent is accepted, once.
    let first: ItemView = complete(&ada, id).await.view();
    let again: ItemView = complete(&ada, id).await.view();
    assert_eq!(again.id, first.id, "confirming again changes nothing");
    assert_eq!(counts(app).await, (1, 1));
    assert_eq!(first.kind, "image");
    assert_eq!(first.name, "mine");
    assert_eq!(
        (first.media.width, first.media.height),
        (Some(512), Some(512))
    );
    let (status, _, bytes) = fetch(app, &first.media.url).await;
    assert_eq!((status, bytes), (200, png.clone()));
    let (status, _, thumb) = fetch(app, first.media.thumbnail_url.as_deref().unwrap()).await;
    assert_eq!(status, 200);
    assert!(
        thumb.starts_with(&[0xFF, 0xD8, 0xFF]),
        "the thumbnail is a JPEG"
    );
    let (status, headers, _) = fetch(app, &first.media.download_url).await;
    assert_eq!(status, 200);
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("attachment") && disposition.contains("mine.png"),
        "{disposition}"
    );
    if store == Store::Disk {
        assert_eq!(headers["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn disk_uploads_refuse_bad_files_and_keep_good_ones() {
    refusals_leave_nothing_stored(Store::Disk).await;
}

#[tokio::test]
async fn s3_uploads_refuse_bad_files_and_keep_good_ones() {
    refusals_leave_nothing_stored(Store::S3).await;
}

/// A file larger than the part size goes in parts, resumes, and arrives whole.
async fn large_files_resume(store: Store) {
    let library = Library::start(store, TestApp::builder().var("UPLOAD_PART_MB", "5")).await;
    let app = &library.app;
    let ada = TestUser::sign_in(app, "ada@example.com").await;
    let sound = wav((11 * MIB) as usize);
    let ticket: UploadTicket =
        start_upload(&ada, "ambience.wav", "audio/wav", sound.len() as u64, None)
            .await
            .view();
    assert_eq!(ticket.part_count, 3);
    let id = ticket.id.clone();

    // The first part only, then the connection "drops".
    send_parts(&ada, &first_part_only(&ticket), "audio/wav", &sound).await;
    let refused = complete(&ada, &id).await.err();
    assert_eq!(
        refused,
        AppError::invalid("file", "error-reason-upload-incomplete")
    );
    let resumed: UploadTicket = ada
        .call("/api/uploads/status", json!({ "upload_id": id }))
        .await;
    assert_eq!(resumed.done, [1]);
    let missing: Vec<u32> = resumed.urls.iter().map(|u| u.number).collect();
    assert_eq!(missing, vec![2, 3]);
    send_parts(&ada, &resumed, "audio/wav", &sound).await;
    let item: ItemView = complete(&ada, &id).await.view();
    assert_eq!(item.kind, "audio");
    assert_eq!(item.media.size_bytes, sound.len() as u64);
    let (status, _, bytes) = fetch(app, &item.media.url).await;
    assert_eq!(status, 200);
    assert!(bytes == sound, "the joined file is the file sent");
}

#[tokio::test]
async fn disk_uploads_in_parts_resume() {
    large_files_resume(Store::Disk).await;
}

#[tokio::test]
async fn s3_uploads_in_parts_resume() {
    large_files_resume(Store::S3).await;
}

#[tokio::test]
async fn a_cancelled_upload_deletes_what_was_sent_and_stays_closed() {
    let library = Library::start(Store::Disk, TestApp::builder().var("UPLOAD_PART_MB", "5")).await;
    let app = &library.app;
    let ada = TestUser::sign_in(app, "ada@example.com").await;
    let sound = wav((6 * MIB) as usize);
    let ticket: UploadTicket =
        start_upload(&ada, "long.wav", "audio/wav", sound.len() as u64, None)
            .await
            .view();
    send_parts(&ada, &first_part_only(&ticket), "audio/wav", &sound).await;
    let id = ticket.id.as_str();
    ada.call::<()>("/api/uploads/abort", json!({ "upload_id": id }))
        .await;
    let parts = std::fs::read_dir(app.data_dir().join("media/.multipart"))
        .unwrap()
        .count();
    assert_eq!(parts, 0, "the part already sent is deleted");
    assert_eq!(
        complete(&ada, id).await.err(),
        AppError::Conflict {
            what: "upload_closed".into()
        }
    );
    let tree: LibraryTree = ada.call("/api/library/tree", json!({})).await;
    assert_eq!(
        tree.used_bytes, 0,
        "a cancelled upload no longer counts against the quota"
    );

    // A finished upload cannot be cancelled.
    let done: ItemView = upload(&ada, "short.wav", "audio/wav", &wav(4096), None)
        .await
        .view();
    let row = upload::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.item_id.map(|i| i.to_string()).as_deref() == Some(done.id.as_str()))
        .unwrap();
    assert_eq!(
        ada.json("/api/uploads/abort", json!({ "upload_id": row.id }))
            .await
            .err(),
        AppError::Conflict {
            what: "upload_completed".into()
        }
    );
}

#[tokio::test]
async fn an_abandoned_upload_expires_and_is_swept_at_the_next_one() {
    let clock = ManualClock::new(Utc::now());
    let library = Library::start(
        Store::Disk,
        TestApp::builder()
            .clock(clock.clone())
            .var("UPLOAD_PART_MB", "5"),
    )
    .await;
    let app = &library.app;
    let ada = TestUser::sign_in(app, "ada@example.com").await;
    let sound = wav((6 * MIB) as usize);
    let ticket: UploadTicket =
        start_upload(&ada, "left.wav", "audio/wav", sound.len() as u64, None)
            .await
            .view();
    send_parts(&ada, &first_part_only(&ticket), "audio/wav", &sound).await;
    let staging = app.data_dir().join("media/.multipart");
    assert_eq!(std::fs::read_dir(&staging).unwrap().count(), 1);

    clock.advance(chrono::Duration::hours(25));
    // A day later: signed in again.
    let ada = TestUser::sign_in(app, "ada@example.com").await;
    let id = ticket.id.as_str();
    assert_eq!(
        complete(&ada, id).await.err(),
        AppError::Conflict {
            what: "upload_expired".into()
        }
    );
    start_upload(&ada, "next.wav", "audio/wav", 4096, None)
        .await
        .view::<UploadTicket>();
    assert_eq!(
        std::fs::read_dir(&staging).unwrap().count(),
        0,
        "the abandoned part is deleted"
    );
    let row = upload::Entity::find_by_id(id.parse::<uuid::Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status.as_str(), row.error.as_deref()),
        ("aborted", Some("expired"))
    );
}

#[tokio::test]
async fn videos_are_read_for_size_and_length_and_take_a_preview() {
    let library = Library::start(Store::Disk, TestApp::builder()).await;
    let app = &library.app;
    let ada = TestUser::sign_in(app, "ada@example.com").await;

    let clip: ItemView = upload(&ada, "camera.mp4", "video/mp4", &mp4(true), None)
        .await
        .view();
    assert_eq!(clip.kind, "video");
    let media = &clip.media;
    assert_eq!(
        (media.width, media.height, media.duration_ms),
        (Some(320), Some(240), Some(3000))
    );
    assert!(media.thumbnail_url.is_none());

    let frame = app::generation::local::render_image(
        "a frame",
        "4:3",
        app::generation::local::SizeClass::Small,
    )
    .unwrap();
    let thumbnail = |who: &TestUser, body: Vec<u8>| {
        reqwest::Client::new()
            .put(app.url(&format!("/thumbnails/{}", clip.id)))
            .header("cookie", who.cookie())
            .body(body)
    };
    let bob = TestUser::sign_in(app, "bob@example.com").await;
    assert_eq!(
        thumbnail(&bob, frame.clone())
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        thumbnail(&ada, b"not an image".to_vec())
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        thumbnail(&ada, frame.clone())
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    let details: ItemDetails = ada
        .call("/api/library/items/get", json!({ "item_id": clip.id }))
        .await;
    let (status, _, thumb) = fetch(app, details.item.media.thumbnail_url.as_deref().unwrap()).await;
    assert_eq!(status, 200);
    assert!(
        thumb.starts_with(&[0xFF, 0xD8, 0xFF]),
        "stored as our own JPEG"
    );

    // A WebM from the offline encoder: its header tells size and length.
    let still = app::media::decode_image(&frame).unwrap();
    let (webm, _) =
        app::generation::local::encode_clip(&still, None, 1.0, 320, 240, 8, &|_| {}).unwrap();
    let clip: ItemView = upload(&ada, "loop.webm", "video/webm", &webm, None)
        .await
        .view();
    assert_eq!(
        (clip.media.width, clip.media.duration_ms),
        (Some(320), Some(1000))
    );
}

#[tokio::test]
async fn the_storage_quota_counts_what_is_kept_and_what_is_on_its_way() {
    let library =
        Library::start(Store::Disk, TestApp::builder().var("STORAGE_QUOTA_MB", "1")).await;
    let app = &library.app;
    let ada = TestUser::sign_in(app, "ada@example.com").await;
    let sound = wav(600 * 1024);
    let first: ItemView = upload(&ada, "one.wav", "audio/wav", &sound, None)
        .await
        .view();
    assert_eq!(
        start_upload(&ada, "two.wav", "audio/wav", sound.len() as u64, None)
            .await
            .err(),
        AppError::QuotaExceeded {
            quota: MIB,
            used: sound.len() as u64
        }
    );
    let tree: LibraryTree = ada.call("/api/library/tree", json!({})).await;
    assert_eq!(tree.used_bytes, sound.len() as u64);
    assert_eq!(tree.quota_bytes, Some(MIB));
    // Room comes back when the item is deleted.
    ada.call::<u64>(
        "/api/library/items/delete",
        json!({ "item_ids": [first.id] }),
    )
    .await;
    upload(&ada, "two.wav", "audio/wav", &sound, None)
        .await
        .view::<ItemView>();
}
