//! `credit_transactions`: the append-only credit ledger.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_transactions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// grant, deduct, charge, refund, purchase, subscription or adjustment.
    pub kind: String,
    /// Signed: positive adds credits, negative takes them.
    pub amount: i64,
    pub balance_after: i64,
    pub description: String,
    /// What the change was for, e.g. `job` + its id.
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    #[sea_orm(unique)]
    pub idempotency_key: Option<String>,
    /// For a refund: the charge it returns (at most one refund per charge).
    #[sea_orm(unique)]
    pub refund_of: Option<Uuid>,
    /// The admin who made a manual change.
    pub performed_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
