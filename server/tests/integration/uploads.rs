use app::entities::media;
use reqwest::header::{CONTENT_TYPE, COOKIE};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::Value;
use server::testing::TestApp;

use super::auth_support::{client, sign_in};

const START_FRAME: &[u8] = include_bytes!("../../../end2end/fixtures/start-frame.png");

async fn upload(
    app: &TestApp,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut request = client()
        .post(app.url("/uploads"))
        .header(CONTENT_TYPE, content_type)
        .body(body);
    if let Some(token) = token {
        request = request.header(COOKIE, format!("fw_at={token}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn stored(app: &TestApp) -> u64 {
    media::Entity::find().count(&app.state.db).await.unwrap()
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

#[tokio::test]
async fn an_image_upload_is_checked_before_anything_is_stored() {
    let app = TestApp::spawn().await;
    let (token, _) = sign_in(&app, "maker@example.com").await;
    let token = Some(token.as_str());

    let (status, body) = upload(&app, None, "image/png", START_FRAME.to_vec()).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (401, &Value::from("unauthorized"))
    );

    let (status, body) = upload(&app, token, "image/png", vec![]).await;
    assert_eq!(
        (status, &body["error"]["reason"]),
        (400, &Value::from("error-reason-empty-file"))
    );

    let (status, _) = upload(&app, token, "image/jpeg", START_FRAME.to_vec()).await;
    assert_eq!(status, 415, "declared JPEG, bytes say PNG");

    let svg =
        br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec();
    let (status, _) = upload(&app, token, "image/svg+xml", svg).await;
    assert_eq!(status, 415);

    let (status, body) = upload(&app, token, "image/png", png_claiming(60_000, 60_000)).await;
    assert_eq!(
        (status, &body["error"]["reason"]),
        (400, &Value::from("error-reason-not-an-image"))
    );

    let mut too_big = START_FRAME.to_vec();
    too_big.resize(20 * 1024 * 1024 + 1, 0);
    let (status, body) = upload(&app, token, "image/png", too_big).await;
    assert_eq!(
        (status, &body["error"]["limit"]),
        (413, &Value::from(20 * 1024 * 1024))
    );
    assert_eq!(stored(&app).await, 0, "nothing refused was kept");

    let (status, view) = upload(&app, token, "image/png", START_FRAME.to_vec()).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(
        (view["width"].as_u64(), view["height"].as_u64()),
        (Some(480), Some(270))
    );
    assert_eq!(stored(&app).await, 1);
    let url = view["url"].as_str().unwrap();
    let url = if url.starts_with("http") {
        url.to_string()
    } else {
        app.url(url)
    };
    let served = client().get(url).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap().as_ref(), START_FRAME);
}
