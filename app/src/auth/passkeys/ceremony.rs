//! WebAuthn ceremony state, kept server side: one row per ceremony, bound to
//! the browser that started it (an HttpOnly cookie carries its id), taken at
//! most once and only within five minutes. webauthn-rs itself would accept a
//! state twice, so this is where replays stop.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use crate::entities::webauthn_ceremony;

/// How long a ceremony may take.
pub const CEREMONY_TTL: Duration = Duration::minutes(5);
/// The cookie that binds a ceremony to the browser that started it.
pub const CEREMONY_COOKIE: &str = "fw_wa";

/// What a ceremony is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Register,
    SignIn,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Register => "register",
            Kind::SignIn => "sign_in",
        }
    }
}

/// Keeps a ceremony's state; returns its id.
pub async fn store(
    db: &impl ConnectionTrait,
    kind: Kind,
    user: Option<Uuid>,
    state: String,
    now: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    // Old ceremonies are swept on the way in.
    webauthn_ceremony::Entity::delete_many()
        .filter(webauthn_ceremony::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let id = Uuid::now_v7();
    webauthn_ceremony::ActiveModel {
        id: Set(id),
        kind: Set(kind.as_str().to_string()),
        user_id: Set(user),
        state: Set(state),
        created_at: Set(now),
        expires_at: Set(now + CEREMONY_TTL),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Takes a live ceremony of `kind`: the first caller gets it, every later one gets `None`.
pub async fn take(
    db: &impl ConnectionTrait,
    id: Uuid,
    kind: Kind,
    now: DateTime<Utc>,
) -> Result<Option<webauthn_ceremony::Model>, DbErr> {
    let Some(row) = webauthn_ceremony::Entity::find_by_id(id)
        .filter(webauthn_ceremony::Column::Kind.eq(kind.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let deleted = webauthn_ceremony::Entity::delete_by_id(id).exec(db).await?;
    if deleted.rows_affected != 1 || now > row.expires_at {
        return Ok(None);
    }
    Ok(Some(row))
}

/// The `Set-Cookie` value that binds a ceremony to this browser.
pub fn cookie(id: Uuid, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{CEREMONY_COOKIE}={id}; Path=/api/passkeys; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
        CEREMONY_TTL.num_seconds()
    )
}
