use app::entities::generation_job;
use app::generation::jobs::worker::run_due_jobs_once;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use server::testing::TestApp;

use super::auth_support::sign_in;
use super::jobs_support::{QUICK_CLIP, Studio, call, job, ledger_rows, signed_in_id, upload_image};

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

    let (status, body) = studio
        .create("local-video", "sea", QUICK_CLIP, Some(&start))
        .await;
    assert_eq!(status, 402);
    assert_eq!(
        body,
        json!({"code": "insufficient_credits", "needed": 4, "balance": 3})
    );

    let (status, body) = studio
        .create("local-video", "sea", r#"{"duration":7}"#, Some(&start))
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "invalid_parameter");
    assert_eq!(body["param"], "duration");

    let (status, body) = studio
        .create("local-video", "sea", "{oops", Some(&start))
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "params");

    let (status, body) = studio.create("local-video", "sea", QUICK_CLIP, None).await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "start_media_id");
    assert_eq!(body["reason"], "error-reason-required");

    let (status, body) = studio.create("veo-3.1", "sea", "{}", Some(&start)).await;
    assert_eq!(status, 409, "no FAL_KEY: {body}");
    assert_eq!(body["code"], "model_unavailable");

    // Someone else's image reads as "not found", like nonsense does.
    let (other, _) = sign_in(&studio.app, "other@example.com").await;
    let other_id = signed_in_id(&studio.app, &other).await;
    let theirs = upload_image(&studio.app.state, other_id)
        .await
        .id
        .to_string();
    for id in [theirs.as_str(), "not-a-uuid"] {
        let (status, body) = studio
            .create("local-video", "sea", QUICK_CLIP, Some(id))
            .await;
        assert_eq!(status, 400);
        assert_eq!(body["reason"], "error-reason-media-not-found");
    }

    // An admin switches the model off: it is unavailable.
    let (status, _) = studio
        .call(
            "/api/admin/models/save",
            &[
                ("model_id", "local-image"),
                ("enabled", "false"),
                ("formula", ""),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = studio.create("local-image", "kite", "{}", None).await;
    assert_eq!(status, 409);
    assert_eq!(body["code"], "model_unavailable");

    assert_eq!(job_count(&studio).await, 0, "nothing queued");
    assert_eq!(studio.balance().await, 3, "nothing charged");
}

#[tokio::test]
async fn strangers_learn_nothing_about_other_peoples_jobs() {
    let studio = Studio::start(TestApp::builder(), 50).await;
    let (_, created) = studio.create("local-image", "kite", "{}", None).await;
    let id = created["id"].as_str().unwrap();
    let (other, _) = sign_in(&studio.app, "other@example.com").await;
    for endpoint in [
        "/api/generations/get",
        "/api/generations/cancel",
        "/api/generations/retry",
    ] {
        let (status, body) = call(&studio.app, &other, endpoint, &[("id", id)]).await;
        assert_eq!(
            (status, body),
            (404, json!({"code": "not_found"})),
            "{endpoint}"
        );
    }
    let (status, _) = call(
        &studio.app,
        &other,
        "/api/generations/get",
        &[("id", "junk")],
    )
    .await;
    assert_eq!(status, 404);
    let (_, page) = call(
        &studio.app,
        &other,
        "/api/generations/list",
        &[("page", "0")],
    )
    .await;
    assert_eq!(page["jobs"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_moderated_prompt_fails_with_the_reason_and_is_refunded_once() {
    let studio = Studio::start(
        TestApp::builder().var("LOCAL_MODERATION_WORDS", "forbidden, Nope"),
        20,
    )
    .await;
    let start = studio.upload_image().await.id.to_string();
    let (status, created) = studio
        .create("local-video", "a FORBIDDEN dance", QUICK_CLIP, Some(&start))
        .await;
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(studio.balance().await, 16);

    let state = studio.worker_state();
    run_due_jobs_once(&state, "w").await.unwrap();
    let (_, failed) = studio.call("/api/generations/get", &[("id", &id)]).await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["error_kind"], "moderation");
    assert_eq!(
        failed["error_message"],
        "the prompt contains a blocked word: forbidden"
    );
    assert_eq!(failed["refunded"], true);
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
