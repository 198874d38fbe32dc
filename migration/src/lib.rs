//! The database schema. Every table is created here and nowhere else; the
//! server applies pending migrations at startup and through `server migrate`.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_users;
mod m20261122_000002_events;
mod m20261122_000003_outbox;
mod m20261122_000004_auth;
mod m20261122_000005_passkeys;
mod m20261122_000006_credits;
mod m20261122_000007_model_settings;
mod m20261122_000008_jobs;
mod m20261202_000009_assets;
mod m20261202_000010_adopt_media;
mod m20261203_000011_cancel_requested;
mod m20261203_000012_welcome_credits;
mod m20261203_000013_chats;
mod m20261203_000014_media_codec;
mod m20261203_000015_spending;
mod m20261203_000016_chat_attachments;
mod m20261203_000017_chat_compare;

/// All migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_users::Migration),
            Box::new(m20261122_000002_events::Migration),
            Box::new(m20261122_000003_outbox::Migration),
            Box::new(m20261122_000004_auth::Migration),
            Box::new(m20261122_000005_passkeys::Migration),
            Box::new(m20261122_000006_credits::Migration),
            Box::new(m20261122_000007_model_settings::Migration),
            Box::new(m20261122_000008_jobs::Migration),
            Box::new(m20261202_000009_assets::Migration),
            Box::new(m20261202_000010_adopt_media::Migration),
            Box::new(m20261203_000011_cancel_requested::Migration),
            Box::new(m20261203_000012_welcome_credits::Migration),
            Box::new(m20261203_000013_chats::Migration),
            Box::new(m20261203_000014_media_codec::Migration),
            Box::new(m20261203_000015_spending::Migration),
            Box::new(m20261203_000016_chat_attachments::Migration),
            Box::new(m20261203_000017_chat_compare::Migration),
        ]
    }
}
