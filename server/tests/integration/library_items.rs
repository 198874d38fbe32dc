//! Items: generations become items with how they were made and where they
//! came from; listings filter, search and page; media is deleted exactly when
//! nothing refers to it any more.

use app::assets::rows::{NewItem, insert_item};
use app::assets::view::{ItemDetails, ItemView, ItemsPage, LibraryTree};
use app::entities::{item, media};
use app::error::AppError;
use app::generation::jobs::JobView;
use app::generation::jobs::worker::run_due_jobs_once;
use app::platform::storage::StorageKey;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use server::testing::TestApp;
use uuid::Uuid;

use super::jobs_support::{QUICK_CLIP, Studio};
use super::library_support::{collection, project, share, upload, upload_png};
use super::person::{Answer, TestUser};

async fn get(who: &TestUser, id: &str) -> ItemDetails {
    who.call("/api/library/items/get", json!({ "item_id": id }))
        .await
}

async fn stored(app: &TestApp, key: &str) -> bool {
    app.state
        .storage
        .head(&StorageKey::parse(key).unwrap())
        .await
        .unwrap()
        .is_some()
}

async fn media_row(app: &TestApp, id: &str) -> Option<media::Model> {
    media::Entity::find_by_id(id.parse::<Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn generations_become_items_with_their_history_and_lineage() {
    let studio = Studio::start(TestApp::builder(), 100).await;
    let app = &studio.app;
    let me = &studio.user;
    let p = project(me, "Ads").await;
    let shots = p.collections[0].id.clone();
    let still = upload_png(me, "harbour at dawn", Some(&shots)).await;

    let form = [
        ("model_id", "local-video"),
        ("prompt", "boats drift out of the harbour"),
        ("params", QUICK_CLIP),
        ("start_media_id", still.media.id.as_str()),
        ("collection_id", shots.as_str()),
        ("parent_item_id", still.id.as_str()),
    ];
    let job: JobView = me.form("/api/generations/create", &form).await.view();
    assert!(job.item_id.is_none(), "no item before there is a result");
    let state = studio.worker_state();
    assert_eq!(run_due_jobs_once(&state, "w1").await.unwrap(), 1);
    let done = studio.generation(&job.id).await;
    assert_eq!(done.status, "succeeded");
    let clip = get(me, done.item_id.as_deref().unwrap()).await;
    let item = &clip.item;
    assert_eq!(item.collection_id, shots);
    assert_eq!(item.kind, "video");
    assert_eq!(item.name, "boats drift out of the harbour");
    assert_eq!(
        item.prompt.as_deref(),
        Some("boats drift out of the harbour")
    );
    assert_eq!(item.model_id.as_deref(), Some("local-video"));
    assert_eq!(item.cost, Some(4));
    assert_eq!(item.job_id.as_ref(), Some(&job.id));
    assert_eq!(item.parent_item_id.as_ref(), Some(&still.id));
    assert!(item.params.as_deref().unwrap().contains("270p"));
    assert_eq!(item.media.duration_ms, Some(2000));
    assert!(
        item.media.thumbnail_url.is_some(),
        "a clip's preview is its start frame"
    );
    assert_eq!(clip.ancestors[0].id, still.id);
    let parent = get(me, &still.id).await;
    assert_eq!(parent.children[0].id, item.id);

    // Without a collection, a generation lands in the inbox, with a thumbnail.
    let job = studio
        .created(
            "local-image",
            "a red kite over dunes",
            r#"{"size":"small"}"#,
            None,
        )
        .await;
    assert_eq!(run_due_jobs_once(&state, "w1").await.unwrap(), 1);
    let done = studio.generation(&job.id).await;
    let image = get(me, done.item_id.as_deref().unwrap()).await;
    let tree: LibraryTree = me.call("/api/library/tree", json!({})).await;
    let inbox = &tree.projects[0].collections[0];
    assert!(inbox.is_inbox);
    assert_eq!(image.item.collection_id, inbox.id);
    assert_eq!(image.item.kind, "image");
    let thumb = image.item.media.thumbnail_url.as_deref().unwrap();
    let served = reqwest::get(app.url(thumb)).await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/jpeg");

    // Lineage shows only what the reader may see.
    let bob = TestUser::sign_in(app, "bob@example.com").await;
    let finals = collection(me, &p.id, "Finals").await;
    me.call::<Vec<ItemView>>(
        "/api/library/items/transfer",
        json!({ "item_ids": [item.id], "collection_id": finals.id, "copy": false }),
    )
    .await;
    share(me, "collection", &finals.id, &bob.email, "viewer").await;
    let seen = get(&bob, &item.id).await;
    assert_eq!(seen.item.parent_item_id.as_ref(), Some(&still.id));
    assert_eq!(
        seen.item.job_id, None,
        "the generation itself is not shared"
    );
    assert_eq!(
        seen.ancestors,
        Vec::<ItemView>::new(),
        "the source is not shared with bob"
    );

    // A viewer may start from a shared image but not put the result in the shared collection.
    let shared_still = upload_png(me, "shared still", Some(&finals.id)).await;
    let start = shared_still.media.id.as_str();
    let bob_form = [
        ("model_id", "local-video"),
        ("prompt", "pan"),
        ("params", QUICK_CLIP),
        ("start_media_id", start),
        ("collection_id", finals.id.as_str()),
    ];
    assert_eq!(
        bob.form("/api/generations/create", &bob_form).await.err(),
        AppError::Forbidden,
        "a viewer cannot add to the collection"
    );
    // Bob has no credits, which is the next thing checked: the image itself was accepted.
    assert_eq!(
        bob.form("/api/generations/create", &bob_form[..4])
            .await
            .err(),
        AppError::InsufficientCredits {
            needed: 4,
            balance: 0
        }
    );
}

/// Lists collection `c` with the query's filters.
async fn list(me: &TestUser, c: &str, mut query: Value) -> Answer {
    query["collection_id"] = json!(c);
    query["page"] = query.get("page").cloned().unwrap_or(json!(0));
    me.json("/api/library/items/list", json!({ "query": query }))
        .await
}

/// Lists collection `c` with the query's filters, which must be accepted.
async fn page(me: &TestUser, c: &str, query: Value) -> ItemsPage {
    list(me, c, query).await.view()
}

#[tokio::test]
async fn listings_filter_search_and_page() {
    let app = TestApp::spawn().await;
    let me = TestUser::sign_in(&app, "ada@example.com").await;
    let p = project(&me, "Moodboard").await;
    let c = p.collections[0].id.clone();
    let fox = upload_png(&me, "A Red FOX in snow", Some(&c)).await;
    upload_png(&me, "50% off banner", Some(&c)).await;
    let mut wav = b"RIFF\0\0\0\0WAVEfmt ".to_vec();
    wav.resize(2048, 0);
    upload(&me, "wind.wav", "audio/wav", &wav, Some(&c))
        .await
        .view::<ItemView>();

    let names =
        |page: &ItemsPage| -> Vec<String> { page.items.iter().map(|i| i.name.clone()).collect() };
    let all = page(&me, &c, json!({})).await;
    assert_eq!(
        names(&all),
        ["wind", "50% off banner", "A Red FOX in snow"],
        "newest first"
    );
    let found = page(&me, &c, json!({ "text": "red fox" })).await;
    assert_eq!(names(&found), ["A Red FOX in snow"], "every word, any case");
    let found = page(&me, &c, json!({ "text": "%" })).await;
    assert_eq!(
        names(&found),
        ["50% off banner"],
        "wildcards match themselves"
    );
    let sounds = page(&me, &c, json!({ "kind": "audio" })).await;
    assert_eq!(names(&sounds), ["wind"]);
    let refused = list(&me, &c, json!({ "kind": "pdf" })).await.err();
    assert_eq!(
        refused,
        AppError::invalid("kind", "error-reason-unknown-kind")
    );
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let dated = page(&me, &c, json!({ "from": today, "to": today })).await;
    assert_eq!(dated.total, 3);
    let none = page(&me, &c, json!({ "from": tomorrow })).await;
    assert_eq!(none.total, 0);
    let refused = list(&me, &c, json!({ "from": "soon" })).await.err();
    assert_eq!(refused, AppError::invalid("from", "error-reason-date"));
    let refused = list(&me, &c, json!({ "from": tomorrow, "to": today }))
        .await
        .err();
    assert_eq!(refused, AppError::invalid("to", "error-reason-date-order"));

    // Fifty more items holding one media: two pages, and a model to filter by.
    let media_id: Uuid = fox.media.id.parse().unwrap();
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
    let first = page(&me, &c, json!({})).await;
    assert_eq!((first.total, first.pages), (53, 2));
    assert_eq!(first.items.len(), 48);
    let second = page(&me, &c, json!({ "page": 1 })).await;
    assert_eq!(second.items.len(), 5);
    let by_model = page(&me, &c, json!({ "model_id": "local-image" })).await;
    assert_eq!(by_model.total, 50);
}

#[tokio::test]
async fn media_is_deleted_once_nothing_refers_to_it() {
    let studio = Studio::start(TestApp::builder(), 100).await;
    let app = &studio.app;
    let me = &studio.user;
    let p = project(me, "Trip").await;
    let first = p.collections[0].id.clone();
    let second = collection(me, &p.id, "Picks").await;
    let original = upload_png(me, "cliff", Some(&first)).await;
    let row = media_row(app, &original.media.id).await.unwrap();
    let thumb = row.thumbnail_key.clone().expect("a thumbnail");

    let copy: Vec<ItemView> = me
        .call(
            "/api/library/items/transfer",
            json!({ "item_ids": [original.id], "collection_id": second.id, "copy": true }),
        )
        .await;
    let delete =
        |id: &str| me.call::<u64>("/api/library/items/delete", json!({ "item_ids": [id] }));
    delete(&original.id).await;
    assert!(
        stored(app, &row.storage_key).await,
        "the copy still holds the file"
    );
    delete(&copy[0].id).await;
    assert!(media_row(app, &original.media.id).await.is_none());
    assert!(
        !stored(app, &row.storage_key).await && !stored(app, &thumb).await,
        "file and thumbnail are gone"
    );

    // An image a queued generation starts from stays until the generation ends.
    let frame = upload_png(me, "start", Some(&first)).await;
    let job: JobView = me
        .form(
            "/api/generations/create",
            &[
                ("model_id", "local-video"),
                ("prompt", "tide"),
                ("params", QUICK_CLIP),
                ("start_media_id", &frame.media.id),
                ("collection_id", &first),
            ],
        )
        .await
        .view();
    delete(&frame.id).await;
    let key = media_row(app, &frame.media.id)
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
    let done = studio.generation(&job.id).await;
    assert_eq!(done.status, "succeeded", "{done:?}");
    assert!(
        media_row(app, &frame.media.id).await.is_none(),
        "released when the job ended"
    );
    assert!(!stored(app, &key).await);

    // Deleting a project deletes its items and their files.
    let result = done.result.unwrap().id;
    let result_key = media_row(app, &result).await.unwrap().storage_key;
    me.call::<()>(
        "/api/library/projects/delete",
        json!({ "project_id": p.id }),
    )
    .await;
    assert!(!stored(app, &result_key).await);
    assert_eq!(item::Entity::find().count(&app.state.db).await.unwrap(), 0);
    let gone = studio.generation(&job.id).await;
    assert_eq!(
        (gone.status.as_str(), &gone.result),
        ("succeeded", &None),
        "the history stays, without the file"
    );
}
