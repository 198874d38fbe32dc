use app::admin::users::UserRow;
use app::credits::api::{CreditsPage, TransactionRow};
use app::error::AppError;
use app::platform::clock::ManualClock;
use chrono::{Duration, Utc};
use server::testing::TestApp;

use super::person::TestUser;

#[tokio::test]
async fn admins_grant_and_deduct_and_users_see_balance_and_history() {
    let clock = ManualClock::new(Utc::now());
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    let admin = TestUser::sign_in(&app, "admin@example.com").await;
    let user = TestUser::sign_in(&app, "user@example.com").await;
    let user_id = user.id.to_string();
    let adjust = |who: &TestUser, amount: &'static str, reason: &'static str| {
        let who = who.clone();
        let user_id = user_id.clone();
        async move {
            who.form(
                "/api/admin/credits/adjust",
                &[
                    ("user_id", &user_id),
                    ("amount", amount),
                    ("reason", reason),
                ],
            )
            .await
        }
    };

    let granted: TransactionRow = adjust(&admin, "500", "welcome").await.view();
    assert_eq!(granted.balance_after, 500);
    clock.advance(Duration::seconds(1));
    let deducted: TransactionRow = adjust(&admin, "-120", "correction").await.view();
    assert_eq!(deducted.amount, -120);

    // Bad input names the field; too large a deduction says what is needed and available.
    let no_reason = adjust(&admin, "5", " ").await.err();
    assert_eq!(
        no_reason,
        AppError::invalid("reason", "error-reason-required")
    );
    assert_eq!(
        adjust(&admin, "-1000", "x").await.err(),
        AppError::InsufficientCredits {
            needed: 1000,
            balance: 380
        }
    );

    // Only admins adjust.
    assert_eq!(adjust(&user, "9999", "me").await.err(), AppError::Forbidden);

    let mine: CreditsPage = user
        .form("/api/credits/mine", &[("page", "0")])
        .await
        .view();
    assert_eq!(mine.balance, 380);
    assert_eq!(mine.rows.len(), 2);
    assert_eq!(mine.rows[0].description, "correction", "newest first");
    assert_eq!(mine.rows[1].kind, "grant");
    let grants: CreditsPage = user
        .form("/api/credits/mine", &[("page", "0"), ("kind", "grant")])
        .await
        .view();
    assert_eq!(grants.rows.len(), 1);
    let bad_kind = user
        .form("/api/credits/mine", &[("page", "0"), ("kind", "gift")])
        .await
        .err();
    assert_eq!(
        bad_kind,
        AppError::invalid("kind", "error-reason-unknown-kind")
    );

    let users: Vec<UserRow> = admin
        .form("/api/admin/users/list", &[("query", "user@")])
        .await
        .view();
    assert_eq!(users[0].credits, 380);
}
