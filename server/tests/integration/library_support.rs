//! Helpers for the library tests: members of a running app, JSON server
//! function calls, and uploads through the real three steps (slot, PUT to
//! the signed URL, confirm) against disk or S3 storage.

use reqwest::header::{CONTENT_TYPE, COOKIE};
use serde_json::{Value, json};
use server::testing::{S3TestServer, TestApp, TestAppBuilder};
use uuid::Uuid;

use super::auth_support::{client, sign_in};
use super::jobs_support::signed_in_id;

/// Where the app under test keeps media.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Disk,
    S3,
}

/// A running app and, for S3, the server behind it.
pub struct Library {
    pub app: TestApp,
    _s3: Option<S3TestServer>,
}

const BUCKET: &str = "framewright-library";

impl Library {
    /// Starts `builder`'s app on `store` (creating the bucket on S3).
    pub async fn start(store: Store, builder: TestAppBuilder) -> Library {
        match store {
            Store::Disk => Library {
                app: builder.spawn().await,
                _s3: None,
            },
            Store::S3 => {
                let s3 = S3TestServer::start().await;
                let mut builder = builder;
                for (k, v) in s3.vars(BUCKET) {
                    builder = builder.var(k, v);
                }
                let app = builder.spawn().await;
                app.create_s3_bucket().await;
                Library { app, _s3: Some(s3) }
            }
        }
    }
}

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct Member {
    pub token: String,
    pub id: Uuid,
    pub email: String,
}

/// Signs `email` in (creating the account).
pub async fn member(app: &TestApp, email: &str) -> Member {
    let (token, _) = sign_in(app, email).await;
    let id = signed_in_id(app, &token).await;
    Member {
        token,
        id,
        email: email.to_string(),
    }
}

/// Calls a JSON server function as `who`; returns status and body.
pub async fn call(app: &TestApp, who: &Member, endpoint: &str, body: Value) -> (u16, Value) {
    let response = client()
        .post(app.url(endpoint))
        .header(COOKIE, format!("fw_at={}", who.token))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Calls and insists on success; returns the body.
pub async fn ok(app: &TestApp, who: &Member, endpoint: &str, body: Value) -> Value {
    let (status, answer) = call(app, who, endpoint, body.clone()).await;
    assert_eq!(status, 200, "{endpoint} {body}: {answer}");
    answer
}

/// An absolute URL (disk storage signs paths of this app).
pub fn absolute(app: &TestApp, url: &str) -> String {
    if url.starts_with("http") {
        url.to_string()
    } else {
        app.url(url)
    }
}

/// PUTs bytes to a signed URL; returns the status.
pub async fn put(app: &TestApp, url: &str, content_type: &str, bytes: Vec<u8>) -> u16 {
    reqwest::Client::new()
        .put(absolute(app, url))
        .header(CONTENT_TYPE, content_type)
        .body(bytes)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Opens an upload slot; returns status and ticket.
pub async fn start_upload(
    app: &TestApp,
    who: &Member,
    name: &str,
    content_type: &str,
    size: u64,
    collection: Option<&str>,
) -> (u16, Value) {
    call(
        app,
        who,
        "/api/uploads/start",
        json!({"file_name": name, "content_type": content_type, "size": size, "collection_id": collection}),
    )
    .await
}

/// Sends every part a ticket lists, slicing `bytes` by the part size.
pub async fn send_parts(app: &TestApp, ticket: &Value, content_type: &str, bytes: &[u8]) {
    let part_size = ticket["part_size"].as_u64().unwrap() as usize;
    for part in ticket["urls"].as_array().unwrap() {
        let number = part["number"].as_u64().unwrap() as usize;
        let start = (number - 1) * part_size;
        let end = (start + part_size).min(bytes.len());
        let status = put(
            app,
            part["url"].as_str().unwrap(),
            content_type,
            bytes[start..end].to_vec(),
        )
        .await;
        assert!((200..300).contains(&status), "part {number}: {status}");
    }
}

/// Confirms an upload; returns status and body.
pub async fn complete(app: &TestApp, who: &Member, upload_id: &str) -> (u16, Value) {
    call(
        app,
        who,
        "/api/uploads/complete",
        json!({ "upload_id": upload_id }),
    )
    .await
}

/// Uploads a whole file through slot, PUT and confirm; returns the confirm answer.
pub async fn upload(
    app: &TestApp,
    who: &Member,
    name: &str,
    content_type: &str,
    bytes: &[u8],
    collection: Option<&str>,
) -> (u16, Value) {
    let (status, ticket) =
        start_upload(app, who, name, content_type, bytes.len() as u64, collection).await;
    assert_eq!(status, 200, "{ticket}");
    send_parts(app, &ticket, content_type, bytes).await;
    complete(app, who, ticket["id"].as_str().unwrap()).await
}

/// Uploads a small rendered PNG and returns the item.
pub async fn upload_png(
    app: &TestApp,
    who: &Member,
    name: &str,
    collection: Option<&str>,
) -> Value {
    let png = app::generation::local::render_image(
        name,
        "16:9",
        app::generation::local::SizeClass::Small,
    )
    .unwrap();
    let (status, item) = upload(
        app,
        who,
        &format!("{name}.png"),
        "image/png",
        &png,
        collection,
    )
    .await;
    assert_eq!(status, 200, "{item}");
    item
}

/// Creates a project; returns it (with its first collection).
pub async fn project(app: &TestApp, who: &Member, name: &str) -> Value {
    ok(
        app,
        who,
        "/api/library/projects/create",
        json!({ "name": name }),
    )
    .await
}

/// Creates a collection in a project; returns it.
pub async fn collection(app: &TestApp, who: &Member, project_id: &str, name: &str) -> Value {
    ok(
        app,
        who,
        "/api/library/collections/create",
        json!({ "project_id": project_id, "name": name }),
    )
    .await
}

/// Shares a project or collection.
pub async fn share(
    app: &TestApp,
    owner: &Member,
    target: &str,
    id: &str,
    email: &str,
    role: &str,
) -> Value {
    ok(
        app,
        owner,
        "/api/library/shares/add",
        json!({ "target": target, "target_id": id, "email": email, "role": role }),
    )
    .await
}

/// Fetches a URL (relative ones from the app); returns status, headers and bytes.
pub async fn fetch(app: &TestApp, url: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = reqwest::get(absolute(app, url)).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}
