//! Accounts, sign-in and roles: email one-time codes, rotating sessions,
//! and the `new_user` / `user` / `admin` roles.

pub mod current;
pub mod gate;
pub mod passkeys;
pub mod profile;
pub mod roles;

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod cookies;
#[cfg(feature = "ssr")]
pub mod otp;
#[cfg(feature = "ssr")]
pub mod session;
pub mod sign_in;
pub mod sign_out;

use leptos::prelude::*;

use crate::error::AppError;
use current::SessionUser;

/// The signed-in user as the UI knows it: loaded once per page load.
pub type SessionResource = Resource<Result<Option<SessionUser>, AppError>>;

/// Loads the session and provides it to the whole tree.
pub fn provide_session() -> SessionResource {
    let session: SessionResource = Resource::new(|| (), |_| sign_out::get_session_user());
    provide_context(session);
    session
}

/// The session provided at the root.
pub fn use_session() -> SessionResource {
    expect_context::<SessionResource>()
}

/// Starts a session for a freshly signed-in account and sets its cookies on the response.
#[cfg(feature = "ssr")]
pub async fn establish_session(
    state: &crate::platform::state::AppState,
    account: &crate::entities::user::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<uuid::Uuid, crate::error::AppError> {
    use session::{AccessTokens, ClientInfo, FAMILY_TTL};
    let client = ClientInfo {
        user_agent: current::user_agent(),
        ip: current::client_ip(),
    };
    let (family, refresh) = session::start_family(&state.db, account.id, client, now).await?;
    let secure = state.config.secure_cookies();
    let access = AccessTokens::from_secret(&state.config.secret_key).issue(account.id, family, now);
    set_cookies(&[
        cookies::access(&access, secure),
        cookies::refresh(&refresh, FAMILY_TTL, secure),
    ]);
    Ok(family)
}

/// Starts the session of an account whose sign-in was recorded, and says who signed in.
#[cfg(feature = "ssr")]
pub async fn complete_sign_in(
    state: &crate::platform::state::AppState,
    account: &crate::entities::user::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SessionUser, AppError> {
    let family = establish_session(state, account, now).await?;
    current::RequestSession::new(account, family)
        .map(|s| s.user)
        .ok_or_else(|| AppError::internal("account with an unknown role"))
}

/// Adds `Set-Cookie` headers to the current server-function or page response.
#[cfg(feature = "ssr")]
pub fn set_cookies(values: &[String]) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        for value in values {
            if let Ok(value) = http::HeaderValue::from_str(value) {
                response.append_header(http::header::SET_COOKIE, value);
            }
        }
    }
}
