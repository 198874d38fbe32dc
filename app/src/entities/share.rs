//! `shares`: another account's access to a project or one collection, by
//! email address (so a share waits for an account that does not exist yet).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shares")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Exactly one of `project_id` and `collection_id` is set.
    pub project_id: Option<Uuid>,
    pub collection_id: Option<Uuid>,
    /// Normalised (lower case).
    pub email: String,
    /// `viewer` or `collaborator`.
    pub role: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
