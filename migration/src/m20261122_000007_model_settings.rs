use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // What admins changed on top of the built-in catalog: a row exists only
        // for a model someone toggled or repriced.
        manager
            .create_table(
                Table::create()
                    .table(ModelSettings::Table)
                    .col(string_len(ModelSettings::ModelId, 64).primary_key())
                    .col(boolean(ModelSettings::Enabled).default(true))
                    .col(text_null(ModelSettings::Formula))
                    .col(uuid_null(ModelSettings::UpdatedBy))
                    .col(timestamp_with_time_zone(ModelSettings::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ModelSettings::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ModelSettings {
    Table,
    ModelId,
    Enabled,
    Formula,
    UpdatedBy,
    UpdatedAt,
}
