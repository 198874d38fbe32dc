use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One-time sign-in codes: only a keyed hash is stored.
        manager
            .create_table(
                Table::create()
                    .table(OtpCodes::Table)
                    .col(uuid(OtpCodes::Id).primary_key())
                    .col(string_len(OtpCodes::Email, 320))
                    .col(string_len(OtpCodes::CodeHash, 64))
                    .col(integer(OtpCodes::Attempts).default(0))
                    .col(timestamp_with_time_zone(OtpCodes::CreatedAt))
                    .col(timestamp_with_time_zone(OtpCodes::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OtpCodes::ConsumedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_otp_codes_email_created")
                    .table(OtpCodes::Table)
                    .col(OtpCodes::Email)
                    .col(OtpCodes::CreatedAt)
                    .to_owned(),
            )
            .await?;

        // Fixed-window counters for rate limits, shared by every replica.
        manager
            .create_table(
                Table::create()
                    .table(RateLimitBuckets::Table)
                    .col(string_len(RateLimitBuckets::Key, 400).primary_key())
                    .col(timestamp_with_time_zone(RateLimitBuckets::WindowStart))
                    .col(integer(RateLimitBuckets::Count))
                    .to_owned(),
            )
            .await?;

        // Refresh tokens: one row per token, grouped in families (one family = one signed-in device).
        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(uuid(RefreshTokens::Id).primary_key())
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(uuid(RefreshTokens::UserId))
                    .col(uuid_null(RefreshTokens::ParentId))
                    .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::FamilyExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .col(string_len_null(RefreshTokens::UserAgent, 400))
                    .col(string_len_null(RefreshTokens::Ip, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refresh_tokens_user")
                            .from(RefreshTokens::Table, RefreshTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_refresh_tokens_family", RefreshTokens::FamilyId),
            ("idx_refresh_tokens_user", RefreshTokens::UserId),
            ("idx_refresh_tokens_parent", RefreshTokens::ParentId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(RefreshTokens::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RefreshTokens::Table.into_iden(),
            RateLimitBuckets::Table.into_iden(),
            OtpCodes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum OtpCodes {
    Table,
    Id,
    Email,
    CodeHash,
    Attempts,
    CreatedAt,
    ExpiresAt,
    ConsumedAt,
}

#[derive(DeriveIden)]
enum RateLimitBuckets {
    Table,
    Key,
    WindowStart,
    Count,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    FamilyId,
    UserId,
    ParentId,
    TokenHash,
    CreatedAt,
    FamilyExpiresAt,
    UsedAt,
    RevokedAt,
    UserAgent,
    Ip,
}
