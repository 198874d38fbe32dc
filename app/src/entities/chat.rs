//! `chats`: one conversation with the creative agent, owned by one account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    /// Empty until proposed from the first message or renamed.
    pub title: String,
    /// The chat model its replies come from (`local-chat`, `openai-chat`).
    pub model_id: String,
    /// The leaf of the branch shown (remembered across reloads).
    pub current_leaf_id: Option<Uuid>,
    /// The chat and message this one was forked from.
    pub forked_from_chat_id: Option<Uuid>,
    pub forked_from_message_id: Option<Uuid>,
    /// Whether each image suggestion is generated as soon as it is complete.
    pub auto_generate: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
