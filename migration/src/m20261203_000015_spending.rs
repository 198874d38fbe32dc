//! Spending controls: a personal per-day spending cap on each credit account
//! (empty: none), honoured by every charge in the ledger; and a per-chat
//! switch that generates each image suggestion as soon as it is complete.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Credits the account may spend per UTC day; NULL: no cap.
        manager
            .alter_table(
                Table::alter()
                    .table(CreditAccounts::Table)
                    .add_column(big_integer_null(CreditAccounts::DailyCap))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Chats::Table)
                    .add_column(boolean(Chats::AutoGenerate).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Chats::Table)
                    .drop_column(Chats::AutoGenerate)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CreditAccounts::Table)
                    .drop_column(CreditAccounts::DailyCap)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum CreditAccounts {
    Table,
    DailyCap,
}

#[derive(DeriveIden)]
enum Chats {
    Table,
    AutoGenerate,
}
