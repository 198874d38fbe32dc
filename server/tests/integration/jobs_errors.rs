use app::entities::generation_job;
use app::error::AppError;
use app::generation::jobs::GenerationsPage;
use app::generation::jobs::worker::run_due_jobs_once;
use sea_orm::{EntityTrait, PaginatorTrait};
use server::testing::TestApp;

use super::jobs_support::{QUICK_CLIP, Studio, job, ledger_rows, upload_image};
use super::person::TestUser;

async fn job_count(studio: &Studio) -> u64 {
    generation_job::Entity::find()
        .count(&studio.app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn refusals_name_the_problem_and_leave_nothing_charged_or_queued() {
    let studio = Studio::start(TestApp::builder(), 3).await;
    let start = studio.upload_image().await.id.to_string();

    let refused = studio
        .create("local-video", "sea", QUICK_CLIP, Some(&start))
        .await
        .err();
    assert_eq!(
        refused,
        AppError::InsufficientCredits {
            needed: 4,
            balance: 3
        }
    );

    let refused = studio
        .create("local-video", "sea", r#"{"duration":7}"#, Some(&start))
        .await
        .err();
    let AppError::InvalidParameter { param, .. } = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(param, "duration");

    let refused = studio
        .create("local-video", "sea", "{oops", Some(&start))
        .await
        .err();
    assert_eq!(
        refused,
        AppError::invalid("params", "error-reason-malformed")
    );

    let refused = studio
        .create("local-video", "sea", QUICK_CLIP, None)
        .await
        .err();
    assert_eq!(
        refused,
        AppError::invalid("start_media_id", "error-reason-required")
    );

    let refused = studio
        .create("veo-3.1", "sea", "{}", Some(&start))
        .await
        .err();
    assert!(
        matches!(refused, AppError::ModelUnavailable { .. }),
        "no FAL_KEY: {refused:?}"
    );

    // Someone else's image reads as "not found", like nonsense does.
    let other = TestUser::sign_in(&studio.app, "other@example.com").await;
    let theirs = upload_image(&studio.app.state, other.id)
        .await
        .id
        .to_string();
    for id in [theirs.as_str(), "not-a-uuid"] {
        let refused = studio
            .create("local-video", "sea", QUICK_CLIP, Some(id))
            .await
            .err();
        assert_eq!(
            refused,
            AppError::invalid("start_media_id", "error-reason-media-not-found")
        );
    }

    // An admin switches the model off: it is unavailable.
    studio
        .user
        .form(
            "/api/admin/models/save",
            &[
                ("model_id", "local-image"),
                ("enabled", "false"),
                ("formula", ""),
            ],
        )
        .await
        .ok();
    let refused = studio.create("local-image", "kite", "{}", None).await.err();
    assert!(
        matches!(refused, AppError::ModelUnavailable { .. }),
        "{refused:?}"
    );

    assert_eq!(job_count(&studio).await, 0, "nothing queued");
    assert_eq!(studio.balance().await, 3, "nothing charged");
}

#[tokio::test]
async fn strangers_learn_nothing_about_other_peoples_jobs() {
    let studio = Studio::start(TestApp::builder(), 50).await;
    let created = studio.created("local-image", "kite", "{}", None).await;
    let id = created.id.as_str();
    let other = TestUser::sign_in(&studio.app, "other@example.com").await;
    for endpoint in [
        "/api/generations/get",
        "/api/generations/cancel",
        "/api/generations/retry",
    ] {
        assert_eq!(
            other.form(endpoint, &[("id", id)]).await.err(),
            AppError::NotFound,
            "{endpoint}"
        );
    }
    assert_eq!(
        other
            .form("/api/generations/get", &[("id", "junk")])
            .await
            .err(),
        AppError::NotFound
    );
    let page: GenerationsPage = other
        .form("/api/generations/list", &[("page", "0")])
        .await
        .view();
    assert_eq!(page.jobs.len(), 0);
}

#[tokio::test]
async fn a_moderated_prompt_fails_with_the_reason_and_is_refunded_once() {
    let studio = Studio::start(
        TestApp::builder().var("LOCAL_MODERATION_WORDS", "forbidden, Nope"),
        20,
    )
    .await;
    let start = studio.upload_image().await.id.to_string();
    let created = studio
        .created("local-video", "a FORBIDDEN dance", QUICK_CLIP, Some(&start))
        .await;
    let id = created.id;
    assert_eq!(studio.balance().await, 16);

    let state = studio.worker_state();
    run_due_jobs_once(&state, "w").await.unwrap();
    let failed = studio.generation(&id).await;
    assert_eq!(failed.status, "failed");
    assert_eq!(failed.error_kind.as_deref(), Some("moderation"));
    assert_eq!(
        failed.error_message.as_deref(),
        Some("the prompt contains a blocked word: forbidden")
    );
    assert!(failed.refunded);
    assert_eq!(studio.balance().await, 20);

    // Running again, or sweeping for unrefunded jobs, refunds nothing more.
    run_due_jobs_once(&state, "w").await.unwrap();
    app::generation::jobs::transitions::refund(&state, id.parse().unwrap(), "again")
        .await
        .unwrap();
    assert_eq!(ledger_rows(&state, &id, "refund").await, 1);
    assert_eq!(studio.balance().await, 20);
    assert!(job(&state, &id).await.refunded);
}
