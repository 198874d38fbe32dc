//! `chat_messages`: one node of a chat's message tree. A reply is written
//! here while it streams (`content` and `last_seq` move with each flush).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub chat_id: Uuid,
    /// The message this one answers or follows (`None` for a first message).
    pub parent_id: Option<Uuid>,
    /// `user` or `assistant`.
    pub role: String,
    /// The text so far (the whole raw reply, `<think>` and suggestions included).
    pub content: String,
    /// `streaming`, `done`, `stopped` or `failed`.
    pub status: String,
    pub model_id: String,
    /// The number of the last delta written.
    pub last_seq: i32,
    /// Why a reply failed: a provider error kind (`auth`, `quota`, …).
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    /// Set by Stop; the process running the reply ends it at its next look.
    pub stop_requested_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
