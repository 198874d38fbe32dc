//! Signing out: of this device, or of every device.

use leptos::prelude::*;

use super::current::SessionUser;
use crate::error::AppError;

/// The signed-in user of this request, if any.
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn get_session_user() -> Result<Option<SessionUser>, AppError> {
    Ok(super::current::current_session().map(|s| s.user))
}

/// Ends this device's session.
#[server(prefix = "/api", endpoint = "auth/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::platform::state::AppState;
    let state = expect_context::<AppState>();
    if let Some(session) = super::current::current_session() {
        super::session::revoke_family(&state.db, session.family, state.clock.now()).await?;
    }
    super::set_cookies(&super::cookies::clear(state.config.secure_cookies()));
    Ok(())
}

/// Ends every session of the signed-in user, on every device.
#[server(prefix = "/api", endpoint = "auth/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::platform::state::AppState;
    let state = expect_context::<AppState>();
    let session = super::current::require_session()?;
    super::session::revoke_all(&state.db, session.user_id, state.clock.now()).await?;
    super::set_cookies(&super::cookies::clear(state.config.secure_cookies()));
    Ok(())
}
