//! `users`: one row per account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: Option<String>,
    /// `new_user`, `user` or `admin`.
    pub role: String,
    pub locale: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub last_sign_in_at: Option<DateTimeUtc>,
    pub disabled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl ActiveModel {
    /// A new account row for `email` (already normalised) with `role`.
    pub fn new_account(email: &str, role: &str, locale: Option<String>, now: DateTimeUtc) -> Self {
        use sea_orm::Set;
        ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(email.to_string()),
            display_name: Set(None),
            role: Set(role.to_string()),
            locale: Set(locale),
            created_at: Set(now),
            updated_at: Set(now),
            last_sign_in_at: Set(None),
            disabled_at: Set(None),
        }
    }
}
