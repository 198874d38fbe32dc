use app::platform::clock::ManualClock;
use chrono::{Duration, Utc};
use server::testing::TestApp;

use super::auth_support::{me, post_as, sign_in};

#[tokio::test]
async fn admins_grant_and_deduct_and_users_see_balance_and_history() {
    let clock = ManualClock::new(Utc::now());
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    let (admin, _) = sign_in(&app, "admin@example.com").await;
    let (user, _) = sign_in(&app, "user@example.com").await;
    let user_id = me(&app, &format!("fw_at={user}"))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let granted = post_as(
        &app,
        &admin,
        "/api/admin/credits/adjust",
        &[
            ("user_id", &user_id),
            ("amount", "500"),
            ("reason", "welcome"),
        ],
    )
    .await;
    assert_eq!(granted.status(), 200);
    assert_eq!(
        granted.json::<serde_json::Value>().await.unwrap()["balance_after"],
        500
    );
    clock.advance(Duration::seconds(1));
    let deducted: serde_json::Value = post_as(
        &app,
        &admin,
        "/api/admin/credits/adjust",
        &[
            ("user_id", &user_id),
            ("amount", "-120"),
            ("reason", "correction"),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(deducted["amount"], -120);

    // Bad input names the field; too large a deduction says what is needed and available.
    let no_reason = post_as(
        &app,
        &admin,
        "/api/admin/credits/adjust",
        &[("user_id", &user_id), ("amount", "5"), ("reason", " ")],
    )
    .await;
    assert_eq!(no_reason.status(), 400);
    assert_eq!(
        no_reason.json::<serde_json::Value>().await.unwrap()["field"],
        "reason"
    );
    let too_much = post_as(
        &app,
        &admin,
        "/api/admin/credits/adjust",
        &[("user_id", &user_id), ("amount", "-1000"), ("reason", "x")],
    )
    .await;
    assert_eq!(too_much.status(), 402);
    assert_eq!(
        too_much.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({"code": "insufficient_credits", "needed": 1000, "balance": 380})
    );

    // Only admins adjust.
    assert_eq!(
        post_as(
            &app,
            &user,
            "/api/admin/credits/adjust",
            &[("user_id", &user_id), ("amount", "9999"), ("reason", "me")]
        )
        .await
        .status(),
        403
    );

    let mine: serde_json::Value = post_as(&app, &user, "/api/credits/mine", &[("page", "0")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["balance"], 380);
    assert_eq!(mine["rows"].as_array().unwrap().len(), 2);
    assert_eq!(mine["rows"][0]["description"], "correction", "newest first");
    assert_eq!(mine["rows"][1]["kind"], "grant");
    let grants: serde_json::Value = post_as(
        &app,
        &user,
        "/api/credits/mine",
        &[("page", "0"), ("kind", "grant")],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(grants["rows"].as_array().unwrap().len(), 1);
    let bad_kind = post_as(
        &app,
        &user,
        "/api/credits/mine",
        &[("page", "0"), ("kind", "gift")],
    )
    .await;
    assert_eq!(bad_kind.status(), 400);

    let users: Vec<serde_json::Value> =
        post_as(&app, &admin, "/api/admin/users/list", &[("query", "user@")])
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(users[0]["credits"], 380);
}
