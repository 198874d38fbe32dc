use app::admin::users::UserRow;
use app::auth::current::SessionUser;
use app::auth::profile::SessionInfo;
use app::auth::roles::Role;
use app::error::AppError;
use app::platform::clock::ManualClock;
use chrono::{Duration, Utc};
use server::testing::TestApp;

use super::auth_support::{me, me_email};
use super::person::TestUser;

#[tokio::test]
async fn admins_approve_promote_and_disable_and_others_are_refused() {
    let clock = ManualClock::new(Utc::now());
    let app = TestApp::builder()
        .clock(clock.clone())
        .var("AUTO_APPROVE", "false")
        .spawn()
        .await;
    let admin = TestUser::sign_in(&app, "admin@example.com").await;
    let newbie = TestUser::sign_in(&app, "newbie@example.com").await;
    let newbie_id = newbie.id.to_string();
    let admin_id = admin.id.to_string();

    let signed_in: Option<SessionUser> = newbie.form("/api/auth/me", &[]).await.view();
    assert_eq!(
        signed_in.unwrap().role,
        Role::NewUser,
        "AUTO_APPROVE=false: new accounts wait"
    );

    // Not an admin: refused on the server, whatever the UI shows.
    for (endpoint, form) in [
        ("/api/admin/users/list", vec![("query", "")]),
        (
            "/api/admin/users/role",
            vec![("user_id", admin_id.as_str()), ("role", "user")],
        ),
        (
            "/api/admin/users/disabled",
            vec![("user_id", admin_id.as_str()), ("disabled", "true")],
        ),
    ] {
        assert_eq!(
            newbie.form(endpoint, &form).await.err(),
            AppError::Forbidden,
            "{endpoint}"
        );
        let anonymous = reqwest::Client::new()
            .post(app.url(endpoint))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401, "{endpoint}");
    }

    let list: Vec<UserRow> = admin
        .form("/api/admin/users/list", &[("query", "NEWBIE")])
        .await
        .view();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].email, "newbie@example.com");

    let approved: UserRow = admin
        .form(
            "/api/admin/users/role",
            &[("user_id", &newbie_id), ("role", "user")],
        )
        .await
        .view();
    assert_eq!(approved.role, Role::User);
    let bad_role = admin
        .form(
            "/api/admin/users/role",
            &[("user_id", &newbie_id), ("role", "owner")],
        )
        .await;
    assert_eq!(
        bad_role.err(),
        AppError::invalid("role", "error-reason-unknown-role")
    );
    let myself = admin
        .form(
            "/api/admin/users/role",
            &[("user_id", &admin_id), ("role", "user")],
        )
        .await;
    assert_eq!(
        myself.err(),
        AppError::invalid("user", "error-reason-not-yourself"),
        "an admin cannot demote themselves"
    );

    // Disabling signs the account out everywhere and refuses new sign-ins.
    let disabled: UserRow = admin
        .form(
            "/api/admin/users/disabled",
            &[("user_id", &newbie_id), ("disabled", "true")],
        )
        .await
        .view();
    assert!(disabled.disabled);
    assert_eq!(me_email(me(&app, &newbie.cookie()).await).await, None);
    assert_eq!(
        me_email(me(&app, &format!("fw_rt={}", newbie.refresh)).await).await,
        None
    );
    clock.advance(Duration::seconds(61));
    let again = reqwest::Client::new()
        .post(app.url("/api/auth/request-code"))
        .form(&[("email", "newbie@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200, "the same answer as for anyone");
}

#[tokio::test]
async fn admin_emails_become_admins_and_the_cli_grants_admin() {
    let app = TestApp::builder()
        .var("ADMIN_EMAILS", "boss@example.com")
        .var("PUBLIC_URL", "http://studio.test:1")
        .spawn()
        .await;
    // Not a loopback install: the first account is no admin by itself...
    let first = app::auth::accounts::sign_in(
        &app.state.db,
        &app.state.config,
        &app::values::Email::parse("first@example.com").unwrap(),
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(first.role, "user");
    // ...but a listed address is.
    let boss = app::auth::accounts::sign_in(
        &app.state.db,
        &app.state.config,
        &app::values::Email::parse("Boss@Example.com").unwrap(),
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(boss.role, "admin");
    let granted = app::auth::roles::grant_admin(&app.state.db, Utc::now(), "first@example.com")
        .await
        .unwrap();
    assert_eq!(granted.role, "admin");
    assert_eq!(granted.id, first.id);
}

#[tokio::test]
async fn the_profile_saves_name_and_language_and_lists_devices() {
    let clock = ManualClock::new(Utc::now());
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    let laptop = TestUser::sign_in(&app, "pat@example.com").await;
    clock.advance(Duration::seconds(61));
    let phone = TestUser::sign_in(&app, "pat@example.com").await;

    let saved: SessionUser = laptop
        .form(
            "/api/profile/update",
            &[("display_name", "  Pat  "), ("locale", "zh-CN")],
        )
        .await
        .view();
    assert_eq!(saved.display_name.as_deref(), Some("Pat"));
    assert_eq!(saved.locale.as_deref(), Some("zh-CN"));
    let bad = laptop
        .form(
            "/api/profile/update",
            &[("display_name", "Pat"), ("locale", "fr")],
        )
        .await
        .err();
    assert_eq!(
        bad,
        AppError::invalid("locale", "error-reason-unknown-language")
    );

    let sessions: Vec<SessionInfo> = laptop.form("/api/profile/sessions", &[]).await.view();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s.current).count(), 1);
    let phone_session = sessions.iter().find(|s| !s.current).unwrap().id.clone();
    laptop
        .form("/api/profile/sessions/revoke", &[("id", &phone_session)])
        .await
        .view::<()>();
    assert_eq!(
        me_email(me(&app, &phone.cookie()).await).await,
        None,
        "the phone is signed out"
    );
    let sessions: Vec<SessionInfo> = laptop.form("/api/profile/sessions", &[]).await.view();
    assert_eq!(sessions.len(), 1);

    // Mail sent after the change speaks the chosen language, whatever the request's language.
    clock.advance(Duration::seconds(61));
    reqwest::Client::new()
        .post(app.url("/api/auth/request-code"))
        .header("accept-language", "en-US")
        .form(&[("email", "pat@example.com")])
        .send()
        .await
        .unwrap();
    let mail = app::platform::mail::outbox::latest(&app.state.db, 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(mail.subject, "你的 Framewright 登录验证码");
    assert!(
        mail.body_text.contains("10 分钟内有效"),
        "{}",
        mail.body_text
    );
}
