//! Who may do what from the first sign-in, and the secret that signs sessions
//! and media links.

use std::path::Path;

use super::{ConfigError, Secret, Vars, load_or_create_local_secret};

/// Who may do what from the first sign-in.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// New accounts start as `user` (true) or wait for approval as `new_user` (false).
    pub auto_approve: bool,
    /// These addresses become admins when they sign in.
    pub admin_emails: Vec<String>,
    /// Credits an account is given once, when it is first approved (becomes
    /// a `user` or an admin): 100 on a local install, 0 in production.
    pub welcome_credits: i64,
}

/// The most `WELCOME_CREDITS` may be: a gift, not a fortune.
pub const MAX_WELCOME_CREDITS: i64 = 1_000_000;

impl AuthConfig {
    pub(super) fn from_vars(vars: &Vars<'_>, production: bool) -> Result<Self, ConfigError> {
        let auto_approve = vars.bool("AUTO_APPROVE", !production)?;
        let admin_emails = vars.parse("ADMIN_EMAILS", Vec::new(), |v| {
            v.split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(|e| {
                    crate::values::Email::parse(e)
                        .map(|email| email.as_str().to_string())
                        .map_err(|_| format!("`{e}` is not an email address"))
                })
                .collect()
        })?;
        let welcome_credits =
            vars.parse("WELCOME_CREDITS", if production { 0 } else { 100 }, |v| {
                v.parse::<i64>()
                    .ok()
                    .filter(|n| (0..=MAX_WELCOME_CREDITS).contains(n))
                    .ok_or_else(|| {
                        format!(
                            "expected a whole number of credits from 0 to {MAX_WELCOME_CREDITS}"
                        )
                    })
            })?;
        Ok(AuthConfig {
            auto_approve,
            admin_emails,
            welcome_credits,
        })
    }
}

/// `SECRET_KEY`: at least 32 characters; production must set it, local runs
/// keep a generated one under the data dir.
pub(super) fn secret_key(
    vars: &Vars<'_>,
    production: bool,
    data_dir: &Path,
) -> Result<Secret, ConfigError> {
    let secret_key = match vars.get("SECRET_KEY") {
        Some(key) if key.len() < 32 => {
            return Err(ConfigError::Invalid {
                var: "SECRET_KEY",
                value: "***".into(),
                problem: "must be at least 32 characters".into(),
            });
        }
        Some(key) => Secret::new(key),
        None if production => {
            return Err(ConfigError::Missing {
                var: "SECRET_KEY",
                why: "APP_ENV=production",
            });
        }
        None => load_or_create_local_secret(data_dir)?,
    };
    Ok(secret_key)
}
