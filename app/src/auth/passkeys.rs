//! Passkeys: add, list, rename and delete them from the profile; sign in with
//! one (a button, or the browser's autofill) without typing an email.
//! Credentials travel as JSON strings between the browser and these functions.

#[cfg(not(feature = "ssr"))]
pub mod browser;
#[cfg(feature = "ssr")]
pub mod ceremony;
#[cfg(not(feature = "ssr"))]
pub mod flows;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::current::SessionUser;
use crate::error::AppError;

/// A passkey as listed on the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyInfo {
    pub id: String,
    pub name: String,
    /// RFC 3339.
    pub created_on: String,
    /// RFC 3339, if ever used.
    pub last_used: Option<String>,
}

/// Checks a passkey name: trimmed, 1 to 60 characters.
pub fn parse_passkey_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", "error-reason-required"));
    }
    if name.chars().count() > 60 {
        return Err(AppError::invalid("name", "error-reason-too-long"));
    }
    Ok(name.to_string())
}

#[cfg(feature = "ssr")]
mod ssr {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use leptos::prelude::*;
    use uuid::Uuid;
    use webauthn_rs::Webauthn;

    use super::PasskeyInfo;
    use super::ceremony::{self, CEREMONY_COOKIE, Kind};
    use crate::entities::passkey;
    use crate::error::AppError;
    use crate::platform::state::AppState;

    /// A rejected ceremony: logged with the reason, answered without it.
    pub fn rejected(reason: impl std::fmt::Display) -> AppError {
        tracing::info!(reason = %reason, "passkey ceremony rejected");
        AppError::invalid("passkey", "error-reason-passkey-rejected")
    }

    pub fn webauthn(state: &AppState) -> Result<std::sync::Arc<Webauthn>, AppError> {
        state.webauthn.clone().ok_or(AppError::Unavailable)
    }

    pub fn credential_key(id: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(id)
    }

    /// The ceremony id this browser holds.
    pub fn ceremony_id() -> Option<Uuid> {
        let parts = use_context::<http::request::Parts>()?;
        let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
        crate::cookie::find_cookie(header, CEREMONY_COOKIE)?
            .parse()
            .ok()
    }

    /// Takes this browser's ceremony of `kind`, or explains that it is gone.
    pub async fn take_ceremony(
        state: &AppState,
        kind: Kind,
    ) -> Result<crate::entities::webauthn_ceremony::Model, AppError> {
        let Some(id) = ceremony_id() else {
            return Err(AppError::invalid("passkey", "error-reason-passkey-expired"));
        };
        ceremony::take(&state.db, id, kind, state.clock.now())
            .await?
            .ok_or_else(|| AppError::invalid("passkey", "error-reason-passkey-expired"))
    }

    pub fn info(row: &passkey::Model) -> PasskeyInfo {
        PasskeyInfo {
            id: row.id.to_string(),
            name: row.name.clone(),
            created_on: row
                .created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            last_used: row
                .last_used_at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        }
    }

    /// One of the caller's passkeys, or 404 (another user's passkey does not exist for them).
    pub async fn own_passkey(
        state: &AppState,
        user: Uuid,
        id: &str,
    ) -> Result<passkey::Model, AppError> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
        passkey::Entity::find_by_id(id)
            .filter(passkey::Column::UserId.eq(user))
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)
    }
}

/// Begins adding a passkey to the signed-in account: the options for `navigator.credentials.create`, as JSON.
#[server(prefix = "/api", endpoint = "passkeys/register/start")]
pub async fn start_passkey_registration() -> Result<String, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use webauthn_rs::prelude::Passkey;
    use webauthn_rs_proto::ResidentKeyRequirement;

    use self::ceremony::Kind;
    use self::ssr::*;
    use crate::entities::passkey;
    use crate::platform::state::AppState;

    let state = expect_context::<AppState>();
    let session = super::current::require_session()?;
    let webauthn = webauthn(&state)?;
    let existing: Vec<_> = passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(session.user_id))
        .all(&state.db)
        .await?
        .iter()
        .filter_map(|row| serde_json::from_str::<Passkey>(&row.passkey).ok())
        .map(|p| p.cred_id().clone())
        .collect();
    let label = session.user.label().to_string();
    let (mut options, registration) = webauthn
        .start_passkey_registration(session.user_id, &session.user.email, &label, Some(existing))
        .map_err(AppError::internal)?;
    // Sign-in without an email needs a discoverable credential.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    let state_json = serde_json::to_string(&registration).map_err(AppError::internal)?;
    let id = ceremony::store(
        &state.db,
        Kind::Register,
        Some(session.user_id),
        state_json,
        state.clock.now(),
    )
    .await?;
    super::set_cookies(&[ceremony::cookie(id, state.config.secure_cookies())]);
    serde_json::to_string(&options).map_err(AppError::internal)
}

/// Finishes adding a passkey: checks the authenticator's answer and keeps the credential under `name`.
#[server(prefix = "/api", endpoint = "passkeys/register/finish")]
pub async fn finish_passkey_registration(
    name: String,
    credential: String,
) -> Result<PasskeyInfo, AppError> {
    use sea_orm::{ActiveModelTrait, Set};
    use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential};

    use self::ceremony::Kind;
    use self::ssr::*;
    use crate::entities::passkey;
    use crate::platform::state::AppState;

    let state = expect_context::<AppState>();
    let session = super::current::require_session()?;
    let name = parse_passkey_name(&name)?;
    let webauthn = webauthn(&state)?;
    let ceremony = take_ceremony(&state, Kind::Register).await?;
    if ceremony.user_id != Some(session.user_id) {
        return Err(rejected("the ceremony belongs to another account"));
    }
    let registration: PasskeyRegistration =
        serde_json::from_str(&ceremony.state).map_err(AppError::internal)?;
    let credential: RegisterPublicKeyCredential = serde_json::from_str(&credential)
        .map_err(|_| AppError::invalid("passkey", "error-reason-malformed"))?;
    let new_passkey = webauthn
        .finish_passkey_registration(&credential, &registration)
        .map_err(rejected)?;
    let now = state.clock.now();
    let row = passkey::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        user_id: Set(session.user_id),
        name: Set(name),
        credential_id: Set(credential_key(new_passkey.cred_id().as_ref())),
        passkey: Set(serde_json::to_string(&new_passkey).map_err(AppError::internal)?),
        created_at: Set(now),
        last_used_at: Set(None),
    }
    .insert(&state.db)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict {
            what: "passkey".into(),
        },
        _ => AppError::from(e),
    })?;
    Ok(info(&row))
}

/// The signed-in user's passkeys, newest first.
#[server(prefix = "/api", endpoint = "passkeys/list")]
pub async fn list_passkeys() -> Result<Vec<PasskeyInfo>, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    use crate::entities::passkey;
    use crate::platform::state::AppState;

    let state = expect_context::<AppState>();
    let session = super::current::require_session()?;
    let rows = passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(session.user_id))
        .order_by_desc(passkey::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(rows.iter().map(ssr::info).collect())
}

/// Renames one of the signed-in user's passkeys.
#[server(prefix = "/api", endpoint = "passkeys/rename")]
pub async fn rename_passkey(id: String, name: String) -> Result<PasskeyInfo, AppError> {
    use sea_orm::{ActiveModelTrait, Set};

    use crate::entities::passkey;
    use crate::platform::state::AppState;

    let state = expect_context::<AppState>();
    let session = super::current::require_session()?;
    let name = parse_passkey_name(&name)?;
    let row = ssr::own_passkey(&state, session.user_id, &id).await?;
    let mut update: passkey::ActiveModel = row.into();
    update.name = Set(name);
    Ok(ssr::info(&update.update(&state.db).await?))
}

/// Deletes one of the signed-in user's passkeys.
#[server(prefix = "/api", endpoint = "passkeys/delete")]
pub async fn delete_passkey(id: String) -> Result<(), AppError> {
    use sea_orm::EntityTrait;

    use crate::entities::passkey;
    use crate::platform::state::AppState;

    let state = expect_context::<AppState>();
    let session = super::current::require_session()?;
    let row = ssr::own_passkey(&state, session.user_id, &id).await?;
    passkey::Entity::delete_by_id(row.id)
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Begins a passkey sign-in (no email needed): the options for `navigator.credentials.get`, as JSON.
/// `conditional` asks for the browser's autofill instead of a dialog.
#[server(prefix = "/api", endpoint = "passkeys/sign-in/start")]
pub async fn start_passkey_sign_in(conditional: bool) -> Result<String, AppError> {
    use self::ceremony::Kind;
    use self::ssr::*;
    use crate::platform::rate_limit::{self, Limit};
    use crate::platform::state::AppState;

    let state = expect_context::<AppState>();
    let webauthn = webauthn(&state)?;
    let now = state.clock.now();
    let ip = super::current::client_ip().unwrap_or_else(|| "unknown".into());
    rate_limit::enforce(
        &state.db,
        &format!("passkey:ip:{ip}"),
        Limit::per_hour(60),
        now,
    )
    .await?;
    let (mut options, authentication) = webauthn
        .start_discoverable_authentication()
        .map_err(AppError::internal)?;
    if !conditional {
        options.mediation = None;
    }
    let state_json = serde_json::to_string(&authentication).map_err(AppError::internal)?;
    let id = ceremony::store(&state.db, Kind::SignIn, None, state_json, now).await?;
    super::set_cookies(&[ceremony::cookie(id, state.config.secure_cookies())]);
    serde_json::to_string(&options).map_err(AppError::internal)
}

/// Finishes a passkey sign-in: verifies the assertion, stores the new signature counter and signs in.
#[server(prefix = "/api", endpoint = "passkeys/sign-in/finish")]
pub async fn finish_passkey_sign_in(credential: String) -> Result<SessionUser, AppError> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use webauthn_rs::prelude::{DiscoverableAuthentication, Passkey, PublicKeyCredential};

    use self::ceremony::Kind;
    use self::ssr::*;
    use crate::entities::{passkey, user};
    use crate::platform::state::AppState;

    let state = expect_context::<AppState>();
    let webauthn = webauthn(&state)?;
    let ceremony = take_ceremony(&state, Kind::SignIn).await?;
    let authentication: DiscoverableAuthentication =
        serde_json::from_str(&ceremony.state).map_err(AppError::internal)?;
    let credential: PublicKeyCredential = serde_json::from_str(&credential)
        .map_err(|_| AppError::invalid("passkey", "error-reason-malformed"))?;
    let (user_id, credential_id) = webauthn
        .identify_discoverable_authentication(&credential)
        .map_err(rejected)?;
    // The credential must belong to the user the authenticator names.
    let row = passkey::Entity::find()
        .filter(passkey::Column::CredentialId.eq(credential_key(credential_id)))
        .filter(passkey::Column::UserId.eq(user_id))
        .one(&state.db)
        .await?
        .ok_or_else(|| rejected("unknown credential for this user"))?;
    let mut stored: Passkey = serde_json::from_str(&row.passkey).map_err(AppError::internal)?;
    let result = webauthn
        .finish_discoverable_authentication_v2(&credential, authentication, &stored)
        .map_err(rejected)?;
    let now = state.clock.now();
    if stored.update_credential(&result) == Some(true) {
        // Compare-and-swap: two sign-ins racing with one counter value cannot both win.
        let updated = passkey::Entity::update_many()
            .col_expr(
                passkey::Column::Passkey,
                Expr::value(serde_json::to_string(&stored).map_err(AppError::internal)?),
            )
            .col_expr(passkey::Column::LastUsedAt, Expr::value(now))
            .filter(passkey::Column::Id.eq(row.id))
            .filter(passkey::Column::Passkey.eq(row.passkey.clone()))
            .exec(&state.db)
            .await?;
        if updated.rows_affected != 1 {
            return Err(rejected("the passkey was used concurrently"));
        }
    } else {
        passkey::Entity::update_many()
            .col_expr(passkey::Column::LastUsedAt, Expr::value(now))
            .filter(passkey::Column::Id.eq(row.id))
            .exec(&state.db)
            .await?;
    }
    let account = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| rejected("the account is gone"))?;
    let account = super::accounts::record_sign_in(&state.db, &state.config, account, now).await?;
    super::complete_sign_in(&state, &account, now).await
}
