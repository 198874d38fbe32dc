use app::assets::view::ItemsPage;
use app::error::AppError;
use app::generation::jobs::worker::run_due_jobs_once;
use app::generation::jobs::{GenerationsPage, JobView};
use app::platform::storage::StorageKey;
use sea_orm::{EntityTrait, PaginatorTrait};
use server::testing::TestApp;

use super::jobs_support::{QUICK_CLIP, Studio, generated_media, job, ledger_rows};

#[tokio::test]
async fn a_local_clip_is_charged_once_generated_stored_and_listed() {
    let studio = Studio::start(TestApp::builder(), 100).await;
    let image = studio.upload_image().await;
    let start = image.id.to_string();
    let created = studio
        .created("local-video", "waves roll in", QUICK_CLIP, Some(&start))
        .await;
    let id = created.id.clone();
    // local-video: duration * 2 = 4 credits.
    assert_eq!(created.price, 4);
    assert_eq!(created.status, "queued");
    assert_eq!(created.queue_position, Some(0));
    assert!(created.eta_seconds.unwrap() > 0);
    assert_eq!(created.start_media_id.as_deref(), Some(start.as_str()));
    assert_eq!(studio.balance().await, 96);

    let state = studio.worker_state();
    assert_eq!(run_due_jobs_once(&state, "w1").await.unwrap(), 1);
    assert_eq!(
        run_due_jobs_once(&state, "w1").await.unwrap(),
        0,
        "nothing left"
    );

    let done = studio.generation(&id).await;
    assert_eq!(done.status, "succeeded", "{done:?}");
    assert_eq!(done.progress, 1.0);
    assert_eq!(done.attempts, 1);
    assert!(!done.refunded);
    assert!(done.finished_at.is_some());
    let result = done.result.as_ref().unwrap();
    assert_eq!(result.content_type, "video/webm");
    assert_eq!(result.duration_ms, Some(2000));
    // The thumbnail of an image-to-video clip is its start frame.
    assert_eq!(done.thumbnail.as_ref().unwrap().id, start);

    // The clip is really stored, and its signed link serves it.
    let row = job(&studio.app.state, &id).await;
    let media = app::entities::media::Entity::find_by_id(row.result_media_id.unwrap())
        .one(&studio.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        media
            .storage_key
            .starts_with(&format!("u/{}/", studio.user.id.simple()))
    );
    let bytes = studio
        .app
        .state
        .storage
        .get(&StorageKey::parse(&media.storage_key).unwrap())
        .await
        .unwrap();
    assert!(bytes.starts_with(&[0x1a, 0x45, 0xdf, 0xa3]), "a WebM file");
    let served = reqwest::get(studio.app.url(&result.url)).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap().len(), bytes.len());

    assert_eq!(ledger_rows(&studio.app.state, &id, "charge").await, 1);
    assert_eq!(ledger_rows(&studio.app.state, &id, "refund").await, 0);
    assert_eq!(studio.balance().await, 96);
    assert_eq!(generated_media(&studio.app.state).await, 1);

    let page: GenerationsPage = studio
        .user
        .form(
            "/api/generations/list",
            &[("page", "0"), ("status", "succeeded")],
        )
        .await
        .view();
    assert_eq!(page.jobs.len(), 1);
    assert_eq!(page.pages, 1);
    let none: GenerationsPage = studio
        .user
        .form(
            "/api/generations/list",
            &[("page", "0"), ("status", "failed")],
        )
        .await
        .view();
    assert_eq!(none.jobs.len(), 0);
    // The studio's start images come from the library: the clip is not one of them.
    let images: ItemsPage = studio
        .user
        .call(
            "/api/library/items/list",
            serde_json::json!({ "query": { "kind": "image", "page": 0 } }),
        )
        .await;
    let images = images.items;
    assert_eq!(images.len(), 1, "videos are not start frames");
    assert_eq!(images[0].media.id, start);
    let media = &images[0].media;
    assert!(media.width.unwrap() > media.height.unwrap());
}

#[tokio::test]
async fn queued_jobs_show_position_and_eta_cancel_refunds_and_retry_is_a_new_job() {
    let studio = Studio::start(TestApp::builder(), 100).await;
    let start = studio.upload_image().await.id.to_string();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let created = studio
            .created("local-video", "rain", QUICK_CLIP, Some(&start))
            .await;
        ids.push(created.id);
    }
    // Image jobs have high priority: they go ahead of the clips.
    let image = studio
        .created("local-image", "a red kite", r#"{"size":"small"}"#, None)
        .await;
    assert_eq!(image.queue_position, Some(0));
    assert_eq!(image.priority, "high");
    let third = studio.generation(&ids[2]).await;
    assert_eq!(third.queue_position, Some(3));
    // No history yet: 60 s per clip by default, for the three ahead and itself.
    assert_eq!(third.eta_seconds, Some(240));
    assert_eq!(studio.balance().await, 100 - 3 * 4 - 1);

    // Cancelling a queued job refunds it at once.
    let cancel = [("id", ids[0].as_str())];
    let cancelled: JobView = studio
        .user
        .form("/api/generations/cancel", &cancel)
        .await
        .view();
    assert_eq!(cancelled.status, "cancelled");
    assert!(cancelled.refunded);
    assert_eq!(studio.balance().await, 100 - 2 * 4 - 1);
    assert_eq!(
        studio
            .user
            .form("/api/generations/cancel", &cancel)
            .await
            .err(),
        AppError::Conflict {
            what: "job_finished".into()
        },
        "a cancelled job stays cancelled"
    );
    assert_eq!(ledger_rows(&studio.app.state, &ids[0], "refund").await, 1);
    let third = studio.generation(&ids[2]).await;
    assert_eq!(third.queue_position, Some(2));

    // Retry makes a new, newly charged job pointing at the old one.
    let retried: JobView = studio
        .user
        .form("/api/generations/retry", &[("id", &ids[0])])
        .await
        .view();
    assert_ne!(retried.id, ids[0]);
    assert_eq!(retried.retry_of.as_deref(), Some(ids[0].as_str()));
    assert_eq!(retried.status, "queued");
    assert_eq!(retried.params, job(&studio.app.state, &ids[0]).await.params);
    assert_eq!(studio.balance().await, 100 - 3 * 4 - 1);
    // A queued job cannot be retried.
    assert_eq!(
        studio
            .user
            .form("/api/generations/retry", &[("id", &ids[1])])
            .await
            .err(),
        AppError::Conflict {
            what: "job_not_retryable".into()
        }
    );

    let state = studio.worker_state();
    assert_eq!(run_due_jobs_once(&state, "w").await.unwrap(), 4);
    let jobs = app::entities::generation_job::Entity::find()
        .count(&studio.app.state.db)
        .await
        .unwrap();
    assert_eq!(jobs, 5);
    // With history, the ETA uses the model's measured run time.
    let avg = app::generation::jobs::queue::average_run_seconds(
        &studio.app.state.db,
        "local-video",
        app::catalog::ModelKind::Video,
    )
    .await
    .unwrap();
    assert!(avg < 60.0, "{avg}");
}
