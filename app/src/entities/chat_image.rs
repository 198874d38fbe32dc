//! `chat_images`: a generation job started from one of a reply's suggestions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_images")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub message_id: Uuid,
    /// Which suggestion of the reply (0-based).
    pub suggestion_index: i32,
    pub job_id: Uuid,
    /// Shared by the generations of one model comparison (`None`: the card's own).
    pub compare_group: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
