//! The one way a test acts as a person: [`TestUser`] signs in through the real
//! emailed-code flow and calls server functions with its session cookie, as a
//! form or as JSON; every call answers an [`Answer`] (status and body), read as
//! a typed view (`JobView`, `ItemView`, …) or as the error it carries.
//!
//! Reading is exact: a view or an error must account for the whole body (it
//! serializes back to exactly what the server sent), so a typed assertion is
//! never weaker than comparing the JSON.

use app::auth::current::SessionUser;
use app::error::AppError;
use reqwest::header::COOKIE;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use server::testing::TestApp;
use uuid::Uuid;

use super::auth_support::{client, sign_in};

/// A signed-in account of a running app.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    /// The access token (the `fw_at` cookie).
    pub token: String,
    /// The refresh token (the `fw_rt` cookie).
    pub refresh: String,
    base_url: String,
}

/// What a server function answered.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    /// The JSON body (a string when the body was not JSON).
    pub body: Value,
}

impl Answer {
    /// The body of a 200 answer; fails the test otherwise.
    #[track_caller]
    pub fn ok(self) -> Value {
        assert_eq!(self.status, 200, "expected 200, got {}", self.body);
        self.body
    }

    /// The body of a 200 answer as `T`, which must hold all of it.
    #[track_caller]
    pub fn view<T: DeserializeOwned + Serialize>(self) -> T {
        let body = self.ok();
        exactly(body)
    }

    /// The error of a failed answer, checking that its status matches it.
    #[track_caller]
    pub fn err(self) -> AppError {
        assert_ne!(self.status, 200, "expected an error, got {}", self.body);
        let error: AppError = exactly(self.body);
        assert_eq!(self.status, error.status(), "{error:?}");
        error
    }
}

/// `body` read as `T`, which must serialize back to exactly `body` (nothing
/// ignored, nothing defaulted).
#[track_caller]
pub fn exactly<T: DeserializeOwned + Serialize>(body: Value) -> T {
    let typed: T = serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("not a {} ({e}): {body}", std::any::type_name::<T>()));
    // Through text, so that `f32` fields compare as the server wrote them.
    let back: Value = serde_json::from_str(&serde_json::to_string(&typed).unwrap()).unwrap();
    assert_eq!(
        back,
        body,
        "{} does not hold the whole body",
        std::any::type_name::<T>()
    );
    typed
}

impl TestUser {
    /// Signs `email` up or in through the outbox.
    pub async fn sign_in(app: &TestApp, email: &str) -> TestUser {
        let (token, refresh) = sign_in(app, email).await;
        let mut user = TestUser {
            id: Uuid::nil(),
            email: email.to_string(),
            token,
            refresh,
            base_url: app.base_url.clone(),
        };
        let me: Option<SessionUser> = user.form("/api/auth/me", &[]).await.view();
        user.id = me.expect("signed in").id.parse().unwrap();
        user
    }

    /// The same person holding another access token (a second session, or a forged one).
    pub fn with_token(&self, token: impl Into<String>) -> TestUser {
        TestUser {
            token: token.into(),
            ..self.clone()
        }
    }

    /// The `Cookie` header value of this session, for raw requests.
    pub fn cookie(&self) -> String {
        format!("fw_at={}", self.token)
    }

    /// An absolute URL of the app this person uses (absolute ones stay as they are).
    pub fn url(&self, url: &str) -> String {
        if url.starts_with("http") {
            url.to_string()
        } else {
            format!("{}{url}", self.base_url)
        }
    }

    fn post(&self, endpoint: &str) -> reqwest::RequestBuilder {
        client()
            .post(self.url(endpoint))
            .header(COOKIE, self.cookie())
    }

    /// Calls a server function with a form body.
    pub async fn form(&self, endpoint: &str, form: &[(&str, &str)]) -> Answer {
        answer(self.post(endpoint).form(form).send().await.unwrap()).await
    }

    /// Calls a server function with a JSON body.
    pub async fn json(&self, endpoint: &str, body: Value) -> Answer {
        answer(self.post(endpoint).json(&body).send().await.unwrap()).await
    }

    /// Calls a JSON server function that must succeed and reads its view.
    pub async fn call<T: DeserializeOwned + Serialize>(&self, endpoint: &str, body: Value) -> T {
        self.json(endpoint, body).await.view()
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    Answer {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

#[test]
#[should_panic(expected = "does not hold the whole body")]
fn a_view_must_hold_the_whole_body() {
    exactly::<AppError>(serde_json::json!({"code": "not_found", "detail": "leaked"}));
}

#[test]
#[should_panic(expected = "NotFound")]
fn an_error_comes_with_its_own_status() {
    Answer {
        status: 400,
        body: serde_json::json!({"code": "not_found"}),
    }
    .err();
}
