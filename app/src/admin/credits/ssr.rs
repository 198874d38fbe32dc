//! The admin ledger's queries. Filters and sums run in the database, so the
//! page stays fast with millions of rows.

use std::collections::BTreeMap;

use leptos::prelude::expect_context;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

use super::{
    AdminLedgerPage, AdminLedgerRow, LedgerFilter, PAGE_SIZE, PeriodSummary, ReconcileReport,
};
use crate::auth::accounts::emails_by_id;
use crate::credits::api::KINDS;
use crate::entities::{credit_account, credit_transaction, user};
use crate::error::AppError;
use crate::platform::query::{DayRange, like_contains};
use crate::platform::state::AppState;

/// Applies the filter's account and date range (and kind, when asked).
fn filtered(
    filter: &LedgerFilter,
    with_kind: bool,
) -> Result<Select<credit_transaction::Entity>, AppError> {
    let mut query = credit_transaction::Entity::find();
    if let Some(email) = crate::platform::query::search_text("email", &filter.email.to_lowercase())?
    {
        let pattern = like_contains(&email);
        query = query.filter(
            credit_transaction::Column::UserId.in_subquery(
                Query::select()
                    .column(user::Column::Id)
                    .from(user::Entity)
                    .and_where(
                        Expr::col(user::Column::Email)
                            .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')),
                    )
                    .to_owned(),
            ),
        );
    }
    let kind = filter.kind.trim();
    if with_kind && !kind.is_empty() {
        if !KINDS.contains(&kind) {
            return Err(AppError::invalid("kind", "error-reason-unknown-kind"));
        }
        query = query.filter(credit_transaction::Column::Kind.eq(kind));
    }
    let range = DayRange::parse(&filter.from, &filter.to)?;
    if let Some(start) = range.start {
        query = query.filter(credit_transaction::Column::CreatedAt.gte(start));
    }
    if let Some(end) = range.end {
        query = query.filter(credit_transaction::Column::CreatedAt.lt(end));
    }
    Ok(query)
}

pub(super) async fn ledger(filter: LedgerFilter, page: u64) -> Result<AdminLedgerPage, AppError> {
    let state = expect_context::<AppState>();
    let query = filtered(&filter, true)?
        .order_by_desc(credit_transaction::Column::CreatedAt)
        .order_by_desc(credit_transaction::Column::Id);
    let paginator = query.paginate(&state.db, PAGE_SIZE);
    let counts = paginator.num_items_and_pages().await?;
    let pages = std::cmp::max(counts.number_of_pages, 1);
    let page = std::cmp::min(page, pages - 1);
    let rows = paginator
        .fetch_page(crate::platform::query::page_number(page)?)
        .await?;
    let emails = emails_by_id(&state.db, rows.iter().map(|r| r.user_id)).await?;
    Ok(AdminLedgerPage {
        rows: rows
            .iter()
            .map(|tx| AdminLedgerRow {
                email: emails.get(&tx.user_id).cloned().unwrap_or_default(),
                row: crate::credits::api::row(tx),
            })
            .collect(),
        total: counts.number_of_items,
        page,
        pages,
    })
}

/// The SQL that names a row's period, per engine (both read the time as UTC).
fn period_sql(backend: DbBackend, period: &str) -> Option<&'static str> {
    Some(match (backend, period) {
        (DbBackend::Postgres, "day") => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        (DbBackend::Postgres, "week") => {
            "to_char(date_trunc('week', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"
        }
        (DbBackend::Postgres, "month") => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM')",
        // 'weekday 0' moves to the week's Sunday; six days back is its Monday.
        (_, "day") => "strftime('%Y-%m-%d', created_at)",
        (_, "week") => "date(created_at, 'weekday 0', '-6 days')",
        (_, "month") => "strftime('%Y-%m', created_at)",
        _ => return None,
    })
}

pub(super) async fn summary(
    filter: LedgerFilter,
    period: &str,
) -> Result<Vec<PeriodSummary>, AppError> {
    let state = expect_context::<AppState>();
    let bucket = period_sql(state.db.get_database_backend(), period)
        .ok_or_else(|| AppError::invalid("period", "error-reason-period"))?;
    let backend = state.db.get_database_backend();
    let sums: Vec<(String, String, f64)> = filtered(&filter, false)?
        .select_only()
        .column_as(Expr::cust(bucket), "period")
        .column(credit_transaction::Column::Kind)
        .column_as(
            Expr::cust(crate::credits::ledger::sum_of_amounts(backend)),
            "total",
        )
        .group_by(Expr::cust(bucket))
        .group_by(credit_transaction::Column::Kind)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut periods: BTreeMap<String, PeriodSummary> = BTreeMap::new();
    for (period, kind, total) in sums {
        // `as` saturates; the additions below saturate too, so no sum overflows.
        let total = total as i64;
        let entry = periods
            .entry(period.clone())
            .or_insert_with(|| PeriodSummary {
                period,
                ..PeriodSummary::default()
            });
        match kind.as_str() {
            "grant" | "purchase" | "subscription" => {
                entry.granted = entry.granted.saturating_add(total)
            }
            "deduct" => entry.deducted = entry.deducted.saturating_sub(total),
            "charge" => entry.charged = entry.charged.saturating_sub(total),
            "refund" => entry.refunded = entry.refunded.saturating_add(total),
            _ => {}
        }
        entry.net = entry.net.saturating_add(total);
    }
    // Newest period first, as the ledger reads.
    Ok(periods.into_values().rev().collect())
}

pub(super) async fn reconcile() -> Result<ReconcileReport, AppError> {
    let state = expect_context::<AppState>();
    let mismatches = crate::credits::ledger::reconcile(&state.db).await?;
    let accounts = credit_account::Entity::find().count(&state.db).await?;
    let emails = emails_by_id(&state.db, mismatches.iter().map(|m| m.user)).await?;
    if !mismatches.is_empty() {
        tracing::error!(count = mismatches.len(), "credit ledger does not reconcile");
    }
    Ok(ReconcileReport {
        accounts,
        mismatches: mismatches
            .into_iter()
            .map(|m| {
                let email = emails
                    .get(&m.user)
                    .cloned()
                    .unwrap_or_else(|| m.user.to_string());
                (email, m.balance, m.ledger_sum)
            })
            .collect(),
    })
}
