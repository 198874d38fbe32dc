use serde_json::Value;
use server::testing::TestApp;

use super::auth_support::{post_as, sign_in};

async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// What `/api/models/price` answers for `model` with `params`.
async fn price_of(app: &TestApp, user: &str, model: &str, params: &str) -> (u16, Value) {
    json(
        post_as(
            app,
            user,
            "/api/models/price",
            &[("model_id", model), ("params", params)],
        )
        .await,
    )
    .await
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["model"]["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn users_see_only_models_whose_provider_is_configured_and_get_prices() {
    let app = TestApp::builder().var("FAL_KEY", "test-key").spawn().await;
    let (_admin, _) = sign_in(&app, "admin@example.com").await;
    let (user, _) = sign_in(&app, "user@example.com").await;

    let (status, list) =
        json(post_as(&app, &user, "/api/models/list", &[("kind", "video")]).await).await;
    assert_eq!(status, 200);
    let listed = ids(&list);
    assert!(listed.contains(&"local-video".to_string()) && listed.contains(&"veo-3.1".to_string()));
    // No Runway or xAI key: their models are not offered.
    assert!(
        !listed.contains(&"runway-gen4-turbo".to_string()),
        "{listed:?}"
    );
    assert!(!listed.contains(&"grok-imagine-video".to_string()));
    assert!(!listed.contains(&"gpt-image".to_string()), "kind filter");
    // Users get the schema without hidden parameters or the formula.
    let seedance = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["model"]["id"] == "seedance-v1.5-pro")
        .unwrap();
    assert_eq!(seedance["formula"], "");
    assert!(
        seedance["model"]["params"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["name"] != "enable_safety_checker")
    );

    // Seedance default formula: duration_seconds * (720p: 6) * (audio: 2) = 5 * 6 * 2.
    let price = |params: &'static str| price_of(&app, &user, "seedance-v1.5-pro", params);
    assert_eq!(price("{}").await, (200, Value::from(60)));
    assert_eq!(
        price(r#"{"resolution":"1080p","duration":"10"}"#).await,
        (200, Value::from(240))
    );
    let (status, body) = price(r#"{"resolution":"4k"}"#).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        serde_json::json!({"code": "invalid_parameter", "param": "resolution", "problem": "not_allowed", "allowed": "480p, 720p, 1080p"})
    );
    let (status, body) = price("not json").await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid")));

    let (status, body) = json(
        post_as(
            &app,
            &user,
            "/api/models/price",
            &[("model_id", "runway-gen4-turbo"), ("params", "{}")],
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, &body["code"]),
        (409, &Value::from("model_unavailable"))
    );
    let (status, _) = json(
        post_as(
            &app,
            &user,
            "/api/models/price",
            &[("model_id", "no-such-model"), ("params", "{}")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn admins_edit_formulas_that_are_checked_and_switch_models_off() {
    let app = TestApp::spawn().await;
    let (admin, _) = sign_in(&app, "admin@example.com").await;
    let (user, _) = sign_in(&app, "user@example.com").await;

    // Only admins see the full catalog, with why a model cannot run.
    let (status, _) = json(post_as(&app, &user, "/api/admin/models/list", &[]).await).await;
    assert_eq!(status, 403);
    let (_, all) = json(post_as(&app, &admin, "/api/admin/models/list", &[]).await).await;
    let runway = all
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["model"]["id"] == "runway-gen4-turbo")
        .unwrap();
    assert_eq!(runway["missing_key"], "RUNWAYML_API_SECRET");
    let local = all
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["model"]["id"] == "local-video")
        .unwrap();
    assert_eq!(local["missing_key"], Value::Null);
    assert_eq!(
        local["formula"],
        "duration * 2 + (resolution == '480p' ? 4 : 0)"
    );

    let save = |formula: &'static str, enabled: &'static str| {
        let admin = admin.clone();
        let app = &app;
        async move {
            json(
                post_as(
                    app,
                    &admin,
                    "/api/admin/models/save",
                    &[
                        ("model_id", "local-video"),
                        ("enabled", enabled),
                        ("formula", formula),
                    ],
                )
                .await,
            )
            .await
        }
    };
    // A typo is refused by name and nothing is saved.
    let (status, body) = save("duraton * 3", "true").await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        serde_json::json!({"code": "invalid_formula", "problem": "unknown_variable", "detail": "duraton", "at": -1})
    );
    let (status, body) = save("duration * (3", "true").await;
    assert_eq!(
        (status, body["problem"].as_str()),
        (400, Some("unexpected_end"))
    );
    let price = |params: &'static str| price_of(&app, &user, "local-video", params);
    assert_eq!(price(r#"{"duration":"5"}"#).await, (200, Value::from(10)));

    // The test box prices without saving.
    let (status, body) = json(
        post_as(
            &app,
            &admin,
            "/api/admin/models/test-price",
            &[
                ("model_id", "local-video"),
                ("formula", "duration * 3 + 0.5"),
                ("params", r#"{"duration":"5"}"#),
            ],
        )
        .await,
    )
    .await;
    assert_eq!((status, body), (200, Value::from(16)));
    assert_eq!(price(r#"{"duration":"5"}"#).await, (200, Value::from(10)));

    let (status, saved) = save("duration * 3", "true").await;
    assert_eq!(status, 200);
    assert_eq!(
        (saved["formula"].as_str(), saved["custom_formula"].as_bool()),
        (Some("duration * 3"), Some(true))
    );
    assert_eq!(price(r#"{"duration":"5"}"#).await, (200, Value::from(15)));

    // Switched off: users are told it is unavailable and no longer see it.
    let (status, _) = save("duration * 3", "false").await;
    assert_eq!(status, 200);
    let (status, body) = price("{}").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("model_unavailable"))
    );
    let (_, list) = json(post_as(&app, &user, "/api/models/list", &[]).await).await;
    assert!(!ids(&list).contains(&"local-video".to_string()));

    // Blank restores the default formula.
    let (_, restored) = save("", "true").await;
    assert_eq!(restored["custom_formula"], false);
    assert_eq!(price(r#"{"duration":"5"}"#).await, (200, Value::from(10)));
}
