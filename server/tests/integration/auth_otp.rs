use app::auth::current::SessionUser;
use app::auth::roles::Role;
use app::entities::{otp_code, user};
use app::error::AppError;
use app::platform::clock::ManualClock;
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use server::testing::{SmtpSink, TestApp};

use super::auth_support::*;
use super::person::exactly;

async fn app_with_clock() -> (TestApp, ManualClock) {
    let clock = ManualClock::new(Utc::now());
    (TestApp::builder().clock(clock.clone()).spawn().await, clock)
}

#[tokio::test]
async fn the_emailed_code_signs_up_and_sets_http_only_session_cookies() {
    let (app, _) = app_with_clock().await;
    let response = request_code(&app, "Ada@Example.com").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"resend_after_secs": 60, "valid_for_secs": 600})
    );

    let mails = app::platform::mail::outbox::latest(&app.state.db, 10)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to_address, "ada@example.com");
    assert_eq!(mails[0].subject, "Your Framewright sign-in code");
    assert!(
        mails[0].body_text.contains("valid for 10 minutes"),
        "{}",
        mails[0].body_text
    );

    let code = code_from_outbox(&app, "ada@example.com").await;
    let response = verify(&app, "ada@example.com", &code).await;
    assert_eq!(response.status(), 200);
    let cookies: Vec<_> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    for name in ["fw_at=", "fw_rt="] {
        let cookie = cookies.iter().find(|c| c.starts_with(name)).expect(name);
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && !cookie.contains("Secure"),
            "{cookie}"
        );
    }
    let signed_in: SessionUser = exactly(response.json().await.unwrap());
    assert_eq!(signed_in.email, "ada@example.com");
    assert_eq!(
        signed_in.role,
        Role::Admin,
        "the first account of a zero-config install is the admin"
    );

    let (at, _) = (set_cookie_from(&cookies, "fw_at"), ());
    assert_eq!(
        me_email(me(&app, &format!("fw_at={at}")).await)
            .await
            .as_deref(),
        Some("ada@example.com")
    );

    // The second account is an ordinary user (AUTO_APPROVE defaults to true locally).
    sign_in(&app, "grace@example.com").await;
    let grace = user::Entity::find()
        .filter(user::Column::Email.eq("grace@example.com"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(grace.role, "user");
}

fn set_cookie_from(cookies: &[String], name: &str) -> String {
    cookies
        .iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_code_works_once() {
    let (app, _) = app_with_clock().await;
    request_code(&app, "a@example.com").await;
    let code = code_from_outbox(&app, "a@example.com").await;
    assert_eq!(verify(&app, "a@example.com", &code).await.status(), 200);
    let again = verify(&app, "a@example.com", &code).await;
    assert_eq!(again.status(), 400);
    let body: serde_json::Value = again.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"code": "invalid", "field": "code", "reason": "error-reason-code-rejected"})
    );
}

#[tokio::test]
async fn a_code_is_valid_for_600_seconds_and_not_601() {
    let (app, clock) = app_with_clock().await;
    request_code(&app, "on-time@example.com").await;
    request_code(&app, "late@example.com").await;
    let on_time = code_from_outbox(&app, "on-time@example.com").await;
    let late = code_from_outbox(&app, "late@example.com").await;
    clock.advance(Duration::seconds(600));
    assert_eq!(
        verify(&app, "on-time@example.com", &on_time).await.status(),
        200
    );
    clock.advance(Duration::seconds(1));
    assert_eq!(verify(&app, "late@example.com", &late).await.status(), 400);
}

#[tokio::test]
async fn a_new_code_kills_the_old_one() {
    let (app, clock) = app_with_clock().await;
    request_code(&app, "b@example.com").await;
    let old = code_from_outbox(&app, "b@example.com").await;
    clock.advance(Duration::seconds(61));
    assert_eq!(request_code(&app, "b@example.com").await.status(), 200);
    let new = code_from_outbox(&app, "b@example.com").await;
    if old != new {
        assert_eq!(verify(&app, "b@example.com", &old).await.status(), 400);
    }
    assert_eq!(verify(&app, "b@example.com", &new).await.status(), 200);
}

#[tokio::test]
async fn five_wrong_guesses_burn_the_code() {
    let (app, _) = app_with_clock().await;
    request_code(&app, "c@example.com").await;
    let code = code_from_outbox(&app, "c@example.com").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(verify(&app, "c@example.com", wrong).await.status(), 400);
    }
    assert_eq!(
        verify(&app, "c@example.com", &code).await.status(),
        400,
        "burned"
    );
}

#[tokio::test]
async fn resend_within_60_seconds_is_429_with_retry_after() {
    let (app, clock) = app_with_clock().await;
    assert_eq!(request_code(&app, "d@example.com").await.status(), 200);
    clock.advance(Duration::seconds(45));
    let response = request_code(&app, "d@example.com").await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "15");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"code": "rate_limited", "retry_after_secs": 15})
    );
    clock.advance(Duration::seconds(15));
    assert_eq!(request_code(&app, "d@example.com").await.status(), 200);
}

#[tokio::test]
async fn the_per_address_limit_holds_when_the_ip_changes() {
    let (app, clock) = app_with_clock().await;
    for i in 0..6 {
        let client = client_from(&format!("127.0.0.{}", i + 2));
        assert_eq!(
            request_code_from(&app, &client, "e@example.com")
                .await
                .status(),
            200,
            "request {i}"
        );
        clock.advance(Duration::seconds(61));
    }
    let response = request_code_from(&app, &client_from("127.0.0.20"), "e@example.com").await;
    assert_eq!(response.status(), 429);
}

#[tokio::test]
async fn known_and_unknown_addresses_get_the_same_answer() {
    let (app, clock) = app_with_clock().await;
    sign_in(&app, "known@example.com").await;
    clock.advance(Duration::seconds(61));
    let known = request_code(&app, "known@example.com").await;
    let unknown = request_code(&app, "nobody@example.com").await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let (app, _) = app_with_clock().await;
    let response = request_code(&app, "not-an-email").await;
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"code": "invalid", "field": "email", "reason": "error-reason-email"})
    );
    let response = verify(&app, "a@example.com", "12ab").await;
    assert_eq!(response.status(), 400);
    let refused: AppError = exactly(response.json().await.unwrap());
    assert_eq!(
        refused,
        AppError::invalid("code", "error-reason-code-format")
    );
}

#[tokio::test]
async fn no_plaintext_code_is_stored_in_the_database() {
    let sink = SmtpSink::start().await;
    let app = TestApp::builder()
        .var("SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port))
        .spawn()
        .await;
    assert_eq!(request_code(&app, "f@example.com").await.status(), 200);
    let mail = sink.messages().pop().expect("the code was mailed");
    let code = first_code_in(&mail).expect("a code in the mail");
    let rows = otp_code::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(!format!("{rows:?}").contains(&code));
    assert_eq!(rows[0].code_hash.len(), 64);
    let everything = format!(
        "{:?}{:?}{:?}",
        user::Entity::find().all(&app.state.db).await.unwrap(),
        app::entities::event::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap(),
        app::entities::rate_limit_bucket::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap(),
    );
    assert!(!everything.contains(&code));
}

#[tokio::test]
async fn a_disabled_account_is_refused_with_a_clear_reason() {
    let (app, clock) = app_with_clock().await;
    sign_in(&app, "g@example.com").await;
    let account = user::Entity::find()
        .filter(user::Column::Email.eq("g@example.com"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut disabled: user::ActiveModel = account.into();
    disabled.disabled_at = Set(Some(Utc::now()));
    disabled.update(&app.state.db).await.unwrap();
    clock.advance(Duration::seconds(61));
    request_code(&app, "g@example.com").await;
    let code = code_from_outbox(&app, "g@example.com").await;
    let response = verify(&app, "g@example.com", &code).await;
    assert_eq!(response.status(), 403);
    let refused: AppError = exactly(response.json().await.unwrap());
    assert_eq!(refused, AppError::AccountDisabled);
}
