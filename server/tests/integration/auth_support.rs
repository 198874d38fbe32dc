//! Helpers for the sign-in tests: drive the real server functions over HTTP.

use std::net::IpAddr;

use app::entities::outbox_message;
use reqwest::header::{COOKIE, SET_COOKIE};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::testing::TestApp;

/// A client that does not keep cookies (tests pass them by hand), bound to a loopback address.
pub fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

pub fn client() -> reqwest::Client {
    client_from("127.0.0.1")
}

pub async fn request_code_from(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/auth/request-code"))
        .form(&[("email", email)])
        .send()
        .await
        .unwrap()
}

pub async fn request_code(app: &TestApp, email: &str) -> reqwest::Response {
    request_code_from(app, &client(), email).await
}

/// The code in the newest outbox mail to `email`.
pub async fn code_from_outbox(app: &TestApp, email: &str) -> String {
    let mail = outbox_message::Entity::find()
        .filter(outbox_message::Column::ToAddress.eq(email))
        .order_by_desc(outbox_message::Column::CreatedAt)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("a mail in the outbox");
    first_code_in(&mail.body_text).expect("a six-digit code in the mail")
}

pub fn first_code_in(text: &str) -> Option<String> {
    text.as_bytes()
        .windows(6)
        .enumerate()
        .find(|(i, w)| {
            w.iter().all(u8::is_ascii_digit)
                && !text.as_bytes().get(i + 6).is_some_and(u8::is_ascii_digit)
                && (*i == 0 || !text.as_bytes()[i - 1].is_ascii_digit())
        })
        .map(|(_, w)| String::from_utf8(w.to_vec()).unwrap())
}

pub async fn verify(app: &TestApp, email: &str, code: &str) -> reqwest::Response {
    client()
        .post(app.url("/api/auth/verify-code"))
        .form(&[("email", email), ("code", code)])
        .send()
        .await
        .unwrap()
}

/// The value a response sets for cookie `name`, if any.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}="))
                .map(|rest| rest.split(';').next().unwrap().to_string())
        })
}

/// Signs `email` up or in through the outbox; returns (access, refresh) tokens.
pub async fn sign_in(app: &TestApp, email: &str) -> (String, String) {
    assert_eq!(request_code(app, email).await.status(), 200);
    let code = code_from_outbox(app, email).await;
    let response = verify(app, email, &code).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    (
        set_cookie(&response, "fw_at").unwrap(),
        set_cookie(&response, "fw_rt").unwrap(),
    )
}

/// Calls `/api/auth/me` with the given cookie header; returns the response.
pub async fn me(app: &TestApp, cookie: &str) -> reqwest::Response {
    client()
        .post(app.url("/api/auth/me"))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

/// The email of the signed-in user according to `/api/auth/me`, if any.
pub async fn me_email(response: reqwest::Response) -> Option<String> {
    let body: serde_json::Value = response.json().await.unwrap();
    body.get("email")
        .and_then(|e| e.as_str())
        .map(str::to_string)
}
