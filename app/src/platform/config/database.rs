//! The database connection: SQLite by default, PostgreSQL when `DATABASE_URL` says so.

use std::path::Path;

use super::{ConfigError, Secret, Vars, redact_url};

/// The database connection.
#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    pub url: Secret,
    pub max_connections: u32,
}

impl DatabaseConfig {
    pub(super) fn from_vars(vars: &Vars<'_>, data_dir: &Path) -> Result<Self, ConfigError> {
        let database_url = match vars.get("DATABASE_URL") {
            Some(url) => {
                if !(url.starts_with("sqlite:")
                    || url.starts_with("postgres://")
                    || url.starts_with("postgresql://"))
                {
                    return Err(ConfigError::Invalid {
                        var: "DATABASE_URL",
                        value: redact_url(&url),
                        problem: "expected a sqlite: or postgres:// URL".into(),
                    });
                }
                url
            }
            None => format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("framewright.db").display()
            ),
        };
        let max_connections = vars.parse("DATABASE_MAX_CONNECTIONS", 10u32, |v| {
            v.parse::<u32>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| "expected a number from 1 to 1000".into())
        })?;
        Ok(DatabaseConfig {
            url: Secret::new(database_url),
            max_connections,
        })
    }
}
