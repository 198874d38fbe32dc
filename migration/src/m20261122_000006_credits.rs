use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One balance per user; the database itself refuses a negative one.
        manager
            .create_table(
                Table::create()
                    .table(CreditAccounts::Table)
                    .col(uuid(CreditAccounts::UserId).primary_key())
                    .col(
                        big_integer(CreditAccounts::Balance)
                            .default(0)
                            .check(Expr::col(CreditAccounts::Balance).gte(0)),
                    )
                    .col(timestamp_with_time_zone(CreditAccounts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_credit_accounts_user")
                            .from(CreditAccounts::Table, CreditAccounts::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The append-only ledger.
        manager
            .create_table(
                Table::create()
                    .table(CreditTransactions::Table)
                    .col(uuid(CreditTransactions::Id).primary_key())
                    .col(uuid(CreditTransactions::UserId))
                    .col(string_len(CreditTransactions::Kind, 16).check(
                        Expr::col(CreditTransactions::Kind).is_in([
                            "grant",
                            "deduct",
                            "charge",
                            "refund",
                            "purchase",
                            "subscription",
                            "adjustment",
                        ]),
                    ))
                    .col(big_integer(CreditTransactions::Amount))
                    .col(
                        big_integer(CreditTransactions::BalanceAfter)
                            .check(Expr::col(CreditTransactions::BalanceAfter).gte(0)),
                    )
                    .col(string_len(CreditTransactions::Description, 500))
                    .col(string_len_null(CreditTransactions::EntityType, 32))
                    .col(string_len_null(CreditTransactions::EntityId, 64))
                    .col(string_len_null(CreditTransactions::IdempotencyKey, 200).unique_key())
                    .col(uuid_null(CreditTransactions::RefundOf).unique_key())
                    .col(uuid_null(CreditTransactions::PerformedBy))
                    .col(timestamp_with_time_zone(CreditTransactions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_credit_transactions_user")
                            .from(CreditTransactions::Table, CreditTransactions::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_credit_transactions_user_created",
                vec![CreditTransactions::UserId, CreditTransactions::CreatedAt],
            ),
            (
                "idx_credit_transactions_entity",
                vec![CreditTransactions::EntityType, CreditTransactions::EntityId],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(CreditTransactions::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CreditTransactions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CreditAccounts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CreditAccounts {
    Table,
    UserId,
    Balance,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CreditTransactions {
    Table,
    Id,
    UserId,
    Kind,
    Amount,
    BalanceAfter,
    Description,
    EntityType,
    EntityId,
    IdempotencyKey,
    RefundOf,
    PerformedBy,
    CreatedAt,
}
