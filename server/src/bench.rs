//! `server bench …`: measurements `make bench` runs against real databases
//! (hidden from `--help`; each needs an empty database of its own).

pub mod credits;
pub mod jobs;
pub mod pages;
pub mod webhook_sse;

pub use credits::{CreditsBench, credits};

/// Refuses to run against a database with accounts: a benchmark creates its own
/// and must not mix its rows (or its load) with real ones.
async fn require_empty_database(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm::{EntityTrait, PaginatorTrait};
    if app::entities::user::Entity::find().count(db).await? > 0 {
        anyhow::bail!("the benchmark needs an empty database (it creates its own accounts)");
    }
    Ok(())
}
