//! Each media row names its codec (`H.264`, `AV1`, `PNG`, …), read from the
//! file when it is stored, so every item page can say what the file holds.
//! Media stored before this migration keeps no codec (its page leaves it out).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Media::Table)
                    .add_column(string_len_null(Media::Codec, 32))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Media::Table)
                    .drop_column(Media::Codec)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Media {
    Table,
    Codec,
}
