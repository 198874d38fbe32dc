//! Accounts: the first successful sign-in creates one; its role depends on the
//! configuration (admin list, auto-approve, the zero-config first admin).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set, TransactionTrait,
};

use super::roles::Role;
use crate::entities::user;
use crate::platform::config::{Config, MailConfig};
use crate::values::Email;

/// Why a verified address may still not sign in.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("the account is disabled")]
    Disabled,
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("welcome credits: {0}")]
    Credits(#[from] crate::credits::ledger::CreditsError),
}

/// Gives an account that was just approved its welcome credits
/// (`WELCOME_CREDITS`; once per account, however often its role changes).
pub async fn welcome_approved<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    config: &Config,
    account: &user::Model,
    now: DateTime<Utc>,
) -> Result<(), crate::credits::ledger::CreditsError> {
    if Role::parse(&account.role).is_some_and(Role::is_approved) {
        crate::credits::ledger::grant_welcome(db, account.id, config.auth.welcome_credits, now)
            .await?;
    }
    Ok(())
}

/// The role a brand-new account gets.
fn role_for_new_account(config: &Config, email: &Email, first_account: bool) -> Role {
    let zero_config = config.is_local_loopback() && matches!(config.mail, MailConfig::Outbox);
    if config.auth.admin_emails.iter().any(|a| a == email.as_str())
        || (zero_config && first_account)
    {
        Role::Admin
    } else if config.auth.auto_approve {
        Role::User
    } else {
        Role::NewUser
    }
}

/// Finds the account for a verified address (creating it on first sign-in),
/// applies the admin list, and records the sign-in.
pub async fn sign_in<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    config: &Config,
    email: &Email,
    locale: Option<&str>,
    now: DateTime<Utc>,
) -> Result<user::Model, SignInError> {
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    let account = match existing {
        Some(account) => account,
        None => {
            let first_account = user::Entity::find().count(db).await? == 0;
            let role = role_for_new_account(config, email, first_account);
            let row = user::ActiveModel::new_account(
                email.as_str(),
                role.as_str(),
                locale.map(str::to_string),
                now,
            );
            // Two first sign-ins racing: the loser reads the winner's row.
            user::Entity::insert(row)
                .on_conflict(
                    OnConflict::column(user::Column::Email)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(db)
                .await?;
            let account = user::Entity::find()
                .filter(user::Column::Email.eq(email.as_str()))
                .one(db)
                .await?
                .ok_or_else(|| DbErr::RecordNotFound("account after insert".into()))?;
            // Approved from the start (auto-approve, an admin): welcomed now.
            welcome_approved(db, config, &account, now).await?;
            account
        }
    };
    record_sign_in(db, config, account, now).await
}

/// Refuses a disabled account, else records the sign-in (promoting a listed admin).
pub async fn record_sign_in<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    config: &Config,
    account: user::Model,
    now: DateTime<Utc>,
) -> Result<user::Model, SignInError> {
    if account.disabled_at.is_some() {
        return Err(SignInError::Disabled);
    }
    let listed_admin = config.auth.admin_emails.contains(&account.email);
    let was_waiting = account.role == Role::NewUser.as_str();
    let mut update: user::ActiveModel = account.into();
    update.last_sign_in_at = Set(Some(now));
    update.updated_at = Set(now);
    if listed_admin {
        update.role = Set(Role::Admin.as_str().to_string());
    }
    let account = update.update(db).await?;
    if listed_admin && was_waiting {
        welcome_approved(db, config, &account, now).await?;
    }
    Ok(account)
}

impl From<SignInError> for crate::error::AppError {
    fn from(error: SignInError) -> Self {
        match error {
            SignInError::Disabled => crate::error::AppError::AccountDisabled,
            SignInError::Db(e) => e.into(),
            SignInError::Credits(e) => e.into(),
        }
    }
}

/// The email addresses of accounts, by id (unknown ids are left out).
pub async fn emails_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = uuid::Uuid>,
) -> Result<std::collections::HashMap<uuid::Uuid, String>, DbErr> {
    let ids: std::collections::HashSet<uuid::Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect())
}
