//! The credit ledger. Every change is one database transaction that writes a
//! ledger row and moves the balance with a single conditional statement, so a
//! balance can never go below zero (the CHECK constraint is the backstop).
//! Charges carry idempotency keys; a refund names its charge and happens at
//! most once (a unique column); `reconcile` proves ledger == balance.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{credit_account, credit_transaction};
use crate::error::AppError;

mod cap;

pub use cap::{Spendable, daily_cap, set_daily_cap, spendable, spent_today};

/// What kind of ledger row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Grant,
    Deduct,
    Charge,
    Refund,
    Purchase,
    Subscription,
    Adjustment,
    /// The credits a new account is given once, when it is first approved.
    Welcome,
}

impl Kind {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Grant => "grant",
            Kind::Deduct => "deduct",
            Kind::Charge => "charge",
            Kind::Refund => "refund",
            Kind::Purchase => "purchase",
            Kind::Subscription => "subscription",
            Kind::Adjustment => "adjustment",
            Kind::Welcome => "welcome",
        }
    }
}

/// The thing a charge pays for, e.g. `("job", id)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRef {
    pub kind: String,
    pub id: String,
}

/// The most credits one change may move, and the most a balance may hold:
/// far above any real use, far below where sums could overflow.
pub const MAX_CREDITS: i64 = 1_000_000_000;

/// A sum of ledger amounts as the database computes it, read as a float:
/// `SUM` overflows 64 bits on SQLite and its `NUMERIC` cast can on
/// PostgreSQL, a float does not (the caps keep it exact in practice).
pub fn sum_of_amounts(backend: sea_orm::DatabaseBackend) -> &'static str {
    match backend {
        sea_orm::DatabaseBackend::Sqlite => "TOTAL(amount)",
        _ => "CAST(SUM(amount) AS DOUBLE PRECISION)",
    }
}

/// Why a ledger change did not happen.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CreditsError {
    #[error("insufficient credits: {needed} needed, {balance} available")]
    Insufficient { needed: i64, balance: i64 },
    #[error("the idempotency key was used with different parameters")]
    KeyConflict,
    #[error("no charge found for that item")]
    NoCharge,
    #[error("that charge was already refunded")]
    AlreadyRefunded,
    #[error("amounts must be positive whole credits")]
    InvalidAmount,
    #[error("one change may move at most {MAX_CREDITS} credits")]
    AmountTooLarge,
    #[error("a balance may hold at most {MAX_CREDITS} credits")]
    BalanceCap,
    #[error("over the daily spending cap of {cap}: {left} left today")]
    DailyCap { cap: i64, left: i64 },
    #[error("database: {0}")]
    Db(String),
}

impl From<DbErr> for CreditsError {
    fn from(e: DbErr) -> Self {
        CreditsError::Db(e.to_string())
    }
}

impl From<CreditsError> for AppError {
    fn from(error: CreditsError) -> Self {
        match error {
            CreditsError::Insufficient { needed, balance } => {
                AppError::InsufficientCredits { needed, balance }
            }
            CreditsError::KeyConflict => AppError::Conflict {
                what: "idempotency_key".into(),
            },
            CreditsError::NoCharge => AppError::NotFound,
            CreditsError::AlreadyRefunded => AppError::Conflict {
                what: "refund".into(),
            },
            CreditsError::InvalidAmount => {
                AppError::invalid("amount", "error-reason-positive-amount")
            }
            CreditsError::AmountTooLarge => AppError::invalid("amount", "error-reason-amount-cap"),
            CreditsError::BalanceCap => AppError::invalid("amount", "error-reason-balance-cap"),
            CreditsError::DailyCap { cap, left } => AppError::SpendingCap { cap, left },
            CreditsError::Db(e) => AppError::internal(e),
        }
    }
}

/// A change to make.
struct Change<'a> {
    user: Uuid,
    kind: Kind,
    delta: i64,
    description: &'a str,
    entity: Option<&'a EntityRef>,
    key: Option<&'a str>,
    refund_of: Option<Uuid>,
    by: Option<Uuid>,
}

/// The current balance (0 for a user who never had credits).
pub async fn balance(db: &impl ConnectionTrait, user: Uuid) -> Result<i64, DbErr> {
    Ok(credit_account::Entity::find_by_id(user)
        .one(db)
        .await?
        .map(|a| a.balance)
        .unwrap_or(0))
}

/// Applies one change in its own transaction: account row, conditional balance move, ledger row.
async fn apply<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    change: Change<'_>,
    now: DateTime<Utc>,
) -> Result<credit_transaction::Model, CreditsError> {
    let txn = db.begin().await?;
    // A write first: SQLite then takes its write lock up front instead of failing an upgrade.
    credit_account::Entity::insert(credit_account::ActiveModel {
        user_id: Set(change.user),
        balance: Set(0),
        daily_cap: Set(None),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(credit_account::Column::UserId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let table = credit_account::Entity;
    let update = Query::update()
        .table(table)
        .value(
            credit_account::Column::Balance,
            Expr::col(credit_account::Column::Balance).add(change.delta),
        )
        .value(credit_account::Column::UpdatedAt, now)
        .and_where(Expr::col(credit_account::Column::UserId).eq(change.user))
        .and_where(
            Expr::col(credit_account::Column::Balance)
                .add(change.delta)
                .gte(0),
        )
        // Credits coming in may not lift a balance over the cap.
        .and_where(if change.delta > 0 {
            Expr::col(credit_account::Column::Balance)
                .add(change.delta)
                .lte(MAX_CREDITS)
        } else {
            Expr::value(true)
        })
        .returning(Query::returning().columns([
            credit_account::Column::Balance,
            credit_account::Column::DailyCap,
        ]))
        .to_owned();
    let Some(row) = txn.query_one(&update).await? else {
        let available = balance(&txn, change.user).await?;
        txn.rollback().await?;
        if change.delta > 0 {
            return Err(CreditsError::BalanceCap);
        }
        return Err(CreditsError::Insufficient {
            needed: -change.delta,
            balance: available,
        });
    };
    let balance_after: i64 = row.try_get("", "balance")?;
    let daily_cap: Option<i64> = row.try_get("", "daily_cap")?;
    // The account row is locked now (the update above), so two charges at
    // once see each other's ledger rows here and cannot both slip under the cap.
    if change.kind == Kind::Charge
        && let Some(cap) = daily_cap
    {
        let spent = spent_today(&txn, change.user, now).await?;
        if spent - change.delta > cap {
            txn.rollback().await?;
            return Err(CreditsError::DailyCap {
                cap,
                left: std::cmp::max(cap - spent, 0),
            });
        }
    }
    let inserted = credit_transaction::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(change.user),
        kind: Set(change.kind.as_str().to_string()),
        amount: Set(change.delta),
        balance_after: Set(balance_after),
        description: Set(change.description.chars().take(500).collect()),
        entity_type: Set(change.entity.map(|e| e.kind.clone())),
        entity_id: Set(change.entity.map(|e| e.id.clone())),
        idempotency_key: Set(change.key.map(str::to_string)),
        refund_of: Set(change.refund_of),
        performed_by: Set(change.by),
        created_at: Set(now),
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(row) => {
            txn.commit().await?;
            Ok(row)
        }
        Err(e) => {
            txn.rollback().await?;
            match e.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) if change.refund_of.is_some() => {
                    Err(CreditsError::AlreadyRefunded)
                }
                Some(SqlErr::UniqueConstraintViolation(_)) => Err(CreditsError::KeyConflict),
                _ => Err(e.into()),
            }
        }
    }
}

fn positive(amount: i64) -> Result<i64, CreditsError> {
    if amount > MAX_CREDITS {
        Err(CreditsError::AmountTooLarge)
    } else if amount > 0 {
        Ok(amount)
    } else {
        Err(CreditsError::InvalidAmount)
    }
}

/// Gives credits (an admin's grant, a purchase, a subscription's monthly credits…).
pub async fn grant<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: Uuid,
    amount: i64,
    kind: Kind,
    description: &str,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<credit_transaction::Model, CreditsError> {
    let delta = positive(amount)?;
    apply(
        db,
        Change {
            user,
            kind,
            delta,
            description,
            entity: None,
            key: None,
            refund_of: None,
            by,
        },
        now,
    )
    .await
}

/// The idempotency key of an account's welcome credits: one per account, ever.
fn welcome_key(user: Uuid) -> String {
    format!("welcome:{user}")
}

/// Gives a newly approved account its welcome credits (`WELCOME_CREDITS`),
/// as a ledger row of its own kind. Once per account whatever happens to its
/// role later: a second call does nothing and answers `None`, as does an
/// amount of 0.
pub async fn grant_welcome<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: Uuid,
    amount: i64,
    now: DateTime<Utc>,
) -> Result<Option<credit_transaction::Model>, CreditsError> {
    if amount == 0 {
        return Ok(None);
    }
    let key = welcome_key(user);
    let granted = credit_transaction::Entity::find()
        .filter(credit_transaction::Column::IdempotencyKey.eq(key.as_str()))
        .one(db)
        .await?;
    if granted.is_some() {
        return Ok(None);
    }
    let change = Change {
        user,
        kind: Kind::Welcome,
        delta: positive(amount)?,
        description: "Welcome credits",
        entity: None,
        key: Some(&key),
        refund_of: None,
        by: None,
    };
    match apply(db, change, now).await {
        // Two approvals at once: the other one gave them.
        Err(CreditsError::KeyConflict) => Ok(None),
        other => other.map(Some),
    }
}

/// Takes credits away by hand (an admin's deduction).
pub async fn deduct<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: Uuid,
    amount: i64,
    description: &str,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<credit_transaction::Model, CreditsError> {
    let delta = -positive(amount)?;
    apply(
        db,
        Change {
            user,
            kind: Kind::Deduct,
            delta,
            description,
            entity: None,
            key: None,
            refund_of: None,
            by,
        },
        now,
    )
    .await
}

/// Charges for `entity`. The same `key` again returns the first result; the same key
/// with other parameters is a conflict.
pub async fn charge_for<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: Uuid,
    entity: &EntityRef,
    amount: i64,
    key: &str,
    description: &str,
    now: DateTime<Utc>,
) -> Result<credit_transaction::Model, CreditsError> {
    let delta = -positive(amount)?;
    let same = |row: &credit_transaction::Model| {
        row.user_id == user
            && row.amount == delta
            && row.kind == Kind::Charge.as_str()
            && row.entity_type.as_deref() == Some(entity.kind.as_str())
            && row.entity_id.as_deref() == Some(entity.id.as_str())
    };
    let earlier = || {
        credit_transaction::Entity::find()
            .filter(credit_transaction::Column::IdempotencyKey.eq(key))
    };
    if let Some(first) = earlier().one(db).await? {
        return if same(&first) {
            Ok(first)
        } else {
            Err(CreditsError::KeyConflict)
        };
    }
    let change = Change {
        user,
        kind: Kind::Charge,
        delta,
        description,
        entity: Some(entity),
        key: Some(key),
        refund_of: None,
        by: None,
    };
    match apply(db, change, now).await {
        // A concurrent charge with the same key won the race: answer with its result.
        Err(CreditsError::KeyConflict) => match earlier().one(db).await? {
            Some(first) if same(&first) => Ok(first),
            _ => Err(CreditsError::KeyConflict),
        },
        other => other,
    }
}

/// Refunds the charge made for `entity`, once, for exactly what was charged.
pub async fn refund_charge<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    entity: &EntityRef,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<credit_transaction::Model, CreditsError> {
    let charge = credit_transaction::Entity::find()
        .filter(credit_transaction::Column::Kind.eq(Kind::Charge.as_str()))
        .filter(credit_transaction::Column::EntityType.eq(entity.kind.as_str()))
        .filter(credit_transaction::Column::EntityId.eq(entity.id.as_str()))
        .one(db)
        .await?
        .ok_or(CreditsError::NoCharge)?;
    let change = Change {
        user: charge.user_id,
        kind: Kind::Refund,
        delta: -charge.amount,
        description: reason,
        entity: Some(entity),
        key: None,
        refund_of: Some(charge.id),
        by: None,
    };
    apply(db, change, now).await
}

/// A user whose balance differs from the sum of their ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub user: Uuid,
    pub balance: i64,
    pub ledger_sum: i64,
}

/// Every user whose balance is not the sum of their ledger rows (empty when
/// all is well). The sums are computed by the database, one row per user.
pub async fn reconcile(db: &impl ConnectionTrait) -> Result<Vec<Mismatch>, DbErr> {
    use sea_orm::{QueryOrder, QuerySelect};

    let accounts: Vec<(Uuid, i64)> = credit_account::Entity::find()
        .select_only()
        .column(credit_account::Column::UserId)
        .column(credit_account::Column::Balance)
        .into_tuple()
        .all(db)
        .await?;
    let sums: Vec<(Uuid, f64)> = credit_transaction::Entity::find()
        .select_only()
        .column(credit_transaction::Column::UserId)
        .column_as(
            Expr::cust(sum_of_amounts(db.get_database_backend())),
            "total",
        )
        .group_by(credit_transaction::Column::UserId)
        .order_by_asc(credit_transaction::Column::UserId)
        .into_tuple()
        .all(db)
        .await?;
    // `as` saturates: an absurd sum still reads as a (mismatching) number.
    let mut sums: std::collections::HashMap<Uuid, i64> = sums
        .into_iter()
        .map(|(user, sum)| (user, sum as i64))
        .collect();
    let mut mismatches: Vec<Mismatch> = accounts
        .iter()
        .filter_map(|(user, balance)| {
            let sum = sums.remove(user).unwrap_or(0);
            (sum != *balance).then_some(Mismatch {
                user: *user,
                balance: *balance,
                ledger_sum: sum,
            })
        })
        .collect();
    mismatches.extend(
        sums.into_iter()
            .filter(|(_, s)| *s != 0)
            .map(|(user, ledger_sum)| Mismatch {
                user,
                balance: 0,
                ledger_sum,
            }),
    );
    mismatches.sort_by_key(|m| m.user);
    Ok(mismatches)
}
