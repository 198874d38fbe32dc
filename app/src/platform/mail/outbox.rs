//! The outbox: mail kept in the database (and logged) instead of sent, so a
//! zero-config install can read its sign-in codes in the app.

use std::sync::Arc;

use async_trait::async_trait;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, QueryOrder, QuerySelect, Set};

use super::{MailError, Mailer, OutgoingMail};
use crate::entities::outbox_message;
use crate::platform::clock::Clock;

/// Stores outgoing mail in `outbox_messages`.
pub struct OutboxMailer {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
}

impl OutboxMailer {
    /// An outbox over this database.
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        OutboxMailer { db, clock }
    }
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        if !mail.to.contains('@') {
            return Err(MailError::InvalidAddress(mail.to.clone()));
        }
        let row = outbox_message::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            to_address: Set(mail.to.clone()),
            subject: Set(mail.subject.clone()),
            body_text: Set(mail.text.clone()),
            body_html: Set(mail.html.clone()),
            created_at: Set(self.clock.now()),
        };
        row.insert(&self.db)
            .await
            .map_err(|e| MailError::Transport(e.to_string()))?;
        tracing::info!(mail.to = %mail.to, mail.subject = %mail.subject, "mail placed in the outbox");
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "outbox"
    }
}

/// The newest outbox messages, newest first.
pub async fn latest(
    db: &DatabaseConnection,
    limit: u64,
) -> Result<Vec<outbox_message::Model>, sea_orm::DbErr> {
    outbox_message::Entity::find()
        .order_by_desc(outbox_message::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}
