use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Every stored image or video, uploaded or generated.
        manager
            .create_table(
                Table::create()
                    .table(Media::Table)
                    .col(uuid(Media::Id).primary_key())
                    .col(uuid(Media::OwnerId))
                    .col(string_len(Media::StorageKey, 512).unique_key())
                    .col(string_len(Media::ContentType, 100))
                    .col(big_integer(Media::SizeBytes))
                    .col(integer_null(Media::Width))
                    .col(integer_null(Media::Height))
                    .col(big_integer_null(Media::DurationMs))
                    .col(
                        string_len(Media::Source, 16)
                            .check(Expr::col(Media::Source).is_in(["upload", "generation"])),
                    )
                    .col(timestamp_with_time_zone(Media::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_media_owner")
                            .from(Media::Table, Media::OwnerId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_media_owner_created")
                    .table(Media::Table)
                    .col(Media::OwnerId)
                    .col(Media::CreatedAt)
                    .to_owned(),
            )
            .await?;

        let media_fk = |name: &str, col: GenerationJobs| {
            ForeignKey::create()
                .name(name)
                .from(GenerationJobs::Table, col)
                .to(Media::Table, Media::Id)
                .to_owned()
        };
        manager
            .create_table(
                Table::create()
                    .table(GenerationJobs::Table)
                    .col(uuid(GenerationJobs::Id).primary_key())
                    .col(uuid(GenerationJobs::OwnerId))
                    .col(string_len(GenerationJobs::ModelId, 100))
                    .col(text(GenerationJobs::Prompt))
                    .col(text(GenerationJobs::Params))
                    .col(
                        big_integer(GenerationJobs::Price)
                            .check(Expr::col(GenerationJobs::Price).gte(0)),
                    )
                    .col(string_len(GenerationJobs::Status, 16).check(
                        Expr::col(GenerationJobs::Status).is_in([
                            "queued",
                            "running",
                            "succeeded",
                            "failed",
                            "cancelled",
                            "dead",
                        ]),
                    ))
                    .col(
                        small_integer(GenerationJobs::Priority)
                            .check(Expr::col(GenerationJobs::Priority).between(0, 2)),
                    )
                    .col(integer(GenerationJobs::Attempts).default(0))
                    .col(integer(GenerationJobs::MaxAttempts))
                    .col(timestamp_with_time_zone(GenerationJobs::NextRunAt))
                    .col(string_len_null(GenerationJobs::LeaseOwner, 100))
                    .col(timestamp_with_time_zone_null(
                        GenerationJobs::LeaseExpiresAt,
                    ))
                    .col(string_len_null(GenerationJobs::ProviderRequestId, 200))
                    .col(float(GenerationJobs::Progress).default(0.0))
                    .col(uuid_null(GenerationJobs::StartMediaId))
                    .col(uuid_null(GenerationJobs::EndMediaId))
                    .col(uuid_null(GenerationJobs::ResultMediaId))
                    .col(uuid_null(GenerationJobs::ThumbnailMediaId))
                    .col(string_len_null(GenerationJobs::ErrorKind, 32))
                    .col(string_len_null(GenerationJobs::ErrorMessage, 1000))
                    .col(boolean(GenerationJobs::Refunded).default(false))
                    .col(uuid_null(GenerationJobs::RetryOf))
                    .col(timestamp_with_time_zone(GenerationJobs::CreatedAt))
                    .col(timestamp_with_time_zone_null(GenerationJobs::StartedAt))
                    .col(timestamp_with_time_zone_null(GenerationJobs::FinishedAt))
                    .col(timestamp_with_time_zone(GenerationJobs::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_generation_jobs_owner")
                            .from(GenerationJobs::Table, GenerationJobs::OwnerId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(&mut media_fk(
                        "fk_generation_jobs_start",
                        GenerationJobs::StartMediaId,
                    ))
                    .foreign_key(&mut media_fk(
                        "fk_generation_jobs_end",
                        GenerationJobs::EndMediaId,
                    ))
                    .foreign_key(&mut media_fk(
                        "fk_generation_jobs_result",
                        GenerationJobs::ResultMediaId,
                    ))
                    .foreign_key(&mut media_fk(
                        "fk_generation_jobs_thumbnail",
                        GenerationJobs::ThumbnailMediaId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_generation_jobs_retry_of")
                            .from(GenerationJobs::Table, GenerationJobs::RetryOf)
                            .to(GenerationJobs::Table, GenerationJobs::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            // Claiming: the next due job by priority.
            (
                "idx_generation_jobs_claim",
                vec![
                    GenerationJobs::Status,
                    GenerationJobs::Priority,
                    GenerationJobs::NextRunAt,
                ],
                false,
            ),
            // Listing a user's generations, newest first.
            (
                "idx_generation_jobs_owner_created",
                vec![GenerationJobs::OwnerId, GenerationJobs::CreatedAt],
                false,
            ),
            // Webhooks find their job; one provider request belongs to one job.
            (
                "idx_generation_jobs_provider_request",
                vec![GenerationJobs::ModelId, GenerationJobs::ProviderRequestId],
                true,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(GenerationJobs::Table);
            if unique {
                index.unique();
            }
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_generation_jobs_request_id")
                    .table(GenerationJobs::Table)
                    .col(GenerationJobs::ProviderRequestId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GenerationJobs::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Media::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Media {
    Table,
    Id,
    OwnerId,
    StorageKey,
    ContentType,
    SizeBytes,
    Width,
    Height,
    DurationMs,
    Source,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GenerationJobs {
    Table,
    Id,
    OwnerId,
    ModelId,
    Prompt,
    Params,
    Price,
    Status,
    Priority,
    Attempts,
    MaxAttempts,
    NextRunAt,
    LeaseOwner,
    LeaseExpiresAt,
    ProviderRequestId,
    Progress,
    StartMediaId,
    EndMediaId,
    ResultMediaId,
    ThumbnailMediaId,
    ErrorKind,
    ErrorMessage,
    Refunded,
    RetryOf,
    CreatedAt,
    StartedAt,
    FinishedAt,
    UpdatedAt,
}
