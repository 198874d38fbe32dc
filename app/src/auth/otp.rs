//! Email one-time codes: six digits from the OS random source, stored only as a
//! keyed hash, valid for 10 minutes, single use; a new code replaces the old
//! one and five wrong guesses burn it.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use subtle::ConstantTimeEq;

use crate::entities::otp_code;
use crate::platform::keys::keyed_hash_hex;
use crate::platform::rate_limit::seconds_rounded_up;
use crate::values::Email;

/// How long a code is valid.
pub const CODE_TTL: Duration = Duration::seconds(600);
/// How soon the same address may ask for another code.
pub const RESEND_AFTER: Duration = Duration::seconds(60);
/// Wrong guesses before a code is burned.
pub const MAX_ATTEMPTS: i32 = 5;

/// Why a code could not be issued or was not accepted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OtpError {
    #[error("a code was sent less than a minute ago")]
    TooSoon { retry_after_secs: u64 },
    #[error("the code is wrong, expired, used or burned")]
    Rejected,
    #[error("database: {0}")]
    Db(String),
}

impl From<DbErr> for OtpError {
    fn from(e: DbErr) -> Self {
        OtpError::Db(e.to_string())
    }
}

/// Hashes a code for storage, bound to its address.
fn hash_code(key: &[u8], email: &Email, code: &str) -> String {
    keyed_hash_hex(key, &format!("{}:{code}", email.as_str()))
}

/// A fresh six-digit code from the thread-local CSPRNG (ChaCha, seeded by the OS).
pub fn generate_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// Issues a new code for `email`, invalidating any earlier one. Returns the
/// plaintext code, to be mailed and then forgotten.
pub async fn issue(
    db: &impl ConnectionTrait,
    key: &[u8],
    email: &Email,
    now: DateTime<Utc>,
) -> Result<String, OtpError> {
    let latest = otp_code::Entity::find()
        .filter(otp_code::Column::Email.eq(email.as_str()))
        .order_by_desc(otp_code::Column::CreatedAt)
        .one(db)
        .await?;
    if let Some(latest) = latest {
        let wait = latest.created_at + RESEND_AFTER - now;
        if wait > Duration::zero() {
            return Err(OtpError::TooSoon {
                retry_after_secs: seconds_rounded_up(wait),
            });
        }
    }
    // The new code replaces every live one.
    otp_code::Entity::update_many()
        .col_expr(otp_code::Column::ConsumedAt, Expr::value(now))
        .filter(otp_code::Column::Email.eq(email.as_str()))
        .filter(otp_code::Column::ConsumedAt.is_null())
        .exec(db)
        .await?;
    let code = generate_code();
    otp_code::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        email: Set(email.as_str().to_string()),
        code_hash: Set(hash_code(key, email, &code)),
        attempts: Set(0),
        created_at: Set(now),
        expires_at: Set(now + CODE_TTL),
        consumed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(code)
}

/// Checks a code. Accepts it at most once (even under concurrent attempts);
/// a wrong guess counts against the code, and the fifth burns it.
pub async fn verify(
    db: &impl ConnectionTrait,
    key: &[u8],
    email: &Email,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), OtpError> {
    let Some(live) = otp_code::Entity::find()
        .filter(otp_code::Column::Email.eq(email.as_str()))
        .filter(otp_code::Column::ConsumedAt.is_null())
        .order_by_desc(otp_code::Column::CreatedAt)
        .one(db)
        .await?
    else {
        return Err(OtpError::Rejected);
    };
    if now > live.expires_at || live.attempts >= MAX_ATTEMPTS {
        return Err(OtpError::Rejected);
    }
    let given = hash_code(key, email, code.trim());
    if bool::from(given.as_bytes().ct_eq(live.code_hash.as_bytes())) {
        // Single use: only one request can flip consumed_at.
        let claimed = otp_code::Entity::update_many()
            .col_expr(otp_code::Column::ConsumedAt, Expr::value(now))
            .filter(otp_code::Column::Id.eq(live.id))
            .filter(otp_code::Column::ConsumedAt.is_null())
            .filter(otp_code::Column::Attempts.lt(MAX_ATTEMPTS))
            .exec(db)
            .await?;
        return if claimed.rows_affected == 1 {
            Ok(())
        } else {
            Err(OtpError::Rejected)
        };
    }
    // A wrong guess: count it; the fifth one burns the code.
    otp_code::Entity::update_many()
        .col_expr(
            otp_code::Column::Attempts,
            Expr::col(otp_code::Column::Attempts).add(1),
        )
        .filter(otp_code::Column::Id.eq(live.id))
        .exec(db)
        .await?;
    otp_code::Entity::update_many()
        .col_expr(otp_code::Column::ConsumedAt, Expr::value(now))
        .filter(otp_code::Column::Id.eq(live.id))
        .filter(otp_code::Column::Attempts.gte(MAX_ATTEMPTS))
        .filter(otp_code::Column::ConsumedAt.is_null())
        .exec(db)
        .await?;
    Err(OtpError::Rejected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: std::collections::HashSet<_> = (0..50).map(|_| generate_code()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        assert!(codes.len() > 45, "codes repeat too often");
    }

    #[test]
    fn hashes_bind_the_code_to_the_address() {
        let a = Email::parse("a@example.com").unwrap();
        let b = Email::parse("b@example.com").unwrap();
        assert_ne!(hash_code(b"k", &a, "123456"), hash_code(b"k", &b, "123456"));
        assert_ne!(hash_code(b"k", &a, "123456"), hash_code(b"j", &a, "123456"));
        assert!(!hash_code(b"k", &a, "123456").contains("123456"));
    }
}
