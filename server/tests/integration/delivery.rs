//! How responses travel: static files precompressed and chosen by
//! `Accept-Encoding`, hashed names cached forever, pages and server-function
//! answers compressed on the fly and never cached, the event stream and media
//! left alone.

use std::io::Read;

use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, IF_MODIFIED_SINCE, LAST_MODIFIED, VARY,
};
use server::testing::{TempDir, TestApp};

use super::person::TestUser;

const HASHED_WASM: &str = "pkg/framewright.Xx6cK1d4F3Hd-2_bQ0aZ9w.wasm";

/// A site root as `cargo leptos build --release --precompress` leaves it:
/// each file with a `.br` and a `.gz` twin (here with recognisable contents).
fn site() -> TempDir {
    let site = TempDir::new("fw-site");
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    for (name, body) in [
        (HASHED_WASM, "plain wasm"),
        ("favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ] {
        let path = site.path().join(name);
        std::fs::write(&path, body).unwrap();
        std::fs::write(format!("{}.br", path.display()), format!("br:{body}")).unwrap();
        std::fs::write(format!("{}.gz", path.display()), format!("gz:{body}")).unwrap();
    }
    std::fs::write(site.path().join("hash.txt"), "js: a\nwasm: b\ncss: c\n").unwrap();
    site
}

async fn app_with_site(site: &TempDir) -> TestApp {
    TestApp::builder()
        .var("LEPTOS_SITE_ROOT", site.path().display().to_string())
        .spawn()
        .await
}

async fn get(app: &TestApp, path: &str, accept: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let Some(accept) = accept {
        request = request.header(ACCEPT_ENCODING, accept);
    }
    request.send().await.unwrap()
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> String {
    response
        .headers()
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::test]
async fn static_files_are_sent_in_the_encoding_the_browser_takes() {
    let site = site();
    let app = app_with_site(&site).await;
    let path = format!("/{HASHED_WASM}");
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br, zstd"), "br", "br:plain wasm"),
        (Some("gzip"), "gzip", "gz:plain wasm"),
        (Some("br;q=0, gzip"), "gzip", "gz:plain wasm"),
        (Some("identity"), "", "plain wasm"),
        (None, "", "plain wasm"),
    ] {
        let response = get(&app, &path, accept).await;
        assert_eq!(response.status(), 200, "{accept:?}");
        assert_eq!(header(&response, CONTENT_ENCODING), encoding, "{accept:?}");
        assert!(
            header(&response, VARY)
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{accept:?}: Vary names Accept-Encoding"
        );
        assert_eq!(
            header(&response, CACHE_CONTROL),
            "public, max-age=31536000, immutable",
            "{accept:?}: a hashed name never changes"
        );
        assert_eq!(response.text().await.unwrap(), body, "{accept:?}");
    }
}

#[tokio::test]
async fn unhashed_static_files_are_revalidated_and_the_hash_list_is_not_served() {
    let site = site();
    let app = app_with_site(&site).await;
    let favicon = get(&app, "/favicon.svg", Some("br")).await;
    assert_eq!(favicon.status(), 200);
    assert_eq!(header(&favicon, CACHE_CONTROL), "no-cache");
    let modified = header(&favicon, LAST_MODIFIED);
    assert!(
        !modified.is_empty(),
        "Last-Modified lets the browser revalidate"
    );
    let again = reqwest::Client::new()
        .get(app.url("/favicon.svg"))
        .header(IF_MODIFIED_SINCE, modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    assert_eq!(get(&app, "/hash.txt", None).await.status(), 404);
    let missing = get(&app, "/pkg/nothing.Xx6cK1d4F3Hd-2_bQ0aZ9w.wasm", None).await;
    assert_eq!(missing.status(), 404);
    assert_ne!(
        header(&missing, CACHE_CONTROL),
        "public, max-age=31536000, immutable",
        "a missing file is not cached forever"
    );
    // The whole translated page, not a render that panicked halfway.
    let body = missing.text().await.unwrap();
    assert!(
        body.contains("<title>Page not found · Framewright</title>"),
        "{body}"
    );
    assert!(body.contains("</html>"), "{body}");
}

#[tokio::test]
async fn pages_are_compressed_and_never_cached() {
    let app = TestApp::spawn().await;
    let plain = get(&app, "/sign-in", None).await;
    assert_eq!(plain.status(), 200);
    assert_eq!(header(&plain, CONTENT_ENCODING), "");
    assert_eq!(header(&plain, CACHE_CONTROL), "private, no-cache");

    let gzipped = get(&app, "/sign-in", Some("gzip")).await;
    assert_eq!(gzipped.status(), 200);
    assert_eq!(header(&gzipped, CONTENT_ENCODING), "gzip");
    assert_eq!(header(&gzipped, CACHE_CONTROL), "private, no-cache");
    let bytes = gzipped.bytes().await.unwrap();
    let mut html = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut html)
        .expect("a gzip body");
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "{}",
        &html[..60.min(html.len())]
    );
    assert!(html.contains("</html>"));

    let brotli = get(&app, "/sign-in", Some("br")).await;
    assert_eq!(header(&brotli, CONTENT_ENCODING), "br");
    let bytes = brotli.bytes().await.unwrap();
    let mut html = String::new();
    brotli::Decompressor::new(&bytes[..], 4096)
        .read_to_string(&mut html)
        .expect("a brotli body");
    assert!(html.contains("</html>"));
}

#[tokio::test]
async fn server_function_answers_are_compressed_and_the_event_stream_is_not() {
    let app = TestApp::spawn().await;
    let user = TestUser::sign_in(&app, "reader@example.com").await;
    let answer = reqwest::Client::new()
        .post(app.url("/api/models/list"))
        .header("cookie", user.cookie())
        .header(ACCEPT_ENCODING, "gzip")
        .form(&[("kind", "image")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(header(&answer, CONTENT_ENCODING), "gzip");
    assert_eq!(header(&answer, CACHE_CONTROL), "private, no-cache");
    let bytes = answer.bytes().await.unwrap();
    let mut json = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut json)
        .unwrap();
    let models: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(models.as_array().is_some_and(|m| !m.is_empty()), "{json}");

    let events = reqwest::Client::new()
        .get(app.url("/events"))
        .header("cookie", user.cookie())
        .header(ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    assert!(header(&events, reqwest::header::CONTENT_TYPE).starts_with("text/event-stream"));
    assert_eq!(
        header(&events, CONTENT_ENCODING),
        "",
        "events go out as they happen"
    );
}
