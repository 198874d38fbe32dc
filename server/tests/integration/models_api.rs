use app::catalog::CatalogEntry;
use app::error::AppError;
use server::testing::TestApp;

use super::person::{Answer, TestUser};

/// What `/api/models/price` answers for `model` with `params`.
async fn price_of(user: &TestUser, model: &str, params: &str) -> Answer {
    user.form(
        "/api/models/price",
        &[("model_id", model), ("params", params)],
    )
    .await
}

fn ids(list: &[CatalogEntry]) -> Vec<String> {
    list.iter().map(|e| e.model.id.clone()).collect()
}

/// The entry for `id` in a list.
fn entry<'a>(list: &'a [CatalogEntry], id: &str) -> &'a CatalogEntry {
    list.iter().find(|e| e.model.id == id).unwrap()
}

#[tokio::test]
async fn users_see_only_models_whose_provider_is_configured_and_get_prices() {
    let app = TestApp::builder().var("FAL_KEY", "test-key").spawn().await;
    let _admin = TestUser::sign_in(&app, "admin@example.com").await;
    let user = TestUser::sign_in(&app, "user@example.com").await;

    let list: Vec<CatalogEntry> = user
        .form("/api/models/list", &[("kind", "video")])
        .await
        .view();
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
    let seedance = entry(&list, "seedance-v1.5-pro");
    assert_eq!(seedance.formula, "");
    assert!(
        seedance
            .model
            .params
            .iter()
            .all(|p| p.name != "enable_safety_checker")
    );

    // Seedance default formula: duration_seconds * (720p: 6) * (audio: 2) = 5 * 6 * 2.
    let price = |params: &'static str| price_of(&user, "seedance-v1.5-pro", params);
    assert_eq!(price("{}").await.view::<i64>(), 60);
    assert_eq!(
        price(r#"{"resolution":"1080p","duration":"10"}"#)
            .await
            .view::<i64>(),
        240
    );
    assert_eq!(
        price(r#"{"resolution":"4k"}"#).await.err(),
        AppError::InvalidParameter {
            param: "resolution".into(),
            problem: "not_allowed".into(),
            allowed: "480p, 720p, 1080p".into()
        }
    );
    let refused = price("not json").await.err();
    assert_eq!(
        refused,
        AppError::invalid("params", "error-reason-malformed")
    );

    let refused = price_of(&user, "runway-gen4-turbo", "{}").await.err();
    assert!(
        matches!(refused, AppError::ModelUnavailable { .. }),
        "{refused:?}"
    );
    assert_eq!(
        price_of(&user, "no-such-model", "{}").await.err(),
        AppError::NotFound
    );
}

#[tokio::test]
async fn admins_edit_formulas_that_are_checked_and_switch_models_off() {
    let app = TestApp::spawn().await;
    let admin = TestUser::sign_in(&app, "admin@example.com").await;
    let user = TestUser::sign_in(&app, "user@example.com").await;

    // Only admins see the full catalog, with why a model cannot run.
    assert_eq!(
        user.form("/api/admin/models/list", &[]).await.err(),
        AppError::Forbidden
    );
    let all: Vec<CatalogEntry> = admin.form("/api/admin/models/list", &[]).await.view();
    let runway = entry(&all, "runway-gen4-turbo");
    assert_eq!(runway.missing_key.as_deref(), Some("RUNWAYML_API_SECRET"));
    let local = entry(&all, "local-video");
    assert_eq!(local.missing_key, None);
    assert_eq!(
        local.formula,
        "duration * 2 + (resolution == '480p' ? 4 : 0)"
    );

    let save = |formula: &'static str, enabled: &'static str| {
        let admin = &admin;
        async move {
            admin
                .form(
                    "/api/admin/models/save",
                    &[
                        ("model_id", "local-video"),
                        ("enabled", enabled),
                        ("formula", formula),
                    ],
                )
                .await
        }
    };
    // A typo is refused by name and nothing is saved.
    assert_eq!(
        save("duraton * 3", "true").await.err(),
        AppError::InvalidFormula {
            problem: "unknown_variable".into(),
            detail: "duraton".into(),
            at: -1
        }
    );
    let refused = save("duration * (3", "true").await.err();
    assert!(
        matches!(&refused, AppError::InvalidFormula { problem, .. } if problem == "unexpected_end"),
        "{refused:?}"
    );
    let price = |params: &'static str| price_of(&user, "local-video", params);
    assert_eq!(price(r#"{"duration":"5"}"#).await.view::<i64>(), 10);

    // The test box prices without saving.
    let tested: i64 = admin
        .form(
            "/api/admin/models/test-price",
            &[
                ("model_id", "local-video"),
                ("formula", "duration * 3 + 0.5"),
                ("params", r#"{"duration":"5"}"#),
            ],
        )
        .await
        .view();
    assert_eq!(tested, 16);
    assert_eq!(price(r#"{"duration":"5"}"#).await.view::<i64>(), 10);

    let saved: CatalogEntry = save("duration * 3", "true").await.view();
    assert_eq!(
        (saved.formula.as_str(), saved.custom_formula),
        ("duration * 3", true)
    );
    assert_eq!(price(r#"{"duration":"5"}"#).await.view::<i64>(), 15);

    // Switched off: users are told it is unavailable and no longer see it.
    save("duration * 3", "false").await.view::<CatalogEntry>();
    let refused = price("{}").await.err();
    assert!(
        matches!(refused, AppError::ModelUnavailable { .. }),
        "{refused:?}"
    );
    let list: Vec<CatalogEntry> = user.form("/api/models/list", &[]).await.view();
    assert!(!ids(&list).contains(&"local-video".to_string()));

    // Blank restores the default formula.
    let restored: CatalogEntry = save("", "true").await.view();
    assert!(!restored.custom_formula);
    assert_eq!(price(r#"{"duration":"5"}"#).await.view::<i64>(), 10);
}
