//! `WELCOME_CREDITS`: an account is given them once, as a ledger row of its
//! own kind, when it becomes a `user` (or an admin); a role changed back and
//! forth gives nothing more; 0 gives nothing; a price above the balance says
//! what is missing.

use app::admin::users::UserRow;
use app::auth::roles::Role;
use app::credits::api::CreditsPage;
use app::error::AppError;
use app::platform::clock::ManualClock;
use chrono::{Duration, Utc};
use server::testing::TestApp;

use super::person::TestUser;

async fn credits_of(user: &TestUser) -> CreditsPage {
    user.form("/api/credits/mine", &[("page", "0")])
        .await
        .view()
}

async fn set_role(admin: &TestUser, user: &TestUser, role: &str) -> UserRow {
    admin
        .form(
            "/api/admin/users/role",
            &[("user_id", &user.id.to_string()), ("role", role)],
        )
        .await
        .view()
}

#[tokio::test]
async fn an_approved_account_is_welcomed_once_whatever_its_role_does_later() {
    let clock = ManualClock::new(Utc::now());
    let app = TestApp::builder()
        .clock(clock.clone())
        .var("AUTO_APPROVE", "false")
        .var("WELCOME_CREDITS", "100")
        .spawn()
        .await;
    // The zero-config first account is the admin: approved, so welcomed.
    let admin = TestUser::sign_in(&app, "admin@example.com").await;
    assert_eq!(credits_of(&admin).await.balance, 100);

    // Waiting for approval: nothing yet.
    let newbie = TestUser::sign_in(&app, "newbie@example.com").await;
    let waiting: Vec<UserRow> = admin
        .form("/api/admin/users/list", &[("query", "newbie")])
        .await
        .view();
    assert_eq!((waiting[0].role, waiting[0].credits), (Role::NewUser, 0));

    let approved = set_role(&admin, &newbie, "user").await;
    assert_eq!(approved.credits, 100);
    let page = credits_of(&newbie).await;
    assert_eq!(page.balance, 100);
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].kind, "welcome");
    assert_eq!(page.rows[0].amount, 100);

    // Back to waiting, approved again, made an admin, a user again: no second gift.
    for role in ["new_user", "user", "admin", "user"] {
        set_role(&admin, &newbie, role).await;
    }
    let page = credits_of(&newbie).await;
    assert_eq!(page.balance, 100);
    assert_eq!(page.rows.len(), 1, "{:?}", page.rows);

    // Signing in again (once a new code may be sent) does not welcome again either, and the
    // ledger still adds up.
    clock.advance(Duration::minutes(2));
    TestUser::sign_in(&app, "newbie@example.com").await;
    assert_eq!(credits_of(&newbie).await.balance, 100);
    assert!(
        app::credits::ledger::reconcile(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );

    // The history can be filtered to the welcome kind.
    let welcome: CreditsPage = newbie
        .form("/api/credits/mine", &[("page", "0"), ("kind", "welcome")])
        .await
        .view();
    assert_eq!(welcome.rows.len(), 1);
}

#[tokio::test]
async fn auto_approved_accounts_are_welcomed_at_their_first_sign_in() {
    let app = TestApp::builder()
        .var("WELCOME_CREDITS", "40")
        .spawn()
        .await;
    TestUser::sign_in(&app, "admin@example.com").await;
    let user = TestUser::sign_in(&app, "user@example.com").await;
    let page = credits_of(&user).await;
    assert_eq!(page.balance, 40);
    assert_eq!(page.rows[0].kind, "welcome");
}

#[tokio::test]
async fn zero_welcome_credits_grant_nothing_and_a_short_balance_says_what_is_missing() {
    let app = TestApp::builder().var("WELCOME_CREDITS", "0").spawn().await;
    TestUser::sign_in(&app, "admin@example.com").await;
    let user = TestUser::sign_in(&app, "user@example.com").await;
    let page = credits_of(&user).await;
    assert_eq!((page.balance, page.rows.len()), (0, 0));

    // The local image model costs 1 credit (2 when large): refused with what is needed and what there is.
    let refused = user
        .form(
            "/api/generations/create",
            &[
                ("model_id", "local-image"),
                ("prompt", "a lighthouse"),
                ("params", r#"{"size":"large"}"#),
            ],
        )
        .await
        .err();
    assert_eq!(
        refused,
        AppError::InsufficientCredits {
            needed: 2,
            balance: 0
        }
    );
    let args = refused.message_args();
    assert!(args.contains(&("missing", "2".to_string())), "{args:?}");
    let en = app::i18n::tr_in("en", &refused.message_key(), &args);
    assert!(
        en.contains("2 credits are missing") && en.contains("Ask an admin"),
        "{en}"
    );
    let zh = app::i18n::tr_in("zh-CN", &refused.message_key(), &args);
    assert!(zh.contains("还差 2 积分") && zh.contains("管理员"), "{zh}");
}
