//! Helpers for the library tests: a running app on disk or S3 storage, and
//! uploads by a [`TestUser`] through the real three steps (slot, PUT to the
//! signed URL, confirm).

use app::assets::view::{CollectionView, ItemView, ProjectView, ShareView, UploadTicket};
use reqwest::header::CONTENT_TYPE;
use serde_json::json;
use server::testing::{S3TestServer, TestApp, TestAppBuilder};

use super::person::{Answer, TestUser};

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

/// PUTs bytes to a signed URL (relative ones of `app`); returns the status.
pub async fn put(app: &TestApp, url: &str, content_type: &str, bytes: Vec<u8>) -> u16 {
    put_to(absolute(app, url), content_type, bytes).await
}

async fn put_to(url: String, content_type: &str, bytes: Vec<u8>) -> u16 {
    reqwest::Client::new()
        .put(url)
        .header(CONTENT_TYPE, content_type)
        .body(bytes)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Opens an upload slot; answers the ticket.
pub async fn start_upload(
    who: &TestUser,
    name: &str,
    content_type: &str,
    size: u64,
    collection: Option<&str>,
) -> Answer {
    who.json(
        "/api/uploads/start",
        json!({"file_name": name, "content_type": content_type, "size": size, "collection_id": collection}),
    )
    .await
}

/// Sends every part a ticket lists, slicing `bytes` by the part size.
pub async fn send_parts(who: &TestUser, ticket: &UploadTicket, content_type: &str, bytes: &[u8]) {
    let part_size = ticket.part_size as usize;
    for part in &ticket.urls {
        let number = part.number as usize;
        let start = (number - 1) * part_size;
        let end = (start + part_size).min(bytes.len());
        let status = put_to(who.url(&part.url), content_type, bytes[start..end].to_vec()).await;
        assert!((200..300).contains(&status), "part {number}: {status}");
    }
}

/// Confirms an upload; answers the item.
pub async fn complete(who: &TestUser, upload_id: &str) -> Answer {
    who.json("/api/uploads/complete", json!({ "upload_id": upload_id }))
        .await
}

/// Uploads a whole file through slot, PUT and confirm; returns the confirm answer.
pub async fn upload(
    who: &TestUser,
    name: &str,
    content_type: &str,
    bytes: &[u8],
    collection: Option<&str>,
) -> Answer {
    let ticket: UploadTicket =
        start_upload(who, name, content_type, bytes.len() as u64, collection)
            .await
            .view();
    send_parts(who, &ticket, content_type, bytes).await;
    complete(who, &ticket.id).await
}

/// Uploads a small rendered PNG and returns the item.
pub async fn upload_png(who: &TestUser, name: &str, collection: Option<&str>) -> ItemView {
    let png = app::generation::local::render_image(
        name,
        "16:9",
        app::generation::local::SizeClass::Small,
    )
    .unwrap();
    upload(who, &format!("{name}.png"), "image/png", &png, collection)
        .await
        .view()
}

/// Creates a project; returns it (with its first collection).
pub async fn project(who: &TestUser, name: &str) -> ProjectView {
    who.call("/api/library/projects/create", json!({ "name": name }))
        .await
}

/// Creates a collection in a project; returns it.
pub async fn collection(who: &TestUser, project_id: &str, name: &str) -> CollectionView {
    who.call(
        "/api/library/collections/create",
        json!({ "project_id": project_id, "name": name }),
    )
    .await
}

/// Shares a project or collection.
pub async fn share(owner: &TestUser, target: &str, id: &str, email: &str, role: &str) -> ShareView {
    owner
        .call(
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

/// An absolute URL (disk storage signs paths of this app).
pub fn absolute(app: &TestApp, url: &str) -> String {
    if url.starts_with("http") {
        url.to_string()
    } else {
        app.url(url)
    }
}
