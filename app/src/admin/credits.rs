//! `/admin/credits`: every ledger row with filters, summary figures per
//! period (granted, deducted, charged, refunded, net), and the reconciliation
//! check that proves each balance equals the sum of its ledger.

mod page;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub use page::AdminCreditsPage;

/// Rows per page of the admin ledger.
pub const PAGE_SIZE: u64 = 50;

/// What the admin ledger is narrowed to. Blank fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerFilter {
    /// Part of the account's email.
    pub email: String,
    /// One of the ledger kinds.
    pub kind: String,
    /// `YYYY-MM-DD`, inclusive, UTC.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive, UTC.
    pub to: String,
}

/// One ledger row with its account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminLedgerRow {
    pub email: String,
    pub row: crate::credits::api::TransactionRow,
}

/// A page of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminLedgerPage {
    pub rows: Vec<AdminLedgerRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// The figures of one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodSummary {
    /// `2026-11-22` (day), `2026-11-16` (the Monday of a week) or `2026-11` (month).
    pub period: String,
    /// Grants, purchases and subscriptions.
    pub granted: i64,
    pub deducted: i64,
    pub charged: i64,
    pub refunded: i64,
    /// Every change, adjustments included.
    pub net: i64,
}

/// What the reconciliation check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileReport {
    pub accounts: u64,
    /// Accounts whose balance differs from their ledger: email, balance, ledger sum.
    pub mismatches: Vec<(String, i64, i64)>,
}

/// The ledger across all accounts, newest first.
#[server(prefix = "/api", endpoint = "admin/credits/ledger")]
pub async fn admin_ledger(filter: LedgerFilter, page: u64) -> Result<AdminLedgerPage, AppError> {
    crate::auth::current::require_admin()?;
    ssr::ledger(filter, page).await
}

/// Summary figures per `day`, `week` or `month` for the filtered ledger (kind is ignored).
#[server(prefix = "/api", endpoint = "admin/credits/summary")]
pub async fn admin_credit_summary(
    filter: LedgerFilter,
    period: String,
) -> Result<Vec<PeriodSummary>, AppError> {
    crate::auth::current::require_admin()?;
    ssr::summary(filter, &period).await
}

/// Runs the reconciliation check.
#[server(prefix = "/api", endpoint = "admin/credits/reconcile")]
pub async fn admin_reconcile() -> Result<ReconcileReport, AppError> {
    crate::auth::current::require_admin()?;
    ssr::reconcile().await
}

#[cfg(feature = "ssr")]
mod ssr;
