//! The personal daily spending cap: what an account spent today (UTC), its
//! cap, and what it may still spend. The cap itself is enforced inside a
//! charge's transaction (see `apply` in the ledger).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::{CreditsError, Kind, MAX_CREDITS, sum_of_amounts};
use crate::entities::{credit_account, credit_transaction};

/// The start of `now`'s UTC day.
fn day_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now.date_naive()
        .and_hms_opt(0, 0, 0)
        .map_or(now, |start| start.and_utc())
}

/// What the account spent since the start of `now`'s UTC day: its charges,
/// less the refunds made that day (a refunded charge counts back).
pub async fn spent_today(
    db: &impl ConnectionTrait,
    user: Uuid,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    use sea_orm::QuerySelect;

    let sum: Option<Option<f64>> = credit_transaction::Entity::find()
        .select_only()
        .column_as(
            Expr::cust(sum_of_amounts(db.get_database_backend())),
            "total",
        )
        .filter(credit_transaction::Column::UserId.eq(user))
        .filter(
            credit_transaction::Column::Kind.is_in([Kind::Charge.as_str(), Kind::Refund.as_str()]),
        )
        .filter(credit_transaction::Column::CreatedAt.gte(day_start(now)))
        .filter(
            credit_transaction::Column::CreatedAt.lt(day_start(now) + chrono::Duration::days(1)),
        )
        .into_tuple()
        .one(db)
        .await?;
    Ok((-sum.flatten().unwrap_or(0.0)).max(0.0) as i64)
}

/// The account's daily spending cap (`None`: no cap).
pub async fn daily_cap(db: &impl ConnectionTrait, user: Uuid) -> Result<Option<i64>, DbErr> {
    Ok(credit_account::Entity::find_by_id(user)
        .one(db)
        .await?
        .and_then(|a| a.daily_cap))
}

/// Sets (or with `None` removes) the account's daily spending cap.
pub async fn set_daily_cap(
    db: &impl ConnectionTrait,
    user: Uuid,
    cap: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), CreditsError> {
    if let Some(cap) = cap {
        if cap > MAX_CREDITS {
            return Err(CreditsError::AmountTooLarge);
        }
        if cap < 0 {
            return Err(CreditsError::InvalidAmount);
        }
    }
    credit_account::Entity::insert(credit_account::ActiveModel {
        user_id: Set(user),
        balance: Set(0),
        daily_cap: Set(cap),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(credit_account::Column::UserId)
            .update_columns([
                credit_account::Column::DailyCap,
                credit_account::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// What the account may still spend today: its balance, or less when its
/// daily cap leaves less.
pub async fn spendable(
    db: &impl ConnectionTrait,
    user: Uuid,
    now: DateTime<Utc>,
) -> Result<Spendable, DbErr> {
    let account = credit_account::Entity::find_by_id(user).one(db).await?;
    let balance = account.as_ref().map_or(0, |a| a.balance);
    let cap = account.and_then(|a| a.daily_cap);
    let left_today = match cap {
        Some(cap) => Some(std::cmp::max(cap - spent_today(db, user, now).await?, 0)),
        None => None,
    };
    Ok(Spendable {
        balance,
        cap,
        left_today,
    })
}

/// What an account may spend now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spendable {
    pub balance: i64,
    /// The daily cap, when there is one.
    pub cap: Option<i64>,
    /// What the cap leaves for today, when there is one.
    pub left_today: Option<i64>,
}

impl Spendable {
    /// Why spending `amount` now would be refused, if it would.
    pub fn refuse(&self, amount: i64) -> Option<CreditsError> {
        if amount > self.balance {
            return Some(CreditsError::Insufficient {
                needed: amount,
                balance: self.balance,
            });
        }
        match (self.cap, self.left_today) {
            (Some(cap), Some(left)) if amount > left => Some(CreditsError::DailyCap { cap, left }),
            _ => None,
        }
    }
}
