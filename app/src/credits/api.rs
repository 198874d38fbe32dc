//! Credits server functions: the caller's balance and history; admins grant
//! and deduct with a reason and check the ledger.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// History rows per page.
pub const PAGE_SIZE: u64 = 20;

/// One ledger row as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionRow {
    pub id: String,
    pub kind: String,
    pub amount: i64,
    pub balance_after: i64,
    pub description: String,
    /// Where the related item lives, when there is one.
    pub link: Option<String>,
    /// RFC 3339.
    pub when: String,
}

/// A page of the caller's credits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditsPage {
    pub balance: i64,
    pub rows: Vec<TransactionRow>,
    pub page: u64,
    pub pages: u64,
}

/// The kinds the history can be filtered by.
pub const KINDS: [&str; 8] = [
    "welcome",
    "grant",
    "deduct",
    "charge",
    "refund",
    "purchase",
    "subscription",
    "adjustment",
];

#[cfg(feature = "ssr")]
pub(crate) fn row(tx: &crate::entities::credit_transaction::Model) -> TransactionRow {
    TransactionRow {
        id: tx.id.to_string(),
        kind: tx.kind.clone(),
        amount: tx.amount,
        balance_after: tx.balance_after,
        description: tx.description.clone(),
        link: match (tx.entity_type.as_deref(), tx.entity_id.as_deref()) {
            (Some("job"), Some(id)) => Some(format!("/generations/{id}")),
            (Some("item"), Some(id)) => Some(format!("/library/items/{id}")),
            _ => None,
        },
        when: tx
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

/// The caller's balance and one page of history (newest first), optionally of one kind.
#[server(prefix = "/api", endpoint = "credits/mine")]
pub async fn my_credits(page: u64, kind: Option<String>) -> Result<CreditsPage, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

    use crate::entities::credit_transaction;
    use crate::platform::state::AppState;

    let session = crate::auth::current::require_session()?;
    let state = expect_context::<AppState>();
    let kind = kind.filter(|k| !k.is_empty());
    if let Some(kind) = &kind
        && !KINDS.contains(&kind.as_str())
    {
        return Err(AppError::invalid("kind", "error-reason-unknown-kind"));
    }
    let mut query = credit_transaction::Entity::find()
        .filter(credit_transaction::Column::UserId.eq(session.user_id))
        .order_by_desc(credit_transaction::Column::CreatedAt)
        .order_by_desc(credit_transaction::Column::Id);
    if let Some(kind) = kind {
        query = query.filter(credit_transaction::Column::Kind.eq(kind));
    }
    let paginator = query.paginate(&state.db, PAGE_SIZE);
    let pages = paginator.num_pages().await?.max(1);
    let page = crate::platform::query::page_number(page)?.min(pages - 1);
    let rows = paginator.fetch_page(page).await?;
    Ok(CreditsPage {
        balance: crate::credits::ledger::balance(&state.db, session.user_id).await?,
        rows: rows.iter().map(row).collect(),
        page,
        pages,
    })
}

/// Grants (positive `amount`) or deducts (negative) credits for a user, with a reason.
#[server(prefix = "/api", endpoint = "admin/credits/adjust")]
pub async fn admin_adjust_credits(
    user_id: String,
    amount: i64,
    reason: String,
) -> Result<TransactionRow, AppError> {
    use crate::credits::ledger::{self, Kind};
    use crate::platform::state::AppState;

    let admin = crate::auth::current::require_admin()?;
    let state = expect_context::<AppState>();
    let user: uuid::Uuid = user_id.parse().map_err(|_| AppError::NotFound)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "error-reason-required"));
    }
    if amount == 0 {
        return Err(AppError::invalid("amount", "error-reason-nonzero-amount"));
    }
    let exists = <crate::entities::user::Entity as sea_orm::EntityTrait>::find_by_id(user)
        .one(&state.db)
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    let now = state.clock.now();
    let result = if amount > 0 {
        ledger::grant(
            &state.db,
            user,
            amount,
            Kind::Grant,
            reason,
            Some(admin.user_id),
            now,
        )
        .await
    } else {
        ledger::deduct(&state.db, user, -amount, reason, Some(admin.user_id), now).await
    };
    let tx = result?;
    tracing::info!(admin.id = %admin.user_id, user.id = %user, amount, "credits adjusted by an admin");
    Ok(row(&tx))
}
