//! Items: generations become items with how they were made and where they
//! came from; listings filter, search and page; media is deleted exactly when
//! nothing refers to it any more.

use app::assets::rows::{NewItem, insert_item};
use app::entities::{item, media};
use app::generation::jobs::worker::run_due_jobs_once;
use app::platform::storage::StorageKey;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use server::testing::TestApp;
use uuid::Uuid;

use super::jobs_support::{QUICK_CLIP, Studio};
use super::library_support::{
    Member, call, collection, member, ok, project, share, upload, upload_png,
};

async fn get(app: &TestApp, who: &Member, id: &Value) -> Value {
    ok(app, who, "/api/library/items/get", json!({ "item_id": id })).await
}

async fn stored(app: &TestApp, key: &str) -> bool {
    app.state
        .storage
        .head(&StorageKey::parse(key).unwrap())
        .await
        .unwrap()
        .is_some()
}

async fn media_row(app: &TestApp, id: &Value) -> Option<media::Model> {
    media::Entity::find_by_id(id.as_str().unwrap().parse::<Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn generations_become_items_with_their_history_and_lineage() {
    let studio = Studio::start(TestApp::builder(), 100).await;
    let app = &studio.app;
    let me = Member {
        token: studio.token.clone(),
        id: studio.user,
        email: "maker@example.com".into(),
    };
    let p = project(app, &me, "Ads").await;
    let shots = p["collections"][0]["id"].as_str().unwrap().to_string();
    let still = upload_png(app, &me, "harbour at dawn", Some(&shots)).await;

    let form = [
        ("model_id", "local-video"),
        ("prompt", "boats drift out of the harbour"),
        ("params", QUICK_CLIP),
        ("start_media_id", still["media"]["id"].as_str().unwrap()),
        ("collection_id", shots.as_str()),
        ("parent_item_id", still["id"].as_str().unwrap()),
    ];
    let (status, job) = studio.call("/api/generations/create", &form).await;
    assert_eq!(status, 200, "{job}");
    assert!(job["item_id"].is_null(), "no item before there is a result");
    let state = studio.worker_state();
    assert_eq!(run_due_jobs_once(&state, "w1").await.unwrap(), 1);
    let (_, done) = studio
        .call(
            "/api/generations/get",
            &[("id", job["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(done["status"], "succeeded");
    let clip = get(app, &me, &done["item_id"]).await;
    let item = &clip["item"];
    assert_eq!(item["collection_id"], shots.as_str());
    assert_eq!(item["kind"], "video");
    assert_eq!(item["name"], "boats drift out of the harbour");
    assert_eq!(item["prompt"], "boats drift out of the harbour");
    assert_eq!(item["model_id"], "local-video");
    assert_eq!(item["cost"], 4);
    assert_eq!(item["job_id"], job["id"]);
    assert_eq!(item["parent_item_id"], still["id"]);
    assert!(item["params"].as_str().unwrap().contains("270p"));
    assert_eq!(item["media"]["duration_ms"], 2000);
    assert!(
        item["media"]["thumbnail_url"].is_string(),
        "a clip's preview is its start frame"
    );
    assert_eq!(clip["ancestors"][0]["id"], still["id"]);
    let parent = get(app, &me, &still["id"]).await;
    assert_eq!(parent["children"][0]["id"], item["id"]);

    // Without a collection, a generation lands in the inbox, with a thumbnail.
    let (_, job) = studio
        .create(
            "local-image",
            "a red kite over dunes",
            r#"{"size":"small"}"#,
            None,
        )
        .await;
    assert_eq!(run_due_jobs_once(&state, "w1").await.unwrap(), 1);
    let (_, done) = studio
        .call(
            "/api/generations/get",
            &[("id", job["id"].as_str().unwrap())],
        )
        .await;
    let image = get(app, &me, &done["item_id"]).await;
    let tree = ok(app, &me, "/api/library/tree", json!({})).await;
    let inbox = &tree["projects"][0]["collections"][0];
    assert_eq!(inbox["is_inbox"], true);
    assert_eq!(image["item"]["collection_id"], inbox["id"]);
    assert_eq!(image["item"]["kind"], "image");
    let thumb = image["item"]["media"]["thumbnail_url"].as_str().unwrap();
    let served = reqwest::get(app.url(thumb)).await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/jpeg");

    // Lineage shows only what the reader may see.
    let bob = member(app, "bob@example.com").await;
    let finals = collection(app, &me, p["id"].as_str().unwrap(), "Finals").await;
    ok(
        app,
        &me,
        "/api/library/items/transfer",
        json!({ "item_ids": [item["id"]], "collection_id": finals["id"], "copy": false }),
    )
    .await;
    share(
        app,
        &me,
        "collection",
        finals["id"].as_str().unwrap(),
        &bob.email,
        "viewer",
    )
    .await;
    let seen = get(app, &bob, &item["id"]).await;
    assert_eq!(seen["item"]["parent_item_id"], still["id"]);
    assert_eq!(
        seen["item"]["job_id"],
        Value::Null,
        "the generation itself is not shared"
    );
    assert_eq!(
        seen["ancestors"],
        json!([]),
        "the source is not shared with bob"
    );

    // A viewer may start from a shared image but not put the result in the shared collection.
    let shared_still = upload_png(
        app,
        &me,
        "shared still",
        Some(finals["id"].as_str().unwrap()),
    )
    .await;
    let start = shared_still["media"]["id"].as_str().unwrap();
    let bob_form = [
        ("model_id", "local-video"),
        ("prompt", "pan"),
        ("params", QUICK_CLIP),
        ("start_media_id", start),
        ("collection_id", finals["id"].as_str().unwrap()),
    ];
    let (status, _) =
        super::jobs_support::call(app, &bob.token, "/api/generations/create", &bob_form).await;
    assert_eq!(status, 403, "a viewer cannot add to the collection");
    let (status, body) =
        super::jobs_support::call(app, &bob.token, "/api/generations/create", &bob_form[..4]).await;
    // Bob has no credits, which is the next thing checked: the image itself was accepted.
    assert_eq!(
        (status, body["code"].as_str()),
        (402, Some("insufficient_credits")),
        "{body}"
    );
}

/// Lists collection `c` with the query's filters.
async fn list(app: &TestApp, me: &Member, c: &str, mut query: Value) -> (u16, Value) {
    query["collection_id"] = json!(c);
    query["page"] = query.get("page").cloned().unwrap_or(json!(0));
    call(
        app,
        me,
        "/api/library/items/list",
        json!({ "query": query }),
    )
    .await
}

#[tokio::test]
async fn listings_filter_search_and_page() {
    let app = TestApp::spawn().await;
    let me = member(&app, "ada@example.com").await;
    let p = project(&app, &me, "Moodboard").await;
    let c = p["collections"][0]["id"].as_str().unwrap().to_string();
    let fox = upload_png(&app, &me, "A Red FOX in snow", Some(&c)).await;
    upload_png(&app, &me, "50% off banner", Some(&c)).await;
    let mut wav = b"RIFF\0\0\0\0WAVEfmt ".to_vec();
    wav.resize(2048, 0);
    let (status, _) = upload(&app, &me, "wind.wav", "audio/wav", &wav, Some(&c)).await;
    assert_eq!(status, 200);

    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, all) = list(&app, &me, &c, json!({})).await;
    assert_eq!(
        names(&all),
        ["wind", "50% off banner", "A Red FOX in snow"],
        "newest first"
    );
    let (_, found) = list(&app, &me, &c, json!({ "text": "red fox" })).await;
    assert_eq!(names(&found), ["A Red FOX in snow"], "every word, any case");
    let (_, found) = list(&app, &me, &c, json!({ "text": "%" })).await;
    assert_eq!(
        names(&found),
        ["50% off banner"],
        "wildcards match themselves"
    );
    let (_, sounds) = list(&app, &me, &c, json!({ "kind": "audio" })).await;
    assert_eq!(names(&sounds), ["wind"]);
    let (status, body) = list(&app, &me, &c, json!({ "kind": "pdf" })).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("kind")));
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let (_, dated) = list(&app, &me, &c, json!({ "from": today, "to": today })).await;
    assert_eq!(dated["total"], 3);
    let (_, none) = list(&app, &me, &c, json!({ "from": tomorrow })).await;
    assert_eq!(none["total"], 0);
    let (status, body) = list(&app, &me, &c, json!({ "from": "soon" })).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("from")));
    let (status, body) = list(&app, &me, &c, json!({ "from": tomorrow, "to": today })).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (400, Some("error-reason-date-order"))
    );

    // Fifty more items holding one media: two pages, and a model to filter by.
    let media_id: Uuid = fox["media"]["id"].as_str().unwrap().parse().unwrap();
    for n in 0..50 {
        insert_item(
            &app.state.db,
            NewItem {
                collection_id: c.parse().unwrap(),
                media_id,
                name: format!("variant {n}"),
                kind: "image".into(),
                model_id: Some("local-image".into()),
                created_by: me.id,
                ..NewItem::default()
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    let (_, first) = list(&app, &me, &c, json!({})).await;
    assert_eq!(
        (first["total"].as_u64(), first["pages"].as_u64()),
        (Some(53), Some(2))
    );
    assert_eq!(first["items"].as_array().unwrap().len(), 48);
    let (_, second) = list(&app, &me, &c, json!({ "page": 1 })).await;
    assert_eq!(second["items"].as_array().unwrap().len(), 5);
    let (_, by_model) = list(&app, &me, &c, json!({ "model_id": "local-image" })).await;
    assert_eq!(by_model["total"], 50);
}

#[tokio::test]
async fn media_is_deleted_once_nothing_refers_to_it() {
    let studio = Studio::start(TestApp::builder(), 100).await;
    let app = &studio.app;
    let me = Member {
        token: studio.token.clone(),
        id: studio.user,
        email: "maker@example.com".into(),
    };
    let p = project(app, &me, "Trip").await;
    let first = p["collections"][0]["id"].as_str().unwrap().to_string();
    let second = collection(app, &me, p["id"].as_str().unwrap(), "Picks").await;
    let original = upload_png(app, &me, "cliff", Some(&first)).await;
    let row = media_row(app, &original["media"]["id"]).await.unwrap();
    let thumb = row.thumbnail_key.clone().expect("a thumbnail");

    let copy = ok(
        app,
        &me,
        "/api/library/items/transfer",
        json!({ "item_ids": [original["id"]], "collection_id": second["id"], "copy": true }),
    )
    .await;
    ok(
        app,
        &me,
        "/api/library/items/delete",
        json!({ "item_ids": [original["id"]] }),
    )
    .await;
    assert!(
        stored(app, &row.storage_key).await,
        "the copy still holds the file"
    );
    ok(
        app,
        &me,
        "/api/library/items/delete",
        json!({ "item_ids": [copy[0]["id"]] }),
    )
    .await;
    assert!(media_row(app, &original["media"]["id"]).await.is_none());
    assert!(
        !stored(app, &row.storage_key).await && !stored(app, &thumb).await,
        "file and thumbnail are gone"
    );

    // An image a queued generation starts from stays until the generation ends.
    let frame = upload_png(app, &me, "start", Some(&first)).await;
    let (status, job) = studio
        .call(
            "/api/generations/create",
            &[
                ("model_id", "local-video"),
                ("prompt", "tide"),
                ("params", QUICK_CLIP),
                ("start_media_id", frame["media"]["id"].as_str().unwrap()),
                ("collection_id", &first),
            ],
        )
        .await;
    assert_eq!(status, 200, "{job}");
    ok(
        app,
        &me,
        "/api/library/items/delete",
        json!({ "item_ids": [frame["id"]] }),
    )
    .await;
    let key = media_row(app, &frame["media"]["id"])
        .await
        .expect("kept for the job")
        .storage_key;
    assert!(stored(app, &key).await);
    assert_eq!(
        run_due_jobs_once(&studio.worker_state(), "w1")
            .await
            .unwrap(),
        1
    );
    let (_, done) = studio
        .call(
            "/api/generations/get",
            &[("id", job["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert!(
        media_row(app, &frame["media"]["id"]).await.is_none(),
        "released when the job ended"
    );
    assert!(!stored(app, &key).await);

    // Deleting a project deletes its items and their files.
    let result = done["result"]["id"].clone();
    let result_key = media_row(app, &result).await.unwrap().storage_key;
    ok(
        app,
        &me,
        "/api/library/projects/delete",
        json!({ "project_id": p["id"] }),
    )
    .await;
    assert!(!stored(app, &result_key).await);
    assert_eq!(item::Entity::find().count(&app.state.db).await.unwrap(), 0);
    let (_, gone) = studio
        .call(
            "/api/generations/get",
            &[("id", job["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(
        (gone["status"].as_str(), &gone["result"]),
        (Some("succeeded"), &Value::Null),
        "the history stays, without the file"
    );
}
