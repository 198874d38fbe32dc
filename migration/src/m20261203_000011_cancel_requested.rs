//! A cancel a provider only passed on (fal's `CANCELLATION_REQUESTED`) is
//! remembered on the job: it shows as "Cancelling…" until the provider says
//! how the request ended, and a failure then ends the job as cancelled.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(GenerationJobs::Table)
                    .add_column(timestamp_with_time_zone_null(
                        GenerationJobs::CancelRequestedAt,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(GenerationJobs::Table)
                    .drop_column(GenerationJobs::CancelRequestedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum GenerationJobs {
    Table,
    CancelRequestedAt,
}
