//! The browser half of passkeys: `navigator.credentials.create/get` through
//! web-sys, with webauthn-rs-proto's conversions.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use webauthn_rs_proto::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

fn credentials() -> Result<web_sys::CredentialsContainer, JsValue> {
    Ok(web_sys::window()
        .ok_or("no window")?
        .navigator()
        .credentials())
}

/// Asks the authenticator to create a passkey.
pub async fn create(
    options: CreationChallengeResponse,
) -> Result<RegisterPublicKeyCredential, JsValue> {
    let options: web_sys::CredentialCreationOptions = options.into();
    let promise = credentials()?.create_with_options(&options)?;
    let credential: web_sys::PublicKeyCredential = JsFuture::from(promise).await?.dyn_into()?;
    Ok(RegisterPublicKeyCredential::from(credential))
}

/// Asks for an assertion. `modal` shows the browser's passkey dialog; otherwise the
/// request waits for the person to pick a passkey from the autofill list
/// (conditional mediation) until `signal` aborts it.
pub async fn get(
    options: RequestChallengeResponse,
    modal: bool,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<PublicKeyCredential, JsValue> {
    let options: web_sys::CredentialRequestOptions = options.into();
    if modal {
        js_sys::Reflect::delete_property(&options, &"mediation".into())?;
    }
    if let Some(signal) = signal {
        options.set_signal(signal);
    }
    let promise = credentials()?.get_with_options(&options)?;
    let credential: web_sys::PublicKeyCredential = JsFuture::from(promise).await?.dyn_into()?;
    Ok(PublicKeyCredential::from(credential))
}

/// Whether the browser can offer passkeys in autofill.
pub async fn conditional_mediation_available() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(class) = js_sys::Reflect::get(&window, &"PublicKeyCredential".into()) else {
        return false;
    };
    let Ok(check) = js_sys::Reflect::get(&class, &"isConditionalMediationAvailable".into()) else {
        return false;
    };
    let Ok(check) = check.dyn_into::<js_sys::Function>() else {
        return false;
    };
    let Ok(promise) = check
        .call0(&class)
        .and_then(|p| p.dyn_into::<js_sys::Promise>())
    else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .map(|v| v.is_truthy())
        .unwrap_or(false)
}
