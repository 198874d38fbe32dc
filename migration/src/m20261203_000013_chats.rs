//! The creative agent's chats. A chat is a tree of messages: editing a user
//! message or regenerating a reply adds a sibling under the same parent, and
//! the chat remembers which leaf is shown (`current_leaf_id`). A reply is
//! stored while it streams: each flush appends a numbered delta and updates
//! the message's text in one transaction, so a reader that reconnects replays
//! from its last delta number without gaps or duplicates.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Chats::Table)
                    .col(uuid(Chats::Id).primary_key())
                    .col(uuid(Chats::OwnerId))
                    // Empty until proposed from the first message or renamed.
                    .col(string_len(Chats::Title, 120))
                    .col(string_len(Chats::ModelId, 100))
                    .col(uuid_null(Chats::CurrentLeafId))
                    .col(uuid_null(Chats::ForkedFromChatId))
                    .col(uuid_null(Chats::ForkedFromMessageId))
                    .col(timestamp_with_time_zone(Chats::CreatedAt))
                    .col(timestamp_with_time_zone(Chats::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chats_owner")
                            .from(Chats::Table, Chats::OwnerId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_chats_owner_updated",
            Chats::Table,
            [Chats::OwnerId, Chats::UpdatedAt],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChatMessages::Table)
                    .col(uuid(ChatMessages::Id).primary_key())
                    .col(uuid(ChatMessages::ChatId))
                    .col(uuid_null(ChatMessages::ParentId))
                    .col(
                        string_len(ChatMessages::Role, 16)
                            .check(Expr::col(ChatMessages::Role).is_in(["user", "assistant"])),
                    )
                    .col(text(ChatMessages::Content))
                    .col(string_len(ChatMessages::Status, 16).check(
                        Expr::col(ChatMessages::Status).is_in([
                            "streaming",
                            "done",
                            "stopped",
                            "failed",
                        ]),
                    ))
                    .col(string_len(ChatMessages::ModelId, 100))
                    // The number of the last delta written (0: none yet).
                    .col(integer(ChatMessages::LastSeq).default(0))
                    .col(string_len_null(ChatMessages::ErrorKind, 32))
                    .col(text_null(ChatMessages::ErrorMessage))
                    .col(timestamp_with_time_zone_null(ChatMessages::StopRequestedAt))
                    .col(timestamp_with_time_zone(ChatMessages::CreatedAt))
                    .col(timestamp_with_time_zone(ChatMessages::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_messages_chat")
                            .from(ChatMessages::Table, ChatMessages::ChatId)
                            .to(Chats::Table, Chats::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_messages_parent")
                            .from(ChatMessages::Table, ChatMessages::ParentId)
                            .to(ChatMessages::Table, ChatMessages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_chat_messages_chat_created",
            ChatMessages::Table,
            [ChatMessages::ChatId, ChatMessages::CreatedAt],
        )
        .await?;
        index(
            manager,
            "idx_chat_messages_parent",
            ChatMessages::Table,
            [ChatMessages::ParentId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChatDeltas::Table)
                    .col(uuid(ChatDeltas::MessageId))
                    .col(integer(ChatDeltas::Seq))
                    .col(text(ChatDeltas::Text))
                    .col(timestamp_with_time_zone(ChatDeltas::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(ChatDeltas::MessageId)
                            .col(ChatDeltas::Seq),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_deltas_message")
                            .from(ChatDeltas::Table, ChatDeltas::MessageId)
                            .to(ChatMessages::Table, ChatMessages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // A generation started from one of a reply's suggestions.
        manager
            .create_table(
                Table::create()
                    .table(ChatImages::Table)
                    .col(uuid(ChatImages::Id).primary_key())
                    .col(uuid(ChatImages::MessageId))
                    .col(integer(ChatImages::SuggestionIndex))
                    .col(uuid(ChatImages::JobId))
                    .col(timestamp_with_time_zone(ChatImages::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_images_message")
                            .from(ChatImages::Table, ChatImages::MessageId)
                            .to(ChatMessages::Table, ChatMessages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_chat_images_message",
            ChatImages::Table,
            [ChatImages::MessageId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ChatImages::Table.into_iden(),
            ChatDeltas::Table.into_iden(),
            ChatMessages::Table.into_iden(),
            Chats::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn index<T: IntoIden + 'static, C: IntoIden + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(col);
    }
    manager.create_index(index.to_owned()).await
}

#[derive(DeriveIden)]
enum Chats {
    Table,
    Id,
    OwnerId,
    Title,
    ModelId,
    CurrentLeafId,
    ForkedFromChatId,
    ForkedFromMessageId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChatMessages {
    Table,
    Id,
    ChatId,
    ParentId,
    Role,
    Content,
    Status,
    ModelId,
    LastSeq,
    ErrorKind,
    ErrorMessage,
    StopRequestedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChatDeltas {
    Table,
    MessageId,
    Seq,
    Text,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ChatImages {
    Table,
    Id,
    MessageId,
    SuggestionIndex,
    JobId,
    CreatedAt,
}
