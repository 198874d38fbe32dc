//! How mail leaves the app: the outbox (local) or SMTP, and the sender.

use url::Url;

use super::{ConfigError, Secret, Vars, redact_url};

/// How mail leaves the app.
#[derive(Debug, Clone)]
pub enum MailConfig {
    /// Kept in the database and the log; readable in the app.
    Outbox,
    Smtp {
        url: Secret,
    },
}

impl MailConfig {
    /// The transport and the `From:` mailbox; production needs SMTP.
    pub(super) fn from_vars(
        vars: &Vars<'_>,
        production: bool,
    ) -> Result<(Self, String), ConfigError> {
        let mail = match vars.get("SMTP_URL") {
            None => MailConfig::Outbox,
            Some(url) => {
                let parsed = Url::parse(&url).map_err(|e| ConfigError::Invalid {
                    var: "SMTP_URL",
                    value: redact_url(&url),
                    problem: format!("not a URL: {e}"),
                })?;
                if !matches!(parsed.scheme(), "smtp" | "smtps") {
                    return Err(ConfigError::Invalid {
                        var: "SMTP_URL",
                        value: redact_url(&url),
                        problem: "expected an smtp:// or smtps:// URL".into(),
                    });
                }
                MailConfig::Smtp {
                    url: Secret::new(url),
                }
            }
        };
        let mail_from = vars.parse(
            "MAIL_FROM",
            "Framewright <noreply@localhost>".to_string(),
            |v| {
                v.parse::<lettre::message::Mailbox>()
                    .map(|_| v.to_string())
                    .map_err(|_| "expected a mailbox like `Name <me@example.com>`".into())
            },
        )?;
        if production && matches!(mail, MailConfig::Outbox) {
            return Err(ConfigError::Missing {
                var: "SMTP_URL",
                why: "APP_ENV=production",
            });
        }
        Ok((mail, mail_from))
    }
}
