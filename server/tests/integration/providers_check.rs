//! Admin › Models › Providers: "Check connection" against local fakes of each
//! provider's cheapest authenticated read, and the Sora 2 Pro caveat.

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use server::testing::TestApp;

use app::catalog::{CatalogEntry, ConnectionCheck};

use super::person::TestUser;

/// A fake provider: `path` answers 200 to requests carrying `auth` (the whole
/// Authorization header), 401 to others; anything else is 404.
async fn fake(path: &'static str, auth: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(move |req: Request| async move {
        let given = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let answer = |status: u16, body: Value| -> Response {
            (
                http::StatusCode::from_u16(status).unwrap(),
                axum::Json(body),
            )
                .into_response()
        };
        if req.uri().path() != path {
            answer(404, json!({"detail": "not found"}))
        } else if given == auth {
            answer(200, json!({"data": []}))
        } else {
            answer(
                401,
                json!({"error": {"message": "Incorrect API key provided"}}),
            )
        }
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    base
}

async fn check(who: &TestUser, provider: &str) -> (u16, Value) {
    let answer = who
        .form(
            "/api/admin/models/check-provider",
            &[("provider", provider)],
        )
        .await;
    if answer.status == 200 {
        // The answer is exactly a ConnectionCheck.
        let _: ConnectionCheck = answer.clone().view();
    }
    (answer.status, answer.body)
}

#[tokio::test]
async fn admins_tell_a_working_key_from_a_wrong_one_a_missing_one_and_a_dead_provider() {
    let fal = fake("/v1/models/pricing", "Key id-1:secret").await;
    let openai = fake("/v1/models", "Bearer sk-right").await;
    // Nothing listens here: the provider is unreachable.
    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let app = TestApp::builder()
        .var("FAL_KEY", "id-1:secret")
        .var("FAL_API_URL", fal.clone())
        .var("OPENAI_API_KEY", "sk-wrong")
        .var("OPENAI_BASE_URL", format!("{openai}/v1"))
        .var("XAI_API_KEY", "xai-key")
        .var("XAI_BASE_URL", dead)
        .spawn()
        .await;
    let admin = TestUser::sign_in(&app, "admin@example.com").await;
    let user = TestUser::sign_in(&app, "user@example.com").await;

    let (status, ok) = check(&admin, "fal").await;
    assert_eq!(status, 200, "{ok}");
    assert_eq!(
        (ok["provider"].as_str(), ok["outcome"].as_str()),
        (Some("fal"), Some("ok"))
    );

    let (_, wrong) = check(&admin, "openai").await;
    assert_eq!(wrong["outcome"], "auth");
    assert_eq!(wrong["detail"], "Incorrect API key provided");

    let (_, missing) = check(&admin, "runway").await;
    assert_eq!(
        (missing["outcome"].as_str(), missing["detail"].as_str()),
        (Some("missing_key"), Some("RUNWAYML_API_SECRET"))
    );

    let (_, down) = check(&admin, "xai").await;
    assert_eq!(down["outcome"], "unreachable", "{down}");

    let (status, body) = check(&admin, "local").await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid")));
    let (status, _) = check(&user, "fal").await;
    assert_eq!(status, 403, "admins only");
}

#[tokio::test]
async fn sora_2_pro_is_off_until_an_admin_switches_it_on_and_carries_its_notice() {
    let app = TestApp::builder().var("FAL_KEY", "id:secret").spawn().await;
    let admin = TestUser::sign_in(&app, "admin@example.com").await;
    let user = TestUser::sign_in(&app, "user@example.com").await;
    let listed = |entries: Vec<CatalogEntry>| -> Vec<String> {
        entries.into_iter().map(|e| e.model.id).collect()
    };
    let videos = || user.form("/api/models/list", &[("kind", "video")]);
    let ids = listed(videos().await.view());
    assert!(ids.contains(&"veo-3.1".to_string()));
    assert!(!ids.contains(&"sora-2-pro".to_string()), "{ids:?}");

    let all: Vec<CatalogEntry> = admin.form("/api/admin/models/list", &[]).await.view();
    let sora = all
        .into_iter()
        .find(|e| e.model.id == "sora-2-pro")
        .unwrap();
    assert!(!sora.enabled);
    assert_eq!(
        sora.model.notice.as_deref(),
        Some("model-notice-unverified")
    );

    let saved = admin
        .form(
            "/api/admin/models/save",
            &[
                ("model_id", "sora-2-pro"),
                ("enabled", "true"),
                ("formula", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(listed(videos().await.view()).contains(&"sora-2-pro".to_string()));
}
