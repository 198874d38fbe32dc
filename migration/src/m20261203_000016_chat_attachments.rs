//! Images attached to a person's chat message (picked from the library or
//! uploaded), in the order they were attached; at most four per message
//! (checked by the app). They go to the agent with the message.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChatAttachments::Table)
                    .col(uuid(ChatAttachments::Id).primary_key())
                    .col(uuid(ChatAttachments::MessageId))
                    .col(uuid(ChatAttachments::MediaId))
                    .col(integer(ChatAttachments::Position))
                    .col(timestamp_with_time_zone(ChatAttachments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_attachments_message")
                            .from(ChatAttachments::Table, ChatAttachments::MessageId)
                            .to(ChatMessages::Table, ChatMessages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_attachments_media")
                            .from(ChatAttachments::Table, ChatAttachments::MediaId)
                            .to(Media::Table, Media::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_chat_attachments_message")
                    .table(ChatAttachments::Table)
                    .col(ChatAttachments::MessageId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChatAttachments::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ChatAttachments {
    Table,
    Id,
    MessageId,
    MediaId,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ChatMessages {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Media {
    Table,
    Id,
}
