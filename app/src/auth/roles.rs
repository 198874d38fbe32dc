//! Roles: `new_user` (signed in, waiting for approval), `user`, `admin`.

use serde::{Deserialize, Serialize};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    NewUser,
    User,
    Admin,
}

impl Role {
    /// The value stored in `users.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::NewUser => "new_user",
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    /// Whether the account is approved: it may use the app (`user` or `admin`).
    pub fn is_approved(self) -> bool {
        self != Role::NewUser
    }

    /// Reads a stored role.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "new_user" => Some(Role::NewUser),
            "user" => Some(Role::User),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
pub use ssr::grant_admin;

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::{DateTime, Utc};
    use sea_orm::sea_query::OnConflict;
    use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

    use super::Role;
    use crate::entities::user;
    use crate::values::Email;

    /// Makes the account with this email an admin, creating it if needed.
    pub async fn grant_admin(
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
        email: &str,
    ) -> anyhow::Result<user::Model> {
        let email = Email::parse(email)
            .map_err(|_| anyhow::anyhow!("`{email}` is not a valid email address"))?;
        let row = user::ActiveModel::new_account(email.as_str(), Role::Admin.as_str(), None, now);
        user::Entity::insert(row)
            .on_conflict(
                OnConflict::column(user::Column::Email)
                    .update_columns([user::Column::Role, user::Column::UpdatedAt])
                    .to_owned(),
            )
            .exec(db)
            .await?;
        user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the account disappeared while granting"))
    }
}
