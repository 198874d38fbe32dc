//! `refresh_tokens`: opaque refresh tokens (hashed), single use, rotated within a family.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// One family per sign-in; every rotation stays in it.
    pub family_id: Uuid,
    pub user_id: Uuid,
    /// The token this one replaced.
    pub parent_id: Option<Uuid>,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    /// Absolute end of the family, fixed at sign-in.
    pub family_expires_at: DateTimeUtc,
    /// Set when the token was exchanged for its successor.
    pub used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
