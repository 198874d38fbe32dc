//! Upgrading an install that has media from before the library: each
//! owner's uploads and results become items in an inbox, a result keeping
//! how it was made.

use app::entities::{collection, item, user};
use migration::{Migrator, MigratorTrait};
use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, EntityTrait};
use server::testing::{PgTestDatabase, TempDir, TestDb};
use uuid::Uuid;

async fn insert(db: &impl ConnectionTrait, table: &str, values: Vec<(&str, SimpleExpr)>) {
    let (columns, exprs): (Vec<_>, Vec<_>) =
        values.into_iter().map(|(c, v)| (Alias::new(c), v)).unzip();
    let statement = Query::insert()
        .into_table(Alias::new(table))
        .columns(columns)
        .values_panic(exprs)
        .to_owned();
    db.execute(&statement).await.unwrap();
}

#[tokio::test]
async fn media_from_before_the_library_becomes_items_in_an_inbox() {
    let dir = TempDir::new("fw-migrate");
    let (url, _pg) = match TestDb::from_env() {
        TestDb::Sqlite => (
            format!("sqlite://{}/app.db?mode=rwc", dir.path().display()),
            None,
        ),
        TestDb::Postgres => {
            let pg = PgTestDatabase::create().await;
            (pg.url.clone(), Some(pg))
        }
    };
    let db = Database::connect(&url).await.unwrap();
    // Everything up to the generation jobs: the schema before the library.
    Migrator::up(&db, Some(8)).await.unwrap();
    let now = chrono::Utc::now();
    let owner =
        user::ActiveModel::new_account("old@example.com", "user", Some("zh-CN".into()), now)
            .insert(&db)
            .await
            .unwrap();
    let media = |id: Uuid, source: &str, content_type: &str| {
        vec![
            ("id", id.into()),
            ("owner_id", owner.id.into()),
            (
                "storage_key",
                format!("u/{}/{}.bin", owner.id.simple(), id.simple()).into(),
            ),
            ("content_type", content_type.into()),
            ("size_bytes", 10i64.into()),
            ("source", source.into()),
            ("created_at", now.into()),
        ]
    };
    let (upload, result, job) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    insert(&db, "media", media(upload, "upload", "image/png")).await;
    insert(&db, "media", media(result, "generation", "video/webm")).await;
    insert(
        &db,
        "generation_jobs",
        vec![
            ("id", job.into()),
            ("owner_id", owner.id.into()),
            ("model_id", "local-video".into()),
            ("prompt", "waves at night\nslow".into()),
            ("params", r#"{"duration":4}"#.into()),
            ("price", 8i64.into()),
            ("status", "succeeded".into()),
            ("priority", 1i16.into()),
            ("attempts", 1i32.into()),
            ("max_attempts", 3i32.into()),
            ("next_run_at", now.into()),
            ("progress", 1.0f32.into()),
            ("start_media_id", upload.into()),
            ("result_media_id", result.into()),
            ("refunded", false.into()),
            ("created_at", now.into()),
            ("updated_at", now.into()),
        ],
    )
    .await;

    Migrator::up(&db, None).await.unwrap();
    let items = item::Entity::find().all(&db).await.unwrap();
    assert_eq!(items.len(), 2);
    let inbox = collection::Entity::find().one(&db).await.unwrap().unwrap();
    assert_eq!(
        (inbox.inbox_of, inbox.name.as_str()),
        (Some(owner.id), "收件箱")
    );
    assert!(
        items
            .iter()
            .all(|i| i.collection_id == inbox.id && i.created_by == owner.id)
    );
    let clip = items.iter().find(|i| i.media_id == result).unwrap();
    assert_eq!(clip.kind, "video");
    assert_eq!(clip.name, "waves at night");
    assert_eq!(clip.model_id.as_deref(), Some("local-video"));
    assert_eq!((clip.cost, clip.job_id), (Some(8), Some(job)));
    let still = items.iter().find(|i| i.media_id == upload).unwrap();
    assert_eq!(
        (still.kind.as_str(), still.prompt.as_deref()),
        ("image", None)
    );

    // Running the migrations again adopts nothing twice.
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(item::Entity::find().all(&db).await.unwrap().len(), 2);
    db.close().await.unwrap();
}
