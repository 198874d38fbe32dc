//! The browser flows: add a passkey, sign in with one. They combine the
//! server functions with `navigator.credentials`; a cancelled or failed
//! browser prompt becomes a translated error like any other.

use webauthn_rs_proto::{CreationChallengeResponse, RequestChallengeResponse};

use super::browser;
use super::{
    PasskeyInfo, finish_passkey_registration, finish_passkey_sign_in, start_passkey_registration,
    start_passkey_sign_in,
};
use crate::auth::current::SessionUser;
use crate::error::AppError;

fn cancelled(error: wasm_bindgen::JsValue) -> AppError {
    leptos::logging::log!("passkey prompt ended: {error:?}");
    AppError::invalid("passkey", "error-reason-passkey-cancelled")
}

fn malformed(_: serde_json::Error) -> AppError {
    AppError::invalid("passkey", "error-reason-malformed")
}

/// Creates a passkey in the browser and stores it under `name`.
pub async fn add_passkey(name: String) -> Result<PasskeyInfo, AppError> {
    super::parse_passkey_name(&name)?;
    let options: CreationChallengeResponse =
        serde_json::from_str(&start_passkey_registration().await?).map_err(malformed)?;
    let credential = browser::create(options).await.map_err(cancelled)?;
    finish_passkey_registration(name, serde_json::to_string(&credential).map_err(malformed)?).await
}

/// Signs in with a passkey: a dialog when `modal`, else the autofill list until `signal` aborts.
pub async fn sign_in_with_passkey(
    modal: bool,
    signal: Option<web_sys::AbortSignal>,
) -> Result<SessionUser, AppError> {
    let options: RequestChallengeResponse =
        serde_json::from_str(&start_passkey_sign_in(!modal).await?).map_err(malformed)?;
    let credential = browser::get(options, modal, signal.as_ref())
        .await
        .map_err(cancelled)?;
    finish_passkey_sign_in(serde_json::to_string(&credential).map_err(malformed)?).await
}
