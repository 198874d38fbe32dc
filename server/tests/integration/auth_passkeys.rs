//! Passkeys end to end over HTTP, with a software authenticator in Rust.

use app::auth::current::SessionUser;
use app::auth::passkeys::PasskeyInfo;
use app::error::AppError;
use app::platform::clock::ManualClock;
use chrono::{Duration, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use server::testing::TestApp;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse};

use super::auth_support::{code_from_outbox, set_cookie};
use super::person::exactly;
use super::soft_authenticator::{Faults, SoftPasskey};

/// A browser: keeps its cookies.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn call(
    app: &TestApp,
    browser: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    browser
        .post(app.url(endpoint))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The typed body of a browser's answer with `status`.
async fn read<T: DeserializeOwned + Serialize>(response: reqwest::Response, status: u16) -> T {
    assert_eq!(response.status(), status);
    exactly(response.json().await.unwrap())
}

/// A server function that returns JSON in a string.
async fn json_string<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    assert_eq!(response.status(), 200);
    let text: String = response.json().await.unwrap();
    serde_json::from_str(&text).unwrap()
}

async fn signed_in_browser(app: &TestApp, email: &str) -> reqwest::Client {
    let browser = browser();
    assert_eq!(
        call(app, &browser, "/api/auth/request-code", &[("email", email)])
            .await
            .status(),
        200
    );
    let code = code_from_outbox(app, email).await;
    let response = call(
        app,
        &browser,
        "/api/auth/verify-code",
        &[("email", email), ("code", &code)],
    )
    .await;
    assert_eq!(response.status(), 200);
    browser
}

/// Registers a passkey named `name` for the browser's account.
async fn register(
    app: &TestApp,
    browser: &reqwest::Client,
    soft: &mut SoftPasskey,
    faults: &Faults,
    name: &str,
) -> reqwest::Response {
    let options: CreationChallengeResponse =
        json_string(call(app, browser, "/api/passkeys/register/start", &[]).await).await;
    let credential = soft
        .create_json(&options, &app.base_url, faults)
        .to_string();
    call(
        app,
        browser,
        "/api/passkeys/register/finish",
        &[("name", name), ("credential", &credential)],
    )
    .await
}

async fn sign_in_options(app: &TestApp, browser: &reqwest::Client) -> RequestChallengeResponse {
    json_string(
        call(
            app,
            browser,
            "/api/passkeys/sign-in/start",
            &[("conditional", "false")],
        )
        .await,
    )
    .await
}

async fn finish_sign_in(
    app: &TestApp,
    browser: &reqwest::Client,
    credential: &serde_json::Value,
) -> reqwest::Response {
    call(
        app,
        browser,
        "/api/passkeys/sign-in/finish",
        &[("credential", &credential.to_string())],
    )
    .await
}

/// Signs in with the soft passkey; returns the response.
async fn sign_in(app: &TestApp, soft: &mut SoftPasskey, faults: &Faults) -> reqwest::Response {
    let browser = browser();
    let options = sign_in_options(app, &browser).await;
    let credential = soft.get_json(&options, &app.base_url, faults);
    finish_sign_in(app, &browser, &credential).await
}

async fn assert_rejected(response: reqwest::Response, reason: &str) {
    assert_eq!(response.status(), 400);
    assert!(
        set_cookie(&response, "fw_at").is_none(),
        "no session for a rejected ceremony"
    );
    assert_eq!(
        read::<AppError>(response, 400).await,
        AppError::invalid("passkey", reason)
    );
}

async fn app_with_passkey(email: &str) -> (TestApp, ManualClock, SoftPasskey) {
    let clock = ManualClock::new(Utc::now());
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    let browser = signed_in_browser(&app, email).await;
    let mut soft = SoftPasskey::new();
    let response = register(&app, &browser, &mut soft, &Faults::default(), "Laptop").await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    (app, clock, soft)
}

#[tokio::test]
async fn add_list_rename_delete_and_sign_in_without_an_email() {
    let (app, clock, mut soft) = app_with_passkey("ada@example.com").await;
    let response = sign_in(&app, &mut soft, &Faults::default()).await;
    assert_eq!(response.status(), 200);
    assert!(set_cookie(&response, "fw_at").is_some());
    let user: SessionUser = read(response, 200).await;
    assert_eq!(user.email, "ada@example.com");

    let browser = signed_in_browser(&app, "grace@example.com").await;
    let mut other = SoftPasskey::new();
    assert_eq!(
        register(&app, &browser, &mut other, &Faults::default(), "Phone")
            .await
            .status(),
        200
    );
    let list: Vec<PasskeyInfo> =
        read(call(&app, &browser, "/api/passkeys/list", &[]).await, 200).await;
    assert_eq!(list.len(), 1, "only one's own passkeys are listed");
    assert_eq!(list[0].name, "Phone");
    let id = list[0].id.clone();

    let renamed = call(
        &app,
        &browser,
        "/api/passkeys/rename",
        &[("id", &id), ("name", "  Work phone ")],
    )
    .await;
    assert_eq!(read::<PasskeyInfo>(renamed, 200).await.name, "Work phone");
    let empty = call(
        &app,
        &browser,
        "/api/passkeys/rename",
        &[("id", &id), ("name", "  ")],
    )
    .await;
    let refused: AppError = read(empty, 400).await;
    assert_eq!(refused, AppError::invalid("name", "error-reason-required"));

    // Ada cannot touch Grace's passkey: to her it does not exist.
    clock.advance(Duration::seconds(61));
    let ada = signed_in_browser(&app, "ada@example.com").await;
    assert_eq!(
        call(&app, &ada, "/api/passkeys/delete", &[("id", &id)])
            .await
            .status(),
        404
    );
    assert_eq!(
        call(&app, &browser, "/api/passkeys/delete", &[("id", &id)])
            .await
            .status(),
        200
    );
    let list: Vec<PasskeyInfo> =
        read(call(&app, &browser, "/api/passkeys/list", &[]).await, 200).await;
    assert!(list.is_empty());
    assert_rejected(
        sign_in(&app, &mut other, &Faults::default()).await,
        "error-reason-passkey-rejected",
    )
    .await;
}

#[tokio::test]
async fn every_forged_or_replayed_sign_in_is_rejected() {
    let (app, _, mut soft) = app_with_passkey("alice@example.com").await;
    let rejected = "error-reason-passkey-rejected";
    let cases = [
        (
            "wrong origin",
            Faults {
                origin: Some("https://evil.example".into()),
                ..Default::default()
            },
        ),
        (
            "wrong RP id",
            Faults {
                rp_id: Some("evil.example".into()),
                ..Default::default()
            },
        ),
        (
            "user present 0",
            Faults {
                no_user_present: true,
                ..Default::default()
            },
        ),
        (
            "user verified 0",
            Faults {
                no_user_verified: true,
                ..Default::default()
            },
        ),
        (
            "flipped signature bit",
            Faults {
                flip_signature_bit: true,
                ..Default::default()
            },
        ),
        (
            "challenge of another ceremony",
            Faults {
                challenge: Some(vec![7u8; 32]),
                ..Default::default()
            },
        ),
    ];
    for (what, faults) in cases {
        let response = sign_in(&app, &mut soft, &faults).await;
        assert_eq!(response.status(), 400, "{what}");
        assert_rejected(response, rejected).await;
    }
    // The honest authenticator still works after all that.
    assert_eq!(
        sign_in(&app, &mut soft, &Faults::default()).await.status(),
        200
    );
}

#[tokio::test]
async fn a_replayed_response_or_another_browsers_ceremony_is_refused() {
    let (app, _, mut soft) = app_with_passkey("bob@example.com").await;
    let browser = browser();
    let options = sign_in_options(&app, &browser).await;
    let credential = soft.get_json(&options, &app.base_url, &Faults::default());
    assert_eq!(
        finish_sign_in(&app, &browser, &credential).await.status(),
        200
    );
    // The same response again: its ceremony was used up.
    assert_rejected(
        finish_sign_in(&app, &browser, &credential).await,
        "error-reason-passkey-expired",
    )
    .await;

    // Another browser's challenge, answered and submitted from this browser.
    let theirs = self::browser();
    let their_options = sign_in_options(&app, &theirs).await;
    let mine = self::browser();
    let _my_options = sign_in_options(&app, &mine).await;
    let answer = soft.get_json(&their_options, &app.base_url, &Faults::default());
    assert_rejected(
        finish_sign_in(&app, &mine, &answer).await,
        "error-reason-passkey-rejected",
    )
    .await;
    // A browser with no ceremony at all.
    let answer = soft.get_json(&their_options, &app.base_url, &Faults::default());
    assert_rejected(
        finish_sign_in(&app, &self::browser(), &answer).await,
        "error-reason-passkey-expired",
    )
    .await;
}

#[tokio::test]
async fn a_signature_counter_that_does_not_increase_is_refused() {
    let (app, _, mut soft) = app_with_passkey("carol@example.com").await;
    let at_five = Faults {
        sign_count: Some(5),
        ..Default::default()
    };
    assert_eq!(sign_in(&app, &mut soft, &at_five).await.status(), 200);
    assert_rejected(
        sign_in(&app, &mut soft, &at_five).await,
        "error-reason-passkey-rejected",
    )
    .await;
    let at_six = Faults {
        sign_count: Some(6),
        ..Default::default()
    };
    assert_eq!(sign_in(&app, &mut soft, &at_six).await.status(), 200);
}

#[tokio::test]
async fn another_users_credential_cannot_sign_in_as_them() {
    let (app, clock, mut alice) = app_with_passkey("alice@example.com").await;
    clock.advance(Duration::seconds(61));
    let bob_browser = signed_in_browser(&app, "bob@example.com").await;
    let mut bob = SoftPasskey::new();
    assert_eq!(
        register(
            &app,
            &bob_browser,
            &mut bob,
            &Faults::default(),
            "Bob's key"
        )
        .await
        .status(),
        200
    );
    // Bob's key claims to be Alice.
    let impostor = Faults {
        user_handle: Some(alice.user_handle.clone()),
        ..Default::default()
    };
    assert_rejected(
        sign_in(&app, &mut bob, &impostor).await,
        "error-reason-passkey-rejected",
    )
    .await;
    assert_eq!(
        sign_in(&app, &mut alice, &Faults::default()).await.status(),
        200
    );
}

#[tokio::test]
async fn registration_checks_origin_and_flags_and_expires_after_five_minutes() {
    let clock = ManualClock::new(Utc::now());
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    let browser = signed_in_browser(&app, "dan@example.com").await;
    let mut soft = SoftPasskey::new();
    for faults in [
        Faults {
            origin: Some("http://localhost:1".into()),
            ..Default::default()
        },
        Faults {
            no_user_verified: true,
            ..Default::default()
        },
        Faults {
            rp_id: Some("example.com".into()),
            ..Default::default()
        },
    ] {
        assert_rejected(
            register(&app, &browser, &mut soft, &faults, "Key").await,
            "error-reason-passkey-rejected",
        )
        .await;
    }
    let options: CreationChallengeResponse =
        json_string(call(&app, &browser, "/api/passkeys/register/start", &[]).await).await;
    clock.advance(Duration::minutes(5) + Duration::seconds(1));
    let credential = soft
        .create_json(&options, &app.base_url, &Faults::default())
        .to_string();
    let late = call(
        &app,
        &browser,
        "/api/passkeys/register/finish",
        &[("name", "Key"), ("credential", &credential)],
    )
    .await;
    assert_rejected(late, "error-reason-passkey-expired").await;
    // Signed out, nothing can be registered.
    let stranger = self::browser();
    assert_eq!(
        call(&app, &stranger, "/api/passkeys/register/start", &[])
            .await
            .status(),
        401
    );
}
