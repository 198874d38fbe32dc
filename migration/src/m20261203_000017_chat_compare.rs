//! Comparing models on one suggestion: the generations started together
//! (2 to 4 image models, same prompt and shape) share a `compare_group`, so
//! the card shows them side by side again after a reload. A card's own
//! generation has none.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ChatImages::Table)
                    .add_column(uuid_null(ChatImages::CompareGroup))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ChatImages::Table)
                    .drop_column(ChatImages::CompareGroup)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum ChatImages {
    Table,
    CompareGroup,
}
