//! Sessions: a short-lived JWT access token plus an opaque refresh token.
//! Refresh tokens are stored hashed, live in a family (one per sign-in) whose
//! absolute lifetime is fixed at sign-in, and are single use: each refresh
//! rotates to a successor, and presenting a token that was already exchanged
//! revokes the whole family (it may have been stolen).

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entities::refresh_token;

/// Access tokens live this long.
pub const ACCESS_TTL: Duration = Duration::minutes(15);
/// A sign-in lasts at most this long, however often it is refreshed.
pub const FAMILY_TTL: Duration = Duration::days(20);
/// Parallel requests of one browser may present the token it just rotated for
/// this long (they raced the rotation): they get an access token but no new
/// refresh token, and the family stays alive (Auth0's "reuse interval").
pub const REUSE_GRACE: Duration = Duration::seconds(10);

/// The access-token cookie.
pub const ACCESS_COOKIE: &str = "fw_at";
/// The refresh-token cookie.
pub const REFRESH_COOKIE: &str = "fw_rt";

/// What an access token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The session (refresh family) id.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
}

/// Signs and checks access tokens with a key derived from the app secret.
#[derive(Clone)]
pub struct AccessTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl AccessTokens {
    /// Keys for HS256 from a 32-byte derived key.
    pub fn new(key: &[u8]) -> Self {
        AccessTokens {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
        }
    }

    /// The access-token keys of this install (derived from `SECRET_KEY`).
    pub fn from_secret(secret: &crate::platform::config::Secret) -> Self {
        Self::new(&crate::platform::keys::derive_key(
            secret,
            "framewright/access-token/v1",
        ))
    }

    /// A token for `user` in session `family`, valid for [`ACCESS_TTL`] from `now`.
    pub fn issue(&self, user: Uuid, family: Uuid, now: DateTime<Utc>) -> String {
        let claims = Claims {
            sub: user.to_string(),
            sid: family.to_string(),
            iat: now.timestamp(),
            exp: (now + ACCESS_TTL).timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 encoding cannot fail")
    }

    /// The claims of a token that is authentic and not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<(Uuid, Uuid)> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against the injected clock below.
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()?
            .claims;
        if now.timestamp() >= claims.exp {
            return None;
        }
        Some((claims.sub.parse().ok()?, claims.sid.parse().ok()?))
    }
}

/// The refresh token presented by a client, and where it came from.
pub struct ClientInfo {
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn clip(value: Option<String>, max: usize) -> Option<String> {
    value.map(|v| v.chars().take(max).collect())
}

/// Starts a new family for `user`; returns its id and the first refresh token.
pub async fn start_family(
    db: &impl ConnectionTrait,
    user: Uuid,
    client: ClientInfo,
    now: DateTime<Utc>,
) -> Result<(Uuid, String), DbErr> {
    let family = Uuid::now_v7();
    let token = new_token();
    insert_token(
        db,
        family,
        user,
        None,
        &token,
        now,
        now + FAMILY_TTL,
        client,
    )
    .await?;
    Ok((family, token))
}

#[allow(clippy::too_many_arguments)]
async fn insert_token(
    db: &impl ConnectionTrait,
    family: Uuid,
    user: Uuid,
    parent: Option<Uuid>,
    token: &str,
    now: DateTime<Utc>,
    family_expires_at: DateTime<Utc>,
    client: ClientInfo,
) -> Result<(), DbErr> {
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family),
        user_id: Set(user),
        parent_id: Set(parent),
        token_hash: Set(token_hash(token)),
        created_at: Set(now),
        family_expires_at: Set(family_expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        user_agent: Set(clip(client.user_agent, 400)),
        ip: Set(clip(client.ip, 64)),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// The result of presenting a refresh token.
#[derive(Debug, PartialEq, Eq)]
pub enum Refresh {
    /// Exchanged: here is the successor.
    Rotated {
        user: Uuid,
        family: Uuid,
        token: String,
    },
    /// A parallel request raced the rotation within [`REUSE_GRACE`]: an access token only.
    Raced { user: Uuid, family: Uuid },
    /// Unknown, expired or revoked.
    Invalid,
    /// Already exchanged: the family has been revoked.
    Reused,
}

/// Exchanges a refresh token for its successor, atomically.
pub async fn refresh<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    presented: &str,
    client: ClientInfo,
    now: DateTime<Utc>,
) -> Result<Refresh, DbErr> {
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(presented)))
        .one(db)
        .await?
    else {
        return Ok(Refresh::Invalid);
    };
    if row.revoked_at.is_some() || now >= row.family_expires_at {
        return Ok(Refresh::Invalid);
    }
    let txn = db.begin().await?;
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 1 {
        let token = new_token();
        insert_token(
            &txn,
            row.family_id,
            row.user_id,
            Some(row.id),
            &token,
            now,
            row.family_expires_at,
            client,
        )
        .await?;
        txn.commit().await?;
        return Ok(Refresh::Rotated {
            user: row.user_id,
            family: row.family_id,
            token,
        });
    }
    txn.commit().await?;

    // Already used. A sibling request of the same browser inside the grace
    // window is harmless; anything else is a replay.
    let current = refresh_token::Entity::find_by_id(row.id).one(db).await?;
    let successor = refresh_token::Entity::find()
        .filter(refresh_token::Column::ParentId.eq(row.id))
        .one(db)
        .await?;
    let raced = matches!(
        (&current, &successor),
        (Some(current), Some(next))
            if current.revoked_at.is_none()
                && next.used_at.is_none()
                && next.revoked_at.is_none()
                && current.used_at.is_some_and(|used| now - used <= REUSE_GRACE)
    );
    if raced {
        return Ok(Refresh::Raced {
            user: row.user_id,
            family: row.family_id,
        });
    }
    tracing::warn!(user.id = %row.user_id, session.id = %row.family_id, "refresh token reused; revoking its session");
    revoke_family(db, row.family_id, now).await?;
    Ok(Refresh::Reused)
}

/// Ends one session (all tokens of the family).
pub async fn revoke_family(
    db: &impl ConnectionTrait,
    family: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}

/// Ends every session of a user.
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    user: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::UserId.eq(user))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}

/// Whether a session is still alive (not revoked, not past its absolute end).
pub async fn family_is_live(
    db: &impl ConnectionTrait,
    family: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let live = refresh_token::Entity::find()
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .filter(refresh_token::Column::FamilyExpiresAt.gt(now))
        .one(db)
        .await?;
    Ok(live.is_some())
}

/// One signed-in device, for the sessions list.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub family: Uuid,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub last_used_at: DateTime<Utc>,
}

/// The live sessions of a user, most recently used first.
pub async fn list_sessions(
    db: &impl ConnectionTrait,
    user: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<SessionRow>, DbErr> {
    let rows = refresh_token::Entity::find()
        .filter(refresh_token::Column::UserId.eq(user))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .filter(refresh_token::Column::FamilyExpiresAt.gt(now))
        .all(db)
        .await?;
    let mut sessions: std::collections::HashMap<Uuid, SessionRow> =
        std::collections::HashMap::new();
    for row in rows {
        let entry = sessions.entry(row.family_id).or_insert_with(|| SessionRow {
            family: row.family_id,
            user_agent: row.user_agent.clone(),
            ip: row.ip.clone(),
            last_used_at: row.created_at,
        });
        if row.created_at >= entry.last_used_at {
            entry.last_used_at = row.created_at;
            entry.user_agent = row.user_agent.clone();
            entry.ip = row.ip.clone();
        }
    }
    let mut list: Vec<_> = sessions.into_values().collect();
    list.sort_by_key(|s| std::cmp::Reverse(s.last_used_at));
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_tokens_verify_until_expiry_and_not_after_tampering() {
        let tokens = AccessTokens::new(&[7u8; 32]);
        let (user, family) = (Uuid::now_v7(), Uuid::now_v7());
        let now = Utc::now();
        let token = tokens.issue(user, family, now);
        assert_eq!(
            tokens.verify(&token, now + Duration::minutes(14)),
            Some((user, family))
        );
        assert_eq!(tokens.verify(&token, now + ACCESS_TTL), None);
        let mut tampered = token.clone();
        tampered.insert(tampered.len() - 3, 'x');
        assert_eq!(tokens.verify(&tampered, now), None);
        assert_eq!(AccessTokens::new(&[8u8; 32]).verify(&token, now), None);
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_as_hashes() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(a.len() >= 43);
        assert_ne!(token_hash(&a), a);
    }
}
