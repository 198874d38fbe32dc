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
}

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
        Ok(AuthConfig {
            auto_approve,
            admin_emails,
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
