use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Top-level containers, owned by one account.
        manager
            .create_table(
                Table::create()
                    .table(Projects::Table)
                    .col(uuid(Projects::Id).primary_key())
                    .col(uuid(Projects::OwnerId))
                    .col(string_len(Projects::Name, 120))
                    .col(timestamp_with_time_zone(Projects::CreatedAt))
                    .col(timestamp_with_time_zone(Projects::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_projects_owner")
                            .from(Projects::Table, Projects::OwnerId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_projects_owner",
            Projects::Table,
            [Projects::OwnerId],
        )
        .await?;

        // Folders inside a project. `inbox_of` marks the one collection per
        // account where uploads and generations land when no other is chosen.
        manager
            .create_table(
                Table::create()
                    .table(Collections::Table)
                    .col(uuid(Collections::Id).primary_key())
                    .col(uuid(Collections::ProjectId))
                    .col(string_len(Collections::Name, 120))
                    .col(uuid_null(Collections::InboxOf).unique_key())
                    .col(timestamp_with_time_zone(Collections::CreatedAt))
                    .col(timestamp_with_time_zone(Collections::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_collections_project")
                            .from(Collections::Table, Collections::ProjectId)
                            .to(Projects::Table, Projects::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_collections_project",
            Collections::Table,
            [Collections::ProjectId],
        )
        .await?;

        // An image, video or sound in a collection: a reference to stored media
        // plus how it was made. Several items may share one media row.
        manager
            .create_table(
                Table::create()
                    .table(Items::Table)
                    .col(uuid(Items::Id).primary_key())
                    .col(uuid(Items::CollectionId))
                    .col(uuid(Items::MediaId))
                    .col(string_len(Items::Name, 200))
                    .col(
                        string_len(Items::Kind, 8)
                            .check(Expr::col(Items::Kind).is_in(["image", "video", "audio"])),
                    )
                    .col(text_null(Items::Prompt))
                    .col(string_len_null(Items::ModelId, 100))
                    .col(text_null(Items::Params))
                    .col(big_integer_null(Items::Seed))
                    .col(big_integer_null(Items::Cost))
                    .col(string_len_null(Items::ProviderRequestId, 200))
                    .col(uuid_null(Items::JobId))
                    .col(uuid_null(Items::ParentItemId))
                    .col(uuid(Items::CreatedBy))
                    .col(timestamp_with_time_zone(Items::CreatedAt))
                    .col(timestamp_with_time_zone(Items::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_items_collection")
                            .from(Items::Table, Items::CollectionId)
                            .to(Collections::Table, Collections::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_items_media")
                            .from(Items::Table, Items::MediaId)
                            .to(Media::Table, Media::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_items_parent")
                            .from(Items::Table, Items::ParentItemId)
                            .to(Items::Table, Items::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_items_creator")
                            .from(Items::Table, Items::CreatedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_items_collection_created",
            Items::Table,
            [Items::CollectionId, Items::CreatedAt],
        )
        .await?;
        index(manager, "idx_items_media", Items::Table, [Items::MediaId]).await?;
        index(
            manager,
            "idx_items_parent",
            Items::Table,
            [Items::ParentItemId],
        )
        .await?;
        index(manager, "idx_items_job", Items::Table, [Items::JobId]).await?;

        // Who else may see (viewer) or change (collaborator) a project or one
        // collection, by email address: a share waits for an account that does
        // not exist yet.
        manager
            .create_table(
                Table::create()
                    .table(Shares::Table)
                    .col(uuid(Shares::Id).primary_key())
                    .col(uuid_null(Shares::ProjectId))
                    .col(uuid_null(Shares::CollectionId))
                    .col(string_len(Shares::Email, 254))
                    .col(
                        string_len(Shares::Role, 16)
                            .check(Expr::col(Shares::Role).is_in(["viewer", "collaborator"])),
                    )
                    .col(uuid(Shares::CreatedBy))
                    .col(timestamp_with_time_zone(Shares::CreatedAt))
                    .col(timestamp_with_time_zone(Shares::UpdatedAt))
                    .check(
                        Expr::col(Shares::ProjectId)
                            .is_null()
                            .ne(Expr::col(Shares::CollectionId).is_null()),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_shares_project")
                            .from(Shares::Table, Shares::ProjectId)
                            .to(Projects::Table, Projects::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_shares_collection")
                            .from(Shares::Table, Shares::CollectionId)
                            .to(Collections::Table, Collections::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "idx_shares_project_email",
            Shares::Table,
            [Shares::ProjectId, Shares::Email],
        )
        .await?;
        unique_index(
            manager,
            "idx_shares_collection_email",
            Shares::Table,
            [Shares::CollectionId, Shares::Email],
        )
        .await?;
        index(manager, "idx_shares_email", Shares::Table, [Shares::Email]).await?;

        // An upload in progress: a reserved key the browser puts bytes to
        // (in one request or in parts), checked before it becomes media.
        manager
            .create_table(
                Table::create()
                    .table(Uploads::Table)
                    .col(uuid(Uploads::Id).primary_key())
                    .col(uuid(Uploads::OwnerId))
                    .col(uuid_null(Uploads::CollectionId))
                    .col(string_len(Uploads::StorageKey, 512).unique_key())
                    .col(string_len(Uploads::FileName, 255))
                    .col(string_len(Uploads::ContentType, 100))
                    .col(big_integer(Uploads::SizeBytes))
                    .col(string_len_null(Uploads::MultipartId, 1024))
                    .col(big_integer(Uploads::PartSize))
                    .col(
                        string_len(Uploads::Status, 16).check(Expr::col(Uploads::Status).is_in([
                            "pending",
                            "confirming",
                            "completed",
                            "failed",
                            "aborted",
                        ])),
                    )
                    .col(uuid_null(Uploads::ItemId))
                    .col(string_len_null(Uploads::Error, 64))
                    .col(timestamp_with_time_zone(Uploads::ExpiresAt))
                    .col(timestamp_with_time_zone(Uploads::CreatedAt))
                    .col(timestamp_with_time_zone(Uploads::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_uploads_owner")
                            .from(Uploads::Table, Uploads::OwnerId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_uploads_owner_status",
            Uploads::Table,
            [Uploads::OwnerId, Uploads::Status],
        )
        .await?;

        // A small JPEG preview beside each stored image or video.
        manager
            .alter_table(
                Table::alter()
                    .table(Media::Table)
                    .add_column(string_len_null(Media::ThumbnailKey, 512))
                    .to_owned(),
            )
            .await?;
        // Where a generation's result is kept, and the item it was made from.
        // Plain columns (SQLite cannot add foreign keys to a table): a deleted
        // collection sends the result to the owner's inbox instead.
        for column in [GenerationJobs::CollectionId, GenerationJobs::ParentItemId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(GenerationJobs::Table)
                        .add_column(uuid_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [GenerationJobs::CollectionId, GenerationJobs::ParentItemId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(GenerationJobs::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Media::Table)
                    .drop_column(Media::ThumbnailKey)
                    .to_owned(),
            )
            .await?;
        for table in [
            Uploads::Table.into_iden(),
            Shares::Table.into_iden(),
            Items::Table.into_iden(),
            Collections::Table.into_iden(),
            Projects::Table.into_iden(),
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

async fn unique_index<T: IntoIden + 'static, C: IntoIden + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table).unique();
    for col in cols {
        index.col(col);
    }
    manager.create_index(index.to_owned()).await
}

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
    OwnerId,
    Name,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Collections {
    Table,
    Id,
    ProjectId,
    Name,
    InboxOf,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
    CollectionId,
    MediaId,
    Name,
    Kind,
    Prompt,
    ModelId,
    Params,
    Seed,
    Cost,
    ProviderRequestId,
    JobId,
    ParentItemId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Shares {
    Table,
    Id,
    ProjectId,
    CollectionId,
    Email,
    Role,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Id,
    OwnerId,
    CollectionId,
    StorageKey,
    FileName,
    ContentType,
    SizeBytes,
    MultipartId,
    PartSize,
    Status,
    ItemId,
    Error,
    ExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Media {
    Table,
    Id,
    ThumbnailKey,
}

#[derive(DeriveIden)]
enum GenerationJobs {
    Table,
    CollectionId,
    ParentItemId,
}
