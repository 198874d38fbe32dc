//! Welcome credits are a ledger row of their own kind: `credit_transactions.kind`
//! accepts `welcome`. PostgreSQL swaps the column's CHECK constraint; SQLite
//! cannot alter a CHECK, so the table is rebuilt from its own definition with
//! the longer list (rows, indexes and foreign keys kept).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement, TransactionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

const BEFORE: &str =
    "'grant', 'deduct', 'charge', 'refund', 'purchase', 'subscription', 'adjustment'";
const AFTER: &str =
    "'grant', 'deduct', 'charge', 'refund', 'purchase', 'subscription', 'adjustment', 'welcome'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        allow_kinds(manager, BEFORE, AFTER).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The older list has no `welcome`: such rows become plain grants.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE credit_transactions SET kind = 'grant' WHERE kind = 'welcome'",
            )
            .await?;
        allow_kinds(manager, AFTER, BEFORE).await
    }
}

/// Replaces the kinds `credit_transactions.kind` accepts (`from` -> `to`, as SQL lists).
async fn allow_kinds(manager: &SchemaManager<'_>, from: &str, to: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DatabaseBackend::Sqlite => {
            // One transaction, so every statement runs on one connection of the pool
            // (another could still see the old schema) and a failure changes nothing.
            let db = db.begin().await?;
            let table_sql = |name: &str| {
                Statement::from_sql_and_values(
                    DatabaseBackend::Sqlite,
                    "SELECT sql FROM sqlite_master WHERE tbl_name = 'credit_transactions' AND type = ? AND sql IS NOT NULL",
                    [name.into()],
                )
            };
            let table = db
                .query_one_raw(table_sql("table"))
                .await?
                .ok_or_else(|| DbErr::Migration("credit_transactions is missing".into()))?;
            let create: String = table.try_get("", "sql")?;
            // sea-query writes the list as `IN ('grant', 'deduct', …)`.
            let lists = create.matches(from).count();
            if lists != 1 {
                return Err(DbErr::Migration(format!(
                    "credit_transactions: expected the kind list once, found it {lists} times"
                )));
            }
            let indexes: Vec<String> = db
                .query_all_raw(table_sql("index"))
                .await?
                .iter()
                .map(|row| row.try_get::<String>("", "sql"))
                .collect::<Result<_, _>>()?;
            let create_new = create.replacen(from, to, 1).replacen(
                "credit_transactions",
                "credit_transactions_new",
                1,
            );
            for sql in [
                create_new.as_str(),
                "INSERT INTO credit_transactions_new SELECT * FROM credit_transactions",
                "DROP TABLE credit_transactions",
                "ALTER TABLE credit_transactions_new RENAME TO credit_transactions",
            ]
            .into_iter()
            .chain(indexes.iter().map(String::as_str))
            {
                db.execute_unprepared(sql).await?;
            }
            db.commit().await
        }
        _ => {
            // PostgreSQL names a column's CHECK `<table>_<column>_check`.
            db.execute_unprepared(&format!(
                "ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_kind_check, \
                 ADD CONSTRAINT credit_transactions_kind_check CHECK (kind IN ({to}))"
            ))
            .await?;
            Ok(())
        }
    }
}
