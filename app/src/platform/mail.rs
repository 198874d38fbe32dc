//! Outgoing mail: one trait, two backends. SMTP (through lettre) for real
//! deployments; the outbox (a database table, also logged) for the zero-config
//! run, readable in the app.

pub mod outbox;
pub mod smtp;

use std::sync::Arc;

use async_trait::async_trait;
use sea_orm::DatabaseConnection;

use super::clock::Clock;
use super::config::MailConfig;

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

/// Why a message could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address `{0}`")]
    InvalidAddress(String),
    #[error("mail could not be built: {0}")]
    Build(String),
    #[error("mail transport failed: {0}")]
    Transport(String),
}

/// Sends mail.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError>;
    /// A short name for logs: `smtp` or `outbox`.
    fn kind(&self) -> &'static str;
}

/// Builds the configured mailer.
pub fn from_config(
    config: &MailConfig,
    from: &str,
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn Mailer>, MailError> {
    Ok(match config {
        MailConfig::Outbox => Arc::new(outbox::OutboxMailer::new(db, clock)),
        MailConfig::Smtp { url } => Arc::new(smtp::SmtpMailer::new(url.expose(), from)?),
    })
}
